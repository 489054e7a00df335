"""The OSPI package, layout version 1: what RCW 28A.320.1241 asks districts to collect and submit.

OSPI has published no template or field list for this collection (checked 2 December 2026: its
page still speaks of an anticipated collection). This layout is SRO Desk's own, versioned, so an
official layout later becomes a new exporter (``ospi_package_v2``), never a rewrite of this one.

One folder (or one zip) holding, for each statutory item (1)(a) to (e), a CSV and a JSON file, a
README listing every column with its citation, and each adopted agreement's checklist as a PDF
(RCW 28A.320.1241(2)(a): districts submit "any agreements adopted as required by RCW
28A.320.1242"). Figures about students come from the report's *public* tables, built by the
report engine (small counts hidden, WAC 392-117-060), because OSPI makes the submission public
(RCW 28A.320.1241(2)(b)).

Nothing is written halfway: the package is built in a temporary folder beside the destination
and moved into place at the end; a destination that already exists is refused.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sro_desk.domain.annual_report import AnnualReport, Figure, OneWayTable, TwoWayTable
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import SroDeskError, ValidationError
from sro_desk.domain.report_staff import StaffRow

LAYOUT = "ospi_package_v1"
OSPI_NOTE = (
    "OSPI has published no template or field list for this collection (checked 2 December 2026: "
    "its page still speaks of an anticipated collection). This is SRO Desk's own layout, version "
    "1; a later official layout will be a new version."
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    meaning: str
    citation: str


@dataclass(frozen=True, slots=True)
class DataFile:
    """One statutory item: its file stem, title, citation, columns and rows."""

    stem: str
    title: str
    citation: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AgreementPdf:
    """An adopted agreement's checklist, written by ``write`` into the given path."""

    filename: str
    write: Callable[[Path], Path]


def _value(figure: Figure | None) -> int | None:
    return None if figure is None or figure.hidden else figure.value


def _shown(figure: Figure | None, threshold: int) -> str:
    return "" if figure is None else figure.text(threshold)


A = "RCW 28A.320.1241(1)(a)"
B = "RCW 28A.320.1241(1)(b)"
C = "RCW 28A.320.1241(1)(c)"
D = "RCW 28A.320.1241(1)(d)"
E = "RCW 28A.320.1241(1)(e)"


def staff_file(report: AnnualReport, people: Sequence[StaffRow]) -> DataFile:
    rows: list[tuple[Any, ...]] = []
    for building in report.staff.buildings:
        rows.append(("building", building.building, "", "", "", building.staff,
                     building.days_per_week))
    rows.append(("district", "All buildings", "", "", "", report.staff.total, None))
    for person in people:
        for building_name, days in person.buildings:
            rows.append(("person", building_name, person.who, person.role, person.employer,
                         None, days))
    return DataFile(
        "a_staff", "Safety and security staff, per building and per person", A,
        (
            Column("level", "building (count for one building), district (count for the "
                   "district) or person (one staff member at one building)", A),
            Column("building", "the school building", A),
            Column("position", "the staff member's position (role and number), never a name",
                   A),
            Column("role", "school resource officer, school security officer, campus security "
                   "officer or other safety and security staff (RCW 28A.320.124(3))",
                   "RCW 28A.320.124(3)"),
            Column("employer", "the agency, company or district that supplies the staff member",
                   B),
            Column("staff", "number of safety and security staff (building and district rows)",
                   A),
            Column("days_per_week", "days per week worked: summed for a building, the person's "
                   "days at that building for a person row", A),
        ),
        tuple(rows),
    )


def agencies_file(report: AnnualReport) -> DataFile:
    rows = [(a.name, "" if a.adopted_agreement is None else
             ("yes" if a.adopted_agreement else "no")) for a in report.agencies.agencies]
    return DataFile(
        "b_agencies", "Agencies and companies with an agreement for safety and security services",
        B,
        (Column("name", "law enforcement agency or private organization", B),
         Column("agreement_adopted", "yes / no: an agreement adopted for the year "
                "(RCW 28A.320.1242); blank when agreements are not kept in SRO Desk",
                "RCW 28A.320.1242")),
        tuple(rows),
        (f"Listed: {report.agencies.source}.",),
    )


