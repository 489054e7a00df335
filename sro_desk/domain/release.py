"""One protected public release: every public document of a school year protected together.

A reader holds every public document of the year at once: the annual report (every edition and
format, its charts included, since they draw the report's own figures), the public complaint
summary, and any public document added later. Protecting each one on its own is not enough: in
the case that started this module the report showed the statutory complaint count (12) and hid
the total, while the summary showed the total (13) and a job-duties row of zeros, so "other" =
13 − 12 − 0 = 1 was recovered though both documents passed their own check.

So a ``LinkedRelease`` joins the documents into one system of figures: each document's figures
(named ``document::key``), each document's sums, and ``Link``s that say two documents print the
same figure (``report::complaints.total`` is ``summary::total``). ``protect_release`` decides the
state of every figure over the whole system at once (``domain.suppression.protect``), so a
figure hidden in one document is hidden in every document that prints it, and complementary
cells are chosen with every relation in view. ``attack_release`` is the check run before
anything public is written: exact rational elimination over every published figure, sum and
link (a hidden figure that some combination pins down), bound propagation, and each hidden
figure's exact feasible interval (``domain.intervals``), refusing a figure known to within less
than the district's protection width.

A figure's value may be ``None``: "not collected" (CRDC keeps it apart from 0). It prints as
"not collected", takes no part in any sum (a sum over it is not a relation a reader can use) and
is never hidden or shown as a number. A *structural* zero is a category that cannot occur: it is
printed, it is known to the reader whatever the data, and it never counts as a zero pointing to a
hidden group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.intervals import Interval
from sro_desk.domain.suppression import (
    DEFAULT_PROTECTION_WIDTH,
    DEFAULT_THRESHOLD,
    CellState,
    Equation,
    Leak,
    Protection,
    Reason,
    ReasonKind,
    assert_safe,
    exact_intervals,
    find_leaks,
    hidden_text,
    protect,
    required_width,
    validate_threshold,
    validate_width,
)

SEPARATOR = "::"
NOT_COLLECTED_TEXT = "not collected"


@dataclass(frozen=True, slots=True)
class PublicDocument:
    """One public document's figures and sums, before protection."""

    name: str
    values: Mapping[str, int | None]  # None: not collected
    equations: Sequence[Equation]
    structural: frozenset[str] = frozenset()
    labels: Mapping[str, str] = field(default_factory=dict)  # key -> words for the coordinator

    def label(self, key: str) -> str:
        return self.labels.get(key, key)


@dataclass(frozen=True, slots=True)
class Link:
    """Two documents print the same figure: ``(document, key)`` equals ``(document, key)``."""

    first: tuple[str, str]
    second: tuple[str, str]


@dataclass(frozen=True, slots=True)
class LinkedRelease:
    documents: tuple[PublicDocument, ...]
    links: tuple[Link, ...] = ()

    def document(self, name: str) -> PublicDocument:
        for doc in self.documents:
            if doc.name == name:
                return doc
        raise KeyError(name)


def global_key(document: str, key: str) -> str:
    return f"{document}{SEPARATOR}{key}"


def split_key(key: str) -> tuple[str, str]:
    document, _, local = key.partition(SEPARATOR)
    return document, local


@dataclass(frozen=True, slots=True)
class _Joined:
    values: dict[str, int]
    equations: list[Equation]
    structural: frozenset[str]
    not_collected: frozenset[str]


def _join(release: LinkedRelease, cross_document: bool = True) -> _Joined:
    names = [d.name for d in release.documents]
    if len(set(names)) != len(names) or any(SEPARATOR in n or not n for n in names):
        raise ValueError("every document of a release needs its own plain name")
    values: dict[str, int] = {}
    equations: list[Equation] = []
    structural: set[str] = set()
    missing: set[str] = set()
    for doc in release.documents:
        for key, value in doc.values.items():
            if value is None:
                missing.add(global_key(doc.name, key))
            else:
                values[global_key(doc.name, key)] = value
        structural.update(global_key(doc.name, k) for k in doc.structural)
        for eq in doc.equations:
            keys = [global_key(doc.name, k) for k in eq.figures()]
            if any(k in missing for k in keys):
                continue  # a sum over a figure not collected tells the reader nothing usable
            equations.append(Equation(keys[0], tuple(keys[1:])))
    if cross_document:
        for link in release.links:
            first, second = global_key(*link.first), global_key(*link.second)
            for key in (first, second):
                if key not in values and key not in missing:
                    raise ValueError(f"a link names a figure no document has: {key}")
            if first in missing or second in missing:
                continue
            if values[first] != values[second]:
                raise RuleViolation(
                    f"Two public documents disagree on one figure ({first} is {values[first]}, "
                    f"{second} is {values[second]}); they cannot be released together."
                )
            equations.append(Equation(first, (second,)))
    return _Joined(values, equations, frozenset(structural), frozenset(missing))


