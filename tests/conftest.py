"""Fixtures: `zs` runs the command line in-process against a fresh ledger.

The ledger tests run on SQLite, and on PostgreSQL too when ZS_TEST_PG names a server
(`postgresql+psycopg://USER@HOST:PORT/DB`, as `.ci/run` sets it): each test then gets a schema of
its own on that server. A module that is about SQLite files themselves says so with
`ENGINES = ("sqlite",)`.
"""

import atexit
import functools
import json
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhaoshang.cli import app

ROOT = Path(__file__).resolve().parent.parent
TEST_PLAN = ROOT / "tests" / "fixtures" / "plan-2023.yaml"  # the tests' plan: see its header
TABLES = (
    "unit",
    "person",
    "project",
    "milestone",
    "fund",
    "project_note",
    "activity",
    "activity_company",
    "activity_unit",
    "activity_person",
    "company",
    "company_tier",
    "activity_project",
)
EMPTY = dict.fromkeys(TABLES, 0)  # the rows of a ledger that holds nothing yet
PG = os.environ.get("ZS_TEST_PG")


def pytest_generate_tests(metafunc):
    if "engine" in metafunc.fixturenames:
        # `@pytest.mark.engines("sqlite")`: a test of what happens before any ledger is opened (a refusal
        # at the door) runs on one engine; otherwise each module's ENGINES, by default both.
        marker = metafunc.definition.get_closest_marker("engines")
        wanted = marker.args if marker else getattr(metafunc.module, "ENGINES", ("sqlite", "postgresql"))
        engines = [e for e in wanted if e == "sqlite" or PG]
        metafunc.parametrize("engine", engines, scope="module")


class Ledgers:
    """Hands out fresh ledger locations on one engine: files in a folder, or schemas on a server."""

    def __init__(self, engine: str, folder: Path):
        self.engine, self.folder, self.schemas = engine, folder, []

    def new(self, name: str = "ledger", made: bool = True):
        """A fresh ledger's location: an empty ledger there (as `zs init` leaves it before it loads
        units), or with `made=False` nothing yet (a file not there, an empty schema)."""
        if self.engine == "sqlite":
            path = self.folder / f"{name}.db"
            if made:
                shutil.copyfile(_empty_sqlite_ledger(), path)
            return path
        from sqlalchemy import create_engine, text

        schema = f"t_{uuid.uuid4().hex[:16]}"
        admin = create_engine(PG)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        admin.dispose()
        self.schemas.append(schema)
        location = f"{PG}?options=-csearch_path%3D{schema}"
        if made:
            from zhaoshang import db

            db.connect(location, new=True).dispose()
        return location

    def close(self) -> None:
        if not self.schemas:
            return
        from sqlalchemy import create_engine, text

        admin = create_engine(PG)
        with admin.begin() as conn:
            for schema in self.schemas:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@functools.cache
def _empty_sqlite_ledger() -> Path:
    """One migrated, empty SQLite ledger per test process, copied for each test (cheaper than
    migrating a file for every one)."""
    from zhaoshang import db

    folder = Path(tempfile.mkdtemp(prefix="zs-empty-ledger-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "empty.db"
    db.connect(path, new=True).dispose()
    return path


def url_of(location) -> str:
    return str(location) if "://" in str(location) else f"sqlite:///{location}"


def count_rows(location, tables=TABLES) -> dict[str, int]:
    """Rows per table of a ledger ({} if it has not been created yet), on either engine."""
    from sqlalchemy import create_engine, inspect, text

    if "://" not in str(location) and not Path(location).exists():
        return {}
    engine = create_engine(url_of(location))
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("unit"):
                return {}
            return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in tables}
    finally:
        engine.dispose()


class Zs:
    """Runs `zs` in-process against a ledger of its own."""

    def __init__(self, db, ledgers: Ledgers):
        self.db, self.ledgers = db, ledgers
        self.runner = CliRunner()

    def __call__(self, *args, code: int = 0):
        result = self.runner.invoke(app, [str(a) for a in args], catch_exceptions=False)
        assert result.exit_code == code, f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
        return result

    def json(self, *args):
        return json.loads(self(*args, "--json").stdout)

    def fails(self, *args, code: int = 1) -> str:
        """Run a command that must be refused; return its single stderr line."""
        before = self.counts()
        result = self(*args, code=code)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert "Traceback" not in result.output
        assert self.counts() == before, "a refused command wrote to the ledger"
        return lines[0]

    def counts(self) -> dict[str, int]:
        return count_rows(self.db)

    def fresh(self, name: str, made: bool = True):
        """Another empty ledger on the same engine, for tests that need two (`made=False`: nothing there yet)."""
        return self.ledgers.new(name, made)


@pytest.fixture
def ledgers(engine, tmp_path):
    made = Ledgers(engine, tmp_path)
    yield made
    made.close()


@pytest.fixture
def zs(ledgers, tmp_path, monkeypatch) -> Zs:
    db = ledgers.new()
    monkeypatch.setenv("ZS_DB", str(db))
    # The tests' plan (weights and points of their choosing), not the office's file, unless a test says so.
    monkeypatch.setenv("ZS_TARGETS", str(TEST_PLAN))
    monkeypatch.chdir(tmp_path)
    return Zs(db, ledgers)


@pytest.fixture
def office(zs) -> Zs:
    """A ledger holding the units and people of the 文昌湖区 plan (the tests' copy, tests/fixtures/plan-2023.yaml)."""
    zs("init", "--targets", TEST_PLAN)
    return zs
