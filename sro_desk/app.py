"""Builds the QApplication, opens the store and shows the main window. No business rules here."""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QWidget

from sro_desk import __version__, clock
from sro_desk.domain.errors import SroDeskError
from sro_desk.paths import default_database_path, resource

if TYPE_CHECKING:
    from PySide6.QtGui import QImage

    from sro_desk.store.snapshot import StartSnapshot

#: set (to anything) to print "sro-desk: ready" once the main window is painted and
#: "sro-desk: interactive" once the store is open too, then close as usual: benchmarks/startup.py
#: times start-up by those lines.
READY_PROBE = "SRO_DESK_EXIT_WHEN_READY"


def resume_collection() -> None:
    """End the garbage-collector pause of start-up (cli.start_gui), freezing what start-up made."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def make_application(argv: list[str] | None = None, *, icon: bool = True) -> QApplication:
    """The QApplication, named; ``icon=False`` leaves the window icon for ``set_window_icon``."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(argv if argv is not None else sys.argv[:1])
    QCoreApplication.setApplicationName("SRO Desk")
    QCoreApplication.setOrganizationName("SRO Desk")
    QCoreApplication.setApplicationVersion(__version__)
    if icon:
        set_window_icon(app)
    return app


def set_window_icon(app: QApplication) -> None:
    """The program's icon on every window (an open window takes it up when it is set)."""
    from PySide6.QtGui import QIcon

    icon = resource("icons", "sro-desk.png")
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))


def _open_or_explain(path: Path, parent: QWidget | None) -> Path | None:
    """Open ``path``; on a known failure explain it and offer another file. ``None`` = give up."""
    from PySide6.QtWidgets import QFileDialog, QMessageBox

    from sro_desk.store.errors import StoreError, StoreProblem
    from sro_desk.ui.dialogs.passphrase_dialog import open_with_passphrase

    while True:
        try:
            if not open_with_passphrase(path, parent):
                raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "cancelled", str(path))
            return path
        except StoreError as error:
            box = QMessageBox(parent)
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle("SRO Desk cannot open the database")
            box.setText(str(error))
            other = box.addButton("Open another file…", QMessageBox.ButtonRole.AcceptRole)
            box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
            box.exec()
            if box.clickedButton() is not other:
                return None
            chosen, _ = QFileDialog.getOpenFileName(parent, "Open database", str(path.parent), "SRO Desk database (*.db);;All files (*)")
            if not chosen:
                return None
            path = Path(chosen)


def ask_first_run(parent: QWidget | None, db_path: Path) -> None:
    """A new, empty database: name the district, or fill the file with the demo district."""
    from PySide6.QtWidgets import QDialog

    from sro_desk.store import roster_repo, settings
    from sro_desk.store.database import close_database, open_database
    from sro_desk.ui.dialogs.first_run import FirstRunDialog

    dialog = FirstRunDialog(parent)
    result = dialog.exec()
    if result in (FirstRunDialog.DEMO, QDialog.DialogCode.Accepted) and dialog.actor.text().strip():
        from sro_desk.store.audit import set_actor
        from sro_desk.ui import preferences

        preferences.set_actor_name(dialog.actor.text())
        set_actor(dialog.actor.text())
    if result == FirstRunDialog.DEMO and not roster_repo.list_staff():
        from sro_desk.services.demo import build_demo

        close_database()
        db_path.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(db_path) + suffix).unlink(missing_ok=True)
        build_demo(db_path)
        open_database(db_path)
    elif result == QDialog.DialogCode.Accepted:
        settings.set_setting(settings.DISTRICT_NAME, dialog.name.text().strip())
        settings.set_setting(settings.DISTRICT_ESD, dialog.esd.text().strip())


def build_window(db_path: Path, start_snapshot: StartSnapshot | None = None) -> QWidget:
    """The main window on the open store, or painting first from ``start_snapshot`` (the caller
    then opens the store and calls ``attach_store``)."""
    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow

    if start_snapshot is None:
        attach_store()
    return MainWindow(AppContext(db_path, start_snapshot=start_snapshot))


