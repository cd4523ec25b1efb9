"""Reports on a small ledger with known facts: exact figures in the JSON of every report."""

import json
import os
from pathlib import Path

import pytest
from conftest import EMPTY, ROOT
from said import said


@pytest.fixture
def year(office):
    """The shipped 文昌湖区 units, and a first quarter of 2023 with known facts."""
    z = office
    z("log", "trip", "--unit", "萧镇", "--date", "2023-01-10", "--leader", "王明", "--to", "深圳")
    z("log", "trip", "--unit", "萧镇", "--date", "2023-02-15")
    z("log", "trip", "--unit", "商家镇", "--date", "2023-03-05", "--leader", "刘海涛")
    z("log", "trip", "--unit", "区投资促进中心", "--date", "2023-03-20", "--leader", "张国栋", "--mode", "短频快")
    z("log", "visit", "--unit", "萧镇", "--date", "2023-03-02", "--company", "甲公司", "--company", "乙公司")
    z("log", "visit", "--unit", "区投资促进中心", "--date", "2023-03-10", "--company", "丙公司")
    z(
        "project",
        "add",
        "电池项目",
        "--unit",
        "萧镇",
        "--amount",
        "1.5亿",
        "--stage",
        "在谈",
        "--date",
        "2023-01-05",
        "--key",
        "--owner",
        "孙志强",
        "--leader",
        "王明",
    )
    z("project", "advance", "1", "--to", "签约", "--date", "2023-02-20", "--deadline", "2023-03-15")
    z("project", "fund", "1", "--amount", "5000万", "--origin", "省外", "--date", "2023-03-01")
    z("project", "note", "1", "完成环评", "--date", "2023-03-12")
    z("project", "note", "1", "用地指标待落实", "--date", "2023-03-13", "--problem")
    z("project", "add", "陶瓷项目", "--unit", "商家镇", "--amount", "8000万", "--stage", "在谈", "--date", "2023-03-08")
    z(
        "project",
        "add",
        "智能装备",
        "--unit",
        "区投资促进中心",
        "--amount",
        "2亿",
        "--stage",
        "签约",
        "--date",
        "2023-03-25",
    )
    z("project", "advance", "3", "--to", "开工", "--date", "2023-03-28")
    return z


def execute(location, statement: str, **values) -> None:
    """Write straight into a ledger, as data from before the input checks (or merged in) would be."""
    from conftest import url_of
    from sqlalchemy import create_engine, text

    engine = create_engine(url_of(location))
    with engine.begin() as conn:
        conn.execute(text(statement), values)
    engine.dispose()


def pick(rows, **match):
    return [r for r in rows if all(r[k] == v for k, v in match.items())]


