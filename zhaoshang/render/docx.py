"""A report as a Word 通报, drafted from the ledger in the usual form of a government bulletin.

The title (文昌湖区2023年第三季度招商引资工作通报) and the line with the window and 截至 day, then
一、总体情况 (the region's figures against their quotas), 二、各单位情况 (a sentence per unit and the
per-unit table with its 合计), 三、存在问题 (behind and blank units, projects past 开工时限, problems
past their 办结时限), 四、下一步工作 (what each behind quota still needs, by when), then (a month's)
the key-project table (一月一汇总, by 类别) and the quota table. The sentences come from
`prose.SENTENCES`; the tables hold the same figures as the workbook (money in 万元). Title 宋体
bold 22 pt, headings 黑体 16 pt, text 仿宋 16 pt as GB/T 9704 sets a 公文 (Word and WPS fall back
where a face is missing); A4 portrait. A table row never splits across
pages and the header row repeats on each. The file is written whole or not at all.
"""

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from rich.cells import cell_len

from zhaoshang.labels import Stage, Status, label
from zhaoshang.render import prose, words
from zhaoshang.render.fmt import writable_lines
from zhaoshang.reports import Alert, BulletinReport, KeyCategory, MonthReport, QuotaReport, key_category
from zhaoshang.tabular import written

TITLE_FACE, HEADING_FACE, BODY_FACE = "宋体", "黑体", "仿宋"
TITLE_SIZE, HEADING_SIZE, BODY_SIZE, TABLE_SIZE = 22, 16, 16, 10.5


def _run(paragraph, text: str, face: str, size: float, bold: bool = False) -> None:
    run = paragraph.add_run(writable_lines(text))  # a line break in a cell (two notes) stays one
    run.font.name = face
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), face)  # the face for Chinese text


def _paragraph(document, text: str, face: str = BODY_FACE, size: float = BODY_SIZE, *, bold=False, centre=False):
    paragraph = document.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        paragraph.paragraph_format.first_line_indent = Pt(size * 2)  # two characters, as a 公文 indents
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.paragraph_format.line_spacing = Pt(size * 1.75)
    _run(paragraph, text, face, size, bold)
    return paragraph


def _table(document, headers: Sequence[str], rows: Sequence[Sequence[str]], total: Sequence[str] | None = None):
    """A bordered table across the text width, its columns as wide as their text needs (the widest
    text columns narrowed, wrapping, where the page is too narrow); the header row repeated on
    each page, no row split across two. Figures right-aligned, text left, headers centred."""
    lines = [list(headers), *(list(r) for r in rows), *([list(total)] if total else [])]
    numeric = [all(_is_figure(line[c]) for line in lines[1:] if line[c]) for c in range(len(headers))]
    page = document.sections[-1]
    widths = _widths(lines, numeric, page.page_width - page.left_margin - page.right_margin)
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")  # the widths given, not what a reader guesses from the text
    table._tbl.tblPr.append(layout)
    for at, values in enumerate(lines):
        row = table.rows[0] if at == 0 else table.add_row()
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if at == 0:
            properties.append(OxmlElement("w:tblHeader"))
        bold = at == 0 or (total is not None and at == len(lines) - 1)
        for c, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = widths[c]
            paragraph = cell.paragraphs[0]
            paragraph.alignment = (
                WD_ALIGN_PARAGRAPH.CENTER
                if at == 0
                else WD_ALIGN_PARAGRAPH.RIGHT
                if numeric[c]
                else WD_ALIGN_PARAGRAPH.LEFT
            )
            _run(paragraph, value, BODY_FACE, TABLE_SIZE, bold)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    return table


FIGURE = re.compile(r"-?[\d.,]+%?|—|\d{4}-\d{2}-\d{2}")  # a date too: kept on one line
CELL_PADDING = Cm(0.6)  # Word's and LibreOffice's cell margins, 0.19 cm a side, and room for a wider face
WIDE, NARROW = Pt(TABLE_SIZE), Pt(TABLE_SIZE * 0.62)  # a Chinese character; a digit or a Latin letter


def _text_width(text: str) -> int:
    return sum(WIDE if cell_len(c) == 2 else NARROW for c in text)


def _is_figure(text: str) -> bool:
    return FIGURE.fullmatch(text) is not None


