"""Complaints about safety and security staff: intake, the workflow, and its deadlines.

The district's procedure (Snohomish 4311P in the seeds; other districts differ, so the numbers
are ``ComplaintRules`` settings): a complaint is filed within 10 days of the incident, the
principal investigates and notifies the agency, a written determination is due within 20 school
days of receipt, an appeal to the superintendent is answered within 30 school days, and an
extension needs a written notice giving the reason and the new date.

The workflow is a strict line — received → investigating → determination issued → appealed →
appeal decided → closed (closing straight after the determination when nobody appeals). A step
cannot be skipped, dated before the step it follows, or dated in the future: the record is what a
lawyer would ask for, so it must be the order things really happened in.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.domain.school_calendar import (
    DayUnit,
    DeadlineBasis,
    DeadlineCalculation,
    DistrictCalendar,
    add_calendar_days,
    add_school_days,
    count_school_days,
)


class Channel(StrEnum):
    """How the complaint reached the district."""

    FORM = "District complaint form"
    TIP_LINE = "Anonymous tip line"
    EMAIL = "Email"
    PHONE = "Phone"
    IN_PERSON = "In person"
    AGENCY = "Agency"

    @property
    def received_phrase(self) -> str:
        """How the first history entry reads: 'Received in person', 'Received by email'."""
        return {
            Channel.FORM: "Received on the district complaint form",
            Channel.TIP_LINE: "Received through the anonymous tip line",
            Channel.EMAIL: "Received by email",
            Channel.PHONE: "Received by phone",
            Channel.IN_PERSON: "Received in person",
            Channel.AGENCY: "Received from the agency or company",
        }[self]


class Category(StrEnum):
    """What the complaint is about. RCW 28A.320.1241 counts the first two."""

    JOB_DUTIES = "Job duties"
    STUDENT_INTERACTION = "Student interaction"
    OTHER = "Other"

    @property
    def counted_by_law(self) -> bool:
        """True for the complaints RCW 28A.320.1241 counts: about the staff's job duties or
        their interactions with students. Named, not "everything but Other", so a category
        added later is not counted by the statute until someone decides it is."""
        return self in (Category.JOB_DUTIES, Category.STUDENT_INTERACTION)


class Stage(StrEnum):
    """Where a complaint stands. The order of members is the order of the workflow."""

    RECEIVED = "Received"
    INVESTIGATING = "Investigating"
    DETERMINED = "Determination issued"
    APPEALED = "Appealed"
    APPEAL_DECIDED = "Appeal decided"
    CLOSED = "Closed"


class Finding(StrEnum):
    """The outcome of an investigation or an appeal."""

    SUBSTANTIATED = "Substantiated"
    NOT_SUBSTANTIATED = "Not substantiated"
    INCONCLUSIVE = "Inconclusive"


PENDING = "Pending"
"""The outcome label for a complaint with no determination yet."""


class DeadlineKind(StrEnum):
    """The two written answers the procedure puts a deadline on."""

    DETERMINATION = "Written determination"
    APPEAL = "Appeal decision"


#: The steps that may follow each stage. Closing is allowed only after an answer was given.
NEXT_STAGES: Mapping[Stage, tuple[Stage, ...]] = {
    Stage.RECEIVED: (Stage.INVESTIGATING,),
    Stage.INVESTIGATING: (Stage.DETERMINED,),
    Stage.DETERMINED: (Stage.APPEALED, Stage.CLOSED),
    Stage.APPEALED: (Stage.APPEAL_DECIDED,),
    Stage.APPEAL_DECIDED: (Stage.CLOSED,),
    Stage.CLOSED: (),
}


@dataclass(frozen=True, slots=True)
class ComplaintRules:
    """The district's complaint procedure in numbers (defaults: the seeds' procedure)."""

    filing_window_days: int = 10
    determination_school_days: int = 20
    appeal_school_days: int = 30

    def problems(self) -> list[str]:
        """Why these rules cannot be used, in words."""
        problems = []
        for name, value, low, high in (
            ("The filing window", self.filing_window_days, 1, 365),
            ("The determination deadline", self.determination_school_days, 1, 180),
            ("The appeal deadline", self.appeal_school_days, 1, 180),
        ):
            if not low <= value <= high:
                problems.append(f"{name} must be between {low} and {high} days, not {value}.")
        return problems


def load_complaint_rules(data: Mapping[str, object]) -> ComplaintRules:
    """Rules from the parsed ``complaint_rules.json`` catalog or saved settings.

    Raises ``ValidationError`` naming each bad or missing value.
    """
    values: dict[str, int] = {}
    problems: list[str] = []
    for key in ("filing_window_days", "determination_school_days", "appeal_school_days"):
        raw = data.get(key)
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.append(f"Complaint rule '{key}' must be a whole number of days.")
        else:
            values[key] = raw
    if problems:
        raise ValidationError(problems)
    rules = ComplaintRules(**values)
    if rules.problems():
        raise ValidationError(rules.problems())
    return rules


@dataclass(frozen=True, slots=True)
class InvolvedStaff:
    """A staff member named in a complaint (an id from the roster and the name shown)."""

    staff_id: int
    name: str


@dataclass(frozen=True, slots=True)
class StepEntry:
    """One workflow step: what happened, on what date, entered by whom."""

    stage: Stage
    on: dt.date
    by: str
    detail: str = ""


@dataclass(frozen=True, slots=True)
class Extension:
    """A written extension notice: required before a deadline may move."""

    deadline: DeadlineKind
    notice_date: dt.date
    reason: str
    new_due: dt.date
    by: str
    previous_due: dt.date | None = None

    @property
    def late_notice(self) -> bool:
        """True when the notice went out after the deadline it extends had passed."""
        return self.previous_due is not None and self.notice_date > self.previous_due


@dataclass(frozen=True, slots=True)
class Complaint:
    """A complaint and everything that has happened to it."""

    received_on: dt.date
    channel: Channel
    category: Category
    building: str
    description: str
    incident_date: dt.date | None = None
    anonymous: bool = False
    complainant_name: str = ""
    complainant_contact: str = ""
    language_assistance: bool = False
    language: str = ""
    staff: tuple[InvolvedStaff, ...] = ()
    id: int | None = None
    stage: Stage = Stage.RECEIVED
    investigator: str = ""
    investigation_started_on: dt.date | None = None
    agency_notified_on: dt.date | None = None
    determination_on: dt.date | None = None
    finding: Finding | None = None
    determination_summary: str = ""
    appeal_received_on: dt.date | None = None
    appellant: str = ""
    appeal_decided_on: dt.date | None = None
    appeal_finding: Finding | None = None
    appeal_summary: str = ""
    closed_on: dt.date | None = None
    closure_note: str = ""
    extensions: tuple[Extension, ...] = ()
    history: tuple[StepEntry, ...] = ()
    building_id: int | None = None

    @property
    def reference(self) -> str:
        """'Complaint 12' — how letters and lists name it."""
        return f"Complaint {self.id}" if self.id is not None else "New complaint"

    @property
    def complainant_display(self) -> str:
        """The complainant's name, or 'Anonymous'."""
        return "Anonymous" if self.anonymous else self.complainant_name

    @property
    def is_open(self) -> bool:
        """Not yet closed."""
        return self.stage is not Stage.CLOSED

    @property
    def last_step_date(self) -> dt.date:
        """The date of the latest step; a new step may not be dated before it."""
        return max([self.received_on, *(s.on for s in self.history)])

    @property
    def outcome(self) -> str:
        """The standing outcome: the appeal's finding if decided, else the determination."""
        if self.appeal_finding is not None:
            return self.appeal_finding.value
        if self.finding is not None:
            return self.finding.value
        return PENDING