def test_quarter_bulletin(year):
    data = year.json("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")
    assert data["report"] == "quarter"
    assert data["region"] == "文昌湖区"
    assert data["window"] == {"label": "2023Q1", "start": "2023-01-01", "end": "2023-03-31"}
    assert data["as_of"] == "2023-03-31"
    assert data["units"] == [
        {"unit": "区投资促进中心", "outside_funds_yuan": 0, "big_projects": 1, "signed_projects": 1, "trips": 1},
        {"unit": "萧镇", "outside_funds_yuan": 50_000_000, "big_projects": 1, "signed_projects": 1, "trips": 2},
        {"unit": "商家镇", "outside_funds_yuan": 0, "big_projects": 0, "signed_projects": 0, "trips": 1},
        {"unit": "区经济发展部", "outside_funds_yuan": 0, "big_projects": 0, "signed_projects": 0, "trips": 0},
        {"unit": "区文化旅游部", "outside_funds_yuan": 0, "big_projects": 0, "signed_projects": 0, "trips": 0},
        {"unit": "区社会事务部", "outside_funds_yuan": 0, "big_projects": 0, "signed_projects": 0, "trips": 0},
    ]
    quotas = data["quotas"]
    assert pick(quotas, quota="big-projects") == [
        {
            "quota": "big-projects",
            "title": "新引进过亿元项目",
            "subject": "region",
            "period": "2023",
            "start": "2023-01-01",
            "end": "2023-12-31",
            "actual": 2,
            "target": 4,
            "expected": 0.99,
            "percent": 50,
            "status": "on_pace",
            "blank": False,
            "subject_unit": None,
            "bound": "at_least",
        }
    ]
    assert pick(quotas, quota="outside-funds")[0] | {} == {
        "quota": "outside-funds",
        "title": "省外到位资金",
        "subject": "region",
        "period": "2023",
        "start": "2023-01-01",
        "end": "2023-12-31",
        "actual": 50_000_000,
        "target": 500_000_000,
        "expected": 123_287_671,
        "percent": 10,
        "status": "behind",
        "blank": False,
        "subject_unit": None,
        "bound": "at_least",
    }
    assert [(r["period"], r["actual"], r["status"], r["blank"]) for r in pick(quotas, quota="leader-monthly-trip")] == [
        ("2023-01", 1, "met", False),
        ("2023-02", 0, "missed", True),
        ("2023-03", 2, "met", False),
    ]
    assert [(r["subject"], r["period"], r["actual"], r["status"]) for r in pick(quotas, quota="town-visits")] == [
        ("萧镇", "2023-01", 0, "missed"),
        ("商家镇", "2023-01", 0, "missed"),
        ("萧镇", "2023-02", 0, "missed"),
        ("商家镇", "2023-02", 0, "missed"),
        ("萧镇", "2023-03", 2, "met"),
        ("商家镇", "2023-03", 0, "behind"),
    ]
    assert [
        (r["subject"], r["actual"], r["expected"], r["status"]) for r in pick(quotas, quota="center-quick-trips")
    ] == [("区投资促进中心", 1, 1.97, "behind")]
    assert len(quotas) == 3 + 2 + 3 + 1 + 1 + 1 + 1 + 6 + 3 + 1 + 1 + 1 + 1
    bulletin, contest = data["rankings"]
    assert bulletin["id"] == "quarterly-bulletin" and bulletin["period"] == "2023Q1"
    assert [m["weight"] for m in bulletin["metrics"]] == [0.4, 0.3, 0.2, 0.1]
    assert bulletin["entries"] == [
        {"unit": "萧镇", "values": [50_000_000, 1, 1, 2], "scaled": [100, 100, 100, 100], "score": 100, "rank": 1},
        {"unit": "商家镇", "values": [0, 0, 0, 1], "scaled": [0, 0, 0, 50], "score": 5, "rank": 2},
    ]
    assert contest["period"] == "2023"  # per: year — the year to date
    assert [(e["unit"], e["score"], e["rank"]) for e in contest["entries"]] == [("萧镇", 60, 1), ("商家镇", 0, 2)]


