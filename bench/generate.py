"""A city-sized ledger for the benchmark: written straight into a migrated zs ledger with sqlite3.

Ten years (2015–2024) of activities across a given number of units, projects moving through their
stages with dated milestones, funds arrived, and a targets.yaml naming those units with quotas like
the shipped ones. Deterministic for a given seed.
"""

import random
import sqlite3
from datetime import date, timedelta
from pathlib import Path

FIRST, YEARS = date(2015, 1, 1), 10
DAYS = (date(FIRST.year + YEARS, 1, 1) - FIRST).days
MODES = ["team", "quick", "via_business", "self_run", "kinship", "door", None]
EVENT_TYPES = ["promotion", "fair", "signing", "training"]
PLACES = ["深圳", "上海", "苏州", "杭州", "北京", "广州", "宁波", "青岛"]
AMOUNTS = [30_000_000, 50_000_000, 80_000_000, 120_000_000, 200_000_000, 500_000_000, 1_200_000_000]


def unit_names(count: int) -> list[tuple[str, str]]:
    """(name, kind): one centre, then towns, parks and departments in proportion."""
    units = [("投资促进中心", "center")]
    rest = count - 1
    towns, parks = rest * 30 // 100, rest * 20 // 100
    units += [(f"镇{i:03d}", "town") for i in range(1, towns + 1)]
    units += [(f"园区{i:03d}", "park") for i in range(1, parks + 1)]
    units += [(f"部门{i:03d}", "department") for i in range(1, rest - towns - parks + 1)]
    return units


