"""A report as a workbook an office prints and hands over as it is: a 通报 in its tables.

Every sheet: a merged, centred title (文昌湖区2023年第三季度招商引资工作通报), a line with what the
sheet holds, the window and the as-of day (单位：万元 where money is shown), a bold header row
repeated on each printed page, frozen below it; 宋体 at 11 pt, columns sized so that the table fits
A4 at full size (portrait, or landscape when it is wide), fitted to the page width besides. Cells
hold real numbers and dates with number formats that show decimals only where a value has them;
money is in 万元 (exact: decimals of yuan ÷ 10000). No English in a cell a reader sees: quotas by
their titles, the region by its name, periods in Chinese; the quota ids stand only in the last
column of 明细. Per-unit tables end with a 合计 row. Status cells are filled in the 三色 convention.

Text that begins with =, +, - or @ is written as text, never as a formula. A character a workbook
cannot hold (a bell, a NUL, an escape, stored before the ledger refused them) is written as its
escape, `\\x07`, as the terminal shows it, so one bad note never costs the whole workbook. The file
is written whole or not at all.
"""

import contextlib
import os
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.chart.marker import DataPoint
from openpyxl.chart.shapes import GraphicalProperties
from openpyxl.chart.text import RichText
from openpyxl.drawing.line import LineProperties
from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties
from openpyxl.drawing.text import Font as TextFont
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from rich.cells import cell_len

from zhaoshang.errors import ZsError
from zhaoshang.forecast import candidate_rows
from zhaoshang.labels import ActivityKind, Origin, Stage, Status, label
from zhaoshang.render import describe, words
from zhaoshang.render.fmt import writable, writable_lines
from zhaoshang.reports import (
    AlertsReport,
    BulletinReport,
    DetailRow,
    KeyCategory,
    MonthReport,
    QuotaReport,
    Report,
    ReportBase,
    ScoreReport,
    key_category,
    rankings_of,
    red_black_of,
)
from zhaoshang.tabular import FORMULA_START, write_failure

FONT_NAME = "宋体"  # LibreOffice and WPS fall back to a Song face of their own where it is missing
TEXT_SIZE = 11  # printed at full size: the tables are sized to fit the page, never shrunk below it
TITLE_FONT = Font(name=FONT_NAME, size=16, bold=True)
CAPTION_FONT = Font(name=FONT_NAME, size=TEXT_SIZE)
BODY_FONT = Font(name=FONT_NAME, size=TEXT_SIZE)
BOLD_FONT = Font(name=FONT_NAME, size=TEXT_SIZE, bold=True)
FILLS = {
    "met": "C6EFCE",
    "on_pace": None,
    "behind": "FFEB9C",
    "missed": "FFC7CE",
    "blank": "FFC7CE",
    "n/a": None,
    "within": None,
    "over": "FFC7CE",
}
BAR_COLOURS = {"met": "70AD47", "on_pace": "5B9BD5", "behind": "FFC000", "missed": "E15759", "blank": "E15759"}
THIN = Side(style="thin", color="000000")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="center", wrap_text=True)
NUMBER = Alignment(horizontal="right", vertical="center")
# What a sheet title cannot hold, each written as its full-width twin; at most 31 characters.
TITLE_TWINS = str.maketrans("\\/?*[]:", "＼／？＊［］：")
TITLE_LENGTH = 31
A4 = 9  # the paper size code of A4 in a workbook
HEADER_ROW = 3  # row 1: the title; row 2: what, window and as-of; row 3: the column headers
# How many units of column width fit across A4 at full size inside 1.3 cm margins (a unit is the
# width of a digit of the default font, about 0.19 cm): a wider table is printed landscape, and a
# table wider than landscape has its wrapping columns narrowed until it fits.
PAGE_WIDTH = {"portrait": 92, "landscape": 138}
MARGIN = 0.5  # inches, left and right
BORDERED_ROWS = 5000  # a detail sheet longer than this is written without cell borders (speed)
PERCENT_CAP = 200  # a bar past 200% is drawn at 200% and labelled with its value
BARS_PER_CHART = 20  # a chart holds at most this many bars, so that it fits one printed page
PAGE_ROWS = 30  # rows of 15 pt on a landscape chart page; each chart stands on a page of its own
CHART_ROWS = 25


