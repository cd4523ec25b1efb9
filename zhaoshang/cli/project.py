"""`zs project …`: projects and their milestones 线索 → 在谈 → 签约 → 开工 → 投产, funds and notes."""

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
    print_json,
    print_rows,
    today,
)

app = command_group("project")

ProjectRef = Annotated[str, typer.Argument(metavar="ID", help="项目编号（或项目全称）。")]
Day = Annotated[str, typer.Option("--date", help="日期：2023-03-13、2023年3月13日 或 today（今天）。")]
STAGES_HELP = "线索 lead、在谈 negotiating、签约 signed、开工 started、投产 producing、终止 dropped"
TYPES_HELP = "项目类型：新建 new、增资 expansion（须给 --increase）、续建 continuing。"
TypeOption = Annotated[str, typer.Option("--type", help=TYPES_HELP)]
IncreaseOption = Annotated[
    str | None,
    typer.Option(help="增资项目的增资额（如 5000万）：指标只计增量，不计总投资。"),
]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="项目名称。")],
    unit: Annotated[str, typer.Option(help="招引单位。")],
    amount: Annotated[
        str,
        typer.Option(help="总投资：1.5亿、5000万、3,000万元、五亿、120000000元 或 1000万美元。"),
    ],
    company: Annotated[str | None, typer.Option(help="投资企业。")] = None,
    industry: Annotated[str | None, typer.Option(help="所属产业。")] = None,
    stage: Annotated[str, typer.Option(help=f"目前所处阶段：{STAGES_HELP}。")] = "lead",
    day: Annotated[str, typer.Option("--date", help="到达该阶段的日期。")] = "today",
    key: Annotated[bool, typer.Option("--key", help="列为重点项目。")] = False,
    owner: Annotated[str | None, typer.Option(help="责任人。")] = None,
    leader: Annotated[str | None, typer.Option(help="包保领导。")] = None,
    deadline: Annotated[str | None, typer.Option(help="开工时限。")] = None,
    type_: TypeOption = "new",
    increase: IncreaseOption = None,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="本单位已有同名项目时仍然添加。"),
    ] = False,
    db: Db = None,
    json: Json = False,
) -> None:
    """新增项目；--stage 之前各阶段均按 --date 记为节点。本单位已有同名项目时拒绝（以免重复录入；
    确需添加用 --allow-duplicate）。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import ProjectType, Stage, parse_code
    from zhaoshang.parse import parse_amount, parse_date, parse_money

    now = today()
    total, currency = parse_money(amount, "--amount", bare_unit=None)
    fields = dict(
        amount_yuan=total,
        currency=currency,
        stage=parse_code(Stage, stage, "--stage"),
        day=parse_date(day, now, "--date"),
        deadline=parse_date(deadline, now, "--deadline") if deadline else None,
        type=parse_code(ProjectType, type_, "--type"),
        increase_yuan=parse_amount(increase, "--increase", bare_unit=None) if increase else None,
    )
    with writing(open_ledger(db)) as session:
        project = ledger.add_project(
            session,
            name=name,
            unit=unit,
            company=company,
            industry=industry,
            key=key,
            owner=owner,
            leader=leader,
            allow_duplicate=allow_duplicate,
            **fields,
        )
    _report(project, "added", json)


def _report(project, verb: str, json: bool) -> None:
    from zhaoshang.labels import label
    from zhaoshang.render.fmt import money, shown

    if json:
        return print_json(project)
    done(
        shown(
            f"{verb} project #{project.id} {project.name}: {project.unit} · {money(project.amount_yuan)} · "
            f"{label(project.stage)} {project.stage_date.isoformat()}"
        )
    )


@app.command()
def advance(
    project: ProjectRef,
    to: Annotated[str, typer.Option(help=f"到达的阶段：{STAGES_HELP}。")],
    day: Day = "today",
    deadline: Annotated[str | None, typer.Option(help="开工时限（通常在签约时确定）。")] = None,
    note: Annotated[str | None, typer.Option(help="当日的推进情况。")] = None,
    force: Annotated[bool, typer.Option("--force", help="允许退回前一阶段（须给 --reason）。")] = False,
    reason: Annotated[str | None, typer.Option(help="原因：用 --force 时必填，随节点保存。")] = None,
    at: Annotated[
        int | None,
        typer.Option("--at", metavar="EVENT_ID", help="发生在哪场已登记的活动上（展会、签约仪式等）的编号。"),
    ] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """推进项目阶段；跳过的阶段记在同一天。退回须用 --force。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import Stage, parse_code
    from zhaoshang.parse import parse_date

    now = today()
    fields = dict(
        to=parse_code(Stage, to, "--to"),
        day=parse_date(day, now, "--date"),
        deadline=parse_date(deadline, now, "--deadline") if deadline else None,
    )
    with writing(open_ledger(db)) as session:
        record = ledger.advance_project(session, project, note=note, force=force, reason=reason, event=at, **fields)
    _report(record, "advanced", json)


