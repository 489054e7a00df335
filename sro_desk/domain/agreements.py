"""The annual agreement with each agency or company that supplies safety and security staff.

RCW 28A.320.124(1) and RCW 28A.320.1242 require the district to review and adopt, every school
year, an agreement with each police agency or security company that supplies staff, and say what
it must contain. The contents are a checklist whose items live in
``resources/catalogs/agreement_checklist.json`` (data, with citations); this module holds the
rules that judge them:

* a status per item; "not applicable" needs a reason, "met" needs who checked it and when;
* three items are not ticked by hand alone: training documentation (live from the Training tab),
  the review involving parents, students and community members (from the recorded meetings), and
  adoption (from the board adoption date);
* the law is not a setting: no statutory item (RCW 28A.320.1242, RCW 28A.320.124(1)) can be marked
  "not applicable"; only the district's own items (its policies' additions) can. One marked so
  before this rule (or written outside the app) stays required, counts only when met, and is
  flagged; opening an older file restores it (migration 0009, audited);
* progress is items met of items required (not-applicable district items are not required);
* reminders: not adopted by the first day of school, expiring within 60 days;
* the new-year rollover, a pure and idempotent function.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sro_desk.domain.dates import add_years, format_date
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import StaffMember, StaffStatus

EXPIRY_WARNING_DAYS = 60
"""An agreement expiring within this many days, with no adopted successor, needs attention."""

ADOPTION_DUE_DAYS = 60
"""An agreement not yet adopted shows as due this many days before the first day of school."""

_YEAR_LABEL = re.compile(r"^\s*(\d{4})\s*[-–/]\s*(\d{2}|\d{4})\s*$")


# --------------------------------------------------------------------------- school years


def parse_school_year(label: str) -> int:
    """The starting calendar year of a label such as ``2025-26``; raises ``ValidationError``."""
    match = _YEAR_LABEL.match(label or "")
    if not match:
        raise ValidationError(f"'{label}' is not a school year (write it like 2025-26)")
    start = int(match[1])
    end_text = match[2]
    end = int(end_text)
    if (len(end_text) == 4 and end != start + 1) or end % 100 != (start + 1) % 100:
        raise ValidationError(
            f"'{label}' is not a school year: the second year must follow the first (e.g. "
            f"{start}-{(start + 1) % 100:02d})"
        )
    return start


def school_year_label(start_year: int) -> str:
    """``2025`` → ``2025-26``."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def next_school_year(label: str) -> str:
    """The label of the following school year: ``2025-26`` → ``2026-27``."""
    return school_year_label(parse_school_year(label) + 1)


def default_first_day(label: str) -> dt.date:
    """The first day of school when the district has not recorded one: 1 September.

    RCW 28A.150.203 starts the school year on 1 September; districts that open earlier record
    their own first day in settings.
    """
    return dt.date(parse_school_year(label), 9, 1)


def school_year_end(label: str) -> dt.date:
    """The last day of the school year under RCW 28A.150.203: 31 August of the second year."""
    return dt.date(parse_school_year(label) + 1, 8, 31)


# --------------------------------------------------------------------------- the checklist


class ItemStatus(StrEnum):
    """Where a checklist item stands, as the coordinator records it."""

    NOT_STARTED = "Not started"
    IN_PROGRESS = "In progress"
    MET = "Met"
    NOT_APPLICABLE = "Not applicable"


class ItemRule(StrEnum):
    """How an item is judged besides its recorded status (the catalog's ``rule``)."""

    MANUAL = "manual"
    TRAINING = "training"
    REVIEW_GROUPS = "review_groups"
    ADOPTED = "adopted"


@dataclass(frozen=True, slots=True)
class ChecklistItemDefinition:
    """One thing the agreement must contain or its process must show, from the catalog."""

    key: str
    title: str
    description: str
    citations: tuple[str, ...]
    rule: ItemRule
    statutory: bool
    order: int

    @property
    def citation_text(self) -> str:
        return "; ".join(self.citations)

    @property
    def judged_live(self) -> bool:
        """Judged from the app's records (training, meetings, adoption), not by hand alone."""
        return self.rule is not ItemRule.MANUAL


