"""SQLite failures sorted the way qutebrowser does it: known ones become words, the rest are bugs."""

from __future__ import annotations

from enum import StrEnum

from sro_desk.domain.errors import SroDeskError


class StoreProblem(StrEnum):
    LOCKED = "locked"
    READ_ONLY = "read-only"
    DISK_FULL = "disk full"
    CORRUPT = "corrupt"
    NOT_A_DATABASE = "not a database"
    CANNOT_OPEN = "cannot open"
    NEWER_VERSION = "newer version"
    WRONG_PASSPHRASE = "wrong passphrase"
    PASSPHRASE_NEEDED = "passphrase needed"
    FILE_GONE = "file gone"
    IO_ERROR = "input/output error"
    NOT_A_FILE = "not a file"
    DAMAGED = "damaged"


_MESSAGES = {
    StoreProblem.LOCKED: (
        "The database is busy: another copy of SRO Desk or another program is writing to it. "
        "Wait a moment and try again, or close the other program."
    ),
    StoreProblem.READ_ONLY: (
        "The database cannot be changed: the file or its folder is read-only. Copy it to a "
        "folder you can write to, or ask for write permission."
    ),
    StoreProblem.DISK_FULL: (
        "The disk is full, so the change was not saved. Free some space and try again; "
        "everything saved before is intact."
    ),
    StoreProblem.CORRUPT: (
        "The database file is damaged. Restore the most recent backup from File > Restore "
        "from backup (backups are in the 'backups' folder beside the database)."
    ),
    StoreProblem.NOT_A_DATABASE: (
        "This file is not an SRO Desk database (or it is protected with a passphrase)."
    ),
    StoreProblem.NOT_A_FILE: (
        "This is not a database file: it is a folder, a device or another special file. Choose "
        "the .db file itself."
    ),
    StoreProblem.DAMAGED: (
        "The database file is damaged: SQLite's check of its pages failed, so SRO Desk will not "
        "open it or take any backup of it (the good backups are kept). Restore the most recent "
        "backup taken before the damage: 'Restore from a backup…' when SRO Desk offers it, or "
        "'sro-desk restore --latest'."
    ),
    StoreProblem.CANNOT_OPEN: (
        "The database file cannot be opened: the folder may not exist, the drive may have been "
        "removed, or you may not have permission."
    ),
    StoreProblem.NEWER_VERSION: (
        "This database was written by a newer version of SRO Desk. Install the newer version "
        "to open it; this version will not change it."
    ),
    StoreProblem.WRONG_PASSPHRASE: (
        "The passphrase is not correct for this database (or the file is not an SRO Desk "
        "database). Nothing in the file was changed; check the passphrase and try again."
    ),
    StoreProblem.PASSPHRASE_NEEDED: (
        "This database is protected with a passphrase. Enter the passphrase to open it."
    ),
    StoreProblem.IO_ERROR: (
        "The database file could not be read or written: the disk may be full, or its drive may "
        "have been removed or be failing. The change you were making was not saved; everything "
        "saved before is in the file. Free some space or reconnect the drive, then try again."
    ),
    StoreProblem.FILE_GONE: (
        "The database file can no longer be reached: its drive may have been removed or failed, "
        "or the file or its folder was moved or deleted. The change you were making was not "
        "saved; everything saved before is in the file. Reconnect the drive (or find the file) "
        "and open it again with File > Open."
    ),
}


class StoreError(SroDeskError):
    """A database failure the user can understand and act on."""

    def __init__(self, problem: StoreProblem, detail: str = "", path: str = "", *, extra: str = "") -> None:
        self.problem = problem
        self.detail = detail
        self.path = path
        message = _MESSAGES[problem]
        if extra:
            message = f"{message} {extra}"
        if path:
            message = f"{message}\n\nFile: {path}"
        super().__init__(message)


def classify(error: BaseException) -> StoreProblem | None:
    """The known problem behind a SQLite/peewee exception, or ``None`` for a bug.

    When SQLite has already rolled a transaction back itself (a full disk does that), peewee's
    rollback on the way out fails with "cannot rollback - no transaction is active" and hides
    the real error in ``__context__``: the chain is followed to find it.
    """
    seen = 0
    current: BaseException | None = error
    while current is not None and seen < 32:
        problem = _classify_one(current)
        if problem is not None:
            return problem
        current = current.__cause__ or current.__context__
        seen += 1
    return None


#: SQLite's primary result codes (https://sqlite.org/rescode.html); an extended code carries its
#: primary code in the low byte (SQLITE_IOERR_READ = 266 = 10 | 1 << 8).
_BY_CODE = {
    5: StoreProblem.LOCKED,  # SQLITE_BUSY
    6: StoreProblem.LOCKED,  # SQLITE_LOCKED
    8: StoreProblem.READ_ONLY,  # SQLITE_READONLY
    10: StoreProblem.IO_ERROR,  # SQLITE_IOERR: a full disk (no room for the WAL index), a failing or removed drive
    11: StoreProblem.CORRUPT,  # SQLITE_CORRUPT
    13: StoreProblem.DISK_FULL,  # SQLITE_FULL
    14: StoreProblem.CANNOT_OPEN,  # SQLITE_CANTOPEN
    26: StoreProblem.NOT_A_DATABASE,  # SQLITE_NOTADB (also a wrong SQLCipher key)
}


def sqlite_code(error: BaseException) -> int | None:
    """The SQLite result code of a driver error (sqlite3 and sqlcipher3 both set
    ``sqlite_errorcode``); peewee wraps the driver's exception and keeps it as ``orig``."""
    code = getattr(error, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code
    inner = getattr(error, "orig", None)  # peewee keeps the driver's exception as ``orig``
    code = getattr(inner, "sqlite_errorcode", None)
    return code if isinstance(code, int) else None


def _classify_one(error: BaseException) -> StoreProblem | None:
    if isinstance(error, StoreError):
        return error.problem
    code = sqlite_code(error)
    if code is None:
        return None
    return _BY_CODE.get(code & 0xFF)


def as_store_error(error: BaseException, path: str = "") -> StoreError | None:
    problem = classify(error)
    if problem is None:
        return None
    if isinstance(error, StoreError):
        return error
    return StoreError(problem, str(error), path)
