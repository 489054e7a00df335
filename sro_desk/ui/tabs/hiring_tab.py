"""The Hiring tab: set up a round, score it blind on one laptop or on paper, reveal, decide.

Every score shown comes from ``services.hiring.round_view``, which applies the blind rule: a
panelist picking their name sees only their own sheet, a submitted sheet is sealed, and nobody sees
the results until every sheet is in and the coordinator reveals them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.hiring import (
    SCALE,
    SCALE_LABELS,
    Candidate,
    HiringRound,
    Panelist,
    Question,
    RoundStatus,
    ScoreEntry,
    anchor_line,
    panel_size_warning,
)
from sro_desk.domain.hiring_pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, PinRefused
from sro_desk.domain.hiring_results import tie_statement
from sro_desk.services import hiring
from sro_desk.services.hiring import RoundView
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.hiring_dialogs import (
    BankDialog,
    CandidateDialog,
    ConsensusDialog,
    DecisionDialog,
    PanelistDialog,
    QuestionDialog,
    RoundDialog,
)
from sro_desk.ui.dialogs.messages import ask_reason, confirm, show_error, show_info
from sro_desk.ui.models.hiring_models import (
    DisagreementRow,
    HiringCalibrationTableModel,
    HiringCandidateTableModel,
    HiringDisagreementTableModel,
    HiringPanelistTableModel,
    HiringQuestionTableModel,
    HiringRankingTableModel,
    HiringSheetTableModel,
)
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.workers import JobRunner

AnyIndex = QModelIndex | QPersistentModelIndex


class ScoreDelegate(QStyledItemDelegate):
    """A drop-down of the 1–5 scale with its labels, for the Score column."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: AnyIndex) -> QWidget:
        combo = QComboBox(parent)
        combo.setAccessibleName("Score")
        combo.addItem("", 0)
        for level, label in SCALE_LABELS.items():
            combo.addItem(f"{level} {label}", level)
        return combo

    def setEditorData(self, editor: QWidget, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole) or 0)))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: AnyIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _table(model: Any, name: str) -> QTableView:
    view = QTableView()
    view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def _button(text: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tip)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


