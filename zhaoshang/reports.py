"""Reports: pure functions of the quota file, the counted facts, a window and `as_of`.

One builder per kind — `build_month`, `build_quarter`, `build_year`, `build_campaign`,
`build_rank`, `build_score`, `build_alerts` — each returning its own dataclass of typed values
(numbers, dates, codes). No sentences here: the Chinese words are made by the renderers
(render/words.py), from the same value for the terminal, the JSON and the workbook. No clock and no
I/O either: `facts` answers the questions (facts.LedgerFacts over a session, or a fake in a test).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from zhaoshang.config import BulletinColumn, Measure, RankBy, Ranking, RedBlack, ScoreRule, Targets
from zhaoshang.forecast import Miss, will_miss
from zhaoshang.labels import Stage, Status
from zhaoshang.parse import Period, month_period, year_period
from zhaoshang.quota import (
    REGION,
    Bound,
    Campaign,
    Facts,
    FigureKind,
    Metric,
    Op,
    Per,
    Quota,
    QuotaRow,
    Scope,
    Who,
    evaluate,
    period_of,
)
from zhaoshang.records import CountedRecord, ProjectState
from zhaoshang.render.describe import measure_word

EVERY_UNIT = Who(Scope.all)


class ReportFacts(Facts, Protocol):
    """Everything the reports ask of the ledger, beyond what the quota engine asks (quota.Facts)."""

    def records(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> list[CountedRecord]:
        """Every record the figure of `measure` over [start, end] counted, in date order."""
        ...

    def projects_at(self, as_of: date, stages: tuple[Stage, ...], month_start: date) -> list[ProjectState]:
        """The projects at one of `stages` on `as_of`, with their notes from `month_start` on."""
        ...

    def late_starts(
        self, metric: Metric, who: Who, start: date, end: date, as_of: date | None = None
    ) -> dict[str, Decimal]:
        """Of the starts the metric counts over [start, end], how many came after their 开工时限."""
        ...

    def active_units(self, start: date, end: date) -> set[str]:
        """The units with any activity over [start, end]."""
        ...


class ReportKind(StrEnum):
    month = "month"
    quarter = "quarter"
    year = "year"
    campaign = "campaign"
    rank = "rank"
    score = "score"
    alerts = "alerts"


class KeyCategory(StrEnum):
    negotiating = "negotiating"  # 在谈未签约
    signed = "signed"  # 签约未落地


class AlertKind(StrEnum):
    overdue_start = "overdue_start"  # 超时限未开工
    silent_key_project = "silent_key_project"  # 重点项目本月无进展
    blank_unit = "blank_unit"  # 空白单位
    overdue_problem = "overdue_problem"  # 问题逾期未办结
    behind_quota = "behind_quota"  # 指标滞后
    over_quota = "over_quota"  # 超出上限 (a ceiling, at_most, passed)
    will_miss = "will_miss"  # 按目前进度将完不成 (the forecast's pace, a line a unit)


class Basis(StrEnum):
    """What a score line was worked out from."""

    quota = "quota"  # a quota's rows: share of its target, less deductions, plus bonus
    count = "count"  # type: ignore[assignment]  # (a member named like str.count) points per counted item
    no_data = "no_data"  # a rate with nothing to divide by in every period: not scored


@dataclass(frozen=True)
class UnitFigures:
    """One unit's line of the bulletin's table: a value per column of `BulletinReport.columns`."""

    unit: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True)
class RankingEntry:
    unit: str
    values: tuple[Decimal | None, ...]  # None: a ratio with nothing to divide by (无数据)
    scaled: tuple[Decimal, ...]
    score: Decimal
    rank: int


@dataclass(frozen=True)
class RankingTable:
    """A ranking as measured: `entries[i].values` holds one value per `by` (a metric's figure, a
    quota's percent such as 62.5, or its actual ÷ expected), `unit` a unit's or a person's label."""

    id: str
    title: str
    period: str
    by: tuple[RankBy, ...]
    entries: tuple[RankingEntry, ...]
    people: bool = False  # entries are people ({each_person: ROLE}), credited to their unit
    campaign: str | None = None
    quota_titles: dict[str, str] = field(default_factory=dict, compare=False)  # a `by: quota`'s id -> its title
    span: tuple[date, date] | None = field(default=None, compare=False)  # the days `period` covers

    @property
    def weights(self) -> tuple[Decimal, ...]:
        return tuple(b.weight for b in self.by)


@dataclass(frozen=True)
class RedBlackTable:
    """红黑榜: the subjects on the red list and on the black list, in rank order."""

    id: str
    title: str
    period: str
    red: tuple[str, ...]
    black: tuple[str, ...]
    ranking: str | None = None  # from a ranking's top and bottom …
    quota: str | None = None  # … or below a share of a quota's 序时进度
    below_pace: Decimal | None = None


@dataclass(frozen=True)
class ScoreLine:
    """One rule's points for one unit, with every figure that decided them.

    basis quota: `actual`/`target` summed over the rule's scored periods; `earned` the points for the
    share reached; `short` × penalty is `deduction`; `extra` beyond the target earns `bonus`; `late`
    starts counted at `late_credit` each. basis count: `actual` items × `points_each`."""

    rule: str
    title: str
    points: Decimal
    basis: Basis
    actual: Decimal = Decimal(0)
    target: Decimal = Decimal(0)
    earned: Decimal = Decimal(0)
    short: Decimal = Decimal(0)
    deduction: Decimal = Decimal(0)
    extra: Decimal = Decimal(0)
    bonus: Decimal = Decimal(0)
    late: Decimal = Decimal(0)
    late_credit: Decimal | None = None
    points_each: Decimal | None = None
    person: str | None = None  # a person's line, credited to their unit
    figures: FigureKind = "count"
    floored: bool = False  # the rule's floor (从该项得分中扣除, never below it) raised the points
    ceiling: bool = False  # a ceiling quota (at_most): its points when kept
    periods: int = 0  # basis quota: the periods scored (a monthly quota over a year: 12) …
    periods_met: int = 0  # … and those whose target was met (a ceiling's: kept under it)
    per: str = ""  # the quota's period (month, quarter …), to name them


@dataclass(frozen=True)
class UnitScore:
    unit: str  # a unit's name, or REGION for the region-wide rules (shown, not ranked: rank 0)
    total: Decimal
    rank: int
    lines: tuple[ScoreLine, ...]


@dataclass(frozen=True)
class Alert:
    """Something that needs a push today, with the figures that say so and who answers for it."""

    kind: AlertKind
    unit: str  # the unit responsible (REGION for a region-wide quota)
    project_id: int | None = None
    project: str | None = None
    owner: str | None = None
    leader: str | None = None
    deadline: date | None = None  # overdue_start: the 开工时限 …
    days_late: int | None = None  # … and the days since
    month: str | None = None  # silent_key_project, blank_unit: the month, 2023-06
    quota: str | None = None  # behind_quota, over_quota: the quota row
    quota_title: str | None = None
    period: str | None = None
    actual: Decimal | None = None
    target: Decimal | None = None
    expected: Decimal | None = None
    figures: FigureKind = "count"
    problem: str | None = None  # overdue_problem: the problem noted
    misses: tuple[Miss, ...] = ()  # will_miss: the unit's rows the pace so far will not reach


@dataclass(frozen=True)
class DetailRow:
    """One record counted by one quota row: the trace from a figure to the ledger."""

    quota: str
    period: str
    subject: str
    table: str
    id: int
    date: date
    kind: str
    text: str
    unit: str
    amount_yuan: int | None
    companies: str = ""
    leader: str = ""
    people: str = ""
    destination: str = ""


@dataclass(frozen=True)
class ReportBase:
    kind: ClassVar[ReportKind]
    region: str
    window: Period
    as_of: date


@dataclass(frozen=True)
class QuotaReport(ReportBase):
    """A report of quota rows: a month, a quarter, a year or a campaign."""

    quotas: list[QuotaRow] = field(default_factory=list)
    details: list[DetailRow] = field(default_factory=list)
    formats: dict[str, FigureKind] = field(default_factory=dict)  # quota id -> how its figures read
    measures: dict[str, str] = field(default_factory=dict)  # quota id -> a count's 次, 个, 家 (the prose's)


@dataclass(frozen=True)
class MonthReport(QuotaReport):
    kind: ClassVar[ReportKind] = ReportKind.month
    key_projects: list[ProjectState] = field(default_factory=list)


@dataclass(frozen=True)
class BulletinReport(QuotaReport):
    """A bulletin: quota rows, each unit's figures in the file's `bulletin:` columns, the rankings and
    红黑榜 (a quarter's and a year's of the year, a campaign's of the campaign)."""

    units: list[UnitFigures] = field(default_factory=list)
    rankings: list[RankingTable] = field(default_factory=list)
    columns: tuple[BulletinColumn, ...] = ()
    red_black: list[RedBlackTable] = field(default_factory=list)
    totals: tuple[Decimal, ...] = ()  # each column's figure for the whole region (a joint trip once)


@dataclass(frozen=True)
class QuarterReport(BulletinReport):
    kind: ClassVar[ReportKind] = ReportKind.quarter


@dataclass(frozen=True)
class YearReport(BulletinReport):
    kind: ClassVar[ReportKind] = ReportKind.year


@dataclass(frozen=True)
class CampaignReport(BulletinReport):
    kind: ClassVar[ReportKind] = ReportKind.campaign
    campaign: str = ""
    campaign_title: str = ""


@dataclass(frozen=True)
class RankReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.rank
    rankings: list[RankingTable] = field(default_factory=list)
    red_black: list[RedBlackTable] = field(default_factory=list)
    campaign: str | None = None
    campaign_title: str = ""


@dataclass(frozen=True)
class ScoreReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.score
    scores: list[UnitScore] = field(default_factory=list)
    campaign: str | None = None  # a campaign's own score (专项考核、单独计分), else the year's
    campaign_title: str = ""


@dataclass(frozen=True)
class AlertsReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.alerts
    alerts: list[Alert] = field(default_factory=list)


Report = MonthReport | QuarterReport | YearReport | CampaignReport | RankReport | ScoreReport | AlertsReport


def rankings_of(report: Report) -> list[RankingTable]:
    """The rankings a report shows: a quarter's or a year's bulletin, and the 竞赛榜 itself."""
    return report.rankings if isinstance(report, BulletinReport | RankReport) else []


def red_black_of(report: Report) -> list[RedBlackTable]:
    """The 红黑榜 a report shows: beside its rankings."""
    return report.red_black if isinstance(report, BulletinReport | RankReport) else []


def _ratio(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def detail_rows(rows: list[QuotaRow], quotas: Sequence[Quota], facts: ReportFacts, as_of: date) -> list[DetailRow]:
    """Every record each quota row counted: the trace from a figure back to the ledger."""
    by_id = {q.id: q for q in quotas}
    details: list[DetailRow] = []
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if (row.quota, row.period) in seen:
            continue
        seen.add((row.quota, row.period))
        quota = by_id[row.quota]
        for record in facts.records(quota.metric, quota.who, row.start, min(row.end, as_of), as_of):
            details.append(
                DetailRow(
                    row.quota,
                    row.period,
                    record.subject,
                    record.table,
                    record.id,
                    record.date,
                    record.kind,
                    record.text,
                    record.unit,
                    record.amount_yuan,
                    record.companies,
                    record.leader,
                    record.people,
                    record.destination,
                )
            )
    return details


def unit_figures(
    facts: ReportFacts, window: Period, as_of: date, columns: Sequence[BulletinColumn]
) -> list[UnitFigures]:
    """Each unit's figure in each column of the bulletin, over the window to as_of."""
    end = min(window.end, as_of)
    counted = [facts.measure(c.metric, EVERY_UNIT, window.start, end, as_of) for c in columns]
    return [
        UnitFigures(unit, tuple(column.get(unit, Decimal(0)) for column in counted))
        for unit in facts.subjects(EVERY_UNIT)
    ]


def region_figures(
    facts: ReportFacts, window: Period, as_of: date, columns: Sequence[BulletinColumn]
) -> tuple[Decimal, ...]:
    """Each column of the bulletin for the whole region, the 合计 of its table: a joint trip of two
    units is one trip here, and a rate is the region's own."""
    end = min(window.end, as_of)
    region = Who(Scope.region)
    return tuple(facts.measure(c.metric, region, window.start, end, as_of).get(REGION, Decimal(0)) for c in columns)


def key_projects(facts: ReportFacts, as_of: date) -> list[ProjectState]:
    """一月一汇总: projects 在谈未签约 and 签约未落地 as they stood on as_of, with this month's progress."""
    return facts.projects_at(as_of, (Stage.negotiating, Stage.signed), as_of.replace(day=1))


def key_category(project: ProjectState) -> KeyCategory:
    """Where a key project stands in the monthly table: 在谈未签约 or 签约未落地."""
    return KeyCategory.negotiating if project.stage is Stage.negotiating else KeyCategory.signed


def _campaign_window(campaign: Campaign) -> Period:
    return Period("campaign", campaign.id, campaign.start, campaign.end)


def ranking_period(ranking: Ranking, window: Period, as_of: date) -> Period:
    """What a ranking is measured over: the period of its `per` holding the report's last day (a
    `per: year` ranking in a quarter report ranks the year to date); a campaign's ranking, its
    window (`per: campaign`) or its period of the campaign's calendar (fortnights from its start)."""
    day = min(window.end, as_of)
    if ranking.per is Per.campaign and ranking.campaign is not None:
        return _campaign_window(ranking.campaign)
    if ranking.campaign is not None:
        day = min(max(day, ranking.campaign.start), ranking.campaign.end)
        period = period_of(ranking.per, day, ranking.campaign)
        return Period(
            period.kind, period.label, max(period.start, ranking.campaign.start), min(period.end, ranking.campaign.end)
        )
    return period_of(ranking.per, day)


def _quota_measure(by: RankBy, quota: Quota, facts: ReportFacts, period: Period, as_of: date) -> dict[str, Decimal]:
    """A quota's completion over a ranking's period, per subject: its rows' actual ÷ target in percent
    (62.5, not capped), or actual ÷ expected (序时进度比). A subject with nothing to divide by is left out."""
    totals: dict[str, list[Decimal]] = {}
    for row in evaluate([quota], period, as_of, facts):
        if row.actual is None:
            continue
        sums = totals.setdefault(row.subject, [Decimal(0), Decimal(0), Decimal(0)])
        sums[0] += row.actual
        sums[1] += row.target
        sums[2] += row.expected
    out = {}
    for subject, (actual, target, expected) in totals.items():
        if by.measure is Measure.percent and target:
            out[subject] = _ratio(actual * 100 / target, "0.1")
        elif by.measure is Measure.pace and expected:
            out[subject] = _ratio(actual / expected)
    return out


def ranking_table(
    ranking: Ranking, facts: ReportFacts, window: Period, as_of: date, quotas: dict[str, Quota] | None = None
) -> RankingTable:
    """Units (or people) of one track side by side: each column scaled so the best scores 100,
    weighted, ranked; ties share a rank."""
    period = ranking_period(ranking, window, as_of)
    end = min(period.end, as_of)
    subjects = facts.subjects(ranking.among)
    columns = []
    for by in ranking.by:
        if by.metric is not None:
            columns.append(facts.measure(by.metric, ranking.among, period.start, end, as_of))
        else:
            assert by.quota is not None and quotas is not None  # config: a ranking's quota is in the file
            columns.append(_quota_measure(by, quotas[by.quota], facts, period, as_of))
    weights = tuple(by.weight for by in ranking.by)
    best = [max(column.values(), default=Decimal(0)) for column in columns]
    # A subject a ratio leaves out (开工率 with nothing signed, a quota with no target) has no value
    # (无数据), not 0%; it scores 0 on that column. A count or sum it lacks is 0.
    absent = [None if by.metric is None or by.metric.op is Op.rate else Decimal(0) for by in ranking.by]
    entries = []
    for subject in subjects:
        values = tuple(column.get(subject, none) for column, none in zip(columns, absent, strict=True))
        scaled = tuple(
            _ratio(v * 100 / top) if v is not None and top > 0 else Decimal("0.00")
            for v, top in zip(values, best, strict=True)
        )
        score = _ratio(sum((w * s for w, s in zip(weights, scaled, strict=True)), Decimal(0)))
        entries.append((subject, values, scaled, score))
    ordered = sorted(entries, key=lambda e: -e[3])
    ranked: list[RankingEntry] = []
    for index, (subject, values, scaled, score) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else index + 1
        ranked.append(RankingEntry(subject, values, scaled, score, rank))
    return RankingTable(
        ranking.id,
        ranking.title,
        period.label,
        ranking.by,
        tuple(ranked),
        people=ranking.among.scope is Scope.each_person,
        campaign=ranking.campaign.id if ranking.campaign else None,
        quota_titles={b.quota: quotas[b.quota].title for b in ranking.by if b.quota and quotas},
        span=(period.start, period.end),
    )


def red_black_table(
    item: RedBlack,
    tables: dict[str, RankingTable],
    quotas: dict[str, Quota],
    facts: ReportFacts,
    window: Period,
    as_of: date,
) -> RedBlackTable:
    """红黑榜 from a ranking (its first `red` entries and its last `black`, none on both), or the
    subjects of a quota whose actual is below `below_pace` of its 序时进度 in the period holding the
    report's last day (a period ended short counts: its expected is its target)."""
    if item.ranking is not None:
        table = tables[item.ranking]
        entries = [e.unit for e in table.entries]
        red = tuple(entries[: item.red])
        black = tuple(e for e in entries[::-1][: item.black] if e not in red)[::-1]
        return RedBlackTable(item.id, item.title, table.period, red, black, ranking=item.ranking)
    assert item.quota is not None and item.below_pace is not None  # config: a list names a ranking or a quota
    quota = quotas[item.quota]
    rows = evaluate([quota], window, as_of, facts)
    day = min(window.end, as_of)
    current = [r for r in rows if r.start <= day <= r.end] or rows[-1:]
    label_ = current[0].period if current else window.label
    black = tuple(
        r.subject
        for r in current
        if r.period == label_ and r.actual is not None and r.actual < r.expected * item.below_pace
    )
    return RedBlackTable(item.id, item.title, label_, (), black, quota=item.quota, below_pace=item.below_pace)


def _standings(
    targets: Targets, facts: ReportFacts, window: Period, as_of: date
) -> tuple[list[RankingTable], list[RedBlackTable]]:
    """The file's rankings (as given: the year's, or one campaign's) and the 红黑榜 drawn from them."""
    quotas = {q.id: q for q in targets.quotas}
    tables = [ranking_table(r, facts, window, as_of, quotas) for r in targets.rankings]
    by_id = {t.id: t for t in tables}
    lists = [red_black_table(item, by_id, quotas, facts, window, as_of) for item in targets.red_black]
    return tables, lists


def _score_quota(rule: ScoreRule, quota: Quota, facts: ReportFacts, year: Period, as_of: date) -> dict[str, ScoreLine]:
    window = Period("campaign", quota.campaign.id, quota.campaign.start, quota.campaign.end) if quota.campaign else year
    rows = evaluate([quota], window, as_of, facts)
    late: dict[str, Decimal] = {}
    credit = rule.late_start_credit
    if credit is not None:
        # A late start counts for late_start_credit of one (seeds/001: 减半计分): only the starts
        # the row's own figure counted (its where: applied), in the row's own period.
        spans = {(r.start, r.end) for r in rows}
        counted_late = {
            span: facts.late_starts(quota.metric, quota.who, span[0], min(span[1], as_of), as_of) for span in spans
        }
        discount = 1 - credit
        rows = [
            replace(r, actual=r.actual - counted_late[(r.start, r.end)].get(r.subject, Decimal(0)) * discount)
            if r.actual is not None
            else r
            for r in rows
        ]
        for r in rows:
            late[r.subject] = late.get(r.subject, Decimal(0)) + counted_late[(r.start, r.end)].get(r.subject, 0)
    by_subject: dict[str, list[QuotaRow]] = {}
    for row in rows:
        by_subject.setdefault(row.subject, []).append(row)
    title = rule.title if rule.title != rule.id else quota.title
    figures = quota.metric.kind
    lines = {}
    for subject, all_rows in by_subject.items():
        # A rate with nothing to divide by (无数据) is left out of the rule's share, not counted missed.
        scored = [(r, r.actual) for r in all_rows if r.actual is not None]
        if not scored:
            lines[subject] = ScoreLine(rule.id, title, Decimal("0.00"), Basis.no_data, figures=figures)
            continue
        if quota.bound is Bound.at_most:  # a ceiling: its points for each period kept under it (config: points alone)
            kept = sum(1 for r, actual in scored if actual <= r.target)
            lines[subject] = ScoreLine(
                rule.id,
                title,
                _ratio(rule.points * kept / len(scored)),
                Basis.quota,
                actual=sum((actual for _, actual in scored), Decimal(0)),
                target=sum((r.target for r, _ in scored), Decimal(0)),
                earned=_ratio(rule.points * kept / len(scored)),
                figures=figures,
                ceiling=True,
                periods=len(scored),
                periods_met=kept,
                per=quota.per.value,
            )
            continue
        shares = [min(actual / r.target, Decimal(1)) if r.target else Decimal(1) for r, actual in scored]
        met = sum(1 for r, actual in scored if actual >= r.target)
        if rule.partial:
            earned = rule.points * sum(shares, Decimal(0)) / len(shares)
        else:
            earned = rule.points * met / len(scored)
        short = sum((max(r.target - actual, Decimal(0)) for r, actual in scored if r.end <= as_of), Decimal(0))
        extra = sum((max(actual - r.target, Decimal(0)) for r, actual in scored), Decimal(0))
        bonus = rule.bonus_per_extra * extra
        if rule.max_bonus is not None:
            bonus = min(bonus, rule.max_bonus)
        deduction = rule.penalty_per_short * short
        lines[subject] = ScoreLine(
            rule.id,
            title,
            _ratio(earned - deduction + bonus),
            Basis.quota,
            actual=sum((actual for _, actual in scored), Decimal(0)),
            target=sum((r.target for r, _ in scored), Decimal(0)),
            earned=_ratio(earned),
            short=short,
            deduction=deduction,
            extra=extra,
            bonus=bonus,
            late=late.get(subject, Decimal(0)),
            late_credit=credit,
            figures=figures,
            periods=len(scored),
            periods_met=met,
            per=quota.per.value,
        )
    return lines


def scores(targets: Targets, facts: ReportFacts, year: Period, as_of: date) -> list[UnitScore]:
    """年终考核 (or a campaign's own score, given `targets.of_campaign(id)`): every rule's points per
    unit, itemised; people's points go to their unit. A count rule counts over its campaign's window
    when it has one, else over the year; a rule's points never fall below its `floor`."""
    quotas = {q.id: q for q in targets.quotas}
    home = facts.person_units()
    per_unit: dict[str, list[ScoreLine]] = {unit: [] for unit in facts.subjects(EVERY_UNIT)}
    for rule in targets.scoring:
        if rule.quota is not None:
            lines = _score_quota(rule, quotas[rule.quota], facts, year, as_of)
        else:
            assert rule.metric is not None and rule.who is not None  # config: a rule names a quota or a metric
            span = _campaign_window(rule.campaign) if rule.campaign else year
            counted = facts.measure(rule.metric, rule.who, span.start, min(span.end, as_of), as_of)
            lines = {
                subject: ScoreLine(
                    rule.id,
                    rule.title,
                    _ratio(rule.points_each * value),
                    Basis.count,
                    actual=value,
                    points_each=rule.points_each,
                    figures=rule.metric.kind,
                )
                for subject, value in counted.items()
                if value
            }
        for subject, line in lines.items():
            if rule.floor is not None and line.points < rule.floor:
                line = replace(line, points=_ratio(rule.floor), floored=True)
            unit = subject if subject in per_unit else home.get(subject, subject)
            if unit != subject:
                line = replace(line, person=subject)
            per_unit.setdefault(unit, []).append(line)
    totals = sorted(
        (
            (unit, sum((line.points for line in unit_lines), Decimal(0)), unit_lines)
            for unit, unit_lines in per_unit.items()
            if unit_lines and unit != REGION
        ),
        key=lambda t: -t[1],
    )
    out: list[UnitScore] = []
    for index, (unit, total, unit_lines) in enumerate(totals):
        rank = out[-1].rank if out and out[-1].total == total else index + 1
        out.append(UnitScore(unit, _ratio(total), rank, tuple(unit_lines)))
    if per_unit.get(REGION):  # region-wide rules: shown, not ranked (rank 0)
        region = per_unit[REGION]
        out.append(UnitScore(REGION, _ratio(sum((line.points for line in region), Decimal(0))), 0, tuple(region)))
    return out


def alerts(targets: Targets, facts: ReportFacts, as_of: date) -> list[Alert]:
    """What needs a push today: overdue starts, silent key projects, blank units, quotas behind or
    over, and a line for each unit whose pace so far will miss rows of the year or its quarter."""
    month = month_period(as_of.year, as_of.month)
    found: list[Alert] = []
    open_projects = facts.projects_at(as_of, (Stage.negotiating, Stage.signed, Stage.started), month.start)
    for p in open_projects:
        if p.stage is Stage.signed and p.start_deadline is not None and p.start_deadline < as_of:
            found.append(
                Alert(
                    AlertKind.overdue_start,
                    p.unit,
                    p.id,
                    p.name,
                    p.owner,
                    p.leader,
                    deadline=p.start_deadline,
                    days_late=(as_of - p.start_deadline).days,
                )
            )
    for p in open_projects:
        for problem in p.open_problems:
            if problem.due is not None and problem.due < as_of:
                found.append(
                    Alert(
                        AlertKind.overdue_problem,
                        p.unit,
                        p.id,
                        p.name,
                        problem.assignee or p.owner,
                        p.leader,
                        deadline=problem.due,
                        days_late=(as_of - problem.due).days,
                        problem=problem.text,
                    )
                )
    for p in open_projects:
        if p.key and not p.progress:
            found.append(
                Alert(AlertKind.silent_key_project, p.unit, p.id, p.name, p.owner, p.leader, month=month.label)
            )
    active = facts.active_units(month.start, as_of)
    for unit in facts.subjects(EVERY_UNIT):
        if unit not in active:
            found.append(Alert(AlertKind.blank_unit, unit, month=month.label))
    kinds = {q.id: q.metric.kind for q in targets.quotas}
    for row in evaluate(targets.quotas, month, as_of, facts):
        if row.status in (Status.behind, Status.over):
            found.append(
                Alert(
                    AlertKind.behind_quota if row.status is Status.behind else AlertKind.over_quota,
                    row.subject,
                    quota=row.quota,
                    quota_title=row.title,
                    period=row.period,
                    actual=row.actual,
                    target=row.target,
                    expected=row.expected,
                    figures=kinds[row.quota],
                )
            )
    for subject, misses in will_miss(targets.quotas, facts, as_of).items():
        found.append(Alert(AlertKind.will_miss, subject, misses=tuple(misses)))
    return found


def _quota_rows(
    quotas: Sequence[Quota], facts: ReportFacts, window: Period, as_of: date, detail: bool
) -> dict[str, Any]:
    """A quota report's own fields: its rows, their records (with `detail`), how each quota's
    figures read and a count's measure word."""
    rows = evaluate(list(quotas), window, as_of, facts)
    return {
        "quotas": rows,
        "details": detail_rows(rows, quotas, facts, as_of) if detail else [],
        "formats": {q.id: q.metric.kind for q in quotas},
        "measures": {q.id: word for q in quotas if (word := measure_word(q.metric))},
    }


def build_month(targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False) -> MonthReport:
    """一月一汇总: the key-project table as it stood at the month's end (or as_of), and the month's quota rows;
    with `detail`, every record each quota row counted."""
    rows = _quota_rows(targets.quotas, facts, window, as_of, detail)
    projects = key_projects(facts, min(window.end, as_of))
    return MonthReport(targets.region, window, as_of, **rows, key_projects=projects)


def _bulletin(
    kind: type[BulletinReport],
    targets: Targets,
    quotas: Sequence[Quota],
    facts: ReportFacts,
    window: Period,
    as_of: date,
    detail: bool,
    campaign: str | None = None,
) -> Any:
    rows = _quota_rows(quotas, facts, window, as_of, detail)
    rankings, lists = _standings(targets.of_campaign(campaign), facts, window, as_of)
    units = unit_figures(facts, window, as_of, targets.bulletin)
    extra: dict[str, Any] = (
        {"campaign": campaign, "campaign_title": _campaign_title(targets, campaign)} if campaign is not None else {}
    )
    return kind(
        targets.region,
        window,
        as_of,
        **rows,
        units=units,
        rankings=rankings,
        columns=targets.bulletin,
        red_black=lists,
        totals=region_figures(facts, window, as_of, targets.bulletin),
        **extra,
    )


def _campaign_title(targets: Targets, campaign: str | None) -> str:
    return next((c.title for c in targets.campaigns if c.id == campaign), campaign or "")


def build_quarter(
    targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False
) -> QuarterReport:
    """季度通报: every quota row, each unit's figures in the bulletin's columns, the year's rankings and 红黑榜."""
    report: QuarterReport = _bulletin(QuarterReport, targets, targets.quotas, facts, window, as_of, detail)
    return report


def build_year(targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False) -> YearReport:
    """年度通报: the quarterly bulletin for a whole year."""
    report: YearReport = _bulletin(YearReport, targets, targets.quotas, facts, window, as_of, detail)
    return report


def build_campaign(
    targets: Targets, facts: ReportFacts, campaign_id: str, window: Period, as_of: date, detail: bool = False
) -> CampaignReport:
    """A campaign's bulletin: its own quotas in its window, each unit's figures there, and the
    campaign's own rankings and 红黑榜."""
    quotas = [q for q in targets.quotas if q.campaign and q.campaign.id == campaign_id]
    report: CampaignReport = _bulletin(CampaignReport, targets, quotas, facts, window, as_of, detail, campaign_id)
    return report


def build_rank(
    targets: Targets, facts: ReportFacts, window: Period, as_of: date, campaign: str | None = None
) -> RankReport:
    """竞赛榜: every ranking of the year (or of one campaign), each over its own `per` at the window's
    end, and the 红黑榜 drawn from them."""
    rankings, lists = _standings(targets.of_campaign(campaign), facts, window, as_of)
    return RankReport(targets.region, window, as_of, rankings, lists, campaign, _campaign_title(targets, campaign))


def build_score(
    targets: Targets, facts: ReportFacts, window: Period, as_of: date, campaign: str | None = None
) -> ScoreReport:
    """年终考核 of the year holding the window, by the year's rules; or, with `campaign`, the campaign's
    own score by its rules (专项考核、单独计分)."""
    year = year_period(window.start.year)
    return ScoreReport(
        targets.region,
        window,
        as_of,
        scores(targets.of_campaign(campaign), facts, year, as_of),
        campaign,
        _campaign_title(targets, campaign),
    )


def build_alerts(targets: Targets, facts: ReportFacts, window: Period, as_of: date) -> AlertsReport:
    """预警 as of a day."""
    return AlertsReport(targets.region, window, as_of, alerts(targets, facts, as_of))
