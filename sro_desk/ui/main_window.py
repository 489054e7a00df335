"""The main window: one tab per part of the program, File and Help menus, status bar."""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from typing import TYPE_CHECKING

# dialog, action and key classes are created on first use (after the first paint), not at import
from PySide6 import QtGui, QtWidgets
from PySide6.QtCore import QByteArray, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow, QMenu, QTabWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent

from sro_desk import __version__
from sro_desk.domain.errors import SroDeskError
from sro_desk.ui import preferences
from sro_desk.ui.context import AppContext, database_is_open
from sro_desk.ui.dialogs.messages import confirm, show_error, show_info
from sro_desk.ui.tabs import TabEntry
from sro_desk.ui.tabs.base import TabPage, available_tabs, build_page

BUILD_REST_AFTER_MS = 300


def tab_label(title: str) -> str:
    """A tab title as Qt shows it: "&" would otherwise become a keyboard accelerator."""
    return title.replace("&", "&&")


def remembered_tab() -> int:
    """The tab the window was showing when it last closed (0 on a new laptop)."""
    try:
        return int(str(preferences.app_settings().value("window/tab", 0)))
    except ValueError:
        return 0


def slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        from sro_desk.ui.session_controller import SessionController

        self.controller = SessionController(self)
        self.setWindowTitle("SRO Desk")
        self.setMinimumSize(900, 560)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Sections")
        self.hosts: list[LazyTab] = []
        for entry in available_tabs():
            host = LazyTab(entry, ctx)
            host.page_built.connect(self._on_host_page_built)
            self.hosts.append(host)
            index = self.tabs.addTab(host, tab_label(entry.title))
            self.tabs.setTabToolTip(index, entry.title)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.setCentralWidget(self.tabs)
        self.db_label = QLabel()
        self.db_label.setAccessibleName("Database file")
        self.statusBar().addPermanentWidget(self.db_label)
        ctx.status_message.connect(lambda text: self.statusBar().showMessage(text, 8000))
        ctx.data_changed.connect(lambda _kind: self._update_status())
        ctx.database_replaced.connect(self._update_status)
        self.file_menu = self.menuBar().addMenu("&File")
        self.view_menu = self.menuBar().addMenu("&View")
        self.help_menu = self.menuBar().addMenu("&Help")
        self._restore_geometry()
        self._update_status()
        ctx.database_replaced.connect(self._show_backup_problem)
        self._finish_setup()

    def _finish_setup(self) -> None:
        """What needs the open store, or is not seen in the first paint: the menus' actions
        (and their keyboard shortcuts), the idle lock, a daily backup's problem."""
        self._build_menus()
        from sro_desk.ui.idle_lock import IdleLock

        self.idle_lock = IdleLock(self)
        self.ctx.database_replaced.connect(self.idle_lock.reload)
        self._show_backup_problem()

    # ------------------------------------------------------------------ menus
    def _action(self, text: str, slot: object, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = "") -> QAction:
        action = QtGui.QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut if isinstance(shortcut, QtGui.QKeySequence) else QtGui.QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        file_menu = self.file_menu
        file_menu.addAction(self._action("&New database…", self._on_new_triggered, "Ctrl+Shift+N", "Start an empty database file"))
        file_menu.addAction(self._action("&Open…", self._on_open_triggered, QtGui.QKeySequence.StandardKey.Open, "Open another database file"))
        self.recent_menu = QMenu("Open &recent", self)
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Back up now", self._on_backup_triggered, "Ctrl+B", "Copy the database into the backups folder"))
        file_menu.addAction(self._action("&Restore from backup…", self._on_restore_triggered, tip="Replace the data with a backup (the current file is kept as a backup first)"))
        file_menu.addSeparator()
        self.protect_action = self._action("&Protect with passphrase…", self._on_protect_triggered, tip="Encrypt the database and its backups with a passphrase")
        self.change_passphrase_action = self._action("C&hange passphrase…", self._on_change_passphrase_triggered)
        self.remove_passphrase_action = self._action("Remove passp&hrase…", self._on_remove_passphrase_triggered)
        for action in (self.protect_action, self.change_passphrase_action, self.remove_passphrase_action):
            file_menu.addAction(action)
        file_menu.addAction(self._action("&Idle lock…", self._on_idle_lock_triggered, tip="Minutes without use before a protected database's data is hidden"))
        file_menu.aboutToShow.connect(self._update_protection_actions)
        self._update_protection_actions()
        file_menu.addSeparator()
        import_menu = QMenu("&Import", self)
        import_menu.addAction(self._action("&Training records…", self._on_import_training_triggered,
                                           tip="Completions, ESD documentation and waivers from an ESD's or agency's spreadsheet"))
        file_menu.addMenu(import_menu)
        self.templates_menu = QMenu("Download &templates", self)
        self.templates_menu.aboutToShow.connect(self._fill_templates_menu)
        file_menu.addMenu(self.templates_menu)
        file_menu.addAction(self._action("District &set-up…", self._on_setup_triggered, "Ctrl+,", "Buildings, agencies and companies, school years"))
        file_menu.addAction(self._action("Your &name for the audit trail…", self._on_actor_triggered))
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Quit", self.close, QtGui.QKeySequence.StandardKey.Quit))
        view_menu = self.view_menu
        for index, host in enumerate(self.hosts):
            view_menu.addAction(self._action(tab_label(host.entry.title), lambda _c=False, i=index: self.tabs.setCurrentIndex(i), f"Ctrl+{index + 1}" if index < 9 else None))
        view_menu.addSeparator()
        view_menu.addAction(self._action("&Refresh", lambda: self.ctx.notify("*"), QtGui.QKeySequence.StandardKey.Refresh))
        help_menu = self.help_menu
        help_menu.addAction(self._action("&User guide", self._on_guide_triggered, QtGui.QKeySequence.StandardKey.HelpContents))
        help_menu.addAction(self._action("Open &log folder", self._on_open_log_folder_triggered, tip="The program's log (ids only, never student data), for support"))
        help_menu.addAction(self._action("&About SRO Desk", self._on_about_triggered))

    def _on_import_training_triggered(self) -> None:
        """File › Import › Training records…: the Training tab's import, with the tab in view."""
        from sro_desk.ui.tabs.training_tab import TrainingTab

        for index, host in enumerate(self.hosts):
            page = host.page() if host.entry.title == TrainingTab.TAB_TITLE else None
            if isinstance(page, TrainingTab):
                self.tabs.setCurrentIndex(index)
                page._on_import_clicked()
                return

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = [p for p in preferences.recent_files() if p.exists()]
        if not files:
            none = self.recent_menu.addAction("(none yet)")
            none.setEnabled(False)
        for path in files:
            self.recent_menu.addAction(str(path), lambda p=path: self.switch_database(p))

    def _fill_templates_menu(self) -> None:
        from sro_desk.services.templates import all_templates

        self.templates_menu.clear()
        for spec in all_templates():
            self.templates_menu.addAction(f"{spec.title} template…", lambda s=spec: self._save_template(s))

    def _save_template(self, spec: object) -> None:
        from sro_desk.services.templates import TemplateSpec, write_template

        assert isinstance(spec, TemplateSpec)
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, f"Save the {spec.title} template", str(Path.home() / spec.filename), "Excel workbook (*.xlsx);;CSV (*.csv)")
        if path:
            write_template(spec, Path(path))
            self.ctx.say(f"Template saved to {path}")

    def _show_backup_problem(self) -> None:
        """A daily backup that could not be written is said in the status bar until replaced."""
        if not database_is_open():
            return
        from sro_desk.services.storage import daily_backup_problem

        problem = daily_backup_problem()
        if problem:
            self.statusBar().showMessage(problem)

    # ------------------------------------------------------------------ passphrase
    def _update_protection_actions(self) -> None:
        protected = False
        if database_is_open():  # (the menu is refreshed each time it opens)
            with contextlib.suppress(RuntimeError):
                protected = self.controller.session.is_protected()
        self.protect_action.setEnabled(not protected)
        self.change_passphrase_action.setEnabled(protected)
        self.remove_passphrase_action.setEnabled(protected)

    def _after_protection_change(self) -> None:
        self._update_protection_actions()
        self.idle_lock.reload()
        self.ctx.database_replaced.emit()

    def _on_protect_triggered(self) -> None:
        from sro_desk.ui.dialogs.passphrase_dialog import protect_database

        if protect_database(self, self.ctx.db_path):
            self._after_protection_change()

    def _on_change_passphrase_triggered(self) -> None:
        from sro_desk.ui.dialogs.passphrase_dialog import change_database_passphrase

        if change_database_passphrase(self, self.ctx.db_path):
            self._after_protection_change()

    def _on_remove_passphrase_triggered(self) -> None:
        from sro_desk.ui.dialogs.passphrase_dialog import remove_database_passphrase

        if remove_database_passphrase(self, self.ctx.db_path):
            self._after_protection_change()

    def _on_idle_lock_triggered(self) -> None:
        from sro_desk.ui.dialogs.passphrase_dialog import set_idle_lock_minutes

        minutes = set_idle_lock_minutes(self)
        if minutes is not None:
            self.idle_lock.reload()
            self.ctx.say(f"Idle lock: {minutes} minutes" if minutes else "Idle lock turned off")

    # ------------------------------------------------------------------ database
    def switch_database(self, path: Path) -> bool:
        try:
            if not self.controller.switch(Path(path)):
                return False
        except SroDeskError as error:
            show_error(self, error)
            return False
        self.ctx.db_path = Path(path).resolve()
        preferences.remember_file(self.ctx.db_path)
        self.ctx.database_replaced.emit()
        self.ctx.say(f"Opened {path}")
        self.show_open_notice()
        return True

    def show_open_notice(self) -> None:
        """What opening the database finished or found, until the next message replaces it."""
        if self.controller.notice:
            self.statusBar().showMessage(self.controller.notice)

    def _on_new_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getSaveFileName(self, "New database", str(self.ctx.db_path.parent / "district.db"), "SRO Desk database (*.db)")
        if not path:
            return
        target = Path(path)
        if target.exists() and target.stat().st_size > 0:
            show_error(self, f"{target.name} already exists. Choose a new file name, or use File > Open.")
            return
        if self.switch_database(target) and confirm(
            self,
            f"Protect {target.name} with a passphrase?\n\nA protected database and its backups are "
            "encrypted: nobody can read them without the passphrase. You can also do this later "
            "with File > Protect with passphrase.",
            ok_label="Protect…",
        ):
            self._on_protect_triggered()

    def _on_open_triggered(self) -> None:
        path, _ = QtWidgets.QFileDialog.getOpenFileName(self, "Open database", str(self.ctx.db_path.parent), "SRO Desk database (*.db);;All files (*)")
        if path:
            self.switch_database(Path(path))

    def _on_backup_triggered(self) -> None:
        try:
            dest = self.controller.session.backup_now()
        except Exception as error:
            from sro_desk.ui.crash import handle_worker_error

            handle_worker_error(self, error)
            return
        self.ctx.say(f"Backup written to {dest}")
        show_info(self, f"Backup written to\n{dest}")

    def _on_restore_triggered(self) -> None:
        session = self.controller.session
        found = session.list_backups()
        if not found:
            show_info(self, f"There are no backups yet in {session.backups_folder()}.")
            return
        labels = [b.label for b in found]
        label, ok = QtWidgets.QInputDialog.getItem(self, "Restore from backup", "Choose the backup to restore (newest first):", labels, 0, False)
        if not ok:
            return
        chosen = found[labels.index(label)]
        if not confirm(self, f"Replace all data with the backup of {label}?\n\nThe current data is first kept as a backup of its own.", ok_label="Restore"):
            return
        try:
            safety = session.restore(chosen.path)
        except Exception as error:
            from sro_desk.ui.crash import handle_worker_error

            handle_worker_error(self, error)
            return
        self.ctx.database_replaced.emit()
        show_info(self, f"Restored the backup of {label}.\nThe data as it was before is kept in {safety.name}.")

    def _on_setup_triggered(self) -> None:
        from sro_desk.ui.dialogs.setup_dialog import SetupDialog

        SetupDialog(self, on_change=lambda: self.ctx.notify("setup")).exec()

    def _on_actor_triggered(self) -> None:
        from sro_desk.services.storage import current_actor, set_actor

        name, ok = QtWidgets.QInputDialog.getText(self, "Your name", "The name recorded in the audit trail for your changes\n(leave empty to use your computer login name):", text=preferences.actor_name())
        if ok:
            preferences.set_actor_name(name)
            set_actor(name or None)
            self.ctx.say(f"Changes are now recorded as {current_actor()}.")

    # ------------------------------------------------------------------ help
    def _on_guide_triggered(self) -> None:
        from sro_desk.ui.dialogs.guide_dialog import GuideDialog

        GuideDialog(self).exec()

    def _on_open_log_folder_triggered(self) -> None:
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from sro_desk.logs import log_folder

        folder = log_folder()
        folder.mkdir(parents=True, exist_ok=True)
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            show_info(self, f"The log is kept in\n{folder}", "Log folder")
        self.ctx.say(f"Log folder: {folder}")

    def _on_about_triggered(self) -> None:
        from sro_desk.logs import log_file

        info = self.controller.session.info()
        where = info.address if info else str(self.ctx.db_path)
        version = info.schema_version if info else "?"
        protection = "protected with a passphrase" if info and info.protected else "not protected"
        show_info(
            self,
            f"SRO Desk {__version__}\n\nThe school safety and security staff program office, offline.\n\n"
            f"Database ({info.kind if info else 'file'}, {protection}): {where}\nSchema version: {version}\n"
            f"Log: {log_file()}\n\n"
            "Built on Qt (PySide6), SQLite (peewee), openpyxl and reportlab.",
            "About SRO Desk",
        )

    # ------------------------------------------------------------------ window
    @property
    def pages(self) -> list[TabPage]:
        """Every tab's page, building those not yet built."""
        return [host.page() for host in self.hosts]

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        current = self.tabs.currentWidget()
        if isinstance(current, LazyTab):
            current.page()
        # The other tabs are built shortly after the window is on screen, one per turn of the
        # event loop, so start-up paints the first tab without waiting for the rest.
        QTimer.singleShot(BUILD_REST_AFTER_MS, self, self._build_next_tab)

    def _build_next_tab(self) -> None:
        if not self.isVisible():  # closed meanwhile: nothing to prepare
            return
        if not database_is_open():  # closed meanwhile (a switch, a restore)
            return
        for host in self.hosts:
            if not host.built:
                page = host.page()
                if page.TITLE_NEEDS_DATA and page.needs_refresh:
                    page.refresh()
                QTimer.singleShot(0, self, self._build_next_tab)
                return

    def _on_tabs_current_changed(self, index: int) -> None:
        host = self.tabs.widget(index)
        if isinstance(host, LazyTab):
            host.page()

    def _on_host_page_built(self, host: LazyTab) -> None:
        page = host.page()
        page.title_changed.connect(lambda text, h=host: self._on_page_title_changed(h, text))
        self._on_page_title_changed(host, page.current_title())

    def _on_page_title_changed(self, host: LazyTab, text: str) -> None:
        index = self.tabs.indexOf(host)
        if index >= 0:
            self.tabs.setTabText(index, tab_label(text))

    def _update_status(self) -> None:
        from sro_desk.services.district import district_name
        from sro_desk.services.storage import staff_count

        district, staff = district_name(), staff_count()
        self.setWindowTitle(f"SRO Desk — {district or 'District not set up'}")
        self.db_label.setText(f"{staff} staff · {self.ctx.db_path}")

    def _restore_geometry(self) -> None:
        store = preferences.app_settings()
        geometry = store.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        self.tabs.setCurrentIndex(remembered_tab())

    def closeEvent(self, event: QCloseEvent) -> None:
        store = preferences.app_settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/tab", self.tabs.currentIndex())
        super().closeEvent(event)


class LazyTab(QWidget):
    """Holds a tab's place; imports and builds the real page the first time it is needed."""

    page_built = Signal(object)

    def __init__(self, entry: TabEntry, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entry = entry
        self.ctx = ctx
        self._page: TabPage | None = None
        self.setAccessibleName(entry.title)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._page is not None

    def page(self) -> TabPage:
        if self._page is None:
            page = build_page(self.entry, self.ctx)  # a page that raises is reported, not fatal
            self._page = page
            self._layout.addWidget(page)
            self.page_built.emit(self)
        return self._page
