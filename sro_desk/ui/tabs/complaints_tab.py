"""The Complaints tab: the deadline board (overdue first), every complaint and its file, and
the sections everything is counted on — the district calendar, principal–staff meetings and the
prevention activity log.

The title counts overdue complaints ("Complaints (1 overdue)"). Every action goes through the
complaint service, which applies the workflow rules and audits the change; the detail pane
shows how each deadline was counted, so nobody has to trust a number they cannot check.
"""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.complaint_letters import LetterKind
from sro_desk.domain.complaints import (
    Complaint,
    DeadlineKind,
    Finding,
    Stage,
    active_deadline_kind,
    add_extension,
    due_date,
    late_filing_note,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError, ValidationError
from sro_desk.domain.roster import StaffStatus, school_year_label_for
from sro_desk.services import complaints as svc
from sro_desk.store import complaint_repo, roster_repo
from sro_desk.ui.context import AppContext
from sro_desk.ui.crash import handle_worker_error
from sro_desk.ui.dialogs.complaint_dialogs import (
    ComplaintAgencyNoticeDialog,
    ComplaintExtensionDialog,
    ComplaintIntakeDialog,
    ComplaintLetterDialog,
    ComplaintLetterTemplateDialog,
    ComplaintRulesDialog,
    ComplaintStepDialog,
)
from sro_desk.ui.dialogs.messages import ask_reason, confirm, show_error, show_info
from sro_desk.ui.models.complaint_models import (
    ComplaintBoardTableModel,
    ComplaintFilterProxy,
    ComplaintTableModel,
)
from sro_desk.ui.models.table import OBJECT_ROLE
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.tabs.complaint_pages import CalendarMeetingsPanel
from sro_desk.ui.workers import JobRunner

BOARD, ALL = 0, 1
MAX_COLUMN_WIDTH = 320
KEEP_WHOLE = frozenset({"Complaint", "Status", "Due", "Received"})
KEEP_WHOLE_WIDTH = 190  # "Overdue by 15 school days" whole; longer statuses are elided


def _finding(dialog: ComplaintStepDialog) -> Finding:
    finding = dialog.chosen_finding()
    if finding is None:  # the dialog cannot be accepted without one
        raise ValidationError("Choose the finding.")
    return finding


class ComplaintsTab(TabPage):
    TAB_TITLE = "Complaints"
    TAB_ORDER = 60
    TITLE_NEEDS_DATA = True  # the title counts overdue complaints
    WATCHES = ("complaints", "calendar", "meetings", "roster", "setup")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.today_override: dt.date | None = None
        self._title = self.TAB_TITLE
        self.board_model = ComplaintBoardTableModel(self)
        self.all_model = ComplaintTableModel(self)
        self.proxy = ComplaintFilterProxy(self)
        self.proxy.setSourceModel(self.board_model)
        self._complaints: dict[int, Complaint] = {}
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

        self.view_choice = QComboBox()
        self.view_choice.setAccessibleName("Which complaints")
        self.view_choice.addItem("Open complaints and deadlines")
        self.view_choice.addItem("All complaints")
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search complaint, complainant, building, staff…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search complaints")
        self.summary = QLabel()
        self.summary.setAccessibleName("Complaint summary")

        self.new_button = QPushButton("&New complaint…")
        self.step_button = QPushButton("Next &step…")
        self.extend_button = QPushButton("E&xtend deadline…")
        self.agency_button = QPushButton("A&gency notified…")
        self.letter_button = QPushButton("&Letter…")
        self.attach_button = QPushButton("&Attach file…")
        self.correct_button = QPushButton("Correct &intake…")
        self.delete_button = QPushButton("Delete…")
        self.export_button = QPushButton("Export &log…")
        self.templates_button = QPushButton("Letter &templates…")
        self.rules_button = QPushButton("&Rules…")
        for button, tip in (
            (self.new_button, "Record a complaint received by form, tip line, email, phone, "
                              "in person or from an agency"),
            (self.step_button, "Record the next step: investigation, determination, appeal, "
                               "appeal decision or closing"),
            (self.extend_button, "Record a written extension notice with its reason and new "
                                 "date"),
            (self.agency_button, "Record the day the agency or company was told of the "
                                 "complaint"),
            (self.letter_button, "Write a letter (PDF) from the district's templates"),
            (self.attach_button, "Keep a PDF or image (form, notice, evidence) with the "
                                 "complaint"),
            (self.correct_button, "Correct names, contact, description or staff (audited, with "
                                  "a reason)"),
            (self.delete_button, "Delete a complaint entered by mistake (asks for a reason; "
                                 "the audit trail keeps what was deleted)"),
            (self.export_button, "The year's complaint log (internal) or public summary (.xlsx)"),
            (self.templates_button, "Edit the district's wording of the four letters"),
            (self.rules_button, "Deadlines (filing window, determination, appeal) and the "
                                "meeting cadence"),
        ):
            button.setToolTip(tip)
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

        self.view = QTableView()
        self.view.setModel(self.proxy)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # overdue first, then nearest
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName("Complaints")
        self.view.installEventFilter(self)
        self.detail = QTextBrowser()
        self.detail.setAccessibleName("Complaint file")
        self.detail.setOpenLinks(False)
        # The board has ten columns: beside the file they were cut by the splitter ("5 C").
        # The table takes the full width and the complaint's file reads below it.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(self.view)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        self.splitter = splitter

        actions = QHBoxLayout()
        for b in (self.new_button, self.step_button, self.extend_button, self.agency_button,
                  self.letter_button,
                  self.attach_button, self.correct_button, self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.rules_button)
        actions.addWidget(self.templates_button)
        actions.addWidget(self.export_button)
        filters = QHBoxLayout()
        filters.addWidget(self.view_choice)
        filters.addWidget(self.search, 2)
        filters.addWidget(self.summary, 1)
        board_page = QWidget()
        board_layout = QVBoxLayout(board_page)
        board_layout.addLayout(actions)
        board_layout.addLayout(filters)
        board_layout.addWidget(splitter, 1)
        self.calendar_panel = CalendarMeetingsPanel(ctx, self)
        self.sections = QTabWidget()
        self.sections.setAccessibleName("Complaints sections")
        self.sections.addTab(board_page, "Complaints and deadlines")
        self.sections.addTab(self.calendar_panel, "Calendar, meetings and activities")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.sections, 1)

        self.view_choice.currentIndexChanged.connect(self._on_view_choice_changed)
        self.search.textChanged.connect(self.proxy.set_search)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.doubleClicked.connect(lambda _i: self._on_step_clicked())
        self.new_button.clicked.connect(self._on_new_clicked)
        self.step_button.clicked.connect(self._on_step_clicked)
        self.extend_button.clicked.connect(self._on_extend_clicked)
        self.agency_button.clicked.connect(self._on_agency_clicked)
        self.letter_button.clicked.connect(self._on_letter_clicked)
        self.attach_button.clicked.connect(self._on_attach_clicked)
        self.correct_button.clicked.connect(self._on_correct_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)
        self.templates_button.clicked.connect(self._on_templates_clicked)
        self.rules_button.clicked.connect(self._on_rules_clicked)
        self.refresh()

    # --------------------------------------------------------------------------- data
    def today(self) -> dt.date:
        return self.today_override or clock.today()

    def current_title(self) -> str:
        return self._title

    def refresh(self) -> None:
        self.calendar_panel.today_override = self.today_override
        self.calendar_panel.refresh()
        selected = self.selected_complaint()
        try:
            board = svc.complaint_board(today=self.today())
            complaints = complaint_repo.list_complaints()
        except SroDeskError as error:
            self.summary.setText(str(error))
            return
        self._board = board
        self._complaints = {c.id or 0: c for c in complaints}
        self.board_model.set_items(board.items)
        self.all_model.set_items(complaints)
        open_count = len(board.items)
        self.summary.setText(
            f"{open_count} open · {board.overdue} overdue · {len(complaints)} in all")
        title = (f"{self.TAB_TITLE} ({board.overdue} overdue)" if board.overdue
                 else self.TAB_TITLE)
        if title != self._title:
            self._title = title
            self.title_changed.emit(title)
        self._size_columns()
        if selected is not None and selected.id is not None:
            self.select_complaint(selected.id)
        self._show_detail()

    def _size_columns(self) -> None:
        """Fit each column to its contents, then share the table's width between them."""
        self.view.resizeColumnsToContents()
        self._natural_widths = [self.view.columnWidth(c)
                                for c in range(self.proxy.columnCount())]
        self._fit_columns()

    def _fit_columns(self) -> None:
        """When the columns need more than the table's width, narrow the widest first (their
        text is elided; the tooltip and the file below hold it whole), never below the width
        of the header, and the complaint, its status and dates hardly at all — so every column
        reads without scrolling at the usual window size. Narrower than that, it scrolls."""
        widths = list(getattr(self, "_natural_widths", []))
        available = self.view.viewport().width()
        if not widths or available <= 0:
            return
        header = self.view.horizontalHeader()
        floors = []
        for column, width in enumerate(widths):
            title = self.proxy.headerData(column, Qt.Orientation.Horizontal)
            floor = (min(width, KEEP_WHOLE_WIDTH) if title in KEEP_WHOLE
                     else min(width, header.sectionSizeHint(column)))
            floors.append(floor)
        cap = max(widths)
        if sum(widths) > available:
            low, high = 0, cap  # the largest cap at which everything fits
            while low < high:
                middle = (low + high + 1) // 2
                if sum(max(f, min(w, middle)) for w, f in zip(widths, floors, strict=True)
                       ) <= available:
                    low = middle
                else:
                    high = middle - 1
            cap = low
        for column, (width, floor) in enumerate(zip(widths, floors, strict=True)):
            self.view.setColumnWidth(column, max(floor, min(width, cap, MAX_COLUMN_WIDTH)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() == QEvent.Type.Resize:
            self._fit_columns()
        return super().eventFilter(watched, event)

    def _on_view_choice_changed(self, index: int) -> None:
        selected = self.selected_complaint()
        self.proxy.setSourceModel(self.board_model if index == BOARD else self.all_model)
        if index == BOARD:
            self.view.sortByColumn(1, Qt.SortOrder.AscendingOrder)
        else:
            self.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self._size_columns()
        if selected is not None and selected.id is not None:
            self.select_complaint(selected.id)
        self._show_detail()

    def select_complaint(self, complaint_id: int) -> None:
        for row in range(self.proxy.rowCount()):
            item = self.proxy.index(row, 0).data(OBJECT_ROLE)
            complaint = item if isinstance(item, Complaint) else item.complaint
            if complaint.id == complaint_id:
                self.view.selectRow(row)
                return

    def selected_complaint(self) -> Complaint | None:
        if not hasattr(self, "view") or self.view.selectionModel() is None:
            return None
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        item = rows[0].data(OBJECT_ROLE)
        complaint = item if isinstance(item, Complaint) else item.complaint
        return self._complaints.get(complaint.id or 0, complaint)

    def _on_view_selection_changed(self, *_args: object) -> None:
        self._show_detail()

    def _update_buttons(self, c: Complaint | None) -> None:
        self.step_button.setEnabled(c is not None and c.stage is not Stage.CLOSED)
        self.extend_button.setEnabled(c is not None and active_deadline_kind(c) is not None)
        self.agency_button.setEnabled(c is not None and c.stage is not Stage.RECEIVED
                                      and c.agency_notified_on is None)
        for b in (self.letter_button, self.attach_button, self.correct_button,
                  self.delete_button):
            b.setEnabled(c is not None)

    # ------------------------------------------------------------------------ detail
    def _show_detail(self) -> None:
        c = self.selected_complaint()
        self._update_buttons(c)
        if c is None:
            self.detail.setHtml("<p>Select a complaint to see its file: every step, who took "
                                "it and when, and how each deadline was counted.</p>")
            return
        self.detail.setHtml(self.detail_html(c))

    def detail_html(self, c: Complaint) -> str:
        """The complaint's file as HTML; every user value escaped."""
        e = escape
        rows = [
            ("Stage", c.stage.value), ("Received", format_date(c.received_on)),
            ("Channel", c.channel.value), ("Complainant", c.complainant_display),
            ("Contact", c.complainant_contact),
            ("Language assistance", c.language if c.language_assistance else "not needed"),
            ("Incident date", format_date(c.incident_date) or "not given"),
            ("Building", c.building), ("Staff involved", ", ".join(s.name for s in c.staff)),
            ("Category", c.category.value), ("Investigator", c.investigator),
            ("Agency notified", format_date(c.agency_notified_on)),
            ("Outcome", c.outcome),
        ]
        parts = [f"<h3>{e(c.reference)}</h3><table cellspacing='2'>"]
        parts += [f"<tr><td><b>{e(k)}</b></td><td>{e(v)}</td></tr>" for k, v in rows if v]
        parts.append("</table>")
        note = late_filing_note(c, self._board.rules)
        if note:
            parts.append(f"<p><b>⚑ {e(note)}</b></p>")
        if c.stage is not Stage.RECEIVED and c.agency_notified_on is None:
            parts.append("<p><b>⚑ The agency or company has not been recorded as notified; "
                         "the procedure asks the principal to inform it.</b></p>")
        parts.append(f"<p><b>Description.</b> {e(c.description)}</p>")
        for kind in DeadlineKind:
            due = due_date(c, kind, self._board.calendar, self._board.rules)
            if due is None or (kind is DeadlineKind.APPEAL and c.appeal_received_on is None):
                continue
            when = format_date(due.due) if due.due else "not computable yet"
            parts.append(f"<p><b>{e(kind.value)} due: {e(when)}.</b> {e(due.explanation())}</p>")
        if c.determination_summary:
            parts.append(f"<p><b>Determination ({e(c.finding.value if c.finding else '')}).</b> "
                         f"{e(c.determination_summary)}</p>")
        if c.appeal_summary:
            finding = c.appeal_finding.value if c.appeal_finding else ""
            parts.append(f"<p><b>Appeal decision ({e(finding)}).</b> {e(c.appeal_summary)}</p>")
        if c.extensions:
            parts.append("<p><b>Extension notices</b></p><ul>")
            for x in c.extensions:
                late = " — notice sent after the deadline had passed" if x.late_notice else ""
                parts.append(f"<li>{e(format_date(x.notice_date))}: {e(x.deadline.value)} "
                             f"moved to {e(format_date(x.new_due))} ({e(x.reason)}), "
                             f"by {e(x.by)}{e(late)}</li>")
            parts.append("</ul>")
        parts.append("<p><b>History</b></p><ul>")
        parts += [f"<li>{e(format_date(h.on))}: {e(h.stage.value)} — {e(h.detail)} "
                  f"(entered by {e(h.by)})</li>" for h in c.history]
        parts.append("</ul>")
        moves = complaint_repo.deadline_changes(c.id)
        if moves:
            parts.append("<p><b>Deadline moves</b></p><ul>")
            parts += [f"<li>{e(text)}</li>" for _at, _cid, text in moves]
            parts.append("</ul>")
        files = complaint_repo.complaint_attachments(c.id or 0)
        if files:
            parts.append("<p><b>Attachments</b></p><ul>")
            parts += [f"<li>{e(f.filename)} ({f.size:,} bytes)</li>" for f in files]
            parts.append("</ul>")
        return "".join(parts)

    # ----------------------------------------------------------------------- actions
    def _done(self, complaint_id: int | None, message: str) -> None:
        self.ctx.notify("complaints")
        self.refresh()
        if complaint_id is not None:
            self.select_complaint(complaint_id)
        self.ctx.say(message)

    def _people(self) -> tuple[list, list]:  # type: ignore[type-arg]
        buildings = [b for b in roster_repo.list_buildings() if b.active]
        staff = [s for s in roster_repo.list_staff() if s.status is not StaffStatus.INACTIVE]
        return buildings, staff

    def _on_new_clicked(self) -> None:
        buildings, staff = self._people()
        if not buildings:
            show_error(self, "Add the district's buildings first (Roster › District set-up).")
            return
        dialog = ComplaintIntakeDialog(buildings, staff, self._board.rules, self.today(),
                                       parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            saved = svc.file_complaint(dialog.complaint(), today=self.today())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(saved.id, f"{saved.reference} recorded.")

    def _on_correct_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None:
            return
        buildings, staff = self._people()
        dialog = ComplaintIntakeDialog(buildings, staff, self._board.rules, self.today(), c,
                                       parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason = ask_reason(self, "Correct intake", "Why is the intake being corrected?")
        if reason is None:
            return
        try:
            svc.correct_intake(dialog.complaint(), reason=reason, today=self.today())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(c.id, f"{c.reference} corrected.")

    def _on_step_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None or c.stage is Stage.CLOSED:
            return
        dialog = ComplaintStepDialog(c, self.today(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        self.apply_step(c, dialog)

    def apply_step(self, c: Complaint, dialog: ComplaintStepDialog) -> None:
        stage, on, today = dialog.chosen_stage(), dialog.on.date() or self.today(), self.today()
        cid = c.id or 0
        try:
            if stage is Stage.INVESTIGATING:
                svc.start_investigation(cid, on, dialog.investigator.text(),
                                        dialog.agency.date(), today=today)
            elif stage is Stage.DETERMINED:
                svc.issue_determination(cid, on, _finding(dialog), dialog.summary.text(),
                                        today=today)
            elif stage is Stage.APPEALED:
                svc.record_appeal(cid, on, dialog.appellant.text(), today=today)
            elif stage is Stage.APPEAL_DECIDED:
                svc.decide_appeal(cid, on, _finding(dialog), dialog.summary.text(),
                                  today=today)
            else:
                svc.close_complaint(cid, on, dialog.summary.text(), today=today)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(cid, f"{c.reference}: {stage.value.lower()} recorded.")

    def _on_extend_clicked(self) -> None:
        c = self.selected_complaint()
        kind = active_deadline_kind(c) if c else None
        if c is None or kind is None:
            return
        due = due_date(c, kind, self._board.calendar, self._board.rules)

        def check(notice: dt.date, reason: str, new_due: dt.date) -> list[str]:
            try:
                add_extension(c, notice, reason, new_due, "you", self._board.calendar,
                              self._board.rules, self.today())
            except ValidationError as error:
                return list(error.problems)
            except SroDeskError as error:
                return [str(error)]
            return []

        dialog = ComplaintExtensionDialog(c, due.due if due else None, self.today(), check,
                                          parent=self, calendar=self._board.calendar)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        notice, reason, new_due = dialog.values()
        try:
            svc.extend_deadline(c.id or 0, notice, reason, new_due, today=self.today())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(c.id, f"{c.reference}: deadline extended to {format_date(new_due)}.")

    def _on_letter_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None:
            return
        dialog = ComplaintLetterDialog(c, parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        kind = dialog.chosen_kind()
        path, _ = QFileDialog.getSaveFileName(
            self, "Save letter", f"complaint-{c.id}-{kind.template_name}.pdf", "PDF (*.pdf)")
        if not path:
            return
        try:
            svc.write_letter(c.id or 0, kind, path, signer=dialog.signer.text(),
                             letter_date=dialog.chosen_date())
        except SroDeskError as error:
            show_error(self, error)
            return
        self.ctx.say(f"Letter saved to {path}")

    def _on_attach_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Attach a file", "",
                                              "PDF or image (*.pdf *.png *.jpg *.jpeg)")
        if not path:
            return
        try:
            complaint_repo.attach_file(c.id or 0, path, reason="Attached to complaint")
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(c.id, f"{Path(path).name} attached to {c.reference}.")

    def _on_export_clicked(self) -> None:
        years = [y.label for y in roster_repo.list_school_years()]
        if not years:
            show_error(self, "Add a school year first (Roster › District set-up).")
            return
        current = school_year_label_for(self.today())
        year, ok = QInputDialog.getItem(self, "Export complaint log", "School year:", years,
                                        years.index(current) if current in years else 0, False)
        if not ok:
            return
        choice, ok = QInputDialog.getItem(
            self, "Export complaint log", "Which workbook?",
            ["Internal log (with complainant contact)", "Public summary (counts only)"], 0, False)
        if not ok:
            return
        public = choice.startswith("Public")
        name = f"complaints-{year}-{'public' if public else 'internal'}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "Save workbook", name, "Excel (*.xlsx)")
        if not path:
            return
        if self.runner.busy:
            return
        today = self.today()
        self.runner.start(lambda _progress, _cancelled: svc.export_complaint_log(
            year, path, public=public, today=today), "Writing the complaint log…", self)

    def _on_runner_finished(self, result: object) -> None:
        self.ctx.say(f"Saved {result}")

    def _on_runner_failed(self, error: object) -> None:
        handle_worker_error(self, error)

    def _on_templates_clicked(self) -> None:
        label, ok = QInputDialog.getItem(self, "Letter templates", "Which letter?",
                                         [k.value for k in LetterKind], 0, False)
        if not ok:
            return
        kind = LetterKind(label)
        dialog = ComplaintLetterTemplateDialog(kind, svc.letter_template(kind), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            svc.save_letter_template(kind, dialog.text(), reason="Letter template edited")
        except SroDeskError as error:
            show_error(self, error)
            return
        self.ctx.say(f"The {kind.value.lower()} template was saved.")

    def _on_rules_clicked(self) -> None:
        dialog = ComplaintRulesDialog(svc.complaint_rules(), svc.cadence_rules(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        reason = ask_reason(self, "Change the rules", "Why are the rules changing (for "
                                                      "example, the board adopted a new "
                                                      "procedure)?")
        if reason is None:
            return
        try:
            moves = svc.save_complaint_rules(dialog.rules(), reason=reason)
            svc.save_cadence_rules(dialog.cadence(), reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(None, "The complaint rules were saved.")
        if moves:
            show_info(self, f"{len(moves)} open deadline{'s' if len(moves) != 1 else ''} moved.",
                      details="\n".join(moves))

    def _on_delete_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None:
            return
        if not confirm(self, f"Delete {c.reference} ({c.complainant_display}, received "
                             f"{format_date(c.received_on)})? Use this only for a complaint "
                             "entered by mistake; the audit trail keeps what was deleted.",
                       ok_label="Delete"):
            return
        reason = ask_reason(self, "Delete complaint", f"Why is {c.reference} being deleted?")
        if reason is None:
            return
        try:
            complaint_repo.delete_complaint(c.id or 0, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(None, f"{c.reference} deleted.")

    def _on_agency_clicked(self) -> None:
        c = self.selected_complaint()
        if c is None:
            return
        dialog = ComplaintAgencyNoticeDialog(c, self.today(), parent=self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            svc.record_agency_notice(c.id or 0, dialog.on.date() or self.today(),
                                     today=self.today())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._done(c.id, f"{c.reference}: agency notice recorded.")
