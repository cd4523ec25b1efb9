"""The change history: every write is recorded with what it created and altered; undo reverses
the latest change and is recorded in turn.

`track(session)` listens to the session's flushes and collects, per table, the ids of the rows
created, the old and new values of the columns altered and, whole, the rows deleted (`removed`);
`record(session)` writes them as one `Change` row in the same transaction as the change itself.
Bulk writes that bypass the ORM (the importer) add their ids with `note_created`; undo's bulk
deletes add their rows with `note_removed`.

A change may hold any number of rows (an import of a whole year): undo works through them in
chunks of `CHUNK` ids, well under the bound parameters a statement may carry (SQLite 250,000,
PostgreSQL 65,535), all in the one transaction of the undo. Times are moments in UTC, whatever
the time zone of a database server (its columns are TIMESTAMP WITH TIME ZONE since migration 0004).
"""

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import ARRAY, Integer, any_, bindparam, delete, event, func, insert, inspect, select, update
from sqlmodel import Session

from zhaoshang.errors import ZsError
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

# Parents before children: rows are put back in this order and deleted in its reverse (an activity
# before the milestones reached at it, which name it as their event).
TABLES = {
    model.__tablename__: model
    for model in (Unit, Person, Company, CompanyTier, Project, Activity, Milestone, Fund, ProjectNote, ReportedFigure)
}
# Rows that link an activity to what it names, keyed by their columns, not by an id. Those made or
# taken away through the session are kept whole (`linked`, `unlinked`); those of an activity the
# change created go when it goes.
LINKS = {model.__tablename__: model for model in (ActivityUnit, ActivityPerson, ActivityCompany, ActivityProject)}
CHUNK = 10_000  # ids per statement: far below any engine's bound on parameters
TABLE_WORDS = {
    "unit": "单位",
    "person": "人员",
    "project": "项目",
    "milestone": "节点",
    "fund": "到位资金",
    "project_note": "推进情况",
    "activity": "活动",
    "company": "企业",
    "company_tier": "企业类别",
    "figure": "填报数据",
}


def track(session: Session) -> None:
    session.info.setdefault("created", {})
    session.info.setdefault("updated", [])
    session.info.setdefault("removed", {})
    session.info.setdefault("linked", {})
    session.info.setdefault("unlinked", {})
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush", _after_flush)


def note_created(session: Session, table: str, ids) -> None:
    session.info["created"].setdefault(table, []).extend(ids)


def note_removed(session: Session, table: str, rows: list[dict]) -> None:
    session.info["removed"].setdefault(table, []).extend(rows)


