"""The shared object table model sorts itself; its filter proxy only filters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QTableView

from sro_desk.ui.models.table import Column, ObjectFilterProxy, ObjectTableModel


@dataclass(frozen=True)
class Row:
    name: str
    day: dt.date | None
    count: int | str


COLUMNS: list[Column[Row]] = [
    Column("Name", lambda r: r.name, sort=lambda r: r.name.lower()),
    Column("Day", lambda r: r.day),
    Column("Count", lambda r: r.count),
]
ROWS = [
    Row("carol", dt.date(2026, 3, 1), 3),
    Row("Alice", None, 1),
    Row("bob", dt.date(2025, 9, 2), 3),
    Row("Dave", dt.date(2026, 1, 5), "n/a"),
]


def filtered(columns: list[Column[Row]] = COLUMNS) -> tuple[ObjectTableModel[Row], ObjectFilterProxy]:
    """The model over ROWS with a filter proxy in front, as every tab has them."""
    model = ObjectTableModel(columns)
    model.set_items(ROWS)
    proxy = ObjectFilterProxy()
    proxy.setSourceModel(model)
    return model, proxy


def names(model: Any) -> list[str]:
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_sorts_by_each_columns_key_in_both_directions() -> None:
    model = ObjectTableModel(COLUMNS)
    model.set_items(ROWS)
    assert names(model) == ["carol", "Alice", "bob", "Dave"]  # unsorted until asked
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Alice", "bob", "carol", "Dave"]  # the sort key, not the text
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Alice", "bob", "Dave", "carol"]  # no date first, then by date
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert names(model) == ["carol", "Dave", "bob", "Alice"]


def test_mixed_values_sort_by_text_and_ties_keep_their_order() -> None:
    model = ObjectTableModel(COLUMNS)
    model.set_items(ROWS)
    model.sort(0, Qt.SortOrder.AscendingOrder)
    model.sort(2, Qt.SortOrder.AscendingOrder)  # 3, 1, 3 and "n/a": compared as text
    assert names(model) == ["Alice", "bob", "carol", "Dave"]  # bob before carol: the tie keeps name order


def test_new_items_and_resets_keep_the_chosen_order() -> None:
    model = ObjectTableModel(COLUMNS)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.set_items(ROWS)
    assert names(model) == ["Dave", "carol", "bob", "Alice"]
    model.set_items([*ROWS, Row("Eve", None, 0)])
    assert names(model)[0] == "Eve"


def test_sorting_keeps_the_selection_on_the_same_object(qtbot: Any) -> None:
    _model, proxy = filtered()  # (the model must outlive the test)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    view.selectRow(names(proxy).index("carol"))
    marker = QPersistentModelIndex(proxy.index(names(proxy).index("bob"), 0))
    view.sortByColumn(1, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["carol", "Dave", "bob", "Alice"]
    selected = view.selectionModel().selectedRows()
    assert [i.data() for i in selected] == ["carol"]
    assert marker.data() == "bob"
    assert proxy.sortColumn() == -1  # the proxy itself never sorts an object model


def test_the_proxy_filters_a_sorted_model_without_changing_its_order(qtbot: Any, qtmodeltester: Any) -> None:
    model, proxy = filtered()
    proxy.sort(1, Qt.SortOrder.DescendingOrder)
    proxy.set_search("a")  # carol, Alice, Dave (and "n/a")
    assert names(proxy) == ["carol", "Dave", "Alice"]
    proxy.set_predicate(lambda r: r.day is not None)
    assert names(proxy) == ["carol", "Dave"]
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)


def test_columns_replaced_under_a_sort_keep_the_model_whole(qtmodeltester: Any) -> None:
    """The training matrix rebuilds its columns on reset; a sort column that went away leaves the
    order as it is."""
    model = ObjectTableModel(COLUMNS)
    model.set_items(ROWS)
    model.sort(2, Qt.SortOrder.DescendingOrder)
    model.beginResetModel()
    model._columns = COLUMNS[:1]
    model.endResetModel()
    assert model.columnCount() == 1 and model.rowCount() == 4
    model.sort(0, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["Alice", "bob", "carol", "Dave"]
    qtmodeltester.check(model)


def test_a_failing_sort_key_is_reported_and_leaves_the_model_whole(qtbot: Any) -> None:
    failing = {"now": True}

    def fragile(row: Row) -> object:
        if failing["now"]:
            raise ZeroDivisionError("a bug in a sort key")
        return row.name.lower()

    model, proxy = filtered([*COLUMNS, Column("Fragile", lambda r: r.name, sort=fragile)])
    with pytest.raises(ZeroDivisionError):
        model.sort(3, Qt.SortOrder.AscendingOrder)
    assert names(model) == ["carol", "Alice", "bob", "Dave"] and proxy.rowCount() == 4  # unchanged
    model.set_items(ROWS[:3])  # the failed sort was not kept
    failing["now"] = False
    model.sort(3, Qt.SortOrder.DescendingOrder)
    assert names(proxy) == ["carol", "bob", "Alice"]
    failing["now"] = True
    with pytest.raises(ZeroDivisionError):
        model.set_items(ROWS[:2])  # a reset still completes, in the order given
    assert model.rowCount() == 2 and proxy.rowCount() == 2 and names(proxy) == ["carol", "Alice"]
