"""The policy adoption and periodic review record (RCW 28A.320.124(1); Index and Port Townsend
Policy 4311; Snohomish SRO Procedures, "Adoption Date: April 28, 2021")."""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.policy_review import (
    PolicyReview,
    ReviewState,
    policy_standing,
    review_problems,
)

D = dt.date
TODAY = D(2026, 11, 26)
ADOPTED = PolicyReview("Policy 4311", D(2021, 4, 28), "Board motion 21-07", None, D(2024, 4, 28))


def test_nothing_recorded_is_flagged() -> None:
    standing = policy_standing([], TODAY)
    assert standing.state is ReviewState.NOT_RECORDED and standing.flagged
    assert "RCW 28A.320.124(1)" in standing.message


def test_a_review_past_its_date_is_due_and_a_new_review_clears_it() -> None:
    standing = policy_standing([ADOPTED], TODAY)
    assert standing.state is ReviewState.DUE and standing.flagged
    assert "was due by 28 April 2024" in standing.message
    reviewed = PolicyReview("Policy 4311", None, "Board motion 26-03", D(2026, 3, 10),
                            D(2029, 3, 10))
    now = policy_standing([ADOPTED, reviewed], TODAY)
    assert now.state is ReviewState.CURRENT and not now.flagged
    assert now.latest == reviewed
    soon = policy_standing([PolicyReview("Policy 4311", D(2021, 4, 28), "m", None,
                                         D(2027, 1, 10))], TODAY)
    assert soon.state is ReviewState.DUE_SOON and soon.flagged
    assert policy_standing([PolicyReview("P", D(2021, 4, 28), "m")], TODAY).state is (
        ReviewState.NO_NEXT_DATE)


def test_problems_in_words() -> None:
    assert review_problems(ADOPTED, TODAY) == []
    bad = PolicyReview(" ", None, " ", None, None)
    problems = review_problems(bad, TODAY)
    assert len(problems) == 3
    backwards = PolicyReview("P", D(2026, 1, 5), "m", None, D(2025, 1, 5))
    assert "must come after" in review_problems(backwards, TODAY)[0]
    future = PolicyReview("P", D(2027, 1, 5), "m")
    assert "in the future" in review_problems(future, TODAY)[0]
