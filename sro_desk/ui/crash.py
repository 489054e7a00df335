"""Where errors end up in the GUI: known ones as words, bugs as a report the user can copy."""

from __future__ import annotations

import sys
import traceback
from types import TracebackType

from PySide6 import QtWidgets  # QMessageBox is created on first use, not at start-up
from PySide6.QtWidgets import QWidget

from sro_desk.domain.errors import SroDeskError
from sro_desk.ui.dialogs.messages import show_error


def known_error(error: BaseException) -> SroDeskError | None:
    if isinstance(error, SroDeskError):
        return error
    from sro_desk.store.errors import as_store_error

    return as_store_error(error)


def bug_text() -> str:
    """What the crash dialog says, naming the log file support will ask for."""
    from sro_desk.logs import log_file

    try:
        where = f"\n\nThe program's log is {log_file()} (Help > Open log folder)."
    except OSError:
        where = ""
    return (
        "Something unexpected went wrong. Your saved data is safe: every change is saved in a "
        "transaction. Please send the details below, and the log file, to whoever supports SRO Desk."
        + where
    )


def show_bug(parent: QWidget | None, text: str) -> None:
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Critical)
    box.setWindowTitle("SRO Desk — unexpected problem")
    box.setText(bug_text())
    box.setDetailedText(text)
    box.exec()


def handle_worker_error(parent: QWidget | None, error: object) -> None:
    if not isinstance(error, BaseException):
        show_bug(parent, repr(error))
        return
    known = known_error(error)
    if known is not None:
        show_error(parent, known)
        return
    from sro_desk.logs import log_bug

    log_bug(type(error), error.__traceback__)
    show_bug(parent, getattr(error, "__traceback_text__", "") or "".join(traceback.format_exception(error)))


def install_excepthook() -> None:
    """Unhandled exceptions in slots: known ones become a message, bugs the crash dialog."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        known = known_error(value)
        if known is not None:
            show_error(None, known)
            return
        text = "".join(traceback.format_exception(kind, value, tb))
        from sro_desk.logs import log_bug

        log_bug(kind, tb)
        sys.stderr.write(text)
        show_bug(None, text)

    sys.excepthook = hook
