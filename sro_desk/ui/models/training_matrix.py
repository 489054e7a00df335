"""Table models of the Training tab: the compliance matrix (people down, requirements across) and
the needs-attention list. Both hold frozen domain objects; painting never queries."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from sro_desk.domain.training import (
    STATUS_FILLS,
    STATUS_SYMBOLS,
    AttentionItem,
    ComplianceMatrix,
    PersonTraining,
    RequirementStatus,
    TrainingStatus,
)
from sro_desk.domain.training_catalog import Requirement
from sro_desk.ui.models.table import Column, ObjectFilterProxy, ObjectTableModel
from sro_desk.ui.widgets.lock_icon import lock_icon

FIXED_COLUMNS = 4  # name, employer, may be assigned, series deadlines
CELL_ROLE = Qt.ItemDataRole.UserRole + 10
_ICONS: dict[str, QIcon] = {}
_BORDER = {
    TrainingStatus.VERIFIED: "#2e7d32",
    TrainingStatus.WAIVED: "#1f5fa8",
    TrainingStatus.DUE: "#9a7400",
    TrainingStatus.OVERDUE: "#b00020",
    TrainingStatus.EXPIRING_SOON: "#c55a11",
    TrainingStatus.EXPIRED: "#7b1010",
    TrainingStatus.NOT_APPLICABLE: "#777777",
}


def status_color(status: TrainingStatus) -> QColor:
    return QColor(f"#{STATUS_FILLS[status]}")


def status_icon(status: TrainingStatus) -> QIcon:
    """A small badge: the status symbol on its colour, outlined, so shape and colour both speak."""
    key = status.value
    icon = _ICONS.get(key)
    if icon is None:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QColor(_BORDER[status]))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawEllipse(QRectF(0.5, 0.5, 15, 15))
        painter.setPen(QColor("white"))
        font = QFont()
        font.setPixelSize(11)
        font.setBold(True)
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, 16, 16), Qt.AlignmentFlag.AlignCenter,
                         STATUS_SYMBOLS[status])
        painter.end()
        icon = QIcon(pixmap)
        _ICONS[key] = icon
    return icon


def clearance_icon(cleared: bool) -> QIcon:
    return status_icon(TrainingStatus.VERIFIED if cleared else TrainingStatus.OVERDUE)


ASSIGNMENT_TIP = (
    "May be assigned (RCW 28A.400.345(1)): before staff are assigned, the district confirms the "
    "ESD training series documentation, or requires the series. SRO Desk reads that as: "
    "documentation confirmed, or the first day with students recorded so the series' deadlines run."
)
COMPLIANCE_TIP = (
    "Series deadlines (RCW 28A.400.345(2)(b)-(d)): classroom topics within 6 months of the first "
    "day with students, on-the-job days and (for staff who are not SROs) check-ins within the "
    "first year. \"Series overdue\" names each component whose deadline has passed."
)


def clearance_tooltip(row: PersonTraining, which: str) -> str:
    c = row.clearance
    if which == "assign":
        head = f"{c.assignment_label} (RCW 28A.400.345(1))"
        reasons = c.assignment_reasons
    else:
        head = f"{c.compliance_label} with the series deadlines (RCW 28A.400.345(2))"
        reasons = c.compliance_reasons
    return "\n".join([head, *(f"• {t}" for t in reasons)])


def cell_text(cell: RequirementStatus) -> str:
    """Compact cell words: the domain's short text ("Overdue · 20 Nov 2026", the same in the
    workbook), marked "(claimed)" while an unverified record waits."""
    text = cell.short_text
    if cell.pending_claims and not cell.status.satisfied:
        text += " (claimed)"
    return text


def wrapped_title(title: str, width: int = 18, max_lines: int = 3) -> str:
    """A header broken at word breaks into lines of about ``width`` characters so columns stay
    narrow and every word shows; a title that would need more than ``max_lines`` lines gets
    longer lines instead. The full wording stays in the header's tooltip."""
    words = title.split()
    if not words:
        return title
    if len(words) > 1 and len(words[0]) <= 4 and words[0].startswith("("):
        words[:2] = [f"{words[0]} {words[1]}"]  # keep "(c)" with the name it letters
    while True:
        lines = [words[0]]
        for word in words[1:]:
            if len(lines[-1]) + 1 + len(word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        if len(lines) <= max_lines:
            return "\n".join(lines)
        width += 4


def cell_tooltip(requirement: Requirement, cell: RequirementStatus, person_name: str) -> str:
    return "\n".join([f"{person_name} — {requirement.column_title}", *cell.detail_lines(),
                      "", "Click to open the records."])


class TrainingMatrixModel(ObjectTableModel[PersonTraining]):
    """One row per person; columns: name, employer, clearance, then each requirement."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], parent)
        self._requirements: tuple[Requirement, ...] = ()
        self.matrix: ComplianceMatrix | None = None

    def set_matrix(self, matrix: ComplianceMatrix) -> None:
        self.beginResetModel()
        self.matrix = matrix
        self._requirements = matrix.requirements
        self._columns = self._build_columns(matrix.requirements)
        self._items = list(matrix.rows)
        self.endResetModel()

    def requirement_at(self, column: int) -> Requirement | None:
        index = column - FIXED_COLUMNS
        return self._requirements[index] if 0 <= index < len(self._requirements) else None

    @staticmethod
    def _build_columns(requirements: tuple[Requirement, ...]) -> list[Column[PersonTraining]]:
        columns: list[Column[PersonTraining]] = [
            Column("Name", lambda r: r.person.name, sort=lambda r: r.person.name.casefold(),
                   tooltip=lambda r: f"{r.person.role_label}\n{r.person.building}".strip()),
            Column("Employer", lambda r: r.person.employer_name),
            Column("May be\nassigned", lambda r: "Yes" if r.clearance.may_be_assigned else "No",
                   sort=lambda r: (r.clearance.may_be_assigned, r.person.name.casefold()),
                   tooltip=lambda r: clearance_tooltip(r, "assign"),
                   background=lambda r: status_color(
                       TrainingStatus.VERIFIED if r.clearance.may_be_assigned
                       else TrainingStatus.OVERDUE),
                   icon=lambda r: clearance_icon(r.clearance.may_be_assigned)),
            Column("Series\ndeadlines", lambda r: r.clearance.compliance_label,
                   sort=lambda r: (r.clearance.in_compliance, r.person.name.casefold()),
                   tooltip=lambda r: clearance_tooltip(r, "comply"),
                   background=lambda r: status_color(
                       TrainingStatus.VERIFIED if r.clearance.in_compliance
                       else TrainingStatus.OVERDUE),
                   icon=lambda r: clearance_icon(r.clearance.in_compliance)),
        ]
        for i, requirement in enumerate(requirements):
            columns.append(Column(
                wrapped_title(requirement.column_title),
                lambda r, i=i: cell_text(r.cells[i]),
                sort=lambda r, i=i: (list(TrainingStatus).index(r.cells[i].status),
                                     (r.cells[i].due_on.isoformat() if r.cells[i].due_on else "")),
                tooltip=lambda r, i=i, q=requirement: cell_tooltip(q, r.cells[i], r.person.name),
                background=lambda r, i=i: status_color(r.cells[i].status),
                icon=lambda r, i=i: status_icon(r.cells[i].status),
            ))
        return columns

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == CELL_ROLE and index.isValid():
            requirement = self.requirement_at(index.column())
            if requirement is None or not 0 <= index.row() < len(self._items):
                return None
            return self._items[index.row()].cells[index.column() - FIXED_COLUMNS]
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid() and (
            index.column() >= FIXED_COLUMNS - 1
        ):
            return QColor("#000000")  # fills are light: keep text dark in any theme
        return super().data(index, role)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            if section == FIXED_COLUMNS - 2:
                return ASSIGNMENT_TIP
            if section == FIXED_COLUMNS - 1:
                return COMPLIANCE_TIP
            requirement = self.requirement_at(section)
            return requirement.tooltip() if requirement is not None else None
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DecorationRole:
            requirement = self.requirement_at(section)
            return lock_icon() if requirement is not None and requirement.locked else None
        return super().headerData(section, orientation, role)


STATUS_CHOICES = {
    "Not to be assigned": lambda c: not c.may_be_assigned,
    "May be assigned": lambda c: c.may_be_assigned,
    "Series overdue": lambda c: not c.in_compliance,
    "In compliance": lambda c: c.in_compliance,
}
"""The person-level filters of the status combo, each a test of the clearance."""


class TrainingFilterProxy(ObjectFilterProxy):
    """Employer, building, role and status filters plus the text search."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.employer: str | None = None
        self.building: str | None = None
        self.role: str | None = None
        self.status: str | None = None
        self.set_predicate(self._accepts)

    def set_filters(self, *, employer: str | None, building: str | None, role: str | None,
                    status: str | None) -> None:
        self.employer, self.building, self.role, self.status = employer, building, role, status
        self.refilter()

    def _accepts(self, row: PersonTraining) -> bool:
        p = row.person
        if self.employer is not None and p.employer_name != self.employer:
            return False
        if self.building is not None and self.building not in p.building.split(", "):
            return False
        if self.role is not None and p.role_label != self.role:
            return False
        if self.status is None:
            return True
        c = row.clearance
        if self.status in STATUS_CHOICES:
            return STATUS_CHOICES[self.status](c)
        return any(c.status.value == self.status for c in row.cells)


class AttentionTableModel(ObjectTableModel[AttentionItem]):
    """Overdue, expired, due or expiring soon: soonest first."""

    def __init__(self, parent: Any = None) -> None:
        columns: list[Column[AttentionItem]] = [
            Column("When", lambda a: a.date, sort=lambda a: a.date.isoformat() if a.date else "",
                   tooltip=lambda a: "" if a.date else "No date: the first day is not recorded"),
            Column("Days", lambda a: "" if a.days is None else a.days,
                   sort=lambda a: -99999 if a.days is None else a.days, align_right=True),
            Column("Status", lambda a: a.status.value,
                   background=lambda a: status_color(a.status),
                   foreground=lambda a: QColor("#000000"),
                   icon=lambda a: status_icon(a.status)),
            Column("Person", lambda a: a.person_name, sort=lambda a: a.person_name.casefold()),
            Column("What", lambda a: a.message, tooltip=lambda a: a.message),
        ]
        super().__init__(columns, parent)
