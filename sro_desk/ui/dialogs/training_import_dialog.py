"""Training › Import training records…: choose an ESD completion roster (or an agency's list, or
ESD documentation and waivers), import it off the GUI thread with a progress dialog, then show
what changed — the summary and who became cleared to work — or, when the file was refused, every
problem by row and column. The rules are in ``sro_desk.services.training_import``.

Documents named in the file's ``document`` column are read from the spreadsheet's own folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6 import QtWidgets
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QDialog, QWidget

from sro_desk.domain.errors import ImportRefused
from sro_desk.ui.workers import JobRunner

FILE_FILTER = "Spreadsheets (*.xlsx *.csv);;Excel workbook (*.xlsx);;CSV (*.csv)"


class TrainingImportResultDialog(QDialog):
    """The outcome in words: what was imported and the clearance changes, or why nothing was."""

    def __init__(self, heading: str, lines: list[str], *, refused: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Training records not imported" if refused
                            else "Training records imported")
        self.refused = refused
        icon = QtWidgets.QLabel()
        style = self.style()
        pixmap = (QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning if refused
                  else QtWidgets.QStyle.StandardPixmap.SP_MessageBoxInformation)
        icon.setPixmap(style.standardIcon(pixmap).pixmap(32, 32))
        self.heading = QtWidgets.QLabel(heading)
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setAccessibleName("Import summary")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        caption = ("Every problem, by row and column. Fix the file and import it again."
                   if refused else
                   "Clearance changes and notes:" if lines else
                   "No one's clearance changed.")
        self.caption = QtWidgets.QLabel(caption)
        self.caption.setWordWrap(True)
        self.details = QtWidgets.QPlainTextEdit("\n".join(lines))
        self.details.setReadOnly(True)
        self.details.setAccessibleName("Problems" if refused else "Clearance changes")
        self.details.setVisible(bool(lines))
        self.details.setMinimumSize(560, 220)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Close)
        top = QtWidgets.QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addWidget(self.heading, 1)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.caption)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    @property
    def lines(self) -> list[str]:
        text = self.details.toPlainText()
        return text.splitlines() if text else []


class TrainingImporter(QObject):
    """Runs one import at a time for a tab; ``done(dialog)`` once the result is on screen."""

    done = Signal(object)

    def __init__(self, parent_widget: QWidget, changed: Callable[[], None],
                 today: Callable[[], object]) -> None:
        super().__init__(parent_widget)
        self._widget = parent_widget
        self._changed = changed
        self._today = today
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.dialog: TrainingImportResultDialog | None = None

    def choose_and_import(self) -> None:
        if self.runner.busy:
            return
        path, _ = QtWidgets.QFileDialog.getOpenFileName(
            self._widget, "Import training records", str(Path.home()), FILE_FILTER)
        if path:
            self.start(Path(path))

    def start(self, path: Path) -> None:
        from sro_desk.services.training_import import import_training
        from sro_desk.store.audit import current_actor

        today = self._today()
        verifier = current_actor()
        self.runner.start(
            lambda progress, cancelled: import_training(
                path, progress, cancelled, today=today,  # type: ignore[arg-type]
                attachments=path.parent, verifier=verifier),
            f"Importing training records from {path.name}…", self._widget)

    def _show(self, dialog: TrainingImportResultDialog) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()
        self.done.emit(dialog)

    def _on_dialog_finished(self, _code: int) -> None:
        self.dialog = None

    def _on_runner_finished(self, result: object) -> None:
        from sro_desk.services.training_import import TrainingImportResult

        assert isinstance(result, TrainingImportResult)
        if result.changed:
            self._changed()
        self._show(TrainingImportResultDialog(result.summary, result.detail_lines(),
                                              refused=False, parent=self._widget))

    def _on_runner_failed(self, error: object) -> None:
        if isinstance(error, ImportRefused):
            self._show(TrainingImportResultDialog(
                error.summary, [str(p) for p in error.problems], refused=True,
                parent=self._widget))
            return
        from sro_desk.ui.crash import handle_worker_error

        handle_worker_error(self._widget, error)
