"""Read what users really type: amounts, dates and periods. Pure: `today` is passed in."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from zhaoshang.errors import ZsError

_YUAN_PER = {"亿": 100_000_000, "千万": 10_000_000, "百万": 1_000_000, "万": 10_000, "千": 1_000, "": 1}
_AMOUNT_PART = re.compile(r"(\d+(?:\.\d+)?)(亿|千万|百万|万|千|)")
AMOUNT_EXPECTED = "an amount in yuan such as 1.5亿, 5000万, 3,000万元 or 120000000"


def _normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def parse_amount(text: str | int, field: str = "amount") -> int:
    """An amount of money as integer yuan: '1.5亿' -> 150000000, '3,000万元' -> 30000000.

    Compound spellings such as '1亿5000万' are read too. Negative amounts and fractions of a
    yuan are refused.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        if text < 0:
            raise ZsError(field, text, "an amount that is not negative")
        return text
    s = _normalize(text).replace(",", "").lstrip("¥￥")
    s = s.removesuffix("人民币").removesuffix("元")
    if s.startswith("-"):
        raise ZsError(field, text, "an amount that is not negative")
    if not s:
        raise ZsError(field, text, AMOUNT_EXPECTED)
    total = Decimal(0)
    pos = 0
    last_scale = None
    while pos < len(s):
        match = _AMOUNT_PART.match(s, pos)
        if not match or match.end() == pos:
            raise ZsError(field, text, AMOUNT_EXPECTED)
        scale = _YUAN_PER[match.group(2)]
        if last_scale is not None and scale >= last_scale:
            raise ZsError(field, text, AMOUNT_EXPECTED)
        try:
            total += Decimal(match.group(1)) * scale
        except InvalidOperation as exc:  # pragma: no cover - the regex admits only digits
            raise ZsError(field, text, AMOUNT_EXPECTED) from exc
        last_scale = scale
        pos = match.end()
    if total != total.to_integral_value():
        raise ZsError(field, text, "a whole number of yuan (at most 4 decimals of 万, 8 of 亿)")
    return int(total)


_DATE_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
_RELATIVE_DAYS = {"today": 0, "今天": 0, "今日": 0, "yesterday": -1, "昨天": -1, "tomorrow": 1, "明天": 1}
DATE_EXPECTED = "a date such as 2023-03-13, 2023/3/13, 2023年3月13日 or today"


def parse_date(text: str | date, today: date, field: str = "date") -> date:
    """A calendar date: '2023-03-13', '2023年3月13日', '2023/3/13', '20230313', 'today'."""
    if isinstance(text, date):
        return text
    s = _normalize(text).lower()
    if s in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[s])
    for form in _DATE_FORMS:
        match = form.fullmatch(s)
        if match:
            year, month, day = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError as exc:
                raise ZsError(field, text, "a real calendar date", problem=str(exc)) from exc
    raise ZsError(field, text, DATE_EXPECTED)


@dataclass(frozen=True)
class Period:
    """A span of days with a canonical name: 2023, 2023H1, 2023Q1, 2023-03, 2023-W07."""

    kind: str  # year | half | quarter | month | week
    label: str
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def year_period(year: int) -> Period:
    return Period("year", f"{year}", date(year, 1, 1), date(year, 12, 31))


def half_period(year: int, half: int) -> Period:
    start = date(year, 1 if half == 1 else 7, 1)
    end = date(year, 6, 30) if half == 1 else date(year, 12, 31)
    return Period("half", f"{year}H{half}", start, end)


def quarter_period(year: int, quarter: int) -> Period:
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return Period("quarter", f"{year}Q{quarter}", start, end - timedelta(days=1))


def month_period(year: int, month: int) -> Period:
    start = date(year, month, 1)
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period("month", f"{year}-{month:02d}", start, end - timedelta(days=1))


def week_period(year: int, week: int) -> Period:
    """ISO week: Monday to Sunday, named by its ISO year."""
    start = date.fromisocalendar(year, week, 1)
    return Period("week", f"{year}-W{week:02d}", start, start + timedelta(days=6))


_CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
PERIOD_EXPECTED = "a period such as 2023, 2023Q1, 2023-03, 2023-W07, 2023H1 or 2023年3月"


def parse_period(text: str, field: str = "period") -> Period:
    """A reporting period as users name it."""
    s = _normalize(text).upper()
    try:
        if m := re.fullmatch(r"(\d{4})年?(?:度|全年)?", s):
            return year_period(int(m[1]))
        if m := re.fullmatch(r"(\d{4})-?Q([1-4])", s):
            return quarter_period(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})年?第?([一二三四1-4])季度?", s):
            return quarter_period(int(m[1]), _CN_NUMBER[m[2]])
        if m := re.fullmatch(r"(\d{4})-?H([12])", s):
            return half_period(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})年?([上下])半年", s):
            return half_period(int(m[1]), 1 if m[2] == "上" else 2)
        if m := re.fullmatch(r"(\d{4})-?W(\d{1,2})", s):
            return week_period(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})(?:[-/.]|年)(\d{1,2})月?", s):
            return month_period(int(m[1]), int(m[2]))
    except ValueError as exc:
        raise ZsError(field, text, PERIOD_EXPECTED, problem=str(exc)) from exc
    raise ZsError(field, text, PERIOD_EXPECTED)
