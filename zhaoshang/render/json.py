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


_STRING = json.encoder.encode_basestring  # the C function json itself writes a string with (ensure_ascii=False)


def indented(value, step: int, default, depth: int = 0) -> str:
    """`json.dumps(value, indent=step, ensure_ascii=False, default=default)`, the same text, at a
    fraction of the time: json writes an indented document with its pure-Python encoder, a
    million rows of `zs log list --json` mostly in it. Strings go through json's own C function."""
    if isinstance(value, str):
        return _STRING(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return json.dumps(value)
        return float.__repr__(value)
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        inner = "\n" + " " * (step * (depth + 1))
        parts = (inner + indented(v, step, default, depth + 1) for v in value)
        return "[" + ",".join(parts) + "\n" + " " * (step * depth) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        if not all(isinstance(k, str) for k in value):  # json's own way with other keys
            text = json.dumps(value, indent=step, ensure_ascii=False, default=default)
            return text.replace("\n", "\n" + " " * (step * depth))
        inner = "\n" + " " * (step * (depth + 1))
        parts = (inner + _STRING(k) + ": " + indented(v, step, default, depth + 1) for k, v in value.items())
        return "{" + ",".join(parts) + "\n" + " " * (step * depth) + "}"
    return indented(default(value), step, default, depth)


def dumps_rows(rows: Iterable) -> Iterator[str]:
    """`dumps(list(rows))` in pieces, a row at a time, so that a list of a million is never held
    whole: the same text, piece by piece."""
    opening = "[\n"
    for row in rows:
        yield opening + "  " + dumps(row).replace("\n", "\n  ")  # no line of dumps() is empty
        opening = ",\n"
    yield "[]" if opening == "[\n" else "\n]"
