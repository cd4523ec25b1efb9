"""Whether a SQLite file holds a ledger zs can use whole, before it is put in a ledger's place.

A file can pass SQLite's integrity check and still break every command: a table dropped, a row
that refers to one that is not there, a stage or a date no reader understands, an amount no sum
can hold. `unusable(path)` names the first such problem in words, or gives None: the tables and
columns must be exactly those the migrations make, every reference must hold, and every value must
read back through its model's column type and pass the checks typed input passes.
"""

import json
import sqlite3
from datetime import date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Boolean, Date, DateTime, Integer, String, TypeDecorator
from sqlalchemy.dialects import sqlite
from sqlmodel import SQLModel

from zhaoshang import models  # noqa: F401  (registers the tables)
from zhaoshang.errors import ZsError
from zhaoshang.labels import ActivityKind, EventType, Mode, Origin, Role, Stage, UnitKind
from zhaoshang.parse import check_amount

# The columns that hold a code of a closed vocabulary.
CODES = {
    ("unit", "kind"): UnitKind,
    ("person", "role"): Role,
    ("project", "stage"): Stage,
    ("milestone", "stage"): Stage,
    ("fund", "origin"): Origin,
    ("activity", "kind"): ActivityKind,
    ("activity", "mode"): Mode,
    ("activity", "event_type"): EventType,
}
AMOUNTS = {("project", "amount_yuan"), ("fund", "amount_yuan")}
JSON = {("change", "payload")}


def unusable(path: Path) -> str | None:
    """The first reason the (migrated, integrity-checked) ledger file at `path` cannot be used, or None."""
    conn = sqlite3.connect(path)
    try:
        return _schema_problem(_shape(conn)) or _reference_problem(conn) or _value_problem(conn)
    finally:
        conn.close()


def _shape(conn: sqlite3.Connection) -> dict[str, tuple]:
    """Per table: its columns (type, not null, place in the primary key), references and indexes."""
    tables = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
        )
    ]
    shape = {}
    for table in tables:
        columns = {
            name: (kind.upper(), bool(not_null), pk)
            for name, kind, not_null, pk in conn.execute(
                'SELECT name, type, "notnull", pk FROM pragma_table_info(?)', (table,)
            )
        }
        references = sorted(conn.execute('SELECT "from", "table", "to" FROM pragma_foreign_key_list(?)', (table,)))
        indexes = sorted(
            (
                tuple(c for (c,) in conn.execute("SELECT name FROM pragma_index_info(?) ORDER BY seqno", (index,))),
                bool(unique),
            )
            for index, unique in conn.execute('SELECT name, "unique" FROM pragma_index_list(?)', (table,))
        )
        shape[table] = (columns, references, indexes)
    return shape


@cache
def _made() -> dict[str, tuple]:
    """The shape the migrations make, on a ledger made now in memory."""
    from sqlalchemy import create_engine

    from zhaoshang.db_migrate import migrate

    engine = create_engine("sqlite://")
    try:
        migrate(engine, ":memory:", keep_before=False)
        raw = engine.raw_connection()
        try:
            return _shape(raw.driver_connection)
        finally:
            raw.close()
    finally:
        engine.dispose()


def _schema_problem(shape: dict[str, tuple]) -> str | None:
    made = _made()
    for table in made:
        if table not in shape:
            return f"it lacks the table {table}"
    for table in shape:
        if table not in made:
            return f"it holds a table zs does not make ({table})"
    for table, (columns, references, indexes) in made.items():
        got_columns, got_references, got_indexes = shape[table]
        for column, want in columns.items():
            if column not in got_columns:
                return f"table {table} lacks the column {column}"
            if got_columns[column] != want:
                return (
                    f"table {table} column {column} is {_column(got_columns[column])}, "
                    f"not {_column(want)} as zs makes it"
                )
        for column in got_columns:
            if column not in columns:
                return f"table {table} has a column zs does not make ({column})"
        if got_references != references:
            return f"table {table} does not refer to other tables as zs makes it"
        if got_indexes != indexes:
            return f"table {table} does not have the indexes and unique keys zs makes"
    return None


def _column(shape: tuple) -> str:
    kind, not_null, pk = shape
    return " ".join([kind or "untyped", *(["NOT NULL"] if not_null else []), *(["PRIMARY KEY"] if pk else [])])


def _reference_problem(conn: sqlite3.Connection) -> str | None:
    dangling = conn.execute("PRAGMA foreign_key_check").fetchone()
    if dangling is None:
        return None
    table, rowid, parent, key = dangling
    (column,) = conn.execute('SELECT "from" FROM pragma_foreign_key_list(?) WHERE id = ?', (table, key)).fetchone()
    (value,) = conn.execute(f'SELECT "{column}" FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    return f"{_row(conn, table, rowid)} refers to {parent} {value}, which is not there"


def _row(conn: sqlite3.Connection, table: str, rowid: int) -> str:
    """A row named as a reader finds it: by its id, or (a link table) by the activity it belongs to."""
    if "id" in SQLModel.metadata.tables[table].c:
        return f"{table} {rowid}"
    (activity,) = conn.execute(f'SELECT activity_id FROM "{table}" WHERE rowid = ?', (rowid,)).fetchone()
    return f"{table} of activity {activity}"


def _value_problem(conn: sqlite3.Connection) -> str | None:
    dialect = sqlite.dialect()
    for table in SQLModel.metadata.sorted_tables:
        checks = [
            (index, column.name, _reader(column.type, dialect), column.nullable)
            for index, column in enumerate(table.columns, start=1)
        ]
        names = ", ".join(f'"{column.name}"' for column in table.columns)
        for row in conn.execute(f'SELECT rowid, {names} FROM "{table.name}"'):
            for index, column, read, nullable in checks:
                value = row[index]
                if value is None:
                    if nullable:
                        continue
                    return f"{_row(conn, table.name, row[0])} has no {column}"
                wanted = read(value) or _domain(table.name, column, value)
                if wanted:
                    return f"{_row(conn, table.name, row[0])} {column} {value!r} is not {wanted}"
    return None


def _reader(kind, dialect):
    """A check that a stored value reads back as its column's type does: None, or what it is not."""
    inner = kind.impl if isinstance(kind, TypeDecorator) else kind
    process = kind.dialect_impl(dialect).result_processor(dialect, None)

    def read(value) -> str | None:
        if isinstance(inner, Boolean):
            return None if value in (0, 1) and isinstance(value, int) else "a yes/no (0 or 1)"
        if isinstance(inner, Integer):
            return None if isinstance(value, int) else "a whole number"
        if isinstance(inner, Date | DateTime):
            wanted, what = (datetime, "a date and time") if isinstance(inner, DateTime) else (date, "a date")
            try:
                read_back = process(value) if process else value
            except (ValueError, TypeError, OverflowError):
                return what
            return None if isinstance(read_back, wanted) else what
        if isinstance(inner, String):
            return None if isinstance(value, str) else "text"
        return None

    return read


def _domain(table: str, column: str, value) -> str | None:
    vocabulary = CODES.get((table, column))
    if vocabulary is not None and value not in {code.value for code in vocabulary}:
        return f"one of {', '.join(code.value for code in vocabulary)}"
    if (table, column) in AMOUNTS:
        try:
            check_amount(value, column)
        except ZsError as exc:
            return exc.expected
    if (table, column) in JSON:
        try:
            json.loads(value)
        except ValueError:
            return "the JSON zs writes"
    return None
