"""`zs import`: existing 台账 in CSV or xlsx, all or nothing.

zhaoshang.cells reads the cells (which sheet, headers, each cell as text, a date, an amount, a code);
this module decides what each row means (`_activity`, `_project`, the 单位/人员/到位资金/推进情况
sheets: names resolved to ids, cells checked against each other) and writes the records.

Rows are read, checked and written in chunks inside one transaction; the first bad cell stops the
writing but not the checking, so that every bad row is reported — and then the transaction is
rolled back and nothing is written. A workbook written by `zs export` carries its units, people,
funds and notes on sheets of their own; they are read too.
"""

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import Session

from zhaoshang import db, history, ledger, progress
from zhaoshang.cells import BadCell, Row, activity_kind, sheet_rows
from zhaoshang.errors import ZsError
from zhaoshang.interchange import SOURCE_KEY
from zhaoshang.labels import (
    STAGE_PATH,
    ActivityKind,
    Currency,
    Mode,
    Origin,
    ProjectType,
    Role,
    Stage,
    Tier,
    UnitKind,
    label,
    parse_code,
)
from zhaoshang.ledger import as_id, spaced, squeezed
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
    Unit,
)
from zhaoshang.render.fmt import money
from zhaoshang.suggest import did_you_mean
from zhaoshang.tabular import sheet_names

CHUNK = 5_000
SPLIT = re.compile(r"[、,，;；\n]+")
_ORDINAL = re.compile(r"(.+)#([1-9][0-9]*)")
_REACHED = re.compile(r"(.+)[(（]([^()（）]+)[)）]")  # 电池项目(签约): a project and the stage it reached


SHOWN = 100  # bad cells listed on the terminal; --errors FILE writes every one


class ImportRefused(ZsError):
    """Bad rows: the first line says how many, one line follows for each bad cell (the first
    SHOWN of them; `lines(all)` gives every one)."""

    def __init__(self, path: Path, bad: list[BadCell]):
        self.bad = bad
        rows = len({(b.sheet, b.row) for b in bad})
        super().__init__(
            "FILE",
            str(path),
            "rows that all read cleanly",
            f"{rows} bad row{'s' if rows != 1 else ''}, nothing imported",
        )

    def lines(self, every: bool = False) -> list[str]:
        shown = self.bad if every else self.bad[:SHOWN]
        more = len(self.bad) - len(shown)
        tail = [f"  … and {more} more bad cells: --errors FILE writes every one"] if more else []
        return [super().__str__(), *(f"  {b}" for b in shown), *tail]

    def __str__(self) -> str:
        return "\n".join(self.lines())


@dataclass
class Counts:
    """What an import (or a merge) wrote."""

    units: int = 0
    people: int = 0
    activities: int = 0
    companies: int = 0  # companies named by the activities (links)
    new_companies: int = 0  # companies the register gained
    changed_companies: int = 0  # companies of the register a 客商名录 corrected or added a tier to
    figures: int = 0  # reported figures set
    changed_figures: int = 0  # reported figures corrected
    changed_activities: int = 0  # activities already in the ledger (same natural key) that the sheet corrected
    unchanged_activities: int = 0  # … and that it left as they were
    missing_activities: int = 0  # held for the sheet's units and dates, but no longer in it: kept
    projects: int = 0
    changed_projects: int = 0
    unchanged_projects: int = 0
    milestones: int = 0
    funds: int = 0
    notes: int = 0
    voided: int = 0
    rows: int = 0
    changes: int = 0  # of the other ledger's history (merge)
    sheets: list[str] = field(default_factory=list)


class _Directory:
    """Names → ids for units, people and projects, read once and kept up to date during the import."""

    def __init__(self, session: Session):
        self.session = session
        self.units = {name: (uid, kind) for uid, name, kind in session.exec(select(Unit.id, Unit.name, Unit.kind))}
        self.people: dict[str, list[tuple[int, str]]] = {}
        names = {uid: name for name, (uid, _) in self.units.items()}
        for pid, name, unit_id in session.exec(select(Person.id, Person.name, Person.unit_id)):
            self.people.setdefault(name, []).append((pid, names[unit_id]))
        self.projects: dict[str, list[tuple[int, str]]] = {}  # name -> (id, unit name), in id order
        for pid, name, unit_id in session.exec(select(Project.id, Project.name, Project.unit_id).order_by(Project.id)):
            self.projects.setdefault(name, []).append((pid, names[unit_id]))
        self.project_ids = {pid for ids in self.projects.values() for pid, _ in ids}
        # 萧　镇, 王　明: names a table pads to line up, read as the names without their spaces
        self.unit_spaced = spaced(self.units)
        self.person_spaced = spaced(self.people)

    def unit(self, row: Row, name: str = "unit") -> int | None:
        value = row.text(name, required=True)
        if value is None:
            return None
        value = self.unit_spaced.get(squeezed(value), value)
        if value not in self.units:
            hint = did_you_mean(value, self.units)
            row.fail(
                name,
                value,
                f"a unit of the ledger ({f'{hint} ' if hint else ''}add it with `zs unit add`, or a 单位 sheet)",
            )
            return None
        return self.units[value][0]

    def names(self, row: Row, field: str, what: str) -> list[str]:
        """The units or people a cell lists, split at 、 , ; or a new line — unless the whole cell is
        one name the ledger knows (a unit's name may hold a comma)."""
        value = row.text(field)
        if value is None:
            return []
        known = self.units if what == "units" else self.people
        if value in known:
            return [value]
        return [part.strip() for part in SPLIT.split(value) if part.strip()]

    def unit_named(self, row: Row, field: str, value: str) -> int | None:
        value = self.unit_spaced.get(squeezed(value), value)
        if value not in self.units:
            hint = did_you_mean(value, self.units)
            row.fail(field, value, f"units of the ledger, separated by 、{f' ({hint})' if hint else ''}")
            return None
        return self.units[value][0]

    def person_named(self, row: Row, field: str, value: str, unknown: str = "people of the ledger, separated by 、"):
        """A person by name, or UNIT/NAME where the name is shared; None, the cell failed, otherwise."""
        unit, _, person = value.rpartition("/")
        person = self.person_spaced.get(squeezed(person), person.strip())
        unit = self.unit_spaced.get(squeezed(unit), unit.strip())
        found = [pid for pid, home in self.people.get(person, []) if not unit or home == unit]
        if len(found) != 1:
            hint = did_you_mean(person, self.people) if not found else None
            shown = f"{unknown} ({hint})" if hint else unknown
            row.fail(field, value, shown if not found else "UNIT/NAME: the name is shared")
            return None
        return found[0]

    def person(self, row: Row, name: str) -> int | None:
        value = row.text(name)
        return None if value is None else self.person_named(row, name, value, "a person of the ledger")

    def project(self, row: Row, name: str, value: str) -> int | None:
        """A project named in a cell: by its name; where the name is shared, as `zs export` writes
        it — UNIT/NAME, or UNIT/NAME#2 for the second of that name in that unit (ids do not survive
        an export into another ledger); or by its id in this ledger, #12 or 12."""
        text = value.strip()
        found = [pid for pid, _ in self.projects.get(text, [])] or self._in_unit(text)
        number = as_id(text.removeprefix("#"))
        if not found and number in self.project_ids:
            found = [number]
        if len(found) != 1:
            row.fail(name, value, "the name of one project (UNIT/NAME where the name is shared, or its id)")
            return None
        return found[0]

    def _in_unit(self, text: str) -> list[int]:
        for index, char in enumerate(text):  # at every slash: a unit's name may hold one itself
            unit, rest = text[:index], text[index + 1 :]
            if char != "/" or unit not in self.units:
                continue
            mine = [pid for pid, home in self.projects.get(rest, []) if home == unit]
            ordinal = _ORDINAL.fullmatch(rest)
            if not mine and ordinal:
                same = [pid for pid, home in self.projects.get(ordinal[1], []) if home == unit]
                mine = same[int(ordinal[2]) - 1 : int(ordinal[2])]
            if mine:
                return mine
        return []


