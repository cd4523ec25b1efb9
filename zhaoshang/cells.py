"""The cells of a sheet being imported, read as values: which sheet of a file holds a kind of
record, its headers mapped to the ledger's fields (zhaoshang.interchange), and each row's cells as
text, dates, amounts, codes and flags. A cell that cannot be read as what its field needs is
recorded as a BadCell and read as empty; what the row then means is zhaoshang.importer's business.

The file formats themselves (CSV, xlsx) are zhaoshang.tabular's.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from zhaoshang.errors import ZsError
from zhaoshang.interchange import SCALES, SHEETS, SOURCE_KEY, Column, header_test, keyed, map_headers
from zhaoshang.labels import ActivityKind, Currency, EventType, Stage, label, parse_code
from zhaoshang.parse import (
    FIRST_DAY,
    LAST_DAY,
    BareAmount,
    NoYear,
    check_text,
    parse_date,
    parse_money,
    parse_span,
    unsafe_character,
)
from zhaoshang.render.fmt import shown
from zhaoshang.tabular import read_rows, sheet_names

LISTS = ("companies", "projects")  # cells that hold a list: a line break separates its items
_LINE_BREAK = re.compile(r"\r?\n")
TRUE = {"是", "√", "✓", "1", "true", "yes", "y", "重点", "是重点"}
FALSE = {"否", "×", "0", "false", "no", "n", "非重点"}


@dataclass(frozen=True)
class BadCell:
    sheet: str
    row: int
    column: str
    value: object
    expected: str

    def __str__(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return f"{shown(self.sheet)} row {self.row}, {shown(self.column)} {value!r}: expected {self.expected}"


# What a cell's text was read as, kept across rows: a 台账 repeats the same few dates and codes.
_MEMO_DATES: dict[str, date] = {}
_MEMO_CODES: dict[tuple, object] = {}
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")  # 2023-03-13: read by `day`, and remembered


class Row:
    """One row's cells by field, with a way to record what is wrong with them."""

    def __init__(
        self,
        sheet: str,
        number: int,
        cells: list,
        columns: dict[str, Column],
        bad: list[BadCell],
        headers: dict[str, str],
        money_unit: int | None = None,
        year: int | None = None,
    ):
        self.sheet, self.number, self.bad, self.headers, self.money_unit = sheet, number, bad, headers, money_unit
        self.year = year  # the year of dates written without one (--year)
        width = len(cells)
        self.values = {name: (cells[c.index] if c.index < width else None) for name, c in columns.items()}
        self.columns = columns  # by field
        self.ok = True
        self.refused: set[str] = set()  # cells already reported: read as empty, not reported again
        if unsafe_character("、".join(v for v in self.values.values() if type(v) is str)):  # one search, most rows
            self._refuse_unsafe()

    def _refuse_unsafe(self) -> None:
        for name, value in self.values.items():
            if type(value) is str:
                try:
                    check_text(_LINE_BREAK.sub("、", value) if name in LISTS else value, name)
                except ZsError as exc:
                    self.fail(name, value, f"{exc.expected} ({exc.problem})")
                    self.refused.add(name)
                    self.values[name] = None

    def raw(self, name: str):
        return self.values.get(name)  # the readers give None for an empty cell and strip text

    def fail(self, name: str, value, expected: str) -> None:
        """Record a bad cell: once per cell, so that a cell read as empty for being bad is not
        reported again as missing."""
        self.ok = False
        if name in self.refused:
            return
        self.refused.add(name)
        header = self.columns[name].header if name in self.columns else self.headers.get(name, name)
        self.bad.append(BadCell(self.sheet, self.number, header, value, expected))

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if type(value) is str:
            return value
        if value is None:
            if required:
                self.fail(name, "", "a value")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def day(self, name: str, today: date, required: bool = False) -> date | None:
        """A date the ledger may hold (FIRST_DAY to LAST_DAY, as every way in requires)."""
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "", "a date")
            return None
        return self._held(name, self._day(value, name, today))

    def span(self, name: str, today: date, required: bool = False) -> tuple[date | None, date | None]:
        """A date, or the first and last day of a span in one cell (2023年5月3日-5日): (first, last),
        last None for a single date."""
        value = self.raw(name)
        if not isinstance(value, str) or value in _MEMO_DATES or _ISO_DAY.fullmatch(value):
            return self.day(name, today, required), None
        try:
            first, last = parse_span(value, today, name, self.year)
        except ZsError as exc:
            self._refuse_date(name, value, exc)
            return None, None
        return self._held(name, first), self._held(name, last)

    def _held(self, name: str, found: date | None) -> date | None:
        if found is not None and not FIRST_DAY <= found <= LAST_DAY:
            self.fail(name, found, f"a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
            return None
        return found

    def _day(self, value, name: str, today: date) -> date | None:
        if isinstance(value, str) and value in _MEMO_DATES:
            return _MEMO_DATES[value]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                _MEMO_DATES[value] = date.fromisoformat(value)
                return _MEMO_DATES[value]
            except ValueError:
                pass  # parse_date says what is wrong with it
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, float) and not value.is_integer():  # 45000.5, inf, nan: not a day
            self.fail(name, value, "a date")
            return None
        text = str(int(value)) if isinstance(value, float) else str(value)
        try:
            return parse_date(text, today, name, self.year)
        except ZsError as exc:
            self._refuse_date(name, value, exc, text, today)
            return None

    def _refuse_date(self, name: str, value, exc: ZsError, text: str | None = None, today: date | None = None) -> None:
        """A date cell that does not read, said as it is wrong: without its year (and no --year), a
        span where one date is wanted (a project's stage), or not a date."""
        if isinstance(exc, NoYear):
            self.fail(name, value, f"{exc.expected} (or --year for a sheet whose dates leave it out)")
        elif text is not None and today is not None and _is_span(text, today, name, self.year):
            self.fail(name, value, "one date, not a span of days")
        else:
            self.fail(name, value, exc.expected if not exc.problem else f"{exc.expected} ({exc.problem})")

    def amount(self, name: str, required: bool = False) -> int | None:
        """An amount in yuan; one in another currency is refused (see `money`)."""
        amount, currency = self.money(name, required)
        if currency is not None:
            self.fail(name, self.raw(name), "an amount in yuan (元)")
            return None
        return amount

    def money(self, name: str, required: bool = False) -> tuple[int | None, Currency | None]:
        """An amount and its currency (1000万美元); None for yuan."""
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "", "an amount")
            return None, None
        column = self.columns[name]
        numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)  # an Excel number
        try:
            amount, currency = parse_money(
                format(Decimal(str(value)), "f") if numeric else str(value),
                name,
                bare_unit=column.scale or self.money_unit,
            )
            return amount, Currency(currency) if currency else None
        except BareAmount as exc:
            self.fail(
                name, value, f"{exc.expected} (or a unit in the header such as {column.header}(万元), or --money-unit)"
            )
        except ZsError as exc:
            self.fail(name, value, exc.expected)
        return None, None

    def code(self, vocabulary, name: str, required: bool = False):
        value = self.text(name, required)
        if value is None:
            return None
        known = _MEMO_CODES.get((vocabulary, value))
        if known is not None:
            return known
        try:
            _MEMO_CODES[(vocabulary, value)] = parse_code(vocabulary, value, name)
        except ZsError as exc:
            self.fail(name, value, exc.expected)
            return None
        return _MEMO_CODES[(vocabulary, value)]

    def flag(self, name: str) -> bool:
        value = self.text(name)
        if value is None or value.lower() in FALSE:
            return False
        if value.lower() in TRUE:
            return True
        self.fail(name, value, "是 or 否")
        return False


