"""The command line. No subcommand opens the GUI; every headless job lives here too.

Subcommands come from modules in ``sro_desk.commands``: each defines ``register(groups)`` and adds
its parsers to ``groups.top`` or to the ``export``/``import``/``report`` groups, with
``set_defaults(handler=fn, needs_db=True|False)``. Known failures print one line and exit 2.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sro_desk import __version__

if TYPE_CHECKING:
    import argparse

EXIT_OK = 0
EXIT_PROBLEM = 1
EXIT_ERROR = 2


@dataclass
class CommandGroups:
    """The parsers a command module adds its subcommands to."""

    top: Any
    export: Any
    import_: Any
    report: Any


def add_db_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="PATH", help="database file (default: the one in your user data folder)")


MAX_RECORD_ID = 2**63 - 1  # SQLite's largest integer


def record_id(text: str) -> int:
    """An argparse type for a record's id: a whole number SQLite can hold, else a usage error
    in words (a 5,000-digit --person once reached SQLite as an OverflowError)."""
    import argparse

    value = text.strip()
    if not value.isdigit() or len(value) > 19 or not 1 <= int(value) <= MAX_RECORD_ID:
        raise argparse.ArgumentTypeError(f"'{value[:30]}' is not a record id (a whole number from 1)")
    return int(value)


def _undecodable_arguments(args: argparse.Namespace) -> list[str]:
    """Options given as text (not file names) that hold bytes which are not UTF-8: Python keeps
    such bytes as lone surrogates, which no database or file can store."""
    bad: list[str] = []
    for name, value in vars(args).items():
        if isinstance(value, str) and re.search("[\ud800-\udfff]", value):
            bad.append("--" + name.replace("_", "-"))
    return bad


def _tolerant_output() -> None:
    """Print any path, even one whose name holds undecodable bytes, instead of failing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # a stream that cannot change
                reconfigure(errors="backslashreplace")


def build_parser() -> argparse.ArgumentParser:
    import argparse
    import importlib
    import pkgutil

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
        for line in error.listed_lines():  # capped: "… and N more problems"
            print(f"  {line}", file=sys.stderr)
    else:
        text = " ".join(str(error).split())
        print(f"sro-desk: {text}", file=sys.stderr)


PASSPHRASE_TRIES = 3


def passphrase_from_env_or_prompt(path: Path, *, confirm_new: bool = False, env: str | None = None) -> str:
    """A passphrase for ``path``: from the environment (``SRO_DESK_PASSPHRASE``) or a terminal prompt.

    Never from an argument: command lines are visible to every user of the machine and are kept
    in shell history. Without the variable and without a terminal, says how to give it.
    """
    import getpass
    import os

    from sro_desk.domain.errors import SroDeskError, ValidationError
    from sro_desk.store.encryption import PASSPHRASE_ENV, passphrase_problems

    variable = env or PASSPHRASE_ENV
    value = os.environ.get(variable)
    if value and re.search("[\ud800-\udfff]", value):
        raise ValidationError(f"The environment variable {variable} holds bytes that are not "
                              "UTF-8 text; set it again in a UTF-8 terminal.")
    if value:
        return value
    if not sys.stdin.isatty():
        raise SroDeskError(
            f"{path.name} is protected with a passphrase. Set the environment variable {variable} "
            "to the passphrase, or run the command in a terminal to be asked for it."
        )
    if not confirm_new:
        return getpass.getpass(f"Passphrase for {path.name}: ")
    first = getpass.getpass(f"New passphrase for {path.name}: ")
    again = getpass.getpass("The same passphrase again: ")
    problems = passphrase_problems(first, again)
    if problems:
        raise ValidationError(problems)
    return first


def cli_passphrase_asker(path: Path):  # type: ignore[no-untyped-def]
    """``ask(message)`` for the session: ``SRO_DESK_PASSPHRASE`` (once: a wrong one is final), or
    a terminal prompt (``PASSPHRASE_TRIES`` times)."""
    import os

    from sro_desk.store.encryption import PASSPHRASE_ENV
    from sro_desk.store.errors import StoreError, StoreProblem

    from_env = bool(os.environ.get(PASSPHRASE_ENV))
    tries = [0]

    def ask(message: str) -> str | None:
        if message:  # the last one was wrong
            if from_env or tries[0] >= PASSPHRASE_TRIES:
                raise StoreError(StoreProblem.WRONG_PASSPHRASE, "", str(path))
            print("That passphrase is not correct; try again.", file=sys.stderr)
        tries[0] += 1
        return passphrase_from_env_or_prompt(path)

    return ask


