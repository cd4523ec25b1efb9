import pytest


def add(zs, name="新能源电池项目", *extra):
    return zs.json("project", "add", name, "--unit", "萧镇", "--amount", "1.5亿", *extra)


def stages(project):
    return [(m["stage"], m["date"]) for m in project["milestones"]]


def test_add_records_the_stages_up_to_the_one_given(office):
    project = add(
        office,
        "新能源电池项目",
        "--company",
        "某电池公司",
        "--industry",
        "新能源",
        "--stage",
        "在谈",
        "--date",
        "2023-02-01",
        "--key",
        "--owner",
        "孙志强",
        "--leader",
        "王明",
        "--deadline",
        "2023-12-31",
    )
    assert project == {
        "id": 1,
        "name": "新能源电池项目",
        "unit": "萧镇",
        "amount_yuan": 150_000_000,
        "stage": "negotiating",
        "stage_date": "2023-02-01",
        "company": "某电池公司",
        "industry": "新能源",
        "key": True,
        "owner": "孙志强",
        "leader": "王明",
        "start_deadline": "2023-12-31",
        "funds_yuan": 0,
        "type": "new",
        "increase_yuan": None,
        "currency": None,
        "amount_original": None,
        "milestones": [
            {"stage": "lead", "date": "2023-02-01", "forced": False, "reason": None, "event_id": None},
            {"stage": "negotiating", "date": "2023-02-01", "forced": False, "reason": None, "event_id": None},
        ],
        "funds": [],
        "notes": [],
    }
    assert office.json("project", "show", "1") == project
    assert office.json("project", "show", "新能源电池项目")["id"] == 1


def test_advance_forward_records_skipped_stages_on_the_same_date(office):
    add(office, "甲", "--date", "2023-01-05")
    office("project", "advance", "1", "--to", "在谈", "--date", "2023-02-01")
    project = office.json(
        "project",
        "advance",
        "1",
        "--to",
        "started",
        "--date",
        "2023-05-01",
        "--deadline",
        "2023-06-30",
        "--note",
        "已完成土地摘牌",
    )
    assert stages(project) == [
        ("lead", "2023-01-05"),
        ("negotiating", "2023-02-01"),
        ("signed", "2023-05-01"),
        ("started", "2023-05-01"),
    ]
    assert project["stage"] == "started" and project["stage_date"] == "2023-05-01"
    assert project["start_deadline"] == "2023-06-30"
    assert project["notes"] == [
        {
            "id": 1,
            "date": "2023-05-01",
            "text": "已完成土地摘牌",
            "problem": False,
            "assignee": None,
            "due": None,
            "resolved_on": None,
            "resolution": None,
        }
    ]


def test_stages_only_move_forward_unless_forced_with_a_reason(office):
    add(office, "甲", "--stage", "signed", "--date", "2023-03-01")
    assert office.fails("project", "advance", "1", "--to", "在谈", "--date", "2023-03-05") == (
        "zs: --to 'negotiating': project 1 is at 签约; stages only move forward; expected --force with --reason to "
        "move a project back, or `zs project fix 1 --stage negotiating --date 2023-03-05` to correct the day it "
        "reached 在谈"
    )
    assert office.fails("project", "advance", "1", "--to", "在谈", "--date", "2023-03-05", "--force").startswith(
        "zs: --to 'negotiating': project 1 is at 签约"
    )
    add(office, "乙", "--stage", "started", "--date", "2023-03-10")
    # 签约 was reached already (with 开工, on 03-10): the clerk is told how to correct its day
    assert office.fails("project", "advance", "2", "--to", "签约", "--date", "2023-03-08") == (
        "zs: --to 'signed': project 2 is at 开工; stages only move forward; expected --force with --reason to move "
        "a project back, or `zs project fix 2 --stage signed --date 2023-03-08` to correct the day it reached 签约"
    )
    assert office.fails("project", "advance", "1", "--to", "签约", "--date", "2023-03-05") == (
        "zs: --to 'signed': expected a stage other than the current one (签约)"
    )
    assert office.fails("project", "advance", "1", "--to", "开工", "--date", "2023-02-01") == (
        "zs: --date '2023-02-01': the project reached 签约 then; expected a date on or after 2023-03-01"
    )
    assert office.fails(
        "project", "advance", "1", "--to", "在谈", "--date", "2023-02-01", "--force", "--reason", "协议解除"
    ) == ("zs: --date '2023-02-01': the project reached 签约 then; expected a date on or after 2023-03-01")
    back = office.json(
        "project",
        "advance",
        "1",
        "--to",
        "在谈",
        "--date",
        "2023-03-05",
        "--force",
        "--reason",
        "签约主体变更，重新洽谈",
    )
    assert back["stage"] == "negotiating"
    assert back["milestones"][-1] == {
        "stage": "negotiating",
        "date": "2023-03-05",
        "forced": True,
        "reason": "签约主体变更，重新洽谈",
        "event_id": None,
    }
    # History is kept whole: the first signing stays in the ledger.
    assert stages(back) == [
        ("lead", "2023-03-01"),
        ("negotiating", "2023-03-01"),
        ("signed", "2023-03-01"),
        ("negotiating", "2023-03-05"),
    ]


