"""Hiring › Set-up: the panel, the candidates the agency advanced, and the questions in order."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QGroupBox,
    QHBoxLayout,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.hiring import Candidate, Panelist, Question
from sro_desk.services import hiring
from sro_desk.ui.dialogs import messages
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.hiring_dialogs import (
    BankDialog,
    CandidateDialog,
    PanelistDialog,
    QuestionDialog,
)
from sro_desk.ui.models.hiring_models import (
    HiringCandidateTableModel,
    HiringPanelistTableModel,
    HiringQuestionTableModel,
)
from sro_desk.ui.tabs.hiring_round import RoundController
from sro_desk.ui.widgets.actions import ActionButton, ActionSet
from sro_desk.ui.widgets.tables import make_table, selected_item


class HiringSetupPage(QWidget):
    def __init__(self, controller: RoundController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.panel_model = HiringPanelistTableModel(self)
        self.question_model = HiringQuestionTableModel(self)
        self.candidate_model = HiringCandidateTableModel(self)
        self.panel_view = make_table(self.panel_model, "Panel")
        self.question_view = make_table(self.question_model, "Questions")
        self.candidate_view = make_table(self.candidate_model, "Candidates")

        acts = self.actions_set = ActionSet(self)
        has_round = self._has_round

        def picked(view: QTableView) -> Callable[[], bool]:
            return lambda: has_round() and selected_item(view) is not None

        self.add_panelist_action = acts.add(
            "Add panelist…", "Name, organization, role, and whether they vote for the district",
            self._on_add_panelist, when=has_round)
        self.edit_panelist_action = acts.add("Edit…", "Edit the selected panelist",
                                             self._on_edit_panelist, when=picked(self.panel_view))
        self.remove_panelist_action = acts.add("Remove", "Remove a panelist who has not scored",
                                               self._on_remove_panelist,
                                               when=picked(self.panel_view))
        self.reset_pin_action = acts.add(
            "Reset PIN…", "Clear the selected panelist's sheet PIN (forgotten or locked); needs a "
            "reason, kept in the audit trail", self._on_reset_pin, when=self._pin_to_reset)
        self.add_question_action = acts.add("Add question…", "Write a question with anchors",
                                            self._on_add_question, when=has_round)
        self.bank_action = acts.add("From the bank…", "Copy questions from the district's "
                                    "starter question bank", self._on_bank, when=has_round)
        self.edit_question_action = acts.add("Edit…", "Edit the selected question",
                                             self._on_edit_question,
                                             when=picked(self.question_view))
        self.up_action = acts.add("Move up", "Ask this question earlier", lambda: self._move(-1),
                                  when=picked(self.question_view))
        self.down_action = acts.add("Move down", "Ask this question later", lambda: self._move(1),
                                    when=picked(self.question_view))
        self.remove_question_action = acts.add("Remove", "Remove a question nobody has scored",
                                               self._on_remove_question,
                                               when=picked(self.question_view))
        self.add_candidate_action = acts.add("Add candidate…", "A candidate the agency advanced",
                                             self._on_add_candidate, when=has_round)
        self.edit_candidate_action = acts.add("Edit…", "Edit the selected candidate",
                                              self._on_edit_candidate,
                                              when=picked(self.candidate_view))
        self.remove_candidate_action = acts.add("Remove", "Remove a candidate nobody has scored",
                                                self._on_remove_candidate,
                                                when=picked(self.candidate_view))
        acts.follow(self.panel_view, self.question_view, self.candidate_view)

        b = ActionButton
        self.add_panelist_button = b(self.add_panelist_action)
        self.edit_panelist_button = b(self.edit_panelist_action)
        self.remove_panelist_button = b(self.remove_panelist_action)
        self.reset_pin_button = b(self.reset_pin_action)
        self.add_question_button = b(self.add_question_action)
        self.bank_button = b(self.bank_action)
        self.edit_question_button = b(self.edit_question_action)
        self.up_button = b(self.up_action)
        self.down_button = b(self.down_action)
        self.remove_question_button = b(self.remove_question_action)
        self.add_candidate_button = b(self.add_candidate_action)
        self.edit_candidate_button = b(self.edit_candidate_action)
        self.remove_candidate_button = b(self.remove_candidate_action)

        self.justification_check = QCheckBox(
            "Scores of 1 or 5 need a written justification (district setting)")
        self.justification_check.setAccessibleName("Require justification for 1 or 5")
        self.justification_check.setToolTip("Applies to every round; changing it needs a reason, "
                                            "kept in the audit trail")
        self.justification_check.clicked.connect(self._on_justification_check_clicked)
        self.panel_view.doubleClicked.connect(lambda _i: self._on_edit_panelist())
        self.question_view.doubleClicked.connect(lambda _i: self._on_edit_question())
        self.candidate_view.doubleClicked.connect(lambda _i: self._on_edit_candidate())

        def group(title: str, view: QTableView, buttons: list[ActionButton]) -> QGroupBox:
            box = QGroupBox(title)
            row = QHBoxLayout()
            for button in buttons:
                row.addWidget(button)
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
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split, 1)
        layout.addWidget(self.justification_check)
        controller.loaded.connect(self._on_controller_loaded)
        acts.update()

    # ------------------------------------------------------------------ painting
    def _has_round(self) -> bool:
        return self.controller.view is not None

    def _pin_to_reset(self) -> bool:
        selected: Panelist | None = selected_item(self.panel_view)
        return self._has_round() and bool(selected and selected.has_pin)

    def _on_controller_loaded(self) -> None:
        view = self.controller.view
        snap = view.snapshot if view is not None else None
        self.panel_model.set_items(snap.panelists if snap else [])
        self.question_model.set_items(snap.questions if snap else [])
        self.candidate_model.set_items(snap.candidates if snap else [])
        for table in (self.panel_view, self.candidate_view, self.question_view):
            table.resizeColumnsToContents()
            for column in range(table.model().columnCount()):
                table.setColumnWidth(column, min(table.columnWidth(column), 260))
        if snap is not None:
            self.justification_check.setChecked(
                hiring.scoring_settings().require_extreme_justification)
        self.actions_set.update()

    # ------------------------------------------------------------------ slots
    def _saved(self, result: object, message: str) -> None:
        if result is not None:
            self.controller.saved(message)

    def _on_justification_check_clicked(self, checked: bool) -> None:
        reason = messages.ask_reason(
            self, "District scoring setting", "Why change whether scores of 1 or 5 need a "
            "written justification? The reason is kept in the audit trail.")
        if reason is None:
            self.justification_check.setChecked(not checked)
            return
        try:
            hiring.set_require_justification(checked, reason=reason)
        except SroDeskError as error:
            messages.show_error(self, error)
            self.justification_check.setChecked(not checked)
            return
        self.controller.saved("Scoring setting saved.")

    def _on_add_panelist(self) -> None:
        view, round_id = self.controller.view, self.controller.round_id
        if view is None or round_id is None:
            return
        dialog = PanelistDialog(round_id, None, view.snapshot.panelists, self)
        self._saved(run_until_saved(dialog, hiring.save_panelist), "Panelist added.")

    def _on_edit_panelist(self) -> None:
        current: Panelist | None = selected_item(self.panel_view)
        view = self.controller.view
        if current is None or view is None or current.round_id is None:
            return
        dialog = PanelistDialog(current.round_id, current, view.snapshot.panelists, self)
        self._saved(run_until_saved(dialog, hiring.save_panelist), "Panelist saved.")

    def _on_remove_panelist(self) -> None:
        current: Panelist | None = selected_item(self.panel_view)
        if current is None or current.id is None:
            return
        if messages.confirm(self, f"Remove {current.name} from the panel?", ok_label="Remove"):
            pid = current.id
            self._delete(lambda: hiring.delete_panelist(pid), "Panelist removed.")

    def _on_reset_pin(self) -> None:
        current: Panelist | None = selected_item(self.panel_view)
        if current is None or current.id is None or not current.has_pin:
            return
        reason = messages.ask_reason(
            self, "Reset a sheet PIN", f"Why reset {current.name}'s sheet PIN? Do this only with "
            f"{current.name} present. The reason is kept in the audit trail; {current.name} can "
            "then set a new PIN.")
        if reason is None:
            return
        try:
            hiring.reset_panelist_pin(current.id, reason=reason)
        except SroDeskError as error:
            messages.show_error(self, error)
            return
        self.controller.saved(f"{current.name}'s sheet PIN was reset.")

    def _on_add_question(self) -> None:
        round_id = self.controller.round_id
        if round_id is None:
            return
        dialog = QuestionDialog(round_id, None, parent=self)
        self._saved(run_until_saved(dialog, hiring.save_question), "Question added.")

    def _on_bank(self) -> None:
        round_id = self.controller.round_id
        if round_id is None:
            return
        try:
            bank = hiring.question_bank()
        except SroDeskError as error:
            messages.show_error(self, error)
            return
        dialog = BankDialog(bank, self)
        if dialog.exec() != QDialog.DialogCode.Accepted or not dialog.chosen_keys():
            return
        try:
            added = hiring.add_bank_questions(round_id, dialog.chosen_keys())
        except SroDeskError as error:
            messages.show_error(self, error)
            return
        self.controller.saved(f"Added {added} questions from the bank.")

    def _on_edit_question(self) -> None:
        current: Question | None = selected_item(self.question_view)
        view = self.controller.view
        if current is None or current.round_id is None or view is None:
            return
        locked = bool(view.submitted) or any(p.submitted for p in view.snapshot.panelists)
        dialog = QuestionDialog(current.round_id, current, locked, self)
        self._saved(run_until_saved(dialog, hiring.save_question), "Question saved.")

    def _move(self, offset: int) -> None:
        current: Question | None = selected_item(self.question_view)
        if current is None or current.id is None:
            return
        try:
            hiring.move_question(current.id, offset)
        except SroDeskError as error:
            messages.show_error(self, error)
            return
        self.controller.saved("Question order changed.")
        for row in range(self.question_model.rowCount()):
            if self.question_model.item(row).id == current.id:
                self.question_view.selectRow(row)

    def _on_remove_question(self) -> None:
        current: Question | None = selected_item(self.question_view)
        if current is None or current.id is None:
            return
        if messages.confirm(self, f"Remove question {current.position}?", ok_label="Remove"):
            qid = current.id
            self._delete(lambda: hiring.delete_question(qid), "Question removed.")

    def _on_add_candidate(self) -> None:
        view, round_id = self.controller.view, self.controller.round_id
        if round_id is None or view is None:
            return
        dialog = CandidateDialog(round_id, None, view.snapshot.candidates, self)
        self._saved(run_until_saved(dialog, hiring.save_candidate), "Candidate added.")

    def _on_edit_candidate(self) -> None:
        current: Candidate | None = selected_item(self.candidate_view)
        view = self.controller.view
        if current is None or current.round_id is None or view is None:
            return
        dialog = CandidateDialog(current.round_id, current, view.snapshot.candidates, self)
        self._saved(run_until_saved(dialog, hiring.save_candidate), "Candidate saved.")

    def _on_remove_candidate(self) -> None:
        current: Candidate | None = selected_item(self.candidate_view)
        if current is None or current.id is None:
            return
        if messages.confirm(self, f"Remove {current.name} from this round?", ok_label="Remove"):
            cid = current.id
            self._delete(lambda: hiring.delete_candidate(cid), "Candidate removed.")

    def _delete(self, action: Callable[[], None], message: str) -> None:
        try:
            action()
        except SroDeskError as error:
            messages.show_error(self, error, "Cannot remove")
            return
        self.controller.saved(message)
