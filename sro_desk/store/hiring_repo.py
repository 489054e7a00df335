"""Hiring rounds read as domain objects and written through audited saves.

This layer only persists: every rule of the workflow (a submitted sheet changes only with a
written reason, scores are valid, the panel is fixed after the reveal, ...) is a pure check in
``domain.hiring_rules`` that ``services.hiring`` runs before calling here. *Who may see* scores is
the services' job too (``services.hiring.round_view``); this layer returns what is stored. A sheet
import is written in one transaction or not at all.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from sro_desk import clock
from sro_desk.domain.errors import NotFound
from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    QuestionSource,
    RoundSnapshot,
    RoundStatus,
    Score,
    ScoreEntry,
    ScoringSettings,
    normalize_anchors,
)
from sro_desk.domain.hiring_pin import PinHash
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.base import database_proxy
from sro_desk.store.hiring_records import (
    HiringCandidateRecord,
    HiringConsensusRecord,
    HiringDecisionRecord,
    HiringPanelistPinRecord,
    HiringPanelistRecord,
    HiringQuestionRecord,
    HiringRoundRecord,
    HiringScoreRecord,
    HiringSheetImportRecord,
)
from sro_desk.store.settings import get_setting, set_setting

REQUIRE_JUSTIFICATION_KEY = "hiring.require_extreme_justification"


def _now() -> dt.datetime:
    return clock.now()


def scoring_settings() -> ScoringSettings:
    return ScoringSettings(
        require_extreme_justification=bool(get_setting(REQUIRE_JUSTIFICATION_KEY, True))
    )


def set_require_justification(required: bool, *, reason: str = "") -> None:
    set_setting(REQUIRE_JUSTIFICATION_KEY, bool(required), reason=reason)


# ---------------------------------------------------------------- conversions


def _round(row: HiringRoundRecord) -> HiringRound:
    return HiringRound(
        id=row.id, position=row.position, agency=row.agency, building=row.building,
        start_date=row.start_date, end_date=row.end_date, status=RoundStatus(row.status),
        revealed_at=row.revealed_at, notes=row.notes,
    )


def _panelist(row: HiringPanelistRecord, has_pin: bool | None = None) -> Panelist:
    if has_pin is None:
        has_pin = _pin_row(row.id) is not None
    return Panelist(
        id=row.id, round_id=row.__data__["round"], name=row.name, organization=row.organization,
        role=row.role, district_voting=bool(row.district_voting), submitted_at=row.submitted_at,
        has_pin=has_pin,
    )


def _question(row: HiringQuestionRecord) -> Question:
    return Question(
        id=row.id, round_id=row.__data__["round"], position=row.position, text=row.text,
        competency=row.competency, provided_by=QuestionSource(row.provided_by),
        weight=Decimal(row.weight), weight_reason=row.weight_reason,
        anchors=normalize_anchors(json.loads(row.anchors)),
    )


def _candidate(row: HiringCandidateRecord) -> Candidate:
    return Candidate(
        id=row.id, round_id=row.__data__["round"], name=row.name,
        current_assignment=row.current_assignment, screening_passed=row.screening_passed,
        notes=row.notes,
    )


def _score(row: HiringScoreRecord) -> Score:
    return Score(
        panelist_id=row.__data__["panelist"], candidate_id=row.__data__["candidate"],
        question_id=row.__data__["question"], value=row.value, comment=row.comment,
        justification=row.justification, entry=ScoreEntry(row.entry),
    )


# ---------------------------------------------------------------- rounds


def _round_row(round_id: int) -> HiringRoundRecord:
    row = HiringRoundRecord.get_or_none(HiringRoundRecord.id == round_id)
    if row is None:
        raise NotFound(f"Hiring round {round_id} does not exist.")
    return row


def list_rounds() -> list[HiringRound]:
    query = HiringRoundRecord.select().order_by(
        HiringRoundRecord.start_date.desc(nulls="first"), HiringRoundRecord.id.desc()
    )
    return [_round(r) for r in query]


def get_round(round_id: int) -> HiringRound:
    return _round(_round_row(round_id))


def save_round(item: HiringRound) -> HiringRound:
    fields: dict[str, Any] = {
        "position": item.position.strip(), "agency": item.agency.strip(),
        "building": item.building.strip(), "start_date": item.start_date,
        "end_date": item.end_date, "notes": item.notes,
    }
    if item.id is None:
        return _round(audited_create(HiringRoundRecord, status=RoundStatus(item.status).value,
                                     **fields))
    row = _round_row(item.id)
    return _round(audited_update(row, **fields))


def set_status(round_id: int, status: RoundStatus, *, reason: str = "") -> HiringRound:
    row = _round_row(round_id)
    return _round(audited_update(row, status=RoundStatus(status).value, reason=reason))


def delete_round(round_id: int) -> None:
    """Only an empty round can go: the audit layer refuses while anyone is on it."""
    row = _round_row(round_id)
    audited_delete(row)


def mark_revealed(round_id: int, status: RoundStatus) -> HiringRound:
    row = _round_row(round_id)
    return _round(audited_update(row, revealed_at=_now(), status=RoundStatus(status).value))


# ---------------------------------------------------------------- panelists


def list_panelists(round_id: int) -> list[Panelist]:
    query = HiringPanelistRecord.select().where(HiringPanelistRecord.round == round_id)
    rows = list(query.order_by(HiringPanelistRecord.id))
    protected = {
        r.__data__["panelist"] for r in HiringPanelistPinRecord.select(
            HiringPanelistPinRecord.panelist).where(
            HiringPanelistPinRecord.panelist.in_([row.id for row in rows]))
    }
    return [_panelist(r, r.id in protected) for r in rows]


def _panelist_row(panelist_id: int) -> HiringPanelistRecord:
    row = HiringPanelistRecord.get_or_none(HiringPanelistRecord.id == panelist_id)
    if row is None:
        raise NotFound(f"Panelist {panelist_id} does not exist.")
    return row


def get_panelist(panelist_id: int) -> Panelist:
    return _panelist(_panelist_row(panelist_id))


def save_panelist(item: Panelist) -> Panelist:
    fields: dict[str, Any] = {
        "name": item.name.strip(), "organization": item.organization.strip(),
        "role": item.role.strip(), "district_voting": item.district_voting,
    }
    if item.id is None:
        return _panelist(audited_create(HiringPanelistRecord, round=item.round_id, **fields))
    return _panelist(audited_update(_panelist_row(item.id), **fields))


def delete_panelist(panelist_id: int) -> None:
    row = _panelist_row(panelist_id)
    with database_proxy.atomic():
        pin = _pin_row(panelist_id)
        if pin is not None:  # part of the panelist; removed with them, on the record
            audited_delete(pin, reason="panelist removed")
        audited_delete(row)


def mark_submitted(panelist_id: int, *, reason: str = "") -> Panelist:
    return _panelist(audited_update(_panelist_row(panelist_id), submitted_at=_now(),
                                    reason=reason))


# ---------------------------------------------------------------- sheet PINs


def _pin_row(panelist_id: int) -> HiringPanelistPinRecord | None:
    return HiringPanelistPinRecord.get_or_none(HiringPanelistPinRecord.panelist == panelist_id)


def has_pin(panelist_id: int) -> bool:
    return _pin_row(panelist_id) is not None


def stored_pin(panelist_id: int) -> tuple[PinHash, int] | None:
    """The sheet PIN's salted digest and its count of wrong PINs in a row; ``None``: no PIN."""
    row = _pin_row(panelist_id)
    if row is None:
        return None
    return PinHash(bytes(row.salt), bytes(row.digest), row.iterations), row.failed_attempts