def sheet_title(name: str) -> str:
    """A name as a sheet may be called: writable, /\\?*[]: as their full-width twins, no apostrophe
    at either end, at most 31 characters (UTF-16 units, as Excel counts)."""
    title = writable(name).translate(TITLE_TWINS).strip("'")
    while len(title.encode("utf-16-le")) > 2 * TITLE_LENGTH:
        title = title[:-1]
    return title.rstrip("'") or "报表"


@dataclass(frozen=True)
class Column:
    """A column of a sheet: its header, how its values read (text, count, money, decimal, percent —
    a fraction shown in %, date, integer) and, for text, whether it may wrap narrower than its
    longest value."""

    header: str
    kind: str = "text"
    wraps: bool = False
    width: int | None = None  # the width it asks for; a wrapping column never asks more


@dataclass(frozen=True)
class Group:
    """A line across the table before a group of rows: '一、在谈未签约项目（3个）'."""

    text: str


def number_format(value, kind: str) -> str | None:
    """A figure's format with just the decimals it has: 6000 -> '#,##0', 3.75 -> '#,##0.00', a
    percent 0.625 -> '0.0%' (万元 at most two: 12328.7671 -> '#,##0.00'); dates as 2023年9月30日."""
    if kind == "date":
        return 'yyyy"年"m"月"d"日"'
    if kind == "text" or not isinstance(value, Decimal | int | float):
        return None
    if kind == "percent":
        places = _places(Decimal(value) * 100)
        return "0" + ("." + "0" * places if places else "") + "%"
    places = _places(Decimal(value))
    if kind == "money":  # 万元 shown to the 百元, as the Word 通报 prints it; the cell keeps the exact value
        places = min(places, 2)
    whole = "0" if kind == "integer" else "#,##0"
    return whole + ("." + "0" * places if places else "")


def _places(value: Decimal) -> int:
    """How many decimals `value` needs to be shown exactly, at most four."""
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), 4) if isinstance(exponent, int) else 0


def _shown_width(value, kind: str) -> int:
    """How wide a cell reads once formatted, in units of column width: a 汉字 counts two."""
    if value is None:
        return 0
    if kind == "date":
        return 13
    if kind == "percent":
        return len(f"{Decimal(value) * 100:f}") + 1
    if kind in ("money", "count", "decimal"):
        return len(f"{Decimal(value):,f}")
    return max(cell_len(line) for line in str(value).split("\n"))


