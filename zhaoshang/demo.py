"""A plausible year of 文昌湖区 records (2023-01-01 to the demo's as-of day), always the same.

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


def _days(rng: random.Random, month: int, count: int) -> list[date]:
    start = date(2023, month, 1)
    last = (date(2023, month + 1, 1) if month < 12 else date(2024, 1, 1)) - timedelta(days=1)
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
        return ledger.log_activity(session, kind=kind, unit=unit, day=day, **fields)

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
    center_modes = [Mode.quick] * 8 + [Mode.via_business] * 7 + [Mode.self_run] * 10 + [Mode.team] * 3
    rng.shuffle(center_modes)
    for month in months:
        # the centre: two or three trips a month, led by its main leader once a month
        for i, day in enumerate(_days(rng, month, 2 + (month % 3 == 0))):
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
                day = _days(rng, month, 1)
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
            for day in _days(rng, month, visits):
                log(ActivityKind.visit, town, day, leader=deputies[town], companies=[rng.choice(COMPANIES)])
        for day in _days(rng, month, rng.randint(3, 5)):
            log(ActivityKind.visit, "区投资促进中心", day, companies=[rng.choice(COMPANIES)])
        for day in _days(rng, month, 1):
            log(
                ActivityKind.reception,
                rng.choice(["萧镇", "商家镇", "区投资促进中心"]),
                day,
                companies=[rng.choice(COMPANIES)],
                note="客商来访考察",
            )
        if month in (3, 4, 5, 6, 8, 9, 10, 11) and month != 8:
            for day in _days(rng, month, 1):
                log(
                    ActivityKind.event,
                    "区投资促进中心",
                    day,
                    event_type=EventType.fair,
                    destination=rng.choice(PLACES),
                    note="组织外贸企业参展",
                )
        if month % 3 == 0:
            for day in _days(rng, month, 1):
                log(
                    ActivityKind.meeting, "区投资促进中心", day, leader=leaders["区投资促进中心"], note="季度招商调度会"
                )
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

    ids = []
    for name, unit, amount, industry, key, steps, deadline in PROJECTS:
        first_stage, m, d = steps[0]
        project = ledger.add_project(
            session,
            name=name,
            unit=unit,
            amount_yuan=amount,
            stage=Stage(first_stage),
            day=date(2023, m, d),
            industry=industry,
            key=key,
            owner=deputies.get(unit),
            leader=leaders[unit],
            company=f"{name[:4]}投资有限公司",
        )
        counts["projects"] += 1
        for stage, m, d in steps[1:]:
            ledger.advance_project(
                session,
                str(project.id),
                to=Stage(stage),
                day=date(2023, m, d),
                deadline=deadline if stage == "signed" else None,
                reason="企业投资计划调整" if stage == "dropped" else None,
            )
        ids.append(project.id)
    for index, month, day, amount, origin in FUNDS:
        ledger.add_fund(session, str(ids[index]), amount_yuan=amount, origin=origin, day=date(2023, month, day))
        counts["funds"] += 1
    for index, (name, *_rest) in enumerate(PROJECTS):
        if PROJECTS[index][4]:
            for month in months:
                if month == AS_OF.month and index % 2:
                    continue  # some key projects have no note yet this month
                ledger.add_note(session, str(ids[index]), f"{month}月：对接推进{name}相关手续", date(2023, month, 10))
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
    return counts


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
    ledger.log_activity(
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
    fair = ledger.log_activity(
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