def test_every_figure_is_traced_to_its_records(year, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    assert year.json("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31")["details"] == []
    data = year.json("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--detail")
    table = year("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--detail").stdout
    assert "明细（每个指标计入的记录）" in table and "project #3" in table
    big = [
        (d["subject"], d["table"], d["id"], d["date"], d["text"], d["amount_yuan"])
        for d in data["details"]
        if d["quota"] == "big-projects"
    ]
    assert big == [
        ("region", "project", 1, "2023-02-20", "电池项目", 150_000_000),
        ("region", "project", 3, "2023-03-25", "智能装备", 200_000_000),
    ]
    funds = [d for d in data["details"] if d["quota"] == "outside-funds"]
    assert [(d["table"], d["text"], d["amount_yuan"], d["unit"]) for d in funds] == [
        ("fund", "电池项目", 50_000_000, "萧镇")
    ]
    for row in data["quotas"]:
        if row["quota"] in ("town-trips", "center-trips", "big-projects"):
            traced = [
                d
                for d in data["details"]
                if (d["quota"], d["period"], d["subject"]) == (row["quota"], row["period"], row["subject"])
            ]
            assert len(traced) == row["actual"], row


def test_month_key_project_table(year):
    data = year.json("report", "month", "--month", "2023-03", "--as-of", "2023-03-31")
    assert data["key_projects"] == [
        {
            "category": "signed",
            "id": 1,
            "name": "电池项目",
            "unit": "萧镇",
            "amount_yuan": 150_000_000,
            "stage": "signed",
            "stage_date": "2023-02-20",
            "owner": "孙志强",
            "leader": "王明",
            "start_deadline": "2023-03-15",
            "company": None,
            "industry": None,
            "key": True,
            "funds_yuan": 50_000_000,  # arrived by as-of
            "type": "new",
            "increase_yuan": None,
            "currency": None,
            "amount_original": None,
            "progress": "03-12 完成环评",
            "problems": "03-13 用地指标待落实",
            "open_problems": [
                {
                    "id": 2,
                    "date": "2023-03-13",
                    "text": "用地指标待落实",
                    "problem": True,
                    "assignee": None,
                    "due": None,
                    "resolved_on": None,
                    "resolution": None,
                }
            ],
        },
        {
            "category": "negotiating",
            "id": 2,
            "name": "陶瓷项目",
            "unit": "商家镇",
            "amount_yuan": 80_000_000,
            "stage": "negotiating",
            "stage_date": "2023-03-08",
            "owner": None,
            "leader": None,
            "start_deadline": None,
            "company": None,
            "industry": None,
            "key": False,
            "funds_yuan": 0,
            "type": "new",
            "increase_yuan": None,
            "currency": None,
            "amount_original": None,
            "progress": "",
            "problems": "",
            "open_problems": [],
        },
    ]
    assert {r["period"] for r in data["quotas"]} == {"2023-03", "2023Q1", "2023"}
    feb = year.json("report", "month", "--month", "2023-02", "--as-of", "2023-02-28")
    assert [(p["id"], p["category"], p["progress"], p["funds_yuan"]) for p in feb["key_projects"]] == [
        (1, "signed", "", 0)  # the 5000万 arrived on 03-01, after February
    ]


def test_alerts(year):
    data = year.json("report", "alerts", "--as-of", "2023-03-31")
    by_kind = {}
    for alert in data["alerts"]:
        by_kind.setdefault(alert["kind"], []).append(alert)
    assert by_kind["overdue_start"] == [
        {
            "kind": "overdue_start",
            "unit": "萧镇",
            "project_id": 1,
            "project": "电池项目",
            "owner": "孙志强",
            "leader": "王明",
            "deadline": "2023-03-15",
            "days_late": 16,
            "month": None,
            "quota": None,
            "quota_title": None,
            "period": None,
            "actual": None,
            "target": None,
            "expected": None,
            "figures": "count",
            "problem": None,
            "misses": [],
            "subject": "#1 电池项目",
            "detail": "开工时限2023年3月15日，已超16天",
            "responsible": "萧镇 孙志强、包保 王明",
        }
    ]
    assert "silent_key_project" not in by_kind
    assert [a["subject"] for a in by_kind["blank_unit"]] == ["区经济发展部", "区文化旅游部", "区社会事务部"]
    # as of 03-31 the quarter's and March's quotas can still be met that day: behind, not missed
    assert sorted(a["subject"] for a in by_kind["behind_quota"]) == sorted(
        [
            "部门外出招商 · 区经济发展部",
            "部门外出招商 · 区文化旅游部",
            "部门外出招商 · 区社会事务部",
            "投促中心外出招商 · 区投资促进中心",
            "投促中心“短频快”专题招商 · 区投资促进中心",
            "投促中心以商招商 · 区投资促进中心",
            "投促中心外出自主招商 · 区投资促进中心",
            "省外到位资金 · 文昌湖区",
            "组织参加展会 · 文昌湖区",
            "季度招商引资调度会 · 文昌湖区",
            "投促中心走访企业 · 区投资促进中心",
            "镇走访企业 · 商家镇",
        ]
    )
    funds = [a for a in by_kind["behind_quota"] if a["subject"] == "省外到位资金 · 文昌湖区"]
    assert funds[0]["detail"] == "2023年：5000万元/5亿元，序时应达1.2329亿元"
    assert [funds[0][k] for k in ("unit", "quota", "period", "actual", "target", "expected", "figures")] == [
        "region",
        "outside-funds",
        "2023",
        50_000_000,
        500_000_000,
        123_287_671,
        "money",
    ]
    april = year.json("report", "alerts", "--as-of", "2023-04-30")
    assert [a["subject"] for a in april["alerts"] if a["kind"] == "silent_key_project"] == ["#1 电池项目"]


def test_year_end_score_itemises_every_point(year):
    data = year.json("report", "score", "--year", "2023", "--as-of", "2023-12-31")
    scores = {s["unit"]: s for s in data["scores"]}
    assert [(s["unit"], s["total"], s["rank"]) for s in data["scores"]] == [
        ("萧镇", 3.83, 1),
        ("商家镇", -0.5, 2),
        ("区投资促进中心", -9, 3),
        ("region", 12, 0),
    ]
    assert [said(line) for line in scores["萧镇"]["lines"]] == [
        {"rule": "s-town-trips", "title": "镇外出招商", "points": 3, "reason": "2/4，得 5，差 2 扣 2"},
        {"rule": "s-town-visits", "title": "镇走访企业", "points": 0.83, "reason": "2/24，1/12个月达标，得 0.83"},
    ]
    trips = scores["区投资促进中心"]["lines"][0]
    assert [trips[k] for k in ("basis", "actual", "target", "earned", "short", "deduction", "extra", "bonus")] == [
        "quota",
        1,
        20,
        0.5,
        19,
        9.5,
        0,
        0,
    ]
    assert [said(line) for line in scores["区投资促进中心"]["lines"]] == [
        {"rule": "s-center-trips", "title": "投促中心外出招商", "points": -9, "reason": "1/20，得 0.5，差 19 扣 9.5"}
    ]
    assert [line["points"] for line in scores["region"]["lines"]] == [10, 2]


def test_campaign_report(office, tmp_path):
    targets = tmp_path / "push.yaml"
    targets.write_text(
        "region: 文昌湖区\nunits: {萧镇: town, 商家镇: town}\ncampaigns:\n"
        "  - id: push\n    title: 攻坚\n    from: 2023-08-15\n    to: 2023-09-20\n    quotas:\n"
        "      - {id: push-trips, count: trips, who: {each: town}, per: month, at_least: 1}\n"
        "      - {id: push-signed, count: projects, who: {each: town}, at_least: 1}\n",
        encoding="utf-8",
    )
    office("log", "trip", "--unit", "萧镇", "--date", "2023-08-10")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-08-16")
    office("project", "add", "甲", "--unit", "商家镇", "--amount", "1亿", "--stage", "签约", "--date", "2023-09-20")
    data = office.json("report", "campaign", "push", "--targets", targets, "--as-of", "2023-10-01")
    assert data["window"] == {"label": "push", "start": "2023-08-15", "end": "2023-09-20"}
    assert [(r["quota"], r["subject"], r["period"], r["start"], r["actual"], r["status"]) for r in data["quotas"]] == [
        ("push-trips", "萧镇", "2023-08", "2023-08-15", 1, "met"),
        ("push-trips", "商家镇", "2023-08", "2023-08-15", 0, "missed"),
        ("push-trips", "萧镇", "2023-09", "2023-09-01", 0, "missed"),
        ("push-trips", "商家镇", "2023-09", "2023-09-01", 0, "missed"),
        ("push-signed", "萧镇", "push", "2023-08-15", 0, "missed"),
        ("push-signed", "商家镇", "push", "2023-08-15", 1, "met"),
    ]
    assert [(u["unit"], u["trips"], u["signed_projects"]) for u in data["units"][:3]] == [
        ("区投资促进中心", 0, 0),
        ("萧镇", 1, 0),
        ("商家镇", 0, 1),
    ]
    by_title = office.json("report", "campaign", "攻坚", "--targets", targets, "--as-of", "2023-10-01")
    assert by_title == data  # a campaign is asked for by its id or by its title
    ranked = office.json("report", "score", "--campaign", "攻坚", "--targets", targets, "--as-of", "2023-10-01")
    assert (ranked["campaign"], ranked["window"]["label"]) == ("push", "push")
    assert office.fails("report", "campaign", "nope", "--targets", targets) == (
        f"zs: campaign 'nope': expected a campaign of {targets}, by its id or title (push 攻坚)"
    )
    assert office.fails("report", "campaign", "攻坚", "--targets", targets, "--as-of", "2023-08-01") == (
        "zs: --as-of '2023-08-01': expected a day on or after 2023-08-15, when 攻坚 begins"
    )


def test_each_ranking_is_measured_over_its_own_per(year):
    # quarterly-bulletin is per: quarter, contest per: year (the year to date)
    quarter = year.json("report", "rank", "--quarter", "2023Q1")
    assert [r["period"] for r in quarter["rankings"]] == ["2023Q1", "2023"]
    assert quarter["as_of"] == "2023-03-31"
    whole = year.json("report", "rank", "--year", "2023", "--as-of", "2023-05-10")
    assert whole["window"]["label"] == "2023" and whole["quotas"] == []
    assert [r["period"] for r in whole["rankings"]] == ["2023Q2", "2023"]
    # the quarterly race of Q2 holds nothing yet; the year's holds Q1's trips
    assert [e["values"][3] for e in whole["rankings"][0]["entries"]] == [0, 0]
    assert {e["unit"]: e["values"][0] for e in whole["rankings"][1]["entries"]} == {"萧镇": 50_000_000, "商家镇": 0}


def test_bad_report_input(year):
    assert year.fails("report", "quarter", "--quarter", "2023Q5") == (
        "zs: --quarter '2023Q5': expected a period such as 2023, 2023Q1, 2023-03, 2023-W07, 2023H1, 2023年3月, 本月, 上季度 or 去年"
    )
    assert year.fails("report", "month", "--as-of", "2023-02-30").startswith("zs: --as-of '2023-02-30': day is out")


def test_demo_builds_a_fresh_ledger_and_prints_the_bulletin(zs, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "160")
    out = zs("demo", "--db", tmp_path / "demo.db").stdout
    assert out.splitlines()[0] == "文昌湖区2023年第三季度招商引资工作通报（2023-07-01 至 2023-09-30，截至 2023-09-30）"
    assert (
        f"demo ledger {tmp_path / 'demo.db'}: 337 activities, 20 projects, 15 funds, 67 notes, 20 reported figures up to 2023-11-15"
        in out
    )
    assert zs.counts() == EMPTY, "the demo must not touch $ZS_DB"
    logged = zs.json("log", "list", "--all", "--db", tmp_path / "demo.db")
    assert len(logged) == 337 and sum(a["voided"] for a in logged) == 1
    assert len(zs.json("project", "list", "--db", tmp_path / "demo.db")) == 20
    data = zs.json("report", "quarter", "--db", tmp_path / "demo.db", "--quarter", "2023Q3")
    assert {r["status"] for r in data["quotas"]} == {"met", "missed", "behind"}
    assert sum(u["trips"] for u in data["units"]) == 13
    # 2022 gives the forecast a season and stage moves: 在谈 → 签约 6 times in 2022, 8 in 2023 to 15 November
    forecast = zs.json("report", "forecast", "--db", tmp_path / "demo.db", "--as-of", "2023-11-15")["rows"]
    big = next(r for r in forecast if r["quota"] == "big-projects")
    assert (big["actual"], big["seasonal_years"], big["history"]) == (7, 1, 14)
    assert [c["name"] for c in big["candidates"]] == ["数字经济产业园", "光伏储能一体化项目"]
    # The year's report of the demo, byte for byte as JSON: what a change for speed must leave as it is.
    golden = Path(__file__).parent / "golden" / "demo-year.json"
    shown = zs.json("report", "year", "--year", "2023", "--as-of", "2023-11-15", "--db", tmp_path / "demo.db")
    shown.pop("targets_file")  # where the shipped plan is installed
    text = json.dumps(shown, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    if os.environ.get("ZS_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    _spans_together_equal_spans_one_by_one(tmp_path / "demo.db", ROOT / "config" / "targets.yaml")
    # the two example 考核办法 beside the ledger, tried on 2022
    plans = [tmp_path / "demo-draft.yaml", "--targets", tmp_path / "demo-scoring.yaml"]
    tried = zs.json("targets", "backtest", *plans, "--year", "2022", "--db", tmp_path / "demo.db")
    assert [(u["unit"], u["in_force_rank"], u["draft_rank"]) for u in tried["units"]][:3] == [
        ("商家镇", 2, 1),
        ("萧镇", 1, 2),
        ("区投资促进中心", 2, 3),
    ]
    assert "337 activities" in zs("demo", "--db", tmp_path / "demo.db").stdout  # an earlier demo: rebuilt
    office_ledger = tmp_path / "office.db"
    zs("--create", "unit", "add", "某镇", "--kind", "town", "--db", office_ledger)
    assert zs.fails("demo", "--db", office_ledger) == (
        f"zs: --db '{office_ledger}': expected a path with no ledger yet, or an earlier demo (or --replace to "
        "rebuild there)"
    )
    assert zs.json("unit", "list", "--db", office_ledger)[0]["name"] == "某镇"
    (tmp_path / "mine-draft.yaml").write_text("region: 某区\n", encoding="utf-8")  # not a demo's: kept
    assert zs.fails("demo", "--db", tmp_path / "mine.db") == (
        f"zs: --db '{tmp_path / 'mine.db'}': it holds another file; expected a place where mine-draft.yaml is "
        "free or an earlier demo's (or --replace)"
    )
    assert "337 activities" in zs("demo", "--db", office_ledger, "--replace").stdout


def test_money_sums_past_int64_are_exact(year):
    """SQLite's sum() stops at int64, which 922,338 funds at the 10万亿 cap would pass (900,000 would not),
    and fewer of the larger amounts a ledger may hold from before the cap: money is summed in parts."""
    for day in ("2023-03-02", "2023-03-03"):
        year("project", "fund", "1", "--amount", "1亿", "--origin", "省外", "--date", day)
    most = 2**63 - 1
    execute(year.db, "UPDATE fund SET amount_yuan = :most", most=most)
    data = year.json("report", "quarter", "--quarter", "2023Q1", "--as-of", "2023-03-31", "--detail")
    assert pick(data["units"], unit="萧镇")[0]["outside_funds_yuan"] == 3 * most == 27_670_116_110_564_327_421
    [funds] = pick(data["quotas"], quota="outside-funds")
    assert (funds["actual"], funds["status"], funds["percent"]) == (3 * most, "met", 5534023222112.9)
    assert data["rankings"][0]["entries"][0]["values"][0] == 3 * most
    assert [d["amount_yuan"] for d in data["details"] if d["quota"] == "outside-funds"] == [most] * 3

    from datetime import date

    from zhaoshang import db as database
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.quota import Metric, Who

    execute(year.db, "UPDATE project SET amount_yuan = :most", most=most)
    engine = database.connect(str(year.db))
    with database.reading(engine) as session:  # the two projects signed in the quarter
        invested = LedgerFacts(session).measure(
            Metric("sum", "investment"), Who("region"), date(2023, 1, 1), date(2023, 3, 31)
        )
    engine.dispose()
    assert invested == {"region": 2 * most}


def _spans_together_equal_spans_one_by_one(ledger, plan):
    """Every metric of the shipped plan, counted over the months of the demo's two years in one
    GROUP BY (measure_spans), gives what one query per month gives; so do weeks with a day left
    out between them (that day counts in neither), and the ranking's metrics."""
    from datetime import date, timedelta

    from zhaoshang import db as database
    from zhaoshang.config import load_targets
    from zhaoshang.facts import LedgerFacts

    months = [
        (date(y, m, 1), date(y + m // 12, m % 12 + 1, 1) - timedelta(days=1))
        for y in (2022, 2023)
        for m in range(1, 13)
    ]
    weeks = [(date(2023, 1, 2) + timedelta(days=7 * w), date(2023, 1, 7) + timedelta(days=7 * w)) for w in range(46)]
    targets = load_targets(plan)
    asked = [(q.metric, q.who) for q in targets.quotas]
    asked += [(b.metric, r.among) for r in targets.rankings for b in r.by if getattr(b, "metric", None)]
    engine = database.connect(str(ledger))
    with database.reading(engine) as session:
        facts = LedgerFacts(session)
        for metric, who in asked:
            for spans in (months, weeks):
                as_of = date(2023, 11, 15)
                one_by_one = [facts.measure(metric, who, start, end, as_of) for start, end in spans]
                assert facts.measure_spans(metric, who, spans, as_of) == one_by_one, (metric, who)
        assert sum(sum(m.values()) for m in facts.measure_spans(*asked[0], months, date(2023, 11, 15))) > 0
    engine.dispose()


def test_a_score_under_a_file_without_scoring_rules_says_so(office):
    out = office("report", "score", "--year", "2023", "--as-of", "2023-12-31", "--width", "200")
    assert "未计分" not in out.stdout  # the tests' plan has its rules
    plain = ROOT / "config" / "targets.yaml"  # its plan sets no year-end score
    out = office("report", "score", "--year", "2023", "--as-of", "2023-12-31", "--targets", plain, "--width", "200")
    assert (
        out.stdout.splitlines()[1]
        == "指标文件中没有全年的计分规则（scoring:），未计分（写法见 README 的 Scoring rules）。"
    )
    assert office.json("report", "score", "--year", "2023", "--as-of", "2023-12-31", "--targets", plain)["scores"] == []


def test_a_report_as_of_a_day_before_its_window_begins_is_refused(office):
    assert office.fails("report", "quarter", "--quarter", "2023Q4", "--as-of", "2023-09-30") == (
        "zs: --as-of '2023-09-30': expected a day on or after 2023-10-01, when 2023Q4 begins"
    )
    assert office.fails("report", "month", "--month", "2023-10", "--as-of", "2023-09-30") == (
        "zs: --as-of '2023-09-30': expected a day on or after 2023-10-01, when 2023-10 begins"
    )
    assert office.json("report", "quarter", "--quarter", "2023Q4", "--as-of", "2023-10-01")["as_of"] == "2023-10-01"