def _org_sheets(session: Session, path: Path, bad: list[BadCell], counts: Counts) -> None:
    """The 单位 and 人员 sheets of a zs workbook: units and people the ledger lacks are added."""
    names = sheet_names(path)
    if "单位" in names:
        shown, rows, make = sheet_rows(path, "units", {}, "单位", bad=bad)
        existing = {name: kind for name, kind in session.exec(select(Unit.name, Unit.kind))}
        for number, cells in rows:
            row = make(number, cells)
            name, kind = row.text("name", True), row.code(UnitKind, "kind", True)
            if not row.ok:
                continue
            if name in existing:
                if existing[name] != kind.value:
                    row.fail("kind", label(kind), f"the kind the ledger has ({label(UnitKind(existing[name]))})")
                continue
            existing[name] = kind.value
            session.add(Unit(name=name, kind=kind.value, created_at=session.info["now"]))
            counts.units += 1
        session.flush()
    if "人员" in names:
        shown, rows, make = sheet_rows(path, "people", {}, "人员", bad=bad)
        units = {name: uid for uid, name in session.exec(select(Unit.id, Unit.name))}
        existing = {(unit_id, name) for name, unit_id in session.exec(select(Person.name, Person.unit_id))}
        for number, cells in rows:
            row = make(number, cells)
            name, unit = row.text("name", True), row.text("unit", True)
            role = row.code(Role, "role") or Role.staff
            if unit is not None and unit not in units:
                row.fail("unit", unit, "a unit of the ledger or of the 单位 sheet")
            if not row.ok or (units[unit], name) in existing:
                continue
            existing.add((units[unit], name))
            session.add(Person(name=name, unit_id=units[unit], role=role.value, created_at=session.info["now"]))
            counts.people += 1
        session.flush()


class _SheetKeys:
    """The keys a sheet gives its rows in a column of their own (--key): one in every row, none
    twice for a unit (each office numbers its own 台账). Without --key, every row's key is None."""

    def __init__(self, key: str | None):
        self.used = key is not None
        self.seen: dict[tuple, int] = {}  # (unit id, key) -> the row that has it

    def of(self, row: Row, unit_id: int | None) -> str | None:
        if not self.used:
            return None
        value = row.text(SOURCE_KEY)
        if value is None:
            row.fail(SOURCE_KEY, "", "a key in every row (--key matches rows on it)")
            return None
        first = self.seen.setdefault((unit_id, value), row.number)
        if first != row.number:
            row.fail(SOURCE_KEY, value, f"a key no other row of the unit has (row {first} has it)")
        return value


