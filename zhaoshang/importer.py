"""`zs import`: existing 台账 in CSV or xlsx, all or nothing.

Rows are read, checked and written in chunks inside one transaction; the first bad cell stops the
writing but not the checking, so that every bad row is reported — and then the transaction is
rolled back and nothing is written. A workbook written by `zs export` carries its units, people,
funds and notes on sheets of their own; they are read too.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlmodel import Session

from zhaoshang import db, history
from zhaoshang.errors import ZsError
from zhaoshang.interchange import SHEETS, Column, map_headers
from zhaoshang.labels import (
    STAGE_PATH,
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
from zhaoshang.ledger import FIRST_DAY, LAST_DAY, as_id
from zhaoshang.models import (
    Activity,
    ActivityCompany,
    ActivityProject,
    Fund,
    Milestone,
    Person,
    Project,
    ProjectNote,
    Unit,
)
from zhaoshang.parse import BareAmount, check_text, parse_amount, parse_date, unsafe_character
from zhaoshang.render.fmt import shown
from zhaoshang.tabular import read_rows, sheet_names

CHUNK = 5_000
SPLIT = re.compile(r"[、,，;；\n]+")
LISTS = ("companies", "projects")  # cells that hold a list: a line break separates its items
_LINE_BREAK = re.compile(r"\r?\n")
_ORDINAL = re.compile(r"(.+)#([1-9][0-9]*)")
TRUE = {"是", "√", "✓", "1", "true", "yes", "y", "重点", "是重点"}
FALSE = {"否", "×", "0", "false", "no", "n", "非重点"}


@dataclass(frozen=True)
class BadCell:
    sheet: str
    row: int
    column: str
    value: object
    expected: str

    def __str__(self) -> str:
        value = self.value.isoformat() if isinstance(self.value, date) else self.value
        return f"{shown(self.sheet)} row {self.row}, {shown(self.column)} {value!r}: expected {self.expected}"


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
    companies: int = 0
    projects: int = 0
    milestones: int = 0
    funds: int = 0
    notes: int = 0
    voided: int = 0
    rows: int = 0
    changes: int = 0  # of the other ledger's history (merge)
    sheets: list[str] = field(default_factory=list)


# What a cell's text was read as, kept across rows: a 台账 repeats the same few dates and codes.
_MEMO_DATES: dict[str, date] = {}
_MEMO_CODES: dict[tuple, object] = {}


class _Row:
    """One row's cells by field, with a way to record what is wrong with them."""

    def __init__(
        self,
        sheet: str,
        number: int,
        cells: list,
        columns: list[Column],
        bad: list[BadCell],
        headers: dict[str, str],
        money_unit: int | None = None,
    ):
        self.sheet, self.number, self.bad, self.headers, self.money_unit = sheet, number, bad, headers, money_unit
        self.values = {c.field: (cells[c.index] if c.index < len(cells) else None) for c in columns}
        self.columns = {c.field: c for c in columns}
        self.ok = True
        self.refused: set[str] = set()  # cells already reported: read as empty, not reported again
        if unsafe_character("、".join(v for v in self.values.values() if type(v) is str)):  # one search, most rows
            self._refuse_unsafe()

    def _refuse_unsafe(self) -> None:
        for name, value in self.values.items():
            if type(value) is str:
                try:
                    check_text(_LINE_BREAK.sub("、", value) if name in LISTS else value, name)
                except ZsError as exc:
                    self.fail(name, value, f"{exc.expected} ({exc.problem})")
                    self.refused.add(name)
                    self.values[name] = None

    def raw(self, name: str):
        return self.values.get(name)  # the readers give None for an empty cell and strip text

    def fail(self, name: str, value, expected: str) -> None:
        self.ok = False
        if name in self.refused:
            return
        header = self.columns[name].header if name in self.columns else self.headers.get(name, name)
        self.bad.append(BadCell(self.sheet, self.number, header, value, expected))

    def text(self, name: str, required: bool = False) -> str | None:
        value = self.values.get(name)
        if type(value) is str:
            return value
        if value is None:
            if required:
                self.fail(name, "", "a value")
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    def day(self, name: str, today: date, required: bool = False) -> date | None:
        """A date the ledger may hold (FIRST_DAY to LAST_DAY, as every way in requires)."""
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "", "a date")
            return None
        found = self._day(value, name, today)
        if found is not None and not FIRST_DAY <= found <= LAST_DAY:
            self.fail(name, found, f"a date from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}")
            return None
        return found

    def _day(self, value, name: str, today: date) -> date | None:
        if isinstance(value, str) and value in _MEMO_DATES:
            return _MEMO_DATES[value]
        if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                _MEMO_DATES[value] = date.fromisoformat(value)
                return _MEMO_DATES[value]
            except ValueError:
                pass  # parse_date says what is wrong with it
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        if isinstance(value, float) and not value.is_integer():  # 45000.5, inf, nan: not a day
            self.fail(name, value, "a date")
            return None
        try:
            return parse_date(str(int(value)) if isinstance(value, float) else str(value), today, name)
        except ZsError as exc:
            self.fail(name, value, exc.expected if not exc.problem else f"{exc.expected} ({exc.problem})")
            return None

    def amount(self, name: str, required: bool = False) -> int | None:
        value = self.raw(name)
        if value is None:
            if required:
                self.fail(name, "", "an amount")
            return None
        column = self.columns[name]
        numeric = isinstance(value, int | float | Decimal) and not isinstance(value, bool)  # an Excel number
        try:
            return parse_amount(
                format(Decimal(str(value)), "f") if numeric else str(value),
                name,
                bare_unit=column.scale or self.money_unit,
            )
        except BareAmount as exc:
            self.fail(
                name, value, f"{exc.expected} (or a unit in the header such as {column.header}(万元), or --money-unit)"
            )
        except ZsError as exc:
            self.fail(name, value, exc.expected)
        return None

    def code(self, vocabulary, name: str, required: bool = False):
        value = self.text(name, required)
        if value is None:
            return None
        known = _MEMO_CODES.get((vocabulary, value))
        if known is not None:
            return known
        try:
            _MEMO_CODES[(vocabulary, value)] = parse_code(vocabulary, value, name)
        except ZsError as exc:
            self.fail(name, value, exc.expected)
            return None
        return _MEMO_CODES[(vocabulary, value)]

    def flag(self, name: str) -> bool:
        value = self.text(name)
        if value is None or value.lower() in FALSE:
            return False
        if value.lower() in TRUE:
            return True
        self.fail(name, value, "是 or 否")
        return False


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

    def unit(self, row: _Row, name: str = "unit") -> int | None:
        value = row.text(name, required=True)
        if value is None:
            return None
        if value not in self.units:
            row.fail(name, value, "a unit of the ledger (add it with `zs unit add`, or a 单位 sheet)")
            return None
        return self.units[value][0]

    def person(self, row: _Row, name: str) -> int | None:
        value = row.text(name)
        if value is None:
            return None
        unit, _, person = value.rpartition("/")
        found = [pid for pid, home in self.people.get(person.strip(), []) if not unit or home == unit.strip()]
        if len(found) != 1:
            row.fail(name, value, "a person of the ledger" if not found else "UNIT/NAME: the name is shared")
            return None
        return found[0]

    def project(self, row: _Row, name: str, value: str) -> int | None:
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


