"""Hiring rounds read as domain objects and written through audited, validated saves.

The repository enforces the rules that protect the record: a submitted sheet changes only with a
written reason (kept in the audit trail), scores are validated before they are stored, and a sheet
import is written in one transaction or not at all. *Who may see* scores is the services' job
(``services.hiring.visible_round``); this layer returns what is stored.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from sro_desk import clock
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
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
    change_after_submission_problems,
    normalize_anchors,
    reveal_problems,
    sheet_gaps,
    validate_candidate,
    validate_consensus,
    validate_decision,
    validate_panelist,
    validate_question,
    validate_round,
    validate_score,
)
from sro_desk.domain.hiring_pin import (
    MAX_FAILED_ATTEMPTS,
    PinHash,
    PinRefused,
    hash_pin,
    locked_message,
    pin_matches,
    pin_problems,
)
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
    problems = validate_round(item)
    if problems:
        raise ValidationError(problems)
    fields: dict[str, Any] = {
        "position": item.position.strip(), "agency": item.agency.strip(),
        "building": item.building.strip(), "start_date": item.start_date,
        "end_date": item.end_date, "notes": item.notes,
    }
    if item.id is None:
        return _round(audited_create(HiringRoundRecord, status=item.status.value, **fields))
    row = _round_row(item.id)
    return _round(audited_update(row, **fields))


def set_status(round_id: int, status: RoundStatus, *, reason: str = "") -> HiringRound:
    row = _round_row(round_id)
    if status is RoundStatus.DECIDED and decision_for(round_id) is None:
        raise RuleViolation("Record the district's decision before marking the round decided.")
    return _round(audited_update(row, status=status.value, reason=reason))


def delete_round(round_id: int) -> None:
    """Only an empty round can go; once anyone is on it, it is part of the hiring record."""
    row = _round_row(round_id)
    audited_delete(row)


def reveal(round_id: int) -> HiringRound:
    """The coordinator reveals results; refused until every panelist has submitted."""
    item = get_round(round_id)
    problems = reveal_problems(item, list_panelists(round_id), list_candidates(round_id),
                               list_questions(round_id))
    if problems:
        raise RuleViolation("Results cannot be revealed yet: " + "; ".join(problems) + ".")
    row = _round_row(round_id)
    fields: dict[str, Any] = {"revealed_at": _now()}
    if item.status in (RoundStatus.PLANNING, RoundStatus.INTERVIEWING):
        fields["status"] = RoundStatus.SCORING_CLOSED.value
    return _round(audited_update(row, **fields))


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


def get_panelist(panelist_id: int) -> Panelist:
    row = HiringPanelistRecord.get_or_none(HiringPanelistRecord.id == panelist_id)
    if row is None:
        raise NotFound(f"Panelist {panelist_id} does not exist.")
    return _panelist(row)


def save_panelist(item: Panelist) -> Panelist:
    if item.round_id is None:
        raise ValidationError("A panelist belongs to a hiring round")
    hiring_round = get_round(item.round_id)
    problems = validate_panelist(item, list_panelists(item.round_id))
    if problems:
        raise ValidationError(problems)
    fields: dict[str, Any] = {
        "name": item.name.strip(), "organization": item.organization.strip(),
        "role": item.role.strip(), "district_voting": item.district_voting,
    }
    if item.id is None:
        if hiring_round.revealed:
            raise RuleViolation("Results are revealed; the panel can no longer change.")
        return _panelist(audited_create(HiringPanelistRecord, round=item.round_id, **fields))
    row = HiringPanelistRecord.get_or_none(HiringPanelistRecord.id == item.id)
    if row is None:
        raise NotFound(f"Panelist {item.id} does not exist.")
    return _panelist(audited_update(row, **fields))


def delete_panelist(panelist_id: int) -> None:
    row = HiringPanelistRecord.get_or_none(HiringPanelistRecord.id == panelist_id)
    if row is None:
        raise NotFound(f"Panelist {panelist_id} does not exist.")
    with database_proxy.atomic():
        pin = _pin_row(panelist_id)
        if pin is not None:  # part of the panelist; removed with them, on the record
            audited_delete(pin, reason="panelist removed")
        audited_delete(row)


# ---------------------------------------------------------------- sheet PINs


def _pin_row(panelist_id: int) -> HiringPanelistPinRecord | None:
    return HiringPanelistPinRecord.get_or_none(HiringPanelistPinRecord.panelist == panelist_id)


def has_pin(panelist_id: int) -> bool:
    return _pin_row(panelist_id) is not None


def set_pin(panelist_id: int, pin: str, repeated: str) -> Panelist:
    """The panelist protects their own sheet. Refused when a PIN is already set: only the
    coordinator's audited reset clears it (nobody can take over a sheet by setting a new PIN)."""
    panelist = get_panelist(panelist_id)
    if _pin_row(panelist_id) is not None:
        raise RuleViolation(f"{panelist.name}'s sheet already has a PIN. If it is forgotten, the "
                            "coordinator can reset it (with a reason kept in the audit trail).")
    problems = pin_problems(pin, repeated)
    if problems:
        raise ValidationError(problems)
    hashed = hash_pin(pin)
    audited_create(HiringPanelistPinRecord, panelist=panelist_id, salt=hashed.salt,
                   digest=hashed.digest, iterations=hashed.iterations,
                   reason="sheet PIN set by the panelist")
    return get_panelist(panelist_id)


