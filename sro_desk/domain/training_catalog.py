"""The training requirements catalog: what each safety and security staff member must complete.

The catalog is data (``resources/catalogs/training_requirements.json``) so the statute's words,
its citation and the district's renewal periods can be reviewed without reading code. This module
turns the parsed JSON into frozen ``Requirement`` objects and applies the district's own settings
(a renewal period changed, a certification added or marked not required) on top of it.

The law is not a setting. Every topic of RCW 28A.310.515(2) and both on-the-job days are required
of all safety and security staff (RCW 28A.400.345(2)(b)-(c)), and the check-in trainings of every
staff member who is not an SRO (RCW 28A.400.345(2)(d)). Those requirements are *locked*: no
district setting marks them not required or narrows whom they apply to. Only an educational
service district may document prior training or waive a component (the waiver path). The district
may add requirements of its own and set renewal periods for the certifications that are its own.
A certification the catalog marks ``statutory`` (the security guard trainings of RCW 18.170.105)
is locked the same way, except that its renewal period may be shortened, never lengthened.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sro_desk.domain.errors import NotFound, ValidationError

CATALOG_NAME = "training_requirements"

ROLE_SRO = "school_resource_officer"

_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_RENEWAL_MONTHS = 120


class RequirementKind(StrEnum):
    """Where a requirement comes from; the value is what the coordinator reads."""

    TOPIC = "Classroom topic"
    SERIES = "Series component"
    CERTIFICATION = "Recurring certification"


@dataclass(frozen=True, slots=True)
class Requirement:
    """One column of the compliance matrix: a topic, a series component or a certification.

    ``due_months`` counts from the person's first day on school property with students expected;
    0 means "by the first day". ``renewal_months`` is ``None`` for something done once.
    Empty ``roles`` / ``employer_kinds`` mean "everyone".
    """

    code: str
    kind: RequirementKind
    name: str
    text: str
    citation: str
    letter: str = ""
    seed_wording: str = ""
    seed_number: int | None = None
    added_by: str = ""
    count: int = 1
    unit: str = ""
    due_months: int = 0
    renewal_months: int | None = None
    hours: float | None = None
    roles: frozenset[str] = frozenset()
    employer_kinds: frozenset[str] = frozenset()
    applies_label: str = "All safety and security staff"
    required: bool = True
    not_required_reason: str = ""
    district_added: bool = False
    statutory: bool = False
    lock_citation: str = ""

    @property
    def locked(self) -> bool:
        """Required by statute: no district setting may switch it off or relax it."""
        return self.statutory

    @property
    def lock_text(self) -> str:
        """"Required by law (RCW 28A.400.345(2)(b)): no district setting can switch it off"."""
        if not self.statutory:
            return ""
        return (
            f"Required by law ({self.lock_citation or self.citation}): no district setting can "
            "switch it off or relax it; only an ESD may document prior training or waive a "
            "series component."
            if self.is_series
            else f"Required by law ({self.lock_citation or self.citation}): no district setting "
            "can switch it off or lengthen its renewal period."
        )

    @property
    def is_series(self) -> bool:
        """Part of the RCW 28A.400.345 series: ESD documentation covers it and an ESD may waive it."""
        return self.kind in (RequirementKind.TOPIC, RequirementKind.SERIES)

    @property
    def column_title(self) -> str:
        """Short header: "(c) Trauma-informed approaches" for a topic, the name otherwise."""
        return f"({self.letter}) {self.name}" if self.letter else self.name

    @property
    def renewal_label(self) -> str:
        return renewal_label(self.renewal_months)

    def applies_to(self, role: str, employer_kind: str) -> bool:
        """Whether a person in this role, supplied by this kind of employer, must complete it."""
        if self.roles and role not in self.roles:
            return False
        return not (self.employer_kinds and employer_kind not in self.employer_kinds)

    def tooltip(self) -> str:
        """The statute's words, the citation and how the seed policies name the same topic."""
        lines = [self.column_title, "", self.text, "", self.citation]
        if self.kind is RequirementKind.TOPIC:
            if self.seed_number is not None:
                lines.append(
                    f"District policies (12-topic list): item {self.seed_number}, "
                    f"“{self.seed_wording}”."
                )
            if self.added_by:
                lines.append(
                    f"Added by {self.added_by}; not in district policies written before 2021."
                )
            lines.append("Due within 6 months of the first day on school property with students.")
        elif self.kind is RequirementKind.SERIES:
            lines.append(f"{self.count} {self.unit}s within 12 months of the first day.")
        else:
            lines.append(f"Renewal: {self.renewal_label}.")
        lines.append(f"Applies to: {self.applies_label}.")
        if self.statutory:
            lines.append("Locked. " + self.lock_text)
        if not self.required:
            lines.append(f"Marked not required by the district: {self.not_required_reason}")
        return "\n".join(lines)


