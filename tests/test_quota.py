"""Quota evaluation: exact figures for every metric, scope, period and status."""

from datetime import date
from decimal import Decimal

import pytest

from zhaoshang import db as database
from zhaoshang import ledger
from zhaoshang.facts import LedgerFacts
from zhaoshang.labels import ActivityKind, EventType, Mode, Origin, Role, Stage, UnitKind
from zhaoshang.parse import parse_period
from zhaoshang.quota import Campaign, Filter, Metric, Quota, Who, evaluate, judge, periods

D = date.fromisoformat


# --- periods and 序时进度 (pure) ----------------------------------------------------------------


def labels(per, window, as_of, campaign=None):
    return [
        (p.label, p.start.isoformat(), p.end.isoformat())
        for p in periods(per, parse_period(window), D(as_of), campaign)
    ]


def test_a_quarter_report_shows_each_month_started_by_as_of():
    assert labels("month", "2023Q1", "2023-02-15") == [
        ("2023-01", "2023-01-01", "2023-01-31"),
        ("2023-02", "2023-02-01", "2023-02-28"),
    ]


def test_a_yearly_quota_in_a_quarter_report_is_the_whole_year():
    assert labels("year", "2023Q1", "2023-03-31") == [("2023", "2023-01-01", "2023-12-31")]


def test_quarters_of_a_year_report_stop_at_as_of():
    assert [p[0] for p in labels("quarter", "2023", "2023-08-01")] == ["2023Q1", "2023Q2", "2023Q3"]


def test_weeks_straddling_a_month_are_clipped_to_it():
    assert labels("week", "2023-03", "2023-03-31") == [
        ("2023-W09", "2023-03-01", "2023-03-05"),
        ("2023-W10", "2023-03-06", "2023-03-12"),
        ("2023-W11", "2023-03-13", "2023-03-19"),
        ("2023-W12", "2023-03-20", "2023-03-26"),
        ("2023-W13", "2023-03-27", "2023-03-31"),
    ]


def test_weeks_across_a_year_boundary_use_iso_years_and_count_once():
    assert labels("week", "2021-01", "2021-01-05") == [
        ("2020-W53", "2021-01-01", "2021-01-03"),
        ("2021-W01", "2021-01-04", "2021-01-10"),
    ]
    # 2022-W52 runs 2022-12-26 to 2023-01-01: each year's report counts its own days of it
    assert labels("week", "2022", "2022-12-31")[-1] == ("2022-W52", "2022-12-26", "2022-12-31")
    assert labels("week", "2023", "2023-01-31")[0] == ("2022-W52", "2023-01-01", "2023-01-01")


def test_a_period_holding_the_window_stays_whole():
    assert labels("quarter", "2023-05", "2023-05-31") == [("2023Q2", "2023-04-01", "2023-06-30")]
    assert labels("year", "2023Q3", "2023-09-30") == [("2023", "2023-01-01", "2023-12-31")]


def test_a_period_that_begins_in_the_window_after_as_of_is_not_shown():
    # 2023-W09 runs 02-27 to 03-05: in March it begins 03-01, after an as-of of 02-28
    assert labels("week", "2023-03", "2023-02-28") == []
    assert labels("quarter", "2023-03", "2023-02-28") == [("2023Q1", "2023-01-01", "2023-03-31")]  # holds it whole


def test_a_campaign_crossing_months_is_clipped_to_its_window():
    autumn = Campaign("push", "集中攻坚", D("2023-08-15"), D("2023-09-20"))
    assert labels("month", "2023", "2023-12-31", autumn) == [
        ("2023-08", "2023-08-15", "2023-08-31"),
        ("2023-09", "2023-09-01", "2023-09-20"),
    ]
    assert labels("campaign", "2023Q3", "2023-09-01", autumn) == [("push", "2023-08-15", "2023-09-20")]
    assert labels("campaign", "2023Q2", "2023-09-01", autumn) == []
    assert labels("month", "2023-09", "2023-08-20", autumn) == []


