"""Nothing lost under load or crash: concurrent writers, a reader meanwhile, a killed import."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from conftest import ROOT
from typer.testing import CliRunner

from zhaoshang.cli import app

ENGINES = ("sqlite",)  # SQLite files under load and SIGKILL; test_server.py loads the server

WRITER = """
import sys
from typer.testing import CliRunner
from zhaoshang.cli import app
db, worker, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
runner = CliRunner()
def zs(*args):
    result = runner.invoke(app, [*args, "--db", db])
    if result.exit_code != 0:  # a fault zs did not foresee leaves no output: name the exception
        sys.exit(result.stderr or result.output or f"{' '.join(args)}: {result.exception!r}")
    return result.stdout
for i in range(count):
    zs("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", f"企业{worker}-{i}")
    if i % 5 == 0:  # a project, its signing and a fund: three changes that touch the same tables
        zs("project", "add", f"项目{worker}-{i}", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-02-01")
        zs("project", "advance", f"项目{worker}-{i}", "--to", "签约", "--date", "2023-03-02")
        zs("project", "fund", f"项目{worker}-{i}", "--amount", "1000万", "--origin", "省外", "--date", "2023-03-03")
"""

READER = """
import json, os, sys
from typer.testing import CliRunner
from zhaoshang.cli import app
db, stop = sys.argv[1], sys.argv[2]
runner = CliRunner()
runs = 0
while not os.path.exists(stop) or runs == 0:
    result = runner.invoke(app, ["report", "quarter", "--db", db, "--quarter", "2023Q1", "--as-of", "2023-03-31",
                                 "--json"])
    if result.exit_code != 0:
        sys.exit(f"run {runs}: {result.stderr or result.output}")
    json.loads(result.stdout)
    runs += 1
print(runs)
"""


def test_sixteen_writers_lose_nothing_while_a_reader_reports(office):
    workers, each = 16, 10
    projects = workers * len(range(0, each, 5))  # a writer adds a project every fifth visit
    with sqlite3.connect(office.db) as conn:
        changes_before = conn.execute("SELECT count(*) FROM change").fetchone()[0]
    stop = office.db.with_name("writers-done")
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(office.db), str(stop)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        writers = [
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(office.db), str(w), str(each)],
                stderr=subprocess.PIPE,
                text=True,
                # What is asserted is that nothing is lost. Sixteen writers on two busy cores may each
                # wait far longer than an office ever does; the wait's own limit has a test below.
                env={**os.environ, "ZS_LOCK_WAIT": "600"},
            )
            for w in range(workers)
        ]
        errors = [p.communicate(timeout=600)[1] for p in writers]
    finally:  # the reader stops when the writers do, even when one of them fails
        stop.touch()
    try:
        out, err = reader.communicate(timeout=120)
    finally:
        reader.kill()
    assert [p.returncode for p in writers] == [0] * workers, errors
    assert reader.returncode == 0, err
    assert int(out) >= 2  # the reader reported the whole time the writers wrote
    with sqlite3.connect(office.db) as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == workers * each
        assert conn.execute("SELECT count(DISTINCT company) FROM activity_company").fetchone()[0] == workers * each
        assert (
            conn.execute("SELECT count(*) FROM change WHERE command LIKE 'zs log visit%'").fetchone()[0]
            == workers * each
        )
        assert conn.execute("SELECT count(*) FROM project").fetchone()[0] == projects
        assert conn.execute("SELECT count(*) FROM milestone WHERE stage = 'signed'").fetchone()[0] == projects
        assert conn.execute("SELECT sum(amount_yuan) FROM fund").fetchone()[0] == projects * 10_000_000
        assert (
            conn.execute("SELECT count(*) FROM change").fetchone()[0] == changes_before + workers * each + projects * 3
        )
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def _holding_the_write_lock(db, seconds):
    """Another program takes the ledger's write lock and gives it back after `seconds`."""
    import threading

    conn = sqlite3.connect(db, isolation_level=None, check_same_thread=False)
    conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(seconds, lambda: (conn.execute("ROLLBACK"), conn.close()))
    release.start()
    return release


def test_a_writer_waits_for_the_lock_and_writes_once_it_is_free(office):
    release = _holding_the_write_lock(office.db, 1.0)
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--to", "上海")
    release.join()
    with sqlite3.connect(office.db) as conn:
        assert conn.execute("SELECT count(*) FROM activity WHERE destination = '上海'").fetchone()[0] == 1


def test_a_lock_held_past_the_wait_is_one_line_and_writes_nothing(office, monkeypatch):
    monkeypatch.setenv("ZS_LOCK_WAIT", "1")
    release = _holding_the_write_lock(office.db, 2.5)
    try:
        line = office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    finally:
        release.join()
    assert line == (
        f"zs: --db '{office.db}': another program held its write lock for over 1 s; "
        "expected a ledger no other program keeps locked"
    )


def test_a_lock_wait_that_is_not_a_number_of_seconds_is_refused(office, monkeypatch):
    for value in ("0", "30s", "３０", "99999"):
        monkeypatch.setenv("ZS_LOCK_WAIT", value)
        line = office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
        assert line == f"zs: ZS_LOCK_WAIT '{value}': expected a whole number of seconds from 1 to 3600"


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
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhaoshang", "import", "activities", str(big), "--db", str(office.db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
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


# --- SIGKILL at random points of every write command ----------------------------------------------

TIMES = {"created_at", "voided_at", "at", "applied_at"}  # set from the clock: differ between two runs


def _logical(db):
    """The ledger's content without the clock: what two runs of the same command must agree on."""
    with sqlite3.connect(db) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        content = {}
        for table in tables:
            columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in TIMES]
            if table == "change":
                columns = [c for c in columns if c != "payload"]  # holds the times of what it altered
            if columns:
                content[table] = (
                    conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY 1, 2").fetchall()
                    if len(columns) > 1
                    else conn.execute(f"SELECT {columns[0]} FROM {table} ORDER BY 1").fetchall()
                )
        return content


