"""The district's shared server, as district IT and the coordinator use it: set up, people, moves.

Qt-free, so the command line and the window do the same thing. Connection problems come back as
``ServerUnavailable`` in one line; a missing password as ``PasswordNeeded``, for the caller to ask
the person and try once more.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sro_desk.domain.errors import ValidationError
from sro_desk.store.server_connection import (
    PasswordNeeded,
    ServerAddress,
    ServerDatabase,
    open_server,
    raw_connection,
)
from sro_desk.store.server_security import (
    Member,
    ServerRole,
    add_member,
    apply_security,
    building_id_for,
    members,
)
from sro_desk.store.server_transfer import TransferResult, migrate_server, push, snapshot

AskPassword = Callable[[ServerAddress], str]


def connect(address: ServerAddress | str, ask_password: AskPassword | None = None) -> ServerDatabase:
    """Connect, asking for the password once if the server wants one that was not given."""
    where = ServerAddress.parse(address) if isinstance(address, str) else address
    try:
        return open_server(where)
    except PasswordNeeded:
        if ask_password is None:
            raise
        return open_server(where, ask_password(where))


@dataclass(frozen=True)
class InitResult:
    migrations: list[str]

    @property
    def summary(self) -> str:
        applied = f"{len(self.migrations)} schema steps applied" if self.migrations else "the schema was already current"
        return f"Server ready: {applied}; roles, rights and row-level security policies are in place."


def init_server(db: ServerDatabase) -> InitResult:
    """Schema, group roles, grants and policies on the district's (empty or current) database."""
    applied = migrate_server(db)
    apply_security(raw_connection(db))
    return InitResult(applied)


def add_user(db: ServerDatabase, name: str, role: str, *, building: str | None = None,
             full_name: str = "", password: str | None = None) -> Member:
    """A person's own sign-in with one role; a principal's building by its code (e.g. RMS)."""
    kind = ServerRole.from_word(role)
    building_id: int | None = None
    if building:
        building_id = building_id_for(raw_connection(db), building)
        if building_id is None:
            raise ValidationError(f"There is no building with the code '{building}' on this server.")
    elif kind is ServerRole.PRINCIPAL:
        raise ValidationError("A principal's sign-in needs their building: --building CODE.")
    member = Member(name.strip(), kind, building_id, full_name.strip())
    add_member(raw_connection(db), member, password)
    return member


def list_users(db: ServerDatabase) -> list[Member]:
    return members(raw_connection(db))


def push_file(path: Path, db: ServerDatabase, *, note: str = "",
              progress: Callable[[int, int], None] | None = None) -> TransferResult:
    """Move a laptop file onto the server (opened and migrated here, closed afterwards)."""
    from sro_desk.store.database import close_database, open_database

    source = Path(path).expanduser()
    if not source.is_file():
        raise ValidationError(f"There is no database file at {source}.")
    open_database(source, daily_backup=False)
    try:
        return push(source, db, progress=progress, note=note)
    finally:
        close_database()


def snapshot_to(db: ServerDatabase, dest: Path, *, passphrase: str | None = None,
                progress: Callable[[int, int], None] | None = None) -> TransferResult:
    return snapshot(db, Path(dest).expanduser(), passphrase=passphrase, progress=progress)
