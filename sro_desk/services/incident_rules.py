"""The catalogs behind the incident fields, read once: police contact rules, the detailed race
and ethnicity categories, and the reporting crosswalks, with the district's few choices.

A district may choose which crosswalk its report uses and a *shorter* parent notification
deadline; it cannot switch a statutory rule off (``ContactRules.with_district_hours`` refuses a
longer one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from functools import cache

from sro_desk.domain.calls import Call
from sro_desk.domain.demographics import (
    CROSSWALK_KEYS,
    DEFAULT_CROSSWALK,
    Crosswalk,
    DetailedCatalog,
    load_crosswalk,
    load_detailed_catalog,
)
from sro_desk.domain.errors import SroDeskError, ValidationError
from sro_desk.domain.police_contact import ContactRules, attention_items, load_contact_rules
from sro_desk.paths import resource_text
from sro_desk.store import settings

CROSSWALK_KEY = "reports.crosswalk"  # one of CROSSWALK_KEYS
NOTICE_HOURS_KEY = "calls.parent_notice_hours"  # int or null: the district's shorter deadline


@cache
def _builtin_contact_rules() -> ContactRules:
    return load_contact_rules(json.loads(resource_text("catalogs", "police_contact_rules.json")))


@cache
def detailed_catalog() -> DetailedCatalog:
    return load_detailed_catalog(
        json.loads(resource_text("catalogs", "race_ethnicity_detailed.json")))


@cache
def crosswalk(key: str) -> Crosswalk:
    if key not in CROSSWALK_KEYS:
        raise ValidationError(f"'{key}' is not a crosswalk (use one of: "
                              f"{', '.join(CROSSWALK_KEYS)}).")
    return load_crosswalk(json.loads(resource_text("crosswalks", f"{key}.json")),
                          detailed_catalog())


def contact_rules() -> ContactRules:
    """The statute's rules with the district's own (shorter) notification deadline, if any."""
    hours = settings.get_setting(NOTICE_HOURS_KEY, None)
    rules = _builtin_contact_rules()
    if isinstance(hours, int) and not isinstance(hours, bool):
        try:
            return rules.with_district_hours(hours)
        except SroDeskError:  # a longer deadline stored by hand never applies
            return rules
    return rules


def builtin_contact_rules() -> ContactRules:
    """The statute's rules alone (for tests and for checking a district's choice)."""
    return _builtin_contact_rules()


def save_notice_hours(hours: int | None) -> ContactRules:
    rules = _builtin_contact_rules().with_district_hours(hours)  # refuses a longer deadline
    settings.set_setting(NOTICE_HOURS_KEY, hours, reason="parent notification deadline")
    return rules


def report_crosswalk() -> Crosswalk:
    key = settings.get_setting(CROSSWALK_KEY, DEFAULT_CROSSWALK)
    return crosswalk(key if key in CROSSWALK_KEYS else DEFAULT_CROSSWALK)


def save_report_crosswalk(key: str) -> Crosswalk:
    walk = crosswalk(key)
    settings.set_setting(CROSSWALK_KEY, key, reason="report crosswalk")
    return walk


def contact_attention(now: dt.datetime, calls: Sequence[Call] | None = None) -> list[str]:
    """Every contact that needs attention: attorney access missing, a parent notification
    overdue, an agency use-of-force report reference missing after 30 days (of ``calls``, or
    of every call recorded)."""
    from sro_desk.store import call_repo

    rules = contact_rules()
    rows = []
    for call in call_repo.list_calls() if calls is None else calls:
        at = dt.datetime.combine(call.occurred_on, call.occurred_at or dt.time(0, 0))
        for student in call.students:
            if student.contact is not None:
                rows.append((call.ref, student.contact, student.age, student.outcome, at))
    return attention_items(rows, now, rules)
