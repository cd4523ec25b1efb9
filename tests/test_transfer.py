"""Import of existing 台账 (all or nothing), export of the whole ledger, and the round trip."""

import csv
import json
import re
from datetime import datetime

import openpyxl
import pytest
from conftest import ROOT, count_rows, url_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhaoshang import tabular
from zhaoshang.parse import unsafe_character


def write_csv(path, rows, encoding="utf-8-sig"):
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def write_xlsx(path, rows, title="Sheet"):
    book = openpyxl.Workbook()
    book.active.title = title
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


OFFICE_CSV = [
    ["序号", "日期", "单位", "类型", "带队领导", "招商方式", "目的地", "企业", "备注"],
    ["1", "2023/3/13", "萧镇", "外出招商", "王明", "短频快", "深圳", "比亚迪、华为", "对接电池项目"],
    ["2", "2023年3月20日", "区投资促进中心", "走访企业", "", "登门招商", "", "齐鲁化工", ""],
    ["3", "2023-03-21", "商家镇", "接待客商", "刘海涛", "", "", "某客商", ""],
    ["4", "2023.4.1", "区投资促进中心", "推介会", "张国栋", "", "上海", "", "长三角推介"],
    ["", "", "", "", "", "", "", "", ""],
]


def test_import_activities_as_offices_write_them(office, tmp_path):
    path = write_csv(tmp_path / "台账.csv", OFFICE_CSV)
    out = office("import", "activities", path).stdout
    assert out.strip() == (
        f"imported 4 new, 0 changed, 0 unchanged activities (4 company links, 0 voided), 4 new companies in the register from {path} (4 rows) "
        "as one change: `zs undo` takes it back"
    )
    rows = office.json("log", "list")
    assert [
        (
            r["date"],
            r["unit"],
            r["kind"],
            r["event_type"],
            r["leader"],
            r["mode"],
            r["destination"],
            r["companies"],
            r["note"],
        )
        for r in rows
    ] == [
        ("2023-03-13", "萧镇", "trip", None, "王明", "quick", "深圳", ["华为", "比亚迪"], "对接电池项目"),
        ("2023-03-20", "区投资促进中心", "visit", None, None, "door", None, ["齐鲁化工"], None),
        ("2023-03-21", "商家镇", "reception", None, "刘海涛", None, None, ["某客商"], None),
        ("2023-04-01", "区投资促进中心", "event", "promotion", "张国栋", None, "上海", [], "长三角推介"),
    ]
    assert office.json("history")[0]["summary"] == "新增活动 4 (#1, #2, #3 …)；新增企业 4 (#1, #2, #3 …)"
    office("undo")
    assert office.json("log", "list") == [] and office.counts()["activity_company"] == 0


def test_import_reads_xlsx_date_cells_gb18030_csv_and_mapped_headers(office, tmp_path):
    path = write_xlsx(
        tmp_path / "台账.xlsx",
        [
            ["外出时间", "责任单位", "事项", "对接企业"],
            [datetime(2023, 5, 6), "萧镇", "外出招商", "甲公司"],
            ["2023/5/7", "萧镇", "走访", "乙公司，丙公司"],
        ],
    )
    office("import", "activities", path, "--map", "外出时间=date")
    assert [(r["date"], r["kind"], r["companies"]) for r in office.json("log", "list")] == [
        ("2023-05-06", "trip", ["甲公司"]),
        ("2023-05-07", "visit", ["丙公司", "乙公司"]),
    ]
    gbk = write_csv(
        tmp_path / "gbk.csv",
        [["date", "unit", "type", "company"], ["2023-06-01", "商家镇", "visit", "丁公司"]],
        encoding="gb18030",
    )
    office("import", "activities", gbk)
    assert office.json("log", "list", "--unit", "商家镇")[0]["companies"] == ["丁公司"]


