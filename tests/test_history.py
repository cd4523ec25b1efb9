"""Every change is in the history with its time and user; undo reverses the latest, recorded too."""

import getpass
import json
import os
import sqlite3
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import url_of


def test_every_change_is_recorded_with_its_command_and_user(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲", "--company", "乙")
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    office("project", "advance", "1", "--to", "签约", "--date", "2023-03-05", "--note", "签约仪式")
    office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-04-01")
    office("project", "note", "1", "推进中", "--date", "2023-04-02")
    office("log", "void", "1", "--reason", "重复")
    rows = office.json("history")
    assert [r["id"] for r in rows] == [7, 6, 5, 4, 3, 2, 1]
    assert {r["actor"] for r in rows} == {getpass.getuser()}
    assert [(r["command"], r["summary"]) for r in rows[:6]] == [
        ("zs log void 1 --reason 重复", "修改活动 #1 voided_at,void_reason"),
        ("zs project note 1 推进中 --date 2023-04-02", "新增推进情况 1 (#2)"),
        ("zs project fund 1 --amount 2000万 --origin 省外 --date 2023-04-01", "新增到位资金 1 (#1)"),
        (
            "zs project advance 1 --to 签约 --date 2023-03-05 --note 签约仪式",
            "新增节点 2 (#2, #3)；新增推进情况 1 (#1)；修改项目 #1 stage",
        ),
        ("zs project add 甲项目 --unit 萧镇 --amount 1亿 --date 2023-03-01", "新增项目 1 (#1)；新增节点 1 (#1)"),
        ("zs log trip --unit 萧镇 --date 2023-03-01 --company 甲 --company 乙", "新增活动 1 (#1)；新增企业 2 (#1, #2)"),
    ]
    assert rows[-1]["summary"] == "新增单位 6 (#1, #2, #3 …)；新增人员 10 (#1, #2, #3 …)"
    assert [r["id"] for r in office.json("history", "--limit", "2")] == [7, 6]


def test_a_refused_command_leaves_no_history(office):
    before = office.json("history")
    office.fails("log", "trip", "--unit", "无此镇", "--date", "2023-03-01")
    assert office.json("history") == before


def test_undo_reverses_the_latest_change_and_is_recorded(office):
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    office(
        "project", "advance", "1", "--to", "开工", "--date", "2023-05-01", "--deadline", "2023-06-30", "--note", "开工"
    )
    office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-05-02")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-05-03", "--company", "甲", "--project", "1")
    office("log", "void", "1", "--reason", "录错")
    full = office.json("project", "show", "1")

    out = office("undo").stdout
    assert out.startswith("undid change #6 (") and "zs log void 1 --reason 录错" in out
    assert office.json("log", "list")[0]["voided"] is False
    office("undo")  # the trip
    assert office.json("log", "list") == []
    assert office.counts()["activity_company"] == 0 and office.counts()["activity_project"] == 0
    office("undo")  # the fund
    assert office.json("project", "show", "1")["funds"] == []
    office("undo")  # the advance: milestones, the note, stage and deadline back
    back = office.json("project", "show", "1")
    assert (back["stage"], back["start_deadline"], back["notes"]) == ("lead", None, [])
    assert [m["stage"] for m in back["milestones"]] == ["lead"]
    assert full["stage"] == "started"

    history = office.json("history")
    assert [(r["id"], r["undo_of"], r["undone_by"]) for r in history[:8]] == [
        (10, 3, None),
        (9, 4, None),
        (8, 5, None),
        (7, 6, None),
        (6, None, 7),
        (5, None, 8),
        (4, None, 9),
        (3, None, 10),
    ]
    assert history[0]["summary"].startswith("撤销 #3（新增节点 3")


def test_undo_removes_an_added_unit_and_nothing_to_undo_is_one_line(zs):
    assert zs.json("history") == []
    assert zs.fails("undo") == "zs: undo '': the history is empty; expected a change to undo"
    zs("unit", "add", "新区", "--kind", "park")
    zs("undo")
    assert zs.json("unit", "list") == []
    assert zs.fails("undo") == (
        "zs: undo '': every change in the history is undone already or came from "
        "another ledger by `zs merge`; expected a change to undo"
    )


def milestone_rows(zs):
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(zs.db))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text("SELECT * FROM milestone ORDER BY id"))]
    finally:
        engine.dispose()


