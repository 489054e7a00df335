"""Combo boxes: typed enum choices, and filter combos with "All …" first.

PySide6 hands a ``StrEnum`` stored as item data back from ``currentData()`` as a plain ``str``
(issue 20: three hiring actions crashed on ``.value`` of such a str). So every combo that offers
enum members fills itself with ``fill_enum_combo`` (which stores each member's ``.value``) and is
read with ``combo_enum`` (which turns it back into the member), and is set with
``select_enum``. A combo of other data (ids, domain objects) reads ``currentData()`` as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any, TypeVar

from PySide6.QtWidgets import QComboBox

E = TypeVar("E", bound=Enum)


def _plain_label(member: Enum) -> str:
    return str(member.value)


def fill_enum_combo(combo: QComboBox, choices: Iterable[E], *,
                    label: Callable[[E], str] = _plain_label, current: E | None = None,
                    none_label: str | None = None) -> None:
    """Refill ``combo`` with enum members (without emitting signals). ``none_label`` adds a
    first item that stands for "no choice" (read back as ``None``)."""
    combo.blockSignals(True)
    combo.clear()
    if none_label is not None:
        combo.addItem(none_label, None)
    for member in choices:
        combo.addItem(label(member), member.value)
    combo.blockSignals(False)
    if current is not None:
        select_enum(combo, current)
    elif combo.count():
        combo.setCurrentIndex(0)


def combo_enum(combo: QComboBox, enum_type: type[E]) -> E | None:
    """The chosen member as ``enum_type`` (never a bare str); ``None`` for no choice."""
    data = combo.currentData()
    if data is None or data == "":
        return None
    if isinstance(data, enum_type):
        return data
    return enum_type(data)


def required_enum(combo: QComboBox, enum_type: type[E]) -> E:
    """The chosen member of a combo that always has one (no "none" item)."""
    member = combo_enum(combo, enum_type)
    if member is None:
        raise LookupError(f"{combo.accessibleName() or 'combo'} has no choice")
    return member


def select_enum(combo: QComboBox, member: Enum | None) -> bool:
    """Select ``member`` (by its value); returns whether it is one of the choices."""
    index = combo.findData(None if member is None else member.value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def select_data(combo: QComboBox, data: Any) -> bool:
    index = combo.findData(data.value if isinstance(data, Enum) else data)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


def fill_filter_combo(combo: QComboBox, all_label: str, items: Iterable[str | tuple[str, Any]]) -> None:
    """Refill ``combo`` without emitting signals; an item is a label or a (label, data) pair.
    Enum data is stored by its ``.value`` (read it back with ``combo_enum``)."""
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(all_label, None)
    for item in items:
        text, data = item if isinstance(item, tuple) else (item, item)
        combo.addItem(text, data.value if isinstance(data, Enum) else data)
    combo.setCurrentIndex(max(0, combo.findData(current)) if current is not None else 0)
    combo.blockSignals(False)
