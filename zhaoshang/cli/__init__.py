"""`zs`: the command line. One module per command group; each is imported only when its
commands run (or their help is asked for), so `zs --help` answers at once."""

import typer

from zhaoshang.cli.door import CheckedAtTheDoor

app = typer.Typer(
    cls=CheckedAtTheDoor,
    # Plain help: rich's help renderer costs ~50 ms of imports on every `zs --help`.
    rich_markup_mode=None,
    name="zs",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def root() -> None:
    """zs — the investment-promotion ledger (招商引资台账): record trips, visits, receptions, events and
    project milestones; report them against the year's quotas."""


def main() -> None:
    app()
