"""targets.yaml: the shipped file and the examples pass; every kind of mistake is refused with its line."""

import textwrap

import pytest
from conftest import EMPTY, ROOT
from hypothesis import given, settings
from hypothesis import strategies as st

ENGINES = ("sqlite",)  # the quota file, whatever the ledger: once is enough

HEAD = "region: 测试区\nyear: 2023\nunits: {甲镇: town, 乙镇: town, 中心: center}\n"


@pytest.mark.parametrize(
    "name, summary",
    [
        ("config/targets.yaml", "6 units, 10 people, 13 quotas, 0 campaigns, 6 rankings, 0 scoring rules"),
        (
            "config/plans/001-autumn-push-2023.yaml",
            "12 units, 16 people, 27 quotas, 1 campaigns, 0 rankings, 10 scoring rules",
        ),
        (
            "config/plans/002-mobilisation-2023.yaml",
            "11 units, 1 people, 1 quotas, 0 campaigns, 0 rankings, 0 scoring rules",
        ),
        (
            "config/plans/003-liaocheng-2024.yaml",
            "11 units, 0 people, 5 quotas, 0 campaigns, 3 rankings, 0 scoring rules",
        ),
        (
            "config/plans/004-yeji-2021.yaml",
            "14 units, 7 people, 19 quotas, 1 campaigns, 4 rankings, 6 scoring rules, 2 red-black lists",
        ),
        ("tests/fixtures/plan-2023.yaml", "6 units, 10 people, 13 quotas, 0 campaigns, 2 rankings, 5 scoring rules"),
    ],
)
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


def test_a_city_plan_reads_its_region_wide_quotas_as_the_whole_city(zs):
    data = zs.json("targets", "check", ROOT / "config" / "plans" / "003-liaocheng-2024.yaml")
    reads = {q["id"]: q["reads"] for q in data["quotas"]}
    assert data["region"] == "聊城市"
    assert reads["city-funds"] == "全市 全年 到位资金 ≥ 500亿元"
    assert reads["qianbai-1000"] == "全市 全年 走访企业(家) ≥ 1000"


@pytest.mark.parametrize(
    "region, words",
    [("文昌湖区", "全区"), ("聊城市", "全市"), ("东阿县", "全县"), ("", "全区"), ("开发区管委会", "全区")],
)
def test_the_whole_territory_is_named_after_the_region(region, words):
    from zhaoshang.render.describe import whole

    assert whole(region) == words


def test_campaign_quotas_default_to_the_campaign_window(zs):
    data = zs.json("targets", "check", ROOT / "config" / "plans" / "004-yeji-2021.yaml")
    assert data["campaigns"] == [
        {"id": "double-push", "title": "“双招双引”集中攻坚季", "from": "2021-07-01", "to": "2021-09-30"}
    ]
    per = {q["id"]: q["per"] for q in data["quotas"]}
    assert per["town-monthly-trips"] == "month" and per["region-signed-1yi"] == "campaign"
    assert per["fortnightly-dispatch"] == "fortnight"


QUOTA = "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4}\n"


