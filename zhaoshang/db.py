"""Open a ledger: find it, connect, set SQLite's pragmas, migrate once, hand out sessions.

SQLite-specific settings live here and nowhere else, so that the rest of the code speaks
portable SQL through SQLAlchemy.
"""

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlmodel import Session

from zhaoshang.errors import ZsError
from zhaoshang.migrations import _DIALECT_WORDS, MIGRATION_TABLE_DDL, MIGRATIONS

BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x7A5  # PostgreSQL advisory lock held while a process migrates the ledger


def _is_url(location: str) -> bool:
    return "://" in location


def _sqlite_events(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # We issue BEGIN ourselves (below) so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # A writer asks for the write lock when it begins, not half-way through: two writers
        # then queue on busy_timeout instead of one failing with "database is locked".
        mode = "IMMEDIATE" if conn.get_execution_options().get("zs_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _log_statements(engine: Engine, path: Path) -> None:
    """ZS_SQL_LOG=FILE: append every statement with its parameters, one JSON line each (for the
    benchmark, which replays a report's queries in plain sqlite3, and for anyone debugging)."""
    import json

    @event.listens_for(engine, "before_cursor_execute")
    def _log(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if executemany:
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps([statement, list(parameters) if isinstance(parameters, tuple | list)
                                     else parameters], default=str, ensure_ascii=False) + "\n")


def connect(location: str | Path) -> Engine:
    """An engine on a migrated ledger; refuses a file that is not a zs ledger."""
    location = str(location)
    if _is_url(location):
        url = location
    else:
        path = Path(location).expanduser()
        if path.is_dir():
            raise ZsError("--db", location, "a ledger file, not a directory")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ZsError("--db", location, "a path where a ledger file can be written", str(exc)) from exc
        url = f"sqlite:///{path}"
    try:
        engine = create_engine(url)
    except (ImportError, ArgumentError) as exc:  # a driver not installed, a URL that is not one
        raise ZsError("--db", location, "a ledger path, or a database URL whose driver is installed "
                      "(postgresql+psycopg://…: pip install 'zhaoshang[postgres]')", str(exc)) from exc
    if engine.dialect.name == "sqlite":
        _sqlite_events(engine)
    if os.environ.get("ZS_SQL_LOG"):
        _log_statements(engine, Path(os.environ["ZS_SQL_LOG"]))
    try:
        migrate(engine, location)
    except ZsError:
        engine.dispose()
        raise
    except (DatabaseError, OperationalError) as exc:
        engine.dispose()
        problem = str(exc.orig) if exc.orig is not None else str(exc)
        raise ZsError("--db", location, "a zs ledger (a SQLite file written by zs)", problem) from exc
    return engine


def _applied(conn) -> set[str]:
    if not inspect(conn).has_table("zs_migration"):
        return set()
    return {row[0] for row in conn.execute(text("SELECT name FROM zs_migration"))}


def migrate(engine: Engine, location: str) -> list[str]:
    """Apply the migrations this ledger lacks, each in one transaction with its record."""
    known = [name for name, _ in MIGRATIONS]
    with engine.connect() as conn:
        applied = _applied(conn)
        if not applied and inspect(conn).get_table_names():
            raise ZsError("--db", location, "a zs ledger or a new file", "this database holds other tables")
    newer = applied - set(known)
    if newer:
        raise ZsError("--db", location, "a ledger of this zs version or older",
                      f"it was written by a newer zs (migration {sorted(newer)[-1]})")
    if applied >= set(known):
        return []
    if applied and engine.dialect.name == "sqlite":
        pending = [name for name in known if name not in applied]
        stamp = utcnow().strftime("%Y%m%d-%H%M%S")
        backup(engine, Path(location).with_name(f"{Path(location).name}.before-{pending[0]}-{stamp}.bak"))
    done = []
    write_engine = engine.execution_options(zs_write=True)
    for name, apply in MIGRATIONS:
        with write_engine.begin() as conn:
            if conn.dialect.name == "postgresql":  # SQLite's BEGIN IMMEDIATE already serialises this
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            conn.execute(text(MIGRATION_TABLE_DDL.format(**_DIALECT_WORDS[conn.dialect.name])))
            if name in _applied(conn):
                continue  # another process got there first
            apply(conn)
            conn.execute(text("INSERT INTO zs_migration (name, applied_at) VALUES (:n, :t)"),
                         {"n": name, "t": utcnow()})
            done.append(name)
    return done


def _sqlite_path(engine: Engine, field: str = "--db") -> Path:
    if engine.dialect.name != "sqlite":
        raise ZsError(field, str(engine.url), "a SQLite ledger file (back up a database server with its own tools)")
    return Path(engine.url.database)


def backup(engine: Engine, target: Path) -> Path:
    """A consistent copy of the ledger while others may be writing (VACUUM INTO reads one snapshot)."""
    _sqlite_path(engine)
    target = Path(target)
    if target.exists():
        raise ZsError("path", str(target), "a path with no file yet", "it exists")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ZsError("path", str(target), "a path where a backup can be written", str(exc)) from exc
    import sqlite3

    raw = engine.raw_connection()  # outside any transaction: VACUUM may not run inside one
    try:
        raw.driver_connection.execute("VACUUM INTO ?", (str(target),))
    except sqlite3.Error as exc:
        raise ZsError("path", str(target), "a path where a backup can be written", str(exc)) from exc
    finally:
        raw.close()
    return target


def check_ledger_file(path: Path, field: str = "PATH") -> list[str]:
    """The migrations a file's ledger has; refuses a file that is missing, damaged or not a ledger."""
    import sqlite3

    path = Path(path)
    if not path.is_file():
        raise ZsError(field, str(path), "an existing ledger file")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
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
        raise ZsError(field, str(path), "a ledger of this zs version or older",
                      f"it was written by a newer zs (migration {sorted(newer)[-1]})")
    return names


def made_by(path: Path, command: str) -> bool:
    """Whether a SQLite ledger's first recorded change was `command` (e.g. a demo `zs demo` built)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            first = conn.execute("SELECT command FROM change ORDER BY id LIMIT 1").fetchone()
    except sqlite3.Error:
        return False
    return bool(first) and first[0].startswith(command)


def restore(location: str, source: Path) -> tuple[Path, Path]:
    """Replace a ledger's content with a backup, checked before the ledger is even opened; the current
    content is kept aside first, and an older backup is upgraded. (ledger path, where the old one went)"""
    import sqlite3

    check_ledger_file(source)
    engine = connect(location)
    ledger = _sqlite_path(engine)
    aside = backup(engine, ledger.with_name(f"{ledger.name}.before-restore-{utcnow():%Y%m%d-%H%M%S}.bak"))
    engine.dispose()
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(ledger, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        src.backup(dst)  # page by page under the destination's write lock: readers never see half
    finally:
        src.close()
        dst.close()
    connect(location).dispose()  # an older backup is upgraded now, with its own backup first
    return ledger, aside


def next_ids(session: Session, table) -> int | None:
    """The first id a bulk insert may use on SQLite (past any id ever given, so none is reused);
    None elsewhere, where the database hands out ids itself."""
    conn = session.connection()  # a writing session holds the write lock from its first statement
    if conn.dialect.name != "sqlite":
        return None
    top = conn.exec_driver_sql(f"SELECT coalesce(max(id), 0) FROM {table.name}").scalar()
    seq = conn.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table.name,)).scalar()
    return max(top, seq or 0) + 1


def insert_returning_ids(session: Session, table, rows: list[dict]) -> list[int]:
    """Insert many rows and give back their new ids, in order. On SQLite the ids are assigned here,
    under the write lock, past any id ever given; elsewhere the database hands them out."""
    if not rows:
        return []
    first = next_ids(session, table)
    if first is None:
        from sqlalchemy import insert

        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(session.connection().execute(statement, rows).scalars())
    ids = list(range(first, first + len(rows)))
    bulk_insert(session, table, [{"id": i, **row} for i, row in zip(ids, rows, strict=True)])
    return ids


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """Insert many rows of one shape fast: on SQLite, the driver's executemany with each value made
    ready by its column type's own bind processor; elsewhere SQLAlchemy's executemany."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        from sqlalchemy import insert

        conn.execute(insert(table), rows)
        return
    columns = list(rows[0])
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    plain, processed = [], []
    for index, column in enumerate(columns):
        processor = table.c[column].type.bind_processor(conn.dialect)
        (plain if processor is None else processed).append((index, processor))
    values = [list(row.values()) for row in rows]
    for index, processor in processed:
        last, done = object(), None
        for row in values:
            value = row[index]
            if value is not last:  # a batch repeats its stamp (created_at, …): process it once
                last, done = value, (None if value is None else processor(value))
            row[index] = done
    conn.exec_driver_sql(sql, [tuple(row) for row in values])


def utcnow() -> datetime:
    return datetime.now(UTC)


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry inside some containers
        return os.environ.get("USER") or "unknown"


@contextmanager
def writing(engine: Engine, history: bool = True) -> Iterator[Session]:
    """One unit of work that writes: all of it lands, with its record in the change history, or
    none of it (any exception rolls back)."""
    from zhaoshang import history as changes
    from zhaoshang.invocation import COMMAND

    with Session(engine.execution_options(zs_write=True)) as session:
        session.info.update(actor=current_user(), now=utcnow())
        changes.track(session)
        try:
            yield session
            if history:
                changes.record(session, COMMAND.get())
            session.commit()
        except DatabaseError as exc:
            session.rollback()
            raise _unusable(engine, exc) from exc
        except BaseException:
            session.rollback()
            raise


def _unusable(engine: Engine, exc: DatabaseError) -> ZsError:
    """A database error as one line: a damaged file, a full disk, a lock held too long."""
    return ZsError("--db", str(engine.url.database or engine.url), "an undamaged ledger that can be read and written",
                   str(exc.orig) if exc.orig is not None else str(exc))


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        try:
            yield session
        except DatabaseError as exc:
            raise _unusable(engine, exc) from exc
