"""`zs targets …`: the quota file — what it asks for, and whether it says it right."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Db, Json, TargetsFile, Width, command_group, open_ledger, print_json, today

app = command_group("targets")


@app.command()
def check(
    path: Annotated[
        str | None,
        typer.Argument(
            help="指标文件。默认：$ZS_TARGETS，否则 ./config/targets.yaml，否则为随程序附带的一份。",
            show_default=False,
        ),
    ] = None,
    json: Json = False,
    width: Width = None,
) -> None:
    """校验 targets.yaml，并概述其中的单位、指标、专项活动、排名和计分。"""
    from zhaoshang.config import load_targets
    from zhaoshang.paths import targets_location
    from zhaoshang.render import describe
    from zhaoshang.render.table import print_table

    spec = load_targets(targets_location(path))
    if json:
        return print_json(
            {
                "path": str(spec.path),
                "region": spec.region,
                "year": spec.year,
                "units": {name: kind for name, kind in spec.units.items()},
                "people": len(spec.people),
                "quotas": [
                    {
                        "id": q.id,
                        "title": q.title,
                        "campaign": q.campaign.id if q.campaign else None,
                        "per": q.per,
                        q.bound.value: q.target,
                        "reads": describe.quota(q, spec.region),
                    }
                    | ({"by": q.by, "share_of": q.share_of, "share": q.share} if q.by else {})
                    | ({"text": q.text} if q.text else {})
                    for q in spec.quotas
                ],
                "campaigns": [{"id": c.id, "title": c.title, "from": c.start, "to": c.end} for c in spec.campaigns],
                "rankings": [r.id for r in spec.rankings],
                "scoring": [s.id for s in spec.scoring],
                "red_black": [r.id for r in spec.red_black],
                "bulletin": [c.id for c in spec.bulletin],
                "manual": len(spec.manual),
                "out_of_scope": len(spec.out_of_scope),
            }
        )
    typer.echo(f"{spec.path}: ok — {spec.region or '(no region)'} {spec.year or ''}".rstrip())
    typer.echo(
        f"{len(spec.units)} units, {len(spec.people)} people, {len(spec.quotas)} quotas, "
        f"{len(spec.campaigns)} campaigns, {len(spec.rankings)} rankings, {len(spec.scoring)} scoring rules"
        + (f", {len(spec.red_black)} red-black lists" if spec.red_black else "")
    )
    for campaign in [None, *spec.campaigns]:
        quotas = [q for q in spec.quotas if q.campaign == campaign]
        if campaign is None and not quotas:
            continue
        title = f"活动 {campaign.title} {campaign.start}~{campaign.end}" if campaign else f"{spec.year or ''}年度指标"
        print_table(
            title,
            [("ID", "nowrap"), ("名称", "left"), ("要求", "left")],
            [(q.id, q.title, describe.quota(q, spec.region)) for q in quotas],
        )
    typer.echo("通报栏目: " + "、".join(c.title for c in spec.bulletin))
    if spec.manual or spec.out_of_scope:
        typer.echo(f"{len(spec.manual)} sentences reported by hand (manual), {len(spec.out_of_scope)} out of scope")
    for ranking in spec.rankings:
        where = f"活动 {ranking.campaign.title}, " if ranking.campaign else ""
        among = describe.who(ranking.among, spec.region)
        print_table(
            f"竞赛榜 {ranking.title} ({where}{among}, {describe.PER_WORDS[ranking.per]})",
            [("指标", "left"), ("权重", "right")],
            [(describe.rank_by(b), f"{b.weight.normalize():f}") for b in ranking.by],
        )
    for rule in spec.scoring:
        where = f"【{rule.campaign.id}】" if rule.campaign else ""
        typer.echo(f"考核 {rule.id}{where}: {describe.rule(rule, spec.region)}")
    for board in spec.red_black:
        where = f"【{board.campaign.id}】" if board.campaign else ""
        typer.echo(f"红黑榜 {board.id}{where}: {describe.red_black(board)}")


@app.command()
def coverage(
    plan: Annotated[str, typer.Argument(help="方案原文（UTF-8 或 GB18030）：实施方案、考核办法 …", show_default=False)],
    targets: Annotated[
        str | None,
        typer.Option(
            "--targets",
            help="编码该方案的指标文件。默认：$ZS_TARGETS，否则 ./config/targets.yaml，否则为随程序附带的一份。",
            show_default=False,
        ),
    ] = None,
    json: Json = False,
    width: Width = None,
) -> None:
    """逐句核对方案：每句可量化的要求由哪项指标、排名、计分规则或专项活动编码（`text:`），哪些手工填报
    （`manual:`）或不纳入（`out_of_scope:`），哪些未覆盖。有可量化的句子未覆盖时退出码为 1。"""
    from pathlib import Path

    from zhaoshang.config import load_targets
    from zhaoshang.coverage import Cover, Status, coverage, key, unmatched
    from zhaoshang.labels import label
    from zhaoshang.paths import targets_location
    from zhaoshang.render.table import print_table

    spec = load_targets(targets_location(targets))
    text = _plan_text(Path(plan))
    encoded: dict[str, tuple[str, ...]] = {}
    for sentence, ids in spec.texts().items():
        encoded[key(sentence)] = encoded.get(key(sentence), ()) + ids
    cover = Cover(
        encoded,
        {key(n.text): n.reason for n in spec.manual},
        {key(n.text): n.reason for n in spec.out_of_scope},
    )
    found = coverage(text, cover)
    for stray in unmatched(text, cover):
        typer.echo(f"zs: warning: text '{stray[:60]}' of {spec.path} matches no sentence of {plan}", err=True)
    missing = [s for s in found if s.status is Status.not_covered]
    if json:
        print_json(
            [
                {"sentence": s.text, "measurable": s.measurable, "status": s.status, "covered_by": list(s.covered_by)}
                | ({"reason": s.reason} if s.reason else {})
                for s in found
            ]
        )
    else:
        shown = [s for s in found if s.measurable or s.status is not Status.not_measurable]
        print_table(
            f"{plan} ← {spec.path}",
            [("句子", "left"), ("状态", "nowrap"), ("编码于 / 理由", "left")],
            [(s.text, label(s.status), "、".join(s.covered_by) or s.reason or "") for s in shown],
            ["red" if s.status is Status.not_covered else None for s in shown],
        )
        counts = {status: sum(1 for s in found if s.status is status and s.measurable) for status in Status}
        typer.echo(
            f"{sum(1 for s in found if s.measurable)} measurable sentences: {counts[Status.encoded]} encoded, "
            f"{counts[Status.manual]} manual, {counts[Status.out_of_scope]} out of scope, "
            f"{counts[Status.not_covered]} not covered"
        )
    if missing:
        raise typer.Exit(1)


def _plan_text(path) -> str:
    """A plan's text: UTF-8 (with or without a BOM), else GB18030 as Windows saves Chinese text."""
    from zhaoshang.errors import ZsError
    from zhaoshang.paths import open_input

    try:
        with open_input(path, "PLAN", "a readable text file") as file:
            data = file.read(5_000_001)
    except OSError as exc:
        raise ZsError("PLAN", str(path), "a readable text file", str(exc)) from exc
    if len(data) > 5_000_000:
        raise ZsError("PLAN", str(path), "a plan of at most 5 MB of text", "the file is larger")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ZsError("PLAN", str(path), "a text file in UTF-8 or GB18030", "its bytes are neither")


