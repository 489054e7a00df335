"""The annual report as a workbook: a notes sheet, then one sheet per table.

Written in openpyxl's write-only mode (streamed, constant memory; the benchmark holds it to 1.5×
raw openpyxl). Every string — labels, building names, descriptions — is stored as text with a
quote prefix, so "=HYPERLINK(...)" typed into a description stays text. Shown counts are numbers
(a coordinator can add them up); hidden ones are the text "<10" or "*". Shares are numbers with a
percent format (0.037 shows as 3.7%), ages are numbers, dates are dates ("26 November 2026").
Every table sheet has a frozen header row and an auto-filter over its rows (not the total).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sro_desk.domain.annual_report import AnnualReport, Edition
from sro_desk.domain.report_layout import Share, all_tables
from sro_desk.domain.text import has_xml_illegal, xml_safe
from sro_desk.exports.report_json import write_atomically

_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")
_RISKY = frozenset("=+-@\t\r")  # a leading character a spreadsheet may read as a formula
PERCENT = "0.0%"
DATE = "d mmmm yyyy"
_SHEET_NAMES = {  # where the generated name reads badly
    "calls.by_initiated_by": "Calls by who initiated",
    "complaints.counts": "Complaints received",
    "incidents.attorney_access": "Attorney access",
    "incidents.parent_notification": "Parent notification",
    "incidents.force_types": "Force by type",
    "incidents.force_injury": "Force injury and report",
    "incidents.searches": "Searches",
    "incidents.initiated": "Who initiated contacts",
    "incidents.crdc": "CRDC referrals and arrests",
    "incidents.detailed_identity": "Detailed race and ethnicity",
}


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
    if key in _SHEET_NAMES:
        return _SHEET_NAMES[key]
    section, _, name = key.partition(".")
    words = name.replace("_", " ").replace("iep", "IEP").strip()
    if words.startswith("by "):
        words = f"{section} {words}"
    return words[:1].upper() + words[1:]


class _Writer:
    """Appends rows to a write-only sheet, making every string a safe text cell."""

    def __init__(self, sheet: Any, header_row: int | None = None) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font, PatternFill

        self.sheet = sheet
        # A write-only sheet writes its view before its first row: freeze the header row now.
        self.header_row = header_row
        if header_row is not None:
            sheet.freeze_panes = f"A{header_row + 1}"
        self._cell = WriteOnlyCell
        self.bold = Font(bold=True)
        self.head_font = Font(bold=True, color="FFFFFF")
        self.head_fill = PatternFill("solid", fgColor="1F4E79")
        self.title_font = Font(bold=True, size=14)
        self.rows = 0

    def text(self, value: str, font: Any = None, fill: Any = None) -> Any:
        clean = xml_safe(value)
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
            if isinstance(value, Share):
                if value.fraction is None:
                    value = value.text
                else:
                    cell = self._cell(self.sheet, value=value.fraction)
                    cell.number_format = PERCENT
                    if font is not None:
                        cell.font = font
                    out.append(cell)
                    continue
            if isinstance(value, dt.date):
                cell = self._cell(self.sheet, value=value)
                cell.number_format = DATE
                out.append(cell)
                continue
            if isinstance(value, str):
                if font is None and fill is None and value[:1] not in _RISKY \
                        and not has_xml_illegal(value):
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
        self.rows += 1

    def title(self, text: str) -> None:
        self.row([text], font=self.title_font)

    def header(self, values: Sequence[str]) -> None:
        self.row(values, font=self.head_font, fill=self.head_fill)

    def blank(self) -> None:
        self.sheet.append([])
        self.rows += 1

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]],
              total_row: Sequence[Any] | None = None) -> None:
        """A header row frozen in place, the rows under an auto-filter, then any total row."""
        from openpyxl.utils import get_column_letter

        self.header(headers)
        header_row = self.rows
        if header_row != self.header_row:
            raise AssertionError(f"header on row {header_row}, frozen at {self.header_row}")
        for values in rows:
            self.row(values)
        last = get_column_letter(max(1, len(headers)))
        self.sheet.auto_filter.ref = f"A{header_row}:{last}{max(self.rows, header_row)}"
        if total_row is not None:
            self.row(total_row, font=self.bold)


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
    w.row(["Reporting period", report.period_text()])
    w.row(["Suppression threshold", report.threshold])
    w.row(["Rule", report.rule])
    if report.crosswalk_name:
        w.row(["Race/ethnicity crosswalk", report.crosswalk_name])
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
        w = _Writer(sheet, header_row=4)
        w.title(table.title)
        w.row([f"{report.school_year} · {edition}"
               + (f" · {table.note}" if table.note else "")])
        w.blank()
        rows: Iterable[Sequence[Any]] = table.rows
        if table.key == "students.by_age":  # ages are numbers a spreadsheet can sort and filter
            rows = [(int(r[0]) if isinstance(r[0], str) and r[0].isdigit() else r[0], *r[1:])
                    for r in table.rows]
        w.table(table.headers, rows, table.total_row or None)

    staff = book.create_sheet(sheet_title("Staff", used))
    _widths(staff, (40, 14, 16))
    w = _Writer(staff, header_row=4)
    w.title("Safety and security staff (RCW 28A.320.1241)")
    w.row([f"District-wide: {report.staff.total} staff"])
    w.blank()
    w.table(["Building", "Staff", "Days per week"],
            [[b.building, b.staff, b.days_per_week] for b in report.staff.buildings])
    if report.staff_people:
        from sro_desk.domain.report_staff import PER_PERSON_CITATION, table_rows

        public = report.edition is Edition.PUBLIC
        people = book.create_sheet(sheet_title("Staff per person", used))
        _widths(people, (30, 30, 36, 50, 14))
        w = _Writer(people, header_row=4)
        w.title(f"Days per week each staff member works ({PER_PERSON_CITATION})")
        w.row(["Positions, not people (public edition)." if public else
               "Internal edition: names shown."])
        w.blank()
        w.table(*table_rows(report.staff_people, public))

    agencies = book.create_sheet(sheet_title("Agencies", used))
    _widths(agencies, (60, 22))
    w = _Writer(agencies, header_row=4)
    w.title("Agencies and companies")
    w.row([report.agencies.source])
    w.blank()
    w.table(["Name", "Adopted agreement"],
            [[a.name, "not recorded" if a.adopted_agreement is None
              else _yn(a.adopted_agreement)] for a in report.agencies.agencies])

    incidents = book.create_sheet(sheet_title("Incidents", used))
    w = _Writer(incidents, header_row=4 if report.edition is Edition.INTERNAL else None)
    w.title("Incidents: discipline, use of force or arrest")
    w.row(["Number of incidents", report.incidents_total.value
           if report.incidents_total.value is not None
           else report.incidents_total.text(report.threshold)])
    if report.edition is Edition.INTERNAL:
        _widths(incidents, (14, 12, 28, 28, 6, 14, 28, 6, 6, 30, 12, 12, 60))
        w.blank()
        w.table(["Call", "Date", "Building", "Offense type", "Age", "Gender",
                 "Race/ethnicity", "IEP", "504", "Outcome", "Use of force", "Discipline",
                 "Description"],
                [[incident.ref, incident.occurred_on, incident.building,
                  incident.offense_type, s.age, s.gender, s.race, _yn(s.iep),
                  _yn(s.section_504), s.outcome, _yn(s.use_of_force), _yn(s.discipline),
                  incident.description]
                 for incident in report.incidents for s in incident.students])
    else:
        w.row(["The list of incidents is in the internal edition only."])

    if report.edition is Edition.INTERNAL and report.explanations:
        # why each figure of the year's public release is hidden (coordinator only)
        sheet = book.create_sheet(sheet_title("Why hidden (public)", used))
        _widths(sheet, (20, 44, 10, 90, 34))
        w = _Writer(sheet, header_row=4)
        w.title("Why each figure is hidden in the public release of the year")
        w.row(["The annual report and the public complaint summary are protected together; "
               "this sheet is for the coordinator and is never published."])
        w.blank()
        w.table(report.explanations[0], report.explanations[1:])

    if report.prevention_activities:
        sheet = book.create_sheet(sheet_title("Prevention work", used))
        _widths(sheet, (40, 12))
        w = _Writer(sheet, header_row=1)
        w.table(["Activity", "Count"], [[kind, count] for kind, count in report.prevention_activities])
    return book


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


def write_report_xlsx(report: AnnualReport, dest: Path | str) -> Path:
    buffer = io.BytesIO()
    build_workbook(report).save(buffer)
    return write_atomically(Path(dest), buffer.getvalue())
