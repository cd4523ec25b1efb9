"""Tables on the terminal and piped to a file: they wrap, never crop; --width chooses the width."""

import pytest
from rich.cells import cell_len
from test_reports import year  # noqa: F401  (the fixture)

# Rendering: the tables' figures come from the report builders the report tests run on both engines.
ENGINES = ("sqlite",)

LONG = "江苏省苏州市工业园区新能源汽车零部件有限公司"


def body(output: str, first: str, key: int = 0) -> list[list[str]]:
    """The rows of the table whose header row starts with `first`, each cell's wrapped lines joined
    (a row starts where column `key`, a figure or an id kept on one line, holds something)."""
    return [["".join(piece) for piece in row] for row in pieces(output, first, key)]


def pieces(output: str, first: str, key: int = 0) -> list[list[list[str]]]:
    """Each row's cells as the lines they were wrapped into."""
    lines = output.splitlines()
    top = next(n for n, line in enumerate(lines) if line.startswith("┃") and line.split("┃")[1].strip() == first)
    rows: list[list[list[str]]] = []
    for line in lines[top + 1 :]:
        if line.startswith("└"):
            break
        if not line.startswith("│"):
            continue
        cells = [c.strip() for c in line.split("│")[1:-1]]
        if cells[key] or not rows:
            rows.append([[c] if c else [] for c in cells])
        else:
            for cell, more in zip(rows[-1], cells, strict=True):
                cell.extend([more] if more else [])
    return rows


@pytest.fixture
def visited(year, monkeypatch):  # noqa: F811
    year("log", "visit", "--unit", "区投资促进中心", "--date", "2023-03-30", "--company", LONG, "--note", "洽谈二期")
    monkeypatch.delenv("COLUMNS", raising=False)
    return year


@pytest.mark.parametrize("width", ["40", "80", "120", "200"])
def test_a_list_at_any_width_keeps_every_column_and_every_character(visited, width):
    output = visited("log", "list", "--width", width).stdout
    listed = visited.json("log", "list")
    rows = body(output, "ID")
    assert [r[0] for r in rows] == [str(a["id"]) for a in listed]
    assert [r[3] for r in rows] == ["、".join(a["units"]) for a in listed]  # 区投资促进中心 whole, if wrapped
    assert rows[-1][8] == LONG and rows[-1][9] == "洽谈二期"
    assert "…" not in output
    widest = max(cell_len(line) for line in output.splitlines())
    # ten columns: from 120 the list fits; at 80 it cannot with names of three characters a line
    # (ID, a whole date, eight names and the rules take 89), so it is printed 89 wide, whole
    assert widest == 89 if int(width) < 120 else widest <= int(width)
    if width == "200":  # room enough: nothing wraps
        assert len([line for line in output.splitlines() if line.startswith("│")]) == len(listed)


@pytest.mark.parametrize("width, shortest", [("80", 6), ("100", 10)])
def test_names_wrap_no_shorter_than_three_characters(visited, width, shortest):
    output = visited("log", "list", "--width", width).stdout
    units = [row[3] for row in pieces(output, "ID")]
    assert "".join(units[-1]) == "区投资促进中心"
    assert min(cell_len(line) for unit in units for line in unit[:-1]) == shortest  # all but a name's last line


def test_a_report_piped_at_80_columns_keeps_every_column(visited):
    output = visited("report", "month", "--month", "2023-03", "--as-of", "2023-03-31").stdout
    rows = body(output, "类别", key=3)
    assert [r[1] for r in rows] == ["#1电池项目", "#2陶瓷项目"] and rows[0][7] == "2023-03-15"  # the date on one line
    assert rows[0][8] == "03-12完成环评" and rows[0][9] == "03-13用地指标待落实"


def test_a_date_inside_a_wrapped_cell_stays_on_one_line(visited):
    """A key project's 阶段 cell holds its stage and the stage's date: squeezed to 80 columns, the
    column keeps the date whole (it read 2023-0 / 3-15 when names wrapped at three characters)."""
    for n in range(3):
        visited("unit", "add", f"很长很长的第{n}个园区管理委员会", "--kind", "park")
        unit = f"很长很长的第{n}个园区管理委员会"
        visited("project", "add", f"项目{n}", "--unit", unit, "--amount", "2亿", "--key", "--date", "2023-03-01")
        visited("project", "advance", f"项目{n}", "--to", "签约", "--date", "2023-03-15")
    output = visited("report", "month", "--month", "2023-03", "--as-of", "2023-03-31", "--width", "80").stdout
    stages = [row[4] for row in pieces(output, "类别", key=3)]
    assert [lines[1:] for lines in stages] == [["2023-02-20"], ["2023-03-08"], *[["2023-03-15"]] * 3]


@pytest.mark.parametrize("value", ["39", "1001", "3x", "８０", "-80", ""])
def test_a_width_that_is_no_number_of_columns_is_one_line(visited, value):
    line = visited.fails("log", "list", "--width", value)
    assert line == f"zs: --width '{value}': expected a number of columns from 40 to 1000, such as 120"


def test_one_run_with_a_width_leaves_the_next_at_the_terminal_s(visited, monkeypatch):
    narrow = visited("log", "list", "--width", "40").stdout
    monkeypatch.setenv("COLUMNS", "200")
    wide = visited("log", "list").stdout
    assert max(map(cell_len, wide.splitlines())) > max(map(cell_len, narrow.splitlines()))
    assert len([line for line in wide.splitlines() if line.startswith("│")]) == len(visited.json("log", "list"))


def test_a_table_of_figures_wider_than_80_columns_keeps_its_names(visited):
    """Eight figure columns kept on one line leave the names less than 80 columns: the table is
    printed wider, its names wrapped at three characters, not squeezed to nothing."""
    output = visited("report", "forecast", "--year", "2023", "--as-of", "2023-06-30", "--width", "80").stdout
    rows = pieces(output, "指标", key=2)
    titles = [q["title"] for q in visited.json("report", "forecast", "--year", "2023", "--as-of", "2023-06-30")["rows"]]
    assert ["".join(row[0]) for row in rows] == titles
    lines = [line for row in rows for line in row[0][:-1]]  # every line of a name but its last
    assert {cell_len(line) for line in lines} <= {5, 6} and max(map(cell_len, lines)) == 6  # 5: “ is one cell
    assert {"".join(row[10]) for row in rows} <= {"预计完成", "预计未完成"}  # the status on one line, whole
    table = output.split("└")[0].splitlines()  # 指标预测, before the candidates' table
    widths = {cell_len(line) for line in table if line.startswith(("┏", "│"))}
    assert len(widths) == 1 and widths.pop() > 80


def test_the_per_unit_table_ends_with_the_regions_total_as_the_json_has_it(year):  # noqa: F811
    args = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--width", "200")
    rows = body(year(*args).stdout, "单位")
    data = year.json(*args[:-2])
    assert [r[0] for r in rows] == [u["unit"] for u in data["units"]] + ["合计"]
    # 电池项目 (萧镇, 1.5亿, signed 02-20, 5000万 省外) and 智能装备 (投促中心, 2亿, signed 03-25); 4 trips
    assert rows[-1][1:] == ["5000万元", "2", "2", "4"]
    assert list(data["totals"].values()) == [50_000_000, 2, 2, 4]