def _write_commands(folder, county):
    """Every kind of write command, each as argv after `zs`, against the office ledger below;
    `county` is another ledger, to merge and to restore."""
    activities = folder / "activities.csv"
    activities.write_text(
        "日期,单位,类型,企业\n"
        + "".join(f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d},萧镇,走访企业,企业{i}\n" for i in range(3000)),
        encoding="utf-8",
    )
    projects = folder / "projects.csv"
    projects.write_text(
        "项目名称,招引单位,投资额,阶段,签约日期\n"
        + "".join(f"项目{i},萧镇,{i + 1}亿,签约,2023-05-{i % 28 + 1:02d}\n" for i in range(500)),
        encoding="utf-8",
    )
    return {
        "log": ["log", "trip", "--unit", "萧镇", "--date", "2023-04-01", "--to", "深圳", "--company", "甲公司"],
        "project add": ["project", "add", "新项目", "--unit", "萧镇", "--amount", "2亿", "--date", "2023-04-01"],
        "advance": ["project", "advance", "1", "--to", "签约", "--date", "2023-04-02"],
        "fund": ["project", "fund", "1", "--amount", "3000万", "--origin", "省外", "--date", "2023-04-03"],
        "note": ["project", "note", "1", "推进顺利", "--date", "2023-04-04"],
        "fix": ["project", "fix", "1", "--stage", "在谈", "--date", "2023-01-20"],
        "void": ["log", "void", "1", "--reason", "重复录入"],
        "unit": ["unit", "add", "新镇", "--kind", "town"],
        "person": ["person", "add", "新人", "--unit", "萧镇"],
        "merge": ["merge", str(county), "--unit-prefix", "东阿县·"],
        "restore": ["restore", str(county)],
        "import activities": ["import", "activities", str(activities)],
        "import projects": ["import", "projects", str(projects)],
        "undo": ["undo"],
    }


def _in_copy(template, folder):
    """A copy of the ledger as `ledger.db` in a folder of its own: every run types the same `--db`,
    which the change history records."""
    import shutil

    folder.mkdir()
    shutil.copy(template, folder / "ledger.db")
    return folder


def _kill_after(args, folder, delay):
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhaoshang", *args, "--db", "ledger.db"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return proc.returncode


