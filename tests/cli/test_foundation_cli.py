from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from sro_desk import __version__
from sro_desk.cli import main


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "demo.db"
    assert main(["demo", str(path)]) == 0
    return path


def copy_of(demo_file: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "copy.db"
    shutil.copyfile(demo_file, target)
    return target


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert __version__ in capsys.readouterr().out


def test_demo_refuses_existing_file(demo_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", str(demo_file)]) == 2
    assert "already exists" in capsys.readouterr().err


def test_demo_district_shape(demo_file: Path, tmp_path: Path) -> None:
    conn = sqlite3.connect(copy_of(demo_file, tmp_path))
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("building_record", "provider_record", "staff_record", "school_year_record")}
    assert counts["building_record"] == 8
    assert counts["school_year_record"] == 2
    assert 13 <= counts["staff_record"] <= 20
    kinds = {r[0] for r in conn.execute("SELECT kind FROM provider_record")}
    assert {"police department", "sheriff's office", "security guard company"} <= kinds


def test_check_passes_on_demo(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(copy_of(demo_file, tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "Integrity check: ok" in out and "Audit chain: intact" in out


def test_check_detects_hand_edited_audit_entry(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_of(demo_file, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE audit_record SET actor = 'Someone Else' WHERE id = 5")
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(path)]) == 1
    assert "Audit entry 5" in capsys.readouterr().out


def test_check_on_garbage_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "junk.db"
    path.write_bytes(b"junk" * 1000)
    assert main(["check", "--db", str(path)]) == 1
    assert "PROBLEM" in capsys.readouterr().out


def test_import_roster_refused_leaves_db_unchanged(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_of(demo_file, tmp_path)
    bad = tmp_path / "bad.csv"
    bad.write_text("first_name,last_name,role,employer,buildings,first_day_with_students\nA,B,SRO,Cedar Valley Police Department,NOPE:2,2026-13-01\n,,,,,\nC,,guard,Nobody,,\n", encoding="utf-8")
    before = path.read_bytes()
    assert main(["import", "roster", str(bad), "--db", str(path)]) == 2
    err = capsys.readouterr().err
    assert "Nothing was changed" in err
    assert "row 2, column 'buildings': unknown building 'NOPE'" in err
    assert "row 4, column 'last_name'" in err
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM staff_record").fetchone()[0] == 15
    conn.close()
    assert main(["check", "--db", str(path)]) == 0
    del before


def test_import_roster_ok(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_of(demo_file, tmp_path)
    good = tmp_path / "good.csv"
    good.write_text("First Name,Last Name,Role,Commissioned,Employer,Buildings\nNew,Person,SRO,yes,Cedar Valley Police Department,CVHS:2\n", encoding="utf-8")
    assert main(["import", "roster", str(good), "--db", str(path)]) == 0
    assert "1 added" in capsys.readouterr().out


def test_import_not_a_spreadsheet(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_of(demo_file, tmp_path)
    fake = tmp_path / "roster.xlsx"
    fake.write_bytes(b"%PDF-1.4 not a workbook")
    assert main(["import", "roster", str(fake), "--db", str(path)]) == 2
    assert "not an Excel workbook" in capsys.readouterr().err


def test_db_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "text.db"
    path.write_text("not a database at all " * 50)
    assert main(["export", "roster", "--db", str(path), "--xlsx", str(tmp_path / "x.xlsx")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("sro-desk: ") and "not an SRO Desk database" in err and "\n" not in err


def test_export_roster_and_templates(demo_file: Path, tmp_path: Path) -> None:
    path = copy_of(demo_file, tmp_path)
    assert main(["export", "roster", "--db", str(path), "--xlsx", str(tmp_path / "r.xlsx"), "--pdf", str(tmp_path / "r.pdf")]) == 0
    assert (tmp_path / "r.xlsx").stat().st_size > 0 and (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert main(["template", "roster", str(tmp_path / "t.xlsx")]) == 0
    assert main(["template", "no-such", str(tmp_path / "t2.xlsx")]) == 2


def test_backup_command(demo_file: Path, tmp_path: Path) -> None:
    path = copy_of(demo_file, tmp_path)
    assert main(["backup", "--db", str(path)]) == 0
    assert list((tmp_path / "backups").glob("copy-*-manual.db"))


def test_smoke_and_screenshots(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    path = copy_of(demo_file, tmp_path)
    assert main(["--smoke", "--db", str(path)]) == 0
    assert "smoke ok" in capsys.readouterr().out
    shots = tmp_path / "shots"
    assert main(["screenshots", str(shots), "--db", str(path)]) == 0
    names = sorted(p.name for p in shots.glob("*.png"))
    assert "roster.png" in names
    from PySide6.QtGui import QImage

    image = QImage(str(shots / "roster.png"))
    assert image.width() == 1280 and image.height() == 800


def test_smoke_on_fresh_database(tmp_path: Path, qapp: object) -> None:
    assert main(["--smoke", "--db", str(tmp_path / "new.db")]) == 0


def test_check_reports_roster_rule_breach(demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = copy_of(demo_file, tmp_path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE provider_record SET kind = 'security guard company' WHERE name = 'Cedar Valley Police Department'")
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(path)]) == 1
    assert "Roster rule broken" in capsys.readouterr().out


def test_mistyped_db_path_is_refused_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "misspelled.db"
    assert main(["export", "roster", "--db", str(missing), "--xlsx", str(tmp_path / "r.xlsx")]) == 2
    assert "There is no database at" in capsys.readouterr().err
    assert not missing.exists()


def test_check_detects_newest_audit_entries_removed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The chain alone cannot see its tail cut off; the anchor written on close can."""
    path = tmp_path / "anchored.db"
    assert main(["demo", str(path)]) == 0
    assert (tmp_path / "anchored.db.audit-anchor").exists()
    assert main(["check", "--db", str(path)]) == 0
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM audit_record WHERE id = (SELECT max(id) FROM audit_record)")
    conn.commit()
    conn.close()
    capsys.readouterr()
    assert main(["check", "--db", str(path)]) == 1
    assert "Entries were removed from the end" in capsys.readouterr().out
    assert main(["check", "--db", str(path)]) == 1  # opening and closing does not bless the cut


@pytest.mark.parametrize(("argv", "expected"), [
    ([], (None, False)),
    (["--db", "a.db"], ("a.db", False)),
    (["--db=a b.db", "--smoke"], ("a b.db", True)),
    (["--smoke", "--db", "x.db", "--db", "y.db"], ("y.db", True)),  # the last one counts, as argparse
    (["--db"], None),  # a mistake: the full parser explains it
    (["--db", "--smoke"], None),
    (["--help"], None),
    (["demo", "x.db"], None),
    (["--version"], None),
])
def test_a_plain_start_is_read_without_building_every_command(argv: list[str], expected: object) -> None:
    from sro_desk.cli import gui_options

    assert gui_options(argv) == expected


def test_a_mistaken_start_still_gets_the_full_parsers_message(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--db"])
    assert done.value.code == 2
    assert "--db: expected one argument" in capsys.readouterr().err


def test_start_up_pauses_the_collector_and_always_resumes_it(tmp_path: Path, qapp: object) -> None:
    import gc

    from sro_desk.app import resume_collection

    assert main(["--smoke", "--db", str(tmp_path / "new.db")]) == 0
    assert gc.isenabled()
    gc.disable()
    resume_collection()  # after the first paint: what start-up made is frozen, collection resumes
    assert gc.isenabled() and gc.get_freeze_count() > 0
    gc.unfreeze()


def test_screenshots_show_their_fixed_day_whatever_day_they_are_made(
    demo_file: Path, tmp_path: Path, qapp: object, clock_at: Callable[..., None]
) -> None:
    """Regenerating the user guide's pictures a year later does not change them."""
    from PySide6.QtGui import QImage

    pictures = []
    for made_on in (dt.date(2026, 12, 2), dt.date(2027, 12, 2)):
        clock_at(made_on)
        folder = tmp_path / "db"  # the same path both times: the status bar shows it
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        path = copy_of(demo_file, folder)
        shots = tmp_path / made_on.isoformat()
        assert main(["screenshots", str(shots), "--db", str(path)]) == 0
        pictures.append({p.name: QImage(str(p)) for p in sorted(shots.glob("*.png"))})
    first, second = pictures
    assert first.keys() == second.keys() and "training.png" in first
    assert [name for name in first if first[name] != second[name]] == []
