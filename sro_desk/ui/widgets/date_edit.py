"""A date field that can also be empty ("not recorded"), which ``QDateEdit`` alone cannot be.

Every date edit offers only the range a person may enter (``domain.dates``: 1 January 1990 to
ten years after today; ``limit_to_entry_range``). A date already stored outside it (an older
file) is shown as it is — the range widens to hold it — never silently moved to the nearest end.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from sro_desk import clock
from sro_desk.domain.dates import EARLIEST_DATE, latest_date


def limit_to_entry_range(edit: QDateEdit, today: dt.date | None = None) -> None:
    """Let ``edit`` offer only dates from 1 January 1990 to ten years after today."""
    day = today or clock.today()
    edit.setDateRange(to_qdate(EARLIEST_DATE), to_qdate(latest_date(day)))


def show_stored_date(edit: QDateEdit, value: dt.date) -> bool:
    """Put a stored date in ``edit``, widening its range if the date lies outside it. Returns
    False when Qt cannot show it at all (a ``QDateEdit`` stops at the year 100, so a stored
    0001-01-01 cannot be shown): the caller then keeps the stored value until the user picks one
    (``OptionalDateEdit`` does), so opening and saving never changes it silently."""
    q = to_qdate(value)
    if q < edit.minimumDate():
        edit.setMinimumDate(q)
    if q > edit.maximumDate():
        edit.setMaximumDate(q)
    edit.setDate(q)
    return edit.date() == q


class OptionalDateEdit(QWidget):
    dateChanged = Signal()

    def __init__(self, accessible_name: str, parent: QWidget | None = None, *, optional: bool = True) -> None:
        super().__init__(parent)
        self.check = QCheckBox(self)
        self.check.setAccessibleName(f"{accessible_name} recorded")
        self.check.setToolTip("Tick when the date is known")
        self.edit = QDateEdit(self)
        self.edit.setCalendarPopup(True)
        self.edit.setDisplayFormat("yyyy-MM-dd")
        self.edit.setAccessibleName(accessible_name)
        today = clock.today()
        limit_to_entry_range(self.edit, today)
        self.edit.setDate(QDate(today.year, today.month, today.day))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if optional:
            layout.addWidget(self.check)
        else:
            self.check.setChecked(True)
            self.check.setVisible(False)
        layout.addWidget(self.edit, 1)
        self._kept: dt.date | None = None  # a stored date the edit cannot show (year < 100)
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateChanged.connect(self._on_edit_date_changed)
        self._on_check_toggled(self.check.isChecked())

    def date(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        if self._kept is not None:
            return self._kept
        q = self.edit.date()
        return dt.date(q.year(), q.month(), q.day())

    def setDate(self, value: dt.date | None) -> None:
        self._kept = None
        self.edit.setSpecialValueText("")
        if value is None:
            self.check.setChecked(False)
        else:
            self.check.setChecked(True)
            if not show_stored_date(self.edit, value):
                # Shown as text on the edit's lowest date; kept as stored until the user picks.
                self.edit.blockSignals(True)
                self.edit.setDate(self.edit.minimumDate())
                self.edit.blockSignals(False)
                self.edit.setSpecialValueText(f"{value.isoformat()} (as stored; pick a date)")
                self._kept = value
                self.dateChanged.emit()

    def _on_edit_date_changed(self, _date: QDate) -> None:
        if self._kept is not None:
            self._kept = None
            self.edit.setSpecialValueText("")
        self.dateChanged.emit()

    def _on_check_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.dateChanged.emit()


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())
