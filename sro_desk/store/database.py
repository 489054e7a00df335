"""Opening, migrating and closing the SQLite file.

One ``SqliteDatabase`` sits behind ``database_proxy``; every record class binds to the proxy so
tests and the CLI can point the whole store at any file. Opening runs pending migrations (after an
online backup), refuses files written by a newer version, and takes the daily backup.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import Any

import peewee

from sro_desk.store import backups, encryption, layout
from sro_desk.store.base import database_proxy
from sro_desk.store.errors import StoreError, StoreProblem, as_store_error, classify
from sro_desk.store.layout import HISTORY_TABLE, SQLITE_HEADER

log = logging.getLogger(__name__)

MIGRATIONS_DIR = layout.MIGRATIONS_DIR
PRAGMAS: dict[str, Any] = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
    "cache_size": -64000,
}


def migration_names() -> list[str]:
    """The migrations this version of the program knows, in order."""
    return layout.migration_names(MIGRATIONS_DIR)


def schema_version_of_program() -> int:
    names = migration_names()
    return int(names[-1][:4]) if names else 0


def _looks_like_sqlite(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    with path.open("rb") as fh:
        return fh.read(16) == SQLITE_HEADER


class FileGuard:
    """Refuses to start a write transaction when the database file is no longer where it was.

    On Linux and macOS an open file lives on after its folder is deleted, moved or unmounted:
    SQLite would go on "saving" into a file nobody can reach again, and everything written after
    that would vanish when the program closes. Before each transaction the path is checked to
    still name the file that was opened (one ``stat``); if not, ``StoreError(FILE_GONE)``.
    """

    database: str
    _file_identity: tuple[int, int] | None = None

    def _connect(self) -> Any:
        conn = super()._connect()  # type: ignore[misc]
        with contextlib.suppress(OSError):
            st = os.stat(self.database)
            self._file_identity = (st.st_dev, st.st_ino)
        return conn

    def ensure_file_present(self) -> None:
        try:
            st = os.stat(self.database)
        except OSError as error:
            raise StoreError(StoreProblem.FILE_GONE, str(error), self.database) from error
        if self._file_identity is not None and (st.st_dev, st.st_ino) != self._file_identity:
            raise StoreError(StoreProblem.FILE_GONE, "replaced by another file", self.database)

    def begin(self, *args: Any, **kwargs: Any) -> Any:
        self.ensure_file_present()
        return super().begin(*args, **kwargs)  # type: ignore[misc]


class GuardedSqliteDatabase(FileGuard, peewee.SqliteDatabase):
    """``peewee.SqliteDatabase`` with the ``FileGuard`` check before every transaction."""


def make_database(path: Path | str, passphrase: str | None = None) -> peewee.SqliteDatabase:
    """A peewee database for ``path``: SQLCipher when a passphrase is given, plain SQLite otherwise."""
    options: dict[str, Any] = {
        "pragmas": PRAGMAS,
        "autoconnect": False,
        "lock_type": "IMMEDIATE",
        "timeout": 5,
        "check_same_thread": False,
    }
    if passphrase:
        return encryption.make_encrypted_database(path, passphrase, **options)
    return GuardedSqliteDatabase(str(path), **options)


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


def open_database(
    path: Path | str,
    *,
    migrate: bool = True,
    daily_backup: bool = True,
    passphrase: str | None = None,
) -> peewee.SqliteDatabase:
    """Open (creating if needed) the database at ``path`` and bind the store to it.

    A file protected with a passphrase (SQLCipher) opens with ``passphrase``, or with the one
    remembered from an earlier open in this process; without either it raises
    ``StoreError(PASSPHRASE_NEEDED)``, with a wrong one ``StoreError(WRONG_PASSPHRASE)`` (the file
    is only read). Raises ``StoreError`` for every failure a user can act on.
    """
    path = Path(path).expanduser().resolve()
    if path.is_dir():
        raise StoreError(StoreProblem.CANNOT_OPEN, "is a folder", str(path))
    if not path.parent.exists():
        raise StoreError(StoreProblem.CANNOT_OPEN, "folder missing", str(path))
    protected = encryption.looks_encrypted(path)
    if not protected and not _looks_like_sqlite(path):
        raise StoreError(StoreProblem.NOT_A_DATABASE, "header", str(path))
    if protected:
        key = passphrase or encryption.remembered_passphrase(path)
        if not key:
            raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "", str(path))
        db = make_database(path, passphrase=key)
    else:
        db = make_database(path)
    try:
        db.connect()
        db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        _check_not_newer(db, path)
        if migrate:
            _migrate(db, path)
        database_proxy.initialize(db)
        if daily_backup:
            backups.try_daily_backup(db, path)
    except BaseException as error:
        if not db.is_closed():
            db.close()
        if protected and classify(error) is StoreProblem.NOT_A_DATABASE:
            raise StoreError(StoreProblem.WRONG_PASSPHRASE, str(error), str(path)) from error
        known = as_store_error(error, str(path))
        if known is not None and known is not error:
            raise known from error
        raise
    if protected and key:
        encryption.remember_passphrase(path, key)
    return db


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
        with contextlib.suppress(peewee.DatabaseError, peewee.InterfaceError, OSError):
            from sro_desk.store.audit import write_anchor

            if HISTORY_TABLE in db.get_tables():
                write_anchor(Path(db.database))
        db.close()


def current_database() -> peewee.SqliteDatabase:
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    assert isinstance(db, peewee.SqliteDatabase)
    return db


def current_path() -> Path:
    return Path(current_database().database)
