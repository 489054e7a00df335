"""Importing non-school days from .ics and .xlsx: classified, previewed, all or nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sro_desk.domain.errors import ImportRefused
from sro_desk.domain.school_calendar import DayOffKind
from sro_desk.services import complaints as svc
from sro_desk.services.calendar_import import (
    apply_calendar_import,
    classify,
    read_calendar_file,
)
from sro_desk.store import calendar_repo, complaint_repo
from tests.services.complaint_fixtures import (
    ComplaintDistrict,
    cdist,
    draft,
)

__all__ = ["cdist"]
D = dt.date

ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Cedar Valley SD//Calendar//EN
BEGIN:VEVENT
UID:1@example.org
DTSTAMP:20260801T000000Z
SUMMARY:First Day of School
DTSTART;VALUE=DATE:20260902
DTEND;VALUE=DATE:20260903
END:VEVENT
BEGIN:VEVENT
UID:2@example.org
DTSTAMP:20260801T000000Z
SUMMARY:Labor Day - No School
DTSTART;VALUE=DATE:20260907
DTEND;VALUE=DATE:20260908
END:VEVENT
BEGIN:VEVENT
UID:3@example.org
DTSTAMP:20260801T000000Z
SUMMARY:Winter Break
DTSTART;VALUE=DATE:20261221
DTEND;VALUE=DATE:20270102
END:VEVENT
BEGIN:VEVENT
UID:4@example.org
DTSTAMP:20260801T000000Z
SUMMARY:Picture Day
DTSTART;VALUE=DATE:20261001
END:VEVENT
BEGIN:VEVENT
UID:5@example.org
DTSTAMP:20260801T000000Z
SUMMARY:Staff In-Service <b>no students</b>
DTSTART:20261009T080000
DTEND:20261009T150000
END:VEVENT
BEGIN:VEVENT
UID:6@example.org
DTSTAMP:20260801T000000Z
SUMMARY:Last Day of School
DTSTART;VALUE=DATE:20270611
END:VEVENT
END:VCALENDAR
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_classify_titles() -> None:
    assert classify("Snow Day - Schools Closed") is DayOffKind.EMERGENCY
    assert classify("Thanksgiving Break") is DayOffKind.BREAK
    assert classify("Veterans Day") is DayOffKind.HOLIDAY
    assert classify("Non-Student Day (Staff In-Service)") is DayOffKind.IN_SERVICE
    assert classify("No School") is DayOffKind.OTHER
    assert classify("Early release") is None


def test_ics_import_sets_the_year_and_adds_the_days(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    plan = read_calendar_file(write(tmp_path, "cal.ics", ICS), "2026-27")
    assert (plan.first_day, plan.last_day) == (D(2026, 9, 2), D(2027, 6, 11))
    days = {d.day: d for d in plan.closures}
    assert days[D(2026, 9, 7)].kind is DayOffKind.HOLIDAY
    assert D(2027, 1, 1) in days and D(2027, 1, 2) not in days  # DTEND is exclusive
    assert D(2026, 12, 26) not in days  # a Saturday inside the break is not stored
    assert days[D(2026, 10, 9)].kind is DayOffKind.IN_SERVICE
    assert len(plan.closures) == 1 + 10 + 1
    assert plan.ignored == ("item 4: 'Picture Day' (1 October 2026) does not say school is out",)
    assert plan.summary().startswith("12 non-school days to add to 2026-27")
    apply_calendar_import(plan)
    stored = calendar_repo.calendar_for("2026-27")
    assert stored is not None and len(stored.days_off) == 12
    again = read_calendar_file(write(tmp_path, "cal.ics", ICS), "2026-27")
    assert again.closures == () and len(again.already_recorded) == 12


def test_import_moves_deadlines_that_carry_into_the_new_year(cdist: ComplaintDistrict,
                                                             tmp_path: Path) -> None:
    c = svc.file_complaint(draft(cdist, received_on=D(2026, 6, 1), incident_date=None),
                           today=dt.date(2026, 6, 2))
    board = svc.complaint_board(today=D(2026, 6, 2))
    assert board.items[0].status == "Deadline unknown: calendar missing"
    changes = apply_calendar_import(read_calendar_file(write(tmp_path, "c.ics", ICS), "2026-27"))
    assert [ch.new_due for ch in changes] == [D(2026, 9, 17)]
    assert "not yet computable to 17 September 2026" in complaint_repo.deadline_changes(
        c.id)[0][2]


@pytest.mark.parametrize(("text", "message"), [
    ("Name,Date\nBob,2026-01-01\n", "not an iCalendar file"),
    ("", "is empty"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Snow day\nEND:VEVENT\nEND:VCALENDAR\n",
     "no usable start date"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Holiday\nDTSTART;VALUE=DATE:20251109\n"
     "RRULE:FREQ=SOMETIMES\nEND:VEVENT\nEND:VCALENDAR\n", "repeats in a way that cannot be read"),
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:Picture day\nDTSTART;VALUE=DATE:20261109\n"
     "END:VEVENT\nEND:VCALENDAR\n", "no event that says school is out"),
])
def test_bad_ics_is_refused_in_words(cdist: ComplaintDistrict, tmp_path: Path, text: str,
                                     message: str) -> None:
    with pytest.raises(ImportRefused) as err:
        read_calendar_file(write(tmp_path, "bad.ics", text), "2025-26")
    assert message in str(err.value)
    assert "Traceback" not in str(err.value)


def test_year_without_calendar_or_dates_is_refused(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    text = ICS.replace("First Day of School", "Assembly").replace("Last Day of School", "Prom")
    with pytest.raises(ImportRefused, match="does not give the first and last days"):
        read_calendar_file(write(tmp_path, "c.ics", text), "2026-27")


def test_xlsx_import_and_row_problems(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    from openpyxl import Workbook

    good = Workbook()
    sheet = good.active
    assert sheet is not None
    sheet.append(["Date", "Last date", "Kind", "Description"])
    sheet.append([dt.datetime(2026, 3, 12), None, "Emergency closure", "Smoke day"])
    sheet.append(["2026-03-18", "2026-03-19", "", "Parent conferences - no school"])
    good.save(tmp_path / "good.xlsx")
    plan = read_calendar_file(tmp_path / "good.xlsx", "2025-26")
    assert [(d.day, d.kind) for d in plan.closures] == [
        (D(2026, 3, 12), DayOffKind.EMERGENCY), (D(2026, 3, 18), DayOffKind.OTHER),
        (D(2026, 3, 19), DayOffKind.OTHER)]
    apply_calendar_import(plan)
    assert len(calendar_repo.calendar_for("2025-26").days_off) == 21  # type: ignore[union-attr]

    bad = Workbook()
    sheet = bad.active
    assert sheet is not None
    sheet.append(["Date", "Last date", "Kind", "Description"])
    sheet.append(["2026-03-20", "2026-03-01", "", "Backwards"])
    sheet.append(["2026-03-21", None, "", "A Saturday"])
    sheet.append(["31/31/2026", None, "", "Nonsense"])
    sheet.append(["2026-03-24", None, "Vacation day", "Unknown kind"])
    bad.save(tmp_path / "bad.xlsx")
    with pytest.raises(ImportRefused) as err:
        read_calendar_file(tmp_path / "bad.xlsx", "2025-26")
    text = str(err.value)
    assert "row 2, column 'Last date': 1 March 2026 is before the first date" in text
    assert "row 3, column 'First date': 21 March 2026 is a Saturday" in text
    assert "row 4, column 'First date'" in text
    assert "row 5, column 'Kind': 'vacation day' is not a kind" in text

    missing = Workbook()
    sheet = missing.active
    assert sheet is not None
    sheet.append(["When", "What"])
    sheet.append(["2026-03-20", "x"])
    missing.save(tmp_path / "missing.xlsx")
    with pytest.raises(ImportRefused, match="does not have the columns"):
        read_calendar_file(tmp_path / "missing.xlsx", "2025-26")
