"""Telling the user what went wrong, in words, and asking for reasons the audit trail keeps."""

from __future__ import annotations

from enum import Enum

from PySide6 import QtWidgets  # dialog classes are created on first use, not at start-up
from PySide6.QtWidgets import QWidget

from sro_desk.domain.errors import ImportRefused, SroDeskError, ValidationError
from sro_desk.domain.privacy import immigration_warning


def show_error(parent: QWidget | None, error: BaseException | str, title: str = "SRO Desk") -> None:
    """A known problem as a dialog. ``ImportRefused`` lists every row problem under Details."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if isinstance(error, ImportRefused):
        box.setText(error.summary)
        lines = error.listed_lines()  # capped at MAX_LISTED_PROBLEMS, then "… and N more"
        shown = [str(p) for p in error.problems[:15]]
        more = f"\n… and {error.total - 15:,} more (see Details)" if error.total > 15 else ""
        box.setInformativeText("\n".join(shown) + more)
        box.setDetailedText("\n".join(lines))
    elif isinstance(error, ValidationError):
        box.setText("This cannot be saved yet:")
        box.setInformativeText("\n".join(f"• {p}" for p in error.problems))
    elif isinstance(error, SroDeskError):
        box.setText(str(error))
    else:
        box.setText(str(error))
    box.exec()


def show_info(parent: QWidget | None, text: str, title: str = "SRO Desk", details: str = "") -> None:
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(text)
    if details:
        box.setDetailedText(details)
    box.exec()


def confirm(parent: QWidget | None, text: str, title: str = "SRO Desk", ok_label: str = "OK") -> bool:
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    ok = box.addButton(ok_label, QtWidgets.QMessageBox.ButtonRole.AcceptRole)
    box.addButton(QtWidgets.QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QtWidgets.QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is ok


def ask_reason(parent: QWidget | None, title: str, prompt: str) -> str | None:
    """A required written reason (kept in the audit trail); ``None`` when the user cancels."""
    text = ""
    while True:
        text, ok = QtWidgets.QInputDialog.getMultiLineText(parent, title, prompt, text)
        if not ok:
            return None
        if not text.strip():
            show_error(parent, "A reason is required; it is kept in the audit trail.", title)
            continue
        warning = immigration_warning(text)
        if warning and not confirm(parent, f"{warning}\n\nSave this reason anyway?", title, ok_label="Save anyway"):
            continue
        return text.strip()


class Unsaved(Enum):
    """The answer to "there are unsaved changes": save them first, drop them, or stay."""

    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


def ask_unsaved(parent: QWidget | None, text: str, title: str = "Unsaved changes") -> Unsaved:
    """Save / Discard / Cancel, asked *before* anything changes; Cancel (and Esc) stays."""
    box = QtWidgets.QMessageBox(parent)
    box.setIcon(QtWidgets.QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    buttons = QtWidgets.QMessageBox.StandardButton
    box.setStandardButtons(buttons.Save | buttons.Discard | buttons.Cancel)
    box.setDefaultButton(buttons.Save)
    box.setEscapeButton(buttons.Cancel)
    answer = box.exec()
    if answer == buttons.Save:
        return Unsaved.SAVE
    if answer == buttons.Discard:
        return Unsaved.DISCARD
    return Unsaved.CANCEL
