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
from typing import ClassVar, Protocol

from zhaoshang.config import Ranking, ScoreRule, Targets
from zhaoshang.labels import Origin, Stage, Status
from zhaoshang.money import YI
from zhaoshang.parse import Period, month_period, year_period
from zhaoshang.quota import (
    REGION,
    Facts,
    FigureKind,
    Filter,
    Metric,
    Op,
    Quota,
    QuotaRow,
    Scope,
    Who,
    evaluate,
    period_of,
)
from zhaoshang.records import CountedRecord, ProjectState

# The four figures of the quarterly bulletin (seeds/000: 省外到位资金、新引进过亿元项目、签约项目、外出招商).
BULLETIN = (
    ("outside_funds_yuan", Metric(Op.sum, "funds", Filter(origin=Origin.out_of_province))),
    ("big_projects", Metric(Op.count, "projects", Filter(reached=Stage.signed, amount_at_least=YI))),
    ("signed_projects", Metric(Op.count, "projects", Filter(reached=Stage.signed))),
    ("trips", Metric(Op.count, "trips")),
)
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


class Basis(StrEnum):
    """What a score line was worked out from."""

    quota = "quota"  # a quota's rows: share of its target, less deductions, plus bonus
    count = "count"  # type: ignore[assignment]  # (a member named like str.count) points per counted item
    no_data = "no_data"  # a rate with nothing to divide by in every period: not scored


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    outside_funds_yuan: int
    big_projects: int
    signed_projects: int
    trips: int


@dataclass(frozen=True)
class RankingEntry:
    unit: str
    values: tuple[Decimal, ...]
    scaled: tuple[Decimal, ...]
    score: Decimal
    rank: int


@dataclass(frozen=True)
class RankingTable:
    id: str
    title: str
    period: str
    metrics: tuple[Metric, ...]
    weights: tuple[Decimal, ...]
    entries: tuple[RankingEntry, ...]


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
    quota: str | None = None  # behind_quota: the quota row
    quota_title: str | None = None
    period: str | None = None
    actual: Decimal | None = None
    target: Decimal | None = None
    expected: Decimal | None = None
    figures: FigureKind = "count"
    problem: str | None = None  # overdue_problem: the problem noted


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


@dataclass(frozen=True)
class MonthReport(QuotaReport):
    kind: ClassVar[ReportKind] = ReportKind.month
    key_projects: list[ProjectState] = field(default_factory=list)


@dataclass(frozen=True)
class BulletinReport(QuotaReport):
    """A bulletin: quota rows and each unit's four figures (and, for a quarter or a year, the rankings)."""

    units: list[UnitFigures] = field(default_factory=list)
    rankings: list[RankingTable] = field(default_factory=list)


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


@dataclass(frozen=True)
class RankReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.rank
    rankings: list[RankingTable] = field(default_factory=list)


@dataclass(frozen=True)
class ScoreReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.score
    scores: list[UnitScore] = field(default_factory=list)


@dataclass(frozen=True)
class AlertsReport(ReportBase):
    kind: ClassVar[ReportKind] = ReportKind.alerts
    alerts: list[Alert] = field(default_factory=list)


Report = MonthReport | QuarterReport | YearReport | CampaignReport | RankReport | ScoreReport | AlertsReport


def rankings_of(report: Report) -> list[RankingTable]:
    """The rankings a report shows: a quarter's or a year's bulletin, and the 竞赛榜 itself."""
    return report.rankings if isinstance(report, BulletinReport | RankReport) else []


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
                )
            )
    return details


def unit_figures(facts: ReportFacts, window: Period, as_of: date) -> list[UnitFigures]:
    end = min(window.end, as_of)
    counted = {name: facts.measure(metric, EVERY_UNIT, window.start, end, as_of) for name, metric in BULLETIN}
    return [
        UnitFigures(unit, *(int(counted[name].get(unit, 0)) for name, _ in BULLETIN))
        for unit in facts.subjects(EVERY_UNIT)
    ]


def key_projects(facts: ReportFacts, as_of: date) -> list[ProjectState]:
    """一月一汇总: projects 在谈未签约 and 签约未落地 as they stood on as_of, with this month's progress."""
    return facts.projects_at(as_of, (Stage.negotiating, Stage.signed), as_of.replace(day=1))


def key_category(project: ProjectState) -> KeyCategory:
    """Where a key project stands in the monthly table: 在谈未签约 or 签约未落地."""
    return KeyCategory.negotiating if project.stage is Stage.negotiating else KeyCategory.signed