def test_a_file_with_bad_rows_writes_nothing_and_lists_every_one(office, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["日期", "单位", "类型", "带队领导", "企业"],
            ["2023-03-01", "萧镇", "外出招商", "", ""],
            ["2023-02-30", "萧镇", "外出招商", "", ""],
            ["2023-03-02", "火星镇", "喝茶", "无名氏", ""],
            ["2023-03-03", "萧镇", "走访企业", "", ""],
        ],
    )
    before = office.counts()
    result = office("import", "activities", path, code=1)
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"zs: FILE '{path}': 3 bad rows, nothing imported; expected rows that all read cleanly",
        "  bad.csv row 3, 日期 '2023-02-30': expected a real calendar date (day is out of range for month)",
        "  bad.csv row 4, 单位 '火星镇': expected a unit of the ledger (add it with `zs unit add`, or a 单位 sheet)",
        "  bad.csv row 4, 类型 '喝茶': expected 外出招商, 走访企业, 接待客商, 调度会, or an event type (推介会, 展会, 签约仪式 …)",
        "  bad.csv row 4, 带队领导 '无名氏': expected a person of the ledger",
        "  bad.csv row 5, 企业 '': expected a company for 走访企业",
    ]
    assert office.counts() == before
    assert len(office.json("history")) == 1  # only the init


def test_a_mistyped_unit_or_person_in_a_file_is_told_the_nearest_name(office, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["日期", "单位", "类型", "带队领导", "参与单位"],
            ["2023-03-01", "萧真", "外出招商", "王名", "商家真"],
        ],
    )
    result = office("import", "activities", path, code=1)
    assert result.stderr.splitlines()[1:] == [
        "  bad.csv row 2, 单位 '萧真': expected a unit of the ledger (did you mean 萧镇? add it with `zs unit add`, or a 单位 sheet)",
        "  bad.csv row 2, 参与单位 '商家真': expected units of the ledger, separated by 、 (did you mean 商家镇?)",
        "  bad.csv row 2, 带队领导 '王名': expected a person of the ledger (did you mean 王明?)",
    ]


def test_many_bad_rows_are_summarised_and_written_in_full_on_request(office, tmp_path):
    rows = [["日期", "单位", "类型"]] + [["2023-03-01", "火星镇", "外出招商"]] * 150
    path = write_csv(tmp_path / "many.csv", rows)
    errors = tmp_path / "errors.csv"
    result = office("import", "activities", path, "--errors", errors, code=1)
    lines = result.stderr.splitlines()
    assert lines[0] == f"zs: FILE '{path}': 150 bad rows, nothing imported; expected rows that all read cleanly"
    assert len(lines) == 1 + 100 + 1 + 1
    assert lines[101] == "  … and 50 more bad cells: --errors FILE writes every one"
    assert lines[102] == f"  every bad cell (150) is listed in {errors}"
    listed = list(csv.reader(errors.open(encoding="utf-8-sig")))
    assert listed[0] == ["表", "行", "列", "值", "应为"] and len(listed) == 151
    assert listed[150][:4] == ["many.csv", "151", "单位", "火星镇"]


def test_missing_columns_and_unreadable_files_are_one_line(office, tmp_path):
    path = write_csv(tmp_path / "cols.csv", [["日期", "地点"], ["2023-03-01", "深圳"]])
    assert office.fails("import", "activities", path) == (
        "zs: cols.csv headers '日期, 地点': expected columns for 单位 (责任单位/填报单位/招商单位); "
        "类型 (活动类型/形式/事项); name others with --map"
    )
    assert office.fails("import", "activities", tmp_path / "none.csv") == (
        f"zs: FILE '{tmp_path / 'none.csv'}': expected an existing .csv or .xlsx file"
    )
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK not really a zip")
    assert office.fails("import", "activities", junk).startswith(f"zs: FILE '{junk}': ")
    assert office.fails("import", "activities", path, "--map", "地点") == (
        "zs: --map '地点': expected HEADER=FIELD, e.g. --map 外出时间=日期 (or =date)"
    )
    refused = office.fails("import", "activities", path, "--map", "地点=火星")
    assert refused.startswith("zs: --map '地点=火星': expected a field among ") and "date 日期, " in refused


