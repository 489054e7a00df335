"""Every migration on an empty file gives exactly the live models' schema; newer files are refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from playhouse.schema_diff import diff_models

from sro_desk.store.base import all_record_classes
from sro_desk.store.database import (
    close_database,
    migration_names,
    open_database,
    schema_version,
    schema_version_of_program,
)
from sro_desk.store.errors import StoreError, StoreProblem


def test_migrations_match_live_models(tmp_path: Path) -> None:
    db = open_database(tmp_path / "fresh.db", daily_backup=False)
    try:
        diff = diff_models(db, all_record_classes())
        assert not diff, f"schema drift between migrations and models:\n{diff}"
        assert schema_version(db) == schema_version_of_program()
    finally:
        close_database()


def test_migration_files_are_numbered_without_gaps() -> None:
    numbers = [int(name[:4]) for name in migration_names()]
    assert numbers == list(range(1, len(numbers) + 1))


def test_reopening_runs_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.db"
    open_database(path, daily_backup=False)
    close_database()
    db = open_database(path, daily_backup=False)
    try:
        assert schema_version(db) == schema_version_of_program()
    finally:
        close_database()


def test_file_from_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    db = open_database(path, daily_backup=False)
    db.execute_sql("INSERT INTO schema_migration (name, applied) VALUES ('9999_future', '2030-01-01')")
    close_database()
    before = path.read_bytes()
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert caught.value.problem is StoreProblem.NEWER_VERSION
    assert "newer version" in str(caught.value)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "problem"),
    [(b"this is a text file, not a database" * 20, StoreProblem.NOT_A_DATABASE)],
)
def test_not_a_database_is_explained(tmp_path: Path, content: bytes, problem: StoreProblem) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        open_database(path)
    assert caught.value.problem is problem
    assert path.read_bytes() == content


def test_missing_folder_is_explained(tmp_path: Path) -> None:
    with pytest.raises(StoreError) as caught:
        open_database(tmp_path / "no" / "such" / "folder.db")
    assert caught.value.problem is StoreProblem.CANNOT_OPEN


def test_migration_takes_a_backup_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file at an older schema is copied to the backups folder before a new migration runs."""
    import shutil

    from sro_desk.store import backups, database

    folder = tmp_path / "migrations"
    folder.mkdir()
    shutil.copy(database.MIGRATIONS_DIR / "0001_foundation.py", folder)
    monkeypatch.setattr(database, "MIGRATIONS_DIR", folder)
    path = tmp_path / "old.db"
    open_database(path, daily_backup=False)
    close_database()
    assert backups.list_backups(path) == []
    (folder / "0002_extra.py").write_text(
        "from peewee import Model, CharField\n"
        "def up(migrator, db):\n"
        "    class ExtraRecord(Model):\n"
        "        name = CharField()\n"
        "        class Meta:\n"
        "            database = db\n"
        "            legacy_table_names = False\n"
        "    db.create_tables([ExtraRecord])\n"
    )
    db = open_database(path, daily_backup=False)
    try:
        assert schema_version(db) == 2
        assert "extra_record" in db.get_tables()
    finally:
        close_database()
    taken = backups.list_backups(path)
    assert [b.reason for b in taken] == ["before-migration"]
