"""`zs figure …`: figures a ledger cannot count, reported by hand per period (手工填报)."""

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

app = command_group("figure")


@app.command("set")
def set_(
    name: Annotated[str, typer.Argument(metavar="NAME", help="指标名称，如 外贸进出口、实际使用外资、固定资产投资。")],
    period: Annotated[str, typer.Option(help="所属期间：2023、2023Q2、2023-06。")],
    value: Annotated[str, typer.Option(help="填报数值：1.2亿、3500万、120000000元。")],
    unit: Annotated[str | None, typer.Option(help="填报单位；不给则为全区。")] = None,
    currency: Annotated[
        str | None,
        typer.Option(
            help="--value 不是人民币时的币种：美元 USD、欧元 EUR、港元 HKD、日元 JPY、英镑 GBP（或直接写 300万美元）。"
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="数据来源（统计局 …），自由填写。")] = None,
    db: Db = None,
) -> None:
    """登记一项手工填报数；同一名称、期间和单位再次登记即为更正。"""
    from zhaoshang import figures
    from zhaoshang.db import writing
    from zhaoshang.errors import ZsError
    from zhaoshang.labels import Currency, parse_code
    from zhaoshang.parse import parse_money, parse_period
    from zhaoshang.render.fmt import money, shown

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
    done(shown(f"set figure #{record.id} {record.name} {record.period} {whose}: {_amount(record)}{was}"))


@app.command("void")
def void(
    figure_id: Annotated[int, typer.Argument(metavar="FIGURE_ID", help="填报数的编号（见 `zs figure list`）。")],
    reason: Annotated[str, typer.Option(help="作废原因，随记录保存。")],
    db: Db = None,
) -> None:
    """作废一项登记错的手工填报数（单位或期间错了）：记录仍留在台账中、加标记，不再计数；同一名称、期间和单位可重新登记。"""
    from zhaoshang import figures
    from zhaoshang.db import writing
    from zhaoshang.render.fmt import shown

    with writing(open_ledger(db)) as session:
        record = figures.void_figure(session, figure_id, reason)
    done(shown(f"voided figure #{record.id} {record.name} {record.period} {record.unit or '全区'}: {_amount(record)}"))


@app.command("list")
def list_(
    name: Annotated[str | None, typer.Option(help="只列此项。")] = None,
    unit: Annotated[str | None, typer.Option(help="只列此单位。")] = None,
    period: Annotated[str | None, typer.Option(help="只列此期间内的：2023、2023Q2。")] = None,
    voided: Annotated[bool, typer.Option("--voided/--no-voided", help="也列出已作废的填报数。")] = True,
    db: Db = None,
    json: Json = False,
    width: Width = None,
    csv: Csv = False,
) -> None:
    """按名称和期间列出手工填报数；已作废的也列出、加标记，但不计数。"""
    from zhaoshang import figures
    from zhaoshang.db import reading
    from zhaoshang.parse import parse_period

    one_of(("--json", json), ("--csv", csv))
    span = parse_period(period, "--period", today()) if period else None
    with reading(open_ledger(db)) as session:
        rows = figures.list_figures(session, name=name, unit=unit, period=span, voided=voided)
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
                _amount(f),
                f"已作废: {f.void_reason}" if f.void_reason else f.note or "",
            )
            for f in rows
        ],
        csv=csv,
    )


def _amount(figure) -> str:
    """A figure's amount as typed: in its own currency (300万美元), else in 亿元/万元."""
    from zhaoshang.render.fmt import money, money_typed

    return money_typed(figure.amount_original, figure.currency) if figure.currency else money(figure.amount_yuan)
