"""`zs import` and `zs export`: existing Excel 台账 in, the whole ledger out."""

from enum import StrEnum
from typing import Annotated

import typer

from zhaoshang.cli.common import Db, command_group, done, open_ledger, today

imports = command_group("import")

File = Annotated[str, typer.Argument(metavar="FILE", help=".csv 或 .xlsx 文件（zs export 导出的工作簿也可）。")]
Map = Annotated[
    list[str] | None,
    typer.Option("--map", help="把某列当作另一字段读：表头=字段，如 --map 外出时间=日期（可重复）。"),
]
DryRun = Annotated[bool, typer.Option("--dry-run", help="完整试导一遍，说明结果后全部撤回：不写入任何内容。")]


class MoneyUnit(StrEnum):
    yuan = "元"
    wan = "万元"
    yi = "亿元"


MoneyUnitOption = Annotated[
    MoneyUnit | None,
    typer.Option(
        "--money-unit",
        help="金额列的表头未写单位（如 投资额(万元) 那样）时，纯数字的单位：元、万元 或 亿元。"
        "两者都没有时，纯数字会被拒绝。",
        show_default=False,
    ),
]


Key = Annotated[
    str | None,
    typer.Option(
        "--key",
        metavar="COLUMN",
        help="按表中此列（表自己的 编号 或 序号，每次报送同一行不变）匹配各行，而不按自然键；"
        "该值随记录保存，以后再导入时可找回同一行。",
        show_default=False,
    ),
]


Year = Annotated[
    int | None,
    typer.Option(
        "--year",
        min=1900,
        max=2200,
        help="表中不带年份的日期（5月3日、5/3）所属年份；不给时此类日期会被拒绝。",
        show_default=False,
    ),
]


class _NothingWritten(Exception):
    """Raised inside the transaction of a --dry-run so that it rolls back."""


Errors = Annotated[
    str | None,
    typer.Option(
        "--errors",
        help="有错行时，另把每个错误单元格（行、列、值、应为）写入此 CSV（文件夹须已存在；已有文件会被替换）。",
        show_default=False,
    ),
]


def _run(
    kind: str,
    file: str,
    mapping,
    dry_run: bool,
    db,
    default_date: str | None = None,
    errors: str | None = None,
    money_unit: MoneyUnit | None = None,
    key: str | None = None,
    year: int | None = None,
) -> None:
    from pathlib import Path

    from zhaoshang import history, importer, progress
    from zhaoshang.bulk import cycles_collected_after
    from zhaoshang.db import writing
    from zhaoshang.errors import ZsError
    from zhaoshang.interchange import SCALES, parse_map
    from zhaoshang.invocation import COMMAND
    from zhaoshang.parse import parse_date
    from zhaoshang.render.fmt import shown
    from zhaoshang.tabular import place, write_csv, written

    extra = parse_map(mapping)
    now = today()
    fallback = parse_date(default_date, now, "--date", year) if default_date else None
    if errors:
        place(Path(errors), "--errors")  # a mistyped folder is said before the import, not after it
    engine = open_ledger(db)
    path = Path(file)

    try:
        # --dry-run is the import itself, history and all, taken back at the end: it says exactly
        # what the import would do, and refuses exactly what the import would refuse.
        with progress.shown(f"导入 {path.name}", "行"), cycles_collected_after(), writing(engine) as session:
            if kind == "activities":
                counts = importer.import_activities(session, path, extra, now, key, year)
            elif kind == "companies":
                counts = importer.import_companies(session, path, extra)
            elif kind == "figures":
                counts = importer.import_figures(session, path, extra)
            else:
                counts = importer.import_projects(
                    session, path, extra, now, fallback, SCALES[money_unit.value] if money_unit else None, key, year
                )
            if dry_run:
                history.record(session, COMMAND.get())
                raise _NothingWritten()
    except _NothingWritten:
        pass
    except importer.ImportRefused as exc:
        lines = exc.lines()  # one refusal: its first line, then one indented line for each bad cell …
        if errors:  # … and one for the --errors file, written or not
            cells = (
                [b.sheet, b.row, b.column, shown(b.value) if isinstance(b.value, str) else b.value, b.expected]
                for b in exc.bad
            )  # a control character shown escaped, as on the terminal
            try:
                with written(Path(errors), "--errors", "a file where the bad cells can be written") as target:
                    write_csv(target, ["表", "行", "列", "值", "应为"], cells)
                lines.append(f"  every bad cell ({len(exc.bad)}) is listed in {shown(errors)}")
            except ZsError as failed:
                lines.append(f"  {failed}")
        typer.echo("zs: " + "\n".join(lines), err=True)
        raise typer.Exit(1) from None
    what = {
        "activities": f"{counts.activities} new, {counts.changed_activities} changed, "
        f"{counts.unchanged_activities} unchanged activities "
        f"({counts.companies} company links, {counts.voided} voided)",
        "projects": f"{counts.projects} new, {counts.changed_projects} changed, {counts.unchanged_projects} "
        f"unchanged projects, {counts.milestones} milestones, {counts.funds} funds, {counts.notes} notes",
        "companies": f"{counts.new_companies} new companies, {counts.changed_companies} changed",
        "figures": f"{counts.figures} new figures, {counts.changed_figures} corrected",
    }[kind]
    extra_org = f", {counts.units} units, {counts.people} people" if counts.units or counts.people else ""
    if counts.missing_activities:
        extra_org += f"; {counts.missing_activities} held for its dates and units are not in it (kept)"
    if counts.new_companies and kind != "companies":
        extra_org += f", {counts.new_companies} new companies in the register"
    if dry_run:
        done(
            f"checked {counts.rows} rows of {shown(file)} ({shown(', '.join(counts.sheets))}): all good; "
            f"would import {what}{extra_org}. Nothing written (--dry-run)."
        )
    else:
        from zhaoshang.history import recorded

        outcome = (
            " as one change: `zs undo` takes it back" if recorded(session) else ": nothing changed, nothing to undo"
        )
        done(f"imported {what}{extra_org} from {file} ({counts.rows} rows){outcome}")