@pytest.mark.parametrize(
    "actual, target, period, as_of, expected, percent, status",
    [
        # 20 trips a year, seen on 2023-03-31: 20 × 90/365 = 4.93 expected
        (5, 20, "2023", "2023-03-31", "4.93", "25.0", "on_pace"),
        (4, 20, "2023", "2023-03-31", "4.93", "20.0", "behind"),
        (20, 20, "2023", "2023-03-31", "4.93", "100.0", "met"),
        (25, 20, "2023", "2023-03-31", "4.93", "125.0", "met"),
        # a leap year: 366 a year, seen on 29 February, expects exactly 60
        (60, 366, "2024", "2024-02-29", "60.00", "16.4", "on_pace"),
        (59, 366, "2024", "2024-02-29", "60.00", "16.1", "behind"),
        # on its last day a period can still be met: short is behind, not yet missed
        (1, 2, "2023-02", "2023-02-28", "2.00", "50.0", "behind"),
        # the period ended before as_of: short is missed, whatever the pace was
        (1, 2, "2023-02", "2023-03-01", "2.00", "50.0", "missed"),
        (1, 2, "2023-02", "2023-03-10", "2.00", "50.0", "missed"),
        # met on its last day
        (2, 2, "2023-02", "2023-02-28", "2.00", "100.0", "met"),
        # the first day of a month counts as one day elapsed
        (0, 31, "2023-03", "2023-03-01", "1.00", "0.0", "behind"),
        (0, 2, "2023-03", "2023-03-01", "0.06", "0.0", "behind"),
        # a target of zero is met by nothing
        (0, 0, "2023", "2023-06-30", "0.00", "100", "met"),
    ],
)
def test_judge(actual, target, period, as_of, expected, percent, status):
    got = judge(Decimal(actual), Decimal(target), parse_period(period), D(as_of))
    assert got == (Decimal(expected), Decimal(percent), status)


def test_money_expected_is_whole_yuan_and_a_rate_expects_its_target():
    assert judge(Decimal(50_000_000), Decimal(500_000_000), parse_period("2023"), D("2023-03-31"), money=True) == (
        Decimal(123_287_671),
        Decimal("10.0"),
        "behind",
    )
    assert judge(Decimal("0.5"), Decimal("0.8"), parse_period("2023"), D("2023-03-31"), rate=True) == (
        Decimal("0.8"),
        Decimal("62.5"),
        "behind",
    )


# --- evaluation against a real ledger ------------------------------------------------------------


@pytest.fixture(scope="module")
def facts(engine, tmp_path_factory):
    from conftest import Ledgers

    ledgers = Ledgers(engine, tmp_path_factory.mktemp("quota"))
    engine = database.connect(ledgers.new())
    with database.writing(engine) as s:
        for name, kind in [
            ("中心", UnitKind.center),
            ("甲镇", UnitKind.town),
            ("乙镇", UnitKind.town),
            ("丙部门", UnitKind.department),
        ]:
            ledger.add_unit(s, name, kind)
        for name, unit, role in [
            ("张主任", "中心", Role.main_leader),
            ("甲书记", "甲镇", Role.main_leader),
            ("甲副", "甲镇", Role.deputy),
            ("乙书记", "乙镇", Role.main_leader),
        ]:
            ledger.add_person(s, name, unit, role)

        def log(kind, unit, day, **kw):
            return ledger.log_activity(s, kind=kind, unit=unit, day=D(day), **kw)

        log(ActivityKind.trip, "甲镇", "2023-01-10", leader="甲书记", mode=Mode.quick)
        log(ActivityKind.trip, "甲镇", "2023-02-28", leader="甲副")
        voided = log(ActivityKind.trip, "甲镇", "2023-03-01", leader="甲书记")
        ledger.void_activity(s, voided.id, "重复录入")
        log(ActivityKind.trip, "乙镇", "2023-03-31", leader="乙书记", mode=Mode.via_business, destination="广东深圳")
        log(ActivityKind.trip, "中心", "2023-04-01", leader="张主任")
        log(ActivityKind.trip, "中心", "2022-12-31", leader="张主任")
        log(ActivityKind.visit, "甲镇", "2023-01-05", companies=["A公司", "B公司"])
        log(ActivityKind.visit, "甲镇", "2023-01-20", companies=["B公司", "C公司"])
        log(ActivityKind.visit, "乙镇", "2023-02-01", companies=["A公司"])
        log(ActivityKind.event, "中心", "2023-03-15", event_type=EventType.fair)

        def project(name, unit, amount, stage, day, **kw):
            return ledger.add_project(s, name=name, unit=unit, amount_yuan=amount, stage=stage, day=D(day), **kw).id

        p1 = project("P1", "甲镇", 150_000_000, Stage.negotiating, "2023-01-02", owner="甲书记")
        ledger.advance_project(s, str(p1), to=Stage.signed, day=D("2023-01-15"))
        ledger.advance_project(s, str(p1), to=Stage.started, day=D("2023-03-10"))
        ledger.add_fund(s, str(p1), amount_yuan=50_000_000, origin=Origin.out_of_province, day=D("2023-02-01"))
        ledger.add_fund(s, str(p1), amount_yuan=10_000_000, origin=Origin.foreign, day=D("2023-03-20"))
        p2 = project("P2", "乙镇", 80_000_000, Stage.signed, "2023-02-20")
        ledger.add_fund(s, str(p2), amount_yuan=200_000_000, origin=Origin.out_of_province, day=D("2023-04-05"))
        p3 = project("P3", "乙镇", 300_000_000, Stage.signed, "2023-03-31", key=True)
        bad = ledger.add_fund(s, str(p3), amount_yuan=30_000_000, origin=Origin.out_of_province, day=D("2023-03-31"))
        ledger.void_fund(s, bad.id, "录错项目")
        project("P4", "甲镇", 200_000_000, Stage.lead, "2023-03-05")
    with database.reading(engine) as session:
        yield LedgerFacts(session)
    engine.dispose()
    ledgers.close()


