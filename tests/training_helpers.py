"""Shared set-up for the training tests: a small roster in a fresh database, evidence bytes."""

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
from sro_desk.store import roster_repo
from sro_desk.store.settings import DISTRICT_NAME, set_setting

TODAY = dt.date(2026, 11, 26)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def make_roster() -> dict[str, int]:
    """Four people: an SRO, a district campus officer, a guard-company officer, no first day."""
    set_setting(DISTRICT_NAME, "Cedar Valley School District No. 401")
    school = roster_repo.save_building(Building(None, "Cedar Valley High School", "CVHS"))
    police = roster_repo.save_provider(Provider(None, "Cedar Valley PD", ProviderKind.POLICE))
    district = roster_repo.save_provider(Provider(None, "Cedar Valley SD", ProviderKind.DISTRICT))
    guards = roster_repo.save_provider(
        Provider(None, "Sentinel Security", ProviderKind.SECURITY_COMPANY))
    assert school.id and police.id and district.id and guards.id
    here = (BuildingAssignment(school.id, 5),)
    people = {
        "sro": StaffMember(None, "Maria", "Lopez", Role.SRO, True, police.id, assignments=here,
                           first_day_with_students=dt.date(2026, 9, 2),
                           status=StaffStatus.ACTIVE),
        "campus": StaffMember(None, "Grace", "=Lindqvist", Role.CAMPUS_SECURITY, False,
                              district.id, assignments=here,
                              first_day_with_students=dt.date(2026, 3, 31),
                              status=StaffStatus.ACTIVE),
        "guard": StaffMember(None, "Luis", "O'Brien <Jr>", Role.SCHOOL_SECURITY, False,
                             guards.id, assignments=here,
                             first_day_with_students=dt.date(2026, 11, 2),
                             status=StaffStatus.PENDING),
        "new": StaffMember(None, "Aaron", "Whitehorse", Role.SRO, True, police.id,
                           status=StaffStatus.PENDING),
    }
    ids: dict[str, int] = {}
    for key, member in people.items():
        saved = roster_repo.save_staff(member)
        assert saved.id is not None
        ids[key] = saved.id
    return ids


def seeded_training_db(path: Path) -> dict[str, int]:
    """A closed database file with the roster above and some training: the SRO cleared (topics
    verified; hostile strings in the verifier, provider and file names), an expired CPR card, a
    waiver for the campus officer. Returns the staff ids."""
    from sro_desk.domain.training import Delivery, Provider
    from sro_desk.services import training as svc
    from sro_desk.store import training_repo
    from sro_desk.store.database import close_database, open_database
    from sro_desk.store.training_repo import CompletionInput, EvidenceFile

    open_database(path, daily_backup=False)
    try:
        ids = make_roster()
        topics = [f"topic_{c}" for c in "abcdefghijklm"]
        saved = svc.record_group([ids["sro"]], topics, dt.date(2026, 10, 1), Provider.ESD,
                                 "Olympic ESD 114", Delivery.IN_PERSON, 3.0, "",
                                 [EvidenceFile("sign-in <sheet>.pdf", PDF_BYTES)], today=TODAY)
        svc.verify_completions([c.id for c in saved.completions], "Pat <b>Lee")
        cpr = svc.record_completions([CompletionInput(
            ids["sro"], "first_aid_cpr", dt.date(2024, 11, 1), Provider.OTHER,
            '=HYPERLINK("x")', Delivery.IN_PERSON, 4.0)], today=TODAY).completions[0]
        training_repo.verify_completion(cpr.id, "Pat Lee")
        svc.record_waiver(ids["campus"], "topic_g", dt.date(2026, 9, 1), "ESD 112",
                          "Prior training <20 years>", None, today=TODAY)
    finally:
        close_database()
    return ids
