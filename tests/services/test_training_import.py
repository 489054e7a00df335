"""Training records in bulk: matching people and requirements, all rows or none, idempotent
re-import, documents from a folder, the summary and the clearance changes it reports."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from sro_desk.domain.errors import ImportRefused, ValidationError
from sro_desk.domain.roster import Role, StaffMember, StaffStatus
from sro_desk.services import training_import
from sro_desk.services.training import clearance_by_staff
from sro_desk.services.training_import import add_alias, import_training, remove_alias
from sro_desk.store import roster_repo, training_repo
from tests.training_helpers import PDF_BYTES

TODAY = dt.date(2026, 11, 26)
LETTERS = "abcdefghijklm"
HEADERS = ("badge_number", "first_name", "last_name", "employer", "requirement", "date",
           "esd", "status", "certificate_number", "module_version", "hours")


@pytest.fixture(autouse=True)
def _frozen(clock_at: Callable[[dt.date], None]) -> None:
    clock_at(TODAY)


def write_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def series_rows(badge: str, day: str = "2026-06-24", status: str = "verified") -> list[list[str]]:
    """One person's 13 ESD units, written as ESD 105 writes them."""
    titles = {u.topic: u.label for u in training_import.unit_titles()}
    return [[badge, "", "", "", titles[letter], day, "ESD 105", status, f"C-{badge}-{letter}",
             "Fall 2026", "3"] for letter in LETTERS]


def import_file(path: Path, **kwargs: object) -> training_import.TrainingImportResult:
    return import_training(path, today=TODAY, verifier="Jo Coordinator", **kwargs)  # type: ignore[arg-type]


def problems_of(caught: pytest.ExceptionInfo[ImportRefused]) -> list[str]:
    return [str(p) for p in caught.value.problems]


def test_esd_roster_clears_people_and_reimport_changes_nothing(district, tmp_path: Path) -> None:
    sro, guard = district.staff["sro"], district.staff["guard"]
    assert sro.id is not None and guard.id is not None
    assert not clearance_by_staff(TODAY)[sro.id].cleared  # topics and on-the-job days overdue
    path = write_csv(tmp_path / "esd105.csv", HEADERS,
                     series_rows("B-1") + series_rows("B-2", status="claim"))
    result = import_file(path)
    assert result.completions_added == 26
    assert result.summary == ("26 completions for 2 people; 13 records verified by Jo "
                              "Coordinator; 0 people become cleared.")
    # Sam Rivera's topics are now verified, but his first day was 3 September 2025 and his two
    # on-the-job days were due within the year (RCW 28A.400.345(2)(c)): still out of compliance.
    assert result.newly_cleared == ()
    cleared = clearance_by_staff(TODAY)
    assert cleared[sro.id].may_be_assigned and cleared[sro.id].overdue_codes == ("on_the_job",)
    assert not cleared[sro.id].cleared and not cleared[guard.id].cleared
    records = training_repo.list_completions(sro.id)
    assert {r.requirement_code for r in records} == {f"topic_{x}" for x in LETTERS}
    first = next(r for r in records if r.requirement_code == "topic_g")
    assert (first.certificate_number, first.module_version, first.issuing_esd, first.hours) == (
        "C-B-1-g", "Fall 2026", "ESD 105", 3.0)
    assert first.provider_name == "ESD 105" and first.verified_by == "Jo Coordinator"

    again = import_file(path)
    assert not again.changed and again.unchanged == 26
    assert again.summary == "Nothing new; 0 people become cleared; 26 rows were already recorded."
    assert len(training_repo.list_completions()) == 26


def test_reimport_marked_verified_verifies_the_claims(district, tmp_path: Path) -> None:
    guard = district.staff["guard"]
    import_file(write_csv(tmp_path / "claims.csv", HEADERS, series_rows("B-2", status="claim")))
    assert not clearance_by_staff(TODAY)[guard.id].cleared
    result = import_file(write_csv(tmp_path / "verified.csv", HEADERS, series_rows("B-2")))
    assert (result.completions_added, result.verified, result.unchanged) == (0, 13, 13)
    assert result.newly_cleared == ("Moss, Gina",)
    assert all(c.verified for c in training_repo.list_completions(guard.id))


