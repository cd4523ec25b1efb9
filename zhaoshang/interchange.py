"""The columns of the ledger's sheets: what `zs export` writes and `zs import` reads.

Each field has the header zs writes and the other names offices give it (Chinese or English).
A header may carry a money unit — 投资额(万元), 到位资金（亿元）, 金额(元) — that plain numbers are in;
without one (or `--money-unit`) a plain number in a money column is refused: 15000元 or 15000万?
"""

import re
import unicodedata
from dataclasses import dataclass

from zhaoshang.errors import ZsError
from zhaoshang.money import WAN, YI


@dataclass(frozen=True)
class Field:
    name: str
    header: str
    aliases: tuple[str, ...] = ()
    required: bool = False


ACTIVITY = (
    Field("date", "日期", ("活动日期", "时间", "开始日期", "外出日期", "走访日期", "接待日期", "date", "start"), True),
    Field("end_date", "结束日期", ("返回日期", "end", "end_date", "to_date")),
    Field("unit", "单位", ("责任单位", "填报单位", "招商单位", "unit"), True),
    Field("kind", "类型", ("活动类型", "形式", "事项", "kind", "type"), True),
    Field("leader", "带队领导", ("带队人", "带队", "领导", "leader")),
    Field("joint_units", "联合单位", ("参与单位", "协同单位", "联合招商单位", "joint_units", "units")),
    Field("participants", "参与人员", ("同行人员", "随行人员", "参加人员", "participants", "with")),
    Field("signed_here", "现场签约", ("现场签约项目", "signed_here")),
    Field("mode", "招商方式", ("方式", "mode")),
    Field("destination", "目的地", ("地点", "外出地点", "地区", "destination", "place", "to")),
    Field("companies", "企业", ("企业名称", "对接企业", "走访企业", "客商", "company", "companies")),
    Field("projects", "关联项目", ("项目", "project", "projects")),
    Field("note", "备注", ("说明", "情况", "note", "notes")),
    Field("void_reason", "作废原因", ("void_reason",)),
    Field("source_key", "编号"),
)

PROJECT = (
    Field("name", "项目名称", ("项目", "名称", "name", "project"), True),
    Field("unit", "招引单位", ("单位", "责任单位", "unit"), True),
    Field("amount", "投资额", ("总投资", "计划总投资", "投资总额", "amount", "investment"), True),
    Field("stage", "阶段", ("项目阶段", "进展阶段", "状态", "stage")),
    Field("lead_date", "线索日期", ("lead_date",)),
    Field("negotiating_date", "在谈日期", ("洽谈日期", "negotiating_date")),
    Field("signed_date", "签约日期", ("signed_date", "签约时间")),
    Field("started_date", "开工日期", ("started_date", "开工时间")),
    Field("producing_date", "投产日期", ("producing_date", "投产时间")),
    Field("dropped_date", "终止日期", ("dropped_date",)),
    Field("owner", "责任人", ("owner",)),
    Field("leader", "包保领导", ("顶格推进领导", "分管领导", "leader")),
    Field("company", "企业", ("投资企业", "企业名称", "投资方", "company")),
    Field("industry", "产业", ("所属产业", "行业", "industry")),
    Field("key", "重点项目", ("重点", "key")),
    Field("deadline", "开工时限", ("deadline", "start_deadline")),
    Field("type", "项目类型", ("建设性质", "新建/增资", "type")),
    Field("increase", "增资额", ("新增投资", "增资金额", "increase")),
    Field("funds", "到位资金", ("funds",)),
    Field("origin", "资金来源", ("来源", "origin")),
    Field("funds_date", "到位日期", ("funds_date",)),
    Field("note", "推进情况", ("备注", "本月推进情况", "note")),
    Field("source_key", "编号"),
)
FUND = (
    Field("project", "项目名称", ("项目", "project"), True),
    Field("amount", "金额", ("到位资金", "amount"), True),
    Field("origin", "来源", ("资金来源", "origin"), True),
    Field("date", "日期", ("到位日期", "date"), True),
    Field("note", "备注", ("note",)),
    Field("void_reason", "作废原因", ("void_reason",)),
)
NOTE = (
    Field("project", "项目名称", ("项目", "project"), True),
    Field("date", "日期", ("date",), True),
    Field("text", "内容", ("推进情况", "text"), True),
    Field("problem", "问题", ("是否问题", "problem")),
    Field("assignee", "问题责任人", ("责任单位", "assignee")),
    Field("due", "办结时限", ("时限", "due")),
    Field("resolved_on", "办结日期", ("resolved_on",)),
    Field("resolution", "办结情况", ("resolution",)),
)
FIGURE = (
    Field("name", "名称", ("指标", "指标名称", "name"), True),
    Field("period", "期间", ("时期", "月份", "period"), True),
    Field("unit", "单位", ("填报单位", "unit")),
    Field("amount", "数值", ("金额", "完成值", "value", "amount"), True),
    Field("note", "备注", ("note",)),
    Field("void_reason", "作废原因", ("void_reason",)),
)
UNIT = (Field("name", "单位", ("名称", "name"), True), Field("kind", "类型", ("kind",), True))
PERSON = (
    Field("name", "姓名", ("name",), True),
    Field("unit", "单位", ("unit",), True),
    Field("role", "职务", ("角色", "role")),
)
COMPANY = (
    Field("name", "企业名称", ("企业", "客商", "客商名称", "公司名称", "单位名称", "name", "company"), True),
    Field("tiers", "类别", ("企业类别", "企业类型", "企业性质", "类型", "tier", "tiers")),
    Field("origin", "来源地", ("所在地", "地区", "所在地区", "origin")),
    Field("industry", "产业", ("所属产业", "行业", "所属行业", "industry")),
    Field("contact", "联系方式", ("联系人", "联系电话", "联系人及电话", "contact")),
)
# A row's own key in its 台账 (`zs import --key 编号`): written by `zs export` under 编号, read only
# under the column --key names (without it, a 编号 column is one zs does not use, as 序号 is).
SOURCE_KEY = "source_key"
SHEETS = {
    "units": ("单位", UNIT),
    "people": ("人员", PERSON),
    "activities": ("活动", ACTIVITY),
    "projects": ("项目", PROJECT),
    "funds": ("到位资金", FUND),
    "notes": ("推进情况", NOTE),
    "companies": ("客商库", COMPANY),
    "figures": ("填报数据", FIGURE),
}

