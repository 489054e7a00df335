"""Complaint counts for the annual report (RCW 28A.320.1241 counts job-duty and
student-interaction complaints; the report shows every category and outcome).

This is a contract other parts of the program consume: ``ComplaintSummary`` keeps its three
fields, and every category and outcome key is always present (zero when none), so a report
table never loses a row because nothing happened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sro_desk.domain.complaints import PENDING, Category, Complaint, Finding

OUTCOME_LABELS: tuple[str, ...] = (*(f.value for f in Finding), PENDING)


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    """How many complaints were received in a period, by category and by standing outcome."""

    total: int
    by_category: dict[str, int]
    by_outcome: dict[str, int]

    @property
    def counted_by_law(self) -> int:
        """Complaints about job duties or student interactions (the OSPI figure)."""
        return sum(n for label, n in self.by_category.items()
                   if Category(label).counted_by_law)


def summarize_complaints(
    complaints: Iterable[Complaint], start: dt.date, end: dt.date
) -> ComplaintSummary:
    """Count complaints *received* from ``start`` to ``end`` inclusive.

    The outcome is the standing one: the superintendent's finding after a decided appeal,
    otherwise the principal's determination, otherwise Pending.
    """
    by_category = {c.value: 0 for c in Category}
    by_outcome = dict.fromkeys(OUTCOME_LABELS, 0)
    total = 0
    for complaint in complaints:
        if not start <= complaint.received_on <= end:
            continue
        total += 1
        by_category[complaint.category.value] += 1
        by_outcome[complaint.outcome] += 1
    return ComplaintSummary(total, by_category, by_outcome)