def test_undo_puts_a_removed_row_back_whole_with_its_id(office):
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-03-20")
    typed = milestone_rows(office)
    office("project", "fix", "1", "--remove-stage", "开工")
    assert [row[0] for row in milestone_rows(office)] == [1, 2, 3]
    history = office.json("history")
    assert (history[0]["command"], history[0]["summary"]) == (
        "zs project fix 1 --remove-stage 开工",
        "删除节点 1 (#4)；修改项目 #1 stage",
    )

    out = office("undo").stdout
    assert out.startswith("undid change #4 (") and "删除节点 1 (#4)" in out
    assert milestone_rows(office) == typed  # id, dates, created_at and created_by as they were
    assert office.json("project", "show", "1")["stage"] == "started"
    assert office.json("history")[0]["summary"] == "撤销 #4（删除节点 1 (#4)；修改项目 #1 stage）"
    # The next change may take the freed id again; undoing it and the fix stays exact.
    office("project", "fix", "1", "--remove-stage", "开工")
    office("project", "advance", "1", "--to", "投产", "--date", "2023-06-01")
    office("undo")
    office("undo")
    assert milestone_rows(office) == typed


# --- A change of any size, undone whole -------------------------------------------------------

BIG = 70_000  # past PostgreSQL's 65,535 bound parameters in one statement


@pytest.fixture
def few_variables(monkeypatch):
    """SQLite as most builds have it (32,766 variables a statement; Debian's allows 250,000), so
    that a change past that bound is undone in chunks on SQLite as it must be on PostgreSQL."""
    import sqlite3

    from sqlalchemy import Engine, event

    def lower(dbapi_connection, _record):
        if isinstance(dbapi_connection, sqlite3.Connection):
            dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 32_766)

    event.listen(Engine, "connect", lower)
    yield
    event.remove(Engine, "connect", lower)


def write(zs, how):
    """One unit of work through zs's own writing session (its change recorded), made with bulk
    statements: how(session) does the writing and notes it in the history as the importer does."""
    from zhaoshang import db

    engine = db.connect(zs.db)
    try:
        with db.writing(engine) as session:
            how(session)
    finally:
        engine.dispose()


def activity_rows(zs):
    """Every activity as its values (read through the model's column types), in id order."""
    from sqlalchemy import create_engine, select

    from zhaoshang.models import Activity

    engine = create_engine(url_of(zs.db))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(select(Activity.__table__).order_by(Activity.id))]
    finally:
        engine.dispose()


def test_a_change_of_70000_rows_is_undone_whole(office, few_variables):
    from zhaoshang import db, history
    from zhaoshang.models import Activity, ActivityCompany

    def import_big(session):  # as `zs import activities` writes a year of 70,000 rows
        now, actor = session.info["now"], session.info["actor"]
        rows = [
            {
                "kind": "visit",
                "date": date(2023, 1, 1) + timedelta(days=i % 365),
                "unit_id": 2,
                "created_at": now,
                "created_by": actor,
            }
            for i in range(BIG)
        ]
        ids = db.insert_returning_ids(session, Activity.__table__, rows)
        db.bulk_insert(session, ActivityCompany.__table__, [{"activity_id": i, "company": "甲公司"} for i in ids[:10]])
        history.note_created(session, "activity", ids)

    write(office, import_big)
    assert (office.counts()["activity"], office.counts()["activity_company"]) == (BIG, 10)
    out = office("undo").stdout
    assert out.startswith("undid change #2 (") and f"新增活动 {BIG} (#1, #2, #3 …)" in out
    counts = office.counts()
    assert (counts["activity"], counts["activity_company"], counts["unit"]) == (0, 0, 6)
    assert [(r["id"], r["undo_of"], r["undone_by"]) for r in office.json("history")] == [
        (3, 2, None),
        (2, None, 3),
        (1, None, None),
    ]


def test_values_altered_and_rows_removed_come_back_whole_chunk_by_chunk(office, monkeypatch):
    from sqlalchemy import select

    from zhaoshang import history
    from zhaoshang.models import Activity

    monkeypatch.setattr(history, "CHUNK", 7)  # 30 rows: five chunks, the last one short

    def log_trips(session):
        session.add_all(
            Activity(
                kind="trip",
                date=date(2023, 3, day),
                unit_id=2,
                created_at=session.info["now"],
                created_by=session.info["actor"],
            )
            for day in range(1, 31)
        )

    write(office, log_trips)
    typed = activity_rows(office)

    def void_in_two_steps(session):  # each row altered twice in one change: the first value comes back
        rows = list(session.exec(select(Activity)).scalars())
        for row in rows:
            row.void_reason = "待查"
        session.flush()
        for row in rows:
            row.void_reason, row.voided_at = "重复", session.info["now"]

    def remove_all(session):
        for row in session.exec(select(Activity)).scalars():
            session.delete(row)

    write(office, void_in_two_steps)
    assert {(r["voided"], r["void_reason"]) for r in office.json("log", "list")} == {(True, "重复")}
    office("undo")
    assert activity_rows(office) == typed
    write(office, remove_all)
    assert office.counts()["activity"] == 0
    assert office("undo").stdout.startswith("undid change #5 (")
    assert activity_rows(office) == typed  # every row back whole, with its own id


