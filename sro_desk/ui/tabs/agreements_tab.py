"""The Agreements tab: each provider's annual agreement and its checklist, the review meetings,
the start-of-year duties per building, and what needs attention (RCW 28A.320.124, .1242)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.agreements import (
    AgreementAssessment,
    ItemAssessment,
    ReviewMeeting,
    missing_review_groups,
    next_school_year,
)
from sro_desk.domain.changes import Change
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.start_of_year import BuildingDuties, BuildingStartOfYear, DutyState
from sro_desk.services import agreement_records, agreements
from sro_desk.services.storage import current_actor, save_attachment_to
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.agreement_dialogs import (
    AgreementDialog,
    ChecklistItemDialog,
    ReviewMeetingDialog,
    StartOfYearDialog,
)
from sro_desk.ui.dialogs.agreement_handout_dialog import HandoutTemplateDialog
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.messages import ask_reason, confirm, show_error, show_info
from sro_desk.ui.models.agreement_models import (
    AgreementFilterProxy,
    AgreementItemTableModel,
    AgreementTableModel,
    ReviewMeetingTableModel,
    StartOfYearTableModel,
)
from sro_desk.ui.models.table import ObjectFilterProxy
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.workers import JobRunner

NO_YEAR = "Set up a school year first: Roster tab → District set-up → School years."
ATTACHMENT_FILTER = "PDF or image (*.pdf *.png *.jpg *.jpeg *.gif *.tif *.tiff *.webp);;All files (*)"


def _table(name: str) -> QTableView:
    view = QTableView()
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.setSortingEnabled(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    view.horizontalHeader().setStretchLastSection(True)
    return view


def _button(text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    button.clicked.connect(lambda _checked=False: slot())
    return button


def _fit(view: QTableView, limit: int = 260) -> None:
    view.resizeColumnsToContents()
    model = view.model()
    for column in range(model.columnCount() if model is not None else 0):
        if view.columnWidth(column) > limit:
            view.setColumnWidth(column, limit)


class AgreementsTab(TabPage):
    TAB_TITLE = "Agreements"
    TAB_ORDER = 30
    TITLE_NEEDS_DATA = True  # the title counts what needs attention
    WATCHES = (Change.AGREEMENTS, Change.ROSTER, Change.SETUP, Change.TRAINING)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        #: the date rules are judged on; tests pin it
        self.today: Callable[[], dt.date] = clock.today
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self._after_job: Callable[[object], None] | None = None
        self._attention_count = 0

        # -- top: year and the needs-attention list
        self.year_combo = QComboBox()
        self.year_combo.setAccessibleName("School year")
        self.year_combo.setMinimumContentsLength(9)
        self.year_combo.currentIndexChanged.connect(self._on_year_combo_changed)
        self.new_year_button = _button(
            "New &school year…",
            "Copy every agreement of the chosen year forward as drafts for the next year "
            "(checklists start over; last year's notes are kept). Safe to repeat.",
            self._on_new_year_clicked,
        )
        self.attention = QListWidget()
        self.attention.setAccessibleName("Needs attention")
        self.attention.setWordWrap(True)
        # a fixed height set once: changing it after the window is shown would resize the window
        self.attention.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.attention_box = QGroupBox("Needs attention")
        QVBoxLayout(self.attention_box).addWidget(self.attention)

        # -- page 1: agreements and the checklist of the selected one
        self.model = AgreementTableModel(self)
        self.proxy = AgreementFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = _table("Agreements")
        self.view.setModel(self.proxy)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.selectionModel().selectionChanged.connect(self._on_view_selection_changed)
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search agreements…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search agreements")
        self.search.textChanged.connect(self.proxy.set_search)
        self.add_button = _button("&New agreement…", "Start an agreement with an agency or company "
                                  "for the chosen year", self._on_add_clicked)
        self.edit_button = _button("&Edit…", "Title, dates, board adoption, people responsible",
                                   self._on_edit_clicked)
        self.attach_button = _button("Attach &signed copy…", "Store the signed agreement (PDF or "
                                     "image, at most 25 MB) in the database", self._on_attach_clicked)
        self.open_document_button = _button("Save signed copy as…", "Write the stored signed "
                                            "agreement to a file", self._on_save_document_clicked)
        self.delete_button = _button("Delete", "Delete an agreement entered by mistake (with its "
                                     "checklist); the audit trail keeps what was deleted",
                                     self._on_delete_clicked)
        self.export_button = _button("E&xport checklist…", "The checklist for the board: PDF with "
                                     "signature lines, or an Excel workbook", self._on_export_clicked)

        self.items_model = AgreementItemTableModel(self)
        self.items_proxy = ObjectFilterProxy(self)
        self.items_proxy.setSourceModel(self.items_model)
        self.items_view = _table("Checklist")
        self.items_view.setModel(self.items_proxy)
        self.items_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.items_view.doubleClicked.connect(lambda _i: self._on_edit_item_clicked())
        self.items_view.activated.connect(lambda _i: self._on_edit_item_clicked())
        self.items_view.selectionModel().selectionChanged.connect(self._on_items_selection_changed)
        self.edit_item_button = _button("Update &item…", "Status, section, evidence, who checked it "
                                        "and when", self._on_edit_item_clicked)
        self.checklist_label = QLabel()
        self.checklist_label.setAccessibleName("Checklist heading")
        self.item_detail = QLabel()
        self.item_detail.setWordWrap(True)
        self.item_detail.setTextFormat(Qt.TextFormat.PlainText)
        self.item_detail.setAccessibleName("Selected item details")
        self.item_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        agreements_page = QWidget()
        actions = QHBoxLayout()
        for b in (self.add_button, self.edit_button, self.attach_button, self.open_document_button,
                  self.delete_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        upper = QWidget()
        upper_layout = QVBoxLayout(upper)
        upper_layout.setContentsMargins(0, 0, 0, 0)
        upper_layout.addLayout(actions)
        upper_layout.addWidget(self.search)
        upper_layout.addWidget(self.view, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        heading.addWidget(self.checklist_label, 1)
        heading.addWidget(self.edit_item_button)
        lower_layout.addLayout(heading)
        lower_layout.addWidget(self.items_view, 1)
        lower_layout.addWidget(self.item_detail)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(upper)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        QVBoxLayout(agreements_page).addWidget(splitter)

        # -- page 2: review meetings
        self.meetings_model = ReviewMeetingTableModel(self)
        self.meetings_proxy = ObjectFilterProxy(self)
        self.meetings_proxy.setSourceModel(self.meetings_model)
        self.meetings_view = _table("Review meetings")
        self.meetings_view.setModel(self.meetings_proxy)
        self.meetings_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.meetings_view.doubleClicked.connect(lambda _i: self._on_edit_meeting_clicked())
        self.meetings_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.add_meeting_button = _button("&Add meeting…", "Record a listening session, board "
                                          "meeting or committee", self._on_add_meeting_clicked)
        self.edit_meeting_button = _button("Edit meeting…", "Change the selected meeting",
                                           self._on_edit_meeting_clicked)
        self.minutes_button = _button("Attach &minutes…", "Store the minutes (PDF or image)",
                                      self._on_attach_minutes_clicked)
        self.delete_meeting_button = _button("Delete meeting", "Delete the selected meeting",
                                             self._on_delete_meeting_clicked)
        self.groups_label = QLabel()
        self.groups_label.setWordWrap(True)
        self.groups_label.setAccessibleName("Groups included")
        meetings_page = QWidget()
        m_actions = QHBoxLayout()
        for b in (self.add_meeting_button, self.edit_meeting_button, self.minutes_button,
                  self.delete_meeting_button):
            m_actions.addWidget(b)
        m_actions.addStretch(1)
        m_layout = QVBoxLayout(meetings_page)
        m_layout.addLayout(m_actions)
        m_layout.addWidget(self.groups_label)
        m_layout.addWidget(self.meetings_view, 1)

        # -- page 3: start of year
        self.duties_model = StartOfYearTableModel(self)
        self.duties_proxy = ObjectFilterProxy(self)
        self.duties_proxy.setSourceModel(self.duties_model)
        self.duties_view = _table("Start of year by building")
        self.duties_view.setModel(self.duties_proxy)
        self.duties_view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.duties_view.doubleClicked.connect(lambda _i: self._on_record_duties_clicked())
        self.duties_view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.record_button = _button("&Record…", "Record the presentation to students and the "
                                     "distribution to families", self._on_record_duties_clicked)
        self.handout_button = _button("Family &handout PDF…", "The family information handout "
                                      "for the selected building", self._on_handout_clicked)
        self.wording_button = _button("Handout &wording…", "Edit the handout text the district "
                                      "uses for every building", self._on_wording_clicked)
        self.grace_spin = QSpinBox()
        self.grace_spin.setRange(0, 180)
        self.grace_spin.setSuffix(" days")
        self.grace_spin.setAccessibleName("Days after the first day of school")
        self.grace_spin.setToolTip("Buildings missing either duty this many days after the first "
                                   "day of school are listed under Needs attention")
        self.grace_spin.editingFinished.connect(self._on_grace_spin_finished)
        self.duties_label = QLabel()
        self.duties_label.setWordWrap(True)
        self.duties_label.setAccessibleName("Start of year summary")
        duties_page = QWidget()
        d_actions = QHBoxLayout()
        for b in (self.record_button, self.handout_button, self.wording_button):
            d_actions.addWidget(b)
        d_actions.addStretch(1)
        d_actions.addWidget(QLabel("List buildings still missing a duty"))
        d_actions.addWidget(self.grace_spin)
        d_actions.addWidget(QLabel("after the first day"))
        d_layout = QVBoxLayout(duties_page)
        d_layout.addLayout(d_actions)
        d_layout.addWidget(self.duties_label)
        d_layout.addWidget(self.duties_view, 1)

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Agreement sections")
        self.pages.addTab(agreements_page, "Agreements and checklists")
        self.pages.addTab(meetings_page, "Review meetings")
        self.pages.addTab(duties_page, "Start of year")

        top = QHBoxLayout()
        top.addWidget(QLabel("School &year:"))
        top.itemAt(0).widget().setBuddy(self.year_combo)  # type: ignore[union-attr]
        top.addWidget(self.year_combo)
        top.addStretch(1)
        top.addWidget(self.new_year_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.attention_box)
        layout.addWidget(self.pages, 1)
        self._assessments: list[AgreementAssessment] = []
        self.refresh()

    # ------------------------------------------------------------------ data
    def year(self) -> str | None:
        value = self.year_combo.currentData()
        return str(value) if value else None

    def _fill_years(self) -> None:
        today = self.today()
        wanted = self.year() or agreements.current_year_label(today)
        labels = agreements.year_labels()
        current = agreements.current_year_label(today)
        if current and current not in labels:
            labels.insert(0, current)
        self.year_combo.blockSignals(True)
        self.year_combo.clear()
        for label in labels:
            self.year_combo.addItem(label, label)
        index = self.year_combo.findData(wanted) if wanted else 0
        self.year_combo.setCurrentIndex(max(0, index))
        self.year_combo.blockSignals(False)

    def refresh(self) -> None:
        try:
            self._fill_years()
            self._load()
        except SroDeskError as error:
            self.attention.clear()
            self.attention.addItem(f"⚠ {error}")

    def _load(self) -> None:
        today = self.today()
        year = self.year()
        selected = self._selected_assessment()
        selected_id = selected.agreement.id if selected else None
        self._assessments = agreements.assess_all(year, today) if year else []
        self.model.set_items(self._assessments)
        meetings = agreement_records.list_meetings(year) if year else []
        self.meetings_model.set_agreement_names(
            {a.agreement.id: a.agreement.provider_name for a in self._assessments
             if a.agreement.id is not None}
        )
        self.meetings_model.set_items(meetings)
        self._describe_groups(meetings)
        duties = agreements.start_of_year_overview(year, today) if year else []
        self.duties_model.set_items(duties)
        self.grace_spin.blockSignals(True)
        self.grace_spin.setValue(agreements.grace_days())
        self.grace_spin.blockSignals(False)
        self._describe_duties(duties)
        self._load_attention(today, duties)
        for view in (self.view, self.meetings_view, self.duties_view):
            _fit(view)
        if selected_id is not None:
            self.select_agreement(selected_id)
        elif self._assessments:
            self.view.selectRow(0)
        self._show_checklist()
        self._update_buttons()

    def _load_attention(self, today: dt.date, duties: list[BuildingDuties]) -> None:
        lines = [f"⚠ {r.message}" for r in agreements.reminders(today)]
        from sro_desk.services.policy import standing

        policy = standing(today)
        if policy.flagged:
            lines.append(f"⚠ {policy.state}: {policy.message}")
        lines += [
            f"⚠ {b.attention_line(self.year())}"
            for b in duties
            if b.state is DutyState.OVERDUE
        ]
        self.attention.clear()
        self.attention.addItems(lines or ["Nothing needs attention."])
        self._attention_count = len(lines)
        self.attention_box.setTitle(
            f"Needs attention ({len(lines)})" if lines else "Needs attention"
        )
        self.title_changed.emit(self.current_title())

    def current_title(self) -> str:
        count = self._attention_count
        return f"Agreements ({count} need{'s' if count == 1 else ''} attention)" if count else (
            self.TAB_TITLE
        )

    def _describe_groups(self, meetings: list[ReviewMeeting]) -> None:
        year = self.year()
        if year is None:
            self.groups_label.setText(NO_YEAR)
            return
        missing = missing_review_groups(m for m in meetings if m.agreement_id is None)
        if not meetings:
            text = f"No review meeting is recorded for {year}."
        elif missing:
            text = (f"District-wide meetings for {year} have not yet included: "
                    + ", ".join(g.value.lower() for g in missing) + ".")
        else:
            text = (f"District-wide meetings for {year} included parents, students and community "
                    "members (RCW 28A.320.124(1)).")
        self.groups_label.setText(text)

    def _describe_duties(self, duties: list[BuildingDuties]) -> None:
        if self.year() is None:
            self.duties_label.setText(NO_YEAR)
            return
        if not duties:
            self.duties_label.setText("No active buildings are set up.")
            return
        done = sum(1 for d in duties if d.state is DutyState.DONE)
        overdue = sum(1 for d in duties if d.state is DutyState.OVERDUE)
        deadline = duties[0].deadline
        text = (f"{done} of {len(duties)} buildings have presented to students and distributed to "
                f"families. Deadline: {deadline.day} {deadline:%B %Y}.")
        if overdue:
            text += f" ⚠ {overdue} building{'s' if overdue != 1 else ''} past the deadline."
        self.duties_label.setText(text)

    # ------------------------------------------------------------------ selection
    def _selected_assessment(self) -> AgreementAssessment | None:
        rows = self.view.selectionModel().selectedRows()
        if not rows:
            return None
        row = self.proxy.mapToSource(rows[0]).row()
        return self.model.item(row) if 0 <= row < self.model.rowCount() else None

    def _selected_item(self) -> ItemAssessment | None:
        rows = self.items_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.items_model.item(self.items_proxy.mapToSource(rows[0]).row())

    def _selected_meeting(self) -> ReviewMeeting | None:
        rows = self.meetings_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.meetings_model.item(self.meetings_proxy.mapToSource(rows[0]).row())

    def _selected_duties(self) -> BuildingDuties | None:
        rows = self.duties_view.selectionModel().selectedRows()
        if not rows:
            return None
        return self.duties_model.item(self.duties_proxy.mapToSource(rows[0]).row())

    def select_agreement(self, agreement_id: int | None) -> None:
        for row in range(self.model.rowCount()):
            if self.model.item(row).agreement.id == agreement_id:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                if index.isValid():
                    self.view.selectRow(index.row())
                return

    def select_building(self, building_id: int) -> None:
        for row in range(self.duties_model.rowCount()):
            if self.duties_model.item(row).building_id == building_id:
                index = self.duties_proxy.mapFromSource(self.duties_model.index(row, 0))
                self.duties_view.selectRow(index.row())
                return

    def _on_view_selection_changed(self, *_args: object) -> None:
        self._show_checklist()
        self._update_buttons()

    def _show_checklist(self) -> None:
        current = self._selected_assessment()
        self.items_model.set_items(list(current.items) if current else [])
        _fit(self.items_view, 320)
        if self.year() is None:
            self.checklist_label.setText(NO_YEAR)
        elif current is None:
            self.checklist_label.setText(
                "No agreement is selected. Choose one above, or start one with New agreement…"
            )
        else:
            a = current.agreement
            self.checklist_label.setText(
                f"<b>Checklist — {a.provider_name}, {a.school_year}</b> · {a.state} · "
                f"{current.progress.text}"
            )
        self._on_items_selection_changed()

    def _on_items_selection_changed(self, *_args: object) -> None:
        item = self._selected_item()
        if item is None:
            self.item_detail.setText("")
        else:
            parts = [f"{item.definition.title}: {item.definition.description}"]
            parts += [f"⚠ {flag}" for flag in item.flags]
            if item.entry.notes:
                parts.append(f"Notes: {item.entry.notes}")
            if item.entry.previous_notes:
                parts.append(f"Last year: {item.entry.previous_notes}")
            self.item_detail.setText("\n".join(parts))
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        current = self._selected_assessment()
        has = current is not None
        for b in (self.edit_button, self.attach_button, self.delete_button, self.export_button):
            b.setEnabled(has)
        self.open_document_button.setEnabled(
            has and current is not None and current.agreement.document_attachment_id is not None
        )
        self.add_button.setEnabled(self.year() is not None)
        self.new_year_button.setEnabled(bool(self._assessments))
        self.edit_item_button.setEnabled(self._selected_item() is not None)
        meeting = self._selected_meeting() is not None
        for b in (self.edit_meeting_button, self.minutes_button, self.delete_meeting_button):
            b.setEnabled(meeting)
        self.add_meeting_button.setEnabled(self.year() is not None)
        building = self._selected_duties() is not None
        self.record_button.setEnabled(building)
        self.handout_button.setEnabled(building)

    def _on_year_combo_changed(self, *_args: object) -> None:
        try:
            self._load()
        except SroDeskError as error:
            show_error(self, error)

    def _changed(self, message: str) -> None:
        self.ctx.notify(Change.AGREEMENTS)
        self.ctx.say(message)

    # ------------------------------------------------------------------ agreements
    def _on_add_clicked(self) -> None:
        year = self.year()
        if year is None:
            return
        providers = agreements.supplying_providers()
        if not providers:
            show_info(self, "Add the police agencies and security companies that supply staff "
                      "first, under District set-up on the Roster tab.")
            return
        dialog = AgreementDialog(providers, year, None, self)
        saved = run_until_saved(dialog, agreements.new_agreement, value=dialog.agreement)
        if saved is None:
            return
        self._changed(f"Agreement with {saved.provider_name} created.")
        self.select_agreement(saved.id)

    def _on_edit_clicked(self) -> None:
        current = self._selected_assessment()
        if current is None:
            return
        dialog = AgreementDialog(agreements.supplying_providers(), current.agreement.school_year,
                                 current.agreement, self)
        saved = run_until_saved(dialog, agreement_records.update_agreement, value=dialog.agreement)
        if saved is None:
            return
        self._changed(f"Agreement with {saved.provider_name} saved.")

    def _on_attach_clicked(self) -> None:
        current = self._selected_assessment()
        if current is None or current.agreement.id is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Attach the signed agreement", str(Path.home()),
                                              ATTACHMENT_FILTER)
        if path:
            self.attach_document(current.agreement.id, Path(path))

    def attach_document(self, agreement_id: int, path: Path) -> bool:
        try:
            saved = agreements.attach_document(agreement_id, path)
        except SroDeskError as error:
            show_error(self, error, "Not attached")
            return False
        self._changed(f"Signed agreement {saved.document_filename} attached.")
        return True

    def _on_save_document_clicked(self) -> None:
        current = self._selected_assessment()
        if current is None or current.agreement.document_attachment_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Save the signed agreement",
            str(Path.home() / current.agreement.document_filename), "All files (*)")
        if not path:
            return
        try:
            save_attachment_to(current.agreement.document_attachment_id, Path(path))
        except (SroDeskError, OSError) as error:
            show_error(self, f"The file could not be written: {error}")
            return
        self.ctx.say(f"Saved {path}.")

    def _on_delete_clicked(self) -> None:
        current = self._selected_assessment()
        if current is None or current.agreement.id is None:
            return
        a = current.agreement
        if not confirm(self, f"Delete the {a.school_year} agreement with {a.provider_name}, with "
                       "its checklist and its own review meetings? Use this only for an agreement "
                       "entered by mistake.", ok_label="Delete"):
            return
        reason = ask_reason(self, "Delete agreement", "Why is this agreement being deleted?")
        if reason is None:
            return
        try:
            agreement_records.delete_agreement(a.id or 0, reason=reason)
        except SroDeskError as error:
            show_error(self, error, "Cannot delete")
            return
        self._changed(f"Agreement with {a.provider_name} deleted.")

    def _on_new_year_clicked(self) -> None:
        year = self.year()
        if year is None:
            return
        following = next_school_year(year)
        if not confirm(self, f"Copy every {year} agreement forward as a draft for {following}? "
                       "Checklists start over, and last year's notes are kept beside each item. "
                       "Agreements that already exist for the new year are left alone.",
                       ok_label="Copy forward"):
            return
        self.roll_over(year)

    def roll_over(self, year: str) -> None:
        def done(result: object) -> None:
            summary = getattr(result, "summary", "Done.")
            self._changed(summary)
            index = self.year_combo.findData(next_school_year(year))
            if index < 0:
                self._fill_years()
                index = self.year_combo.findData(next_school_year(year))
            self.year_combo.setCurrentIndex(max(0, index))
            show_info(self, summary, "New school year")

        self._after_job = done
        self.runner.start(
            lambda progress, cancelled: agreements.roll_over_year(year, progress, cancelled),
            f"Copying {year} agreements forward…", self)

    def _on_export_clicked(self) -> None:
        current = self._selected_assessment()
        if current is None:
            return
        a = current.agreement
        stem = f"agreement-checklist-{a.school_year}-{a.provider_name}".replace(" ", "-")
        path, chosen = QFileDialog.getSaveFileName(
            self, "Export the checklist", str(Path.home() / f"{stem}.pdf"),
            "PDF for the board (*.pdf);;Excel workbook (*.xlsx)")
        if path:
            self.export_checklist(Path(path), "Excel" in chosen)

    def export_checklist(self, target: Path, prefer_xlsx: bool = False) -> None:
        current = self._selected_assessment()
        if current is None:
            return
        if target.suffix.lower() not in (".pdf", ".xlsx"):
            target = target.with_suffix(".xlsx" if prefer_xlsx else ".pdf")
        a, today = current.agreement, self.today()
        kind = {"pdf": target} if target.suffix.lower() == ".pdf" else {"xlsx": target}
        self._after_job = lambda result: self._said_written(result)
        self.runner.start(
            lambda _p, _c: agreements.export_agreement(a.school_year, a.provider_id, today, **kind),
            "Writing the checklist…", self)

    def _said_written(self, result: object) -> None:
        paths = result if isinstance(result, list) else [result]
        self.ctx.say("Wrote " + ", ".join(str(p) for p in paths))

    # ------------------------------------------------------------------ checklist items
    def _on_edit_item_clicked(self) -> None:
        current, item = self._selected_assessment(), self._selected_item()
        if current is None or item is None or current.agreement.id is None:
            return
        today = self.today()
        dialog = ChecklistItemDialog(item, current_actor(), today, self)
        agreement_id = current.agreement.id
        saved = run_until_saved(
            dialog, lambda entry: agreements.save_entry(agreement_id, entry, today) or True,
            value=dialog.entry)
        if saved is None:
            return
        self._changed(f"Checklist item {item.definition.order} saved.")
        self._reselect_item(item.definition.key)

    def _reselect_item(self, key: str) -> None:
        for row in range(self.items_model.rowCount()):
            if self.items_model.item(row).definition.key == key:
                index = self.items_proxy.mapFromSource(self.items_model.index(row, 0))
                self.items_view.selectRow(index.row())
                return

    # ------------------------------------------------------------------ meetings
    def _agreement_choices(self) -> list[tuple[int, str]]:
        return [(a.agreement.id, f"{a.agreement.provider_name} — {a.agreement.title}")
                for a in self._assessments if a.agreement.id is not None]

    def _on_add_meeting_clicked(self) -> None:
        self._edit_meeting(None)

    def _on_edit_meeting_clicked(self) -> None:
        meeting = self._selected_meeting()
        if meeting is not None:
            self._edit_meeting(meeting)

    def _edit_meeting(self, meeting: ReviewMeeting | None) -> None:
        year = self.year()
        if year is None:
            return
        dialog = ReviewMeetingDialog(year, self._agreement_choices(), meeting, self)
        saved = run_until_saved(dialog, lambda value: agreement_records.save_meeting(value) or True, value=dialog.meeting)
        if saved is None:
            return
        self._changed("Review meeting saved.")

    def _on_attach_minutes_clicked(self) -> None:
        meeting = self._selected_meeting()
        if meeting is None or meeting.id is None:
            return
        path, _ = QFileDialog.getOpenFileName(self, "Attach the minutes", str(Path.home()),
                                              ATTACHMENT_FILTER)
        if path:
            self.attach_minutes(meeting.id, Path(path))

    def attach_minutes(self, meeting_id: int, path: Path) -> bool:
        try:
            agreements.attach_minutes(meeting_id, path)
        except SroDeskError as error:
            show_error(self, error, "Not attached")
            return False
        self._changed("Minutes attached.")
        return True

    def _on_delete_meeting_clicked(self) -> None:
        meeting = self._selected_meeting()
        if meeting is None or meeting.id is None:
            return
        if not confirm(self, f"Delete the {meeting.kind.value.lower()} of "
                       f"{meeting.held_on.day} {meeting.held_on:%B %Y}?", ok_label="Delete"):
            return
        try:
            agreement_records.delete_meeting(meeting.id)
        except SroDeskError as error:
            show_error(self, error, "Cannot delete")
            return
        self._changed("Review meeting deleted.")

    # ------------------------------------------------------------------ start of year
    def _on_record_duties_clicked(self) -> None:
        duties, year = self._selected_duties(), self.year()
        if duties is None or year is None:
            return
        record = duties.record or BuildingStartOfYear(duties.building_id, duties.building_name, year)
        today = self.today()
        dialog = StartOfYearDialog(record, agreements.first_day_for(year), today, self)
        saved = run_until_saved(dialog, lambda value: agreements.save_start_of_year(value, today) or True, value=dialog.record)
        if saved is None:
            return
        self._changed(f"Start of year saved for {duties.building_name}.")
        self.select_building(duties.building_id)

    def _on_handout_clicked(self) -> None:
        duties, year = self._selected_duties(), self.year()
        if duties is None or year is None:
            return
        stem = f"family-handout-{duties.building_name}-{year}".replace(" ", "-")
        path, _ = QFileDialog.getSaveFileName(self, "Family handout", str(Path.home() / f"{stem}.pdf"),
                                              "PDF (*.pdf)")
        if path:
            self.export_handout(duties.building_id, Path(path))

    def export_handout(self, building_id: int, target: Path) -> None:
        year = self.year()
        if year is None:
            return
        if target.suffix.lower() != ".pdf":
            target = target.with_suffix(".pdf")
        self._after_job = lambda result: self._said_written(result)
        self.runner.start(lambda _p, _c: agreements.export_handout(building_id, year, target),
                          "Writing the handout…", self)

    def _on_wording_clicked(self) -> None:
        dialog = HandoutTemplateDialog(agreements.handout_template(),
                                       agreements.default_handout_template(), self)
        saved = run_until_saved(dialog, lambda value: agreements.save_handout_template(value) or True, value=dialog.text)
        if saved is None:
            return
        self._changed("Handout wording saved.")

    def _on_grace_spin_finished(self) -> None:
        days = self.grace_spin.value()
        if days == agreements.grace_days():
            return
        try:
            agreements.set_grace_days(days)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._changed(f"Buildings are now listed {days} days after the first day of school.")

    # ------------------------------------------------------------------ jobs
    def _on_runner_finished(self, result: object) -> None:
        after, self._after_job = self._after_job, None
        if after is not None:
            after(result)

    def _on_runner_failed(self, error: object) -> None:
        self._after_job = None
        from sro_desk.ui.crash import handle_worker_error

        handle_worker_error(self, error)
