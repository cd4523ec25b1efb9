"""`zs report …`: where every unit stands against every quota — terminal, --json or --xlsx."""

import os
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from zhaoshang.cli.common import Db, Json, TargetsFile, command_group, open_ledger, print_json, today

if TYPE_CHECKING:
    from zhaoshang.config import Targets as Plan
    from zhaoshang.parse import Period
    from zhaoshang.reports import Report, ReportFacts

    # A report kind's builder: the plan, the ledger's facts, the window, as-of and whether to list details.
    Builder = Callable[[Plan, ReportFacts, Period, date, bool], Report]

app = command_group("report")

AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        help="Report as on this date (default: today, or the window's last day if that is earlier).",
        show_default=False,
    ),
]
Xlsx = Annotated[
    str | None,
    typer.Option(
        help="Also write a print-ready workbook (with a 明细 sheet of every record counted) to this path.",
        show_default=False,
    ),
]
Overwrite = Annotated[bool, typer.Option("--overwrite", help="Write --xlsx over a file that is there already.")]
Detail = Annotated[bool, typer.Option("--detail", help="List every record each quota row counted (JSON: details).")]
Targets = TargetsFile


def _run(
    build: "Builder",
    kind: str,
    option: str | None,
    window_text: str | None,
    as_of_text: str | None,
    db: str | None,
    targets: str | None,
    json: bool,
    xlsx: str | None,
    campaign_id: str | None = None,
    detail: bool = False,
    overwrite: bool = False,
) -> None:
    """Parse the window, build the report with `build` over one snapshot of the ledger, render it."""
    from zhaoshang import config
    from zhaoshang.db import reading
    from zhaoshang.errors import ZsError
    from zhaoshang.facts import LedgerFacts
    from zhaoshang.paths import targets_location
    from zhaoshang.window import WindowAsked, resolve

    if xlsx is not None and not xlsx.strip():
        raise ZsError("--xlsx", xlsx, "a file to write, such as 季度通报.xlsx")
    # A folder is refused as such when the workbook is written.
    if xlsx is not None and not overwrite and os.path.lexists(xlsx) and not os.path.isdir(xlsx):
        raise ZsError("--xlsx", xlsx, "a path with nothing there yet (or --overwrite to replace it)", "it exists")
    spec = config.load_targets(targets_location(targets))
    asked = WindowAsked(kind, option, window_text, campaign_id, as_of_text)
    window, as_of = resolve(asked, spec.campaigns, spec.year, str(spec.path), today())
    engine = open_ledger(db)
    with reading(engine) as session:
        facts = LedgerFacts(session, spec.rates, str(spec.path))
        report = build(spec, facts, window, as_of, detail or xlsx is not None)
    if xlsx is not None:
        from zhaoshang.render.xlsx import write_report

        write_report(report, xlsx)
    if json:
        from zhaoshang.render.report_json import report_dict

        shown = report_dict(report) | {"targets_file": str(spec.path)}
        if spec.rates:  # amounts in other currencies were converted at these (and said so)
            shown["rates"] = {code.value: f"{rate.normalize():f}" for code, rate in spec.rates.items()}
        return print_json(shown)
    if xlsx is not None:  # the workbook is what was asked for: say what is in it rather than print it all again
        from zhaoshang.render.words import contents

        typer.echo(f"wrote {xlsx}: {contents(report)}")
        return
    from zhaoshang.render.report_table import print_report

    print_report(report, detail=detail)
    if spec.rates:  # names the targets file too
        typer.echo(f"外币按 {spec.rates_text()} 折算（{spec.path}）")
    else:
        typer.echo(f"指标文件：{spec.path}")


