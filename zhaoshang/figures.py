"""Figures a ledger cannot count, reported by hand per period (手工填报): 外贸进出口, 实际使用外资,
固定资产投资. A figure belongs to a unit or, with no unit, to the whole region — for one name and
period, one or the other, so that a region-wide quota never counts the same money twice. Setting a
name, period and unit again corrects the figure (in the history), never adds to it; a name typed
with a space or full-width letters (外贸 进出口) is the held name that reads the same. A figure
set by mistake is voided with a reason: it stays, marked, and no longer counts or holds its place.
"""

from sqlmodel import Session, select

from zhaoshang.errors import ZsError
from zhaoshang.facts import row_in_yuan
from zhaoshang.labels import Currency
from zhaoshang.ledger import _money, _stamp, _text, _void, find_unit, spaced, squeezed
from zhaoshang.models import ReportedFigure, Unit
from zhaoshang.parse import Period, check_amount
from zhaoshang.records import FigureRecord

LIVE = ReportedFigure.voided_at.is_(None)  # a voided figure counts nowhere and holds no place


def set_figure(
    session: Session,
    name: str,
    period: Period,
    amount_yuan: int,
    unit: str | None = None,
    note: str | None = None,
    currency: Currency | None = None,
) -> tuple[FigureRecord, int | None]:
    """(the figure, the amount it replaced or None if it is new). With `currency`, the amount is in
    that currency (实际使用外资 3000万美元), kept as typed and converted where it is counted."""
    name = _text(name, "NAME", required=True)
    if squeezed(name) != name:  # 外贸 进出口, 外贸进出口: the held figure's name, where one reads the same
        held = session.exec(select(ReportedFigure.name).distinct()).all()
        name = spaced(held).get(squeezed(name), name)
    check_amount(amount_yuan, "--value")
    owner = find_unit(session, unit) if unit else None
    same = select(ReportedFigure).where(
        ReportedFigure.name == name,
        ReportedFigure.period_start == period.start,
        ReportedFigure.period_end == period.end,
        LIVE,
    )
    found = session.exec(same.with_for_update()).all()
    mine = [f for f in found if f.unit_id == (owner.id if owner else None)]
    others = [f for f in found if f.unit_id != (owner.id if owner else None)]
    if owner is None and others:
        units = session.exec(select(Unit.name).where(Unit.id.in_([f.unit_id for f in others])).order_by(Unit.id))
        raise ZsError(
            "--unit",
            "",
            f"a unit: {name} {period.label} is reported per unit already, by {'、'.join(units)}",
            "a region-wide figure beside them would count the same money twice",
        )
    if owner is not None and any(f.unit_id is None for f in others):
        raise ZsError(
            "--unit",
            owner.name,
            f"no unit: {name} {period.label} is reported for the whole region already",
            "a unit's figure beside it would count the same money twice",
        )
    _refuse_overlap(session, name, period, owner)
    if mine:
        figure = mine[0]
        before = figure.amount_original if figure.currency else figure.amount_yuan
        for column, value in _money(amount_yuan, currency).items():
            setattr(figure, column, value)
        if note is not None:
            figure.note = _text(note, "--note")
    else:
        before = None
        figure = _new_figure(session, name, period, owner, amount_yuan, currency, note)
    session.add(figure)
    session.flush()
    return _record(session, figure, owner.name if owner else None), before


def void_figure(session: Session, figure_id: int, reason: str) -> FigureRecord:
    """Void a figure set by mistake: it stays, marked with the reason, and no longer counts; the
    name, period and unit are free to be set again."""
    figure = _void(session, ReportedFigure, figure_id, reason, "a reported figure (see `zs figure list`)")
    owner = session.get(Unit, figure.unit_id) if figure.unit_id is not None else None
    return _record(session, figure, owner.name if owner else None)


def add_voided_figure(
    session: Session,
    name: str,
    period: Period,
    amount_yuan: int,
    unit: str | None,
    note: str | None,
    currency: Currency | None,
    reason: str,
) -> bool:
    """Add a figure voided already (a sheet's row with its 作废原因, as `zs export` writes one),
    unless the ledger holds the same one voided; it corrects nothing and nothing refuses it."""
    owner = find_unit(session, unit) if unit else None
    figure = _new_figure(session, _text(name, "NAME", required=True), period, owner, amount_yuan, currency, note)
    figure.voided_at, figure.void_reason = session.info["now"], _text(reason, "--reason", required=True)
    if _held_voided(session, figure):
        return False
    session.add(figure)
    return True


def _new_figure(
    session: Session,
    name: str,
    period: Period,
    owner: Unit | None,
    amount_yuan: int,
    currency: Currency | None,
    note: str | None,
) -> ReportedFigure:
    return ReportedFigure(
        name=name,
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        unit_id=owner.id if owner else None,
        **_money(amount_yuan, currency),
        note=_text(note, "--note"),
        **_stamp(session),
    )


