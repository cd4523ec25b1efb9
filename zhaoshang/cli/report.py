"""`zs report …`: where every unit stands against every quota — terminal, --json or --xlsx."""

import os
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from zhaoshang.cli.common import Db, Json, TargetsFile, Width, command_group, open_ledger, print_json, today

if TYPE_CHECKING:
    from zhaoshang.config import Targets as Plan
    from zhaoshang.parse import Period
    from zhaoshang.reports import Report, ReportFacts

    # A report kind's builder: the plan, the ledger's facts, the window, as-of and whether to list details.
    Builder = Callable[[Plan, ReportFacts, Period, date, bool], Report]

app = command_group("report")

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="截至此日出具报表（默认：今天；统计期间在今天之前结束的，为其最后一天）。",
        show_default=False,
    ),
]
Xlsx = Annotated[
    str | None,
    typer.Option(
        help="同时写出可打印的工作簿（含列出每条计入记录的 明细 表）。",
        show_default=False,
    ),
]
Docx = Annotated[
    str | None,
    typer.Option(
        help="同时写出 Word 通报：总体情况、各单位情况、存在问题、下一步工作，附各单位表和指标表。",
        show_default=False,
    ),
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="--xlsx、--docx 的文件已存在时覆盖。")]
Detail = Annotated[bool, typer.Option("--detail", help="列出每行指标计入的每条记录（JSON 中为 details）。")]
Targets = TargetsFile


def _writable(overwrite: bool, *files: tuple[str, str | None, str]) -> None:
    """Refuse, before any work and before any file is written, an output path that is blank, lacks
    its format's suffix (so that --xlsx and --docx never write the same file), is in no folder, is a
    folder, or is (without --overwrite) taken: one bad path leaves no other file written."""
    from pathlib import Path

    from zhaoshang.errors import ZsError
    from zhaoshang.tabular import place

    for name, path, example in files:
        if path is None:
            continue
        if not path.strip():
            raise ZsError(name, path, f"a file to write, such as {example}")
        suffix = Path(example).suffix
        if Path(path).suffix.lower() != suffix:
            raise ZsError(name, path, f"a file name ending in {suffix}, such as {example}")
        place(Path(path), name)
        if not overwrite and os.path.lexists(path):
            raise ZsError(name, path, "a path with nothing there yet (or --overwrite to replace it)", "it exists")


def _run(
    build: "Builder",
    kind: str,
    option: str | None,
    window_text: str | None,
    as_of_text: str | None,
    db: str | None,
    targets: str | None,
    json: bool,
    xlsx: str | None,
    campaign_id: str | None = None,
    detail: bool = False,
    overwrite: bool = False,
    docx: str | None = None,
) -> None:
    """Parse the window, build the report with `build` over one snapshot of the ledger, render it."""
    from zhaoshang import config
    from zhaoshang.db import reading
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.paths import targets_location
    from zhaoshang.window import WindowAsked, resolve

    _writable(overwrite, ("--xlsx", xlsx, "季度通报.xlsx"), ("--docx", docx, "季度通报.docx"))
    spec = config.load_targets(targets_location(targets))
    asked = WindowAsked(kind, option, window_text, campaign_id, as_of_text)
    window, as_of = resolve(asked, spec.campaigns, spec.year, str(spec.path), today())
    engine = open_ledger(db)
    with reading(engine) as session:
        facts = LedgerFacts(session, spec.rates, str(spec.path))
        report = build(spec, facts, window, as_of, detail or xlsx is not None)
        if docx is not None:  # 存在问题 names the projects past their 开工时限 and the problems overdue
            from zhaoshang.reports import build_alerts

            alerts = build_alerts(spec, facts, window, as_of).alerts
    if xlsx is not None:
        from zhaoshang.render.xlsx import write_report

        write_report(report, xlsx)
    if docx is not None:
        from zhaoshang.render import docx as word

        word.write_report(report, alerts, docx)
    if json:
        from zhaoshang.render.report_json import report_dict

        shown = report_dict(report) | {"targets_file": str(spec.path)}
        if spec.rates:  # amounts in other currencies were converted at these (and said so)
            shown["rates"] = {code.value: f"{rate.normalize():f}" for code, rate in spec.rates.items()}
        return print_json(shown)
    if xlsx is not None or docx is not None:  # the files were asked for: say what is in them, not print it all
        from zhaoshang.render.words import contents

        if xlsx is not None:
            typer.echo(f"wrote {xlsx}: {contents(report)}")
        if docx is not None:
            typer.echo(f"wrote {docx}: {word.contents(report)}")
        return
    from zhaoshang.render.report_table import print_report

    print_report(report, detail=detail)
    if spec.rates:  # names the targets file too
        typer.echo(f"外币按 {spec.rates_text()} 折算（{spec.path}）")
    else:
        typer.echo(f"指标文件：{spec.path}")


