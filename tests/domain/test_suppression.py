"""Suppression: small counts hidden, complements added, and the checker proves nothing leaks."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.suppression import (
    CellState,
    Equation,
    assert_safe,
    bounds,
    determined_by_sums,
    find_leaks,
    hidden_text,
    one_way_equations,
    primary_states,
    published,
    revealing_zeros,
    rule_text,
    suppress,
    two_way_equations,
)

P, C, S = CellState.PRIMARY, CellState.COMPLEMENTARY, CellState.SHOWN
# Small counts are the interesting ones; large ones give complements something to hide.
COUNT = st.one_of(st.integers(0, 12), st.sampled_from([0, 1, 2, 9, 10, 11, 25, 40]))


def one_way(counts: list[int]) -> tuple[dict[str, int], list[Equation]]:
    values = {f"c{i}": v for i, v in enumerate(counts)}
    values["T"] = sum(counts)
    return values, one_way_equations("T", [f"c{i}" for i in range(len(counts))])


def two_way(grid: list[list[int]]) -> tuple[dict[str, int], list[Equation]]:
    rows, cols = range(len(grid)), range(len(grid[0]))
    cell = {(str(r), str(c)): f"x{r}.{c}" for r in rows for c in cols}
    values = {cell[(str(r), str(c))]: grid[r][c] for r in rows for c in cols}
    row_totals = {str(r): f"r{r}" for r in rows}
    col_totals = {str(c): f"k{c}" for c in cols}
    for r in rows:
        values[f"r{r}"] = sum(grid[r])
    for c in cols:
        values[f"k{c}"] = sum(grid[r][c] for r in rows)
    values["T"] = sum(map(sum, grid))
    return values, two_way_equations(cell, row_totals, col_totals, "T")


def feasible_values_one_way(values: dict[str, int], states: dict[str, CellState], key: str,
                            threshold: int) -> set[int]:
    """Independent attacker for a one-way table: every value the hidden cell could take."""
    if states["T"] is C:
        return {values[key], -1}  # a "*" total has no size: there is no sum to subtract from
    parts = [k for k in values if k != "T"]
    totals = [values["T"]] if states["T"] is S else list(range(1, threshold))
    shown = sum(values[k] for k in parts if not states[k].hidden)
    others = [k for k in parts if states[k].hidden and k != key]
    found: set[int] = set()
    for total in totals:
        rest = total - shown

        def rng(k: str, rest: int = rest) -> tuple[int, int]:
            return (1, threshold - 1) if states[k] is P else (0, max(rest, 0))

        lo_others = sum(rng(k)[0] for k in others)
        hi_others = sum(rng(k)[1] for k in others)
        low, high = rng(key)
        found |= {v for v in range(low, high + 1) if lo_others <= rest - v <= hi_others}
    return found


def test_primary_hides_one_to_nine_and_shows_zero() -> None:
    states = primary_states({"a": 0, "b": 1, "c": 9, "d": 10, "e": 250}, 10)
    assert states == {"a": S, "b": P, "c": P, "d": S, "e": S}
    assert hidden_text(P, 10) == "<10" and hidden_text(C, 10) == "*"
    assert "1 to 9" in rule_text(10) and '"<10"' in rule_text(10)


def test_one_small_cell_gets_a_complement() -> None:
    values, eqs = one_way([3, 20, 17])
    states = suppress(values, eqs)
    assert states == {"c0": P, "c1": S, "c2": C, "T": S}
    assert published(values, states) == {"c0": None, "c1": 20, "c2": None, "T": 40}


def test_checker_catches_subtraction_from_a_total() -> None:
    values, eqs = one_way([3, 20, 17])
    leaks = find_leaks(values, primary_states(values, 10), eqs, 10)
    assert [(leak.cell, leak.value) for leak in leaks] == [("c0", 3)]
    assert "subtraction" in leaks[0].how


def test_checker_catches_ranges_that_pin_a_value() -> None:
    # 1 + 1 hidden beside a shown 10 and a shown total 12: the two hidden sum to 2, each is >= 1.
    values, eqs = one_way([1, 1, 10])
    states = primary_states(values, 10)
    assert determined_by_sums(values, states, eqs) == []
    assert bounds(values, states, eqs, 10) == {"c0": (1, 1), "c1": (1, 1)}
    assert {leak.cell for leak in find_leaks(values, states, eqs, 10)} == {"c0", "c1"}
    safe = suppress(values, eqs)
    assert safe["c2"] is C and find_leaks(values, safe, eqs, 10) == []


def test_checker_catches_a_two_way_leak_through_margins() -> None:
    # Hiding the two small cells of one row still leaves each alone in its column.
    values, eqs = two_way([[2, 3, 30], [40, 50, 60]])
    leaks = find_leaks(values, primary_states(values, 10), eqs, 10)
    assert {leak.cell for leak in leaks} == {"x0.0", "x0.1"}
    states = suppress(values, eqs)
    assert find_leaks(values, states, eqs, 10) == []
    assert states["x0.0"] is P and states["x0.1"] is P
    assert sum(1 for s in states.values() if s is C) >= 2


def test_rectangle_of_four_hidden_cells_is_safe_but_a_forced_zero_is_not() -> None:
    values, eqs = two_way([[2, 30], [30, 2]])
    states = dict.fromkeys(values, S)
    for key in ("x0.0", "x0.1", "x1.0", "x1.1"):
        states[key] = P if values[key] < 10 else C
    assert find_leaks(values, states, eqs, 10) == []
    # A complement of 0 next to a single 1 in a row whose hidden part sums to 1 gives it away.
    values, eqs = one_way([1, 0, 30])
    states = {"c0": P, "c1": C, "c2": S, "T": S}
    assert [leak.cell for leak in find_leaks(values, states, eqs, 10)] == ["c0", "c1"]


def test_zeros_beside_a_hidden_total_are_hidden_too() -> None:
    # The 2026-27 use-of-force table: one White student subjected to force, every other race 0.
    # Showing those zeros tells the reader the hidden "<10" were all White: hide them as "*".
    grid = [[1, 60], [0, 15], [0, 42], [0, 0]]  # White, Asian, Hispanic, nobody (empty row)
    values, eqs = two_way(grid)
    primary = primary_states(values, 10)
    assert revealing_zeros(values, primary, eqs) == ["x1.0", "x2.0"]  # not the empty row's 0
    with pytest.raises(RuleViolation, match="Zeros would show"):
        assert_safe(values, primary, eqs, 10)
    states = suppress(values, eqs)
    assert states["x1.0"] is C and states["x2.0"] is C
    assert states["x3.0"] is S and states["r3"] is S  # an empty row says nothing about anyone
    assert revealing_zeros(values, states, eqs) == []
    assert_safe(values, states, eqs, 10)
    _check_result(values, eqs, 10, states)
    # and no hidden zero can be recovered by subtraction: Asian's 15 "no" is hidden as well
    assert states["x1.1"].hidden and states["x2.1"].hidden


def test_a_hidden_row_total_hides_its_zeros() -> None:
    # Five students of one group, none disciplined: "0 of <10" would say all five were not.
    values, eqs = two_way([[0, 5], [30, 40]])
    states = suppress(values, eqs)
    assert states["x0.0"] is C and states["r0"] is P
    _check_result(values, eqs, 10, states)


def test_a_small_one_way_total_hides_its_zeros() -> None:
    values, eqs = one_way([4, 0, 0])
    states = suppress(values, eqs)
    assert states == {"c0": P, "c1": C, "c2": C, "T": P}
    assert "zeros that add up to it are hidden" in rule_text(10)


def test_assert_safe_refuses_shown_small_counts_and_leaks() -> None:
    values, eqs = one_way([3, 20, 17])
    with pytest.raises(RuleViolation, match="Small counts"):
        assert_safe(values, dict.fromkeys(values, S), eqs, 10)
    with pytest.raises(RuleViolation, match="recovered"):
        assert_safe(values, primary_states(values, 10), eqs, 10)
    assert_safe(values, suppress(values, eqs), eqs, 10)


def test_bad_systems_are_refused() -> None:
    with pytest.raises(ValueError, match="do not add up"):
        suppress({"T": 5, "a": 2}, [Equation("T", ("a",))])
    with pytest.raises(ValueError, match="count"):
        suppress({"T": -1}, [])
    with pytest.raises(RuleViolation, match="threshold"):
        suppress({"T": 1}, [], threshold=1)


def _check_result(values: dict[str, int], eqs: list[Equation], threshold: int,
                  states: dict[str, CellState]) -> None:
    # every small count hidden, shown counts untouched, and the checker finds nothing
    for key, value in values.items():
        if 0 < value < threshold:
            assert states[key].hidden  # "<t", or "*" where even the range would give it away
        if states[key] is P:
            assert 0 < value < threshold
    assert find_leaks(values, states, eqs, threshold) == []
    # a necessary condition an attacker would try first: no sum with exactly one hidden figure
    for eq in eqs:
        assert sum(states[k].hidden for k in eq.figures()) != 1
    _check_no_attribute_disclosure(values, eqs, states)


def _check_no_attribute_disclosure(values: dict[str, int], eqs: list[Equation],
                                   states: dict[str, CellState]) -> None:
    """Independently of the engine: a hidden total never sits beside a shown 0 the reader could
    not already tell was 0 (so a small hidden group cannot be placed by its zeros)."""
    empty = {k for eq in eqs if states[eq.whole] is S and values[eq.whole] == 0
             for k in eq.figures()}
    for eq in eqs:
        if states[eq.whole].hidden:
            for part in eq.parts:
                if states[part] is S and values[part] == 0:
                    assert part in empty, f"{part} = 0 shown beside hidden {eq.whole}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(COUNT, min_size=1, max_size=9), st.sampled_from([3, 5, 10]))
def test_random_one_way_tables_are_safe(counts: list[int], threshold: int) -> None:
    values, eqs = one_way(counts)
    states = suppress(values, eqs, threshold)
    _check_result(values, eqs, threshold, states)
    if not any(0 < v < threshold for v in values.values()):
        assert all(s is S for s in states.values())  # nothing to protect, nothing hidden
    # an independent attacker, who enumerates every consistent value, cannot pin any cell down
    for key in values:
        if key != "T" and states[key].hidden:
            assert len(feasible_values_one_way(values, states, key, threshold)) >= 2


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 5).flatmap(
        lambda cols: st.lists(st.lists(COUNT, min_size=cols, max_size=cols),
                              min_size=1, max_size=6)
    ),
    st.sampled_from([5, 10]),
)
def test_random_two_way_tables_with_margins_are_safe(grid: list[list[int]],
                                                     threshold: int) -> None:
    values, eqs = two_way(grid)
    states = suppress(values, eqs, threshold)
    _check_result(values, eqs, threshold, states)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.lists(COUNT, min_size=3, max_size=3), min_size=2, max_size=4),
    st.lists(st.lists(COUNT, min_size=2, max_size=2), min_size=2, max_size=3),
)
def test_tables_sharing_a_margin_are_protected_together(a: list[list[int]],
                                                        b: list[list[int]]) -> None:
    # Two cross-tables (group x outcome) whose outcome margins are the same published figures.
    outcome_totals = [sum(r[c] for r in a) for c in range(3)]
    # rebuild b as a table with the same column margins: split each outcome total into rows
    b_rows = len(b)
    b_grid = [[0, 0, 0] for _ in range(b_rows)]
    for c, total in enumerate(outcome_totals):
        for r in range(b_rows):
            share = total // b_rows if r < b_rows - 1 else total - (total // b_rows) * (b_rows - 1)
            b_grid[r][c] = share
    values: dict[str, int] = {"T": sum(outcome_totals)}
    eqs: list[Equation] = []
    for name, grid in (("a", a), ("b", b_grid)):
        cell = {(str(r), str(c)): f"{name}{r}.{c}" for r in range(len(grid)) for c in range(3)}
        for (r, c), key in cell.items():
            values[key] = grid[int(r)][int(c)]
        rows = {str(r): f"{name}.row{r}" for r in range(len(grid))}
        for r in range(len(grid)):
            values[f"{name}.row{r}"] = sum(grid[r])
        cols = {str(c): f"outcome{c}" for c in range(3)}
        for c in range(3):
            values[f"outcome{c}"] = outcome_totals[c]
        eqs += two_way_equations(cell, rows, cols, "T")
    states = suppress(values, eqs, 10)
    _check_result(values, eqs, 10, states)