def test_map_takes_the_chinese_field_names(office, tmp_path):
    path = write_csv(
        tmp_path / "台账.csv", [["外出时间", "责任科室", "事项", "去向"], ["2023-03-01", "萧镇", "外出招商", "深圳"]]
    )
    args = ["--map", "外出时间=日期", "--map", "责任科室=单位", "--map", "事项=type", "--map", "去向=目的地"]
    office("import", "activities", path, *args)
    assert [(a["date"], a["unit"], a["kind"], a["destination"]) for a in office.json("log", "list")] == [
        ("2023-03-01", "萧镇", "trip", "深圳")
    ]


def test_dry_run_checks_and_writes_nothing(office, tmp_path):
    path = write_csv(tmp_path / "台账.csv", OFFICE_CSV)
    before = office.counts()
    out = office("import", "activities", path, "--dry-run").stdout
    assert out.strip() == (
        f"checked 4 rows of {path} (台账.csv): all good; would import 4 new, 0 changed, 0 unchanged activities "
        "(4 company links, 0 voided), 4 new companies in the register. Nothing written (--dry-run)."
    )
    assert office.counts() == before


PROJECTS = [
    [
        "项目名称",
        "招引单位",
        "投资额(万元)",
        "阶段",
        "签约日期",
        "开工日期",
        "责任人",
        "包保领导",
        "重点项目",
        "开工时限",
        "到位资金",
        "资金来源",
        "到位日期",
        "产业",
    ],
    [
        "电池项目",
        "萧镇",
        15000,
        "开工",
        "2023-02-20",
        "2023/5/1",
        "孙志强",
        "王明",
        "是",
        "2023-06-30",
        "5000万",
        "省外",
        "2023-05-20",
        "新能源",
    ],
    ["陶瓷项目", "商家镇", "8000", "在谈", "", "", "", "", "否", "", "", "", "", "新材料"],
    ["物流项目", "区投资促进中心", "1.2亿", "签约", "2023年3月8日", "", "", "", "", "", "", "", "", ""],
]


def test_import_projects_with_milestones_and_funds(office, tmp_path):
    path = write_xlsx(tmp_path / "项目.xlsx", PROJECTS)
    out = office("import", "projects", path, "--date", "2023-01-10").stdout
    assert out.startswith("imported 3 new, 0 changed, 0 unchanged projects, 9 milestones, 1 funds, 0 notes from")
    first = office.json("project", "show", "1")
    assert (
        first["amount_yuan"],
        first["stage"],
        first["key"],
        first["owner"],
        first["leader"],
        first["start_deadline"],
        first["industry"],
        first["funds_yuan"],
    ) == (150_000_000, "started", True, "孙志强", "王明", "2023-06-30", "新能源", 50_000_000)
    assert [(m["stage"], m["date"]) for m in first["milestones"]] == [
        ("lead", "2023-02-20"),
        ("negotiating", "2023-02-20"),
        ("signed", "2023-02-20"),
        ("started", "2023-05-01"),
    ]
    second = office.json("project", "show", "2")
    assert (second["amount_yuan"], second["stage"], [m["date"] for m in second["milestones"]]) == (
        80_000_000,
        "negotiating",
        ["2023-01-10", "2023-01-10"],
    )
    third = office.json("project", "show", "3")
    assert (third["amount_yuan"], third["stage"], third["stage_date"]) == (120_000_000, "signed", "2023-03-08")


