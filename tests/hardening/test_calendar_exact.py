"""The calendar import is exact, because calendars drive complaint deadlines.

RFC 5545 day coverage, the district's time zone, repeating events expanded within the school
year, unreadable or absurd DURATION/DTSTART values refused in words — and every .ics file that
ships inside the installed icalendar package is imported correctly or refused in words.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sro_desk.domain.errors import ImportRefused, SroDeskError
from sro_desk.services.calendar_import import CalendarImportPlan, read_calendar_file
from tests.services.complaint_fixtures import ComplaintDistrict, cdist

__all__ = ["cdist"]
D = dt.date
LABEL = "2025-26"  # cdist: 2 September 2025 – 12 June 2026 entered


def _ics(*events: str, timezones: str = "") -> str:
    body = "".join(
        f"BEGIN:VEVENT\r\nUID:{n}@test\r\nDTSTAMP:20250801T000000Z\r\n{e.strip()}\r\nEND:VEVENT\r\n"
        for n, e in enumerate(events))
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n" + timezones + body
            + "END:VCALENDAR\r\n").replace("\n    ", "\n").replace("\r\n\r\n", "\r\n")


def _read(tmp_path: Path, text: str) -> CalendarImportPlan:
    path = tmp_path / "cal.ics"
    path.write_text(text, encoding="utf-8")
    return read_calendar_file(path, LABEL)


def _days(plan: CalendarImportPlan) -> list[dt.date]:
    return sorted({d.day for d in plan.closures} | set(plan.already_recorded))


def test_midnight_to_midnight_snow_day_is_one_day(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = _read(tmp_path, _ics("SUMMARY:Snow day\r\nDTSTART:20260114T000000\r\nDTEND:20260114T000000"))
    assert _days(plan) == [D(2026, 1, 14)]


def test_an_event_ending_at_midnight_does_not_touch_the_next_day(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = _read(tmp_path, _ics("SUMMARY:Snow day\r\nDTSTART:20260114T000000\r\nDTEND:20260115T000000"))
    assert _days(plan) == [D(2026, 1, 14)]


def test_a_utc_evening_event_lands_on_the_district_date(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    # 03:00 UTC on 15 January is 7 pm on 14 January in Pacific time
    plan = _read(tmp_path, _ics("SUMMARY:Power outage - school closed\r\nDTSTART:20260115T030000Z\r\n"
                                "DTEND:20260115T050000Z"))
    assert _days(plan) == [D(2026, 1, 14)]


def test_a_timed_event_covers_every_local_day_it_touches(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = _read(tmp_path, _ics("SUMMARY:Ice storm closure\r\nDTSTART;TZID=America/Los_Angeles:20260113T220000\r\n"
                                "DTEND;TZID=America/Los_Angeles:20260115T010000"))
    assert _days(plan) == [D(2026, 1, 13), D(2026, 1, 14), D(2026, 1, 15)]


def test_an_all_day_event_excludes_its_dtend(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = _read(tmp_path, _ics("SUMMARY:Mid-winter break\r\nDTSTART;VALUE=DATE:20260216\r\n"
                                "DTEND;VALUE=DATE:20260218"))
    assert _days(plan) == [D(2026, 2, 16), D(2026, 2, 17)]
    plan = _read(tmp_path, _ics("SUMMARY:Mid-winter break\r\nDTSTART;VALUE=DATE:20260216\r\nDURATION:P3D"))
    assert _days(plan) == [D(2026, 2, 16), D(2026, 2, 17), D(2026, 2, 18)]


def test_repeating_events_are_expanded_within_the_school_year(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    # every Friday in March 2026 is an in-service day, except the 13th, plus Monday 23 March
    plan = _read(tmp_path, _ics(
        "SUMMARY:Staff in-service (no school)\r\nDTSTART;VALUE=DATE:20260306\r\n"
        "RRULE:FREQ=WEEKLY;BYDAY=FR;UNTIL=20260327\r\nEXDATE;VALUE=DATE:20260313\r\n"
        "RDATE;VALUE=DATE:20260323"))
    assert _days(plan) == [D(2026, 3, 6), D(2026, 3, 20), D(2026, 3, 23), D(2026, 3, 27)]


def test_an_endless_weekly_rule_stops_at_the_school_year(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = _read(tmp_path, _ics("SUMMARY:No school - Monday PD\r\nDTSTART;VALUE=DATE:20260105\r\nRRULE:FREQ=WEEKLY"))
    days = _days(plan)
    assert days[0] == D(2026, 1, 5) and days[-1] == D(2026, 6, 8)
    assert all(d.weekday() == 0 for d in days)


@pytest.mark.parametrize(("prop", "column", "words"), [
    ("DTSTART:20260101T000000Z\r\nDURATION:P999999999999999999W", "DURATION", "not a length of time"),
    ("DTSTART;VALUE=DATE:20260112\r\nDURATION:hello", "DURATION", "not a length of time"),
    ("DTSTART;VALUE=DATE:20260112\r\nDURATION:20260113", "DURATION", "not a length of time"),
    ("DTSTART;VALUE=DATE:20260112\r\nDURATION:P3000000D", "DURATION", "3,000,000 days"),
    ("DTSTART:99991231T230000Z\r\nDURATION:PT2H", "DTSTART", "more than 10 years"),
    ("DTSTART;VALUE=DATE:00010101", "DTSTART", "before 1 January 1990"),
    ("DTSTART;VALUE=DATE:20260112\r\nDTEND:20260113T100000", "DTEND", "mixes an all-day start"),
])
def test_unusable_times_are_refused_in_words(cdist: ComplaintDistrict, tmp_path: Path,
                                             prop: str, column: str, words: str) -> None:
    with pytest.raises(ImportRefused) as caught:
        _read(tmp_path, _ics("SUMMARY:Snow day\r\n" + prop))
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (1, column)
    assert words in problem.message


def test_the_icalendar_packages_own_invalid_duration_file(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    import icalendar

    path = Path(icalendar.__file__).parent / "tests" / "calendars" / "invalid_duration.ics"
    with pytest.raises(ImportRefused, match="not a length of time"):
        read_calendar_file(path, LABEL)


def _corpus() -> list[Path]:
    import icalendar

    return sorted((Path(icalendar.__file__).parent / "tests").rglob("*.ics"))


@pytest.mark.slow
def test_every_ics_shipped_with_icalendar_imports_or_is_refused_in_words(
    cdist: ComplaintDistrict, tmp_path: Path,
) -> None:
    files = _corpus()
    assert len(files) > 100
    outcomes: dict[str, int] = {"imported": 0, "refused": 0}
    for path in files:
        try:
            plan = read_calendar_file(path, LABEL)
        except SroDeskError as error:
            text = str(error)
            assert text.strip() and "Traceback" not in text, path
            outcomes["refused"] += 1
            continue
        outcomes["imported"] += 1
        for day in plan.closures:  # whatever was imported lies within the school year
            assert D(2025, 9, 2) <= day.day <= D(2026, 6, 12), (path, day)
            assert day.day.weekday() < 5
    assert outcomes["refused"] > 0
    print(f"icalendar corpus: {len(files)} files, {outcomes}")
