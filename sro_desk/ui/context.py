"""What every tab shares: the open database's path and a signal that data changed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from sro_desk.domain.changes import Change

if TYPE_CHECKING:
    from sro_desk.store.snapshot import StartSnapshot


class AppContext(QObject):
    """``data_changed(kind)`` tells other tabs to reload: kind is "roster", "training", "setup", ... or "*"."""

    data_changed = Signal(str)
    database_replaced = Signal()
    status_message = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None, *, start_snapshot: StartSnapshot | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path
        #: what the window paints first when it opens before the store (app.run_gui); read from
        #: the file at start, used until the store is open and then dropped
        self.start_snapshot = start_snapshot

    def start_data(self) -> StartSnapshot | None:
        """The start-up snapshot while the store is not open yet, else ``None`` (read the store)."""
        if self.start_snapshot is not None and database_is_open():
            self.start_snapshot = None
        return self.start_snapshot

    def notify(self, kind: Change) -> None:
        """Tell the tabs that watch ``kind`` (a ``domain.changes.Change``) to reload."""
        self.data_changed.emit(Change(kind).value)

    def say(self, message: str) -> None:
        self.status_message.emit(message)


def database_is_open() -> bool:
    """Is a database open? Timers and background work started earlier check before touching it."""
    base = sys.modules.get("sro_desk.store.base")
    if base is None:  # the store is not loaded yet: the window is painting from a start-up snapshot
        return False
    db = base.database_proxy.obj
    return db is not None and not db.is_closed()