def _table_rows(table: OneWayTable | TwoWayTable, threshold: int) -> list[tuple[Any, ...]]:
    rows: list[tuple[Any, ...]] = []
    if isinstance(table, OneWayTable):
        for label, cell in zip(table.labels, table.cells, strict=True):
            rows.append((table.key, table.title, label, "", _value(cell), _shown(cell, threshold)))
        rows.append((table.key, table.title, "Total", "", _value(table.total),
                     _shown(table.total, threshold)))
        return rows
    for row_label, cells in zip(table.row_labels, table.cells, strict=True):
        for col_label, cell in zip(table.col_labels, cells, strict=True):
            rows.append((table.key, table.title, row_label, col_label, _value(cell),
                         _shown(cell, threshold)))
    rows.append((table.key, table.title, "Total", "", _value(table.total),
                 _shown(table.total, threshold)))
    return rows


def table_columns(citation: str, about_students: bool) -> tuple[Column, ...]:
    """The long-format table columns; counts about students cite the suppression rule."""
    privacy = "WAC 392-117-060" if about_students else citation
    groups = "RCW 28A.300.042" if about_students else citation
    return (
        Column("table", "the report table's key", citation),
        Column("title", "the report table's title", citation),
        Column("group", "the group or category (row)", groups),
        Column("by", "the second grouping (column), blank for a one-way table", groups),
        Column("count", "the count; blank when hidden to protect students", privacy),
        Column("shown", "the count as published (a hidden count reads as the report shows it)",
               privacy),
    )


def incidents_file(report: AnnualReport) -> DataFile:
    threshold = report.threshold
    rows: list[tuple[Any, ...]] = [
        ("incidents.total", "Incidents that resulted in discipline, use of force or arrest",
         "All", "", _value(report.incidents_total), _shown(report.incidents_total, threshold)),
    ]
    tables: list[OneWayTable | TwoWayTable] = [*report.student_tables, *report.cross_tables]
    for table in tables:
        rows.extend(_table_rows(table, threshold))
    return DataFile(
        "c_incidents",
        "Incidents involving safety and security staff that resulted in student discipline, use "
        "of force against a student, or a student arrest, by student race/ethnicity, other "
        "demographics and IEP/504 status", C, table_columns(C, True), tuple(rows),
        ("Public figures: groups under the threshold are hidden, with complementary "
         "suppression, so no student can be identified (WAC 392-117-060). The description of "
         "each incident with each student's demographics is kept in the internal edition of "
         "the annual report and is not placed in this package, which OSPI makes public "
         "(RCW 28A.320.1241(2)(b)).",),
    )


def complaints_file(report: AnnualReport) -> DataFile:
    complaints = report.complaints
    threshold = report.threshold
    rows: list[tuple[Any, ...]] = []
    if complaints.tracked:
        rows.append(("complaints.by_law", "Complaints about job duties or student interactions",
                     "All", "", _value(complaints.counted_by_law),
                     _shown(complaints.counted_by_law, threshold)))
        rows.append(("complaints.total", "All complaints received", "All", "",
                     _value(complaints.total), _shown(complaints.total, threshold)))
        for table in complaints.tables:
            rows.extend(_table_rows(table, threshold))
    return DataFile(
        "d_complaints",
        "Complaints related to job duties and student interactions filed against safety and "
        "security staff", D, table_columns(D, False), tuple(rows),
        () if complaints.tracked else (complaints.note,),
    )


def other_file(report: AnnualReport) -> DataFile:
    threshold = report.threshold
    rows: list[tuple[Any, ...]] = [
        ("calls.total", "Calls for law enforcement service", "All", "",
         _value(report.calls_total), _shown(report.calls_total, threshold)),
    ]
    for table in report.call_tables:
        rows.extend(_table_rows(table, threshold))
    return DataFile(
        "e_other", "Other school safety and security information: calls for law enforcement "
        "service and their outcomes (the district policies' collection)", E, table_columns(E, True),
        tuple(rows),
        ("RCW 28A.320.1241(1)(e) covers other information OSPI requires; OSPI has named none "
         "yet. The calls for service and their outcomes are what the district policies (Policy "
         "4311 and the SRO procedures) collect.",),
    )


def data_files(report: AnnualReport, people: Sequence[StaffRow]) -> tuple[DataFile, ...]:
    return (staff_file(report, people), agencies_file(report), incidents_file(report),
            complaints_file(report), other_file(report))


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    # a spreadsheet opening the CSV must not run a name as a formula
    return "'" + text if text.startswith(_FORMULA_START) else text


