"""The ledger file: schema from migrations equals the models; locating, refusing, concurrent writers."""

import sqlite3
import subprocess
import sys

from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel

from zhaoshang import db as database
from zhaoshang import models  # noqa: F401  (registers the tables)
from zhaoshang.migrations import MIGRATIONS

ENGINES = ("sqlite",)  # about SQLite files themselves: see conftest


def _schema(inspector, tables):
    shape = {}
    for table in tables:
        columns = {c["name"]: (c["type"].python_type, c["nullable"] or c.get("primary_key", 0) > 0)
                   for c in inspector.get_columns(table)}
        pk = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
        fks = sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                     for f in inspector.get_foreign_keys(table))
        indexes = sorted((tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table))
        uniques = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        shape[table] = (columns, pk, fks, indexes, uniques)
    return shape


def test_a_fresh_ledger_has_exactly_the_schema_the_models_describe(tmp_path):
    engine = database.connect(tmp_path / "ledger.db")
    migrated = inspect(engine)
    reference = create_engine("sqlite://")
    SQLModel.metadata.create_all(reference)
    described = inspect(reference)
    tables = sorted(SQLModel.metadata.tables)
    assert sorted(set(migrated.get_table_names()) - {"zs_migration", "sqlite_sequence"}) == tables
    assert _schema(migrated, tables) == _schema(described, tables)


def test_migrations_are_recorded_and_run_once(tmp_path):
    path = tmp_path / "ledger.db"
    database.connect(path).dispose()
    database.connect(path).dispose()
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM zs_migration ORDER BY name")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert names == [name for name, _ in MIGRATIONS] == ["0001_initial", "0002_change_history", "0003_change_source"]


def test_the_ledger_is_found_by_option_then_environment_then_default(zs, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    zs("unit", "add", "甲镇", "--kind", "town")
    zs("unit", "add", "乙镇", "--kind", "town", "--db", tmp_path / "other.db")
    monkeypatch.delenv("ZS_DB")
    zs("unit", "add", "丙镇", "--kind", "town")

    def names(path):
        with sqlite3.connect(path) as conn:
            return [r[0] for r in conn.execute("SELECT name FROM unit")]

    assert names(tmp_path / "ledger.db") == ["甲镇"]
    assert names(tmp_path / "other.db") == ["乙镇"]
    assert names(tmp_path / "data" / "zs" / "ledger.db") == ["丙镇"]


def test_a_file_that_is_not_a_ledger_is_refused_and_left_alone(zs, tmp_path):
    text_file = tmp_path / "notes.db"
    text_file.write_bytes(b"this is not a database, it is somebody's notes\n" * 100)
    line = zs.fails("unit", "list", "--db", text_file)
    assert line.startswith(f"zs: --db '{text_file}': file is not a database; expected a zs ledger")
    assert text_file.read_bytes() == b"this is not a database, it is somebody's notes\n" * 100

    other = tmp_path / "other-app.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    line = zs.fails("unit", "list", "--db", other)
    assert line == f"zs: --db '{other}': this database holds other tables; expected a zs ledger or a new file"
    assert zs.fails("unit", "list", "--db", tmp_path) == (
        f"zs: --db '{tmp_path}': expected a ledger file, not a directory")


def test_a_ledger_from_a_newer_zs_is_refused(zs, tmp_path):
    path = tmp_path / "ledger.db"
    database.connect(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO zs_migration VALUES ('0999_future', '2030-01-01')")
    assert zs.fails("unit", "list") == (
        f"zs: --db '{path}': it was written by a newer zs (migration 0999_future); "
        "expected a ledger of this zs version or older")


def test_processes_opening_a_new_ledger_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "fresh.db"
    code = "import sys; from zhaoshang import db; db.connect(sys.argv[1]).dispose()"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM zs_migration").fetchone()[0] == len(MIGRATIONS)


def test_a_url_without_its_driver_or_not_a_url_is_one_line(zs):
    line = zs.fails("unit", "list", "--db", "oracle+nosuchdriver://u@h/db")
    assert line.startswith("zs: --db 'oracle+nosuchdriver://u@h/db': ")
    assert line.endswith("expected a ledger path, or a database URL whose driver is installed "
                         "(postgresql+psycopg://…: pip install 'zhaoshang[postgres]')")
    assert zs.fails("unit", "list", "--db", "postgresql+psycopg://zs@127.0.0.1:1/none").startswith(
        "zs: --db 'postgresql+psycopg://zs@127.0.0.1:1/none': ")
