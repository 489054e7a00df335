"""The Hiring tab: set up a round, score it blind on one laptop or on paper, reveal, decide.

The tab is the round bar (which round, its status) over three pages — ``HiringSetupPage``,
``HiringScoringPage``, ``HiringResultsPage`` — that paint from one ``RoundController``. Every
score shown comes from ``services.hiring.round_view``, which applies the blind rule: a panelist
picking their name sees only their own sheet, a submitted sheet is sealed, and nobody sees the
results until every sheet is in and the coordinator reveals them.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QTabWidget, QVBoxLayout, QWidget

from sro_desk.domain.changes import Change
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.hiring import RoundStatus, panel_size_warning
from sro_desk.services import hiring
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs import messages
from sro_desk.ui.dialogs.form import run_until_saved
from sro_desk.ui.dialogs.hiring_dialogs import RoundDialog
from sro_desk.ui.models.hiring_models import HiringSheetTableModel
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.tabs.hiring_results_page import HiringResultsPage
from sro_desk.ui.tabs.hiring_round import RoundController
from sro_desk.ui.tabs.hiring_scoring_page import HiringScoringPage
from sro_desk.ui.tabs.hiring_setup_page import HiringSetupPage
from sro_desk.ui.widgets.actions import ActionButton, ActionSet
from sro_desk.ui.widgets.combo import combo_enum, fill_enum_combo, select_enum
from sro_desk.ui.workers import JobRunner


class HiringTab(TabPage):
    TAB_TITLE = "Hiring"
    TAB_ORDER = 40
    WATCHES = (Change.HIRING, Change.SETUP)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.runner = JobRunner(self)
        self.controller = RoundController(ctx, self)

        # --- round bar
        self.round_combo = QComboBox()
        self.round_combo.setAccessibleName("Hiring round")
        self.round_combo.setMinimumContentsLength(40)
        self.round_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        acts = self.actions_set = ActionSet(self)
        has_round = self._has_round
        self.new_round_action = acts.add("&New round…", "Start a hiring round for a position",
                                         self._on_new_round)
        self.edit_round_action = acts.add("Edit round…", "Position, agency, building, dates, "
                                          "notes", self._on_edit_round, when=has_round)
        self.delete_round_action = acts.add("Delete round", "Delete a round created by mistake "
                                            "(refused once anyone is on it)",
                                            self._on_delete_round, when=has_round)
        self.new_round_button = ActionButton(self.new_round_action)
        self.edit_round_button = ActionButton(self.edit_round_action)
        self.delete_round_button = ActionButton(self.delete_round_action)
        self.status_combo = QComboBox()
        self.status_combo.setAccessibleName("Round status")
        fill_enum_combo(self.status_combo, RoundStatus)
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

        self.setup = HiringSetupPage(self.controller)
        self.scoring = HiringScoringPage(self.controller, self.runner)
        self.results = HiringResultsPage(self.controller, self.runner)
        self.pages = QTabWidget()
        self.pages.setAccessibleName("Hiring pages")
        self.pages.addTab(self.setup, "Set-up")
        self.pages.addTab(self.scoring, "Scoring")
        self.pages.addTab(self.results, "Results")

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.pages, 1)

        self.round_combo.currentIndexChanged.connect(self._on_round_combo_changed)
        self.status_combo.activated.connect(self._on_status_combo_activated)
        self.controller.loaded.connect(self._on_controller_loaded)
        self.controller.changed.connect(self._on_controller_changed)
        self.results.revealed.connect(lambda: self.pages.setCurrentWidget(self.results))
        self.refresh()

    # ------------------------------------------------------------------ data
    def current_round_id(self) -> int | None:
        return self.controller.round_id

    def viewer_id(self) -> int | None:
        return self.controller.viewer_id

    def refresh(self) -> None:
        current = self.controller.round_id
        rounds = hiring.list_rounds()
        self.round_combo.blockSignals(True)
        self.round_combo.clear()
        for r in rounds:
            self.round_combo.addItem(f"{r.position} — {r.agency} ({r.status})", r.id)
        index = self.round_combo.findData(current) if current is not None else -1
        if index < 0 and rounds:
            index = 0
        self.round_combo.setCurrentIndex(index)
        self.round_combo.blockSignals(False)
        wanted = self.round_combo.currentData()
        wanted_id = int(wanted) if wanted is not None else None
        if wanted_id != self.controller.round_id:
            self.controller.round_id = wanted_id
            self.controller.viewer_id = None
        self.controller.load()

    def select_round(self, round_id: int) -> None:
        self.round_combo.setCurrentIndex(max(0, self.round_combo.findData(round_id)))

    def _has_round(self) -> bool:
        return self.controller.view is not None

    def _on_controller_loaded(self) -> None:
        view = self.controller.view
        self.status_combo.setEnabled(view is not None)
        self.actions_set.update()
        if view is None:
            self.summary.setText("No hiring rounds yet. Use New round… to start one.")
            return
        snap = view.snapshot
        select_enum(self.status_combo, snap.round.status)
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

    def _on_controller_changed(self, _message: str) -> None:
        if self.needs_refresh:  # hidden tabs only mark themselves; this one acted, so reload
            self.refresh()

    # ------------------------------------------------------------------ round slots
    def _on_round_combo_changed(self, *_args: object) -> None:
        data = self.round_combo.currentData()
        wanted = int(data) if data is not None else None
        if not self.controller.open_round(wanted):  # stayed with an unsaved sheet
            self.round_combo.blockSignals(True)
            self.round_combo.setCurrentIndex(
                max(0, self.round_combo.findData(self.controller.round_id)))
            self.round_combo.blockSignals(False)

    def _on_new_round(self) -> None:
        dialog = RoundDialog(None, hiring.building_names(), self)
        saved = run_until_saved(dialog, hiring.save_round)
        if saved is None or saved.id is None:
            return
        self.refresh()
        self.select_round(saved.id)
        self.controller.saved(f"Created the round for {saved.position}.")

    def _on_edit_round(self) -> None:
        view = self.controller.view
        if view is None:
            return
        dialog = RoundDialog(view.snapshot.round, hiring.building_names(), self)
        if run_until_saved(dialog, hiring.save_round) is not None:
            self.controller.saved("Round saved.")

    def _on_delete_round(self) -> None:
        round_id = self.controller.round_id
        if round_id is None or not messages.confirm(
            self, "Delete this round? Only a round created by mistake, with nobody on it, can "
            "be deleted.", ok_label="Delete"):
            return
        try:
            hiring.delete_round(round_id)
        except SroDeskError as error:
            messages.show_error(self, error, "Cannot delete")
            return
        self.controller.round_id = None
        self.controller.saved("Round deleted.")
        self.refresh()

    def _on_status_combo_activated(self, *_args: object) -> None:
        round_id, view = self.controller.round_id, self.controller.view
        status = combo_enum(self.status_combo, RoundStatus)
        if round_id is None or view is None or status is None:
            return
        if status is view.snapshot.round.status:
            return
        try:
            hiring.set_status(round_id, status)
        except SroDeskError as error:
            messages.show_error(self, error)
            select_enum(self.status_combo, view.snapshot.round.status)
            return
        self.controller.saved(f"Round status: {status}.")
        self.refresh()  # the round's label in the round combo carries its status

    # ------------------------------------------------------------------ for tests and scripts
    def import_sheet(self, path: Path, reason: str = "") -> None:
        self.scoring.import_sheet(path, reason)

    def export_results(self, target: Path) -> None:
        self.results.export_results(target)

    def scores_shown(self) -> list[str]:
        """Every score value currently on screen (for tests of the blind rule)."""
        sheet, ranking = self.scoring.sheet_model, self.results.ranking_model
        shown = [
            str(sheet.data(sheet.index(r, HiringSheetTableModel.COL_SCORE)))
            for r in range(sheet.rowCount())
        ]
        for r in range(ranking.rowCount()):
            for c in range(ranking.columnCount()):
                shown.append(str(ranking.data(ranking.index(r, c))))
        return [s for s in shown if s]