def filing_deadline(incident_date: dt.date, rules: ComplaintRules) -> dt.date:
    """The last day a complaint about an incident is on time (calendar days)."""
    due = add_calendar_days(incident_date, rules.filing_window_days).due
    assert due is not None  # calendar-day arithmetic always resolves
    return due


def is_late_filing(complaint: Complaint, rules: ComplaintRules) -> bool:
    """True when received after the filing window. Late complaints are accepted, only flagged."""
    if complaint.incident_date is None:
        return False
    return complaint.received_on > filing_deadline(complaint.incident_date, rules)


def late_filing_note(complaint: Complaint, rules: ComplaintRules) -> str | None:
    """A sentence explaining the late-filing flag, or ``None`` when on time or undated."""
    if complaint.incident_date is None or not is_late_filing(complaint, rules):
        return None
    days = (complaint.received_on - complaint.incident_date).days
    return (
        f"Filed late: received {format_date(complaint.received_on)}, {days} days after the "
        f"incident on {format_date(complaint.incident_date)} (the procedure asks for "
        f"{rules.filing_window_days}). Accepted and investigated all the same."
    )


def intake_problems(complaint: Complaint, today: dt.date) -> list[str]:
    """Every reason an intake cannot be saved, in words (empty when it can)."""
    problems: list[str] = []
    if complaint.received_on > today:
        problems.append(
            f"The date received ({format_date(complaint.received_on)}) is in the future."
        )
    if complaint.incident_date is not None and complaint.incident_date > complaint.received_on:
        problems.append(
            f"The incident date ({format_date(complaint.incident_date)}) is after the date "
            f"the complaint was received ({format_date(complaint.received_on)})."
        )
    if not complaint.anonymous and not complaint.complainant_name.strip():
        problems.append("Enter the complainant's name, or mark the complaint anonymous.")
    if complaint.anonymous and complaint.complainant_name.strip():
        problems.append("An anonymous complaint cannot carry a complainant name.")
    if complaint.language_assistance and not complaint.language.strip():
        problems.append("Language assistance is needed: say which language.")
    if not complaint.building.strip():
        problems.append("Choose the building where the incident happened.")
    if not complaint.description.strip():
        problems.append("Describe what the complaint is about.")
    warning = immigration_warning(complaint.description)
    if warning:
        problems.append(warning)
    return problems


