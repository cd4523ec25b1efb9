"""Hostile input: whatever is typed, a command ends with exit 0 or one clear line — never a traceback,
and never a half-written ledger."""

import sqlite3
import string

import pytest
from conftest import ROOT, TABLES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from zhaoshang.cli import app
from zhaoshang.errors import ZsError
from zhaoshang.parse import parse_amount, parse_date, parse_period

FAST = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(
    alphabet=string.printable + "亿万元年月日号季度上下半镇萧商家王明外出招商签约省外—·、，；：（）¥￥０１２",
    max_size=24,
)
TODAY = __import__("datetime").date(2023, 6, 1)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "ledger.db"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["init", "--db", str(db), "--targets", str(ROOT / "config" / "targets.yaml")]).exit_code == 0
    )
    assert (
        runner.invoke(
            app, ["project", "add", "甲", "--db", str(db), "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-01"]
        ).exit_code
        == 0
    )
    return db


def counts(db):
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (*TABLES, "change")}


def run(db, args):
    before = counts(db)
    result = CliRunner().invoke(app, [*args, "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        assert result.exit_code in (1, 2)
        lines = result.stderr.strip().splitlines()
        assert lines[0].startswith("zs: ") and "unexpected error" not in lines[0], result.stderr
        if "bad row" not in lines[0]:  # an import lists its bad cells, one indented line each
            assert len(lines) == 1, result.stderr
        assert all(line.startswith("  ") for line in lines[1:]), result.stderr
        assert counts(db) == before
    return result


@given(text=TEXT)
@settings(max_examples=300, deadline=None)
def test_parsers_answer_or_refuse_cleanly(text):
    for parse in (
        lambda t: parse_amount(t, "amount"),
        lambda t: parse_date(t, TODAY, "date"),
        lambda t: parse_period(t, "period"),
    ):
        try:
            value = parse(text)
        except ZsError as exc:
            assert "\n" not in str(exc) or "\n" in text
        else:
            assert value is not None


@FAST
@given(unit=TEXT, day=TEXT, leader=TEXT, mode=TEXT, to=TEXT, company=TEXT, end=TEXT)
def test_log_trip_with_anything(ledger, unit, day, leader, mode, to, company, end):
    args = ["log", "trip", "--unit", unit, "--date", day, "--to", to, "--company", company]
    args += ["--leader", leader] if leader else []
    args += ["--mode", mode] if mode else []
    args += ["--end", end] if end else []
    run(ledger, args)


@FAST
@given(amount=TEXT, origin=TEXT, day=TEXT, stage=TEXT, project=TEXT)
def test_project_commands_with_anything(ledger, amount, origin, day, stage, project):
    run(ledger, ["project", "fund", project or "1", "--amount", amount, "--origin", origin, "--date", day])
    run(ledger, ["project", "advance", project or "1", "--to", stage, "--date", day])
    run(ledger, ["project", "add", project or "乙", "--unit", "萧镇", "--amount", amount, "--stage", stage])


@FAST
@given(
    argv=st.lists(
        st.sampled_from(
            [
                "log",
                "trip",
                "visit",
                "project",
                "add",
                "fund",
                "report",
                "quarter",
                "--unit",
                "萧镇",
                "--date",
                "2023-13-01",
                "--amount",
                "-1",
                "--json",
                "--xlsx",
                "--as-of",
                "today",
                "import",
                "export",
                "undo",
                "--",
                "x",
                "1",
            ]
        )
        | TEXT,
        max_size=8,
    )
)
def test_random_argument_vectors(ledger, argv):
    if "undo" in argv or "export" in argv or "--xlsx" in argv or "import" in argv:
        return  # these act on files or on the history; covered by their own tests
    run(ledger, argv)


@FAST
@given(cells=st.lists(st.lists(TEXT, min_size=4, max_size=4), min_size=1, max_size=6))
def test_import_any_csv_cells(ledger, tmp_path_factory, cells):
    path = tmp_path_factory.mktemp("csv") / "cells.csv"
    import csv

    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["日期", "单位", "类型", "企业"])
        writer.writerows(cells)
    before = counts(ledger)
    result = CliRunner().invoke(app, ["import", "activities", str(path), "--db", str(ledger)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code != 0:
        lines = result.stderr.splitlines()
        assert lines[0].startswith("zs: ") and all(line.startswith("  ") for line in lines[1:])
        assert counts(ledger) == before


@FAST
@given(
    document=st.one_of(
        TEXT,
        st.recursive(
            st.none() | st.booleans() | st.integers(-5, 10**12) | TEXT,
            lambda inner: (
                st.lists(inner, max_size=3)
                | st.dictionaries(
                    st.sampled_from(
                        [
                            "region",
                            "year",
                            "units",
                            "people",
                            "quotas",
                            "campaigns",
                            "rankings",
                            "scoring",
                            "id",
                            "count",
                            "sum",
                            "rate",
                            "who",
                            "per",
                            "at_least",
                            "where",
                            "each",
                            "from",
                            "to",
                            "by",
                            "weight",
                            "quota",
                            "points",
                            "mode",
                            "town",
                        ]
                    )
                    | TEXT,
                    inner,
                    max_size=4,
                )
            ),
            max_leaves=12,
        ),
    )
)
def test_targets_check_with_any_yaml(tmp_path_factory, document):
    import yaml

    path = tmp_path_factory.mktemp("yaml") / "targets.yaml"
    path.write_text(
        document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True), encoding="utf-8"
    )
    result = CliRunner().invoke(app, ["targets", "check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"zs: {path}") or lines[0].startswith("zs: --targets"), (
            result.stderr
        )


# --- every value of every command -------------------------------------------------------------------

# A working invocation of every command (after `zs`, before `--db`); each of its values is then
# replaced, one at a time, by every hostile value below.
WORKING = {
    "unit add": ["新镇", "--kind", "town"],
    "unit list": ["--csv"],
    "person add": ["新人", "--unit", "萧镇", "--role", "staff"],
    "person list": ["--unit", "萧镇", "--csv"],
    "log trip": [
        "--unit",
        "萧镇",
        "--unit",
        "区投资促进中心",
        "--with",
        "孙志强",
        "--date",
        "2023-03-01",
        "--end",
        "2023-03-02",
        "--leader",
        "王明",
        "--mode",
        "以商招商",
        "--to",
        "深圳",
        "--company",
        "甲公司",
        "--project",
        "1",
        "--note",
        "备注",
    ],
    "log visit": ["--unit", "萧镇", "--date", "2023-03-01", "--company", "甲公司", "--to", "深圳", "--note", "备注"],
    "log reception": ["--unit", "萧镇", "--date", "2023-03-01", "--company", "甲公司", "--note", "备注"],
    "log event": ["--unit", "萧镇", "--date", "2023-03-01", "--type", "推介会", "--to", "上海", "--note", "备注"],
    "log meeting": ["--unit", "萧镇", "--date", "2023-03-01", "--note", "备注"],
    "log list": [
        "--unit",
        "萧镇",
        "--kind",
        "trip",
        "--period",
        "2023Q1",
        "--since",
        "2023-02-01",
        "--company",
        "甲公司",
        "--leader",
        "王明",
        "--limit",
        "5",
        "--csv",
    ],
    "log void": ["1", "--reason", "重复"],
    "project add": [
        "乙",
        "--unit",
        "萧镇",
        "--amount",
        "2亿",
        "--company",
        "乙公司",
        "--industry",
        "新能源",
        "--stage",
        "在谈",
        "--date",
        "2023-02-01",
        "--deadline",
        "2023-12-31",
    ],
    "project advance": ["1", "--to", "签约", "--date", "2023-04-01", "--note", "签了"],
    "project fix": ["1", "--stage", "线索", "--date", "2023-01-02"],
    "project fund": ["1", "--amount", "1000万", "--origin", "省外", "--date", "2023-05-01", "--note", "首笔"],
    "project void-fund": ["1", "--reason", "重复"],
    "project note": [
        "1",
        "用地",
        "--problem",
        "--assignee",
        "自然资源局",
        "--due",
        "2023-06-30",
        "--date",
        "2023-05-02",
    ],
    "project resolve": ["1", "--date", "2023-05-03", "--note", "已协调"],
    "project edit": ["1", "--name", "甲", "--amount", "3亿", "--type", "增资", "--increase", "1亿", "--owner", "王明"],
    "company add": ["新公司", "--tier", "上市公司", "--origin", "深圳", "--industry", "新能源", "--contact", "王 139"],
    "company set": ["丙公司", "--tier", "global500", "--no-tier", "listed", "--contact", "李 138"],
    "company list": ["--tier", "世界500强", "--csv"],
    "company show": ["甲公司"],
    "company merge": ["甲公司", "乙公司"],
    "figure set": ["外贸进出口", "--period", "2023-06", "--value", "1.2亿", "--unit", "萧镇", "--note", "统计局"],
    "figure list": ["--name", "外贸进出口", "--unit", "萧镇", "--period", "2023", "--csv"],
    "project list": ["--stage", "签约", "--unit", "萧镇", "--csv"],
    "project show": ["1"],
    "report month": ["--month", "2023-03", "--as-of", "2023-03-31"],
    "report quarter": ["--quarter", "2023Q1", "--as-of", "2023-03-31"],
    "report year": ["--year", "2023", "--as-of", "2023-12-31"],
    "report campaign": [
        "autumn-push",
        "--as-of",
        "2023-10-31",
        "--targets",
        str(ROOT / "config" / "plans" / "001-autumn-push-2023.yaml"),
    ],
    "report rank": ["--quarter", "2023Q1"],
    "report score": ["--year", "2023"],
    "report alerts": ["--as-of", "2023-06-30"],
    "history": ["--limit", "3"],
    "template activities": ["活动模板.xlsx", "--unit", "萧镇", "--overwrite"],
    "template projects": ["项目模板.xlsx", "--unit", "萧镇", "--overwrite"],
    "template companies": ["客商模板.xlsx", "--overwrite"],
    "import activities": [str(ROOT / "tests" / "fixtures" / "sheet-activities.csv"), "--year", "2023", "--key", "编号"],
    "import projects": [str(ROOT / "tests" / "fixtures" / "sheet-projects.csv"), "--year", "2023", "--key", "编号"],
}
HOSTILE = [
    "",
    " ",
    "a\x07b",
    "\x00",
    "\x1b[31mred",
    "萧\u200b镇",
    "\u202e镇萧",
    "\ufeff萧镇",
    "line\nbreak",
    "tab\there",
    "\udcff",
    "9" * 30,
    "-1",
    "0",
    "１",
    "²",
    "٣",
    "9223372036854775808",
    "1e309",
    "nan",
    "9999-12-31",
    "0001-01-01",
    "9999Q4",
    "99999999999999999999亿",
    "%",
    "_",
    "'; DROP TABLE unit; --",
    "x" * 5000,
]


def _values(args):
    """The positions in `args` that hold a value (not an option name)."""
    return [i for i, word in enumerate(args) if not word.startswith("--")]


@pytest.fixture(scope="module")
def office(tmp_path_factory):
    db = tmp_path_factory.mktemp("every") / "ledger.db"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["init", "--db", str(db), "--targets", str(ROOT / "config" / "targets.yaml")]).exit_code == 0
    )
    for args in (
        ["project", "add", "甲", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-01"],
        ["project", "fund", "1", "--amount", "100万", "--origin", "省外", "--date", "2023-02-01"],
        ["log", "visit", "--unit", "萧镇", "--date", "2023-02-01", "--company", "甲公司"],
        ["project", "note", "1", "电价", "--problem", "--date", "2023-02-02"],
        ["company", "add", "乙公司", "--tier", "listed"],
        ["company", "add", "丙公司", "--tier", "listed"],  # company set's own: company merge takes 甲 and 乙
    ):
        assert runner.invoke(app, [*args, "--db", str(db)]).exit_code == 0
    return db


@pytest.mark.parametrize("command", sorted(WORKING))
def test_every_value_of_every_command_answers_or_refuses_in_one_line(office, command, tmp_path, monkeypatch):
    from zhaoshang.parse import unsafe_character

    monkeypatch.chdir(tmp_path)  # where a command that writes a file (zs template) writes it
    base = [*command.split(), *WORKING[command]]
    assert run(office, base).exit_code == 0, base  # the working invocation works
    for position in _values(base)[len(command.split()) :]:
        for hostile in HOSTILE:
            args = [*base[:position], hostile, *base[position + 1 :]]
            result = run(office, args)
            assert "\x1b" not in result.output and "\x07" not in result.output, args
            if unsafe_character(hostile) or "\udcff" in hostile:
                assert result.exit_code != 0, f"{args} accepted a control or invisible character"


PATHS = [
    "",
    "/",
    ".",
    "missing/folder/file",
    "x" * 300,
    "fifo",
    "/proc/version",
    "a\x07b",
    "萧\u200b镇.xlsx",
    "\udcff.csv",
    "dir/",
    "dir",
]  # fifo: a named pipe, as a device would be (never /dev/null: root could replace it)
FILE_COMMANDS = {
    "export": ["export", "{}"],
    "export csv": ["export", "{}", "--format", "csv"],
    "export json": ["export", "{}", "--format", "json"],
    "report xlsx": ["report", "quarter", "--quarter", "2023Q1", "--xlsx", "{}"],
    "report docx": ["report", "quarter", "--quarter", "2023Q1", "--docx", "{}"],
    "report targets": ["report", "year", "--year", "2023", "--targets", "{}"],
    "backup": ["backup", "{}"],
    "restore": ["restore", "{}"],
    "merge": ["merge", "{}", "--unit-prefix", "外·"],
    "import activities": ["import", "activities", "{}"],
    "import companies": ["import", "companies", "{}"],
    "import figures": ["import", "figures", "{}"],
    "import projects errors": ["import", "projects", "bad.csv", "--errors", "{}"],
    "targets check": ["targets", "check", "{}"],
    "template": ["template", "activities", "{}", "--overwrite"],
}


@pytest.mark.parametrize("command", sorted(FILE_COMMANDS))
def test_every_path_answers_or_refuses_in_one_line(office, tmp_path, monkeypatch, command):
    import faulthandler
    import os

    monkeypatch.chdir(tmp_path)
    (tmp_path / "dir").mkdir()
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "bad.csv").write_text("项目名称,招引单位,投资额\n丙,火星镇,1亿\n", encoding="utf-8")  # one bad row
    faulthandler.dump_traceback_later(120, exit=True)  # a command that opens the pipe would wait forever
    try:
        _every_path(office, command)
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert (tmp_path / "fifo").is_fifo()  # never replaced by a file


def _every_path(office, command):
    for path in PATHS:
        args = [path if word == "{}" else word for word in FILE_COMMANDS[command]]
        result = run(office, args)
        assert "\x1b" not in result.output and "\x07" not in result.output, args


def test_text_stored_before_the_checks_is_shown_escaped_in_every_table(tmp_path):
    """A ledger written before text was checked (or merged from one) may hold an escape sequence or
    markup-like brackets: every table shows them as text, and the terminal never receives them."""
    db = tmp_path / "old.db"
    runner = CliRunner()
    assert (
        runner.invoke(app, ["init", "--db", str(db), "--targets", str(ROOT / "config" / "targets.yaml")]).exit_code == 0
    )
    assert (
        runner.invoke(
            app, ["project", "add", "甲", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-01", "--db", str(db)]
        ).exit_code
        == 0
    )
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE unit SET name = '\x1b[31m萧镇' WHERE name = '萧镇'")
        conn.execute("UPDATE project SET name = 'a[/x]\u202e甲'")
        conn.execute("UPDATE change SET command = 'zs \x07log'")
    for args in (["unit", "list"], ["project", "list"], ["project", "show", "1"], ["history"]):
        result = runner.invoke(app, [*args, "--db", str(db)])
        assert result.exit_code == 0, (args, result.stderr)
        assert not any(c in result.stdout for c in "\x1b\x07\u202e"), args
    shown = runner.invoke(app, ["project", "show", "1", "--db", str(db)]).stdout
    assert "项目 #1 a[/x]\\u202e甲" in shown and "\\x1b[31m萧镇" in shown
    assert "zs \\x07log" in runner.invoke(app, ["history", "--db", str(db)]).stdout