@pytest.mark.parametrize(
    "body, line, message",
    [
        (
            "quota: []\n",
            4,
            "key 'quota': expected one of bulletin, campaigns, manual, out_of_scope, people, quotas, rankings, rates, red_black, region, scoring, units, year",
        ),
        ("people: [{name: 张三, unit: 丙镇}]\n", 4, "people[].unit '丙镇': expected a unit listed under units"),
        (
            "quotas:\n  - {id: q1, count: trip, who: region, per: year, at_least: 4}\n",
            5,
            "count 'trip': expected one of companies_met, companies_visited, events, leads, meetings, projects, receptions, trips, visits",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, sum: funds, who: region, per: year, at_least: 4}\n",
            5,
            "quota 'count, sum': expected exactly one of count:, sum: or rate:",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {colour: red}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'colour': expected one of amount_at_least, at_event_type, destination, event_type, in_stage, industry, key, led_by, mode, name, origin, reached, tier",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {origin: 省外}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'origin': expected a filter that applies to count: trips (destination, led_by, mode, tier)",
        ),
        # a filter that can never match what its metric counts
        (
            "quotas:\n  - {id: q1, count: events, where: {mode: 短频快}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'mode': expected a filter that applies to count: events (destination, event_type, led_by, tier)",
        ),
        (
            "quotas:\n  - {id: q1, count: meetings, where: {mode: 短频快}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'mode': expected a filter that applies to count: meetings (led_by)",
        ),
        (
            "quotas:\n  - {id: q1, count: receptions, where: {destination: 深圳}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'destination': expected a filter that applies to count: receptions (led_by, mode, tier)",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {event_type: fair}, who: region, per: year, at_least: 4}\n",
            5,
            "where key 'event_type': expected a filter that applies to count: trips (destination, led_by, mode, tier)",
        ),
        (
            "quotas:\n  - {id: q1, rate: started_per_signed, where: {reached: started}, who: region, per: year, at_least: 0.8}\n",
            5,
            "where key 'reached': expected a filter that applies to rate: started_per_signed (amount_at_least, industry, key, tier)",
        ),
        # a setting accepted and then ignored is refused instead
        (
            QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, late_start_credit: 0.5}\n",
            7,
            "late_start_credit 0.5: expected a rule on a quota that counts starts (count: projects, where: {reached: started})",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {mode: 空降}, who: region, per: year, at_least: 4}\n",
            5,
            "where.mode '空降': expected one of: team 小分队",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: {each: city}, per: year, at_least: 4}\n",
            5,
            "who.each 'city': expected one of: center 投促中心",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: {units: [甲镇, 丙镇]}, per: year, at_least: 4}\n",
            5,
            "who.units '丙镇': expected a unit listed under units",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: {each_person: boss}, per: year, at_least: 4}\n",
            5,
            "who.each_person 'boss': expected one of: main_leader 主要负责人",
        ),
        (
            "quotas:\n  - {id: q1, sum: funds, who: {each_person: main_leader}, per: year, at_least: 4}\n",
            5,
            "who.each_person 'funds': expected an activity count (trips, visits …) for a quota per person",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: everyone, per: year, at_least: 4}\n",
            5,
            "who 'everyone': expected region, {each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: decade, at_least: 4}\n",
            5,
            "per 'decade': expected one of week, half_month, fortnight, month, quarter, year",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: -3}\n",
            5,
            "at_least -3: expected a number that is not negative",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: many}\n",
            5,
            "at_least 'many': expected a number that is not negative",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 2.5}\n",
            5,
            "at_least 2.5: expected a whole number",
        ),
        (
            "quotas:\n  - {id: q1, sum: funds, who: region, per: year, at_least: 5亿多}\n",
            5,
            "at_least '5亿多': expected an amount in yuan such as 1.5亿, 5000万, 3,000万元, 一点五亿 or 120000000元",
        ),
        (
            "quotas:\n  - {id: q1, sum: funds, who: region, per: year, at_least: 5000}\n",
            5,
            "at_least 5000: expected 5000元 or 5000万?",
        ),
        (
            "quotas:\n  - {id: q1, rate: started_per_signed, who: region, per: year, at_least: 80}\n",
            5,
            "at_least 80: expected a rate between 0 and 1, such as 0.8 or 80%",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year}\n",
            5,
            "quota 'q1': expected exactly one of at_least: or at_most:",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4, target: 5}\n",
            5,
            "quota key 'target': expected one of at_least, at_most, count, id, per, rate, sum, text, title, where, who",
        ),
        (
            QUOTA + "  - {id: q1, count: visits, who: region, per: year, at_least: 4}\n",
            6,
            "quota id 'q1': used twice; expected ids that are unique",
        ),
        (
            "campaigns:\n  - {id: c1, from: 2023-02-30, to: 2023-03-31}\n",
            5,
            "from '2023-02-30': expected a real calendar date",
        ),
        (
            "campaigns:\n  - {id: c1, from: 2023-09-01, to: 2023-08-01}\n",
            5,
            "to '2023-08-01': expected a date on or after from (2023-09-01)",
        ),
        (
            "campaigns:\n  - id: c1\n    from: 2023-08-01\n    to: 2023-09-30\n    quotas:\n"
            "      - {id: q9, count: trips, who: region, per: decade, at_least: 1}\n",
            9,
            "per 'decade': expected one of week, half_month, fortnight, month, quarter, year, campaign",
        ),
        (
            "rankings:\n  - {id: r1, among: region, by: [{count: trips, weight: 1}]}\n",
            5,
            "among 'region': expected {each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}: units or people to rank",
        ),
        (
            "rankings:\n  - {id: r1, among: {each: town}, by: [{count: trips}, {count: visits}]}\n",
            5,
            "by 'weight': expected a `weight:` on each metric of a ranking on more than one",
        ),
        (
            QUOTA + "scoring:\n  - {id: s1, quota: q2, points: 10}\n",
            7,
            "quota 'q2': expected the id of a quota in this file",
        ),
        (
            QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, partial: yes please}\n",
            7,
            "partial 'yes please': expected true or false",
        ),
        ("quotas: [\n", 5, "expected valid YAML"),
    ],
)
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


