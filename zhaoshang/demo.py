"""Two plausible years of 文昌湖区 records (2022 whole, 2023 to the demo's as-of day), always the same.

Written through the same ledger functions staff use, in one transaction, against the units and
people of the shipped targets.yaml: trips of every 招商方式, monthly enterprise visits, receptions,
fairs, projects moving 线索 → 在谈 → 签约 → 开工 → 投产 with funds, notes and problems, one
duplicate voided, one signed project past its start deadline.
"""

import random
from datetime import date, timedelta

from sqlmodel import Session

from zhaoshang import figures, ledger, progress, register
from zhaoshang.labels import ActivityKind, EventType, Mode, Origin, ProjectType, Stage, Tier
from zhaoshang.parse import month_period

AS_OF = date(2023, 11, 15)  # the records run to this day
BULLETIN_AS_OF = date(2023, 9, 30)  # the quarter bulletin the demo prints: 2023Q3 at quarter end
COMPANIES = [
    "齐鲁石化配套企业",
    "淄博鲁中新材料",
    "山东华联机械",
    "博山陶瓷科技",
    "文昌湖文旅集团",
    "淄川耐材",
    "鲁泰纺织",
    "金城医药",
    "新华制药",
    "东岳化工",
    "山东铝业",
    "万华化学配套",
    "海尔智家供应商",
    "比亚迪配套厂",
    "宁德时代供应链",
    "京东方配套",
    "浪潮云计算",
    "潍柴动力配套",
    "青岛啤酒",
    "鲁花集团",
]
PLACES = ["深圳", "上海", "苏州", "杭州", "北京", "广州", "宁波", "青岛", "济南", "天津", "合肥", "东莞"]
PROJECTS = [
    # name, unit, amount (yuan), industry, key, [(stage, month, day)], start deadline
    (
        "新能源电池隔膜项目",
        "萧镇",
        350_000_000,
        "新能源",
        True,
        [("negotiating", 1, 12), ("signed", 3, 20), ("started", 6, 8)],
        date(2023, 6, 30),
    ),
    (
        "高端陶瓷材料产业园",
        "商家镇",
        1_200_000_000,
        "新材料",
        True,
        [("negotiating", 2, 3), ("signed", 5, 18), ("started", 9, 26)],
        date(2023, 9, 30),
    ),
    (
        "文旅康养综合体",
        "区文化旅游部",
        800_000_000,
        "文旅康养",
        True,
        [("negotiating", 3, 8), ("signed", 7, 12)],
        date(2023, 10, 31),
    ),
    (
        "智能装备制造基地",
        "区投资促进中心",
        260_000_000,
        "智能制造",
        True,
        [("negotiating", 1, 20), ("signed", 4, 6), ("started", 5, 28), ("producing", 10, 30)],
        date(2023, 6, 30),
    ),
    (
        "生物医药中间体项目",
        "萧镇",
        150_000_000,
        "生物医药",
        False,
        [("negotiating", 4, 2), ("signed", 8, 9)],
        date(2024, 3, 31),
    ),
    (
        "精密铸造技改项目",
        "商家镇",
        60_000_000,
        "装备制造",
        False,
        [("negotiating", 2, 15), ("signed", 4, 25), ("started", 7, 3)],
        date(2023, 8, 31),
    ),
    ("数字经济产业园", "区经济发展部", 500_000_000, "数字经济", True, [("negotiating", 6, 16)], None),
    (
        "冷链物流中心",
        "区投资促进中心",
        180_000_000,
        "现代物流",
        False,
        [("negotiating", 5, 10), ("signed", 9, 20)],
        date(2024, 1, 31),
    ),
    ("光伏储能一体化项目", "萧镇", 420_000_000, "新能源", True, [("negotiating", 8, 22)], None),
    ("环保新材料项目", "商家镇", 90_000_000, "新材料", False, [("negotiating", 3, 30), ("dropped", 8, 1)], None),
    ("乡村振兴田园综合体", "区社会事务部", 120_000_000, "文旅康养", False, [("lead", 9, 5)], None),
    ("氢能装备配套项目", "区投资促进中心", 300_000_000, "新能源", False, [("lead", 10, 18)], None),
]
NOTE_STEPS = [  # a key project's monthly 推进情况, as the 台账 notes it (the date column carries the day)
    "对接推进立项相关手续",
    "协调解决用地、规划问题",
    "跟进环评、能评审批",
    "督促施工单位进场",
]
FUNDS = [  # project index, month, day, amount, origin
    (0, 4, 15, 80_000_000, Origin.out_of_province),
    (0, 7, 20, 60_000_000, Origin.out_of_province),
    (1, 6, 30, 100_000_000, Origin.out_of_province),
    (1, 10, 10, 90_000_000, Origin.foreign),
    (3, 5, 5, 70_000_000, Origin.out_of_province),
    (3, 8, 18, 50_000_000, Origin.local),
    (5, 7, 25, 30_000_000, Origin.local),
    (2, 9, 12, 40_000_000, Origin.out_of_province),
    (4, 10, 20, 20_000_000, Origin.out_of_province),
]