def test_dropped_from_any_stage_and_revived_only_by_force(office):
    add(office, "甲", "--stage", "在谈", "--date", "2023-03-01")
    dropped = office.json("project", "advance", "1", "--to", "终止", "--date", "2023-04-01", "--reason", "企业撤资")
    assert dropped["stage"] == "dropped"
    assert dropped["milestones"][-1] == {
        "stage": "dropped",
        "date": "2023-04-01",
        "forced": False,
        "reason": "企业撤资",
        "event_id": None,
    }
    assert office.fails("project", "advance", "1", "--to", "签约", "--date", "2023-05-01").startswith(
        "zs: --to 'signed': project 1 is at 终止"
    )
    revived = office.json(
        "project", "advance", "1", "--to", "签约", "--date", "2023-05-01", "--force", "--reason", "企业重新投资"
    )
    assert stages(revived)[-1] == ("signed", "2023-05-01") and revived["stage"] == "signed"


def test_funds_and_notes(office):
    add(office, "甲", "--stage", "signed", "--date", "2023-03-01")
    out = office("project", "fund", "1", "--amount", "5000万", "--origin", "省外", "--date", "2023-05-20")
    assert out.stdout.strip() == "recorded fund #1 for project 1: 5000万元 省外 2023-05-20"
    office("project", "fund", "甲", "--amount", "0.3亿", "--origin", "foreign", "--date", "2023年6月1日")
    office("project", "note", "1", "环评手续待批", "--date", "2023-05-21", "--problem")
    office("project", "note", "1", "厂房主体封顶", "--date", "2023-06-02")
    project = office.json("project", "show", "1")
    assert project["funds_yuan"] == 80_000_000
    assert project["funds"] == [
        {
            "id": 1,
            "amount_yuan": 50_000_000,
            "origin": "out_of_province",
            "date": "2023-05-20",
            "note": None,
            "currency": None,
            "amount_original": None,
        },
        {
            "id": 2,
            "amount_yuan": 30_000_000,
            "origin": "foreign",
            "date": "2023-06-01",
            "note": None,
            "currency": None,
            "amount_original": None,
        },
    ]
    assert project["notes"] == [
        {
            "id": 1,
            "date": "2023-05-21",
            "text": "环评手续待批",
            "problem": True,
            "assignee": None,
            "due": None,
            "resolved_on": None,
            "resolution": None,
        },
        {
            "id": 2,
            "date": "2023-06-02",
            "text": "厂房主体封顶",
            "problem": False,
            "assignee": None,
            "due": None,
            "resolved_on": None,
            "resolution": None,
        },
    ]


def test_list_filters_and_table(office):
    add(office, "甲", "--stage", "signed", "--date", "2023-03-01", "--key")
    office("project", "add", "乙", "--unit", "商家镇", "--amount", "8000万", "--stage", "在谈")
    office("project", "add", "丙", "--unit", "萧镇", "--amount", "3亿", "--key")

    def names(*args):
        return [p["name"] for p in office.json("project", "list", *args)]

    assert names() == ["甲", "乙", "丙"]
    assert names("--stage", "签约") == ["甲"]
    assert names("--unit", "萧镇") == ["甲", "丙"]
    assert names("--key") == ["甲", "丙"]
    assert names("--key", "--unit", "商家镇") == []
    table = office("project", "list").stdout
    assert "1.5亿元" in table and "8000万元" in table and "签约" in table