def new_complaint(complaint: Complaint, by: str, today: dt.date) -> Complaint:
    """A validated intake at stage Received, with its first history entry.

    Raises ``ValidationError`` listing every problem; a late filing is *not* a problem.
    """
    problems = intake_problems(complaint, today)
    if not by.strip():
        problems.append("The person entering the complaint must be named.")
    if problems:
        raise ValidationError(problems)
    entry = StepEntry(Stage.RECEIVED, complaint.received_on, by.strip(),
                      complaint.channel.received_phrase)
    return replace(
        complaint,
        stage=Stage.RECEIVED,
        complainant_name="" if complaint.anonymous else complaint.complainant_name.strip(),
        complainant_contact="" if complaint.anonymous else complaint.complainant_contact.strip(),
        language="" if not complaint.language_assistance else complaint.language.strip(),
        history=(entry,),
    )


def _check_step(
    complaint: Complaint, to: Stage, on: dt.date, by: str, today: dt.date
) -> list[str]:
    if to not in NEXT_STAGES[complaint.stage]:
        allowed = " or ".join(s.value.lower() for s in NEXT_STAGES[complaint.stage])
        if not allowed:
            raise RuleViolation(f"{complaint.reference} is closed; no further steps can be taken.")
        raise RuleViolation(
            f"{complaint.reference} is at '{complaint.stage.value}'; the next step must be "
            f"{allowed}, not '{to.value.lower()}'. Steps cannot be skipped."
        )
    problems: list[str] = []
    if on < complaint.last_step_date:
        problems.append(
            f"The date {format_date(on)} is before the previous step "
            f"({format_date(complaint.last_step_date)}). Steps cannot be back-dated."
        )
    if on > today:
        problems.append(f"The date {format_date(on)} is in the future.")
    if not by.strip():
        problems.append("Say who took this step.")
    return problems


