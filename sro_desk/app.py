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

#: set (to anything) to print "sro-desk: ready" once the main window is painted and
#: "sro-desk: interactive" right after (the store is open before the window is built), then
#: close as usual: benchmarks/startup.py times start-up by those lines.
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


def build_window(db_path: Path) -> QWidget:
    """The main window on the open store."""
    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow

    attach_store()
    return MainWindow(AppContext(db_path))


def attach_store() -> None:
    """What needs the open store: the audit trail's author."""
    from sro_desk.store.audit import set_actor
    from sro_desk.ui import preferences

    set_actor(preferences.actor_name() or None)


def run_gui(db_path: str | Path | None = None, smoke: bool = False) -> int:
    """The program: the store is opened (with whatever it asks: passphrase, damaged file, first
    run), then the window is built and painted; its tabs build lazily, and the exporters are
    imported only when something is exported. See docs/developing.md, Start-up."""
    from sro_desk.logs import setup_logging

    setup_logging()
    if smoke:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # the icon is loaded after the store is open (below): the window takes it up when it comes
    app = make_application(icon=smoke)
    path = Path(db_path).expanduser() if db_path else default_database_path()
    if smoke:
        return _smoke(app, path)
    from sro_desk.ui import preferences
    from sro_desk.ui.crash import install_excepthook

    install_excepthook()
    probe = bool(os.environ.get(READY_PROBE))
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
        from sro_desk.services.session import current_session
        from sro_desk.ui.workers import wait_for_jobs

        wait_for_jobs()
        current_session().close()


def _open_then_paint(app: QApplication, path: Path, probe: bool) -> tuple[QWidget, Path] | None:
    """The store opened first, with whatever it asks (passphrase, first run), then the window."""
    from sro_desk.ui.session_controller import SessionController

    resume_collection()  # dialogs may come before the window: no pause through them
    set_window_icon(app)
    controller = SessionController(None)
    opened = controller.open_at_start(path)
    if opened is None:
        return None
    controller.first_run_if_needed()
    window = build_window(opened.resolve())
    _first_paint(app, window, probe)
    from sro_desk.ui.main_window import MainWindow

    if isinstance(window, MainWindow):
        window.show_open_notice()
    return window, opened


def _first_paint(app: QApplication, window: QWidget, probe: bool) -> None:
    from PySide6.QtCore import QEventLoop

    window.show()
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    if probe:
        print("sro-desk: ready", flush=True)


def _smoke(app: QApplication, path: Path) -> int:
    """Build the window offscreen, visit every tab, and exit: 0 when all of it worked."""
    from sro_desk.services.session import FileTarget, current_session

    session = current_session()
    try:
        session.open(FileTarget(path), daily_backup=False)
    except SroDeskError as error:
        print(f"sro-desk: {' '.join(str(error).split())}", file=sys.stderr)
        return 2
    try:
        from sro_desk.ui.tabs.base import tab_failures

        failed_before = len(tab_failures())
        window = build_window(path.resolve())
        window.show()
        from sro_desk.ui.main_window import MainWindow

        assert isinstance(window, MainWindow)
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            app.processEvents()
            window.tabs.widget(index).grab()
        assert all(host.built for host in window.hosts)
        failures = tab_failures()[failed_before:]
        if failures:  # a tab that raised is kept on screen, but the smoke run fails
            for failure in failures:
                print(f"sro-desk: tab failed: {failure}", file=sys.stderr)
            window.close()
            app.processEvents()
            return 1
        from sro_desk.ui.workers import wait_for_jobs

        wait_for_jobs()
        from sro_desk.services.smoke import run_smoke_exports

        print(run_smoke_exports())  # one xlsx, one PDF, one JSON export; raises if one is broken
        print(f"smoke ok: {window.tabs.count()} tabs: " + ", ".join(window.tabs.tabText(i).replace("&&", "&") for i in range(window.tabs.count())))
        window.close()
        app.processEvents()
        return 0
    finally:
        session.close()


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
    from sro_desk.services.session import FileTarget, current_session

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    path = Path(db_path).expanduser() if db_path else default_database_path()
    session = current_session()
    session.open(FileTarget(path), daily_backup=False)
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
        session.close()
    return written
