"""Use cases for complaints, the district calendar, supervision meetings and prevention work.

Each function loads what it needs, lets the domain rules decide, and stores the result in one
transaction. Calendar changes recompute every running deadline in the same transaction, and
each moved deadline is listed ("deadline moved from 3 March 2026 to 4 March 2026: Snow day
12 February 2026") and audited.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain import complaints as rules_mod
from sro_desk.domain.complaint_letters import (
    LetterKind,
    letter_values,
    render_letter,
    step_date,
    template_problems,
)
from sro_desk.domain.complaint_summary import public_complaint_summary
from sro_desk.domain.complaints import (
    BoardItem,
    Complaint,
    ComplaintRules,
    Finding,
    board,
    load_complaint_rules,
    new_complaint,
    running_deadline_bases,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.meetings import (
    CadenceRules,
    PreventionActivity,
    StaffCadence,
    SupervisionMeeting,
    activity_problems,
    load_cadence_rules,
    meeting_problems,
    staff_cadence,
)
from sro_desk.domain.roster import Role, StaffStatus
from sro_desk.domain.school_calendar import (
    DeadlineChange,
    DistrictCalendar,
    NonSchoolDay,
    add_school_days,
    recompute_deadlines,
)
from sro_desk.store import calendar_repo, complaint_repo, meeting_repo, roster_repo, settings
from sro_desk.store.audit import current_actor
from sro_desk.store.base import database_proxy

RULES_SETTING = "complaints.rules"
CADENCE_SETTING = "complaints.meeting_cadence"


def catalog() -> dict[str, Any]:
    """The shipped defaults (``resources/catalogs/complaint_rules.json``)."""
    path = resources.files("sro_desk.resources") / "catalogs" / "complaint_rules.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def complaint_rules() -> ComplaintRules:
    """The district's rules: saved settings, else the catalog defaults from the seeds."""
    saved = settings.get_setting(RULES_SETTING)
    return load_complaint_rules(saved if isinstance(saved, dict) else catalog())


def save_complaint_rules(rules: ComplaintRules, *, reason: str = "") -> list[str]:
    """Change the deadlines (audited). Running deadlines follow the new numbers; each one
    that moves is listed and recorded, as for a calendar change. Returns the moves in words."""
    if rules.problems():
        raise ValidationError(rules.problems())
    with database_proxy.atomic():
        old = complaint_rules()
        calendar = calendar_repo.load_district_calendar()
        open_now = complaint_repo.open_complaints()
        settings.set_setting(RULES_SETTING, {
            "filing_window_days": rules.filing_window_days,
            "determination_school_days": rules.determination_school_days,
            "appeal_school_days": rules.appeal_school_days,
        }, reason=reason)
        before = {b.key: b for b in running_deadline_bases(open_now, old)}
        moves: list[str] = []
        for basis in running_deadline_bases(open_now, rules):
            was = before[basis.key]
            if was.amount == basis.amount:
                continue
            old_due = add_school_days(calendar, was.start, was.amount).due
            new_due = add_school_days(calendar, basis.start, basis.amount).due
            text = (f"{basis.label}: deadline moved from "
                    f"{format_date(old_due) or 'not yet computable'} to "
                    f"{format_date(new_due) or 'not yet computable'}: the district changed the "
                    f"rule from {was.amount} to {basis.amount} school days")
            complaint_repo.record_deadline_change(int(basis.key.split(":", 1)[0]), old_due,
                                                  new_due, text, reason="Complaint rules changed")
            moves.append(text)
    return moves


def cadence_rules() -> CadenceRules:
    """Meeting cadence settings, else the catalog defaults."""
    saved = settings.get_setting(CADENCE_SETTING)
    return load_cadence_rules(saved if isinstance(saved, dict) else catalog()["meeting_cadence"])


def save_cadence_rules(rules: CadenceRules, *, reason: str = "") -> CadenceRules:
    if rules.problems():
        raise ValidationError(rules.problems())
    settings.set_setting(CADENCE_SETTING, {
        "formal_every_days": rules.formal_every_days,
        "informal_every_school_days": rules.informal_every_school_days,
        "informal_weekly": rules.informal_weekly,
    }, reason=reason)
    return rules


def _today(today: dt.date | None) -> dt.date:
    return today or clock.today()


