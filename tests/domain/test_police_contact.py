"""Police contact with a student: each statutory rule, read from the catalog with its citation."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.police_contact import (
    PoliceContact,
    agency_report_overdue,
    attention_items,
    attorney_access_missing,
    contact_problems,
    crdc_referral,
    crdc_school_related_arrest,
    load_contact_rules,
    notification_due,
    notification_overdue,
    notified_late,
)
from sro_desk.paths import resource_text

RULES = load_contact_rules(json.loads(resource_text("catalogs", "police_contact_rules.json")))
DAY = dt.date(2026, 3, 10)
AT = dt.datetime(2026, 3, 10, 10, 0)


def test_every_rule_carries_its_citation() -> None:
    assert "RCW 13.40.740" in RULES.attorney_citation
    assert "RCW 10.118.030" in RULES.force_citation
    assert [r.version for r in RULES.notification_versions] == ["I-2081 (2024)",
                                                                 "ESHB 1296 (2025)"]
    assert "WADEPS" in RULES.agency_report_system and RULES.agency_report_days == 30


@pytest.mark.parametrize("trigger", ["questioned_in_custody", "detained",
                                     "consent_search_requested"])
def test_custodial_questioning_detention_or_consent_search_requires_attorney_access(
        trigger: str) -> None:
    contact = PoliceContact(**{trigger: True})
    assert attorney_access_missing(contact, 15, DAY, RULES)
    given = PoliceContact(**{trigger: True, "attorney_access_before_waiver": True})
    assert not attorney_access_missing(given, 15, DAY, RULES)
    excused = PoliceContact(**{trigger: True, "attorney_exception": "imminent threat"})
    assert not attorney_access_missing(excused, 15, DAY, RULES)


def test_attorney_access_is_not_required_of_adults_before_2022_or_without_a_trigger() -> None:
    questioned = PoliceContact(questioned_in_custody=True)
    assert not attorney_access_missing(questioned, 18, DAY, RULES)
    assert not attorney_access_missing(questioned, 15, dt.date(2021, 12, 31), RULES)
    assert not attorney_access_missing(PoliceContact(rights_advised=True), 15, DAY, RULES)


def test_the_notification_version_in_force_on_the_day_applies() -> None:
    assert RULES.notification_rule(dt.date(2024, 1, 1)) is None
    assert RULES.notification_rule(dt.date(2024, 9, 1)).version == "I-2081 (2024)"
    assert RULES.notification_rule(dt.date(2025, 9, 1)).version == "ESHB 1296 (2025)"


def test_overdue_and_late_notifications() -> None:
    questioned = PoliceContact(questioned_in_custody=True, attorney_access_before_waiver=True)
    due = notification_due(questioned, "no action", AT, RULES)
    assert due == AT + dt.timedelta(hours=24)
    assert not notification_overdue(questioned, "no action", AT, due, RULES)
    assert notification_overdue(questioned, "no action", AT, due + dt.timedelta(minutes=1), RULES)
    told_late = PoliceContact(questioned_in_custody=True, parent_notified_how="telephone",
                              parent_notified_at=due + dt.timedelta(hours=1))
    assert notified_late(told_late, "no action", AT, RULES)
    assert not notification_overdue(told_late, "no action", AT, due + dt.timedelta(days=3), RULES)
    exception = PoliceContact(questioned_in_custody=True, parent_notification_exception=(
        "the parent or guardian is the subject of the investigation"))
    assert notification_due(exception, "no action", AT, RULES) is None
    assert notification_due(PoliceContact(), "arrest", AT, RULES) is not None
    assert notification_due(PoliceContact(), "citation or infraction", AT, RULES) is None


def test_a_district_may_shorten_the_deadline_but_never_lengthen_it() -> None:
    strict = RULES.with_district_hours(4)
    assert notification_due(PoliceContact(), "arrest", AT, strict) == AT + dt.timedelta(hours=4)
    with pytest.raises(RuleViolation, match="never lengthen"):
        RULES.with_district_hours(48)
    with pytest.raises(ValidationError):
        RULES.with_district_hours(0)


def test_force_without_an_agency_report_after_30_days_needs_attention() -> None:
    force = PoliceContact(force_types=("tackle, takedown or strike",),
                          injury_level="minor (no treatment)")
    assert not agency_report_overdue(force, DAY, DAY + dt.timedelta(days=30), RULES)
    assert agency_report_overdue(force, DAY, DAY + dt.timedelta(days=31), RULES)
    reported = PoliceContact(force_types=force.force_types, injury_level="none",
                             agency_force_report="WADEPS-2026-0042")
    assert not agency_report_overdue(reported, DAY, DAY + dt.timedelta(days=90), RULES)


def test_field_rules_name_every_problem() -> None:
    bad = PoliceContact(initiated_by="parent", force_types=("magic", "magic"),
                        searched_person=True, attorney_exception="busy",
                        parent_notified_at=dt.datetime(2026, 3, 9, 9, 0))
    text = " ".join(contact_problems(bad, 15, DAY, RULES))
    for words in ("not who can initiate", "not an exception of RCW 13.40.740",
                  "Not a force type of RCW 10.118.030", "listed twice", "injury level",
                  "who conducted it", "its basis", "how the parent", "before the contact"):
        assert words in text
    good = PoliceContact(initiated_by="officer", searched_belongings=True, search_by="officer",
                         search_basis="consent", consent_search_requested=True,
                         attorney_access_before_waiver=True, rights_advised=True,
                         force_types=("physical restraint or hold", "handcuffs or other "
                                      "mechanical restraint"), injury_level="none")
    assert contact_problems(good, 15, DAY, RULES) == []


def test_crdc_flags_are_derived_not_typed() -> None:
    by_school = PoliceContact(initiated_by="school staff")
    by_officer = PoliceContact(initiated_by="officer")
    assert crdc_referral(by_school, "no action", "SRO")
    assert not crdc_referral(by_officer, "handled informally", "SRO")
    assert crdc_referral(by_officer, "citation or infraction", "SRO")
    assert crdc_referral(None, "no action", "teacher")
    assert crdc_school_related_arrest(by_officer, "arrest", "on campus", "SRO")
    assert crdc_school_related_arrest(by_school, "arrest", "near campus", "SRO")
    assert not crdc_school_related_arrest(by_officer, "arrest", "near campus", "911 or dispatch")
    assert not crdc_school_related_arrest(by_school, "citation or infraction", "on campus", "SRO")


def test_attention_lists_missing_access_overdue_notice_and_missing_agency_report() -> None:
    contact = PoliceContact(questioned_in_custody=True, force_types=("police canine",),
                            injury_level="none")
    items = attention_items([("C-1", contact, 14, "arrest", AT)],
                            AT + dt.timedelta(days=40), RULES)
    assert len(items) == 3
    assert "RCW 13.40.740" in items[0] and "ESHB 1296" in items[1] and "RCW 10.118.030" in items[2]


def test_a_damaged_catalog_is_refused_in_words() -> None:
    with pytest.raises(ValidationError, match="damaged"):
        load_contact_rules({"attorney_access": {}})
