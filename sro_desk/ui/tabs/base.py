"""What a main-window tab is, and how the window finds them.

Every module ``sro_desk/ui/tabs/*_tab.py`` defines one ``TabPage`` subclass with ``TAB_TITLE`` and
``TAB_ORDER``; the main window, the smoke test and the screenshot command pick them up in order,
so a feature adds a tab without editing the window.

Tabs load lazily: a ``refresh()`` made while the tab is being constructed, or while it is hidden
because data changed elsewhere, is deferred until the tab is first shown. Start-up then costs one
tab's data, not seven.

A tab that raises while it is built, shown or refreshed never takes the program down: the error
goes to the crash dialog (a known error as words), shown on the next turn of the event loop —
never as a modal dialog nested inside a show or paint event — and the window stays. A tab that
could not be built is replaced by a page saying so. ``tab_failures()`` lists what failed, so
``--smoke`` still fails on it.
"""

from __future__ import annotations

import functools
import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from sro_desk.domain.changes import Change
from sro_desk.ui.context import AppContext
from sro_desk.ui.tabs import TABS, TabEntry

_constructing = 0
_failures: list[str] = []


def tab_failures() -> list[str]:
    """What went wrong while building, showing or refreshing a tab in this process."""
    return list(_failures)


def report_tab_error(where: QWidget | None, title: str, what: str, error: BaseException) -> None:
    """Route an error raised inside a tab to the program's exception hook after the current
    event: in the app that is the crash dialog (``ui.crash.install_excepthook``; a known error is
    shown in words), under pytest-qt it fails the test."""
    import sys

    _failures.append(f"{title}: {what}: {type(error).__name__}: {error}")
    QTimer.singleShot(0, lambda: sys.excepthook(type(error), error, error.__traceback__))


class TabPage(QWidget):
    TAB_TITLE = ""
    TAB_ORDER = 100
    #: the kinds of data (``domain.changes.Change``, sent by ``AppContext.notify``) this tab
    #: shows; ``Change.ALL`` always matches
    WATCHES: tuple[Change, ...] = (Change.ALL,)

    #: a tab whose title carries a count (e.g. "Complaints (1 overdue)") emits this
    title_changed = Signal(str)
    #: such a tab loads its data as soon as it is built (shortly after start-up), not when first
    #: shown, so the count is in its title before anyone opens it
    TITLE_NEEDS_DATA = False

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        init = cls.__dict__.get("__init__")
        if init is not None:
            cls.__init__ = _constructing_guard(init)  # type: ignore[method-assign]
        refresh = cls.__dict__.get("refresh")
        if refresh is not None:
            cls.refresh = _deferred_refresh(refresh)  # type: ignore[method-assign]

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.needs_refresh = True
        self.setAccessibleName(self.TAB_TITLE)
        ctx.data_changed.connect(self._on_ctx_data_changed)
        ctx.database_replaced.connect(self._on_ctx_database_replaced)

    def refresh(self) -> None:
        """Reload from the database. Runs when first shown and when watched data changes."""

    def current_title(self) -> str:
        return self.TAB_TITLE

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.needs_refresh:
            self.refresh()

    def _on_ctx_data_changed(self, kind: str) -> None:
        if kind == Change.ALL or Change.ALL in self.WATCHES or kind in self.WATCHES:
            self._refresh_when_seen()

    def _on_ctx_database_replaced(self) -> None:
        self._refresh_when_seen()

    def _refresh_when_seen(self) -> None:
        if self.isVisible():
            self.refresh()
        else:
            self.needs_refresh = True


def _constructing_guard(init: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(init)
    def wrapper(self: TabPage, *args: Any, **kwargs: Any) -> None:
        global _constructing
        _constructing += 1
        try:
            init(self, *args, **kwargs)
        finally:
            _constructing -= 1

    return wrapper


def _deferred_refresh(refresh: Callable[[TabPage], None]) -> Callable[[TabPage], None]:
    @functools.wraps(refresh)
    def wrapper(self: TabPage) -> None:
        if _constructing and not self.isVisible():
            self.needs_refresh = True
            return
        self.needs_refresh = False
        try:
            refresh(self)
        except Exception as error:  # a bug or a refusal in one tab must not end the program
            report_tab_error(self, self.TAB_TITLE, "showing its data", error)

    return wrapper


class UnavailableTab(TabPage):
    """Stands in for a tab whose page raised while it was being built."""

    def __init__(self, ctx: AppContext, title: str, error: BaseException) -> None:
        super().__init__(ctx)
        self.TAB_TITLE = title
        self.needs_refresh = False
        self.setAccessibleName(title)
        label = QLabel(
            f"The {title} tab could not be shown because of an unexpected problem "
            f"({type(error).__name__}). Everything saved is safe; the details were shown when it "
            "happened. The other tabs work as usual.", self)
        label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addStretch(1)


def build_page(entry: TabEntry, ctx: AppContext) -> TabPage:
    """The tab's page, or an ``UnavailableTab`` when building it raised (reported, not fatal)."""
    try:
        return load_tab_class(entry)(ctx)
    except Exception as error:
        report_tab_error(None, entry.title, "being built", error)
        return UnavailableTab(ctx, entry.title, error)


def available_tabs() -> list[TabEntry]:
    """The registered tabs whose module is present in this build, in order (imports none)."""
    return sorted(
        (e for e in TABS if importlib.util.find_spec(f"sro_desk.ui.tabs.{e.module}") is not None),
        key=lambda e: (e.order, e.title),
    )


def load_tab_class(entry: TabEntry) -> type[TabPage]:
    module = importlib.import_module(f"sro_desk.ui.tabs.{entry.module}")
    cls = getattr(module, entry.class_name)
    assert isinstance(cls, type) and issubclass(cls, TabPage)
    return cls


def tab_classes() -> list[type[TabPage]]:
    """Every tab class, imported (for tests, smoke runs and screenshots)."""
    return [load_tab_class(e) for e in available_tabs()]


def unregistered_tab_modules() -> list[str]:
    """Modules named ``*_tab`` that the registry does not list (a test keeps this empty)."""
    import pkgutil

    import sro_desk.ui.tabs as tabs_pkg

    listed = {e.module for e in TABS}
    return sorted(
        info.name for info in pkgutil.iter_modules(tabs_pkg.__path__)
        if info.name.endswith("_tab") and info.name not in listed
    )
