"""What a main-window tab is, and how the window finds them.

Every module ``sro_desk/ui/tabs/*_tab.py`` defines one ``TabPage`` subclass with ``TAB_TITLE`` and
``TAB_ORDER``; the main window, the smoke test and the screenshot command pick them up in order,
so a feature adds a tab without editing the window.
"""

from __future__ import annotations

import importlib
import pkgutil

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from sro_desk.ui.context import AppContext


class TabPage(QWidget):
    TAB_TITLE = ""
    TAB_ORDER = 100
    #: the data kinds (AppContext.notify) this tab shows; "*" always matches
    WATCHES: tuple[str, ...] = ("*",)

    #: a tab whose title carries a count (e.g. "Complaints (1 overdue)") emits this
    title_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setAccessibleName(self.TAB_TITLE)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.database_replaced.connect(self.refresh)

    def refresh(self) -> None:
        """Reload from the database. Called when shown first and when watched data changes."""

    def current_title(self) -> str:
        return self.TAB_TITLE

    def _on_ctx_data_changed(self, kind: str) -> None:
        if kind == "*" or "*" in self.WATCHES or kind in self.WATCHES:
            self.refresh()


def tab_classes() -> list[type[TabPage]]:
    import sro_desk.ui.tabs as tabs_pkg

    found: list[type[TabPage]] = []
    for info in pkgutil.iter_modules(tabs_pkg.__path__):
        if not info.name.endswith("_tab"):
            continue
        module = importlib.import_module(f"sro_desk.ui.tabs.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, TabPage)
                and value is not TabPage
                and value.__module__ == module.__name__
                and value.TAB_TITLE
            ):
                found.append(value)
    return sorted(found, key=lambda cls: (cls.TAB_ORDER, cls.TAB_TITLE))