def test_a_mistyped_fund_is_voided_not_deleted(office):
    add(office, "甲", "--stage", "signed", "--date", "2023-03-01")
    office("project", "fund", "1", "--amount", "5亿", "--origin", "省外", "--date", "2023-05-20")
    office("project", "fund", "1", "--amount", "5000万", "--origin", "省外", "--date", "2023-05-20")
    assert office("project", "void-fund", "1", "--reason", "多录了一个零").stdout.strip() == (
        "voided fund #1 (5亿元 省外 2023-05-20)"
    )
    project = office.json("project", "show", "1")
    assert project["funds_yuan"] == 50_000_000
    assert [f["id"] for f in project["funds"]] == [2]
    assert office.counts()["fund"] == 2
    assert office.fails("project", "void-fund", "1", "--reason", "again") == (
        "zs: id 1: voided already: 多录了一个零; expected a record that is not voided yet"
    )
    assert office.fails("project", "void-fund", "7", "--reason", "x") == (
        "zs: id 7: expected the id of a recorded fund (see `zs project show`)"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["add", "甲", "--unit", "萧镇", "--amount", "一亿多"], "zs: --amount '一亿多': expected an amount in yuan"),
        (["add", "甲", "--unit", "萧镇", "--amount", "15000"], "zs: --amount '15000': expected 15000元 or 15000万?"),
        (["add", "甲", "--unit", "萧镇", "--amount", "1,5亿"], "zs: --amount '1,5亿': expected 1.5亿 or 15亿"),
        (
            ["add", "甲", "--unit", "萧镇", "--amount", "1亿25"],
            "zs: --amount '1亿25': expected 1.25亿, 1亿25万 or 1亿25元",
        ),
        (
            ["add", "甲", "--unit", "萧镇", "--amount", "-1亿"],
            "zs: --amount '-1亿': expected an amount that is not negative",
        ),
        (
            ["add", "甲", "--unit", "某镇", "--amount", "1亿"],
            "zs: --unit '某镇': did you mean 萧镇?; expected a known unit",
        ),
        (["add", "甲", "--unit", "萧镇", "--amount", "1亿", "--stage", "done"], "zs: --stage 'done': expected one of"),
        (
            ["add", "甲", "--unit", "萧镇", "--amount", "1亿", "--stage", "终止"],
            "zs: --stage 'dropped': expected the stage a new project is at",
        ),
        (
            ["add", "甲", "--unit", "萧镇", "--amount", "1亿", "--owner", "无名氏"],
            "zs: --owner '无名氏': expected a known person",
        ),
        (
            ["add", "甲", "--unit", "萧镇", "--amount", "1亿", "--deadline", "2023-06-31"],
            "zs: --deadline '2023-06-31': day is out of range",
        ),
        (
            ["fund", "99", "--amount", "1亿", "--origin", "省外"],
            "zs: project '99': expected the id of an existing project",
        ),
        (["fund", "1", "--amount", "0", "--origin", "省外"], "zs: --amount 0: expected an amount above zero"),
        (["fund", "1", "--amount", "5000", "--origin", "省外"], "zs: --amount '5000': expected 5000元 or 5000万?"),
        (
            ["fund", "1", "--amount", "-5万", "--origin", "省外"],
            "zs: --amount '-5万': expected an amount that is not negative",
        ),
        (
            ["fund", "1", "--amount", "5万", "--origin", "火星"],
            "zs: --origin '火星': expected one of: out_of_province 省外",
        ),
        (
            ["fund", "1", "--amount", "5万", "--origin", "省外", "--date", "昨日之前"],
            "zs: --date '昨日之前': expected a date",
        ),
        (["note", "1", "  "], "zs: text '  ': expected a non-empty text"),
        (["note", "乙项目", "x"], "zs: project '乙项目': expected a project id or the exact name of one project"),
        (["advance", "1", "--to", "开工", "--date", "2023-13-01"], "zs: --date '2023-13-01': month must be in 1..12"),
        (["show", "42"], "zs: project '42': expected the id of an existing project"),
        (["list", "--stage", "完成"], "zs: --stage '完成': expected one of"),
    ],
)
def test_bad_project_input_is_one_line_and_writes_nothing(office, args, message):
    add(office, "甲", "--date", "2023-01-05")
    assert office.fails("project", *args).startswith(message)


