"""`zs project …`: projects and their milestones 线索 → 在谈 → 签约 → 开工 → 投产, funds and notes."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Csv, Db, Json, command_group, done, one_of, open_ledger, print_json, print_rows, today

app = command_group("project")

ProjectRef = Annotated[str, typer.Argument(metavar="ID", help="Project id (or its exact name).")]
Day = Annotated[str, typer.Option("--date", help="Date: 2023-03-13, 2023年3月13日 or today.")]
STAGES_HELP = "lead 线索, negotiating 在谈, signed 签约, started 开工, producing 投产, dropped 终止"
TypeOption = Annotated[str, typer.Option("--type", help="new 新建, expansion 增资 (give --increase), continuing 续建.")]
IncreaseOption = Annotated[
    str | None,
    typer.Option(help="The increase of an 增资 project (5000万): quotas count it, not the total (增资只计增量)."),
]


@app.command()
def add(
    name: Annotated[str, typer.Argument(help="Project name.")],
    unit: Annotated[str, typer.Option(help="The unit that attracted it 招引单位.")],
    amount: Annotated[
        str,
        typer.Option(help="Total investment 总投资: 1.5亿, 5000万, 3,000万元, 五亿, 120000000元, or 1000万美元."),
    ],
    company: Annotated[str | None, typer.Option(help="Investing company.")] = None,
    industry: Annotated[str | None, typer.Option(help="Industry 产业.")] = None,
    stage: Annotated[str, typer.Option(help=f"Stage it is at now: {STAGES_HELP}.")] = "lead",
    day: Annotated[str, typer.Option("--date", help="Date it reached that stage.")] = "today",
    key: Annotated[bool, typer.Option("--key", help="A key project 重点项目.")] = False,
    owner: Annotated[str | None, typer.Option(help="Person responsible 责任人.")] = None,
    leader: Annotated[str | None, typer.Option(help="Leader in charge 包保领导.")] = None,
    deadline: Annotated[str | None, typer.Option(help="Start deadline 开工时限.")] = None,
    type_: TypeOption = "new",
    increase: IncreaseOption = None,
    allow_duplicate: Annotated[
        bool,
        typer.Option("--allow-duplicate", help="Add it even though the unit already has a project of this name."),
    ] = False,
    db: Db = None,
    json: Json = False,
) -> None:
    """Add a project; the stages up to --stage are recorded as milestones on --date. A name the unit
    already has is refused (a project typed twice; --allow-duplicate to insist)."""
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
    to: Annotated[str, typer.Option(help=f"The stage reached: {STAGES_HELP}.")],
    day: Day = "today",
    deadline: Annotated[str | None, typer.Option(help="Start deadline 开工时限 (usually set at signing).")] = None,
    note: Annotated[str | None, typer.Option(help="A progress note 推进情况 for this date.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Allow moving back (needs --reason).")] = False,
    reason: Annotated[str | None, typer.Option(help="Why: required with --force; kept with the milestone.")] = None,
    at: Annotated[
        int | None,
        typer.Option("--at", metavar="EVENT_ID", help="The logged event it happened at (a fair, a 签约仪式)."),
    ] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """Move a project forward; skipped stages are recorded on the same date. Back only with --force."""
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
        typer.Option(help=f"The stage whose date was mistyped (with --date): {STAGES_HELP}.", show_default=False),
    ] = None,
    day: Annotated[str | None, typer.Option("--date", help="The date it should have had.", show_default=False)] = None,
    remove_stage: Annotated[
        str | None, typer.Option(help="A stage recorded by mistake: its milestone goes.", show_default=False)
    ] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """Correct a mistyped milestone in place, as if typed right (undoable). A real reversal is `advance --force`."""
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
    amount: Annotated[str, typer.Option(help="Funds arrived 到位资金: 5000万, 1.2亿, 八百万, 30000元.")],
    origin: Annotated[str, typer.Option(help="out_of_province 省外, foreign 外资, other_city 省内市外, local 省内.")],
    day: Day = "today",
    note: Annotated[str | None, typer.Option(help="A note.")] = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """Record funds arrived for a project."""
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
    fund_id: Annotated[int, typer.Argument(metavar="FUND_ID", help="The fund's id (see `zs project show`).")],
    reason: Annotated[str, typer.Option(help="Why it is voided; kept with the record.")],
    db: Db = None,
) -> None:
    """Void a mistyped fund record: it stays in the ledger, marked, and no longer counts."""
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
    text: Annotated[str, typer.Argument(help="Progress 推进情况, or a problem with --problem.")],
    day: Day = "today",
    problem: Annotated[bool, typer.Option("--problem", help="This is an open problem 问题.")] = False,
    assignee: Annotated[str | None, typer.Option(help="Who is to solve the problem 责任人 (with --problem).")] = None,
    due: Annotated[str | None, typer.Option(help="When it is to be solved 办结时限 (with --problem).")] = None,
    db: Db = None,
) -> None:
    """Add a progress note (or an open problem, with who solves it by when) to a project."""
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
    note_id: Annotated[int, typer.Argument(metavar="NOTE_ID", help="The problem's id (see `zs project show`).")],
    day: Day = "today",
    note: Annotated[str | None, typer.Option(help="How it was solved 办结情况.")] = None,
    db: Db = None,
) -> None:
    """Close an open problem 问题办结: it leaves the month report's open problems and the alerts."""
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
    name: Annotated[str | None, typer.Option(help="The right name.")] = None,
    amount: Annotated[str | None, typer.Option(help="The right total investment 总投资.")] = None,
    company: Annotated[str | None, typer.Option(help="The investing company.")] = None,
    industry: Annotated[str | None, typer.Option(help="Industry 产业.")] = None,
    key: Annotated[bool | None, typer.Option("--key/--no-key", help="A key project 重点项目, or not.")] = None,
    owner: Annotated[str | None, typer.Option(help="Person responsible 责任人.")] = None,
    leader: Annotated[str | None, typer.Option(help="Leader in charge 包保领导.")] = None,
    deadline: Annotated[str | None, typer.Option(help="Start deadline 开工时限.")] = None,
    type_: Annotated[
        str | None, typer.Option("--type", help="new 新建, expansion 增资 (give --increase), continuing 续建.")
    ] = None,
    increase: IncreaseOption = None,
    db: Db = None,
    json: Json = False,
) -> None:
    """Correct a project's fields in place, as if typed right (in the history; `zs undo` takes it back).
    A stage or its date is corrected by `zs project fix`; a real change of stage is `advance`."""
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
    stage: Annotated[str | None, typer.Option(help=f"Only this stage: {STAGES_HELP}.")] = None,
    unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None,
    key: Annotated[bool, typer.Option("--key", help="Only key projects 重点项目.")] = False,
    db: Db = None,
    json: Json = False,
    csv: Csv = False,
) -> None:
    """List projects with their stage, amount and funds arrived."""
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
def show(project: ProjectRef, db: Db = None, json: Json = False) -> None:
    """Show one project whole: milestones, funds arrived, notes and problems."""
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
