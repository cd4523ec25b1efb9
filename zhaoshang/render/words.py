"""The sentences of a report, made from its typed values: one place for the terminal table, the JSON,
the workbook (and any document drawn from a report), so that they all say the same thing."""

import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.labels import STAGE_PATH, Stage, label
from zhaoshang.money import WAN
from zhaoshang.quota import REGION, FigureKind
from zhaoshang.render.fmt import money
from zhaoshang.reports import (
    Alert,
    AlertKind,
    AlertsReport,
    Basis,
    BulletinReport,
    CampaignReport,
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

ALERT_WORDS = {
    AlertKind.overdue_start: "超时限未开工",
    AlertKind.silent_key_project: "重点项目本月无进展",
    AlertKind.blank_unit: "空白单位",
    AlertKind.overdue_problem: "问题逾期未办结",
    AlertKind.behind_quota: "指标滞后",
    AlertKind.over_quota: "超出上限",
    AlertKind.will_miss: "按进度将完不成",
}
CATEGORY_WORDS = {KeyCategory.negotiating: "在谈未签约", KeyCategory.signed: "签约未落地"}
REGION_WORDS = "全区"
# What a printed report calls itself after the region and the period: 文昌湖区2023年第三季度招商引资工作通报.
DOCUMENT_TITLES = {
    ReportKind.month: "招商引资工作月度汇总",
    ReportKind.quarter: "招商引资工作通报",
    ReportKind.year: "招商引资工作通报",
    ReportKind.campaign: "工作通报",
    ReportKind.rank: "招商引资竞赛榜",
    ReportKind.score: "招商引资工作考核",
    ReportKind.alerts: "招商引资工作预警",
}
NUMERALS = "〇一二三四五六七八九十"
PERIOD_FORMS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (re.compile(r"(\d{4})"), lambda m: f"{m[1]}年"),
    (re.compile(r"(\d{4})H([12])"), lambda m: f"{m[1]}年{'上' if m[2] == '1' else '下'}半年"),
    (re.compile(r"(\d{4})Q([1-4])"), lambda m: f"{m[1]}年第{NUMERALS[int(m[2])]}季度"),
    (re.compile(r"(\d{4})-(0[1-9]|1[0-2])"), lambda m: f"{m[1]}年{int(m[2])}月"),
    (re.compile(r"(\d{4})-(\d{2})-H([12])"), lambda m: f"{m[1]}年{int(m[2])}月{'上' if m[3] == '1' else '下'}半月"),
    (re.compile(r"(\d{4})-W(\d{2})"), lambda m: f"{m[1]}年第{int(m[2])}周"),
    (re.compile(r"(\d{4})-F(\d{2})"), lambda m: f"{m[1]}年第{int(m[2])}个双周"),
    (re.compile(r"(\d{4}-\d{2}-\d{2})~(\d{4}-\d{2}-\d{2})"), lambda m: span(*map(date.fromisoformat, m.groups()))),
)


def period(label: str, campaigns: dict[str, str] | None = None) -> str:
    """A period's label as an office writes it: 2023 -> 2023年, 2023Q3 -> 2023年第三季度, 2023-09 ->
    2023年9月, 2023-W07 -> 2023年第7周; a campaign's id (or its fortnight, id-F2) by its title from
    `campaigns` (id -> title). Anything else as it is."""
    for pattern, form in PERIOD_FORMS:
        found = pattern.fullmatch(label)
        if found:
            return form(found)
    campaigns = campaigns or {}
    if label in campaigns:
        return campaigns[label]
    fortnight = re.fullmatch(r"(.+)-F(\d+)", label)
    if fortnight and fortnight[1] in campaigns:
        return f"{campaigns[fortnight[1]]}第{int(fortnight[2])}个双周"
    return label


def campaign_titles(report: Report) -> dict[str, str]:
    """A campaign's id -> its title, for the periods of its own rankings and quotas."""
    title = getattr(report, "campaign_title", "")
    campaign = getattr(report, "campaign", None)
    return {campaign: title} if campaign and title else {}


def day(value: date) -> str:
    """2023年9月30日."""
    return f"{value.year}年{value.month}月{value.day}日"


