"""What a police contact with one student must record, and the rules that read it.

Each field is structured (never free text alone) and carries its citation
(``resources/catalogs/police_contact_rules.json``):

* **RCW 13.40.740** (in force 1 January 2022): a juvenile questioned in custody, detained, or
  asked to consent to a search must have access to an attorney before waiving any constitutional
  right, unless the statutory exception applies (imminent threat to life or safety).
  ``attorney_access_missing`` flags every contact where the access was required and not given.
* **Parent or guardian notification** of police questioning or arrest: when, how, or which
  exception. The timing is a *versioned* rule (I-2081 in 2024, ESHB 1296 in 2025): the version in
  force on the contact's date applies; a district may shorten the deadline, never lengthen it.
  ``notification_overdue`` feeds what needs attention.
* **Use of force** (RCW 10.118.030): the force types (several may apply), the injury level and
  the agency's use-of-force report reference (WADEPS; the agency reports within 30 days), so the
  district's count can be reconciled with the agency's.
* Search of the person or belongings (by whom, on what basis), rights advised, and who initiated
  the contact (school staff or the officer).
* **CRDC** "referral to law enforcement" and "school-related arrest" are *derived* here by rule,
  never typed: see ``crdc_referral`` and ``crdc_school_related_arrest``.

No field records immigration or citizenship status or place of birth (RCW 10.93.160).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from sro_desk.domain.errors import RuleViolation, ValidationError

ARREST = "arrest"
CITATION = "citation or infraction"
PROSECUTION = "referral for prosecution"
PROBATION = "referral to probation"
SCHOOL_STAFF = "school staff"
OFFICER = "officer"
SCHOOL_LOCATIONS = frozenset({"on campus", "school activity", "school transportation"})


@dataclass(frozen=True, slots=True)
class NotificationRule:
    """One enacted version of the parent or guardian notification rule."""

    version: str
    citation: str
    in_force_from: dt.date
    hours: int
    applies_to: frozenset[str]  # "questioned", "arrested"
    text: str


@dataclass(frozen=True, slots=True)
class ContactRules:
    attorney_citation: str
    attorney_in_force_from: dt.date
    attorney_under_age: int
    attorney_exceptions: tuple[tuple[str, str], ...]
    notification_versions: tuple[NotificationRule, ...]  # oldest first
    notification_methods: tuple[str, ...]
    notification_exceptions: tuple[str, ...]
    force_citation: str
    force_types: tuple[str, ...]
    injury_levels: tuple[str, ...]
    agency_report_days: int
    agency_report_system: str
    search_citation: str
    search_by: tuple[str, ...]
    search_basis: tuple[str, ...]
    initiated_by: tuple[str, ...]
    district_hours: int | None = None  # a district's own, shorter notification deadline

    def notification_rule(self, on: dt.date) -> NotificationRule | None:
        """The version in force on ``on`` (the latest that had started), or ``None``."""
        found = None
        for rule in self.notification_versions:
            if rule.in_force_from <= on:
                found = rule
        return found

    def notification_hours(self, on: dt.date) -> int | None:
        rule = self.notification_rule(on)
        if rule is None:
            return None
        if self.district_hours is not None:
            return min(rule.hours, self.district_hours)
        return rule.hours

    def with_district_hours(self, hours: int | None) -> ContactRules:
        """The district's own deadline: only ever shorter than the statute's."""
        if hours is not None:
            if isinstance(hours, bool) or not isinstance(hours, int) or hours < 1:
                raise ValidationError("The district's notification deadline must be whole hours.")
            shortest = min(r.hours for r in self.notification_versions)
            if hours > shortest:
                raise RuleViolation(
                    f"The district may shorten the parent notification deadline, never lengthen "
                    f"it: the statute gives at most {shortest} hours."
                )
        return replace(self, district_hours=hours)


def load_contact_rules(data: Mapping[str, object]) -> ContactRules:
    """The rules from the parsed catalog; a damaged catalog is refused in words."""
    try:
        attorney = data["attorney_access"]
        force = data["force"]
        search = data["search"]
        assert isinstance(attorney, dict) and isinstance(force, dict) and isinstance(search, dict)
        versions_raw = data["parent_notification_versions"]
        assert isinstance(versions_raw, list) and versions_raw
        versions = tuple(sorted(
            (NotificationRule(str(v["version"]), str(v["citation"]),
                              dt.date.fromisoformat(str(v["in_force_from"])), int(v["hours"]),
                              frozenset(str(x) for x in v["applies_to"]), str(v["text"]))
             for v in versions_raw), key=lambda r: r.in_force_from))

        def strings(raw: object) -> tuple[str, ...]:
            assert isinstance(raw, list) and raw and all(isinstance(x, str) for x in raw)
            return tuple(raw)

        return ContactRules(
            attorney_citation=str(attorney["citation"]),
            attorney_in_force_from=dt.date.fromisoformat(str(attorney["in_force_from"])),
            attorney_under_age=int(attorney["under_age"]),
            attorney_exceptions=tuple((str(e["code"]), str(e["label"]))
                                      for e in attorney["exceptions"]),
            notification_versions=versions,
            notification_methods=strings(data["notification_methods"]),
            notification_exceptions=strings(data["notification_exceptions"]),
            force_citation=str(force["citation"]),
            force_types=strings(force["types"]),
            injury_levels=strings(force["injury_levels"]),
            agency_report_days=int(force["agency_report_days"]),
            agency_report_system=str(force["agency_report_system"]),
            search_citation=str(search["citation"]),
            search_by=strings(search["by"]),
            search_basis=strings(search["basis"]),
            initiated_by=strings(data["initiated_by"]),
        )
    except (KeyError, TypeError, ValueError, AssertionError) as err:
        raise ValidationError(f"The police contact rules catalog is damaged ({err}).") from None


@dataclass(frozen=True, slots=True)
class PoliceContact:
    """The structured record of one student's contact with police in one call.

    ``None`` in a yes/no field means "not recorded" (records made before these fields existed).
    """

    initiated_by: str = ""  # "school staff" or "officer"
    questioned_in_custody: bool = False
    detained: bool = False
    consent_search_requested: bool = False
    attorney_access_before_waiver: bool | None = None
    attorney_exception: str = ""  # a code from the catalog when access was not given
    rights_advised: bool | None = None
    searched_person: bool = False
    searched_belongings: bool = False
    search_by: str = ""
    search_basis: str = ""
    force_types: tuple[str, ...] = ()
    injury_level: str = ""
    agency_force_report: str = ""  # the agency's use-of-force report reference (WADEPS)
    parent_notified_at: dt.datetime | None = None
    parent_notified_how: str = ""
    parent_notification_exception: str = ""

    @property
    def force_used(self) -> bool:
        return bool(self.force_types)

    @property
    def searched(self) -> bool:
        return self.searched_person or self.searched_belongings

    @property
    def triggers_attorney_access(self) -> bool:
        """RCW 13.40.740(1): questioned in custody, detained, or asked to consent to a search."""
        return self.questioned_in_custody or self.detained or self.consent_search_requested

    @property
    def is_empty(self) -> bool:
        return self == PoliceContact()


_BOOL_FIELDS = ("questioned_in_custody", "detained", "consent_search_requested",
                "searched_person", "searched_belongings")
_OPTIONAL_BOOL_FIELDS = ("attorney_access_before_waiver", "rights_advised")
_TEXT_FIELDS = ("initiated_by", "attorney_exception", "search_by", "search_basis",
                "injury_level", "agency_force_report", "parent_notified_how",
                "parent_notification_exception")


def contact_to_data(contact: PoliceContact | None) -> dict[str, object] | None:
    """A plain JSON-ready form (the store keeps it as one text column)."""
    if contact is None:
        return None
    data: dict[str, object] = {"v": 1}
    for name in (*_BOOL_FIELDS, *_OPTIONAL_BOOL_FIELDS, *_TEXT_FIELDS):
        data[name] = getattr(contact, name)
    data["force_types"] = list(contact.force_types)
    data["parent_notified_at"] = (None if contact.parent_notified_at is None
                                  else contact.parent_notified_at.isoformat(timespec="minutes"))
    return data


def contact_from_data(data: Mapping[str, object] | None) -> PoliceContact | None:
    """The contact back from ``contact_to_data``; raises ``ValueError`` on anything else."""
    if data is None:
        return None
    if data.get("v") != 1:
        raise ValueError("unknown police contact record version")
    values: dict[str, object] = {}
    for name in _BOOL_FIELDS:
        if not isinstance(data.get(name, False), bool):
            raise ValueError(f"{name} must be yes or no")
        values[name] = data.get(name, False)
    for name in _OPTIONAL_BOOL_FIELDS:
        value = data.get(name)
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"{name} must be yes, no or not recorded")
        values[name] = value
    for name in _TEXT_FIELDS:
        value = data.get(name, "")
        if not isinstance(value, str):
            raise ValueError(f"{name} must be text")
        values[name] = value
    force = data.get("force_types", [])
    if not isinstance(force, list) or not all(isinstance(f, str) for f in force):
        raise ValueError("force_types must be a list of force types")
    values["force_types"] = tuple(force)
    at = data.get("parent_notified_at")
    values["parent_notified_at"] = None if at is None else dt.datetime.fromisoformat(str(at))
    return PoliceContact(**values)  # type: ignore[arg-type]


def attorney_access_required(contact: PoliceContact, age: int, on: dt.date,
                             rules: ContactRules) -> bool:
    return (on >= rules.attorney_in_force_from and age < rules.attorney_under_age
            and contact.triggers_attorney_access)


def attorney_access_missing(contact: PoliceContact, age: int, on: dt.date,
                            rules: ContactRules) -> bool:
    """Required by RCW 13.40.740 and neither given before a waiver nor excused by the exception."""
    if not attorney_access_required(contact, age, on, rules):
        return False
    return contact.attorney_access_before_waiver is not True and not contact.attorney_exception


def notification_required(contact: PoliceContact, outcome: str) -> set[str]:
    """What the parent or guardian must be told of: police questioning, arrest, or both."""
    needed: set[str] = set()
    if contact.questioned_in_custody:
        needed.add("questioned")
    if outcome == ARREST:
        needed.add("arrested")
    return needed


def notification_due(contact: PoliceContact, outcome: str, at: dt.datetime,
                     rules: ContactRules) -> dt.datetime | None:
    """When the notice is due under the version in force on the contact's day (``None``: no
    notice is due, or an exception applies)."""
    rule = rules.notification_rule(at.date())
    if rule is None or contact.parent_notification_exception:
        return None
    if not notification_required(contact, outcome) & rule.applies_to:
        return None
    hours = rules.notification_hours(at.date())
    assert hours is not None
    return at + dt.timedelta(hours=hours)


def notification_overdue(contact: PoliceContact, outcome: str, at: dt.datetime,
                         now: dt.datetime, rules: ContactRules) -> bool:
    """Due, not yet made (or made late is *not* overdue: it is late, shown by ``notified_late``)."""
    due = notification_due(contact, outcome, at, rules)
    return due is not None and contact.parent_notified_at is None and now > due


def notified_late(contact: PoliceContact, outcome: str, at: dt.datetime,
                  rules: ContactRules) -> bool:
    due = notification_due(contact, outcome, at, rules)
    return (due is not None and contact.parent_notified_at is not None
            and contact.parent_notified_at > due)


def agency_report_overdue(contact: PoliceContact, on: dt.date, today: dt.date,
                          rules: ContactRules) -> bool:
    """Force used, and no agency use-of-force report reference 30 days after the contact."""
    return (contact.force_used and not contact.agency_force_report.strip()
            and today > on + dt.timedelta(days=rules.agency_report_days))


def crdc_referral(contact: PoliceContact | None, outcome: str, initiated_by_label: str) -> bool:
    """CRDC "referral to law enforcement": the student was reported to law enforcement by a
    school official, whatever official action followed; citations, court referrals and
    school-related arrests all count. A contact the officer began on their own, with no
    citation, referral or arrest, is not a referral."""
    by_school = (contact is not None and contact.initiated_by == SCHOOL_STAFF) or \
        initiated_by_label in ("teacher", "administrator", "other staff")
    return by_school or outcome in (CITATION, PROSECUTION, PROBATION, ARREST)


def crdc_school_related_arrest(contact: PoliceContact | None, outcome: str, location: str,
                               initiated_by_label: str) -> bool:
    """CRDC "school-related arrest": an arrest for activity on school grounds, at an off-campus
    school activity or on school transportation, or due to a referral by a school official."""
    if outcome != ARREST:
        return False
    return location in SCHOOL_LOCATIONS or crdc_referral(contact, "", initiated_by_label)


def contact_problems(contact: PoliceContact, age: int, on: dt.date,
                     rules: ContactRules) -> list[str]:
    """Every field that breaks the catalog or contradicts another, in words."""
    problems: list[str] = []
    if contact.initiated_by and contact.initiated_by not in rules.initiated_by:
        problems.append(f"'{contact.initiated_by}' is not who can initiate a contact "
                        f"({', '.join(rules.initiated_by)}).")
    codes = {code for code, _ in rules.attorney_exceptions}
    if contact.attorney_exception and contact.attorney_exception not in codes:
        problems.append(f"'{contact.attorney_exception}' is not an exception of "
                        f"{rules.attorney_citation}.")
    if contact.attorney_exception and contact.attorney_access_before_waiver:
        problems.append("Attorney access was given, so no exception applies.")
    unknown_force = [f for f in contact.force_types if f not in rules.force_types]
    if unknown_force:
        problems.append(f"Not a force type of {rules.force_citation}: {', '.join(unknown_force)}.")
    if len(set(contact.force_types)) != len(contact.force_types):
        problems.append("A force type is listed twice.")
    if contact.injury_level and contact.injury_level not in rules.injury_levels:
        problems.append(f"'{contact.injury_level}' is not an injury level.")
    if contact.force_used and not contact.injury_level:
        problems.append("Force was used: record the injury level (none, if none).")
    if contact.agency_force_report and not contact.force_used:
        problems.append("An agency use-of-force report reference needs a force type.")
    if len(contact.agency_force_report) > 60:
        problems.append("The agency report reference can be at most 60 characters.")
    if contact.searched:
        if contact.search_by not in rules.search_by:
            problems.append(f"A search needs who conducted it ({', '.join(rules.search_by)}).")
        if contact.search_basis not in rules.search_basis:
            problems.append(f"A search needs its basis ({', '.join(rules.search_basis)}).")
    elif contact.search_by or contact.search_basis:
        problems.append("Who searched and on what basis need a search of the person or "
                        "belongings.")
    if contact.parent_notified_how and contact.parent_notified_how not in \
            rules.notification_methods:
        problems.append(f"'{contact.parent_notified_how}' is not a way of notifying "
                        f"({', '.join(rules.notification_methods)}).")
    if contact.parent_notified_at is not None and not contact.parent_notified_how:
        problems.append("Say how the parent or guardian was notified.")
    if contact.parent_notification_exception and contact.parent_notification_exception not in \
            rules.notification_exceptions:
        problems.append(f"'{contact.parent_notification_exception}' is not a notification "
                        "exception.")
    if contact.parent_notification_exception and contact.parent_notified_at is not None:
        problems.append("A notification was made, so no exception applies.")
    if contact.parent_notified_at is not None and contact.parent_notified_at.date() < on:
        problems.append("The parent or guardian cannot be notified before the contact.")
    return problems


def attention_items(
    contacts: Sequence[tuple[str, PoliceContact, int, str, dt.datetime]],
    now: dt.datetime,
    rules: ContactRules,
) -> list[str]:
    """What needs attention, one line each, from ``(call ref, contact, age, outcome, when)``."""
    items: list[str] = []
    for ref, contact, age, outcome, at in contacts:
        if attorney_access_missing(contact, age, at.date(), rules):
            items.append(f"Call {ref}: attorney access missing ({rules.attorney_citation}).")
        if notification_overdue(contact, outcome, at, now, rules):
            rule = rules.notification_rule(at.date())
            assert rule is not None
            items.append(f"Call {ref}: parent or guardian notification overdue ({rule.citation}).")
        if agency_report_overdue(contact, at.date(), now.date(), rules):
            items.append(f"Call {ref}: no agency use-of-force report reference after "
                         f"{rules.agency_report_days} days ({rules.force_citation}).")
    return items


def contact_summary(contact: PoliceContact | None, age: int, on: dt.date,
                    rules: ContactRules) -> str:
    """A few words for a table cell: what the contact involved, and what is missing."""
    if contact is None:
        return ""
    words: list[str] = []
    if attorney_access_missing(contact, age, on, rules):
        words.append("attorney access missing")
    if contact.questioned_in_custody:
        words.append("questioned")
    if contact.detained:
        words.append("detained")
    if contact.searched:
        words.append("searched")
    if contact.force_used:
        n = len(contact.force_types)
        words.append(f"force ({n} type{'s' if n > 1 else ''})")
    if contact.parent_notified_at is not None:
        words.append("parent notified")
    return ", ".join(words) or "contact recorded"
