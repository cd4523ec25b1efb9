"""Read what users really type: amounts, dates and periods. Pure: `today` is passed in."""

import re
import unicodedata
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from decimal import Decimal
from enum import StrEnum

from zhaoshang.errors import ZsError
from zhaoshang.money import WAN, YI

_UNIT_ORDER = {"亿": 8, "千万": 7, "百万": 6, "万": 4, "千": 3}  # a unit is 10**order yuan
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_TIMES = {"十": 1, "百": 2, "千": 3}
# One number of an amount with its unit: Arabic digits (then also 千万, 百万, 千), or a Chinese numeral below 万.
_AMOUNT_PART = re.compile(r"(\d[\d,]*(?:\.\d+)?)(亿|千万|百万|万|千)?|([零〇一二两三四五六七八九十百千点]+)(亿|万)?")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
AMOUNT_EXPECTED = "an amount in yuan such as 1.5亿, 5000万, 3,000万元, 一点五亿 or 120000000元"
# The largest amount any one record may hold: 10万亿元, a whole province's output for years. Far
# below int64, so that sums over a city's ledger cannot overflow on either database engine.
# The dates a record may hold, at every way in (commands, imports, targets.yaml).
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(2200, 12, 31)
MAX_AMOUNT_YUAN = 10 * WAN * YI  # 10万亿元
MAX_AMOUNT_SHOWN = "100000亿元 (10万亿元)"
# Characters refused in any text a user types or a file brings: C0 and C1 controls (a bell, a NUL,
# an escape that recolours the terminal; they also make an xlsx unwritable), and the invisible
# format characters — zero-width spaces and joiners, bidi overrides, the BOM — that make 萧\u200b镇
# look like 萧镇 while being another unit; U+FFFE/U+FFFF and lone surrogates (bytes that were not
# UTF-8), which no xlsx may hold. Tab and newline are refused too: every field is one line.
_UNSAFE_TEXT = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\ufeff\ufff9-\ufffb\ufffe\uffff\ud800-\udfff]"
)


class BareAmount(ZsError):
    """A number without a unit (15000) where none may be assumed: 15000元 or 15000万?"""


@dataclass(frozen=True)
class _Number:
    """One number of an amount: its value, the order of its leading digit, its digits when it is a
    plain group of digits (the 5 of 1亿5; not 5.5, 五十 or 零五), and whether it begins with 零."""

    value: Decimal
    top: int
    digits: str | None = None
    after_zero: bool = False


