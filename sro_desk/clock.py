"""The program's only reader of the time.

Deadlines, clearance and stamps all depend on what day it is, so the day must come from one place
that tests can freeze (time-machine) and move (the suite's future-dated run). Everything else in
`sro_desk/` takes `today` / `as_of` from here, or from an argument fed from here;
`tests/test_layers.py` refuses a raw clock read anywhere else.

"Today" is the district's day: Washington districts keep Pacific time, so a laptop whose system
zone is UTC (or a coordinator travelling) still counts school days on the district's calendar.
"""

from __future__ import annotations

import datetime as dt
import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIME_ZONE = "America/Los_Angeles"

_zone: dt.tzinfo = ZoneInfo(DEFAULT_TIME_ZONE)
#: a moment the whole program reads instead of the time (reproducible screenshots), or None
_held: dt.datetime | None = None


def set_time_zone(name: str | None) -> None:
    """Use the district's time zone (an IANA name); an unknown name keeps Pacific time."""
    global _zone
    try:
        _zone = ZoneInfo(name or DEFAULT_TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        _zone = ZoneInfo(DEFAULT_TIME_ZONE)


def time_zone() -> dt.tzinfo:
    return _zone


def hold_at(moment: dt.datetime | None) -> None:
    """Make every reading give one district-time moment (the user guide's screenshots); None lets go."""
    global _held
    _held = None if moment is None else moment.replace(tzinfo=None)


def _aware_now() -> dt.datetime:
    if _held is not None:
        return _held.replace(tzinfo=_zone)
    return dt.datetime.now(_zone)


def now() -> dt.datetime:
    """The district's wall-clock time, naive and to the second, as records store it."""
    return _aware_now().replace(tzinfo=None, microsecond=0)


def now_precise() -> dt.datetime:
    """The district's wall-clock time with microseconds (unique backup file names)."""
    return _aware_now().replace(tzinfo=None)


def utc_now() -> dt.datetime:
    """An aware UTC instant, for the audit chain (comparable across laptops and servers)."""
    return _aware_now().astimezone(dt.UTC)


def today() -> dt.date:
    """The district's date."""
    return _aware_now().date()


def monotonic() -> float:
    """Seconds on a clock that never jumps: for timeouts and timings, never for dates."""
    return time.monotonic()