def test_bad_project_rows(office, tmp_path):
    path = write_xlsx(
        tmp_path / "项目.xlsx",
        [
            ["项目名称", "招引单位", "投资额", "阶段", "签约日期", "开工日期", "到位资金", "重点项目"],
            ["甲", "萧镇", "1,5亿", "开工", "2023-05-01", "2023-04-01", "100万", "也许"],
            ["乙", "萧镇", "-5万", "在谈", "", "", "", ""],
        ],
    )
    result = office("import", "projects", path, code=1)
    assert result.stderr.splitlines() == [
        f"zs: FILE '{path}': 2 bad rows, nothing imported; expected rows that all read cleanly",
        "  项目.xlsx row 2, 投资额 '1,5亿': expected 1.5亿 or 15亿",
        "  项目.xlsx row 2, 开工日期 '2023-04-01': expected a date on or after the stage before it (2023-05-01)",
        "  项目.xlsx row 2, 资金来源 '': expected a value",
        "  项目.xlsx row 2, 到位日期 '': expected the date the funds arrived (到位日期, or --date)",
        "  项目.xlsx row 2, 重点项目 '也许': expected 是 or 否",
        "  项目.xlsx row 3, 投资额 '-5万': expected an amount that is not negative",
        "  项目.xlsx row 3, 在谈日期 '': expected a date for 在谈 (在谈日期, or --date for rows without one)",
    ]
    assert office.counts()["project"] == 0


PLAIN_MONEY = [
    ["项目名称", "招引单位", "投资额", "阶段", "到位资金", "资金来源", "到位日期"],
    ["电池项目", "萧镇", 15000, "在谈", 3000.5, "省外", "2023-05-20"],  # Excel number cells
    ["陶瓷项目", "商家镇", "8000", "在谈", "", "", ""],
    ["物流项目", "萧镇", "1.2亿", "在谈", "", "", ""],
]


def test_plain_numbers_in_money_columns_need_a_unit(office, tmp_path):
    path = write_xlsx(tmp_path / "项目.xlsx", PLAIN_MONEY)
    hint = "(or a unit in the header such as {}(万元), or --money-unit)"
    result = office("import", "projects", path, "--date", "2023-01-10", code=1)
    assert result.stderr.splitlines() == [
        f"zs: FILE '{path}': 2 bad rows, nothing imported; expected rows that all read cleanly",
        f"  项目.xlsx row 2, 投资额 15000: expected 15000元 or 15000万? {hint.format('投资额')}",
        f"  项目.xlsx row 2, 到位资金 3000.5: expected 3000.5万? {hint.format('到位资金')}",
        f"  项目.xlsx row 3, 投资额 '8000': expected 8000元 or 8000万? {hint.format('投资额')}",
    ]
    assert office.counts()["project"] == 0

    office("import", "projects", path, "--date", "2023-01-10", "--money-unit", "万元")
    projects = {p["name"]: (p["amount_yuan"], p["funds_yuan"]) for p in office.json("project", "list")}
    assert projects == {
        "电池项目": (150_000_000, 30_005_000),
        "陶瓷项目": (80_000_000, 0),
        "物流项目": (120_000_000, 0),
    }


def test_a_unit_in_the_header_says_what_plain_numbers_are_in(office, tmp_path):
    path = write_csv(
        tmp_path / "项目.csv",
        [
            ["项目名称", "招引单位", "投资额(万元)", "阶段", "到位资金（亿元）", "资金来源", "到位日期"],
            ["电池项目", "萧镇", "15,000", "在谈", "0.3", "省外", "2023-05-20"],
            ["陶瓷项目", "商家镇", "8000元", "在谈", "", "", ""],
        ],
    )
    office("import", "projects", path, "--date", "2023-01-10", "--money-unit", "元")  # the header wins
    projects = {p["name"]: (p["amount_yuan"], p["funds_yuan"]) for p in office.json("project", "list")}
    assert projects == {"电池项目": (150_000_000, 30_000_000), "陶瓷项目": (8_000, 0)}