def _sheet(path: Path, kind: str) -> tuple[str | None, str]:
    """Which sheet to read for a kind of record: its own sheet in a zs workbook, else the first."""
    title = SHEETS[kind][0]
    names = sheet_names(path)
    if title in names:
        return title, title
    return None, path.name


def _rows(
    path: Path,
    kind: str,
    extra: dict[str, str],
    sheet: str | None = None,
    bad: list | None = None,
    money_unit: int | None = None,
):
    """(rows, a factory of checked rows) for one kind of record in a file. `money_unit`: yuan per plain
    number in a money column whose header names no unit (--money-unit); None refuses such numbers."""
    fields = SHEETS[kind][1]
    sheet_name, shown = (sheet, sheet) if sheet else _sheet(path, kind)
    headers, rows = read_rows(path, sheet_name)
    columns = map_headers(headers, fields, extra, f"{shown} headers")
    names = {f.name: f.header for f in fields} | {f"{s.value}_date": f"{label(s)}日期" for s in Stage}

    def row(number: int, cells: list) -> _Row:
        return _Row(shown, number, cells, columns, bad, names, money_unit)

    return shown, rows, row


def _org_sheets(session: Session, path: Path, bad: list[BadCell], counts: Counts) -> None:
    """The 单位 and 人员 sheets of a zs workbook: units and people the ledger lacks are added."""
    names = sheet_names(path)
    if "单位" in names:
        shown, rows, make = _rows(path, "units", {}, "单位", bad=bad)
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
        shown, rows, make = _rows(path, "people", {}, "人员", bad=bad)
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


