"""A CLI that guides: the period words a clerk types, --version, -h."""

from datetime import date

import pytest
from conftest import TEST_PLAN

from zhaoshang.errors import ZsError
from zhaoshang.parse import parse_period

TODAY = date(2024, 1, 15)


@pytest.mark.parametrize(
    "words, label",
    [
        ("本月", "2024-01"),
        ("上月", "2023-12"),  # across New Year
        ("本季度", "2024Q1"),
        ("上季度", "2023Q4"),
        ("今年", "2024"),
        ("去年", "2023"),
        ("9月", "2024-09"),
        ("Q3", "2024Q3"),
        ("第三季度", "2024Q3"),
        ("上半年", "2024H1"),
        ("2023年第三季度", "2023Q3"),  # a year given is kept
    ],
)
def test_the_period_words_of_a_clerks_month_are_seen_from_today(words, label):
    assert parse_period(words, "--month", TODAY).label == label


def test_a_period_word_without_a_day_to_see_it_from_is_refused():
    with pytest.raises(ZsError) as refused:
        parse_period("本月", "period")
    assert str(refused.value) == (
        "period '本月': expected a period such as 2023, 2023Q1, 2023-03, 2023-W07, 2023H1, 2023年3月, 本月, 上季度 or 去年"
    )
    with pytest.raises(ZsError):
        parse_period("13月", "--month", TODAY)


def test_a_report_reads_period_words_from_its_as_of(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-02-10")
    data = office.json("report", "month", "--month", "上月", "--as-of", "2023-03-10")
    assert data["window"] == {"label": "2023-02", "start": "2023-02-01", "end": "2023-02-28"}
    quarter = office.json("report", "quarter", "--quarter", "本季度", "--as-of", "2023-03-10")
    assert quarter["window"]["label"] == "2023Q1"


def test_version_and_h_as_help(zs):
    from importlib.metadata import version

    assert zs("--version").stdout == f"zs {version('zhaoshang')}\n"
    assert zs("report", "month", "-h").stdout.startswith("Usage: ")
    assert zs("-h").stdout == zs("--help").stdout


def test_an_unknown_unit_person_or_code_names_the_closest(office):
    assert office.fails("log", "trip", "--unit", "萧真", "--date", "2023-03-01") == (
        "zs: --unit '萧真': did you mean 萧镇?; expected a known unit (区投资促进中心, 萧镇, 商家镇, 区经济发展部, "
        "区文化旅游部, 区社会事务部); add it with `zs unit add` or `zs init`"
    )
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--leader", "王名").startswith(
        "zs: --leader '王名': did you mean 王明?; expected a known person"
    )
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--mode", "短平快").startswith(
        "zs: --mode '短平快': did you mean 短频快?; expected one of: "
    )
    assert office.fails("log", "trip", "--unit", "火星", "--date", "2023-03-01").startswith(
        "zs: --unit '火星': expected a known unit"  # nothing close: no guess
    )


def test_info_says_which_ledger_and_targets_and_why_and_creates_nothing(zs, tmp_path, monkeypatch):
    missing = tmp_path / "typo.db"
    out = zs("info", "--db", missing).stdout.splitlines()
    assert out[:2] == [f"ledger:  {missing} (from --db)", "         does not exist yet: `zs init` creates it"]
    assert not missing.exists()
    zs("init")
    zs("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    data = zs.json("info")
    assert data["ledger"] | {"location": "L"} == {
        "location": "L",
        "why": "ZS_DB",
        "exists": True,
        "schema": "0010_activity_date_index",
        "migrations": 10,
        "units": 6,
        "people": 10,
        "activities": 1,
        "projects": 0,
        "funds": 0,
        "companies": 0,
        "figures": 0,
    }
    assert data["targets"] == {
        "path": str(TEST_PLAN),
        "why": "ZS_TARGETS",
        "region": "文昌湖区",
        "year": 2023,
        "quotas": 13,
        "campaigns": [],
    }


def test_every_report_names_its_targets_file(office):
    assert office.json("report", "year", "--year", "2023")["targets_file"] == str(TEST_PLAN)
    assert office("report", "alerts", "--as-of", "2023-03-31").stdout.rstrip().endswith(f"指标文件：{TEST_PLAN}")
