"""A notes field that warns, with the citation, when text appears to record immigration data."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from sro_desk.domain.privacy import immigration_warning


class PrivacyTextEdit(QWidget):
    """Plain-text notes with a live RCW 10.93.160 warning underneath."""

    textChanged = Signal()

    def __init__(self, accessible_name: str = "Notes", parent: QWidget | None = None, max_height: int = 90) -> None:
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setAccessibleName(accessible_name)
        self.editor.setTabChangesFocus(True)
        self.editor.setMaximumHeight(max_height)
        self.warning = QLabel(self)
        self.warning.setWordWrap(True)
        self.warning.setObjectName("privacyWarning")
        self.warning.setStyleSheet("QLabel#privacyWarning { color: #3d2e00; background: #fff3cd; border: 1px solid #e0b252; border-radius: 3px; padding: 4px; }")
        self.warning.setVisible(False)
        self.warning.setAccessibleName("Privacy warning")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.editor)
        layout.addWidget(self.warning)
        self.editor.textChanged.connect(self._on_editor_text_changed)

    def text(self) -> str:
        return self.editor.toPlainText()

    def setText(self, text: str) -> None:
        self.editor.setPlainText(text)

    def warning_text(self) -> str | None:
        return immigration_warning(self.text())

    def _on_editor_text_changed(self) -> None:
        message = immigration_warning(self.text())
        self.warning.setText(f"⚠ {message}" if message else "")
        self.warning.setVisible(bool(message))
        self.textChanged.emit()
