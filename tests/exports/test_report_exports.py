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
    assert notes["Reporting period"] == "1 July 2025 to 30 June 2026"
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
    from sro_desk.exports.atomic import ExportFailed

    with pytest.raises(ExportFailed, match="does not exist"):  # in words, not an OSError
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


def test_workbook_stores_numbers_and_every_table_is_filterable(tmp_path: Path) -> None:
    report = make_report(Edition.INTERNAL)
    book = openpyxl.load_workbook(write_report_xlsx(report, tmp_path / "r.xlsx"))
    assert "Calls by who initiated" in book.sheetnames
    assert not any("initiated by" in name for name in book.sheetnames)
    sheet = book["Calls by building"]
    header = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Building")
    share = sheet.cell(header + 1, 3)
    assert isinstance(share.value, float) and share.number_format == "0.0%"
    assert 0 < share.value < 1
    ages = book["Students by age"]
    age_header = next(r[0].row for r in ages.iter_rows() if r[0].value == "Age")
    assert ages.cell(age_header + 1, 1).value == 5  # a number, not the text "5"
    for name in book.sheetnames[1:]:
        table = book[name]
        assert table.freeze_panes is not None, name
        assert table.auto_filter.ref, name
        first = int(table.auto_filter.ref.split(":")[0][1:])
        assert table.freeze_panes == f"A{first + 1}", name
    incidents = book["Incidents"]
    dates = [r[1] for r in incidents.iter_rows() if isinstance(r[1].value, dt.datetime)]
    assert dates and all(c.number_format == "d mmmm yyyy" for c in dates)
    agencies = [r for r in book["Agencies"].iter_rows(values_only=True) if r and r[0]]
    assert ("Name", "Adopted agreement") in agencies


def test_hidden_bars_have_no_number_and_say_hidden() -> None:
    from sro_desk.domain.annual_report import Figure
    from sro_desk.domain.suppression import CellState
    from sro_desk.exports.report_pdf import bar_chart, bar_values

    figures = [Figure(None, CellState.PRIMARY), Figure(33), Figure(0), Figure(None,
                                                                           CellState.COMPLEMENTARY)]
    values, texts = bar_values(figures)
    assert values == [None, 33, 0, None] and texts == ["", "33", "0", ""]
    drawing = bar_chart("Calls by building", ["Alder Elementary School", "Cedar High", "Elm",
                                              "Fir"], figures, 10, 700)
    chart = drawing.contents[-1]
    names = list(reversed(chart.categoryAxis.categoryNames))
    assert names[0] == "Alder Elementary School (hidden: <10)" and names[3] == "Fir (hidden: *)"
    assert list(reversed(chart.data[0])) == [None, 33, 0, None]  # no zero-length bar
    assert chart.barLabelArray[0][-1] == ""  # and no "0" beside it


@pytest.mark.parametrize("edition", list(Edition))
def test_pdf_dates_words_and_definitions(tmp_path: Path, edition: Edition) -> None:
    report = make_report(edition, n=400)
    text = "\n".join(page.extract_text() for page in
                     PdfReader(write_report_pdf(report, tmp_path / "r.pdf")).pages)
    assert "1 July 2025 to 30 June 2026" in text and "July 1, 2025" not in text
    assert "<=10" not in text and "10 and under" in text
    # wide tables size columns to their longest word: nothing is broken mid-word
    assert "admin\nistration" not in text and "\nistration" not in text
    if edition is Edition.INTERNAL:
        assert "Suppression." not in text
        incident = report.incidents[0]
        from sro_desk.domain.dates import format_date

        assert format_date(incident.occurred_on) in text
    else:
        assert "Suppression." in text


def test_wide_table_columns_fit_their_longest_word() -> None:
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from sro_desk.exports.pdf_util import STYLES
    from sro_desk.exports.report_pdf import column_widths

    head = ParagraphStyle("h", parent=STYLES["CellHead"], fontSize=7)
    body = ParagraphStyle("b", parent=STYLES["Cell"], fontSize=7.5)
    headers = ["Race/ethnicity", "no action", "returned to school administration", "Total"]
    widths = column_widths(headers, [["White", "1", "2", "3"]], 400, head, body, 3, first=120)
    assert widths is not None and sum(widths) == pytest.approx(400)
    assert widths[2] >= stringWidth("administration", head.fontName, 7) + 6
    assert column_widths(headers, [], 60, head, body, 3, first=120) is None


def test_long_bar_charts_continue_on_one_scale() -> None:
    """A district with 100 buildings: the chart is split so every part fits on a page."""
    from sro_desk.domain.annual_report import Figure
    from sro_desk.exports.report_pdf import ROWS_PER_CHART, bar_charts

    labels = [f"School {i:03d}" for i in range(60)]
    figures = [Figure(value=i) for i in range(60)]
    parts = bar_charts("Calls by building", labels, figures, 10, 700.0)
    assert len(parts) == -(-60 // ROWS_PER_CHART)
    assert all(part.height < 500 for part in parts)
    scales = {part.contents[-1].valueAxis.valueMax for part in parts}
    assert len(scales) == 1