_LIVE_SOURCE = {
    ItemRule.TRAINING: (
        "from the training records of the staff the agency or company supplies. If it supplies "
        "no staff this year, nothing is missing: mark the item met"
    ),
    ItemRule.REVIEW_GROUPS: "from the review meetings recorded for the school year",
    ItemRule.ADOPTED: "from the board adoption date",
}


def not_applicable_refusal(definition: ChecklistItemDefinition) -> str:
    """Why a statutory item cannot be marked "not applicable" (in words for the coordinator)."""
    if not definition.judged_live:
        return (
            f"“{definition.title}” cannot be marked not applicable: "
            f"{definition.citation_text} asks it of every agreement. Only the district's own "
            "items can be marked not applicable."
        )
    return (
        f"“{definition.title}” cannot be marked not applicable: {definition.citations[0]} "
        f"asks it of every agreement, and SRO Desk checks it "
        f"{_LIVE_SOURCE.get(definition.rule, 'from its records')}."
    )


def load_checklist_catalog(data: object) -> tuple[ChecklistItemDefinition, ...]:
    """Checklist items from the parsed catalog JSON, checked so a bad edit fails in words."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("items"), list):
        raise ValidationError("The agreement checklist catalog has no 'items' list.")
    items: list[ChecklistItemDefinition] = []
    seen: set[str] = set()
    for index, raw in enumerate(data["items"], start=1):
        where = f"checklist item {index}"
        if not isinstance(raw, Mapping):
            problems.append(f"{where} is not an object")
            continue
        key = raw.get("key")
        title = raw.get("title")
        citations = raw.get("citations")
        rule_text = raw.get("rule", "manual")
        if not isinstance(key, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", key):
            problems.append(f"{where} has no valid 'key' (lower-case letters, digits, _)")
            continue
        where = f"checklist item '{key}'"
        if key in seen:
            problems.append(f"{where} appears twice")
        seen.add(key)
        if not isinstance(title, str) or not title.strip():
            problems.append(f"{where} has no title")
        if (
            not isinstance(citations, list)
            or not citations
            or not all(isinstance(c, str) and c.strip() for c in citations)
        ):
            problems.append(f"{where} needs at least one citation")
        try:
            rule = ItemRule(rule_text)
        except ValueError:
            problems.append(f"{where} has an unknown rule '{rule_text}'")
            continue
        if problems:
            continue
        items.append(
            ChecklistItemDefinition(
                key=key,
                title=str(title).strip(),
                description=str(raw.get("description", "")).strip(),
                citations=tuple(str(c).strip() for c in citations),  # type: ignore[union-attr]
                rule=rule,
                statutory=bool(raw.get("statutory", True)),
                order=index,
            )
        )
    if problems:
        raise ValidationError(problems)
    if not items:
        raise ValidationError("The agreement checklist catalog lists no items.")
    return tuple(items)


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """The recorded state of one item for one agreement."""

    item_key: str
    status: ItemStatus = ItemStatus.NOT_STARTED
    not_applicable_reason: str = ""
    section: str = ""
    evidence: str = ""
    checked_by: str = ""
    checked_on: dt.date | None = None
    notes: str = ""
    previous_notes: str = ""
    id: int | None = None


def entry_problems(
    entry: ChecklistEntry,
    today: dt.date | None = None,
    definition: ChecklistItemDefinition | None = None,
) -> list[str]:
    """Every reason ``entry`` cannot be saved, in words (empty when it can).

    With its ``definition``, a statutory item (and every item judged live: training, review
    meetings, adoption) is refused "not applicable": turning it off would let an agreement read
    complete while the law's condition is unmet.
    """
    problems: list[str] = []
    if (entry.status is ItemStatus.NOT_APPLICABLE and definition is not None
            and (definition.judged_live or definition.statutory)):
        problems.append(not_applicable_refusal(definition))
    elif entry.status is ItemStatus.NOT_APPLICABLE and not entry.not_applicable_reason.strip():
        problems.append("'Not applicable' needs a reason: say why this item does not apply.")
    if entry.status in (ItemStatus.MET, ItemStatus.NOT_APPLICABLE):
        if not entry.checked_by.strip():
            problems.append(f"'{entry.status}' needs the name of the person who checked it.")
        if entry.checked_on is None:
            problems.append(f"'{entry.status}' needs the date it was checked.")
    if today is not None and entry.checked_on is not None and entry.checked_on > today:
        problems.append(
            f"The date checked ({format_date(entry.checked_on)}) is in the future."
        )
    return problems


def validate_entry(
    entry: ChecklistEntry,
    today: dt.date | None = None,
    definition: ChecklistItemDefinition | None = None,
) -> ChecklistEntry:
    """``entry`` with text trimmed, or ``ValidationError`` listing every problem."""
    problems = entry_problems(entry, today, definition)
    if problems:
        raise ValidationError(problems)
    return replace(
        entry,
        not_applicable_reason=(
            entry.not_applicable_reason.strip()
            if entry.status is ItemStatus.NOT_APPLICABLE
            else ""
        ),
        section=entry.section.strip(),
        evidence=entry.evidence.strip(),
        checked_by=entry.checked_by.strip(),
        notes=entry.notes.strip(),
    )


# --------------------------------------------------------------------------- review meetings


class MeetingKind(StrEnum):
    LISTENING_SESSION = "Listening session"
    BOARD_MEETING = "Board meeting"
    COMMITTEE = "Committee"


class ParticipantGroup(StrEnum):
    PARENTS = "Parents"
    STUDENTS = "Students"
    COMMUNITY = "Community members"
    STAFF = "Staff"
    AGENCY = "Agency"


REQUIRED_REVIEW_GROUPS: tuple[ParticipantGroup, ...] = (
    ParticipantGroup.PARENTS,
    ParticipantGroup.STUDENTS,
    ParticipantGroup.COMMUNITY,
)
"""RCW 28A.320.124(1): the review must involve parents, students and community members."""


@dataclass(frozen=True, slots=True)
class ReviewMeeting:
    """A meeting where the agreement was reviewed.

    ``agreement_id`` ``None`` means the meeting reviewed every agreement of its school year
    (a district-wide listening session); otherwise it counts for that agreement only.
    """

    school_year: str
    held_on: dt.date
    kind: MeetingKind
    participants: tuple[tuple[ParticipantGroup, int], ...] = ()
    notes: str = ""
    agreement_id: int | None = None
    minutes_attachment_id: int | None = None
    minutes_filename: str = ""
    id: int | None = None

    def count(self, group: ParticipantGroup) -> int:
        return sum(n for g, n in self.participants if g is group)

    @property
    def participant_text(self) -> str:
        return ", ".join(f"{g}: {n}" for g, n in self.participants if n > 0)


def meeting_problems(meeting: ReviewMeeting) -> list[str]:
    problems: list[str] = []
    try:
        start = parse_school_year(meeting.school_year)
    except ValidationError as err:
        problems.extend(err.problems)
    else:
        earliest = dt.date(start - 1, 1, 1)
        if not earliest <= meeting.held_on <= school_year_end(meeting.school_year):
            problems.append(
                f"A review meeting for {meeting.school_year} cannot be held on "
                f"{format_date(meeting.held_on)}."
            )
    seen: set[ParticipantGroup] = set()
    for group, number in meeting.participants:
        if number < 0:
            problems.append(f"The number of {group.lower()} cannot be negative.")
        if group in seen:
            problems.append(f"{group} are listed twice.")
        seen.add(group)
    if not any(n > 0 for _, n in meeting.participants):
        problems.append("Record who took part: at least one group with a count above zero.")
    return problems


def validate_meeting(meeting: ReviewMeeting) -> ReviewMeeting:
    problems = meeting_problems(meeting)
    if problems:
        raise ValidationError(problems)
    ordered = tuple(
        (g, n) for g in ParticipantGroup for gg, n in meeting.participants if gg is g and n > 0
    )
    return replace(meeting, participants=ordered, notes=meeting.notes.strip())


def meetings_for(
    agreement: Agreement, meetings: Iterable[ReviewMeeting]
) -> list[ReviewMeeting]:
    """The meetings that count for ``agreement``: its own and its year's district-wide ones."""
    return sorted(
        (
            m
            for m in meetings
            if m.school_year == agreement.school_year
            and (m.agreement_id is None or m.agreement_id == agreement.id)
        ),
        key=lambda m: m.held_on,
    )


