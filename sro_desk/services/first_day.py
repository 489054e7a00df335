"""The first-day check against the district's calendar, for the staff dialog and the import."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sro_desk.domain.first_day import calendar_with_years, first_day_warning
from sro_desk.domain.school_calendar import DistrictCalendar
from sro_desk.store import calendar_repo, roster_repo


def district_calendar() -> DistrictCalendar:
    """Entered calendars (closures included), and the roster's school years for the rest."""
    years = [(y.label, y.first_day, y.last_day) for y in roster_repo.list_school_years()]
    return calendar_with_years(calendar_repo.load_district_calendar(), years)


def first_day_checker() -> Callable[[dt.date | None], str | None]:
    """A check that reads the calendar once, on the first date it is given (a dialog re-checks
    as the user types; an import of rows without first days never reads it)."""
    loaded: list[DistrictCalendar] = []

    def check(day: dt.date | None) -> str | None:
        if day is None:
            return None
        if not loaded:
            loaded.append(district_calendar())
        return first_day_warning(day, loaded[0])

    return check
