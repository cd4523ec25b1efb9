"""The ledger file: schema from migrations equals the models; locating, refusing, concurrent writers."""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect
from sqlmodel import SQLModel
from typer.testing import CliRunner

from zhaoshang import db as database
from zhaoshang import models  # noqa: F401  (registers the tables)
from zhaoshang.cli import app
from zhaoshang.migrations import MIGRATIONS

ENGINES = ("sqlite",)  # about SQLite files themselves: see conftest


def _schema(inspector, tables):
    shape = {}
    for table in tables:
        columns = {
            c["name"]: (c["type"].python_type, c["nullable"] or c.get("primary_key", 0) > 0)
            for c in inspector.get_columns(table)
        }
        pk = tuple(inspector.get_pk_constraint(table)["constrained_columns"])
        fks = sorted(
            (tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
            for f in inspector.get_foreign_keys(table)
        )
        indexes = sorted((tuple(i["column_names"]), bool(i["unique"])) for i in inspector.get_indexes(table))
        uniques = sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table))
        shape[table] = (columns, pk, fks, indexes, uniques)
    return shape


def test_a_fresh_ledger_has_exactly_the_schema_the_models_describe(tmp_path):
    engine = database.connect(tmp_path / "ledger.db", new=True)
    migrated = inspect(engine)
    reference = create_engine("sqlite://")
    SQLModel.metadata.create_all(reference)
    described = inspect(reference)
    tables = sorted(SQLModel.metadata.tables)
    assert sorted(set(migrated.get_table_names()) - {"zs_migration", "sqlite_sequence"}) == tables
    assert _schema(migrated, tables) == _schema(described, tables)


def test_migrations_are_recorded_and_run_once(tmp_path):
    path = tmp_path / "ledger.db"
    database.connect(path, new=True).dispose()
    database.connect(path).dispose()
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM zs_migration ORDER BY name")]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert names == [name for name, _ in MIGRATIONS]
    assert names[:3] == ["0001_initial", "0002_change_history", "0003_change_source"]  # shipped: never renamed


def test_the_ledger_is_found_by_option_then_environment_then_default(zs, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    zs("unit", "add", "甲镇", "--kind", "town")
    zs("--create", "unit", "add", "乙镇", "--kind", "town", "--db", tmp_path / "other.db")
    monkeypatch.delenv("ZS_DB")
    zs("--create", "unit", "add", "丙镇", "--kind", "town")

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
        f"zs: --db '{tmp_path}': expected a ledger file, not a directory"
    )


def test_a_ledger_from_a_newer_zs_is_refused(zs, tmp_path):
    path = tmp_path / "ledger.db"
    database.connect(path).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("INSERT INTO zs_migration VALUES ('0999_future', '2030-01-01')")
    assert zs.fails("unit", "list") == (
        f"zs: --db '{path}': it was written by a newer zs (migration 0999_future); "
        "expected a ledger of this zs version or older"
    )


