"""Every clause of a plan: ceilings, lists in filters, half-months and fortnights, a share of the
year's task by a date, campaign rankings and scoring kept apart from the year, rankings of people
and of a quota's completion, floors and negative points, 红黑榜, bulletin columns from the file."""

import textwrap

import openpyxl
import pytest
from test_vocabulary import planned

PLAN = textwrap.dedent("""\
    region: 聊城市
    year: 2023
    units: {中心: center, 甲县: county, 乙县: county, 丙县: county}
    people:
      - {name: 张一, unit: 中心, role: staff}
      - {name: 李二, unit: 中心, role: staff}
    quotas:
      - {id: cap-receptions, title: 接待不超过, count: receptions, who: {each: county}, per: month, at_most: 2}
      - id: south-trips
        title: 赴深圳广州小分队或短频快招商
        text: 赴深圳、广州开展小分队、短频快招商不少于3次。
        count: trips
        where: {destination: [深圳, 广州], mode: [小分队, 短频快]}
        who: region
        per: year
        at_least: 3
      - {id: half-visits, title: 半月走访, count: visits, who: {each: county}, per: half_month, at_least: 1}
      - {id: fortnight-trips, title: 双周外出, count: trips, who: region, per: fortnight, at_least: 1}
      - {id: county-trips, title: 县外出招商, count: trips, who: {each: county}, per: year, at_least: 4}
      - {id: q80, title: 6月底完成全年80%, of: county-trips, share: 80%, by: 2023-06-30}
    campaigns:
      - id: push
        title: 秋季攻坚
        from: 2023-08-07
        to: 2023-09-30
        quotas:
          - {id: push-trips, title: 双周外出, count: trips, who: {each: county}, per: fortnight, at_least: 1}
        rankings:
          - {id: push-race, title: 攻坚外出榜, among: {each: county}, by: [{count: trips}]}
          - {id: push-pace, title: 攻坚完成率榜, among: {each: county}, by: [{quota: push-trips, measure: percent}]}
        scoring:
          - {id: push-score, title: 攻坚外出, quota: push-trips, points: 10, partial: true, penalty_per_short: 1,
             floor: 0}
        red_black:
          - {id: push-rb, title: 攻坚红黑榜, ranking: push-race, red: 1, black: 1}
    rankings:
      - {id: staff-race, title: 岗位标兵, among: {each_person: staff, of: center}, per: year, by: [{count: trips}]}
      - {id: county-pct, title: 完成率榜, among: {each: county}, per: year,
         by: [{quota: county-trips, measure: percent}]}
      - {id: county-pace, title: 序时进度榜, among: {each: county}, per: year,
         by: [{quota: county-trips, measure: pace}]}
    scoring:
      - {id: s-trips, title: 外出招商, quota: county-trips, points: 10, partial: true}
      - {id: s-cap, title: 接待控制, quota: cap-receptions, points: 6}
      - {id: s-drop, title: 项目终止扣分, count: projects, where: {reached: dropped}, who: {each: county},
         points_each: -2}
    red_black:
      - {id: pace-black, title: 进度滞后, quota: county-trips, below_pace: 80%}
    bulletin:
      - county-trips
      - {id: visits, title: 走访企业, count: visits}
""")


@pytest.fixture
def city(zs, tmp_path):
    zs = planned(zs, tmp_path, PLAN)
    trips = [
        ("甲县", "2023-01-10", "深圳", "小分队"),
        ("甲县", "2023-03-05", "广州市天河", "短频快"),
        ("甲县", "2023-05-20", "北京", "小分队"),
        ("乙县", "2023-02-14", "深圳南山", "以商招商"),
        ("甲县", "2023-08-08", "上海", "小分队"),
        ("乙县", "2023-08-09", "上海", "小分队"),
        ("甲县", "2023-08-22", "杭州", "小分队"),
    ]
    for unit, day, place, mode in trips:
        zs("log", "trip", "--unit", unit, "--date", day, "--to", place, "--mode", mode)
    for day, leader in (("2023-03-01", "张一"), ("2023-06-01", "张一"), ("2023-07-01", "李二")):
        zs("log", "trip", "--unit", "中心", "--date", day, "--leader", leader)
    for day in ("2023-04-03", "2023-04-10", "2023-04-25"):
        zs("log", "reception", "--unit", "甲县", "--date", day, "--company", f"客商{day}")
    zs("log", "reception", "--unit", "乙县", "--date", "2023-04-12", "--company", "客商乙")
    for unit, day in (("甲县", "2023-04-03"), ("甲县", "2023-04-20"), ("乙县", "2023-04-15"), ("乙县", "2023-04-16")):
        zs("log", "visit", "--unit", unit, "--date", day, "--company", f"企业{unit}{day}")
    zs("project", "add", "化工项目", "--unit", "甲县", "--amount", "2亿", "--stage", "签约", "--date", "2023-03-01")
    zs("project", "advance", "化工项目", "--to", "dropped", "--date", "2023-10-10")
    return zs