@app.command()
def fix(
    ctx: typer.Context,
    project: ProjectRef,
    stage: Annotated[
        str | None,
        typer.Option(help=f"日期录错的阶段（与 --date 同用）：{STAGES_HELP}。", show_default=False),
    ] = None,
    day: Annotated[str | None, typer.Option("--date", help="应为的日期。", show_default=False)] = None,
    remove_stage: Annotated[str | None, typer.Option(help="误录的阶段：删去其节点。", show_default=False)] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """就地更正录错的节点，如同当初录对（可撤销）。真实的退回用 `advance --force`。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import Stage, parse_code
    from zhaoshang.parse import parse_date

    if (stage is None) == (remove_stage is None) or (stage is not None) != (day is not None):
        ctx.fail("give --stage STAGE with --date D, or --remove-stage STAGE alone")
    if remove_stage is not None:
        fields = dict(stage=parse_code(Stage, remove_stage, "--remove-stage"), remove=True)
    else:
        fields = dict(stage=parse_code(Stage, stage, "--stage"), day=parse_date(day, today(), "--date"))
    with writing(open_ledger(db)) as session:
        record = ledger.fix_project(session, project, **fields)
    _report(record, "fixed", json)


@app.command()
def fund(
    project: ProjectRef,
    amount: Annotated[str, typer.Option(help="到位资金：5000万、1.2亿、八百万、30000元。")],
    origin: Annotated[
        str, typer.Option(help="资金来源：省外 out_of_province、外资 foreign、省内市外 other_city、省内 local。")
    ],
    day: Day = "today",
    note: Annotated[str | None, typer.Option(help="备注。")] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """登记项目到位资金。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import Origin, label, parse_code
    from zhaoshang.parse import parse_date, parse_money
    from zhaoshang.render.fmt import money

    fields = dict(
        **dict(zip(("amount_yuan", "currency"), parse_money(amount, "--amount", bare_unit=None), strict=True)),
        origin=parse_code(Origin, origin, "--origin"),
        day=parse_date(day, today(), "--date"),
    )
    with writing(open_ledger(db)) as session:
        record = ledger.add_fund(session, project, note=note, **fields)
        beyond = ledger.funds_beyond_amount(session, project)
    if beyond:
        typer.echo(
            f"zs: warning: funds arrived for project {beyond.id} ({money(beyond.funds_yuan)}) now exceed "
            f"twice its amount ({money(beyond.amount_yuan)})",
            err=True,
        )
    if json:
        return print_json(record)
    done(
        f"recorded fund #{record.id} for project {project}: {money(record.amount_yuan)} "
        f"{label(record.origin)} {record.date.isoformat()}"
    )


@app.command("void-fund")
def void_fund(
    fund_id: Annotated[int, typer.Argument(metavar="FUND_ID", help="到位资金记录的编号（见 `zs project show`）。")],
    reason: Annotated[str, typer.Option(help="作废原因，随记录保存。")],
    db: Db = None,
) -> None:
    """作废一条录错的到位资金：记录仍留在台账中、加标记，不再计数。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import label
    from zhaoshang.render.fmt import money

    with writing(open_ledger(db)) as session:
        record = ledger.void_fund(session, fund_id, reason)
    done(f"voided fund #{record.id} ({money(record.amount_yuan)} {label(record.origin)} {record.date.isoformat()})")


@app.command()
def note(
    project: ProjectRef,
    text: Annotated[str, typer.Argument(help="推进情况；加 --problem 则为存在问题。")],
    day: Day = "today",
    problem: Annotated[bool, typer.Option("--problem", help="这是一个待解决的问题。")] = False,
    assignee: Annotated[str | None, typer.Option(help="问题的责任人（与 --problem 同用）。")] = None,
    due: Annotated[str | None, typer.Option(help="办结时限（与 --problem 同用）。")] = None,
    db: Db = None,
) -> None:
    """为项目添加推进情况（或待解决的问题，写明由谁在何时前解决）。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.parse import parse_date
    from zhaoshang.render.fmt import shown

    now = today()
    when = parse_date(day, now, "--date")
    by = parse_date(due, now, "--due") if due else None
    with writing(open_ledger(db)) as session:
        record = ledger.add_note(session, project, text, when, problem, assignee=assignee, due=by)
    kind = "problem" if record.problem else "note"
    extra = "".join(
        [f" · {record.assignee}" if record.assignee else "", f" · due {record.due.isoformat()}" if record.due else ""]
    )
    done(shown(f"added {kind} #{record.id} to project {project} on {record.date.isoformat()}: {record.text}{extra}"))


@app.command()
def resolve(
    note_id: Annotated[int, typer.Argument(metavar="NOTE_ID", help="问题的编号（见 `zs project show`）。")],
    day: Day = "today",
    note: Annotated[str | None, typer.Option(help="办结情况。")] = None,
    db: Db = None,
) -> None:
    """问题办结：此后不再列入月报的存在问题和预警。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.parse import parse_date
    from zhaoshang.render.fmt import shown

    when = parse_date(day, today(), "--date")
    with writing(open_ledger(db)) as session:
        record = ledger.resolve_problem(session, note_id, when, note)
    done(shown(f"resolved problem #{record.id} on {record.resolved_on.isoformat()}: {record.text}"))


@app.command()
def edit(
    project: ProjectRef,
    name: Annotated[str | None, typer.Option(help="正确的名称。")] = None,
    amount: Annotated[str | None, typer.Option(help="正确的总投资。")] = None,
    company: Annotated[str | None, typer.Option(help="投资企业。")] = None,
    industry: Annotated[str | None, typer.Option(help="所属产业。")] = None,
    key: Annotated[bool | None, typer.Option("--key/--no-key", help="是否列为重点项目。")] = None,
    owner: Annotated[str | None, typer.Option(help="责任人。")] = None,
    leader: Annotated[str | None, typer.Option(help="包保领导。")] = None,
    deadline: Annotated[str | None, typer.Option(help="开工时限。")] = None,
    type_: Annotated[str | None, typer.Option("--type", help=TYPES_HELP)] = None,
    increase: IncreaseOption = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """就地更正项目信息，如同当初录对（记入修改记录，`zs undo` 可撤销）。
    阶段或其日期用 `zs project fix` 更正；真实的阶段变化用 `advance`。"""
    from zhaoshang import ledger
    from zhaoshang.db import writing
    from zhaoshang.labels import ProjectType, parse_code
    from zhaoshang.parse import parse_amount, parse_date, parse_money

    now = today()
    changes = dict(
        name=name,
        **dict(
            zip(
                ("amount_yuan", "currency"),
                parse_money(amount, "--amount", bare_unit=None) if amount else (None, None),
                strict=True,
            )
        ),
        company=company,
        industry=industry,
        key=key,
        owner=owner,
        leader=leader,
        deadline=parse_date(deadline, now, "--deadline") if deadline else None,
        type=parse_code(ProjectType, type_, "--type") if type_ else None,
        increase_yuan=parse_amount(increase, "--increase", bare_unit=None) if increase else None,
    )
    with writing(open_ledger(db)) as session:
        record = ledger.edit_project(session, project, **changes)
    _report(record, "edited", json)


@app.command("list")
def list_(
    stage: Annotated[str | None, typer.Option(help=f"只列此阶段：{STAGES_HELP}。")] = None,
    unit: Annotated[str | None, typer.Option(help="只列此单位。")] = None,
    key: Annotated[bool, typer.Option("--key", help="只列重点项目。")] = False,
    db: Db = None,
    json: Json = False,
    width: Width = None,
    csv: Csv = False,
) -> None:
    """列出项目及其阶段、投资额和到位资金。"""
    from zhaoshang import ledger
    from zhaoshang.db import reading
    from zhaoshang.labels import Stage, label, parse_code
    from zhaoshang.render.fmt import day as fmt_day
    from zhaoshang.render.fmt import money

    one_of(("--json", json), ("--csv", csv))
    code = parse_code(Stage, stage, "--stage") if stage else None
    with reading(open_ledger(db)) as session:
        rows = ledger.list_projects(session, stage=code, unit=unit, key=True if key else None)
    if json:
        return print_json(rows)
    print_rows(
        "项目",
        [
            ("ID", "right"),
            ("项目", "left"),
            ("单位", "left"),
            ("总投资", "right"),
            ("阶段", "left"),
            ("日期", "nowrap"),
            ("到位资金", "right"),
            ("责任人", "left"),
            ("包保领导", "left"),
            ("开工时限", "nowrap"),
        ],
        [
            (
                str(p.id),
                ("★ " if p.key else "") + p.name,
                p.unit,
                money(p.amount_yuan),
                label(p.stage),
                fmt_day(p.stage_date),
                money(p.funds_yuan),
                p.owner or "",
                p.leader or "",
                fmt_day(p.start_deadline),
            )
            for p in rows
        ],
        csv=csv,
    )


@app.command()
def show(project: ProjectRef, db: Db = None, json: Json = False, width: Width = None) -> None:
    """查看一个项目的全部情况：节点、到位资金、推进情况和问题。"""
    from zhaoshang import ledger
    from zhaoshang.db import reading
    from zhaoshang.labels import label
    from zhaoshang.render.fmt import day as fmt_day
    from zhaoshang.render.fmt import money
    from zhaoshang.render.table import print_fields, print_table

    with reading(open_ledger(db)) as session:
        p = ledger.show_project(session, project)
    if json:
        return print_json(p)
    print_fields(
        f"项目 #{p.id} {p.name}",
        [
            ("招引单位", p.unit),
            ("企业", p.company or ""),
            ("产业", p.industry or ""),
            ("总投资", money(p.amount_yuan)),
            ("类型", label(p.type) + (f"（增资 {money(p.increase_yuan)}）" if p.increase_yuan is not None else "")),
            ("阶段", f"{label(p.stage)} ({fmt_day(p.stage_date)})"),
            ("重点项目", "是" if p.key else "否"),
            ("责任人", p.owner or ""),
            ("包保领导", p.leader or ""),
            ("开工时限", fmt_day(p.start_deadline)),
            ("到位资金", money(p.funds_yuan)),
        ],
    )
    print_table(
        "节点",
        [("日期", "nowrap"), ("阶段", "left"), ("说明", "left")],
        list(
            (
                m.date.isoformat(),
                label(m.stage),
                "；".join(
                    t
                    for t in (
                        f"回退: {m.reason}" if m.forced else (m.reason or ""),
                        f"于活动 #{m.event_id}" if m.event_id else "",
                    )
                    if t
                ),
            )
            for m in p.milestones
        ),
    )
    if p.funds:
        print_table(
            "到位资金",
            [("日期", "nowrap"), ("金额", "right"), ("来源", "left"), ("备注", "left")],
            list((f.date.isoformat(), money(f.amount_yuan), label(f.origin), f.note or "") for f in p.funds),
        )
    if p.notes:
        print_table(
            "推进情况与问题",
            [
                ("ID", "right"),
                ("日期", "nowrap"),
                ("类型", "left"),
                ("内容", "left"),
                ("责任人", "left"),
                ("时限", "nowrap"),
                ("办结", "left"),
            ],
            list(
                (
                    str(n.id),
                    n.date.isoformat(),
                    "问题" if n.problem else "进展",
                    n.text,
                    n.assignee or "",
                    fmt_day(n.due),
                    (
                        f"{n.resolved_on.isoformat()} {n.resolution or ''}".strip()
                        if n.resolved_on
                        else ("未办结" if n.problem else "")
                    ),
                )
                for n in p.notes
            ),
        )
