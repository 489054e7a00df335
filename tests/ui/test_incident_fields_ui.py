"""The incident fields in the call dialog, the Calls tab and the report settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox

from sro_desk.domain.calls import InvolvedStudent
from sro_desk.domain.police_contact import PoliceContact
from sro_desk.services import annual_report as report_service
from sro_desk.services import incident_rules
from sro_desk.services.calls_import import builtin_labels
from sro_desk.ui.dialogs import call_settings_dialogs as settings_module
from sro_desk.ui.dialogs.call_dialog import CallDialog
from sro_desk.ui.dialogs.call_settings_dialogs import ReportSettingsDialog


def _dialog(qtbot: Any) -> CallDialog:
    dialog = CallDialog(builtin_labels(), ["North High"], today=dt.date(2026, 3, 2))
    qtbot.addWidget(dialog)
    dialog.ref.setText("2026-0900")
    return dialog


def _tick(widget: Any, text: str) -> None:
    for i in range(widget.count()):
        if widget.item(i).text() == text:
            widget.item(i).setCheckState(Qt.CheckState.Checked)
            return
    raise AssertionError(text)


def test_sections_show_only_when_they_apply(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    assert dialog.details_scroll.isHidden()  # no student, no details
    dialog.add_student()
    panel = dialog.details
    assert not dialog.details_scroll.isHidden()
    assert panel.contact_box.isHidden()
    panel.has_contact.setChecked(True)
    assert not panel.contact_box.isHidden()
    assert panel.attorney_row.isHidden() and panel.search_row.isHidden()
    assert panel.force_row.isHidden()  # force shows with the row's use-of-force box
    panel.custody.setChecked(True)
    assert not panel.attorney_row.isHidden()
    assert not panel.warning.isHidden() and "RCW 13.40.740" in panel.warning.text()
    panel.search_belongings.setChecked(True)
    assert not panel.search_row.isHidden()
    force = dialog.students.cellWidget(0, 6).focusProxy()
    assert isinstance(force, QCheckBox)
    force.setChecked(True)
    assert not panel.force_row.isHidden()
    assert "ESHB 1296" in panel.notice_citation.text()


def test_the_dialog_builds_the_contact_and_lists_its_problems(qtbot: Any) -> None:
    dialog = _dialog(qtbot)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.add_student()
    panel = dialog.details
    panel.grade.setCurrentIndex(panel.grade.findData("9"))
    _tick(panel.races, "Somali")
    panel.has_contact.setChecked(True)
    panel.search_person.setChecked(True)  # a search needs who and on what basis
    assert not save.isEnabled()
    assert "who conducted it" in dialog.problems.text()
    panel.search_by.setCurrentIndex(panel.search_by.findData("officer"))
    panel.search_basis.setCurrentIndex(panel.search_basis.findData("consent"))
    dialog.students.cellWidget(0, 6).focusProxy().setChecked(True)
    _tick(panel.force, "police canine")
    assert "injury level" in dialog.problems.text()
    panel.injury.setCurrentIndex(panel.injury.findData("none"))
    assert save.isEnabled(), dialog.problems.text()
    student = dialog.call().students[0]
    assert student.grade == "9" and student.race_detail == ("BLACK-SOMALI",)
    assert student.contact is not None
    assert student.contact.force_types == ("police canine",)
    assert student.contact.search_basis == "consent"


def test_an_edited_call_keeps_every_field(qtbot: Any) -> None:
    from sro_desk.domain.calls import make_call

    contact = PoliceContact(initiated_by="officer", detained=True,
                            attorney_access_before_waiver=True, rights_advised=True,
                            parent_notified_at=dt.datetime(2026, 3, 2, 12, 30),
                            parent_notified_how="email")
    student = InvolvedStudent(14, "female", "Asian", False, True, "arrest", False, False,
                              grade="8", race_detail=("ASIAN-THAI",), hispanic=False,
                              contact=contact)
    call = make_call(ref="E-1", occurred_on=dt.date(2026, 3, 2), occurred_at=dt.time(10, 0),
                     building="North High", location="on campus", initiated_by="SRO",
                     emergency=False, offense_type="theft", description="",
                     students=[student], own_outcome=None, labels=builtin_labels())
    dialog = CallDialog(builtin_labels(), ["North High"], call)
    qtbot.addWidget(dialog)
    assert dialog.call().students == (student,)


def test_report_settings_save_width_crosswalk_and_a_shorter_notice(
        db: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[object] = []
    monkeypatch.setattr(settings_module, "show_error", lambda _p, e, *a: errors.append(e))
    dialog = ReportSettingsDialog()
    qtbot.addWidget(dialog)
    assert dialog.width.value() == 5
    assert dialog.notice_hours.maximum() == 24  # never longer than the statute
    dialog.width.setValue(6)
    dialog.crosswalk.setCurrentIndex(dialog.crosswalk.findData("spd15_2024"))
    dialog.notice_hours.setValue(4)
    assert dialog.save(), errors
    assert report_service.report_settings().width == 6
    assert incident_rules.report_crosswalk().key == "spd15_2024"
    assert incident_rules.contact_rules().district_hours == 4
