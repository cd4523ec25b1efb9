"""`zs backup` and `zs restore`: a consistent copy of the ledger, and putting one back."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, done, ledger_of, open_ledger


def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            help="Where to write the copy. Default: backups/LEDGER-YYYYmmdd-HHMMSS.db beside the ledger.",
            show_default=False,
        ),
    ] = None,
    db: Db = None,
) -> None:
    """Write a consistent copy of the ledger, even while others are writing to it."""
    from pathlib import Path

    from zhaoshang import db_backup, progress
    from zhaoshang.db import utcnow

    engine = open_ledger(db)
    if path is None:
        ledger = Path(engine.url.database or "ledger.db")
        path = str(ledger.parent / "backups" / f"{ledger.stem}-{utcnow():%Y%m%d-%H%M%S}.db")
    with progress.shown("备份", "字节"):
        target = db_backup.backup(engine, Path(path))
    done(f"backed up {engine.url.database} to {target} ({target.stat().st_size:,} bytes)")


def restore(
    path: Annotated[str, typer.Argument(help="A backup made by `zs backup` (or any zs ledger file).")],
    db: Db = None,
) -> None:
    """Put a backup back as the ledger. The file is checked first; the current ledger is kept aside."""
    from pathlib import Path

    from zhaoshang import db_backup

    ledger, aside = db_backup.restore(ledger_of(db), Path(path))
    done(f"restored {path} into {ledger}; the ledger as it was is kept in {aside}")
