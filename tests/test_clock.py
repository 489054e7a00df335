"""The program's one clock: the district's day, movable by tests and by the suite's dated runs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sro_desk import clock


@pytest.fixture
def pacific() -> Iterator[None]:
    clock.set_time_zone(None)
    yield
    clock.set_time_zone(None)


def test_clock_at_sets_the_day_every_reader_sees(clock_at: Callable[..., None]) -> None:
    clock_at(dt.date(2028, 2, 29))
    assert clock.today() == dt.date(2028, 2, 29)
    assert clock.now().date() == dt.date(2028, 2, 29)
    assert clock.now().microsecond == 0 and clock.now().tzinfo is None
    assert clock.utc_now().tzinfo is not None


def test_a_stopped_clock_gives_exact_stamps(clock_at: Callable[..., None]) -> None:
    clock_at(dt.date(2026, 11, 26), tick=False)
    assert clock.now() == dt.datetime(2026, 11, 26, 12, 0)


def test_today_is_the_districts_date_not_utc(time_machine: time_machine.TimeMachineFixture, pacific: None) -> None:
    # 06:00 UTC on 2 December is still the evening of 1 December in Washington.
    time_machine.move_to(dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC), tick=False)
    assert clock.today() == dt.date(2026, 12, 1)
    assert clock.now() == dt.datetime(2026, 12, 1, 22, 0)
    assert clock.utc_now() == dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC)


def test_a_district_time_zone_is_used_and_an_unknown_one_keeps_pacific(
    time_machine: time_machine.TimeMachineFixture, pacific: None
) -> None:
    time_machine.move_to(dt.datetime(2026, 12, 2, 6, 0, tzinfo=dt.UTC), tick=False)
    clock.set_time_zone("America/New_York")
    assert clock.today() == dt.date(2026, 12, 2)
    clock.set_time_zone("Not/AZone")
    assert clock.time_zone() == ZoneInfo("America/Los_Angeles")
    assert clock.today() == dt.date(2026, 12, 1)


def test_the_suite_runs_on_the_day_its_options_say(pytestconfig: pytest.Config) -> None:
    """--clock-date and --clock-offset-days really move the program's clock for every test."""
    fixed: dt.date | None = pytestconfig.getoption("--clock-date")
    offset: int = pytestconfig.getoption("--clock-offset-days")
    pacific = ZoneInfo("America/Los_Angeles")
    hatch = time_machine.escape_hatch
    real = (hatch.datetime.datetime.now(pacific) if hatch.is_travelling() else dt.datetime.now(pacific)).date()
    if fixed is not None:
        assert clock.today() == fixed
    else:
        # a run that crosses midnight may see the next day
        assert (clock.today() - real).days in (offset, offset + 1)
    assert clock.monotonic() > 0


def test_a_held_moment_is_what_every_reading_gives() -> None:
    try:
        clock.hold_at(dt.datetime(2026, 11, 26, 9, 30))
        assert clock.today() == dt.date(2026, 11, 26)
        assert clock.now() == dt.datetime(2026, 11, 26, 9, 30)
        assert clock.utc_now() == dt.datetime(2026, 11, 26, 17, 30, tzinfo=dt.UTC)
    finally:
        clock.hold_at(None)
    assert clock.today() == dt.datetime.now(ZoneInfo("America/Los_Angeles")).date()
