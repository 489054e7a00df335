"""The Training tab: every staff member against every required topic, series component and
certification, with what needs attention first. The rules live in ``sro_desk.domain.training``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.changes import Change
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.training import (
    ComplianceMatrix,
    PersonTraining,
    TrainingStatus,
    needs_attention,
)
from sro_desk.domain.training_catalog import TrainingCatalog
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.form import KeepOpen, run_until_saved
from sro_desk.ui.dialogs.messages import show_error, show_info
from sro_desk.ui.models.table import ObjectFilterProxy
from sro_desk.ui.models.training_matrix import (
    FIXED_COLUMNS,
    STATUS_CHOICES,
    AttentionTableModel,
    TrainingFilterProxy,
    TrainingMatrixModel,
)
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.widgets.combo import fill_filter_combo
from sro_desk.ui.widgets.date_edit import from_qdate, limit_to_entry_range, to_qdate
from sro_desk.ui.workers import JobRunner

HELP_TEXT = """\
<p><b>What is checked.</b> Every safety and security staff member against the 13 classroom topics
of RCW 28A.310.515(2), the rest of the RCW 28A.400.345 training series (2 on-the-job days; for staff
who are not SROs, 6 check-in trainings) and the district's recurring certifications.</p>
<p><b>District policies list 12 topics.</b> Policies written before 2021 (citing RCW 28A.320.124)
list twelve topics in their own order; they are topics (a) to (l) here. Topic (m), restorative
justice principles and practices, was added by the 2021 law (ESHB 1214). Each column's tooltip
shows the policy wording it maps to.</p>
<p><b>Deadlines.</b> The clock starts on the first day on school property with students expected,
not the hire date. Classroom topics are due within 6 months; on-the-job days and check-ins within
the first year. "Within 6 months" ends on the same day number 6 months later, or on the last day
of a shorter month: 31 August + 6 months = 28 (or 29) February. A year after 29 February is
28 February. Training completed on the deadline is on time. Training completed before the first
day counts.</p>
<p><b>Two questions, each with its reasons.</b> <i>May be assigned</i> (RCW 28A.400.345(1)):
confirmed ESD training series documentation is on file, or the district requires the series and it
is under way (the first day with students is recorded, so its deadlines run). <i>Series
deadlines</i> (RCW 28A.400.345(2)(b)-(d)): "In compliance" while no component's deadline has
passed unmet; "Series overdue" names each one that has. Only <i>verified</i> records count; a
record is <i>claimed</i> until someone verifies it. A person with no first day recorded is not to
be assigned ("first day not recorded") unless all topics are already verified.</p>
<p><b>Locked by law.</b> Every classroom topic and both on-the-job days (RCW 28A.400.345(2)(b)-(c)),
and the check-ins of every staff member who is not an SRO ((2)(d)), carry a padlock: no district
setting can mark them not required. Only an ESD may document prior training or waive a component.
The on-the-job days take place "at the school of the experienced staff" (RCW 28A.400.345(2)(c)).</p>
<p><b>Certifications</b> are valid through the same date N months after completion and expired
from the next day. Alerts start at the first threshold (90 days by default).</p>"""

STATUS_FILTERS = ("Any status", *STATUS_CHOICES, *(s.value for s in TrainingStatus))


class TrainingTab(TabPage):
    TAB_TITLE = "Training"
    TAB_ORDER = 20
    TITLE_NEEDS_DATA = True  # the title counts overdue training
    WATCHES = (Change.ROSTER, Change.SETUP, Change.TRAINING)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.catalog: TrainingCatalog | None = None
        self.matrix_model = TrainingMatrixModel(self)
        self.proxy = TrainingFilterProxy(self)
        self.proxy.setSourceModel(self.matrix_model)
        self.attention_model = AttentionTableModel(self)
        self.attention_proxy = ObjectFilterProxy(self)
        self.attention_proxy.setSourceModel(self.attention_model)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

        self.record_button = QPushButton("&Record training…")
        self.group_button = QPushButton("&Group session…")
        self.esd_button = QPushButton("ESD &documentation…")
        self.import_button = QPushButton("&Import training records…")
        self.importer: Any = None  # TrainingImporter, made on first use
        self.settings_button = QPushButton("Re&quirements && alerts…")
        self.export_button = QPushButton("E&xport matrix…")
        self.pdf_button = QPushButton("&Verification record…")
        self.help_button = QPushButton("How training is checked")
        for button, tip, slot in (
            (self.record_button, "Record a completion for the selected person", self._on_record_clicked),
            (self.group_button, "Several people completed the same topics at one session",
             self._on_group_clicked),
            (self.esd_button, "ESD training series documentation for the selected person",
             self._on_esd_clicked),
            (self.import_button, "Import an ESD completion roster, an agency's training list, or "
             "ESD documentation and waivers (.xlsx or .csv; all rows or none)",
             self._on_import_clicked),
            (self.settings_button, "Mark a requirement not required, change renewal periods, "
             "set alert thresholds", self._on_settings_clicked),
            (self.export_button, "Save the matrix as an Excel workbook with a legend",
             self._on_export_clicked),
            (self.pdf_button, "The selected person's training verification record (PDF)",
             self._on_pdf_clicked),
            (self.help_button, "The rules, the deadlines and the 12-topic mapping",
             self._on_help_clicked),
        ):
            button.setToolTip(tip)
            button.setAccessibleName(button.text().replace("&&", "and").replace("&", "")
                                     .rstrip("…"))
            button.clicked.connect(slot)

        self.as_of = QDateEdit(to_qdate(clock.today()))
        limit_to_entry_range(self.as_of)
        self.as_of.setCalendarPopup(True)
        self.as_of.setDisplayFormat("yyyy-MM-dd")
        self.as_of.setAccessibleName("As of date")
        self.as_of.setToolTip("Evaluate everyone's training on this date")
        self.as_of.dateChanged.connect(self._on_as_of_changed)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search people…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search people")
        self.search.textChanged.connect(self._on_search_changed)
        self.employer_filter = QComboBox()
        self.building_filter = QComboBox()
        self.role_filter = QComboBox()
        self.status_filter = QComboBox()
        for combo, name in ((self.employer_filter, "Employer filter"),
                            (self.building_filter, "Building filter"),
                            (self.role_filter, "Role filter"),
                            (self.status_filter, "Status filter")):
            combo.setAccessibleName(name)
            combo.setMinimumContentsLength(12)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.currentIndexChanged.connect(self._on_filters_changed)
        for text in STATUS_FILTERS:
            self.status_filter.addItem(text, None if text == "Any status" else text)
        self.summary = QLabel()
        self.summary.setAccessibleName("Clearance summary")

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.setWordWrap(False)
        self.view.setAccessibleName("Training compliance matrix")
        # A click opens the cell (the "click a cell to open its record"); Enter does the
        # same from the keyboard. ``activated`` is not used: on some styles it also fires on a
        # single click, which would open the window twice.
        self.view.clicked.connect(self._on_view_clicked)
        self.view.installEventFilter(self)

        self.attention_view = QTableView()
        self.attention_view.setModel(self.attention_proxy)
        self.attention_view.setSortingEnabled(True)
        self.attention_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.attention_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.attention_view.verticalHeader().setVisible(False)
        self.attention_view.horizontalHeader().setStretchLastSection(True)
        self.attention_view.setAccessibleName("Needs attention")
        self.attention_view.doubleClicked.connect(self._on_attention_activated)
        self.attention_view.installEventFilter(self)
        self.attention_title = QLabel()
        self.attention_title.setStyleSheet("font-weight: bold;")

        actions = QHBoxLayout()
        for b in (self.record_button, self.group_button, self.esd_button, self.import_button):
            actions.addWidget(b)
        actions.addSpacing(12)
        for b in (self.export_button, self.pdf_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.settings_button)
        actions.addWidget(self.help_button)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("As of"))
        filters.addWidget(self.as_of)
        filters.addWidget(self.search, 2)
        for combo in (self.employer_filter, self.building_filter, self.role_filter,
                      self.status_filter):
            filters.addWidget(combo, 1)
        filters.addWidget(self.summary)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.attention_title)
        lower_layout.addWidget(self.attention_view)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        self.refresh()

    # ------------------------------------------------------------------ data
    def as_of_date(self) -> dt.date:
        return from_qdate(self.as_of.date())

    @staticmethod
    def today() -> dt.date:
        return clock.today()

    @staticmethod
    def verifier() -> str:
        from sro_desk.services.storage import current_actor

        return current_actor()

    def refresh(self) -> None:
        from sro_desk.services.training import compliance_matrix, district_catalog

        try:
            self.catalog = district_catalog()
            matrix = compliance_matrix(self.as_of_date(), catalog=self.catalog)
        except SroDeskError as error:
            self.summary.setText(str(error))
            return
        self._show(matrix)

    def _show(self, matrix: ComplianceMatrix) -> None:
        selected = self._selected_row()
        self.matrix_model.set_matrix(matrix)
        items = needs_attention(matrix, horizon_days=matrix.thresholds.horizon)
        self.attention_model.set_items(items)
        self.attention_title.setText(
            f"Needs attention: {len(items)} item{'s' if len(items) != 1 else ''} overdue, "
            f"expired, or due or expiring within {matrix.thresholds.horizon} days of "
            f"{format_date(matrix.as_of)} (soonest first)")
        people = [r.person for r in matrix.rows]
        fill_filter_combo(self.employer_filter, "All employers", sorted({p.employer_name for p in people}))
        fill_filter_combo(self.building_filter, "All buildings",
                   sorted({b for p in people for b in p.building.split(", ") if b}))
        fill_filter_combo(self.role_filter, "All roles", sorted({p.role_label for p in people}))
        self._sync_attention()
        assignable = sum(1 for r in matrix.rows if r.clearance.may_be_assigned)
        on_time = sum(1 for r in matrix.rows if r.clearance.in_compliance)
        self.summary.setText(f"{assignable} of {len(matrix.rows)} may be assigned · "
                             f"{on_time} in compliance with the series deadlines")
        header = self.view.horizontalHeader()
        self.view.resizeColumnsToContents()
        # Wide enough for a dated status ("Expiring soon · 30 Sep 2026") beside its icon; longer
        # words ("(claimed)") may be cut, the tooltip has them all.
        cell_width = self.view.fontMetrics().horizontalAdvance("Expiring soon · 30 Sep 2026") + 44
        for column in range(self.matrix_model.columnCount()):
            width = 190 if column == 0 else 150 if column < FIXED_COLUMNS else cell_width
            # Cells may be cut to keep the matrix narrow (their tooltip has every word), but a
            # header never is: the letter and the wrapped name must read in full.
            header.resizeSection(column, max(min(self.view.columnWidth(column), width),
                                             header.sectionSizeHint(column)))
        self.attention_view.resizeColumnsToContents()
        overdue = sum(1 for i in items if i.status in (TrainingStatus.OVERDUE,
                                                       TrainingStatus.EXPIRED))
        self.title_changed.emit(f"Training ({overdue} overdue)" if overdue else "Training")
        if selected is not None:
            self.select_person(selected.person.staff_id)

    def current_title(self) -> str:
        return self.TAB_TITLE

    def _selected_row(self) -> PersonTraining | None:
        index = self.view.currentIndex()
        if not index.isValid():
            return None
        return self.matrix_model.item(self.proxy.mapToSource(index).row())

    def select_person(self, staff_id: int) -> None:
        for row in range(self.matrix_model.rowCount()):
            if self.matrix_model.item(row).person.staff_id == staff_id:
                index = self.proxy.mapFromSource(self.matrix_model.index(row, 0))
                if index.isValid():
                    self.view.setCurrentIndex(index)
                    self.view.scrollTo(index)
                return

    def _changed(self) -> None:
        self.ctx.notify(Change.TRAINING)

    # ------------------------------------------------------------------ filters
    def _on_as_of_changed(self, *_args: object) -> None:
        self.refresh()

    def _on_search_changed(self, text: str) -> None:
        self.proxy.set_search(text)
        self.attention_proxy.set_search(text)

    def _on_filters_changed(self, *_args: object) -> None:
        self.proxy.set_filters(
            employer=self.employer_filter.currentData(),
            building=self.building_filter.currentData(),
            role=self.role_filter.currentData(),
            status=self.status_filter.currentData(),
        )
        self._sync_attention()

    def _sync_attention(self) -> None:
        """The needs-attention list follows the matrix filters (same people)."""
        shown = {self.matrix_model.item(self.proxy.mapToSource(self.proxy.index(r, 0)).row())
                 .person.staff_id for r in range(self.proxy.rowCount())}
        self.attention_proxy.set_predicate(lambda item: item.staff_id in shown)

    # ------------------------------------------------------------------ opening cells
    def _on_view_clicked(self, index: QModelIndex) -> None:
        source = self.proxy.mapToSource(index)
        requirement = self.matrix_model.requirement_at(source.column())
        if requirement is None:
            return
        self.open_cell(self.matrix_model.item(source.row()).person.staff_id, requirement.code)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on a matrix cell or an attention line opens it, as a click does."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            if watched is self.view and self.view.currentIndex().isValid():
                self._on_view_clicked(self.view.currentIndex())
                return True
            if watched is self.attention_view and self.attention_view.currentIndex().isValid():
                self._on_attention_activated(self.attention_view.currentIndex())
                return True
        return super().eventFilter(watched, event)

    def _on_attention_activated(self, index: QModelIndex) -> None:
        item = self.attention_model.item(self.attention_proxy.mapToSource(index).row())
        if item.requirement_code:
            self.open_cell(item.staff_id, item.requirement_code)
        else:
            self.select_person(item.staff_id)
            show_info(self, f"{item.person_name}\n\n{item.message}\n\nRecord the first day on "
                      "school property with students on the Roster tab.")

    def open_cell(self, staff_id: int, code: str) -> QDialog | None:
        """Open the records behind one cell (also used by tests, which close it themselves)."""
        from sro_desk.ui.dialogs.training_record_dialog import TrainingRecordDialog

        matrix = self.matrix_model.matrix
        if matrix is None or self.catalog is None:
            return None
        row = matrix.row_for(staff_id)
        requirement = self.catalog.get(code)
        dialog = TrainingRecordDialog(
            row.person, requirement, row.cell(code), self.catalog, verifier=self.verifier(),
            today=self.today(), changed=self._changed,
            on_record=lambda: self.record_training((staff_id,), (code,)), parent=self)
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        """Modal in use; tests replace this to drive the dialog themselves."""
        dialog.exec()

    # ------------------------------------------------------------------ recording
    def record_training(self, staff_ids: tuple[int, ...] = (), codes: tuple[str, ...] = (),
                        *, group: bool = False) -> None:
        from sro_desk.ui.dialogs.training_completion_dialog import CompletionDialog

        matrix = self.matrix_model.matrix
        if matrix is None or self.catalog is None:
            return
        dialog = CompletionDialog(
            [r.person for r in matrix.rows], self.catalog, staff_ids=staff_ids,
            requirement_codes=codes, today=self.today(), verifier=self.verifier(), group=group,
            parent=self)
        self._open_completion(dialog)

    def _open_completion(self, dialog: Any) -> None:
        def save(_inputs: object) -> bool:
            if not self.save_completion(dialog):  # shows a refusal itself
                raise KeepOpen
            return True

        run_until_saved(dialog, save, value=dialog.inputs)

    def save_completion(self, dialog: Any) -> bool:
        """Save what a completion dialog holds; ``False`` (and the problem shown) if refused."""
        from sro_desk.services.training import record_completions, verify_completions

        try:
            saved = record_completions(dialog.inputs(), dialog.evidence(), today=self.today(),
                                       claimed_by=self.verifier())
            if dialog.verify_now.isChecked():
                verify_completions([c.id for c in saved.completions], self.verifier())
        except SroDeskError as error:
            show_error(self, error)
            return False
        count = len(saved.completions)
        self.ctx.say(f"Recorded {count} training record{'s' if count != 1 else ''}.")
        if saved.warnings:
            show_info(self, saved.warnings[0], "Check the notes")
        self._changed()
        return True

    def _on_record_clicked(self) -> None:
        row = self._selected_row()
        index = self.view.currentIndex()
        codes: tuple[str, ...] = ()
        if index.isValid():
            requirement = self.matrix_model.requirement_at(self.proxy.mapToSource(index).column())
            codes = (requirement.code,) if requirement is not None else ()
        self.record_training((row.person.staff_id,) if row else (), codes)

    def _on_group_clicked(self) -> None:
        self.record_training(group=True)

    def _on_esd_clicked(self) -> None:
        from sro_desk.ui.dialogs.training_esd_dialog import EsdDocumentationDialog

        row = self._selected_row()
        if row is None or self.catalog is None:
            show_info(self, "Select a person in the matrix first.")
            return
        self._open(EsdDocumentationDialog(row.person, self.catalog, verifier=self.verifier(),
                                          today=self.today(), changed=self._changed, parent=self))

    def _on_import_clicked(self) -> None:
        from sro_desk.ui.dialogs.training_import_dialog import TrainingImporter

        if self.importer is None:
            self.importer = TrainingImporter(self, self._changed, self.today)
        self.importer.choose_and_import()

    def _on_settings_clicked(self) -> None:
        from sro_desk.ui.dialogs.training_requirements_dialog import TrainingRequirementsDialog

        self._open(TrainingRequirementsDialog(self._changed, self))

    def _on_help_clicked(self) -> None:
        show_info(self, HELP_TEXT, "How training is checked")

    # ------------------------------------------------------------------ exports
    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export training matrix", str(Path.home() / "training-matrix.xlsx"),
            "Excel workbook (*.xlsx)")
        if path:
            self.export_matrix(Path(path))

    def export_matrix(self, path: Path) -> None:
        from sro_desk.services.training import export_matrix_xlsx

        target = path if path.suffix.lower() == ".xlsx" else path.with_suffix(".xlsx")
        as_of = self.as_of_date()
        self.runner.start(lambda progress, cancelled: export_matrix_xlsx(
            target, as_of, progress=progress, is_cancelled=cancelled),
            "Exporting the training matrix…", self)

    def _on_pdf_clicked(self) -> None:
        row = self._selected_row()
        if row is None:
            show_info(self, "Select a person in the matrix first.")
            return
        default = Path.home() / f"training-record-{row.person.name.replace(', ', '-')}.pdf"
        path, _ = QFileDialog.getSaveFileName(self, "Training verification record",
                                              str(default), "PDF (*.pdf)")
        if path:
            self.export_record(row.person.staff_id, Path(path))

    def export_record(self, staff_id: int, path: Path) -> None:
        from sro_desk.services.training import export_verification_pdf

        target = path if path.suffix.lower() == ".pdf" else path.with_suffix(".pdf")
        as_of = self.as_of_date()
        self.runner.start(lambda _p, _c: export_verification_pdf(target, staff_id, as_of),
                          "Writing the verification record…", self)

    def _on_runner_finished(self, result: object) -> None:
        self.ctx.say(f"Wrote {result}")

    def _on_runner_failed(self, error: object) -> None:
        from sro_desk.ui.crash import handle_worker_error

        handle_worker_error(self, error)