def csv_bytes(data: DataFile) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in data.columns])
    for row in data.rows:
        writer.writerow([_csv_text(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")


def json_bytes(data: DataFile, report: AnnualReport) -> bytes:
    payload = {
        "layout": LAYOUT,
        "item": data.stem,
        "title": data.title,
        "citation": data.citation,
        "district": report.district_name,
        "school_year": report.school_year,
        "period": {"start": report.period.start.isoformat(), "end": report.period.end.isoformat()},
        "threshold": report.threshold,
        "columns": [{"name": c.name, "meaning": c.meaning, "citation": c.citation}
                    for c in data.columns],
        "rows": [dict(zip((c.name for c in data.columns), row, strict=True))
                 for row in data.rows],
        "notes": list(data.notes),
    }
    return (json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n").encode()


def readme_text(report: AnnualReport, files: Sequence[DataFile],
                agreements: Sequence[AgreementPdf], made_on: str) -> str:
    lines = [
        f"OSPI package ({LAYOUT}) - {report.district_name}, school year {report.school_year}",
        f"Period: {report.period.text()}. Made {made_on} by SRO Desk.",
        "",
        "What RCW 28A.320.1241(1) asks each district to collect every year, and (2)(a) to "
        "submit to OSPI with the agreements adopted under RCW 28A.320.1242.",
        OSPI_NOTE,
        "",
        "Each item is given twice, with the same rows: NAME.csv (UTF-8, one header row; a text "
        "that begins with = + - or @ is written with a leading apostrophe so a spreadsheet "
        "shows it as text) and NAME.json (the same rows, with the column list and notes).",
        "",
    ]
    for data in files:
        lines += [f"{data.stem}.csv / {data.stem}.json - {data.title} ({data.citation})"]
        for column in data.columns:
            lines.append(f"    {column.name}: {column.meaning} [{column.citation}]")
        lines += [f"    Note: {n}" for n in data.notes]
        lines.append("")
    lines.append("agreements/ - each adopted agreement's checklist as a PDF "
                 "(RCW 28A.320.1241(2)(a); RCW 28A.320.1242):")
    lines += [f"    {a.filename}" for a in agreements] or ["    none adopted for the year"]
    lines.append("")
    return "\r\n".join(lines)


def _fill(folder: Path, report: AnnualReport, people: Sequence[StaffRow],
          agreements: Sequence[AgreementPdf], made_on: str,
          is_cancelled: Callable[[], bool] | None) -> list[Path]:
    files = data_files(report, people)
    written: list[Path] = []
    for data in files:
        for suffix, payload in ((".csv", csv_bytes(data)), (".json", json_bytes(data, report))):
            path = folder / f"{data.stem}{suffix}"
            path.write_bytes(payload)
            written.append(path)
    (folder / "agreements").mkdir()
    for agreement in agreements:
        if is_cancelled is not None and is_cancelled():
            raise SroDeskError("The package was cancelled; nothing was written.")
        written.append(agreement.write(folder / "agreements" / agreement.filename))
    readme = folder / "README.txt"
    readme.write_text(readme_text(report, files, agreements, made_on), encoding="utf-8")
    written.append(readme)
    return written


def write_package(
    dest: Path | str,
    report: AnnualReport,
    people: Sequence[StaffRow],
    agreements: Sequence[AgreementPdf],
    made_on: str,
    *,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """Write the package to ``dest``: a folder, or a zip when ``dest`` ends in ``.zip``."""
    dest = Path(dest).expanduser()
    if not dest.parent.is_dir():
        raise ValidationError(f"The folder {dest.parent} does not exist.")
    if dest.exists():
        raise ValidationError(
            f"{dest.name} already exists; choose a new name so nothing is replaced.")
    try:
        with tempfile.TemporaryDirectory(prefix=".ospi-", dir=dest.parent) as work:
            folder = Path(work) / "package"
            folder.mkdir()
            _fill(folder, report, people, agreements, made_on, is_cancelled)
            if is_cancelled is not None and is_cancelled():
                raise SroDeskError("The package was cancelled; nothing was written.")
            if dest.suffix.lower() == ".zip":
                staged = Path(work) / "package.zip"
                with zipfile.ZipFile(staged, "w", zipfile.ZIP_DEFLATED) as archive:
                    for path in sorted(folder.rglob("*")):
                        if path.is_file():
                            archive.write(path, path.relative_to(folder).as_posix())
                os.replace(staged, dest)
            else:
                shutil.move(str(folder), str(dest))
    except OSError as error:
        raise SroDeskError(
            f"The package could not be written to {dest}: {error.strerror or error}. "
            "Nothing was written.") from None
    return dest


def made_on_text(day: Any) -> str:
    return format_date(day)