def _widths(columns: Sequence[Column], rows: Sequence[Sequence]) -> tuple[list[int], str]:
    """Each column's width and the page's orientation: every column as wide as its header's longest
    word and its longest value; portrait when that fits, else landscape, with the wrapping columns
    narrowed (never below 10) until the table fits across the page."""
    widths = []
    for c, column in enumerate(columns):
        longest = max(
            (_shown_width(*_typed(row[c], column.kind)) for row in rows if not isinstance(row, Group)), default=0
        )
        header = max(cell_len(word) for word in re.split(r"[()（）\n]", column.header) if word) if column.header else 0
        natural = max(longest, header, 4) + 2
        widths.append(min(natural, column.width) if column.width else min(natural, 60))
    orientation = "portrait" if sum(widths) <= PAGE_WIDTH["portrait"] else "landscape"
    over = sum(widths) - PAGE_WIDTH["landscape"]
    while over > 0:
        wrapping = [c for c, column in enumerate(columns) if (column.wraps or column.kind == "text") and widths[c] > 10]
        if not wrapping:
            break
        widest = max(wrapping, key=lambda c: widths[c])
        step = min(over, widths[widest] - 10, max(1, widths[widest] // 10))
        widths[widest] -= step
        over -= step
    return widths, orientation


def _header(text: str, width: int) -> str:
    """A header too wide for its column, broken before its unit: 省外到位资金 over (万元), never a
    lone ")" on a line of its own."""
    at = max(text.rfind("("), text.rfind("（"))
    if at <= 0 or "\n" in text or cell_len(text) + 2 <= width:
        return text
    return f"{text[:at]}\n{text[at:]}"


def _value(cell):
    return cell[0] if isinstance(cell, tuple) else cell


def _typed(cell, kind: str) -> tuple:
    """(value, kind): a cell of its own kind, (value, kind), or a plain value of its column's."""
    return cell if isinstance(cell, tuple) else (cell, kind)


def _money(yuan) -> Decimal | None:
    return None if yuan is None else words.wan(yuan)


def _percent(percent: Decimal | None) -> Decimal | None:
    """A completion in percent (62.5) as the fraction a % cell holds (0.625)."""
    return None if percent is None else Decimal(percent) / 100


def _sheet(
    book: Workbook,
    name: str,
    report: Report | tuple[str, str],
    columns: Sequence[Column],
    rows: Sequence[Sequence | Group],
    *,
    caption: str | None = None,
    money: bool = False,
    fills: Sequence[str | None] | None = None,
    fill_column: int | None = None,
    total: Sequence | None = None,
    merge_runs: Sequence[int] = (),
    detail: bool = False,
):
    """One sheet, streamed (the workbook is write-only): layout first, then the rows in order. Its
    title and window line are the report's, or (title, line) for a table that is not a Report.

    A value is a plain value read by its column's kind, or (value, kind) for a row of its own kind.
    `total` is the 合计 row; `merge_runs` the columns whose equal neighbours down the sheet are
    merged into one cell (a unit over its score lines). A detail sheet longer than BORDERED_ROWS is
    written without borders, its widths taken from its first rows."""
    title = sheet_title(name)
    sheet = book.create_sheet(title)
    bordered = not detail or len(rows) <= BORDERED_ROWS
    sample = rows if bordered else rows[:2000]
    widths, orientation = _widths(columns, [*sample, *([total] if total else [])])
    heading, window = (
        (words.document_title(report), words.window_line(report)) if isinstance(report, ReportBase) else report
    )
    line = "　".join(part for part in (caption or title, window, "单位：万元" if money else "") if part)
    short = cell_len(heading) * TITLE_FONT.size / TEXT_SIZE + 4 - sum(widths)
    for index in range(len(widths)):  # the title on one line: a narrow table's columns widened evenly
        widths[index] += max(0, round(short / len(widths) + 0.5))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    _page(sheet, orientation)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    last = get_column_letter(len(columns))
    sheet.row_dimensions[1].height = 30
    sheet.append([_cell(sheet, heading, "text", font=TITLE_FONT, alignment=CENTER)])
    sheet.row_dimensions[2].height = _height([line], [sum(widths)])
    sheet.append([_cell(sheet, line, "text", font=CAPTION_FONT, alignment=CENTER)])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.merged_cells.add(f"A2:{last}2")
    headers = [_header(c.header, width) for c, width in zip(columns, widths, strict=True)]
    sheet.row_dimensions[HEADER_ROW].height = _height(headers, widths)
    sheet.append(
        [_cell(sheet, h, "text", font=BOLD_FONT, fill=HEADER_FILL, border=BOX, alignment=CENTER) for h in headers]
    )
    row_number = HEADER_ROW
    run: tuple[int, tuple] | None = None  # the first row of the run of equal `merge_runs` cells, and their values
    for r, row in enumerate(rows):
        row_number += 1
        if isinstance(row, Group):
            sheet.row_dimensions[row_number].height = _height([row.text], [sum(widths)])
            sheet.append([_cell(sheet, row.text, "text", font=BOLD_FONT, border=BOX, alignment=WRAP)])
            sheet.merged_cells.add(f"A{row_number}:{last}{row_number}")
            continue
        fill = PatternFill("solid", fgColor=fills[r]) if fills and fills[r] else None
        if bordered:  # a reader does not size rows itself (LibreOffice keeps a stored row's height)
            texts = [_value(v) if isinstance(_value(v), str) else "" for v in row]
            sheet.row_dimensions[row_number].height = _height(texts, widths)
        cells = []
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            kind = value[1] if isinstance(value, tuple) else column.kind
            shown_value = _value(value)
            if not bordered and _plain(shown_value, kind):  # a long detail sheet: plain values where they can be
                cells.append(writable_lines(shown_value) if isinstance(shown_value, str) else shown_value)
                continue
            cells.append(
                _cell(
                    sheet,
                    shown_value,
                    kind,
                    font=BODY_FONT if bordered else None,
                    border=BOX if bordered else None,
                    alignment=(NUMBER if kind != "text" else WRAP) if bordered else None,
                    fill=fill if c + 1 == fill_column else None,
                )
            )
        if merge_runs:
            key = tuple(_value(row[c]) for c in merge_runs)
            if run is None or run[1] != key:
                _merge(sheet, merge_runs, run[0] if run else row_number, row_number - 1)
                run = (row_number, key)
        sheet.append(cells)
    if run is not None:
        _merge(sheet, merge_runs, run[0], row_number)
    if total is not None:
        sheet.append(
            [
                _cell(
                    sheet,
                    _value(v),
                    v[1] if isinstance(v, tuple) else c.kind,
                    font=BOLD_FONT,
                    border=BOX,
                    alignment=NUMBER if c.kind != "text" else CENTER,
                )
                for c, v in zip(columns, total, strict=True)
            ]
        )
    return sheet


LINE_HEIGHT = 14.5  # points a line of 11 pt text takes


def _height(texts: Sequence[str], widths: Sequence[int]) -> float:
    """The height of a row whose cells hold `texts` in columns of `widths`: enough lines for the
    longest once wrapped (a 汉字 is two units of width), never less than one line."""
    lines = 1
    for text, width in zip(texts, widths, strict=False):
        fits = max(int(width * 1.1) - 2, 1)  # a unit of width holds a little more than a digit of 宋体
        wrapped = sum(max(1, -(-cell_len(part) // fits)) for part in text.split("\n")) if text else 1
        lines = max(lines, wrapped)
    return lines * LINE_HEIGHT + 3


def _plain(value, kind: str) -> bool:
    """Whether a value can go in as it is, without a styled cell: text that no reader takes for a
    formula, a whole number, a date (openpyxl gives dates their format itself), nothing."""
    if value is None or isinstance(value, date):
        return True
    if isinstance(value, str):
        return not value.startswith(FORMULA_START)
    return kind == "integer"


def _merge(sheet, columns: Sequence[int], first: int, last: int) -> None:
    """Each of `columns` merged down rows first..last (a unit over its score lines)."""
    for column in columns if last > first else ():
        letter = get_column_letter(column + 1)
        sheet.merged_cells.add(f"{letter}{first}:{letter}{last}")


def _page(sheet, orientation: str) -> None:
    """A4 in `orientation`, fitted to the page width (the widths already fit it at full size),
    centred, numbered in the footer."""
    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = MARGIN
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.center.font = FONT_NAME


def _cell(sheet, value, kind: str, font=None, fill=None, border=None, alignment=None):
    """A typed cell: a number or date with its number format; text that looks like a formula
    stays text."""
    if isinstance(value, str):
        value = writable_lines(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            cell.data_type = "s"
    elif value is not None:
        fmt = number_format(value, kind) if not isinstance(value, date) else number_format(value, "date")
        if fmt is not None:
            cell.number_format = fmt
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _figure(value: Decimal | None, fmt: str):
    """A quota figure as a typed cell: money in 万元, a rate as a fraction shown in %, a count; an
    empty cell for a rate with nothing to divide by."""
    if value is None:
        return None
    if fmt == "money":
        return (_money(value), "money")
    if fmt == "rate":
        return (Decimal(value), "percent")
    return (Decimal(value), "decimal")


def write_report(report: Report, path: str | Path) -> Path:
    """The report as a workbook at `path`, whole or not at all: it is written under a temporary name
    beside `path` and renamed over it once complete. A failure (a full disk, a folder that is not
    there or not writable) is one ZsError, and leaves `path` as it was and no temporary behind."""
    return _write(path, lambda book: _fill(book, report))


def write_forecast(report, path: str | Path) -> Path:
    """还需多少 as a workbook, written as write_report writes: 指标预测 and, for project quotas
    short of their target, 候选项目."""
    return _write(path, lambda book: _forecast(book, report))


def _write(path: str | Path, fill: Callable[[Workbook], None]) -> Path:
    path = Path(path)
    book = Workbook(write_only=True)
    try:
        if not path.parent.is_dir():
            raise ZsError("--xlsx", str(path), "a path in an existing folder")
        if path.exists() and not path.is_file():  # a folder, a pipe or a device: never renamed over
            what = "Is a directory" if path.is_dir() else "a pipe or a device is there"
            raise ZsError("--xlsx", str(path), "a path where the workbook can be written", what)
        fill(book)
        _save(book, path)
    except Exception as exc:
        reason = write_failure(exc)
        if reason is None:
            raise
        raise ZsError("--xlsx", str(path), "a path where the workbook can be written", reason) from exc
    finally:
        _close(book)
    return path


def _save(book: Workbook, path: Path) -> None:
    """Save under a short hidden name in the same folder, flush it to the disk, rename it over `path`."""
    temporary = path.parent / f".zs-{secrets.token_hex(6)}.xlsx.part"
    try:
        book.save(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


def _close(book: Workbook) -> None:
    """Close the sheets a failed save left open (each streams its rows to a file of its own), so
    that they do not complain on the way out; after a save there are none."""
    for sheet in book.worksheets:
        if not sheet.closed:
            with contextlib.suppress(Exception):
                sheet.close()


def _fill(book: Workbook, report: Report) -> None:
    if isinstance(report, BulletinReport) and report.units:
        _units(book, report)
    if isinstance(report, QuotaReport) and report.quotas:
        _quotas(book, report)
        _charts(book, report)
    if isinstance(report, MonthReport) and report.key_projects:
        _key_projects(book, report)
    _rankings(book, report)
    boards = red_black_of(report)
    if boards:
        _sheet(
            book,
            "红黑榜",
            report,
            [
                Column("榜单"),
                Column("周期"),
                Column("红榜", wraps=True, width=40),
                Column("黑榜", wraps=True, width=40),
            ],
            [
                (b.title, words.period(b.period, words.campaign_titles(report)), "、".join(b.red), "、".join(b.black))
                for b in boards
            ],
        )
    if isinstance(report, ScoreReport) and report.scores:
        _scores(book, report)
    if isinstance(report, AlertsReport):
        _sheet(
            book,
            "预警",
            report,
            [
                Column("序号", "integer"),
                Column("类型"),
                Column("对象"),
                Column("情况", wraps=True, width=50),
                Column("责任"),
            ],
            [
                (
                    n,
                    words.ALERT_WORDS[a.kind],
                    words.alert_subject(a, report.region),
                    words.alert_detail(a),
                    words.alert_responsible(a, report.region),
                )
                for n, a in enumerate(report.alerts, start=1)
            ],
        )
    if isinstance(report, QuotaReport) and report.quotas:
        _details(book, report)
    if not book.sheetnames:
        _sheet(book, "说明", report, [Column("说明")], [("无数据",)])


def _forecast(book: Workbook, report) -> None:
    heading = f"{report.region}{words.period(report.window.label)}招商引资指标预测"
    window = f"统计期间：{words.span(report.window.start, report.window.end)}　截至{words.day(report.as_of)}"
    rows, fills = [], []
    for n, r in enumerate(report.rows, start=1):
        seasonal = _figure(r.projected_seasonal, r.figures) if r.projected_seasonal is not None else None
        rows.append(
            (
                n,
                _quota_title(r.title, r.figures),
                words.subject(r.subject, report.region),
                words.period(r.period),
                *(_figure(v, r.figures) for v in (r.actual, r.target, r.needed, r.per_month, r.per_week, r.projected)),
                seasonal if seasonal is not None else (words.unseasoned(r.seasonal_years), "text"),
                "预计完成" if r.projected_status == "met" else "预计未完成",
            )
        )
        fills.append(FILLS["met" if r.projected_status == "met" else "missed"])
    columns = [
        Column("序号", "integer"),
        Column("指标", wraps=True, width=30),
        Column("对象", wraps=True, width=16),
        Column("周期"),
        *(Column(h, "decimal") for h in ("完成", "目标", "还差", "每月需", "每周需", "按目前进度")),
        Column("按往年同期", "decimal"),
        Column("预计"),
    ]
    money = any(r.figures == "money" for r in report.rows)
    _sheet(book, "指标预测", (heading, window), columns, rows, money=money, fills=fills, fill_column=12)
    candidates = []
    for r, c in candidate_rows(report.rows):
        if c is None:
            candidates.append((r.title, words.subject(r.subject, report.region), "无候选项目", *[None] * 5))
            continue
        candidates.append(
            (
                r.title,
                words.subject(r.subject, report.region),
                f"#{c.id} {c.name}",
                label(c.stage),
                c.since,
                c.expected_date if c.expected_date else (f"历史不足（{r.history}次）", "text"),
                c.conversion if c.conversion is not None else ("—", "text"),
                words.must_land(r.end, c.stage) if c.id in r.must_land else "",
            )
        )
    if candidates:
        _sheet(
            book,
            "候选项目",
            (heading, window),
            [
                Column("指标", wraps=True, width=24),
                Column("对象", wraps=True, width=16),
                Column("项目", wraps=True, width=30),
                Column("现阶段"),
                Column("进入日期", "date"),
                Column("预计日期", "date"),
                Column("转化率", "percent"),
                Column("须落地"),
            ],
            candidates,
        )


def _units(book: Workbook, report: BulletinReport) -> None:
    """分单位情况: a unit a line, a column per `bulletin:` entry of the plan, the region's 合计."""
    kinds = {"money": "money", "rate": "percent"}
    columns = [
        Column(f"{c.title}(万元)" if c.metric.is_money else c.title, kinds.get(c.metric.kind, "decimal"))
        for c in report.columns
    ]

    def line(values):
        return tuple(_money(v) if c.metric.is_money else v for c, v in zip(report.columns, values, strict=True))

    _sheet(
        book,
        "分单位情况",
        report,
        [Column("序号", "integer"), Column("单位"), *columns],
        [(n, u.unit, *line(u.values)) for n, u in enumerate(report.units, start=1)],
        money=any(c.metric.is_money for c in report.columns),
        total=("", "合计", *line(report.totals)) if report.totals else None,
    )


def _quota_title(title: str, fmt: str) -> str:
    return f"{title}(万元)" if fmt == "money" else title


def _quotas(book: Workbook, report: QuotaReport) -> None:
    """指标完成情况: every quota row, by its title; figures in 万元 where they are money."""
    rows, fills = [], []
    campaigns = words.campaign_titles(report)
    for n, q in enumerate(report.quotas, start=1):
        fmt = report.formats.get(q.quota, "count")
        rows.append(
            (
                n,
                _quota_title(q.title, fmt),
                words.subject(q.subject, report.region),
                words.period(q.period, campaigns),
                _figure(q.actual, fmt),
                _figure(q.target, fmt),
                _figure(q.expected, fmt),
                _percent(q.percent),
                label(Status(q.status)) + ("（空白）" if q.blank else ""),
            )
        )
        fills.append(FILLS["blank"] if q.blank else FILLS[q.status])
    _sheet(
        book,
        "指标完成情况",
        report,
        [
            Column("序号", "integer"),
            Column("指标", wraps=True, width=36),
            Column("对象", wraps=True, width=20),
            Column("周期"),
            Column("完成", "decimal"),
            Column("目标", "decimal"),
            Column("序时进度", "decimal"),
            Column("完成率", "percent"),
            Column("状态"),
        ],
        rows,
        money=any(f == "money" for f in report.formats.values()),
        fills=fills,
        fill_column=9,
    )


def _key_projects(book: Workbook, report: MonthReport) -> None:
    """重点项目: 一月一汇总, grouped by 类别, numbered within each, notes dated 10月10日：…"""
    rows: list = []
    held = [
        c
        for c in (KeyCategory.negotiating, KeyCategory.signed)
        if any(key_category(p) is c for p in report.key_projects)
    ]
    for number, category in zip("一二", held, strict=False):  # numbered as printed: 一 for the first shown
        projects = [p for p in report.key_projects if key_category(p) is category]
        rows.append(Group(f"{number}、{words.CATEGORY_WORDS[category]}项目（{len(projects)}个）"))
        for n, p in enumerate(projects, start=1):
            rows.append(
                (
                    n,
                    p.name,
                    p.unit,
                    _money(p.amount_yuan),
                    label(Stage(p.stage)),
                    p.stage_date,
                    p.owner or "",
                    p.leader or "",
                    p.start_deadline,
                    "\n".join(f"{words.month_day(note.date)}：{note.text}" for note in p.progress_notes),
                    "\n".join(f"{words.month_day(note.date)}：{note.text}" for note in p.open_problems),
                )
            )
    _sheet(
        book,
        "重点项目",
        report,
        [
            Column("序号", "integer"),
            Column("项目名称", wraps=True, width=24),
            Column("招引单位", wraps=True, width=16),
            Column("总投资(万元)", "money"),
            Column("阶段"),
            Column("阶段日期", "date"),
            Column("责任人"),
            Column("包保领导"),
            Column("开工时限", "date"),
            Column("本月推进情况", wraps=True, width=36),
            Column("存在问题", wraps=True, width=30),
        ],
        rows,
        caption="重点招商引资项目（在谈未签约、签约未落地）",
        money=True,
    )


def _rankings(book: Workbook, report: Report) -> None:
    """竞赛榜: one sheet a ranking — each measure, its 折算分 and weight, the score."""
    campaigns = words.campaign_titles(report)
    for index, ranking in enumerate(rankings_of(report), start=1):
        metric_columns = []
        for by in ranking.by:
            money_column = by.metric is not None and by.metric.is_money
            kind = {"rate": "percent", "percent": "decimal", "money": "money"}.get(describe.rank_kind(by), "decimal")
            metric_columns += [
                Column(f"{describe.rank_by(by, ranking.quota_titles)}{'(万元)' if money_column else ''}", kind),
                Column(f"折算分(权重{by.weight.normalize():f})", "decimal"),
            ]
        rows = []
        for e in ranking.entries:
            cells: list = []
            for by, value, scaled in zip(ranking.by, e.values, e.scaled, strict=True):
                if value is None:  # a ratio with nothing to divide by
                    cells += [("无数据", "text"), scaled]
                else:
                    cells += [_money(value) if by.metric is not None and by.metric.is_money else value, scaled]
            rows.append((e.rank, e.unit, *cells, e.score))
        _sheet(
            book,
            f"竞赛榜{index}",
            (words.document_title(report), words.window_line(report, ranking.span)),
            [
                Column("名次", "integer"),
                Column("人员" if ranking.people else "单位"),
                *metric_columns,
                Column("得分", "decimal"),
            ],
            rows,
            caption=f"竞赛榜：{ranking.title}（{words.period(ranking.period, campaigns)}）",
            money=any(by.metric is not None and by.metric.is_money for by in ranking.by),
        )


def _scores(book: Workbook, report: ScoreReport) -> None:
    """考核: a unit's rank, name and total merged over its lines; each rule's points and why."""
    rows = [
        (
            s.rank or "",
            words.subject(s.unit, report.region),
            s.total,
            line.title,
            line.points,
            words.score_reason(line, printed=True),
        )
        for s in report.scores
        for line in s.lines
    ]
    _sheet(
        book,
        "专项考核" if report.campaign else "年终考核",
        report,
        [
            Column("名次", "integer"),
            Column("单位"),
            Column("总分", "decimal"),
            Column("考核项", wraps=True, width=24),
            Column("得分", "decimal"),
            Column("计分依据", wraps=True, width=56),
        ],
        rows,
        merge_runs=(0, 1, 2),
    )


TABLES = {"activity": "活动", "project": "项目", "fund": "到位资金", "figure": "填报数"}


def _kind(table: str, code: str) -> str:
    """A record's kind as readers call it; a code no vocabulary knows (a damaged ledger's) as it is."""
    vocabulary = {"activity": ActivityKind, "project": Stage, "fund": Origin}.get(table)
    try:
        return label(vocabulary(code)) if vocabulary else code
    except ValueError:
        return code


def _details(book: Workbook, report: QuotaReport) -> None:
    """明细: every record each quota row counted, with who and what it was with; the quota's id last."""
    titles = {q.quota: q.title for q in report.quotas}
    campaigns = words.campaign_titles(report)
    _sheet(
        book,
        "明细",
        report,
        [
            Column("指标", wraps=True, width=20),
            Column("周期"),
            Column("对象", wraps=True, width=16),
            Column("编号", "integer"),
            Column("日期", "date"),
            Column("类型"),
            Column("目的地/项目", wraps=True, width=20),
            Column("单位", wraps=True, width=16),
            Column("金额(万元)", "money"),
            Column("企业", wraps=True, width=24),
            Column("领导及人员", wraps=True, width=24),
            Column("指标ID", wraps=True, width=20),
        ],
        [
            (
                titles.get(d.quota, d.quota),
                words.period(d.period, campaigns),
                words.subject(d.subject, report.region),
                d.id,
                d.date,
                f"{TABLES.get(d.table, d.table)}·{_kind(d.table, d.kind)}",
                d.destination if d.table == "activity" else d.text,
                words.subject(d.unit, report.region),
                _money(d.amount_yuan),
                _companies(d),
                _people(d),
            )
            + (d.quota,)
            for d in report.details
        ],
        caption="计入各项指标的记录",
        money=True,
        detail=True,
    )


def _companies(d: DetailRow) -> str:
    """The company a visit row counted (one row per company visited), else all the record's companies."""
    if d.table == "activity" and d.text and d.text != d.destination:
        return d.text
    return d.companies


def _people(d: DetailRow) -> str:
    """Who went or answers for it: '带队：王明；随行：孙志强、李娜', '包保：王明；责任人：孙志强'."""
    lead, along = ("带队", "随行") if d.table == "activity" else ("包保", "责任人")
    return "；".join(f"{word}：{names}" for word, names in ((lead, d.leader), (along, d.people)) if names)


def _charts(book: Workbook, report: QuotaReport) -> None:
    """完成率图: a bar per quota row, coloured by its status, every bar named with its value; a bar
    past 200% drawn at 200%. At most 20 bars a chart and a chart a printed page, so that none is split.
    The figures the charts draw stand to the right, outside the printed area."""
    sheet = book.create_sheet("完成率图")
    _page(sheet, "landscape")
    data_column = 16  # P: the figures; the charts cover A..N
    for column in range(1, 15):  # A..N across a landscape page, so that no part of a chart page prints on a second
        sheet.column_dimensions[get_column_letter(column)].width = 8  # 14 × 8 + margins: inside 138
    sheet.column_dimensions[get_column_letter(data_column)].width = 48
    campaigns = words.campaign_titles(report)
    bars = [
        (
            f"{q.title}·{words.subject(q.subject, report.region)}·{words.period(q.period, campaigns)}　"
            + ("—" if q.percent is None else f"{words.plain(q.percent)}%"),
            None if q.percent is None else min(Decimal(q.percent), PERCENT_CAP),
            "blank" if q.blank else q.status,
        )
        for q in report.quotas
    ]
    pages = [bars[i : i + BARS_PER_CHART] for i in range(0, len(bars), BARS_PER_CHART)]
    rows_needed = PAGE_ROWS * len(pages)
    line = f"指标完成率　{words.window_line(report)}　超过{PERCENT_CAP}%的按{PERCENT_CAP}%画出，数值见标注"
    first_data_row = 1
    for row in range(1, max(rows_needed, len(bars) + 1) + 1):
        cells: list = [None] * (data_column - 1)
        if row == 1:
            cells[0] = _cell(sheet, words.document_title(report), "text", font=TITLE_FONT, alignment=CENTER)
        elif row == 2:
            cells[0] = _cell(sheet, line, "text", font=CAPTION_FONT, alignment=CENTER)
        if first_data_row <= row <= len(bars):
            name, value, _ = bars[row - first_data_row]
            cells += [writable(name), value]
        sheet.row_dimensions[row].height = 15
        sheet.append(cells)
    sheet.merged_cells.add("A1:N1")
    sheet.merged_cells.add("A2:N2")
    for page, chunk in enumerate(pages):
        first = page * BARS_PER_CHART + first_data_row
        chart = _bar_chart(sheet, data_column, first, first + len(chunk) - 1, [status for _, _, status in chunk])
        sheet.add_chart(chart, f"A{page * PAGE_ROWS + 3}")
        if page < len(pages) - 1:
            sheet.row_breaks.append(Break(id=(page + 1) * PAGE_ROWS))
    sheet.print_area = f"A1:N{rows_needed}"


def _bar_chart(sheet, column: int, first: int, last: int, statuses: Sequence[str]) -> BarChart:
    chart = BarChart()
    chart.type = "bar"
    chart.style = 10
    chart.title = None
    chart.legend = None
    chart.varyColors = False
    chart.width, chart.height = 23.5, CHART_ROWS * 15 / 72 * 2.54  # cm: 25 rows of 15 pt
    chart.x_axis.scaling.orientation = "maxMin"  # first quota on top, as in the table
    chart.x_axis.tickLblSkip = 1  # every bar named
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    chart.y_axis.scaling.min = 0
    chart.y_axis.scaling.max = PERCENT_CAP
    chart.y_axis.majorUnit = 100  # the one gridline inside is 100%
    chart.y_axis.majorGridlines.spPr = GraphicalProperties(ln=LineProperties(solidFill="C00000", w=19050))
    chart.y_axis.number_format = '0"%"'
    chart.x_axis.txPr = chart.y_axis.txPr = _text_properties(900)
    values = Reference(sheet, min_col=column + 1, min_row=first, max_row=last)
    names = Reference(sheet, min_col=column, min_row=first, max_row=last)
    chart.add_data(values, titles_from_data=False)
    chart.set_categories(names)
    series = chart.series[0]
    series.graphicalProperties.solidFill = BAR_COLOURS["on_pace"]
    for index, status in enumerate(statuses):
        point = DataPoint(idx=index)
        point.graphicalProperties.solidFill = BAR_COLOURS.get(status, BAR_COLOURS["on_pace"])
        series.dPt.append(point)
    chart.gapWidth = 60
    return chart


def _text_properties(size: int) -> RichText:
    """Chart text in 宋体 at `size` hundredths of a point."""
    face = TextFont(typeface=FONT_NAME)
    properties = CharacterProperties(sz=size, latin=face, ea=face)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=properties), endParaRPr=properties)])
