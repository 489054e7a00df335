from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from sro_desk.services.roster_export import export_roster
from sro_desk.store import roster_repo
from tests.conftest import District

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+cmd|' /C calc'!A0", "@SUM(1)", "O'Brien <Jr> & Sons", "<b>", "<img src=x>", "-2+3"]


def test_roster_xlsx_keeps_every_string_as_text(district: District, tmp_path: Path) -> None:
    sro = district.staff["sro"]
    roster_repo.save_staff(replace(sro, notes="\n".join(HOSTILE), badge_number=HOSTILE[0]))
    out = tmp_path / "roster.xlsx"
    export_roster(xlsx=out)
    book = openpyxl.load_workbook(out)
    sheet = book["Roster"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    headers = values[0]
    rivera = dict(zip(headers, next(v for v in values if v[0] == "Rivera"), strict=True))
    assert rivera["Badge / employee no."] == HOSTILE[0]
    assert rivera["Notes"] == "\n".join(HOSTILE)
    assert rivera["Training"].startswith(("may be assigned", "not to be assigned"))
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", f"{cell.coordinate} became a formula"
    assert sheet.freeze_panes == "A5"  # title, subtitle, blank, header
    assert sheet.auto_filter.ref is not None
    by_building = book["By building"]
    rows = {r[1]: r for r in by_building.iter_rows(min_row=2, values_only=True)}
    assert rows["THS"][3] == 2 and rows["THS"][4] == 8


def test_roster_pdf_renders_names_literally(district: District, tmp_path: Path) -> None:
    sro = district.staff["sro"]
    roster_repo.save_staff(replace(sro, last_name="O'Brien <Jr> & Sons", first_name="<b>Pat"))
    out = tmp_path / "roster.pdf"
    export_roster(pdf=out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "O'Brien <Jr> & Sons" in text
    assert "<b>Pat" in text
    assert "Test Valley School District" in text
    assert "Guardian Security LLC" in text


def test_page_header_prints_a_non_latin_district_name(district: District, tmp_path: Path) -> None:
    from sro_desk.store import settings

    settings.set_setting(settings.DISTRICT_NAME, "Học khu Thủy Tiên")
    out = tmp_path / "roster.pdf"
    export_roster(pdf=out)
    text = PdfReader(out).pages[0].extract_text()
    assert text.count("Học khu Thủy Tiên") >= 2  # the header and the subtitle
