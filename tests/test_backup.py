"""Backups, restores and schema upgrades: nothing typed into zs is ever lost."""

import shutil
import sqlite3
from pathlib import Path

from zhaoshang.migrations import MIGRATIONS

ENGINES = ("sqlite",)  # about SQLite files themselves: see conftest

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-0001.db"


def test_a_first_schema_ledger_opens_upgrades_and_keeps_a_backup(zs, tmp_path):
    ledger = tmp_path / "old.db"
    shutil.copy(FIXTURE, ledger)
    trips = zs.json("log", "list", "--db", ledger)
    assert [(t["unit"], t["leader"], t["destination"], t["companies"]) for t in trips] == [
        ("萧镇", "王明", "深圳", ["比亚迪"])]
    project = zs.json("project", "show", "1", "--db", ledger)
    assert (project["stage"], project["amount_yuan"], project["funds_yuan"]) == ("signed", 150_000_000, 50_000_000)
    with sqlite3.connect(ledger) as conn:
        assert [r[0] for r in conn.execute("SELECT name FROM zs_migration ORDER BY name")] == [
            name for name, _ in MIGRATIONS]
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
        f"zs: PATH '{garbage}': file is not a database; expected a zs ledger (a SQLite file written by zs)")
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert office.fails("restore", other) == f"zs: PATH '{other}': it has no zs schema; expected a zs ledger"
    assert office.fails("restore", tmp_path / "missing.db") == (
        f"zs: PATH '{tmp_path / 'missing.db'}': expected an existing ledger file")
    damaged = tmp_path / "damaged.db"
    office("backup", damaged)
    data = bytearray(damaged.read_bytes())
    data[4096 * 3: 4096 * 3 + 200] = b"\xff" * 200  # scribble over a table page
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
    data[start: start + 4096] = b"\x07" * 4096
    office.db.write_bytes(bytes(data))
    damaged = bytes(data)
    result = office("log", "list", code=1)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"zs: --db '{office.db}': ") and "Traceback" not in result.output
    assert lines[0].endswith("expected an undamaged ledger that can be read and written")
    assert office.db.read_bytes()[: len(damaged)] == damaged and pages > root
