"""targets.yaml -> a validated, typed `Targets` value. Every refusal names the file and the line.

The YAML is composed into nodes first so that each value keeps the line it came from.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from zhaoshang.errors import ZsError
from zhaoshang.labels import EventType, Mode, Origin, Role, Stage, UnitKind, parse_code
from zhaoshang.parse import parse_amount, parse_date
from zhaoshang.quota import (
    ACTIVITY_COUNTS,
    ACTIVITY_FILTERS,
    COUNTS,
    FILTERS,
    PERIODS,
    PROJECT_FILTERS,
    RATES,
    SUMS,
    Campaign,
    Filter,
    Metric,
    Quota,
    Who,
)


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
    per: str = "quarter"


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


TOP_KEYS = {"region", "year", "units", "people", "quotas", "campaigns", "rankings", "scoring"}


class ConfigError(ZsError):
    """A wrong targets.yaml: `file:line: key 'value': expected …`."""

    def __init__(self, path: Path, node: yaml.Node | None, key: str, value: object, expected: str):
        line = node.start_mark.line + 1 if node is not None else 1
        super().__init__(f"{path}:{line}: {key}", value, expected)


def _construct(node: yaml.Node) -> Any:
    """The Python value of a node; a scalar YAML cannot read (such as 2023-02-30) stays text."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    except (ValueError, yaml.YAMLError):
        return node.value if isinstance(node, yaml.ScalarNode) else None
    finally:
        loader.dispose()


def _mapping(path: Path, node: yaml.Node, what: str) -> list[tuple[yaml.ScalarNode, yaml.Node]]:
    if not isinstance(node, yaml.MappingNode):
        raise ConfigError(path, node, what, _construct(node), "a mapping of key: value")
    return node.value


def load_targets(path: Path) -> Targets:
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ZsError("--targets", str(path), "a readable UTF-8 targets.yaml", str(exc)) from exc
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        lines = source.splitlines()
        text = lines[min(line, len(lines)) - 1].strip() if lines else ""
        raise ZsError(f"{path}:{line}: YAML", text, "valid YAML", getattr(exc, "problem", None) or str(exc)) from exc
    if root is None:
        raise ConfigError(path, None, "targets", "", "a mapping with region, units, quotas …")
    region, year, units, people, sections = "", None, {}, [], {}
    today = date(2000, 1, 1)  # dates in targets.yaml are absolute; 'today' has no meaning there
    for key_node, value in _mapping(path, root, "targets"):
        key = key_node.value
        if key not in TOP_KEYS:
            raise ConfigError(path, key_node, "key", key, f"one of {', '.join(sorted(TOP_KEYS))}")
        if key == "region":
            region = str(_construct(value))
        elif key == "year":
            year = _construct(value)
            if not isinstance(year, int) or not 1900 <= year <= 2200:
                raise ConfigError(path, value, "year", year, "a year such as 2023")
        elif key == "units":
            for name_node, kind_node in _mapping(path, value, "units"):
                kind = _construct(kind_node)
                try:
                    units[str(name_node.value)] = parse_code(UnitKind, str(kind), "kind")
                except ZsError as exc:
                    raise ConfigError(path, kind_node, f"units.{name_node.value}", kind, exc.expected) from exc
        elif key == "people":
            people = _people(path, value)
        else:
            sections[key] = value
    for person in people:
        if person.unit not in units:
            raise ZsError(f"{path}:{person.line}: people[].unit", person.unit, "a unit listed under units")
    reader = _Reader(path, units, today)
    quotas = reader.quotas(sections["quotas"], None) if "quotas" in sections else []
    campaigns = []
    for node in _sequence(path, sections.get("campaigns"), "campaigns"):
        campaign, campaign_quotas = reader.campaign(node)
        campaigns.append(campaign)
        quotas += campaign_quotas
    _unique(path, [(q.id, q.line) for q in quotas], "quota id")
    _unique(path, [(c.id, 0) for c in campaigns], "campaign id")
    rankings = [reader.ranking(node) for node in _sequence(path, sections.get("rankings"), "rankings")]
    _unique(path, [(r.id, 0) for r in rankings], "ranking id")
    known = {q.id: q for q in quotas}
    scoring = [reader.score_rule(node, known) for node in _sequence(path, sections.get("scoring"), "scoring")]
    return Targets(path, region, year, units, people, quotas, campaigns, rankings, scoring)


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
            raise ZsError(f"{path}:{line}: {what}" if line else f"{path}: {what}", ident, "ids that are unique",
                          "used twice")
        seen.add(ident)


