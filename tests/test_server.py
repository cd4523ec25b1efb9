"""One ledger for a whole city: what only a PostgreSQL server shows — many desks writing at once,
several processes upgrading a new ledger at once, and the migrated schema on that engine.

Runs when ZS_TEST_PG names a server (`.ci/run` starts one); every other ledger test runs on both
engines through the `engine` fixture.
"""

import subprocess
import sys

import pytest
from conftest import count_rows
from sqlalchemy import create_engine, inspect, text
from sqlmodel import SQLModel
from test_robustness import WRITER
from test_store import _schema

from zhaoshang import db as database
from zhaoshang import models  # noqa: F401  (registers the tables)
from zhaoshang.errors import ZsError
from zhaoshang.migrations import MIGRATIONS

ENGINES = ("postgresql",)


def test_sixteen_desks_logging_at_once_lose_nothing(office):
    workers, each = 16, 10  # sixteen at once is the point; the counts below follow from these
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(office.db), str(w), str(each)], stderr=subprocess.PIPE, text=True
        )
        for w in range(workers)
    ]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * workers, errors
    counts = count_rows(office.db)
    assert (counts["activity"], counts["activity_company"]) == (workers * each, workers * each)
    assert len({r["companies"][0] for r in office.json("log", "list", "--all")}) == workers * each


def test_processes_opening_a_new_ledger_at_once_migrate_it_once(ledgers):
    url = ledgers.new()
    code = "import sys; from zhaoshang import db; db.connect(sys.argv[1]).dispose()"
    procs = [subprocess.Popen([sys.executable, "-c", code, url], stderr=subprocess.PIPE, text=True) for _ in range(4)]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    engine = create_engine(url)
    with engine.connect() as conn:
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM zs_migration ORDER BY name")]
    engine.dispose()
    assert names == [name for name, _ in MIGRATIONS]


def test_a_fresh_server_ledger_has_exactly_the_schema_the_models_describe(ledgers):
    engine = database.connect(ledgers.new())
    tables = sorted(SQLModel.metadata.tables)
    migrated = inspect(engine)
    assert sorted(set(migrated.get_table_names()) - {"zs_migration"}) == tables
    reference_url = ledgers.new("reference")
    reference = create_engine(reference_url)
    SQLModel.metadata.create_all(reference)
    assert _schema(migrated, tables) == _schema(inspect(reference), tables)
    engine.dispose()
    reference.dispose()


def test_backup_of_a_server_ledger_points_to_the_servers_own_tools(office):
    assert office.fails("backup", "copy.db") == (
        f"zs: --db '{office.db}': expected a SQLite ledger file (back up a database server with its own tools)"
    )


def test_the_server_runs_in_asia_shanghai_as_the_offices_do(ledgers):
    """`.ci/postgres` starts the server in Asia/Shanghai (UTC+8), so that every server test shows
    whether a time depends on the server's zone."""
    engine = create_engine(ledgers.new())
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SHOW TimeZone").scalar() == "Asia/Shanghai"
    engine.dispose()


def test_a_command_keeps_no_connection_open_after_it_ends(office):
    name = "zs-dispose-check"
    ledger = f"{office.db}&application_name={name}"
    for _ in range(5):
        office("unit", "list", "--db", ledger)
        office("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲", "--db", ledger)
    admin = create_engine(office.db)
    with admin.connect() as conn:
        left = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :n"), {"n": name}
        ).scalar()
    admin.dispose()
    assert left == 0


def test_a_lost_connection_is_said_as_such(office):
    engine = database.connect(office.db)
    with pytest.raises(ZsError) as refused, database.reading(engine) as session:
        session.execute(text("SELECT pg_terminate_backend(pg_backend_pid())")).all()
    engine.dispose()
    assert refused.value.problem.startswith("the connection to the server was lost (")
    assert refused.value.expected == "a database server that stays reachable"
