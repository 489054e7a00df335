"""One protected public release: linked documents, the attack over all of them, and why."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.release import (
    Link,
    LinkedRelease,
    PublicDocument,
    attack_release,
    check_release,
    explain,
    interval_ok,
    protect_release,
)
from sro_desk.domain.suppression import (
    CellState,
    Equation,
    exact_intervals,
    one_way_equations,
    protect,
    two_way_equations,
)

P, C, S = CellState.PRIMARY, CellState.COMPLEMENTARY, CellState.SHOWN


def issue_release() -> LinkedRelease:
    """The auditor's case: the report prints the statutory count and the "other" complaints;
    the summary prints the total and the rows by category."""
    report = PublicDocument(
        "report", {"total": 13, "by_law": 12, "other": 1},
        [Equation("total", ("by_law", "other"))],
    )
    summary = PublicDocument(
        "summary", {"total": 13, "job": 0, "inter": 12, "other": 1, "by_law": 12},
        [Equation("total", ("job", "inter", "other")), Equation("by_law", ("job", "inter"))],
    )
    links = (Link(("report", "total"), ("summary", "total")),
             Link(("report", "other"), ("summary", "other")),
             Link(("report", "by_law"), ("summary", "by_law")))
    return LinkedRelease((report, summary), links)


def test_the_auditors_differencing_attack_is_found() -> None:
    """Each document passes on its own; read together, "other" = 13 - 12 - 0 = 1."""
    release = issue_release()
    states = {
        "report::total": C, "report::by_law": S, "report::other": P,
        "summary::total": S, "summary::job": S, "summary::inter": C, "summary::other": P,
        "summary::by_law": C,
    }
    leaks = attack_release(release, states, 10, 0)
    assert "report::other" in {leak.cell for leak in leaks}
    assert {leak.value for leak in leaks if leak.cell.endswith("::other")} == {1}


def test_protected_together_the_attack_finds_nothing() -> None:
    release = issue_release()
    protection = protect_release(release, 10, 5)
    assert attack_release(release, protection.states, 10, 5) == []
    for link in release.links:  # a figure printed twice has one state everywhere
        a = protection.states["::".join(link.first)]
        b = protection.states["::".join(link.second)]
        assert a.hidden == b.hidden
    assert all(interval_ok(protection, k) for k, s in protection.states.items() if s.hidden)


def test_mutation_cross_document_protection_off_lets_the_attack_succeed() -> None:
    release = issue_release()
    alone = protect_release(release, 10, 5, cross_document=False)
    assert attack_release(release, alone.states, 10, 5), "protecting documents one by one leaks"
    with pytest.raises(RuleViolation):
        check_release(release, alone)


def test_documents_that_disagree_on_a_linked_figure_are_refused() -> None:
    a = PublicDocument("a", {"t": 5, "x": 5}, [Equation("t", ("x",))])
    b = PublicDocument("b", {"t": 6}, [])
    with pytest.raises(RuleViolation, match="disagree"):
        protect_release(LinkedRelease((a, b), (Link(("a", "t"), ("b", "t")),)), 10, 5)


def test_the_explanation_names_primary_complementary_and_cross_document_reasons() -> None:
    release = issue_release()
    rows = explain(release, protect_release(release, 10, 5))
    texts = " ".join(r.reason for r in rows)
    assert "Primary: a count from 1 to 9" in texts
    assert "Complementary: protects other (report)" in texts
    assert "Cross-document." in texts
    assert all(r.printed in ("<10", "*") for r in rows)
    assert all(r.interval for r in rows)  # what a reader can work out, for every hidden figure


def test_protection_width_widens_a_narrow_interval() -> None:
    """2 + 2 + 16 = 20: hiding the two 2s leaves each in 1..3, a range only 2 wide."""
    values = {"a": 2, "b": 2, "c": 16, "T": 20}
    eqs = one_way_equations("T", ["a", "b", "c"])
    narrow = protect(values, eqs, 10, width=0).states
    assert narrow["c"] is S
    assert exact_intervals(values, narrow, eqs, 10)["a"].text() == "1–3"
    wide = protect(values, eqs, 10, width=5)
    assert wide.states["c"].hidden or wide.states["T"].hidden
    intervals = exact_intervals(values, wide.states, eqs, 10)
    assert all((iv.width is None or iv.width >= 5) for iv in intervals.values())


def test_not_collected_is_kept_apart_from_zero_and_ties_no_sum() -> None:
    doc = PublicDocument(
        "crdc", {"total": 30, "female": 14, "male": 16, "nonbinary": None},
        [Equation("total", ("female", "male", "nonbinary"))],
    )
    protection = protect_release(LinkedRelease((doc,)), 10, 5)
    assert "crdc::nonbinary" in protection.not_collected
    assert "crdc::nonbinary" not in protection.states
    assert protection.states["crdc::female"] is S  # no sum: nothing to difference


def test_structural_zero_is_shown_and_never_counts_as_a_revealing_zero() -> None:
    # students under 11 cannot have a "18 and over" band: a structural zero beside a hidden total
    doc = PublicDocument(
        "d", {"t": 3, "young": 3, "adult": 0}, [Equation("t", ("young", "adult"))],
        structural=frozenset({"adult"}),
    )
    protection = protect_release(LinkedRelease((doc,)), 10, 0)
    assert protection.states["d::adult"] is S
    plain = protect_release(LinkedRelease((PublicDocument(
        "d", {"t": 3, "young": 3, "adult": 0}, [Equation("t", ("young", "adult"))]),)), 10, 0)
    assert plain.states["d::adult"].hidden  # a counted zero beside a hidden total is hidden


def test_the_pattern_is_the_same_whatever_the_order_of_input() -> None:
    release = issue_release()
    flipped = LinkedRelease(tuple(
        PublicDocument(d.name, dict(reversed(list(d.values.items()))), list(reversed(d.equations)))
        for d in release.documents), tuple(reversed(release.links)))
    assert protect_release(release, 10, 5).states == protect_release(flipped, 10, 5).states


def _brute_force(values: dict[str, int], states: dict[str, CellState],
                 equations: list[Equation], threshold: int, cap: int) -> dict[str, set[int]]:
    """Every value each hidden figure takes in some whole-number table consistent with the
    published figures (hidden "*" figures tried up to ``cap``)."""
    hidden = sorted(k for k, s in states.items() if s.hidden)
    ranges = [range(1, threshold) if states[k] is P else range(0, cap + 1) for k in hidden]
    seen: dict[str, set[int]] = {k: set() for k in hidden}
    for combo in itertools.product(*ranges):
        trial = dict(values)
        trial.update(zip(hidden, combo, strict=True))
        if all(trial[eq.whole] == sum(trial[p] for p in eq.parts) for eq in equations):
            for k, v in zip(hidden, combo, strict=True):
                seen[k].add(v)
    return seen


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 12), min_size=2, max_size=2), min_size=2, max_size=2),
       st.integers(0, 4))
def test_exact_intervals_agree_with_brute_force(grid: list[list[int]], width: int) -> None:
    cell = {(str(r), str(c)): f"x{r}{c}" for r in range(2) for c in range(2)}
    values = {cell[(str(r), str(c))]: grid[r][c] for r in range(2) for c in range(2)}
    for r in range(2):
        values[f"r{r}"] = sum(grid[r])
    for c in range(2):
        values[f"k{c}"] = grid[0][c] + grid[1][c]
    values["T"] = sum(map(sum, grid))
    eqs = two_way_equations(cell, {"0": "r0", "1": "r1"}, {"0": "k0", "1": "k1"}, "T")
    states = protect(values, eqs, 10, width).states
    hidden = [k for k, s in states.items() if s.hidden]
    if not hidden or len(hidden) > 5:
        return
    cap = values["T"] + 1
    seen = _brute_force(values, states, eqs, 10, cap)
    for key, interval in exact_intervals(values, states, eqs, 10).items():
        assert min(seen[key]) == interval.outer_low == interval.low
        if max(seen[key]) < cap:
            assert max(seen[key]) == interval.outer_high == interval.high
        else:
            assert interval.high is None or interval.high >= cap


COUNTS = st.one_of(st.integers(0, 12), st.sampled_from([0, 1, 2, 3, 9, 10, 15, 30]))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(COUNTS, min_size=3, max_size=3), min_size=2, max_size=4),
       st.booleans(), st.integers(0, 5))
def test_random_linked_releases_leave_nothing_recoverable(
    grid: list[list[int]], summary_has_subtotal: bool, width: int
) -> None:
    """A report prints a two-way table with margins; a summary prints its row totals again,
    a subtotal of the first two rows, and the column totals. Linked, the attack finds nothing;
    every hidden figure keeps the protection width."""
    rows, cols = range(len(grid)), range(3)
    cell = {(str(r), str(c)): f"x{r}.{c}" for r in rows for c in cols}
    values: dict[str, int | None] = {cell[(str(r), str(c))]: grid[r][c] for r in rows
                                     for c in cols}
    for r in rows:
        values[f"r{r}"] = sum(grid[r])
    for c in cols:
        values[f"k{c}"] = sum(grid[r][c] for r in rows)
    values["T"] = sum(map(sum, grid))
    report = PublicDocument("report", values, two_way_equations(
        cell, {str(r): f"r{r}" for r in rows}, {str(c): f"k{c}" for c in cols}, "T"))
    summary_values: dict[str, int | None] = {f"row{r}": sum(grid[r]) for r in rows}
    summary_values["all"] = values["T"]
    summary_eqs = one_way_equations("all", [f"row{r}" for r in rows])
    links = [Link(("report", f"r{r}"), ("summary", f"row{r}")) for r in rows]
    links.append(Link(("report", "T"), ("summary", "all")))
    if summary_has_subtotal:
        summary_values["first_two"] = sum(grid[0]) + sum(grid[1])
        summary_eqs.append(Equation("first_two", ("row0", "row1")))
        summary_values["col0"] = values["k0"]
        links.append(Link(("report", "k0"), ("summary", "col0")))
    release = LinkedRelease(
        (report, PublicDocument("summary", summary_values, summary_eqs)), tuple(links))
    protection = protect_release(release, 10, width)
    assert attack_release(release, protection.states, 10, width) == []
    for key, state in protection.states.items():
        if state.hidden:
            assert interval_ok(protection, key)
        value = release.document(key.split("::")[0]).values[key.split("::")[1]]
        assert value is not None
        if 0 < value < 10:
            assert state.hidden
