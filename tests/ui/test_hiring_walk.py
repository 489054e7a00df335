"""A coordinator's hiring round, driven through the widgets a person uses (issue 20).

Every dialog is opened from its button, typed into where the keyboard focus starts, chosen in
its combos and saved with its Save button (or Enter); what was stored is read back through the
service. The panelist switch is tried with Save, Discard and Cancel.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from sro_desk.domain.hiring import (
    Candidate,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    QuestionSource,
    RoundStatus,
)
from sro_desk.services import hiring
from sro_desk.ui.dialogs import messages
from sro_desk.ui.dialogs.hiring_dialogs import (
    CandidateDialog,
    ConsensusDialog,
    DecisionDialog,
    PanelistDialog,
    QuestionDialog,
    RoundDialog,
)
from sro_desk.ui.models.hiring_models import HiringSheetTableModel
from sro_desk.ui.tabs.hiring_tab import HiringTab
from tests.ui.gui_walk import answer_next, choose, press_enter, save, type_into, type_into_focus

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SCORE = HiringSheetTableModel.COL_SCORE


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Message boxes answered as a coordinator would; ``unsaved`` holds the next answers."""
    seen: dict[str, list[Any]] = {"error": [], "info": [], "confirm": [], "unsaved": [],
                                  "asked": []}
    monkeypatch.setattr(messages, "show_error", lambda _p, e, *a: seen["error"].append(e))
    monkeypatch.setattr(messages, "show_info", lambda _p, t, *a: seen["info"].append(t))
    monkeypatch.setattr(messages, "confirm",
                        lambda _p, t, *a, **k: seen["confirm"].append(t) or True)
    monkeypatch.setattr(messages, "ask_reason", lambda *_a: "Coordinator's reason")
    return seen


def _make(qtbot: Any, ctx: Any) -> HiringTab:
    tab = HiringTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()
    return tab


def _click(qtbot: Any, button: Any) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select(view: Any, model: Any, match: Any) -> None:
    row = next(r for r in range(model.rowCount()) if match(model.item(r)))
    view.selectRow(row)


def test_set_up_a_round_through_its_dialogs(qtbot: Any, app_ctx: Any,
                                            boxes: dict[str, list[Any]]) -> None:
    tab = _make(qtbot, app_ctx)
    assert not tab.edit_round_button.isEnabled()  # no round yet: the actions say so

    def new_round(d: RoundDialog) -> None:
        assert d.focusWidget() is d.position  # typing goes into the first field, not Cancel
        type_into_focus(d, "SRO, Pine Ridge High School")
        type_into(d.agency, "Pine Ridge PD")
        press_enter(d.agency)  # Enter saves a valid form
    opened = answer_next(RoundDialog, new_round)
    _click(qtbot, tab.new_round_button)
    assert not opened.errors and opened.dialogs
    rounds = hiring.list_rounds()
    assert [(r.position, r.agency) for r in rounds] == [("SRO, Pine Ridge High School",
                                                         "Pine Ridge PD")]
    rid = rounds[0].id
    assert rid is not None and tab.current_round_id() == rid

    def edit_round(d: RoundDialog) -> None:
        assert d.position.text() == "SRO, Pine Ridge High School"
        type_into(d.notes, "Interviews in the library")
        save(d)
    opened = answer_next(RoundDialog, edit_round)
    _click(qtbot, tab.edit_round_button)
    assert not opened.errors
    assert hiring.get_round(rid).notes == "Interviews in the library"

    setup = tab.setup
    for name, org, votes in (("Erin Walsh", "District", True), ("Luis Ortega", "Agency", False)):
        def add_panelist(d: PanelistDialog, name: str = name, org: str = org,
                         votes: bool = votes) -> None:
            assert d.focusWidget() is d.name
            type_into_focus(d, name)
            type_into(d.organization, org)
            type_into(d.role, "Panelist")
            if votes:
                QTest.keyClick(d.district_voting, Qt.Key.Key_Space)
            save(d)
        opened = answer_next(PanelistDialog, add_panelist)
        _click(qtbot, setup.add_panelist_button)
        assert not opened.errors
    panel = hiring.list_panelists(rid)
    assert [(p.name, p.organization, p.district_voting) for p in panel] == [
        ("Erin Walsh", "District", True), ("Luis Ortega", "Agency", False)]

    # Edit panelist: the action follows the selection.
    assert not setup.edit_panelist_button.isEnabled()
    _select(setup.panel_view, setup.panel_model, lambda p: p.name == "Luis Ortega")
    assert setup.edit_panelist_button.isEnabled()

    def edit_panelist(d: PanelistDialog) -> None:
        d.role.clear()
        type_into(d.role, "Agency lieutenant")
        save(d)
    opened = answer_next(PanelistDialog, edit_panelist)
    _click(qtbot, setup.edit_panelist_button)
    assert not opened.errors
    assert hiring.list_panelists(rid)[1].role == "Agency lieutenant"

    def add_candidate(d: CandidateDialog) -> None:
        assert d.focusWidget() is d.name
        type_into_focus(d, "Officer Dana Reyes")
        type_into(d.assignment, "Patrol, east district")
        save(d)
    opened = answer_next(CandidateDialog, add_candidate)
    _click(qtbot, setup.add_candidate_button)
    assert not opened.errors
    _select(setup.candidate_view, setup.candidate_model, lambda c: True)

    def edit_candidate(d: CandidateDialog) -> None:
        type_into(d.notes, "Bilingual")
        save(d)
    opened = answer_next(CandidateDialog, edit_candidate)
    _click(qtbot, setup.edit_candidate_button)
    assert not opened.errors
    assert [(c.name, c.notes) for c in hiring.list_candidates(rid)] == [
        ("Officer Dana Reyes", "Bilingual")]

    # Add question, once with each "provided by" choice (this crashed: issue 20).
    for source in QuestionSource:
        def add_question(d: QuestionDialog, source: QuestionSource = source) -> None:
            assert d.focusWidget() is d.text.editor
            type_into_focus(d, f"Tell us about a hard call ({source.value})")
            type_into(d.competency, "De-escalation")
            choose(d.provided_by, source.value)
            save(d)
        opened = answer_next(QuestionDialog, add_question)
        _click(qtbot, setup.add_question_button)
        assert not opened.errors, opened.errors
    questions = hiring.list_questions(rid)
    assert [q.provided_by for q in questions] == list(QuestionSource)
    assert all(isinstance(q.provided_by, QuestionSource) for q in questions)

    _select(setup.question_view, setup.question_model, lambda q: q.position == 1)

    def edit_question(d: QuestionDialog) -> None:
        choose(d.provided_by, QuestionSource.AGENCY.value)
        d.competency.clear()
        type_into(d.competency, "Judgment")
        save(d)
    opened = answer_next(QuestionDialog, edit_question)
    _click(qtbot, setup.edit_question_button)
    assert not opened.errors, opened.errors
    first = hiring.list_questions(rid)[0]
    assert (first.competency, first.provided_by) == ("Judgment", QuestionSource.AGENCY)
    assert boxes["error"] == []


