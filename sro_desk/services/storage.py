"""What the UI needs to know of the open store, asked through a service (the UI imports no store).

Opening, switching and protecting a database belong to the session service; this module holds
the small questions the rest of the UI asks: who is recorded as acting, a known store failure in
words, a connection for background work, an attachment written out, a district setting read.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from sro_desk.domain.errors import SroDeskError
from sro_desk.store import attachments, audit, settings
from sro_desk.store.base import database_proxy
from sro_desk.store.errors import as_store_error


def current_actor() -> str:
    """The name recorded in the audit trail for changes made now."""
    return audit.current_actor()


def known_store_error(error: BaseException) -> SroDeskError | None:
    """A database failure the user can be told about in words (locked, read-only, disk full,
    corrupt, ...), or ``None`` for anything else (a bug)."""
    return as_store_error(error)


@contextlib.contextmanager
def job_connection() -> Iterator[None]:
    """A database connection of its own for work on a background thread (none if no store)."""
    db = database_proxy.obj
    if db is None:
        yield
        return
    with db.connection_context():
        yield


def save_attachment_to(attachment_id: int, dest: Path | str) -> Path:
    """Write a stored attachment (a signed agreement, a certificate, ...) to ``dest``."""
    return attachments.save_attachment_to(attachment_id, dest)


def get_setting(key: str, default: object = None) -> object:
    """A district setting as stored (JSON), or ``default``."""
    value: object = settings.get_setting(key, default)
    return value


def open_database_passphrase() -> str | None:
    """The passphrase the open database was unlocked with (``None``: not protected or none
    open); the idle lock asks for it again before showing the window."""
    from sro_desk.store.encryption import passphrase_of

    db = database_proxy.obj
    if db is None or db.is_closed():
        return None
    return passphrase_of(db)


def set_actor(name: str | None) -> None:
    """Whose name the audit trail records for changes made from now on (None: the login name)."""
    audit.set_actor(name)


def set_setting(key: str, value: object, *, reason: str = "") -> None:
    """Store a district setting (audited)."""
    settings.set_setting(key, value, reason=reason)


def daily_backup_problem() -> str | None:
    """Why the last automatic daily backup could not be written, in words (None: it was)."""
    from sro_desk.store import backups

    problem: str | None = backups.daily_backup_problem()
    return problem


def staff_count() -> int:
    from sro_desk.store import roster_repo

    return int(roster_repo.staff_count())


def passphrase_problems(passphrase: str, again: str | None = None) -> list[str]:
    """What is wrong with a new passphrase, in words (empty: it will do)."""
    from sro_desk.store import encryption

    return list(encryption.passphrase_problems(passphrase, again))


def passphrase_min_length() -> int:
    from sro_desk.store import encryption

    return int(encryption.MIN_LENGTH)
