from datetime import date

import pytest

from zhaoshang.errors import ZsError
from zhaoshang.parse import BareAmount, parse_amount, parse_date, parse_period

TODAY = date(2023, 3, 20)


@pytest.mark.parametrize(
    "text, yuan",
    [
        ("1.5亿", 150_000_000),
        ("1.5亿元", 150_000_000),
        ("5000万", 50_000_000),
        ("5000万元", 50_000_000),
        ("3,000万元", 30_000_000),
        ("3，000万元", 30_000_000),
        ("120000000", 120_000_000),
        ("120,000,000元", 120_000_000),
        ("¥120,000,000", 120_000_000),
        ("￥5000万", 50_000_000),
        ("１．５亿", 150_000_000),
        ("1亿5000万", 150_000_000),
        ("10亿", 1_000_000_000),
        ("0.0001万", 1),
        ("5千万", 50_000_000),
        ("3百万", 3_000_000),
        (" 800 元 ", 800),
        ("2000万元人民币", 20_000_000),
        ("0", 0),
        (150_000_000, 150_000_000),
        # a plain digit after the last unit is the next order down, as people say it
        ("1亿5", 150_000_000),
        ("2万5", 25_000),
        ("1亿2000万5", 120_005_000),
        ("5千5", 5_500),
        # digits that fill exactly the orders below the unit, or before 元, read as written
        ("2万5000", 25_000),
        ("2万0500", 20_500),
        ("2万500元", 20_500),
        ("2万5元", 20_005),
        # Chinese numerals, and Chinese mixed with Arabic
        ("五亿", 500_000_000),
        ("三千万", 30_000_000),
        ("一点五亿", 150_000_000),
        ("一点零五亿", 105_000_000),
        ("零点五万", 5_000),
        ("十二万", 120_000),
        ("十万", 100_000),
        ("一百一十万", 1_100_000),
        ("两千五百万", 25_000_000),
        ("两千五万", 25_000_000),
        ("一千零五十万", 10_500_000),
        ("一亿五千万", 150_000_000),
        ("一亿零五万", 100_050_000),
        ("一亿五", 150_000_000),
        ("二万五", 25_000),
        ("十一万三", 113_000),
        ("十万三千", 103_000),
        ("十万零五", 100_005),
        ("十万零五元", 100_005),
        ("三千亿", 300_000_000_000),
        ("八百元", 800),
        ("1亿五千万", 150_000_000),
        ("5000万元人民币", 50_000_000),
        ("零", 0),
    ],
)
def test_amounts_as_offices_write_them(text, yuan):
    assert parse_amount(text) == yuan


@pytest.mark.parametrize(
    "text, bare_unit, yuan",
    [
        ("15000", 10_000, 150_000_000),
        ("1.5", 10_000, 15_000),
        ("1,500", 10_000, 15_000_000),
        ("三千", 10_000, 30_000_000),
        ("0.3", 100_000_000, 30_000_000),
        ("15000元", 10_000, 15_000),
        ("1.5亿", 10_000, 150_000_000),
        ("0", None, 0),
        ("15000元", None, 15_000),
        ("¥15000", None, 15_000),
    ],
)
def test_a_bare_number_is_in_the_unit_given(text, bare_unit, yuan):
    assert parse_amount(text, bare_unit=bare_unit) == yuan


def test_amounts_are_exact_where_floats_are_not():
    # 0.1亿 + 0.2亿 in floats is 30000000.000000004 yuan; here it is exact.
    assert parse_amount("0.1亿") + parse_amount("0.2亿") == parse_amount("0.3亿") == 30_000_000
    assert parse_amount("1.23456789亿") == 123_456_789


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1.5e", "an amount in yuan"),
        ("abc", "an amount in yuan"),
        ("", "an amount in yuan"),
        ("万", "an amount in yuan"),
        ("5000万1亿", "an amount in yuan"),
        ("1.5亿亿", "an amount in yuan"),
        ("-5000万", "not negative"),
        ("－1亿", "not negative"),
        ("1.23456万", "a whole number of yuan"),
        ("0.5", "a whole number of yuan"),
        ("一亿多", "an amount in yuan"),
        ("三五万", "an amount in yuan"),  # "three to five 万"
        ("两三万", "an amount in yuan"),
        ("一二三", "an amount in yuan"),
        ("一千零", "an amount in yuan"),
        ("点五亿", "an amount in yuan"),
    ],
)
def test_bad_amounts_name_field_value_and_expectation(text, expected):
    with pytest.raises(ZsError) as caught:
        parse_amount(text, "--amount")
    message = str(caught.value)
    assert message.startswith(f"--amount {text!r}:")
    assert expected in message


@pytest.mark.parametrize(
    "text, expected",
    [
        ("15000", "15000元 or 15000万?"),  # a bare number, where no unit may be assumed (the command line)
        ("120,000,000", "120000000元 or 120000000万?"),
        ("三千", "3000元 or 3000万?"),
        ("5千", "5000元 or 5000万?"),
        ("0.5", "0.5万?"),
        ("1,5亿", "1.5亿 or 15亿"),
        ("1，5亿", "1.5亿 or 15亿"),
        ("3,00万元", "3.00万元 or 300万元"),
        ("1,50,000元", "commas only between groups of three digits, such as 150,000元"),
        ("1亿25", "1.25亿, 1亿25万 or 1亿25元"),
        ("1亿3000", "1.3亿, 1亿3000万 or 1亿3000元"),
        ("2万500", "2.5万 or 2万500元"),
        ("3万05", "3.05万 or 3万05元"),
        ("一亿三千", "一亿三千万 or 一亿三千元"),
        ("十万三百", "十万三百元"),
        ("1亿5.5", "1亿5.5万"),
        ("1.5亿5000万", "a decimal point in the last number only, such as 1.55亿 or 1亿5500万"),
    ],
)
def test_ambiguous_amounts_are_refused_with_what_to_type(text, expected):
    with pytest.raises(ZsError) as caught:
        parse_amount(text, "--amount", bare_unit=None)
    assert str(caught.value) == f"--amount {text!r}: expected {expected}"
    assert isinstance(caught.value, BareAmount) == expected.endswith("万?")


