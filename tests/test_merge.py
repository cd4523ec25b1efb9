"""`zs merge`: a county that began alone joins the city's ledger — units apart, history kept."""

from conftest import ROOT


def county(zs, tmp_path):
    path = tmp_path / "county.db"
    zs("demo", "--db", path)
    return path


def test_merge_keeps_units_apart_and_brings_the_history(office, tmp_path):
    source = county(office, tmp_path)
    before = office.counts()
    line = office.fails("merge", source)
    assert line == ("zs: --unit-prefix '': unit '区投资促进中心' is in both ledgers; expected a prefix that keeps the "
                    "merged units apart (e.g. 东阿县·), or --same-units to merge into units of the same name")
    assert office.counts() == before
    out = office("merge", source, "--unit-prefix", "东阿县·").stdout
    assert out.strip() == (f"merged {source}: 6 units, 10 people, 12 projects (35 milestones, 9 funds, 66 notes), "
                           "162 activities and 1 changes of its history, as one change: `zs undo` takes it back")
    units = [u["name"] for u in office.json("unit", "list")]
    assert units[6:] == ["东阿县·区投资促进中心", "东阿县·萧镇", "东阿县·商家镇", "东阿县·区经济发展部",
                         "东阿县·区文化旅游部", "东阿县·区社会事务部"]
    theirs = office.json("report", "quarter", "--quarter", "2023Q3", "--db", source)
    ours = office.json("report", "quarter", "--quarter", "2023Q3")
    assert [(f"东阿县·{u['unit']}", u["trips"], u["outside_funds_yuan"], u["signed_projects"]) for u in theirs["units"]] == [
        (u["unit"], u["trips"], u["outside_funds_yuan"], u["signed_projects"]) for u in ours["units"][6:]]
    logged_there = office.json("log", "list", "--db", source)
    logged_here = office.json("log", "list")
    assert [(a["date"], a["kind"], "东阿县·" + a["unit"], a["companies"], a["voided"], a["void_reason"])
            for a in logged_there] == [(a["date"], a["kind"], a["unit"], a["companies"], a["voided"], a["void_reason"])
                                       for a in logged_here]
    history = office.json("history")
    assert history[0]["command"].startswith("zs merge ") and history[0]["source"] is None
    assert history[1]["command"].startswith("zs demo --db ") and history[1]["source"] == str(source)

    office("undo")  # the merge goes whole, its borrowed history with it
    assert office.counts() == before
    after = office.json("history")
    assert [(h["command"], h["source"]) for h in after] == [
        ("zs undo", None), (f"zs merge {source} --unit-prefix 东阿县·", None),
        (f"zs init --targets {ROOT / 'config' / 'targets.yaml'}", None)]
    assert after[1]["undone_by"] == after[0]["id"]


def test_merge_into_the_same_units(office, tmp_path):
    source = county(office, tmp_path)
    office("merge", source, "--same-units")
    assert len(office.json("unit", "list")) == 6 and len(office.json("person", "list")) == 10
    assert len(office.json("log", "list")) == 162
    assert office.fails("merge", office.db) == f"zs: LEDGER '{office.db}': expected another ledger than the one merged into"
