"""``sro-desk check``: is this file whole, of a version we know, with an unbroken audit trail?"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sro_desk.store.errors import StoreError


def run_check(path: Path) -> tuple[list[str], list[str]]:
    """(problems, progress lines). The first problem is the one to name."""
    from sro_desk.store.attachments import mismatched_attachments
    from sro_desk.store.audit import anchor_problem, verify_audit_chain
    from sro_desk.store.database import (
        close_database,
        open_database,
        schema_version,
        schema_version_of_program,
    )
    from sro_desk.store.roster_repo import roster_rule_breaches

    problems: list[str] = []
    lines: list[str] = []
    if not path.exists():
        return [f"{path} does not exist."], lines
    from sro_desk.store import encryption

    read_errors: tuple[type[Exception], ...] = (sqlite3.DatabaseError, *encryption.driver_errors())
    try:
        if encryption.looks_encrypted(path):
            passphrase = encryption.remembered_passphrase(path)
            if not passphrase:
                return [f"{path.name} is protected with a passphrase; give it to check the file."], lines
            conn = encryption.connect(path, passphrase)
            lines.append("Protection: passphrase (SQLCipher)")
        else:
            conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = conn.execute("PRAGMA integrity_check").fetchall()
        finally:
            conn.close()
    except read_errors as error:
        return [f"The file cannot be read as a database: {error}."], lines
    except StoreError as error:
        return [str(error).splitlines()[0]], lines
    if rows != [("ok",)]:
        return [f"SQLite integrity check failed: {rows[0][0]}"], lines
    lines.append("Integrity check: ok")
    try:
        db = open_database(path, migrate=False, daily_backup=False)
    except StoreError as error:
        return [str(error).splitlines()[0]], lines
    try:
        found, expected = schema_version(db), schema_version_of_program()
        if found < expected:
            lines.append(f"Schema version: {found} (this program upgrades it to {expected} when the app opens it)")
        else:
            lines.append(f"Schema version: {found}")
        if found:
            chain = verify_audit_chain() or anchor_problem(path)
            if chain:
                problems.append(chain)
            else:
                lines.append("Audit chain: intact")
            bad = mismatched_attachments()
            for info in bad:
                problems.append(f"Attachment {info.id} ({info.filename}) no longer matches its recorded SHA-256.")
            if not bad:
                lines.append("Attachments: every file matches its SHA-256")
            breaches = roster_rule_breaches()
            problems.extend(f"Roster rule broken: {b}" for b in breaches)
            if not breaches:
                lines.append("Roster rules: every active or pending person meets them")
    finally:
        close_database()
    return problems, lines
