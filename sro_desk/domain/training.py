"""The training rule engine: is each person's training verified, due, overdue or expired, and
are they cleared to work?

The law (RCW 28A.400.345) lets a district assign safety and security staff once it has either
confirmed the ESD "training series documentation" or required the person to complete the series:
classroom training on every RCW 28A.310.515(2) topic within 6 months of the first day on school
property with students expected, 2 on-the-job days within the first year and, for staff who are
not SROs, 6 check-in trainings within the first year.

Date rules, chosen to read the way a person reads the law and stated in the help text:

* "Within 6 months of the first day" ends on the same day number 6 months later, or on the last
  day of that month when it has no such day: first day 31 August → due by 28 (or 29) February.
  Completing the training on the due date is on time; it is overdue from the next day.
* "Within the first year" ends on the same date a year later; a first day of 29 February ends on
  28 February of the next (common) year.
* A certification renewed every N months is valid through the same day N months after it was
  completed (clamped the same way) and expired from the next day.
* Training completed before the first day counts (prior training). Training dated after the
  "as of" date does not count as of that date.
* Only *verified* completion records count; a claimed record is shown as awaiting verification.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache

from sro_desk.domain.attachments import AttachmentInfo
from sro_desk.domain.dates import add_months, format_date, format_short_date
from sro_desk.domain.roster import ProviderKind, Role, StaffMember, StaffStatus
from sro_desk.domain.training_catalog import (
    ROLE_SRO,
    Requirement,
    RequirementKind,
    TrainingCatalog,
)

DEFAULT_THRESHOLDS = (90, 60, 30, 7)
FIRST_DAY_NOT_RECORDED = "first day not recorded"


class TrainingStatus(StrEnum):
    """A matrix cell's state. The value is the label shown next to its icon."""

    VERIFIED = "Verified"
    WAIVED = "Waived"
    DUE = "Due"
    OVERDUE = "Overdue"
    EXPIRING_SOON = "Expiring soon"
    EXPIRED = "Expired"
    NOT_APPLICABLE = "Not applicable"

    @property
    def satisfied(self) -> bool:
        """Counts as done today (an expiring certification is still valid)."""
        return self in (TrainingStatus.VERIFIED, TrainingStatus.WAIVED,
                        TrainingStatus.EXPIRING_SOON)

    @property
    def needs_action(self) -> bool:
        return self in (TrainingStatus.DUE, TrainingStatus.OVERDUE, TrainingStatus.EXPIRED,
                        TrainingStatus.EXPIRING_SOON)


# How each status looks in the app and the workbook: a symbol and words, then a fill colour
# (never colour alone). Hex fills are light enough for black text.
STATUS_SYMBOLS: dict[TrainingStatus, str] = {
    TrainingStatus.VERIFIED: "✓",
    TrainingStatus.WAIVED: "◇",
    TrainingStatus.DUE: "○",
    TrainingStatus.OVERDUE: "!",
    TrainingStatus.EXPIRING_SOON: "◔",
    TrainingStatus.EXPIRED: "✗",
    TrainingStatus.NOT_APPLICABLE: "–",
}
STATUS_FILLS: dict[TrainingStatus, str] = {
    TrainingStatus.VERIFIED: "C6EFCE",
    TrainingStatus.WAIVED: "DDEBF7",
    TrainingStatus.DUE: "FFF2CC",
    TrainingStatus.OVERDUE: "FFC7CE",
    TrainingStatus.EXPIRING_SOON: "FCE4D6",
    TrainingStatus.EXPIRED: "E6A9A9",
    TrainingStatus.NOT_APPLICABLE: "EDEDED",
}
STATUS_MEANINGS: dict[TrainingStatus, str] = {
    TrainingStatus.VERIFIED: "Completed and verified by the district (or covered by confirmed ESD "
                             "training series documentation).",
    TrainingStatus.WAIVED: "Waived by an ESD for significant prior training and experience.",
    TrainingStatus.DUE: "Not yet verified; the deadline has not passed.",
    TrainingStatus.OVERDUE: "Not verified and the deadline has passed.",
    TrainingStatus.EXPIRING_SOON: "Verified, but the certification expires within the alert window.",
    TrainingStatus.EXPIRED: "The certification's renewal period has run out.",
    TrainingStatus.NOT_APPLICABLE: "Does not apply to this role or employer, or the district marked "
                                   "it not required (with its reason).",
}


class Provider(StrEnum):
    ESD = "Educational service district"
    AGENCY = "Employing agency or company"
    DISTRICT = "School district"
    OTHER = "Other provider"


