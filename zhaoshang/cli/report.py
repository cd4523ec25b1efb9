"""`zs report …`: where every unit stands against every quota — terminal, --json or --xlsx."""

from datetime import date
from typing import Annotated

import typer

from zhaoshang.cli.common import Db, Json, command_group, open_ledger, print_json, today

app = command_group("report")

AsOf = Annotated[str | None, typer.Option(
    "--as-of", help="Report as on this date (default: today, or the window's last day if that is earlier).",
    show_default=False)]
Xlsx = Annotated[str | None, typer.Option(
    help="Also write a print-ready workbook (with a 明细 sheet of every record counted) to this path.",
    show_default=False)]
Detail = Annotated[bool, typer.Option("--detail", help="List every record each quota row counted (JSON: details).")]
Targets = Annotated[str | None, typer.Option(
    help="Quota file. Default: $ZS_TARGETS, else ./config/targets.yaml, else the shipped one.", show_default=False)]


def _run(kind: str, window_text: str | None, as_of_text: str | None, db, targets, json: bool, xlsx: str | None,
         default_window, campaign_id: str | None = None, detail: bool = False) -> None:
    from zhaoshang import config
    from zhaoshang.db import reading
    from zhaoshang.errors import ZsError
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.parse import Period, parse_date, parse_period
    from zhaoshang.paths import targets_location
    from zhaoshang.reports import build

    now = today()
    spec = config.load_targets(targets_location(targets))
    as_of = parse_date(as_of_text, now, "--as-of") if as_of_text else None
    if campaign_id is not None:
        found = [c for c in spec.campaigns if c.id == campaign_id]
        if not found:
            known = ", ".join(c.id for c in spec.campaigns) or "none in this file"
            raise ZsError("campaign", campaign_id, f"a campaign of {spec.path} ({known})")
        window = Period("campaign", found[0].id, found[0].start, found[0].end)
    elif window_text:
        window = parse_period(window_text, f"--{kind if kind in ('month', 'quarter', 'year') else 'period'}")
    else:
        window = default_window(as_of or now)
    if as_of is None:
        as_of = min(now, window.end)
    engine = open_ledger(db)
    with reading(engine) as session:
        report = build(kind, spec, LedgerFacts(session), window, as_of, campaign_id, detail=detail or bool(xlsx))
    if xlsx:
        from zhaoshang.render.xlsx import write_report

        write_report(report, xlsx)
    if json:
        from zhaoshang.render.report_json import report_dict

        return print_json(report_dict(report))
    if xlsx:  # the workbook is what was asked for: say what is in it rather than print it all again
        typer.echo(f"wrote {xlsx}: {report.title}, {len(report.quotas)} quota rows, {len(report.units)} units, "
                   f"{len(report.key_projects)} key projects, {len(report.rankings)} rankings, "
                   f"{len(report.details)} records on the 明细 sheet")
        return
    from zhaoshang.render.report_table import print_report

    print_report(report, detail=detail)


def _month(day: date):
    from zhaoshang.parse import month_period

    return month_period(day.year, day.month)


def _quarter(day: date):
    from zhaoshang.parse import quarter_period

    return quarter_period(day.year, (day.month - 1) // 3 + 1)


def _year(day: date):
    from zhaoshang.parse import year_period

    return year_period(day.year)


@app.command()
def month(
    month: Annotated[str | None, typer.Option(help="The month, e.g. 2023-03 (default: as-of's month).")] = None,
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, detail: Detail = False, targets: Targets = None,
    db: Db = None,
) -> None:
    """一月一汇总: key projects 在谈未签约 and 签约未落地 with this month's progress, and the month's quotas."""
    _run("month", month, as_of, db, targets, json, xlsx, _month, detail=detail)


@app.command()
def quarter(
    quarter: Annotated[str | None, typer.Option(help="The quarter, e.g. 2023Q1 (default: as-of's quarter).")] = None,
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, detail: Detail = False, targets: Targets = None,
    db: Db = None,
) -> None:
    """季度通报: each unit's 省外到位资金, 过亿元项目, 签约, 外出招商; every quota; the rankings."""
    _run("quarter", quarter, as_of, db, targets, json, xlsx, _quarter, detail=detail)


@app.command()
def year(
    year: Annotated[str | None, typer.Option(help="The year, e.g. 2023 (default: as-of's year).")] = None,
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, detail: Detail = False, targets: Targets = None,
    db: Db = None,
) -> None:
    """年度通报: the quarterly bulletin for a whole year."""
    _run("year", year, as_of, db, targets, json, xlsx, _year, detail=detail)


@app.command()
def campaign(
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The campaign's id in targets.yaml.")],
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, detail: Detail = False, targets: Targets = None,
    db: Db = None,
) -> None:
    """A campaign's bulletin: its quotas to date and each unit's figures in its window."""
    _run("campaign", None, as_of, db, targets, json, xlsx, _year, campaign_id=campaign_id, detail=detail)


@app.command()
def rank(
    quarter: Annotated[str | None, typer.Option(help="Rank over this quarter, e.g. 2023Q3.")] = None,
    year: Annotated[str | None, typer.Option(help="Rank over this year instead.")] = None,
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, targets: Targets = None, db: Db = None,
) -> None:
    """竞赛榜: units of one track side by side; each metric scaled so the best is 100, weighted, ranked."""
    _run("rank", quarter or year, as_of, db, targets, json, xlsx, _year if year else _quarter)


@app.command()
def score(
    year: Annotated[str | None, typer.Option(help="The year, e.g. 2023 (default: as-of's year).")] = None,
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, targets: Targets = None, db: Db = None,
) -> None:
    """年终考核: each unit's points from the scoring rules, every bonus and deduction itemised."""
    _run("score", year, as_of, db, targets, json, xlsx, _year)


@app.command()
def alerts(
    as_of: AsOf = None, json: Json = False, xlsx: Xlsx = None, targets: Targets = None, db: Db = None,
) -> None:
    """预警: signed projects past their start deadline, silent key projects, blank units, quotas behind pace."""
    _run("alerts", None, as_of, db, targets, json, xlsx, _month)
