"""JSON for scripts: dataclasses as objects, dates as ISO strings, codes as English strings."""

import dataclasses
import json
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from enum import Enum


def _default(value):
    if dataclasses.is_dataclass(value):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        # Whole numbers (money in yuan, counts) stay integers; a pace or rate is a JSON number.
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def dumps(value) -> str:
    return indented(value, 2, _default)


_FIELDS: dict[type, tuple[tuple[str, str], ...]] = {}  # a record's fields, each with its key as written


def _field_names(value) -> tuple[tuple[str, str], ...]:
    return tuple((f.name, _STRING(f.name) + ": ") for f in dataclasses.fields(value))


_STRING = json.encoder.encode_basestring  # the C function json itself writes a string with (ensure_ascii=False)


def indented(value, step: int, default, depth: int = 0) -> str:
    """`json.dumps(value, indent=step, ensure_ascii=False, default=default)`, the same text, at a
    fraction of the time: json writes an indented document with its pure-Python encoder, a
    million rows of `zs log list --json` mostly in it. Strings go through json's own C function."""
    leaf = _LEAVES.get(type(value))
    if leaf is not None:
        return leaf(value)
    if isinstance(value, str):  # a str subclass (a code's enum): its text, as json writes it
        return _STRING(value)
    if isinstance(value, int):
        return "true" if value is True else "false" if value is False else int.__repr__(value)
    if isinstance(value, float):
        return _float(value)
    inner = "\n" + " " * (step * (depth + 1))
    close = "\n" + " " * (step * depth)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        return "[" + ",".join([inner + _value(v, step, default, depth + 1) for v in value]) + close + "]"
    if type(value) in _FIELDS or dataclasses.is_dataclass(value) and not isinstance(value, type):
        # a record: what `_default` makes of it, without making the dict (a million rows of a list)
        names = _FIELDS.get(type(value)) or _FIELDS.setdefault(type(value), _field_names(value))
        if not names:
            return "{}"
        parts = [inner + key + _value(getattr(value, name), step, default, depth + 1) for name, key in names]
        return "{" + ",".join(parts) + close + "}"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(k, str) for k in value):  # json's own way with other keys
            text = json.dumps(value, indent=step, ensure_ascii=False, default=default)
            return text.replace("\n", close)
        parts = [inner + _STRING(k) + ": " + _value(v, step, default, depth + 1) for k, v in value.items()]
        return "{" + ",".join(parts) + close + "}"
    return indented(default(value), step, default, depth)


def _value(value, step: int, default, depth: int) -> str:
    leaf = _LEAVES.get(type(value))
    return leaf(value) if leaf is not None else indented(value, step, default, depth)


def _float(value: float) -> str:
    if value != value or value in (float("inf"), float("-inf")):
        return json.dumps(value)  # NaN, Infinity, -Infinity
    return float.__repr__(value)


# How json writes a value of exactly these types.
_LEAVES = {
    str: _STRING,
    type(None): lambda _: "null",
    bool: lambda v: "true" if v else "false",
    int: int.__repr__,
    float: _float,
}


def dumps_rows(rows: Iterable) -> Iterator[str]:
    """`dumps(list(rows))` in pieces, a row at a time, so that a list of a million is never held
    whole: the same text, piece by piece."""
    opening = "[\n"
    for row in rows:
        yield opening + "  " + dumps(row).replace("\n", "\n  ")  # no line of dumps() is empty
        opening = ",\n"
    yield "[]" if opening == "[\n" else "\n]"
