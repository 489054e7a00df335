"""Small-cell suppression for the public edition, and the checker that proves it holds.

OSPI withholds groups under 10 students (WAC 392-117-060). Hiding the small cells is not enough:
when a table prints its total, one hidden cell can be worked out by subtraction, and in a two-way
table the row and column margins give more ways to do it. So the engine works on a *system* of
published figures and the sums that tie them together (``Equation``: a whole equals the sum of its
parts), which covers one-way tables with totals, two-way tables with margins, age bands that add
up ages, and tables that share a margin, all at once:

1. primary suppression hides every count from 1 to ``threshold - 1``;
2. a zero that adds up to a hidden total is hidden too (``revealing_zeros``): otherwise a table
   can show who a small hidden group is — if the "<10" students subjected to force sit in a column
   whose every other cell is 0, a reader learns they were all White and female (an *attribute*
   disclosure, no subtraction needed). Zeros the reader can already tell are zero (their other
   total is a shown 0) stay shown;
3. the checker looks for any hidden figure an attacker could recover; for each one found,
   complementary suppression hides one more figure in a sum that contains it (the smallest
   non-zero part first), and the checker runs again until it finds nothing.

``find_leaks`` is the proof. An attacker who knows every shown figure, every sum, and that a
figure shown as "<10" lies between 1 and ``threshold - 1``, can recover a hidden figure only if
(a) some combination of the sums pins it down — tested exactly, with rational Gaussian elimination
over the hidden figures (a hidden figure is determined by linear algebra exactly when its unit
vector lies in the row space of the sums), or (b) the known ranges squeeze it to a single value
through the sums — tested by propagating lower and upper bounds to a fixed point. A figure that
passes both cannot be worked out by subtraction. ``assert_safe`` also refuses a shown zero that
``revealing_zeros`` names, so the attribute rule is proved by the same checker.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.intervals import Interval, feasible_intervals

DEFAULT_THRESHOLD = 10
DEFAULT_PROTECTION_WIDTH = 5
MAX_PROTECTION_WIDTH = 50
MIN_THRESHOLD = 2
MAX_THRESHOLD = 100
_UNKNOWN_HIGH = 10**15
_MAX_BOUND_ROUNDS = 400


class CellState(StrEnum):
    SHOWN = "shown"
    PRIMARY = "hidden: fewer than the threshold"
    COMPLEMENTARY = "hidden: would reveal another hidden figure"  # printed "*", any size

    @property
    def hidden(self) -> bool:
        return self is not CellState.SHOWN


def hidden_text(state: CellState, threshold: int) -> str:
    """How a hidden figure reads in a table: "<10" for small counts, "*" for the protecting ones."""
    if state is CellState.PRIMARY:
        return f"<{threshold}"
    if state is CellState.COMPLEMENTARY:
        return "*"
    raise ValueError("a shown figure has no hidden text")


def rule_text(threshold: int) -> str:
    """The suppression rule in words, printed in every public report."""
    return (
        f"To protect student privacy (WAC 392-117-060), counts from 1 to {threshold - 1} are "
        f'shown as "<{threshold}". Where a hidden count could be worked out from a total or '
        'from the other figures in its row or column, a further count is hidden and shown as "*"; '
        'a "*" may stand for any number, small or large. '
        "When a total is hidden, the zeros that add up to it are hidden too and shown as "
        '"*", so a table cannot reveal that every member of a small group shares one outcome '
        "(for example, that the few students subjected to force were all of one race or "
        "gender). Other zeros are shown as 0. Percentages and rates built on a hidden count are "
        "not shown. Every table was checked before release: no hidden count can be recovered "
        "by subtraction, and no shown zero points to a hidden group."
    )


def validate_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        raise RuleViolation("The suppression threshold must be a whole number.")
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise RuleViolation(
            f"The suppression threshold must be between {MIN_THRESHOLD} and {MAX_THRESHOLD}."
        )
    return threshold


def validate_width(width: int) -> int:
    """The protection width: how wide, at least, a hidden figure's feasible range must stay."""
    if isinstance(width, bool) or not isinstance(width, int):
        raise RuleViolation("The protection width must be a whole number.")
    if not 0 <= width <= MAX_PROTECTION_WIDTH:
        raise RuleViolation(
            f"The protection width must be between 0 and {MAX_PROTECTION_WIDTH}."
        )
    return width


