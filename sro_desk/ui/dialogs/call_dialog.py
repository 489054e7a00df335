"""Enter or edit a call, fast from the keyboard: students are rows (Ctrl+Shift+N adds one).

Every field is a list to choose from (type the first letters to jump), the students table takes
Tab between cells, and the dialog checks as you type: Save stays disabled and the problems are
listed in words until the call is valid. No field exists for a student's name or ID number.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.calls import (
    MAX_AGE,
    MIN_AGE,
    Call,
    CallLabels,
    InvolvedStudent,
    LabelKind,
    make_call,
)
from sro_desk.domain.errors import ValidationError
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit

STUDENT_HEADERS = ("Age", "Gender", "Race/ethnicity", "IEP", "504", "Outcome", "Use of force",
                   "Discipline")


def _combo(items: tuple[str, ...], name: str) -> QComboBox:
    combo = QComboBox()
    for item in items:
        combo.addItem(item, item)
    combo.setAccessibleName(name)
    return combo


def _centered(widget: QWidget) -> QWidget:
    holder = QWidget()
    layout = QHBoxLayout(holder)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignCenter)
    holder.setFocusProxy(widget)
    return holder


class CallDialog(QDialog):
    def __init__(self, labels: CallLabels, buildings: list[str], call: Call | None = None,
                 parent: QWidget | None = None, *, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit call" if call else "New call")
        self._labels = labels
        self._original = call
        self._result: Call | None = None

        self.ref = QLineEdit()
        self.ref.setAccessibleName("Call reference")
        self.ref.setPlaceholderText("e.g. 2026-0142 (the SIS or dispatch number)")
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Date of the call")
        day = today or clock.today()
        self.date.setDate(QDate(day.year, day.month, day.day))
        self.time_known = QCheckBox("Time recorded")
        self.time_known.setChecked(True)
        self.time_known.setAccessibleName("Time recorded")
        self.time = QTimeEdit()
        self.time.setDisplayFormat("HH:mm")
        self.time.setAccessibleName("Time of the call")
        self.time.setTime(QTime(10, 0))
        self.building = _combo(tuple(buildings), "Building")
        self.location = _combo(labels.labels(LabelKind.LOCATION), "Location")
        self.initiated_by = _combo(labels.labels(LabelKind.INITIATED_BY), "Initiated by")
        self.emergency = QCheckBox("Emergency")
        self.emergency.setAccessibleName("Emergency")
        self.offense = _combo(labels.labels(LabelKind.OFFENSE_TYPE), "Offense type")
        self.description = PrivacyTextEdit("Short description", max_height=70)
        self.call_outcome = _combo(labels.labels(LabelKind.OUTCOME), "Outcome of the call")

        time_row = QHBoxLayout()
        time_row.addWidget(self.time_known)
        time_row.addWidget(self.time, 1)
        form = QFormLayout()
        form.addRow("Call &reference", self.ref)
        form.addRow("&Date", self.date)
        time_label = QLabel("&Time")
        time_label.setBuddy(self.time)
        form.addRow(time_label, time_row)
        form.addRow("&Building", self.building)
        form.addRow("&Location", self.location)
        form.addRow("&Initiated by", self.initiated_by)
        form.addRow("", self.emergency)
        form.addRow("&Offense type", self.offense)
        form.addRow("D&escription", self.description)
        form.addRow("Call o&utcome", self.call_outcome)

        self.students = QTableWidget(0, len(STUDENT_HEADERS))
        self.students.setHorizontalHeaderLabels(list(STUDENT_HEADERS))
        self.students.setAccessibleName("Students involved")
        self.students.verticalHeader().setVisible(True)
        self.students.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.students.setTabKeyNavigation(True)
        for column, width in enumerate((60, 110, 230, 50, 50, 250, 90, 90)):
            self.students.setColumnWidth(column, width)
        self.add_student_button = QPushButton("&Add student (Ctrl+Shift+N)")
        self.add_student_button.setAccessibleName("Add student")
        self.remove_student_button = QPushButton("Re&move student")
        self.remove_student_button.setAccessibleName("Remove student")
        self.add_student_button.clicked.connect(self._on_add_student_clicked)
        self.remove_student_button.clicked.connect(self._on_remove_student_clicked)
        student_box = QGroupBox("Students involved (no names or ID numbers)")
        student_layout = QVBoxLayout(student_box)
        student_layout.addWidget(self.students)
        buttons_row = QHBoxLayout()
        buttons_row.addWidget(self.add_student_button)
        buttons_row.addWidget(self.remove_student_button)
        buttons_row.addStretch(1)
        student_layout.addLayout(buttons_row)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName("Problems with this call")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_buttons_accepted)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(student_box, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(1000, 760)

        QShortcut(QKeySequence("Ctrl+Shift+N"), self, activated=self._on_add_student_clicked)

        if call is not None:
            self._load(call)
        for signal in (self.ref.textChanged, self.date.dateChanged, self.time.timeChanged,
                       self.time_known.toggled, self.building.currentIndexChanged,
                       self.location.currentIndexChanged, self.initiated_by.currentIndexChanged,
                       self.offense.currentIndexChanged, self.description.textChanged,
                       self.call_outcome.currentIndexChanged, self.emergency.toggled):
            signal.connect(self._on_field_changed)
        self.time_known.toggled.connect(self.time.setEnabled)
        self._on_field_changed()

    # ---------------------------------------------------------------- students
    def add_student(self, student: InvolvedStudent | None = None) -> int:
        row = self.students.rowCount()
        self.students.insertRow(row)
        age = QSpinBox()
        age.setRange(MIN_AGE, MAX_AGE)
        age.setValue(student.age if student else 15)
        age.setAccessibleName(f"Student {row + 1} age")
        gender = _combo(self._labels.labels(LabelKind.GENDER), f"Student {row + 1} gender")
        race = _combo(self._labels.labels(LabelKind.RACE), f"Student {row + 1} race/ethnicity")
        outcome = _combo(self._labels.labels(LabelKind.OUTCOME), f"Student {row + 1} outcome")
        flags = [QCheckBox() for _ in range(4)]
        for box, name in zip(flags, ("IEP", "504 plan", "use of force", "school discipline"),
                             strict=True):
            box.setAccessibleName(f"Student {row + 1} {name}")
        if student is not None:
            gender.setCurrentIndex(max(0, gender.findData(student.gender)))
            race.setCurrentIndex(max(0, race.findData(student.race)))
            outcome.setCurrentIndex(max(0, outcome.findData(student.outcome)))
            for box, value in zip(flags, (student.iep, student.section_504,
                                          student.use_of_force, student.discipline),
                                  strict=True):
                box.setChecked(value)
        widgets: list[QWidget] = [age, gender, race, _centered(flags[0]), _centered(flags[1]),
                                  outcome, _centered(flags[2]), _centered(flags[3])]
        for column, widget in enumerate(widgets):
            self.students.setCellWidget(row, column, widget)
        age.valueChanged.connect(self._on_field_changed)
        for combo in (gender, race, outcome):
            combo.currentIndexChanged.connect(self._on_field_changed)
        for box in flags:
            box.toggled.connect(self._on_field_changed)
        self._on_field_changed()
        return row

    def _student_at(self, row: int) -> InvolvedStudent:
        def widget(column: int) -> QWidget:
            cell = self.students.cellWidget(row, column)
            proxy = cell.focusProxy()
            return proxy if proxy is not None else cell

        age = widget(0)
        assert isinstance(age, QSpinBox)
        combos = [widget(c) for c in (1, 2, 5)]
        boxes = [widget(c) for c in (3, 4, 6, 7)]
        assert all(isinstance(c, QComboBox) for c in combos)
        assert all(isinstance(b, QCheckBox) for b in boxes)
        gender, race, outcome = (str(c.currentData()) for c in combos)  # type: ignore[attr-defined]
        iep, s504, force, discipline = (b.isChecked() for b in boxes)  # type: ignore[attr-defined]
        return InvolvedStudent(age.value(), gender, race, iep, s504, outcome, force, discipline)

    def _on_add_student_clicked(self) -> None:
        row = self.add_student()
        self.students.setCurrentCell(row, 0)
        self.students.cellWidget(row, 0).setFocus()

    def _on_remove_student_clicked(self) -> None:
        row = self.students.currentRow()
        if row < 0:
            row = self.students.rowCount() - 1
        if row >= 0:
            self.students.removeRow(row)
            self._on_field_changed()

    # ---------------------------------------------------------------- the call
    def _load(self, call: Call) -> None:
        self.ref.setText(call.ref)
        self.date.setDate(QDate(call.occurred_on.year, call.occurred_on.month,
                                call.occurred_on.day))
        self.time_known.setChecked(call.occurred_at is not None)
        self.time.setEnabled(call.occurred_at is not None)
        if call.occurred_at is not None:
            self.time.setTime(QTime(call.occurred_at.hour, call.occurred_at.minute))
        for combo, value in ((self.building, call.building), (self.location, call.location),
                             (self.initiated_by, call.initiated_by),
                             (self.offense, call.offense_type),
                             (self.call_outcome, call.outcome)):
            index = combo.findData(value)
            if index < 0:
                combo.addItem(value, value)
                index = combo.count() - 1
            combo.setCurrentIndex(index)
        self.emergency.setChecked(call.emergency)
        self.description.setText(call.description)
        for student in call.students:
            self.add_student(student)

    def _build(self) -> Call:
        q = self.date.date()
        t = self.time.time()
        return make_call(
            id=self._original.id if self._original else None,
            ref=self.ref.text(),
            occurred_on=dt.date(q.year(), q.month(), q.day()),
            occurred_at=dt.time(t.hour(), t.minute()) if self.time_known.isChecked() else None,
            building=str(self.building.currentData() or ""),
            location=str(self.location.currentData()),
            initiated_by=str(self.initiated_by.currentData()),
            emergency=self.emergency.isChecked(),
            offense_type=str(self.offense.currentData()),
            description=self.description.text(),
            students=[self._student_at(r) for r in range(self.students.rowCount())],
            own_outcome=str(self.call_outcome.currentData()),
            labels=self._labels,
        )

    def problems_now(self) -> list[str]:
        try:
            call = self._build()
        except ValidationError as error:
            return list(error.problems)
        self._result = call
        return []

    def _on_field_changed(self, *_args: object) -> None:
        has_students = self.students.rowCount() > 0
        self.call_outcome.setEnabled(not has_students)
        self.call_outcome.setToolTip(
            "With students, the call's outcome is the most serious student outcome."
            if has_students else "The outcome of a call with no students involved.")
        problems = self.problems_now()
        if not problems and self._result is not None and has_students:
            index = self.call_outcome.findData(self._result.outcome)
            self.call_outcome.blockSignals(True)
            self.call_outcome.setCurrentIndex(max(0, index))
            self.call_outcome.blockSignals(False)
        lines = [f"• {p}" for p in problems]  # the privacy warning shows under the description
        self.problems.setText("\n".join(lines))
        self.problems.setVisible(bool(lines))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)

    def _on_buttons_accepted(self) -> None:
        if not self.problems_now():
            self.accept()

    def call(self) -> Call:
        """The validated call (call after ``exec()`` returned Accepted)."""
        if self._result is None:
            raise ValidationError(self.problems_now() or ["The call is not complete."])
        return dataclasses.replace(self._result)