def import_activities(
    session: Session,
    path: Path,
    extra: dict[str, str],
    today: date,
    key: str | None = None,
    year: int | None = None,
) -> Counts:
    """Activities from a 台账: a row the ledger holds (its natural key, or with `key` the sheet's own
    key in that column) corrects it, any other is a new activity. `year`: of dates without one."""
    counts, bad = Counts(), []
    _org_sheets(session, path, bad, counts)
    shown, rows, make = sheet_rows(path, "activities", extra, bad=bad, key=key, year=year)
    counts.sheets.append(shown)
    directory = _Directory(session)
    now, actor = session.info["now"], session.info["actor"]
    pending: list[_ActivityRow] = []
    named: set[str] = set()  # companies the register gets, if it lacks them
    existing = _ExistingActivities(session, key is not None)
    keys = _SheetKeys(key)

    def flush() -> None:
        if bad or not pending:
            pending.clear()
            return
        fresh = existing.sort(pending, counts)
        pending.clear()
        if not fresh:
            return
        ids = db.insert_returning_ids(session, Activity.__table__, [p.values for p in fresh])
        existing.used.update(ids)
        rows = list(zip(ids, fresh, strict=True))
        companies = [{"activity_id": i, "company": c} for i, p in rows for c in p.companies]
        links = [{"activity_id": i, "project_id": project} for i, p in rows for project in p.projects]
        units = [{"activity_id": i, "unit_id": u, "position": at} for i, p in rows for at, u in enumerate(p.units)]
        people = [
            {"activity_id": i, "person_id": person, "position": at}
            for i, p in rows
            for at, person in enumerate(p.people)
        ]
        db.bulk_insert(session, ActivityUnit.__table__, units)
        db.bulk_insert(session, ActivityPerson.__table__, people)
        db.bulk_insert(session, ActivityCompany.__table__, companies)
        db.bulk_insert(session, ActivityProject.__table__, links)
        named.update(c["company"] for c in companies)
        for i, p in rows:
            for project, stage in p.reached:
                _link_milestone(session, i, project, stage, p.values["date"], p.values["end_date"] or p.values["date"])
        history.note_created(session, "activity", ids)
        counts.companies += len(companies)
        counts.activities += len(fresh)
        counts.voided += sum(bool(p.values["void_reason"]) for p in fresh)

    # Into a ledger that holds no activity yet (an office's first 台账, often years of it), no row
    # is looked up again: the tables' indexes are built once, after the load.
    first_load = existing.held == 0
    tables = [t.__table__ for t in (Activity, ActivityUnit, ActivityPerson, ActivityCompany, ActivityProject)]
    with db.indexes_built_after(session, tables) if first_load else contextlib.nullcontext():
        for number, cells in rows:
            if not any(c is not None for c in cells):
                continue
            counts.rows += 1
            progress.advance()
            decided = _activity(make(number, cells), directory, today, now, actor, keys)
            if decided is None:
                continue
            pending.append(decided)
            if len(pending) >= CHUNK:
                flush()
        flush()
    if bad:
        raise ImportRefused(path, bad)
    counts.new_companies += ledger.ensure_companies(session, sorted(named | existing.named))
    counts.missing_activities = existing.missing(counts)
    return counts


# What a re-sent 台账 may correct in an activity it already holds (its natural key aside) …
ACTIVITY_FIELDS = ("end_date", "leader_id", "mode", "event_type", "destination", "note")
# … and, matched on the sheet's own key (--key), its date and kind too.
KEYED_ACTIVITY_FIELDS = ("date", "kind", *ACTIVITY_FIELDS)


def activity_key(day: date, unit_id: int | None, kind: str, companies, destination: str | None) -> tuple:
    """An activity's natural key: date, unit, kind, and the companies met (or, with none, the destination)."""
    return (day, unit_id, kind, tuple(sorted(companies)) or (destination or "",))


