"""Qt models for calls and for the annual report's tables.

``CallTableModel`` holds every call once and shows the rows that pass a ``CallFilter``. Filtering
and sorting run in bulk in Python (``domain.calls_filter``) rather than through a
``QSortFilterProxyModel``, whose per-row Python callbacks are too slow for a keystroke at
60,000 calls. Painting never runs a query.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from sro_desk.domain.calls import Call
from sro_desk.domain.calls_filter import CallFilter, CallIndex
from sro_desk.domain.dates import format_date
from sro_desk.domain.report_layout import Cell, LaidOutTable

AnyIndex = QModelIndex | QPersistentModelIndex
CALL_ROLE = Qt.ItemDataRole.UserRole + 2


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def _contact_text(call: Call) -> str:
    """What the police contacts of a call involved, per student ("" when none was recorded)."""
    if not any(s.contact is not None for s in call.students):
        return ""
    from sro_desk.domain.police_contact import contact_summary
    from sro_desk.services.incident_rules import builtin_contact_rules

    rules = builtin_contact_rules()
    parts = [f"{n}: {contact_summary(s.contact, s.age, call.occurred_on, rules)}"
             for n, s in enumerate(call.students, start=1) if s.contact is not None]
    return "; ".join(parts)


# title, display text, sort key
_COLUMNS: tuple[tuple[str, Callable[[Call], str], Callable[[Call], Any]], ...] = (
    ("Date", lambda c: format_date(c.occurred_on), lambda c: (c.occurred_on, c.occurred_at
                                                               or dt.time())),
    ("Time", lambda c: c.occurred_at.strftime("%H:%M") if c.occurred_at else "",
     lambda c: c.occurred_at or dt.time()),
    ("Call", lambda c: c.ref, lambda c: c.ref.casefold()),
    ("Building", lambda c: c.building, lambda c: c.building.casefold()),
    ("Location", lambda c: c.location, lambda c: c.location),
    ("Offense type", lambda c: c.offense_type, lambda c: c.offense_type),
    ("Initiated by", lambda c: c.initiated_by, lambda c: c.initiated_by),
    ("Emergency", lambda c: _yes(c.emergency), lambda c: c.emergency),
    ("Students", lambda c: str(len(c.students)), lambda c: len(c.students)),
    ("Outcome", lambda c: c.outcome, lambda c: c.outcome),
    ("Use of force", lambda c: _yes(c.any_use_of_force), lambda c: c.any_use_of_force),
    ("Police contact", _contact_text, _contact_text),
    ("Description", lambda c: c.description.replace("\n", " "), lambda c: c.description),
)


class CallTableModel(QAbstractTableModel):
    """Every call, filtered and sorted in bulk; rows map to calls through ``_rows``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._index = CallIndex.build(())
        self._order: list[int] = []  # every call, in the current sort order
        self._rows: list[int] = []  # the shown calls, in that order
        self._filter = CallFilter()
        self._sort_column = 0
        self._sort_order = Qt.SortOrder.DescendingOrder

    # -- data in
    def set_calls(self, calls: Sequence[Call]) -> None:
        self.beginResetModel()
        self._index = CallIndex.build(calls)
        self._order = self._sorted_all()
        self._rows = self._shown(self._index.matching(self._filter))
        self.endResetModel()

    def set_filter(self, call_filter: CallFilter) -> None:
        if call_filter == self._filter:
            return
        self.beginResetModel()
        self._filter = call_filter
        self._rows = self._shown(self._index.matching(call_filter))
        self.endResetModel()

    @property
    def call_filter(self) -> CallFilter:
        return self._filter

    def total(self) -> int:
        return len(self._index.calls)

    def call(self, row: int) -> Call:
        return self._index.calls[self._rows[row]]

    def row_of(self, call_id: int | None) -> int | None:
        for row, i in enumerate(self._rows):
            if self._index.calls[i].id == call_id:
                return row
        return None

    def shown_calls(self) -> list[Call]:
        return [self._index.calls[i] for i in self._rows]

    def _sorted_all(self) -> list[int]:
        """Sort once per column change; each filter then keeps this order for free."""
        key = _COLUMNS[self._sort_column][2]
        calls = self._index.calls
        return sorted(range(len(calls)), key=lambda i: key(calls[i]),
                      reverse=self._sort_order == Qt.SortOrder.DescendingOrder)

    def _shown(self, matching: list[int]) -> list[int]:
        if len(matching) == len(self._order):
            return list(self._order)
        mask = bytearray(len(self._order))
        for i in matching:
            mask[i] = 1
        return [i for i in self._order if mask[i]]

    # -- Qt model API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        call = self._index.calls[self._rows[index.row()]]
        title, text, _ = _COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text(call)
        if role == CALL_ROLE:
            return call
        if role == Qt.ItemDataRole.ToolTipRole and title == "Police contact":
            return ("Per student with a police contact: RCW 13.40.740 (attorney access), "
                    "searches, RCW 10.118.030 force types, parent notification"
                    if call.students and text(call) else None)
        if role == Qt.ItemDataRole.ToolTipRole and title in ("Description", "Students"):
            if title == "Students":
                return "\n".join(f"{s.age}, {s.gender}, {s.race}: {s.outcome}"
                                 for s in call.students) or "No students involved"
            return call.description or None
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}: {text(call)}"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(_COLUMNS):
            return _COLUMNS[section][0]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(_COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        old_rows = self._rows
        persistent = self.persistentIndexList()
        self._sort_column, self._sort_order = column, order
        self._order = self._sorted_all()
        self._rows = self._shown(self._rows)
        # keep selections on the same calls: move each persistent index to its call's new row
        new_row = {call: row for row, call in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(new_row[old_rows[p.row()]], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()


class ReportTableModel(QAbstractTableModel):
    """One laid-out report table (counts, "<10", "*", rates) with its total row last."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._table: LaidOutTable | None = None

    def set_table(self, table: LaidOutTable | None) -> None:
        self.beginResetModel()
        self._table = table
        self.endResetModel()

    def _all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        if self._table is None:
            return ()
        return self._table.all_rows()

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._all_rows())

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() or self._table is None:
            return 0
        return len(self._table.headers)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        rows = self._all_rows()
        if not index.isValid() or not 0 <= index.row() < len(rows):
            return None
        value = rows[index.row()][index.column()]
        text = f"{value:,}" if isinstance(value, int) else str(value)
        if role == Qt.ItemDataRole.DisplayRole:
            return text
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > 0:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            if text.startswith("<"):
                return "Hidden: a count under the threshold"
            if text == "*":
                return "Hidden so that no other hidden count can be worked out from the totals"
            return None
        if role == Qt.ItemDataRole.FontRole and index.row() == len(rows) - 1:
            from PySide6.QtGui import QFont

            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or self._table is None:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._table.headers):
            return self._table.headers[section]
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
