"""A report as a workbook an office prints and hands over as it is.

Every sheet: a title row (region, report, window, as-of), a bold header row repeated on each printed
page, frozen below the header, A4 landscape fitted to the page width, columns wide enough for
Chinese text. Cells hold real numbers and dates with number formats; money is in 万元 (exact, as
decimals of yuan ÷ 10000). Status cells are filled in the 三色 convention. Text that begins with
=, +, - or @ is written as text, never as a formula.
"""

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from rich.cells import cell_len

from zhaoshang.errors import ZsError
from zhaoshang.labels import ActivityKind, Origin, Stage, Status, label
from zhaoshang.render import describe
from zhaoshang.render.report_table import ALERT_WORDS
from zhaoshang.reports import Report

WAN = Decimal(10_000)
FORMATS = {"count": "0", "money": "#,##0.00", "rate": "0.0%", "decimal": "0.00", "percent": "0.0",
           "date": "yyyy-mm-dd", "text": "@"}
FILLS = {"met": "C6EFCE", "on_pace": None, "behind": "FFEB9C", "missed": "FFC7CE", "blank": "FFC7CE"}
FORMULA_START = ("=", "+", "-", "@")
THIN = Side(style="thin", color="999999")


class Column:
    def __init__(self, header: str, kind: str = "text", width: int | None = None):
        self.header, self.kind, self.width = header, kind, width


def _money(yuan) -> Decimal | None:
    return None if yuan is None else Decimal(yuan) / WAN


HEADER_ROW = 3  # row 1: the title; row 2: window and as-of; row 3: the column headers


def _sheet(book: Workbook, name: str, report: Report, columns: Sequence[Column], rows: Sequence[Sequence],
           fills: Sequence[str | None] | None = None, fill_column: int | None = None):
    sheet = book.create_sheet(name)
    span = max(len(columns), 1)
    subtitle = f"统计期间 {report.window.start} 至 {report.window.end}　截至 {report.as_of}　{name}"
    for row, text, font in ((1, report.title, Font(bold=True, size=14)), (2, subtitle, Font(size=10))):
        cell = sheet.cell(row=row, column=1, value=text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=span)
    sheet.row_dimensions[1].height = 24
    widths = [cell_len(c.header) + 2 for c in columns]
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, (column, value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=r, column=c)
            kind = value[1] if isinstance(value, tuple) else column.kind
            _put(cell, value, kind)
            cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
            cell.alignment = Alignment(vertical="top", wrap_text=column.kind == "text")
            widths[c - 1] = max(widths[c - 1], _shown_width(cell.value, kind) + 2)
        if fills and fills[r - HEADER_ROW - 1]:
            sheet.cell(row=r, column=fill_column).fill = PatternFill("solid", fgColor=fills[r - HEADER_ROW - 1])
    for index, (column, width) in enumerate(zip(columns, widths, strict=True), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or min(max(width, 6), 48)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1).coordinate
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    return sheet


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


def _put(cell, value, kind: str) -> None:
    if isinstance(value, tuple):
        value = value[0]
    if value is None:
        return
    if isinstance(value, str):
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # text that looks like a formula stays text
        cell.number_format = FORMATS["text"]
        return
    cell.value = value
    cell.number_format = FORMATS.get(kind, "General")


def _figure(value: Decimal, fmt: str):
    """A quota figure as a typed cell: money in 万元, a rate as a fraction shown in %, a count."""
    if fmt == "money":
        return (_money(value), "money")
    if fmt == "rate":
        return (Decimal(value), "rate")
    return (Decimal(value), "count" if value == value.to_integral_value() else "decimal")


def _subject(name: str) -> str:
    return "全区" if name == "region" else name


