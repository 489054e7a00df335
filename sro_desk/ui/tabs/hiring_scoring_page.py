"""Hiring › Scoring: one panelist's own sheet on the shared laptop, or a paper or offline sheet.

Switching who is scoring goes through the round controller, which asks this page first: with
unsaved scores the question comes *before* the switch, while the sheet still shows its own
panelist's name; Save stores them on that sheet, Discard drops them, Cancel stays (issue 20).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRegularExpression,
    Qt,
)
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import ReasonRequired, SroDeskError
from sro_desk.domain.hiring import SCALE, SCALE_LABELS, ScoreEntry, anchor_line
from sro_desk.domain.hiring_pin import PIN_MAX_DIGITS, PIN_MIN_DIGITS, PinRefused
from sro_desk.services import hiring
from sro_desk.ui.crash import handle_worker_error
from sro_desk.ui.dialogs import messages
from sro_desk.ui.models.hiring_models import HiringSheetTableModel
from sro_desk.ui.tabs.hiring_round import RoundController
from sro_desk.ui.widgets.buttons import action_button
from sro_desk.ui.widgets.tables import make_table
from sro_desk.ui.workers import JobRunner

AnyIndex = QModelIndex | QPersistentModelIndex

PICK_YOUR_NAME = "— pick your own name —"


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
        model.setData(index, int(editor.currentData() or 0), Qt.ItemDataRole.EditRole)


class HiringScoringPage(QWidget):
    def __init__(self, controller: RoundController, runner: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.runner = runner
        self.sheet_model = HiringSheetTableModel(self)
        #: the panelist whose scores the sheet model holds (never another's)
        self._sheet_owner: int | None = None
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
        self.pin_button = action_button("Open sheet", "Open your PIN-protected sheet",
                                        self._on_pin_button_clicked)
        self.pin_bar = QGroupBox()
        self.pin_bar.setAccessibleName("Sheet PIN")
        pin_row = QHBoxLayout(self.pin_bar)
        pin_row.addWidget(self.pin_label, 1)
        pin_row.addWidget(self.pin_edit)
        pin_row.addWidget(self.pin_repeat_edit)
        pin_row.addWidget(self.pin_button)
        self.pin_bar.setVisible(False)
        self._pin_mode = ""
        self.sheet_view = make_table(self.sheet_model, "Score sheet", editable=True)
        self.sheet_view.setSelectionBehavior(self.sheet_view.SelectionBehavior.SelectItems)
        self.sheet_view.setItemDelegateForColumn(HiringSheetTableModel.COL_SCORE,
                                                 ScoreDelegate(self.sheet_view))
        self.sheet_view.setWordWrap(True)
        self.save_sheet_button = action_button("&Save scores", "Save this sheet (it stays "
                                               "private)", self.save_sheet)
        self.submit_button = action_button("S&ubmit sheet", "Submit: the sheet is sealed until "
                                           "the results are revealed", self._on_submit_clicked)
        self.reopen_button = action_button("Reopen submitted sheet…", "Change a submitted sheet: "
                                           "needs a written reason (audited)",
                                           self._on_reopen_clicked)
        self.print_button = action_button("Paper sheet (PDF)…", "Print a blank score sheet for "
                                          "this panelist", self._on_print_clicked)
        self.export_sheet_button = action_button("Score sheet (.xlsx)…", "A protected workbook "
                                                 "for offline scoring",
                                                 self._on_export_sheet_clicked)
        self.import_sheet_button = action_button("Import sheet…", "Import a filled-in .xlsx "
                                                 "score sheet (whole sheet or nothing)",
                                                 self._on_import_sheet_clicked)
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
        layout = QVBoxLayout(self)
        layout.addLayout(who)
        layout.addWidget(self.blind_label)
        layout.addWidget(self.pin_bar)
        layout.addWidget(self.sheet_view, 1)
        layout.addWidget(self.sheet_privacy_label)
        layout.addWidget(self.question_detail)
        layout.addLayout(actions)
        self.sheet_view.selectionModel().currentChanged.connect(self._on_sheet_current_changed)
        controller.add_leave_guard(self.leave_sheet)
        controller.loaded.connect(self._on_controller_loaded)
        self._update_buttons()

    # ------------------------------------------------------------------ who is scoring
    def viewer_id(self) -> int | None:
        return self.controller.viewer_id

    def leave_sheet(self) -> bool:
        """Asked before the open sheet is left (another panelist, another round, a PIN set).
        Unsaved scores are saved to *their own* sheet, discarded, or the switch is cancelled."""
        if not self.sheet_model.dirty:
            return True
        owner = self.controller.viewer()
        name = owner.name if owner is not None else "this panelist"
        answer = messages.ask_unsaved(
            self, f"{name}'s sheet has unsaved scores. Save them to {name}'s sheet now?")
        if answer is messages.Unsaved.SAVE:
            return self.save_sheet()
        if answer is messages.Unsaved.DISCARD:
            self.sheet_model.clear()  # nothing of this sheet is painted under the next name
            self._sheet_owner = None
            return True
        return False

    def _on_viewer_combo_changed(self, *_args: object) -> None:
        data = self.viewer_combo.currentData()
        wanted = int(data) if data is not None else None
        if wanted == self.controller.viewer_id:
            return
        # Put the combo back on the sheet's own panelist while asking: the question is asked
        # before the switch, with the sheet and its name still together.
        self._select_viewer(self.controller.viewer_id)
        if self.controller.open_sheet(wanted):
            self._select_viewer(wanted)

    def _select_viewer(self, viewer_id: int | None) -> None:
        self.viewer_combo.blockSignals(True)
        self.viewer_combo.setCurrentIndex(max(0, self.viewer_combo.findData(viewer_id)))
        self.viewer_combo.blockSignals(False)

    def _fill_viewers(self) -> None:
        view = self.controller.view
        self.viewer_combo.blockSignals(True)
        self.viewer_combo.clear()
        self.viewer_combo.addItem(PICK_YOUR_NAME, None)
        for p in (view.snapshot.panelists if view else ()):
            state = " (submitted)" if p.submitted else ""
            lock = " (PIN)" if p.has_pin else ""
            self.viewer_combo.addItem(f"{p.name}{state}{lock}", p.id)
        self.viewer_combo.blockSignals(False)
        self._select_viewer(self.controller.viewer_id)

    # ------------------------------------------------------------------ painting
    def _on_controller_loaded(self) -> None:
        self._fill_viewers()
        self._load_sheet()

    def _load_sheet(self) -> None:
        view = self.controller.view
        viewer = self.controller.viewer_id
        self._sheet_owner = None
        if view is None:
            self.sheet_model.clear()
            self.blind_label.setText("")
        else:
            snap, vis = view.snapshot, view.visibility
            editable = viewer is not None and vis.editable_panelist_id == viewer
            if viewer is None or not (vis.may_see(viewer) or editable):
                self.sheet_model.clear()
            else:
                own = [s for s in snap.scores if s.panelist_id == viewer]
                self.sheet_model.load(snap.candidates, snap.questions, own,
                                      hiring.scoring_settings(), editable)
                self._sheet_owner = viewer
            if viewer is None:
                self.blind_label.setText(
                    "Pick your own name to score. " + vis.reason +
                    " On paper or offline: print a blank sheet or export a protected .xlsx "
                    "sheet per panelist, then import it back.")
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

    def _update_buttons(self) -> None:
        view = self.controller.view
        viewer = self.controller.viewer()
        editable = self.sheet_model.editable
        submitted = bool(viewer and viewer.submitted)
        locked = self.controller.pin_locked()
        self.save_sheet_button.setEnabled(editable)
        self.submit_button.setEnabled(editable and not submitted)
        self.reopen_button.setEnabled(submitted and not editable and not locked)
        for button in (self.print_button, self.export_sheet_button):
            button.setEnabled(viewer is not None and not locked)
        self.import_sheet_button.setEnabled(view is not None)
        self.paper_check.setEnabled(editable)

    # ------------------------------------------------------------------ PIN
    def _update_pin_bar(self) -> None:
        viewer = self.controller.viewer()
        view = self.controller.view
        mode = ""
        if viewer is not None and view is not None:
            if self.controller.pin_locked():
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
        viewer = self.controller.viewer_id
        if viewer is None or not self._pin_mode:
            return
        pin, repeated = self.pin_edit.text(), self.pin_repeat_edit.text()
        self.pin_edit.clear()
        self.pin_repeat_edit.clear()
        try:
            if self._pin_mode == "enter":
                hiring.unlock_sheet(viewer, pin)
            else:
                if not self.leave_sheet():
                    return
                hiring.set_panelist_pin(viewer, pin, repeated)
        except SroDeskError as error:
            messages.show_error(self, error, "Sheet PIN")
            if isinstance(error, PinRefused):
                self.controller.load()  # a locked sheet says so
            return
        was_offer = self._pin_mode == "offer"
        self.controller.pin = pin
        if was_offer:
            self.controller.saved("PIN set: from now on this sheet opens only with it.")
        else:
            self.controller.load()
            self.controller.ctx.say("Sheet opened.")

    # ------------------------------------------------------------------ saving
    def save_sheet(self) -> bool:
        """Save the typed scores to the sheet they were typed on; ``False`` when refused."""
        owner = self._sheet_owner
        if owner is None or not self.sheet_model.editable:
            return False
        assert owner == self.controller.viewer_id, "the sheet belongs to the open viewer"
        entry = ScoreEntry.MANUAL if self.paper_check.isChecked() else ScoreEntry.PANEL
        try:
            count = hiring.save_sheet_scores(owner, self.sheet_model.scores(owner, entry),
                                             entry=entry, reason=self.controller.reopen_reason,
                                             pin=self.controller.pin)
        except SroDeskError as error:
            messages.show_error(self, error)
            return False
        self.controller.saved(f"Saved {count} changed scores.")
        return True

    def _on_submit_clicked(self) -> None:
        viewer = self.controller.viewer_id
        if viewer is None or not self.save_sheet():
            return
        if not messages.confirm(self, "Submit this sheet? It is sealed until the results are "
                                "revealed; a later change needs a written reason.",
                                ok_label="Submit"):
            return
        try:
            hiring.submit_sheet(viewer, pin=self.controller.pin)
        except SroDeskError as error:
            messages.show_error(self, error, "The sheet is not complete")
            return
        self.controller.reopen_reason = ""
        self.controller.saved("Sheet submitted and sealed.")

    def _on_reopen_clicked(self) -> None:
        reason = messages.ask_reason(self, "Reopen a submitted sheet",
                                     "Why does this submitted sheet need to change? The reason "
                                     "is kept in the audit trail with every change.")
        if reason is None:
            return
        self.controller.reopen_reason = reason
        self.controller.load()

    # ------------------------------------------------------------------ files
    def _save_path(self, title: str, name: str, pattern: str) -> Path | None:
        path, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / name), pattern)
        return Path(path) if path else None

    def _on_print_clicked(self) -> None:
        from sro_desk.services import hiring_sheets

        panelist, round_id = self.controller.viewer(), self.controller.round_id
        if panelist is None or panelist.id is None or round_id is None:
            return
        dest = self._save_path("Paper score sheet", f"score sheet {panelist.name}.pdf",
                               "PDF (*.pdf)")
        if dest is not None:
            pid = panelist.id
            self.runner.start(
                lambda _p, _c: hiring_sheets.export_blank_sheet_pdf(round_id, pid, dest),
                "Writing the paper sheet…", self, on_done=self._on_file_written,
                on_error=self._on_job_failed)

    def _on_export_sheet_clicked(self) -> None:
        from sro_desk.services import hiring_sheets

        panelist, round_id = self.controller.viewer(), self.controller.round_id
        if panelist is None or panelist.id is None or round_id is None:
            return
        dest = self._save_path("Score sheet workbook", f"score sheet {panelist.name}.xlsx",
                               "Excel workbook (*.xlsx)")
        if dest is not None:
            pid = panelist.id
            self.runner.start(
                lambda _p, _c: hiring_sheets.export_score_sheet(round_id, pid, dest),
                "Writing the score sheet…", self, on_done=self._on_file_written,
                on_error=self._on_job_failed)

    def _on_file_written(self, path: object) -> None:
        text = f"Wrote {path}"
        self.controller.ctx.say(text)
        messages.show_info(self, text, "Export finished")

    def _on_import_sheet_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import score sheet", str(Path.home()),
                                              "Excel workbook (*.xlsx)")
        if path:
            self.import_sheet(Path(path))

    def import_sheet(self, path: Path, reason: str = "") -> None:
        from sro_desk.services import hiring_sheets

        round_id = self.controller.round_id
        if round_id is None:
            return

        def imported(outcome: hiring_sheets.SheetImportOutcome) -> None:
            self.controller.saved(outcome.message)
            messages.show_info(self, outcome.message, "Score sheet")

        def refused(error: BaseException) -> None:
            if isinstance(error, ReasonRequired) and not reason:
                again = messages.ask_reason(
                    self, "Sheet already submitted", "This panelist already submitted a sheet. "
                    "Why is this new sheet replacing it? The reason is kept in the audit trail.")
                if again:
                    self.import_sheet(path, again)
                return
            self._on_job_failed(error)

        self.runner.start(
            lambda progress, cancelled: hiring_sheets.import_score_sheet(
                path, round_id, reason=reason, progress=progress, is_cancelled=cancelled),
            f"Importing {path.name}…", self, on_done=imported, on_error=refused)

    def _on_job_failed(self, error: BaseException) -> None:
        handle_worker_error(self, error)