def month_day(value: date) -> str:
    """9月30日."""
    return f"{value.month}月{value.day}日"


def unseasoned(seasonal_years: int) -> str:
    """Why a forecast has no seasonal projection: earlier years reached nothing by this day, or the
    ledger holds no earlier year of the period."""
    return "往年同期为0" if seasonal_years else "无往年数据"


def must_land(end: date, stage: Stage) -> str:
    """By when a candidate standing in `stage` must make its next one: 须于12月31日前签约."""
    return f"须于{month_day(end)}前{label(STAGE_PATH[STAGE_PATH.index(stage) + 1])}"


def span(start: date, end: date) -> str:
    """Days from `start` to `end` as a bulletin writes them: 2023年9月 (a whole month), 2023年1—9月
    (whole months of a year), 2023年7月1日—9月30日, 2023年12月30日—2024年1月2日."""
    whole_months = start.day == 1 and (end + timedelta(days=1)).day == 1
    if whole_months and start.year == end.year:
        if start.month == end.month:
            return f"{start.year}年{start.month}月"
        return f"{start.year}年{start.month}—{end.month}月"
    if start.year == end.year:
        return f"{day(start)}—{month_day(end)}"
    return f"{day(start)}—{day(end)}"


def report_period(report: Report) -> str:
    """The period a report covers in words: 2023年第三季度, a campaign's title."""
    if isinstance(report, CampaignReport) and report.campaign_title:
        return report.campaign_title
    return period(report.window.label)


def document_title(report: Report) -> str:
    """The heading of a printed report: 文昌湖区2023年第三季度招商引资工作通报; a campaign's
    文昌湖区"招商引资攻坚月"活动工作通报 by its own title."""
    if isinstance(report, ScoreReport | RankReport) and report.campaign:
        what = "专项考核" if isinstance(report, ScoreReport) else "竞赛榜"
        return f"{report.region}{report.campaign_title or report.campaign}{what}"
    if isinstance(report, ScoreReport):
        return f"{report.region}{report.window.start.year}年度{DOCUMENT_TITLES[report.kind]}"
    if isinstance(report, AlertsReport):
        return f"{report.region}{DOCUMENT_TITLES[report.kind]}"
    return f"{report.region}{report_period(report)}{DOCUMENT_TITLES[report.kind]}"


def window_line(report: Report, days: tuple[date, date] | None = None) -> str:
    """The line under a printed report's title: 统计期间：2023年7月1日—9月30日　截至2023年9月30日.
    `days`: a table's own span where it is not the report's (a ranking of the year to date in a
    quarter's bulletin)."""
    if isinstance(report, AlertsReport):
        return f"截至{day(report.as_of)}"
    start, end = days or (report.window.start, report.window.end)
    return f"统计期间：{span(start, min(end, report.as_of))}　截至{day(report.as_of)}"


def wan(yuan: int | Decimal) -> Decimal:
    """Yuan in 万元, exact (a yuan is 0.0001万元): 60000000 -> 6000, 12345 -> 1.2345."""
    return Decimal(yuan) / WAN


def percent(part: Decimal, whole: Decimal) -> Decimal:
    """part ÷ whole in percent, to a whole percent as bulletins write it (74%, 105%)."""
    return (part * 100 / whole).quantize(Decimal(1), ROUND_HALF_UP)


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


# How the periods of a quota are counted in words: 12个月, 4个季度, 26个双周.
PERIOD_COUNTERS = {
    "week": "周",
    "half_month": "个半月",
    "fortnight": "个双周",
    "month": "个月",
    "quarter": "个季度",
    "year": "年",
    "campaign": "期",
}


