"""Reading and writing rows of cells: CSV and xlsx, the way offices keep their 台账.

Reading yields (row number, {header: value}) with Excel's own row numbers; xlsx date cells come
back as dates, numbers as numbers. Writing keeps text that looks like a formula as text: in xlsx
as a string cell, in CSV behind a leading apostrophe (which reading takes off again).

A file is checked before it is trusted: a CSV must read wholly in one encoding and keep its quotes
balanced; an xlsx (a zip) must not unpack to more than a workbook of Excel's own limits holds.
What is written lands under its name whole or not at all (`written`).
"""

import codecs
import csv
import errno
import itertools
import os
import re
import secrets
import shutil
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path

from zhaoshang.errors import ZsError

FORMULA_START = ("=", "+", "-", "@")
# Written behind an apostrophe in CSV: formula-looking text, and text that itself begins with an
# apostrophe (so that reading, which takes one off, gives back exactly what was written).
ESCAPED_START = (*FORMULA_START, "'")

# A CSV is UTF-8 (with or without a BOM) or GB18030 (what Excel saves on a Chinese Windows). It is
# read as UTF-8 if it all is; a file whose text is UTF-8 (at least this many non-ASCII characters
# read as such) and then is not, is refused where it stops being UTF-8 rather than read as GB18030
# (which would turn every character before into another one without a word).
UTF8_EVIDENCE = 8
_UTF8_LEADS = bytes(range(0xC2, 0xF5))  # the first byte of every non-ASCII UTF-8 character
_CHUNK = 1 << 20
# Only a list (of companies, of projects) has a legitimate reason to hold line breaks in a cell;
# a quoted cell running over more lines than this is a stray quote swallowing the rows after it.
MAX_CELL_LINES = 20

# An xlsx is a zip: its parts are checked before any is unpacked. The sizes are those the zip
# declares; Python's zipfile never unpacks a part beyond its declared size (it stops there and the
# CRC fails), so a part cannot lie its way past these limits.
MAX_UNPACKED = 1 << 30  # 1 GiB: more than a full sheet of Excel's 1,048,576 rows of a 台账 unpacks to
MAX_SHARED_STRINGS = 200 << 20  # the shared strings part is read into memory whole
MAX_RATIO, RATIO_FROM = 100, 1 << 20  # a part over 1 MiB compressed more than 100:1 is a zip bomb
EXCEL_ROWS, EXCEL_COLUMNS, EXCEL_CELL = 1_048_576, 16_384, 32_767  # Excel's own limits
MAX_CELLS = 64 * EXCEL_ROWS  # cells read from one sheet: rows times the width of its header row
FIRST_EXCEL_DATE = date(1900, 3, 1)  # the first day Excel and openpyxl number alike
# Offices put a title row or two above the header (文昌湖区2023年外出招商台账, 填报单位：萧镇): the header
# is looked for among this many rows at the top of a sheet, and no further.
HEADER_ROWS = 10

IsHeader = Callable[[list[str]], bool]  # whether a row's texts are a sheet's header row


def _csv_cell(text: str):
    text = text.strip()
    if text.startswith("'") and text[1:2] in ESCAPED_START:
        return text[1:]
    return text or None


def _stat(path: Path, field: str) -> os.stat_result | None:
    """What is at path (None if nothing is); a name the system refuses (too long, …) is one line."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise ZsError(field, str(path), "a path the system can open", exc.strerror or str(exc)) from exc


def _kind(path: Path) -> str:
    """ "csv" or "xlsx": what an existing file to read is."""
    found = _stat(path, "FILE")
    if found is None or not stat.S_ISREG(found.st_mode):
        raise ZsError("FILE", str(path), "an existing .csv or .xlsx file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ZsError("FILE", str(path), "a .csv or .xlsx file")
    return "csv" if suffix == ".csv" else "xlsx"


def read_rows(
    path: Path, sheet: str | None = None, is_header: IsHeader | None = None, titles: list[str] | None = None
) -> tuple[list[str], Iterator[tuple[int, list]]]:
    """(headers, rows) of a CSV file or of one sheet of a workbook (the first, unless named). The
    header row is the first of the top HEADER_ROWS that `is_header` takes for one (the rows above
    it, a title, are skipped: their cells go to `titles`), else the first row; rows keep the sheet's
    own numbers."""
    path = Path(path)
    titles = [] if titles is None else titles
    return _read_csv(path, is_header, titles) if _kind(path) == "csv" else _read_xlsx(path, sheet, is_header, titles)


def _header_at(top: list[list], is_header: IsHeader | None) -> int:
    """Which of a sheet's top rows is its header: the first `is_header` takes for one, else the first."""
    if is_header is not None:
        for index, cells in enumerate(top):
            if is_header([str(c).strip() for c in cells if c is not None]):
                return index
    return 0


