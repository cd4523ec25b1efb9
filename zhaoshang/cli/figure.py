"""`zs figure …`: figures a ledger cannot count, reported by hand per period (手工填报)."""

from typing import Annotated

import typer

from zhaoshang.cli.common import Csv, Db, Json, command_group, done, one_of, open_ledger, print_json, print_rows, today

app = command_group("figure")


@app.command("set")
def set_(
    name: Annotated[
        str, typer.Argument(metavar="NAME", help="The figure, e.g. 外贸进出口, 实际使用外资, 固定资产投资.")
    ],
    period: Annotated[str, typer.Option(help="The period it is for: 2023, 2023Q2, 2023-06.")],
    value: Annotated[str, typer.Option(help="The amount reported: 1.2亿, 3500万, 120000000元.")],
    unit: Annotated[str | None, typer.Option(help="The unit it is reported for; none: the whole region.")] = None,
    currency: Annotated[
        str | None,
        typer.Option(help="The currency of --value if not yuan: USD 美元, EUR, HKD, JPY, GBP (or 300万美元)."),
    ] = None,
    note: Annotated[str | None, typer.Option(help="Where it comes from (统计局 …), as free text.")] = None,
    db: Db = None,
) -> None:
    """Record a reported figure; setting the same name, period and unit again corrects it."""
    from zhaoshang import figures
    from zhaoshang.db import writing
    from zhaoshang.errors import ZsError
    from zhaoshang.labels import Currency, parse_code
    from zhaoshang.parse import parse_money, parse_period
    from zhaoshang.render.fmt import money, money_typed, shown

    span = parse_period(period, "--period", today())
    amount, typed = parse_money(value, "--value", bare_unit=1 if currency else None)
    given = parse_code(Currency, currency, "--currency") if currency else None
    if given is not None and typed is not None and typed is not given:
        raise ZsError("--currency", currency, f"the currency --value is in ({typed.value}), or no --currency")
    currency = given or typed
    with writing(open_ledger(db)) as session:
        record, before = figures.set_figure(session, name, span, amount, unit, note, currency)
    whose = record.unit or "全区"
    was = f" (was {money(before)})" if before is not None else ""
    typed = money_typed(record.amount_original, record.currency) if record.currency else money(record.amount_yuan)
    done(shown(f"set figure #{record.id} {record.name} {record.period} {whose}: {typed}{was}"))


@app.command("list")
def list_(
    name: Annotated[str | None, typer.Option(help="Only this figure.")] = None,
    unit: Annotated[str | None, typer.Option(help="Only this unit.")] = None,
    period: Annotated[str | None, typer.Option(help="Only periods within this one: 2023, 2023Q2.")] = None,
    db: Db = None,
    json: Json = False,
    csv: Csv = False,
) -> None:
    """List the reported figures by name and period."""
    from zhaoshang import figures
    from zhaoshang.db import reading
    from zhaoshang.parse import parse_period
    from zhaoshang.render.fmt import money, money_typed

    one_of(("--json", json), ("--csv", csv))
    span = parse_period(period, "--period", today()) if period else None
    with reading(open_ledger(db)) as session:
        rows = figures.list_figures(session, name=name, unit=unit, period=span)
    if json:
        return print_json(rows)
    print_rows(
        "填报数据",
        [("ID", "right"), ("名称", "left"), ("期间", "nowrap"), ("单位", "left"), ("数值", "right"), ("备注", "left")],
        [
            (
                str(f.id),
                f.name,
                f.period,
                f.unit or "全区",
                money_typed(f.amount_original, f.currency) if f.currency else money(f.amount_yuan),
                f.note or "",
            )
            for f in rows
        ],
        csv=csv,
    )
