"""targets.yaml -> a validated, typed `Targets` value. Every refusal names the file and the line.

The YAML is composed into nodes first so that each value keeps the line it came from. The file is
read as an attacker might write it: what a plan never needs (anchors and aliases, explicit tags,
merge keys, deep nesting, repeated or non-scalar keys) is refused before anything is constructed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from zhaoshang.errors import ZsError
from zhaoshang.labels import Currency, EventType, Mode, Origin, Role, Stage, Tier, UnitKind, label, parse_code
from zhaoshang.money import YI
from zhaoshang.parse import FIRST_DAY, LAST_DAY, check_text, parse_date, parse_money
from zhaoshang.paths import open_input
from zhaoshang.quota import (
    ACTIVITY_COUNTS,
    ACTIVITY_FILTERS,
    COUNTS,
    FILTERS,
    LIST_FILTERS,
    PERIODS,
    PROJECT_FILTERS,
    RATES,
    STOCK_FILTERS,
    SUMS,
    Bound,
    Campaign,
    Filter,
    Metric,
    Op,
    Per,
    Quota,
    Scope,
    Who,
)

MAX_BYTES = 1_000_000  # the shipped plan is 6 KB; a megabyte is a plan no office writes by hand
MAX_DEPTH = 20  # the deepest plan nests 9 levels (campaigns > quotas > who > units > name)
SHEET_NAME_LENGTH = 31  # the longest an xlsx sheet title may be
SHEET_UNSAFE = "/\\:*?[]"  # characters an xlsx sheet title cannot hold
TEXT_LENGTH = 100
# The years `year:` accepts. Campaign dates stay inside them, far from date's limits (0001, 9999):
# every period around a campaign (its first week, a quarter it ends in) is then a real date.
# A campaign is a season or a three- or five-year action plan (三年行动); one of decades would split
# each weekly quota into thousands of periods, and every report over it into as many rows.
CAMPAIGN_YEARS = 10
NUMBER_LIMIT, NUMBER_PLACES = Decimal(10) ** 9, 6
NULL = "tag:yaml.org,2002:null"


@dataclass(frozen=True)
class PersonSpec:
    name: str
    unit: str
    role: Role
    line: int = field(default=0, compare=False)


@dataclass(frozen=True)
class PlanNote:
    """A measurable sentence of the plan that no quota encodes: reported by hand (`manual:`) or out
    of scope (`out_of_scope:`), with the reason."""

    text: str
    reason: str


@dataclass(frozen=True)
class BulletinColumn:
    """A column of the bulletin's per-unit table: a quota's metric (by its id) or a metric of its own."""

    id: str
    title: str
    metric: Metric


# The bulletin's columns when the file names none (seeds/000: 省外到位资金、新引进过亿元项目、签约项目、外出招商).
DEFAULT_BULLETIN = (
    BulletinColumn(
        "outside_funds_yuan", "省外到位资金", Metric(Op.sum, "funds", Filter(origin=(Origin.out_of_province,)))
    ),
    BulletinColumn(
        "big_projects",
        "新引进过亿元项目",
        Metric(Op.count, "projects", Filter(reached=Stage.signed, amount_at_least=YI)),
    ),
    BulletinColumn("signed_projects", "签约项目", Metric(Op.count, "projects", Filter(reached=Stage.signed))),
    BulletinColumn("trips", "外出招商", Metric(Op.count, "trips")),
)


@dataclass(frozen=True)
class Targets:
    path: Path
    region: str
    year: int | None
    units: dict[str, UnitKind]
    people: list[PersonSpec]
    quotas: list[Quota] = field(default_factory=list)  # the year's and every campaign's
    campaigns: list[Campaign] = field(default_factory=list)
    rankings: list["Ranking"] = field(default_factory=list)  # the year's and every campaign's
    scoring: list["ScoreRule"] = field(default_factory=list)  # the year's and every campaign's
    rates: dict[Currency, Decimal] = field(default_factory=dict)  # yuan per unit: {USD: 7.1}
    red_black: list["RedBlack"] = field(default_factory=list)  # the year's and every campaign's
    bulletin: tuple[BulletinColumn, ...] = DEFAULT_BULLETIN
    manual: list[PlanNote] = field(default_factory=list)
    out_of_scope: list[PlanNote] = field(default_factory=list)
    bulletin_text: str | None = None  # the plan's sentence that asks for the bulletin (季度通报)

    def rates_text(self) -> str:
        """The rates as a report says them: 1美元=7.1元；1港元=0.92元."""
        return "；".join(f"1{label(c)}={r.normalize():f}元" for c, r in self.rates.items())

    def of_campaign(self, campaign: str | None) -> "Targets":
        """The rankings, scoring rules and 红黑榜 of one campaign (or, with None, of the year alone)."""

        def mine(item: Any) -> bool:
            return (item.campaign.id if item.campaign else None) == campaign

        return replace(
            self,
            rankings=[r for r in self.rankings if mine(r)],
            scoring=[r for r in self.scoring if mine(r)],
            red_black=[r for r in self.red_black if mine(r)],
        )

    def texts(self) -> dict[str, tuple[str, ...]]:
        """Each plan sentence the file encodes -> the ids of the items that carry it as `text:`."""
        found: dict[str, list[str]] = {}
        for item in (*self.quotas, *self.campaigns, *self.rankings, *self.scoring, *self.red_black):
            if item.text:
                found.setdefault(item.text, []).append(item.id)
        if self.bulletin_text:
            found.setdefault(self.bulletin_text, []).append("bulletin")
        return {text: tuple(ids) for text, ids in found.items()}


class Measure(StrEnum):
    """What a ranking reads of a quota's rows."""

    percent = "percent"  # actual ÷ target, in percent (62.5), not capped
    pace = "pace"  # actual ÷ expected (序时进度)


