"""Table models for complaints, the calendar, meetings, cadence gaps and prevention activities.

Each holds frozen domain objects (painting never queries). Overdue rows say so in words and in
colour, never in colour alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor

from sro_desk.domain.complaints import BoardItem, Complaint, Stage
from sro_desk.domain.meetings import CadenceGap, PreventionActivity, SupervisionMeeting
from sro_desk.domain.school_calendar import NonSchoolDay
from sro_desk.ui.models.table import Column, ObjectFilterProxy, ObjectTableModel

OVERDUE = QColor("#a61b1b")
SOON = QColor("#8a5a00")


def _due(item: BoardItem) -> dt.date | None:
    return item.due.due if item.due else None


def _status_color(item: BoardItem) -> QColor | None:
    if item.overdue:
        return OVERDUE
    if item.days_left is not None and item.days_left <= 3:
        return SOON
    return None


def _status_sort(item: BoardItem) -> tuple[int, str]:
    due = _due(item)
    if item.overdue:
        return (0, due.isoformat() if due else "")
    if due is not None:
        return (1, due.isoformat())
    return (2 if item.due is not None else 3, "")


def _status_tooltip(item: BoardItem) -> str:
    """The status whole (the column may elide it) and how the deadline was counted."""
    return f"{item.status}. {item.due.explanation()}" if item.due else item.status


class ComplaintBoardTableModel(ObjectTableModel[BoardItem]):
    """Open complaints with the next deadline and school days left."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[BoardItem]] = [
            Column("Complaint", lambda i: i.complaint.reference,
                   sort=lambda i: i.complaint.id or 0),
            Column("Status", lambda i: i.status, sort=_status_sort, foreground=_status_color,
                   tooltip=_status_tooltip),
            Column("Next answer due", lambda i: i.due.kind.value if i.due else "",
                   tooltip=lambda i: i.due.kind.value if i.due else ""),
            Column("Due", _due, tooltip=lambda i: i.due.explanation() if i.due else ""),
            Column("Stage", lambda i: i.complaint.stage.value,
                   sort=lambda i: list(Stage).index(i.complaint.stage),
                   tooltip=lambda i: i.complaint.stage.value),
            Column("Received", lambda i: i.complaint.received_on),
            Column("Building", lambda i: i.complaint.building,
                   tooltip=lambda i: i.complaint.building),
            Column("Category", lambda i: i.complaint.category.value,
                   tooltip=lambda i: i.complaint.category.value),
            Column("Complainant", lambda i: i.complaint.complainant_display,
                   tooltip=lambda i: i.complaint.complainant_display),
            Column("Language", lambda i: i.complaint.language,
                   tooltip=lambda i: i.complaint.language),
        ]
        super().__init__(columns, parent)


class ComplaintTableModel(ObjectTableModel[Complaint]):
    """Every complaint, open or closed."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[Complaint]] = [
            Column("Complaint", lambda c: c.reference, sort=lambda c: c.id or 0),
            Column("Received", lambda c: c.received_on),
            Column("Channel", lambda c: c.channel.value),
            Column("Complainant", lambda c: c.complainant_display,
                   tooltip=lambda c: c.complainant_display),
            Column("Building", lambda c: c.building, tooltip=lambda c: c.building),
            Column("Staff involved", lambda c: ", ".join(s.name for s in c.staff),
                   tooltip=lambda c: ", ".join(s.name for s in c.staff)),
            Column("Category", lambda c: c.category.value),
            Column("Stage", lambda c: c.stage.value, sort=lambda c: list(Stage).index(c.stage)),
            Column("Outcome", lambda c: c.outcome),
        ]
        super().__init__(columns, parent)


class ComplaintFilterProxy(ObjectFilterProxy):
    """Search over every column of the complaint tables."""


class NonSchoolDayTableModel(ObjectTableModel[NonSchoolDay]):
    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[NonSchoolDay]] = [
            Column("Date", lambda d: d.day),
            Column("Weekday", lambda d: f"{d.day:%A}", sort=lambda d: d.day.isoformat()),
            Column("Kind", lambda d: d.kind.value),
            Column("Description", lambda d: d.reason),
        ]
        super().__init__(columns, parent)


@dataclass(frozen=True, slots=True)
class DeadlineMove:
    """A listed deadline move: when it was recorded and what it says."""

    at: dt.datetime
    complaint_id: int
    text: str


class DeadlineMoveTableModel(ObjectTableModel[DeadlineMove]):
    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[DeadlineMove]] = [
            Column("Recorded", lambda m: m.at.strftime("%Y-%m-%d %H:%M"),
                   sort=lambda m: m.at.isoformat()),
            Column("Change", lambda m: m.text, tooltip=lambda m: m.text),
        ]
        super().__init__(columns, parent)


class MeetingTableModel(ObjectTableModel[SupervisionMeeting]):
    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[SupervisionMeeting]] = [
            Column("Date", lambda m: m.on),
            Column("Kind", lambda m: m.kind.value),
            Column("Staff member", lambda m: m.staff_name),
            Column("Building", lambda m: m.building),
            Column("Principal", lambda m: m.principal),
            Column("Topics", lambda m: m.topics, tooltip=lambda m: m.notes),
        ]
        super().__init__(columns, parent)


@dataclass(frozen=True, slots=True)
class StaffGap:
    """A cadence gap with the staff member and building it belongs to."""

    staff_name: str
    building: str
    gap: CadenceGap
    staff_id: int = 0


class CadenceGapTableModel(ObjectTableModel[StaffGap]):
    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[StaffGap]] = [
            Column("Staff member", lambda g: g.staff_name),
            Column("Building", lambda g: g.building),
            Column("Kind", lambda g: g.gap.kind.value),
            Column("Week missed", lambda g: g.gap.week_of or "",
                   sort=lambda g: g.gap.week_of.isoformat() if g.gap.week_of else "",
                   tooltip=lambda g: "The Monday of a calendar week with school days and no "
                   "contact" if g.gap.week_of else ""),
            Column("Last met", lambda g: g.gap.last_met or "start of year",
                   sort=lambda g: g.gap.last_met.isoformat() if g.gap.last_met else ""),
            Column("Due by", lambda g: g.gap.due_by, foreground=lambda g: OVERDUE),
            Column("Next met", lambda g: g.gap.next_met or "not since",
                   sort=lambda g: g.gap.next_met.isoformat() if g.gap.next_met else "9999"),
            Column("Rule", lambda g: g.gap.rule, tooltip=lambda g: g.gap.describe()),
        ]
        super().__init__(columns, parent)


class ActivityTableModel(ObjectTableModel[PreventionActivity]):
    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[PreventionActivity]] = [
            Column("Date", lambda a: a.on),
            Column("Kind", lambda a: a.kind.value),
            Column("Building", lambda a: a.building),
            Column("Staff member", lambda a: a.staff_name),
            Column("Participants", lambda a: a.participants, align_right=True),
            Column("Notes", lambda a: a.notes, tooltip=lambda a: a.notes),
        ]
        super().__init__(columns, parent)
