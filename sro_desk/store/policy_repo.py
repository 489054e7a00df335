"""Board actions on the safety and security staff policy (adoption, periodic reviews)."""

from __future__ import annotations

from sro_desk.domain.errors import NotFound
from sro_desk.domain.policy_review import PolicyReview
from sro_desk.store.audit import audited_create, audited_delete, audited_update
from sro_desk.store.policy_records import PolicyReviewRecord


def _review(row: PolicyReviewRecord) -> PolicyReview:
    return PolicyReview(
        title=row.title, adopted_on=row.adopted_on, board_action=row.board_action,
        reviewed_on=row.reviewed_on, next_review_on=row.next_review_on, notes=row.notes,
        id=row.id, document_attachment_id=row.document_id,
    )


def list_reviews() -> list[PolicyReview]:
    query = PolicyReviewRecord.select().order_by(PolicyReviewRecord.id)
    return [_review(r) for r in query]


def save_review(review: PolicyReview, *, reason: str = "") -> PolicyReview:
    """Create or update one record. Validate with the domain first (the service does)."""
    fields = {
        "title": review.title.strip(), "adopted_on": review.adopted_on,
        "board_action": review.board_action.strip(), "reviewed_on": review.reviewed_on,
        "next_review_on": review.next_review_on, "notes": review.notes.strip(),
    }
    if review.id is None:
        row = audited_create(PolicyReviewRecord, reason=reason, **fields)
    else:
        found = PolicyReviewRecord.get_or_none(PolicyReviewRecord.id == review.id)
        if found is None:
            raise NotFound(f"There is no policy record {review.id}.")
        row = audited_update(found, reason=reason, **fields)
    return _review(row)


def delete_review(review_id: int, *, reason: str = "") -> None:
    row = PolicyReviewRecord.get_or_none(PolicyReviewRecord.id == review_id)
    if row is None:
        raise NotFound(f"There is no policy record {review_id}.")
    audited_delete(row, reason=reason)
