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


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole months, clamped to the month's last day."""
    from dateutil.relativedelta import relativedelta  # not needed at start-up

    result: dt.date = start + relativedelta(months=months)
    return result


def add_years(start: dt.date, years: int) -> dt.date:
    """``start`` plus whole years; 29 February becomes 28 February in a common year."""
    from dateutil.relativedelta import relativedelta

    result: dt.date = start + relativedelta(years=years)
    return result


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