@pytest.mark.parametrize(
    "typed, yuan",
    [
        ("五亿", 500_000_000),
        ("一点五亿", 150_000_000),
        ("两千五百万", 25_000_000),
        ("1亿5", 150_000_000),
        ("15000元", 15_000),
        ("¥120,000,000", 120_000_000),
    ],
)
def test_amounts_in_words_and_with_a_unit_are_read_exactly(office, typed, yuan):
    add(office, "甲")
    office("project", "add", "乙", "--unit", "萧镇", "--amount", typed)
    office("project", "fund", "1", "--amount", typed, "--origin", "省外", "--date", "2023-05-20")
    assert office.json("project", "show", "2")["amount_yuan"] == yuan
    assert office.json("project", "show", "1")["funds"][0]["amount_yuan"] == yuan


def test_funds_beyond_twice_the_amount_are_recorded_with_a_warning(office):
    add(office, "甲")  # 1.5亿
    quiet = office("project", "fund", "1", "--amount", "3亿", "--origin", "省外", "--date", "2023-05-20")
    assert quiet.stderr == ""  # exactly twice: not beyond
    office("project", "fund", "1", "--amount", "2000万", "--origin", "foreign", "--date", "2023-06-01")
    office("project", "void-fund", "2", "--reason", "typo")
    result = office("project", "fund", "1", "--amount", "2000万", "--origin", "省外", "--date", "2023-06-02")
    assert result.stderr.splitlines() == [
        "zs: warning: funds arrived for project 1 (3.2亿元) now exceed twice its amount (1.5亿元)"
    ]
    assert result.stdout.strip() == "recorded fund #3 for project 1: 2000万元 省外 2023-06-02"
    assert office.json("project", "show", "1")["funds_yuan"] == 320_000_000
    office("project", "add", "乙", "--unit", "萧镇", "--amount", "0")  # no stated amount: nothing to compare with
    assert office("project", "fund", "2", "--amount", "1亿", "--origin", "省外").stderr == ""


def test_a_name_shared_by_two_projects_needs_the_id(office):
    add(office, "甲")
    add(office, "甲", "--allow-duplicate")
    assert office.fails("project", "show", "甲") == (
        "zs: project '甲': 2 projects have this name; expected a project id or the exact name of one project"
    )


def signed_in(zs, quarter, unit="萧镇"):
    units = zs.json("report", "quarter", "--quarter", quarter)["units"]
    return next(u["signed_projects"] for u in units if u["unit"] == unit)


def milestone(stage, day, forced=False, reason=None):
    return {"stage": stage, "date": day, "forced": forced, "reason": reason, "event_id": None}


def test_fix_corrects_a_mistyped_date_in_place_and_reports_read_it_so(office):
    add(office, "甲", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "签约", "--date", "2023-05-02")
    assert (signed_in(office, "2023Q1"), signed_in(office, "2023Q2")) == (0, 1)
    typed = office.json("project", "show", "1")

    fixed = office.json("project", "fix", "1", "--stage", "签约", "--date", "2023-03-20")
    assert fixed == office.json("project", "show", "1")
    assert fixed["milestones"] == [
        milestone("lead", "2023-02-01"),
        milestone("negotiating", "2023-02-01"),
        milestone("signed", "2023-03-20"),
    ]
    assert (fixed["stage"], fixed["stage_date"]) == ("signed", "2023-03-20")
    assert office.counts()["milestone"] == 3
    assert (signed_in(office, "2023Q1"), signed_in(office, "2023Q2")) == (1, 0)
    change = office.json("history")[0]
    assert (change["command"], change["summary"]) == (
        "zs project fix 1 --stage 签约 --date 2023-03-20 --json",
        "修改节点 #3 date",
    )

    office("undo")
    assert office.json("project", "show", "1") == typed
    assert (signed_in(office, "2023Q1"), signed_in(office, "2023Q2")) == (0, 1)


def test_fix_moves_the_stages_a_skip_filled_in_with_the_one_corrected(office):
    add(office, "甲", "--date", "2023-11-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-11-05")  # 在谈 and 签约 filled in on 11-05
    fixed = office.json("project", "fix", "1", "--stage", "签约", "--date", "2023-11-03")
    assert fixed["milestones"] == [
        milestone("lead", "2023-11-01"),
        milestone("negotiating", "2023-11-03"),
        milestone("signed", "2023-11-03"),
        milestone("started", "2023-11-05"),
    ]
    office("undo")
    assert [m["date"] for m in office.json("project", "show", "1")["milestones"]] == [
        "2023-11-01",
        "2023-11-05",
        "2023-11-05",
        "2023-11-05",
    ]
    # a stage with a day of its own stays: the fix may not pass it
    add(office, "乙", "--date", "2023-11-01")
    office("project", "advance", "2", "--to", "在谈", "--date", "2023-11-02")
    office("project", "advance", "2", "--to", "开工", "--date", "2023-11-05")
    assert office.fails("project", "fix", "2", "--stage", "签约", "--date", "2023-11-01") == (
        "zs: --date '2023-11-01': 签约 would come before 在谈 (2023-11-02); "
        "expected a date on or after 2023-11-02 and on or before 2023-11-05"
    )
    # moved later, a stage takes no other with it
    assert office.fails("project", "fix", "1", "--stage", "在谈", "--date", "2023-11-06") == (
        "zs: --date '2023-11-06': 在谈 would come after 签约 (2023-11-05); "
        "expected a date on or after 2023-11-01 and on or before 2023-11-05"
    )


