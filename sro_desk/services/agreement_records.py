"""Agreement records as the Agreements tab edits them (the UI talks to services only)."""

from __future__ import annotations

from sro_desk.domain.agreements import Agreement, ReviewMeeting
from sro_desk.store import agreement_repo


def update_agreement(agreement: Agreement, *, reason: str = '') -> Agreement:
    return agreement_repo.update_agreement(agreement, reason=reason)


def delete_agreement(agreement_id: int, *, reason: str = '') -> None:
    """Delete an agreement with its checklist and its own meetings, each deletion audited."""
    agreement_repo.delete_agreement(agreement_id, reason=reason)


def list_meetings(school_year: str | None = None) -> list[ReviewMeeting]:
    return agreement_repo.list_meetings(school_year)


def save_meeting(meeting: ReviewMeeting, *, reason: str = '') -> ReviewMeeting:
    return agreement_repo.save_meeting(meeting, reason=reason)


def delete_meeting(meeting_id: int, *, reason: str = '') -> None:
    agreement_repo.delete_meeting(meeting_id, reason=reason)
