"""The Hiring tab: models pass Qt's checks, the blind rule holds on screen, the flows work."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import Qt

from sro_desk.domain.hiring import Candidate, HiringRound, Panelist, Question, ScoreEntry
from sro_desk.domain.hiring_sheet import FIRST_ROW
from sro_desk.services import hiring, hiring_sheets
from sro_desk.ui.dialogs import messages
from sro_desk.ui.models.hiring_models import HiringSheetTableModel
from sro_desk.ui.tabs.hiring_tab import HiringTab

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[Any]]:
    """Record what would have been shown instead of opening modal boxes."""
    seen: dict[str, list[Any]] = {"error": [], "info": [], "confirm": [], "reason": []}
    monkeypatch.setattr(messages, "show_error", lambda _p, e, *a: seen["error"].append(e))
    monkeypatch.setattr(messages, "show_info", lambda _p, t, *a: seen["info"].append(t))

    def _confirm(_p: object, text: str, *a: object, **k: object) -> bool:
        seen["confirm"].append(text)
        return True

    monkeypatch.setattr(messages, "confirm", _confirm)
    monkeypatch.setattr(messages, "ask_reason",
                        lambda *_a: seen["reason"].append(1) or "Typed the wrong row")
    return seen


def _make(qtbot: Any, ctx: Any) -> HiringTab:
    tab = HiringTab(ctx)
    qtbot.addWidget(tab)
    tab.resize(1280, 800)
    tab.show()  # tabs load lazily, on first show
    assert not tab.needs_refresh
    return tab


def _pick(tab: HiringTab, name: str) -> None:
    for i in range(tab.scoring.viewer_combo.count()):
        if tab.scoring.viewer_combo.itemText(i).startswith(name):
            tab.scoring.viewer_combo.setCurrentIndex(i)
            return
    raise AssertionError(name)


def _round_id(label: str) -> int:
    return next(r.id for r in hiring.list_rounds() if label in r.position)  # type: ignore[misc]


def test_models_pass_qt_model_checks(qtbot: Any, qtmodeltester: Any, demo_ctx: Any) -> None:
    tab = _make(qtbot, demo_ctx)
    tab.select_round(_round_id("Harbor View"))
    for model in (tab.setup.panel_model, tab.setup.question_model, tab.setup.candidate_model, tab.results.ranking_model,
                  tab.results.calibration_model, tab.results.disagreement_model):
        assert model.rowCount() > 0
        qtmodeltester.check(model)
    tab.select_round(_round_id("Ridgeline"))
    _pick(tab, "Lt. Karen Fisk")
    assert tab.scoring.sheet_model.rowCount() == 12
    qtmodeltester.check(tab.scoring.sheet_model)


def test_a_panelist_cannot_reach_other_scores_before_reveal(qtbot: Any, demo_ctx: Any,
                                                             dialogs: dict[str, list[Any]]) -> None:
    tab = _make(qtbot, demo_ctx)
    rid = _round_id("Ridgeline")
    tab.select_round(rid)
    panel = {p.name: p.id for p in hiring.list_panelists(rid)}
    # The coordinator's own view: no scores, no results, only progress.
    assert tab.viewer_id() is None
    assert tab.scoring.sheet_model.rowCount() == 0 and tab.scores_shown() == []
    assert tab.results.ranking_model.rowCount() == 0 and not tab.results.ranking_view.isVisibleTo(tab)
    assert "1 of 3 sheets submitted" in tab.results.results_note.text()
    assert not tab.results.reveal_button.isEnabled()
    # Fisk sees exactly her own three scores.
    _pick(tab, "Lt. Karen Fisk")
    shown = [tab.scoring.sheet_model.row(r).value for r in range(tab.scoring.sheet_model.rowCount())]
    assert sum(v is not None for v in shown) == 3
    assert tab.results.ranking_model.rowCount() == 0
    # Picking a colleague who already submitted shows nothing: the sheet is sealed.
    _pick(tab, "Jordan Ames")
    assert tab.scoring.sheet_model.rowCount() == 0 and tab.scores_shown() == []
    assert "sealed" in tab.scoring.blind_label.text()
    assert tab.scoring.reopen_button.isEnabled() and not tab.scoring.save_sheet_button.isEnabled()
    # Haddad has scored nothing: a blank sheet, never Ames's or Fisk's numbers.
    _pick(tab, "Omar Haddad")
    assert all(tab.scoring.sheet_model.row(r).value is None for r in range(tab.scoring.sheet_model.rowCount()))
    assert panel["Omar Haddad"] == tab.viewer_id()


def test_score_submit_reveal_and_decide(qtbot: Any, app_ctx: Any,
                                        dialogs: dict[str, list[Any]], tmp_path: Path) -> None:
    r = hiring.save_round(HiringRound(None, "SRO, Test High School", "Test PD", "THS"))
    assert r.id is not None
    for name, org, vote in (("Ann", "District", True), ("Ben", "Agency", False)):
        hiring.save_panelist(Panelist(None, r.id, name, org, district_voting=vote))
    for name in ("Officer A", "Officer B"):
        hiring.save_candidate(Candidate(None, r.id, name))
    hiring.save_question(Question(None, r.id, 0, "Tell us about de-escalation", "De-escalation"))
    tab = _make(qtbot, app_ctx)
    tab.select_round(r.id)
    assert "2 candidates" in tab.summary.text()
    for who, values in (("Ann", (4, 2)), ("Ben", (5, 3))):
        _pick(tab, who)
        model = tab.scoring.sheet_model
        assert model.editable and model.rowCount() == 2
        for row, value in enumerate(values):
            assert model.set_value(row, HiringSheetTableModel.COL_SCORE, value)
        if who == "Ben":
            assert model.problem(model.row(0)) == (
                "a score of 5 (Expert) needs a written justification")
            tab.scoring.submit_button.click()  # refused: listed, nothing submitted
            assert dialogs["error"], "the missing justification must be explained"
            model.set_value(0, HiringSheetTableModel.COL_JUSTIFICATION, "Trains the county")
        tab.scoring.submit_button.click()
    assert all(p.submitted for p in hiring.list_panelists(r.id))
    assert tab.results.reveal_button.isEnabled()
    tab.results.reveal_button.click()
    assert tab.pages.currentIndex() == 2
    assert [tab.results.ranking_model.item(i).name for i in range(2)] == ["Officer A", "Officer B"]
    assert tab.results.ranking_model.data(tab.results.ranking_model.index(0, 0)) == "1"
    _pick(tab, "Ann")  # after the reveal: visible, but read-only until reopened with a reason
    assert tab.scoring.sheet_model.rowCount() == 2 and not tab.scoring.sheet_model.editable
    assert tab.scoring.reopen_button.isEnabled()
    tab.scoring.reopen_button.click()
    assert tab.scoring.sheet_model.editable
    # After the reveal a panelist sees the others' scores too.
    assert {s.panelist_id for s in hiring.round_view(r.id, None).snapshot.scores} == {
        p.id for p in hiring.list_panelists(r.id)}
    dest = tmp_path / "results.pdf"
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.export_results(dest)
    assert dest.exists() and dest.with_suffix(".xlsx").exists()
    assert dialogs["info"] and "Wrote" in dialogs["info"][-1]


def test_reopen_submitted_sheet_needs_a_reason(qtbot: Any, demo_ctx: Any,
                                               dialogs: dict[str, list[Any]]) -> None:
    tab = _make(qtbot, demo_ctx)
    rid = _round_id("Ridgeline")
    tab.select_round(rid)
    _pick(tab, "Jordan Ames")
    tab.scoring.reopen_button.click()
    assert dialogs["reason"] == [1]
    assert tab.scoring.sheet_model.editable and tab.scoring.sheet_model.rowCount() == 12
    before = tab.scoring.sheet_model.row(0).value
    new = 5 if before != 5 else 4
    tab.scoring.sheet_model.set_value(0, HiringSheetTableModel.COL_SCORE, new)
    tab.scoring.sheet_model.set_value(0, HiringSheetTableModel.COL_JUSTIFICATION, "Reviewed notes")
    tab.scoring.save_sheet_button.click()
    assert not dialogs["error"]
    from sro_desk.store.audit import audit_entries

    assert any("Typed the wrong row" in e.changes for e in audit_entries("HiringScore"))


def test_paper_entry_and_sheet_import(qtbot: Any, demo_ctx: Any, dialogs: dict[str, list[Any]],
                                      tmp_path: Path) -> None:
    tab = _make(qtbot, demo_ctx)
    rid = _round_id("Ridgeline")
    tab.select_round(rid)
    _pick(tab, "Lt. Karen Fisk")
    tab.scoring.paper_check.setChecked(True)
    for row in range(tab.scoring.sheet_model.rowCount()):
        tab.scoring.sheet_model.set_value(row, HiringSheetTableModel.COL_SCORE, 3)
    tab.scoring.save_sheet_button.click()
    fisk = next(p.id for p in hiring.list_panelists(rid) if p.name == "Lt. Karen Fisk")
    mine = hiring.round_view(rid, fisk).snapshot.scores
    assert {s.entry for s in mine} == {ScoreEntry.MANUAL}
    omar = next(p.id for p in hiring.list_panelists(rid) if p.name == "Omar Haddad")
    sheet = hiring_sheets.export_score_sheet(rid, omar, tmp_path / "omar.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(sheet)
    ws = book["Scores"]
    for row in range(FIRST_ROW, FIRST_ROW + 12):
        ws.cell(row, 7).value = 4
    book.save(sheet)
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.import_sheet(sheet)
    assert "Imported Omar Haddad's score sheet" in dialogs["info"][-1]
    assert "2 of 3 sheets submitted" in tab.summary.text()


def test_dialogs_validate_as_you_type(qtbot: Any, app_ctx: Any) -> None:
    from sro_desk.ui.dialogs.hiring_dialogs import DecisionDialog, QuestionDialog, RoundDialog

    dialog = RoundDialog(None, ["Test High School"])
    qtbot.addWidget(dialog)
    assert not dialog.save_enabled()
    dialog.position.setText("SRO, Test High School")
    dialog.agency.setText("Test PD")
    assert dialog.save_enabled()
    q = QuestionDialog(1, None)
    qtbot.addWidget(q)
    q.text.setText("Tell us about FERPA")
    q.competency.setText("FERPA")
    assert q.save_enabled()
    q.weight.setValue(2)
    assert not q.save_enabled() and "needs a written reason" in q.problems_label.text()
    q.weight_reason.setText("District priority this year")
    assert q.save_enabled() and q.value().weight == Decimal(2)
    sole = DecisionDialog(1, [Candidate(5, 1, "Officer Solo")], None)
    qtbot.addWidget(sole)
    assert sole.kind.count() == 2 and not sole.save_enabled()
    sole.rationale.setText("Not the right fit for the school")
    assert sole.save_enabled()


def test_justification_setting_needs_a_reason(qtbot: Any, demo_ctx: Any,
                                              dialogs: dict[str, list[Any]]) -> None:
    tab = _make(qtbot, demo_ctx)
    assert tab.setup.justification_check.isChecked()
    tab.setup.justification_check.click()
    assert dialogs["reason"] == [1]
    assert not hiring.scoring_settings().require_extreme_justification
    assert not tab.setup.justification_check.isChecked()


def test_question_dialog_anchor_editors_wrap_and_name_each_level_once(qtbot: Any,
                                                                       app_ctx: Any) -> None:
    from PySide6.QtWidgets import QFormLayout, QLabel, QPlainTextEdit

    from sro_desk.ui.dialogs.hiring_dialogs import QuestionDialog
    from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit

    old = Question(7, 1, 1, "Tell us about de-escalation", "De-escalation", anchors=(
        "Awareness: names the topic.", "Basic: thin example.", "Intermediate: concrete.",
        "Advanced: difficult situations.", "Expert: " + "teaches others. " * 30))
    dialog = QuestionDialog(1, old)
    qtbot.addWidget(dialog)
    dialog.show()
    labels: list[str] = []
    for row in range(dialog.form.rowCount()):
        item = dialog.form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        if item is not None and isinstance(item.widget(), QLabel):
            labels.append(item.widget().text())
    assert labels[-5:] == ["1 Awareness:", "2 Basic:", "3 Intermediate:", "4 Advanced:",
                           "5 Expert:"]
    assert [a.text() for a in dialog.anchors][:4] == [
        "Names the topic.", "Thin example.", "Concrete.", "Difficult situations."]
    for edit in dialog.anchors:
        assert isinstance(edit, PrivacyTextEdit)
        assert edit.editor.lineWrapMode() == QPlainTextEdit.LineWrapMode.WidgetWidth
        assert edit.editor.height() >= 3 * edit.editor.fontMetrics().lineSpacing()
    long_anchor = dialog.anchors[4].editor
    assert long_anchor.document().size().height() > 1  # wraps onto several lines, never cut
    assert dialog.value().anchors[4].startswith("Teaches others.")


def test_decision_outcome_is_multi_line(qtbot: Any, app_ctx: Any) -> None:
    from sro_desk.ui.dialogs.hiring_dialogs import DecisionDialog
    from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit

    dialog = DecisionDialog(1, [Candidate(5, 1, "Officer A"), Candidate(6, 1, "Officer B")], None)
    qtbot.addWidget(dialog)
    assert isinstance(dialog.outcome, PrivacyTextEdit)
    dialog.rationale.setText("Best examples")
    dialog.outcome.setText("Agency assigned Officer A\nfrom 1 March")
    assert dialog.value().outcome == "Agency assigned Officer A\nfrom 1 March"


def test_disagreements_show_points_apart(qtbot: Any, demo_ctx: Any) -> None:
    tab = _make(qtbot, demo_ctx)
    tab.select_round(_round_id("Harbor View"))
    tab.pages.setCurrentIndex(2)
    qtbot.wait(10)
    model, view = tab.results.disagreement_model, tab.results.disagreement_view
    col = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal) == "Points apart")
    assert model.rowCount() == 1 and model.data(model.index(0, col)) == "3"
    right = view.columnViewportPosition(col) + view.columnWidth(col)
    assert view.columnViewportPosition(col) >= 0 and right <= view.viewport().width()
    assert view.columnWidth(col) >= view.horizontalHeader().sectionSizeFromContents(col).width()


FORBIDDEN = "The candidate was born in Guatemala"


def _warnings_shown(dialog: Any) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in dialog.findChildren(QLabel, "privacyWarning")
            if label.isVisibleTo(dialog) and label.text()]


def test_every_text_field_of_the_hiring_dialogs_shows_the_rcw_warning(
    qtbot: Any, app_ctx: Any,
) -> None:
    """Type forbidden text into each text input of each dialog in turn: a warning citing
    RCW 10.93.160 appears for that input (names, roles, question, anchors, notes, outcome…)."""
    from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

    from sro_desk.ui.dialogs.hiring_dialogs import (
        CandidateDialog,
        ConsensusDialog,
        DecisionDialog,
        PanelistDialog,
        QuestionDialog,
        RoundDialog,
    )

    cand = Candidate(5, 1, "Officer A")
    dialogs = [RoundDialog(None, ["Test High School"]), PanelistDialog(1, None, []),
               QuestionDialog(1, None), CandidateDialog(1, None, []),
               ConsensusDialog(cand, None), DecisionDialog(1, [cand, Candidate(6, 1, "B")], None)]
    checked = 0
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        inputs = [w for w in dialog.findChildren(QLineEdit) + dialog.findChildren(QPlainTextEdit)
                  if not w.isReadOnly() and w.isVisibleTo(dialog)
                  and type(w.parent()).__name__ not in ("QAbstractSpinBox", "QDoubleSpinBox",
                                                        "QDateEdit", "OptionalDateEdit")
                  and not w.parent().inherits("QAbstractSpinBox")]
        assert inputs, type(dialog).__name__
        for widget in inputs:
            before = len(_warnings_shown(dialog))
            if isinstance(widget, QLineEdit):
                widget.setText(FORBIDDEN)
            else:
                widget.setPlainText(FORBIDDEN)
            shown = _warnings_shown(dialog)
            assert len(shown) == before + 1, (type(dialog).__name__, widget.accessibleName())
            assert "RCW 10.93.160" in shown[-1] or any("RCW 10.93.160" in s for s in shown)
            checked += 1
    assert checked >= 20


def test_sheet_comment_with_forbidden_text_shows_the_rcw_warning(
    qtbot: Any, demo_ctx: Any, dialogs: dict[str, list[Any]],
) -> None:
    tab = _make(qtbot, demo_ctx)
    tab.select_round(_round_id("Ridgeline"))
    tab.pages.setCurrentIndex(1)
    _pick(tab, "Omar Haddad")
    assert not tab.scoring.sheet_privacy_label.isVisibleTo(tab)
    tab.scoring.sheet_model.set_value(0, HiringSheetTableModel.COL_SCORE, 3)
    tab.scoring.sheet_model.set_value(0, HiringSheetTableModel.COL_COMMENT, FORBIDDEN)
    assert tab.scoring.sheet_privacy_label.isVisibleTo(tab)
    assert "RCW 10.93.160" in tab.scoring.sheet_privacy_label.text()
    assert "Row 1" in tab.scoring.sheet_privacy_label.text()
    check = tab.scoring.sheet_model.data(tab.scoring.sheet_model.index(0, HiringSheetTableModel.COL_CHECK))
    assert "comment appears to record place of birth" in check and "RCW 10.93.160" in check
    tab.scoring.save_sheet_button.click()  # refused by the domain, in words
    assert dialogs["error"]


def test_a_pin_protected_sheet_stays_closed_on_the_shared_laptop(
    qtbot: Any, demo_ctx: Any, dialogs: dict[str, list[Any]],
) -> None:
    """Fisk sets a PIN when she opens her sheet; whoever picks her name afterwards sees nothing
    of it, cannot save, submit, export or reopen it, until the PIN is typed. The coordinator's
    reset needs a reason."""
    tab = _make(qtbot, demo_ctx)
    rid = _round_id("Ridgeline")
    tab.select_round(rid)
    tab.pages.setCurrentIndex(1)
    _pick(tab, "Lt. Karen Fisk")
    assert tab.scoring.pin_bar.isVisibleTo(tab) and tab.scoring.pin_button.text() == "Set PIN"
    mine = [tab.scoring.sheet_model.row(r).value for r in range(tab.scoring.sheet_model.rowCount())]
    assert sum(v is not None for v in mine) == 3
    tab.scoring.pin_edit.setText("4821")
    tab.scoring.pin_repeat_edit.setText("4812")
    tab.scoring.pin_button.click()
    assert dialogs["error"] and "do not match" in str(dialogs["error"][-1])
    tab.scoring.pin_edit.setText("4821")
    tab.scoring.pin_repeat_edit.setText("4821")
    tab.scoring.pin_button.click()
    assert hiring.list_panelists(rid)[1].has_pin
    assert tab.scoring.sheet_model.editable and not tab.scoring.pin_bar.isVisibleTo(tab)  # still her sheet
    # Someone else picks her name.
    _pick(tab, "Omar Haddad")
    _pick(tab, "Lt. Karen Fisk")
    assert tab.scoring.viewer_combo.currentText() == "Lt. Karen Fisk (PIN)"
    assert tab.scoring.sheet_model.rowCount() == 0 and tab.scores_shown() == []
    assert "protected by a PIN" in tab.scoring.blind_label.text()
    assert tab.scoring.pin_bar.isVisibleTo(tab) and tab.scoring.pin_button.text() == "Open sheet"
    assert not tab.scoring.pin_repeat_edit.isVisibleTo(tab)
    for button in (tab.scoring.save_sheet_button, tab.scoring.submit_button, tab.scoring.reopen_button,
                   tab.scoring.print_button, tab.scoring.export_sheet_button):
        assert not button.isEnabled(), button.text()
    tab.scoring.pin_edit.setText("1111")
    tab.scoring.pin_button.click()
    assert "not the PIN" in str(dialogs["error"][-1])
    assert tab.scoring.sheet_model.rowCount() == 0 and tab.scores_shown() == []
    # Letters cannot even be typed.
    tab.scoring.pin_edit.clear()
    qtbot.keyClicks(tab.scoring.pin_edit, "ab48")
    assert tab.scoring.pin_edit.text() == "48"
    tab.scoring.pin_edit.setText("4821")
    qtbot.keyClick(tab.scoring.pin_edit, Qt.Key.Key_Return)
    assert tab.scoring.sheet_model.editable and tab.scoring.sheet_model.rowCount() == 12
    assert sum(tab.scoring.sheet_model.row(r).value is not None for r in range(12)) == 3
    tab.scoring.sheet_model.set_value(5, HiringSheetTableModel.COL_SCORE, 3)
    tab.scoring.save_sheet_button.click()
    assert len(dialogs["error"]) == 2  # saved with the PIN
    # The coordinator resets it (reason asked), and the sheet offers a new PIN.
    _pick(tab, "— pick")
    tab.pages.setCurrentIndex(0)
    fisk_row = next(r for r in range(tab.setup.panel_model.rowCount())
                    if tab.setup.panel_model.item(r).name == "Lt. Karen Fisk")
    tab.setup.panel_view.selectRow(fisk_row)
    assert tab.setup.reset_pin_button.isEnabled()
    tab.setup.reset_pin_button.click()
    assert dialogs["reason"] == [1]
    assert not hiring.list_panelists(rid)[1].has_pin