def test_fix_removes_a_stage_typed_by_mistake(office):
    add(office, "甲", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-03-20")  # meant 签约
    typed = office.json("project", "show", "1")

    out = office("project", "fix", "1", "--remove-stage", "started")
    assert out.stdout.strip() == "fixed project #1 甲: 萧镇 · 1.5亿元 · 签约 2023-03-20"
    fixed = office.json("project", "show", "1")
    assert (fixed["stage"], fixed["stage_date"]) == ("signed", "2023-03-20")
    assert fixed["milestones"] == [
        milestone("lead", "2023-02-01"),
        milestone("negotiating", "2023-02-01"),
        milestone("signed", "2023-03-20"),
    ]
    assert office.counts()["milestone"] == 3
    assert office.json("history")[0]["summary"] == "删除节点 1 (#4)；修改项目 #1 stage"

    office("undo")
    assert office.json("project", "show", "1") == typed
    assert office.counts()["milestone"] == 4


def test_fix_adds_a_stage_the_entry_missed_where_it_belongs(office):
    add(office, "甲", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "终止", "--date", "2023-06-01", "--reason", "企业撤资")
    dropped = office.json("project", "show", "1")
    # It had signed before it was dropped: the signing goes before the 终止, which stays the latest.
    fixed = office.json("project", "fix", "1", "--stage", "签约", "--date", "2023-04-01")
    assert fixed["milestones"] == [
        milestone("lead", "2023-02-01"),
        milestone("negotiating", "2023-02-01"),
        milestone("signed", "2023-04-01"),
        milestone("dropped", "2023-06-01", reason="企业撤资"),
    ]
    assert (fixed["stage"], fixed["stage_date"]) == ("dropped", "2023-06-01")
    assert (signed_in(office, "2023Q2"), office.json("report", "month", "--month", "2023-06")["key_projects"]) == (
        1,
        [],
    )
    office("undo")
    assert office.json("project", "show", "1") == dropped

    # Removing the latest milestone: the project is back at the stage before it.
    removed = office.json("project", "fix", "1", "--remove-stage", "终止")
    assert (removed["stage"], removed["stage_date"]) == ("negotiating", "2023-02-01")
    # A stage next after the latest is added at the end, and the project is at it.
    signed = office.json("project", "fix", "1", "--stage", "signed", "--date", "2023-03-20")
    assert signed["milestones"][-1] == milestone("signed", "2023-03-20") and signed["stage"] == "signed"
    office("undo")
    office("undo")
    assert office.json("project", "show", "1") == dropped


FIX_REFUSALS = [
    (
        ["1", "--stage", "盖章", "--date", "2023-03-20"],
        "zs: --stage '盖章': expected one of: lead 线索, negotiating 在谈, "
        "signed 签约, started 开工, producing 投产, dropped 终止",
    ),
    (
        ["1", "--remove-stage", "done"],
        "zs: --remove-stage 'done': expected one of: lead 线索, negotiating 在谈, "
        "signed 签约, started 开工, producing 投产, dropped 终止",
    ),
    (
        ["1", "--stage", "签约", "--date", "2023-02-30"],
        "zs: --date '2023-02-30': day is out of range for month; expected a real calendar date",
    ),
    (
        ["1", "--stage", "签约", "--date", "2023-06-01"],
        "zs: --date '2023-06-01': 签约 would come after 开工 (2023-05-02); "
        "expected a date on or after 2023-02-01 and on or before 2023-05-02",
    ),
    (
        ["1", "--stage", "签约", "--date", "2023-01-20"],
        "zs: --date '2023-01-20': 签约 would come before 在谈 (2023-02-01); "
        "expected a date on or after 2023-02-01 and on or before 2023-05-02",
    ),
    (
        ["1", "--stage", "签约", "--date", "2023-05-02"],
        "zs: --date '2023-05-02': expected a date other than the one 签约 has",
    ),
    (
        ["1", "--remove-stage", "投产"],
        "zs: --remove-stage 'producing': project 1 has no 投产; expected a stage the project "
        "has (线索 2023-02-01, 在谈 2023-02-01, 签约 2023-05-02, 开工 2023-05-02)",
    ),
    (
        ["1", "--remove-stage", "在谈"],
        "zs: --remove-stage 'negotiating': 签约 cannot follow 线索; expected a milestone whose "
        "removal leaves the others in stage order (线索 2023-02-01, 在谈 2023-02-01, 签约 2023-05-02, 开工 2023-05-02)",
    ),
    (
        ["1", "--remove-stage", "线索"],
        "zs: --remove-stage 'lead': 在谈 cannot come first; expected a milestone whose "
        "removal leaves the others in stage order (线索 2023-02-01, 在谈 2023-02-01, 签约 2023-05-02, 开工 2023-05-02)",
    ),
    (
        ["2", "--remove-stage", "线索"],
        "zs: --remove-stage 'lead': 线索 is project 2's only milestone; expected a milestone "
        "other than the project's only one",
    ),
    (
        ["2", "--stage", "开工", "--date", "2023-02-01"],
        "zs: --stage 'started': project 2 has no 开工, and none on "
        "2023-02-01 fits in order; expected a stage and date that fit among its milestones (线索 2023-01-05)",
    ),
    (
        ["3", "--stage", "签约", "--date", "2023-05-01"],
        "zs: --stage 'signed': project 3's 签约 is a reversal (forced), a "
        "real event; expected a milestone typed by mistake; take a reversal back with `zs undo`, or move the project on "
        "with `zs project advance`",
    ),
    (
        ["3", "--remove-stage", "签约"],
        "zs: --remove-stage 'signed': project 3's 签约 is a reversal (forced), a real event; "
        "expected a milestone typed by mistake; take a reversal back with `zs undo`, or move the project on with "
        "`zs project advance`",
    ),
    (
        ["9", "--remove-stage", "开工"],
        "zs: project '9': expected the id of an existing project (see `zs project list`)",
    ),
]
FIX_USAGE_SLIPS = [
    ["1"],
    ["1", "--stage", "签约"],
    ["1", "--date", "2023-03-20"],
    ["1", "--stage", "签约", "--date", "2023-03-20", "--remove-stage", "开工"],
    ["1", "--remove-stage", "开工", "--date", "2023-03-20"],
]


def test_a_stage_added_before_one_reached_at_an_event_leaves_the_event_with_that_stage(office):
    office("log", "event", "--unit", "萧镇", "--date", "2023-06-15", "--type", "fair")
    add(office, "甲", "--stage", "在谈", "--date", "2023-05-01")
    office("project", "advance", "1", "--to", "终止", "--date", "2023-06-15", "--at", "1", "--reason", "企业撤资")
    fixed = office.json("project", "fix", "1", "--stage", "签约", "--date", "2023-06-01")
    assert [(m["stage"], m["date"], m["event_id"]) for m in fixed["milestones"]] == [
        ("lead", "2023-05-01", None),
        ("negotiating", "2023-05-01", None),
        ("signed", "2023-06-01", None),  # the signing was not at the fair of 06-15 …
        ("dropped", "2023-06-15", 1),  # … the 终止 was, and keeps it
    ]


def test_a_refused_fix_is_one_line_and_changes_nothing(office):
    add(office, "甲", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "1", "--to", "开工", "--date", "2023-05-02")
    add(office, "乙", "--date", "2023-01-05")
    add(office, "丙", "--stage", "在谈", "--date", "2023-02-01")
    office("project", "advance", "3", "--to", "终止", "--date", "2023-03-01")
    office("project", "advance", "3", "--to", "签约", "--date", "2023-04-01", "--force", "--reason", "企业重新投资")
    before = [office.json("project", "show", str(i)) for i in (1, 2, 3)], office.json("history")
    for args, message in FIX_REFUSALS:
        assert office.fails("project", "fix", *args) == message
    for args in FIX_USAGE_SLIPS:
        assert office.fails("project", "fix", *args, code=2) == (
            "zs: give --stage STAGE with --date D, or --remove-stage STAGE alone (see `zs project fix --help`)"
        )
    assert ([office.json("project", "show", str(i)) for i in (1, 2, 3)], office.json("history")) == before


@pytest.mark.parametrize(
    "ref, message",
    [
        ("１", "zs: project '１': expected a project id in digits 0-9"),
        ("²", "zs: project '²': expected a project id in digits 0-9"),
        ("٣", "zs: project '٣': expected a project id in digits 0-9"),
        ("#１", "zs: project '#１': expected a project id in digits 0-9"),
        ("99999999999999999999", "zs: project '99999999999999999999': expected the id of an existing project"),
        ("9223372036854775807", "zs: project '9223372036854775807': expected the id of an existing project"),
        ("2147483648", "zs: project '2147483648': expected the id of an existing project"),
        ("1" * 5000, f"zs: project '{'1' * 5000}': expected the id of an existing project"),
        ("0", "zs: project '0': expected the id of an existing project"),
    ],
)
def test_a_project_id_is_plain_digits_within_what_both_engines_store(office, ref, message):
    add(office, "甲")  # project 1: a look-alike of 1 must not find it
    for args in (["show", ref], ["note", ref, "x"], ["fund", ref, "--amount", "1万", "--origin", "省外"]):
        assert office.fails("project", *args) == message + (" (see `zs project list`)" if "existing" in message else "")
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--project", ref).startswith(
        message.replace("project '", "--project '")
    )


