"""How figures read in Chinese offices: money in 亿元/万元, dates as ISO dates."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

YI = 100_000_000
WAN = 10_000


def _trim(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(yuan: int | Decimal | None) -> str:
    """For reading: 150000000 -> '1.5亿元', 50000000 -> '5000万元', 12345 -> '1.23万元', 800 -> '800元'.

    Shown to 1万 in 亿元 and to 100元 in 万元; JSON and xlsx carry the exact yuan.
    """
    if yuan is None:
        return ""
    amount = Decimal(yuan)
    sign, amount = ("-", -amount) if amount < 0 else ("", amount)
    if amount >= YI:
        return f"{sign}{_trim((amount / YI).quantize(Decimal('0.0001'), ROUND_HALF_UP))}亿元"
    if amount >= WAN:
        return f"{sign}{_trim((amount / WAN).quantize(Decimal('0.01'), ROUND_HALF_UP))}万元"
    return f"{sign}{_trim(amount.quantize(Decimal(1), ROUND_HALF_UP))}元"


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def span(start: date, end: date | None) -> str:
    """A trip's days: '2023-03-13', '2023-03-13~03-15', '2023-12-30~2024-01-02'."""
    if end is None or end == start:
        return start.isoformat()
    tail = end.isoformat()[5:] if end.year == start.year else end.isoformat()
    return f"{start.isoformat()}~{tail}"