@dataclass(frozen=True)
class RankBy:
    """One column of a ranking: a metric, or a quota's completion (`quota` with `measure`)."""

    metric: Metric | None
    weight: Decimal
    quota: str | None = None
    measure: Measure | None = None


@dataclass(frozen=True)
class Ranking:
    """竞赛榜: units of one track (or people of one role) ranked on weighted metrics."""

    id: str
    title: str
    among: Who
    by: tuple[RankBy, ...]
    per: Per = Per.quarter
    text: str | None = field(default=None, compare=False)
    campaign: Campaign | None = field(default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "per", Per(self.per))


@dataclass(frozen=True)
class ScoreRule:
    """A scoring rule: points for a quota (with partial credit, a penalty per unit short, a bonus per
    unit beyond), or points per counted item (`points_each` with a metric; negative: 扣分 per item).
    `floor`: the rule's points never fall below it (从该项得分中扣除). In a campaign, it scores the
    campaign alone (专项考核、单独计分)."""

    id: str
    title: str
    quota: str | None = None
    points: Decimal = Decimal(0)
    partial: bool = False
    penalty_per_short: Decimal = Decimal(0)
    bonus_per_extra: Decimal = Decimal(0)
    max_bonus: Decimal | None = None
    late_start_credit: Decimal | None = None
    metric: Metric | None = None
    who: Who | None = None
    points_each: Decimal = Decimal(0)
    floor: Decimal | None = None
    text: str | None = field(default=None, compare=False)
    campaign: Campaign | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class RedBlack:
    """红黑榜: the top `red` and bottom `black` of a ranking, or the subjects of a quota below a share
    of its 序时进度 (`below_pace`: 0.8) on the black list."""

    id: str
    title: str
    ranking: str | None = None
    red: int = 0
    black: int = 0
    quota: str | None = None
    below_pace: Decimal | None = None
    text: str | None = field(default=None, compare=False)
    campaign: Campaign | None = field(default=None, compare=False, repr=False)


TOP_KEYS = {
    "region",
    "year",
    "units",
    "people",
    "rates",
    "quotas",
    "campaigns",
    "rankings",
    "scoring",
    "red_black",
    "bulletin",
    "manual",
    "out_of_scope",
}
PLAN_TEXT_LENGTH = 2000  # the longest sentence of the five seed plans has about 420 characters
MAX_RATE = Decimal(50)  # yuan per unit of a currency: amount × rate stays within 64 bits (see facts.in_yuan)


class ConfigError(ZsError):
    """A wrong targets.yaml: `file:line: key 'value': expected …`."""

    def __init__(
        self,
        path: Path,
        node: yaml.Node | yaml.Mark | None,
        key: str,
        value: object,
        expected: str,
        problem: str | None = None,
    ):
        mark = node.start_mark if isinstance(node, yaml.Node) else node
        line = mark.line + 1 if mark is not None else 1
        super().__init__(f"{path}:{line}: {key}", _brief(value), expected, problem)


def _brief(value: object) -> object:
    """`value`, or the start of it: a whole section shown back is no help, and can be as long as the file."""
    shown = str(value)
    return value if len(shown) <= 80 else shown[:79] + "…"


class _PlanLoader(yaml.SafeLoader):
    """Composes targets.yaml into nodes, refusing on the way in what a plan never needs and an
    attacker would use: anchors and aliases (a few hundred bytes can expand to gigabytes), explicit
    tags (`!!python/…`), merge keys, nesting deeper than MAX_DEPTH, and keys that are not plain
    scalars or appear twice in one mapping."""

    def __init__(self, source: str, path: Path):
        super().__init__(source)
        self.path, self.depth = path, 0

    def refuse(self, event, key: str, value: object, expected: str, problem: str | None = None):
        raise ConfigError(self.path, event.start_mark, key, value, expected, problem)

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self.refuse(
                event,
                "alias",
                f"*{event.anchor}",
                "each value written out in full",
                "targets.yaml does not read YAML aliases",
            )
        if event.anchor is not None:
            self.refuse(
                event,
                "anchor",
                f"&{event.anchor}",
                "each value written out in full",
                "targets.yaml does not read YAML anchors",
            )
        if event.tag is not None:
            self.refuse(event, "tag", event.tag, "a value without a YAML tag (quote text instead)")
        if isinstance(event, yaml.ScalarEvent):
            return super().compose_node(parent, index)
        if self.depth >= MAX_DEPTH:
            self.refuse(
                event, "nesting", f"{self.depth + 1} levels", f"at most {MAX_DEPTH} levels of lists and mappings"
            )
        self.depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def compose_mapping_node(self, anchor):
        node = super().compose_mapping_node(anchor)
        seen = set()
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode):
                self.refuse(key, "key", _construct(key), "a plain name or word as a key, not a list or mapping")
            if key.tag == "tag:yaml.org,2002:merge":
                self.refuse(
                    key,
                    "key",
                    key.value,
                    "each value written out in full",
                    "targets.yaml does not read YAML merge keys",
                )
            if key.value in seen:
                self.refuse(key, "key", key.value, "each key once in a mapping", "it appears twice")
            seen.add(key.value)
        return node


