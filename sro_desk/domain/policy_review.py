"""The district's safety and security staff policy and procedure: adopted, then reviewed.

RCW 28A.320.124(1) has a district with a school resource officer program adopt a policy and
procedures; the seed policies are such policies (Index SD and Port Townsend SD Policy 4311,
"School Safety and Security Services Program": "The superintendent or designee will develop
additional procedures to implement its policy"; Snohomish SRO Procedures, "Adoption Date: April
28, 2021"). A policy is kept current by periodic review. SRO Desk records each board action: the
adoption date, the board action (motion, resolution), the date reviewed, and the next review
date the board set; it flags the policy when that review is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from sro_desk.domain.dates import format_date
from sro_desk.domain.privacy import immigration_warning

CITATION = "RCW 28A.320.124(1); Policy 4311 (Index, Port Townsend)"
DUE_SOON_DAYS = 60
"""A review due within this many days shows as due soon."""


class ReviewState(StrEnum):
    NOT_RECORDED = "No adoption recorded"
    CURRENT = "Current"
    DUE_SOON = "Review due soon"
    DUE = "Review due"
    NO_NEXT_DATE = "No next review date"


@dataclass(frozen=True, slots=True)
class PolicyReview:
    """One board action on the policy: its adoption, or a periodic review."""

    title: str
    adopted_on: dt.date | None
    board_action: str
    reviewed_on: dt.date | None = None
    next_review_on: dt.date | None = None
    notes: str = ""
    id: int | None = None
    document_attachment_id: int | None = None

    @property
    def acted_on(self) -> dt.date | None:
        """The date of this action: the review, or else the adoption."""
        return self.reviewed_on or self.adopted_on


def review_problems(review: PolicyReview, today: dt.date) -> list[str]:
    """Every reason the record cannot be saved, in words."""
    problems: list[str] = []
    if not review.title.strip():
        problems.append("Name the policy (e.g. Policy 4311, School Safety and Security Services "
                        "Program).")
    if review.adopted_on is None and review.reviewed_on is None:
        problems.append("Enter the adoption date, or the date the board reviewed the policy.")
    if not review.board_action.strip():
        problems.append("Describe the board action (e.g. motion 2026-14, consent agenda item).")
    for what, day in (("adoption", review.adopted_on), ("review", review.reviewed_on)):
        if day is not None and day > today:
            problems.append(f"The {what} date {format_date(day)} is in the future.")
    acted = review.acted_on
    if review.next_review_on is not None and acted is not None and review.next_review_on <= acted:
        problems.append(
            f"The next review date {format_date(review.next_review_on)} must come after the "
            f"board action of {format_date(acted)}.")
    for text in (review.board_action, review.notes):
        warning = immigration_warning(text)
        if warning:
            problems.append(warning)
            break
    return problems


@dataclass(frozen=True, slots=True)
class PolicyStanding:
    state: ReviewState
    latest: PolicyReview | None
    message: str

    @property
    def flagged(self) -> bool:
        return self.state in (ReviewState.NOT_RECORDED, ReviewState.DUE, ReviewState.DUE_SOON,
                              ReviewState.NO_NEXT_DATE)


def policy_standing(reviews: Iterable[PolicyReview], today: dt.date) -> PolicyStanding:
    """Where the policy stands today, from its latest board action."""
    ordered = sorted((r for r in reviews if r.acted_on is not None),
                     key=lambda r: (r.acted_on or dt.date.min, r.id or 0))
    if not ordered:
        return PolicyStanding(
            ReviewState.NOT_RECORDED, None,
            "The adoption of the safety and security staff policy is not recorded "
            f"({CITATION}).")
    latest = ordered[-1]
    acted = latest.acted_on
    assert acted is not None
    if latest.next_review_on is None:
        return PolicyStanding(
            ReviewState.NO_NEXT_DATE, latest,
            f"{latest.title}: last board action {format_date(acted)}; no next review date set.")
    days = (latest.next_review_on - today).days
    if days < 0:
        state, when = ReviewState.DUE, f"was due by {format_date(latest.next_review_on)}"
    elif days <= DUE_SOON_DAYS:
        state, when = ReviewState.DUE_SOON, f"is due by {format_date(latest.next_review_on)}"
    else:
        state, when = ReviewState.CURRENT, f"is next due {format_date(latest.next_review_on)}"
    return PolicyStanding(
        state, latest,
        f"{latest.title}: last board action {format_date(acted)} ({latest.board_action}); "
        f"the review {when}.")
