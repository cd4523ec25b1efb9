"""A plan you can audit: the plan split into sentences, each measurable one encoded, manual, out of
scope or not covered (`zs targets coverage`); two years' files compared in words (`zs targets diff`);
the new keys refused with their line when wrong."""

import json
import textwrap

import pytest

from zhaoshang.coverage import Cover, Status, coverage, key, measurable, sentences

PLAN_TEXT = textwrap.dedent("""\
    # 关于开展招商活动的实施方案

    ## 一、目标任务

    （一）外出招商。各镇外出招商每年不少于4次；各部门外出招商每年不少于
    2次。

    （二）走访企业。每月各镇走访企业不少于2家。

    （三）宣传。加大宣传力度，营造良好氛围。
    到2025年，外贸进出口总额达到3.75亿元以上。
    力争社会消费品零售总额增速不低于全市平均水平。
""")

TARGETS = textwrap.dedent("""\
    region: 测试区
    year: 2023
    units: {甲镇: town, 乙部门: department}
    quotas:
      - {id: town-trips, count: trips, who: {each: town}, per: year, at_least: 4,
         text: （一）外出招商。}
      - id: town-trips-2
        text: 各镇外出招商每年不少于4次；
        count: trips
        who: {each: town}
        per: year
        at_least: 4
      - id: dept-trips
        text: 各部门外出招商每年不少于2次
        count: trips
        who: {each: department}
        per: year
        at_least: 2
    manual:
      - {text: 到2025年，外贸进出口总额达到3.75亿元以上。, reason: 2025年目标，按月填报}
    out_of_scope:
      - {text: 力争社会消费品零售总额增速不低于全市平均水平, reason: 台账不掌握全市数据}
""")


def test_a_plan_splits_at_full_stops_semicolons_and_numbered_items_and_joins_a_broken_line():
    assert sentences(PLAN_TEXT) == [
        "关于开展招商活动的实施方案",
        "一、目标任务",
        "（一）外出招商。",
        "各镇外出招商每年不少于4次；",
        "各部门外出招商每年不少于2次。",  # the line broken after 不少于 is joined again
        "（二）走访企业。",
        "每月各镇走访企业不少于2家。",
        "（三）宣传。",
        "加大宣传力度，营造良好氛围。",
        "到2025年，外贸进出口总额达到3.75亿元以上。",
        "力争社会消费品零售总额增速不低于全市平均水平。",
    ]


@pytest.mark.parametrize(
    "sentence, asks",
    [
        ("各镇外出招商每年不少于4次", True),
        ("每月各镇走访企业不少于 2 家", True),
        ("新引进过亿元项目4个以上", True),
        ("實際到位資金500億元以上", True),  # traditional characters
        ("每月上报有效价值线索不少于1条", True),
        ("实行季度通报制度", True),
        ("加大宣传力度，营造良好氛围", False),
        ("淄文昌投促字〔2023〕3号", False),
    ],
)
def test_a_measurable_sentence_carries_a_number_with_a_unit_or_an_ask(sentence, asks):
    assert measurable(sentence) is asks


def test_coverage_marks_each_sentence_and_a_text_matches_with_or_without_its_closing_mark():
    cover = Cover(
        {key("各镇外出招商每年不少于4次"): ("town-trips",)},
        {key("到2025年，外贸进出口总额达到3.75亿元以上"): "按月填报"},
        {},
    )
    found = {s.text: (s.status, s.covered_by, s.reason) for s in coverage(PLAN_TEXT, cover) if s.measurable}
    assert found == {
        "各镇外出招商每年不少于4次；": (Status.encoded, ("town-trips",), None),
        "各部门外出招商每年不少于2次。": (Status.not_covered, (), None),
        "每月各镇走访企业不少于2家。": (Status.not_covered, (), None),
        "到2025年，外贸进出口总额达到3.75亿元以上。": (Status.manual, (), "按月填报"),
        "力争社会消费品零售总额增速不低于全市平均水平。": (Status.not_covered, (), None),
    }


