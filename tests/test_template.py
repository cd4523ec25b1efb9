"""`zs template`: the 填报模板 a centre sends its towns. Filled in as a town would (openpyxl, values
from its dropdowns), it imports with no --map and no --money-unit, and gives exactly the records
its rows say; its dropdowns offer the ledger's own units and people; nothing in it is English."""

import io
import re
from datetime import date

import full_disk
import openpyxl
import pytest

ACTIVITY_HEADERS = [
    "日期",
    "结束日期",
    "单位",
    "类型",
    "带队领导",
    "联合单位",
    "参与人员",
    "现场签约",
    "招商方式",
    "目的地",
    "企业",
    "关联项目",
    "备注",
    "编号",
]
PROJECT_HEADERS = [
    "项目名称",
    "招引单位",
    "投资额(万元)",
    "阶段",
    "线索日期",
    "在谈日期",
    "签约日期",
    "开工日期",
    "投产日期",
    "终止日期",
    "责任人",
    "包保领导",
    "企业",
    "产业",
    "重点项目",
    "开工时限",
    "项目类型",
    "增资额(万元)",
    "到位资金(万元)",
    "资金来源",
    "到位日期",
    "推进情况",
    "编号",
]
UNITS = ["区投资促进中心", "萧镇", "商家镇", "区经济发展部", "区文化旅游部", "区社会事务部"]
PEOPLE = ["张国栋", "李晓燕", "赵磊", "王明", "孙志强", "刘海涛", "陈静", "周建华", "吴凤英", "郑伟"]
KINDS = [
    "外出招商",
    "走访企业",
    "接待客商",
    "调度会",
    "推介会",
    "展会",
    "签约仪式",
    "培训会",
    "政策发布会",
    "演讲比赛",
    "论坛",
    "其他活动",
]
MODES = [
    "小分队",
    "短频快",
    "以商招商",
    "自主招商",
    "亲情招商",
    "登门招商",
    "委托招商",
    "驻点招商",
    "资本招商",
    "产业链招商",
    "园区招商",
    "数字招商",
]


def fill(path, rows):
    """Fill the template's first sheet as a town would: each row a {header: value}."""
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    column = {cell.value: cell.column for cell in sheet[1]}
    for number, row in enumerate(rows, start=2):
        for heading, value in row.items():
            sheet.cell(number, column[heading], value)
    book.save(path)
    return path


def filled(office, path, kind, rows):
    """A template written by `zs template KIND PATH`, then filled in with `rows`."""
    office("template", kind, path)
    return fill(path, rows)


def dropdowns(path):
    """{header: (the values its dropdown offers, error style)} of the template's first sheet."""
    book = openpyxl.load_workbook(path)
    sheet, options = book.worksheets[0], book["选项"]
    found = {}
    for validation in sheet.data_validations.dataValidation:
        first = next(iter(validation.sqref.ranges))
        heading = sheet.cell(1, first.min_col).value
        source = re.fullmatch(r"'选项'!\$([A-Z]+)\$2:\$\1\$(\d+)", validation.formula1)
        values = [c.value for (c,) in options[f"{source[1]}2:{source[1]}{source[2]}"]]
        found[heading] = (values, validation.errorStyle)
    return found