def reports(zs, db):
    return {
        name: zs.json(*args, "--db", db)
        for name, args in {
            "quarter": ("report", "quarter", "--quarter", "2023Q3", "--detail"),
            "year": ("report", "year", "--year", "2023", "--as-of", "2023-11-15"),
            "month": ("report", "month", "--month", "2023-11", "--as-of", "2023-11-15"),
            "alerts": ("report", "alerts", "--as-of", "2023-11-15"),
            "score": ("report", "score", "--year", "2023", "--as-of", "2023-11-15"),
            "rank": ("report", "rank", "--year", "2023", "--as-of", "2023-11-15"),
        }.items()
    }


def test_export_then_import_into_a_fresh_ledger_gives_identical_reports(zs, tmp_path):
    demo, fresh = tmp_path / "demo.db", zs.fresh("fresh")
    zs("demo", "--db", demo)
    assert zs("export", tmp_path / "all.xlsx", "--db", demo).stdout.strip() == (
        f"exported to {tmp_path / 'all.xlsx'} (xlsx): 6 units, 10 people, 39 companies, 20 projects, 15 funds, 67 notes, "
        "337 activities, 20 figures"
    )
    zs("import", "projects", tmp_path / "all.xlsx", "--db", fresh)
    zs("import", "activities", tmp_path / "all.xlsx", "--db", fresh)
    original, copy = reports(zs, demo), reports(zs, fresh)
    for name in original:
        assert copy[name] == original[name], name
    assert len(original["quarter"]["details"]) > 100
    assert zs.json("log", "list", "--all", "--db", fresh) == zs.json("log", "list", "--all", "--db", demo)
    assert zs.json("project", "list", "--db", fresh) == zs.json("project", "list", "--db", demo)


def test_csv_and_json_exports(zs, tmp_path):
    demo = tmp_path / "demo.db"
    zs("demo", "--db", demo)
    zs("export", tmp_path / "csv", "--db", demo)
    assert sorted(p.name for p in (tmp_path / "csv").iterdir()) == [
        "activities.csv",
        "companies.csv",
        "figures.csv",
        "funds.csv",
        "notes.csv",
        "people.csv",
        "projects.csv",
        "units.csv",
    ]
    fresh = zs.fresh("fresh")
    zs("init", "--db", fresh)
    zs("import", "projects", tmp_path / "csv" / "projects.csv", "--db", fresh)  # the fair's signing names one
    zs("import", "activities", tmp_path / "csv" / "activities.csv", "--db", fresh)
    assert len(zs.json("log", "list", "--all", "--db", fresh)) == 337
    zs("export", tmp_path / "all.json", "--db", demo)
    text = (tmp_path / "all.json").read_text(encoding="utf-8")
    document = json.loads(text)
    # written a row at a time, it is the very text of dumping the whole document at once
    assert text == json.dumps(document, ensure_ascii=False, indent=1)
    assert list(document) == ["units", "people", "companies", "projects", "funds", "notes", "activities", "figures"]
    zs("export", tmp_path / "empty.json", "--db", zs.db)  # no unit, no record: empty lists, as json writes them
    assert (tmp_path / "empty.json").read_text(encoding="utf-8") == json.dumps({k: [] for k in document}, indent=1)
    assert document["projects"][0]["amount_yuan"] == 350_000_000
    assert document["funds"][0] == {
        "project": "新能源电池隔膜项目",
        "amount_yuan": 80_000_000,
        "origin": "省外",
        "date": "2023-04-15",
        "note": None,
        "void_reason": None,
    }
    assert zs.fails("export", tmp_path / "all.json", "--db", demo) == (
        f"zs: PATH '{tmp_path / 'all.json'}': it exists; expected a path with nothing there yet"
    )
    assert zs.fails("export", tmp_path / "x.txt", "--format", "pdf", "--db", demo) == (
        "zs: --format 'pdf': expected xlsx, csv or json"
    )


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_formula_looking_text_is_exported_as_text_and_read_back(office, tmp_path, fmt):
    tricky = ["=SUM(A1:A9)", "+8613800000000", "-负责人", "@某公司"]
    for i, text in enumerate(tricky):
        office("log", "visit", "--unit", "萧镇", "--date", f"2023-03-0{i + 1}", "--company", text, "--note", text)
    target = tmp_path / ("out.xlsx" if fmt == "xlsx" else "out")
    office("export", target)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(target)["活动"]
        note = [c.value for c in sheet[1]].index("备注")
        cells = [row[note] for row in sheet.iter_rows(min_row=2)]
        assert [(c.value, c.data_type) for c in cells] == [(t, "s") for t in tricky]
    else:
        lines = (target / "activities.csv").read_text(encoding="utf-8-sig").splitlines()[1:]
        note = next(csv.reader([(target / "activities.csv").read_text(encoding="utf-8-sig").splitlines()[0]]))
        at = note.index("备注")
        assert [next(csv.reader([line]))[at] for line in lines] == [f"'{t}" for t in tricky]
    fresh = office.fresh("fresh")
    office("init", "--db", fresh)
    office("import", "activities", target if fmt == "xlsx" else target / "activities.csv", "--db", fresh)
    assert [r["note"] for r in office.json("log", "list", "--db", fresh)] == tricky
    assert [r["companies"] for r in office.json("log", "list", "--db", fresh)] == [[t] for t in tricky]


