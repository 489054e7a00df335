"""The district set-up and roster, read as domain objects and written through audited, validated saves."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sro_desk import clock
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    SchoolYear,
    StaffMember,
    StaffStatus,
    school_year_label_for,
    validate_building,
    validate_provider,
    validate_school_year,
    validate_staff,
)
from sro_desk.store import roster_rows
from sro_desk.store.audit import audited_create, audited_delete, audited_update, dependents
from sro_desk.store.base import database_proxy
from sro_desk.store.foundation_records import (
    BuildingRecord,
    ProviderRecord,
    SchoolYearRecord,
    StaffAssignmentRecord,
    StaffRecord,
)

# ---------------------------------------------------------------- buildings


def _building(row: BuildingRecord) -> Building:
    return Building(row.id, row.name, row.code, row.grade_span, bool(row.active))


def list_buildings(*, active_only: bool = False) -> list[Building]:
    buildings = roster_rows.read_buildings(_execute)
    return [b for b in buildings if b.active] if active_only else buildings


def get_building(building_id: int) -> Building:
    row = BuildingRecord.get_or_none(BuildingRecord.id == building_id)
    if row is None:
        raise NotFound(f"Building {building_id} does not exist.")
    return _building(row)


def save_building(building: Building) -> Building:
    check = validate_building(building, list_buildings())
    if not check.ok:
        raise ValidationError(list(check.errors))
    fields: dict[str, Any] = {
        "name": building.name.strip(),
        "code": building.code.strip(),
        "grade_span": building.grade_span.strip(),
        "active": building.active,
    }
    if building.id is None:
        return _building(audited_create(BuildingRecord, **fields))
    row = BuildingRecord.get_or_none(BuildingRecord.id == building.id)
    if row is None:
        raise NotFound(f"Building {building.id} does not exist.")
    return _building(audited_update(row, **fields))


def delete_building(building_id: int) -> None:
    row = BuildingRecord.get_or_none(BuildingRecord.id == building_id)
    if row is None:
        raise NotFound(f"Building {building_id} does not exist.")
    audited_delete(row)


# ---------------------------------------------------------------- providers


def _provider(row: ProviderRecord) -> Provider:
    return Provider(row.id, row.name, ProviderKind(row.kind), row.contact_name, row.phone, row.email)


def list_providers() -> list[Provider]:
    return roster_rows.read_providers(_execute)


def get_provider(provider_id: int) -> Provider:
    row = ProviderRecord.get_or_none(ProviderRecord.id == provider_id)
    if row is None:
        raise NotFound(f"Agency or company {provider_id} does not exist.")
    return _provider(row)


def save_provider(provider: Provider) -> Provider:
    check = validate_provider(provider, list_providers())
    if not check.ok:
        raise ValidationError(list(check.errors))
    fields: dict[str, Any] = {
        "name": provider.name.strip(),
        "kind": provider.kind.value,
        "contact_name": provider.contact_name.strip(),
        "phone": provider.phone.strip(),
        "email": provider.email.strip(),
    }
    if provider.id is None:
        return _provider(audited_create(ProviderRecord, **fields))
    row = ProviderRecord.get_or_none(ProviderRecord.id == provider.id)
    if row is None:
        raise NotFound(f"Agency or company {provider.id} does not exist.")
    if not provider.kind.is_law_enforcement:
        sros = [
            f"{s.first_name} {s.last_name}".strip()
            for s in StaffRecord.select().where(
                (StaffRecord.provider == provider.id)
                & (StaffRecord.role == Role.SRO.value)
                & (StaffRecord.status != StaffStatus.INACTIVE.value)
            )
        ]
        if sros:
            raise ValidationError(
                f"{provider.name} supplies school resource officers ({', '.join(sros)}); an SRO must be "
                f"assigned by a police department or sheriff's office (RCW 28A.320.124), so it cannot "
                f"become a {provider.kind.value}. Change those people's role or employer first."
            )
    return _provider(audited_update(row, **fields))


def delete_provider(provider_id: int) -> None:
    row = ProviderRecord.get_or_none(ProviderRecord.id == provider_id)
    if row is None:
        raise NotFound(f"Agency or company {provider_id} does not exist.")
    audited_delete(row)


# ---------------------------------------------------------------- school years


def _year(row: SchoolYearRecord) -> SchoolYear:
    return SchoolYear(row.id, row.label, row.first_day, row.last_day)


def list_school_years() -> list[SchoolYear]:
    return [_year(r) for r in SchoolYearRecord.select().order_by(SchoolYearRecord.first_day)]


def school_year_by_label(label: str) -> SchoolYear:
    row = SchoolYearRecord.get_or_none(SchoolYearRecord.label == label.strip())
    if row is None:
        known = ", ".join(y.label for y in list_school_years()) or "none yet"
        raise NotFound(f"There is no school year {label} (known: {known}).")
    return _year(row)


def current_school_year(today: dt.date | None = None) -> SchoolYear | None:
    """The year containing ``today``, else the one labelled for today, else the latest."""
    today = today or clock.today()
    years = list_school_years()
    for year in years:
        if year.contains(today):
            return year
    label = school_year_label_for(today)
    for year in years:
        if year.label == label:
            return year
    return years[-1] if years else None


def save_school_year(year: SchoolYear) -> SchoolYear:
    check = validate_school_year(year, list_school_years())
    if not check.ok:
        raise ValidationError(list(check.errors))
    fields: dict[str, Any] = {"label": year.label.strip(), "first_day": year.first_day, "last_day": year.last_day}
    if year.id is None:
        return _year(audited_create(SchoolYearRecord, **fields))
    row = SchoolYearRecord.get_or_none(SchoolYearRecord.id == year.id)
    if row is None:
        raise NotFound(f"School year {year.id} does not exist.")
    return _year(audited_update(row, **fields))


def delete_school_year(year_id: int) -> None:
    row = SchoolYearRecord.get_or_none(SchoolYearRecord.id == year_id)
    if row is None:
        raise NotFound(f"School year {year_id} does not exist.")
    audited_delete(row)


# ---------------------------------------------------------------- staff


def _execute(sql: str, params: Sequence[Any]) -> Iterable[Sequence[Any]]:
    return cast(Iterable[Sequence[Any]], database_proxy.execute_sql(sql, params))


def list_staff() -> list[StaffMember]:
    """Everyone on the roster, in two queries (the table model holds these; painting never queries)."""
    return roster_rows.read_staff(_execute)


def get_staff(staff_id: int) -> StaffMember:
    found = roster_rows.read_staff(_execute, [staff_id])
    if not found:
        raise NotFound(f"Staff member {staff_id} does not exist.")
    return found[0]


def with_provider(staff: StaffMember) -> StaffMember:
    """Fill in the provider's name and kind so the SRO rules can be checked."""
    from dataclasses import replace

    if staff.provider_id is None:
        return staff
    provider = ProviderRecord.get_or_none(ProviderRecord.id == staff.provider_id)
    if provider is None:
        return replace(staff, provider_id=None)
    return replace(staff, provider_name=provider.name, provider_kind=ProviderKind(provider.kind))