@dataclass(frozen=True, slots=True)
class Explanation:
    """One row of the internal edition's explanation sheet: why a public figure is hidden."""

    document: str
    figure: str
    printed: str
    reason: str
    interval: str

    def row(self) -> tuple[str, str, str, str, str]:
        return (self.document, self.figure, self.printed, self.reason, self.interval)


EXPLANATION_HEADERS = ("Document", "Figure", "Printed as", "Why it is hidden",
                       "What a reader can work out")


@dataclass(frozen=True, slots=True)
class ReleaseProtection:
    """The state of every figure of every document in the release, and why each is hidden."""

    threshold: int
    width: int
    states: dict[str, CellState]  # global keys
    reasons: dict[str, Reason]
    intervals: dict[str, Interval]
    not_collected: frozenset[str]
    structural: frozenset[str]

    def for_document(self, name: str) -> dict[str, CellState]:
        """One document's states by its own keys (figures not collected are left out)."""
        prefix = name + SEPARATOR
        return {k[len(prefix):]: v for k, v in self.states.items() if k.startswith(prefix)}

    def hidden_count(self) -> int:
        return sum(1 for s in self.states.values() if s.hidden)


def _relation_text(eq: Equation, release: LinkedRelease) -> str:
    def name(key: str) -> str:
        doc, local = split_key(key)
        return f"{release.document(doc).label(local)} ({doc})"

    if len(eq.parts) == 1:
        return f"{name(eq.whole)} is the same figure as {name(eq.parts[0])}"
    if len(eq.parts) > 4:
        return (f"{name(eq.whole)} = the sum of its {len(eq.parts)} parts "
                f"({name(eq.parts[0])}, {name(eq.parts[1])}, ...)")
    return f"{name(eq.whole)} = " + " + ".join(name(p) for p in eq.parts)


def _documents_of(eq: Equation) -> set[str]:
    return {split_key(k)[0] for k in eq.figures()}


def explain(release: LinkedRelease, protection: ReleaseProtection) -> tuple[Explanation, ...]:
    """Why each hidden figure is hidden, in words, sorted by document and figure."""
    rows: list[Explanation] = []
    t = protection.threshold
    for key in sorted(protection.states):
        state = protection.states[key]
        if not state.hidden:
            continue
        doc, local = split_key(key)
        reason = protection.reasons.get(key)
        text: str
        if reason is None or reason.kind is ReasonKind.PRIMARY:
            text = f"Primary: a count from 1 to {t - 1} (WAC 392-117-060)."
        else:
            assert reason.protects is not None and reason.relation is not None
            p_doc, p_local = split_key(reason.protects)
            protected = f"{release.document(p_doc).label(p_local)} ({p_doc})"
            relation = _relation_text(reason.relation, release)
            cross = len(_documents_of(reason.relation)) > 1 or p_doc != doc
            prefix = "Cross-document. " if cross else ""
            if reason.kind is ReasonKind.ZERO:
                text = (f"{prefix}A zero beside the hidden total {protected}: shown, it would "
                        f"say where that small group is. Relation: {relation}.")
            elif reason.kind is ReasonKind.RANGE:
                text = (f"{prefix}Printed as * instead of <{t} so that the ranges do not pin "
                        f"down {protected}. Relation: {relation}.")
            else:
                text = (f"{prefix}Complementary: protects {protected}, which could otherwise be "
                        f"worked out. Relation: {relation}.")
        interval = protection.intervals.get(key)
        rows.append(Explanation(
            doc, release.document(doc).label(local), hidden_text(state, t), text,
            "" if interval is None else _interval_words(interval),
        ))
    return tuple(rows)


