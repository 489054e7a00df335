"""Complaint log workbooks: the internal log (with complainant contact) and a public summary.

The public summary carries no personal detail at all: no names, contacts, staff, buildings,
descriptions or dates of individual complaints — only counts for the year — because one SRO per
building makes even a building name identifying.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from sro_desk.domain.complaint_summary import OUTCOME_LABELS
from sro_desk.domain.complaints import (
    Category,
    Channel,
    Complaint,
    ComplaintRules,
    DeadlineKind,
    answered_on,
    due_date,
    is_late_filing,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.school_calendar import DistrictCalendar
from sro_desk.exports.xlsx_util import new_workbook, put, write_table, write_title

INTERNAL_HEADERS = (
    "Reference", "Received", "Channel", "Complainant", "Contact", "Language assistance",
    "Incident date", "Filed late", "Building", "Staff involved", "Category", "Stage",
    "Investigator", "Agency notified", "Determination due", "Determination issued", "Finding",
    "Appeal received", "Appeal by", "Appeal due", "Appeal decided", "Finding after appeal",
    "Closed", "Standing outcome", "Extensions", "Description",
)


def _due(c: Complaint, kind: DeadlineKind, calendar: DistrictCalendar, rules: ComplaintRules
         ) -> dt.date | str | None:
    due = due_date(c, kind, calendar, rules)
    if due is None:
        return None
    return due.due if due.due is not None else "calendar missing"


def internal_rows(complaints: Sequence[Complaint], calendar: DistrictCalendar,
                  rules: ComplaintRules) -> list[list[object]]:
    """One row per complaint with everything on file."""
    rows: list[list[object]] = []
    for c in complaints:
        extensions = "; ".join(
            f"{e.deadline.value}: notice {format_date(e.notice_date)}, new date "
            f"{format_date(e.new_due)} — {e.reason}" + (" (notice late)" if e.late_notice else "")
            for e in c.extensions)
        rows.append([
            c.reference, c.received_on, c.channel.value, c.complainant_display,
            c.complainant_contact, c.language if c.language_assistance else "",
            c.incident_date, is_late_filing(c, rules), c.building,
            ", ".join(s.name for s in c.staff), c.category.value, c.stage.value,
            c.investigator, c.agency_notified_on,
            _due(c, DeadlineKind.DETERMINATION, calendar, rules), c.determination_on,
            c.finding.value if c.finding else "", c.appeal_received_on, c.appellant,
            _due(c, DeadlineKind.APPEAL, calendar, rules), c.appeal_decided_on,
            c.appeal_finding.value if c.appeal_finding else "", c.closed_on, c.outcome,
            extensions, c.description,
        ])
    return rows


def write_complaint_log(
    complaints: Sequence[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    dest: Path | str, *, year_label: str, district: str,
) -> Path:
    """The internal log: complaints, every workflow step, and deadline moves."""
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Complaints"
    start = write_title(sheet, f"{district}: complaint log {year_label}",
                        "Internal — contains complainant contact details. Do not publish.")
    write_table(sheet, INTERNAL_HEADERS, internal_rows(complaints, calendar, rules),
                start_row=start)
    steps = book.create_sheet("Steps")
    write_table(steps, ("Reference", "Step", "Date", "Entered by", "Detail"), [
        [c.reference, s.stage.value, s.on, s.by, s.detail] for c in complaints for s in c.history
    ])
    dest = Path(dest)
    book.save(dest)
    return dest


def public_tables(complaints: Sequence[Complaint], calendar: DistrictCalendar,
                  rules: ComplaintRules) -> dict[str, list[list[object]]]:
    """Count tables for the public summary (no personal detail)."""
    by_cat_outcome: Counter[tuple[str, str]] = Counter((c.category.value, c.outcome)
                                                       for c in complaints)
    outcome_rows: list[list[object]] = [
        [cat.value, *(by_cat_outcome[(cat.value, o)] for o in OUTCOME_LABELS),
         sum(by_cat_outcome[(cat.value, o)] for o in OUTCOME_LABELS)]
        for cat in Category
    ]
    outcome_rows.append(["All complaints", *(sum(by_cat_outcome[(cat.value, o)]
                                                 for cat in Category) for o in OUTCOME_LABELS),
                         len(complaints)])
    channels: Counter[str] = Counter(c.channel.value for c in complaints)
    timeliness: list[list[object]] = []
    for kind in DeadlineKind:
        on_time = late = 0
        for c in complaints:
            answered = answered_on(c, kind)
            due = due_date(c, kind, calendar, rules)
            if answered is None or due is None or due.due is None:
                continue
            if answered <= due.due:
                on_time += 1
            else:
                late += 1
        timeliness.append([kind.value, on_time, late])
    return {
        "outcomes": outcome_rows,
        "channels": [[ch.value, channels[ch.value]] for ch in Channel],
        "timeliness": timeliness,
        "late_filed": [["Filed after the filing window (accepted)",
                        sum(1 for c in complaints if is_late_filing(c, rules))]],
    }


def write_public_summary(
    complaints: Sequence[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    dest: Path | str, *, year_label: str, district: str,
) -> Path:
    """Counts only: by category and outcome, by channel, answers on time, late filings."""
    tables = public_tables(complaints, calendar, rules)
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    row = write_title(sheet, f"{district}: complaints about safety and security staff, "
                             f"{year_label}",
                      "Public summary: counts only, no personal information.")
    row = write_table(sheet, ("Category", *OUTCOME_LABELS, "Total"), tables["outcomes"],
                      start_row=row, freeze=False, autofilter=False,
                      widths=(34, 16, 18, 15, 12, 10)) + 2
    row = write_table(sheet, ("How the complaint was made", "Complaints"), tables["channels"],
                      start_row=row, freeze=False, autofilter=False) + 2
    row = write_table(sheet, ("Written answer", "On time", "Late"), tables["timeliness"],
                      start_row=row, freeze=False, autofilter=False) + 2
    row = write_table(sheet, ("Filing", "Complaints"), tables["late_filed"], start_row=row,
                      freeze=False, autofilter=False) + 2
    put(sheet.cell(row=row, column=1),
        f"Job-duty and student-interaction complaints are the figures RCW 28A.320.1241 asks "
        f"districts to report. Deadlines: written determination within "
        f"{rules.determination_school_days} school days of receipt; appeal decision within "
        f"{rules.appeal_school_days} school days.")
    dest = Path(dest)
    book.save(dest)
    return dest
