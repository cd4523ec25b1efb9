"""Every code of the domain with its Chinese label and the spellings accepted on input.

Codes are English (stored in the ledger, used in JSON and targets.yaml); readers see the
first Chinese label; input accepts the code, any label or alias, in either language.
"""

from enum import StrEnum
from functools import cache
from typing import TypeVar

from zhaoshang.errors import ZsError


class UnitKind(StrEnum):
    center = "center"  # type: ignore[assignment]  # a member named like str.center
    town = "town"
    park = "park"
    department = "department"
    group = "group"
    county = "county"


class Role(StrEnum):
    main_leader = "main_leader"
    deputy = "deputy"
    staff = "staff"


class ActivityKind(StrEnum):
    trip = "trip"
    visit = "visit"
    reception = "reception"
    event = "event"
    meeting = "meeting"


class EventType(StrEnum):
    promotion = "promotion"
    fair = "fair"
    signing = "signing"
    training = "training"
    policy = "policy"
    speech = "speech"
    forum = "forum"
    other = "other"


class Mode(StrEnum):
    team = "team"
    quick = "quick"
    via_business = "via_business"
    self_run = "self_run"
    kinship = "kinship"
    door = "door"
    agency = "agency"
    resident = "resident"
    capital = "capital"
    chain = "chain"
    park = "park"
    digital = "digital"


class Stage(StrEnum):
    lead = "lead"
    negotiating = "negotiating"
    signed = "signed"
    started = "started"
    producing = "producing"
    dropped = "dropped"


class Origin(StrEnum):
    out_of_province = "out_of_province"
    foreign = "foreign"
    other_city = "other_city"
    local = "local"


class ProjectType(StrEnum):
    new = "new"
    expansion = "expansion"
    continuing = "continuing"


class Tier(StrEnum):
    """A company's standing, as the plans count companies (a company may have several)."""

    global500 = "global500"
    china500 = "china500"
    private500 = "private500"
    listed = "listed"
    industry100 = "industry100"
    soe = "soe"
    foreign = "foreign"


class Currency(StrEnum):
    """A currency other than the yuan that an amount may be typed in (1000万美元)."""

    USD = "USD"
    EUR = "EUR"
    HKD = "HKD"
    JPY = "JPY"
    GBP = "GBP"


class Status(StrEnum):
    met = "met"
    on_pace = "on_pace"
    behind = "behind"
    missed = "missed"
    not_applicable = "n/a"  # a rate with nothing to divide by
    within = "within"  # a ceiling (at_most) not passed, its period still running
    over = "over"  # a ceiling passed


class Coverage(StrEnum):
    """Where a plan's sentence stands in the quota file (`zs targets coverage`)."""

    encoded = "encoded"  # quotas, rankings, rules or campaigns carry it as their text:
    manual = "manual"  # listed under manual: (reported by hand)
    out_of_scope = "out_of_scope"  # listed under out_of_scope:, with a reason
    not_covered = "not_covered"  # a measurable sentence no item speaks for
    not_measurable = "not_measurable"  # asks for nothing a ledger counts


# The forward path of a project; `dropped` can be reached from any stage.
STAGE_PATH: tuple[Stage, ...] = (
    Stage.lead,
    Stage.negotiating,
    Stage.signed,
    Stage.started,
    Stage.producing,
)