def test_round_status_combo_stores_the_status_or_says_why_not(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]]) -> None:
    r = hiring.save_round(HiringRound(None, "SRO, Test High School", "Test PD", "THS"))
    assert r.id is not None
    tab = _make(qtbot, app_ctx)
    choose(tab.status_combo, RoundStatus.INTERVIEWING.value)
    assert hiring.get_round(r.id).status is RoundStatus.INTERVIEWING
    assert tab.status_combo.currentText() == "Interviewing"
    assert "(Interviewing)" in tab.round_combo.currentText()
    choose(tab.status_combo, RoundStatus.DECIDED.value)  # no decision yet: refused in words
    assert "Record the district's decision" in str(boxes["error"][-1])
    assert hiring.get_round(r.id).status is RoundStatus.INTERVIEWING
    assert tab.status_combo.currentText() == "Interviewing"  # never shows what was not stored


def _round_with_panel(n_candidates: int = 2) -> tuple[int, dict[str, int]]:
    r = hiring.save_round(HiringRound(None, "SRO, Test High School", "Test PD", "THS"))
    assert r.id is not None
    for name, org in (("Erin Walsh", "District"), ("Luis Ortega", "Agency")):
        hiring.save_panelist(Panelist(None, r.id, name, org, district_voting=org == "District"))
    for i in range(n_candidates):
        hiring.save_candidate(Candidate(None, r.id, f"Officer {'AB'[i]}"))
    hiring.save_question(Question(None, r.id, 0, "Tell us about de-escalation", "De-escalation"))
    hiring.save_question(Question(None, r.id, 0, "Tell us about FERPA", "FERPA"))
    return r.id, {p.name: p.id for p in hiring.list_panelists(r.id) if p.id is not None}


def _pick(tab: HiringTab, name: str) -> None:
    combo = tab.scoring.viewer_combo
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(name))
    combo.setCurrentIndex(index)


def _type_scores(qtbot: Any, tab: HiringTab, values: list[int]) -> None:
    """Type each score into the sheet as a person does: select the cell, F2, type, Tab."""
    view, model = tab.scoring.sheet_view, tab.scoring.sheet_model
    view.setFocus()
    for row, value in enumerate(values):
        view.setCurrentIndex(model.index(row, SCORE))
        qtbot.keyClick(view, Qt.Key.Key_F2)
        editor = view.focusWidget()
        qtbot.keyClicks(editor, str(value))
        qtbot.keyClick(editor, Qt.Key.Key_Tab)  # commits the choice and moves on
    assert [model.row(r).value for r in range(len(values))] == values