@app.command()
def month(
    month: Annotated[str | None, typer.Option(help="The month, e.g. 2023-03 (default: as-of's month).")] = None,
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """一月一汇总: key projects 在谈未签约 and 签约未落地 with this month's progress, and the month's quotas."""
    from zhaoshang.reports import build_month

    _run(build_month, "month", "--month", month, as_of, db, targets, json, xlsx, detail=detail, overwrite=overwrite)


@app.command()
def quarter(
    quarter: Annotated[str | None, typer.Option(help="The quarter, e.g. 2023Q1 (default: as-of's quarter).")] = None,
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """季度通报: each unit's 省外到位资金, 过亿元项目, 签约, 外出招商; every quota; the rankings."""
    from zhaoshang.reports import build_quarter

    _run(
        build_quarter,
        "quarter",
        "--quarter",
        quarter,
        as_of,
        db,
        targets,
        json,
        xlsx,
        detail=detail,
        overwrite=overwrite,
    )


@app.command()
def year(
    year: Annotated[str | None, typer.Option(help="The year, e.g. 2023 (default: as-of's year).")] = None,
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """年度通报: the quarterly bulletin for a whole year."""
    from zhaoshang.reports import build_year

    _run(build_year, "year", "--year", year, as_of, db, targets, json, xlsx, detail=detail, overwrite=overwrite)


@app.command()
def campaign(
    campaign_id: Annotated[str, typer.Argument(metavar="ID", help="The campaign's id in targets.yaml.")],
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    detail: Detail = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """A campaign's bulletin: its quotas to date and each unit's figures in its window."""
    from zhaoshang.reports import build_campaign

    def build(spec, facts, window, as_of, detail):
        return build_campaign(spec, facts, campaign_id, window, as_of, detail)

    _run(
        build,
        "campaign",
        None,
        None,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign_id,
        detail=detail,
        overwrite=overwrite,
    )


Campaign = Annotated[
    str | None,
    typer.Option(
        "--campaign",
        help="A campaign's own rankings or score (专项考核、单独计分), over its window, apart from the year's.",
        show_default=False,
    ),
]


def _one_window(campaign: str | None, **given: str | None) -> None:
    """At most one of the window options: --campaign, --quarter, --year."""
    named = [(f"--{name}", value) for name, value in given.items() if value is not None]
    if campaign is not None:
        named.insert(0, ("--campaign", campaign))
    if len(named) > 1:
        from zhaoshang.errors import ZsError

        (first, _), (second, value) = named[:2]
        raise ZsError(second, value, f"either {first} or {second}, not both", f"{first} is given too")


@app.command()
def rank(
    quarter: Annotated[str | None, typer.Option(help="Rank over this quarter, e.g. 2023Q3.")] = None,
    year: Annotated[str | None, typer.Option(help="Rank over this year instead.")] = None,
    campaign: Campaign = None,
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """竞赛榜: units (or people) of one track side by side; each metric scaled so the best is 100,
    weighted, ranked; with the 红黑榜 drawn from them.

    Each ranking is measured over its own `per:` (the quarter, or the year to date) at the window's end;
    with --campaign, the campaign's own rankings over its window."""
    if campaign is None and quarter is not None and year is not None:
        from zhaoshang.errors import ZsError

        raise ZsError("--year", year, "either --quarter or --year, not both", f"--quarter {quarter} is given too")
    _one_window(campaign, quarter=quarter, year=year)
    from zhaoshang.reports import build_rank

    _run(
        lambda spec, facts, window, as_of, _detail: build_rank(spec, facts, window, as_of, campaign),
        "rank",
        "--year" if year is not None else "--quarter",
        year if year is not None else quarter,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign,
        overwrite=overwrite,
    )


@app.command()
def score(
    year: Annotated[str | None, typer.Option(help="The year, e.g. 2023 (default: as-of's year).")] = None,
    campaign: Campaign = None,
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """年终考核: each unit's points from the year's scoring rules, every bonus and deduction itemised;
    with --campaign, the campaign's own score by the rules declared in it (专项考核、单独计分)."""
    _one_window(campaign, year=year)
    from zhaoshang.reports import build_score

    _run(
        lambda spec, facts, window, as_of, _detail: build_score(spec, facts, window, as_of, campaign),
        "score",
        "--year",
        year,
        as_of,
        db,
        targets,
        json,
        xlsx,
        campaign_id=campaign,
        overwrite=overwrite,
    )


@app.command()
def alerts(
    as_of: AsOf = None,
    json: Json = False,
    xlsx: Xlsx = None,
    overwrite: Overwrite = False,
    targets: Targets = None,
    db: Db = None,
) -> None:
    """预警: signed projects past their start deadline, silent key projects, blank units, quotas behind pace."""
    from zhaoshang.reports import build_alerts

    _run(
        lambda spec, facts, window, as_of, _detail: build_alerts(spec, facts, window, as_of),
        "alerts",
        None,
        None,
        as_of,
        db,
        targets,
        json,
        xlsx,
        overwrite=overwrite,
    )
