"""`zs export`: the whole ledger, one sheet (or CSV file) per kind of record, with the headers that
`zs import` reads — so an export imported into a fresh ledger gives the same reports.

Rows are streamed from the database in id order (activities with their companies merged from a
second ordered stream), so a ledger of a million activities exports in constant memory.

Nothing is written that `zs import` would read back otherwise: a project or person whose name is
shared is named as UNIT/NAME (ids do not survive into another ledger), and text the import would
refuse (a control or invisible character, kept from before the ledger refused them) is refused
here, naming its sheet, row and column. The file appears whole or not at all.
"""

import itertools
import json
from collections import Counter, namedtuple
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from zhaoshang import progress
from zhaoshang.errors import ZsError
from zhaoshang.interchange import SHEETS
from zhaoshang.labels import (
    ActivityKind,
    Currency,
    EventType,
    Mode,
    Origin,
    ProjectType,
    Role,
    Stage,
    Tier,
    UnitKind,
    label,
)
from zhaoshang.models import (
    Activity,
    ActivityCompany,
    ActivityPerson,
    ActivityProject,
    ActivityUnit,
    Company,
    CompanyTier,
    Fund,
    Milestone,
    Person,
    Project,
    ProjectNote,
    ReportedFigure,
    Unit,
)
from zhaoshang.money import WAN
from zhaoshang.parse import check_text, unsafe_character
from zhaoshang.render.json import indented
from zhaoshang.tabular import place, write_book, write_csv, written

DATE, MONEY = "yyyy-mm-dd", "#,##0.0000"
MONEY_FIELDS = {"amount", "funds", "increase"}  # 万元 in a sheet, yuan in JSON
STAGE_COLUMNS = (Stage.lead, Stage.negotiating, Stage.signed, Stage.started, Stage.producing, Stage.dropped)


def _wan(yuan: int | None) -> Decimal | None:
    return None if yuan is None else Decimal(yuan) / WAN


def _amount(row) -> Decimal | str:
    """A money cell: 万元 as a number; an amount in another currency as typed text (1000万美元),
    which the import reads back whole."""
    if row.currency is None:
        return _wan(row.amount_yuan)
    return f"{(Decimal(row.amount_original) / WAN).normalize():f}万{label(Currency(row.currency))}"


class _Names:
    """How records name people and projects: by name, or unambiguously where a name is shared."""

    def __init__(self, session: Session):
        people = session.exec(select(Person.id, Person.name, Unit.name).join(Unit, Unit.id == Person.unit_id)).all()
        counts = {}
        for _, name, _ in people:
            counts[name] = counts.get(name, 0) + 1
        self.people = {pid: (name if counts[name] == 1 else f"{unit}/{name}") for pid, name, unit in people}
        projects = session.exec(
            select(Project.id, Project.name, Unit.name).join(Unit, Unit.id == Project.unit_id).order_by(Project.id)
        ).all()
        by_name = Counter(name for _, name, _ in projects)
        in_unit = Counter((unit, name) for _, name, unit in projects)
        seen = Counter()
        self.projects = {}
        for pid, name, unit in projects:  # the import reads these back (importer._Directory.project)
            seen[(unit, name)] += 1
            self.projects[pid] = (
                name
                if by_name[name] == 1
                else f"{unit}/{name}"
                if in_unit[(unit, name)] == 1
                else f"{unit}/{name}#{seen[(unit, name)]}"
            )


def _units(session: Session) -> Iterator[list]:
    for name, kind in session.exec(select(Unit.name, Unit.kind).order_by(Unit.id)):
        yield [name, label(UnitKind(kind))]


def _people(session: Session) -> Iterator[list]:
    query = select(Person.name, Unit.name, Person.role).join(Unit, Unit.id == Person.unit_id).order_by(Person.id)
    for name, unit, role in session.exec(query):
        yield [name, unit, label(Role(role))]


def _companies(session: Session) -> Iterator[list]:
    """By name in code-point order — the order Python sorts in, SQLite's BINARY collation and
    PostgreSQL's "C" (a locale's collation orders Chinese differently on each engine) — so that a
    ledger imported from an export exports the same sheet though its companies came in another
    order; streamed, a register of any size never held whole. Tiers are few: read first."""
    tiers: dict[int, list[Tier]] = {}
    for company_id, tier in session.exec(select(CompanyTier.company_id, CompanyTier.tier)):
        tiers.setdefault(company_id, []).append(Tier(tier))
    order = list(Tier)
    connection = session.connection()
    name = Company.name if connection.dialect.name == "sqlite" else Company.name.collate("C")
    query = select(Company.id, Company.name, Company.origin, Company.industry, Company.contact).order_by(name)
    for company_id, company, origin, industry, contact in connection.execute(query.execution_options(yield_per=BATCH)):
        held = sorted(tiers.get(company_id, ()), key=order.index)
        yield [company, "、".join(label(t) for t in held) or None, origin, industry, contact]


