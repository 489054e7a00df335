"""Audited writes: every create, update and delete writes a hash-chained entry in the same transaction.

Use ``audited_create``/``audited_update``/``audited_delete`` for every record a coordinator can
change; they are the only sanctioned way to write such records.
"""

from __future__ import annotations

import datetime as dt
import enum
import getpass
import json
from pathlib import Path
from typing import Any, TypeVar

import peewee

from sro_desk import clock
from sro_desk.domain.audit import (
    GENESIS,
    AuditAction,
    AuditEntry,
    canonical_changes,
    entry_hash,
    verify_chain,
)
from sro_desk.domain.errors import RuleViolation
from sro_desk.store.base import BaseRecord, database_proxy
from sro_desk.store.foundation_records import AuditRecord

R = TypeVar("R", bound=BaseRecord)

_actor: str | None = None


def set_actor(name: str | None) -> None:
    """Who is making changes; ``None`` means the operating-system login name."""
    global _actor
    _actor = name.strip() if name and name.strip() else None


def current_actor() -> str:
    if _actor:
        return _actor
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still audit something honest
        return "unknown user"


def record_type_of(model: type[BaseRecord]) -> str:
    return model.__name__.removesuffix("Record")


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes | memoryview):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, BaseRecord):
        return value.get_id()
    return value


def field_values(record: BaseRecord) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field in record._meta.sorted_fields:
        if isinstance(field, peewee.AutoField):
            continue
        if isinstance(field, peewee.ForeignKeyField):
            values[field.name] = record.__data__.get(field.name)
        else:
            values[field.name] = _plain(getattr(record, field.name))
    return values


def write_entry(action: AuditAction, record_type: str, record_id: object, changes: dict[str, Any]) -> AuditRecord:
    """Append one chained entry. Must run inside the caller's transaction."""
    last = AuditRecord.select(AuditRecord.entry_hash).order_by(AuditRecord.id.desc()).first()
    prev = last.entry_hash if last else GENESIS
    at = clock.utc_now().isoformat(timespec="microseconds")
    actor = current_actor()
    text = canonical_changes({k: _plain_pair(v) for k, v in changes.items()})
    digest = entry_hash(prev, at, actor, action.value, record_type, str(record_id), text)
    return AuditRecord.create(
        at=at,
        actor=actor,
        action=action.value,
        record_type=record_type,
        record_id=str(record_id),
        changes=text,
        prev_hash=prev,
        entry_hash=digest,
    )


def _plain_pair(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return _plain(value)


def audited_create(model: type[R], *, reason: str = "", **fields: Any) -> R:
    with database_proxy.atomic():
        record: R = model.create(**fields)
        changes: dict[str, Any] = {k: [None, v] for k, v in field_values(record).items()}
        if reason:
            changes["_reason"] = reason
        write_entry(AuditAction.CREATE, record_type_of(model), record.get_id(), changes)
    return record


def audited_update(record: R, *, reason: str = "", **fields: Any) -> R:
    """Set ``fields`` on ``record`` and save; writes an entry only when something changed."""
    with database_proxy.atomic():
        before = field_values(record)
        for name, value in fields.items():
            setattr(record, name, value)
        after = field_values(record)
        changes: dict[str, Any] = {k: [before[k], after[k]] for k in after if before.get(k) != after[k]}
        if not changes:
            return record
        record.save()
        if reason:
            changes["_reason"] = reason
        write_entry(AuditAction.UPDATE, record_type_of(type(record)), record.get_id(), changes)
    return record


def audited_delete(record: BaseRecord, *, reason: str = "") -> None:
    """Delete a record. Refused, in words, when other records still depend on it."""
    blockers = dependents(record)
    if blockers:
        raise RuleViolation(
            "This record cannot be deleted because " + ", ".join(blockers) + " refer to it. "
            "Deactivate it instead, or remove those first."
        )
    with database_proxy.atomic():
        changes: dict[str, Any] = {k: [v, None] for k, v in field_values(record).items()}
        if reason:
            changes["_reason"] = reason
        record_id = record.get_id()
        record.delete_instance()
        write_entry(AuditAction.DELETE, record_type_of(type(record)), record_id, changes)


def dependents(record: BaseRecord) -> list[str]:
    """Descriptions ("3 training records") of rows that would block deleting ``record``."""
    found: list[str] = []
    for field, model in record._meta.backrefs.items():
        if (field.on_delete or "").upper() == "CASCADE":
            continue
        count = model.select().where(field == record.get_id()).count()
        if count:
            label = record_type_of(model).replace("_", " ")
            words = "".join(" " + c.lower() if c.isupper() else c for c in label).strip()
            found.append(f"{count} {words} record{'s' if count != 1 else ''}")
    return found


def to_entry(row: AuditRecord) -> AuditEntry:
    return AuditEntry(
        id=row.id, at=row.at, actor=row.actor, action=row.action, record_type=row.record_type,
        record_id=row.record_id, changes=row.changes, prev_hash=row.prev_hash, entry_hash=row.entry_hash,
    )


def audit_entries(record_type: str | None = None, record_id: object | None = None) -> list[AuditEntry]:
    query = AuditRecord.select().order_by(AuditRecord.id)
    if record_type is not None:
        query = query.where(AuditRecord.record_type == record_type)
    if record_id is not None:
        query = query.where(AuditRecord.record_id == str(record_id))
    return [to_entry(r) for r in query]


def verify_audit_chain() -> str | None:
    """``None`` when every entry is intact, else a sentence naming the first broken one."""
    return verify_chain(to_entry(r) for r in AuditRecord.select().order_by(AuditRecord.id).iterator())


# ---------------------------------------------------------------- the chain's anchor
#
# The hash chain shows an entry edited, inserted or removed in the middle, but not the newest
# entries removed from the end. The anchor — the count and hash of the last entry, kept in a small
# file beside the database and refreshed when the database closes or is backed up — closes that
# gap: ``check`` requires the anchored entry to be still in the chain, unchanged.


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".audit-anchor")


def chain_head() -> tuple[int, str] | None:
    last = AuditRecord.select(AuditRecord.id, AuditRecord.entry_hash).order_by(AuditRecord.id.desc()).first()
    if last is None:
        return None
    return int(AuditRecord.select().count()), str(last.entry_hash)


def write_anchor(db_path: Path, *, force: bool = False) -> None:
    """Record the chain's head beside the database. A chain that no longer contains the anchored
    entry keeps its old anchor (so ``check`` keeps reporting it) unless ``force`` (a restore)."""
    if not force and anchor_problem(db_path) is not None:
        return
    head = chain_head()
    if head is None:
        return
    count, digest = head
    anchor_path(db_path).write_text(json.dumps({"entries": count, "last_hash": digest}), encoding="utf-8")


def anchor_problem(db_path: Path) -> str | None:
    """``None`` when the anchored entry is still in the chain; otherwise what was lost, in words."""
    try:
        anchor = json.loads(anchor_path(db_path).read_text(encoding="utf-8"))
        count, digest = int(anchor["entries"]), str(anchor["last_hash"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no anchor yet (or unreadable): nothing to compare against
    rows = list(AuditRecord.select(AuditRecord.entry_hash).order_by(AuditRecord.id).limit(1).offset(count - 1))
    if not rows or rows[0].entry_hash != digest:
        have = int(AuditRecord.select().count())
        return (
            f"The audit trail had {count} entries when this database was last closed; entry {count} is "
            f"now missing or different ({have} entries remain). Entries were removed from the end."
        )
    return None