def missing_review_groups(meetings: Iterable[ReviewMeeting]) -> list[ParticipantGroup]:
    """Required groups (parents, students, community) no recorded meeting included."""
    present = {g for m in meetings for g, n in m.participants if n > 0}
    return [g for g in REQUIRED_REVIEW_GROUPS if g not in present]


# --------------------------------------------------------------------------- agreements


@dataclass(frozen=True, slots=True)
class Agreement:
    """One provider's agreement for one school year. Not adopted (no board date) = a draft."""

    school_year: str
    provider_id: int
    provider_name: str
    title: str
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    adopted_on: dt.date | None = None
    responsible: str = ""
    notes: str = ""
    previous_notes: str = ""
    rolled_from_id: int | None = None
    document_attachment_id: int | None = None
    document_filename: str = ""
    document_sha256: str = ""
    id: int | None = None

    @property
    def is_draft(self) -> bool:
        return self.adopted_on is None

    @property
    def state(self) -> str:
        return "Draft" if self.is_draft else "Adopted"


def agreement_problems(agreement: Agreement) -> list[str]:
    """Every reason ``agreement`` cannot be saved, in words."""
    problems: list[str] = []
    try:
        parse_school_year(agreement.school_year)
    except ValidationError as err:
        problems.extend(err.problems)
    if not agreement.title.strip():
        problems.append("The agreement needs a title.")
    if agreement.provider_id <= 0:
        problems.append("Choose the agency or company the agreement is with.")
    eff, exp, adopted = agreement.effective_on, agreement.expires_on, agreement.adopted_on
    if eff is not None and exp is not None and exp < eff:
        problems.append(
            f"The expiry date ({format_date(exp)}) is before the effective date "
            f"({format_date(eff)})."
        )
    if adopted is not None and exp is not None and adopted > exp:
        problems.append(
            f"The board adoption date ({format_date(adopted)}) is after the expiry date "
            f"({format_date(exp)}); an agreement cannot be adopted once it has expired."
        )
    return problems


