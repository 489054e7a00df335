"""The GUI side of encryption: the passphrase dialog, opening with retry, File menu, idle lock."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from sro_desk.store import encryption, roster_repo
from sro_desk.store.database import close_database, current_database, is_protected, open_database
from sro_desk.ui.dialogs import passphrase_dialog
from sro_desk.ui.dialogs.passphrase_dialog import (
    PassphraseDialog,
    PassphraseMode,
)
from sro_desk.ui.idle_lock import SETTING, IdleLock
from sro_desk.ui.session_controller import open_with_passphrase

PASS = "correct horse battery"
NEW = "a different passphrase"


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    encryption.forget_passphrase()
    yield
    encryption.forget_passphrase()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def protected_demo(demo_db: Path) -> Iterator[Path]:
    close_database()
    encryption.change_protection(demo_db, None, PASS)
    encryption.forget_passphrase()
    yield demo_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _answers(monkeypatch: pytest.MonkeyPatch, *answers: tuple[str, str] | None) -> list[str]:
    """Replace the modal dialog with scripted answers; returns the messages it was shown."""
    shown: list[str] = []
    queue = list(answers)

    def fake_ask(_cls: Any, mode: PassphraseMode, path: Path, message: str = "", parent: Any = None) -> tuple[str, str] | None:
        shown.append(message)
        return queue.pop(0)

    monkeypatch.setattr(PassphraseDialog, "ask", classmethod(fake_ask))
    return shown


def test_new_passphrase_dialog_validates_as_you_type(qtbot: Any, tmp_path: Path) -> None:
    dialog = PassphraseDialog(PassphraseMode.NEW, tmp_path / "d.db")
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    assert "at least 8 characters" in dialog.problems.text()
    dialog.new.setText(PASS)
    dialog.again.setText(PASS + "x")
    assert not dialog.ok_button.isEnabled() and "not the same" in dialog.problems.text()
    dialog.again.setText(PASS)
    assert dialog.ok_button.isEnabled() and dialog.problems.text() == ""
    assert dialog.passphrase() == PASS
    assert dialog.new.echoMode() == dialog.new.EchoMode.Password


def test_open_dialog_shows_the_wrong_passphrase_message(qtbot: Any, tmp_path: Path) -> None:
    dialog = PassphraseDialog(PassphraseMode.OPEN, tmp_path / "d.db", passphrase_dialog.WRONG_MESSAGE)
    qtbot.addWidget(dialog)
    assert not dialog.message.isHidden() and "not correct" in dialog.message.text()
    assert not dialog.ok_button.isEnabled()
    dialog.current.setText("anything")
    assert dialog.ok_button.isEnabled()


def test_opening_asks_retries_and_never_damages_the_file(qtbot: Any, protected_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = _sha(protected_demo)
    shown = _answers(monkeypatch, ("", "wrong one"), ("", "still wrong"), ("", PASS))
    assert open_with_passphrase(protected_demo, None, daily_backup=False)
    assert shown[0] == "" and "not correct" in shown[1] and "not correct" in shown[2]
    assert len(roster_repo.list_staff()) == 15
    close_database()
    assert _sha(protected_demo) == before or protected_demo.read_bytes()[:16] != b"SQLite format 3\x00"


def test_cancelling_the_passphrase_opens_nothing(qtbot: Any, protected_demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _answers(monkeypatch, None)
    before = _sha(protected_demo)
    assert not open_with_passphrase(protected_demo, None)
    assert _sha(protected_demo) == before


def test_file_menu_protect_change_remove(qtbot: Any, demo_ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.main_window import MainWindow

    infos: list[str] = []
    monkeypatch.setattr("sro_desk.ui.dialogs.messages.show_info", lambda _p, text, *_a, **_k: infos.append(text))
    monkeypatch.setattr("sro_desk.ui.dialogs.messages.confirm", lambda *_a, **_k: True)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    path = demo_ctx.db_path
    assert window.protect_action.isEnabled() and not window.change_passphrase_action.isEnabled()

    _answers(monkeypatch, ("", PASS))
    window.protect_action.trigger()
    assert is_protected() and encryption.check_passphrase(path, PASS)
    assert "now protected" in infos[-1]
    assert not window.protect_action.isEnabled() and window.remove_passphrase_action.isEnabled()
    assert len(roster_repo.list_staff()) == 15

    shown = _answers(monkeypatch, ("not it at all", NEW), (PASS, NEW))
    window.change_passphrase_action.trigger()
    assert "not correct" in shown[1]
    assert encryption.check_passphrase(path, NEW) and not encryption.check_passphrase(path, PASS)

    _answers(monkeypatch, (NEW, NEW))
    window.remove_passphrase_action.trigger()
    assert not is_protected() and path.read_bytes().startswith(b"SQLite format 3")
    assert window.protect_action.isEnabled()
    assert len(roster_repo.list_staff()) == 15


def test_switching_to_a_protected_file_asks_for_it(qtbot: Any, demo_ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.main_window import MainWindow

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    other = tmp_path / "other.db"
    open_database(other, daily_backup=False)
    from sro_desk.store import settings

    settings.set_setting(settings.DISTRICT_NAME, "Other District")
    close_database()
    encryption.change_protection(other, None, PASS)
    encryption.forget_passphrase()
    open_database(demo_ctx.db_path, daily_backup=False)
    _answers(monkeypatch, None)
    assert not window.switch_database(other)
    assert len(roster_repo.list_staff()) == 15  # still on the demo file
    _answers(monkeypatch, ("", "wrong wrong"), ("", PASS))
    assert window.switch_database(other)
    assert "Other District" in window.windowTitle()


def test_idle_lock_hides_the_data_until_the_passphrase(qtbot: Any, protected_demo: Path) -> None:
    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow

    open_database(protected_demo, passphrase=PASS, daily_backup=False)
    window = MainWindow(AppContext(protected_demo))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    clock = FakeClock()
    lock = IdleLock(window, clock=clock)
    assert lock.enabled and lock.minutes == 10 and lock.timer.isActive()
    dialog = QDialog(window)
    QLabel("Student: Jordan Example", dialog)
    dialog.show()
    clock.now += 9 * 60
    lock.check()
    assert not lock.locked
    clock.now += 61
    lock.check()
    assert lock.locked
    assert window.tabs.isHidden() or not window.tabs.isVisible()
    assert not window.centralWidget().isVisible() and not window.menuBar().isVisible()
    assert len(lock.panels) == 2
    assert all(p.isVisible() for p in lock.panels)
    assert all(not c.isVisible() for c in dialog.findChildren(QLabel) if c.text().startswith("Student"))
    assert not window.protect_action.isEnabled() and not window.findChildren(type(window.protect_action))[0].isEnabled()
    panel = lock.panels[0]
    panel.field.setText("wrong passphrase")
    panel.button.click()
    assert lock.locked and "not correct" in panel.message.text() and panel.field.text() == ""
    panel.field.setText(PASS)
    panel.button.click()
    assert not lock.locked
    assert window.centralWidget().isVisible() and window.menuBar().isVisible()
    assert any(c.isVisible() for c in dialog.findChildren(QLabel) if c.text().startswith("Student"))
    dialog.close()


def test_input_resets_the_idle_clock_and_setting_zero_turns_it_off(qtbot: Any, protected_demo: Path) -> None:
    from PySide6.QtCore import Qt

    from sro_desk.store import settings

    open_database(protected_demo, passphrase=PASS, daily_backup=False)
    host = QWidget()
    qtbot.addWidget(host)
    host.show()
    clock = FakeClock()
    lock = IdleLock(host, clock=clock)
    clock.now += 599
    qtbot.keyClick(host, Qt.Key.Key_A)
    assert lock.idle_seconds() == 0
    clock.now += 599
    lock.check()
    assert not lock.locked
    settings.set_setting(SETTING, 0)
    lock.reload()
    assert not lock.enabled and not lock.timer.isActive()
    clock.now += 10_000
    lock.check()
    assert not lock.locked
    settings.set_setting(SETTING, 1)
    lock.reload()
    clock.now += 61
    lock.check()
    assert lock.locked
    assert lock.unlock(PASS)


def test_unprotected_database_is_never_locked(qtbot: Any, db: Any) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    clock = FakeClock()
    lock = IdleLock(host, clock=clock)
    assert not lock.enabled
    clock.now += 100_000
    lock.check()
    assert not lock.locked
    assert current_database() is not None


def test_new_database_can_be_protected_when_it_is_created(qtbot: Any, demo_ctx: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    from sro_desk.store import settings
    from sro_desk.ui.dialogs.first_run import FirstRunDialog
    from sro_desk.ui.main_window import MainWindow

    def fake_first_run(dialog: FirstRunDialog) -> int:
        dialog.name.setText("New Valley School District")
        dialog.esd.setText("ESD 112")
        return QDialog.DialogCode.Accepted.value

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    target = tmp_path / "new-district.db"
    monkeypatch.setattr(FirstRunDialog, "exec", fake_first_run)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(target), ""))
    monkeypatch.setattr("sro_desk.ui.main_window.confirm", lambda *_a, **_k: True)
    monkeypatch.setattr("sro_desk.ui.dialogs.messages.show_info", lambda *_a, **_k: None)
    _answers(monkeypatch, ("", PASS))
    window._on_new_triggered()
    assert is_protected() and window.ctx.db_path == target.resolve()
    assert not target.read_bytes().startswith(b"SQLite format 3")
    assert settings.district_name() == "New Valley School District"
    assert encryption.check_passphrase(target, PASS)


def test_the_passphrase_is_written_nowhere(qtbot: Any, demo_ctx: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """After protecting, changing and backing up, no file anywhere (database, backups, anchors,
    preferences, data folder) holds either passphrase, in UTF-8 or UTF-16."""
    import os

    from sro_desk.store import backups
    from sro_desk.ui import preferences
    from sro_desk.ui.main_window import MainWindow

    monkeypatch.setattr("sro_desk.ui.dialogs.messages.show_info", lambda *_a, **_k: None)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    _answers(monkeypatch, ("", PASS))
    window.protect_action.trigger()
    _answers(monkeypatch, (PASS, NEW))
    window.change_passphrase_action.trigger()
    backups.make_backup(current_database(), demo_ctx.db_path, reason="manual")
    preferences.app_settings().sync()
    window.close()
    close_database()
    folders = {demo_ctx.db_path.parent, Path(os.environ["SRO_DESK_CONFIG_DIR"]), Path(os.environ["SRO_DESK_DATA_DIR"])}
    checked = 0
    for folder in folders:
        for path in folder.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                checked += 1
                for secret in (PASS, NEW):
                    for encoding in ("utf-8", "utf-16-le"):
                        assert secret.encode(encoding) not in data, f"{secret!r} found in {path}"
    assert checked >= 3
