"""Use cases for the policy adoption and periodic review record."""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.policy_review import (
    PolicyReview,
    PolicyStanding,
    policy_standing,
    review_problems,
)
from sro_desk.store import policy_repo


def record_review(review: PolicyReview, *, today: dt.date, reason: str = "") -> PolicyReview:
    """Save one board action on the policy; refused in words when incomplete."""
    problems = review_problems(review, today)
    if problems:
        raise ValidationError(problems)
    return policy_repo.save_review(review, reason=reason or "policy board action recorded")


def standing(today: dt.date) -> PolicyStanding:
    return policy_standing(policy_repo.list_reviews(), today)
