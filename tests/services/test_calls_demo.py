"""The demo's calls are plausible: school days only, ages that match each building's grades."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

from sro_desk.services.demo import part_50_calls
from sro_desk.store import calendar_repo, call_repo, roster_repo


def test_demo_calls_fall_on_school_days_only(demo_db: Path) -> None:
    years = {y.label: y for y in roster_repo.list_school_years()}
    calls = call_repo.list_calls()
    assert len(calls) > 300
    # the district calendar the demo ends up with (the calendar part runs after the calls)
    off = {d.day for calendar in calendar_repo.list_calendars() for d in calendar.days_off}
    assert off, "the demo has a district calendar"
    assert dt.date(2025, 12, 25) in off and dt.date(2026, 4, 7) in off
    for call in calls:
        assert call.occurred_on.weekday() < 5, call.ref
        assert call.occurred_on not in off, (call.ref, call.occurred_on)
        assert any(y.first_day <= call.occurred_on <= y.last_day for y in years.values())
        assert call.occurred_on < dt.date(2026, 11, 26)


def test_demo_ages_follow_the_grades_each_building_serves(demo_db: Path) -> None:
    spans = {b.name: (b.code, b.grade_span) for b in roster_repo.list_buildings()}
    allowed = {"K-5": range(5, 12), "6-8": range(11, 15), "9-12": range(14, 19)}
    ages: Counter[int] = Counter()
    for call in call_repo.list_calls():
        code, span = spans[call.building]
        for student in call.students:
            ages[student.age] += 1
            if code == part_50_calls.REENGAGEMENT:
                assert 16 <= student.age <= 21
            else:
                assert student.age in allowed[span], (call.building, student.age)
    older = sum(n for age, n in ages.items() if age >= 19)
    assert 0 < older / sum(ages.values()) < 0.06  # a few, all at the reengagement center


def test_without_a_calendar_the_usual_breaks_are_avoided() -> None:
    usual = part_50_calls._usual_days_off(dt.date(2026, 9, 2), dt.date(2027, 6, 16))
    assert {dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2026, 11, 26),
            dt.date(2027, 4, 6), dt.date(2027, 2, 15), dt.date(2026, 9, 7)} <= usual
    days = part_50_calls.school_days(dt.date(2026, 12, 18), dt.date(2027, 1, 5))
    assert dt.date(2026, 12, 25) not in days and all(d.weekday() < 5 for d in days)