def score_reason(line: ScoreLine, printed: bool = False) -> str:
    """依据: '2/4，得 5，差 2 扣 2', '3 × 0.5', '甲县/王伟: 2/2，得 10', money in 亿元/万元; a quota
    scored period by period says how many periods met it: '44/44，10/11个月达标，得 18.18'.

    `printed`, as a bulletin writes it (the workbook, the Word document): the rule's title, the share
    reached and 分, '省外到位资金 3.7亿元/5亿元，完成74%，得14.8分'."""
    actual, target = _figure(line.actual, line.figures), _figure(line.target, line.figures)
    points = "分" if printed else ""
    gap = "" if printed else " "
    if line.basis == Basis.no_data:
        reason = "无数据（无可计算的周期），不计分"
    elif line.basis == Basis.count:
        reason = f"{plain(line.actual)} × {plain(line.points_each or 0)}"
        if printed:
            reason = f"{line.title} {plain(line.actual)}个×{plain(line.points_each or 0)}分，得{plain(line.points)}分"
    else:
        share = f"{actual}/{target}"
        if printed:
            share = f"{line.title} {share}"
            if line.target and not line.ceiling:
                share += f"，完成{percent(line.actual, line.target)}%"
        if line.periods > 1:  # a monthly quota over a year: the sums alone hide the months missed
            word = PERIOD_COUNTERS.get(line.per, "期")
            kept = "未超" if line.ceiling else "达标"
            share += (
                f"，{line.periods}{word}中{line.periods_met}{word}{kept}"
                if printed
                else f"，{line.periods_met}/{line.periods}{word}{kept}"
            )
        reason = f"{share}{'（上限）' if line.ceiling else ''}，得{gap}{plain(line.earned)}{points}"
        if line.deduction and not line.ceiling:
            short = _figure(line.short, line.figures)
            reason += f"，差{gap}{short}{gap}扣{gap}{plain(line.deduction)}{points}"
        if line.bonus and not line.ceiling:
            reason += f"，超{gap}{_figure(line.extra, line.figures)}{gap}加{gap}{plain(line.bonus)}{points}"
        if line.late and not line.ceiling:
            reason += f"，逾期开工{gap}{plain(line.late)}{gap}个按{gap}{plain(line.late_credit or 0)}{gap}个计"
    if line.floored:
        reason += f"，扣至保底{gap}{plain(line.points)}{gap}分"
    if line.person:
        return f"{line.person}{'：' if printed else ': '}{reason}"
    return reason


QUOTA_ALERTS = (AlertKind.behind_quota, AlertKind.over_quota)


def alert_subject(alert: Alert, region: str = "") -> str:
    if alert.kind in QUOTA_ALERTS:
        return f"{alert.quota_title} · {subject(alert.unit, region)}"
    if alert.project_id is not None:
        return f"#{alert.project_id} {alert.project}"
    return subject(alert.unit, region) if alert.kind == AlertKind.will_miss else alert.unit


def alert_detail(alert: Alert) -> str:
    """What is wrong, with dates and periods as an office writes them: 开工时限2023年3月15日，已超16天."""
    if alert.kind == AlertKind.overdue_start:
        return f"开工时限{day(alert.deadline) if alert.deadline else ''}，已超{alert.days_late}天"
    if alert.kind == AlertKind.silent_key_project:
        return f"{period(alert.month or '')}无推进情况"
    if alert.kind == AlertKind.overdue_problem:
        return f"{alert.problem}：办结时限{day(alert.deadline) if alert.deadline else ''}，已超{alert.days_late}天"
    if alert.kind == AlertKind.blank_unit:
        return f"{period(alert.month or '')}无任何招商活动（空白）"
    if alert.kind == AlertKind.will_miss:
        return "；".join(
            f"{m.title}（{period(m.period)}）预计{_figure(m.projected, m.figures)}，目标{_figure(m.target, m.figures)}"
            for m in alert.misses
        )
    shown = [_figure(v, alert.figures) for v in (alert.actual, alert.target, alert.expected)]
    if alert.kind == AlertKind.over_quota:
        return f"{period(alert.period or '')}：{shown[0]}，上限{shown[1]}"
    return f"{period(alert.period or '')}：{shown[0]}/{shown[1]}，序时应达{shown[2]}"


def alert_responsible(alert: Alert, region: str = "") -> str:
    """Who answers for it: the unit, the responsible person, the leader in charge (包保)."""
    unit = alert.unit
    if alert.kind in QUOTA_ALERTS or alert.kind == AlertKind.will_miss:
        unit = subject(alert.unit, region)  # a quota's row may be 全区
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
        f"{document_title(report)}, {len(quotas)} quota rows, {len(units)} units, {len(projects)} key projects, "
        f"{len(rankings)} rankings, {len(details)} records on the 明细 sheet"
    )
