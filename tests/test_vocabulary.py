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