def report(zs, *args, as_of):
    return zs.json("report", *args, "--targets", zs.targets, "--as-of", as_of)


def rows(data, quota):
    return [
        (r["subject"], r["period"], r["start"], r["end"], r["actual"], r["status"])
        for r in data["quotas"]
        if r["quota"] == quota
    ]


def test_a_ceiling_is_within_until_passed_and_met_once_its_period_ends(city):
    running = report(city, "month", "--month", "2023-04", as_of="2023-04-30")
    cap = [r for r in running["quotas"] if r["quota"] == "cap-receptions"]
    assert [
        (r["subject"], r["actual"], r["target"], r["expected"], r["percent"], r["status"], r["blank"], r["bound"])
        for r in cap
    ] == [
        ("甲县", 3, 2, 2, 150, "over", False, "at_most"),
        ("乙县", 1, 2, 2, 50, "within", False, "at_most"),
        ("丙县", 0, 2, 2, 0, "within", False, "at_most"),  # nothing under a ceiling is no 空白
    ]
    ended = report(city, "month", "--month", "2023-04", as_of="2023-05-01")
    assert [r["status"] for r in ended["quotas"] if r["quota"] == "cap-receptions"] == ["over", "met", "met"]
    out = city("report", "month", "--month", "2023-04", "--targets", city.targets, "--as-of", "2023-04-30").stdout
    assert "超出" in out and "未超出" in out
    alerts = report(city, "alerts", as_of="2023-04-30")["alerts"]
    assert [(a["kind"], a["subject"], a["detail"]) for a in alerts if a["kind"] == "over_quota"] == [
        ("over_quota", "接待不超过 · 甲县", "2023年4月：3，上限2")
    ]


def test_a_list_in_a_filter_means_any_of(city):
    data = report(city, "year", "--year", "2023", as_of="2023-12-31")
    # 深圳 小分队 and 广州市天河 短频快 count; 北京 is not on the list, 以商招商 not among the modes
    assert [r["actual"] for r in data["quotas"] if r["quota"] == "south-trips"] == [2]
    reads = {q["id"]: q["reads"] for q in city.json("targets", "check", city.targets)["quotas"]}
    assert reads["south-trips"] == "全市 全年 小分队或短频快赴深圳或广州·外出招商(次) ≥ 3"  # a city plan
    assert reads["cap-receptions"] == "每个县市区 每月 接待客商(次) ≤ 2"


def test_half_months_run_from_the_first_to_the_fifteenth_and_on_to_the_months_end(city):
    data = report(city, "month", "--month", "2023-04", as_of="2023-05-01")
    assert rows(data, "half-visits") == [
        ("甲县", "2023-04-H1", "2023-04-01", "2023-04-15", 1, "met"),
        ("乙县", "2023-04-H1", "2023-04-01", "2023-04-15", 1, "met"),
        ("丙县", "2023-04-H1", "2023-04-01", "2023-04-15", 0, "missed"),
        ("甲县", "2023-04-H2", "2023-04-16", "2023-04-30", 1, "met"),
        ("乙县", "2023-04-H2", "2023-04-16", "2023-04-30", 1, "met"),
        ("丙县", "2023-04-H2", "2023-04-16", "2023-04-30", 0, "missed"),
    ]


def test_fortnights_count_from_the_years_first_monday_and_clip_to_the_window(city):
    # 2023's first Monday is 01-02: 01-01 belongs to 2022's last fortnight (2022-12-19 to 2023-01-01)
    data = report(city, "month", "--month", "2023-01", as_of="2023-02-28")
    assert rows(data, "fortnight-trips") == [
        ("region", "2022-F26", "2023-01-01", "2023-01-01", 0, "missed"),
        ("region", "2023-F01", "2023-01-02", "2023-01-15", 1, "met"),
        ("region", "2023-F02", "2023-01-16", "2023-01-29", 0, "missed"),
        ("region", "2023-F03", "2023-01-30", "2023-01-31", 0, "missed"),
    ]


