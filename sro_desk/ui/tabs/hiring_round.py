"""The Hiring tab's round controller: which round is open, who is looking, and what they may see.

The three pages (set-up, scoring, results) paint from ``controller.view`` when ``loaded`` fires
and never read the round themselves. The controller holds the one viewer whose sheet is open:
a page asks it to switch viewer or round, and the switch happens only after the open sheet's
unsaved scores were saved *to that sheet*, or discarded (issue 20). Every score shown comes from
``services.hiring.round_view``, which applies the blind rule.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from sro_desk.domain.changes import Change
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.hiring import Panelist
from sro_desk.domain.hiring_pin import PinRefused
from sro_desk.services import hiring
from sro_desk.services.hiring import RoundView
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs import messages

#: asked before the open sheet is left; returns whether leaving may go ahead
LeaveGuard = Callable[[], bool]


class RoundController(QObject):
    """``loaded`` fires after every (re)load of the round; ``changed`` after a save."""

    loaded = Signal()
    changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.round_id: int | None = None
        self.viewer_id: int | None = None
        self.view: RoundView | None = None
        self.reopen_reason = ""
        self.pin = ""  # the PIN typed for the open sheet; kept only while that sheet is open
        self._guards: list[LeaveGuard] = []

    # ------------------------------------------------------------------ switching
    def add_leave_guard(self, guard: LeaveGuard) -> None:
        self._guards.append(guard)

    def may_leave_sheet(self) -> bool:
        """Every guard agrees (unsaved scores were saved to their own sheet, or discarded)."""
        return all(guard() for guard in self._guards)

    def open_round(self, round_id: int | None) -> bool:
        """Switch to another round (whoever was scoring is signed out); ``False`` when the user
        chose to stay with an unsaved sheet."""
        if round_id == self.round_id and self.view is not None:
            return True
        if not self.may_leave_sheet():
            return False
        self.round_id = round_id
        self._sign_out(None)
        self.load()
        return True

    def open_sheet(self, viewer_id: int | None) -> bool:
        """Switch the viewer; ``False`` when the user chose to stay with an unsaved sheet."""
        if viewer_id == self.viewer_id:
            return True
        if not self.may_leave_sheet():
            return False
        self._sign_out(viewer_id)
        self.load()
        return True

    def _sign_out(self, viewer_id: int | None) -> None:
        self.viewer_id = viewer_id
        self.reopen_reason = ""
        self.pin = ""

    # ------------------------------------------------------------------ reading
    def load(self) -> None:
        """Read what the viewer may see of the round, and tell the pages."""
        if self.round_id is None:
            self.view = None
            self.loaded.emit()
            return
        try:
            try:
                view = hiring.round_view(self.round_id, self.viewer_id,
                                         reopen_reason=self.reopen_reason, pin=self.pin)
            except PinRefused:  # the PIN was reset or the sheet locked meanwhile: ask again
                self.pin = ""
                view = hiring.round_view(self.round_id, self.viewer_id,
                                         reopen_reason=self.reopen_reason)
        except SroDeskError as error:
            messages.show_error(None, error)
            return
        self.view = view
        if self.viewer_id is not None and self.viewer() is None:
            self._sign_out(None)  # the panelist was removed
            self.load()
            return
        self.loaded.emit()

    def viewer(self) -> Panelist | None:
        if self.view is None or self.viewer_id is None:
            return None
        return next((p for p in self.view.snapshot.panelists if p.id == self.viewer_id), None)

    def pin_locked(self) -> bool:
        """The viewer protected their sheet and its PIN has not been typed."""
        viewer = self.viewer()
        return bool(viewer and viewer.has_pin and not self.pin)

    # ------------------------------------------------------------------ after a save
    def saved(self, message: str) -> None:
        """Something of the round was saved: other tabs hear of it, the round reloads."""
        self.ctx.notify(Change.HIRING)
        self.changed.emit(message)
        self.ctx.say(message)
