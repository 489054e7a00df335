"""Table models of the Agreements tab, over frozen domain objects (painting never queries).

State is always written out in words (and an icon-free "⚠" mark), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtGui import QColor

from sro_desk.domain.agreements import (
    AgreementAssessment,
    ItemAssessment,
    ItemStatus,
    ReviewMeeting,
)
from sro_desk.domain.start_of_year import BuildingDuties, DutyState
from sro_desk.ui.models.table import Column, ObjectFilterProxy, ObjectTableModel
from sro_desk.ui.widgets.lock_icon import lock_icon

ATTENTION = QColor("#9c2a00")
DONE = QColor("#1e6b34")
MUTED = QColor("#666666")


def _progress_color(a: AgreementAssessment) -> QColor | None:
    return DONE if a.progress.complete else None


class AgreementTableModel(ObjectTableModel[AgreementAssessment]):
    """One row per agreement of the chosen school year, with its live progress."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[AgreementAssessment]] = [
            Column("Agency or company", lambda a: a.agreement.provider_name,
                   sort=lambda a: a.agreement.provider_name.lower()),
            Column("Title", lambda a: a.agreement.title, tooltip=lambda a: a.agreement.notes),
            Column("State", lambda a: a.agreement.state,
                   foreground=lambda a: ATTENTION if a.agreement.is_draft else None),
            Column("Progress", lambda a: a.progress.text + (" ✓" if a.progress.complete else ""),
                   sort=lambda a: (a.progress.met / a.progress.required) if a.progress.required else 0,
                   foreground=_progress_color),
            Column("Needs attention", lambda a: f"⚠ {len(a.flags)}" if a.flags else "",
                   sort=lambda a: len(a.flags), tooltip=lambda a: "\n".join(a.flags)),
            Column("Effective", lambda a: a.agreement.effective_on),
            Column("Expires", lambda a: a.agreement.expires_on),
            Column("Board adoption", lambda a: a.agreement.adopted_on),
            Column("Signed document", lambda a: a.agreement.document_filename or "not attached",
                   tooltip=lambda a: (f"SHA-256 {a.agreement.document_sha256}"
                                      if a.agreement.document_sha256 else "")),
        ]
        super().__init__(columns, parent)


def _status_color(item: ItemAssessment) -> QColor | None:
    if item.counts_as_met:
        return DONE
    if item.flags:
        return ATTENTION
    if item.entry.status is ItemStatus.NOT_APPLICABLE:
        return MUTED
    return None


class AgreementItemTableModel(ObjectTableModel[ItemAssessment]):
    """The checklist of one agreement as judged (live training and meetings included)."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[ItemAssessment]] = [
            Column("No.", lambda i: i.definition.order, align_right=True),
            Column("Item", lambda i: i.definition.title,
                   tooltip=lambda i: f"{i.definition.description}\n\n{i.definition.citation_text}"),
            Column("Status", lambda i: i.shown_status, foreground=_status_color,
                   tooltip=lambda i: i.entry.not_applicable_reason),
            Column("Needs attention", lambda i: ("⚠ " + " ".join(i.flags)) if i.flags else "",
                   tooltip=lambda i: "\n".join(i.flags), foreground=lambda i: ATTENTION),
            Column("Section", lambda i: i.entry.section),
            Column("Evidence", lambda i: i.entry.evidence),
            Column("Checked by", lambda i: i.entry.checked_by),
            Column("Checked on", lambda i: i.entry.checked_on),
            Column("Citations", lambda i: i.definition.citation_text,
                   icon=lambda i: lock_icon() if i.definition.statutory else None,
                   tooltip=lambda i: (
                       f"Locked: required by {i.definition.citation_text}; it cannot be marked "
                       "not applicable." if i.definition.statutory
                       else "The district's own item: it may be marked not applicable.")),
        ]
        super().__init__(columns, parent)


class ReviewMeetingTableModel(ObjectTableModel[ReviewMeeting]):
    """Review meetings of a school year; ``agreement_names`` names what each one applies to."""

    def __init__(self, parent: Any = None) -> None:
        self._names: Mapping[int, str] = {}
        columns: list[Column[ReviewMeeting]] = [
            Column("Date", lambda m: m.held_on),
            Column("Kind", lambda m: m.kind.value),
            Column("Applies to", self._applies_to),
            Column("Participants", lambda m: m.participant_text),
            Column("Total", lambda m: sum(n for _g, n in m.participants), align_right=True),
            Column("Notes", lambda m: " ".join(m.notes.split()), tooltip=lambda m: m.notes),
            Column("Minutes", lambda m: m.minutes_filename or "not attached"),
        ]
        super().__init__(columns, parent)

    def set_agreement_names(self, names: Mapping[int, str]) -> None:
        self.beginResetModel()
        self._names = dict(names)
        self.endResetModel()

    def _applies_to(self, m: ReviewMeeting) -> str:
        if m.agreement_id is None:
            return "Every agreement this year"
        return self._names.get(m.agreement_id, f"Agreement {m.agreement_id}")


def _duty_color(b: BuildingDuties) -> QColor | None:
    return {DutyState.DONE: DONE, DutyState.OVERDUE: ATTENTION}.get(b.state)


class StartOfYearTableModel(ObjectTableModel[BuildingDuties]):
    """Each building's presentation to students and distribution to families for one year."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[BuildingDuties]] = [
            Column("Building", lambda b: b.building_name, sort=lambda b: b.building_name.lower()),
            Column("State", lambda b: ("⚠ " if b.state is DutyState.OVERDUE else "") + b.state.value,
                   foreground=_duty_color, tooltip=lambda b: b.message),
            Column("Presented to students", lambda b: b.record.presented_on if b.record else None),
            Column("Presenter", lambda b: b.record.presenter if b.record else ""),
            Column("Audience", lambda b: b.record.audience if b.record else ""),
            Column("Distributed to families", lambda b: b.record.distributed_on if b.record else None),
            Column("How", lambda b: b.record.methods_text if b.record else ""),
            Column("Languages", lambda b: b.record.languages_text if b.record else ""),
            Column("Staff trained on asking an SRO to intervene",
                   lambda b: (b.record.intervention_training_on if b.record
                              and b.record.intervention_training_on else "not recorded"),
                   tooltip=lambda b: "Snohomish SRO procedures: \u201cStaff will be trained on "
                   "when it is appropriate to ask an SRO to intervene.\u201d One record per "
                   "building and school year."
                   + (f" Trained by {b.record.intervention_trainer}." if b.record
                      and b.record.intervention_trainer else "")),
            Column("What is missing", lambda b: "" if b.state is DutyState.DONE else b.message),
        ]
        super().__init__(columns, parent)


class AgreementFilterProxy(ObjectFilterProxy):
    """Search across every column of the agreements table."""
