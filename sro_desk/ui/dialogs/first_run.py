"""The first run: name the district and its ESD, or open the demo district instead."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class FirstRunDialog(QDialog):
    DEMO = 2

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to SRO Desk")
        self.setMinimumWidth(520)
        intro = QLabel(
            "<b>Set up your district.</b><br>SRO Desk keeps the roster, training verification, "
            "agreements, hiring panels, calls and incidents, complaints and reports of your school "
            "safety and security staff program in one file on this computer. Nothing is sent anywhere."
        )
        intro.setWordWrap(True)
        self.name = QLineEdit()
        self.name.setMaxLength(120)
        self.name.setPlaceholderText("e.g. Sequim School District No. 323")
        self.name.setAccessibleName("District name")
        self.esd = QLineEdit()
        self.esd.setPlaceholderText("e.g. Olympic Educational Service District 114")
        self.esd.setAccessibleName("Educational service district")
        self.actor = QLineEdit()
        self.actor.setPlaceholderText("e.g. Renee Alvarado, safety coordinator")
        self.actor.setAccessibleName("Your name")
        self.actor.setToolTip(
            "Recorded with every change you make (the audit trail) and printed as the verifier on "
            "training records. Leave empty to use this computer's login name."
        )
        form = QFormLayout()
        form.addRow("District &name", self.name)
        form.addRow("&ESD", self.esd)
        form.addRow("&Your name", self.actor)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.demo_button = QPushButton("Open a &demo district instead")
        self.demo_button.setToolTip("A fictitious district with sample data, to explore the program safely")
        self.buttons.addButton(self.demo_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.demo_button.clicked.connect(lambda: self.done(self.DEMO))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.name.textChanged.connect(self._on_name_changed)
        self._on_name_changed()

    def _on_name_changed(self, *_args: object) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(bool(self.name.text().strip()))