def test_a_project_named_in_other_digits_is_found_by_its_name(office):
    add(office, "甲")
    add(office, "２０２３")
    assert office.json("project", "show", "２０２３")["id"] == 2


@pytest.mark.parametrize("amount", ["9223372036854775807元", "9223372036854775808元", "100000亿1元", "100001亿"])
def test_an_amount_beyond_ten_trillion_yuan_is_refused_at_every_command(office, amount):
    add(office, "甲")
    expected = f"zs: --amount '{amount}': expected an amount of at most 100000亿元 (10万亿元)"
    assert office.fails("project", "add", "乙", "--unit", "萧镇", "--amount", amount) == expected
    assert office.fails("project", "fund", "1", "--amount", amount, "--origin", "省外") == expected


def test_the_ledger_refuses_an_amount_no_record_may_hold_whoever_calls_it(office):
    from datetime import date

    from zhaoshang import db, ledger
    from zhaoshang.errors import ZsError
    from zhaoshang.labels import Origin
    from zhaoshang.parse import MAX_AMOUNT_YUAN

    add(office, "甲")
    before = office.counts()
    engine = db.connect(office.db)
    calls = [
        (
            lambda s: ledger.add_fund(s, "1", amount_yuan=2**63 - 1, origin=Origin.local, day=date(2023, 3, 1)),
            "--amount 9223372036854775807: expected an amount of at most 100000亿元 (10万亿元)",
        ),
        (
            lambda s: ledger.add_project(
                s, name="乙", unit="萧镇", amount_yuan=MAX_AMOUNT_YUAN + 1, day=date(2023, 3, 1)
            ),
            "--amount 10000000000001: expected an amount of at most 100000亿元 (10万亿元)",
        ),
        (
            lambda s: ledger.add_project(s, name="乙", unit="萧镇", amount_yuan=-1, day=date(2023, 3, 1)),
            "--amount -1: expected an amount that is not negative",
        ),
    ]
    for call, message in calls:
        with pytest.raises(ZsError) as refused, db.writing(engine) as session:
            call(session)
        assert str(refused.value) == message
    engine.dispose()
    assert office.counts() == before
    office("project", "add", "乙", "--unit", "萧镇", "--amount", "100000亿")  # the limit itself is an amount
    office("project", "fund", "2", "--amount", "100000亿", "--origin", "省外")
    assert [p["funds_yuan"] for p in office.json("project", "list")] == [0, MAX_AMOUNT_YUAN]


