"""What every command shares: the --db and --json options, opening the ledger, printing.

Standard library and typer only at module level; the database stack is imported when a command
runs, so `zs --help` answers at once.
"""

from datetime import date
from typing import Annotated

import typer

from zhaoshang.paths import ledger_location

Db = Annotated[
    str | None,
    typer.Option("--db", help="Ledger file (or database URL). Default: $ZS_DB, else the per-user ledger.",
                 show_default=False),
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON for scripts instead of a table.")]


def command_group(name: str) -> typer.Typer:
    """The group of subcommands `zs NAME`, with the help line the root lists for it. Plain (not rich)
    help: rich's help renderer alone costs ~50 ms of imports on every `--help`."""
    from zhaoshang.cli.errors import COMMANDS

    # The callback keeps a group of one command (`zs targets check`) a group.
    return typer.Typer(help=COMMANDS[name][2], no_args_is_help=True, rich_markup_mode=None, callback=_group)


def _group() -> None:
    pass


def open_ledger(db: str | None):
    """An engine on the migrated ledger that --db / ZS_DB / the default names."""
    from zhaoshang import db as database

    return database.connect(ledger_location(db))


def today() -> date:
    return date.today()


def print_json(value) -> None:
    from zhaoshang.render.json import dumps

    typer.echo(dumps(value))


def done(message: str) -> None:
    """The one line a write command prints: what it recorded, with its id."""
    typer.echo(message)
