"""What it will take: for each quota row whose period is still running, what is missing and the pace
it needs, where the pace so far (and earlier years' seasons) will end, and for project quotas the
projects one stage short that could close the gap. Pure: the ledger is asked through ForecastFacts.

- needed = target − actual (never below 0); per_month and per_week spread it over the days left
  after as_of (a month is 365.25 ÷ 12 days, a week 7).
- projected = actual × the period's days ÷ the days elapsed (as_of inclusive): the pace so far.
- projected_seasonal = actual ÷ share, where share is the part of the same period's figure that
  earlier years had reached by the same day (the last three years the ledger holds, summed); none
  when the ledger holds no earlier year of the period (it holds a period when its first fact falls
  in that period's first month or before) or those years had reached nothing by that day.
- candidates (a quota on projects reaching a stage): the subject's projects now standing one stage
  before it, each with its expected day — the day it reached its stage plus the median days the
  ledger's projects took for that move — and the move's conversion (the share of projects ever at
  the stage before that went on to reach it). Both need at least MIN_HISTORY moves; else none, and
  `history` says how many there were.
- must_land: the fewest candidates that close the gap if each lands (for an amount, the largest
  first), ordered by expected day; each must land by the period's end.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from statistics import median
from typing import Protocol

from zhaoshang.labels import STAGE_PATH, Stage, Status
from zhaoshang.parse import Period, year_period
from zhaoshang.quota import Bound, Facts, FigureKind, Metric, Op, Quota, Who, periods

MIN_HISTORY = 5  # moves between two stages the ledger must hold before it predicts one
SEASON_YEARS = 3  # earlier years a seasonal projection looks back over
MONTH_DAYS = Decimal("365.25") / 12
MIN_PACE_DAYS = 30  # alerts: the days of pace a projection must stand on before it warns


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str
    stage: Stage
    since: date  # the day it reached `stage`
    amount_yuan: int
    expected_date: date | None  # since + the median days of the move; None without enough history
    conversion: Decimal | None  # the share of projects ever at `stage` that made the move


@dataclass(frozen=True)
class ForecastRow:
    quota: str
    title: str
    subject: str
    period: str
    start: date
    end: date
    actual: Decimal
    target: Decimal
    needed: Decimal
    days_left: int
    per_month: Decimal | None  # None: no day left
    per_week: Decimal | None
    projected: Decimal
    projected_seasonal: Decimal | None
    seasonal_years: int  # the earlier years the seasonal projection stands on
    projected_status: Status  # met: the pace so far reaches the target; missed: it falls short
    candidates: tuple[Candidate, ...] = ()
    must_land: tuple[int, ...] = ()
    history: int | None = None  # project quotas: the moves between the two stages the ledger holds
    figures: FigureKind = "count"


@dataclass
class ForecastReport:
    region: str
    window: Period
    as_of: date
    rows: list[ForecastRow]


# Each subject's projects one stage short: (id, name, the day they reached it, amount in yuan).
Waiting = dict[str, list[tuple[int, str, date, int]]]


class ForecastFacts(Facts, Protocol):
    def first_day(self) -> date | None:
        """The day of the ledger's earliest fact (activity, milestone or fund), None if it holds none."""
        ...

    def candidates(self, metric: Metric, who: Who, stage: Stage, as_of: date) -> "Waiting":
        """Each subject's projects standing in `stage` on as_of that the metric's filters admit:
        (id, name, the day they reached it, amount in yuan), by that day."""
        ...

    def stage_moves(self, before: Stage, after: Stage, as_of: date) -> tuple[int, list[int]]:
        """(how many projects were ever at `before` by as_of, the days each that went on to reach
        `after` by as_of took)."""
        ...


def _round(value: Decimal, money: bool) -> Decimal:
    return value.quantize(Decimal(1) if money else Decimal("0.01"), ROUND_HALF_UP)


