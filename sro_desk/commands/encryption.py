"""Passphrase commands: protect a database, change its passphrase, remove the protection.

Passphrases never come from arguments (command lines are visible to other users and kept in shell
history): the current one from ``SRO_DESK_PASSPHRASE`` or a prompt, a new one from
``SRO_DESK_NEW_PASSPHRASE`` or a prompt that asks twice.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sro_desk.cli import EXIT_OK, CommandGroups, add_db_argument

NEW_PASSPHRASE_ENV = "SRO_DESK_NEW_PASSPHRASE"


def register(groups: CommandGroups) -> None:
    protect = groups.top.add_parser(
        "protect",
        help=f"protect the database with a passphrase (new passphrase from {NEW_PASSPHRASE_ENV} or a prompt)",
    )
    add_db_argument(protect)
    protect.set_defaults(handler=_protect, needs_db=False)

    change = groups.top.add_parser(
        "change-passphrase",
        help=f"change the passphrase (current from SRO_DESK_PASSPHRASE, new from {NEW_PASSPHRASE_ENV}, or prompts)",
    )
    add_db_argument(change)
    change.set_defaults(handler=_change, needs_db=False)

    remove = groups.top.add_parser("unprotect", help="remove the passphrase protection (the file is stored unencrypted)")
    add_db_argument(remove)
    remove.set_defaults(handler=_remove, needs_db=False)


def _path(args: argparse.Namespace) -> Path:
    from sro_desk.paths import default_database_path

    return (Path(args.db) if args.db else default_database_path()).expanduser().resolve()


def _require_file(path: Path) -> None:
    from sro_desk.domain.errors import NotFound

    if not path.is_file():
        raise NotFound(f"{path} does not exist.")


def _report(result: object) -> int:
    from sro_desk.store.encryption import ProtectionResult

    assert isinstance(result, ProtectionResult)
    print(result.summary)
    return EXIT_OK


def _protect(args: argparse.Namespace) -> int:
    from sro_desk.cli import passphrase_from_env_or_prompt
    from sro_desk.domain.errors import SroDeskError
    from sro_desk.store.encryption import change_protection, looks_encrypted

    path = _path(args)
    _require_file(path)
    if looks_encrypted(path):
        from sro_desk.store import encryption

        if encryption.protection_pending(path) is None and not encryption.unprotected_copies(path):
            raise SroDeskError(f"{path.name} is already protected; use 'sro-desk change-passphrase'.")
        return _finish(path)
    new = passphrase_from_env_or_prompt(path, confirm_new=True, env=NEW_PASSPHRASE_ENV)
    return _report(change_protection(path, None, new))


def _finish(path: Path) -> int:
    """``protect`` again on a protected database whose protection was interrupted: opening it
    with its passphrase finishes the work (backups encrypted, stale copies removed)."""
    from sro_desk.cli import cli_passphrase_asker
    from sro_desk.services.session import FileTarget, current_session
    from sro_desk.store import encryption

    session = current_session()
    session.open(FileTarget(path), ask=cli_passphrase_asker(path), daily_backup=False)
    notice = session.notice
    session.close()
    left = encryption.unprotected_copies(path)
    print(notice or f"{path.name} was already protected; nothing was left to finish.")
    if left:
        print("Still unprotected: " + ", ".join(p.name for p in left))
        return 1
    return EXIT_OK


def _change(args: argparse.Namespace) -> int:
    from sro_desk.cli import passphrase_from_env_or_prompt
    from sro_desk.domain.errors import SroDeskError
    from sro_desk.store.encryption import change_protection, looks_encrypted, remembered_passphrase

    path = _path(args)
    _require_file(path)
    if not looks_encrypted(path):
        raise SroDeskError(f"{path.name} is not protected; use 'sro-desk protect'.")
    old = remembered_passphrase(path) or passphrase_from_env_or_prompt(path)
    new = passphrase_from_env_or_prompt(path, confirm_new=True, env=NEW_PASSPHRASE_ENV)
    return _report(change_protection(path, old, new))


def _remove(args: argparse.Namespace) -> int:
    from sro_desk.cli import passphrase_from_env_or_prompt
    from sro_desk.domain.errors import SroDeskError
    from sro_desk.store.encryption import change_protection, looks_encrypted, remembered_passphrase

    path = _path(args)
    _require_file(path)
    if not looks_encrypted(path):
        raise SroDeskError(f"{path.name} is not protected.")
    old = remembered_passphrase(path) or passphrase_from_env_or_prompt(path)
    return _report(change_protection(path, old, None))