def quota(op, name, who, per, at_least, where=None, campaign=None):
    return Quota("q", "指标", Metric(op, name, where or Filter()), who, per, Decimal(at_least), campaign)


TOWNS = Who("each", kind=UnitKind.town)
REGION = Who("region")


def rows(facts, q, window, as_of):
    return [
        (r.subject, r.period, r.actual, r.expected, r.status, r.blank)
        for r in evaluate([q], parse_period(window), D(as_of), facts)
    ]


def test_trips_per_quarter_for_each_town_skip_voided(facts):
    assert rows(facts, quota("count", "trips", TOWNS, "quarter", 2), "2023Q1", "2023-03-31") == [
        ("甲镇", "2023Q1", 2, Decimal("2.00"), "met", False),
        ("乙镇", "2023Q1", 1, Decimal("2.00"), "behind", False),
    ]  # on the quarter's last day: not yet missed


def test_monthly_trips_in_a_quarter_show_each_month_and_blanks(facts):
    assert rows(facts, quota("count", "trips", TOWNS, "month", 1), "2023Q1", "2023-03-31") == [
        ("甲镇", "2023-01", 1, Decimal("1.00"), "met", False),
        ("乙镇", "2023-01", 0, Decimal("1.00"), "missed", True),
        ("甲镇", "2023-02", 1, Decimal("1.00"), "met", False),
        ("乙镇", "2023-02", 0, Decimal("1.00"), "missed", True),
        ("甲镇", "2023-03", 0, Decimal("1.00"), "behind", True),  # as of its last day, March can still be met
        ("乙镇", "2023-03", 1, Decimal("1.00"), "met", False),
    ]  # met on the month's last day


def test_facts_after_as_of_never_count(facts):
    assert rows(facts, quota("count", "trips", TOWNS, "quarter", 2), "2023Q1", "2023-03-15") == [
        ("甲镇", "2023Q1", 2, Decimal("1.64"), "met", False),
        ("乙镇", "2023Q1", 0, Decimal("1.64"), "behind", True),
    ]
    weekly = rows(facts, quota("count", "trips", REGION, "week", 1), "2023-03", "2023-03-31")
    # W09 is clipped to March (the trip of 02-28 is February's), W13 too
    assert [(period, actual) for _, period, actual, *_ in weekly] == [
        ("2023-W09", 0),
        ("2023-W10", 0),
        ("2023-W11", 0),
        ("2023-W12", 0),
        ("2023-W13", 1),
    ]