class Delivery(StrEnum):
    IN_PERSON = "In person"
    LIVE_REMOTE = "Live remote"
    SELF_PACED = "Self-paced"


@dataclass(frozen=True, slots=True)
class ExpiryThresholds:
    """Days before an expiry or due date at which the app raises its alerts (settable)."""

    days: tuple[int, ...] = DEFAULT_THRESHOLDS

    def __post_init__(self) -> None:
        cleaned = tuple(sorted(set(self.days), reverse=True))
        if not cleaned or any(not 1 <= d <= 365 for d in cleaned):
            raise ValueError("Alert thresholds must be whole numbers of days from 1 to 365.")
        object.__setattr__(self, "days", cleaned)

    @property
    def horizon(self) -> int:
        """The furthest ahead an alert looks (90 days by default)."""
        return self.days[0]

    def tier(self, days_left: int) -> int | None:
        """The tightest threshold reached: 45 days left → 60; past due → the smallest one."""
        return _tier(self.days, days_left)


@lru_cache(maxsize=4096)
def _tier(days: tuple[int, ...], days_left: int) -> int | None:
    reached = [d for d in days if days_left <= d]
    return min(reached) if reached else None


STANDARD_THRESHOLDS = ExpiryThresholds()


@dataclass(frozen=True, slots=True)
class TrainingPerson:
    """What the engine needs to know about a staff member (built from the roster).

    ``active`` is False once the person has left the program (roster status inactive); their
    records stay in the matrix but no longer raise alerts.
    """

    staff_id: int
    name: str
    role: str
    employer_kind: str
    first_day: dt.date | None
    employer_name: str = ""
    building: str = ""
    role_label: str = ""
    active: bool = True

    @property
    def is_sro(self) -> bool:
        return self.role == ROLE_SRO


ROLE_KEYS: dict[Role, str] = {
    Role.SRO: ROLE_SRO,
    Role.SCHOOL_SECURITY: "school_security_officer",
    Role.CAMPUS_SECURITY: "campus_security_officer",
    Role.OTHER: "other_safety_staff",
}
EMPLOYER_KEYS: dict[ProviderKind, str] = {
    ProviderKind.POLICE: "law_enforcement_agency",
    ProviderKind.SHERIFF: "law_enforcement_agency",
    ProviderKind.SECURITY_COMPANY: "security_guard_company",
    ProviderKind.DISTRICT: "school_district",
}


def person_from_staff(staff: StaffMember) -> TrainingPerson:
    """The roster entry as the engine sees it (the catalog names roles and employers by key)."""
    if staff.id is None:
        raise ValueError("A staff member must be saved before training can be evaluated.")
    buildings = ", ".join(a.building_name or a.building_code for a in staff.assignments)
    return TrainingPerson(
        staff_id=staff.id,
        name=staff.sort_name,
        role=ROLE_KEYS[staff.role],
        employer_kind=EMPLOYER_KEYS.get(staff.provider_kind, "") if staff.provider_kind else "",
        first_day=staff.first_day_with_students,
        employer_name=staff.provider_name,
        building=buildings,
        role_label=staff.role.value,
        active=staff.status is not StaffStatus.INACTIVE,
    )


@dataclass(frozen=True, slots=True)
class TrainingCompletion:
    """A completion record. It is *claimed* until someone verifies it (``verified_by``)."""

    id: int
    staff_id: int
    requirement_code: str
    completed_on: dt.date
    provider: Provider = Provider.AGENCY
    provider_name: str = ""
    delivery: Delivery = Delivery.IN_PERSON
    hours: float | None = None
    notes: str = ""
    mentor: str = ""
    mentor_school: str = ""
    verified_by: str = ""
    verified_at: dt.datetime | None = None
    evidence_count: int = 0
    certificate_number: str = ""
    module_version: str = ""
    issuing_esd: str = ""

    @property
    def verified(self) -> bool:
        return bool(self.verified_by) and self.verified_at is not None

    def verified_by_date(self, as_of: dt.date) -> bool:
        """Verified on or before ``as_of``: a past "as of" date must not count later verifications."""
        return self.verified and self.verified_at is not None and self.verified_at.date() <= as_of

    @property
    def provider_text(self) -> str:
        """"Puget Sound ESD 121 (Educational service district)" or just the provider kind."""
        if self.provider_name:
            return f"{self.provider_name} ({self.provider.value})"
        return self.provider.value


