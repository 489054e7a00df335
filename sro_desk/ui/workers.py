"""Long work off the GUI thread.

A service function ``fn(progress, is_cancelled) -> result`` runs in a ``Worker`` inside a
``QThread`` with its own database connection. The GUI-thread ``JobRunner`` relays the worker's
signals, shows a progress dialog with Cancel, and quits the thread in its own slot (connecting
``worker.finished`` straight to ``thread.quit`` hangs ``thread.wait()`` in tests). Tests wait on the
runner's signals, which are emitted on the GUI thread.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

JobFunction = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class Worker(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: JobFunction) -> None:
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    @Slot()
    def run(self) -> None:
        from sro_desk.store.base import database_proxy

        try:
            db = database_proxy.obj
            if db is not None:
                with db.connection_context():
                    result = self._fn(self._report, self._cancel.is_set)
            else:
                result = self._fn(self._report, self._cancel.is_set)
        except BaseException as error:  # relayed to the GUI thread, which sorts known from bug
            error.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self.failed.emit(error)
        else:
            self.finished.emit(result)

    def _report(self, done: int, total: int) -> None:
        self.progress.emit(int(done), int(total))


class JobRunner(QObject):
    """Runs one job at a time; emits ``finished(result)`` or ``failed(error)`` on the GUI thread."""

    finished = Signal(object)
    failed = Signal(object)
    progress = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: Worker | None = None
        self._dialog: QProgressDialog | None = None

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, fn: JobFunction, label: str = "", parent_widget: QWidget | None = None) -> None:
        if self._thread is not None:
            raise RuntimeError("a job is already running")
        thread = QThread()
        worker = Worker(fn)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progress.connect(self._on_worker_progress, Qt.ConnectionType.QueuedConnection)
        worker.finished.connect(self._on_worker_finished, Qt.ConnectionType.QueuedConnection)
        worker.failed.connect(self._on_worker_failed, Qt.ConnectionType.QueuedConnection)
        self._thread, self._worker = thread, worker
        if label and parent_widget is not None:
            dialog = QProgressDialog(label, "Cancel", 0, 0, parent_widget)
            dialog.setWindowTitle("SRO Desk")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(400)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(worker.cancel)
            self._dialog = dialog
        thread.start()

    def cancel(self) -> None:
        if self._worker is not None:
            self._worker.cancel()

    def _on_worker_progress(self, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.setMaximum(max(total, 0))
            self._dialog.setValue(min(done, total) if total else 0)
        self.progress.emit(done, total)

    def _stop(self) -> None:
        if self._dialog is not None:
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            self._thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = None
        self._worker = None

    def _on_worker_finished(self, result: object) -> None:
        self._stop()
        self.finished.emit(result)

    def _on_worker_failed(self, error: object) -> None:
        self._stop()
        self.failed.emit(error)
