"""Issue 14, the store's half: damaged files, what check refuses, interrupted protection, the anchor.

Each test failed before the fix it names (see docs/reliability.md, "Damaged files, interrupted
protection and the audit anchor").
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from sro_desk.cli import main
from sro_desk.store import backups, encryption
from sro_desk.store.connection import FileKind, inspect_file
from sro_desk.store.database import close_database, open_database
from sro_desk.store.errors import StoreError, StoreProblem

PASS = "correct horse battery"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_copy(demo_db: Path, tmp_path: Path) -> Path:
    """A closed copy of the demo district (with its anchor) in a folder of its own, with two backups."""
    close_database()
    folder = tmp_path / "district"
    folder.mkdir()
    path = folder / "district.db"
    shutil.copyfile(demo_db, path)
    anchor = demo_db.with_name(demo_db.name + ".audit-anchor")
    if anchor.exists():
        shutil.copyfile(anchor, path.with_name(path.name + ".audit-anchor"))
    db = open_database(path, daily_backup=False)
    backups.make_backup(db, path, reason="manual")
    backups.make_backup(db, path, reason="manual")
    close_database()
    return path


def _zero_page(path: Path, page: int, size: int = 4096) -> None:
    with path.open("r+b") as fh:
        fh.seek(page * size)
        fh.write(bytes(size))


# ------------------------------------------------------------------ damaged databases
def test_first_page_zeroed_is_damaged_not_protected(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _zero_page(demo_copy, 0)
    assert inspect_file(demo_copy) is FileKind.DAMAGED
    with pytest.raises(StoreError) as raised:
        open_database(demo_copy)
    text = str(raised.value)
    assert raised.value.problem is StoreProblem.DAMAGED
    assert "damaged" in text and "passphrase" not in text and "manual" in text  # the backups, listed
    assert main(["check", "--db", str(demo_copy)]) == 1
    out = capsys.readouterr().out
    assert "damaged" in out and "protected" not in out
    assert main(["export", "roster", "--db", str(demo_copy), "--xlsx", str(demo_copy.parent / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and "protected with a passphrase" not in err


def test_interior_page_zeroed_is_refused_and_never_backed_up(demo_copy: Path) -> None:
    before = {b.path.name for b in backups.list_backups(demo_copy)}
    for backup in backups.list_backups(demo_copy):  # make the daily backup due
        os.utime(backup.path)
    size = demo_copy.stat().st_size // 4096
    _zero_page(demo_copy, size // 2)
    with pytest.raises(StoreError) as raised:
        open_database(demo_copy)
    assert raised.value.problem is StoreProblem.DAMAGED
    assert {b.path.name for b in backups.list_backups(demo_copy)} == before  # no backup of the damage


def test_a_damaged_database_is_restored_from_a_listed_backup(demo_copy: Path) -> None:
    from sro_desk.services.session import FileTarget, Session

    _zero_page(demo_copy, 0)
    session = Session()
    newest = backups.list_backups(demo_copy)[0].path
    aside = session.restore_damaged(FileTarget(demo_copy), newest)
    try:
        assert session.info() is not None and aside.exists() and inspect_file(aside) is FileKind.DAMAGED
        assert aside.parent == demo_copy.parent  # never among the backups
        from sro_desk.store import roster_repo

        assert len(roster_repo.list_staff()) == 15
    finally:
        session.close()
    assert main(["check", "--db", str(demo_copy)]) == 0


def test_the_cli_restores_a_damaged_database(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _zero_page(demo_copy, 0)
    assert main(["restore", "--db", str(demo_copy), "--latest"]) == 0
    assert "Restored" in capsys.readouterr().out
    assert main(["check", "--db", str(demo_copy)]) == 0


def test_a_backup_of_a_database_damaged_while_open_is_refused(demo_copy: Path) -> None:
    from sro_desk.store.connection import make_database

    db = make_database(demo_copy)
    db.connect()
    try:
        count = len(backups.list_backups(demo_copy))
        _zero_page(demo_copy, demo_copy.stat().st_size // 4096 // 2)  # the drive fails under it
        with pytest.raises(StoreError) as raised:
            backups.make_backup(db, demo_copy)
        assert raised.value.problem is StoreProblem.DAMAGED
        assert len(backups.list_backups(demo_copy)) == count
        assert not list(backups.backups_dir(demo_copy).glob("*.part"))
    finally:
        db.close()


# ------------------------------------------------------------------ check reads only and refuses non-databases
@pytest.mark.parametrize("kind", ["empty", "dev-null", "fifo", "folder", "text"])
def test_check_refuses_what_is_not_a_database_and_writes_nothing(kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "thing.db"
    if kind == "empty":
        target.write_bytes(b"")
    elif kind == "dev-null":
        target = Path("/dev/null")
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.write_text("name,date\nA,B\n" * 100)
    before = sorted(p.name for p in tmp_path.iterdir())
    assert main(["check", "--db", str(target)]) == 1
    out = capsys.readouterr().out
    assert "PROBLEM" in out and "All checks passed" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -wal, -shm, backups, anchor
    if kind == "empty":
        assert target.read_bytes() == b""


def test_check_never_writes_a_database(demo_copy: Path) -> None:
    files = {p.name: _digest(p) for p in demo_copy.parent.rglob("*") if p.is_file()}
    assert main(["check", "--db", str(demo_copy)]) == 0
    assert {p.name: _digest(p) for p in demo_copy.parent.rglob("*") if p.is_file()} == files


# ------------------------------------------------------------------ the audit anchor
def _delete_last_rows(path: Path, n: int) -> None:
    with sqlite3.connect(path) as conn:
        conn.execute(f"DELETE FROM audit_record WHERE id IN (SELECT id FROM audit_record ORDER BY id DESC LIMIT {n})")
    conn.close()


def test_cut_tail_and_deleted_anchor_are_reported(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _delete_last_rows(demo_copy, 3)
    demo_copy.with_name(demo_copy.name + ".audit-anchor").unlink()
    assert main(["check", "--db", str(demo_copy)]) == 1
    assert "removed from the end" in capsys.readouterr().out


def test_corrupt_anchor_is_reported(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo_copy.with_name(demo_copy.name + ".audit-anchor").write_bytes(b"\x00garbage{")
    assert main(["check", "--db", str(demo_copy)]) == 1
    assert "unreadable" in capsys.readouterr().out


def test_every_row_deleted_is_reported(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(demo_copy) as conn:
        conn.execute("DELETE FROM audit_record")
    conn.close()
    assert main(["check", "--db", str(demo_copy)]) == 1
    assert "removed from the end" in capsys.readouterr().out


def test_a_missing_anchor_alone_is_noted(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    demo_copy.with_name(demo_copy.name + ".audit-anchor").unlink()
    assert main(["check", "--db", str(demo_copy)]) == 0
    out = capsys.readouterr().out
    assert "Note: The audit anchor file" in out and "missing" in out and "intact" in out


def test_every_backup_holds_the_anchor_figures(demo_copy: Path) -> None:
    anchor = json.loads(demo_copy.with_name(demo_copy.name + ".audit-anchor").read_text())
    newest = backups.list_backups(demo_copy)[0].path
    with sqlite3.connect(newest) as conn:
        (value,) = conn.execute("SELECT value FROM setting_record WHERE key = ?", (backups.ANCHOR_COPY_KEY,)).fetchone()
    conn.close()
    assert json.loads(value)["last_hash"] == anchor["last_hash"]


def test_only_the_audit_layer_writes_the_chain_head(demo_copy: Path) -> None:
    from sro_desk.store import settings
    from sro_desk.store.audit import HEAD_KEY

    open_database(demo_copy, daily_backup=False)
    try:
        with pytest.raises(ValueError):
            settings.set_setting(HEAD_KEY, {"entries": 1, "last_hash": "x"})
    finally:
        close_database()


# ------------------------------------------------------------------ interrupted backups and protection
def test_stale_part_files_are_removed_and_protection_finishes_on_open(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = backups.backups_dir(demo_copy)
    plain_backup = backups.list_backups(demo_copy)[0].path
    part = folder / f"{demo_copy.stem}-20260101-000000-000000-manual.db.part"
    shutil.copyfile(plain_backup, part)  # a backup killed before its rename: plaintext names
    encryption.rewrite_file(demo_copy, None, PASS)  # protection killed after the database was rewritten
    encryption.pending_path(demo_copy).write_text(json.dumps({"to": "protected"}))
    encryption.remember_passphrase(demo_copy, PASS)
    assert main(["check", "--db", str(demo_copy)]) == 1
    out = capsys.readouterr().out
    assert "Unprotected copies" in out and "interrupted" in out
    open_database(demo_copy, daily_backup=False)
    close_database()
    assert not part.exists() and not encryption.pending_path(demo_copy).exists()
    assert all(inspect_file(p) is FileKind.PROTECTED for p in folder.iterdir())
    assert main(["check", "--db", str(demo_copy)]) == 0


def test_protect_again_finishes_an_interrupted_protection(demo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    encryption.rewrite_file(demo_copy, None, PASS)
    encryption.pending_path(demo_copy).write_text(json.dumps({"to": "protected"}))
    encryption.forget_passphrase()
    monkeypatch.setenv("SRO_DESK_PASSPHRASE", PASS)
    monkeypatch.setenv("SRO_DESK_NEW_PASSPHRASE", PASS)
    assert main(["protect", "--db", str(demo_copy)]) == 0
    assert "encrypted" in capsys.readouterr().out
    assert encryption.unprotected_copies(demo_copy) == []


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("chattr") is None, reason="chattr +i needs root")
def test_protect_on_an_immutable_file_is_refused_in_words(demo_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    if subprocess.run(["chattr", "+i", str(demo_copy)], capture_output=True).returncode != 0:
        pytest.skip("this file system has no immutable flag")
    try:
        before = _digest(demo_copy)
        monkeypatch.setenv("SRO_DESK_NEW_PASSPHRASE", PASS)
        assert main(["protect", "--db", str(demo_copy)]) == 2
        err = capsys.readouterr().err
        assert "cannot be changed" in err and "Traceback" not in err
        assert _digest(demo_copy) == before
        assert not list(demo_copy.parent.glob("*.rekey-tmp*")) and not encryption.pending_path(demo_copy).exists()
    finally:
        subprocess.run(["chattr", "-i", str(demo_copy)], check=False)


def test_sigkill_during_protect_never_leaves_plaintext_once_opened(demo_copy: Path) -> None:
    """``sro-desk protect`` killed at 12 moments; each time the next open (with the passphrase)
    leaves no plaintext database-shaped file beside a protected database, or the database is
    still plain and says protection was interrupted."""
    import random
    import time

    rng = random.Random(14)
    env = dict(os.environ, SRO_DESK_NEW_PASSPHRASE=PASS, SRO_DESK_PASSPHRASE=PASS)
    outcomes = {"protected": 0, "still plain": 0}
    pristine = demo_copy.parent.parent / "pristine"
    shutil.copytree(demo_copy.parent, pristine)
    for _ in range(12):
        shutil.rmtree(demo_copy.parent)
        shutil.copytree(pristine, demo_copy.parent)
        process = subprocess.Popen([sys.executable, "-m", "sro_desk", "protect", "--db", str(demo_copy)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.2, 2.5))
        process.kill()
        process.wait()
        encryption.forget_passphrase()
        kind = inspect_file(demo_copy)
        db = open_database(demo_copy, passphrase=PASS if kind is FileKind.PROTECTED else None, daily_backup=False)
        db.close()
        close_database()
        if kind is FileKind.PROTECTED:
            outcomes["protected"] += 1
            assert encryption.unprotected_copies(demo_copy) == []
            assert not list(backups.backups_dir(demo_copy).glob("*.part"))
        else:
            outcomes["still plain"] += 1
        assert not encryption.pending_path(demo_copy).exists()
        assert not list(demo_copy.parent.glob("*.rekey-tmp*"))
    assert sum(outcomes.values()) == 12