@dataclass(frozen=True, slots=True)
class TrainingWaiver:
    """An ESD's waiver of one series component for significant prior training and experience."""

    id: int
    staff_id: int
    requirement_code: str
    waived_on: dt.date
    issuing_esd: str
    reason: str
    has_document: bool = False
    recorded_by: str = ""


@dataclass(frozen=True, slots=True)
class EsdDocumentation:
    """ESD training series documentation; it satisfies the whole series once confirmed."""

    id: int
    staff_id: int
    received_on: dt.date
    issuing_esd: str
    has_document: bool = False
    confirmed_by: str = ""
    confirmed_at: dt.datetime | None = None
    notes: str = ""

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_by) and self.confirmed_at is not None

    def counts_on(self, as_of: dt.date) -> bool:
        return (
            self.confirmed
            and self.received_on <= as_of
            and self.confirmed_at is not None
            and self.confirmed_at.date() <= as_of
        )


@dataclass(frozen=True, slots=True)
class RequirementStatus:
    """One cell: a person against one requirement on the "as of" date.

    ``due_on`` is the deadline while outstanding, or the expiry date of a renewable certification.
    ``days`` counts from the as-of date to ``due_on`` (negative once past).
    """

    staff_id: int
    requirement_code: str
    status: TrainingStatus
    due_on: dt.date | None = None
    days: int | None = None
    alert_tier: int | None = None
    completed_on: dt.date | None = None
    completion_id: int | None = None
    waiver_id: int | None = None
    via_esd_documentation: bool = False
    verified_by: str = ""
    verified_at: dt.datetime | None = None
    provider: str = ""
    progress: int = 0
    needed: int = 1
    pending_claims: int = 0
    note: str = ""

    @property
    def short_text(self) -> str:
        """What the cell reads: the status, plus progress or the date that matters."""
        text = self.status.value
        if self.needed > 1 and self.status in (TrainingStatus.DUE, TrainingStatus.OVERDUE):
            text += f" {self.progress}/{self.needed}"
        if self.due_on is not None and self.status is not TrainingStatus.NOT_APPLICABLE:
            text += f" · {format_short_date(self.due_on)}"
        return text

    def detail_lines(self) -> list[str]:
        """Dates, provider and verifier in words, for a tooltip or a report."""
        lines = [self.status.value]
        s = self.status
        if self.via_esd_documentation:
            lines.append("Covered by ESD training series documentation")
        if self.completed_on is not None:
            lines.append(f"Completed {format_date(self.completed_on)}")
        if self.provider:
            lines.append(f"Provider: {self.provider}")
        if self.verified_by:
            when = f" on {format_date(self.verified_at.date())}" if self.verified_at else ""
            lines.append(f"Verified by {self.verified_by}{when}")
        if self.needed > 1:
            lines.append(f"{self.progress} of {self.needed} verified")
        if self.due_on is not None:
            if s is TrainingStatus.OVERDUE:
                lines.append(f"Was due by {format_date(self.due_on)} ({-(self.days or 0)} days ago)")
            elif s is TrainingStatus.DUE:
                lines.append(f"Due by {format_date(self.due_on)} ({self.days} days left)")
            elif s is TrainingStatus.EXPIRED:
                lines.append(f"Expired after {format_date(self.due_on)}")
            elif s in (TrainingStatus.EXPIRING_SOON, TrainingStatus.VERIFIED):
                lines.append(f"Valid through {format_date(self.due_on)}")
        if self.alert_tier is not None and s in (TrainingStatus.DUE,
                                                 TrainingStatus.EXPIRING_SOON):
            lines.append(f"Inside the {self.alert_tier}-day alert window")
        if self.pending_claims:
            plural = "s" if self.pending_claims != 1 else ""
            lines.append(f"{self.pending_claims} claimed record{plural} awaiting verification")
        if self.note:
            lines.append(self.note)
        return lines


ASSIGNMENT_CITATION = "RCW 28A.400.345(1)"
SERIES_CITATION = "RCW 28A.400.345(2)"


