"""Reading and writing the ledger on an open Session (db.py opens it and hands out the sessions;
db_migrate.py migrates it, db_backup.py backs it up and restores it).

Every function takes parsed values (codes, dates, integer yuan) and names of units and people,
resolves the names, checks the rules of the domain, and raises `ZsError` before writing anything
it would have to take back. The caller's `db.writing()` commits the whole unit of work or none of it.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import String, cast, func
from sqlalchemy.orm import aliased
from sqlmodel import Session, select

from zhaoshang import db, history
from zhaoshang.errors import ZsError
from zhaoshang.facts import figure, funds_arrived, in_yuan, row_in_yuan
from zhaoshang.labels import (
    STAGE_PATH,
    ActivityKind,
    Currency,
    EventType,
    Mode,
    Origin,
    ProjectType,
    Role,
    Stage,
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
    Fund,
    Milestone,
    Person,
    Project,
    ProjectNote,
    ReportedFigure,
    Unit,
)
from zhaoshang.parse import FIRST_DAY, LAST_DAY, Period, check_amount, check_text
from zhaoshang.suggest import did_you_mean

if TYPE_CHECKING:  # targets.yaml (and PyYAML) are read only by the commands that need them
    from zhaoshang.config import Targets
from zhaoshang.records import (
    ActivityRecord,
    FundRecord,
    MilestoneRecord,
    NoteRecord,
    PersonRecord,
    ProjectDetail,
    ProjectRecord,
    UnitRecord,
)


def _stamp(session: Session) -> dict:
    return {"created_at": session.info["now"], "created_by": session.info["actor"]}


def _text(value: str | None, field: str, required: bool = False) -> str | None:
    """Text to store: stripped, None if empty (refused if `required`), never a control or invisible character."""
    cleaned = check_text(value, field).strip() if value is not None else None
    if required and not cleaned:
        raise ZsError(field, value or "", "a non-empty text")
    return cleaned or None


# The dates a record may carry. Nothing an investment-promotion office records happened before
# 1900 or is planned after 2200; a date outside is a typo (0023 for 2023, 9999 for "never"), and
# refusing it keeps every period around it (a week, a quarter, a plan year) inside what dates can hold.
MAX_ID = 2**31 - 1  # the largest id both engines store: ids are INTEGER, 32 bits on PostgreSQL


def as_id(text: str) -> int | None:
    """`text` as a row id if it is plain digits 0-9 of a number from 1 to MAX_ID, else None.
    (Python's int() also reads ２, ٣ and ' 5', and refuses more than 4300 digits with a ValueError.)"""
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not 0 < len(digits) <= len(str(MAX_ID)):
        return None
    number = int(digits)
    return number if number <= MAX_ID else None


def _day(value: date | None, field: str) -> date | None:
    if value is not None and not FIRST_DAY <= value <= LAST_DAY:
        raise ZsError(field, value.isoformat(), f"a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
    return value


# --- units and people -------------------------------------------------------------------------


def squeezed(name: str) -> str:
    """A name as it reads: without its spaces (萧　镇 and 王 明, as tables pad short names to line
    them up) and with full-width letters and digits as their plain forms (ＡＢＣ园区 is ABC园区)."""
    return unicodedata.normalize("NFKC", "".join(name.split()))


def spaced(names: Iterable[str]) -> dict[str, str]:
    """Each name by its squeezed form, where no other name has that form."""
    by_form: dict[str, list[str]] = {}
    for name in names:
        by_form.setdefault(squeezed(name), []).append(name)
    return {form: held[0] for form, held in by_form.items() if len(held) == 1}


def find_unit(session: Session, name: str, field: str = "--unit") -> Unit:
    unit = session.exec(select(Unit).where(Unit.name == name.strip())).first()
    if unit is None and squeezed(name) != name.strip():  # 萧　镇
        held = spaced(session.exec(select(Unit.name)).all()).get(squeezed(name))
        unit = session.exec(select(Unit).where(Unit.name == held)).first() if held else None
    if unit is None:
        every = session.exec(select(Unit.name).order_by(Unit.id)).all()
        known = every[:12]
        hint = f"a known unit ({', '.join(known)})" if known else "a known unit"
        raise ZsError(field, name, f"{hint}; add it with `zs unit add` or `zs init`", did_you_mean(name, every))
    return unit


def add_unit(session: Session, name: str, kind: UnitKind) -> UnitRecord:
    name = _text(name, "name", required=True)
    existing = session.exec(select(Unit).where(Unit.name == name)).first()
    if existing is not None:
        raise ZsError("name", name, "a new unit name", f"it exists already as {label(UnitKind(existing.kind))}")
    same = [held for held in session.exec(select(Unit.name)).all() if squeezed(held) == squeezed(name)]
    if same:  # ＡＢＣ园区 beside ABC园区: one unit typed two ways, whose records a report would split
        raise ZsError("name", name, "a new unit name", f"it reads the same as the unit {same[0]}")
    unit = Unit(name=name, kind=kind.value, created_at=session.info["now"])
    session.add(unit)
    session.flush()
    return UnitRecord(unit.id, unit.name, kind)


def list_units(session: Session) -> list[UnitRecord]:
    rows = session.exec(
        select(Unit.id, Unit.name, Unit.kind, func.count(Person.id))
        .join(Person, Person.unit_id == Unit.id, isouter=True)
        .group_by(Unit.id)
        .order_by(Unit.id)
    ).all()
    return [UnitRecord(id, name, UnitKind(kind), people) for id, name, kind, people in rows]


def find_person(session: Session, ref: str, field: str) -> Person:
    """A person by name, or by `UNIT/NAME` where the same name serves in two units."""
    unit_name, _, name = ref.strip().rpartition("/")
    if squeezed(name) != name.strip():  # 王　明
        name = spaced(session.exec(select(Person.name).distinct()).all()).get(squeezed(name), name)
    query = select(Person).where(Person.name == name.strip())
    if unit_name:
        query = query.join(Unit, Unit.id == Person.unit_id).where(Unit.name == unit_name.strip())
    found = session.exec(query.order_by(Person.id)).all()
    if not found:
        names = session.exec(select(Person.name).order_by(Person.id)).all()
        raise ZsError(field, ref, "a known person; add them with `zs person add`", did_you_mean(name, names))
    if len(found) > 1:
        units = [session.get(Unit, p.unit_id).name for p in found]
        raise ZsError(
            field,
            ref,
            f"UNIT/NAME, one of {', '.join(f'{u}/{name}' for u in units)}",
            f"{len(found)} people have this name",
        )
    return found[0]


def add_person(session: Session, name: str, unit: str, role: Role) -> PersonRecord:
    name = _text(name, "name", required=True)
    if "/" in name:
        raise ZsError("name", name, "a name without '/'")
    owner = find_unit(session, unit)
    if session.exec(select(Person).where(Person.unit_id == owner.id, Person.name == name)).first():
        raise ZsError("name", name, f"a person not yet listed in {owner.name}", "already listed")
    person = Person(name=name, unit_id=owner.id, role=role.value, created_at=session.info["now"])
    session.add(person)
    session.flush()
    return PersonRecord(person.id, person.name, owner.name, role)


def list_people(session: Session, unit: str | None = None) -> list[PersonRecord]:
    query = select(Person.id, Person.name, Unit.name, Person.role).join(Unit, Unit.id == Person.unit_id)
    if unit is not None:
        query = query.where(Unit.id == find_unit(session, unit).id)
    rows = session.exec(query.order_by(Unit.id, Person.id)).all()
    return [PersonRecord(id, name, unit_name, Role(role)) for id, name, unit_name, role in rows]


def load_organisation(session: Session, targets: "Targets") -> tuple[list[UnitRecord], list[PersonRecord]]:
    """Add the units and people of targets.yaml that the ledger lacks; refuse a changed kind."""
    existing = {u.name: u for u in session.exec(select(Unit)).all()}
    units = []
    for name, kind in targets.units.items():
        if name in existing:
            if existing[name].kind != kind.value:
                raise ZsError(
                    f"{targets.path}: units.{name}",
                    kind.value,
                    f"the kind the ledger has ({existing[name].kind})",
                    "the kind differs",
                )
            continue
        units.append(add_unit(session, name, kind))
    people = []
    for spec in targets.people:
        unit = find_unit(session, spec.unit, field=f"{targets.path}: people[].unit")
        known = session.exec(select(Person).where(Person.unit_id == unit.id, Person.name == spec.name)).first()
        if known is None:
            people.append(add_person(session, spec.name, spec.unit, spec.role))
    return units, people


# --- activities -------------------------------------------------------------------------------


def find_project(session: Session, ref: str | int, field: str = "project", lock: bool = False) -> Project:
    """A project by id, or by its exact name when that name is unique. With `lock`, the row is held
    until the change commits (on a server, two desks moving one project queue; SQLite's writer
    lock already does this)."""
    text = str(ref).strip().lstrip("#")
    if text.isascii() and text.isdigit():
        number = as_id(text)
        project = session.get(Project, number, with_for_update=lock or None) if number else None
        if project is None:
            raise ZsError(field, ref, "the id of an existing project (see `zs project list`)")
        return project
    query = select(Project).where(Project.name == text).order_by(Project.id)
    found = session.exec(query.with_for_update() if lock else query).all()
    if len(found) != 1:
        problem = f"{len(found)} projects have this name" if found else None
        lookalike = text.isdigit() and not found  # ２, ² or ٣: Python reads them as digits
        expected = "a project id in digits 0-9" if lookalike else "a project id or the exact name of one project"
        raise ZsError(field, ref, expected, problem)
    return found[0]


def log_activity(session: Session, **fields) -> ActivityRecord:
    """Record one activity (see add_activity) and return it as a list shows it."""
    return activity_record(session, add_activity(session, **fields).id)


_COMPANY_SPLIT = re.compile(r"[、，;；]")


def _companies_in(given: str) -> list[str]:
    """The companies one --company names: 比亚迪、海尔 is two, as in a sheet's cell (an ASCII comma
    may be part of a name: Foo, Inc.)."""
    names = [_text(part, "--company", required=True) for part in _COMPANY_SPLIT.split(given) if part.strip()]
    if not names:
        raise ZsError("--company", given, "a non-empty text")
    return names


def add_activity(
    session: Session,
    *,
    kind: ActivityKind,
    unit: str | Sequence[str],
    day: date,
    end: date | None = None,
    leader: str | None = None,
    participants: Sequence[str] = (),
    mode: Mode | None = None,
    event_type: EventType | None = None,
    destination: str | None = None,
    companies: Sequence[str] = (),
    projects: Sequence[str] = (),
    note: str | None = None,
) -> Activity:
    """Record one activity. A joint one (联合招商) names several units, the first the one that
    organised it, and besides its leader the people who went along (`participants`)."""
    _day(day, "--date")
    if end is not None and _day(end, "--end") < day:
        raise ZsError("--end", end.isoformat(), f"a date on or after the start {day.isoformat()}")
    if kind in (ActivityKind.visit, ActivityKind.reception) and not companies:
        raise ZsError("--company", "", f"at least one company for a {kind.value} ({label(kind)})")
    if kind is ActivityKind.event and event_type is None:
        raise ZsError("--type", "", "an event type for an event")
    units = _distinct([find_unit(session, name) for name in ([unit] if isinstance(unit, str) else unit)])
    if not units:
        raise ZsError("--unit", "", "the unit that did it")
    person = find_person(session, leader, "--leader") if leader else None
    people = _distinct([*([person] if person else []), *(find_person(session, ref, "--with") for ref in participants)])
    linked = sorted({find_project(session, ref, "--project").id for ref in projects})
    names = list(dict.fromkeys(name for given in companies for name in _companies_in(given)))
    activity = Activity(
        kind=kind.value,
        date=day,
        end_date=end,
        unit_id=units[0].id,
        leader_id=person.id if person else None,
        mode=mode.value if mode else None,
        event_type=event_type.value if event_type else None,
        destination=_text(destination, "--to"),
        note=_text(note, "--note"),
        **_stamp(session),
    )
    session.add(activity)
    session.flush()
    ensure_companies(session, names)
    session.add_all(ActivityUnit(activity_id=activity.id, unit_id=u.id, position=at) for at, u in enumerate(units))
    session.add_all(ActivityPerson(activity_id=activity.id, person_id=p.id, position=at) for at, p in enumerate(people))
    session.add_all(ActivityCompany(activity_id=activity.id, company=c) for c in names)
    session.add_all(ActivityProject(activity_id=activity.id, project_id=p) for p in linked)
    session.flush()
    return activity


def _distinct(rows: list) -> list:
    """Units or people in the order given, each once (the leader named again by --with is one person)."""
    seen: dict[int, object] = {}
    for row in rows:
        seen.setdefault(row.id, row)
    return list(seen.values())


def ensure_companies(session: Session, names: Iterable[str]) -> int:
    """Add to the register the companies named that it lacks (a name typed in `log` or `project`
    that is not yet a company becomes one); how many were added."""
    wanted = list(dict.fromkeys(n for n in names if n))
    session.flush()  # the session's own pending companies count as known
    known: set[str] = set()
    for start in range(0, len(wanted), 10_000):  # far below any engine's bound on parameters
        chunk = wanted[start : start + 10_000]
        known.update(session.exec(select(Company.name).where(Company.name.in_(chunk))).all())
    new = [{"name": name, **_stamp(session)} for name in wanted if name not in known]
    ids = db.insert_returning_ids(session, Company.__table__, new)  # in one statement, not one per company
    if "created" in session.info:  # a tracked change: `zs undo` takes the new companies back
        history.note_created(session, "company", ids)
    return len(new)


def person_labels(session: Session) -> dict[int, str]:
    """Person id -> how records name them: the name, or UNIT/NAME where two people share it."""
    rows = session.exec(select(Person.id, Person.name, Unit.name).join(Unit, Unit.id == Person.unit_id)).all()
    shared = Counter(name for _, name, _ in rows)
    return {pid: f"{unit}/{name}" if shared[name] > 1 else name for pid, name, unit in rows}


def activity_filters(
    session: Session,
    *,
    unit: str | None = None,
    kind: ActivityKind | None = None,
    period: Period | None = None,
    since: date | None = None,
    company: str | None = None,
    leader: str | None = None,
    include_void: bool = True,
) -> list:
    """The conditions of `zs log list` on the activity table, its names resolved first: an unknown
    unit, company or leader is refused with the names most like it. `--unit` takes in the joint
    activities the unit took part in; `--company` is a name of the register, exactly (its other
    spellings are other companies until `zs company merge` makes them one)."""
    where = []
    if unit is not None:
        mine = select(ActivityUnit.activity_id).where(ActivityUnit.unit_id == find_unit(session, unit).id)
        where.append(Activity.id.in_(mine))
    if kind is not None:
        where.append(Activity.kind == kind.value)
    if period is not None:
        where += [Activity.date >= period.start, Activity.date <= period.end]
    if since is not None:
        where.append(Activity.date >= since)
    if company is not None:
        named = select(ActivityCompany.activity_id).where(ActivityCompany.company == _company_name(session, company))
        where.append(Activity.id.in_(named))
    if leader is not None:
        where.append(Activity.leader_id == find_person(session, leader, "--leader").id)
    if not include_void:
        where.append(Activity.voided_at.is_(None))
    return where


def _company_name(session: Session, name: str, field: str = "--company") -> str:
    """`name` as the register holds it, or a ZsError with the names most like it."""
    found = session.exec(select(Company.name).where(Company.name == name.strip())).first()
    if found is None:
        every = session.exec(select(Company.name).order_by(Company.name)).all()
        raise ZsError(field, name, "a company of the register (see `zs company list`)", did_you_mean(name, every))
    return found


def count_activities(session: Session, where: Sequence = ()) -> int:
    return session.exec(select(func.count()).select_from(Activity).where(*where)).one()


def list_activities(session: Session, where: Sequence = (), limit: int | None = None) -> Iterator[ActivityRecord]:
    """The activities meeting `where` in date order (then by id); with `limit`, the latest `limit` of
    them, still oldest first. Streamed: one query, each row carrying the activity's units, people,
    companies and projects gathered in SQL, read a batch at a time, so that a million activities take
    the memory of a batch and the first ones come at once (off the index on date and id)."""
    query = _activity_query(session)
    if limit is None:
        query = query.where(*where)
    else:
        latest = select(Activity.id).where(*where).order_by(Activity.date.desc(), Activity.id.desc()).limit(limit)
        query = query.where(Activity.id.in_(latest.scalar_subquery()))
    units = dict(session.exec(select(Unit.id, Unit.name)).all())
    labels = person_labels(session)
    ordered = query.order_by(Activity.date, Activity.id).execution_options(yield_per=ROWS_PER_BATCH)
    for row in session.connection().execute(ordered):  # plain rows: nothing for the ORM to load
        yield _activity_record(row, units, labels)


def activity_record(session: Session, activity_id: int) -> ActivityRecord:
    [record] = list_activities(session, [Activity.id == activity_id])
    return record


# Joins the names or ids an activity has in one SQL cell. No text the ledger stores holds it: stored
# text is refused a control character (`parse.check_text`).
SEPARATOR = "\x1f"
ROWS_PER_BATCH = 1000


def _activity_query(session: Session):
    """Every column an ActivityRecord needs, the links of each activity gathered in a cell each."""
    return select(
        Activity.id,
        Activity.kind,
        Activity.date,
        Activity.end_date,
        Activity.unit_id,
        Activity.leader_id,
        Activity.mode,
        Activity.event_type,
        Activity.destination,
        Activity.note,
        Activity.voided_at,
        Activity.void_reason,
        _gathered(session, ActivityUnit.unit_id, ActivityUnit.activity_id, ActivityUnit.position).label("units"),
        _gathered(session, ActivityPerson.person_id, ActivityPerson.activity_id, ActivityPerson.position).label(
            "people"
        ),
        _gathered(session, ActivityCompany.company, ActivityCompany.activity_id, ActivityCompany.company).label(
            "companies"
        ),
        _gathered(session, ActivityProject.project_id, ActivityProject.activity_id, ActivityProject.project_id).label(
            "projects"
        ),
    )


def _gathered(session: Session, value, of, order):
    """A correlated subquery: the `value`s of the link rows of the activity (`of` = Activity.id) in
    `order`, joined by SEPARATOR (group_concat on SQLite, string_agg on PostgreSQL). The rows are
    ordered in a subquery, which SQLite's group_concat follows; where the engine orders inside the
    aggregate (PostgreSQL, SQLite 3.44 on) it is told so as well."""
    rows = (
        select(cast(value, String).label("value"), order.label("at"))
        .where(of == Activity.id)
        .order_by(order)
        .correlate(Activity)
        .subquery()
    )
    joined = func.aggregate_strings(rows.c.value, SEPARATOR)
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite" or dialect.dbapi.sqlite_version_info >= (3, 44):
        joined = joined.aggregate_order_by(rows.c.at)
    return select(joined).scalar_subquery()


def _activity_record(row, units: dict[int, str], labels: dict[int, str]) -> ActivityRecord:
    """One row of `_activity_query` as a record: ids named, the gathered cells split."""
    organiser = units[row.unit_id]
    return ActivityRecord(
        id=row.id,
        kind=ActivityKind(row.kind),
        date=row.date,
        end_date=row.end_date,
        unit=organiser,
        leader=labels[row.leader_id] if row.leader_id else None,
        mode=Mode(row.mode) if row.mode else None,
        event_type=EventType(row.event_type) if row.event_type else None,
        destination=row.destination,
        companies=sorted(_split(row.companies)),
        projects=[int(p) for p in _split(row.projects)],
        note=row.note,
        voided=row.voided_at is not None,
        void_reason=row.void_reason,
        units=[units[int(u)] for u in _split(row.units)] or [organiser],
        people=[labels[int(p)] for p in _split(row.people)],
    )


def _split(cell: str | None) -> list[str]:
    return cell.split(SEPARATOR) if cell else []


def void_activity(session: Session, activity_id: int, reason: str) -> ActivityRecord:
    _void(session, Activity, activity_id, reason, "a logged activity (see `zs log list`)")
    return activity_record(session, activity_id)


def _void(
    session: Session, table: type[Activity] | type[Fund] | type[ReportedFigure], row_id: int, reason: str, what: str
):
    """Mark a fact void with the reason: it stays in the ledger and never counts again."""
    reason = _text(reason, "--reason", required=True)
    row = session.get(table, row_id)
    if row is None:
        raise ZsError("id", row_id, f"the id of {what}")
    if row.voided_at is not None:
        raise ZsError("id", row_id, "a record that is not voided yet", f"voided already: {row.void_reason}")
    row.voided_at = session.info["now"]
    row.void_reason = reason
    session.add(row)
    session.flush()
    return row


# --- projects ---------------------------------------------------------------------------------


def add_project(
    session: Session,
    *,
    name: str,
    unit: str,
    amount_yuan: int,
    stage: Stage = Stage.lead,
    day: date,
    company: str | None = None,
    industry: str | None = None,
    key: bool = False,
    owner: str | None = None,
    leader: str | None = None,
    deadline: date | None = None,
    type: ProjectType = ProjectType.new,
    increase_yuan: int | None = None,
    currency: Currency | None = None,
    allow_duplicate: bool = False,
) -> ProjectDetail:
    """A new project. With `currency`, `amount_yuan` is the amount in that currency (1000万美元),
    kept as typed and converted wherever it is counted. A name its unit already has is refused
    unless `allow_duplicate` (a unit's projects are known by name: imports match on unit + name)."""
    name = _text(name, "name", required=True)
    if stage is Stage.dropped:
        raise ZsError("--stage", stage.value, "the stage a new project is at (lead … producing)")
    check_amount(amount_yuan, "--amount")
    check_increase(type, increase_yuan, amount_yuan, currency)
    _day(day, "--date")
    _day(deadline, "--deadline")
    check_deadline(deadline, [(stage.value, day)])
    owner_unit = find_unit(session, unit)
    owner_person = find_person(session, owner, "--owner") if owner else None
    leader_person = find_person(session, leader, "--leader") if leader else None
    if not allow_duplicate:
        same = session.exec(select(Project.id).where(Project.unit_id == owner_unit.id, Project.name == name)).first()
        if same is not None:
            raise ZsError(
                "NAME",
                name,
                f"a name {owner_unit.name} has no project of yet (--allow-duplicate to add a second one)",
                f"project #{same} has it",
            )
    project = Project(
        name=name,
        company=_text(company, "--company"),
        industry=_text(industry, "--industry"),
        **_money(amount_yuan, currency),
        unit_id=owner_unit.id,
        owner_id=owner_person.id if owner_person else None,
        leader_id=leader_person.id if leader_person else None,
        is_key=key,
        stage=stage.value,
        start_deadline=deadline,
        type=type.value,
        increase_yuan=increase_yuan,
        **_stamp(session),
    )
    session.add(project)
    session.flush()
    ensure_companies(session, [project.company] if project.company else [])
    for passed in STAGE_PATH[: STAGE_PATH.index(stage) + 1]:
        session.add(Milestone(project_id=project.id, stage=passed.value, date=day, **_stamp(session)))
    session.flush()
    return show_project(session, project.id)


def _money(amount: int, currency: Currency | None) -> dict:
    """The columns of an amount: yuan as they are; another currency's kept as typed (amount_yuan 0)."""
    if currency is None:
        return {"amount_yuan": amount, "currency": None, "amount_original": None}
    return {"amount_yuan": 0, "currency": currency.value, "amount_original": amount}


def check_increase(
    type: ProjectType, increase_yuan: int | None, amount_yuan: int, currency: Currency | None = None
) -> None:
    """An 增资 project names its increase (增资只计增量), at most its total; no other type has one."""
    if type is ProjectType.expansion and currency is not None:
        raise ZsError(
            "--amount", f"{amount_yuan}{currency.value}", "an 增资 project's total in yuan (元), as its increase"
        )
    if type is ProjectType.expansion:
        if increase_yuan is None:
            raise ZsError("--increase", "", "the amount of the increase for an 增资 project (--type expansion)")
        check_amount(increase_yuan, "--increase")
        if increase_yuan > amount_yuan:
            raise ZsError(
                "--increase", increase_yuan, f"an increase of at most the total investment ({amount_yuan} yuan)"
            )
    elif increase_yuan is not None:
        raise ZsError("--increase", increase_yuan, "--type expansion with it: only an 增资 project counts an increase")


def edit_project(session: Session, ref: str, **changes) -> ProjectDetail:
    """Correct any field of a project in place (in the history, undoable), as if typed right:
    name, amount_yuan, company, industry, key, owner, leader, deadline, type, increase_yuan.
    A change given as None is no change; `clear` names fields to empty (owner, leader, deadline …)."""
    project = find_project(session, ref, lock=True)
    clear = set(changes.pop("clear", ()))
    given = {k: v for k, v in changes.items() if v is not None}
    if not given and not clear:
        raise ZsError("edit", "", "at least one field to change (see `zs project edit --help`)")
    if "name" in given:
        project.name = _text(given["name"], "--name", required=True)
    if "amount_yuan" in given:
        money = _money(check_amount(given["amount_yuan"], "--amount"), given.get("currency"))
        for column, value in money.items():
            setattr(project, column, value)
    for field in ("company", "industry"):
        if field in given:
            setattr(project, field, _text(given[field], f"--{field}"))
            ensure_companies(session, [project.company] if field == "company" and project.company else [])
    if "key" in given:
        project.is_key = given["key"]
    for field, column in (("owner", "owner_id"), ("leader", "leader_id")):
        if field in given:
            setattr(project, column, find_person(session, given[field], f"--{field}").id)
    if "deadline" in given:
        project.start_deadline = _day(given["deadline"], "--deadline")
        check_deadline(project.start_deadline, [(m.stage, m.date) for m in _milestones(session, project.id)])
    if "type" in given:
        project.type = given["type"].value
        if given["type"] is not ProjectType.expansion and "increase_yuan" not in given:
            project.increase_yuan = None
    if "increase_yuan" in given:
        project.increase_yuan = given["increase_yuan"]
    for field in clear:
        column = {"owner": "owner_id", "leader": "leader_id", "deadline": "start_deadline"}.get(field, field)
        setattr(project, column, None)
    currency = Currency(project.currency) if project.currency else None
    check_increase(
        ProjectType(project.type), project.increase_yuan, project.amount_original or project.amount_yuan, currency
    )
    session.add(project)
    session.flush()
    return show_project(session, project.id)


def _milestones(session: Session, project_id: int) -> list[Milestone]:
    return list(session.exec(select(Milestone).where(Milestone.project_id == project_id).order_by(Milestone.id)).all())


def check_deadline(deadline: date | None, milestones: Sequence[tuple[str, date]], field: str = "--deadline") -> None:
    """A 开工时限 runs from the signing: none before the project signed (before it has signed, none
    before its latest stage), given its (stage, date) milestones."""
    if deadline is None or not milestones:
        return
    signed = [day for stage, day in milestones if stage == Stage.signed.value]
    latest_stage, latest_day = milestones[-1]
    since, what = (signed[-1], "signed") if signed else (latest_day, f"reached {label(Stage(latest_stage))}")
    if deadline < since:
        raise ZsError(field, deadline.isoformat(), f"a date on or after {since.isoformat()}, when the project {what}")


def advance_project(
    session: Session,
    ref: str,
    *,
    to: Stage,
    day: date,
    deadline: date | None = None,
    note: str | None = None,
    force: bool = False,
    reason: str | None = None,
    event: int | None = None,
) -> ProjectDetail:
    """Move a project to a stage, recording a milestone for every stage it passes; `event`, the id of
    the logged event it was reached at (a fair, a 签约仪式), goes with the milestone of `to`.

    Forward moves need nothing more; `dropped` is reachable from anywhere; moving back, or out of
    `dropped`, needs `force` and a reason. A milestone may not be dated before the latest one.
    """
    _day(day, "--date")
    _day(deadline, "--deadline")
    project = find_project(session, ref, lock=True)
    current = Stage(project.stage)
    reason = _text(reason, "--reason")
    if to is current:
        raise ZsError("--to", to.value, f"a stage other than the current one ({label(current)})")
    forward = current is not Stage.dropped and (to is Stage.dropped or STAGE_PATH.index(to) > STAGE_PATH.index(current))
    if not forward and not (force and reason):
        reached = any(Stage(m.stage) is to for m in _milestones(session, project.id))
        fix = f"zs project fix {project.id} --stage {to.value} --date {day.isoformat()}"
        raise ZsError(
            "--to",
            to.value,
            "--force with --reason to move a project back"
            + (f", or `{fix}` to correct the day it reached {label(to)}" if reached else ""),
            f"project {project.id} is at {label(current)}; stages only move forward",
        )
    latest = _milestones(session, project.id)[-1]
    if day < latest.date:  # a reversal too: it rescinds what came before it, so it cannot predate it
        raise ZsError(
            "--date",
            day.isoformat(),
            f"a date on or after {latest.date.isoformat()}",
            f"the project reached {label(Stage(latest.stage))} then",
        )
    if forward and to is not Stage.dropped:
        passed = STAGE_PATH[STAGE_PATH.index(current) + 1 : STAGE_PATH.index(to) + 1]
    else:
        passed = (to,)
    held = [(m.stage, m.date) for m in _milestones(session, project.id)]
    check_deadline(deadline, [*held, *((stage.value, day) for stage in passed)])
    at_event = _event(session, event, day) if event is not None else None
    for stage in passed:
        session.add(
            Milestone(
                project_id=project.id,
                stage=stage.value,
                date=day,
                forced=not forward,
                reason=reason if stage is to else None,
                event_id=at_event if stage is to else None,
                **_stamp(session),
            )
        )
    project.stage = to.value
    if deadline is not None:
        project.start_deadline = deadline
    session.add(project)
    if note:
        add_note(session, str(project.id), note, day)
    session.flush()
    return show_project(session, project.id)


def _event(session: Session, event_id: int, day: date) -> int:
    """The id of a logged event, not voided, held on `day` (or over a span that holds it)."""
    event = session.get(Activity, event_id)
    if event is None or event.kind != ActivityKind.event.value:
        raise ZsError("--at", event_id, "the id of a logged event (zs log event; see `zs log list --kind event`)")
    if event.voided_at is not None:
        raise ZsError("--at", event_id, "an event that is not voided", f"voided: {event.void_reason}")
    if not event.date <= day <= (event.end_date or event.date):
        raise ZsError("--date", day.isoformat(), f"the day of event #{event_id} ({event.date.isoformat()})")
    return event.id


def _follows(before: Milestone | None, milestone: Milestone) -> bool:
    """Whether `milestone` may come right after `before` (None: it comes first): a forced one (a
    reversal) after any other stage; else 线索 first, then one step along the path at a time, and
    终止 from any stage — nothing unforced after 终止."""
    if milestone.forced:
        return before is not None and before.stage != milestone.stage
    stage = Stage(milestone.stage)
    if before is None:
        return stage is Stage.lead
    if before.stage == Stage.dropped.value:
        return False
    return stage is Stage.dropped or STAGE_PATH.index(stage) == STAGE_PATH.index(Stage(before.stage)) + 1


def _neighbours(rows: list[Milestone], at: int, width: int = 1) -> tuple[Milestone | None, Milestone | None]:
    """The milestones before `rows[at]` and after the `width` rows from it (None at either end)."""
    return rows[at - 1] if at else None, rows[at + width] if at + width < len(rows) else None


def _in_order(rows: list[Milestone]) -> str:
    return ", ".join(f"{label(Stage(m.stage))} {m.date.isoformat()}" for m in rows)


def _check_date(stage: Stage, day: date, before: Milestone | None, after: Milestone | None) -> None:
    """A milestone's date lies between its neighbours'."""
    if before is not None and day < before.date:
        problem = f"{label(stage)} would come before {label(Stage(before.stage))} ({before.date.isoformat()})"
    elif after is not None and day > after.date:
        problem = f"{label(stage)} would come after {label(Stage(after.stage))} ({after.date.isoformat()})"
    else:
        return
    bounds = [
        f"on or after {before.date.isoformat()}" if before else "",
        f"on or before {after.date.isoformat()}" if after else "",
    ]
    raise ZsError("--date", day.isoformat(), "a date " + " and ".join(b for b in bounds if b), problem)


_MILESTONE_VALUES = ("stage", "date", "forced", "reason", "event_id", "created_at", "created_by")


def fix_project(
    session: Session, ref: str, *, stage: Stage, day: date | None = None, remove: bool = False
) -> ProjectDetail:
    """Correct a mistyped milestone in place, as if it had been typed right: not a new event.

    With `day`, the project's latest unforced milestone of `stage` gets that date (and, moved
    earlier, the stages filled in on its day by a skip); a project with none gets one, inserted
    where the stage belongs. With `remove`, that milestone goes. Either way
    the milestones stay in order — each unforced one a step on from the one before it (`_follows`),
    dated between its neighbours — and `project.stage` follows the latest. A forced milestone (a
    reversal) is a real event, not a typo: `zs undo` or another advance changes it.
    """
    _day(day, "--date")
    project = find_project(session, ref, lock=True)
    rows = _milestones(session, project.id)
    field = "--remove-stage" if remove else "--stage"
    mine = [at for at, m in enumerate(rows) if m.stage == stage.value]
    unforced = [at for at in mine if not rows[at].forced]
    if mine and not unforced:
        raise ZsError(
            field,
            stage.value,
            "a milestone typed by mistake; take a reversal back with `zs undo`, "
            "or move the project on with `zs project advance`",
            f"project {project.id}'s {label(stage)} is a reversal (forced), a real event",
        )
    if remove:
        if not unforced:
            raise ZsError(
                field,
                stage.value,
                f"a stage the project has ({_in_order(rows)})",
                f"project {project.id} has no {label(stage)}",
            )
        if len(rows) == 1:
            raise ZsError(
                field,
                stage.value,
                "a milestone other than the project's only one",
                f"{label(stage)} is project {project.id}'s only milestone",
            )
        at = unforced[-1]
        before, after = _neighbours(rows, at)
        if after is not None and not _follows(before, after):
            placed = f"follow {label(Stage(before.stage))}" if before else "come first"
            raise ZsError(
                field,
                stage.value,
                f"a milestone whose removal leaves the others in stage order ({_in_order(rows)})",
                f"{label(Stage(after.stage))} cannot {placed}",
            )
        session.delete(rows.pop(at))
    elif unforced:
        at = unforced[-1]
        if day == rows[at].date:
            raise ZsError("--date", day.isoformat(), f"a date other than the one {label(stage)} has")
        # The stages a skip filled in on its day (advance 线索 → 开工 dates 在谈 and 签约 with it) move
        # earlier with it, as they would have been typed: a stage with a day of its own does not.
        first = at
        while (
            day < rows[at].date and first > 0 and not rows[first - 1].forced and rows[first - 1].date == rows[at].date
        ):
            first -= 1
        _check_date(stage, day, *_neighbours(rows, first, at - first + 1))
        for row in rows[first : at + 1]:
            row.date = day
    else:
        rows = _insert_milestone(session, project, rows, stage, day)
    if project.stage != rows[-1].stage:
        project.stage = rows[-1].stage
    session.flush()
    return show_project(session, project.id)


def _insert_milestone(
    session: Session, project: Project, rows: list[Milestone], stage: Stage, day: date
) -> list[Milestone]:
    """A milestone the original entry missed, at the latest place where it follows the one before,
    the one after follows it, and its date lies between theirs. Milestones are read in id order
    (show, the current stage, the key projects of a report), so from that place on each row takes
    the values of the one before it, and the new row — the last id — those of the last."""
    new = Milestone(project_id=project.id, stage=stage.value, date=day, forced=False, **_stamp(session))
    for at in range(len(rows), -1, -1):
        before, after = _neighbours(rows, at, width=0)
        if (
            _follows(before, new)
            and (after is None or _follows(new, after))
            and (before is None or before.date <= day)
            and (after is None or day <= after.date)
        ):
            break
    else:
        raise ZsError(
            "--stage",
            stage.value,
            f"a stage and date that fit among its milestones ({_in_order(rows)})",
            f"project {project.id} has no {label(stage)}, and none on {day.isoformat()} fits in order",
        )
    slots = [*rows, new]
    values = [{name: getattr(m, name) for name in _MILESTONE_VALUES} for m in (*rows[:at], new, *rows[at:])]
    for slot, value in zip(slots[at:], values[at:], strict=True):
        for name, v in value.items():
            setattr(slot, name, v)
    session.add(new)
    return slots


def add_fund(
    session: Session,
    ref: str,
    *,
    amount_yuan: int,
    origin: Origin,
    day: date,
    note: str | None = None,
    currency: Currency | None = None,
) -> FundRecord:
    if amount_yuan <= 0:
        raise ZsError("--amount", amount_yuan, "an amount above zero")
    check_amount(amount_yuan, "--amount")
    _day(day, "--date")
    project = find_project(session, ref)
    fund = Fund(
        project_id=project.id,
        **_money(amount_yuan, currency),
        origin=origin.value,
        date=day,
        note=_text(note, "--note"),
        **_stamp(session),
    )
    session.add(fund)
    session.flush()
    return _fund_record(session, fund)


def funds_beyond_amount(session: Session, ref: str) -> ProjectRecord | None:
    """The project, if its funds arrived (voided ones aside) exceed twice its amount — most likely 万
    typed for 元, or a 0 too many, somewhere; None otherwise, and for a project of no stated amount."""
    row = session.exec(_project_query(session).where(Project.id == find_project(session, ref).id)).one()
    project = ProjectRecord(**_project_record(row))
    return project if 0 < 2 * project.amount_yuan < project.funds_yuan else None


def void_fund(session: Session, fund_id: int, reason: str) -> FundRecord:
    """Void a mistyped fund record: it stays, marked with the reason, and no longer counts."""
    fund = _void(session, Fund, fund_id, reason, "a recorded fund (see `zs project show`)")
    return _fund_record(session, fund)


def _fund_record(session: Session, f: Fund) -> FundRecord:
    currency = Currency(f.currency) if f.currency else None
    return FundRecord(f.id, row_in_yuan(f, session), Origin(f.origin), f.date, f.note, currency, f.amount_original)


def add_note(
    session: Session,
    ref: str,
    text: str,
    day: date,
    problem: bool = False,
    assignee: str | None = None,
    due: date | None = None,
) -> NoteRecord:
    text = _text(text, "text", required=True)
    _day(day, "--date")
    _day(due, "--due")
    if (assignee or due) and not problem:
        raise ZsError(
            "--assignee" if assignee else "--due",
            assignee or due.isoformat(),
            "--problem with it: a problem has an assignee and a due date",
        )
    if due is not None and due < day:
        raise ZsError("--due", due.isoformat(), f"a date on or after the note's date {day.isoformat()}")
    project = find_project(session, ref)
    entry = ProjectNote(
        project_id=project.id,
        date=day,
        text=text,
        is_problem=problem,
        assignee=_text(assignee, "--assignee"),
        due=due,
        **_stamp(session),
    )
    session.add(entry)
    session.flush()
    return _note_record(entry)


def _note_record(n: ProjectNote) -> NoteRecord:
    return NoteRecord(n.id, n.date, n.text, n.is_problem, n.assignee, n.due, n.resolved_on, n.resolution)


def resolve_problem(session: Session, note_id: int, day: date, text: str | None = None) -> NoteRecord:
    """Close an open problem on `day`, with what settled it."""
    _day(day, "--date")
    note = session.get(ProjectNote, note_id, with_for_update=True)
    if note is None or not note.is_problem:
        raise ZsError(
            "NOTE_ID", note_id, "the id of a problem noted with `zs project note --problem` (see `zs project show`)"
        )
    if note.resolved_on is not None:
        raise ZsError("NOTE_ID", note_id, "an open problem", f"resolved already on {note.resolved_on.isoformat()}")
    if day < note.date:
        raise ZsError("--date", day.isoformat(), f"a date on or after the problem was noted ({note.date.isoformat()})")
    note.resolved_on = day
    note.resolution = _text(text, "--note")
    session.add(note)
    session.flush()
    return _note_record(note)


def money_rates(session: Session) -> dict:
    """The rates a project's amounts are shown in yuan at: none while the ledger holds yuan only;
    else those of the targets file in use (ZS_TARGETS, else config/targets.yaml), which must give a
    rate for every currency the ledger holds (facts.check_rates). Read once per session."""
    if "rates" not in session.info:
        from zhaoshang.facts import check_rates, currencies_held

        rates = {}
        if currencies_held(session):
            from zhaoshang.config import load_targets
            from zhaoshang.paths import targets_location

            spec = load_targets(targets_location(None))
            rates = spec.rates
            check_rates(session, rates, str(spec.path))
        session.info["rates"] = rates
    return session.info["rates"]


def _project_query(session: Session):
    owner, leader = aliased(Person), aliased(Person)
    stage_date = (
        select(func.max(Milestone.date))
        .where(Milestone.project_id == Project.id, Milestone.stage == Project.stage)
        .correlate(Project)
        .scalar_subquery()
    )
    rates = money_rates(session)
    funds = funds_arrived(None, rates)  # a money sum in its two parts, exact past int64 (facts.money_sum)
    return (
        select(Project, Unit.name, owner.name, leader.name, stage_date, in_yuan(Project, rates), *funds)
        .join(Unit, Unit.id == Project.unit_id)
        .join(owner, owner.id == Project.owner_id, isouter=True)
        .join(leader, leader.id == Project.leader_id, isouter=True)
    )


def _project_record(row) -> dict:
    p, unit_name, owner_name, leader_name, stage_date, amount, *funds = row
    return dict(
        id=p.id,
        name=p.name,
        unit=unit_name,
        amount_yuan=int(amount),
        stage=Stage(p.stage),
        stage_date=stage_date,
        company=p.company,
        industry=p.industry,
        key=p.is_key,
        owner=owner_name,
        leader=leader_name,
        start_deadline=p.start_deadline,
        funds_yuan=int(figure(funds)),
        type=ProjectType(p.type),
        increase_yuan=p.increase_yuan,
        currency=Currency(p.currency) if p.currency else None,
        amount_original=p.amount_original,
    )


def list_projects(
    session: Session, *, stage: Stage | None = None, unit: str | None = None, key: bool | None = None
) -> list[ProjectRecord]:
    query = _project_query(session)
    if stage is not None:
        query = query.where(Project.stage == stage.value)
    if unit is not None:
        query = query.where(Project.unit_id == find_unit(session, unit).id)
    if key is not None:
        query = query.where(Project.is_key == key)
    rows = session.exec(query.order_by(Project.id)).all()
    return [ProjectRecord(**_project_record(row)) for row in rows]


def show_project(session: Session, ref: str | int) -> ProjectDetail:
    project = find_project(session, ref)
    row = session.exec(_project_query(session).where(Project.id == project.id)).one()
    milestones = [
        MilestoneRecord(Stage(m.stage), m.date, m.forced, m.reason, m.event_id)
        for m in _milestones(session, project.id)
    ]
    funds = [
        _fund_record(session, f)
        for f in session.exec(
            select(Fund).where(Fund.project_id == project.id, Fund.voided_at.is_(None)).order_by(Fund.date, Fund.id)
        )
    ]
    notes = [
        _note_record(n)
        for n in session.exec(
            select(ProjectNote).where(ProjectNote.project_id == project.id).order_by(ProjectNote.date, ProjectNote.id)
        )
    ]
    return ProjectDetail(**_project_record(row), milestones=milestones, funds=funds, notes=notes)
