"""Open a ledger and hand out sessions: find it, connect, set SQLite's pragmas, migrate once (by
zhaoshang.db_migrate), then sessions that read or write, with database errors said in one line.

SQLite-specific settings live here and nowhere else, so that the rest of the code speaks portable
SQL through SQLAlchemy. Migrating is in zhaoshang.db_migrate; backup and restore in zhaoshang.db_backup.
"""

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError, IntegrityError
from sqlmodel import Session

from zhaoshang.errors import ZsError

LOCK_WAIT_S = 30  # how long a writer waits for another's write lock, unless ZS_LOCK_WAIT says


def lock_wait() -> int:
    """Seconds a writer waits for the write lock another program holds: ZS_LOCK_WAIT, else 30."""
    value = os.environ.get("ZS_LOCK_WAIT", "").strip()
    if not value:
        return LOCK_WAIT_S
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 3600):
        raise ZsError("ZS_LOCK_WAIT", value, "a whole number of seconds from 1 to 3600")
    return int(value)


# Names that moved to the module owning them, still importable from here (as zhaoshang.db.NAME).
_MOVED = {
    "MIGRATION_LOCK": "zhaoshang.db_migrate",
    "migrate": "zhaoshang.db_migrate",
    "backup": "zhaoshang.db_backup",
    "check_ledger_file": "zhaoshang.db_backup",
    "made_by": "zhaoshang.db_backup",
    "restore": "zhaoshang.db_backup",
}


def __getattr__(name: str):
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --- locate and open ------------------------------------------------------------------------------


def _is_url(location: str) -> bool:
    return "://" in location


def file_of(location: str, field: str = "--db") -> Path | None:
    """The SQLite file a ledger location names (a path or a sqlite:/// URL); None for a server's URL.
    Refuses an empty location and a SQLite URL that names no file (an in-memory database)."""
    if location == "":
        raise ZsError(field, location, "a ledger file or a database URL", "it is empty")
    if not _is_url(location):
        return Path(location).expanduser()
    try:
        url = make_url(location)
    except ArgumentError as exc:
        raise ZsError(field, location, "a ledger path, or a database URL", str(exc)) from exc
    if url.get_backend_name() != "sqlite":
        return None
    if url.database in (None, "", ":memory:"):
        raise ZsError(
            field,
            location,
            "a ledger file (sqlite:///PATH) or a database server's URL",
            "it names no file: an in-memory ledger would be gone when zs exits",
        )
    return Path(url.database).expanduser()


def _reason(exc: Exception) -> str:
    """What went wrong, in the system's words (an OSError without the path, which is said already)."""
    return exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)


def _may_write(path: Path, location: str, field: str, create: bool, new: bool = False) -> bool:
    """Whether zs may write the ledger file at `path` (and, in WAL mode, the files beside it); makes
    its folder when a `new` ledger may be created there. os.access decides, as the system would."""
    try:
        if path.is_dir():
            raise ZsError(field, location, "a ledger file, not a directory")
        exists = path.exists()
        if exists and not path.is_file():  # /dev/null, a pipe: SQLite would misread or hang on it
            raise ZsError(field, location, "a ledger file", "it is not a regular file")
        if not exists:
            if not create:
                raise ZsError(field, location, "an existing ledger file", "there is no such file")
            if not new:
                raise ZsError(field, location, NO_LEDGER, "there is no such file")
            path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError) as exc:
        raise ZsError(
            field, location, "a path where a ledger file can be written", "a part of its folder is a file, not a folder"
        ) from exc
    except OSError as exc:
        raise ZsError(field, location, "a path where a ledger file can be written", _reason(exc)) from exc
    folder = os.access(path.parent, os.W_OK)
    if not exists:
        if not folder:
            raise ZsError(field, location, "a path where a ledger file can be written", "its folder is read-only")
        return True
    return folder and os.access(path, os.W_OK)


