"""Idle lock: after N minutes without keyboard or mouse input, hide the data until the passphrase.

Only a database protected with a passphrase is locked (an unprotected one has nothing to unlock
with). N is the district setting ``security.idle_lock_minutes`` (default 10; 0 turns it off).

Locking hides the contents of every open window of the program — the main window and any dialog
in front of it — and covers each with a panel that asks for the passphrase; the actions' keyboard
shortcuts are disabled too. Nothing is closed, so a half-filled dialog is still there afterwards.
The passphrase is compared with the one the open database was unlocked with.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sro_desk.clock import monotonic
from sro_desk.ui.context import database_is_open

SETTING = "security.idle_lock_minutes"
DEFAULT_MINUTES = 10
CHECK_EVERY_MS = 5000

_INPUT_EVENTS = frozenset({
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
})


def idle_lock_minutes() -> int:
    from sro_desk.store.settings import get_setting

    try:
        value = int(get_setting(SETTING, DEFAULT_MINUTES))
    except (TypeError, ValueError):
        return DEFAULT_MINUTES
    return max(0, value)


class LockPanel(QWidget):
    """Covers one window while locked and asks for the passphrase."""

    def __init__(self, lock: IdleLock, host: QWidget) -> None:
        super().__init__(host)
        self.lock = lock
        self.setObjectName("idleLockPanel")
        self.setAutoFillBackground(True)
        self.setAccessibleName("Locked")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        title = QLabel("SRO Desk is locked")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        title.setFont(font)
        outer.addWidget(title)
        note = QLabel("The data is hidden after a time without use. Enter the database's passphrase to continue.")
        note.setWordWrap(True)
        note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        outer.addWidget(note)
        row = QHBoxLayout()
        row.addStretch(1)
        self.field = QLineEdit()
        self.field.setEchoMode(QLineEdit.EchoMode.Password)
        self.field.setAccessibleName("Passphrase")
        self.field.setPlaceholderText("Passphrase")
        self.field.setMinimumWidth(260)
        self.field.returnPressed.connect(self._on_unlock_clicked)
        row.addWidget(self.field)
        self.button = QPushButton("Unlock")
        self.button.clicked.connect(self._on_unlock_clicked)
        row.addWidget(self.button)
        row.addStretch(1)
        outer.addLayout(row)
        self.message = QLabel("")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName("Problem")
        outer.addWidget(self.message)
        outer.addStretch(2)
        host.installEventFilter(self)
        self.setGeometry(host.rect())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        return False

    def _on_unlock_clicked(self) -> None:
        if not self.lock.unlock(self.field.text()):
            self.field.clear()
            self.message.setText("That passphrase is not correct. Try again.")


class IdleLock(QObject):
    """Watches input for the whole application and locks its windows when idle too long."""

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QWidget,
        clock: Callable[[], float] = monotonic,
        expected: Callable[[], str | None] | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self._clock = clock
        self._expected = expected or _open_database_passphrase
        self._last_input = clock()
        self._panels: list[LockPanel] = []
        self._hidden: list[QWidget] = []
        self._disabled: list[QAction] = []
        self.minutes = DEFAULT_MINUTES
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self._watching = False
        self.reload()

    # ------------------------------------------------------------------ state
    @property
    def locked(self) -> bool:
        return bool(self._panels)

    @property
    def enabled(self) -> bool:
        return self.minutes > 0 and bool(self._expected())

    def reload(self) -> None:
        """Read the setting again (after the database or its protection changed)."""
        self.minutes = idle_lock_minutes() if database_is_open() else DEFAULT_MINUTES
        self._last_input = self._clock()
        if self.enabled:
            self.timer.start()
        else:
            self.timer.stop()
        self._watch_input(self.enabled)

    def _watch_input(self, on: bool) -> None:
        # An application-wide filter routes every event of the program through Python, which
        # slows start-up and every repaint; it is there only while the lock can lock.
        app = QApplication.instance()
        if app is None or on == self._watching:
            return
        if on:
            app.installEventFilter(self)
        else:
            app.removeEventFilter(self)
        self._watching = on

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # An application-wide filter can be called while Python is tearing this object down
        # (its attributes already cleared, the C++ object not yet gone): then it does nothing.
        state = self.__dict__
        if "_panels" in state and not state["_panels"] and event.type() in _INPUT_EVENTS:
            self._last_input = self._clock()
        return False

    def idle_seconds(self) -> float:
        return self._clock() - self._last_input

    def check(self) -> None:
        if not self.locked and self.enabled and self.idle_seconds() >= self.minutes * 60:
            self.lock()

    # ------------------------------------------------------------------ lock / unlock
    def lock(self) -> None:
        if self.locked:
            return
        while (popup := QApplication.activePopupWidget()) is not None:
            popup.close()
        windows = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w.isWindow() and not isinstance(w, LockPanel)]
        if self.window not in windows:
            windows.insert(0, self.window)
        for host in windows:
            for child in host.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
                if child.isVisible() and not child.isWindow():
                    child.hide()
                    self._hidden.append(child)
            panel = LockPanel(self, host)
            panel.show()
            panel.raise_()
            self._panels.append(panel)
        for action in self.window.findChildren(QAction):
            if action.isEnabled():
                action.setEnabled(False)
                self._disabled.append(action)
        main_panel = self._panels[0]
        active = QApplication.activeModalWidget()
        focus_panel = next((p for p in self._panels if p.parentWidget() is active), main_panel)
        focus_panel.field.setFocus()
        self.locked_changed.emit(True)

    def unlock(self, passphrase: str) -> bool:
        expected = self._expected()
        import hmac  # loads OpenSSL: not at start-up

        if expected is None or not hmac.compare_digest(passphrase.encode("utf-8"), expected.encode("utf-8")):
            return False
        for panel in self._panels:
            panel.hide()
            panel.deleteLater()
        self._panels.clear()
        for child in self._hidden:
            child.show()
        self._hidden.clear()
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled.clear()
        self._last_input = self._clock()
        self.locked_changed.emit(False)
        return True

    @property
    def panels(self) -> list[LockPanel]:
        return list(self._panels)


def _open_database_passphrase() -> str | None:
    if not database_is_open():  # not yet (start-up paints first) or no longer: nothing to lock
        return None
    from sro_desk.store.base import database_proxy
    from sro_desk.store.encryption import passphrase_of

    db = database_proxy.obj
    if db is None:
        return None
    return passphrase_of(db)