def _interval_words(interval: Interval) -> str:
    if interval.high is None:
        return f"at least {interval.low}, with no upper limit"
    if not interval.searched:
        return (f"no closer than {interval.low} to {interval.high} (consistent tables exist "
                "with each)")
    text = f"between {interval.low} and {interval.high}"
    if not interval.exact:
        text += (f" (a reader's best bounds: {interval.outer_low} to "
                 f"{'no limit' if interval.outer_high is None else interval.outer_high})")
    return text


def protect_release(
    release: LinkedRelease,
    threshold: int = DEFAULT_THRESHOLD,
    width: int = DEFAULT_PROTECTION_WIDTH,
    *,
    cross_document: bool = True,
) -> ReleaseProtection:
    """Decide every figure of the release together, then run the attack over the whole release.

    ``cross_document=False`` protects each document on its own and ignores the links (what the
    program did before; kept for the test that shows the attack then succeeds). Raises
    ``RuleViolation`` if the release cannot be protected or the attack finds anything.
    """
    validate_threshold(threshold)
    validate_width(width)
    joined = _join(release, cross_document=True)
    if cross_document:
        result = protect(joined.values, joined.equations, threshold, width, joined.structural)
    else:
        states: dict[str, CellState] = {}
        reasons: dict[str, Reason] = {}
        for doc in release.documents:
            alone = _join(LinkedRelease((doc,)), cross_document=False)
            part = protect(alone.values, alone.equations, threshold, width, alone.structural)
            states.update(part.states)
            reasons.update(part.reasons)
        result = Protection(states, reasons)
    # what a reader can work out, for the explanation sheet: the last attack's intervals (exact
    # bounds for a figure near the width, the whole-number tables found for one far above it)
    intervals = result.intervals if cross_document and width else exact_intervals(
        joined.values, result.states, joined.equations, threshold, max(width, 1))
    protection = ReleaseProtection(
        threshold, width, result.states, result.reasons, intervals,
        joined.not_collected, joined.structural,
    )
    if cross_document:
        check_release(release, protection)
    return protection


def attack_release(
    release: LinkedRelease, states: Mapping[str, CellState], threshold: int, width: int
) -> list[Leak]:
    """Everything a reader holding every document of the release could recover: hidden figures
    determined by the sums and links, pinned by the ranges, or known to within less than the
    protection width. Empty means the release is safe."""
    joined = _join(release)
    return find_leaks(joined.values, dict(states), joined.equations, threshold, width)


def check_release(release: LinkedRelease, protection: ReleaseProtection) -> None:
    """Refuse the release (``RuleViolation``) unless the attack over all of it finds nothing and
    no small count or revealing zero is shown.

    The exact elimination and the bounds run again here; the feasible intervals are the ones the
    protection's last attack computed over this same system and states (each end witnessed by a
    whole-number table), checked again against the width."""
    joined = _join(release)
    missing = [k for k in joined.values if k not in protection.states]
    if missing:
        raise RuleViolation(f"Figures without a decided state: {', '.join(missing[:5])}")
    assert_safe(joined.values, protection.states, joined.equations, protection.threshold,
                0, joined.structural)
    hidden = [k for k, s in protection.states.items() if s.hidden]
    unchecked = [k for k in hidden if k not in protection.intervals]
    if protection.width and unchecked:
        raise RuleViolation(f"Hidden figures without a checked range: {', '.join(unchecked[:5])}")
    narrow = [k for k in hidden if k in protection.intervals and not interval_ok(protection, k)]
    if narrow:
        raise RuleViolation("Hidden counts could be known too closely: "
                            + "; ".join(f"{k} to within {protection.intervals[k].text()}"
                                        for k in narrow[:5]))


def interval_ok(protection: ReleaseProtection, key: str) -> bool:
    """Does the hidden figure ``key`` keep the protection width? (For tests and the sheet.)"""
    interval = protection.intervals[key]
    need = required_width(protection.states[key], protection.threshold, protection.width)
    return interval.width is None or interval.width >= need
