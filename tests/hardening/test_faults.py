"""Faults other than a crash: a busy file, two instances, read-only, a full disk, a vanished drive.

Each ends in a message in words (a ``StoreError`` the CLI prints on one line and the GUI shows
in a dialog), never a hang or a traceback, and nothing already saved is lost. Read-only folders,
full disks and unplugged drives are real ones: a bind mount (read-only, or lazily unmounted like a
pulled USB stick) and a small tmpfs, made and removed by the test (it runs as root; elsewhere
those tests are skipped).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sro_desk.cli import main
from sro_desk.domain.roster import Provider, ProviderKind, Role, StaffMember
from sro_desk.store import roster_repo, settings
from sro_desk.store.audit import set_actor, verify_audit_chain
from sro_desk.store.database import close_database, current_database, open_database
from sro_desk.store.errors import StoreError, StoreProblem

WORKER = Path(__file__).with_name("crash_worker.py")
BUSY_TIMEOUT = 5.0


@pytest.fixture(autouse=True)
def _closed() -> Iterator[None]:
    yield
    close_database()


def _mount(*args: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    result = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    return result.returncode == 0


@contextlib.contextmanager
def mounted(*args: str, target: Path) -> Iterator[Path]:
    target.mkdir(parents=True, exist_ok=True)
    if not _mount(*args, str(target)):
        pytest.skip("needs root and mount (bind mounts / tmpfs)")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True, check=False)


def _setup_small(path: Path, staff: int = 3) -> None:
    open_database(path, daily_backup=False)
    set_actor("Fault Test")
    provider = roster_repo.save_provider(Provider(None, "Fault Test Police", ProviderKind.POLICE))
    for i in range(staff):
        roster_repo.save_staff(StaffMember(None, "Saved", f"Person{i}", Role.SRO, True, provider.id, badge_number=f"F{i}"))


def _roster_csv(path: Path, rows: int, tag: str, notes: str = "") -> Path:
    lines = ["first_name,last_name,role,commissioned,employer,badge_number,notes"]
    lines += [f"New{i},{tag},school resource officer,yes,Fault Test Police,{tag}-{i},{notes}" for i in range(rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _holder(path: Path) -> subprocess.Popen[str]:
    """Another program holding a write transaction on ``path`` until its stdin closes."""
    code = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('BEGIN IMMEDIATE')\n"
        "c.execute(\"UPDATE setting_record SET value = value WHERE 0\")\n"
        "print('holding', flush=True)\n"
        "sys.stdin.read()\n"
        "c.execute('ROLLBACK')\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "holding"
    return proc


def _release(proc: subprocess.Popen[str]) -> None:
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.close()
    proc.wait(timeout=10)
    proc.stdout.close()


# ------------------------------------------------------------------ busy
def test_a_write_while_another_program_writes_says_busy_within_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "busy.db"
    _setup_small(path)
    holder = _holder(path)
    try:
        started = time.monotonic()
        with pytest.raises(Exception) as caught:
            settings.set_setting("fault.test", 1)
        waited = time.monotonic() - started
    finally:
        _release(holder)
    from sro_desk.store.errors import as_store_error

    known = as_store_error(caught.value)
    assert known is not None and known.problem is StoreProblem.LOCKED
    assert "busy" in str(known) and "another copy of SRO Desk" in str(known)
    assert BUSY_TIMEOUT - 0.5 <= waited < BUSY_TIMEOUT + 3, waited
    settings.set_setting("fault.test", 2)  # and once the other program is done, it works
    assert settings.get_setting("fault.test") == 2


def test_cli_import_while_another_program_writes_is_refused_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "busy.db"
    _setup_small(path)
    close_database()
    csv = _roster_csv(tmp_path / "roster.csv", 5, "Busy")
    holder = _holder(path)
    try:
        started = time.monotonic()
        assert main(["import", "roster", str(csv), "--db", str(path)]) == 2
        waited = time.monotonic() - started
    finally:
        _release(holder)
    err = capsys.readouterr().err.strip()
    assert err.startswith("sro-desk: The database is busy") and "\n" not in err
    assert "Traceback" not in err
    assert waited < BUSY_TIMEOUT * 2 + 3
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT count(*) FROM staff_record WHERE last_name = 'Busy'").fetchone() == (0,)
    conn.close()


def test_gui_shows_busy_in_words(qtbot: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui import crash

    path = tmp_path / "busy.db"
    _setup_small(path)
    shown: list[str] = []
    bugs: list[str] = []
    monkeypatch.setattr(crash, "show_error", lambda _p, error, *_a: shown.append(str(error)))
    monkeypatch.setattr(crash, "show_bug", lambda _p, text: bugs.append(text))
    holder = _holder(path)
    try:
        try:
            settings.set_setting("fault.gui", 1)
        except Exception as error:
            crash.handle_worker_error(None, error)
    finally:
        _release(holder)
    assert bugs == [] and len(shown) == 1 and shown[0].startswith("The database is busy")


# ------------------------------------------------------------------ two instances
def test_two_instances_writing_at_once_do_not_corrupt_the_file(tmp_path: Path) -> None:
    """Two copies of the program (forked workers) write as fast as they can for 4 seconds."""
    from tests.hardening.crash_worker import BUILDINGS, PROVIDER

    path = tmp_path / "shared.db"
    open_database(path, daily_backup=False)
    set_actor("setup")
    from sro_desk.domain.roster import Building

    roster_repo.save_provider(Provider(None, PROVIDER, ProviderKind.POLICE))
    for code in BUILDINGS:
        roster_repo.save_building(Building(None, f"Building {code}", code, "K-12"))
    close_database()
    journal = tmp_path / "journal.txt"
    server = subprocess.Popen([sys.executable, str(WORKER), str(path), str(journal), "77"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert server.stdin is not None and server.stdout is not None and server.stderr is not None
    try:
        assert server.stdout.readline().strip() == "ready"
        pids = []
        for n in (1, 2):
            server.stdin.write(f"work {n}\n")
            server.stdin.flush()
            pids.append(int(server.stdout.readline()))
        time.sleep(4)
        statuses = []
        for pid in pids:
            os.kill(pid, signal.SIGTERM)
            server.stdin.write(f"reap {pid}\n")
            server.stdin.flush()
            statuses.append(int(server.stdout.readline()))
        server.stdin.write("quit\n")
        server.stdin.flush()
        server.wait(timeout=10)
        stderr = server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        for stream in (server.stdin, server.stdout, server.stderr):
            stream.close()
    # Both were still writing when stopped: neither failed (busy waits stay within the timeout).
    assert all(os.WIFSIGNALED(s) and os.WTERMSIG(s) == signal.SIGTERM for s in statuses), (statuses, stderr)
    lines = journal.read_text(encoding="utf-8").splitlines()
    tags = [re.search(r"(\d+)x\d+", line) for line in lines]
    writers = {m.group(1) for m in tags if m}
    assert len(lines) > 10 and len(writers) == 2, (len(lines), writers)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    half = conn.execute("SELECT last_name, count(*) FROM staff_record WHERE last_name LIKE 'Batch%' GROUP BY last_name HAVING count(*) != 12").fetchall()
    conn.close()
    assert half == []
    open_database(path, daily_backup=False)
    assert verify_audit_chain() is None


# ------------------------------------------------------------------ read-only
def test_read_only_folder_is_explained_and_the_file_is_untouched(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    real = tmp_path / "real"
    real.mkdir()
    _setup_small(real / "district.db")
    close_database()
    before = (real / "district.db").read_bytes()
    with mounted("--bind", "-o", "ro", str(real), target=tmp_path / "ro") as ro:
        with pytest.raises(StoreError) as caught:
            open_database(ro / "district.db")
        assert caught.value.problem in (StoreProblem.READ_ONLY, StoreProblem.CANNOT_OPEN)
        assert "read-only" in str(caught.value) or "permission" in str(caught.value)
        assert main(["export", "roster", "--db", str(ro / "district.db"), "--xlsx", str(tmp_path / "r.xlsx")]) == 2
        err = capsys.readouterr().err
        assert "\n" not in err.strip() and "Traceback" not in err
    assert (real / "district.db").read_bytes() == before


def test_read_only_file_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "district.db"
    _setup_small(path)
    close_database()
    before = path.read_bytes()
    if not _mount("--bind", str(path), str(path)):
        pytest.skip("needs root and mount")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], check=True, capture_output=True)
        from sro_desk.store.errors import as_store_error

        open_database(path, daily_backup=False)  # reading a read-only file works ...
        assert len(roster_repo.list_staff()) == 3
        with pytest.raises(Exception) as caught:  # ... a change is refused in words
            settings.set_setting("fault.ro", 1)
        known = as_store_error(caught.value)
        assert known is not None and known.problem is StoreProblem.READ_ONLY
        assert "read-only" in str(known)
        close_database()
        csv = _roster_csv(tmp_path / "r.csv", 3, "ReadOnly")
        assert main(["import", "roster", str(csv), "--db", str(path)]) == 2
    finally:
        close_database()
        subprocess.run(["umount", "-l", str(path)], capture_output=True, check=False)
    err = capsys.readouterr().err.strip()
    assert err.startswith("sro-desk: The database cannot be changed") and "\n" not in err
    assert path.read_bytes() == before


# ------------------------------------------------------------------ full disk
def test_full_disk_refuses_the_import_whole_and_keeps_everything_saved(tmp_path: Path) -> None:
    from sro_desk.domain.errors import ImportRefused
    from sro_desk.services.roster_import import import_roster

    with mounted("-t", "tmpfs", "-o", "size=2m", "tmpfs", target=tmp_path / "small") as small:
        path = small / "district.db"
        _setup_small(path)
        filler = small / "filler.bin"
        free = shutil.disk_usage(small).free
        filler.write_bytes(b"\0" * max(0, free - 48 * 1024))
        csv = _roster_csv(tmp_path / "big.csv", 400, "Full", notes="x" * 400)
        with pytest.raises((StoreError, ImportRefused, Exception)) as caught:
            import_roster(csv)
        from sro_desk.store.errors import as_store_error

        known = as_store_error(caught.value)
        assert known is not None and known.problem is StoreProblem.DISK_FULL, caught.value
        assert "disk is full" in str(known) and "everything saved before is intact" in str(known)
        assert len(roster_repo.list_staff()) == 3  # none of the import, all of before
        filler.unlink()
        result = import_roster(csv)  # space freed: the same import now goes in whole
        assert result.created == 400
        assert current_database().execute_sql("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert verify_audit_chain() is None
        close_database()


def test_max_page_count_full_database_is_disk_full(tmp_path: Path) -> None:
    """The same without a mount: SQLite's page limit reports 'database or disk is full'."""
    from sro_desk.services.roster_import import import_roster
    from sro_desk.store.errors import as_store_error

    path = tmp_path / "district.db"
    _setup_small(path)
    pages = current_database().execute_sql("PRAGMA page_count").fetchone()[0]
    current_database().execute_sql(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(Exception) as caught:
        import_roster(_roster_csv(tmp_path / "big.csv", 300, "Full", notes="y" * 500))
    known = as_store_error(caught.value)
    assert known is not None and known.problem is StoreProblem.DISK_FULL
    assert len(roster_repo.list_staff()) == 3
    assert verify_audit_chain() is None


# ------------------------------------------------------------------ vanished drive
def test_pulled_drive_stops_saving_with_words_and_keeps_what_was_saved(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A lazily unmounted bind mount behaves like a pulled USB stick: the path is gone while the
    open file lives on. Without the guard SQLite would go on 'saving' into an unreachable file."""
    real = tmp_path / "stick"
    real.mkdir()
    with mounted("--bind", str(real), target=tmp_path / "media") as media:
        path = media / "district.db"
        _setup_small(path)
        subprocess.run(["umount", "-l", str(media)], check=True, capture_output=True)
        with pytest.raises(StoreError) as caught:
            settings.set_setting("after.unplug", 1)
        assert caught.value.problem is StoreProblem.FILE_GONE
        assert "drive may have been removed" in str(caught.value) and "not saved" in str(caught.value)
        close_database()
    conn = sqlite3.connect(real / "district.db")  # "plug the stick back in"
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert conn.execute("SELECT count(*) FROM staff_record").fetchone() == (3,)
    assert conn.execute("SELECT count(*) FROM setting_record WHERE key = 'after.unplug'").fetchone() == (0,)
    conn.close()


def test_folder_moved_or_deleted_while_open(tmp_path: Path) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    _setup_small(folder / "district.db")
    folder.rename(tmp_path / "moved")
    with pytest.raises(StoreError) as caught:
        settings.set_setting("after.move", 1)
    assert caught.value.problem is StoreProblem.FILE_GONE
    close_database()
    open_database(tmp_path / "moved" / "district.db", daily_backup=False)
    assert len(roster_repo.list_staff()) == 3 and settings.get_setting("after.move") is None
    assert verify_audit_chain() is None


def test_missing_folder_on_open_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--db", str(tmp_path / "unplugged" / "district.db")]) == 1
    assert "does not exist" in capsys.readouterr().out
    assert main(["export", "roster", "--db", str(tmp_path / "unplugged" / "district.db"), "--xlsx", str(tmp_path / "r.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "drive may have been removed" in err and "\n" not in err.strip()


def test_disk_io_error_is_explained_as_full_or_failing_drive() -> None:
    from sro_desk.store.errors import classify

    error = sqlite3.OperationalError("disk I/O error")
    error.sqlite_errorcode = 10 | (4 << 8)  # type: ignore[attr-defined]  # SQLITE_IOERR_READ-family code
    assert classify(error) is StoreProblem.IO_ERROR


# ------------------------------------------------------------------ check
def test_check_reports_an_attachment_whose_bytes_changed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.store.attachments import store_attachment

    path = tmp_path / "district.db"
    _setup_small(path)
    info = store_attachment("certificate.pdf", b"%PDF-1.4\ncertificate of completion\n%%EOF\n")
    close_database()
    assert main(["check", "--db", str(path)]) == 0
    assert "every file matches its SHA-256" in capsys.readouterr().out
    conn = sqlite3.connect(path)
    conn.execute("UPDATE attachment_record SET data = ? WHERE id = ?", (b"%PDF-1.4\nforged certificate\n%%EOF\n", info.id))
    conn.commit()
    conn.close()
    assert main(["check", "--db", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"Attachment {info.id} (certificate.pdf) no longer matches its recorded SHA-256" in out


def test_full_disk_still_opens_the_database_without_its_daily_backup(tmp_path: Path, qtbot: Any) -> None:
    """A daily backup that does not fit must not lock the user out of the data (it did: opening
    failed with 'disk is full' and left a half-written backup behind)."""
    from sro_desk.store import backups
    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow

    with mounted("-t", "tmpfs", "-o", "size=4m", "tmpfs", target=tmp_path / "small") as small:
        path = small / "district.db"
        _setup_small(path)
        close_database()
        free = shutil.disk_usage(small).free
        size = path.stat().st_size
        (small / "filler.bin").write_bytes(b"\0" * max(0, free - size // 2))
        open_database(path)  # the daily backup is due (there is none yet) and cannot fit
        assert len(roster_repo.list_staff()) == 3
        problem = backups.daily_backup_problem()
        assert problem is not None and problem.startswith("The daily backup could not be written (the disk is full)")
        assert list((small / "backups").glob("*.part")) == [] if (small / "backups").exists() else True
        window = MainWindow(AppContext(path))
        qtbot.addWidget(window)
        assert window.statusBar().currentMessage() == problem
        window.close()
        close_database()
        (small / "filler.bin").unlink()
        open_database(path)  # with room again, the backup is taken
        assert backups.daily_backup_problem() is None
        assert len(backups.list_backups(path)) == 1
        close_database()


def test_disk_too_full_to_open_is_explained_and_the_file_is_intact(tmp_path: Path) -> None:
    with mounted("-t", "tmpfs", "-o", "size=2m", "tmpfs", target=tmp_path / "small") as small:
        path = small / "district.db"
        _setup_small(path)
        close_database()
        before = path.read_bytes()
        filler = small / "filler.bin"
        filler.write_bytes(b"\0" * max(0, shutil.disk_usage(small).free - 8 * 1024))
        with pytest.raises(StoreError) as caught:
            open_database(path)
        assert caught.value.problem in (StoreProblem.IO_ERROR, StoreProblem.DISK_FULL)
        assert "disk may be full" in str(caught.value) or "disk is full" in str(caught.value)
        assert path.read_bytes() == before
        filler.unlink()
        open_database(path)
        assert len(roster_repo.list_staff()) == 3 and verify_audit_chain() is None
        close_database()