# --- targets.yaml read as an attacker writes it ------------------------------------------------------

LAUGHS = "lol: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)


def refused(zs, tmp_path, text: str) -> str:
    """The one line `targets check` refuses `text` with; `zs init` refuses it with the same line and
    writes nothing."""
    path = tmp_path / "targets.yaml"
    path.write_text(text, encoding="utf-8")
    error = zs.fails("targets", "check", path)
    assert zs.fails("init", "--targets", path) == error
    assert zs.counts() == EMPTY
    return error


def test_an_alias_is_refused_before_it_expands(zs, tmp_path):
    # billion laughs: 9 ** 9 strings from a few hundred bytes (MemoryError before)
    error = refused(zs, tmp_path, "region: {" + LAUGHS.replace("\n", ", ").rstrip(", ") + "}\n")
    assert error == (
        f"zs: {tmp_path / 'targets.yaml'}:1: anchor '&a': targets.yaml does not read YAML anchors; "
        "expected each value written out in full"
    )
    error = refused(
        zs,
        tmp_path,
        HEAD + "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4}\n"
        "  - {id: q2, count: trips, who: *x, per: year, at_least: 4}\n",
    )
    assert error.endswith(
        ":6: alias '*x': targets.yaml does not read YAML aliases; expected each value written out in full"
    )


def test_deep_nesting_is_refused_at_its_limit(zs, tmp_path):
    error = refused(zs, tmp_path, HEAD + "quotas: " + "[" * 5000 + "]" * 5000 + "\n")  # RecursionError before
    assert error.endswith(":4: nesting '21 levels': expected at most 20 levels of lists and mappings")
    nested = "{a: " * 19 + "1" + "}" * 19  # 20 levels with the top mapping: read, then refused as a region
    assert refused(zs, tmp_path, f"region: {nested}\n").endswith("expected a name, not a list or mapping")


@pytest.mark.parametrize(
    "value, message",
    [
        (".nan", "at_least nan: expected a finite number"),  # InvalidOperation before
        (".NaN", "at_least nan: expected a finite number"),
        (".inf", "at_least inf: expected a finite number"),
        ("-.inf", "at_least -inf: expected a finite number"),
        ("nan%", "at_least 'nan%': expected a finite number"),
        ("snan%", "at_least 'snan%': expected a number or a percentage such as 80%"),
        ("1e999999999%", "at_least '1e999999999%': expected a number or a percentage such as 80%"),  # Overflow
        ("1000000001", "at_least 1000000001: expected a number of at most 1,000,000,000 with at most 6 decimals"),
        ("1.0e+300", "at_least 1e+300: expected a number of at most 1,000,000,000 with at most 6 decimals"),
    ],
)
def test_a_number_that_is_not_a_sane_finite_one_is_refused(zs, tmp_path, value, message):
    error = refused(
        zs, tmp_path, HEAD + f"quotas:\n  - {{id: q1, count: trips, who: region, per: year, at_least: {value}}}\n"
    )
    assert error.endswith(f":5: {message}")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("weight", ".nan", "weight nan: expected a finite number"),
        ("weight", "0.0000001", "weight 1e-07: expected a number of at most 1,000,000,000 with at most 6 decimals"),
    ],
)
def test_a_weight_is_a_sane_finite_number(zs, tmp_path, key, value, message):
    body = f"rankings:\n  - {{id: r1, among: {{each: town}}, by: [{{count: trips, {key}: {value}}}]}}\n"
    assert refused(zs, tmp_path, HEAD + body).endswith(f":5: {message}")


