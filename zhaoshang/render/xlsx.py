"""A report as a workbook an office prints and hands over as it is.

Every sheet: a title row (region, report, window, as-of), a bold header row repeated on each printed
page, frozen below the header, A4 landscape fitted to the page width, columns wide enough for
Chinese text. Cells hold real numbers and dates with number formats; money is in 万元 (exact, as
decimals of yuan ÷ 10000). Status cells are filled in the 三色 convention. Text that begins with
=, +, - or @ is written as text, never as a formula. A character a workbook cannot hold (a bell, a
NUL, an escape, stored before the ledger refused them) is written as its escape, `\\x07`, as the
terminal shows it, so one bad note never costs the whole workbook. The file is written whole or not
at all.
"""

import contextlib
import os
import re
import secrets
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from zhaoshang.errors import ZsError
from zhaoshang.labels import ActivityKind, Origin, Stage, Status, label
from zhaoshang.money import WAN
from zhaoshang.render import describe, words
from zhaoshang.render.fmt import shown
from zhaoshang.reports import (
    AlertsReport,
    BulletinReport,
    MonthReport,
    QuotaReport,
    Report,
    ScoreReport,
    key_category,
    rankings_of,
    red_black_of,
)
from zhaoshang.tabular import FORMULA_START

FORMATS = {
    "count": "0",
    "money": "#,##0.00",
    "rate": "0.0%",
    "decimal": "0.00",
    "percent": "0.0",
    "date": "yyyy-mm-dd",
    "text": "@",
}
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
THIN = Side(style="thin", color="999999")
# What XML 1.0 forbids beyond the characters `fmt.shown` escapes (a lone surrogate, U+FFFE, U+FFFF):
# openpyxl would write them into a file no reader opens.
XML_FORBIDDEN = re.compile("[\\ud800-\\udfff\\ufffe\\uffff]")
# What a sheet title cannot hold, each written as its full-width twin; at most 31 characters.
TITLE_TWINS = str.maketrans("\\/?*[]:", "＼／？＊［］：")
TITLE_LENGTH = 31


def writable(text: str) -> str:
    """Text as a cell can hold it and a reader should see it: what the terminal shows escaped
    (`fmt.shown`: controls openpyxl refuses or a printer would garble, bidi and zero-width
    characters) and what XML forbids besides, each as its escape: '\\x07', '\\u200b', '\\uffff'."""
    return XML_FORBIDDEN.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), shown(text))


def sheet_title(name: str) -> str:
    """A name as a sheet may be called: writable, /\\?*[]: as their full-width twins, no apostrophe
    at either end, at most 31 characters (UTF-16 units, as Excel counts)."""
    title = writable(name).translate(TITLE_TWINS).strip("'")
    while len(title.encode("utf-16-le")) > 2 * TITLE_LENGTH:
        title = title[:-1]
    return title.rstrip("'") or "报表"


class Column:
    def __init__(self, header: str, kind: str = "text", width: int | None = None):
        self.header, self.kind, self.width = header, kind, width


def _money(yuan) -> Decimal | None:
    return None if yuan is None else Decimal(yuan) / WAN


A4 = 9  # the paper size code of A4 in a workbook
HEADER_ROW = 3  # row 1: the title; row 2: window and as-of; row 3: the column headers


