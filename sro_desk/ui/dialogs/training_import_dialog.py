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
        self.names_button: QtWidgets.QPushButton | None = None
        if refused:
            self.names_button = buttons.addButton(
                "&Names for requirements…", QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
            self.names_button.setToolTip("Add the words this file uses for a requirement as the "
                                         "district's own name for it")
            self.names_button.clicked.connect(self._on_names_clicked)
        self.names_dialog: TrainingAliasDialog | None = None
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

    def _on_names_clicked(self) -> None:
        self.names_dialog = TrainingAliasDialog(self)
        self.names_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.names_dialog.open()


class TrainingAliasDialog(QDialog):
    """The district's own names for requirements (audited settings), beside ESD 105's unit
    titles: what the importer recognises besides letters, codes and catalog names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from sro_desk.services.training import district_catalog

        self.setWindowTitle("Names for requirements")
        intro = QtWidgets.QLabel(
            "Imports recognise topic letters (a)–(m), catalog codes, the requirements' names and "
            "ESD 105's unit titles. Add the words another ESD or an agency uses; an alias can "
            "never take a name the catalog already gives to another requirement.")
        intro.setWordWrap(True)
        self.table = QtWidgets.QTreeWidget()
        self.table.setColumnCount(3)
        self.table.setHeaderLabels(["Words in the file", "Requirement", "Source"])
        self.table.setRootIsDecorated(False)
        self.table.setAccessibleName("Names for requirements")
        self.table.itemSelectionChanged.connect(self._sync)
        self.alias = QtWidgets.QLineEdit()
        self.alias.setPlaceholderText("Words as the file writes them, e.g. CIT Refresher 2026")
        self.alias.setAccessibleName("Alias")
        self.alias.textChanged.connect(self._sync)
        self.requirement = QtWidgets.QComboBox()
        self.requirement.setAccessibleName("Requirement")
        for r in district_catalog().requirements:
            self.requirement.addItem(r.column_title, r.code)
        self.requirement.currentIndexChanged.connect(self._sync)
        self.add_button = QtWidgets.QPushButton("&Add")
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QtWidgets.QPushButton("&Remove alias")
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.problem = QtWidgets.QLabel()
        self.problem.setWordWrap(True)
        self.problem.setAccessibleName("Why the alias cannot be added")
        form = QtWidgets.QHBoxLayout()
        form.addWidget(self.alias, 2)
        form.addWidget(self.requirement, 1)
        form.addWidget(self.add_button)
        buttons = QtWidgets.QDialogButtonBox(QtWidgets.QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.remove_button, QtWidgets.QDialogButtonBox.ButtonRole.ActionRole)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(940, 480)
        self._fill()

    def _fill(self) -> None:
        from sro_desk.services.training_import import district_aliases, name_table, unit_titles

        self.names = name_table()
        self.table.clear()
        for alias, code in district_aliases().items():
            item = QtWidgets.QTreeWidgetItem([alias, self.names.title(code), "District alias"])
            item.setData(0, Qt.ItemDataRole.UserRole, alias)
            self.table.addTopLevelItem(item)
        for unit in unit_titles():
            self.table.addTopLevelItem(QtWidgets.QTreeWidgetItem(
                [unit.label, self.names.title(f"topic_{unit.topic}"), "ESD 105 unit title"]))
        for column in range(3):
            self.table.resizeColumnToContents(column)
        self._sync()

    def _selected_alias(self) -> str | None:
        items = self.table.selectedItems()
        value = items[0].data(0, Qt.ItemDataRole.UserRole) if items else None
        return value if isinstance(value, str) else None

    def _sync(self) -> None:
        from sro_desk.domain.training_import import alias_problems

        text = self.alias.text()
        problems = alias_problems(self.names, text, str(self.requirement.currentData())) \
            if text.strip() else []
        self.problem.setText("\n".join(problems))
        self.add_button.setEnabled(bool(text.strip()) and not problems)
        self.remove_button.setEnabled(self._selected_alias() is not None)

    def _on_add_clicked(self) -> None:
        from sro_desk.domain.errors import SroDeskError
        from sro_desk.services.training_import import add_alias
        from sro_desk.ui.dialogs.messages import show_error

        try:
            add_alias(self.alias.text(), str(self.requirement.currentData()),
                      reason="added under Names for requirements")
        except SroDeskError as error:
            show_error(self, error)
            return
        self.alias.clear()
        self._fill()

    def _on_remove_clicked(self) -> None:
        from sro_desk.services.training_import import remove_alias

        alias = self._selected_alias()
        if alias is not None:
            remove_alias(alias, reason="removed under Names for requirements")
            self._fill()


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