def test_money_that_is_not_a_number_is_refused(zs, tmp_path):
    error = refused(zs, tmp_path, HEAD + "quotas:\n  - {id: q1, sum: funds, who: region, per: year, at_least: .nan}\n")
    assert error.startswith(f"zs: {tmp_path / 'targets.yaml'}:5: at_least nan: expected ")


@pytest.mark.parametrize(
    "dates, message",
    [
        ("from: 0001-01-01, to: 9999-12-31", "from '0001-01-01': expected a date from 1900-01-01 to 2200-12-31"),
        ("from: 2023-01-01, to: 9999-12-31", "to '9999-12-31': expected a date from 1900-01-01 to 2200-12-31"),
        ("from: 18991231, to: 2023-12-31", "from '1899-12-31': expected a date from 1900-01-01 to 2200-12-31"),
        (
            "from: 2023-01-01, to: 2033-01-01",
            "to '2033-01-01': expected a date before 2033-01-01: a campaign of at most 10 years",
        ),
        (
            "from: 2024-02-29, to: 2034-03-01",
            "to '2034-03-01': expected a date before 2034-03-01: a campaign of at most 10 years",
        ),
        (
            "from: 2023-08-01 10:00:00, to: 2023-09-30",
            "from 2023-08-01 10:00:00: expected a date without a time of day, such as 2023-08-01",
        ),
    ],
)
def test_campaign_dates_stay_in_a_sane_range(zs, tmp_path, dates, message):
    # 0001 to 9999 ended in an OverflowError in the period arithmetic of every report
    assert refused(zs, tmp_path, HEAD + f"campaigns:\n  - {{id: c1, {dates}}}\n").endswith(f":5: {message}")


WIDEST = (
    HEAD
    + """campaigns:
  - id: early
    from: 1900-01-01
    to: 1909-12-31
    quotas: [{id: e-weekly, count: trips, who: region, per: week, at_least: 1}]
  - id: late
    from: 2191-01-01
    to: 2200-12-31
    quotas:
      - {id: l-weekly, count: trips, who: region, per: week, at_least: 1}
      - {id: l-quarterly, count: trips, who: {each: town}, per: quarter, at_least: 1}
"""
)