def renewal_label(months: int | None) -> str:
    """"Once", "Every 12 months", "Every 2 years"."""
    if months is None:
        return "Once"
    if months % 12 == 0 and months > 12:
        return f"Every {months // 12} years"
    return f"Every {months} month{'s' if months != 1 else ''}"


@dataclass(frozen=True, slots=True)
class TrainingCatalog:
    """Requirements in column order (topics, series components, certifications) plus look-ups."""

    version: str
    citation: str
    notes: tuple[str, ...]
    requirements: tuple[Requirement, ...]
    roles: tuple[tuple[str, str], ...]
    employer_kinds: tuple[tuple[str, str], ...]
    educational_service_districts: tuple[str, ...] = ()

    def get(self, code: str) -> Requirement:
        for requirement in self.requirements:
            if requirement.code == code:
                return requirement
        raise NotFound(f"There is no training requirement with the code '{code}'.")

    @property
    def topics(self) -> tuple[Requirement, ...]:
        return tuple(r for r in self.requirements if r.kind is RequirementKind.TOPIC)

    def role_label(self, key: str) -> str:
        return dict(self.roles).get(key, key)

    def employer_kind_label(self, key: str) -> str:
        return dict(self.employer_kinds).get(key, key)


def _applies_label(
    roles: frozenset[str],
    employer_kinds: frozenset[str],
    role_labels: Mapping[str, str],
    employer_labels: Mapping[str, str],
) -> str:
    parts: list[str] = []
    if roles:
        parts.append(", ".join(role_labels.get(r, r) for r in sorted(roles)))
    if employer_kinds:
        parts.append(
            "staff of a " + " or ".join(employer_labels.get(e, e).lower()
                                         for e in sorted(employer_kinds))
        )
    return "; ".join(parts) if parts else "All safety and security staff"


def _text(item: Mapping[str, Any], key: str, where: str, problems: list[str]) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"{where}: '{key}' is missing or empty")
        return ""
    return value


def _keys(
    item: Mapping[str, Any], key: str, allowed: Mapping[str, str], where: str,
    problems: list[str],
) -> frozenset[str]:
    value = item.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{where}: '{key}' must be a list of names")
        return frozenset()
    unknown = [v for v in value if v not in allowed]
    if unknown:
        problems.append(f"{where}: unknown {key} {', '.join(unknown)}")
    return frozenset(v for v in value if v in allowed)


def _months(
    item: Mapping[str, Any], key: str, where: str, problems: list[str], *, optional: bool = False
) -> int | None:
    value = item.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_RENEWAL_MONTHS:
        problems.append(f"{where}: '{key}' must be a whole number of months from 0 to 120")
        return None
    return value