def _sheet(
    book: Workbook,
    name: str,
    report: Report,
    columns: Sequence[Column],
    rows: Sequence[Sequence],
    fills: Sequence[str | None] | None = None,
    fill_column: int | None = None,
    light: bool = False,
):
    """One sheet, streamed (the workbook is write-only): layout first, then the rows in order.

    `light` leaves the data cells without borders — for the detail sheet, whose rows can number a
    hundred thousand — keeping the title, the header, the widths and the number formats."""
    name = sheet_title(name)
    sheet = book.create_sheet(name)
    kinds = (
        [
            [value[1] if isinstance(value, tuple) else column.kind for column, value in zip(columns, row, strict=True)]
            for row in rows
        ]
        if not light
        else None
    )
    widths = [cell_len(c.header) + 2 for c in columns]
    for r, row in enumerate(rows):
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            kind = kinds[r][c] if kinds else column.kind
            shown = value[0] if isinstance(value, tuple) else value
            widths[c] = max(widths[c], _shown_width(shown, kind) + 2)
        if light and r >= 2000:
            break  # widths from the first rows are enough for a long detail sheet
    for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or min(max(width, 6), 48)
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"

    subtitle = f"统计期间 {report.window.start} 至 {report.window.end}　截至 {report.as_of}　{name}"
    sheet.row_dimensions[1].height = 24
    sheet.append([_cell(sheet, words.title(report), "text", font=TITLE_FONT)])
    sheet.append([_cell(sheet, subtitle, "text", font=SUBTITLE_FONT)])
    sheet.append(
        [_cell(sheet, c.header, "text", font=BOLD, fill=HEADER_FILL, border=BOX, alignment=CENTER) for c in columns]
    )
    for r, row in enumerate(rows):
        fill = PatternFill("solid", fgColor=fills[r]) if fills and fills[r] else None
        cells = []
        for c, (column, value) in enumerate(zip(columns, row, strict=True)):
            kind = value[1] if isinstance(value, tuple) else column.kind
            shown = value[0] if isinstance(value, tuple) else value
            if isinstance(shown, str):
                shown = writable(shown)
            if light:  # plain values where they can be (openpyxl gives dates their format itself)
                plain = (
                    shown is None
                    or kind in ("text", "integer", "date")
                    and not (isinstance(shown, str) and shown.startswith(FORMULA_START))
                )
                cells.append(shown if plain else _cell(sheet, shown, kind))
            else:
                cells.append(
                    _cell(
                        sheet,
                        shown,
                        kind,
                        border=BOX,
                        alignment=WRAP if column.kind == "text" else TOP,
                        fill=fill if c + 1 == fill_column else None,
                    )
                )
        sheet.append(cells)
    return sheet


TITLE_FONT, SUBTITLE_FONT, BOLD = Font(bold=True, size=14), Font(size=10), Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
BOX = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP, TOP = Alignment(vertical="top", wrap_text=True), Alignment(vertical="top")


