"""`zs merge`: a county's whole ledger joins the city's — units kept apart, nothing retyped, its
history kept.

Every record is copied with its own dates, its `created_at` and `created_by`, voids and reasons,
forced milestones and notes; ids are new in the target and every reference is mapped. The
source's change history comes along as changes marked with their source, to read and never to
undo; the merge itself is one change, and `zs undo` takes it all back.

The other ledger is only read (`other_ledger`): it must exist, be another ledger than the target
by any spelling, and pass SQLite's integrity check. A SQLite file of an older schema is upgraded in
a temporary copy, never in place; a PostgreSQL ledger of an older schema is refused. Its values go
through the checks typed input goes through, and a refusal names the record.
"""

import os
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from sqlalchemy import Engine, String, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, DBAPIError
from sqlmodel import AutoString, Session

from zhaoshang import db, history, progress
from zhaoshang.db_backup import check_ledger_file
from zhaoshang.errors import ZsError
from zhaoshang.figures import merged_figure
from zhaoshang.importer import Counts
from zhaoshang.labels import ActivityKind, EventType, Mode, Origin, ProjectType, Role, Stage, Tier, UnitKind, label
from zhaoshang.migrations import MIGRATIONS
from zhaoshang.models import (
    Activity,
    ActivityCompany,
    ActivityPerson,
    ActivityProject,
    ActivityUnit,
    Change,
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
from zhaoshang.parse import check_amount, check_text

CHUNK = 20_000
FIELD = "LEDGER"
CURRENT = {name for name, _ in MIGRATIONS}

# A record's codes come from closed vocabularies; its text is checked as typed text is (but a
# change's payload, JSON written by zs itself, is not typed text).
CODES = {
    (table, column): {code.value for code in vocabulary}
    for table, column, vocabulary in (
        ("unit", "kind", UnitKind),
        ("person", "role", Role),
        ("project", "stage", Stage),
        ("milestone", "stage", Stage),
        ("fund", "origin", Origin),
        ("activity", "kind", ActivityKind),
        ("activity", "mode", Mode),
        ("activity", "event_type", EventType),
        ("company_tier", "tier", Tier),
        ("project", "type", ProjectType),
    )
}
NOT_TYPED = {("change", "payload")}


@contextmanager
def other_ledger(location: str, target: str) -> Iterator[Engine]:
    """An engine that reads the ledger at `location` (a file or a database URL) as it is, to merge into
    the ledger at `target`. Refused in one line, with nothing created or changed anywhere: a ledger
    that is not there, the target itself by another spelling, a damaged file, another application's
    database, a newer zs's ledger, and an older schema on a database server."""
    path = db.file_of(location, FIELD)
    if path is None:
        with _server_ledger(location, target) as engine:
            yield engine
    else:
        with _file_ledger(location, path, target) as engine:
            yield engine


def _same_file(path: Path, target: str) -> bool:
    try:
        mine = db.file_of(target)
        return mine is not None and os.path.samefile(path, mine)
    except (ZsError, OSError):  # the target is not there yet, or not a file: then it is not this one
        return False


def _refuse_same(location: str, target: str) -> ZsError:
    return ZsError(
        FIELD,
        location,
        "another ledger than the one merged into",
        None if location == target else f"it is {target} by another name",
    )


@contextmanager
def _file_ledger(location: str, path: Path, target: str) -> Iterator[Engine]:
    try:
        missing = (
            None
            if path.is_file()
            else "it is a folder"
            if path.is_dir()
            else "it is not a file"
            if path.exists()
            else "there is no such file"
        )
    except OSError as exc:  # a name too long for the file system, a folder that may not be read
        missing = exc.strerror
    if missing:
        raise ZsError(FIELD, location, "an existing ledger file (a merge creates nothing)", missing)
    if _same_file(path, target):
        raise _refuse_same(location, target)
    names = check_ledger_file(path, FIELD)  # damaged, another application's, a newer zs's: refused
    with closing(db.read_connection(path)) as reader:
        dangling = reader.execute("PRAGMA foreign_key_check").fetchone()
        if dangling:
            raise ZsError(
                FIELD,
                location,
                "an undamaged ledger",
                f"{dangling[0]} {dangling[1]} refers to a {dangling[2]} that is not there",
            )
        if set(names) == CURRENT:
            reader.close()
            engine = db.open_readonly(location, FIELD)
            try:
                yield engine
            finally:
                engine.dispose()
            return
        # An older schema is upgraded in a copy that goes away after the merge, never in place.
        with tempfile.TemporaryDirectory(prefix="zs-merge-") as folder:
            copy = Path(folder) / "ledger.db"
            try:
                with closing(sqlite3.connect(copy)) as blank:
                    reader.backup(blank)
            except sqlite3.Error as exc:  # a full disk
                raise ZsError(FIELD, location, f"room in {folder} for a copy to upgrade", str(exc)) from exc
            reader.close()
            try:
                engine = db.connect(copy)
            except ZsError as exc:
                raise ZsError(FIELD, location, "a ledger this zs can upgrade", exc.problem or exc.expected) from exc
            try:
                yield engine
            finally:
                engine.dispose()


@contextmanager
def _server_ledger(location: str, target: str) -> Iterator[Engine]:
    """A ledger on a database server, only read (`db.reading` reads one read-only snapshot)."""
    try:
        engine = create_engine(location, execution_options={"zs_read_only": True})
    except (ImportError, ArgumentError) as exc:
        raise ZsError(FIELD, location, "a ledger file, or a database URL whose driver is installed", str(exc)) from exc
    try:
        if engine.dialect.name != "postgresql":
            raise ZsError(FIELD, location, "a ledger file or a postgresql+psycopg:// URL")
        try:
            _check_server_ledger(engine, location, target)
        except DBAPIError as exc:
            raise ZsError(
                FIELD,
                location,
                "a database server that answers, holding a zs ledger",
                str(exc.orig or exc).strip().splitlines()[0],
            ) from exc
        yield engine
    finally:
        engine.dispose()


def _check_server_ledger(engine: Engine, location: str, target: str) -> None:
    if "://" in target and make_url(target).get_backend_name() == "postgresql":
        mine = create_engine(target)
        try:
            same = _same_place(_place(engine), _place(mine))
        except DBAPIError:  # the target does not answer: opening it will say so
            same = False
        finally:
            mine.dispose()
        if same:
            raise _refuse_same(location, target)
    with engine.connect() as conn:
        if not inspect(conn).has_table("zs_migration"):
            raise ZsError(FIELD, location, "a zs ledger", "it has no zs schema")
        names = set(conn.execute(text("SELECT name FROM zs_migration")).scalars())
    if names - CURRENT:
        raise ZsError(
            FIELD,
            location,
            "a ledger of this zs version or older",
            f"it was written by a newer zs (migration {sorted(names - CURRENT)[-1]})",
        )
    if CURRENT - names:
        raise ZsError(
            FIELD,
            location,
            "a ledger of this zs version: open it with this zs once (`zs history --db LEDGER`) to upgrade it",
            f"it lacks migration {sorted(CURRENT - names)[0]}, and a merge only reads the other ledger",
        )


def _place(engine: Engine) -> tuple:
    """Where a PostgreSQL URL lands, whatever its spelling: the server (its system identifier where
    this role may read it, and its address and port), the database and the schema."""
    with engine.connect() as conn:
        address, port, database, schema = conn.execute(
            text("SELECT inet_server_addr(), inet_server_port(), current_database(), current_schema()")
        ).one()
    try:
        with engine.connect() as conn:
            system = conn.execute(text("SELECT system_identifier FROM pg_control_system()")).scalar()
    except DBAPIError:  # pg_control_system() is not for every role
        system = None
    return system, (str(address), port), database, schema


def _same_place(one: tuple, other: tuple) -> bool:
    (system, address, *rest), (other_system, other_address, *other_rest) = one, other
    same_server = system == other_system if None not in (system, other_system) else address == other_address
    return same_server and rest == other_rest


def _rows(session: Session, model, ledger: str):
    """The source's rows of a table as dicts, in id order, streamed, each checked as typed input is."""
    table = model.__table__
    order = table.c.id if "id" in table.c else list(table.primary_key.columns)[0]
    texts = [
        c.name
        for c in table.columns
        if isinstance(c.type, String | AutoString) and (table.name, c.name) not in NOT_TYPED
    ]
    codes = {column: known for (name, column), known in CODES.items() if name == table.name}
    try:
        result = session.execute(select(table).order_by(order).execution_options(yield_per=CHUNK))
        for row in result.mappings():
            row = dict(row)
            _check(row, table.name, texts, codes, ledger)
            progress.advance()
            yield row
    except DatabaseError as exc:  # the source is named, not the ledger merged into
        raise ZsError(FIELD, ledger, "an undamaged ledger that can be read", str(exc.orig or exc)) from exc
    except ValueError as exc:  # a value its column's type cannot read back, such as a date that is none
        raise ZsError(FIELD, ledger, "a ledger whose every value can be read", f"{table.name}: {exc}") from exc


def _check(row: dict, table: str, texts: list[str], codes: dict[str, set[str]], ledger: str) -> None:
    where = f"{ledger}: {table} {row['id']}" if "id" in row else f"{ledger}: {table} of activity {row['activity_id']}"
    for column in texts:
        if row[column] is not None:
            check_text(row[column], f"{where} {column}")
    for column, known in codes.items():
        if row[column] is not None and row[column] not in known:
            raise ZsError(f"{where} {column}", row[column], f"one of {', '.join(sorted(known))}")
    if "amount_yuan" in row:
        check_amount(row["amount_yuan"], f"{where} amount_yuan")


def _companies(target: Session, source: Session, label_: str, done: Counts) -> None:
    """The other ledger's company register: a company of a name this one has is the same company
    (its tiers join this one's, its empty fields are filled); any other is added."""
    mine = {c.name: c for c in target.exec(select(Company)).scalars()}
    ids: dict[int, Company] = {}
    for row in _rows(source, Company, label_):
        company = mine.get(row["name"])
        if company is None:
            company = Company(**{k: v for k, v in row.items() if k != "id"})
            target.add(company)
            mine[company.name] = company
            done.new_companies += 1
        else:
            for column in ("origin", "industry", "contact"):
                if getattr(company, column) is None and row[column] is not None:
                    setattr(company, column, row[column])
        ids[row["id"]] = company
    target.flush()
    tiers = {(t.company_id, t.tier) for t in target.exec(select(CompanyTier)).scalars()}
    for row in _rows(source, CompanyTier, label_):
        key = (ids[row["company_id"]].id, row["tier"])
        if key not in tiers:
            tiers.add(key)
            target.add(CompanyTier(company_id=key[0], tier=key[1]))
    target.flush()


def merge(target: Session, source: Session, label_: str, prefix: str = "", same_units: bool = False) -> Counts:
    check_text(prefix, "--unit-prefix")
    done = Counts()
    existing = {u.name: u for u in target.exec(select(Unit)).scalars()}
    units: dict[int, int] = {}
    for row in _rows(source, Unit, label_):
        name = prefix + row["name"]
        if name in existing:
            mine = existing[name]
            if not same_units:
                raise ZsError(
                    "--unit-prefix",
                    prefix,
                    "a prefix that keeps the merged units apart (e.g. 东阿县·), "
                    "or --same-units to merge into units of the same name",
                    f"unit {name!r} is in both ledgers",
                )
            if mine.kind != row["kind"]:
                raise ZsError(
                    "unit",
                    name,
                    f"the same kind in both ledgers ({label(UnitKind(mine.kind))} here)",
                    f"it is {label(UnitKind(row['kind']))} there",
                )
            units[row["id"]] = mine.id
            continue
        unit = Unit(name=name, kind=row["kind"], created_at=row["created_at"])
        target.add(unit)
        target.flush()
        units[row["id"]] = unit.id
        done.units += 1
    people: dict[int, int] = {}
    known = {(p.unit_id, p.name): p.id for p in target.exec(select(Person)).scalars()}
    for row in _rows(source, Person, label_):
        key = (units[row["unit_id"]], row["name"])
        if key in known:
            people[row["id"]] = known[key]
            continue
        person = Person(name=row["name"], unit_id=key[0], role=row["role"], created_at=row["created_at"])
        target.add(person)
        target.flush()
        people[row["id"]] = known[key] = person.id
        done.people += 1

    def person(pid):
        return people[pid] if pid is not None else None

    _companies(target, source, label_, done)

    projects: dict[int, int] = {}
    for row in _rows(source, Project, label_):
        project = Project(
            **{k: v for k, v in row.items() if k != "id"}
            | {
                "unit_id": units[row["unit_id"]],
                "owner_id": person(row["owner_id"]),
                "leader_id": person(row["leader_id"]),
            }
        )
        target.add(project)
        target.flush()
        projects[row["id"]] = project.id
        done.projects += 1
    at_events: list[tuple[Milestone, int]] = []  # milestones reached at an event, linked once it is here
    for model, counter in ((Milestone, "milestones"), (Fund, "funds"), (ProjectNote, "notes")):
        batch = []
        for row in _rows(source, model, label_):
            fields = {k: v for k, v in row.items() if k != "id"} | {"project_id": projects[row["project_id"]]}
            if row.get("event_id") is not None:
                fields["event_id"] = None
            batch.append(model(**fields))
            if row.get("event_id") is not None:
                at_events.append((batch[-1], row["event_id"]))
            if len(batch) >= CHUNK:
                target.add_all(batch)
                target.flush()
                batch.clear()
            setattr(done, counter, getattr(done, counter) + 1)
        target.add_all(batch)
        target.flush()
    activities: dict[int, int] = {}
    pending: list[tuple[int, dict]] = []

    def flush() -> None:
        if not pending:
            return
        rows = [
            {k: v for k, v in row.items() if k != "id"}
            | {"unit_id": units[row["unit_id"]], "leader_id": person(row["leader_id"])}
            for _, row in pending
        ]
        ids = db.insert_returning_ids(target, Activity.__table__, rows)
        for (old, _), new in zip(pending, ids, strict=True):
            activities[old] = new
        history.note_created(target, "activity", ids)
        done.activities += len(ids)
        pending.clear()

    for row in _rows(source, Activity, label_):
        pending.append((row["id"], row))
        if len(pending) >= CHUNK:
            flush()
    flush()
    for milestone, event in at_events:
        milestone.event_id = activities[event]
        target.add(milestone)
    figures = []
    for row in _rows(source, ReportedFigure, label_):
        unit = units[row["unit_id"]] if row["unit_id"] is not None else None
        figure = ReportedFigure(**{k: v for k, v in row.items() if k != "id"} | {"unit_id": unit})
        if merged_figure(target, figure, label_):  # one held the same is not brought twice
            figures.append(figure)
    target.add_all(figures)
    target.flush()
    done.figures += len(figures)
    links = (
        (ActivityUnit, "unit_id", units),
        (ActivityPerson, "person_id", people),
        (ActivityCompany, "company", None),
        (ActivityProject, "project_id", projects),
    )
    for model, key, mapping in links:
        batch = []
        for row in _rows(source, model, label_):
            batch.append(
                row | {"activity_id": activities[row["activity_id"]], key: mapping[row[key]] if mapping else row[key]}
            )
            if len(batch) >= CHUNK:
                db.bulk_insert(target, model.__table__, batch)
                batch.clear()
        db.bulk_insert(target, model.__table__, batch)
    merged = []
    for row in _rows(source, Change, label_):
        change = Change(
            at=row["at"],
            actor=row["actor"],
            command=row["command"],
            summary=row["summary"],
            payload=row["payload"],
            source=row["source"] or label_,
        )
        target.add(change)
        target.flush()
        merged.append(change.id)
    target.info["merged_changes"] = merged
    done.changes = len(merged)
    return done
