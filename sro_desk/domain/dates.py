"""Date arithmetic and parsing shared by every rule that counts time.

Month arithmetic follows how a person reads "within 6 months": the same day number N months
later, or the last day of that month when it has no such day (31 August + 6 months = the last
day of February). This is ``dateutil.relativedelta``'s rule, which we rely on rather than
re-deriving it.
"""

from __future__ import annotations

import datetime as dt
import re

_MDY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+)?\s*$")

YES = frozenset({"yes", "y", "true", "1", "x"})
NO = frozenset({"no", "n", "false", "0", ""})


EARLIEST_DATE = dt.date(1990, 1, 1)
YEARS_AHEAD = 10
"""Every date a person enters or imports lies from 1 January 1990 to 10 years after today.

A program that tracks staff training, calls and complaints has no business with earlier or later
dates; ``0001-01-01`` is a student-information-system placeholder for "no date", and a year 9999
is a typing slip. Dates already stored outside the range (an older file) still open and show:
arithmetic on them is clamped (``add_months``, ``add_days``) instead of raising."""


def latest_date(today: dt.date) -> dt.date:
    """The last date a person may enter: ten years after ``today``."""
    return add_years(today, YEARS_AHEAD)


def date_range_problem(value: dt.date, today: dt.date) -> str | None:
    """Why ``value`` is outside the range a person may enter, in words, or ``None``."""
    if value < EARLIEST_DATE:
        return (f"{value.isoformat()} is before {format_date(EARLIEST_DATE)}; "
                "leave the cell empty if there is no date")
    last = latest_date(today)
    if value > last:
        return (f"{value.isoformat()} is more than {YEARS_AHEAD} years from today "
                f"(the latest date accepted is {format_date(last)})")
    return None


def check_date_range(value: dt.date, today: dt.date) -> dt.date:
    """``value`` if it is within the range, else ``ValueError`` with the reason (for a row problem)."""
    problem = date_range_problem(value, today)
    if problem is not None:
        raise ValueError(problem)
    return value


def parse_entered_date(value: object, today: dt.date) -> dt.date:
    """``parse_date`` plus the range every entered or imported date must lie in."""
    return check_date_range(parse_date(value), today)


def parse_optional_entered_date(value: object, today: dt.date) -> dt.date | None:
    parsed = parse_optional_date(value)
    return None if parsed is None else check_date_range(parsed, today)


def _clamped(start: dt.date, delta: object, forward: bool) -> dt.date:
    try:
        result: dt.date = start + delta  # type: ignore[operator]
    except (OverflowError, ValueError):
        return dt.date.max if forward else dt.date.min
    return result


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole months, clamped to the month's last day; past year 9999 (or before
    year 1) it stops at ``date.max`` (``date.min``) rather than raising."""
    from dateutil.relativedelta import relativedelta  # not needed at start-up

    return _clamped(start, relativedelta(months=months), months >= 0)


def add_years(start: dt.date, years: int) -> dt.date:
    """``start`` plus whole years; 29 February becomes 28 February in a common year. Clamped at
    the calendar's ends like ``add_months``."""
    from dateutil.relativedelta import relativedelta

    return _clamped(start, relativedelta(years=years), years >= 0)


def add_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus days, clamped at ``date.min``/``date.max`` instead of ``OverflowError``."""
    return _clamped(start, dt.timedelta(days=days), days >= 0)


def parse_date(value: object) -> dt.date:
    """A date from a cell: a real date, ISO ``2025-09-02`` or US ``9/2/2025``.

    Raises ``ValueError`` with a message fit for a row-level import problem.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValueError("date is missing")
    match = _ISO.match(text)
    try:
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = _MDY.match(text)
        if match:
            return dt.date(int(match[3]), int(match[1]), int(match[2]))
    except ValueError:
        raise ValueError(f"'{text}' is not a real calendar date") from None
    raise ValueError(f"'{text}' is not a date (use YYYY-MM-DD or M/D/YYYY)")


def parse_optional_date(value: object) -> dt.date | None:
    """Like ``parse_date`` but an empty cell is ``None``."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return parse_date(value)


def parse_yes_no(value: object) -> bool:
    """yes/no/y/n/true/false/1/0 (any case); an empty cell is no. Raises ``ValueError``."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = "" if value is None else str(value).strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(f"'{value}' is not yes or no")


def format_date(value: dt.date | None) -> str:
    """How dates read in the program and its documents: 2 March 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%B %Y}"


def format_short_date(value: dt.date | None) -> str:
    """The same style, compact, where space is tight (a matrix cell): 2 Mar 2026."""
    if value is None:
        return ""
    return f"{value.day} {value:%b %Y}"


def display_text(value: object) -> str:
    """Any field as the program shows it, on screen and on paper alike: dates as "2 March 2026",
    booleans as yes/no, whole floats without ".0", nothing for ``None``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
