"""Shared set-up for the agreement tests: a small district in a fresh file database.

Training clearance is supplied through ``fake_clearance`` (the Training tab's published
``StaffClearance`` contract) so these tests do not depend on how training records are kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

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
from sro_desk.domain.training import StaffClearance
from sro_desk.store import roster_repo, settings
from sro_desk.store.database import close_database, open_database

TODAY = dt.date(2026, 11, 26)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass
class District:
    police: Provider
    security: Provider
    district: Provider
    high: Building
    middle: Building
    officer: StaffMember
    guard: StaffMember
    campus: StaffMember


def open_fresh(path: Path) -> None:
    open_database(path, daily_backup=False)


def close() -> None:
    close_database()


def make_district() -> District:
    settings.set_setting(settings.DISTRICT_NAME, "Cascade Valley School District")
    for label, first, last in (
        ("2025-26", dt.date(2025, 9, 3), dt.date(2026, 6, 17)),
        ("2026-27", dt.date(2026, 9, 2), dt.date(2027, 6, 16)),
    ):
        roster_repo.save_school_year(SchoolYear(None, label, first, last))
    police = roster_repo.save_provider(Provider(
        None, "Cascade Police Department", ProviderKind.POLICE, "Chief Ames", "360-555-0100"))
    security = roster_repo.save_provider(Provider(
        None, "Evergreen Security LLC", ProviderKind.SECURITY_COMPANY, "J. Kowal", "360-555-0199"))
    district = roster_repo.save_provider(Provider(
        None, "Cascade Valley School District", ProviderKind.DISTRICT, "Safety office", "360-555-0400"))
    high = roster_repo.save_building(Building(None, "Cedar High School", "CHS", "9-12"))
    middle = roster_repo.save_building(Building(None, "Alder Middle School", "AMS", "6-8"))

    def staff(first, last, role, provider, building, commissioned=False):
        return roster_repo.save_staff(StaffMember(
            None, first, last, role, commissioned, provider.id,
            phone="360-555-1234", assignments=(BuildingAssignment(building.id, 5),),
            first_day_with_students=dt.date(2025, 9, 3), status=StaffStatus.ACTIVE,
        ))

    officer = staff("Maria", "O'Brien <Jr>", Role.SRO, police, high, commissioned=True)
    guard = staff("Luis", "Ortega", Role.SCHOOL_SECURITY, security, high)
    campus = staff("Grace", "Lind", Role.CAMPUS_SECURITY, district, middle)
    return District(police, security, district, high, middle, officer, guard, campus)


def clearance(staff_id: int, ok: bool) -> StaffClearance:
    return StaffClearance(
        staff_id=staff_id, may_be_assigned=True, in_compliance=ok, has_esd_documentation=ok,
        assignment_reasons=("The series is required and under way.",),
        compliance_reasons=() if ok else ("no ESD documentation and the series is overdue",),
    )


def fake_clearance(monkeypatch, lacking: set[int]) -> None:
    """Every roster member cleared except the ids in ``lacking``."""
    from sro_desk.services import agreements

    def _fake(as_of):
        return {s.id: clearance(s.id, s.id not in lacking) for s in roster_repo.list_staff()}

    monkeypatch.setattr(agreements, "_clearance", _fake)
