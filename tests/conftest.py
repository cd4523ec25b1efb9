import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from zhaoshang.cli import app

ROOT = Path(__file__).resolve().parent.parent
TABLES = ("unit", "person", "project", "milestone", "fund", "project_note", "activity",
          "activity_company", "activity_project")


class Zs:
    """Runs `zs` in-process against a ledger in a temporary directory."""

    def __init__(self, db: Path):
        self.db = db
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
        if not self.db.exists():
            return {}
        with sqlite3.connect(self.db) as conn:
            return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}


@pytest.fixture
def zs(tmp_path, monkeypatch) -> Zs:
    monkeypatch.setenv("ZS_DB", str(tmp_path / "ledger.db"))
    monkeypatch.delenv("ZS_TARGETS", raising=False)
    monkeypatch.chdir(tmp_path)
    return Zs(tmp_path / "ledger.db")


@pytest.fixture
def office(zs) -> Zs:
    """A ledger holding the units and people of the shipped 文昌湖区 targets.yaml."""
    zs("init", "--targets", ROOT / "config" / "targets.yaml")
    return zs
