"""Shared fixtures: every test gets its own database file and its own preferences folder."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import peewee
import pytest
import time_machine

from sro_desk.clock import DEFAULT_TIME_ZONE
from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    SchoolYear,
    StaffMember,
    StaffStatus,
)

DISTRICT_ZONE = ZoneInfo(DEFAULT_TIME_ZONE)


def district_noon(day: dt.date) -> dt.datetime:
    """Noon on ``day`` in the district's zone: the same date in Pacific time and in UTC."""
    return dt.datetime.combine(day, dt.time(12), tzinfo=DISTRICT_ZONE)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-offset-days", type=int, default=0,
        help="run the whole suite with the clock moved this many days from the real date "
             "(negative moves back); --clock-date sets one date instead",
    )
    parser.addoption(
        "--clock-date", type=dt.date.fromisoformat, default=None,
        help="run the whole suite as if today were this date (YYYY-MM-DD), the clock ticking",
    )


def _suite_start(config: pytest.Config) -> dt.datetime | None:
    fixed: dt.date | None = config.getoption("--clock-date")
    offset: int = config.getoption("--clock-offset-days")
    if fixed is not None:
        return district_noon(fixed)
    if offset:
        return dt.datetime.now(DISTRICT_ZONE) + dt.timedelta(days=offset)
    return None


def pytest_report_header(config: pytest.Config) -> list[str]:
    from tests.server.cluster import server_bin

    start = _suite_start(config)
    server = server_bin()
    return [
        f"clock: {'real date' if start is None else 'moved to ' + start.date().isoformat()}",
        f"postgresql: {server}" if server else
        "postgresql: not installed here, so the server half (tests/server) is skipped; "
        "`apt-get install postgresql` runs it",
    ]


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    from tests.server.cluster import server_bin

    if server_bin() is None:
        terminalreporter.write_line(
            "PostgreSQL is not installed here: the server half (tests/server) was skipped.")


@pytest.fixture(scope="session", autouse=True)
def _suite_clock(pytestconfig: pytest.Config) -> Iterator[None]:
    """The day the whole suite runs on: the real one, or one moved by --clock-offset-days/--clock-date."""
    start = _suite_start(pytestconfig)
    if start is None:
        yield
        return
    with time_machine.travel(start, tick=True):
        yield


@pytest.fixture
def clock_at(time_machine: time_machine.TimeMachineFixture) -> Callable[..., None]:
    """Set the program's clock to noon (district time) on a day: ``clock_at(TODAY)``.

    A test that depends on what day it is either passes the date, or sets the clock with this, so
    stamps such as ``verified_at`` come from the same day the test reasons about. The clock runs on
    from noon (hours from midnight either side), because a stopped clock would make pytest-qt's
    ``waitUntil`` wait for ever; ``tick=False`` stops it where a test compares exact stamps.
    """

    def move(day: dt.date, *, tick: bool = True) -> None:
        time_machine.move_to(district_noon(day), tick=tick)

    return move


@pytest.fixture(autouse=True)
def _marked_day(request: pytest.FixtureRequest) -> None:
    """``pytestmark = pytest.mark.on_day(TODAY)`` sets the clock for every test of a module."""
    marker = request.node.get_closest_marker("on_day")
    if marker is not None:
        request.getfixturevalue("clock_at")(*marker.args, **marker.kwargs)


