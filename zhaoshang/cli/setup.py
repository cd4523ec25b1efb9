"""`zs init` and `zs demo`: a ledger ready for an office, or one full of two plausible years."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, Json, TargetsFile, Width, done, open_ledger


def init(
    db: Db = None,
    targets: TargetsFile = None,
) -> None:
    """新建台账（如尚无），并载入 targets.yaml 中列出的单位和人员。"""
    from zhaoshang import config, ledger
    from zhaoshang.db import writing
    from zhaoshang.paths import targets_location

    spec = config.load_targets(targets_location(targets))
    engine = open_ledger(db, new=True)
    with writing(engine) as session:
        units, people = ledger.load_organisation(session, spec)
    done(
        f"ledger {engine.url.database or engine.url}: {len(units)} units and {len(people)} people added "
        f"from {spec.path} ({len(spec.units)} units, {len(spec.people)} people listed)"
    )


def demo(
    db: Annotated[str, typer.Option(help="示例台账建在何处（从不使用 $ZS_DB）。")] = "zs-demo.db",
    replace: Annotated[bool, typer.Option("--replace", help="即使该文件是非示例建立的台账，也重新建立。")] = False,
    width: Width = None,
) -> None:
    """在新台账中生成文昌湖区两年（2022年全年、2023年至11月15日）的示例记录，并打印季度通报；
    另在台账旁写出两份示例考核办法（现行 -scoring.yaml、草案 -draft.yaml），供 zs targets backtest 试算。"""
    from pathlib import Path

    from zhaoshang import config, ledger, progress
    from zhaoshang import demo as sample
    from zhaoshang.db import reading, writing
    from zhaoshang.db_backup import made_by
    from zhaoshang.errors import ZsError
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.parse import quarter_period
    from zhaoshang.paths import shipped_targets
    from zhaoshang.render.report_table import print_report
    from zhaoshang.reports import build_quarter

    path = Path(db)
    if path.exists():
        if not (replace or made_by(path, "zs demo")):
            raise ZsError("--db", db, "a path with no ledger yet, or an earlier demo (or --replace to rebuild there)")
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            stale.unlink(missing_ok=True)
    plans = {name: path.with_name(f"{path.stem}-{name}.yaml") for name in ("scoring", "draft")}
    for plan in plans.values():
        if plan.exists() and not (replace or _starts_with(plan, sample.PLAN_MARK)):
            raise ZsError(
                "--db",
                db,
                f"a place where {plan.name} is free or an earlier demo's (or --replace)",
                "it holds another file",
            )
    spec = config.load_targets(shipped_targets())
    engine = open_ledger(str(path), new=True)
    with progress.shown("生成示例台账", "条活动"), writing(engine) as session:
        ledger.load_organisation(session, spec)
        counts = sample.build(session)
    shipped = shipped_targets().read_text(encoding="utf-8")
    for name, text in sample.scoring_plans(shipped).items():
        plans[name].write_text(text, encoding="utf-8")
    bulletin = sample.BULLETIN_AS_OF
    with reading(engine) as session:
        report = build_quarter(spec, LedgerFacts(session, spec.rates), quarter_period(bulletin.year, 3), bulletin)
    print_report(report)
    done(
        f"demo ledger {path}: {counts['activities']} activities, {counts['projects']} projects, "
        f"{counts['funds']} funds, {counts['notes']} notes, {counts['figures']} reported figures up to "
        f"{sample.AS_OF}. Next, try: "
        f"zs report month --db {path} --as-of {sample.AS_OF} · zs report alerts --db {path} --as-of {sample.AS_OF}"
        f" · zs report quarter --db {path} --as-of {bulletin} --xlsx bulletin.xlsx"
        f" · zs company list --db {path} · zs figure list --db {path}"
        f" · zs report forecast --db {path} --as-of {sample.AS_OF}"
        f" · zs targets backtest {plans['draft']} --targets {plans['scoring']} --year 2022 --db {path}"
    )


def _starts_with(path, mark: str) -> bool:
    try:
        with open(path, encoding="utf-8") as file:
            return file.read(len(mark)) == mark
    except (OSError, UnicodeDecodeError):
        return False


def info(
    db: Db = None,
    targets: TargetsFile = None,
    json: Json = False,
) -> None:
    """此处使用哪个台账和哪个指标文件、为什么（选项、ZS_DB / ZS_TARGETS、默认）；台账的结构版本和
    所存内容；指标文件的地区和年度。只读：尚不存在的台账不会被新建。"""
    import os
    from pathlib import Path

    from sqlalchemy import func, select

    from zhaoshang import config
    from zhaoshang.cli.common import ledger_of, print_json
    from zhaoshang.db import file_of, open_readonly, reading
    from zhaoshang.migrations import MIGRATIONS
    from zhaoshang.models import Activity, Company, Fund, Person, Project, ReportedFigure, Unit
    from zhaoshang.paths import targets_location

    location = ledger_of(db)
    ledger_why = "--db" if db else "ZS_DB" if os.environ.get("ZS_DB") else "the per-user default"
    plan = targets_location(targets)
    local = Path("config") / "targets.yaml"
    plan_why = (
        "--targets"
        if targets
        else "ZS_TARGETS"
        if os.environ.get("ZS_TARGETS")
        else "./config/targets.yaml"
        if local.is_file()
        else "the shipped plan"
    )
    shown: dict = {"ledger": {"location": location, "why": ledger_why}, "targets": {"path": str(plan), "why": plan_why}}
    path = file_of(location, "--db")
    if path is not None and not path.exists():
        shown["ledger"]["exists"] = False
    else:
        engine = open_readonly(location)
        try:
            with reading(engine) as session:
                counts = {
                    name: session.exec(select(func.count()).select_from(model)).one()[0]
                    for name, model in (
                        ("units", Unit),
                        ("people", Person),
                        ("activities", Activity),
                        ("projects", Project),
                        ("funds", Fund),
                        ("companies", Company),
                        ("figures", ReportedFigure),
                    )
                }
        finally:
            engine.dispose()
        shown["ledger"] |= {"exists": True, "schema": MIGRATIONS[-1][0], "migrations": len(MIGRATIONS), **counts}
    spec = config.load_targets(plan)
    shown["targets"] |= {
        "region": spec.region,
        "year": spec.year,
        "quotas": len(spec.quotas),
        "campaigns": [c.id for c in spec.campaigns],
    }
    if json:
        return print_json(shown)
    ledger, plan_info = shown["ledger"], shown["targets"]
    typer.echo(f"ledger:  {ledger['location']} (from {ledger['why']})")
    if not ledger["exists"]:
        typer.echo("         does not exist yet: `zs init` creates it")
    else:
        held = ", ".join(f"{ledger[k]} {k}" for k in ("units", "people", "activities", "projects", "funds"))
        typer.echo(
            f"         schema {ledger['schema']} ({ledger['migrations']} migrations); {held}, "
            f"{ledger['companies']} companies, {ledger['figures']} reported figures"
        )
    typer.echo(f"targets: {plan_info['path']} (from {plan_why})")
    campaigns = f", campaigns {', '.join(plan_info['campaigns'])}" if plan_info["campaigns"] else ""
    typer.echo(
        f"         {plan_info['region'] or '(no region)'} {plan_info['year'] or ''}, "
        f"{plan_info['quotas']} quotas{campaigns}"
    )