@pytest.fixture
def audit(zs, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text(PLAN_TEXT, encoding="utf-8")
    targets = tmp_path / "targets.yaml"
    targets.write_text(TARGETS, encoding="utf-8")
    return plan, targets


def test_coverage_exits_1_naming_the_sentence_not_covered(zs, audit):
    plan, targets = audit
    result = zs("targets", "coverage", plan, "--targets", targets, code=1)
    assert "每月各镇走访企业不少于2家。" in result.stdout and "未覆盖" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "5 measurable sentences: 2 encoded, 1 manual, 1 out of scope, 1 not covered"
    )
    rows = json.loads(zs("targets", "coverage", plan, "--targets", targets, "--json", code=1).stdout)
    assert [r for r in rows if r["measurable"]] == [
        {
            "sentence": "各镇外出招商每年不少于4次；",
            "measurable": True,
            "status": "encoded",
            "covered_by": ["town-trips-2"],
        },
        {
            "sentence": "各部门外出招商每年不少于2次。",
            "measurable": True,
            "status": "encoded",
            "covered_by": ["dept-trips"],
        },
        {"sentence": "每月各镇走访企业不少于2家。", "measurable": True, "status": "not_covered", "covered_by": []},
        {
            "sentence": "到2025年，外贸进出口总额达到3.75亿元以上。",
            "measurable": True,
            "status": "manual",
            "covered_by": [],
            "reason": "2025年目标，按月填报",
        },
        {
            "sentence": "力争社会消费品零售总额增速不低于全市平均水平。",
            "measurable": True,
            "status": "out_of_scope",
            "covered_by": [],
            "reason": "台账不掌握全市数据",
        },
    ]
    assert rows[2] == {
        "sentence": "（一）外出招商。",
        "measurable": False,
        "status": "encoded",
        "covered_by": ["town-trips"],
    }


def test_coverage_exits_0_once_every_measurable_sentence_is_covered_and_reads_gb18030(zs, audit, tmp_path):
    plan, targets = audit
    targets.write_text(
        TARGETS.replace(
            "manual:\n",
            "  - {id: town-visits, text: 每月各镇走访企业不少于2家。, count: companies_visited, who: {each: town},"
            " per: month, at_least: 2}\nmanual:\n",
        ),
        encoding="utf-8",
    )
    windows = tmp_path / "plan-gbk.txt"
    windows.write_bytes(PLAN_TEXT.encode("gb18030"))
    result = zs("targets", "coverage", windows, "--targets", targets)
    assert result.stdout.splitlines()[-1] == (
        "5 measurable sentences: 3 encoded, 1 manual, 1 out of scope, 0 not covered"
    )


def test_a_text_that_matches_no_sentence_is_warned_about(zs, audit):
    plan, targets = audit
    targets.write_text(
        TARGETS.replace("text: 各部门外出招商每年不少于2次", "text: 各部门外出招商每年不少于3次"), encoding="utf-8"
    )
    result = zs("targets", "coverage", plan, "--targets", targets, code=1)
    assert result.stderr == (
        f"zs: warning: text '各部门外出招商每年不少于3次' of {targets} matches no sentence of {plan}\n"
    )


def test_coverage_refuses_a_plan_it_cannot_read(zs, audit, tmp_path):
    _, targets = audit
    binary = tmp_path / "plan.bin"
    binary.write_bytes(b"\xff\xfe\x00\x81\x30")
    assert zs.fails("targets", "coverage", binary, "--targets", targets) == (
        f"zs: PLAN '{binary}': its bytes are neither; expected a text file in UTF-8 or GB18030"
    )
    assert zs.fails("targets", "coverage", tmp_path / "none.txt", "--targets", targets) == (
        f"zs: PLAN '{tmp_path / 'none.txt'}': No such file or directory; expected a readable text file"
    )


