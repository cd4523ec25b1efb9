"""A CLI that guides: the period words a clerk types, --version, -h."""

from datetime import date

import pytest
from conftest import TEST_PLAN

from zhaoshang.errors import ZsError
from zhaoshang.parse import parse_period

TODAY = date(2024, 1, 15)


@pytest.mark.parametrize(
    "words, label",
    [
        ("本月", "2024-01"),
        ("上月", "2023-12"),  # across New Year
        ("本季度", "2024Q1"),
        ("上季度", "2023Q4"),
        ("今年", "2024"),
        ("去年", "2023"),
        ("9月", "2024-09"),
        ("Q3", "2024Q3"),
        ("第三季度", "2024Q3"),
        ("上半年", "2024H1"),
        ("2023年第三季度", "2023Q3"),  # a year given is kept
    ],
)
def test_the_period_words_of_a_clerks_month_are_seen_from_today(words, label):
    assert parse_period(words, "--month", TODAY).label == label


def test_a_period_word_without_a_day_to_see_it_from_is_refused():
    with pytest.raises(ZsError) as refused:
        parse_period("本月", "period")
    assert str(refused.value) == (
        "period '本月': expected a period such as 2023, 2023Q1, 2023-03, 2023-W07, 2023H1, 2023年3月, 本月, 上季度 or 去年"
    )
    with pytest.raises(ZsError):
        parse_period("13月", "--month", TODAY)


def test_a_report_reads_period_words_from_its_as_of(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-02-10")
    data = office.json("report", "month", "--month", "上月", "--as-of", "2023-03-10")
    assert data["window"] == {"label": "2023-02", "start": "2023-02-01", "end": "2023-02-28"}
    quarter = office.json("report", "quarter", "--quarter", "本季度", "--as-of", "2023-03-10")
    assert quarter["window"]["label"] == "2023Q1"


def test_version_and_h_as_help(zs):
    from importlib.metadata import version

    assert zs("--version").stdout == f"zs {version('zhaoshang')}\n"
    assert zs("report", "month", "-h").stdout.startswith("Usage: ")
    assert zs("-h").stdout == zs("--help").stdout


def test_an_unknown_unit_person_or_code_names_the_closest(office):
    assert office.fails("log", "trip", "--unit", "萧真", "--date", "2023-03-01") == (
        "zs: --unit '萧真': did you mean 萧镇?; expected a known unit (区投资促进中心, 萧镇, 商家镇, 区经济发展部, "
        "区文化旅游部, 区社会事务部); add it with `zs unit add` or `zs init`"
    )
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--leader", "王名").startswith(
        "zs: --leader '王名': did you mean 王明?; expected a known person"
    )
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--mode", "短平快").startswith(
        "zs: --mode '短平快': did you mean 短频快?; expected one of: "
    )
    assert office.fails("log", "trip", "--unit", "火星", "--date", "2023-03-01").startswith(
        "zs: --unit '火星': expected a known unit"  # nothing close: no guess
    )


