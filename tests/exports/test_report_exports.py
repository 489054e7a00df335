"""Annual report files read back: JSON, workbook (text stays text) and PDF (escaped, charted)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sro_desk.domain.annual_report import (
    AnnualReport,
    Edition,
    ReportInputs,
    StaffPlacement,
    build_annual_report,
    reporting_period,
)
from sro_desk.domain.report_json import report_to_data
from sro_desk.exports.report_json import write_report_json
from sro_desk.exports.report_pdf import write_report_pdf
from sro_desk.exports.report_xlsx import sheet_title, write_report_xlsx
from sro_desk.services.calls_import import builtin_labels
from tests.domain.test_report_annual import generate

FORMULA = '=HYPERLINK("http://evil.example","click")'


def make_report(edition: Edition, n: int = 250) -> AnnualReport:
    labels = builtin_labels()
    calls = generate(labels, n, seed=21, start=dt.date(2025, 7, 1))
    # an incident whose description looks like a formula
    target = next(c for c in calls if c.is_incident and c.occurred_on >= dt.date(2025, 7, 1)
                  and c.occurred_on <= dt.date(2026, 6, 30))
    calls[calls.index(target)] = dataclasses.replace(target, description=FORMULA)
    inputs = ReportInputs(
        district_name="Cedar <Valley> & Sons SD", period=reporting_period("2025-26"),
        calls=calls, labels=labels, buildings=["North High", "South Middle", "Elm Elementary"],
        staff=[StaffPlacement("1", "North High", 5)], agencies=["Cedar PD"],
    )
    return build_annual_report(inputs, edition)


@pytest.mark.parametrize("edition", list(Edition))
def test_json_file_equals_the_report_data(tmp_path: Path, edition: Edition) -> None:
    report = make_report(edition)
    path = write_report_json(report, tmp_path / "report.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data == json.loads(json.dumps(report_to_data(report)))
    assert data["edition"] == str(edition) and data["threshold"] == 10
    by_age = data["students"]["by_age"]
    if edition is Edition.PUBLIC:
        assert None in by_age.values()
        assert all(v is None or v == 0 or v >= 10 for v in by_age.values())
    else:
        assert None not in by_age.values()


def test_workbook_has_notes_and_a_sheet_per_table(tmp_path: Path) -> None:
    report = make_report(Edition.PUBLIC)
    book = openpyxl.load_workbook(write_report_xlsx(report, tmp_path / "r.xlsx"))
    assert book.sheetnames[0] == "Notes"
    notes: dict[object, object] = {}
    for row in book["Notes"].iter_rows(values_only=True):
        if row:
            notes.setdefault(row[0], row[1] if len(row) > 1 else None)
    assert notes["Edition"] == "Public edition"
    assert notes["Reporting period"] == "2025-07-01 to 2026-06-30"
    assert "<10" in str(notes["Rule"])
    assert {"Calls by building", "Outcome by race", "Students by IEP", "Use of force by 504",
            "Staff", "Agencies", "Incidents"} <= set(book.sheetnames)
    sheet = book["Calls by building"]
    rows = [r for r in sheet.iter_rows(values_only=True)]
    header = rows.index(("Building", "Calls", "Share"))
    body = {r[0]: r[1] for r in rows[header + 1:]}
    table = report.table("calls", "by_building")
    for label, figure in zip(table.labels, table.cells, strict=True):  # type: ignore[union-attr]
        assert body[label] == (figure.value if not figure.hidden else figure.text(10))
    incidents = [r for r in book["Incidents"].iter_rows(values_only=True)]
    assert any("internal edition only" in str(r[0]) for r in incidents if r)


def test_formula_looking_description_stays_text(tmp_path: Path) -> None:
    report = make_report(Edition.INTERNAL)
    book = openpyxl.load_workbook(write_report_xlsx(report, tmp_path / "r.xlsx"))
    cells = [c for row in book["Incidents"].iter_rows() for c in row if c.value == FORMULA]
    assert cells, "the description was not written"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells)


def test_sheet_titles_are_legal_and_unique() -> None:
    used: set[str] = set()
    assert sheet_title("Outcome by race/ethnicity", used) == "Outcome by race-ethnicity"
    long = "Involved students whose call resulted in school discipline"
    first, second = sheet_title(long, used), sheet_title(long, used)
    assert len(first) <= 31 and len(second) <= 31 and first != second


@pytest.mark.parametrize("edition", list(Edition))
def test_pdf_reads_back_with_escaped_names(tmp_path: Path, edition: Edition) -> None:
    report = make_report(edition)
    reader = PdfReader(write_report_pdf(report, tmp_path / "r.pdf"))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Cedar <Valley> & Sons SD" in text
    assert "2025-26" in text and "Calls by building" in text
    assert "Outcome by race/ethnicity" in text
    if edition is Edition.PUBLIC:
        assert "<10" in text and "Public edition" in text
        assert "Incidents (internal edition only)" not in text
    else:
        assert "not for public release" in text and "CONFIDENTIAL" in text


def test_failed_write_leaves_no_partial_file(tmp_path: Path) -> None:
    report = make_report(Edition.PUBLIC, n=30)
    missing = tmp_path / "no-such-folder" / "r.xlsx"
    with pytest.raises(OSError):
        write_report_xlsx(report, missing)
    assert not missing.exists()


def test_pdf_pages_look_right_as_images(tmp_path: Path) -> None:
    """Render the board PDF and look at it: charts drawn in the report colour, tables inked."""
    import shutil
    import subprocess

    from PIL import Image

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    report = make_report(Edition.PUBLIC, n=400)
    pdf = write_report_pdf(report, tmp_path / "r.pdf")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / "page")],
                   check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(PdfReader(pdf).pages)
    first = Image.open(pages[0]).convert("RGB")
    width, height = first.size
    assert width > height  # landscape for wide tables

    def share(image: Image.Image, test: object) -> float:
        pixels = list(image.get_flattened_data())
        return sum(1 for p in pixels if test(p)) / len(pixels)  # type: ignore[operator]

    bar_blue = share(first, lambda p: abs(p[0] - 0x1F) < 25 and abs(p[1] - 0x4E) < 25
                     and abs(p[2] - 0x79) < 25)
    assert bar_blue > 0.01, "the first page should show the bar charts"
    for page in pages:
        image = Image.open(page).convert("L")
        inked = share(image, lambda p: p < 128)
        assert 0.002 < inked < 0.5, f"{page.name} looks blank or solid"