def _answer_unsaved(monkeypatch: pytest.MonkeyPatch, tab: HiringTab,
                    answer: messages.Unsaved) -> list[tuple[str, list[Any]]]:
    """Answer the unsaved-scores question, noting what was on screen while it was asked."""
    seen: list[tuple[str, list[Any]]] = []
    model = tab.scoring.sheet_model

    def ask(_parent: object, text: str, *_a: object) -> messages.Unsaved:
        seen.append((tab.scoring.viewer_combo.currentText(),
                     [model.row(r).value for r in range(model.rowCount())]))
        return answer
    monkeypatch.setattr(messages, "ask_unsaved", ask)
    return seen


def test_panelist_switch_cancel_keeps_the_typed_sheet(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rid, panel = _round_with_panel()
    tab = _make(qtbot, app_ctx)
    tab.pages.setCurrentWidget(tab.scoring)
    _pick(tab, "Erin Walsh")
    _type_scores(qtbot, tab, [4, 2, 3, 5])
    seen = _answer_unsaved(monkeypatch, tab, messages.Unsaved.CANCEL)
    _pick(tab, "Luis Ortega")
    # asked before the switch, with Erin's name beside Erin's scores
    assert seen == [("Erin Walsh", [4, 2, 3, 5])]
    assert tab.viewer_id() == panel["Erin Walsh"]
    assert tab.scoring.viewer_combo.currentText() == "Erin Walsh"
    assert tab.scoring.sheet_model.dirty
    assert [tab.scoring.sheet_model.row(r).value for r in range(4)] == [4, 2, 3, 5]
    assert hiring.round_view(rid, None).submitted == 0
    assert all(not hiring.round_view(rid, pid).snapshot.scores for pid in panel.values())


def test_panelist_switch_discard_drops_the_scores(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rid, panel = _round_with_panel()
    tab = _make(qtbot, app_ctx)
    _pick(tab, "Erin Walsh")
    _type_scores(qtbot, tab, [4, 2, 3, 3])
    seen = _answer_unsaved(monkeypatch, tab, messages.Unsaved.DISCARD)
    _pick(tab, "Luis Ortega")
    assert seen == [("Erin Walsh", [4, 2, 3, 3])]
    assert tab.viewer_id() == panel["Luis Ortega"]
    model = tab.scoring.sheet_model
    assert model.rowCount() == 4 and all(model.row(r).value is None for r in range(4))
    assert all(not hiring.round_view(rid, pid).snapshot.scores for pid in panel.values())


def test_panelist_switch_save_stores_them_on_their_own_sheet(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 20's blocker: Erin's unsaved scores, saved while Luis picks his name, belong to
    Erin's sheet; Luis's sheet opens blank, and Erin can submit."""
    rid, panel = _round_with_panel()
    tab = _make(qtbot, app_ctx)
    _pick(tab, "Erin Walsh")
    _type_scores(qtbot, tab, [4, 2, 3, 3])
    seen = _answer_unsaved(monkeypatch, tab, messages.Unsaved.SAVE)
    _pick(tab, "Luis Ortega")
    assert seen == [("Erin Walsh", [4, 2, 3, 3])]
    assert tab.viewer_id() == panel["Luis Ortega"]
    assert tab.scoring.viewer_combo.currentText() == "Luis Ortega"
    luis = tab.scoring.sheet_model
    assert all(luis.row(r).value is None for r in range(luis.rowCount()))
    assert tab.scores_shown() == []  # no other panelist's scores are ever painted
    erin = hiring.round_view(rid, panel["Erin Walsh"]).snapshot.scores
    assert sorted(s.value for s in erin) == [2, 3, 3, 4]
    assert {s.panelist_id for s in erin} == {panel["Erin Walsh"]}
    assert not hiring.round_view(rid, panel["Luis Ortega"]).snapshot.scores
    # Erin comes back: her saved sheet, complete, submits.
    _pick(tab, "Erin Walsh")
    _click(qtbot, tab.scoring.submit_button)
    assert hiring.list_panelists(rid)[0].submitted, boxes["error"]


def test_switching_round_with_unsaved_scores_asks_first(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]],
        monkeypatch: pytest.MonkeyPatch) -> None:
    rid, _panel = _round_with_panel()
    other = hiring.save_round(HiringRound(None, "SRO, Other School", "Other PD", ""))
    tab = _make(qtbot, app_ctx)
    tab.select_round(rid)
    _pick(tab, "Erin Walsh")
    _type_scores(qtbot, tab, [4])
    _answer_unsaved(monkeypatch, tab, messages.Unsaved.CANCEL)
    tab.select_round(other.id or 0)
    assert tab.current_round_id() == rid and tab.round_combo.currentData() == rid
    assert tab.scoring.sheet_model.dirty


def _scored_and_revealed(qtbot: Any, tab: HiringTab, rid: int) -> None:
    for name in ("Erin Walsh", "Luis Ortega"):
        _pick(tab, name)
        _type_scores(qtbot, tab, [3] * tab.scoring.sheet_model.rowCount())
        _click(qtbot, tab.scoring.submit_button)
    _click(qtbot, tab.results.reveal_button)
    assert hiring.get_round(rid).revealed


def test_record_the_decision_with_each_choice(qtbot: Any, app_ctx: Any,
                                              boxes: dict[str, list[Any]]) -> None:
    rid, _panel = _round_with_panel(n_candidates=2)
    tab = _make(qtbot, app_ctx)
    _scored_and_revealed(qtbot, tab, rid)
    assert tab.pages.currentWidget() is tab.results

    def decide(d: DecisionDialog) -> None:
        assert [d.kind.itemText(i) for i in range(d.kind.count())] == [
            DecisionKind.PREFERRED.value]
        choose(d.candidate, "Officer B")
        type_into(d.rationale, "Strongest de-escalation answers")
        save(d)
    opened = answer_next(DecisionDialog, decide)
    _click(qtbot, tab.results.decision_button)
    assert not opened.errors, opened.errors
    decision = hiring.round_view(rid).snapshot.decision
    assert decision is not None and decision.kind is DecisionKind.PREFERRED
    assert decision.candidate_id == next(c.id for c in hiring.list_candidates(rid)
                                         if c.name == "Officer B")
    assert "Officer B" in tab.results.decision_label.text()

    tab.results.ranking_view.selectRow(0)

    def consensus(d: ConsensusDialog) -> None:
        d.value_box.setValue(3.5)
        type_into(d.note, "Agreed after discussion")
        save(d)
    opened = answer_next(ConsensusDialog, consensus)
    _click(qtbot, tab.results.consensus_button)
    assert not opened.errors
    assert [str(c.value) for c in hiring.round_view(rid).snapshot.consensus] == ["3.5"]
    # Now the status may be Decided.
    choose(tab.status_combo, RoundStatus.DECIDED.value)
    assert hiring.get_round(rid).status is RoundStatus.DECIDED
    assert boxes["error"] == []


@pytest.mark.parametrize("kind", [DecisionKind.SOLE_ACCEPTED, DecisionKind.SOLE_DECLINED])
def test_record_a_sole_candidate_decision(qtbot: Any, app_ctx: Any,
                                          boxes: dict[str, list[Any]],
                                          kind: DecisionKind) -> None:
    rid, _panel = _round_with_panel(n_candidates=1)
    tab = _make(qtbot, app_ctx)
    _scored_and_revealed(qtbot, tab, rid)

    def decide(d: DecisionDialog) -> None:
        choose(d.kind, kind.value)
        type_into(d.rationale, "The panel's reasons, in words")
        save(d)
    opened = answer_next(DecisionDialog, decide)
    _click(qtbot, tab.results.decision_button)
    assert not opened.errors, opened.errors
    decision = hiring.round_view(rid).snapshot.decision
    assert decision is not None and decision.kind is kind


def test_a_refused_save_keeps_the_dialog_open_with_its_input(
        qtbot: Any, app_ctx: Any, boxes: dict[str, list[Any]]) -> None:
    """Adding a question after scoring started is refused by the rules: the dialog stays open,
    everything typed still in it, until the coordinator cancels."""
    rid, _panel = _round_with_panel()
    tab = _make(qtbot, app_ctx)
    _pick(tab, "Erin Walsh")
    _type_scores(qtbot, tab, [3])
    _click(qtbot, tab.scoring.save_sheet_button)
    kept: list[str] = []

    def add_question(d: QuestionDialog) -> None:
        type_into_focus(d, "A late question")
        type_into(d.competency, "Late")
        save(d)  # refused: shown in words, the dialog still open
        assert boxes["error"] and "no question can be added" in str(boxes["error"][-1])
        assert d.isVisible()
        kept.append(d.text.text())
        d.reject()  # typed input: asks first (answered Discard by the fixture's confirm)
    opened = answer_next(QuestionDialog, add_question)
    _click(qtbot, tab.setup.add_question_button)
    assert not opened.errors, opened.errors
    assert kept == ["A late question"]
    assert "Discard what you typed" in boxes["confirm"][-1]
    assert len(hiring.list_questions(rid)) == 2