@dataclass(frozen=True, slots=True)
class StaffClearance:
    """Two questions about a person, each with its reasons (the contract other features rely on).

    ``may_be_assigned`` (RCW 28A.400.345(1)): before staff are assigned, the district confirms
    the ESD training series documentation or requires the person to complete the series. SRO
    Desk reads "required and under way" as: the first day on school property with students is
    recorded, so the series' deadlines run (or every classroom topic is already verified).

    ``in_compliance`` (RCW 28A.400.345(2)(b)-(d)): no series deadline has passed with the
    component unmet (classroom topics within 6 months, on-the-job days and check-ins within the
    first year). A person inside the 6-month window may be assigned and is in compliance; a person
    whose on-the-job days are overdue may be assigned but is out of compliance.

    ``cleared`` is both at once; ``documentation_or_plan`` is the same thing as RCW 28A.320.1242
    asks the annual agreement to confirm it (documentation, or a plan that is on schedule).
    """

    staff_id: int
    may_be_assigned: bool
    in_compliance: bool
    has_esd_documentation: bool
    assignment_reasons: tuple[str, ...]
    compliance_reasons: tuple[str, ...]
    next_due: dt.date | None = None
    first_day_recorded: bool = True
    outstanding_codes: tuple[str, ...] = field(default=())
    overdue_codes: tuple[str, ...] = field(default=())

    @property
    def cleared(self) -> bool:
        return self.may_be_assigned and self.in_compliance

    @property
    def documentation_or_plan(self) -> bool:
        return self.cleared

    @property
    def reasons(self) -> tuple[str, ...]:
        return self.assignment_reasons + self.compliance_reasons

    @property
    def assignment_label(self) -> str:
        return "May be assigned" if self.may_be_assigned else "Not to be assigned"

    @property
    def compliance_label(self) -> str:
        if self.in_compliance:
            return "In compliance"
        if not self.first_day_recorded and not self.overdue_codes:
            return "Deadlines not set"
        return "Series overdue"

    @property
    def label(self) -> str:
        """Both answers in one line: "May be assigned · Series overdue"."""
        return f"{self.assignment_label} · {self.compliance_label}"

    def summary_lines(self) -> list[str]:
        """For a tooltip or a report: each answer, its citation, then its reasons."""
        lines = [f"{self.assignment_label} ({ASSIGNMENT_CITATION})"]
        lines += [f"• {r}" for r in self.assignment_reasons]
        lines.append(f"{self.compliance_label} with the series deadlines ({SERIES_CITATION})")
        lines += [f"• {r}" for r in self.compliance_reasons]
        return lines


_fmt = lru_cache(maxsize=16384)(format_date)


@lru_cache(maxsize=16384)
def _plus_months(start: dt.date, months: int) -> dt.date:
    """``add_months``, memoised: a matrix asks for the same few dates thousands of times."""
    return add_months(start, months)


def series_deadline(first_day: dt.date, months: int) -> dt.date:
    """Last day to complete something due ``months`` after the first day (inclusive)."""
    return _plus_months(first_day, months)


def _not_applicable(person: TrainingPerson, requirement: Requirement) -> RequirementStatus | None:
    if not requirement.required and not requirement.locked:
        return RequirementStatus(
            person.staff_id, requirement.code, TrainingStatus.NOT_APPLICABLE,
            note=f"Marked not required by the district: {requirement.not_required_reason}",
        )
    if not requirement.applies_to(person.role, person.employer_kind):
        return RequirementStatus(
            person.staff_id, requirement.code, TrainingStatus.NOT_APPLICABLE,
            note=f"Applies only to: {requirement.applies_label}",
        )
    return None


