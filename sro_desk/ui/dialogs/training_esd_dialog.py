"""ESD training series documentation for one person: record what arrived, attach the scan,
confirm it. Confirmed documentation satisfies the whole RCW 28A.400.345 series."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.training import EsdDocumentation, TrainingPerson, esd_documentation_problems
from sro_desk.domain.training_catalog import TrainingCatalog
from sro_desk.services import training_records
from sro_desk.services.training_records import EvidenceFile
from sro_desk.ui.dialogs.messages import ask_reason, show_error
from sro_desk.ui.widgets.date_edit import from_qdate, limit_to_entry_range, to_qdate
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit


class EsdDocumentationDialog(QDialog):
    def __init__(self, person: TrainingPerson, catalog: TrainingCatalog, *, verifier: str,
                 today: dt.date, changed: Callable[[], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"ESD training series documentation — {person.name}")
        self.setMinimumSize(720, 420)
        self._person, self._verifier, self._today, self._changed = person, verifier, today, changed
        self._docs: list[EsdDocumentation] = []
        self._file: EvidenceFile | None = None

        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels(
            ["Received", "Issuing ESD", "Document", "Confirmed by", "Notes"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("ESD documentation on file")
        self.confirm_button = QPushButton("&Confirm selected")
        self.confirm_button.setToolTip(f"Confirm as {verifier}: the document is attached and "
                                       "covers this person")
        self.attach_button = QPushButton("Attach document…")
        self.remove_button = QPushButton("Remove…")
        self.confirm_button.clicked.connect(self._on_confirm_clicked)
        self.attach_button.clicked.connect(self._on_attach_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.received = QDateEdit(to_qdate(today))
        limit_to_entry_range(self.received, today)
        self.received.setCalendarPopup(True)
        self.received.setDisplayFormat("yyyy-MM-dd")
        self.received.setAccessibleName("Date received")
        self.esd = QComboBox()
        self.esd.setEditable(True)
        self.esd.addItem("")
        self.esd.addItems(list(catalog.educational_service_districts))
        self.esd.setAccessibleName("Issuing ESD")
        self.file_label = QLineEdit()
        self.file_label.setReadOnly(True)
        self.file_label.setPlaceholderText("attach the ESD's document")
        choose = QPushButton("Choose file…")
        choose.clicked.connect(self._on_choose_clicked)
        self.notes = PrivacyTextEdit("Notes", max_height=50)
        self.problems = QLabel()
        self.problems.setStyleSheet("color: #b00020;")
        self.add_button = QPushButton("&Add documentation")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.received.dateChanged.connect(self._on_input_changed)
        self.esd.currentTextChanged.connect(self._on_input_changed)

        add_box = QGroupBox("Record documentation received")
        form = QFormLayout(add_box)
        form.addRow("Received", self.received)
        form.addRow("Issuing ESD", self.esd)
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        form.addRow("Document", row)
        form.addRow("Notes", self.notes)
        form.addRow(self.problems)
        form.addRow(self.add_button)
        actions = QHBoxLayout()
        for b in (self.confirm_button, self.attach_button, self.remove_button):
            actions.addWidget(b)
        actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(add_box)
        layout.addWidget(close)
        self.reload()
        self._on_input_changed()

    def reload(self) -> None:
        self._docs = training_records.list_esd_documentation(self._person.staff_id)
        self.table.setRowCount(len(self._docs))
        for r, d in enumerate(self._docs):
            confirmed = (f"{d.confirmed_by}, {format_date(d.confirmed_at.date())}"
                         if d.confirmed and d.confirmed_at else "not confirmed")
            for c, value in enumerate([format_date(d.received_on), d.issuing_esd,
                                       "attached" if d.has_document else "missing",
                                       confirmed, d.notes]):
                self.table.setItem(r, c, QTableWidgetItem(value))
        self._update_buttons()

    def selected(self) -> EsdDocumentation | None:
        rows = self.table.selectionModel().selectedRows()
        return self._docs[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        current = self.selected()
        self.confirm_button.setEnabled(current is not None and not current.confirmed)
        self.attach_button.setEnabled(current is not None)
        self.remove_button.setEnabled(current is not None)

    def set_file(self, path: Path) -> bool:
        from sro_desk.services.training import read_evidence

        try:
            self._file = read_evidence(path)
        except SroDeskError as error:
            show_error(self, error, "Document refused")
            return False
        self.file_label.setText(path.name)
        return True

    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "ESD documentation", str(Path.home()),
                                              "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        if path:
            self.set_file(Path(path))

    def _on_input_changed(self, *_args: object) -> None:
        problems = esd_documentation_problems(from_qdate(self.received.date()),
                                              self.esd.currentText(), self._today)
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.add_button.setEnabled(not problems)

    def _on_add_clicked(self) -> None:
        from sro_desk.services.training import record_esd_documentation

        try:
            record_esd_documentation(self._person.staff_id, from_qdate(self.received.date()),
                                     self.esd.currentText(), self._file, today=self._today,
                                     notes=self.notes.text().strip())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._file = None
        self.file_label.clear()
        self.notes.setText("")
        self.reload()
        self._changed()

    def _on_confirm_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        try:
            training_records.confirm_esd_documentation(current.id, self._verifier)
        except SroDeskError as error:
            show_error(self, error)
            return
        self.reload()
        self._changed()

    def _on_attach_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "ESD documentation", str(Path.home()),
                                              "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        if not path:
            return
        from sro_desk.services.training import read_evidence

        try:
            training_records.attach_esd_document(current.id, read_evidence(Path(path)))
        except SroDeskError as error:
            show_error(self, error, "Document refused")
            return
        self.reload()
        self._changed()

    def _on_remove_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        reason = ask_reason(self, "Remove ESD documentation", "Why remove this documentation?")
        if reason is None:
            return
        training_records.delete_esd_documentation(current.id, reason)
        self.reload()
        self._changed()