def test_info_says_which_ledger_and_targets_and_why_and_creates_nothing(zs, tmp_path, monkeypatch):
    missing = tmp_path / "typo.db"
    out = zs("info", "--db", missing).stdout.splitlines()
    assert out[:2] == [f"ledger:  {missing} (from --db)", "         does not exist yet: `zs init` creates it"]
    assert not missing.exists()
    zs("init")
    zs("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    data = zs.json("info")
    assert data["ledger"] | {"location": "L"} == {
        "location": "L",
        "why": "ZS_DB",
        "exists": True,
        "schema": "0012_figure_void",
        "migrations": 12,
        "units": 6,
        "people": 10,
        "activities": 1,
        "projects": 0,
        "funds": 0,
        "companies": 0,
        "figures": 0,
    }
    assert data["targets"] == {
        "path": str(TEST_PLAN),
        "why": "ZS_TARGETS",
        "region": "文昌湖区",
        "year": 2023,
        "quotas": 13,
        "campaigns": [],
    }


def test_every_report_names_its_targets_file(office):
    assert office.json("report", "year", "--year", "2023")["targets_file"] == str(TEST_PLAN)
    assert office("report", "alerts", "--as-of", "2023-03-31").stdout.rstrip().endswith(f"指标文件：{TEST_PLAN}")


# --- only zs init makes a ledger ------------------------------------------------------------------


def test_a_mistyped_ledger_is_one_line_and_nothing_is_made(zs, tmp_path):
    typo = tmp_path / "folder" / "typo.db"
    line = zs.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--db", typo)
    assert line == (
        f"zs: --db '{typo}': there is no such file; expected a ledger made by `zs init` "
        "(or a command run as `zs --create …`)"
    )
    assert not typo.parent.exists()
    for command in (["report", "quarter", "--quarter", "2023Q1"], ["history"], ["undo", "--yes"]):
        assert zs.fails(*command, "--db", typo) == line
    assert not typo.parent.exists()


def test_init_or_create_makes_the_ledger(zs, tmp_path):
    made = tmp_path / "new.db"
    assert zs("init", "--db", made).stdout.startswith(f"ledger {made}: 6 units and 10 people added")
    other = tmp_path / "other.db"
    zs("--create", "unit", "add", "新镇", "--kind", "town", "--db", other)
    assert [u["name"] for u in zs.json("unit", "list", "--db", other)] == ["新镇"]


def test_an_empty_database_is_not_taken_for_a_ledger_without_init(ledgers, zs):
    empty = ledgers.new("empty", made=False)  # a file not there, or an empty schema on a server
    assert "expected a ledger made by `zs init`" in zs.fails("unit", "list", "--db", empty)
    zs("init", "--db", empty)
    assert len(zs.json("unit", "list", "--db", empty)) == 6


# --- undo asks first; history in local time; --xlsx does not overwrite ---------------------------


def _on_a_terminal(args: list[str], answer: str, env: dict) -> tuple[int, str]:
    """Run zs with a terminal for its stdin (a pty), typing `answer`; (exit code, all it printed)."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "zhaoshang", *args],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=ROOT,
        env=env,
    )
    os.close(follower)
    os.write(leader, answer.encode())
    out, _ = proc.communicate(timeout=60)
    os.close(leader)
    return proc.returncode, out.decode()


@pytest.mark.engines("sqlite")  # a terminal of its own: the pty runs zs in a child on a file ledger
def test_undo_on_a_terminal_shows_the_change_and_asks(office, monkeypatch):
    import os

    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    env = os.environ | {"ZS_DB": str(office.db), "TZ": "UTC"}
    code, out = _on_a_terminal(["undo"], "n\n", env)
    assert code == 1
    assert "zs undo would reverse change #2 (" in out
    assert ", zs log trip --unit 萧镇 --date 2023-03-01): " in out
    assert out.rstrip().endswith("nothing undone")
    assert len(office.json("log", "list")) == 1  # still there
    code, out = _on_a_terminal(["undo"], "y\n", env)
    assert code == 0, out
    assert "undid change #2 (" in out
    assert office.json("log", "list") == []


def test_undo_of_a_change_no_longer_the_latest_is_refused(office):
    from zhaoshang import db, history
    from zhaoshang.db import writing

    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")
    engine = db.connect(office.db)
    try:
        with pytest.raises(ZsError) as refused, writing(engine, history=False) as session:
            history.undo_latest(session, "zs undo", expected=2)
    finally:
        engine.dispose()
    assert str(refused.value) == (
        "undo '#2': change #3 (zs log trip --unit 萧镇 --date 2023-03-02) came since; nothing undone: run zs undo "
        "again; expected the change shown to be the latest one still"
    )
    assert len(office.json("log", "list")) == 2


def test_history_shows_the_desks_local_time_with_its_zone(office, monkeypatch):
    import time
    from datetime import UTC, datetime

    from zhaoshang.history import local_time

    moment = datetime(2024, 5, 6, 2, 3, 4, tzinfo=UTC)
    monkeypatch.setenv("TZ", "Asia/Shanghai")
    time.tzset()
    try:
        assert local_time(moment) == "2024-05-06 10:03:04 UTC+08:00"
        assert local_time(moment, seconds=False) == "2024-05-06 10:03 UTC+08:00"
        office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
        shown = office("history").stdout
        at = office.json("history")[0]["at"]  # JSON stays in UTC, one zone for every script
        assert at.endswith(" UTC")
        assert local_time(datetime.strptime(at, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)) in shown
        monkeypatch.setenv("TZ", "America/New_York")
        time.tzset()
        assert local_time(moment) == "2024-05-05 22:03:04 UTC-04:00"
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_xlsx_refuses_to_overwrite_without_overwrite(office, tmp_path):
    book = tmp_path / "通报.xlsx"
    book.write_bytes(b"the leader's own notes")
    line = office.fails("report", "quarter", "--quarter", "2023Q1", "--xlsx", book)
    assert (
        line == f"zs: --xlsx '{book}': it exists; expected a path with nothing there yet (or --overwrite to replace it)"
    )
    assert book.read_bytes() == b"the leader's own notes"
    office("report", "quarter", "--quarter", "2023Q1", "--xlsx", book, "--overwrite")
    assert book.read_bytes()[:2] == b"PK"  # a workbook now


def test_the_readme_first_day_runs_on_a_fresh_ledger_and_reports_what_it_typed(zs, tmp_path, monkeypatch):
    """The README's first day, line by line, on a ledger that does not exist yet, with the office's plan."""
    import shlex

    from conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("A first day with your own office:\n\n```sh\n", 1)[1].split("```", 1)[0]
    lines = [line.split("  #", 1)[0].strip() for line in block.splitlines() if line.strip()]
    assert lines[0] == "zs init" and lines[-1].startswith("zs report year ")
    monkeypatch.setenv("ZS_DB", str(tmp_path / "first-day.db"))
    monkeypatch.setenv("ZS_TARGETS", str(ROOT / "config" / "targets.yaml"))
    for line in lines:
        zs(*shlex.split(line)[1:])
    assert (tmp_path / "年度报表.xlsx").exists()
    report = zs.json(*shlex.split(lines[-1])[1:-2])  # the same report, without its --xlsx
    [unit] = [u for u in report["units"] if u["unit"] == "萧镇"]
    assert unit == {"unit": "萧镇", "outside_funds_yuan": 50000000, "big_projects": 1, "signed_projects": 1, "trips": 1}
    [trips] = [r for r in report["quotas"] if r["quota"] == "town-trips" and r["subject"] == "萧镇"]
    assert (trips["actual"], trips["target"], trips["status"]) == (1, 4, "behind")
