"""Principal–SRO meetings, their cadence, and the prevention activity log.

The seeds ask principals to meet the SRO formally at least every two weeks and informally at
least weekly ("Principals will meet formally with the SRO at least bi-weekly and informally, at a
minimum, weekly", Snohomish SRO Procedures, Training). The defaults here (district settings) are
formal every 14 calendar days and informal contact in every calendar week (Monday to Sunday) that
holds at least one school day: a week with no contact is missed, wherever it falls, and a week
of break with no school day asks for nothing. A district that writes its own informal rule may
instead count school days between contacts (``informal_weekly = False``). The formal cadence keeps
its own rule. Readings decided here and documented because a principal will ask about them:

* A formal meeting also counts as informal contact — it is at least as much contact.
* A meeting cannot be expected on a day school is closed, so a formal deadline that lands on a
  weekend, holiday or break moves to the next school day (winter break is not a broken cadence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.domain.school_calendar import ONE_DAY, SchoolCalendar


class MeetingKind(StrEnum):
    """Formal (scheduled, minuted) or informal (check-in) meeting."""

    FORMAL = "Formal"
    INFORMAL = "Informal"


class ActivityKind(StrEnum):
    """Prevention work that keeps students out of the justice system."""

    PRESENTATION = "Classroom presentation"
    MENTORING = "Mentoring"
    FAMILY_NIGHT = "Family night"
    RESTORATIVE_CIRCLE = "Restorative circle"
    THREAT_ASSESSMENT = "Threat-assessment team meeting"
    OTHER = "Other prevention activity"


@dataclass(frozen=True, slots=True)
class CadenceRules:
    """How often a principal must meet each staff member (district settings)."""

    formal_every_days: int = 14
    informal_every_school_days: int = 7
    informal_weekly: bool = True

    @property
    def informal_rule(self) -> str:
        """The informal rule in words: "every calendar week with a school day"."""
        if self.informal_weekly:
            return "every calendar week with a school day"
        return f"every {self.informal_every_school_days} school days"

    def problems(self) -> list[str]:
        """Why these settings cannot be used, in words."""
        problems = []
        if not 1 <= self.formal_every_days <= 90:
            problems.append("Formal meetings must be required every 1 to 90 days.")
        if not 1 <= self.informal_every_school_days <= 60:
            problems.append("Informal meetings must be required every 1 to 60 school days.")
        return problems


def load_cadence_rules(data: Mapping[str, object]) -> CadenceRules:
    """Cadence settings from the parsed catalog's ``meeting_cadence`` object."""
    values: dict[str, int] = {}
    problems: list[str] = []
    for key in ("formal_every_days", "informal_every_school_days"):
        raw = data.get(key)
        if isinstance(raw, bool) or not isinstance(raw, int):
            problems.append(f"Meeting cadence '{key}' must be a whole number of days.")
        else:
            values[key] = raw
    if problems:
        raise ValidationError(problems)
    weekly = data.get("informal_weekly", True)
    if not isinstance(weekly, bool):
        raise ValidationError("Meeting cadence 'informal_weekly' must be true or false.")
    rules = CadenceRules(**values, informal_weekly=weekly)
    if rules.problems():
        raise ValidationError(rules.problems())
    return rules


@dataclass(frozen=True, slots=True)
class SupervisionMeeting:
    """One principal–staff meeting."""

    on: dt.date
    kind: MeetingKind
    principal: str
    staff_id: int
    staff_name: str
    building: str
    topics: str = ""
    notes: str = ""
    id: int | None = None
    building_id: int | None = None


def meeting_problems(meeting: SupervisionMeeting, today: dt.date) -> list[str]:
    """Every reason a meeting entry cannot be saved, in words."""
    problems = []
    if meeting.on > today:
        problems.append(f"The meeting date {format_date(meeting.on)} is in the future.")
    if not meeting.principal.strip():
        problems.append("Name the principal (or designee) who met.")
    if not meeting.building.strip():
        problems.append("Choose the building.")
    for text in (meeting.topics, meeting.notes):
        warning = immigration_warning(text)
        if warning:
            problems.append(warning)
            break
    return problems


