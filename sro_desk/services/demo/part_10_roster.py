"""Demo: the district set-up and a roster of about fifteen people in every status."""

from __future__ import annotations

import datetime as dt

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
from sro_desk.services.demo import DemoContext
from sro_desk.store import roster_repo, settings

DISTRICT = "Cedar Valley School District No. 401"
ESD = "Olympic Educational Service District 114"

BUILDINGS = (
    ("Cedar Valley High School", "CVHS", "9-12"),
    ("Harbor View High School", "HVHS", "9-12"),
    ("Ridgeline Middle School", "RMS", "6-8"),
    ("Salmon Creek Middle School", "SCMS", "6-8"),
    ("Alder Elementary School", "AES", "K-5"),
    ("Fir Grove Elementary School", "FGES", "K-5"),
    ("Madrona Elementary School", "MES", "K-5"),
    ("Cedar Valley Reengagement Center", "CVRC", "9-12"),
)
PROVIDERS = (
    ("Cedar Valley Police Department", ProviderKind.POLICE, "Chief Rosa Whitfield", "360-555-0100", "records@cvpd.example.org"),
    ("Harbor County Sheriff's Office", ProviderKind.SHERIFF, "Undersheriff Tom Ebbesen", "360-555-0170", "sro@hcso.example.org"),
    ("Sentinel Security Services LLC", ProviderKind.SECURITY_COMPANY, "Jana Kowalczyk", "360-555-0199", "contracts@sentinel.example.com"),
    (DISTRICT, ProviderKind.DISTRICT, "Safety Coordinator", "360-555-0400", "safety@cvsd.example.org"),
)
# first, last, role, commissioned, employer index, badge, buildings, first day offset (days before today), status
STAFF: tuple[tuple[str, str, Role, bool, int, str, tuple[tuple[str, float], ...], int | None, StaffStatus], ...] = (
    ("Maria", "Lopez", Role.SRO, True, 0, "CV-1142", (("CVHS", 5),), 900, StaffStatus.ACTIVE),
    ("Daniel", "Okafor", Role.SRO, True, 0, "CV-1187", (("RMS", 3), ("SCMS", 2)), 420, StaffStatus.ACTIVE),
    ("Priya", "Raman", Role.SRO, True, 0, "CV-1203", (("HVHS", 5),), 75, StaffStatus.ACTIVE),
    ("Colin", "McAllister", Role.SRO, True, 1, "HC-311", (("CVRC", 2), ("AES", 1), ("FGES", 1), ("MES", 1)), 1500, StaffStatus.ACTIVE),
    ("Teresa", "Sandoval", Role.SRO, True, 1, "HC-356", (("SCMS", 3),), 230, StaffStatus.ACTIVE),
    ("Aaron", "Whitehorse", Role.SRO, True, 1, "HC-372", (), None, StaffStatus.PENDING),
    ("Grace", "Lindqvist", Role.CAMPUS_SECURITY, False, 3, "E-2231", (("CVHS", 5),), 700, StaffStatus.ACTIVE),
    ("Marcus", "Bell", Role.CAMPUS_SECURITY, False, 3, "E-2240", (("HVHS", 5),), 190, StaffStatus.ACTIVE),
    ("Hannah", "Yoshida", Role.SCHOOL_SECURITY, False, 3, "E-2298", (("RMS", 5),), 30, StaffStatus.PENDING),
    ("Luis", "Ortega", Role.SCHOOL_SECURITY, False, 2, "SSS-0457", (("CVHS", 2), ("HVHS", 2)), 400, StaffStatus.ACTIVE),
    ("Brianna", "Fox", Role.SCHOOL_SECURITY, False, 2, "SSS-0461", (("SCMS", 5),), 160, StaffStatus.ACTIVE),
    ("Samuel", "Achterberg", Role.OTHER, False, 3, "E-2102", (("CVRC", 3),), 1200, StaffStatus.ACTIVE),
    ("Noelle", "Park", Role.CAMPUS_SECURITY, False, 3, "E-2305", (("HVHS", 3),), -14, StaffStatus.PENDING),
    ("Victor", "Haugen", Role.SCHOOL_SECURITY, False, 2, "SSS-0388", (("RMS", 5),), 800, StaffStatus.INACTIVE),
    ("Kiana", "Makoa", Role.CAMPUS_SECURITY, False, 3, "E-2277", (("CVHS", 2), ("CVRC", 2)), 330, StaffStatus.ACTIVE),
)


def school_years(ctx: DemoContext) -> tuple[tuple[str, dt.date, dt.date], ...]:
    """The demo's two school years (label, first day, last day), moved to its build day."""
    return (
        (ctx.label("2025-26"), ctx.day(2025, 9, 3), ctx.day(2026, 6, 17)),
        (ctx.label("2026-27"), ctx.day(2026, 9, 2), ctx.day(2027, 6, 16)),
    )


def populate(ctx: DemoContext) -> None:
    settings.set_setting(settings.DISTRICT_NAME, DISTRICT)
    settings.set_setting(settings.DISTRICT_ESD, ESD)
    for label, first_day_of_year, last_day_of_year in school_years(ctx):
        ctx.years[label] = roster_repo.save_school_year(SchoolYear(None, label, first_day_of_year, last_day_of_year))
    for name, code, span in BUILDINGS:
        ctx.buildings[code] = roster_repo.save_building(Building(None, name, code, span))
    providers = []
    for name, kind, contact, phone, email in PROVIDERS:
        provider = roster_repo.save_provider(Provider(None, name, kind, contact, phone, email))
        ctx.providers[name] = provider
        providers.append(provider)
    for first, last, role, commissioned, employer, badge, places, offset, status in STAFF:
        provider = providers[employer]
        first_day = ctx.today - dt.timedelta(days=offset) if offset is not None else None
        assignments = tuple(
            BuildingAssignment(ctx.buildings[code].id or 0, days, code) for code, days in places
        )
        member = roster_repo.save_staff(
            StaffMember(
                id=None,
                first_name=first,
                last_name=last,
                role=role,
                commissioned=commissioned,
                provider_id=provider.id,
                badge_number=badge,
                phone=f"360-555-{ctx.rng.randint(1000, 9999)}",
                email=f"{first[0].lower()}{last.lower()}@example.org",
                assignments=assignments,
                first_day_with_students=first_day,
                assignment_start=first_day - dt.timedelta(days=7) if first_day else None,
                assignment_end=ctx.today - dt.timedelta(days=40) if status is StaffStatus.INACTIVE else None,
                status=status,
                notes="Covers evening athletics." if last == "Lindqvist" else "",
            )
        )
        ctx.staff.append(member)