def load_catalog(data: Mapping[str, Any]) -> TrainingCatalog:
    """Build the catalog from parsed JSON; every problem in the file is reported at once."""
    problems: list[str] = []
    if data.get("catalog") != CATALOG_NAME:
        raise ValidationError("This file is not the training requirements catalog.")
    role_labels = data.get("roles") or {}
    employer_labels = data.get("employer_kinds") or {}
    if not isinstance(role_labels, dict) or not isinstance(employer_labels, dict):
        raise ValidationError("The catalog's 'roles' and 'employer_kinds' must be tables.")
    requirements: list[Requirement] = []

    topics = data.get("topics") or {}
    topic_citation = str(topics.get("citation", ""))
    topic_due = _months(topics, "due_months_from_first_day", "topics", problems) or 0
    for index, item in enumerate(topics.get("items") or []):
        letter = str(item.get("letter", ""))
        where = f"topic ({letter or index + 1})"
        if not re.fullmatch(r"[a-z]", letter):
            problems.append(f"{where}: 'letter' must be one lower-case letter")
        requirements.append(
            Requirement(
                code=f"topic_{letter}",
                kind=RequirementKind.TOPIC,
                name=_text(item, "short_name", where, problems),
                text=_text(item, "text", where, problems),
                citation=f"{topic_citation}({letter})",
                letter=letter,
                seed_wording=str(item.get("seed_wording") or ""),
                seed_number=item.get("seed_number"),
                added_by=str(item.get("added_by") or ""),
                due_months=topic_due,
                statutory=True,
                lock_citation=str(topics.get("required_by") or "RCW 28A.400.345(2)(b)"),
            )
        )
    if not any(r.kind is RequirementKind.TOPIC for r in requirements):
        problems.append("topics: the catalog lists no classroom topics")

    for item in data.get("series_components") or []:
        where = f"series component '{item.get('code', '?')}'"
        count = item.get("count")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            problems.append(f"{where}: 'count' must be a whole number of at least 1")
            count = 1
        roles = _keys(item, "roles", role_labels, where, problems)
        employers = _keys(item, "employer_kinds", employer_labels, where, problems)
        requirements.append(
            Requirement(
                code=_text(item, "code", where, problems),
                kind=RequirementKind.SERIES,
                name=_text(item, "name", where, problems),
                text=_text(item, "description", where, problems),
                citation=str(item.get("citation", "")),
                count=count,
                unit=_text(item, "unit", where, problems),
                due_months=_months(item, "due_months_from_first_day", where, problems) or 0,
                roles=roles,
                employer_kinds=employers,
                applies_label=_applies_label(roles, employers, role_labels, employer_labels),
                statutory=True,
                lock_citation=str(item.get("citation", "")),
            )
        )

    for item in data.get("certifications") or []:
        where = f"certification '{item.get('code', '?')}'"
        roles = _keys(item, "roles", role_labels, where, problems)
        employers = _keys(item, "employer_kinds", employer_labels, where, problems)
        renewal = _months(item, "renewal_months", where, problems, optional=True)
        if renewal == 0:
            problems.append(f"{where}: a renewal period must be at least 1 month")
        hours = item.get("hours")
        requirements.append(
            Requirement(
                code=_text(item, "code", where, problems),
                kind=RequirementKind.CERTIFICATION,
                name=_text(item, "name", where, problems),
                text=_text(item, "description", where, problems),
                citation=str(item.get("citation", "")),
                due_months=_months(item, "initial_due_months", where, problems) or 0,
                renewal_months=renewal,
                hours=float(hours) if isinstance(hours, int | float) else None,
                roles=roles,
                employer_kinds=employers,
                applies_label=_applies_label(roles, employers, role_labels, employer_labels),
                statutory=item.get("statutory") is True,
                lock_citation=str(item.get("citation", "")) if item.get("statutory") is True
                else "",
            )
        )

    codes = [r.code for r in requirements]
    for code in sorted({c for c in codes if codes.count(c) > 1}):
        problems.append(f"the code '{code}' is used more than once")
    for code in codes:
        if code and not _CODE.match(code):
            problems.append(f"'{code}' is not a valid code (lower-case letters, digits, _)")
    if problems:
        raise ValidationError(problems)
    return TrainingCatalog(
        version=str(data.get("version", "")),
        citation=str(data.get("citation", "")),
        notes=tuple(str(n) for n in data.get("notes") or ()),
        requirements=tuple(requirements),
        roles=tuple((str(k), str(v)) for k, v in role_labels.items()),
        employer_kinds=tuple((str(k), str(v)) for k, v in employer_labels.items()),
        educational_service_districts=tuple(
            str(e) for e in data.get("educational_service_districts") or ()
        ),
    )


