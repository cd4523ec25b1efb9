"""`zs log …`: record an activity (trip, visit, reception, event, meeting), list them, void one."""

from itertools import islice
from typing import Annotated

import typer

from zhaoshang.cli.common import (
    Csv,
    Db,
    Json,
    Width,
    command_group,
    done,
    one_of,
    open_ledger,
    print_json_rows,
    print_rows,
    today,
)

app = command_group("log")

Unit = Annotated[
    list[str],
    typer.Option(
        help="开展活动的单位，如 萧镇；联合招商时重复给出（第一个为牵头单位；每个单位各计一次，全区只计一次）。"
    ),
]
Day = Annotated[str, typer.Option("--date", help="日期：2023-03-13、2023年3月13日、2023/3/13 或 today（今天）。")]
Leader = Annotated[str | None, typer.Option(help="带队人员（重名时写 单位/姓名）。")]
With = Annotated[
    list[str] | None,
    typer.Option("--with", help="同行人员（多人时重复给出）；按人考核的指标也计入他们。"),
]
Mode = Annotated[
    str | None,
    typer.Option(
        help="招商方式：小分队 team、短频快 quick、以商招商 via_business、"
        "自主招商 self_run、亲情招商 kinship、登门招商 door、委托招商 agency、"
        "驻点招商 resident、资本招商 capital、产业链招商 chain、园区招商 park、数字招商 digital。"
    ),
]
Place = Annotated[str | None, typer.Option("--to", help="目的地，如 深圳。")]
Companies = Annotated[list[str] | None, typer.Option("--company", help="对接的企业（多家时重复给出，或用“、”分隔）。")]
Projects = Annotated[list[str] | None, typer.Option("--project", help="关联的项目编号（多个时重复给出）。")]
Note = Annotated[str | None, typer.Option(help="备注。")]


def _log(
    kind: str,
    db: str | None,
    *,
    unit: list[str],
    day: str,
    end: str | None = None,
    mode: str | None = None,
    event_type: str | None = None,
    participants: list[str] | None = None,
    **fields,
) -> None:
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import ActivityKind, EventType, label, parse_code
    from zhaoshang.labels import Mode as ModeCode
    from zhaoshang.parse import parse_date
    from zhaoshang.render.fmt import shown, span

    now = today()
    parsed = dict(
        kind=ActivityKind(kind),
        day=parse_date(day, now, "--date"),
        end=parse_date(end, now, "--end") if end else None,
        mode=parse_code(ModeCode, mode, "--mode") if mode else None,
        event_type=parse_code(EventType, event_type, "--type") if event_type else None,
    )
    with writing(open_ledger(db)) as session:
        record = ledger.log_activity(session, unit=unit, participants=participants or [], **parsed, **fields)
    what = _what(record)
    details = [span(record.date, record.end_date), "、".join(record.units)]
    details += [f"带队 {record.leader}"] if record.leader else []
    others = record.people[1:] if record.leader else record.people
    details += [f"同行 {'、'.join(others)}"] if others else []
    details += [label(record.mode)] if record.mode else []
    details += [f"→ {record.destination}"] if record.destination else []
    details += ["、".join(record.companies)] if record.companies else []
    done(shown(f"logged {record.kind.value} #{record.id} {what}: " + " · ".join(details)))


@app.command()
def trip(
    unit: Unit,
    day: Day,
    db: Db = None,
    end: Annotated[str | None, typer.Option(help="多日行程的最后一天。")] = None,
    leader: Leader = None,
    with_: With = None,
    mode: Mode = None,
    to: Place = None,
    company: Companies = None,
    project: Projects = None,
    note: Note = None,
) -> None:
    """登记一次外出招商。"""
    _log(
        "trip",
        db,
        unit=unit,
        day=day,
        end=end,
        mode=mode,
        leader=leader,
        participants=with_,
        destination=to,
        companies=company or [],
        projects=project or [],
        note=note,
    )


@app.command()
def visit(
    unit: Unit,
    day: Day,
    company: Companies,
    db: Db = None,
    leader: Leader = None,
    with_: With = None,
    mode: Mode = None,
    to: Place = None,
    project: Projects = None,
    note: Note = None,
) -> None:
    """登记一次走访企业（至少一个 --company）。"""
    _log(
        "visit",
        db,
        unit=unit,
        day=day,
        mode=mode,
        leader=leader,
        participants=with_,
        destination=to,
        companies=company or [],
        projects=project or [],
        note=note,
    )


@app.command()
def reception(
    unit: Unit,
    day: Day,
    company: Companies,
    db: Db = None,
    leader: Leader = None,
    with_: With = None,
    mode: Mode = None,
    project: Projects = None,
    note: Note = None,
) -> None:
    """登记一次接待客商来访（至少一个 --company）。"""
    _log(
        "reception",
        db,
        unit=unit,
        day=day,
        mode=mode,
        leader=leader,
        participants=with_,
        companies=company or [],
        projects=project or [],
        note=note,
    )


@app.command()
def event(
    unit: Unit,
    day: Day,
    event_type: Annotated[
        str,
        typer.Option(
            "--type",
            help="活动类型：推介会 promotion、展会 fair、签约仪式 signing、培训会 training、"
            "政策发布会 policy、演讲比赛 speech、论坛 forum、其他 other。",
        ),
    ],
    db: Db = None,
    leader: Leader = None,
    with_: With = None,
    to: Place = None,
    company: Companies = None,
    project: Projects = None,
    note: Note = None,
) -> None:
    """登记一场招商活动：推介会、展会、签约仪式、培训会、政策发布会、演讲比赛 …"""
    _log(
        "event",
        db,
        unit=unit,
        day=day,
        event_type=event_type,
        leader=leader,
        participants=with_,
        destination=to,
        companies=company or [],
        projects=project or [],
        note=note,
    )