# ---------------------------------------------------------------------------- complaints


def file_complaint(draft: Complaint, *, today: dt.date | None = None) -> Complaint:
    """Intake: validate, record who entered it, store. A late filing is flagged, not refused."""
    checked = new_complaint(draft, current_actor(), _today(today))
    return complaint_repo.create_complaint(checked, reason="Complaint received")


def correct_intake(complaint: Complaint, *, reason: str, today: dt.date | None = None
                   ) -> Complaint:
    """Fix intake details of a saved complaint; the received date cannot move past a step."""
    stored = complaint_repo.get_complaint(complaint.id or 0)
    problems = rules_mod.intake_problems(complaint, _today(today))
    later = [s.on for s in stored.history[1:]]
    if later and complaint.received_on > min(later):
        problems.append("The date received cannot be after a later step of the complaint.")
    if not reason.strip():
        problems.append("Say why the intake is being corrected.")
    if problems:
        raise ValidationError(problems)
    return complaint_repo.update_intake(complaint, reason=reason)


def start_investigation(complaint_id: int, on: dt.date, investigator: str,
                        agency_notified_on: dt.date | None, *, today: dt.date | None = None
                        ) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(
        rules_mod.start_investigation(c, on, current_actor(), investigator, agency_notified_on,
                                      _today(today)), reason="Investigation started")


def record_agency_notice(complaint_id: int, on: dt.date, *, today: dt.date | None = None
                         ) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(rules_mod.record_agency_notice(c, on, _today(today)),
                                        reason="Agency notice recorded")


def issue_determination(complaint_id: int, on: dt.date, finding: Finding, summary: str, *,
                        today: dt.date | None = None) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(
        rules_mod.issue_determination(c, on, current_actor(), finding, summary, _today(today)),
        reason="Determination issued")


def record_appeal(complaint_id: int, on: dt.date, appellant: str, *,
                  today: dt.date | None = None) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(
        rules_mod.record_appeal(c, on, current_actor(), appellant, _today(today)),
        reason="Appeal received")


def decide_appeal(complaint_id: int, on: dt.date, finding: Finding, summary: str, *,
                  today: dt.date | None = None) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(
        rules_mod.decide_appeal(c, on, current_actor(), finding, summary, _today(today)),
        reason="Appeal decided")


def close_complaint(complaint_id: int, on: dt.date, note: str, *,
                    today: dt.date | None = None) -> Complaint:
    c = complaint_repo.get_complaint(complaint_id)
    return complaint_repo.save_progress(
        rules_mod.close_complaint(c, on, current_actor(), note, _today(today)),
        reason="Complaint closed")


def extend_deadline(complaint_id: int, notice_date: dt.date, reason: str, new_due: dt.date, *,
                    today: dt.date | None = None) -> Complaint:
    """Record a written extension notice (reason and new date required)."""
    c = complaint_repo.get_complaint(complaint_id)
    extended = rules_mod.add_extension(c, notice_date, reason, new_due, current_actor(),
                                       calendar_repo.load_district_calendar(), complaint_rules(),
                                       _today(today))
    return complaint_repo.save_progress(extended, reason="Deadline extended by written notice")


@dataclass(frozen=True, slots=True)
class ComplaintBoard:
    """The open complaints and what the tab title needs."""

    items: tuple[BoardItem, ...]
    overdue: int
    calendar: DistrictCalendar
    rules: ComplaintRules


def complaint_board(*, today: dt.date | None = None) -> ComplaintBoard:
    """Open complaints with their next deadline, overdue first."""
    calendar = calendar_repo.load_district_calendar()
    rules = complaint_rules()
    items = board(complaint_repo.open_complaints(), calendar, rules, _today(today))
    return ComplaintBoard(tuple(items), rules_mod.overdue_count(items), calendar, rules)


# ------------------------------------------------------------------------------- calendar


def _recompute_and_record(before: DistrictCalendar, open_complaints: list[Complaint]
                          ) -> list[DeadlineChange]:
    after = calendar_repo.load_district_calendar()
    bases = running_deadline_bases(open_complaints, complaint_rules())
    changes = recompute_deadlines(bases, before, after)
    for change in changes:
        complaint_id = int(change.key.split(":", 1)[0])
        complaint_repo.record_deadline_change(
            complaint_id, change.old_due, change.new_due, change.describe(),
            reason="Calendar changed")
    return changes


