"""Back up and restore a SQLite ledger: a consistent copy while others write, the checks a ledger
file must pass, and a restore that swaps a checked, upgraded copy in under the write lock.

A file being written is written under a temporary name beside its final one and renamed when whole,
so that a file under a good name is always whole.
"""

import os
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DatabaseError

from zhaoshang.db import (
    _read_only,
    _reason,
    _refuse_read_only,
    _sqlite_engine,
    connect,
    lock_wait,
    read_connection,
    utcnow,
)
from zhaoshang.errors import ZsError
from zhaoshang.migrations import MIGRATIONS


def _sqlite_path(engine: Engine, field: str = "--db") -> Path:
    if engine.dialect.name != "sqlite":
        raise ZsError(field, str(engine.url), "a SQLite ledger file (back up a database server with its own tools)")
    return Path(engine.url.database)


@contextmanager
def _partial(final: Path, purpose: str) -> Iterator[Path]:
    """A fresh name beside `final` for a file being written, so that a file under a good name is always
    whole: write there, then os.replace. Whatever is left under it at the end is removed."""
    import secrets

    partial = final.with_name(f".{final.name[:40]}.{purpose}-{secrets.token_hex(4)}")  # short: any name fits
    try:
        yield partial
    finally:
        for leftover in ("", "-wal", "-shm", "-journal"):
            Path(f"{partial}{leftover}").unlink(missing_ok=True)


def backup(engine: Engine, target: Path) -> Path:
    """A consistent copy of the ledger while others may be writing (VACUUM INTO reads one snapshot),
    written under a temporary name and renamed when whole."""
    import sqlite3

    ledger = _sqlite_path(engine)
    target = Path(target)
    try:
        if target.exists():
            raise ZsError("path", str(target), "a path with no file yet", "it exists")
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZsError("path", str(target), "a path where a backup can be written", _reason(exc)) from exc
    with _partial(target, "partial") as partial:
        raw = engine.raw_connection()  # outside any transaction: VACUUM may not run inside one
        try:
            if _read_only(engine):  # VACUUM INTO writes with its reader's rights; copy the pages at once
                with closing(sqlite3.connect(partial)) as copy:
                    raw.driver_connection.backup(copy)
            else:
                from zhaoshang import progress

                progress.watch(lambda: partial.stat().st_size, ledger.stat().st_size)
                raw.driver_connection.execute("VACUUM INTO ?", (str(partial),))
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            raise ZsError("path", str(target), "a path where a backup can be written", _reason(exc)) from exc
        finally:
            raw.close()
    return target


def check_ledger_file(path: Path, field: str = "PATH") -> list[str]:
    """The migrations a file's ledger has; refuses a file that is missing, damaged or not a ledger."""
    import sqlite3

    path = Path(path)
    try:
        if not path.is_file():
            raise ZsError(field, str(path), "an existing ledger file")
        conn = read_connection(path)
    except (OSError, sqlite3.Error) as exc:
        raise ZsError(field, str(path), "an existing ledger file that can be read", _reason(exc)) from exc
    try:
        try:
            verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if verdict != "ok":
                raise ZsError(field, str(path), "an undamaged ledger", f"integrity check says: {verdict}")
            tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "zs_migration" not in tables:
                raise ZsError(field, str(path), "a zs ledger", "it has no zs schema")
            names = [row[0] for row in conn.execute("SELECT name FROM zs_migration ORDER BY name")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ZsError(field, str(path), "a zs ledger (a SQLite file written by zs)", str(exc)) from exc
    newer = set(names) - {name for name, _ in MIGRATIONS}
    if newer:
        raise ZsError(
            field,
            str(path),
            "a ledger of this zs version or older",
            f"it was written by a newer zs (migration {sorted(newer)[-1]})",
        )
    return names


def made_by(path: Path, command: str) -> bool:
    """Whether a SQLite ledger's first recorded change was `command` (e.g. a demo `zs demo` built)."""
    import sqlite3

    try:
        with closing(read_connection(Path(path))) as conn:
            first = conn.execute("SELECT command FROM change ORDER BY id LIMIT 1").fetchone()
    except (sqlite3.Error, OSError):
        return False
    return bool(first) and first[0].startswith(command)


def restore(location: str, source: Path) -> tuple[Path, Path]:
    """Replace a ledger's content with a backup; (the ledger's path, where its old content went).

    The backup is checked whole first: copied beside the ledger, upgraded there if it is older, and
    refused unless every reference, table, column and value is one zs can use. Then, under the
    ledger's write lock, the current content is copied aside and the backup put in its place: a
    write lands before (and is kept aside) or after (in the restored ledger), never in between."""
    import sqlite3

    from zhaoshang.ledger_file import unusable

    source = Path(source)
    check_ledger_file(source)
    engine = connect(location, new=True)  # a ledger lost whole is what a backup is for
    try:
        ledger = _sqlite_path(engine)
        if _read_only(engine):
            raise _refuse_read_only(engine)
        aside = ledger.with_name(f"{ledger.name}.before-restore-{utcnow():%Y%m%d-%H%M%S}.bak")
        with _partial(ledger, "restoring") as staged:
            _stage(source, staged)
            problem = unusable(staged)
            if problem:
                raise ZsError("PATH", str(source), "a ledger whose every record zs can read", problem)
            taken = []

            def take_aside(status, _remaining, _total) -> None:
                # Called after each page. Once one is copied (OK, not BUSY), the backup API holds the
                # ledger's write lock until it commits the last, so no write lands in between. A
                # ledger has a page per table: the first page is never the last.
                if not taken and status == sqlite3.SQLITE_OK:
                    taken.append(backup(engine, aside))

            with (
                closing(sqlite3.connect(staged)) as src,
                closing(sqlite3.connect(ledger, timeout=lock_wait())) as dst,
            ):
                try:
                    src.backup(dst, pages=1, progress=take_aside)  # one transaction on the ledger
                except sqlite3.Error as exc:
                    raise ZsError("--db", str(ledger), "a ledger that can be written", str(exc)) from exc
    finally:
        engine.dispose()
    return ledger, aside


def _stage(source: Path, staged: Path) -> None:
    """A copy of a backup at `staged`, upgraded to this zs's schema (the backup itself is left alone)."""
    import sqlite3

    from zhaoshang.db_migrate import migrate  # it backs up with this module: imported when first used

    with closing(read_connection(source)) as src, closing(sqlite3.connect(staged)) as dst:
        src.backup(dst)
    engine = _sqlite_engine(staged, writable=True)
    try:
        migrate(engine, str(source), "PATH", keep_before=False)
    except DatabaseError as exc:
        raise ZsError("PATH", str(source), "a zs ledger this zs can upgrade", str(exc.orig or exc)) from exc
    finally:
        engine.dispose()