def _undecodable(path: Path, encoding: str) -> tuple[int, int, int] | None:
    """Where the file first fails to read in `encoding`: (byte offset, line, non-ASCII characters
    before it), or None if it all reads. In chunks: a file of any size in constant memory."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = lines = leads = 0
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(_CHUNK)
            pending = decoder.getstate()[0]
            try:
                decoder.decode(chunk, final=not chunk)
            except UnicodeDecodeError as exc:  # exc.start counts from the bytes still pending
                good = (pending + chunk)[: exc.start]
                return (
                    offset - len(pending) + exc.start,
                    lines + good.count(b"\n") + 1,
                    leads + len(good) - len(good.translate(None, _UTF8_LEADS)),
                )
            if not chunk:
                return None
            offset, lines = offset + len(chunk), lines + chunk.count(b"\n")
            leads += len(chunk) - len(chunk.translate(None, _UTF8_LEADS))


def _csv_encoding(path: Path) -> str:
    utf8 = _undecodable(path, "utf-8")
    if utf8 is None:
        return "utf-8-sig"
    offset, line, before = utf8
    if before >= UTF8_EVIDENCE:
        raise ZsError(
            "FILE",
            str(path),
            "a CSV file wholly in one encoding, UTF-8 or GB18030",
            f"its text is UTF-8 up to byte {offset} (line {line}), which is not",
        )
    gb18030 = _undecodable(path, "gb18030")
    if gb18030 is None:
        return "gb18030"
    raise ZsError(
        "FILE",
        str(path),
        "a CSV file in UTF-8 or GB18030",
        f"byte {offset} (line {line}) is not UTF-8 and byte {gb18030[0]} (line {gb18030[1]}) is not GB18030",
    )


def _read_csv(path: Path, is_header: IsHeader | None, titles: list[str]):
    try:
        handle = path.open(encoding=_csv_encoding(path), newline="")
    except OSError as exc:
        raise ZsError("FILE", str(path), "a CSV file that can be read", exc.strerror or str(exc)) from exc
    reader = csv.reader(handle, strict=True)

    def malformed(number: int, line: int, problem: str) -> ZsError:
        return ZsError(
            "FILE",
            str(path),
            "a CSV file whose quotes are balanced (a quote opens a cell and closes it)",
            f"row {number} (line {line}): {problem}",
        )

    def records():
        number = 0
        with handle:
            while True:
                line = reader.line_num + 1
                try:
                    cells = next(reader, None)
                except (csv.Error, UnicodeDecodeError) as exc:
                    raise malformed(number + 1, line, str(exc)) from exc
                if cells is None:
                    return
                number += 1
                if reader.line_num - line >= MAX_CELL_LINES:
                    raise malformed(number, line, f"a quoted cell runs over {reader.line_num - line + 1} lines")
                yield number, cells

    rows = records()
    top = list(itertools.islice(rows, HEADER_ROWS))
    at = _header_at([cells for _, cells in top], is_header)
    titles.extend(c.strip() for _, cells in top[:at] for c in cells if c.strip())
    headers = [h.strip() for h in top[at][1]] if top else []
    return headers, (
        (number, [(c if c[0] not in "' \t" and not c[-1].isspace() else _csv_cell(c)) if c else None for c in cells])
        for number, cells in itertools.chain(top[at + 1 :], rows)
    )


def sheet_names(path: Path) -> list[str]:
    if _kind(Path(path)) == "csv":
        return []
    book = _open_book(path)
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def _too_big(path: Path, problem: str) -> ZsError:
    return ZsError(
        "FILE",
        str(path),
        "a workbook within Excel's own limits (1,048,576 rows, 32,767 characters "
        f"a cell) that unpacks to at most {MAX_UNPACKED >> 20} MiB",
        problem,
    )


def _check_zip(path: Path) -> None:
    """Refuse a workbook that would unpack to far more than it holds, before any of it is unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ZsError("FILE", str(path), "a readable .xlsx workbook", f"{type(exc).__name__}: {exc}") from exc
    total = sum(p.file_size for p in parts)
    if total > MAX_UNPACKED:
        raise _too_big(path, f"it would unpack to {total:,} bytes")
    for part in parts:
        if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise _too_big(
                path,
                f"its part {part.filename} is compressed "
                f"{part.file_size // max(part.compress_size, 1):,}:1 (a zip bomb)",
            )
        if part.filename.lower().endswith("sharedstrings.xml") and part.file_size > MAX_SHARED_STRINGS:
            raise _too_big(path, f"its shared strings would unpack to {part.file_size:,} bytes")