def test_a_filled_activities_template_imports_exactly_its_rows_and_again_adds_nothing(office, tmp_path):
    path = tmp_path / "活动台账.xlsx"
    assert office("template", "activities", path, "--unit", "萧镇").stdout == (
        f"wrote the activities template for 萧镇 (2 people) to {path}: 14 columns, 6 with dropdowns, and 填报说明; "
        f"filled in, it reads back with `zs import activities {path}`\n"
    )
    fill(
        path,
        [
            {
                "日期": date(2023, 3, 1),
                "结束日期": date(2023, 3, 2),
                "单位": "萧镇",
                "类型": "外出招商",
                "带队领导": "王明",
                "参与人员": "孙志强",
                "招商方式": "以商招商",
                "目的地": "深圳",
                "企业": "甲公司",
            },
            {"日期": date(2023, 3, 8), "单位": "萧镇", "类型": "走访企业", "企业": "乙公司、丙公司", "备注": "用地"},
            {
                "日期": "2023年3月20日",
                "单位": "萧镇",
                "类型": "推介会",
                "联合单位": "区投资促进中心",
                "带队领导": "孙志强",
                "目的地": "上海",
            },
        ],
    )
    assert office("import", "activities", path).stdout.startswith(
        "imported 3 new, 0 changed, 0 unchanged activities (3 company links, 0 voided)"
    )
    common = {"projects": [], "voided": False, "void_reason": None, "note": None, "end_date": None, "mode": None}
    assert office.json("log", "list") == [
        {
            **common,
            "id": 1,
            "kind": "trip",
            "date": "2023-03-01",
            "end_date": "2023-03-02",
            "unit": "萧镇",
            "leader": "王明",
            "mode": "via_business",
            "event_type": None,
            "destination": "深圳",
            "companies": ["甲公司"],
            "units": ["萧镇"],
            "people": ["王明", "孙志强"],
        },
        {
            **common,
            "id": 2,
            "kind": "visit",
            "date": "2023-03-08",
            "unit": "萧镇",
            "leader": None,
            "event_type": None,
            "destination": None,
            "companies": ["丙公司", "乙公司"],
            "note": "用地",
            "units": ["萧镇"],
            "people": [],
        },
        {
            **common,
            "id": 3,
            "kind": "event",
            "date": "2023-03-20",
            "unit": "萧镇",
            "leader": "孙志强",
            "event_type": "promotion",
            "destination": "上海",
            "companies": [],
            "units": ["萧镇", "区投资促进中心"],
            "people": ["孙志强"],
        },
    ]
    # sent again, cumulatively (the 填报说明 says it may be): nothing doubles
    assert office("import", "activities", path).stdout.startswith("imported 0 new, 0 changed, 3 unchanged activities")


def test_a_filled_projects_template_imports_money_in_wan_with_no_money_unit(office, tmp_path):
    path = filled(
        office,
        tmp_path / "项目.xlsx",
        "projects",
        [
            {
                "项目名称": "电池项目",
                "招引单位": "萧镇",
                "投资额(万元)": 15000,
                "阶段": "签约",
                "在谈日期": date(2023, 2, 1),
                "签约日期": date(2023, 3, 15),
                "责任人": "孙志强",
                "包保领导": "王明",
                "企业": "甲公司",
                "产业": "新能源",
                "重点项目": "是",
                "开工时限": date(2023, 9, 30),
                "到位资金(万元)": 500,
                "资金来源": "省外",
                "到位日期": date(2023, 4, 1),
            },
            {
                "项目名称": "扩产项目",
                "招引单位": "商家镇",
                "投资额(万元)": 8000.5,
                "阶段": "在谈",
                "线索日期": "2023/1/10",
                "项目类型": "增资",
                "增资额(万元)": 3000,
                "重点项目": "否",
            },
        ],
    )
    assert office("import", "projects", path).stdout.startswith(
        "imported 2 new, 0 changed, 0 unchanged projects, 5 milestones, 1 funds, 0 notes"
    )
    assert office.json("project", "list") == [
        {
            "id": 1,
            "name": "电池项目",
            "unit": "萧镇",
            "amount_yuan": 150_000_000,
            "stage": "signed",
            "stage_date": "2023-03-15",
            "company": "甲公司",
            "industry": "新能源",
            "key": True,
            "owner": "孙志强",
            "leader": "王明",
            "start_deadline": "2023-09-30",
            "funds_yuan": 5_000_000,
            "type": "new",
            "increase_yuan": None,
            "currency": None,
            "amount_original": None,
        },
        {
            "id": 2,
            "name": "扩产项目",
            "unit": "商家镇",
            "amount_yuan": 80_005_000,
            "stage": "negotiating",
            "stage_date": "2023-01-10",
            "company": None,
            "industry": None,
            "key": False,
            "owner": None,
            "leader": None,
            "start_deadline": None,
            "funds_yuan": 0,
            "type": "expansion",
            "increase_yuan": 30_000_000,
            "currency": None,
            "amount_original": None,
        },
    ]
    shown = office.json("project", "show", "1")
    assert [(m["stage"], m["date"]) for m in shown["milestones"]] == [
        ("lead", "2023-02-01"),
        ("negotiating", "2023-02-01"),
        ("signed", "2023-03-15"),
    ]
    assert [(f["amount_yuan"], f["origin"], f["date"]) for f in shown["funds"]] == [
        (5_000_000, "out_of_province", "2023-04-01")
    ]


