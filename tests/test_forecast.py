"""`zs report forecast` on a small ledger whose answers are worked out by hand below."""

import pytest

# The figures are worked out in Python over what facts.py asks the ledger; the one test of each query
# (first day, candidates, stage moves, measures) runs on both engines, the rest on SQLite.
ENGINES = ("sqlite",)

PLAN = """\
region: 测试区
year: 2023
units:
  甲镇: town
people:
  - {name: 王一, unit: 甲镇, role: main_leader}
quotas:
  - {id: trips, title: 外出招商, count: trips, who: {units: [甲镇]}, per: year, at_least: 12}
  - {id: signed, title: 签约项目, count: projects, where: {reached: signed}, who: region, per: year, at_least: 3}
  - {id: funds, title: 到位资金, sum: funds, who: region, per: year, at_least: 1亿}
"""

# 在谈 -> 签约, days: 30, 40, 50, 60, 70 in 2022, 28 in 2023; P6 and P8 still 在谈 on 2023-06-30.
PROJECTS = [
    ("P1", "2022-01-01", "2022-01-31"),
    ("P2", "2022-02-01", "2022-03-13"),
    ("P3", "2022-03-01", "2022-04-20"),
    ("P4", "2022-04-01", "2022-05-31"),
    ("P5", "2022-05-01", "2022-07-10"),
    ("P6", "2022-06-01", None),
    ("P7", "2023-02-01", "2023-03-01"),
    ("P8", "2023-05-01", None),
]
TRIPS = ["2022-03-01", "2022-05-01", "2022-11-01", "2022-12-01", "2023-02-01", "2023-04-01", "2023-06-01"]
AS_OF = ("--year", "2023", "--as-of", "2023-06-30")