def test_processes_opening_a_new_ledger_at_once_migrate_it_once(tmp_path):
    path = tmp_path / "fresh.db"
    code = "import sys; from zhaoshang import db; db.connect(sys.argv[1], new=True).dispose()"
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path)], stderr=subprocess.PIPE, text=True) for _ in range(4)
    ]
    errors = [p.communicate(timeout=120)[1] for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, errors
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM zs_migration").fetchone()[0] == len(MIGRATIONS)


def test_a_url_without_its_driver_or_not_a_url_is_one_line(zs):
    line = zs.fails("unit", "list", "--db", "oracle+nosuchdriver://u@h/db")
    assert line.startswith("zs: --db 'oracle+nosuchdriver://u@h/db': ")
    assert line.endswith(
        "expected a ledger path, or a database URL whose driver is installed "
        "(postgresql+psycopg://…: pip install 'zhaoshang[postgres]')"
    )
    assert zs.fails("unit", "list", "--db", "postgresql+psycopg://zs@127.0.0.1:1/none").startswith(
        "zs: --db 'postgresql+psycopg://zs@127.0.0.1:1/none': "
    )


# --- a ledger zs may not write -------------------------------------------------------------------


def _unprivileged(runs: list[list[str]]) -> list[tuple[int, str, str]]:
    """Run each argv of `zs` as a user whom file modes bind: `nobody` in a forked child when the tests
    run as root (root writes a 444 file all the same), else this user. (exit code, stdout, stderr) each.
    The child cannot import what root's Python keeps in /root: run the same commands in this
    process first."""
    runner = CliRunner()

    def run_all():
        results = [runner.invoke(app, args) for args in runs]
        return [
            (r.exit_code, r.stdout, r.stderr or repr(r.exception)) if r.exit_code else (0, r.stdout, r.stderr)
            for r in results
        ]

    if os.geteuid() != 0:
        return run_all()
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover  (the child)
        code = 0
        try:
            os.close(read)
            os.setgid(65534)
            os.setuid(65534)
            os.chdir("/")  # the tests' working folder is root's alone
            answer = run_all()
        except BaseException:
            answer, code = traceback.format_exc(), 1
        os.write(write, json.dumps(answer).encode())
        os._exit(code)
    os.close(write)
    data = b""
    while chunk := os.read(read, 1 << 16):
        data += chunk
    os.close(read)
    _, status = os.waitpid(pid, 0)
    answer = json.loads(data)
    assert status == 0, answer
    return [tuple(a) for a in answer]


@pytest.fixture
def shared(tmp_path):
    """A folder anyone may enter (the tests' own folders are root's alone), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="zs-shared-"))
    folder.chmod(0o755)
    yield folder
    for path in folder.rglob("*"):
        path.chmod(0o777) if path.is_dir() else None
    shutil.rmtree(folder)


@pytest.mark.parametrize("folder_mode", [0o755, 0o1777], ids=["read-only folder", "writable folder"])
def test_a_read_only_ledger_is_read_and_its_writes_refused_in_one_line(office, shared, folder_mode):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--to", "深圳", "--company", "甲")
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    folder = shared / "office"
    folder.mkdir()
    ledger = folder / "ledger.db"
    office("backup", ledger)
    out = shared / "out"
    out.mkdir(mode=0o1777)
    out.chmod(0o1777)
    reads = [
        ["log", "list", "--json"],
        ["project", "list", "--json"],
        ["history", "--json"],
        ["report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--json"],
    ]
    expected = [office(*args, "--db", ledger).stdout for args in reads]
    office("export", out / "root.json", "--format", "json", "--db", ledger)
    office("backup", out / "root-copy.db", "--db", ledger)
    ledger.chmod(0o444)
    folder.chmod(folder_mode)
    kept = ledger.read_bytes()
    refused = f"zs: --db '{ledger}': the ledger is read-only; expected a ledger you may write\n"
    writes = [
        ["log", "trip", "--unit", "萧镇", "--date", "2023-03-02"],
        ["undo"],
        ["unit", "add", "新镇", "--kind", "town"],
        ["restore", str(out / "root-copy.db")],
    ]
    answers = _unprivileged(
        [
            [*args, "--db", str(ledger)]
            for args in [
                *reads,
                ["export", str(out / "nobody.json"), "--format", "json"],
                ["backup", str(out / "copy.db")],
                *writes,
            ]
        ]
    )
    assert answers[: len(reads)] == [(0, text, "") for text in expected]
    assert answers[len(reads)][0] == 0 and answers[len(reads) + 1][0] == 0, answers
    assert (out / "nobody.json").read_text() == (out / "root.json").read_text()
    with sqlite3.connect(out / "copy.db") as conn:
        assert conn.execute("SELECT count(*) FROM activity").fetchone()[0] == 1
    assert answers[len(reads) + 2 :] == [(1, "", refused)] * len(writes)
    assert ledger.read_bytes() == kept
    assert not list(folder.glob("*.bak")) and not list(folder.glob(".*"))


def test_a_read_only_ledger_that_would_need_an_upgrade_is_refused(zs, shared):
    from test_backup import FIXTURE

    folder = shared / "office"
    folder.mkdir()
    ledger = folder / "old.db"
    shutil.copy(FIXTURE, ledger)
    ledger.chmod(0o444)
    [answer] = _unprivileged([["log", "list", "--db", str(ledger)]])
    assert answer == (
        1,
        "",
        f"zs: --db '{ledger}': the ledger is read-only and was written by an older zs (it lacks "
        "migration 0002_change_history); expected a ledger you may write, so that zs can upgrade it\n",
    )
    assert sorted(p.name for p in folder.iterdir()) == ["old.db"]


def test_a_new_ledger_where_nothing_may_be_written_is_one_line(zs, shared):
    zs("--create", "unit", "list", "--db", shared / "warm.db")  # imports what the unprivileged child will need
    missing = shared / "no" / "such" / "ledger.db"
    answers = _unprivileged(
        [["--create", "unit", "list", "--db", str(shared / "ledger.db")], ["init", "--db", str(missing)]]
    )
    assert answers == [
        (
            1,
            "",
            f"zs: --db '{shared / 'ledger.db'}': its folder is read-only; "
            "expected a path where a ledger file can be written\n",
        ),
        (1, "", f"zs: --db '{missing}': Permission denied; expected a path where a ledger file can be written\n"),
    ]
    assert sorted(p.name for p in shared.iterdir()) == ["warm.db"]


# --- where the ledger is: every slip is one line ------------------------------------------------


def test_an_empty_db_is_refused_not_read_as_the_default(zs, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert zs.fails("unit", "list", "--db", "") == "zs: --db '': it is empty; expected a ledger file or a database URL"
    assert zs.fails("restore", tmp_path / "x.db", "--db", "") == (
        "zs: --db '': it is empty; expected a ledger file or a database URL"
    )
    monkeypatch.delenv("ZS_DB")
    assert zs.fails("unit", "list", "--db", "") == "zs: --db '': it is empty; expected a ledger file or a database URL"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.db"]  # the test's own, made before


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite+pysqlite://"])
def test_an_in_memory_ledger_is_refused(zs, url):
    assert zs.fails("unit", "add", "甲镇", "--kind", "town", "--db", url) == (
        f"zs: --db '{url}': it names no file: an in-memory ledger would be gone when zs exits; "
        "expected a ledger file (sqlite:///PATH) or a database server's URL"
    )


def test_a_sqlite_url_names_the_same_file_as_its_path(zs, tmp_path):
    zs("--create", "unit", "add", "甲镇", "--kind", "town", "--db", f"sqlite:///{tmp_path / 'url.db'}")
    assert [u["name"] for u in zs.json("unit", "list", "--db", tmp_path / "url.db")] == ["甲镇"]


def test_paths_that_cannot_be_a_ledger_are_one_line(zs, tmp_path):
    long_name = tmp_path / ("账" * 100 + ".db")  # 300 bytes: past the 255 a file name may have
    assert zs.fails("unit", "list", "--db", long_name) == (
        f"zs: --db '{long_name}': File name too long; expected a path where a ledger file can be written"
    )
    a_file = tmp_path / "notes.txt"
    a_file.write_text("notes")
    assert zs.fails("--create", "unit", "list", "--db", a_file / "ledger.db") == (
        f"zs: --db '{a_file / 'ledger.db'}': a part of its folder is a file, not a folder; expected a path where a ledger file can be written"
    )
    assert zs.fails("unit", "list", "--db", f"sqlite:///{tmp_path}") == (
        f"zs: --db 'sqlite:///{tmp_path}': expected a ledger file, not a directory"
    )
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for special in ("/dev/null", fifo):
        assert zs.fails("unit", "list", "--db", special) == (
            f"zs: --db '{special}': it is not a regular file; expected a ledger file"
        )


@pytest.mark.parametrize("where", ["missing folder", "a folder"])
def test_zs_sql_log_that_cannot_be_written_is_one_line(zs, tmp_path, monkeypatch, where):
    log = tmp_path / "no" / "sql.log" if where == "missing folder" else tmp_path
    reason = "No such file or directory" if where == "missing folder" else "Is a directory"
    monkeypatch.setenv("ZS_SQL_LOG", str(log))
    assert zs.fails("unit", "list") == (
        f"zs: ZS_SQL_LOG '{log}': {reason}; expected a file that can be written, in a folder that exists"
    )


def test_zs_sql_log_records_the_statements(zs, tmp_path, monkeypatch):
    monkeypatch.setenv("ZS_SQL_LOG", str(tmp_path / "sql.log"))
    zs("unit", "list")
    statements = [json.loads(line)[0] for line in (tmp_path / "sql.log").read_text().splitlines()]
    assert any(s.startswith("SELECT") and "FROM unit" in s for s in statements)


def test_an_unreachable_server_is_named_not_the_ledger(zs):
    assert zs.fails("unit", "list", "--db", "postgresql+psycopg://zs@127.0.0.1:1/none") == (
        "zs: --db 'postgresql+psycopg://zs@127.0.0.1:1/none': connecting to the server at 127.0.0.1:1 failed "
        "(Connection refused); expected a database server running there that lets this user in"
    )
