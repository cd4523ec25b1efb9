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
    return json.dumps(value, default=_default, ensure_ascii=False, indent=2)


def dumps_rows(rows: Iterable) -> Iterator[str]:
    """`dumps(list(rows))` in pieces, a row at a time, so that a list of a million is never held
    whole: the same text, piece by piece."""
    opening = "[\n"
    for row in rows:
        yield opening + "  " + dumps(row).replace("\n", "\n  ")  # no line of dumps() is empty
        opening = ",\n"
    yield "[]" if opening == "[\n" else "\n]"