@pytest.fixture
def ledger(zs, tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("ZS_TARGETS", str(plan))
    zs("init", "--targets", plan)
    for number, (name, talks, signs) in enumerate(PROJECTS, start=1):
        zs("project", "add", name, "--unit", "甲镇", "--amount", "1亿", "--stage", "在谈", "--date", talks)
        if signs:
            zs("project", "advance", str(number), "--to", "签约", "--date", signs)
    for day in TRIPS:
        zs("log", "trip", "--unit", "甲镇", "--date", day)
    zs("project", "fund", "7", "--amount", "2000万", "--origin", "省外", "--date", "2023-03-10")
    return zs


def rows(ledger):
    return {r["quota"]: r for r in ledger.json("report", "forecast", *AS_OF)["rows"]}


def test_a_count_quota_needs_its_remainder_at_a_monthly_and_weekly_pace(ledger):
    trips = rows(ledger)["trips"]
    assert (trips["subject"], trips["period"], trips["actual"], trips["target"]) == ("甲镇", "2023", 3, 12)
    assert trips["needed"] == 9 and trips["days_left"] == 184  # 1 July to 31 December
    assert trips["per_month"] == 1.49  # 9 ÷ (184 ÷ 30.4375)
    assert trips["per_week"] == 0.34  # 9 ÷ (184 ÷ 7)
    assert trips["projected"] == 6.05  # 3 × 365 ÷ 181 days elapsed
    # 2022: 2 of its 4 trips by 30 June, so half the year's usually done by now: 3 ÷ 0.5
    assert trips["projected_seasonal"] == 6 and trips["seasonal_years"] == 1
    assert trips["projected_status"] == "missed"
    assert trips["history"] is None and trips["candidates"] == [] and trips["must_land"] == []


@pytest.mark.engines("sqlite", "postgresql")
def test_a_project_quota_names_its_candidates_their_dates_and_what_must_land(ledger):
    signed = rows(ledger)["signed"]
    assert (signed["actual"], signed["target"], signed["needed"]) == (1, 3, 2)
    assert signed["projected"] == 2.02  # 1 × 365 ÷ 181
    assert signed["projected_seasonal"] == 1.25  # 2022 had signed 4 of its 5 by 30 June: 1 ÷ 0.8
    # six moves 在谈 -> 签约 (28, 30, 40, 50, 60, 70 days): median 45; 6 of the 8 ever 在谈 signed
    assert signed["history"] == 6
    assert [(c["id"], c["name"], c["since"], c["expected_date"], c["conversion"]) for c in signed["candidates"]] == [
        (6, "P6", "2022-06-01", "2022-07-16", 0.75),
        (8, "P8", "2023-05-01", "2023-06-15", 0.75),
    ]
    assert signed["must_land"] == [6, 8]


def test_money_is_projected_in_yuan(ledger):
    funds = rows(ledger)["funds"]
    assert (funds["actual"], funds["needed"]) == (20_000_000, 80_000_000)
    assert funds["projected"] == 40_331_492  # 20000000 × 365 ÷ 181, to the yuan
    assert funds["projected_seasonal"] is None and funds["seasonal_years"] == 1  # 2022 had no funds at all


def test_with_fewer_than_five_moves_no_date_is_predicted(zs, tmp_path, monkeypatch):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    monkeypatch.setenv("ZS_TARGETS", str(plan))
    zs("init", "--targets", plan)
    zs("project", "add", "A", "--unit", "甲镇", "--amount", "1亿", "--stage", "在谈", "--date", "2023-01-05")
    zs("project", "advance", "1", "--to", "签约", "--date", "2023-02-05")
    zs("project", "add", "B", "--unit", "甲镇", "--amount", "1亿", "--stage", "在谈", "--date", "2023-03-01")
    signed = {r["quota"]: r for r in zs.json("report", "forecast", *AS_OF)["rows"]}["signed"]
    assert signed["history"] == 1
    assert [(c["id"], c["expected_date"], c["conversion"]) for c in signed["candidates"]] == [(2, None, None)]
    assert signed["must_land"] == []  # one candidate cannot close a gap of two
    assert signed["projected_seasonal"] is None and signed["seasonal_years"] == 0
    table = zs("report", "forecast", *AS_OF, "--width", "200").stdout
    assert "历史不足（1次）" in table and "无往年数据" in table


def test_the_terminal_table_says_what_must_land_by_when(ledger):
    table = ledger("report", "forecast", *AS_OF, "--width", "200").stdout
    assert "测试区2023年还需多少（截至 2023-06-30）" in table
    lines = [line for line in table.splitlines() if "#6 P6" in line or "#8 P8" in line]
    assert len(lines) == 2 and all("须于12月31日前签约" in line and "75%" in line for line in lines)


def test_alerts_give_a_line_to_each_unit_that_will_miss_at_its_pace(ledger):
    alerts = [a for a in ledger.json("report", "alerts", "--as-of", "2023-06-30")["alerts"] if a["kind"] == "will_miss"]
    # 甲镇: 3 trips by 30 June, 6.05 at that pace, of 12; the region: 2.02 of 3 signings, 40,331,492 of 1亿
    assert [(a["unit"], [(m["quota"], m["projected"], m["target"]) for m in a["misses"]]) for a in alerts] == [
        ("甲镇", [("trips", 6.05, 12)]),
        ("region", [("signed", 2.02, 3), ("funds", 40_331_492, 100_000_000)]),
    ]
    table = ledger("report", "alerts", "--as-of", "2023-06-30", "--width", "200").stdout
    line = next(line for line in table.splitlines() if "按进度将完不成" in line and "甲镇" in line)
    assert "外出招商（2023年）预计6.05，目标12" in line


def test_a_pace_of_fewer_than_thirty_days_raises_no_alert(ledger):
    kinds = {a["kind"] for a in ledger.json("report", "alerts", "--as-of", "2023-01-29")["alerts"]}
    assert "will_miss" not in kinds  # 29 days of 2023: too few to say where the year ends
    kinds = {a["kind"] for a in ledger.json("report", "alerts", "--as-of", "2023-01-30")["alerts"]}
    assert "will_miss" in kinds


def test_the_workbook_holds_the_forecast_and_the_candidates(ledger, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "预测.xlsx"
    assert ledger("report", "forecast", *AS_OF, "--xlsx", path).stdout.strip() == f"wrote {path}: 指标预测 3 行"
    book = load_workbook(path)
    assert book.sheetnames == ["指标预测", "候选项目"]
    sheet = book["指标预测"]
    assert sheet["A1"].value == "测试区2023年招商引资指标预测"
    trips = [cell.value for cell in sheet[4]]
    assert trips == [1, "外出招商", "甲镇", "2023年", 3, 12, 9, 1.49, 0.34, 6.05, 6, "预计未完成"]
    funds = [cell.value for cell in sheet[6]]
    # in 万元: 80,000,000 × 30.4375 ÷ 184 = 13,233,696 a month, × 7 ÷ 184 = 3,043,478 a week (to the yuan)
    assert funds[4:] == [2000, 10000, 8000, 1323.3696, 304.3478, 4033.1492, "往年同期为0", "预计未完成"]
    candidates = [[cell.value for cell in row] for row in book["候选项目"].iter_rows(min_row=4)]
    assert [row[2] for row in candidates] == ["#6 P6", "#8 P8"] and all(
        row[7] == "须于12月31日前签约" for row in candidates
    )
    assert ledger.fails("report", "forecast", *AS_OF, "--xlsx", path).endswith("(or --overwrite to replace it)")