class _ExistingActivities:
    """The ledger's activities an imported row may already be: matched on the natural key, each at
    most once in an import (a sheet listing the same visit twice means two visits), never one this
    import created."""

    def __init__(self, session: Session, keyed: bool = False):
        self.session, self.used, self.keyed = session, set(), keyed
        # what the ledger held before the import: the activities it creates have later ids, and
        # are never looked at again (read back, a big sheet would cost the square of its rows)
        self.held = session.exec(select(func.max(Activity.id))).one()[0] or 0
        self.first: date | None = None  # the sheet's dates and units, for what it no longer lists
        self.last: date | None = None
        self.units: set[int] = set()
        self.named: set[str] = set()  # companies linked to held activities, for the register

    def missing(self, counts: Counts) -> int:
        """The activities held for the sheet's units within its dates that no row of it named (a row
        gone from a later 台账): counted and kept, never deleted."""
        if self.first is None or self.last is None:
            return 0
        held = self.session.exec(
            select(func.count(Activity.id)).where(
                Activity.date >= self.first, Activity.date <= self.last, Activity.unit_id.in_(sorted(self.units))
            )
        ).one()[0]
        return held - counts.activities - counts.changed_activities - counts.unchanged_activities

    def sort(self, rows: list["_ActivityRow"], counts: Counts) -> list["_ActivityRow"]:
        """The rows that are new; a row already held updates its activity where the sheet differs."""
        found: dict[tuple, list[Activity]] = {}
        days = sorted({r.values["date"] for r in rows}) if self.held else []
        for day_chunk in (days[i : i + 1000] for i in range(0, len(days), 1000)):
            before = (Activity.date.in_(day_chunk), Activity.id <= self.held)
            held = self.session.exec(select(Activity).where(*before)).scalars().all()
            met: dict[int, list[str]] = {}
            named = select(ActivityCompany.activity_id, ActivityCompany.company).join(
                Activity, Activity.id == ActivityCompany.activity_id
            )
            for activity_id, company in self.session.exec(named.where(*before)).all():
                met.setdefault(activity_id, []).append(company)
            for a in sorted(held, key=lambda a: a.id):
                if a.id not in self.used:
                    key = activity_key(a.date, a.unit_id, a.kind, met.get(a.id, ()), a.destination)
                    found.setdefault(key, []).append(a)
        by_key = self._by_key(rows) if self.keyed else {}
        dates = [r.values["date"] for r in rows]
        first, last = min(dates), max(dates)
        self.first = first if self.first is None else min(self.first, first)
        self.last = last if self.last is None else max(self.last, last)
        self.units.update(r.values["unit_id"] for r in rows)
        if not found and not by_key:  # nothing held that a row could be (a first load): all are new
            return list(rows)
        fresh, matched = [], []
        for row in rows:
            v = row.values
            natural = activity_key(v["date"], v["unit_id"], v["kind"], row.companies, v["destination"])
            activity = by_key.pop((v["unit_id"], v["source_key"]), None) or self._unkeyed(found.get(natural, []))
            if activity is None:
                fresh.append(row)
                continue
            self.used.add(activity.id)
            changed, leader = False, activity.leader_id
            for name in KEYED_ACTIVITY_FIELDS if self.keyed else ACTIVITY_FIELDS:
                if v[name] is not None and getattr(activity, name) != v[name]:  # a blank cell keeps what is held
                    setattr(activity, name, v[name])
                    changed = True
            if activity.source_key is None and v["source_key"] is not None:  # held before keys were: kept now
                activity.source_key = v["source_key"]
            if activity.kind != ActivityKind.event.value and activity.event_type is not None:
                changed = self._no_longer_an_event(activity)
            matched.append((activity, row, leader, changed))
        relinked = self._relink(matched)
        for activity, _, _, changed in matched:
            changed = changed or activity.id in relinked
            counts.changed_activities += changed
            counts.unchanged_activities += not changed
        return fresh

    def _no_longer_an_event(self, activity: Activity) -> bool:
        """An event a keyed row makes another kind of activity: its event type goes, and the
        milestones reached at it stay reached, on their dates, at no event."""
        activity.event_type = None
        for milestone in self.session.exec(select(Milestone).where(Milestone.event_id == activity.id)).scalars():
            milestone.event_id = None
        return True

    def _relink(self, matched: list[tuple[Activity, "_ActivityRow", int | None, bool]]) -> set[int]:
        """Correct what the held activities link to where their rows say otherwise: the joint units,
        the people (a new leader first, then the participants), the companies (with --key, which
        lets them change) and the projects; a blank cell keeps what is held. The links are replaced
        through the session, so the history keeps them and `zs undo` puts them back. Returns the ids
        of the activities whose links changed."""
        if not matched:
            return set()
        held: dict[type, dict[int, list]] = {model: {} for model in LINKED}
        ids = [activity.id for activity, *_ in matched]
        for chunk in (ids[i : i + 1000] for i in range(0, len(ids), 1000)):
            for model, of in held.items():
                for link in self.session.exec(select(model).where(model.activity_id.in_(chunk))).scalars():
                    of.setdefault(link.activity_id, []).append(link)
        relinked = set()
        for activity, row, leader, _ in matched:
            wanted = _links_wanted(activity, row, leader, {m: of.get(activity.id, []) for m, of in held.items()})
            for old, new in wanted.values():
                for link in old:
                    self.session.delete(link)
                if old:
                    self.session.flush()  # the old links go before their replacements, which may share a key
                self.session.add_all(new)
                self.named.update(link.company for link in new if isinstance(link, ActivityCompany))
                relinked.add(activity.id)
        return relinked

    def _unkeyed(self, candidates: list[Activity]) -> Activity | None:
        """The first activity of the natural key's candidates a row may be: with --key, only one
        held without a key of its own (a key the ledger holds is another record)."""
        for index, activity in enumerate(candidates):
            if not self.keyed or activity.source_key is None:
                return candidates.pop(index)
        return None

    def _by_key(self, rows: list["_ActivityRow"]) -> dict[tuple, Activity]:
        """The activities held under the keys (unit, sheet key) the rows give (--key), not yet matched."""
        wanted = {(r.values["unit_id"], r.values["source_key"]) for r in rows if r.values["source_key"] is not None}
        keys = sorted({k for _, k in wanted}) if self.held else []
        found = {}
        for chunk in (keys[i : i + 1000] for i in range(0, len(keys), 1000)):
            held = select(Activity).where(Activity.source_key.in_(chunk), Activity.id <= self.held)
            for a in self.session.exec(held).scalars():
                if (a.unit_id, a.source_key) in wanted and a.id not in self.used:
                    found[(a.unit_id, a.source_key)] = a
        return found


LINKED = (ActivityUnit, ActivityPerson, ActivityCompany, ActivityProject)


def _links_wanted(activity: Activity, row: "_ActivityRow", leader: int | None, held: dict[type, list]) -> dict:
    """The links of a held activity that its row corrects, by table: (the held links, their
    replacements). `leader`: the activity's leader before the row corrected it."""

    def by_position(links) -> list:
        return sorted(links, key=lambda link: link.position)

    units = [link.unit_id for link in by_position(held[ActivityUnit])]
    people = [link.person_id for link in by_position(held[ActivityPerson])]
    companies = {link.company for link in held[ActivityCompany]}
    projects = {link.project_id for link in held[ActivityProject]}
    going = row.people[1:] if row.values["leader_id"] is not None else row.people  # the participants given
    held_going = [p for p in people if p != leader]
    want_units = row.units if len(row.units) > 1 else [activity.unit_id, *units[1:]]
    want_people = list(dict.fromkeys([*([activity.leader_id] if activity.leader_id else []), *(going or held_going)]))
    wanted = {}
    if want_units != units:
        new = [ActivityUnit(activity_id=activity.id, unit_id=u, position=at) for at, u in enumerate(want_units)]
        wanted[ActivityUnit] = (held[ActivityUnit], new)
    if want_people != people:
        new = [ActivityPerson(activity_id=activity.id, person_id=p, position=at) for at, p in enumerate(want_people)]
        wanted[ActivityPerson] = (held[ActivityPerson], new)
    if row.companies and set(row.companies) != companies:
        new = [ActivityCompany(activity_id=activity.id, company=c) for c in row.companies]
        wanted[ActivityCompany] = (held[ActivityCompany], new)
    if row.projects and set(row.projects) != projects:
        new = [ActivityProject(activity_id=activity.id, project_id=p) for p in row.projects]
        wanted[ActivityProject] = (held[ActivityProject], new)
    return wanted


@dataclass(slots=True)
class _ActivityRow:
    """What an activity row means: its activity's values, and the ids and names it links to (its
    units and people in order: the first unit and the leader first)."""

    values: dict
    units: list[int]
    people: list[int]
    companies: list[str]
    projects: list[int]
    reached: list[tuple[int, Stage]] = field(default_factory=list)  # milestones reached at it (现场签约)


