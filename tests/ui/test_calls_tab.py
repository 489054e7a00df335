"""The Calls & Incidents tab, its models and dialogs (pytest-qt)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialogButtonBox, QSpinBox

from sro_desk.domain.calls import InvolvedStudent, LabelKind
from sro_desk.domain.calls_filter import CallFilter
from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import COLUMNS, builtin_labels, preview_calls
from sro_desk.store import call_repo, roster_repo
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.call_dialog import CallDialog
from sro_desk.ui.dialogs.call_import_dialog import CallImportDialog
from sro_desk.ui.models.call_models import CallTableModel
from sro_desk.ui.tabs.calls_tab import CallsTab
from tests.domain.test_report_annual import generate
from tests.services.test_calls_import import GOOD

# showing a top-level widget offscreen makes Qt note that it cannot size a native window
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def buildings(db: Any) -> None:
    roster_repo.save_building(Building(None, "North High", "NHS"))
    roster_repo.save_building(Building(None, "Elm Elementary", "ELM"))


def test_call_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = CallTableModel()
    model.set_calls(generate(builtin_labels(), 60, seed=1, start=dt.date(2025, 7, 1)))
    qtmodeltester.check(model)
    model.set_filter(CallFilter(building="North High"))
    qtmodeltester.check(model)
    assert all(model.call(r).building == "North High" for r in range(model.rowCount()))


def test_call_model_sorts_by_the_value_not_the_text() -> None:
    model = CallTableModel()
    model.set_calls(generate(builtin_labels(), 80, seed=2, start=dt.date(2025, 7, 1)))
    model.sort(8, Qt.SortOrder.AscendingOrder)  # Students
    counts = [len(model.call(r).students) for r in range(model.rowCount())]
    assert counts == sorted(counts)
    model.sort(0, Qt.SortOrder.DescendingOrder)
    dates = [model.call(r).occurred_on for r in range(model.rowCount())]
    assert dates == sorted(dates, reverse=True)


def test_tab_filters_and_counts(qtbot: Any, buildings: None, tmp_path: Path) -> None:
    labels = builtin_labels()
    calls = [c for c in generate(labels, 120, seed=3, start=dt.date(2025, 7, 1))
             if c.building in ("North High", "Elm Elementary")]
    call_repo.insert_imported_calls(calls, source="t", file_sha256="0" * 64)
    tab = CallsTab(AppContext(tmp_path / "x.db"))
    qtbot.addWidget(tab)
    tab.show()  # tabs load their data when first shown
    assert tab.model.rowCount() == len(calls)
    assert f"{len(calls)} of {len(calls)} calls shown" in tab.count_label.text()
    tab.building_filter.setCurrentIndex(tab.building_filter.findData("North High"))
    north = sum(c.building == "North High" for c in calls)
    assert tab.model.rowCount() == north
    tab.force_filter.setCurrentIndex(tab.force_filter.findData(True))
    assert tab.model.rowCount() == sum(c.building == "North High" and c.any_use_of_force
                                       for c in calls)
    tab.force_filter.setCurrentIndex(0)
    qtbot.keyClicks(tab.search, "theft")
    assert tab.model.rowCount() == sum(c.building == "North High" and c.offense_type == "theft"
                                       for c in calls)
    assert tab.current_title() == "Calls & Incidents"  # the main window escapes "&" for Qt


def test_import_runs_in_the_background(qtbot: Any, buildings: None, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "calls.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        writer.writerows(GOOD)
    tab = CallsTab(AppContext(tmp_path / "x.db"))
    qtbot.addWidget(tab)
    tab.show()  # tabs load their data when first shown
    shown: list[str] = []
    import sro_desk.ui.tabs.calls_tab as module

    monkeypatch.setattr(module, "show_info", lambda *a, **k: shown.append(a[1]))
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        tab.import_file(path)
    qtbot.waitUntil(lambda: not tab.runner.busy)
    assert shown and "Imported 2 calls" in shown[0]
    tab.refresh()
    assert tab.model.total() == 2


def _dialog(qtbot: Any) -> CallDialog:
    dialog = CallDialog(builtin_labels(), ["North High", "Elm Elementary"],
                        today=dt.date(2026, 11, 26))
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_builds_a_call_from_keyboard_rows(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled() and "reference" in dialog.problems.text()
    qtbot.keyClicks(dialog.ref, "2026-0501")
    assert save.isEnabled()
    dialog.add_student(InvolvedStudent(16, "female", "Asian", True, False,
                                       "referral for prosecution", False, True))
    row = dialog.add_student()
    outcome = dialog.students.cellWidget(row, 5)
    assert isinstance(outcome, QComboBox)
    outcome.setCurrentIndex(outcome.findData("arrest"))
    force = dialog.students.cellWidget(row, 6).focusProxy()
    assert isinstance(force, QCheckBox)
    force.setChecked(True)
    assert not dialog.call_outcome.isEnabled()
    assert dialog.call_outcome.currentData() == "arrest"
    call = dialog.call()
    assert call.ref == "2026-0501" and call.outcome == "arrest" and len(call.students) == 2
    assert call.students[0].iep and call.students[1].use_of_force
    assert call.occurred_on == dt.date(2026, 11, 26)
    dialog._on_remove_student_clicked()
    dialog._on_remove_student_clicked()
    assert dialog.call_outcome.isEnabled() and dialog.call().students == ()


def test_dialog_age_is_bounded_and_privacy_warning_shows(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    row = dialog.add_student()
    age = dialog.students.cellWidget(row, 0)
    assert isinstance(age, QSpinBox)
    assert (age.minimum(), age.maximum()) == (5, 22)
    dialog.description.setText("Was born in another country")
    assert dialog.description.warning_text() is not None
    assert not dialog.description.warning.isHidden()


def test_dialog_edits_an_existing_call(qtbot: Any, buildings: None) -> None:
    labels = builtin_labels()
    saved = call_repo.save_call(
        generate(labels, 1, seed=8, start=dt.date(2025, 9, 1))[0].__class__(
            id=None, ref="E-1", occurred_on=dt.date(2025, 9, 9), occurred_at=None,
            building="Elm Elementary", location="near campus", initiated_by="parent or guardian",
            emergency=True, offense_type="welfare check", description="Check on a student",
            students=(), outcome="handled informally"),
        labels)
    dialog = CallDialog(labels, ["North High", "Elm Elementary"], saved)
    qtbot.addWidget(dialog)
    assert not dialog.time_known.isChecked()
    assert dialog.call() == saved


def test_import_dialog_requires_a_column_for_every_required_field(qtbot: Any,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Case", "When", *COLUMNS[2:]])
        writer.writerows(GOOD)
    dialog = CallImportDialog(path.name, preview_calls(path))
    qtbot.addWidget(dialog)
    assert dialog.mapping()["call_ref"] == "case"
    assert not dialog.import_button.isEnabled()
    assert "date" in dialog.problems.text()
    dialog.combos["date"].setCurrentIndex(dialog.combos["date"].findData("when"))
    assert dialog.import_button.isEnabled()
    dialog.combos["time"].setCurrentIndex(dialog.combos["time"].findData("when"))
    assert not dialog.import_button.isEnabled() and "same file column" in dialog.problems.text()
    assert LabelKind.OUTCOME  # the mapping covers outcome too
    assert dialog.mapping()["outcome"] == "outcome"


def test_dates_read_the_programs_way(qtbot: Any) -> None:
    """The date column reads "26 November 2026" (sorted by date), and search finds it."""
    from sro_desk.domain.calls_filter import search_text
    from sro_desk.domain.dates import format_date
    from sro_desk.services.calls_import import builtin_labels
    from sro_desk.ui.models.call_models import CallTableModel
    from tests.domain.test_report_annual import generate

    calls = generate(builtin_labels(), 5, seed=1, start=dt.date(2026, 9, 1))
    model = CallTableModel()
    model.set_calls(calls)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert set(shown) == {format_date(c.occurred_on) for c in calls}
    assert format_date(calls[0].occurred_on).casefold() in search_text(calls[0])