@dataclass(frozen=True, slots=True)
class CadenceGap:
    """A stretch in which the required meeting did not happen."""

    kind: MeetingKind
    last_met: dt.date | None
    due_by: dt.date
    next_met: dt.date | None
    rule: str
    week_of: dt.date | None = None

    @property
    def ongoing(self) -> bool:
        """True when no meeting has happened since the gap opened."""
        return self.next_met is None

    def describe(self) -> str:
        """'No formal meeting from 2 September 2025 (due by 16 September) until 30 September'."""
        if self.week_of is not None:
            last = (f"last met {format_date(self.last_met)}" if self.last_met
                    else "none before it this year")
            following = (f"next met {format_date(self.next_met)}" if self.next_met
                         else "none since")
            return (f"No {self.kind.value.lower()} contact in the week of "
                    f"{format_date(self.week_of)} ({self.rule}); {last}; {following}.")
        since = (f"after the meeting on {format_date(self.last_met)}" if self.last_met
                 else "since the start of the school year")
        until = (f"next met {format_date(self.next_met)}" if self.next_met
                 else "none since")
        return (f"{self.kind.value} meeting {since} was due by {format_date(self.due_by)} "
                f"({self.rule}); {until}.")


def _next_school_day_on_or_after(calendar: SchoolCalendar, day: dt.date) -> dt.date | None:
    while day <= calendar.last_day:
        if calendar.is_school_day(day):
            return day
        day += ONE_DAY
    return None


def _nth_school_day_after(calendar: SchoolCalendar, day: dt.date, n: int) -> dt.date | None:
    counted = 0
    while counted < n:
        day += ONE_DAY
        if day > calendar.last_day:
            return None
        if calendar.is_school_day(day):
            counted += 1
    return day


def _due_after(kind: MeetingKind, last: dt.date, calendar: SchoolCalendar,
               rules: CadenceRules) -> dt.date | None:
    if kind is MeetingKind.FORMAL:
        return _next_school_day_on_or_after(
            calendar, last + dt.timedelta(days=rules.formal_every_days))
    return _nth_school_day_after(calendar, last, rules.informal_every_school_days)


def cadence_gaps(
    meetings: Iterable[SupervisionMeeting], calendar: SchoolCalendar, rules: CadenceRules,
    through: dt.date, start: dt.date | None = None,
) -> list[CadenceGap]:
    """Gaps that broke the cadence for one staff member in one school year.

    Counting starts at ``start`` (the first day of school, or the staff member's first day in
    the building) and checks up to ``through`` (today, or the last day for a past year). The
    first meeting of each kind is due one interval after the start.
    """
    begin = max(start or calendar.first_day, calendar.first_day)
    end = min(through, calendar.last_day)
    gaps: list[CadenceGap] = []
    for kind in MeetingKind:
        if kind is MeetingKind.INFORMAL and rules.informal_weekly:
            gaps.extend(missed_weeks(meetings, calendar, begin, end, through))
            continue
        counts = (MeetingKind.FORMAL,) if kind is MeetingKind.FORMAL else tuple(MeetingKind)
        dates = sorted({m.on for m in meetings if m.kind in counts and begin <= m.on <= end})
        rule = (f"every {rules.formal_every_days} days" if kind is MeetingKind.FORMAL
                else f"every {rules.informal_every_school_days} school days")
        last: dt.date | None = None
        anchor = begin - ONE_DAY if kind is MeetingKind.INFORMAL else begin
        for met in [*dates, None]:
            due = _due_after(kind, last if last else anchor, calendar, rules)
            if due is None:
                break  # the year ends before another meeting is due
            if met is None:
                if end > due:
                    gaps.append(CadenceGap(kind, last, due, None, rule))
                break
            if met > due:
                gaps.append(CadenceGap(kind, last, due, met, rule))
            last = met
    return sorted(gaps, key=lambda g: (g.due_by, g.kind.value))


