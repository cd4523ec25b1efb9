"""Every figure counted exactly as the plan means it: a city of three counties, a campaign, rankings
and scoring, with the exact numbers a leader would defend — and the engine on a fake ledger."""

import textwrap
from datetime import date
from decimal import Decimal

import pytest
from said import said

from zhaoshang.config import ScoreRule, Targets
from zhaoshang.labels import Stage, UnitKind
from zhaoshang.parse import parse_period
from zhaoshang.quota import Campaign, Filter, Metric, Quota, SpanBySpan, Who, evaluate
from zhaoshang.render.words import score_reason
from zhaoshang.reports import scores

D = date.fromisoformat

CITY = textwrap.dedent("""\
    region: 示范市
    year: 2023
    units: {甲县: county, 乙县: county, 丙县: county}
    people:
      - {name: 王伟, unit: 甲县, role: main_leader}
      - {name: 王伟, unit: 乙县, role: main_leader}
      - {name: 李娜, unit: 丙县, role: main_leader}
    quotas:
      - {id: signed, title: 签约项目, count: projects, who: {each: county}, per: quarter, at_least: 1}
      - {id: talks, title: 新增在谈项目, count: projects, where: {reached: negotiating}, who: {each: county},
         per: quarter, at_least: 1}
      - {id: start-rate, title: 开工率, rate: started_per_signed, who: {each: county}, per: year, at_least: 0.5}
      - {id: key-start-rate, title: 重点项目开工率, rate: started_per_signed, where: {key: true},
         who: {each: county}, per: year, at_least: 0.5}
      - {id: started-funds, title: 已开工项目到位资金, sum: funds, where: {reached: started}, who: region,
         per: year, at_least: 1亿}
      - {id: key-funds, title: 重点项目到位资金, sum: funds, where: {key: true}, who: region, per: year,
         at_least: 1亿}
      - {id: big-funds, title: 过亿元项目到位资金, sum: funds, where: {amount_at_least: 1亿}, who: region,
         per: year, at_least: 1亿}
      - {id: sz-trips, title: 赴SZ_园区招商, count: trips, where: {destination: sz_}, who: region, per: year,
         at_least: 1}
    campaigns:
      - id: push
        title: 三季度攻坚
        from: 2023-07-01
        to: 2023-09-30
        quotas:
          - {id: big-starts, title: 新开工5000万元以上项目, count: projects,
             where: {reached: started, amount_at_least: 5000万}, who: {each: county}, per: month, at_least: 1}
          - {id: leader-trips, title: 主要负责人外出招商, count: trips, who: {each_person: main_leader},
             at_least: 2}
    rankings:
      - {id: race-q, title: 季度竞赛, among: {each: county}, per: quarter, by: [{count: trips, weight: 1}]}
      - {id: race-y, title: 年度竞赛, among: {each: county}, per: year, by: [{count: trips, weight: 1}]}
    scoring:
      - {id: s-starts, quota: big-starts, points: 30, partial: true, late_start_credit: 0.5}
      - {id: s-leader, quota: leader-trips, points: 10, penalty_per_short: 2}
      - {id: s-rate, quota: start-rate, points: 10, partial: true}
""")


