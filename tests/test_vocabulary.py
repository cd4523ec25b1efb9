"""The records the plans talk about: joint activities (联合招商, 不重复统计), the company register
(客商库) with tiers, projects as offices track them — each created, corrected, undone, exported,
imported and merged, on both engines."""

import textwrap

import pytest

PLAN = textwrap.dedent("""\
    region: 示范区
    year: 2023
    units: {区投资促进中心: center, 萧镇: town, 商家镇: town}
    people:
      - {name: 王明, unit: 区投资促进中心, role: main_leader}
      - {name: 李强, unit: 区投资促进中心, role: staff}
      - {name: 赵敏, unit: 萧镇, role: staff}
      - {name: 孙志强, unit: 萧镇, role: main_leader}
      - {name: 陈静, unit: 商家镇, role: main_leader}
    quotas:
      - {id: unit-trips, title: 外出招商, count: trips, who: {each: town}, per: year, at_least: 2}
      - {id: centre-trips, title: 中心外出招商, count: trips, who: {each: center}, per: year, at_least: 2}
      - {id: region-trips, title: 全区外出招商, count: trips, who: region, per: year, at_least: 3}
      - {id: staff-trips, title: 工作人员外出招商, count: trips, who: {each_person: staff}, per: year,
         at_least: 1}
      - {id: led-trips, title: 主要负责人带队外出, count: trips, where: {led_by: main_leader},
         who: {each_person: main_leader}, per: year, at_least: 1}
      - {id: met, title: 拜访企业, count: companies_met, who: {each: town}, per: year, at_least: 2}
      - {id: met-top, title: 拜访500强企业, count: companies_met, where: {tier: [global500, china500]},
         who: region, per: year, at_least: 2}
      - {id: visited-top, title: 走访500强企业, count: companies_visited, where: {tier: global500},
         who: region, per: year, at_least: 1}
      - {id: top-visits, title: 走访500强企业次数, count: visits, where: {tier: [global500]}, who: region,
         per: year, at_least: 1}
      - {id: listed-projects, title: 上市公司项目, count: projects, where: {reached: lead, tier: listed},
         who: region, per: year, at_least: 1}
""")


def planned(zs, tmp_path, text: str):
    """The ledger initialised from a plan `text`, which reports then read (`zs.targets`)."""
    targets = tmp_path / "plan.yaml"
    targets.write_text(text, encoding="utf-8")
    zs("init", "--targets", targets)
    zs.targets = targets
    return zs


@pytest.fixture
def plan(zs, tmp_path):
    return planned(zs, tmp_path, PLAN)


def figures(zs, quota: str) -> dict[str, int]:
    data = zs.json("report", "year", "--year", "2023", "--targets", zs.targets, "--as-of", "2023-12-31")
    return {r["subject"]: r["actual"] for r in data["quotas"] if r["quota"] == quota}


JOINT = ("log", "trip", "--unit", "区投资促进中心", "--unit", "萧镇", "--date", "2023-05-08", "--leader", "王明")


def test_a_joint_trip_counts_once_for_each_unit_and_once_for_the_region(plan):
    plan(*JOINT, "--with", "李强", "--with", "赵敏", "--to", "深圳")
    plan("log", "trip", "--unit", "萧镇", "--date", "2023-06-01", "--leader", "孙志强")
    assert figures(plan, "unit-trips") == {"萧镇": 2, "商家镇": 0}
    assert figures(plan, "centre-trips") == {"区投资促进中心": 1}
    assert figures(plan, "region-trips") == {"region": 2}  # never three because two units went
    # every participant with the role is credited; `led_by` stays about the leader
    assert figures(plan, "staff-trips") == {"李强": 1, "赵敏": 1}
    assert figures(plan, "led-trips") == {"王明": 1, "孙志强": 1, "陈静": 0}


def test_a_joint_trip_lists_all_its_units_and_people(plan):
    out = plan(*JOINT, "--with", "李强", "--with", "赵敏", "--with", "王明").stdout
    assert out.strip() == "logged trip #1 外出招商: 2023-05-08 · 区投资促进中心、萧镇 · 带队 王明 · 同行 李强、赵敏"
    [trip] = plan.json("log", "list")
    assert (trip["unit"], trip["units"], trip["leader"], trip["people"]) == (
        "区投资促进中心",
        ["区投资促进中心", "萧镇"],
        "王明",
        ["王明", "李强", "赵敏"],  # the leader named again by --with is one person
    )
    assert [a["id"] for a in plan.json("log", "list", "--unit", "萧镇")] == [1]  # a unit sees its joint trips


def test_a_participant_without_a_leader_and_the_detail_sheet(plan, tmp_path):
    plan("log", "trip", "--unit", "萧镇", "--unit", "商家镇", "--date", "2023-05-08", "--with", "赵敏")
    [trip] = plan.json("log", "list")
    assert (trip["leader"], trip["people"]) == (None, ["赵敏"])
    assert figures(plan, "unit-trips") == {"萧镇": 1, "商家镇": 1}
    assert figures(plan, "staff-trips") == {"李强": 0, "赵敏": 1}


def test_a_joint_trip_refuses_an_unknown_unit_or_person_and_writes_nothing(plan):
    assert plan.fails("log", "trip", "--unit", "萧镇", "--unit", "火星镇", "--date", "2023-05-08").startswith(
        "zs: --unit '火星镇': expected a known unit"
    )
    assert plan.fails("log", "trip", "--unit", "萧镇", "--date", "2023-05-08", "--with", "张三") == (
        "zs: --with '张三': expected a known person; add them with `zs person add`"
    )


