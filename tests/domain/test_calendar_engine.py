"""The school-day deadline engine, on hand-checked cases and as properties.

Every expected date below was counted by hand on a paper calendar; the comments show the count.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.school_calendar import (
    DayOffKind,
    DayUnit,
    DeadlineBasis,
    DistrictCalendar,
    NonSchoolDay,
    SchoolCalendar,
    add_calendar_days,
    add_school_days,
    build_calendar,
    calendar_difference,
    calendar_problems,
    count_school_days,
    expand_range,
    format_range,
    new_day_off_problems,
    next_year_label,
    ordinal,
    recompute_deadlines,
)

D = dt.date
H = DayOffKind.HOLIDAY
B = DayOffKind.BREAK


def year_2025_26(extra: list[NonSchoolDay] | None = None) -> SchoolCalendar:
    days = [
        NonSchoolDay(D(2025, 11, 11), H, "Veterans Day"),
        *expand_range(D(2025, 11, 27), D(2025, 11, 28), B, "Thanksgiving break"),
        *expand_range(D(2025, 12, 22), D(2026, 1, 2), B, "Winter break"),
        NonSchoolDay(D(2026, 1, 19), H, "Martin Luther King Jr. Day"),
        NonSchoolDay(D(2026, 2, 16), H, "Presidents' Day"),
        *expand_range(D(2026, 4, 6), D(2026, 4, 10), B, "Spring break"),
        NonSchoolDay(D(2026, 5, 25), H, "Memorial Day"),
        *(extra or []),
    ]
    return build_calendar("2025-26", D(2025, 9, 2), D(2026, 6, 12), days)


def year_2026_27() -> SchoolCalendar:
    return build_calendar(
        "2026-27", D(2026, 9, 2), D(2027, 6, 11),
        [NonSchoolDay(D(2026, 9, 7), H, "Labor Day"),
         *expand_range(D(2026, 12, 21), D(2027, 1, 1), B, "Winter break")],
    )


ONE_YEAR = DistrictCalendar((year_2025_26(),))
TWO_YEARS = DistrictCalendar((year_2025_26(), year_2026_27()))


def test_holiday_on_the_plain_deadline_pushes_it_one_school_day() -> None:
    # Received Mon 27 Apr. 28,29,30 Apr (3), 1 May (4), 4-8 (9), 11-15 (14), 18-22 (19),
    # Mon 25 May is Memorial Day, Tue 26 May is the 20th school day.
    calc = add_school_days(ONE_YEAR, D(2026, 4, 27), 20)
    assert calc.due == D(2026, 5, 26)
    assert (D(2026, 5, 25), D(2026, 5, 25), "Memorial Day (holiday)") in calc.skipped_ranges()
    assert calc.explanation_lines()[-1] == (
        "Result: Tuesday 26 May 2026, 20th school day after the start."
    )


def test_break_spanning_the_deadline() -> None:
    # Received Mon 15 Dec. 16-19 Dec (4), winter break 22 Dec - 2 Jan, 5-9 Jan (9),
    # 12-16 (14), MLK 19 Jan, 20-23 (18), 26, 27 (20).
    calc = add_school_days(ONE_YEAR, D(2025, 12, 15), 20)
    assert calc.due == D(2026, 1, 27)
    text = calc.explanation()
    assert "22 December 2025 – 2 January 2026: Winter break" in text
    assert "Martin Luther King Jr. Day (holiday)" in text
    assert "27–28 December 2025: weekend" not in text  # weekends inside the break read as one run
    assert calc.carried_into is None


def test_snow_day_after_intake_moves_the_deadline_and_says_why() -> None:
    # Received Mon 2 Feb. 3-6 (4), 9-13 (9), Presidents' Day 16 Feb, 17-20 (13), 23-27 (18),
    # 2 Mar (19), 3 Mar (20). A snow day on Thu 12 Feb makes it Wed 4 Mar.
    before = ONE_YEAR
    assert add_school_days(before, D(2026, 2, 2), 20).due == D(2026, 3, 3)
    snow = NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day")
    after = DistrictCalendar((before.years[0].with_days_off([snow]),))
    calc = add_school_days(after, D(2026, 2, 2), 20)
    assert calc.due == D(2026, 3, 4)
    assert "12 February 2026: Snow day (emergency closure)" in calc.explanation()

    basis = DeadlineBasis("7:DETERMINATION", "Complaint 7, written determination",
                          D(2026, 2, 2), 20)
    untouched = DeadlineBasis("8:DETERMINATION", "Complaint 8", D(2026, 2, 13), 20)
    changes = recompute_deadlines([basis, untouched], before, after)
    assert len(changes) == 1
    change = changes[0]
    assert (change.old_due, change.new_due) == (D(2026, 3, 3), D(2026, 3, 4))
    assert change.describe() == (
        "Complaint 7, written determination: deadline moved from 3 March 2026 to "
        "4 March 2026: Snow day 12 February 2026"
    )


def test_removing_a_closure_moves_deadlines_earlier_and_says_so() -> None:
    snow = NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day")
    with_snow = DistrictCalendar((ONE_YEAR.years[0].with_days_off([snow]),))
    basis = DeadlineBasis("k", "Complaint 7", D(2026, 2, 2), 20)
    (change,) = recompute_deadlines([basis], with_snow, ONE_YEAR)
    assert (change.old_due, change.new_due) == (D(2026, 3, 4), D(2026, 3, 3))
    assert change.describe().endswith("Snow day 12 February 2026 removed")
    assert calendar_difference(with_snow, ONE_YEAR) == ([], [snow])


def test_closure_after_the_deadline_changes_nothing() -> None:
    late = NonSchoolDay(D(2026, 3, 20), DayOffKind.EMERGENCY, "Power outage")
    after = DistrictCalendar((ONE_YEAR.years[0].with_days_off([late]),))
    basis = DeadlineBasis("k", "Complaint 7", D(2026, 2, 2), 20)
    assert recompute_deadlines([basis], ONE_YEAR, after) == []


def test_calendar_day_bases_are_not_recomputed() -> None:
    snow = NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day")
    after = DistrictCalendar((ONE_YEAR.years[0].with_days_off([snow]),))
    basis = DeadlineBasis("k", "Filing", D(2026, 2, 2), 10, DayUnit.CALENDAR)
    assert recompute_deadlines([basis], ONE_YEAR, after) == []


def test_year_end_carries_into_next_years_calendar() -> None:
    # Received Mon 1 Jun. 2-5 Jun (4), 8-12 Jun (9; 12 Jun is the last day). Carry 11 into
    # 2026-27: 2-4 Sep (12), Labor Day 7 Sep, 8-11 (16), 14-17 (20) -> Thu 17 Sep 2026.
    calc = add_school_days(TWO_YEARS, D(2026, 6, 1), 20)
    assert calc.due == D(2026, 9, 17)
    assert calc.carried_into == "2026-27"
    text = calc.explanation()
    assert ("13 June – 1 September 2026: summer break between the 2025-26 and 2026-27 "
            "school years") in text
    assert "carried into the 2026-27 calendar" in text
    assert "Labor Day (holiday)" in text


def test_year_end_without_next_calendar_says_so() -> None:
    calc = add_school_days(ONE_YEAR, D(2026, 6, 1), 20)
    assert calc.due is None
    assert calc.remaining == 11
    assert calc.unresolved is not None
    assert "2026-27 calendar has not been entered" in calc.unresolved
    assert "11 school days still to count" in calc.unresolved
    assert calc.explanation_lines()[-1].startswith("Result: cannot be computed yet.")


def test_start_on_a_weekend_counts_from_the_next_school_day() -> None:
    # Received Sat 7 Feb. 9-13 (5), Presidents' Day, 17-20 (9), 23-27 (14), 2-6 Mar (19), 9 Mar.
    assert add_school_days(ONE_YEAR, D(2026, 2, 7), 20).due == D(2026, 3, 9)


def test_start_in_summer_counts_from_the_next_first_day() -> None:
    # 2-4 Sep (3), Labor Day, 8-11 (7), 14-18 (12), 21-25 (17), 28-30 (20).
    calc = add_school_days(TWO_YEARS, D(2026, 7, 1), 20)
    assert calc.due == D(2026, 9, 30)
    before_first = add_school_days(ONE_YEAR, D(2025, 8, 20), 1)
    assert before_first.due == D(2025, 9, 2)
    assert "before the first day of the 2025-26 school year" in before_first.explanation()


def test_start_with_no_calendar_is_unresolved_in_words() -> None:
    calc = add_school_days(ONE_YEAR, D(2026, 7, 1), 5)
    assert calc.due is None
    assert calc.unresolved and "No district calendar covers 1 July 2026" in calc.unresolved
    gap = DistrictCalendar((year_2025_26(), build_calendar(
        "2027-28", D(2027, 9, 1), D(2028, 6, 9))))
    calc = add_school_days(gap, D(2026, 7, 1), 5)
    assert calc.unresolved and "2026-27 calendar has not been entered" in calc.unresolved


def test_zero_and_negative_amounts() -> None:
    assert add_school_days(ONE_YEAR, D(2026, 2, 7), 0).due == D(2026, 2, 7)
    with pytest.raises(ValidationError):
        add_school_days(ONE_YEAR, D(2026, 2, 7), -1)
    with pytest.raises(ValidationError):
        add_calendar_days(D(2026, 2, 7), -1)


def test_one_day_reads_in_the_singular() -> None:
    text = add_school_days(ONE_YEAR, D(2026, 2, 6), 1).explanation()
    assert "Counting 1 school day from the next day." in text
    assert "1 school days" not in text
    assert "Counting 1 calendar day from" in add_calendar_days(D(2026, 2, 6), 1).explanation()
    assert "Counting 0 school days" in add_school_days(ONE_YEAR, D(2026, 2, 6), 0).explanation()


def test_calendar_days() -> None:
    calc = add_calendar_days(D(2026, 2, 20), 10)
    assert calc.due == D(2026, 3, 2)
    assert calc.explanation() == (
        "Start: Friday 20 February 2026. Counting 10 calendar days from the next day. "
        "Result: Monday 2 March 2026, 10th calendar day after the start."
    )


def test_count_school_days_both_ways() -> None:
    assert count_school_days(ONE_YEAR, D(2026, 3, 2), D(2026, 3, 3)) == 1
    assert count_school_days(ONE_YEAR, D(2026, 2, 13), D(2026, 2, 17)) == 1  # weekend + holiday
    assert count_school_days(ONE_YEAR, D(2026, 2, 17), D(2026, 2, 13)) == -1
    assert count_school_days(ONE_YEAR, D(2026, 2, 13), D(2026, 2, 13)) == 0
    assert count_school_days(ONE_YEAR, D(2026, 6, 10), D(2026, 7, 10)) is None
    assert count_school_days(TWO_YEARS, D(2026, 6, 10), D(2026, 9, 3)) == 4


def test_calendar_validation_refuses_in_words() -> None:
    problems = calendar_problems("2025-26", D(2026, 6, 12), D(2025, 9, 2), [])
    assert problems[0] == (
        "The last day (2 September 2025) is before the first day (12 June 2026)."
    )
    problems = calendar_problems(
        "2025-27", D(2025, 9, 2), D(2026, 6, 12),
        [NonSchoolDay(D(2026, 7, 4), H, "Independence Day"),
         NonSchoolDay(D(2025, 11, 11), H, "Veterans Day"),
         NonSchoolDay(D(2025, 11, 11), DayOffKind.IN_SERVICE, "")],
    )
    assert "'2025-27' is not a school year label (use the form 2025-26)." in problems
    assert any("4 July 2026 (Independence Day (holiday)) is outside" in p for p in problems)
    assert any("11 November 2025 is listed twice" in p for p in problems)
    assert calendar_problems("2024-25", D(2025, 9, 2), D(2026, 6, 12), []) == [
        "The first day (2 September 2025) is not in 2024, the year the 2024-25 school year "
        "starts."
    ]
    with pytest.raises(ValidationError) as err:
        build_calendar("2025-26", D(2026, 6, 12), D(2025, 9, 2))
    assert "before the first day" in str(err.value)


def test_overlapping_or_repeated_years_are_refused() -> None:
    with pytest.raises(ValidationError, match="overlap"):
        DistrictCalendar((year_2025_26(), build_calendar("2026-27", D(2026, 6, 1),
                                                         D(2027, 5, 28))))


def test_new_day_off_checks() -> None:
    cal = year_2025_26()
    assert new_day_off_problems(cal, NonSchoolDay(D(2026, 2, 14), DayOffKind.EMERGENCY,
                                                  "Snow")) == [
        "14 February 2026 is a Saturday; weekends are never school days."]
    assert new_day_off_problems(cal, NonSchoolDay(D(2026, 2, 16), DayOffKind.EMERGENCY,
                                                  "Snow")) == [
        "16 February 2026 is already a non-school day (Presidents' Day (holiday))."]
    assert "outside the 2025-26 school year" in new_day_off_problems(
        cal, NonSchoolDay(D(2026, 7, 1), DayOffKind.EMERGENCY, "Smoke"))[0]
    assert new_day_off_problems(cal, NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY,
                                                  "Snow")) == []


def test_expand_range_drops_weekends_and_refuses_backwards() -> None:
    days = expand_range(D(2025, 12, 22), D(2026, 1, 2), B, "Winter break")
    assert len(days) == 10
    assert all(d.day.weekday() < 5 for d in days)
    with pytest.raises(ValidationError, match="ends"):
        expand_range(D(2026, 1, 2), D(2025, 12, 22), B, "x")


def test_school_day_count_and_180_day_note() -> None:
    cal = year_2025_26()
    assert cal.school_day_count() == 183  # 204 weekdays - 21 closures
    short = build_calendar("2025-26", D(2025, 9, 2), D(2025, 12, 19))
    assert "RCW 28A.150.220" in short.notes()[0]
    assert cal.without_day_off(D(2026, 2, 16)).school_day_count() == 184


def test_small_helpers() -> None:
    assert next_year_label("2025-26") == "2026-27"
    assert next_year_label("2099-00") == "2100-01"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "111th"]
    assert format_range(D(2026, 2, 28), D(2026, 3, 1)) == "28 February – 1 March 2026"
    assert format_range(D(2026, 2, 7), D(2026, 2, 8)) == "7–8 February 2026"


# ---------------------------------------------------------------------------- properties

FIRST = D(2025, 9, 2)
LAST = D(2026, 6, 12)
WEEKDAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)
            if (FIRST + dt.timedelta(days=i)).weekday() < 5]

closures = st.sets(st.sampled_from(WEEKDAYS), max_size=25).map(
    lambda days: [NonSchoolDay(d, DayOffKind.EMERGENCY, "Closure") for d in sorted(days)])
starts = st.dates(min_value=FIRST, max_value=LAST)
amounts = st.integers(min_value=1, max_value=40)


def district(days: list[NonSchoolDay]) -> DistrictCalendar:
    return DistrictCalendar((build_calendar("2025-26", FIRST, LAST, days), year_2026_27()))


@settings(max_examples=60, deadline=None)
@given(closures, starts, amounts)
def test_result_is_the_nth_school_day(days: list[NonSchoolDay], start: dt.date, n: int) -> None:
    cal = district(days)
    calc = add_school_days(cal, start, n)
    assert calc.due is not None
    assert cal.is_school_day(calc.due)
    assert count_school_days(cal, start, calc.due) == n
    assert len(calc.skipped) + n == (calc.due - start).days
    assert all(cal.is_school_day(s.day) is False for s in calc.skipped)


@settings(max_examples=60, deadline=None)
@given(closures, st.sampled_from(WEEKDAYS), starts, amounts)
def test_a_new_closure_never_brings_a_deadline_earlier(
    days: list[NonSchoolDay], extra: dt.date, start: dt.date, n: int
) -> None:
    before = district(days)
    after = district([*days, NonSchoolDay(extra, DayOffKind.EMERGENCY, "Snow day")]
                     if extra not in {d.day for d in days} else days)
    old = add_school_days(before, start, n).due
    new = add_school_days(after, start, n).due
    assert old is not None and new is not None
    assert new >= old
    assert count_school_days(before, old, new) in (0, 1)  # one closure moves it one day at most


@settings(max_examples=60, deadline=None)
@given(closures, starts, amounts, amounts)
def test_counting_composes(days: list[NonSchoolDay], start: dt.date, a: int, b: int) -> None:
    cal = district(days)
    first = add_school_days(cal, start, a).due
    assert first is not None
    assert add_school_days(cal, first, b).due == add_school_days(cal, start, a + b).due
