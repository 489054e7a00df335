"""Agreement commands: the board checklist and the family handout exports, the new-year
rollover and the needs-attention list, headless."""

from __future__ import annotations

import argparse
from pathlib import Path

from sro_desk import clock
from sro_desk.cli import EXIT_OK, EXIT_PROBLEM, CommandGroups, add_db_argument, record_id


def register(groups: CommandGroups) -> None:
    agreement = groups.export.add_parser(
        "agreement", help="an agreement's checklist for the board, as .pdf and/or .xlsx"
    )
    add_db_argument(agreement)
    agreement.add_argument("--year", required=True, help="school year, e.g. 2025-26")
    agreement.add_argument("--provider", required=True, type=record_id, metavar="ID",
                           help="the agency or company id")
    agreement.add_argument("--pdf", type=Path, metavar="FILE")
    agreement.add_argument("--xlsx", type=Path, metavar="FILE")
    agreement.set_defaults(handler=_export_agreement, needs_db=True)

    handout = groups.export.add_parser(
        "handout", help="the family information handout for one building, as .pdf"
    )
    add_db_argument(handout)
    handout.add_argument("--year", required=True, help="school year, e.g. 2025-26")
    handout.add_argument("--building", required=True, type=record_id, metavar="ID", help="building id")
    handout.add_argument("--pdf", required=True, type=Path, metavar="FILE")
    handout.set_defaults(handler=_export_handout, needs_db=True)

    top = groups.top.add_parser("agreements", help="annual agreements: list, new school year, reminders")
    actions = top.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every agreement of a year with its progress")
    add_db_argument(listing)
    listing.add_argument("--year", required=True)
    listing.set_defaults(handler=_list, needs_db=True)
    new_year = actions.add_parser(
        "new-year", help="copy every agreement of a year forward as drafts (safe to repeat)"
    )
    add_db_argument(new_year)
    new_year.add_argument("--from", dest="from_year", required=True, metavar="YEAR")
    new_year.set_defaults(handler=_new_year, needs_db=True)
    attention = actions.add_parser(
        "attention", help="agreements and buildings that need attention; exit 1 if any"
    )
    add_db_argument(attention)
    attention.set_defaults(handler=_attention, needs_db=True)

    from sro_desk.commands.office_jobs import add_agreement_commands

    add_agreement_commands(actions)  # tick


def _export_agreement(args: argparse.Namespace) -> int:
    from sro_desk.services.agreements import export_agreement

    for path in export_agreement(
        args.year.strip(), args.provider, clock.today(), pdf=args.pdf, xlsx=args.xlsx
    ):
        print(f"Wrote {path}")
    return EXIT_OK


def _export_handout(args: argparse.Namespace) -> int:
    from sro_desk.services.agreements import export_handout

    print(f"Wrote {export_handout(args.building, args.year.strip(), args.pdf)}")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from sro_desk.services.agreements import assess_all

    found = assess_all(args.year.strip(), clock.today())
    if not found:
        print(f"No agreements for {args.year.strip()}.")
    for assessment in found:
        a = assessment.agreement
        print(
            f"{a.provider_id:>4}  {a.provider_name} — {a.title} — {a.state} — "
            f"{assessment.progress.text}"
        )
        for flag in assessment.flags:
            print(f"        ! {flag}")
    return EXIT_OK


def _new_year(args: argparse.Namespace) -> int:
    from sro_desk.services.agreements import roll_over_year

    print(roll_over_year(args.from_year.strip()).summary)
    return EXIT_OK


def _attention(args: argparse.Namespace) -> int:
    from sro_desk.domain.start_of_year import DutyState
    from sro_desk.services.agreements import current_year_label, reminders, start_of_year_overview

    today = clock.today()
    lines = [f"{r.kind}: {r.message}" for r in reminders(today)]
    from sro_desk.services.policy import standing

    policy = standing(today)
    if policy.flagged:
        lines.append(f"{policy.state}: {policy.message}")
    year = current_year_label(today)
    if year is not None:
        lines += [
            b.attention_line(year)
            for b in start_of_year_overview(year, today)
            if b.state is DutyState.OVERDUE
        ]
    for line in lines:
        print(line)
    if not lines:
        print("Nothing needs attention.")
        return EXIT_OK
    return EXIT_PROBLEM
