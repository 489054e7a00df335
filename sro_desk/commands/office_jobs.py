"""Office jobs on the command line that the app's tabs do: tick an agreement checklist item with
its evidence, log a principal–SRO meeting or a prevention activity, and take a complaint to its
next step. Each takes options or ``--json FILE`` and goes through the tab's own services."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sro_desk.cli import EXIT_OK, CommandGroups
from sro_desk.cli_input import Field, a_date, job_parser, read_fields, whole_number

ITEM_STATUSES = ("met", "in-progress", "not-started", "not-applicable")
MEETING_KINDS = ("formal", "informal")
COMPLAINT_ACTIONS = ("investigate", "notify-agency", "determine", "appeal", "decide-appeal",
                     "close", "extend")

TICK_FIELDS = (
    Field("year", "the school year, e.g. 2026-27", required=True, metavar="YEAR"),
    Field("provider", "the agency or company id (see 'sro-desk agreements list')",
          whole_number, required=True, metavar="ID"),
    Field("item", "the checklist item's key (listed when it is wrong)", required=True,
          metavar="KEY"),
    Field("status", "the item's status (default met)", choices=ITEM_STATUSES),
    Field("evidence", "where the agreement shows it (section, page, minutes)", metavar="TEXT"),
    Field("section", "the agreement's section number", metavar="TEXT"),
    Field("checked-by", "who checked it (default: you)", metavar="NAME"),
    Field("checked-on", "the date checked (default today)", a_date, metavar="DATE"),
    Field("reason", "why the item does not apply (for not-applicable)", metavar="TEXT"),
    Field("notes", "notes", metavar="TEXT"),
)
MEETING_FIELDS = (
    Field("date", "the date of the meeting", a_date, required=True, metavar="DATE"),
    Field("kind", "formal (scheduled, minuted) or informal (check-in)", required=True,
          choices=MEETING_KINDS),
    Field("principal", "the principal or designee who met", required=True, metavar="NAME"),
    Field("staff", "the staff member's id", whole_number, required=True, metavar="ID"),
    Field("building", "the building's short code or id", required=True, metavar="CODE"),
    Field("topics", "what was discussed", metavar="TEXT"),
    Field("notes", "notes (never immigration or citizenship status, RCW 10.93.160)",
          metavar="TEXT"),
)
ACTIVITY_FIELDS = (
    Field("date", "the date of the activity", a_date, required=True, metavar="DATE"),
    Field("kind", "what kind of activity", required=True, metavar="KIND"),
    Field("building", "the building's short code or id", required=True, metavar="CODE"),
    Field("participants", "how many took part", whole_number, required=True, metavar="N"),
    Field("staff", "the staff member's id, if one led it", whole_number, metavar="ID"),
    Field("notes", "notes (no student names)", metavar="TEXT"),
)
STEP_FIELDS = (
    Field("complaint", "the complaint's number", whole_number, required=True, metavar="ID"),
    Field("step", "the step to take", required=True, choices=COMPLAINT_ACTIONS),
    Field("on", "the date of the step (default today)", a_date, metavar="DATE"),
    Field("investigator", "who investigates (investigate)", metavar="NAME"),
    Field("agency-notified", "when the agency was notified (investigate, notify-agency)",
          a_date, metavar="DATE"),
    Field("finding", "substantiated, not substantiated or inconclusive (determine, "
          "decide-appeal)", metavar="TEXT"),
    Field("summary", "the written summary (determine, decide-appeal)", metavar="TEXT"),
    Field("appellant", "who appealed (appeal)", metavar="NAME"),
    Field("note", "a closing note (close)", metavar="TEXT"),
    Field("reason", "the reason given in the written notice (extend)", metavar="TEXT"),
    Field("new-due", "the new due date given in the notice (extend)", a_date, metavar="DATE"),
)


def register(groups: CommandGroups) -> None:
    meetings = groups.top.add_parser("meetings", help="principal–staff supervision meetings")
    sub = meetings.add_subparsers(dest="meetings_action", metavar="ACTION", required=True)
    job_parser(sub, "log", "log a principal–SRO (or other staff) meeting",
               "sro-desk meetings log --date 2026-11-20 --kind formal --principal \"Dr. Ames\" "
               "--staff 12 --building CVHS --topics \"Spring assemblies\"\n"
               "sro-desk meetings log --json meeting.json", MEETING_FIELDS, _log_meeting)
    prevention = groups.top.add_parser("prevention", help="prevention activities")
    sub = prevention.add_subparsers(dest="prevention_action", metavar="ACTION", required=True)
    job_parser(sub, "log", "log a prevention activity (a presentation, a circle, a family night)",
               "sro-desk prevention log --date 2026-11-18 --kind \"Restorative circle\" "
               "--building CVHS --participants 14 --staff 12", ACTIVITY_FIELDS, _log_activity)


def add_agreement_commands(actions: Any) -> None:
    """``sro-desk agreements tick`` (called by commands/agreements.py)."""
    job_parser(actions, "tick", "tick an agreement checklist item, with its evidence",
               "sro-desk agreements tick --year 2026-27 --provider 3 --item complaint_process "
               "--evidence \"Section 7, page 4\" --section 7\n"
               "sro-desk agreements tick --json tick.json", TICK_FIELDS, _tick)


def add_complaint_commands(actions: Any) -> None:
    """``sro-desk complaints advance`` (called by commands/complaints.py)."""
    job_parser(actions, "advance", "take a complaint to its next step",
               "sro-desk complaints advance --complaint 12 --step investigate --investigator "
               "\"Principal Ames\" --agency-notified 2026-11-21\n"
               "sro-desk complaints advance --complaint 12 --step determine --finding "
               "\"not substantiated\" --summary \"Reviewed video and statements.\"",
               STEP_FIELDS, _step)


def _today() -> dt.date:
    from sro_desk import clock

    return clock.today()


def _actor(given: str | None) -> str:
    from sro_desk.store.audit import current_actor

    return (given or "").strip() or current_actor()


def _tick(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from sro_desk.domain.agreements import ItemStatus
    from sro_desk.domain.errors import NotFound
    from sro_desk.services.agreements import assessment_for, checklist_catalog, save_entry

    v = read_fields(args, TICK_FIELDS)
    today = _today()
    assessment = assessment_for(v["year"], v["provider"], today)
    keys = {d.key for d in checklist_catalog()}
    if v["item"] not in keys:
        raise NotFound(f"There is no checklist item '{v['item']}' (items: "
                       + ", ".join(d.key for d in checklist_catalog()) + ").")
    current = next(i.entry for i in assessment.items if i.definition.key == v["item"])
    status = {"met": ItemStatus.MET, "in-progress": ItemStatus.IN_PROGRESS,
              "not-started": ItemStatus.NOT_STARTED,
              "not-applicable": ItemStatus.NOT_APPLICABLE}[v["status"] or "met"]
    entry = replace(
        current, status=status,
        evidence=v["evidence"] if v["evidence"] is not None else current.evidence,
        section=v["section"] if v["section"] is not None else current.section,
        notes=v["notes"] if v["notes"] is not None else current.notes,
        not_applicable_reason=v["reason"] or current.not_applicable_reason,
        checked_by=_actor(v["checked_by"]) if status in (
            ItemStatus.MET, ItemStatus.NOT_APPLICABLE) else current.checked_by,
        checked_on=(v["checked_on"] or today) if status in (
            ItemStatus.MET, ItemStatus.NOT_APPLICABLE) else current.checked_on,
    )
    agreement = assessment.agreement
    assert agreement.id is not None
    save_entry(agreement.id, entry, today)
    from sro_desk.services.agreements import assess

    judged = next(i for i in assess(agreement.id, today).items if i.definition.key == v["item"])
    print(f"{agreement.provider_name} {agreement.school_year}: “{judged.definition.title}” is "
          f"now {judged.shown_status}.")
    for flag in judged.flags:
        print(f"  ! {flag}")
    return EXIT_OK


def _building_id(text: str) -> tuple[int, str]:
    from sro_desk.domain.errors import NotFound
    from sro_desk.store import roster_repo

    buildings = roster_repo.list_buildings()
    for b in buildings:
        if b.id is not None and (b.code.casefold() == text.strip().casefold()
                                 or str(b.id) == text.strip()):
            return b.id, b.name
    raise NotFound(f"There is no building '{text}' (buildings: "
                   + ", ".join(b.code for b in buildings) + ").")


def _log_meeting(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.meetings import MeetingKind, SupervisionMeeting
    from sro_desk.services.complaints import log_meeting
    from sro_desk.store import roster_repo

    v = read_fields(args, MEETING_FIELDS)
    building_id, building = _building_id(v["building"])
    staff = roster_repo.get_staff(v["staff"])
    kind = MeetingKind.FORMAL if v["kind"] == "formal" else MeetingKind.INFORMAL
    saved = log_meeting(SupervisionMeeting(
        on=v["date"], kind=kind, principal=v["principal"], staff_id=v["staff"],
        staff_name=staff.sort_name, building=building, topics=v["topics"] or "",
        notes=v["notes"] or "", building_id=building_id), today=_today())
    print(f"Logged a {saved.kind.value.lower()} meeting of {saved.principal} with "
          f"{staff.sort_name} at {building} on {format_date(saved.on)} (meeting {saved.id}).")
    return EXIT_OK


def _log_activity(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.errors import ValidationError
    from sro_desk.domain.meetings import ActivityKind, PreventionActivity
    from sro_desk.services.complaints import log_activity

    v = read_fields(args, ACTIVITY_FIELDS)
    kinds = {k.value.casefold(): k for k in ActivityKind} | {k.name.casefold(): k
                                                            for k in ActivityKind}
    kind = kinds.get(v["kind"].strip().casefold().replace("-", "_")) or kinds.get(
        v["kind"].strip().casefold())
    if kind is None:
        raise ValidationError(f"'{v['kind']}' is not a kind of prevention activity (use one of: "
                              + ", ".join(k.value for k in ActivityKind) + ").")
    building_id, building = _building_id(v["building"])
    saved = log_activity(PreventionActivity(
        on=v["date"], building=building, kind=kind, participants=v["participants"],
        notes=v["notes"] or "", staff_id=v["staff"], building_id=building_id), today=_today())
    print(f"Logged {saved.kind.value.lower()} at {building} on {format_date(saved.on)} with "
          f"{saved.participants} participants (activity {saved.id}).")
    return EXIT_OK


def _finding(text: str | None) -> Any:
    from sro_desk.domain.complaints import Finding
    from sro_desk.domain.errors import ValidationError

    found = {f.value.casefold(): f for f in Finding}.get((text or "").strip().casefold())
    if found is None:
        raise ValidationError("Give --finding: " + ", ".join(f.value.lower() for f in Finding)
                              + ".")
    return found


def _step(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services import complaints as svc

    v = read_fields(args, STEP_FIELDS)
    today = _today()
    on = v["on"] or today
    cid, action = v["complaint"], v["step"]
    if action == "investigate":
        done = svc.start_investigation(cid, on, v["investigator"] or "", v["agency_notified"],
                                       today=today)
    elif action == "notify-agency":
        if v["agency_notified"] is None and v["on"] is None:
            raise ValidationError("Give --agency-notified DATE (or --on DATE).")
        done = svc.record_agency_notice(cid, v["agency_notified"] or on, today=today)
    elif action == "determine":
        done = svc.issue_determination(cid, on, _finding(v["finding"]), v["summary"] or "",
                                       today=today)
    elif action == "appeal":
        done = svc.record_appeal(cid, on, v["appellant"] or "", today=today)
    elif action == "decide-appeal":
        done = svc.decide_appeal(cid, on, _finding(v["finding"]), v["summary"] or "",
                                 today=today)
    elif action == "close":
        done = svc.close_complaint(cid, on, v["note"] or "", today=today)
    else:
        if v["new_due"] is None:
            raise ValidationError("Give --new-due DATE, the new date the written notice gives.")
        done = svc.extend_deadline(cid, on, v["reason"] or "", v["new_due"], today=today)
    print(f"{done.reference}: {done.stage.value} ({action.replace('-', ' ')}, "
          f"{format_date(on)}).")
    return EXIT_OK