def test_reimport_with_another_certificate_number_is_noted(district, tmp_path: Path) -> None:
    import_file(write_csv(tmp_path / "first.csv", HEADERS, series_rows("B-1")[:1]))
    rows = series_rows("B-1")[:1]
    rows[0][8] = "C-REISSUED"
    result = import_file(write_csv(tmp_path / "again.csv", HEADERS, rows))
    assert not result.changed
    assert result.warnings == ("row 2: Rivera, Sam's “(a) Civil rights of children” of 24 June 2026 is already "
                               "recorded with certificate C-B-1-a; the file says C-REISSUED. "
                               "The record was left as it is.",)
    (record,) = training_repo.list_completions()
    assert record.certificate_number == "C-B-1-a"


def test_unknown_title_is_refused_with_the_closest_names(district, tmp_path: Path) -> None:
    rows = series_rows("B-1")
    rows[3][4] = "Unit 4 – Youth Mental Healthh Issues"
    rows[6][4] = "Unit 3 – Disparities in the Use of Force"  # number and words disagree
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "typo.csv", HEADERS, rows))
    found = problems_of(caught)
    assert len(found) == 2
    assert found[0].startswith("row 5, column 'requirement': “Unit 4 – Youth Mental Healthh "
                               "Issues” is not a known requirement; closest known name: "
                               "“(d) Youth mental health”. Use a topic letter (a)–(m)")
    assert found[1].startswith("row 8, column 'requirement': “Unit 3 – Disparities in the Use of "
                               "Force” is not a known requirement; closest known name: “Unit 7 – "
                               "Disparities in the Use of Force” = “(g) Disparities in force "
                               "and arrests”")
    assert training_repo.list_completions() == []


@pytest.mark.parametrize("words", ["g", "(g)", "Topic (g)", "topic_g", "UNIT 7",
                                   "Unit 7 - Disparities in the use of force",
                                   "Disparities in the Use of Force",
                                   "(g) Disparities in force and arrests",
                                   "Disparities in the Use of Force and Arrests of Children"])
def test_requirement_names(district, words: str) -> None:
    assert training_import.name_table().match(words) == "topic_g"


def test_certification_by_code_and_by_name(district) -> None:
    names = training_import.name_table()
    assert names.match("first_aid_cpr") == names.match("First Aid/CPR") == "first_aid_cpr"
    assert names.match("(z)") is None and names.match("") is None


def test_ambiguous_name_is_refused_naming_the_candidates(district, tmp_path: Path) -> None:
    twin = roster_repo.save_staff(StaffMember(
        None, "Sam", "Rivera", Role.SCHOOL_SECURITY, False, district.providers["guards"].id,
        status=StaffStatus.PENDING))
    rows = [["", "Sam", "Rivera", "", "(a)", "2026-06-24", "ESD 105", "claim", "", "", ""]]
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "twins.csv", HEADERS, rows))
    (problem,) = problems_of(caught)
    assert problem.startswith("row 2, column 'last_name': the name 'Sam Rivera' matches 2 "
                              "people: Rivera, Sam (id ")
    assert "badge B-1, Test Police Department" in problem
    assert f"Rivera, Sam (id {twin.id}, Guardian Security LLC)" in problem
    rows[0][3] = "Guardian Security LLC"  # the employer says which one
    assert import_file(write_csv(tmp_path / "one.csv", HEADERS, rows)).completions_added == 1
    assert [c.staff_id for c in training_repo.list_completions()] == [twin.id]


def test_person_problems_each_in_their_row(district, tmp_path: Path) -> None:
    rows = [
        ["B-99", "", "", "", "(a)", "2026-06-24", "ESD 105", "", "", "", ""],
        ["B-1", "", "", "Guardian Security LLC", "(a)", "2026-06-24", "ESD 105", "", "", "", ""],
        ["", "Nobody", "Here", "", "(a)", "2026-06-24", "ESD 105", "", "", "", ""],
        ["", "", "", "", "(a)", "2026-06-24", "ESD 105", "", "", "", ""],
        ["B-2", "Gina", "Moss", "", "(a)", "2026-06-24", "ESD 105", "", "", "", ""],
    ]
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "people.csv", HEADERS, rows))
    assert problems_of(caught) == [
        "row 2, column 'badge_number': no one on the roster has the badge or employee number "
        "'B-99'",
        f"row 3, column 'employer': badge or employee number 'B-1' belongs to Rivera, Sam (id "
        f"{district.staff['sro'].id}, badge B-1, Test Police Department), not to anyone at "
        "'Guardian Security LLC'",
        "row 4, column 'last_name': no one named 'Nobody Here' is on the roster",
        "row 5, column 'last_name': give the person's badge or employee number, or their first "
        "and last name",
    ]


