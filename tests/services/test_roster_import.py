from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import peewee
import pytest

from sro_desk.domain.errors import ImportRefused
from sro_desk.services.roster_import import COLUMNS, import_roster
from sro_desk.services.tabular import read_table
from sro_desk.services.templates import all_templates, template_by_name, write_template
from sro_desk.store import roster_repo
from sro_desk.store.audit import audit_entries
from tests.conftest import District

GOOD = [
    ["Maria", "Lopez", "SRO", "yes", "Test Police Department", "1142", "", "ml@example.org", "THS:3; TMS:2", "2026-09-02", "8/25/2026", "", "pending", ""],
    ["Dale", "Nguyen", "campus security officer", "no", "test valley school district", "E-1", "", "", "TES", "9/2/2026", "", "", "", "Évening events — Zoë"],
]


def write_csv(path: Path, rows: list[list[str]], headers: list[str] | None = None, encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers or list(COLUMNS))
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def snapshot() -> tuple[int, int]:
    return len(roster_repo.list_staff()), len(audit_entries())


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_csv_in_every_encoding(district: District, tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / "roster.csv", GOOD, [c.upper().replace("_", " ") for c in COLUMNS], encoding)
    result = import_roster(path)
    assert (result.created, result.updated) == (2, 0)
    dale = next(m for m in roster_repo.list_staff() if m.last_name == "Nguyen")
    assert dale.notes == "Évening events — Zoë"
    assert dale.assignments[0].days_per_week == 5
    maria = next(m for m in roster_repo.list_staff() if m.last_name == "Lopez")
    assert maria.first_day_with_students is not None and maria.assignment_start is not None
    assert maria.assignment_start.isoformat() == "2026-08-25"


def test_xlsx_with_real_dates_and_reimport_updates(district: District, tmp_path: Path) -> None:
    import datetime as dt

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(COLUMNS))
    row = list(GOOD[0])
    row[9] = dt.datetime(2026, 9, 2)
    sheet.append(row)
    path = tmp_path / "roster.xlsx"
    book.save(path)
    assert import_roster(path).created == 1
    again = import_roster(path)
    assert (again.created, again.updated) == (0, 0 + 1)
    assert sum(1 for m in roster_repo.list_staff() if m.last_name == "Lopez") == 1


def test_bad_rows_refuse_the_whole_file(district: District, tmp_path: Path) -> None:
    rows = [
        GOOD[0],
        ["", "", "SRO", "yes", "Test Police Department", "", "", "", "", "", "", "", "", ""],
        ["A", "B", "janitor", "no", "Test Police Department", "", "", "", "", "", "", "", "", ""],
        ["C", "D", "SRO", "yes", "Nowhere PD", "", "", "", "XYZ:3", "2026-02-30", "", "", "", ""],
        ["E", "F", "SRO", "no", "Guardian Security LLC", "", "", "", "THS:9", "", "", "", "", ""],
        ["G", "H", "SRO", "yes", "Test Police Department", "", "", "", "", "", "", "", "retired", ""],
    ]
    path = write_csv(tmp_path / "bad.csv", rows)
    before = snapshot()
    with pytest.raises(ImportRefused) as caught:
        import_roster(path)
    text = "\n".join(str(p) for p in caught.value.problems)
    assert "row 3" in text and "name is missing" in text
    assert "row 4" in text and "'janitor' is not a known role" in text
    assert "'Nowhere PD' is not a known agency" in text
    assert "unknown building 'XYZ'" in text
    assert "not a real calendar date" in text
    assert "'retired' is not a status" in text
    assert "commissioned" in text and "row 6" in text
    assert "at most 5" in text
    assert snapshot() == before


def test_missing_columns_named(district: District, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "cols.csv", [["x", "y"]], ["name", "phone"])
    with pytest.raises(ImportRefused) as caught:
        import_roster(path)
    assert {p.column for p in caught.value.problems} == {"last_name", "role", "employer"}


