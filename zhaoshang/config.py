"""targets.yaml -> a validated, typed `Targets` value. Every refusal names the file and the line.

The YAML is composed into nodes first so that each value keeps the line it came from. The file is
read as an attacker might write it: what a plan never needs (anchors and aliases, explicit tags,
merge keys, deep nesting, repeated or non-scalar keys) is refused before anything is constructed.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, DecimalException
from pathlib import Path
from typing import Any

import yaml

from zhaoshang.errors import ZsError
from zhaoshang.labels import Currency, EventType, Mode, Origin, Role, Stage, Tier, UnitKind, label, parse_code
from zhaoshang.parse import FIRST_DAY, LAST_DAY, check_text, parse_date, parse_money
from zhaoshang.paths import open_input
from zhaoshang.quota import (
    ACTIVITY_COUNTS,
    ACTIVITY_FILTERS,
    COUNTS,
    FILTERS,
    PERIODS,
    PROJECT_FILTERS,
    RATES,
    STOCK_FILTERS,
    SUMS,
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
class Targets:
    path: Path
    region: str
    year: int | None
    units: dict[str, UnitKind]
    people: list[PersonSpec]
    quotas: list[Quota] = field(default_factory=list)  # the year's and every campaign's
    campaigns: list[Campaign] = field(default_factory=list)
    rankings: list["Ranking"] = field(default_factory=list)
    scoring: list["ScoreRule"] = field(default_factory=list)
    rates: dict[Currency, Decimal] = field(default_factory=dict)  # yuan per unit: {USD: 7.1}

    def rates_text(self) -> str:
        """The rates as a report says them: 1美元=7.1元；1港元=0.92元."""
        return "；".join(f"1{label(c)}={r.normalize():f}元" for c, r in self.rates.items())


@dataclass(frozen=True)
class RankBy:
    metric: Metric
    weight: Decimal


@dataclass(frozen=True)
class Ranking:
    """竞赛榜: units of one track ranked on weighted metrics."""

    id: str
    title: str
    among: Who
    by: tuple[RankBy, ...]
    per: Per = Per.quarter

    def __post_init__(self) -> None:
        object.__setattr__(self, "per", Per(self.per))


@dataclass(frozen=True)
class ScoreRule:
    """A year-end scoring rule: points for a quota (with partial credit, a penalty per unit short,
    a bonus per unit beyond), or a bonus per counted item (`bonus` with a metric)."""

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


TOP_KEYS = {"region", "year", "units", "people", "rates", "quotas", "campaigns", "rankings", "scoring"}
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


def _read(path: Path) -> str:
    """The text of the file, refused in one line if unreadable, not UTF-8 or larger than a plan can be."""
    try:
        with open_input(path, "--targets", "a readable UTF-8 targets.yaml") as file:
            data = file.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise ZsError(
                "--targets", str(path), f"a targets.yaml of at most {MAX_BYTES // 1000} KB", "the file is larger"
            )
        return data.decode("utf-8")
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path, or bytes that are not UTF-8
        raise ZsError("--targets", str(path), "a readable UTF-8 targets.yaml", str(exc)) from exc


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


def load_targets(path: Path) -> Targets:
    source = _read(path)
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
    campaigns = []
    campaign_nodes = _sequence(path, sections.get("campaigns"), "campaigns")
    for node in campaign_nodes:
        campaign, campaign_quotas = reader.campaign(node)
        campaigns.append(campaign)
        quotas += campaign_quotas
    _unique(path, [(q.id, q.line) for q in quotas], "quota id")
    _unique(path, [(c.id, _line(n)) for c, n in zip(campaigns, campaign_nodes, strict=True)], "campaign id")
    ranking_nodes = _sequence(path, sections.get("rankings"), "rankings")
    rankings = [reader.ranking(node) for node in ranking_nodes]
    _unique(path, [(r.id, _line(n)) for r, n in zip(rankings, ranking_nodes, strict=True)], "ranking id")
    known = {q.id: q for q in quotas}
    rule_nodes = _sequence(path, sections.get("scoring"), "scoring")
    scoring = [reader.score_rule(node, known) for node in rule_nodes]
    _unique(path, [(r.id, _line(n)) for r, n in zip(scoring, rule_nodes, strict=True)], "scoring rule id")
    return Targets(path, region, year, units, people, quotas, campaigns, rankings, scoring, rates)


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


QUOTA_KEYS = {"id", "title", "count", "sum", "rate", "where", "who", "per", "at_least"}
FILTER_CODES = {
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

    def number(self, node, key: str, money: bool = False) -> Decimal:
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
            self.fail(node, key, value, "a number that is not negative" + (", or money such as 5亿" if money else ""))
        try:
            number = Decimal(str(number))
        except DecimalException:
            self.fail(node, key, value, "a number")
        if not number.is_finite():  # .nan, .inf: before any comparison, which a NaN cannot answer
            self.fail(node, key, value, "a finite number")
        if number < 0:
            self.fail(node, key, value, "a number that is not negative")
        if number > NUMBER_LIMIT or number != round(number, NUMBER_PLACES):
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
            if key == "tier":  # one tier or a list: companies of any of them
                items = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                tiers = []
                for item in items:
                    try:
                        tiers.append(parse_code(Tier, str(_construct(item)), "tier"))
                    except ZsError as exc:
                        self.fail(item, "where.tier", _construct(item), exc.expected)
                if not tiers:
                    self.fail(value_node, "where.tier", raw, "a tier or a list of tiers, such as [global500, china500]")
                values[key] = tuple(dict.fromkeys(tiers))
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

    def quotas(self, node, campaign: Campaign | None) -> list[Quota]:
        return [self.quota(item, campaign) for item in _sequence(self.path, node, "quotas")]

    def quota(self, node, campaign: Campaign | None) -> Quota:
        fields = self.fields(node, "quota", QUOTA_KEYS, {"id", "who", "at_least"})
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
        at_least = self.number(fields["at_least"], "at_least", money=metric.is_money)
        if metric.op == "rate" and at_least > 1:
            self.fail(
                fields["at_least"],
                "at_least",
                _construct(fields["at_least"]),
                "a rate between 0 and 1, such as 0.8 or 80%",
            )
        if metric.op == "count" and at_least != at_least.to_integral_value():
            self.fail(fields["at_least"], "at_least", _construct(fields["at_least"]), "a whole number")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return Quota(ident, title, metric, who, Per(per), at_least, campaign, node.start_mark.line + 1)

    def campaign(self, node) -> tuple[Campaign, list[Quota]]:
        fields = self.fields(node, "campaign", {"id", "title", "from", "to", "quotas"}, {"id", "from", "to"})
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
        campaign = Campaign(ident, title, start, end)
        return campaign, self.quotas(fields.get("quotas"), campaign)

    def ranking(self, node) -> Ranking:
        fields = self.fields(node, "ranking", {"id", "title", "among", "by", "per"}, {"id", "among", "by"})
        ident = self.text(fields["id"], "id")
        among = self.who(fields["among"], allow_person=False)
        if among.scope == Scope.region:
            self.fail(fields["among"], "among", "region", "{each: KIND} or {units: [..]}: units to rank")
        by = []
        for item in _sequence(self.path, fields["by"], "by"):
            entry = self.fields(item, "by", {"count", "sum", "rate", "where", "weight"}, {"weight"})
            by.append(RankBy(self.metric(item, entry, "by"), self.number(entry["weight"], "weight")))
        if not by:
            self.fail(fields["by"], "by", [], "at least one metric to rank on")
        per = self.text(fields["per"], "per") if "per" in fields else "quarter"
        if per not in PERIODS:
            self.fail(fields["per"], "per", per, f"one of {', '.join(PERIODS)}")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return Ranking(ident, title, among, tuple(by), Per(per))

    def score_rule(self, node, quotas: dict[str, Quota]) -> ScoreRule:
        keys = {
            "id",
            "title",
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
        }
        fields = self.fields(node, "scoring rule", keys, {"id"})
        ident = self.text(fields["id"], "id")
        values: dict[str, Any] = {
            "id": ident,
            "title": self.text(fields["title"], "title") if "title" in fields else ident,
        }
        if "quota" in fields:
            quota = self.text(fields["quota"], "quota")
            if quota not in quotas:
                self.fail(fields["quota"], "quota", quota, "the id of a quota in this file")
            values["quota"] = quota
        elif "count" in fields or "sum" in fields:
            values["metric"] = self.metric(node, fields, "scoring rule")
            values["who"] = self.who(fields["who"], allow_person=False) if "who" in fields else Who(Scope.region)
        else:
            self.fail(node, "scoring rule", ident, "a `quota:` to score, or a `count:`/`sum:` to give a bonus for")
        for key in ("points", "penalty_per_short", "bonus_per_extra", "max_bonus", "points_each"):
            if key in fields:
                values[key] = self.number(fields[key], key)
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