def test_one_bad_row_imports_nothing(district, tmp_path: Path) -> None:
    rows = series_rows("B-1")
    rows[12][5] = "2027-01-05"  # in the future
    rows.append(["B-2", "", "", "", "on_the_job", "2026-09-10", "", "verified", "", "", ""])
    rows.append(["B-2", "", "", "", "(a)", "2026-09-10", "", "", "", "", "lots"])
    rows.append(["B-1", "", "", "", "(b)", "2026-06-24", "ESD 105", "maybe", "", "", ""])
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "bad.csv", HEADERS, rows))
    found = problems_of(caught)
    assert found[0] == ("row 14, column 'date': the completion date 5 January 2027 is in the "
                        "future; record training once it has taken place")
    assert "row 15, column 'mentor': name the experienced staff member (mentor) for this " \
           "on-the-job day" in found
    assert "row 15, column 'mentor_school': name the mentor's school for this on-the-job day" \
           in found
    assert "row 16, column 'hours': 'lots' is not a number of hours" in found
    assert "row 17, column 'status': 'maybe' is neither claim nor verified" in found
    assert training_repo.list_completions() == []
    assert "Nothing was changed." in caught.value.summary


def test_the_same_record_twice_in_one_file(district, tmp_path: Path) -> None:
    rows = series_rows("B-1")[:2] + series_rows("B-1")[:1]
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "twice.csv", HEADERS, rows))
    assert problems_of(caught) == ["row 4: the same record as row 2"]


def test_header_aliases_and_missing_columns(district, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "agency.csv",
                     ("Employee Number", "Topic", "Completed On", "Provider Type", "Provider"),
                     [["B-1", "crisis_intervention", "3/4/2026", "agency", ""]])
    result = import_file(path)
    assert result.summary == "1 completion for 1 person; 0 people become cleared."
    (record,) = training_repo.list_completions()
    assert (record.requirement_code, record.completed_on) == ("crisis_intervention",
                                                              dt.date(2026, 3, 4))
    assert not record.verified
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "nodate.csv", ("first", "topic"), [["Sam", "(a)"]]))
    assert "The file does not have the columns this import needs" in caught.value.summary
    assert len(caught.value.problems) == 2
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "dup.csv", ("badge", "employee_number", "date"),
                              [["B-1", "B-1", "2026-01-01"]]))
    assert problems_of(caught) == ["row 1, column 'employee_number': means the same as the "
                                   "column 'badge'"]


def test_documents_from_the_folder(district, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "rivera-g.pdf").write_bytes(PDF_BYTES)
    (folder / "fake.pdf").write_bytes(b"MZ this is a program")
    headers = (*HEADERS, "document")
    good = series_rows("B-1")[6] + ["rivera-g.pdf"]
    result = import_file(write_csv(tmp_path / "docs.csv", headers, [good]), attachments=folder)
    assert result.completions_added == 1 and result.documents_stored == 1
    (record,) = training_repo.list_completions()
    assert record.evidence_count == 1

    rows = [series_rows("B-2")[i] + [name] for i, name in enumerate(
        ["fake.pdf", "missing.pdf", "../rivera-g.pdf"])]
    path = write_csv(tmp_path / "bad-docs.csv", headers, rows)
    with pytest.raises(ImportRefused) as caught:
        import_file(path, attachments=folder)
    found = problems_of(caught)
    assert found[0].startswith("row 2, column 'document': ")
    assert "PDF" in found[0] or "pdf" in found[0]
    assert found[1] == f"row 3, column 'document': there is no file 'missing.pdf' in {folder}"
    assert found[2] == ("row 4, column 'document': '../rivera-g.pdf' must be a file name in "
                        "the documents folder, not a path")
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "no-folder.csv", headers, [good]))
    assert "give the folder of documents" in problems_of(caught)[0]
    with pytest.raises(ImportRefused):
        import_file(path, attachments=tmp_path / "nowhere")
    assert len(training_repo.list_completions()) == 1