def store_pin(panelist_id: int, hashed: PinHash) -> None:
    audited_create(HiringPanelistPinRecord, panelist=panelist_id, salt=hashed.salt,
                   digest=hashed.digest, iterations=hashed.iterations,
                   reason="sheet PIN set by the panelist")


def set_failed_attempts(panelist_id: int, count: int, *, reason: str) -> None:
    row = _pin_row(panelist_id)
    if row is not None and row.failed_attempts != count:
        audited_update(row, failed_attempts=count, reason=reason)


def delete_pin(panelist_id: int, *, reason: str) -> None:
    row = _pin_row(panelist_id)
    if row is not None:
        audited_delete(row, reason=reason)


# ---------------------------------------------------------------- questions


def list_questions(round_id: int) -> list[Question]:
    query = HiringQuestionRecord.select().where(HiringQuestionRecord.round == round_id)
    return [_question(r) for r in query.order_by(HiringQuestionRecord.position,
                                                  HiringQuestionRecord.id)]


def _question_row(question_id: int) -> HiringQuestionRecord:
    row = HiringQuestionRecord.get_or_none(HiringQuestionRecord.id == question_id)
    if row is None:
        raise NotFound(f"Question {question_id} does not exist.")
    return row


def get_question(question_id: int) -> Question:
    return _question(_question_row(question_id))