def _activity(
    row: Row, directory: _Directory, today: date, now: datetime, actor: str, keys: _SheetKeys
) -> _ActivityRow | None:
    """What an activity row means; None, its bad cells recorded, when a cell is bad or the cells disagree."""
    day, last = row.span("date", today, required=True)
    end = row.day("end_date", today)
    if last is not None and end is not None and end != last:
        row.fail("end_date", end, f"the last day the 日期 cell gives ({last.isoformat()}), or empty")
    end = end or last
    unit_id = directory.unit(row)
    source_key = keys.of(row, unit_id)
    joint = [directory.unit_named(row, "joint_units", name) for name in directory.names(row, "joint_units", "units")]
    kind, event_type = activity_kind(row)
    leader = directory.person(row, "leader")
    going = [
        directory.person_named(row, "participants", name) for name in directory.names(row, "participants", "people")
    ]
    mode = row.code(Mode, "mode")
    companies = _items(row.text("companies"))
    projects = list(dict.fromkeys(directory.project(row, "projects", p) for p in _items(row.text("projects"))))
    if day and end and end < day:
        row.fail("end_date", end, f"a date on or after {day.isoformat()}")
    if kind in (ActivityKind.visit, ActivityKind.reception) and not companies:
        row.fail("companies", "", f"a company for {label(kind)}")
    void_reason = row.text("void_reason")
    if not row.ok:
        return None
    values = {
        "kind": kind.value,
        "date": day,
        "end_date": end,
        "unit_id": unit_id,
        "leader_id": leader,
        "mode": mode.value if mode else None,
        "event_type": event_type.value if event_type else None,
        "destination": row.text("destination"),
        "note": row.text("note"),
        "voided_at": now if void_reason else None,
        "void_reason": void_reason,
        "source_key": source_key,
        "created_at": now,
        "created_by": actor,
    }
    reached = []
    for part in _items(row.text("signed_here")):
        found = _REACHED.fullmatch(part)
        stage = None
        if found:
            try:
                stage = parse_code(Stage, found[2], "signed_here")
            except ZsError:
                stage = None
        if stage is None:
            row.fail("signed_here", part, "项目名称(阶段), e.g. 电池项目(签约), separated by 、")
            continue
        project = directory.project(row, "signed_here", found[1])
        if project is not None:
            reached.append((project, stage))
    if reached and kind is not ActivityKind.event:
        row.fail("signed_here", row.text("signed_here"), "milestones reached at an event (招商活动, 展会, 签约仪式 …)")
    if not row.ok:
        return None
    units = list(dict.fromkeys([unit_id, *joint]))
    people = list(dict.fromkeys([*([leader] if leader else []), *going]))
    return _ActivityRow(values, units, people, companies, [p for p in projects if p is not None], reached)


def _items(text: str | None) -> list[str]:
    """The items a list cell holds (split at 、 , ; or a new line), each once, in order."""
    if text is None:
        return []
    if SPLIT.search(text) is None:  # most cells hold one item
        return [text]
    return list(dict.fromkeys(item for part in SPLIT.split(text) if (item := part.strip())))


def _stage_dates(row: Row, today: date, default: date | None) -> tuple[Stage | None, list[tuple[Stage, date]]]:
    dates = {s: row.day(f"{s.value}_date", today) for s in (*STAGE_PATH, Stage.dropped)}
    stage = row.code(Stage, "stage")
    if stage is None:
        reached = [s for s in (*STAGE_PATH, Stage.dropped) if dates[s]]
        stage = reached[-1] if reached else Stage.lead
    last = Stage.dropped if stage is Stage.dropped else stage
    path_end = (
        max((STAGE_PATH.index(s) for s in STAGE_PATH if dates[s]), default=0)
        if last is Stage.dropped
        else STAGE_PATH.index(last)
    )
    path = list(STAGE_PATH[: path_end + 1]) + ([Stage.dropped] if last is Stage.dropped else [])
    known = [dates[s] for s in path if dates[s]]
    first = known[0] if known else default
    if first is None:
        column = f"{last.value}_date"
        row.fail(column, "", f"a date for {label(last)} ({label(last)}日期, or --date for rows without one)")
        return stage, []
    milestones, previous = [], None
    for s in path:
        when = dates[s] or (previous if previous else first)
        if previous and when < previous:
            row.fail(f"{s.value}_date", when, f"a date on or after the stage before it ({previous.isoformat()})")
        milestones.append((s, when))
        previous = when
    return stage, milestones


@dataclass(frozen=True)
class _ProjectRow:
    """What a project row means: its project's values, the unit named, its stages with their dates,
    and the funds and note it brings."""

    values: dict
    unit: str | None
    milestones: list[tuple[Stage, date]]
    funds: int | None
    origin: Origin | None
    funds_date: date | None
    note: str | None


def _project(
    row: Row, directory: _Directory, today: date, default_date: date | None, keys: _SheetKeys
) -> _ProjectRow | None:
    """A project row decided; None, its bad cells recorded, when a cell is bad or the cells disagree."""
    name = row.text("name", required=True)
    unit_id = directory.unit(row)
    source_key = keys.of(row, unit_id)
    amount, currency = row.money("amount", required=True)
    stage, milestones = _stage_dates(row, today, default_date)
    owner, leader = directory.person(row, "owner"), directory.person(row, "leader")
    funds = row.amount("funds")
    origin = row.code(Origin, "origin", required=funds is not None)
    funds_date = row.day("funds_date", today) or default_date
    if funds and funds_date is None:
        row.fail("funds_date", "", "the date the funds arrived (到位日期, or --date)")
    key, deadline = row.flag("key"), row.day("deadline", today)
    kind = row.code(ProjectType, "type") or ProjectType.new
    increase = row.amount("increase")
    if kind is ProjectType.expansion and currency is not None:
        row.fail("amount", row.raw("amount"), "an 增资 project's total in yuan (元), as its increase")
    if kind is ProjectType.expansion and increase is None:
        row.fail("increase", "", "the increase of an 增资 project (增资额)")
    if increase is not None and kind is not ProjectType.expansion:
        row.fail("type", label(kind), "增资 (expansion) for a row with an 增资额")
    if increase is not None and amount is not None and increase > amount:
        row.fail("increase", increase, f"at most the total investment ({amount} yuan)")
    if deadline is not None and milestones:
        try:
            ledger.check_deadline(deadline, [(s.value, d) for s, d in milestones], "deadline")
        except ZsError as refused:
            row.fail("deadline", row.raw("deadline"), refused.expected)
    note = row.text("note")
    if not row.ok:
        return None
    values = {
        "name": name,
        "company": row.text("company"),
        "industry": row.text("industry"),
        **ledger._money(amount, currency),
        "unit_id": unit_id,
        "owner_id": owner,
        "leader_id": leader,
        "is_key": key,
        "stage": stage.value,
        "start_deadline": deadline,
        "type": kind.value,
        "increase_yuan": increase,
        "source_key": source_key,
    }
    return _ProjectRow(values, row.text("unit"), milestones, funds, origin, funds_date, note)


