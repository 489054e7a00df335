"""The calls filter agrees with a plain per-call check, on generated data."""

from __future__ import annotations

import datetime as dt

import pytest

from sro_desk.domain.calls import Call
from sro_desk.domain.calls_filter import CallFilter, CallIndex
from sro_desk.services.calls_import import builtin_labels
from tests.domain.test_report_annual import generate


@pytest.fixture(scope="module")
def calls() -> list[Call]:
    return generate(builtin_labels(), 800, seed=9, start=dt.date(2025, 7, 1))


def slow(call: Call, f: CallFilter) -> bool:
    if f.start and call.occurred_on < f.start:
        return False
    if f.end and call.occurred_on > f.end:
        return False
    if f.building and call.building != f.building:
        return False
    if f.offense_type and call.offense_type != f.offense_type:
        return False
    if f.outcome and f.outcome not in (call.outcome, *(s.outcome for s in call.students)):
        return False
    if f.use_of_force is not None and call.any_use_of_force != f.use_of_force:
        return False
    text = " ".join([call.ref, call.building, call.location, call.initiated_by,
                     call.offense_type, call.outcome, call.description,
                     call.occurred_on.isoformat(), *(s.outcome for s in call.students)]).lower()
    return all(word in text for word in f.search.lower().split())


@pytest.mark.parametrize("f", [
    CallFilter(),
    CallFilter(start=dt.date(2025, 10, 1), end=dt.date(2026, 1, 31)),
    CallFilter(building="North High", outcome="arrest"),
    CallFilter(offense_type="theft", use_of_force=False),
    CallFilter(use_of_force=True),
    CallFilter(search="  NORTH   weapon "),
    CallFilter(search="R1"),
])
def test_index_matches_the_plain_rule(calls: list[Call], f: CallFilter) -> None:
    index = CallIndex.build(calls)
    assert index.matching(f) == [i for i, c in enumerate(calls) if slow(c, f)]
    assert f.active == (f != CallFilter())