def test_distinct_companies_visited(facts):
    assert rows(facts, quota("count", "companies_visited", TOWNS, "month", 2), "2023-01", "2023-01-31") == [
        ("甲镇", "2023-01", 3, Decimal("2.00"), "met", False),
        ("乙镇", "2023-01", 0, Decimal("2.00"), "behind", True),
    ]
    assert rows(facts, quota("count", "visits", REGION, "quarter", 2), "2023Q1", "2023-03-31") == [
        ("region", "2023Q1", 3, Decimal("2.00"), "met", False)
    ]


def test_activity_filters(facts):
    led = quota("count", "trips", REGION, "quarter", 3, Filter(led_by=Role.main_leader))
    assert rows(facts, led, "2023Q1", "2023-03-31") == [("region", "2023Q1", 2, Decimal("3.00"), "behind", False)]
    assert rows(facts, led, "2023Q1", "2023-04-01") == [("region", "2023Q1", 2, Decimal("3.00"), "missed", False)]
    quick = quota("count", "trips", TOWNS, "year", 8, Filter(mode=Mode.quick))
    assert [r[2] for r in rows(facts, quick, "2023Q1", "2023-03-31")] == [1, 0]
    shenzhen = quota("count", "trips", REGION, "year", 1, Filter(destination="深圳"))
    assert rows(facts, shenzhen, "2023", "2023-12-31")[0][2] == 1
    fairs = quota("count", "events", REGION, "year", 10, Filter(event_type=EventType.fair))
    assert rows(facts, fairs, "2023", "2023-03-31") == [("region", "2023", 1, Decimal("2.47"), "behind", False)]


def test_each_person_counts_the_trips_they_led(facts):
    leaders = quota("count", "trips", Who("each_person", kind=UnitKind.town, role=Role.main_leader), "year", 4)
    assert rows(facts, leaders, "2023Q1", "2023-03-31") == [
        ("甲书记", "2023", 1, Decimal("0.99"), "on_pace", False),
        ("乙书记", "2023", 1, Decimal("0.99"), "on_pace", False),
    ]
    everyone = quota("count", "trips", Who("each_person", role=Role.main_leader), "year", 1)
    assert [(r[0], r[2]) for r in rows(facts, everyone, "2023", "2023-12-31")] == [
        ("张主任", 1),
        ("甲书记", 1),
        ("乙书记", 1),
    ]


def test_projects_counted_in_the_period_of_their_milestone(facts):
    big = quota("count", "projects", REGION, "year", 4, Filter(reached=Stage.signed, amount_at_least=100_000_000))
    assert rows(facts, big, "2023Q1", "2023-03-31") == [("region", "2023", 2, Decimal("0.99"), "on_pace", False)]
    signed = quota("count", "projects", TOWNS, "month", 1)  # reached defaults to signed
    assert [(r[0], r[1], r[2]) for r in rows(facts, signed, "2023Q1", "2023-03-31")] == [
        ("甲镇", "2023-01", 1),
        ("乙镇", "2023-01", 0),
        ("甲镇", "2023-02", 0),
        ("乙镇", "2023-02", 1),
        ("甲镇", "2023-03", 0),
        ("乙镇", "2023-03", 1),
    ]
    started = quota("count", "projects", TOWNS, "quarter", 1, Filter(reached=Stage.started))
    assert [r[2] for r in rows(facts, started, "2023Q1", "2023-03-31")] == [1, 0]
    key = quota("count", "projects", REGION, "year", 1, Filter(key=True))
    assert rows(facts, key, "2023", "2023-12-31")[0][2] == 1
    leads = quota("count", "leads", REGION, "month", 1)
    assert [(r[1], r[2]) for r in rows(facts, leads, "2023Q1", "2023-03-31")] == [
        ("2023-01", 1),
        ("2023-02", 1),
        ("2023-03", 2),
    ]


def test_investment_of_signed_projects(facts):
    investment = quota("sum", "investment", TOWNS, "quarter", 100_000_000)
    assert [(r[0], r[2], r[4]) for r in rows(facts, investment, "2023Q1", "2023-03-31")] == [
        ("甲镇", 150_000_000, "met"),
        ("乙镇", 380_000_000, "met"),
    ]