@dataclass(frozen=True, slots=True)
class RequirementSetting:
    """The district's change to one catalog requirement (stored and audited by the store).

    ``renewal_months``, ``roles`` and ``employer_kinds`` are ``None`` to keep the catalog's value;
    ``once`` switches a certification to "done once" (its renewal period cannot be ``None``
    otherwise, because ``None`` means "unchanged").
    """

    code: str
    required: bool = True
    reason: str = ""
    renewal_months: int | None = None
    once: bool = False
    roles: frozenset[str] | None = None
    employer_kinds: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class DistrictCertification:
    """A recurring certification the district adds beyond the catalog."""

    code: str
    name: str
    description: str
    renewal_months: int | None
    initial_due_months: int
    roles: frozenset[str] = frozenset()
    employer_kinds: frozenset[str] = frozenset()
    hours: float | None = None


def _narrower(new: frozenset[str] | None, old: frozenset[str]) -> bool:
    """Would ``new`` apply to fewer people than ``old``? (An empty set means everyone.)"""
    if new is None:
        return False
    if not new:
        return False
    return not old or not old <= new


def lock_problems(catalog: TrainingCatalog, setting: RequirementSetting) -> list[str]:
    """Why a setting would switch off or relax a requirement the law sets (empty when it does not).

    The law is not a setting: RCW 28A.400.345(2)(b)-(d) requires the series of every person it
    names, so a setting may neither mark a locked requirement not required, nor narrow whom it
    applies to, nor give a statutory certification a longer renewal period than the law's.
    """
    try:
        requirement = catalog.get(setting.code)
    except NotFound:
        return []
    if not requirement.locked:
        return []
    title = requirement.column_title
    citation = requirement.lock_citation or requirement.citation
    problems: list[str] = []
    if not setting.required:
        if requirement.is_series:
            problems.append(
                f"“{title}” is required by {citation} of every person it applies to; a district "
                "setting cannot mark it not required. Only an educational service district may "
                "document prior training or waive a component (record that on the Training tab, "
                "as ESD documentation or a waiver for the person)."
            )
        else:
            problems.append(
                f"“{title}” is required by {citation}; a district setting cannot mark it not "
                "required."
            )
    if _narrower(setting.roles, requirement.roles) or _narrower(
        setting.employer_kinds, requirement.employer_kinds
    ):
        problems.append(
            f"“{title}” applies by law ({citation}) to {requirement.applies_label.lower()}; "
            "a district setting cannot narrow it."
        )
    law = requirement.renewal_months
    if requirement.kind is RequirementKind.CERTIFICATION and law and (
        setting.once or (setting.renewal_months is not None and setting.renewal_months > law)
    ):
        problems.append(
            f"“{title}” is renewed {requirement.renewal_label.lower()} by law ({citation}); "
            "a district may set a shorter period, never a longer one."
        )
    return problems


def setting_problems(catalog: TrainingCatalog, setting: RequirementSetting) -> list[str]:
    """Why a district setting cannot be applied, in words (empty when it is fine)."""
    problems: list[str] = []
    try:
        requirement = catalog.get(setting.code)
    except NotFound as err:
        return [str(err)]
    problems.extend(lock_problems(catalog, setting))
    if not setting.required and not setting.reason.strip() and not requirement.locked:
        problems.append(
            f"Give a reason for marking “{requirement.column_title}” not required; "
            "the change is kept in the audit trail."
        )
    if requirement.kind is not RequirementKind.CERTIFICATION and (
        setting.renewal_months is not None or setting.once
        or setting.roles is not None or setting.employer_kinds is not None
    ):
        problems.append(
            f"“{requirement.column_title}” is set by {requirement.lock_citation or 'RCW 28A.400.345'}"
            ", which sets no renewal and names whom it applies to: a district setting cannot "
            "change it. Add a requirement of the district's own instead."
        )
    if setting.renewal_months is not None and not 1 <= setting.renewal_months <= MAX_RENEWAL_MONTHS:
        problems.append("A renewal period must be from 1 to 120 months.")
    known_roles = {k for k, _ in catalog.roles}
    known_employers = {k for k, _ in catalog.employer_kinds}
    if setting.roles is not None and not setting.roles <= known_roles:
        problems.append("Unknown role: " + ", ".join(sorted(setting.roles - known_roles)))
    if setting.employer_kinds is not None and not setting.employer_kinds <= known_employers:
        problems.append(
            "Unknown employer kind: " + ", ".join(sorted(setting.employer_kinds - known_employers))
        )
    return problems