def _cell(sheet, value, kind: str, font=None, fill=None, border=None, alignment=None):
    """A typed cell: a number or date with its number format; text that looks like a formula
    stays text."""
    if isinstance(value, str):
        value = writable(value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        if value.startswith(FORMULA_START):
            cell.data_type = "s"
    elif value is not None and kind in FORMATS:
        cell.number_format = FORMATS[kind]
    if font is not None:
        cell.font = font
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _shown_width(value, kind: str) -> int:
    """How wide a cell reads once formatted: CJK counts double; money gets its thousands commas."""
    if value is None:
        return 0
    if kind == "money":
        return len(f"{value:,.2f}")
    if kind == "rate":
        return len(f"{value * 100:.1f}%")
    if kind == "date":
        return 10
    return cell_len(str(value))


def _figure(value: Decimal | None, fmt: str):
    """A quota figure as a typed cell: money in 万元, a rate as a fraction shown in %, a count; an
    empty cell for a rate with nothing to divide by."""
    if value is None:
        return None
    if fmt == "money":
        return (_money(value), "money")
    if fmt == "rate":
        return (Decimal(value), "rate")
    return (Decimal(value), "count" if value == value.to_integral_value() else "decimal")


def write_report(report: Report, path: str | Path) -> Path:
    """The report as a workbook at `path`, whole or not at all: it is written under a temporary name
    beside `path` and renamed over it once complete. A failure (a full disk, a folder that is not
    there or not writable) is one ZsError, and leaves `path` as it was and no temporary behind."""
    path = Path(path)
    book = Workbook(write_only=True)
    try:
        if not path.parent.is_dir():
            raise ZsError("--xlsx", str(path), "a path in an existing folder")
        if path.exists() and not path.is_file():  # a folder, a pipe or a device: never renamed over
            what = "Is a directory" if path.is_dir() else "a pipe or a device is there"
            raise ZsError("--xlsx", str(path), "a path where the workbook can be written", what)
        _fill(book, report)
        _save(book, path)
    except OSError as exc:
        raise ZsError(
            "--xlsx", str(path), "a path where the workbook can be written", exc.strerror or str(exc)
        ) from exc
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
        columns = [Column(f"{c.title}(万元)" if c.metric.is_money else c.title, c.metric.kind) for c in report.columns]
        _sheet(
            book,
            "分单位情况",
            report,
            [Column("单位"), *columns],
            [
                (
                    u.unit,
                    *(_money(v) if c.metric.is_money else v for c, v in zip(report.columns, u.values, strict=True)),
                )
                for u in report.units
            ],
        )
    if isinstance(report, QuotaReport) and report.quotas:
        units = {"money": "万元", "rate": "%", "count": ""}
        rows, fills = [], []
        for q in report.quotas:
            fmt = report.formats.get(q.quota, "count")
            rows.append(
                (
                    q.quota,
                    q.title,
                    words.subject(q.subject, report.region),
                    q.period,
                    q.start,
                    q.end,
                    units[fmt],
                    _figure(q.actual, fmt),
                    _figure(q.target, fmt),
                    _figure(q.expected, fmt),
                    q.percent,
                    label(Status(q.status)) + ("（空白）" if q.blank else ""),
                )
            )
            fills.append(FILLS["blank"] if q.blank else FILLS[q.status])
        _sheet(
            book,
            "指标完成情况",
            report,
            [
                Column("指标ID"),
                Column("指标"),
                Column("对象"),
                Column("周期"),
                Column("起", "date"),
                Column("止", "date"),
                Column("单位"),
                Column("完成", "count"),
                Column("目标", "count"),
                Column("序时进度", "decimal"),
                Column("完成率(%)", "percent"),
                Column("状态"),
            ],
            rows,
            fills,
            fill_column=12,
        )
        _chart(book, report)
    if isinstance(report, MonthReport) and report.key_projects:
        _sheet(
            book,
            "重点项目",
            report,
            [
                Column("类别"),
                Column("ID", "count"),
                Column("项目"),
                Column("招引单位"),
                Column("总投资(万元)", "money"),
                Column("阶段"),
                Column("阶段日期", "date"),
                Column("责任人"),
                Column("包保领导"),
                Column("开工时限", "date"),
                Column("本月推进情况", width=40),
                Column("问题", width=30),
            ],
            [
                (
                    words.CATEGORY_WORDS[key_category(p)],
                    p.id,
                    p.name,
                    p.unit,
                    _money(p.amount_yuan),
                    label(Stage(p.stage)),
                    p.stage_date,
                    p.owner,
                    p.leader,
                    p.start_deadline,
                    "；".join(p.progress),
                    "；".join(p.problems),
                )
                for p in report.key_projects
            ],
        )
    rankings = rankings_of(report)
    for index, ranking in enumerate(rankings, start=1):
        metric_columns = []
        for by in ranking.by:
            money_column = by.metric is not None and by.metric.is_money
            kind = describe.rank_kind(by)
            metric_columns += [
                Column(f"{describe.rank_by(by)}{'(万元)' if money_column else ''}", kind),
                Column(f"折算分(权重{by.weight.normalize():f})", "decimal"),
            ]
        rows = []
        for e in ranking.entries:
            cells = []
            for by, value, scaled in zip(ranking.by, e.values, e.scaled, strict=True):
                cells += [_money(value) if by.metric is not None and by.metric.is_money else value, scaled]
            rows.append((e.rank, e.unit, *cells, e.score))
        _sheet(
            book,
            f"竞赛榜{index}",
            report,
            [
                Column("名次", "count"),
                Column("人员" if ranking.people else "单位"),
                *metric_columns,
                Column("得分", "decimal"),
            ],
            rows,
        )
    boards = red_black_of(report)
    if boards:
        _sheet(
            book,
            "红黑榜",
            report,
            [Column("榜单"), Column("周期"), Column("红榜", width=40), Column("黑榜", width=40)],
            [(b.title, b.period, "、".join(b.red), "、".join(b.black)) for b in boards],
        )
    if isinstance(report, ScoreReport) and report.scores:
        _sheet(
            book,
            "专项考核" if report.campaign else "年终考核",
            report,
            [
                Column("名次", "count"),
                Column("单位"),
                Column("合计", "decimal"),
                Column("考核项"),
                Column("得分", "decimal"),
                Column("依据", width=50),
            ],
            [
                (s.rank, s.unit, s.total, line.title, line.points, words.score_reason(line))
                for s in report.scores
                for line in s.lines
            ],
        )
    if isinstance(report, AlertsReport):
        _sheet(
            book,
            "预警",
            report,
            [Column("类型"), Column("对象"), Column("情况", width=40), Column("责任")],
            [
                (
                    words.ALERT_WORDS[a.kind],
                    words.alert_subject(a, report.region),
                    words.alert_detail(a),
                    words.alert_responsible(a, report.region),
                )
                for a in report.alerts
            ],
        )
    if isinstance(report, QuotaReport) and report.quotas:
        _sheet(
            book,
            "明细",
            report,
            [
                Column("指标ID"),
                Column("周期"),
                Column("对象"),
                Column("记录"),
                Column("ID", "integer"),
                Column("日期", "date"),
                Column("类型"),
                Column("内容"),
                Column("单位"),
                Column("金额(万元)", "money"),
            ],
            [
                (
                    d.quota,
                    d.period,
                    words.subject(d.subject, report.region),
                    _TABLES[d.table],
                    d.id,
                    d.date,
                    _kind(d.table, d.kind),
                    d.text,
                    d.unit,
                    _money(d.amount_yuan),
                )
                for d in report.details
            ],
            light=True,
        )
    if not book.sheetnames:
        _sheet(book, words.title(report), report, [Column("说明")], [("无数据",)])


_TABLES = {"activity": "活动", "project": "项目", "fund": "到位资金"}


def _kind(table: str, code: str) -> str:
    """A record's kind as readers call it; a code no vocabulary knows (a damaged ledger's) as it is."""
    vocabulary = {"activity": ActivityKind, "project": Stage, "fund": Origin}[table]
    try:
        return label(vocabulary(code))
    except ValueError:
        return code


def _chart(book: Workbook, report: QuotaReport) -> None:
    """A sheet with every quota row's completion and a bar chart of it."""
    rows = [(f"{q.title}·{words.subject(q.subject, report.region)}·{q.period}", q.percent) for q in report.quotas]
    sheet = _sheet(book, "完成率图", report, [Column("指标·对象·周期"), Column("完成率(%)", "percent")], rows)
    chart = BarChart()
    chart.type = "bar"
    chart.title = "指标完成率(%)"
    chart.legend = None
    chart.height = max(7.5, min(0.6 * len(rows), 60))
    chart.width = 16
    chart.y_axis.title = "完成率(%)"
    chart.x_axis.scaling.orientation = "maxMin"  # first quota on top, as in the table
    data = Reference(sheet, min_col=2, min_row=HEADER_ROW, max_row=HEADER_ROW + len(rows))
    names = Reference(sheet, min_col=1, min_row=HEADER_ROW + 1, max_row=HEADER_ROW + len(rows))
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(names)
    sheet.add_chart(chart, f"D{HEADER_ROW}")