@app.command()
def meeting(
    unit: Unit,
    day: Day,
    db: Db = None,
    leader: Leader = None,
    with_: With = None,
    project: Projects = None,
    note: Note = None,
) -> None:
    """登记一次调度会。"""
    _log("meeting", db, unit=unit, day=day, leader=leader, participants=with_, projects=project or [], note=note)


LATEST = 50  # what `zs log list` shows unless told --all or --limit
PAGE = 1000  # rows a table of --all is measured and printed by (a million never held at once)
COLUMNS = [
    ("ID", "right"),
    ("日期", "nowrap"),
    ("类型", "left"),
    ("单位", "left"),
    ("带队", "left"),
    ("同行", "left"),
    ("方式", "left"),
    ("目的地", "left"),
    ("企业", "left"),
    ("备注", "left"),
]


@app.command("list")
def list_(
    unit: Annotated[str | None, typer.Option(help="只列此单位的（含其参加的联合招商）。")] = None,
    kind: Annotated[
        str | None,
        typer.Option(
            help="只列此类：外出招商 trip、走访企业 visit、接待客商 reception、招商活动 event、调度会 meeting。"
        ),
    ] = None,
    period: Annotated[str | None, typer.Option(help="只列此期间的：2023、2023Q1、2023-03、2023-W07。")] = None,
    since: Annotated[str | None, typer.Option(help="只列此日及以后的：2023-03-01、2023年3月1日。")] = None,
    company: Annotated[str | None, typer.Option(help="只列对接此企业的（客商库中的全称）。")] = None,
    leader: Annotated[str | None, typer.Option(help="只列此人带队的（重名时写 单位/姓名）。")] = None,
    voided: Annotated[bool, typer.Option("--voided/--no-voided", help="也列出已作废的活动。")] = True,
    limit: Annotated[int | None, typer.Option(min=1, help=f"只列最近的若干条（默认 {LATEST} 条）。")] = None,
    all_: Annotated[bool, typer.Option("--all", help=f"列出全部，不只最近 {LATEST} 条。")] = False,
    db: Db = None,
    json: Json = False,
    width: Width = None,
    csv: Csv = False,
) -> None:
    """按日期列出最近的活动（默认 50 条，--all 或 --limit 另定）；已作废的也列出、加标记，但不计数。"""
    from zhaoshang import ledger
    from zhaoshang.db import reading
    from zhaoshang.labels import ActivityKind, parse_code
    from zhaoshang.parse import parse_date, parse_period

    one_of(("--json", json), ("--csv", csv))
    one_of(("--all", all_), ("--limit", limit))
    code = parse_code(ActivityKind, kind, "--kind") if kind else None
    window = parse_period(period, "--period", today()) if period else None
    start = parse_date(since, today(), "--since") if since else None
    latest = None if all_ else limit or LATEST
    with reading(open_ledger(db)) as session:
        where = ledger.activity_filters(
            session,
            unit=unit,
            kind=code,
            period=window,
            since=start,
            company=company,
            leader=leader,
            include_void=voided,
        )
        rows = ledger.list_activities(session, where, latest)
        if json:
            return print_json_rows(rows)
        if csv:
            return print_rows("", COLUMNS, map(_cells, rows), csv=True)
        shown = _print_pages("活动" + (f" {window.label}" if window else ""), rows)
        if latest is not None and shown == latest:
            total = ledger.count_activities(session, where)
            if total > latest:
                typer.echo(f"showing the latest {latest} of {total}; --all for every one", err=True)


def _print_pages(title: str, rows) -> int:
    """The activities as tables of PAGE rows each (one table, as ever, for up to PAGE of them), the
    title over the first; voided ones in red. How many were printed."""
    count = 0
    while page := list(islice(rows, PAGE)):
        print_rows(title if not count else "", COLUMNS, [_cells(a) for a in page], styles=[_style(a) for a in page])
        count += len(page)
    if not count:
        print_rows(title, COLUMNS, [])
    return count


def _cells(a) -> tuple[str, ...]:
    """An activity as the text of a table's row (and of a CSV's)."""
    from zhaoshang.labels import label
    from zhaoshang.render.fmt import span

    return (
        str(a.id),
        span(a.date, a.end_date),
        _what(a),
        "、".join(a.units),
        a.leader or "",
        "、".join(a.people[1:] if a.leader else a.people),
        label(a.mode),
        a.destination or "",
        "、".join(a.companies),
        f"已作废: {a.void_reason}" if a.voided else (a.note or ""),
    )


def _style(a) -> str | None:
    return "red" if a.voided else None


@app.command()
def void(
    activity_id: Annotated[int, typer.Argument(metavar="ID", help="活动编号（见 `zs log list`）。")],
    reason: Annotated[str, typer.Option(help="作废原因，随记录保存。")],
    db: Db = None,
) -> None:
    """作废一条活动：记录仍留在台账中、加标记，此后不再计数。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.render.fmt import shown

    with writing(open_ledger(db)) as session:
        record = ledger.void_activity(session, activity_id, reason)
    done(
        shown(
            f"voided {record.kind.value} #{record.id} ({record.date.isoformat()} {record.unit} "
            f"{_what(record)}): {record.void_reason}"
        )
    )


def _what(record) -> str:
    from zhaoshang.labels import label

    return label(record.event_type) if record.event_type else label(record.kind)
