"""Quotas and their evaluation with 序时进度. Pure: no clock, no files, no database.

`evaluate(quotas, window, as_of, facts)` turns the quotas of targets.yaml and the counted facts
(anything with `subjects(who)` and `measure(metric, who, start, end)`, see facts.py) into one
`QuotaRow` per quota × subject × period.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from itertools import takewhile
from typing import Literal, Protocol

from zhaoshang.labels import EventType, Mode, Origin, Role, Stage, Status, Tier, UnitKind
from zhaoshang.parse import (
    Period,
    fortnight_period,
    half_month_period,
    month_period,
    quarter_period,
    week_period,
    year_period,
)

# Activity counts -> the activity kinds they count.
ACTIVITY_COUNTS = {
    "trips": ("trip",),
    "visits": ("visit",),
    "receptions": ("reception",),
    "events": ("event",),
    "meetings": ("meeting",),
    "companies_visited": ("visit",),  # distinct companies visited 走访企业(家)
    "companies_met": ("visit", "trip", "reception"),  # distinct companies named on any of them 拜访企业
}
COMPANY_COUNTS = {"companies_visited", "companies_met"}  # count companies, not activities
PROJECT_COUNTS = {"projects", "leads"}
COUNTS = set(ACTIVITY_COUNTS) | PROJECT_COUNTS
SUMS = {"funds", "investment", "figure"}  # figure: reported by hand (手工填报), named by where.name
RATES = {"started_per_signed"}

FigureKind = Literal["count", "money", "rate"]  # how a metric's figures read


class Op(StrEnum):
    """How a metric reduces its records."""

    count = "count"  # type: ignore[assignment]  # a member named like str.count
    sum = "sum"
    rate = "rate"


class Scope(StrEnum):
    """For whom a figure is counted."""

    region = "region"  # the whole region, once
    each = "each"  # each unit of a kind
    units = "units"  # named units
    each_person = "each_person"  # each person with a role
    all = "all"  # every unit (reports only)


class Per(StrEnum):
    """The period a quota is judged over."""

    week = "week"
    half_month = "half_month"  # 1st–15th, 16th–end: 半月一通报
    fortnight = "fortnight"  # 双周: from the campaign's start, else from the year's first Monday
    month = "month"
    quarter = "quarter"
    year = "year"
    campaign = "campaign"  # the whole window of the quota's campaign
    until = "until"  # from the start of a year to a day: a share of the year's task by a date


class Bound(StrEnum):
    """Which side of its target a quota asks for."""

    at_least = "at_least"  # a floor: 不少于
    at_most = "at_most"  # a ceiling: 不超过


# The subject of a region-wide figure (Who(Scope.region)); reports show it as the region's name.
REGION = "region"
PERIODS = (Per.week, Per.half_month, Per.fortnight, Per.month, Per.quarter, Per.year)


@dataclass(frozen=True)
class Filter:
    """The `where:` of a quota. Activity filters and project filters never mix (config checks).
    A tuple means "any of" (`destination: [深圳, 广州]`); an empty tuple filters nothing."""

    mode: tuple[Mode, ...] = ()
    event_type: tuple[EventType, ...] = ()
    led_by: tuple[Role, ...] = ()
    destination: tuple[str, ...] = ()  # contains any of them, ignoring case
    reached: Stage | None = None
    amount_at_least: int | None = None
    industry: tuple[str, ...] = ()
    key: bool | None = None
    origin: tuple[Origin, ...] = ()
    tier: tuple[Tier, ...] = ()  # companies of any of these tiers (the register's 世界500强 …)
    in_stage: Stage | None = None  # a stock: projects standing in the stage at the period's end (or as_of)
    at_event_type: tuple[EventType, ...] = ()  # reached at a logged event of one of these types (签约 at a fair)
    name: str | None = None  # a reported figure's name (sum: figure): 外贸进出口

    def __post_init__(self) -> None:
        for name in LIST_FILTERS:  # one value given alone reads as a list of one
            value = getattr(self, name)
            if not isinstance(value, tuple):
                object.__setattr__(self, name, (value,))


# The filters that take a list ("any of"); the others take one value.
LIST_FILTERS = ("mode", "event_type", "led_by", "destination", "industry", "origin", "tier", "at_event_type")
ACTIVITY_FILTERS = {"mode", "event_type", "led_by", "destination", "tier"}
PROJECT_FILTERS = {"reached", "amount_at_least", "industry", "key", "tier"}
STOCK_FILTERS = {"in_stage", "at_event_type"}  # projects and investment only
# The filters that can match each metric: what its records carry (a meeting has no 招商方式 and no
# destination, a reception no destination; only events have a type); a rate is of signings and
# starts, so it takes no `reached`.
FILTERS: dict[str, frozenset[str]] = {
    "trips": frozenset({"mode", "led_by", "destination", "tier"}),
    "visits": frozenset({"mode", "led_by", "destination", "tier"}),
    "companies_visited": frozenset({"mode", "led_by", "destination", "tier"}),
    "companies_met": frozenset({"mode", "led_by", "tier"}),
    "receptions": frozenset({"mode", "led_by", "tier"}),
    "events": frozenset({"event_type", "led_by", "destination", "tier"}),
    "meetings": frozenset({"led_by"}),
    "projects": frozenset(PROJECT_FILTERS | STOCK_FILTERS),
    "leads": frozenset(PROJECT_FILTERS),
    "investment": frozenset(PROJECT_FILTERS | STOCK_FILTERS),
    "funds": frozenset(PROJECT_FILTERS | {"origin"}),
    "figure": frozenset({"name"}),
    "started_per_signed": frozenset(PROJECT_FILTERS - {"reached"}),
}


@dataclass(frozen=True)
class Metric:
    """What is counted or summed: `count: trips`, `sum: funds`, `rate: started_per_signed`."""

    op: Op
    name: str
    where: Filter = field(default_factory=Filter)

    def __post_init__(self) -> None:
        object.__setattr__(self, "op", Op(self.op))  # a code given as text reads as its enum

    @property
    def is_money(self) -> bool:
        return self.op is Op.sum

    @property
    def accrues(self) -> bool:
        """Whether its figure grows with the period (序时进度 applies): not a rate, not a stock."""
        return self.op is not Op.rate and self.where.in_stage is None

    @property
    def kind(self) -> "FigureKind":
        """How its figures read: money (yuan), rate (a fraction) or count."""
        return "money" if self.is_money else "rate" if self.op is Op.rate else "count"


@dataclass(frozen=True)
class Who:
    """For whom: the region, each unit of a kind, named units, or each person with a role."""

    scope: Scope
    kind: UnitKind | None = None
    units: tuple[str, ...] = ()
    role: Role | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "scope", Scope(self.scope))


@dataclass(frozen=True)
class Quota:
    """A quota: `metric` for `who` per period, at least (or, with `bound` at_most, at most) `target`.
    `per: until` counts from the start of the year of `by` to `by` (a share of a year's task)."""

    id: str
    title: str
    metric: Metric
    who: Who
    per: Per
    target: Decimal
    campaign: "Campaign | None" = field(default=None, compare=False, repr=False)
    line: int = field(default=0, compare=False)
    bound: Bound = Bound.at_least
    by: date | None = None  # per until: the day the share is due
    share_of: str | None = None  # per until: the id of the yearly quota, and the share of its target
    share: Decimal | None = None
    text: str | None = field(default=None, compare=False)  # the plan's sentence it encodes

    def __post_init__(self) -> None:
        object.__setattr__(self, "per", Per(self.per))
        object.__setattr__(self, "bound", Bound(self.bound))
        if self.per is Per.until and self.by is None:
            raise ValueError("per: until needs a day (by)")


@dataclass(frozen=True)
class Campaign:
    id: str
    title: str
    start: date
    end: date
    text: str | None = field(default=None, compare=False)


class Facts(Protocol):
    """What the engine asks of the ledger. Subjects are keyed by a label that is unique: a unit's
    name, `region`, or a person's name (`UNIT/NAME` where two people share the name)."""

    def subjects(self, who: Who) -> list[str]: ...

    def person_units(self) -> dict[str, str]:
        """Each person's label -> the name of their unit."""
        ...

    def measure(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> dict[str, Decimal]:
        """The figure of each subject over [start, end], as the ledger stood on `as_of` (default
        `end`): a milestone rescinded on or before `as_of` no longer counts. A rate leaves out the
        subjects with nothing to divide by."""
        ...

    def measure_spans(
        self, metric: Metric, who: Who, spans: list[tuple[date, date]], as_of: date
    ) -> list[dict[str, Decimal]]:
        """`measure` of each span, in order, as the ledger stood on `as_of` (the ledger's in one
        query where it can: facts.LedgerFacts.measure_spans)."""
        ...


class SpanBySpan:
    """`measure_spans` as one `measure` per span, for facts that have no quicker way (a test's):
    they give `measure`, this gives the rest."""

    def measure(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> dict[str, Decimal]:
        raise NotImplementedError

    def measure_spans(
        self, metric: Metric, who: Who, spans: list[tuple[date, date]], as_of: date
    ) -> list[dict[str, Decimal]]:
        return [self.measure(metric, who, start, end, as_of) for start, end in spans]


@dataclass(frozen=True)
class QuotaRow:
    quota: str
    title: str
    subject: str
    period: str
    start: date
    end: date
    actual: Decimal | None  # None: a rate with nothing to divide by
    target: Decimal
    expected: Decimal
    percent: Decimal | None
    status: Status
    blank: bool
    subject_unit: str | None = None  # a person's unit (rows of {each_person: ROLE})
    bound: Bound = Bound.at_least


def until_period(by: date) -> Period:
    """From the start of the year of `by` to `by`: 全年任务 due in part by a date."""
    return Period("until", f"{by.year}-01-01~{by.isoformat()}", date(by.year, 1, 1), by)


def periods(
    per: Per, window: Period, as_of: date, campaign: Campaign | None = None, by: date | None = None
) -> list[Period]:
    """The periods of a quota shown in a report window: those overlapping the window (and the
    campaign, clipped to it) that have started by `as_of`.

    A period that straddles an edge of the window (a week across New Year in a year report) is
    clipped to the window, so that two adjacent windows never count one fact twice; a period that
    holds the whole window (the year in a quarter report), and a campaign's own window, stay whole:
    they are seen to date. The calendar is walked only up to the first period after as_of, so a
    window or campaign that runs on for centuries costs nothing past as_of."""
    if per == Per.campaign:
        if campaign is None:
            raise ValueError("per: campaign needs a campaign")
        spans = [Period("campaign", campaign.id, campaign.start, campaign.end)]
    elif per == Per.until:
        if by is None:
            raise ValueError("per: until needs a day")
        span = until_period(by)  # seen whole, as a campaign is: not clipped to a campaign or a window
        return [span] if span.start <= min(window.end, as_of) and span.end >= window.start else []
    else:
        first, last = window.start, window.end
        if campaign is not None:
            first, last = max(first, campaign.start), min(last, campaign.end)
        spans = list(takewhile(lambda p: p.start <= as_of, _calendar(per, first, last, campaign)))
    if campaign is not None:
        spans = [
            Period(p.kind, p.label, max(p.start, campaign.start), min(p.end, campaign.end))
            for p in spans
            if p.start <= campaign.end and p.end >= campaign.start
        ]
    shown = []
    for p in spans:
        if p.start > window.end or p.end < window.start:
            continue
        if per != Per.campaign and not (p.start <= window.start and p.end >= window.end):
            p = Period(p.kind, p.label, max(p.start, window.start), min(p.end, window.end))
        if p.start <= as_of:  # begun by as_of as shown, once clipped to the window
            shown.append(p)
    return shown


def period_of(per: Per, day: date, campaign: Campaign | None = None) -> Period:
    """The calendar period of a kind (week, month, quarter, year …) that holds a day; a campaign's
    fortnights count from its start."""
    return next(_calendar(per, day, day, campaign))


def _calendar(per: Per, start: date, end: date, campaign: Campaign | None = None) -> Iterator[Period]:
    """Calendar periods of one kind covering [start, end], in order; never a day past `end` is
    reckoned (end may be the last day a date can be)."""
    day = start
    while day <= end:
        if per == "fortnight":
            anchor = campaign.start if campaign is not None else None
            period = fortnight_period(day, anchor, campaign.id if campaign is not None else "")
        elif per == "half_month":
            period = half_month_period(day.year, day.month, 1 if day.day <= 15 else 2)
        elif per == "year":
            period = year_period(day.year)
        elif per == "quarter":
            period = quarter_period(day.year, (day.month - 1) // 3 + 1)
        elif per == "month":
            period = month_period(day.year, day.month)
        elif per == "week":
            iso = day.isocalendar()
            period = week_period(iso.year, iso.week)
        else:
            raise ValueError(f"unknown period {per!r}")
        yield period
        if period.end >= end:
            return
        day = period.end + timedelta(days=1)


def _round(value: Decimal, money: bool) -> Decimal:
    return value.quantize(Decimal(1) if money else Decimal("0.01"), rounding=ROUND_HALF_UP)


def judge(
    actual: Decimal,
    target: Decimal,
    period: Period,
    as_of: date,
    money: bool = False,
    rate: bool = False,
    bound: Bound = Bound.at_least,
) -> tuple[Decimal, Decimal | None, Status]:
    """(expected, percent, status) of an actual against a target in a period seen at `as_of`.

    expected = target × days elapsed up to as_of (inclusive) ÷ days in the period (序时进度);
    a rate's expected is its target, since a rate does not accrue with time. A period is missed only
    once as_of is past its end: on its last day it can still be met.
    A ceiling (`at_most`) is `within` while at or under it, `over` once above it, and `met` when its
    period has ended at or under it; its expected is the ceiling itself, and its percent the share of
    it used (none for a ceiling of 0 that was passed).
    """
    if bound is Bound.at_most:
        percent = _percent(actual, target) if target else (Decimal(0) if actual == 0 else None)
        if actual > target:
            return target, percent, Status.over
        return target, percent, Status.met if period.end < as_of else Status.within
    elapsed = min(max((as_of - period.start).days + 1, 0), period.days)
    expected = target if rate else _round(target * elapsed / period.days, money)
    percent = Decimal(100) if target == 0 else _percent(actual, target)
    if actual >= target:
        status = Status.met
    elif period.end < as_of:
        status = Status.missed
    elif actual >= expected:
        status = Status.on_pace
    else:
        status = Status.behind
    return expected, percent, status


def _percent(actual: Decimal, target: Decimal) -> Decimal:
    return (actual * 100 / target).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def evaluate(quotas: list[Quota], window: Period, as_of: date, facts: Facts) -> list[QuotaRow]:
    """One row per quota × subject × period of the window; facts dated after as_of never count."""
    rows = []
    for quota in quotas:
        subjects = facts.subjects(quota.who)
        homes = facts.person_units() if quota.who.scope is Scope.each_person else {}
        rate = quota.metric.op is Op.rate
        ceiling = quota.bound is Bound.at_most
        shown = periods(quota.per, window, as_of, quota.campaign, quota.by)
        spans = [(period.start, min(period.end, as_of)) for period in shown]
        for period, counted in zip(shown, facts.measure_spans(quota.metric, quota.who, spans, as_of), strict=True):
            for subject in subjects:
                actual = counted.get(subject, None if rate else Decimal(0))
                if actual is None:  # a rate with nothing to divide by: 无数据, neither met nor missed
                    expected, percent, status, blank = quota.target, None, Status.not_applicable, False
                else:
                    expected, percent, status = judge(
                        actual,
                        quota.target,
                        period,
                        as_of,
                        money=quota.metric.is_money,
                        rate=not quota.metric.accrues,
                        bound=quota.bound,
                    )
                    blank = actual == 0 and not ceiling  # 空白 is a fault under a floor, not under a ceiling
                rows.append(
                    QuotaRow(
                        quota.id,
                        quota.title,
                        subject,
                        period.label,
                        period.start,
                        period.end,
                        actual,
                        quota.target,
                        expected,
                        percent,
                        status,
                        blank,
                        homes.get(subject),
                        quota.bound,
                    )
                )
    return rows
