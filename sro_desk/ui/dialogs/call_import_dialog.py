"""Preview a calls file and map its headers to the template's before importing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.services.calls_import import COLUMNS, REQUIRED, ImportPreview
from sro_desk.services.tabular import normalize_header

NOT_IN_FILE = "— not in the file —"


class CallImportDialog(QDialog):
    def __init__(self, file_name: str, preview: ImportPreview,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Import calls from {file_name}")
        self._preview = preview
        headers = [h for h in preview.original_headers if h]

        intro = QLabel(
            f"{preview.row_count:,} rows found. Choose which column of the file holds each "
            "field. Fields marked * are required. Nothing is imported if any row has a problem."
        )
        intro.setWordWrap(True)
        self.combos: dict[str, QComboBox] = {}
        form = QFormLayout()
        for column in COLUMNS:
            combo = QComboBox()
            combo.addItem(NOT_IN_FILE, "")
            for header in headers:
                combo.addItem(header, normalize_header(header))
            chosen = preview.suggested.get(column, "")
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.setAccessibleName(f"File column for {column}")
            combo.currentIndexChanged.connect(self._on_mapping_changed)
            self.combos[column] = combo
            form.addRow(f"{column}{' *' if column in REQUIRED else ''}", combo)
        mapping_box = QGroupBox("Columns")
        inner = QWidget()
        inner.setLayout(form)
        scroll = QScrollArea()
        scroll.setWidget(inner)
        scroll.setWidgetResizable(True)
        QVBoxLayout(mapping_box).addWidget(scroll)

        self.sample = QTableWidget(len(preview.sample), len(preview.original_headers))
        self.sample.setHorizontalHeaderLabels(list(preview.original_headers))
        self.sample.setAccessibleName("First rows of the file")
        for r, row in enumerate(preview.sample):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.sample.setItem(r, c, item)
        sample_box = QGroupBox("First rows of the file")
        QVBoxLayout(sample_box).addWidget(self.sample)

        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setAccessibleName("Problems with the column choice")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.import_button = self.buttons.addButton(
            "&Import", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(mapping_box, 2)
        body.addWidget(sample_box, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self.resize(1100, 640)
        self._on_mapping_changed()

    def mapping(self) -> dict[str, str]:
        """Template column -> the file's (normalized) header, for chosen columns only."""
        return {c: str(combo.currentData()) for c, combo in self.combos.items()
                if combo.currentData()}

    def problem_list(self) -> list[str]:
        chosen = self.mapping()
        problems = [f"Choose the file's column for {c}." for c in REQUIRED if c not in chosen]
        used: dict[str, str] = {}
        for column, header in chosen.items():
            if header in used:
                problems.append(f"The same file column is chosen for {used[header]} and "
                                f"{column}.")
            used[header] = column
        return problems

    def _on_mapping_changed(self, *_args: object) -> None:
        problems = self.problem_list()
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.problems.setVisible(bool(problems))
        self.import_button.setEnabled(not problems)