@app.command()
def diff(
    old: Annotated[str, typer.Argument(help="较早的指标文件（上一年的）。", show_default=False)],
    new: Annotated[str, typer.Argument(help="较新的指标文件（今年的）。", show_default=False)],
    json: Json = False,
    width: Width = None,
) -> None:
    """两个指标文件之间的变化，用业务语言说明：单位、人员、指标（`每个镇街 每月 走访企业(家) ≥ 2 → ≥ 3`）、
    专项活动、排名、计分、红黑榜、通报各列。内容相同退出码为 0，不同为 1。"""
    from dataclasses import asdict
    from pathlib import Path

    from zhaoshang.config import load_targets
    from zhaoshang.render.plan_diff import diff as plan_diff

    changes = plan_diff(load_targets(Path(old), "OLD"), load_targets(Path(new), "NEW"))
    if json:
        print_json([asdict(c) for c in changes])
    elif not changes:
        typer.echo(f"{old} and {new} say the same")
    else:
        for change in changes:
            typer.echo(change.line())
        typer.echo(f"{len(changes)} changes")
    if changes:
        raise typer.Exit(1)


@app.command()
def backtest(
    draft: Annotated[str, typer.Argument(help="考核办法草案（指标文件）。", show_default=False)],
    year: Annotated[str, typer.Option(help="拿哪一年的台账来试算，如 2022、去年。", show_default=False)],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="截至此日试算（默认：该年最后一天，今年则为今天）。", show_default=False),
    ] = None,
    json: Json = False,
    width: Width = None,
    targets: TargetsFile = None,
    db: Db = None,
) -> None:
    """用往年台账试算考核办法草案：各单位按草案与按现行指标文件的得分和名次、名次变化由哪条规则决定、
    得分差距，以及无单位完成、全部完成或未拉开差距的规则。"""
    from pathlib import Path

    from zhaoshang import config
    from zhaoshang.backtest import backtest as try_draft
    from zhaoshang.db import reading
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.parse import year_period
    from zhaoshang.paths import targets_location
    from zhaoshang.reports import scores
    from zhaoshang.window import WindowAsked, resolve

    proposed = config.load_targets(Path(draft), "DRAFT")
    if not proposed.of_campaign(None).scoring:
        from zhaoshang.errors import ZsError

        raise ZsError("DRAFT", draft, "a quota file with year scoring rules (scoring:)", "it has none")
    in_force = config.load_targets(targets_location(targets))
    # Both files are tried on a year they were not written for: the plan's own year does not bind.
    window, day = resolve(WindowAsked("score", "--year", year, None, as_of), [], None, draft, today())
    period = year_period(window.start.year)
    quotas = {q.id: q for q in proposed.quotas}
    rules = [
        (r.id, quotas[r.quota].title if r.quota and r.title == r.id else r.title, r.points)
        for r in proposed.of_campaign(None).scoring
    ]
    with reading(open_ledger(db)) as session:
        draft_scores = scores(proposed.of_campaign(None), LedgerFacts(session, proposed.rates, draft), period, day)
        facts = LedgerFacts(session, in_force.rates, str(in_force.path))
        current_scores = scores(in_force.of_campaign(None), facts, period, day)
    region = proposed.region or in_force.region
    report = try_draft(region, period, day, draft, str(in_force.path), draft_scores, current_scores, rules)
    if json:
        return print_json({"report": "backtest"} | _backtest_dict(report))
    from zhaoshang.render.report_table import print_backtest

    print_backtest(report)


def _backtest_dict(report) -> dict:
    from dataclasses import asdict

    return {
        "region": report.region,
        "year": report.year,
        "as_of": report.as_of,
        "draft": report.draft,
        "in_force": report.in_force,
        "units": [asdict(u) | {"moved": u.moved} for u in report.units],
        "spread": {
            name: {"highest": s.highest, "lowest": s.lowest, "range": s.range}
            for name, s in (("in_force", report.in_force_spread), ("draft", report.draft_spread))
        },
        "rules": [asdict(r) for r in report.rules],
    }
