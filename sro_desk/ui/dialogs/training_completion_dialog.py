"""Record training: one person and one requirement, or a whole ESD session ("these 9 people
completed topics (a)–(f) on this date") as one transaction. Validates as you type."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.training import (
    Delivery,
    Provider,
    TrainingCompletion,
    TrainingPerson,
    completion_problems,
)
from sro_desk.domain.training_catalog import Requirement, RequirementKind, TrainingCatalog
from sro_desk.services.training_records import CompletionInput, EvidenceFile
from sro_desk.ui.widgets.combo import fill_enum_combo, required_enum, select_enum
from sro_desk.ui.widgets.date_edit import (
    from_qdate,
    limit_to_entry_range,
    show_stored_date,
    to_qdate,
)
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit


def _checkable(list_widget: QListWidget, text: str, data: object, checked: bool,
               tooltip: str = "") -> None:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, data)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    if tooltip:
        item.setToolTip(tooltip)
    list_widget.addItem(item)


def _checked(list_widget: QListWidget) -> list[object]:
    return [
        list_widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(list_widget.count())
        if list_widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class CompletionDialog(QDialog):
    """Collects completions; ``inputs()`` and ``evidence()`` are what to save."""

    def __init__(
        self,
        people: list[TrainingPerson],
        catalog: TrainingCatalog,
        *,
        staff_ids: tuple[int, ...] = (),
        requirement_codes: tuple[str, ...] = (),
        today: dt.date,
        verifier: str,
        group: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Record a training session" if group else "Record training")
        self.setMinimumWidth(760)
        self._catalog = catalog
        self._today = today
        self._evidence: list[EvidenceFile] = []

        self.people = QListWidget()
        self.people.setAccessibleName("People who completed the training")
        for p in people:
            _checkable(self.people, p.name, p.staff_id, p.staff_id in staff_ids,
                       f"{p.role_label} · {p.employer_name}")
        self.requirements = QListWidget()
        self.requirements.setAccessibleName("Requirements completed")
        for r in catalog.requirements:
            _checkable(self.requirements, r.column_title, r.code, r.code in requirement_codes,
                       r.tooltip())
        self.all_topics = QPushButton("Tick all 13 topics")
        self.all_topics.setToolTip("Tick every RCW 28A.310.515(2) classroom topic, (a) to (m)")
        self.all_topics.clicked.connect(self._on_all_topics_clicked)

        self.completed_on = QDateEdit()
        self.completed_on.setCalendarPopup(True)
        self.completed_on.setDisplayFormat("yyyy-MM-dd")
        limit_to_entry_range(self.completed_on, today)
        self.completed_on.setDate(to_qdate(today))
        self.completed_on.setAccessibleName("Date completed")
        self.provider = QComboBox()
        self.provider.setAccessibleName("Provider kind")
        fill_enum_combo(self.provider, Provider)
        select_enum(self.provider, Provider.AGENCY)
        self.provider_name = QComboBox()
        self.provider_name.setEditable(True)
        self.provider_name.setAccessibleName("Provider name")
        self.provider_name.addItem("")
        self.provider_name.addItems(list(catalog.educational_service_districts))
        self.delivery = QComboBox()
        self.delivery.setAccessibleName("Delivery")
        fill_enum_combo(self.delivery, Delivery)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 200)
        self.hours.setDecimals(1)
        self.hours.setSingleStep(0.5)
        self.hours.setSpecialValueText("not recorded")
        self.hours.setAccessibleName("Hours")
        self.mentor = QLineEdit()
        self.mentor.setAccessibleName("Mentor")
        self.mentor.setPlaceholderText("Experienced staff member (on-the-job days)")
        self.mentor_school = QLineEdit()
        self.mentor_school.setAccessibleName("Mentor's school")
        self.mentor_school.setPlaceholderText("The experienced staff member’s school")
        self.notes = PrivacyTextEdit("Notes")

        self.evidence_list = QListWidget()
        self.evidence_list.setAccessibleName("Evidence files")
        self.evidence_list.setMaximumHeight(70)
        self.add_file = QPushButton("Add evidence file…")
        self.add_file.setToolTip("A certificate or sign-in sheet: PDF or image, up to 25 MB")
        self.remove_file = QPushButton("Remove")
        self.add_file.clicked.connect(self._on_add_file_clicked)
        self.remove_file.clicked.connect(self._on_remove_file_clicked)

        self.verify_now = QCheckBox(f"I have seen the evidence: mark verified by {verifier}")
        self.verify_now.setAccessibleName("Verify now")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setAccessibleName("Problems")

        who = QGroupBox("Who")
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.people)
        what = QGroupBox("What")
        what_layout = QVBoxLayout(what)
        what_layout.addWidget(self.requirements)
        what_layout.addWidget(self.all_topics)
        lists = QHBoxLayout()
        lists.addWidget(who, 1)
        lists.addWidget(what, 1)
        if not group:
            who.setMaximumHeight(160 if len(staff_ids) <= 1 else 260)
        form = QFormLayout()
        form.addRow("Date completed", self.completed_on)
        form.addRow("Provider", self.provider)
        form.addRow("Provider name", self.provider_name)
        form.addRow("Delivery", self.delivery)
        form.addRow("Hours", self.hours)
        form.addRow("Mentor", self.mentor)
        form.addRow("Mentor's school", self.mentor_school)
        form.addRow("Notes", self.notes)
        files = QHBoxLayout()
        files.addWidget(self.evidence_list, 1)
        buttons_col = QVBoxLayout()
        buttons_col.addWidget(self.add_file)
        buttons_col.addWidget(self.remove_file)
        buttons_col.addStretch(1)
        files.addLayout(buttons_col)
        form.addRow("Evidence", files)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(lists, 1)
        layout.addLayout(form)
        layout.addWidget(self.verify_now)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

        for signal in (self.people.itemChanged, self.requirements.itemChanged,
                       self.completed_on.dateChanged, self.provider.currentIndexChanged,
                       self.provider_name.currentTextChanged, self.hours.valueChanged,
                       self.mentor.textChanged, self.mentor_school.textChanged):
            signal.connect(self._on_input_changed)
        self._on_input_changed()

    def load(self, record: TrainingCompletion) -> None:
        """Edit one existing record: its person and requirement are fixed, evidence is added
        from the record's own window, and verification is not re-done here."""
        self.setWindowTitle("Correct a training record")
        for list_widget in (self.people, self.requirements):
            list_widget.setEnabled(False)
        self.all_topics.setVisible(False)
        show_stored_date(self.completed_on, record.completed_on)
        select_enum(self.provider, record.provider)
        self.provider_name.setCurrentText(record.provider_name)
        select_enum(self.delivery, record.delivery)
        self.hours.setValue(record.hours or 0)
        self.mentor.setText(record.mentor)
        self.mentor_school.setText(record.mentor_school)
        self.notes.setText(record.notes)
        for widget in (self.evidence_list, self.add_file, self.remove_file, self.verify_now):
            widget.setVisible(False)
        self._on_input_changed()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Save changes")

    # ------------------------------------------------------------------ values
    def selected_requirements(self) -> list[Requirement]:
        return [self._catalog.get(str(code)) for code in _checked(self.requirements)]

    def inputs(self) -> list[CompletionInput]:
        provider = required_enum(self.provider, Provider)
        delivery = required_enum(self.delivery, Delivery)
        hours = self.hours.value() or None
        return [
            CompletionInput(
                int(str(sid)), r.code, from_qdate(self.completed_on.date()), provider,
                self.provider_name.currentText().strip(), delivery, hours, self.notes.text(),
                self.mentor.text().strip() if r.code == "on_the_job" else "",
                self.mentor_school.text().strip() if r.code == "on_the_job" else "",
            )
            for sid in _checked(self.people)
            for r in self.selected_requirements()
        ]

    def evidence(self) -> list[EvidenceFile]:
        return list(self._evidence)

    def problem_list(self) -> list[str]:
        problems: list[str] = []
        if not _checked(self.people):
            problems.append("Tick at least one person.")
        requirements = self.selected_requirements()
        if not requirements:
            problems.append("Tick at least one requirement.")
        for r in requirements:
            for p in completion_problems(
                r, from_qdate(self.completed_on.date()), required_enum(self.provider, Provider),
                self.provider_name.currentText(), self.hours.value() or None,
                self.mentor.text(), self.mentor_school.text(), self._today,
            ):
                if p not in problems:
                    problems.append(p)
        return problems

    # ------------------------------------------------------------------ slots
    def _on_input_changed(self, *_args: object) -> None:
        ojt = any(r.code == "on_the_job" for r in self.selected_requirements())
        self.mentor.setEnabled(ojt)
        self.mentor_school.setEnabled(ojt)
        problems = self.problem_list()
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        count = len(_checked(self.people)) * len(_checked(self.requirements))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems)
        save.setText(f"Save {count} record{'s' if count != 1 else ''}" if count else "Save")

    def _on_all_topics_clicked(self) -> None:
        self.requirements.blockSignals(True)
        for i in range(self.requirements.count()):
            item = self.requirements.item(i)
            if self._catalog.get(str(item.data(Qt.ItemDataRole.UserRole))).kind is (
                RequirementKind.TOPIC
            ):
                item.setCheckState(Qt.CheckState.Checked)
        self.requirements.blockSignals(False)
        self._on_input_changed()

    def add_evidence_path(self, path: Path) -> None:
        """Read and check a file now, so a wrong file is refused before anything is saved."""
        from sro_desk.services.training import read_evidence
        from sro_desk.ui.dialogs.messages import show_error

        try:
            file = read_evidence(path)
        except ValidationError as error:
            show_error(self, error, "Evidence refused")
            return
        self._evidence.append(file)
        self.evidence_list.addItem(f"{file.filename} ({len(file.data) / 1024:.0f} KB)")

    def _on_add_file_clicked(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self, "Add evidence", str(Path.home()),
            "PDF or image (*.pdf *.png *.jpg *.jpeg *.gif *.tif *.tiff *.webp);;All files (*)")
        for path in paths:
            self.add_evidence_path(Path(path))

    def _on_remove_file_clicked(self) -> None:
        row = self.evidence_list.currentRow()
        if row >= 0:
            self.evidence_list.takeItem(row)
            del self._evidence[row]
