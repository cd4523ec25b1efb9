"""`zs history` and `zs undo`: every change with its time and user; reverse the latest one."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, Json, Width, done, open_ledger, print_json


def history(
    limit: Annotated[int | None, typer.Option(min=1, help="只列最近的若干次修改。")] = 20,
    db: Db = None,
    json: Json = False,
    width: Width = None,
) -> None:
    """台账的每一次修改，最新的在前：时间、操作人、所输命令、改了什么。"""
    from zhaoshang import history as changes
    from zhaoshang.db import reading
    from zhaoshang.render.table import print_table

    with reading(open_ledger(db)) as session:
        rows = [
            {
                "id": c.id,
                "at": f"{changes.in_utc(c.at):%Y-%m-%d %H:%M:%S} UTC",  # for scripts: one zone everywhere
                "local": changes.local_time(c.at),
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
        [(str(r["id"]), r["local"], r["actor"], r["command"], r["summary"], _state(r)) for r in rows],
        styles=["dim" if r["undone_by"] else None for r in rows],
    )


def _state(row: dict) -> str:
    if row["undone_by"]:
        return f"已被 #{row['undone_by']} 撤销"
    return f"并入自 {row['source']}" if row["source"] else ""


def undo(
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不询问，直接撤销（供在终端中运行的脚本使用）。")] = False,
    db: Db = None,
) -> None:
    """撤销最近一次修改（登记、作废、推进、更正、到位资金、推进情况或导入）；撤销本身也记入修改记录。
    在终端中会先显示这次修改并询问。"""
    import sys

    from zhaoshang import history as changes
    from zhaoshang.db import reading, writing
    from zhaoshang.invocation import COMMAND

    engine = open_ledger(db)
    expected = None
    if not yes and sys.stdin.isatty():
        with reading(engine) as session:
            latest = changes.next_undo(session)
        typer.echo(f"zs undo would reverse change {_described(latest)}", err=True)
        if not typer.confirm("Undo it? 确认撤销？", default=False, err=True):
            typer.echo("nothing undone", err=True)
            raise typer.Exit(1)
        expected = latest["id"]
    with writing(engine, history=False) as session:
        change = changes.undo_latest(session, COMMAND.get(), expected)
    done(f"undid change {_described(change)}; recorded as change #{change['undo']}")


def _described(change: dict) -> str:
    """`#12 (2024-05-06 10:03 UTC+08:00, zs log trip …): what it did`."""
    from zhaoshang.history import local_time

    return f"#{change['id']} ({local_time(change['at'], seconds=False)}, {change['command']}): {change['summary']}"