def change_calendar(action: Callable[[], object]) -> list[DeadlineChange]:
    """Run calendar writes and recompute running deadlines once, in one transaction.

    Each deadline that moved is recorded once with its net change, however many writes the
    action made (an import sets the year's days and adds closures together).
    """
    with database_proxy.atomic():
        before = calendar_repo.load_district_calendar()
        open_now = complaint_repo.open_complaints()
        action()
        return _recompute_and_record(before, open_now)


def save_calendar_year(label: str, first_day: dt.date, last_day: dt.date, *, reason: str = ""
                       ) -> list[DeadlineChange]:
    """Enter or change a year's instructional days; running deadlines are recomputed."""
    return change_calendar(
        lambda: calendar_repo.save_calendar_year(label, first_day, last_day, reason=reason))


def add_closures(label: str, days: Iterable[NonSchoolDay], *, reason: str = ""
                 ) -> list[DeadlineChange]:
    """Add non-school days (one, a range, or an import) and recompute running deadlines."""
    wanted = list(days)
    return change_calendar(lambda: calendar_repo.add_days_off(label, wanted, reason=reason))


def remove_closure(day: dt.date, *, reason: str = "") -> list[DeadlineChange]:
    """Remove a non-school day entered by mistake and recompute running deadlines."""
    return change_calendar(lambda: calendar_repo.remove_day_off(day, reason=reason))


# ------------------------------------------------------------------- meetings and activities


def log_meeting(meeting: SupervisionMeeting, *, today: dt.date | None = None
                ) -> SupervisionMeeting:
    problems = meeting_problems(meeting, _today(today))
    if problems:
        raise ValidationError(problems)
    return meeting_repo.save_meeting(meeting, reason="Meeting logged")


def log_activity(activity: PreventionActivity, *, today: dt.date | None = None
                 ) -> PreventionActivity:
    problems = activity_problems(activity, _today(today))
    if problems:
        raise ValidationError(problems)
    return meeting_repo.save_activity(activity, reason="Activity logged")


