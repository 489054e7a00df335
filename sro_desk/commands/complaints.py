"""Complaint, calendar and meeting commands: exports, the deadline board, closures, imports."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sro_desk.cli import EXIT_OK, EXIT_PROBLEM, CommandGroups, add_db_argument

LETTERS = {
    "acknowledgement": "Acknowledgement",
    "extension": "Extension notice",
    "determination": "Determination",
    "appeal-decision": "Appeal decision",
}


def _date(text: str) -> dt.date:
    from sro_desk.domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(groups: CommandGroups) -> None:
    export = groups.export.add_parser(
        "complaints", help="the year's complaint log (.xlsx); --public for counts only")
    add_db_argument(export)
    export.add_argument("--year", required=True, help="school year, e.g. 2025-26")
    export.add_argument("--xlsx", required=True, type=Path, metavar="FILE")
    export.add_argument("--public", action="store_true",
                        help="the public summary: counts only, no personal detail")
    export.add_argument("--today", type=_date,
                        help="count answers against their deadlines as of this date "
                             "(default: today)")
    export.set_defaults(handler=_export_complaints, needs_db=True)

    letter = groups.export.add_parser("complaint-letter", help="one complaint letter as PDF")
    add_db_argument(letter)
    letter.add_argument("--complaint", required=True, type=int, metavar="ID")
    letter.add_argument("--kind", required=True, choices=sorted(LETTERS))
    letter.add_argument("--pdf", required=True, type=Path, metavar="FILE")
    letter.add_argument("--signer", default="", help="name under the letter")
    letter.add_argument("--date", type=_date, dest="letter_date",
                        help="date on the letter (default: the day of the step it reports — "
                             "received, extension notice, determination or appeal decision)")
    letter.set_defaults(handler=_export_letter, needs_db=True)

    meetings = groups.export.add_parser(
        "meetings", help="principal–staff meeting cadence for one building and year (PDF)")
    add_db_argument(meetings)
    meetings.add_argument("--year", required=True)
    meetings.add_argument("--building", required=True, metavar="CODE", help="building code")
    meetings.add_argument("--pdf", required=True, type=Path, metavar="FILE")
    meetings.set_defaults(handler=_export_meetings, needs_db=True)

    calendar_import = groups.import_.add_parser(
        "calendar", help="non-school days from .ics, .xlsx or .csv (all or none)")
    calendar_import.add_argument("file", type=Path)
    calendar_import.add_argument("--year", required=True)
    calendar_import.add_argument("--dry-run", action="store_true",
                                 help="show what would be added; change nothing")
    add_db_argument(calendar_import)
    calendar_import.set_defaults(handler=_import_calendar, needs_db=True)

    top = groups.top.add_parser("complaints", help="complaint deadlines")
    actions = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    board = actions.add_parser("board", help="open complaints, overdue first; exit 1 if overdue")
    add_db_argument(board)
    board.add_argument("--today", type=_date, help="count as of this date (default: today)")
    board.set_defaults(handler=_board, needs_db=True)

    rules = actions.add_parser("rules", help="show or change the deadlines and meeting cadence")
    add_db_argument(rules)
    rules.add_argument("--filing-days", type=int, metavar="N")
    rules.add_argument("--determination-days", type=int, metavar="N", help="school days")
    rules.add_argument("--appeal-days", type=int, metavar="N", help="school days")
    rules.add_argument("--formal-every", type=int, metavar="N", help="days between formal "
                                                                      "meetings")
    rules.add_argument("--informal-every", type=int, metavar="N", help="school days between "
                                                                        "informal contacts")
    rules.add_argument("--reason", default="", help="why (kept in the audit trail)")
    rules.set_defaults(handler=_rules, needs_db=True)

    from sro_desk.commands.office_jobs import add_complaint_commands

    add_complaint_commands(actions)  # advance

    cal = groups.top.add_parser("calendar", help="the district calendar")
    cal_actions = cal.add_subparsers(dest="action", metavar="ACTION", required=True)
    closure = cal_actions.add_parser(
        "close", help="add a closure (snow, smoke, power...) and recompute open deadlines")
    add_db_argument(closure)
    closure.add_argument("--year", required=True)
    closure.add_argument("--date", required=True, type=_date)
    closure.add_argument("--to", type=_date, help="last day of a closure of several days")
    closure.add_argument("--reason", required=True, help="e.g. 'Snow day'")
    closure.add_argument("--kind", default="Emergency closure",
                         help="Holiday, Break, In-service day, Emergency closure, "
                              "Other non-school day")
    closure.set_defaults(handler=_close, needs_db=True)
    count = cal_actions.add_parser("count", help="add N school days to a date and explain it")
    add_db_argument(count)
    count.add_argument("--from", dest="start", required=True, type=_date)
    count.add_argument("--days", required=True, type=int)
    count.set_defaults(handler=_count, needs_db=True)


def _export_complaints(args: argparse.Namespace) -> int:
    from sro_desk.services.complaints import export_complaint_log

    path = export_complaint_log(args.year.strip(), args.xlsx, public=args.public,
                                today=args.today)
    print(f"Wrote {path}")
    return EXIT_OK


def _export_letter(args: argparse.Namespace) -> int:
    from sro_desk.domain.complaint_letters import LetterKind
    from sro_desk.services.complaints import write_letter

    path = write_letter(args.complaint, LetterKind(LETTERS[args.kind]), args.pdf,
                        signer=args.signer, letter_date=args.letter_date)
    print(f"Wrote {path}")
    return EXIT_OK


def _export_meetings(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import NotFound
    from sro_desk.services.complaints import export_cadence_pdf
    from sro_desk.store import roster_repo

    code = args.building.strip().upper()
    building = next((b for b in roster_repo.list_buildings() if b.code.upper() == code), None)
    if building is None or building.id is None:
        known = ", ".join(b.code for b in roster_repo.list_buildings())
        raise NotFound(f"There is no building with code {args.building} (known: {known}).")
    print(f"Wrote {export_cadence_pdf(args.year.strip(), building.id, args.pdf)}")
    return EXIT_OK


def _import_calendar(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.services.calendar_import import apply_calendar_import, read_calendar_file

    plan = read_calendar_file(args.file, args.year.strip())
    print(plan.summary())
    for off in plan.closures:
        print(f"  {format_date(off.day)}: {off.describe()}")
    for note in plan.ignored:
        print(f"  ignored: {note}")
    if args.dry_run:
        print("Dry run: nothing was changed.")
        return EXIT_OK
    for change in apply_calendar_import(plan):
        print(f"  {change.describe()}")
    print("Imported.")
    return EXIT_OK


def _board(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.services.complaints import complaint_board

    board = complaint_board(today=args.today)
    if not board.items:
        print("No open complaints.")
        return EXIT_OK
    for item in board.items:
        c = item.complaint
        due = item.due.due if item.due else None
        kind = item.due.kind.value if item.due else "No deadline"
        print(f"{c.reference}\t{c.stage.value}\t{kind}\t{format_date(due) or '-'}\t{item.status}")
    print(f"{board.overdue} overdue.")
    return EXIT_PROBLEM if board.overdue else EXIT_OK


def _close(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.domain.school_calendar import DayOffKind, NonSchoolDay, expand_range
    from sro_desk.services.complaints import add_closures

    kinds = {k.value.lower(): k for k in DayOffKind}
    kind = kinds.get(args.kind.strip().lower())
    if kind is None:
        raise ValidationError(f"'{args.kind}' is not a kind of non-school day (use one of: "
                              + ", ".join(k.value for k in DayOffKind) + ").")
    days = (expand_range(args.date, args.to, kind, args.reason) if args.to
            else [NonSchoolDay(args.date, kind, args.reason)])
    changes = add_closures(args.year.strip(), days, reason=args.reason)
    print(f"Added {len(days)} non-school day{'s' if len(days) != 1 else ''}.")
    for change in changes:
        print(f"  {change.describe()}")
    if not changes:
        print("No open deadline moved.")
    return EXIT_OK


def _count(args: argparse.Namespace) -> int:
    from sro_desk.domain.school_calendar import add_school_days
    from sro_desk.store import calendar_repo

    calc = add_school_days(calendar_repo.load_district_calendar(), args.start, args.days)
    for line in calc.explanation_lines():
        print(line)
    return EXIT_OK if calc.due is not None else EXIT_PROBLEM


def _rules(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from sro_desk.domain.errors import ValidationError
    from sro_desk.services import complaints as svc

    rules, cadence = svc.complaint_rules(), svc.cadence_rules()
    new_rules = replace(rules, **{k: v for k, v in (
        ("filing_window_days", args.filing_days),
        ("determination_school_days", args.determination_days),
        ("appeal_school_days", args.appeal_days)) if v is not None})
    new_cadence = replace(cadence, **{k: v for k, v in (
        ("formal_every_days", args.formal_every),
        ("informal_every_school_days", args.informal_every)) if v is not None})
    if (new_rules, new_cadence) != (rules, cadence):
        if not args.reason.strip():
            raise ValidationError("Give --reason: rule changes are kept in the audit trail.")
        problems = new_rules.problems() + new_cadence.problems()
        if problems:
            raise ValidationError(problems)
        for move in svc.save_complaint_rules(new_rules, reason=args.reason):
            print(f"  {move}")
        svc.save_cadence_rules(new_cadence, reason=args.reason)
    r, c = svc.complaint_rules(), svc.cadence_rules()
    print(f"Complaints filed within {r.filing_window_days} calendar days of the incident "
          "(late ones accepted and flagged).")
    print(f"Written determination within {r.determination_school_days} school days of receipt.")
    print(f"Appeal decided within {r.appeal_school_days} school days of the appeal.")
    print(f"Formal meetings at least every {c.formal_every_days} days; informal contact at "
          f"least every {c.informal_every_school_days} school days.")
    return EXIT_OK