WEEKLY_RULE = "at least weekly (Snohomish SRO Procedures)"


def missed_weeks(
    meetings: Iterable[SupervisionMeeting], calendar: SchoolCalendar, begin: dt.date,
    end: dt.date, through: dt.date,
) -> list[CadenceGap]:
    """Every calendar week (Monday to Sunday) from ``begin`` to ``end`` that holds at least one
    school day and no contact of either kind (a formal meeting is contact too).

    A week is judged once ``through`` is past its last school day: the week still under way
    today (contact may yet happen today) is not missed yet. Each gap is dated by the week's
    Monday, is due by its last school day, and names the contact before and after it.
    """
    dates = sorted({m.on for m in meetings if begin <= m.on <= end})
    gaps: list[CadenceGap] = []
    monday = begin - dt.timedelta(days=begin.weekday())
    while monday <= end:
        week = [monday + dt.timedelta(days=i) for i in range(7)]
        school = [d for d in week if begin <= d <= calendar.last_day
                  and calendar.is_school_day(d)]
        if school and school[-1] < through and not any(week[0] <= d <= week[-1] for d in dates):
            last = max((d for d in dates if d < week[0]), default=None)
            following = min((d for d in dates if d > week[-1]), default=None)
            gaps.append(CadenceGap(MeetingKind.INFORMAL, last, school[-1], following,
                                   WEEKLY_RULE, week_of=monday))
        monday += dt.timedelta(days=7)
    return gaps


@dataclass(frozen=True, slots=True)
class StaffCadence:
    """One staff member's meeting record in a school year."""

    staff_id: int
    staff_name: str
    building: str
    formal_count: int
    informal_count: int
    gaps: tuple[CadenceGap, ...]

    @property
    def on_cadence(self) -> bool:
        """True when no gap broke the cadence."""
        return not self.gaps


def staff_cadence(
    staff_id: int, staff_name: str, building: str, meetings: Iterable[SupervisionMeeting],
    calendar: SchoolCalendar, rules: CadenceRules, through: dt.date,
    start: dt.date | None = None,
) -> StaffCadence:
    """Counts and gaps for one staff member (meetings of other staff are ignored)."""
    mine = [m for m in meetings if m.staff_id == staff_id and calendar.covers(m.on)]
    return StaffCadence(
        staff_id, staff_name, building,
        sum(1 for m in mine if m.kind is MeetingKind.FORMAL),
        sum(1 for m in mine if m.kind is MeetingKind.INFORMAL),
        tuple(cadence_gaps(mine, calendar, rules, through, start)),
    )


@dataclass(frozen=True, slots=True)
class PreventionActivity:
    """One piece of prevention work: a presentation, a circle, a family night."""

    on: dt.date
    building: str
    kind: ActivityKind
    participants: int
    notes: str = ""
    staff_id: int | None = None
    id: int | None = None
    building_id: int | None = None
    staff_name: str = ""


def activity_problems(activity: PreventionActivity, today: dt.date) -> list[str]:
    """Every reason an activity entry cannot be saved, in words."""
    problems = []
    if activity.on > today:
        problems.append(f"The activity date {format_date(activity.on)} is in the future.")
    if not activity.building.strip():
        problems.append("Choose the building.")
    if activity.participants < 0:
        problems.append("The number of participants cannot be negative.")
    if activity.participants > 100_000:
        problems.append("The number of participants looks wrong (more than 100,000).")
    warning = immigration_warning(activity.notes)
    if warning:
        problems.append(warning)
    return problems


def count_activities(activities: Iterable[PreventionActivity], start: dt.date, end: dt.date
                     ) -> dict[str, int]:
    """Number of activities of each kind held from ``start`` to ``end`` inclusive.

    Every kind appears, with zero when none were held, so the annual report's table is stable.
    """
    counts = {kind.value: 0 for kind in ActivityKind}
    for activity in activities:
        if start <= activity.on <= end:
            counts[activity.kind.value] += 1
    return counts