def _damaged(path: Path, exc: Exception, where: str = "") -> ZsError:
    return ZsError("FILE", str(path), "a readable .xlsx workbook", f"{where}{type(exc).__name__}: {exc}")


def _open_book(path):
    from openpyxl import load_workbook

    _check_zip(path)
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise _damaged(path, exc) from exc


class _LongCell(ValueError):
    pass


def _read_xlsx(path: Path, sheet: str | None, is_header: IsHeader | None, titles: list[str]):
    book = _open_book(path)
    top: list[list] = []  # the rows at the top of the sheet, among which its header is
    try:
        ws = book[sheet] if sheet is not None and sheet in book.sheetnames else None
        ws = ws if sheet is not None else next(iter(book.worksheets), None)
        if not hasattr(ws, "iter_rows"):  # no such sheet, no sheet at all, or a chart sheet
            raise ZsError("FILE", str(path), f"a workbook with a sheet of cells{f' named {sheet}' if sheet else ''}")
        if (ws.max_row or 0) > EXCEL_ROWS or (ws.max_column or 0) > EXCEL_COLUMNS:
            raise _too_big(
                path, f"sheet {ws.title} declares {ws.max_row or 0:,} rows and {ws.max_column or 0:,} columns"
            )
        ws.reset_dimensions()  # read the rows there are, not as many as the sheet claims
        cells = ws.iter_rows(values_only=True)
        for values in itertools.islice(cells, HEADER_ROWS):
            top.append(_xlsx_row(path, ws.title, len(top) + 1, values))
        at = _header_at(top, is_header)
        titles.extend(str(c).strip() for cells in top[:at] for c in cells if c is not None and str(c).strip())
        headers = [str(h) if h is not None else "" for h in (top[at] if top else ())]
        merged = _merged_ranges(ws) if top else []
        below = _second_header(top, at, merged)
        if below is not None:  # 外出情况 over 目的地 | 带队领导: each column by its lowest header
            upper = _filled(headers, at, merged)
            lower = itertools.zip_longest(below, upper, fillvalue=None)
            headers = [str(low) if low is not None else high or "" for low, high in lower]
            at += 1
    except BaseException as exc:
        book.close()
        if isinstance(exc, Exception) and not isinstance(exc, ZsError):  # a damaged sheet shows as it is read
            raise _damaged(path, exc, f"sheet {ws.title} after row {len(top)}: " if top else "the first row: ") from exc
        raise
    # Cells beyond the header row chosen are not read (a title row is narrow: it sets no width).
    width = max((i + 1 for i, h in enumerate(headers) if h), default=0)
    after = ((n, values[:width]) for n, values in enumerate(top[at + 1 :], at + 2))

    # A cell merged down over the rows below it (a 单位 written once for its rows) holds for each.
    down = sorted((r for r in merged if r[1] > at + 1 and r[3] > r[1] and r[0] <= width), key=lambda r: r[1])

    def rows():
        number = at + 1
        held: dict[int, tuple[object, int]] = {}  # column -> the value merged down over this row, its last row
        pending = iter(down)
        upcoming = next(pending, None)
        try:
            for number, values in itertools.chain(after, enumerate(cells, start=len(top) + 1)):
                if (number - at - 1) * width > MAX_CELLS:
                    raise _too_big(
                        path, f"sheet {ws.title} has more than {MAX_CELLS:,} cells ({width:,} columns of headers)"
                    )
                row = _xlsx_row(path, ws.title, number, values[:width])
                while upcoming is not None and upcoming[1] <= number:
                    column = upcoming[0] - 1
                    if upcoming[1] == number and column < len(row):
                        held[column] = (row[column], upcoming[3])
                    upcoming = next(pending, None)
                for column, (value, last) in list(held.items()):
                    if number > last:
                        del held[column]
                    elif column < len(row) and row[column] is None:
                        row[column] = value
                yield number, row
        except ZsError:
            raise
        except Exception as exc:
            raise _damaged(path, exc, f"sheet {ws.title} after row {number}: ") from exc
        finally:
            book.close()

    return headers, rows()