def _construct(node: yaml.Node) -> Any:
    """The Python value of a node; a scalar YAML cannot read (such as 2023-02-30) stays text."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, OverflowError, yaml.YAMLError):
        return node.value if isinstance(node, yaml.ScalarNode) else None
    finally:
        loader.dispose()


def _mapping(path: Path, node: yaml.Node, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(path, node, what, _construct(node), "a mapping of key: value")
    return node.value


def check_name(text: str, field: str, sheet: bool = False) -> str:
    """A name as the ledger keeps it (no outer spaces), or a ZsError: empty, control or invisible
    characters, too long. With `sheet`, a name that may title an xlsx sheet (a region, a unit, a
    campaign): at most 31 characters, none of / \\ : * ? [ ].
    `zs targets check` and `zs init` both read names through this, so they accept the same files."""
    name = check_text(text, field).strip()
    if not name:
        raise ZsError(field, text, "a name that is not empty")
    limit = SHEET_NAME_LENGTH if sheet else TEXT_LENGTH
    if len(name) > limit:
        raise ZsError(
            field,
            _brief(name),
            f"a name of at most {limit} characters",
            f"it has {len(name)}" + (", and an xlsx sheet title holds 31" if sheet else ""),
        )
    unsafe = [c for c in SHEET_UNSAFE if c in name] if sheet else []
    if unsafe:
        raise ZsError(
            field,
            name,
            f"a name without {' '.join(SHEET_UNSAFE)}",
            f"an xlsx sheet title cannot hold {' '.join(unsafe)}",
        )
    return name


def check_sheet_name(text: str, field: str) -> str:
    """A region, unit or campaign name: as `check_name`, and fit to title an xlsx sheet."""
    return check_name(text, field, sheet=True)


def check_person_name(text: str, field: str) -> str:
    """A person's name: as `check_name`, and without '/' (the ledger reads UNIT/NAME as a person of a unit)."""
    name = check_name(text, field)
    if "/" in name:
        raise ZsError(field, name, "a name without '/'", "UNIT/NAME names a person of a unit")
    return name


def _read(path: Path, field: str) -> str:
    """The text of the file, refused in one line if unreadable, not UTF-8 or larger than a plan can be."""
    try:
        with open_input(path, field, "a readable UTF-8 targets.yaml") as file:
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ZsError(field, str(path), f"a targets.yaml of at most {MAX_BYTES // 1000} KB", "the file is larger")
        return data.decode("utf-8")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path, or bytes that are not UTF-8
        raise ZsError(field, str(path), "a readable UTF-8 targets.yaml", str(exc)) from exc


def _compose(path: Path, source: str) -> yaml.Node | None:
    loader = None
    try:
        loader = _PlanLoader(source, path)  # refuses a character YAML does not allow at once
        return loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else source.count("\n", 0, getattr(exc, "position", 0)) + 1
        lines = source.splitlines()
        text = lines[min(line, len(lines)) - 1].strip() if lines else ""
        problem = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, yaml.reader.ReaderError):
            problem = f"it holds U+{exc.character:04X}, which YAML does not allow"
        raise ZsError(f"{path}:{line}: YAML", _brief(text), "valid YAML", problem) from exc
    finally:
        if loader is not None:
            loader.dispose()


def load_targets(path: Path, field: str = "--targets") -> Targets:
    """The quota file at `path`; `field` names it in a refusal (--targets, or an argument's name)."""
    source = _read(path, field)
    root = _compose(path, source)
    if root is None:
        raise ConfigError(path, None, "targets", "", "a mapping with region, units, quotas …")
    region, year, units, people, sections = "", None, {}, [], {}
    today = date(2000, 1, 1)  # dates in targets.yaml are absolute; 'today' has no meaning there
    for key_node, value in _mapping(path, root, "targets"):
        key = key_node.value
        if key not in TOP_KEYS:
            raise ConfigError(path, key_node, "key", key, f"one of {', '.join(sorted(TOP_KEYS))}")
        if key == "region":
            region = _name(path, value, "region", check_sheet_name)
        elif key == "year":
            year = _construct(value)
            if type(year) is not int or not FIRST_DAY.year <= year <= LAST_DAY.year:
                raise ConfigError(path, value, "year", year, "a year such as 2023")
        elif key == "units":
            units = _units(path, value)
        elif key == "people":
            people = _people(path, value)
        else:
            sections[key] = value
    for person in people:
        if person.unit not in units:
            raise ZsError(f"{path}:{person.line}: people[].unit", person.unit, "a unit listed under units")
    rates = _rates(path, sections.get("rates"))
    reader = _Reader(path, units, today, rates)
    quotas = reader.quotas(sections["quotas"], None) if "quotas" in sections else []
    campaigns, campaign_nodes, inside = [], _sequence(path, sections.get("campaigns"), "campaigns"), []
    for node in campaign_nodes:
        campaign, campaign_quotas, sections_of = reader.campaign(node)
        campaigns.append(campaign)
        quotas += campaign_quotas
        inside.append((campaign, sections_of))
    quotas = reader.resolve_shares(quotas)
    _unique(path, [(q.id, q.line) for q in quotas], "quota id")
    _unique(path, [(c.id, _line(n)) for c, n in zip(campaigns, campaign_nodes, strict=True)], "campaign id")
    known = {q.id: q for q in quotas}
    # The year's rankings, rules and 红黑榜, then each campaign's (scored for the campaign alone).
    scopes = [(None, sections), *inside]
    rankings, ranking_lines = [], []
    for campaign, where in scopes:
        for node in _sequence(path, where.get("rankings"), "rankings"):
            rankings.append(reader.ranking(node, known, campaign))
            ranking_lines.append(_line(node))
    _unique(path, [(r.id, line) for r, line in zip(rankings, ranking_lines, strict=True)], "ranking id")
    scoring, rule_lines = [], []
    for campaign, where in scopes:
        for node in _sequence(path, where.get("scoring"), "scoring"):
            scoring.append(reader.score_rule(node, known, campaign))
            rule_lines.append(_line(node))
    _unique(path, [(r.id, line) for r, line in zip(scoring, rule_lines, strict=True)], "scoring rule id")
    lists, list_lines = [], []
    ranked = {r.id: r for r in rankings}
    for campaign, where in scopes:
        for node in _sequence(path, where.get("red_black"), "red_black"):
            mine = {i: r for i, r in ranked.items() if r.campaign == campaign}  # a list of its own scope's rankings
            lists.append(reader.red_black(node, known, mine, campaign))
            list_lines.append(_line(node))
    _unique(path, [(r.id, line) for r, line in zip(lists, list_lines, strict=True)], "red_black id")
    bulletin, bulletin_text = (
        reader.bulletin(sections["bulletin"], known) if "bulletin" in sections else (DEFAULT_BULLETIN, None)
    )
    manual = reader.notes(sections.get("manual"), "manual")
    out_of_scope = reader.notes(sections.get("out_of_scope"), "out_of_scope")
    return Targets(
        path,
        region,
        year,
        units,
        people,
        quotas,
        campaigns,
        rankings,
        scoring,
        rates,
        lists,
        bulletin,
        manual,
        out_of_scope,
        bulletin_text,
    )


