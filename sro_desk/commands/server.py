"""`sro-desk server …`: set up the district's PostgreSQL server, add people, move data in and out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sro_desk.cli import EXIT_OK, CommandGroups

ADDRESS_HELP = ("the server: a connection URL (postgresql://user@host:5432/sro?sslmode=verify-full"
                "&sslrootcert=district-ca.pem) or key=value words; the password comes from PGPASSWORD, "
                "~/.pgpass or a prompt, never from the command line")
NEW_PASSWORD_ENV = "SRO_DESK_NEW_USER_PASSWORD"


def register(groups: CommandGroups) -> None:
    server = groups.top.add_parser(
        "server", help="the district's shared PostgreSQL server: init, users, push, snapshot",
        description="Set up and use the district's shared PostgreSQL server. See docs/server.md.",
    ).add_subparsers(dest="server_command", metavar="ACTION", required=True)

    def action(name: str, help_text: str, example: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = server.add_parser(
            name, help=help_text, description=help_text, epilog=f"example: {example}",
            formatter_class=argparse.RawDescriptionHelpFormatter)
        parser.add_argument("--server", required=True, metavar="ADDRESS", help=ADDRESS_HELP)
        return parser

    init = action("init", "create the schema, roles and row-level security on an empty database (safe to run twice)",
                  "sro-desk server init --server postgresql://sro_owner@db.cvsd.org/sro")
    init.set_defaults(handler=_init, needs_db=False)

    users = action("users", "list the people who can sign in, with their roles",
                   "sro-desk server users --server postgresql://sro_owner@db.cvsd.org/sro")
    users.set_defaults(handler=_users, needs_db=False)

    add = action("user-add", "give a person their own sign-in with one role",
                 "sro-desk server user-add osei --role principal --building RMS --name 'Helen Osei' "
                 "--server postgresql://sro_owner@db.cvsd.org/sro")
    add.add_argument("name", help="the sign-in name (letters, digits, . _ -)")
    add.add_argument("--role", required=True,
                     help="coordinator, principal, hiring coordinator, panelist or viewer")
    add.add_argument("--building", help="a principal's building code")
    add.add_argument("--name", dest="full_name", default="", help="the person's name, as shown")
    add.add_argument("--no-password", action="store_true",
                     help="no password (the server authenticates by certificate or the operating system)")
    add.set_defaults(handler=_user_add, needs_db=False)

    push = action("push", "move a laptop database file onto an empty server database: everything or nothing",
                  "sro-desk server push district.db --server postgresql://sro_owner@db.cvsd.org/sro")
    push.add_argument("file", type=Path)
    push.add_argument("--reason", default="", help="a note for the audit trail")
    push.set_defaults(handler=_push, needs_db=False)

    snap = action("snapshot", "write a consistent copy of the server into a new database file",
                  "sro-desk server snapshot offline.db --protect --server postgresql://coord@db.cvsd.org/sro")
    snap.add_argument("file", type=Path)
    snap.add_argument("--protect", action="store_true",
                      help="protect the copy with a passphrase (SRO_DESK_NEW_PASSPHRASE or a prompt)")
    snap.set_defaults(handler=_snapshot, needs_db=False)


def _ask_password(address: object) -> str:
    import getpass

    from sro_desk.domain.errors import SroDeskError

    if not sys.stdin.isatty():
        raise SroDeskError("The server asks for a password: set PGPASSWORD, or run the command in a terminal.")
    return getpass.getpass(f"Password for {address}: ")


def _connect(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from sro_desk.services.server import connect

    return connect(args.server, _ask_password)


def _init(args: argparse.Namespace) -> int:
    from sro_desk.services.server import init_server

    db = _connect(args)
    try:
        print(init_server(db).summary)
    finally:
        db.close()
    return EXIT_OK


def _users(args: argparse.Namespace) -> int:
    from sro_desk.services.server import list_users

    db = _connect(args)
    try:
        people = list_users(db)
    finally:
        db.close()
    for person in people:
        scope = f" · building {person.building_id}" if person.building_id else ""
        print(f"{person.role_name:<20} {person.role.label}{scope}  {person.full_name}")
    if not people:
        print("No one has a sign-in yet: add people with 'sro-desk server user-add'.")
    return EXIT_OK


def _new_password(name: str) -> str:
    import getpass
    import os

    from sro_desk.domain.errors import SroDeskError, ValidationError

    value = os.environ.get(NEW_PASSWORD_ENV)
    if value:
        return value
    if not sys.stdin.isatty():
        raise SroDeskError(f"Set {NEW_PASSWORD_ENV} to {name}'s first password, or run this in a terminal.")
    first = getpass.getpass(f"First password for {name}: ")
    if len(first) < 12:
        raise ValidationError("Use a password of at least 12 characters.")
    if getpass.getpass("The same password again: ") != first:
        raise ValidationError("The two passwords differ.")
    return first


def _user_add(args: argparse.Namespace) -> int:
    from sro_desk.services.server import add_user

    password = None if args.no_password else _new_password(args.name)
    db = _connect(args)
    try:
        member = add_user(db, args.name, args.role, building=args.building, full_name=args.full_name,
                          password=password)
    finally:
        db.close()
    print(f"{member.role_name} can now sign in as {member.role.label}.")
    return EXIT_OK


def _push(args: argparse.Namespace) -> int:
    from sro_desk.services.server import push_file

    db = _connect(args)
    try:
        result = push_file(args.file, db, note=args.reason)
    finally:
        db.close()
    print(f"Moved {result.total} rows from {args.file.name} to the server, "
          f"with its {result.audit_entries - 1} audit entries and one noting the move.")
    return EXIT_OK


def _snapshot(args: argparse.Namespace) -> int:
    from sro_desk.cli import passphrase_from_env_or_prompt
    from sro_desk.services.server import snapshot_to

    passphrase = None
    if args.protect:
        passphrase = passphrase_from_env_or_prompt(args.file, confirm_new=True, env="SRO_DESK_NEW_PASSPHRASE")
    db = _connect(args)
    try:
        result = snapshot_to(db, args.file, passphrase=passphrase)
    finally:
        db.close()
    print(f"Wrote {args.file}: {result.total} rows, a consistent copy of the server.")
    return EXIT_OK