def validate_agreement(agreement: Agreement) -> Agreement:
    problems = agreement_problems(agreement)
    if problems:
        raise ValidationError(problems)
    return replace(
        agreement,
        title=agreement.title.strip(),
        responsible=agreement.responsible.strip(),
        notes=agreement.notes.strip(),
    )


# --------------------------------------------------------------------------- assessment


@dataclass(frozen=True, slots=True)
class StaffTrainingGap:
    """A provider's staff member who lacks ESD training documentation or a plan."""

    staff_id: int
    name: str
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementFacts:
    """What the app knows live, outside the checklist, that some items depend on.

    ``training_gaps`` are among the provider's staff who worked during the agreement's school
    year, judged on ``training_as_of`` (see ``training_as_of`` and ``worked_during``).
    """

    training_gaps: tuple[StaffTrainingGap, ...] = ()
    provider_staff_count: int = 0
    meetings: tuple[ReviewMeeting, ...] = ()
    first_day: dt.date | None = None
    training_as_of: dt.date | None = None


def training_as_of(last_day: dt.date, today: dt.date) -> dt.date:
    """The day a school year's training item is judged on: today, or the year's last day once
    the year is over (a past year's checklist is not judged by what happened after it)."""
    return min(today, last_day)


def worked_during(
    member: StaffMember, first_day: dt.date, last_day: dt.date, today: dt.date
) -> bool:
    """Whether ``member`` was (or, for a year not yet over, is to be) assigned during the school
    year ``first_day``–``last_day``, so the year's agreement answers for their training.

    The assignment runs from its start (or the first day with students) to its end; open dates
    are open. A person with neither start date belongs to the present: they count for a year
    that is not over, never for a past one. An inactive person with no end date never worked.
    """
    start = member.assignment_start or member.first_day_with_students
    end = member.assignment_end
    if member.status is StaffStatus.INACTIVE and end is None:
        return False
    if start is None:
        return today <= last_day and (end is None or end >= first_day)
    return start <= last_day and (end is None or end >= first_day)


