"""The prose of a Word 通报, drafted from a report's figures: every sentence comes from a template in
`SENTENCES`, so an office rewords its bulletin here (keep each {name}; the figures fill them).

The figures are the report's own, written as its tables write them: counts as they are with their
measure word (外出招商5次, 过亿元项目4个), money in 亿元/万元 (`fmt.money`), shares to a whole percent
rounded half up, days as 9月30日. Nothing is computed here that the report does not hold but a
quota's remainder (target − actual), so that every number in the prose can be found in the tables
and in `--json`.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from zhaoshang.labels import Status
from zhaoshang.quota import REGION, Bound, FigureKind, QuotaRow
from zhaoshang.render import words
from zhaoshang.render.describe import figure, measure_word
from zhaoshang.reports import Alert, AlertKind, BulletinReport, QuotaReport

SENTENCES = {
    # 一、总体情况
    "overall": "截至{as_of}，{subject}{title}{actual}，完成{period}目标{target}的{percent}。",
    "overall_unreached": "截至{as_of}，{subject}{title}{actual}，{period}目标{target}。",
    "overall_ceiling": "截至{as_of}，{subject}{title}{actual}，{period}上限{target}。",
    "overall_columns": "统计期间，{subject}{items}。",
    "column": "{title}{value}",
    "no_quota": "本期无可通报的指标。",
    # 二、各单位情况
    "unit": "{unit}：{items}。",
    # 三、存在问题
    "behind": "{subject}：{title}，{period}完成{actual}，目标{target}，序时应达{expected}，进度滞后。",
    "missed": "{subject}：{title}，{period}完成{actual}，未完成目标{target}。",
    "over": "{subject}：{title}，{period}{actual}，超出上限{target}。",
    "blank_units": "{month}无任何招商活动的单位：{units}。",
    "overdue_start": "{project}（{unit}）开工时限{deadline}，已超{days}天未开工。",
    "overdue_problem": "{project}（{unit}）“{problem}”办结时限{deadline}，已超{days}天。",
    "silent_project": "{project}（{unit}）{month}无推进情况。",
    "no_problem": "本期各项指标进度正常，无空白单位、逾期未开工项目和逾期未办结问题。",
    # 四、下一步工作
    "remaining": "{subject}：{title}还需{remaining}，须于{end}前完成（{period}目标{target}）。",
    "no_remaining": "各项指标均已完成或进度正常，继续保持。",
}
SEPARATOR = "，"  # between the items of one sentence (a unit's figures)
PER_UNIT_HEADING = "二、各单位情况"
HEADINGS = ("一、总体情况", PER_UNIT_HEADING, "三、存在问题", "四、下一步工作")


@dataclass(frozen=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...]


def share(row: QuotaRow) -> str:
    return f"{words.percent(row.actual or Decimal(0), row.target)}%"


def _fields(row: QuotaRow, kind: FigureKind, region: str, measure: str = "") -> dict[str, str]:
    """A row's fields as the sentences write them; `measure` follows a count (5次)."""
    return {
        "subject": words.subject(row.subject, region),
        "title": row.title,
        "period": words.period(row.period),
        "actual": _counted(row.actual, kind, measure),
        "target": _counted(row.target, kind, measure),
        "expected": _counted(row.expected, kind, measure),
        "end": words.day(row.end),
    }


def _counted(value: Decimal | None, kind: FigureKind, measure: str) -> str:
    shown = figure(value, kind)
    return f"{shown}{measure}" if value is not None and kind == "count" else shown


def _row_fields(report: QuotaReport, row: QuotaRow) -> tuple[FigureKind, dict[str, str]]:
    kind = report.formats.get(row.quota, "count")
    return kind, _fields(row, kind, report.region, report.measures.get(row.quota, ""))


def _latest(rows: Sequence[QuotaRow]) -> list[QuotaRow]:
    """Each quota's region-wide row of the latest period (a monthly quota in a quarter: its last month)."""
    latest: dict[str, QuotaRow] = {}
    for row in rows:
        if row.subject == REGION and (row.quota not in latest or row.start >= latest[row.quota].start):
            latest[row.quota] = row
    return list(latest.values())