def _widths(lines: Sequence[Sequence[str]], numeric: Sequence[bool], room: int) -> list[int]:
    """Each column's width in EMU: its longest cell (a header may wrap onto two lines), the text
    columns narrowed in proportion when the table is wider than the page."""
    wanted = []
    for c in range(len(numeric)):
        longest = max((_text_width(line[c]) for line in lines[1:]), default=0)
        header = _text_width(lines[0][c])
        header = header // 2 + WIDE if header > 4 * WIDE else header  # a long header wraps onto two lines
        wanted.append(max(longest, header, 2 * WIDE) + CELL_PADDING)
    floor = 3 * WIDE + CELL_PADDING
    fixed = sum(w for w, n in zip(wanted, numeric, strict=True) if n)
    texts = sorted(w for w, n in zip(wanted, numeric, strict=True) if not n)
    if fixed + sum(texts) > room and texts:  # the widest text columns narrowed to one width, wrapping
        cap = floor
        for at, width in enumerate(texts):
            share = (room - fixed - sum(texts[:at])) / (len(texts) - at)
            if width > share:
                cap = max(floor, int(share))
                break
        wanted = [w if n else min(w, cap) for w, n in zip(wanted, numeric, strict=True)]
    return [int(w) for w in wanted]


def _wan(yuan: Decimal | None) -> str:
    """Yuan in 万元 to the fen's hundredth (two decimals, only where needed): 373972603 -> 37397.26."""
    return "" if yuan is None else _plain(words.wan(yuan))