@pytest.mark.parametrize(
    "args, field, typed",
    [
        (["add", "乙", "--unit", "萧镇", "--amount", "1亿", "--date", "9999-12-31"], "--date", "9999-12-31"),
        (["add", "乙", "--unit", "萧镇", "--amount", "1亿", "--date", "0001-01-01"], "--date", "0001-01-01"),
        (["add", "乙", "--unit", "萧镇", "--amount", "1亿", "--deadline", "9999-12-31"], "--deadline", "9999-12-31"),
        (["advance", "1", "--to", "在谈", "--date", "2201-01-01"], "--date", "2201-01-01"),
        (
            ["advance", "1", "--to", "在谈", "--date", "2023-03-01", "--deadline", "1899-12-31"],
            "--deadline",
            "1899-12-31",
        ),
        (["fix", "1", "--stage", "线索", "--date", "1899-12-31"], "--date", "1899-12-31"),
        (["fund", "1", "--amount", "1万", "--origin", "省外", "--date", "9999-12-31"], "--date", "9999-12-31"),
        (["note", "1", "x", "--date", "0001-01-01"], "--date", "0001-01-01"),
    ],
)
def test_a_date_outside_1900_to_2200_is_refused(office, args, field, typed):
    add(office, "甲", "--date", "2023-01-05")
    assert office.fails("project", *args) == f"zs: {field} '{typed}': expected a date from 1900-01-01 to 2200-12-31"


