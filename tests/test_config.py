"""targets.yaml: the shipped file and the examples pass; every kind of mistake is refused with its line."""

import textwrap

import pytest
from conftest import ROOT

ENGINES = ("sqlite",)  # the quota file, whatever the ledger: once is enough

HEAD = "region: 测试区\nyear: 2023\nunits: {甲镇: town, 乙镇: town, 中心: center}\n"


@pytest.mark.parametrize("name, summary", [
    ("config/targets.yaml", "6 units, 10 people, 13 quotas, 0 campaigns, 2 rankings, 5 scoring rules"),
    ("config/examples/autumn-push-2023.yaml", "6 units, 8 people, 12 quotas, 1 campaigns, 0 rankings, 3 scoring rules"),
    ("config/examples/yeji-2021.yaml", "5 units, 4 people, 8 quotas, 1 campaigns, 1 rankings, 3 scoring rules"),
])
def test_shipped_and_example_files_pass(zs, name, summary):
    out = zs("targets", "check", ROOT / name).stdout
    assert out.splitlines()[1] == summary


def test_check_reads_the_plan_back_in_its_own_words(zs):
    data = zs.json("targets", "check", ROOT / "config" / "targets.yaml")
    reads = {q["id"]: q["reads"] for q in data["quotas"]}
    assert reads["town-visits"] == "每个镇街 每月 走访企业(家) ≥ 2"
    assert reads["center-quick-trips"] == "每个投促中心 全年 短频快·外出招商(次) ≥ 8"
    assert reads["big-projects"] == "全区 全年 1亿元以上签约·项目(个) ≥ 4"
    assert reads["outside-funds"] == "全区 全年 省外·到位资金 ≥ 5亿元"
    assert reads["leader-monthly-trip"] == "全区 每月 主要负责人带队·外出招商(次) ≥ 1"
    assert {q["id"]: q["at_least"] for q in data["quotas"]}["outside-funds"] == 500_000_000


def test_campaign_quotas_default_to_the_campaign_window(zs):
    data = zs.json("targets", "check", ROOT / "config" / "examples" / "yeji-2021.yaml")
    assert data["campaigns"] == [{"id": "double-push", "title": "“双招双引”集中攻坚季", "from": "2021-07-01",
                                  "to": "2021-09-30"}]
    per = {q["id"]: q["per"] for q in data["quotas"]}
    assert per["group-monthly-trips"] == "month" and per["region-signed-1yi"] == "campaign"


QUOTA = "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4}\n"


