"""Which window a report covers and as of which day: a pure function of what was typed, the quota
file and today.

Each report kind takes periods of its own kind (`report quarter --quarter 2023Q1`, never
`--quarter 2023-03`), and a window must lie in the year of the plan in `targets.yaml` (`year:`),
unless it lies inside one of the file's campaigns: a plan's quotas mean nothing for another year.

A report is seen as of a day from 0001-01-01 to 9998-12-31, over a window that begins by then: the
periods it works with are those from the window's start to as-of and the one after, and the last
week, month and quarter of 9999 end in the year 10000, past the last day a calendar holds.
"""

from dataclasses import dataclass
from datetime import date

from zhaoshang.errors import ZsError
from zhaoshang.parse import Period, parse_date, parse_period
from zhaoshang.quota import Campaign, Per, period_of

FIRST_DAY, LAST_DAY = date(1, 1, 1), date(9998, 12, 31)
DAYS_EXPECTED = f"a day from {FIRST_DAY.isoformat()} to {LAST_DAY.isoformat()}"
KIND_WORDS = {"month": "a month such as 2023-03", "quarter": "a quarter such as 2023Q1", "year": "a year such as 2023"}
# The period kind each report's window option takes, and the window it defaults to.
WINDOW_KIND = {
    "month": "month",
    "quarter": "quarter",
    "year": "year",
    "score": "year",
    "alerts": "month",
    "forecast": "year",
}


@dataclass(frozen=True)
class WindowAsked:
    """What was typed: at most one window option (its name and text), a campaign id, an as-of date."""

    kind: str  # the report: month | quarter | year | campaign | rank | score | alerts
    option: str | None = None  # --month | --quarter | --year
    text: str | None = None
    campaign: str | None = None
    as_of: str | None = None


def resolve(
    asked: WindowAsked, campaigns: list[Campaign], plan_year: int | None, plan: str, today: date
) -> tuple[Period, date]:
    """(window, as_of). as_of defaults to today, or the window's last day if that is earlier."""
    as_of = _within_calendar(parse_date(asked.as_of, today, "--as-of"), asked.as_of) if asked.as_of else None
    title = None  # a campaign's, by which a refusal names it
    if asked.campaign is not None:
        typed = asked.campaign.strip()
        found = [c for c in campaigns if c.id == typed] or [c for c in campaigns if c.title == typed]
        if not found:
            known = ", ".join(f"{c.id} {c.title}" for c in campaigns) or "none in this file"
            raise ZsError("campaign", asked.campaign, f"a campaign of {plan}, by its id or title ({known})")
        window = Period("campaign", found[0].id, found[0].start, found[0].end)
        title = found[0].title
    elif asked.text is not None:
        assert asked.option is not None  # a window given as text came with its option
        kind = asked.option.removeprefix("--")
        try:
            window = parse_period(asked.text, asked.option, as_of or today)  # 本月, 上季度: seen from as-of
        except OverflowError as exc:  # a week of 9999 that ends in 10000
            raise ZsError(asked.option, asked.text, "a period that ends by 9999-12-31") from exc
        if window.kind != kind:
            raise ZsError(asked.option, asked.text, KIND_WORDS[kind], f"that is a {window.kind}")
    else:
        kind = asked.option.removeprefix("--") if asked.option else WINDOW_KIND[asked.kind]
        window = period_of(Per(kind), as_of or _within_calendar(today, "today"))
    named = title or window.label
    if window.start > LAST_DAY:
        raise ZsError(
            asked.option or "campaign",
            asked.text or asked.campaign,
            f"a window that begins by {LAST_DAY}",
            f"{named} begins {window.start}",
        )
    _in_plan_year(window, asked, campaigns, plan_year, plan)
    day = as_of if as_of is not None else _within_calendar(min(today, window.end), "today")
    if day < window.start:  # a report of a window not begun holds nothing: an empty bulletin misleads
        raise ZsError(
            "--as-of",
            asked.as_of or f"today ({today.isoformat()})",
            f"a day on or after {window.start.isoformat()}, when {named} begins",
            None if asked.as_of else "without --as-of a report is as of today",
        )
    return window, day


def _within_calendar(day: date, shown: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ZsError("--as-of", shown, DAYS_EXPECTED, "the weeks, months and quarters around it end after 9999-12-31")
    return day


def _in_plan_year(
    window: Period, asked: WindowAsked, campaigns: list[Campaign], plan_year: int | None, plan: str
) -> None:
    if plan_year is None or (window.start.year == plan_year and window.end.year == plan_year):
        return
    if any(c.start <= window.start and window.end <= c.end for c in campaigns):
        return
    kind = asked.option.removeprefix("--") if asked.option else WINDOW_KIND[asked.kind]
    problem = (
        f"{window.label} is not in {plan_year}"
        if asked.text
        else f"{window.label}, the {kind} of {'--as-of' if asked.as_of else 'today'}, is not in {plan_year}"
    )
    if asked.kind == "alerts":  # no window option: the window is the month of as_of
        raise ZsError(
            "--as-of",
            asked.as_of or "today",
            f"a day in {plan_year}, the year of the plan {plan} "
            f"(for {window.start.year}, pass that year's plan with --targets FILE)",
            problem,
        )
    raise ZsError(
        asked.option or f"--{kind}",
        asked.text or window.label,
        f"a window in {plan_year}, the year of the plan {plan} "
        f"(for {window.start.year}, pass that year's plan with --targets FILE)",
        problem,
    )