QUOTA_KEYS = {"id", "title", "count", "sum", "rate", "where", "who", "per", "at_least"}
FILTER_CODES = {"mode": Mode, "event_type": EventType, "led_by": Role, "reached": Stage, "origin": Origin}


class _Reader:
    """Reads the quota sections node by node, so that each refusal names its line."""

    def __init__(self, path: Path, units: dict[str, UnitKind], today: date):
        self.path, self.units, self.today = path, units, today

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

    def text(self, node, key: str) -> str:
        value = _construct(node)
        if not isinstance(value, str | int) or not str(value).strip():
            self.fail(node, key, value, "a text")
        return str(value).strip()

    def number(self, node, key: str, money: bool = False) -> Decimal:
        value = _construct(node)
        if money and isinstance(value, str | int | float) and not isinstance(value, bool):
            try:  # a bare 5000 may mean 5000万: money in targets.yaml says its unit, as on the command line
                return Decimal(parse_amount(str(value), key, bare_unit=None))
            except ZsError as exc:
                self.fail(node, key, value, exc.expected)
        if isinstance(value, str) and value.strip().endswith("%"):
            try:
                value = Decimal(value.strip()[:-1]) / 100
            except InvalidOperation:
                self.fail(node, key, value, "a number or a percentage such as 80%")
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.fail(node, key, value, "a number that is not negative" + (", or money such as 5亿" if money else ""))
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            self.fail(node, key, value, "a number")
        if number < 0 or not number.is_finite():
            self.fail(node, key, value, "a number that is not negative")
        return number

    def day(self, node, key: str) -> date:
        value = _construct(node)
        try:
            return parse_date(value if isinstance(value, date) else str(value), self.today, key)
        except ZsError as exc:
            self.fail(node, key, value, exc.expected)

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
        return Metric(op, name, where)

    def filter(self, node, op: str, name: str) -> Filter:
        if node is None:
            return Filter()
        values: dict[str, Any] = {}
        allowed = FILTERS[name]
        for key_node, value_node in _mapping(self.path, node, "where"):
            key = key_node.value
            every = ACTIVITY_FILTERS | PROJECT_FILTERS | {"origin"}
            if key not in every:
                self.fail(key_node, "where key", key, f"one of {', '.join(sorted(every))}")
            if key not in allowed:
                self.fail(key_node, "where key", key, f"a filter that applies to {op}: {name} "
                                                      f"({', '.join(sorted(allowed))})")
            raw = _construct(value_node)
            if key in FILTER_CODES:
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
        return Filter(**values)

    def who(self, node, allow_person: bool = True) -> Who:
        value = _construct(node)
        if value == "region":
            return Who("region")
        expected = "region, {each: KIND}, {units: [..]} or {each_person: ROLE, of: KIND}"
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "who", value, expected)
        fields = {k.value: v for k, v in node.value}
        if set(fields) == {"each"}:
            return Who("each", kind=self.kind(fields["each"]))
        if set(fields) == {"units"}:
            names = _construct(fields["units"])
            if not isinstance(names, list) or not names:
                self.fail(fields["units"], "who.units", names, "a list of unit names")
            for name in names:
                if str(name) not in self.units:
                    self.fail(fields["units"], "who.units", name, "a unit listed under units")
            return Who("units", units=tuple(str(n) for n in names))
        if allow_person and set(fields) in ({"each_person"}, {"each_person", "of"}):
            raw = _construct(fields["each_person"])
            try:
                role = parse_code(Role, str(raw), "each_person")
            except ZsError as exc:
                self.fail(fields["each_person"], "who.each_person", raw, exc.expected)
            kind = self.kind(fields["of"]) if "of" in fields else None
            return Who("each_person", kind=kind, role=role)
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
            self.fail(fields["who"], "who.each_person", metric.name, "an activity count (trips, visits …) "
                                                                    "for a quota per person")
        periods = PERIODS + (("campaign",) if campaign else ())
        per = self.text(fields["per"], "per") if "per" in fields else ("campaign" if campaign else None)
        if per not in periods:
            self.fail(fields.get("per", node), "per", per, f"one of {', '.join(periods)}")
        at_least = self.number(fields["at_least"], "at_least", money=metric.is_money)
        if metric.op == "rate" and at_least > 1:
            self.fail(fields["at_least"], "at_least", _construct(fields["at_least"]),
                      "a rate between 0 and 1, such as 0.8 or 80%")
        if metric.op == "count" and at_least != at_least.to_integral_value():
            self.fail(fields["at_least"], "at_least", _construct(fields["at_least"]), "a whole number")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        return Quota(ident, title, metric, who, per, at_least, campaign, node.start_mark.line + 1)

    def campaign(self, node) -> tuple[Campaign, list[Quota]]:
        fields = self.fields(node, "campaign", {"id", "title", "from", "to", "quotas"}, {"id", "from", "to"})
        ident = self.text(fields["id"], "id")
        start, end = self.day(fields["from"], "from"), self.day(fields["to"], "to")
        if end < start:
            self.fail(fields["to"], "to", end.isoformat(), f"a date on or after from ({start.isoformat()})")
        title = self.text(fields["title"], "title") if "title" in fields else ident
        campaign = Campaign(ident, title, start, end)
        return campaign, self.quotas(fields.get("quotas"), campaign)

    def ranking(self, node) -> Ranking:
        fields = self.fields(node, "ranking", {"id", "title", "among", "by", "per"}, {"id", "among", "by"})
        ident = self.text(fields["id"], "id")
        among = self.who(fields["among"], allow_person=False)
        if among.scope == "region":
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
        return Ranking(ident, title, among, tuple(by), per)

    def score_rule(self, node, quotas: dict[str, Quota]) -> ScoreRule:
        keys = {"id", "title", "quota", "points", "partial", "penalty_per_short", "bonus_per_extra", "max_bonus",
                "late_start_credit", "count", "sum", "where", "who", "points_each"}
        fields = self.fields(node, "scoring rule", keys, {"id"})
        ident = self.text(fields["id"], "id")
        values: dict[str, Any] = {"id": ident, "title": self.text(fields["title"], "title")
                                  if "title" in fields else ident}
        if "quota" in fields:
            quota = self.text(fields["quota"], "quota")
            if quota not in quotas:
                self.fail(fields["quota"], "quota", quota, "the id of a quota in this file")
            values["quota"] = quota
        elif "count" in fields or "sum" in fields:
            values["metric"] = self.metric(node, fields, "scoring rule")
            values["who"] = self.who(fields["who"], allow_person=False) if "who" in fields else Who("region")
        else:
            self.fail(node, "scoring rule", ident, "a `quota:` to score, or a `count:`/`sum:` to give a bonus for")
        for key in ("points", "penalty_per_short", "bonus_per_extra", "max_bonus", "points_each"):
            if key in fields:
                values[key] = self.number(fields[key], key)
        if "late_start_credit" in fields:
            values["late_start_credit"] = self.number(fields["late_start_credit"], "late_start_credit")
            if values["late_start_credit"] > 1:
                self.fail(fields["late_start_credit"], "late_start_credit", values["late_start_credit"],
                          "a share between 0 and 1, such as 0.5")
            scored = quotas.get(values.get("quota"))
            if scored is None or scored.metric.name != "projects" or scored.metric.where.reached is not Stage.started:
                self.fail(fields["late_start_credit"], "late_start_credit", values["late_start_credit"],
                          "a rule on a quota that counts starts (count: projects, where: {reached: started})")
        if "partial" in fields:
            raw = _construct(fields["partial"])
            if not isinstance(raw, bool):
                self.fail(fields["partial"], "partial", raw, "true or false")
            values["partial"] = raw
        return ScoreRule(**values)


def _people(path: Path, node: yaml.Node) -> list[PersonSpec]:
    if not isinstance(node, yaml.SequenceNode):
        raise ConfigError(path, node, "people", _construct(node), "a list of {name, unit, role}")
    people = []
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
        name, unit = str(_construct(fields["name"])), str(_construct(fields["unit"]))
        people.append(PersonSpec(name, unit, role, line=item.start_mark.line + 1))
    return people
