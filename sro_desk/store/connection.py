"""The lowest floor of the store: what a file is, and a connection to it.

Everything here knows only files, SQLite and SQLCipher: no migrations, no backups, no records. The
rest of the store builds on it (``database`` opens and migrates, ``encryption`` re-keys,
``backups`` copies), so none of those modules needs another to find out what a file is or to get
a connection, and there is no import circle among them.

- ``inspect_file(path)`` says what a path holds without opening it as a database (a FIFO is never
  opened, so it cannot hang) — see ``FileKind``.
- ``FileGuard``: refuses a write transaction when the file is no longer where it was opened.
- ``make_database(path, passphrase=None, read_only=False)``: a peewee database for a file.
- ``connect(path, passphrase)``: a raw DB-API connection (sqlite3, or sqlcipher3 keyed).
"""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
import stat
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import quote

import peewee

from sro_desk.store.errors import StoreError, StoreProblem, as_store_error, classify
from sro_desk.store.layout import SQLITE_HEADER

PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64000,
}
#: a read-only connection (``check``) sets nothing that would write the file
READ_ONLY_PRAGMAS: dict[str, Any] = {"foreign_keys": 1, "query_only": 1}
PAGE = 1024  # SQLCipher and SQLite page sizes are multiples of this


# ---------------------------------------------------------------------------- what a file is
class FileKind(StrEnum):
    MISSING = "missing"
    EMPTY = "empty"  # a new database, for open; not a database, for check
    PLAIN = "plain"  # starts with the SQLite header
    PROTECTED = "protected"  # whole pages of what looks like ciphertext: SQLCipher
    DAMAGED = "damaged"  # whole pages of SQLite-looking content with the first page destroyed
    FOREIGN = "foreign"  # some other file
    NOT_A_FILE = "not a file"  # a folder, a FIFO, a device such as /dev/null


def _looks_like_plain_pages(data: bytes) -> bool:
    """SQLite pages are mostly zeros and small integers; SQLCipher's are indistinguishable from
    random bytes (about 1 byte in 256 is zero). A page of which more than 1 in 16 bytes are zero
    is not ciphertext."""
    for start in range(0, len(data) - PAGE + 1, PAGE):
        page = data[start : start + PAGE]
        if page.count(0) > PAGE // 16:
            return True
    return False


def inspect_file(path: Path) -> FileKind:
    """What ``path`` holds, decided from ``stat`` and (for a regular file) its first 64 KiB."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return FileKind.MISSING
    except OSError:
        return FileKind.NOT_A_FILE
    if not stat.S_ISREG(info.st_mode):
        return FileKind.NOT_A_FILE
    if info.st_size == 0:
        return FileKind.EMPTY
    try:
        with open(path, "rb") as fh:
            head = fh.read(64 * PAGE)
    except OSError:
        return FileKind.NOT_A_FILE
    if head[:16] == SQLITE_HEADER:
        return FileKind.PLAIN
    if info.st_size < PAGE or info.st_size % PAGE:
        return FileKind.FOREIGN
    # SQLCipher's first 16 bytes are a random salt: all zeros means a destroyed first page.
    if head[:16] == bytes(16) or _looks_like_plain_pages(head):
        return FileKind.DAMAGED
    return FileKind.PROTECTED


def has_plain_header(path: Path) -> bool:
    """True for a plain SQLite file (and for a missing or empty file, which becomes one)."""
    return inspect_file(path) in (FileKind.MISSING, FileKind.EMPTY, FileKind.PLAIN)


def looks_encrypted(path: Path) -> bool:
    """A SQLCipher file, as far as can be told without the passphrase (see ``inspect_file``)."""
    return inspect_file(path) is FileKind.PROTECTED


# ---------------------------------------------------------------------------- drivers
def driver() -> Any:
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


def require_usable(passphrase: str) -> None:
    if not passphrase or "\x00" in passphrase:
        raise StoreError(StoreProblem.WRONG_PASSPHRASE, "empty or NUL")


def key_literal(passphrase: str) -> str:
    return "'" + passphrase.replace("'", "''") + "'"


def read_only_uri(path: Path | str) -> str:
    return f"file:{quote(str(Path(path).resolve()))}?mode=ro"


def explain(error: BaseException, path: Path | str, *, wrong_key_possible: bool) -> BaseException:
    """The ``StoreError`` behind a driver error (a wrong key when ``wrong_key_possible``)."""
    if isinstance(error, StoreError):
        return error
    if wrong_key_possible and classify(error) is StoreProblem.NOT_A_DATABASE:
        return StoreError(StoreProblem.WRONG_PASSPHRASE, str(error), str(path))
    known = as_store_error(error, str(path))
    return known if known is not None else error


def connect(path: Path | str, passphrase: str | None, *, timeout: float = 5.0, read_only: bool = False) -> Any:
    """A raw DB-API connection: sqlite3 for a plain file, sqlcipher3 keyed for a protected one.

    The key is checked before returning: a wrong passphrase raises ``StoreError(WRONG_PASSPHRASE)``.
    ``read_only`` opens with ``mode=ro``: the file is never written.
    """
    target, uri = (read_only_uri(path), True) if read_only else (str(path), False)
    if not passphrase:
        return sqlite3.connect(target, timeout=timeout, isolation_level=None, uri=uri)
    dbapi = driver()
    require_usable(passphrase)
    conn = dbapi.connect(target, timeout=timeout, isolation_level=None, uri=uri)
    try:
        conn.execute(f"PRAGMA key = {key_literal(passphrase)}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as error:
        conn.close()
        raise explain(error, path, wrong_key_possible=True) from error
    return conn


# ---------------------------------------------------------------------------- peewee databases
class FileGuard:
    """Refuses to start a write transaction when the database file is no longer where it was.

    On Linux and macOS an open file lives on after its folder is deleted, moved or unmounted:
    SQLite would go on "saving" into a file nobody can reach again, and everything written after
    that would vanish when the program closes. Before each transaction the path is checked to
    still name the file that was opened (one ``stat``); if not, ``StoreError(FILE_GONE)``.
    """

    database: str
    file_path: str = ""
    _file_identity: tuple[int, int] | None = None

    def _connect(self) -> Any:
        conn = super()._connect()  # type: ignore[misc]
        with contextlib.suppress(OSError):
            st = os.stat(self.guarded_path)
            self._file_identity = (st.st_dev, st.st_ino)
        return conn

    @property
    def guarded_path(self) -> str:
        return self.file_path or self.database

    def ensure_file_present(self) -> None:
        try:
            st = os.stat(self.guarded_path)
        except OSError as error:
            raise StoreError(StoreProblem.FILE_GONE, str(error), self.guarded_path) from error
        if self._file_identity is not None and (st.st_dev, st.st_ino) != self._file_identity:
            raise StoreError(StoreProblem.FILE_GONE, "replaced by another file", self.guarded_path)

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        self.ensure_file_present()
        return super().begin(*args, **kwargs)  # type: ignore[misc]


class GuardedSqliteDatabase(FileGuard, peewee.SqliteDatabase):
    """``peewee.SqliteDatabase`` with the ``FileGuard`` check before every transaction."""


@functools.cache
def cipher_class() -> type[peewee.SqliteDatabase]:
    """playhouse's SqlCipherDatabase with the file-still-there check (``FileGuard``)."""
    driver()
    from playhouse.sqlcipher_ext import SqlCipherDatabase

    class GuardedSqlCipherDatabase(FileGuard, SqlCipherDatabase):  # type: ignore[misc]
        pass

    return GuardedSqlCipherDatabase


