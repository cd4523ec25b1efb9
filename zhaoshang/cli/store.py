"""`zs backup` and `zs restore`: a consistent copy of the ledger, and putting one back."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, done, ledger_of, open_ledger


def backup(
    path: Annotated[
        str | None,
        typer.Argument(
            help="备份写到何处。默认：台账旁的 backups/台账名-年月日-时分秒.db。",
            show_default=False,
        ),
    ] = None,
    db: Db = None,
) -> None:
    """写出台账的一致副本，他人同时写入时也可。"""
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
    path: Annotated[str, typer.Argument(help="`zs backup` 做的备份（或任何 zs 台账文件）。")],
    db: Db = None,
) -> None:
    """用备份恢复台账。先检查该文件；现有台账另存一旁。"""
    from pathlib import Path

    from zhaoshang import db_backup

    ledger, aside = db_backup.restore(ledger_of(db), Path(path))
    done(f"restored {path} into {ledger}; the ledger as it was is kept in {aside}")