def test_funds_by_origin_skip_voided_and_later_funds(facts):
    outside = quota("sum", "funds", REGION, "year", 500_000_000, Filter(origin=Origin.out_of_province))
    assert rows(facts, outside, "2023Q1", "2023-03-31") == [
        ("region", "2023", 50_000_000, Decimal(123_287_671), "behind", False)
    ]
    assert rows(facts, outside, "2023", "2023-12-31") == [
        ("region", "2023", 250_000_000, Decimal(500_000_000), "behind", False)
    ]
    each = quota("sum", "funds", TOWNS, "quarter", 10_000_000)
    assert [(r[0], r[2]) for r in rows(facts, each, "2023Q1", "2023-03-31")] == [("甲镇", 60_000_000), ("乙镇", 0)]


def test_start_rate(facts):
    rate = quota("rate", "started_per_signed", TOWNS, "year", "0.8")
    assert rows(facts, rate, "2023Q1", "2023-03-31") == [
        ("甲镇", "2023", Decimal("1.0000"), Decimal("0.8"), "met", False),
        ("乙镇", "2023", Decimal("0.0000"), Decimal("0.8"), "behind", True),
    ]


def test_a_campaign_quota_counts_its_window_to_date(facts):
    push = Campaign("push", "攻坚", D("2023-02-20"), D("2023-03-10"))
    q = quota("count", "trips", REGION, "campaign", 3, campaign=push)
    assert rows(facts, q, "2023Q1", "2023-03-31") == [("region", "push", 1, Decimal("3.00"), "missed", False)]
    assert rows(facts, q, "2023-03", "2023-03-01") == [
        ("region", "push", 1, Decimal("1.58"), "behind", False)
    ]  # 3 × 10/19 days


def test_named_units_and_rows_carry_the_quota(facts):
    q = Quota("named", "点名单位", Metric("count", "trips"), Who("units", units=("乙镇", "丙部门")), "year", Decimal(1))
    out = evaluate([q], parse_period("2023"), D("2023-12-31"), facts)
    assert [(r.quota, r.title, r.subject, r.actual, r.status, r.blank) for r in out] == [
        ("named", "点名单位", "乙镇", 1, "met", False),
        ("named", "点名单位", "丙部门", 0, "behind", True),
    ]
    assert (out[0].start, out[0].end, out[0].target, out[0].percent) == (
        D("2023-01-01"),
        D("2023-12-31"),
        1,
        Decimal("100.0"),
    )


def test_records_behind_a_figure_are_exactly_those_counted(facts):
    trips = facts.records(Metric("count", "trips"), TOWNS, D("2023-01-01"), D("2023-03-31"))
    assert [(r.subject, r.table, r.date.isoformat(), r.kind, r.unit) for r in trips] == [
        ("甲镇", "activity", "2023-01-10", "trip", "甲镇"),
        ("甲镇", "activity", "2023-02-28", "trip", "甲镇"),
        ("乙镇", "activity", "2023-03-31", "trip", "乙镇"),
    ]
    companies = facts.records(Metric("count", "companies_visited"), TOWNS, D("2023-01-01"), D("2023-01-31"))
    assert sorted(r.text for r in companies) == ["A公司", "B公司", "B公司", "C公司"]
    funds = facts.records(
        Metric("sum", "funds", Filter(origin=Origin.out_of_province)), REGION, D("2023-01-01"), D("2023-12-31")
    )
    assert [(r.subject, r.text, r.amount_yuan, r.date.isoformat()) for r in funds] == [
        ("region", "P1", 50_000_000, "2023-02-01"),
        ("region", "P2", 200_000_000, "2023-04-05"),
    ]
    big = facts.records(
        Metric("count", "projects", Filter(amount_at_least=100_000_000)), REGION, D("2023-01-01"), D("2023-03-31")
    )
    assert [(r.text, r.kind, r.date.isoformat(), r.amount_yuan) for r in big] == [
        ("P1", "signed", "2023-01-15", 150_000_000),
        ("P3", "signed", "2023-03-31", 300_000_000),
    ]