def unlock_for_cli(path: Path) -> None:
    """When ``path`` is protected, get its passphrase (environment or prompt, retrying a wrong one
    in a terminal) and remember it for this process, so every command opens the file as usual."""
    from sro_desk.store import encryption
    from sro_desk.store.errors import StoreError, StoreProblem

    path = path.expanduser()
    if not encryption.looks_encrypted(path) or encryption.remembered_passphrase(path):
        return
    ask = cli_passphrase_asker(path)
    message = ""
    while True:
        passphrase = ask(message)
        if passphrase and encryption.check_passphrase(path, passphrase):
            encryption.remember_passphrase(path, passphrase)
            return
        if passphrase is None:
            raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "", str(path))
        message = "wrong"


def gui_options(argv: Sequence[str]) -> tuple[str | None, bool] | None:
    """``(db, smoke)`` for a plain start of the app (``[--db PATH] [--smoke]``), else ``None``.

    Read by hand so that opening the app does not build every subcommand's parser, which imports
    every command module; anything else (help, a command, a mistake) goes to the full parser.
    """
    db: str | None = None
    smoke = False
    rest = list(argv)
    while rest:
        token = rest.pop(0)
        if token == "--smoke":
            smoke = True
        elif token == "--db" and rest and not rest[0].startswith("-"):
            db = rest.pop(0)
        elif token.startswith("--db=") and len(token) > len("--db="):
            db = token[len("--db="):]
        else:
            return None
    return db, smoke


def start_gui(db: str | None, smoke: bool) -> int:
    # Start-up allocates a great many objects that live as long as the program; the cyclic
    # collector would only walk them again and again. It is paused until the window is on
    # screen (or a dialog must come first), then those objects are frozen out of later
    # collections (app.resume_collection).
    import gc

    if not smoke:  # (the smoke test runs as the program runs once started, collector on)
        gc.disable()
    try:
        from sro_desk.app import run_gui

        if smoke and db:
            # Offscreen there is nobody to ask: a protected file opens with SRO_DESK_PASSPHRASE.
            import os

            from sro_desk.store import encryption

            value = os.environ.get(encryption.PASSPHRASE_ENV)
            if value and encryption.looks_encrypted(Path(db).expanduser()):
                encryption.remember_passphrase(Path(db), value)
        return run_gui(db_path=db, smoke=smoke)
    finally:
        gc.enable()


def main(argv: Sequence[str] | None = None) -> int:
    _tolerant_output()
    arguments = list(argv) if argv is not None else sys.argv[1:]
    gui = gui_options(arguments)
    if gui is not None:
        return start_gui(*gui)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        return start_gui(args.db, args.smoke)
    from sro_desk.domain.errors import SroDeskError
    from sro_desk.logs import setup_logging
    from sro_desk.services.session import current_session
    from sro_desk.store.errors import as_store_error

    setup_logging()
    session = current_session()
    opened = False
    try:
        undecodable = _undecodable_arguments(args)
        if undecodable:
            from sro_desk.domain.errors import ValidationError

            raise ValidationError(f"{', '.join(undecodable)} holds bytes that are not UTF-8 "
                                  "text; type it again in a UTF-8 terminal.")
        if getattr(args, "db", None) or getattr(args, "needs_db", False):
            from sro_desk.paths import default_database_path

            unlock_for_cli(Path(args.db) if getattr(args, "db", None) else default_database_path())
        if getattr(args, "needs_db", False):
            from sro_desk.domain.errors import NotFound
            from sro_desk.paths import default_database_path
            from sro_desk.services.session import FileTarget

            path = Path(args.db) if args.db else default_database_path()
            if not path.parent.exists():
                from sro_desk.store.errors import StoreError, StoreProblem

                raise StoreError(StoreProblem.CANNOT_OPEN, "folder missing", str(path))
            if not path.exists():
                # A mistyped --db must not quietly create an empty district and report on it.
                raise NotFound(
                    f"There is no database at {path}. Open the app to create one "
                    "(File > New database), or make a demo with 'sro-desk demo PATH'."
                )
            session.open(FileTarget(path), ask=cli_passphrase_asker(path))
            opened = True
            if session.notice:
                print(f"sro-desk: {session.notice}", file=sys.stderr)
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
        if opened:
            session.close()  # (writes the audit anchor beside the file)
