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

import contextlib
import functools
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee

from sro_desk.store.errors import StoreError, StoreProblem, as_store_error

PASSPHRASE_ENV = "SRO_DESK_PASSPHRASE"
MIN_LENGTH = 8
MAX_LENGTH = 1024
SQLITE_HEADER = b"SQLite format 3\x00"

_remembered: dict[Path, str] = {}


def _driver() -> Any:
    """``sqlcipher3.dbapi2``, imported when first needed (it is not needed for plain files)."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError as error:  # pragma: no cover - a broken installation
        raise StoreError(
            StoreProblem.CANNOT_OPEN,
            "SQLCipher (the sqlcipher3 package) is not installed, so protected databases cannot be used.",
        ) from error
    if not getattr(dbapi2, "_sro_desk_quiet", False):
        # SQLCipher logs every failed decryption (a wrong passphrase) to stderr; we say it in words.
        conn = dbapi2.connect(":memory:")
        try:
            conn.execute("PRAGMA cipher_log_level = NONE")
        finally:
            conn.close()
        dbapi2._sro_desk_quiet = True
    return dbapi2


def driver_errors() -> tuple[type[Exception], ...]:
    """sqlcipher3's database error class (parallel to ``sqlite3.DatabaseError``), if installed."""
    try:
        from sqlcipher3 import dbapi2
    except ImportError:  # pragma: no cover
        return ()
    return (dbapi2.DatabaseError,)


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


def _require_usable(passphrase: str) -> None:
    if not passphrase or "\x00" in passphrase:
        raise StoreError(StoreProblem.WRONG_PASSPHRASE, "empty or NUL")