def import_projects(
    session: Session,
    path: Path,
    extra: dict[str, str],
    today: date,
    default_date: date | None = None,
    money_unit: int | None = None,
    key: str | None = None,
    year: int | None = None,
) -> Counts:
    """Projects from a sheet: a row naming one the ledger holds (its unit and name, or with `key`
    the sheet's own key in that column) is that project again, corrected; any other is new.
    `year`: of dates without one."""
    counts, bad = Counts(), []
    _org_sheets(session, path, bad, counts)
    shown, rows, make = sheet_rows(path, "projects", extra, bad=bad, money_unit=money_unit, key=key, year=year)
    counts.sheets.append(shown)
    directory = _Directory(session)
    stamp = {"created_at": session.info["now"], "created_by": session.info["actor"]}
    held_projects = _HeldProjects(session, key is not None)
    keys = _SheetKeys(key)
    for number, cells in rows:
        if not any(c is not None for c in cells):
            continue
        counts.rows += 1
        progress.advance()
        row = make(number, cells)
        decided = _project(row, directory, today, default_date, keys)
        if decided is None:
            continue
        name = decided.values["name"]
        if bad:  # nothing will be written: the project is known by name for the rows after it
            counts.projects += 1
            directory.projects.setdefault(name, []).append((-counts.projects, decided.unit))
            continue
        held = held_projects.take(decided.values)
        if held is not None:  # a re-sent 台账: the project is the ledger's, corrected where the sheet differs
            _update_project(session, held, decided, default_date or today, stamp, counts, held_projects.keyed, row)
            try:  # the project as corrected, the cells left blank kept: still a project the ledger may hold
                currency = Currency(held.currency) if held.currency else None
                ledger.check_increase(ProjectType(held.type), held.increase_yuan, held.amount_yuan, currency)
            except ZsError as exc:
                field, expected = exc.field.removeprefix("--"), exc.expected
                if field == "increase" and row.raw("increase") is None and held.increase_yuan is not None:
                    field, expected = "amount", f"a total of at least its increase ({held.increase_yuan} yuan)"
                row.fail(field, row.raw(field) or "", f"{expected}, with what the ledger holds for {held.name}")
            continue
        counts.projects += 1
        counts.milestones += len(decided.milestones)
        project = Project(**decided.values, **stamp)
        session.add(project)
        session.flush()
        directory.projects.setdefault(name, []).append((project.id, decided.unit))
        directory.project_ids.add(project.id)
        session.add_all(Milestone(project_id=project.id, stage=s.value, date=d, **stamp) for s, d in decided.milestones)
        if decided.funds:
            fund = {"amount_yuan": decided.funds, "origin": decided.origin.value, "date": decided.funds_date}
            session.add(Fund(project_id=project.id, **fund, **stamp))
            counts.funds += 1
        if decided.note:
            session.add(ProjectNote(project_id=project.id, date=default_date or today, text=decided.note, **stamp))
            counts.notes += 1
        if counts.projects % 1000 == 0:
            session.flush()
    _fund_and_note_sheets(session, path, today, directory, bad, counts, money_unit)
    if bad:
        raise ImportRefused(path, bad)
    session.flush()
    named = session.exec(select(Project.company).where(Project.company.is_not(None)).distinct()).scalars().all()
    counts.new_companies += ledger.ensure_companies(session, sorted(named))
    return counts


class _HeldProjects:
    """The ledger's projects a row may be, each at most once: by their natural key (unit, name) or,
    with --key, by the sheet's own key (unit, key) — and by name only one held without a key."""

    def __init__(self, session: Session, keyed: bool):
        held = session.exec(select(Project)).scalars().all()
        self.keyed = keyed
        self.by_name = {(p.unit_id, p.name): p for p in held}
        self.by_key = {(p.unit_id, p.source_key): p for p in held if keyed and p.source_key is not None}

    def take(self, values: dict) -> Project | None:
        unit_id, name = values["unit_id"], values["name"]
        project = self.by_key.pop((unit_id, values["source_key"]), None)
        if project is None and (unit_id, name) in self.by_name:
            unkeyed = not self.keyed or self.by_name[(unit_id, name)].source_key is None
            project = self.by_name.pop((unit_id, name)) if unkeyed else None
        elif project is not None and self.by_name.get((unit_id, project.name)) is project:
            del self.by_name[(unit_id, project.name)]
        return project


# What a re-sent 台账 may correct in a project it already holds (unit and name are its key) …
PROJECT_FIELDS = ("company", "industry", "owner_id", "leader_id", "start_deadline", "increase_yuan")
KEYED_PROJECT_FIELDS = ("name", *PROJECT_FIELDS)  # … and its name, matched on the sheet's own key (--key)
MONEY_FIELDS = ("amount_yuan", "currency", "amount_original")  # an amount and its currency change together