def _held_voided(session: Session, figure: ReportedFigure) -> bool:
    twin = select(ReportedFigure.id).where(
        ReportedFigure.name == figure.name,
        ReportedFigure.period_start == figure.period_start,
        ReportedFigure.period_end == figure.period_end,
        ReportedFigure.unit_id == figure.unit_id,
        ReportedFigure.void_reason == figure.void_reason,
    )
    return session.exec(twin.limit(1)).first() is not None


def _record(session: Session, f: ReportedFigure, unit: str | None) -> FigureRecord:
    currency = Currency(f.currency) if f.currency else None
    return FigureRecord(
        f.id,
        f.name,
        f.period,
        f.period_start,
        f.period_end,
        unit,
        row_in_yuan(f, session),
        f.note,
        currency,
        f.amount_original,
        f.void_reason,
    )


def merged_figure(session: Session, figure: ReportedFigure, ledger: str) -> bool:
    """Whether a figure another ledger brings (its unit already this ledger's) is to be added: not
    when this ledger holds the same figure with the same amount; refused when it holds it with
    another amount, or holds the figure for a period overlapping it, for its unit or the whole
    region — either would count the same money twice. A voided figure counts nowhere: it is added
    unless this ledger holds it voided already."""
    if figure.void_reason is not None:
        return not _held_voided(session, figure)
    same = select(ReportedFigure).where(
        ReportedFigure.name == figure.name,
        ReportedFigure.period_start == figure.period_start,
        ReportedFigure.period_end == figure.period_end,
        LIVE,
    )
    held = [f for f in session.exec(same) if f.unit_id == figure.unit_id or None in (f.unit_id, figure.unit_id)]
    owner = session.get(Unit, figure.unit_id) if figure.unit_id is not None else None
    whose = owner.name if owner else "全区"
    for f in held:
        if f.unit_id == figure.unit_id and (f.amount_yuan, f.currency, f.amount_original) == (
            figure.amount_yuan,
            figure.currency,
            figure.amount_original,
        ):
            return False
        raise ZsError(
            "LEDGER",
            ledger,
            "a ledger whose reported figures this one does not hold otherwise (correct one of them first)",
            f"{figure.name} {figure.period} {whose} is reported in both, "
            + (
                "with other amounts"
                if f.unit_id == figure.unit_id
                else "for a unit in one and the whole region in the other"
            ),
        )
    period = Period("", figure.period, figure.period_start, figure.period_end)
    try:
        _refuse_overlap(session, figure.name, period, owner)
    except ZsError as exc:
        raise ZsError(
            "LEDGER", ledger, "a ledger whose reported figures do not overlap this one's", exc.problem
        ) from None
    return True


def _refuse_overlap(session: Session, name: str, period: Period, owner: Unit | None) -> None:
    """Refuse a period that overlaps, without being, one the figure is reported for already by the
    same unit, or (either side for the whole region) by any: a figure counts in every period that
    holds it, so 2023Q1 beside 2023-01 would count January twice in the quarter and the year."""
    overlapping = select(ReportedFigure, Unit.name).outerjoin(Unit, Unit.id == ReportedFigure.unit_id)
    overlapping = overlapping.where(
        ReportedFigure.name == name,
        ReportedFigure.period_start <= period.end,
        ReportedFigure.period_end >= period.start,
        (ReportedFigure.period_start != period.start) | (ReportedFigure.period_end != period.end),
        LIVE,
    )
    if owner is not None:
        overlapping = overlapping.where((ReportedFigure.unit_id == owner.id) | (ReportedFigure.unit_id.is_(None)))
    held = session.exec(overlapping.order_by(ReportedFigure.period_start).limit(1)).first()
    if held is not None:
        figure, whose = held
        raise ZsError(
            "--period",
            period.label,
            f"a period apart from {figure.period} (or that period itself, to correct it)",
            f"{name} {figure.period} {whose or '全区'} is reported already and overlaps it: "
            "a figure counts in every period that holds it, so both would count the same money twice",
        )


def list_figures(
    session: Session,
    name: str | None = None,
    unit: str | None = None,
    period: Period | None = None,
    voided: bool = True,
) -> list[FigureRecord]:
    """The figures held, live and (with `voided`) voided, by name, period and unit."""
    query = select(ReportedFigure, Unit.name).outerjoin(Unit, Unit.id == ReportedFigure.unit_id)
    if not voided:
        query = query.where(LIVE)
    if name is not None:
        query = query.where(ReportedFigure.name == name.strip())
    if unit is not None:
        query = query.where(ReportedFigure.unit_id == find_unit(session, unit).id)
    if period is not None:
        query = query.where(ReportedFigure.period_start >= period.start, ReportedFigure.period_end <= period.end)
    query = query.order_by(ReportedFigure.name, ReportedFigure.period_start, ReportedFigure.period_end, Unit.id)
    return [_record(session, f, unit_name) for f, unit_name in session.exec(query)]
