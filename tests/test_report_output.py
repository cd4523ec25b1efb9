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


def test_quarter_workbook(year, tmp_path):  # noqa: F811
    book = workbook(year, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    assert book.sheetnames == ["分单位情况", "指标完成情况", "完成率图", "竞赛榜1", "竞赛榜2", "明细"]
    units = book["分单位情况"]
    assert units["A1"].value == "文昌湖区2023Q1季度通报"
    assert units["A2"].value == "统计期间 2023-01-01 至 2023-03-31　截至 2023-03-31　分单位情况"
    assert [c.value for c in units[3]] == ["单位", "省外到位资金(万元)", "新引进过亿元项目", "签约项目", "外出招商"]
    assert [c.value for c in units[5]] == ["萧镇", 5000, 1, 1, 2]
    assert units["B5"].data_type == "n" and units["B5"].number_format == "#,##0.00"
    assert units["C5"].number_format == "0"
    assert units.freeze_panes == "A4"
    assert units.print_title_rows == "$3:$3"
    assert units.page_setup.orientation == "landscape" and units.page_setup.paperSize == 9
    assert units.page_setup.fitToWidth == 1 and units.sheet_properties.pageSetUpPr.fitToPage
    assert units.column_dimensions["A"].width >= 16  # 区投资促进中心: seven CJK characters

    quotas = book["指标完成情况"]
    rows = {(r[0].value, r[2].value, r[3].value): r for r in quotas.iter_rows(min_row=4)}
    funds = rows[("outside-funds", "文昌湖区", "2023")]
    assert [c.value for c in funds[4:12]] == [
        datetime(2023, 1, 1),
        datetime(2023, 12, 31),
        "万元",
        5000,
        50000,
        12328.7671,
        10,
        "滞后",
    ]
    assert funds[4].number_format == "yyyy-mm-dd" and funds[4].is_date
    assert funds[11].fill.fgColor.rgb == "00FFEB9C"
    blank = rows[("leader-monthly-trip", "文昌湖区", "2023-02")]
    assert blank[11].value == "未完成（空白）" and blank[11].fill.fgColor.rgb == "00FFC7CE"
    met = rows[("leader-monthly-trip", "文昌湖区", "2023-01")]
    assert met[11].value == "已完成" and met[11].fill.fgColor.rgb == "00C6EFCE"
    assert len(book["完成率图"]._charts) == 1

    detail = book["明细"]
    assert [c.value for c in detail[3]] == [
        "指标ID",
        "周期",
        "对象",
        "记录",
        "ID",
        "日期",
        "类型",
        "内容",
        "单位",
        "金额(万元)",
    ]
    traced = [[c.value for c in r] for r in detail.iter_rows(min_row=4) if r[0].value == "big-projects"]
    assert traced == [
        ["big-projects", "2023", "文昌湖区", "项目", 1, datetime(2023, 2, 20), "签约", "电池项目", "萧镇", 15000],
        [
            "big-projects",
            "2023",
            "文昌湖区",
            "项目",
            3,
            datetime(2023, 3, 25),
            "签约",
            "智能装备",
            "区投资促进中心",
            20000,
        ],
    ]


def test_text_that_looks_like_a_formula_stays_text(office, tmp_path):
    for name in ('=HYPERLINK("http://x","点我")', "+86镇", "-1镇", "@镇"):
        office("unit", "add", "--kind", "town", "--", name)
    book = workbook(office, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    cells = [r[0] for r in book["分单位情况"].iter_rows(min_row=4)][-4:]
    assert [c.value for c in cells] == ['=HYPERLINK("http://x","点我")', "+86镇", "-1镇", "@镇"]
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]


def test_month_workbook_lists_key_projects(year, tmp_path):  # noqa: F811
    book = workbook(year, tmp_path, "month", "--month", "2023-03", "--as-of", "2023-03-31")
    sheet = book["重点项目"]
    assert [c.value for c in sheet[4]] == [
        "签约未落地",
        1,
        "电池项目",
        "萧镇",
        15000,
        "签约",
        datetime(2023, 2, 20),
        "孙志强",
        "王明",
        datetime(2023, 3, 15),
        "03-12 完成环评",
        "03-13 用地指标待落实",
    ]


def test_score_and_alerts_workbooks(year, tmp_path):  # noqa: F811
    score = workbook(year, tmp_path, "score", "--year", "2023", "--as-of", "2023-12-31")["年终考核"]
    assert [c.value for c in score[4]] == [1, "萧镇", 3.83, "镇外出招商", 3, "2/4，得 5，差 2 扣 2"]
    alerts = workbook(year, tmp_path, "alerts", "--as-of", "2023-03-31")["预警"]
    assert [c.value for c in alerts[4]] == [
        "超时限未开工",
        "#1 电池项目",
        "开工时限 2023-03-15，已超 16 天",
        "萧镇 孙志强、包保 王明",
    ]


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
    assert [c.value for c in quarter["分单位情况"][5]] == ["萧\\x1b[31m镇", 5000, 1, 1, 2]
    nul_shown = "\\x00" if nul == "\x00" else "\\x01"
    visits = [[c.value for c in r][:8] for r in quarter["明细"].iter_rows(min_row=4) if r[0].value == "town-visits"]
    assert visits == [
        ["town-visits", "2023-03", "萧\\x1b[31m镇", "活动", 5, datetime(2023, 3, 2), "走访企业", "乙公司"],
        ["town-visits", "2023-03", "萧\\x1b[31m镇", "活动", 5, datetime(2023, 3, 2), "走访企业", f"甲{nul_shown}公司"],
    ]
    month = workbook(year, tmp_path, "month", "--month", "2023-03", "--as-of", "2023-03-31")
    [battery] = [[c.value for c in r] for r in month["重点项目"].iter_rows(min_row=4) if r[1].value == 1]
    assert battery[2:4] == ["电池\\ufffe项目", "萧\\x1b[31m镇"] and battery[10] == "03-12 完成\\x07环评"


def test_a_code_no_vocabulary_knows_is_shown_as_it_is(year, tmp_path):  # noqa: F811
    plan = tmp_path / "funds.yaml"
    plan.write_text(
        "region: 文昌湖区\nyear: 2023\nunits: {萧镇: town}\nquotas:\n"
        "  - {id: funds, title: 到位资金, sum: funds, who: region, per: year, at_least: 1亿}\n",
        encoding="utf-8",
    )
    execute(year.db, "UPDATE fund SET origin = 'mars'")
    book = workbook(year, tmp_path, "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--targets", plan)
    assert [[c.value for c in r][5:] for r in book["明细"].iter_rows(min_row=4)] == [
        [datetime(2023, 3, 1), "mars", "电池项目", "萧镇", 5000]
    ]


def test_every_character_a_cell_refuses_is_escaped_as_the_terminal_shows_it():
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    from zhaoshang.parse import unsafe_character
    from zhaoshang.render.xlsx import XML_FORBIDDEN, writable

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
    assert book.sheetnames == ["文昌／湖：区＊？［一］＼x07 一个很长很长很长很长的名字20"]  # 31 characters
    assert book.active["A1"].value == "文昌/湖:区*?[一]\\x07 一个很长很长很长很长的名字2023竞赛榜"
    assert book.active["A4"].value == "无数据"


def failing_save(error: BaseException):
    def save(book, filename):
        with open(filename, "wb") as partial:  # what a disk that fills up mid-write leaves
            partial.write(b"PK\x03\x04" + b"\x00" * 100)
        raise error

    return save


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
    assert openpyxl.load_workbook(target)["分单位情况"]["A1"].value == "文昌湖区2023Q1季度通报"


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


def test_a_workbook_path_that_is_a_folder_or_empty_is_one_line(year, tmp_path):  # noqa: F811
    folder = tmp_path / "out"
    folder.mkdir()
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--xlsx")
    assert year.fails(*args, folder) == (
        f"zs: --xlsx '{folder}': Is a directory; expected a path where the workbook can be written"
    )
    assert list(folder.iterdir()) == []
    assert year.fails(*args, "") == "zs: --xlsx '': expected a file to write, such as 季度通报.xlsx"
