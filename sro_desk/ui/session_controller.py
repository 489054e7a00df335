"""The GUI's side of the session: it asks the questions (passphrase, first run, which file, which
backup) and shows the answers; ``services.session`` does the work. Every window and dialog that
opens, switches, restores or protects a database goes through here."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QWidget

from sro_desk.domain.errors import SroDeskError
from sro_desk.services.session import (
    FileTarget,
    OpenCancelled,
    Session,
    StoreError,
    StoreProblem,
    current_session,
)


def passphrase_asker(path: Path, parent: QWidget | None):  # type: ignore[no-untyped-def]
    """``ask(message)`` for the session: the passphrase dialog over ``parent``."""
    from sro_desk.ui.dialogs.passphrase_dialog import PassphraseDialog, PassphraseMode

    def ask(message: str) -> str | None:
        answer = PassphraseDialog.ask(PassphraseMode.OPEN, path, message, parent)
        return None if answer is None else answer[1]

    return ask


def open_with_passphrase(path: Path, parent: QWidget | None = None, *, daily_backup: bool = True) -> bool:
    """Open ``path``; for a protected file ask for the passphrase until it opens or the user
    cancels (False). Other problems (busy, read-only, damaged, ...) raise ``StoreError``."""
    return SessionController(parent).open(Path(path), daily_backup=daily_backup)


class SessionController:
    """Opening, switching and restoring databases for one window (or, before it, for none)."""

    def __init__(self, parent: QWidget | None = None, session: Session | None = None) -> None:
        self.parent = parent
        self.session = session or current_session()

    # ------------------------------------------------------------------ opening
    def open(self, path: Path, *, daily_backup: bool = True) -> bool:
        """Open ``path``, asking for its passphrase if it has one; False when that is cancelled.
        Other problems raise ``StoreError``."""
        target = FileTarget(path)
        try:
            self.session.open(target, ask=passphrase_asker(target.path, self.parent), daily_backup=daily_backup)
        except OpenCancelled:
            return False
        return True

    def open_at_start(self, path: Path) -> Path | None:
        """Open ``path``; on a known failure explain it and offer what can be done: another
        file, or for a damaged file a restore from one of its backups. ``None`` = give up."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        while True:
            try:
                if not self.open(path):
                    raise StoreError(StoreProblem.PASSPHRASE_NEEDED, "cancelled", str(path))
                return path
            except StoreError as error:
                box = QMessageBox(self.parent)
                box.setIcon(QMessageBox.Icon.Warning)
                box.setWindowTitle("SRO Desk cannot open the database")
                box.setText(str(error))
                restore = None
                if error.problem is StoreProblem.DAMAGED and self.session.list_backups(FileTarget(path)):
                    restore = box.addButton("Restore from a backup…", QMessageBox.ButtonRole.AcceptRole)
                other = box.addButton("Open another file…", QMessageBox.ButtonRole.AcceptRole)
                box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
                box.exec()
                clicked = box.clickedButton()
                if restore is not None and clicked is restore:
                    if self.restore_damaged(path):
                        return path
                    continue
                if clicked is not other:
                    return None
                chosen, _ = QFileDialog.getOpenFileName(self.parent, "Open database", str(path.parent), "SRO Desk database (*.db);;All files (*)")
                if not chosen:
                    return None
                path = Path(chosen)

    def switch(self, path: Path) -> bool:
        """Open ``path`` instead of the open database (False: the passphrase was not given). On
        failure the old one is open again and the reason raised (``SroDeskError``) for the
        caller to show."""
        target = FileTarget(path)
        try:
            self.session.switch(target, ask=passphrase_asker(target.path, self.parent))
        except OpenCancelled:
            return False
        self.first_run_if_needed()
        return True

    @property
    def notice(self) -> str:
        """What the last open finished or found (an interrupted protection, stale copies), for
        the window's status bar; "" when nothing."""
        return self.session.notice

    # ------------------------------------------------------------------ first run
    def first_run_if_needed(self) -> None:
        try:
            if self.session.needs_setup():
                self.ask_first_run()
        except SroDeskError as error:
            from sro_desk.ui.dialogs.messages import show_error

            show_error(self.parent, error)

    def ask_first_run(self) -> None:
        """A new, empty database: name the district, or fill the file with the demo district."""
        from PySide6.QtWidgets import QDialog

        from sro_desk.services.district import save_district
        from sro_desk.services.roster import list_staff
        from sro_desk.services.storage import set_actor
        from sro_desk.ui import preferences
        from sro_desk.ui.dialogs.first_run import FirstRunDialog

        dialog = FirstRunDialog(self.parent)
        result = dialog.exec()
        if result in (FirstRunDialog.DEMO, QDialog.DialogCode.Accepted) and dialog.actor.text().strip():
            preferences.set_actor_name(dialog.actor.text())
            set_actor(dialog.actor.text())
        if result == FirstRunDialog.DEMO and not list_staff():
            self.session.replace_with_demo()
        elif result == QDialog.DialogCode.Accepted:
            save_district(dialog.name.text(), dialog.esd.text())

    # ------------------------------------------------------------------ backups
    def choose_backup(self, path: Path, title: str) -> Path | None:
        from PySide6.QtWidgets import QInputDialog

        from sro_desk.ui.dialogs.messages import show_info

        found = self.session.list_backups(FileTarget(path))
        if not found:
            show_info(self.parent, f"There are no backups yet in {self.session.backups_folder(FileTarget(path))}.")
            return None
        labels = [b.label for b in found]
        label, ok = QInputDialog.getItem(self.parent, title, "Choose the backup to restore (newest first):", labels, 0, False)
        if not ok:
            return None
        return found[labels.index(label)].path

    def restore_damaged(self, path: Path) -> bool:
        """Replace a damaged file with a backup the person chooses, then open it."""
        from sro_desk.ui.dialogs.messages import show_error, show_info

        chosen = self.choose_backup(path, "Restore the damaged database")
        if chosen is None:
            return False
        target = FileTarget(path)
        try:
            try:
                aside = self.session.restore_damaged(target, chosen)
            except StoreError as error:
                if error.problem is not StoreProblem.PASSPHRASE_NEEDED:
                    raise
                key = passphrase_asker(target.path, self.parent)("")
                if key is None:
                    return False
                aside = self.session.restore_damaged(target, chosen, passphrase=key)
        except SroDeskError as error:
            show_error(self.parent, error)
            return False
        show_info(self.parent, f"Restored {path.name} from the backup {chosen.name}.\n"
                               f"The damaged file is kept as {aside.name}.")
        return True