def write_report(report: Report, path: str | Path) -> Path:
    path = Path(path)
    book = Workbook()
    book.remove(book.active)
    if report.units:
        _sheet(book, "分单位情况", report,
               [Column("单位"), Column("省外到位资金(万元)", "money"), Column("新引进过亿元项目", "count"),
                Column("签约项目", "count"), Column("外出招商", "count")],
               [(u.unit, _money(u.outside_funds_yuan), u.big_projects, u.signed_projects, u.trips)
                for u in report.units])
    if report.quotas:
        units = {"money": "万元", "rate": "%", "count": ""}
        rows, fills = [], []
        for q in report.quotas:
            fmt = report.formats.get(q.quota, "count")
            rows.append((q.quota, q.title, _subject(q.subject), q.period, q.start, q.end, units[fmt],
                         _figure(q.actual, fmt), _figure(q.target, fmt), _figure(q.expected, fmt),
                         q.percent, label(Status(q.status)) + ("（空白）" if q.blank else "")))
            fills.append(FILLS["blank"] if q.blank else FILLS[q.status])
        _sheet(book, "指标完成情况", report,
                       [Column("指标ID"), Column("指标"), Column("对象"), Column("周期"), Column("起", "date"),
                        Column("止", "date"), Column("单位"), Column("完成", "count"), Column("目标", "count"),
                        Column("序时进度", "decimal"), Column("完成率(%)", "percent"), Column("状态")],
                       rows, fills, fill_column=12)
        _chart(book, report)
    if report.key_projects:
        _sheet(book, "重点项目", report,
               [Column("类别"), Column("ID", "count"), Column("项目"), Column("招引单位"),
                Column("总投资(万元)", "money"), Column("阶段"), Column("阶段日期", "date"), Column("责任人"),
                Column("包保领导"),
                Column("开工时限", "date"), Column("本月推进情况", width=40), Column("问题", width=30)],
               [("在谈未签约" if p.category == "negotiating" else "签约未落地", p.id, p.name, p.unit,
                 _money(p.amount_yuan), label(Stage(p.stage)), p.stage_date, p.owner, p.leader, p.start_deadline,
                 p.progress, p.problems) for p in report.key_projects])
    for index, ranking in enumerate(report.rankings, start=1):
        metric_columns = []
        for metric, weight in zip(ranking.metrics, ranking.weights, strict=True):
            kind = "money" if metric.is_money else ("rate" if metric.op == "rate" else "count")
            suffix = "(万元)" if metric.is_money else ""
            metric_columns += [Column(f"{describe.metric(metric)}{suffix}", kind),
                               Column(f"折算分(权重{weight.normalize():f})", "decimal")]
        rows = []
        for e in ranking.entries:
            cells = []
            for metric, value, scaled in zip(ranking.metrics, e.values, e.scaled, strict=True):
                cells += [_money(value) if metric.is_money else value, scaled]
            rows.append((e.rank, e.unit, *cells, e.score))
        _sheet(book, f"竞赛榜{index}", report,
               [Column("名次", "count"), Column("单位"), *metric_columns, Column("得分", "decimal")], rows)
    if report.scores:
        _sheet(book, "年终考核", report,
               [Column("名次", "count"), Column("单位"), Column("合计", "decimal"), Column("考核项"),
                Column("得分", "decimal"), Column("依据", width=50)],
               [(s.rank, s.unit, s.total, line.title, line.points, line.reason)
                for s in report.scores for line in s.lines])
    if report.kind == "alerts":
        _sheet(book, "预警", report, [Column("类型"), Column("对象"), Column("情况", width=40), Column("责任")],
               [(ALERT_WORDS[a.kind], a.subject, a.detail, a.responsible) for a in report.alerts])
    if report.quotas:
        _sheet(book, "明细", report,
               [Column("指标ID"), Column("周期"), Column("对象"), Column("记录"), Column("ID", "count"),
                Column("日期", "date"), Column("类型"), Column("内容"), Column("单位"), Column("金额(万元)", "money")],
               [(d.quota, d.period, _subject(d.subject), _TABLES[d.table], d.id, d.date, _kind(d.table, d.kind),
                 d.text, d.unit, _money(d.amount_yuan)) for d in report.details])
    if not book.sheetnames:
        _sheet(book, report.title, report, [Column("说明")], [("无数据",)])
    try:
        book.save(path)
    except OSError as exc:
        raise ZsError("--xlsx", str(path), "a path where the workbook can be written", str(exc)) from exc
    return path


_TABLES = {"activity": "活动", "project": "项目", "fund": "到位资金"}


def _kind(table: str, code: str) -> str:
    vocabulary = {"activity": ActivityKind, "project": Stage, "fund": Origin}[table]
    return label(vocabulary(code))


def _chart(book: Workbook, report: Report) -> None:
    """A sheet with every quota row's completion and a bar chart of it."""
    rows = [(f"{q.title}·{_subject(q.subject)}·{q.period}", q.percent) for q in report.quotas]
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