def required_width(state: CellState, threshold: int, width: int) -> int:
    """The width a hidden figure's feasible range must have.

    A "<t" figure is already known to lie in 1..t-1, a range t-2 wide, so it can be asked for
    no more than that; a "*" figure must keep the full protection width.
    """
    if state is CellState.PRIMARY:
        return min(width, threshold - 2)
    return width


class ReasonKind(StrEnum):
    PRIMARY = "primary"
    ZERO = "zero beside a hidden total"
    COMPLEMENTARY = "complementary"
    RANGE = "relabelled"


@dataclass(frozen=True, slots=True)
class Equation:
    """A published sum: the figure ``whole`` equals the sum of the figures ``parts``."""

    whole: str
    parts: tuple[str, ...]

    def figures(self) -> tuple[str, ...]:
        return (self.whole, *self.parts)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why one figure is hidden: the rule, the hidden figure it protects and through which sum."""

    kind: ReasonKind
    protects: str | None = None
    relation: Equation | None = None


@dataclass(frozen=True, slots=True)
class Leak:
    """A hidden figure an attacker can recover, and how."""

    cell: str
    value: int
    how: str
    by_ranges: bool = False

    def __str__(self) -> str:
        return f"{self.cell} = {self.value} can be recovered {self.how}"


def one_way_equations(total: str, parts: Sequence[str]) -> list[Equation]:
    return [Equation(total, tuple(parts))] if parts else []


def two_way_equations(
    cell: Mapping[tuple[str, str], str],
    row_totals: Mapping[str, str],
    col_totals: Mapping[str, str],
    total: str,
) -> list[Equation]:
    """Rows add up to row margins, columns to column margins, each margin to the grand total."""
    rows = list(row_totals)
    cols = list(col_totals)
    equations = [Equation(row_totals[r], tuple(cell[(r, c)] for c in cols)) for r in rows]
    equations += [Equation(col_totals[c], tuple(cell[(r, c)] for r in rows)) for c in cols]
    equations += one_way_equations(total, [row_totals[r] for r in rows])
    equations += one_way_equations(total, [col_totals[c] for c in cols])
    return equations


def _check_system(values: Mapping[str, int], equations: Sequence[Equation]) -> None:
    for key, value in values.items():
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"figure {key} must be a count (a whole number, 0 or more)")
    for eq in equations:
        keys = eq.figures()
        if len(set(keys)) != len(keys):
            raise ValueError(f"a sum repeats a figure: {eq}")
        missing = [k for k in keys if k not in values]
        if missing:
            raise ValueError(f"a sum uses unknown figures: {missing}")
        if values[eq.whole] != sum(values[p] for p in eq.parts):
            raise ValueError(f"the figures do not add up: {eq.whole}")


def primary_states(values: Mapping[str, int], threshold: int) -> dict[str, CellState]:
    return {
        key: CellState.PRIMARY if 0 < value < threshold else CellState.SHOWN
        for key, value in values.items()
    }


def revealing_zeros(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    structural: frozenset[str] | set[str] = frozenset(),
) -> list[str]:
    """Shown zeros that are parts of a sum whose whole is hidden (attribute disclosure).

    When a hidden total's other parts are shown as 0, the reader learns where the whole hidden
    group sits. A zero that some *shown* sum of 0 already makes zero (an empty row) tells the
    reader nothing new and is not named; nor is a structural zero (a category that cannot occur,
    which the reader knows is 0 whatever the data).
    """
    return sorted(_revealing_zero_relations(values, states, equations, structural))


def _revealing_zero_relations(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    structural: frozenset[str] | set[str] = frozenset(),
) -> dict[str, Equation]:
    known_zero = _known_zeros(values, states, equations) | set(structural)
    found: dict[str, Equation] = {}
    for eq in equations:
        if not states[eq.whole].hidden:
            continue
        for part in eq.parts:
            if values[part] == 0 and not states[part].hidden and part not in known_zero:
                found.setdefault(part, eq)
    return found


def _known_zeros(
    values: Mapping[str, int], states: Mapping[str, CellState], equations: Sequence[Equation]
) -> set[str]:
    """Figures a reader knows are 0 from a shown sum of 0: the sum and every part of it."""
    return {
        key for eq in equations
        if not states[eq.whole].hidden and values[eq.whole] == 0 for key in eq.figures()
    }


def _hide_revealing_zeros(
    values: Mapping[str, int],
    states: dict[str, CellState],
    equations: Sequence[Equation],
    reasons: dict[str, Reason],
    structural: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Hide revealing zeros as "*" until none is left (hiding a zero total can expose more)."""
    while True:
        zeros = _revealing_zero_relations(values, states, equations, structural)
        if not zeros:
            return
        for key, eq in sorted(zeros.items()):
            states[key] = CellState.COMPLEMENTARY
            reasons[key] = Reason(ReasonKind.ZERO, eq.whole, eq)


