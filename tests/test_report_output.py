"""What a reader sees: the workbook reloaded cell by cell, and golden terminal tables."""

import os
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import TEST_PLAN
from test_reports import execute, year  # noqa: F401  (the fixture)

GOLDEN = Path(__file__).parent / "golden"


def workbook(zs, tmp_path, *args):
    path = tmp_path / "report.xlsx"
    zs("report", *args, "--xlsx", path, "--overwrite")  # one path for each workbook the test opens
    return openpyxl.load_workbook(path)


def values(sheet, first: int = 4):
    return [[c.value for c in r] for r in sheet.iter_rows(min_row=first)]


def test_quarter_workbook(year, tmp_path):  # noqa: F811
    book = workbook(year, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    assert book.sheetnames == ["分单位情况", "指标完成情况", "完成率图", "竞赛榜1", "竞赛榜2", "明细"]
    units = book["分单位情况"]
    assert units["A1"].value == "文昌湖区2023年第一季度招商引资工作通报"
    assert units["A2"].value == "分单位情况　统计期间：2023年1—3月　截至2023年3月31日　单位：万元"
    assert {str(r) for r in units.merged_cells.ranges} == {"A1:F1", "A2:F2"}
    assert units["A1"].alignment.horizontal == "center" and units["A1"].font.sz == 16
    assert [c.value for c in units[3]] == [
        "序号",
        "单位",
        "省外到位资金\n(万元)",  # too wide for its column: broken before its unit, never a lone ")"
        "新引进过亿元项目",
        "签约项目",
        "外出招商",
    ]
    assert values(units) == [
        [1, "区投资促进中心", 0, 1, 1, 1],
        [2, "萧镇", 5000, 1, 1, 2],
        [3, "商家镇", 0, 0, 0, 1],
        [4, "区经济发展部", 0, 0, 0, 0],
        [5, "区文化旅游部", 0, 0, 0, 0],
        [6, "区社会事务部", 0, 0, 0, 0],
        [None, "合计", 5000, 2, 2, 4],
    ]
    assert units["C5"].data_type == "n" and units["C5"].number_format == "#,##0"
    assert units["B10"].font.b and units["B10"].border.top.style == "thin"
    written = [cell for row in units.iter_rows() for cell in row if cell.value is not None]
    assert len(written) == 2 + 6 + 6 * 6 + 5 and {cell.font.name for cell in written} == {"宋体"}
    assert min(cell.font.sz for cell in written) >= 10.5
    assert units.freeze_panes == "A4"
    assert units.print_title_rows == "$3:$3"
    assert units.page_setup.orientation == "portrait" and units.page_setup.paperSize == 9
    assert units.page_setup.fitToWidth == 1 and units.sheet_properties.pageSetUpPr.fitToPage
    assert units.column_dimensions["B"].width >= 16  # 区投资促进中心: seven CJK characters

    quotas = book["指标完成情况"]
    assert [c.value for c in quotas[3]] == [
        "序号",
        "指标",
        "对象",
        "周期",
        "完成",
        "目标",
        "序时进度",
        "完成率",
        "状态",
    ]
    rows = {(r[1].value, r[2].value, r[3].value): r for r in quotas.iter_rows(min_row=4)}
    funds = rows[("省外到位资金(万元)", "文昌湖区", "2023年")]
    assert [c.value for c in funds[4:]] == [5000, 50000, 12328.7671, 0.1, "滞后"]
    # 序时进度 exact in the cell, shown to the 百元 as the Word 通报 prints it (12328.77)
    assert [c.number_format for c in funds[4:8]] == ["#,##0", "#,##0", "#,##0.00", "0%"]
    assert funds[8].fill.fgColor.rgb == "00FFEB9C"
    blank = rows[("主要领导每月带队外出招商", "文昌湖区", "2023年2月")]
    assert blank[8].value == "未完成（空白）" and blank[8].fill.fgColor.rgb == "00FFC7CE"
    met = rows[("主要领导每月带队外出招商", "文昌湖区", "2023年1月")]
    assert met[8].value == "已完成" and met[8].fill.fgColor.rgb == "00C6EFCE"
    quick = rows[("投促中心“短频快”专题招商", "区投资促进中心", "2023年")]
    assert quick[7].value == 0.125 and quick[7].number_format == "0.0%"
    charts = book["完成率图"]
    bars = [(r[15].value, r[16].value) for r in charts.iter_rows(min_row=1) if r[15].value]
    assert len(bars) == len(rows) == 25
    assert bars[:3] == [
        ("主要领导每月带队外出招商·文昌湖区·2023年1月　100%", 100),
        ("主要领导每月带队外出招商·文昌湖区·2023年2月　0%", 0),
        ("主要领导每月带队外出招商·文昌湖区·2023年3月　200%", 200),
    ]
    # 20 bars a chart, a chart a page: the second starts on the page after the break at row 30
    assert [c.anchor._from.row + 1 for c in charts._charts] == [3, 33]
    assert [b.id for b in charts.row_breaks.brk] == [30]
    assert charts.print_area == "'完成率图'!$A$1:$N$60"
    first = charts._charts[0]
    assert first.x_axis.tickLblSkip == 1 and first.y_axis.scaling.max == 200 and first.y_axis.majorUnit == 100
    colours = [p.graphicalProperties.solidFill.srgbClr for p in first.series[0].dPt]
    assert colours[:3] == ["70AD47", "E15759", "70AD47"] and len(colours) == 20  # 已完成, 空白, 已完成

    ranking = book["竞赛榜1"]
    assert (
        ranking["A2"].value
        == "竞赛榜：季度通报（2023年第一季度）　统计期间：2023年1—3月　截至2023年3月31日　单位：万元"
    )
    assert values(ranking)[0] == [1, "萧镇", 5000, 100, 1, 100, 1, 100, 2, 100, 100]

    detail = book["明细"]
    assert [c.value for c in detail[3]] == [
        "指标",
        "周期",
        "对象",
        "编号",
        "日期",
        "类型",
        "目的地/项目",
        "单位",
        "金额\n(万元)",
        "企业",
        "领导及人员",
        "指标ID",
    ]
    traced = [row for row in values(detail) if row[-1] == "big-projects"]
    assert traced == [
        [
            "新引进过亿元项目",
            "2023年",
            "文昌湖区",
            1,
            datetime(2023, 2, 20),
            "项目·签约",
            "电池项目",
            "萧镇",
            15000,
            None,
            "包保：王明；责任人：孙志强",
            "big-projects",
        ],
        [
            "新引进过亿元项目",
            "2023年",
            "文昌湖区",
            3,
            datetime(2023, 3, 25),
            "项目·签约",
            "智能装备",
            "区投资促进中心",
            20000,
            None,
            None,
            "big-projects",
        ],
    ]
    visits = [row[3:11] for row in values(detail) if row[-1] == "town-visits"]
    assert visits == [  # a row per company visited, as the quota counts them
        [5, datetime(2023, 3, 2), "活动·走访企业", None, "萧镇", None, "乙公司", None],
        [5, datetime(2023, 3, 2), "活动·走访企业", None, "萧镇", None, "甲公司", None],
    ]
    assert detail["E4"].number_format == 'yyyy"年"m"月"d"日"' and detail["A4"].border.left.style == "thin"
    assert detail.page_setup.orientation == "landscape"
    assert sum(detail.column_dimensions[chr(65 + c)].width for c in range(12)) <= 138  # A4 landscape at full size


@pytest.mark.engines("sqlite")  # writing the file: the same on either engine
def test_no_english_in_a_cell_a_reader_sees(year, tmp_path):  # noqa: F811
    """Every sheet of every workbook: no Latin word outside 明细's last column (the quota ids)."""
    import re

    for args in (
        ("quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31"),
        ("month", "--month", "2023-03", "--as-of", "2023-03-31"),
        ("year", "--year", "2023", "--as-of", "2023-12-31"),
        ("score", "--year", "2023", "--as-of", "2023-12-31"),
        ("rank", "--year", "2023", "--as-of", "2023-12-31"),
        ("alerts", "--as-of", "2023-03-31"),
        ("forecast", "--year", "2023", "--as-of", "2023-06-30"),
    ):
        book = workbook(year, tmp_path, *args)
        for sheet in book.worksheets:
            last = sheet.max_column if sheet.title == "明细" else None
            for row in sheet.iter_rows(max_col=15 if sheet.title == "完成率图" else None):  # beyond: what charts draw
                for cell in row:
                    if isinstance(cell.value, str) and cell.column != last:
                        assert not re.search("[A-Za-z]{2,}", cell.value), (args[0], sheet.title, cell.value)


def test_a_ranking_sheet_states_the_days_it_counts_not_the_bulletins(year, tmp_path):  # noqa: F811
    book = workbook(year, tmp_path, "quarter", "--quarter", "2023Q2", "--as-of", "2023-06-30")
    lines = {name: book[name]["A2"].value.split("　")[1] for name in ("分单位情况", "竞赛榜1", "竞赛榜2")}
    # the bulletin's quarter; the quarterly ranking over the quarter; the year's ranking to date
    assert lines == {
        "分单位情况": "统计期间：2023年4—6月",
        "竞赛榜1": "统计期间：2023年4—6月",
        "竞赛榜2": "统计期间：2023年1—6月",
    }


def test_text_that_looks_like_a_formula_stays_text(office, tmp_path):
    for name in ('=HYPERLINK("http://x","点我")', "+86镇", "-1镇", "@镇"):
        office("unit", "add", "--kind", "town", "--", name)
    book = workbook(office, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    cells = [r[1] for r in book["分单位情况"].iter_rows(min_row=4)][-5:-1]  # the unit column, above 合计
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","点我")', "+86镇", "-1镇", "@镇"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]


def test_month_workbook_lists_key_projects(year, tmp_path):  # noqa: F811
    year("project", "note", "电池项目", "完成能评", "--date", "2023-03-20")  # a month's two notes: two lines
    book = workbook(year, tmp_path, "month", "--month", "2023-03", "--as-of", "2023-03-31")
    sheet = book["重点项目"]
    assert sheet["A3"].value == "序号" and {"A4:K4", "A6:K6"} <= {r.coord for r in sheet.merged_cells.ranges}
    assert values(sheet) == [
        ["一、在谈未签约项目（1个）", *[None] * 10],
        [1, "陶瓷项目", "商家镇", 8000, "在谈", datetime(2023, 3, 8), None, None, None, None, None],
        ["二、签约未落地项目（1个）", *[None] * 10],
        [
            1,
            "电池项目",
            "萧镇",
            15000,
            "签约",
            datetime(2023, 2, 20),
            "孙志强",
            "王明",
            datetime(2023, 3, 15),
            "3月12日：完成环评\n3月20日：完成能评",
            "3月13日：用地指标待落实",
        ],
    ]


def test_score_and_alerts_workbooks(year, tmp_path):  # noqa: F811
    score = workbook(year, tmp_path, "score", "--year", "2023", "--as-of", "2023-12-31")["年终考核"]
    assert [c.value for c in score[4]] == [1, "萧镇", 3.83, "镇外出招商", 3, "镇外出招商 2/4，完成50%，得5分，差2扣2分"]
    alerts = workbook(year, tmp_path, "alerts", "--as-of", "2023-03-31")["预警"]
    assert [c.value for c in alerts[4]] == [
        1,
        "超时限未开工",
        "#1 电池项目",
        "开工时限2023年3月15日，已超16天",
        "萧镇 孙志强、包保 王明",
    ]


@pytest.mark.engines("sqlite")  # writing the file: the same on either engine
def test_an_unwritable_xlsx_path_is_one_line(year, tmp_path):  # noqa: F811
    line = year.fails("report", "quarter", "--quarter", "2023Q1", "--xlsx", tmp_path / "no" / "such" / "dir" / "q.xlsx")
    assert line.startswith(f"zs: --xlsx '{tmp_path / 'no' / 'such' / 'dir' / 'q.xlsx'}': ")


@pytest.mark.parametrize(
    "name, args",
    [
        ("quarter", ["report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31"]),
        ("month", ["report", "month", "--month", "2023-03", "--as-of", "2023-03-31"]),
        ("alerts", ["report", "alerts", "--as-of", "2023-03-31"]),
    ],
)
def test_golden_tables(year, monkeypatch, name, args):  # noqa: F811
    monkeypatch.setenv("COLUMNS", "140")
    out = year(*args).stdout.replace(str(TEST_PLAN), "PLAN")  # the footer names the targets file
    golden = GOLDEN / f"{name}.txt"
    if os.environ.get("ZS_UPDATE_GOLDEN"):
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


# --- hostile text stored in the ledger, a full disk --------------------------------------------------


def test_a_character_no_workbook_holds_is_written_as_its_escape(year, tmp_path):  # noqa: F811
    bell, escape, nul = (
        "\x07",
        "\x1b[31m",
        "\x00" if year.ledgers.engine == "sqlite" else "\x01",
    )  # PostgreSQL text holds no NUL
    execute(year.db, "UPDATE unit SET name = :name WHERE name = '萧镇'", name=f"萧{escape}镇")
    execute(year.db, "UPDATE project_note SET text = :text WHERE text = '完成环评'", text=f"完成{bell}环评")
    execute(year.db, "UPDATE activity_company SET company = :name WHERE company = '甲公司'", name=f"甲{nul}公司")
    execute(year.db, "UPDATE project SET name = :name WHERE name = '电池项目'", name="电池\ufffe项目")
    quarter = workbook(year, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    assert [c.value for c in quarter["分单位情况"][5]] == [2, "萧\\x1b[31m镇", 5000, 1, 1, 2]
    nul_shown = "\\x00" if nul == "\x00" else "\\x01"
    visits = [[c.value for c in r][2:10] for r in quarter["明细"].iter_rows(min_row=4) if r[0].value == "镇走访企业"]
    town, trip, visit = "萧\\x1b[31m镇", datetime(2023, 3, 2), "活动·走访企业"
    assert visits == [
        [town, 5, trip, visit, None, town, None, "乙公司"],
        [town, 5, trip, visit, None, town, None, f"甲{nul_shown}公司"],
    ]
    bars = [r[15].value for r in quarter["完成率图"].iter_rows()]  # column P: what the charts name their bars
    assert "镇外出招商·萧\\x1b[31m镇·2023年　50%" in bars
    month = workbook(year, tmp_path, "month", "--month", "2023-03", "--as-of", "2023-03-31")
    [battery] = [[c.value for c in r] for r in month["重点项目"].iter_rows(min_row=4) if r[4].value == "签约"]
    assert battery[1:3] == ["电池\\ufffe项目", "萧\\x1b[31m镇"] and battery[9] == "3月12日：完成\\x07环评"


def test_a_code_no_vocabulary_knows_is_shown_as_it_is(year, tmp_path):  # noqa: F811
    plan = tmp_path / "funds.yaml"
    plan.write_text(
        "region: 文昌湖区\nyear: 2023\nunits: {萧镇: town}\nquotas:\n"
        "  - {id: funds, title: 到位资金, sum: funds, who: region, per: year, at_least: 1亿}\n",
        encoding="utf-8",
    )
    execute(year.db, "UPDATE fund SET origin = 'mars'")
    book = workbook(year, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--targets", plan)
    assert [[c.value for c in r][4:10] for r in book["明细"].iter_rows(min_row=4)] == [
        [datetime(2023, 3, 1), "到位资金·mars", "电池项目", "萧镇", 5000, None]
    ]


def test_every_character_a_cell_refuses_is_escaped_as_the_terminal_shows_it():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from zhaoshang.parse import unsafe_character
    from zhaoshang.render.fmt import XML_FORBIDDEN, writable

    changed = {c for c in range(0x110000) if writable(chr(c)) != chr(c)}
    refused = {c for c in range(0x110000) if ILLEGAL_CHARACTERS_RE.match(chr(c)) or XML_FORBIDDEN.match(chr(c))}
    assert refused == {*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF}
    assert refused < changed and changed - refused == {c for c in range(0x110000) if unsafe_character(chr(c))} - refused
    assert writable("a\x07b\x1b[31m\ud800\uffff\t萧\u200b镇") == "a\\x07b\\x1b[31m\\ud800\\uffff\\t萧\\u200b镇"
    assert writable("=SUM(A1) 萧镇 ½ 𠀀") == "=SUM(A1) 萧镇 ½ 𠀀"


@pytest.mark.parametrize(
    "name, title",
    [
        ("萧镇/商家镇: *季度* [通报]?", "萧镇／商家镇： ＊季度＊ ［通报］？"),
        ("'引号'", "引号"),
        ("铃\x07声", "铃＼x07声"),
        ("文昌湖区2023Q1季度通报" * 3, ("文昌湖区2023Q1季度通报" * 3)[:31]),
        ("𠀀" * 20, "𠀀" * 15),  # 31 UTF-16 units, as Excel counts: a character beyond U+FFFF is two
        ("''", "报表"),
    ],
)
def test_sheet_titles_are_what_a_workbook_accepts(name, title):
    from zhaoshang.render.xlsx import sheet_title

    assert sheet_title(name) == title


def test_a_region_no_sheet_may_be_named_after_still_makes_a_workbook(tmp_path):
    from datetime import date

    from zhaoshang.parse import year_period
    from zhaoshang.render.xlsx import write_report
    from zhaoshang.reports import RankReport

    region = "文昌/湖:区*?[一]\x07 一个很长很长很长很长的名字"
    book = openpyxl.load_workbook(
        write_report(RankReport(region, year_period(2023), date(2023, 3, 31)), tmp_path / "r.xlsx")
    )
    assert book.sheetnames == ["说明"]  # sheets are named for what they hold, the title names the region
    assert book.active["A1"].value == "文昌/湖:区*?[一]\\x07 一个很长很长很长很长的名字2023年招商引资竞赛榜"
    assert book.active["A4"].value == "无数据"


def failing_save(error: BaseException):
    def save(book, filename):
        with open(filename, "wb") as partial:  # what a disk that fills up mid-write leaves
            partial.write(b"PK\x03\x04" + b"\x00" * 100)
        raise error

    return save


@pytest.mark.engines("sqlite")  # writing the file: the same on either engine
def test_a_full_disk_leaves_no_workbook_and_a_retry_succeeds(year, tmp_path, monkeypatch):  # noqa: F811
    import errno

    from openpyxl.workbook.workbook import Workbook

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "q.xlsx"
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--xlsx", target)
    with monkeypatch.context() as full:
        full.setattr(Workbook, "save", failing_save(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))))
        assert year.fails(*args) == (
            f"zs: --xlsx '{target}': No space left on device; expected a path where the workbook can be written"
        )
    assert list(folder.iterdir()) == []
    year(*args)
    assert [p.name for p in folder.iterdir()] == ["q.xlsx"]
    assert openpyxl.load_workbook(target)["分单位情况"]["A1"].value == "文昌湖区2023年第一季度招商引资工作通报"


@pytest.mark.engines("sqlite")  # writing the file: the same on either engine
def test_a_failed_or_interrupted_write_keeps_the_workbook_there_before(year, tmp_path, monkeypatch):  # noqa: F811
    import errno

    from openpyxl.workbook.workbook import Workbook

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "q.xlsx"
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--xlsx", target)
    year(*args)
    before = target.read_bytes()
    monkeypatch.setattr(Workbook, "save", failing_save(OSError(errno.EIO, os.strerror(errno.EIO))))
    assert year.fails(*args).startswith(f"zs: --xlsx '{target}': it exists; expected a path with nothing")
    assert year.fails(*args, "--overwrite").startswith(f"zs: --xlsx '{target}': Input/output error; expected")
    monkeypatch.setattr(Workbook, "save", failing_save(KeyboardInterrupt()))
    year(*args, "--overwrite", code=130)  # interrupted (Ctrl-C) mid-write
    assert target.read_bytes() == before and [p.name for p in folder.iterdir()] == ["q.xlsx"]


@pytest.mark.engines("sqlite")  # writing the file: the same on either engine
def test_a_workbook_path_that_is_a_folder_or_empty_is_one_line(year, tmp_path):  # noqa: F811
    folder = tmp_path / "out"
    folder.mkdir()
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--xlsx")
    assert year.fails(*args, folder) == (
        f"zs: --xlsx '{folder}': expected a file name ending in .xlsx, such as 季度通报.xlsx"
    )
    named = tmp_path / "named.xlsx"
    named.mkdir()
    assert year.fails(*args, named) == f"zs: --xlsx '{named}': it is a folder; expected a file name"
    assert list(folder.iterdir()) == []
    assert year.fails(*args, "") == "zs: --xlsx '': expected a file to write, such as 季度通报.xlsx"


@pytest.mark.engines("sqlite")  # writing the files: the same on either engine
def test_every_output_path_is_checked_before_any_file_is_written(year, tmp_path):  # noqa: F811
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    out = tmp_path / "out"
    out.mkdir()
    book, missing = out / "q.xlsx", out / "no" / "q.docx"
    assert year.fails(*args, "--xlsx", book, "--docx", missing) == (
        f"zs: --docx '{missing}': there is no folder {missing.parent}; expected a path in an existing folder"
    )
    assert not book.exists()  # the workbook was not written before the document's folder was found missing
    # the same file for both (the document would have replaced the workbook), or the other's suffix
    assert year.fails(*args, "--xlsx", book, "--docx", book) == (
        f"zs: --docx '{book}': expected a file name ending in .docx, such as 季度通报.docx"
    )
    assert year.fails(*args, "--xlsx", out / "q.docx") == (
        f"zs: --xlsx '{out / 'q.docx'}': expected a file name ending in .xlsx, such as 季度通报.xlsx"
    )
    assert list(out.iterdir()) == []
    year(*args, "--xlsx", out / "Q.XLSX", "--docx", out / "q.docx")
    assert sorted(p.name for p in out.iterdir()) == ["Q.XLSX", "q.docx"]