def test_reports_over_the_widest_campaigns_accepted_end_cleanly(zs, tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text(WIDEST, encoding="utf-8")
    zs("init", "--targets", path)
    zs("log", "trip", "--unit", "甲镇", "--date", "2200-12-31", "--to", "深圳", "--company", "甲公司")
    late = zs.json("report", "campaign", "late", "--targets", path, "--as-of", "2200-12-31")
    weeks = [q for q in late["quotas"] if q["quota"] == "l-weekly"]
    assert (weeks[0]["start"], weeks[-1]["end"]) == ("2191-01-01", "2200-12-31")
    assert weeks[-1]["actual"] == 1 and sum(q["actual"] for q in weeks) == 1
    early = zs.json("report", "campaign", "early", "--targets", path, "--as-of", "1900-01-01")
    assert [(q["start"], q["end"]) for q in early["quotas"]] == [("1900-01-01", "1900-01-07")]
    quarter = zs.json("report", "quarter", "--targets", path, "--as-of", "2200-12-31")
    assert quarter["window"] == {"label": "2200Q4", "start": "2200-10-01", "end": "2200-12-31"}


@pytest.mark.parametrize("char", list("/\\:*?[]"))
def test_names_an_xlsx_sheet_title_cannot_hold_are_refused(zs, tmp_path, char):
    name = f"甲{char}镇"
    quoted = "'" + name + "'"
    expected = r"expected a name without / \ : * ? [ ]"
    shown = repr(name)
    error = refused(zs, tmp_path, f"region: {quoted}\nunits: {{甲镇: town}}\n")
    assert error.endswith(f":1: region {shown}: an xlsx sheet title cannot hold {char}; {expected}")
    error = refused(zs, tmp_path, f"region: 测试区\nunits: {{{quoted}: town}}\n")
    assert error.endswith(f":2: units {shown}: an xlsx sheet title cannot hold {char}; {expected}")
    error = refused(zs, tmp_path, HEAD + f"campaigns:\n  - {{id: {quoted}, from: 2023-08-01, to: 2023-09-30}}\n")
    assert error.endswith(f":5: id {shown}: an xlsx sheet title cannot hold {char}; {expected}")


def test_names_longer_than_a_sheet_title_or_a_line_are_refused(zs, tmp_path):
    error = refused(zs, tmp_path, f"region: {'区' * 32}\n")
    assert error.endswith(
        f":1: region '{'区' * 32}': it has 32, and an xlsx sheet title holds 31; "
        "expected a name of at most 31 characters"
    )
    assert refused(zs, tmp_path, f"region: 测试区\nunits: {{{'镇' * 32}: town}}\n").endswith(
        "expected a name of at most 31 characters"
    )
    error = refused(zs, tmp_path, HEAD + f"people: [{{name: {'张' * 101}, unit: 甲镇}}]\n")
    assert error.endswith(f":4: people[].name '{'张' * 79}…': it has 101; expected a name of at most 100 characters")
    path = tmp_path / "targets.yaml"
    path.write_text(f"region: {'区' * 31}\nunits: {{{'镇' * 31}: town}}\n", encoding="utf-8")
    assert zs("targets", "check", path).stdout.splitlines()[1].startswith("1 units, 0 people")


@pytest.mark.parametrize(
    "body, line, message",
    [
        ("region: 另一区\n", 4, "key 'region': it appears twice"),  # last-wins before
        ("units: {丙镇: town}\n", 4, "key 'units': it appears twice"),
        (
            "quotas:\n  - {id: q1, id: q2, count: trips, who: region, per: year, at_least: 4}\n",
            5,
            "key 'id': it appears twice",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: {each: town, each: center}, per: year, at_least: 4}\n",
            5,
            "key 'each': it appears twice",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {mode: 小分队, mode: 短频快}, who: region, per: year, at_least: 4}\n",
            5,
            "key 'mode': it appears twice",
        ),
        ("people: [{name: 张三, unit: 甲镇, unit: 乙镇}]\n", 4, "key 'unit': it appears twice"),
        (
            "campaigns:\n  - id: c1\n    from: 2023-08-01\n    to: 2023-09-30\n    from: 2023-07-01\n",
            8,
            "key 'from': it appears twice",
        ),
        (
            "campaigns:\n  - id: c1\n    from: 2023-08-01\n    to: 2023-09-30\n    quotas:\n"
            "      - {id: q9, count: trips, who: region, who: {each: town}, at_least: 1}\n",
            9,
            "key 'who': it appears twice",
        ),
        (
            "rankings:\n  - {id: r1, among: {each: town}, by: [{count: trips, weight: 1, weight: 2}]}\n",
            5,
            "key 'weight': it appears twice",
        ),
        (QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, points: 20}\n", 7, "key 'points': it appears twice"),
        # the same name once spelt plainly and once quoted or padded is still the same name
        (
            "people: [{name: 张三, unit: 甲镇}, {name: '张三 ', unit: 甲镇}]\n",
            4,
            "people[].name '张三': listed twice; expected each person listed once in 甲镇",
        ),
        (
            QUOTA + "  - {id: ' q1', count: trips, who: region, per: year, at_least: 4}\n",
            6,
            "quota id 'q1': used twice; expected ids that are unique",
        ),
        (
            "campaigns:\n  - {id: c1, from: 2023-08-01, to: 2023-09-30}\n  - {id: c1, from: 2023-10-01, to: 2023-10-31}\n",
            6,
            "campaign id 'c1': used twice",
        ),
        (
            "rankings:\n  - {id: r1, among: {each: town}, by: [{count: trips, weight: 1}]}\n"
            "  - {id: r1, among: {each: town}, by: [{count: visits, weight: 1}]}\n",
            6,
            "ranking id 'r1': used twice",
        ),
        (
            QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10}\n  - {id: s1, quota: q1, points: 5}\n",
            8,
            "scoring rule id 's1': used twice",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, who: {units: [甲镇, 乙镇, 甲镇]}, per: year, at_least: 4}\n",
            5,
            "who.units '甲镇, 乙镇, 甲镇': expected each unit named once",
        ),
    ],
)
def test_a_key_or_a_name_given_twice_is_refused(zs, tmp_path, body, line, message):
    error = refused(zs, tmp_path, HEAD + body)
    assert error.startswith(f"zs: {tmp_path / 'targets.yaml'}:{line}: ")
    assert message in error


