"""`zs init` and `zs demo`: a ledger ready for an office, or one full of a plausible year."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, done, open_ledger


def init(
    db: Db = None,
    targets: Annotated[
        str | None,
        typer.Option(
            help="Quota file. Default: $ZS_TARGETS, else ./config/targets.yaml, else the shipped one.",
            show_default=False,
        ),
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
    done(
        f"ledger {engine.url.database or engine.url}: {len(units)} units and {len(people)} people added "
        f"from {spec.path} ({len(spec.units)} units, {len(spec.people)} people listed)"
    )


def demo(
    db: Annotated[str, typer.Option(help="Where to build the demo ledger (never $ZS_DB).")] = "zs-demo.db",
    replace: Annotated[
        bool, typer.Option("--replace", help="Rebuild even if the file is a ledger that the demo did not build.")
    ] = False,
) -> None:
    """Build a plausible year of 文昌湖区 records into a fresh ledger and print the quarter bulletin."""
    from pathlib import Path

    from zhaoshang import config, ledger
    from zhaoshang import demo as sample
    from zhaoshang.db import reading, writing
    from zhaoshang.db_backup import made_by
    from zhaoshang.errors import ZsError
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.parse import quarter_period
    from zhaoshang.paths import shipped_targets
    from zhaoshang.render.report_table import print_report
    from zhaoshang.reports import build_quarter

    path = Path(db)
    if path.exists():
        if not (replace or made_by(path, "zs demo")):
            raise ZsError("--db", db, "a path with no ledger yet, or an earlier demo (or --replace to rebuild there)")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    spec = config.load_targets(shipped_targets())
    engine = open_ledger(str(path))
    with writing(engine) as session:
        ledger.load_organisation(session, spec)
        counts = sample.build(session)
    bulletin = sample.BULLETIN_AS_OF
    with reading(engine) as session:
        report = build_quarter(spec, LedgerFacts(session, spec.rates), quarter_period(bulletin.year, 3), bulletin)
    print_report(report)
    done(
        f"demo ledger {path}: {counts['activities']} activities, {counts['projects']} projects, "
        f"{counts['funds']} funds, {counts['notes']} notes, {counts['figures']} reported figures up to "
        f"{sample.AS_OF}. Next, try: "
        f"zs report month --db {path} --as-of {sample.AS_OF} · zs report alerts --db {path} --as-of {sample.AS_OF}"
        f" · zs report quarter --db {path} --as-of {bulletin} --xlsx bulletin.xlsx"
        f" · zs company list --db {path} · zs figure list --db {path}"
    )