# vocabulary -> code -> (display label, *other accepted spellings)
LABELS: dict[type[StrEnum], dict[str, tuple[str, ...]]] = {
    UnitKind: {
        UnitKind.center: ("投促中心", "投资促进中心", "中心"),
        UnitKind.town: ("镇街", "镇", "街道", "镇/街道"),
        UnitKind.park: ("园区", "开发区"),
        UnitKind.department: ("部门", "区直部门"),
        UnitKind.group: ("招商小组", "小组", "驻外招商中心", "招商分局"),
        UnitKind.county: ("县市区", "县", "区县", "县(市、区)", "县（市、区）"),
    },
    Role: {
        Role.main_leader: ("主要负责人", "主要领导", "一把手", "党政主要领导"),
        Role.deputy: ("分工负责人", "分管负责人", "分管领导", "副职"),
        Role.staff: ("工作人员", "一般人员", "科员"),
    },
    ActivityKind: {
        ActivityKind.trip: ("外出招商", "外出", "出访"),
        ActivityKind.visit: ("走访企业", "走访", "企业走访"),
        ActivityKind.reception: ("接待客商", "接待", "客商来访", "接待客商来访"),
        ActivityKind.event: ("招商活动", "活动"),
        ActivityKind.meeting: ("调度会", "会议"),
    },
    EventType: {
        EventType.promotion: ("推介会", "招商推介会"),
        EventType.fair: ("展会", "博览会", "交易会", "展销会"),
        EventType.signing: ("签约仪式", "集中签约"),
        EventType.training: ("培训会", "培训"),
        EventType.policy: ("政策发布会", "发布会"),
        EventType.speech: ("演讲比赛", "主题演讲比赛"),
        EventType.forum: ("论坛", "峰会", "对接会", "洽谈会"),
        EventType.other: ("其他活动", "其他"),
    },
    Mode: {
        Mode.team: ("小分队", "招商小分队", "小团组招商", "小分队招商"),
        Mode.quick: ("短频快", "短频快专题招商", "专题招商"),
        Mode.via_business: ("以商招商",),
        Mode.self_run: ("自主招商",),
        Mode.kinship: ("亲情招商", "乡贤招商"),
        Mode.door: ("登门招商", "上门招商"),
        Mode.agency: ("委托招商", "中介招商"),
        Mode.resident: ("驻点招商",),
        Mode.capital: ("资本招商", "基金招商"),
        Mode.chain: ("产业链招商", "链式招商"),
        Mode.park: ("园区招商",),
        Mode.digital: ("数字招商", "云招商", "网上招商"),
    },
    Stage: {
        Stage.lead: ("线索", "项目线索", "储备"),
        Stage.negotiating: ("在谈", "洽谈", "在谈项目", "洽谈中"),
        Stage.signed: ("签约", "已签约"),
        Stage.started: ("开工", "已开工", "新开工"),
        Stage.producing: ("投产", "已投产", "竣工投产"),
        Stage.dropped: ("终止", "已终止", "放弃"),
    },
    ProjectType: {
        ProjectType.new: ("新建", "新建项目", "新引进"),
        ProjectType.expansion: ("增资", "增资扩产", "增资项目", "扩建"),
        ProjectType.continuing: ("续建", "续建项目"),
    },
    Tier: {
        Tier.global500: ("世界500强", "世界五百强"),
        Tier.china500: ("中国500强", "中国五百强"),
        Tier.private500: ("民营500强", "民企500强", "中国民营企业500强"),
        Tier.listed: ("上市公司", "上市企业", "上市"),
        Tier.industry100: ("行业百强", "行业龙头", "行业100强"),
        Tier.soe: ("央企", "中央企业"),
        Tier.foreign: ("外资企业", "外企", "外资"),
    },
    Currency: {
        Currency.USD: ("美元", "美金"),
        Currency.EUR: ("欧元",),
        Currency.HKD: ("港元", "港币"),
        Currency.JPY: ("日元",),
        Currency.GBP: ("英镑",),
    },
    Status: {
        Status.met: ("已完成",),
        Status.on_pace: ("进度正常",),
        Status.behind: ("滞后",),
        Status.missed: ("未完成",),
        Status.not_applicable: ("无数据",),
        Status.within: ("未超出",),
        Status.over: ("超出",),
    },
    Coverage: {
        Coverage.encoded: ("已编码",),
        Coverage.manual: ("手工填报",),
        Coverage.out_of_scope: ("不纳入",),
        Coverage.not_covered: ("未覆盖",),
        Coverage.not_measurable: ("无量化要求",),
    },
    Origin: {
        Origin.out_of_province: ("省外", "省外资金", "省外到位资金"),
        Origin.foreign: ("外资", "境外", "外商"),
        Origin.other_city: ("省内市外", "市外省内", "市外"),
        Origin.local: ("省内", "本地", "市内"),
    },
}

E = TypeVar("E", bound=StrEnum)


def label(code: StrEnum | None) -> str:
    """The Chinese label readers see for a code."""
    if code is None:
        return ""
    return LABELS[type(code)][code][0]


@cache
def _spellings(vocabulary: type[E]) -> dict[str, E]:
    table: dict[str, E] = {}
    for member in vocabulary:
        table[member.value.lower()] = member
        for name in LABELS[vocabulary][member]:
            table[name] = member
    return table


def parse_code(vocabulary: type[E], text: str, field: str) -> E:
    """Read a code as a user types it: English code or Chinese label, case and spaces ignored."""
    key = str(text).strip().lower().replace("-", "_")
    found: E | None = _spellings(vocabulary).get(key)
    if found is None:
        from zhaoshang.suggest import did_you_mean

        choices = ", ".join(f"{m.value} {label(m)}" for m in vocabulary)
        raise ZsError(field, text, f"one of: {choices}", did_you_mean(key, _spellings(vocabulary)))
    return found
