"""The Complaints tab's other sections: the district calendar, principal–staff meetings and
their cadence, and the prevention activity log — one school year at a time.

They live in the Complaints tab because all of them are counted in school days on the same
calendar: adding a closure here recomputes every open complaint deadline and lists each move.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.changes import Change
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.meetings import count_activities
from sro_desk.domain.roster import SchoolYear, StaffStatus, school_year_label_for
from sro_desk.domain.school_calendar import DeadlineChange, NonSchoolDay, add_school_days
from sro_desk.services import complaint_records
from sro_desk.services import complaints as svc
from sro_desk.services import roster as roster_svc
from sro_desk.ui.context import AppContext
from sro_desk.ui.crash import handle_worker_error
from sro_desk.ui.dialogs.complaint_dialogs import (
    ComplaintActivityDialog,
    ComplaintCalendarYearDialog,
    ComplaintClosureDialog,
    ComplaintMeetingDialog,
)
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.messages import ask_reason, show_error, show_info
from sro_desk.ui.models.complaint_models import (
    ActivityTableModel,
    CadenceGapTableModel,
    DeadlineMove,
    DeadlineMoveTableModel,
    MeetingTableModel,
    NonSchoolDayTableModel,
    StaffGap,
)
from sro_desk.ui.models.table import OBJECT_ROLE, ObjectFilterProxy
from sro_desk.ui.widgets.date_edit import (
    from_qdate,
    limit_to_entry_range,
    show_stored_date,
)
from sro_desk.ui.workers import JobRunner


def _table(name: str, model: object) -> tuple[QTableView, ObjectFilterProxy]:
    proxy = ObjectFilterProxy()
    proxy.setSourceModel(model)  # type: ignore[arg-type]
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAccessibleName(name)
    proxy.setParent(view)
    return view, proxy


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


def confirm_import(parent: QWidget, summary: str, details: str) -> bool:
    """Ask before storing an import; the full list of days is under Details."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle("Import calendar")
    box.setText(summary)
    box.setInformativeText("Import these days? Open deadlines will be recomputed.")
    if details:
        box.setDetailedText(details)
    ok = box.addButton("Import", QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def _changes_text(changes: list[DeadlineChange]) -> str:
    if not changes:
        return "No open complaint deadline moved."
    return "\n".join(c.describe() for c in changes)


class CalendarMeetingsPanel(QWidget):
    """Calendar, meetings and activities for one school year, with a shared year choice."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.today_override: dt.date | None = None
        self.year = QComboBox()
        self.year.setAccessibleName("School year")
        self.year_summary = QLabel()
        self.year_summary.setWordWrap(True)
        self.year_summary.setAccessibleName("Calendar summary")
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.setAccessibleName("Calendar, meetings and activities")
        self.pages.addTab(self._build_calendar_page(), "Calendar")
        self.pages.addTab(self._build_meetings_page(), "Meetings and cadence")
        self.pages.addTab(self._build_activities_page(), "Prevention activities")
        top = QHBoxLayout()
        top.addWidget(QLabel("School year:"))
        top.addWidget(self.year)
        top.addWidget(self.year_summary, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.year.currentIndexChanged.connect(self._on_year_changed)
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

    # ----------------------------------------------------------------------- pages
    def _build_calendar_page(self) -> QWidget:
        page = QWidget()
        self.days_model = NonSchoolDayTableModel(self)
        self.days_view, self.days_proxy = _table("Non-school days", self.days_model)
        self.moves_model = DeadlineMoveTableModel(self)
        self.moves_view, self.moves_proxy = _table("Deadline moves", self.moves_model)
        self.moves_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.set_days_button = _button("Set &first and last days…",
                                       "The year's first and last instructional days")
        self.add_days_button = _button("&Add non-school days…",
                                       "A holiday, break, in-service day or emergency closure "
                                       "(snow, smoke, power); open deadlines are recomputed")
        self.remove_day_button = _button("&Remove day",
                                         "Remove a day entered by mistake (asks for a reason)")
        self.import_button = _button("&Import .ics / .xlsx…",
                                     "Non-school days from the district's calendar file")
        self.count_from = QDateEdit()
        limit_to_entry_range(self.count_from)
        self.count_from.setCalendarPopup(True)
        self.count_from.setDisplayFormat("yyyy-MM-dd")
        self.count_from.setAccessibleName("Count from")
        self.count_days = QSpinBox()
        self.count_days.setRange(0, 400)
        self.count_days.setValue(20)
        self.count_days.setAccessibleName("School days to add")
        self.count_result = QLabel()
        self.count_result.setTextFormat(Qt.TextFormat.PlainText)  # holds day-off descriptions
        self.count_result.setWordWrap(True)
        self.count_result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.count_result.setAccessibleName("Counted deadline")
        buttons = QHBoxLayout()
        for b in (self.set_days_button, self.add_days_button, self.remove_day_button,
                  self.import_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        counter = QHBoxLayout()
        counter.addWidget(QLabel("Count"))
        counter.addWidget(self.count_days)
        counter.addWidget(QLabel("school days after"))
        counter.addWidget(self.count_from)
        counter.addStretch(1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("<b>Deadline moves</b> (recorded when the calendar "
                                      "changes)"))
        right_layout.addWidget(self.moves_view, 1)
        right_layout.addWidget(QLabel("<b>Deadline calculator</b>"))
        right_layout.addLayout(counter)
        right_layout.addWidget(self.count_result)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.days_view)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.set_days_button.clicked.connect(self._on_set_days_clicked)
        self.add_days_button.clicked.connect(self._on_add_days_clicked)
        self.remove_day_button.clicked.connect(self._on_remove_day_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.count_from.dateChanged.connect(self._on_counter_changed)
        self.count_days.valueChanged.connect(self._on_counter_changed)
        return page

    def _build_meetings_page(self) -> QWidget:
        page = QWidget()
        self.meeting_model = MeetingTableModel(self)
        self.meeting_view, self.meeting_proxy = _table("Meetings", self.meeting_model)
        self.meeting_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.gap_model = CadenceGapTableModel(self)
        self.gap_view, self.gap_proxy = _table("Cadence gaps", self.gap_model)
        self.cadence_summary = QLabel()
        self.cadence_summary.setWordWrap(True)
        self.cadence_summary.setAccessibleName("Cadence summary")
        self.log_meeting_button = _button("&Log meeting…", "A formal or informal principal–"
                                                          "staff meeting")
        self.delete_meeting_button = _button("Delete meeting", "Delete a meeting entered by "
                                                               "mistake (asks for a reason)")
        self.cadence_pdf_button = _button("Cadence &PDF…", "The cadence report for one "
                                                           "building and this year")
        self.staff_filter = QComboBox()
        self.staff_filter.setAccessibleName("Show staff member")
        self.staff_filter.currentIndexChanged.connect(self._on_staff_filter_changed)
        buttons = QHBoxLayout()
        for b in (self.log_meeting_button, self.delete_meeting_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Staff member:"))
        buttons.addWidget(self.staff_filter)
        buttons.addWidget(self.cadence_pdf_button)
        gaps = QWidget()
        gaps_layout = QVBoxLayout(gaps)
        gaps_layout.setContentsMargins(0, 0, 0, 0)
        gaps_layout.addWidget(self.cadence_summary)
        gaps_layout.addWidget(self.gap_view, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(gaps)
        splitter.addWidget(self.meeting_view)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(splitter, 1)
        self.log_meeting_button.clicked.connect(self._on_log_meeting_clicked)
        self.delete_meeting_button.clicked.connect(self._on_delete_meeting_clicked)
        self.cadence_pdf_button.clicked.connect(self._on_cadence_pdf_clicked)
        return page

    def _build_activities_page(self) -> QWidget:
        page = QWidget()
        self.activity_model = ActivityTableModel(self)
        self.activity_view, self.activity_proxy = _table("Prevention activities",
                                                         self.activity_model)
        self.activity_view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.activity_counts = QLabel()
        self.activity_counts.setWordWrap(True)
        self.activity_counts.setAccessibleName("Activity counts")
        self.log_activity_button = _button("Log &activity…", "A presentation, mentoring, family "
                                                             "night, circle or threat-assessment "
                                                             "team meeting")
        self.delete_activity_button = _button("Delete activity", "Delete an activity entered by "
                                                                 "mistake (asks for a reason)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.log_activity_button)
        buttons.addWidget(self.delete_activity_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(buttons)
        layout.addWidget(self.activity_counts)
        layout.addWidget(self.activity_view, 1)
        self.log_activity_button.clicked.connect(self._on_log_activity_clicked)
        self.delete_activity_button.clicked.connect(self._on_delete_activity_clicked)
        return page

    # ------------------------------------------------------------------------ data
    def today(self) -> dt.date:
        return self.today_override or clock.today()

    def selected_year(self) -> SchoolYear | None:
        year: SchoolYear | None = self.year.currentData()
        return year

    def refresh(self) -> None:
        current = self.selected_year()
        years = roster_svc.list_school_years()
        self.year.blockSignals(True)
        self.year.clear()
        for y in years:
            self.year.addItem(y.label, y)
        wanted = current.label if current else school_year_label_for(self.today())
        index = self.year.findText(wanted)
        self.year.setCurrentIndex(index if index >= 0 else self.year.count() - 1)
        self.year.blockSignals(False)
        self._load_year()

    def _on_year_changed(self, *_args: object) -> None:
        self._load_year()

    def _load_year(self) -> None:
        year = self.selected_year()
        calendar = complaint_records.calendar_for(year.label) if year else None
        has_year = year is not None
        for b in (self.set_days_button, self.import_button, self.log_meeting_button,
                  self.log_activity_button):
            b.setEnabled(has_year)
        for b in (self.add_days_button, self.remove_day_button, self.cadence_pdf_button):
            b.setEnabled(calendar is not None)
        if year is None:
            self.year_summary.setText("Add a school year first (Roster › District set-up).")
        elif calendar is None:
            self.year_summary.setText(
                f"The {year.label} calendar has not been entered: deadlines that reach this "
                "year cannot be counted yet. Use “Set first and last days” or import the "
                "district's calendar.")
        else:
            notes = " ".join(calendar.notes())
            self.year_summary.setText(
                f"First day {format_date(calendar.first_day)}, last day "
                f"{format_date(calendar.last_day)}: {calendar.school_day_count()} school days, "
                f"{len(calendar.days_off)} weekday closures. {notes}".strip())
        self.days_model.set_items(calendar.days_off if calendar else [])
        self.moves_model.set_items([DeadlineMove(at, cid, text)
                                    for at, cid, text in complaint_records.deadline_changes()])
        if calendar is not None:
            start = min(max(self.today(), calendar.first_day), calendar.last_day)
            show_stored_date(self.count_from, start)
        self._on_counter_changed()
        self._load_meetings(year)
        self._load_activities(year)
        for view in (self.days_view, self.meeting_view, self.gap_view, self.activity_view):
            view.resizeColumnsToContents()

    def _load_meetings(self, year: SchoolYear | None) -> None:
        if year is None:
            self.meeting_model.set_items([])
            self.gap_model.set_items([])
            return
        self.meeting_model.set_items(complaint_records.list_meetings(year.first_day, year.last_day))
        try:
            report = svc.cadence_report(year.label, today=self.today())
        except SroDeskError as error:
            self.gap_model.set_items([])
            self.cadence_summary.setText(str(error))
            return
        rules = svc.cadence_rules()
        self._fill_staff_filter(sorted({(r.staff_name, r.staff_id) for r in report}))
        gaps = [StaffGap(r.staff_name, r.building, g, r.staff_id)
                for r in report for g in r.gaps]
        self.gap_model.set_items(gaps)
        on = sum(1 for r in report if r.on_cadence)
        self.cadence_summary.setText(
            f"<b>Gaps that broke the cadence</b> (formal every {rules.formal_every_days} days, "
            f"informal {rules.informal_rule}): {len(gaps)} gap"
            f"{'s' if len(gaps) != 1 else ''}; {on} of {len(report)} staff member and building "
            "pairs on cadence.")

    def _fill_staff_filter(self, people: list[tuple[str, int]]) -> None:
        current = self.staff_filter.currentData()
        self.staff_filter.blockSignals(True)
        self.staff_filter.clear()
        self.staff_filter.addItem("Everyone", None)
        for name, staff_id in people:
            self.staff_filter.addItem(name, staff_id)
        index = self.staff_filter.findData(current) if current is not None else 0
        self.staff_filter.setCurrentIndex(max(index, 0))
        self.staff_filter.blockSignals(False)
        self._on_staff_filter_changed()

    def _on_staff_filter_changed(self, *_args: object) -> None:
        """One staff member's meetings and gaps, or everyone's."""
        staff_id = self.staff_filter.currentData()
        if staff_id is None:
            self.gap_proxy.set_predicate(None)
            self.meeting_proxy.set_predicate(None)
        else:
            self.gap_proxy.set_predicate(lambda g: g.staff_id == staff_id)
            self.meeting_proxy.set_predicate(lambda m: m.staff_id == staff_id)

    def _load_activities(self, year: SchoolYear | None) -> None:
        if year is None:
            self.activity_model.set_items([])
            self.activity_counts.setText("")
            return
        start, end = dt.date(int(year.label[:4]), 7, 1), dt.date(int(year.label[:4]) + 1, 6, 30)
        activities = complaint_records.list_activities(start, end)
        self.activity_model.set_items(activities)
        counts = count_activities(activities, start, end)
        people = sum(a.participants for a in activities)
        self.activity_counts.setText(
            "For the annual report: " + "; ".join(f"{k}: {n}" for k, n in counts.items())
            + f". {people:,} participants in all.")

    def _on_counter_changed(self, *_args: object) -> None:
        start = from_qdate(self.count_from.date())
        calc = add_school_days(complaint_records.load_district_calendar(), start,
                               self.count_days.value())
        self.count_result.setText(calc.explanation())

    # --------------------------------------------------------------------- actions
    def _after_calendar_change(self, changes: list[DeadlineChange], message: str) -> None:
        self.ctx.notify(Change.CALENDAR)
        self.refresh()
        self.ctx.say(message)
        if changes:
            show_info(self, f"{len(changes)} open deadline{'s' if len(changes) != 1 else ''} "
                            "moved.", details=_changes_text(changes))

    def _on_set_days_clicked(self) -> None:
        year = self.selected_year()
        if year is None:
            return
        existing = complaint_records.calendar_for(year.label)
        first = existing.first_day if existing else year.first_day
        last = existing.last_day if existing else year.last_day
        dialog = ComplaintCalendarYearDialog(year.label, first, last, existing, parent=self)
        def save(_value: object) -> object:
            changes = svc.save_calendar_year(year.label, *dialog.values(),
                                             reason="Calendar days set")
            return changes

        changes = run_until_saved(dialog, save, value=lambda: None)
        if changes is None:  # cancelled; a refusal kept the dialog open
            return
        self._after_calendar_change(changes, f"The {year.label} calendar was saved.")

    def _on_add_days_clicked(self) -> None:
        year = self.selected_year()
        calendar = complaint_records.calendar_for(year.label) if year else None
        if year is None or calendar is None:
            return
        dialog = ComplaintClosureDialog(calendar, self.today(), parent=self)
        days = dialog.days()

        def save(typed: list[NonSchoolDay]) -> list[DeadlineChange]:
            days[:] = typed
            return svc.add_closures(year.label, typed, reason=typed[0].reason)

        changes = run_until_saved(dialog, save, value=dialog.days)
        if changes is None:  # cancelled; a refusal kept the dialog open with the days typed
            return
        self._after_calendar_change(
            changes, f"{len(days)} non-school day{'s' if len(days) != 1 else ''} added.")

    def _on_remove_day_clicked(self) -> None:
        rows = self.days_view.selectionModel().selectedRows()
        if not rows:
            show_error(self, "Select the day to remove first.")
            return
        day = rows[0].data(OBJECT_ROLE)
        reason = ask_reason(self, "Remove non-school day",
                            f"Why is {format_date(day.day)} ({day.describe()}) being removed?")
        if reason is None:
            return
        try:
            changes = svc.remove_closure(day.day, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._after_calendar_change(changes, f"{format_date(day.day)} removed.")

    def _on_import_clicked(self) -> None:
        from sro_desk.services.calendar_import import read_calendar_file

        year = self.selected_year()
        if year is None or self.runner.busy:
            return
        path, _ = QFileDialog.getOpenFileName(
            self, f"Import the {year.label} calendar", "",
            "Calendar or spreadsheet (*.ics *.xlsx *.csv)")
        if not path:
            return
        label = year.label
        self.runner.start(
            lambda progress, cancelled: read_calendar_file(path, label, progress=progress,
                                                           is_cancelled=cancelled),
            "Reading the calendar file…", self)

    def _on_runner_finished(self, plan: object) -> None:
        """The file was read: show what would change, and store it only when confirmed."""
        from sro_desk.services.calendar_import import CalendarImportPlan, apply_calendar_import

        assert isinstance(plan, CalendarImportPlan)
        lines = [f"{format_date(d.day)}: {d.describe()}" for d in plan.closures]
        lines += [f"Ignored — {note}" for note in plan.ignored]
        if not confirm_import(self, plan.summary(), "\n".join(lines)):
            return
        try:
            changes = apply_calendar_import(plan)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._after_calendar_change(changes, plan.summary())

    def _on_runner_failed(self, error: object) -> None:
        handle_worker_error(self, error)

    def _people(self) -> tuple[list, list]:  # type: ignore[type-arg]
        buildings = [b for b in roster_svc.list_buildings() if b.active]
        staff = [s for s in roster_svc.list_staff() if s.status is not StaffStatus.INACTIVE]
        return buildings, staff

    def _on_log_meeting_clicked(self) -> None:
        buildings, staff = self._people()
        if not buildings or not staff:
            show_error(self, "Add buildings and staff first (Roster tab).")
            return
        dialog = ComplaintMeetingDialog(buildings, staff, self.today(), parent=self)
        def save(_value: object) -> bool:
            svc.log_meeting(dialog.meeting(), today=self.today())
            return True

        if run_until_saved(dialog, save, value=lambda: None) is None:
            return
        self.ctx.notify(Change.MEETINGS)
        self.refresh()
        self.ctx.say("Meeting logged.")

    def _delete_selected(self, view: QTableView, what: str, delete: object) -> None:
        rows = view.selectionModel().selectedRows()
        if not rows:
            show_error(self, f"Select the {what} to delete first.")
            return
        item = rows[0].data(OBJECT_ROLE)
        reason = ask_reason(self, f"Delete {what}", f"Why is this {what} being deleted?")
        if reason is None:
            return
        try:
            delete(item.id, reason=reason)  # type: ignore[operator]
        except SroDeskError as error:
            show_error(self, error)
            return
        self.ctx.notify(Change.MEETINGS)
        self.refresh()
        self.ctx.say(f"The {what} was deleted.")

    def _on_delete_meeting_clicked(self) -> None:
        self._delete_selected(self.meeting_view, "meeting", complaint_records.delete_meeting)

    def _on_delete_activity_clicked(self) -> None:
        self._delete_selected(self.activity_view, "activity", complaint_records.delete_activity)

    def _on_cadence_pdf_clicked(self) -> None:
        year = self.selected_year()
        buildings = [b for b in roster_svc.list_buildings() if b.active]
        if year is None or not buildings:
            return
        label, ok = QInputDialog.getItem(self, "Cadence report", "Building:",
                                         [b.display for b in buildings], 0, False)
        if not ok:
            return
        building = next(b for b in buildings if b.display == label)
        path, _ = QFileDialog.getSaveFileName(
            self, "Save cadence report", f"meetings-{building.code}-{year.label}.pdf",
            "PDF (*.pdf)")
        if not path:
            return
        try:
            svc.export_cadence_pdf(year.label, building.id or 0, path, today=self.today())
        except SroDeskError as error:
            show_error(self, error)
            return
        self.ctx.say(f"Saved {path}")

    def _on_log_activity_clicked(self) -> None:
        buildings, staff = self._people()
        if not buildings:
            show_error(self, "Add buildings first (Roster › District set-up).")
            return
        dialog = ComplaintActivityDialog(buildings, staff, self.today(), parent=self)
        def save(_value: object) -> bool:
            svc.log_activity(dialog.activity(), today=self.today())
            return True

        if run_until_saved(dialog, save, value=lambda: None) is None:
            return
        self.ctx.notify(Change.MEETINGS)
        self.refresh()
        self.ctx.say("Activity logged.")
