"""The Calls & Incidents tab: every call for service, filtered as you type, entered from the keyboard."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.calls import Call, LabelKind
from sro_desk.domain.calls_filter import CallFilter
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError
from sro_desk.services.calls_import import call_labels, import_calls, preview_calls
from sro_desk.store import call_repo, roster_repo
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.call_dialog import CallDialog
from sro_desk.ui.dialogs.call_import_dialog import CallImportDialog
from sro_desk.ui.dialogs.messages import ask_reason, show_error, show_info
from sro_desk.ui.models.call_models import CallTableModel
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.widgets.buttons import action_button
from sro_desk.ui.widgets.combo import fill_filter_combo
from sro_desk.ui.widgets.date_edit import OptionalDateEdit
from sro_desk.ui.workers import JobRunner

ANY_FORCE = "Use of force: any"


class CallsTab(TabPage):
    TAB_TITLE = "Calls & Incidents"
    TAB_ORDER = 50
    WATCHES = ("calls", "setup")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = CallTableModel(self)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

        self.add_button = action_button("&New call…", "Enter a call (Ctrl+N); add students as rows with Ctrl+Shift+N", self._on_add_clicked)
        self.edit_button = action_button("&Edit…", "Edit the selected call (Enter)", self._on_edit_clicked)
        self.delete_button = action_button("Delete…", "Delete a call entered by mistake (a reason is kept)", self._on_delete_clicked)
        self.import_button = action_button("&Import from SIS…", "Import calls from an .xlsx or .csv export: all rows or none", self._on_import_clicked)
        self.template_button = action_button("Import &template…", "Save the calls import template", self._on_template_clicked)
        self.labels_button = action_button("&Labels…", "The district's own offense types and outcomes", self._on_labels_clicked)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search call, building, offense, outcome, description…  "
                                       "(Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search calls")
        self.from_date = OptionalDateEdit("From date")
        self.to_date = OptionalDateEdit("To date")
        self.building_filter = QComboBox()
        self.offense_filter = QComboBox()
        self.outcome_filter = QComboBox()
        self.force_filter = QComboBox()
        for combo, name in ((self.building_filter, "Building filter"),
                            (self.offense_filter, "Offense filter"),
                            (self.outcome_filter, "Outcome filter"),
                            (self.force_filter, "Use of force filter")):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(12)
        self.force_filter.addItem(ANY_FORCE, None)
        self.force_filter.addItem("Use of force: yes", True)
        self.force_filter.addItem("Use of force: no", False)
        self.count_label = QLabel()
        self.count_label.setAccessibleName("Calls shown")
        self.attention = QLabel()
        self.attention.setWordWrap(True)
        self.attention.setTextFormat(Qt.TextFormat.PlainText)
        self.attention.setAccessibleName("Police contacts that need attention")
        self.attention.setStyleSheet("color: #9a3412;")
        self.attention.setVisible(False)
        self._attention_count = 0

        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(22)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        # the date reads "30 September 2026": wide enough for the longest month
        date_width = self.view.fontMetrics().horizontalAdvance("30 September 2026") + 28
        for column, width in enumerate((date_width, 50, 90, 190, 120, 190, 120, 80, 70, 220, 90,
                                        200)):
            self.view.setColumnWidth(column, width)
        self.view.setAccessibleName("Calls for service")
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.activated.connect(lambda _i: self._on_edit_clicked())

        self.search.textChanged.connect(self._on_filters_changed)
        for combo in (self.building_filter, self.offense_filter, self.outcome_filter,
                      self.force_filter):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.from_date.dateChanged.connect(self._on_filters_changed)
        self.to_date.dateChanged.connect(self._on_filters_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)

        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.delete_button):
            actions.addWidget(b)
        actions.addSpacing(16)
        actions.addWidget(self.import_button)
        actions.addWidget(self.template_button)
        actions.addStretch(1)
        actions.addWidget(self.labels_button)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        filters.addWidget(QLabel("From"))
        filters.addWidget(self.from_date)
        filters.addWidget(QLabel("to"))
        filters.addWidget(self.to_date)
        filters2 = QHBoxLayout()
        for combo in (self.building_filter, self.offense_filter, self.outcome_filter,
                      self.force_filter):
            filters2.addWidget(combo, 1)
        filters2.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addLayout(filters2)
        layout.addWidget(self.attention)
        layout.addWidget(self.view, 1)

        QShortcut(QKeySequence.StandardKey.New, self, activated=self._on_add_clicked)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self.refresh()

    def current_title(self) -> str:
        if self._attention_count:  # the main window escapes "&" for the tab label
            return f"{self.TAB_TITLE} ({self._attention_count} need attention)"
        return self.TAB_TITLE

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        selected = self._selected()
        labels = call_labels()
        calls = call_repo.list_calls()
        self.model.set_calls(calls)
        fill_filter_combo(self.building_filter, "All buildings",
                   [b.name for b in roster_repo.list_buildings()])
        fill_filter_combo(self.offense_filter, "All offense types", labels.labels(LabelKind.OFFENSE_TYPE))
        fill_filter_combo(self.outcome_filter, "All outcomes", labels.labels(LabelKind.OUTCOME))
        if selected is not None:
            self.select_call(selected.id)
        self._update_count()
        self._update_attention(calls)

    def _update_attention(self, calls: list[Call]) -> None:
        """Police contacts with a missing attorney access, an overdue parent notification or
        no agency use-of-force report after 30 days, listed above the calls."""
        from sro_desk import clock
        from sro_desk.services.incident_rules import contact_attention

        items = contact_attention(clock.now(), calls)
        self._attention_count = len(items)
        shown = items[:6] + ([f"… and {len(items) - 6} more"] if len(items) > 6 else [])
        self.attention.setText("⚠ Needs attention:\n" + "\n".join(shown) if items else "")
        self.attention.setVisible(bool(items))
        self.title_changed.emit(self.current_title())

    def current_filter(self) -> CallFilter:
        return CallFilter(
            start=self.from_date.date(),
            end=self.to_date.date(),
            building=self.building_filter.currentData(),
            offense_type=self.offense_filter.currentData(),
            outcome=self.outcome_filter.currentData(),
            use_of_force=self.force_filter.currentData(),
            search=self.search.text(),
        )

    def _on_filters_changed(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.model.rowCount(), self.model.total()
        self.count_label.setText(f"{shown:,} of {total:,} calls shown")

    def _selected(self) -> Call | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.call(rows[0].row()) if rows else None

    def select_call(self, call_id: int | None) -> None:
        row = self.model.row_of(call_id)
        if row is not None:
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

    def _update_buttons(self, *_args: object) -> None:
        current = self._selected() is not None
        self.edit_button.setEnabled(current)
        self.delete_button.setEnabled(current)

    # ------------------------------------------------------------------ actions
    def _open_dialog(self, current: Call | None) -> None:
        buildings = [b.name for b in roster_repo.list_buildings(active_only=True)]
        if current is not None and current.building not in buildings:
            buildings.append(current.building)
        if not buildings:
            show_info(self, "Set up the district's buildings first (Roster › District set-up).")
            return
        labels = call_labels()
        dialog = CallDialog(labels, buildings, current, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                saved = call_repo.save_call(dialog.call(), labels,
                                            reason="edited" if current else "entered")
            except SroDeskError as error:
                show_error(self, error)
                continue
            self.ctx.notify("calls")
            self.ctx.say(f"Saved call {saved.ref}.")
            self.select_call(saved.id)
            return

    def _on_add_clicked(self) -> None:
        self._open_dialog(None)

    def _on_edit_clicked(self) -> None:
        current = self._selected()
        if current is not None:
            self._open_dialog(current)

    def _on_delete_clicked(self) -> None:
        current = self._selected()
        if current is None or current.id is None:
            return
        reason = ask_reason(self, "Delete call",
                            f"Delete call {current.ref} of {format_date(current.occurred_on)}? "
                            "Give the reason (kept in the audit trail):")
        if reason is None:
            return
        try:
            call_repo.delete_call(current.id, reason=reason)
        except SroDeskError as error:
            show_error(self, error, "Cannot delete")
            return
        self.ctx.notify("calls")

    def _on_labels_clicked(self) -> None:
        from sro_desk.ui.dialogs.call_settings_dialogs import CallLabelsDialog

        dialog = CallLabelsDialog(call_labels(), self)
        dialog.exec()
        if dialog.changed:
            self.ctx.notify("calls")

    def _on_template_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the calls template", str(Path.home() / "sro-desk-calls-template.xlsx"),
            "Excel workbook (*.xlsx);;CSV (*.csv)")
        if not path:
            return
        from sro_desk.services.templates import template_by_name, write_template

        try:
            written = write_template(template_by_name("calls"), Path(path))
        except OSError as error:
            show_error(self, f"The template could not be saved: {error.strerror or error}.")
            return
        self.ctx.say(f"Template written to {written}.")

    def _on_import_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import calls", str(Path.home()),
                                              "Spreadsheets (*.xlsx *.csv);;All files (*)")
        if not path:
            return
        try:
            preview = preview_calls(Path(path))
        except SroDeskError as error:
            show_error(self, error, "Cannot import")
            return
        dialog = CallImportDialog(Path(path).name, preview, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.import_file(Path(path), dialog.mapping())

    def import_file(self, path: Path, mapping: dict[str, str] | None = None) -> None:
        """Import in the background with progress and Cancel; nothing changes on failure."""
        self.runner.start(
            lambda progress, cancelled: import_calls(path, column_map=mapping,
                                                     progress=progress, is_cancelled=cancelled),
            f"Importing {path.name}…", self,
        )

    def _on_runner_finished(self, result: object) -> None:
        self.ctx.notify("calls")
        summary = getattr(result, "summary", "Done.")
        self.ctx.say(summary)
        warnings = getattr(result, "warnings", ())
        show_info(self, summary, "Import finished", "\n".join(warnings))

    def _on_runner_failed(self, error: object) -> None:
        from sro_desk.ui.crash import handle_worker_error

        handle_worker_error(self, error)
