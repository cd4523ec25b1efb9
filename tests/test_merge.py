"""`zs merge`: a county that began alone joins the city's ledger — units apart, history kept."""

import gc
import hashlib
import os
import shutil
from pathlib import Path

import pytest
from conftest import EMPTY, PG, TEST_PLAN, url_of

from zhaoshang.migrations import MIGRATIONS

FIXTURE = Path(__file__).parent / "fixtures" / "ledger-0001.db"


def county(zs, tmp_path):
    path = tmp_path / "county.db"
    zs("demo", "--db", path)
    return path


def test_merge_keeps_units_apart_and_brings_the_history(office, tmp_path):
    source = county(office, tmp_path)
    before = office.counts()
    line = office.fails("merge", source)
    assert line == (
        "zs: --unit-prefix '': unit '区投资促进中心' is in both ledgers; expected a prefix that keeps the "
        "merged units apart (e.g. 东阿县·), or --same-units to merge into units of the same name"
    )
    assert office.counts() == before
    out = office("merge", source, "--unit-prefix", "东阿县·").stdout
    assert out.strip() == (
        f"merged {source}: 6 units, 10 people, 20 projects (71 milestones, 15 funds, 67 notes), "
        "337 activities and 1 changes of its history, as one change: `zs undo` takes it back"
    )
    units = [u["name"] for u in office.json("unit", "list")]
    assert units[6:] == [
        "东阿县·区投资促进中心",
        "东阿县·萧镇",
        "东阿县·商家镇",
        "东阿县·区经济发展部",
        "东阿县·区文化旅游部",
        "东阿县·区社会事务部",
    ]
    theirs = office.json("report", "quarter", "--quarter", "2023Q3", "--db", source)
    ours = office.json("report", "quarter", "--quarter", "2023Q3")
    assert [
        (f"东阿县·{u['unit']}", u["trips"], u["outside_funds_yuan"], u["signed_projects"]) for u in theirs["units"]
    ] == [(u["unit"], u["trips"], u["outside_funds_yuan"], u["signed_projects"]) for u in ours["units"][6:]]
    logged_there = office.json("log", "list", "--all", "--db", source)
    logged_here = office.json("log", "list", "--all")
    assert [
        (a["date"], a["kind"], "东阿县·" + a["unit"], a["companies"], a["voided"], a["void_reason"])
        for a in logged_there
    ] == [(a["date"], a["kind"], a["unit"], a["companies"], a["voided"], a["void_reason"]) for a in logged_here]
    history = office.json("history")
    assert history[0]["command"].startswith("zs merge ") and history[0]["source"] is None
    assert history[1]["command"].startswith("zs demo --db ") and history[1]["source"] == str(source)

    office("undo")  # the merge goes whole, its borrowed history with it
    assert office.counts() == before
    after = office.json("history")
    assert [(h["command"], h["source"]) for h in after] == [
        ("zs undo", None),
        (f"zs merge {source} --unit-prefix 东阿县·", None),
        (f"zs init --targets {TEST_PLAN}", None),
    ]
    assert after[1]["undone_by"] == after[0]["id"]


def test_merge_into_the_same_units(office, tmp_path):
    source = county(office, tmp_path)
    office("merge", source, "--same-units")
    assert len(office.json("unit", "list")) == 6 and len(office.json("person", "list")) == 10
    assert len(office.json("log", "list", "--all")) == 337
    assert (
        office.fails("merge", office.db)
        == f"zs: LEDGER '{office.db}': expected another ledger than the one merged into"
    )


