"""The call log's records, for the UI (which talks to services only)."""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.calls import Call, CallLabels, LabelKind
from sro_desk.store import call_repo


def list_calls(start: dt.date | None = None, end: dt.date | None = None) -> list[Call]:
    """Every call in the date range (inclusive), oldest first, students attached."""
    return call_repo.list_calls(start, end)


def save_call(call: Call, labels: CallLabels, *, reason: str = '') -> Call:
    """Create or update one call and its students, audited, in one transaction."""
    return call_repo.save_call(call, labels, reason=reason)


def delete_call(call_id: int, *, reason: str = '') -> None:
    call_repo.delete_call(call_id, reason=reason)


def add_custom_label(labels: CallLabels, kind: LabelKind, label: str) -> CallLabels:
    """Add a district offense type or outcome (validated by the domain), audited."""
    return call_repo.add_custom_label(labels, kind, label)
