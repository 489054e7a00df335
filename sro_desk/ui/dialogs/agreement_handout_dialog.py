"""Edit the wording of the family information handout (kept in the database, audited)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.start_of_year_handout import (
    BLOCK_PLACEHOLDERS,
    INLINE_PLACEHOLDERS,
    template_problems,
)

HELP = (
    "Write the handout in plain text. A line starting with '# ' is the title, '## ' a heading, "
    "'- ' a bullet; **two stars** make text bold; a blank line starts a new paragraph.\n\n"
    "Placeholders are filled in for each building:\n"
    + "\n".join(f"{{{{{k}}}}}: {v}" for k, v in INLINE_PLACEHOLDERS.items())
    + "\n\nOn a line of their own:\n"
    + "\n".join(f"{{{{{k}}}}}: {v}" for k, v in BLOCK_PLACEHOLDERS.items())
)


class HandoutTemplateDialog(QDialog):
    """The template text with live checking; Save is disabled while it has problems."""

    def __init__(self, text: str, default_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Family handout wording")
        self._default = default_text
        self.editor = QPlainTextEdit()
        self.editor.setAccessibleName("Handout wording")
        self.editor.setFont(QFont("monospace"))
        self.editor.setPlainText(text)
        help_label = QLabel(HELP)
        help_label.setWordWrap(True)
        help_label.setTextFormat(Qt.TextFormat.PlainText)
        help_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        help_label.setMaximumWidth(300)
        help_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        help_label.setAccessibleName("How to write the handout")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setAccessibleName("Problems with the wording")
        self.reset_button = QPushButton("Use the &default wording")
        self.reset_button.setToolTip("Replace the text above with the program's default wording")
        self.reset_button.clicked.connect(self._on_reset_clicked)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.editor, 1)
        body.addWidget(help_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.reset_button)
        bottom.addStretch(1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.problems)
        layout.addLayout(bottom)
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._on_editor_text_changed()
        self.resize(980, 680)

    def text(self) -> str:
        return self.editor.toPlainText()

    def _on_reset_clicked(self) -> None:
        self.editor.setPlainText(self._default)

    def _on_editor_text_changed(self) -> None:
        problems = template_problems(self.text())
        self.problems.setText("\n".join(f"✖ {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(not problems)