def _linear_rows(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
) -> tuple[list[str], list[dict[int, int]], list[int]]:
    """Each sum rewritten over the hidden figures only: coefficients and the known constant."""
    index: dict[str, int] = {}
    rows: list[dict[int, int]] = []
    constants: list[int] = []
    for eq in equations:
        coeffs: dict[int, int] = {}
        constant = 0
        for key, sign in ((eq.whole, 1), *((p, -1) for p in eq.parts)):
            if states[key].hidden:
                col = index.setdefault(key, len(index))
                coeffs[col] = coeffs.get(col, 0) + sign
            else:
                constant -= sign * values[key]
        coeffs = {c: v for c, v in coeffs.items() if v}
        if coeffs:
            rows.append(coeffs)
            constants.append(constant)
    names = [""] * len(index)
    for key, col in index.items():
        names[col] = key
    return names, rows, constants


def determined_by_sums(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
) -> list[str]:
    """Hidden figures that some combination of the published sums pins down exactly.

    Sparse reduced row echelon form in exact rational arithmetic: a variable is determined iff
    its unit vector is in the row space, i.e. iff some reduced row is exactly that unit vector.
    """
    names, rows, _ = _linear_rows(values, states, equations)
    pivots: dict[int, dict[int, Fraction]] = {}
    for raw in rows:
        row: dict[int, Fraction] = {c: Fraction(v) for c, v in raw.items()}
        for col in [c for c in row if c in pivots]:
            factor = row.get(col)
            if not factor:
                continue
            for k, v in pivots[col].items():
                updated = row.get(k, Fraction(0)) - factor * v
                if updated:
                    row[k] = updated
                else:
                    row.pop(k, None)
        if not row:
            continue
        pivot = min(row)
        scale = row[pivot]
        row = {k: v / scale for k, v in row.items()}
        for other in pivots.values():
            factor = other.get(pivot)
            if factor:
                for k, v in row.items():
                    updated = other.get(k, Fraction(0)) - factor * v
                    if updated:
                        other[k] = updated
                    else:
                        other.pop(k, None)
        pivots[pivot] = row
    return sorted(names[col] for col, row in pivots.items() if len(row) == 1)