def evaluate_requirement(
    person: TrainingPerson,
    requirement: Requirement,
    completions: Sequence[TrainingCompletion],
    waiver: TrainingWaiver | None,
    esd: EsdDocumentation | None,
    as_of: dt.date,
    thresholds: ExpiryThresholds = STANDARD_THRESHOLDS,
) -> RequirementStatus:
    """The status of one requirement for one person. ``completions`` are this pair's records."""
    na = _not_applicable(person, requirement)
    if na is not None:
        return na
    sid, code = person.staff_id, requirement.code
    counted = [c for c in completions if c.verified_by_date(as_of) and c.completed_on <= as_of]
    pending = sum(1 for c in completions if not c.verified_by_date(as_of) and c.completed_on <= as_of)
    due_on = (
        None if person.first_day is None
        else series_deadline(person.first_day, requirement.due_months)
    )

    if requirement.is_series:
        if esd is not None and esd.counts_on(as_of):
            return RequirementStatus(
                sid, code, TrainingStatus.VERIFIED, completed_on=esd.received_on,
                via_esd_documentation=True, verified_by=esd.confirmed_by,
                verified_at=esd.confirmed_at, provider=esd.issuing_esd,
                progress=requirement.count, needed=requirement.count,
                pending_claims=pending,
            )
        by_date: dict[dt.date, TrainingCompletion] = {}
        for c in sorted(counted, key=lambda c: (c.completed_on, c.id)):
            by_date.setdefault(c.completed_on, c)
        progress = len(by_date)
        if progress >= requirement.count:
            met = list(by_date.values())[requirement.count - 1]
            return RequirementStatus(
                sid, code, TrainingStatus.VERIFIED, completed_on=met.completed_on,
                completion_id=met.id, verified_by=met.verified_by, verified_at=met.verified_at,
                provider=met.provider_text, progress=progress, needed=requirement.count,
                pending_claims=pending,
            )
        if waiver is not None and waiver.waived_on <= as_of:
            return RequirementStatus(
                sid, code, TrainingStatus.WAIVED, completed_on=waiver.waived_on,
                waiver_id=waiver.id, provider=waiver.issuing_esd, progress=progress,
                needed=requirement.count, pending_claims=pending,
                note=f"Waived by {waiver.issuing_esd}: {waiver.reason}"
                + ("" if waiver.has_document else " (no waiver document attached)"),
            )
        latest = max(counted, key=lambda c: (c.completed_on, c.id), default=None)
        return _outstanding(sid, requirement, due_on, as_of, thresholds, progress, pending,
                            latest)

    latest = max(counted, key=lambda c: (c.completed_on, c.id), default=None)
    if latest is None:
        return _outstanding(sid, requirement, due_on, as_of, thresholds, 0, pending, None)
    base = RequirementStatus(
        sid, code, TrainingStatus.VERIFIED, completed_on=latest.completed_on,
        completion_id=latest.id, verified_by=latest.verified_by, verified_at=latest.verified_at,
        provider=latest.provider_text, progress=1, needed=1, pending_claims=pending,
    )
    if requirement.renewal_months is None:
        return base
    valid_until = _plus_months(latest.completed_on, requirement.renewal_months)
    days = (valid_until - as_of).days
    if days < 0:
        status = TrainingStatus.EXPIRED
    elif days <= thresholds.horizon:
        status = TrainingStatus.EXPIRING_SOON
    else:
        status = TrainingStatus.VERIFIED
    return _replace_status(base, status, valid_until, days, thresholds.tier(days))


def _replace_status(
    base: RequirementStatus, status: TrainingStatus, due_on: dt.date, days: int,
    tier: int | None,
) -> RequirementStatus:
    return RequirementStatus(
        base.staff_id, base.requirement_code, status, due_on=due_on, days=days,
        alert_tier=tier if status is not TrainingStatus.VERIFIED else None,
        completed_on=base.completed_on, completion_id=base.completion_id,
        verified_by=base.verified_by, verified_at=base.verified_at, provider=base.provider,
        progress=base.progress, needed=base.needed, pending_claims=base.pending_claims,
    )


def _outstanding(
    sid: int, requirement: Requirement, due_on: dt.date | None, as_of: dt.date,
    thresholds: ExpiryThresholds, progress: int, pending: int,
    latest: TrainingCompletion | None,
) -> RequirementStatus:
    record_id = latest.id if latest is not None else None
    if due_on is None:
        return RequirementStatus(
            sid, requirement.code, TrainingStatus.DUE, progress=progress,
            needed=requirement.count, pending_claims=pending, completion_id=record_id,
            note="Due date unknown: the first day on school property with students "
                 "is not recorded.",
        )
    days = (due_on - as_of).days
    status = TrainingStatus.OVERDUE if days < 0 else TrainingStatus.DUE
    return RequirementStatus(
        sid, requirement.code, status, due_on=due_on, days=days,
        alert_tier=thresholds.tier(days), progress=progress, needed=requirement.count,
        pending_claims=pending, completion_id=record_id,
    )


