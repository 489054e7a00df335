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
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from sro_desk.domain.errors import RuleViolation

DEFAULT_THRESHOLD = 10
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


@dataclass(frozen=True, slots=True)
class Equation:
    """A published sum: the figure ``whole`` equals the sum of the figures ``parts``."""

    whole: str
    parts: tuple[str, ...]

    def figures(self) -> tuple[str, ...]:
        return (self.whole, *self.parts)


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
) -> list[str]:
    """Shown zeros that are parts of a sum whose whole is hidden (attribute disclosure).

    When a hidden total's other parts are shown as 0, the reader learns where the whole hidden
    group sits. A zero that some *shown* sum of 0 already makes zero (an empty row) tells the
    reader nothing new and is not named.
    """
    known_zero = _known_zeros(values, states, equations)
    found = {
        part for eq in equations if states[eq.whole].hidden for part in eq.parts
        if values[part] == 0 and not states[part].hidden and part not in known_zero
    }
    return sorted(found)


def _known_zeros(
    values: Mapping[str, int], states: Mapping[str, CellState], equations: Sequence[Equation]
) -> set[str]:
    """Figures a reader knows are 0 from a shown sum of 0: the sum and every part of it."""
    return {
        key for eq in equations
        if not states[eq.whole].hidden and values[eq.whole] == 0 for key in eq.figures()
    }


def _hide_revealing_zeros(
    values: Mapping[str, int], states: dict[str, CellState], equations: Sequence[Equation]
) -> None:
    """Hide revealing zeros as "*" until none is left (hiding a zero total can expose more)."""
    while True:
        zeros = revealing_zeros(values, states, equations)
        if not zeros:
            return
        for key in zeros:
            states[key] = CellState.COMPLEMENTARY


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


def find_leaks(
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    equations: Sequence[Equation],
    threshold: int,
) -> list[Leak]:
    """Every hidden figure that can be recovered from what is published. Empty means safe."""
    leaks: dict[str, Leak] = {}
    for name in determined_by_sums(values, states, equations):
        leaks[name] = Leak(name, values[name], "by subtraction from the published totals")
    for name, (low, high) in bounds(values, states, equations, threshold).items():
        if low == high and name not in leaks:
            leaks[name] = Leak(name, values[name], "from the totals and the ranges shown",
                               by_ranges=True)
    return [leaks[k] for k in sorted(leaks)]


def _complement_for(
    leak: str,
    values: Mapping[str, int],
    states: Mapping[str, CellState],
    containing: Mapping[str, list[Equation]],
    degree: Mapping[str, int],
    known_zero: frozenset[str] | set[str] = frozenset(),
) -> str | None:
    """The shown figure to hide so that ``leak`` is no longer recoverable: cheapest useful one.

    Non-zero parts first (a hidden 0 next to a hidden 1 protects nothing), then totals, then
    the smallest, then the one that appears in the fewest sums (fewer knock-on hides). A figure
    a shown sum of 0 already gives away (an empty row) is never chosen: hiding it protects nothing.
    """
    candidates: list[tuple[int, int, int, int, str]] = []
    for eq in containing.get(leak, []):
        for key in eq.figures():
            if states[key].hidden or key in known_zero:
                continue
            value = values[key]
            is_whole = 1 if key == eq.whole else 0
            candidates.append((1 if value == 0 else 0, is_whole, value, degree[key], key))
    if not candidates:
        return None
    return min(candidates)[4]


def _relabel_for(
    leak: str, states: Mapping[str, CellState], containing: Mapping[str, list[Equation]]
) -> str | None:
    """A "<threshold" figure in the leak's sums to print as "*" instead, dropping its range.

    When every figure is already hidden, the ranges alone can still give a count away (four
    "<5" parts of a "<5" total must each be 1). "*" says nothing about size, so relabelling one
    figure — a total first — removes the range that did it.
    """
    candidates = [
        (0 if key == eq.whole else 1, key)
        for eq in containing.get(leak, [])
        for key in eq.figures()
        if states[key] is CellState.PRIMARY
    ]
    return min(candidates)[1] if candidates else None


def suppress(
    values: Mapping[str, int],
    equations: Sequence[Equation],
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, CellState]:
    """The state of every figure in the public edition; raises if it cannot be made safe."""
    validate_threshold(threshold)
    _check_system(values, equations)
    states = primary_states(values, threshold)
    containing: dict[str, list[Equation]] = defaultdict(list)
    for eq in equations:
        for key in eq.figures():
            containing[key].append(eq)
    degree = {key: len(containing.get(key, [])) for key in values}
    # Every round changes at least one figure from shown or "<t" towards "*", so this ends.
    for _ in range(2 * len(values) + 2):
        _hide_revealing_zeros(values, states, equations)
        leaks = find_leaks(values, states, equations, threshold)
        if not leaks:
            return states
        progress = False
        touched: set[str] = set()
        known_zero = _known_zeros(values, states, equations)
        for leak in leaks:
            if any(k in touched for eq in containing.get(leak.cell, []) for k in eq.figures()):
                continue  # this round already changed a sum it is in; look again next round
            choice = _complement_for(leak.cell, values, states, containing, degree, known_zero)
            if choice is None and leak.by_ranges:
                choice = _relabel_for(leak.cell, states, containing)
            if choice is None:
                # Every figure in the leaking figure's own sums is hidden: widen to its neighbours.
                for eq in containing.get(leak.cell, []):
                    for key in eq.figures():
                        choice = choice or _complement_for(
                            key, values, states, containing, degree, known_zero
                        )
            if choice is None:
                choice = _relabel_for(leak.cell, states, containing)
            if choice is not None:
                states[choice] = CellState.COMPLEMENTARY
                touched.add(choice)
                progress = True
        if not progress:
            break
    _hide_revealing_zeros(values, states, equations)
    leaks = find_leaks(values, states, equations, threshold)
    if leaks:
        raise RuleViolation(
            "The public edition could not be protected: "
            + "; ".join(str(leak) for leak in leaks[:5])
        )
    return states


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
) -> None:
    """Refuse to release a public table that leaks, shows a small count, or a revealing zero."""
    equations = list(equations)
    small = [k for k, v in values.items() if 0 < v < threshold and not states[k].hidden]
    if small:
        raise RuleViolation(f"Small counts would be shown: {', '.join(sorted(small)[:5])}")
    zeros = revealing_zeros(values, states, equations)
    if zeros:
        raise RuleViolation(
            "Zeros would show where a hidden group is: " + ", ".join(zeros[:5])
        )
    leaks = find_leaks(values, states, equations, threshold)
    if leaks:
        raise RuleViolation("Hidden counts could be recovered: " + "; ".join(map(str, leaks[:5])))
