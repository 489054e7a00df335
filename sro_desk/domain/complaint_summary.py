"""Complaint counts for the annual report (RCW 28A.320.1241 counts job-duty and
student-interaction complaints; the report shows every category and outcome).

This is a contract other parts of the program consume: ``ComplaintSummary`` keeps its three
fields, and every category and outcome key is always present (zero when none), so a report
table never loses a row because nothing happened.

``public_complaint_summary`` builds the public complaint summary (``export complaints
--public``) under the same small-count rule as the public annual report: counts 1–9 read "<10",
with complementary suppression wherever a total would give one away, all through
``domain.suppression``. Answers still awaited past their deadline count as "Late (still open)".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sro_desk.domain.complaints import (
    PENDING,
    Category,
    Channel,
    Complaint,
    ComplaintRules,
    DeadlineKind,
    Finding,
    answered_on,
    due_date,
    is_late_filing,
)
from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.school_calendar import DistrictCalendar, count_school_days
from sro_desk.domain.suppression import (
    DEFAULT_THRESHOLD,
    CellState,
    Equation,
    assert_safe,
    hidden_text,
    one_way_equations,
    rule_text,
    suppress,
    two_way_equations,
)

OUTCOME_LABELS: tuple[str, ...] = (*(f.value for f in Finding), PENDING)


@dataclass(frozen=True, slots=True)
class ComplaintSummary:
    """How many complaints were received in a period, by category and by standing outcome."""

    total: int
    by_category: dict[str, int]
    by_outcome: dict[str, int]

    @property
    def counted_by_law(self) -> int:
        """The figure RCW 28A.320.1241 asks for: complaints received in the period about the
        staff's job duties or their interactions with students (``Category.JOB_DUTIES`` and
        ``Category.STUDENT_INTERACTION``), whatever their outcome or stage. Complaints in
        ``Category.OTHER`` are not counted; ``total`` counts every complaint. Published, it
        is the sum of those two category counts, so a public edition must suppress it with
        them (``Equation(counted_by_law, (job duties, student interaction))``)."""
        return sum(self.by_category.get(c.value, 0) for c in Category if c.counted_by_law)


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


# ------------------------------------------------------------------ the public complaint summary


class Timeliness(StrEnum):
    """Where a written answer stands against its deadline."""

    ON_TIME = "On time"
    LATE = "Late"
    LATE_OPEN = "Late (still open)"
    NOT_YET_DUE = "Not yet due"


def answer_timeliness(
    complaint: Complaint, kind: DeadlineKind, calendar: DistrictCalendar,
    rules: ComplaintRules, today: dt.date,
) -> Timeliness | None:
    """Whether the answer of ``kind`` came on time, late, is late and still awaited, or is not
    due yet on ``today``. ``None`` when the complaint has no such deadline (no appeal).

    An answer still awaited after its deadline is *late* — it is not left out of the count.
    When the deadline itself cannot be computed (the count runs past the calendars entered),
    the answer is placed by counting school days up to the answer (or today): fewer than the
    rule allows means the deadline is later. Raises ``RuleViolation`` when even that is
    unknown, naming the calendar to enter.
    """
    due = due_date(complaint, kind, calendar, rules)
    if due is None:
        return None
    answered = answered_on(complaint, kind)
    until = answered if answered is not None else today
    if due.due is not None:
        late = until > due.due
    else:
        counted = count_school_days(calendar, due.calculation.start, until)
        if counted is None:
            raise RuleViolation(
                f"{complaint.reference}: whether the {kind.value.lower()} is on time cannot be "
                f"told. {due.calculation.unresolved or ''}".strip())
        late = counted > due.calculation.amount
    if answered is not None:
        return Timeliness.LATE if late else Timeliness.ON_TIME
    return Timeliness.LATE_OPEN if late else Timeliness.NOT_YET_DUE


@dataclass(frozen=True, slots=True)
class PublicTable:
    """A table of the public summary: each count is an ``int``, or the text that hides it."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str | int, ...], ...]


