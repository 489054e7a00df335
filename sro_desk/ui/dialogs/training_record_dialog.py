"""One matrix cell opened: a person's records for one requirement, to verify, add evidence to,
correct or delete (with a reason), or to record a new completion or an ESD waiver."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
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
from sro_desk.domain.errors import SroDeskError, ValidationError
from sro_desk.domain.training import (
    RequirementStatus,
    TrainingCompletion,
    TrainingPerson,
    TrainingWaiver,
    waiver_problems,
)
from sro_desk.domain.training_catalog import Requirement, TrainingCatalog
from sro_desk.services import training_records
from sro_desk.services.training_records import EvidenceFile
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.messages import ask_reason, confirm, show_error
from sro_desk.ui.widgets.date_edit import from_qdate, limit_to_entry_range, to_qdate
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit

HEADERS = ("Completed", "Provider", "Delivery", "Hours", "Verified", "Evidence", "Notes")


class TrainingRecordDialog(QDialog):
    """Records behind one cell. ``changed`` is called after every saved change."""

    def __init__(
        self,
        person: TrainingPerson,
        requirement: Requirement,
        cell: RequirementStatus,
        catalog: TrainingCatalog,
        *,
        verifier: str,
        today: dt.date,
        on_record: Callable[[], None],
        changed: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{person.name} — {requirement.column_title}")
        # Only a minimum height: an explicit minimum width would override the layout's, and the
        # buttons would be squeezed until their labels are cut.
        self.setMinimumHeight(420)
        self.resize(820, 420)
        self._person, self._requirement, self._catalog = person, requirement, catalog
        self._verifier, self._today = verifier, today
        self._on_record, self._changed = on_record, changed
        self._records: list[TrainingCompletion] = []
        self._waiver: TrainingWaiver | None = None

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary.setAccessibleName("Status of this requirement")
        self.summary.setText("\n".join(cell.detail_lines()))
        statute = QLabel(requirement.text)
        statute.setWordWrap(True)
        statute.setToolTip(requirement.tooltip())
        statute.setStyleSheet("color: palette(mid);")

        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Completion records")

        self.verify_button = QPushButton("&Verify")
        self.verify_button.setToolTip(f"Mark the selected record verified by {verifier}")
        self.unverify_button = QPushButton("Withdraw verification…")
        self.edit_button = QPushButton("&Correct…")
        self.edit_button.setToolTip("Correct the selected record's details (a reason is kept)")
        self.evidence_button = QPushButton("Add &evidence…")
        self.save_copy_button = QPushButton("Save evidence copy…")
        self.delete_button = QPushButton("Delete…")
        self.record_button = QPushButton("&Record completion…")
        self.waiver_button = QPushButton("Record ESD &waiver…")
        self.waiver_button.setVisible(requirement.is_series)
        self.waiver_label = QLabel()
        self.waiver_label.setWordWrap(True)
        self.waiver_label.setAccessibleName("Waiver on file")
        self.remove_waiver_button = QPushButton("Remove waiver…")
        self.waiver_doc_button = QPushButton("Attach waiver document…")
        self.remove_waiver_button.clicked.connect(self._on_remove_waiver_clicked)
        self.waiver_doc_button.clicked.connect(self._on_waiver_doc_clicked)
        for button, slot in (
            (self.verify_button, self._on_verify_clicked),
            (self.unverify_button, self._on_unverify_clicked),
            (self.edit_button, self._on_edit_clicked),
            (self.evidence_button, self._on_evidence_clicked),
            (self.save_copy_button, self._on_save_copy_clicked),
            (self.delete_button, self._on_delete_clicked),
            (self.record_button, self._on_record_clicked),
            (self.waiver_button, self._on_waiver_clicked),
        ):
            button.clicked.connect(slot)
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.table.itemSelectionChanged.connect(self._update_buttons)

        # Two rows, so every label reads in full at the default width: what to do with the
        # selected record, then what to add for this requirement.
        record_actions = QHBoxLayout()
        for b in (self.verify_button, self.unverify_button, self.edit_button,
                  self.evidence_button, self.save_copy_button, self.delete_button):
            record_actions.addWidget(b)
        record_actions.addStretch(1)
        new_actions = QHBoxLayout()
        new_actions.addWidget(self.record_button)
        new_actions.addWidget(self.waiver_button)
        new_actions.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(statute)
        layout.addWidget(self.table, 1)
        layout.addLayout(record_actions)
        layout.addLayout(new_actions)
        waiver_row = QHBoxLayout()
        waiver_row.addWidget(self.waiver_label, 1)
        waiver_row.addWidget(self.waiver_doc_button)
        waiver_row.addWidget(self.remove_waiver_button)
        layout.addLayout(waiver_row)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        self._records = [
            c for c in training_records.list_completions(self._person.staff_id)
            if c.requirement_code == self._requirement.code
        ]
        self.table.setRowCount(len(self._records))
        for row, c in enumerate(self._records):
            verified = (f"{c.verified_by}, {format_date(c.verified_at.date())}"
                        if c.verified and c.verified_at else "claimed, not verified")
            values = [
                format_date(c.completed_on), c.provider_text, c.delivery.value,
                f"{c.hours:g}" if c.hours else "", verified,
                str(c.evidence_count) if c.evidence_count else "none",
                (f"Mentor {c.mentor} ({c.mentor_school}). " if c.mentor else "") + c.notes,
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, col, item)
        if self._records:
            self.table.selectRow(len(self._records) - 1)
        self._waiver = next((w for w in training_records.list_waivers(self._person.staff_id)
                             if w.requirement_code == self._requirement.code), None)
        if self._waiver is not None:
            w = self._waiver
            self.waiver_label.setText(
                f"Waived by {w.issuing_esd} on {format_date(w.waived_on)}: {w.reason}"
                + ("" if w.has_document else " (no waiver document attached)"))
        for widget in (self.waiver_label, self.remove_waiver_button):
            widget.setVisible(self._waiver is not None)
        self.waiver_doc_button.setVisible(self._waiver is not None and not self._waiver.has_document)
        self.waiver_button.setEnabled(self._waiver is None)
        self._update_buttons()

    def selected(self) -> TrainingCompletion | None:
        rows = self.table.selectionModel().selectedRows()
        return self._records[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        current = self.selected()
        self.verify_button.setEnabled(current is not None and not current.verified)
        self.unverify_button.setEnabled(current is not None and current.verified)
        for b in (self.edit_button, self.evidence_button, self.delete_button):
            b.setEnabled(current is not None)
        self.save_copy_button.setEnabled(current is not None and current.evidence_count > 0)

    def _after_change(self, message: str) -> None:
        self.reload()
        self.summary.setText(message)
        self._changed()

    # ------------------------------------------------------------------ slots
    def _on_verify_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        if current.evidence_count == 0 and not confirm(
            self, "This record has no evidence attached. Verify it anyway (for example, you saw "
            "the original certificate)?", ok_label="Verify"):
            return
        try:
            training_records.verify_completion(current.id, self._verifier)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._after_change(f"Verified by {self._verifier}.")

    def _on_unverify_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        reason = ask_reason(self, "Withdraw verification",
                            "Why is this record no longer verified?")
        if reason is None:
            return
        training_records.unverify_completion(current.id, reason)
        self._after_change("Verification withdrawn.")

    def _on_edit_clicked(self) -> None:
        from sro_desk.ui.dialogs.training_completion_dialog import CompletionDialog

        current = self.selected()
        if current is None:
            return
        dialog = CompletionDialog(
            [self._person], self._catalog, staff_ids=(self._person.staff_id,),
            requirement_codes=(self._requirement.code,), today=self._today,
            verifier=self._verifier, parent=self)
        dialog.load(current)
        while self._run(dialog) == QDialog.DialogCode.Accepted:
            if self.save_correction(current, dialog):
                return

    def save_correction(self, current: TrainingCompletion, dialog: Any) -> bool:
        changed = dialog.inputs()[0]
        note = ("A verified record whose date changes loses its verification; verify it again."
                if current.verified else "")
        reason = ask_reason(self, "Correct a training record",
                            "What is being corrected, and why?" + (f"\n\n{note}" if note
                                                                   else ""))
        if reason is None:
            return False
        try:
            training_records.update_completion(current.id, changed, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return False
        self._after_change("Record corrected.")
        return True

    def _run(self, dialog: QDialog) -> int:
        """Modal in use; tests replace this to fill the dialog themselves."""
        return dialog.exec()

    def _on_evidence_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, "Add evidence", str(Path.home()),
            "PDF or image (*.pdf *.png *.jpg *.jpeg *.gif *.tif *.tiff *.webp);;All files (*)")
        if path:
            self.add_evidence_path(current.id, Path(path))

    def add_evidence_path(self, completion_id: int, path: Path) -> bool:
        from sro_desk.services.training import read_evidence

        try:
            training_records.add_evidence(completion_id, read_evidence(path))
        except SroDeskError as error:
            show_error(self, error, "Evidence refused")
            return False
        self._after_change(f"Attached {path.name}.")
        return True

    def _on_save_copy_clicked(self) -> None:
        from sro_desk.services.storage import save_attachment_to

        current = self.selected()
        if current is None:
            return
        files = training_records.completion_evidence(current.id)
        folder = QFileDialog.getExistingDirectory(self, "Save evidence to folder", str(Path.home()))
        if not folder:
            return
        try:
            for info in files:
                save_attachment_to(info.id, Path(folder) / info.filename)
        except OSError as error:
            show_error(self, f"Could not save the files: {error.strerror or error}.")
            return
        count = len(files)
        self.summary.setText(f"Saved {count} file{'' if count == 1 else 's'} to {folder}.")

    def _on_delete_clicked(self) -> None:
        current = self.selected()
        if current is None:
            return
        reason = ask_reason(self, "Delete training record",
                            "Why delete this record? (It stays in the audit trail.)")
        if reason is None:
            return
        training_records.delete_completion(current.id, reason)
        self._after_change("Record deleted.")

    def _on_record_clicked(self) -> None:
        self._on_record()
        self.reload()

    def _on_waiver_clicked(self) -> None:
        dialog = WaiverDialog(self._requirement, self._catalog, today=self._today, parent=self)
        from sro_desk.services.training import record_waiver

        def save(_dialog: object) -> bool:
            record_waiver(self._person.staff_id, self._requirement.code,
                          dialog.waived_on(), dialog.issuing_esd(), dialog.reason(),
                          dialog.document, today=self._today)
            return True

        if run_until_saved(dialog, save, value=lambda: dialog) is not None:
            self._after_change("Waiver recorded.")


    def _on_remove_waiver_clicked(self) -> None:
        if self._waiver is None:
            return
        reason = ask_reason(self, "Remove waiver", "Why remove this waiver?")
        if reason is None:
            return
        training_records.delete_waiver(self._waiver.id, reason)
        self._after_change("Waiver removed.")

    def _on_waiver_doc_clicked(self) -> None:
        if self._waiver is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Attach waiver", str(Path.home()),
                                              "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        if path:
            self.attach_waiver_document(Path(path))

    def attach_waiver_document(self, path: Path) -> bool:
        from sro_desk.services.training import read_evidence

        if self._waiver is None:
            return False
        try:
            training_records.attach_waiver_document(self._waiver.id, read_evidence(path))
        except SroDeskError as error:
            show_error(self, error, "Document refused")
            return False
        self._after_change(f"Attached {path.name}.")
        return True


class WaiverDialog(QDialog):
    """An ESD's waiver of one series component: date, ESD, reason, the waiver document."""

    def __init__(self, requirement: Requirement, catalog: TrainingCatalog, *, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"ESD waiver — {requirement.column_title}")
        self.setMinimumWidth(520)
        self._requirement, self._today = requirement, today
        self.document: EvidenceFile | None = None
        self.date = QDateEdit(to_qdate(today))
        limit_to_entry_range(self.date, today)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setAccessibleName("Waiver date")
        self.esd = QComboBox()
        self.esd.setEditable(True)
        self.esd.addItem("")
        self.esd.addItems(list(catalog.educational_service_districts))
        self.esd.setAccessibleName("Issuing ESD")
        self.reason_edit = PrivacyTextEdit("Reason (prior training and experience)")
        self.file_label = QLineEdit()
        self.file_label.setReadOnly(True)
        self.file_label.setPlaceholderText("no waiver document attached")
        self.file_label.setAccessibleName("Waiver document")
        choose = QPushButton("Attach waiver…")
        choose.clicked.connect(self._on_choose_clicked)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow("Waived on", self.date)
        form.addRow("Issuing ESD", self.esd)
        form.addRow("Reason", self.reason_edit)
        row = QHBoxLayout()
        row.addWidget(self.file_label, 1)
        row.addWidget(choose)
        form.addRow("Document", row)
        form.addRow(self.problems)
        form.addRow(self.buttons)
        self.date.dateChanged.connect(self._on_input_changed)
        self.esd.currentTextChanged.connect(self._on_input_changed)
        self.reason_edit.textChanged.connect(self._on_input_changed)
        self._on_input_changed()

    def waived_on(self) -> dt.date:
        return from_qdate(self.date.date())

    def issuing_esd(self) -> str:
        return self.esd.currentText().strip()

    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def attach(self, path: Path) -> None:
        from sro_desk.services.training import read_evidence

        try:
            self.document = read_evidence(path)
        except ValidationError as error:
            show_error(self, error, "Document refused")
            return
        self.file_label.setText(path.name)

    def _on_choose_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Attach waiver", str(Path.home()),
                                              "PDF or image (*.pdf *.png *.jpg *.jpeg *.tif *.tiff)")
        if path:
            self.attach(Path(path))

    def _on_input_changed(self, *_args: object) -> None:
        problems = waiver_problems(self._requirement, self.waived_on(), self.issuing_esd(),
                                   self.reason(), self._today)
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)
