"""The complaint and prevention-activity figures the annual report consumes.

Contract: ``complaint_summary(start, end)`` and ``activity_counts(start, end)``; both count
records dated from ``start`` to ``end`` inclusive (complaints by the date received).
"""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.complaint_summary import ComplaintSummary, summarize_complaints
from sro_desk.domain.meetings import count_activities
from sro_desk.store import complaint_repo, meeting_repo


def complaint_summary(start: dt.date, end: dt.date) -> ComplaintSummary:
    """Complaints received in the period, by category and by standing outcome."""
    return summarize_complaints(complaint_repo.complaints_received_between(start, end), start, end)


def activity_counts(start: dt.date, end: dt.date) -> dict[str, int]:
    """Prevention activities held in the period, by kind (every kind present, zero if none)."""
    return count_activities(meeting_repo.list_activities(start, end), start, end)