def test_undo_takes_a_joint_trip_back_whole(plan):
    before = plan.counts()
    plan(*JOINT, "--with", "李强", "--company", "比亚迪")
    after = plan.counts()
    assert (after["activity_unit"], after["activity_person"], after["company"]) == (2, 2, 1)
    plan("undo")
    assert plan.counts() == before


def test_joint_trips_survive_export_import_and_merge(plan, tmp_path):
    plan(*JOINT, "--with", "李强", "--with", "赵敏", "--company", "比亚迪")
    plan("log", "visit", "--unit", "商家镇", "--date", "2023-06-02", "--company", "华为", "--leader", "陈静")
    listed = [(a["units"], a["people"], a["companies"]) for a in plan.json("log", "list")]
    plan("export", tmp_path / "all.xlsx")
    fresh = plan.fresh("fresh")
    plan("init", "--targets", plan.targets, "--db", fresh)
    plan("import", "activities", tmp_path / "all.xlsx", "--db", fresh)
    assert [(a["units"], a["people"], a["companies"]) for a in plan.json("log", "list", "--db", fresh)] == listed
    merged = plan.fresh("merged")
    plan("init", "--targets", plan.targets, "--db", merged)
    plan("merge", plan.db, "--same-units", "--db", merged)
    assert [(a["units"], a["people"], a["companies"]) for a in plan.json("log", "list", "--db", merged)] == listed


def test_companies_named_anywhere_join_the_register_and_count_by_tier(plan):
    plan("company", "add", "比亚迪股份有限公司", "--tier", "世界500强", "--tier", "listed", "--origin", "深圳")
    plan("company", "add", "华为", "--tier", "china500", "--industry", "电子信息")
    plan(
        "log",
        "visit",
        "--unit",
        "萧镇",
        "--date",
        "2023-03-01",
        "--company",
        "比亚迪股份有限公司",
        "--company",
        "鲁泰纺织",
    )
    plan(
        "log", "trip", "--unit", "萧镇", "--date", "2023-04-01", "--company", "华为", "--company", "比亚迪股份有限公司"
    )
    plan("log", "reception", "--unit", "商家镇", "--date", "2023-05-01", "--company", "鲁泰纺织")
    plan("log", "event", "--unit", "商家镇", "--date", "2023-05-02", "--type", "fair", "--company", "华为")
    plan(
        "project",
        "add",
        "电池项目",
        "--unit",
        "萧镇",
        "--amount",
        "2亿",
        "--date",
        "2023-06-01",
        "--company",
        "比亚迪股份有限公司",
    )
    plan(
        "project",
        "add",
        "纺织项目",
        "--unit",
        "萧镇",
        "--amount",
        "1亿",
        "--date",
        "2023-06-01",
        "--company",
        "鲁泰纺织",
    )
    listed = {c["name"]: (c["tiers"], c["activities"], c["projects"]) for c in plan.json("company", "list")}
    assert listed == {
        "比亚迪股份有限公司": (["global500", "listed"], 2, 1),
        "华为": (["china500"], 2, 0),
        "鲁泰纺织": ([], 2, 1),  # typed in `log`, never added: a company all the same
    }
    assert figures(plan, "met") == {"萧镇": 3, "商家镇": 1}  # an event's company is not a company met
    assert figures(plan, "met-top") == {"region": 2}
    assert figures(plan, "visited-top") == {"region": 1}
    assert figures(plan, "top-visits") == {"region": 1}
    assert figures(plan, "listed-projects") == {"region": 1}
    assert [c["name"] for c in plan.json("company", "list", "--tier", "中国500强")] == ["华为"]


