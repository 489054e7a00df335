"""Every tab module is registered (start-up relies on the registry to avoid importing tabs)."""

from __future__ import annotations

from sro_desk.ui.tabs import TABS
from sro_desk.ui.tabs.base import TabPage, available_tabs, load_tab_class, unregistered_tab_modules


def test_every_tab_module_is_registered() -> None:
    assert unregistered_tab_modules() == []


def test_registry_matches_the_classes() -> None:
    for entry in available_tabs():
        cls = load_tab_class(entry)
        assert issubclass(cls, TabPage)
        assert (entry.title, entry.order) == (cls.TAB_TITLE, cls.TAB_ORDER)


def test_registry_orders_are_unique() -> None:
    orders = [e.order for e in TABS]
    assert len(orders) == len(set(orders))
    assert available_tabs()[0].title == "Roster"
