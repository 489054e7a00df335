"""The annual report as a workbook: a notes sheet, then one sheet per table.

Written in openpyxl's write-only mode (streamed, constant memory; the benchmark holds it to 1.5×
raw openpyxl). Every string — labels, building names, descriptions — is stored as text with a
quote prefix, so "=HYPERLINK(...)" typed into a description stays text. Shown counts are numbers
(a coordinator can add them up); hidden ones are the text "<10" or "*".
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sro_desk.domain.annual_report import AnnualReport, Edition
from sro_desk.domain.report_layout import all_tables
from sro_desk.exports.report_json import write_atomically

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_RISKY = frozenset("=+-@\t\r")  # a leading character a spreadsheet may read as a formula


def sheet_title(text: str, used: set[str]) -> str:
    """A legal, unique sheet name (31 characters, none of []:*?/\\)."""
    base = _BAD_SHEET_CHARS.sub("-", text).strip("'") or "Sheet"
    base = base[:31]
    title, n = base, 2
    while title.casefold() in used:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.casefold())
    return title


def short_sheet_name(key: str) -> str:
    """"students.outcome_by_race" -> "Outcome by race": tab names that fit in 31 characters."""
    section, _, name = key.partition(".")
    words = name.replace("_", " ").replace("iep", "IEP").strip()
    if words.startswith("by "):
        words = f"{section} {words}"
    return words[:1].upper() + words[1:]


class _Writer:
    """Appends rows to a write-only sheet, making every string a safe text cell."""

    def __init__(self, sheet: Any) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self.sheet = sheet
        self._cell = WriteOnlyCell
        self.bold = Font(bold=True)
        self.head_font = Font(bold=True, color="FFFFFF")
        self.head_fill = PatternFill("solid", fgColor="1F4E79")
        self.title_font = Font(bold=True, size=14)

    def text(self, value: str, font: Any = None, fill: Any = None) -> Any:
        clean = _ILLEGAL.sub("\ufffd", value)
        cell = self._cell(self.sheet, value=clean)
        cell.data_type = "s"
        if clean[:1] in _RISKY:
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        return cell

    def row(self, values: Iterable[Any], font: Any = None, fill: Any = None) -> None:
        out: list[Any] = []
        for value in values:
            if isinstance(value, str):
                if font is None and fill is None and value[:1] not in _RISKY \
                        and not _ILLEGAL.search(value):
                    out.append(value)  # openpyxl stores a plain string as text already
                else:
                    out.append(self.text(value, font, fill))
            elif font is not None or fill is not None:
                cell = self._cell(self.sheet, value=value)
                if font is not None:
                    cell.font = font
                if fill is not None:
                    cell.fill = fill
                out.append(cell)
            else:
                out.append(value)
        self.sheet.append(out)

    def title(self, text: str) -> None:
        self.row([text], font=self.title_font)

    def header(self, values: Sequence[str]) -> None:
        self.row(values, font=self.head_font, fill=self.head_fill)

    def blank(self) -> None:
        self.sheet.append([])


def _widths(sheet: Any, widths: Sequence[float]) -> None:
    from openpyxl.utils import get_column_letter

    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def build_workbook(report: AnnualReport) -> Any:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    used: set[str] = set()
    edition = "Public edition" if report.edition is Edition.PUBLIC else "Internal edition"

    notes = book.create_sheet(sheet_title("Notes", used))
    _widths(notes, (28, 110))
    w = _Writer(notes)
    w.title(f"{report.district_name}: calls, incidents and staff, {report.school_year}")
    w.row(["Edition", edition])
    w.row(["Reporting period", f"{report.period.start.isoformat()} to "
                               f"{report.period.end.isoformat()}"])
    w.row(["Suppression threshold", report.threshold])
    w.row(["Rule", report.rule])
    w.row(["Summary", report.narrative()])
    w.blank()
    w.header(["Term", "Definition"])
    for term, definition in report.definitions:
        w.row([term, definition])
    w.row(["Agencies listed", report.agencies.source])
    if not report.complaints.tracked:
        w.row(["Complaints", report.complaints.note])

    for table in all_tables(report):
        sheet = book.create_sheet(sheet_title(short_sheet_name(table.key), used))
        _widths(sheet, (34, *([14] * (len(table.headers) - 1))))
        w = _Writer(sheet)
        w.title(table.title)
        w.row([f"{report.school_year} · {edition}"])
        w.blank()
        w.header(table.headers)
        for row in table.rows:
            w.row(row)
        w.row(table.total_row, font=w.bold)

    staff = book.create_sheet(sheet_title("Staff", used))
    _widths(staff, (40, 14, 16))
    w = _Writer(staff)
    w.title("Safety and security staff (RCW 28A.320.1241)")
    w.row([f"District-wide: {report.staff.total} staff"])
    w.blank()
    w.header(["Building", "Staff", "Days per week"])
    for b in report.staff.buildings:
        w.row([b.building, b.staff, b.days_per_week])

    agencies = book.create_sheet(sheet_title("Agencies", used))
    _widths(agencies, (60,))
    w = _Writer(agencies)
    w.title("Agencies and companies")
    w.row([report.agencies.source])
    w.blank()
    w.header(["Name"])
    for name in report.agencies.names:
        w.row([name])

    incidents = book.create_sheet(sheet_title("Incidents", used))
    w = _Writer(incidents)
    w.title("Incidents: discipline, use of force or arrest")
    w.row(["Number of incidents", report.incidents_total.value
           if report.incidents_total.value is not None
           else report.incidents_total.text(report.threshold)])
    if report.edition is Edition.INTERNAL:
        _widths(incidents, (14, 12, 28, 28, 6, 14, 28, 6, 6, 30, 12, 12, 60))
        w.blank()
        w.header(["Call", "Date", "Building", "Offense type", "Age", "Gender",
                  "Race/ethnicity", "IEP", "504", "Outcome", "Use of force", "Discipline",
                  "Description"])
        for incident in report.incidents:
            for s in incident.students:
                w.row([incident.ref, incident.occurred_on.isoformat(), incident.building,
                       incident.offense_type, s.age, s.gender, s.race, _yn(s.iep),
                       _yn(s.section_504), s.outcome, _yn(s.use_of_force), _yn(s.discipline),
                       incident.description])
    else:
        w.row(["The list of incidents is in the internal edition only."])

    if report.prevention_activities:
        sheet = book.create_sheet(sheet_title("Prevention work", used))
        _widths(sheet, (40, 12))
        w = _Writer(sheet)
        w.header(["Activity", "Count"])
        for kind, count in report.prevention_activities:
            w.row([kind, count])
    return book


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


def write_report_xlsx(report: AnnualReport, dest: Path | str) -> Path:
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    return write_atomically(Path(dest), buffer.getvalue())
