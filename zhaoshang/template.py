"""`zs template`: the 填报模板 a centre sends its towns — an xlsx whose first sheet has the headers
`zs import` reads (zhaoshang.interchange), dropdowns of the ledger's units and people and of the
vocabularies in their Chinese labels, and a 填报说明 sheet saying what each column wants. Filled in
and sent back, it imports with no --map and no --money-unit (money headers carry 万元).

Everything a user sees is Chinese. The dropdowns' lists sit on a hidden 选项 sheet: Excel allows
at most 255 characters in a list typed into a validation, and a ledger's people are more.
"""

import unicodedata
from dataclasses import dataclass
from pathlib import Path

from zhaoshang import ledger
from zhaoshang.errors import ZsError
from zhaoshang.interchange import SHEETS, Field
from zhaoshang.labels import ActivityKind, EventType, Mode, Origin, ProjectType, Stage, Tier, label
from zhaoshang.parse import check_text
from zhaoshang.tabular import FORMULA_START, place, written

LAST_ROW = 1_048_576  # Excel's last row: a column's dropdown reaches every row a town may fill
DATE, TEXT = "yyyy-mm-dd", "@"  # text cells: Excel leaves 1-2号厂房 and 0533-… as typed
MONEY = {"amount", "increase", "funds"}  # headers carrying 万元: a plain number imports as 万元
DATES = {"date", "end_date", "deadline", "funds_date", *(f"{s.value}_date" for s in Stage)}
LEFT_OUT = {"void_reason"}  # a town sends what happened; voiding is the ledger's (`zs log void`)
OPTIONS, GUIDE_TITLE = "选项", "填报说明"
REQUIRED_FILL, OTHER_FILL = "FCE4D6", "DDEBF7"  # header colours: orange, light blue

# What each column means and how to fill it: (meaning, how, when it is required if not always).
GUIDE: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "activities": {
        "source_key": (
            "本单位台账中该行的编号，每月再报时保持不变",
            "可不填；填写时每行不同，中心导入时可按编号核对",
            None,
        ),
        "date": ("活动日期（多日的外出为出发日期）", "日期，如 2023-03-13", None),
        "end_date": ("多日活动的结束日期", "日期；当天结束的活动不填", None),
        "unit": ("填报单位（联合招商时为组织单位）", "从下拉列表中选择", None),
        "kind": ("活动类型", "从下拉列表中选择：外出招商、走访企业、接待客商、调度会，或推介会、展会等活动", None),
        "leader": ("带队领导", "从下拉列表中选择，须为台账中的人员", None),
        "joint_units": ("联合招商时一同参加的其他单位", "多个单位用“、”分隔", None),
        "participants": ("同行人员（带队领导之外）", "多人用“、”分隔，须为台账中的人员", None),
        "signed_here": (
            "活动现场签约等达到新阶段的项目",
            "写作 项目名称(阶段)，如 电池项目(签约)；多个用“、”分隔",
            None,
        ),
        "mode": ("招商方式", "从下拉列表中选择", None),
        "destination": ("外出地点或活动地点", "如 深圳", None),
        "companies": ("对接、走访或接待的企业", "多个企业用“、”分隔", "走访企业、接待客商必填"),
        "projects": ("相关的项目", "台账中已有的项目名称，多个用“、”分隔", None),
        "note": ("其他需要说明的情况", "文字", None),
    },
    "projects": {
        "source_key": (
            "本单位台账中该行的编号，每月再报时保持不变",
            "可不填；填写时每行不同，中心导入时可按编号核对",
            None,
        ),
        "name": ("项目名称", "同一单位的项目名称不要重复", None),
        "unit": ("招引单位", "从下拉列表中选择", None),
        "amount": ("计划总投资", "以万元为单位的数字，如 15000 即 1.5亿元", None),
        "stage": ("项目目前所处的阶段", "从下拉列表中选择；不填时取填有日期的最后一个阶段", None),
        "lead_date": ("成为项目线索的日期", "日期", "各阶段日期至少填一个"),
        "negotiating_date": ("进入在谈的日期", "日期；未填的阶段取前一阶段的日期", "各阶段日期至少填一个"),
        "signed_date": ("签约日期", "日期；未填的阶段取前一阶段的日期", "各阶段日期至少填一个"),
        "started_date": ("开工日期", "日期；未填的阶段取前一阶段的日期", "各阶段日期至少填一个"),
        "producing_date": ("投产日期", "日期；未填的阶段取前一阶段的日期", "各阶段日期至少填一个"),
        "dropped_date": ("项目终止的日期", "日期；阶段为终止时填写", "各阶段日期至少填一个"),
        "owner": ("项目责任人", "从下拉列表中选择，须为台账中的人员", None),
        "leader": ("包保领导", "从下拉列表中选择，须为台账中的人员", None),
        "company": ("投资企业", "企业全称", None),
        "industry": ("所属产业", "如 新能源", None),
        "key": ("是否重点项目", "从下拉列表中选择 是 或 否；不填为否", None),
        "deadline": ("要求开工的期限", "日期", None),
        "type": ("项目类型", "从下拉列表中选择 新建、增资 或 续建；不填为新建", None),
        "increase": ("增资项目新增的投资", "以万元为单位的数字，不超过总投资", "增资项目必填"),
        "funds": ("本次到位的资金", "以万元为单位的数字", None),
        "origin": ("到位资金的来源", "从下拉列表中选择", "填写到位资金时必填"),
        "funds_date": ("资金到位的日期", "日期", "填写到位资金时必填"),
        "note": ("本月推进情况", "文字", None),
    },
    "companies": {
        "name": ("企业名称", "企业全称，每家企业只填一行", None),
        "tiers": ("企业类别", "从下拉列表中选择；一家企业属于多类时用“、”分隔，如 世界500强、上市公司", None),
        "origin": ("企业所在地", "如 深圳", None),
        "industry": ("所属产业", "如 新能源", None),
        "contact": ("联系人及电话", "文字", None),
    },
}