def test_a_company_shows_its_records_in_date_order(plan):
    plan("company", "add", "华为", "--tier", "china500")
    plan(
        "log", "trip", "--unit", "萧镇", "--unit", "商家镇", "--date", "2023-04-01", "--company", "华为", "--to", "深圳"
    )
    plan("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "华为")
    plan("project", "add", "芯片项目", "--unit", "萧镇", "--amount", "2亿", "--date", "2023-03-15", "--company", "华为")
    shown = plan.json("company", "show", "华为")
    assert [(r["date"], r["table"], r["id"], r["code"], r["units"], r["text"]) for r in shown["records"]] == [
        ("2023-03-01", "activity", 2, "visit", ["萧镇"], ""),
        ("2023-03-15", "project", 1, "lead", ["萧镇"], "芯片项目"),
        ("2023-04-01", "activity", 1, "trip", ["萧镇", "商家镇"], "深圳"),
    ]
    assert (
        plan.fails("company", "show", "中兴")
        == "zs: NAME '中兴': expected a company of the register (see `zs company list`)"
    )


def test_tiers_are_added_and_taken_away_in_the_history(plan):
    plan("company", "add", "华为", "--tier", "china500")
    plan("company", "set", "华为", "--tier", "private500", "--no-tier", "china500", "--contact", "张经理 138")
    [huawei] = plan.json("company", "list")
    assert (huawei["tiers"], huawei["contact"]) == (["private500"], "张经理 138")
    plan("undo")
    [huawei] = plan.json("company", "list")
    assert (huawei["tiers"], huawei["contact"]) == (["china500"], None)
    assert plan.fails("company", "set", "华为", "--no-tier", "soe") == (
        "zs: --no-tier 'soe': expected a tier 华为 has (china500)"
    )
    assert plan.fails("company", "add", "华为") == (
        "zs: NAME '华为': it is there already; `zs company set` changes it; expected a company not yet in the register"
    )
    assert plan.fails("company", "add", "中兴", "--tier", "top10").startswith("zs: --tier 'top10': expected one of:")


def test_near_duplicates_are_listed_and_merged_undoably(plan):
    plan("company", "add", "比亚迪股份有限公司", "--tier", "listed")
    plan("company", "add", "比亚迪", "--tier", "global500", "--origin", "深圳")
    plan("company", "add", "比亚迪汽车")
    plan("company", "add", "华为")
    plan(
        "log",
        "visit",
        "--unit",
        "萧镇",
        "--date",
        "2023-03-01",
        "--company",
        "比亚迪",
        "--company",
        "比亚迪股份有限公司",
    )
    plan("log", "visit", "--unit", "萧镇", "--date", "2023-03-02", "--company", "比亚迪")
    plan(
        "project", "add", "电池项目", "--unit", "萧镇", "--amount", "2亿", "--date", "2023-06-01", "--company", "比亚迪"
    )
    groups = plan.json("company", "list", "--similar")
    assert [[c["name"] for c in group] for group in groups] == [["比亚迪", "比亚迪汽车", "比亚迪股份有限公司"]]
    before = plan.json("company", "list")
    plan("company", "merge", "比亚迪股份有限公司", "比亚迪")
    listed = {
        c["name"]: (c["tiers"], c["origin"], c["activities"], c["projects"]) for c in plan.json("company", "list")
    }
    assert listed == {
        "比亚迪股份有限公司": (["global500", "listed"], "深圳", 2, 1),
        "比亚迪汽车": ([], None, 0, 0),
        "华为": ([], None, 0, 0),
    }
    assert [a["companies"] for a in plan.json("log", "list")] == [["比亚迪股份有限公司"], ["比亚迪股份有限公司"]]
    plan("undo")
    assert plan.json("company", "list") == before
    assert [a["companies"] for a in plan.json("log", "list")] == [["比亚迪", "比亚迪股份有限公司"], ["比亚迪"]]


def test_targets_check_refuses_a_tier_it_does_not_know(plan, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(PLAN.replace("tier: [global500, china500]", "tier: [global500, top10]"), encoding="utf-8")
    line = plan.fails("targets", "check", bad)
    assert line.startswith(f"zs: {bad}:") and "where.tier 'top10': expected one of: global500 世界500强" in line
    meetings = PLAN.replace("count: visits, where: {tier: [global500]}", "count: meetings, where: {tier: [global500]}")
    bad.write_text(meetings, encoding="utf-8")
    assert "a filter that applies to count: meetings (led_by)" in plan.fails("targets", "check", bad)


def test_a_company_list_imports_and_the_register_survives_export(plan, tmp_path):
    sheet = tmp_path / "客商名录.csv"
    sheet.write_text(
        "序号,企业名称,企业类别,所在地,行业,联系人\n"
        "1,比亚迪股份有限公司,世界500强、上市公司,深圳,新能源,王经理\n"
        "2,华为,中国500强,深圳,,\n",
        encoding="utf-8",
    )
    assert plan("import", "companies", sheet).stdout.startswith("imported 2 new companies, 0 changed from")
    plan("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "华为")
    sheet.write_text(
        "企业名称,企业类别,联系人\n华为,民营500强,李经理\n比亚迪股份有限公司,上市公司,\n", encoding="utf-8"
    )
    assert plan("import", "companies", sheet).stdout.startswith("imported 0 new companies, 1 changed from")
    listed = {c["name"]: (c["tiers"], c["origin"], c["industry"], c["contact"]) for c in plan.json("company", "list")}
    assert listed == {
        "比亚迪股份有限公司": (["global500", "listed"], "深圳", "新能源", "王经理"),
        "华为": (["china500", "private500"], "深圳", None, "李经理"),  # a tier listed is added, none taken away
    }
    plan("export", tmp_path / "all.xlsx")
    fresh = plan.fresh("fresh")
    plan("init", "--targets", plan.targets, "--db", fresh)
    for kind in ("projects", "activities", "companies"):
        plan("import", kind, tmp_path / "all.xlsx", "--db", fresh)

    def without_ids(rows):
        return [{k: v for k, v in row.items() if k != "id"} for row in rows]

    assert without_ids(plan.json("company", "list", "--db", fresh)) == without_ids(plan.json("company", "list"))


def test_a_bad_tier_in_a_company_list_writes_nothing(plan, tmp_path):
    sheet = tmp_path / "客商名录.csv"
    sheet.write_text("企业名称,类别\n华为,中国500强\n中兴,十强\n", encoding="utf-8")
    before = plan.counts()
    result = plan("import", "companies", sheet, code=1)
    assert result.stderr.splitlines()[1].startswith(
        "  客商名录.csv row 3, 类别 '十强': expected one of: global500 世界500强"
    )
    assert plan.counts() == before


PROJECT_PLAN = PLAN.split("quotas:\n")[0] + textwrap.dedent("""\
    quotas:
      - {id: invest, title: 签约项目投资额, sum: investment, who: region, per: year, at_least: 10亿}
      - {id: big, title: 过亿元项目, count: projects, where: {amount_at_least: 1亿}, who: region, per: year,
         at_least: 2}
      - {id: talks, title: 在谈重点项目, count: projects, where: {in_stage: negotiating, key: true},
         who: {each: town}, per: quarter, at_least: 2}
      - {id: fair, title: 展会签约项目, count: projects, where: {at_event_type: fair}, who: region, per: year,
         at_least: 1}
""")


@pytest.fixture
def projects(zs, tmp_path):
    return planned(zs, tmp_path, PROJECT_PLAN)


def rows(zs, quota: str, as_of: str = "2023-12-31", year: str = "2023"):
    data = zs.json("report", "year", "--year", year, "--targets", zs.targets, "--as-of", as_of)
    return [(r["subject"], r["period"], r["actual"], r["status"]) for r in data["quotas"] if r["quota"] == quota]


def test_an_expansion_counts_its_increase_not_its_total(projects):
    add = ("project", "add", "--unit", "萧镇", "--stage", "signed", "--date", "2023-04-01")
    projects(*add[:2], "电池扩产", *add[2:], "--amount", "5亿", "--type", "增资", "--increase", "8000万")
    projects(*add[:2], "新材料", *add[2:], "--amount", "3亿")
    projects(*add[:2], "续建园区", *add[2:], "--amount", "1.5亿", "--type", "continuing")
    assert rows(projects, "invest") == [("region", "2023", 530_000_000, "behind")]  # 0.8 + 3 + 1.5 亿
    assert rows(projects, "big") == [("region", "2023", 2, "met")]  # the 8000万 increase is under 1亿
    projects("project", "edit", "1", "--increase", "1.2亿")
    assert rows(projects, "invest") == [("region", "2023", 570_000_000, "behind")]
    assert rows(projects, "big") == [("region", "2023", 3, "met")]
    projects("undo")
    assert rows(projects, "big") == [("region", "2023", 2, "met")]
    assert projects.fails("project", "edit", "2", "--increase", "1亿") == (
        "zs: --increase 100000000: expected --type expansion with it: only an 增资 project counts an increase"
    )
    assert projects.fails("project", "add", "扩产", "--unit", "萧镇", "--amount", "1亿", "--type", "expansion") == (
        "zs: --increase '': expected the amount of the increase for an 增资 project (--type expansion)"
    )
    shown = projects.json("project", "show", "1")
    assert (shown["type"], shown["increase_yuan"]) == ("expansion", 80_000_000)


def test_a_stock_counts_the_projects_standing_in_a_stage_at_the_periods_end(projects):
    def talks(name, day, *more):
        projects("project", "add", name, "--unit", "萧镇", "--amount", "1亿", "--stage", "在谈", "--date", day, *more)

    talks("甲", "2023-01-10", "--key")
    talks("乙", "2023-02-10", "--key")
    talks("丙", "2023-02-11")  # not a key project
    projects("project", "advance", "甲", "--to", "签约", "--date", "2023-05-05")  # leaves 在谈 in Q2
    talks("丁", "2023-06-01", "--key")
    shown = rows(projects, "talks", as_of="2023-12-31")
    assert [r for r in shown if r[0] == "萧镇"] == [
        ("萧镇", "2023Q1", 2, "met"),
        ("萧镇", "2023Q2", 2, "met"),  # 乙 and 丁 stand in 在谈 on June 30
        ("萧镇", "2023Q3", 2, "met"),
        ("萧镇", "2023Q4", 2, "met"),
    ]
    # while the quarter runs, a stock is judged in full on the day (no 序时进度 share)
    running = rows(projects, "talks", as_of="2023-05-10")
    assert [r for r in running if r[0] == "萧镇"][-1] == ("萧镇", "2023Q2", 1, "behind")


def test_a_signing_at_a_fair_counts_for_the_fair_quota(projects):
    projects("log", "event", "--unit", "萧镇", "--type", "展会", "--date", "2023-06-08", "--to", "厦门投洽会")
    projects("log", "event", "--unit", "萧镇", "--type", "推介会", "--date", "2023-06-09")
    for name in ("甲", "乙"):
        projects("project", "add", name, "--unit", "萧镇", "--amount", "1亿", "--date", "2023-06-01")
    projects("project", "advance", "甲", "--to", "签约", "--date", "2023-06-08", "--at", "1")
    projects("project", "advance", "乙", "--to", "签约", "--date", "2023-06-09", "--at", "2")
    assert rows(projects, "fair") == [("region", "2023", 1, "met")]
    assert [m["event_id"] for m in projects.json("project", "show", "甲")["milestones"]] == [None, None, 1]
    assert projects.fails("project", "advance", "甲", "--to", "开工", "--date", "2023-06-20", "--at", "1") == (
        "zs: --date '2023-06-20': expected the day of event #1 (2023-06-08)"
    )
    assert projects.fails("project", "advance", "甲", "--to", "开工", "--date", "2023-06-20", "--at", "9") == (
        "zs: --at 9: expected the id of a logged event (zs log event; see `zs log list --kind event`)"
    )


def test_problems_have_an_assignee_a_due_date_and_close(projects):
    projects(
        "project",
        "add",
        "甲",
        "--unit",
        "萧镇",
        "--amount",
        "1亿",
        "--stage",
        "signed",
        "--date",
        "2023-03-01",
        "--key",
    )
    projects(
        "project",
        "note",
        "甲",
        "用地指标未落实",
        "--problem",
        "--assignee",
        "自然资源局",
        "--due",
        "2023-03-20",
        "--date",
        "2023-03-05",
    )
    projects("project", "note", "甲", "电价", "--problem", "--date", "2023-03-06")
    alerts = projects.json("report", "alerts", "--targets", projects.targets, "--as-of", "2023-03-25")
    overdue = [a for a in alerts["alerts"] if a["kind"] == "overdue_problem"]
    assert [(a["project_id"], a["owner"], a["deadline"], a["days_late"], a["problem"]) for a in overdue] == [
        (1, "自然资源局", "2023-03-20", 5, "用地指标未落实")
    ]
    month = projects.json(
        "report", "month", "--month", "2023-03", "--targets", projects.targets, "--as-of", "2023-03-25"
    )
    assert [p["problems"] for p in month["key_projects"]] == [
        "03-05 用地指标未落实（责任人 自然资源局，03-20前办结）；03-06 电价"
    ]
    projects("project", "resolve", "1", "--date", "2023-03-24", "--note", "区里协调解决")
    month = projects.json(
        "report", "month", "--month", "2023-03", "--targets", projects.targets, "--as-of", "2023-03-25"
    )
    assert [p["problems"] for p in month["key_projects"]] == ["03-06 电价"]  # a problem resolved is no longer open
    alerts = projects.json("report", "alerts", "--targets", projects.targets, "--as-of", "2023-03-25")
    assert [a for a in alerts["alerts"] if a["kind"] == "overdue_problem"] == []
    notes = projects.json("project", "show", "甲")["notes"]
    assert [(n["id"], n["assignee"], n["due"], n["resolved_on"], n["resolution"]) for n in notes] == [
        (1, "自然资源局", "2023-03-20", "2023-03-24", "区里协调解决"),
        (2, None, None, None, None),
    ]
    assert projects.fails("project", "resolve", "1") == (
        "zs: NOTE_ID 1: resolved already on 2023-03-24; expected an open problem"
    )
    assert projects.fails("project", "note", "甲", "进展", "--due", "2023-04-01") == (
        "zs: --due '2023-04-01': expected --problem with it: a problem has an assignee and a due date"
    )


FIGURE_PLAN = PLAN.split("quotas:\n")[0] + textwrap.dedent("""\
    quotas:
      - {id: trade, title: 外贸进出口, sum: figure, where: {name: 外贸进出口}, who: region, per: year,
         at_least: 5亿}
      - {id: town-fdi, title: 实际使用外资, sum: figure, where: {name: 实际使用外资}, who: {each: town},
         per: quarter, at_least: 1000万}
""")


@pytest.fixture
def reported(zs, tmp_path):
    return planned(zs, tmp_path, FIGURE_PLAN)


def test_reported_figures_are_judged_like_any_other_and_corrected_not_added(reported):
    assert reported("figure", "set", "外贸进出口", "--period", "2023-01", "--value", "1.2亿").stdout.strip() == (
        "set figure #1 外贸进出口 2023-01 全区: 1.2亿元"
    )
    reported("figure", "set", "外贸进出口", "--period", "2023-02", "--value", "8000万")
    out = reported("figure", "set", "外贸进出口", "--period", "2023-01", "--value", "1.5亿").stdout
    assert out.strip() == "set figure #1 外贸进出口 2023-01 全区: 1.5亿元 (was 1.2亿元)"
    assert rows(reported, "trade") == [("region", "2023", 230_000_000, "behind")]
    padded = reported("figure", "set", "外贸　进出口", "--period", "2023-01", "--value", "1.6亿").stdout
    assert padded.strip() == "set figure #1 外贸进出口 2023-01 全区: 1.6亿元 (was 1.5亿元)"  # the held name
    assert rows(reported, "trade") == [("region", "2023", 240_000_000, "behind")]
    reported("undo")  # the padded name's correction
    reported("undo")  # the correction is taken back, the figure stays
    assert rows(reported, "trade") == [("region", "2023", 200_000_000, "behind")]
    reported("figure", "set", "外贸进出口", "--period", "2023-01", "--value", "1.5亿")
    reported("figure", "set", "实际使用外资", "--period", "2023-04", "--value", "600万", "--unit", "萧镇")
    reported("figure", "set", "实际使用外资", "--period", "2023-05", "--value", "500万", "--unit", "萧镇")
    reported("figure", "set", "实际使用外资", "--period", "2023Q2", "--value", "300万", "--unit", "商家镇")
    assert rows(reported, "trade") == [("region", "2023", 230_000_000, "behind")]
    q2 = [r for r in rows(reported, "town-fdi") if r[1] == "2023Q2"]
    assert q2 == [("萧镇", "2023Q2", 11_000_000, "met"), ("商家镇", "2023Q2", 3_000_000, "missed")]
    # a month's figure counts once the month is over; a quarter's once the quarter is
    mid = rows(reported, "town-fdi", as_of="2023-05-31")
    assert [r for r in mid if r[1] == "2023Q2"] == [
        ("萧镇", "2023Q2", 11_000_000, "met"),
        ("商家镇", "2023Q2", 0, "behind"),
    ]
    listed = reported.json("figure", "list", "--name", "外贸进出口")
    assert [(f["period"], f["unit"], f["amount_yuan"]) for f in listed] == [
        ("2023-01", None, 150_000_000),
        ("2023-02", None, 80_000_000),
    ]


def test_a_figure_is_for_the_region_or_its_units_never_both(reported):
    reported("figure", "set", "外贸进出口", "--period", "2023-01", "--value", "1亿")
    assert reported.fails("figure", "set", "外贸进出口", "--period", "2023-01", "--value", "1亿", "--unit", "萧镇") == (
        "zs: --unit '萧镇': a unit's figure beside it would count the same money twice; "
        "expected no unit: 外贸进出口 2023-01 is reported for the whole region already"
    )
    assert reported.fails("figure", "set", "外贸进出口", "--period", "2023-13", "--value", "1亿").startswith(
        "zs: --period '2023-13':"
    )
    reported("figure", "set", "实际使用外资", "--period", "2023-01", "--value", "10万", "--unit", "商家镇")
    reported("figure", "set", "实际使用外资", "--period", "2023-01", "--value", "20万", "--unit", "萧镇")
    assert reported.fails("figure", "set", "实际使用外资", "--period", "2023-01", "--value", "30万") == (
        "zs: --unit '': a region-wide figure beside them would count the same money twice; "
        "expected a unit: 实际使用外资 2023-01 is reported per unit already, by 萧镇、商家镇"
    )


def test_a_period_overlapping_one_reported_already_is_refused_so_nothing_counts_twice(reported, tmp_path):
    for month, value in (("2023-01", "100万"), ("2023-02", "200万"), ("2023-03", "300万")):
        reported("figure", "set", "实际使用外资", "--period", month, "--value", value, "--unit", "萧镇")
    # the quarter over its own months: the quarter and the year would count them twice
    assert reported.fails(
        "figure", "set", "实际使用外资", "--period", "2023Q1", "--value", "600万", "--unit", "萧镇"
    ) == (
        "zs: --period '2023Q1': 实际使用外资 2023-01 萧镇 is reported already and overlaps it: a figure counts in "
        "every period that holds it, so both would count the same money twice; expected a period apart from "
        "2023-01 (or that period itself, to correct it)"
    )
    # another unit's quarter is its own; the whole region's overlaps every unit's
    reported("figure", "set", "实际使用外资", "--period", "2023Q1", "--value", "50万", "--unit", "商家镇")
    assert reported.fails("figure", "set", "实际使用外资", "--period", "2023", "--value", "1亿").startswith(
        "zs: --period '2023': 实际使用外资 2023-01 萧镇 is reported already and overlaps it"
    )
    q1 = [r for r in rows(reported, "town-fdi") if r[1] == "2023Q1"]
    assert q1 == [("萧镇", "2023Q1", 6_000_000, "missed"), ("商家镇", "2023Q1", 500_000, "missed")]
    sheet = tmp_path / "填报.csv"
    sheet.write_text(
        "名称,期间,单位,数值\n实际使用外资,2023-04,萧镇,100万\n实际使用外资,2023Q2,萧镇,300万\n", encoding="utf-8"
    )
    assert reported("import", "figures", sheet, code=1).stderr.splitlines()[1] == (
        "  填报.csv row 3, 期间 '2023Q2': expected a period apart from 2023-04 (or that period itself, to correct it) "
        "(实际使用外资 2023-04 萧镇 is reported already and overlaps it: a figure counts in every period that holds "
        "it, so both would count the same money twice)"
    )
    assert len(reported.json("figure", "list")) == 4  # the sheet refused whole


def test_a_figure_set_by_mistake_is_voided_with_its_reason_and_frees_its_place(reported):
    fdi = ("figure", "set", "实际使用外资")
    reported(*fdi, "--period", "2023-04", "--value", "600万", "--unit", "萧镇")  # #1: 商家镇's, on the wrong unit
    reported(*fdi, "--period", "2023-05", "--value", "100万", "--unit", "萧镇")  # #2
    out = reported("figure", "void", "1", "--reason", "应为商家镇，误填为萧镇").stdout
    assert out.strip() == "voided figure #1 实际使用外资 2023-04 萧镇: 600万元"
    q2 = [r for r in rows(reported, "town-fdi") if r[1] == "2023Q2"]
    assert q2 == [("萧镇", "2023Q2", 1_000_000, "missed"), ("商家镇", "2023Q2", 0, "missed")]
    reported(*fdi, "--period", "2023-04", "--value", "600万", "--unit", "商家镇")  # #3
    # the voided April no longer holds 萧镇's place: a new April figure is set beside it, not corrected
    reported(*fdi, "--period", "2023-04", "--value", "1200万", "--unit", "萧镇")  # #4, not a correction of #1
    q2 = [r for r in rows(reported, "town-fdi") if r[1] == "2023Q2"]
    assert q2 == [("萧镇", "2023Q2", 13_000_000, "met"), ("商家镇", "2023Q2", 6_000_000, "missed")]
    listed = reported.json("figure", "list", "--name", "实际使用外资")
    assert [(f["id"], f["period"], f["unit"], f["amount_yuan"], f["void_reason"]) for f in listed] == [
        (1, "2023-04", "萧镇", 6_000_000, "应为商家镇，误填为萧镇"),
        (4, "2023-04", "萧镇", 12_000_000, None),
        (3, "2023-04", "商家镇", 6_000_000, None),
        (2, "2023-05", "萧镇", 1_000_000, None),
    ]
    assert [f["id"] for f in reported.json("figure", "list", "--no-voided")] == [4, 3, 2]
    assert "已作废: 应为商家镇，误填为萧镇" in reported("figure", "list", "--width", "120").stdout
    assert reported.fails("figure", "void", "1", "--reason", "再次") == (
        "zs: id 1: voided already: 应为商家镇，误填为萧镇; expected a record that is not voided yet"
    )
    assert reported.fails("figure", "void", "9", "--reason", "错") == (
        "zs: id 9: expected the id of a reported figure (see `zs figure list`)"
    )
    assert reported.fails("figure", "void", "2", "--reason", " ") == "zs: --reason ' ': expected a non-empty text"
    for _ in range(3):  # #4 and #3 taken back, then the void: #1 counts again
        reported("undo")
    q2 = [r for r in rows(reported, "town-fdi") if r[1] == "2023Q2"]
    assert q2 == [("萧镇", "2023Q2", 7_000_000, "missed"), ("商家镇", "2023Q2", 0, "missed")]


def test_targets_check_asks_which_figure(reported, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(FIGURE_PLAN.replace("where: {name: 外贸进出口}, ", ""), encoding="utf-8")
    assert "where.name '': expected the name of the figure reported, e.g. 外贸进出口" in reported.fails(
        "targets", "check", bad
    )


def test_every_new_record_survives_export_import_and_merge(projects, tmp_path):
    import json

    z = projects
    z("company", "add", "比亚迪", "--tier", "global500", "--tier", "listed", "--contact", "王经理")
    z("log", "event", "--unit", "萧镇", "--unit", "商家镇", "--type", "展会", "--date", "2023-06-08", "--with", "赵敏")
    z(
        "project",
        "add",
        "电池扩产",
        "--unit",
        "萧镇",
        "--amount",
        "5亿",
        "--type",
        "增资",
        "--increase",
        "8000万",
        "--date",
        "2023-05-01",
        "--company",
        "比亚迪",
    )
    z("project", "advance", "电池扩产", "--to", "签约", "--date", "2023-06-08", "--at", "1")
    z(
        "project",
        "note",
        "1",
        "用地",
        "--problem",
        "--assignee",
        "自然资源局",
        "--due",
        "2023-06-30",
        "--date",
        "2023-06-10",
    )
    z("project", "note", "1", "电价", "--problem", "--date", "2023-06-11")
    z("project", "resolve", "2", "--date", "2023-06-20", "--note", "已协调")
    z("figure", "set", "外贸进出口", "--period", "2023-06", "--value", "1.2亿", "--note", "统计局")
    z("figure", "set", "实际使用外资", "--period", "2023Q2", "--value", "300万", "--unit", "萧镇")
    z("figure", "set", "外贸进出口", "--period", "2023-07", "--value", "5000万", "--unit", "萧镇")
    z("figure", "void", "3", "--reason", "应为全区数")  # kept voided through export, import and merge

    def exported(db, name):
        z("export", tmp_path / name, "--db", db)
        return json.loads((tmp_path / name).read_text(encoding="utf-8"))

    original = exported(z.db, "original.json")
    assert original["activities"][0]["signed_here"] == "电池扩产(签约)"
    assert original["projects"][0]["type"] == "增资" and original["projects"][0]["increase_yuan"] == 80_000_000
    assert original["figures"] == [
        {
            "name": "外贸进出口",
            "period": "2023-06",
            "unit": None,
            "amount_yuan": 120_000_000,
            "note": "统计局",
            "void_reason": None,
        },
        {
            "name": "实际使用外资",
            "period": "2023Q2",
            "unit": "萧镇",
            "amount_yuan": 3_000_000,
            "note": None,
            "void_reason": None,
        },
        {
            "name": "外贸进出口",
            "period": "2023-07",
            "unit": "萧镇",
            "amount_yuan": 50_000_000,
            "note": None,
            "void_reason": "应为全区数",
        },
    ]
    z("export", tmp_path / "all.xlsx")
    fresh = z.fresh("fresh")
    z("init", "--targets", z.targets, "--db", fresh)
    for kind in ("projects", "activities", "companies", "figures"):  # the order the README gives
        z("import", kind, tmp_path / "all.xlsx", "--db", fresh)
    z("import", "figures", tmp_path / "all.xlsx", "--db", fresh)  # again: the voided one is not added twice
    assert exported(fresh, "copy.json") == original
    merged = z.fresh("merged")
    z("init", "--targets", z.targets, "--db", merged)
    z("merge", z.db, "--same-units", "--db", merged)
    assert exported(merged, "merged.json") == original


def test_targets_check_refuses_a_stock_that_also_reaches_and_filters_where_they_mean_nothing(projects, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        PROJECT_PLAN.replace("{in_stage: negotiating, key: true}", "{in_stage: negotiating, reached: signed}")
    )
    line = projects.fails("targets", "check", bad)
    assert line.endswith(
        "where 'in_stage with reached': expected in_stage alone (projects standing in a stage) "
        "or reached/at_event_type (projects reaching one)"
    )
    bad.write_text(
        PROJECT_PLAN.replace("sum: investment, who: region", "sum: funds, where: {in_stage: signed}, who: region")
    )
    assert "where key 'in_stage': expected a filter that applies to sum: funds" in projects.fails(
        "targets", "check", bad
    )
    out = projects("targets", "check", projects.targets).stdout
    assert "在谈重点项目" in out and "展会签约项目" in out


MONEY_PLAN = PLAN.split("quotas:\n")[0] + textwrap.dedent("""\
    rates: {USD: 7.1, HKD: 0.92}
    quotas:
      - {id: invest, title: 签约项目投资额, sum: investment, who: region, per: year, at_least: 5亿}
      - {id: big, title: 过亿元项目, count: projects, where: {amount_at_least: 1亿}, who: region, per: year,
         at_least: 1}
      - {id: fdi, title: 外资到位, sum: funds, where: {origin: foreign}, who: region, per: year,
         at_least: 1000万美元}
      - {id: fdi-reported, title: 实际使用外资, sum: figure, where: {name: 实际使用外资}, who: region,
         per: year, at_least: 500万美元}
""")


@pytest.fixture
def dollars(zs, tmp_path, monkeypatch):
    planned(zs, tmp_path, MONEY_PLAN)
    monkeypatch.setenv("ZS_TARGETS", str(zs.targets))  # the file whose rates project list and show use
    return zs


def test_amounts_in_other_currencies_are_kept_as_typed_and_counted_at_the_files_rate(dollars):
    z = dollars
    out = z(
        "project",
        "add",
        "外资项目",
        "--unit",
        "萧镇",
        "--amount",
        "2000万美元",
        "--stage",
        "签约",
        "--date",
        "2023-03-01",
    )
    assert out.stdout.strip() == "added project #1 外资项目: 萧镇 · 1.42亿元 · 签约 2023-03-01"
    z("project", "add", "港资项目", "--unit", "萧镇", "--amount", "1亿港元", "--stage", "签约", "--date", "2023-03-02")
    z("project", "fund", "1", "--amount", "USD 800万", "--origin", "外资", "--date", "2023-04-01")
    z("project", "fund", "1", "--amount", "1000万", "--origin", "外资", "--date", "2023-04-02")
    z("figure", "set", "实际使用外资", "--period", "2023Q2", "--value", "600万", "--currency", "USD")
    assert z.fails(
        "figure", "set", "实际使用外资", "--period", "2023Q2", "--value", "600万港元", "--currency", "USD"
    ) == ("zs: --currency 'USD': expected the currency --value is in (HKD), or no --currency")
    [reported] = z.json("figure", "list")
    assert (reported["currency"], reported["amount_original"], reported["amount_yuan"]) == (
        "USD",
        6_000_000,
        42_600_000,
    )
    shown = z.json("project", "show", "1")
    assert (shown["amount_yuan"], shown["currency"], shown["amount_original"], shown["funds_yuan"]) == (
        142_000_000,
        "USD",
        20_000_000,
        66_800_000,  # 800万美元 at 7.1 and 1000万元
    )
    assert [(f["amount_yuan"], f["currency"], f["amount_original"]) for f in shown["funds"]] == [
        (56_800_000, "USD", 8_000_000),
        (10_000_000, None, None),
    ]
    data = z.json("report", "year", "--year", "2023", "--targets", z.targets, "--as-of", "2023-12-31")
    actual = {r["quota"]: (r["actual"], r["target"]) for r in data["quotas"]}
    assert actual == {
        "invest": (234_000_000, 500_000_000),  # 1.42亿 + 1亿港元 × 0.92
        "big": (1, 1),  # 1亿港元 is 9200万元: under 1亿
        "fdi": (66_800_000, 71_000_000),  # the target 1000万美元 at 7.1
        "fdi-reported": (42_600_000, 35_500_000),
    }
    assert data["rates"] == {"USD": "7.1", "HKD": "0.92"}
    out = z("report", "year", "--year", "2023", "--targets", z.targets, "--as-of", "2023-12-31").stdout
    assert out.rstrip().endswith(f"外币按 1美元=7.1元；1港元=0.92元 折算（{z.targets}）")


def test_a_currency_without_a_rate_is_refused_not_counted_as_nothing(dollars, tmp_path):
    z = dollars
    z("project", "add", "欧资项目", "--unit", "萧镇", "--amount", "500万欧元", "--date", "2023-03-01", code=1)
    assert z.counts()["project"] == 0  # its show could not say it in yuan: nothing written
    bad = tmp_path / "bad.yaml"
    bad.write_text(MONEY_PLAN.replace("at_least: 1000万美元", "at_least: 1000万欧元"), encoding="utf-8")
    assert z.fails("targets", "check", bad).endswith(
        "at_least '1000万欧元': expected a rate for EUR under rates: (rates: {EUR: 7.1})"
    )
    bad.write_text(MONEY_PLAN.replace("USD: 7.1", "USD: -7.1"), encoding="utf-8")
    assert z.fails("targets", "check", bad).endswith(
        "rates.USD -7.1: expected yuan per 美元: a number above 0, at most 50, 4 decimals"
    )
    plain = tmp_path / "plain.yaml"
    plain.write_text(PLAN, encoding="utf-8")
    z("project", "add", "外资项目", "--unit", "萧镇", "--amount", "2000万美元", "--date", "2023-03-01")
    assert z.fails("report", "year", "--targets", plain, "--as-of", "2023-12-31") == (
        f"zs: {plain}: rates 'USD': the ledger holds amounts in 美元; "
        "expected a rate for USD (rates: {USD: 7.1} means 1美元 = 7.1元)"
    )


def test_foreign_amounts_survive_export_import_and_merge(dollars, tmp_path):
    import json

    z = dollars
    z("project", "add", "外资项目", "--unit", "萧镇", "--amount", "2000万美元", "--date", "2023-03-01")
    z("project", "fund", "1", "--amount", "800万美元", "--origin", "外资", "--date", "2023-04-01")
    z("figure", "set", "实际使用外资", "--period", "2023Q2", "--value", "600万美元", "--unit", "萧镇")
    z("export", tmp_path / "all.json")
    original = json.loads((tmp_path / "all.json").read_text(encoding="utf-8"))
    assert original["projects"][0]["amount_yuan"] == "2000万美元"
    z("export", tmp_path / "all.xlsx")
    fresh = z.fresh("fresh")
    z("init", "--targets", z.targets, "--db", fresh)
    z("import", "projects", tmp_path / "all.xlsx", "--db", fresh)
    z("import", "figures", tmp_path / "all.xlsx", "--db", fresh)
    z("export", tmp_path / "copy.json", "--db", fresh)
    assert json.loads((tmp_path / "copy.json").read_text(encoding="utf-8")) == original
    merged = z.fresh("merged")
    z("init", "--targets", z.targets, "--db", merged)
    z("merge", z.db, "--same-units", "--db", merged)
    z("export", tmp_path / "merged.json", "--db", merged)
    assert json.loads((tmp_path / "merged.json").read_text(encoding="utf-8")) == original