@pytest.mark.parametrize("body, line, message", [
    ("quota: []\n", 4, "key 'quota': expected one of campaigns, people, quotas, rankings, region, scoring, units, year"),
    ("people: [{name: 张三, unit: 丙镇}]\n", 4, "people[].unit '丙镇': expected a unit listed under units"),
    ("quotas:\n  - {id: q1, count: trip, who: region, per: year, at_least: 4}\n", 5,
     "count 'trip': expected one of companies_visited, events, leads, meetings, projects, receptions, trips, visits"),
    ("quotas:\n  - {id: q1, count: trips, sum: funds, who: region, per: year, at_least: 4}\n", 5,
     "quota 'count, sum': expected exactly one of count:, sum: or rate:"),
    ("quotas:\n  - {id: q1, count: trips, where: {colour: red}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'colour': expected one of amount_at_least, destination, event_type, industry, key, led_by, mode, origin, reached"),
    ("quotas:\n  - {id: q1, count: trips, where: {origin: 省外}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'origin': expected a filter that applies to count: trips (destination, led_by, mode)"),
    # a filter that can never match what its metric counts
    ("quotas:\n  - {id: q1, count: events, where: {mode: 短频快}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'mode': expected a filter that applies to count: events (destination, event_type, led_by)"),
    ("quotas:\n  - {id: q1, count: meetings, where: {mode: 短频快}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'mode': expected a filter that applies to count: meetings (led_by)"),
    ("quotas:\n  - {id: q1, count: receptions, where: {destination: 深圳}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'destination': expected a filter that applies to count: receptions (led_by, mode)"),
    ("quotas:\n  - {id: q1, count: trips, where: {event_type: fair}, who: region, per: year, at_least: 4}\n", 5,
     "where key 'event_type': expected a filter that applies to count: trips (destination, led_by, mode)"),
    ("quotas:\n  - {id: q1, rate: started_per_signed, where: {reached: started}, who: region, per: year, at_least: 0.8}\n", 5,
     "where key 'reached': expected a filter that applies to rate: started_per_signed (amount_at_least, industry, key)"),
    # a setting accepted and then ignored is refused instead
    (QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, late_start_credit: 0.5}\n", 7,
     "late_start_credit 0.5: expected a rule on a quota that counts starts (count: projects, where: {reached: started})"),
    ("quotas:\n  - {id: q1, count: trips, where: {mode: 空降}, who: region, per: year, at_least: 4}\n", 5,
     "where.mode '空降': expected one of: team 小分队"),
    ("quotas:\n  - {id: q1, count: trips, who: {each: city}, per: year, at_least: 4}\n", 5,
     "who.each 'city': expected one of: center 投促中心"),
    ("quotas:\n  - {id: q1, count: trips, who: {units: [甲镇, 丙镇]}, per: year, at_least: 4}\n", 5,
     "who.units '丙镇': expected a unit listed under units"),
    ("quotas:\n  - {id: q1, count: trips, who: {each_person: boss}, per: year, at_least: 4}\n", 5,
     "who.each_person 'boss': expected one of: main_leader 主要负责人"),
    ("quotas:\n  - {id: q1, sum: funds, who: {each_person: main_leader}, per: year, at_least: 4}\n", 5,
     "who.each_person 'funds': expected an activity count (trips, visits …) for a quota per person"),
    ("quotas:\n  - {id: q1, count: trips, who: everyone, per: year, at_least: 4}\n", 5,
     "who 'everyone': expected region, {each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: fortnight, at_least: 4}\n", 5,
     "per 'fortnight': expected one of week, month, quarter, year"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: -3}\n", 5,
     "at_least -3: expected a number that is not negative"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: many}\n", 5,
     "at_least 'many': expected a number that is not negative"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 2.5}\n", 5,
     "at_least 2.5: expected a whole number"),
    ("quotas:\n  - {id: q1, sum: funds, who: region, per: year, at_least: 5亿多}\n", 5,
     "at_least '5亿多': expected an amount in yuan such as 1.5亿, 5000万, 3,000万元, 一点五亿 or 120000000元"),
    ("quotas:\n  - {id: q1, sum: funds, who: region, per: year, at_least: 5000}\n", 5,
     "at_least 5000: expected 5000元 or 5000万?"),
    ("quotas:\n  - {id: q1, rate: started_per_signed, who: region, per: year, at_least: 80}\n", 5,
     "at_least 80: expected a rate between 0 and 1, such as 0.8 or 80%"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: year}\n", 5, "quota 'at_least': expected a `at_least:` entry"),
    ("quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4, target: 5}\n", 5,
     "quota key 'target': expected one of at_least, count, id, per, rate, sum, title, where, who"),
    (QUOTA + "  - {id: q1, count: visits, who: region, per: year, at_least: 4}\n", 6, "quota id 'q1': used twice; expected ids that are unique"),
    ("campaigns:\n  - {id: c1, from: 2023-02-30, to: 2023-03-31}\n", 5,
     "from '2023-02-30': expected a real calendar date"),
    ("campaigns:\n  - {id: c1, from: 2023-09-01, to: 2023-08-01}\n", 5,
     "to '2023-08-01': expected a date on or after from (2023-09-01)"),
    ("campaigns:\n  - id: c1\n    from: 2023-08-01\n    to: 2023-09-30\n    quotas:\n"
     "      - {id: q9, count: trips, who: region, per: decade, at_least: 1}\n", 9,
     "per 'decade': expected one of week, month, quarter, year, campaign"),
    ("rankings:\n  - {id: r1, among: region, by: [{count: trips, weight: 1}]}\n", 5,
     "among 'region': expected {each: KIND} or {units: [..]}: units to rank"),
    ("rankings:\n  - {id: r1, among: {each: town}, by: [{count: trips}]}\n", 5, "by 'weight': expected a `weight:` entry"),
    (QUOTA + "scoring:\n  - {id: s1, quota: q2, points: 10}\n", 7, "quota 'q2': expected the id of a quota in this file"),
    (QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, partial: yes please}\n", 7,
     "partial 'yes please': expected true or false"),
    ("quotas: [\n", 5, "expected valid YAML"),
])
def test_a_wrong_file_is_refused_with_file_line_and_expectation(zs, tmp_path, body, line, message):
    path = tmp_path / "targets.yaml"
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    error = zs.fails("targets", "check", path)
    assert error.startswith(f"zs: {path}:{line}: ")
    assert message in error


def test_a_missing_file_is_one_line(zs, tmp_path):
    error = zs.fails("targets", "check", tmp_path / "nope.yaml")
    assert error.startswith(f"zs: --targets '{tmp_path / 'nope.yaml'}': ")
    assert error.endswith("expected a readable UTF-8 targets.yaml")