def clearance(
    person: TrainingPerson,
    requirements: Sequence[Requirement],
    statuses: Mapping[str, RequirementStatus],
    esd: EsdDocumentation | None,
    as_of: dt.date,
) -> StaffClearance:
    """May the person be assigned, are they within the series deadlines, and why (each)."""
    sid = person.staff_id
    esd_ok = esd is not None and esd.counts_on(as_of)
    done = (TrainingStatus.VERIFIED, TrainingStatus.WAIVED, TrainingStatus.NOT_APPLICABLE)
    topics = [r for r in requirements if r.kind is RequirementKind.TOPIC]
    series = [r for r in requirements if r.is_series]
    outstanding_topics = [r for r in topics if statuses[r.code].status not in done]
    outstanding = [r for r in series if statuses[r.code].status not in done]
    overdue = [r for r in series if statuses[r.code].status is TrainingStatus.OVERDUE]
    first_day = person.first_day
    first_day_recorded = first_day is not None

    assign: list[str] = []
    if esd_ok and esd is not None:
        may_assign = True
        assign.append(
            f"ESD training series documentation from {esd.issuing_esd} received "
            f"{_fmt(esd.received_on)}, confirmed by {esd.confirmed_by}."
        )
    elif first_day is not None:
        may_assign = True
        if as_of < first_day:
            assign.append(
                f"The series is required; its deadlines start on the first day on school "
                f"property with students, {_fmt(first_day)}."
            )
        else:
            assign.append(
                f"The series is required and under way since the first day on school property "
                f"with students, {_fmt(first_day)}."
            )
    elif not outstanding_topics:
        may_assign = True
        assign.append(f"All {len(topics)} classroom topics are verified or waived by an ESD.")
    else:
        may_assign = False
        assign.append(
            "First day on school property with students not recorded: the series' deadlines "
            "cannot run, and there is no confirmed ESD documentation."
        )
    if not esd_ok and esd is not None and not esd.confirmed:
        assign.append(
            f"ESD training series documentation from {esd.issuing_esd} received "
            f"{_fmt(esd.received_on)} is not yet confirmed."
        )

    comply: list[str] = []
    if esd_ok:
        in_compliance = True
        comply.append("The whole series is covered by the confirmed ESD documentation.")
    elif overdue:
        in_compliance = False
        for r in overdue:
            comply.append(f"{r.column_title}: {_outstanding_reason(statuses[r.code])}")
    elif not outstanding:
        in_compliance = True
        comply.append("Every series component is verified or waived by an ESD.")
    elif not first_day_recorded:
        in_compliance = False
        comply.append(
            "Deadlines cannot be set: " + FIRST_DAY_NOT_RECORDED + " (it starts the 6-month and "
            "first-year deadlines)."
        )
    else:
        in_compliance = True
        soonest = min(
            outstanding,
            key=lambda r: (statuses[r.code].due_on or dt.date.max, r.code),
        )
        comply.append(
            f"No series deadline has passed; {len(outstanding)} still to complete. Next: "
            f"{soonest.column_title}, {_outstanding_reason(statuses[soonest.code])}."
        )
    dues = [
        statuses[r.code].due_on for r in outstanding if statuses[r.code].due_on is not None
    ]
    next_due = min((d for d in dues if d is not None), default=None)
    return StaffClearance(
        staff_id=sid,
        may_be_assigned=may_assign,
        in_compliance=in_compliance,
        has_esd_documentation=esd_ok,
        assignment_reasons=tuple(assign),
        compliance_reasons=tuple(comply),
        next_due=next_due if not esd_ok else None,
        first_day_recorded=first_day_recorded,
        outstanding_codes=() if esd_ok else tuple(r.code for r in outstanding),
        overdue_codes=() if esd_ok else tuple(r.code for r in overdue),
    )


def _outstanding_reason(st: RequirementStatus) -> str:
    parts: list[str] = []
    if st.needed > 1:
        parts.append(f"{st.progress} of {st.needed} verified")
    else:
        parts.append("not verified")
    if st.due_on is None:
        parts.append("due date unknown (" + FIRST_DAY_NOT_RECORDED + ")")
    elif st.status is TrainingStatus.OVERDUE:
        parts.append(f"overdue since {_fmt(st.due_on)}")
    else:
        parts.append(f"due by {_fmt(st.due_on)}")
    if st.pending_claims:
        parts.append(f"{st.pending_claims} claimed, awaiting verification")
    return "; ".join(parts)


@dataclass(frozen=True, slots=True)
class PersonTraining:
    """A matrix row: one person, their cells in requirement order, and their clearance."""

    person: TrainingPerson
    cells: tuple[RequirementStatus, ...]
    clearance: StaffClearance

    def cell(self, code: str) -> RequirementStatus:
        for c in self.cells:
            if c.requirement_code == code:
                return c
        raise KeyError(code)


@dataclass(frozen=True, slots=True)
class ComplianceMatrix:
    """Everyone against every requirement on one date."""

    as_of: dt.date
    requirements: tuple[Requirement, ...]
    rows: tuple[PersonTraining, ...]
    thresholds: ExpiryThresholds = STANDARD_THRESHOLDS

    def clearances(self) -> dict[int, StaffClearance]:
        return {row.person.staff_id: row.clearance for row in self.rows}

    def row_for(self, staff_id: int) -> PersonTraining:
        for row in self.rows:
            if row.person.staff_id == staff_id:
                return row
        raise KeyError(staff_id)


