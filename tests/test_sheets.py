"""Imports read sheets as offices write them: a title above the header, dates without a year, a
trip's dates in one cell, and a sheet's own 编号 to match re-sent rows on (issue 15)."""

import json
from datetime import date, timedelta

import openpyxl
import pytest
from conftest import TEST_PLAN, url_of
from test_transfer import write_csv, write_xlsx

from zhaoshang.errors import ZsError
from zhaoshang.parse import parse_span

HEADER = ["序号", "日期", "单位", "类型", "目的地", "备注"]
TITLE = ["文昌湖区2023年外出招商台账"]
FILLED_BY = ["填报单位：萧镇  单位：万元"]


def listed(office):
    return [(a["date"], a["unit"], a["destination"]) for a in office.json("log", "list")]


# --- 1. title rows above the header -----------------------------------------------------------------


def test_title_rows_above_the_header_are_skipped_in_csv_and_xlsx(office, tmp_path):
    rows = [TITLE, FILLED_BY, HEADER, ["1", "2023-03-01", "萧镇", "外出招商", "深圳", ""]]
    for path in (write_csv(tmp_path / "台账.csv", rows), write_xlsx(tmp_path / "台账.xlsx", rows)):
        assert office("import", "activities", path, "--dry-run").stdout.startswith(
            f"checked 1 rows of {path} ({path.name}): all good; would import 1 new, 0 changed, 0 unchanged"
        )
    office("import", "activities", tmp_path / "台账.xlsx")
    assert listed(office) == [("2023-03-01", "萧镇", "深圳")]


def test_a_bad_cell_below_a_title_names_the_sheets_own_row(office, tmp_path):
    rows = [
        TITLE,
        [],
        HEADER,
        ["1", "2023-03-01", "萧镇", "外出招商", "深圳", ""],
        ["2", "2023-02-30", "萧镇", "外出招商", "", ""],
    ]
    path = write_xlsx(tmp_path / "台账.xlsx", rows)
    result = office("import", "activities", path, code=1)
    assert result.stderr.splitlines() == [
        f"zs: FILE '{path}': 1 bad row, nothing imported; expected rows that all read cleanly",
        "  台账.xlsx row 5, 日期 '2023-02-30': expected a real calendar date (day is out of range for month)",
    ]


def test_a_header_named_by_map_is_found_below_a_title(office, tmp_path):
    rows = [TITLE, ["外出时间", "单位", "类型", "目的地"], ["2023-03-01", "萧镇", "外出招商", "深圳"]]
    path = write_csv(tmp_path / "台账.csv", rows)
    office("import", "activities", path, "--map", "外出时间=日期")
    assert listed(office) == [("2023-03-01", "萧镇", "深圳")]


def test_a_one_column_header_below_a_title_is_found(office, tmp_path):
    path = write_csv(tmp_path / "名录.csv", [["客商名录"], ["企业名称"], ["甲公司"]])
    assert office("import", "companies", path).stdout.startswith("imported 1 new companies, 0 changed")


def test_a_sheet_without_a_header_row_is_the_one_line_about_headers(office, tmp_path):
    path = write_csv(tmp_path / "台账.csv", [TITLE, ["甲", "乙"], ["2023-03-01", "萧镇"]])
    assert office.fails("import", "activities", path) == (
        "zs: 台账.csv headers '文昌湖区2023年外出招商台账': expected columns for 日期 (活动日期/时间/开始日期); "
        "单位 (责任单位/填报单位/招商单位); 类型 (活动类型/形式/事项); name others with --map"
    )


def test_the_header_is_looked_for_in_the_top_ten_rows_only(office, tmp_path):
    rows = [*[[f"说明{n}"] for n in range(10)], HEADER, ["1", "2023-03-01", "萧镇", "外出招商", "深圳", ""]]
    path = write_csv(tmp_path / "台账.csv", rows)
    assert "headers '说明0'" in office.fails("import", "activities", path)


def test_the_width_read_is_the_header_rows_not_the_titles(office, tmp_path):
    """A title row is narrow; the cells read are those under the header chosen, and no further."""
    rows = [TITLE, [*HEADER, "", "", ""], ["1", "2023-03-01", "萧镇", "外出招商", "深圳", "备", "x", "y", "z"]]
    path = write_xlsx(tmp_path / "台账.xlsx", rows)
    office("import", "activities", path)
    assert [a["note"] for a in office.json("log", "list")] == ["备"]