def test_a_figure_both_ledgers_report_is_brought_once_and_a_clash_is_refused(office, tmp_path):
    source = tmp_path / "county.db"
    office("init", "--db", source, "--targets", TEST_PLAN)

    def figure(period: str, value: str, *where: str):
        office("figure", "set", "外贸进出口", "--period", period, "--value", value, "--unit", "萧镇", *where)

    figure("2023-01", "1872万")
    figure("2023-01", "1872万", "--db", source)  # the same figure, reported to both
    figure("2023-02", "900万", "--db", source)
    office("merge", source, "--same-units")
    listed = [(f["period"], f["amount_yuan"]) for f in office.json("figure", "list")]
    assert listed == [("2023-01", 18_720_000), ("2023-02", 9_000_000)]  # January once, not twice
    office("undo")

    figure("2023-01", "2000万", "--db", source)
    assert office.fails("merge", source, "--same-units") == (
        f"zs: LEDGER '{source}': 外贸进出口 2023-01 萧镇 is reported in both, with other amounts; expected a "
        "ledger whose reported figures this one does not hold otherwise (correct one of them first)"
    )
    figure("2023-01", "1872万", "--db", source)
    figure("2023-04", "500万")
    figure("2023Q2", "3000万", "--db", source)  # there: the quarter over a month reported here
    assert office.fails("merge", source, "--same-units") == (
        f"zs: LEDGER '{source}': 外贸进出口 2023-04 萧镇 is reported already and overlaps it: a figure counts in "
        "every period that holds it, so both would count the same money twice; expected a ledger whose "
        "reported figures do not overlap this one's"
    )
    assert len(office.json("figure", "list")) == 2  # refused whole: nothing merged


def at_rest(path) -> Path:
    """A SQLite ledger file as it lies between commands: this process's own connections to it closed
    (in-process commands leave their engines to the garbage collector), so no -wal or -shm beside it."""
    gc.collect()
    assert [p.name for p in Path(path).parent.glob(f"{Path(path).name}-*")] == []
    return Path(path)


def untouched(path) -> tuple[str, list[str]]:
    """What a merge must leave as it was: the bytes of a SQLite file and which of -wal, -shm exist."""
    return (
        hashlib.sha256(Path(path).read_bytes()).hexdigest(),
        [end for end in ("-wal", "-shm") if Path(f"{path}{end}").exists()],
    )


LATER_TABLES = ("activity_unit", "activity_person", "company_tier", "company", "figure")  # of 0005, 0006, 0008
LATER_COLUMNS = {  # of 0007, 0009 and 0010
    "project": ("type", "increase_yuan", "currency", "amount_original", "source_key"),
    "milestone": ("event_id",),
    "project_note": ("assignee", "due", "resolved_on", "resolution"),
    "activity": ("source_key",),
}
LATER_INDEXES = ("ix_activity_unit_source_key", "ix_project_unit_source_key")  # of 0010


