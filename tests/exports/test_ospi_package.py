"""The OSPI package (layout v1): a CSV and a JSON per item of RCW 28A.320.1241(1)(a)-(e), a README
listing every column with its citation, the adopted agreements as PDFs; nothing written halfway."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import pytest

from sro_desk import cli
from sro_desk.domain.errors import ValidationError
from sro_desk.services.ospi_package import write_ospi_package

DAY = dt.date(2026, 11, 26)
ITEMS = ("a_staff", "b_agencies", "c_incidents", "d_complaints", "e_other")


def test_the_package_as_a_zip_holds_every_item_with_citations(demo_db: Path, tmp_path: Path
                                                              ) -> None:
    dest = write_ospi_package("2025-26", tmp_path / "ospi.zip", today=DAY)
    with zipfile.ZipFile(dest) as archive:
        names = set(archive.namelist())
        for stem in ITEMS:
            assert f"{stem}.csv" in names and f"{stem}.json" in names
        readme = archive.read("README.txt").decode("utf-8")
        agreements = [n for n in names if n.startswith("agreements/")]
        staff = list(csv.DictReader(io.StringIO(archive.read("a_staff.csv").decode("utf-8-sig"))))
        incidents = json.loads(archive.read("c_incidents.json"))
        agencies = json.loads(archive.read("b_agencies.json"))
        for pdf in agreements:
            assert archive.read(pdf).startswith(b"%PDF")
    assert "ospi_package_v1" in readme and "checked 2 December 2026" in readme
    for item in "abcde":
        assert f"RCW 28A.320.1241(1)({item})" in readme
    assert "days_per_week:" in readme and "WAC 392-117-060" in readme
    assert agreements, "the demo district adopted agreements for 2025-26"
    # (a): per building, the district, and every person by position - never by name
    levels = {row["level"] for row in staff}
    assert levels == {"building", "district", "person"}
    people = [row for row in staff if row["level"] == "person"]
    assert people and all(row["position"][-1].isdigit() for row in people)
    from sro_desk.store import roster_repo

    names_on_roster = {m.full_name for m in roster_repo.list_staff()}
    assert not any(row["position"] in names_on_roster for row in people)
    assert all(float(row["days_per_week"]) > 0 for row in people)
    # (c): public counts only; a hidden count has no number
    assert incidents["citation"] == "RCW 28A.320.1241(1)(c)"
    for row in incidents["rows"]:
        if row["count"] is None:
            assert row["shown"]
    assert agencies["layout"] == "ospi_package_v1" and agencies["rows"]


def test_an_existing_destination_is_refused_and_nothing_is_left(demo_db: Path, tmp_path: Path
                                                                ) -> None:
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"mine")
    with pytest.raises(ValidationError, match="already exists"):
        write_ospi_package("2025-26", taken, today=DAY)
    assert taken.read_bytes() == b"mine"
    with pytest.raises(Exception, match="cancelled"):
        write_ospi_package("2025-26", tmp_path / "cancelled", today=DAY,
                           is_cancelled=lambda: True)
    assert not (tmp_path / "cancelled").exists()
    assert not any(p.name.startswith(".ospi-") for p in tmp_path.iterdir())


def test_the_cli_writes_a_folder(demo_db: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.store.database import close_database

    close_database()
    out = tmp_path / "package"
    assert cli.main(["report", "ospi-package", "--db", str(demo_db), "--year", "2025-26",
                     str(out)]) == 0
    assert "Wrote" in capsys.readouterr().out
    assert (out / "README.txt").is_file() and (out / "a_staff.csv").is_file()
    assert cli.main(["report", "ospi-package", "--db", str(demo_db), "--year", "2025-26",
                     str(out)]) == 2
    assert "already exists" in capsys.readouterr().err