def scores_exist(round_id: int) -> bool:
    """Has anyone stored a score in this round (scoring has started)?"""
    return (
        HiringScoreRecord.select()
        .join(HiringPanelistRecord)
        .where(HiringPanelistRecord.round == round_id)
        .exists()
    )


def save_question(item: Question) -> Question:
    """A new question goes last in the round's order."""
    fields: dict[str, Any] = {
        "text": item.text.strip(), "competency": item.competency.strip(),
        "provided_by": QuestionSource(item.provided_by).value,
        "weight": str(item.weight.normalize()),
        "weight_reason": item.weight_reason.strip(),
        "anchors": json.dumps(list(normalize_anchors(item.anchors))),
    }
    if item.id is None:
        last = (HiringQuestionRecord.select(HiringQuestionRecord.position)
                .where(HiringQuestionRecord.round == item.round_id)
                .order_by(HiringQuestionRecord.position.desc()).first())
        position = (last.position + 1) if last else 1
        return _question(audited_create(HiringQuestionRecord, round=item.round_id,
                                        position=position, **fields))
    return _question(audited_update(_question_row(item.id), **fields))


def move_question(question_id: int, offset: int) -> list[Question]:
    """Swap a question with its neighbour (nothing happens at either end)."""
    row = _question_row(question_id)
    round_id = row.__data__["round"]
    ordered = list(HiringQuestionRecord.select().where(HiringQuestionRecord.round == round_id)
                   .order_by(HiringQuestionRecord.position, HiringQuestionRecord.id))
    index = next(i for i, r in enumerate(ordered) if r.id == question_id)
    target = index + offset
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
        with database_proxy.atomic():
            for position, item in enumerate(ordered, start=1):
                if item.position != position:
                    audited_update(item, position=position)
    return list_questions(round_id)


def delete_question(question_id: int) -> None:
    audited_delete(_question_row(question_id))


# ---------------------------------------------------------------- candidates


def list_candidates(round_id: int) -> list[Candidate]:
    query = HiringCandidateRecord.select().where(HiringCandidateRecord.round == round_id)
    return [_candidate(r) for r in query.order_by(HiringCandidateRecord.id)]


def _candidate_row(candidate_id: int) -> HiringCandidateRecord:
    row = HiringCandidateRecord.get_or_none(HiringCandidateRecord.id == candidate_id)
    if row is None:
        raise NotFound(f"Candidate {candidate_id} does not exist.")
    return row


def save_candidate(item: Candidate) -> Candidate:
    fields: dict[str, Any] = {
        "name": item.name.strip(), "current_assignment": item.current_assignment.strip(),
        "screening_passed": item.screening_passed, "notes": item.notes,
    }
    if item.id is None:
        return _candidate(audited_create(HiringCandidateRecord, round=item.round_id, **fields))
    return _candidate(audited_update(_candidate_row(item.id), **fields))


def delete_candidate(candidate_id: int) -> None:
    audited_delete(_candidate_row(candidate_id))


# ---------------------------------------------------------------- scores


def list_scores(round_id: int) -> list[Score]:
    """Every stored score of the round. Callers showing scores filter them by ``visibility``."""
    query = (HiringScoreRecord.select().join(HiringPanelistRecord)
             .where(HiringPanelistRecord.round == round_id)
             .order_by(HiringScoreRecord.panelist, HiringScoreRecord.candidate,
                       HiringScoreRecord.question))
    return [_score(r) for r in query]


def list_panelist_scores(panelist_id: int) -> list[Score]:
    query = HiringScoreRecord.select().where(HiringScoreRecord.panelist == panelist_id)
    return [_score(r) for r in query.order_by(HiringScoreRecord.candidate,
                                              HiringScoreRecord.question)]


