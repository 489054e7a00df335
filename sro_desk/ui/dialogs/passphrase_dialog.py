"""Asking for a passphrase: to open a protected database, to protect one, or to change it.

Opening is the session's (``ui/session_controller.SessionController.open``, which asks with this
dialog until the passphrase is right or the user cancels). A wrong passphrase
is said plainly and only ever read against the file, never written to it.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desk.services.session import WRONG_PASSPHRASE
from sro_desk.services.storage import passphrase_min_length, passphrase_problems


class PassphraseMode(Enum):
    OPEN = "open"
    NEW = "new"
    CHANGE = "change"
    CURRENT = "current"


_TITLES = {
    PassphraseMode.OPEN: "Protected database",
    PassphraseMode.NEW: "Protect with a passphrase",
    PassphraseMode.CHANGE: "Change the passphrase",
    PassphraseMode.CURRENT: "Confirm the passphrase",
}


class PassphraseDialog(QDialog):
    """One dialog for the four questions; OK stays disabled until the answer can be used."""

    def __init__(self, mode: PassphraseMode, path: Path, message: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode = mode
        self.setWindowTitle(_TITLES[mode])
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        layout = QVBoxLayout(self)
        intro = QLabel(self._intro(path))
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(intro)
        self.message = QLabel(message)
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Problem")
        self.message.setStyleSheet("color: #a40000; font-weight: bold;")
        self.message.setVisible(bool(message))
        layout.addWidget(self.message)
        form = QFormLayout()
        self.current = self._field("Current passphrase")
        self.new = self._field("New passphrase")
        self.again = self._field("New passphrase again")
        if mode in (PassphraseMode.OPEN, PassphraseMode.CURRENT, PassphraseMode.CHANGE):
            form.addRow("&Passphrase:" if mode is not PassphraseMode.CHANGE else "&Current passphrase:", self.current)
        if mode in (PassphraseMode.NEW, PassphraseMode.CHANGE):
            form.addRow("&New passphrase:", self.new)
            form.addRow("&Again:", self.again)
        layout.addLayout(form)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName("What is still needed")
        layout.addWidget(self.problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok_text = {PassphraseMode.OPEN: "Open", PassphraseMode.NEW: "Protect", PassphraseMode.CHANGE: "Change", PassphraseMode.CURRENT: "OK"}[mode]
        self.ok_button.setText(ok_text)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.current, self.new, self.again):
            field.textChanged.connect(self._validate)
        self._validate()
        (self.current if mode is not PassphraseMode.NEW else self.new).setFocus()
        self.resize(460, self.sizeHint().height())

    @property
    def ok_button(self):  # type: ignore[no-untyped-def]
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def _field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        field.setAccessibleName(name)
        field.setMaxLength(1024)
        return field

    def _intro(self, path: Path) -> str:
        if self.mode is PassphraseMode.OPEN:
            return f"{path.name} is protected with a passphrase. Enter it to open the file.\n\n{path}"
        if self.mode is PassphraseMode.NEW:
            return (
                f"Protect {path.name} with a passphrase. The file and its backups are encrypted; "
                "without the passphrase nobody can read them — including you, so keep it safe: "
                f"it cannot be recovered. At least {passphrase_min_length()} characters; a few unrelated words work well."
            )
        if self.mode is PassphraseMode.CHANGE:
            return f"Change the passphrase of {path.name}. Its backups are re-encrypted with the new one."
        return f"Enter the passphrase of {path.name} to continue."

    def _problems(self) -> list[str]:
        problems: list[str] = []
        if self.mode is not PassphraseMode.NEW and not self.current.text():
            problems.append("Enter the passphrase." if self.mode is not PassphraseMode.CHANGE else "Enter the current passphrase.")
        if self.mode in (PassphraseMode.NEW, PassphraseMode.CHANGE):
            problems.extend(passphrase_problems(self.new.text(), self.again.text()))
        return problems

    def _validate(self) -> None:
        problems = self._problems()
        self.ok_button.setEnabled(not problems)
        self.problems.setText("\n".join(f"• {p}" for p in problems))

    def passphrase(self) -> str:
        """The passphrase typed in the field that answers the question asked."""
        return self.new.text() if self.mode in (PassphraseMode.NEW, PassphraseMode.CHANGE) else self.current.text()

    def current_passphrase(self) -> str:
        return self.current.text()

    @classmethod
    def ask(cls, mode: PassphraseMode, path: Path, message: str = "", parent: QWidget | None = None) -> tuple[str, str] | None:
        """(current, new) as typed, or ``None`` when cancelled."""
        dialog = cls(mode, path, message, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.current_passphrase(), dialog.passphrase()


WRONG_MESSAGE = WRONG_PASSPHRASE


# ---------------------------------------------------------------------------- File menu actions
def _rewrite_open_database(parent: QWidget, db_path: Path, old: str | None, new: str | None) -> str | None:
    """Rewrite the open database under the new key through the session (which closes and opens
    it again). Returns the summary, or ``None`` after showing why it could not be done (the
    database is then open as it was)."""
    from PySide6.QtGui import QGuiApplication

    from sro_desk.domain.errors import SroDeskError
    from sro_desk.services.session import current_session
    from sro_desk.ui.dialogs.messages import show_error
    from sro_desk.ui.workers import wait_for_jobs

    session = current_session()
    wait_for_jobs()
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        if old is None and new is not None:
            result = session.protect(new)
        elif new is None and old is not None:
            result = session.remove_passphrase(old)
        else:
            assert old is not None and new is not None
            result = session.change_passphrase(old, new)
    except (SroDeskError, OSError) as error:
        QGuiApplication.restoreOverrideCursor()
        show_error(parent, error if isinstance(error, SroDeskError) else f"The file could not be rewritten: {error}")
        return None
    QGuiApplication.restoreOverrideCursor()
    return result.summary


def protect_database(parent: QWidget, db_path: Path) -> bool:
    """File > Protect with passphrase."""
    from sro_desk.ui.dialogs.messages import show_info

    answer = PassphraseDialog.ask(PassphraseMode.NEW, db_path, parent=parent)
    if answer is None:
        return False
    summary = _rewrite_open_database(parent, db_path, None, answer[1])
    if summary is None:
        return False
    show_info(parent, summary + "\n\nSRO Desk will ask for the passphrase whenever the file is opened.")
    return True


def _current_ok(typed: str) -> bool:
    from sro_desk.services.session import current_session

    return current_session().passphrase_is(typed)


def change_database_passphrase(parent: QWidget, db_path: Path) -> bool:
    """File > Change passphrase (asks for the current one first)."""
    from sro_desk.ui.dialogs.messages import show_info

    message = ""
    while True:
        answer = PassphraseDialog.ask(PassphraseMode.CHANGE, db_path, message, parent)
        if answer is None:
            return False
        if _current_ok(answer[0]):
            break
        message = "The current passphrase is not correct. Nothing was changed; try again."
    summary = _rewrite_open_database(parent, db_path, answer[0], answer[1])
    if summary is None:
        return False
    show_info(parent, summary)
    return True


def remove_database_passphrase(parent: QWidget, db_path: Path) -> bool:
    """File > Remove passphrase (asks for the current one; the file is then stored unencrypted)."""
    from sro_desk.ui.dialogs.messages import confirm, show_info

    if not confirm(
        parent,
        f"Remove the passphrase from {db_path.name}?\n\nThe file and its backups will be stored "
        "unencrypted: anyone who has the laptop can read them.",
        ok_label="Remove passphrase",
    ):
        return False
    message = ""
    while True:
        answer = PassphraseDialog.ask(PassphraseMode.CURRENT, db_path, message, parent)
        if answer is None:
            return False
        if _current_ok(answer[0]):
            break
        message = WRONG_MESSAGE
    summary = _rewrite_open_database(parent, db_path, answer[0], None)
    if summary is None:
        return False
    show_info(parent, summary)
    return True


def set_idle_lock_minutes(parent: QWidget) -> int | None:
    """File > Idle lock: the minutes without input before a protected database's data is hidden."""
    from PySide6.QtWidgets import QInputDialog

    from sro_desk.services.storage import set_setting
    from sro_desk.ui.idle_lock import SETTING, idle_lock_minutes

    minutes, ok = QInputDialog.getInt(
        parent,
        "Idle lock",
        "Hide the data of a protected database after this many minutes without use\n(0 = never):",
        idle_lock_minutes(),
        0,
        240,
    )
    if not ok:
        return None
    set_setting(SETTING, minutes)
    return minutes
