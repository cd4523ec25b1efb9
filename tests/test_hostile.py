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

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
TEXT = st.text(alphabet=string.printable + "亿万元年月日号季度上下半镇萧商家王明外出招商签约省外—·、，；：（）¥￥０１２",
               max_size=24)
TODAY = __import__("datetime").date(2023, 6, 1)


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    db = tmp_path_factory.mktemp("hostile") / "ledger.db"
    runner = CliRunner()
    assert runner.invoke(app, ["init", "--db", str(db), "--targets", str(ROOT / "config" / "targets.yaml")]).exit_code == 0
    assert runner.invoke(app, ["project", "add", "甲", "--db", str(db), "--unit", "萧镇", "--amount", "1亿",
                               "--date", "2023-01-01"]).exit_code == 0
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
        assert len(lines) == 1 and lines[0].startswith("zs: "), result.stderr
        assert counts(db) == before
    return result


@given(text=TEXT)
@settings(max_examples=300, deadline=None)
def test_parsers_answer_or_refuse_cleanly(text):
    for parse in (lambda t: parse_amount(t, "amount"), lambda t: parse_date(t, TODAY, "date"),
                  lambda t: parse_period(t, "period")):
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
@given(argv=st.lists(st.sampled_from(["log", "trip", "visit", "project", "add", "fund", "report", "quarter",
                                      "--unit", "萧镇", "--date", "2023-13-01", "--amount", "-1", "--json",
                                      "--xlsx", "--as-of", "today", "import", "export", "undo", "--", "x", "1"])
                     | TEXT, max_size=8))
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
@given(document=st.one_of(
    TEXT,
    st.recursive(st.none() | st.booleans() | st.integers(-5, 10**12) | TEXT,
                 lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                     st.sampled_from(["region", "year", "units", "people", "quotas", "campaigns", "rankings", "scoring",
                                      "id", "count", "sum", "rate", "who", "per", "at_least", "where", "each", "from",
                                      "to", "by", "weight", "quota", "points", "mode", "town"]) | TEXT,
                     inner, max_size=4), max_leaves=12)))
def test_targets_check_with_any_yaml(tmp_path_factory, document):
    import yaml

    path = tmp_path_factory.mktemp("yaml") / "targets.yaml"
    path.write_text(document if isinstance(document, str) else yaml.safe_dump(document, allow_unicode=True),
                    encoding="utf-8")
    result = CliRunner().invoke(app, ["targets", "check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code != 0:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"zs: {path}") or lines[0].startswith("zs: --targets"), \
            result.stderr