def read_connection(path: Path):
    """A sqlite3 connection that reads a ledger file and leaves it as it found it: never a write, never
    another journal mode. Where zs may write the file, it is opened read-write but told to write
    nothing (query_only): as the last connection to close, it removes the -wal and -shm files that
    reading a WAL file makes. Else it is read-only, and where nothing can be written beside it (a
    read-only folder, no -wal file) also immutable: no -shm is needed, and no writer can exist."""
    import sqlite3

    uri = path.resolve().as_uri()
    if os.access(path, os.W_OK) and os.access(path.parent, os.W_OK):
        uri += "?mode=rw"
    elif os.access(path.parent, os.W_OK) or Path(f"{path}-wal").exists():
        uri += "?mode=ro"
    else:
        uri += "?mode=ro&immutable=1"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = ON")
    return conn


def _sqlite_engine(path: Path, writable: bool) -> Engine:
    url = URL.create("sqlite", database=str(path))
    if writable:
        engine = create_engine(url)
    else:
        engine = create_engine(url, execution_options={"zs_read_only": True}, creator=lambda: read_connection(path))
    _sqlite_events(engine, writable)
    return engine


def _sqlite_events(engine: Engine, writable: bool) -> None:
    wait_ms = lock_wait() * 1000

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # We issue BEGIN ourselves (below) so that writers take the lock up front.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {wait_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if writable:  # a file only read is left in the journal mode it has
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        # A writer asks for the write lock when it begins, not half-way through: two writers
        # then queue on busy_timeout instead of one failing with "database is locked".
        mode = "IMMEDIATE" if conn.get_execution_options().get("zs_write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")


def _log_statements(engine: Engine, value: str) -> None:
    """ZS_SQL_LOG=FILE: append every statement with its parameters, one JSON line each (for the
    benchmark, which replays a report's queries in plain sqlite3, and for anyone debugging)."""
    import json

    path = Path(value)
    try:
        with path.open("a", encoding="utf-8"):
            pass
    except OSError as exc:
        raise ZsError("ZS_SQL_LOG", value, "a file that can be written, in a folder that exists", _reason(exc)) from exc

    @event.listens_for(engine, "before_cursor_execute")
    def _log(_conn, _cursor, statement, parameters, _context, executemany) -> None:
        if executemany:
            return
        with path.open("a", encoding="utf-8") as handle:
            handle.write(
                json.dumps(
                    [statement, list(parameters) if isinstance(parameters, tuple | list) else parameters],
                    default=str,
                    ensure_ascii=False,
                )
                + "\n"
            )


NO_LEDGER = "a ledger made by `zs init` (or a command run as `zs --create …`)"


def connect(location: str | Path, field: str = "--db", new: bool = False) -> Engine:
    """An engine on a migrated ledger; refuses a file that is not a zs ledger. A ledger file zs may
    not write is opened to be read only: it is not migrated (and refused if it would need to be),
    and `writing` refuses it. Only with `new` is a ledger made where there is none (a missing file,
    an empty database): a mistyped --db is one line, not a new empty ledger that reports nothing."""
    return _open(str(location), field, create=True, new=new)


def open_readonly(location: str | Path, field: str = "--db") -> Engine:
    """An engine that only reads the ledger at `location`: nothing is created, migrated or switched to
    WAL, and `writing` refuses it. Refused in one line: a missing file, not a zs ledger, a ledger of
    a newer zs, or of an older one (which would need migrating). Its sessions read one snapshot."""
    return _open(str(location), field, create=False)