def what_it_did(result) -> tuple[str, str]:
    """(what was imported, how many rows) from an import's line, or from a --dry-run's."""
    out = result.stdout.strip()
    dry = re.fullmatch(r"checked (\d+) rows of .*: all good; would import (.*)\. Nothing written \(--dry-run\)\.", out)
    if dry:
        return dry[2], dry[1]
    real = re.fullmatch(r"imported (.*) from .* \((\d+) rows\).*", out)
    return real[1], real[2]


def test_dry_run_says_exactly_what_the_import_then_does(zs, tmp_path):
    demo, fresh = tmp_path / "demo.db", zs.fresh("fresh")
    zs("demo", "--db", demo)
    zs("export", tmp_path / "all.xlsx", "--db", demo)
    zs("unit", "list", "--db", fresh)  # the ledger is made (empty) by its first command
    for kind, expected in [
        (
            "projects",
            (
                "20 new, 0 changed, 0 unchanged projects, 71 milestones, 15 funds, 67 notes, 6 units, 10 people, 20 new companies in the register",
                "20",
            ),
        ),
        (
            "activities",
            (
                "337 new, 0 changed, 0 unchanged activities (333 company links, 1 voided), 19 new companies in the register",
                "337",
            ),
        ),
    ]:
        before = count_rows(fresh)
        dry = zs("import", kind, tmp_path / "all.xlsx", "--dry-run", "--db", fresh)
        assert count_rows(fresh) == before
        assert what_it_did(dry) == what_it_did(zs("import", kind, tmp_path / "all.xlsx", "--db", fresh)) == expected


def test_dry_run_refuses_what_the_import_refuses(office, tmp_path):
    bad = write_csv(
        tmp_path / "bad.csv",
        [["日期", "单位", "类型"], ["2023-02-30", "萧镇", "外出招商"], ["2023-03-01", "火星镇", "外出招商"]],
    )
    dry = office("import", "activities", bad, "--dry-run", code=1)
    assert dry.stderr == office("import", "activities", bad, code=1).stderr
    assert (
        dry.stderr.splitlines()[0]
        == f"zs: FILE '{bad}': 2 bad rows, nothing imported; expected rows that all read cleanly"
    )

    from sqlalchemy import create_engine, text  # the database itself refuses the rows: a trigger

    engine = create_engine(url_of(office.db))
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.execute(
                text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON activity BEGIN "
                    "SELECT RAISE(ABORT, 'activities are closed'); END"
                )
            )
        else:
            conn.execute(
                text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    "RAISE EXCEPTION 'activities are closed'; END $$ LANGUAGE plpgsql"
                )
            )
            conn.execute(text("CREATE TRIGGER refuse BEFORE INSERT ON activity FOR EACH ROW EXECUTE FUNCTION refuse()"))
    engine.dispose()
    good = write_csv(tmp_path / "good.csv", [["日期", "单位", "类型"], ["2023-03-01", "萧镇", "外出招商"]])
    refused = office.fails("import", "activities", good, "--dry-run")
    assert refused == office.fails("import", "activities", good)
    assert "activities are closed" in refused