@imports.command()
def activities(
    file: File,
    mapping: Map = None,
    dry_run: DryRun = False,
    errors: Errors = None,
    key: Key = None,
    year: Year = None,
    db: Db = None,
) -> None:
    """导入外出招商、走访、接待、招商活动、调度会（日期、单位、类型、带队领导、招商方式、目的地、企业、备注）。"""
    _run("activities", file, mapping, dry_run, db, errors=errors, key=key, year=year)


@imports.command()
def projects(
    file: File,
    mapping: Map = None,
    dry_run: DryRun = False,
    errors: Errors = None,
    date: Annotated[
        str | None,
        typer.Option("--date", help="未写阶段日期的行所用的日期（也用于其推进情况）。"),
    ] = None,
    money_unit: MoneyUnitOption = None,
    key: Key = None,
    year: Year = None,
    db: Db = None,
) -> None:
    """导入项目（项目名称、招引单位、投资额、阶段、签约日期、开工日期、责任人、包保领导、到位资金 …）。"""
    _run(
        "projects",
        file,
        mapping,
        dry_run,
        db,
        default_date=date,
        errors=errors,
        money_unit=money_unit,
        key=key,
        year=year,
    )


@imports.command()
def companies(file: File, mapping: Map = None, dry_run: DryRun = False, errors: Errors = None, db: Db = None) -> None:
    """导入客商名录（企业名称、类别、来源地、产业、联系方式）：新企业加入客商库；已有企业补上所列类别
    （如 世界500强、上市公司）和所填字段。"""
    _run("companies", file, mapping, dry_run, db, errors=errors)


@imports.command()
def figures(file: File, mapping: Map = None, dry_run: DryRun = False, errors: Errors = None, db: Db = None) -> None:
    """导入手工填报数（名称、期间、单位、数值——写成 1.2亿，或放在 数值(万元) 表头下——、备注）；
    同一名称、期间和单位已有的数据即被更正；有 作废原因 的行作为已作废的记入，不计数。"""
    _run("figures", file, mapping, dry_run, db, errors=errors)


def export(
    path: Annotated[str, typer.Argument(help="写到何处：.xlsx 文件、存放 csv 的文件夹、.json 文件。")],
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="xlsx、csv 或 json（默认：按路径的后缀；文件夹即 csv）。",
            show_default=False,
        ),
    ] = None,
    db: Db = None,
) -> None:
    """导出整个台账，每类记录一张表（或一个文件），表头即 `zs import` 所读。"""
    from pathlib import Path

    from zhaoshang import progress
    from zhaoshang.bulk import cycles_collected_after
    from zhaoshang.db import reading
    from zhaoshang.errors import ZsError
    from zhaoshang.exporter import export as write
    from zhaoshang.render.fmt import shown

    target = Path(path)
    chosen = (fmt or {".xlsx": "xlsx", ".json": "json", ".csv": "csv"}.get(target.suffix.lower(), "csv")).lower()
    if chosen not in ("xlsx", "csv", "json"):
        raise ZsError("--format", fmt, "xlsx, csv or json")
    with progress.shown(f"导出 {target.name}", "行"), cycles_collected_after(), reading(open_ledger(db)) as session:
        counts = write(session, target, chosen)
    done(f"exported to {shown(str(target))} ({chosen}): " + ", ".join(f"{n} {kind}" for kind, n in counts.items()))


def merge(
    ledger: Annotated[str, typer.Argument(metavar="LEDGER", help="另一个台账：文件或数据库网址。")],
    unit_prefix: Annotated[str, typer.Option(help="在另一台账的单位名称前加上此前缀以示区分，如 东阿县·")] = "",
    same_units: Annotated[bool, typer.Option("--same-units", help="改为并入本台账中同名同类型的单位。")] = False,
    db: Db = None,
) -> None:
    """把另一个台账（单独起步的县区）并入本台账：每条记录及其修改记录。"""
    from zhaoshang import progress
    from zhaoshang.bulk import cycles_collected_after
    from zhaoshang.db import reading, writing
    from zhaoshang.merge import merge as copy_all
    from zhaoshang.merge import other_ledger
    from zhaoshang.paths import ledger_location

    # The other ledger is checked and only read; this one is opened once that one is found good.
    with other_ledger(ledger, ledger_location(db)) as source:
        target = open_ledger(db)
        with (
            progress.shown("合并台账", "行"),
            cycles_collected_after(),
            reading(source) as theirs,
            writing(target) as ours,
        ):
            done_ = copy_all(ours, theirs, ledger, unit_prefix, same_units)
    from zhaoshang.history import recorded

    done(
        f"merged {ledger}: {done_.units} units, {done_.people} people, {done_.projects} projects "
        f"({done_.milestones} milestones, {done_.funds} funds, {done_.notes} notes), {done_.activities} activities "
        f"and {done_.changes} changes of its history"
        + (", as one change: `zs undo` takes it back" if recorded(ours) else ": nothing changed, nothing to undo")
    )