def _kind(row: _Row) -> tuple[ActivityKind | None, EventType | None]:
    value = row.text("kind", required=True)
    if value is None:
        return None, None
    if ("kind", value) in _MEMO_CODES:
        return _MEMO_CODES[("kind", value)]
    for vocabulary in (ActivityKind, EventType):
        try:
            code = parse_code(vocabulary, value, "kind")
        except ZsError:
            continue
        found = (code, None) if vocabulary is ActivityKind else (ActivityKind.event, code)
        _MEMO_CODES[("kind", value)] = found
        return found
    row.fail("kind", value, "外出招商, 走访企业, 接待客商, 调度会, or an event type (推介会, 展会, 签约仪式 …)")
    return None, None


def import_activities(session: Session, path: Path, extra: dict[str, str], today: date) -> Counts:
    counts, bad = Counts(), []
    _org_sheets(session, path, bad, counts)
    shown, rows, make = _rows(path, "activities", extra, bad=bad)
    counts.sheets.append(shown)
    directory = _Directory(session)
    now, actor = session.info["now"], session.info["actor"]
    pending: list[tuple[dict, list[str], list[int]]] = []

    def flush() -> None:
        if bad or not pending:
            pending.clear()
            return
        ids = db.insert_returning_ids(session, Activity.__table__, [p[0] for p in pending])
        companies = [
            {"activity_id": i, "company": c} for i, (_, names, _) in zip(ids, pending, strict=True) for c in names
        ]
        links = [
            {"activity_id": i, "project_id": p}
            for i, (_, _, projects) in zip(ids, pending, strict=True)
            for p in projects
        ]
        db.bulk_insert(session, ActivityCompany.__table__, companies)
        db.bulk_insert(session, ActivityProject.__table__, links)
        history.note_created(session, "activity", ids)
        counts.companies += len(companies)
        pending.clear()

    for number, cells in rows:
        if not any(c is not None for c in cells):
            continue
        counts.rows += 1
        row = make(number, cells)
        day = row.day("date", today, required=True)
        end = row.day("end_date", today)
        unit_id = directory.unit(row)
        kind, event_type = _kind(row)
        leader = directory.person(row, "leader")
        mode = row.code(Mode, "mode")
        companies = list(dict.fromkeys(c.strip() for c in SPLIT.split(row.text("companies") or "") if c.strip()))
        projects = list(
            dict.fromkeys(
                directory.project(row, "projects", p) for p in SPLIT.split(row.text("projects") or "") if p.strip()
            )
        )
        if day and end and end < day:
            row.fail("end_date", end, f"a date on or after {day.isoformat()}")
        if kind in (ActivityKind.visit, ActivityKind.reception) and not companies:
            row.fail("companies", "", f"a company for {label(kind)}")
        void_reason = row.text("void_reason")
        if not row.ok:
            continue
        counts.activities += 1
        counts.voided += bool(void_reason)
        pending.append(
            (
                {
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
                    "created_at": now,
                    "created_by": actor,
                },
                companies,
                [p for p in projects if p is not None],
            )
        )
        if len(pending) >= CHUNK:
            flush()
    flush()
    if bad:
        raise ImportRefused(path, bad)
    return counts


