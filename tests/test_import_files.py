"""Files that are not what they seem: hostile cells, stray quotes, mixed encodings, zip bombs, folders
that are not there, a full disk, names too long. Each is one line (or a list of bad cells), never a
traceback, and nothing is written — not to the ledger, not a half-written file."""

import csv
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import full_disk
import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from zhaoshang import tabular

HEADER = ["日期", "单位", "类型", "企业", "备注"]


def write_csv(path, rows, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def bad_lines(result):
    assert "Traceback" not in result.output
    return result.stderr.splitlines()


# --- 1. every cell through check_text -------------------------------------------------------------


def test_control_and_invisible_characters_in_cells_are_bad_cells(office, tmp_path):
    path = write_csv(
        tmp_path / "台账.csv",
        [
            HEADER,
            ["2023-03-01", "萧镇", "走访企业", "甲\x00公司", ""],
            ["2023-03-02", "\x1b[31m萧镇", "外出招商", "", ""],
            ["2023-03-03", "萧\u200b镇", "外出招商", "", "对接\u202e项目"],
            ["2023-03-04", "萧镇", "外出招商", "", "bell\x07"],
            ["2023-03-05", "萧镇", "走访企业", "乙公司\n丙公司\r\n丁公司", "一行"],  # a list may break lines
        ],
    )
    before = office.counts()
    result = office("import", "activities", path, code=1)
    expected = "expected text without control or invisible characters"
    assert bad_lines(result) == [
        f"zs: FILE '{path}': 4 bad rows, nothing imported; expected rows that all read cleanly",
        f"  台账.csv row 2, 企业 '甲\\x00公司': {expected} (it holds U+0000)",
        f"  台账.csv row 3, 单位 '\\x1b[31m萧镇': {expected} (it holds U+001B)",
        f"  台账.csv row 4, 单位 '萧\\u200b镇': {expected} (it holds U+200B)",
        f"  台账.csv row 4, 备注 '对接\\u202e项目': {expected} (it holds U+202E)",
        f"  台账.csv row 5, 备注 'bell\\x07': {expected} (it holds U+0007)",
    ]
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert office.counts() == before
    errors = tmp_path / "errors.csv"
    office("import", "activities", path, "--errors", errors, code=1)
    listed = list(csv.reader(errors.open(encoding="utf-8-sig")))
    assert [row[3] for row in listed[1:]] == [
        "甲\\x00公司",
        "\\x1b[31m萧镇",
        "萧\\u200b镇",
        "对接\\u202e项目",
        "bell\\x07",
    ]  # escaped: the file shows what the cell held

    write_csv(path, [HEADER, ["2023-03-05", "萧镇", "走访企业", "乙公司\n丙公司\r\n丁公司", "一行"]])
    office("import", "activities", path)
    assert [(r["companies"], r["note"]) for r in office.json("log", "list")] == [
        (["丁公司", "丙公司", "乙公司"], "一行")
    ]


def test_a_bad_cell_of_a_workbook_names_its_row_and_column(office, tmp_path):
    xml = sheet_xml(
        [["日期", "单位", "类型", "企业", "备注"], ["2023-03-01", "萧镇", "走访企业", "甲公司", "第一\t第二"]],
        tail='<row r="3"><c r="A3"><v>1e999</v></c><c r="B3" t="inlineStr"><is><t>萧\u2066镇</t></is></c>'
        '<c r="C3" t="inlineStr"><is><t>外出招商</t></is></c></row>',
    )
    path = workbook(tmp_path / "台账.xlsx", xml)
    result = office("import", "activities", path, code=1)
    assert bad_lines(result)[1:] == [
        "  台账.xlsx row 2, 备注 '第一\\t第二': expected text without control or invisible characters (it holds U+0009)",
        "  台账.xlsx row 3, 单位 '萧\\u2066镇': expected text without control or invisible characters (it holds U+2066)",
        "  台账.xlsx row 3, 日期 inf: expected a date",
    ]


# --- 3. stray quotes -------------------------------------------------------------------------------


def rows_of_trips(count):
    return [["2023-03-01", "萧镇", "外出招商", f"公司{i}", ""] for i in range(count)]


def csv_text(rows):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    "edits, problem",
    [
        ([("公司1,", '"公司1,')], "row 3 (line 3): unexpected end of data"),  # the quote runs to the end of the file
        (
            [("公司4,", '"公司4,'), ("公司39,\n", '公司39,"说明,含逗号"\n')],  # closed by the next quoted cell
            "row 6 (line 6): ',' expected after '\"'",
        ),
        (
            [("公司2,", '"公司2,'), ("公司27,\n", '公司27,"\n')],  # closed at the end of a line, 26 lines on
            "row 4 (line 4): a quoted cell runs over 26 lines",
        ),
    ],
)
def test_a_stray_quote_is_refused_with_its_row(office, tmp_path, edits, problem):
    text = csv_text([HEADER, *rows_of_trips(200)])
    for old, new in edits:
        text = text.replace(old, new, 1)
    path = tmp_path / "quote.csv"
    path.write_text(text, encoding="utf-8")
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': {problem}; expected a CSV file whose quotes are balanced (a quote opens a cell and closes it)"
    )