def _merged_ranges(ws) -> list[tuple[int, int, int, int]]:
    """The sheet's merged cells as (first column, first row, last column, last row), 1-based. A
    read-only sheet does not parse them: they are read from the end of its XML, after its rows."""
    from openpyxl.utils.cell import range_boundaries

    found, tail = [], b""
    pattern = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"\s*/?>')
    with ws._get_source() as source:  # the sheet's own part of the zip
        while chunk := source.read(_CHUNK):
            text = tail + chunk
            found += pattern.findall(text)
            cut = text.rfind(b"<")
            tail = text[cut:] if cut >= 0 and b">" not in text[cut:] else b""
    return [range_boundaries(ref.decode()) for ref in found]  # type: ignore[misc]


def _second_header(top: list[list], at: int, merged: list[tuple[int, int, int, int]]) -> list | None:
    """The row below the header when it is the header's second line: the header has a cell merged
    down into it (序号 over two rows) or across columns it names below (外出情况 over 目的地 | 带队领导)."""
    if at + 1 >= len(top):
        return None
    row, below = at + 1, top[at + 1]
    for first_col, first_row, last_col, last_row in merged:
        if first_row != row:
            continue
        if last_row > row:
            return below
        if last_col > first_col and any(
            c - 1 < len(below) and below[c - 1] is not None for c in range(first_col, last_col + 1)
        ):
            return below
    return None


def _filled(headers: list[str], at: int, merged: list[tuple[int, int, int, int]]) -> list[str]:
    """The header row with a cell merged across columns read in each of them."""
    filled = list(headers)
    for first_col, first_row, last_col, _ in merged:
        if first_row == at + 1:
            for column in range(first_col, min(last_col, len(filled)) + 1):
                filled[column - 1] = filled[column - 1] or headers[first_col - 1]
    return filled


def _xlsx_row(path: Path, title: str, number: int, values: tuple) -> list:
    if number > EXCEL_ROWS:
        raise _too_big(path, f"sheet {title} has a row {number:,}")
    try:
        return [_xlsx_cell(v) for v in values]
    except _LongCell:
        from openpyxl.utils import get_column_letter

        column = next(i for i, v in enumerate(values, start=1) if isinstance(v, str) and len(v) > EXCEL_CELL)
        raise _too_big(
            path, f"sheet {title} cell {get_column_letter(column)}{number} holds {len(values[column - 1]):,} characters"
        ) from None


def _xlsx_cell(value):
    if isinstance(value, datetime):
        return value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, str):
        if len(value) > EXCEL_CELL:
            raise _LongCell()
        return value.strip() or None
    return value