def test_a_filled_companies_template_imports_its_tiers(office, tmp_path):
    path = filled(
        office,
        tmp_path / "客商名录.xlsx",
        "companies",
        [
            {
                "企业名称": "甲公司",
                "类别": "世界500强、上市公司",
                "来源地": "深圳",
                "产业": "新能源",
                "联系方式": "0533-1234567",
            },
            {"企业名称": "乙公司", "类别": "央企"},
        ],
    )
    assert office("import", "companies", path).stdout.startswith("imported 2 new companies, 0 changed")
    assert office.json("company", "list") == [
        {
            "id": 2,
            "name": "乙公司",
            "tiers": ["soe"],
            "origin": None,
            "industry": None,
            "contact": None,
            "activities": 0,
            "projects": 0,
        },
        {
            "id": 1,
            "name": "甲公司",
            "tiers": ["global500", "listed"],
            "origin": "深圳",
            "industry": "新能源",
            "contact": "0533-1234567",
            "activities": 0,
            "projects": 0,
        },
    ]


def test_the_sheet_has_the_import_headers_bold_and_frozen_dates_formatted_and_the_dropdowns(office, tmp_path):
    path = tmp_path / "活动.xlsx"
    office("template", "activities", path)
    book = openpyxl.load_workbook(path)
    assert [(s.title, s.sheet_state) for s in book.worksheets] == [
        ("活动", "visible"),
        ("填报说明", "visible"),
        ("选项", "hidden"),
    ]
    sheet = book["活动"]
    assert [c.value for c in sheet[1]] == ACTIVITY_HEADERS
    assert all(c.font.b for c in sheet[1]) and sheet.freeze_panes == "A2"
    # formats are the columns' own, so that every row a town types is formatted (a preset 500 rows
    # left row 502 a General cell before); the header keeps its own
    formats = {letter: sheet.column_dimensions[letter].number_format for letter in "ABCK"}
    assert formats == {"A": "yyyy-mm-dd", "B": "yyyy-mm-dd", "C": "@", "K": "@"}  # 日期, 结束日期, 单位, 企业: text
    assert sheet["A1"].number_format == "General" and sheet.max_row == 1
    assert sheet.column_dimensions["A"].width == 12 and sheet.column_dimensions["C"].width == 19
    assert dropdowns(path) == {
        "单位": (UNITS, "stop"),
        "类型": (KINDS, "stop"),
        "带队领导": (PEOPLE, "warning"),  # a leader of another unit may be typed: the import checks the name
        "联合单位": (UNITS, "warning"),  # several, separated by 、
        "参与人员": (PEOPLE, "warning"),
        "招商方式": (MODES, "stop"),
    }
    assert {next(iter(v.sqref.ranges)).coord for v in sheet.data_validations.dataValidation} == {
        f"{column}2:{column}1048576" for column in "CDEFGI"
    }


def test_a_projects_template_for_one_unit_offers_that_unit_and_its_people(office, tmp_path):
    path = tmp_path / "项目.xlsx"
    office("template", "projects", path, "--unit", "商家镇")
    sheet = openpyxl.load_workbook(path)["项目"]
    assert [c.value for c in sheet[1]] == PROJECT_HEADERS
    assert [sheet.column_dimensions[column].number_format for column in "CEOPRSU"] == [
        "General",  # 投资额(万元): a number
        "yyyy-mm-dd",
        "@",  # 重点项目
        "yyyy-mm-dd",  # 开工时限
        "General",
        "General",  # 到位资金(万元)
        "yyyy-mm-dd",  # 到位日期
    ]
    assert dropdowns(path) == {
        "招引单位": (["商家镇"], "stop"),
        "阶段": (["线索", "在谈", "签约", "开工", "投产", "终止"], "stop"),
        "责任人": (["刘海涛", "陈静"], "warning"),
        "包保领导": (["刘海涛", "陈静"], "warning"),
        "重点项目": (["是", "否"], "stop"),
        "项目类型": (["新建", "增资", "续建"], "stop"),
        "资金来源": (["省外", "外资", "省内市外", "省内"], "stop"),
    }


def test_a_name_two_units_share_is_offered_as_the_import_reads_it(office, tmp_path):
    office("person", "add", "王明", "--unit", "商家镇")
    path = tmp_path / "活动.xlsx"
    office("template", "activities", path, "--unit", "萧镇")
    assert dropdowns(path)["带队领导"] == (["萧镇/王明", "孙志强"], "warning")
    fill(path, [{"日期": date(2023, 3, 1), "单位": "萧镇", "类型": "调度会", "带队领导": "萧镇/王明"}])
    office("import", "activities", path)
    assert [(a["kind"], a["leader"], a["people"]) for a in office.json("log", "list")] == [
        ("meeting", "萧镇/王明", ["萧镇/王明"])
    ]


