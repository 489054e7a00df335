"""Hiring repository: it only persists (audited, atomic); the rules are in domain.hiring_rules and
are tested there and through the services (tests/services/test_hiring_workflow.py)."""

from __future__ import annotations

import json

import pytest

from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.hiring import (
    Candidate,
    HiringRound,
    Panelist,
    Question,
    RoundStatus,
    Score,
    ScoreEntry,
)
from sro_desk.store import hiring_repo as repo
from sro_desk.store.audit import verify_audit_chain


def _setup(n_panel: int = 2, n_cand: int = 2, n_q: int = 2) -> tuple[int, list[int], list[int], list[int]]:
    r = repo.save_round(HiringRound(None, "SRO, Sequim High School", "Sequim PD", "Sequim HS"))
    assert r.id is not None
    panel = [repo.save_panelist(Panelist(None, r.id, f"Panelist {i}", "District",
                                         district_voting=i == 1)).id for i in range(1, n_panel + 1)]
    cands = [repo.save_candidate(Candidate(None, r.id, f"Candidate {i}")).id
             for i in range(1, n_cand + 1)]
    qs = [repo.save_question(Question(None, r.id, 0, f"Question {i}", "De-escalation")).id
          for i in range(1, n_q + 1)]
    return r.id, panel, cands, qs  # type: ignore[return-value]


def _fill(panelist: int, cands: list[int], qs: list[int], value: int = 3) -> list[Score]:
    return [Score(panelist, c, q, value, justification="because") for c in cands for q in qs]


def test_scored_people_cannot_be_deleted(db: object) -> None:
    rid, panel, cands, qs = _setup()
    repo.save_scores(panel[0], _fill(panel[0], cands, qs))
    with pytest.raises(RuleViolation, match="hiring score"):
        repo.delete_candidate(cands[0])
    with pytest.raises(RuleViolation):
        repo.delete_round(rid)
    empty = repo.save_round(HiringRound(None, "SRO, Kent", "Kent PD", ""))
    assert empty.id is not None
    repo.delete_round(empty.id)
    assert [r.id for r in repo.list_rounds()] == [rid]


def test_extreme_justification_setting(db: object) -> None:
    _rid, panel, cands, qs = _setup()
    repo.set_require_justification(False, reason="Panel agreed to comments only")
    assert repo.save_scores(panel[0], [Score(panel[0], cands[0], qs[0], 5)]) == 1


def test_migrations_0004_and_0007_match_the_live_records(db: object) -> None:
    from playhouse.schema_diff import diff_models

    from sro_desk.store import hiring_records
    from sro_desk.store.database import current_database

    models = [getattr(hiring_records, n) for n in dir(hiring_records)
              if n.startswith("Hiring") and n.endswith("Record")]
    assert len(models) == 9  # 0004's eight tables and 0007's sheet PINs
    assert not diff_models(current_database(), models)


def test_anchors_that_repeat_their_level_read_back_without_it(db: object) -> None:
    """Rounds saved with the old default anchors ("Awareness: names…") show each level once:
    the repository hands back the anchor without the copy of its level's name, and saves so."""
    from sro_desk.store.hiring_records import HiringQuestionRecord

    rid, _panel, _cands, qs = _setup(n_q=1)
    old = ["Awareness: names the topic.", "2 Basic: thin example.", "Intermediate - concrete.",
           "Advanced of the field: stays.", "Expert: teaches others."]
    HiringQuestionRecord.update(anchors=json.dumps(old)).where(
        HiringQuestionRecord.id == qs[0]).execute()
    question = repo.list_questions(rid)[0]
    assert question.anchors == ("Names the topic.", "Thin example.", "Concrete.",
                                "Advanced of the field: stays.", "Teaches others.")
    repo.save_question(question)
    stored = json.loads(HiringQuestionRecord.get_by_id(qs[0]).anchors)
    assert stored == list(question.anchors)


def test_the_repository_persists_without_judging(db: object) -> None:
    """What the services would refuse, the repository stores as told: it is not the rule's home."""
    rid, panel, cands, qs = _setup()
    repo.save_scores(panel[0], _fill(panel[0], cands, qs))
    repo.mark_submitted(panel[0])
    assert repo.get_panelist(panel[0]).submitted
    # no reason, sheet submitted: persisted anyway (services.hiring.save_scores refuses this)
    assert repo.save_scores(panel[0], [Score(panel[0], cands[0], qs[0], 4)]) == 1
    scores = [Score(panel[1], c, q, 3, entry=ScoreEntry.SHEET) for c in cands for q in qs]
    assert repo.find_sheet_import(rid, "abc") is None
    repo.import_sheet(rid, panel[1], "sheet-1", "abc", "ana.xlsx", scores)
    assert repo.find_sheet_import(rid, "abc") is not None
    assert repo.get_panelist(panel[1]).submitted
    revealed = repo.mark_revealed(rid, RoundStatus.SCORING_CLOSED)
    assert revealed.revealed and revealed.status is RoundStatus.SCORING_CLOSED
    assert verify_audit_chain() is None
