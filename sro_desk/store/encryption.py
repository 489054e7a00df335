"""Encryption at rest with SQLCipher: protect a database with a passphrase, change it, remove it.

A protected file is a SQLCipher 4 database (AES-256, a key derived from the passphrase with
PBKDF2-HMAC-SHA512); its first bytes are a random salt, so plain SQLite cannot read any of it.

Protecting, changing and removing all work the same crash-safe way: with every other connection
to the file closed, ``sqlcipher_export`` writes the whole database, under the new key, to a new
file beside it; that file is checked (``PRAGMA integrity_check`` with the new key), flushed to disk
and renamed over the old one in one step. A failure or a power cut at any moment leaves either
the old file or the new one, never half of each; a wrong passphrase changes nothing.

Backups follow the database: when the protection changes, every backup in the ``backups`` folder
is rewritten the same way, so no unprotected copy stays beside a protected database and every
backup opens with the database's current passphrase.

The passphrase of a database opened in this process is kept in memory (only there) so that the
program can reopen it after a restore or when switching back; ``forget_passphrase`` drops it.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sro_desk.store import backups
from sro_desk.store.connection import (
    FileKind,
    connect,
    driver,
    driver_errors,
    explain,
    fsync_file,
    fsync_folder,
    has_plain_header,
    inspect_file,
    is_protected,
    key_literal,
    looks_encrypted,
    passphrase_of,
    require_usable,
)
from sro_desk.store.errors import StoreError, StoreProblem

__all__ = [
    "MAX_LENGTH", "MIN_LENGTH", "PASSPHRASE_ENV", "ProtectionResult", "change_protection", "check_passphrase",
    "connect", "driver_errors", "finish_protection", "forget_passphrase", "has_plain_header", "is_protected",
    "looks_encrypted", "passphrase_of", "passphrase_problems", "remember_passphrase", "remembered_passphrase",
    "rewrite_file", "unprotected_copies",
]

log = logging.getLogger(__name__)

PASSPHRASE_ENV = "SRO_DESK_PASSPHRASE"
MIN_LENGTH = 8
MAX_LENGTH = 1024

_remembered: dict[Path, str] = {}


# ---------------------------------------------------------------------------- passphrases
def passphrase_problems(passphrase: str, again: str | None = None) -> list[str]:
    """What is wrong with a new passphrase (empty list = acceptable)."""
    problems: list[str] = []
    if len(passphrase) < MIN_LENGTH:
        problems.append(f"The passphrase must be at least {MIN_LENGTH} characters long.")
    if len(passphrase) > MAX_LENGTH:
        problems.append(f"The passphrase must be at most {MAX_LENGTH} characters long.")
    if "\x00" in passphrase:
        problems.append("The passphrase cannot contain a NUL character.")
    if passphrase and passphrase.strip() != passphrase:
        problems.append("The passphrase cannot begin or end with a space.")
    if again is not None and again != passphrase:
        problems.append("The two passphrases are not the same.")
    return problems


def remember_passphrase(path: Path | str, passphrase: str) -> None:
    _remembered[Path(path).expanduser().resolve()] = passphrase


def forget_passphrase(path: Path | str | None = None) -> None:
    """Drop the remembered passphrase of ``path`` (of every file when ``None``)."""
    if path is None:
        _remembered.clear()
    else:
        _remembered.pop(Path(path).expanduser().resolve(), None)


def remembered_passphrase(path: Path | str) -> str | None:
    return _remembered.get(Path(path).expanduser().resolve())


# ---------------------------------------------------------------------------- files
def check_passphrase(path: Path | str, passphrase: str) -> bool:
    """Does ``passphrase`` open the protected file at ``path``? Reads only; never changes the file."""
    path = Path(path)
    if not looks_encrypted(path):
        return False
    try:
        conn = connect(path, passphrase)
    except StoreError as error:
        if error.problem is StoreProblem.WRONG_PASSPHRASE:
            return False
        raise
    conn.close()
    return True


# ---------------------------------------------------------------------------- rewriting
@dataclass(frozen=True, slots=True)
class ProtectionResult:
    """What protecting, re-keying or unprotecting did to the file and its backups."""

    path: Path
    protected: bool
    backups_rewritten: tuple[Path, ...] = ()
    backups_skipped: tuple[Path, ...] = ()

    @property
    def summary(self) -> str:
        state = "is now protected with a passphrase" if self.protected else "is no longer protected"
        text = f"{self.path.name} {state}."
        if self.backups_rewritten:
            text += f" {len(self.backups_rewritten)} backup(s) rewritten to match."
        if self.backups_skipped:
            names = ", ".join(p.name for p in self.backups_skipped)
            text += f" These backups could not be rewritten and were left as they were: {names}."
        return text


def rewrite_file(path: Path, old: str | None, new: str | None) -> None:
    """Re-encrypt the closed database file at ``path`` from key ``old`` to key ``new`` (None = plain).

    Refuses (``StoreError(LOCKED)``) while any other connection has the file open. The old file is
    replaced in one rename only after the new one passed ``integrity_check``. On any failure (a
    full disk, a file that cannot be replaced) the temporary copy is removed and the file is as
    it was.
    """
    dbapi = driver()
    path = Path(path)
    if old is not None:
        require_usable(old)
    if new is not None:
        require_usable(new)
    tmp = path.with_name(path.name + TEMP_SUFFIX)
    leftovers = (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm"))
    for leftover in leftovers:
        leftover.unlink(missing_ok=True)
    try:
        conn = dbapi.connect(str(path), timeout=5.0, isolation_level=None)
        try:
            if old:
                conn.execute(f"PRAGMA key = {key_literal(old)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            # Exclusive locking: fails at once (busy) while another program has the file open.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"ATTACH DATABASE ? AS rewritten KEY {key_literal(new or '')}", (str(tmp),))
            conn.execute("SELECT sqlcipher_export('rewritten')")
            conn.execute(f"PRAGMA rewritten.user_version = {int(version)}")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE rewritten")
        except Exception as error:
            raise explain(error, path, wrong_key_possible=True) from error
        finally:
            conn.close()
        check = dbapi.connect(str(tmp), isolation_level=None)
        try:
            if new:
                check.execute(f"PRAGMA key = {key_literal(new)}")
            rows = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
        if rows != [("ok",)]:
            raise StoreError(StoreProblem.CORRUPT, f"rewritten copy failed integrity_check: {rows[:1]}", str(path))
        side = Path(f"{path}-wal")
        if side.exists() and side.stat().st_size > 0:
            raise StoreError(StoreProblem.LOCKED, "write-ahead log still present", str(path))
        fsync_file(tmp)
        try:
            os.replace(tmp, path)
        except PermissionError as error:  # an immutable file (chattr +i), a locked-down folder
            raise StoreError(StoreProblem.READ_ONLY, str(error), str(path)) from error
        Path(f"{path}-shm").unlink(missing_ok=True)
        Path(f"{path}-wal").unlink(missing_ok=True)
        fsync_folder(path.parent)
    except OSError as error:
        known = StoreError(StoreProblem.DISK_FULL if error.errno == 28 else StoreProblem.IO_ERROR, str(error), str(path))
        raise known from error
    finally:
        for leftover in leftovers:
            leftover.unlink(missing_ok=True)


# ---------------------------------------------------------------------------- one recoverable operation
#
# Protecting (or re-keying, or unprotecting) rewrites the database and then each backup. A power
# cut or a kill between the two leaves a protected database beside plaintext backups. So the
# operation is written down first, in ``<db>.protection-pending`` (what the protection is to
# become; never a passphrase), and struck out only when the database and every backup are done.
# The next open of the database (``finish_protection``, with the passphrase just typed) and
# ``protect`` again finish it: every plaintext database-shaped file in the backups folder of a
# protected database is encrypted with its key, and stale temporary copies are removed. What
# cannot be finished (a backup under a passphrase that is no longer known) is reported by name.

TEMP_SUFFIX = ".rekey-tmp"
PENDING_SUFFIX = ".protection-pending"


def pending_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + PENDING_SUFFIX)


def protection_pending(db_path: Path) -> str | None:
    """What an interrupted protection change was to make the file ("protected" or "plain")."""
    try:
        value = json.loads(pending_path(db_path).read_text(encoding="utf-8")).get("to")
    except (OSError, ValueError, AttributeError):
        return "protected" if pending_path(db_path).exists() else None
    return str(value) if value in ("protected", "plain") else "protected"


def _write_pending(db_path: Path, to: str) -> None:
    target = pending_path(db_path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(json.dumps({"to": to}), encoding="utf-8")
        fsync_file(tmp)
        os.replace(tmp, target)
        fsync_folder(target.parent)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise StoreError(StoreProblem.DISK_FULL if error.errno == 28 else StoreProblem.READ_ONLY, str(error), str(db_path)) from error


def _clear_pending(db_path: Path) -> None:
    pending_path(db_path).unlink(missing_ok=True)
    fsync_folder(db_path.parent)


def remove_stale_copies(db_path: Path) -> list[Path]:
    """Temporary copies an interrupted backup or re-key left behind (``.part``, ``.rekey-tmp``)."""
    removed: list[Path] = []
    folders = [db_path.parent, backups.backups_dir(db_path)]
    for folder in folders:
        if not folder.is_dir():
            continue
        stem = db_path.stem
        patterns = [f"{stem}-*.part", f"{stem}-*.part-journal", f"{stem}-*{TEMP_SUFFIX}", f"{stem}-*{TEMP_SUFFIX}-*"] \
            if folder != db_path.parent else [f"{db_path.name}{TEMP_SUFFIX}", f"{db_path.name}{TEMP_SUFFIX}-*"]
        for pattern in patterns:
            for found in folder.glob(pattern):
                try:
                    found.unlink()
                except OSError:
                    continue
                removed.append(found)
    if removed:
        log.info("removed %d stale temporary copies beside %s", len(removed), db_path.name)
    return removed


def database_shaped_files(db_path: Path) -> list[Path]:
    """This database's files in the backups folder that are (or could be) a database: its
    backups and any renamed copy of one (``<stem>-*``). The folder is shared by every database
    in the same folder; another database's backups are that database's business."""
    folder = backups.backups_dir(db_path)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{db_path.stem}-*")
                  if p.is_file() and inspect_file(p) in (FileKind.PLAIN, FileKind.PROTECTED, FileKind.DAMAGED))


def unprotected_copies(db_path: Path) -> list[Path]:
    """Plaintext database files beside a protected database: its backups folder's plain SQLite
    files and any stale temporary copy (empty when the database itself is not protected)."""
    if not looks_encrypted(db_path):
        return []
    found = [p for p in database_shaped_files(db_path) if inspect_file(p) is FileKind.PLAIN]
    folder = backups.backups_dir(db_path)
    if folder.is_dir():
        found += [p for p in folder.glob(f"{db_path.stem}-*.part") if inspect_file(p) is FileKind.PLAIN]
    return sorted(set(found))


@dataclass(frozen=True, slots=True)
class FinishResult:
    """What ``finish_protection`` did: copies encrypted to match, stale copies removed, and what is left."""

    encrypted: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()
    left: tuple[Path, ...] = ()
    note: str = ""

    @property
    def summary(self) -> str:
        parts: list[str] = []
        if self.note:
            parts.append(self.note)
        if self.encrypted:
            parts.append(f"{len(self.encrypted)} unprotected backup(s) were encrypted to match the protected database.")
        if self.removed:
            parts.append(f"{len(self.removed)} unfinished temporary copy(ies) were removed.")
        if self.left:
            names = ", ".join(p.name for p in self.left)
            parts.append(f"These backups are not under the database's passphrase and could not be rewritten: {names}.")
        return " ".join(parts)


def finish_protection(db_path: Path, passphrase: str | None) -> FinishResult:
    """Finish an interrupted protection change of the closed or just-opened database at ``db_path``.

    ``passphrase`` is the database's own (``None`` for a plain file). Safe to call at every open:
    without a pending change it only removes stale temporary copies and encrypts plaintext files
    in the backups folder of a protected database.
    """
    db_path = Path(db_path)
    removed = remove_stale_copies(db_path)
    pending = protection_pending(db_path)
    encrypted: list[Path] = []
    left: list[Path] = []
    note = ""
    if passphrase:
        for copy in database_shaped_files(db_path):
            kind = inspect_file(copy)
            if kind is FileKind.PLAIN:
                try:
                    rewrite_file(copy, None, passphrase)
                except (StoreError, OSError, sqlite3.Error) as error:
                    log.warning("could not encrypt backup %s: %s", copy.name, type(error).__name__)
                    left.append(copy)
                    continue
                encrypted.append(copy)
            elif kind is FileKind.PROTECTED and pending is not None and not check_passphrase(copy, passphrase):
                left.append(copy)
    elif pending == "plain":
        for copy in database_shaped_files(db_path):
            if inspect_file(copy) is FileKind.PROTECTED:
                left.append(copy)
    elif pending == "protected":
        note = ("Protecting the database with a passphrase was interrupted before the file was "
                "rewritten: the database is still unprotected. Protect it again.")
    if pending is not None and not left:
        _clear_pending(db_path)
    if encrypted or removed or left:
        log.info("finished protection of %s: %d encrypted, %d removed, %d left", db_path.name, len(encrypted), len(removed), len(left))
    return FinishResult(tuple(encrypted), tuple(removed), tuple(left), note)


def _rewrite_backups(db_path: Path, old: str | None, new: str | None) -> tuple[list[Path], list[Path]]:
    """Every database-shaped file in the backups folder to key ``new``: protected ones from
    ``old``, and plaintext ones too when the database becomes protected."""
    done: list[Path] = []
    skipped: list[Path] = []
    for copy in database_shaped_files(db_path):
        kind = inspect_file(copy)
        if kind is FileKind.PLAIN and new is None:
            continue  # already as the database now is
        if kind is FileKind.DAMAGED or (kind is FileKind.PROTECTED and old is None):
            skipped.append(copy)  # under a key nobody gave, or unreadable: reported, left alone
            continue
        try:
            rewrite_file(copy, old if kind is FileKind.PROTECTED else None, new)
        except (StoreError, OSError, sqlite3.Error):
            skipped.append(copy)
            continue
        done.append(copy)
    return done, skipped


def _require_closed_here(path: Path) -> None:
    """SQLite's file locks are per process (and sqlite3 and sqlcipher3 are two SQLite libraries),
    so another process holding the file is caught by the exclusive lock, but this process's own
    open store must be closed by the caller first."""
    from sro_desk.store.base import database_proxy

    db = database_proxy.obj
    if db is not None and not db.is_closed() and Path(db.database).resolve() == path:
        raise StoreError(StoreProblem.LOCKED, "the store is still open in this program", str(path))


def change_protection(path: Path | str, old: str | None, new: str | None) -> ProtectionResult:
    """Protect (``old=None``), change (both) or remove (``new=None``) the passphrase of a file.

    The database must not be open in this process (``close_database()`` first); afterwards the new
    passphrase is remembered for reopening. Backups beside it are rewritten to the same key, as
    one recoverable operation (see ``finish_protection``).
    """
    path = Path(path).expanduser().resolve()
    if new is not None:
        problems = passphrase_problems(new)
        if problems:
            from sro_desk.domain.errors import ValidationError

            raise ValidationError(problems)
    _require_closed_here(path)
    kind = inspect_file(path)
    if kind is FileKind.DAMAGED:
        raise StoreError(StoreProblem.DAMAGED, "first page", str(path))
    if old is None and kind is FileKind.PROTECTED:
        raise StoreError(StoreProblem.WRONG_PASSPHRASE, "already protected", str(path))
    if old is not None and kind is not FileKind.PROTECTED:
        raise StoreError(StoreProblem.NOT_A_DATABASE, "not protected", str(path))
    remove_stale_copies(path)
    _write_pending(path, "protected" if new else "plain")
    try:
        rewrite_file(path, old, new)
    except BaseException:
        _clear_pending(path)  # refused or failed: the file is as it was, nothing is pending
        raise
    if new:
        remember_passphrase(path, new)
    else:
        forget_passphrase(path)
    done, skipped = _rewrite_backups(path, old, new)
    if not skipped:
        _clear_pending(path)
    return ProtectionResult(path, bool(new), tuple(done), tuple(skipped))
