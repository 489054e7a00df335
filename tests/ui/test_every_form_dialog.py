"""Every form dialog of the app, opened and read back with each of its enum choices (issue 20).

PySide6 hands a ``StrEnum`` back from ``currentData()`` as a plain ``str``; three hiring actions
crashed on it. Here each dialog built on the form base is opened, its keyboard focus checked
(the first field, never a button), its one-line fields checked for a maximum length, and every
choice of every combo read back: each enum field of what the dialog returns is the enum, never
a bare ``str``. Some are then saved through their service with each choice.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import pkgutil
import typing
from collections.abc import Callable
from enum import Enum
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

import sro_desk.ui.dialogs as dialogs_pkg
from sro_desk.domain.complaints import NEXT_STAGES
from sro_desk.domain.hiring import Candidate
from sro_desk.domain.roster import Provider, ProviderKind
from sro_desk.services import complaint_records, complaints, roster
from sro_desk.ui.dialogs.form import FormDialog

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
TODAY = dt.date(2026, 11, 26)

@dataclasses.dataclass(frozen=True)
class Picked:
    """One enum a dialog hands back on its own (not inside a domain object)."""

    value: Enum | None


Factory = Callable[[], tuple[FormDialog, Callable[[], Any]]]


def _factories() -> dict[str, Factory]:
    from sro_desk.ui.dialogs import agreement_dialogs as ag
    from sro_desk.ui.dialogs import complaint_dialogs as cd
    from sro_desk.ui.dialogs import hiring_dialogs as hd
    from sro_desk.ui.dialogs import setup_dialog as sd

    buildings = roster.list_buildings()
    staff = roster.list_staff()
    cand = Candidate(5, 1, "Officer A")
    open_complaint = next(c for c in complaint_records.list_complaints()
                          if c.id is not None and NEXT_STAGES[c.stage])
    calendar = complaint_records.load_district_calendar().years[0]

    def pair(dialog: FormDialog, reader: Callable[[], Any] | None = None) -> tuple[FormDialog,
                                                                                 Callable[[], Any]]:
        return dialog, reader or dialog.value

    return {
        "RoundDialog": lambda: pair(hd.RoundDialog(None, ["Test High School"])),
        "PanelistDialog": lambda: pair(hd.PanelistDialog(1, None, [])),
        "QuestionDialog": lambda: pair(hd.QuestionDialog(1, None)),
        "CandidateDialog": lambda: pair(hd.CandidateDialog(1, None, [])),
        "ConsensusDialog": lambda: pair(hd.ConsensusDialog(cand, None)),
        "DecisionDialog": lambda: pair(hd.DecisionDialog(1, [cand], None)),
        "BuildingDialog": lambda: pair(sd.BuildingDialog(buildings)),
        "ProviderDialog": lambda: pair(sd.ProviderDialog(roster.list_providers())),
        "SchoolYearDialog": lambda: pair(sd.SchoolYearDialog(roster.list_school_years())),
        "ComplaintIntakeDialog": lambda: (lambda d: pair(d, d.complaint))(
            cd.ComplaintIntakeDialog(buildings, staff, complaints.complaint_rules(), TODAY)),
        "ComplaintStepDialog": lambda: (lambda d: pair(d, lambda: [Picked(d.chosen_stage()),
                                                                    Picked(d.chosen_finding())]))(
            cd.ComplaintStepDialog(open_complaint, TODAY)),
        "ComplaintAgencyNoticeDialog": lambda: (lambda d: pair(d, d.problems))(
            cd.ComplaintAgencyNoticeDialog(open_complaint, TODAY)),
        "ComplaintExtensionDialog": lambda: (lambda d: pair(d, d.values))(
            cd.ComplaintExtensionDialog(open_complaint, open_complaint.received_on, TODAY,
                                        lambda *_a: [])),
        "ComplaintRulesDialog": lambda: (lambda d: pair(d, d.problems))(
            cd.ComplaintRulesDialog(complaints.complaint_rules(), complaints.cadence_rules())),
        "ComplaintLetterTemplateDialog": lambda: (lambda d: pair(d, d.problems))(
            cd.ComplaintLetterTemplateDialog(next(iter(cd.LetterKind)), "Dear {{name}}")),
        "ComplaintLetterDialog": lambda: (lambda d: pair(d, lambda: Picked(d.chosen_kind())))(
            cd.ComplaintLetterDialog(open_complaint)),
        "ComplaintCalendarYearDialog": lambda: (lambda d: pair(d, d.problems))(
            cd.ComplaintCalendarYearDialog(calendar.label, calendar.first_day, calendar.last_day,
                                           calendar)),
        "ComplaintClosureDialog": lambda: (lambda d: pair(d, d.days))(
            cd.ComplaintClosureDialog(calendar, TODAY)),
        "ComplaintMeetingDialog": lambda: (lambda d: pair(d, d.meeting))(
            cd.ComplaintMeetingDialog(buildings, staff, TODAY)),
        "ComplaintActivityDialog": lambda: (lambda d: pair(d, d.activity))(
            cd.ComplaintActivityDialog(buildings, staff, TODAY)),
        "ReviewMeetingDialog": lambda: (lambda d: pair(d, d.meeting))(
            ag.ReviewMeetingDialog("2026-27", [(1, "Agency — agreement")])),
        "AgreementDialog": lambda: (lambda d: pair(d, d.agreement))(
            ag.AgreementDialog([(p.id or 0, p.name) for p in roster.list_providers()],
                               "2026-27")),
    }


#: form dialogs whose construction needs a whole assessed agreement; they are opened from their
#: buttons in tests/ui/test_agreements_tab.py
OPENED_ELSEWHERE = {"ChecklistItemDialog", "StartOfYearDialog", "_CheckedForm"}


def _all_form_dialogs() -> set[str]:
    for info in pkgutil.iter_modules(dialogs_pkg.__path__):
        importlib.import_module(f"sro_desk.ui.dialogs.{info.name}")
    found: set[str] = set()
    todo = list(FormDialog.__subclasses__())
    while todo:
        cls = todo.pop()
        if cls.__module__.startswith("sro_desk."):  # not a test's own form
            found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def _enum_fields_are_enums(value: Any) -> list[str]:
    """Fields of a (nested) dataclass declared as an Enum that hold something else."""
    wrong: list[str] = []
    items = value if isinstance(value, list | tuple) else [value]
    for item in items:
        if not dataclasses.is_dataclass(item) or isinstance(item, type):
            continue
        hints = typing.get_type_hints(type(item))
        for f in dataclasses.fields(item):
            declared = hints.get(f.name)
            got = getattr(item, f.name)
            enums = [t for t in typing.get_args(declared) or (declared,)
                     if isinstance(t, type) and issubclass(t, Enum)]
            if enums and got is not None and not isinstance(got, tuple(enums)):
                wrong.append(f"{type(item).__name__}.{f.name} = {got!r}")
    return wrong


def test_every_form_dialog_is_covered(demo_ctx: Any) -> None:
    assert _all_form_dialogs() - OPENED_ELSEWHERE == set(_factories())


@pytest.mark.parametrize("name", [
    "RoundDialog", "PanelistDialog", "QuestionDialog", "CandidateDialog", "ConsensusDialog",
    "DecisionDialog", "BuildingDialog", "ProviderDialog", "SchoolYearDialog",
    "ComplaintIntakeDialog", "ComplaintStepDialog", "ComplaintAgencyNoticeDialog",
    "ComplaintExtensionDialog", "ComplaintRulesDialog", "ComplaintLetterTemplateDialog",
    "ComplaintLetterDialog", "ComplaintCalendarYearDialog", "ComplaintClosureDialog",
    "ComplaintMeetingDialog", "ComplaintActivityDialog", "ReviewMeetingDialog",
    "AgreementDialog"])
def test_form_dialog_focus_lengths_and_each_choice(qtbot: Any, demo_ctx: Any,
                                                   name: str) -> None:
    dialog, read = _factories()[name]()
    qtbot.addWidget(dialog)
    dialog.show()
    focus = dialog.focusWidget()
    assert focus is not None and not isinstance(focus, QAbstractButton), (name, focus)
    assert focus is dialog.first_field()
    for edit in dialog.findChildren(QLineEdit):
        if isinstance(edit.parent(), QComboBox) and not edit.parent().isEditable():
            continue
        if edit.parent().inherits("QAbstractSpinBox"):
            continue
        assert edit.maxLength() <= 1000, (
            name, edit.accessibleName())
    for combo in dialog.findChildren(QComboBox):
        if not combo.isVisibleTo(dialog) or combo.isEditable():
            continue
        for index in range(combo.count()):
            combo.setCurrentIndex(index)
            value = read()
            assert _enum_fields_are_enums(value) == [], (name, combo.accessibleName(),
                                                         combo.itemText(index))


@pytest.mark.parametrize("kind", list(ProviderKind))
def test_provider_dialog_saves_each_kind(qtbot: Any, demo_ctx: Any, kind: ProviderKind) -> None:
    from sro_desk.ui.dialogs.setup_dialog import ProviderDialog
    from tests.ui.gui_walk import choose, type_into_focus

    dialog = ProviderDialog(roster.list_providers())
    qtbot.addWidget(dialog)
    dialog.show()
    type_into_focus(dialog, f"Harbor {kind.value} provider")
    choose(dialog.kind, kind.value)
    saved: Provider = roster.save_provider(dialog.value())
    assert saved.kind is kind
    assert next(p for p in roster.list_providers() if p.id == saved.id).kind is kind
