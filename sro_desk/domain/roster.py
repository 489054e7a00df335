"""The district set-up and the staff roster: who is covered and where they work.

"Safety and security staff" is RCW 28A.320.124(3)'s definition. A school resource officer must be
a *commissioned* officer assigned by a police department or sheriff's office; the rules below say
so in words instead of letting a roster silently break the statute.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum

from sro_desk.domain.privacy import immigration_warning

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_YEAR_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
MAX_DAYS_PER_WEEK = 7.0


class ProviderKind(StrEnum):
    POLICE = "police department"
    SHERIFF = "sheriff's office"
    SECURITY_COMPANY = "security guard company"
    DISTRICT = "the district itself"

    @property
    def is_law_enforcement(self) -> bool:
        return self in (ProviderKind.POLICE, ProviderKind.SHERIFF)


class Role(StrEnum):
    SRO = "school resource officer"
    SCHOOL_SECURITY = "school security officer"
    CAMPUS_SECURITY = "campus security officer"
    OTHER = "other safety or security staff"


class StaffStatus(StrEnum):
    PENDING = "pending verification"
    ACTIVE = "active"
    INACTIVE = "inactive"


@dataclass(frozen=True, slots=True)
class Building:
    """A school or other district building where staff work."""

    id: int | None
    name: str
    code: str
    grade_span: str = ""
    active: bool = True

    @property
    def display(self) -> str:
        return f"{self.name} ({self.code})" if self.code else self.name


@dataclass(frozen=True, slots=True)
class Provider:
    """An agency or company that supplies staff, or the district itself."""

    id: int | None
    name: str
    kind: ProviderKind
    contact_name: str = ""
    phone: str = ""
    email: str = ""


@dataclass(frozen=True, slots=True)
class SchoolYear:
    """A school year by its label ("2025-26") and its first and last day."""

    id: int | None
    label: str
    first_day: dt.date
    last_day: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


@dataclass(frozen=True, slots=True)
class BuildingAssignment:
    """One building a person works in, and how many days a week."""

    building_id: int
    days_per_week: float
    building_code: str = ""
    building_name: str = ""


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A safety or security staff member on the roster (DOMAIN.md, "Who is covered")."""

    id: int | None
    first_name: str
    last_name: str
    role: Role
    commissioned: bool
    provider_id: int | None
    badge_number: str = ""
    phone: str = ""
    email: str = ""
    assignments: tuple[BuildingAssignment, ...] = ()
    first_day_with_students: dt.date | None = None
    assignment_start: dt.date | None = None
    assignment_end: dt.date | None = None
    status: StaffStatus = StaffStatus.PENDING
    notes: str = ""
    provider_name: str = ""
    provider_kind: ProviderKind | None = None

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def sort_name(self) -> str:
        return f"{self.last_name}, {self.first_name}".strip(", ")

    @property
    def total_days_per_week(self) -> float:
        return sum(a.days_per_week for a in self.assignments)

    @property
    def building_codes(self) -> str:
        return ", ".join(a.building_code or str(a.building_id) for a in self.assignments)


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of validating a record: errors block saving, warnings ask for a second look."""

    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.errors


def format_days(days: float) -> str:
    return f"{days:g}"


def validate_building(building: Building, others: list[Building]) -> Check:
    errors: list[str] = []
    if not building.name.strip():
        errors.append("A building needs a name.")
    if not building.code.strip():
        errors.append("A building needs a short code (for example SHS).")
    for other in others:
        if other.id == building.id:
            continue
        if other.code.strip().lower() == building.code.strip().lower() and building.code.strip():
            errors.append(f"The code {building.code} is already used by {other.name}.")
        if other.name.strip().lower() == building.name.strip().lower() and building.name.strip():
            errors.append(f"There is already a building named {other.name}.")
    return Check(tuple(errors))


def validate_provider(provider: Provider, others: list[Provider]) -> Check:
    errors: list[str] = []
    if not provider.name.strip():
        errors.append("An agency or company needs a name.")
    if provider.email and not _EMAIL.match(provider.email.strip()):
        errors.append(f"'{provider.email}' does not look like an email address.")
    for other in others:
        if other.id != provider.id and other.name.strip().lower() == provider.name.strip().lower():
            errors.append(f"There is already an agency or company named {other.name}.")
    return Check(tuple(errors))


def validate_school_year(year: SchoolYear, others: list[SchoolYear]) -> Check:
    errors: list[str] = []
    match = _YEAR_LABEL.match(year.label.strip())
    if not match:
        errors.append("A school year label looks like 2025-26.")
    elif (int(match[1]) + 1) % 100 != int(match[2]):
        errors.append(f"{year.label} is not two consecutive years (for example 2025-26).")
    if year.last_day <= year.first_day:
        errors.append("The last day of a school year must come after its first day.")
    elif (year.last_day - year.first_day).days > 366:
        errors.append("A school year cannot be longer than one year.")
    for other in others:
        if other.id != year.id and other.label == year.label.strip():
            errors.append(f"The school year {year.label} already exists.")
        elif other.id != year.id and (
            year.first_day <= other.last_day and other.first_day <= year.last_day
        ):
            errors.append(f"These dates overlap the school year {other.label}.")
    return Check(tuple(errors))


def school_year_label_for(day: dt.date) -> str:
    """The label of the school year a date falls in, July–June (2026-11-26 → 2026-27)."""
    start = day.year if day.month >= 7 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def validate_staff(staff: StaffMember) -> Check:
    """Every rule a roster entry must meet. ``provider_kind`` must be filled in by the caller."""
    errors: list[str] = []
    warnings: list[str] = []
    if not staff.first_name.strip() and not staff.last_name.strip():
        errors.append("A staff member needs a name.")
    elif not staff.last_name.strip():
        errors.append("A staff member needs a last name.")
    if staff.provider_id is None:
        errors.append("Choose the employer: the agency, company or the district.")
    if staff.role is Role.SRO:
        if not staff.commissioned:
            errors.append(
                "A school resource officer must be a commissioned officer "
                "(RCW 28A.320.124). Tick 'commissioned' or choose another role."
            )
        if staff.provider_kind is not None and not staff.provider_kind.is_law_enforcement:
            errors.append(
                "A school resource officer must be assigned by a police department or "
                f"sheriff's office; {staff.provider_name or 'this employer'} is a "
                f"{staff.provider_kind}."
            )
    if staff.email and not _EMAIL.match(staff.email.strip()):
        errors.append(f"'{staff.email}' does not look like an email address.")
    seen: set[int] = set()
    for a in staff.assignments:
        label = a.building_code or a.building_name or f"building {a.building_id}"
        if a.building_id in seen:
            errors.append(f"{label} is listed twice.")
        seen.add(a.building_id)
        if not 0 < a.days_per_week <= 5:
            errors.append(f"Days per week at {label} must be more than 0 and at most 5.")
    total = staff.total_days_per_week
    if total > MAX_DAYS_PER_WEEK:
        errors.append(f"{format_days(total)} days per week in all is more than a week holds.")
    elif total > 5:
        warnings.append(f"{format_days(total)} days per week in all: more than a school week.")
    if (
        staff.assignment_start
        and staff.assignment_end
        and staff.assignment_end < staff.assignment_start
    ):
        errors.append("The assignment end date is before its start date.")
    if staff.status is StaffStatus.ACTIVE and not staff.assignments:
        warnings.append("An active staff member is not assigned to any building.")
    if staff.status is StaffStatus.ACTIVE and staff.first_day_with_students is None:
        warnings.append(
            "The first day on school property with students expected is not recorded; "
            "training deadlines count from it."
        )
    note_warning = immigration_warning(staff.notes)
    if note_warning:
        warnings.append(note_warning)
    return Check(tuple(errors), tuple(warnings))