# --- 4. encodings -----------------------------------------------------------------------------------


def test_a_csv_that_turns_gb18030_after_its_head_is_one_line(office, tmp_path):
    head = csv_text([HEADER, *rows_of_trips(300)]).encode("utf-8")
    tail = csv_text([["2023-04-01", "商家镇", "外出招商", "戊公司", ""]]).encode("gb18030")
    path = tmp_path / "mixed.csv"
    path.write_bytes(head + tail)
    offset = len(head) + len("2023-04-01,")
    assert len(head) > 8192
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': its text is UTF-8 up to byte {offset} (line 302), which is not; "
        "expected a CSV file wholly in one encoding, UTF-8 or GB18030"
    )


def test_a_csv_in_neither_encoding_names_both(office, tmp_path):
    path = tmp_path / "junk.csv"
    path.write_bytes(b"date,unit,type\n2023-03-01,\xff\xfe,trip\n")
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': byte 26 (line 2) is not UTF-8 and byte 26 (line 2) is not GB18030; "
        "expected a CSV file in UTF-8 or GB18030"
    )


def test_a_gb18030_file_whose_first_characters_happen_to_be_utf8_is_read_as_gb18030(office, tmp_path):
    assert "露露".encode("gb18030").decode("utf-8") == "¶¶"  # C2 B6 C2 B6: valid UTF-8 too
    path = write_csv(
        tmp_path / "gbk.csv",
        [["企业", "日期", "单位", "类型"], ["露露公司", "2023-03-01", "萧镇", "走访企业"]],
        encoding="gb18030",
    )
    office("import", "activities", path)
    assert office.json("log", "list")[0]["companies"] == ["露露公司"]


# --- 5. zip bombs ----------------------------------------------------------------------------------


def sheet_xml(rows, dimension=None, tail=""):
    body = "".join(
        f'<row r="{n}">'
        + "".join(
            f'<c r="{get_column_letter(i)}{n}" t="inlineStr"><is><t>{v}</t></is></c>'
            for i, v in enumerate(row, start=1)
        )
        + "</row>"
        for n, row in enumerate(rows, start=1)
    )
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{dim}'
        f"<sheetData>{body}{tail}</sheetData></worksheet>"
    ).encode()