def check_pin(panelist_id: int, pin: str) -> bool:
    """Whether ``pin`` opens the panelist's sheet: ``True`` when no PIN is set or it matches.

    A wrong PIN is counted (and audited); after ``MAX_FAILED_ATTEMPTS`` in a row the sheet stays
    locked, even to the right PIN, until the coordinator resets it. Raises ``PinRefused`` with
    the reason for a wrong PIN or a locked sheet; an empty PIN is not counted, just ``False``."""
    row = _pin_row(panelist_id)
    if row is None:
        return True
    name = get_panelist(panelist_id).name
    if row.failed_attempts >= MAX_FAILED_ATTEMPTS:
        raise PinRefused(locked_message(name))
    if not pin:
        return False
    stored = PinHash(bytes(row.salt), bytes(row.digest), row.iterations)
    if pin_matches(pin, stored):
        if row.failed_attempts:
            audited_update(row, failed_attempts=0, reason="right PIN entered")
        return True
    failed = row.failed_attempts + 1
    audited_update(row, failed_attempts=failed, reason="wrong PIN entered")
    if failed >= MAX_FAILED_ATTEMPTS:
        raise PinRefused(locked_message(name))
    left = MAX_FAILED_ATTEMPTS - failed
    raise PinRefused(f"That is not the PIN of {name}'s sheet. {left} more wrong "
                     f"PIN{'s' if left != 1 else ''} and the sheet locks until the coordinator "
                     "resets it.")


def reset_pin(panelist_id: int, *, reason: str) -> Panelist:
    """The coordinator clears a forgotten PIN (or unlocks a locked sheet): needs a written reason,
    kept in the audit trail. The panelist then sets a new PIN when they next open the sheet."""
    panelist = get_panelist(panelist_id)
    if not reason.strip():
        raise ValidationError("Give the reason for resetting the PIN (kept in the audit trail)")
    row = _pin_row(panelist_id)
    if row is None:
        raise RuleViolation(f"{panelist.name}'s sheet has no PIN to reset.")
    audited_delete(row, reason=reason.strip())
    return get_panelist(panelist_id)


# ---------------------------------------------------------------- questions


def list_questions(round_id: int) -> list[Question]:
    query = HiringQuestionRecord.select().where(HiringQuestionRecord.round == round_id)
    return [_question(r) for r in query.order_by(HiringQuestionRecord.position,
                                                  HiringQuestionRecord.id)]


def _scores_exist(round_id: int) -> bool:
    return (
        HiringScoreRecord.select()
        .join(HiringPanelistRecord)
        .where(HiringPanelistRecord.round == round_id)
        .exists()
    )


def save_question(item: Question) -> Question:
    if item.round_id is None:
        raise ValidationError("A question belongs to a hiring round")
    get_round(item.round_id)
    problems = validate_question(item)
    if problems:
        raise ValidationError(problems)
    fields: dict[str, Any] = {
        "text": item.text.strip(), "competency": item.competency.strip(),
        "provided_by": item.provided_by.value, "weight": str(item.weight.normalize()),
        "weight_reason": item.weight_reason.strip(),
        "anchors": json.dumps(list(normalize_anchors(item.anchors))),
    }
    if item.id is None:
        if _scores_exist(item.round_id):
            raise RuleViolation(
                "Scoring has started; every candidate must get the same questions, so no question "
                "can be added now."
            )
        last = (HiringQuestionRecord.select(HiringQuestionRecord.position)
                .where(HiringQuestionRecord.round == item.round_id)
                .order_by(HiringQuestionRecord.position.desc()).first())
        position = (last.position + 1) if last else 1
        return _question(audited_create(HiringQuestionRecord, round=item.round_id,
                                        position=position, **fields))
    row = HiringQuestionRecord.get_or_none(HiringQuestionRecord.id == item.id)
    if row is None:
        raise NotFound(f"Question {item.id} does not exist.")
    changes_meaning = (row.weight != fields["weight"] or row.text != fields["text"])
    if changes_meaning and _scores_exist(item.round_id):
        raise RuleViolation(
            "Scoring has started; the question's wording and weight are fixed so every candidate "
            "was scored on the same thing."
        )
    return _question(audited_update(row, **fields))


def move_question(question_id: int, offset: int) -> list[Question]:
    """Swap a question with its neighbour; refused once scoring has started."""
    row = HiringQuestionRecord.get_or_none(HiringQuestionRecord.id == question_id)
    if row is None:
        raise NotFound(f"Question {question_id} does not exist.")
    round_id = row.__data__["round"]
    if _scores_exist(round_id):
        raise RuleViolation("Scoring has started; the order of questions is fixed.")
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
    row = HiringQuestionRecord.get_or_none(HiringQuestionRecord.id == question_id)
    if row is None:
        raise NotFound(f"Question {question_id} does not exist.")
    audited_delete(row)


