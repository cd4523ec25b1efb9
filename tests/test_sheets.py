"""Imports read sheets as offices write them: a title above the header, dates without a year, a
trip's dates in one cell, and a sheet's own 编号 to match re-sent rows on (issue 15)."""

from test_transfer import write_csv, write_xlsx

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