def workbook(path, sheet: bytes, extra: dict[str, bytes] | None = None):
    """A real workbook whose first sheet is `sheet` (and with other parts added)."""
    book = openpyxl.Workbook()
    book.active.append(["x"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = sheet
    parts.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


LIMITS = "expected a workbook within Excel's own limits (1,048,576 rows, 32,767 characters a cell) that unpacks to"


def test_a_highly_compressed_part_is_refused_before_it_is_unpacked(office, tmp_path):
    path = workbook(
        tmp_path / "bomb.xlsx", sheet_xml([["日期", "单位", "类型"], ["2023-03-01", "萧镇", "A" * 3_000_000]])
    )
    part = zipfile.ZipFile(path).getinfo("xl/worksheets/sheet1.xml")
    assert part.file_size > 100 * part.compress_size
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': its part xl/worksheets/sheet1.xml is compressed "
        f"{part.file_size // part.compress_size:,}:1 (a zip bomb); {LIMITS} at most 1024 MiB"
    )


def test_a_workbook_that_unpacks_to_too_much_is_refused(office, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_UNPACKED", 1 << 20)  # 1 MiB here, to keep the test small
    noise = os.urandom(700_000).hex().encode()  # barely compressible: no single part looks like a bomb
    path = workbook(tmp_path / "big.xlsx", sheet_xml([["日期", "单位", "类型"]]), {"xl/media/noise.bin": noise})
    total = sum(info.file_size for info in zipfile.ZipFile(path).infolist())
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': it would unpack to {total:,} bytes; {LIMITS} at most 1 MiB"
    )


def test_shared_strings_too_big_to_hold_in_memory_are_refused(office, tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_SHARED_STRINGS", 100_000)  # read whole into memory: a limit of its own
    strings = "".join(f"<si><t>{os.urandom(8).hex()}</t></si>" for _ in range(5000)).encode()
    path = workbook(tmp_path / "strings.xlsx", sheet_xml([["日期", "单位", "类型"]]), {"xl/sharedStrings.xml": strings})
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': its shared strings would unpack to {len(strings):,} bytes; {LIMITS} at most 1024 MiB"
    )


def test_rows_beyond_excel_are_refused_declared_or_not(office, tmp_path):
    declared = workbook(tmp_path / "declared.xlsx", sheet_xml([["日期", "单位", "类型"]], dimension="A1:C40000000"))
    assert office.fails("import", "activities", declared) == (
        f"zs: FILE '{declared}': sheet Sheet declares 40,000,000 rows and 3 columns; {LIMITS} at most 1024 MiB"
    )
    far = '<row r="40000000"><c r="A40000000" t="inlineStr"><is><t>2023-03-01</t></is></c></row>'
    hidden = workbook(tmp_path / "hidden.xlsx", sheet_xml([["日期", "单位", "类型"]], tail=far))
    assert office.fails("import", "activities", hidden) == (
        f"zs: FILE '{hidden}': sheet Sheet has a row 1,048,577; {LIMITS} at most 1024 MiB"
    )


def test_a_cell_longer_than_excel_allows_is_refused(office, tmp_path):
    long = os.urandom(20_000).hex()  # 40,000 characters that do not compress
    path = workbook(
        tmp_path / "long.xlsx", sheet_xml([["日期", "单位", "类型", "企业"], ["2023-03-01", "萧镇", "走访企业", long]])
    )
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': sheet Sheet cell D2 holds 40,000 characters; {LIMITS} at most 1024 MiB"
    )


def test_cells_beyond_the_headers_are_not_read(office, tmp_path):
    far = '<c r="XFD2" t="inlineStr"><is><t>ignored</t></is></c>'
    xml = sheet_xml([["日期", "单位", "类型", "企业"], ["2023-03-01", "萧镇", "走访企业", "甲公司"]]).replace(
        b"</c></row></sheetData>", b"</c>" + far.encode() + b"</row></sheetData>"
    )
    path = workbook(tmp_path / "wide.xlsx", xml)
    office("import", "activities", path)
    assert [(r["unit"], r["companies"]) for r in office.json("log", "list")] == [("萧镇", ["甲公司"])]


@pytest.mark.parametrize(
    "cell, problem",
    [
        ('<c r="A2" t="s"><v>99</v></c>', "IndexError: list index out of range"),  # no such shared string
        ('<c r="A2"><v>abc</v></c>', "ValueError: invalid literal for int() with base 10: 'abc'"),  # not a number
    ],
)
def test_a_sheet_damaged_past_its_first_row_is_one_line(office, tmp_path, cell, problem):
    xml = sheet_xml([["日期", "单位", "类型"], ["2023-03-01", "萧镇", "外出招商"]]).replace(
        b'<c r="A2" t="inlineStr"><is><t>2023-03-01</t></is></c>', cell.encode()
    )
    path = workbook(tmp_path / "damaged.xlsx", xml)
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': sheet Sheet after row 1: {problem}; expected a readable .xlsx workbook"
    )


# --- 6, 8. where files go ----------------------------------------------------------------------------