def overall(report: QuotaReport) -> list[str]:
    as_of = words.month_day(min(report.as_of, report.window.end))
    out = []
    for row in _latest(report.quotas):
        kind, fields = _row_fields(report, row)
        fields |= {"as_of": as_of}
        if row.bound == Bound.at_most:
            out.append(SENTENCES["overall_ceiling"].format(**fields))
        elif row.target and row.actual is not None and kind != "rate":
            out.append(SENTENCES["overall"].format(**fields, percent=share(row)))
        else:
            out.append(SENTENCES["overall_unreached"].format(**fields))
    if isinstance(report, BulletinReport) and report.totals:
        items = _items(report, report.totals)
        out.append(SENTENCES["overall_columns"].format(subject=report.region or words.REGION_WORDS, items=items))
    return out or [SENTENCES["no_quota"]]


def _items(report: BulletinReport, values: Sequence[Decimal]) -> str:
    return SEPARATOR.join(
        SENTENCES["column"].format(title=c.title, value=_counted(v, c.metric.kind, measure_word(c.metric)))
        for c, v in zip(report.columns, values, strict=True)
    )


def per_unit(report: QuotaReport) -> list[str]:
    if not isinstance(report, BulletinReport):
        return []
    return [SENTENCES["unit"].format(unit=u.unit, items=_items(report, u.values)) for u in report.units]


def problems(report: QuotaReport, alerts: Sequence[Alert]) -> list[str]:
    out = []
    for row in report.quotas:
        template = {Status.behind: "behind", Status.missed: "missed", Status.over: "over"}.get(row.status)
        if template:
            out.append(SENTENCES[template].format(**_row_fields(report, row)[1]))
    blank: dict[str, list[str]] = {}
    for alert in alerts:
        if alert.kind == AlertKind.blank_unit:
            blank.setdefault(alert.month or "", []).append(alert.unit)
    for month, units in blank.items():
        out.append(SENTENCES["blank_units"].format(month=words.period(month), units="、".join(units)))
    for alert in alerts:
        fields = {
            "project": f"{alert.project or ''}",
            "unit": alert.unit,
            "deadline": words.day(alert.deadline) if alert.deadline else "",
            "days": alert.days_late,
            "problem": alert.problem or "",
            "month": words.period(alert.month or ""),
        }
        if alert.kind == AlertKind.overdue_start:
            out.append(SENTENCES["overdue_start"].format(**fields))
        elif alert.kind == AlertKind.overdue_problem:
            out.append(SENTENCES["overdue_problem"].format(**fields))
        elif alert.kind == AlertKind.silent_key_project:
            out.append(SENTENCES["silent_project"].format(**fields))
    return out or [SENTENCES["no_problem"]]


def next_steps(report: QuotaReport) -> list[str]:
    """What each behind quota row still needs, by the end of its period."""
    out = []
    for row in report.quotas:
        if row.status != Status.behind or row.bound != Bound.at_least or row.actual is None:
            continue
        kind, fields = _row_fields(report, row)
        if kind == "rate":
            continue  # a rate has no remainder to do: its share is named under 三、存在问题
        remaining = _counted(row.target - row.actual, kind, report.measures.get(row.quota, ""))
        fields |= {"remaining": remaining}
        out.append(SENTENCES["remaining"].format(**fields))
    return out or [SENTENCES["no_remaining"]]


def sections(report: QuotaReport, alerts: Sequence[Alert]) -> Iterator[Section]:
    """The four parts of a 通报, in order."""
    parts = (overall(report), per_unit(report), problems(report, alerts), next_steps(report))
    for heading, paragraphs in zip(HEADINGS, parts, strict=True):
        if heading == PER_UNIT_HEADING and not isinstance(report, BulletinReport):
            continue  # a month's summary has no per-unit table
        yield Section(heading, tuple(paragraphs))