def certification_problems(catalog: TrainingCatalog, cert: DistrictCertification) -> list[str]:
    """Why a district-added certification cannot be saved, in words."""
    problems: list[str] = []
    if not _CODE.match(cert.code):
        problems.append(
            "The code must be 2 to 40 lower-case letters, digits or underscores, "
            "starting with a letter."
        )
    if any(r.code == cert.code for r in catalog.requirements):
        problems.append(f"The code '{cert.code}' is already used.")
    if not cert.name.strip():
        problems.append("The certification needs a name.")
    if cert.renewal_months is not None and not 1 <= cert.renewal_months <= MAX_RENEWAL_MONTHS:
        problems.append("A renewal period must be from 1 to 120 months.")
    if not 0 <= cert.initial_due_months <= MAX_RENEWAL_MONTHS:
        problems.append("The first due date must be from 0 to 120 months after the first day.")
    if cert.hours is not None and not 0 < cert.hours <= 500:
        problems.append("Hours must be more than 0 and at most 500.")
    return problems


def apply_district_settings(
    catalog: TrainingCatalog,
    settings: Iterable[RequirementSetting] = (),
    added: Iterable[DistrictCertification] = (),
) -> TrainingCatalog:
    """The catalog as this district uses it. Raises ``ValidationError`` listing every problem."""
    role_labels = dict(catalog.roles)
    employer_labels = dict(catalog.employer_kinds)
    problems: list[str] = []
    requirements = list(catalog.requirements)
    for cert in added:
        problems.extend(certification_problems(catalog, cert))
        requirements.append(
            Requirement(
                code=cert.code,
                kind=RequirementKind.CERTIFICATION,
                name=cert.name.strip(),
                text=cert.description.strip() or cert.name.strip(),
                citation="District setting",
                due_months=cert.initial_due_months,
                renewal_months=cert.renewal_months,
                hours=cert.hours,
                roles=cert.roles,
                employer_kinds=cert.employer_kinds,
                applies_label=_applies_label(
                    cert.roles, cert.employer_kinds, role_labels, employer_labels
                ),
                district_added=True,
            )
        )
        catalog = dataclasses.replace(catalog, requirements=tuple(requirements))
    index = {r.code: i for i, r in enumerate(requirements)}
    for setting in settings:
        if lock_problems(catalog, setting):
            # A stored setting that would relax the law (written before the lock, or by hand)
            # is never applied, whatever else it says: the statute holds. Opening a file removes
            # such settings with an audit entry (migration 0009); this keeps the lock even if one
            # slips in later.
            continue
        found = setting_problems(catalog, setting)
        if found:
            problems.extend(found)
            continue
        current = requirements[index[setting.code]]
        roles = current.roles if setting.roles is None else setting.roles
        employers = current.employer_kinds if setting.employer_kinds is None else (
            setting.employer_kinds
        )
        renewal = current.renewal_months
        if setting.once:
            renewal = None
        elif setting.renewal_months is not None:
            renewal = setting.renewal_months
        requirements[index[setting.code]] = dataclasses.replace(
            current,
            required=setting.required,
            not_required_reason="" if setting.required else setting.reason.strip(),
            renewal_months=renewal,
            roles=roles,
            employer_kinds=employers,
            applies_label=_applies_label(roles, employers, role_labels, employer_labels),
        )
    if problems:
        raise ValidationError(problems)
    return dataclasses.replace(catalog, requirements=tuple(requirements))
