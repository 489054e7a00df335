"""District labels and report settings dialogs."""

from __future__ import annotations

from typing import Any

import pytest

from sro_desk.domain.calls import LabelKind
from sro_desk.services import annual_report as report_service
from sro_desk.services.calls_import import call_labels
from sro_desk.ui.dialogs import call_settings_dialogs as module
from sro_desk.ui.dialogs.call_settings_dialogs import CallLabelsDialog, ReportSettingsDialog


def test_labels_dialog_adds_district_labels(db: Any, qtbot: Any,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[object] = []
    monkeypatch.setattr(module, "show_error", lambda _p, e, *a: errors.append(e))
    dialog = CallLabelsDialog(call_labels())
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 16
    assert dialog.add("Gang activity")
    assert dialog.list.item(16).text() == "Gang activity   (district)"
    assert not dialog.add("theft") and errors  # already built in: refused in words
    dialog.kind.setCurrentIndex(dialog.kind.findData(LabelKind.OUTCOME.value))
    assert dialog.add("Restorative circle")
    assert call_labels().labels(LabelKind.OUTCOME)[-1] == "Restorative circle"
    assert dialog.changed


def test_report_settings_dialog_saves(db: Any, qtbot: Any,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[object] = []
    monkeypatch.setattr(module, "show_error", lambda _p, e, *a: errors.append(e))
    dialog = ReportSettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.month.currentData() == 7 and dialog.day.value() == 1
    assert dialog.threshold.value() == 10
    dialog.month.setCurrentIndex(8)
    dialog.threshold.setValue(11)
    assert dialog.save()
    assert report_service.report_settings() == report_service.ReportSettings(9, 1, 11)
    dialog.month.setCurrentIndex(1)
    dialog.day.setValue(30)
    assert not dialog.save() and errors
