"""The one table factory: every list in the app is a ``QTableView`` made here."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QTableView, QWidget


def make_table(model: QAbstractItemModel | None, name: str, *, multi: bool = False,
               editable: bool = False, sortable: bool = False, stretch_last: bool = True,
               parent: QWidget | None = None) -> QTableView:
    """A read-only table of whole rows, with an accessible name, alternating rows, no row
    numbers. ``multi`` allows selecting several rows (bulk actions); ``editable`` lets the model
    edit cells on double-click or typing; ``sortable`` sorts on header clicks."""
    view = QTableView(parent)
    if model is not None:
        view.setModel(model)
    view.setAccessibleName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection if multi
                          else QAbstractItemView.SelectionMode.SingleSelection)
    view.setAlternatingRowColors(True)
    view.verticalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    view.setSortingEnabled(sortable)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed if editable
        else QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


def selected_item(view: QTableView) -> Any:
    """The domain object of the selected row (the model's ``item(row)``), or ``None``."""
    selection = view.selectionModel()
    if selection is None:
        return None
    rows = selection.selectedRows()
    model: Any = view.model()
    return model.item(rows[0].row()) if rows else None


def selected_items(view: QTableView) -> list[Any]:
    selection = view.selectionModel()
    if selection is None:
        return []
    model: Any = view.model()
    return [model.item(i.row()) for i in sorted(selection.selectedRows(), key=lambda i: i.row())]
