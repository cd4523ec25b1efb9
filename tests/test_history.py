"""Every change is in the history with its time and user; undo reverses the latest, recorded too."""

import getpass

from conftest import url_of


def test_every_change_is_recorded_with_its_command_and_user(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--company", "甲", "--company", "乙")
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    office("project", "advance", "1", "--to", "签约", "--date", "2023-03-05", "--note", "签约仪式")
    office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-04-01")
    office("project", "note", "1", "推进中", "--date", "2023-04-02")
    office("log", "void", "1", "--reason", "重复")
    rows = office.json("history")
    assert [r["id"] for r in rows] == [7, 6, 5, 4, 3, 2, 1]
    assert {r["actor"] for r in rows} == {getpass.getuser()}
    assert [(r["command"], r["summary"]) for r in rows[:6]] == [
        ("zs log void 1 --reason 重复", "修改活动 #1 voided_at,void_reason"),
        ("zs project note 1 推进中 --date 2023-04-02", "新增推进情况 1 (#2)"),
        ("zs project fund 1 --amount 2000万 --origin 省外 --date 2023-04-01", "新增到位资金 1 (#1)"),
        ("zs project advance 1 --to 签约 --date 2023-03-05 --note 签约仪式",
         "新增节点 2 (#2, #3)；新增推进情况 1 (#1)；修改项目 #1 stage"),
        ("zs project add 甲项目 --unit 萧镇 --amount 1亿 --date 2023-03-01", "新增项目 1 (#1)；新增节点 1 (#1)"),
        ("zs log trip --unit 萧镇 --date 2023-03-01 --company 甲 --company 乙", "新增活动 1 (#1)"),
    ]
    assert rows[-1]["summary"] == "新增单位 6 (#1, #2, #3 …)；新增人员 10 (#1, #2, #3 …)"
    assert [r["id"] for r in office.json("history", "--limit", "2")] == [7, 6]


def test_a_refused_command_leaves_no_history(office):
    before = office.json("history")
    office.fails("log", "trip", "--unit", "无此镇", "--date", "2023-03-01")
    assert office.json("history") == before


def test_undo_reverses_the_latest_change_and_is_recorded(office):
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-05-01", "--deadline", "2023-06-30",
           "--note", "开工")
    office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-05-02")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-05-03", "--company", "甲", "--project", "1")
    office("log", "void", "1", "--reason", "录错")
    full = office.json("project", "show", "1")

    out = office("undo").stdout
    assert out.startswith("undid change #6 (") and "zs log void 1 --reason 录错" in out
    assert office.json("log", "list")[0]["voided"] is False
    office("undo")  # the trip
    assert office.json("log", "list") == []
    assert office.counts()["activity_company"] == 0 and office.counts()["activity_project"] == 0
    office("undo")  # the fund
    assert office.json("project", "show", "1")["funds"] == []
    office("undo")  # the advance: milestones, the note, stage and deadline back
    back = office.json("project", "show", "1")
    assert (back["stage"], back["start_deadline"], back["notes"]) == ("lead", None, [])
    assert [m["stage"] for m in back["milestones"]] == ["lead"]
    assert full["stage"] == "started"

    history = office.json("history")
    assert [(r["id"], r["undo_of"], r["undone_by"]) for r in history[:8]] == [
        (10, 3, None), (9, 4, None), (8, 5, None), (7, 6, None),
        (6, None, 7), (5, None, 8), (4, None, 9), (3, None, 10)]
    assert history[0]["summary"].startswith("撤销 #3（新增节点 3")


def test_undo_removes_an_added_unit_and_an_empty_history_is_one_line(zs):
    zs("unit", "add", "新区", "--kind", "park")
    zs("undo")
    assert zs.json("unit", "list") == []
    assert zs.fails("undo") == "zs: undo '': the history is empty; expected a change to undo"


def milestone_rows(zs):
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(zs.db))
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(text("SELECT * FROM milestone ORDER BY id"))]
    finally:
        engine.dispose()


def test_undo_puts_a_removed_row_back_whole_with_its_id(office):
    office("project", "add", "甲项目", "--unit", "萧镇", "--amount", "1亿", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-03-20")
    typed = milestone_rows(office)
    office("project", "fix", "1", "--remove-stage", "开工")
    assert [row[0] for row in milestone_rows(office)] == [1, 2, 3]
    history = office.json("history")
    assert (history[0]["command"], history[0]["summary"]) == (
        "zs project fix 1 --remove-stage 开工", "删除节点 1 (#4)；修改项目 #1 stage")

    out = office("undo").stdout
    assert out.startswith("undid change #4 (") and "删除节点 1 (#4)" in out
    assert milestone_rows(office) == typed  # id, dates, created_at and created_by as they were
    assert office.json("project", "show", "1")["stage"] == "started"
    assert office.json("history")[0]["summary"] == "撤销 #4（删除节点 1 (#4)；修改项目 #1 stage）"
    # The next change may take the freed id again; undoing it and the fix stays exact.
    office("project", "fix", "1", "--remove-stage", "开工")
    office("project", "advance", "1", "--to", "投产", "--date", "2023-06-01")
    office("undo")
    office("undo")
    assert milestone_rows(office) == typed
