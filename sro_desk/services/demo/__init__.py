"""A realistic, fictitious demo district, built by parts.

Each module ``part_NN_<feature>.py`` in this package defines ``populate(ctx: DemoContext)``; parts run
in name order inside one transaction, so features add their own demo data without editing here.

The story is written as of one reference day, :data:`REFERENCE` (26 November 2026, in school year
2026-27 after 2025-26). A demo built on another day moves the whole story by one whole number of
weeks, so weekdays, order and intervals (hence school-day counts) stay as written, and every
school-year label by whole years: parts write ``ctx.day(2026, 9, 10)`` and ``ctx.label("2026-27")``,
never a bare date or label. Dates counted back from ``ctx.today`` stay as they are, and the law's
school holidays keep their own dates in the moved years (``part_60_complaints.school_holidays``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil
import random
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.dates import add_years
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import Building, Provider, SchoolYear, StaffMember

DEMO_SEED = 1214  # ESHB 1214: the 2021 law
#: The day the demo's story is written as of: its dates and school years read as on this day.
REFERENCE = dt.date(2026, 11, 26)
_LABEL = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True)
class StoryShift:
    """How far a demo built on ``today`` moves the story written as of :data:`REFERENCE`."""

    years: int  # school-year labels move by this many years
    weeks: int  # every story date moves by this many weeks


def story_shift(today: dt.date) -> StoryShift:
    """The latest whole-year anniversary of the reference day on or before ``today`` (``years``,
    negative before it), and the whole number of weeks nearest that anniversary that does not
    pass ``today`` (``weeks``): the story's newest dates are then at most ``today``."""
    years = today.year - REFERENCE.year
    if add_years(REFERENCE, years) > today:
        years -= 1
    weeks = round((add_years(REFERENCE, years) - REFERENCE).days / 7)
    while REFERENCE + dt.timedelta(weeks=weeks) > today:
        weeks -= 1
    return StoryShift(years, weeks)


@dataclass
class DemoContext:
    """What earlier parts made, for later parts to use. ``today`` anchors every relative date;
    ``day()`` and ``label()`` move the story's written dates and school years to the build day."""

    rng: random.Random
    today: dt.date
    shift: StoryShift = StoryShift(0, 0)
    buildings: dict[str, Building] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    years: dict[str, SchoolYear] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def as_written(cls) -> DemoContext:
        """The story on its reference day, unmoved (for reading the story's calendars)."""
        return cls(rng=random.Random(DEMO_SEED), today=REFERENCE)

    def day(self, year: int, month: int, day: int) -> dt.date:
        """A date of the story as written (as of 26 November 2026), moved to this demo."""
        return dt.date(year, month, day) + dt.timedelta(weeks=self.shift.weeks)

    def label(self, written: str) -> str:
        """A school year of the story as written ("2026-27"), moved to this demo ("2027-28")."""
        match = _LABEL.fullmatch(written)
        if match is None or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"not a school-year label: {written!r}")
        start = int(match[1]) + self.shift.years
        return f"{start}-{(start + 1) % 100:02d}"

    @property
    def current_year(self) -> SchoolYear:
        return self.years[self.label("2026-27")]

    @property
    def previous_year(self) -> SchoolYear:
        return self.years[self.label("2025-26")]


def demo_parts() -> list[tuple[str, Callable[[DemoContext], None]]]:
    package = importlib.import_module(__name__)
    parts: list[tuple[str, Callable[[DemoContext], None]]] = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
        if info.name.startswith("part_"):
            module = importlib.import_module(f"{__name__}.{info.name}")
            parts.append((info.name, module.populate))
    return parts


def build_demo(
    path: Path | str,
    *,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Path:
    """Create a new demo database at ``path`` (refuses to touch an existing file), its story
    moved to ``today`` (the district's today when not given).

    The district is built in a hidden file beside ``path`` and moved into place only when every
    part has run, so a failure leaves no half-built demo behind (nor a file that blocks a retry).
    """
    from sro_desk.store.audit import anchor_path

    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise ValidationError(f"{path} already exists; the demo is only written to a new file.")
    if not path.parent.is_dir():
        raise ValidationError(f"The folder {path.parent} does not exist; nothing was written.")
    try:
        handle, name = tempfile.mkstemp(
            prefix=f".{path.name}.", suffix=".building", dir=path.parent
        )
    except OSError as error:
        raise ValidationError(
            f"Cannot write in {path.parent} ({error.strerror or error}); nothing was written."
        ) from None
    os.close(handle)
    work = Path(name)
    try:
        _populate(work, today or clock.today(), progress)
        if path.exists() and path.stat().st_size > 0:
            raise ValidationError(
                f"{path} appeared while the demo was built; it was left as it is."
            )
        os.replace(work, path)
        if anchor_path(work).exists():  # the audit chain's anchor goes with its database
            os.replace(anchor_path(work), anchor_path(path))
    finally:
        for leftover in (work, Path(f"{work}-wal"), Path(f"{work}-shm"), anchor_path(work)):
            leftover.unlink(missing_ok=True)
    return path


def _populate(path: Path, today: dt.date, progress: Callable[[int, int], None] | None) -> None:
    from sro_desk.store.audit import set_actor
    from sro_desk.store.base import database_proxy
    from sro_desk.store.database import close_database, open_database

    db = open_database(path, daily_backup=False)
    try:
        set_actor("Demo set-up")
        ctx = DemoContext(rng=random.Random(DEMO_SEED), today=today, shift=story_shift(today))
        parts = demo_parts()
        with database_proxy.atomic():
            for index, (_name, populate) in enumerate(parts, start=1):
                populate(ctx)
                if progress:
                    progress(index, len(parts))
    finally:
        set_actor(None)
        close_database()
        if not db.is_closed():
            db.close()
