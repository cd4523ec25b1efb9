"""Quotas read aloud in the office's words: '每个镇街 每月 走访企业(家) ≥ 2'."""

from decimal import Decimal

from zhaoshang.labels import label
from zhaoshang.quota import Metric, Quota, Who
from zhaoshang.render.fmt import money

METRIC_WORDS = {
    "trips": "外出招商(次)",
    "visits": "走访企业(次)",
    "receptions": "接待客商(次)",
    "events": "招商活动(场)",
    "meetings": "调度会(次)",
    "leads": "项目线索(个)",
    "projects": "项目(个)",
    "companies_visited": "走访企业(家)",
    "companies_met": "拜访企业(家)",
    "funds": "到位资金",
    "investment": "项目总投资",
    "started_per_signed": "开工率",
}
PER_WORDS = {"week": "每周", "month": "每月", "quarter": "每季度", "year": "全年", "campaign": "活动期间"}


def who(subjects: Who) -> str:
    if subjects.scope == "region":
        return "全区"
    if subjects.scope == "units":
        return "、".join(subjects.units)
    if subjects.scope == "each_person":
        return f"{label(subjects.kind) if subjects.kind else ''}每位{label(subjects.role)}"
    return f"每个{label(subjects.kind)}"


def metric(measure: Metric) -> str:
    w = measure.where
    if measure.name == "figure":
        return f"{w.name}(填报)"
    parts = [
        "或".join(label(t) for t in w.tier),
        label(w.origin) if w.origin else "",
        "重点" if w.key else "",
        w.industry or "",
        f"{money(w.amount_at_least)}以上" if w.amount_at_least else "",
        f"{label(w.reached)}" if w.reached else "",
        f"{label(w.led_by)}带队" if w.led_by else "",
        label(w.mode) if w.mode else "",
        label(w.event_type) if w.event_type else "",
        f"赴{w.destination}" if w.destination else "",
    ]
    qualifier = "".join(p for p in parts if p)
    return f"{qualifier}{'' if not qualifier else '·'}{METRIC_WORDS[measure.name]}"


def target(quota: Quota) -> str:
    return figure(quota.at_least, quota.metric.kind)


def figure(value: Decimal | None, kind: str) -> str:
    """A figure as readers expect it (kind from Metric.kind): money in 亿元/万元, a rate in %, a number;
    a dash where there is none (a rate with nothing to divide by)."""
    if value is None:
        return "—"
    if kind == "money":
        return money(value)
    if kind == "rate":
        return f"{(Decimal(value) * 100).normalize():f}%"
    return f"{Decimal(value).normalize():f}"


def quota(q: Quota) -> str:
    return f"{who(q.who)} {PER_WORDS[q.per]} {metric(q.metric)} ≥ {target(q)}"
