"""Exact feasible intervals of hidden figures: what an attacker with a linear-programming solver
can learn about each one, computed in exact rational arithmetic (no floating point).

The published system is: every shown figure is known; every sum (``whole = parts``) holds; a
figure shown as "<t" lies in 1..t-1; a "*" figure is any count 0 or more. Substituting the shown
figures leaves equations over the hidden ones. For a hidden figure ``x_k`` the attacker's best
bounds are ``min x_k`` and ``max x_k`` over that polytope: two linear programs, solved here by a
bounded-variable primal simplex with Bland's rule (deterministic, no cycling) started from the
true table, which is always feasible, so no phase one is needed.

Two numbers come out of each side:

* the **outer** bound, the linear-programming optimum rounded inwards to a whole number: no
  attacker can narrow the figure beyond it using the published sums and ranges;
* the **witnessed** bound, the value of the figure in an actual whole-number table that is
  consistent with everything published. When the optimal vertex is whole (always for one-way and
  two-way tables with margins, whose sums are totally unimodular) it is the vertex itself;
  otherwise the largest whole-number step from the true table towards the vertex.

The witnessed interval is what the protection guarantee rests on: for every hidden figure the
program has *exhibited* two whole-number tables, consistent with every published figure, sum and
range, in which that figure takes the two ends of the interval. Nothing depends on a solver's
tolerance: each step is exact arithmetic on fractions, and each witness is a feasible point.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeAlias

# A guard against a bug, not a limit that real tables reach: Bland's rule always terminates.
_MAX_PIVOTS = 20_000
_FAR = 10**6  # a step for a direction no range limits


@dataclass(frozen=True, slots=True)
class Interval:
    """What can be learned about one hidden figure. ``None`` as an upper end means unbounded."""

    low: int  # witnessed: a consistent whole-number table has this value
    high: int | None
    outer_low: int  # no consistent table has less
    outer_high: int | None
    # False: only shown wide enough by whole-number tables found on the way; the attacker's
    # best bounds were not computed (they are at least as wide as low..high)
    searched: bool = True

    @property
    def width(self) -> int | None:
        """The witnessed width (``None``: unbounded)."""
        return None if self.high is None else self.high - self.low

    @property
    def determined(self) -> bool:
        return self.outer_high is not None and self.outer_low == self.outer_high

    @property
    def exact(self) -> bool:
        """The witnessed ends are the attacker's best bounds."""
        return self.low == self.outer_low and self.high == self.outer_high

    def text(self) -> str:
        high = "no upper limit" if self.high is None else str(self.high)
        return f"{self.low}–{high}" if self.searched else f"at least {self.low}–{high}"