def test_esd_documentation_and_waivers(district, tmp_path: Path) -> None:
    folder = tmp_path / "pdfs"
    folder.mkdir()
    (folder / "moss-series.pdf").write_bytes(PDF_BYTES)
    (folder / "ng-waiver.pdf").write_bytes(PDF_BYTES)
    headers = ("badge_number", "record", "requirement", "date", "esd", "status", "grounds",
               "document")
    rows = [
        ["B-2", "esd documentation", "", "2026-10-02", "Olympic ESD 114", "verified", "",
         "moss-series.pdf"],
        ["B-3", "waiver", "on_the_job; check_ins", "2026-10-05", "Olympic ESD 114", "",
         "Twelve years as a campus officer", "ng-waiver.pdf"],
    ]
    path = write_csv(tmp_path / "esd.csv", headers, rows)
    result = import_file(path, attachments=folder)
    assert result.summary == ("1 ESD training series documentation record; 1 ESD documentation "
                              "record confirmed; 2 waivers; 1 person becomes cleared.")
    assert result.newly_cleared == ("Moss, Gina",)
    (doc,) = training_repo.list_esd_documentation()
    assert doc.confirmed and doc.has_document and doc.confirmed_by == "Jo Coordinator"
    waivers = training_repo.list_waivers(district.staff["cso"].id)
    assert sorted(w.requirement_code for w in waivers) == ["check_ins", "on_the_job"]
    assert all(w.has_document for w in waivers)
    again = import_file(path, attachments=folder)
    assert not again.changed and again.unchanged == 3
    rows[1][3] = "2026-10-09"  # the same components, waived on another day
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "esd-later.csv", headers, rows), attachments=folder)
    assert problems_of(caught) == [
        "row 3, column 'date': Ng, Carl already has a waiver of “On-the-job training days” "
        "dated 5 October 2026; remove it first to record another",
        "row 3, column 'date': Ng, Carl already has a waiver of “Check-in trainings” dated "
        "5 October 2026; remove it first to record another",
    ]
    assert len(training_repo.list_waivers()) == 2


def test_esd_rows_refused_in_words(district, tmp_path: Path) -> None:
    headers = ("badge_number", "record", "requirement", "date", "esd", "status", "grounds")
    rows = [
        ["B-2", "esd documentation", "", "2026-10-02", "", "verified", ""],
        ["B-3", "waiver", "first_aid_cpr", "2026-10-05", "Olympic ESD 114", "", ""],
        ["B-3", "certificate", "", "2026-10-05", "", "", ""],
    ]
    with pytest.raises(ImportRefused) as caught:
        import_file(write_csv(tmp_path / "esd-bad.csv", headers, rows))
    found = problems_of(caught)
    assert ("row 2, column 'esd': name the educational service district that issued the "
            "documentation") in found
    assert any(p.startswith("row 2, column 'document': confirming ESD documentation needs")
               for p in found)
    assert any("row 3" in p and "only series components can be waived" in p for p in found)
    assert ("row 3, column 'grounds': give the reason for the waiver (the prior training and "
            "experience)") in found
    assert ("row 4, column 'record': 'certificate' is not a kind of record (completion, esd "
            "documentation or waiver)") in found


def test_district_aliases(district, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "agency.csv", ("badge", "course", "date"),
                     [["B-1", "CIT Refresher 2026", "2026-03-04"]])
    with pytest.raises(ImportRefused) as caught:
        import_file(path)
    assert "“CIT Refresher 2026” is not a known requirement" in problems_of(caught)[0]
    add_alias("CIT Refresher 2026", "Crisis Intervention Training refresher", reason="agency")
    assert training_import.district_aliases() == {"CIT Refresher 2026": "crisis_intervention"}
    assert import_file(path).completions_added == 1
    with pytest.raises(ValidationError, match="already names"):
        add_alias("Unit 7", "topic_a")
    with pytest.raises(ValidationError, match="no training requirement"):
        add_alias("Something", "no_such_code")
    with pytest.raises(ValidationError, match="Give the words"):
        add_alias("  – ", "topic_a")
    remove_alias("cit refresher 2026")
    assert training_import.district_aliases() == {}
    with pytest.raises(ValidationError, match="not one of the district's aliases"):
        remove_alias("CIT Refresher 2026")


def test_dry_run_saves_nothing(district, tmp_path: Path) -> None:
    result = import_file(write_csv(tmp_path / "esd105.csv", HEADERS, series_rows("B-1")),
                         dry_run=True)
    assert result.summary.startswith("Dry run, nothing saved: 13 completions for 1 person")
    assert result.newly_cleared == ()  # on-the-job days still overdue
    assert training_repo.list_completions() == []


def test_cancel_leaves_nothing(district, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "esd105.csv", HEADERS, series_rows("B-1"))
    with pytest.raises(ImportRefused, match="cancelled"):
        import_training(path, None, lambda: True, today=TODAY)
    assert training_repo.list_completions() == []


def test_template_rows_fill_every_column() -> None:
    (spec,) = training_import.IMPORT_TEMPLATES
    assert spec.name == "training"
    assert all(len(row) == len(spec.headers) for row in spec.example_rows)
