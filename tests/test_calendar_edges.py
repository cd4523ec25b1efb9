"""Reports at the ends of the calendar (0001-01-01, 9999-12-31): a result or one line, never a traceback."""

import re
import tempfile
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhaoshang import reports
from zhaoshang.config import RankBy, Ranking, ScoreRule, Targets
from zhaoshang.errors import ZsError
from zhaoshang.labels import UnitKind
from zhaoshang.parse import Period
from zhaoshang.quota import PERIODS, Campaign, Metric, Quota, SpanBySpan, Who, periods
from zhaoshang.render.report_json import report_dict
from zhaoshang.render.xlsx import write_report
from zhaoshang.window import LAST_DAY, WindowAsked, resolve

D = date.fromisoformat
FIRST, END = (
    Campaign("first", "元年", D("0001-01-01"), D("0001-02-15")),
    Campaign("end", "终年", D("9998-11-01"), date.max),
)
ALWAYS = Campaign("always", "一直", date.min, date.max)
TRIPS = Metric("count", "trips")
QUOTAS = (
    [Quota(f"trips-{per}", "外出招商", TRIPS, Who("region"), per, Decimal(1)) for per in PERIODS]
    + [Quota(f"{c.id}-{per}", "攻坚", TRIPS, Who("all"), per, Decimal(2), c) for c in (FIRST, END) for per in PERIODS]
    + [
        Quota("always", "常年", TRIPS, Who("region"), "campaign", Decimal(3), ALWAYS),
        Quota("end-campaign", "攻坚", Metric("sum", "funds"), Who("region"), "campaign", Decimal(10**8), END),
    ]
)
TARGETS = Targets(
    Path("plan.yaml"),
    "示范区",
    None,
    {"甲镇": UnitKind.town},
    [],
    QUOTAS,
    [FIRST, END, ALWAYS],
    [
        Ranking(f"race-{per}", "竞赛", Who("each", UnitKind.town), (RankBy(TRIPS, Decimal(1)),), per)
        for per in ("quarter", "year")
    ],
    [
        ScoreRule("s-month", "月度", quota="trips-month", points=Decimal(10), partial=True),
        ScoreRule("s-end", "攻坚", quota="end-week", points=Decimal(5), late_start_credit=Decimal("0.5")),
    ],
)


class NothingCounted(SpanBySpan):
    """A ledger with one unit and no records."""

    def subjects(self, who):
        return ["region"] if who.scope == "region" else ["甲镇"]

    def person_units(self):
        return {}

    def measure(self, metric, who, start, end, as_of=None):
        return {}

    late_starts = measure

    def records(self, metric, who, start, end, as_of=None):
        return []

    def projects_at(self, as_of, stages, month_start):
        return []

    def active_units(self, start, end):
        return set()


NEAR_ENDS = st.one_of(st.dates(date.min, D("0001-04-30")), st.dates(D("9998-09-01"), date.max))
WINDOWS = st.one_of(
    st.tuples(st.sampled_from(["month", "alerts", "score", "rank"]), st.none()),
    st.tuples(st.just("campaign"), st.sampled_from(["first", "end", "always"])),
    st.tuples(st.just("year"), st.sampled_from(["0001", "0002", "9998", "9999"])),
    st.tuples(
        st.just("quarter"), st.builds("{}Q{}".format, st.sampled_from(["0001", "9998", "9999"]), st.integers(1, 4))
    ),
    st.tuples(
        st.just("month"), st.builds("{}-{:02d}".format, st.sampled_from(["0001", "9998", "9999"]), st.integers(1, 12))
    ),
    st.tuples(st.just("month"), st.builds("{}-W{:02d}".format, st.sampled_from(["0001", "9999"]), st.integers(1, 53))),
)


BUILD = {
    "month": lambda plan, facts, span, seen, _: reports.build_month(plan, facts, span, seen, detail=True),
    "quarter": lambda plan, facts, span, seen, _: reports.build_quarter(plan, facts, span, seen, detail=True),
    "year": lambda plan, facts, span, seen, _: reports.build_year(plan, facts, span, seen, detail=True),
    "campaign": lambda plan, facts, span, seen, c: reports.build_campaign(plan, facts, c, span, seen, detail=True),
    "rank": lambda plan, facts, span, seen, _: reports.build_rank(plan, facts, span, seen),
    "score": lambda plan, facts, span, seen, _: reports.build_score(plan, facts, span, seen),
    "alerts": lambda plan, facts, span, seen, _: reports.build_alerts(plan, facts, span, seen),
}
OPTION = {"month": "--month", "quarter": "--quarter", "year": "--year", "rank": "--quarter", "score": "--year"}