# --- merged cells, as offices draw their 台账 ----------------------------------------------------------


def merged_ledger(path):
    """A 台账 as drawn in Excel: a title merged across, a two-line header (序号, 单位, 日期 and 类型
    merged down over both lines; 外出情况 merged across 目的地 | 带队领导 | 对接企业), and each
    unit written once, merged down over its rows."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "文昌湖区2023年外出招商台账"
    sheet.merge_cells("A1:G1")
    for column, header in zip("ABCG", ["序号", "单位", "日期", "类型"], strict=True):
        sheet[f"{column}2"] = header
        sheet.merge_cells(f"{column}2:{column}3")
    sheet["D2"] = "外出情况"
    sheet.merge_cells("D2:F2")
    sheet["D3"], sheet["E3"], sheet["F3"] = "目的地", "带队领导", "对接企业"
    rows = [
        (1, "萧镇", "2023-10-09", "深圳", "王明", "比亚迪", "外出招商"),
        (2, None, "2023-10-16", "上海", "王明", None, "外出招商"),
        (3, None, "2023-10-23", "杭州", None, None, "外出招商"),
        (4, "商家镇", "2023-10-11", "苏州", None, None, "外出招商"),
        (5, None, "2023-10-25", "宁波", None, None, "外出招商"),
    ]
    for number, row in enumerate(rows, start=4):
        for column, value in enumerate(row, start=1):
            sheet.cell(number, column, value)
    sheet.merge_cells("B4:B6")
    sheet.merge_cells("B7:B8")
    book.save(path)
    return path


def test_a_two_line_header_and_units_merged_down_their_rows_are_read_as_drawn(office, tmp_path):
    path = merged_ledger(tmp_path / "台账.xlsx")
    assert office("import", "activities", path, "--dry-run").stdout.startswith(
        f"checked 5 rows of {path} (台账.xlsx): all good; would import 5 new"
    )
    office("import", "activities", path)
    listed = office.json("log", "list")
    assert [(a["date"], a["unit"], a["destination"], a["leader"], a["companies"]) for a in listed] == [
        ("2023-10-09", "萧镇", "深圳", "王明", ["比亚迪"]),
        ("2023-10-11", "商家镇", "苏州", None, []),
        ("2023-10-16", "萧镇", "上海", "王明", []),
        ("2023-10-23", "萧镇", "杭州", None, []),
        ("2023-10-25", "商家镇", "宁波", None, []),
    ]


@pytest.mark.parametrize("chunk", [1 << 20, 7])  # a tag cut between two reads is found once
def test_merged_cells_are_read_from_the_sheets_xml(tmp_path, monkeypatch, chunk):
    from zhaoshang import tabular

    monkeypatch.setattr(tabular, "_CHUNK", chunk)
    book = tabular._open_book(merged_ledger(tmp_path / "台账.xlsx"))
    assert sorted(tabular._merged_ranges(book.worksheets[0])) == [
        (1, 1, 7, 1),  # A1:G1, the title
        (1, 2, 1, 3),  # A2:A3 序号
        (2, 2, 2, 3),  # B2:B3 单位
        (2, 4, 2, 6),  # B4:B6 萧镇
        (2, 7, 2, 8),  # B7:B8 商家镇
        (3, 2, 3, 3),  # C2:C3 日期
        (4, 2, 6, 2),  # D2:F2 外出情况
        (7, 2, 7, 3),  # G2:G3 类型
    ]
    book.close()


def test_a_bad_cell_under_a_two_line_header_names_the_sheets_own_row(office, tmp_path):
    path = merged_ledger(tmp_path / "台账.xlsx")
    book = openpyxl.load_workbook(path)
    book.active["C6"] = "2023-10-32"
    book.save(path)
    assert office("import", "activities", path, code=1).stderr.splitlines()[1:] == [
        "  台账.xlsx row 6, 日期 '2023-10-32': expected a real calendar date (day is out of range for month)"
    ]


# --- 5. a clerk's real month: the same 台账 re-sent, grown and corrected -------------------------------

MONTH_HEADER = ["序号", "日期", "单位", "类型", "带队领导", "招商方式", "目的地", "企业", "备注"]
MONTH_UNITS = ("萧镇", "商家镇", "区投资促进中心")


def month_rows(count: int, changed: dict[int, str] | None = None) -> list[list[str]]:
    """A 台账 of `count` activities under a title, one a day from 2023-01-01 (trips to a place and
    visits to a company in turn); `changed` corrects a row's 带队领导, 招商方式 or 备注."""
    changed = changed or {}
    rows = [TITLE, FILLED_BY, MONTH_HEADER]
    for n in range(count):
        day = date(2023, 1, 1) + timedelta(days=n % 360)
        leader = "王明" if changed.get(n) == "leader" else ""
        mode = "以商招商" if changed.get(n) == "mode" else "短频快"
        note = f"第{n}条" + ("（更正）" if changed.get(n) == "note" else "")
        if n % 2:
            rows.append(
                [str(n + 1), day.isoformat(), MONTH_UNITS[n % 3], "外出招商", leader, mode, f"城市{n}", "", note]
            )
        else:
            rows.append(
                [str(n + 1), day.isoformat(), MONTH_UNITS[n % 3], "走访企业", leader, mode, "", f"企业{n}", note]
            )
    return rows