@pytest.mark.parametrize("kind", ["activities", "projects", "companies"])
def test_nothing_a_user_sees_in_the_workbook_is_english(office, tmp_path, kind):
    path = tmp_path / "模板.xlsx"
    office("template", kind, path)
    book = openpyxl.load_workbook(path)
    seen = [sheet.title for sheet in book.worksheets]
    for sheet in book.worksheets:
        seen += [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
        for validation in sheet.data_validations.dataValidation:
            seen += [validation.errorTitle, validation.error]
    assert len(seen) > 40 and [text for text in seen if re.search("[A-Za-z]", text)] == []


def test_the_guide_says_what_each_column_wants(office, tmp_path):
    path = tmp_path / "客商.xlsx"
    office("template", "companies", path)
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path)["填报说明"].iter_rows()]
    assert rows[0][0] == "企业填报说明"
    assert [r[0] for r in rows[1:9]] == [
        "1. 在“客商库”表中每行填写一条企业记录；请勿修改第一行表头，也不要增删列。",
        "2. 表头为橙色的列必须填写，蓝色的列按实际情况填写，可以留空。",
        "3. 日期列已设为日期格式；带下拉箭头的列请从列表中选择（整列有效，行数不限）。",
        "4. 一格中填写多个企业、单位或人员时，用顿号“、”分隔。",
        "5. 本表可累计报送：每月在上次报送的表上续填新记录、修改有变化的内容，整表再次报送即可。",
        "6. 已有的企业按名称识别，补充新填的类别和信息，原有的类别不会删除。",
        "7. “合计”“小计”行不计入。",
        None,
    ]
    assert rows[9:] == [
        ["列名", "含义", "是否必填", "填写要求"],
        ["企业名称", "企业名称", "必填", "企业全称，每家企业只填一行"],
        ["类别", "企业类别", "选填", "从下拉列表中选择；一家企业属于多类时用“、”分隔，如 世界500强、上市公司"],
        ["来源地", "企业所在地", "选填", "如 深圳"],
        ["产业", "所属产业", "选填", "如 新能源"],
        ["联系方式", "联系人及电话", "选填", "文字"],
    ]


def test_a_file_there_is_kept_unless_overwrite(office, tmp_path):
    path = tmp_path / "活动.xlsx"
    path.write_bytes(b"the town's own sheet")
    assert office.fails("template", "activities", path) == (
        f"zs: PATH '{path}': it exists; expected a path with nothing there yet (or --overwrite to replace it)"
    )
    assert path.read_bytes() == b"the town's own sheet"
    office("template", "activities", path, "--overwrite")
    assert openpyxl.load_workbook(path).sheetnames == ["活动", "填报说明", "选项"]


def test_refusals_are_one_line_and_leave_nothing(office, tmp_path):
    missing, csv = tmp_path / "没有" / "活动.xlsx", tmp_path / "活动.csv"
    for kind, path, line in [
        ("activities", missing, f"there is no folder {missing.parent}; expected a path in an existing folder"),
        ("activities", csv, "expected a file name ending in .xlsx"),
        ("projects", tmp_path, "it is a folder; expected a file name"),
    ]:
        assert office.fails("template", kind, path) == f"zs: PATH '{path}': {line}"
    assert office.fails("template", "projects", tmp_path / "项目.xlsx", "--unit", "萧真") == (
        "zs: --unit '萧真': did you mean 萧镇?; expected a known unit (区投资促进中心, 萧镇, 商家镇, 区经济发展部, "
        "区文化旅游部, 区社会事务部); add it with `zs unit add` or `zs init`"
    )
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")) == []


def test_a_full_disk_leaves_nothing_behind_and_blocks_no_retry(office, tmp_path, monkeypatch):
    path = tmp_path / "活动.xlsx"
    with monkeypatch.context() as disk:
        disk.setattr(io, "open", full_disk.opener(tmp_path))
        assert office.fails("template", "activities", path) == (
            f"zs: PATH '{path}': No space left on device; expected a path where the template can be written"
        )
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith("ledger.db")) == []
    office("template", "activities", path)
    assert path.is_file()
