"""The change history: every write is recorded with what it created and altered; undo reverses
the latest change and is recorded in turn.

`track(session)` listens to the session's flushes and collects, per table, the ids of the rows
created, the old and new values of the columns altered and, whole, the rows deleted (`removed`);
`record(session)` writes them as one `Change` row in the same transaction as the change itself.
Bulk writes that bypass the ORM (the importer) add their ids with `note_created`; undo's bulk
deletes add their rows with `note_removed`.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import delete, event, insert, inspect, select, update
from sqlmodel import Session

from zhaoshang.errors import ZsError
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

# Parents before children: rows are deleted in the reverse of this order.
TABLES = {model.__tablename__: model for model in (Unit, Person, Project, Milestone, Fund, ProjectNote, Activity)}
TABLE_WORDS = {"unit": "单位", "person": "人员", "project": "项目", "milestone": "节点", "fund": "到位资金",
               "project_note": "推进情况", "activity": "活动"}


def track(session: Session) -> None:
    session.info.setdefault("created", {})
    session.info.setdefault("updated", [])
    session.info.setdefault("removed", {})
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


def _before_flush(session: Session, _context, _instances) -> None:
    """Rows deleted through the session are kept whole, read before the flush deletes them."""
    for obj in session.deleted:
        table = getattr(obj, "__tablename__", None)
        if table in TABLES:
            columns = inspect(obj).mapper.column_attrs
            note_removed(session, table, [{c.key: _encode(getattr(obj, c.key)) for c in columns}])


def _after_flush(session: Session, _context) -> None:
    for obj in session.new:
        table = getattr(obj, "__tablename__", None)
        if table in TABLES:
            note_created(session, table, [obj.id])
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


def summary_of(created: dict[str, list[int]], updated: list[dict],
               removed: dict[str, list[dict]] | None = None) -> str:
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
    """Write the change collected in this session as one `Change` row (nothing if nothing changed)."""
    session.flush()
    created = {t: ids for t, ids in session.info["created"].items() if ids}
    updated = session.info["updated"]
    removed = {t: rows for t, rows in session.info["removed"].items() if rows}
    if not created and not updated and not removed and undo_of is None:
        return None
    summary = (summary_of(created, updated, removed) if undo_of is None
               else f"撤销 #{undo_of.id}（{undo_of.summary}）")
    payload = {"created": created, "updated": updated, "removed": removed}
    if session.info.get("merged_changes"):
        payload["merged_changes"] = session.info["merged_changes"]
    change = Change(at=session.info["now"], actor=session.info["actor"], command=command or "zs",
                    summary=summary, payload=json.dumps(payload, ensure_ascii=False),
                    undo_of=undo_of.id if undo_of else None)
    session.add(change)
    session.flush()
    return change


def undo_latest(session: Session, command: str) -> dict:
    """Reverse the latest change not yet undone (an undo is not itself undone: undo again reaches the
    change before). Rows it removed are put back with their own ids, the values it altered are put
    back, and rows it created are removed — kept whole in the undo's record."""
    change = session.exec(
        select(Change).where(Change.undone_by.is_(None), Change.undo_of.is_(None), Change.source.is_(None))
        .order_by(Change.id.desc()).limit(1)
    ).scalars().first()
    if change is None:
        raise ZsError("undo", "", "a change to undo", "the history is empty")
    payload = json.loads(change.payload)
    # Put back first: a row altered, or even created, before it was removed is then set right below.
    for table, model in TABLES.items():  # parents first
        rows = payload.get("removed", {}).get(table, [])
        if rows:
            session.execute(insert(model), [{k: _decode(model, k, v) for k, v in row.items()} for row in rows])
            note_created(session, table, [row["id"] for row in rows])
    for altered in reversed(payload["updated"]):
        model = TABLES[altered["table"]]
        values = {key: _decode(model, key, value) for key, value in altered["old"].items()}
        session.execute(update(model).where(model.id == altered["id"]).values(**values))
    created = payload["created"]
    activities = created.get("activity", [])
    projects = created.get("project", [])
    if activities:
        session.execute(delete(ActivityCompany).where(ActivityCompany.activity_id.in_(activities)))
        session.execute(delete(ActivityProject).where(ActivityProject.activity_id.in_(activities)))
    if projects:
        session.execute(delete(ActivityProject).where(ActivityProject.project_id.in_(projects)))
    for table in reversed(list(TABLES)):
        ids = created.get(table, [])
        if not ids:
            continue
        model = TABLES[table]
        rows = session.execute(select(model.__table__).where(model.id.in_(ids))).mappings().all()
        note_removed(session, table, [{k: _encode(v) for k, v in row.items()} for row in rows])
        session.execute(delete(model).where(model.id.in_(ids)))
    merged = payload.get("merged_changes", [])
    if merged:  # a merge brought the other ledger's history along: it goes with the merge
        session.execute(delete(Change).where(Change.id.in_(merged)))
    undo = record(session, command, undo_of=change)
    change.undone_by = undo.id
    session.add(change)
    session.flush()
    return {"id": change.id, "at": change.at, "command": change.command, "summary": change.summary,
            "undo": undo.id}


def _decode(model, key: str, value):
    if value is None:
        return None
    column_type = model.__table__.c[key].type
    python_type = getattr(column_type, "impl", column_type).python_type  # through sqlmodel's UTCDateTime
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is date:
        return date.fromisoformat(value)
    return value


def changes(session: Session, limit: int | None = None) -> list[Change]:
    query = select(Change).order_by(Change.id.desc())
    if limit:
        query = query.limit(limit)
    return list(session.exec(query).scalars())
