"""Backups, restores and schema upgrades: nothing typed into zs is ever lost."""

import shutil
import sqlite3
from pathlib import Path

import pytest

from zhaoshang.migrations import MIGRATIONS

ENGINES = ("sqlite",)  # about SQLite files themselves: see conftest

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-0001.db"


def test_a_first_schema_ledger_opens_upgrades_and_keeps_a_backup(zs, tmp_path):
    ledger = tmp_path / "old.db"
    shutil.copy(FIXTURE, ledger)
    trips = zs.json("log", "list", "--db", ledger)
    assert [(t["unit"], t["leader"], t["destination"], t["companies"]) for t in trips] == [
        ("萧镇", "王明", "深圳", ["比亚迪"])
    ]
    project = zs.json("project", "show", "1", "--db", ledger)
    assert (project["stage"], project["amount_yuan"], project["funds_yuan"]) == ("signed", 150_000_000, 50_000_000)
    with sqlite3.connect(ledger) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM zs_migration ORDER BY name")] == [
            name for name, _ in MIGRATIONS
        ]
    backups = sorted(tmp_path.glob("old.db.before-0002_change_history-*.bak"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM zs_migration")] == ["0001_initial"]
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 1
    zs("log", "visit", "--db", ledger, "--unit", "萧镇", "--date", "2023-04-01", "--company", "甲")
    assert len(zs.json("log", "list", "--db", ledger)) == 2
    zs("log", "list", "--db", ledger)
    assert len(list(tmp_path.glob("old.db.before-*"))) == 1  # upgraded once, backed up once


def test_backup_and_restore(office, tmp_path):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    copy = tmp_path / "copy.db"
    assert office("backup", copy).stdout.startswith(f"backed up {office.db} to {copy} (")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")
    out = office("restore", copy).stdout
    assert out.startswith(f"restored {copy} into {office.db}; the ledger as it was is kept in ")
    assert [t["date"] for t in office.json("log", "list")] == ["2023-03-01"]
    aside = Path(out.strip().rsplit(" ", 1)[1])
    with sqlite3.connect(aside) as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 2
    assert office.fails("backup", copy) == f"zs: path '{copy}': it exists; expected a path with no file yet"


def test_default_backup_goes_beside_the_ledger(office):
    out = office("backup").stdout
    made = list((office.db.parent / "backups").glob("ledger-*.db"))
    assert len(made) == 1 and str(made[0]) in out


def test_restore_refuses_what_is_not_a_sound_ledger(office, tmp_path):
    before = office.json("unit", "list")
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a ledger" * 1000)
    assert office.fails("restore", garbage) == (
        f"zs: PATH '{garbage}': file is not a database; expected a zs ledger (a SQLite file written by zs)"
    )
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert office.fails("restore", other) == f"zs: PATH '{other}': it has no zs schema; expected a zs ledger"
    assert office.fails("restore", tmp_path / "missing.db") == (
        f"zs: PATH '{tmp_path / 'missing.db'}': expected an existing ledger file"
    )
    damaged = tmp_path / "damaged.db"
    office("backup", damaged)
    data = bytearray(damaged.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # scribble over a table page
    damaged.write_bytes(bytes(data))
    line = office.fails("restore", damaged)
    assert line.startswith(f"zs: PATH '{damaged}': ") and "expected" in line
    assert office.json("unit", "list") == before
    assert list(office.db.parent.glob("ledger.db.before-restore-*")) == []


def test_restoring_a_first_schema_backup_upgrades_it(office, tmp_path):
    office("restore", FIXTURE)
    assert [u["name"] for u in office.json("unit", "list")] == ["萧镇", "区投资促进中心"]
    assert office.json("history") == []  # the old ledger had no history; new changes are recorded
    office("unit", "add", "新区", "--kind", "park")
    assert len(office.json("history")) == 1


def test_a_damaged_ledger_is_one_line_and_left_alone(office):
    for i in range(30):
        office("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", f"企业{i}" * 20)
    with sqlite3.connect(office.db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'activity'").fetchone()[0]
    data = bytearray(office.db.read_bytes())
    start = (root - 1) * 4096
    data[start : start + 4096] = b"\x07" * 4096
    office.db.write_bytes(bytes(data))
    damaged = bytes(data)
    result = office("log", "list", code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"zs: --db '{office.db}': ") and "Traceback" not in result.output
    assert lines[0].endswith("expected an undamaged ledger that can be read and written")
    assert office.db.read_bytes()[: len(damaged)] == damaged and pages > root


# --- restore while others write ------------------------------------------------------------------

WRITER_UNTIL_STOPPED = """
import pathlib, sys
from typer.testing import CliRunner
from zhaoshang.cli import app
db, worker, stop = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
runner = CliRunner()
i = 0
while not stop.exists():
    company = f"企业{worker}-{i}"
    result = runner.invoke(app, ["log", "visit", "--db", db, "--unit", "萧镇", "--date", "2023-03-01",
                                 "--company", company])
    if result.exit_code != 0:
        sys.exit(result.stderr or result.output)
    print(company, flush=True)  # acknowledged
    i += 1
"""


def _companies(path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {r[0] for r in conn.execute("SELECT company FROM activity_company")}


def _wait_for(predicate, what: str) -> None:
    import time

    deadline = time.monotonic() + 300
    while not predicate():
        assert time.monotonic() < deadline, f"waited five minutes for {what}"
        time.sleep(0.05)


def test_restore_while_others_write_loses_no_acknowledged_write(office, tmp_path):
    import subprocess
    import sys

    copy = tmp_path / "copy.db"
    office("backup", copy)
    stop = tmp_path / "stop"
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER_UNTIL_STOPPED, str(office.db), str(w), str(stop)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    try:
        _wait_for(lambda: len(_companies(office.db)) >= 20, "writes before the restore")
        out = office("restore", copy).stdout
        _wait_for(lambda: len(_companies(office.db)) >= 20, "writes after the restore")
    finally:
        stop.touch()
        results = [p.communicate(timeout=300) for p in writers]
    assert [p.returncode for p in writers] == [0] * 4, [err for _, err in results]
    acknowledged = {line for stdout, _ in results for line in stdout.split()}
    aside = _companies(Path(out.strip().rsplit(" ", 1)[1]))
    restored = _companies(office.db)
    assert aside | restored == acknowledged  # every acknowledged write is somewhere, and only those
    assert aside & restored == set()  # the backup held no visit: each landed on one side of the swap


def test_a_write_that_comes_during_the_swap_waits_and_lands_in_the_restored_ledger(office, tmp_path, monkeypatch):
    """The worst moment for a writer: just after the current ledger was copied aside. It must wait
    for the swap (the write lock is held from before the copy to after the swap), then land."""
    import threading

    from zhaoshang import db_backup

    copy = tmp_path / "copy.db"
    office("backup", copy)
    copy_aside, landed = db_backup.backup, []

    def write_late() -> None:
        with sqlite3.connect(office.db, timeout=60) as conn:
            conn.execute("INSERT INTO unit (name, kind, created_at) VALUES ('晚到镇', 'town', '2023-01-01 00:00:00')")
        landed.append(True)

    def aside_then_a_writer(engine, target):
        made = copy_aside(engine, target)
        if "before-restore" in Path(target).name:
            writer = threading.Thread(target=write_late)
            writer.start()
            writer.join(1.0)  # time enough to land, were the ledger not locked
            threads.append(writer)
        return made

    threads: list[threading.Thread] = []
    monkeypatch.setattr(db_backup, "backup", aside_then_a_writer)
    out = office("restore", copy).stdout
    threads[0].join()
    assert landed == [True]
    assert "晚到镇" in {u["name"] for u in office.json("unit", "list")}
    with sqlite3.connect(out.strip().rsplit(" ", 1)[1]) as conn:
        assert conn.execute("SELECT count(*) FROM unit WHERE name = '晚到镇'").fetchone()[0] == 0


# --- a backup zs cannot use is refused before the swap -------------------------------------------

BROKEN = {
    "a table dropped": ("DROP TABLE project_note", "it lacks the table project_note"),
    "a table added": ("CREATE TABLE extra (x)", "it holds a table zs does not make (extra)"),
    "a column dropped": ("ALTER TABLE activity DROP COLUMN note", "table activity lacks the column note"),
    "a column added": (
        "ALTER TABLE unit ADD COLUMN colour VARCHAR",
        "table unit has a column zs does not make (colour)",
    ),
    "an index dropped": (
        "DROP INDEX ix_activity_kind_date",
        "table activity does not have the indexes and unique keys zs makes",
    ),
    "a dangling reference": (
        "UPDATE activity SET unit_id = 99 WHERE id = 1",
        "activity 1 refers to unit 99, which is not there",
    ),
    "a dangling link": (
        "UPDATE activity_company SET activity_id = 77",
        "activity_company of activity 77 refers to activity 77, which is not there",
    ),
    "an impossible stage": (
        "UPDATE project SET stage = 'flying'",
        "project 1 stage 'flying' is not one of lead, negotiating, signed, started, producing, dropped",
    ),
    "an impossible kind": (
        "UPDATE activity SET kind = 'party'",
        "activity 1 kind 'party' is not one of trip, visit, reception, event, meeting",
    ),
    "an impossible date": ("UPDATE activity SET date = '2023-02-30'", "activity 1 date '2023-02-30' is not a date"),
    "a date that is text": ("UPDATE milestone SET date = 'soon' WHERE id = 1", "milestone 1 date 'soon' is not a date"),
    "an impossible time": (
        "UPDATE unit SET created_at = 'yesterday' WHERE id = 2",
        "unit 2 created_at 'yesterday' is not a date and time",
    ),
    "an amount past 10万亿": (
        "UPDATE project SET amount_yuan = 9223372036854775807",
        "project 1 amount_yuan 9223372036854775807 is not an amount of at most 100000亿元 (10万亿元)",
    ),
    "an amount that is text": (
        "UPDATE fund SET amount_yuan = 'lots'",
        "fund 1 amount_yuan 'lots' is not a whole number",
    ),
    "a flag that is not yes or no": (
        "UPDATE milestone SET forced = 7 WHERE id = 1",
        "milestone 1 forced 7 is not a yes/no (0 or 1)",
    ),
    "a history that is not JSON": (
        "UPDATE change SET payload = '{' WHERE id = 2",
        "change 2 payload '{' is not the JSON zs writes",
    ),
}


@pytest.mark.parametrize("name", BROKEN)
def test_restore_refuses_a_backup_zs_could_not_use(office, tmp_path, name):
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-04-01")
    office("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲公司", "--note", "初访")
    backup = tmp_path / "broken.db"
    office("backup", backup)
    sql, problem = BROKEN[name]
    with sqlite3.connect(backup) as conn:
        conn.execute("PRAGMA foreign_keys = OFF")
        conn.execute(sql)
    before = office.json("log", "list")
    assert office.fails("restore", backup) == (
        f"zs: PATH '{backup}': {problem}; expected a ledger whose every record zs can read"
    )
    assert office.json("log", "list") == before
    assert _stray(tmp_path) == [] and list(tmp_path.glob("*before-restore*")) == []


def test_an_older_backup_is_checked_after_its_upgrade_and_left_as_it_was(office, tmp_path):
    old = tmp_path / "old.db"
    shutil.copy(FIXTURE, old)
    with sqlite3.connect(old) as conn:
        conn.execute("UPDATE project SET stage = 'flying'")
    kept = old.read_bytes()
    assert office.fails("restore", old) == (
        f"zs: PATH '{old}': project 1 stage 'flying' is not one of lead, negotiating, signed, started, producing, "
        "dropped; expected a ledger whose every record zs can read"
    )
    assert old.read_bytes() == kept
    assert list(tmp_path.glob("old.db.before-*")) == []


# --- an interruption leaves no damaged file under a good name -----------------------------------


def _stray(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_an_interrupted_backup_leaves_no_file_under_its_name(office, tmp_path, monkeypatch):
    from zhaoshang import db_backup

    copy = tmp_path / "copy.db"
    seen = []

    def interrupted(partial, final):
        with sqlite3.connect(partial) as conn:  # the copy was written whole under another name first
            seen.append(
                (
                    Path(partial).parent,
                    conn.execute("PRAGMA integrity_check").fetchone()[0],
                    conn.execute("SELECT count(*) FROM unit").fetchone()[0],
                )
            )
        raise KeyboardInterrupt

    replace = db_backup.os.replace
    monkeypatch.setattr(db_backup.os, "replace", interrupted)
    office("backup", copy, code=130)
    monkeypatch.setattr(db_backup.os, "replace", replace)
    assert seen == [(tmp_path, "ok", 6)]
    assert not copy.exists() and _stray(tmp_path) == []
    office("backup", copy)  # nothing blocks a retry
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*) FROM unit").fetchone()[0] == 6


def test_an_interrupted_restore_leaves_the_ledger_as_it_was_and_nothing_behind(office, tmp_path, monkeypatch):
    from zhaoshang import db_backup

    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    copy = tmp_path / "copy.db"
    office("backup", copy)
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")
    before = office.json("log", "list")

    def interrupted(engine, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(db_backup, "backup", interrupted)
    office("restore", copy, code=130)
    assert office.json("log", "list") == before
    assert _stray(tmp_path) == [] and list(tmp_path.glob("*before-restore*")) == []


def test_a_failed_backup_before_an_upgrade_leaves_the_old_ledger_as_it_was(zs, tmp_path, monkeypatch):
    from zhaoshang import db_backup

    ledger = tmp_path / "old.db"
    shutil.copy(FIXTURE, ledger)

    def disk_full(partial, final):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(db_backup.os, "replace", disk_full)
    bak = f"{ledger}.before-0002_change_history-"
    line = zs.fails("log", "list", "--db", ledger)
    assert line.startswith(f"zs: path '{bak}") and line.endswith(
        ".bak': No space left on device; expected a path where a backup can be written"
    )
    assert _stray(tmp_path) == [] and list(tmp_path.glob("old.db.before-*")) == []
    with sqlite3.connect(ledger) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM zs_migration")] == ["0001_initial"]


def test_with_a_sqlite_url_the_backup_before_an_upgrade_lands_beside_the_ledger(zs, tmp_path):
    ledger = tmp_path / "old.db"
    shutil.copy(FIXTURE, ledger)
    assert len(zs.json("log", "list", "--db", f"sqlite:///{ledger}")) == 1
    assert len(list(tmp_path.glob("old.db.before-0002_change_history-*.bak"))) == 1
    assert not (tmp_path / "sqlite:").exists()


def test_long_names_for_a_backup_and_a_restore(office, tmp_path):
    longest = tmp_path / ("备" * 81 + ".db")  # 246 bytes: a name the system allows, whatever the temporary's
    office("backup", longest)
    office("restore", longest)
    too_long = tmp_path / ("备" * 100 + ".db")
    assert office.fails("backup", too_long) == (
        f"zs: path '{too_long}': File name too long; expected a path where a backup can be written"
    )
    assert office.fails("restore", too_long) == (
        f"zs: PATH '{too_long}': File name too long; expected an existing ledger file that can be read"
    )
    assert _stray(tmp_path) == []
