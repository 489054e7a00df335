"""Complaint log workbooks: the internal log (with complainant contact) and a public summary.

The public summary carries no personal detail at all: no names, contacts, staff, buildings,
descriptions or dates of individual complaints — only counts for the year — because one SRO per
building makes even a building name identifying. Its counts arrive already suppressed
(``domain.complaint_summary.public_complaint_summary``): small counts read "<10" as in the
public annual report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from sro_desk.domain.complaint_summary import PublicComplaintSummary
from sro_desk.domain.complaints import (
    Complaint,
    ComplaintRules,
    DeadlineKind,
    due_date,
    is_late_filing,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.school_calendar import DistrictCalendar
from sro_desk.exports import xlsx_util
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
    xlsx_util.save_workbook(book, dest)
    return dest


def write_public_summary(
    summary: PublicComplaintSummary, rules: ComplaintRules, dest: Path | str, *,
    year_label: str, district: str,
) -> Path:
    """Counts only, already suppressed: by category and outcome, by channel, written answers
    against their deadlines, late filings and the statute's figure, with the rule in words."""
    book = new_workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Summary"
    row = write_title(sheet, f"{district}: complaints about safety and security staff, "
                             f"{year_label}",
                      "Public summary: counts only, no personal information.")
    for table, widths in (
        (summary.outcomes, (34, 16, 18, 15, 12, 10)),
        (summary.channels, None),
        (summary.answers, (34, 12, 12, 18, 14, 10)),
        (summary.filing, None),
        (summary.by_law, None),
    ):
        row = write_table(sheet, table.headers, [list(r) for r in table.rows], start_row=row,
                          freeze=False, autofilter=False, widths=widths) + 2
    for text in (
        f"Written answers are counted as of {format_date(summary.as_of)}; an answer still "
        "awaited after its deadline is counted as late (still open).",
        f"Deadlines: written determination within {rules.determination_school_days} school "
        f"days of receipt; appeal decision within {rules.appeal_school_days} school days of "
        "the appeal.",
        "RCW 28A.320.1241 asks districts to report complaints about safety and security "
        "staff's job duties and interactions with students; complaints in other categories "
        "are shown but not counted in that figure.",
        summary.rule,
    ):
        put(sheet.cell(row=row, column=1), text)
        row += 1
    dest = Path(dest)
    xlsx_util.save_workbook(book, dest)
    return dest