def ranking_table(ranking: Ranking, facts: ReportFacts, window: Period, as_of: date) -> RankingTable:
    """Units of one track side by side: each metric scaled so the best scores 100, weighted, ranked.

    A ranking is measured over its own `per`: the period of that kind holding the report's last day
    (a `per: year` ranking in a quarter report ranks the year to date)."""
    period = period_of(ranking.per, min(window.end, as_of))
    end = min(period.end, as_of)
    units = facts.subjects(ranking.among)
    columns = [facts.measure(by.metric, ranking.among, period.start, end, as_of) for by in ranking.by]
    weights = tuple(by.weight for by in ranking.by)
    best = [max(column.values(), default=Decimal(0)) for column in columns]
    entries = []
    for unit in units:
        values = tuple(column.get(unit, Decimal(0)) for column in columns)
        scaled = tuple(
            _ratio(v * 100 / top) if top > 0 else Decimal("0.00") for v, top in zip(values, best, strict=True)
        )
        score = _ratio(sum((w * s for w, s in zip(weights, scaled, strict=True)), Decimal(0)))
        entries.append((unit, values, scaled, score))
    ordered = sorted(entries, key=lambda e: -e[3])
    ranked: list[RankingEntry] = []
    for index, (unit, values, scaled, score) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else index + 1
        ranked.append(RankingEntry(unit, values, scaled, score, rank))
    return RankingTable(
        ranking.id, ranking.title, period.label, tuple(by.metric for by in ranking.by), weights, tuple(ranked)
    )


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
        shares = [min(actual / r.target, Decimal(1)) if r.target else Decimal(1) for r, actual in scored]
        if rule.partial:
            earned = rule.points * sum(shares, Decimal(0)) / len(shares)
        else:
            earned = rule.points * sum(1 for r, actual in scored if actual >= r.target) / len(scored)
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
        )
    return lines


def scores(targets: Targets, facts: ReportFacts, year: Period, as_of: date) -> list[UnitScore]:
    """年终考核: every rule's points per unit, itemised; people's points go to their unit."""
    quotas = {q.id: q for q in targets.quotas}
    home = facts.person_units()
    per_unit: dict[str, list[ScoreLine]] = {unit: [] for unit in facts.subjects(EVERY_UNIT)}
    for rule in targets.scoring:
        if rule.quota is not None:
            lines = _score_quota(rule, quotas[rule.quota], facts, year, as_of)
        else:
            assert rule.metric is not None and rule.who is not None  # config: a rule names a quota or a metric
            counted = facts.measure(rule.metric, rule.who, year.start, min(year.end, as_of), as_of)
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
    """What needs a push today: overdue starts, silent key projects, blank units, quotas behind."""
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
        if row.status is Status.behind:
            found.append(
                Alert(
                    AlertKind.behind_quota,
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
    return found


@dataclass(frozen=True)
class _Rows:
    quotas: list[QuotaRow]
    details: list[DetailRow]
    formats: dict[str, FigureKind]


def _quota_rows(quotas: Sequence[Quota], facts: ReportFacts, window: Period, as_of: date, detail: bool) -> _Rows:
    rows = evaluate(list(quotas), window, as_of, facts)
    details = detail_rows(rows, quotas, facts, as_of) if detail else []
    return _Rows(rows, details, {q.id: q.metric.kind for q in quotas})


def build_month(targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False) -> MonthReport:
    """一月一汇总: the key-project table as it stood at the month's end (or as_of), and the month's quota rows;
    with `detail`, every record each quota row counted."""
    rows = _quota_rows(targets.quotas, facts, window, as_of, detail)
    projects = key_projects(facts, min(window.end, as_of))
    return MonthReport(targets.region, window, as_of, rows.quotas, rows.details, rows.formats, projects)


def build_quarter(
    targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False
) -> QuarterReport:
    """季度通报: every quota row, each unit's four figures, the rankings."""
    rows = _quota_rows(targets.quotas, facts, window, as_of, detail)
    rankings = [ranking_table(r, facts, window, as_of) for r in targets.rankings]
    units = unit_figures(facts, window, as_of)
    return QuarterReport(targets.region, window, as_of, rows.quotas, rows.details, rows.formats, units, rankings)


def build_year(targets: Targets, facts: ReportFacts, window: Period, as_of: date, detail: bool = False) -> YearReport:
    """年度通报: the quarterly bulletin for a whole year."""
    rows = _quota_rows(targets.quotas, facts, window, as_of, detail)
    rankings = [ranking_table(r, facts, window, as_of) for r in targets.rankings]
    units = unit_figures(facts, window, as_of)
    return YearReport(targets.region, window, as_of, rows.quotas, rows.details, rows.formats, units, rankings)


def build_campaign(
    targets: Targets, facts: ReportFacts, campaign_id: str, window: Period, as_of: date, detail: bool = False
) -> CampaignReport:
    """A campaign's bulletin: its own quotas in its window, and each unit's four figures there."""
    quotas = [q for q in targets.quotas if q.campaign and q.campaign.id == campaign_id]
    rows = _quota_rows(quotas, facts, window, as_of, detail)
    units = unit_figures(facts, window, as_of)
    return CampaignReport(
        targets.region, window, as_of, rows.quotas, rows.details, rows.formats, units, [], campaign_id
    )


def build_rank(targets: Targets, facts: ReportFacts, window: Period, as_of: date) -> RankReport:
    """竞赛榜: every ranking of the file, each over its own `per` at the window's end."""
    return RankReport(targets.region, window, as_of, [ranking_table(r, facts, window, as_of) for r in targets.rankings])


def build_score(targets: Targets, facts: ReportFacts, window: Period, as_of: date) -> ScoreReport:
    """年终考核 of the year holding the window."""
    return ScoreReport(targets.region, window, as_of, scores(targets, facts, year_period(window.start.year), as_of))


def build_alerts(targets: Targets, facts: ReportFacts, window: Period, as_of: date) -> AlertsReport:
    """预警 as of a day."""
    return AlertsReport(targets.region, window, as_of, alerts(targets, facts, as_of))
