"""The one writer every export goes through: a whole new file, or the old one untouched.

A workbook, PDF, JSON report, CSV template or saved attachment is written to a temporary file in
the destination's own folder (so the final rename never crosses file systems), flushed and
fsynced, then renamed over the destination in one step (``os.replace``). Whatever goes wrong —
a full disk, a read-only folder, a bug in the exporter half-way through — the temporary file is
removed and the destination is exactly as it was.

Destinations are checked before any work is done, and refused in words (``ExportFailed``):
a missing folder, a folder, a device (``/dev/full``), a FIFO or socket, a read-only file. The
writer never replaces anything that is not a regular file: renaming over ``/dev/full`` as root
would replace the device node. A symbolic link to a regular file is followed, so the link stays
and its target gets the new content.

Nothing here imports openpyxl or reportlab: callers hand in a function that writes into the
open binary file (``Workbook.save`` and reportlab's ``SimpleDocTemplate`` both take one).
"""

from __future__ import annotations

import errno
import os
import re
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from sro_desk.domain.errors import SroDeskError

TEMP_PREFIX = ".sro-desk-"
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


class ExportFailed(SroDeskError):
    """A file could not be written where it was asked for; the destination is unchanged."""


def _reason(error: OSError) -> str:
    code = error.errno
    if code == errno.ENOSPC or code == errno.EDQUOT:
        return "the disk is full"
    if code in (errno.EACCES, errno.EPERM):
        return "permission was refused (the file or its folder is read-only or locked)"
    if code == errno.EROFS:
        return "the disk is read-only"
    if code == errno.ENOENT:
        return "the folder does not exist"
    if code == errno.ENOTDIR:
        return "part of the path is not a folder"
    if code == errno.EISDIR:
        return "it is a folder"
    if code == errno.ENAMETOOLONG:
        return "the name is too long"
    if code == errno.EIO:
        return "the disk reported an input/output error"
    return error.strerror or str(error)


def _shown(path: Path) -> str:
    """A path for a message, whatever bytes its name holds (no UnicodeEncodeError when printed)."""
    return str(path).encode("utf-8", "backslashreplace").decode("utf-8")


def check_destination(dest: Path | str) -> Path:
    """The path that will really be written (a link's target), or ``ExportFailed`` in words."""
    dest = Path(dest)
    if not dest.name or dest.name in (".", ".."):
        raise ExportFailed(f"Cannot write to {_shown(dest)}: give a file name, not a folder.")
    try:
        info = os.stat(dest)  # follows a symbolic link to what it points at
    except FileNotFoundError:
        info = None
        if dest.is_symlink():
            raise ExportFailed(
                f"Cannot write to {_shown(dest)}: it is a link to something that does not exist."
            ) from None
    except OSError as error:
        raise ExportFailed(f"Cannot write to {_shown(dest)}: {_reason(error)}.") from error
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise ExportFailed(f"Cannot write to {_shown(dest)}: it is a folder. Choose a file name.")
        if not stat.S_ISREG(info.st_mode):
            raise ExportFailed(
                f"Cannot write to {_shown(dest)}: it is not a regular file (a device, pipe or "
                "socket), and the program only replaces ordinary files."
            )
        if not os.access(dest, os.W_OK):
            raise ExportFailed(
                f"Cannot write to {_shown(dest)}: the file is read-only. Choose another name "
                "or make it writable."
            )
        dest = Path(os.path.realpath(dest))
    folder = dest.parent
    if not folder.is_dir():
        raise ExportFailed(f"Cannot write to {_shown(dest)}: the folder {_shown(folder)} does not exist.")
    return dest


def write_with(dest: Path | str, fill: Callable[[BinaryIO], object]) -> Path:
    """Write ``dest`` by calling ``fill(binary_file)``; all or nothing. Returns ``dest``.

    ``ExportFailed`` for a bad destination or an ``OSError`` while writing (in words, naming the
    file); any other exception from ``fill`` is a bug and propagates — in every case the
    temporary file is removed and the destination is untouched.
    """
    requested = Path(dest)
    target = check_destination(requested)
    try:
        handle, temp_name = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=".part", dir=target.parent)
    except OSError as error:
        raise ExportFailed(
            f"Cannot write to {_shown(requested)}: {_reason(error)} in {_shown(target.parent)}."
        ) from error
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as fh:
            fill(fh)
            fh.flush()
            os.fsync(fh.fileno())
        _keep_mode(target, temp)
        os.replace(temp, target)
    except OSError as error:
        temp.unlink(missing_ok=True)
        raise ExportFailed(
            f"Could not write {_shown(requested)}: {_reason(error)}. Nothing was written there."
        ) from error
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)
    return requested


def write_bytes(dest: Path | str, data: bytes) -> Path:
    return write_with(dest, lambda fh: fh.write(data))


def write_text(dest: Path | str, text: str, *, encoding: str = "utf-8") -> Path:
    """Text in UTF-8; a lone surrogate (stored before import checks refused them) becomes U+FFFD
    rather than an encoding error."""
    return write_bytes(dest, _LONE_SURROGATE.sub("\ufffd", text).encode(encoding))


def _keep_mode(target: Path, temp: Path) -> None:
    """A replaced file keeps its permissions; a new one is private to the user (mkstemp's 0600),
    which suits files that hold personnel and student records."""
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return
    os.chmod(temp, mode)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where folders cannot be opened."""
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
