import pytest


def test_trip_records_every_field(office):
    out = office(
        "log",
        "trip",
        "--unit",
        "萧镇",
        "--date",
        "2023年3月13日",
        "--end",
        "2023/3/15",
        "--leader",
        "王明",
        "--mode",
        "短频快",
        "--to",
        "深圳",
        "--company",
        "比亚迪",
        "--company",
        "华为",
        "--note",
        "对接电池项目",
    )
    assert out.stdout.strip() == (
        "logged trip #1 外出招商: 2023-03-13~03-15 · 萧镇 · 带队 王明 · 短频快 · → 深圳 · 华为、比亚迪"
    )
    assert office.json("log", "list") == [
        {
            "id": 1,
            "kind": "trip",
            "date": "2023-03-13",
            "end_date": "2023-03-15",
            "unit": "萧镇",
            "leader": "王明",
            "mode": "quick",
            "event_type": None,
            "destination": "深圳",
            "companies": ["华为", "比亚迪"],
            "projects": [],
            "note": "对接电池项目",
            "voided": False,
            "void_reason": None,
            "units": ["萧镇"],
            "people": ["王明"],
        }
    ]


def test_visit_reception_event_meeting(office):
    office("project", "add", "智能装备产业园", "--unit", "萧镇", "--amount", "2亿")
    office(
        "log",
        "visit",
        "--unit",
        "区投资促进中心",
        "--date",
        "2023-03-20",
        "--company",
        "齐鲁化工",
        "--mode",
        "登门招商",
        "--project",
        "1",
    )
    office("log", "reception", "--unit", "商家镇", "--date", "2023-03-21", "--company", "某客商")
    office("log", "event", "--unit", "区投资促进中心", "--date", "2023-04-01", "--type", "推介会", "--to", "上海")
    office("log", "meeting", "--unit", "区投资促进中心", "--date", "2023-04-02", "--leader", "张国栋")
    rows = office.json("log", "list")
    assert [
        (r["id"], r["kind"], r["date"], r["unit"], r["event_type"], r["mode"], r["companies"], r["projects"])
        for r in rows
    ] == [
        (1, "visit", "2023-03-20", "区投资促进中心", None, "door", ["齐鲁化工"], [1]),
        (2, "reception", "2023-03-21", "商家镇", None, None, ["某客商"], []),
        (3, "event", "2023-04-01", "区投资促进中心", "promotion", None, [], []),
        (4, "meeting", "2023-04-02", "区投资促进中心", None, None, [], []),
    ]


def test_list_filters_by_unit_kind_and_period(office):
    for day, unit in [("2023-01-31", "萧镇"), ("2023-02-01", "萧镇"), ("2023-03-31", "商家镇"), ("2023-04-01", "萧镇")]:
        office("log", "trip", "--unit", unit, "--date", day)
    office("log", "visit", "--unit", "萧镇", "--date", "2023-02-10", "--company", "甲公司")

    def ids(*args):
        return [r["id"] for r in office.json("log", "list", *args)]

    assert ids() == [1, 2, 5, 3, 4]
    assert ids("--period", "2023Q1") == [1, 2, 5, 3]
    assert ids("--period", "2023-02") == [2, 5]
    assert ids("--period", "2023-02", "--kind", "外出招商") == [2]
    assert ids("--unit", "萧镇", "--kind", "trip") == [1, 2, 4]
    assert ids("--limit", "2") == [3, 4]