def _rates(path: Path, node: yaml.Node | None) -> dict[Currency, Decimal]:
    """`rates: {USD: 7.1, HKD: 0.92}`: yuan per unit of each currency, above 0, at most 50, 4 decimals."""
    if node is None:
        return {}
    rates = {}
    for key_node, value_node in _mapping(path, node, "rates"):
        try:
            code = parse_code(Currency, key_node.value, "rates")
        except ZsError as exc:
            raise ConfigError(path, key_node, "rates", key_node.value, exc.expected) from None
        raw = _construct(value_node)
        try:
            rate = Decimal(str(raw)) if isinstance(raw, int | float) and not isinstance(raw, bool) else None
        except DecimalException:
            rate = None
        if rate is None or not rate.is_finite() or not 0 < rate <= MAX_RATE or rate != round(rate, 4):
            raise ConfigError(
                path,
                value_node,
                f"rates.{code.value}",
                raw,
                f"yuan per {label(code)}: a number above 0, at most 50, 4 decimals",
            )
        rates[code] = rate
    return rates


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _name(path: Path, node: yaml.Node, field: str, check: Callable[[str, str], str] = check_name) -> str:
    """The text of a name written as a scalar (as written: `007` stays 007), through `check`."""
    if not isinstance(node, yaml.ScalarNode):
        raise ConfigError(path, node, field, _construct(node), "a name, not a list or mapping")
    try:
        return check("" if node.tag == NULL else node.value, field)
    except ZsError as exc:
        raise ConfigError(path, node, field, exc.value, exc.expected, exc.problem) from exc


def _units(path: Path, node: yaml.Node) -> dict[str, UnitKind]:
    units: dict[str, UnitKind] = {}
    for name_node, kind_node in _mapping(path, node, "units"):
        name = _name(path, name_node, "units", check_sheet_name)
        if name in units:
            raise ConfigError(path, name_node, "units", name, "each unit listed once", "it appears twice")
        kind = _construct(kind_node)
        try:
            units[name] = parse_code(UnitKind, str(kind), "kind")
        except ZsError as exc:
            raise ConfigError(path, kind_node, f"units.{name}", kind, exc.expected) from exc
    return units


def _sequence(path: Path, node: yaml.Node | None, what: str) -> list[yaml.Node]:
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(path, node, what, _construct(node), "a list")
    return node.value


def _unique(path: Path, ids: list[tuple[str, int]], what: str) -> None:
    seen = set()
    for ident, line in ids:
        if ident in seen:
            raise ZsError(
                f"{path}:{line}: {what}" if line else f"{path}: {what}", ident, "ids that are unique", "used twice"
            )
        seen.add(ident)


LIST_EXAMPLES = {
    "mode": "[小分队, 短频快]",
    "event_type": "[fair, promotion]",
    "led_by": "[main_leader, deputy]",
    "destination": "[深圳, 广州]",
    "industry": "[新能源, 新材料]",
    "origin": "[out_of_province, foreign]",
    "tier": "[global500, china500]",
    "at_event_type": "[fair, signing]",
}
QUOTA_KEYS = {"id", "title", "text", "count", "sum", "rate", "where", "who", "per", "at_least", "at_most"}
FILTER_CODES = {
    "tier": Tier,
    "mode": Mode,
    "event_type": EventType,
    "led_by": Role,
    "reached": Stage,
    "origin": Origin,
    "in_stage": Stage,
    "at_event_type": EventType,
}


