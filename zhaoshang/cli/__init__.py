"""`zs`: the command line. One module per command group, joined here."""

from typing import Annotated

import typer

from zhaoshang.cli import log, org, project, report, targets
from zhaoshang.cli.common import Db, done, open_ledger
from zhaoshang.cli.errors import OneLineErrors

app = typer.Typer(
    cls=OneLineErrors,
    # Plain help: rich's help renderer costs ~50 ms of imports on every `zs --help`.
    rich_markup_mode=None,
    name="zs",
    help="zs — the investment-promotion ledger (招商引资台账): record trips, visits, receptions, "
    "events and project milestones; report them against the year's quotas.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(org.units, name="unit")
app.add_typer(org.people, name="person")
app.add_typer(log.app, name="log")
app.add_typer(project.app, name="project")
app.add_typer(targets.app, name="targets")
app.add_typer(report.app, name="report")


@app.command()
def init(
    db: Db = None,
    targets: Annotated[
        str | None,
        typer.Option(help="Quota file. Default: $ZS_TARGETS, else ./config/targets.yaml, else the shipped one.",
                     show_default=False),
    ] = None,
) -> None:
    """Create the ledger (if needed) and load the units and people listed in targets.yaml."""
    from zhaoshang import config, ledger
    from zhaoshang.db import writing
    from zhaoshang.paths import targets_location

    spec = config.load_targets(targets_location(targets))
    engine = open_ledger(db)
    with writing(engine) as session:
        units, people = ledger.load_organisation(session, spec)
    done(f"ledger {engine.url.database or engine.url}: {len(units)} units and {len(people)} people added "
         f"from {spec.path} ({len(spec.units)} units, {len(spec.people)} people listed)")


def main() -> None:
    app()