def test_a_project_named_twice_in_a_cell_is_linked_once(office, tmp_path):
    office("project", "add", "电池项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-01")
    path = write_csv(
        tmp_path / "a.csv",
        [
            ["日期", "单位", "类型", "企业", "关联项目"],
            ["2023-03-01", "萧镇", "走访企业", "甲", "电池项目、电池项目、#1"],
        ],
    )
    assert "(1 company links" in office("import", "activities", path, "--dry-run").stdout
    office("import", "activities", path)
    assert office.counts()["activity_project"] == 1


def exported(zs, db, path) -> dict:
    zs("export", path, "--db", db)
    return json.loads(path.read_text(encoding="utf-8"))


def test_export_then_import_is_exact_for_awkward_values(office, tmp_path):
    """Shared names (of people, of projects in one unit and across units), a project named like
    another's id, ids with gaps, text that begins with an apostrophe or looks like a formula,
    days Excel cannot number, 1 yuan and the largest amount: all come back as they were."""
    office("person", "add", "王明", "--unit", "商家镇")

    def add(name, unit, *more):
        office("project", "add", name, "--unit", unit, "--amount", "1元", "--date", "2023-01-05", *more)

    add("物流项目", "萧镇")
    add("作废", "萧镇")
    office("undo")  # project 2 is gone: the ids have a gap
    add("物流项目", "萧镇", "--amount", "100000亿", "--stage", "signed", "--owner", "萧镇/王明", "--allow-duplicate")
    add("物流项目", "商家镇", "--leader", "商家镇/王明")
    add("1", "商家镇")  # named like project 1's id
    office("project", "fund", "3", "--amount", "1元", "--origin", "local", "--date", "2023-02-01", "--note", "'=A1")
    office("project", "fund", "4", "--amount", "2元", "--origin", "foreign", "--date", "2023-02-02")
    office("project", "void-fund", "2", "--reason", "'重复")
    office("project", "note", "3", "=1+1", "--date", "2023-02-03")
    awkward = ["'=SUM(A1)", "'abc", "''", "'", "-负责人", "@某", "+86"]
    for i, text in enumerate(awkward):
        office(
            "log",
            "visit",
            "--unit",
            "萧镇",
            "--date",
            ["1900-01-01", "1900-02-28", "1900-03-01", "2023-03-01", "2023-03-02", "2023-03-03", "2200-12-31"][i],
            "--company",
            text,
            "--note",
            text,
            "--project",
            "1",
            "--project",
            "3",
            "--project",
            "4",
            "--project",
            "5",
            "--leader",
            "商家镇/王明" if i % 2 else "萧镇/王明",
        )
    office("log", "void", "2", "--reason", "@作废")
    original = exported(office, office.db, tmp_path / "original.json")
    assert [a["projects"] for a in original["activities"]][0] == "萧镇/物流项目#1、萧镇/物流项目#2、商家镇/物流项目、1"

    office("export", tmp_path / "all.xlsx")
    fresh = office.fresh("fresh")
    office("import", "projects", tmp_path / "all.xlsx", "--db", fresh)
    office("import", "activities", tmp_path / "all.xlsx", "--db", fresh)
    assert exported(office, fresh, tmp_path / "copy.json") == original

    office("export", tmp_path / "csv")
    fresh = office.fresh("csv")
    office("init", "--targets", ROOT / "config" / "targets.yaml", "--db", fresh)
    office("person", "add", "王明", "--unit", "商家镇", "--db", fresh)
    office("import", "projects", tmp_path / "csv" / "projects.csv", "--db", fresh)
    office("import", "activities", tmp_path / "csv" / "activities.csv", "--db", fresh)
    copy = exported(office, fresh, tmp_path / "csv.json")
    assert (copy["projects"], copy["activities"]) == (original["projects"], original["activities"])