def evaluate_person(
    person: TrainingPerson,
    requirements: Sequence[Requirement],
    completions: Iterable[TrainingCompletion],
    waivers: Iterable[TrainingWaiver],
    esd: EsdDocumentation | None,
    as_of: dt.date,
    thresholds: ExpiryThresholds = STANDARD_THRESHOLDS,
) -> PersonTraining:
    """Every requirement for one person plus their clearance."""
    by_code: dict[str, list[TrainingCompletion]] = defaultdict(list)
    for c in completions:
        by_code[c.requirement_code].append(c)
    waiver_by_code = _earliest_waivers(waivers, as_of)
    cells = tuple(
        evaluate_requirement(
            person, r, by_code.get(r.code, ()), waiver_by_code.get(r.code), esd, as_of,
            thresholds,
        )
        for r in requirements
    )
    statuses = {c.requirement_code: c for c in cells}
    return PersonTraining(person, cells, clearance(person, requirements, statuses, esd, as_of))


def _earliest_waivers(
    waivers: Iterable[TrainingWaiver], as_of: dt.date
) -> dict[str, TrainingWaiver]:
    result: dict[str, TrainingWaiver] = {}
    for w in sorted(waivers, key=lambda w: (w.waived_on, w.id)):
        if w.waived_on <= as_of:
            result.setdefault(w.requirement_code, w)
    return result


def best_esd_documentation(
    docs: Iterable[EsdDocumentation], as_of: dt.date
) -> EsdDocumentation | None:
    """The confirmed document that counts on ``as_of``, else the newest unconfirmed one."""
    confirmed = [d for d in docs if d.counts_on(as_of)]
    if confirmed:
        return min(confirmed, key=lambda d: (d.received_on, d.id))
    waiting = [d for d in docs if not d.confirmed and d.received_on <= as_of]
    return max(waiting, key=lambda d: (d.received_on, d.id), default=None)


def build_matrix(
    people: Iterable[TrainingPerson],
    requirements: Sequence[Requirement],
    completions: Iterable[TrainingCompletion],
    waivers: Iterable[TrainingWaiver],
    esd_documents: Iterable[EsdDocumentation],
    as_of: dt.date,
    thresholds: ExpiryThresholds = STANDARD_THRESHOLDS,
) -> ComplianceMatrix:
    """The whole compliance matrix; groups the records once so it stays fast at 300 × 20."""
    completions_by: dict[int, list[TrainingCompletion]] = defaultdict(list)
    for c in completions:
        completions_by[c.staff_id].append(c)
    waivers_by: dict[int, list[TrainingWaiver]] = defaultdict(list)
    for w in waivers:
        waivers_by[w.staff_id].append(w)
    esd_by: dict[int, list[EsdDocumentation]] = defaultdict(list)
    for d in esd_documents:
        esd_by[d.staff_id].append(d)
    rows = tuple(
        evaluate_person(
            p, requirements, completions_by.get(p.staff_id, ()), waivers_by.get(p.staff_id, ()),
            best_esd_documentation(esd_by.get(p.staff_id, ()), as_of), as_of, thresholds,
        )
        for p in sorted(people, key=lambda p: (p.name.casefold(), p.staff_id))
    )
    return ComplianceMatrix(as_of, tuple(requirements), rows, thresholds)


@dataclass(frozen=True, slots=True)
class AttentionItem:
    """One line of the "needs attention" list."""

    staff_id: int
    person_name: str
    requirement_code: str
    requirement_title: str
    status: TrainingStatus
    date: dt.date | None
    days: int | None
    message: str