def _open(location: str, field: str, create: bool, new: bool = False) -> Engine:
    from zhaoshang.db_migrate import _current, migrate  # it uses this module: imported when first used

    path = file_of(location, field)
    if path is not None:
        writable = _may_write(path, location, field, create, new) and create
        engine = _sqlite_engine(path, writable)
    else:
        writable = create
        try:
            engine = create_engine(location, execution_options={} if create else {"zs_read_only": True})
        except (ImportError, ArgumentError) as exc:  # a driver not installed, a URL that is not one
            raise ZsError(
                field,
                location,
                "a ledger path, or a database URL whose driver is installed "
                "(postgresql+psycopg://…: pip install 'zhaoshang[postgres]')",
                str(exc),
            ) from exc
    try:
        if os.environ.get("ZS_SQL_LOG"):
            _log_statements(engine, os.environ["ZS_SQL_LOG"])
        _reach(engine, location, field)
        if writable:
            migrate(engine, location, field, new=new)
        else:
            _current(engine, location, field)
    except ZsError:
        engine.dispose()
        raise
    except DatabaseError as exc:
        engine.dispose()
        raise _database_error(location, exc, field, "a zs ledger (a SQLite file written by zs)") from exc
    return engine


def _reach(engine: Engine, location: str, field: str) -> None:
    """Connect once: a server that cannot be reached is said as such, not blamed on the ledger."""
    try:
        engine.connect().close()
    except DBAPIError as exc:
        if engine.dialect.name == "sqlite":
            raise
        url = engine.url
        place = f"{url.host}:{url.port or 5432}" if url.host else "its local socket"
        first = str(exc.orig or exc).strip().splitlines()[0]
        reason = first.rsplit(" failed: ", 1)[-1].removeprefix("FATAL:").strip()
        raise ZsError(
            field,
            location,
            "a database server running there that lets this user in",
            f"connecting to the server at {place} failed ({reason})",
        ) from exc


# --- sessions -------------------------------------------------------------------------------------


def _read_only(engine: Engine) -> bool:
    return bool(engine.get_execution_options().get("zs_read_only"))


def _named(engine: Engine) -> str:
    """A ledger as a reader named it: its file, or its server's URL (without a password)."""
    if engine.dialect.name == "sqlite":
        return str(engine.url.database)
    return engine.url.render_as_string(hide_password=True)


def _refuse_read_only(engine: Engine) -> ZsError:
    return ZsError("--db", _named(engine), "a ledger you may write", "the ledger is read-only")


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


def _sqlite_datetime(value):
    """A timestamp as sqlite3's own adapter writes it, worked out once per batch (see bulk_insert)."""
    return value.isoformat(" ") if isinstance(value, datetime) else value


def _then_text(processor):
    return lambda value: _sqlite_datetime(processor(value))


@contextmanager
def indexes_built_after(session: Session, tables) -> Iterator[None]:
    """On SQLite, load rows into `tables` with their secondary indexes dropped and build each once
    at the end, in the same transaction: writing a million rows into four indexes at random places
    costs several times sorting them once. A load that fails is rolled back by its caller, and the
    indexes with it. Nothing is dropped elsewhere, or while an index would serve the load's own
    queries (the caller says when: see import_activities)."""
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        yield
        return
    names = [t.name for t in tables]
    found = conn.exec_driver_sql(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        f" AND tbl_name IN ({', '.join('?' * len(names))}) ORDER BY name",
        tuple(names),
    ).all()
    for name, _ in found:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    yield
    for _, sql in found:
        conn.exec_driver_sql(sql)