def test_a_campaigns_fortnights_count_from_its_start(city):
    data = report(city, "campaign", "push", as_of="2023-10-01")
    assert [(r["subject"], r["period"], r["start"], r["end"], r["actual"]) for r in data["quotas"]][::3] == [
        ("甲县", "push-F1", "2023-08-07", "2023-08-20", 1),
        ("甲县", "push-F2", "2023-08-21", "2023-09-03", 1),
        ("甲县", "push-F3", "2023-09-04", "2023-09-17", 0),
        ("甲县", "push-F4", "2023-09-18", "2023-09-30", 0),  # the last one clipped to the campaign
    ]


def test_a_share_of_the_years_task_by_a_date(city):
    data = report(city, "year", "--year", "2023", as_of="2023-12-31")
    share = [
        (r["subject"], r["period"], r["start"], r["end"], r["actual"], r["target"], r["status"])
        for r in data["quotas"]
        if r["quota"] == "q80"
    ]
    assert share == [  # 80% of 4 is 3.2: three trips by 06-30 fall short
        ("甲县", "2023-01-01~2023-06-30", "2023-01-01", "2023-06-30", 3, 3.2, "missed"),
        ("乙县", "2023-01-01~2023-06-30", "2023-01-01", "2023-06-30", 1, 3.2, "missed"),
        ("丙县", "2023-01-01~2023-06-30", "2023-01-01", "2023-06-30", 0, 3.2, "missed"),
    ]
    may = report(city, "month", "--month", "2023-05", as_of="2023-05-31")
    assert [(r["actual"], r["expected"], r["status"]) for r in may["quotas"] if r["quota"] == "q80"][0] == (
        3,
        2.67,  # 3.2 × 151/181 days
        "on_pace",
    )
    reads = {q["id"]: q["reads"] for q in city.json("targets", "check", city.targets)["quotas"]}
    assert reads["q80"] == "每个县市区 2023年1月1日至6月30日 外出招商(次) ≥ 3.2（county-trips的80%）"


def test_a_campaigns_score_is_its_own_floored_at_zero_and_left_out_of_the_year(city):
    data = report(city, "score", "--campaign", "push", as_of="2023-10-01")
    assert data["campaign"] == "push" and data["title"] == "聊城市秋季攻坚专项考核"
    lines = {s["unit"]: s["lines"] for s in data["scores"]}
    # 甲县: 2 of 4 fortnights → 5, 2 short → −2: 3; 乙县 2.5 − 3 → floored at 0; 丙县 0 − 4 → 0
    assert {u: [(line["rule"], line["points"], line["floored"]) for line in ls] for u, ls in lines.items()} == {
        "甲县": [("push-score", 3, False)],
        "乙县": [("push-score", 0, True)],
        "丙县": [("push-score", 0, True)],
    }
    out = city("report", "score", "--campaign", "push", "--targets", city.targets, "--as-of", "2023-10-01").stdout
    assert "1/4，1/4个双周达标，得 2.5，差 3 扣 3，扣至保底 0 分" in out
    year = report(city, "score", "--year", "2023", as_of="2023-12-31")
    assert {line["rule"] for s in year["scores"] for line in s["lines"]} == {"s-trips", "s-cap", "s-drop"}


def test_year_scores_with_a_ceiling_and_negative_points_each(city):
    year = report(city, "score", "--year", "2023", as_of="2023-12-31")
    points = {s["unit"]: {line["rule"]: line["points"] for line in s["lines"]} for s in year["scores"]}
    assert points == {
        "甲县": {"s-trips": 10, "s-cap": 5.5, "s-drop": -2},  # the cap passed in April: 11 of 12 months kept
        "乙县": {"s-trips": 5, "s-cap": 6},
        "丙县": {"s-trips": 0, "s-cap": 6},
    }
    assert [(s["unit"], s["total"], s["rank"]) for s in year["scores"]] == [
        ("甲县", 13.5, 1),
        ("乙县", 11, 2),
        ("丙县", 6, 3),
    ]


def test_campaign_rankings_and_red_black_list(city):
    data = report(city, "rank", "--campaign", "push", as_of="2023-10-01")
    race, pace = data["rankings"]
    assert (race["id"], race["period"], race["campaign"]) == ("push-race", "push", "push")
    assert [(e["unit"], e["values"], e["rank"]) for e in race["entries"]] == [
        ("甲县", [2], 1),
        ("乙县", [1], 2),
        ("丙县", [0], 3),
    ]
    assert [(e["unit"], e["values"]) for e in pace["entries"]] == [("甲县", [50]), ("乙县", [25]), ("丙县", [0])]
    assert pace["metrics"] == [
        {"reads": "指标 push-trips 完成率", "weight": 1, "quota": "push-trips", "measure": "percent"}
    ]
    assert [(b["id"], b["red"], b["black"]) for b in data["red_black"]] == [("push-rb", ["甲县"], ["丙县"])]
    campaign = report(city, "campaign", "push", as_of="2023-10-01")
    assert [r["id"] for r in campaign["rankings"]] == ["push-race", "push-pace"]
    assert [b["id"] for b in campaign["red_black"]] == ["push-rb"]
    year = report(city, "rank", "--year", "2023", as_of="2023-12-31")
    assert [r["id"] for r in year["rankings"]] == ["staff-race", "county-pct", "county-pace"]
    assert city.fails("report", "rank", "--campaign", "push", "--year", "2023", "--targets", city.targets) == (
        "zs: --year '2023': --campaign is given too; expected either --campaign or --year, not both"
    )