def _projects(session: Session, names: _Names) -> Iterator[list]:
    firsts = {}
    query = select(Milestone.project_id, Milestone.stage, func.min(Milestone.date)).group_by(
        Milestone.project_id, Milestone.stage
    )
    for pid, stage, day in session.exec(query):
        firsts[(pid, stage)] = day
    query = select(Project, Unit.name).join(Unit, Unit.id == Project.unit_id).order_by(Project.id)
    for p, unit in session.exec(query.execution_options(yield_per=BATCH)):
        dates = [firsts.get((p.id, s.value)) for s in STAGE_COLUMNS]
        yield [
            p.name,
            unit,
            _amount(p),
            label(Stage(p.stage)),
            *dates,
            names.people.get(p.owner_id),
            names.people.get(p.leader_id),
            p.company,
            p.industry,
            "是" if p.is_key else "否",
            p.start_deadline,
            label(ProjectType(p.type)),
            _wan(p.increase_yuan),
            None,
            None,
            None,
            None,
            p.source_key,
        ]


def _funds(session: Session, names: _Names) -> Iterator[list]:
    for f in session.exec(select(Fund).order_by(Fund.id).execution_options(yield_per=BATCH)).scalars():
        yield [
            names.projects[f.project_id],
            _amount(f),
            label(Origin(f.origin)),
            f.date,
            f.note,
            f.void_reason,
        ]


def _notes(session: Session, names: _Names) -> Iterator[list]:
    for n in session.exec(select(ProjectNote).order_by(ProjectNote.id).execution_options(yield_per=BATCH)).scalars():
        yield [
            names.projects[n.project_id],
            n.date,
            n.text,
            "是" if n.is_problem else "否",
            n.assignee,
            n.due,
            n.resolved_on,
            n.resolution,
        ]


def _figures(session: Session) -> Iterator[list]:
    query = (
        select(ReportedFigure, Unit.name).outerjoin(Unit, Unit.id == ReportedFigure.unit_id).order_by(ReportedFigure.id)
    )
    for f, unit in session.exec(query.execution_options(yield_per=BATCH)):
        yield [f.name, f.period, unit, _amount(f), f.note, f.void_reason]


BATCH = 1000  # rows read at a time: the records of a kind streamed, not held whole
_ACTIVITY_COLUMNS = (
    "id",
    "date",
    "end_date",
    "kind",
    "event_type",
    "leader_id",
    "mode",
    "destination",
    "note",
    "void_reason",
    "source_key",
)
_Activity = namedtuple("_Activity", _ACTIVITY_COLUMNS)


def _activities(session: Session, names: _Names) -> Iterator[list]:
    unit = aliased(Unit)
    # plain rows, not ORM objects, a thousand at a time: a million activities in the memory of a batch
    columns = [getattr(Activity, name) for name in _ACTIVITY_COLUMNS]
    rows = session.connection().execute(
        select(*columns, unit.name)
        .join(unit, unit.id == Activity.unit_id)
        .order_by(Activity.id)
        .execution_options(yield_per=BATCH)
    )
    companies = _Beside(
        session, select(ActivityCompany.activity_id, ActivityCompany.company).order_by(ActivityCompany.activity_id)
    )
    links = _Beside(
        session,
        select(ActivityProject.activity_id, ActivityProject.project_id).order_by(
            ActivityProject.activity_id, ActivityProject.project_id
        ),
    )
    units = _Beside(
        session,
        select(ActivityUnit.activity_id, Unit.name)
        .join(Unit, Unit.id == ActivityUnit.unit_id)
        .where(ActivityUnit.position > 0)
        .order_by(ActivityUnit.activity_id, ActivityUnit.position),
    )
    people = _Beside(
        session,
        select(ActivityPerson.activity_id, ActivityPerson.person_id, Activity.leader_id)
        .join(Activity, Activity.id == ActivityPerson.activity_id)
        .order_by(ActivityPerson.activity_id, ActivityPerson.position),
        lambda row: row[1] != row[2],  # the leader has a column of its own
    )
    reached = _Beside(
        session,
        select(Milestone.event_id, Milestone.project_id, Milestone.stage)
        .where(Milestone.event_id.is_not(None))
        .order_by(Milestone.event_id, Milestone.id),
        lambda row: True,
        whole=True,
    )
    for *values, unit_name in rows:
        a = _Activity(*values)
        mine, linked = companies.of(a.id), links.of(a.id)
        here = [f"{names.projects[pid]}({label(Stage(stage))})" for pid, stage in reached.of(a.id)]
        kind = label(EventType(a.event_type)) if a.event_type else label(ActivityKind(a.kind))
        yield [
            a.date,
            a.end_date,
            unit_name,
            kind,
            names.people.get(a.leader_id),
            "、".join(units.of(a.id)) or None,
            "、".join(names.people[p] for p in people.of(a.id)) or None,
            "、".join(here) or None,
            label(Mode(a.mode)) if a.mode else None,
            a.destination,
            "、".join(sorted(mine)) or None,
            "、".join(names.projects[p] for p in linked) or None,
            a.note,
            a.void_reason,
            a.source_key,
        ]


