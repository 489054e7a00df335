"""Calls import: grouping, encodings, spreadsheet dates, mapping, and refusals that change nothing."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.errors import ImportRefused
from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import (
    COLUMNS,
    import_calls,
    parse_time,
    preview_calls,
    suggest_mapping,
)
from sro_desk.store import call_repo, roster_repo
from sro_desk.store.audit import audit_entries
from sro_desk.store.call_records import CallStudentRecord
from sro_desk.store.database import close_database, open_database

GOOD = [
    ["A-1", "2025-10-02", "10:15", "North High", "on campus", "teacher", "no",
     "Fighting without major injury", "Fight at lunch.", "15", "male", "white", "no", "no",
     "returned to school administration", "no", "yes"],
    ["A-1", "2025-10-02", "10:15", "North High", "on campus", "teacher", "no",
     "Fighting without major injury", "Fight at lunch.", "16", "female", "Asian", "y", "0",
     "arrest", "1", "n"],
    ["A-2", "10/3/2025", "7:40 AM", "elm", "near campus", "911 or dispatch", "yes",
     "traffic or parking", "Car in bus lane.", "", "", "", "", "", "handled informally", "", ""],
]


@pytest.fixture
def db(tmp_path: Path) -> Iterator[None]:
    open_database(tmp_path / "calls.db", daily_backup=False)
    roster_repo.save_building(Building(None, "North High", "NHS"))
    roster_repo.save_building(Building(None, "Elm Elementary", "ELM"))
    yield
    close_database()


def write_csv(path: Path, rows: list[list[str]], headers: tuple[str, ...] = COLUMNS,
              encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    return path


def test_csv_import_groups_rows_into_calls(db: None, tmp_path: Path) -> None:
    result = import_calls(write_csv(tmp_path / "calls.csv", GOOD, encoding="utf-8-sig"))
    assert (result.calls, result.students) == (2, 2)
    calls = {c.ref: c for c in call_repo.list_calls()}
    first = calls["A-1"]
    assert first.outcome == "arrest" and first.offense_type == "fighting without major injury"
    assert [s.race for s in first.students] == ["White", "Asian"]
    assert first.students[1].iep and first.students[1].use_of_force
    assert first.occurred_at == dt.time(10, 15)
    second = calls["A-2"]
    assert second.students == () and second.outcome == "handled informally"
    assert second.building == "Elm Elementary" and second.occurred_at == dt.time(7, 40)
    assert second.emergency and second.occurred_on == dt.date(2025, 10, 3)
    assert len(audit_entries("CallImport")) == 1


def test_windows_1252_csv(db: None, tmp_path: Path) -> None:
    rows = [list(GOOD[2])]
    rows[0][8] = "Café parking – blocked"
    import_calls(write_csv(tmp_path / "w.csv", rows, encoding="cp1252"))
    assert call_repo.list_calls()[0].description == "Café parking – blocked"


def test_xlsx_with_real_dates_and_times(db: None, tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    row: list[object] = list(GOOD[0])
    row[1] = dt.datetime(2025, 10, 2)
    row[2] = dt.time(13, 5)
    row[9] = 15
    sheet.append(row)
    book.save(tmp_path / "calls.xlsx")
    import_calls(tmp_path / "calls.xlsx")
    [call] = call_repo.list_calls()
    assert call.occurred_on == dt.date(2025, 10, 2) and call.occurred_at == dt.time(13, 5)
    assert call.students[0].age == 15


def test_header_mapping(db: None, tmp_path: Path) -> None:
    headers = ("Incident Number", "Call Date", "Time", "School", "Location", "Initiated By",
               "Emergency", "Offense", "Description", "Age", "Sex", "Race", "IEP", "504",
               "Disposition", "Force Used", "Discipline")
    path = write_csv(tmp_path / "sis.csv", GOOD, headers=headers)
    preview = preview_calls(path)
    assert preview.row_count == 3 and preview.missing_required == ()
    assert preview.suggested["call_ref"] == "incident_number"
    assert preview.suggested["outcome"] == "disposition"
    assert suggest_mapping(("foo",)) == {}
    with pytest.raises(ImportRefused, match="columns this import needs"):
        import_calls(path)
    result = import_calls(path, column_map=preview.suggested)
    assert result.calls == 2


def refused(path: Path) -> ImportRefused:
    before = (call_repo.call_count(), CallStudentRecord.select().count())
    with pytest.raises(ImportRefused) as caught:
        import_calls(path)
    assert (call_repo.call_count(), CallStudentRecord.select().count()) == before
    return caught.value


def test_every_problem_is_listed_by_row_and_column(db: None, tmp_path: Path) -> None:
    rows = [list(r) for r in GOOD]
    rows[0][1] = "2025-02-30"  # not a date
    rows[1][9] = "23"  # too old
    rows[2][5] = "the principal"  # unknown initiator
    rows.append(list(GOOD[2]))
    rows[3][0] = "A-3"
    rows[3][9] = "4"  # too young, and a student row
    rows[3][10] = "boy"  # unknown gender
    rows[3][14] = "detention"  # unknown outcome
    error = refused(write_csv(tmp_path / "bad.csv", rows))
    where = {(p.row, p.column) for p in error.problems}
    assert (2, "date") in where
    assert (3, "student_age") in where
    assert (4, "initiated_by") in where
    assert {(5, "student_age"), (5, "student_gender"), (5, "outcome")} <= where
    text = str(error)
    assert "Nothing was changed" in text and "outside 5–22" in text and "detention" in text


def test_call_details_must_agree_across_its_rows(db: None, tmp_path: Path) -> None:
    rows = [list(r) for r in GOOD]
    rows[1][3] = "Elm Elementary"
    error = refused(write_csv(tmp_path / "mixed.csv", rows))
    assert any(p.row == 3 and p.column == "building" and "differs from row 2" in p.message
               for p in error.problems)


def test_duplicates_are_reported_never_imported_twice(db: None, tmp_path: Path) -> None:
    import_calls(write_csv(tmp_path / "one.csv", GOOD[2:]))
    rows = [list(r) for r in GOOD]
    error = refused(write_csv(tmp_path / "two.csv", rows))
    assert [(p.row, p.column) for p in error.problems] == [(4, "call_ref")]
    assert "duplicate" in error.problems[0].message
    assert call_repo.call_count() == 1


def test_files_that_are_not_spreadsheets(db: None, tmp_path: Path) -> None:
    png = tmp_path / "photo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)
    assert "not a spreadsheet" in str(refused(png))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("call_ref,date\n1,2\n")
    assert "not an Excel workbook" in str(refused(fake))
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    assert "binary" in str(refused(binary))
    empty = write_csv(tmp_path / "empty.csv", [])
    assert "no calls" in str(refused(empty))


def test_privacy_warning_does_not_refuse(db: None, tmp_path: Path) -> None:
    rows = [list(GOOD[2])]
    rows[0][8] = "Driver asked about immigration status"
    result = import_calls(write_csv(tmp_path / "p.csv", rows))
    assert result.calls == 1 and "RCW 10.93.160" in result.warnings[0]


def test_cancel_leaves_nothing(db: None, tmp_path: Path) -> None:
    rows = [[f"R{i}", *GOOD[2][1:]] for i in range(5000)]
    path = write_csv(tmp_path / "big.csv", rows)
    with pytest.raises(ImportRefused, match="cancelled"):
        import_calls(path, is_cancelled=lambda: True)
    assert call_repo.call_count() == 0


@pytest.mark.parametrize(("text", "expected"), [
    ("14:05", dt.time(14, 5)), ("2:05 PM", dt.time(14, 5)), ("12:10 am", dt.time(0, 10)),
    ("07:40:30", dt.time(7, 40, 30)), ("", None), (0.5, dt.time(12, 0)),
])
def test_parse_time(text: object, expected: dt.time | None) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "13:00 PM", "noon", "7.40"])
def test_parse_time_refuses(text: str) -> None:
    with pytest.raises(ValueError):
        parse_time(text)
