"""The one form-dialog base, and the one save loop.

``FormDialog`` is what every data-entry dialog of the app is built on:

- a ``QFormLayout`` (``self.form``) inside a body layout (``self.body``), a live problem list
  and Save / Cancel;
- validate as you type: ``problems()`` (the domain's own checks) keeps Save disabled and lists
  what is wrong in words; ``warnings()`` are shown but do not block;
- the keyboard focus starts in the first field (never on Cancel, where the first space closed
  the dialog — issue 20);
- Enter saves when the form is valid (and does nothing else: it never presses Cancel);
- Esc, Cancel or the window's close button on a form with typed input asks before discarding;
- one-line fields can carry the RCW 10.93.160 warning (``watch_privacy``).

``run_until_saved(dialog, save)`` runs a dialog until ``save(dialog.value())`` succeeds or the
user cancels. A refusal (any ``SroDeskError``) is shown over the dialog, which stays open with
everything typed in it: no dialog loses typed input on a refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.ui.dialogs import messages

T = TypeVar("T")

#: sensible maximum lengths for one-line text fields (issue 20: a 5,499-character building name
#: was accepted and the delete confirmation grew off the screen)
MAX_NAME = 120
MAX_CODE = 12
MAX_TITLE = 200
MAX_LINE = 300
MAX_EMAIL = 254
MAX_PHONE = 40
DEFAULT_MAX_LENGTH = 32767  # Qt's own, for a field nobody sized

PROBLEM_STYLE = "color: #b00020;"
WARNING_STYLE = ("QLabel#privacyWarning { color: #3d2e00; background: #fff3cd; "
                 "border: 1px solid #e0b252; border-radius: 3px; padding: 4px; }")

_INPUTS = (QLineEdit, QPlainTextEdit, QTextEdit, QComboBox, QAbstractSpinBox, QAbstractButton)


def line_edit(name: str, text: str = "", *, max_length: int = MAX_LINE,
              placeholder: str = "") -> QLineEdit:
    """A one-line field with an accessible name and a maximum length."""
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setMaxLength(max_length)
    if placeholder:
        edit.setPlaceholderText(placeholder)
    edit.setCursorPosition(0)
    return edit


def _focus_target(widget: QWidget) -> QWidget | None:
    """The first enabled, visible, editable input in ``widget`` (itself or a child)."""
    candidates = [widget, *widget.findChildren(QWidget)]
    for w in candidates:
        if not isinstance(w, _INPUTS) or not w.isEnabled() or w.isHidden():
            continue
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if isinstance(w, QLineEdit | QPlainTextEdit | QTextEdit) and w.isReadOnly():
            continue
        if isinstance(w, QAbstractButton) and not w.isCheckable():
            continue
        if isinstance(w, QLineEdit) and isinstance(w.parent(), QComboBox | QAbstractSpinBox):
            continue  # the combo or spin box itself takes focus
        return w
    return None


def _state_of(widget: QWidget) -> object:
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText())
    if isinstance(widget, QAbstractSpinBox):
        return widget.text()
    if isinstance(widget, QAbstractButton) and widget.isCheckable():
        return widget.isChecked()
    return None


class KeepOpen(Exception):
    """Raised by a save that asked the user something (a reason) and was cancelled: the dialog
    stays open with what was typed, and nothing is shown."""


class FormDialog(QDialog):
    """A data-entry form whose Save follows ``problems()``; see the module docstring."""

    MIN_WIDTH = 520
    DISCARD_QUESTION = "Discard what you typed in this form?"

    def __init__(self, title: str, parent: QWidget | None = None, *,
                 min_width: int | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(min_width or self.MIN_WIDTH)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.note_label.setAccessibleName("Note")
        self.note_label.setVisible(False)
        self.privacy_warning = QLabel()
        self.privacy_warning.setWordWrap(True)
        self.privacy_warning.setObjectName("privacyWarning")
        self.privacy_warning.setStyleSheet(WARNING_STYLE)
        self.privacy_warning.setAccessibleName("Privacy warning")
        self.privacy_warning.setVisible(False)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setTextFormat(Qt.TextFormat.PlainText)
        self.problems_label.setAccessibleName("Problems with this entry")
        self.problems_label.setStyleSheet(PROBLEM_STYLE)
        self.problems_label.setVisible(False)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                        | QDialogButtonBox.StandardButton.Cancel)
        save = self.save_button()
        save.setDefault(True)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._privacy_fields: list[QLineEdit | QPlainTextEdit] = []
        self._pristine: list[object] | None = None
        self._saver: Callable[[Any], Any] | None = None
        self._saver_ran = False
        self.saved: Any = None
        self.body = QVBoxLayout(self)
        self.body.addLayout(self.form)
        self._tail = QVBoxLayout()
        self._tail.addWidget(self.note_label)
        self._tail.addWidget(self.privacy_warning)
        self._tail.addWidget(self.problems_label)
        self._tail.addWidget(self.buttons)
        self.body.addLayout(self._tail)

    # ------------------------------------------------------------------ what subclasses give
    def value(self) -> Any:
        """The entry as typed, as a domain object (what ``run_until_saved`` saves)."""
        raise NotImplementedError

    def problems(self) -> list[str]:
        """What stops the entry from being saved, in words (the domain's checks)."""
        return []

    def warnings(self) -> list[str]:
        """What the user should know but may save anyway."""
        return []

    def note_text(self) -> str:
        return ""

    def free_text(self) -> list[str]:
        """One-line texts without a warning of their own; an RCW 10.93.160 warning for them is
        listed with the problems (multi-line notes use ``PrivacyTextEdit``, which warns)."""
        return []

    # ------------------------------------------------------------------ building
    def watch(self, *signals: Any) -> None:
        """Revalidate whenever any of these signals fires."""
        for signal in signals:
            signal.connect(self.revalidate)

    def watch_privacy(self, *fields: QLineEdit | QPlainTextEdit) -> None:
        """Warn (RCW 10.93.160) under the form while any of these one-line fields appears to
        record immigration or citizenship status or place of birth. Multi-line notes use
        ``PrivacyTextEdit``, which carries its own warning."""
        for field in fields:
            self._privacy_fields.append(field)
            field.textChanged.connect(self.revalidate)

    def privacy_warning_text(self) -> str | None:
        texts = [f.toPlainText() if isinstance(f, QPlainTextEdit) else f.text()
                 for f in self._privacy_fields]
        return immigration_warning("\n".join(texts))

    def add_to_body(self, item: QWidget | QLayout, stretch: int = 0) -> None:
        """Add a widget or layout under the form, above the problems and buttons."""
        index = self.body.indexOf(self._tail)
        if isinstance(item, QLayout):
            self.body.insertLayout(index, item, stretch)
        else:
            self.body.insertWidget(index, item, stretch)

    # ------------------------------------------------------------------ validation
    def save_button(self) -> QAbstractButton:
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        assert button is not None
        return button

    def save_enabled(self) -> bool:
        return self.save_button().isEnabled()

    def revalidate(self, *_args: object) -> None:
        problems = self.problems()
        warnings = self.warnings()
        free = immigration_warning(" \n".join(self.free_text()))
        if free:
            warnings = [*warnings, free]
        lines = [f"✖ {p}" for p in problems] + [f"⚠ {w}" for w in warnings]
        self.problems_label.setText("\n".join(lines))
        self.problems_label.setStyleSheet(PROBLEM_STYLE if problems else "color: #8a5a00;")
        self.problems_label.setVisible(bool(lines))
        warning = self.privacy_warning_text() if self._privacy_fields else None
        self.privacy_warning.setText(f"⚠ {warning}" if warning else "")
        self.privacy_warning.setVisible(bool(warning))
        note = self.note_text()
        self.note_label.setText(note)
        self.note_label.setVisible(bool(note))
        save = self.save_button()
        save.setEnabled(not problems)
        save.setToolTip("Fix the problems listed above to save." if problems else "")
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow (never shrink) so a warning or problem that just appeared is shown whole."""
        layout: QLayout | None = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    # ------------------------------------------------------------------ keyboard and focus
    def first_field(self) -> QWidget | None:
        """The input the keyboard starts in: the first editable field of the form."""
        for row in range(self.form.rowCount()):
            for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
                item = self.form.itemAt(row, role)
                widget = item.widget() if item is not None else None
                if widget is not None:
                    target = _focus_target(widget)
                    if target is not None:
                        return target
        return _focus_target(self)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pristine is None:
            for edit in self.findChildren(QLineEdit):  # no field left at Qt's 32,767
                if edit.maxLength() == DEFAULT_MAX_LENGTH:
                    edit.setMaxLength(MAX_LINE)
            self._pristine = self._state()
            target = self.first_field()
            if target is not None:
                target.setFocus(Qt.FocusReason.OtherFocusReason)
        self._fit_height()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers() & (
                Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier):
            if isinstance(self.focusWidget(), QPlainTextEdit | QTextEdit):
                super().keyPressEvent(event)
                return
            if self.save_enabled():
                self.accept()
            else:
                self.revalidate()
            event.accept()
            return
        super().keyPressEvent(event)

    # ------------------------------------------------------------------ typed input
    def _state(self) -> list[object]:
        return [_state_of(w) for w in self.findChildren(QWidget)]

    def has_typed_input(self) -> bool:
        """Did the user change anything since the form opened?"""
        return self._pristine is not None and self._state() != self._pristine

    def reject(self) -> None:
        if self.has_typed_input() and not messages.confirm(
                self, self.DISCARD_QUESTION, "Discard changes?", ok_label="Discard"):
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        """The window's close button asks as Cancel does; a close by the program does not."""
        if event.spontaneous() and self.has_typed_input() and not messages.confirm(
                self, self.DISCARD_QUESTION, "Discard changes?", ok_label="Discard"):
            event.ignore()
            return
        self._pristine = None  # asked already: the reject() Qt calls next must not ask again
        super().closeEvent(event)

    # ------------------------------------------------------------------ saving
    def accept(self) -> None:
        if not self.save_enabled():
            return
        if self._saver is not None:
            try:
                self.saved = self._saver(None)
            except KeepOpen:
                return  # the save asked a question the user cancelled: still open
            except SroDeskError as error:
                messages.show_error(self, error)
                return  # still open, with everything typed in it
            self._saver_ran = True
        super().accept()


def run_until_saved(dialog: QDialog, save: Callable[[Any], T], *,
                    value: Callable[[], Any] | None = None) -> T | None:
    """Run ``dialog`` until ``save(dialog.value())`` succeeds (its result is returned) or the
    user cancels (``None``). A refusal is shown in words and the dialog stays open with what
    was typed. ``save`` returns what it saved (not ``None``). ``value`` reads the entry when the
    dialog's own reader is not called ``value()``."""
    read: Callable[[], Any] = value or dialog.value  # type: ignore[attr-defined]
    if isinstance(dialog, FormDialog):
        dialog._saver = lambda _typed: save(read())
        try:
            while True:
                dialog.saved, dialog._saver_ran = None, False
                if dialog.exec() != QDialog.DialogCode.Accepted:
                    return None
                if dialog._saver_ran:
                    result: T = dialog.saved
                    return result
                try:  # accepted without its Save (a test's exec): save as the button would
                    return save(read())
                except KeepOpen:
                    continue
                except SroDeskError as error:
                    messages.show_error(dialog.parentWidget(), error)
        finally:
            dialog._saver = None
    while dialog.exec() == QDialog.DialogCode.Accepted:  # a dialog not built on the form base
        try:
            return save(read())
        except KeepOpen:
            continue
        except SroDeskError as error:
            messages.show_error(dialog.parentWidget(), error)
    return None