def _days(rng: random.Random, month: int, count: int, year: int) -> list[date]:
    start = date(year, month, 1)
    last = (date(year, month + 1, 1) if month < 12 else date(year + 1, 1, 1)) - timedelta(days=1)
    last = min(last, AS_OF)
    span = (last - start).days + 1
    return sorted(start + timedelta(days=rng.randrange(span)) for _ in range(count)) if span > 0 else []


def build(session: Session) -> dict[str, int]:
    """Write the demo year into an empty ledger that holds the shipped units and people."""
    rng = random.Random(2023)
    counts = {"activities": 0, "projects": 0, "funds": 0, "notes": 0}

    def log(kind, unit, day, **fields):
        counts["activities"] += 1
        progress.advance()
        return ledger.add_activity(session, kind=kind, unit=unit, day=day, **fields)

    leaders = {
        "区投资促进中心": "张国栋",
        "萧镇": "王明",
        "商家镇": "刘海涛",
        "区经济发展部": "周建华",
        "区文化旅游部": "吴凤英",
        "区社会事务部": "郑伟",
    }
    deputies = {"区投资促进中心": "李晓燕", "萧镇": "孙志强", "商家镇": "陈静"}
    months = range(1, AS_OF.month + 1)
    _months(log, rng, 2023, months, leaders, deputies)
    for department in ("区经济发展部", "区文化旅游部"):
        for month in (4, 9):
            log(
                ActivityKind.trip,
                department,
                date(2023, month, 14),
                leader=leaders[department],
                destination=rng.choice(PLACES),
            )
    duplicate = log(ActivityKind.trip, "萧镇", date(2023, 5, 9), leader="王明", destination="深圳")
    ledger.void_activity(session, duplicate.id, "与5月8日外出招商重复录入")

    people = (leaders, deputies)
    ids = _projects(session, 2023, PROJECTS, FUNDS, people, counts, "投资有限公司", "企业投资计划调整")
    for index, project in enumerate(PROJECTS):
        if project[4]:
            for month in months:
                if month == AS_OF.month and index % 2:
                    continue  # some key projects have no note yet this month
                step = NOTE_STEPS[month % len(NOTE_STEPS)]
                ledger.add_note(session, str(ids[index]), step, date(2023, month, 10))
                counts["notes"] += 1
    ledger.add_note(
        session,
        str(ids[2]),
        "用地指标尚未落实，需区级协调",
        date(2023, 10, 20),
        problem=True,
        assignee="区自然资源局",
        due=date(2023, 11, 10),
    )
    ledger.add_note(session, str(ids[6]), "企业对电价政策有顾虑", date(2023, 11, 2), problem=True)
    solved = ledger.add_note(
        session, str(ids[0]), "施工用电接入滞后", date(2023, 5, 20), problem=True, assignee="区供电中心"
    )
    ledger.resolve_problem(session, solved.id, date(2023, 6, 2), "供电中心专线接入")
    counts["notes"] += 3
    _new_vocabulary(session, counts, leaders, deputies)
    _year_before(session, log, counts, leaders, deputies)
    return counts


