"""``dates_outside_entry_range`` finds dates an older file stored outside the entry range."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from sro_desk.store import roster_repo
from sro_desk.store.date_scan import dates_outside_entry_range

TODAY = dt.date(2026, 11, 26)


def test_a_clean_district_has_none(district: Any) -> None:
    assert dates_outside_entry_range(TODAY) == []


def test_stored_edge_dates_are_named(district: Any) -> None:
    sro, guard = district.staff["sro"], district.staff["guard"]
    roster_repo.save_staff(replace(sro, first_day_with_students=dt.date(1, 1, 1)))
    roster_repo.save_staff(replace(guard, first_day_with_students=dt.date(9999, 12, 31)))
    [found] = [f for f in dates_outside_entry_range(TODAY) if f.column == "first_day_with_students"]
    assert (found.count, found.earliest, found.latest) == (2, "0001-01-01", "9999-12-31")
    assert "2 dates outside 1 January 1990" in str(found)