def test_sigkill_at_random_points_of_every_write_command_leaves_all_or_nothing(tmp_path):
    import random

    template = tmp_path / "template.db"
    run = [sys.executable, "-m", "zhaoshang"]
    subprocess.run(
        [*run, "init", "--db", str(template), "--targets", str(ROOT / "config" / "targets.yaml")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    for args in (
        ["project", "add", "甲", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-05"],
        ["log", "visit", "--unit", "萧镇", "--date", "2023-02-01", "--company", "乙公司"],
    ):
        subprocess.run([*run, *args, "--db", str(template)], cwd=ROOT, check=True, capture_output=True)
    county = tmp_path / "county.db"
    subprocess.run(
        [*run, "init", "--db", str(county), "--targets", str(ROOT / "config" / "targets.yaml")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [
            *run,
            "import",
            "activities",
            str(_write_commands(tmp_path, county)["import activities"][2]),
            "--db",
            str(county),
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    before = _logical(template)
    chance = random.Random(11)
    kills = {"before": 0, "after": 0}
    for name, args in _write_commands(tmp_path, county).items():
        reference = _in_copy(template, tmp_path / f"reference-{name}")
        started = time.monotonic()
        done = subprocess.run([*run, *args, "--db", "ledger.db"], cwd=reference, capture_output=True, text=True)
        took = time.monotonic() - started
        assert done.returncode == 0, (name, done.stderr)
        after = _logical(reference / "ledger.db")
        assert after != before, name
        for attempt in range(2):
            folder = _in_copy(template, tmp_path / f"victim-{name}-{attempt}")
            _kill_after(args, folder, chance.uniform(0.2, took * 1.1))
            victim = folder / "ledger.db"
            with sqlite3.connect(victim) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            found = _logical(victim)
            assert found in (before, after), f"{name}: killed mid-way left a partial change"
            kills["before" if found == before else "after"] += 1
            still = CliRunner().invoke(
                app, ["log", "visit", "--unit", "萧镇", "--date", "2023-06-01", "--company", "丙", "--db", str(victim)]
            )
            assert still.exit_code == 0, (name, still.output)  # still takes writes (in this process: quicker)
    assert kills["before"] > 0 and kills["after"] > 0, kills  # the kills really landed on both sides


# --- a full disk ---------------------------------------------------------------------------------

LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) as on a full disk
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
sys.argv = ["zs", *sys.argv[2:]]
from zhaoshang.cli import main
main()
"""


def test_a_full_disk_is_one_line_and_leaves_no_partial_file_or_change(tmp_path):
    """A file-size limit stands in for a full disk: no file may grow past it, whatever writes it."""
    run = [sys.executable, "-m", "zhaoshang"]
    db = tmp_path / "ledger.db"
    subprocess.run([*run, "demo", "--db", str(db)], cwd=ROOT, check=True, capture_output=True)
    big = tmp_path / "big.csv"
    big.write_text(
        "日期,单位,类型,企业\n"
        + "".join(f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d},萧镇,走访企业,企业{i}\n" for i in range(6_000)),
        encoding="utf-8",
    )
    limit = max(db.stat().st_size, big.stat().st_size) + 64 * 1024
    before = _logical(db)
    commands = {
        "import": (["import", "activities", str(big)], None),
        "export xlsx": (["export", str(tmp_path / "out.xlsx")], tmp_path / "out.xlsx"),
        "export json": (["export", str(tmp_path / "out.json"), "--format", "json"], tmp_path / "out.json"),
        "report xlsx": (
            ["report", "year", "--year", "2023", "--xlsx", str(tmp_path / "year.xlsx")],
            tmp_path / "year.xlsx",
        ),
        "backup": (["backup", str(tmp_path / "copy.db")], tmp_path / "copy.db"),
    }
    tiny = 4096  # the outputs are far larger than this; the ledger itself may not grow past its size
    for name, (args, output) in commands.items():
        present = sorted(p.name for p in tmp_path.iterdir())
        cap = tiny if output is not None else limit
        result = subprocess.run(
            [sys.executable, "-c", LIMITED, str(cap), *args, "--db", str(db)], cwd=ROOT, capture_output=True, text=True
        )
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 1 and len(lines) == 1 and lines[0].startswith("zs: "), (name, result.stderr)
        assert sorted(p.name for p in tmp_path.iterdir()) == present, f"{name} left a file behind"
        assert _logical(db) == before, name
        retry = subprocess.run([*run, *args, "--db", str(db)], cwd=ROOT, capture_output=True, text=True)
        assert retry.returncode == 0, (name, retry.stderr)  # with room again, the same command works
        before = _logical(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_long_job_pauses_the_cycle_collector_and_collects_once_after_it():
    import gc
    import weakref

    from zhaoshang.bulk import cycles_collected_after

    class Node:
        pass

    assert gc.isenabled()
    with cycles_collected_after():
        assert not gc.isenabled()
        with cycles_collected_after():  # nested: the outer block restores it
            pass
        assert not gc.isenabled()
        node = Node()
        node.self = node  # a cycle: only the collector frees it
        gone = weakref.ref(node)
        del node
        assert gone() is not None
    assert gc.isenabled() and gone() is None
    with pytest.raises(ValueError), cycles_collected_after():
        raise ValueError("a job that fails")
    assert gc.isenabled()