def _plain(value: Decimal) -> str:
    return words.plain(Decimal(value).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _figure(value: Decimal | None, kind: str) -> str:
    """A table's figure: money in 万元, a rate (a fraction) in percent, a count; — for none."""
    if value is None:
        return "—"
    if kind == "rate":
        return f"{_plain(Decimal(value) * 100)}%"
    return _wan(value) if kind == "money" else _plain(value)


def unit_table(report: BulletinReport) -> tuple[list[str], list[list[str]], list[str] | None]:
    headers = ["序号", "单位", *(f"{c.title}(万元)" if c.metric.is_money else c.title for c in report.columns)]

    def line(values: Sequence[Decimal]) -> list[str]:
        return [_figure(v, c.metric.kind) for c, v in zip(report.columns, values, strict=True)]

    rows = [[str(n), u.unit, *line(u.values)] for n, u in enumerate(report.units, start=1)]
    return headers, rows, (["", "合计", *line(report.totals)] if report.totals else None)


def quota_table(report: QuotaReport) -> tuple[list[str], list[list[str]]]:
    headers = ["序号", "指标", "对象", "周期", "完成", "目标", "序时进度", "完成率", "状态"]
    campaigns = words.campaign_titles(report)
    rows = []
    for n, q in enumerate(report.quotas, start=1):
        kind = report.formats.get(q.quota, "count")
        rows.append(
            [
                str(n),
                f"{q.title}(万元)" if kind == "money" else q.title,
                words.subject(q.subject, report.region),
                words.period(q.period, campaigns),
                _figure(q.actual, kind),
                _figure(q.target, kind),
                _figure(q.expected, kind),
                "—" if q.percent is None else f"{words.plain(q.percent.quantize(Decimal('0.1')))}%",
                label(Status(q.status)) + ("（空白）" if q.blank else ""),
            ]
        )
    return headers, rows


KEY_PROJECT_HEADERS = [
    "序号",
    "项目名称",
    "招引单位",
    "总投资(万元)",
    "阶段",
    "责任人",
    "包保领导",
    "开工时限",
    "本月推进情况",
    "存在问题",
]


def key_project_tables(report: MonthReport) -> list[tuple[str, list[list[str]]]]:
    """一月一汇总 as the workbook's 重点项目 has it, less the stage's date (room for the notes on the
    page): a table per 类别 (一、在谈未签约项目（3个）), numbered within it, notes dated 10月10日：…"""
    tables = []
    held = [
        c
        for c in (KeyCategory.negotiating, KeyCategory.signed)
        if any(key_category(p) is c for p in report.key_projects)
    ]
    for number, category in zip("一二", held, strict=False):  # numbered as printed: 一 for the first shown
        projects = [p for p in report.key_projects if key_category(p) is category]
        rows = [
            [
                str(n),
                p.name,
                p.unit,
                _wan(Decimal(p.amount_yuan)),
                label(Stage(p.stage)),
                p.owner or "",
                p.leader or "",
                p.start_deadline.isoformat() if p.start_deadline else "",
                "\n".join(f"{words.month_day(note.date)}：{note.text}" for note in p.progress_notes),
                "\n".join(f"{words.month_day(note.date)}：{note.text}" for note in p.open_problems),
            ]
            for n, p in enumerate(projects, start=1)
        ]
        tables.append((f"{number}、{words.CATEGORY_WORDS[category]}项目（{len(projects)}个）", rows))
    return tables


def write_report(report: QuotaReport, alerts: Sequence[Alert], path: str | Path) -> Path:
    """The 通报 at `path`, whole or not at all (see `tabular.written`)."""
    path = Path(path)
    document = Document()
    _page(document.sections[0], WD_ORIENT.PORTRAIT)
    _title(document, report)
    _paragraph(document, words.window_line(report), centre=True)
    for part in prose.sections(report, alerts):
        _paragraph(document, part.heading, HEADING_FACE, HEADING_SIZE, bold=True)
        for text in part.paragraphs:
            _paragraph(document, text)
        if part.heading == prose.PER_UNIT_HEADING and isinstance(report, BulletinReport) and report.units:
            _caption(document, "分单位情况", money=any(c.metric.is_money for c in report.columns))
            _table(document, *unit_table(report))
    if isinstance(report, MonthReport) and report.key_projects:  # eleven columns: landscape, a 附表
        _page(document.add_section(WD_SECTION.NEW_PAGE), WD_ORIENT.LANDSCAPE)
        _caption(document, "附表：重点招商引资项目（在谈未签约、签约未落地）", money=True)
        for caption, rows in key_project_tables(report):
            _paragraph(document, caption, HEADING_FACE, BODY_SIZE)
            _table(document, KEY_PROJECT_HEADERS, rows)
    if report.quotas:  # nine columns: on landscape pages of their own, as an office prints a 附表
        _page(document.add_section(WD_SECTION.NEW_PAGE), WD_ORIENT.LANDSCAPE)
        _caption(document, "附表：指标完成情况", money=any(f == "money" for f in report.formats.values()))
        _table(document, *quota_table(report))
    with written(path, "--docx", "a path where the document can be written") as temporary:
        document.save(str(temporary))
    return path


def _title(document, report: QuotaReport) -> None:
    """The title, centred; one too long for a line broken where an office breaks it, before what
    the document is: 文昌湖区2023年第三季度 / 招商引资工作通报."""
    title = words.document_title(report)
    what = words.DOCUMENT_TITLES[report.kind]
    page = document.sections[0]
    room = page.page_width - page.left_margin - page.right_margin
    fits = _text_width(title) * TITLE_SIZE / TABLE_SIZE <= 0.9 * room  # a face wider than the estimate still fits
    paragraph = _paragraph(
        document,
        title if fits or not title.endswith(what) else title.removesuffix(what),
        TITLE_FACE,
        TITLE_SIZE,
        bold=True,
        centre=True,
    )
    if not fits and title.endswith(what):
        paragraph.runs[0].add_break()
        _run(paragraph, what, TITLE_FACE, TITLE_SIZE, bold=True)


def _page(section, orientation) -> None:
    """A4 with a 公文's margins (GB/T 9704: 3.7 cm top, 2.8 cm left), turned for a wide table."""
    short, long = Cm(21), Cm(29.7)
    section.orientation = orientation
    landscape = orientation == WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin, section.bottom_margin = (Cm(2.8), Cm(2.6)) if landscape else (Cm(3.7), Cm(3.5))
    section.left_margin, section.right_margin = (Cm(3.7), Cm(3.5)) if landscape else (Cm(2.8), Cm(2.6))


def _caption(document, text: str, money: bool) -> None:
    _paragraph(document, f"{text}{'（单位：万元）' if money else ''}", HEADING_FACE, BODY_SIZE, centre=True)


def contents(report: QuotaReport) -> str:
    """What a written document holds, for the line that says it was written."""
    units = len(report.units) if isinstance(report, BulletinReport) else 0
    projects = f", {len(report.key_projects)} key projects" if isinstance(report, MonthReport) else ""
    return f"{words.document_title(report)}, Word 通报 of {len(report.quotas)} quota rows{projects} and {units} units"