def _months(log, rng: random.Random, year: int, months: range, leaders: dict, deputies: dict) -> None:
    """A year's round of trips, visits, receptions, fairs and dispatch meetings, month by month."""
    center_modes = [Mode.quick] * 8 + [Mode.via_business] * 7 + [Mode.self_run] * 10 + [Mode.team] * 3
    rng.shuffle(center_modes)
    for month in months:
        # the centre: two or three trips a month, led by its main leader once a month
        for i, day in enumerate(_days(rng, month, 2 + (month % 3 == 0), year)):
            log(
                ActivityKind.trip,
                "区投资促进中心",
                day,
                end=day + timedelta(days=rng.randint(0, 2)),
                leader=leaders["区投资促进中心"] if i == 0 else deputies["区投资促进中心"],
                participants=["赵磊"] if i == 1 else [],  # the centre's staff goes on its second trip of a month
                mode=center_modes.pop() if center_modes else Mode.team,
                destination=rng.choice(PLACES),
                companies=rng.sample(COMPANIES, 2),
            )
        # towns: a trip in most months; visits to two or three companies (商家镇 slips in summer)
        for town in ("萧镇", "商家镇"):
            if month % 3 != 2:
                day = _days(rng, month, 1, year)
                if day:
                    log(
                        ActivityKind.trip,
                        town,
                        day[0],
                        leader=leaders[town],
                        mode=Mode.door,
                        destination=rng.choice(PLACES),
                    )
            visits = 1 if (town == "商家镇" and month in (7, 8)) else rng.randint(2, 3)
            for day in _days(rng, month, visits, year):
                log(ActivityKind.visit, town, day, leader=deputies[town], companies=[rng.choice(COMPANIES)])
        for day in _days(rng, month, rng.randint(3, 5), year):
            log(ActivityKind.visit, "区投资促进中心", day, companies=[rng.choice(COMPANIES)])
        for day in _days(rng, month, 1, year):
            log(
                ActivityKind.reception,
                rng.choice(["萧镇", "商家镇", "区投资促进中心"]),
                day,
                companies=[rng.choice(COMPANIES)],
                note="客商来访考察",
            )
        if month in (3, 4, 5, 6, 8, 9, 10, 11) and month != 8:
            for day in _days(rng, month, 1, year):
                log(
                    ActivityKind.event,
                    "区投资促进中心",
                    day,
                    event_type=EventType.fair,
                    destination=rng.choice(PLACES),
                    note="组织外贸企业参展",
                )
        if month % 3 == 0:
            for day in _days(rng, month, 1, year):
                log(
                    ActivityKind.meeting, "区投资促进中心", day, leader=leaders["区投资促进中心"], note="季度招商调度会"
                )


# 2022, the year before: its projects all moved on or dropped within the year (none is a key project
# of 2023), so that 2023's reports read as before while forecasts have a season and stage moves to learn from.
EARLIER_PROJECTS = [
    (
        "纺织印染升级项目",
        "商家镇",
        110_000_000,
        "纺织服装",
        False,
        [("lead", 1, 10), ("negotiating", 2, 14), ("signed", 5, 20), ("started", 8, 2), ("producing", 12, 6)],
        None,
    ),
    (
        "汽车零部件项目",
        "萧镇",
        230_000_000,
        "装备制造",
        False,
        [("negotiating", 1, 18), ("signed", 4, 22), ("started", 7, 15), ("producing", 11, 28)],
        None,
    ),
    (
        "电子元器件项目",
        "区投资促进中心",
        180_000_000,
        "电子信息",
        False,
        [("negotiating", 2, 25), ("signed", 6, 30), ("started", 10, 12), ("producing", 12, 28)],
        None,
    ),
    (
        "现代物流仓储项目",
        "区经济发展部",
        90_000_000,
        "现代物流",
        False,
        [("negotiating", 4, 8), ("signed", 8, 16), ("started", 11, 3), ("producing", 12, 20)],
        None,
    ),
    ("精细化工项目", "萧镇", 300_000_000, "新材料", False, [("negotiating", 3, 21), ("dropped", 9, 30)], None),
    (
        "陶瓷新材料项目",
        "商家镇",
        150_000_000,
        "新材料",
        False,
        [("negotiating", 1, 26), ("signed", 3, 29), ("started", 6, 18), ("producing", 10, 25)],
        None,
    ),
    (
        "康养社区项目",
        "区文化旅游部",
        260_000_000,
        "文旅康养",
        False,
        [("negotiating", 5, 6), ("signed", 9, 18), ("started", 11, 12), ("producing", 12, 30)],
        None,
    ),
]
EARLIER_FUNDS = [  # index into EARLIER_PROJECTS (laid out as PROJECTS), month, day, amount, origin
    (1, 5, 16, 60_000_000, Origin.out_of_province),
    (5, 6, 28, 40_000_000, Origin.out_of_province),
    (0, 9, 9, 30_000_000, Origin.local),
    (2, 10, 20, 70_000_000, Origin.out_of_province),
    (1, 11, 30, 50_000_000, Origin.out_of_province),
    (6, 12, 15, 80_000_000, Origin.out_of_province),
]


