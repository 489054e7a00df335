"""Hiring commands: list rounds, show a round (blind before reveal), export results and sheets,
import a filled-in score sheet."""

from __future__ import annotations

import argparse
from pathlib import Path

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument


def register(groups: CommandGroups) -> None:
    hiring = groups.top.add_parser("hiring", help="hiring panel rounds (list, show)")
    sub = hiring.add_subparsers(dest="hiring_command", metavar="ACTION", required=True)
    listing = sub.add_parser("list", help="every hiring round with its id and status")
    add_db_argument(listing)
    listing.set_defaults(handler=_list, needs_db=True)
    show = sub.add_parser("show", help="a round's panel, candidates and questions (no scores "
                                       "before the results are revealed)")
    add_db_argument(show)
    show.add_argument("--round", type=int, required=True, metavar="ID")
    show.set_defaults(handler=_show, needs_db=True)
    bank = sub.add_parser("bank", help="export the question bank as JSON to edit, or import "
                                       "an edited one")
    add_db_argument(bank)
    bank.add_argument("action", choices=("export", "import"))
    bank.add_argument("file", type=Path)
    bank.add_argument("--reason", default="", help="why the bank is replaced (import)")
    bank.set_defaults(handler=_bank, needs_db=True)
    setting = sub.add_parser("justification", help="whether scores of 1 or 5 need a written "
                                                   "justification (district setting)")
    add_db_argument(setting)
    setting.add_argument("required", choices=("yes", "no"))
    setting.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    setting.set_defaults(handler=_justification, needs_db=True)
    reset = sub.add_parser("reset-pin", help="clear a panelist's forgotten or locked sheet PIN "
                                             "(the panelist then sets a new one)")
    add_db_argument(reset)
    reset.add_argument("--panelist", type=int, required=True, metavar="ID")
    reset.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    reset.set_defaults(handler=_reset_pin, needs_db=True)

    export = groups.export.add_parser(
        "hiring", help="a revealed round's results as .pdf and/or .xlsx")
    add_db_argument(export)
    export.add_argument("--round", type=int, required=True, metavar="ID")
    export.add_argument("--pdf", type=Path)
    export.add_argument("--xlsx", type=Path)
    export.set_defaults(handler=_export, needs_db=True)

    sheet = groups.export.add_parser(
        "hiring-sheet", help="one panelist's score sheet: .xlsx to fill in, or a paper .pdf")
    add_db_argument(sheet)
    sheet.add_argument("--round", type=int, required=True, metavar="ID")
    sheet.add_argument("--panelist", type=int, required=True, metavar="ID")
    sheet.add_argument("--xlsx", type=Path)
    sheet.add_argument("--pdf", type=Path)
    sheet.set_defaults(handler=_export_sheet, needs_db=True)

    imp = groups.import_.add_parser(
        "hiring-sheet", help="a filled-in .xlsx score sheet (whole sheet or nothing)")
    imp.add_argument("file", type=Path)
    add_db_argument(imp)
    imp.add_argument("--round", type=int, required=True, metavar="ID")
    imp.add_argument("--reason", default="", help="why, when the panelist had already submitted")
    imp.set_defaults(handler=_import_sheet, needs_db=True)


def _list(args: argparse.Namespace) -> int:
    from sro_desk.services import hiring

    rounds = hiring.list_rounds()
    if not rounds:
        print("No hiring rounds yet.")
    for r in rounds:
        panel = hiring.list_panelists(r.id or 0)
        done = sum(1 for p in panel if p.submitted)
        revealed = "results revealed" if r.revealed else f"{done} of {len(panel)} sheets submitted"
        print(f"{r.id}: {r.position} — {r.agency} · {r.status} · {revealed}")
    return EXIT_OK


def _show(args: argparse.Namespace) -> int:
    from sro_desk.domain.hiring import panel_size_warning
    from sro_desk.domain.hiring_results import score_text
    from sro_desk.services import hiring

    view = hiring.round_view(args.round)
    snap = view.snapshot
    print(f"{snap.round.position} — {snap.round.agency} ({snap.round.status})")
    print("Panel:")
    for p in snap.panelists:
        state = "submitted" if p.submitted else "scoring"
        vote = ", votes for the district" if p.district_voting else ""
        print(f"  {p.id}: {p.name} ({p.organization}{vote}) — {state}")
    warning = panel_size_warning(len(snap.panelists))
    if warning:
        print(f"  note: {warning}")
    print("Candidates:")
    for c in snap.candidates:
        print(f"  {c.id}: {c.name}")
    print("Questions:")
    for q in snap.questions:
        print(f"  {q.position}. [{q.competency}, weight {q.weight.normalize():f}] {q.text}")
    if view.results is None:
        print(view.visibility.reason)
    else:
        print("Ranking:")
        for r in view.results.candidates:
            print(f"  {r.rank_text}: {r.name} — panel mean {score_text(r.mean)}, "
                  f"district mean {score_text(r.district_mean)}")
    return EXIT_OK


def _bank(args: argparse.Namespace) -> int:
    from sro_desk.services import hiring

    if args.action == "export":
        print(f"Wrote {hiring.export_question_bank(args.file)}")
    else:
        count = hiring.import_question_bank(args.file, reason=args.reason)
        print(f"The district's question bank now holds {count} questions.")
        from sro_desk.domain.hiring_bank import bank_warnings

        for warning in bank_warnings(hiring.question_bank()):  # RCW 10.93.160
            print(f"  Please note: {warning}")
    return EXIT_OK


def _justification(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services import hiring

    if not args.reason.strip():
        raise ValidationError("Give the reason for the change with --reason.")
    hiring.set_require_justification(args.required == "yes", reason=args.reason.strip())
    state = "need" if args.required == "yes" else "no longer need"
    print(f"Scores of 1 or 5 now {state} a written justification.")
    return EXIT_OK


def _reset_pin(args: argparse.Namespace) -> int:
    from sro_desk.services import hiring

    panelist = hiring.reset_panelist_pin(args.panelist, reason=args.reason)
    print(f"{panelist.name}'s sheet PIN was reset; they set a new one when they next open it.")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services import hiring

    if not args.pdf and not args.xlsx:
        raise ValidationError("Give --pdf FILE and/or --xlsx FILE.")
    for path in hiring.export_results(args.round, pdf=args.pdf, xlsx=args.xlsx):
        print(f"Wrote {path}")
    return EXIT_OK


def _export_sheet(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services import hiring_sheets

    if not args.pdf and not args.xlsx:
        raise ValidationError("Give --xlsx FILE and/or --pdf FILE.")
    if args.xlsx:
        print(f"Wrote {hiring_sheets.export_score_sheet(args.round, args.panelist, args.xlsx)}")
    if args.pdf:
        print(f"Wrote {hiring_sheets.export_blank_sheet_pdf(args.round, args.panelist, args.pdf)}")
    return EXIT_OK


def _import_sheet(args: argparse.Namespace) -> int:
    from sro_desk.services import hiring_sheets

    outcome = hiring_sheets.import_score_sheet(args.file, args.round, reason=args.reason)
    print(outcome.message)
    return EXIT_OK