def _sheet(path: Path, kind: str) -> tuple[str | None, str]:
    """Which sheet to read for a kind of record: its own sheet in a zs workbook, else the first."""
    title = SHEETS[kind][0]
    names = sheet_names(path)
    if title in names:
        return title, title
    return None, path.name


def sheet_rows(
    path: Path,
    kind: str,
    extra: dict[str, str],
    sheet: str | None = None,
    bad: list | None = None,
    money_unit: int | None = None,
    key: str | None = None,
    year: int | None = None,
):
    """(the sheet as named to the reader, its rows, a factory of checked rows) for one kind of record
    in a file, read from its header row (a title above it is skipped). `money_unit`: yuan per plain
    number in a money column whose header names no unit (--money-unit; else a title row's 单位：万元);
    None, and no such title, refuses such numbers.
    `key`: the header of the column that identifies rows across re-sent versions (--key); `year`:
    the year of dates written without one, 5月3日 (--year)."""
    fields = keyed(SHEETS[kind][1], key)
    sheet_name, shown = (sheet, sheet) if sheet else _sheet(path, kind)
    titles: list[str] = []
    headers, rows = read_rows(path, sheet_name, header_test(fields, extra), titles)
    if money_unit is None:  # a title row's 单位：万元 says what the sheet's plain numbers are in
        money_unit = next((SCALES[m[1]] for t in titles if (m := _TITLE_UNIT.search(t))), None)
    columns = map_headers(headers, fields, extra, f"{shown} headers")
    if key is not None and SOURCE_KEY not in {c.field for c in columns}:
        raise ZsError("--key", key, f"a column of {shown} (its headers: {', '.join(h for h in headers if h)})")
    names = {f.name: f.header for f in fields} | {f"{s.value}_date": f"{label(s)}日期" for s in Stage}
    by_field = {c.field: c for c in columns}

    def row(number: int, cells: list) -> Row:
        return Row(shown, number, cells, by_field, bad, names, money_unit, year)

    return shown, _without_totals(rows), row


def _is_span(text: str, today: date, name: str, year: int | None) -> bool:
    try:
        return parse_span(text, today, name, year)[1] is not None
    except ZsError:
        return False


_TITLE_UNIT = re.compile(r"单位\s*[：:]\s*(亿元|万元|元)")  # 填报单位：萧镇　单位：万元 (not 萧镇)
TOTALS = {"合计", "小计", "总计", "合 计", "小 计", "总 计"}


def _without_totals(rows):
    """The rows without a 合计/小计/总计 row (a cell that says just that): a sum is not a record."""
    for number, cells in rows:
        if "计" in repr(cells):  # the row's text is in its repr: only such a row can be one, most are not
            texts = {str(c).strip().replace("\u3000", " ") for c in cells if c is not None}
            if texts & TOTALS:
                continue
        yield number, cells


def activity_kind(row: Row) -> tuple[ActivityKind | None, EventType | None]:
    """An activity's kind cell: an activity kind, or an event type (an event of that type)."""
    value = row.text("kind", required=True)
    if value is None:
        return None, None
    if ("kind", value) in _MEMO_CODES:
        return _MEMO_CODES[("kind", value)]
    for vocabulary in (ActivityKind, EventType):
        try:
            code = parse_code(vocabulary, value, "kind")
        except ZsError:
            continue
        found = (code, None) if vocabulary is ActivityKind else (ActivityKind.event, code)
        _MEMO_CODES[("kind", value)] = found
        return found
    row.fail("kind", value, "外出招商, 走访企业, 接待客商, 调度会, or an event type (推介会, 展会, 签约仪式 …)")
    return None, None
