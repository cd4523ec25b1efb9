"""The sentences of a report, made from its typed values: one place for the terminal table, the JSON,
the workbook (and any document drawn from a report), so that they all say the same thing."""

from decimal import Decimal

from zhaoshang.quota import REGION, FigureKind
from zhaoshang.render.fmt import money
from zhaoshang.reports import (
    Alert,
    AlertKind,
    Basis,
    BulletinReport,
    KeyCategory,
    MonthReport,
    QuotaReport,
    RankReport,
    Report,
    ReportKind,
    ScoreLine,
    ScoreReport,
    rankings_of,
)

TITLES = {
    ReportKind.month: "月度汇总",
    ReportKind.quarter: "季度通报",
    ReportKind.year: "年度通报",
    ReportKind.campaign: "活动通报",
    ReportKind.rank: "竞赛榜",
    ReportKind.score: "年终考核",
    ReportKind.alerts: "预警",
}
ALERT_WORDS = {
    AlertKind.overdue_start: "超时限未开工",
    AlertKind.silent_key_project: "重点项目本月无进展",
    AlertKind.blank_unit: "空白单位",
    AlertKind.overdue_problem: "问题逾期未办结",
    AlertKind.behind_quota: "指标滞后",
    AlertKind.over_quota: "超出上限",
}
CATEGORY_WORDS = {KeyCategory.negotiating: "在谈未签约", KeyCategory.signed: "签约未落地"}
REGION_WORDS = "全区"


def title(report: Report) -> str:
    if isinstance(report, ScoreReport | RankReport) and report.campaign:
        return f"{report.region}{report.campaign}{'专项考核' if isinstance(report, ScoreReport) else '竞赛榜'}"
    return f"{report.region}{report.window.label}{TITLES[report.kind]}"


def subject(name: str, region: str = "") -> str:
    """A quota row's subject as a reader names it: the region-wide row is the region's name
    (聊城市), 全区 where the file names none."""
    return (region or REGION_WORDS) if name == REGION else name


def plain(value: Decimal | int) -> str:
    """A number without trailing zeros: 2.50 -> '2.5', 10.00 -> '10'."""
    return f"{Decimal(value).normalize():f}"


def _figure(value: Decimal | None, kind: FigureKind) -> str:
    if value is None:
        return "—"
    return money(value) if kind == "money" else plain(value)


def score_reason(line: ScoreLine) -> str:
    """依据: '2/4，得 5，差 2 扣 2', '3 × 0.5', '甲县/王伟: 2/2，得 10'."""
    if line.basis == Basis.no_data:
        reason = "无数据（无可计算的周期），不计分"
    elif line.basis == Basis.count:
        reason = f"{plain(line.actual)} × {plain(line.points_each or 0)}"
    elif line.ceiling:
        reason = f"{plain(line.actual)}/{plain(line.target)}（上限），得 {plain(line.earned)}"
    else:
        reason = f"{plain(line.actual)}/{plain(line.target)}，得 {plain(line.earned)}"
        if line.deduction:
            reason += f"，差 {plain(line.short)} 扣 {plain(line.deduction)}"
        if line.bonus:
            reason += f"，超 {plain(line.extra)} 加 {plain(line.bonus)}"
        if line.late:
            reason += f"，逾期开工 {plain(line.late)} 个按 {plain(line.late_credit or 0)} 个计"
    if line.floored:
        reason += f"，扣至保底 {plain(line.points)} 分"
    return f"{line.person}: {reason}" if line.person else reason


QUOTA_ALERTS = (AlertKind.behind_quota, AlertKind.over_quota)


def alert_subject(alert: Alert, region: str = "") -> str:
    if alert.kind in QUOTA_ALERTS:
        return f"{alert.quota_title} · {subject(alert.unit, region)}"
    if alert.project_id is not None:
        return f"#{alert.project_id} {alert.project}"
    return alert.unit


def alert_detail(alert: Alert) -> str:
    if alert.kind == AlertKind.overdue_start:
        return f"开工时限 {alert.deadline}，已超 {alert.days_late} 天"
    if alert.kind == AlertKind.silent_key_project:
        return f"{alert.month} 无推进情况"
    if alert.kind == AlertKind.overdue_problem:
        return f"{alert.problem}：办结时限 {alert.deadline}，已超 {alert.days_late} 天"
    if alert.kind == AlertKind.blank_unit:
        return f"{alert.month} 无任何招商活动（空白）"
    shown = [_figure(v, alert.figures) for v in (alert.actual, alert.target, alert.expected)]
    if alert.kind == AlertKind.over_quota:
        return f"{alert.period}: {shown[0]}，上限 {shown[1]}"
    return f"{alert.period}: {shown[0]}/{shown[1]}，序时应达 {shown[2]}"


def alert_responsible(alert: Alert, region: str = "") -> str:
    """Who answers for it: the unit, the responsible person, the leader in charge (包保)."""
    unit = subject(alert.unit, region) if alert.kind in QUOTA_ALERTS else alert.unit  # a quota's row may be 全区
    people = "、".join(p for p in (alert.owner, alert.leader and f"包保 {alert.leader}") if p)
    return f"{unit} {people}".strip()


def contents(report: Report) -> str:
    """What a written workbook holds, for the line that says it was written."""
    quotas = report.quotas if isinstance(report, QuotaReport) else []
    units = report.units if isinstance(report, BulletinReport) else []
    projects = report.key_projects if isinstance(report, MonthReport) else []
    rankings = rankings_of(report)
    details = report.details if isinstance(report, QuotaReport) else []
    return (
        f"{title(report)}, {len(quotas)} quota rows, {len(units)} units, {len(projects)} key projects, "
        f"{len(rankings)} rankings, {len(details)} records on the 明细 sheet"
    )