def bounds(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    threshold: int,
) -> dict[str, tuple[int, int]]:
    """The tightest range for each hidden figure that interval propagation through the sums gives.

    Starting ranges are what the reader is told: "<threshold" means 1..threshold-1; "*" means
    any count. Every step is a valid inference, so a range of one value is a real disclosure.
    """
    names, rows, constants = _linear_rows(values, states, equations)
    lo: list[int] = []
    hi: list[int] = []
    for name in names:
        if states[name] is CellState.PRIMARY:
            lo.append(1)
            hi.append(threshold - 1)
        else:
            lo.append(0)
            hi.append(_UNKNOWN_HIGH)
    by_var: dict[int, list[int]] = defaultdict(list)
    for r, row in enumerate(rows):
        for col in row:
            by_var[col].append(r)
    queue = list(range(len(rows)))
    queued = set(queue)
    rounds = 0
    limit = _MAX_BOUND_ROUNDS * max(1, len(rows))
    while queue and rounds < limit:
        rounds += 1
        r = queue.pop()
        queued.discard(r)
        row, constant = rows[r], constants[r]
        # sum(c * x) = constant; each term's range:
        term_lo = {c: (a * lo[c] if a > 0 else a * hi[c]) for c, a in row.items()}
        term_hi = {c: (a * hi[c] if a > 0 else a * lo[c]) for c, a in row.items()}
        total_lo = sum(term_lo.values())
        total_hi = sum(term_hi.values())
        for c, a in row.items():
            rest_lo = total_lo - term_lo[c]
            rest_hi = total_hi - term_hi[c]
            # a * x = constant - rest, and every coefficient is +1 or -1
            if a > 0:
                new_lo, new_hi = constant - rest_hi, constant - rest_lo
            else:
                new_lo, new_hi = rest_lo - constant, rest_hi - constant
            new_lo, new_hi = max(lo[c], new_lo), min(hi[c], new_hi)
            if (new_lo, new_hi) != (lo[c], hi[c]):
                lo[c], hi[c] = new_lo, new_hi
                for other in by_var[c]:
                    if other not in queued:
                        queue.append(other)
                        queued.add(other)
    return {name: (lo[i], hi[i]) for i, name in enumerate(names)}


def exact_intervals(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    threshold: int,
    width: int | None = None,
) -> dict[str, Interval]:
    """Each hidden figure's feasible interval, exactly (``domain.intervals``): the attacker's
    best bounds from every published figure, sum and range, and the witnessed whole-number ends.

    With ``width``, only the figures whose interval is narrower than ``required_width`` are
    sure to be in the result (the others may be skipped once shown to be wide enough)."""
    names, rows, _ = _linear_rows(values, states, equations)
    lower = [1 if states[n] is CellState.PRIMARY else 0 for n in names]
    upper: list[int | None] = [threshold - 1 if states[n] is CellState.PRIMARY else None
                               for n in names]
    need = None if width is None else [required_width(states[n], threshold, width)
                                       for n in names]
    found = feasible_intervals(names, rows, [values[n] for n in names], lower, upper, need)
    for key, state in states.items():  # a hidden figure in no sum: only its range bounds it
        if state.hidden and key not in found and key not in names:
            low = 1 if state is CellState.PRIMARY else 0
            high = threshold - 1 if state is CellState.PRIMARY else None
            found[key] = Interval(low, high, low, high)
    return found


def find_leaks(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    threshold: int,
    width: int = 0,
    intervals_out: dict[str, Interval] | None = None,
) -> list[Leak]:
    """Every hidden figure that can be recovered from what is published. Empty means safe.

    With a protection ``width`` above 0, a hidden figure whose exact feasible interval is
    narrower than ``required_width`` is a leak too (it is known too closely); the intervals
    found are put in ``intervals_out`` when given.
    """
    leaks: dict[str, Leak] = {}
    for name in determined_by_sums(values, states, equations):
        leaks[name] = Leak(name, values[name], "by subtraction from the published totals")
    for name, (low, high) in bounds(values, states, equations, threshold).items():
        if low == high and name not in leaks:
            leaks[name] = Leak(name, values[name], "from the totals and the ranges shown",
                               by_ranges=True)
    if width and not leaks:
        found = exact_intervals(values, states, equations, threshold, width)
        if intervals_out is not None:
            intervals_out.update(found)
        for name, interval in found.items():
            need = required_width(states[name], threshold, width)
            if interval.width is not None and interval.width < need:
                how = (f"to within {interval.text()} (a range {interval.width} wide, narrower "
                       f"than the protection width {need})")
                leaks[name] = Leak(name, values[name], how, by_ranges=True)
    return [leaks[k] for k in sorted(leaks)]


