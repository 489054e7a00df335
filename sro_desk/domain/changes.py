"""Typed change notices: what kind of data a save changed, so the tabs that show it reload.

The kinds follow the audit trail: every audited write names its record type ("HiringScore",
"TrainingWaiver", ...), and ``change_for_record_type`` says which kind of data that is. A test
keeps every record type of the store mapped, so a new table cannot be saved without a notice.
"""

from __future__ import annotations

from enum import StrEnum


class Change(StrEnum):
    ALL = "*"
    SETUP = "setup"  # district name, buildings, agencies, school years, settings
    ROSTER = "roster"
    TRAINING = "training"
    AGREEMENTS = "agreements"
    HIRING = "hiring"
    CALLS = "calls"
    COMPLAINTS = "complaints"
    CALENDAR = "calendar"
    MEETINGS = "meetings"


#: record types (as the audit trail names them) by the longest matching prefix
_PREFIXES: tuple[tuple[str, Change], ...] = (
    ("Agreement", Change.AGREEMENTS),
    ("ReviewMeeting", Change.AGREEMENTS),
    ("BuildingStartOfYear", Change.AGREEMENTS),
    ("PolicyReview", Change.AGREEMENTS),  # its review due date shows among the agreements
    ("Call", Change.CALLS),
    ("CalendarYear", Change.CALENDAR),
    ("NonSchoolDay", Change.CALENDAR),
    ("Complaint", Change.COMPLAINTS),
    ("DeadlineChange", Change.COMPLAINTS),
    ("SupervisionMeeting", Change.MEETINGS),
    ("PreventionActivity", Change.MEETINGS),
    ("Setting", Change.SETUP),
    ("Building", Change.SETUP),
    ("Provider", Change.SETUP),
    ("SchoolYear", Change.SETUP),
    ("Staff", Change.ROSTER),
    ("Hiring", Change.HIRING),
    ("Training", Change.TRAINING),
    ("EsdDocumentation", Change.TRAINING),
    ("Attachment", Change.ALL),  # shared by every feature: whoever shows attachments reloads
    ("Audit", Change.ALL),
)


def change_for_record_type(record_type: str) -> Change | None:
    """The kind of data a record type (``AuditEntry.record_type``) holds; ``None`` if unknown."""
    best: tuple[int, Change] | None = None
    for prefix, change in _PREFIXES:
        if record_type.startswith(prefix) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), change)
    return best[1] if best else None