def test_duplicate_people_in_one_file(district: District, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "dup.csv", [GOOD[0], GOOD[0]])
    with pytest.raises(ImportRefused, match="same person as row 2"):
        import_roster(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("roster.xlsx", b"this is plain text", "not an Excel workbook"),
        ("roster.pdf", b"%PDF-1.4", "not a spreadsheet"),
        ("roster.csv", b"\x00\x01\x02\x03binary", "binary data"),
        ("roster.csv", b"", "empty"),
        ("roster.csv", b"\x81\x8d\x8f\x90\x9d" * 10, "not readable text"),
    ],
)
def test_not_a_spreadsheet(district: District, tmp_path: Path, name: str, content: bytes, message: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot()
    with pytest.raises(ImportRefused, match=message):
        import_roster(path)
    assert snapshot() == before


def test_zip_that_is_not_a_workbook(district: District, tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        import_roster(path)


def test_zip_bomb_refused(district: District, tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * (320 * 1024 * 1024))
    with pytest.raises(ImportRefused, match="refused for safety"):
        read_table(path)


def test_huge_cell_refused(district: District, tmp_path: Path) -> None:
    row = list(GOOD[0])
    row[13] = "x" * 40_000
    path = write_csv(tmp_path / "huge.csv", [row])
    with pytest.raises(ImportRefused, match="the limit is 32,767"):
        import_roster(path)


def test_formula_text_stays_text(district: District, tmp_path: Path) -> None:
    row = list(GOOD[0])
    row[13] = "=HYPERLINK(\"http://x\")"
    import_roster(write_csv(tmp_path / "f.csv", [row]))
    assert next(m for m in roster_repo.list_staff() if m.last_name == "Lopez").notes == '=HYPERLINK("http://x")'


def test_cancel_leaves_nothing(district: District, tmp_path: Path) -> None:
    before = snapshot()
    with pytest.raises(ImportRefused, match="cancelled"):
        import_roster(write_csv(tmp_path / "c.csv", GOOD), is_cancelled=lambda: True)
    assert snapshot() == before


def test_template_round_trip(district: District, tmp_path: Path) -> None:
    spec = template_by_name("roster")
    assert spec in all_templates()
    xlsx = write_template(spec, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(xlsx)
    assert [c.value for c in book.worksheets[0][1]] == list(COLUMNS)
    csv_path = write_template(spec, tmp_path / "t.csv")
    data = read_table(csv_path)
    assert data.headers == COLUMNS


def test_template_example_rows_import_into_demo(demo_db: Path, tmp_path: Path) -> None:
    """The template's own examples are valid against a district that has those names."""
    path = write_template(template_by_name("roster"), tmp_path / "t.csv")
    with pytest.raises(ImportRefused) as caught:
        import_roster(path)
    assert all("not a known agency" in p.message or "unknown building" in p.message for p in caught.value.problems)


def test_unused_db_fixture(db: peewee.SqliteDatabase) -> None:
    assert roster_repo.list_staff() == []


def test_activating_people_not_cleared_needs_a_reason(district: District, tmp_path: Path) -> None:
    """The importer applies the roster's rule: no one not cleared to work goes active silently."""
    from sro_desk.services.roster_import import ActivationReasonNeeded

    row = list(GOOD[0])
    row[12] = "active"
    path = write_csv(tmp_path / "active.csv", [row, GOOD[1]])
    before = snapshot()
    with pytest.raises(ActivationReasonNeeded) as caught:
        import_roster(path)
    assert [p.row for p in caught.value.problems] == [2]
    assert "Maria Lopez would be set active" in str(caught.value.problems[0])
    assert snapshot() == before
    result = import_roster(path, activation_reason="Interim coverage approved by the superintendent")
    assert result.created == 2
    maria = next(m for m in roster_repo.list_staff() if m.last_name == "Lopez")
    entry = next(e for e in audit_entries("Staff", maria.id) if e.action == "create")
    assert "Interim coverage approved by the superintendent" in entry.changes


def test_existing_active_person_needs_no_reason(district: District, tmp_path: Path) -> None:
    sro = district.staff["sro"]
    row = [sro.first_name, sro.last_name, "SRO", "yes", "Test Police Department", sro.badge_number, "360-555-0000",
           "", "THS:3; TMS:2", "2025-09-03", "", "", "active", ""]
    result = import_roster(write_csv(tmp_path / "same.csv", [row]))
    assert (result.created, result.updated) == (0, 1)


def test_a_first_day_in_the_summer_is_imported_with_a_warning(district: District, tmp_path: Path) -> None:
    """RCW 28A.400.345(2): the series counts from the first day with students expected. A
    summer date is kept (summer school is real) but the import says which school day was meant."""
    summer = [list(GOOD[0]), list(GOOD[1])]
    summer[0][COLUMNS.index("first_day_with_students")] = "2026-08-10"
    summer[1][COLUMNS.index("first_day_with_students")] = "2026-09-05"  # a Saturday
    result = import_roster(write_csv(tmp_path / "summer.csv", summer))
    assert result.created == 2
    joined = "\n".join(result.warnings)
    assert "row 2: Maria Lopez: The first day with students, Monday 10 August 2026" in joined
    assert "Did you mean Wednesday 2 September 2026, the next school day?" in joined
    assert "row 3: Dale Nguyen: The first day with students, Saturday 5 September 2026, is a weekend" in joined
    maria = next(s for s in roster_repo.list_staff() if s.last_name == "Lopez")
    assert maria.first_day_with_students is not None and maria.first_day_with_students.month == 8
