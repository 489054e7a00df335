"""The agreement commands, run through ``cli.main``."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from pypdf import PdfReader

from sro_desk.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEM, main
from sro_desk.domain.agreements import Agreement, ChecklistEntry, ItemStatus
from sro_desk.services import agreements
from tests.agreement_support import close, fake_clearance, make_district, open_fresh


@pytest.fixture
def db_file(tmp_path, monkeypatch):
    path = tmp_path / "cli.db"
    open_fresh(path)
    district = make_district()
    saved = agreements.new_agreement(Agreement(
        "2025-26", district.police.id, "", "SRO agreement 2025-26", adopted_on=None))
    agreements.save_entry(saved.id, ChecklistEntry(
        "complaint_process", ItemStatus.MET, section="§7", evidence="=SUM(A1)",
        checked_by="Dana", checked_on=dt.date(2025, 8, 1)), dt.date(2026, 11, 26))
    close()
    fake_clearance(monkeypatch, lacking=set())
    return path, district


def test_export_agreement_pdf_and_xlsx(db_file, tmp_path, capsys):
    path, district = db_file
    pdf, xlsx = tmp_path / "c.pdf", tmp_path / "c.xlsx"
    code = main(["export", "agreement", "--db", str(path), "--year", "2025-26",
                 "--provider", str(district.police.id), "--pdf", str(pdf), "--xlsx", str(xlsx)])
    assert code == EXIT_OK
    assert f"Wrote {pdf}" in capsys.readouterr().out
    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert "Cascade Police Department" in text and "1 of 14 met" in text
    sheet = openpyxl.load_workbook(xlsx)["Checklist"]
    assert any(c.value == "=SUM(A1)" and c.data_type == "s" for row in sheet.iter_rows() for c in row)


def test_export_handout(db_file, tmp_path):
    path, district = db_file
    pdf = tmp_path / "h.pdf"
    assert main(["export", "handout", "--db", str(path), "--year", "2026-27",
                 "--building", str(district.high.id), "--pdf", str(pdf)]) == EXIT_OK
    text = " ".join(PdfReader(str(pdf)).pages[0].extract_text().split())
    assert "Safety and security staff at Cedar High School" in text
    assert "Maria O'Brien <Jr>" in text


def test_unknown_agreement_or_building_is_one_line_in_words(db_file, tmp_path, capsys):
    path, district = db_file
    assert main(["export", "agreement", "--db", str(path), "--year", "2030-31", "--provider",
                 str(district.police.id), "--pdf", str(tmp_path / "x.pdf")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.strip() == ("sro-desk: There is no agreement with Cascade Police Department "
                           "for 2030-31.")
    assert main(["export", "handout", "--db", str(path), "--year", "2026-27",
                 "--building", "999", "--pdf", str(tmp_path / "y.pdf")]) == EXIT_ERROR
    assert "Building 999 does not exist." in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "y.pdf").exists()


def test_new_year_twice_and_list(db_file, capsys):
    path, _district = db_file
    assert main(["agreements", "new-year", "--db", str(path), "--from", "2025-26"]) == EXIT_OK
    assert main(["agreements", "new-year", "--db", str(path), "--from", "2025-26"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out == ["1 draft agreement created for 2026-27.",
                   "No new drafts: every 2025-26 agreement already has one for 2026-27."]
    assert main(["agreements", "list", "--db", str(path), "--year", "2026-27"]) == EXIT_OK
    listed = capsys.readouterr().out
    assert "Cascade Police Department — SRO agreement 2026-27 — Draft — 0 of 14 met" in listed


def test_attention_exits_1_when_something_needs_attention(db_file, capsys):
    path, _district = db_file
    assert main(["agreements", "attention", "--db", str(path)]) == EXIT_PROBLEM
    out = capsys.readouterr().out
    assert "supplies staff but has no agreement" in out
