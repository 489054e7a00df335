"""Add or edit a staff member; validates as you type and explains what is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    Role,
    StaffMember,
    StaffStatus,
    validate_staff,
)
from sro_desk.ui.dialogs.form import MAX_CODE, MAX_EMAIL, MAX_NAME, MAX_PHONE
from sro_desk.ui.widgets.combo import fill_enum_combo, required_enum
from sro_desk.ui.widgets.date_edit import OptionalDateEdit
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit


class StaffDialog(QDialog):
    def __init__(
        self,
        providers: list[Provider],
        buildings: list[Building],
        staff: StaffMember | None = None,
        parent: QWidget | None = None,
        first_day_check: Callable[[dt.date | None], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._first_day_check = first_day_check
        self.setWindowTitle("Edit staff member" if staff else "Add staff member")
        self.setMinimumWidth(620)
        self._providers = providers
        self._buildings = [b for b in buildings if b.active or (staff and any(a.building_id == b.id for a in staff.assignments))]
        self._original = staff

        self.first_name = QLineEdit()
        self.last_name = QLineEdit()
        self.role = QComboBox()
        fill_enum_combo(self.role, Role)
        self.commissioned = QCheckBox("Commissioned law enforcement officer")
        self.provider = QComboBox()
        self.provider.addItem("— choose the employer —", None)
        for p in providers:
            self.provider.addItem(f"{p.name} ({p.kind.value})", p.id)
        self.badge = QLineEdit()
        self.phone = QLineEdit()
        self.email = QLineEdit()
        for edit, most in ((self.first_name, MAX_NAME), (self.last_name, MAX_NAME),
                           (self.badge, MAX_CODE * 2), (self.phone, MAX_PHONE),
                           (self.email, MAX_EMAIL)):
            edit.setMaxLength(most)  # issue 20: a 5,040-character first name was accepted
        self.first_day = OptionalDateEdit("First day on school property with students expected")
        self.first_day.setToolTip("Training deadlines (RCW 28A.400.345) count from this day, not the hire date.")
        self.start = OptionalDateEdit("Assignment start")
        self.end = OptionalDateEdit("Assignment end")
        self.status = QComboBox()
        fill_enum_combo(self.status, StaffStatus)
        self.notes = PrivacyTextEdit("Notes")

        for widget, name in (
            (self.first_name, "First name"), (self.last_name, "Last name"), (self.role, "Role"),
            (self.commissioned, "Commissioned"), (self.provider, "Employer"), (self.badge, "Badge or employee number"),
            (self.phone, "Phone"), (self.email, "Email"), (self.status, "Status"),
        ):
            widget.setAccessibleName(name)

        form = QFormLayout()
        form.addRow("&First name", self.first_name)
        form.addRow("&Last name", self.last_name)
        form.addRow("&Role", self.role)
        form.addRow("", self.commissioned)
        form.addRow("&Employer", self.provider)
        form.addRow("&Badge / employee no.", self.badge)
        form.addRow("&Phone", self.phone)
        form.addRow("E&mail", self.email)
        form.addRow("First day with students", self.first_day)
        form.addRow("Assignment start", self.start)
        form.addRow("Assignment end", self.end)
        form.addRow("&Status", self.status)

        self.buildings = QTableWidget(len(self._buildings), 2)
        self.buildings.setHorizontalHeaderLabels(["Building", "Days per week"])
        self.buildings.setAccessibleName("Buildings assigned and days per week")
        self.buildings.verticalHeader().setVisible(False)
        self.buildings.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.buildings.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._day_boxes: list[QDoubleSpinBox] = []
        for row, building in enumerate(self._buildings):
            item = QTableWidgetItem(building.display)
            item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.buildings.setItem(row, 0, item)
            days = QDoubleSpinBox()
            days.setRange(0.5, 5)
            days.setSingleStep(0.5)
            days.setDecimals(1)
            days.setValue(5)
            days.setAccessibleName(f"Days per week at {building.name}")
            self.buildings.setCellWidget(row, 1, days)
            self._day_boxes.append(days)
        self.buildings.setMinimumHeight(min(260, 30 + 30 * max(1, len(self._buildings))))
        building_box = QGroupBox("Buildings assigned")
        QVBoxLayout(building_box).addWidget(self.buildings)

        notes_box = QGroupBox("Notes")
        QVBoxLayout(notes_box).addWidget(self.notes)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems with this entry")
        self.problems.setTextFormat(Qt.TextFormat.PlainText)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.addLayout(form)
        inner_layout.addWidget(notes_box)
        inner_layout.addWidget(building_box)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)
        self.resize(680, 760)

        if staff is not None:
            self._load(staff)
        for signal in (
            self.first_name.textChanged, self.last_name.textChanged, self.email.textChanged,
            self.role.currentIndexChanged, self.provider.currentIndexChanged, self.status.currentIndexChanged,
            self.commissioned.toggled, self.buildings.itemChanged, self.first_day.dateChanged,
            self.start.dateChanged, self.end.dateChanged, self.notes.textChanged,
        ):
            signal.connect(self._on_any_changed)
        for box in self._day_boxes:
            box.valueChanged.connect(self._on_any_changed)
        self._on_any_changed()
        self.first_name.setFocus()

    def _load(self, staff: StaffMember) -> None:
        self.first_name.setText(staff.first_name)
        self.last_name.setText(staff.last_name)
        self.role.setCurrentIndex(self.role.findData(staff.role.value))
        self.commissioned.setChecked(staff.commissioned)
        self.provider.setCurrentIndex(max(0, self.provider.findData(staff.provider_id)))
        self.badge.setText(staff.badge_number)
        self.phone.setText(staff.phone)
        self.email.setText(staff.email)
        self.first_day.setDate(staff.first_day_with_students)
        self.start.setDate(staff.assignment_start)
        self.end.setDate(staff.assignment_end)
        self.status.setCurrentIndex(self.status.findData(staff.status.value))
        self.notes.setText(staff.notes)
        days = {a.building_id: a.days_per_week for a in staff.assignments}
        for row, building in enumerate(self._buildings):
            if building.id in days:
                item = self.buildings.item(row, 0)
                if item is not None:
                    item.setCheckState(Qt.CheckState.Checked)
                self._day_boxes[row].setValue(days[building.id or 0])

    def staff(self) -> StaffMember:
        provider_id = self.provider.currentData()
        provider = next((p for p in self._providers if p.id == provider_id), None)
        assignments = []
        for row, building in enumerate(self._buildings):
            item = self.buildings.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked and building.id is not None:
                assignments.append(BuildingAssignment(building.id, self._day_boxes[row].value(), building.code, building.name))
        return StaffMember(
            id=self._original.id if self._original else None,
            first_name=self.first_name.text().strip(),
            last_name=self.last_name.text().strip(),
            role=required_enum(self.role, Role),
            commissioned=self.commissioned.isChecked(),
            provider_id=provider_id,
            badge_number=self.badge.text().strip(),
            phone=self.phone.text().strip(),
            email=self.email.text().strip(),
            assignments=tuple(assignments),
            first_day_with_students=self.first_day.date(),
            assignment_start=self.start.date(),
            assignment_end=self.end.date(),
            status=required_enum(self.status, StaffStatus),
            notes=self.notes.text(),
            provider_name=provider.name if provider else "",
            provider_kind=provider.kind if provider else None,
        )

    def _on_any_changed(self, *_args: object) -> None:
        check = validate_staff(self.staff())
        lines = [f"✖ {e}" for e in check.errors] + [f"⚠ {w}" for w in check.warnings if "RCW 10.93.160" not in w]
        if self._first_day_check is not None:
            first_day = self._first_day_check(self.first_day.date())
            if first_day:
                lines.append(f"⚠ {first_day}")
        self.problems.setText("\n".join(lines))
        self.problems.setStyleSheet("color: #b00020;" if check.errors else "color: #8a5a00;")
        self.problems.setVisible(bool(lines))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(check.ok)
            save.setToolTip("Fix the problems listed above to save." if not check.ok else "")
