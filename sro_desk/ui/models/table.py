"""A read-only table model over a list of frozen domain objects, described by columns.

Painting never runs a query: the model holds plain objects and formats them. Subclass it with a
``COLUMNS`` list, or pass columns in. Sorting uses each column's ``sort`` key (not the shown text),
so dates and numbers sort correctly. The model sorts its own list with one key per row; the
filter proxy in front of it only filters, so sorting costs no Python call per comparison.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import QTableView

from sro_desk.domain.dates import display_text

if TYPE_CHECKING:
    from PySide6.QtGui import QIcon

T = TypeVar("T")
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
OBJECT_ROLE = Qt.ItemDataRole.UserRole + 2

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_ROLES = frozenset({
    DISPLAY, int(SORT_ROLE), int(OBJECT_ROLE), _TOOLTIP, _BACKGROUND, _FOREGROUND, _DECORATION, _ALIGNMENT,
    int(Qt.ItemDataRole.AccessibleTextRole),
})
_SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
#: how many of a column's longest texts fit_columns measures
_MEASURED = 5
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

AnyIndex = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column(Generic[T]):
    """One table column: its title, how a row shows in it, and how it sorts, tips and colours."""

    title: str
    value: Callable[[T], Any]
    sort: Callable[[T], Any] | None = None
    tooltip: Callable[[T], str] | None = None
    background: Callable[[T], QColor | None] | None = None
    foreground: Callable[[T], QColor | None] | None = None
    icon: Callable[[T], QIcon | None] | None = None
    align_right: bool = False
    width: int | None = None


def shown(value: Any) -> str:
    return display_text(value)


def _sortable(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


class ObjectTableModel(QAbstractTableModel, Generic[T]):
    COLUMNS: Sequence[Column[Any]] = ()

    def __init__(self, columns: Sequence[Column[T]] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._columns: Sequence[Column[T]] = columns if columns is not None else self.COLUMNS
        self._items: list[T] = []
        self._sort_column = -1
        self._sort_descending = False

    # -- data in
    def set_items(self, items: Sequence[T]) -> None:
        self.beginResetModel()
        self._items = list(items)
        self.endResetModel()

    def endResetModel(self) -> None:
        # Every reset (new items, new columns, new notes a column shows) keeps the chosen order;
        # a sort key that fails is a bug to report, but the reset is finished first.
        try:
            self._items = [self._items[i] for i in self._sorted_rows()]
        finally:
            super().endResetModel()

    # -- sorting
    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(self._columns):
            return
        before = self._sort_column, self._sort_descending
        self._sort_column, self._sort_descending = column, order == Qt.SortOrder.DescendingOrder
        try:  # before announcing a change: a failing sort key changes nothing
            rows = self._sorted_rows()
        except BaseException:
            self._sort_column, self._sort_descending = before
            raise
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        self._items = [self._items[i] for i in rows]
        # keep selections on the same objects: move each persistent index to its object's new row
        new_row = {old: new for new, old in enumerate(rows)}
        self.changePersistentIndexList(persistent, [self.index(new_row[p.row()], p.column()) for p in persistent])
        self.layoutChanged.emit()

    def _sorted_rows(self) -> list[int]:
        """Row numbers in the chosen order; a stable sort, so ties keep their current order."""
        rows = list(range(len(self._items)))
        if not 0 <= self._sort_column < len(self._columns):
            return rows
        spec = self._columns[self._sort_column]
        key = spec.sort or spec.value
        keys = [_sortable(key(item)) for item in self._items]
        try:
            return sorted(rows, key=keys.__getitem__, reverse=self._sort_descending)
        except TypeError:  # a column mixing kinds of value: order by their text
            texts = [str(k) for k in keys]
            return sorted(rows, key=texts.__getitem__, reverse=self._sort_descending)

    def items(self) -> list[T]:
        return list(self._items)

    def item(self, row: int) -> T:
        return self._items[row]

    def column(self, index: int) -> Column[T]:
        return self._columns[index]

    def display_text(self, row: int, column: int) -> str:
        return shown(self._columns[column].value(self._items[row]))

    # -- Qt model API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = DISPLAY) -> Any:
        # Called for every role of every painted cell: plain int roles, one lookup, no enums.
        if role not in _ROLES:
            return None
        row = index.row()  # -1 for an invalid index
        if not 0 <= row < len(self._items):
            return None
        item = self._items[row]
        column = self._columns[index.column()]
        if role == DISPLAY:
            return shown(column.value(item))
        if role == SORT_ROLE:
            return _sortable(column.sort(item) if column.sort else column.value(item))
        if role == OBJECT_ROLE:
            return item
        if role == _TOOLTIP:
            return (column.tooltip(item) or None) if column.tooltip else None
        if role in (_BACKGROUND, _FOREGROUND):
            paint = column.background if role == _BACKGROUND else column.foreground
            color = paint(item) if paint else None
            return QBrush(color) if color is not None else None
        if role == _DECORATION:
            return column.icon(item) if column.icon else None
        if role == _ALIGNMENT:
            return _RIGHT if column.align_right else None
        return f"{column.title}: {shown(column.value(item))}"  # AccessibleTextRole

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._columns[section].title
        elif orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self._items):
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        return _SELECTABLE if index.isValid() else Qt.ItemFlag.NoItemFlags


class ObjectFilterProxy(QSortFilterProxyModel):
    """Filters by a text search over every column plus a predicate.

    Sorting is passed to an ``ObjectTableModel`` source, which sorts itself by its columns' keys
    (so a subclass's ``lessThan`` is not consulted for one); any other source is sorted here by
    ``SORT_ROLE``, case-insensitively.
    """

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self._needle = ""
        self._predicate: Callable[[Any], bool] | None = None

    def refilter(self) -> None:
        """Re-run the filter after its inputs changed (``invalidateFilter`` is deprecated in Qt 6.10)."""
        self.beginFilterChange()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_search(self, text: str) -> None:
        self.beginFilterChange()
        self._needle = text.strip().lower()
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_predicate(self, predicate: Callable[[Any], bool] | None) -> None:
        self.beginFilterChange()
        self._predicate = predicate
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        model = self.sourceModel()
        if model is None:
            return True
        if isinstance(model, ObjectTableModel):  # straight from the objects (their columns' text)
            item = model.item(source_row)
            if self._predicate is not None and not self._predicate(item):
                return False
            return not self._needle or any(
                self._needle in model.display_text(source_row, column).lower() for column in range(model.columnCount())
            )
        if self._predicate is not None:
            item = model.data(model.index(source_row, 0, source_parent), OBJECT_ROLE)
            if not self._predicate(item):
                return False
        if not self._needle:
            return True
        for column in range(model.columnCount(source_parent)):
            text = model.data(model.index(source_row, column, source_parent), Qt.ItemDataRole.DisplayRole)
            if text and self._needle in str(text).lower():
                return True
        return False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        source = self.sourceModel()
        if isinstance(source, ObjectTableModel):
            source.sort(column, order)
        else:
            super().sort(column, order)


def fit_columns(view: QTableView, *, sample: int = 60, max_width: int = 240, padding: int = 18) -> None:
    """Size columns to their header and the text of the first ``sample`` rows, measured directly.

    ``resizeColumnsToContents`` asks the model for every role of every sampled cell through Qt;
    this reads the display strings only and measures the few longest of each column (the width
    of a line of text follows its length closely enough to size a column), several times faster.
    """
    model = view.model()
    source = model.sourceModel() if isinstance(model, QSortFilterProxyModel) else model
    if not isinstance(source, ObjectTableModel):
        view.resizeColumnsToContents()
        return
    metrics = QFontMetrics(view.font())
    header_metrics = QFontMetrics(view.horizontalHeader().font())
    items = source.items()[:sample]
    for column in range(source.columnCount()):
        title = str(source.headerData(column, Qt.Orientation.Horizontal) or "")
        widest = header_metrics.horizontalAdvance(title) + padding + 8  # room for the sort arrow
        value = source.column(column).value
        longest = heapq.nlargest(_MEASURED, {shown(value(item)) for item in items}, key=len)
        for text in longest:
            widest = max(widest, metrics.horizontalAdvance(text) + padding)
        view.setColumnWidth(column, min(widest, max_width))