def cadence_report(label: str, *, building_id: int | None = None,
                   today: dt.date | None = None) -> list[StaffCadence]:
    """Meeting cadence per staff member and building for one school year.

    Covers each active school resource officer in each building they are assigned to, and
    anyone else who has meetings logged that year. Checked through today, or the last day of a
    past year. Raises ``NotFound`` when the year's calendar has not been entered.
    """
    calendar = calendar_repo.calendar_for(label)
    if calendar is None:
        raise NotFound(f"The {label} calendar has not been entered; cadence is counted in "
                       "school days, so enter the calendar first.")
    meetings = meeting_repo.list_meetings(calendar.first_day, calendar.last_day)
    pairs: dict[tuple[int, int], tuple[str, str]] = {}
    starts: dict[int, dt.date] = {}
    for member in roster_repo.list_staff():
        if member.id and member.first_day_with_students:
            starts[member.id] = member.first_day_with_students
        if member.role is Role.SRO and member.status is StaffStatus.ACTIVE and member.id:
            for a in member.assignments:
                pairs[(member.id, a.building_id)] = (member.full_name, a.building_name)
    for m in meetings:
        if m.building_id is not None:
            pairs.setdefault((m.staff_id, m.building_id), (m.staff_name, m.building))
    through = min(_today(today), calendar.last_day)
    if through < calendar.first_day:
        through = calendar.first_day
    report = []
    for (staff_id, b_id), (name, building) in sorted(
            pairs.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        if building_id is not None and b_id != building_id:
            continue
        here = [m for m in meetings if m.building_id == b_id]
        report.append(staff_cadence(staff_id, name, building, here, calendar, cadence_rules(),
                                    through, starts.get(staff_id)))
    return report


# -------------------------------------------------------------------------------- letters


def _letter_setting(kind: LetterKind) -> str:
    return f"complaints.letter.{kind.template_name}"


def default_letter_template(kind: LetterKind) -> str:
    """The shipped template (``resources/templates/letters/<name>.md``)."""
    path = resources.files("sro_desk.resources") / "templates" / "letters" / \
        f"{kind.template_name}.md"
    return path.read_text(encoding="utf-8")


def letter_template(kind: LetterKind) -> str:
    """The district's edited template, else the shipped default."""
    saved = settings.get_setting(_letter_setting(kind))
    return saved if isinstance(saved, str) and saved.strip() else default_letter_template(kind)


def save_letter_template(kind: LetterKind, text: str, *, reason: str = "") -> None:
    """Store the district's version of a letter (audited); refused when a placeholder is wrong."""
    problems = template_problems(text)
    if problems:
        raise ValidationError(problems)
    settings.set_setting(_letter_setting(kind), text, reason=reason)


def reset_letter_template(kind: LetterKind, *, reason: str = "") -> None:
    """Go back to the shipped template."""
    settings.set_setting(_letter_setting(kind), "", reason=reason)


def write_letter(complaint_id: int, kind: LetterKind, dest: Path | str, *, signer: str = "",
                 letter_date: dt.date | None = None) -> Path:
    """Write one letter as PDF; refused in words when the complaint has not reached it.

    The letter is dated ``letter_date``, by default the day of the step it reports
    (``complaint_letters.step_date``): an acknowledgement the day the complaint was received,
    an extension notice the day of the notice, a determination or appeal decision the day it
    was issued. It may not be dated before that step.
    """
    from sro_desk.exports.letters_pdf import write_letter_pdf

    complaint = complaint_repo.get_complaint(complaint_id)
    district = settings.district_name() or "School district"
    values = letter_values(kind, complaint, calendar_repo.load_district_calendar(),
                           complaint_rules(), district=district,
                           signer=signer.strip() or "Principal or designee",
                           letter_date=letter_date or step_date(kind, complaint))
    blocks = render_letter(letter_template(kind), values)
    return write_letter_pdf(blocks, dest, title=f"{complaint.reference}: {kind.value}",
                            district=district)


# -------------------------------------------------------------------------------- exports


def year_span(label: str) -> tuple[dt.date, dt.date]:
    """1 July – 30 June of a school year that exists (complaints arrive in summer too)."""
    year = roster_repo.school_year_by_label(label)
    start = int(year.label[:4])
    return dt.date(start, 7, 1), dt.date(start + 1, 6, 30)


def export_complaint_log(label: str, dest: Path | str, *, public: bool = False,
                         today: dt.date | None = None) -> Path:
    """The year's complaint log (.xlsx): internal with contacts, or the public counts.

    The public summary applies the public annual report's small-count rule and threshold
    (``reports.suppression_threshold``) and counts answers against their deadlines on
    ``today``.
    """
    from sro_desk.exports.complaint_log import write_complaint_log, write_public_summary

    start, end = year_span(label)
    complaints = complaint_repo.complaints_received_between(start, end)
    district = settings.district_name() or "School district"
    calendar, rules = calendar_repo.load_district_calendar(), complaint_rules()
    if not public:
        return write_complaint_log(complaints, calendar, rules, dest, year_label=label,
                                   district=district)
    from sro_desk.services.annual_report import report_settings
    from sro_desk.services.public_release import SUMMARY, year_release

    # protected with every other public document of the year, and attack-checked with them
    release = year_release(label, _today(today))
    summary = public_complaint_summary(complaints, calendar, rules, _today(today),
                                       report_settings().threshold,
                                       protection=release.protection.for_document(SUMMARY))
    return write_public_summary(summary, rules, dest, year_label=label, district=district)


def export_cadence_pdf(label: str, building_id: int, dest: Path | str, *,
                       today: dt.date | None = None) -> Path:
    """The meeting cadence report for one building and school year (PDF)."""
    from sro_desk.exports.meetings_pdf import write_cadence_pdf

    building = roster_repo.get_building(building_id)
    calendar = calendar_repo.calendar_for(label)
    report = cadence_report(label, building_id=building_id, today=today)
    assert calendar is not None  # cadence_report refused a missing calendar
    meetings = [m for m in meeting_repo.list_meetings(calendar.first_day, calendar.last_day)
                if m.building_id == building_id]
    through = min(_today(today), calendar.last_day)
    return write_cadence_pdf(
        dest, building=building.name, calendar=calendar, rules=cadence_rules(), cadence=report,
        meetings=meetings, district=settings.district_name() or "School district",
        through_label=f"through {format_date(through)}")