@app.command()
def month(
    month: Annotated[str | None, typer.Option(help="月份，如 2023-03、本月、上月、9月（默认：截至日所在月）。")] = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    docx: Docx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """一月一汇总：在谈未签约、签约未落地的重点项目及本月推进情况，以及本月各项指标。"""
    from zhaoshang.reports import build_month

    _run(
        build_month,
        "month",
        "--month",
        month,
        as_of,
        db,
        targets,
        json,
        xlsx,
        detail=detail,
        overwrite=overwrite,
        docx=docx,
    )


@app.command()
def quarter(
    quarter: Annotated[
        str | None, typer.Option(help="季度，如 2023Q1、2023年第三季度、本季度、上季度、Q3（默认：截至日所在季度）。")
    ] = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    docx: Docx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """季度通报：各单位的省外到位资金、过亿元项目、签约、外出招商；各项指标；竞赛排名。"""
    from zhaoshang.reports import build_quarter

    _run(
        build_quarter,
        "quarter",
        "--quarter",
        quarter,
        as_of,
        db,
        targets,
        json,
        xlsx,
        detail=detail,
        overwrite=overwrite,
        docx=docx,
    )


@app.command()
def year(
    year: Annotated[str | None, typer.Option(help="年份，如 2023、今年、去年（默认：截至日所在年）。")] = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    docx: Docx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """年度通报：全年的通报，内容同季度通报。"""
    from zhaoshang.reports import build_year

    _run(
        build_year,
        "year",
        "--year",
        year,
        as_of,
        db,
        targets,
        json,
        xlsx,
        detail=detail,
        overwrite=overwrite,
        docx=docx,
    )


@app.command()
def campaign(
    campaign_id: Annotated[
        str, typer.Argument(metavar="ID", help="活动在 targets.yaml 中的代号或名称（push 或 秋季攻坚）。")
    ],
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    docx: Docx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """专项活动通报：活动至今的各项指标，及各单位在活动期间的数据。"""
    from zhaoshang.reports import build_campaign

    def build(spec, facts, window, as_of, detail):
        return build_campaign(spec, facts, window.label, window, as_of, detail)  # its id, typed or by title

    _run(
        build,
        "campaign",
        None,
        None,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign_id,
        detail=detail,
        overwrite=overwrite,
        docx=docx,
    )


Campaign = Annotated[
    str | None,
    typer.Option(
        "--campaign",
        help="专项活动（代号或名称）自己的排名或计分（专项考核、单独计分），按活动期间统计，与全年的分开。",
        show_default=False,
    ),
]


def _one_window(campaign: str | None, **given: str | None) -> None:
    """At most one of the window options: --campaign, --quarter, --year."""
    named = [(f"--{name}", value) for name, value in given.items() if value is not None]
    if campaign is not None:
        named.insert(0, ("--campaign", campaign))
    if len(named) > 1:
        from zhaoshang.errors import ZsError

        (first, _), (second, value) = named[:2]
        raise ZsError(second, value, f"either {first} or {second}, not both", f"{first} is given too")


@app.command()
def rank(
    quarter: Annotated[str | None, typer.Option(help="按此季度排名，如 2023Q3。")] = None,
    year: Annotated[str | None, typer.Option(help="改为按此年度排名。")] = None,
    campaign: Campaign = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """竞赛榜：同一序列的单位（或人员）并列比较；各项以最好者为 100 折算、加权、排名，并据此评出红黑榜。

    每个排名按其 `per:`（本季度，或年初至今）统计到统计期间末；
    用 --campaign 时，为专项活动自己的排名，按活动期间统计。"""
    if campaign is None and quarter is not None and year is not None:
        from zhaoshang.errors import ZsError

        raise ZsError("--year", year, "either --quarter or --year, not both", f"--quarter {quarter} is given too")
    _one_window(campaign, quarter=quarter, year=year)
    from zhaoshang.reports import build_rank

    _run(
        lambda spec, facts, window, as_of, _detail: build_rank(spec, facts, window, as_of, campaign and window.label),
        "rank",
        "--year" if year is not None else "--quarter",
        year if year is not None else quarter,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign,
        overwrite=overwrite,
    )


@app.command()
def score(
    year: Annotated[str | None, typer.Option(help="年份，如 2023、今年、去年（默认：截至日所在年）。")] = None,
    campaign: Campaign = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """年终考核：按全年计分规则算出各单位得分，逐项列出加分和扣分；
    用 --campaign 时，按专项活动自己的计分规则（专项考核、单独计分）。"""
    _one_window(campaign, year=year)
    from zhaoshang.reports import build_score

    _run(
        lambda spec, facts, window, as_of, _detail: build_score(spec, facts, window, as_of, campaign and window.label),
        "score",
        "--year",
        year,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign,
        overwrite=overwrite,
    )


@app.command()
def alerts(
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """预警：签约后超过开工时限的项目、久无进展的重点项目、空白单位、落后于序时进度的指标。"""
    from zhaoshang.reports import build_alerts

    _run(
        lambda spec, facts, window, as_of, _detail: build_alerts(spec, facts, window, as_of),
        "alerts",
        None,
        None,
        as_of,
        db,
        targets,
        json,
        xlsx,
        overwrite=overwrite,
    )


@app.command()
def forecast(
    quarter: Annotated[str | None, typer.Option(help="预测此季度内的指标，如 2023Q3。")] = None,
    year: Annotated[str | None, typer.Option(help="预测此年度内的指标（默认：截至日所在年）。")] = None,
    campaign: Annotated[
        str | None, typer.Option("--campaign", help="预测此专项活动（代号或名称）的指标。", show_default=False)
    ] = None,
    as_of: AsOf = None,
    json: Json = False,
    width: Width = None,
    xlsx: Annotated[
        str | None, typer.Option(help="同时写出可打印的工作簿（指标预测、候选项目）。", show_default=False)
    ] = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """还需多少：每项未到期指标还差多少、每月每周需完成多少；按目前进度（及往年同期）预计年底（期末）完成多少；
    过亿元、签约等项目指标列出差一个阶段的候选项目、预计日期和须落地的项目。"""
    from zhaoshang import config
    from zhaoshang.db import reading
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.forecast import ForecastReport, forecast
    from zhaoshang.paths import targets_location
    from zhaoshang.window import WindowAsked, resolve

    _one_window(campaign, quarter=quarter, year=year)
    _writable(overwrite, ("--xlsx", xlsx, "指标预测.xlsx"))
    spec = config.load_targets(targets_location(targets))
    option, text = ("--quarter", quarter) if quarter is not None else ("--year", year)
    asked = WindowAsked("forecast", option if text is not None else None, text, campaign, as_of)
    window, as_of_day = resolve(asked, spec.campaigns, spec.year, str(spec.path), today())
    quotas = [q for q in spec.quotas if campaign is None or (q.campaign and q.campaign.id == window.label)]
    with reading(open_ledger(db)) as session:
        facts = LedgerFacts(session, spec.rates, str(spec.path))
        report = ForecastReport(spec.region, window, as_of_day, forecast(quotas, facts, window, as_of_day))
    if xlsx is not None:
        from zhaoshang.render.xlsx import write_forecast

        write_forecast(report, xlsx)
    if json:
        return print_json(
            {"report": "forecast", "region": report.region, "window": window, "as_of": as_of_day, "rows": report.rows}
        )
    from zhaoshang.render.report_table import print_forecast

    if xlsx is not None:
        typer.echo(f"wrote {xlsx}: 指标预测 {len(report.rows)} 行")
        return
    print_forecast(report)
    typer.echo(f"指标文件：{spec.path}")
