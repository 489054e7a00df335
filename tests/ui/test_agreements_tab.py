"""The Agreements tab (pytest-qt): models, live checklist, validating dialogs, jobs, a look."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QLabel

from sro_desk.domain.agreements import (
    Agreement,
    ChecklistEntry,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
)
from sro_desk.domain.start_of_year import BuildingStartOfYear
from sro_desk.services import agreements
from sro_desk.store import agreement_repo
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs import agreement_dialogs
from sro_desk.ui.dialogs.agreement_handout_dialog import HandoutTemplateDialog
from sro_desk.ui.models.agreement_models import (
    AgreementItemTableModel,
    AgreementTableModel,
    ReviewMeetingTableModel,
    StartOfYearTableModel,
)
from sro_desk.ui.models.table import ObjectFilterProxy
from sro_desk.ui.tabs import agreements_tab
from sro_desk.ui.tabs.agreements_tab import AgreementsTab
from tests.agreement_support import TODAY, close, fake_clearance, make_district, open_fresh

D = dt.date

# The offscreen platform cannot resize native windows and says so whenever a shown window has
# word-wrapped labels; tabs load when first shown, so these tests show the tab.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    path = tmp_path / "tab.db"
    open_fresh(path)
    district = make_district()
    fake_clearance(monkeypatch, lacking={district.guard.id})
    police = agreements.new_agreement(Agreement(
        "2026-27", district.police.id, "", "SRO agreement 2026-27", D(2026, 9, 1), D(2027, 8, 31),
        D(2026, 8, 19)))
    security = agreements.new_agreement(Agreement(
        "2026-27", district.security.id, "", "Guard contract 2026-27", D(2026, 9, 1),
        D(2027, 8, 31)))
    for item in agreements.checklist_catalog():
        agreements.save_entry(security.id, ChecklistEntry(
            item.key, ItemStatus.MET, checked_by="Dana", checked_on=D(2026, 8, 1)), TODAY)
    agreement_repo.save_meeting(ReviewMeeting(
        "2026-27", D(2026, 5, 1), MeetingKind.LISTENING_SESSION,
        ((ParticipantGroup.PARENTS, 9), (ParticipantGroup.STUDENTS, 4))))
    agreements.save_start_of_year(BuildingStartOfYear(
        district.high.id, "", "2026-27", presented_on=D(2026, 9, 4), presenter="Officer"), TODAY)
    messages: list[tuple[str, object]] = []
    monkeypatch.setattr(agreements_tab, "show_error",
                        lambda _p, error, *_a: messages.append(("error", error)))
    monkeypatch.setattr(agreements_tab, "show_info",
                        lambda _p, text, *_a: messages.append(("info", text)))
    yield path, district, police, security, messages
    close()


@pytest.fixture
def tab(qtbot: Any, setup: Any) -> AgreementsTab:
    page = AgreementsTab(AppContext(setup[0]))
    qtbot.addWidget(page)
    page.today = lambda: TODAY
    page.resize(1280, 760)
    page.show()  # tabs load when first shown
    return page


def test_every_model_passes_the_qt_model_tester(qtmodeltester: Any, setup: Any) -> None:
    assessments = agreements.assess_all("2026-27", TODAY)
    for model, items in (
        (AgreementTableModel(), assessments),
        (AgreementItemTableModel(), list(assessments[0].items)),
        (ReviewMeetingTableModel(), agreement_repo.list_meetings("2026-27")),
        (StartOfYearTableModel(), agreements.start_of_year_overview("2026-27", TODAY)),
    ):
        model.set_items(items)
        qtmodeltester.check(model)
        proxy = ObjectFilterProxy()
        proxy.setSourceModel(model)
        qtmodeltester.check(proxy)


def test_tab_shows_the_year_progress_and_needs_attention(tab: AgreementsTab) -> None:
    assert tab.year() == "2026-27"
    rows = {tab.model.item(r).agreement.provider_name: tab.model.item(r)
            for r in range(tab.model.rowCount())}
    assert set(rows) == {"Cascade Police Department", "Evergreen Security LLC"}
    attention = [tab.attention.item(i).text() for i in range(tab.attention.count())]
    assert any("Evergreen Security LLC (2026-27): not adopted" in t for t in attention)
    assert any("Start of year 2026-27: Alder Middle School: missing the" in t for t in attention)
    assert tab.current_title() == f"Agreements ({len(attention)} need attention)"
    assert "have not yet included: community members" in tab.groups_label.text()


def test_training_item_is_flagged_live_for_the_providers_staff(
    tab: AgreementsTab, setup: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    security = setup[3]
    tab.select_agreement(security.id)
    training = next(tab.items_model.item(r) for r in range(tab.items_model.rowCount())
                    if tab.items_model.item(r).definition.key == "training_documentation")
    assert training.shown_status == "Met (not confirmed)"
    assert "Luis Ortega" in training.flags[0]
    fake_clearance(monkeypatch, lacking=set())
    tab.ctx.notify("training")
    training = next(tab.items_model.item(r) for r in range(tab.items_model.rowCount())
                    if tab.items_model.item(r).definition.key == "training_documentation")
    assert training.counts_as_met and not training.flags


def test_checklist_dialog_refuses_not_applicable_without_reason(tab: AgreementsTab, qtbot: Any) -> None:
    item = next(tab.items_model.item(r) for r in range(tab.items_model.rowCount())
                if tab.items_model.item(r).definition.key == "immigration_enforcement_limits")
    dialog = agreement_dialogs.ChecklistItemDialog(item, "Dana", TODAY)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.status.setCurrentIndex(dialog.status.findData(ItemStatus.NOT_APPLICABLE.value))
    assert not save.isEnabled()
    assert "needs a reason" in dialog.problems_label.text()
    assert dialog.checked_on.date() == TODAY
    qtbot.keyClicks(dialog.reason, "No guards at this site")
    assert save.isEnabled()
    entry = dialog.entry()
    assert entry.status is ItemStatus.NOT_APPLICABLE
    assert entry.not_applicable_reason == "No guards at this site"


def test_checklist_dialog_refuses_not_applicable_on_a_live_item(tab: AgreementsTab,
                                                                  qtbot: Any) -> None:
    item = next(tab.items_model.item(r) for r in range(tab.items_model.rowCount())
                if tab.items_model.item(r).definition.key == "training_documentation")
    dialog = agreement_dialogs.ChecklistItemDialog(item, "Dana", TODAY)
    qtbot.addWidget(dialog)
    # the law asks it of every agreement: "not applicable" is not offered at all
    assert dialog.status.findData(ItemStatus.NOT_APPLICABLE.value) == -1
    assert not dialog.reason.isEnabled()


@pytest.mark.parametrize("key", ["complaint_process", "hiring_and_placement"])
def test_checklist_dialog_offers_no_not_applicable_for_a_statutory_item(
    tab: AgreementsTab, qtbot: Any, key: str,
) -> None:
    item = next(tab.items_model.item(r) for r in range(tab.items_model.rowCount())
                if tab.items_model.item(r).definition.key == key)
    dialog = agreement_dialogs.ChecklistItemDialog(item, "Dana", TODAY)
    qtbot.addWidget(dialog)
    assert dialog.status.findData(ItemStatus.NOT_APPLICABLE.value) == -1
    assert any("Locked: required by RCW 28A.320.1242" in label.text()
               for label in dialog.findChildren(QLabel))


def test_agreement_dialog_refuses_dates_out_of_order(tab: AgreementsTab, qtbot: Any) -> None:
    dialog = agreement_dialogs.AgreementDialog(agreements.supplying_providers(), "2026-27")
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()  # no title yet
    qtbot.keyClicks(dialog.title, "Interlocal 2026-27")
    assert save.isEnabled()
    dialog.expires.setDate(D(2026, 1, 1))
    assert not save.isEnabled()
    assert "is before the effective date" in dialog.problems_label.text()
    dialog.expires.setDate(D(2027, 8, 31))
    dialog.adopted.setDate(D(2027, 9, 30))
    assert "after the expiry date" in dialog.problems_label.text()


def test_meeting_and_start_of_year_dialogs_validate(tab: AgreementsTab, qtbot: Any) -> None:
    meeting = agreement_dialogs.ReviewMeetingDialog("2026-27", tab._agreement_choices())
    qtbot.addWidget(meeting)
    meeting.held_on.setDate(D(2026, 5, 2))
    assert not meeting.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    meeting.counts[ParticipantGroup.COMMUNITY].setValue(3)
    assert meeting.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert meeting.meeting().kind in MeetingKind
    soy = agreement_dialogs.StartOfYearDialog(
        BuildingStartOfYear(1, "Cedar High School", "2026-27"), D(2026, 9, 2), TODAY)
    qtbot.addWidget(soy)
    soy.distributed_on.setDate(D(2026, 9, 9))
    assert "Choose how the information went to families" in soy.problems_label.text()
    soy.methods[next(iter(soy.methods))].setChecked(True)
    qtbot.keyClicks(soy.languages, "English, Spanish")
    assert soy.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    assert soy.record().languages == ("English", "Spanish")


def test_handout_wording_dialog_checks_placeholders(qtbot: Any) -> None:
    dialog = HandoutTemplateDialog("# {{building_name}}\n", "# default\n")
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert save.isEnabled()
    dialog.editor.setPlainText("# {{principal_name}}")
    assert not save.isEnabled() and "not a placeholder" in dialog.problems.text()
    dialog.reset_button.click()
    assert dialog.text() == "# default\n" and save.isEnabled()


def test_new_school_year_runs_off_the_gui_thread_and_twice_is_harmless(
    tab: AgreementsTab, setup: Any, qtbot: Any
) -> None:
    messages = setup[4]
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        tab.roll_over("2026-27")
    assert messages[-1] == ("info", "2 draft agreements created for 2027-28.")
    assert tab.year() == "2027-28"
    assert tab.model.rowCount() == 2
    with qtbot.waitSignal(tab.runner.finished, timeout=10_000):
        tab.roll_over("2026-27")
    assert messages[-1][1].startswith("No new drafts")
    assert len(agreement_repo.list_agreements("2027-28")) == 2


def test_bad_attachment_is_refused_in_words(tab: AgreementsTab, setup: Any, tmp_path: Path) -> None:
    police, messages = setup[2], setup[4]
    bad = tmp_path / "agreement.pdf"
    bad.write_bytes(b"this is really a text file")
    assert tab.attach_document(police.id, bad) is False
    kind, error = messages[-1]
    assert kind == "error" and "PDF" in str(error)
    good = tmp_path / "signed.pdf"
    good.write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert tab.attach_document(police.id, good) is True
    tab.select_agreement(police.id)
    assert tab.open_document_button.isEnabled()


def test_exports_from_the_tab(tab: AgreementsTab, setup: Any, qtbot: Any, tmp_path: Path) -> None:
    district = setup[1]
    tab.select_agreement(setup[2].id)
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.export_checklist(tmp_path / "checklist")
    assert (tmp_path / "checklist.pdf").stat().st_size > 1000
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.export_handout(district.high.id, tmp_path / "handout.pdf")
    assert (tmp_path / "handout.pdf").read_bytes().startswith(b"%PDF")


def test_the_tab_renders(tab: AgreementsTab, tmp_path: Path) -> None:
    tab.resize(1280, 760)
    for index in range(tab.pages.count()):
        tab.pages.setCurrentIndex(index)
        image = tab.grab().toImage()
        assert not image.isNull() and image.width() == 1280
        assert image.save(str(tmp_path / f"agreements-{index}.png"))


def test_one_line_fields_warn_about_immigration_data_without_blocking(
    tab: AgreementsTab, qtbot: Any
) -> None:
    dialog = agreement_dialogs.ChecklistItemDialog(tab.items_model.item(0), "Dana", TODAY)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.evidence, "officer checked green card status")
    assert "RCW 10.93.160" in dialog.problems_label.text()
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
