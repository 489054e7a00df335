"""Hiring workflow through the services: every rule (now a domain check that the service runs
before the repository persists) refuses in words, and the audited saves hold."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from sro_desk.domain.errors import ReasonRequired, RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    DEFAULT_ANCHORS,
    Candidate,
    ConsensusScore,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    RoundStatus,
    Score,
    ScoreEntry,
)
from sro_desk.services import hiring as svc
from sro_desk.store import hiring_repo as repo
from sro_desk.store.audit import audit_entries, verify_audit_chain


def _setup(n_panel: int = 2, n_cand: int = 2, n_q: int = 2) -> tuple[int, list[int], list[int], list[int]]:
    r = svc.save_round(HiringRound(None, "SRO, Sequim High School", "Sequim PD", "Sequim HS"))
    assert r.id is not None
    panel = [svc.save_panelist(Panelist(None, r.id, f"Panelist {i}", "District",
                                         district_voting=i == 1)).id for i in range(1, n_panel + 1)]
    cands = [svc.save_candidate(Candidate(None, r.id, f"Candidate {i}")).id
             for i in range(1, n_cand + 1)]
    qs = [svc.save_question(Question(None, r.id, 0, f"Question {i}", "De-escalation")).id
          for i in range(1, n_q + 1)]
    return r.id, panel, cands, qs  # type: ignore[return-value]


def _fill(panelist: int, cands: list[int], qs: list[int], value: int = 3) -> list[Score]:
    return [Score(panelist, c, q, value, justification="because") for c in cands for q in qs]


def test_round_trip_and_question_positions(db: object) -> None:
    rid, _panel, _cands, qs = _setup()
    r = svc.get_round(rid)
    assert r.status is RoundStatus.PLANNING and not r.revealed
    questions = svc.list_questions(rid)
    assert [q.position for q in questions] == [1, 2]
    assert questions[0].anchors == DEFAULT_ANCHORS
    moved = svc.move_question(qs[1], -1)
    assert [q.id for q in moved] == [qs[1], qs[0]]
    weighted = svc.save_question(Question(qs[0], rid, 2, "Question 1", "FERPA",
                                           weight=Decimal("1.50"), weight_reason="District focus"))
    assert weighted.weight == Decimal("1.5")
    with pytest.raises(ValidationError, match="needs a written reason"):
        svc.save_question(Question(qs[0], rid, 2, "Question 1", "FERPA", weight=Decimal(2)))
    assert [p.name for p in svc.list_panelists(rid)] == ["Panelist 1", "Panelist 2"]
    assert verify_audit_chain() is None


def test_scores_are_validated_and_saved_whole(db: object) -> None:
    rid, panel, cands, qs = _setup()
    bad = [Score(panel[0], cands[0], qs[0], 5), Score(panel[0], cands[0], qs[1], 4)]
    with pytest.raises(ValidationError, match="needs a written justification"):
        svc.save_scores(panel[0], bad)
    assert repo.list_scores(rid) == []  # nothing halfway
    assert svc.save_scores(panel[0], _fill(panel[0], cands, qs)) == 4
    assert svc.save_scores(panel[0], _fill(panel[0], cands, qs)) == 0  # unchanged
    with pytest.raises(RuleViolation, match="only its own panelist"):
        svc.save_scores(panel[0], _fill(panel[1], cands, qs))


def test_submit_needs_a_complete_sheet_and_changes_then_need_a_reason(db: object) -> None:
    rid, panel, cands, qs = _setup()
    svc.save_scores(panel[0], _fill(panel[0], cands, qs)[:3])
    with pytest.raises(ValidationError) as err:
        svc.submit_sheet(panel[0])
    assert err.value.problems == ["Candidate 2, question 2: no score yet"]
    svc.save_scores(panel[0], _fill(panel[0], cands, qs))
    assert svc.submit_sheet(panel[0]).submitted
    change = [Score(panel[0], cands[0], qs[0], 4)]
    with pytest.raises(ReasonRequired, match="needs a written reason"):
        svc.save_scores(panel[0], change)
    assert svc.save_scores(panel[0], change, reason="Misread my notes") == 1
    entries = [e for e in audit_entries("HiringScore") if "_reason" in json.loads(e.changes)]
    assert len(entries) == 1
    assert json.loads(entries[0].changes)["_reason"] == "Misread my notes"
    with pytest.raises(RuleViolation, match="no question can be added"):
        svc.save_question(Question(None, rid, 0, "Late question", "FERPA"))
    with pytest.raises(RuleViolation, match="order of questions is fixed"):
        svc.move_question(qs[0], 1)


def test_reveal_waits_for_everyone_and_decision_follows(db: object) -> None:
    rid, panel, cands, qs = _setup()
    for p in panel[:1]:
        svc.save_scores(p, _fill(p, cands, qs))
        svc.submit_sheet(p)
    with pytest.raises(RuleViolation, match=r"Still scoring.*Panelist 2"):
        svc.reveal(rid)
    decision = Decision(rid, DecisionKind.PREFERRED, cands[0], "Strongest answers")
    with pytest.raises(ValidationError, match="Reveal the panel's results"):
        svc.save_decision(decision)
    svc.save_scores(panel[1], _fill(panel[1], cands, qs, 4))
    svc.submit_sheet(panel[1])
    revealed = svc.reveal(rid)
    assert revealed.revealed and revealed.status is RoundStatus.SCORING_CLOSED
    with pytest.raises(RuleViolation, match="Record the district's decision"):
        svc.set_status(rid, RoundStatus.DECIDED)
    saved = svc.save_decision(decision)
    assert saved.candidate_id == cands[0]
    assert svc.set_status(rid, RoundStatus.DECIDED).status is RoundStatus.DECIDED
    svc.save_consensus(ConsensusScore(cands[0], Decimal("3.50"), "Agreed after discussion"))
    snap = repo.snapshot(rid)
    assert snap.consensus[0].value == Decimal("3.5")
    assert snap.decision == saved
    assert len(snap.scores) == 8


def test_sheet_import_is_atomic_and_recorded(db: object) -> None:
    rid, panel, cands, qs = _setup()
    scores = [Score(panel[0], c, q, 3, entry=ScoreEntry.SHEET) for c in cands for q in qs]
    assert repo.find_sheet_import(rid, "abc") is None
    repo.import_sheet(rid, panel[0], "sheet-1", "abc", "ana.xlsx", scores)
    assert repo.find_sheet_import(rid, "abc") is not None
    assert repo.get_panelist(panel[0]).submitted
    assert {s.entry for s in repo.list_scores(rid)} == {ScoreEntry.SHEET}
    # the sheet is now submitted: a second import must say why (typed, not by its wording)
    late = [Score(panel[0], cands[0], qs[0], 2, entry=ScoreEntry.SHEET)]
    with pytest.raises(ReasonRequired):
        svc.check_scores(panel[0], late)
    svc.check_scores(panel[0], late, reason="Corrected sheet")
    assert repo.find_sheet_import(rid, "def") is None


def test_scored_people_cannot_be_deleted(db: object) -> None:
    rid, panel, cands, qs = _setup()
    svc.save_scores(panel[0], _fill(panel[0], cands, qs))
    with pytest.raises(RuleViolation, match="hiring score"):
        svc.delete_candidate(cands[0])
    with pytest.raises(RuleViolation):
        svc.delete_round(rid)
    empty = svc.save_round(HiringRound(None, "SRO, Kent", "Kent PD", ""))
    assert empty.id is not None
    svc.delete_round(empty.id)
    assert [r.id for r in svc.list_rounds()] == [rid]


def test_extreme_justification_setting(db: object) -> None:
    _rid, panel, cands, qs = _setup()
    svc.set_require_justification(False, reason="Panel agreed to comments only")
    assert svc.save_scores(panel[0], [Score(panel[0], cands[0], qs[0], 5)]) == 1