_MONEY_UNIT = re.compile(r"[(（](亿元|万元|元|亿|万)[)）]$")
SCALES = {"亿元": YI, "亿": YI, "万元": WAN, "万": WAN, "元": 1}


def _key(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text))).lower()


@dataclass(frozen=True)
class Column:
    index: int
    header: str
    field: str
    scale: int | None = None  # yuan per plain number, from a unit in the header: 投资额(万元) -> 10000


def _names(fields: tuple[Field, ...], extra: dict[str, str]) -> dict[str, str]:
    """Header (as `_key` folds it) -> field name: each field's header, aliases and English name,
    and the headers `extra` maps to a field (--map, its target named in Chinese or in English)."""
    names = {}
    for f in fields:
        for alias in (f.header, *f.aliases, f.name):
            names[_key(alias)] = f.name
    known = {f.name for f in fields}
    headers_of = dict(names)  # a field named in Chinese as the README lists it (日期) as well as in English
    for source, target in extra.items():
        field = target if target in known else headers_of.get(_key(target))
        if field is None:
            wanted = ", ".join(f"{f.name} {f.header}" for f in fields)
            raise ZsError("--map", f"{source}={target}", f"a field among {wanted}")
        names[_key(source)] = field
    return names


def _field_of(header: str, names: dict[str, str]) -> tuple[str | None, int | None]:
    """The field a header names (None if none) and the money unit it carries (投资额(万元) -> 10000)."""
    key = _key(header)
    unit = _MONEY_UNIT.search(unicodedata.normalize("NFKC", header))
    if key not in names and unit:
        key = _key(header[: unit.start()])
    return names.get(key), SCALES[unit.group(1)] if unit else None


def header_test(fields: tuple[Field, ...], extra: dict[str, str]):
    """Whether a row of a sheet is its header row: it names every required field, or at least two
    fields. A title above the header (文昌湖区2023年外出招商台账, 填报单位：萧镇  单位：万元) names none."""
    names = _names(fields, extra)
    required = {f.name for f in fields if f.required}

    def is_header(cells: list[str]) -> bool:
        named = {_field_of(c, names)[0] for c in cells if c} - {None}
        return len(named) >= 2 or (bool(required) and required <= named)

    return is_header


def keyed(fields: tuple[Field, ...], key: str | None) -> tuple[Field, ...]:
    """The fields read from a sheet: its key under the header `key` names (--key), if any."""
    plain = tuple(f for f in fields if f.name != SOURCE_KEY)
    return plain if key is None else (*plain, Field(SOURCE_KEY, key))


def map_headers(headers: list[str], fields: tuple[Field, ...], extra: dict[str, str], where: str) -> list[Column]:
    """Which column holds which field. `extra` maps a header of the file to a field name (--map)."""
    names = _names(fields, extra)
    columns, seen = [], set()
    for index, header in enumerate(headers):
        if not header:
            continue
        field, scale = _field_of(header, names)
        if field is None or field in seen:
            continue  # columns zs does not use are ignored (序号, 合计 …)
        seen.add(field)
        columns.append(Column(index, header, field, scale))
    missing = [f for f in fields if f.required and f.name not in seen]
    if missing:
        wanted = "; ".join(f"{f.header} ({'/'.join(f.aliases[:3])})" for f in missing)
        raise ZsError(where, ", ".join(h for h in headers if h), f"columns for {wanted}; name others with --map")
    return columns


def parse_map(pairs: list[str] | None) -> dict[str, str]:
    found = {}
    for pair in pairs or []:
        source, sep, target = pair.partition("=")
        if not sep or not source.strip() or not target.strip():
            raise ZsError("--map", pair, "HEADER=FIELD, e.g. --map 外出时间=日期 (or =date)")
        found[source.strip()] = target.strip()
    return found