def test_the_first_and_last_dates_allowed_are_read_back_and_listed(office):
    add(office, "甲", "--date", "1900-01-01", "--deadline", "2200-12-31")
    office("project", "advance", "1", "--to", "签约", "--date", "2200-12-31")
    office("project", "fund", "1", "--amount", "1万", "--origin", "省外", "--date", "2200-12-31")
    office("project", "note", "1", "x", "--date", "2200-12-31")
    assert stages(office.json("project", "show", "1")) == [
        ("lead", "1900-01-01"),
        ("negotiating", "2200-12-31"),
        ("signed", "2200-12-31"),
    ]
    assert "2200-12-31" in office("project", "show", "1").stdout
    assert [p["stage_date"] for p in office.json("project", "list")] == ["2200-12-31"]


def test_a_projects_funds_past_int64_are_summed_exactly(office):
    """Funds stored before amounts had a ceiling (or merged from such a ledger) may add up past int64."""
    office("project", "add", "甲", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-01-01")
    for day in ("2023-02-01", "2023-03-01", "2023-04-01"):
        office("project", "fund", "甲", "--amount", "1亿", "--origin", "省外", "--date", day)
    from conftest import url_of
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(office.db))
    with engine.begin() as conn:
        conn.execute(text("UPDATE fund SET amount_yuan = 4000000000000000001"))
    engine.dispose()
    assert office.json("project", "show", "甲")["funds_yuan"] == 12000000000000000003
    assert office.json("project", "list")[0]["funds_yuan"] == 12000000000000000003


def test_a_start_deadline_before_the_signing_is_refused_wherever_it_is_given(office, tmp_path):
    add(office, "甲", "--stage", "在谈", "--date", "2023-02-01")
    assert office.fails(
        "project", "advance", "1", "--to", "签约", "--date", "2023-03-20", "--deadline", "2023-03-19"
    ) == ("zs: --deadline '2023-03-19': expected a date on or after 2023-03-20, when the project signed")
    assert office.fails("project", "edit", "1", "--deadline", "2023-01-31") == (
        "zs: --deadline '2023-01-31': expected a date on or after 2023-02-01, when the project reached 在谈"
    )
    office("project", "advance", "1", "--to", "签约", "--date", "2023-03-20", "--deadline", "2023-03-20")  # that day
    office("project", "advance", "1", "--to", "开工", "--date", "2023-04-10")
    assert office.fails("project", "edit", "1", "--deadline", "2023-03-01") == (
        "zs: --deadline '2023-03-01': expected a date on or after 2023-03-20, when the project signed"
    )
    assert (
        office.fails(
            "project",
            "add",
            "乙",
            "--unit",
            "萧镇",
            "--amount",
            "1亿",
            "--stage",
            "签约",
            "--date",
            "2023-05-01",
            "--deadline",
            "2023-04-30",
        )
        == "zs: --deadline '2023-04-30': expected a date on or after 2023-05-01, when the project signed"
    )
    assert office.json("project", "show", "1")["start_deadline"] == "2023-03-20"

    from test_transfer import write_csv

    sheet = write_csv(
        tmp_path / "项目.csv",
        [
            ["项目名称", "招引单位", "投资额(万元)", "签约日期", "开工时限"],
            ["丙", "萧镇", "8000", "2023-06-01", "2023-05-31"],
        ],
    )
    result = office("import", "projects", sheet, code=1)
    assert result.stderr.splitlines()[1].endswith(
        "row 2, 开工时限 '2023-05-31': expected a date on or after 2023-06-01, when the project signed"
    )