def needs_attention(matrix: ComplianceMatrix, horizon_days: int = 90) -> list[AttentionItem]:
    """Everything overdue, expired, due or expiring within ``horizon_days``, soonest first,
    for everyone still in the program (inactive people are left out).

    A person with no first day recorded gets one line (their deadlines cannot be set), placed
    first because nothing else tells the office about it.
    """
    items: list[AttentionItem] = []
    titles = {r.code: r.column_title for r in matrix.requirements}
    for row in matrix.rows:
        person = row.person
        if not person.active:
            continue
        if person.first_day is None and not row.clearance.cleared:
            items.append(AttentionItem(
                person.staff_id, person.name, "", "First day", TrainingStatus.DUE, None, None,
                "First day on school property with students not recorded: training deadlines "
                "cannot be set"
                + ("." if row.clearance.may_be_assigned else " and the person is not to be "
                   "assigned."),
            ))
        for cell in row.cells:
            if cell.due_on is None or cell.days is None:
                continue
            s = cell.status
            urgent = s in (TrainingStatus.OVERDUE, TrainingStatus.EXPIRED)
            soon = s in (TrainingStatus.DUE, TrainingStatus.EXPIRING_SOON) and (
                cell.days <= horizon_days
            )
            if not (urgent or soon):
                continue
            title = titles[cell.requirement_code]
            if s is TrainingStatus.OVERDUE:
                msg = f"{title} overdue since {_fmt(cell.due_on)}"
            elif s is TrainingStatus.EXPIRED:
                msg = f"{title} expired after {_fmt(cell.due_on)}"
            elif s is TrainingStatus.EXPIRING_SOON:
                msg = f"{title} expires after {_fmt(cell.due_on)} ({cell.days} days)"
            else:
                msg = f"{title} due by {_fmt(cell.due_on)} ({cell.days} days)"
            items.append(AttentionItem(
                person.staff_id, person.name, cell.requirement_code, title, s, cell.due_on,
                cell.days, msg,
            ))
    items.sort(key=lambda i: (i.date is not None, i.date or dt.date.min, i.person_name.casefold(),
                              i.requirement_code))
    return items


def completion_problems(
    requirement: Requirement,
    completed_on: dt.date | None,
    provider: Provider,
    provider_name: str,
    hours: float | None,
    mentor: str,
    mentor_school: str,
    today: dt.date,
) -> list[str]:
    """Why a completion record cannot be saved, in words (empty when it can)."""
    problems: list[str] = []
    if completed_on is None:
        problems.append("Enter the date the training was completed.")
    elif completed_on > today:
        problems.append(
            f"The completion date {format_date(completed_on)} is in the future; record training "
            "once it has taken place."
        )
    elif completed_on.year < 1970:
        problems.append(f"The completion date {format_date(completed_on)} is not plausible.")
    if provider in (Provider.ESD, Provider.OTHER) and not provider_name.strip():
        problems.append(f"Name the provider ({provider.value.lower()}).")
    if hours is not None and not 0 < hours <= 200:
        problems.append("Hours must be more than 0 and at most 200.")
    if requirement.code == "on_the_job":
        if not mentor.strip():
            problems.append("Name the experienced staff member (mentor) for this on-the-job day.")
        if not mentor_school.strip():
            problems.append("Name the mentor's school for this on-the-job day.")
    return problems


def waiver_problems(
    requirement: Requirement,
    waived_on: dt.date | None,
    issuing_esd: str,
    reason: str,
    today: dt.date,
) -> list[str]:
    """Why a waiver cannot be recorded, in words."""
    problems: list[str] = []
    if not requirement.is_series:
        problems.append(
            f"“{requirement.column_title}” is not part of the RCW 28A.400.345 series; "
            "only series components can be waived by an ESD."
        )
    if waived_on is None:
        problems.append("Enter the date of the waiver.")
    elif waived_on > today:
        problems.append(f"The waiver date {format_date(waived_on)} is in the future.")
    if not issuing_esd.strip():
        problems.append("Name the educational service district that issued the waiver.")
    if not reason.strip():
        problems.append("Give the reason for the waiver (the prior training and experience).")
    return problems


def esd_documentation_problems(
    received_on: dt.date | None, issuing_esd: str, today: dt.date
) -> list[str]:
    """Why ESD training series documentation cannot be recorded, in words."""
    problems: list[str] = []
    if received_on is None:
        problems.append("Enter the date the documentation was received.")
    elif received_on > today:
        problems.append(f"The date received, {format_date(received_on)}, is in the future.")
    if not issuing_esd.strip():
        problems.append("Name the educational service district that issued the documentation.")
    return problems


def catalog_matrix_requirements(catalog: TrainingCatalog) -> tuple[Requirement, ...]:
    """The matrix's columns: every requirement, including ones the district marked not required
    (shown as "Not applicable" with the reason, never silently dropped)."""
    return catalog.requirements


@dataclass(frozen=True, slots=True)
class VerificationRecord:
    """Everything the per-person training verification record PDF prints."""

    district: str
    as_of: dt.date
    staff: StaffMember
    catalog: TrainingCatalog
    row: PersonTraining
    completions: tuple[TrainingCompletion, ...]
    waivers: tuple[TrainingWaiver, ...]
    esd_documents: tuple[EsdDocumentation, ...]
    evidence: dict[int, tuple[AttachmentInfo, ...]]
