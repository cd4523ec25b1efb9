"""Nothing lost under load or crash: concurrent writers, a reader meanwhile, a killed import."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

from conftest import ROOT

ENGINES = ("sqlite",)  # SQLite files under load and SIGKILL; test_server.py loads the server

WRITER = """
import sys
from typer.testing import CliRunner
from zhaoshang.cli import app
db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
runner = CliRunner()
for i in range(count):
    result = runner.invoke(app, ["log", "visit", "--db", db, "--unit", "萧镇", "--date", "2023-03-01",
                                 "--company", f"企业{worker}-{i}"])
    if result.exit_code != 0:
        sys.exit(result.stderr or result.output)
"""

READER = """
import json, sys, time
from typer.testing import CliRunner
from zhaoshang.cli import app
db, seconds = sys.argv[1], float(sys.argv[2])
runner = CliRunner()
runs, deadline = 0, time.monotonic() + seconds
while time.monotonic() < deadline:
    result = runner.invoke(app, ["report", "quarter", "--db", db, "--quarter", "2023Q1", "--as-of", "2023-03-31",
                                 "--json"])
    if result.exit_code != 0:
        sys.exit(f"run {runs}: {result.stderr or result.output}")
    json.loads(result.stdout)
    runs += 1
print(runs)
"""


def test_eight_writers_lose_nothing_while_a_reader_reports(office):
    workers, each = 8, 50
    reader = subprocess.Popen([sys.executable, "-c", READER, str(office.db), "20"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(office.db), str(w), str(each)],
                                stderr=subprocess.PIPE, text=True) for w in range(workers)]
    errors = [p.communicate(timeout=600)[1] for p in writers]
    assert [p.returncode for p in writers] == [0] * workers, errors
    out, err = reader.communicate(timeout=120)
    assert reader.returncode == 0, err
    assert int(out) >= 3  # the reader really ran reports while the writers wrote
    with sqlite3.connect(office.db) as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == workers * each
        assert conn.execute("SELECT count(DISTINCT company) FROM activity_company").fetchone()[0] == workers * each
        assert conn.execute("SELECT count(*) FROM change WHERE command LIKE 'zs log visit%'").fetchone()[0] == 400
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _snapshot(db):
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_a_killed_import_leaves_the_ledger_exactly_as_before(office, tmp_path):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    rows = 200_000
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("日期,单位,类型,企业\n")
        for i in range(rows):
            handle.write(f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d},萧镇,走访企业,企业{i}\n")
    before = _snapshot(office.db)
    wal = office.db.with_name(office.db.name + "-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    proc = subprocess.Popen([sys.executable, "-m", "zhaoshang", "import", "activities", str(big), "--db",
                             str(office.db)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > wal_before + 2_000_000:
            break  # well into writing the batch
        time.sleep(0.01)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert _snapshot(office.db) == before
    with sqlite3.connect(office.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")  # and the ledger still takes writes
    assert len(office.json("log", "list")) == 2
