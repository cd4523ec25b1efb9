"""What every command shares: the --db, --json and --csv options, opening the ledger, printing.

Standard library and typer only at module level; the database stack is imported when a command
runs, so `zs --help` answers at once.
"""

from datetime import date
from typing import Annotated

import typer

from zhaoshang.paths import ledger_location

Db = Annotated[
    str | None,
    typer.Option("--db", help="台账文件（或数据库网址）。默认：$ZS_DB，否则为本用户的台账。", show_default=False),
]
Json = Annotated[bool, typer.Option("--json", help="输出 JSON（供脚本使用），不输出表格。")]
MIN_WIDTH, MAX_WIDTH = 40, 1000


def _width(value: str | None) -> str | None:
    """--width N: the tables' width in columns, for every table the command prints."""
    import zhaoshang.render

    zhaoshang.render.width = None
    if value is None:
        return None
    from zhaoshang.errors import ZsError

    text = value.strip()
    if not (text.isascii() and text.isdigit()) or not MIN_WIDTH <= int(text) <= MAX_WIDTH:
        raise ZsError("--width", value, f"a number of columns from {MIN_WIDTH} to {MAX_WIDTH}, such as 120")
    zhaoshang.render.width = int(text)
    return value


Width = Annotated[
    str | None,
    typer.Option(
        "--width",
        help="表格宽度（列数，40–1000）。默认：终端宽度，输出到文件时为 $COLUMNS 或 80。"
        "表格在此宽度内折行，放不下时整列保留、不截断。",
        callback=_width,
        show_default=False,
    ),
]
Csv = Annotated[
    bool,
    typer.Option("--csv", help="输出 CSV（供表格软件使用，带 BOM 的 UTF-8，Excel 可直接打开），不输出表格。"),
]
TargetsFile = Annotated[
    str | None,
    typer.Option(
        "--targets",
        help="指标文件。默认：$ZS_TARGETS，否则 ./config/targets.yaml，否则为随程序附带的一份。",
        show_default=False,
    ),
]


def command_group(name: str) -> typer.Typer:
    """The group of subcommands `zs NAME`, with the help line the root lists for it. Plain (not rich)
    help: rich's help renderer alone costs ~50 ms of imports on every `--help`."""
    from zhaoshang.cli.errors import COMMANDS

    # The callback keeps a group of one command (`zs targets check`) a group.
    return typer.Typer(
        help=COMMANDS[name][2], no_args_is_help=True, rich_markup_mode=None, callback=_group, add_completion=False
    )


def _group() -> None:
    pass


def ledger_of(db: str | None) -> str:
    """Where the ledger is: --db, else ZS_DB, else the per-user ledger. `--db ""` is a slip (an empty
    variable in a script), not a wish for the default ledger: it is refused."""
    if db == "":
        from zhaoshang.errors import ZsError

        raise ZsError("--db", db, "a ledger file or a database URL", "it is empty")
    return ledger_location(db)


def open_ledger(db: str | None, new: bool = False):
    """An engine on the migrated ledger that --db / ZS_DB / the default names, closed when the command
    ends (a process running many commands, or many desks on one server, keeps no idle connections).
    A ledger is made where there is none only for `new` (zs init) or `zs --create …`."""
    from typer._click.globals import get_current_context

    from zhaoshang import db as database
    from zhaoshang.invocation import CREATE

    engine = database.connect(ledger_of(db), new=new or CREATE.get())
    context = get_current_context(silent=True)
    if context is not None:
        context.call_on_close(engine.dispose)
    return engine


def today() -> date:
    return date.today()


def print_json(value) -> None:
    from zhaoshang.render.json import dumps

    typer.echo(dumps(value))


def print_json_rows(rows) -> None:
    """`print_json(list(rows))`, the same text, written a row at a time as the rows come."""
    import sys

    from zhaoshang.render.json import dumps_rows

    for piece in dumps_rows(rows):
        sys.stdout.write(piece)
    sys.stdout.write("\n")


def print_rows(title: str, columns, rows, csv: bool = False, styles=None) -> None:
    """The rows of a list command: a table (`render.table.print_table`: columns are (header,
    justify)), or with --csv the same headers and cells as CSV."""
    if csv:
        from zhaoshang.render.csv import print_csv

        return print_csv([header for header, _ in columns], rows)
    from zhaoshang.render.table import print_table

    print_table(title, columns, rows, styles=styles)


def one_of(*options: tuple[str, object]) -> None:
    """A usage error (exit 2) when more than one of these (name, value) options is given: each
    asks for something the others exclude (--json and --csv, two outputs for one)."""
    given = [name for name, value in options if value]
    if len(given) > 1:
        from typer._click.exceptions import UsageError
        from typer._click.globals import get_current_context

        raise UsageError(f"{' and '.join(given)}: give one of them, not both", get_current_context(silent=True))


def done(message: str) -> None:
    """The one line a write command prints: what it recorded, with its id."""
    typer.echo(message)