WHAT = {"activities": "活动", "projects": "项目", "companies": "企业"}
# How a re-sent sheet is matched with what the ledger holds (README "Re-sent 台账").
MATCHED = {
    "activities": (
        "已导入的活动按日期、单位、类型和企业（无企业时按目的地）识别，不会重复计入。",
        "表中改动的内容会更正台账；表中删去的行不会从台账中删除。",
    ),
    "projects": (
        "已导入的项目按招引单位和项目名称识别，不会重复计入。",
        "改动的内容会更正台账（同一到位日期的资金改了金额或来源即为更正，不会重复计入），新达到的阶段、新的到位资金和推进情况会补充进去。",
    ),
    "companies": ("已有的企业按名称识别，补充新填的类别和信息，原有的类别不会删除。",),
}


@dataclass(frozen=True)
class Choices:
    """The ledger's names the dropdowns offer: `units` and `people` those of --unit (or all)."""

    units: tuple[str, ...]
    people: tuple[str, ...]
    every_unit: tuple[str, ...]
    everyone: tuple[str, ...]


@dataclass(frozen=True)
class Dropdown:
    """A column's list on the 选项 sheet. `several`: a cell may list several, separated by 、;
    `strict`: nothing else may be typed (a vocabulary or a unit), else Excel only warns."""

    title: str
    values: tuple[str, ...]
    strict: bool = True
    several: bool = False


def choices(session, unit: str | None) -> Choices:
    """The units and people of the ledger (of `unit` where given), each person named as the import
    reads them back: by name, or UNIT/NAME where two units have someone of that name. A name kept
    from before the checks, holding a control character, is refused: an xlsx cannot hold it."""
    units = tuple(check_text(u.name, "unit") for u in ledger.list_units(session))
    labels = ledger.person_labels(session)
    everyone = tuple(check_text(labels[p.id], "person") for p in ledger.list_people(session))
    if unit is None:
        return Choices(units, everyone, units, everyone)
    mine = ledger.find_unit(session, unit).name
    return Choices((mine,), tuple(labels[p.id] for p in ledger.list_people(session, mine)), units, everyone)


def _labels(vocabulary) -> tuple[str, ...]:
    """A vocabulary's codes as readers see them (labels.py), in its order."""
    return tuple(label(code) for code in vocabulary)


