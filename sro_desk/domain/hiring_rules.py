"""The rules of a hiring round's workflow, as pure checks (issue 17 §2).

Each ``check_*`` raises the refusal in words (``ValidationError``, ``ReasonRequired``,
``RuleViolation``, ``PinRefused``) or returns quietly; ``services.hiring`` calls the check, then
the repository, which only persists. The checks take what they judge as arguments (the round,
its people, whether scoring has started), so they are tested without a database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sro_desk.domain.errors import ReasonRequired, RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Decision,
    HiringRound,
    Panelist,
    Question,
    RoundStatus,
    Score,
    ScoringSettings,
    change_after_submission_problems,
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
    locked_message,
    pin_matches,
    pin_problems,
)


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def _belongs(round_id: int | None, what: str) -> int:
    if round_id is None:
        raise ValidationError(f"A {what} belongs to a hiring round")
    return round_id


# ---------------------------------------------------------------- rounds


def check_round(item: HiringRound) -> None:
    _refuse(validate_round(item))


def check_status_change(status: RoundStatus, has_decision: bool) -> None:
    """A round is marked decided only once the district's decision is recorded."""
    if status is RoundStatus.DECIDED and not has_decision:
        raise RuleViolation("Record the district's decision before marking the round decided.")


def check_reveal(hiring_round: HiringRound, panelists: Iterable[Panelist],
                 candidates: Iterable[Candidate], questions: Iterable[Question]) -> None:
    """The blind rule: results are revealed only when every panelist has submitted."""
    problems = reveal_problems(hiring_round, panelists, candidates, questions)
    if problems:
        raise RuleViolation("Results cannot be revealed yet: " + "; ".join(problems) + ".")


def status_after_reveal(status: RoundStatus) -> RoundStatus:
    """Revealing closes scoring (a later status stays)."""
    if status in (RoundStatus.PLANNING, RoundStatus.INTERVIEWING):
        return RoundStatus.SCORING_CLOSED
    return status


# ---------------------------------------------------------------- panel, questions, candidates


def check_panelist(item: Panelist, hiring_round: HiringRound,
                   others: Iterable[Panelist]) -> None:
    _belongs(item.round_id, "panelist")
    _refuse(validate_panelist(item, others))
    if item.id is None and hiring_round.revealed:
        raise RuleViolation("Results are revealed; the panel can no longer change.")


def check_question(item: Question, stored: Question | None, scoring_started: bool) -> None:
    """Every candidate gets the same questions: none is added, reworded or reweighted once
    scoring has started (``stored`` is the question as saved, ``None`` for a new one)."""
    _belongs(item.round_id, "question")
    _refuse(validate_question(item))
    if not scoring_started:
        return
    if item.id is None:
        raise RuleViolation(
            "Scoring has started; every candidate must get the same questions, so no question "
            "can be added now.")
    if stored is not None and (stored.text.strip() != item.text.strip()
                               or stored.weight.normalize() != item.weight.normalize()):
        raise RuleViolation(
            "Scoring has started; the question's wording and weight are fixed so every "
            "candidate was scored on the same thing.")


def check_question_move(scoring_started: bool) -> None:
    if scoring_started:
        raise RuleViolation("Scoring has started; the order of questions is fixed.")


def check_candidate(item: Candidate, others: Iterable[Candidate]) -> None:
    _belongs(item.round_id, "candidate")
    _refuse(validate_candidate(item, others))


# ---------------------------------------------------------------- scores and sheets


