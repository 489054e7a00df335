"""The program's log: a rotating file in the user's log folder (platformdirs), stdlib ``logging``.

What goes in: what the program did to which file and record (database file names, record ids,
counts, error kinds and where in the code they happened). What never goes in: student or staff
data — no names, no free text, no exception messages (they can quote a cell). A district sends
this file to support; Help › Open log folder shows it, and the crash dialog names it.
"""

from __future__ import annotations

import logging
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

LOG_NAME = "sro-desk.log"
MAX_BYTES = 1_000_000
KEEP = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handler: RotatingFileHandler | None = None


def log_folder() -> Path:
    from sro_desk.paths import log_dir

    return log_dir()


def log_file() -> Path:
    return log_folder() / LOG_NAME


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Send the ``sro_desk`` loggers to the log file (once; again if the folder moved). Returns the
    file, or ``None`` when the folder cannot be written (the program runs on without a log)."""
    global _handler
    try:
        target = log_file()
    except OSError:
        return None
    logger = logging.getLogger("sro_desk")
    if _handler is not None:
        if Path(_handler.baseFilename) == target.resolve():
            return target
        logger.removeHandler(_handler)
        _handler.close()
        _handler = None
    try:
        handler = RotatingFileHandler(target, maxBytes=MAX_BYTES, backupCount=KEEP, encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    logger.addHandler(handler)
    logger.setLevel(level)
    _handler = handler
    return target


def log_bug(kind: type[BaseException], tb: TracebackType | None) -> None:
    """An unexpected exception, logged as its type and where it happened — never its message,
    which may quote data."""
    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames[-8:]))
    logging.getLogger("sro_desk.crash").error("unexpected %s.%s at %s", kind.__module__, kind.__qualname__, where or "?")
