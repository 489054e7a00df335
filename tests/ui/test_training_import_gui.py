"""Training › Import training records…: a 300-person ESD roster through the button and the file
dialog, the progress job, and the result dialog with the clearance changes; a refused file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6 import QtWidgets
from PySide6.QtCore import Qt

from sro_desk.ui.tabs.training_tab import TrainingTab
from tests.training_import_support import make_people, write_esd_roster

TODAY = dt.date(2026, 11, 26)
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def tab(qtbot: Any, app_ctx: Any, clock_at: Callable[[dt.date], None],
        monkeypatch: pytest.MonkeyPatch) -> TrainingTab:
    clock_at(TODAY)
    monkeypatch.setattr(TrainingTab, "today", staticmethod(lambda: TODAY))
    widget = TrainingTab(app_ctx)
    qtbot.addWidget(widget)
    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.show()
    return widget


def _choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    asked: list[str] = []

    def pick(parent: Any, caption: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(caption)
        return str(path), filters.split(";;")[0]

    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName", staticmethod(pick))
    return asked


def _import(qtbot: Any, tab: TrainingTab) -> Any:
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert tab.importer is not None
    with qtbot.waitSignal(tab.importer.done, timeout=240_000) as caught:
        pass
    return caught.args[0]  # deletes itself when closed


def test_300_person_roster_through_the_button(qtbot: Any, tab: TrainingTab, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    people = make_people(300, dt.date(2026, 9, 2))
    tab.refresh()
    roster = write_esd_roster(tmp_path / "esd105-june.csv", people, verified_every=3)
    asked = _choose(monkeypatch, roster)
    dialog = _import(qtbot, tab)
    assert asked == ["Import training records"]
    assert not dialog.refused
    assert dialog.windowTitle() == "Training records imported"
    assert dialog.heading.text() == ("3900 completions for 300 people; 1300 records verified by "
                                     "Test Coordinator; 0 people become cleared.")
    # first day 2 September 2026: inside the 6-month window they were assigned and in compliance
    # before the import, so no one's standing changes (RCW 28A.400.345(1)-(2))
    assert not any(line.startswith("Now cleared to work") for line in dialog.lines)
    from sro_desk.services.training import clearance_by_staff

    assert sum(c.cleared for c in clearance_by_staff(TODAY).values()) == 300
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert tab.importer.dialog is None


def test_refused_file_lists_every_problem_and_imports_nothing(
    qtbot: Any, tab: TrainingTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_people(2, dt.date(2026, 9, 2))
    bad = tmp_path / "typos.csv"
    bad.write_text("Employee Number,Topic,Completed On,Document\n"
                   "P-0001,Unit 7 – Disparities in the Use of Force,6/24/2026,\n"
                   "P-0001,Unit 4 – Youth Mental Healthh,6/24/2026,\n"
                   "P-0002,(b),6/24/2026,missing-certificate.pdf\n", encoding="utf-8")
    _choose(monkeypatch, bad)
    dialog = _import(qtbot, tab)
    assert dialog.refused and dialog.windowTitle() == "Training records not imported"
    assert dialog.heading.text() == ("The file was not imported: 2 problems found. Nothing was "
                                     "changed.")
    assert dialog.lines[0].startswith("row 3, column 'requirement': “Unit 4 – Youth Mental "
                                      "Healthh” is not a known requirement; closest known name")
    assert dialog.lines[1] == (f"row 4, column 'document': there is no file "
                               f"'missing-certificate.pdf' in {tmp_path}")
    dialog.close()
    from sro_desk.store import training_repo

    assert training_repo.list_completions() == []


def test_cancelled_file_dialog_does_nothing(qtbot: Any, tab: TrainingTab,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QtWidgets.QFileDialog, "getOpenFileName",
                        staticmethod(lambda *a: ("", "")))
    qtbot.mouseClick(tab.import_button, Qt.MouseButton.LeftButton)
    assert tab.importer is not None and not tab.importer.runner.busy
    assert tab.importer.dialog is None


def test_names_for_requirements_from_a_refused_import(
    qtbot: Any, tab: TrainingTab, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_people(1, dt.date(2026, 9, 2))
    sheet = tmp_path / "agency.csv"
    sheet.write_text("badge,course,date\nP-0001,CIT Refresher 2026,3/4/2026\n", encoding="utf-8")
    _choose(monkeypatch, sheet)
    refused = _import(qtbot, tab)
    assert refused.refused and refused.names_button is not None
    qtbot.mouseClick(refused.names_button, Qt.MouseButton.LeftButton)
    names = refused.names_dialog
    assert names is not None and names.isVisible()
    assert names.table.topLevelItemCount() == 13  # ESD 105's unit titles
    names.alias.setText("Unit 7")
    assert not names.add_button.isEnabled()
    assert "already names (g) Disparities in force and arrests" in names.problem.text()
    names.alias.setText("CIT Refresher 2026")
    names.requirement.setCurrentIndex(names.requirement.findData("crisis_intervention"))
    assert names.add_button.isEnabled() and names.problem.text() == ""
    qtbot.mouseClick(names.add_button, Qt.MouseButton.LeftButton)
    from sro_desk.services.training_import import district_aliases

    assert district_aliases() == {"CIT Refresher 2026": "crisis_intervention"}
    first = names.table.topLevelItem(0)
    assert [first.text(c) for c in range(3)] == [
        "CIT Refresher 2026", "Crisis Intervention Training refresher", "District alias"]
    names.grab().save(str(tmp_path / "names.png"))
    again = _import(qtbot, tab)
    assert not again.refused
    assert again.heading.text() == "1 completion for 1 person; 0 people become cleared."
    again.close()
    names.table.setCurrentItem(first)
    assert names.remove_button.isEnabled()
    qtbot.mouseClick(names.remove_button, Qt.MouseButton.LeftButton)
    assert district_aliases() == {}
    assert names.table.topLevelItemCount() == 13
    refused.close()  # and the names window with it