# --- Advice that holds ---------------------------------------------------------------------------


def test_an_import_or_merge_that_changes_nothing_does_not_offer_undo(office, tmp_path):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    before = office.json("history")
    empty = tmp_path / "空.csv"
    empty.write_text("日期,单位,类型\n", encoding="utf-8")
    out = office("import", "activities", empty).stdout.strip()
    assert out == (
        f"imported 0 new, 0 changed, 0 unchanged activities (0 company links, 0 voided) from {empty} (0 rows): nothing changed, nothing to undo"
    )
    other = office.fresh("other")
    office("history", "--db", other)  # an empty ledger of its own
    out = office("merge", other).stdout.strip()
    assert out == (
        f"merged {other}: 0 units, 0 people, 0 projects (0 milestones, 0 funds, 0 notes), "
        "0 activities and 0 changes of its history: nothing changed, nothing to undo"
    )
    assert office.json("history") == before
    office("import", "activities", write_lines(tmp_path / "一行.csv", "日期,单位,类型", "2023-03-02,萧镇,外出招商"))
    assert office.json("history")[0]["summary"] == "新增活动 1 (#2)"


def write_lines(path, *lines):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# --- Two desks undoing at once -------------------------------------------------------------------


def test_undo_picks_its_change_under_a_lock(zs, tmp_path, monkeypatch, engine):
    """SQLite: the pick comes after BEGIN IMMEDIATE, the ledger's write lock. PostgreSQL: the pick
    locks the change's row (FOR UPDATE)."""
    zs("unit", "add", "新区", "--kind", "park")
    log = tmp_path / "sql.jsonl"
    monkeypatch.setenv("ZS_SQL_LOG", str(log))
    zs("undo")
    statements = [json.loads(line)[0] for line in log.read_text(encoding="utf-8").splitlines()]
    pick = next(i for i, s in enumerate(statements) if s.startswith("SELECT change."))
    if engine == "sqlite":
        begin = statements.index("BEGIN IMMEDIATE")
        assert begin < pick and "COMMIT" not in statements[begin:pick]
    else:
        assert statements[pick].endswith("FOR UPDATE")