def _encode(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _whole(obj) -> dict:
    return {c.key: _encode(getattr(obj, c.key)) for c in inspect(obj).mapper.column_attrs}


def _before_flush(session: Session, _context, _instances) -> None:
    """Rows deleted through the session are kept whole, read before the flush deletes them."""
    for obj in session.deleted:
        table = getattr(obj, "__tablename__", None)
        if table in TABLES:
            note_removed(session, table, [_whole(obj)])
        elif table in LINKS:
            session.info["unlinked"].setdefault(table, []).append(_whole(obj))


def _after_flush(session: Session, _context) -> None:
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table in TABLES:
            note_created(session, table, [obj.id])
        elif table in LINKS:
            session.info["linked"].setdefault(table, []).append(_whole(obj))
    for obj in session.dirty:
        table = getattr(obj, "__tablename__", None)
        if table not in TABLES or not session.is_modified(obj):
            continue
        state = inspect(obj)
        old, new = {}, {}
        for attr in state.mapper.column_attrs:
            history = state.attrs[attr.key].history
            if history.has_changes():
                old[attr.key] = _encode(history.deleted[0] if history.deleted else None)
                new[attr.key] = _encode(history.added[0] if history.added else None)
        if old:
            session.info["updated"].append({"table": table, "id": obj.id, "old": old, "new": new})


def summary_of(created: dict[str, list[int]], updated: list[dict], removed: dict[str, list[dict]] | None = None) -> str:
    removed_ids = {table: [row["id"] for row in rows] for table, rows in (removed or {}).items()}
    parts = []
    for verb, ids_of in (("新增", created), ("删除", removed_ids)):
        for table, ids in ids_of.items():
            if table in TABLE_WORDS and ids:
                shown = ", ".join(f"#{i}" for i in ids[:3]) + (" …" if len(ids) > 3 else "")
                parts.append(f"{verb}{TABLE_WORDS[table]} {len(ids)} ({shown})")
    for change in updated[:3]:
        parts.append(f"修改{TABLE_WORDS[change['table']]} #{change['id']} {','.join(change['old'])}")
    if len(updated) > 3:
        parts.append(f"… 共修改 {len(updated)} 处")
    return "；".join(parts) or "无变化"


def record(session: Session, command: str, undo_of: Change | None = None) -> Change | None:
    """Write the change collected in this session as one `Change` row (nothing if nothing changed);
    `recorded(session)` then gives its id."""
    session.flush()
    created = {t: ids for t, ids in session.info["created"].items() if ids}
    updated = session.info["updated"]
    removed = {t: rows for t, rows in session.info["removed"].items() if rows}
    linked = {t: rows for t, rows in session.info["linked"].items() if rows}
    unlinked = {t: rows for t, rows in session.info["unlinked"].items() if rows}
    if not created and not updated and not removed and not linked and not unlinked and undo_of is None:
        return None
    summary = summary_of(created, updated, removed) if undo_of is None else f"撤销 #{undo_of.id}（{undo_of.summary}）"
    if summary == "无变化" and (linked or unlinked):
        summary = f"修改关联 {sum(map(len, linked.values())) + sum(map(len, unlinked.values()))} 处"
    payload = {"created": created, "updated": updated, "removed": removed}
    if linked or unlinked:
        payload |= {"linked": linked, "unlinked": unlinked}
    if session.info.get("merged_changes"):
        payload["merged_changes"] = session.info["merged_changes"]
    change = Change(
        at=session.info["now"],
        actor=session.info["actor"],
        command=command or "zs",
        summary=summary,
        payload=json.dumps(payload, ensure_ascii=False),
        undo_of=undo_of.id if undo_of else None,
    )
    session.add(change)
    session.flush()
    session.info["recorded"] = change.id
    return change


def recorded(session: Session) -> int | None:
    """The id of the change this session's unit of work recorded; None if it changed nothing (so
    that nobody is told `zs undo` takes back a change that is not there)."""
    return session.info.get("recorded")


def in_utc(moment: datetime) -> datetime:
    """A moment in UTC, with its zone; one read back without a zone was stored as UTC (SQLite)."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def local_time(moment: datetime, seconds: bool = True) -> str:
    """A moment as the clock on this desk reads it, with its zone: `2024-05-06 10:03:04 UTC+08:00`
    (`… UTC` where the desk keeps UTC)."""
    local = in_utc(moment).astimezone()
    offset = local.utcoffset() or timedelta(0)
    sign, rest = ("-", -offset) if offset < timedelta(0) else ("+", offset)
    hours, minutes = divmod(int(rest.total_seconds()) // 60, 60)
    zone = "UTC" if not offset else f"UTC{sign}{hours:02d}:{minutes:02d}"
    return f"{local:%Y-%m-%d %H:%M{':%S' if seconds else ''}} {zone}"


def _chunks(items: list) -> Iterator[list]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _among(session: Session, column, ids: list[int]):
    """`column IN (ids)`: on PostgreSQL one array parameter (`= ANY(...)`), which the driver sends
    at once where ten thousand parameters cost it seconds; elsewhere a parameter an id."""
    if session.get_bind().dialect.name == "postgresql":
        return column == any_(bindparam(None, ids, type_=ARRAY(Integer)))
    return column.in_(ids)


def _latest_undoable(session: Session) -> Change:
    """The latest change that is not undone, not an undo and not merged from another ledger, held
    for this undo so that two desks undoing at once undo two different changes. On SQLite the
    writing session began with BEGIN IMMEDIATE and holds the ledger's write lock already; on
    PostgreSQL the change's row is locked (FOR UPDATE). An undo that waited there for another finds
    its pick undone meanwhile (the row no longer matches) and asks again, seeing the other's undo."""
    undoable = (
        select(Change)
        .where(Change.undone_by.is_(None), Change.undo_of.is_(None), Change.source.is_(None))
        .order_by(Change.id.desc())
        .limit(1)
    )
    locking = session.connection().dialect.name == "postgresql"
    while True:
        query = undoable.with_for_update() if locking else undoable
        change = session.exec(query.execution_options(populate_existing=True)).scalars().first()
        if change is not None:
            return change
        if not locking or session.exec(undoable).first() is None:
            break
    if session.exec(select(func.count()).select_from(Change)).scalar():
        raise ZsError(
            "undo",
            "",
            "a change to undo",
            "every change in the history is undone already or came from another ledger by `zs merge`",
        )
    raise ZsError("undo", "", "a change to undo", "the history is empty")


def next_undo(session: Session) -> dict:
    """What `zs undo` would reverse now (read only, nothing held): the change's id, time, command and summary."""
    change = _latest_undoable(session)
    return {"id": change.id, "at": change.at, "command": change.command, "summary": change.summary}


def undo_latest(session: Session, command: str, expected: int | None = None) -> dict:
    """Reverse the latest change not yet undone (an undo is not itself undone: undo again reaches the
    change before); with `expected`, only if that is still the change it would reverse (the one a
    user was shown and agreed to). Rows it removed are put back with their own ids, the values it altered are put
    back, and rows it created are removed — kept whole in the undo's record. A change of any size is
    undone whole, a chunk of rows per statement, in the one transaction of the undo."""
    change = _latest_undoable(session)
    if expected is not None and change.id != expected:
        raise ZsError(
            "undo",
            f"#{expected}",
            "the change shown to be the latest one still",
            f"change #{change.id} ({change.command}) came since; nothing undone: run zs undo again",
        )
    payload = json.loads(change.payload)
    # Put back first: a row altered, or even created, before it was removed is then set right below.
    for table, model in TABLES.items():  # parents first
        rows = payload.get("removed", {}).get(table, [])
        for chunk in _chunks(rows):
            session.execute(insert(model), [{k: _decode(model, k, v) for k, v in row.items()} for row in chunk])
        note_created(session, table, [row["id"] for row in rows])
    _put_back(session, payload.get("updated", []))
    for table, rows in payload.get("linked", {}).items():  # links it made go, links it took away come back
        model = LINKS[table]
        for row in rows:
            session.execute(
                delete(model).where(*(model.__table__.c[k] == v for k, v in row.items() if k != "position"))
            )
    for table, rows in payload.get("unlinked", {}).items():
        for chunk in _chunks(rows):
            session.execute(insert(LINKS[table]), chunk)
    created = payload.get("created", {})
    for chunk in _chunks(created.get("activity", [])):
        for model in LINKS.values():
            session.execute(delete(model).where(_among(session, model.activity_id, chunk)))
    for chunk in _chunks(created.get("project", [])):
        session.execute(delete(ActivityProject).where(_among(session, ActivityProject.project_id, chunk)))
    for table in reversed(list(TABLES)):
        model = TABLES[table]
        for chunk in _chunks(created.get(table, [])):
            rows = session.execute(select(model.__table__).where(_among(session, model.id, chunk))).mappings().all()
            note_removed(session, table, [{k: _encode(v) for k, v in row.items()} for row in rows])
            session.execute(delete(model).where(_among(session, model.id, chunk)))
    # A merge brought the other ledger's history along: it goes with the merge.
    for chunk in _chunks(payload.get("merged_changes", [])):
        session.execute(delete(Change).where(_among(session, Change.id, chunk)))
    undo = record(session, command, undo_of=change)
    change.undone_by = undo.id
    session.add(change)
    session.flush()
    return {"id": change.id, "at": change.at, "command": change.command, "summary": change.summary, "undo": undo.id}


def _put_back(session: Session, updated: list[dict]) -> None:
    """Every value a change altered set back as it was before: where it altered a row twice, the
    earlier value wins; rows put back to the same values share a statement, a chunk of ids each."""
    before: dict[tuple[str, int], dict] = {}
    for altered in reversed(updated):
        before.setdefault((altered["table"], altered["id"]), {}).update(altered["old"])
    alike: dict[tuple[str, tuple], list[int]] = {}
    for (table, row_id), old in before.items():
        alike.setdefault((table, tuple(sorted(old.items()))), []).append(row_id)
    for (table, old), ids in alike.items():
        model = TABLES[table]
        values = {key: _decode(model, key, value) for key, value in old}
        for chunk in _chunks(ids):
            session.execute(update(model).where(_among(session, model.id, chunk)).values(**values))


def _decode(model, key: str, value):
    if value is None:
        return None
    column_type = model.__table__.c[key].type
    python_type = getattr(column_type, "impl", column_type).python_type  # through sqlmodel's UTCDateTime
    if python_type is datetime:
        return in_utc(datetime.fromisoformat(value))
    if python_type is date:
        return date.fromisoformat(value)
    return value


def changes(session: Session, limit: int | None = None) -> list[Change]:
    query = select(Change).order_by(Change.id.desc())
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).scalars())