def _key_literal(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


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
def has_plain_header(path: Path) -> bool:
    """True for a plain SQLite file (and for a missing or empty file, which becomes one)."""
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


def looks_encrypted(path: Path) -> bool:
    """A non-empty file without the SQLite header whose size is whole pages: a SQLCipher file.

    (A text file or a spreadsheet renamed to .db is almost never a multiple of 1 KiB; a SQLCipher
    file always is. The passphrase decides the rest: a wrong one and a foreign file both fail.)
    """
    if has_plain_header(path):
        return False
    size = path.stat().st_size
    return size >= 1024 and size % 1024 == 0


def is_protected(db: peewee.Database) -> bool:
    is_cipher = any(cls.__name__ == "SqlCipherDatabase" for cls in type(db).__mro__)
    return is_cipher and bool(db.connect_params.get("passphrase"))


def passphrase_of(db: peewee.Database) -> str | None:
    """The passphrase an open protected database uses (``None`` for a plain one)."""
    value = db.connect_params.get("passphrase") if is_protected(db) else None
    return value if isinstance(value, str) else None


@functools.cache
def _cipher_class() -> type[peewee.SqliteDatabase]:
    """playhouse's SqlCipherDatabase with the store's file-still-there check (``FileGuard``)."""
    _driver()
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    from sro_desk.store.database import FileGuard

    class GuardedSqlCipherDatabase(FileGuard, SqlCipherDatabase):  # type: ignore[misc]
        pass

    return GuardedSqlCipherDatabase


def make_encrypted_database(path: Path | str, passphrase: str, **kwargs: Any) -> peewee.SqliteDatabase:
    """A peewee database for a SQLCipher file (same pragmas and busy timeout as a plain one)."""
    _require_usable(passphrase)
    # playhouse's SqlCipherDatabase does not hand ``timeout`` to the driver: set the same busy
    # timeout as a pragma (after the key, which SqlCipherDatabase always sets first).
    timeout = float(kwargs.pop("timeout", 5))
    kwargs["pragmas"] = {**dict(kwargs.get("pragmas") or {}), "busy_timeout": int(timeout * 1000)}
    db: peewee.SqliteDatabase = _cipher_class()(str(path), passphrase=passphrase, **kwargs)
    return db


def connect(path: Path | str, passphrase: str | None, *, timeout: float = 5.0) -> Any:
    """A raw DB-API connection: sqlite3 for a plain file, sqlcipher3 keyed for a protected one.

    The key is checked before returning: a wrong passphrase raises ``StoreError(WRONG_PASSPHRASE)``.
    """
    if not passphrase:
        return sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    driver = _driver()
    _require_usable(passphrase)
    conn = driver.connect(str(path), timeout=timeout, isolation_level=None)
    try:
        conn.execute(f"PRAGMA key = {_key_literal(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as error:
        conn.close()
        raise _explain(error, path, wrong_key_possible=True) from error
    return conn


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


def _explain(error: BaseException, path: Path | str, *, wrong_key_possible: bool) -> BaseException:
    if isinstance(error, StoreError):
        return error
    text = str(error).lower()
    if wrong_key_possible and ("not a database" in text or "file is encrypted" in text):
        return StoreError(StoreProblem.WRONG_PASSPHRASE, str(error), str(path))
    known = as_store_error(error, str(path))
    return known if known is not None else error


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


def _fsync(path: Path) -> None:
    fd = os.open(str(path), os.O_RDWR)  # Windows flushes only handles open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - folders cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(str(folder), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def rewrite_file(path: Path, old: str | None, new: str | None) -> None:
    """Re-encrypt the closed database file at ``path`` from key ``old`` to key ``new`` (None = plain).

    Refuses (``StoreError(LOCKED)``) while any other connection has the file open. The old file is
    replaced in one rename only after the new one passed ``integrity_check``.
    """
    driver = _driver()
    path = Path(path)
    if old is not None:
        _require_usable(old)
    if new is not None:
        _require_usable(new)
    tmp = path.with_name(path.name + ".rekey-tmp")
    for leftover in (tmp, Path(f"{tmp}-journal"), Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
        leftover.unlink(missing_ok=True)
    conn = driver.connect(str(path), timeout=5.0, isolation_level=None)
    try:
        try:
            if old:
                conn.execute(f"PRAGMA key = {_key_literal(old)}")
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            # Exclusive locking: fails at once (busy) while another program has the file open.
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
            conn.execute("BEGIN EXCLUSIVE")
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            conn.execute(f"ATTACH DATABASE ? AS rewritten KEY {_key_literal(new or '')}", (str(tmp),))
            conn.execute("SELECT sqlcipher_export('rewritten')")
            conn.execute(f"PRAGMA rewritten.user_version = {int(version)}")
            conn.execute("COMMIT")
            conn.execute("DETACH DATABASE rewritten")
        except Exception as error:
            raise _explain(error, path, wrong_key_possible=True) from error
    finally:
        conn.close()
    try:
        check = driver.connect(str(tmp), isolation_level=None)
        try:
            if new:
                check.execute(f"PRAGMA key = {_key_literal(new)}")
            rows = check.execute("PRAGMA integrity_check").fetchall()
        finally:
            check.close()
        if rows != [("ok",)]:
            raise StoreError(StoreProblem.CORRUPT, f"rewritten copy failed integrity_check: {rows[:1]}", str(path))
        for suffix in ("-wal", "-shm"):
            side = Path(f"{path}{suffix}")
            if side.exists() and side.stat().st_size > 0 and suffix == "-wal":
                raise StoreError(StoreProblem.LOCKED, "write-ahead log still present", str(path))
        _fsync(tmp)
        os.replace(tmp, path)
        Path(f"{path}-shm").unlink(missing_ok=True)
        Path(f"{path}-wal").unlink(missing_ok=True)
        _fsync_folder(path.parent)
    finally:
        tmp.unlink(missing_ok=True)


def _rewrite_backups(db_path: Path, old: str | None, new: str | None) -> tuple[list[Path], list[Path]]:
    from sro_desk.store import backups

    done: list[Path] = []
    skipped: list[Path] = []
    for backup in backups.list_backups(db_path):
        try:
            rewrite_file(backup.path, old, new)
        except (StoreError, OSError, sqlite3.Error):
            skipped.append(backup.path)
            continue
        done.append(backup.path)
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
    passphrase is remembered for reopening. Backups beside it are rewritten to the same key.
    """
    path = Path(path).expanduser().resolve()
    if new is not None:
        problems = passphrase_problems(new)
        if problems:
            from sro_desk.domain.errors import ValidationError

            raise ValidationError(problems)
    _require_closed_here(path)
    if old is None and looks_encrypted(path):
        raise StoreError(StoreProblem.WRONG_PASSPHRASE, "already protected", str(path))
    if old is not None and not looks_encrypted(path):
        raise StoreError(StoreProblem.NOT_A_DATABASE, "not protected", str(path))
    rewrite_file(path, old, new)
    if new:
        remember_passphrase(path, new)
    else:
        forget_passphrase(path)
    done, skipped = _rewrite_backups(path, old, new)
    return ProtectionResult(path, bool(new), tuple(done), tuple(skipped))
