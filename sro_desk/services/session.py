"""The one owner of "the database we are connected to": open, close, switch, restore, protect.

The GUI (through ``ui/session_controller.py``) and the CLI use the same ``Session``; neither opens
the store itself. What is opened is a value, an ``OpenTarget``: a ``FileTarget(path)`` today; the
shared office server adds a ``ServerTarget`` (host, database, role) as one more kind, with its own
branch in ``Session._open`` and no change to the callers, which only ever hold a target and ask
``info()`` what is open.

Questions the session cannot answer itself (a passphrase) come through an ``ask`` callback, so
the same loop serves a dialog, a terminal prompt and an environment variable. No Qt here.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from sro_desk.domain.errors import SroDeskError
from sro_desk.store import backups, encryption
from sro_desk.store.database import (
    close_database,
    current_database,
    database_is_open,
    is_protected,
    last_open_report,
    open_database,
    schema_version,
)
from sro_desk.store.errors import StoreError, StoreProblem

log = logging.getLogger(__name__)

WRONG_PASSPHRASE = "That passphrase is not correct. Nothing in the file was changed; try again."

#: ``ask(message) -> passphrase`` (``None``: the person gave up); ``message`` says why it asks again
AskPassphrase = Callable[[str], "str | None"]


@dataclass(frozen=True, slots=True)
class FileTarget:
    """A database file on this computer (plain SQLite or SQLCipher)."""

    path: Path
    kind: ClassVar[str] = "file"

    def __post_init__(self) -> None:
        object.__setattr__(self, "path", Path(self.path).expanduser().resolve())

    @property
    def address(self) -> str:
        return str(self.path)

    @property
    def name(self) -> str:
        return self.path.name


#: every kind of thing a session can open; a ``ServerTarget`` joins this union
OpenTarget = FileTarget


@dataclass(frozen=True, slots=True)
class SessionInfo:
    """What is open now."""

    target: OpenTarget
    schema_version: int
    protected: bool

    @property
    def kind(self) -> str:
        return self.target.kind

    @property
    def address(self) -> str:
        return self.target.address


class OpenCancelled(SroDeskError):
    """The person asked for a passphrase gave up: nothing was opened."""

    def __init__(self, target: OpenTarget) -> None:
        super().__init__(f"{target.name} was not opened: no passphrase was given.")
        self.target = target


class Session:
    """The open database of this process (at most one), and every way of changing it."""

    def __init__(self) -> None:
        self.target: OpenTarget | None = None
        self.notice = ""  #: what the last open finished or found, in words ("" = nothing)

    # ------------------------------------------------------------------ open and close
    def open(self, target: OpenTarget, *, ask: AskPassphrase | None = None, passphrase: str | None = None,
             migrate: bool = True, daily_backup: bool = True) -> SessionInfo:
        """Open ``target`` (closing what was open). A protected file asks ``ask`` for its
        passphrase until it opens; without ``ask`` it raises ``StoreError(PASSPHRASE_NEEDED)``.
        Raises ``OpenCancelled`` when ``ask`` gives up, ``StoreError`` for everything else."""
        self.close()
        message = ""
        while True:
            try:
                self._open(target, passphrase, migrate=migrate, daily_backup=daily_backup)
                break
            except StoreError as error:
                if error.problem is StoreProblem.WRONG_PASSPHRASE:
                    encryption.forget_passphrase(target.path)
                    message = WRONG_PASSPHRASE if passphrase is not None else ""
                elif error.problem is not StoreProblem.PASSPHRASE_NEEDED:
                    raise
                if ask is None:
                    raise
            passphrase = ask(message)
            if passphrase is None:
                raise OpenCancelled(target)
        self.target = target
        report = last_open_report()
        self.notice = report.summary if report is not None else ""
        if self.notice:
            log.warning("on opening %s: %s", target.name, self.notice)
        return self.info_or_raise()

    def _open(self, target: OpenTarget, passphrase: str | None, *, migrate: bool, daily_backup: bool) -> None:
        open_database(target.path, passphrase=passphrase, migrate=migrate, daily_backup=daily_backup)

    def close(self) -> None:
        close_database()
        self.target = None

    def switch(self, target: OpenTarget, *, ask: AskPassphrase | None = None) -> SessionInfo:
        """Open ``target`` instead of what is open; when it cannot be opened (or the passphrase
        is not given) the previous database is opened again and the reason raised."""
        self._adopt()
        previous = self.target
        try:
            return self.open(target, ask=ask)
        except SroDeskError:
            if previous is not None:
                self.open(previous)  # its passphrase is remembered from when it was opened
            raise

    def reopen(self) -> SessionInfo:
        target = self._require_target()
        return self.open(target, daily_backup=False)

    def info(self) -> SessionInfo | None:
        if not database_is_open():
            return None
        self._adopt()
        assert self.target is not None
        db = current_database()
        return SessionInfo(self.target, schema_version(db), is_protected(db))

    def info_or_raise(self) -> SessionInfo:
        info = self.info()
        if info is None:
            raise RuntimeError("no database is open")
        return info

    def _adopt(self) -> None:
        """A store opened without the session (a test, the demo builder) becomes its target."""
        from sro_desk.store.database import current_path

        if database_is_open() and (self.target is None or self.target.path != current_path()):
            self.target = FileTarget(current_path())

    def _require_target(self) -> OpenTarget:
        self._adopt()
        if self.target is None:
            raise RuntimeError("no database is open")
        return self.target

    def needs_setup(self) -> bool:
        """A new, empty district: the first-run questions are due."""
        from sro_desk.store import settings

        return not settings.is_set_up()

    # ------------------------------------------------------------------ backups
    def list_backups(self, target: OpenTarget | None = None) -> list[backups.BackupFile]:
        return backups.list_backups((target or self._require_target()).path)

    def backups_folder(self, target: OpenTarget | None = None) -> Path:
        return backups.backups_dir((target or self._require_target()).path)

    def backup_now(self) -> Path:
        target = self._require_target()
        return backups.make_backup(current_database(), target.path, reason="manual")

    def restore(self, backup: Path) -> Path:
        """Replace the open database's data with ``backup``; the data as it was is kept as a
        backup of its own first (returned). The database is open again afterwards."""
        target = self._require_target()
        safety = backups.restore(current_database(), target.path, backup)
        self.reopen()
        log.info("restored %s from backup %s", target.name, backup.name)
        return safety

    def restore_damaged(self, target: OpenTarget, backup: Path, *, passphrase: str | None = None) -> Path:
        """Replace the damaged (closed) file of ``target`` with ``backup`` and open it. Returns
        where the damaged file was kept."""
        self.close()
        key = passphrase or encryption.remembered_passphrase(target.path)
        aside = backups.restore_damaged(target.path, backup, key)
        self.open(target, passphrase=key, daily_backup=False)
        from sro_desk.store.audit import write_anchor

        write_anchor(target.path, force=True)  # the restored chain is legitimately shorter
        return aside

    # ------------------------------------------------------------------ passphrase protection
    def is_protected(self) -> bool:
        info = self.info()
        return bool(info and info.protected)

    def passphrase_is(self, typed: str) -> bool:
        """Is ``typed`` the open database's passphrase? (compared in constant time)"""
        expected = encryption.passphrase_of(current_database()) if database_is_open() else None
        return expected is not None and hmac.compare_digest(typed.encode("utf-8"), expected.encode("utf-8"))

    def protect(self, new: str) -> encryption.ProtectionResult:
        return self._change_protection(None, new)

    def change_passphrase(self, old: str, new: str) -> encryption.ProtectionResult:
        return self._change_protection(old, new)

    def remove_passphrase(self, old: str) -> encryption.ProtectionResult:
        return self._change_protection(old, None)

    def _change_protection(self, old: str | None, new: str | None) -> encryption.ProtectionResult:
        """Close, rewrite the file and its backups under the new key, open again (with the old
        key when the change was refused, so the database stays open either way)."""
        target = self._require_target()
        self.close()
        result: encryption.ProtectionResult | None = None
        try:
            result = encryption.change_protection(target.path, old, new)
        finally:
            self.open(target, passphrase=new if result is not None else old, daily_backup=False)
        assert result is not None
        log.info("protection of %s changed: %s", target.name, "protected" if result.protected else "plain")
        return result

    # ------------------------------------------------------------------ first run
    def replace_with_demo(self) -> SessionInfo:
        """Fill the open, still empty database with the fictitious demo district."""
        from sro_desk.services.demo import build_demo
        from sro_desk.store import roster_repo

        target = self._require_target()
        if roster_repo.list_staff():
            raise SroDeskError(f"{target.name} already holds staff: the demo district is only made in a new file.")
        self.close()
        target.path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(OSError):
                Path(f"{target.path}{suffix}").unlink(missing_ok=True)
        build_demo(target.path)
        return self.open(target)


_session = Session()


def current_session() -> Session:
    """The process's session (the GUI's controller and every CLI command use this one)."""
    return _session
