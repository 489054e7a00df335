"""Readers that do not trust a file, and text that every workbook can hold.

- a 5 KB .xlsx declaring ``<dimension ref="A1:XFD1048576"/>`` is read in well under a second;
  one whose real cells span that grid is refused in words, without laying it out;
- a hidden first sheet is never read: the sheet the workbook opens on is, and the result says so;
- one Windows-1252 byte in an otherwise UTF-8 CSV is refused naming its row (not decoded as
  Windows-1252 throughout, which would garble every accented name);
- a 10 MB line of short fields gives a capped list, "and N more problems";
- XML-illegal characters (U+FFFE, U+FFFF, C0 controls, lone surrogates) become U+FFFD on import
  and again on export, so every workbook the program writes opens again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import MAX_LISTED_PROBLEMS, ImportRefused, RowProblem
from sro_desk.domain.text import has_xml_illegal, xml_safe
from sro_desk.services.tabular import read_table
from tests.conftest import District


def _workbook(path: Path, *, dimension: str | None = None, hidden_first: bool = False,
              far_cell: str | None = None) -> Path:
    book = openpyxl.Workbook()
    first = book.active
    if hidden_first:
        first.title = "Old data"
        first.append(["Secret", "Header"])
        first.append(["hidden", "row"])
        first.sheet_state = "hidden"
        sheet = book.create_sheet("Staff")
        book.active = 1
    else:
        sheet = first
        sheet.title = "Staff"
    sheet.append(["First name", "Last name", "Start"])
    sheet.append(["Ana", "Núñez", dt.date(2026, 9, 2)])
    sheet.append(["Bo", "Ōta", dt.date(2026, 9, 3)])
    if far_cell:
        sheet[far_cell] = "x"
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    if dimension is not None:
        source = zipfile.ZipFile(io.BytesIO(data))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                part = source.read(info.filename)
                if info.filename.startswith("xl/worksheets/"):
                    part = re.sub(rb'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>'.encode(), part)
                target.writestr(info, part)
        data = out.getvalue()
    path.write_bytes(data)
    return path


def test_declared_dimension_is_not_trusted(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "bomb.xlsx", dimension="A1:XFD1048576")
    assert path.stat().st_size < 10_000
    assert b"XFD1048576" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml")
    started = time.perf_counter()
    data = read_table(path)
    assert time.perf_counter() - started < 3
    assert data.headers == ("first_name", "last_name", "start")
    assert next(row for _n, row in data.rows) == {"first_name": "Ana", "last_name": "Núñez", "start": dt.date(2026, 9, 2)}


def test_real_cells_spanning_an_absurd_grid_are_refused_fast(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "far.xlsx", far_cell="XFD1000000")
    started = time.perf_counter()
    with pytest.raises(ImportRefused, match=r"row 1,000,000 and column 16,384"):
        read_table(path)
    assert time.perf_counter() - started < 3


def test_a_hidden_first_sheet_is_not_read(tmp_path: Path) -> None:
    data = read_table(_workbook(tmp_path / "hidden.xlsx", hidden_first=True))
    assert data.headers == ("first_name", "last_name", "start")
    assert "Read the sheet 'Staff' of hidden.xlsx" in data.sheet_note
    assert "hidden sheet 'Old data' not read" in data.sheet_note


def test_the_active_sheet_is_read_and_named(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "Instructions"
    book.active.append(["Read me"])
    staff = book.create_sheet("Staff")
    staff.append(["First name"])
    staff.append(["Ana"])
    book.active = 1
    path = tmp_path / "two.xlsx"
    book.save(path)
    data = read_table(path)
    assert data.headers == ("first_name",)
    assert data.sheet_note.startswith("Read the sheet 'Staff' of two.xlsx (the sheet it opens on")


def test_roster_import_says_which_sheet_it_read(district: District, tmp_path: Path) -> None:
    from sro_desk.services.roster_import import COLUMNS, import_roster

    book = openpyxl.Workbook()
    book.active.title = "Hidden"
    book.active.sheet_state = "hidden"
    sheet = book.create_sheet("People")
    book.active = 1
    sheet.append(list(COLUMNS))
    values = {"first_name": "Ana", "last_name": "Núñez", "role": "school security officer",
              "commissioned": "no", "employer": "Guardian Security LLC", "buildings": "THS:5",
              "status": "pending"}
    sheet.append([values.get(c, "") for c in COLUMNS])
    path = tmp_path / "r.xlsx"
    book.save(path)
    result = import_roster(path)
    assert "Read the sheet 'People' of r.xlsx" in result.summary
    assert "hidden sheet 'Hidden' not read" in result.summary


def test_one_windows_1252_byte_in_a_utf8_csv_is_refused_by_row(tmp_path: Path) -> None:
    path = tmp_path / "mixed.csv"
    path.write_bytes("First name,Last name\nJosé,Núñez\nAna,Ibáñez\n".encode() + b"Ren\xe9,Dupont\n")
    with pytest.raises(ImportRefused) as caught:
        read_table(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(4, "First name")]
    assert "0xE9" in str(caught.value) and "'é'" in str(caught.value)


def test_a_windows_1252_csv_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "legacy.csv"
    path.write_bytes("First name,Last name\nJosé,Núñez\n".encode("cp1252"))
    assert read_table(path).rows[0][1] == {"first_name": "José", "last_name": "Núñez"}


@pytest.mark.slow
def test_a_ten_megabyte_line_gives_a_capped_list(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_bytes(b"a\n" + b"x," * 5_000_000 + b"\n")
    started = time.perf_counter()
    with pytest.raises(ImportRefused) as caught:
        read_table(path)
    refusal = caught.value
    assert refusal.total == 4_999_999  # every field but the first stands under no header
    assert len(refusal.problems) == MAX_LISTED_PROBLEMS
    lines = refusal.listed_lines()
    assert lines[-1] == f"… and {4_999_999 - MAX_LISTED_PROBLEMS:,} more problems"
    assert len(str(refusal)) < 10_000
    assert time.perf_counter() - started < 30  # about 6 s on the 2-core build machine


def test_cli_prints_a_capped_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.cli import _print_error

    _print_error(ImportRefused([RowProblem(i + 2, "x", "bad") for i in range(5_000)]))
    err = capsys.readouterr().err
    assert err.count("\n") == 1 + MAX_LISTED_PROBLEMS + 1
    assert "… and 4,800 more problems" in err
    assert "5,000 problems found" in err


def test_xml_illegal_characters_are_cleaned_on_import(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_text("Name,Notes\nAna\ufffe,bell\x07 and \uffff\n", encoding="utf-8")
    row = read_table(path).rows[0][1]
    assert row == {"name": "Ana\ufffd", "notes": "bell\ufffd and \ufffd"}


ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=40)


@given(text=ANY_TEXT)
@settings(max_examples=300, deadline=None)
def test_cleaned_text_is_always_xml_safe(text: str) -> None:
    cleaned = xml_safe(text)
    assert not has_xml_illegal(cleaned)
    assert len(cleaned) == len(text)  # replaced one for one, never dropped
    cleaned.encode("utf-8")  # a lone surrogate would raise here


@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=6))
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_written_by_put_opens_again(texts: list[str], tmp_path: Path) -> None:
    from sro_desk.exports.xlsx_util import new_workbook, save_workbook, write_table

    book = new_workbook()
    write_table(book.active, ["Value"], [[t] for t in texts])
    path = save_workbook(book, tmp_path / "any.xlsx")
    read = openpyxl.load_workbook(path)
    values = [c.value for c in read.active["A"]][1:]
    # XML itself reads a carriage return as a line feed
    assert values == [xml_safe(t).replace("\r\n", "\n").replace("\r", "\n") or None for t in texts]


@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=4))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_text_in_a_pdf_paragraph_builds(texts: list[str], tmp_path: Path) -> None:
    from sro_desk.exports.pdf_util import build_pdf, data_table, para

    story = [para(t) for t in texts] + [data_table(["A"], [[t] for t in texts])]
    build_pdf(tmp_path / "any.pdf", story, title=texts[0], district=texts[-1])
    assert (tmp_path / "any.pdf").read_bytes().startswith(b"%PDF")


HOSTILE = "Ana \ufffe\uffff bell\x07 tab\x0b end"


def test_every_workbook_opens_with_hostile_text_stored_earlier(demo_db: Path, tmp_path: Path) -> None:
    """Text stored before the import rule (straight through the store) is cleaned on export."""
    from sro_desk.cli import main
    from sro_desk.store import roster_repo
    from sro_desk.store import settings as store_settings

    for member in roster_repo.list_staff()[:5]:
        roster_repo.save_staff(replace(member, first_name=HOSTILE, notes=HOSTILE))
    store_settings.set_setting(store_settings.DISTRICT_NAME, "District \uffff\x01")
    from sro_desk.store.database import close_database

    close_database()
    out = tmp_path / "out"
    out.mkdir()
    runs = {
        "roster.xlsx": ["export", "roster", "--xlsx"],
        "training.xlsx": ["export", "training", "--as-of", "2026-11-26", "--xlsx"],
        "annual.xlsx": ["report", "annual", "--year", "2025-26", "--edition", "internal", "--xlsx"],
        "complaints.xlsx": ["export", "complaints", "--year", "2025-26", "--xlsx"],
        "template.xlsx": ["template", "roster"],
    }
    for name, argv in runs.items():
        args = [*argv, str(out / name)]
        if argv[0] != "template":
            args += ["--db", str(demo_db)]
        assert main(args) == 0, name
        book = openpyxl.load_workbook(out / name)  # the full parser: refuses malformed XML
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                for value in row:
                    assert not (isinstance(value, str) and has_xml_illegal(value)), (name, value)