@pytest.fixture
def city(zs, tmp_path):
    targets = tmp_path / "city.yaml"
    targets.write_text(CITY, encoding="utf-8")
    zs("init", "--targets", targets)

    def project(name, unit, amount, signed, deadline=None, started=None, key=False):
        args = ["project", "add", name, "--unit", unit, "--amount", amount, "--stage", "签约", "--date", signed]
        zs(*args, *(["--deadline", deadline] if deadline else []), *(["--key"] if key else []))
        if started:
            zs("project", "advance", name, "--to", "开工", "--date", started)

    project("P1", "甲县", "8000万", "2023-06-01", deadline="2023-07-31", started="2023-08-10")  # late, big
    project("P2", "甲县", "3000万", "2023-06-01", deadline="2023-07-31", started="2023-08-15")  # late, small
    project("P3", "甲县", "6000万", "2023-06-01", deadline="2023-09-30", started="2023-09-05")  # on time
    project("P4", "乙县", "1亿", "2023-07-03", started="2023-07-20", key=True)
    project("P5", "乙县", "2亿", "2023-08-01")  # signed, not started
    project("P6", "甲县", "2亿", "2023-02-10")
    zs("project", "advance", "P6", "--to", "在谈", "--date", "2023-06-15", "--force", "--reason", "协议解除")
    zs("project", "fund", "P1", "--amount", "3000万", "--origin", "省外", "--date", "2023-07-15")
    zs("project", "fund", "P5", "--amount", "5000万", "--origin", "省外", "--date", "2023-08-20")
    zs("project", "fund", "P4", "--amount", "2000万", "--origin", "外资", "--date", "2023-09-01")
    zs("log", "trip", "--unit", "甲县", "--date", "2023-07-05", "--leader", "甲县/王伟", "--to", "SZ_1号园")
    zs("log", "trip", "--unit", "甲县", "--date", "2023-08-05", "--leader", "甲县/王伟", "--to", "sza")
    zs("log", "trip", "--unit", "乙县", "--date", "2023-07-10", "--leader", "乙县/王伟", "--to", "深圳")
    zs("log", "trip", "--unit", "乙县", "--date", "2023-06-20", "--leader", "乙县/王伟")
    zs.targets = targets
    return zs


def rows(data, quota):
    return [(r["subject"], r["period"], r["actual"], r["status"]) for r in data["quotas"] if r["quota"] == quota]


