"""A 台账 is cumulative and re-sent every month: importing it again, or a later version of it, adds
only the new rows, corrects the changed ones (an edit in the history, undone whole) and leaves the
rest — it never doubles a figure."""

from datetime import date, timedelta

from conftest import url_of
from test_transfer import write_csv, write_xlsx

HEADER = ["序号", "日期", "单位", "类型", "带队领导", "招商方式", "目的地", "企业", "备注"]
UNITS = ("萧镇", "商家镇", "区投资促进中心")


def ledger_rows(count: int, changed: set[int] = frozenset()) -> list[list[str]]:
    """`count` activities: trips to a place and visits to a company, one a day from 2023-01-01; the
    rows in `changed` carry another note and mode (a corrected cell)."""
    rows = [HEADER]
    for n in range(count):
        day = date(2023, 1, 1) + timedelta(days=n % 360)
        unit = UNITS[n % 3]
        note = f"第{n}条" + ("（更正）" if n in changed else "")
        mode = "以商招商" if n in changed else "短频快"
        if n % 2:
            rows.append([str(n + 1), day.isoformat(), unit, "外出招商", "", mode, f"城市{n}", "", note])
        else:
            rows.append([str(n + 1), day.isoformat(), unit, "走访企业", "", "登门招商", "", f"企业{n}", note])
    return rows


def test_a_later_cumulative_sheet_adds_the_new_rows_and_corrects_the_changed_ones(office, tmp_path):
    first = write_csv(tmp_path / "1月.csv", ledger_rows(1000))
    out = office("import", "activities", first).stdout
    assert out.startswith("imported 1000 new, 0 changed, 0 unchanged activities (500 company links, 0 voided)")
    again = office("import", "activities", first).stdout
    assert again.startswith("imported 0 new, 0 changed, 1000 unchanged activities (0 company links, 0 voided)")
    assert again.rstrip().endswith(": nothing changed, nothing to undo")

    changed = set(range(1, 40, 2))  # 20 trips corrected
    later = write_csv(tmp_path / "2月.csv", ledger_rows(1100, changed))
    out = office("import", "activities", later).stdout
    assert out.startswith("imported 100 new, 20 changed, 980 unchanged activities (50 company links, 0 voided)")
    listed = office.json("log", "list", "--limit", "5000")
    assert len(listed) == 1100
    corrected = [a for a in listed if a["note"].endswith("（更正）")]
    assert len(corrected) == 20 and {a["mode"] for a in corrected} == {"via_business"}

    office("undo")  # the later sheet, whole: its 100 new rows gone, its 20 corrections put back
    listed = office.json("log", "list", "--limit", "5000")
    assert len(listed) == 1000
    assert not [a for a in listed if a["note"].endswith("（更正）")]


def test_the_same_visit_listed_twice_is_two_visits_and_dry_run_says_what_the_import_does(office, tmp_path):
    rows = [HEADER, *[["", "2023-03-01", "萧镇", "走访企业", "", "", "", "齐鲁化工", ""]] * 2]
    sheet = write_csv(tmp_path / "台账.csv", rows)
    assert office("import", "activities", sheet).stdout.startswith("imported 2 new, 0 changed, 0 unchanged")
    grown = write_csv(
        tmp_path / "台账2.csv", [*rows, ["", "2023-03-01", "萧镇", "走访企业", "", "", "", "齐鲁化工", ""]]
    )
    dry = office("import", "activities", grown, "--dry-run").stdout
    assert "would import 1 new, 0 changed, 2 unchanged activities" in dry
    assert len(office.json("log", "list")) == 2  # the dry run wrote nothing


PROJECT_HEADER = [
    "项目名称",
    "招引单位",
    "投资额(万元)",
    "阶段",
    "签约日期",
    "开工日期",
    "到位资金",
    "资金来源",
    "到位日期",
]