def _raise(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def _advance(complaint: Complaint, to: Stage, on: dt.date, by: str, detail: str,
             **changes: object) -> Complaint:
    entry = StepEntry(to, on, by.strip(), detail)
    return replace(complaint, stage=to, history=(*complaint.history, entry), **changes)  # type: ignore[arg-type]


def start_investigation(
    complaint: Complaint, on: dt.date, by: str, investigator: str,
    agency_notified_on: dt.date | None, today: dt.date,
) -> Complaint:
    """Received → Investigating: who investigates and when the agency was told."""
    problems = _check_step(complaint, Stage.INVESTIGATING, on, by, today)
    if not investigator.strip():
        problems.append("Name the investigator (the principal or designee).")
    if agency_notified_on is not None:
        if agency_notified_on < complaint.received_on:
            problems.append(
                f"The agency cannot have been notified ({format_date(agency_notified_on)}) "
                f"before the complaint was received ({format_date(complaint.received_on)})."
            )
        if agency_notified_on > today:
            problems.append(f"The agency notice date {format_date(agency_notified_on)} is in "
                            "the future.")
    _raise(problems)
    detail = f"Investigator: {investigator.strip()}"
    if agency_notified_on:
        detail += f"; agency notified {format_date(agency_notified_on)}"
    return _advance(complaint, Stage.INVESTIGATING, on, by, detail,
                    investigator=investigator.strip(), investigation_started_on=on,
                    agency_notified_on=agency_notified_on)


def record_agency_notice(
    complaint: Complaint, notified_on: dt.date, today: dt.date
) -> Complaint:
    """Record the agency notice date later, when it was not known at the start."""
    if complaint.stage is Stage.RECEIVED:
        raise RuleViolation("Start the investigation before recording the agency notice.")
    problems = []
    if notified_on < complaint.received_on:
        problems.append(f"The agency cannot have been notified ({format_date(notified_on)}) "
                        f"before the complaint was received ({format_date(complaint.received_on)}).")
    if notified_on > today:
        problems.append(f"The agency notice date {format_date(notified_on)} is in the future.")
    _raise(problems)
    return replace(complaint, agency_notified_on=notified_on)


def issue_determination(
    complaint: Complaint, on: dt.date, by: str, finding: Finding, summary: str, today: dt.date
) -> Complaint:
    """Investigating → Determination issued, with the finding and a written summary."""
    problems = _check_step(complaint, Stage.DETERMINED, on, by, today)
    if not summary.strip():
        problems.append("Write a summary of the determination.")
    _raise(problems)
    return _advance(complaint, Stage.DETERMINED, on, by, f"Finding: {finding.value}",
                    determination_on=on, finding=finding, determination_summary=summary.strip())


def record_appeal(
    complaint: Complaint, on: dt.date, by: str, appellant: str, today: dt.date
) -> Complaint:
    """Determination issued → Appealed: the day the superintendent received the appeal."""
    problems = _check_step(complaint, Stage.APPEALED, on, by, today)
    if not appellant.strip():
        problems.append("Say who appealed (for example: the complainant).")
    _raise(problems)
    return _advance(complaint, Stage.APPEALED, on, by, f"Appeal by {appellant.strip()}",
                    appeal_received_on=on, appellant=appellant.strip())


def decide_appeal(
    complaint: Complaint, on: dt.date, by: str, finding: Finding, summary: str, today: dt.date
) -> Complaint:
    """Appealed → Appeal decided: the superintendent's finding and written response."""
    problems = _check_step(complaint, Stage.APPEAL_DECIDED, on, by, today)
    if not summary.strip():
        problems.append("Write a summary of the appeal decision.")
    _raise(problems)
    verdict = "upheld" if finding is complaint.finding else "changed"
    return _advance(complaint, Stage.APPEAL_DECIDED, on, by,
                    f"Determination {verdict}: {finding.value}",
                    appeal_decided_on=on, appeal_finding=finding, appeal_summary=summary.strip())


def close_complaint(
    complaint: Complaint, on: dt.date, by: str, note: str, today: dt.date
) -> Complaint:
    """Determination issued or appeal decided → Closed."""
    problems = _check_step(complaint, Stage.CLOSED, on, by, today)
    _raise(problems)
    return _advance(complaint, Stage.CLOSED, on, by, note.strip() or "Closed",
                    closed_on=on, closure_note=note.strip())


# ----------------------------------------------------------------------------------- deadlines


def active_deadline_kind(complaint: Complaint) -> DeadlineKind | None:
    """Which written answer the complaint is waiting for, if any."""
    if complaint.stage in (Stage.RECEIVED, Stage.INVESTIGATING):
        return DeadlineKind.DETERMINATION
    if complaint.stage is Stage.APPEALED:
        return DeadlineKind.APPEAL
    return None


def deadline_basis(complaint: Complaint, kind: DeadlineKind, rules: ComplaintRules
                   ) -> DeadlineBasis | None:
    """What the statutory deadline of ``kind`` is counted from (``None`` before an appeal)."""
    key = f"{complaint.id}:{kind.name}"
    label = f"{complaint.reference}, {kind.value.lower()}"
    if kind is DeadlineKind.DETERMINATION:
        return DeadlineBasis(key, label, complaint.received_on, rules.determination_school_days,
                             DayUnit.SCHOOL)
    if complaint.appeal_received_on is None:
        return None
    return DeadlineBasis(key, label, complaint.appeal_received_on, rules.appeal_school_days,
                         DayUnit.SCHOOL)


def counted_deadline(
    complaint: Complaint, kind: DeadlineKind, calendar: DistrictCalendar, rules: ComplaintRules
) -> DeadlineCalculation | None:
    """The deadline counted in school days from receipt (ignores extensions)."""
    basis = deadline_basis(complaint, kind, rules)
    if basis is None:
        return None
    return add_school_days(calendar, basis.start, basis.amount)


def latest_extension(complaint: Complaint, kind: DeadlineKind) -> Extension | None:
    """The extension notice now in force for ``kind``, if any."""
    found = [e for e in complaint.extensions if e.deadline is kind]
    return found[-1] if found else None


@dataclass(frozen=True, slots=True)
class DueDate:
    """A deadline in force: the counted date, or the date set by an extension notice."""

    kind: DeadlineKind
    due: dt.date | None
    calculation: DeadlineCalculation
    extension: Extension | None = None

    def explanation(self) -> str:
        """How the date was reached, in sentences, including any extension."""
        text = self.calculation.explanation()
        if self.extension is not None:
            text += (
                f" Extended by written notice of {format_date(self.extension.notice_date)} to "
                f"{format_date(self.extension.new_due)}: {self.extension.reason}"
            )
        return text


def due_date(
    complaint: Complaint, kind: DeadlineKind, calendar: DistrictCalendar, rules: ComplaintRules
) -> DueDate | None:
    """The deadline of ``kind`` in force now (``None`` for an appeal not yet received)."""
    calc = counted_deadline(complaint, kind, calendar, rules)
    if calc is None:
        return None
    ext = latest_extension(complaint, kind)
    return DueDate(kind, ext.new_due if ext else calc.due, calc, ext)


def answered_on(complaint: Complaint, kind: DeadlineKind) -> dt.date | None:
    """When the written answer of ``kind`` was issued, if it has been."""
    return complaint.determination_on if kind is DeadlineKind.DETERMINATION \
        else complaint.appeal_decided_on


def add_extension(
    complaint: Complaint, notice_date: dt.date, reason: str, new_due: dt.date, by: str,
    calendar: DistrictCalendar, rules: ComplaintRules, today: dt.date,
) -> Complaint:
    """Extend the deadline now running, by written notice with a reason and a new date.

    A notice sent after the deadline passed is recorded truthfully and flagged late.
    """
    kind = active_deadline_kind(complaint)
    if kind is None:
        raise RuleViolation(
            f"{complaint.reference} is at '{complaint.stage.value}': no deadline is running, "
            "so there is nothing to extend."
        )
    current = due_date(complaint, kind, calendar, rules)
    assert current is not None  # an active deadline always has a basis
    problems: list[str] = []
    if not reason.strip():
        problems.append("An extension notice must give the reason for the extension.")
    if not by.strip():
        problems.append("Say who sent the extension notice.")
    if notice_date < complaint.last_step_date:
        problems.append(f"The notice date {format_date(notice_date)} is before the last step "
                        f"({format_date(complaint.last_step_date)}).")
    if notice_date > today:
        problems.append(f"The notice date {format_date(notice_date)} is in the future.")
    if current.due is not None and new_due <= current.due:
        problems.append(f"The new date ({format_date(new_due)}) must be after the current "
                        f"deadline ({format_date(current.due)}).")
    if new_due <= notice_date:
        problems.append("The new date must be after the notice date.")
    if calendar.is_school_day(new_due) is False:
        why = calendar.why_not_school_day(new_due) or "not a school day"
        problems.append(f"The new date {format_date(new_due)} is not a school day ({why}).")
    _raise(problems)
    ext = Extension(kind, notice_date, reason.strip(), new_due, by.strip(), current.due)
    return replace(complaint, extensions=(*complaint.extensions, ext))


EXTENSION_SUGGESTED_SCHOOL_DAYS = 5
"""How far past the later of the notice and the current deadline a new date is suggested."""


def suggested_extension_date(
    current_due: dt.date | None, notice_date: dt.date, calendar: DistrictCalendar
) -> dt.date:
    """A new date ``add_extension`` accepts, to offer as the default: a school day
    ``EXTENSION_SUGGESTED_SCHOOL_DAYS`` school days after the later of the notice date and the
    current deadline (a week of calendar days when the calendar cannot count that far)."""
    start = max(notice_date, current_due) if current_due is not None else notice_date
    counted = add_school_days(calendar, start, EXTENSION_SUGGESTED_SCHOOL_DAYS).due
    return counted or start + dt.timedelta(days=7)


def extension_note(
    kind: DeadlineKind, current_due: dt.date | None, notice_date: dt.date,
    calendar: DistrictCalendar,
) -> str | None:
    """A warning for an extension notice sent once the deadline it extends has passed."""
    if current_due is None or notice_date <= current_due:
        return None
    late = count_school_days(calendar, current_due, notice_date)
    by = f" ({late} school day{'s' if late != 1 else ''} before this notice)" if late else ""
    return (f"The {kind.value.lower()} deadline already passed on {format_date(current_due)}"
            f"{by}. The notice will be recorded as sent after the deadline had passed, and "
            "the complaint file will say so.")


@dataclass(frozen=True, slots=True)
class BoardItem:
    """One open complaint on the board: the next deadline and how many school days remain."""

    complaint: Complaint
    due: DueDate | None
    days_left: int | None
    overdue: bool

    @property
    def status(self) -> str:
        """'5 school days left', 'Due today', 'Overdue by 3 school days', or why no deadline."""
        if self.due is None:
            if self.complaint.stage is Stage.APPEAL_DECIDED:
                return "Appeal decided: ready to close"
            return "Determination issued: awaiting appeal or closure"
        if self.due.due is None:
            return "Deadline unknown: calendar missing"
        if self.overdue:
            n = -(self.days_left or 0)
            return f"Overdue by {n} school day{'s' if n != 1 else ''}" if n else "Overdue"
        if self.days_left == 0:
            return "Due today"
        if self.days_left is None:
            return f"Due {format_date(self.due.due)}"
        return f"{self.days_left} school day{'s' if self.days_left != 1 else ''} left"


def board_item(
    complaint: Complaint, calendar: DistrictCalendar, rules: ComplaintRules, today: dt.date
) -> BoardItem:
    """Where one complaint stands against its running deadline on ``today``."""
    kind = active_deadline_kind(complaint)
    due = due_date(complaint, kind, calendar, rules) if kind else None
    if due is None or due.due is None:
        return BoardItem(complaint, due, None, False)
    return BoardItem(complaint, due, count_school_days(calendar, today, due.due),
                     today > due.due)


def board(
    complaints: Iterable[Complaint], calendar: DistrictCalendar, rules: ComplaintRules,
    today: dt.date,
) -> list[BoardItem]:
    """Open complaints, overdue first, then by the nearest deadline; no deadline last."""
    items = [board_item(c, calendar, rules, today) for c in complaints if c.is_open]

    def order(item: BoardItem) -> tuple[int, dt.date, int]:
        due = item.due.due if item.due else None
        if item.overdue and due is not None:
            return (0, due, item.complaint.id or 0)
        if due is not None:
            return (1, due, item.complaint.id or 0)
        if item.due is not None:  # running but not computable: needs attention
            return (2, dt.date.max, item.complaint.id or 0)
        return (3, dt.date.max, item.complaint.id or 0)

    return sorted(items, key=order)


def overdue_count(items: Iterable[BoardItem]) -> int:
    """How many board items are past their deadline (the tab title shows it)."""
    return sum(1 for item in items if item.overdue)


def running_deadline_bases(
    complaints: Iterable[Complaint], rules: ComplaintRules
) -> list[DeadlineBasis]:
    """Counted deadlines still running (not extended), for recomputing after a closure."""
    bases = []
    for complaint in complaints:
        kind = active_deadline_kind(complaint)
        if kind is None or latest_extension(complaint, kind) is not None:
            continue
        basis = deadline_basis(complaint, kind, rules)
        if basis is not None:
            bases.append(basis)
    return bases