class _Reader:
    """Reads the quota sections node by node, so that each refusal names its line."""

    def __init__(self, path: Path, units: dict[str, UnitKind], today: date, rates: dict[Currency, Decimal]):
        self.path, self.units, self.today, self.rates = path, units, today, rates

    def fail(self, node, key, value, expected):
        raise ConfigError(self.path, node, key, value, expected)

    def fields(self, node, what: str, allowed: set[str], required: set[str]) -> dict[str, yaml.Node]:
        fields = {k.value: v for k, v in _mapping(self.path, node, what)}
        for key_node, _ in node.value:
            if key_node.value not in allowed:
                self.fail(key_node, f"{what} key", key_node.value, f"one of {', '.join(sorted(allowed))}")
        for key in sorted(required - set(fields)):
            self.fail(node, what, key, f"a `{key}:` entry")
        return fields

    def text(self, node, key: str, check: Callable[[str, str], str] = check_name) -> str:
        return _name(self.path, node, key, check)

    def number(self, node, key: str, money: bool = False, signed: bool = False) -> Decimal:
        value = _construct(node)
        if money and isinstance(value, str | int | float) and not isinstance(value, bool):
            try:  # a bare 5000 may mean 5000万: money in targets.yaml says its unit, as on the command line
                amount, currency = parse_money(str(value), key, bare_unit=None)
            except ZsError as exc:
                self.fail(node, key, value, exc.expected)
            if currency is None:
                return Decimal(amount)
            if currency not in self.rates:  # 5000万美元: in yuan at the file's rate, which it must give
                self.fail(
                    node, key, value, f"a rate for {currency.value} under rates: (rates: {{{currency.value}: 7.1}})"
                )
            return (amount * self.rates[currency]).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        number = value  # `value` stays as written, for the message
        if isinstance(value, str) and value.strip().endswith("%"):
            try:
                number = Decimal(value.strip()[:-1]) / 100
            except DecimalException:
                self.fail(node, key, value, "a number or a percentage such as 80%")
        if isinstance(number, bool) or not isinstance(number, int | float | Decimal):
            self.fail(
                node,
                key,
                value,
                ("a number" if signed else "a number that is not negative")
                + (", or money such as 5亿" if money else ""),
            )
        try:
            number = Decimal(str(number))
        except DecimalException:
            self.fail(node, key, value, "a number")
        if not number.is_finite():  # .nan, .inf: before any comparison, which a NaN cannot answer
            self.fail(node, key, value, "a finite number")
        if number < 0 and not signed:
            self.fail(node, key, value, "a number that is not negative")
        if abs(number) > NUMBER_LIMIT or number != round(number, NUMBER_PLACES):
            self.fail(node, key, value, f"a number of at most {NUMBER_LIMIT:,} with at most {NUMBER_PLACES} decimals")
        return number

    def day(self, node, key: str) -> date:
        value = _construct(node)
        if isinstance(value, datetime):
            self.fail(node, key, value, "a date without a time of day, such as 2023-08-01")
        try:
            day = parse_date(value if isinstance(value, date) else str(value), self.today, key)
        except ZsError as exc:
            self.fail(node, key, value, exc.expected)
        if not FIRST_DAY <= day <= LAST_DAY:
            self.fail(node, key, day.isoformat(), f"a date from {FIRST_DAY} to {LAST_DAY}")
        return day

    def metric(self, node, fields: dict[str, yaml.Node], what: str) -> Metric:
        ops = [op for op in ("count", "sum", "rate") if op in fields]
        if len(ops) != 1:
            self.fail(node, what, ", ".join(ops) or "nothing", "exactly one of count:, sum: or rate:")
        op = ops[0]
        name = self.text(fields[op], op)
        names = {"count": COUNTS, "sum": SUMS, "rate": RATES}[op]
        if name not in names:
            self.fail(fields[op], op, name, f"one of {', '.join(sorted(names))}")
        where = self.filter(fields.get("where"), op, name)
        if name == "figure" and where.name is None:
            self.fail(
                fields.get("where", fields[op]), "where.name", "", "the name of the figure reported, e.g. 外贸进出口"
            )
        return Metric(Op(op), name, where)

    def filter(self, node, op: str, name: str) -> Filter:
        if node is None:
            return Filter()
        values: dict[str, Any] = {}
        allowed = FILTERS[name]
        for key_node, value_node in _mapping(self.path, node, "where"):
            key = key_node.value
            every = ACTIVITY_FILTERS | PROJECT_FILTERS | STOCK_FILTERS | {"origin", "name"}
            if key not in every:
                self.fail(key_node, "where key", key, f"one of {', '.join(sorted(every))}")
            if key not in allowed:
                self.fail(
                    key_node, "where key", key, f"a filter that applies to {op}: {name} ({', '.join(sorted(allowed))})"
                )
            raw = _construct(value_node)
            if key in LIST_FILTERS:  # one value or a list of them: any of
                values[key] = self.any_of(value_node, key)
            elif key in FILTER_CODES:
                try:
                    values[key] = parse_code(FILTER_CODES[key], str(raw), key)
                except ZsError as exc:
                    self.fail(value_node, f"where.{key}", raw, exc.expected)
            elif key == "amount_at_least":
                values[key] = int(self.number(value_node, "where.amount_at_least", money=True))
            elif key == "key":
                if not isinstance(raw, bool):
                    self.fail(value_node, "where.key", raw, "true or false")
                values[key] = raw
            else:
                values[key] = self.text(value_node, f"where.{key}")
        if "in_stage" in values and ({"reached", "at_event_type"} & set(values)):
            other = "reached" if "reached" in values else "at_event_type"
            self.fail(
                node,
                "where",
                f"in_stage with {other}",
                "in_stage alone (projects standing in a stage) or reached/at_event_type (projects reaching one)",
            )
        return Filter(**values)

    def any_of(self, node, key: str) -> tuple:
        """A list filter's values, each checked: `mode: 短频快` or `mode: [短频快, 以商招商]`."""
        items = node.value if isinstance(node, yaml.SequenceNode) else [node]
        if not items:
            self.fail(node, f"where.{key}", [], f"a value or a list of values, such as {LIST_EXAMPLES[key]}")
        found = []
        for item in items:
            raw = _construct(item)
            if key in FILTER_CODES:
                try:
                    found.append(parse_code(FILTER_CODES[key], str(raw), key))
                except ZsError as exc:
                    self.fail(item, f"where.{key}", raw, exc.expected)
            else:
                found.append(self.text(item, f"where.{key}"))
        return tuple(dict.fromkeys(found))

    def who(self, node, allow_person: bool = True) -> Who:
        value = _construct(node)
        if isinstance(node, yaml.ScalarNode) and node.value == Scope.region:
            return Who(Scope.region)
        expected = "region, {each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}"
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "who", value, expected)
        fields = {k.value: v for k, v in node.value}
        if set(fields) == {"each"}:
            return Who(Scope.each, kind=self.kind(fields["each"]))
        if set(fields) == {"units"}:
            listed = fields["units"]
            if not isinstance(listed, yaml.SequenceNode) or not listed.value:
                self.fail(listed, "who.units", _construct(listed), "a list of unit names")
            names = [self.text(item, "who.units") for item in listed.value]
            for item, name in zip(listed.value, names, strict=True):
                if name not in self.units:
                    self.fail(item, "who.units", name, "a unit listed under units")
            if len(set(names)) < len(names):
                self.fail(listed, "who.units", ", ".join(names), "each unit named once")
            return Who(Scope.units, units=tuple(names))
        if allow_person and set(fields) in ({"each_person"}, {"each_person", "of"}):
            raw = _construct(fields["each_person"])
            try:
                role = parse_code(Role, str(raw), "each_person")
            except ZsError as exc:
                self.fail(fields["each_person"], "who.each_person", raw, exc.expected)
            kind = self.kind(fields["of"]) if "of" in fields else None
            return Who(Scope.each_person, kind=kind, role=role)
        self.fail(node, "who", value, expected)

    def kind(self, node) -> UnitKind:
        raw = _construct(node)
        try:
            return parse_code(UnitKind, str(raw), "kind")
        except ZsError as exc:
            self.fail(node, "who.each", raw, exc.expected)

    def plan_text(self, fields: dict[str, yaml.Node], key: str = "text") -> str | None:
        """`text:` — the plan's sentence an item encodes, verbatim (checked as any text, at most 2000 characters)."""
        if key not in fields:
            return None
        node = fields[key]
        if not isinstance(node, yaml.ScalarNode) or node.tag == NULL:
            self.fail(node, key, _construct(node), "the plan's sentence, as text")
        try:
            text = check_text(node.value, key).strip()
        except ZsError as exc:
            self.fail(node, key, exc.value, exc.expected)
        if not text or len(text) > PLAN_TEXT_LENGTH:
            self.fail(node, key, _brief(text), f"the plan's sentence: 1 to {PLAN_TEXT_LENGTH} characters")
        return text

    def quotas(self, node, campaign: Campaign | None) -> list["Quota | _Share"]:
        return [self.quota(item, campaign) for item in _sequence(self.path, node, "quotas")]

    def quota(self, node, campaign: Campaign | None) -> "Quota | _Share":
        if isinstance(node, yaml.MappingNode) and any(k.value == "share" for k, _ in node.value):
            return self.share(node, campaign)
        fields = self.fields(node, "quota", QUOTA_KEYS, {"id", "who"})
        ident = self.text(fields["id"], "id")
        metric = self.metric(node, fields, "quota")
        who = self.who(fields["who"])
        if who.scope == "each_person" and metric.name not in ACTIVITY_COUNTS:
            self.fail(
                fields["who"],
                "who.each_person",
                metric.name,
                "an activity count (trips, visits …) for a quota per person",
            )
        periods = PERIODS + ((Per.campaign,) if campaign else ())
        per = self.text(fields["per"], "per") if "per" in fields else ("campaign" if campaign else None)
        if per not in periods:
            self.fail(fields.get("per", node), "per", per, f"one of {', '.join(periods)}")
        bounds = [b for b in Bound if b.value in fields]
        if len(bounds) != 1:
            self.fail(node, "quota", ", ".join(bounds) or ident, "exactly one of at_least: or at_most:")
        bound = bounds[0]
        target = self.number(fields[bound.value], bound.value, money=metric.is_money)
        if metric.op == "rate" and target > 1:
            self.fail(
                fields[bound.value],
                bound.value,
                _construct(fields[bound.value]),
                "a rate between 0 and 1, such as 0.8 or 80%",
            )
        if metric.op == "count" and target != target.to_integral_value():
            self.fail(fields[bound.value], bound.value, _construct(fields[bound.value]), "a whole number")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return Quota(
            ident,
            title,
            metric,
            who,
            Per(per),
            target,
            campaign,
            _line(node),
            bound=bound,
            text=self.plan_text(fields),
        )

    def share(self, node, campaign: Campaign | None) -> "_Share":
        """`{id: q80, of: big-projects, share: 80%, by: 2023-09-30}`: read now, resolved once every quota is read."""
        fields = self.fields(node, "share quota", {"id", "title", "text", "of", "share", "by"}, {"id", "of", "by"})
        ident = self.text(fields["id"], "id")
        share = self.number(fields["share"], "share")
        if not 0 < share <= 1:
            self.fail(
                fields["share"], "share", _construct(fields["share"]), "a share above 0, at most 100%, such as 80%"
            )
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return _Share(
            ident,
            title,
            self.text(fields["of"], "of"),
            share,
            self.day(fields["by"], "by"),
            self.plan_text(fields),
            campaign,
            fields["of"],
            _line(node),
        )

    def resolve_shares(self, quotas: list["Quota | _Share"]) -> list[Quota]:
        """Each share quota made whole: its metric and subjects are those of the yearly quota it names."""
        known = {q.id: q for q in quotas if isinstance(q, Quota)}
        out = []
        for q in quotas:
            if isinstance(q, Quota):
                out.append(q)
                continue
            base = known.get(q.of)
            if base is None or base.per is not Per.year or base.bound is not Bound.at_least:
                self.fail(q.of_node, "of", q.of, "the id of a per: year quota with at_least in this file")
            target = base.target * q.share  # 80% of 4 projects is 3.2: met at 4, as the plan means
            if base.metric.is_money:
                target = target.quantize(Decimal(1), rounding=ROUND_HALF_UP)  # whole yuan
            out.append(
                Quota(
                    q.id,
                    q.title,
                    base.metric,
                    base.who,
                    Per.until,
                    target,
                    q.campaign,
                    q.line,
                    by=q.by,
                    share_of=q.of,
                    share=q.share,
                    text=q.text,
                )
            )
        return out

    def campaign(self, node) -> tuple[Campaign, list["Quota | _Share"], dict[str, yaml.Node]]:
        keys = {"id", "title", "text", "from", "to", "quotas", "rankings", "scoring", "red_black"}
        fields = self.fields(node, "campaign", keys, {"id", "from", "to"})
        ident = self.text(fields["id"], "id", check_sheet_name)  # a campaign's report is titled with its id
        start, end = self.day(fields["from"], "from"), self.day(fields["to"], "to")
        if end < start:
            self.fail(fields["to"], "to", end.isoformat(), f"a date on or after from ({start.isoformat()})")
        years_later = date(start.year + CAMPAIGN_YEARS, start.month, 1) + timedelta(days=start.day - 1)
        if end >= years_later:
            self.fail(
                fields["to"],
                "to",
                end.isoformat(),
                f"a date before {years_later.isoformat()}: a campaign of at most {CAMPAIGN_YEARS} years",
            )
        title = self.text(fields["title"], "title") if "title" in fields else ident
        campaign = Campaign(ident, title, start, end, self.plan_text(fields))
        return campaign, self.quotas(fields.get("quotas"), campaign), fields

    def ranking(self, node, quotas: dict[str, Quota], campaign: Campaign | None) -> Ranking:
        keys = {"id", "title", "text", "among", "by", "per"}
        fields = self.fields(node, "ranking", keys, {"id", "among", "by"})
        ident = self.text(fields["id"], "id")
        among = self.who(fields["among"])
        if among.scope == Scope.region:
            self.fail(
                fields["among"],
                "among",
                "region",
                "{each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}: units or people to rank",
            )
        items = _sequence(self.path, fields["by"], "by")
        if not items:
            self.fail(fields["by"], "by", [], "at least one metric to rank on")
        by = []
        for item in items:
            entry = self.fields(item, "by", {"count", "sum", "rate", "where", "weight", "quota", "measure"}, set())
            if "weight" in entry:
                weight = self.number(entry["weight"], "weight")
            elif len(items) == 1:
                weight = Decimal(1)  # one metric: its weight is the whole
            else:
                self.fail(item, "by", "weight", "a `weight:` on each metric of a ranking on more than one")
            if "quota" in entry:
                if {"count", "sum", "rate", "where"} & set(entry):
                    self.fail(item, "by", "quota with a metric", "either quota: (with measure:) or count:/sum:/rate:")
                ident_q = self.text(entry["quota"], "by.quota")
                if ident_q not in quotas:
                    self.fail(entry["quota"], "by.quota", ident_q, "the id of a quota in this file")
                raw = _construct(entry["measure"]) if "measure" in entry else None
                if raw not in set(Measure):
                    self.fail(entry.get("measure", item), "by.measure", raw, "percent or pace")
                if quotas[ident_q].who != among:
                    self.fail(entry["quota"], "by.quota", ident_q, f"a quota for the same subjects as among ({ident})")
                by.append(RankBy(None, weight, ident_q, Measure(raw)))
            else:
                if "measure" in entry:
                    self.fail(entry["measure"], "by.measure", _construct(entry["measure"]), "measure: only with quota:")
                metric = self.metric(item, entry, "by")
                if among.scope == Scope.each_person and metric.name not in ACTIVITY_COUNTS:
                    self.fail(item, "by", metric.name, "an activity count (trips, visits …) to rank people on")
                by.append(RankBy(metric, weight))
        periods = PERIODS + ((Per.campaign,) if campaign else ())
        default = "campaign" if campaign else "quarter"
        per = self.text(fields["per"], "per") if "per" in fields else default
        if per not in periods:
            self.fail(fields["per"], "per", per, f"one of {', '.join(periods)}")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return Ranking(ident, title, among, tuple(by), Per(per), self.plan_text(fields), campaign)

    def score_rule(self, node, quotas: dict[str, Quota], campaign: Campaign | None) -> ScoreRule:
        keys = {
            "id",
            "title",
            "text",
            "quota",
            "points",
            "partial",
            "penalty_per_short",
            "bonus_per_extra",
            "max_bonus",
            "late_start_credit",
            "count",
            "sum",
            "where",
            "who",
            "points_each",
            "floor",
        }
        fields = self.fields(node, "scoring rule", keys, {"id"})
        ident = self.text(fields["id"], "id")
        values: dict[str, Any] = {
            "id": ident,
            "title": self.text(fields["title"], "title") if "title" in fields else ident,
            "text": self.plan_text(fields),
            "campaign": campaign,
        }
        if "quota" in fields:
            quota = self.text(fields["quota"], "quota")
            if quota not in quotas:
                self.fail(fields["quota"], "quota", quota, "the id of a quota in this file")
            values["quota"] = quota
            if quotas[quota].bound is Bound.at_most:
                for key in ("partial", "penalty_per_short", "bonus_per_extra", "late_start_credit"):
                    if key in fields:
                        self.fail(
                            fields[key],
                            key,
                            _construct(fields[key]),
                            "points: alone on a ceiling (at_most) quota: its points when kept; "
                            "a deduction per item is a count: rule with points_each: -N",
                        )
        elif "count" in fields or "sum" in fields:
            values["metric"] = self.metric(node, fields, "scoring rule")
            values["who"] = self.who(fields["who"], allow_person=False) if "who" in fields else Who(Scope.region)
        else:
            self.fail(node, "scoring rule", ident, "a `quota:` to score, or a `count:`/`sum:` to give points for")
        for key in ("points", "penalty_per_short", "bonus_per_extra", "max_bonus"):
            if key in fields:
                values[key] = self.number(fields[key], key)
        for key in ("points_each", "floor"):  # may be negative: 扣分 per item; a floor below 0
            if key in fields:
                values[key] = self.number(fields[key], key, signed=True)
        if "late_start_credit" in fields:
            values["late_start_credit"] = self.number(fields["late_start_credit"], "late_start_credit")
            if values["late_start_credit"] > 1:
                self.fail(
                    fields["late_start_credit"],
                    "late_start_credit",
                    values["late_start_credit"],
                    "a share between 0 and 1, such as 0.5",
                )
            scored = quotas.get(values.get("quota"))
            if scored is None or scored.metric.name != "projects" or scored.metric.where.reached is not Stage.started:
                self.fail(
                    fields["late_start_credit"],
                    "late_start_credit",
                    values["late_start_credit"],
                    "a rule on a quota that counts starts (count: projects, where: {reached: started})",
                )
        if "partial" in fields:
            raw = _construct(fields["partial"])
            if not isinstance(raw, bool):
                self.fail(fields["partial"], "partial", raw, "true or false")
            values["partial"] = raw
        return ScoreRule(**values)

    def red_black(
        self, node, quotas: dict[str, Quota], rankings: dict[str, Ranking], campaign: Campaign | None
    ) -> RedBlack:
        keys = {"id", "title", "text", "ranking", "red", "black", "quota", "below_pace"}
        fields = self.fields(node, "red_black", keys, {"id"})
        ident = self.text(fields["id"], "id")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        text = self.plan_text(fields)
        if "ranking" in fields:
            if {"quota", "below_pace"} & set(fields):
                self.fail(node, "red_black", ident, "either ranking: with red:/black:, or quota: with below_pace:")
            ranking = self.text(fields["ranking"], "ranking")
            if ranking not in rankings:
                where = f"campaign {campaign.id}" if campaign else "the year (not a campaign)"
                self.fail(fields["ranking"], "ranking", ranking, f"the id of a ranking of {where}")
            counts = {}
            for key in ("red", "black"):
                number = self.number(fields[key], key) if key in fields else Decimal(0)
                if number != number.to_integral_value():
                    self.fail(fields[key], key, _construct(fields[key]), "a whole number of places")
                counts[key] = int(number)
            if not counts["red"] and not counts["black"]:
                self.fail(node, "red_black", ident, "red: N or black: N (how many head each list)")
            return RedBlack(ident, title, ranking, counts["red"], counts["black"], text=text, campaign=campaign)
        if "quota" not in fields or "below_pace" not in fields:
            self.fail(node, "red_black", ident, "ranking: with red:/black:, or quota: with below_pace: (such as 80%)")
        quota = self.text(fields["quota"], "quota")
        if quota not in quotas:
            self.fail(fields["quota"], "quota", quota, "the id of a quota in this file")
        if quotas[quota].bound is Bound.at_most or not quotas[quota].metric.accrues:
            self.fail(fields["quota"], "quota", quota, "a quota with at_least whose figure accrues (序时进度)")
        share = self.number(fields["below_pace"], "below_pace")
        if not 0 < share <= 1:
            self.fail(fields["below_pace"], "below_pace", _construct(fields["below_pace"]), "a share such as 80%")
        return RedBlack(ident, title, quota=quota, below_pace=share, text=text, campaign=campaign)

    def bulletin(self, node, quotas: dict[str, Quota]) -> tuple[tuple[BulletinColumn, ...], str | None]:
        """`bulletin: [quota id | {id, title, count|sum|rate, where}]`, or `{text: …, columns: [...]}`:
        the per-unit table's columns (and the plan's sentence that asks for the bulletin)."""
        text = None
        if isinstance(node, yaml.MappingNode):
            fields = self.fields(node, "bulletin", {"text", "columns"}, {"columns"})
            text, node = self.plan_text(fields), fields["columns"]
        columns = []
        for item in _sequence(self.path, node, "bulletin"):
            if isinstance(item, yaml.ScalarNode):
                ident = self.text(item, "bulletin")
                if ident not in quotas:
                    self.fail(item, "bulletin", ident, "the id of a quota in this file, or {id, title, count: …}")
                columns.append(BulletinColumn(ident, quotas[ident].title, quotas[ident].metric))
                continue
            fields = self.fields(item, "bulletin column", {"id", "title", "count", "sum", "rate", "where"}, {"id"})
            ident = self.text(fields["id"], "id")
            title = self.text(fields["title"], "title") if "title" in fields else ident
            columns.append(BulletinColumn(ident, title, self.metric(item, fields, "bulletin column")))
        if not columns:
            self.fail(node, "bulletin", [], "at least one column: a quota id or {id, title, count: …}")
        _unique(self.path, [(c.id, _line(node)) for c in columns], "bulletin column id")
        return tuple(columns), text

    def notes(self, node, what: str) -> list[PlanNote]:
        """`manual:` / `out_of_scope:` — `[{text, reason}]`."""
        notes = []
        for item in _sequence(self.path, node, what):
            fields = self.fields(item, what, {"text", "reason"}, {"text", "reason"})
            text = self.plan_text(fields)
            reason = self.plan_text(fields, "reason")
            assert text is not None and reason is not None  # both required above
            notes.append(PlanNote(text, reason))
        return notes