def place(path: Path, field: str, folder: bool = False) -> os.stat_result | None:
    """What is already at `path` (None if nothing), a place where a file (or, with `folder`, a
    folder) can be written: checked before any work, so that a mistyped folder, a folder where a
    file is wanted, a device or a pipe (which a write would replace, or wait on for ever) or a name
    the system refuses is one line, not a traceback after a long import or export. A missing
    folder is not created: a typo should not make one."""
    found = _stat(path, field)
    parent = _stat(path.parent, field)
    if parent is None or not stat.S_ISDIR(parent.st_mode):
        raise ZsError(field, str(path), "a path in an existing folder", f"there is no folder {path.parent}")
    if found is not None and stat.S_ISDIR(found.st_mode) and not folder:
        raise ZsError(field, str(path), "a file name", "it is a folder")
    if found is not None and not (stat.S_ISDIR(found.st_mode) or stat.S_ISREG(found.st_mode)):
        raise ZsError(field, str(path), "a file name", "it is a device or a pipe, not a file")
    return found


@contextmanager
def written(path: Path, field: str, expected: str, folder: bool = False) -> Iterator[Path]:
    """Where to write what is to end up at `path`: a temporary name beside it, renamed to `path`
    when the block ends, removed when it fails. A full disk, an interrupt or a refusal half-way
    leaves nothing under the real name (no empty or half-written file to block a retry); a
    failure to write is one line naming `path`. `folder`: the temporary is a folder (an empty
    folder at `path` is replaced)."""
    found = place(path, field, folder)
    temporary = path.with_name(f".zs-{secrets.token_hex(6)}.part")
    try:
        yield temporary
        if folder and found is not None:
            path.rmdir()
        os.replace(temporary, path)
    except BaseException as exc:
        if temporary.is_dir():
            shutil.rmtree(temporary, ignore_errors=True)
        else:
            temporary.unlink(missing_ok=True)
        reason = write_failure(exc)
        if reason is not None:
            raise ZsError(field, str(path), expected, reason) from exc
        raise


def write_failure(exc: BaseException) -> str | None:
    """Why writing a file failed, in the system's words — an OSError, or lxml's SerialisationError
    (openpyxl writes through lxml when it is installed, and python-docx brings it), whose message is
    libxml2's code such as IO_EFBIG — or None for anything that is no failure to write."""
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    if type(exc).__name__ == "SerialisationError":
        number = getattr(errno, str(exc).removeprefix("IO_"), None)
        return os.strerror(number) if isinstance(number, int) else str(exc)
    return None


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
    return "'" + text if text.startswith(ESCAPED_START) else text


Sheet = tuple[str, Sequence[str], Iterable[Sequence], dict[int, str]]  # title, headers, rows, number formats


def write_book(path: Path, sheets: Iterable[Sheet]) -> list[int]:
    """An xlsx of sheets (see write_sheet) written to path; the rows written to each. Streamed:
    openpyxl keeps each sheet in a temporary file until the zip is written. On any failure (a full
    disk, a refused cell) every sheet and the zip are closed here, so that none is left for Python
    to close later, fail again and print a traceback."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book, archive = Workbook(write_only=True), None
    try:
        counts = [write_sheet(book, *sheet) for sheet in sheets]
        archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
        ExcelWriter(book, archive).write_data()
        archive.close()
        return counts
    except BaseException:
        for close in [ws.close for ws in book.worksheets if not ws.closed] + ([archive.close] if archive else []):
            with suppress(Exception):  # the first failure is the one to report
                close()
        raise


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
            if isinstance(value, date) and value < FIRST_EXCEL_DATE:
                value = value.isoformat()  # Excel has no such day (and 1900-01/02 it counts wrong): as text
            cell = WriteOnlyCell(ws, value=value)
            if isinstance(value, str) and value.startswith(FORMULA_START):
                cell.data_type = "s"
            elif index in formats and value is not None:
                cell.number_format = formats[index]
            out.append(cell)
        ws.append(out)
        count += 1
    return count
