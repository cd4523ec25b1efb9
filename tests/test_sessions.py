"""Sessions on a ledger, on both engines: a report reads one snapshot, and a database error is said
as what happened (a clash with a constraint, a number out of range), not blamed on the ledger."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text

from zhaoshang import db as database
from zhaoshang.errors import ZsError
from zhaoshang.models import Unit

NOW = datetime(2023, 3, 1, tzinfo=UTC)


@pytest.fixture
def ledger(ledgers):
    engine = database.connect(ledgers.new())
    yield engine
    engine.dispose()


def _add_unit(engine, name: str) -> None:
    with database.writing(engine, history=False) as session:
        session.add(Unit(name=name, kind="town", created_at=NOW))


def _units(session) -> int:
    return session.execute(select(func.count()).select_from(Unit)).scalar_one()


def test_a_reading_session_sees_one_snapshot_while_others_write(ledger):
    _add_unit(ledger, "甲镇")
    with database.reading(ledger) as session:
        assert _units(session) == 1
        _add_unit(ledger, "乙镇")  # another desk, committed while the report is being read
        assert _units(session) == 1
        assert session.execute(select(Unit.name)).scalars().all() == ["甲镇"]
    with database.reading(ledger) as session:
        assert _units(session) == 2


def test_a_clash_with_a_constraint_is_said_as_such(ledger):
    _add_unit(ledger, "甲镇")
    with pytest.raises(ZsError) as refused:
        _add_unit(ledger, "甲镇")  # as when two desks add the same unit at the same moment
    clash = (
        "UNIQUE constraint failed: unit.name"
        if ledger.dialect.name == "sqlite"
        else "constraint unit_name_key: Key (name)=(甲镇) already exists."
    )
    assert refused.value.problem == f"the change clashes with a record already there ({clash})"
    assert refused.value.expected == (
        "a change that keeps to the ledger's constraints (another desk may have "
        "written the same record at the same moment: look, then try again)"
    )
    with database.reading(ledger) as session:
        assert _units(session) == 1


def test_a_number_out_of_range_is_said_as_such(ledger):
    if ledger.dialect.name == "sqlite":
        overflow, said = "SELECT sum(x) FROM (SELECT 9223372036854775807 AS x UNION ALL SELECT 1)", "integer overflow"
    else:
        overflow, said = "SELECT 9223372036854775807::bigint + 1", "bigint out of range"
    with pytest.raises(ZsError) as refused, database.reading(ledger) as session:
        session.execute(text(overflow)).all()
    assert (refused.value.field, refused.value.problem, refused.value.expected) == (
        "--db",
        f"a value is out of range ({said})",
        "numbers the database can hold (amounts up to 10万亿元)",
    )
    if ledger.dialect.name == "sqlite":  # past 64 bits, the driver refuses it before SQLite sees it
        with pytest.raises(ZsError) as refused, database.writing(ledger, history=False) as session:
            session.execute(text("SELECT :n"), {"n": 2**70}).all()
        assert refused.value.problem == "a value is out of range (Python int too large to convert to SQLite INTEGER)"
