"""The annual report's tables as rows of cells, shared by the screen, the workbook and the PDF.

A shown count stays an ``int`` (so a spreadsheet can add it up); a hidden one becomes its text
("<10" or "*"); a share or rate is a ``Share`` — a number for the workbook (stored with a percent
format) that reads "3.7%" on screen and in the PDF. Every output lays tables out the same way
from here.
"""

from __future__ import annotations

from dataclasses import dataclass

from sro_desk.domain.annual_report import AnnualReport, Figure, OneWayTable, Rate, TwoWayTable


@dataclass(frozen=True, slots=True)
class Share:
    """A percentage: ``fraction`` (0.037) for a spreadsheet, ``text`` ("3.7%") for reading.

    ``fraction`` is ``None`` when the share is hidden ("*") or has no total to divide by ("—").
    """

    fraction: float | None
    text: str

    def __str__(self) -> str:
        return self.text

    @classmethod
    def of(cls, percent: float) -> Share:
        return cls(percent / 100, f"{percent:.1f}%")


HIDDEN_SHARE = Share(None, "*")
NO_SHARE = Share(None, "—")
BLANK = Share(None, "")

Cell = int | str | Share


@dataclass(frozen=True, slots=True)
class LaidOutTable:
    key: str
    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    total_row: tuple[Cell, ...]  # () when the rows do not add up to a total
    note: str = ""  # the rule's citation and how to read the table, where it needs saying

    def all_rows(self) -> tuple[tuple[Cell, ...], ...]:
        """The rows, then the total row if there is one."""
        return (*self.rows, self.total_row) if self.total_row else self.rows


def figure_cell(figure: Figure, threshold: int) -> Cell:
    if figure.hidden or figure.value is None:
        return figure.text(threshold)
    return figure.value


def _share(figure: Figure, total: Figure) -> Share:
    if figure.hidden or total.hidden or figure.value is None or total.value is None:
        return HIDDEN_SHARE
    if total.value == 0:
        return NO_SHARE
    return Share.of(100 * figure.value / total.value)


def rate_cell(rate: Rate) -> Share:
    if rate.hidden:
        return HIDDEN_SHARE
    return NO_SHARE if rate.percent is None else Share.of(rate.percent)


def lay_out_one_way(table: OneWayTable, threshold: int) -> LaidOutTable:
    """Label, count and share of the total; the share is hidden when either count is."""
    rows = tuple(
        (label, figure_cell(cell, threshold), _share(cell, table.total))
        for label, cell in zip(table.labels, table.cells, strict=True)
    )
    total = ("Total", figure_cell(table.total, threshold), _share(table.total, table.total))
    return LaidOutTable(f"{table.section}.{table.key}", table.title,
                        (table.label_title, table.unit.capitalize(), "Share"), rows, total)


def lay_out_two_way(table: TwoWayTable, threshold: int) -> LaidOutTable:
    rows = tuple(
        (label, *(figure_cell(c, threshold) for c in cells), figure_cell(total, threshold),
         rate_cell(rate))
        for label, cells, total, rate in zip(table.row_labels, table.cells, table.row_totals,
                                             table.rates, strict=True)
    )
    total_row = ("Total", *(figure_cell(c, threshold) for c in table.col_totals),
                 figure_cell(table.total, threshold), BLANK)
    headers = (table.row_title, *table.col_labels, "Total", table.rate_title)
    return LaidOutTable(f"{table.section}.{table.key}", table.title, headers, rows, total_row)


def all_tables(report: AnnualReport) -> list[LaidOutTable]:
    """Every table of the report in reading order."""
    out = [lay_out_one_way(t, report.threshold) for t in report.call_tables]
    out += [lay_out_one_way(t, report.threshold) for t in report.student_tables]
    out += [lay_out_two_way(t, report.threshold) for t in report.cross_tables]
    if report.complaints.tracked:
        summary = complaint_counts(report)
        if summary is not None:
            out.append(summary)
        out += [lay_out_one_way(t, report.threshold) for t in report.complaints.tables]
    out += [LaidOutTable(t.key, t.title, t.headers, t.rows, (),
                         f"{t.citation}. {t.note}".strip() if t.note else t.citation)
            for t in report.incident_tables]
    return out


def complaint_counts(report: AnnualReport) -> LaidOutTable | None:
    """All complaints received and, as its own figure, the statutory count."""
    section = report.complaints
    if not section.tracked or section.total is None or section.counted_by_law is None:
        return None
    rows: tuple[tuple[Cell, ...], ...] = (
        ("All complaints received", figure_cell(section.total, report.threshold)),
        ("About job duties or student interactions (RCW 28A.320.1241)",
         figure_cell(section.counted_by_law, report.threshold)),
    )
    return LaidOutTable("complaints.counts", "Complaints received", ("Complaints", "Count"),
                        rows[1:], rows[0])
