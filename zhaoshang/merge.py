"""`zs merge`: a county's whole ledger joins the city's — units kept apart, nothing retyped, its
history kept.

Every record is copied with its own dates, its `created_at` and `created_by`, voids and reasons,
forced milestones and notes; ids are new in the target and every reference is mapped. The
source's change history comes along as changes marked with their source, to read and never to
undo; the merge itself is one change, and `zs undo` takes it all back.
"""


from sqlalchemy import select
from sqlmodel import Session

from zhaoshang import db, history
from zhaoshang.errors import ZsError
from zhaoshang.importer import Counts
from zhaoshang.labels import UnitKind, label
from zhaoshang.models import (
    Activity,
    ActivityCompany,
    ActivityProject,
    Change,
    Fund,
    Milestone,
    Person,
    Project,
    ProjectNote,
    Unit,
)

CHUNK = 20_000


def _rows(session: Session, model):
    """The source's rows of a table as dicts, in id order, streamed."""
    table = model.__table__
    order = table.c.id if "id" in table.c else list(table.primary_key.columns)[0]
    result = session.execute(select(table).order_by(order).execution_options(yield_per=CHUNK))
    for row in result.mappings():
        yield dict(row)


def merge(target: Session, source: Session, label_: str, prefix: str = "", same_units: bool = False) -> Counts:
    done = Counts()
    existing = {u.name: u for u in target.exec(select(Unit)).scalars()}
    units: dict[int, int] = {}
    for row in _rows(source, Unit):
        name = prefix + row["name"]
        if name in existing:
            mine = existing[name]
            if not same_units:
                raise ZsError("--unit-prefix", prefix, "a prefix that keeps the merged units apart (e.g. 东阿县·), "
                              "or --same-units to merge into units of the same name",
                              f"unit {name!r} is in both ledgers")
            if mine.kind != row["kind"]:
                raise ZsError("unit", name, f"the same kind in both ledgers ({label(UnitKind(mine.kind))} here)",
                              f"it is {label(UnitKind(row['kind']))} there")
            units[row["id"]] = mine.id
            continue
        unit = Unit(name=name, kind=row["kind"], created_at=row["created_at"])
        target.add(unit)
        target.flush()
        units[row["id"]] = unit.id
        done.units += 1
    people: dict[int, int] = {}
    known = {(p.unit_id, p.name): p.id for p in target.exec(select(Person)).scalars()}
    for row in _rows(source, Person):
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

    projects: dict[int, int] = {}
    for row in _rows(source, Project):
        project = Project(**{k: v for k, v in row.items() if k != "id"} | {
            "unit_id": units[row["unit_id"]], "owner_id": person(row["owner_id"]),
            "leader_id": person(row["leader_id"])})
        target.add(project)
        target.flush()
        projects[row["id"]] = project.id
        done.projects += 1
    for model, counter in ((Milestone, "milestones"), (Fund, "funds"), (ProjectNote, "notes")):
        batch = []
        for row in _rows(source, model):
            fields = {k: v for k, v in row.items() if k != "id"} | {"project_id": projects[row["project_id"]]}
            batch.append(model(**fields))
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
        rows = [{k: v for k, v in row.items() if k != "id"} | {"unit_id": units[row["unit_id"]],
                                                                  "leader_id": person(row["leader_id"])}
                for _, row in pending]
        ids = db.insert_returning_ids(target, Activity.__table__, rows)
        for (old, _), new in zip(pending, ids, strict=True):
            activities[old] = new
        history.note_created(target, "activity", ids)
        done.activities += len(ids)
        pending.clear()

    for row in _rows(source, Activity):
        pending.append((row["id"], row))
        if len(pending) >= CHUNK:
            flush()
    flush()
    for model, key, mapping in ((ActivityCompany, "company", None), (ActivityProject, "project_id", projects)):
        batch = []
        for row in _rows(source, model):
            batch.append({"activity_id": activities[row["activity_id"]],
                          key: mapping[row[key]] if mapping else row[key]})
            if len(batch) >= CHUNK:
                db.bulk_insert(target, model.__table__, batch)
                batch.clear()
        db.bulk_insert(target, model.__table__, batch)
    merged = []
    from sqlalchemy import inspect

    if inspect(source.connection()).has_table("change"):
        for row in _rows(source, Change):
            change = Change(at=row["at"], actor=row["actor"], command=row["command"], summary=row["summary"],
                            payload=row["payload"], source=row.get("source") or label_)
            target.add(change)
            target.flush()
            merged.append(change.id)
    target.info["merged_changes"] = merged
    done.changes = len(merged)
    return done