def write_targets(path: Path, units: list[tuple[str, str]]) -> Path:
    lines = ["region: 基准市", "year: 2024", "units:"]
    lines += [f"  {name}: {kind}" for name, kind in units]
    lines += [
        "quotas:",
        "  - {id: town-trips, title: 镇外出招商, count: trips, who: {each: town}, per: year, at_least: 4}",
        "  - {id: park-trips, title: 园区外出招商, count: trips, who: {each: park}, per: year, at_least: 4}",
        "  - {id: dept-trips, title: 部门外出招商, count: trips, who: {each: department}, per: year, at_least: 2}",
        "  - {id: center-trips, title: 中心外出招商, count: trips, who: {each: center}, per: year, at_least: 20}",
        "  - {id: town-visits, title: 镇走访企业, count: companies_visited, who: {each: town}, per: month,"
        " at_least: 2}",
        "  - {id: leader-trips, title: 主要领导带队, count: trips, where: {led_by: main_leader}, who: region,"
        " per: month, at_least: 1}",
        "  - {id: receptions, title: 接待客商, count: receptions, who: {each: town}, per: quarter, at_least: 1}",
        "  - {id: visits, title: 全市走访企业, count: visits, who: region, per: year, at_least: 1000}",
        "  - {id: all-receptions, title: 全市接待客商, count: receptions, who: region, per: year, at_least: 500}",
        "  - {id: big-projects, title: 过亿元项目, count: projects, where: {reached: signed, amount_at_least: 1亿},"
        " who: region, per: year, at_least: 300}",
        "  - {id: outside-funds, title: 省外到位资金, sum: funds, where: {origin: out_of_province}, who: region,"
        " per: year, at_least: 500亿}",
        "  - {id: start-rate, title: 开工率, rate: started_per_signed, who: {each: town}, per: year, at_least: 0.6}",
        "rankings:",
        "  - id: race",
        "    title: 竞赛榜",
        "    among: {each: town}",
        "    by:",
        "      - {sum: funds, where: {origin: out_of_province}, weight: 0.4}",
        "      - {count: projects, where: {reached: signed, amount_at_least: 1亿}, weight: 0.3}",
        "      - {count: trips, weight: 0.3}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def populate(ledger: Path, units: list[tuple[str, str]], activities: int, projects: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    conn = sqlite3.connect(ledger)
    stamp = ("2025-01-01 00:00:00", "bench")
    with conn:
        conn.executemany(
            "INSERT INTO unit (name, kind, created_at) VALUES (?, ?, ?)", [(n, k, stamp[0]) for n, k in units]
        )
        unit_ids = [r[0] for r in conn.execute("SELECT id FROM unit ORDER BY id")]
        people = []
        for uid in unit_ids:
            people += [(f"主任{uid}", uid, "main_leader", stamp[0]), (f"副职{uid}", uid, "deputy", stamp[0])]
        conn.executemany("INSERT INTO person (name, unit_id, role, created_at) VALUES (?, ?, ?, ?)", people)
        leaders = {uid: (2 * i + 1, 2 * i + 2) for i, uid in enumerate(unit_ids)}
        batch, companies, next_id = [], [], 1
        met: set[str] = set()  # the companies visited, for the register
        for _ in range(activities):
            uid = rng.choice(unit_ids)
            day = FIRST + timedelta(days=rng.randrange(DAYS))
            roll = rng.random()
            kind = (
                "trip"
                if roll < 0.3
                else "visit"
                if roll < 0.8
                else "reception"
                if roll < 0.9
                else "event"
                if roll < 0.95
                else "meeting"
            )
            leader = rng.choice(leaders[uid]) if rng.random() < 0.6 else None
            batch.append(
                (
                    next_id,
                    kind,
                    day.isoformat(),
                    (day + timedelta(days=1)).isoformat() if kind == "trip" else None,
                    uid,
                    leader,
                    rng.choice(MODES) if kind == "trip" else None,
                    rng.choice(EVENT_TYPES) if kind == "event" else None,
                    rng.choice(PLACES) if kind == "trip" else None,
                    *stamp,
                )
            )
            if kind in ("visit", "reception"):
                companies.append((next_id, f"企业{rng.randrange(50_000):05d}"))
                met.add(companies[-1][1])
            next_id += 1
            if len(batch) >= 50_000:
                _flush(conn, batch, companies)
        _flush(conn, batch, companies)
        conn.executemany(
            "INSERT INTO company (name, created_at, created_by) VALUES (?, ?, ?)", [(n, *stamp) for n in sorted(met)]
        )
        projects_rows, milestones, funds = [], [], []
        for pid in range(1, projects + 1):
            start = FIRST + timedelta(days=rng.randrange(DAYS - 60))
            stages = ["lead", "negotiating", "signed", "started", "producing"]
            reached = rng.choices(range(1, 6), weights=[20, 25, 25, 20, 10])[0]
            day = start
            for stage in stages[:reached]:
                milestones.append((pid, stage, day.isoformat(), 0, *stamp))
                day += timedelta(days=rng.randrange(5, 120))
            amount = rng.choice(AMOUNTS)
            projects_rows.append(
                (
                    pid,
                    f"项目{pid:05d}",
                    amount,
                    rng.choice(unit_ids),
                    int(rng.random() < 0.2),
                    stages[reached - 1],
                    *stamp,
                )
            )
            if reached >= 3:
                for _ in range(rng.randint(1, 3)):
                    when = start + timedelta(days=rng.randrange(30, 400))
                    funds.append(
                        (
                            pid,
                            amount // rng.randint(3, 10),
                            rng.choice(["out_of_province", "foreign", "local"]),
                            min(when, date(2024, 12, 31)).isoformat(),
                            *stamp,
                        )
                    )
        conn.executemany(
            "INSERT INTO project (id, name, amount_yuan, unit_id, is_key, stage, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            projects_rows,
        )
        conn.executemany(
            "INSERT INTO milestone (project_id, stage, date, forced, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?)",
            milestones,
        )
        conn.executemany(
            "INSERT INTO fund (project_id, amount_yuan, origin, date, created_at, created_by)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            funds,
        )
    conn.execute("ANALYZE")
    conn.close()


def _flush(conn, batch, companies) -> None:
    """A batch of activities with the links zs writes for each: its unit (activity_unit, what the
    reports count by) and its leader (activity_person, what a per-person quota counts)."""
    conn.executemany(
        "INSERT INTO activity (id, kind, date, end_date, unit_id, leader_id, mode, event_type, "
        "destination, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        batch,
    )
    conn.executemany(
        "INSERT INTO activity_unit (activity_id, unit_id, position) VALUES (?, ?, 0)", [(a[0], a[4]) for a in batch]
    )
    conn.executemany(
        "INSERT INTO activity_person (activity_id, person_id, position) VALUES (?, ?, 0)",
        [(a[0], a[5]) for a in batch if a[5] is not None],
    )
    conn.executemany("INSERT INTO activity_company (activity_id, company) VALUES (?, ?)", companies)
    batch.clear()
    companies.clear()


def write_import_csv(path: Path, units: list[tuple[str, str]], rows: int, seed: int = 11) -> Path:
    rng = random.Random(seed)
    names = [n for n, _ in units]
    kinds = ["外出招商", "走访企业", "接待客商", "推介会"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write("日期,单位,类型,带队领导,招商方式,目的地,企业\n")
        for _ in range(rows):
            day = FIRST + timedelta(days=rng.randrange(DAYS))
            kind = rng.choice(kinds)
            company = f"企业{rng.randrange(50_000):05d}" if kind in ("走访企业", "接待客商") else ""
            mode = "短频快" if kind == "外出招商" else ""
            place = rng.choice(PLACES) if kind == "外出招商" else ""
            handle.write(f"{day.isoformat()},{rng.choice(names)},{kind},,{mode},{place},{company}\n")
    return path


def write_journal(ledger: Path, path: Path, year: int = 2024) -> Path:
    """The ledger's records as an hledger journal, for `hledger bal --budget -M`: each activity a
    transaction of 1 posted to KIND:UNIT (and a trip led by a unit's main leader also to
    led-trips:UNIT), each signing of a project of 1亿 or more 1 to big-projects:UNIT, each fund in
    yuan to funds:ORIGIN:UNIT; budget rules (`~ monthly`, `~ quarterly`, `~ yearly`) for the
    quotas of `write_targets`. hledger counts visits where zs counts distinct companies visited and
    has no 开工率: the journal asks hledger for less than zs does."""
    conn = sqlite3.connect(ledger)
    units = dict(conn.execute("SELECT id, name FROM unit"))
    kinds = dict(conn.execute("SELECT id, kind FROM unit"))
    accounts = {"trip": "trips", "visit": "visits", "reception": "receptions", "event": "events", "meeting": "meetings"}
    with path.open("w", encoding="utf-8") as out:
        monthly, quarterly, yearly = ["~ monthly"], ["~ quarterly"], ["~ yearly"]
        for uid, name in units.items():
            kind = kinds[uid]
            if kind == "town":
                monthly.append(f"    visits:{name}  2")
                quarterly.append(f"    receptions:{name}  1")
            yearly.append(f"    trips:{name}  {dict(town=4, park=4, department=2, center=20)[kind]}")
        monthly.append("    led-trips  1")
        yearly += [
            "    visits  1000",
            "    receptions  500",
            "    big-projects  300",
            "    funds:out_of_province  50000000000",
        ]
        for rule in (monthly, quarterly, yearly):
            out.write("\n".join([*rule, "    budget", "", ""]))
        rows = conn.execute(
            "SELECT a.date, a.kind, a.unit_id, p.role FROM activity a LEFT JOIN person p ON p.id = a.leader_id"
            " WHERE a.voided_at IS NULL ORDER BY a.date, a.id"
        )
        for day, kind, uid, role in rows:
            posting = f"{accounts[kind]}:{units[uid]}"
            led = f"    led-trips:{units[uid]}  1\n" if kind == "trip" and role == "main_leader" else ""
            out.write(f"{day} {kind}\n    {posting}  1\n{led}    records\n\n")
        signed = conn.execute(
            "SELECT m.date, p.unit_id FROM milestone m JOIN project p ON p.id = m.project_id"
            " WHERE m.stage = 'signed' AND m.forced = 0 AND p.amount_yuan >= 100000000 ORDER BY m.date"
        )
        for day, uid in signed:
            out.write(f"{day} signed\n    big-projects:{units[uid]}  1\n    records\n\n")
        funds = conn.execute(
            "SELECT f.date, f.origin, f.amount_yuan, p.unit_id FROM fund f JOIN project p ON p.id = f.project_id"
            " WHERE f.voided_at IS NULL ORDER BY f.date"
        )
        for day, origin, amount, uid in funds:
            out.write(f"{day} fund\n    funds:{origin}:{units[uid]}  {amount}\n    records\n\n")
    conn.close()
    return path