def bad_file(tmp_path):
    return write_csv(tmp_path / "bad.csv", [HEADER, ["2023-03-01", "火星镇", "外出招商", "", ""]])


def test_errors_into_a_missing_folder_or_a_folder_is_one_line_before_the_import(office, tmp_path):
    path = bad_file(tmp_path)
    missing = tmp_path / "nowhere" / "errors.csv"
    assert office.fails("import", "activities", path, "--errors", missing) == (
        f"zs: --errors '{missing}': there is no folder {missing.parent}; expected a path in an existing folder"
    )
    assert not missing.parent.exists()
    assert office.fails("import", "activities", path, "--errors", tmp_path) == (
        f"zs: --errors '{tmp_path}': it is a folder; expected a file name"
    )


def test_names_longer_than_the_system_allows_are_one_line(office, tmp_path):
    name = "台" * 100 + ".csv"  # 300 bytes: longer than a file name may be
    path = tmp_path / name
    assert office.fails("import", "activities", path) == (
        f"zs: FILE '{path}': File name too long; expected a path the system can open"
    )
    assert office.fails("export", tmp_path / (name[:-4] + ".xlsx")) == (
        f"zs: PATH '{tmp_path / (name[:-4] + '.xlsx')}': File name too long; expected a path the system can open"
    )
    assert office.fails("import", "activities", bad_file(tmp_path), "--errors", path) == (
        f"zs: --errors '{path}': File name too long; expected a path the system can open"
    )
    assert files(tmp_path) == ["bad.csv"]


# --- 7. a full disk ----------------------------------------------------------------------------------


@pytest.fixture
def fill_disk(tmp_path, monkeypatch):
    """Once called, files opened for writing under tmp_path fail with ENOSPC after 4 KB."""
    return lambda: monkeypatch.setattr(io, "open", full_disk.opener(tmp_path))


def files(folder):
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("ledger.db"))


@pytest.mark.parametrize("target", ["all.xlsx", "all.json", "folder"])
def test_a_full_disk_during_export_leaves_nothing_behind(zs, tmp_path, monkeypatch, fill_disk, target):
    demo = tmp_path / "demo.db"
    zs("demo", "--db", demo)
    before = files(tmp_path)
    path = tmp_path / target
    fill_disk()
    assert zs.fails("export", path, "--db", demo) == (
        f"zs: PATH '{path}': No space left on device; expected a path where the export can be written"
    )
    assert files(tmp_path) == before  # no empty file, no temporary
    monkeypatch.undo()
    zs("export", path, "--db", demo)  # and nothing blocks a retry
    assert files(tmp_path) == sorted([*before, target])


def test_a_full_disk_while_writing_errors_leaves_nothing_behind(office, tmp_path, fill_disk):
    path = write_csv(tmp_path / "bad.csv", [HEADER] + [["2023-03-01", "火星镇", "外出招商", "", ""]] * 200)
    errors = tmp_path / "errors.csv"
    fill_disk()
    result = office("import", "activities", path, "--errors", errors, code=1)
    lines = bad_lines(result)
    assert lines[0].startswith(f"zs: FILE '{path}': 200 bad rows") and len(lines) == 1 + 100 + 1 + 1
    assert lines[-1] == (
        f"  --errors '{errors}': No space left on device; expected a file where the bad cells can be written"
    )
    assert files(tmp_path) == ["bad.csv"]


# The same in a process of its own: what Python does as it exits (close what is left open, and
# print any error that raises) is part of what the user sees.
FULL_DISK = f"""
import io, runpy, sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
import full_disk
io.open = full_disk.opener(sys.argv.pop(1))
runpy.run_module("zhaoshang", run_name="__main__")
"""


