"""Calls commands: ``sro-desk import calls FILE --db PATH``."""

from __future__ import annotations

import argparse
from pathlib import Path

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument


def register(groups: CommandGroups) -> None:
    calls = groups.import_.add_parser(
        "calls",
        help="import calls for service from the student information system (.xlsx or .csv; "
        "all rows or none)",
    )
    calls.add_argument("file", type=Path)
    add_db_argument(calls)
    calls.set_defaults(handler=_import_calls, needs_db=True)


def _import_calls(args: argparse.Namespace) -> int:
    from sro_desk.services.calls_import import import_calls

    result = import_calls(args.file)
    print(result.summary)
    for warning in result.warnings:
        print(f"  note: {warning}")
    return EXIT_OK
