"""The Roster tab: every safety and security staff member, found fast, edited through dialogs."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6 import QtWidgets  # dialog classes are created on first use, not at start-up
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.changes import Change
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.roster import Role, StaffMember, StaffStatus
from sro_desk.ui.context import AppContext, database_is_open
from sro_desk.ui.dialogs.form import KeepOpen, run_until_saved
from sro_desk.ui.dialogs.messages import ask_reason, confirm, show_error, show_info
from sro_desk.ui.models.staff import ClearanceNote, StaffFilterProxy, StaffTableModel
from sro_desk.ui.models.table import fit_columns
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.widgets.buttons import action_button
from sro_desk.ui.widgets.combo import combo_enum, fill_enum_combo, fill_filter_combo

if TYPE_CHECKING:
    from sro_desk.domain.training import StaffClearance
    from sro_desk.ui.workers import JobRunner

CLEARANCE_DELAY_MS = 150


def clearance_notes(today: dt.date | None = None) -> dict[int, ClearanceNote]:
    """The Training tab's verdict per person, when training is tracked in this build."""
    try:
        from sro_desk.services.training import clearance_by_staff
    except ImportError:
        return {}
    notes: dict[int, ClearanceNote] = {}
    for staff_id, c in clearance_by_staff(today or clock.today()).items():
        notes[staff_id] = ClearanceNote(bool(c.cleared), clearance_text(c), "\n".join(c.summary_lines()))
    return notes


def clearance_text(c: StaffClearance) -> str:
    """The roster's short verdict: "may be assigned", "may be assigned, series overdue", ..."""
    text = c.assignment_label.lower()
    return text if c.in_compliance else f"{text}, {c.compliance_label.lower()}"


def not_cleared_reasons(staff: StaffMember, today: dt.date | None = None) -> tuple[str, ...] | None:
    """Why this person is not cleared to work, or ``None`` when they are (or training is not tracked)."""
    try:
        from sro_desk.services.training import activation_warning
    except ImportError:
        return None
    if staff.id is None:
        return ("No training has been recorded or verified for a new person yet.",)
    warning = activation_warning(staff.id, today or clock.today())
    if warning is None:
        return None
    return tuple(warning.reasons) or ("Training has not been verified.",)