def _update_project(
    session: Session,
    project: Project,
    decided: "_ProjectRow",
    day: date,
    stamp: dict,
    counts: Counts,
    keyed: bool = False,
    row: Row | None = None,
) -> None:
    """A project already held, as a later sheet has it: fields it corrects, stages it reached since
    (each a dated milestone, on the rules of `zs project advance`: after the latest milestone, and
    none out of 终止), funds and a note it did not hold. A blank cell keeps what is held."""
    changed = False
    for name in KEYED_PROJECT_FIELDS if keyed else PROJECT_FIELDS:
        value = decided.values.get(name)
        if value is not None and getattr(project, name) != value:
            setattr(project, name, value)
            changed = True
    if project.source_key is None and decided.values["source_key"] is not None:  # held before keys were
        project.source_key = decided.values["source_key"]
    amounts = tuple(decided.values[name] for name in MONEY_FIELDS)
    if amounts != tuple(getattr(project, name) for name in MONEY_FIELDS):
        for name, value in zip(MONEY_FIELDS, amounts, strict=True):
            setattr(project, name, value)
        changed = True
    # A 重点 or 类型 cell left blank (or no such column) reads as 否 / 新建: it never takes back what is held.
    if decided.values["is_key"] and not project.is_key:
        project.is_key, changed = True, True
    if decided.values["type"] != ProjectType.new.value and project.type != decided.values["type"]:
        project.type, changed = decided.values["type"], True
        if project.type != ProjectType.expansion.value and decided.values["increase_yuan"] is None:
            project.increase_yuan = None  # no longer 增资: its increase goes, as with `project edit --type`
    held = session.exec(select(Milestone).where(Milestone.project_id == project.id).order_by(Milestone.id)).scalars()
    milestones = list(held)
    reached = {m.stage for m in milestones}
    later = [(s, d) for s, d in decided.milestones if s.value not in reached]
    if later and row is not None and not _may_reach(row, project, milestones[-1], later):
        return
    if later:
        session.add_all(Milestone(project_id=project.id, stage=s.value, date=d, **stamp) for s, d in later)
        project.stage = decided.values["stage"]
        counts.milestones += len(later)
        changed = True
    if decided.funds and _correct_fund(session, project, decided, stamp, row):
        counts.funds += 1
        changed = True
    if decided.note:
        same = select(ProjectNote.id).where(ProjectNote.project_id == project.id, ProjectNote.text == decided.note)
        if session.exec(same).first() is None:
            session.add(ProjectNote(project_id=project.id, date=day, text=decided.note, **stamp))
            counts.notes += 1
            changed = True
    counts.changed_projects += changed
    counts.unchanged_projects += not changed


def _correct_fund(session: Session, project: Project, decided: "_ProjectRow", stamp: dict, row: Row | None) -> bool:
    """The fund a re-sent row names (本次到位: one batch, on its date), added unless held as it is.
    A row whose batch differs from the one fund held for the project on that date corrects it: the
    held one is voided with the correction as its reason and the row's is recorded (a re-sent 台账
    whose 到位资金 or 资金来源 was corrected must not count both). Several held that day, none the
    row's: which one it corrects cannot be told, and the cell is a bad cell."""
    fund = {"amount_yuan": decided.funds, "origin": decided.origin.value, "date": decided.funds_date}
    same = select(Fund.id).where(Fund.project_id == project.id, *(getattr(Fund, k) == v for k, v in fund.items()))
    if session.exec(same).first() is not None:
        return False
    that_day = select(Fund).where(
        Fund.project_id == project.id,
        Fund.date == decided.funds_date,
        Fund.voided_at.is_(None),  # type: ignore[union-attr]
    )
    held = list(session.exec(that_day).scalars())
    if len(held) > 1:
        if row is not None:
            row.fail(
                "funds",
                row.raw("funds") or money(decided.funds),
                f"one of the {len(held)} funds held for {project.name} on {decided.funds_date.isoformat()} "
                f"(fund {', '.join(f'#{f.id}' for f in held)}; void the wrong one with `zs project void-fund`)",
            )
        return False
    if held:
        was = held[0]
        was.voided_at = session.info["now"]
        was.void_reason = (
            f"更正为 {money(decided.funds)} {label(decided.origin)}"
            f"{f'（重报台账第{row.number}行）' if row is not None else '（重报台账）'}"
        )
        session.add(was)
    session.add(Fund(project_id=project.id, **fund, **stamp))
    return True


def _may_reach(row: Row, project: Project, latest: Milestone, later: list[tuple[Stage, date]]) -> bool:
    """Whether a held project may reach the stages a re-sent row adds, as `zs project advance`
    would move it; each cell that says otherwise is a bad cell."""
    if project.stage == Stage.dropped.value:
        row.fail(
            "stage",
            row.raw("stage") or label(later[-1][0]),
            f"终止 for {project.name}, which was dropped on {latest.date.isoformat()} "
            "(zs project advance --force --reason brings a project back)",
        )
        return False
    for stage, day in later:
        if day < latest.date:
            row.fail(
                f"{stage.value}_date",
                row.raw(f"{stage.value}_date") or day.isoformat(),
                f"a date on or after {latest.date.isoformat()}, when {project.name} reached "
                f"{label(Stage(latest.stage))}",
            )
    return row.ok


