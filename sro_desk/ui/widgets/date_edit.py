"""A date field that can also be empty ("not recorded"), which ``QDateEdit`` alone cannot be."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QCheckBox, QDateEdit, QHBoxLayout, QWidget

from sro_desk import clock


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
        self.edit.setDate(QDate(today.year, today.month, today.day))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        if optional:
            layout.addWidget(self.check)
        else:
            self.check.setChecked(True)
            self.check.setVisible(False)
        layout.addWidget(self.edit, 1)
        self.check.toggled.connect(self._on_check_toggled)
        self.edit.dateChanged.connect(lambda _d: self.dateChanged.emit())
        self._on_check_toggled(self.check.isChecked())

    def date(self) -> dt.date | None:
        if not self.check.isChecked():
            return None
        q = self.edit.date()
        return dt.date(q.year(), q.month(), q.day())

    def setDate(self, value: dt.date | None) -> None:
        if value is None:
            self.check.setChecked(False)
        else:
            self.check.setChecked(True)
            self.edit.setDate(QDate(value.year, value.month, value.day))

    def _on_check_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(checked)
        self.dateChanged.emit()


def to_qdate(value: dt.date) -> QDate:
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> dt.date:
    return dt.date(value.year(), value.month(), value.day())