def bulk_insert(session: Session, table, rows: list[dict]) -> None:
    """Insert many rows of one shape fast: on SQLite, the driver's executemany with each value made
    ready by its column type's own bind processor, naming only the columns some row fills (a column
    empty in every row, with no default of its own, is left to be NULL: binding a million NULLs
    costs more than the rest of the row); elsewhere SQLAlchemy's executemany."""
    if not rows:
        return
    conn = session.connection()
    if conn.dialect.name != "sqlite":
        from sqlalchemy import insert

        conn.execute(insert(table), rows)
        return
    defaulted = {
        name for _, name, *_, default, _ in conn.exec_driver_sql(f"PRAGMA table_info({table.name})") if default
    }
    columns = [c for c in rows[0] if c in defaulted or any(row[c] is not None for row in rows)]
    sql = f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    processed = []
    for index, column in enumerate(columns):
        processor = table.c[column].type.bind_processor(conn.dialect)
        if isinstance(rows[0][column], datetime):  # written as the driver would, once per value
            processor = _sqlite_datetime if processor is None else _then_text(processor)
        if processor is not None:
            processed.append((index, processor))
    values = [[row[c] for c in columns] for row in rows]
    for index, processor in processed:
        done: dict = {None: None}  # a batch repeats its dates and its stamp (created_at): each processed once
        for row in values:
            value = row[index]
            if value in done:
                row[index] = done[value]
            else:
                row[index] = done[value] = processor(value)
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
    none of it (any exception rolls back). A ledger opened only to read is refused."""
    from zhaoshang import history as changes
    from zhaoshang.invocation import COMMAND

    if _read_only(engine):
        raise _refuse_read_only(engine)
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
        except OverflowError as exc:  # a number past 64 bits, refused by the driver before the database
            session.rollback()
            raise _out_of_range(engine, exc) from exc
        except BaseException:
            session.rollback()
            raise


def _unusable(engine: Engine, exc: DatabaseError) -> ZsError:
    return _database_error(_named(engine), exc, "--db", "an undamaged ledger that can be read and written")


def _database_error(location: str, exc: DatabaseError, field: str, otherwise: str) -> ZsError:
    """A database error as one line saying what happened: a clash with a constraint, a value out of
    range, a server gone, a lock held too long, a full disk, a read-only file; else a damaged ledger."""
    orig = exc.orig if exc.orig is not None else exc
    message = " ".join(str(orig).split())
    lowered = message.lower()
    diag = getattr(orig, "diag", None)
    if isinstance(exc, IntegrityError):
        constraint = getattr(diag, "constraint_name", None)
        detail = " ".join((getattr(diag, "message_detail", None) or "").split())
        said = f"constraint {constraint}: {detail or message}" if constraint else message
        return ZsError(
            field,
            location,
            "a change that keeps to the ledger's constraints (another desk may "
            "have written the same record at the same moment: look, then try again)",
            f"the change clashes with a record already there ({said})",
        )
    if getattr(orig, "sqlstate", None) == "22003" or "integer overflow" in lowered or "out of range" in lowered:
        return _out_of_range(location, message, field)
    if getattr(exc, "connection_invalidated", False):
        return ZsError(
            field,
            location,
            "a database server that stays reachable",
            f"the connection to the server was lost ({message})",
        )
    if "database is locked" in lowered:
        return ZsError(
            field,
            location,
            "a ledger no other program keeps locked",
            f"another program held its write lock for over {lock_wait()} s",
        )
    if "disk is full" in lowered or "no space left" in lowered:
        return ZsError(field, location, "room on the disk for the ledger to grow", "the disk is full")
    if "readonly database" in lowered or "read-only" in lowered:
        return ZsError(field, location, "a ledger you may write", "the ledger is read-only")
    return ZsError(field, location, otherwise, message)


def _out_of_range(where: Engine | str, problem: object, field: str = "--db") -> ZsError:
    location = _named(where) if isinstance(where, Engine) else where
    return ZsError(
        field,
        location,
        "numbers the database can hold (amounts up to 10万亿元)",
        f"a value is out of range ({problem})",
    )


@contextmanager
def reading(engine: Engine) -> Iterator[Session]:
    """A session that reads one consistent snapshot for all it reads: one transaction (on SQLite, a
    read transaction is a snapshot; on PostgreSQL, REPEATABLE READ, read only)."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
    with Session(engine) as session:
        try:
            yield session
        except DatabaseError as exc:
            raise _unusable(engine, exc) from exc
        except OverflowError as exc:
            raise _out_of_range(engine, exc) from exc
