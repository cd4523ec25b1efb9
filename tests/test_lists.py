"""The list commands: `zs log list` shows the latest 50 unless --all, filters by --since, --company
and --leader, streams --json; every list command writes --csv (UTF-8 with a BOM, formula-looking
text behind an apostrophe)."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

# Activity i (1 … 60) of `sixty`: the higher the id, the earlier the date, two a day.
LATEST_50 = [51, 48, 49, 46, 47, 44, 45, 42, 43, 40, 41, 38, 39, 36, 37, 34, 35, 32, 33, 30, 31, 28, 29, 26, 27]
LATEST_50 += [24, 25, 22, 23, 20, 21, 18, 19, 16, 17, 14, 15, 12, 13, 10, 11, 8, 9, 6, 7, 4, 5, 2, 3, 1]
EARLIEST_10 = [60, 58, 59, 56, 57, 54, 55, 52, 53, 50]


def day_of(i: int) -> date:
    return date(2023, 1, 1) + timedelta(days=(61 - i) // 2)


@pytest.fixture
def sixty(office, tmp_path):
    """60 visits imported in one go: odd ids by 萧镇 (every third of them led by 王明), even by 商家镇;
    every fifth names 甲公司, the others 乙公司."""
    lines = ["日期,单位,类型,带队领导,企业"]
    for i in range(1, 61):
        unit, leader = ("萧镇", "王明" if i % 6 == 3 else "") if i % 2 else ("商家镇", "")
        lines.append(f"{day_of(i).isoformat()},{unit},走访企业,{leader},{'甲公司' if i % 5 == 0 else '乙公司'}")
    sheet = tmp_path / "visits.csv"
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    office("import", "activities", sheet)
    return office


def ids(zs, *args) -> list[int]:
    return [row["id"] for row in zs.json("log", "list", *args)]


def test_the_latest_50_by_default_oldest_first_and_the_table_says_so(sixty):
    assert ids(sixty) == LATEST_50
    result = sixty("log", "list")
    assert result.stderr == "showing the latest 50 of 60; --all for every one\n"
    first_cells = [line.split("│")[1].strip() for line in result.stdout.splitlines() if line.startswith("│")]
    table_ids = [int(cell) for cell in first_cells if cell]
    assert table_ids == LATEST_50
    assert sixty("log", "list", "--json").stderr == ""  # the note is for people, not for scripts
    assert sixty("log", "list", "--csv").stderr == ""
    assert sixty("log", "list", "--limit", "60").stderr == ""  # not cut: nothing to say
    assert sixty("log", "list", "--limit", "3").stderr == "showing the latest 3 of 60; --all for every one\n"


def test_all_lists_every_one_in_date_order_then_id(sixty):
    assert ids(sixty, "--all") == EARLIEST_10 + LATEST_50
    assert sixty("log", "list", "--all").stderr == ""


def test_since_company_and_leader_filter_before_the_latest_50_are_taken(sixty):
    assert ids(sixty, "--since", "2023-01-30") == [2, 3, 1]
    assert ids(sixty, "--since", "2023年1月30日", "--unit", "萧镇") == [3, 1]
    assert ids(sixty, "--company", "甲公司") == [60, 55, 50, 45, 40, 35, 30, 25, 20, 15, 10, 5]
    assert ids(sixty, "--company", " 甲公司 ") == ids(sixty, "--company", "甲公司")
    assert ids(sixty, "--leader", "王明") == [57, 51, 45, 39, 33, 27, 21, 15, 9, 3]
    assert ids(sixty, "--leader", "萧镇/王明", "--company", "甲公司", "--since", "2023-01-20") == [15]
    assert ids(sixty, "--leader", "张国栋") == []


def test_an_unknown_company_or_leader_or_a_bad_date_is_one_line_naming_what_is_close(sixty):
    assert sixty.fails("log", "list", "--company", "甲") == (
        "zs: --company '甲': did you mean 甲公司?; expected a company of the register (see `zs company list`)"
    )
    assert sixty.fails("log", "list", "--leader", "王名") == (
        "zs: --leader '王名': did you mean 王明?; expected a known person; add them with `zs person add`"
    )
    assert sixty.fails("log", "list", "--since", "2023-02-30").startswith("zs: --since '2023-02-30': ")


@pytest.mark.parametrize(
    "args, line",
    [
        (["log", "list", "--json", "--csv"], "zs: --json and --csv: give one of them, not both"),
        (["log", "list", "--all", "--limit", "5"], "zs: --all and --limit: give one of them, not both"),
        (["unit", "list", "--json", "--csv"], "zs: --json and --csv: give one of them, not both"),
        (["person", "list", "--json", "--csv"], "zs: --json and --csv: give one of them, not both"),
        (["project", "list", "--csv", "--json"], "zs: --json and --csv: give one of them, not both"),
        (["company", "list", "--csv", "--json"], "zs: --json and --csv: give one of them, not both"),
        (["figure", "list", "--csv", "--json"], "zs: --json and --csv: give one of them, not both"),
    ],
)
def test_two_outputs_at_once_is_a_usage_error(office, args, line):
    assert office.fails(*args, code=2) == f"{line} (see `zs {' '.join(args[:2])} --help`)"


def test_all_json_is_the_document_dumps_writes_of_the_same_records(sixty):
    from zhaoshang.render.json import dumps

    text = sixty("log", "list", "--all", "--json").stdout
    rows = json.loads(text)
    assert text == dumps(rows) + "\n"  # written a row at a time, laid out as one dumps() of the list
    assert [r["id"] for r in rows] == EARLIEST_10 + LATEST_50
    assert rows[0] == {
        "id": 60,
        "kind": "visit",
        "date": "2023-01-01",
        "end_date": None,
        "unit": "商家镇",
        "leader": None,
        "mode": None,
        "event_type": None,
        "destination": None,
        "companies": ["甲公司"],
        "projects": [],
        "note": None,
        "voided": False,
        "void_reason": None,
        "units": ["商家镇"],
        "people": [],
    }
    assert rows[-1]["people"] == [] and rows[-1]["date"] == "2023-01-31"
    assert [r for r in rows if r["id"] == 3][0]["people"] == ["王明"]
    assert sixty("log", "list", "--json", "--since", "2200-01-01").stdout == "[]\n"


@pytest.fixture
def small(office):
    """A joint trip (its units and people in the order typed, not by id), a voided visit, a project,
    a company and a figure, each with text a spreadsheet would read as a formula."""
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-05")
    office("project", "edit", "1", "--company", "=甲公司", "--owner", "孙志强")
    trip = "--unit 萧镇 --unit 区投资促进中心 --date 2023-03-01 --end 2023-03-02 --leader 王明 --with 张国栋"
    office(
        "log",
        "trip",
        *trip.split(),
        "--to",
        "深圳",
        "--company",
        "乙公司",
        "--company",
        "=甲公司",
        "--project",
        "1",
        "--note",
        "-对接",
    )
    office("log", "visit", "--unit", "商家镇", "--date", "2023-02-10", "--company", "乙公司")
    office("log", "void", "2", "--reason", "重复")
    office("company", "add", "@丙", "--tier", "listed")
    office(
        "figure", "set", "外贸进出口", "--period", "2023-06", "--value", "1.2亿", "--unit", "萧镇", "--note", "+统计局"
    )
    return office


def test_joint_activity_carries_its_units_people_companies_and_projects_in_order(small):
    [trip] = [r for r in small.json("log", "list") if r["id"] == 1]
    assert (trip["units"], trip["people"], trip["companies"], trip["projects"]) == (
        ["萧镇", "区投资促进中心"],
        ["王明", "张国栋"],
        ["=甲公司", "乙公司"],
        [1],
    )


CSV = {
    "log": (
        "ID,日期,类型,单位,带队,同行,方式,目的地,企业,备注\r\n"
        "2,2023-02-10,走访企业,商家镇,,,,,乙公司,已作废: 重复\r\n"
        "1,2023-03-01~03-02,外出招商,萧镇、区投资促进中心,王明,张国栋,,深圳,'=甲公司、乙公司,'-对接\r\n"
    ),
    "project": (
        "ID,项目,单位,总投资,阶段,日期,到位资金,责任人,包保领导,开工时限\r\n1,甲项目,萧镇,1亿元,线索,2023-01-05,0元,孙志强,,\r\n"
    ),
    "company": (
        "ID,企业,类别,来源地,产业,活动,项目\r\n"
        "1,'=甲公司,,,,1,1\r\n"
        "3,'@丙,上市公司,,,0,0\r\n"
        "2,乙公司,,,,1,0\r\n"  # the voided visit does not count
    ),
    "figure": "ID,名称,期间,单位,数值,备注\r\n1,外贸进出口,2023-06,萧镇,1.2亿元,'+统计局\r\n",
    "unit": (
        "ID,单位,类型,人员\r\n"
        "1,区投资促进中心,投促中心,3\r\n"
        "2,萧镇,镇街,2\r\n"
        "3,商家镇,镇街,2\r\n"
        "4,区经济发展部,部门,1\r\n"
        "5,区文化旅游部,部门,1\r\n"
        "6,区社会事务部,部门,1\r\n"
    ),
    "person": (
        "ID,姓名,单位,职务\r\n"
        "1,张国栋,区投资促进中心,主要负责人\r\n"
        "2,李晓燕,区投资促进中心,分工负责人\r\n"
        "3,赵磊,区投资促进中心,工作人员\r\n"
        "4,王明,萧镇,主要负责人\r\n"
        "5,孙志强,萧镇,分工负责人\r\n"
        "6,刘海涛,商家镇,主要负责人\r\n"
        "7,陈静,商家镇,分工负责人\r\n"
        "8,周建华,区经济发展部,主要负责人\r\n"
        "9,吴凤英,区文化旅游部,主要负责人\r\n"
        "10,郑伟,区社会事务部,主要负责人\r\n"
    ),
}


@pytest.mark.parametrize("group", sorted(CSV))
def test_csv_of_every_list_command_is_the_table_for_excel(small, group):
    result = small(group, "list", "--csv")
    assert result.stdout_bytes == b"\xef\xbb\xbf" + CSV[group].encode("utf-8")  # the BOM, then UTF-8
    assert result.stderr == ""


def test_an_empty_list_is_its_headers(office):
    assert office("figure", "list", "--csv").stdout_bytes == "\ufeffID,名称,期间,单位,数值,备注\r\n".encode()
    assert (
        office("log", "list", "--csv").stdout_bytes
        == "\ufeffID,日期,类型,单位,带队,同行,方式,目的地,企业,备注\r\n".encode()
    )


_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text()
    | st.dates()
    | st.decimals(allow_nan=False, allow_infinity=False, places=2)
)
_VALUES = st.recursive(
    _LEAVES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3),
    max_leaves=12,
)


@given(value=_VALUES, step=st.sampled_from([1, 2]), depth=st.integers(0, 2))
def test_indented_json_is_the_text_json_itself_writes(value, step, depth):
    """render.json.indented, written for speed, writes what json.dumps(…, indent=step) writes,
    shifted to its depth: strings of any character, NaN and infinities, nesting, empty lists and
    objects, dates and Decimals through the default."""
    from zhaoshang.render.json import _default, indented

    expected = json.dumps(value, indent=step, ensure_ascii=False, default=_default)
    assert indented(value, step, _default, depth) == expected.replace("\n", "\n" + " " * (step * depth))