def _complement_for(
    leak: str,
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    containing: Mapping[str, list[Equation]],
    degree: Mapping[str, int],
    known_zero: frozenset[str] | set[str] = frozenset(),
) -> tuple[str, Equation] | None:
    """The shown figure to hide so that ``leak`` is no longer recoverable: cheapest useful one,
    with the sum through which it protects ``leak``.

    Non-zero parts first (a hidden 0 next to a hidden 1 protects nothing), then totals, then
    the smallest, then the one that appears in the fewest sums (fewer knock-on hides). A figure
    a shown sum of 0 already gives away (an empty row), or a structural zero, is never chosen:
    hiding it protects nothing.
    """
    candidates: list[tuple[int, int, int, int, str, int]] = []
    sums = containing.get(leak, [])
    for index, eq in enumerate(sums):
        for key in eq.figures():
            if states[key].hidden or key in known_zero:
                continue
            value = values[key]
            is_whole = 1 if key == eq.whole else 0
            candidates.append((1 if value == 0 else 0, is_whole, value, degree[key], key, index))
    if not candidates:
        return None
    best = min(candidates)
    return best[4], sums[best[5]]


def _relabel_for(
    leak: str, states: Mapping[str, CellState], containing: Mapping[str, list[Equation]]
) -> tuple[str, Equation] | None:
    """A "<threshold" figure in the leak's sums to print as "*" instead, dropping its range.

    When every figure is already hidden, the ranges alone can still give a count away (four
    "<5" parts of a "<5" total must each be 1). "*" says nothing about size, so relabelling one
    figure — a total first — removes the range that did it.
    """
    sums = containing.get(leak, [])
    candidates = [
        (0 if key == eq.whole else 1, key, index)
        for index, eq in enumerate(sums)
        for key in eq.figures()
        if states[key] is CellState.PRIMARY
    ]
    if not candidates:
        return None
    best = min(candidates)
    return best[1], sums[best[2]]


@dataclass(frozen=True, slots=True)
class Protection:
    """The outcome of protecting a system: each figure's state and, for a hidden one, why."""

    states: dict[str, CellState]
    reasons: dict[str, Reason]
    # each hidden figure's interval from the last attack (empty when the width is 0)
    intervals: dict[str, Interval] = field(default_factory=dict)


