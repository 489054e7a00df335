"""Moving a district between a laptop file and its PostgreSQL server, whole or not at all.

``push`` copies every table of a laptop file onto an empty server database in one transaction,
audit history included, then appends one entry noting the move, so the chain runs on unbroken.
``snapshot`` writes a consistent copy of the server into a new SQLite file from one REPEATABLE
READ, READ ONLY transaction: the server's "Back up now", and a read-only copy for a laptop that
goes offline. The same migrations make both schemas, so a row means the same on either side.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import peewee
from playhouse.migrations import Runner

from sro_desk.domain.audit import AuditAction
from sro_desk.domain.errors import ValidationError
from sro_desk.store.base import BaseRecord, all_record_classes, database_proxy
from sro_desk.store.layout import MIGRATIONS_DIR, migration_names

BATCH = 500
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class TransferResult:
    rows: dict[str, int]
    audit_entries: int

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def ordered_models() -> list[type[BaseRecord]]:
    """Every table, parents before the tables that point at them."""
    return list(peewee.sort_models(all_record_classes()))


@contextlib.contextmanager
def bound(db: peewee.Database) -> Iterator[None]:
    previous = database_proxy.obj
    database_proxy.initialize(db)
    try:
        yield
    finally:
        database_proxy.initialize(previous)


def migrate_server(db: peewee.PostgresqlDatabase) -> list[str]:
    """Bring a server database to this program's schema; returns the migrations applied."""
    with bound(db), db.connection_context():
        history = Runner(db, directory=str(MIGRATIONS_DIR))
        applied = {m.name for m in history.status() if m.applied is not None}
        newer = applied - set(migration_names(MIGRATIONS_DIR))
        if newer:
            raise ValidationError(
                "This server's database was set up by a newer version of SRO Desk "
                f"({', '.join(sorted(newer))}); install that version to use it.")
        return list(history.up())


def _rows(model: type[BaseRecord]) -> Iterator[tuple[Any, ...]]:
    fields = model._meta.sorted_fields
    yield from model.select(*fields).order_by(model._meta.primary_key).tuples().iterator()


def _copy(source: peewee.Database, target: peewee.Database, progress: Progress | None) -> dict[str, int]:
    """Every row of every table, ids kept, inside the caller's transaction on ``target``."""
    models = ordered_models()
    counts: dict[str, int] = {}
    for index, model in enumerate(models, start=1):
        fields = model._meta.sorted_fields
        with bound(source):
            rows = list(_rows(model))
        with bound(target):
            for start in range(0, len(rows), BATCH):
                model.insert_many(rows[start:start + BATCH], fields=fields).execute()
        counts[model._meta.table_name] = len(rows)
        if progress:
            progress(index, len(models))
    return counts


def _reset_sequences(db: peewee.PostgresqlDatabase) -> None:
    """Rows came in with their ids; the next id the server hands out follows the largest."""
    for model in ordered_models():
        table = model._meta.table_name
        db.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 1), "
            f"MAX(id) IS NOT NULL) FROM \"{table}\"")


def _nonempty_tables(db: peewee.Database) -> list[str]:
    with bound(db):
        return [m._meta.table_name for m in ordered_models() if m.select().limit(1).exists()]


def push(source_path: Path, target: peewee.PostgresqlDatabase, *, progress: Progress | None = None,
         note: str = "") -> TransferResult:
    """Copy the laptop file at ``source_path`` (opened and migrated by the caller's store) onto
    the empty server database ``target``: everything or nothing."""
    from sro_desk.store.audit import verify_audit_chain, write_entry

    source = database_proxy.obj
    if source is None or not isinstance(source, peewee.SqliteDatabase):
        raise RuntimeError("push needs the laptop file open in the store")
    with bound(source):
        broken = verify_audit_chain()
    if broken:
        raise ValidationError(f"{source_path.name} cannot be moved: its audit trail is damaged. {broken}")
    migrate_server(target)
    with target.connection_context():
        filled = _nonempty_tables(target)
        if filled:
            raise ValidationError(
                "The server's database already holds data (" + ", ".join(filled[:5]) + "); SRO Desk "
                "moves a file only onto an empty database, so nothing there is overwritten.")
        with target.atomic():
            counts = _copy(source, target, progress)
            _reset_sequences(target)
            with bound(target):
                write_entry(AuditAction.CREATE, "server_move", source_path.name, {
                    "moved_from": [None, str(source_path)],
                    "rows": [None, sum(counts.values())],
                    **({"_reason": note} if note else {}),
                })
                broken = verify_audit_chain()
            if broken:  # pragma: no cover - the copy keeps every entry as it was
                raise RuntimeError(f"the audit chain did not survive the move: {broken}")
    return TransferResult(counts, counts.get("audit_record", 0) + 1)


def snapshot(source: peewee.PostgresqlDatabase, dest: Path, *, progress: Progress | None = None,
             passphrase: str | None = None) -> TransferResult:
    """A consistent SQLite copy of the server at ``dest`` (a new file), encrypted with a passphrase."""
    from sro_desk.store.audit import write_anchor
    from sro_desk.store.database import close_database, open_database

    dest = Path(dest)
    if dest.exists():
        raise ValidationError(f"{dest} already exists; a snapshot is written only to a new file.")
    part = dest.with_name(dest.name + ".part")
    part.unlink(missing_ok=True)
    previous = database_proxy.obj
    try:
        target = open_database(part, daily_backup=False)
        try:
            with source.connection_context(), source.manual_commit():
                source.begin()
                source.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                try:
                    with target.atomic():
                        counts = _copy(source, target, progress)
                finally:
                    source.rollback()
            with bound(target):
                write_anchor(part, force=True)
        finally:
            close_database()
        if passphrase:
            from sro_desk.store.encryption import change_protection

            change_protection(part, None, passphrase)
        os.replace(part, dest)
        anchor = part.with_name(part.name + ".audit-anchor")
        if anchor.exists():
            os.replace(anchor, dest.with_name(dest.name + ".audit-anchor"))
    except BaseException:
        part.unlink(missing_ok=True)
        part.with_name(part.name + ".audit-anchor").unlink(missing_ok=True)
        raise
    finally:
        database_proxy.initialize(previous)
    return TransferResult(counts, counts.get("audit_record", 0))
