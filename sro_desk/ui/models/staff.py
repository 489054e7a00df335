"""The roster table: staff members as rows, with an optional training-clearance note per person."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtGui import QColor

from sro_desk.domain.dates import format_date
from sro_desk.domain.roster import Role, StaffMember, StaffStatus, format_days
from sro_desk.ui.models.table import Column, ObjectFilterProxy, ObjectTableModel

STATUS_COLORS = {
    StaffStatus.ACTIVE: None,
    StaffStatus.PENDING: QColor("#8a5a00"),
    StaffStatus.INACTIVE: QColor("#777777"),
}


@dataclass(frozen=True)
class ClearanceNote:
    """How the Training tab judges a person, shown beside their roster status."""

    cleared: bool
    text: str
    tooltip: str = ""


class StaffTableModel(ObjectTableModel[StaffMember]):
    def __init__(self, parent: Any = None) -> None:
        self._clearance: dict[int, ClearanceNote] = {}
        columns: list[Column[StaffMember]] = [
            Column("Name", lambda m: m.sort_name, sort=lambda m: m.sort_name.lower(), tooltip=lambda m: m.notes),
            Column("Status", self._status_text, sort=self._status_text, tooltip=self._status_tip, foreground=self._status_color),
            Column("Role", lambda m: m.role.value),
            Column("Comm.", lambda m: m.commissioned, tooltip=lambda m: "Commissioned law enforcement officer" if m.commissioned else "Not commissioned"),
            Column("Employer", lambda m: m.provider_name),
            Column("Buildings (days/week)", lambda m: "; ".join(f"{a.building_code} {format_days(a.days_per_week)}" for a in m.assignments)),
            Column("Days/week", lambda m: m.total_days_per_week, align_right=True),
            Column("First day with students", lambda m: m.first_day_with_students, tooltip=lambda m: "" if m.first_day_with_students else "Not recorded: training deadlines count from this day"),
            Column("Badge / no.", lambda m: m.badge_number),
        ]
        super().__init__(columns, parent)

    def set_clearance(self, notes: dict[int, ClearanceNote]) -> None:
        self.beginResetModel()
        self._clearance = dict(notes)
        self.endResetModel()

    def clearance(self, staff_id: int | None) -> ClearanceNote | None:
        return self._clearance.get(staff_id) if staff_id is not None else None

    def _status_text(self, m: StaffMember) -> str:
        note = self.clearance(m.id)
        return f"{m.status.value} · {note.text}" if note else m.status.value

    def _status_tip(self, m: StaffMember) -> str:
        note = self.clearance(m.id)
        lines = [f"Status: {m.status.value}"]
        if m.assignment_start or m.assignment_end:
            lines.append(f"Assignment: {format_date(m.assignment_start) or '?'} – {format_date(m.assignment_end) or 'open'}")
        if note and note.tooltip:
            lines.append(note.tooltip)
        return "\n".join(lines)

    def _status_color(self, m: StaffMember) -> QColor | None:
        note = self.clearance(m.id)
        if m.status is StaffStatus.ACTIVE and note is not None and not note.cleared:
            return QColor("#b00020")
        return STATUS_COLORS[m.status]


class StaffFilterProxy(ObjectFilterProxy):
    """Text search plus role, employer, building and status filters."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.role: Role | None = None
        self.provider_id: int | None = None
        self.building_id: int | None = None
        self.status: StaffStatus | None = None
        self.set_predicate(self._accepts)

    def set_filters(self, *, role: Role | None, provider_id: int | None, building_id: int | None, status: StaffStatus | None) -> None:
        self.beginFilterChange()
        self.role, self.provider_id, self.building_id, self.status = role, provider_id, building_id, status
        self.endFilterChange(ObjectFilterProxy.Direction.Rows)

    def _accepts(self, m: StaffMember) -> bool:
        if self.role is not None and m.role is not self.role:
            return False
        if self.provider_id is not None and m.provider_id != self.provider_id:
            return False
        if self.building_id is not None and all(a.building_id != self.building_id for a in m.assignments):
            return False
        return not (self.status is not None and m.status is not self.status)