class _Beside:
    """A second stream in activity order, read alongside the activities: `of(id)` gives the values
    of that activity (the second column of its rows, those `keep` keeps), and moves on."""

    def __init__(self, session: Session, query, keep=None, whole: bool = False):
        rows = session.connection().execute(query.execution_options(yield_per=BATCH))
        if keep is not None:
            rows = (row for row in rows if keep(row))
        value = (lambda r: tuple(r[1:])) if whole else (lambda r: r[1])
        self.groups = ((key, [value(r) for r in group]) for key, group in itertools.groupby(rows, key=lambda r: r[0]))
        self.next = next(self.groups, (None, []))

    def of(self, activity_id: int) -> list:
        if self.next[0] != activity_id:
            return []
        found, self.next = self.next[1], next(self.groups, (None, []))
        return found


def _headers(kind: str) -> list[str]:
    fields = SHEETS[kind][1]
    money = MONEY_FIELDS
    return [f"{f.header}(万元)" if f.name in money else f.header for f in fields]


def _formats(kind: str) -> dict[int, str]:
    formats = {}
    for index, f in enumerate(SHEETS[kind][1]):
        if f.name in MONEY_FIELDS:
            formats[index] = MONEY
        elif "date" in f.name or f.name in ("deadline", "due", "resolved_on"):
            formats[index] = DATE
    return formats


def _tables(session: Session):
    names = _Names(session)
    return [
        ("units", _units(session)),
        ("people", _people(session)),
        ("companies", _companies(session)),
        ("projects", _projects(session, names)),
        ("funds", _funds(session, names)),
        ("notes", _notes(session, names)),
        ("activities", _activities(session, names)),
        ("figures", _figures(session)),
    ]


def _readable(kind: str, rows: Iterable[list]) -> Iterator[list]:
    """The rows, refusing text that `zs import` would refuse: a control character (which an xlsx
    cannot even hold), an invisible one, or U+FFFE/U+FFFF (not XML, so no xlsx reader reads them back)."""
    headers = _headers(kind)
    for number, row in enumerate(rows, start=2):
        for index, value in enumerate(row):
            if type(value) is str and unsafe_character(value):
                check_text(value, f"{SHEETS[kind][0]} row {number}, {headers[index]}")
        progress.advance()
        yield row


def _counted(rows: Iterable[list]) -> Iterator[list]:
    for row in rows:
        progress.advance()
        yield row


def export(session: Session, path: Path, fmt: str) -> dict[str, int]:
    """Write the ledger to path as xlsx (one sheet per kind), csv (a folder of files) or json."""
    path = Path(path)
    found = place(path, "PATH", folder=fmt == "csv")
    if found is not None and not (fmt == "csv" and path.is_dir() and not any(path.iterdir())):
        raise ZsError("PATH", str(path), "a path with nothing there yet", "it exists")
    counts = {}
    with written(path, "PATH", "a path where the export can be written", folder=fmt == "csv") as target:
        if fmt == "xlsx":
            tables = _tables(session)
            written_rows = write_book(
                target,
                [(SHEETS[kind][0], _headers(kind), _readable(kind, rows), _formats(kind)) for kind, rows in tables],
            )
            counts = {kind: n for (kind, _), n in zip(tables, written_rows, strict=True)}
        elif fmt == "csv":
            target.mkdir()
            for kind, rows in _tables(session):
                counts[kind] = write_csv(target / f"{kind}.csv", _headers(kind), _readable(kind, rows))
        else:
            with target.open("w", encoding="utf-8") as out:
                counts = _write_json(out, _tables(session))
    return counts


def _write_json(out, tables) -> dict[str, int]:
    """`json.dumps({kind: [row, …], …}, indent=1)` written a row at a time, the same text, so that a
    million activities are never held whole: each row is dumped on its own and shifted to its depth."""
    counts = {}
    out.write("{")
    for index, (kind, rows) in enumerate(tables):
        fields = [f"{f.name}_yuan" if f.name in MONEY_FIELDS else f.name for f in SHEETS[kind][1]]
        out.write(("," if index else "") + "\n " + json.dumps(kind, ensure_ascii=False) + ": [")
        counts[kind] = 0
        for row in _counted(rows):
            shown = {
                k: int(v * WAN) if k.endswith("_yuan") and isinstance(v, Decimal) else v
                for k, v in zip(fields, row, strict=True)
            }
            text = indented(shown, 1, _json_value, depth=2)
            out.write(("," if counts[kind] else "") + "\n  " + text)
            counts[kind] += 1
        out.write("\n ]" if counts[kind] else "]")
    out.write("\n}" if counts else "}")
    return counts


def _json_value(value):
    return value.isoformat()
