"""Shared set-up for the training import tests: a roster of N people and the completion roster
an ESD would send for them (13 units each), written as .xlsx."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    StaffMember,
    StaffStatus,
)

ROSTER_HEADERS = ("Employee Number", "First Name", "Last Name", "Employer", "Requirement",
                  "Date Completed", "ESD", "Hours", "Certificate Number", "Module Version",
                  "Status")


def make_people(count: int, first_day: dt.date) -> list[StaffMember]:
    """``count`` safety staff at one police department, badges P-0001..., all pending."""
    from sro_desk.store import roster_repo
    from sro_desk.store.base import database_proxy
    from sro_desk.store.settings import DISTRICT_NAME, set_setting

    with database_proxy.atomic():
        set_setting(DISTRICT_NAME, "Cedar Valley School District No. 401")
        school = roster_repo.save_building(Building(None, "Cedar Valley High School", "CVHS"))
        police = roster_repo.save_provider(
            Provider(None, "Cedar Valley Police Department", ProviderKind.POLICE))
        assert school.id is not None and police.id is not None
        return [
            roster_repo.save_staff(StaffMember(
                None, f"Officer{n:03d}", f"Person{n:03d}", Role.SRO, True, police.id,
                badge_number=f"P-{n:04d}", assignments=(BuildingAssignment(school.id, 5),),
                first_day_with_students=first_day, status=StaffStatus.PENDING))
            for n in range(1, count + 1)
        ]


def write_esd_roster(path: Path, people: list[StaffMember], *, verified_every: int = 1) -> Path:
    """ESD 105's completion roster: every person, all 13 units, as the ESD titles them; every
    ``verified_every``-th person's rows marked verified, the others claims. .xlsx (with real
    spreadsheet dates) or .csv (M/D/YYYY dates), by the file name."""
    from sro_desk.services.training_import import unit_titles

    rows = []
    for index, member in enumerate(people):
        status = "verified" if index % verified_every == 0 else "claim"
        for unit in unit_titles():
            rows.append((member.badge_number, member.first_name, member.last_name,
                         member.provider_name, unit.label,
                         dt.datetime(2026, 6, 22 + unit.unit % 3), "ESD 105", 3,
                         f"E105-{member.badge_number}-{unit.unit:02d}", "Fall 2026", status))
    if path.suffix == ".csv":
        import csv

        with path.open("w", newline="", encoding="utf-8-sig") as fh:
            writer = csv.writer(fh)
            writer.writerow(ROSTER_HEADERS)
            writer.writerows((*r[:5], f"{r[5].month}/{r[5].day}/{r[5].year}", *r[6:])
                             for r in rows)
        return path
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Completions"
    sheet.append(ROSTER_HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path
