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


@pytest.fixture
def plan(zs, tmp_path):
    targets = tmp_path / "plan.yaml"
    targets.write_text(PLAN, encoding="utf-8")
    zs("init", "--targets", targets)
    zs.targets = targets
    return zs


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
