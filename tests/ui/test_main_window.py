from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from sro_desk.store import backups, roster_repo, settings
from sro_desk.store.database import current_database, open_database
from sro_desk.ui import preferences
from sro_desk.ui.dialogs.first_run import FirstRunDialog
from sro_desk.ui.dialogs.guide_dialog import GuideDialog
from sro_desk.ui.dialogs.setup_dialog import BuildingDialog, SchoolYearDialog, SetupDialog
from sro_desk.ui.main_window import MainWindow
from sro_desk.ui.tabs.base import tab_classes


@pytest.fixture
def window(demo_ctx: Any, qtbot: Any) -> MainWindow:
    """(demo_ctx first: pytest then closes the window before the database.)"""
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    return win


def test_tabs_in_order_with_roster_first(window: MainWindow) -> None:
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert titles[0] == "Roster"
    assert len(titles) == len(tab_classes())
    orders = [c.TAB_ORDER for c in tab_classes()]
    assert orders == sorted(orders)


def test_menus_and_shortcuts(window: MainWindow) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    assert {"File", "View", "Help"} <= set(menus)
    file_items = [a.text().replace("&", "") for a in menus["File"].actions() if a.text()]  # type: ignore[union-attr]
    for expected in ("New database…", "Open…", "Open recent", "Back up now", "Restore from backup…", "Download templates", "Quit"):
        assert expected in file_items
    help_items = [a.text().replace("&", "") for a in menus["Help"].actions()]  # type: ignore[union-attr]
    assert help_items == ["User guide", "Open log folder", "About SRO Desk"]


def test_title_and_status_show_district(window: MainWindow) -> None:
    assert "Cedar Valley School District" in window.windowTitle()
    assert "15 staff" in window.db_label.text()


