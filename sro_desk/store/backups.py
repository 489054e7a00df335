"""Backups through SQLite's online backup API (a plain file copy can miss the WAL).

Backups live in a ``backups`` folder beside the database; the newest 14 are kept.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee

from sro_desk import clock

KEEP = 14
DAILY = dt.timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class BackupFile:
    """A backup copy in the backups folder, with when and why it was taken."""

    path: Path
    taken_at: dt.datetime
    reason: str

    @property
    def label(self) -> str:
        when = self.taken_at.strftime("%Y-%m-%d %H:%M:%S")
        return f"{when} — {self.reason.replace('-', ' ')}" if self.reason else when


def backups_dir(db_path: Path) -> Path:
    return db_path.parent / "backups"


def _copy_online(source: sqlite3.Connection, dest_path: Path, passphrase: str | None = None) -> None:
    """Online backup of ``source`` into a new file; a protected source gives a protected copy.

    SQLCipher copies pages between two connections only when both use a key (an unkeyed target is
    refused), so the copy of a protected database is keyed with the same passphrase.
    """
    from sro_desk.store import encryption

    tmp = dest_path.with_suffix(dest_path.suffix + ".part")
    tmp.unlink(missing_ok=True)
    try:
        target = encryption.connect(tmp, passphrase)
        try:
            source.backup(target)
        finally:
            target.close()
        tmp.replace(dest_path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk must not leave half a backup behind
        raise


def make_backup(db: peewee.SqliteDatabase, db_path: Path, reason: str = "manual", *, keep_all: bool = False) -> Path:
    """Copy the open database to a new timestamped file; returns its path.

    Old backups beyond the newest ``KEEP`` are pruned, unless ``keep_all`` (a restore in progress
    must not prune the very backup it is about to read).
    """
    folder = backups_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now_precise().strftime("%Y%m%d-%H%M%S-%f")
    dest = folder / f"{db_path.stem}-{stamp}-{reason}.db"
    from sro_desk.store.encryption import passphrase_of

    _copy_online(db.connection(), dest, passphrase_of(db))
    if not keep_all:
        prune(db_path)
    return dest


def list_backups(db_path: Path) -> list[BackupFile]:
    """Newest first."""
    folder = backups_dir(db_path)
    if not folder.is_dir():
        return []
    found: list[BackupFile] = []
    prefix = f"{db_path.stem}-"
    for path in folder.glob(f"{db_path.stem}-*.db"):
        rest = path.stem[len(prefix):]
        parts = rest.split("-", 3)
        taken = _stamp_time(parts)
        if taken is None:
            continue
        found.append(BackupFile(path, taken, parts[3] if len(parts) > 3 else ""))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def _stamp_time(parts: list[str]) -> dt.datetime | None:
    """The time in a backup's name (``YYYYMMDD-HHMMSS-ffffff``), or ``None`` if it is not one.

    Read by hand: ``strptime`` builds its locale tables and regular expressions on first use,
    which would cost every start of the program a millisecond for one file name.
    """
    if len(parts) < 3:
        return None
    day, clock, fraction = parts[0], parts[1], parts[2]
    if not (len(day) == 8 and len(clock) == 6 and 1 <= len(fraction) <= 6
            and (day + clock + fraction).isascii() and (day + clock + fraction).isdigit()):
        return None
    try:
        return dt.datetime(int(day[:4]), int(day[4:6]), int(day[6:]), int(clock[:2]), int(clock[2:4]),
                           int(clock[4:]), int(fraction.ljust(6, "0")))
    except ValueError:
        return None


def prune(db_path: Path, keep: int = KEEP) -> None:
    for old in list_backups(db_path)[keep:]:
        old.path.unlink(missing_ok=True)


_daily_problem: str | None = None


def daily_backup_problem() -> str | None:
    """Why the last automatic daily backup could not be taken (``None`` when it was, or was not due)."""
    return _daily_problem


def try_daily_backup(db: peewee.SqliteDatabase, db_path: Path) -> Path | None:
    """``backup_if_due`` that never stops the database from opening: a daily backup that cannot
    be written (full disk, read-only backups folder) is noted in words for the window to show,
    and tried again at the next opening. Anything that is not a known storage problem is a bug
    and is raised."""
    global _daily_problem
    from sro_desk.store.errors import as_store_error

    _daily_problem = None
    try:
        return backup_if_due(db, db_path)
    except Exception as error:
        known = as_store_error(error, str(db_path))
        if known is None and not isinstance(error, OSError):
            raise
        from sro_desk.store.errors import StoreProblem

        short = {
            StoreProblem.DISK_FULL: "the disk is full",
            StoreProblem.READ_ONLY: "the backups folder cannot be written to",
            StoreProblem.LOCKED: "the database was busy",
        }
        if known is not None:
            reason = short.get(known.problem) or str(known).split(". ")[0].rstrip(".")
        else:
            reason = str(error.strerror or error) if isinstance(error, OSError) else str(error)
        _daily_problem = (
            f"The daily backup could not be written ({reason}); it will be tried again the next "
            "time the database is opened. Your data is not affected."
        )
        return None


def backup_if_due(db: peewee.SqliteDatabase, db_path: Path, now: dt.datetime | None = None) -> Path | None:
    """The automatic daily backup: taken when the newest backup is a day old or there is none."""
    now = now or clock.now()
    existing = list_backups(db_path)
    if existing and now - existing[0].taken_at < DAILY:
        return None
    has_tables = db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0
    if not has_tables:
        return None
    return make_backup(db, db_path, reason="daily")


def restore(db: peewee.SqliteDatabase, db_path: Path, backup_path: Path) -> Path:
    """Replace the open database's content with a backup; first keeps a copy of the current file.

    Returns the path of that safety copy. The caller reopens the database afterwards.
    """
    from sro_desk.store.encryption import connect, looks_encrypted, passphrase_of

    passphrase = passphrase_of(db)
    if looks_encrypted(backup_path) and not passphrase:
        from sro_desk.store.errors import StoreError, StoreProblem

        raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "backup is protected", str(backup_path))
    if not backup_path.is_file() or backup_path.stat().st_size == 0:
        from sro_desk.store.errors import StoreError, StoreProblem

        raise StoreError(StoreProblem.CANNOT_OPEN, "backup missing or empty", str(backup_path))
    if passphrase:
        source = connect(backup_path, passphrase)
    else:
        source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    try:
        row = source.execute("PRAGMA integrity_check").fetchone()
        if row is None or row[0] != "ok":
            raise sqlite3.DatabaseError("database disk image is malformed")
        tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "schema_migration" not in tables:
            from sro_desk.store.errors import StoreError, StoreProblem

            raise StoreError(StoreProblem.NOT_A_DATABASE, "backup has no SRO Desk tables", str(backup_path))
        # The safety copy is taken only once the backup is known to be good, and without
        # pruning: with 14 backups on disk, pruning would delete the oldest — perhaps this one.
        safety = make_backup(db, db_path, reason="before-restore", keep_all=True)
        source.backup(db.connection())
    finally:
        source.close()
    prune(db_path)
    from sro_desk.store.audit import write_anchor

    write_anchor(db_path, force=True)  # the restored chain is legitimately shorter
    return safety

