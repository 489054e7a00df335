"""Policy commands: ``sro-desk policy record ...`` and ``sro-desk policy status``.

The district's safety and security staff policy and procedure (RCW 28A.320.124(1); Index and Port
Townsend Policy 4311): its adoption date, board action and next review date, flagged when due.
"""

from __future__ import annotations

import argparse
import datetime as dt

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument


def _date(text: str) -> dt.date:
    from sro_desk.domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def register(groups: CommandGroups) -> None:
    policy = groups.top.add_parser(
        "policy", help="the safety and security staff policy: adoption and periodic review")
    sub = policy.add_subparsers(dest="policy_command", required=True)
    record = sub.add_parser("record", help="record the adoption or a review by the board")
    add_db_argument(record)
    record.add_argument("--title", default="Policy 4311, School Safety and Security Services "
                        "Program", help="the policy and procedure")
    record.add_argument("--adopted", type=_date, help="adoption date")
    record.add_argument("--reviewed", type=_date, help="date the board reviewed it")
    record.add_argument("--next-review", type=_date, help="the next review date the board set")
    record.add_argument("--board-action", required=True, help="e.g. motion 2026-14")
    record.add_argument("--notes", default="")
    record.set_defaults(handler=_record, needs_db=True)
    status = sub.add_parser("status", help="when the policy was adopted and when review is due")
    add_db_argument(status)
    status.set_defaults(handler=_status, needs_db=True)


def _record(args: argparse.Namespace) -> int:
    from sro_desk import clock
    from sro_desk.domain.policy_review import PolicyReview
    from sro_desk.services.policy import record_review

    saved = record_review(PolicyReview(args.title, args.adopted, args.board_action,
                                       args.reviewed, args.next_review, args.notes),
                          today=clock.today())
    print(f"Recorded policy action {saved.id}: {saved.title}.")
    return EXIT_OK


def _status(args: argparse.Namespace) -> int:
    from sro_desk import clock
    from sro_desk.services.policy import standing

    now = standing(clock.today())
    print(f"{now.state}: {now.message}")
    return EXIT_OK
