"""Training jobs through ``cli.main``: the roster import (300 people in one step), recording and
verifying completions, ESD documentation, waivers and aliases; every refusal in words."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sro_desk.cli import EXIT_ERROR, EXIT_OK, main
from tests.training_helpers import PDF_BYTES
from tests.training_import_support import make_people, write_esd_roster

TODAY = dt.date(2026, 11, 26)
# Verifications are stamped by the clock: "verified on the 26th, as of the 26th" must hold.
pytestmark = pytest.mark.on_day(TODAY)


@pytest.fixture(autouse=True)
def _frozen(clock_at: Callable[[dt.date], None]) -> None:
    clock_at(TODAY)


@contextmanager
def reopened(path: Path) -> Iterator[None]:
    from sro_desk.store.database import close_database, open_database

    open_database(path, daily_backup=False)
    try:
        yield
    finally:
        close_database()


@pytest.fixture
def district_file(district, db_path: Path) -> tuple[Path, dict[str, int]]:
    """The conftest district (badges B-1..B-4), closed so each command opens it itself."""
    from sro_desk.store.database import close_database

    ids = {key: member.id for key, member in district.staff.items()}
    close_database()
    return db_path, ids  # type: ignore[return-value]


def run(*args: str) -> int:
    return main(list(args))


def test_300_person_esd_roster_in_one_step(db: object, db_path: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.store.database import close_database

    people = make_people(300, dt.date(2026, 9, 2))
    roster = write_esd_roster(tmp_path / "esd105-june.xlsx", people, verified_every=2)
    close_database()
    assert run("import", "training", str(roster), "--db", str(db_path), "--verifier",
               "Jo Coordinator") == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    # Everyone is inside the six months of RCW 28A.400.345 (first day 2 September), so each may
    # already be assigned and is in compliance with the series deadlines: the import changes
    # which topics are still to do, not the two statuses.
    assert out[0] == ("3900 completions for 300 people; 1950 records verified by Jo "
                      "Coordinator; 0 people become cleared.")
    with reopened(db_path):
        from sro_desk.services.training import clearance_by_staff
        from sro_desk.store import training_repo

        assert len(training_repo.list_completions()) == 3900
        cleared = clearance_by_staff(TODAY)
        assert all(c.may_be_assigned and c.in_compliance for c in cleared.values())
        topics_left = sorted(sum(code.startswith("topic_") for code in c.outstanding_codes)
                             for c in cleared.values())
        assert topics_left == [0] * 150 + [13] * 150  # the verified half has no topic left
    assert run("import", "training", str(roster), "--db", str(db_path)) == EXIT_OK
    assert capsys.readouterr().out.splitlines()[0] == (
        "Nothing new; 0 people become cleared; 3900 rows were already recorded.")


def test_import_refusals_leave_the_file_untouched(district_file, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = district_file
    bad = tmp_path / "bad.csv"
    bad.write_text("badge_number,requirement,date\nB-1,Unit 7 – Disparities in Force,"
                   "2026-06-24\nB-1,(a),2026-06-24\nB-9,(b),2026-06-24\n", encoding="utf-8")
    assert run("import", "training", str(bad), "--db", str(path)) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err.startswith("sro-desk: The file was not imported: 2 problems found. Nothing was "
                          "changed.")
    assert "row 2, column 'requirement': “Unit 7 – Disparities in Force” is not a known " \
           "requirement; closest known names: “Unit 7 – Disparities in the Use of Force” = “(g) " \
           "Disparities in force and arrests”; “(e) Students with disabilities”." in err
    assert "row 4, column 'badge_number': no one on the roster has the badge" in err
    assert "Traceback" not in err
    with reopened(path):
        from sro_desk.store import training_repo

        assert training_repo.list_completions() == []
    assert run("import", "training", str(tmp_path / "missing.xlsx"), "--db", str(path)) == 2
    assert "cannot be read" in capsys.readouterr().err
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(PDF_BYTES)
    assert run("import", "training", str(notes), "--db", str(path)) == EXIT_ERROR
    assert "is not a spreadsheet" in capsys.readouterr().err


def test_dry_run_and_attachments(district_file, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = district_file
    folder = tmp_path / "certificates"
    folder.mkdir()
    (folder / "rivera.pdf").write_bytes(PDF_BYTES)
    sheet = tmp_path / "in-service.csv"
    sheet.write_text("badge,course,date,provider type,document,status\n"
                     "B-1,first_aid_cpr,2026-05-01,agency,rivera.pdf,verified\n",
                     encoding="utf-8")
    assert run("import", "training", str(sheet), "--db", str(path), "--attachments",
               str(folder), "--dry-run") == EXIT_OK
    assert capsys.readouterr().out.startswith("Dry run, nothing saved: 1 completion for 1 "
                                              "person; 1 record verified by Test Coordinator")
    assert run("import", "training", str(sheet), "--db", str(path)) == EXIT_ERROR
    assert "give the folder of documents that came with the file (--attachments DIR)" in \
        capsys.readouterr().err
    assert run("import", "training", str(sheet), "--db", str(path), "--attachments",
               str(folder)) == EXIT_OK
    with reopened(path):
        from sro_desk.store import training_repo

        (record,) = training_repo.list_completions(ids["sro"])
        assert record.evidence_count == 1 and record.verified


def test_record_and_verify_a_completion(district_file, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = district_file
    cert = tmp_path / "cert.pdf"
    cert.write_bytes(PDF_BYTES)
    assert run("training", "record", "--db", str(path), "--person", str(ids["guard"]),
               "--requirement", "Unit 7 – Disparities in the Use of Force", "--date",
               "2026-06-24", "--esd", "ESD 105", "--hours", "3", "--certificate", "E105-0412",
               "--module-version", "Fall 2026", "--evidence", str(cert)) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("Recorded (g) Disparities in force and arrests for Moss, Gina, "
                          "completed 24 June 2026: record ")
    assert out.strip().endswith("a claim awaiting verification.")
    with reopened(path):
        from sro_desk.store import training_repo

        (record,) = training_repo.list_completions(ids["guard"])
    assert (record.certificate_number, record.module_version, record.issuing_esd,
            record.provider_name, record.evidence_count, record.verified) == (
        "E105-0412", "Fall 2026", "ESD 105", "ESD 105", 1, False)
    assert run("training", "verify", "--db", str(path), "--record", str(record.id),
               "--verifier", "Jo Coordinator") == EXIT_OK
    assert capsys.readouterr().out == (f"Verified record {record.id} (Moss, Gina, (g) Disparities in force "
                                       "and arrests) by Jo "
                                       "Coordinator.\n")
    assert run("training", "verify", "--db", str(path), "--record", str(record.id)) == EXIT_ERROR
    assert "already verified by Jo Coordinator" in capsys.readouterr().err

    spec = tmp_path / "ojt.json"
    spec.write_text(json.dumps({"person": ids["guard"], "requirement": "on_the_job",
                                "date": "2026-11-10", "provider-type": "district",
                                "mentor": "Pat Ortiz", "mentor_school": "Test High School",
                                "verify": True}), encoding="utf-8")
    assert run("training", "record", "--db", str(path), "--json", str(spec)) == EXIT_OK
    assert "On-the-job training days for Moss, Gina" in capsys.readouterr().out


def test_record_refusals(district_file, tmp_path: Path,
                         capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = district_file
    assert run("training", "record", "--db", str(path)) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "Give --person" in err and "Give --requirement" in err and "Give --date" in err
    assert run("training", "record", "--db", str(path), "--person", str(ids["sro"]),
               "--requirement", "Unit 99", "--date", "2026-06-24") == EXIT_ERROR
    assert "“Unit 99” is not a known requirement" in capsys.readouterr().err
    assert run("training", "record", "--db", str(path), "--person", str(ids["sro"]),
               "--requirement", "on_the_job", "--date", "2027-06-24") == EXIT_ERROR
    err = capsys.readouterr().err
    assert "is in the future" in err and "Name the experienced staff member" in err
    assert run("training", "record", "--db", str(path), "--person", "999", "--requirement",
               "(a)", "--date", "2026-06-24") == EXIT_ERROR
    assert "Staff member 999 does not exist" in capsys.readouterr().err
    assert run("training", "record", "--db", str(path), "--person", "x", "--requirement",
               "(a)", "--date", "24 June") == EXIT_ERROR
    err = capsys.readouterr().err
    assert "--person: 'x' is not a whole number" in err and "--date:" in err
    broken = tmp_path / "broken.json"
    broken.write_text("{\"person\": 1,", encoding="utf-8")
    assert run("training", "record", "--db", str(path), "--json", str(broken)) == EXIT_ERROR
    assert "is not valid JSON" in capsys.readouterr().err
    odd = tmp_path / "odd.json"
    odd.write_text(json.dumps({"person": ids["sro"], "requirment": "(a)", "date": "2026-06-24"}),
                   encoding="utf-8")
    assert run("training", "record", "--db", str(path), "--json", str(odd)) == EXIT_ERROR
    assert "'requirment' is not an input of this command" in capsys.readouterr().err
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"not a pdf at all")
    assert run("training", "record", "--db", str(path), "--person", str(ids["sro"]),
               "--requirement", "(a)", "--date", "2026-06-24", "--evidence",
               str(fake)) == EXIT_ERROR
    assert "fake.pdf" in capsys.readouterr().err
    with reopened(path):
        from sro_desk.store import training_repo

        assert training_repo.list_completions() == []


def test_esd_documentation_and_waiver_commands(district_file, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    path, ids = district_file
    doc = tmp_path / "series.pdf"
    doc.write_bytes(PDF_BYTES)
    assert run("training", "esd-documentation", "--db", str(path), "--person", str(ids["guard"]),
               "--date", "2026-10-02", "--esd", "Olympic ESD 114", "--confirm") == EXIT_ERROR
    assert "needs the document itself" in capsys.readouterr().err
    assert run("training", "esd-documentation", "--db", str(path), "--person", str(ids["guard"]),
               "--date", "2026-10-02", "--esd", "Olympic ESD 114", "--document", str(doc),
               "--confirm", "--verifier", "Jo Coordinator") == EXIT_OK
    assert capsys.readouterr().out == (
        "Recorded ESD training series documentation from Olympic ESD 114 for Moss, Gina, "
        "received 2 October 2026: confirmed by Jo Coordinator.\n")
    assert run("training", "status", "--db", str(path), "--as-of", "2026-11-26") == EXIT_OK
    moss = next(line for line in capsys.readouterr().out.splitlines() if line.endswith("Moss, Gina"))
    assert "May be assigned" in moss  # confirmed ESD documentation (RCW 28A.400.345(1))

    assert run("training", "waiver", "--db", str(path), "--person", str(ids["cso"]),
               "--requirement", "on_the_job", "check_ins", "--date", "2026-10-05", "--esd",
               "Olympic ESD 114", "--grounds", "Twelve years as a campus officer",
               "--document", str(doc)) == EXIT_OK
    assert capsys.readouterr().out == (
        "Recorded Olympic ESD 114's waiver of On-the-job training days, Check-in trainings "
        "for Ng, Carl, dated 5 October 2026.\n")
    assert run("training", "waiver", "--db", str(path), "--person", str(ids["cso"]),
               "--requirement", "(a)", "on_the_job", "--date", "2026-10-05", "--esd",
               "Olympic ESD 114", "--grounds", "again") == EXIT_ERROR
    assert "already recorded" in capsys.readouterr().err
    assert run("training", "waiver", "--db", str(path), "--person", str(ids["cso"]),
               "--requirement", "first_aid_cpr", "--date", "2026-10-05", "--esd", "ESD 105",
               "--grounds", "x") == EXIT_ERROR
    assert "only series components can be waived" in capsys.readouterr().err
    with reopened(path):
        from sro_desk.store import training_repo

        # the refused pair left no half: topic (a) was not waived before on_the_job failed
        assert sorted(w.requirement_code for w in training_repo.list_waivers()) == [
            "check_ins", "on_the_job"]


def test_alias_commands(district_file, tmp_path: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = district_file
    assert run("training", "alias", "add", "CIT Refresher 2026", "crisis_intervention",
               "--db", str(path), "--reason", "agency's name") == EXIT_OK
    assert capsys.readouterr().out == ("“CIT Refresher 2026” now names Crisis Intervention "
                                       "Training refresher.\n")
    assert run("training", "alias", "list", "--db", str(path)) == EXIT_OK
    out = capsys.readouterr().out
    assert "  CIT Refresher 2026 → Crisis Intervention Training refresher" in out
    assert "  Unit 7 – Disparities in the Use of Force → (g) Disparities in force and arrests" \
        in out
    assert run("training", "alias", "add", "Unit 7", "(a)", "--db", str(path)) == EXIT_ERROR
    assert "already names (g)" in capsys.readouterr().err
    assert run("training", "alias", "remove", "CIT Refresher 2026", "--db", str(path)) == 0
    assert run("training", "alias", "remove", "CIT Refresher 2026", "--db", str(path)) == 2
    assert "not one of the district's aliases" in capsys.readouterr().err


def test_template_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook

    dest = tmp_path / "training.xlsx"
    assert run("template", "training", str(dest)) == EXIT_OK
    book = load_workbook(dest)
    headers = [c.value for c in book.worksheets[0][1]]
    assert headers[:7] == ["badge_number", "first_name", "last_name", "employer", "record",
                           "requirement", "date"]
    assert book.worksheets[0]["F2"].value == "Unit 7 – Disparities in the Use of Force"
    notes = " ".join(str(r[0].value) for r in book["How to fill in"].iter_rows(min_row=2))
    assert "RCW 28A.310.515(2)" in notes and "--attachments DIR" in notes


@pytest.mark.parametrize("command", [
    ["import", "training"], ["training", "record"], ["training", "verify"],
    ["training", "esd-documentation"], ["training", "waiver"], ["training", "alias"],
])
def test_help_has_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out and "sro-desk " + " ".join(command) in out
