"""The first day with students checked against the school year's days with students.

RCW 28A.400.345(2) counts the series from the first day "working on school property when students
are expected to be present"; a summer date, a weekend or a closure starts the clock early. A
warning (summer school is real) that names the first school day the coordinator may have meant.
"""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.first_day import calendar_with_years, first_day_warning, next_school_day
from sro_desk.domain.school_calendar import (
    DayOffKind,
    DistrictCalendar,
    NonSchoolDay,
    SchoolCalendar,
)

Y2526 = SchoolCalendar("2025-26", dt.date(2025, 9, 2), dt.date(2026, 6, 17))
Y2627 = SchoolCalendar(
    "2026-27", dt.date(2026, 9, 2), dt.date(2027, 6, 16),
    (NonSchoolDay(dt.date(2026, 11, 11), DayOffKind.HOLIDAY, "Veterans Day"),),
)
CAL = DistrictCalendar((Y2526, Y2627))


def test_a_school_day_gives_no_warning() -> None:
    assert first_day_warning(dt.date(2026, 9, 2), CAL) is None
    assert first_day_warning(None, CAL) is None


def test_a_summer_date_names_the_first_school_day() -> None:
    warning = first_day_warning(dt.date(2026, 8, 10), CAL)
    assert warning is not None
    assert "Monday 10 August 2026" in warning and "summer break" in warning
    assert "RCW 28A.400.345(2)(b)" in warning
    assert "Did you mean Wednesday 2 September 2026, the next school day?" in warning
    assert "summer school" in warning  # it stays a warning


def test_a_weekend_and_a_closure() -> None:
    saturday = first_day_warning(dt.date(2026, 9, 5), CAL)
    assert saturday is not None and "a weekend" in saturday
    assert "Did you mean Monday 7 September 2026" in saturday  # no closure entered that day
    closure = first_day_warning(dt.date(2026, 11, 11), CAL)
    assert closure is not None and "Veterans Day" in closure
    assert "Thursday 12 November 2026" in closure


def test_a_year_with_no_entered_calendar_uses_the_roster_year() -> None:
    only_years = calendar_with_years(DistrictCalendar(), [
        ("2026-27", dt.date(2026, 9, 2), dt.date(2027, 6, 16))])
    warning = first_day_warning(dt.date(2026, 8, 24), only_years)
    assert warning is not None and "before the first day of the 2026-27 school year" in warning
    assert next_school_day(only_years, dt.date(2026, 8, 24)) == dt.date(2026, 9, 2)
    # the entered calendar wins over the roster year of the same label
    both = calendar_with_years(CAL, [("2026-27", dt.date(2026, 8, 1), dt.date(2027, 6, 30))])
    assert both.year("2026-27") == Y2627


def test_no_calendar_at_all_still_catches_a_weekend() -> None:
    empty = DistrictCalendar()
    assert first_day_warning(dt.date(2026, 9, 2), empty) is None
    warning = first_day_warning(dt.date(2026, 9, 6), empty)
    assert warning is not None and "a weekend" in warning
