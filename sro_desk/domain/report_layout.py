"""The annual report's tables as rows of cells, shared by the screen, the workbook and the PDF.

A shown count stays an ``int`` (so a spreadsheet can add it up); a hidden one becomes its text
("<10" or "*"); a rate becomes text. Every output lays tables out the same way from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sro_desk.domain.annual_report import AnnualReport, Figure, OneWayTable, TwoWayTable

Cell = int | str


@dataclass(frozen=True, slots=True)
class LaidOutTable:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_row: tuple[Cell, ...]


def figure_cell(figure: Figure, threshold: int) -> Cell:
    if figure.hidden or figure.value is None:
        return figure.text(threshold)
    return figure.value


def _share(figure: Figure, total: Figure) -> str:
    if figure.hidden or total.hidden or figure.value is None or total.value is None:
        return "*"
    if total.value == 0:
        return "—"
    return f"{100 * figure.value / total.value:.1f}%"


def lay_out_one_way(table: OneWayTable, threshold: int) -> LaidOutTable:
    """Label, count and share of the total; the share is hidden when either count is."""
    rows = tuple(
        (label, figure_cell(cell, threshold), _share(cell, table.total))
        for label, cell in zip(table.labels, table.cells, strict=True)
    )
    total = ("Total", figure_cell(table.total, threshold), "100.0%" if not table.total.hidden
             and table.total.value else "—" if not table.total.hidden else "*")
    return LaidOutTable(f"{table.section}.{table.key}", table.title,
                        (table.label_title, table.unit.capitalize(), "Share"), rows, total)


def lay_out_two_way(table: TwoWayTable, threshold: int) -> LaidOutTable:
    rows = tuple(
        (label, *(figure_cell(c, threshold) for c in cells), figure_cell(total, threshold),
         rate.text())
        for label, cells, total, rate in zip(table.row_labels, table.cells, table.row_totals,
                                             table.rates, strict=True)
    )
    total_row = ("Total", *(figure_cell(c, threshold) for c in table.col_totals),
                 figure_cell(table.total, threshold), "")
    headers = (table.row_title, *table.col_labels, "Total", table.rate_title)
    return LaidOutTable(f"{table.section}.{table.key}", table.title, headers, rows, total_row)


def all_tables(report: AnnualReport) -> list[LaidOutTable]:
    """Every table of the report in reading order."""
    out = [lay_out_one_way(t, report.threshold) for t in report.call_tables]
    out += [lay_out_one_way(t, report.threshold) for t in report.student_tables]
    out += [lay_out_two_way(t, report.threshold) for t in report.cross_tables]
    if report.complaints.tracked:
        out += [lay_out_one_way(t, report.threshold) for t in report.complaints.tables]
    return out
