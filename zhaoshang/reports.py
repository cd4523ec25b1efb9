"""Reports: pure functions of the quota file, the counted facts, a window and `as_of`.

`build(kind, targets, facts, window, as_of)` returns one `Report` value; every renderer (terminal
table, JSON, xlsx) draws from that same value. No clock and no I/O here: `facts` answers the
questions (facts.LedgerFacts over a session, or anything shaped like it in a test).
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.config import Ranking, ScoreRule, Targets
from zhaoshang.labels import Origin, Stage
from zhaoshang.parse import Period, month_period, year_period
from zhaoshang.quota import Filter, Metric, Quota, QuotaRow, Who, evaluate, period_of
from zhaoshang.render import fmt

YI = 100_000_000
TITLES = {
    "month": "月度汇总",
    "quarter": "季度通报",
    "year": "年度通报",
    "campaign": "活动通报",
    "rank": "竞赛榜",
    "score": "年终考核",
    "alerts": "预警",
}
# The four figures of the quarterly bulletin (seeds/000: 省外到位资金、新引进过亿元项目、签约项目、外出招商).
BULLETIN = (
    ("outside_funds_yuan", Metric("sum", "funds", Filter(origin=Origin.out_of_province))),
    ("big_projects", Metric("count", "projects", Filter(reached=Stage.signed, amount_at_least=YI))),
    ("signed_projects", Metric("count", "projects", Filter(reached=Stage.signed))),
    ("trips", Metric("count", "trips")),
)
EVERY_UNIT = Who("all")
REGION = "region"


@dataclass(frozen=True)
class UnitFigures:
    unit: str
    outside_funds_yuan: int
    big_projects: int
    signed_projects: int
    trips: int


@dataclass(frozen=True)
class KeyProject:
    category: str  # negotiating 在谈未签约 | signed 签约未落地
    id: int
    name: str
    unit: str
    amount_yuan: int
    stage: Stage
    stage_date: date
    owner: str | None
    leader: str | None
    start_deadline: date | None
    progress: str
    problems: str


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
    rule: str
    title: str
    points: Decimal
    reason: str


@dataclass(frozen=True)
class UnitScore:
    unit: str
    total: Decimal
    rank: int
    lines: tuple[ScoreLine, ...]


@dataclass(frozen=True)
class Alert:
    kind: str  # overdue_start | silent_key_project | blank_unit | behind_quota
    subject: str
    detail: str
    responsible: str


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
class Report:
    kind: str
    title: str
    region: str
    window: Period
    as_of: date
    quotas: list[QuotaRow] = field(default_factory=list)
    units: list[UnitFigures] = field(default_factory=list)
    key_projects: list[KeyProject] = field(default_factory=list)
    rankings: list[RankingTable] = field(default_factory=list)
    scores: list[UnitScore] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    details: list[DetailRow] = field(default_factory=list)
    # quota id -> "count" | "money" | "rate": how its figures read
    formats: dict[str, str] = field(default_factory=dict)


def _ratio(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def detail_rows(rows: list[QuotaRow], quotas: list[Quota], facts, as_of: date) -> list[DetailRow]:
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


def unit_figures(facts, window: Period, as_of: date) -> list[UnitFigures]:
    end = min(window.end, as_of)
    counted = {name: facts.measure(metric, EVERY_UNIT, window.start, end, as_of) for name, metric in BULLETIN}
    return [
        UnitFigures(unit, *(int(counted[name].get(unit, 0)) for name, _ in BULLETIN))
        for unit in facts.subjects(EVERY_UNIT)
    ]


def key_projects(facts, as_of: date) -> list[KeyProject]:
    """一月一汇总: projects 在谈未签约 and 签约未落地 as they stood on as_of, with this month's progress."""
    month_start = as_of.replace(day=1)
    return [
        KeyProject(
            "negotiating" if p.stage is Stage.negotiating else "signed",
            p.id,
            p.name,
            p.unit,
            p.amount_yuan,
            p.stage,
            p.stage_date,
            p.owner,
            p.leader,
            p.start_deadline,
            "；".join(p.progress),
            "；".join(p.problems),
        )
        for p in facts.projects_at(as_of, (Stage.negotiating, Stage.signed), month_start)
    ]


