"""Hiring › Results: revealed only when every sheet is in; consensus, decision and export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.hiring_results import tie_statement
from sro_desk.services import hiring
from sro_desk.ui.crash import handle_worker_error
from sro_desk.ui.dialogs import messages
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.hiring_dialogs import ConsensusDialog, DecisionDialog
from sro_desk.ui.models.hiring_models import (
    DisagreementRow,
    HiringCalibrationTableModel,
    HiringDisagreementTableModel,
    HiringRankingTableModel,
)
from sro_desk.ui.tabs.hiring_round import RoundController
from sro_desk.ui.widgets.actions import ActionButton, ActionSet
from sro_desk.ui.widgets.tables import make_table
from sro_desk.ui.workers import JobRunner


class HiringResultsPage(QWidget):
    #: emitted after the reveal, so the tab can show this page
    revealed = Signal()

    def __init__(self, controller: RoundController, runner: JobRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.runner = runner
        self.ranking_model = HiringRankingTableModel(self)
        self.calibration_model = HiringCalibrationTableModel(self)
        self.disagreement_model = HiringDisagreementTableModel(self)
        self.results_note = QLabel()
        self.results_note.setTextFormat(Qt.TextFormat.PlainText)  # names are user text
        self.results_note.setWordWrap(True)
        self.results_note.setAccessibleName("Results note")
        acts = self.actions_set = ActionSet(self)
        self.reveal_action = acts.add("&Reveal results", "Show every score and the results; "
                                      "needs every sheet submitted", self._on_reveal,
                                      when=self._may_reveal)
        self.consensus_action = acts.add("Consensus score…", "Record the panel's consensus "
                                         "score for the selected candidate", self._on_consensus,
                                         when=self._is_revealed)
        self.decision_action = acts.add("Record &decision…", "The district's preferred "
                                        "candidate, or accept/decline a sole candidate",
                                        self._on_decision, when=self._is_revealed)
        self.export_action = acts.add("E&xport results…", "Results PDF for the file and .xlsx "
                                      "of all scores", self._on_export, when=self._is_revealed)
        self.reveal_button = ActionButton(self.reveal_action)
        self.consensus_button = ActionButton(self.consensus_action)
        self.decision_button = ActionButton(self.decision_action)
        self.export_button = ActionButton(self.export_action)
        self.ranking_view = make_table(self.ranking_model, "Ranking")
        self.ties_label = QLabel()
        self.ties_label.setTextFormat(Qt.TextFormat.PlainText)  # names are user text
        self.ties_label.setWordWrap(True)
        self.ties_label.setAccessibleName("Ties")
        self.disagreement_view = make_table(self.disagreement_model, "Disagreements")
        self.calibration_view = make_table(self.calibration_model, "Calibration")
        self.decision_label = QLabel()
        self.decision_label.setTextFormat(Qt.TextFormat.PlainText)  # names are user text
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
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.results_note)
        layout.addWidget(self.ranking_view, 2)
        self.ranking_view.setMinimumHeight(120)
        layout.addWidget(self.ties_label)
        layout.addWidget(lower, 2)
        layout.addWidget(self.decision_label)
        self.results_filler = QWidget()
        layout.addWidget(self.results_filler, 5)
        controller.loaded.connect(self._on_controller_loaded)
        acts.update()

    # ------------------------------------------------------------------ conditions
    def _is_revealed(self) -> bool:
        view = self.controller.view
        return bool(view and view.snapshot.round.revealed)

    def _may_reveal(self) -> bool:
        view = self.controller.view
        return bool(view and not view.snapshot.round.revealed and view.snapshot.panelists
                    and view.submitted == len(view.snapshot.panelists))

    # ------------------------------------------------------------------ painting
    def _on_controller_loaded(self) -> None:
        view = self.controller.view
        shown = view is not None and view.results is not None
        for widget in (self.ranking_view, self.results_lower, self.ties_label,
                       self.decision_label):
            widget.setVisible(shown)
        self.results_filler.setVisible(not shown)
        self.actions_set.update()
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

    # ------------------------------------------------------------------ slots
    def _on_reveal(self) -> None:
        round_id = self.controller.round_id
        if round_id is None:
            return
        if not messages.confirm(self, "Reveal the results? Every panelist will see every "
                                "score.", ok_label="Reveal"):
            return
        try:
            hiring.reveal(round_id)
        except SroDeskError as error:
            messages.show_error(self, error, "Not yet")
            return
        self.controller.saved("Results revealed.")
        self.revealed.emit()

    def _on_consensus(self) -> None:
        view = self.controller.view
        if view is None or view.results is None:
            return
        rows = self.ranking_view.selectionModel().selectedRows()
        if not rows:
            messages.show_info(self, "Select a candidate in the ranking first.")
            return
        result = self.ranking_model.item(rows[0].row())
        cand = next(c for c in view.snapshot.candidates if c.id == result.candidate_id)
        dialog = ConsensusDialog(cand, result.consensus, self)
        if run_until_saved(dialog, hiring.save_consensus) is not None:
            self.controller.saved("Consensus score saved.")

    def _on_decision(self) -> None:
        view, round_id = self.controller.view, self.controller.round_id
        if round_id is None or view is None:
            return
        dialog = DecisionDialog(round_id, view.snapshot.candidates, view.snapshot.decision, self)
        if run_until_saved(dialog, hiring.save_decision) is not None:
            self.controller.saved("Decision recorded.")

    def _on_export(self) -> None:
        if self.controller.round_id is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, "Export results (writes both .pdf and .xlsx)",
            str(Path.home() / "interview results.pdf"), "PDF (*.pdf)")
        if path:
            self.export_results(Path(path))

    def export_results(self, target: Path) -> None:
        round_id = self.controller.round_id
        if round_id is None:
            return
        pdf, xlsx = target.with_suffix(".pdf"), target.with_suffix(".xlsx")

        def written(paths: list[Path]) -> None:
            text = "Wrote " + ", ".join(str(p) for p in paths)
            self.controller.ctx.say(text)
            messages.show_info(self, text, "Export finished")

        self.runner.start(
            lambda progress, cancelled: hiring.export_results(
                round_id, pdf=pdf, xlsx=xlsx, progress=progress, is_cancelled=cancelled),
            "Exporting the results…", self, on_done=written,
            on_error=lambda error: handle_worker_error(self, error))