def older(location, keep: int) -> None:
    """Take a ledger back to the schema of its first `keep` migrations (0002 keeps the history, without
    the `source` column 0003 added)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(location))
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM zs_migration WHERE name > :last"), {"last": MIGRATIONS[keep - 1][0]})
        conn.execute(text("ALTER TABLE change DROP COLUMN source"))
        for table in LATER_TABLES:
            conn.execute(text(f"DROP TABLE {table}"))
        for index in LATER_INDEXES:
            conn.execute(text(f"DROP INDEX {index}"))
        for table, columns in LATER_COLUMNS.items():
            for column in columns:
                conn.execute(text(f"ALTER TABLE {table} DROP COLUMN {column}"))
        if conn.dialect.name == "postgresql":  # 0009 widened the fund's CHECK to other currencies
            conn.execute(text("ALTER TABLE fund DROP CONSTRAINT fund_amount_yuan_check"))
            conn.execute(text("ALTER TABLE fund DROP COLUMN currency"))
            conn.execute(text("ALTER TABLE fund DROP COLUMN amount_original"))
            conn.execute(text("ALTER TABLE fund ADD CONSTRAINT fund_amount_yuan_check CHECK (amount_yuan > 0)"))
        else:  # SQLite drops no column a CHECK names: the table as 0001 made it, rows and all
            columns = "id, project_id, amount_yuan, origin, date, note, voided_at, void_reason, created_at, created_by"
            conn.execute(text(f"CREATE TABLE fund_old AS SELECT {columns} FROM fund"))
            conn.execute(text("DROP TABLE fund"))
            conn.execute(text("ALTER TABLE fund_old RENAME TO fund"))
    engine.dispose()


def migrations_of(location) -> list[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(location))
    with engine.connect() as conn:
        names = list(conn.execute(text("SELECT name FROM zs_migration ORDER BY name")).scalars())
    engine.dispose()
    return names


def test_the_same_ledger_by_another_spelling_is_refused(office, tmp_path):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    if office.ledgers.engine == "sqlite":
        (tmp_path / "link.db").symlink_to(office.db)
        os.link(office.db, tmp_path / "hard.db")
        (tmp_path / "sub").mkdir()
        spellings = [
            "ledger.db",
            "./sub/../ledger.db",
            tmp_path / "link.db",
            tmp_path / "hard.db",
            f"sqlite:///{office.db}",
            "sqlite:///ledger.db",
        ]
    else:  # two URLs to the same server, database and schema
        schema = office.db.rsplit("%3D", 1)[1]
        spellings = [
            office.db.replace("@127.0.0.1:", "@localhost:"),
            f"{office.db}%2Cpublic",
            PG.replace("@127.0.0.1:", "@localhost:") + f"?options=-csearch_path%3D{schema}",
        ]
    for spelling in spellings:
        assert office.fails("merge", spelling, "--same-units") == (
            f"zs: LEDGER '{spelling}': it is {office.db} by another name; expected another ledger than the one "
            "merged into"
        )
    assert office.fails("merge", office.db, "--same-units") == (
        f"zs: LEDGER '{office.db}': expected another ledger than the one merged into"
    )
    assert len(office.json("log", "list")) == 1


def county_here(zs, tmp_path):
    """A county's ledger on the engine under test: on PostgreSQL another schema of the same server and
    database, filled by merging the demo county into it (`zs demo` builds files only)."""
    if zs.ledgers.engine == "sqlite":
        return county(zs, tmp_path)
    other = zs.fresh("county")
    zs("merge", county(zs, tmp_path), "--db", other)
    return other


def test_another_ledger_on_the_same_engine_merges(office, tmp_path):
    other = county_here(office, tmp_path)
    office("merge", other, "--unit-prefix", "东阿县·")
    assert len(office.json("log", "list", "--all")) == 337 and len(office.json("unit", "list")) == 12


def test_a_missing_ledger_is_one_line_and_nothing_is_created(zs, tmp_path):
    missing = tmp_path / "typo.db"
    os.mkfifo(tmp_path / "pipe")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert zs.fails("merge", missing) == (
        f"zs: LEDGER '{missing}': there is no such file; expected an existing ledger file (a merge creates nothing)"
    )
    assert zs.fails("merge", f"sqlite:///{missing}") == (
        f"zs: LEDGER 'sqlite:///{missing}': there is no such file; expected an existing ledger file "
        "(a merge creates nothing)"
    )
    assert zs.fails("merge", tmp_path) == (
        f"zs: LEDGER '{tmp_path}': it is a folder; expected an existing ledger file (a merge creates nothing)"
    )
    assert zs.fails("merge", "sqlite://") == (
        "zs: LEDGER 'sqlite://': it names no file: an in-memory ledger would be gone when zs exits; expected a "
        "ledger file (sqlite:///PATH) or a database server's URL"
    )
    assert zs.fails("merge", tmp_path / "pipe") == (
        f"zs: LEDGER '{tmp_path / 'pipe'}': it is not a file; expected an existing ledger file (a merge creates nothing)"
    )
    assert zs.fails("merge", "") == "zs: LEDGER '': it is empty; expected a ledger file or a database URL"
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # neither the other ledger nor this one made
    assert zs.counts() == EMPTY
    if zs.ledgers.engine == "postgresql":
        from sqlalchemy import create_engine, text

        nowhere = f"{PG}?options=-csearch_path%3Dno_such_schema"
        assert zs.fails("merge", nowhere) == f"zs: LEDGER '{nowhere}': it has no zs schema; expected a zs ledger"
        no_database = PG.rsplit("/", 1)[0] + "/no_such_database"
        line = zs.fails("merge", no_database)
        assert line.startswith(f"zs: LEDGER '{no_database}': ") and 'database "no_such_database" does not exist' in line
        assert line.endswith("; expected a database server that answers, holding a zs ledger")
        engine = create_engine(PG)
        with engine.connect() as conn:
            assert (
                conn.execute(text("SELECT count(*) FROM pg_namespace WHERE nspname = 'no_such_schema'")).scalar() == 0
            )
            assert (
                conn.execute(text("SELECT count(*) FROM pg_database WHERE datname = 'no_such_database'")).scalar() == 0
            )
        engine.dispose()


def test_a_merge_only_reads_its_source(office, tmp_path):
    source = county(office, tmp_path)
    office.json("log", "list", "--db", source)
    source = at_rest(source)
    assert source.read_bytes()[18:20] == b"\x02\x02"  # a zs ledger is in WAL mode
    kept = untouched(source)
    office("merge", source, "--unit-prefix", "东阿县·")
    assert untouched(source) == kept and len(office.json("log", "list", "--all")) == 337
    office("undo")

    import sqlite3

    busy = sqlite3.connect(source)  # a county desk has it open: its -wal and -shm are there
    assert busy.execute("SELECT count(*) FROM activity").fetchone() == (337,)
    kept = untouched(source)
    assert kept[1] == ["-wal", "-shm"]
    office("merge", source, "--unit-prefix", "东阿县·")
    assert untouched(source) == kept and len(office.json("log", "list", "--all")) == 337
    busy.close()

    for journal in ("wal", "delete"):  # another application's database, refused, is left as it was
        other = tmp_path / f"other-{journal}.db"
        with sqlite3.connect(other) as conn:
            conn.execute(f"PRAGMA journal_mode = {journal}")
            conn.execute("CREATE TABLE t (x)")
        conn.close()
        kept = untouched(other)
        assert kept[1] == []
        assert office.fails("merge", other) == f"zs: LEDGER '{other}': it has no zs schema; expected a zs ledger"
        assert untouched(other) == kept


def test_an_older_ledger_is_never_upgraded_in_place(office, tmp_path):
    first = tmp_path / "first.db"
    shutil.copy(FIXTURE, first)  # the first schema, without a change history
    kept = untouched(first)
    office("merge", first, "--unit-prefix", "旧·")
    assert untouched(first) == kept and migrations_of(first) == ["0001_initial"]
    assert [u["name"] for u in office.json("unit", "list")][6:] == ["旧·萧镇", "旧·区投资促进中心"]
    trips = [t for t in office.json("log", "list") if t["unit"] == "旧·萧镇"]
    assert [(t["date"], t["leader"], t["destination"], t["companies"]) for t in trips] == [
        ("2023-03-13", "旧·萧镇/王明", "深圳", ["比亚迪"])  # 王明 of each ledger: two people
    ]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("first")) == ["first.db"]  # no backup

    other = county_here(office, tmp_path)  # a county ledger of the second schema, on this engine
    older(other, 2)
    if office.ledgers.engine == "sqlite":
        other = at_rest(other)
        kept = untouched(other)
        office("merge", other, "--unit-prefix", "东阿县·")
        assert untouched(other) == kept and migrations_of(other) == ["0001_initial", "0002_change_history"]
        history = office.json("history")
        assert history[1]["command"].startswith("zs demo --db ") and history[1]["source"] == str(other)
    else:  # a server's ledger is upgraded by opening it with zs, not by a merge that reads it
        assert office.fails("merge", other, "--unit-prefix", "东阿县·") == (
            f"zs: LEDGER '{other}': it lacks migration 0003_change_source, and a merge only reads the other "
            "ledger; expected a ledger of this zs version: open it with this zs once (`zs history --db LEDGER`) "
            "to upgrade it"
        )
        assert migrations_of(other) == ["0001_initial", "0002_change_history"]


def test_a_damaged_source_is_named_not_the_target(office, tmp_path):
    import sqlite3

    damaged = tmp_path / "damaged.db"
    shutil.copy(FIXTURE, damaged)
    with sqlite3.connect(damaged) as conn:  # the index now says it holds what it does not
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(company)', '(activity_id)') "
            "WHERE name = 'ix_activity_company_company'"
        )
    conn.close()
    kept = untouched(damaged)
    assert office.fails("merge", damaged) == (
        f"zs: LEDGER '{damaged}': integrity check says: row 1 missing from index ix_activity_company_company; "
        "expected an undamaged ledger"
    )
    assert untouched(damaged) == kept

    dangling = tmp_path / "dangling.db"
    shutil.copy(FIXTURE, dangling)
    with sqlite3.connect(dangling) as conn:
        conn.execute("UPDATE fund SET project_id = 99")
    conn.close()
    assert office.fails("merge", dangling) == (
        f"zs: LEDGER '{dangling}': fund 1 refers to a project that is not there; expected an undamaged ledger"
    )

    unreadable = tmp_path / "unreadable.db"
    shutil.copy(FIXTURE, unreadable)
    with sqlite3.connect(unreadable) as conn:
        conn.execute("UPDATE milestone SET date = 'soon' WHERE id = 1")
    conn.close()
    assert office.fails("merge", unreadable, "--unit-prefix", "旧·") == (
        f"zs: LEDGER '{unreadable}': milestone: Invalid isoformat string: 'soon'; expected a ledger whose every "
        "value can be read"
    )


@pytest.mark.parametrize(
    ("sql", "line"),
    [
        (
            "UPDATE fund SET amount_yuan = 10000000000001",
            "fund 1 amount_yuan 10000000000001: expected an amount of at most 100000亿元 (10万亿元)",
        ),
        (
            "UPDATE project SET amount_yuan = 9223372036854775807",
            "project 1 amount_yuan 9223372036854775807: expected an amount of at most 100000亿元 (10万亿元)",
        ),
        (
            "UPDATE unit SET name = '萧\u200b镇' WHERE name = '萧镇'",
            "unit 1 name '萧\\u200b镇': it holds U+200B; expected text without control or invisible characters",
        ),
        (
            "UPDATE activity SET note = 'bell\x07'",
            "activity 1 note 'bell\\x07': it holds U+0007; expected text without control or invisible characters",
        ),
        (
            "INSERT INTO activity_company VALUES (1, '\x1b[31m红')",
            "company 1 name '\\x1b[31m红': it holds U+001B; expected text without control or invisible characters",
        ),
        (
            "UPDATE milestone SET stage = 'signd' WHERE id = 1",
            "milestone 1 stage 'signd': expected one of dropped, lead, negotiating, producing, signed, started",
        ),
        (
            "UPDATE unit SET kind = 'village' WHERE name = '萧镇'",
            "unit 1 kind 'village': expected one of center, county, department, group, park, town",
        ),
    ],
    ids=["fund above 10万亿", "project at int64", "zero-width space", "bell", "escape", "stage", "unit kind"],
)
def test_values_from_the_source_are_checked_as_typed_ones(office, tmp_path, sql, line):
    import sqlite3

    source = tmp_path / "county.db"
    shutil.copy(FIXTURE, source)
    with sqlite3.connect(source) as conn:
        conn.execute(sql)
    conn.close()
    assert office.fails("merge", source, "--unit-prefix", "旧·") == f"zs: {source}: {line}"


def test_the_unit_prefix_is_checked_as_typed_text(office):
    assert office.fails("merge", FIXTURE, "--unit-prefix", "旧\x1b·") == (
        "zs: --unit-prefix '旧\\x1b·': it holds U+001B; expected text without control or invisible characters"
    )