def _year_earlier(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _seasonal_shares(
    quota: Quota, facts: Facts, period: Period, as_of: date, first: date | None
) -> tuple[dict[str, Decimal], int]:
    """(each subject's share of the period's figure reached by this day in earlier years, how many
    earlier years the ledger, begun on `first`, holds the whole of)."""
    reached: dict[str, Decimal] = {}
    whole: dict[str, Decimal] = {}
    years = 0
    for back in range(1, SEASON_YEARS + 1):
        start, end, day = (_year_earlier(d, back) for d in (period.start, period.end, as_of))
        if first is None or (first.year, first.month) > (start.year, start.month):
            break  # the ledger was begun after that period's first month: it does not hold that period
        for subject, value in facts.measure(quota.metric, quota.who, start, end, end).items():
            whole[subject] = whole.get(subject, Decimal(0)) + value
        for subject, value in facts.measure(quota.metric, quota.who, start, day, day).items():
            reached[subject] = reached.get(subject, Decimal(0)) + value
        years += 1
    shares = {s: reached[s] / whole[s] for s in whole if whole[s] and reached.get(s)}
    return shares, years


def _next_stage(metric: Metric) -> tuple[Stage, Stage] | None:
    """(the stage before, the stage counted) for a quota on projects reaching a stage of the path."""
    if metric.name not in ("projects", "investment") or metric.where.in_stage is not None:
        return None
    counted = metric.where.reached or Stage.signed
    if counted not in STAGE_PATH or STAGE_PATH.index(counted) == 0:
        return None
    return STAGE_PATH[STAGE_PATH.index(counted) - 1], counted


def _must_land(candidates: Sequence[Candidate], needed: Decimal, amounts: bool) -> tuple[int, ...]:
    """The fewest candidates whose landing closes `needed`, ordered by expected day (unknown last)."""
    if needed <= 0 or not candidates:
        return ()

    def by_day(c: Candidate) -> tuple[bool, date, int]:
        return (c.expected_date is None, c.expected_date or c.since, c.id)

    ranked = sorted(candidates, key=(lambda c: -c.amount_yuan) if amounts else by_day)
    chosen, total = [], Decimal(0)
    for c in ranked:
        if total >= needed:
            break
        chosen.append(c)
        total += c.amount_yuan if amounts else 1
    if total < needed:
        return ()  # even all of them would not close the gap
    return tuple(c.id for c in sorted(chosen, key=by_day))


def _running(quotas: Sequence[Quota], window: Period, as_of: date) -> Iterator[tuple[Quota, Period]]:
    """The quotas a pace can reach, each with its periods in the window still running on as_of."""
    for quota in quotas:
        if quota.bound is not Bound.at_least or not quota.metric.accrues or quota.metric.op is Op.rate:
            continue  # a ceiling, a rate or a stock is not reached by a pace
        for period in periods(quota.per, window, as_of, quota.campaign, quota.by):
            if period.start <= as_of <= period.end:  # ended: nothing left to plan; on its last day it runs
                yield quota, period


def _projected(actual: Decimal, period: Period, as_of: date, money: bool) -> Decimal:
    return _round(actual * period.days / ((as_of - period.start).days + 1), money)


@dataclass(frozen=True)
class Miss:
    """A quota row that the pace so far will not reach by its period's end."""

    quota: str
    title: str
    period: str
    actual: Decimal
    projected: Decimal
    target: Decimal
    figures: FigureKind = "count"


def will_miss(quotas: Sequence[Quota], facts: Facts, as_of: date) -> dict[str, list[Miss]]:
    """Each subject's rows of the year of as_of (and its campaigns) longer than a month that the pace
    so far will not reach, once a pace of MIN_PACE_DAYS stands behind them: the 调度会's line a unit."""
    found: dict[str, list[Miss]] = {}
    for quota, period in _running(quotas, year_period(as_of.year), as_of):
        if period.days <= 31 or (as_of - period.start).days + 1 < MIN_PACE_DAYS:
            continue  # a month's quota is the 序时进度's (behind_quota); a pace of days says little
        counted = facts.measure(quota.metric, quota.who, period.start, as_of, as_of)
        for subject in facts.subjects(quota.who):
            actual = counted.get(subject, Decimal(0))
            projected = _projected(actual, period, as_of, quota.metric.is_money)
            if projected < quota.target:
                miss = Miss(quota.id, quota.title, period.label, actual, projected, quota.target, quota.metric.kind)
                found.setdefault(subject, []).append(miss)
    return found


def forecast(quotas: Sequence[Quota], facts: ForecastFacts, window: Period, as_of: date) -> list[ForecastRow]:
    rows = []
    first = facts.first_day()
    for quota, period in _running(quotas, window, as_of):
        money = quota.metric.is_money
        moves = _next_stage(quota.metric)
        counted = facts.measure(quota.metric, quota.who, period.start, as_of, as_of)
        waiting = facts.candidates(quota.metric, quota.who, moves[0], as_of) if moves else {}
        history = (moves[0], facts.stage_moves(*moves, as_of)) if moves else None
        shares, years = _seasonal_shares(quota, facts, period, as_of, first)
        for subject in facts.subjects(quota.who):
            actual = counted.get(subject, Decimal(0))
            season = (shares.get(subject), years)
            rows.append(_row(quota, period, as_of, subject, actual, money, waiting, history, season))
    return rows


def candidate_rows(rows: Sequence[ForecastRow]) -> Iterator[tuple[ForecastRow, Candidate | None]]:
    """The project quota rows still short, each with its candidates in turn (None: it has none)."""
    for row in rows:
        if row.history is not None and row.needed > 0:
            for candidate in row.candidates or (None,):
                yield row, candidate


def _row(
    quota: Quota,
    period: Period,
    as_of: date,
    subject: str,
    actual: Decimal,
    money: bool,
    waiting: Waiting,
    history: tuple[Stage, tuple[int, list[int]]] | None,  # the stage before, (ever at it, days each move took)
    season: tuple[Decimal | None, int],
) -> ForecastRow:
    needed = max(quota.target - actual, Decimal(0))
    days_left = (period.end - as_of).days
    projected = _projected(actual, period, as_of, money)
    share, years = season
    candidates: tuple[Candidate, ...] = ()
    took: list[int] | None = None
    if history is not None:
        before, (ever, took) = history
        enough = len(took) >= MIN_HISTORY
        days = int(median(took)) if enough else None
        conversion = (Decimal(len(took)) / ever).quantize(Decimal("0.01"), ROUND_HALF_UP) if enough and ever else None
        candidates = tuple(
            Candidate(
                pid,
                name,
                before,
                since,
                amount,
                since + timedelta(days=days) if days is not None else None,
                conversion,
            )
            for pid, name, since, amount in waiting.get(subject, [])
        )
    amounts = quota.metric.op is Op.sum
    return ForecastRow(
        quota.id,
        quota.title,
        subject,
        period.label,
        period.start,
        period.end,
        actual,
        quota.target,
        needed,
        days_left,
        _round(needed / (Decimal(days_left) / MONTH_DAYS), money) if days_left else None,
        _round(needed / (Decimal(days_left) / 7), money) if days_left else None,
        projected,
        _round(actual / share, money) if share else None,
        years,
        Status.met if projected >= quota.target else Status.missed,
        candidates,
        _must_land(candidates, needed, amounts),
        len(took) if took is not None else None,
        quota.metric.kind,
    )
