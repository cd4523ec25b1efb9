"""`zs targets backtest`: a draft 考核办法 tried on 2022, on a ledger whose answers are worked out by
hand below. Both files are written for 2023; the backtest tries them on a year they were not for."""

import pytest

# The scores are reports.scores' (run on both engines by the score tests); the main test here runs on
# both as well, the rest on SQLite.
ENGINES = ("sqlite",)

HEAD = """\
region: 测试区
year: 2023
units:
  甲镇: town
  乙镇: town
  丙部: department
quotas:
  - {id: trips, title: 外出招商, count: trips, who: {units: [甲镇, 乙镇, 丙部]}, per: year, at_least: 4}
  - {id: big, title: 十亿元项目, count: projects, where: {reached: signed, amount_at_least: 10亿},
     who: {units: [甲镇, 乙镇, 丙部]}, per: year, at_least: 1}
"""
IN_FORCE = (
    HEAD
    + """\
scoring:
  - {id: trips-score, title: 外出招商得分, quota: trips, points: 40, partial: true}
"""
)
DRAFT = (
    HEAD
    + """\
scoring:
  - {id: trips-score, title: 外出招商得分, quota: trips, points: 20, partial: true}
  - {id: signed-score, title: 签约项目得分, count: projects, where: {reached: signed},
     who: {units: [甲镇, 乙镇, 丙部]}, points_each: 10}
  - {id: big-score, title: 十亿元项目得分, quota: big, points: 10}
"""
)
# 2022: trips 甲镇 4, 乙镇 2, 丙部 1; signings 乙镇 2, 丙部 1. The 2023 records must not count.
TRIPS = [("甲镇", "2022-02-01"), ("甲镇", "2022-04-01"), ("甲镇", "2022-06-01"), ("甲镇", "2022-08-01")]
TRIPS += [("乙镇", "2022-03-01"), ("乙镇", "2022-09-01"), ("丙部", "2022-05-01"), ("丙部", "2023-01-10")]
SIGNED = [("乙镇", "2022-04-10"), ("乙镇", "2022-10-10"), ("丙部", "2022-07-07"), ("甲镇", "2023-02-02")]


@pytest.fixture
def office(zs, tmp_path):
    for name, text in (("in-force.yaml", IN_FORCE), ("draft.yaml", DRAFT)):
        (tmp_path / name).write_text(text, encoding="utf-8")
    zs("init", "--targets", tmp_path / "in-force.yaml")
    for unit, day in TRIPS:
        zs("log", "trip", "--unit", unit, "--date", day)
    for number, (unit, day) in enumerate(SIGNED, start=1):
        zs("project", "add", f"项目{number}", "--unit", unit, "--amount", "1亿", "--stage", "签约", "--date", day)
    return tmp_path


def _backtest(zs, folder, *more):
    return zs.json("targets", "backtest", folder / "draft.yaml", "--targets", folder / "in-force.yaml", *more)


@pytest.mark.engines("sqlite", "postgresql")
def test_each_unit_under_both_files_and_the_rule_that_moved_it(zs, office):
    data = _backtest(zs, office, "--year", "2022")
    assert (data["year"]["label"], data["as_of"]) == ("2022", "2022-12-31")
    # in force: trips 40 × 4/4, 40 × 2/4, 40 × 1/4 → 甲 40, 乙 20, 丙 10.
    # draft: trips 20, 10, 5; signings 10 each: 0, 20, 10; no 十亿元 project → 甲 20, 乙 30, 丙 15.
    assert [(u["unit"], u["in_force_total"], u["in_force_rank"], u["draft_total"], u["draft_rank"], u["moved"])
            for u in data["units"]] == [
        ("乙镇", 20, 2, 30, 1, 1),
        ("甲镇", 40, 1, 20, 2, -1),
        ("丙部", 10, 3, 15, 3, 0),
    ]  # fmt: skip
    # Changes, draft less in force: trips 甲 −20, 乙 −10, 丙 −5 (mean −35/3); signings 0, +20, +10
    # (mean +10); 十亿元 0. 乙 rose most on signings: 20 − 10 = +10 (trips: −10 + 11.67 = +1.67).
    # 甲 fell most on signings too: 0 − 10 = −10 (trips: −20 + 11.67 = −8.33).
    decided = {u["unit"]: (u["decided_by"], u["decided_title"], u["decided_points"]) for u in data["units"]}
    assert decided == {
        "乙镇": ("signed-score", "签约项目得分", 10),
        "甲镇": ("signed-score", "签约项目得分", -10),
        "丙部": (None, None, None),
    }
    assert data["spread"] == {
        "in_force": {"highest": 40, "lowest": 10, "range": 30},
        "draft": {"highest": 30, "lowest": 15, "range": 15},
    }


def test_the_drafts_rules_that_separate_no_one(zs, office):
    rules = {r["rule"]: r for r in _backtest(zs, office, "--year", "2022")["rules"]}
    assert list(rules) == ["trips-score", "signed-score", "big-score"]
    trips, signed, big = rules.values()
    assert (trips["units"], trips["met"], trips["highest"], trips["lowest"], trips["verdicts"]) == (3, 1, 20, 5, [])
    # a rule counting items has no target to meet; 甲镇 signed nothing in 2022 and earns 0
    assert (signed["units"], signed["met"], signed["highest"], signed["lowest"]) == (3, None, 20, 0)
    assert (big["units"], big["met"], big["verdicts"]) == (3, 0, ["none_met", "no_spread"])


def test_the_terminal_names_the_rule_and_the_rules_that_rank_no_one(zs, office):
    out = zs("targets", "backtest", office / "draft.yaml", "--targets", office / "in-force.yaml",
             "--year", "2022", "--width", "120").stdout  # fmt: skip
    assert "考核办法草案试算：测试区2022年（截至 2022-12-31）" in out
    line = next(line for line in out.splitlines() if "乙镇" in line)
    assert [cell.strip() for cell in line.split("│")[1:-1]] == [
        "乙镇",
        "20",
        "2",
        "30",
        "1",
        "升1位",
        "签约项目得分",
        "+10分",
    ]
    assert "现行：最高40分，最低10分，相差30分" in out and "草案：最高30分，最低15分，相差15分" in out
    big = next(line for line in out.splitlines() if "十亿元项目得分" in line)
    assert "无单位完成、各单位得分相同" in big


def test_a_year_still_running_is_tried_to_as_of(zs, office):
    data = _backtest(zs, office, "--year", "2023", "--as-of", "2023-03-01")
    # 2023 to 1 March: 丙部 one trip, 甲镇 one signing; trips are scored on the year still running.
    assert data["as_of"] == "2023-03-01"
    assert [(u["unit"], u["in_force_total"], u["draft_total"]) for u in data["units"]] == [
        ("甲镇", 0, 10),
        ("丙部", 10, 5),
        ("乙镇", 0, 0),
    ]


def test_bad_input_is_one_line(zs, office):
    assert zs.fails("targets", "backtest", office / "draft.yaml", "--targets", office / "in-force.yaml",
                    "--year", "2022年底") .startswith("zs: --year '2022年底': expected")  # fmt: skip
    missing = office / "none.yaml"
    assert zs.fails("targets", "backtest", missing, "--year", "2022").startswith(f"zs: DRAFT '{missing}': No such file")
    (office / "no-rules.yaml").write_text(HEAD, encoding="utf-8")
    assert zs.fails("targets", "backtest", office / "no-rules.yaml", "--year", "2022") == (
        f"zs: DRAFT '{office / 'no-rules.yaml'}': it has none; expected a quota file with year scoring rules (scoring:)"
    )
