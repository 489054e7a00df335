"""Importing a roster file: all rows or none.

Each row is checked on its own (name, role, employer, buildings, dates) and against the roster's
rules; any problem anywhere refuses the whole file with every problem listed. A person already on
the roster (same badge number, or same name, at the same employer) is updated, not duplicated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.dates import parse_optional_entered_date, parse_yes_no
from sro_desk.domain.errors import ImportRefused, RowProblem
from sro_desk.domain.roster import (
    BuildingAssignment,
    Role,
    StaffMember,
    StaffStatus,
    validate_staff,
)
from sro_desk.services.first_day import first_day_checker
from sro_desk.services.tabular import (
    Cancelled,
    Progress,
    TabularData,
    cell_text,
    read_table,
    require_columns,
)
from sro_desk.services.templates import TemplateSpec
from sro_desk.store import roster_repo
from sro_desk.store.base import database_proxy

COLUMNS = (
    "first_name", "last_name", "role", "commissioned", "employer", "badge_number", "phone", "email",
    "buildings", "first_day_with_students", "assignment_start", "assignment_end", "status", "notes",
)
REQUIRED = ("last_name", "role", "employer")

ROLE_ALIASES: dict[str, Role] = {
    "sro": Role.SRO,
    "resource officer": Role.SRO,
    "school resource officer": Role.SRO,
    "sso": Role.SCHOOL_SECURITY,
    "school security officer": Role.SCHOOL_SECURITY,
    "cso": Role.CAMPUS_SECURITY,
    "campus security officer": Role.CAMPUS_SECURITY,
    "other": Role.OTHER,
    "other safety or security staff": Role.OTHER,
}
STATUS_ALIASES: dict[str, StaffStatus] = {
    "": StaffStatus.PENDING,
    "pending": StaffStatus.PENDING,
    "pending verification": StaffStatus.PENDING,
    "active": StaffStatus.ACTIVE,
    "inactive": StaffStatus.INACTIVE,
}

IMPORT_TEMPLATES = (
    TemplateSpec(
        name="roster",
        title="Roster",
        headers=COLUMNS,
        example_rows=(
            ("Maria", "Lopez", "school resource officer", "yes", "Sequim Police Department", "1142",
             "360-555-0142", "mlopez@example.org", "SHS:3; SMS:2", "2026-09-02", "2026-08-25", "", "active", ""),
            ("Dale", "Nguyen", "campus security officer", "no", "Sequim School District", "E-2231",
             "", "", "SHS:5", "9/2/2026", "", "", "pending", "Evening events"),
        ),
        notes=(
            "One row per person. Headers may be in any case; the order of columns does not matter.",
            "role: school resource officer (SRO), school security officer, campus security officer, or other safety or security staff.",
            "commissioned: yes or no. A school resource officer must be commissioned and employed by a police department or sheriff's office.",
            "employer: the exact name of an agency, company or the district as set up in SRO Desk.",
            "buildings: building short codes with days per week, e.g. 'SHS:3; SMS:2'. A code alone means 5 days.",
            "Dates as YYYY-MM-DD or M/D/YYYY (or real spreadsheet dates).",
            "status: pending verification, active or inactive (empty means pending verification).",
            "Do not record immigration or citizenship status or place of birth anywhere (RCW 10.93.160).",
        ),
    ),
)


class ActivationReasonNeeded(ImportRefused):
    """The file would set people active who are not cleared to work: a written reason is needed.

    RCW 28A.400.345: the district verifies training before it engages staff. The importer applies
    the same rule as the roster dialog; the reason, once given, is kept in every audit entry.
    """


def _not_cleared(staff: StaffMember, existing: StaffMember | None) -> str | None:
    """Why activating this row needs a reason, or ``None`` when it does not."""
    if staff.status is not StaffStatus.ACTIVE or (existing is not None and existing.status is StaffStatus.ACTIVE):
        return None
    try:
        from sro_desk.services.training import activation_warning
    except ImportError:  # a build without training verification
        return None
    if existing is None or existing.id is None:
        return f"{staff.full_name} would be set active, but no training has been verified for a new person"

    warning = activation_warning(existing.id, clock.today())
    if warning is None:
        return None
    return f"{staff.full_name} would be set active, but is not cleared to work ({'; '.join(warning.reasons) or 'training not verified'})"


@dataclass(frozen=True, slots=True)
class RosterImportResult:
    created: int
    updated: int
    warnings: tuple[str, ...] = ()
    read_from: str = ""  # which sheet of a workbook was read (``TabularData.sheet_note``)

    @property
    def summary(self) -> str:
        text = f"Imported the roster: {self.created} added, {self.updated} updated."
        return f"{text} {self.read_from}" if self.read_from else text


def _parse_buildings(text: str, by_code: dict[str, int], problems: list[str]) -> tuple[BuildingAssignment, ...]:
    result: list[BuildingAssignment] = []
    for part in [p.strip() for p in text.replace(",", ";").split(";") if p.strip()]:
        code, _, days_text = part.partition(":")
        code = code.strip()
        building_id = by_code.get(code.lower())
        if building_id is None:
            problems.append(f"unknown building '{code}'")
            continue
        days = 5.0
        if days_text.strip():
            try:
                days = float(days_text.strip())
            except ValueError:
                problems.append(f"days per week '{days_text.strip()}' at {code} is not a number")
                continue
        result.append(BuildingAssignment(building_id, days, code))
    return tuple(result)


def parse_rows(path: Path | str, progress: Progress | None = None, is_cancelled: Cancelled | None = None) -> list[tuple[int, StaffMember]]:
    """Every row as a staff member, or ``ImportRefused`` listing every problem in the file."""
    return _parse_table(read_table(path, progress=progress, is_cancelled=is_cancelled))


def _parse_table(data: TabularData) -> list[tuple[int, StaffMember]]:
    today = clock.today()
    require_columns(data, REQUIRED)
    providers = {p.name.strip().lower(): p for p in roster_repo.list_providers()}
    by_code = {b.code.strip().lower(): b.id for b in roster_repo.list_buildings() if b.id is not None}
    problems: list[RowProblem] = []
    parsed: list[tuple[int, StaffMember]] = []
    if not data.rows:
        raise ImportRefused([RowProblem(0, "", "the file has a header row but no people")])
    for number, row in data.rows:
        row_problems: list[RowProblem] = []

        def bad(column: str, message: str, number: int = number, sink: list[RowProblem] = row_problems) -> None:
            sink.append(RowProblem(number, column, message))

        def text(column: str, row: dict[str, Any] = row) -> str:
            return cell_text(row.get(column, ""))

        if not text("last_name") and not text("first_name"):
            bad("last_name", "the name is missing")
        elif not text("last_name"):
            bad("last_name", "the last name is missing")
        role = ROLE_ALIASES.get(text("role").lower())
        if role is None:
            bad("role", f"'{text('role')}' is not a known role" if text("role") else "the role is missing")
        try:
            commissioned = parse_yes_no(row.get("commissioned", ""))
        except ValueError as error:
            bad("commissioned", str(error))
            commissioned = False
        provider = providers.get(text("employer").lower())
        if provider is None:
            bad("employer", f"'{text('employer')}' is not a known agency, company or district" if text("employer") else "the employer is missing")
        status = STATUS_ALIASES.get(text("status").lower())
        if status is None:
            bad("status", f"'{text('status')}' is not a status (pending verification, active, inactive)")
        dates: dict[str, Any] = {}
        for column in ("first_day_with_students", "assignment_start", "assignment_end"):
            try:
                # RowProblem names row and column; the range is domain.dates' one rule.
                dates[column] = parse_optional_entered_date(row.get(column, ""), today)
            except ValueError as error:
                bad(column, str(error))
                dates[column] = None
        building_problems: list[str] = []
        assignments = _parse_buildings(text("buildings"), by_code, building_problems)
        for message in building_problems:
            bad("buildings", message)
        if row_problems:
            problems.extend(row_problems)
            continue
        assert role is not None and provider is not None and status is not None
        staff = StaffMember(
            id=None,
            first_name=text("first_name"),
            last_name=text("last_name"),
            role=role,
            commissioned=commissioned,
            provider_id=provider.id,
            badge_number=text("badge_number"),
            phone=text("phone"),
            email=text("email"),
            assignments=assignments,
            first_day_with_students=dates["first_day_with_students"],
            assignment_start=dates["assignment_start"],
            assignment_end=dates["assignment_end"],
            status=status,
            notes=text("notes"),
            provider_name=provider.name,
            provider_kind=provider.kind,
        )
        check = validate_staff(staff)
        problems.extend(RowProblem(number, "", message) for message in check.errors)
        parsed.append((number, staff))
    if problems:
        raise ImportRefused(problems)
    return parsed


def _existing_key(staff: StaffMember) -> tuple[Any, ...]:
    if staff.badge_number:
        return (staff.provider_id, "badge", staff.badge_number.lower())
    return (staff.provider_id, "name", staff.first_name.lower(), staff.last_name.lower())


def import_roster(
    path: Path | str,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
    *,
    on_row: Callable[[int], None] | None = None,
    activation_reason: str = "",
) -> RosterImportResult:
    """Import the whole file in one transaction, or nothing.

    Rows that would set a person active who is not cleared to work are refused together
    (``ActivationReasonNeeded``) unless ``activation_reason`` is given; it is then audited.
    """
    table = read_table(path, progress=progress, is_cancelled=is_cancelled)
    parsed = _parse_table(table)
    existing: dict[tuple[Any, ...], StaffMember] = {}
    for member in roster_repo.list_staff():
        existing[_existing_key(member)] = member
        existing[(member.provider_id, "name", member.first_name.lower(), member.last_name.lower())] = member
    created = updated = 0
    warnings: list[str] = []
    seen: dict[tuple[Any, ...], int] = {}
    problems: list[RowProblem] = []
    for number, staff in parsed:
        key = _existing_key(staff)
        if key in seen:
            problems.append(RowProblem(number, "", f"the same person as row {seen[key]}"))
        seen[key] = number
    if problems:
        raise ImportRefused(problems)
    needing: list[RowProblem] = []
    for number, staff in parsed:
        why = _not_cleared(staff, existing.get(_existing_key(staff)))
        if why:
            needing.append(RowProblem(number, "status", why))
    if needing and not activation_reason.strip():
        raise ActivationReasonNeeded(
            needing,
            "Some people in this file would be set active although they are not cleared to work "
            "(training not verified, RCW 28A.400.345). Give a reason to import them as active, or "
            "change their status to 'pending verification'. Nothing was changed.",
        )
    reason = "roster import" + (f"; activated although not cleared: {activation_reason.strip()}" if needing else "")
    check_first_day = first_day_checker()
    with database_proxy.atomic():
        for done, (number, staff) in enumerate(parsed, start=1):
            if is_cancelled is not None and is_cancelled():
                raise ImportRefused([RowProblem(0, "", "The import was cancelled.")], "The import was cancelled. Nothing was changed.")
            match = existing.get(_existing_key(staff))
            if match is not None:
                roster_repo.save_staff(replace(staff, id=match.id), reason=reason)
                updated += 1
            else:
                roster_repo.save_staff(staff, reason=reason)
                created += 1
            for warning in validate_staff(staff).warnings:
                warnings.append(f"row {number}: {warning}")
            first_day = check_first_day(staff.first_day_with_students)
            if first_day:
                warnings.append(f"row {number}: {staff.full_name}: {first_day}")
            if progress:
                progress(done, len(parsed))
            if on_row:
                on_row(number)
    return RosterImportResult(created, updated, tuple(warnings), table.sheet_note)
