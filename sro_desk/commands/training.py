"""Training commands: the compliance matrix workbook, a person's verification record PDF, and
the clearance and needs-attention lists on the terminal."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sro_desk import clock
from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument, record_id


def _as_of(text: str) -> dt.date:
    from sro_desk.domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(groups: CommandGroups) -> None:
    matrix = groups.export.add_parser(
        "training", help="the training compliance matrix as .xlsx (with a legend and citations)")
    add_db_argument(matrix)
    matrix.add_argument("--xlsx", type=Path, required=True, metavar="FILE")
    matrix.add_argument("--as-of", type=_as_of, default=None, metavar="DATE",
                        help="evaluate on this date (default: today)")
    matrix.set_defaults(handler=_export_matrix, needs_db=True)

    record = groups.export.add_parser(
        "training-record", help="one person's training verification record as .pdf")
    add_db_argument(record)
    record.add_argument("--person", type=record_id, required=True, metavar="ID",
                        help="the staff member's id (see 'sro-desk training status')")
    record.add_argument("--pdf", type=Path, required=True, metavar="FILE")
    record.add_argument("--as-of", type=_as_of, default=None, metavar="DATE")
    record.set_defaults(handler=_export_record, needs_db=True)

    training = groups.top.add_parser("training", help="training clearance and alerts")
    sub = training.add_subparsers(dest="training_what", metavar="WHAT", required=True)
    status = sub.add_parser("status", help="everyone's cleared-to-work state with reasons")
    add_db_argument(status)
    status.add_argument("--as-of", type=_as_of, default=None, metavar="DATE")
    status.set_defaults(handler=_status, needs_db=True)
    attention = sub.add_parser("attention", help="overdue, due or expiring in the next 90 days")
    add_db_argument(attention)
    attention.add_argument("--as-of", type=_as_of, default=None, metavar="DATE")
    attention.add_argument("--days", type=int, default=90, help="look this many days ahead")
    attention.set_defaults(handler=_attention, needs_db=True)
    activate = sub.add_parser(
        "activate", help="set a person active; one not cleared for training needs --reason")
    add_db_argument(activate)
    activate.add_argument("--person", type=record_id, required=True, metavar="ID")
    activate.add_argument("--reason", default="", help="why, if the person is not cleared "
                          "(kept in the audit trail)")
    activate.set_defaults(handler=_activate, needs_db=True)

    from sro_desk.commands.training_jobs import add_training_commands

    add_training_commands(sub)  # record, verify, esd-documentation, waiver, alias


def _writable(path: Path) -> Path:
    from sro_desk.domain.errors import ValidationError

    if not path.parent.exists():
        raise ValidationError(f"The folder {path.parent} does not exist.")
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; give a file name.")
    return path


def _export_matrix(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services.training import export_matrix_xlsx

    if args.xlsx.suffix.lower() != ".xlsx":
        raise ValidationError("The workbook's file name must end in .xlsx.")
    try:
        path = export_matrix_xlsx(_writable(args.xlsx), args.as_of or clock.today())
    except OSError as error:
        raise ValidationError(f"Could not write {args.xlsx}: {error.strerror or error}.") from None
    print(f"Wrote {path}")
    return EXIT_OK


def _export_record(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services.training import export_verification_pdf

    if args.pdf.suffix.lower() != ".pdf":
        raise ValidationError("The record's file name must end in .pdf.")
    try:
        path = export_verification_pdf(_writable(args.pdf), args.person,
                                       args.as_of or clock.today())
    except OSError as error:
        raise ValidationError(f"Could not write {args.pdf}: {error.strerror or error}.") from None
    print(f"Wrote {path}")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.services.training import compliance_matrix

    as_of = args.as_of or clock.today()
    matrix = compliance_matrix(as_of)
    print(f"Training clearance as of {format_date(as_of)}")
    for row in matrix.rows:
        c = row.clearance
        print(f"{row.person.staff_id:>5}  {c.label:<37} {row.person.name}")
        for line in c.summary_lines():
            print(f"         {line}")
    return EXIT_OK


def _attention(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.domain.training import needs_attention
    from sro_desk.services.training import compliance_matrix

    as_of = args.as_of or clock.today()
    items = needs_attention(compliance_matrix(as_of), horizon_days=args.days)
    count = len(items)
    print(f"Needs attention as of {format_date(as_of)}: {count} item{'' if count == 1 else 's'}")
    for item in items:
        print(f"  {item.person_name}: {item.message}")
    return EXIT_OK


def _activate(args: argparse.Namespace) -> int:
    from sro_desk.services.training import activate_staff, activation_warning

    today = clock.today()
    warning = activation_warning(args.person, today)
    if warning is not None and not args.reason.strip():
        print("Not cleared for training:")
        for reason in warning.reasons:
            print(f"  - {reason}")
    member = activate_staff(args.person, as_of=today, reason=args.reason)
    print(f"{member.full_name} is now {member.status.value}.")
    return EXIT_OK
