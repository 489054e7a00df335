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
from sro_desk.store.foundation_records import AuditRecord, SettingRecord

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
    row = AuditRecord.create(
        at=at,
        actor=actor,
        action=action.value,
        record_type=record_type,
        record_id=str(record_id),
        changes=text,
        prev_hash=prev,
        entry_hash=digest,
    )
    _advance_head(prev, digest)
    return row


def _advance_head(prev: str, digest: str) -> None:
    """Move the chain head kept inside the database (``HEAD_KEY``) on by one entry, in the same
    transaction as the entry; counted afresh when the stored head is not the entry before."""
    stored = stored_head()
    if stored is not None and stored[1] == prev:
        count = stored[0] + 1
    else:
        count = int(AuditRecord.select().count())
    value = json.dumps({"entries": count, "last_hash": digest}, sort_keys=True)
    (SettingRecord.insert(key=HEAD_KEY, value=value)
     .on_conflict(conflict_target=[SettingRecord.key], update={SettingRecord.value: value}).execute())


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
# entries removed from the end. Two records of the head (the count and hash of the last entry)
# close that gap:
# - the chain head inside the database (``HEAD_KEY``, a settings row only this module writes, in
#   the same transaction as each entry), which sees a cut tail even when the anchor file is lost;
# - the anchor, a small file beside the database refreshed when it closes or is backed up (and
#   copied into every backup), which sees a cut tail even when the head row was cut with it.
# ``check`` reports a head or an anchor whose entry is no longer in the chain, and a missing or
# unreadable anchor beside a non-empty chain.

HEAD_KEY = "audit.chain_head"
RESERVED_PREFIX = "audit."  # settings keys only the audit layer writes


def anchor_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".audit-anchor")


def _figures(value: Any) -> tuple[int, str] | None:
    try:
        return int(value["entries"]), str(value["last_hash"])
    except (KeyError, TypeError, ValueError):
        return None


def stored_head() -> tuple[int, str] | None:
    """The chain head kept inside the database, or ``None`` (none yet, or unreadable)."""
    row = SettingRecord.get_or_none(SettingRecord.key == HEAD_KEY)
    if row is None:
        return None
    try:
        return _figures(json.loads(row.value))
    except ValueError:
        return None


def chain_head() -> tuple[int, str] | None:
    """The count and hash of the chain's last entry as the rows are now."""
    last = AuditRecord.select(AuditRecord.id, AuditRecord.entry_hash).order_by(AuditRecord.id.desc()).first()
    if last is None:
        return None
    return int(AuditRecord.select().count()), str(last.entry_hash)


def _read_anchor(db_path: Path) -> tuple[str, tuple[int, str] | None]:
    """("missing" | "unreadable" | "ok", figures)."""
    try:
        text = anchor_path(db_path).read_text(encoding="utf-8")
    except FileNotFoundError:
        return "missing", None
    except (OSError, UnicodeDecodeError):
        return "unreadable", None
    try:
        figures = _figures(json.loads(text))
    except ValueError:
        figures = None
    return ("ok", figures) if figures is not None else ("unreadable", None)


def anchor_figures(db_path: Path) -> dict[str, object] | None:
    """The anchor file's figures (copied into every backup), or ``None``."""
    state, figures = _read_anchor(db_path)
    if figures is None:
        return {"state": state}
    return {"entries": figures[0], "last_hash": figures[1]}


def write_anchor(db_path: Path, *, force: bool = False) -> None:
    """Record the chain's head beside the database. A chain that no longer holds the anchored or
    stored head keeps its old anchor (so ``check`` keeps reporting it) unless ``force`` (a
    restore, whose chain is legitimately shorter)."""
    if not force and _tail_problems(db_path, anchor_required=False):
        return
    head = chain_head()
    if head is None:
        return
    count, digest = head
    target = anchor_path(db_path)
    tmp = target.with_name(target.name + ".tmp")
    try:
        tmp.write_text(json.dumps({"entries": count, "last_hash": digest}), encoding="utf-8")
        tmp.replace(target)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def _entry_at(count: int) -> str | None:
    if count < 1:
        return None
    rows = list(AuditRecord.select(AuditRecord.entry_hash).order_by(AuditRecord.id).limit(1).offset(count - 1))
    return str(rows[0].entry_hash) if rows else None


def anchor_report(db_path: Path) -> tuple[list[str], list[str]]:
    """(problems, notes) about the chain's tail. A problem: the stored head or the anchor names an
    entry the chain no longer holds, the anchor or the head row is unreadable, or a non-empty
    chain has neither. A note: the anchor file alone is missing while the head row is intact (a
    copy made without it, or a program stopped before it first closed the file)."""
    problems = _tail_problems(db_path, anchor_required=True)
    notes: list[str] = []
    have = int(AuditRecord.select().count())
    if have and _read_anchor(db_path)[0] == "missing":
        text = (f"The audit anchor file {anchor_path(db_path).name} is missing beside an audit trail of {have} "
                "entries: it was deleted, the database was copied without it, or SRO Desk was stopped before it "
                "first closed this database.")
        if stored_head() is None:
            problems.append(text + " There is no chain head inside the database either, so removed entries "
                            "at the end could not be seen.")
        else:
            notes.append(text + " The chain head kept inside the database is intact; closing the database "
                         "normally writes the anchor again.")
    return problems, notes


def _tail_problems(db_path: Path, *, anchor_required: bool) -> list[str]:
    problems: list[str] = []
    have = int(AuditRecord.select().count())
    for name, figures in (("the chain head kept inside the database", stored_head()),
                          ("the audit anchor file", _read_anchor(db_path)[1])):
        if figures is None:
            continue
        count, digest = figures
        if _entry_at(count) != digest:
            problems.append(
                f"The audit trail had {count} entries by {name}; entry {count} is now missing or "
                f"different ({have} entries remain). Entries were removed from the end."
            )
    row = SettingRecord.get_or_none(SettingRecord.key == HEAD_KEY)
    if row is not None and stored_head() is None:
        problems.append("The chain head kept inside the database is unreadable: it was edited.")
    if anchor_required and have and _read_anchor(db_path)[0] == "unreadable":
        problems.append(f"The audit anchor file {anchor_path(db_path).name} is unreadable: it was changed or damaged.")
    return problems


def anchor_problem(db_path: Path) -> str | None:
    """``None`` when the chain still holds its head and anchor; otherwise what was lost, in words."""
    problems = anchor_report(db_path)[0]
    return " ".join(problems) if problems else None
