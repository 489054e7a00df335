"""Export destinations: one shared writer (``exports/atomic.py``) for every file the program writes.

Each bad destination — a missing folder, a folder, a device, a FIFO, a read-only file, a full
disk, a bug half-way through — ends in one line in words, and leaves no partial, temporary or
replaced file behind. ``/dev/full`` stays a device even as root.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from sro_desk.cli import main
from sro_desk.exports import atomic
from sro_desk.exports.atomic import ExportFailed, write_bytes, write_with


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(atomic.TEMP_PREFIX))


def test_writes_whole_file_and_keeps_an_existing_files_mode(tmp_path: Path) -> None:
    dest = tmp_path / "out.json"
    dest.write_bytes(b"old")
    dest.chmod(0o640)
    assert write_bytes(dest, b"new content") == dest
    assert dest.read_bytes() == b"new content"
    assert stat.S_IMODE(dest.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_missing_folder_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match=r"folder .* does not exist"):
        write_bytes(tmp_path / "nowhere" / "out.xlsx", b"x")
    assert list(tmp_path.iterdir()) == []


def test_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").mkdir()
    with pytest.raises(ExportFailed, match="it is a folder"):
        write_bytes(tmp_path / "a.xlsx", b"x")
    assert (tmp_path / "a.xlsx").is_dir()
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_device_is_never_replaced() -> None:
    before = os.stat("/dev/full")
    with pytest.raises(ExportFailed, match="not a regular file"):
        write_bytes("/dev/full", b"{}")
    after = os.stat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.pdf"
    os.mkfifo(fifo)
    with pytest.raises(ExportFailed, match="not a regular file"):
        write_bytes(fifo, b"x")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_read_only_file_is_refused_and_unchanged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "locked.xlsx"
    dest.write_bytes(b"keep me")
    dest.chmod(0o444)
    # root may write anything; ask the question the way an ordinary user's system would answer it
    real_access = os.access
    monkeypatch.setattr(atomic.os, "access", lambda p, m: False if Path(p) == dest else real_access(p, m))
    with pytest.raises(ExportFailed, match="read-only"):
        write_bytes(dest, b"new")
    assert dest.read_bytes() == b"keep me"


def test_read_only_folder_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.tempfile, "mkstemp", refuse)
    with pytest.raises(ExportFailed, match="permission was refused"):
        write_bytes(tmp_path / "x.pdf", b"x")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["write", "fsync", "replace"])
def test_full_disk_leaves_old_file_and_no_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    dest = tmp_path / "report.xlsx"
    dest.write_bytes(b"the old report")

    def full(*_a: object, **_k: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    fill: Callable[..., object] = lambda fh: fh.write(b"new")  # noqa: E731
    if where == "write":
        def fill(fh: object) -> None:
            full()
    elif where == "fsync":
        monkeypatch.setattr(atomic.os, "fsync", full)
    else:
        monkeypatch.setattr(atomic.os, "replace", full)
    with pytest.raises(ExportFailed, match="the disk is full"):
        write_with(dest, fill)
    assert dest.read_bytes() == b"the old report"
    assert _leftovers(tmp_path) == []


def test_a_bug_half_way_propagates_but_leaves_nothing(tmp_path: Path) -> None:
    def broken(fh: object) -> None:
        fh.write(b"half")  # type: ignore[attr-defined]
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        write_with(tmp_path / "x.pdf", broken)
    assert list(tmp_path.iterdir()) == []


def test_link_to_a_file_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    write_bytes(link, b"new")
    assert link.is_symlink() and real.read_bytes() == b"new"


# ------------------------------------------------------------------ every export, through the CLI


def _exports(db: Path, dest: Path) -> list[list[str]]:
    stem = str(dest)
    return [
        ["export", "roster", "--db", str(db), "--xlsx", stem + ".xlsx"],
        ["export", "roster", "--db", str(db), "--pdf", stem + ".pdf"],
        ["report", "annual", "--db", str(db), "--year", "2025-26", "--json", stem + ".json"],
        ["report", "annual", "--db", str(db), "--year", "2025-26", "--xlsx", stem + ".xlsx"],
        ["report", "annual", "--db", str(db), "--year", "2025-26", "--pdf", stem + ".pdf"],
        ["export", "training", "--db", str(db), "--xlsx", stem + ".xlsx", "--as-of", "2026-11-26"],
        ["template", "roster", stem + ".xlsx"],
        ["template", "roster", stem + ".csv"],
        ["hiring", "bank", "export", "--db", str(db), stem + ".json"],
    ]


@pytest.fixture
def demo_copy(_demo_template: Path, tmp_path: Path) -> Path:
    import shutil

    target = tmp_path / "db" / "demo.db"
    target.parent.mkdir()
    shutil.copyfile(_demo_template, target)
    return target


@pytest.mark.slow
@pytest.mark.parametrize("case", ["missing-folder", "folder", "full-disk"])
def test_every_cli_export_refuses_a_bad_target_in_one_line(
    case: str, demo_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    if case == "missing-folder":
        dest = out / "missing" / "file"
    elif case == "folder":
        dest = out / "file"
        for suffix in (".xlsx", ".pdf", ".json", ".csv"):
            (out / ("file" + suffix)).mkdir()
    else:
        dest = out / "file"

        def full(*_a: object, **_k: object) -> None:
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(atomic.os, "fsync", full)
    for argv in _exports(demo_copy, dest):
        capsys.readouterr()
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 2, (argv, err)
        assert "Traceback" not in err and err.count("\n") == 1, (argv, err)
        assert err.startswith("sro-desk: ")
        names = sorted(p.name for p in out.rglob("*") if not p.is_dir())
        assert names == [], (argv, names)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_annual_json_to_dev_full_is_refused(demo_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", "annual", "--db", str(demo_copy), "--year", "2025-26", "--json", "/dev/full"])
    assert code == 2
    assert "not a regular file" in capsys.readouterr().err
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