def test_a_unit_listed_twice_with_different_spacing_is_refused(zs, tmp_path):
    error = refused(zs, tmp_path, "region: 测试区\nunits:\n  甲镇: town\n  ' 甲镇': center\n")
    assert error.endswith(":4: units '甲镇': it appears twice; expected each unit listed once")


@pytest.mark.parametrize(
    "value",
    [
        "!!python/object/apply:os.system ['true']",  # read as the region "None" before
        "!!python/name:os.system",
        "!!str 测试区",
        "!custom 测试区",
        "! 测试区",
        "!!map {a: 1}",
    ],
)
def test_an_explicit_tag_is_refused(zs, tmp_path, value):
    error = refused(zs, tmp_path, f"year: 2023\nregion: {value}\n")
    assert error.startswith(f"zs: {tmp_path / 'targets.yaml'}:2: tag '")
    assert error.endswith("': expected a value without a YAML tag (quote text instead)")


def test_a_merge_key_is_refused(zs, tmp_path):
    error = refused(
        zs, tmp_path, HEAD + "quotas:\n  - {<<: {id: q1}, count: trips, who: region, per: year, at_least: 4}\n"
    )
    assert error.endswith(
        ":5: key '<<': targets.yaml does not read YAML merge keys; expected each value written out in full"
    )


@pytest.mark.parametrize(
    "text, line, key",
    [
        ("region: 测试区\nunits: {[甲镇, 乙镇]: town}\n", 2, "['甲镇', '乙镇']"),
        ("region: 测试区\nunits: {{甲镇: 1}: town}\n", 2, "{'甲镇': 1}"),
        ("? [region]\n: 测试区\n", 1, "['region']"),
        (HEAD + "quotas:\n  - {[id]: q1, count: trips, who: region, per: year, at_least: 4}\n", 5, "['id']"),
    ],
)
def test_a_key_that_is_not_a_scalar_is_refused(zs, tmp_path, text, line, key):
    error = refused(zs, tmp_path, text)
    assert error == (
        f"zs: {tmp_path / 'targets.yaml'}:{line}: key {key}: "
        "expected a plain name or word as a key, not a list or mapping"
    )


@pytest.mark.parametrize(
    "text, message",
    [
        (
            HEAD + "people: [{name: a/b, unit: 甲镇}]\n",  # `targets check` accepted it and `zs init` refused it
            ":4: people[].name 'a/b': UNIT/NAME names a person of a unit; expected a name without '/'",
        ),
        (
            'region: 测试区\nunits: {"甲\\u200b镇": town}\n',
            ":2: units '甲\\u200b镇': it holds U+200B; expected text without control or invisible characters",
        ),
        (
            HEAD + 'people: [{name: "张\\e[31m三", unit: 甲镇}]\n',
            ":4: people[].name '张\\x1b[31m三': it holds U+001B; expected text without control or invisible characters",
        ),
        (
            HEAD + 'campaigns:\n  - {id: c1, title: "秋\\u202e季", from: 2023-08-01, to: 2023-09-30}\n',
            ":5: title '秋\\u202e季': it holds U+202E; expected text without control or invisible characters",
        ),
        (HEAD + "people: [{name: '  ', unit: 甲镇}]\n", ":4: people[].name '  ': expected a name that is not empty"),
        (HEAD + "people: [{name: ~, unit: 甲镇}]\n", ":4: people[].name '': expected a name that is not empty"),
        ("region: 测试区\nunits: {'': town}\n", ":2: units '': expected a name that is not empty"),
    ],
)
def test_check_and_init_refuse_the_same_names_with_the_same_line(zs, tmp_path, text, message):
    assert refused(zs, tmp_path, text).endswith(message)


