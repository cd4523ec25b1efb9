import pytest

from zhaoshang.errors import ZsError
from zhaoshang.labels import (
    LABELS,
    ActivityKind,
    EventType,
    Mode,
    Origin,
    Role,
    Stage,
    UnitKind,
    label,
    parse_code,
)


@pytest.mark.parametrize(
    "vocabulary, text, code",
    [
        (Stage, "签约", Stage.signed),
        (Stage, "signed", Stage.signed),
        (Stage, " SIGNED ", Stage.signed),
        (Stage, "在谈", Stage.negotiating),
        (Stage, "已开工", Stage.started),
        (Stage, "投产", Stage.producing),
        (Stage, "终止", Stage.dropped),
        (Origin, "省外", Origin.out_of_province),
        (Origin, "out-of-province", Origin.out_of_province),
        (Origin, "外资", Origin.foreign),
        (Role, "主要负责人", Role.main_leader),
        (Role, "main-leader", Role.main_leader),
        (Role, "分管领导", Role.deputy),
        (ActivityKind, "外出招商", ActivityKind.trip),
        (ActivityKind, "走访企业", ActivityKind.visit),
        (ActivityKind, "接待客商", ActivityKind.reception),
        (Mode, "短频快", Mode.quick),
        (Mode, "以商招商", Mode.via_business),
        (Mode, "小分队", Mode.team),
        (Mode, "乡贤招商", Mode.kinship),
        (EventType, "推介会", EventType.promotion),
        (EventType, "博览会", EventType.fair),
        (UnitKind, "镇", UnitKind.town),
        (UnitKind, "街道", UnitKind.town),
        (UnitKind, "驻外招商中心", UnitKind.group),
    ],
)
def test_codes_are_read_in_chinese_or_english(vocabulary, text, code):
    assert parse_code(vocabulary, text, "field") is code


def test_every_code_has_a_chinese_label_and_no_spelling_means_two_things():
    for vocabulary, table in LABELS.items():
        assert set(table) == set(vocabulary), vocabulary
        spellings = [s for names in table.values() for s in names] + [c.value for c in vocabulary]
        assert len(spellings) == len(set(spellings)), vocabulary


def test_labels_of_codes_that_share_a_value_stay_apart():
    # UnitKind.park and Mode.park are both "park" as strings.
    assert label(UnitKind.park) == "园区"
    assert label(Mode.park) == "园区招商"
    assert label(Stage.signed) == "签约"
    assert label(None) == ""


def test_unknown_code_lists_what_is_accepted():
    with pytest.raises(ZsError) as caught:
        parse_code(Stage, "完成", "--to")
    assert str(caught.value) == (
        "--to '完成': expected one of: lead 线索, negotiating 在谈, signed 签约, started 开工, "
        "producing 投产, dropped 终止"
    )
