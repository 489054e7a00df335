"""Hiring commands through ``cli.main``: list, show (blind), export, sheet export and import."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sro_desk.cli import main
from sro_desk.domain.hiring_sheet import FIRST_ROW


def _round_ids(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, int]:
    assert main(["hiring", "list", "--db", str(demo_db)]) == 0
    out = capsys.readouterr().out
    ids = {}
    for line in out.splitlines():
        number, rest = line.split(":", 1)
        ids["decided" if "Harbor View" in rest else "scoring"] = int(number)
    return ids


def test_list_show_and_blind_show(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _round_ids(demo_db, capsys)
    assert main(["hiring", "show", "--db", str(demo_db), "--round", str(ids["scoring"])]) == 0
    out = capsys.readouterr().out
    assert "Scoring is blind" in out and "1 of 3 submitted" in out
    assert "panel mean" not in out
    assert main(["hiring", "show", "--db", str(demo_db), "--round", str(ids["decided"])]) == 0
    out = capsys.readouterr().out
    assert "2 (tie): Officer Dana Petrakis" in out and "2 (tie): Officer Thomas Nguyen" in out


def test_export_hiring_results(demo_db: Path, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    ids = _round_ids(demo_db, capsys)
    pdf, xlsx = tmp_path / "r.pdf", tmp_path / "r.xlsx"
    assert main(["export", "hiring", "--db", str(demo_db), "--round", str(ids["decided"]),
                 "--pdf", str(pdf), "--xlsx", str(xlsx)]) == 0
    text = "\n".join(p.extract_text() for p in PdfReader(pdf).pages)
    assert "Tie at rank 2" in text and "Officer Priya Raman" in text
    assert "Preferred candidate" in text
    assert openpyxl.load_workbook(xlsx)["Ranking"].cell(5, 1).value == 1  # a number, not text
    assert main(["export", "hiring", "--db", str(demo_db), "--round", str(ids["scoring"]),
                 "--pdf", str(tmp_path / "no.pdf")]) == 2
    assert "blind" in capsys.readouterr().err
    assert not (tmp_path / "no.pdf").exists()
    assert main(["export", "hiring", "--db", str(demo_db), "--round", "999",
                 "--pdf", str(pdf)]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_sheet_export_and_import(demo_db: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    ids = _round_ids(demo_db, capsys)
    rid = str(ids["scoring"])
    assert main(["hiring", "show", "--db", str(demo_db), "--round", rid]) == 0
    out = capsys.readouterr().out
    omar = next(line.split(":")[0].strip() for line in out.splitlines() if "Omar Haddad" in line)
    sheet = tmp_path / "omar.xlsx"
    assert main(["export", "hiring-sheet", "--db", str(demo_db), "--round", rid,
                 "--panelist", omar, "--xlsx", str(sheet), "--pdf", str(tmp_path / "o.pdf")]) == 0
    book = openpyxl.load_workbook(sheet)
    ws = book["Scores"]
    row = FIRST_ROW
    while ws.cell(row, 1).value is not None:
        ws.cell(row, 7).value = 3
        row += 1
    ws.cell(FIRST_ROW, 7).value = 1  # no justification: refused
    book.save(sheet)
    assert main(["import", "hiring-sheet", str(sheet), "--db", str(demo_db), "--round", rid]) == 2
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and "needs a written justification" in err
    ws.cell(FIRST_ROW, 8).value = "Could not describe any de-escalation step"
    book.save(sheet)
    assert main(["import", "hiring-sheet", str(sheet), "--db", str(demo_db), "--round", rid]) == 0
    assert "Imported Omar Haddad's score sheet" in capsys.readouterr().out
    assert main(["import", "hiring-sheet", str(sheet), "--db", str(demo_db), "--round", rid]) == 0
    assert "already imported" in capsys.readouterr().out


def test_justification_setting(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.store import hiring_repo

    assert main(["hiring", "justification", "no", "--db", str(demo_db),
                 "--reason", "Panel agreed comments suffice"]) == 0
    assert "no longer need" in capsys.readouterr().out
    from sro_desk.store.database import open_database

    open_database(demo_db, daily_backup=False)  # main() closed its own connection
    assert not hiring_repo.scoring_settings().require_extreme_justification
    assert main(["hiring", "justification", "yes", "--db", str(demo_db), "--reason", " "]) == 2


def test_reset_a_sheet_pin(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.services import hiring

    rid = next(r.id for r in hiring.list_rounds() if not r.revealed)
    assert rid is not None
    fisk = next(p for p in hiring.list_panelists(rid) if p.name == "Lt. Karen Fisk")
    assert fisk.id is not None
    hiring.set_panelist_pin(fisk.id, "4821", "4821")
    base = ["hiring", "reset-pin", "--db", str(demo_db), "--panelist", str(fisk.id)]
    assert main([*base, "--reason", " "]) == 2
    assert "reason" in capsys.readouterr().err
    assert main([*base, "--reason", "Forgot it; confirmed in person"]) == 0
    assert "Lt. Karen Fisk's sheet PIN was reset" in capsys.readouterr().out
    assert main([*base, "--reason", "again"]) == 2
    assert "has no PIN to reset" in capsys.readouterr().err
