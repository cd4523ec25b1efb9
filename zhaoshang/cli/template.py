"""`zs template …`: the fill-in workbook 填报模板 a centre sends its towns, which `zs import` reads back."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, command_group, done, open_ledger

template = command_group("template")

Target = Annotated[str, typer.Argument(metavar="PATH", help="要写出的 .xlsx 文件（所在文件夹须已存在）。")]
Unit = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="只供一个单位填报：单位 只能选它，带队领导/责任人/包保领导 只能选其人员。",
        show_default=False,
    ),
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="PATH 已有文件时覆盖。")]


def _write(kind: str, path: str, unit: str | None, overwrite: bool, db: str | None) -> None:
    """Check PATH, read the dropdowns' names from the ledger, write the workbook, say what it holds."""
    from pathlib import Path

    from zhaoshang import template as workbook
    from zhaoshang.db import reading
    from zhaoshang.render.fmt import shown

    target = workbook.target(Path(path), overwrite)  # a mistyped folder is said before the ledger opens
    with reading(open_ledger(db)) as session:
        names = workbook.choices(session, unit)
    columns, listed = workbook.write(target, kind, names)
    scope = f" for {shown(unit)} ({len(names.people)} people)" if unit else ""
    done(
        f"wrote the {kind} template{scope} to {shown(path)}: {columns} columns, {listed} with dropdowns, and "
        f"填报说明; filled in, it reads back with `zs import {kind} {shown(path)}`"
    )


@template.command()
def activities(path: Target, unit: Unit = None, overwrite: Overwrite = False, db: Db = None) -> None:
    """写出外出招商、走访、接待、招商活动和调度会的填报模板（表头即 `zs import activities` 所读）。"""
    _write("activities", path, unit, overwrite, db)


@template.command()
def projects(path: Target, unit: Unit = None, overwrite: Overwrite = False, db: Db = None) -> None:
    """写出项目及其各阶段日期和到位资金的填报模板（金额以万元计，即 `zs import projects` 所读）。"""
    _write("projects", path, unit, overwrite, db)


@template.command()
def companies(path: Target, overwrite: Overwrite = False, db: Db = None) -> None:
    """写出客商名录的填报模板：企业及其类别（表头即 `zs import companies` 所读）。不涉及单位和人员，故无 --unit。"""
    _write("companies", path, None, overwrite, db)