def protect(
    values: Mapping[str, int],
    equations: Sequence[Equation],
    threshold: int = DEFAULT_THRESHOLD,
    width: int = 0,
    structural: frozenset[str] | set[str] = frozenset(),
) -> Protection:
    """Decide every figure's state (primary, zeros, complements until the attack finds nothing)
    and record why each hidden figure is hidden. Raises ``RuleViolation`` if it cannot be made
    safe. Deterministic: every choice is made by a sort over names and values, never by order
    of arrival in a set."""
    validate_threshold(threshold)
    validate_width(width)
    _check_system(values, equations)
    structural = frozenset(structural)
    bad = sorted(k for k in structural if values.get(k) != 0)
    if bad:
        raise ValueError(f"a structural zero must be 0: {bad[:5]}")
    states = primary_states(values, threshold)
    reasons: dict[str, Reason] = {
        k: Reason(ReasonKind.PRIMARY) for k, st in states.items() if st is CellState.PRIMARY
    }
    containing: dict[str, list[Equation]] = defaultdict(list)
    for eq in equations:
        for key in eq.figures():
            containing[key].append(eq)
    degree = {key: len(containing.get(key, [])) for key in values}

    def mark(choice: tuple[str, Equation] | None, kind: ReasonKind, leak: str) -> bool:
        if choice is None:
            return False
        key, eq = choice
        states[key] = CellState.COMPLEMENTARY
        reasons[key] = Reason(kind, leak, eq)
        touched.add(key)
        return True

    # Every round changes at least one figure from shown or "<t" towards "*", so this ends.
    for _ in range(2 * len(values) + 2):
        _hide_revealing_zeros(values, states, equations, reasons, structural)
        intervals: dict[str, Interval] = {}
        leaks = find_leaks(values, states, equations, threshold, width, intervals)
        if not leaks:
            return Protection(states, reasons, intervals)
        progress = False
        touched: set[str] = set()
        known_zero = _known_zeros(values, states, equations) | structural
        for leak in leaks:
            if any(k in touched for eq in containing.get(leak.cell, []) for k in eq.figures()):
                continue  # this round already changed a sum it is in; look again next round
            choice = _complement_for(leak.cell, values, states, containing, degree, known_zero)
            if choice is not None:
                progress |= mark(choice, ReasonKind.COMPLEMENTARY, leak.cell)
                continue
            if leak.by_ranges and mark(_relabel_for(leak.cell, states, containing),
                                       ReasonKind.RANGE, leak.cell):
                progress = True
                continue
            # Every figure in the leaking figure's own sums is hidden: widen to its neighbours.
            for eq in containing.get(leak.cell, []):
                for key in eq.figures():
                    choice = choice or _complement_for(
                        key, values, states, containing, degree, known_zero
                    )
            if choice is None:
                choice = _relabel_for(leak.cell, states, containing)
            progress |= mark(choice, ReasonKind.COMPLEMENTARY, leak.cell)
        if not progress:
            break
    _hide_revealing_zeros(values, states, equations, reasons, structural)
    intervals = {}
    leaks = find_leaks(values, states, equations, threshold, width, intervals)
    if leaks:
        raise RuleViolation(
            "The public edition could not be protected: "
            + "; ".join(str(leak) for leak in leaks[:5])
        )
    return Protection(states, reasons, intervals)


def suppress(
    values: Mapping[str, int],
    equations: Sequence[Equation],
    threshold: int = DEFAULT_THRESHOLD,
    width: int = 0,
    structural: frozenset[str] | set[str] = frozenset(),
) -> dict[str, CellState]:
    """The state of every figure in the public edition; raises if it cannot be made safe."""
    return protect(values, equations, threshold, width, structural).states


def published(
    values: Mapping[str, int], states: Mapping[str, CellState]
) -> dict[str, int | None]:
    """What the public edition prints: the count, or ``None`` for a hidden one."""
    return {k: (None if states[k].hidden else v) for k, v in values.items()}


def assert_safe(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Iterable[Equation],
    threshold: int,
    width: int = 0,
    structural: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Refuse to release a public table that leaks, shows a small count, or a revealing zero.

    With ``width`` above 0 it also refuses a hidden figure known to within less than the
    protection width (``required_width``)."""
    equations = list(equations)
    small = [k for k, v in values.items() if 0 < v < threshold and not states[k].hidden]
    if small:
        raise RuleViolation(f"Small counts would be shown: {', '.join(sorted(small)[:5])}")
    zeros = revealing_zeros(values, states, equations, structural)
    if zeros:
        raise RuleViolation(
            "Zeros would show where a hidden group is: " + ", ".join(zeros[:5])
        )
    leaks = find_leaks(values, states, equations, threshold, width)
    if leaks:
        raise RuleViolation("Hidden counts could be recovered: " + "; ".join(map(str, leaks[:5])))
