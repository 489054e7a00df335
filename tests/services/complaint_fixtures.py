"""Shared set-up for the complaint, calendar and meeting tests: a small district on a file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sro_desk.domain.complaints import Category, Channel, Complaint, InvolvedStaff
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
from sro_desk.domain.school_calendar import DayOffKind, NonSchoolDay, expand_range

D = dt.date
TODAY = D(2026, 5, 1)


@dataclass
class ComplaintDistrict:
    path: Path
    building: Building
    other_building: Building
    officer: StaffMember
    guard: StaffMember


def days_off_2025_26() -> list[NonSchoolDay]:
    return [
        NonSchoolDay(D(2025, 11, 11), DayOffKind.HOLIDAY, "Veterans Day"),
        *expand_range(D(2025, 12, 22), D(2026, 1, 2), DayOffKind.BREAK, "Winter break"),
        NonSchoolDay(D(2026, 2, 16), DayOffKind.HOLIDAY, "Presidents' Day"),
        *expand_range(D(2026, 4, 6), D(2026, 4, 10), DayOffKind.BREAK, "Spring break"),
        NonSchoolDay(D(2026, 5, 25), DayOffKind.HOLIDAY, "Memorial Day"),
    ]


@pytest.fixture
def cdist(db: object, db_path: Path) -> Iterator[ComplaintDistrict]:
    """Two school years, two buildings, an SRO and a guard, and the 2025-26 calendar entered."""
    from sro_desk.store import calendar_repo, roster_repo

    path = db_path
    for label, first, last in (("2025-26", D(2025, 9, 2), D(2026, 6, 12)),
                               ("2026-27", D(2026, 9, 2), D(2027, 6, 11))):
        roster_repo.save_school_year(SchoolYear(None, label, first, last))
    cedar = roster_repo.save_building(Building(None, "Cedar Middle School", "CMS", "6-8"))
    fir = roster_repo.save_building(Building(None, "Fir High School", "FHS", "9-12"))
    police = roster_repo.save_provider(Provider(None, "Cedar PD", ProviderKind.POLICE))
    officer = roster_repo.save_staff(StaffMember(
        None, "Dana", "Reyes", Role.SRO, True, police.id,
        assignments=(BuildingAssignment(cedar.id or 0, 5),), status=StaffStatus.ACTIVE))
    guard = roster_repo.save_staff(StaffMember(
        None, "Lee", "Park", Role.SCHOOL_SECURITY, False, police.id,
        assignments=(BuildingAssignment(fir.id or 0, 5),), status=StaffStatus.ACTIVE))
    calendar_repo.save_calendar_year("2025-26", D(2025, 9, 2), D(2026, 6, 12))
    calendar_repo.add_days_off("2025-26", days_off_2025_26())
    yield ComplaintDistrict(path, cedar, fir, officer, guard)


def draft(d: ComplaintDistrict, **changes: object) -> Complaint:
    from dataclasses import replace

    base = Complaint(
        received_on=D(2026, 2, 2), channel=Channel.FORM, category=Category.STUDENT_INTERACTION,
        building=d.building.name, building_id=d.building.id, description="Raised voice",
        incident_date=D(2026, 1, 28), complainant_name="Maria O'Brien",
        complainant_contact="555-0100",
        staff=(InvolvedStaff(d.officer.id or 0, d.officer.full_name),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]