@dataclass(frozen=True, slots=True)
class PublicComplaintSummary:
    """The public complaint summary after small-count suppression (the annual report's rule).

    Every count from 1 to ``threshold - 1`` reads "<10"; a count that would let a hidden one be
    worked out from a total reads "*" (``domain.suppression``, which proves no hidden count can
    be recovered from everything the summary publishes together).
    """

    threshold: int
    as_of: dt.date
    outcomes: PublicTable
    channels: PublicTable
    answers: PublicTable
    filing: PublicTable
    by_law: PublicTable

    @property
    def rule(self) -> str:
        return rule_text(self.threshold)


ALL_COMPLAINTS = "All complaints"
TOTAL = "Total"
COUNTED_BY_LAW_LABEL = ("Complaints about job duties or student interactions "
                        "(counted under RCW 28A.320.1241)")
LATE_FILED_LABEL = "Filed after the filing window (accepted)"


@dataclass(slots=True)
class _SummaryFigures:
    values: dict[str, int]
    equations: list[Equation]
    cells: dict[tuple[str, str], str]
    row_totals: dict[str, str]
    col_totals: dict[str, str]
    channel_keys: dict[str, str]
    answer_keys: dict[tuple[DeadlineKind, Timeliness], str]
    answer_totals: dict[DeadlineKind, str]


