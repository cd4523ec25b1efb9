"""Migrate a ledger: which migrations it has and lacks, and applying those it lacks.

Refuses another application's database, a newer zs's ledger, and (when only read) a ledger that
would need upgrading. A SQLite ledger is copied beside itself before it is upgraded.
"""

from pathlib import Path

from sqlalchemy import Engine, inspect, text

from zhaoshang.db import NO_LEDGER, utcnow
from zhaoshang.db_backup import backup
from zhaoshang.errors import ZsError
from zhaoshang.migrations import _DIALECT_WORDS, MIGRATION_TABLE_DDL, MIGRATIONS

MIGRATION_LOCK = 0x7A5  # PostgreSQL advisory lock held while a process migrates the ledger


def _versions(engine: Engine, location: str, field: str) -> tuple[set[str], list[str]]:
    """The migrations a ledger has and those it lacks; refuses another application's database and a
    newer zs's ledger."""
    known = [name for name, _ in MIGRATIONS]
    with engine.connect() as conn:
        applied = _applied(conn)
        if not applied and inspect(conn).get_table_names():
            raise ZsError(field, location, "a zs ledger or a new file", "this database holds other tables")
    newer = applied - set(known)
    if newer:
        raise ZsError(
            field,
            location,
            "a ledger of this zs version or older",
            f"it was written by a newer zs (migration {sorted(newer)[-1]})",
        )
    return applied, [name for name in known if name not in applied]


def _current(engine: Engine, location: str, field: str) -> None:
    """A ledger that is only read must need no migration: reading it as it is would misread it."""
    applied, pending = _versions(engine, location, field)
    if not applied:
        raise ZsError(field, location, "a zs ledger", "it holds no ledger yet and zs may not write it")
    if pending:
        raise ZsError(
            field,
            location,
            "a ledger you may write, so that zs can upgrade it",
            f"the ledger is read-only and was written by an older zs (it lacks migration {pending[0]})",
        )


def _applied(conn) -> set[str]:
    if not inspect(conn).has_table("zs_migration"):
        return set()
    return {row[0] for row in conn.execute(text("SELECT name FROM zs_migration"))}


def migrate(
    engine: Engine, location: str, field: str = "--db", keep_before: bool = True, new: bool = True
) -> list[str]:
    """Apply the migrations this ledger lacks, each in one transaction with its record. A SQLite
    ledger is first copied beside itself (`keep_before`), as it was. A database with no ledger yet
    (an empty file or schema) is made one only when `new` says so."""
    applied, pending = _versions(engine, location, field)
    if not pending:
        return []
    if not applied and not new:
        raise ZsError(field, location, NO_LEDGER, "it holds no ledger yet")
    if applied and keep_before and engine.dialect.name == "sqlite":
        ledger = Path(engine.url.database)
        backup(engine, ledger.with_name(f"{ledger.name}.before-{pending[0]}-{utcnow():%Y%m%d-%H%M%S}.bak"))
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
            conn.execute(
                text("INSERT INTO zs_migration (name, applied_at) VALUES (:n, :t)"), {"n": name, "t": utcnow()}
            )
            done.append(name)
    return done
