"""Filter combo boxes: "All …" first, then the choices, keeping the user's choice across reloads."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from PySide6.QtWidgets import QComboBox


def fill_filter_combo(combo: QComboBox, all_label: str, items: Iterable[str | tuple[str, Any]]) -> None:
    """Refill ``combo`` without emitting signals; an item is a label or a (label, data) pair."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for item in items:
        text, data = item if isinstance(item, tuple) else (item, item)
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.blockSignals(False)
