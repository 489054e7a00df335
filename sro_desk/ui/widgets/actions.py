"""Actions as ``QAction``s whose enabled state follows the selection.

A tab declares each command once, as an action with the condition under which it applies
(``when``). The action is put on a button (``ActionButton``), a menu or a context menu alike, and
``ActionSet.update()`` — connected to the tables' selection changes and called after each
reload — enables exactly the actions whose condition holds.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractItemView, QPushButton, QWidget

Condition = Callable[[], bool]


class ActionSet(QObject):
    """The actions of one page, each with the condition that enables it."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._actions: list[tuple[QAction, Condition | None]] = []

    def add(self, text: str, tip: str, slot: Callable[[], object], *,
            when: Condition | None = None, shortcut: str | QKeySequence | None = None) -> QAction:
        action = QAction(text, self)
        action.setToolTip(tip)
        action.setStatusTip(tip)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        self._actions.append((action, when))
        return action

    def follow(self, *views: QAbstractItemView) -> None:
        """Update the actions whenever the selection of any of these views changes."""
        for view in views:
            selection = view.selectionModel()
            if selection is not None:
                selection.selectionChanged.connect(self.update)

    def update(self, *_args: object) -> None:
        for action, when in self._actions:
            action.setEnabled(True if when is None else bool(when()))

    def actions(self) -> list[QAction]:
        return [a for a, _w in self._actions]


class ActionButton(QPushButton):
    """A push button for one action: its text (with its Alt+letter mnemonic), tip and enabled
    state follow the action, and a click triggers it."""

    def __init__(self, action: QAction, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._action = action
        self.clicked.connect(lambda _checked=False: action.trigger())
        action.changed.connect(self._on_action_changed)
        self._on_action_changed()

    def action(self) -> QAction:
        return self._action

    def _on_action_changed(self) -> None:
        action = self._action
        self.setText(action.text())
        self.setToolTip(action.toolTip())
        self.setEnabled(action.isEnabled())
        self.setAccessibleName(action.text().replace("&", "").rstrip("…"))
