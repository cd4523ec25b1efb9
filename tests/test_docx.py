"""The Word 通报: opened with python-docx, its headings, fonts and tables read back, and every figure
in its prose found in the report's JSON."""

import re
from decimal import ROUND_HALF_UP, Decimal

import docx
import pytest
from docx.shared import Pt
from test_reports import year  # noqa: F401  (the fixture)

from zhaoshang.render.fmt import money

# What the document says is the report builders' (run on both engines by the report tests); its
# writing is the same on either.
ENGINES = ("sqlite",)

QUARTER = ("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
HEADINGS = ["一、总体情况", "二、各单位情况", "三、存在问题", "四、下一步工作"]
# A date or a period in the prose: 2023年第一季度, 2023年1—3月, 2023年12月31日, 3月31日, 2023年.
DATE = re.compile(r"\d{4}年(第[一二三四]季度|\d{1,2}(—\d{1,2})?月(\d{1,2}日)?)?|\d{1,2}月\d{1,2}日|\d{1,2}月")
FIGURE = re.compile(r"\d+(\.\d+)?(亿元|万元|元|%)?")


def document(zs, tmp_path, *args):
    path = tmp_path / "通报.docx"
    data = zs.json(*args, "--docx", path)
    return docx.Document(str(path)), data


def prose(doc) -> list[str]:
    """The paragraphs under the four headings (the title and the window line above them left out)."""
    texts = [p.text for p in doc.paragraphs]
    return [t for t in texts[texts.index(HEADINGS[0]) :] if t not in HEADINGS and not t.startswith(("附表", "分单位"))]


def plain(value) -> str:
    return f"{Decimal(str(value)).normalize():f}"


def shown_forms(value, kind: str) -> set[str]:
    if kind == "money":
        return {money(Decimal(str(value)))}
    if kind == "rate":  # a fraction
        return {f"{plain(Decimal(str(value)) * 100)}%"}
    return {plain(value)}


def figures_of(data) -> set[str]:
    """Every figure the report's JSON holds, as the prose writes it; and a quota's remainder and share."""
    forms: set[str] = set()
    kinds = data["formats"]
    for q in data["quotas"]:
        kind = kinds.get(q["quota"], "count")
        for key in ("actual", "target", "expected"):
            if q[key] is not None:
                forms |= shown_forms(q[key], kind)
        if q["actual"] is not None:
            forms |= shown_forms(Decimal(str(q["target"])) - Decimal(str(q["actual"])), kind)
            if Decimal(str(q["target"])):
                share = Decimal(str(q["actual"])) * 100 / Decimal(str(q["target"]))
                forms.add(f"{share.quantize(Decimal(1), ROUND_HALF_UP)}%")
    for line in [*data["units"], data["totals"]]:
        for key, value in line.items():
            if key != "unit":
                forms |= shown_forms(value, "money" if key.endswith("_yuan") else "count")
    return forms


def test_the_word_bulletin_has_the_four_parts_its_title_and_the_forms_of_a_bulletin(year, tmp_path):  # noqa: F811
    doc, _ = document(year, tmp_path, *QUARTER)
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "文昌湖区2023年第一季度\n招商引资工作通报"  # broken before what it is
    assert texts[1] == "统计期间：2023年1—3月　截至2023年3月31日"
    assert [t for t in texts if t in HEADINGS] == HEADINGS
    title = doc.paragraphs[0].runs[0]
    assert title.font.size == Pt(22) and title.font.bold
    assert title._element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "宋体"
    body = doc.paragraphs[texts.index(HEADINGS[0]) + 1].runs[0]
    assert body.font.size == Pt(16) and body._element.rPr.rFonts.get(docx.oxml.ns.qn("w:eastAsia")) == "仿宋"
    portrait, landscape = doc.sections
    assert (round(portrait.page_width.cm, 1), round(portrait.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(landscape.page_width.cm, 1), round(landscape.page_height.cm, 1)) == (29.7, 21.0)


def test_the_tables_hold_the_units_with_their_total_and_every_quota_row(year, tmp_path):  # noqa: F811
    doc, data = document(year, tmp_path, *QUARTER)
    units, quotas = doc.tables
    rows = [[c.text for c in r.cells] for r in units.rows]
    assert rows == [
        ["序号", "单位", "省外到位资金(万元)", "新引进过亿元项目", "签约项目", "外出招商"],
        ["1", "区投资促进中心", "0", "1", "1", "1"],
        ["2", "萧镇", "5000", "1", "1", "2"],
        ["3", "商家镇", "0", "0", "0", "1"],
        ["4", "区经济发展部", "0", "0", "0", "0"],
        ["5", "区文化旅游部", "0", "0", "0", "0"],
        ["6", "区社会事务部", "0", "0", "0", "0"],
        ["", "合计", "5000", "2", "2", "4"],
    ]
    assert data["totals"] == {"outside_funds_yuan": 50_000_000, "big_projects": 2, "signed_projects": 2, "trips": 4}
    assert len(quotas.rows) == 1 + len(data["quotas"])
    assert [c.text for c in quotas.rows[0].cells] == [
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
    for table in (units, quotas):
        for row in table.rows:
            assert row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None  # no row split by a page
        assert table.rows[0]._tr.trPr.find(docx.oxml.ns.qn("w:tblHeader")) is not None  # repeated on each page
    text_width = doc.sections[1].page_width - doc.sections[1].left_margin - doc.sections[1].right_margin
    assert sum(c.width for c in quotas.columns) <= text_width


def test_every_figure_in_the_prose_is_one_of_the_report(year, tmp_path):  # noqa: F811
    doc, data = document(year, tmp_path, *QUARTER)
    paragraphs = prose(doc)
    alerts = year.json("report", "alerts", "--as-of", "2023-03-31")["alerts"]  # 存在问题's projects and problems
    known = figures_of(data) | {str(a["days_late"]) for a in alerts if a["days_late"] is not None}
    found = [m[0] for text in paragraphs for m in FIGURE.finditer(DATE.sub("", text))]
    assert found and [f for f in found if f not in known] == []
    # the region's funds against the year's 5亿, and the trips the 合计 line counts once
    assert "截至3月31日，文昌湖区省外到位资金5000万元，完成2023年目标5亿元的10%。" in paragraphs
    assert "统计期间，文昌湖区省外到位资金5000万元，新引进过亿元项目2个，签约项目2个，外出招商4次。" in paragraphs
    assert "萧镇：省外到位资金5000万元，新引进过亿元项目1个，签约项目1个，外出招商2次。" in paragraphs
    assert "截至3月31日，文昌湖区组织参加展会0场，完成2023年目标10场的0%。" in paragraphs  # a count with its word


def test_problems_and_next_steps_name_each_behind_row_and_what_it_still_needs(year, tmp_path):  # noqa: F811
    doc, data = document(year, tmp_path, *QUARTER)
    paragraphs = prose(doc)
    behind = [q for q in data["quotas"] if q["status"] == "behind"]
    assert behind
    steps = paragraphs[paragraphs.index(next(p for p in paragraphs if "还需" in p)) :]
    assert len([p for p in steps if "还需" in p]) == len(
        [q for q in behind if q["bound"] == "at_least" and data["formats"].get(q["quota"], "count") != "rate"]
    )
    for q in behind:
        kind = data["formats"].get(q["quota"], "count")
        if kind == "rate":
            continue
        remainder = Decimal(str(q["target"])) - Decimal(str(q["actual"]))
        [needed] = shown_forms(remainder, kind)
        if kind == "count":  # the measure word of the plan's count: companies visited, meetings, fairs, trips
            needed += {"town-visits": "家", "center-visits": "家", "quarterly-dispatch": "次", "trade-fairs": "场"}.get(
                q["quota"], "次"
            )
        assert any(
            p.startswith(f"{q['title']}还需{needed}，") or f"：{q['title']}还需{needed}，" in p for p in steps
        ), q
    overdue = [p for p in paragraphs if "开工时限" in p]
    assert overdue == ["电池项目（萧镇）开工时限2023年3月15日，已超16天未开工。"]
    assert "文昌湖区：省外到位资金，2023年完成5000万元，目标5亿元，序时应达1.2329亿元，进度滞后。" in paragraphs


def test_a_month_summary_has_no_per_unit_part(year, tmp_path):  # noqa: F811
    doc, _ = document(year, tmp_path, "report", "month", "--month", "2023-03", "--as-of", "2023-03-31")
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "文昌湖区2023年3月\n招商引资工作月度汇总"
    assert [t for t in texts if t in HEADINGS] == ["一、总体情况", "三、存在问题", "四、下一步工作"]


def test_a_month_summary_carries_the_key_project_table_as_the_json_has_it(year, tmp_path):  # noqa: F811
    year("project", "note", "电池项目", "完成能评", "--date", "2023-03-20")  # a month's two notes: two lines
    doc, data = document(year, tmp_path, "report", "month", "--month", "2023-03", "--as-of", "2023-03-31")
    texts = [p.text for p in doc.paragraphs]
    assert "附表：重点招商引资项目（在谈未签约、签约未落地）（单位：万元）" in texts
    assert [t for t in texts if t.endswith("项目（1个）")] == ["一、在谈未签约项目（1个）", "二、签约未落地项目（1个）"]
    assert [(p["category"], p["name"], p["amount_yuan"]) for p in data["key_projects"]] == [
        ("signed", "电池项目", 150_000_000),
        ("negotiating", "陶瓷项目", 80_000_000),
    ]  # the document groups them, 在谈未签约 first
    header = [
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
    assert [[[c.text for c in row.cells] for row in table.rows] for table in doc.tables[:2]] == [
        [header, ["1", "陶瓷项目", "商家镇", "8000", "在谈", "", "", "", "", ""]],
        [
            header,
            [
                "1",
                "电池项目",
                "萧镇",
                "15000",
                "签约",
                "孙志强",
                "王明",
                "2023-03-15",
                "3月12日：完成环评\n3月20日：完成能评",
                "3月13日：用地指标待落实",
            ],
        ],
    ]
    # a category with no project is left out, and the one shown is numbered 一
    year("project", "advance", "2", "--to", "终止", "--date", "2023-03-30")
    doc, data = document(
        year, tmp_path, "report", "month", "--month", "2023-03", "--as-of", "2023-03-31", "--overwrite"
    )
    assert [t.text for t in doc.paragraphs if t.text.endswith("项目（1个）")] == ["一、签约未落地项目（1个）"]


@pytest.mark.parametrize(
    "path, problem", [("", "a file to write, such as 季度通报.docx"), ("missing/x.docx", "folder")]
)
def test_a_docx_path_that_cannot_be_written_is_one_line(year, tmp_path, path, problem):  # noqa: F811
    line = year.fails(*QUARTER, "--docx", path)
    assert line.startswith(f"zs: --docx '{path}'") and problem in line


def test_an_existing_docx_is_kept_without_overwrite(year, tmp_path):  # noqa: F811
    path = tmp_path / "通报.docx"
    path.write_bytes(b"earlier")
    assert "--overwrite" in year.fails(*QUARTER, "--docx", path)
    assert path.read_bytes() == b"earlier"
    year(*QUARTER, "--docx", path, "--overwrite")
    assert docx.Document(str(path)).paragraphs[0].text == "文昌湖区2023年第一季度\n招商引资工作通报"
