"""Foundation commands: demo, check, backup, templates, roster import/export, screenshots."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sro_desk.cli import EXIT_OK, EXIT_PROBLEM, CommandGroups, add_db_argument

#: the user guide's pictures show the demo district on this day, whatever day they are made
SCREENSHOT_DAY = dt.date(2026, 11, 26)


def register(groups: CommandGroups) -> None:
    demo = groups.top.add_parser("demo", help="create a fictitious demo district in a new file")
    demo.add_argument("path", type=Path)
    demo.add_argument(
        "--as-of", metavar="DATE",
        help="tell the story as of this day (YYYY-MM-DD or M/D/YYYY) instead of today",
    )
    demo.set_defaults(handler=_demo, needs_db=False)

    check = groups.top.add_parser("check", help="verify file integrity, schema version and the audit chain")
    add_db_argument(check)
    check.set_defaults(handler=_check, needs_db=False)

    backup = groups.top.add_parser("backup", help="take a backup now (into the backups folder beside the database)")
    add_db_argument(backup)
    backup.set_defaults(handler=_backup, needs_db=True)

    template = groups.top.add_parser("template", help="write an import template (.xlsx or .csv)")
    template.add_argument("name", help="which template: roster, calls, ... ('sro-desk template list' lists them)")
    template.add_argument("file", type=Path, nargs="?", help="where to write it: .xlsx or .csv")
    template.set_defaults(handler=_template, needs_db=False)

    roster = groups.import_.add_parser("roster", help="import staff from .xlsx or .csv (all rows or none)")
    roster.add_argument("file", type=Path)
    roster.add_argument("--reason", default="", help="why people who are not cleared to work may be imported as active (audited)")
    add_db_argument(roster)
    roster.set_defaults(handler=_import_roster, needs_db=True)

    export = groups.export.add_parser("roster", help="the staff roster as .xlsx and/or .pdf")
    add_db_argument(export)
    export.add_argument("--xlsx", type=Path)
    export.add_argument("--pdf", type=Path)
    export.set_defaults(handler=_export_roster, needs_db=True)

    shots = groups.top.add_parser("screenshots", help="render every tab offscreen to DIR/<tab>.png")
    shots.add_argument("dir", type=Path)
    shots.add_argument(
        "--as-of", default=None, metavar="DATE",
        help=f"the day the pictures show (default {SCREENSHOT_DAY.isoformat()}, so regenerating "
             "them does not change them)",
    )
    add_db_argument(shots)
    shots.set_defaults(handler=_screenshots, needs_db=False)


def _demo(args: argparse.Namespace) -> int:
    from sro_desk.domain.dates import format_date
    from sro_desk.services.demo import build_demo

    as_of = _as_of(args.as_of)
    path = build_demo(args.path, today=as_of)
    print(f"Demo district written to {path}" + (f" (as of {format_date(as_of)})" if as_of else ""))
    return EXIT_OK


def _check(args: argparse.Namespace) -> int:
    from sro_desk.paths import default_database_path
    from sro_desk.services.check import run_check

    path = Path(args.db) if args.db else default_database_path()
    from sro_desk.cli import unlock_for_cli

    unlock_for_cli(path)
    problems, lines = run_check(path)
    for line in lines:
        print(line)
    if problems:
        print(f"PROBLEM: {problems[0]}")
        return EXIT_PROBLEM
    print("All checks passed.")
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    from sro_desk.store import backups
    from sro_desk.store.database import current_database, current_path

    dest = backups.make_backup(current_database(), current_path(), reason="manual")
    print(f"Backup written to {dest}")
    return EXIT_OK


def _template(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import NotFound, ValidationError
    from sro_desk.services.templates import all_templates, template_by_name, write_template

    if args.name == "list":
        for spec in all_templates():
            print(f"{spec.name}: {spec.title}")
        return EXIT_OK
    if args.file is None:
        raise ValidationError("Give the file to write, for example: sro-desk template roster roster.xlsx")
    try:
        spec = template_by_name(args.name)
    except KeyError as error:
        raise NotFound(str(error.args[0])) from None
    print(f"Template written to {write_template(spec, args.file)}")
    return EXIT_OK


def _import_roster(args: argparse.Namespace) -> int:
    from sro_desk.services.roster_import import import_roster

    result = import_roster(args.file, activation_reason=args.reason)
    print(result.summary)
    for warning in result.warnings:
        print(f"  note: {warning}")
    return EXIT_OK


def _export_roster(args: argparse.Namespace) -> int:
    from sro_desk.domain.errors import ValidationError
    from sro_desk.services.roster_export import export_roster

    if not args.xlsx and not args.pdf:
        raise ValidationError("Give --xlsx FILE and/or --pdf FILE.")
    for path in export_roster(xlsx=args.xlsx, pdf=args.pdf):
        print(f"Wrote {path}")
    return EXIT_OK


def _as_of(text: str | None) -> dt.date | None:
    """An --as-of date (YYYY-MM-DD or M/D/YYYY), or a refusal in words before anything is written."""
    from sro_desk.domain.dates import parse_date
    from sro_desk.domain.errors import ValidationError

    if text is None:
        return None
    try:
        return parse_date(text)
    except ValueError as error:
        raise ValidationError(f"--as-of: {error}; nothing was written.") from None


def _screenshots(args: argparse.Namespace) -> int:
    from sro_desk.app import render_screenshots

    for path in render_screenshots(args.db, args.dir, as_of=_as_of(args.as_of) or SCREENSHOT_DAY):
        print(f"Wrote {path}")
    return EXIT_OK
