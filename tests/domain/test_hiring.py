"""Hiring rules: scale, justification, weights, panel size, decision, sheet gaps and the blind rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from sro_desk.domain.hiring import (
    DEFAULT_ANCHORS,
    SCALE_LABELS,
    Candidate,
    ConsensusScore,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    Score,
    ScoringSettings,
    anchor_body,
    anchor_line,
    change_after_submission_problems,
    panel_size_warning,
    parse_score,
    parse_weight,
    reveal_problems,
    score_problems,
    sheet_gaps,
    validate_candidate,
    validate_consensus,
    validate_decision,
    validate_panelist,
    validate_question,
    validate_round,
    validate_score,
    visibility,
    visible_scores,
    weight_problems,
)

NOW = dt.datetime(2026, 11, 26, 9, 0)
SETTINGS = ScoringSettings()


def _round(revealed: bool = False) -> HiringRound:
    return HiringRound(1, "SRO, Sequim High School", "Sequim Police Department", "Sequim HS",
                       revealed_at=NOW if revealed else None)


def _panel(submitted: tuple[bool, ...] = (False, False, False)) -> list[Panelist]:
    return [
        Panelist(i + 1, 1, f"P{i + 1}", "District", district_voting=i == 0,
                 submitted_at=NOW if done else None)
        for i, done in enumerate(submitted)
    ]


@pytest.mark.parametrize("value, expected", [(1, 1), ("5", 5), (3.0, 3), (" 2 ", 2)])
def test_parse_score_accepts_whole_numbers_on_the_scale(value: object, expected: int) -> None:
    assert parse_score(value) == expected


@pytest.mark.parametrize("value, words", [
    (0, "outside the 1 to 5 scale"), (6, "outside"), ("3.5", "whole-number"), (2.5, "whole-number"),
    ("", "missing"), (None, "missing"), ("four", "whole-number"), (True, "not a score"),
    ("-1", "outside"),
])
def test_parse_score_refuses_in_words(value: object, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_score(value)


def test_extreme_scores_need_justification_only_when_the_setting_is_on() -> None:
    assert score_problems(1, "", SETTINGS) == [
        "a score of 1 (Awareness) needs a written justification"
    ]
    assert "5 (Expert)" in score_problems(5, "  ", SETTINGS)[0]
    assert score_problems(5, "Led CIT training for the county", SETTINGS) == []
    assert score_problems(3, "", SETTINGS) == []
    relaxed = ScoringSettings(require_extreme_justification=False)
    assert score_problems(1, "", relaxed) == []
    assert score_problems(7, "x", SETTINGS) == ["score 7 is outside the 1 to 5 scale"]


def test_a_different_weight_needs_a_reason() -> None:
    assert weight_problems(Decimal(1), "") == []
    assert weight_problems(Decimal("1.00"), "") == []
    problems = weight_problems(Decimal("1.5"), "")
    assert problems == ["a weight of 1.5 differs from the equal weight of 1 and needs a written reason"]
    assert weight_problems(Decimal(2), "FERPA is this building's main concern") == []
    assert "greater than zero" in weight_problems(Decimal(0), "r")[0]
    assert "more than 10" in weight_problems(Decimal(11), "r")[0]


@pytest.mark.parametrize("text, expected", [("", Decimal(1)), ("2", Decimal(2)), (1.5, Decimal("1.5"))])
def test_parse_weight(text: object, expected: Decimal) -> None:
    assert parse_weight(text) == expected


@pytest.mark.parametrize("text, words", [
    ("abc", "not a number"), ("0", "greater than zero"), ("-1", "greater than zero"),
    ("11", "largest"), ("1.255", "two decimal"), ("NaN", "greater than zero"),
])
def test_parse_weight_refuses(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_weight(text)


@pytest.mark.parametrize("count, warned", [(0, True), (1, True), (2, False), (3, False),
                                           (4, False), (5, True), (9, True)])
def test_panel_size_warning_outside_two_to_four(count: int, warned: bool) -> None:
    warning = panel_size_warning(count)
    assert (warning is not None) is warned
    if warning:
        assert "2 to 4 panelists" in warning


def test_validate_round_panelist_question_candidate() -> None:
    assert validate_round(_round()) == []
    bad = HiringRound(None, " ", "", "", dt.date(2026, 12, 2), dt.date(2026, 12, 1))
    assert validate_round(bad) == [
        "The position is required", "The agency is required",
        "The last interview date is before the first",
    ]
    panel = _panel()
    dup = Panelist(None, 1, "p1 ", "Agency")
    assert validate_panelist(dup, panel) == ["p1 is already on this panel"]
    assert validate_panelist(panel[0], panel) == []
    q = Question(1, 1, 1, "Tell us", "De-escalation")
    assert validate_question(q) == []
    q_bad = Question(1, 1, 1, "", "", weight=Decimal(2), anchors=("a", "", "c", "d", "e"))
    problems = validate_question(q_bad)
    assert "The question text is required" in problems
    assert "The behavioral anchor for level 2 is empty" in problems
    assert any(p.startswith("Weight: a weight of 2") for p in problems)
    assert "one behavioral anchor for each level" in validate_question(
        Question(1, 1, 1, "t", "c", anchors=DEFAULT_ANCHORS[:4]))[0]
    c = Candidate(1, 1, "Officer Reyes")
    assert validate_candidate(Candidate(None, 1, "officer reyes"), [c]) == [
        "officer reyes is already a candidate in this round"
    ]
    assert "RCW 10.93.160" in validate_candidate(
        Candidate(2, 1, "A", notes="Born in Mexico, green card holder"))[0]


def test_validate_score_checks_privacy_of_comments() -> None:
    ok = Score(1, 1, 1, 4, comment="Clear example of de-escalation")
    assert validate_score(ok, SETTINGS) == []
    bad = Score(1, 1, 1, 5, comment="Asked about his immigration status")
    problems = validate_score(bad, SETTINGS)
    assert len(problems) == 2
    assert problems[0].startswith("a score of 5")
    assert "RCW 10.93.160" in problems[1]


def test_validate_consensus() -> None:
    assert validate_consensus(ConsensusScore(1, Decimal("3.5"), "Panel agreed after discussion")) == []
    assert validate_consensus(ConsensusScore(1, Decimal("5.5"), "")) == [
        "A consensus score must be between 1 and 5",
        "A note explaining the consensus score is required",
    ]


def test_validate_decision_preferred_and_sole() -> None:
    ok = Decision(1, DecisionKind.PREFERRED, 2, "Strongest on de-escalation")
    assert validate_decision(ok, [1, 2, 3]) == []
    assert "not in this round" in validate_decision(ok, [1, 3])[0]
    sole_multi = Decision(1, DecisionKind.SOLE_DECLINED, 1, "Not the right fit")
    assert "applies only when the agency advanced one candidate" in validate_decision(
        sole_multi, [1, 2])[0]
    assert validate_decision(sole_multi, [1]) == []
    preferred_sole = Decision(1, DecisionKind.PREFERRED, 1, "x")
    assert "accepts or declines" in validate_decision(preferred_sole, [1])[0]
    no_reason = Decision(1, DecisionKind.SOLE_DECLINED, 1, " ")
    assert validate_decision(no_reason, [1]) == ["The reason is required"]


def test_sheet_gaps_lists_missing_scores_and_justifications_in_sheet_order() -> None:
    cands = [Candidate(10, 1, "Ames"), Candidate(11, 1, "Baker")]
    qs = [Question(21, 1, 2, "Q2", "c"), Question(20, 1, 1, "Q1", "c")]
    scores = [
        Score(1, 10, 20, 3), Score(1, 10, 21, 5),  # 5 without justification
        Score(1, 11, 20, 2),  # Baker Q2 missing
        Score(2, 11, 21, 4),  # someone else's score does not fill the gap
    ]
    gaps = sheet_gaps(1, cands, qs, scores, SETTINGS)
    assert [g.message for g in gaps] == [
        "Ames, question 2: a score of 5 (Expert) needs a written justification",
        "Baker, question 2: no score yet",
    ]
    assert sheet_gaps(1, cands, qs, [*scores[:3], Score(1, 11, 21, 4),
                                     Score(1, 10, 21, 5, justification="Trains others")],
                      SETTINGS) == []


def test_change_after_submission_needs_reason() -> None:
    assert change_after_submission_problems(False, "") == []
    assert change_after_submission_problems(True, "") == [
        "This sheet was already submitted: a change needs a written reason"
    ]
    assert change_after_submission_problems(True, "Misread my own note") == []


def test_reveal_needs_every_sheet_submitted() -> None:
    cands = [Candidate(10, 1, "Ames")]
    qs = [Question(20, 1, 1, "Q1", "c")]
    problems = reveal_problems(_round(), _panel((True, False, False)), cands, qs)
    assert problems == ["Still scoring (not submitted): P2, P3"]
    assert reveal_problems(_round(), _panel((True, True, True)), cands, qs) == []
    assert reveal_problems(_round(True), _panel((True,)), cands, qs) == [
        "The results of this round are already revealed"
    ]
    assert reveal_problems(_round(), [], [], []) == [
        "The round has no panelists", "The round has no candidates", "The round has no questions",
    ]


class TestBlindVisibility:
    scores = [Score(p, 10, 20, 3) for p in (1, 2, 3)]

    def test_panelist_sees_only_own_scores_before_reveal(self) -> None:
        for submitted in ((False, False, False), (False, True, True)):
            view = visibility(1, _round(), _panel(submitted))
            assert view.panelist_ids == frozenset({1})
            assert not view.aggregate
            assert view.editable_panelist_id == 1
            assert [s.panelist_id for s in visible_scores(view, self.scores)] == [1]

    def test_submitted_sheet_is_sealed_until_reveal_or_reopened_with_reason(self) -> None:
        panel = _panel((True, False, False))
        sealed = visibility(1, _round(), panel)
        assert visible_scores(sealed, self.scores) == []
        assert sealed.editable_panelist_id is None
        assert "sealed" in sealed.reason
        reopened = visibility(1, _round(), panel, reopened_with_reason=True)
        assert [s.panelist_id for s in visible_scores(reopened, self.scores)] == [1]
        assert not reopened.aggregate

    def test_coordinator_sees_only_progress_before_reveal(self) -> None:
        view = visibility(None, _round(), _panel((True, True, False)))
        assert view.panelist_ids == frozenset()
        assert not view.aggregate and view.progress_only
        assert "2 of 3 submitted" in view.reason
        assert visible_scores(view, self.scores) == []

    def test_unknown_panelist_sees_nothing(self) -> None:
        view = visibility(99, _round(), _panel())
        assert visible_scores(view, self.scores) == []
        assert view.editable_panelist_id is None

    def test_everyone_sees_everything_after_reveal(self) -> None:
        for viewer in (None, 1, 2):
            view = visibility(viewer, _round(True), _panel((True, True, True)))
            assert view.aggregate
            assert len(visible_scores(view, self.scores)) == 3
        assert visibility(None, _round(True), _panel()).editable_panelist_id is None
        assert visibility(1, _round(True), _panel()).editable_panelist_id is None
        assert visibility(1, _round(True), _panel(),
                          reopened_with_reason=True).editable_panelist_id == 1


@pytest.mark.parametrize(("level", "text", "body"), [
    (1, "Awareness: names the topic", "Names the topic"),
    (1, "1 Awareness: names the topic", "Names the topic"),
    (2, "2. Basic - thin example", "Thin example"),
    (3, "(Intermediate) — concrete", "Concrete"),
    (5, "expert:Teaches", "Teaches"),
    (1, "Awareness of the law is shown", "Awareness of the law is shown"),
    (4, "Basic: belongs to level 2, kept", "Basic: belongs to level 2, kept"),
    (1, "Awareness:", "Awareness:"),
])
def test_anchor_body_drops_a_repeated_level_name(level: int, text: str, body: str) -> None:
    assert anchor_body(level, text) == body


def test_default_anchors_do_not_repeat_their_level() -> None:
    for level, text in enumerate(DEFAULT_ANCHORS, start=1):
        assert not text.casefold().startswith(SCALE_LABELS[level].casefold())
        assert anchor_line(level, text).count(SCALE_LABELS[level]) == 1
    assert anchor_line(1, "Awareness: vague") == "1 Awareness: Vague"


def test_round_notes_are_checked_for_rcw_10_93_160() -> None:
    item = HiringRound(None, "SRO", "PD", "", notes="Candidate was born in Guatemala")
    assert any("Notes:" in p and "RCW 10.93.160" in p for p in validate_round(item))
