"""Migration 0010 on a file made before it: every call and student kept, nothing rewritten."""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import Runner

from sro_desk.domain.demographics import LEGACY_NOTE
from sro_desk.store import call_repo
from sro_desk.store.database import MIGRATIONS_DIR, close_database, make_database, open_database


def test_an_existing_file_migrates_without_loss(tmp_path: Path) -> None:
    path = tmp_path / "before.db"
    db = make_database(path)
    db.connect()
    Runner(db, directory=str(MIGRATIONS_DIR)).up(target="0007_hiring_pins")
    db.execute_sql("INSERT INTO building_record (name, code, grade_span, active) VALUES ('North', 'N', '', 1)")
    db.execute_sql(
        "INSERT INTO call_record (ref, occurred_on, building_id, location, initiated_by, "
        "emergency, offense_type, description, outcome, source, created_at) VALUES "
        "('OLD-1', '2024-03-05', 1, 'on campus', 'teacher', 0, 'theft', 'old call', 'arrest', "
        "'entered', '2024-03-05 10:00:00')")
    db.execute_sql(
        "INSERT INTO call_student_record (call_id, position, age, gender, race, iep, "
        "section_504, outcome, use_of_force, discipline) VALUES "
        "(1, 0, 14, 'female', 'Two or more races', 1, 0, 'arrest', 1, 0)")
    db.close()

    open_database(path, daily_backup=False)
    try:
        (call,) = call_repo.list_calls()
        (student,) = call.students
        assert (call.ref, call.description, call.outcome) == ("OLD-1", "old call", "arrest")
        assert (student.age, student.gender, student.race, student.iep, student.use_of_force) \
            == (14, "female", "Two or more races", True, True)
        assert student.race_detail == () and student.hispanic is None
        assert student.contact is None and student.grade == ""
        assert student.identification.note == LEGACY_NOTE
    finally:
        close_database()
