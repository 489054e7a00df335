"""A realistic, fictitious demo district, built by parts.

Each module ``part_NN_<feature>.py`` in this package defines ``populate(ctx: DemoContext)``; parts run
in name order inside one transaction, so features add their own demo data without editing here.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import Building, Provider, SchoolYear, StaffMember

DEMO_SEED = 1214  # ESHB 1214: the 2021 law


@dataclass
class DemoContext:
    """What earlier parts made, for later parts to use. ``today`` anchors every relative date."""

    rng: random.Random
    today: dt.date
    buildings: dict[str, Building] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    years: dict[str, SchoolYear] = field(default_factory=dict)
    staff: list[StaffMember] = field(default_factory=list)
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def current_year(self) -> SchoolYear:
        return self.years["2026-27"]

    @property
    def previous_year(self) -> SchoolYear:
        return self.years["2025-26"]


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
    """Create a new demo database at ``path`` (refuses to touch an existing file)."""
    from sro_desk.store.audit import set_actor
    from sro_desk.store.base import database_proxy
    from sro_desk.store.database import close_database, open_database

    path = Path(path)
    if path.exists() and path.stat().st_size > 0:
        raise ValidationError(f"{path} already exists; the demo is only written to a new file.")
    db = open_database(path, daily_backup=False)
    try:
        set_actor("Demo set-up")
        ctx = DemoContext(rng=random.Random(DEMO_SEED), today=today or clock.today())
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
    return path