def test_diff_says_what_changed_in_the_offices_words(zs, tmp_path):
    old, new = tmp_path / "2023.yaml", tmp_path / "2024.yaml"
    old.write_text(
        "region: 测试区\nyear: 2023\nunits: {甲镇: town}\nquotas:\n"
        "  - {id: visits, title: 镇走访企业, count: companies_visited, who: {each: town}, per: month, at_least: 2}\n"
        "  - {id: fairs, title: 展会, count: events, where: {event_type: fair}, who: region, per: year, at_least: 10}\n",
        encoding="utf-8",
    )
    new.write_text(
        "region: 测试区\nyear: 2024\nunits: {甲镇: town, 乙园区: park}\nquotas:\n"
        "  - {id: visits, title: 镇走访企业, count: companies_visited, who: {each: town}, per: month, at_least: 3}\n"
        "  - {id: receptions, title: 接待, count: receptions, who: {each: town}, per: month, at_most: 5}\n",
        encoding="utf-8",
    )
    result = zs("targets", "diff", old, new, code=1)
    assert result.stdout.splitlines() == [
        "~ 文件 year: 2023 → 2024",
        "+ 单位 乙园区: 园区",
        "~ 指标 visits: 镇走访企业：每个镇街 每月 走访企业(家) ≥ 2 → ≥ 3",
        "- 指标 fairs: 展会：全区 全年 展会·招商活动(场) ≥ 10",
        "+ 指标 receptions: 接待：每个镇街 每月 接待客商(次) ≤ 5",
        "5 changes",
    ]
    changes = json.loads(zs("targets", "diff", old, new, "--json", code=1).stdout)
    assert changes[2] == {
        "section": "指标",
        "id": "visits",
        "change": "changed",
        "old": "镇走访企业：每个镇街 每月 走访企业(家) ≥ 2",
        "new": "镇走访企业：每个镇街 每月 走访企业(家) ≥ 3",
    }
    assert zs("targets", "diff", old, old).stdout == f"{old} and {old} say the same\n"


HEAD = "region: 测试区\nyear: 2023\nunits: {甲镇: town, 乙镇: town, 中心: center}\n"
QUOTA = "quotas:\n  - {id: q1, count: trips, who: {each: town}, per: year, at_least: 4}\n"


@pytest.mark.parametrize(
    "body, line, message",
    [
        (
            "quotas:\n  - {id: q1, count: trips, who: region, per: year, at_least: 4, at_most: 5}\n",
            5,
            "quota 'at_least, at_most': expected exactly one of at_least: or at_most:",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {mode: [短频快, 飞行]}, who: region, per: year, at_least: 4}\n",
            5,
            "where.mode '飞行': expected ",
        ),
        (
            "quotas:\n  - {id: q1, count: trips, where: {destination: []}, who: region, per: year, at_least: 4}\n",
            5,
            "where.destination []: expected a value or a list of values, such as [深圳, 广州]",
        ),
        (
            QUOTA + "  - {id: q80, of: nope, share: 80%, by: 2023-09-30}\n",
            6,
            "of 'nope': expected the id of a per: year",
        ),
        (QUOTA + "  - {id: q80, of: q1, share: 180%, by: 2023-09-30}\n", 6, "share '180%': expected a share above 0"),
        (
            QUOTA + "scoring:\n  - {id: s1, quota: q1, points: 10, floor: zero}\n",
            7,
            "floor 'zero': expected a number",
        ),
        (
            "quotas:\n  - {id: cap, count: trips, who: region, per: year, at_most: 4}\n"
            "scoring:\n  - {id: s1, quota: cap, points: 10, partial: true}\n",
            7,
            "partial True: expected points: alone on a ceiling (at_most) quota",
        ),
        (
            QUOTA + "red_black:\n  - {id: rb, ranking: nope, red: 1}\n",
            7,
            "ranking 'nope': expected the id of a ranking of the year (not a campaign)",
        ),
        (QUOTA + "red_black:\n  - {id: rb, quota: q1}\n", 7, "red_black 'rb': expected ranking: with red:/black:"),
        (
            QUOTA + "rankings:\n  - {id: r1, among: {each: center}, by: [{quota: q1, measure: percent}]}\n",
            7,
            "by.quota 'q1': expected a quota for the same subjects as among (r1)",
        ),
        (
            QUOTA + "rankings:\n  - {id: r1, among: {each: town}, by: [{quota: q1, measure: share}]}\n",
            7,
            "by.measure 'share': expected percent or pace",
        ),
        (
            "rankings:\n  - {id: r1, among: {each_person: staff}, by: [{sum: funds}]}\n",
            5,
            "by 'funds': expected an activity count (trips, visits …) to rank people on",
        ),
        ("bulletin: [nope]\n", 4, "bulletin 'nope': expected the id of a quota in this file"),
        ("manual:\n  - {text: 某句}\n", 5, "manual 'reason': expected a `reason:` entry"),
        (QUOTA.replace("at_least: 4}", "at_least: 4, text: ''}"), 5, "text '': expected the plan's sentence"),
    ],
)
def test_a_wrong_new_key_is_refused_with_its_line(zs, tmp_path, body, line, message):
    path = tmp_path / "targets.yaml"
    path.write_text(HEAD + body, encoding="utf-8")
    error = zs.fails("targets", "check", path)
    assert error.startswith(f"zs: {path}:{line}: {message}"), error
