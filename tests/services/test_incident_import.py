"""Calls import with the incident fields: the no-student row, detailed identity, police contact."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.errors import ImportRefused
from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import COLUMNS, IMPORT_TEMPLATES, import_calls
from sro_desk.store import call_repo, roster_repo
from sro_desk.store.database import close_database, open_database

BASE = {"call_ref": "B-1", "date": "2025-10-02", "time": "10:15", "building": "North High",
        "location": "on campus", "initiated_by": "teacher", "emergency": "no",
        "offense_type": "theft", "description": "", "outcome": "handled informally"}


@pytest.fixture
def db(tmp_path: Path) -> Iterator[None]:
    open_database(tmp_path / "calls.db", daily_backup=False)
    roster_repo.save_building(Building(None, "North High", "NHS"))
    yield
    close_database()


def write(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows([{**BASE, **row} for row in rows])
    return path


def test_a_row_with_empty_student_columns_and_flags_no_is_a_call_without_students(
        db: None, tmp_path: Path) -> None:
    flags_no = {"student_iep": "no", "student_504": "no", "use_of_force": "no",
                "discipline": "N", "questioned_in_custody": "no", "searched_person": "0"}
    result = import_calls(write(tmp_path / "a.csv", [flags_no]))
    assert (result.calls, result.students) == (1, 0)
    assert call_repo.list_calls()[0].outcome == "handled informally"


def test_a_yes_flag_without_a_student_is_refused_by_row_and_column(db: None,
                                                                   tmp_path: Path) -> None:
    with pytest.raises(ImportRefused) as refused:
        import_calls(write(tmp_path / "b.csv", [{"use_of_force": "yes"}]))
    assert any(p.column == "student_age" and p.row == 2 for p in refused.value.problems)
    assert call_repo.call_count() == 0


def test_detailed_identity_and_police_contact_are_read_and_stored(db: None,
                                                                  tmp_path: Path) -> None:
    row = {"student_age": "15", "student_gender": "nonbinary", "student_race": "not reported",
           "student_iep": "yes", "student_504": "no", "use_of_force": "yes", "discipline": "no",
           "outcome": "arrest", "student_grade": "10",
           "student_race_detail": "Hmong; somali", "student_hispanic": "no",
           "contact_initiated_by": "School staff", "questioned_in_custody": "yes",
           "attorney_access": "no", "attorney_exception": "imminent threat",
           "searched_person": "yes", "search_by": "officer", "search_basis": "incident to arrest",
           "force_types": "tackle, takedown or strike; handcuffs or other mechanical restraint",
           "injury_level": "minor (no treatment)", "agency_force_report": "WADEPS-1",
           "parent_notified_at": "2025-10-02 13:00", "parent_notified_how": "telephone"}
    import_calls(write(tmp_path / "c.csv", [row]))
    student = call_repo.list_calls()[0].students[0]
    assert student.race_detail == ("ASIAN-HMONG", "BLACK-SOMALI")
    assert student.hispanic is False and student.grade == "10" and student.k12
    contact = student.contact
    assert contact is not None
    assert contact.initiated_by == "school staff" and contact.attorney_exception == \
        "imminent threat"
    assert contact.force_types == ("tackle, takedown or strike",
                                   "handcuffs or other mechanical restraint")
    assert contact.parent_notified_at == dt.datetime(2025, 10, 2, 13, 0)


def test_contact_problems_refuse_the_file_and_name_each(db: None, tmp_path: Path) -> None:
    row = {"student_age": "15", "student_gender": "male", "student_race": "White",
           "student_iep": "no", "student_504": "no", "use_of_force": "no", "discipline": "no",
           "force_types": "tackle, takedown or strike", "searched_person": "maybe",
           "student_grade": "13", "student_race_detail": "Martian",
           "student_hispanic_origin": "Cuban"}
    with pytest.raises(ImportRefused) as refused:
        import_calls(write(tmp_path / "d.csv", [row]))
    columns = {p.column for p in refused.value.problems}
    assert {"searched_person", "student_grade", "student_race_detail",
            "student_hispanic_origin"} <= columns
    assert call_repo.call_count() == 0


def test_force_types_need_use_of_force_yes(db: None, tmp_path: Path) -> None:
    row = {"student_age": "15", "student_gender": "male", "student_race": "White",
           "student_iep": "no", "student_504": "no", "use_of_force": "no", "discipline": "no",
           "force_types": "police canine", "injury_level": "none"}
    with pytest.raises(ImportRefused) as refused:
        import_calls(write(tmp_path / "e.csv", [row]))
    assert [p.column for p in refused.value.problems] == ["use_of_force"]


def test_the_template_carries_every_column_and_its_examples_import(db: None,
                                                                  tmp_path: Path) -> None:
    spec = IMPORT_TEMPLATES[0]
    assert spec.headers == COLUMNS
    assert all(len(r) == len(COLUMNS) for r in spec.example_rows)
    notes = " ".join(spec.notes)
    for column in ("questioned_in_custody", "force_types", "student_race_detail",
                   "parent_notified_at", "RCW 13.40.740", "RCW 10.118.030"):
        assert column in notes
    roster_repo.save_building(Building(None, "Sequim High School", "SHS"))
    roster_repo.save_building(Building(None, "Sequim Middle School", "SMS"))
    path = tmp_path / "t.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(spec.example_rows)
    result = import_calls(path)
    assert (result.calls, result.students) == (2, 2)