def judged_on(member: StaffMember, as_of: dt.date) -> dt.date:
    """The day a person's training is judged for a year: ``as_of``, or their last day under the
    agreement if they left before it (they are not held to deadlines that fell after they left)."""
    end = member.assignment_end
    return end if end is not None and end < as_of else as_of


@dataclass(frozen=True, slots=True)
class ItemAssessment:
    """An item as judged: ``counts_as_met`` only when the rules agree with the recorded status."""

    definition: ChecklistItemDefinition
    entry: ChecklistEntry
    counts_as_met: bool
    required: bool
    flags: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def shown_status(self) -> str:
        """The status as a coordinator should read it, saying when a rule overrides a tick."""
        if self.entry.status is ItemStatus.MET and not self.counts_as_met:
            return "Met (not confirmed)"
        if self.entry.status is ItemStatus.NOT_APPLICABLE and self.required:
            return "Not applicable (not accepted)"
        return str(self.entry.status)


def _names(gaps: Sequence[StaffTrainingGap]) -> str:
    return ", ".join(g.name for g in gaps)


def assess_item(
    definition: ChecklistItemDefinition,
    entry: ChecklistEntry,
    agreement: Agreement,
    facts: AgreementFacts,
) -> ItemAssessment:
    """Judge one item against its rule and the live facts.

    "Not applicable" takes a district item out of the required count. A statutory item, and an
    item judged live, stays required whatever is recorded: its rule runs and flags, and it counts
    only when met.
    """
    status = entry.status
    flags: list[str] = []
    if status is ItemStatus.NOT_APPLICABLE:
        if not definition.judged_live and not definition.statutory:
            return ItemAssessment(definition, entry, False, False, tuple(flags))
        flags.append(
            f"Marked not applicable, but {definition.citations[0]} asks it of every agreement: "
            "it still counts as required; record whether it is met."
        )
    rule_ok = True
    if definition.rule is ItemRule.TRAINING:
        if facts.training_gaps:
            rule_ok = False
            count = len(facts.training_gaps)
            when = (f" as of {format_date(facts.training_as_of)}"
                    if facts.training_as_of is not None else "")
            flags.append(
                f"{count} staff member{'s' if count != 1 else ''} from "
                f"{agreement.provider_name} lack{'s' if count == 1 else ''} ESD training "
                f"documentation or a plan to complete the series{when}: "
                f"{_names(facts.training_gaps)}"
            )
    elif definition.rule is ItemRule.REVIEW_GROUPS:
        missing = missing_review_groups(facts.meetings)
        if missing:
            rule_ok = False
            if not facts.meetings:
                flags.append("No review meeting is recorded for this agreement's school year.")
            else:
                flags.append(
                    "The recorded review meetings did not include: "
                    + ", ".join(g.lower() for g in missing)
                )
    elif definition.rule is ItemRule.ADOPTED:
        if agreement.adopted_on is None:
            rule_ok = False
            flags.append("No board adoption date is recorded.")
        elif facts.first_day is not None and agreement.adopted_on > facts.first_day:
            flags.append(
                f"Adopted on {format_date(agreement.adopted_on)}, after the first day of school "
                f"({format_date(facts.first_day)})."
            )
    met = status is ItemStatus.MET and rule_ok
    return ItemAssessment(definition, entry, met, True, tuple(flags))


@dataclass(frozen=True, slots=True)
class Progress:
    met: int
    required: int

    @property
    def complete(self) -> bool:
        return self.required > 0 and self.met == self.required

    @property
    def text(self) -> str:
        return f"{self.met} of {self.required} met"


@dataclass(frozen=True, slots=True)
class AgreementAssessment:
    agreement: Agreement
    items: tuple[ItemAssessment, ...]
    progress: Progress
    meetings: tuple[ReviewMeeting, ...] = field(default=())

    @property
    def flags(self) -> tuple[str, ...]:
        return tuple(f for i in self.items for f in i.flags)