def test_a_resent_project_sheet_adds_stages_reached_since_and_never_a_second_project(office, tmp_path):
    january = write_xlsx(
        tmp_path / "项目1月.xlsx",
        [PROJECT_HEADER, ["电池项目", "萧镇", 15000, "签约", "2023-01-20", "", "", "", ""]],
    )
    office("import", "projects", january, "--date", "2023-01-10")
    february = write_xlsx(
        tmp_path / "项目2月.xlsx",
        [
            PROJECT_HEADER,
            ["电池项目", "萧镇", 16000, "开工", "2023-01-20", "2023-02-15", "5000万", "省外", "2023-02-20"],
            ["陶瓷项目", "商家镇", 8000, "在谈", "", "", "", "", ""],
        ],
    )
    out = office("import", "projects", february, "--date", "2023-01-10").stdout
    # 电池项目 reached 开工 (1 milestone); 陶瓷项目 is new (线索 and 在谈 on its date)
    assert out.startswith("imported 1 new, 1 changed, 0 unchanged projects, 3 milestones, 1 funds, 0 notes")
    assert [(p["name"], p["stage"], p["amount_yuan"]) for p in office.json("project", "list")] == [
        ("电池项目", "started", 160_000_000),
        ("陶瓷项目", "negotiating", 80_000_000),
    ]
    again = office("import", "projects", february, "--date", "2023-01-10").stdout
    assert again.startswith("imported 0 new, 0 changed, 2 unchanged projects, 0 milestones, 0 funds, 0 notes")
    battery = office.json("project", "show", "1")
    assert [(m["stage"], m["date"]) for m in battery["milestones"]] == [
        ("lead", "2023-01-20"),
        ("negotiating", "2023-01-20"),
        ("signed", "2023-01-20"),
        ("started", "2023-02-15"),
    ]
    assert len(battery["funds"]) == 1


def test_a_corrected_fund_in_a_resent_project_sheet_replaces_the_held_one_and_a_new_batch_adds(office, tmp_path):
    def sheet(name: str, funds: str, origin: str, day: str):
        row = ["电池项目", "萧镇", 15000, "签约", "2023-01-20", "", funds, origin, day]
        return write_xlsx(tmp_path / name, [PROJECT_HEADER, row])

    office("import", "projects", sheet("1月.xlsx", "5000万", "省内", "2023-02-20"))
    # the same batch (its date) with its amount and origin corrected: the held one is voided, not doubled
    out = office("import", "projects", sheet("2月.xlsx", "6000万", "省外", "2023-02-20")).stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged projects, 0 milestones, 1 funds, 0 notes")
    assert held_funds(office.db) == [
        (50_000_000, "local", "2023-02-20", "更正为 6000万元 省外（重报台账第2行）"),
        (60_000_000, "out_of_province", "2023-02-20", None),
    ]
    assert [f["amount_yuan"] for f in office.json("project", "show", "1")["funds"]] == [60_000_000]
    # a later batch, on its own date, is a second fund
    office("import", "projects", sheet("3月.xlsx", "1000万", "省外", "2023-03-15"))
    assert [f["amount_yuan"] for f in office.json("project", "show", "1")["funds"]] == [60_000_000, 10_000_000]
    office("undo")
    office("undo")  # the correction taken back: the first batch counts again, once
    assert held_funds(office.db) == [(50_000_000, "local", "2023-02-20", None)]