def test_late_starts_lower_only_the_period_and_the_quota_that_counted_them(city):
    data = city.json("report", "campaign", "push", "--targets", city.targets, "--as-of", "2023-09-30")
    assert rows(data, "big-starts") == [
        ("甲县", "2023-07", 0, "missed"),
        ("乙县", "2023-07", 1, "met"),
        ("丙县", "2023-07", 0, "missed"),
        ("甲县", "2023-08", 1, "met"),
        ("乙县", "2023-08", 0, "missed"),
        ("丙县", "2023-08", 0, "missed"),
        ("甲县", "2023-09", 1, "met"),
        ("乙县", "2023-09", 0, "behind"),
        ("丙县", "2023-09", 0, "behind"),
    ]
    score = city.json("report", "score", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    lines = {(s["unit"], line["rule"]): line for s in score["scores"] for line in s["lines"]}
    # P1 (8000万, late) counts half in August only; P2 (3000万, late) was never counted by this quota;
    # shares 0, 0.5, 1 -> 30 × 0.5
    assert said(lines[("甲县", "s-starts")]) == {
        "rule": "s-starts",
        "title": "新开工5000万元以上项目",
        "points": 15,
        "reason": "1.5/3，1/3个月达标，得 15，逾期开工 1 个按 0.5 个计",
    }
    assert [lines[("甲县", "s-starts")][k] for k in ("actual", "target", "late", "late_credit")] == [1.5, 3, 1, 0.5]
    assert [lines[("甲县", "s-starts")][k] for k in ("periods", "periods_met", "per")] == [3, 1, "month"]
    assert lines[("乙县", "s-starts")]["points"] == 10
    assert lines[("丙县", "s-starts")]["points"] == 0


def test_people_of_one_name_are_two_subjects(city):
    data = city.json("report", "campaign", "push", "--targets", city.targets, "--as-of", "2023-09-30")
    assert [
        (r["subject"], r["subject_unit"], r["actual"], r["status"])
        for r in data["quotas"]
        if r["quota"] == "leader-trips"
    ] == [("甲县/王伟", "甲县", 2, "met"), ("乙县/王伟", "乙县", 1, "behind"), ("李娜", "丙县", 0, "behind")]
    assert {r["subject_unit"] for r in data["quotas"] if r["quota"] == "big-starts"} == {None}
    score = city.json("report", "score", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    lines = {(s["unit"], line["rule"]): line for s in score["scores"] for line in s["lines"]}
    assert lines[("甲县", "s-leader")]["person"] == "甲县/王伟"
    assert said(lines[("甲县", "s-leader")]) == {
        "rule": "s-leader",
        "title": "主要负责人外出招商",
        "points": 10,
        "reason": "甲县/王伟: 2/2，得 10",
    }
    assert said(lines[("乙县", "s-leader")]) == {
        "rule": "s-leader",
        "title": "主要负责人外出招商",
        "points": -2,
        "reason": "乙县/王伟: 1/2，得 0，差 1 扣 2",
    }
    assert lines[("丙县", "s-leader")]["reason"] == "李娜: 0/2，得 0，差 2 扣 4"


def test_people_of_one_name_in_the_terminal_table(city, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = city("report", "campaign", "push", "--targets", city.targets, "--as-of", "2023-09-30").stdout
    assert "甲县/王伟" in out and "乙县/王伟" in out


def test_a_rate_with_nothing_to_divide_by_is_no_data(city):
    data = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    rate = {r["subject"]: r for r in data["quotas"] if r["quota"] == "start-rate"}
    assert (rate["甲县"]["actual"], rate["甲县"]["percent"], rate["甲县"]["status"]) == (1, 200, "met")
    assert (rate["乙县"]["actual"], rate["乙县"]["percent"], rate["乙县"]["status"]) == (0.5, 100, "met")
    assert rate["丙县"] | {} == {
        "quota": "start-rate",
        "title": "开工率",
        "subject": "丙县",
        "period": "2023",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "actual": None,
        "target": 0.5,
        "expected": 0.5,
        "percent": None,
        "status": "n/a",
        "blank": False,
        "subject_unit": None,
        "bound": "at_least",
    }
    # a filter on the rate: only 乙县 signed a key project
    assert [(r["subject"], r["actual"], r["status"]) for r in data["quotas"] if r["quota"] == "key-start-rate"] == [
        ("甲县", None, "n/a"),
        ("乙县", 1, "met"),
        ("丙县", None, "n/a"),
    ]
    score = city.json("report", "score", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    lines = {(s["unit"], line["rule"]): line for s in score["scores"] for line in s["lines"]}
    assert lines[("丙县", "s-rate")]["basis"] == "no_data"
    assert said(lines[("丙县", "s-rate")]) == {
        "rule": "s-rate",
        "title": "开工率",
        "points": 0,
        "reason": "无数据（无可计算的周期），不计分",
    }
    assert lines[("乙县", "s-rate")]["points"] == 10


def test_a_rate_with_nothing_to_divide_by_reads_无数据(city, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    out = city("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30").stdout
    line = next(row for row in out.splitlines() if "开工率" in row and "丙县" in row and "重点" not in row)
    assert "无数据" in line and "0.0%" not in line


def test_a_rate_with_nothing_to_divide_by_in_the_workbook(city, tmp_path):
    import openpyxl

    path = tmp_path / "year.xlsx"
    city("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30", "--xlsx", path)
    sheet = openpyxl.load_workbook(path)["指标完成情况"]
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "开工率" and r[2] == "丙县")
    assert row[3:] == ("2023年", None, 0.5, 0.5, None, "无数据")  # 周期, 完成, 目标, 序时进度, 完成率, 状态


def test_a_ranking_by_a_rate_shows_无数据_for_a_unit_with_nothing_to_divide_by(city, tmp_path, monkeypatch):
    import openpyxl

    ranked = tmp_path / "ranked.yaml"  # 丙县 signed nothing: it has no 开工率 and no completion of start-rate
    ranked.write_text(
        CITY.replace(
            "scoring:\n",
            "  - {id: race-start, title: 比开工率, among: {each: county}, per: year,\n"
            "     by: [{rate: started_per_signed, weight: 0.5}, {quota: start-rate, measure: percent, weight: 0.5}]}\n"
            "scoring:\n",
        ),
        encoding="utf-8",
    )
    args = ("report", "rank", "--year", "2023", "--targets", ranked, "--as-of", "2023-09-30")
    race = next(r for r in city.json(*args)["rankings"] if r["id"] == "race-start")
    # 甲县: P1, P2, P3 signed and started (P6's signing dissolved): 100%, 200% of 0.5; 乙县 P4 of P4, P5
    assert [(e["unit"], e["values"], e["scaled"], e["score"], e["rank"]) for e in race["entries"]] == [
        ("甲县", [1, 200], [100, 100], 100, 1),
        ("乙县", [0.5, 100], [50, 50], 50, 2),
        ("丙县", [None, None], [0, 0], 0, 3),
    ]
    monkeypatch.setenv("COLUMNS", "200")
    line = next(row for row in city(*args).stdout.splitlines() if "丙县" in row and "无数据" in row)
    assert [cell.strip() for cell in line.split("│")[1:-1]] == ["3", "丙县", "无数据", "无数据", "0.00"]
    assert "开工率完成率×0.5" in city(*args).stdout  # the quota by its title, not its id
    city(*args, "--xlsx", tmp_path / "rank.xlsx")
    book = openpyxl.load_workbook(tmp_path / "rank.xlsx")
    sheet = book["竞赛榜3"]  # the file's third ranking
    row = next(r for r in sheet.iter_rows(values_only=True) if r[1] == "丙县")
    assert row == (3, "丙县", "无数据", 0, "无数据", 0, 0)  # 名次, 单位, 开工率, 折算分, 完成率, 折算分, 得分


def test_funds_filtered_by_the_project(city):
    data = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    actual = {r["quota"]: r["actual"] for r in data["quotas"] if r["subject"] == "region"}
    assert actual["started-funds"] == 50_000_000  # P1 3000万 + P4 2000万; P5 never started
    assert actual["key-funds"] == 20_000_000  # P4
    assert actual["big-funds"] == 70_000_000  # P4 (1亿) + P5 (2亿)
    before = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-07-31")
    # as of July P1 had not started: its fund does not count yet
    assert {r["quota"]: r["actual"] for r in before["quotas"] if r["subject"] == "region"}["started-funds"] == 0


def test_destination_is_case_blind_and_takes_percent_and_underscore_literally(city):
    data = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-12-31")
    assert rows(data, "sz-trips") == [("region", "2023", 1, "met")]  # SZ_1号园, not sza


def test_a_rescinded_signing_stops_counting_from_its_date(city):
    q1 = city.json("report", "quarter", "--quarter", "2023Q1", "--targets", city.targets, "--as-of", "2023-03-31")
    assert rows(q1, "signed")[0] == ("甲县", "2023Q1", 1, "met")
    assert q1["units"][0]["signed_projects"] == 1
    # the rescission is dated 06-15: a Q1 report as of any later day no longer counts P6
    late = city.json("report", "quarter", "--quarter", "2023Q1", "--targets", city.targets, "--as-of", "2023-06-15")
    assert rows(late, "signed")[0] == ("甲县", "2023Q1", 0, "missed")
    year = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-12-31")
    assert rows(year, "signed")[:6] == [
        ("甲县", "2023Q1", 0, "missed"),
        ("乙县", "2023Q1", 0, "missed"),
        ("丙县", "2023Q1", 0, "missed"),
        ("甲县", "2023Q2", 3, "met"),
        ("乙县", "2023Q2", 0, "missed"),
        ("丙县", "2023Q2", 0, "missed"),
    ]
    # the reversal is not a new 在谈: P6 was in talks from February, and still is
    assert [r for r in rows(year, "talks") if r[0] == "甲县"][:2] == [
        ("甲县", "2023Q1", 1, "met"),
        ("甲县", "2023Q2", 3, "met"),
    ]
    assert year["units"][0] == {
        "unit": "甲县",
        "outside_funds_yuan": 30_000_000,
        "big_projects": 0,
        "signed_projects": 3,
        "trips": 2,
    }
    # signed again later: counted again, in the quarter it happened
    city("project", "advance", "P6", "--to", "签约", "--date", "2023-11-02")
    again = city.json("report", "year", "--year", "2023", "--targets", city.targets, "--as-of", "2023-12-31")
    assert [r for r in rows(again, "signed") if r[0] == "甲县"] == [
        ("甲县", "2023Q1", 0, "missed"),
        ("甲县", "2023Q2", 3, "met"),
        ("甲县", "2023Q3", 0, "missed"),
        ("甲县", "2023Q4", 1, "met"),
    ]


def test_each_ranking_is_measured_over_its_own_period(city):
    data = city.json("report", "rank", "--year", "2023", "--targets", city.targets, "--as-of", "2023-09-30")
    race_q, race_y = data["rankings"]
    assert (race_q["period"], [(e["unit"], e["values"], e["rank"]) for e in race_q["entries"]]) == (
        "2023Q3",
        [("甲县", [2], 1), ("乙县", [1], 2), ("丙县", [0], 3)],
    )
    assert (race_y["period"], [(e["unit"], e["values"], e["rank"]) for e in race_y["entries"]]) == (
        "2023",
        [("甲县", [2], 1), ("乙县", [2], 1), ("丙县", [0], 3)],
    )


def test_a_report_outside_the_plans_year_is_refused(city):
    assert city.fails("report", "quarter", "--quarter", "2024Q1", "--targets", city.targets) == (
        f"zs: --quarter '2024Q1': 2024Q1 is not in 2023; expected a window in 2023, the year of the plan "
        f"{city.targets} (for 2024, pass that year's plan with --targets FILE)"
    )
    assert city.fails("report", "alerts", "--as-of", "2024-01-05", "--targets", city.targets).startswith(
        "zs: --as-of '2024-01-05': 2024-01, the month of --as-of, is not in 2023; expected a day in 2023"
    )


def test_a_window_inside_a_campaign_of_the_file_may_cross_the_year(city, tmp_path):
    spanning = tmp_path / "winter.yaml"
    spanning.write_text(
        CITY.replace("from: 2023-07-01", "from: 2023-12-01").replace("to: 2023-09-30", "to: 2024-02-29"),
        encoding="utf-8",
    )
    data = city.json("report", "month", "--month", "2024-01", "--targets", spanning, "--as-of", "2024-01-31")
    assert data["window"]["label"] == "2024-01"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ["report", "quarter", "--quarter", "2023-03"],
            "zs: --quarter '2023-03': that is a month; expected a quarter such as 2023Q1",
        ),
        (
            ["report", "year", "--year", "2023-05"],
            "zs: --year '2023-05': that is a month; expected a year such as 2023",
        ),
        (
            ["report", "month", "--month", "2023Q1"],
            "zs: --month '2023Q1': that is a quarter; expected a month such as 2023-03",
        ),
        (
            ["report", "rank", "--year", "2023", "--quarter", "2023Q3"],
            "zs: --year '2023': --quarter 2023Q3 is given too; expected either --quarter or --year, not both",
        ),
        (
            ["report", "rank", "--quarter", "2023"],
            "zs: --quarter '2023': that is a year; expected a quarter such as 2023Q1",
        ),
        (
            ["report", "score", "--year", "2023Q4"],
            "zs: --year '2023Q4': that is a quarter; expected a year such as 2023",
        ),
    ],
)
@pytest.mark.engines("sqlite")  # refused before any ledger is read
def test_a_period_must_fit_its_report(city, args, message):
    assert city.fails(*args, "--targets", city.targets) == message


def test_a_week_across_new_year_counts_once(zs, tmp_path):
    targets = tmp_path / "weeks.yaml"
    targets.write_text(
        "region: 示范市\nunits: {甲县: county}\nquotas:\n"
        "  - {id: weekly, count: trips, who: region, per: week, at_least: 1}\n",
        encoding="utf-8",
    )
    zs("init", "--targets", targets)
    zs("log", "trip", "--unit", "甲县", "--date", "2022-12-30")
    zs("log", "trip", "--unit", "甲县", "--date", "2023-01-01")
    old = zs.json("report", "year", "--year", "2022", "--targets", targets)
    new = zs.json("report", "year", "--year", "2023", "--targets", targets)
    assert [(r["period"], r["start"], r["end"], r["actual"]) for r in old["quotas"]][-1] == (
        "2022-W52",
        "2022-12-26",
        "2022-12-31",
        1,
    )
    assert [(r["period"], r["start"], r["end"], r["actual"]) for r in new["quotas"]][0] == (
        "2022-W52",
        "2023-01-01",
        "2023-01-01",
        1,
    )


# --- the engine on a fake ledger --------------------------------------------------------------------


class FakeFacts(SpanBySpan):
    """A ledger reduced to figures: {(metric name, period start): {subject: value}}."""

    def __init__(self, subjects, figures, late=None, homes=None):
        self._subjects, self.figures, self.late, self.homes = subjects, figures, late or {}, homes or {}

    def subjects(self, who):
        return list(self._subjects)

    def person_units(self):
        return dict(self.homes)

    def measure(self, metric, who, start, end, as_of=None):
        return {k: Decimal(v) for k, v in self.figures.get((metric.name, start), {}).items()}

    def late_starts(self, metric, who, start, end, as_of=None):
        return {k: Decimal(v) for k, v in self.late.get(start, {}).items()}


def targets_with(quota: Quota, rule: ScoreRule) -> Targets:
    return Targets(
        path=None,
        region="示范市",
        year=2023,
        units={"甲县": UnitKind.county},
        people=[],
        quotas=[quota],
        scoring=[rule],
    )


def test_a_period_is_missed_only_after_its_last_day():
    q = Quota("trips", "外出招商", Metric("count", "trips"), Who("region"), "month", Decimal(2))
    facts = FakeFacts(["region"], {("trips", D("2023-03-01")): {"region": 1}})
    [last_day] = evaluate([q], parse_period("2023-03"), D("2023-03-31"), facts)
    [after] = evaluate([q], parse_period("2023-03"), D("2023-04-01"), facts)
    assert (last_day.status, after.status) == ("behind", "missed")


def test_scoring_leaves_periods_without_a_rate_out_of_the_share():
    q = Quota("rate", "开工率", Metric("rate", "started_per_signed"), Who("region"), "quarter", Decimal("0.5"))
    figures = {
        ("started_per_signed", D("2023-01-01")): {"region": "0.5"},
        ("started_per_signed", D("2023-04-01")): {},  # nothing signed in Q2
        ("started_per_signed", D("2023-07-01")): {"region": "0.25"},
    }
    facts = FakeFacts(["region"], figures)
    evaluated = evaluate([q], parse_period("2023"), D("2023-09-30"), facts)
    assert [(r.period, r.actual, r.percent, r.status) for r in evaluated] == [
        ("2023Q1", Decimal("0.5"), Decimal("100.0"), "met"),
        ("2023Q2", None, None, "n/a"),
        ("2023Q3", Decimal("0.25"), Decimal("50.0"), "behind"),
    ]
    rule = ScoreRule("s", "开工率", quota="rate", points=Decimal(10))
    [line] = scores(targets_with(q, rule), facts, parse_period("2023"), D("2023-09-30"))[0].lines
    assert line.points == Decimal("5.00")  # 1 of 2 periods met, not 1 of 3


def test_late_start_credit_never_takes_a_score_below_what_was_counted():
    campaign = Campaign("push", "攻坚", D("2023-07-01"), D("2023-08-31"))
    q = Quota(
        "starts",
        "开工",
        Metric("count", "projects", Filter(reached=Stage.started)),
        Who("region"),
        "month",
        Decimal(1),
        campaign,
    )
    figures = {("projects", D("2023-07-01")): {"region": 0}, ("projects", D("2023-08-01")): {"region": 1}}
    facts = FakeFacts(["region"], figures, late={D("2023-08-01"): {"region": 1}})
    rule = ScoreRule("s", "开工", quota="starts", points=Decimal(10), partial=True, late_start_credit=Decimal("0.5"))
    [line] = scores(targets_with(q, rule), facts, parse_period("2023"), D("2023-08-31"))[0].lines
    assert (line.points, line.actual, line.target, line.earned, line.late) == (
        Decimal("2.50"),
        Decimal("0.5"),
        Decimal(2),
        Decimal("2.50"),
        Decimal(1),
    )
    assert score_reason(line) == "0.5/2，0/2个月达标，得 2.5，逾期开工 1 个按 0.5 个计"
    assert score_reason(line, printed=True) == "开工 0.5/2，完成25%，2个月中0个月达标，得2.5分，逾期开工1个按0.5个计"
