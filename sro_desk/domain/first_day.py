"""Is the recorded first day with students a day with students?

RCW 28A.400.345(2) counts the training series from the first day "working on school property when
students are expected to be present". A first day that falls in the summer, on a weekend or on a
closure starts the 6-month clock early. It is a warning, never a refusal: summer school is real,
and the coordinator knows whether students were there. The warning names the first school day the
coordinator may have meant (the next day with students on the district's calendar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import school_year_label_for
from sro_desk.domain.school_calendar import DistrictCalendar, SchoolCalendar, weekday_name

SEARCH_DAYS = 400
"""How far ahead to look for the next school day (past a summer break and a missing year)."""


def calendar_with_years(
    calendar: DistrictCalendar, years: Iterable[tuple[str, dt.date, dt.date]]
) -> DistrictCalendar:
    """The entered calendars, plus the roster's school years (first..last day, weekdays only)
    for every year whose calendar has not been entered."""
    entered = {c.label for c in calendar.years}
    extra = [SchoolCalendar(label, first, last) for label, first, last in years
             if label not in entered and first <= last]
    result = calendar
    for year in extra:
        try:
            result = result.replace_year(year)
        except ValidationError:  # overlaps an entered year: the entered calendar decides
            continue
    return result


def next_school_day(calendar: DistrictCalendar, day: dt.date) -> dt.date | None:
    """The first day after ``day`` that the calendar knows to be a school day."""
    candidate = day
    for _ in range(SEARCH_DAYS):
        candidate += dt.timedelta(days=1)
        if calendar.is_school_day(candidate) is True:
            return candidate
    return None


def first_day_warning(day: dt.date | None, calendar: DistrictCalendar) -> str | None:
    """A warning in words when ``day`` is not a day with students, else ``None``.

    ``None`` too when no entered school year can say (nothing to compare against).
    """
    if day is None:
        return None
    verdict = calendar.is_school_day(day)
    reason = calendar.why_not_school_day(day)
    if verdict is None:
        # outside every entered year: the year the date belongs to (July to June) may still say
        own = calendar.year(school_year_label_for(day))
        reason = own.why_not_school_day(day) if own is not None else (
            "weekend" if day.weekday() >= 5 else None)
        verdict = reason is None
    if verdict:
        return None
    else:
        reason = reason or "not a school day"
        if reason == "weekend":
            why = "a weekend"
        elif reason.startswith(("before ", "after ")):
            why = reason
        elif reason.startswith("summer"):
            why = f"in the {reason}"
        else:
            why = f"a day without students ({reason})"
    meant = next_school_day(calendar, day)
    text = (
        f"The first day with students, {weekday_name(day)} {format_date(day)}, is {why}: not a "
        "day with students on the district's calendar, yet the 6-month training deadline "
        "(RCW 28A.400.345(2)(b)) counts from it."
    )
    if meant is not None:
        text += f" Did you mean {weekday_name(meant)} {format_date(meant)}, the next school day?"
    return text + " (Keep it if students were there, e.g. summer school.)"
