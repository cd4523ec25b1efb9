"""`zs history` and `zs undo`: every change with its time and user; reverse the latest one."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, Json, done, open_ledger, print_json


def history(
    limit: Annotated[int | None, typer.Option(min=1, help="Only the latest N changes.")] = 20,
    db: Db = None,
    json: Json = False,
) -> None:
    """Every change to the ledger, newest first: when, who, the command typed, what it did."""
    from zhaoshang import history as changes
    from zhaoshang.db import reading
    from zhaoshang.render.table import print_table

    with reading(open_ledger(db)) as session:
        rows = [
            {
                "id": c.id,
                "at": f"{changes.in_utc(c.at):%Y-%m-%d %H:%M:%S} UTC",
                "actor": c.actor,
                "command": c.command,
                "summary": c.summary,
                "undo_of": c.undo_of,
                "undone_by": c.undone_by,
                "source": c.source,
            }
            for c in changes.changes(session, limit)
        ]
    if json:
        return print_json(rows)
    print_table(
        "修改记录",
        [("ID", "right"), ("时间", "nowrap"), ("用户", "left"), ("命令", "left"), ("内容", "left"), ("状态", "left")],
        [(str(r["id"]), r["at"], r["actor"], r["command"], r["summary"], _state(r)) for r in rows],
        styles=["dim" if r["undone_by"] else None for r in rows],
    )


def _state(row: dict) -> str:
    if row["undone_by"]:
        return f"已被 #{row['undone_by']} 撤销"
    return f"并入自 {row['source']}" if row["source"] else ""


def undo(db: Db = None) -> None:
    """Reverse the latest change (a log, void, advance, fix, fund, note or import); the undo is recorded too."""
    from zhaoshang import history as changes
    from zhaoshang.db import writing
    from zhaoshang.invocation import COMMAND

    with writing(open_ledger(db), history=False) as session:
        change = changes.undo_latest(session, COMMAND.get())
    done(
        f"undid change #{change['id']} ({changes.in_utc(change['at']):%Y-%m-%d %H:%M} UTC, {change['command']}): "
        f"{change['summary']}; recorded as change #{change['undo']}"
    )
