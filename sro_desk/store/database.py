"""Opening, migrating and closing the SQLite file.

One ``SqliteDatabase`` sits behind ``database_proxy``; every record class binds to the proxy so
tests and the CLI can point the whole store at any file. Opening runs pending migrations (after an
online backup), refuses files written by a newer version, and takes the daily backup.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import peewee

from sro_desk.store import backups, encryption, layout
from sro_desk.store.base import database_proxy
from sro_desk.store.connection import (
    PRAGMAS,
    FileGuard,
    FileKind,
    GuardedSqliteDatabase,
    database_file,
    inspect_file,
    make_database,
    quick_check,
)
from sro_desk.store.errors import StoreError, StoreProblem, as_store_error, classify
from sro_desk.store.layout import HISTORY_TABLE

__all__ = [
    "PRAGMAS", "FileGuard", "GuardedSqliteDatabase", "OpenReport", "close_database", "current_database",
    "current_path", "database_is_open", "is_protected", "last_open_report", "make_database", "migration_names", "open_database",
    "schema_version", "schema_version_of_program",
]

log = logging.getLogger(__name__)

MIGRATIONS_DIR = layout.MIGRATIONS_DIR


def migration_names() -> list[str]:
    """The migrations this version of the program knows, in order."""
    return layout.migration_names(MIGRATIONS_DIR)


def schema_version_of_program() -> int:
    names = migration_names()
    return int(names[-1][:4]) if names else 0


def is_protected(db: peewee.Database | None = None) -> bool:
    """Is the open database (or ``db``) protected with a passphrase?"""
    return encryption.is_protected(db if db is not None else current_database())


def applied_migrations(db: peewee.Database) -> list[str]:
    """Read the Runner's history table directly: opening a file that is up to date then costs one
    query, and ``playhouse.migrations`` (slow to import) is loaded only when there is work to do."""
    if HISTORY_TABLE not in db.get_tables():
        return []
    return sorted(str(row[0]) for row in db.execute_sql(f'SELECT name FROM "{HISTORY_TABLE}"'))


def schema_version(db: peewee.Database) -> int:
    """The highest migration number applied to this file (0 for an empty file)."""
    names = applied_migrations(db)
    return max((int(n[:4]) for n in names if n[:4].isdigit()), default=0)


def _check_not_newer(db: peewee.Database, path: Path) -> None:
    known = set(migration_names())
    unknown = [name for name in applied_migrations(db) if name not in known]
    if unknown:
        raise StoreError(StoreProblem.NEWER_VERSION, ", ".join(unknown), str(path))


class OpenReport:
    """What opening the database found and did besides opening it, for the window or the CLI
    to say (an interrupted protection finished, stale copies removed)."""

    def __init__(self, path: Path, protection: encryption.FinishResult | None = None) -> None:
        self.path = path
        self.protection = protection

    @property
    def summary(self) -> str:
        return self.protection.summary if self.protection is not None else ""


_last_report: OpenReport | None = None


def last_open_report() -> OpenReport | None:
    return _last_report


def damaged(path: Path, detail: str) -> StoreError:
    """``StoreError(DAMAGED)`` naming the backups that ``path`` can be restored from."""
    return StoreError(StoreProblem.DAMAGED, detail, str(path), extra=backups.backup_advice(path))


def open_database(
    path: Path | str,
    *,
    migrate: bool = True,
    daily_backup: bool = True,
    passphrase: str | None = None,
    read_only: bool = False,
) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database at ``path`` and bind the store to it.

    A file protected with a passphrase (SQLCipher) opens with ``passphrase``, or with the one
    remembered from an earlier open in this process; without either it raises
    ``StoreError(PASSPHRASE_NEEDED)``, with a wrong one ``StoreError(WRONG_PASSPHRASE)`` (the file
    is only read). A file whose pages fail SQLite's ``quick_check`` raises ``StoreError(DAMAGED)``
    with the backups to restore from, and is never backed up. ``read_only`` (``check``) never
    writes the file and never creates one. Raises ``StoreError`` for every failure a user can act on.
    """
    global _last_report
    path = Path(path).expanduser().resolve()
    kind = inspect_file(path)
    if kind is FileKind.NOT_A_FILE:
        raise StoreError(StoreProblem.NOT_A_FILE, "not a regular file", str(path))
    if not path.parent.exists():
        raise StoreError(StoreProblem.CANNOT_OPEN, "folder missing", str(path))
    if kind is FileKind.FOREIGN:
        raise StoreError(StoreProblem.NOT_A_DATABASE, "header", str(path))
    if kind is FileKind.DAMAGED:
        raise damaged(path, "the first page is destroyed")
    if read_only and kind in (FileKind.MISSING, FileKind.EMPTY):
        raise StoreError(StoreProblem.NOT_A_DATABASE, kind.value, str(path))
    protected = kind is FileKind.PROTECTED
    key = None
    if protected:
        key = passphrase or encryption.remembered_passphrase(path)
        if not key:
            raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "", str(path))
    db = make_database(path, passphrase=key, read_only=read_only)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        problems = quick_check(db.connection())
        if problems:
            raise damaged(path, problems[0])
        _check_not_newer(db, path)
        report = None if read_only else OpenReport(path, encryption.finish_protection(path, key))
        database_proxy.initialize(db)
        if migrate and not read_only:
            _migrate(db, path)
        _use_district_time_zone()
        if daily_backup and not read_only:
            backups.try_daily_backup(db, path)
    except BaseException as error:
        if not db.is_closed():
            db.close()
        if protected and classify(error) is StoreProblem.NOT_A_DATABASE:
            raise StoreError(StoreProblem.WRONG_PASSPHRASE, str(error), str(path)) from error
        if classify(error) is StoreProblem.CORRUPT:
            raise damaged(path, str(error)) from error
        known = as_store_error(error, str(path))
        if known is not None and known is not error:
            raise known from error
        raise
    if protected and key:
        encryption.remember_passphrase(path, key)
    _last_report = report
    log.info("opened database %s (%s, schema %s)", path.name, "protected" if protected else "plain", schema_version(db))
    return db


def _use_district_time_zone() -> None:
    """The district's time zone (``district.time_zone``) for every date the program reads."""
    from sro_desk import clock
    from sro_desk.store import settings

    clock.set_time_zone(settings.district_time_zone())


def _migrate(db: peewee.SqliteDatabase, path: Path) -> None:
    if set(migration_names()) <= set(applied_migrations(db)):
        return
    from playhouse.migrations import MigrationError, Runner

    runner = Runner(db, directory=str(MIGRATIONS_DIR))
    pending = [m for m in runner.status() if m.applied is None and m.path is not None]
    if not pending:
        return
    if runner.applied():
        backups.make_backup(db, path, reason="before-migration")
    try:
        for name in runner.up():
            log.info("applied migration %s", name)
    except MigrationError as error:  # pragma: no cover - a broken migration file is a bug
        raise RuntimeError(f"migration failed: {error}") from error


def close_database() -> None:
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        read_only = bool(getattr(db, "file_path", ""))
        with contextlib.suppress(peewee.DatabaseError, peewee.InterfaceError, OSError):
            from sro_desk.store.audit import write_anchor

            if not read_only and HISTORY_TABLE in db.get_tables():
                write_anchor(database_file(db))
        db.close()
        log.info("closed database %s", database_file(db).name)


def current_database() -> peewee.SqliteDatabase:
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    assert isinstance(db, peewee.SqliteDatabase)
    return db


def current_path() -> Path:
    return database_file(current_database())


def database_is_open() -> bool:
    db = database_proxy.obj
    return db is not None and not db.is_closed()