def held_funds(location) -> list[tuple]:
    """Every fund row, voided ones too, as (amount, origin, date, void reason)."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(location))
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT amount_yuan, origin, date, void_reason FROM fund ORDER BY id"))
            return [(a, o, str(d), r) for a, o, d, r in rows]
    finally:
        engine.dispose()


def test_a_resent_fund_on_a_day_with_two_held_cannot_say_which_it_corrects(office, tmp_path):
    office(
        "project", "add", "电池项目", "--unit", "萧镇", "--amount", "1.5亿", "--stage", "签约", "--date", "2023-01-20"
    )
    for amount in ("1000万", "2000万"):
        office("project", "fund", "1", "--amount", amount, "--origin", "省外", "--date", "2023-02-20")
    row = ["电池项目", "萧镇", 15000, "签约", "2023-01-20", "", "2500万", "省外", "2023-02-20"]
    result = office("import", "projects", write_xlsx(tmp_path / "台账.xlsx", [PROJECT_HEADER, row]), code=1)
    assert result.stderr.splitlines()[1].endswith(
        "台账.xlsx row 2, 到位资金 '2500万': expected one of the 2 funds held for 电池项目 on 2023-02-20 "
        "(fund #1, #2; void the wrong one with `zs project void-fund`)"
    )
    assert len(office.json("project", "show", "1")["funds"]) == 2


def test_a_project_name_the_unit_already_has_is_refused_unless_insisted_on(office):
    office("project", "add", "电池项目", "--unit", "萧镇", "--amount", "1亿", "--date", "2023-03-01")
    assert office.fails("project", "add", "电池项目", "--unit", "萧镇", "--amount", "2亿", "--date", "2023-03-02") == (
        "zs: NAME '电池项目': project #1 has it; expected a name 萧镇 has no project of yet "
        "(--allow-duplicate to add a second one)"
    )
    office(
        "project", "add", "电池项目", "--unit", "商家镇", "--amount", "2亿", "--date", "2023-03-02"
    )  # another unit's
    office(
        "project", "add", "电池项目", "--unit", "萧镇", "--amount", "2亿", "--date", "2023-03-02", "--allow-duplicate"
    )
    assert [(p["id"], p["unit"]) for p in office.json("project", "list")] == [(1, "萧镇"), (2, "商家镇"), (3, "萧镇")]


def test_a_total_row_and_full_width_padding_are_read_as_offices_write_them(office, tmp_path):
    rows = [
        ["日期", "单位", "类型", "目的地"],
        ["2023-03-01", "\u3000萧镇\u3000", "外出招商", "深圳"],  # padded with full-width spaces
        ["2023-03-09", "萧镇", "外出招商", "广州"],
        ["合计", "", "2", ""],
    ]
    path = write_xlsx(tmp_path / "台账.xlsx", rows)
    assert office("import", "activities", path).stdout.startswith("imported 2 new, 0 changed, 0 unchanged")
    assert [(a["date"], a["unit"]) for a in office.json("log", "list")] == [
        ("2023-03-01", "萧镇"),
        ("2023-03-09", "萧镇"),
    ]


def test_a_row_gone_from_a_later_sheet_is_reported_and_kept(office, tmp_path):
    full = write_csv(tmp_path / "1月.csv", ledger_rows(10))
    office("import", "activities", full)
    shorter = ledger_rows(10)
    del shorter[3:5]  # two rows the office left out of its next 台账
    out = office("import", "activities", write_csv(tmp_path / "2月.csv", shorter)).stdout
    assert out.startswith(
        "imported 0 new, 0 changed, 8 unchanged activities (0 company links, 0 voided); "
        "2 held for its dates and units are not in it (kept)"
    )
    assert len(office.json("log", "list")) == 10


LINKED_HEADER = ["编号", "日期", "单位", "类型", "带队领导", "参与人员", "联合单位", "企业"]


def people_and_companies(office) -> list[tuple]:
    return [(a["leader"], a["people"], a["units"], a["companies"]) for a in office.json("log", "list")]


def test_a_corrected_leader_participants_joint_units_and_company_replace_what_the_activity_links(office, tmp_path):
    january = [LINKED_HEADER, ["A1", "2023-03-01", "萧镇", "走访企业", "孙志强", "", "", "甲公司"]]
    office("import", "activities", write_csv(tmp_path / "1月.csv", january), "--key", "编号")
    february = [LINKED_HEADER, ["A1", "2023-03-01", "萧镇", "走访企业", "王明", "孙志强", "商家镇", "乙公司"]]
    out = office("import", "activities", write_csv(tmp_path / "2月.csv", february), "--key", "编号").stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged activities")
    assert "1 new companies in the register" in out  # 乙公司, now met
    # the leader credited is the one the sheet now names (a per-person quota counts `people`)
    assert people_and_companies(office) == [("王明", ["王明", "孙志强"], ["萧镇", "商家镇"], ["乙公司"])]
    assert [r["id"] for r in office.json("company", "show", "乙公司")["records"]] == [1]

    again = office("import", "activities", write_csv(tmp_path / "2月.csv", february), "--key", "编号").stdout
    assert again.startswith("imported 0 new, 0 changed, 1 unchanged activities")
    assert again.rstrip().endswith(": nothing changed, nothing to undo")
    office("undo")  # the correction, links and all
    assert people_and_companies(office) == [("孙志强", ["孙志强"], ["萧镇"], ["甲公司"])]


def test_blank_link_cells_keep_what_the_activity_links(office, tmp_path):
    full = [LINKED_HEADER, ["A1", "2023-03-01", "萧镇", "走访企业", "王明", "孙志强、陈静", "商家镇", "甲公司"]]
    office("import", "activities", write_csv(tmp_path / "1月.csv", full))
    blank = [LINKED_HEADER, ["A1", "2023-03-01", "萧镇", "走访企业", "", "", "", "甲公司"]]
    out = office("import", "activities", write_csv(tmp_path / "2月.csv", blank)).stdout
    assert out.startswith("imported 0 new, 0 changed, 1 unchanged activities")
    new_leader = [LINKED_HEADER, ["A1", "2023-03-01", "萧镇", "走访企业", "孙志强", "", "", "甲公司"]]
    out = office("import", "activities", write_csv(tmp_path / "3月.csv", new_leader)).stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged activities")
    # 孙志强 leads now; the participants the sheet left blank stay, 王明 no longer among them
    assert people_and_companies(office) == [("孙志强", ["孙志强", "陈静"], ["萧镇", "商家镇"], ["甲公司"])]


def test_a_resent_project_keeps_to_the_increase_rules_with_what_the_ledger_holds(office, tmp_path):
    header = "项目名称,招引单位,投资额(万元),阶段,签约日期"

    def sheet(name: str, text: str):
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    office(
        "import",
        "projects",
        sheet("1.csv", f"{header},项目类型,增资额(万元)\n扩产项目,商家镇,60000,签约,2023-09-08,增资,15000\n"),
    )
    lowered = sheet("2.csv", f"{header}\n扩产项目,商家镇,10000,签约,2023-09-08\n")  # below its 1.5亿 increase
    assert office("import", "projects", lowered, code=1).stderr.splitlines()[1] == (
        "  2.csv row 2, 投资额(万元) '10000': expected a total of at least its increase (150000000 yuan), "
        "with what the ledger holds for 扩产项目"
    )
    dollars = sheet("3.csv", "项目名称,招引单位,投资额,阶段,签约日期\n扩产项目,商家镇,1000万美元,签约,2023-09-08\n")
    assert office("import", "projects", dollars, code=1).stderr.splitlines()[1] == (
        "  3.csv row 2, 投资额 '1000万美元': expected an 增资 project's total in yuan (元), as its increase, "
        "with what the ledger holds for 扩产项目"
    )
    # 续建 now: the increase goes with the 增资 type, as `project edit --type` takes it
    office("import", "projects", sheet("4.csv", f"{header},项目类型\n扩产项目,商家镇,60000,签约,2023-09-08,续建\n"))
    shown = office.json("project", "show", "1")
    assert (shown["type"], shown["increase_yuan"], shown["amount_yuan"]) == ("continuing", None, 600_000_000)
    office("project", "edit", "1", "--industry", "纺织")  # a project every command can still correct


def test_an_event_a_keyed_row_makes_a_trip_is_no_event_any_more(office, tmp_path):
    fair = write_csv(
        tmp_path / "1月.csv", [["编号", "日期", "单位", "类型", "目的地"], ["A1", "2023-06-08", "萧镇", "展会", "厦门"]]
    )
    office("import", "activities", fair, "--key", "编号")
    office("project", "add", "甲", "--unit", "萧镇", "--amount", "2亿", "--stage", "在谈", "--date", "2023-05-01")
    office("project", "advance", "1", "--to", "签约", "--date", "2023-06-08", "--at", "1")
    trip = write_csv(
        tmp_path / "2月.csv",
        [["编号", "日期", "单位", "类型", "目的地"], ["A1", "2023-06-08", "萧镇", "外出招商", "厦门"]],
    )
    out = office("import", "activities", trip, "--key", "编号").stdout
    assert out.startswith("imported 0 new, 1 changed, 0 unchanged activities")
    (held,) = office.json("log", "list")
    assert (held["kind"], held["event_type"]) == ("trip", None)  # a trip with an event type counted as a fair
    signed = office.json("project", "show", "1")["milestones"][-1]
    assert (signed["stage"], signed["date"], signed["event_id"]) == ("signed", "2023-06-08", None)
    office("undo")
    assert office.json("project", "show", "1")["milestones"][-1]["event_id"] == 1
    assert office.json("log", "list")[0]["event_type"] == "fair"


def test_a_resent_project_reaches_stages_as_project_advance_moves_it(office, tmp_path):
    office(
        "project",
        "add",
        "环保项目",
        "--unit",
        "商家镇",
        "--amount",
        "9000万",
        "--stage",
        "签约",
        "--date",
        "2023-07-01",
    )
    header = "项目名称,招引单位,投资额(万元),阶段,签约日期,开工日期\n"
    early = write_csv(
        tmp_path / "1.csv", [header.strip().split(","), ["环保项目", "商家镇", "9000", "开工", "", "2023-06-01"]]
    )
    assert office("import", "projects", early, code=1).stderr.splitlines()[1] == (
        "  1.csv row 2, 开工日期 '2023-06-01': expected a date on or after 2023-07-01, when 环保项目 reached 签约"
    )
    office("project", "advance", "1", "--to", "终止", "--date", "2023-08-01", "--reason", "企业撤资")
    later = write_csv(
        tmp_path / "2.csv", [header.strip().split(","), ["环保项目", "商家镇", "9000", "开工", "", "2023-09-01"]]
    )
    assert office("import", "projects", later, code=1).stderr.splitlines()[1] == (
        "  2.csv row 2, 阶段 '开工': expected 终止 for 环保项目, which was dropped on 2023-08-01 "
        "(zs project advance --force --reason brings a project back)"
    )
    assert office.json("project", "show", "1")["stage"] == "dropped"
    # the stages it reached before it was dropped are no news: the sheet is read, nothing refused
    signed = write_csv(
        tmp_path / "3.csv", [header.strip().split(","), ["环保项目", "商家镇", "9000", "签约", "2023-07-01", ""]]
    )
    assert office("import", "projects", signed).stdout.startswith("imported 0 new, 0 changed, 1 unchanged projects")