def attach_store(window: QWidget | None = None) -> None:
    """What needs the open store: the audit trail's author, and a window painted from a snapshot."""
    from sro_desk.store.audit import set_actor
    from sro_desk.ui import preferences

    set_actor(preferences.actor_name() or None)
    if window is not None:
        from sro_desk.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        window.store_opened()


def run_gui(db_path: str | Path | None = None, smoke: bool = False, start_snapshot: StartSnapshot | None = None) -> int:
    """The program. ``start_snapshot`` (read by ``cli.start_gui`` before Qt is loaded, or here)
    is painted first when the window opens on the roster; see docs/developing.md, Start-up."""
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # the icon is loaded after the first paint (below): the window takes it up when it comes
    app = make_application(icon=smoke)
    path = Path(db_path).expanduser() if db_path else default_database_path()
    if smoke:
        return _smoke(app, path)
    from sro_desk.ui import preferences
    from sro_desk.ui.crash import install_excepthook

    install_excepthook()
    probe = bool(os.environ.get(READY_PROBE))
    # A file that is plainly fine paints from a read-only snapshot, and the store (the ORM, the
    # checks, the daily backup) opens right after, before any input is handled; any other file
    # is opened first, with every question and refusal that can bring.
    from sro_desk.ui.main_window import paints_from_start_snapshot

    snapshot = None
    if paints_from_start_snapshot():
        from sro_desk.store.snapshot import read_start_snapshot

        same_file = start_snapshot is not None and start_snapshot.path.resolve() == path.resolve()
        snapshot = start_snapshot if same_file else read_start_snapshot(path)
    if snapshot is not None:
        started = _paint_then_open(app, path, snapshot, probe)
    else:
        started = _open_then_paint(app, path, probe)
    if started is None:
        return 2
    opened = started[1]  # (``started`` holds the window for as long as the program runs)
    preferences.remember_file(opened.resolve())
    if probe:
        print("sro-desk: interactive", flush=True)  # the store is open: input is handled from here
    try:
        return 0 if probe else app.exec()
    finally:
        from sro_desk.store.database import close_database
        from sro_desk.ui.workers import wait_for_jobs

        wait_for_jobs()
        close_database()


def _paint_then_open(app: QApplication, path: Path, snapshot: StartSnapshot, probe: bool) -> tuple[QWidget, Path] | None:
    """The window painted from the snapshot, then the store opened under it (None: given up)."""
    window = build_window(path.resolve(), snapshot)
    _first_paint(app, window, probe)
    resume_collection()  # (before any dialog opening the store might need)
    set_window_icon(app)
    opened = _open_or_explain(path, window)
    if opened is None:
        window.close()
        return None
    attach_store(window)
    if opened.resolve() != path.resolve():  # the file failed to open and another was chosen
        _switched_to(window, opened.resolve())
    return window, opened


def _open_then_paint(app: QApplication, path: Path, probe: bool) -> tuple[QWidget, Path] | None:
    """The store opened first, with whatever it asks (passphrase, first run), then the window."""
    resume_collection()  # dialogs may come before the window: no pause through them
    set_window_icon(app)
    opened = _open_or_explain(path, None)
    if opened is None:
        return None
    _ask_first_run_if_needed(opened)
    window = build_window(opened.resolve())
    _first_paint(app, window, probe)
    return window, opened


def _first_paint(app: QApplication, window: QWidget, probe: bool) -> None:
    from PySide6.QtCore import QEventLoop

    window.show()
    # The first paint. A click or key pressed meanwhile waits for app.exec(), when the store is
    # open: the window may be painted from the start-up snapshot.
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if probe:
        print("sro-desk: ready", flush=True)