def _components(n: int, rows: Sequence[Mapping[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Variables tied together by some equation, with the rows that tie them (union-find)."""
    parent = list(range(n))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for row in rows:
        cols = sorted(row)
        for c in cols[1:]:
            ra, rb = find(cols[0]), find(c)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, tuple[list[int], list[int]]] = {}
    for v in range(n):
        groups.setdefault(find(v), ([], []))[0].append(v)
    for r, row in enumerate(rows):
        if row:
            groups[find(min(row))][1].append(r)
    return [groups[k] for k in sorted(groups)]


Number: TypeAlias = int | Fraction


def _tidy(value: Number) -> Number:
    """Whole numbers as ``int`` (much faster than ``Fraction``); the rest stay exact fractions."""
    if type(value) is Fraction and value.denominator == 1:
        return value.numerator
    return value


def _div(a: Number, b: Number) -> Number:
    if type(a) is int and type(b) is int:
        return a // b if a % b == 0 else Fraction(a, b)
    return _tidy(Fraction(a) / b)


class _Tableau:
    """The equations in reduced row echelon form: each row ``x_basic + sum(t_j x_j) = const``."""

    def __init__(self, rows: Sequence[Mapping[int, int]]) -> None:
        self.rows: dict[int, dict[int, Number]] = {}  # basic variable -> its row
        for raw in rows:
            row: dict[int, Number] = {c: v for c, v in raw.items() if v}
            for basic in [c for c in row if c in self.rows]:
                factor = row.get(basic)
                if factor:
                    self._subtract(row, self.rows[basic], factor)
            if not row:
                continue  # implied by the rows already kept
            pivot = min(row)
            self._normalise_and_eliminate(row, pivot)

    @staticmethod
    def _subtract(target: dict[int, Number], row: Mapping[int, Number],
                  factor: Number) -> None:
        for k, v in row.items():
            updated = _tidy(target.get(k, 0) - factor * v)
            if updated:
                target[k] = updated
            else:
                target.pop(k, None)

    def _normalise_and_eliminate(self, row: dict[int, Number], pivot: int) -> None:
        scale = row[pivot]
        row = {k: _div(v, scale) for k, v in row.items()}
        for other in self.rows.values():
            factor = other.get(pivot)
            if factor:
                self._subtract(other, row, factor)
        self.rows[pivot] = row

    def pivot(self, leaving: int, entering: int) -> None:
        row = self.rows.pop(leaving)
        self._normalise_and_eliminate(row, entering)


def _maximise(
    tab: _Tableau,
    target: int,
    sign: int,
    x: dict[int, Number],
    lo: Mapping[int, int],
    hi: Mapping[int, int | None],
) -> Number | None:
    """max ``sign * x_target``, moving the feasible point ``x`` and the basis of ``tab`` in place
    (the next program starts warm from where this one ended): the target's value at the
    optimum, or ``None`` when unbounded (``x`` is then left feasible where it was)."""
    basic_row = tab.rows
    # objective: z = sum(d_j x_j) over non-basic j (+ constant we do not need)
    d: dict[int, Number]
    if target in basic_row:
        d = {j: -sign * v for j, v in basic_row[target].items() if j != target}
    else:
        d = {target: sign}
    for _ in range(_MAX_PIVOTS):
        entering = None
        direction = 0
        for j in sorted(d):
            dj = d[j]
            h = hi[j]
            if dj > 0 and (h is None or x[j] < h):
                entering, direction = j, 1
                break
            if dj < 0 and x[j] > lo[j]:
                entering, direction = j, -1
                break
        if entering is None:
            return x[target]
        # ratio test: own bound first, then basic variables (smallest index on ties: Bland)
        h = hi[entering]
        step: Number | None
        if direction > 0:
            step = None if h is None else h - x[entering]
        else:
            step = x[entering] - lo[entering]
        leaving = None
        for b in sorted(basic_row):
            coeff = basic_row[b].get(entering)
            if not coeff:
                continue
            rate = -coeff * direction  # d x_b / d step
            if rate > 0:
                hb = hi[b]
                if hb is None:
                    continue
                limit = _div(hb - x[b], rate)
            else:
                limit = _div(x[b] - lo[b], -rate)
            if step is None or limit < step:
                step, leaving = limit, b
        if step is None:
            return None
        if step:
            x[entering] = _tidy(x[entering] + direction * step)
            for b, row in basic_row.items():
                coeff = row.get(entering)
                if coeff:
                    x[b] = _tidy(x[b] - coeff * direction * step)
        if leaving is not None:
            # entering joins the basis in leaving's row; update the reduced costs
            row = basic_row[leaving]
            a = row[entering]
            dj = d.pop(entering)
            for v, coeff in row.items():
                if v == entering:
                    continue
                updated = _tidy(d.get(v, 0) - _div(dj * coeff, a))
                if updated:
                    d[v] = updated
                else:
                    d.pop(v, None)
            tab.pivot(leaving, entering)
    raise RuntimeError("the interval search did not finish")  # pragma: no cover - Bland's rule


def _witness(start: Mapping[int, Number], vertex: Mapping[int, Number], target: int) -> int:
    """The target's value in the whole-number table furthest from ``start`` towards ``vertex``
    along the segment between them (both feasible, so every point between is feasible)."""
    delta = {v: Fraction(vertex[v] - start[v]) for v in start if vertex[v] != start[v]}
    if not delta:
        return int(start[target])
    denominators = math.lcm(*(f.denominator for f in delta.values()))
    ints = {v: int(f * denominators) for v, f in delta.items()}
    g = math.gcd(*ints.values())
    primitive = {v: n // g for v, n in ints.items()}
    some = next(iter(primitive))
    steps = math.floor(delta[some] / primitive[some])  # delta = lambda * primitive
    return int(start[target]) + steps * primitive.get(target, 0)


def feasible_intervals(
    hidden: Sequence[str],
    rows: Sequence[Mapping[int, int]],
    true_values: Sequence[int],
    lower: Sequence[int],
    upper: Sequence[int | None],
    need: Sequence[int] | None = None,
) -> dict[str, Interval]:
    """Each hidden figure's interval, given the equations over the hidden figures
    (``rows[r]`` maps a hidden index to its coefficient; the constants are implied by
    ``true_values``, which satisfy every row), and each figure's published range.

    With ``need`` (a width per figure) the search only looks for figures narrower than that:
    a figure whose values in the whole-number tables already found span ``need[v]`` is left out
    of the result without solving its own programs."""
    result: dict[str, Interval] = {}
    for variables, row_ids in _components(len(hidden), rows):
        tableau = _Tableau([rows[r] for r in row_ids])
        start: dict[int, Number] = {v: true_values[v] for v in variables}
        point = dict(start)  # the warm start: each program begins where the last one ended
        lo = {v: lower[v] for v in variables}
        hi = {v: upper[v] for v in variables}
        seen_low = dict(start)
        seen_high = dict(start)
        if need is not None:
            _direction_spreads(tableau, start, lo, hi, seen_low, seen_high)

        for v in variables:
            if need is not None and seen_high[v] - seen_low[v] >= need[v]:
                result[hidden[v]] = Interval(int(seen_low[v]), int(seen_high[v]),
                                             int(seen_low[v]), int(seen_high[v]), searched=False)
                continue
            if v not in tableau.rows and all(v not in row for row in tableau.rows.values()):
                # tied to nothing: only its published range bounds it
                result[hidden[v]] = Interval(lo[v], hi[v], lo[v], hi[v])
                continue
            top = _maximise(tableau, v, 1, point, lo, hi)
            top_at = None if top is None else dict(point)
            bottom = _maximise(tableau, v, -1, point, lo, hi)
            bottom_at = dict(point)
            assert bottom is not None  # every range starts at 0 or 1
            _remember(bottom_at, seen_low, seen_high)
            if top_at is not None:
                _remember(top_at, seen_low, seen_high)
            outer_low = math.ceil(bottom)
            low = outer_low if _whole(bottom_at) else _witness(start, bottom_at, v)
            if top is None or top_at is None:
                result[hidden[v]] = Interval(low, None, outer_low, None)
                continue
            outer_high = math.floor(top)
            high = outer_high if _whole(top_at) else _witness(start, top_at, v)
            result[hidden[v]] = Interval(low, high, outer_low, outer_high)
    return result


def _direction_spreads(tab: _Tableau, start: Mapping[int, Number], lo: Mapping[int, int],
                       hi: Mapping[int, int | None], seen_low: dict[int, Number],
                       seen_high: dict[int, Number]) -> None:
    """A cheap first pass: from the true table, move each non-basic figure up and down as far as
    every range allows, in whole-number steps (the basic figures follow their rows), and record
    the values each figure takes in those whole-number tables. Most figures are shown wide
    enough here, so only the few left need their own linear programs."""
    column: dict[int, list[tuple[int, Number]]] = {}
    for b, row in tab.rows.items():
        for j, coeff in row.items():
            if j != b:
                column.setdefault(j, []).append((b, coeff))
    for j in sorted(column):
        moves = column[j]
        scale = math.lcm(*(Fraction(c).denominator for _, c in moves))
        for direction in (1, -1):
            limit: Fraction | None
            h = hi[j]
            if direction > 0:
                limit = None if h is None else Fraction(h - start[j])
            else:
                limit = Fraction(start[j] - lo[j])
            for b, coeff in moves:
                rate = -coeff * direction
                if rate > 0:
                    hb = hi[b]
                    if hb is None:
                        continue
                    bound = Fraction(hb - start[b]) / rate
                else:
                    bound = Fraction(start[b] - lo[b]) / -rate
                limit = bound if limit is None else min(limit, bound)
            if limit is None:
                limit = Fraction(_FAR)  # unbounded this way: far enough to prove any width
            steps = math.floor(limit / scale) * scale  # whole-number tables only
            if steps <= 0:
                continue
            for var, value in ((j, start[j] + direction * steps),
                               *((b, start[b] - coeff * direction * steps) for b, coeff in moves)):
                if value < seen_low[var]:
                    seen_low[var] = _tidy(value)
                if value > seen_high[var]:
                    seen_high[var] = _tidy(value)


def _remember(point: Mapping[int, Number], seen_low: dict[int, Number],
              seen_high: dict[int, Number]) -> None:
    """Widen the spread of values seen in whole-number tables by one more such table."""
    if _whole(point):
        for var, value in point.items():
            if value < seen_low[var]:
                seen_low[var] = value
            if value > seen_high[var]:
                seen_high[var] = value


def _whole(point: Mapping[int, Number]) -> bool:
    return all(type(f) is int for f in point.values())
