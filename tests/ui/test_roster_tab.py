from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from sro_desk.domain.roster import Role, StaffStatus
from sro_desk.store import roster_repo
from sro_desk.store.audit import audit_entries
from sro_desk.ui.dialogs.staff_dialog import StaffDialog
from sro_desk.ui.models.staff import StaffFilterProxy, StaffTableModel
from sro_desk.ui.tabs.roster_tab import RosterTab
from tests.conftest import District


@pytest.fixture
def tab(qtbot: Any, app_ctx: Any, district: District) -> RosterTab:
    page = RosterTab(app_ctx)
    qtbot.addWidget(page)
    page.show()
    return page


def test_models_pass_qt_model_tester(qtmodeltester: Any, district: District) -> None:
    model = StaffTableModel()
    model.set_items(roster_repo.list_staff())
    qtmodeltester.check(model)
    proxy = StaffFilterProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_table_lists_everyone_sorted_by_name(tab: RosterTab) -> None:
    names = [tab.proxy.index(r, 0).data() for r in range(tab.proxy.rowCount())]
    assert names == sorted(names, key=str.lower)
    assert tab.count_label.text() == "4 of 4 shown"


def test_filters_and_search(tab: RosterTab, district: District, qtbot: Any) -> None:
    qtbot.keyClicks(tab.search, "rivera")
    assert tab.proxy.rowCount() == 1
    tab.search.clear()
    tab.role_filter.setCurrentIndex(tab.role_filter.findData(Role.SRO.value))
    assert tab.proxy.rowCount() == 1
    tab.role_filter.setCurrentIndex(0)
    tab.building_filter.setCurrentIndex(tab.building_filter.findData(district.buildings["THS"].id))
    assert tab.proxy.rowCount() == 2
    tab.status_filter.setCurrentIndex(tab.status_filter.findData(StaffStatus.INACTIVE.value))
    assert tab.proxy.rowCount() == 0
    tab.building_filter.setCurrentIndex(0)
    assert tab.proxy.rowCount() == 1
    assert tab.count_label.text() == "1 of 4 shown"
    tab.status_filter.setCurrentIndex(0)
    tab.provider_filter.setCurrentIndex(tab.provider_filter.findData(district.providers["district"].id))
    assert tab.proxy.rowCount() == 2


def test_sorting_by_date_column_is_chronological(tab: RosterTab) -> None:
    tab.view.sortByColumn(7, Qt.SortOrder.AscendingOrder)
    shown = [tab.proxy.index(r, 7).data() for r in range(tab.proxy.rowCount())]
    assert shown == ["", "5 September 2023", "3 September 2025", "12 January 2026"]


def test_staff_dialog_validates_as_you_type(qtbot: Any, district: District) -> None:
    dialog = StaffDialog(roster_repo.list_providers(), roster_repo.list_buildings())
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save is not None and not save.isEnabled()
    assert "needs a name" in dialog.problems.text()
    qtbot.keyClicks(dialog.last_name, "Quinn")
    dialog.role.setCurrentIndex(dialog.role.findData(Role.SRO.value))
    dialog.provider.setCurrentIndex(dialog.provider.findData(district.providers["guards"].id))
    assert "commissioned officer" in dialog.problems.text()
    assert "police department or sheriff" in dialog.problems.text()
    assert not save.isEnabled()
    dialog.commissioned.setChecked(True)
    dialog.provider.setCurrentIndex(dialog.provider.findData(district.providers["police"].id))
    assert save.isEnabled()
    dialog.notes.setText("Born in another country, per the student")
    assert dialog.notes.warning.isVisibleTo(dialog)
    assert "RCW 10.93.160" in dialog.notes.warning.text()


def test_staff_dialog_warns_of_a_first_day_without_students(qtbot: Any, district: District) -> None:
    """A summer first day starts the 6-month clock early: a warning naming the school day meant,
    never a refusal (summer school is real)."""
    from sro_desk.services.first_day import first_day_checker

    dialog = StaffDialog(roster_repo.list_providers(), roster_repo.list_buildings(),
                         first_day_check=first_day_checker())
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.last_name, "Quinn")
    dialog.provider.setCurrentIndex(dialog.provider.findData(district.providers["district"].id))
    dialog.role.setCurrentIndex(dialog.role.findData(Role.CAMPUS_SECURITY.value))
    dialog.first_day.setDate(dt.date(2026, 8, 10))
    text = dialog.problems.text()
    assert "⚠ The first day with students, Monday 10 August 2026" in text
    assert "Did you mean Wednesday 2 September 2026, the next school day?" in text
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save is not None and save.isEnabled()  # a warning, not a refusal
    dialog.first_day.setDate(dt.date(2026, 9, 2))
    assert "first day with students," not in dialog.problems.text()