def complaint_summary_system(
    complaints: Sequence[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    today: dt.date,
) -> tuple[dict[str, int], list[Equation]]:
    """Every figure the public summary publishes and every sum tying them: the summary's part
    of a linked public release (``domain.release``). Keys: ``total``, ``by_law``,
    ``late_filed``, ``outcome:<category>:<outcome>`` (``Total`` for a row,
    ``All complaints`` for a column), ``channel:<channel>``, ``answer:<kind>:<timeliness>``."""
    figures = _summary_figures(complaints, calendar, rules, today)
    return figures.values, figures.equations


def public_complaint_summary(
    complaints: Sequence[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    today: dt.date, threshold: int = DEFAULT_THRESHOLD,
    protection: Mapping[str, CellState] | None = None,
) -> PublicComplaintSummary:
    """Counts only — by category and outcome, by channel, answers against their deadlines,
    late filings and the statute's figure — with small counts suppressed as in the public
    annual report. Raises ``RuleViolation`` when a figure cannot be counted or protected.

    ``protection`` is the states decided over the year's whole linked public release
    (``services.public_release``), already attack-checked there; without it the summary is
    protected on its own."""
    figures = _summary_figures(complaints, calendar, rules, today)
    values, equations = figures.values, figures.equations
    cells, row_totals, col_totals = figures.cells, figures.row_totals, figures.col_totals
    channel_keys, answer_keys = figures.channel_keys, figures.answer_keys
    answer_totals = figures.answer_totals
    categories = [c.value for c in Category]
    total = "total"
    if protection is not None:
        missing = [k for k in values if k not in protection]
        if missing:
            raise ValueError(f"the release protection lacks figures: {missing[:5]}")
        states = {k: protection[k] for k in values}
    else:
        states = suppress(values, equations, threshold)
        assert_safe(values, states, equations, threshold)

    def show(key: str) -> str | int:
        state = states[key]
        return hidden_text(state, threshold) if state.hidden else values[key]

    outcomes = PublicTable(
        ("Category", *OUTCOME_LABELS, TOTAL),
        (*((cat, *(show(cells[(cat, out)]) for out in OUTCOME_LABELS), show(row_totals[cat]))
           for cat in categories),
         (ALL_COMPLAINTS, *(show(col_totals[out]) for out in OUTCOME_LABELS), show(total))))
    return PublicComplaintSummary(
        threshold=threshold,
        as_of=today,
        outcomes=outcomes,
        channels=PublicTable(("How the complaint was made", "Complaints"),
                             tuple((ch, show(key)) for ch, key in channel_keys.items())),
        answers=PublicTable(
            ("Written answer", *(t.value for t in Timeliness), TOTAL),
            tuple((kind.value, *(show(answer_keys[(kind, t)]) for t in Timeliness),
                   show(answer_totals[kind])) for kind in DeadlineKind)),
        filing=PublicTable(("Filing", "Complaints"),
                           ((LATE_FILED_LABEL, show("late_filed")),)),
        by_law=PublicTable(("Statute", "Complaints"),
                           ((COUNTED_BY_LAW_LABEL, show("by_law")),)),
    )


def _summary_figures(
    complaints: Sequence[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    today: dt.date,
) -> _SummaryFigures:
    values: dict[str, int] = {}
    equations: list[Equation] = []
    categories = [c.value for c in Category]

    # category × outcome, with margins
    cells = {(cat, out): f"outcome:{cat}:{out}" for cat in categories for out in OUTCOME_LABELS}
    row_totals = {cat: f"outcome:{cat}:{TOTAL}" for cat in categories}
    col_totals = {out: f"outcome:{ALL_COMPLAINTS}:{out}" for out in OUTCOME_LABELS}
    total = "total"
    pairs = Counter((c.category.value, c.outcome) for c in complaints)
    for (cat, out), key in cells.items():
        values[key] = pairs[(cat, out)]
    for cat, key in row_totals.items():
        values[key] = sum(pairs[(cat, out)] for out in OUTCOME_LABELS)
    for out, key in col_totals.items():
        values[key] = sum(pairs[(cat, out)] for cat in categories)
    values[total] = len(complaints)
    equations += two_way_equations(cells, row_totals, col_totals, total)

    # channels add up to the total
    channels = Counter(c.channel.value for c in complaints)
    channel_keys = {ch.value: f"channel:{ch.value}" for ch in Channel}
    for ch, key in channel_keys.items():
        values[key] = channels[ch]
    equations += one_way_equations(total, list(channel_keys.values()))

    # answers against deadlines: every complaint has a determination deadline; appeals their own
    answer_keys = {(kind, t): f"answer:{kind.name}:{t.name}"
                   for kind in DeadlineKind for t in Timeliness}
    answer_totals = {DeadlineKind.DETERMINATION: total,
                     DeadlineKind.APPEAL: f"answer:{DeadlineKind.APPEAL.name}:{TOTAL}"}
    standing: Counter[tuple[DeadlineKind, Timeliness]] = Counter()
    for c in complaints:
        for kind in DeadlineKind:
            t = answer_timeliness(c, kind, calendar, rules, today)
            if t is not None:
                standing[(kind, t)] += 1
    for key_pair, key in answer_keys.items():
        values[key] = standing[key_pair]
    values[answer_totals[DeadlineKind.APPEAL]] = sum(
        standing[(DeadlineKind.APPEAL, t)] for t in Timeliness)
    for kind in DeadlineKind:
        equations.append(Equation(answer_totals[kind],
                                  tuple(answer_keys[(kind, t)] for t in Timeliness)))
    # a determination still awaited is a Pending outcome: the reader can tie the two tables
    awaited = (answer_keys[(DeadlineKind.DETERMINATION, Timeliness.LATE_OPEN)],
               answer_keys[(DeadlineKind.DETERMINATION, Timeliness.NOT_YET_DUE)])
    if values[col_totals[PENDING]] == sum(values[k] for k in awaited):  # always, for valid data
        equations.append(Equation(col_totals[PENDING], awaited))

    values["late_filed"] = sum(1 for c in complaints if is_late_filing(c, rules))
    values["by_law"] = sum(values[row_totals[cat.value]] for cat in Category
                           if cat.counted_by_law)
    equations.append(Equation("by_law", tuple(row_totals[cat.value] for cat in Category
                                              if cat.counted_by_law)))

    return _SummaryFigures(values, equations, cells, row_totals, col_totals, channel_keys,
                           answer_keys, answer_totals)
