"""The results engine: weighted scores, panel statistics, ranks with ties, disagreement, calibration."""

from __future__ import annotations

import random
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Panelist,
    Question,
    Score,
    ScoringSettings,
)
from sro_desk.domain.hiring_results import (
    compute_results,
    median,
    score_text,
    signed_text,
    tie_statement,
)


def _panel(n: int = 3, district: tuple[int, ...] = (1,)) -> list[Panelist]:
    return [Panelist(i, 1, f"P{i}", "Org", district_voting=i in district) for i in range(1, n + 1)]


def _questions(weights: tuple[str, ...] = ("1", "1")) -> list[Question]:
    return [
        Question(100 + i, 1, i + 1, f"Q{i + 1}", "c", weight=Decimal(w),
                 weight_reason="" if w == "1" else "documented")
        for i, w in enumerate(weights)
    ]


def _cands(n: int = 3) -> list[Candidate]:
    return [Candidate(10 + i, 1, name) for i, name in enumerate(["Ames", "Baker", "Cruz", "Diaz"][:n])]


def _grid(values: dict[tuple[int, int], tuple[int, ...]]) -> list[Score]:
    """{(panelist, candidate): (score for Q1, score for Q2, ...)} → Score list."""
    return [
        Score(p, c, 100 + i, v, justification="why")
        for (p, c), row in values.items()
        for i, v in enumerate(row)
    ]


def test_weighted_score_mean_median_spread_and_district_mean() -> None:
    qs = _questions(("2", "1"))
    scores = _grid({
        (1, 10): (5, 2), (2, 10): (3, 3), (3, 10): (4, 1),
        (1, 11): (3, 3), (2, 11): (3, 3), (3, 11): (3, 3),
    })
    res = compute_results(_panel(), qs, _cands(2), scores)
    ames = res.for_candidate(10)
    # P1: (2*5 + 1*2)/3 = 4; P2: 3; P3: (8+1)/3 = 3
    assert [p.weighted for p in ames.panelist_scores] == [Fraction(4), Fraction(3), Fraction(3)]
    assert ames.mean == Fraction(10, 3)
    assert ames.median == Fraction(3)
    assert ames.spread == Fraction(1)
    assert ames.district_mean == Fraction(4)
    assert score_text(ames.mean) == "3.33"
    assert ames.rank == 1 and not ames.tied
    baker = res.for_candidate(11)
    assert baker.rank == 2 and baker.mean == 3
    assert [r.candidate_id for r in res.candidates] == [10, 11]
    assert res.gaps == ()


def test_ties_are_stated_and_share_a_rank_never_broken() -> None:
    scores = _grid({
        (1, 10): (4, 4), (2, 10): (4, 4),
        (1, 11): (5, 3), (2, 11): (3, 5),   # same mean as Ames, different shape
        (1, 12): (2, 2), (2, 12): (3, 3),
    })
    res = compute_results(_panel(2), _questions(), _cands(3), scores)
    assert [(r.name, r.rank, r.rank_text) for r in res.candidates] == [
        ("Ames", 1, "1 (tie)"), ("Baker", 1, "1 (tie)"), ("Cruz", 3, "3"),
    ]
    assert res.for_candidate(10).tied_with == (11,)
    assert len(res.ties) == 1
    tie = res.ties[0]
    assert tie.candidate_ids == (10, 11)
    assert tie_statement(tie, {10: "Ames", 11: "Baker"}) == (
        "Tie at rank 1: Ames and Baker have the same panel mean (4.00). "
        "The program does not break ties; the panel records its decision and reasons."
    )


def test_means_equal_at_two_decimals_are_a_tie() -> None:
    """What the reader sees decides the rank: 1.6711 and 1.6678 both show 1.67."""
    qs = [Question(100, 1, 1, "q1", "c"), Question(101, 1, 2, "q2", "c"),
          Question(102, 1, 3, "q3", "c", weight=Decimal("1.01"), weight_reason="r")]
    scores = [Score(1, 10, 100 + i, v, justification="j") for i, v in enumerate((1, 1, 3))]
    scores += [Score(1, 11, 100 + i, v, justification="j") for i, v in enumerate((1, 2, 2))]
    res = compute_results(_panel(1), qs, _cands(2), scores)
    ames, baker = res.for_candidate(10), res.for_candidate(11)
    assert ames.mean is not None and baker.mean is not None and ames.mean > baker.mean
    assert score_text(ames.mean) == score_text(baker.mean) == "1.67"
    assert ames.rank == baker.rank == 1 and ames.tied and baker.tied
    assert score_text(Fraction(3334, 1000)) == "3.33"
    assert score_text(Fraction(3335, 1000)) == "3.34"  # half-up, not banker's
    assert score_text(Fraction(-1, 200)) == "-0.01"  # symmetric: offsets round like means
    assert score_text(Fraction(-1, 300)) == "0.00"
    assert signed_text(Fraction(1, 2)) == "+0.50"
    assert signed_text(Fraction(0)) == "0.00"
    assert signed_text(None) == "—"