def test_export_refuses_text_it_could_not_read_back(office, tmp_path):
    """U+FFFF is refused at the door; a ledger written before that may still hold it."""
    assert office.fails(
        "log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲", "--note", "无\uffff效"
    ).endswith("it holds U+FFFF; expected text without control or invisible characters")
    office("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲", "--note", "无效")
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(office.db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE activity SET note = :note"), {"note": "无\uffff效"})
    engine.dispose()
    assert office.fails("export", tmp_path / "all.xlsx") == (
        "zs: 活动 row 2, 备注 '无\\uffff效': it holds U+FFFF; expected text without control or invisible characters"
    )
    assert list(tmp_path.glob("all*")) == [] and list(tmp_path.glob(".zs-*")) == []


ROUND_TRIP_TEXT = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12).filter(
    lambda t: t == t.strip() and unsafe_character(t) is None and not {"\ufffe", "\uffff"} & set(t)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(ROUND_TRIP_TEXT, min_size=1, max_size=20))
def test_any_text_the_export_writes_is_read_back_as_written(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("cells")
    tabular.write_csv(folder / "t.csv", ["备注"], [[t] for t in texts])
    tabular.write_book(folder / "t.xlsx", [("活动", ["备注"], [[t] for t in texts], {})])
    for path in (folder / "t.csv", folder / "t.xlsx"):
        headers, rows = tabular.read_rows(path)
        assert (headers, [cells for _, cells in rows]) == (["备注"], [[t] for t in texts]), path.name


@pytest.mark.engines("sqlite")
def test_a_first_import_builds_the_indexes_once_and_a_refused_one_keeps_them(office, tmp_path):
    """Into a ledger without activities the tables' indexes are dropped for the load and built at
    its end: the ledger then has the very indexes it had, with the rows in them; a refused first
    import rolls the drop back with the rest."""
    import sqlite3

    def indexes():
        with sqlite3.connect(office.db) as conn:
            return conn.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
            ).fetchall()

    before = indexes()
    assert {"ix_activity_date", "ix_activity_unit_unit", "ix_activity_company_company"} <= {n for n, _, _ in before}
    bad = write_csv(
        tmp_path / "bad.csv", [*OFFICE_CSV[:3], ["3", "2023-02-30", "萧镇", "走访企业", "", "", "", "某企业", ""]]
    )
    counts = office.counts()
    refused = office("import", "activities", bad, code=1).stderr
    assert "row 4, 日期 '2023-02-30': expected a real calendar date" in refused
    assert (office.counts(), indexes()) == (counts, before)
    office("import", "activities", write_csv(tmp_path / "台账.csv", OFFICE_CSV))
    assert indexes() == before
    with sqlite3.connect(office.db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        plan = " ".join(
            r[-1] for r in conn.execute("EXPLAIN QUERY PLAN SELECT id FROM activity WHERE date = '2023-03-21'")
        )
        assert "ix_activity_date" in plan
        assert conn.execute(
            "SELECT count(*) FROM activity INDEXED BY ix_activity_date WHERE date >= '2023-01-01'"
        ).fetchone() == (4,)
    # a second import is matched against what the first wrote: nothing new
    again = office("import", "activities", write_csv(tmp_path / "台账2.csv", OFFICE_CSV)).stdout
    assert again.startswith("imported 0 new, 0 changed, 4 unchanged activities")