def _projects(
    session: Session, year: int, projects: list, funds: list, people: tuple, counts: dict, company: str, dropped: str
) -> list[int]:
    """A year's projects through their stages (`dropped`: the reason one is dropped), then their funds."""
    leaders, deputies = people
    ids = []
    for name, unit, amount, industry, key, steps, deadline in projects:
        first_stage, m, d = steps[0]
        project = ledger.add_project(
            session,
            name=name,
            unit=unit,
            amount_yuan=amount,
            stage=Stage(first_stage),
            day=date(year, m, d),
            industry=industry,
            key=key,
            owner=deputies.get(unit),
            leader=leaders[unit],
            company=f"{name[:4]}{company}",
        )
        counts["projects"] += 1
        for stage, m, d in steps[1:]:
            ledger.advance_project(
                session,
                str(project.id),
                to=Stage(stage),
                day=date(year, m, d),
                deadline=deadline if stage == "signed" else None,
                reason=dropped if stage == "dropped" else None,
            )
        ids.append(project.id)
    for index, month, day, amount, origin in funds:
        ledger.add_fund(session, str(ids[index]), amount_yuan=amount, origin=origin, day=date(year, month, day))
        counts["funds"] += 1
    return ids


def _year_before(session: Session, log, counts: dict[str, int], leaders: dict, deputies: dict) -> None:
    """2022 whole: the same round of work, seven projects and their funds."""
    _months(log, random.Random(2022), 2022, range(1, 13), leaders, deputies)
    for department in ("区经济发展部", "区文化旅游部"):
        log(ActivityKind.trip, department, date(2022, 6, 9), leader=leaders[department], destination="上海")
    people = (leaders, deputies)
    _projects(session, 2022, EARLIER_PROJECTS, EARLIER_FUNDS, people, counts, "有限公司", "企业资金链紧张，暂缓投资")


# Two 考核办法 for `zs targets backtest`: the shipped plan with a scoring section each. The plan sets
# no year-end score; these points are the demo's own, to try the command on, not any plan's.
UNITS = "[区投资促进中心, 萧镇, 商家镇, 区经济发展部, 区文化旅游部, 区社会事务部]"
SCORING_IN_FORCE = """
scoring:
  - {id: trips-town, title: 镇外出招商, quota: town-trips, points: 30, partial: true}
  - {id: trips-department, title: 部门外出招商, quota: department-trips, points: 30, partial: true}
  - {id: trips-center, title: 投促中心外出招商, quota: center-trips, points: 30, partial: true}
  - {id: visits-town, title: 镇走访企业, quota: town-visits, points: 20, partial: true}
  - {id: visits-center, title: 投促中心走访企业, quota: center-visits, points: 20, partial: true}
"""
SCORING_DRAFT = f"""
scoring:
  - {{id: trips-town, title: 镇外出招商, quota: town-trips, points: 20, partial: true}}
  - {{id: trips-department, title: 部门外出招商, quota: department-trips, points: 20, partial: true}}
  - {{id: trips-center, title: 投促中心外出招商, quota: center-trips, points: 20, partial: true}}
  - {{id: visits-town, title: 镇走访企业, quota: town-visits, points: 10, partial: true}}
  - {{id: visits-center, title: 投促中心走访企业, quota: center-visits, points: 10, partial: true}}
  - id: signed-projects
    title: 签约项目
    count: projects
    where: {{reached: signed}}
    who: {{units: {UNITS}}}
    points_each: 5
"""
PLAN_MARK = "# zs demo: "  # the first line of each file: a later demo may write over it