def test_incomplete_sheets_are_gaps_not_zeros() -> None:
    scores = _grid({(1, 10): (4, 4), (2, 10): (2, 2)})
    scores = [s for s in scores if not (s.panelist_id == 2 and s.question_id == 101)]
    res = compute_results(_panel(2), _questions(), _cands(2), scores)
    ames = res.for_candidate(10)
    assert ames.weighted_for(2) is None
    assert ames.mean == 4  # only the complete sheet counts
    assert res.for_candidate(11).rank is None
    assert res.for_candidate(11).rank_text == "not ranked"
    assert res.candidates[-1].candidate_id == 11
    assert "P2 has scored 1 of 2 questions for Ames" in res.gaps
    assert "P1 has scored 0 of 2 questions for Baker" in res.gaps


def test_disagreement_of_three_points_or_more() -> None:
    scores = _grid({(1, 10): (1, 4), (2, 10): (4, 5), (3, 10): (3, 3)})
    res = compute_results(_panel(), _questions(), _cands(1), scores)
    assert len(res.disagreements) == 1
    d = res.disagreements[0]
    assert (d.candidate_id, d.question_id, d.low, d.high, d.points) == (10, 100, 1, 4, 3)
    assert d.low_panelists == (1,) and d.high_panelists == (2,)
    cell = res.cell(10, 101)
    assert cell is not None and cell.spread == 2 and not cell.disagreement
    custom = compute_results(_panel(), _questions(), _cands(1), scores,
                             settings=ScoringSettings(disagreement_points=4))
    assert custom.disagreements == ()


def test_calibration_lenient_harsh_and_middle_of_the_road() -> None:
    scores = _grid({
        (1, 10): (5, 5), (2, 10): (3, 4), (3, 10): (1, 2),
        (1, 11): (5, 4), (2, 11): (3, 3), (3, 11): (2, 1),
    })
    res = compute_results(_panel(), _questions(), _cands(2), scores)
    by = {c.panelist_id: c for c in res.calibration}
    # P1 vs mean of others per cell: 5-2, 5-3, 5-2.5, 4-2 → mean 2.375
    assert by[1].offset == Fraction(19, 8) and by[1].lenient and by[1].label.startswith("lenient")
    assert by[3].harsh and by[3].offset is not None and by[3].offset < Fraction(-3, 4)
    # P2: 3-3, 4-3.5, 3-3.5, 3-2.5 → mean 1/8
    assert by[2].offset == Fraction(1, 8)
    assert not by[2].lenient and not by[2].harsh
    # P2 scored 3,4,3,3: SD = 0.433 < 0.5 → middle of the road
    assert by[2].middle_of_road and by[2].label == "middle of the road"
    assert by[1].compared == 4
    assert by[1].spread is not None and abs(by[1].spread - 0.433) < 0.001


def test_calibration_needs_enough_scores_and_others() -> None:
    res = compute_results(_panel(1), _questions(), _cands(1), _grid({(1, 10): (3, 3)}))
    cal = res.calibration[0]
    assert cal.offset is None and cal.compared == 0
    assert not cal.middle_of_road  # only 2 scores: too few to judge
    assert cal.label == "in line with the panel"


def test_consensus_and_foreign_scores_ignored() -> None:
    scores = _grid({(1, 10): (3, 3), (2, 10): (3, 3)})
    scores.append(Score(9, 10, 100, 5))  # a panelist not in this round
    scores.append(Score(1, 99, 100, 5))  # a candidate not in this round
    consensus = [ConsensusScore(10, Decimal("3.5"), "agreed")]
    res = compute_results(_panel(2), _questions(), _cands(1), scores, consensus)
    assert res.for_candidate(10).mean == 3
    assert res.for_candidate(10).consensus == consensus[0]


def test_median_even_and_empty() -> None:
    assert median([Fraction(1), Fraction(4), Fraction(2), Fraction(3)]) == Fraction(5, 2)
    assert median([]) is None


# --- properties -------------------------------------------------------------------------------

score_values = st.integers(min_value=1, max_value=5)