def test_two_desks_undoing_at_once_undo_two_different_changes(office, engine):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")
    desks = 2
    with holding_the_latest_trip(office, engine) as wait_for:
        undos = [
            subprocess.Popen(
                [sys.executable, "-m", "zhaoshang", "undo", "--db", str(office.db)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(desks)
        ]
        wait_for(undos)
    results = [undo.communicate(timeout=120) for undo in undos]
    assert [undo.returncode for undo in undos] == [0, 0], results
    assert sorted(out[: len("undid change #2")] for out, _ in results) == ["undid change #2", "undid change #3"]
    assert office.json("log", "list") == []
    history = office.json("history")
    assert sorted((r["undo_of"], r["undone_by"] is None) for r in history[:2]) == [(2, True), (3, True)]
    assert [(r["id"], r["undone_by"] is not None) for r in history[2:]] == [(3, True), (2, True), (1, False)]


@contextmanager
def holding_the_latest_trip(zs, engine):
    """Keep the desks from undoing until both have started: on SQLite the write lock is held (each
    desk waits in BEGIN IMMEDIATE, released once both have the ledger open); on PostgreSQL the latest
    trip's row is locked, released once two sessions wait on a lock, so that both have picked, or
    are picking, a change before either can go on."""
    from sqlalchemy import create_engine, text

    if engine == "sqlite":
        import sqlite3

        holder = sqlite3.connect(zs.db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")

        def wait_for(processes):
            until(lambda: all(has_open(p.pid, zs.db) for p in processes))

        try:
            yield wait_for
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        return
    server = create_engine(url_of(zs.db))
    try:
        with server.connect() as conn:
            conn.execute(text("SELECT id FROM activity WHERE id = (SELECT max(id) FROM activity) FOR UPDATE"))
            mine = conn.execute(text("SELECT pg_backend_pid()")).scalar()

            def wait_for(_processes):
                waiting = text(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                    "AND datname = current_database() AND pid <> :me"
                )
                until(lambda: server_count(server, waiting, me=mine) >= 2)

            yield wait_for
            conn.rollback()
    finally:
        server.dispose()


def server_count(server, query, **values) -> int:
    with server.connect() as conn:
        return conn.execute(query, values).scalar()


def has_open(pid: int, path) -> bool:
    try:
        return any(
            os.path.realpath(f"/proc/{pid}/fd/{fd}") == os.path.realpath(path) for fd in os.listdir(f"/proc/{pid}/fd")
        )
    except FileNotFoundError:  # not started yet, or a descriptor closed while listed
        return False


def until(ready, tries: int = 600) -> None:
    """Poll a condition of other processes (at most a minute), failing if it never holds."""
    for _ in range(tries):
        if ready():
            return
        time.sleep(0.1)
    raise AssertionError("the other processes never reached the point waited for")


# --- Times in UTC, whatever the server's time zone ------------------------------------------------

MOMENT = datetime(2024, 5, 6, 2, 3, 4, tzinfo=UTC)


def in_shanghai(location, engine):
    """The ledger as seen by a session whose time zone is Asia/Shanghai (UTC+8) on PostgreSQL."""
    return f"{location}%20-ctimezone%3DAsia/Shanghai" if engine == "postgresql" else location


def stored_moments(location, query):
    """Times as another session reads them straight from the server (in New York), made UTC."""
    from sqlalchemy import create_engine, text

    engine = create_engine(f"{location}%20-ctimezone%3DAmerica/New_York")
    try:
        with engine.connect() as conn:
            return [value.astimezone(UTC) for value in conn.execute(text(query)).scalars()]
    finally:
        engine.dispose()


def test_a_change_time_is_kept_and_shown_in_utc_whatever_the_servers_time_zone(zs, engine, monkeypatch):
    from zhaoshang import db

    monkeypatch.setattr(db, "utcnow", lambda: MOMENT)
    ledger = in_shanghai(zs.db, engine)
    zs("unit", "add", "新区", "--kind", "park", "--db", ledger)
    assert [r["at"] for r in zs.json("history", "--db", ledger)] == ["2024-05-06 02:03:04 UTC"]
    assert "2024-05-06 02:03:04 UTC" in zs("history", "--db", ledger).stdout
    assert zs("undo", "--db", ledger).stdout.startswith("undid change #1 (2024-05-06 02:03 UTC, zs unit add ")
    if engine == "postgresql":
        assert stored_moments(zs.db, "SELECT at FROM change ORDER BY id") == [MOMENT, MOMENT]
        zs("unit", "add", "新区", "--kind", "park", "--db", ledger)
        assert stored_moments(zs.db, "SELECT created_at FROM unit") == [MOMENT]


def test_times_kept_before_are_read_as_the_moments_they_were(zs, engine):
    """A ledger of migration 0003 kept a time as the session's local time on PostgreSQL (02:03 UTC as
    10:03 in Shanghai); upgraded by a session in that zone, it shows the moment itself."""
    from sqlalchemy import create_engine, text

    from zhaoshang.migrations import _DIALECT_WORDS, MIGRATION_TABLE_DDL, MIGRATIONS

    old_ledger = zs.fresh("old", made=False)
    ledger = in_shanghai(old_ledger, engine)
    old = create_engine(url_of(ledger))
    with old.begin() as conn:
        conn.execute(text(MIGRATION_TABLE_DDL.format(**_DIALECT_WORDS[engine])))
        for name, apply in MIGRATIONS[:3]:
            apply(conn)
            conn.execute(text("INSERT INTO zs_migration (name, applied_at) VALUES (:n, '2024-01-01')"), {"n": name})
        local = "2024-05-06 10:03:04" if engine == "postgresql" else "2024-05-06 02:03:04.000000"
        conn.execute(text("INSERT INTO unit (name, kind, created_at) VALUES ('新区', 'park', :t)"), {"t": local})
        conn.execute(
            text(
                "INSERT INTO change (at, actor, command, summary, payload) VALUES "
                "(:t, 'ren', 'zs unit add 新区 --kind park', '新增单位 1 (#1)', "
                '\'{"created": {"unit": [1]}, "updated": []}\')'
            ),
            {"t": local},
        )
    old.dispose()
    assert [(r["id"], r["at"]) for r in zs.json("history", "--db", ledger)] == [(1, "2024-05-06 02:03:04 UTC")]
    if engine == "postgresql":
        assert stored_moments(old_ledger, "SELECT created_at FROM unit") == [MOMENT]
    assert zs("undo", "--db", ledger).stdout.startswith("undid change #1 (2024-05-06 02:03 UTC, zs unit add ")
    assert zs.json("unit", "list", "--db", ledger) == []


@pytest.mark.engines("sqlite")  # the demo is a SQLite file
def test_a_change_that_made_events_and_the_signings_reached_at_them_is_undone(zs, tmp_path):
    demo = tmp_path / "demo.db"
    zs("demo", "--db", demo)  # one change: the events and the milestones that name them as reached there
    with sqlite3.connect(demo) as conn:
        assert conn.execute("SELECT count(*) FROM milestone WHERE event_id IS NOT NULL").fetchone()[0] > 0
    assert zs("undo", "--db", demo).stdout.startswith("undid change #1 ")  # the milestones go first
    with sqlite3.connect(demo) as conn:
        assert [conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("activity", "milestone")] == [0, 0]
