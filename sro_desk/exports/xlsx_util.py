"""Workbook helpers every export uses, so user text can never become a formula.

openpyxl turns any string starting with "=" into a formula; ``put`` stores strings as text with a
quote prefix. Headers are bold on a fill, frozen, with auto-filters and sensible widths.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sro_desk.domain.text import xml_safe

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
DATE_FORMAT = "yyyy-mm-dd"


def new_workbook() -> Workbook:
    return Workbook()


def save_workbook(book: Workbook, dest: Path | str) -> Path:
    """Save through the shared atomic writer: the whole workbook or the old file untouched."""
    from sro_desk.exports.atomic import write_with

    return write_with(dest, book.save)


def clean_text(value: str) -> str:
    """Characters XML 1.0 cannot hold (NUL and other controls, U+FFFE/U+FFFF, lone surrogates)
    shown as U+FFFD, never dropped silently: Excel refuses a workbook that holds one."""
    return xml_safe(value)


def put(cell: Cell, value: Any) -> Cell:
    """Assign a value: strings always as literal text, dates as dates, numbers as numbers."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        cell.value = "yes" if value else "no"
        cell.data_type = "s"
    elif isinstance(value, dt.datetime | dt.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    elif isinstance(value, int | float):
        cell.value = value
    else:
        text = clean_text(str(value))
        cell.value = text
        cell.data_type = "s"
        if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
            cell.quotePrefix = True
    return cell


def write_table(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    start_row: int = 1,
    freeze: bool = True,
    autofilter: bool = True,
    widths: Sequence[float] | None = None,
) -> int:
    """Write a header row and data rows; returns the last row written."""
    for col, header in enumerate(headers, start=1):
        cell = put(sheet.cell(row=start_row, column=col), header)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    row_index = start_row
    for row_index, row in enumerate(rows, start=start_row + 1):
        for col, value in enumerate(row, start=1):
            put(sheet.cell(row=row_index, column=col), value)
    if freeze:
        sheet.freeze_panes = sheet.cell(row=start_row + 1, column=1)
    if autofilter and headers:
        sheet.auto_filter.ref = f"A{start_row}:{get_column_letter(len(headers))}{max(row_index, start_row)}"
    for col, header in enumerate(headers, start=1):
        if widths is not None and col <= len(widths):
            width = widths[col - 1]
        else:
            longest = max([len(str(header))] + [len(_shown(r[col - 1])) for r in rows[:200] if col <= len(r)])
            width = min(max(10, longest + 2), 60)
        sheet.column_dimensions[get_column_letter(col)].width = width
    return row_index


def _shown(value: Any) -> str:
    if isinstance(value, dt.date):
        return "2026-01-01"
    return "" if value is None else str(value)


def write_title(sheet: Worksheet, title: str, subtitle: str = "") -> int:
    """A title (and optional subtitle) above a table; returns the row where the table should start."""
    put(sheet.cell(row=1, column=1), title).font = TITLE_FONT
    if subtitle:
        put(sheet.cell(row=2, column=1), subtitle)
        return 4
    return 3