def dropdowns(kind: str, names: Choices) -> dict[str, Dropdown]:
    """The dropdown of each column that has one (by field name)."""
    unit = Dropdown("单位", names.units)
    people = Dropdown("人员", names.people, strict=False)
    if kind == "activities":
        # an event is chosen by its type (推介会, 展会 …), as `zs log event --type` asks for one
        kinds = tuple(label(k) for k in ActivityKind if k is not ActivityKind.event) + _labels(EventType)
        return {
            "unit": unit,
            "kind": Dropdown("类型", kinds),
            "leader": people,
            "joint_units": Dropdown("联合单位", names.every_unit, strict=False, several=True),
            "participants": Dropdown("参与人员", names.everyone, strict=False, several=True),
            "mode": Dropdown("招商方式", _labels(Mode)),
        }
    if kind == "projects":
        return {
            "unit": unit,
            "stage": Dropdown("阶段", _labels(Stage)),
            "owner": people,
            "leader": people,
            "key": Dropdown("重点项目", ("是", "否")),
            "type": Dropdown("项目类型", _labels(ProjectType)),
            "origin": Dropdown("资金来源", _labels(Origin)),
        }
    return {"tiers": Dropdown("类别", _labels(Tier), strict=False, several=True)}


def fields(kind: str) -> list[Field]:
    """The columns of a kind's template: the import's fields, in its order, but those LEFT_OUT."""
    return [f for f in SHEETS[kind][1] if f.name not in LEFT_OUT]


def header(field: Field) -> str:
    """The column's header as the import reads it: a money column's carries its unit."""
    return f"{field.header}(万元)" if field.name in MONEY else field.header


def target(path: Path, overwrite: bool) -> Path:
    """`path`, checked before any work: an .xlsx name (the import reads no other) in an existing
    folder, with nothing there unless --overwrite."""
    if place(path, "PATH") is not None and not overwrite:
        raise ZsError("PATH", str(path), "a path with nothing there yet (or --overwrite to replace it)", "it exists")
    if path.suffix.lower() != ".xlsx":
        raise ZsError("PATH", str(path), "a file name ending in .xlsx")
    return path


def write(path: Path, kind: str, names: Choices) -> tuple[int, int]:
    """Write the template for `kind` to `path` (whole or not at all): (its columns, those with a dropdown)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = SHEETS[kind][0]
    guide = book.create_sheet(GUIDE_TITLE)
    columns, lists = fields(kind), dropdowns(kind, names)
    _fill_sheet(sheet, columns, lists, _options(book.create_sheet(OPTIONS), lists))
    _fill_guide(guide, kind, columns)
    with written(path, "PATH", "a path where the template can be written") as partial:
        _save(book, partial)
    return len(columns), len(sheet.data_validations.dataValidation)


def _options(sheet, lists: dict[str, Dropdown]) -> dict[str, str]:
    """The 选项 sheet, hidden, one list a column; each list's title -> the range a validation names."""
    from openpyxl.utils import get_column_letter

    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    for dropdown in lists.values():
        if dropdown.title in ranges or not dropdown.values:
            continue
        column = len(ranges) + 1
        letter = get_column_letter(column)
        for row, value in enumerate((dropdown.title, *dropdown.values), start=1):
            _text_cell(sheet.cell(row, column), value)
        ranges[dropdown.title] = f"'{OPTIONS}'!${letter}$2:${letter}${len(dropdown.values) + 1}"
    return ranges


def _text_cell(cell, value: str) -> None:
    """A cell holding `value` as text, though it begin with = (a unit so named is not a formula)."""
    cell.value = value
    if value.startswith(FORMULA_START):
        cell.data_type = "s"


def _fill_sheet(sheet, columns: list[Field], lists: dict[str, Dropdown], ranges: dict[str, str]) -> None:
    """The sheet to fill: its header row bold, coloured by whether a column is required, and frozen;
    each column formatted, as wide as it needs, with its dropdown."""
    from openpyxl.styles import Font

    for index, field in enumerate(columns, start=1):
        cell = sheet.cell(1, index, header(field))
        cell.font, cell.fill = Font(bold=True), _fill(field)
        _column(sheet, index, field, lists.get(field.name), ranges)
    sheet.freeze_panes = "A2"
    _print_across(sheet)