def save_scores(panelist_id: int, scores: Sequence[Score], *, reason: str = "") -> int:
    """Store one panelist's scores in one transaction; returns how many changed."""
    existing = {
        (r.__data__["candidate"], r.__data__["question"]): r
        for r in HiringScoreRecord.select().where(HiringScoreRecord.panelist == panelist_id)
    }
    changed = 0
    with database_proxy.atomic():
        for s in scores:
            fields: dict[str, Any] = {
                "value": s.value, "comment": s.comment.strip(),
                "justification": s.justification.strip(), "entry": ScoreEntry(s.entry).value,
            }
            row = existing.get((s.candidate_id, s.question_id))
            if row is None:
                audited_create(HiringScoreRecord, panelist=panelist_id, candidate=s.candidate_id,
                               question=s.question_id, reason=reason, **fields)
                changed += 1
            elif any(getattr(row, k) != v for k, v in fields.items()):
                audited_update(row, updated_at=_now(), reason=reason, **fields)
                changed += 1
    return changed


# ---------------------------------------------------------------- sheet imports


def find_sheet_import(round_id: int, content_digest: str) -> dt.datetime | None:
    row = (HiringSheetImportRecord.select()
           .where((HiringSheetImportRecord.round == round_id)
                  & (HiringSheetImportRecord.content_digest == content_digest))
           .order_by(HiringSheetImportRecord.id).first())
    return row.imported_at if row else None


def import_sheet(
    round_id: int, panelist_id: int, sheet_id: str, content_digest: str, filename: str,
    scores: Sequence[Score], *, reason: str = "",
) -> int:
    """Write an accepted sheet: its scores, the submission and the import record, all or none."""
    with database_proxy.atomic():
        changed = save_scores(panelist_id, scores, reason=reason)
        row = _panelist_row(panelist_id)
        if row.submitted_at is None:
            audited_update(row, submitted_at=_now(), reason=f"score sheet {filename}")
        audited_create(HiringSheetImportRecord, round=round_id, panelist=panelist_id,
                       sheet_id=sheet_id, content_digest=content_digest, filename=filename)
    return changed


# ---------------------------------------------------------------- consensus and decision


def list_consensus(round_id: int) -> list[ConsensusScore]:
    query = (HiringConsensusRecord.select().join(HiringCandidateRecord)
             .where(HiringCandidateRecord.round == round_id))
    return [ConsensusScore(r.__data__["candidate"], Decimal(r.value), r.note) for r in query]


def save_consensus(item: ConsensusScore) -> ConsensusScore:
    _candidate_row(item.candidate_id)
    value = str(item.value.normalize())
    row = HiringConsensusRecord.get_or_none(HiringConsensusRecord.candidate == item.candidate_id)
    if row is None:
        audited_create(HiringConsensusRecord, candidate=item.candidate_id, value=value,
                       note=item.note.strip())
    else:
        audited_update(row, value=value, note=item.note.strip())
    return ConsensusScore(item.candidate_id, Decimal(value), item.note.strip())


def decision_for(round_id: int) -> Decision | None:
    row = HiringDecisionRecord.get_or_none(HiringDecisionRecord.round == round_id)
    if row is None:
        return None
    return Decision(round_id, DecisionKind(row.kind), row.__data__["candidate"], row.rationale,
                    row.outcome, row.decided_on)


def save_decision(item: Decision) -> Decision:
    fields: dict[str, Any] = {
        "kind": DecisionKind(item.kind).value, "candidate": item.candidate_id,
        "rationale": item.rationale.strip(), "outcome": item.outcome.strip(),
        "decided_on": item.decided_on,
    }
    row = HiringDecisionRecord.get_or_none(HiringDecisionRecord.round == item.round_id)
    if row is None:
        audited_create(HiringDecisionRecord, round=item.round_id, **fields)
    else:
        audited_update(row, **fields)
    decision = decision_for(item.round_id or 0)
    assert decision is not None
    return decision


# ---------------------------------------------------------------- everything at once


def snapshot(round_id: int) -> RoundSnapshot:
    """The whole round as stored. Not for display before reveal: see services.hiring."""
    return RoundSnapshot(
        round=get_round(round_id),
        panelists=tuple(list_panelists(round_id)),
        questions=tuple(list_questions(round_id)),
        candidates=tuple(list_candidates(round_id)),
        scores=tuple(list_scores(round_id)),
        consensus=tuple(list_consensus(round_id)),
        decision=decision_for(round_id),
    )
