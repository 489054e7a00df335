"""The internal report's tables for police contacts with students, force, searches, parent
notification, the CRDC's derived flags and the detailed self-identification as collected.

Every table carries the citation of the rule it counts. These tables are in the internal
edition only: they count involved students (instances), most of them small, and they are the
coordinator's check that the law was followed (every "attorney access missing" or "notification
overdue" here is a contact to follow up).

The CRDC counts instances and students. SRO Desk records no student identity (no name, no ID), so
a student involved in two calls cannot be recognised as one student: the students column reads
"not collected" (kept apart from 0, as the CRDC requires), and the instances are exact.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sro_desk.domain.calls import DISABILITY_GROUPS, Call
from sro_desk.domain.demographics import LEGACY_NOTE, NOT_COLLECTED, DetailedCatalog
from sro_desk.domain.police_contact import (
    ContactRules,
    attorney_access_missing,
    attorney_access_required,
    crdc_referral,
    crdc_school_related_arrest,
    notification_due,
    notification_overdue,
    notified_late,
)

NOT_RECORDED = "not recorded"

Cell = int | str


@dataclass(frozen=True, slots=True)
class IncidentTable:
    key: str
    title: str
    citation: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    note: str = ""


def _yes_no_unknown(value: bool | None) -> str:
    return NOT_RECORDED if value is None else ("yes" if value else "no")


def incident_tables(
    calls: Sequence[Call],
    rules: ContactRules,
    catalog: DetailedCatalog,
    now: dt.datetime,
) -> tuple[IncidentTable, ...]:
    """Every incident table for the calls of the period, counted as of ``now``."""
    pairs = [(c, s) for c in calls for s in c.students]
    contacts = [(c, s, s.contact) for c, s in pairs if s.contact is not None]
    tables: list[IncidentTable] = []

    # ---- RCW 13.40.740
    count = Counter[str]()
    for call, student, contact in contacts:
        count["recorded"] += 1
        count["custody"] += contact.questioned_in_custody
        count["detained"] += contact.detained
        count["consent"] += contact.consent_search_requested
        if attorney_access_required(contact, student.age, call.occurred_on, rules):
            count["required"] += 1
            if contact.attorney_access_before_waiver:
                count["given"] += 1
            elif contact.attorney_exception:
                count["exception"] += 1
        count["missing"] += attorney_access_missing(contact, student.age, call.occurred_on,
                                                    rules)
    tables.append(IncidentTable(
        "incidents.attorney_access", "Police contacts with students: access to an attorney",
        rules.attorney_citation, ("Involved students", "Count"), (
            ("With a police contact recorded", count["recorded"]),
            ("Questioned in custody", count["custody"]),
            ("Detained", count["detained"]),
            ("Asked to consent to a search", count["consent"]),
            ("Access to an attorney required (under 18)", count["required"]),
            ("Access given before any waiver", count["given"]),
            ("Statutory exception applied", count["exception"]),
            ("Access MISSING: follow up", count["missing"]),
        ),
        "A student counts once in each row that applies.",
    ))

    # ---- parent or guardian notification (versioned rule)
    count = Counter()
    citations: dict[str, None] = {}
    for call, student, contact in contacts:
        at = dt.datetime.combine(call.occurred_on, call.occurred_at or dt.time(0, 0))
        rule = rules.notification_rule(call.occurred_on)
        if contact.parent_notification_exception:
            count["exception"] += 1
            continue
        due = notification_due(contact, student.outcome, at, rules)
        if due is None:
            count["not due"] += 1
            continue
        if rule is not None:
            citations[f"{rule.version}: {rule.citation}"] = None
        count["due"] += 1
        if notification_overdue(contact, student.outcome, at, now, rules):
            count["overdue"] += 1
        elif notified_late(contact, student.outcome, at, rules):
            count["late"] += 1
        elif contact.parent_notified_at is not None:
            count["on time"] += 1
        else:
            count["pending"] += 1
    tables.append(IncidentTable(
        "incidents.parent_notification",
        "Parent or guardian notification of police questioning or arrest",
        "; ".join(citations) or "; ".join(f"{r.version}: {r.citation}"
                                          for r in rules.notification_versions),
        ("Involved students", "Count"), (
            ("Notice due", count["due"]),
            ("Made on time", count["on time"]),
            ("Made late", count["late"]),
            ("OVERDUE, not made: follow up", count["overdue"]),
            ("Not yet due", count["pending"]),
            ("Exception applied", count["exception"]),
            ("No notice required", count["not due"]),
        ),
        "The rule in force on the day of each contact applies.",
    ))

    # ---- use of force (several types may apply)
    force_count = Counter(f for _, _, contact in contacts for f in contact.force_types)
    injuries = Counter(contact.injury_level for _, _, contact in contacts if contact.force_used)
    with_force = [contact for _, _, contact in contacts if contact.force_used]
    reported = sum(1 for c in with_force if c.agency_force_report.strip())
    tables.append(IncidentTable(
        "incidents.force_types", "Use of force by type", rules.force_citation,
        ("Force type", "Involved students"),
        tuple((f, force_count[f]) for f in rules.force_types),
        "Several types may apply to one student, so the rows do not add up to the students "
        "subjected to force.",
    ))
    tables.append(IncidentTable(
        "incidents.force_injury", "Use of force: injury and the agency's report",
        f"{rules.force_citation}; {rules.agency_report_system}; the agency reports within "
        f"{rules.agency_report_days} days",
        ("Involved students subjected to force", "Count"), (
            *((f"Injury: {level}", injuries[level]) for level in rules.injury_levels),
            ("Agency use-of-force report reference recorded", reported),
            ("No agency report reference yet", len(with_force) - reported),
        ),
        "Reconcile the district's count with the agency's use-of-force reports.",
    ))

    # ---- searches, rights advised, who initiated
    search_rows: list[tuple[Cell, ...]] = [
        ("Person searched", sum(c.searched_person for _, _, c in contacts)),
        ("Belongings searched", sum(c.searched_belongings for _, _, c in contacts)),
    ]
    by = Counter(c.search_by for _, _, c in contacts if c.searched)
    basis = Counter(c.search_basis for _, _, c in contacts if c.searched)
    search_rows += [(f"Conducted by {who}", by[who]) for who in rules.search_by]
    search_rows += [(f"Basis: {b}", basis[b]) for b in rules.search_basis]
    tables.append(IncidentTable(
        "incidents.searches", "Searches of a student's person or belongings",
        rules.search_citation, ("Involved students", "Count"), tuple(search_rows)))
    initiated = Counter(c.initiated_by or NOT_RECORDED for _, _, c in contacts)
    advised = Counter(_yes_no_unknown(c.rights_advised) for _, _, c in contacts)
    tables.append(IncidentTable(
        "incidents.initiated", "Who initiated the contact, and rights advised",
        "Structured as CRDC and other states separate officer-initiated contacts from "
        "referrals by school staff", ("Involved students", "Count"), (
            *((f"Initiated by {who}", initiated[who]) for who in
              (*rules.initiated_by, NOT_RECORDED)),
            *((f"Rights advised: {a}", advised[a]) for a in ("yes", "no", NOT_RECORDED)),
        )))

    # ---- CRDC: derived, K-12 only, IDEA / 504 only / neither
    referral = Counter[str]()
    arrest = Counter[str]()
    outside_k12 = 0
    for call, student in pairs:
        if student.k12 is not True:
            if crdc_referral(student.contact, student.outcome, call.initiated_by):
                outside_k12 += 1
            continue
        group = student.disability_group
        if crdc_referral(student.contact, student.outcome, call.initiated_by):
            referral[group] += 1
        if crdc_school_related_arrest(student.contact, student.outcome, call.location,
                                      call.initiated_by):
            arrest[group] += 1
    headers = ("CRDC", *DISABILITY_GROUPS, "Total")
    tables.append(IncidentTable(
        "incidents.crdc", "CRDC: referrals to law enforcement and school-related arrests "
        "(K-12)", "CRDC definitions (U.S. Department of Education, Office for Civil Rights); "
        "derived by rule, never typed",
        headers, (
            ("Referrals to law enforcement: instances",
             *(referral[g] for g in DISABILITY_GROUPS), sum(referral.values())),
            ("Referrals to law enforcement: students",
             *([NOT_COLLECTED] * (len(DISABILITY_GROUPS) + 1))),
            ("School-related arrests: instances",
             *(arrest[g] for g in DISABILITY_GROUPS), sum(arrest.values())),
            ("School-related arrests: students",
             *([NOT_COLLECTED] * (len(DISABILITY_GROUPS) + 1))),
        ),
        f"K-12 students only (grade recorded); {outside_k12} referral instance(s) of students "
        "outside K-12 or without a recorded grade are not counted. Students are not collected: "
        "SRO Desk records no student identity, so one student in two calls cannot be "
        "recognised. IDEA: a student with an IEP; 504 only: a 504 plan and no IEP.",
    ))

    # ---- detailed self-identification as collected
    detail = Counter(code for _, s in pairs for code in s.race_detail)
    hispanic = Counter(_yes_no_unknown(s.hispanic) for _, s in pairs)
    legacy = sum(1 for _, s in pairs if not s.identification.detailed)
    rows: list[tuple[Cell, ...]] = [(r.label, detail[r.code]) for r in catalog.races
                                    if detail[r.code]]
    rows += [(f"Hispanic or Latino: {a}", hispanic[a]) for a in ("yes", "no", NOT_RECORDED)]
    rows.append((f"Single category only ({LEGACY_NOTE})", legacy))
    tables.append(IncidentTable(
        "incidents.detailed_identity", "Involved students by detailed race and ethnicity as "
        "collected", "RCW 28A.300.042; OSPI race and ethnicity student data guidance",
        ("Category", "Involved students"), tuple(rows),
        "More than one category may be collected for a student, so the rows do not add up. "
        "Categories no involved student has are left out.",
    ))
    return tuple(tables)
