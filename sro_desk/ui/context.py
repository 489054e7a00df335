"""What every tab shares: the open database's path and a signal that data changed."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, Signal


class AppContext(QObject):
    """``data_changed(kind)`` tells other tabs to reload: kind is "roster", "training", "setup", ... or "*"."""

    data_changed = Signal(str)
    database_replaced = Signal()
    status_message = Signal(str)

    def __init__(self, db_path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db_path = db_path

    def notify(self, kind: str) -> None:
        self.data_changed.emit(kind)

    def say(self, message: str) -> None:
        self.status_message.emit(message)


def database_is_open() -> bool:
    """Is a database open? Timers and background work started earlier check before touching it."""
    base = sys.modules.get("sro_desk.store.base")
    if base is None:  # the store is not loaded yet
        return False
    db = base.database_proxy.obj
    return db is not None and not db.is_closed()