def make_database(path: Path | str, passphrase: str | None = None, *, read_only: bool = False) -> peewee.SqliteDatabase:
    """A peewee database for ``path``: SQLCipher when a passphrase is given, plain SQLite otherwise.

    ``read_only``: opened with ``mode=ro`` and ``query_only``, so nothing (not even the journal
    mode) is written to the file — what ``check`` uses.
    """
    options: dict[str, Any] = {
        "pragmas": dict(READ_ONLY_PRAGMAS if read_only else PRAGMAS),
        "autoconnect": False,
        "lock_type": "IMMEDIATE",
        "timeout": 5,
        "check_same_thread": False,
    }
    name = str(path)
    if read_only:
        name = read_only_uri(path)
        options["uri"] = True
    db: peewee.SqliteDatabase
    if passphrase:
        require_usable(passphrase)
        # playhouse's SqlCipherDatabase does not hand ``timeout`` to the driver: set the same busy
        # timeout as a pragma (after the key, which SqlCipherDatabase always sets first).
        timeout = float(options.pop("timeout"))
        options["pragmas"]["busy_timeout"] = int(timeout * 1000)
        db = cipher_class()(name, passphrase=passphrase, **options)
    else:
        db = GuardedSqliteDatabase(name, **options)
    if read_only:
        db.file_path = str(Path(path).resolve())
    return db


def database_file(db: peewee.Database) -> Path:
    """The file behind a database made by ``make_database`` (read-only ones have a URI name)."""
    return Path(getattr(db, "file_path", "") or db.database)


def is_protected(db: peewee.Database) -> bool:
    is_cipher = any(cls.__name__ == "SqlCipherDatabase" for cls in type(db).__mro__)
    return is_cipher and bool(db.connect_params.get("passphrase"))


def passphrase_of(db: peewee.Database) -> str | None:
    """The passphrase an open protected database uses (``None`` for a plain one)."""
    value = db.connect_params.get("passphrase") if is_protected(db) else None
    return value if isinstance(value, str) else None


# ---------------------------------------------------------------------------- files on disk
def fsync_file(path: Path) -> None:
    fd = os.open(str(path), os.O_RDWR)  # Windows flushes only handles open for writing
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_folder(folder: Path) -> None:
    if os.name == "nt":  # pragma: no cover - folders cannot be opened for fsync on Windows
        return
    with contextlib.suppress(OSError):
        fd = os.open(str(folder), os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def quick_check(conn: Any, limit: int = 5) -> list[str]:
    """SQLite's ``PRAGMA quick_check`` (the structure of every page, in O(N), without the index
    cross-check of integrity_check): the problems found, or an empty list."""
    try:
        rows = conn.execute(f"PRAGMA quick_check({int(limit)})").fetchall()
    except Exception as error:  # a page so broken that the check itself fails
        if classify(error) is StoreProblem.CORRUPT:
            return [str(error)]
        raise
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def side_files(path: Path) -> dict[Path, bool]:
    """The WAL and shared-memory files of ``path``, and whether each exists now."""
    sides = [Path(f"{path}-wal"), Path(f"{path}-shm")]
    return {side: side.exists() for side in sides}


def remove_new_sides(before: dict[Path, bool]) -> None:
    """After a read-only look: remove the WAL and shared-memory files that the look itself
    created (they did not exist before it, so no other program had the file open in WAL mode),
    provided the WAL is empty — nothing was written. The database file was never touched."""
    wal = next((p for p in before if p.name.endswith("-wal")), None)
    if wal is not None and wal.exists() and wal.stat().st_size > 0:
        return
    for side, existed in before.items():
        if not existed:
            with contextlib.suppress(OSError):
                side.unlink()