def _ask_first_run_if_needed(opened: Path, parent: QWidget | None = None) -> None:
    from sro_desk.store import settings

    try:
        if not settings.is_set_up():
            ask_first_run(parent, opened)
    except SroDeskError as error:
        from sro_desk.ui.dialogs.messages import show_error

        show_error(parent, error)


def _switched_to(window: QWidget, opened: Path) -> None:
    from sro_desk.ui.main_window import MainWindow

    assert isinstance(window, MainWindow)
    window.ctx.db_path = opened
    _ask_first_run_if_needed(opened, window)
    window.ctx.database_replaced.emit()


def _smoke(app: QApplication, path: Path) -> int:
    """Build the window offscreen, visit every tab, and exit: 0 when all of it worked."""
    from sro_desk.store.database import close_database, open_database

    try:
        open_database(path, daily_backup=False)
    except SroDeskError as error:
        print(f"sro-desk: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    try:
        window = build_window(path.resolve())
        window.show()
        from sro_desk.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            window.tabs.widget(index).grab()
        assert all(host.built for host in window.hosts)
        from sro_desk.ui.workers import wait_for_jobs

        wait_for_jobs()
        from sro_desk.services.smoke import run_smoke_exports

        print(run_smoke_exports())  # one xlsx, one PDF, one JSON export; raises if one is broken
        print(f"smoke ok: {window.tabs.count()} tabs: " + ", ".join(window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())))
        window.close()
        app.processEvents()
        return 0
    finally:
        close_database()


def settle(app: QApplication, ms: int = 400) -> None:
    """Let timers and background jobs started by a tab finish, so a picture shows the result."""
    import time

    from sro_desk.ui.workers import wait_for_jobs

    deadline = clock.monotonic() + ms / 1000
    while clock.monotonic() < deadline:
        app.processEvents()
        wait_for_jobs()
        time.sleep(0.01)
    app.processEvents()


def _settled_grab(app: QApplication, window: QWidget, step_ms: int = 250, limit_s: float = 15.0) -> QImage:
    """The window once it has stopped changing: background work (clearance notes, tab counts)
    takes longer on a busy machine, and a picture taken halfway would differ from run to run."""
    settle(app)
    image = window.grab().toImage()
    steady, deadline = 0, clock.monotonic() + limit_s
    while steady < 2 and clock.monotonic() < deadline:
        settle(app, step_ms)
        again = window.grab().toImage()
        steady = steady + 1 if again == image else 0
        image = again
    return image


def render_screenshots(
    db_path: str | Path | None, out_dir: Path, size: tuple[int, int] = (1280, 800), *, as_of: dt.date | None = None
) -> list[Path]:
    """Every tab rendered offscreen to ``out_dir/<tab>.png`` (the user guide's pictures).

    With ``as_of`` the program's clock holds at 10:00 that day, so the same database always gives
    the same pictures (deadlines, "days left", printed dates).
    """
    if as_of is not None:
        clock.hold_at(dt.datetime.combine(as_of, dt.time(10, 0)))
    try:
        return _render_screenshots(db_path, out_dir, size)
    finally:
        clock.hold_at(None)


def _render_screenshots(db_path: str | Path | None, out_dir: Path, size: tuple[int, int]) -> list[Path]:
    from sro_desk.store.database import close_database, open_database

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    path = Path(db_path).expanduser() if db_path else default_database_path()
    open_database(path, daily_backup=False)
    written: list[Path] = []
    try:
        from sro_desk.ui.main_window import MainWindow, slug

        window = build_window(path.resolve())
        assert isinstance(window, MainWindow)
        window.resize(*size)
        window.show()
        out_dir.mkdir(parents=True, exist_ok=True)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            target = out_dir / f"{slug(window.hosts[index].entry.title)}.png"
            _settled_grab(app, window).save(str(target))
            written.append(target)
        from sro_desk.ui.workers import wait_for_jobs

        wait_for_jobs()
        window.close()
    finally:
        close_database()
    return written
