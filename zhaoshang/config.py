"""targets.yaml -> a validated, typed `Targets` value. Every refusal names the file and the line.

The YAML is composed into nodes first so that each value keeps the line it came from.
"""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from zhaoshang.errors import ZsError
from zhaoshang.labels import Role, UnitKind, parse_code


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
    # Sections that later parts of zs read (quotas, campaigns, rankings, scoring), kept as nodes.
    sections: dict[str, Any] = field(default_factory=dict)


TOP_KEYS = {"region", "year", "units", "people", "quotas", "campaigns", "rankings", "scoring"}


class ConfigError(ZsError):
    """A wrong targets.yaml: `file:line: key 'value': expected …`."""

    def __init__(self, path: Path, node: yaml.Node | None, key: str, value: object, expected: str):
        line = node.start_mark.line + 1 if node is not None else 1
        super().__init__(f"{path}:{line}: {key}", value, expected)


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
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
        raise ZsError(f"{path}:{line}", "", "valid YAML", getattr(exc, "problem", None) or str(exc)) from exc
    if root is None:
        raise ConfigError(path, None, "targets", "", "a mapping with region, units, quotas …")
    region, year, units, people, sections = "", None, {}, [], {}
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
    return Targets(path, region, year, units, people, sections)


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