def test_about_shows_version_path_and_schema(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("sro_desk.ui.main_window.show_info", lambda _p, text, *_a, **_k: shown.append(text))
    window._on_about_triggered()
    assert "Schema version:" in shown[0] and str(window.ctx.db_path) in shown[0] and "SRO Desk 0." in shown[0]


def test_guide_dialog_shows_markdown(qtbot: Any) -> None:
    dialog = GuideDialog()
    qtbot.addWidget(dialog)
    from PySide6.QtWidgets import QTextBrowser

    browser = dialog.findChild(QTextBrowser)
    assert browser is not None and "SRO Desk" in browser.toPlainText()


def test_backup_now(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sro_desk.ui.main_window.show_info", lambda *a, **k: None)
    window._on_backup_triggered()
    assert any(b.reason == "manual" for b in backups.list_backups(window.ctx.db_path))



def test_restore_from_backup(window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.domain.roster import Provider, ProviderKind

    backups.make_backup(current_database(), window.ctx.db_path, reason="manual")
    roster_repo.save_provider(Provider(None, "Added After Backup", ProviderKind.SHERIFF))
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getItem", lambda *a, **k: (backups.list_backups(window.ctx.db_path)[0].label, True))
    monkeypatch.setattr("sro_desk.ui.main_window.confirm", lambda *a, **k: True)
    monkeypatch.setattr("sro_desk.ui.main_window.show_info", lambda *a, **k: None)
    window._on_restore_triggered()
    assert not any(p.name == "Added After Backup" for p in roster_repo.list_providers())
    assert any(b.reason == "before-restore" for b in backups.list_backups(window.ctx.db_path))


def test_geometry_remembered(window: MainWindow, qtbot: Any, demo_ctx: Any) -> None:
    # (the offscreen screen is 800×600, so restored sizes are clamped: check the tab instead)
    window.show()
    window.tabs.setCurrentIndex(1)
    window.close()
    again = MainWindow(demo_ctx)
    qtbot.addWidget(again)
    assert again.tabs.currentIndex() == 1
    assert preferences.app_settings().value("window/geometry") is not None


def test_switch_to_new_database_asks_first_run(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_first_run(dialog: FirstRunDialog) -> int:
        dialog.name.setText("North Fork School District")
        dialog.esd.setText("ESD 189")
        dialog.actor.setText("Dana Whitcomb")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(FirstRunDialog, "exec", fake_first_run)
    new = tmp_path / "fresh.db"
    assert window.switch_database(new)
    assert settings.district_name() == "North Fork School District"
    from sro_desk.store.audit import audit_entries, current_actor

    assert current_actor() == "Dana Whitcomb" and preferences.actor_name() == "Dana Whitcomb"
    assert audit_entries("Setting")[-1].actor == "Dana Whitcomb"
    assert "North Fork" in window.windowTitle()
    assert preferences.recent_files()[0] == new.resolve()


def test_switch_to_bad_file_keeps_current(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("sro_desk.ui.main_window.show_error", lambda _p, e, *_a: shown.append(str(e)))
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"nope" * 500)
    assert not window.switch_database(bad)
    assert "not an SRO Desk database" in shown[0]
    assert len(roster_repo.list_staff()) == 15


def test_first_run_dialog_needs_a_name(qtbot: Any) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = FirstRunDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok is not None and not ok.isEnabled()
    dialog.name.setText("X District")
    assert ok.isEnabled()


def test_setup_dialog_edits_buildings(qtbot: Any, demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(dialog: BuildingDialog) -> int:
        dialog.name.setText("New Horizons Academy")
        dialog.code.setText("NHA")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(BuildingDialog, "exec", fake_exec)
    changes: list[int] = []
    dialog = SetupDialog(on_change=lambda: changes.append(1))
    qtbot.addWidget(dialog)
    dialog.buildings._on_add_clicked()
    assert any(b.code == "NHA" for b in roster_repo.list_buildings())
    assert changes


def test_building_dialog_refuses_duplicate_code(qtbot: Any, demo_db: Path) -> None:
    from PySide6.QtWidgets import QDialogButtonBox

    dialog = BuildingDialog(roster_repo.list_buildings())
    qtbot.addWidget(dialog)
    dialog.name.setText("Another")
    dialog.code.setText("cvhs")
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save is not None and not save.isEnabled()
    assert "already used" in dialog.problems_label.text()


def test_school_year_dialog_refuses_reversed_dates(qtbot: Any, demo_db: Path) -> None:
    import datetime as dt

    dialog = SchoolYearDialog(roster_repo.list_school_years())
    qtbot.addWidget(dialog)
    dialog.label.setText("2027-28")
    dialog.first.setDate(dt.date(2028, 6, 1))
    dialog.last.setDate(dt.date(2027, 9, 1))
    assert "must come after" in dialog.problems_label.text()


def test_message_box_helpers_do_not_block(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.domain.errors import ImportRefused, RowProblem
    from sro_desk.ui.dialogs.messages import show_error

    captured: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: captured.append(self) or 0)
    show_error(None, ImportRefused([RowProblem(i, "date", "bad date") for i in range(2, 40)]))
    box = captured[0]
    assert "38 problems" in box.text()
    assert "and 23 more" in box.informativeText()
    assert box.detailedText().count("bad date") == 38


def _other_district(demo_db: Path, tmp_path: Path) -> Path:
    """A copy of the demo district under another name ("Other Valley SD"); the demo file is closed."""
    import shutil
    import sqlite3

    from sro_desk.store.database import close_database

    close_database()
    other = tmp_path / "other.db"
    shutil.copyfile(demo_db, other)
    with sqlite3.connect(other) as con:
        con.execute("UPDATE setting_record SET value = '\"Other Valley SD\"' WHERE key = 'district.name'")
    con.close()
    return other


def _fail_first_open(monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.store.errors import StoreError, StoreProblem
    from sro_desk.ui.session_controller import SessionController

    real = SessionController.open
    calls: list[Path] = []

    def open_(self: SessionController, path: Path, **kwargs: Any) -> bool:
        calls.append(path)
        if len(calls) == 1:
            raise StoreError(StoreProblem.LOCKED, "another program holds it", str(path))
        return real(self, path, **kwargs)

    monkeypatch.setattr(SessionController, "open", open_)


def _run_painting(
    monkeypatch: pytest.MonkeyPatch, qtbot: Any, demo_db: Path,
) -> tuple[int, list[MainWindow]]:
    """``run_gui`` on ``demo_db`` as far as "interactive"; the window it painted."""
    from sro_desk import app
    from sro_desk.store.database import close_database

    close_database()
    painted: list[MainWindow] = []

    def first_paint(qapp: Any, window: MainWindow, probe: bool) -> None:
        qtbot.addWidget(window)
        window.show()
        qapp.processEvents()
        painted.append(window)

    monkeypatch.setenv(app.READY_PROBE, "1")
    monkeypatch.setattr(app, "_first_paint", first_paint)
    monkeypatch.setattr("sro_desk.ui.crash.install_excepthook", lambda: None)
    return app.run_gui(demo_db), painted


def test_a_file_that_fails_to_open_is_explained_and_quit_paints_no_window(
    demo_db: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    _fail_first_open(monkeypatch)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()) or 0)  # Quit
    code, painted = _run_painting(monkeypatch, qtbot, demo_db)
    assert code == 2
    assert "busy" in said[0] and painted == []
    open_database(demo_db, daily_backup=False)  # the fixture closes it


def test_a_file_that_fails_to_open_can_be_replaced_by_another(
    demo_db: Path, tmp_path: Path, qtbot: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    other = _other_district(demo_db, tmp_path)
    _fail_first_open(monkeypatch)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: 0)
    monkeypatch.setattr(QMessageBox, "clickedButton",
                        lambda box: next(b for b in box.buttons() if b.text().startswith("Open another")))
    monkeypatch.setattr("PySide6.QtWidgets.QFileDialog.getOpenFileName", lambda *a, **k: (str(other), ""))
    code, painted = _run_painting(monkeypatch, qtbot, demo_db)
    assert code == 0
    window = painted[0]
    assert window.ctx.db_path == other.resolve()
    assert "Other Valley SD" in window.windowTitle()
    assert any(a.text() == "&Quit" for a in window.file_menu.actions())
    open_database(demo_db, daily_backup=False)


def test_file_import_training_records_opens_the_training_import(window: MainWindow,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6 import QtWidgets

    asked: list[str] = []

    def choose(*args: object, **kwargs: object) -> tuple[str, str]:
        asked.append(str(args[1] if len(args) > 1 else kwargs.get("caption", "")))
        return "", ""  # the coordinator cancels the file dialog

    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", staticmethod(choose))
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&File")
    import_menu = next(a.menu() for a in file_menu.actions() if a.text() == "&Import")
    action = next(a for a in import_menu.actions() if a.text() == "&Training records…")
    action.trigger()
    assert window.tabs.tabText(window.tabs.currentIndex()).startswith("Training")
    assert len(asked) == 1