def test_void_keeps_the_record_marked(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02")
    assert office("log", "void", "1", "--reason", "重复录入").stdout.strip() == (
        "voided trip #1 (2023-03-01 萧镇 外出招商): 重复录入"
    )
    rows = office.json("log", "list")
    assert [(r["id"], r["voided"], r["void_reason"]) for r in rows] == [(1, True, "重复录入"), (2, False, None)]
    assert [r["id"] for r in office.json("log", "list", "--no-voided")] == [2]
    assert office.counts()["activity"] == 2
    assert office.fails("log", "void", "1", "--reason", "again") == (
        "zs: id 1: voided already: 重复录入; expected a record that is not voided yet"
    )
    assert office.fails("log", "void", "9", "--reason", "x") == (
        "zs: id 9: expected the id of a logged activity (see `zs log list`)"
    )
    assert office.fails("log", "void", "2", "--reason", " ") == "zs: --reason ' ': expected a non-empty text"


@pytest.mark.parametrize(
    "args, message",
    [
        (["trip", "--unit", "不存在镇", "--date", "2023-03-01"], "zs: --unit '不存在镇': expected a known unit"),
        (["trip", "--unit", "萧镇", "--date", "2023-02-30"], "zs: --date '2023-02-30': day is out of range"),
        (
            ["trip", "--unit", "萧镇", "--date", "3/1"],
            "zs: --date '3/1': expected a date with its year, such as 2023年5月3日",
        ),
        (
            ["trip", "--unit", "萧镇", "--date", "2023-03-05", "--end", "2023-03-01"],
            "zs: --end '2023-03-01': expected a date on or after the start 2023-03-05",
        ),
        (
            ["trip", "--unit", "萧镇", "--date", "2023-03-01", "--leader", "无名氏"],
            "zs: --leader '无名氏': expected a known person",
        ),
        (
            ["trip", "--unit", "萧镇", "--date", "2023-03-01", "--mode", "空降招商"],
            "zs: --mode '空降招商': expected one of: team 小分队",
        ),
        (
            ["trip", "--unit", "萧镇", "--date", "2023-03-01", "--project", "7"],
            "zs: --project '7': expected the id of an existing project",
        ),
        (
            ["event", "--unit", "萧镇", "--date", "2023-03-01", "--type", "茶话会"],
            "zs: --type '茶话会': expected one of: promotion 推介会",
        ),
        (
            ["visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", " "],
            "zs: --company ' ': expected a non-empty text",
        ),
        (["list", "--period", "2023Q5"], "zs: --period '2023Q5': expected a period such as"),
        (["list", "--kind", "旅游"], "zs: --kind '旅游': expected one of: trip 外出招商"),
    ],
)
def test_bad_log_input_is_one_line_and_writes_nothing(office, args, message):
    assert office.fails("log", *args).startswith(message)


def test_usage_errors_are_one_line_too(office):
    line = office.fails("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", code=2)
    assert line == "zs: Missing option '--company'. (see `zs log visit --help`)"
    line = office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--colour", "red", code=2)
    assert line.startswith("zs: No such option: --colour")


@pytest.mark.parametrize(
    "args, field, typed",
    [
        (["--date", "9999-12-31"], "--date", "9999-12-31"),
        (["--date", "0001-01-01"], "--date", "0001-01-01"),
        (["--date", "1899-12-31"], "--date", "1899-12-31"),
        (["--date", "2200-12-30", "--end", "9999-12-31"], "--end", "9999-12-31"),
    ],
)
def test_a_date_outside_1900_to_2200_is_refused(office, args, field, typed):
    assert office.fails("log", "trip", "--unit", "萧镇", *args) == (
        f"zs: {field} '{typed}': expected a date from 1900-01-01 to 2200-12-31"
    )


def test_the_first_and_last_dates_allowed_are_listed(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2200-12-30", "--end", "2200-12-31")
    office("log", "trip", "--unit", "萧镇", "--date", "1900-01-01")
    assert [(r["date"], r["end_date"]) for r in office.json("log", "list")] == [
        ("1900-01-01", None),
        ("2200-12-30", "2200-12-31"),
    ]
    assert [r["id"] for r in office.json("log", "list", "--period", "2200")] == [1]
    assert "2200-12-30~12-31" in office("log", "list").stdout


def test_companies_separated_by_a_dunhao_are_several(office):
    office("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "比亚迪、海尔", "--company", "海尔")
    assert office.json("log", "list")[0]["companies"] == ["比亚迪", "海尔"]  # each once
    assert office.fails("log", "visit", "--unit", "萧镇", "--date", "2023-03-01", "--company", "、") == (
        "zs: --company '、': expected a non-empty text"
    )
