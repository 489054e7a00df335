"""The roster and the district's set-up lists, for the UI (which talks to services only)."""

from __future__ import annotations

from sro_desk.domain.roster import Building, Provider, SchoolYear, StaffMember
from sro_desk.store import roster_repo


def list_staff() -> list[StaffMember]:
    """Everyone on the roster, in two queries (the table model holds these; painting never queries)."""
    return roster_repo.list_staff()


def save_staff(staff: StaffMember, *, reason: str = '') -> StaffMember:
    """Create or update a staff member and their building assignments, as one audited transaction."""
    return roster_repo.save_staff(staff, reason=reason)


def delete_staff(staff_id: int) -> None:
    """Refused with the reason when anything refers to the person; deactivate instead."""
    roster_repo.delete_staff(staff_id)


def list_buildings(*, active_only: bool = False) -> list[Building]:
    return roster_repo.list_buildings(active_only=active_only)


def save_building(building: Building) -> Building:
    return roster_repo.save_building(building)


def delete_building(building_id: int) -> None:
    roster_repo.delete_building(building_id)


def list_providers() -> list[Provider]:
    return roster_repo.list_providers()


def save_provider(provider: Provider) -> Provider:
    return roster_repo.save_provider(provider)


def delete_provider(provider_id: int) -> None:
    roster_repo.delete_provider(provider_id)


def list_school_years() -> list[SchoolYear]:
    return roster_repo.list_school_years()


def save_school_year(year: SchoolYear) -> SchoolYear:
    return roster_repo.save_school_year(year)


def delete_school_year(year_id: int) -> None:
    roster_repo.delete_school_year(year_id)