def _normalize(text: str) -> str:
    """Full-width digits and punctuation to ASCII, spaces removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(text)))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f")


def _arabic(number: str) -> _Number | None:
    """Digits as written: 5000, 1.5, 3,000; None when a comma does not separate thousands (1,5)."""
    whole, _, fraction = number.partition(".")
    if "," in whole and not _THOUSANDS.fullmatch(whole):
        return None
    whole = whole.replace(",", "")
    return _Number(Decimal(f"{whole}.{fraction}" if fraction else whole), len(whole) - 1, None if fraction else whole)


def _chinese(numeral: str) -> _Number | None:
    """A Chinese numeral below 万 — 五, 十二, 两千五百, 一千零五, 一点五 — or None if it is not one.

    A digit right after 千, 百 or 十 is the next order down (两千五 = 2500, as 2万5 = 2.5万); after 零
    it is units (一千零五 = 1005). Two digits in a row are refused: 三五万 is said for "3 to 5 万".
    """
    whole, point, fraction = numeral.partition("点")
    if not whole or (point and not fraction) or any(c not in _CN_DIGIT for c in fraction):
        return None
    value, top, last, digit, zero = 0, None, None, None, False
    for char in whole:
        if char in "零〇":
            if digit is not None or zero:
                return None
            zero = True
        elif char in _CN_DIGIT:
            if digit is not None:
                return None
            digit = _CN_DIGIT[char]
        else:
            order = _CN_TIMES[char]
            if last is not None and order >= last:
                return None
            if digit is None and not (char == "十" and (last is None or zero)):
                return None
            value += (1 if digit is None else digit) * 10**order
            top = order if top is None else top
            last, digit, zero = order, None, False
    if zero and digit is None and len(whole) > 1:
        return None  # 一千零: a 零 with nothing after it
    if digit is not None:
        value += digit * 10 ** (last - 1 if last is not None and not zero else 0)
    decimals = "".join(str(_CN_DIGIT[c]) for c in fraction)
    plain = str(digit) if last is None and digit and not zero and not point else None
    return _Number(
        Decimal(f"{value}.{decimals}" if decimals else value),
        top or 0,
        plain,
        after_zero=whole[0] in "零〇" and len(whole) > 1,
    )


def parse_amount(text: str | int, field: str = "amount", bare_unit: int | None = 1) -> int:
    """An amount of money as integer yuan: '1.5亿' -> 150000000, '3,000万元' -> 30000000.

    Arabic or Chinese numerals with 亿 and 万 (and 千万, 百万, 千 after Arabic digits), from the
    largest unit down: '1亿5000万', '一亿五千万', '两千五百万', '十二万', '一点五亿', '1亿五千万';
    '元', '人民币' and '¥' as written. Commas only between groups of three digits ('1,5亿' is
    refused: 1.5亿 or 15亿); a decimal point only in the last number ('1.5亿5000万' is refused).

    Plain digits after the last unit, with no unit of their own:
      - one digit is the next order down, as people say it: '1亿5' = 1.5亿, '2万5' = 2.5万,
        '一亿五' = 1.5亿, '十一万三' = 11.3万;
      - digits that fill exactly the orders below the unit read as written: '2万5000' = 25000,
        '十万三千' = 103000;
      - before '元', or after '零', they are yuan: '2万500元' = 20500, '十万零五' = 100005;
      - anything else ('1亿25', '2万500', '3万05', '1亿3000') is refused as ambiguous, naming the
        spellings that are not ('1.25亿 or 1亿25万').

    A bare number — no 万 or 亿, no 元 or ¥ — counts in units of `bare_unit` yuan: 1 for zs's own
    files and targets.yaml, 10000 under a header such as 投资额(万元). With `bare_unit=None` (the
    command line) it is refused with BareAmount ('15000元 or 15000万?'); 0 is 0 in any unit.
    Negative amounts and fractions of a yuan are refused.
    """
    shown = _normalize(str(text))
    s = shown.lstrip("¥")
    explicit = s != shown or s.endswith(("元", "人民币"))
    s = s.removesuffix("人民币").removesuffix("元")
    if s.startswith("-"):
        raise ZsError(field, text, "an amount that is not negative")
    parts: list[tuple[_Number, str, int | None, int]] = []  # number, unit, the unit's order, where it starts
    pos = 0
    while pos < len(s):
        match = _AMOUNT_PART.match(s, pos)
        if not match:
            raise ZsError(field, text, AMOUNT_EXPECTED)
        arabic = match[1] is not None
        written, unit = (match[1], match[2]) if arabic else (match[3], match[4])
        number = _arabic(written) if arabic else _chinese(written)
        if number is None and arabic:
            raise ZsError(field, text, _comma_hint(shown, written))
        order = _UNIT_ORDER.get(unit or "")
        if number is None or (parts and (parts[-1][2] is None or order is not None and order >= parts[-1][2])):
            raise ZsError(field, text, AMOUNT_EXPECTED)
        if parts and parts[-1][0].value != parts[-1][0].value.to_integral_value():
            raise ZsError(field, text, "a decimal point in the last number only, such as 1.55亿 or 1亿5500万")
        parts.append((number, unit or "", order, pos))
        pos = match.end()
    if not parts:
        raise ZsError(field, text, AMOUNT_EXPECTED)
    total = sum((n.value * 10**order for n, _, order, _ in parts if order is not None), Decimal(0))
    if parts[-1][2] is None:
        total += _trailing(parts, explicit, s, field, str(text)) if len(parts) > 1 else parts[-1][0].value
    if total and not explicit and all(order is None or order < 4 for _, _, order, _ in parts):
        if bare_unit is None:
            yuan = f"{_plain(total)}元 or " if total == total.to_integral_value() else ""
            raise BareAmount(field, text, f"{yuan}{_plain(total)}万?")
        total *= bare_unit
    if total != total.to_integral_value():
        raise ZsError(field, text, "a whole number of yuan (at most 4 decimals of 万, 8 of 亿)")
    return check_amount(int(total), field, text)


def check_amount(yuan: int, field: str, shown: object | None = None) -> int:
    """`yuan` if it is an amount a record may hold (0 to 10万亿元), else a ZsError naming the field."""
    if yuan < 0:
        raise ZsError(field, yuan if shown is None else shown, "an amount that is not negative")
    if yuan > MAX_AMOUNT_YUAN:
        raise ZsError(field, yuan if shown is None else shown, f"an amount of at most {MAX_AMOUNT_SHOWN}")
    return yuan


def unsafe_character(text: str) -> str | None:
    """The first character `check_text` refuses, named as U+XXXX, or None."""
    found = _UNSAFE_TEXT.search(text)
    return None if found is None else f"U+{ord(found[0]):04X}"


def check_text(text: str, field: str) -> str:
    """`text` unchanged if it holds no control or invisible format character, else a ZsError."""
    bad = unsafe_character(text)
    if bad is not None:
        raise ZsError(field, text, "text without control or invisible characters", f"it holds {bad}")
    return text


def _trailing(
    parts: list[tuple[_Number, str, int | None, int]], explicit: bool, s: str, field: str, text: str
) -> Decimal:
    """The yuan of the plain digits after the last unit (the rules are in parse_amount)."""
    (previous, unit, order, begins), number = parts[-2], parts[-1][0]
    assert order is not None  # the part before the trailing digits has a unit (parse_amount checks)
    if explicit or number.after_zero or number.top == order - 1:
        return number.value
    if number.digits and len(number.digits) == 1 and number.digits != "0":
        return number.value * Decimal(10) ** (order - 1)
    said = [f"{s[:begins]}{_plain(Decimal(f'{int(previous.value)}.{number.digits}'))}{unit}"] if number.digits else []
    said += [f"{s}万"] if unit == "亿" else []
    said += [f"{s}元"] if number.value == number.value.to_integral_value() else []
    if not said:
        raise ZsError(field, text, "a unit after the last number too, such as 2.55万 or 1亿5.5万")
    raise ZsError(field, text, " or ".join([", ".join(said[:-1]), said[-1]]) if len(said) > 1 else said[0])


def _comma_hint(shown: str, written: str) -> str:
    """What to type for a comma that does not separate thousands: 1,5亿 -> 1.5亿 or 15亿."""
    whole, _, fraction = written.partition(".")
    pieces = whole.split(",")
    if len(pieces) == 2 and all(pieces) and not fraction:
        said = [shown.replace(written, ".".join(pieces), 1), shown.replace(written, "".join(pieces), 1)]
        prefix = ""
    else:
        grouped = f"{int(whole.replace(',', '')):,}" + (f".{fraction}" if fraction else "")
        said, prefix = [shown.replace(written, grouped, 1)], "commas only between groups of three digits, such as "
    said = [spelling for spelling in said if _reads(spelling)]
    return prefix + " or ".join(said) if said else AMOUNT_EXPECTED


def _reads(spelling: str) -> bool:
    try:
        parse_amount(spelling)
    except ZsError:
        return False
    return True


_DATE_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})[日号]?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})"),
)
# A 台账 kept for one year often leaves the year out: 5月3日, 5/3, 5-3 (month, day).
_YEARLESS_FORMS = (re.compile(r"(\d{1,2})月(\d{1,2})[日号]?"), re.compile(r"(\d{1,2})[-/](\d{1,2})"))
_DAY_ONLY = re.compile(r"(\d{1,2})[日号]?")
# What separates the first and last day of a span in one cell (－ and ～ read as - and ~).
_SPAN_SEPARATORS = re.compile(r"[-~—–至到]")
# A time of day after a date, as a spreadsheet saved as CSV writes a date cell (2023-05-06 00:00:00):
# the day is the date's (spaces are gone by then: 2023-05-0600:00:00).
_TIME_OF_DAY = re.compile(r"(?<=[\d日号])t?\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_RELATIVE_DAYS = {"today": 0, "今天": 0, "今日": 0, "yesterday": -1, "昨天": -1, "tomorrow": 1, "明天": 1}
DATE_EXPECTED = "a date such as 2023-03-13, 2023/3/13, 2023年3月13日 or today"
YEAR_EXPECTED = "a date with its year, such as 2023年5月3日"


class NoYear(ZsError):
    """A date written without its year (5月3日) where no year is given to read it in."""


def _calendar(text: str, field: str, year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError as exc:
        raise ZsError(field, text, "a real calendar date", problem=str(exc)) from exc


def parse_date(text: str | date, today: date, field: str = "date", year: int | None = None) -> date:
    """A calendar date: '2023-03-13', '2023年3月13日', '2023/3/13', '20230313', 'today', any of them
    with a time of day after it ('2023-03-13 00:00:00', as a spreadsheet's CSV writes it); with `year`
    (a sheet's --year) also '5月3日', '5/3' and '5-3' in that year — without it they are NoYear,
    never silently this year."""
    if isinstance(text, date):
        return text
    s = _normalize(text).lower()
    if s in _RELATIVE_DAYS:
        return today + timedelta(days=_RELATIVE_DAYS[s])
    s = _TIME_OF_DAY.sub("", s) if ":" in s else s
    for form in _DATE_FORMS:
        match = form.fullmatch(s)
        if match:
            return _calendar(text, field, *(int(g) for g in match.groups()))
    for form in _YEARLESS_FORMS:
        match = form.fullmatch(s)
        if match and year is None:
            raise NoYear(field, text, YEAR_EXPECTED)
        if match and year is not None:
            return _calendar(text, field, year, *(int(g) for g in match.groups()))
    raise ZsError(field, text, DATE_EXPECTED)


def parse_span(text: str | date, today: date, field: str = "date", year: int | None = None) -> tuple[date, date | None]:
    """A date, or the first and last day of a span written in one cell: '2023年5月3日-5日',
    '2023年5月3日至5月5日', '2023/5/3-2023/5/5', '5月3日—5日' (with `year`); separated by - ~ — 至 or 到.
    The last day may leave out the year and month of the first. (first, None) for a single date."""
    if isinstance(text, date):
        return text, None
    try:
        return parse_date(text, today, field, year), None
    except ZsError as whole:
        s, yearless = _normalize(str(text)), None
        for separator in _SPAN_SEPARATORS.finditer(s):
            try:
                first = parse_date(s[: separator.start()], today, field, year)
            except NoYear:
                yearless = NoYear(field, text, YEAR_EXPECTED)
                continue
            except ZsError:
                continue
            last = _span_end(text, s[separator.end() :], first, today, field)
            if last is not None and last < first:
                raise ZsError(field, text, "a span of days whose last day is not before its first") from None
            if last is not None:
                return first, last
        raise (yearless or whole) from None


def _span_end(text: str, end: str, first: date, today: date, field: str) -> date | None:
    """The last day of a span as written after its separator (5日, 5月5日, 2023/5/5), in the
    year and month of its first day where it leaves them out; None if it is no date."""
    day = _DAY_ONLY.fullmatch(end)
    if day:
        return _calendar(text, field, first.year, first.month, int(day[1]))
    try:
        return parse_date(end, today, field, first.year)
    except ZsError:
        return None


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
    if MINYEAR <= year <= MAXYEAR:
        weeks = date(year, 12, 28).isocalendar().week  # the 28th of December is always in the last week
        if not 1 <= week <= weeks:
            raise ValueError(f"{year} has weeks 1 to {weeks}")
    start = date.fromisocalendar(year, week, 1)
    return Period("week", f"{year}-W{week:02d}", start, start + timedelta(days=6))


def half_month_period(year: int, month: int, half: int) -> Period:
    """半月: the 1st to the 15th (2023-08-H1), the 16th to the month's end (2023-08-H2)."""
    whole = month_period(year, month)
    if half == 1:
        return Period("half_month", f"{year}-{month:02d}-H1", whole.start, whole.start.replace(day=15))
    return Period("half_month", f"{year}-{month:02d}-H2", whole.start.replace(day=16), whole.end)


def first_monday(year: int) -> date:
    first = date(year, 1, 1)
    return first + timedelta(days=(7 - first.weekday()) % 7)


def fortnight_period(day: date, anchor: date | None = None, name: str = "") -> Period:
    """双周 holding `day`: fourteen days counted from `anchor` (a campaign's start, the period named
    `name`-F1, F2 …), else from the first Monday of the year (2023-F01 …). Days before a year's first
    Monday belong to the previous year's last fortnight, which runs to the day before it (21 days when
    the year holds 53 Mondays' worth)."""
    if anchor is not None:
        n = (day - anchor).days // 14
        start = anchor + timedelta(days=14 * n)
        return Period("fortnight", f"{name}-F{n + 1}", start, _days_on(start, 13))
    year = day.year if day >= first_monday(day.year) or day.year == MINYEAR else day.year - 1
    begin = first_monday(year) if year > MINYEAR else date.min
    # the year's last day of fortnights: the day before the next year's first Monday
    closing = first_monday(year + 1) - timedelta(days=1) if year < MAXYEAR else date.max
    last = max((closing - begin).days + 1, 14) // 14 - 1
    n = min((day - begin).days // 14, last)
    start = begin + timedelta(days=14 * n)
    end = closing if n == last else start + timedelta(days=13)
    return Period("fortnight", f"{year}-F{n + 1:02d}", start, end)


def _days_on(day: date, days: int) -> date:
    """`day` + `days`, or the last day a date can be."""
    return day + timedelta(days=min(days, (date.max - day).days))


_CN_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
PERIOD_EXPECTED = "a period such as 2023, 2023Q1, 2023-03, 2023-W07, 2023H1, 2023年3月, 本月, 上季度 or 去年"


def parse_period(text: str, field: str = "period", today: date | None = None) -> Period:
    """A reporting period as users name it. Given `today`, also the words of a clerk's month: 本月,
    上月, 本季度, 上季度, 今年, 去年, and a month, quarter or half without its year (9月, Q3, 第三季度,
    上半年: this year's)."""
    s = _normalize(text).upper()
    if today is not None:
        relative = _relative_period(s, today)
        if relative is not None:
            return relative
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
    except (ValueError, OverflowError) as exc:  # OverflowError: the last week of 9999 ends in 10000
        raise ZsError(field, text, PERIOD_EXPECTED, problem=str(exc)) from exc
    raise ZsError(field, text, PERIOD_EXPECTED)


def _relative_period(s: str, today: date) -> Period | None:
    """本月, 上月, 本季度, 上季度, 今年, 去年, 9月, Q3, 第三季度, 上半年 — seen from `today`; else None."""
    quarter = (today.month - 1) // 3 + 1
    if s in ("本月", "这个月", "当月"):
        return month_period(today.year, today.month)
    if s in ("上月", "上个月"):
        return month_period(today.year - (today.month == 1), 12 if today.month == 1 else today.month - 1)
    if s in ("本季度", "本季", "这个季度"):
        return quarter_period(today.year, quarter)
    if s in ("上季度", "上季", "上个季度"):
        return quarter_period(today.year - (quarter == 1), 4 if quarter == 1 else quarter - 1)
    if s in ("今年", "本年", "本年度"):
        return year_period(today.year)
    if s in ("去年", "上年", "上年度"):
        return year_period(today.year - 1)
    if m := re.fullmatch(r"(\d{1,2})月(?:份)?", s):
        return month_period(today.year, int(m[1])) if 1 <= int(m[1]) <= 12 else None
    if m := re.fullmatch(r"Q([1-4])|第?([一二三四1-4])季度", s):
        return quarter_period(today.year, int(m[1]) if m[1] else _CN_NUMBER[m[2]])
    if m := re.fullmatch(r"([上下])半年", s):
        return half_period(today.year, 1 if m[1] == "上" else 2)
    return None


def parse_money(text: str | int, field: str = "amount", bare_unit: int | None = 1) -> tuple[int, StrEnum | None]:
    """An amount and its currency: '1000万美元' -> (10000000, USD), 'USD500万' -> (5000000, USD), '1.5亿'
    -> (150000000, None), yuan. The number reads as `parse_amount` reads it, in units of the currency;
    with a currency named a bare number is plain (500美元)."""
    from zhaoshang.labels import LABELS, Currency

    shown = _normalize(str(text))
    upper = shown.upper()
    for code in Currency:
        name = LABELS[Currency][code][0]
        for word in (*LABELS[Currency][code], code.value):
            if upper.endswith(word.upper()):
                rest = shown[: -len(word)]
            elif upper.startswith(word.upper()):
                rest = shown[len(word) :]
            else:
                continue
            try:
                return parse_amount(rest, field, bare_unit=1), code
            except ZsError as exc:
                raise ZsError(field, text, f"{exc.expected}, in {name} (1000万{name})") from None
    return parse_amount(text, field, bare_unit=bare_unit), None