@dataclass(frozen=True)
class _Share:
    """A share quota as read, before the quota it names (`of`) is known."""

    id: str
    title: str
    of: str
    share: Decimal
    by: date
    text: str | None
    campaign: Campaign | None
    of_node: yaml.Node
    line: int


def _people(path: Path, node: yaml.Node) -> list[PersonSpec]:
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(path, node, "people", _construct(node), "a list of {name, unit, role}")
    people, seen = [], set()
    for item in node.value:
        fields = {k.value: v for k, v in _mapping(path, item, "people[]")}
        unknown = set(fields) - {"name", "unit", "role"}
        if unknown or not {"name", "unit"} <= set(fields):
            raise ConfigError(path, item, "people[]", _construct(item), "{name: …, unit: …, role: …}")
        role_node = fields.get("role")
        role_text = str(_construct(role_node)) if role_node is not None else "staff"
        try:
            role = parse_code(Role, role_text, "role")
        except ZsError as exc:
            raise ConfigError(path, role_node, "people[].role", role_text, exc.expected) from exc
        name = _name(path, fields["name"], "people[].name", check_person_name)
        unit = _name(path, fields["unit"], "people[].unit", check_sheet_name)
        if (name, unit) in seen:
            raise ConfigError(path, item, "people[].name", name, f"each person listed once in {unit}", "listed twice")
        seen.add((name, unit))
        people.append(PersonSpec(name, unit, role, line=_line(item)))
    return people