@settings(max_examples=80, deadline=None)
@given(window=WINDOWS, as_of=st.one_of(st.none(), NEAR_ENDS), today=NEAR_ENDS)
def test_a_report_near_either_end_of_the_calendar_is_a_report_or_one_line(window, as_of, today):
    kind, text = window
    campaign = text if kind == "campaign" else None
    asked = WindowAsked(kind, OPTION.get(kind), None if campaign else text, campaign, as_of and as_of.isoformat())
    try:
        span, seen = resolve(asked, TARGETS.campaigns, None, "plan.yaml", today)
    except ZsError as refused:  # only a day or a window in 9999, a week for a month, or a window not begun
        begins = re.fullmatch(r"a day on or after (\d{4}-\d{2}-\d{2}), when .* begins", refused.expected)
        if begins and refused.field == "--as-of":
            assert date.fromisoformat(begins[1]) > (as_of or today), refused
            return
        assert (as_of or today) > LAST_DAY or (text or "").startswith("9999") or "W" in (text or ""), refused
        return
    assert seen <= LAST_DAY
    report = BUILD[kind](TARGETS, NothingCounted(), span, seen, campaign)
    assert all(row.start <= row.end and row.start <= seen for row in getattr(report, "quotas", []))
    report_dict(report)
    with tempfile.TemporaryDirectory() as folder:
        write_report(report, Path(folder) / "r.xlsx")


@pytest.mark.parametrize("per", PERIODS)
def test_a_campaign_to_the_last_day_is_walked_only_to_as_of(per):
    always = Period("campaign", "always", date.min, date.max)
    shown = periods(per, always, D("9998-12-31"), END)
    assert shown[0].start == D("9998-11-01") and shown[-1].start <= D("9998-12-31") <= shown[-1].end
    assert [(p.start, p.end) for p in periods(per, always, D("0001-01-01"), ALWAYS)] == [
        (
            D("0001-01-01"),
            {
                "week": D("0001-01-07"),
                "half_month": D("0001-01-15"),
                "fortnight": D("0001-01-14"),
                "month": D("0001-01-31"),
                "quarter": D("0001-03-31"),
                "year": D("0001-12-31"),
            }[per],
        )
    ]


@pytest.fixture
def yearless(tmp_path):
    """A plan without `year:`, so that any year may be reported on."""
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        textwrap.dedent("""\
        region: 示范区
        units: {甲镇: town}
        quotas:
          - {id: weekly, title: 每周走访, count: visits, who: region, per: week, at_least: 1}
          - {id: monthly, title: 每月外出, count: trips, who: region, per: month, at_least: 1}
          - {id: funds, title: 到位资金, sum: funds, who: region, per: quarter, at_least: 1亿}
        rankings:
          - {id: race, title: 竞赛, among: {each: town}, per: quarter, by: [{count: trips, weight: 1}]}
        scoring:
          - {id: s, quota: monthly, points: 10}
        """),
        encoding="utf-8",
    )
    return plan


PAST = "the weeks, months and quarters around it end after 9999-12-31; expected a day from 0001-01-01 to 9998-12-31"


@pytest.mark.parametrize(
    "args, line",
    [
        (["month", "--as-of", "9999-12-31"], f"zs: --as-of '9999-12-31': {PAST}"),
        (["quarter", "--as-of", "9999-01-01"], f"zs: --as-of '9999-01-01': {PAST}"),
        (["alerts", "--as-of", "9999-12-31"], f"zs: --as-of '9999-12-31': {PAST}"),
        (["score", "--as-of", "9999-12-31"], f"zs: --as-of '9999-12-31': {PAST}"),
        (["rank", "--year", "9999", "--as-of", "9999-12-31"], f"zs: --as-of '9999-12-31': {PAST}"),
        (["month", "--month", "9999-W52"], "zs: --month '9999-W52': "),  # it ends in 10000
        (["month", "--month", "9999-12"], "zs: --month '9999-12': "),  # parse_period's own line
        (["quarter", "--quarter", "9999Q4"], "zs: --quarter '9999Q4': "),
        (
            ["month", "--month", "9999-10"],
            "zs: --month '9999-10': 9999-10 begins 9999-10-01; expected a window that begins by 9998-12-31",
        ),
        (
            ["year", "--year", "9999"],
            "zs: --year '9999': 9999 begins 9999-01-01; expected a window that begins by 9998-12-31",
        ),
    ],
)
def test_a_day_past_the_calendar_is_one_line(zs, yearless, args, line):
    said = zs.fails("report", *args, "--targets", yearless)
    assert said == line if not line.endswith(": ") else said.startswith(line)


@pytest.mark.parametrize(
    "args",
    [
        ["year", "--year", "9998", "--as-of", "9998-12-31"],  # its last week ends in 9999
        ["quarter", "--quarter", "9998Q4", "--as-of", "9998-12-31"],
        ["month", "--month", "0001-01", "--as-of", "0001-01-01"],
        ["score", "--year", "0001", "--as-of", "0001-12-31"],
        ["alerts", "--as-of", "0001-01-01"],
    ],
)
def test_the_first_and_last_reportable_days_make_reports(zs, yearless, args, tmp_path):
    data = zs.json("report", *args, "--targets", yearless)
    assert data["as_of"] <= "9998-12-31"
    zs("report", *args, "--targets", yearless, "--xlsx", tmp_path / "r.xlsx")


def test_the_last_week_of_9998_runs_to_the_windows_last_day(zs, yearless):
    data = zs.json("report", "year", "--year", "9998", "--as-of", "9998-12-31", "--targets", yearless)
    weeks = [(r["period"], r["start"], r["end"]) for r in data["quotas"] if r["quota"] == "weekly"]
    assert weeks[0] == ("9998-W01", "9998-01-01", "9998-01-04") and weeks[-1] == (
        "9998-W53",
        "9998-12-28",
        "9998-12-31",
    )
    assert len(weeks) == 53
