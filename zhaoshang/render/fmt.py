"""How figures read in Chinese offices: money in 亿元/万元, dates as ISO dates; text made safe to show."""

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from zhaoshang.money import WAN, YI
from zhaoshang.parse import unsafe_character


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


def money_typed(amount: int | None, currency) -> str:
    """An amount as typed in another currency: 10000000, USD -> '1000万美元' (`money` with its 元 swapped)."""
    from zhaoshang.labels import label

    return "" if amount is None else money(amount).removesuffix("元") + label(currency)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def span(start: date, end: date | None) -> str:
    """A trip's days: '2023-03-13', '2023-03-13~03-15', '2023-12-30~2024-01-02'."""
    if end is None or end == start:
        return start.isoformat()
    tail = end.isoformat()[5:] if end.year == start.year else end.isoformat()
    return f"{start.isoformat()}~{tail}"


def shown(text: str) -> str:
    """Text as a terminal may receive it: every character `parse.check_text` refuses — a control
    such as ESC, which would recolour or move the terminal, or an invisible format character such
    as a bidi override — written as its escape (\\x1b, \\u202e). New text is refused at the door;
    this is for text stored before that, or merged in from an older ledger."""
    if unsafe_character(text) is None:
        return text
    return "".join(c if unsafe_character(c) is None else c.encode("unicode_escape").decode("ascii") for c in text)


# What XML 1.0 forbids beyond the characters `fmt.shown` escapes (a lone surrogate, U+FFFE, U+FFFF):
# openpyxl and python-docx would write them into a file no reader opens.
XML_FORBIDDEN = re.compile("[\\ud800-\\udfff\\ufffe\\uffff]")


def writable(text: str) -> str:
    """Text as a cell can hold it and a reader should see it: what the terminal shows escaped
    (`shown`: controls openpyxl refuses or a printer would garble, bidi and zero-width
    characters) and what XML forbids besides, each as its escape: '\\x07', '\\u200b', '\\uffff'."""
    return XML_FORBIDDEN.sub(lambda m: m[0].encode("unicode_escape").decode("ascii"), shown(text))


def writable_lines(text: str) -> str:
    """`writable`, line by line: the line breaks a cell's own lines are joined with (two notes of a
    month, a header over its unit) stay line breaks."""
    return "\n".join(writable(line) for line in text.split("\n"))
