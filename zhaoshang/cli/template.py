"""`zs template …`: the fill-in workbook 填报模板 a centre sends its towns, which `zs import` reads back."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, command_group, done, open_ledger

template = command_group("template")

Target = Annotated[str, typer.Argument(metavar="PATH", help="The .xlsx file to write, in an existing folder.")]
Unit = Annotated[
    str | None,
    typer.Option(
        "--unit",
        help="For one unit: its name the only choice of 单位, its people those of 带队领导/责任人/包保领导.",
        show_default=False,
    ),
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Replace a file already at PATH.")]


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
    """Write a template for trips, visits, receptions, events and meetings (the headers of `zs import activities`)."""
    _write("activities", path, unit, overwrite, db)


@template.command()
def projects(path: Target, unit: Unit = None, overwrite: Overwrite = False, db: Db = None) -> None:
    """Write a template for projects, their stage dates and funds (money in 万元, as `zs import projects` reads)."""
    _write("projects", path, unit, overwrite, db)


@template.command()
def companies(path: Target, overwrite: Overwrite = False, db: Db = None) -> None:
    """Write a template for a 客商名录: companies with their tiers (the headers of `zs import companies`).
    It names no unit or person, so it takes no --unit."""
    _write("companies", path, None, overwrite, db)