def blank_checklist(catalog: Sequence[ChecklistItemDefinition]) -> tuple[ChecklistEntry, ...]:
    return tuple(ChecklistEntry(item_key=d.key) for d in catalog)


def assess_agreement(
    agreement: Agreement,
    catalog: Sequence[ChecklistItemDefinition],
    entries: Iterable[ChecklistEntry],
    facts: AgreementFacts,
) -> AgreementAssessment:
    """Every catalog item judged (a missing entry counts as not started), and the progress."""
    by_key = {e.item_key: e for e in entries}
    meetings = tuple(meetings_for(agreement, facts.meetings))
    own_facts = replace(facts, meetings=meetings)
    items = tuple(
        assess_item(d, by_key.get(d.key, ChecklistEntry(item_key=d.key)), agreement, own_facts)
        for d in catalog
    )
    progress = Progress(
        met=sum(1 for i in items if i.counts_as_met),
        required=sum(1 for i in items if i.required),
    )
    return AgreementAssessment(agreement, items, progress, meetings)


# --------------------------------------------------------------------------- reminders


class ReminderKind(StrEnum):
    NO_AGREEMENT = "No agreement for this school year"
    NOT_ADOPTED_BY_FIRST_DAY = "Not adopted by the first day of school"
    ADOPTION_DUE = "Adoption due before the first day of school"
    EXPIRING = "Expiring soon"
    EXPIRED = "Expired"


@dataclass(frozen=True, slots=True)
class Reminder:
    kind: ReminderKind
    message: str
    due_on: dt.date
    provider_name: str
    school_year: str
    agreement: Agreement | None = None


def needs_attention(
    agreements: Sequence[Agreement],
    today: dt.date,
    first_days: Mapping[str, dt.date] | None = None,
    *,
    current_year: str | None = None,
    supplying: Sequence[tuple[int, str]] = (),
) -> list[Reminder]:
    """Agreements that need the coordinator: unadopted by (or near) the first day, expiring.

    An expiring or expired agreement stops needing attention once the same provider has an
    adopted agreement for the following year; an expired one only nags while it is the
    provider's latest. With ``current_year`` and the ``supplying`` providers (id, name) that have
    staff on the roster, a provider with no agreement at all for that year is listed too.
    """
    first_days = first_days or {}
    reminders: list[Reminder] = []
    if current_year is not None:
        covered = {a.provider_id for a in agreements if a.school_year == current_year}
        first_day = first_days.get(current_year) or default_first_day(current_year)
        for provider_id, name in supplying:
            if provider_id not in covered:
                reminders.append(
                    Reminder(
                        ReminderKind.NO_AGREEMENT,
                        f"{name} supplies staff but has no agreement for {current_year}.",
                        first_day,
                        name,
                        current_year,
                    )
                )
    by_provider_year = {(a.provider_id, a.school_year): a for a in agreements}
    latest_year: dict[int, int] = {}
    for a in agreements:
        year = parse_school_year(a.school_year)
        latest_year[a.provider_id] = max(latest_year.get(a.provider_id, year), year)
    for a in agreements:
        first_day = first_days.get(a.school_year) or default_first_day(a.school_year)
        who = f"{a.provider_name} ({a.school_year})"
        if a.adopted_on is None:
            if today >= first_day:
                reminders.append(
                    Reminder(
                        ReminderKind.NOT_ADOPTED_BY_FIRST_DAY,
                        f"{who}: not adopted, and school began on {format_date(first_day)}.",
                        first_day,
                        a.provider_name,
                        a.school_year,
                        a,
                    )
                )
            elif (first_day - today).days <= ADOPTION_DUE_DAYS:
                days = (first_day - today).days
                reminders.append(
                    Reminder(
                        ReminderKind.ADOPTION_DUE,
                        f"{who}: not yet adopted; school begins on {format_date(first_day)} "
                        f"(in {days} day{'s' if days != 1 else ''}).",
                        first_day,
                        a.provider_name,
                        a.school_year,
                        a,
                    )
                )
        if a.expires_on is None:
            continue
        successor = by_provider_year.get((a.provider_id, next_school_year(a.school_year)))
        if successor is not None and successor.adopted_on is not None:
            continue
        days_left = (a.expires_on - today).days
        if 0 <= days_left <= EXPIRY_WARNING_DAYS:
            reminders.append(
                Reminder(
                    ReminderKind.EXPIRING,
                    f"{who}: expires on {format_date(a.expires_on)} (in {days_left} "
                    f"day{'s' if days_left != 1 else ''}); no agreement is adopted for "
                    f"{next_school_year(a.school_year)}.",
                    a.expires_on,
                    a.provider_name,
                    a.school_year,
                    a,
                )
            )
        elif days_left < 0 and parse_school_year(a.school_year) == latest_year[a.provider_id]:
            reminders.append(
                Reminder(
                    ReminderKind.EXPIRED,
                    f"{who}: expired on {format_date(a.expires_on)}; no agreement is adopted "
                    f"for {next_school_year(a.school_year)}.",
                    a.expires_on,
                    a.provider_name,
                    a.school_year,
                    a,
                )
            )
    reminders.sort(key=lambda r: (r.due_on, r.provider_name))
    return reminders