def save_staff(staff: StaffMember, *, reason: str = "") -> StaffMember:
    """Create or update a staff member and their building assignments, as one audited transaction."""
    staff = with_provider(staff)
    check = validate_staff(staff)
    if not check.ok:
        raise ValidationError(list(check.errors))
    known_buildings = {b.id for b in list_buildings()}
    missing = [a.building_id for a in staff.assignments if a.building_id not in known_buildings]
    if missing:
        raise ValidationError(f"Unknown building id(s): {', '.join(map(str, missing))}.")
    fields: dict[str, Any] = {
        "first_name": staff.first_name.strip(),
        "last_name": staff.last_name.strip(),
        "role": staff.role.value,
        "commissioned": staff.commissioned,
        "provider": staff.provider_id,
        "badge_number": staff.badge_number.strip(),
        "phone": staff.phone.strip(),
        "email": staff.email.strip(),
        "first_day_with_students": staff.first_day_with_students,
        "assignment_start": staff.assignment_start,
        "assignment_end": staff.assignment_end,
        "status": staff.status.value,
        "notes": staff.notes,
    }
    with database_proxy.atomic():
        if staff.id is None:
            row = audited_create(StaffRecord, reason=reason, **fields)
        else:
            existing = StaffRecord.get_or_none(StaffRecord.id == staff.id)
            if existing is None:
                raise NotFound(f"Staff member {staff.id} does not exist.")
            row = audited_update(existing, reason=reason, **fields)
        _replace_assignments(row, staff.assignments)
    return get_staff(row.id)


def _replace_assignments(row: StaffRecord, wanted: tuple[BuildingAssignment, ...]) -> None:
    existing = {a.building_id: a for a in StaffAssignmentRecord.select().where(StaffAssignmentRecord.staff == row.id)}
    wanted_by_building = {a.building_id: a for a in wanted}
    for building_id, record in existing.items():
        if building_id not in wanted_by_building:
            audited_delete(record)
        elif float(record.days_per_week) != wanted_by_building[building_id].days_per_week:
            audited_update(record, days_per_week=wanted_by_building[building_id].days_per_week)
    for building_id, assignment in wanted_by_building.items():
        if building_id not in existing:
            audited_create(
                StaffAssignmentRecord, staff=row.id, building=building_id, days_per_week=assignment.days_per_week
            )


def set_staff_status(staff_id: int, status: StaffStatus, *, reason: str = "") -> StaffMember:
    row = StaffRecord.get_or_none(StaffRecord.id == staff_id)
    if row is None:
        raise NotFound(f"Staff member {staff_id} does not exist.")
    audited_update(row, status=status.value, reason=reason)
    return get_staff(staff_id)


def delete_staff(staff_id: int) -> None:
    """Refused with the reason when anything refers to the person; deactivate instead."""
    row = StaffRecord.get_or_none(StaffRecord.id == staff_id)
    if row is None:
        raise NotFound(f"Staff member {staff_id} does not exist.")
    blockers = dependents(row)
    if blockers:
        raise RuleViolation(
            f"{row.first_name} {row.last_name} cannot be deleted because "
            + ", ".join(blockers)
            + " refer to them. Set their status to inactive instead."
        )
    with database_proxy.atomic():
        for assignment in StaffAssignmentRecord.select().where(StaffAssignmentRecord.staff == row.id):
            audited_delete(assignment)
        audited_delete(row)


def roster_rule_breaches() -> list[str]:
    """Every roster entry that breaks a roster rule (``check`` reports these)."""
    found: list[str] = []
    for member in list_staff():
        if member.status is StaffStatus.INACTIVE:
            continue
        for error in validate_staff(member).errors:
            found.append(f"{member.full_name}: {error}")
    return found


def staff_count() -> int:
    return int(StaffRecord.select().count())
