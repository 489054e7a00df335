"""The audit trail's hash chain.

Each entry stores the SHA-256 of its own content together with the previous entry's hash, so
editing, inserting or deleting an entry anywhere breaks the chain from that point on. The hash is
computed over canonical JSON so that it does not depend on dictionary order or float formatting.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

GENESIS = "0" * 64


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One line of the audit trail: who changed which record, when, from what to what."""

    id: int
    at: str
    actor: str
    action: str
    record_type: str
    record_id: str
    changes: str
    prev_hash: str
    entry_hash: str


def canonical_changes(changes: dict[str, object]) -> str:
    return json.dumps(changes, sort_keys=True, ensure_ascii=False, default=str, separators=(",", ":"))


def entry_hash(
    prev_hash: str, at: str, actor: str, action: str, record_type: str, record_id: str, changes: str
) -> str:
    payload = json.dumps(
        [prev_hash, at, actor, action, record_type, record_id, changes],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def verify_chain(entries: Iterable[AuditEntry]) -> str | None:
    """``None`` when the chain holds; otherwise a sentence naming the first broken entry."""
    prev = GENESIS
    for entry in entries:
        if entry.prev_hash != prev:
            return (
                f"Audit entry {entry.id} does not follow the entry before it: an entry was "
                "removed, inserted or altered."
            )
        expected = entry_hash(
            entry.prev_hash, entry.at, entry.actor, entry.action, entry.record_type,
            entry.record_id, entry.changes,
        )
        if expected != entry.entry_hash:
            return f"Audit entry {entry.id} ({entry.action} {entry.record_type} {entry.record_id}) was altered after it was written."
        prev = entry.entry_hash
    return None