# --------------------------------------------------------------------------- new school year


@dataclass(frozen=True, slots=True)
class AgreementWithChecklist:
    agreement: Agreement
    entries: tuple[ChecklistEntry, ...]


def _shift(value: dt.date | None) -> dt.date | None:
    return None if value is None else add_years(value, 1)


def _roll_title(title: str, year: str, following: str) -> str:
    if year in title:
        return title.replace(year, following)
    start = str(parse_school_year(year))
    if re.search(rf"\b{start}\b", title):
        return re.sub(rf"\b{start}\b", str(int(start) + 1), title)
    return title


def _reference_notes(entry: ChecklistEntry) -> str:
    parts = []
    if entry.status is not ItemStatus.NOT_STARTED:
        parts.append(f"Status: {entry.status}")
    if entry.status is ItemStatus.NOT_APPLICABLE and entry.not_applicable_reason:
        parts.append(f"Reason: {entry.not_applicable_reason}")
    if entry.section:
        parts.append(f"Section: {entry.section}")
    if entry.evidence:
        parts.append(f"Evidence: {entry.evidence}")
    if entry.notes:
        parts.append(f"Notes: {entry.notes}")
    return "; ".join(parts)


def roll_forward(
    year: str,
    agreements: Sequence[AgreementWithChecklist],
    existing: Sequence[Agreement],
    catalog: Sequence[ChecklistItemDefinition],
) -> list[AgreementWithChecklist]:
    """Drafts for the year after ``year``: one per provider with an agreement in ``year`` and
    none yet in the next. Checklists reset; last year's notes kept for reference.

    Pure and idempotent: once the drafts exist (passed back in ``existing``), it returns nothing.
    """
    following = next_school_year(year)
    taken = {a.provider_id for a in existing if a.school_year == following}
    drafts: list[AgreementWithChecklist] = []
    for source in sorted(agreements, key=lambda s: s.agreement.provider_name.lower()):
        old = source.agreement
        if old.school_year != year or old.provider_id in taken:
            continue
        taken.add(old.provider_id)
        by_key = {e.item_key: e for e in source.entries}
        entries = tuple(
            ChecklistEntry(
                item_key=d.key,
                previous_notes=_reference_notes(by_key[d.key]) if d.key in by_key else "",
            )
            for d in catalog
        )
        draft = Agreement(
            school_year=following,
            provider_id=old.provider_id,
            provider_name=old.provider_name,
            title=_roll_title(old.title, year, following),
            effective_on=_shift(old.effective_on),
            expires_on=_shift(old.expires_on),
            adopted_on=None,
            responsible=old.responsible,
            notes="",
            previous_notes=old.notes,
            rolled_from_id=old.id,
        )
        drafts.append(AgreementWithChecklist(draft, entries))
    return drafts
