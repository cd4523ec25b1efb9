import pytest
from conftest import ROOT


def test_init_loads_units_and_people_once(zs):
    first = zs("init", "--targets", ROOT / "config" / "targets.yaml")
    assert "6 units and 10 people added" in first.stdout
    again = zs("init", "--targets", ROOT / "config" / "targets.yaml")
    assert "0 units and 0 people added" in again.stdout
    units = zs.json("unit", "list")
    assert [(u["name"], u["kind"], u["people"]) for u in units] == [
        ("区投资促进中心", "center", 3),
        ("萧镇", "town", 2),
        ("商家镇", "town", 2),
        ("区经济发展部", "department", 1),
        ("区文化旅游部", "department", 1),
        ("区社会事务部", "department", 1),
    ]


def test_init_finds_targets_through_the_environment(zs, tmp_path, monkeypatch):
    targets = tmp_path / "office.yaml"
    targets.write_text(
        "region: 测试区\nunits: {甲镇: 镇, 乙园区: park}\npeople: [{name: 钱一, unit: 甲镇, role: 主要负责人}]\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("ZS_TARGETS", str(targets))
    zs("init")
    assert [(u["name"], u["kind"]) for u in zs.json("unit", "list")] == [("甲镇", "town"), ("乙园区", "park")]
    assert zs.json("person", "list") == [{"id": 1, "name": "钱一", "unit": "甲镇", "role": "main_leader"}]


def test_init_prefers_the_working_directory_config(zs, tmp_path, monkeypatch):
    monkeypatch.delenv("ZS_TARGETS")
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "targets.yaml").write_text("units: {丙镇: town}\n", encoding="utf-8")
    zs("init")
    assert [u["name"] for u in zs.json("unit", "list")] == ["丙镇"]


def test_init_refuses_a_unit_whose_kind_changed(office, tmp_path):
    changed = tmp_path / "changed.yaml"
    changed.write_text("units: {萧镇: park}\n", encoding="utf-8")
    line = office.fails("init", "--targets", changed)
    assert "units.萧镇 'park'" in line and "the kind the ledger has (town)" in line


def test_unit_and_person_add_and_list(zs):
    assert zs("unit", "add", "经开区", "--kind", "园区").stdout.strip() == "added unit #1 经开区 (园区)"
    assert zs("person", "add", "韩梅", "--unit", "经开区", "--role", "分管领导").stdout.strip() == (
        "added person #1 韩梅 (经开区, 分工负责人)"
    )
    zs("person", "add", "李雷", "--unit", "经开区")
    assert zs.json("person", "list", "--unit", "经开区") == [
        {"id": 1, "name": "韩梅", "unit": "经开区", "role": "deputy"},
        {"id": 2, "name": "李雷", "unit": "经开区", "role": "staff"},
    ]
    table = zs("unit", "list").stdout
    assert "经开区" in table and "园区" in table


def test_bad_units_and_people(office):
    assert office.fails("unit", "add", "萧镇", "--kind", "town") == (
        "zs: name '萧镇': it exists already as 镇街; expected a new unit name"
    )
    assert office.fails("unit", "add", "新区", "--kind", "城市").startswith(
        "zs: --kind '城市': expected one of: center 投促中心, town 镇街"
    )
    assert office.fails("unit", "add", "  ", "--kind", "town") == "zs: name '  ': expected a non-empty text"
    assert office.fails("person", "add", "钱二", "--unit", "不存在镇").startswith(
        "zs: --unit '不存在镇': expected a known unit (区投资促进中心, 萧镇"
    )
    assert office.fails("person", "add", "钱二", "--unit", "萧镇", "--role", "boss").startswith(
        "zs: --role 'boss': expected one of: main_leader 主要负责人"
    )
    assert office.fails("person", "add", "王明", "--unit", "萧镇") == (
        "zs: name '王明': already listed; expected a person not yet listed in 萧镇"
    )


def test_same_name_in_two_units_is_told_apart(office):
    office("person", "add", "王明", "--unit", "商家镇")
    line = office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--leader", "王明")
    assert line == ("zs: --leader '王明': 2 people have this name; expected UNIT/NAME, one of 萧镇/王明, 商家镇/王明")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--leader", "商家镇/王明")
    assert office.json("log", "list")[0]["leader"] == "商家镇/王明"  # the name alone would not say which


def test_the_ledger_refuses_control_and_invisible_characters_whoever_calls_it(office):
    from zhaoshang import db, ledger
    from zhaoshang.errors import ZsError
    from zhaoshang.labels import Role, UnitKind

    before = office.counts()
    engine = db.connect(office.db)
    for call, message in [
        (
            lambda s: ledger.add_unit(s, "红\x1b[31m镇", UnitKind.town),
            "name '红\\x1b[31m镇': it holds U+001B; expected text without control or invisible characters",
        ),
        (
            lambda s: ledger.add_person(s, "王\u200b明", "萧镇", Role.staff),
            "name '王\\u200b明': it holds U+200B; expected text without control or invisible characters",
        ),
    ]:
        with pytest.raises(ZsError) as refused, db.writing(engine) as session:
            call(session)
        assert str(refused.value) == message
    engine.dispose()
    assert office.counts() == before