class RosterTab(TabPage):
    TAB_TITLE = "Roster"
    TAB_ORDER = 10
    WATCHES = (Change.ROSTER, Change.SETUP, Change.TRAINING)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.model = StaffTableModel(self)
        self.proxy = StaffFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self._clearance_stale = False
        self._import_path: Path | None = None

        self.add_button = action_button("&Add person…", "Add a safety or security staff member (Ctrl+N)", self._on_add_clicked)
        self.edit_button = action_button("&Edit…", "Edit the selected person (Enter)", self._on_edit_clicked)
        self.deactivate_button = action_button("De&activate", "Set the selected person inactive; their records stay", self._on_deactivate_clicked)
        self.delete_button = action_button("Delete", "Delete a person entered by mistake (refused when records refer to them)", self._on_delete_clicked)
        self.import_button = action_button("&Import roster…", "Import people from an .xlsx or .csv file made from the roster template", self._on_import_clicked)
        self.export_button = action_button("E&xport…", "Save the roster as an Excel workbook or a PDF", self._on_export_clicked)
        self.setup_button = action_button("District &set-up…", "Buildings, agencies and companies, school years, district name", self._on_setup_clicked)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search name, badge, employer, building, notes…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the roster")
        self.role_filter = QComboBox()
        self.provider_filter = QComboBox()
        self.building_filter = QComboBox()
        self.status_filter = QComboBox()
        for combo, name in ((self.role_filter, "Role filter"), (self.provider_filter, "Employer filter"), (self.building_filter, "Building filter"), (self.status_filter, "Status filter")):
            combo.setAccessibleName(name)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(11)
        fill_enum_combo(self.role_filter, Role, none_label="All roles")
        fill_enum_combo(self.status_filter, StaffStatus, none_label="All statuses")
        self.count_label = QLabel()
        self.count_label.setAccessibleName("People shown")
        # room for any count from the start: the filter row does not shift as the count changes
        self.count_label.setMinimumWidth(self.count_label.fontMetrics().horizontalAdvance("8888 of 8888 shown"))

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName("Staff roster")
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.view.activated.connect(lambda _i: self._on_edit_clicked())

        self.search.textChanged.connect(self.proxy.set_search)
        self.search.textChanged.connect(self._update_count)
        for combo in (self.role_filter, self.provider_filter, self.building_filter, self.status_filter):
            combo.currentIndexChanged.connect(self._on_filters_changed)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)

        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.deactivate_button, self.delete_button):
            actions.addWidget(b)
        actions.addSpacing(16)
        for b in (self.import_button, self.export_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.setup_button)
        filters = QHBoxLayout()
        filters.addWidget(self.search, 3)
        for combo in (self.role_filter, self.provider_filter, self.building_filter, self.status_filter):
            filters.addWidget(combo, 1)
        filters.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)

        self._add_shortcuts()
        self.refresh()

    # ------------------------------------------------------------------ background jobs
    # Made when first needed, after the window is on screen (the workers module is not needed
    # for the first paint).
    @functools.cached_property
    def runner(self) -> JobRunner:
        """Imports and exports."""
        from sro_desk.ui import workers

        runner = workers.JobRunner(self)
        runner.finished.connect(self._on_runner_finished)
        runner.failed.connect(self._on_runner_failed)
        return runner

    @functools.cached_property
    def clearance_runner(self) -> JobRunner:
        """Training clearance takes a moment for a large roster: it is worked out off the GUI
        thread after the table is on screen, then shown in the Status column."""
        from sro_desk.ui import workers

        runner = workers.JobRunner(self)
        runner.finished.connect(self._on_clearance_runner_finished)
        runner.failed.connect(lambda _e: self.model.set_clearance({}))
        return runner

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        selected = self._selected()
        from sro_desk.services import roster as roster_svc

        staff, providers, buildings = roster_svc.list_staff(), roster_svc.list_providers(), roster_svc.list_buildings()
        self.model.set_items(staff)
        # after the first paint: the roster is usable at once, the clearance notes follow
        QTimer.singleShot(CLEARANCE_DELAY_MS, self, self._start_clearance)
        fill_filter_combo(self.provider_filter, "All employers", [(p.name, p.id) for p in providers])
        fill_filter_combo(self.building_filter, "All buildings", [(b.display, b.id) for b in buildings])
        fit_columns(self.view, max_width=230)
        if selected is not None:
            self.select_staff(selected.id)
        self._update_count()
        self._update_buttons()

    def _start_clearance(self) -> None:
        if not self.isVisible():  # closed before the timer fired
            return
        if not database_is_open():  # closed meanwhile (a switch, a restore): the next refresh starts again
            return
        if self.clearance_runner.busy:
            self._clearance_stale = True
            return
        self._clearance_stale = False
        self.clearance_runner.start(lambda _p, _c: clearance_notes())

    def _add_shortcuts(self) -> None:
        from PySide6.QtGui import QKeySequence, QShortcut

        QShortcut(QKeySequence.StandardKey.New, self, activated=self._on_add_clicked)
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)

    def _on_clearance_runner_finished(self, notes: object) -> None:
        if self._clearance_stale:
            self._start_clearance()
            return
        selected = self._selected()
        self.model.set_clearance(notes if isinstance(notes, dict) else {})
        fit_columns(self.view, max_width=230)
        if selected is not None:
            self.select_staff(selected.id)

    def _on_filters_changed(self, *_args: object) -> None:
        self.proxy.set_filters(
            role=combo_enum(self.role_filter, Role),
            provider_id=self.provider_filter.currentData(),
            building_id=self.building_filter.currentData(),
            status=combo_enum(self.status_filter, StaffStatus),
        )
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        self.count_label.setText(f"{self.proxy.rowCount()} of {self.model.rowCount()} shown")

    def _selected(self) -> StaffMember | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.item(self.proxy.mapToSource(rows[0]).row())

    def select_staff(self, staff_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row).id == staff_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.view.selectRow(index.row())
                    self.view.scrollTo(index)
                return

    def _update_buttons(self, *_args: object) -> None:
        current = self._selected()
        for b in (self.edit_button, self.delete_button):
            b.setEnabled(current is not None)
        self.deactivate_button.setEnabled(current is not None and current.status is not StaffStatus.INACTIVE)

    # ------------------------------------------------------------------ actions
    def _activation_reason(self, before: StaffMember | None, after: StaffMember) -> str | None:
        """Setting a not-cleared person active needs a written reason (audited). '' = none needed.

        Worked out now, not from the table's background clearance notes, so it cannot be skipped
        because those have not arrived yet.
        """
        if after.status is not StaffStatus.ACTIVE or (before is not None and before.status is StaffStatus.ACTIVE):
            return ""
        reasons = not_cleared_reasons(after)
        if reasons is None:
            return ""
        listed = "\n".join(f"• {r}" for r in reasons)
        return ask_reason(
            self,
            "Not cleared to work",
            f"{after.full_name} is not cleared: before staff are assigned the district confirms "
            "the ESD training series documentation or requires the series (RCW 28A.400.345(1)), "
            f"and the series deadlines must be met (RCW 28A.400.345(2)).\n\n{listed}\n\n"
            "Give the reason for setting them active anyway:",
        )

    def _save(self, before: StaffMember | None, staff: StaffMember) -> StaffMember | None:
        reason = self._activation_reason(before, staff)
        if reason is None:
            return None
        from sro_desk.services import roster as roster_svc

        try:
            saved = roster_svc.save_staff(staff, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return None
        self.ctx.notify(Change.ROSTER)
        self.ctx.say(f"Saved {saved.full_name}.")
        self.select_staff(saved.id)
        return saved

    def _open_dialog(self, current: StaffMember | None) -> None:
        from sro_desk.services import roster as roster_svc

        providers, buildings = roster_svc.list_providers(), roster_svc.list_buildings()
        if not providers:
            show_info(self, "Add the agencies, companies (and the district itself, for district employees) first, under District set-up.")
            self._on_setup_clicked()
            return
        from sro_desk.services.first_day import first_day_checker
        from sro_desk.ui.dialogs.staff_dialog import StaffDialog

        dialog = StaffDialog(providers, buildings, current, self, first_day_check=first_day_checker())

        def save(staff: StaffMember) -> StaffMember:
            saved = self._save(current, staff)  # shows a refusal itself
            if saved is None:
                raise KeepOpen
            return saved

        run_until_saved(dialog, save, value=dialog.staff)

    def _on_add_clicked(self) -> None:
        self._open_dialog(None)

    def _on_edit_clicked(self) -> None:
        current = self._selected()
        if current is not None:
            self._open_dialog(current)

    def _on_deactivate_clicked(self) -> None:
        current = self._selected()
        if current is None or current.id is None:
            return
        if not confirm(self, f"Set {current.full_name} inactive? Their training and other records are kept.", ok_label="Deactivate"):
            return
        end = current.assignment_end or clock.today()
        self._save(current, replace(current, status=StaffStatus.INACTIVE, assignment_end=end))

    def _on_delete_clicked(self) -> None:
        current = self._selected()
        if current is None or current.id is None:
            return
        if not confirm(self, f"Delete {current.full_name} from the roster? Use this only for a person entered by mistake; otherwise deactivate.", ok_label="Delete"):
            return
        from sro_desk.services import roster as roster_svc

        try:
            roster_svc.delete_staff(current.id)
        except SroDeskError as error:
            show_error(self, error, "Cannot delete")
            return
        self.ctx.notify(Change.ROSTER)

    def _on_setup_clicked(self) -> None:
        from sro_desk.ui.dialogs.setup_dialog import SetupDialog

        SetupDialog(self, on_change=lambda: self.ctx.notify(Change.SETUP)).exec()

    def _on_import_clicked(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Import roster", str(Path.home()), "Spreadsheets (*.xlsx *.csv);;All files (*)")
        if path:
            self.import_file(Path(path))

    def import_file(self, path: Path, activation_reason: str = "") -> None:
        from sro_desk.services.roster_import import import_roster

        self._import_path = path
        self.runner.start(
            lambda progress, cancelled: import_roster(path, progress, cancelled, activation_reason=activation_reason),
            f"Importing {path.name}…",
            self,
        )

    def _on_runner_finished(self, result: object) -> None:
        self.ctx.notify(Change.ROSTER)
        summary = getattr(result, "summary", "Done.")
        warnings = getattr(result, "warnings", ())
        self.ctx.say(summary)
        show_info(self, summary, "Import finished", "\n".join(warnings))

    def _on_runner_failed(self, error: object) -> None:
        from sro_desk.services.roster_import import ActivationReasonNeeded
        from sro_desk.ui.crash import handle_worker_error

        if isinstance(error, ActivationReasonNeeded) and self._import_path is not None:
            listed = "\n".join(f"• {p}" for p in error.problems[:12])
            more = f"\n… and {error.total - 12:,} more" if error.total > 12 else ""
            reason = ask_reason(
                self,
                "Not cleared to work",
                f"{error.summary}\n\n{listed}{more}\n\nGive the reason for importing them as active "
                "(kept in the audit trail), or Cancel to change the file:",
            )
            if reason:
                self.import_file(self._import_path, reason)
            return
        handle_worker_error(self, error)

    def _on_export_clicked(self) -> None:
        path, chosen = QtWidgets.QFileDialog.getSaveFileName(
            self, "Export roster", str(Path.home() / "roster.xlsx"), "Excel workbook (*.xlsx);;PDF (*.pdf)"
        )
        if not path:
            return
        from sro_desk.services.roster_export import export_roster

        target = Path(path)
        if target.suffix.lower() not in (".xlsx", ".pdf"):
            target = target.with_suffix(".pdf" if "PDF" in chosen else ".xlsx")
        kind = {"xlsx": target if target.suffix.lower() == ".xlsx" else None, "pdf": target if target.suffix.lower() == ".pdf" else None}
        self.runner.start(lambda _p, _c: _ExportDone(export_roster(**kind)), "Exporting the roster…", self)


class _ExportDone:
    def __init__(self, paths: list[Path]) -> None:
        self.summary = "Wrote " + ", ".join(str(p) for p in paths)
        self.warnings: tuple[str, ...] = ()
