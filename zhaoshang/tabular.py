"""Reading and writing rows of cells: CSV and xlsx, the way offices keep their 台账.

Reading yields (row number, {header: value}) with Excel's own row numbers; xlsx date cells come
back as dates, numbers as numbers. Writing keeps text that looks like a formula as text: in xlsx
as a string cell, in CSV behind a leading apostrophe (which reading takes off again).
"""

import csv
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path

from zhaoshang.errors import ZsError

FORMULA_START = ("=", "+", "-", "@")


def _csv_cell(text: str):
    text = text.strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text or None


def read_rows(path: Path, sheet: str | None = None) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """(headers, rows) of a CSV file or of one sheet of a workbook (the first, unless named)."""
    path = Path(path)
    if not path.is_file():
        raise ZsError("FILE", str(path), "an existing .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    raise ZsError("FILE", str(path), "a .csv or .xlsx file")


def _read_csv(path: Path):
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
        reader = csv.reader(handle)
        headers = [h.strip() for h in next(reader, [])]
    except UnicodeDecodeError:
        try:
            handle = path.open(encoding="gb18030", newline="")  # what Excel saves on a Chinese Windows
            reader = csv.reader(handle)
            headers = [h.strip() for h in next(reader, [])]
        except UnicodeDecodeError as exc:
            raise ZsError("FILE", str(path), "a CSV file in UTF-8 or GB18030", str(exc)) from exc
    except csv.Error as exc:
        raise ZsError("FILE", str(path), "a readable CSV file", str(exc)) from exc

    def rows():
        with handle:
            try:
                for number, cells in enumerate(reader, start=2):
                    yield number, [_csv_cell(c) if c[:1] in "' \t" or c[-1:] in " \t" else (c or None)
                                   for c in cells]
            except csv.Error as exc:
                raise ZsError("FILE", str(path), "a readable CSV file", f"line {reader.line_num}: {exc}") from exc

    return headers, rows()


def sheet_names(path: Path) -> list[str]:
    if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return []
    book = _open_book(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _open_book(path: Path):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise ZsError("FILE", str(path), "a readable .xlsx workbook", f"{type(exc).__name__}: {exc}") from exc


def _read_xlsx(path: Path, sheet: str | None):
    book = _open_book(path)
    if sheet is not None and sheet not in book.sheetnames:
        book.close()
        raise ZsError("FILE", str(path), f"a workbook with a sheet named {sheet}")
    ws = book[sheet] if sheet else book.worksheets[0]
    cells = ws.iter_rows(values_only=True)
    first = next(cells, None) or ()
    headers = [str(h).strip() if h is not None else "" for h in first]

    def rows():
        try:
            for number, values in enumerate(cells, start=2):
                yield number, [_xlsx_cell(v) for v in values]
        finally:
            book.close()

    return headers, rows()


def _xlsx_cell(value):
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        return value.strip() or None
    return value


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence]) -> int:
    """UTF-8 with a BOM (Excel opens it as such); formula-looking text behind an apostrophe."""
    count = 0
    with Path(path).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([_csv_text(v) for v in row])
            count += 1
    return count


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def write_sheet(book, title: str, headers: Sequence[str], rows: Iterable[Sequence], formats: dict[int, str]) -> int:
    """A sheet of a write-only workbook: bold headers, typed cells, formula-looking text as text."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = book.create_sheet(title)
    for index, header in enumerate(headers, start=1):  # widths first: a write-only sheet needs them up front
        ws.column_dimensions[get_column_letter(index)].width = max(10, min(2 * len(header) + 4, 40))
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws, value=header)
        cell.font = bold
        header_cells.append(cell)
    ws.append(header_cells)
    count = 0
    for row in rows:
        out = []
        for index, value in enumerate(row):
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
            elif index in formats and value is not None:
                cell.number_format = formats[index]
            out.append(cell)
        ws.append(out)
        count += 1
    return count