def test_names_are_read_as_written_and_without_outer_spaces(zs, tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text(
        "region: 测试区\nunits: {' 甲镇 ': town, 1.10: town, 007: center}\n"
        "people: [{name: 007, unit: 1.10}, {name: 张三, unit: '甲镇 '}]\n"
        "quotas:\n  - {id: q1, count: trips, who: {units: [1.10, 甲镇]}, per: year, at_least: 1}\n",
        encoding="utf-8",
    )
    assert zs.json("targets", "check", path)["units"] == {"甲镇": "town", "1.10": "town", "007": "center"}
    zs("init", "--targets", path)
    people = zs.json("person", "list")
    assert sorted((p["name"], p["unit"]) for p in people) == [("007", "1.10"), ("张三", "甲镇")]


# --- whatever the file holds: one answer, never a traceback ---------------------------------------------

ATTACKS = [
    "&a",
    "*a",
    "&a [lol, lol]",
    "[*a, *a, *a]",
    "!!python/object/apply:os.system ['true']",
    "!!str x",
    "!x y",
    "<<: {id: q1}",
    "? [a]\n: b",
    "? {a: 1}\n: b",
    "[" * 30 + "]" * 30,
    "{a: " * 25 + "1" + "}" * 25,
    ".nan",
    ".inf",
    "-.inf",
    "nan%",
    "1e999999999%",
    "0001-01-01",
    "9999-12-31",
    "2023-08-01 10:00:00",
    "'a/b:*?[]'",
    '"甲\\u200b镇"',
    '"\\e[31m"',
    '"\\x07"',
    "~",
    "''",
    "99999999999999999999999",
    "0x7FFFFFFFFFFFFFFF",
    "1:30",
    "0o777",
    "区" * 40,
    "region: 另一区",
    "units: {甲镇: town}",
    "{甲镇: town, 甲镇: park}",
    "[甲镇, 甲镇]",
    "%TAG ! tag:x,2023:\n---",
    "--- a\n--- b",
    "\ufeff",
    "\t",
    "\x00",
    "\x85",
    "\\",
    '"',
    "'",
    "|\n  x",
    ">-\n  y",
    "#",
    "@",
    "`",
]
YAML_CHARS = "{}[]:,-&*!|>'\"#%@?<~.+_/\\\n    \t0123456789abcdefnrstuwxyz" + "甲乙镇区中心张三" + "\x07\u200b"
SKELETON = [
    "region: 测试区",
    "year: 2023",
    "units: {甲镇: town, 乙镇: town, 中心: center}",
    "people: [{name: 张三, unit: 甲镇, role: main_leader}]",
    "quotas:",
    "  - {id: q1, count: trips, who: {each: town}, per: month, at_least: 2}",
    "  - {id: q2, sum: funds, where: {origin: out_of_province}, who: region, per: year, at_least: 5亿}",
    "  - {id: q3, rate: started_per_signed, who: region, per: year, at_least: 80%}",
    "campaigns:",
    "  - id: c1",
    "    from: 2023-08-01",
    "    to: 2023-09-30",
    "    quotas: [{id: c-q1, count: projects, where: {reached: signed}, who: {units: [甲镇]}, at_least: 1}]",
    "rankings:",
    "  - {id: r1, among: {each: town}, by: [{count: trips, weight: 0.5}, {sum: funds, weight: 0.5}]}",
    "scoring:",
    "  - {id: s1, quota: q1, points: 10, partial: true, penalty_per_short: 0.5}",
]


@st.composite
def spliced_plans(draw):
    """A working plan with a few of its lines cut, repeated or spliced with an attack or random text."""
    lines = list(SKELETON)
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(0, len(lines) - 1))
        line = lines[where]
        cut = draw(st.integers(0, len(line)))
        piece = draw(st.sampled_from(ATTACKS) | st.text(YAML_CHARS, max_size=12))
        lines[where] = draw(
            st.sampled_from([line[:cut] + piece + line[cut:], line[:cut] + piece, piece, line + "\n" + line])
        )
    return "\n".join(lines) + "\n"