def test_people_and_a_quotas_completion_can_be_ranked(city):
    data = report(city, "rank", "--year", "2023", as_of="2023-12-31")
    people, percent, _ = data["rankings"]
    assert people["among"] == "people"
    assert [(e["unit"], e["values"], e["rank"]) for e in people["entries"]] == [("张一", [2], 1), ("李二", [1], 2)]
    # 甲县 5 of 4 trips is 125%, not capped
    assert [(e["unit"], e["values"]) for e in percent["entries"]] == [("甲县", [125]), ("乙县", [50]), ("丙县", [0])]
    # pace: actual ÷ 序时进度 on 06-30 (4 × 181/365 = 1.98): 3/1.98, 1/1.98
    midyear = report(city, "rank", "--year", "2023", as_of="2023-06-30")
    pace = midyear["rankings"][2]
    assert [(e["unit"], e["values"], e["scaled"]) for e in pace["entries"]] == [
        ("甲县", [1.52], [100]),
        ("乙县", [0.51], [33.55]),
        ("丙县", [0], [0]),
    ]
    table = city("report", "rank", "--year", "2023", "--targets", city.targets, "--as-of", "2023-06-30").stdout
    assert "县外出招商序时进度比" in table and "1.52" in table


def test_below_pace_puts_units_on_the_black_list(city):
    data = report(city, "rank", "--year", "2023", as_of="2023-06-30")
    # 序时进度 on 06-30: 4 × 181/365 = 1.98; below 80% of it (1.59): 乙县 with 1, 丙县 with 0
    assert [(b["id"], b["period"], b["red"], b["black"], b["below_pace"]) for b in data["red_black"]] == [
        ("pace-black", "2023", [], ["乙县", "丙县"], 0.8)
    ]
    out = city("report", "rank", "--year", "2023", "--targets", city.targets, "--as-of", "2023-06-30").stdout
    assert "黑榜（低于序时进度80%）" in out and "乙县、丙县" in out


def test_the_bulletin_takes_its_columns_from_the_file_and_rows_read_the_region(city, tmp_path):
    data = report(city, "quarter", "--quarter", "2023Q2", as_of="2023-06-30")
    assert data["units"] == [
        {"unit": "中心", "county-trips": 1, "visits": 0},
        {"unit": "甲县", "county-trips": 1, "visits": 2},
        {"unit": "乙县", "county-trips": 0, "visits": 2},
        {"unit": "丙县", "county-trips": 0, "visits": 0},
    ]
    out = city("report", "quarter", "--quarter", "2023Q2", "--targets", city.targets, "--as-of", "2023-06-30").stdout
    assert "县外出招商" in out.split("指标完成情况")[0] and "走访企业" in out.split("指标完成情况")[0]
    assert "│ 聊城市" in out and "全区" not in out
    path = tmp_path / "q2.xlsx"
    city("report", "quarter", "--quarter", "2023Q2", "--targets", city.targets, "--as-of", "2023-06-30", "--xlsx", path)
    book = openpyxl.load_workbook(path)
    units = book["分单位情况"]
    assert [c.value for c in units[3]] == ["序号", "单位", "县外出招商", "走访企业"]
    assert [c.value for c in units[5]] == [2, "甲县", 1, 2]
    assert [c.value for c in units[8]] == [None, "合计", 2, 4]
    assert book["红黑榜"]["C3"].value == "红榜" and book["红黑榜"]["D4"].value == "乙县、丙县"
    region_rows = {(r[1], r[3]) for r in book["指标完成情况"].iter_rows(values_only=True) if r[2] == "聊城市"}
    assert region_rows == {("赴深圳广州小分队或短频快招商", "2023年")} | {
        ("双周外出", f"2023年第{n}个双周") for n in range(7, 14)
    }
    assert ("6月底完成全年80%", "2023年1—6月") in {
        (r[1], r[3]) for r in book["指标完成情况"].iter_rows(values_only=True)
    }