@pytest.mark.parametrize(
    "text, day",
    [
        ("2023-03-13", date(2023, 3, 13)),
        ("2023-3-13", date(2023, 3, 13)),
        ("2023/3/13", date(2023, 3, 13)),
        ("2023/03/13", date(2023, 3, 13)),
        ("2023.3.13", date(2023, 3, 13)),
        ("2023年3月13日", date(2023, 3, 13)),
        ("2023年03月13日", date(2023, 3, 13)),
        ("2023年3月13号", date(2023, 3, 13)),
        ("２０２３年３月１３日", date(2023, 3, 13)),
        ("20230313", date(2023, 3, 13)),
        ("2024-02-29", date(2024, 2, 29)),
        ("today", TODAY),
        ("Today", TODAY),
        ("今天", TODAY),
        ("yesterday", date(2023, 3, 19)),
        ("昨天", date(2023, 3, 19)),
        # a date cell of a spreadsheet saved as CSV, and times of day after a date: the date's day
        ("2023-05-06 00:00:00", date(2023, 5, 6)),
        ("2023/5/6 14:30", date(2023, 5, 6)),
        ("2023-05-06T08:00:00.000", date(2023, 5, 6)),
        ("2023年5月6日 9:30", date(2023, 5, 6)),
    ],
)
def test_dates_as_offices_write_them(text, day):
    assert parse_date(text, TODAY) == day


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2023-02-29", "a real calendar date"),
        ("2023-13-01", "a real calendar date"),
        ("2023年2月30日", "a real calendar date"),
        ("13/3/2023", "a date such as"),
        ("3月13日", "a date with its year"),  # no year to read it in: never silently this one
        ("3月13日 10:00", "a date with its year"),
        ("2023-02-30 00:00:00", "a real calendar date"),
        ("14:30", "a date such as"),  # a time with no date
        ("next week", "a date such as"),
        ("", "a date such as"),
    ],
)
def test_bad_dates_are_refused(text, expected):
    with pytest.raises(ZsError) as caught:
        parse_date(text, TODAY, "--date")
    assert str(caught.value).startswith(f"--date {text!r}:")
    assert expected in str(caught.value)


@pytest.mark.parametrize(
    "text, label, start, end",
    [
        ("2023", "2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023年", "2023", date(2023, 1, 1), date(2023, 12, 31)),
        ("2023Q1", "2023Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023q2", "2023Q2", date(2023, 4, 1), date(2023, 6, 30)),
        ("2023-Q4", "2023Q4", date(2023, 10, 1), date(2023, 12, 31)),
        ("2023年第一季度", "2023Q1", date(2023, 1, 1), date(2023, 3, 31)),
        ("2023年三季度", "2023Q3", date(2023, 7, 1), date(2023, 9, 30)),
        ("2023-03", "2023-03", date(2023, 3, 1), date(2023, 3, 31)),
        ("2023-3", "2023-03", date(2023, 3, 1), date(2023, 3, 31)),
        ("2023年3月", "2023-03", date(2023, 3, 1), date(2023, 3, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2023-02", "2023-02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2023-12", "2023-12", date(2023, 12, 1), date(2023, 12, 31)),
        ("2023-W07", "2023-W07", date(2023, 2, 13), date(2023, 2, 19)),
        ("2021-W01", "2021-W01", date(2021, 1, 4), date(2021, 1, 10)),
        ("2020-W53", "2020-W53", date(2020, 12, 28), date(2021, 1, 3)),  # a year of 53 ISO weeks
        ("2023H1", "2023H1", date(2023, 1, 1), date(2023, 6, 30)),
        ("2023年下半年", "2023H2", date(2023, 7, 1), date(2023, 12, 31)),
    ],
)
def test_periods(text, label, start, end):
    period = parse_period(text)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_period_length_counts_leap_days():
    assert parse_period("2024").days == 366
    assert parse_period("2023").days == 365
    assert parse_period("2024Q1").days == 91


@pytest.mark.parametrize("text", ["2023Q5", "2023-13", "2023-W54", "23", "Q1", "2023-03-01", ""])
def test_bad_periods_are_refused(text):
    with pytest.raises(ZsError) as caught:
        parse_period(text, "--period")
    assert str(caught.value).startswith(f"--period {text!r}:")
    assert "expected a period such as 2023, 2023Q1, 2023-03" in str(caught.value)


@pytest.mark.parametrize("text, weeks", [("2023-W53", 52), ("2023-W00", 52), ("2020-W54", 53)])
def test_a_week_the_year_does_not_have_says_how_many_it_has(text, weeks):
    with pytest.raises(ZsError) as caught:
        parse_period(text, "--period")
    assert str(caught.value).startswith(f"--period {text!r}: {text[:4]} has weeks 1 to {weeks}; expected a period")
