"""Long work off the GUI thread.

A service function ``fn(progress, is_cancelled) -> result`` runs in a ``JobThread`` (a ``QThread``
whose ``run()`` calls it inside its own database connection — no event loop in the thread, so
there is nothing to ``quit()``; ARCHITECTURE.md notes that ``worker.finished → thread.quit`` then
``wait()`` hangs in tests). The GUI-thread ``JobRunner`` relays the thread's signals, shows a
progress dialog with Cancel, and emits ``finished(result)`` or ``failed(error)`` on the GUI thread,
which is where tests wait for them.

Threads are not owned by any widget: a tab closed mid-job leaves its thread to finish on its own,
and ``wait_for_jobs()`` (at quit, and in tests) lets every job end before the database closes.
"""

from __future__ import annotations

import atexit
import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

JobFunction = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]

_LIVE: set[JobThread] = set()
_LOCK = threading.Lock()


class JobThread(QThread):
    progress = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: JobFunction) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        from sro_desk.services.storage import job_connection

        try:
            with job_connection():
                result = self._fn(self._report, self._cancel.is_set)
        except BaseException as error:  # relayed to the GUI thread, which sorts known from bug
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(error)
        else:
            self.succeeded.emit(result)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(int(done), int(total))


def wait_for_jobs(timeout_ms: int = 30_000) -> None:
    """Cancel and wait for every running job (before closing the database or quitting)."""
    with _LOCK:
        running = list(_LIVE)
    for job in running:
        job.cancel()
    for job in running:
        job.wait(timeout_ms)


atexit.register(wait_for_jobs)


class _Reaper(QObject):
    """Lets go of finished jobs on the GUI thread. Dropping the last reference to a ``QThread``
    from inside its own ``run()`` would destroy it while it is still running (Qt aborts)."""

    def reap(self) -> None:
        job = self.sender()
        if isinstance(job, JobThread):
            job.wait()
            with _LOCK:
                _LIVE.discard(job)
            job.deleteLater()


_reaper: _Reaper | None = None


def _the_reaper() -> _Reaper:
    global _reaper
    if _reaper is None:
        _reaper = _Reaper()
    return _reaper


class JobRunner(QObject):
    """Runs one job at a time; emits ``finished(result)`` or ``failed(error)`` on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._owned = parent is not None
        self._job: JobThread | None = None
        self._dialog: QProgressDialog | None = None
        self._on_done: Callable[[Any], object] | None = None
        self._on_error: Callable[[BaseException], object] | None = None

    @property
    def busy(self) -> bool:
        return self._job is not None

    def start(self, fn: JobFunction, label: str = "", parent_widget: QWidget | None = None, *,
              on_done: Callable[[Any], object] | None = None,
              on_error: Callable[[BaseException], object] | None = None) -> None:
        """Run ``fn(progress, is_cancelled)`` off the GUI thread. ``on_done(result)`` or
        ``on_error(error)`` is called on the GUI thread for this job only (before ``finished`` /
        ``failed`` are emitted), so each caller picks up after its own job, knowing its result
        type (pass ``ui.crash.handle_worker_error`` to show a failure in words)."""
        if self._job is not None:
            raise RuntimeError("a job is already running")
        self._on_done, self._on_error = on_done, on_error
        job = JobThread(fn)
        queued = Qt.ConnectionType.QueuedConnection
        job.progress.connect(self._on_job_progress, queued)
        job.succeeded.connect(self._on_job_succeeded, queued)
        job.failed.connect(self._on_job_failed, queued)
        job.finished.connect(_the_reaper().reap, queued)
        self._job = job
        if label and parent_widget is not None:
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent_widget)
            dialog.setWindowTitle("SRO Desk")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(job.cancel)
            self._dialog = dialog
        with _LOCK:
            _LIVE.add(job)
        job.start()

    def cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _on_job_progress(self, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total else 0)
        self.progress.emit(done, total)

    def _stop(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self._job is not None:
            self._job.wait()
        self._job = None

    def _owner_gone(self) -> bool:
        """The tab or dialog that started the job was closed and deleted while the job ran: its
        result has no one to go to (emitting into a deleted widget raises)."""
        if not self._owned:
            return False
        import shiboken6

        owner = self.parent()
        return owner is None or not shiboken6.isValid(owner)

    def _on_job_succeeded(self, result: object) -> None:
        self._stop()
        if self._owner_gone():
            return
        on_done, self._on_done, self._on_error = self._on_done, None, None
        if on_done is not None:
            on_done(result)
        self.finished.emit(result)

    def _on_job_failed(self, error: object) -> None:
        self._stop()
        if self._owner_gone():
            return
        on_error, self._on_done, self._on_error = self._on_error, None, None
        if on_error is not None and isinstance(error, BaseException):
            on_error(error)
        self.failed.emit(error)
