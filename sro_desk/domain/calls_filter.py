"""Filtering and sorting the calls list, in bulk, fast enough for every keystroke.

A Qt proxy asks about rows one at a time (a Python call per row); at 60,000 calls that is far
slower than one list comprehension over precomputed keys. So the Calls table filters here and
shows the surviving row numbers. Pure Python: tested and benchmarked without a window.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sro_desk.domain.calls import Call
from sro_desk.domain.dates import format_date


@dataclass(frozen=True, slots=True)
class CallFilter:
    start: dt.date | None = None
    end: dt.date | None = None
    building: str | None = None
    offense_type: str | None = None
    outcome: str | None = None
    use_of_force: bool | None = None
    search: str = ""

    @property
    def active(self) -> bool:
        return self != CallFilter()


def search_text(call: Call) -> str:
    """Everything a search box should find a call by, lower-cased once (the date both as the
    table shows it, "26 November 2026", and as ISO)."""
    parts = [call.ref, call.building, call.location, call.initiated_by, call.offense_type,
             call.outcome, call.description, call.occurred_on.isoformat(),
             format_date(call.occurred_on)]
    parts += [s.outcome for s in call.students]
    return "\n".join(parts).casefold()


@dataclass(frozen=True, slots=True)
class CallIndex:
    """Precomputed keys for a list of calls, built once per reload."""

    calls: tuple[Call, ...]
    texts: tuple[str, ...]
    dates: tuple[dt.date, ...]
    force: tuple[bool, ...]

    @classmethod
    def build(cls, calls: Sequence[Call]) -> CallIndex:
        items = tuple(calls)
        return cls(items, tuple(search_text(c) for c in items),
                   tuple(c.occurred_on for c in items), tuple(c.any_use_of_force for c in items))

    def matching(self, f: CallFilter) -> list[int]:
        """Row numbers of the calls that pass ``f``, in list order."""
        rows: range | list[int] = range(len(self.calls))
        calls, dates = self.calls, self.dates
        if f.start is not None:
            start = f.start
            rows = [i for i in rows if dates[i] >= start]
        if f.end is not None:
            end = f.end
            rows = [i for i in rows if dates[i] <= end]
        if f.building:
            building = f.building
            rows = [i for i in rows if calls[i].building == building]
        if f.offense_type:
            offense = f.offense_type
            rows = [i for i in rows if calls[i].offense_type == offense]
        if f.outcome:
            outcome = f.outcome
            rows = [i for i in rows if calls[i].outcome == outcome
                    or any(s.outcome == outcome for s in calls[i].students)]
        if f.use_of_force is not None:
            wanted, force = f.use_of_force, self.force
            rows = [i for i in rows if force[i] is wanted]
        needle = " ".join(f.search.split()).casefold()
        if needle:
            texts = self.texts
            for word in needle.split(" "):
                rows = [i for i in rows if word in texts[i]]
        return list(rows)
