"""The command line. No subcommand opens the GUI; every headless job lives here too.

Subcommands come from modules in ``sro_desk.commands``: each defines ``register(groups)`` and adds
its parsers to ``groups.top`` or to the ``export``/``import``/``report`` groups, with
``set_defaults(handler=fn, needs_db=True|False)``. Known failures print one line and exit 2.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sro_desk import __version__

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_ERROR = 2


@dataclass
class CommandGroups:
    top: Any
    export: Any
    import_: Any
    report: Any


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database file (default: the one in your user data folder)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sro-desk",
        description="SRO Desk: the school safety and security staff program office. "
        "Run without a command to open the app.",
    )
    parser.add_argument("--version", action="version", version=f"SRO Desk {__version__}")
    add_db_argument(parser)
    parser.add_argument("--smoke", action="store_true", help="build the main window offscreen, visit every tab, exit")
    top = parser.add_subparsers(dest="command", metavar="COMMAND")
    export = top.add_parser("export", help="write a report or record to a file").add_subparsers(dest="what", metavar="WHAT", required=True)
    import_ = top.add_parser("import", help="import a file into the database").add_subparsers(dest="what", metavar="WHAT", required=True)
    report = top.add_parser("report", help="build an annual report").add_subparsers(dest="what", metavar="WHAT", required=True)
    groups = CommandGroups(top, export, import_, report)
    import sro_desk.commands as commands_pkg

    for info in sorted(pkgutil.iter_modules(commands_pkg.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"sro_desk.commands.{info.name}")
        module.register(groups)
    return parser


def _print_error(error: BaseException) -> None:
    from sro_desk.domain.errors import ImportRefused

    if isinstance(error, ImportRefused):
        print(f"sro-desk: {error.summary}", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
    else:
        text = " ".join(str(error).split())
        print(f"sro-desk: {text}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.command is None:
        from sro_desk.app import run_gui

        return run_gui(db_path=args.db, smoke=args.smoke)
    from sro_desk.domain.errors import SroDeskError
    from sro_desk.store.errors import as_store_error

    db = None
    try:
        if getattr(args, "needs_db", False):
            from sro_desk.paths import default_database_path
            from sro_desk.store.database import open_database

            db = open_database(args.db or default_database_path())
        result: int = args.handler(args)
        return result
    except SroDeskError as error:
        _print_error(error)
        return EXIT_ERROR
    except Exception as error:
        known = as_store_error(error)
        if known is None:
            raise
        _print_error(known)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("sro-desk: interrupted", file=sys.stderr)
        return 130
    finally:
        if db is not None and not db.is_closed():
            db.close()