def payload_of(office, change_id: int) -> str:
    """What a change of the history holds (its created, updated and removed rows), as stored."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(office.db))
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT payload FROM change WHERE id = :id"), {"id": change_id}).scalar_one()
    finally:
        engine.dispose()


def test_a_month_later_the_grown_and_corrected_sheet_adds_100_corrects_20_and_keeps_980(office, tmp_path):
    first = write_xlsx(tmp_path / "台账1月.xlsx", month_rows(1000))
    assert office("import", "activities", first).stdout.startswith(
        "imported 1000 new, 0 changed, 0 unchanged activities (500 company links, 0 voided)"
    )
    before = office.json("log", "list", "--limit", "5000")
    assert len(before) == 1000

    changed = {n: ("leader", "mode", "note")[n % 3] for n in range(0, 200, 10)}  # rows 0, 10, … 190: 20 rows
    later = write_xlsx(tmp_path / "台账2月.xlsx", month_rows(1100, changed))
    assert office("import", "activities", later).stdout.startswith(
        "imported 100 new, 20 changed, 980 unchanged activities (50 company links, 0 voided)"
    )
    after = office.json("log", "list", "--limit", "5000")
    assert len(after) == 1100
    by_note = {a["note"].removesuffix("（更正）"): a for a in after}
    assert sorted(int(a["id"]) for a in after if a["note"].endswith("（更正）")) == [21, 51, 81, 111, 141, 171]
    assert sorted(a["id"] for a in after if a["leader"] == "王明") == [1, 31, 61, 91, 121, 151, 181]
    assert sorted(a["id"] for a in after if a["mode"] == "via_business") == [11, 41, 71, 101, 131, 161, 191]
    assert by_note["第999条"]["mode"] == "quick" and by_note["第1099条"]["date"] == "2023-01-20"

    latest = office.json("history", "--limit", "1")[0]
    assert latest["summary"].startswith("新增活动 100 (#1001, #1002, #1003 …)；新增企业 50 (#501, #502, #503 …)；")
    assert latest["summary"].endswith("；… 共修改 20 处")
    edits = {(u["table"], u["id"], *u["old"]) for u in json.loads(payload_of(office, latest["id"]))["updated"]}
    assert edits == {("activity", n + 1, f"{what}_id" if what == "leader" else what) for n, what in changed.items()}

    office("undo")  # the later sheet, whole: its 100 new rows gone, its 20 corrections put back
    assert office.json("log", "list", "--limit", "5000") == before


# --- 4. --key: the sheet's own 编号 -------------------------------------------------------------------

KEYED = ["编号", "日期", "单位", "类型", "目的地", "备注"]


def trips(office):
    return [(a["id"], a["date"], a["destination"], a["note"]) for a in office.json("log", "list")]


def test_key_matches_a_row_whose_date_and_place_were_corrected(office, tmp_path):
    january = [
        TITLE,
        KEYED,
        ["A1", "2023-03-01", "萧镇", "外出招商", "深圳", ""],
        ["A2", "2023-03-05", "萧镇", "外出招商", "广州", ""],
    ]
    office("import", "activities", write_csv(tmp_path / "1月.csv", january), "--key", "编号")
    february = [
        TITLE,
        KEYED,
        ["A1", "2023-03-02", "萧镇", "外出招商", "东莞", "日期更正"],  # its natural key changed: still A1
        ["A2", "2023-03-05", "萧镇", "外出招商", "广州", ""],
        ["A3", "2023-03-20", "萧镇", "外出招商", "深圳", ""],
    ]
    out = office("import", "activities", write_csv(tmp_path / "2月.csv", february), "--key", "编号").stdout
    assert out.startswith("imported 1 new, 1 changed, 1 unchanged activities")
    assert trips(office) == [
        (1, "2023-03-02", "东莞", "日期更正"),
        (2, "2023-03-05", "广州", None),
        (3, "2023-03-20", "深圳", None),
    ]
    office("undo")
    assert trips(office) == [(1, "2023-03-01", "深圳", None), (2, "2023-03-05", "广州", None)]


def test_the_same_key_in_another_unit_is_another_record(office, tmp_path):
    rows = [
        KEYED,
        ["1", "2023-03-01", "萧镇", "外出招商", "深圳", ""],
        ["1", "2023-03-01", "商家镇", "外出招商", "深圳", ""],
    ]
    path = write_csv(tmp_path / "台账.csv", rows)
    assert office("import", "activities", path, "--key", "编号").stdout.startswith("imported 2 new, 0 changed")
    assert office("import", "activities", path, "--key", "编号").stdout.startswith(
        "imported 0 new, 0 changed, 2 unchanged"
    )


def test_rows_imported_without_key_take_their_keys_at_the_first_import_with_it(office, tmp_path):
    rows = [KEYED, ["A1", "2023-03-01", "萧镇", "外出招商", "深圳", ""]]
    office("import", "activities", write_csv(tmp_path / "1月.csv", rows))
    out = office("import", "activities", write_csv(tmp_path / "2月.csv", rows), "--key", "编号").stdout
    assert out.startswith("imported 0 new, 0 changed, 1 unchanged activities")
    moved = [KEYED, ["A1", "2023-03-09", "萧镇", "外出招商", "深圳", ""]]
    out = office("import", "activities", write_csv(tmp_path / "3月.csv", moved), "--key", "编号").stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged activities")
    assert trips(office) == [(1, "2023-03-09", "深圳", None)]


def test_an_empty_or_repeated_key_is_a_bad_cell(office, tmp_path):
    rows = [
        TITLE,
        KEYED,
        ["A1", "2023-03-01", "萧镇", "外出招商", "深圳", ""],
        ["", "2023-03-02", "萧镇", "外出招商", "深圳", ""],
        ["A1", "2023-03-03", "萧镇", "外出招商", "广州", ""],
    ]
    path = write_csv(tmp_path / "台账.csv", rows)
    result = office("import", "activities", path, "--key", "编号", code=1)
    assert result.stderr.splitlines() == [
        f"zs: FILE '{path}': 2 bad rows, nothing imported; expected rows that all read cleanly",
        "  台账.csv row 4, 编号 '': expected a key in every row (--key matches rows on it)",
        "  台账.csv row 5, 编号 'A1': expected a key no other row of the unit has (row 3 has it)",
    ]
    assert office.counts()["activity"] == 0


def test_a_key_column_the_sheet_lacks_is_one_line(office, tmp_path):
    path = write_csv(tmp_path / "台账.csv", [HEADER, ["1", "2023-03-01", "萧镇", "外出招商", "深圳", ""]])
    assert office.fails("import", "activities", path, "--key", "编号") == (
        "zs: --key '编号': expected a column of 台账.csv (its headers: 序号, 日期, 单位, 类型, 目的地, 备注)"
    )
    assert office.fails("import", "projects", path, "--key", "编号").startswith("zs: 台账.csv headers ")


def test_key_matches_a_project_renamed_in_a_later_sheet(office, tmp_path):
    header = ["编号", "项目名称", "招引单位", "投资额(万元)", "阶段", "签约日期"]
    first = write_csv(tmp_path / "1月.csv", [header, ["P1", "电池项目", "萧镇", 15000, "签约", "2023-01-20"]])
    office("import", "projects", first, "--key", "编号")
    renamed = write_csv(tmp_path / "2月.csv", [header, ["P1", "电池隔膜项目", "萧镇", 16000, "签约", "2023-01-20"]])
    out = office("import", "projects", renamed, "--key", "编号").stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged projects, 0 milestones")
    assert [(p["id"], p["name"], p["amount_yuan"]) for p in office.json("project", "list")] == [
        (1, "电池隔膜项目", 160_000_000)
    ]
    unkeyed = write_csv(tmp_path / "3月.csv", [header[1:], ["电池隔膜项目", "萧镇", 16000, "签约", "2023-01-20"]])
    assert office("import", "projects", unkeyed).stdout.startswith("imported 0 new, 0 changed, 1 unchanged")


def test_export_writes_the_key_and_import_with_key_reads_it_back(office, tmp_path):
    rows = [
        KEYED,
        ["A1", "2023-03-01", "萧镇", "外出招商", "深圳", ""],
        ["A2", "2023-03-05", "萧镇", "外出招商", "广州", ""],
    ]
    office("import", "activities", write_csv(tmp_path / "台账.csv", rows), "--key", "编号")
    office("export", tmp_path / "all.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "all.xlsx")["活动"]
    assert [c.value for c in sheet[1]][-1] == "编号"
    assert [r[-1] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["A1", "A2"]
    fresh = office.fresh("fresh")
    office("init", "--targets", TEST_PLAN, "--db", fresh)
    office("import", "activities", tmp_path / "all.xlsx", "--key", "编号", "--db", fresh)
    again = [KEYED, ["A1", "2023-03-02", "萧镇", "外出招商", "深圳", ""]]
    out = office("import", "activities", write_csv(tmp_path / "再.csv", again), "--key", "编号", "--db", fresh).stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged activities")


# --- 2. dates without a year ---------------------------------------------------------------------------

DATED = ["日期", "结束日期", "单位", "类型", "目的地"]


def spans(office):
    return [(a["date"], a["end_date"]) for a in office.json("log", "list")]


def test_dates_without_a_year_read_in_the_year_given(office, tmp_path):
    rows = [
        DATED,
        ["5月3日", "", "萧镇", "外出招商", "深圳"],
        ["5/4", "5-6", "萧镇", "外出招商", "广州"],
        ["5-7", "", "萧镇", "外出招商", "上海"],
    ]
    office("import", "activities", write_csv(tmp_path / "台账.csv", rows), "--year", "2023")
    assert spans(office) == [("2023-05-03", None), ("2023-05-04", "2023-05-06"), ("2023-05-07", None)]


def test_a_date_without_a_year_and_no_year_given_is_a_bad_cell_never_this_year(office, tmp_path):
    path = write_csv(tmp_path / "台账.csv", [DATED, ["5月3日", "", "萧镇", "外出招商", "深圳"]])
    result = office("import", "activities", path, code=1)
    assert result.stderr.splitlines()[1:] == [
        "  台账.csv row 2, 日期 '5月3日': expected a date with its year, such as 2023年5月3日 "
        "(or --year for a sheet whose dates leave it out)"
    ]
    assert office.counts()["activity"] == 0


def test_project_stage_dates_without_a_year_read_with_year(office, tmp_path):
    header = ["项目名称", "招引单位", "投资额(万元)", "阶段", "签约日期", "开工日期"]
    path = write_csv(tmp_path / "项目.csv", [header, ["电池项目", "萧镇", 15000, "开工", "1月20日", "2/15"]])
    office("import", "projects", path, "--year", "2023")
    battery = office.json("project", "show", "1")
    assert [(m["stage"], m["date"]) for m in battery["milestones"]] == [
        ("lead", "2023-01-20"),
        ("negotiating", "2023-01-20"),
        ("signed", "2023-01-20"),
        ("started", "2023-02-15"),
    ]


# --- 3. a span of days in one cell -------------------------------------------------------------------


def test_a_span_of_days_in_the_date_cell_gives_the_end_date(office, tmp_path):
    cells = [
        "2023年5月3日-5日",
        "2023年5月3日至5月5日",
        "2023/5/3-2023/5/5",
        "5月3日—5日",
        "5月3日~5日",
        "5月3日－5日",
        "2023年5月3日到2023年5月5日",
        "2023-05-03～2023-05-05",
    ]
    rows = [DATED, *[[cell, "", "萧镇", "外出招商", f"城市{n}"] for n, cell in enumerate(cells)]]
    rows.append(["2023年5月3日-5日", "2023-05-05", "萧镇", "外出招商", "深圳"])  # the end date said twice, alike
    office("import", "activities", write_csv(tmp_path / "台账.csv", rows), "--year", "2023")
    assert spans(office) == [("2023-05-03", "2023-05-05")] * 9


def test_a_span_ending_before_it_begins_or_disagreeing_with_its_end_column_is_a_bad_cell(office, tmp_path):
    rows = [
        DATED,
        ["2023年5月5日-3日", "", "萧镇", "外出招商", "深圳"],
        ["2023年5月3日-5日", "2023-05-06", "萧镇", "外出招商", "深圳"],
        ["5月3日-5日", "", "萧镇", "外出招商", "深圳"],
    ]
    path = write_csv(tmp_path / "台账.csv", rows)
    result = office("import", "activities", path, code=1)
    assert result.stderr.splitlines()[1:] == [
        "  台账.csv row 2, 日期 '2023年5月5日-3日': expected a span of days whose last day is not before its first",
        "  台账.csv row 3, 结束日期 '2023-05-06': expected the last day the 日期 cell gives (2023-05-05), or empty",
        "  台账.csv row 4, 日期 '5月3日-5日': expected a date with its year, such as 2023年5月3日 "
        "(or --year for a sheet whose dates leave it out)",
    ]


def test_a_span_in_a_project_stage_date_is_a_bad_cell(office, tmp_path):
    header = ["项目名称", "招引单位", "投资额(万元)", "阶段", "签约日期"]
    path = write_csv(tmp_path / "项目.csv", [header, ["电池项目", "萧镇", 15000, "签约", "2023年1月20日-22日"]])
    result = office("import", "projects", path, "--date", "2023-01-10", code=1)
    assert result.stderr.splitlines()[1:] == [
        "  项目.csv row 2, 签约日期 '2023年1月20日-22日': expected one date, not a span of days"
    ]


@pytest.mark.parametrize(
    "text, year, expected",
    [
        ("2023-05-03", None, (date(2023, 5, 3), None)),
        ("2023年5月3日-5日", None, (date(2023, 5, 3), date(2023, 5, 5))),
        ("2023年5月30日至6月2日", None, (date(2023, 5, 30), date(2023, 6, 2))),
        ("2023-05-03-05", None, (date(2023, 5, 3), date(2023, 5, 5))),
        ("2023/12/30-2024/1/2", None, (date(2023, 12, 30), date(2024, 1, 2))),
        ("5月3日—5日", 2023, (date(2023, 5, 3), date(2023, 5, 5))),
        ("5/3到5/5", 2024, (date(2024, 5, 3), date(2024, 5, 5))),
        ("5-3", 2023, (date(2023, 5, 3), None)),
    ],
)
def test_parse_span_reads_a_date_or_its_first_and_last_day(text, year, expected):
    assert parse_span(text, date(2030, 1, 1), "日期", year) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("5月3日", "日期 '5月3日': expected a date with its year, such as 2023年5月3日"),
        ("5月3日-5日", "日期 '5月3日-5日': expected a date with its year, such as 2023年5月3日"),
        ("2023年5月3日-32日", "日期 '2023年5月3日-32日': day is out of range for month; expected a real calendar date"),
        (
            "2023年5月3日-",
            "日期 '2023年5月3日-': expected a date such as 2023-03-13, 2023/3/13, 2023年3月13日 or today",
        ),
    ],
)
def test_parse_span_refuses_in_one_line(text, message):
    with pytest.raises(ZsError) as caught:
        parse_span(text, date(2030, 1, 1), "日期")
    assert str(caught.value) == message
