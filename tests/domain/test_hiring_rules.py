"""The hiring workflow's rules as pure checks: no database, no window."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sro_desk.domain import hiring_rules as rules
from sro_desk.domain.errors import ReasonRequired, RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    Candidate,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    RoundStatus,
    Score,
    ScoringSettings,
)
from sro_desk.domain.hiring_pin import MAX_FAILED_ATTEMPTS, PinRefused, hash_pin

OPEN = HiringRound(1, "SRO, Sequim High School", "Sequim PD", "Sequim HS")
REVEALED = HiringRound(1, "SRO", "PD", "", revealed_at=dt.datetime(2026, 11, 2, 10, 0))
SETTINGS = ScoringSettings(require_extreme_justification=True)


def test_status_decided_needs_a_decision() -> None:
    with pytest.raises(RuleViolation, match="Record the district's decision"):
        rules.check_status_change(RoundStatus.DECIDED, has_decision=False)
    rules.check_status_change(RoundStatus.DECIDED, has_decision=True)
    rules.check_status_change(RoundStatus.INTERVIEWING, has_decision=False)
    assert rules.status_after_reveal(RoundStatus.PLANNING) is RoundStatus.SCORING_CLOSED
    assert rules.status_after_reveal(RoundStatus.DECIDED) is RoundStatus.DECIDED


def test_reveal_waits_for_every_sheet() -> None:
    waiting = [Panelist(1, 1, "Erin", "District"), Panelist(2, 1, "Luis", "District",
                                                 submitted_at=dt.datetime(2026, 11, 2, 9))]
    with pytest.raises(RuleViolation, match=r"Still scoring.*Erin"):
        rules.check_reveal(OPEN, waiting, [Candidate(1, 1, "A")], [Question(1, 1, 1, "Q", "C")])


def test_the_panel_is_fixed_after_the_reveal() -> None:
    with pytest.raises(RuleViolation, match="panel can no longer change"):
        rules.check_panelist(Panelist(None, 1, "New person", "District"), REVEALED, [])
    rules.check_panelist(Panelist(None, 1, "New person", "District"), OPEN, [])
    with pytest.raises(ValidationError, match="belongs to a hiring round"):
        rules.check_panelist(Panelist(None, None, "Nobody", "District"), OPEN, [])


def test_questions_are_fixed_once_scoring_started() -> None:
    stored = Question(5, 1, 1, "Tell us about a time…", "De-escalation")
    rules.check_question(Question(None, 1, 0, "New", "FERPA"), None, scoring_started=False)
    with pytest.raises(RuleViolation, match="no question can be added"):
        rules.check_question(Question(None, 1, 0, "New", "FERPA"), None, scoring_started=True)
    with pytest.raises(RuleViolation, match="wording and weight are fixed"):
        rules.check_question(Question(5, 1, 1, "Reworded", "De-escalation"), stored, True)
    with pytest.raises(RuleViolation, match="wording and weight are fixed"):
        rules.check_question(Question(5, 1, 1, stored.text, "De-escalation",
                                      weight=Decimal(2), weight_reason="Focus"), stored, True)
    rules.check_question(Question(5, 1, 1, stored.text, "Renamed competency"), stored, True)
    with pytest.raises(RuleViolation, match="order of questions is fixed"):
        rules.check_question_move(scoring_started=True)


def test_scores_a_missing_reason_is_typed() -> None:
    sealed = Panelist(7, 1, "Erin", "District", submitted_at=dt.datetime(2026, 11, 2, 9))
    ok = [Score(7, 1, 1, 3)]
    with pytest.raises(ReasonRequired):
        rules.check_scores(sealed, ok, [1], [1], SETTINGS, reason="")
    rules.check_scores(sealed, ok, [1], [1], SETTINGS, reason="Misread my notes")
    # with other problems too, every problem is listed and it is not just a missing reason
    with pytest.raises(ValidationError) as err:
        rules.check_scores(sealed, [Score(7, 1, 1, 5)], [1], [1], SETTINGS, reason="")
    assert not isinstance(err.value, ReasonRequired) and len(err.value.problems) == 2
    with pytest.raises(RuleViolation, match="only its own panelist"):
        rules.check_scores(sealed, [Score(8, 1, 1, 3)], [1], [1], SETTINGS, reason="x")
    with pytest.raises(RuleViolation, match="another round"):
        rules.check_scores(sealed, [Score(7, 9, 1, 3)], [1], [1], SETTINGS, reason="x")


def test_submit_lists_every_gap() -> None:
    me = Panelist(7, 1, "Erin", "District")
    with pytest.raises(ValidationError) as err:
        rules.check_submit(me, [Candidate(1, 1, "Ana")], [Question(1, 1, 1, "Q", "C")], [],
                           SETTINGS)
    assert err.value.problems == ["Ana, question 1: no score yet"]


def test_pin_attempts_count_and_lock() -> None:
    stored = hash_pin("4821", salt=b"0" * 16, iterations=1000)
    assert rules.judge_pin("Erin", stored, 0, "4821") == rules.PinAttempt(True, 0)
    assert rules.judge_pin("Erin", stored, 2, "") == rules.PinAttempt(False, 2)
    wrong = rules.judge_pin("Erin", stored, 0, "1111")
    assert wrong.failed_attempts == 1 and isinstance(wrong.refusal, PinRefused)
    assert "4 more wrong PINs" in str(wrong.refusal)
    last = rules.judge_pin("Erin", stored, MAX_FAILED_ATTEMPTS - 1, "1111")
    assert last.failed_attempts == MAX_FAILED_ATTEMPTS and "locked" in str(last.refusal)
    locked = rules.judge_pin("Erin", stored, MAX_FAILED_ATTEMPTS, "4821")
    assert not locked.opens and "locked" in str(locked.refusal)


def test_new_pin_and_reset() -> None:
    with pytest.raises(RuleViolation, match="already has a PIN"):
        rules.check_new_pin(Panelist(1, 1, "Erin", "District", has_pin=True), "4821", "4821")
    with pytest.raises(ValidationError, match="do not match"):
        rules.check_new_pin(Panelist(1, 1, "Erin", "District"), "4821", "4822")
    with pytest.raises(ValidationError, match="reason"):
        rules.check_pin_reset(Panelist(1, 1, "Erin", "District", has_pin=True), "  ")
    with pytest.raises(RuleViolation, match="no PIN to reset"):
        rules.check_pin_reset(Panelist(1, 1, "Erin", "District"), "Forgot it")
    assert rules.check_pin_reset(Panelist(1, 1, "Erin", "District", has_pin=True), " Forgot it ") == \
        "Forgot it"


def test_decision_after_reveal_only() -> None:
    decision = Decision(1, DecisionKind.PREFERRED, 3, "Strongest answers")
    with pytest.raises(ValidationError, match="Reveal the panel's results"):
        rules.check_decision(decision, OPEN, [3, 4])
    rules.check_decision(decision, REVEALED, [3, 4])