# ---------------------------------------------------------------- candidates


def list_candidates(round_id: int) -> list[Candidate]:
    query = HiringCandidateRecord.select().where(HiringCandidateRecord.round == round_id)
    return [_candidate(r) for r in query.order_by(HiringCandidateRecord.id)]


def save_candidate(item: Candidate) -> Candidate:
    if item.round_id is None:
        raise ValidationError("A candidate belongs to a hiring round")
    get_round(item.round_id)
    problems = validate_candidate(item, list_candidates(item.round_id))
    if problems:
        raise ValidationError(problems)
    fields: dict[str, Any] = {
        "name": item.name.strip(), "current_assignment": item.current_assignment.strip(),
        "screening_passed": item.screening_passed, "notes": item.notes,
    }
    if item.id is None:
        return _candidate(audited_create(HiringCandidateRecord, round=item.round_id, **fields))
    row = HiringCandidateRecord.get_or_none(HiringCandidateRecord.id == item.id)
    if row is None:
        raise NotFound(f"Candidate {item.id} does not exist.")
    return _candidate(audited_update(row, **fields))


def delete_candidate(candidate_id: int) -> None:
    row = HiringCandidateRecord.get_or_none(HiringCandidateRecord.id == candidate_id)
    if row is None:
        raise NotFound(f"Candidate {candidate_id} does not exist.")
    audited_delete(row)


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


def _check_membership(panelist: Panelist, scores: Iterable[Score]) -> None:
    round_id = panelist.round_id
    assert round_id is not None
    cand_ids = {c.id for c in list_candidates(round_id)}
    q_ids = {q.id for q in list_questions(round_id)}
    for s in scores:
        if s.panelist_id != panelist.id:
            raise RuleViolation("A sheet may hold only its own panelist's scores.")
        if s.candidate_id not in cand_ids or s.question_id not in q_ids:
            raise RuleViolation("A score names a candidate or question from another round.")


def save_scores(
    panelist_id: int, scores: Sequence[Score], *, reason: str = "",
) -> int:
    """Store one panelist's scores in one transaction; returns how many changed.

    Refused whole, with every problem listed, when any score breaks a rule or the sheet was
    already submitted and no reason is given.
    """
    panelist = get_panelist(panelist_id)
    _check_membership(panelist, scores)
    settings = scoring_settings()
    problems: list[str] = []
    for s in scores:
        problems.extend(validate_score(s, settings))
    problems.extend(change_after_submission_problems(panelist.submitted, reason))
    if problems:
        raise ValidationError(problems)
    existing = {
        (r.__data__["candidate"], r.__data__["question"]): r
        for r in HiringScoreRecord.select().where(HiringScoreRecord.panelist == panelist_id)
    }
    changed = 0
    with database_proxy.atomic():
        for s in scores:
            fields: dict[str, Any] = {
                "value": s.value, "comment": s.comment.strip(),
                "justification": s.justification.strip(), "entry": s.entry.value,
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


def submit_sheet(panelist_id: int) -> Panelist:
    """Mark a panelist's sheet submitted; refused, listing every gap, while it is incomplete."""
    panelist = get_panelist(panelist_id)
    if panelist.submitted:
        return panelist
    assert panelist.round_id is not None
    gaps = sheet_gaps(panelist_id, list_candidates(panelist.round_id),
                      list_questions(panelist.round_id), list_panelist_scores(panelist_id),
                      scoring_settings())
    if gaps:
        raise ValidationError([g.message for g in gaps])
    row = HiringPanelistRecord.get_by_id(panelist_id)
    return _panelist(audited_update(row, submitted_at=_now()))


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
        row = HiringPanelistRecord.get_by_id(panelist_id)
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
    problems = validate_consensus(item)
    if problems:
        raise ValidationError(problems)
    if HiringCandidateRecord.get_or_none(HiringCandidateRecord.id == item.candidate_id) is None:
        raise NotFound(f"Candidate {item.candidate_id} does not exist.")
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
    if item.round_id is None:
        raise ValidationError("A decision belongs to a hiring round")
    hiring_round = get_round(item.round_id)
    problems = validate_decision(item, [c.id for c in list_candidates(item.round_id)
                                        if c.id is not None])
    if not hiring_round.revealed:
        problems.insert(0, "Reveal the panel's results before recording the decision")
    if problems:
        raise ValidationError(problems)
    fields: dict[str, Any] = {
        "kind": item.kind.value, "candidate": item.candidate_id,
        "rationale": item.rationale.strip(), "outcome": item.outcome.strip(),
        "decided_on": item.decided_on,
    }
    row = HiringDecisionRecord.get_or_none(HiringDecisionRecord.round == item.round_id)
    if row is None:
        audited_create(HiringDecisionRecord, round=item.round_id, **fields)
    else:
        audited_update(row, **fields)
    decision = decision_for(item.round_id)
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