@st.composite
def rounds(draw: st.DrawFn) -> tuple[list[Panelist], list[Question], list[Candidate], list[Score]]:
    n_p = draw(st.integers(2, 4))
    n_q = draw(st.integers(1, 4))
    n_c = draw(st.integers(1, 4))
    weights = draw(st.lists(st.sampled_from(["1", "1", "1.5", "2", "0.5"]), min_size=n_q,
                            max_size=n_q))
    panel = [Panelist(i, 1, f"P{i}", "Org", district_voting=draw(st.booleans()))
             for i in range(1, n_p + 1)]
    qs = [Question(100 + i, 1, i + 1, "q", "c", weight=Decimal(w), weight_reason="r")
          for i, w in enumerate(weights)]
    cands = [Candidate(10 + i, 1, f"C{i}") for i in range(n_c)]
    scores = [
        Score(p.id, c.id, q.id, draw(score_values))  # type: ignore[arg-type]
        for p in panel for c in cands for q in qs
    ]
    return panel, qs, cands, scores


@settings(max_examples=60, deadline=None)
@given(rounds(), st.randoms(use_true_random=False))
def test_ranks_do_not_depend_on_entry_order(data: tuple, rnd: random.Random) -> None:  # type: ignore[type-arg]
    panel, qs, cands, scores = data
    before = compute_results(panel, qs, cands, scores)
    shuffled = [list(x) for x in (panel, qs, cands, scores)]
    for seq in shuffled:
        rnd.shuffle(seq)
    after = compute_results(*shuffled)  # type: ignore[arg-type]
    assert {r.candidate_id: (r.rank, r.tied_with, r.mean) for r in before.candidates} == {
        r.candidate_id: (r.rank, r.tied_with, r.mean) for r in after.candidates
    }
    assert before == after


@settings(max_examples=60, deadline=None)
@given(rounds(), st.data())
def test_shifting_one_panelist_moves_only_their_own_offset(data: tuple, draw: st.DataObject) -> None:  # type: ignore[type-arg]
    """Adding a constant to one panelist's scores moves that panelist's offset by exactly the
    constant. Every *other* panelist is then compared with a panel that moved too, so their
    offsets all move by the same amount (−c/(n−1)): their standing relative to one another,
    their spreads and the lenient/harsh call between them are unchanged. (No definition of "offset
    from the panel" can keep the others' offsets literally fixed: the panel itself moved.)"""
    panel, qs, cands, scores = data
    target = draw.draw(st.sampled_from([p.id for p in panel]))
    c = draw.draw(st.integers(-3, 3).filter(lambda x: x != 0))
    # The engine is plain arithmetic; the shifted scores may leave 1–5, which is what isolates it.
    shifted = [
        Score(s.panelist_id, s.candidate_id, s.question_id,
              s.value + c if s.panelist_id == target else s.value)
        for s in scores
    ]
    before = {x.panelist_id: x for x in compute_results(panel, qs, cands, scores).calibration}
    after = {x.panelist_id: x for x in compute_results(panel, qs, cands, shifted).calibration}
    n = len(panel)
    b_t, a_t = before[target], after[target]
    assert b_t.offset is not None and a_t.offset is not None
    assert a_t.offset - b_t.offset == c
    assert a_t.spread == b_t.spread
    others = [pid for pid in before if pid != target]
    for pid in others:
        b, a = before[pid], after[pid]
        assert b.offset is not None and a.offset is not None
        assert a.offset - b.offset == Fraction(-c, n - 1)
        assert a.spread == b.spread
        assert a.middle_of_road == b.middle_of_road
    for x in others:
        for y in others:
            bx, by_, ax, ay = before[x], before[y], after[x], after[y]
            assert bx.offset is not None and by_.offset is not None
            assert ax.offset is not None and ay.offset is not None
            assert ax.offset - ay.offset == bx.offset - by_.offset


@settings(max_examples=40, deadline=None)
@given(rounds())
def test_ranks_follow_panel_means(data: tuple) -> None:  # type: ignore[type-arg]
    res = compute_results(*data)
    ranked = [r for r in res.candidates if r.rank is not None]
    for a in ranked:
        for b in ranked:
            assert a.mean is not None and b.mean is not None
            if score_text(a.mean) == score_text(b.mean):
                assert a.rank == b.rank
            elif a.mean > b.mean:
                assert a.rank is not None and b.rank is not None and a.rank < b.rank
    for r in ranked:
        assert r.rank == 1 + sum(1 for o in ranked if score_text(o.mean) != score_text(r.mean)
                                 and o.mean > r.mean)  # type: ignore[operator]
