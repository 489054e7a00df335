"""The Training tab: record a completion, verify it, see the cell change; filters; exports."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QDialog

from sro_desk.domain.training import Provider, TrainingStatus
from sro_desk.ui.models.training_matrix import CELL_ROLE, FIXED_COLUMNS, wrapped_title
from sro_desk.ui.tabs.training_tab import TrainingTab
from tests.training_helpers import PDF_BYTES, TODAY

pytestmark = [
    # Verifications are stamped by the clock: "verified on the 26th, as of the 26th" must hold.
    pytest.mark.on_day(TODAY),
    # Showing a top-level widget on the offscreen platform logs this; it says nothing about the tab.
    pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints"),
]


@pytest.fixture
def tab(qtbot: Any, app_ctx: Any, district: Any, monkeypatch: pytest.MonkeyPatch) -> TrainingTab:
    opened: list[QDialog] = []
    monkeypatch.setattr(TrainingTab, "_open", lambda self, dialog: opened.append(dialog))
    monkeypatch.setattr(TrainingTab, "_open_completion",
                        lambda self, dialog: opened.append(dialog))
    widget = TrainingTab(app_ctx)
    widget.opened = opened  # type: ignore[attr-defined]
    qtbot.addWidget(widget)
    from sro_desk.ui.widgets.date_edit import to_qdate

    widget.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    widget.show()  # tabs load their data when first shown
    widget.as_of.setDate(to_qdate(TODAY))
    widget.refresh()
    return widget


def _cell(tab: TrainingTab, staff_id: int, code: str) -> Any:
    model = tab.matrix_model
    column = next(c for c in range(model.columnCount())
                  if (r := model.requirement_at(c)) is not None and r.code == code)
    row = next(r for r in range(model.rowCount()) if model.item(r).person.staff_id == staff_id)
    index = model.index(row, column)
    return model.data(index, CELL_ROLE), model.data(index), model.data(
        index, Qt.ItemDataRole.ToolTipRole)


def test_models_pass_the_model_tester(tab: TrainingTab, qtmodeltester: Any) -> None:
    qtmodeltester.check(tab.matrix_model)
    qtmodeltester.check(tab.attention_model)
    assert tab.matrix_model.rowCount() == 4, tab.summary.text()
    assert tab.matrix_model.columnCount() == FIXED_COLUMNS + 24
    tip = tab.matrix_model.headerData(FIXED_COLUMNS + 12, Qt.Orientation.Horizontal,
                                      Qt.ItemDataRole.ToolTipRole)
    assert "Restorative justice principles and practices." in tip
    assert "ESHB 1214 (2021)" in tip


def test_record_verify_and_see_the_cell_change(tab: TrainingTab, district: Any,
                                               tmp_path: Path) -> None:
    sro = district.staff["sro"].id
    cell, text, tooltip = _cell(tab, sro, "topic_a")
    assert cell.status is TrainingStatus.OVERDUE and text.startswith("Overdue")
    assert "Was due by 3 March 2026" in tooltip

    tab.record_training((sro,), ("topic_a",))
    dialog = tab.opened.pop()  # type: ignore[attr-defined]
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert save.isEnabled() and save.text() == "Save 1 record"
    dialog.provider.setCurrentIndex(dialog.provider.findData(Provider.ESD))
    assert not save.isEnabled() and "Name the provider" in dialog.problems.text()
    dialog.provider_name.setCurrentText("Olympic ESD 114")
    from sro_desk.ui.widgets.date_edit import to_qdate

    dialog.completed_on.setDate(to_qdate(dt.date(2026, 10, 1)))
    assert save.isEnabled()
    evidence = tmp_path / "certificate.pdf"
    evidence.write_bytes(PDF_BYTES)
    dialog.add_evidence_path(evidence)
    assert dialog.evidence_list.count() == 1
    assert tab.save_completion(dialog)

    cell, text, _tip = _cell(tab, sro, "topic_a")
    assert cell.status is TrainingStatus.OVERDUE and cell.pending_claims == 1
    assert text.endswith("(claimed)")

    record = tab.open_cell(sro, "topic_a")
    assert record is not None and record.table.rowCount() == 1
    assert record.table.item(0, 5).text() == "1"  # one evidence file
    assert record.verify_button.isEnabled()
    record.verify_button.click()
    assert record.table.item(0, 4).text().startswith("Test Coordinator")

    cell, text, tooltip = _cell(tab, sro, "topic_a")
    assert cell.status is TrainingStatus.VERIFIED and text == "Verified"
    assert "Verified by Test Coordinator" in tooltip
    assert "Olympic ESD 114" in tooltip


def test_group_session_enters_many_records_at_once(tab: TrainingTab, district: Any) -> None:
    ids = (district.staff["sro"].id, district.staff["guard"].id)
    tab.record_training(ids, (), group=True)
    dialog = tab.opened.pop()  # type: ignore[attr-defined]
    dialog.all_topics.click()
    dialog.verify_now.setChecked(True)
    save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
    assert save.text() == "Save 26 records"
    assert tab.save_completion(dialog)
    rows = {r.person.staff_id: r for r in tab.matrix_model.matrix.rows}  # type: ignore[union-attr]
    # Sam Rivera's first day was 3 Sep 2025: topics now verified, but the on-the-job days were
    # due by 3 Sep 2026. He may be assigned, yet is out of compliance - never "cleared".
    sro = rows[ids[0]].clearance
    assert sro.may_be_assigned and not sro.in_compliance and sro.overdue_codes == ("on_the_job",)
    assert rows[ids[1]].clearance.cleared
    assert tab.summary.text() == (
        "3 of 4 may be assigned · 1 in compliance with the series deadlines")


def test_filters_and_needs_attention(tab: TrainingTab, district: Any) -> None:
    assert tab.attention_proxy.rowCount() > 0
    first = tab.attention_model.item(0)
    assert first.person_name == "Ng, Carl" and first.date is None  # no first day recorded
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("Not to be assigned"))
    assert tab.proxy.rowCount() == 1  # Carl Ng: no first day recorded
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("Series overdue"))
    assert tab.proxy.rowCount() == 4
    tab.employer_filter.setCurrentIndex(tab.employer_filter.findData("Guardian Security LLC"))
    assert tab.proxy.rowCount() == 1
    names = {tab.attention_model.item(tab.attention_proxy.mapToSource(
        tab.attention_proxy.index(r, 0)).row()).person_name
        for r in range(tab.attention_proxy.rowCount())}
    assert names == {"Moss, Gina"}
    tab.employer_filter.setCurrentIndex(0)
    tab.status_filter.setCurrentIndex(tab.status_filter.findData("In compliance"))
    assert tab.proxy.rowCount() == 0


def test_exports_from_the_tab(tab: TrainingTab, district: Any, qtbot: Any,
                              tmp_path: Path) -> None:
    with qtbot.waitSignal(tab.runner.finished, timeout=20000):
        tab.export_matrix(tmp_path / "matrix")
    assert (tmp_path / "matrix.xlsx").stat().st_size > 0
    with qtbot.waitSignal(tab.runner.finished, timeout=20000):
        tab.export_record(district.staff["guard"].id, tmp_path / "record.pdf")
    assert (tmp_path / "record.pdf").read_bytes().startswith(b"%PDF")


def test_requirements_dialog_locks_topic_m_and_marks_a_district_item_not_required(
    tab: TrainingTab, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sro_desk.ui.dialogs import training_requirements_dialog as module

    monkeypatch.setattr(module, "ask_reason", lambda *a: "Board motion 26-4")
    tab._on_settings_clicked()
    dialog = tab.opened.pop()  # type: ignore[attr-defined]
    dialog.table.selectRow(12)  # (m) restorative justice: RCW 28A.400.345(2)(b)
    assert not dialog.required_button.isEnabled()
    assert dialog.required_button.text() == "Required by law"
    assert dialog.table.item(12, 2).text() == "yes — locked by law (RCW 28A.400.345(2)(b))"
    assert not dialog.table.item(12, 0).icon().isNull()
    dialog._on_required_clicked()  # even called directly, nothing changes
    assert dialog.table.item(12, 2).text().startswith("yes — locked")
    row = next(r for r in range(dialog.table.rowCount())
               if dialog.table.item(r, 0).text() == "First Aid/CPR")
    assert dialog.table.item(row, 0).icon().isNull()
    dialog.table.selectRow(row)
    assert dialog.required_button.text() == "Mark not required…"
    dialog.required_button.click()
    assert dialog.table.item(row, 2).text() == "no — Board motion 26-4"
    cell, text, _tip = _cell(tab, tab.matrix_model.item(0).person.staff_id, "first_aid_cpr")
    assert cell.status is TrainingStatus.NOT_APPLICABLE and text == "Not applicable"
    cell, _text, _tip = _cell(tab, tab.matrix_model.item(0).person.staff_id, "topic_m")
    assert cell.status is not TrainingStatus.NOT_APPLICABLE


def test_wrapped_title() -> None:
    assert wrapped_title("(a) Civil rights of children") == "(a) Civil rights\nof children"
    assert wrapped_title("FERPA") == "FERPA"
    # The letter stays with its name, and every word shows (QA: "(c) Trauma-informed approa").
    assert wrapped_title("(c) Trauma-informed approaches") == "(c) Trauma-informed\napproaches"
    assert wrapped_title("(f) Bias free policing, cultural competency") == (
        "(f) Bias free\npolicing, cultural\ncompetency")
    long = "Security guard annual refresher on use of force and de-escalation techniques"
    wrapped = wrapped_title(long)
    assert wrapped.count("\n") <= 2 and wrapped.split() == long.split()


def test_headers_and_dated_cells_read_in_full(tab: TrainingTab, district: Any) -> None:
    """Every header line fits its column; a dated cell reads "Overdue · 3 Mar 2026"."""
    header = tab.view.horizontalHeader()
    metrics = header.fontMetrics()
    model = tab.matrix_model
    for column in range(FIXED_COLUMNS, model.columnCount()):
        title = str(model.headerData(column, Qt.Orientation.Horizontal))
        widest = max(metrics.horizontalAdvance(line) for line in title.split("\n"))
        assert header.sectionSize(column) >= widest + 8, title
        assert header.sectionSize(column) >= header.sectionSizeHint(column), title
        requirement = model.requirement_at(column)
        assert requirement is not None
        tip = model.headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
        assert requirement.column_title in tip
    _state, text, _tip = _cell(tab, district.staff["sro"].id, "topic_a")
    assert text == "Overdue · 3 Mar 2026"
    column = next(c for c in range(model.columnCount())
                  if (r := model.requirement_at(c)) is not None and r.code == "topic_a")
    assert tab.view.columnWidth(column) >= (
        tab.view.fontMetrics().horizontalAdvance(text) + 16), "the dated cell is cut"


def test_record_dialog_buttons_show_their_whole_labels(tab: TrainingTab, district: Any) -> None:
    from PySide6.QtWidgets import QPushButton

    record = tab.open_cell(district.staff["guard"].id, "topic_a")
    assert record is not None
    record.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    record.show()
    assert record.width() >= 820
    buttons = [b for b in record.findChildren(QPushButton) if b.isVisible()]
    assert {"Withdraw verification…", "Save evidence copy…", "&Record completion…",
            "Record ESD &waiver…"} <= {b.text() for b in buttons}
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert record.rect().contains(QRect(button.mapTo(record, QPoint(0, 0)),
                                            button.size())), button.text()
    record.close()


def test_esd_documentation_and_waiver_dialogs(tab: TrainingTab, district: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.dialogs.training_esd_dialog import EsdDocumentationDialog
    from sro_desk.ui.dialogs.training_record_dialog import WaiverDialog

    guard = district.staff["guard"].id
    tab.select_person(guard)
    tab._on_esd_clicked()
    dialog = tab.opened.pop()  # type: ignore[attr-defined]
    assert isinstance(dialog, EsdDocumentationDialog)
    assert not dialog.add_button.isEnabled()  # no ESD named yet
    dialog.esd.setCurrentText("ESD 112")
    assert dialog.add_button.isEnabled()
    scan = tmp_path / "series.pdf"
    scan.write_bytes(PDF_BYTES)
    fake = tmp_path / "series.png"
    fake.write_bytes(PDF_BYTES)
    shown: list[str] = []
    monkeypatch.setattr("sro_desk.ui.dialogs.training_esd_dialog.show_error",
                        lambda _p, e, *_a: shown.append(str(e)))
    assert not dialog.set_file(fake) and "named like a PNG" in shown[0]
    assert dialog.set_file(scan)
    dialog.add_button.click()
    assert dialog.table.rowCount() == 1 and dialog.table.item(0, 2).text() == "attached"
    dialog.table.selectRow(0)
    dialog.confirm_button.click()
    assert dialog.table.item(0, 3).text().startswith("Test Coordinator")
    cell, _text, tooltip = _cell(tab, guard, "topic_c")
    assert cell.status is TrainingStatus.VERIFIED and cell.via_esd_documentation
    assert "Covered by ESD training series documentation" in tooltip

    catalog = tab.catalog
    assert catalog is not None
    waiver = WaiverDialog(catalog.get("first_aid_cpr"), catalog, today=TODAY)
    waiver.esd.setCurrentText("ESD 112")
    waiver.reason_edit.setText("x")
    assert "only series components can be waived" in waiver.problems.text()
    assert not waiver.buttons.button(waiver.buttons.StandardButton.Save).isEnabled()


def test_district_adds_a_certification_and_chooses_who_must_complete_it(
    tab: TrainingTab, district: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sro_desk.ui.dialogs import training_requirements_dialog as module

    monkeypatch.setattr(module, "ask_reason", lambda *a: "County EMS guidance")

    def fill_new(self: Any, dialog: Any) -> int:
        if not dialog._adding:
            dialog.role_boxes["school_resource_officer"].setChecked(True)
            return int(QDialog.DialogCode.Accepted)
        save = dialog.buttons.button(dialog.buttons.StandardButton.Save)
        assert not save.isEnabled() and "needs a name" in dialog.problems.text()
        dialog.name.setText("Naloxone administration")
        dialog.renewal.setValue(24)
        assert save.isEnabled()
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(module.TrainingRequirementsDialog, "_run", fill_new)
    tab._on_settings_clicked()
    dialog = tab.opened.pop()  # type: ignore[attr-defined]
    dialog.add_button.click()
    last = dialog.table.rowCount() - 1
    assert dialog.table.item(last, 0).text() == "Naloxone administration"
    assert dialog.table.item(last, 3).text() == "Every 2 years"
    cpr_row = next(r for r in range(dialog.table.rowCount())
                   if dialog.table.item(r, 0).text() == "First Aid/CPR")
    dialog.table.selectRow(cpr_row)
    assert dialog.applies_button.isEnabled()
    dialog.applies_button.click()
    assert dialog.table.item(cpr_row, 4).text() == "School resource officer"
    guard = district.staff["guard"].id
    cell, _text, _tip = _cell(tab, guard, "first_aid_cpr")
    assert cell.status is TrainingStatus.NOT_APPLICABLE
    cell, _text, _tip = _cell(tab, guard, "naloxone_administration")
    assert cell.status in (TrainingStatus.DUE, TrainingStatus.OVERDUE)


def test_correcting_a_verified_date_withdraws_the_verification(
    tab: TrainingTab, district: Any, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sro_desk.services.training import record_completions, verify_completions
    from sro_desk.store.training_repo import CompletionInput
    from sro_desk.ui.dialogs import training_record_dialog as module
    from sro_desk.ui.widgets.date_edit import to_qdate

    sro = district.staff["sro"].id
    saved = record_completions([CompletionInput(sro, "topic_b", dt.date(2026, 10, 1),
                                                Provider.AGENCY)], today=TODAY)
    verify_completions([saved.completions[0].id], "Pat Lee")
    tab.refresh()
    assert _cell(tab, sro, "topic_b")[0].status is TrainingStatus.VERIFIED
    monkeypatch.setattr(module, "ask_reason", lambda *a: "Date on the certificate is 2 October")

    def correct(self: Any, dialog: Any) -> int:
        assert not dialog.people.isEnabled() and not dialog.verify_now.isVisible()
        assert dialog.provider.currentData() == Provider.AGENCY
        dialog.completed_on.setDate(to_qdate(dt.date(2026, 10, 2)))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(module.TrainingRecordDialog, "_run", correct)
    record = tab.open_cell(sro, "topic_b")
    assert record is not None
    record.edit_button.click()
    assert record.table.item(0, 0).text() == "2 October 2026"
    assert record.table.item(0, 4).text() == "claimed, not verified"
    assert _cell(tab, sro, "topic_b")[0].status is TrainingStatus.OVERDUE


def test_the_tab_renders_on_the_demo_district(qtbot: Any, demo_ctx: Any, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    page = TrainingTab(demo_ctx)
    qtbot.addWidget(page)
    page.resize(1280, 760)
    page.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen)
    page.show()
    from sro_desk.ui.widgets.date_edit import to_qdate

    page.as_of.setDate(to_qdate(TODAY))
    page.refresh()
    assert page.summary.text() == "14 of 15 may be assigned · 12 in compliance with the series deadlines"
    assert page.attention_proxy.rowCount() == page.attention_model.rowCount() > 10
    image = page.grab().toImage()
    assert image.width() == 1280 and not image.isNull()
    assert image.save(str(tmp_path / "training.png"))


def test_waiver_shown_documented_and_removed_from_the_cell(
    tab: TrainingTab, district: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sro_desk.services.training import record_waiver
    from sro_desk.ui.dialogs import training_record_dialog as module

    guard = district.staff["guard"].id
    record_waiver(guard, "topic_c", dt.date(2026, 2, 1), "ESD 112", "Prior corrections career",
                  None, today=TODAY)
    tab.refresh()
    assert _cell(tab, guard, "topic_c")[0].status is TrainingStatus.WAIVED
    dialog = tab.open_cell(guard, "topic_c")
    assert dialog is not None
    assert "Waived by ESD 112" in dialog.waiver_label.text()
    assert "(no waiver document attached)" in dialog.waiver_label.text()
    assert not dialog.waiver_button.isEnabled()
    scan = tmp_path / "waiver.pdf"
    scan.write_bytes(PDF_BYTES)
    assert dialog.attach_waiver_document(scan)
    assert "no waiver document" not in dialog.waiver_label.text()
    monkeypatch.setattr(module, "ask_reason", lambda *a: "Recorded for the wrong topic")
    dialog.remove_waiver_button.click()
    assert dialog.waiver_button.isEnabled()
    assert _cell(tab, guard, "topic_c")[0].status is TrainingStatus.OVERDUE


def test_click_or_enter_opens_the_cell_and_attention_opens_its_cell(
    tab: TrainingTab, district: Any, qtbot: Any,
) -> None:
    column = FIXED_COLUMNS + 1  # (b)
    index = tab.proxy.index(0, column)
    rect = tab.view.visualRect(index)
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert len(tab.opened) == 1  # type: ignore[attr-defined]
    assert tab.opened[0].windowTitle().endswith("(b) Child and adolescent development")  # type: ignore[attr-defined]
    tab.view.setFocus()
    tab.view.setCurrentIndex(index)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    assert len(tab.opened) == 2  # type: ignore[attr-defined]
    row = next(r for r in range(tab.attention_model.rowCount())
               if tab.attention_model.item(r).requirement_code)
    tab._on_attention_activated(tab.attention_proxy.mapFromSource(
        tab.attention_model.index(row, 0)))
    assert len(tab.opened) == 3  # type: ignore[attr-defined]