def scoring_plans(plan: str) -> dict[str, str]:
    """The two example files' text by name ("scoring": in force, "draft"), from the shipped plan's."""
    return {
        "scoring": f"{PLAN_MARK}an example 考核办法 in force; its points are the demo's own.\n{plan}{SCORING_IN_FORCE}",
        "draft": f"{PLAN_MARK}an example draft: fewer points for trips and visits, 5 a signed project.\n"
        f"{plan}{SCORING_DRAFT}",
    }


# Tiers of some of the demo's companies, as the register 客商库 holds them.
TIERS = {
    "浪潮云计算": [Tier.china500],
    "潍柴动力配套": [Tier.china500, Tier.listed],
    "青岛啤酒": [Tier.listed],
    "鲁花集团": [Tier.private500],
    "万华化学配套": [Tier.listed],
}
# 外贸进出口 reported month by month (手工填报), in yuan: the two towns together (萧镇 three fifths).
TRADE = [
    31_200_000,
    27_500_000,
    33_800_000,
    30_100_000,
    35_600_000,
    29_900_000,
    32_400_000,
    34_700_000,
    30_800_000,
    36_200_000,
]


def _new_vocabulary(session: Session, counts: dict[str, int], leaders: dict, deputies: dict) -> None:
    """A joint trip of the centre and 萧镇, tiers in the company register, an 增资 project signed at a
    fair, and the 外贸进出口 figures reported each month: the records a plan talks about."""
    for name, tiers in TIERS.items():
        register.set_company(session, name, add_tiers=tiers)
    ledger.add_activity(
        session,
        kind=ActivityKind.trip,
        unit=["区投资促进中心", "萧镇"],
        day=date(2023, 6, 19),
        end=date(2023, 6, 21),
        leader=leaders["区投资促进中心"],
        participants=[leaders["萧镇"], deputies["萧镇"]],
        mode=Mode.team,
        destination="深圳",
        companies=["比亚迪配套厂", "潍柴动力配套"],
        note="联合招商：区投资促进中心与萧镇共同赴深圳",
    )
    fair = ledger.add_activity(
        session,
        kind=ActivityKind.event,
        unit=["区投资促进中心", "商家镇"],
        day=date(2023, 9, 8),
        event_type=EventType.fair,
        destination="厦门",
        companies=["鲁泰纺织"],
        note="中国投资贸易洽谈会",
    )
    counts["activities"] += 2
    project = ledger.add_project(
        session,
        name="鲁泰纺织增资扩产项目",
        unit="商家镇",
        amount_yuan=600_000_000,
        stage=Stage.negotiating,
        day=date(2023, 7, 3),
        company="鲁泰纺织",
        industry="纺织服装",
        owner=deputies["商家镇"],
        leader=leaders["商家镇"],
        type=ProjectType.expansion,
        increase_yuan=150_000_000,
    )
    ledger.advance_project(session, str(project.id), to=Stage.signed, day=date(2023, 9, 8), event=fair.id)
    counts["projects"] += 1
    for month, amount in enumerate(TRADE, start=1):  # by town: the 岗位练兵比武 compares their 外贸进出口
        xiao = amount * 3 // 5
        for town, share in (("萧镇", xiao), ("商家镇", amount - xiao)):
            figures.set_figure(session, "外贸进出口", month_period(2023, month), share, unit=town, note="区统计局")
    counts["figures"] = 2 * len(TRADE)
