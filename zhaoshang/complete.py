"""Shell completion of the values a clerk types: unit and person names from the ledger, and the
codes of the domain (阶段, 招商方式, 资金来源 …) in Chinese or English.

Completion runs on every press of TAB, so it stays light: the ledger is read with plain sqlite3
(or SQLAlchemy Core for a server), never migrated, never created; a ledger that is missing or not
readable completes nothing rather than printing an error into the shell.
"""

from collections.abc import Callable
from enum import StrEnum

from zhaoshang import labels

# (what is typed, what the shell shows beside it)
Choice = tuple[str, str]

_UNITS = "SELECT name, kind FROM unit ORDER BY name"
# A name two units share is typed UNIT/NAME (as the commands read it); any other, as it is.
_PEOPLE = """
    SELECT CASE WHEN (SELECT count(*) FROM person AS same WHERE same.name = person.name) > 1
                THEN unit.name || '/' || person.name ELSE person.name END AS typed,
           unit.name
    FROM person JOIN unit ON unit.id = person.unit_id
    ORDER BY typed
"""


def codes(vocabulary: type[StrEnum], incomplete: str) -> list[Choice]:
    """Each code of `vocabulary` whose Chinese label, other spelling or English code begins with
    what is typed: the label offered (what readers see), or the code when the typing is English."""
    found: list[Choice] = []
    for member in vocabulary:
        spellings = labels.LABELS[vocabulary][member]
        if member.value.startswith(incomplete.lower()) and incomplete:
            found.append((member.value, spellings[0]))
            continue
        typed = next((s for s in spellings if s.startswith(incomplete)), None)
        if typed is not None:
            found.append((typed, member.value))
    return found


def units(ledger: str, incomplete: str) -> list[Choice]:
    return [(name, labels.label(labels.UnitKind(kind))) for name, kind in _names(ledger, _UNITS, incomplete)]


def people(ledger: str, incomplete: str) -> list[Choice]:
    return _names(ledger, _PEOPLE, incomplete)


def _names(ledger: str, query: str, incomplete: str) -> list[Choice]:
    try:
        rows = _read(ledger, query)
    except Exception:  # noqa: BLE001 — a TAB press never shows an error, whatever the ledger is
        return []
    # 王 finds 萧镇/王明 too: a shared name is offered with its unit, whichever part is typed.
    return [(str(t), str(shown)) for t, shown in rows if _begins(str(t), incomplete)]


def _begins(typed: str, incomplete: str) -> bool:
    return typed.startswith(incomplete) or typed.rpartition("/")[2].startswith(incomplete)


def _read(ledger: str, query: str) -> list[tuple[object, object]]:
    from pathlib import Path

    if "://" not in ledger:
        from contextlib import closing

        path = Path(ledger).expanduser()
        if not path.is_file():
            return []
        import sqlite3

        with closing(sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=1)) as conn:
            return [(a, b) for a, b in conn.execute(query)]
    from sqlalchemy import create_engine, text

    engine = create_engine(ledger, connect_args={"connect_timeout": 2})
    try:
        with engine.connect() as conn:
            return [(a, b) for a, b in conn.execute(text(query))]
    finally:
        engine.dispose()


# What an option completes, by the group `zs GROUP …` of its command and its name; None: in any
# group. `log trip --to` is a destination (not completed), `project advance --to` a stage; the
# --leader of a trip is one of the ledger's people, a project's 包保领导 need not be.
Completer = Callable[[str, str], list[Choice]]
LEDGER: dict[tuple[str | None, str], Completer] = {
    (None, "--unit"): units,
    ("log", "--leader"): people,
    ("log", "--with"): people,
}
VOCABULARY: dict[tuple[str | None, str], type[StrEnum]] = {
    (None, "--stage"): labels.Stage,
    (None, "--mode"): labels.Mode,
    (None, "--origin"): labels.Origin,
    (None, "--tier"): labels.Tier,
    (None, "--no-tier"): labels.Tier,
    (None, "--role"): labels.Role,
    (None, "--currency"): labels.Currency,
    ("project", "--to"): labels.Stage,
    ("project", "--type"): labels.ProjectType,
    ("log", "--type"): labels.EventType,
    ("log", "--kind"): labels.ActivityKind,
    ("unit", "--kind"): labels.UnitKind,
}


def completer(group: str, option: str) -> Completer | None:
    """What option `option` of a command in group `group` completes, if anything: a function of
    (ledger, typed so far) to the choices."""
    found = LEDGER.get((group, option)) or LEDGER.get((None, option))
    if found is not None:
        return found
    vocabulary = VOCABULARY.get((group, option)) or VOCABULARY.get((None, option))
    if vocabulary is None:
        return None
    return lambda _ledger, incomplete: codes(vocabulary, incomplete)
