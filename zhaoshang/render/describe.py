"""Quotas read aloud in the office's words: '每个镇街 每月 走访企业(家) ≥ 2'."""

from decimal import Decimal
from typing import TYPE_CHECKING

from zhaoshang.labels import label
from zhaoshang.quota import Bound, Metric, Per, Quota, Who
from zhaoshang.render.fmt import money

if TYPE_CHECKING:
    from zhaoshang.config import RankBy, Ranking, RedBlack, ScoreRule
    from zhaoshang.quota import Campaign

# A count's measure word, as a bulletin writes it after the number (外出招商5次, 过亿元项目4个).
MEASURE_WORDS = {
    "trips": "次",
    "visits": "次",
    "receptions": "次",
    "events": "场",
    "meetings": "次",
    "leads": "个",
    "projects": "个",
    "companies_visited": "家",
    "companies_met": "家",
}
METRIC_WORDS = {
    **{
        name: f"{words}({MEASURE_WORDS[name]})"
        for name, words in {
            "trips": "外出招商",
            "visits": "走访企业",
            "receptions": "接待客商",
            "events": "招商活动",
            "meetings": "调度会",
            "leads": "项目线索",
            "projects": "项目",
            "companies_visited": "走访企业",
            "companies_met": "拜访企业",
        }.items()
    },
    "funds": "到位资金",
    "investment": "项目总投资",
    "started_per_signed": "开工率",
}
PER_WORDS = {
    "week": "每周",
    "half_month": "每半月",
    "fortnight": "每双周",
    "month": "每月",
    "quarter": "每季度",
    "year": "全年",
    "campaign": "活动期间",
}


def whole(region: str = "") -> str:
    """The whole territory as a plan names it, after the region's own name: 文昌湖区 → 全区,
    聊城市 → 全市, 东阿县 → 全县; 全区 where the file names no region."""
    last = region[-1:]
    return f"全{last}" if last and last in "区市县州旗" else "全区"


def who(subjects: Who, region: str = "") -> str:
    if subjects.scope == "region":
        return whole(region)
    if subjects.scope == "units":
        return "、".join(subjects.units)
    if subjects.scope == "each_person":
        return f"{label(subjects.kind) if subjects.kind else ''}每位{label(subjects.role)}"
    return f"每个{label(subjects.kind)}"


def _any(codes: tuple) -> str:
    """Codes of a list filter as a reader says them: 深圳或广州 ("any of")."""
    return "或".join(label(c) for c in codes)


def metric(measure: Metric) -> str:
    w = measure.where
    if measure.name == "figure":
        return f"{w.name}(填报)"
    parts = [
        _any(w.tier),
        _any(w.origin),
        "重点" if w.key else "",
        "或".join(w.industry),
        f"{money(w.amount_at_least)}以上" if w.amount_at_least else "",
        f"{label(w.reached)}" if w.reached else "",
        f"{_any(w.at_event_type)}上" if w.at_event_type else "",
        f"处于{label(w.in_stage)}" if w.in_stage else "",
        f"{_any(w.led_by)}带队" if w.led_by else "",
        _any(w.mode),
        _any(w.event_type),
        f"赴{'或'.join(w.destination)}" if w.destination else "",
    ]
    qualifier = "".join(p for p in parts if p)
    return f"{qualifier}{'' if not qualifier else '·'}{METRIC_WORDS[measure.name]}"


def target(quota: Quota) -> str:
    return figure(quota.target, quota.metric.kind)


def measure_word(measure: Metric) -> str:
    """What a count of the metric is counted in (次, 个, 家, 场); nothing for money and rates."""
    return MEASURE_WORDS.get(measure.name, "") if measure.op == "count" else ""


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


def quota(q: Quota, region: str = "") -> str:
    """A quota in the office's words: 每个镇街 每月 走访企业(家) ≥ 2 (`region`: the file's, see `whole`)."""
    sign = "≤" if q.bound is Bound.at_most else "≥"
    if q.per is Per.until and q.by is not None:
        share = f"（{q.share_of}的{(q.share * 100).normalize():f}%）" if q.share is not None and q.share_of else ""
        when = f"{q.by.year}年1月1日至{q.by.month}月{q.by.day}日"
        return f"{who(q.who, region)} {when} {metric(q.metric)} {sign} {target(q)}{share}"
    return f"{who(q.who, region)} {PER_WORDS[q.per]} {metric(q.metric)} {sign} {target(q)}"


def rank_by(by: "RankBy", titles: dict[str, str] | None = None) -> str:
    """A ranking's column in words: a metric, or 指标 town-trips 完成率 / 序时进度; with the quotas'
    `titles` (id -> title), the quota by its title: 镇外出招商完成率."""
    if by.metric is not None:
        return metric(by.metric)
    measure = "完成率" if by.measure == "percent" else "序时进度比"
    if titles and by.quota in titles:
        return f"{titles[by.quota]}{measure}"
    return f"指标 {by.quota} {measure}"


def rank_kind(by: "RankBy") -> str:
    """How a ranking column's values read: its metric's kind, or a quota's percent / pace ratio."""
    if by.metric is not None:
        return by.metric.kind
    return "percent" if by.measure == "percent" else "decimal"


def rank_value(by: "RankBy", value: Decimal | None) -> str:
    if value is None:  # a ratio with nothing to divide by
        return "无数据"
    kind = rank_kind(by)
    if kind == "percent":
        return f"{value.normalize():f}%"
    if kind == "decimal":
        return f"{value:.2f}"
    return figure(value, kind)


def ranking(r: "Ranking", region: str = "") -> str:
    """每个镇街 每季度 按 省外·到位资金×0.4、外出招商(次)×0.6 排名."""
    columns = "、".join(f"{rank_by(b)}×{b.weight.normalize():f}" for b in r.by)
    return f"{who(r.among, region)} {PER_WORDS[r.per]} 按 {columns} 排名"


def rule(r: "ScoreRule", region: str = "") -> str:
    """A scoring rule in words: 指标 town-trips 10分（按比例），每差1扣1，… / 每个镇街 全年 签约·项目(个) 每个 2分."""
    if r.quota is None:
        assert r.metric is not None and r.who is not None  # config: a rule names a quota or a metric
        span = "活动期间" if r.campaign else "全年"
        words = f"{who(r.who, region)} {span} {metric(r.metric)} 每个 {r.points_each.normalize():f}分"
    else:
        words = f"指标 {r.quota} {r.points.normalize():f}分" + ("（按比例）" if r.partial else "")
        if r.penalty_per_short:
            words += f"，每差1扣{r.penalty_per_short.normalize():f}"
        if r.bonus_per_extra:
            words += f"，每超1加{r.bonus_per_extra.normalize():f}"
        if r.max_bonus is not None:
            words += f"，加分至多{r.max_bonus.normalize():f}"
        if r.late_start_credit is not None:
            words += f"，逾期开工按{r.late_start_credit.normalize():f}个计"
    if r.floor is not None:
        words += f"，最低{r.floor.normalize():f}分"
    return words


def red_black(item: "RedBlack") -> str:
    if item.ranking is not None:
        return f"竞赛榜 {item.ranking} 前{item.red}名红榜、后{item.black}名黑榜"
    share = (item.below_pace or Decimal(0)) * 100
    return f"指标 {item.quota} 低于序时进度{share.normalize():f}%者列黑榜"


def campaign(c: "Campaign") -> str:
    return f"{c.title} {c.start}~{c.end}"
