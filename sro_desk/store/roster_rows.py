"""The roster read as plain SQL rows and turned into domain objects.

One read serves two connections: the open store (``roster_repo``, through peewee's connection)
and a bare ``sqlite3`` connection at start-up (``snapshot``), which paints the window before the
ORM is even imported. The SQL names the tables the models in ``foundation_records`` create; a
test compares these reads with the models so the two cannot drift apart. No peewee here.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    StaffMember,
    StaffStatus,
)

#: runs one statement with its parameters and returns its rows
Execute = Callable[[str, Sequence[Any]], Iterable[Sequence[Any]]]

_STAFF_SQL = (
    "SELECT s.id, s.first_name, s.last_name, s.role, s.commissioned, s.provider_id, s.badge_number, s.phone,"
    " s.email, s.first_day_with_students, s.assignment_start, s.assignment_end, s.status, s.notes,"
    " p.name, p.kind"
    " FROM staff_record AS s JOIN provider_record AS p ON p.id = s.provider_id"
)
_STAFF_ORDER = " ORDER BY s.last_name, s.first_name"
_ASSIGNMENTS_SQL = (
    "SELECT a.staff_id, a.days_per_week, b.id, b.code, b.name"
    " FROM staff_assignment_record AS a JOIN building_record AS b ON b.id = a.building_id"
)
_PROVIDERS_SQL = "SELECT id, name, kind, contact_name, phone, email FROM provider_record ORDER BY name"
_BUILDINGS_SQL = "SELECT id, name, code, grade_span, active FROM building_record ORDER BY name"


#: the forms peewee's DateField reads a stored date in (after the program's own ISO form)
_DATE_FORMATS = ("%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f")


def date_value(value: object) -> dt.date | None:
    """A date column as stored, read as peewee's DateField reads it: the program writes ISO dates;
    a date with a time or without leading zeros (written by another tool) is read too. A cell
    holding anything else is no date, rather than a roster that cannot be shown."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    if len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, form).date()
        except ValueError:
            continue
    return None


def read_assignments(execute: Execute, staff_ids: Sequence[int] | None = None) -> dict[int, list[BuildingAssignment]]:
    """Each person's buildings, by building name."""
    sql = _ASSIGNMENTS_SQL
    params: tuple[Any, ...] = ()
    if staff_ids is not None:
        sql += f" WHERE a.staff_id IN ({', '.join('?' * len(staff_ids))})" if staff_ids else " WHERE 0"
        params = tuple(staff_ids)
    result: dict[int, list[BuildingAssignment]] = defaultdict(list)
    for staff_id, days, building_id, code, name in execute(sql + " ORDER BY b.name", params):
        result[staff_id].append(BuildingAssignment(building_id, float(days), code, name))
    return result


def read_staff(execute: Execute, staff_ids: Sequence[int] | None = None) -> list[StaffMember]:
    """Everyone on the roster (or the people in ``staff_ids``), by last then first name; two queries."""
    sql = _STAFF_SQL
    params: tuple[Any, ...] = ()
    if staff_ids is not None:
        sql += f" WHERE s.id IN ({', '.join('?' * len(staff_ids))})" if staff_ids else " WHERE 0"
        params = tuple(staff_ids)
    by_staff = read_assignments(execute, staff_ids)
    kinds = {k.value: k for k in ProviderKind}
    roles = {r.value: r for r in Role}
    statuses = {s.value: s for s in StaffStatus}
    return [
        StaffMember(
            id=staff_id, first_name=first, last_name=last, role=roles[role], commissioned=bool(commissioned),
            provider_id=provider_id, badge_number=badge, phone=phone, email=email,
            assignments=tuple(by_staff.get(staff_id, ())), first_day_with_students=date_value(first_day),
            assignment_start=date_value(start), assignment_end=date_value(end), status=statuses[status],
            notes=notes, provider_name=provider_name, provider_kind=kinds[provider_kind],
        )
        for (staff_id, first, last, role, commissioned, provider_id, badge, phone, email, first_day, start, end,
             status, notes, provider_name, provider_kind) in execute(sql + _STAFF_ORDER, params)
    ]


def read_providers(execute: Execute) -> list[Provider]:
    return [
        Provider(provider_id, name, ProviderKind(kind), contact, phone, email)
        for provider_id, name, kind, contact, phone, email in execute(_PROVIDERS_SQL, ())
    ]


def read_buildings(execute: Execute) -> list[Building]:
    return [
        Building(building_id, name, code, grade_span, bool(active))
        for building_id, name, code, grade_span, active in execute(_BUILDINGS_SQL, ())
    ]