PLAIN = (
    st.none() | st.booleans() | st.integers(-5, 10**12) | st.text(YAML_CHARS, max_size=12) | st.sampled_from(ATTACKS)
)
KEYS = st.sampled_from(
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
        "units",
        "from",
        "to",
        "by",
        "weight",
        "quota",
        "points",
        "name",
        "unit",
        "role",
        "甲镇",
    ]
)
DOCUMENTS = st.one_of(
    st.text(YAML_CHARS, max_size=120),
    spliced_plans(),
    st.recursive(
        PLAIN,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(KEYS | PLAIN.map(str), inner, max_size=4),
        max_leaves=12,
    ).map(lambda value: __import__("yaml").safe_dump(value, allow_unicode=True)),
)


@given(document=DOCUMENTS)
@settings(max_examples=100, deadline=None)
def test_targets_check_answers_any_document_in_one_line(tmp_path_factory, document):
    from typer.testing import CliRunner

    from zhaoshang.cli import app

    path = tmp_path_factory.mktemp("plan") / "targets.yaml"
    path.write_text(document, encoding="utf-8", errors="surrogatepass")
    result = CliRunner().invoke(app, ["targets", "check", str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code == 1:
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"zs: {path}"), result.stderr


NAMES = st.text(alphabet="甲乙镇区张三 a/\\:*?[]'\"-_.1\u200b\u3000\x07\x1b#&!", min_size=0, max_size=8)


@given(
    units=st.lists(NAMES, min_size=1, max_size=3),
    people=st.lists(st.tuples(NAMES, st.integers(0, 3)), max_size=3),
    region=NAMES,
)
@settings(max_examples=60, deadline=None)
def test_init_accepts_exactly_the_files_targets_check_accepts(tmp_path_factory, units, people, region):
    import yaml
    from conftest import count_rows
    from typer.testing import CliRunner

    from zhaoshang.cli import app

    folder = tmp_path_factory.mktemp("agree")
    path, db = folder / "targets.yaml", folder / "ledger.db"
    plan = {
        "region": region,
        "year": 2023,
        "units": {name: "town" for name in units},
        "people": [{"name": name, "unit": (units + ["丙镇"])[index % (len(units) + 1)]} for name, index in people],
    }
    path.write_text(yaml.safe_dump(plan, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    check = runner.invoke(app, ["targets", "check", str(path), "--json"])
    init = runner.invoke(app, ["init", "--db", str(db), "--targets", str(path)])
    assert (check.exit_code, init.exit_code) in ((0, 0), (1, 1)), (check.output, init.output)
    if check.exit_code:
        assert init.stderr == check.stderr and len(check.stderr.splitlines()) == 1
        assert count_rows(db) == {}
    else:
        summary = __import__("json").loads(check.stdout)
        assert count_rows(db, ("unit", "person")) == {"unit": len(summary["units"]), "person": summary["people"]}


def test_a_file_larger_than_any_plan_is_refused_before_it_is_read(zs, tmp_path):
    path = tmp_path / "targets.yaml"
    path.write_text(HEAD + "#" * 1_000_000 + "\n", encoding="utf-8")
    assert zs.fails("targets", "check", path) == (
        f"zs: --targets '{path}': the file is larger; expected a targets.yaml of at most 1000 KB"
    )


def test_a_raw_control_character_is_named_with_its_line(zs, tmp_path):
    error = refused(zs, tmp_path, HEAD + "people: [{name: 张\x07三, unit: 甲镇}]\n")
    assert error.endswith(
        ":4: YAML 'people: [{name: 张\\x07三, unit: 甲镇}]': it holds U+0007, "
        "which YAML does not allow; expected valid YAML"
    )


def test_a_pipe_a_folder_or_an_empty_name_as_targets_is_one_line(tmp_path):
    import os

    from typer.testing import CliRunner

    from zhaoshang.cli import app

    os.mkfifo(tmp_path / "pipe.yaml")  # opening it to read would wait for a writer forever
    for path, said in (
        (tmp_path / "pipe.yaml", "it is a pipe or a device; expected a regular file"),
        (tmp_path, "it is a folder; expected a regular file"),
    ):
        result = CliRunner().invoke(app, ["targets", "check", str(path)])
        assert (result.exit_code, result.stderr) == (1, f"zs: --targets {str(path)!r}: {said}\n")
    result = CliRunner().invoke(app, ["report", "year", "--targets", ""])
    assert (result.exit_code, result.stderr) == (1, "zs: --targets '': expected the path of a targets.yaml\n")
