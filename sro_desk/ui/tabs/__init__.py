"""The main window's tabs, listed here so start-up need not import them.

Each entry names a module ``sro_desk/ui/tabs/<module>.py`` holding one ``TabPage`` subclass with
the same ``TAB_TITLE`` and ``TAB_ORDER`` (a test keeps the two in step). The window imports a tab's
module only when the tab is first needed, so start-up costs the first tab alone.
"""

from __future__ import annotations

from typing import NamedTuple


class TabEntry(NamedTuple):
    order: int
    title: str
    module: str
    class_name: str


TABS: tuple[TabEntry, ...] = (
    TabEntry(10, "Roster", "roster_tab", "RosterTab"),
    TabEntry(20, "Training", "training_tab", "TrainingTab"),
    TabEntry(30, "Agreements", "agreements_tab", "AgreementsTab"),
    TabEntry(40, "Hiring", "hiring_tab", "HiringTab"),
    TabEntry(50, "Calls & Incidents", "calls_tab", "CallsTab"),
    TabEntry(60, "Complaints", "complaints_tab", "ComplaintsTab"),
    TabEntry(70, "Reports", "reports_tab", "ReportsTab"),
)