def _fill(field: Field):
    """Orange for a column that must be filled, blue for the rest."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", fgColor=REQUIRED_FILL if field.required else OTHER_FILL)


def _column(sheet, index: int, field: Field, dropdown: Dropdown | None, ranges: dict[str, str]) -> None:
    """A column's width, its format (dates as dates, names and notes as text, money as numbers) and
    its dropdown, both for the whole column: a row typed below any preset number is formatted and
    checked too."""
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(index)
    shown = (header(field), *(dropdown.values if dropdown else ()), "2023-03-13" if field.name in DATES else "")
    sheet.column_dimensions[letter].width = _width(shown) + (3 if dropdown else 0)  # room for the arrow
    number_format = DATE if field.name in DATES else None if field.name in MONEY else TEXT
    if number_format:  # the column's own style: what Excel, WPS and LibreOffice give a cell typed in it
        sheet.column_dimensions[letter].number_format = number_format
    if dropdown and dropdown.title in ranges:
        sheet.add_data_validation(_validation(field, dropdown, ranges[dropdown.title], f"{letter}2:{letter}{LAST_ROW}"))


def _validation(field: Field, dropdown: Dropdown, source: str, cells: str):
    """A list validation over `cells` offering the 选项 range `source`, its messages in Chinese."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if dropdown.several:
        error = "可从列表中选择一项，或填写多项并用“、”分隔；请核对名称与列表一致。"
    elif dropdown.strict:
        error = "请从下拉列表中选择。"
    else:
        error = "不在下拉列表中：请核对姓名，须为台账中已有的人员。"
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="stop" if dropdown.strict else "warning",
        errorTitle=field.header,
        error=error,
    )
    validation.add(cells)
    return validation


def _width(texts) -> int:
    """A column width (in Excel's units, about one Latin character) that shows the longest text:
    a Chinese character takes two."""
    widest = max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in t) for t in texts)
    return max(8, min(widest + 2, 40))


def _fill_guide(sheet, kind: str, columns: list[Field]) -> None:
    """The 填报说明 sheet: how to fill the first sheet, then each column with what it wants."""
    from openpyxl.styles import Alignment, Font

    sheet.append([f"{WHAT[kind]}填报说明"])
    sheet["A1"].font = Font(bold=True, size=14)
    for number, line in enumerate(_rules(kind), start=1):
        sheet.append([f"{number}. {line}"])
    sheet.append([])
    sheet.append(["列名", "含义", "是否必填", "填写要求"])
    heading = sheet.max_row
    for cell in sheet[heading]:
        cell.font = Font(bold=True)
    for field in columns:
        meaning, how, when = GUIDE[kind][field.name]
        sheet.append([header(field), meaning, "必填" if field.required else when or "选填", how])
        sheet.cell(sheet.max_row, 1).fill = _fill(field)
    for letter, width in zip("ABCD", (18, 34, 22, 62), strict=True):
        sheet.column_dimensions[letter].width = width
    for row in sheet.iter_rows(min_row=heading + 1):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    _print_across(sheet)


def _print_across(sheet) -> None:
    """Printed landscape, all its columns on the width of one page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _rules(kind: str) -> list[str]:
    """The instructions above the column table, in the order a filler needs them."""
    sheet = SHEETS[kind][0]
    rules = [
        f"在“{sheet}”表中每行填写一条{WHAT[kind]}记录；请勿修改第一行表头，也不要增删列。",
        "表头为橙色的列必须填写，蓝色的列按实际情况填写，可以留空。",
        "日期列已设为日期格式；带下拉箭头的列请从列表中选择（整列有效，行数不限）。",
    ]
    if kind != "companies":
        rules.append("日期填写为 2023-03-13 的形式，也可写 2023/3/13 或 2023年3月13日。")
    if kind == "projects":
        rules.append("金额以万元为单位填写数字（表头已注明“万元”），如 15000 即1.5亿元；也可写 1.5亿、5000万元。")
    rules += [
        "一格中填写多个企业、单位或人员时，用顿号“、”分隔。",
        "本表可累计报送：每月在上次报送的表上续填新记录、修改有变化的内容，整表再次报送即可。",
        *MATCHED[kind],
        "“合计”“小计”行不计入。",
    ]
    return rules


def _save(book, path: Path) -> None:
    """Save the workbook to `path`; on a failure (a full disk) the zip is closed here, so that
    Python does not close it later, fail again and print a traceback."""
    from contextlib import suppress
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.writer.excel import ExcelWriter

    archive = ZipFile(path, "w", ZIP_DEFLATED, allowZip64=True)
    try:
        ExcelWriter(book, archive).write_data()
        archive.close()
    except BaseException:
        with suppress(Exception):  # the first failure is the one to report
            archive.close()
        raise