def test_a_full_disk_is_one_line_to_the_end_of_the_process(tmp_path):
    ledger, out = tmp_path / "ledger.db", tmp_path / "out"
    subprocess.run([sys.executable, "-m", "zhaoshang", "demo", "--db", str(ledger)], check=True, capture_output=True)
    out.mkdir()
    path = bad_file(out)

    def zs(*args):
        return subprocess.run(
            [sys.executable, "-c", FULL_DISK, str(out), *args, "--db", str(ledger)], capture_output=True, text=True
        )

    result = zs("export", str(out / "all.xlsx"))
    assert (result.returncode, result.stderr) == (
        1,
        f"zs: PATH '{out / 'all.xlsx'}': No space left on device; expected a path where the export can be written\n",
    )
    errors = [["2023-03-01", "火星镇", "外出招商", "", ""]] * 300
    result = zs("import", "activities", str(write_csv(path, [HEADER, *errors])), "--errors", str(out / "e.csv"))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"  --errors '{out / 'e.csv'}': No space left on device; expected a file where the bad cells can be written"
    )
    assert files(out) == ["bad.csv"]


def test_errors_into_a_pipe_or_a_device_is_refused_before_the_import(office, tmp_path):
    os.mkfifo(tmp_path / "fifo")
    targets = [tmp_path / "fifo", *([Path("/dev/full")] if Path("/dev/full").is_char_device() else [])]
    for target in targets:  # writing would wait for ever on the pipe, or replace the device
        assert office.fails("import", "activities", bad_file(tmp_path), "--errors", target) == (
            f"zs: --errors '{target}': it is a device or a pipe, not a file; expected a file name"
        )
    assert (tmp_path / "fifo").is_fifo()


def test_a_bad_date_cell_is_one_line_not_also_a_missing_date(office, tmp_path):
    sheet = tmp_path / "项目.csv"
    sheet.write_text("项目名称,招引单位,投资额,阶段,签约日期\n丙项目,萧镇,2亿,签约,5月8日\n", encoding="utf-8")
    assert office("import", "projects", sheet, code=1).stderr.splitlines()[1:] == [
        "  项目.csv row 2, 签约日期 '5月8日': expected a date with its year, such as 2023年5月3日 "
        "(or --year for a sheet whose dates leave it out)"
    ]  # and not again as "签约日期 '': expected a date for 签约"


def test_a_title_rows_unit_is_what_the_sheets_plain_amounts_are_in(office, tmp_path):
    sheet = tmp_path / "项目台账.csv"
    sheet.write_text(
        "文昌湖区2023年重点项目台账,,,,\n填报单位：萧镇　单位：万元,,,,\n"
        "项目名称,招引单位,投资额,阶段,签约日期\n甲项目,萧镇,15000,签约,2023-05-06\n",
        encoding="utf-8",
    )
    office("import", "projects", sheet)
    assert office.json("project", "show", "1")["amount_yuan"] == 150_000_000  # 15000 万元, not refused
    office("undo")
    office("import", "projects", sheet, "--money-unit", "元")  # the option says otherwise: it decides
    assert [p["amount_yuan"] for p in office.json("project", "list")] == [15_000]


def test_names_a_table_pads_with_spaces_are_the_ledgers_names(office, tmp_path):
    sheet = tmp_path / "台账.csv"
    sheet.write_text("日期,单位,类型,带队领导,目的地\n2023-03-01,萧　镇,外出招商,王　明,深圳\n", encoding="utf-8")
    office("import", "activities", sheet)
    office("log", "trip", "--unit", "萧 镇", "--leader", "孙　志强", "--date", "2023-03-02", "--to", "广州")
    assert [(a["unit"], a["leader"]) for a in office.json("log", "list")] == [("萧镇", "王明"), ("萧镇", "孙志强")]


def test_full_width_letters_and_digits_in_a_name_are_the_ledgers_plain_ones(office, tmp_path):
    office("unit", "add", "ABC园区", "--kind", "park")
    assert office.fails("unit", "add", "ＡＢＣ园区", "--kind", "park") == (
        "zs: name 'ＡＢＣ园区': it reads the same as the unit ABC园区; expected a new unit name"
    )
    office("unit", "add", "ABD园区", "--kind", "park")  # another name
    sheet = tmp_path / "台账.csv"
    sheet.write_text("日期,单位,类型,目的地\n2023-03-01,ＡＢＣ园区,外出招商,深圳\n", encoding="utf-8")
    office("import", "activities", sheet)
    office("log", "trip", "--unit", "ＡＢＣ 园区", "--date", "2023-03-02", "--to", "广州")
    assert [a["unit"] for a in office.json("log", "list")] == ["ABC园区", "ABC园区"]
