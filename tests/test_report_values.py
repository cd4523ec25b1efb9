"""Each report kind built from a fake ledger (no database): exact values in, exact typed values out,
and the sentences render/words.py makes of them."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from zhaoshang.config import RankBy, Ranking, ScoreRule, Targets
from zhaoshang.labels import Origin, Role, Stage, Status, UnitKind
from zhaoshang.parse import month_period, quarter_period, year_period
from zhaoshang.quota import REGION, Filter, Metric, Op, Per, Quota, Scope, SpanBySpan, Who
from zhaoshang.records import CountedRecord, ProjectState
from zhaoshang.render import words
from zhaoshang.reports import (
    AlertKind,
    Basis,
    KeyCategory,
    RankingEntry,
    UnitFigures,
    build_alerts,
    build_month,
    build_quarter,
    build_rank,
    build_score,
    key_category,
)

D = date.fromisoformat
TRIPS = Metric(Op.count, "trips")
FUNDS = Metric(Op.sum, "funds", Filter(origin=Origin.out_of_province))
SIGNED = Metric(Op.count, "projects", Filter(reached=Stage.signed))
BIG = Metric(Op.count, "projects", Filter(reached=Stage.signed, amount_at_least=100_000_000))
TOWNS = Who(Scope.each, kind=UnitKind.town)
LEADERS = Who(Scope.each_person, kind=UnitKind.town, role=Role.main_leader)


class Ledger(SpanBySpan):
    """A ledger reduced to what reports ask: figures by (metric, period start), projects, active units."""

    def __init__(self, figures, projects=(), active=(), late=None, records=()):
        self.figures, self.projects, self.active, self.late, self.counted = figures, projects, active, late, records

    def subjects(self, who):
        if who.scope is Scope.region:
            return [REGION]
        if who.scope is Scope.each_person:
            return ["王明", "李强"]
        return ["萧镇", "商家镇"]

    def person_units(self):
        return {"王明": "萧镇", "李强": "商家镇"}

    def measure(self, metric, who, start, end, as_of=None):
        return {k: Decimal(v) for k, v in self.figures.get((metric, start), {}).items()}

    def records(self, metric, who, start, end, as_of=None):
        return [r for r in self.counted if start <= r.date <= end]

    def projects_at(self, as_of, stages, month_start):
        return [p for p in self.projects if p.stage in stages]

    def late_starts(self, metric, who, start, end, as_of=None):
        return {}

    def active_units(self, start, end):
        return set(self.active)


def plan(quotas=(), rankings=(), scoring=()):
    return Targets(
        path=Path("plan.yaml"),
        region="文昌湖区",
        year=2023,
        units={"萧镇": UnitKind.town, "商家镇": UnitKind.town},
        people=[],
        quotas=list(quotas),
        rankings=list(rankings),
        scoring=list(scoring),
    )


def project(id, name, stage, key=False, deadline=None, progress=(), problems=()):
    return ProjectState(
        id,
        name,
        "萧镇",
        150_000_000,
        stage,
        D("2023-02-01"),
        key=key,
        owner="孙志强",
        leader="王明",
        start_deadline=deadline,
        progress=progress,
        problems=problems,
    )


Q1 = quarter_period(2023, 1)


def test_the_quarter_bulletin_holds_each_units_four_figures_the_quota_rows_and_the_rankings():
    figures = {
        (FUNDS, Q1.start): {"萧镇": 50_000_000},
        (BIG, Q1.start): {"萧镇": 1},
        (SIGNED, Q1.start): {"萧镇": 2, "商家镇": 1},
        (TRIPS, Q1.start): {"萧镇": 3, "商家镇": 1},
    }
    quota = Quota("town-trips", "镇外出招商", TRIPS, TOWNS, Per.quarter, Decimal(2))
    race = Ranking("race", "竞赛", TOWNS, (RankBy(TRIPS, Decimal("0.6")), RankBy(SIGNED, Decimal("0.4"))))
    report = build_quarter(plan([quota], [race]), Ledger(figures), Q1, D("2023-03-31"))
    assert words.document_title(report) == "文昌湖区2023年第一季度招商引资工作通报"
    assert [c.id for c in report.columns] == ["outside_funds_yuan", "big_projects", "signed_projects", "trips"]
    assert report.units == [
        UnitFigures("萧镇", (Decimal(50_000_000), Decimal(1), Decimal(2), Decimal(3))),
        UnitFigures("商家镇", (Decimal(0), Decimal(0), Decimal(1), Decimal(1))),
    ]
    assert [(r.subject, r.actual, r.expected, r.percent, r.status) for r in report.quotas] == [
        ("萧镇", Decimal(3), Decimal("2.00"), Decimal("150.0"), Status.met),
        ("商家镇", Decimal(1), Decimal("2.00"), Decimal("50.0"), Status.behind),  # can still be met that day
    ]
    [table] = report.rankings
    assert table.period == "2023Q1"
    assert table.entries == (
        RankingEntry("萧镇", (Decimal(3), Decimal(2)), (Decimal("100.00"), Decimal("100.00")), Decimal("100.00"), 1),
        RankingEntry("商家镇", (Decimal(1), Decimal(1)), (Decimal("33.33"), Decimal("50.00")), Decimal("40.00"), 2),
    )
    assert report.details == []


def test_the_month_report_lists_key_projects_and_traces_figures_to_records():
    march = month_period(2023, 3)
    record = CountedRecord("萧镇", "activity", 7, D("2023-03-13"), "trip", "深圳", "萧镇", None)
    projects = [
        project(1, "电池项目", Stage.signed, progress=("03-12 完成环评",), problems=("03-13 用地指标待落实",)),
        project(2, "文旅综合体", Stage.negotiating),
    ]
    quota = Quota("town-trips", "镇外出招商", TRIPS, TOWNS, Per.month, Decimal(1))
    ledger = Ledger({(TRIPS, march.start): {"萧镇": 1}}, projects, records=[record])
    report = build_month(plan([quota]), ledger, march, D("2023-03-31"), detail=True)
    assert [(key_category(p), p.id, p.progress, p.problems) for p in report.key_projects] == [
        (KeyCategory.signed, 1, ("03-12 完成环评",), ("03-13 用地指标待落实",)),
        (KeyCategory.negotiating, 2, (), ()),
    ]
    assert [(d.quota, d.period, d.table, d.id, d.text) for d in report.details] == [
        ("town-trips", "2023-03", "activity", 7, "深圳")  # once for the quota's period, not once per town
    ]
    assert [words.CATEGORY_WORDS[key_category(p)] for p in report.key_projects] == ["签约未落地", "在谈未签约"]


def test_alerts_carry_their_figures_and_read_as_the_office_says_them():
    june = month_period(2023, 6)
    projects = [
        project(1, "电池项目", Stage.signed, key=True, deadline=D("2023-06-10"), progress=("06-02 设备进场",)),
        project(2, "文旅综合体", Stage.negotiating, key=True),
    ]
    funds = Quota("outside-funds", "省外到位资金", FUNDS, Who(Scope.region), Per.year, Decimal(500_000_000))
    year = year_period(2023)
    report = build_alerts(
        plan([funds]),
        Ledger({(FUNDS, year.start): {REGION: 50_000_000}}, projects, active=["萧镇"]),
        june,
        D("2023-06-30"),
    )
    overdue, silent, blank, behind, will_miss = report.alerts
    assert (overdue.kind, overdue.project_id, overdue.deadline, overdue.days_late) == (
        AlertKind.overdue_start,
        1,
        D("2023-06-10"),
        20,
    )
    assert (silent.kind, silent.project_id, silent.month) == (AlertKind.silent_key_project, 2, "2023-06")
    assert (blank.kind, blank.unit, blank.month) == (AlertKind.blank_unit, "商家镇", "2023-06")
    assert (behind.kind, behind.unit, behind.actual, behind.target, behind.expected, behind.figures) == (
        AlertKind.behind_quota,
        REGION,
        Decimal(50_000_000),
        Decimal(500_000_000),
        Decimal(247_945_205),
        "money",
    )
    assert [(words.alert_subject(a), words.alert_detail(a), words.alert_responsible(a)) for a in report.alerts] == [
        ("#1 电池项目", "开工时限2023年6月10日，已超20天", "萧镇 孙志强、包保 王明"),
        ("#2 文旅综合体", "2023年6月无推进情况", "萧镇 孙志强、包保 王明"),
        ("商家镇", "2023年6月无任何招商活动（空白）", "商家镇"),
        ("省外到位资金 · 全区", "2023年：5000万元/5亿元，序时应达2.4795亿元", "全区"),
        ("全区", "省外到位资金（2023年）预计1.0083亿元，目标5亿元", "全区"),
    ]
    # 5000万元 in the 181 days to 30 June: 50,000,000 × 365 ÷ 181 = 100,828,729 by the year's end
    assert [(m.quota, m.actual, m.projected, m.target) for m in will_miss.misses] == [
        ("outside-funds", Decimal(50_000_000), Decimal(100_828_729), Decimal(500_000_000))
    ]


def test_score_lines_hold_every_figure_and_a_persons_points_go_to_their_unit():
    year = year_period(2023)
    leaders = Quota("leader-trips", "主要负责人外出招商", TRIPS, LEADERS, Per.year, Decimal(4))
    rules = [
        ScoreRule(
            "s-leader", "s-leader", quota="leader-trips", points=Decimal(10), partial=True, penalty_per_short=Decimal(2)
        ),
        ScoreRule("s-fair", "展会签约加分", metric=SIGNED, who=TOWNS, points_each=Decimal("0.5")),
    ]
    figures = {(TRIPS, year.start): {"王明": 5, "李强": 1}, (SIGNED, year.start): {"萧镇": 3}}
    report = build_score(plan([leaders], scoring=rules), Ledger(figures), year, D("2023-12-31"))
    assert [(s.unit, s.total, s.rank) for s in report.scores] == [
        ("萧镇", Decimal("11.50"), 1),
        ("商家镇", Decimal("-3.50"), 2),
    ]
    wang, fair = report.scores[0].lines
    assert (wang.basis, wang.person, wang.actual, wang.target, wang.earned, wang.extra) == (
        Basis.quota,
        "王明",
        Decimal(5),
        Decimal(4),
        Decimal("10.00"),
        Decimal(1),
    )
    assert (fair.basis, fair.actual, fair.points_each, fair.points) == (
        Basis.count,
        Decimal(3),
        Decimal("0.5"),
        Decimal("1.50"),
    )
    [li] = report.scores[1].lines
    assert (li.short, li.deduction, li.points) == (Decimal(3), Decimal(6), Decimal("-3.50"))
    assert [words.score_reason(line) for s in report.scores for line in s.lines] == [
        "王明: 5/4，得 10",
        "3 × 0.5",
        "李强: 1/4，得 2.5，差 3 扣 6",
    ]


def test_a_yearly_ranking_in_a_quarter_ranks_the_year_to_date():
    year = year_period(2023)
    race = Ranking("race", "竞赛", TOWNS, (RankBy(TRIPS, Decimal(1)),), Per.year)
    report = build_rank(plan(rankings=[race]), Ledger({(TRIPS, year.start): {"商家镇": 4}}), Q1, D("2023-03-31"))
    [table] = report.rankings
    assert (table.period, [(e.unit, e.score, e.rank) for e in table.entries]) == (
        "2023",
        [("商家镇", Decimal("100.00"), 1), ("萧镇", Decimal("0.00"), 2)],
    )
    assert words.document_title(report) == "文昌湖区2023年第一季度招商引资竞赛榜"


def test_only_a_quota_row_of_the_region_reads_as_全区_and_a_kind_given_as_text_reads_as_its_enum():
    from zhaoshang.reports import Alert

    blank = Alert(AlertKind.blank_unit, REGION, month="2023-06")  # a unit that happens to be named region
    assert (words.alert_subject(blank), words.alert_responsible(blank)) == ("region", "region")
    late = Alert("overdue_start", "萧镇", 1, "电池项目", deadline=D("2023-06-10"), days_late=20)
    assert words.alert_detail(late) == "开工时限2023年6月10日，已超20天"


def test_the_ledger_answers_every_question_the_reports_ask_with_the_same_parameters():
    import inspect

    from zhaoshang.facts import LedgerFacts
    from zhaoshang.reports import ReportFacts

    asked = {name for name in dir(ReportFacts) if not name.startswith("_")}
    assert asked == {
        "subjects",
        "person_units",
        "measure",
        "measure_spans",
        "records",
        "projects_at",
        "late_starts",
        "active_units",
    }
    for name in asked:
        wanted = inspect.signature(getattr(ReportFacts, name)).parameters
        given = inspect.signature(getattr(LedgerFacts, name)).parameters
        assert list(given) == list(wanted), name
        assert [p.default for p in given.values()] == [p.default for p in wanted.values()], name


@pytest.mark.parametrize(
    "label, shown",
    [
        ("2023", "2023年"),
        ("2023H2", "2023年下半年"),
        ("2023Q3", "2023年第三季度"),
        ("2023-09", "2023年9月"),
        ("2023-04-H1", "2023年4月上半月"),
        ("2023-W07", "2023年第7周"),
        ("2023-F13", "2023年第13个双周"),
        ("2023-01-01~2023-06-30", "2023年1—6月"),
        ("2023-07-01~2023-09-30", "2023年7—9月"),
        ("2023-07-15~2023-09-30", "2023年7月15日—9月30日"),
        ("2023-12-30~2024-01-02", "2023年12月30日—2024年1月2日"),
        ("autumn-push", "金秋招商月活动"),
        ("autumn-push-F2", "金秋招商月活动第2个双周"),
        ("2023-13", "2023-13"),  # not a month: as it is
    ],
)
def test_a_period_reads_as_an_office_writes_it(label, shown):
    assert words.period(label, {"autumn-push": "金秋招商月活动"}) == shown