def _fund_and_note_sheets(
    session: Session,
    path: Path,
    today: date,
    directory: _Directory,
    bad: list[BadCell],
    counts: Counts,
    money_unit: int | None,
) -> None:
    names = sheet_names(path)
    stamp = {"created_at": session.info["now"], "created_by": session.info["actor"]}
    if "到位资金" in names:
        shown, rows, make = sheet_rows(path, "funds", {}, "到位资金", bad=bad, money_unit=money_unit)
        for number, cells in rows:
            row = make(number, cells)
            project = directory.project(row, "project", row.text("project", True) or "")
            (amount, currency), origin = row.money("amount", True), row.code(Origin, "origin", True)
            day, void_reason = row.day("date", today, True), row.text("void_reason")
            if amount == 0:
                row.fail("amount", 0, "an amount above zero")
            if row.ok and not bad:
                session.add(
                    Fund(
                        project_id=project,
                        **ledger._money(amount, currency),
                        origin=origin.value,
                        date=day,
                        note=row.text("note"),
                        void_reason=void_reason,
                        voided_at=session.info["now"] if void_reason else None,
                        **stamp,
                    )
                )
                counts.funds += 1
    if "推进情况" in names:
        shown, rows, make = sheet_rows(path, "notes", {}, "推进情况", bad=bad)
        for number, cells in rows:
            row = make(number, cells)
            project = directory.project(row, "project", row.text("project", True) or "")
            day, text, problem = row.day("date", today, True), row.text("text", True), row.flag("problem")
            tracked = {
                "assignee": row.text("assignee"),
                "due": row.day("due", today),
                "resolved_on": row.day("resolved_on", today),
                "resolution": row.text("resolution"),
            }
            if not problem and any(v is not None for v in tracked.values()):
                row.fail("problem", "否", "是: a note with a 问题责任人, 办结时限 or 办结 is a problem")
            if row.ok and not bad:
                note = ProjectNote(project_id=project, date=day, text=text, is_problem=problem, **tracked, **stamp)
                session.add(note)
                counts.notes += 1


def _link_milestone(session: Session, event_id: int, project_id: int, stage: Stage, start: date, end: date) -> None:
    """The project's latest unforced milestone of `stage` dated within the event's days is reached at it."""
    milestone = (
        session.exec(
            select(Milestone)
            .where(
                Milestone.project_id == project_id,
                Milestone.stage == stage.value,
                Milestone.forced.is_(False),
                Milestone.date >= start,
                Milestone.date <= end,
            )
            .order_by(Milestone.id.desc())
        )
        .scalars()
        .first()
    )
    if milestone is None:
        raise ZsError(
            "现场签约",
            f"#{project_id}({label(stage)})",
            f"a project that reached {label(stage)} on the event's day ({start.isoformat()}); import projects first",
        )
    milestone.event_id = event_id
    session.add(milestone)
    session.flush()


def import_figures(session: Session, path: Path, extra: dict[str, str]) -> Counts:
    """A sheet of reported figures (名称, 期间, 单位, 数值): each set as `zs figure set` sets it."""
    from zhaoshang.figures import add_voided_figure, set_figure
    from zhaoshang.parse import parse_period

    counts, bad = Counts(), []
    shown, rows, make = sheet_rows(path, "figures", extra, bad=bad)
    counts.sheets.append(shown)
    units = {name for name in session.exec(select(Unit.name)).scalars()}
    for number, cells in rows:
        if not any(c is not None for c in cells):
            continue
        counts.rows += 1
        progress.advance()
        row = make(number, cells)
        name, unit = row.text("name", required=True), row.text("unit")
        raw_period, (amount, currency) = row.text("period", required=True), row.money("amount", required=True)
        period = None
        if raw_period is not None:
            try:
                period = parse_period(raw_period, "period")
            except ZsError as exc:
                row.fail("period", raw_period, exc.expected)
        if unit is not None and unit not in units:
            row.fail("unit", unit, "a unit of the ledger, or empty for the whole region")
        if not row.ok or bad:
            continue
        void_reason = row.text("void_reason")
        if void_reason is not None:  # kept voided as it was: it counts nowhere and holds no place
            added = add_voided_figure(session, name, period, amount, unit, row.text("note"), currency, void_reason)
            counts.figures += added
            counts.voided += added
            continue
        try:
            _, before = set_figure(session, name, period, amount, unit, row.text("note"), currency)
        except ZsError as exc:
            if exc.field == "--period":
                row.fail("period", raw_period, f"{exc.expected} ({exc.problem})")
            else:
                row.fail("unit", unit or "", exc.expected)
            continue
        if before is None:
            counts.figures += 1
        else:
            counts.changed_figures += 1
    if bad:
        raise ImportRefused(path, bad)
    return counts


def import_companies(session: Session, path: Path, extra: dict[str, str]) -> Counts:
    """A 客商名录 (or a zs workbook's 客商库 sheet): a company the register lacks is added; one it has
    gains the tiers listed (none is taken away) and takes the origin, industry and contact given."""
    counts, bad = Counts(), []
    shown, rows, make = sheet_rows(path, "companies", extra, bad=bad)
    counts.sheets.append(shown)
    known = {c.name: c for c in session.exec(select(Company)).scalars()}
    held: dict[int, set[str]] = {}
    for company_id, tier in session.exec(select(CompanyTier.company_id, CompanyTier.tier)):
        held.setdefault(company_id, set()).add(tier)
    seen: set[str] = set()
    for number, cells in rows:
        if not any(c is not None for c in cells):
            continue
        counts.rows += 1
        progress.advance()
        row = make(number, cells)
        name = row.text("name", required=True)
        tiers = []
        for part in SPLIT.split(row.text("tiers") or ""):
            if part.strip():
                try:
                    tiers.append(parse_code(Tier, part, "tiers"))
                except ZsError as exc:
                    row.fail("tiers", part.strip(), exc.expected)
        if name is not None and name in seen:
            row.fail("name", name, "each company once in the sheet")
        fields = {column: row.text(column) for column in ("origin", "industry", "contact")}
        if not row.ok or bad:
            continue
        seen.add(name)
        company = known.get(name)
        is_new = company is None
        changed = False
        if company is None:
            company = Company(name=name, **fields, created_at=session.info["now"], created_by=session.info["actor"])
            known[name] = company
        else:
            for column, value in fields.items():
                if value is not None and getattr(company, column) != value:
                    setattr(company, column, value)
                    changed = True
        session.add(company)
        session.flush()
        mine = held.setdefault(company.id, set())
        for tier in dict.fromkeys(tiers):
            if tier.value not in mine:
                mine.add(tier.value)
                session.add(CompanyTier(company_id=company.id, tier=tier.value))
                changed = True
        counts.new_companies += is_new
        counts.changed_companies += changed and not is_new
    if bad:
        raise ImportRefused(path, bad)
    session.flush()
    return counts
