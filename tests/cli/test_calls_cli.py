"""``sro-desk import calls`` and ``sro-desk report annual`` through ``cli.main``."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from sro_desk import cli
from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import COLUMNS
from sro_desk.store import call_repo, roster_repo
from sro_desk.store.database import close_database, open_database
from tests.services.test_calls_import import GOOD


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "cli.db"
    open_database(path, daily_backup=False)
    roster_repo.save_building(Building(None, "North High", "NHS"))
    roster_repo.save_building(Building(None, "Elm Elementary", "ELM"))
    close_database()
    return path


def write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def count(db_path: Path) -> int:
    open_database(db_path, daily_backup=False)
    try:
        return call_repo.call_count()
    finally:
        close_database()


def test_import_then_report(db_path: Path, tmp_path: Path,
                            capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["import", "calls", str(write(tmp_path / "c.csv", GOOD)),
                     "--db", str(db_path)]) == 0
    assert "Imported 2 calls with 2 involved students" in capsys.readouterr().out
    out_json, out_xlsx, out_pdf = tmp_path / "r.json", tmp_path / "r.xlsx", tmp_path / "r.pdf"
    assert cli.main(["report", "annual", "--db", str(db_path), "--year", "2025-26",
                     "--edition", "internal", "--json", str(out_json), "--xlsx", str(out_xlsx),
                     "--pdf", str(out_pdf)]) == 0
    data = json.loads(out_json.read_text(encoding="utf-8"))
    assert data["calls"]["total"] == 2 and data["students"]["by_outcome"]["arrest"] == 1
    assert out_xlsx.stat().st_size > 0 and out_pdf.read_bytes().startswith(b"%PDF")


def test_bad_file_is_refused_in_words(db_path: Path, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    rows = [list(r) for r in GOOD]
    rows[0][9] = "30"
    assert cli.main(["import", "calls", str(write(tmp_path / "bad.csv", rows)),
                     "--db", str(db_path)]) == cli.EXIT_ERROR
    err = capsys.readouterr().err
    assert "Nothing was changed" in err and "row 2, column 'student_age'" in err
    assert "Traceback" not in err
    assert count(db_path) == 0


def test_report_needs_an_output_and_a_real_year(db_path: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["report", "annual", "--db", str(db_path), "--year", "2025-26"]) == 2
    assert "--json" in capsys.readouterr().err
    assert cli.main(["report", "annual", "--db", str(db_path), "--year", "2025",
                     "--json", str(tmp_path / "x.json")]) == 2
    assert "not a school year" in capsys.readouterr().err


def test_report_refuses_a_year_not_set_up(db_path: Path, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "x.json"
    assert cli.main(["report", "annual", "--db", str(db_path), "--year", "2031-32",
                     "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert "2031-32 is not set up as a school year" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert not out.exists()