def _wait_for_jobs() -> None:
    """Background jobs (JobRunner) end before their database closes."""
    from sro_desk.ui.workers import wait_for_jobs

    wait_for_jobs()


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("SRO_DESK_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("SRO_DESK_DATA_DIR", str(base / "data"))


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "test.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[peewee.SqliteDatabase]:
    """An empty, migrated database bound to the store."""
    from sro_desk.store.audit import set_actor
    from sro_desk.store.database import close_database, open_database

    database = open_database(db_path, daily_backup=False)
    set_actor("Test Coordinator")
    yield database
    _wait_for_jobs()
    set_actor(None)
    close_database()


@dataclass
class District:
    """A small district: 2 school years, 3 buildings, police + security company + district, 4 staff."""

    years: dict[str, SchoolYear] = field(default_factory=dict)
    buildings: dict[str, Building] = field(default_factory=dict)
    providers: dict[str, Provider] = field(default_factory=dict)
    staff: dict[str, StaffMember] = field(default_factory=dict)


@pytest.fixture
def district(db: peewee.SqliteDatabase) -> District:
    from sro_desk.store import roster_repo, settings

    settings.set_setting(settings.DISTRICT_NAME, "Test Valley School District")
    settings.set_setting(settings.DISTRICT_ESD, "Test ESD 101")
    d = District()
    for label, first, last in (("2025-26", dt.date(2025, 9, 3), dt.date(2026, 6, 17)), ("2026-27", dt.date(2026, 9, 2), dt.date(2027, 6, 16))):
        d.years[label] = roster_repo.save_school_year(SchoolYear(None, label, first, last))
    for name, code, span in (("Test High School", "THS", "9-12"), ("Test Middle School", "TMS", "6-8"), ("Test Elementary", "TES", "K-5")):
        d.buildings[code] = roster_repo.save_building(Building(None, name, code, span))
    for key, name, kind in (("police", "Test Police Department", ProviderKind.POLICE), ("guards", "Guardian Security LLC", ProviderKind.SECURITY_COMPANY), ("district", "Test Valley School District", ProviderKind.DISTRICT)):
        d.providers[key] = roster_repo.save_provider(Provider(None, name, kind))

    def add(key: str, first: str, last: str, role: Role, provider: str, places: tuple[tuple[str, float], ...], first_day: dt.date | None, status: StaffStatus) -> None:
        d.staff[key] = roster_repo.save_staff(
            StaffMember(
                None, first, last, role, role is Role.SRO, d.providers[provider].id,
                badge_number=f"B-{len(d.staff) + 1}",
                assignments=tuple(BuildingAssignment(d.buildings[c].id or 0, days, c) for c, days in places),
                first_day_with_students=first_day, status=status,
            )
        )

    add("sro", "Sam", "Rivera", Role.SRO, "police", (("THS", 3), ("TMS", 2)), dt.date(2025, 9, 3), StaffStatus.ACTIVE)
    add("guard", "Gina", "Moss", Role.SCHOOL_SECURITY, "guards", (("THS", 5),), dt.date(2026, 1, 12), StaffStatus.ACTIVE)
    add("cso", "Carl", "Ng", Role.CAMPUS_SECURITY, "district", (("TES", 2),), None, StaffStatus.PENDING)
    add("former", "Fay", "Old", Role.SCHOOL_SECURITY, "district", (("TMS", 5),), dt.date(2023, 9, 5), StaffStatus.INACTIVE)
    return d


@pytest.fixture(scope="session")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from sro_desk.services.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    build_demo(path, today=dt.date(2026, 11, 26))
    return path


@pytest.fixture
def demo_db(_demo_template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the demo district (built once per session, dated 26 November 2026), opened."""
    from sro_desk.store.audit import set_actor
    from sro_desk.store.database import close_database, open_database

    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    open_database(target, daily_backup=False)
    set_actor("Test Coordinator")
    yield target
    _wait_for_jobs()
    set_actor(None)
    close_database()


@pytest.fixture
def app_ctx(db_path: Path, db: peewee.SqliteDatabase):  # type: ignore[no-untyped-def]
    """An ``AppContext`` for tab tests (needs qtbot/qapp in the test)."""
    from sro_desk.ui.context import AppContext

    return AppContext(db_path)


@pytest.fixture
def demo_ctx(demo_db: Path):  # type: ignore[no-untyped-def]
    """An ``AppContext`` on the demo district."""
    from sro_desk.ui.context import AppContext

    return AppContext(demo_db)