def ranking_table(ranking: Ranking, facts, window: Period, as_of: date) -> RankingTable:
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
    ranked = []
    for index, (unit, values, scaled, score) in enumerate(ordered):
        rank = ranked[-1].rank if ranked and ranked[-1].score == score else index + 1
        ranked.append(RankingEntry(unit, values, scaled, score, rank))
    return RankingTable(
        ranking.id, ranking.title, period.label, tuple(by.metric for by in ranking.by), weights, tuple(ranked)
    )


def _score_quota(rule: ScoreRule, quota: Quota, facts, year: Period, as_of: date) -> dict[str, ScoreLine]:
    window = Period("campaign", quota.campaign.id, quota.campaign.start, quota.campaign.end) if quota.campaign else year
    rows = evaluate([quota], window, as_of, facts)
    late: dict[str, Decimal] = {}
    if rule.late_start_credit is not None:
        # A late start counts for late_start_credit of one (seeds/001: 减半计分): only the starts
        # the row's own figure counted (its where: applied), in the row's own period.
        spans = {(r.start, r.end) for r in rows}
        counted_late = {
            span: facts.late_starts(quota.metric, quota.who, span[0], min(span[1], as_of), as_of) for span in spans
        }
        discount = 1 - rule.late_start_credit
        rows = [
            replace(r, actual=r.actual - counted_late[(r.start, r.end)].get(r.subject, 0) * discount)
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
    lines = {}
    for subject, all_rows in by_subject.items():
        # A rate with nothing to divide by (无数据) is left out of the rule's share, not counted missed.
        subject_rows = [r for r in all_rows if r.actual is not None]
        if not subject_rows:
            lines[subject] = ScoreLine(rule.id, title, Decimal("0.00"), "无数据（无可计算的周期），不计分")
            continue
        shares = [min(r.actual / r.target, Decimal(1)) if r.target else Decimal(1) for r in subject_rows]
        if rule.partial:
            earned = rule.points * sum(shares, Decimal(0)) / len(shares)
        else:
            earned = rule.points * sum(1 for r in subject_rows if r.actual >= r.target) / len(subject_rows)
        short = sum((max(r.target - r.actual, Decimal(0)) for r in subject_rows if r.end <= as_of), Decimal(0))
        extra = sum((max(r.actual - r.target, Decimal(0)) for r in subject_rows), Decimal(0))
        bonus = rule.bonus_per_extra * extra
        if rule.max_bonus is not None:
            bonus = min(bonus, rule.max_bonus)
        points = _ratio(earned - rule.penalty_per_short * short + bonus)
        actual = sum((r.actual for r in subject_rows), Decimal(0))
        target = sum((r.target for r in subject_rows), Decimal(0))
        reason = f"{_plain(actual)}/{_plain(target)}，得 {_plain(_ratio(earned))}"
        if short and rule.penalty_per_short:
            reason += f"，差 {_plain(short)} 扣 {_plain(rule.penalty_per_short * short)}"
        if bonus:
            reason += f"，超 {_plain(extra)} 加 {_plain(bonus)}"
        if late.get(subject):
            reason += f"，逾期开工 {_plain(late[subject])} 个按 {_plain(rule.late_start_credit)} 个计"
        lines[subject] = ScoreLine(rule.id, title, points, reason)
    return lines


def _plain(value: Decimal) -> str:
    return f"{Decimal(value).normalize():f}"


def scores(targets: Targets, facts, year: Period, as_of: date) -> list[UnitScore]:
    """年终考核: every rule's points per unit, itemised; people's points go to their unit."""
    quotas = {q.id: q for q in targets.quotas}
    home = facts.person_units()
    per_unit: dict[str, list[ScoreLine]] = {unit: [] for unit in facts.subjects(EVERY_UNIT)}
    for rule in targets.scoring:
        if rule.quota is not None:
            lines = _score_quota(rule, quotas[rule.quota], facts, year, as_of)
        else:
            counted = facts.measure(rule.metric, rule.who, year.start, min(year.end, as_of), as_of)
            lines = {
                subject: ScoreLine(
                    rule.id,
                    rule.title,
                    _ratio(rule.points_each * value),
                    f"{_plain(value)} × {_plain(rule.points_each)}",
                )
                for subject, value in counted.items()
                if value
            }
        for subject, line in lines.items():
            unit = subject if subject in per_unit else home.get(subject, subject)
            if unit != subject:
                line = replace(line, reason=f"{subject}: {line.reason}")
            per_unit.setdefault(unit, []).append(line)
    totals = sorted(
        (
            (unit, sum((line.points for line in lines), Decimal(0)), lines)
            for unit, lines in per_unit.items()
            if lines and unit != REGION
        ),
        key=lambda t: -t[1],
    )
    out: list[UnitScore] = []
    for index, (unit, total, lines) in enumerate(totals):
        rank = out[-1].rank if out and out[-1].total == total else index + 1
        out.append(UnitScore(unit, _ratio(total), rank, tuple(lines)))
    if per_unit.get(REGION):  # region-wide rules: shown, not ranked (rank 0)
        lines = per_unit[REGION]
        out.append(UnitScore(REGION, _ratio(sum((line.points for line in lines), Decimal(0))), 0, tuple(lines)))
    return out


def alerts(targets: Targets, facts, as_of: date) -> list[Alert]:
    """What needs a push today: overdue starts, silent key projects, blank units, quotas behind."""
    month = month_period(as_of.year, as_of.month)
    found: list[Alert] = []
    open_projects = facts.projects_at(as_of, (Stage.negotiating, Stage.signed, Stage.started), month.start)
    for p in open_projects:
        if p.stage is Stage.signed and p.start_deadline is not None and p.start_deadline < as_of:
            late = (as_of - p.start_deadline).days
            found.append(
                Alert(
                    "overdue_start",
                    f"#{p.id} {p.name}",
                    f"开工时限 {p.start_deadline}，已超 {late} 天",
                    _responsible(p.unit, p.owner, p.leader),
                )
            )
    for p in open_projects:
        if p.key and not p.progress:
            found.append(
                Alert(
                    "silent_key_project",
                    f"#{p.id} {p.name}",
                    f"{as_of:%Y-%m} 无推进情况",
                    _responsible(p.unit, p.owner, p.leader),
                )
            )
    active = facts.active_units(month.start, as_of)
    for unit in facts.subjects(EVERY_UNIT):
        if unit not in active:
            found.append(Alert("blank_unit", unit, f"{as_of:%Y-%m} 无任何招商活动（空白）", unit))
    money_quotas = {q.id for q in targets.quotas if q.metric.is_money}
    for row in evaluate(targets.quotas, month, as_of, facts):
        if row.status == "behind":
            show = fmt.money if row.quota in money_quotas else _plain
            figures = f"{show(row.actual)}/{show(row.target)}，序时应达 {show(row.expected)}"
            subject = "全区" if row.subject == REGION else row.subject
            found.append(Alert("behind_quota", f"{row.title} · {subject}", f"{row.period}: {figures}", subject))
    return found


def _responsible(unit: str, owner: str | None, leader: str | None) -> str:
    people = "、".join(p for p in (owner, leader and f"包保 {leader}") if p)
    return f"{unit} {people}".strip()


def build(
    kind: str,
    targets: Targets,
    facts,
    window: Period,
    as_of: date,
    campaign_id: str | None = None,
    detail: bool = False,
) -> Report:
    """The report of a kind (month, quarter, year, campaign, rank, score, alerts) for a window at as_of;
    with `detail`, every record each quota row counted."""
    report = Report(kind, f"{targets.region}{window.label}{TITLES[kind]}", targets.region, window, as_of)
    if kind in ("month", "quarter", "year", "campaign"):
        quotas = (
            [q for q in targets.quotas if q.campaign and q.campaign.id == campaign_id]
            if kind == "campaign"
            else targets.quotas
        )
        rows = evaluate(quotas, window, as_of, facts)
        details = detail_rows(rows, quotas, facts, as_of) if detail else []
        formats = {q.id: q.metric.kind for q in quotas}
        report = replace(report, quotas=rows, details=details, formats=formats)
    if kind in ("quarter", "year", "campaign"):
        report = replace(report, units=unit_figures(facts, window, as_of))
    if kind == "month":
        report = replace(report, key_projects=key_projects(facts, min(window.end, as_of)))
    if kind in ("quarter", "year", "rank"):
        report = replace(report, rankings=[ranking_table(r, facts, window, as_of) for r in targets.rankings])
    if kind == "score":
        report = replace(report, scores=scores(targets, facts, year_period(window.start.year), as_of))
    if kind == "alerts":
        report = replace(report, alerts=alerts(targets, facts, as_of))
    return report