class HiringTab(TabPage):
    TAB_TITLE = "Hiring"
    TAB_ORDER = 40
    WATCHES = ("hiring", "setup")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._view: RoundView | None = None
        self._reopen_reason = ""
        self._pin = ""  # the PIN typed for the open sheet; kept only while that sheet is open
        self._pending_import: Path | None = None
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)

        # --- round bar
        self.round_combo = QComboBox()
        self.round_combo.setAccessibleName("Hiring round")
        self.round_combo.setMinimumContentsLength(40)
        self.round_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.new_round_button = _button("&New round…", "Start a hiring round for a position")
        self.edit_round_button = _button("Edit round…", "Position, agency, building, dates, notes")
        self.delete_round_button = _button("Delete round", "Delete a round created by mistake "
                                                           "(refused once anyone is on it)")
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Round status")
        for status in RoundStatus:
            self.status_combo.addItem(status.value, status)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName("Round summary")
        bar = QHBoxLayout()
        bar.addWidget(QLabel("Round:"))
        bar.addWidget(self.round_combo, 1)
        for w in (self.new_round_button, self.edit_round_button, self.delete_round_button):
            bar.addWidget(w)
        bar.addSpacing(12)
        bar.addWidget(QLabel("Status:"))
        bar.addWidget(self.status_combo)

        self.pages = QTabWidget()
        self.pages.setAccessibleName("Hiring pages")
        self.pages.addTab(self._build_setup_page(), "Set-up")
        self.pages.addTab(self._build_scoring_page(), "Scoring")
        self.pages.addTab(self._build_results_page(), "Results")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, 1)

        self.round_combo.currentIndexChanged.connect(self._on_round_combo_changed)
        self.new_round_button.clicked.connect(self._on_new_round_clicked)
        self.edit_round_button.clicked.connect(self._on_edit_round_clicked)
        self.delete_round_button.clicked.connect(self._on_delete_round_clicked)
        self.status_combo.activated.connect(self._on_status_combo_activated)
        self.refresh()

    # ------------------------------------------------------------------ pages
    def _build_setup_page(self) -> QWidget:
        self.panel_model = HiringPanelistTableModel(self)
        self.question_model = HiringQuestionTableModel(self)
        self.candidate_model = HiringCandidateTableModel(self)
        self.panel_view = _table(self.panel_model, "Panel")
        self.question_view = _table(self.question_model, "Questions")
        self.candidate_view = _table(self.candidate_model, "Candidates")

        self.add_panelist_button = _button("Add panelist…", "Name, organization, role, and "
                                                           "whether they vote for the district")
        self.edit_panelist_button = _button("Edit…", "Edit the selected panelist")
        self.remove_panelist_button = _button("Remove", "Remove a panelist who has not scored")
        self.reset_pin_button = _button("Reset PIN…", "Clear the selected panelist's sheet PIN "
                                                      "(forgotten or locked); needs a reason, "
                                                      "kept in the audit trail")
        self.add_question_button = _button("Add question…", "Write a question with anchors")
        self.bank_button = _button("From the bank…", "Copy questions from the district's "
                                                      "starter question bank")
        self.edit_question_button = _button("Edit…", "Edit the selected question")
        self.up_button = _button("Move up", "Ask this question earlier")
        self.down_button = _button("Move down", "Ask this question later")
        self.remove_question_button = _button("Remove", "Remove a question nobody has scored")
        self.add_candidate_button = _button("Add candidate…", "A candidate the agency advanced")
        self.edit_candidate_button = _button("Edit…", "Edit the selected candidate")
        self.remove_candidate_button = _button("Remove", "Remove a candidate nobody has scored")
        for b, slot in (
            (self.add_panelist_button, self._on_add_panelist_clicked),
            (self.edit_panelist_button, self._on_edit_panelist_clicked),
            (self.remove_panelist_button, self._on_remove_panelist_clicked),
            (self.reset_pin_button, self._on_reset_pin_clicked),
            (self.add_question_button, self._on_add_question_clicked),
            (self.bank_button, self._on_bank_clicked),
            (self.edit_question_button, self._on_edit_question_clicked),
            (self.up_button, self._on_up_clicked),
            (self.down_button, self._on_down_clicked),
            (self.remove_question_button, self._on_remove_question_clicked),
            (self.add_candidate_button, self._on_add_candidate_clicked),
            (self.edit_candidate_button, self._on_edit_candidate_clicked),
            (self.remove_candidate_button, self._on_remove_candidate_clicked),
        ):
            b.clicked.connect(slot)
        self.justification_check = QCheckBox(
            "Scores of 1 or 5 need a written justification (district setting)")
        self.justification_check.setAccessibleName("Require justification for 1 or 5")
        self.justification_check.setToolTip("Applies to every round; changing it needs a reason, "
                                            "kept in the audit trail")
        self.justification_check.clicked.connect(self._on_justification_check_clicked)
        self.panel_view.doubleClicked.connect(lambda _i: self._on_edit_panelist_clicked())
        self.question_view.doubleClicked.connect(lambda _i: self._on_edit_question_clicked())
        self.candidate_view.doubleClicked.connect(lambda _i: self._on_edit_candidate_clicked())
        for table in (self.panel_view, self.question_view, self.candidate_view):
            table.selectionModel().selectionChanged.connect(self._update_buttons)

        def group(title: str, view: QTableView, buttons: list[QPushButton]) -> QGroupBox:
            box = QGroupBox(title)
            row = QHBoxLayout()
            for b in buttons:
                row.addWidget(b)
            row.addStretch(1)
            inner = QVBoxLayout(box)
            inner.addLayout(row)
            inner.addWidget(view, 1)
            return box

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(group("Panel", self.panel_view, [
            self.add_panelist_button, self.edit_panelist_button, self.remove_panelist_button,
            self.reset_pin_button]))
        top.addWidget(group("Candidates advanced by the agency", self.candidate_view, [
            self.add_candidate_button, self.edit_candidate_button, self.remove_candidate_button]))
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(group("Questions (asked in this order)", self.question_view, [
            self.add_question_button, self.bank_button, self.edit_question_button,
            self.up_button, self.down_button, self.remove_question_button]))
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addWidget(self.justification_check)
        return page

    def _build_scoring_page(self) -> QWidget:
        self.sheet_model = HiringSheetTableModel(self)
        self.viewer_combo = QComboBox()
        self.viewer_combo.setAccessibleName("Scoring as")
        self.paper_check = QCheckBox("Coordinator entering a paper sheet")
        self.paper_check.setToolTip("The scores are marked as entered from paper by the "
                                    "coordinator")
        self.blind_label = QLabel()
        self.blind_label.setWordWrap(True)
        self.blind_label.setAccessibleName("Blind scoring note")
        self.pin_label = QLabel()
        self.pin_label.setWordWrap(True)
        self.pin_label.setAccessibleName("Sheet PIN note")
        self.pin_edit = QLineEdit()
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setAccessibleName("Sheet PIN")
        self.pin_edit.setPlaceholderText("PIN")
        self.pin_repeat_edit = QLineEdit()
        self.pin_repeat_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_repeat_edit.setAccessibleName("Repeat the PIN")
        self.pin_repeat_edit.setPlaceholderText("PIN again")
        for edit in (self.pin_edit, self.pin_repeat_edit):
            edit.setMaxLength(PIN_MAX_DIGITS)
            edit.setValidator(QRegularExpressionValidator(
                QRegularExpression(rf"[0-9]{{0,{PIN_MAX_DIGITS}}}"), edit))
            edit.setMaximumWidth(120)
            edit.returnPressed.connect(self._on_pin_button_clicked)
        self.pin_button = _button("Open sheet", "Open your PIN-protected sheet")
        self.pin_button.clicked.connect(self._on_pin_button_clicked)
        self.pin_bar = QGroupBox()
        self.pin_bar.setAccessibleName("Sheet PIN")
        pin_row = QHBoxLayout(self.pin_bar)
        pin_row.addWidget(self.pin_label, 1)
        pin_row.addWidget(self.pin_edit)
        pin_row.addWidget(self.pin_repeat_edit)
        pin_row.addWidget(self.pin_button)
        self.pin_bar.setVisible(False)
        self._pin_mode = ""
        self.sheet_view = _table(self.sheet_model, "Score sheet")
        self.sheet_view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed)
        self.sheet_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.sheet_view.setItemDelegateForColumn(HiringSheetTableModel.COL_SCORE,
                                                 ScoreDelegate(self.sheet_view))
        self.sheet_view.setWordWrap(True)
        self.save_sheet_button = _button("&Save scores", "Save this sheet (it stays private)")
        self.submit_button = _button("S&ubmit sheet", "Submit: the sheet is sealed until the "
                                                      "results are revealed")
        self.reopen_button = _button("Reopen submitted sheet…", "Change a submitted sheet: "
                                                                "needs a written reason (audited)")
        self.print_button = _button("Paper sheet (PDF)…", "Print a blank score sheet for this "
                                                          "panelist")
        self.export_sheet_button = _button("Score sheet (.xlsx)…", "A protected workbook for "
                                                                   "offline scoring")
        self.import_sheet_button = _button("Import sheet…", "Import a filled-in .xlsx score "
                                                            "sheet (whole sheet or nothing)")
        self.progress_label = QLabel()
        self.progress_label.setAccessibleName("Sheet progress")
        self.sheet_privacy_label = QLabel()
        self.sheet_privacy_label.setWordWrap(True)
        self.sheet_privacy_label.setObjectName("privacyWarning")
        self.sheet_privacy_label.setStyleSheet(
            "QLabel#privacyWarning { color: #3d2e00; background: #fff3cd; "
            "border: 1px solid #e0b252; border-radius: 3px; padding: 4px; }")
        self.sheet_privacy_label.setAccessibleName("Privacy warning")
        self.sheet_privacy_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sheet_privacy_label.setVisible(False)
        self.question_detail = QLabel()
        self.question_detail.setWordWrap(True)
        self.question_detail.setAccessibleName("Question and anchors")
        self.question_detail.setTextFormat(Qt.TextFormat.PlainText)
        for b, slot in (
            (self.save_sheet_button, self._on_save_sheet_clicked),
            (self.submit_button, self._on_submit_clicked),
            (self.reopen_button, self._on_reopen_clicked),
            (self.print_button, self._on_print_clicked),
            (self.export_sheet_button, self._on_export_sheet_clicked),
            (self.import_sheet_button, self._on_import_sheet_clicked),
        ):
            b.clicked.connect(slot)
        self.viewer_combo.currentIndexChanged.connect(self._on_viewer_combo_changed)
        self.sheet_model.dataChanged.connect(self._on_sheet_model_changed)

        who = QHBoxLayout()
        who.addWidget(QLabel("Scoring as:"))
        who.addWidget(self.viewer_combo, 1)
        who.addWidget(self.paper_check)
        who.addStretch(1)
        who.addWidget(self.print_button)
        who.addWidget(self.export_sheet_button)
        who.addWidget(self.import_sheet_button)
        actions = QHBoxLayout()
        actions.addWidget(self.save_sheet_button)
        actions.addWidget(self.submit_button)
        actions.addWidget(self.reopen_button)
        actions.addStretch(1)
        actions.addWidget(self.progress_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(who)
        layout.addWidget(self.blind_label)
        layout.addWidget(self.pin_bar)
        layout.addWidget(self.sheet_view, 1)
        layout.addWidget(self.sheet_privacy_label)
        layout.addWidget(self.question_detail)
        layout.addLayout(actions)
        self.sheet_view.selectionModel().currentChanged.connect(self._on_sheet_current_changed)
        return page

    def _build_results_page(self) -> QWidget:
        self.ranking_model = HiringRankingTableModel(self)
        self.calibration_model = HiringCalibrationTableModel(self)
        self.disagreement_model = HiringDisagreementTableModel(self)
        self.results_note = QLabel()
        self.results_note.setWordWrap(True)
        self.results_note.setAccessibleName("Results note")
        self.reveal_button = _button("&Reveal results", "Show every score and the results; "
                                                        "needs every sheet submitted")
        self.consensus_button = _button("Consensus score…", "Record the panel's consensus score "
                                                            "for the selected candidate")
        self.decision_button = _button("Record &decision…", "The district's preferred candidate, "
                                                            "or accept/decline a sole candidate")
        self.export_button = _button("E&xport results…", "Results PDF for the file and .xlsx of "
                                                         "all scores")
        for b, slot in (
            (self.reveal_button, self._on_reveal_clicked),
            (self.consensus_button, self._on_consensus_clicked),
            (self.decision_button, self._on_decision_clicked),
            (self.export_button, self._on_export_clicked),
        ):
            b.clicked.connect(slot)
        self.ranking_view = _table(self.ranking_model, "Ranking")
        self.ties_label = QLabel()
        self.ties_label.setWordWrap(True)
        self.ties_label.setAccessibleName("Ties")
        self.disagreement_view = _table(self.disagreement_model, "Disagreements")
        self.calibration_view = _table(self.calibration_model, "Calibration")
        self.decision_label = QLabel()
        self.decision_label.setWordWrap(True)
        self.decision_label.setAccessibleName("Decision")
        actions = QHBoxLayout()
        for b in (self.reveal_button, self.consensus_button, self.decision_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.export_button)
        lower = QSplitter(Qt.Orientation.Horizontal)
        self.results_lower = lower
        d_box = QGroupBox("Disagreements (3 or more points apart)")
        QVBoxLayout(d_box).addWidget(self.disagreement_view)
        c_box = QGroupBox("Panelist calibration")
        QVBoxLayout(c_box).addWidget(self.calibration_view)
        lower.addWidget(d_box)
        lower.addWidget(c_box)
        lower.setStretchFactor(0, 3)
        lower.setStretchFactor(1, 2)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addLayout(actions)
        layout.addWidget(self.results_note)
        layout.addWidget(self.ranking_view, 2)
        self.ranking_view.setMinimumHeight(120)
        layout.addWidget(self.ties_label)
        layout.addWidget(lower, 2)
        layout.addWidget(self.decision_label)
        self.results_filler = QWidget()
        layout.addWidget(self.results_filler, 5)
        return page

    # ------------------------------------------------------------------ data
    def current_round_id(self) -> int | None:
        data = self.round_combo.currentData()
        return int(data) if data is not None else None

    def viewer_id(self) -> int | None:
        data = self.viewer_combo.currentData()
        return int(data) if data is not None else None

    def refresh(self) -> None:
        current = self.current_round_id()
        rounds = hiring.list_rounds()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(f"{r.position} — {r.agency} ({r.status})", r.id)
        index = self.round_combo.findData(current) if current is not None else 0
        self.round_combo.setCurrentIndex(max(0, index) if rounds else -1)
        self.round_combo.blockSignals(False)
        self._load_round()

    def select_round(self, round_id: int) -> None:
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(round_id)))

    def _load_round(self, *, keep_viewer: bool = True) -> None:
        round_id = self.current_round_id()
        viewer = self.viewer_id() if keep_viewer else None
        if round_id is None:
            self._view = None
            for model in (self.panel_model, self.question_model, self.candidate_model,
                          self.calibration_model, self.disagreement_model):
                model.set_items([])
            self.ranking_model.set_results([], [])
            self.sheet_model.clear()
            self.summary.setText("No hiring rounds yet. Use New round… to start one.")
            self._fill_viewers([])
            self._update_buttons()
            return
        try:
            try:
                view = hiring.round_view(round_id, viewer, reopen_reason=self._reopen_reason,
                                         pin=self._pin)
            except PinRefused:  # the PIN was reset or the sheet locked meanwhile: ask again
                self._pin = ""
                view = hiring.round_view(round_id, viewer, reopen_reason=self._reopen_reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._view = view
        snap = view.snapshot
        self.panel_model.set_items(snap.panelists)
        self.question_model.set_items(snap.questions)
        self.candidate_model.set_items(snap.candidates)
        for table in (self.panel_view, self.candidate_view, self.question_view):
            table.resizeColumnsToContents()
            for column in range(table.model().columnCount()):
                table.setColumnWidth(column, min(table.columnWidth(column), 260))
        self.status_combo.setCurrentIndex(self.status_combo.findData(snap.round.status))
        self.justification_check.setChecked(
            hiring.scoring_settings().require_extreme_justification)
        self._fill_viewers(snap.panelists, viewer)
        self._load_sheet()
        self._load_results()
        self._update_summary()
        self._update_buttons()

    def _fill_viewers(self, panelists: Any, keep: int | None = None) -> None:
        self.viewer_combo.blockSignals(True)
        self.viewer_combo.clear()
        self.viewer_combo.addItem("— pick your own name —", None)
        for p in panelists:
            state = " (submitted)" if p.submitted else ""
            lock = " (PIN)" if p.has_pin else ""
            self.viewer_combo.addItem(f"{p.name}{state}{lock}", p.id)
        index = self.viewer_combo.findData(keep) if keep is not None else 0
        self.viewer_combo.setCurrentIndex(max(0, index))
        self.viewer_combo.blockSignals(False)

    def _load_sheet(self) -> None:
        view = self._view
        if view is None:
            self.sheet_model.clear()
            return
        snap = view.snapshot
        vis = view.visibility
        viewer = self.viewer_id()
        editable = viewer is not None and vis.editable_panelist_id == viewer
        if viewer is None or not (vis.may_see(viewer) or editable):
            self.sheet_model.clear()
        else:
            own = [s for s in snap.scores if s.panelist_id == viewer]
            self.sheet_model.load(snap.candidates, snap.questions, own,
                                  hiring.scoring_settings(), editable)
        if viewer is None:
            self.blind_label.setText(
                "Pick your own name to score. " + vis.reason +
                " On paper or offline: print a blank sheet or export a protected .xlsx sheet "
                "per panelist, then import it back.")
        else:
            self.blind_label.setText(vis.reason)
        self._update_pin_bar()
        self.sheet_view.resizeColumnsToContents()
        for column in range(self.sheet_model.columnCount()):
            self.sheet_view.setColumnWidth(column, min(self.sheet_view.columnWidth(column), 240))
        self.sheet_view.setColumnWidth(HiringSheetTableModel.COL_SCORE, 120)
        self.sheet_view.setColumnWidth(HiringSheetTableModel.COL_JUSTIFICATION, 260)
        self.sheet_view.setColumnWidth(HiringSheetTableModel.COL_COMMENT, 260)
        self.question_detail.setText(
            "Select an answer to see its question and behavioral anchors."
            if self.sheet_model.rowCount() else "")
        self._on_sheet_model_changed()

    def _on_sheet_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.row() >= self.sheet_model.rowCount():
            return
        row = self.sheet_model.row(current.row())
        anchors = "\n".join(f"  {anchor_line(level, text)}" for level, text in
                            zip(SCALE, row.question.anchors, strict=True))
        self.question_detail.setText(
            f"{row.candidate.name} — question {row.question.position} "
            f"({row.question.competency}): {row.question.text}\n{anchors}")

    def _load_results(self) -> None:
        view = self._view
        revealed = view is not None and view.results is not None
        for widget in (self.ranking_view, self.results_lower, self.ties_label,
                       self.decision_label):
            widget.setVisible(revealed)
        self.results_filler.setVisible(not revealed)
        if view is None or view.results is None:
            self.ranking_model.set_results([], [])
            self.calibration_model.set_items([])
            self.disagreement_model.set_items([])
            self.ties_label.setText("")
            note = view.visibility.reason if view else ""
            if view is not None and not view.snapshot.round.revealed:
                waiting = [p.name for p in view.snapshot.panelists if not p.submitted]
                note = (f"Results are hidden: scoring is blind. {view.submitted} of "
                        f"{len(view.snapshot.panelists)} sheets submitted. ")
                note += (f"Still scoring: {', '.join(waiting)}." if waiting else
                         "Every sheet is in: the coordinator can reveal the results.")
            self.results_note.setText(note)
            self.decision_label.setText("")
            return
        snap, results = view.snapshot, view.results
        names = snap.candidate_names()
        panel_names = {p.id: p.name for p in snap.panelists}
        q_by = {q.id: q for q in snap.questions}
        self.ranking_model.set_results(snap.panelists, results.candidates)
        self.calibration_model.set_items(results.calibration)
        self.disagreement_model.set_items([
            DisagreementRow(
                d, names.get(d.candidate_id, ""),
                f"{q_by[d.question_id].position}. {q_by[d.question_id].competency}",
                ", ".join(panel_names.get(p, "") for p in d.low_panelists),
                ", ".join(panel_names.get(p, "") for p in d.high_panelists))
            for d in results.disagreements
        ])
        for table in (self.ranking_view, self.calibration_view, self.disagreement_view):
            table.resizeColumnsToContents()
        lines = [tie_statement(t, names) for t in results.ties]
        lines += [f"Incomplete: {g}" for g in results.gaps]
        self.ties_label.setText("\n".join(lines))
        self.results_note.setText(
            "Results revealed. Weighted score per panelist = Σ(weight × score) ÷ Σ(weight); "
            "ranks follow the panel mean shown to two decimals, and equal means share a rank.")
        d = snap.decision
        if d is None:
            self.decision_label.setText("Decision: not recorded yet.")
        else:
            text = f"Decision — {d.kind}: {names.get(d.candidate_id, '')}. {d.rationale}"
            if d.outcome:
                text += f" Final outcome: {d.outcome}"
            self.decision_label.setText(text)

    def _update_summary(self) -> None:
        view = self._view
        if view is None:
            return
        snap = view.snapshot
        r = snap.round
        parts = [f"{r.status}", f"{len(snap.candidates)} candidates",
                 f"{len(snap.questions)} questions",
                 f"{view.submitted} of {len(snap.panelists)} sheets submitted"]
        if r.revealed:
            parts.append("results revealed")
        text = " · ".join(parts)
        warning = panel_size_warning(len(snap.panelists))
        if warning:
            text += "\n⚠ " + warning
        self.summary.setText(text)

    def _update_buttons(self, *_args: object) -> None:
        view = self._view
        has_round = view is not None
        revealed = bool(view and view.snapshot.round.revealed)
        for b in (self.edit_round_button, self.delete_round_button, self.status_combo,
                  self.add_panelist_button, self.add_question_button, self.bank_button,
                  self.add_candidate_button):
            b.setEnabled(has_round)
        for b in (self.edit_panelist_button, self.remove_panelist_button):
            b.setEnabled(has_round and bool(self.panel_view.selectionModel().selectedRows()))
        selected = self._selected(self.panel_view, self.panel_model) if has_round else None
        self.reset_pin_button.setEnabled(bool(selected and selected.has_pin))
        for b in (self.edit_question_button, self.up_button, self.down_button,
                  self.remove_question_button):
            b.setEnabled(has_round and bool(self.question_view.selectionModel().selectedRows()))
        for b in (self.edit_candidate_button, self.remove_candidate_button):
            b.setEnabled(has_round and bool(self.candidate_view.selectionModel().selectedRows()))
        viewer = self.viewer_id()
        editable = self.sheet_model.editable
        self.save_sheet_button.setEnabled(editable)
        submitted = bool(view and viewer is not None and any(
            p.id == viewer and p.submitted for p in view.snapshot.panelists))
        locked = self.pin_locked()
        self.submit_button.setEnabled(editable and not submitted)
        self.reopen_button.setEnabled(submitted and not editable and not locked)
        for b in (self.print_button, self.export_sheet_button):
            b.setEnabled(viewer is not None and not locked)
        self.import_sheet_button.setEnabled(has_round)
        self.paper_check.setEnabled(editable)
        all_in = bool(view and view.snapshot.panelists
                      and view.submitted == len(view.snapshot.panelists))
        self.reveal_button.setEnabled(has_round and not revealed and all_in)
        for b in (self.consensus_button, self.decision_button, self.export_button):
            b.setEnabled(revealed)

    # ------------------------------------------------------------------ helpers
    def _selected(self, view: QTableView, model: Any) -> Any:
        rows = view.selectionModel().selectedRows()
        return model.item(rows[0].row()) if rows else None

    def _changed(self, message: str) -> None:
        self.ctx.notify("hiring")
        if self.needs_refresh:  # hidden tabs only mark themselves; this one acted, so reload
            self.refresh()
        self.ctx.say(message)

    def _run_dialog(self, dialog: QDialog, save: Any) -> bool:
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                save(dialog.value())  # type: ignore[attr-defined]
            except SroDeskError as error:
                show_error(self, error)
                continue
            return True
        return False

    def _building_names(self) -> list[str]:
        from sro_desk.store import roster_repo

        return [b.name for b in roster_repo.list_buildings(active_only=True)]

    # ------------------------------------------------------------------ round slots
    def _on_round_combo_changed(self, *_args: object) -> None:
        if not self._leave_sheet():
            return
        self._reopen_reason = ""
        self._pin = ""
        self._load_round(keep_viewer=False)

    def _on_new_round_clicked(self) -> None:
        dialog = RoundDialog(None, self._building_names(), self)
        saved: list[HiringRound] = []
        if self._run_dialog(dialog, lambda r: saved.append(hiring.save_round(r))):
            self.refresh()
            if saved and saved[0].id is not None:
                self.select_round(saved[0].id)
            self._changed(f"Created the round for {saved[0].position}.")

    def _on_edit_round_clicked(self) -> None:
        if self._view is None:
            return
        dialog = RoundDialog(self._view.snapshot.round, self._building_names(), self)
        if self._run_dialog(dialog, hiring.save_round):
            self._changed("Round saved.")

    def _on_delete_round_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None or not confirm(
            self, "Delete this round? Only a round created by mistake, with nobody on it, can "
            "be deleted.", ok_label="Delete"):
            return
        try:
            hiring.delete_round(round_id)
        except SroDeskError as error:
            show_error(self, error, "Cannot delete")
            return
        self._changed("Round deleted.")

    def _on_status_combo_activated(self, *_args: object) -> None:
        round_id = self.current_round_id()
        status = self.status_combo.currentData()
        if round_id is None or self._view is None or status == self._view.snapshot.round.status:
            return
        try:
            hiring.set_status(round_id, status)
        except SroDeskError as error:
            show_error(self, error)
            self.status_combo.setCurrentIndex(
                self.status_combo.findData(self._view.snapshot.round.status))
            return
        self._changed(f"Round status: {status}.")

    # ------------------------------------------------------------------ set-up slots
    def _on_justification_check_clicked(self, checked: bool) -> None:
        reason = ask_reason(self, "District scoring setting",
                            "Why change whether scores of 1 or 5 need a written justification? "
                            "The reason is kept in the audit trail.")
        if reason is None:
            self.justification_check.setChecked(not checked)
            return
        try:
            hiring.set_require_justification(checked, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            self.justification_check.setChecked(not checked)
            return
        self._changed("Scoring setting saved.")

    def _on_add_panelist_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None or self._view is None:
            return
        dialog = PanelistDialog(round_id, None, self._view.snapshot.panelists, self)
        if self._run_dialog(dialog, hiring.save_panelist):
            self._changed("Panelist added.")

    def _on_edit_panelist_clicked(self) -> None:
        current: Panelist | None = self._selected(self.panel_view, self.panel_model)
        if current is None or self._view is None or current.round_id is None:
            return
        dialog = PanelistDialog(current.round_id, current, self._view.snapshot.panelists, self)
        if self._run_dialog(dialog, hiring.save_panelist):
            self._changed("Panelist saved.")

    def _on_remove_panelist_clicked(self) -> None:
        current: Panelist | None = self._selected(self.panel_view, self.panel_model)
        if current is None or current.id is None:
            return
        if confirm(self, f"Remove {current.name} from the panel?", ok_label="Remove"):
            self._delete(lambda: hiring.delete_panelist(current.id or 0), "Panelist removed.")

    def _on_add_question_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        if self._run_dialog(QuestionDialog(round_id, None, parent=self), hiring.save_question):
            self._changed("Question added.")

    def _on_bank_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        try:
            bank = hiring.question_bank()
        except SroDeskError as error:
            show_error(self, error)
            return
        dialog = BankDialog(bank, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen_keys():
            return
        try:
            added = hiring.add_bank_questions(round_id, dialog.chosen_keys())
        except SroDeskError as error:
            show_error(self, error)
            return
        self._changed(f"Added {added} questions from the bank.")

    def _on_edit_question_clicked(self) -> None:
        current: Question | None = self._selected(self.question_view, self.question_model)
        if current is None or current.round_id is None or self._view is None:
            return
        locked = bool(self._view.submitted) or any(
            p.submitted for p in self._view.snapshot.panelists)
        dialog = QuestionDialog(current.round_id, current, locked, self)
        if self._run_dialog(dialog, hiring.save_question):
            self._changed("Question saved.")

    def _move(self, offset: int) -> None:
        current: Question | None = self._selected(self.question_view, self.question_model)
        if current is None or current.id is None:
            return
        try:
            hiring.move_question(current.id, offset)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._changed("Question order changed.")
        for row in range(self.question_model.rowCount()):
            if self.question_model.item(row).id == current.id:
                self.question_view.selectRow(row)

    def _on_up_clicked(self) -> None:
        self._move(-1)

    def _on_down_clicked(self) -> None:
        self._move(1)

    def _on_remove_question_clicked(self) -> None:
        current: Question | None = self._selected(self.question_view, self.question_model)
        if current is None or current.id is None:
            return
        if confirm(self, f"Remove question {current.position}?", ok_label="Remove"):
            self._delete(lambda: hiring.delete_question(current.id or 0), "Question removed.")

    def _on_add_candidate_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None or self._view is None:
            return
        dialog = CandidateDialog(round_id, None, self._view.snapshot.candidates, self)
        if self._run_dialog(dialog, hiring.save_candidate):
            self._changed("Candidate added.")

    def _on_edit_candidate_clicked(self) -> None:
        current: Candidate | None = self._selected(self.candidate_view, self.candidate_model)
        if current is None or current.round_id is None or self._view is None:
            return
        dialog = CandidateDialog(current.round_id, current, self._view.snapshot.candidates, self)
        if self._run_dialog(dialog, hiring.save_candidate):
            self._changed("Candidate saved.")

    def _on_remove_candidate_clicked(self) -> None:
        current: Candidate | None = self._selected(self.candidate_view, self.candidate_model)
        if current is None or current.id is None:
            return
        if confirm(self, f"Remove {current.name} from this round?", ok_label="Remove"):
            self._delete(lambda: hiring.delete_candidate(current.id or 0), "Candidate removed.")

    def _delete(self, action: Any, message: str) -> None:
        try:
            action()
        except SroDeskError as error:
            show_error(self, error, "Cannot remove")
            return
        self._changed(message)

    # ------------------------------------------------------------------ scoring slots
    def _leave_sheet(self) -> bool:
        """Unsaved scores are never dropped silently when the viewer or round changes."""
        if not self.sheet_model.dirty:
            return True
        if confirm(self, "This sheet has unsaved scores. Save them now?", ok_label="Save"):
            return self._save_sheet()
        return True

    def _on_viewer_combo_changed(self, *_args: object) -> None:
        if not self._leave_sheet():
            return
        self._reopen_reason = ""
        self._pin = ""
        self._load_round()

    def pin_locked(self) -> bool:
        """The picked panelist protected their sheet and its PIN has not been typed."""
        viewer = self._viewer()
        return bool(viewer and viewer.has_pin and not self._pin)

    def _update_pin_bar(self) -> None:
        viewer = self._viewer()
        view = self._view
        mode = ""
        if viewer is not None and view is not None:
            if self.pin_locked():
                mode = "enter"
                self.pin_label.setText(
                    f"Locked: {viewer.name}'s sheet is protected by a PIN. Type it to open the "
                    "sheet. "
                    "Forgotten? The coordinator can reset it (Set-up › Panel › Reset PIN…).")
                self.pin_button.setText("Open sheet")
                self.pin_button.setToolTip("Open your PIN-protected sheet")
            elif (not viewer.has_pin and self.sheet_model.editable
                  and not view.snapshot.round.revealed and not viewer.submitted):
                mode = "offer"
                self.pin_label.setText(
                    f"Optional: protect {viewer.name}'s sheet with a PIN of {PIN_MIN_DIGITS} to "
                    f"{PIN_MAX_DIGITS} digits, so nobody else who picks this name on the laptop "
                    "can open it. Type it twice.")
                self.pin_button.setText("Set PIN")
                self.pin_button.setToolTip("From now on this sheet opens only with the PIN")
        self._pin_mode = mode
        self.pin_bar.setVisible(bool(mode))
        self.pin_repeat_edit.setVisible(mode == "offer")
        self.pin_button.setAccessibleName(self.pin_button.text())
        if not mode:
            self.pin_edit.clear()
            self.pin_repeat_edit.clear()

    def _on_pin_button_clicked(self) -> None:
        viewer = self.viewer_id()
        if viewer is None or not self._pin_mode:
            return
        pin, repeated = self.pin_edit.text(), self.pin_repeat_edit.text()
        self.pin_edit.clear()
        self.pin_repeat_edit.clear()
        try:
            if self._pin_mode == "enter":
                hiring.unlock_sheet(viewer, pin)
            else:
                if not self._leave_sheet():
                    return
                hiring.set_panelist_pin(viewer, pin, repeated)
        except SroDeskError as error:
            show_error(self, error, "Sheet PIN")
            if isinstance(error, PinRefused):
                self._load_round()  # a locked sheet says so
            return
        was_offer = self._pin_mode == "offer"
        self._pin = pin
        if was_offer:
            self._changed("PIN set: from now on this sheet opens only with it.")
        else:
            self._load_round()
            self.ctx.say("Sheet opened.")

    def _on_reset_pin_clicked(self) -> None:
        current: Panelist | None = self._selected(self.panel_view, self.panel_model)
        if current is None or current.id is None or not current.has_pin:
            return
        reason = ask_reason(self, "Reset a sheet PIN",
                            f"Why reset {current.name}'s sheet PIN? Do this only with "
                            f"{current.name} present. The reason is kept in the audit trail; "
                            f"{current.name} can then set a new PIN.")
        if reason is None:
            return
        try:
            hiring.reset_panelist_pin(current.id, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self._changed(f"{current.name}'s sheet PIN was reset.")

    def _on_sheet_model_changed(self, *_args: object) -> None:
        warnings = self.sheet_model.privacy_warnings()
        self.sheet_privacy_label.setText("\n".join(f"⚠ {w}" for w in warnings))
        self.sheet_privacy_label.setVisible(bool(warnings))
        rows = self.sheet_model.rowCount()
        if rows == 0:
            self.progress_label.setText("")
        else:
            problems = self.sheet_model.problem_count()
            self.progress_label.setText(
                f"{rows - problems} of {rows} answers complete"
                + (" · unsaved changes" if self.sheet_model.dirty else ""))
        self._update_buttons()

    def _save_sheet(self) -> bool:
        viewer = self.viewer_id()
        if viewer is None or not self.sheet_model.editable:
            return False
        entry = ScoreEntry.MANUAL if self.paper_check.isChecked() else ScoreEntry.PANEL
        try:
            count = hiring.save_sheet_scores(viewer, self.sheet_model.scores(viewer, entry),
                                             entry=entry, reason=self._reopen_reason,
                                             pin=self._pin)
        except SroDeskError as error:
            show_error(self, error)
            return False
        self._changed(f"Saved {count} changed scores.")
        return True

    def _on_save_sheet_clicked(self) -> None:
        self._save_sheet()

    def _on_submit_clicked(self) -> None:
        viewer = self.viewer_id()
        if viewer is None or not self._save_sheet():
            return
        if not confirm(self, "Submit this sheet? It is sealed until the results are revealed; "
                             "a later change needs a written reason.", ok_label="Submit"):
            return
        try:
            hiring.submit_sheet(viewer, pin=self._pin)
        except SroDeskError as error:
            show_error(self, error, "The sheet is not complete")
            return
        self._reopen_reason = ""
        self._changed("Sheet submitted and sealed.")

    def _on_reopen_clicked(self) -> None:
        reason = ask_reason(self, "Reopen a submitted sheet",
                            "Why does this submitted sheet need to change? The reason is kept "
                            "in the audit trail with every change.")
        if reason is None:
            return
        self._reopen_reason = reason
        self._load_round()

    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return Path(path) if path else None

    def _viewer(self) -> Panelist | None:
        if self._view is None:
            return None
        viewer = self.viewer_id()
        return next((p for p in self._view.snapshot.panelists if p.id == viewer), None)

    def _on_print_clicked(self) -> None:
        from sro_desk.services import hiring_sheets

        panelist, round_id = self._viewer(), self.current_round_id()
        if panelist is None or panelist.id is None or round_id is None:
            return
        dest = self._save_path("Paper score sheet", f"score sheet {panelist.name}.pdf",
                               "PDF (*.pdf)")
        if dest is not None:
            pid = panelist.id
            self.runner.start(
                lambda _p, _c: hiring_sheets.export_blank_sheet_pdf(round_id, pid, dest),
                "Writing the paper sheet…", self)

    def _on_export_sheet_clicked(self) -> None:
        from sro_desk.services import hiring_sheets

        panelist, round_id = self._viewer(), self.current_round_id()
        if panelist is None or panelist.id is None or round_id is None:
            return
        dest = self._save_path("Score sheet workbook", f"score sheet {panelist.name}.xlsx",
                               "Excel workbook (*.xlsx)")
        if dest is not None:
            pid = panelist.id
            self.runner.start(
                lambda _p, _c: hiring_sheets.export_score_sheet(round_id, pid, dest),
                "Writing the score sheet…", self)

    def _on_import_sheet_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import score sheet", str(Path.home()),
                                              "Excel workbook (*.xlsx)")
        if path:
            self.import_sheet(Path(path))

    def import_sheet(self, path: Path, reason: str = "") -> None:
        from sro_desk.services import hiring_sheets

        round_id = self.current_round_id()
        if round_id is None:
            return
        self._pending_import = path
        self.runner.start(
            lambda progress, cancelled: hiring_sheets.import_score_sheet(
                path, round_id, reason=reason, progress=progress, is_cancelled=cancelled),
            f"Importing {path.name}…", self)

    # ------------------------------------------------------------------ results slots
    def _on_reveal_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        if not confirm(self, "Reveal the results? Every panelist will see every score.",
                       ok_label="Reveal"):
            return
        try:
            hiring.reveal(round_id)
        except SroDeskError as error:
            show_error(self, error, "Not yet")
            return
        self._changed("Results revealed.")
        self.pages.setCurrentIndex(2)

    def _on_consensus_clicked(self) -> None:
        if self._view is None or self._view.results is None:
            return
        rows = self.ranking_view.selectionModel().selectedRows()
        if not rows:
            show_info(self, "Select a candidate in the ranking first.")
            return
        result = self.ranking_model.item(rows[0].row())
        cand = next(c for c in self._view.snapshot.candidates if c.id == result.candidate_id)
        dialog = ConsensusDialog(cand, result.consensus, self)
        if self._run_dialog(dialog, hiring.save_consensus):
            self._changed("Consensus score saved.")

    def _on_decision_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None or self._view is None:
            return
        dialog = DecisionDialog(round_id, self._view.snapshot.candidates,
                                self._view.snapshot.decision, self)
        if self._run_dialog(dialog, hiring.save_decision):
            self._changed("Decision recorded.")

    def _on_export_clicked(self) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export results (writes both .pdf and .xlsx)",
            str(Path.home() / "interview results.pdf"), "PDF (*.pdf)")
        if path:
            self.export_results(Path(path))

    def export_results(self, target: Path) -> None:
        round_id = self.current_round_id()
        if round_id is None:
            return
        pdf, xlsx = target.with_suffix(".pdf"), target.with_suffix(".xlsx")
        self.runner.start(
            lambda progress, cancelled: hiring.export_results(
                round_id, pdf=pdf, xlsx=xlsx, progress=progress, is_cancelled=cancelled),
            "Exporting the results…", self)

    # ------------------------------------------------------------------ runner
    def _on_runner_finished(self, result: object) -> None:
        self._pending_import = None
        message = getattr(result, "message", None)
        if message is not None:
            self._changed(str(message))
            show_info(self, str(message), "Score sheet")
            return
        paths = result if isinstance(result, list) else [result]
        text = "Wrote " + ", ".join(str(p) for p in paths)
        self.ctx.say(text)
        show_info(self, text, "Export finished")

    def _on_runner_failed(self, error: object) -> None:
        from sro_desk.domain.errors import ValidationError
        from sro_desk.ui.crash import handle_worker_error

        path, self._pending_import = self._pending_import, None
        if (path is not None and isinstance(error, ValidationError)
                and any("needs a written reason" in p for p in error.problems)):
            reason = ask_reason(self, "Sheet already submitted",
                                "This panelist already submitted a sheet. Why is this new "
                                "sheet replacing it? The reason is kept in the audit trail.")
            if reason:
                self.import_sheet(path, reason)
            return
        handle_worker_error(self, error)

    def scores_shown(self) -> list[str]:
        """Every score value currently on screen (for tests of the blind rule)."""
        shown = [
            str(self.sheet_model.data(self.sheet_model.index(r, HiringSheetTableModel.COL_SCORE)))
            for r in range(self.sheet_model.rowCount())
        ]
        for r in range(self.ranking_model.rowCount()):
            for c in range(self.ranking_model.columnCount()):
                shown.append(str(self.ranking_model.data(self.ranking_model.index(r, c))))
        return [s for s in shown if s]