def check_scores(panelist: Panelist, scores: Sequence[Score], candidate_ids: Iterable[int],
                 question_ids: Iterable[int], settings: ScoringSettings, reason: str) -> None:
    """A sheet holds only its own panelist's scores for this round's candidates and questions;
    every score is valid; a submitted sheet changes only with a written reason. Refused whole,
    listing every problem; ``ReasonRequired`` when the reason is all that is missing."""
    cand_ids, q_ids = set(candidate_ids), set(question_ids)
    for s in scores:
        if s.panelist_id != panelist.id:
            raise RuleViolation("A sheet may hold only its own panelist's scores.")
        if s.candidate_id not in cand_ids or s.question_id not in q_ids:
            raise RuleViolation("A score names a candidate or question from another round.")
    problems: list[str] = []
    for s in scores:
        problems.extend(validate_score(s, settings))
    missing_reason = change_after_submission_problems(panelist.submitted, reason)
    if missing_reason and not problems:
        raise ReasonRequired(missing_reason)
    _refuse(problems + missing_reason)


def check_submit(panelist: Panelist, candidates: Iterable[Candidate],
                 questions: Iterable[Question], scores: Iterable[Score],
                 settings: ScoringSettings) -> None:
    """A sheet is submitted only complete: every gap is listed."""
    assert panelist.id is not None
    gaps = sheet_gaps(panelist.id, candidates, questions, scores, settings)
    if gaps:
        raise ValidationError([g.message for g in gaps])


# ---------------------------------------------------------------- sheet PINs


def check_new_pin(panelist: Panelist, pin: str, repeated: str) -> None:
    """The panelist sets their own PIN once; only the coordinator's audited reset clears it
    (nobody can take over a sheet by setting a new PIN)."""
    if panelist.has_pin:
        raise RuleViolation(f"{panelist.name}'s sheet already has a PIN. If it is forgotten, the "
                            "coordinator can reset it (with a reason kept in the audit trail).")
    _refuse(pin_problems(pin, repeated))


def check_pin_reset(panelist: Panelist, reason: str) -> str:
    """The coordinator's reset needs a written reason; returns it, trimmed."""
    if not reason.strip():
        raise ValidationError("Give the reason for resetting the PIN (kept in the audit trail)")
    if not panelist.has_pin:
        raise RuleViolation(f"{panelist.name}'s sheet has no PIN to reset.")
    return reason.strip()


@dataclass(frozen=True, slots=True)
class PinAttempt:
    """What a typed PIN did: whether it opens the sheet, the wrong-PIN count to store, and the
    refusal to raise (after the count is stored) when it does not open it."""

    opens: bool
    failed_attempts: int
    refusal: PinRefused | None = None

    @property
    def count_changed(self) -> bool:
        return self.refusal is not None or self.opens


def judge_pin(name: str, stored: PinHash, failed_attempts: int, pin: str) -> PinAttempt:
    """A wrong PIN is counted; after ``MAX_FAILED_ATTEMPTS`` in a row the sheet stays locked,
    even to the right PIN, until the coordinator resets it. An empty PIN is not counted."""
    if failed_attempts >= MAX_FAILED_ATTEMPTS:
        return PinAttempt(False, failed_attempts, PinRefused(locked_message(name)))
    if not pin:
        return PinAttempt(False, failed_attempts)
    if pin_matches(pin, stored):
        return PinAttempt(True, 0)
    failed = failed_attempts + 1
    if failed >= MAX_FAILED_ATTEMPTS:
        return PinAttempt(False, failed, PinRefused(locked_message(name)))
    left = MAX_FAILED_ATTEMPTS - failed
    return PinAttempt(False, failed, PinRefused(
        f"That is not the PIN of {name}'s sheet. {left} more wrong PIN{'s' if left != 1 else ''} "
        "and the sheet locks until the coordinator resets it."))


# ---------------------------------------------------------------- consensus and decision


def check_consensus(item: ConsensusScore) -> None:
    _refuse(validate_consensus(item))


def check_decision(item: Decision, hiring_round: HiringRound,
                   candidate_ids: Iterable[int]) -> None:
    _belongs(item.round_id, "decision")
    problems = validate_decision(item, candidate_ids)
    if not hiring_round.revealed:
        problems.insert(0, "Reveal the panel's results before recording the decision")
    _refuse(problems)
