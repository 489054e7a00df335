"""Encryption at rest: protect, open, wrong passphrase, change, remove, backups, restore, CLI."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.cli import main
from sro_desk.store import backups, encryption, roster_repo
from sro_desk.store.database import close_database, current_database, is_protected, open_database
from sro_desk.store.errors import StoreError, StoreProblem

PASS = "correct horse battery"
OTHER = "another passphrase 2"
MARKER = "Quillfeather"  # a surname that must never appear in a protected file's bytes


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    encryption.forget_passphrase()
    yield
    close_database()
    encryption.forget_passphrase()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def protected(tmp_path: Path) -> Path:
    """A small district database with a recognisable name in it, then protected with PASS."""
    from sro_desk.domain.roster import Provider, ProviderKind, Role, StaffMember
    from sro_desk.store.audit import set_actor

    path = tmp_path / "district.db"
    open_database(path, daily_backup=False)
    set_actor("Test")
    provider = roster_repo.save_provider(Provider(None, "Test PD", ProviderKind.POLICE))
    roster_repo.save_staff(StaffMember(None, "Ada", MARKER, Role.SRO, True, provider.id))
    backups.make_backup(current_database(), path, reason="manual")
    close_database()
    assert MARKER.encode() in path.read_bytes()
    result = encryption.change_protection(path, None, PASS)
    assert result.protected and len(result.backups_rewritten) == 1 and not result.backups_skipped
    encryption.forget_passphrase()
    return path


def test_protected_file_is_unreadable_without_the_passphrase(protected: Path) -> None:
    data = protected.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert MARKER.encode() not in data
    conn = sqlite3.connect(protected)
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    conn.close()
    for backup in backups.list_backups(protected):
        assert MARKER.encode() not in backup.path.read_bytes()
        assert not backup.path.read_bytes().startswith(b"SQLite format 3")


def test_open_needs_the_passphrase_and_a_wrong_one_changes_nothing(protected: Path) -> None:
    before = _digest(protected)
    with pytest.raises(StoreError) as needed:
        open_database(protected)
    assert needed.value.problem is StoreProblem.PASSPHRASE_NEEDED
    assert "protected with a passphrase" in str(needed.value)
    for attempt in ("wrong passphrase", "correct horse batter", PASS + " ", "x' OR '1'='1", "ünïcödé ✓✓✓"):
        with pytest.raises(StoreError) as wrong:
            open_database(protected, passphrase=attempt)
        assert wrong.value.problem is StoreProblem.WRONG_PASSPHRASE
        assert "not correct" in str(wrong.value) and "Nothing in the file was changed" in str(wrong.value)
    assert _digest(protected) == before
    assert not Path(f"{protected}-wal").exists() or Path(f"{protected}-wal").stat().st_size == 0
    # ... and then the right one opens it (retry works).
    db = open_database(protected, passphrase=PASS, daily_backup=False)
    assert is_protected(db)
    assert [s.last_name for s in roster_repo.list_staff()] == [MARKER]


def test_quote_and_unicode_passphrases_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "q.db"
    open_database(path, daily_backup=False)
    close_database()
    tricky = "O'Brien's \"key\" ; DROP TABLE — ✓ 🔐"
    encryption.change_protection(path, None, tricky)
    encryption.forget_passphrase()
    with pytest.raises(StoreError):
        open_database(path, passphrase="O'Brien's")
    open_database(path, passphrase=tricky, daily_backup=False)
    close_database()


def test_new_passphrase_rules() -> None:
    assert encryption.passphrase_problems("short") == ["The passphrase must be at least 8 characters long."]
    assert encryption.passphrase_problems("long enough", "different!") == ["The two passphrases are not the same."]
    assert encryption.passphrase_problems("with\x00nul inside")
    assert encryption.passphrase_problems(" padded passphrase ")
    assert encryption.passphrase_problems("long enough", "long enough") == []


def test_backups_of_a_protected_database_are_protected_with_the_same_passphrase(protected: Path) -> None:
    db = open_database(protected, passphrase=PASS, daily_backup=False)
    dest = backups.make_backup(db, protected, reason="manual")
    close_database()
    assert MARKER.encode() not in dest.read_bytes()
    assert not dest.read_bytes().startswith(b"SQLite format 3")
    assert encryption.check_passphrase(dest, PASS)
    assert not encryption.check_passphrase(dest, OTHER)
    conn = encryption.connect(dest, PASS)
    assert conn.execute("SELECT last_name FROM staff_record").fetchall() == [(MARKER,)]
    conn.close()


def test_online_backup_refuses_an_unkeyed_target(protected: Path, tmp_path: Path) -> None:
    """Verified: SQLCipher will not copy a keyed database into an unkeyed one (no plaintext leak)."""
    from sqlcipher3 import dbapi2

    source = encryption.connect(protected, PASS)
    target = dbapi2.connect(str(tmp_path / "plain-copy.db"))
    with pytest.raises(dbapi2.Error):
        source.backup(target)
    source.close()
    target.close()
    assert MARKER.encode() not in (tmp_path / "plain-copy.db").read_bytes()


def test_restore_of_a_protected_backup_keeps_a_protected_copy_first(protected: Path) -> None:
    from sro_desk.domain.roster import Role, StaffMember

    db = open_database(protected, passphrase=PASS, daily_backup=False)
    original = backups.list_backups(protected)[0]
    provider = roster_repo.list_providers()[0]
    roster_repo.save_staff(StaffMember(None, "Later", "Addition", Role.SRO, True, provider.id))
    assert len(roster_repo.list_staff()) == 2
    safety = backups.restore(db, protected, original.path)
    close_database()
    open_database(protected, daily_backup=False)  # the passphrase is remembered in this process
    assert [s.last_name for s in roster_repo.list_staff()] == [MARKER]
    close_database()
    assert encryption.check_passphrase(safety, PASS)
    conn = encryption.connect(safety, PASS)
    assert conn.execute("SELECT count(*) FROM staff_record").fetchone() == (2,)
    conn.close()


def test_change_and_remove_passphrase(protected: Path) -> None:
    with pytest.raises(StoreError) as wrong:
        encryption.change_protection(protected, "not the passphrase", OTHER)
    assert wrong.value.problem is StoreProblem.WRONG_PASSPHRASE
    assert encryption.check_passphrase(protected, PASS)
    result = encryption.change_protection(protected, PASS, OTHER)
    assert result.protected and len(result.backups_rewritten) == 1
    assert not encryption.check_passphrase(protected, PASS)
    assert encryption.check_passphrase(protected, OTHER)
    assert all(encryption.check_passphrase(b.path, OTHER) for b in backups.list_backups(protected))
    encryption.forget_passphrase()
    open_database(protected, passphrase=OTHER, daily_backup=False)
    close_database()
    result = encryption.change_protection(protected, OTHER, None)
    assert not result.protected
    assert protected.read_bytes().startswith(b"SQLite format 3")
    assert all(b.path.read_bytes().startswith(b"SQLite format 3") for b in backups.list_backups(protected))
    open_database(protected, daily_backup=False)
    assert [s.last_name for s in roster_repo.list_staff()] == [MARKER]
    from sro_desk.store.audit import verify_audit_chain

    assert verify_audit_chain() is None


def test_protecting_is_refused_while_this_program_has_the_file_open(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    open_database(path, daily_backup=False)
    with pytest.raises(StoreError) as caught:
        encryption.change_protection(path, None, PASS)
    assert caught.value.problem is StoreProblem.LOCKED
    close_database()
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_protecting_is_refused_while_another_program_has_the_file_open(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "busy.db"
    open_database(path, daily_backup=False)
    close_database()
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute('PRAGMA journal_mode=wal');"
         "c.execute('SELECT count(*) FROM sqlite_master').fetchone(); print('ready', flush=True); sys.stdin.read()",
         str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = _digest(path)
        with pytest.raises(StoreError) as caught:
            encryption.change_protection(path, None, PASS)
        assert caught.value.problem is StoreProblem.LOCKED
        assert "busy" in str(caught.value)
        assert _digest(path) == before
    finally:
        assert holder.stdin is not None
        holder.stdin.close()
        holder.wait(timeout=10)
        assert holder.stdout is not None
        holder.stdout.close()
    encryption.change_protection(path, None, PASS)
    assert encryption.check_passphrase(path, PASS)


def test_too_short_new_passphrase_is_refused(tmp_path: Path) -> None:
    from sro_desk.domain.errors import ValidationError

    path = tmp_path / "s.db"
    open_database(path, daily_backup=False)
    close_database()
    with pytest.raises(ValidationError):
        encryption.change_protection(path, None, "short")
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_garbage_of_whole_pages_asks_for_a_passphrase_and_is_never_changed(tmp_path: Path) -> None:
    path = tmp_path / "random.db"
    path.write_bytes(bytes(range(256)) * 16)
    with pytest.raises(StoreError) as caught:
        open_database(path, passphrase=PASS)
    assert caught.value.problem is StoreProblem.WRONG_PASSPHRASE
    assert path.read_bytes() == bytes(range(256)) * 16


# ------------------------------------------------------------------ CLI
def test_cli_takes_the_passphrase_from_the_environment(protected: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    assert main(["check", "--db", str(protected)]) == 2
    err = capsys.readouterr().err
    assert "protected with a passphrase" in err and encryption.PASSPHRASE_ENV in err
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, "wrong passphrase")
    assert main(["export", "roster", "--db", str(protected), "--xlsx", str(protected.parent / "r.xlsx")]) == 2
    assert "not correct" in capsys.readouterr().err
    encryption.forget_passphrase()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    assert main(["check", "--db", str(protected)]) == 0
    out = capsys.readouterr().out
    assert "Protection: passphrase" in out and "Audit chain: intact" in out
    assert main(["backup", "--db", str(protected)]) == 0
    newest = backups.list_backups(protected)[0].path
    assert encryption.check_passphrase(newest, PASS)


def test_cli_has_no_passphrase_argument() -> None:
    from sro_desk.cli import build_parser

    help_text = build_parser().format_help()
    for command in ("protect", "change-passphrase", "unprotect", "check"):
        with pytest.raises(SystemExit):
            main([command, "--passphrase", "x"])
    assert "--passphrase" not in help_text


def test_cli_protect_change_unprotect(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cli.db"
    open_database(path, daily_backup=False)
    close_database()
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    monkeypatch.setenv("SRO_DESK_NEW_PASSPHRASE", PASS)
    assert main(["protect", "--db", str(path)]) == 0
    assert "now protected" in capsys.readouterr().out
    assert encryption.check_passphrase(path, PASS)
    assert main(["protect", "--db", str(path)]) == 2
    encryption.forget_passphrase()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    monkeypatch.setenv("SRO_DESK_NEW_PASSPHRASE", OTHER)
    assert main(["change-passphrase", "--db", str(path)]) == 0
    assert encryption.check_passphrase(path, OTHER)
    encryption.forget_passphrase()
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, OTHER)
    assert main(["unprotect", "--db", str(path)]) == 0
    assert path.read_bytes().startswith(b"SQLite format 3")


def test_cli_prompts_in_a_terminal_and_retries(protected: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import getpass
    import sys

    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    answers = iter(["wrong one here", PASS])
    monkeypatch.setattr(getpass, "getpass", lambda _prompt="": next(answers))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    assert main(["check", "--db", str(protected)]) == 0
    captured = capsys.readouterr()
    assert "not correct; try again" in captured.err and "All checks passed" in captured.out


def test_smoke_opens_a_protected_demo_with_the_environment_passphrase(demo_db: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], qapp: object) -> None:
    close_database()
    encryption.change_protection(demo_db, None, PASS)
    encryption.forget_passphrase()
    monkeypatch.delenv(encryption.PASSPHRASE_ENV, raising=False)
    assert main(["--smoke", "--db", str(demo_db)]) == 2
    assert "protected with a passphrase" in capsys.readouterr().err
    monkeypatch.setenv(encryption.PASSPHRASE_ENV, PASS)
    assert main(["--smoke", "--db", str(demo_db)]) == 0
    assert "smoke ok" in capsys.readouterr().out