def _stage_dates(row: _Row, today: date, default: date | None) -> tuple[Stage | None, list[tuple[Stage, date]]]:
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


def import_projects(
    session: Session,
    path: Path,
    extra: dict[str, str],
    today: date,
    default_date: date | None = None,
    money_unit: int | None = None,
) -> Counts:
    counts, bad = Counts(), []
    _org_sheets(session, path, bad, counts)
    shown, rows, make = _rows(path, "projects", extra, bad=bad, money_unit=money_unit)
    counts.sheets.append(shown)
    directory = _Directory(session)
    stamp = {"created_at": session.info["now"], "created_by": session.info["actor"]}
    for number, cells in rows:
        if not any(c is not None for c in cells):
            continue
        counts.rows += 1
        row = make(number, cells)
        name = row.text("name", required=True)
        unit_id = directory.unit(row)
        amount = row.amount("amount", required=True)
        stage, milestones = _stage_dates(row, today, default_date)
        owner, leader = directory.person(row, "owner"), directory.person(row, "leader")
        funds = row.amount("funds")
        origin = row.code(Origin, "origin", required=funds is not None)
        funds_date = row.day("funds_date", today) or default_date
        if funds and funds_date is None:
            row.fail("funds_date", "", "the date the funds arrived (到位日期, or --date)")
        key, deadline = row.flag("key"), row.day("deadline", today)
        note = row.text("note")
        if not row.ok:
            continue
        counts.projects += 1
        counts.milestones += len(milestones)
        unit_name = row.text("unit")
        if bad:  # nothing will be written: the project is known by name for the rows after it
            directory.projects.setdefault(name, []).append((-counts.projects, unit_name))
            continue
        project = Project(
            name=name,
            company=row.text("company"),
            industry=row.text("industry"),
            amount_yuan=amount,
            unit_id=unit_id,
            owner_id=owner,
            leader_id=leader,
            is_key=key,
            stage=stage.value,
            start_deadline=deadline,
            **stamp,
        )
        session.add(project)
        session.flush()
        directory.projects.setdefault(name, []).append((project.id, unit_name))
        directory.project_ids.add(project.id)
        session.add_all(Milestone(project_id=project.id, stage=s.value, date=d, **stamp) for s, d in milestones)
        if funds:
            session.add(Fund(project_id=project.id, amount_yuan=funds, origin=origin.value, date=funds_date, **stamp))
            counts.funds += 1
        if note:
            session.add(ProjectNote(project_id=project.id, date=default_date or today, text=note, **stamp))
            counts.notes += 1
        if counts.projects % 1000 == 0:
            session.flush()
    _fund_and_note_sheets(session, path, today, directory, bad, counts, money_unit)
    if bad:
        raise ImportRefused(path, bad)
    session.flush()
    return counts


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
        shown, rows, make = _rows(path, "funds", {}, "到位资金", bad=bad, money_unit=money_unit)
        for number, cells in rows:
            row = make(number, cells)
            project = directory.project(row, "project", row.text("project", True) or "")
            amount, origin = row.amount("amount", True), row.code(Origin, "origin", True)
            day, void_reason = row.day("date", today, True), row.text("void_reason")
            if amount == 0:
                row.fail("amount", 0, "an amount above zero")
            if row.ok and not bad:
                session.add(
                    Fund(
                        project_id=project,
                        amount_yuan=amount,
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
        shown, rows, make = _rows(path, "notes", {}, "推进情况", bad=bad)
        for number, cells in rows:
            row = make(number, cells)
            project = directory.project(row, "project", row.text("project", True) or "")
            day, text, problem = row.day("date", today, True), row.text("text", True), row.flag("problem")
            if row.ok and not bad:
                session.add(ProjectNote(project_id=project, date=day, text=text, is_problem=problem, **stamp))
                counts.notes += 1
