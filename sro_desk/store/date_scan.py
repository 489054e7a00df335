"""Stored dates outside the range a person may enter (``domain.dates``), for ``check`` to name.

Such dates come from older files (a ``0001-01-01`` "no date" placeholder from a student
information system, a year 9999 typo) made before the importers and dialogs refused them. They
still open and show; this lists where they are, so a coordinator can correct them. One query
per date column, counting in SQL; nothing is loaded row by row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import peewee

from sro_desk.domain.dates import EARLIEST_DATE, latest_date
from sro_desk.store.base import all_record_classes


@dataclass(frozen=True, slots=True)
class StoredDatesOutside:
    table: str
    column: str
    count: int
    earliest: str
    latest: str

    def __str__(self) -> str:
        return (f"{self.table}.{self.column}: {self.count:,} date{'s' if self.count != 1 else ''} "
                f"outside 1 January 1990 – ten years from today ({self.earliest} … {self.latest})")


def dates_outside_entry_range(today: dt.date) -> list[StoredDatesOutside]:
    """Every date column holding values outside the entry range, with how many and the extremes."""
    low = EARLIEST_DATE.isoformat()
    # the day after the last allowed date, so a datetime on the last day still counts as inside
    high = (latest_date(today) + dt.timedelta(days=1)).isoformat() if latest_date(today) < dt.date.max else "99999"
    found: list[StoredDatesOutside] = []
    for record in all_record_classes():
        for field in record._meta.sorted_fields:
            if not isinstance(field, peewee.DateField | peewee.DateTimeField):
                continue
            column = peewee.Cast(field, "TEXT")
            outside = (column < low) | (column >= high)
            row = (record.select(peewee.fn.COUNT(field), peewee.fn.MIN(column), peewee.fn.MAX(column))
                   .where(field.is_null(False) & outside).tuples().first())
            if row and row[0]:
                found.append(StoredDatesOutside(record._meta.table_name, field.column_name,
                                                int(row[0]), str(row[1])[:10], str(row[2])[:10]))
    return found
