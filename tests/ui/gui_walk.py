"""Driving real dialogs the way a person does: open them from their buttons, type, choose, save.

``answer_next(DialogClass, act)`` arms a timer that waits for the next modal dialog of that class
(opened by the button the test clicks next), runs ``act(dialog)`` inside its event loop — typing
with ``QTest.keyClicks``, choosing in combos, clicking Save — and records it, so the test fails
if the dialog never opened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QWidget

from sro_desk.ui.dialogs.form import FormDialog


class Opened:
    def __init__(self) -> None:
        self.dialogs: list[QDialog] = []
        self.errors: list[BaseException] = []

    @property
    def dialog(self) -> Any:
        assert self.dialogs, "the dialog never opened"
        return self.dialogs[-1]


def answer_next(cls: type[QDialog], act: Callable[[Any], None], *,
                timeout_ms: int = 8000) -> Opened:
    opened = Opened()
    waited = [0]

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, cls) and widget.isVisible() and widget not in opened.dialogs:
            opened.dialogs.append(widget)
            try:
                act(widget)
            except BaseException as error:  # reported by the test, never left open
                opened.errors.append(error)
                widget.done(QDialog.DialogCode.Rejected)
            return
        waited[0] += 20
        if waited[0] < timeout_ms:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return opened


def type_into_focus(dialog: QWidget, text: str) -> QWidget:
    """Type where the keyboard focus is, as a person does right after the dialog opens."""
    target = dialog.focusWidget()
    assert target is not None, "no field has the keyboard focus"
    QTest.keyClicks(target, text)
    return target


def type_into(widget: QWidget, text: str) -> None:
    widget.setFocus()
    inner = getattr(widget, "editor", widget)  # PrivacyTextEdit wraps its QPlainTextEdit
    QTest.keyClicks(inner, text)


def choose(combo: QComboBox, text: str) -> None:
    """Pick the item whose text is ``text`` as the user does (emits ``activated``)."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered by {combo.accessibleName()}"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def save(dialog: FormDialog) -> None:
    button = dialog.save_button()
    assert button.isEnabled(), dialog.problems_label.text()
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def press_enter(widget: QWidget) -> None:
    QTest.keyClick(widget, Qt.Key.Key_Return)