def test_add_person_through_dialog(tab: RosterTab, district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    def fake_exec(dialog: StaffDialog) -> int:
        dialog.first_name.setText("Lee")
        dialog.last_name.setText("Park")
        dialog.role.setCurrentIndex(dialog.role.findData(Role.CAMPUS_SECURITY.value))
        dialog.provider.setCurrentIndex(dialog.provider.findData(district.providers["district"].id))
        item = dialog.buildings.item(0, 0)
        assert item is not None
        item.setCheckState(Qt.CheckState.Checked)
        dialog._day_boxes[0].setValue(2.5)
        dialog.first_day.setDate(dt.date(2026, 9, 2))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(StaffDialog, "exec", fake_exec)
    tab.add_button.click()
    park = next(m for m in roster_repo.list_staff() if m.last_name == "Park")
    assert park.assignments[0].days_per_week == 2.5
    assert tab.model.rowCount() == 5
    assert tab._selected() is not None and tab._selected().last_name == "Park"  # type: ignore[union-attr]


def test_deactivate_keeps_the_person(tab: RosterTab, district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sro_desk.ui.tabs.roster_tab.confirm", lambda *a, **k: True)
    tab.select_staff(district.staff["guard"].id)
    tab.deactivate_button.click()
    member = roster_repo.get_staff(district.staff["guard"].id or 0)
    assert member.status is StaffStatus.INACTIVE and member.assignment_end is not None
    assert audit_entries("Staff", member.id)[-1].action == "update"


def test_delete_refused_shows_reason(tab: RosterTab, district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr("sro_desk.ui.tabs.roster_tab.confirm", lambda *a, **k: True)
    monkeypatch.setattr("sro_desk.ui.tabs.roster_tab.show_error", lambda _p, e, *_a: shown.append(str(e)))
    monkeypatch.setattr("sro_desk.store.roster_repo.dependents", lambda _r: ["2 training completion records"])
    tab.select_staff(district.staff["sro"].id)
    tab.delete_button.click()
    assert shown and "cannot be deleted" in shown[0] and "inactive" in shown[0]
    assert roster_repo.get_staff(district.staff["sro"].id or 0)


def test_import_runs_in_background(tab: RosterTab, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sro_desk.ui.tabs.roster_tab.show_info", lambda *a, **k: None)
    path = tmp_path / "r.csv"
    path.write_text("last_name,role,employer,buildings\nNewcomb,campus security officer,Test Valley School District,TES:1\n", encoding="utf-8")
    with qtbot.waitSignal(tab.runner.finished, timeout=10000):
        tab.import_file(path)
    assert any(m.last_name == "Newcomb" for m in roster_repo.list_staff())


def test_import_refusal_is_shown_not_raised(tab: RosterTab, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[object] = []
    monkeypatch.setattr("sro_desk.ui.crash.show_error", lambda _p, e, *_a: shown.append(e))
    path = tmp_path / "r.xlsx"
    path.write_text("not a workbook")
    with qtbot.waitSignal(tab.runner.failed, timeout=10000):
        tab.import_file(path)
    assert shown and "not an Excel workbook" in str(shown[0])


def test_activating_a_person_not_cleared_asks_for_a_reason_at_once(tab: RosterTab, district: District, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs at save time, not from the table's background clearance notes."""
    from dataclasses import replace

    asked: list[str] = []
    answers = iter([None, "Covering for an absent officer; ESD paperwork in the mail"])
    monkeypatch.setattr("sro_desk.ui.tabs.roster_tab.ask_reason", lambda _p, _t, text: asked.append(text) or next(answers))
    cso = district.staff["cso"]
    tab.model.set_clearance({})  # as if the background notes had not arrived
    assert tab._save(cso, replace(cso, status=StaffStatus.ACTIVE)) is None
    assert roster_repo.get_staff(cso.id or 0).status is StaffStatus.PENDING
    saved = tab._save(cso, replace(cso, status=StaffStatus.ACTIVE))
    assert saved is not None and saved.status is StaffStatus.ACTIVE
    assert len(asked) == 2 and "not cleared" in asked[0]
    assert "ESD paperwork in the mail" in audit_entries("Staff", cso.id)[-1].changes
