"""``sro-desk check``: is this file whole, of a version we know, with an unbroken audit trail?

Check only reads: the file is opened read-only (``mode=ro``, ``query_only``), nothing is migrated,
backed up or anchored, and what is not a database file (a folder, a FIFO, a device such as
``/dev/null``, an empty or foreign file) is refused in words without being opened.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sro_desk.store.errors import StoreError

_NOT_A_FILE = "{path} is not a database file: it is a folder, a device or another special file."


def run_check(path: Path) -> tuple[list[str], list[str]]:
    """(problems, progress lines). The first problem is the one to name."""
    from sro_desk.store.connection import remove_new_sides, side_files

    before = side_files(path)
    try:
        return _run_check(path)
    finally:
        remove_new_sides(before)


def _run_check(path: Path) -> tuple[list[str], list[str]]:
    from sro_desk.store import backups, encryption
    from sro_desk.store.attachments import mismatched_attachments
    from sro_desk.store.audit import anchor_report, verify_audit_chain
    from sro_desk.store.connection import FileKind, connect, inspect_file, quick_check
    from sro_desk.store.database import (
        close_database,
        open_database,
        schema_version,
        schema_version_of_program,
    )
    from sro_desk.store.roster_repo import roster_rule_breaches

    problems: list[str] = []
    lines: list[str] = []
    kind = inspect_file(path)
    if kind is FileKind.MISSING:
        return [f"{path} does not exist."], lines
    if kind is FileKind.NOT_A_FILE:
        return [_NOT_A_FILE.format(path=path)], lines
    if kind is FileKind.EMPTY:
        return [f"{path.name} is an empty file, not an SRO Desk database."], lines
    if kind is FileKind.FOREIGN:
        return [f"{path.name} is not an SRO Desk database (it is not a SQLite file)."], lines
    if kind is FileKind.DAMAGED:
        return [f"{path.name} is damaged: its first page is destroyed, so it cannot be read. "
                f"Restore a backup with 'sro-desk restore'. {backups.backup_advice(path)}"], lines
    read_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError, *encryption.driver_errors())
    passphrase = None
    if kind is FileKind.PROTECTED:
        passphrase = encryption.remembered_passphrase(path)
        if not passphrase:
            return [f"{path.name} is protected with a passphrase; give it to check the file."], lines
        lines.append("Protection: passphrase (SQLCipher)")
    try:
        conn = connect(path, passphrase, read_only=True)
        try:
            damage = quick_check(conn)
            rows = [] if damage else conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except read_errors as error:
        return [f"The file cannot be read as a database: {error}."], lines
    except StoreError as error:
        return [str(error).splitlines()[0]], lines
    if damage or rows != [("ok",)]:
        first = damage[0] if damage else rows[0][0]
        return [f"{path.name} is damaged (SQLite's check: {first}). Restore a backup with "
                f"'sro-desk restore'. {backups.backup_advice(path)}"], lines
    lines.append("Integrity check: ok")
    try:
        db = open_database(path, migrate=False, daily_backup=False, read_only=True)
    except StoreError as error:
        return [str(error).splitlines()[0]], lines
    try:
        found, expected = schema_version(db), schema_version_of_program()
        if found < expected:
            lines.append(f"Schema version: {found} (this program upgrades it to {expected} when the app opens it)")
        else:
            lines.append(f"Schema version: {found}")
        if found:
            chain = verify_audit_chain()
            tail, notes = anchor_report(path)
            if chain:
                problems.append(chain)
            problems.extend(tail)
            if not chain and not tail:
                lines.append("Audit chain: intact")
            lines.extend(f"Note: {note}" for note in notes)
            bad = mismatched_attachments()
            for info in bad:
                problems.append(f"Attachment {info.id} ({info.filename}) no longer matches its recorded SHA-256.")
            if not bad:
                lines.append("Attachments: every file matches its SHA-256")
            from sro_desk import clock
            from sro_desk.store.date_scan import dates_outside_entry_range

            # an older file may hold dates no one can enter any more (0001-01-01 from an SIS):
            # they still open and show, and are named here so someone corrects them
            outside = dates_outside_entry_range(clock.today())
            problems.extend(f"Stored dates outside the range: {o}" for o in outside)
            if not outside:
                lines.append("Dates: every stored date is inside 1 January 1990 – ten years from today")
            breaches = roster_rule_breaches()
            problems.extend(f"Roster rule broken: {b}" for b in breaches)
            if not breaches:
                lines.append("Roster rules: every active or pending person meets them")
    finally:
        close_database()
    plain = encryption.unprotected_copies(path)
    if plain:
        names = ", ".join(p.name for p in plain)
        problems.append(f"Unprotected copies beside a protected database, in {backups.backups_dir(path)}: {names}. "
                        "Open the database (or run 'sro-desk protect' again) to encrypt them.")
    elif kind is FileKind.PROTECTED:
        lines.append("Backups: every copy in the backups folder is protected")
    pending = encryption.protection_pending(path)
    if pending is not None:
        problems.append("A change of the passphrase protection was interrupted and is not finished. "
                        "Open the database (or run 'sro-desk protect' again) to finish it.")
    return problems, lines
