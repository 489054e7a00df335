"""The Complaints and Calendar & Meetings tabs on the demo district (pytest-qt)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from sro_desk.domain.complaints import Category, Channel, Complaint, Stage
from sro_desk.domain.school_calendar import DayOffKind
from sro_desk.services import complaints as svc
from sro_desk.store import calendar_repo, complaint_repo, roster_repo
from sro_desk.ui.dialogs import complaint_dialogs as dialogs
from sro_desk.ui.models import complaint_models as models
from sro_desk.ui.models.table import OBJECT_ROLE
from sro_desk.ui.tabs.complaints_tab import ComplaintsTab
from sro_desk.ui.widgets.date_edit import to_qdate

TODAY = dt.date(2026, 11, 26)


@pytest.fixture
def tab(qtbot: Any, demo_ctx: Any) -> ComplaintsTab:
    page = ComplaintsTab(demo_ctx)
    qtbot.addWidget(page)
    page.today_override = TODAY
    page.refresh()
    return page


def test_board_title_counts_overdue_and_lists_it_first(tab: ComplaintsTab, qtbot: Any,
                                                       qtmodeltester: Any) -> None:
    assert tab.current_title() == "Complaints (1 overdue)"
    first = tab.proxy.index(0, 0).data(OBJECT_ROLE)
    assert first.overdue and first.status.startswith("Overdue by")
    assert tab.proxy.index(0, 1).data() == first.status  # the state in words, not only colour
    qtmodeltester.check(tab.board_model)
    tab.view_choice.setCurrentIndex(1)
    assert tab.proxy.rowCount() == 10
    qtmodeltester.check(tab.all_model)


def test_detail_shows_the_computation_and_escapes_user_text(tab: ComplaintsTab) -> None:
    b = next(c for c in complaint_repo.list_complaints() if "O'Neill" in c.complainant_name)
    html = tab.detail_html(b)
    assert "Robert O&#x27;Neill &lt;Sr.&gt;" in html
    assert "Written determination due" in html and "Days not counted" in html
    assert "Appeal decision due" in html
    tab.view_choice.setCurrentIndex(1)
    tab.select_complaint(b.id or 0)
    assert tab.detail.accessibleName() == "Complaint file"
    assert "History" in tab.detail.toHtml()


def test_intake_dialog_validates_as_you_type(qtbot: Any, demo_ctx: Any) -> None:
    buildings = roster_repo.list_buildings()
    staff = roster_repo.list_staff()
    dialog = dialogs.ComplaintIntakeDialog(buildings, staff, svc.complaint_rules(), TODAY)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert not save.isEnabled()
    assert "Enter the complainant's name" in dialog.problem_label.text()
    dialog.name.setText("Lena Ford")
    dialog.description.setText("Officer asked about her immigration status")
    assert "RCW 10.93.160" in dialog.problem_label.text()
    dialog.description.setText("Officer was rude at lunch")
    dialog.incident.setDate(dt.date(2026, 11, 2))
    assert save.isEnabled()
    assert "Filed late" in dialog.note.text()
    dialog.staff.item(0).setCheckState(dialog.staff.item(0).checkState().Checked)
    complaint = dialog.complaint()
    assert complaint.staff and complaint.building_id is not None
    saved = svc.file_complaint(complaint, today=TODAY)
    assert saved.stage is Stage.RECEIVED


def test_step_dialog_refuses_back_dating(qtbot: Any, tab: ComplaintsTab) -> None:
    received = next(c for c in complaint_repo.list_complaints() if c.stage is Stage.RECEIVED)
    dialog = dialogs.ComplaintStepDialog(received, TODAY)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    dialog.on.setDate(received.received_on - dt.timedelta(days=1))
    dialog.investigator.setText("Principal Whitman")
    assert "Steps cannot be back-dated" in dialog.problem_label.text()
    assert not save.isEnabled()
    dialog.on.setDate(TODAY)
    assert save.isEnabled()
    tab.apply_step(received, dialog)
    assert complaint_repo.get_complaint(received.id or 0).stage is Stage.INVESTIGATING
    decided = next(c for c in complaint_repo.list_complaints()
                   if c.stage is Stage.APPEAL_DECIDED)
    closing = dialogs.ComplaintStepDialog(decided, TODAY)
    qtbot.addWidget(closing)
    assert [closing.stage.itemText(i) for i in range(closing.stage.count())] == ["Closed"]
    assert not closing.finding.isVisibleTo(closing)


def test_extension_and_template_dialogs(qtbot: Any, tab: ComplaintsTab) -> None:
    overdue = tab.proxy.index(0, 0).data(OBJECT_ROLE).complaint
    calls: list[tuple[dt.date, str, dt.date]] = []

    def check(notice: dt.date, reason: str, new_due: dt.date) -> list[str]:
        calls.append((notice, reason, new_due))
        return [] if reason else ["An extension notice must give the reason for the extension."]

    dialog = dialogs.ComplaintExtensionDialog(overdue, dt.date(2026, 11, 3), TODAY, check)
    qtbot.addWidget(dialog)
    assert "must give the reason" in dialog.problem_label.text()
    dialog.reason.setText("Witness away")
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    from sro_desk.domain.complaint_letters import LetterKind

    editor = dialogs.ComplaintLetterTemplateDialog(LetterKind.ACKNOWLEDGEMENT, "Dear {{who}}")
    qtbot.addWidget(editor)
    assert "Unknown placeholder: {{who}}" in editor.problem_label.text()
    editor.editor.setPlainText("Dear {{complainant}}")
    assert editor.problem_label.text() == ""


def test_new_complaint_through_the_tab_updates_the_board(
        tab: ComplaintsTab, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    building = roster_repo.list_buildings()[0]

    def fake_exec(dialog: dialogs.ComplaintIntakeDialog) -> int:
        dialog.name.setText("Sam <script>")
        dialog.description.setText("Parked in the fire lane")
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(dialogs.ComplaintIntakeDialog, "exec", fake_exec)
    before = tab.proxy.rowCount()
    with qtbot.assertNotEmitted(tab.title_changed):
        tab._on_new_clicked()
    assert tab.proxy.rowCount() == before + 1
    newest = max(complaint_repo.list_complaints(), key=lambda c: c.id or 0)
    assert newest.complainant_name == "Sam <script>" and newest.building_id is not None
    assert building.id is not None


def test_calendar_tab_closure_recomputes_and_lists(qtbot: Any, demo_ctx: Any,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   qtmodeltester: Any) -> None:
    tab = ComplaintsTab(demo_ctx)
    qtbot.addWidget(tab)
    tab.today_override = TODAY
    tab.refresh()
    page = tab.calendar_panel
    assert page.year.currentText() == "2026-27"
    assert "182 school days" in page.year_summary.text()
    for model in (page.days_model, page.moves_model, page.meeting_model, page.gap_model,
                  page.activity_model):
        qtmodeltester.check(model)
    assert page.gap_model.rowCount() >= 1
    everyone = page.gap_proxy.rowCount()
    okafor = page.staff_filter.findText("Daniel Okafor")
    page.staff_filter.setCurrentIndex(okafor)
    assert 0 < page.gap_proxy.rowCount() < everyone
    assert all(page.meeting_proxy.index(r, 2).data() == "Daniel Okafor"
               for r in range(page.meeting_proxy.rowCount()))
    page.staff_filter.setCurrentIndex(0)
    assert page.gap_proxy.rowCount() == everyone
    assert "Gaps that broke the cadence" in page.cadence_summary.text()
    assert "For the annual report" in page.activity_counts.text()

    def fake_exec(dialog: dialogs.ComplaintClosureDialog) -> int:
        dialog.first.setDate(dt.date(2026, 12, 1))
        dialog.reason.setText("Snow day")
        assert DayOffKind(dialog.kind.currentData()) is DayOffKind.EMERGENCY
        return int(QDialog.DialogCode.Accepted)

    shown: list[str] = []
    monkeypatch.setattr(dialogs.ComplaintClosureDialog, "exec", fake_exec)
    monkeypatch.setattr("sro_desk.ui.tabs.complaint_pages.show_info",
                        lambda _p, text, details="", **_k: shown.append(text + details))
    moves_before = page.moves_model.rowCount()
    with qtbot.waitSignal(demo_ctx.data_changed, timeout=1000):
        page._on_add_days_clicked()
    cal = calendar_repo.calendar_for("2026-27")
    assert cal is not None and cal.day_off(dt.date(2026, 12, 1)) is not None
    assert page.moves_model.rowCount() > moves_before
    assert shown and "Snow day 1 December 2026" in shown[0]


def test_calendar_counter_and_weekend_refusal(qtbot: Any, demo_ctx: Any) -> None:
    tab = ComplaintsTab(demo_ctx)
    qtbot.addWidget(tab)
    tab.refresh()
    page = tab.calendar_panel
    page.count_from.setDate(to_qdate(dt.date(2026, 11, 24)))
    page.count_days.setValue(20)
    assert "Result: Thursday 7 January 2027" in page.count_result.text()
    cal = calendar_repo.calendar_for("2026-27")
    assert cal is not None
    closure = dialogs.ComplaintClosureDialog(cal, TODAY)
    qtbot.addWidget(closure)
    closure.first.setDate(dt.date(2026, 12, 5))
    closure.reason.setText("Snow")
    assert "weekends are never school days" in closure.problem_label.text()
    year_dialog = dialogs.ComplaintCalendarYearDialog("2026-27", dt.date(2027, 6, 16),
                                                      dt.date(2026, 9, 2), cal)
    qtbot.addWidget(year_dialog)
    assert "before the first day" in year_dialog.problem_label.text()


def test_meeting_and_activity_dialogs(qtbot: Any, demo_ctx: Any) -> None:
    buildings, staff = roster_repo.list_buildings(), roster_repo.list_staff()
    meeting = dialogs.ComplaintMeetingDialog(buildings, staff, TODAY)
    qtbot.addWidget(meeting)
    assert "Name the principal" in meeting.problem_label.text()
    meeting.principal.setText("Principal Osei")
    assert meeting.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    saved = svc.log_meeting(meeting.meeting(), today=TODAY)
    assert saved.id is not None
    activity = dialogs.ComplaintActivityDialog(buildings, staff, TODAY)
    qtbot.addWidget(activity)
    activity.participants.setValue(12)
    assert svc.log_activity(activity.activity(), today=TODAY).participants == 12


def test_models_on_small_data(qtmodeltester: Any) -> None:
    c = Complaint(dt.date(2026, 2, 2), Channel.EMAIL, Category.OTHER, "Cedar", "x", id=1)
    model = models.ComplaintTableModel()
    model.set_items([c])
    qtmodeltester.check(model)
    assert model.index(0, 3).data() == ""  # no complainant name recorded


def test_rules_dialog(qtbot: Any, demo_ctx: Any) -> None:
    dialog = dialogs.ComplaintRulesDialog(svc.complaint_rules(), svc.cadence_rules())
    qtbot.addWidget(dialog)
    assert dialog.rules().determination_school_days == 20
    assert dialog.cadence().informal_every_school_days == 7
    dialog.determination.setValue(0)
    assert "between 1 and 180" in dialog.problem_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def test_delete_asks_and_audits(tab: ComplaintsTab, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.tabs import complaints_tab

    tab.view_choice.setCurrentIndex(1)
    tab.view.selectRow(0)
    victim = tab.selected_complaint()
    assert victim is not None
    monkeypatch.setattr(complaints_tab, "confirm", lambda *_a, **_k: True)
    monkeypatch.setattr(complaints_tab, "ask_reason", lambda *_a, **_k: "Entered twice")
    tab._on_delete_clicked()
    assert victim.id not in {c.id for c in complaint_repo.list_complaints()}
    assert tab.all_model.rowCount() == 9


ICS = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//t//EN\r\nBEGIN:VEVENT\r\nUID:1\r\n"
    "DTSTAMP:20260801T000000Z\r\nSUMMARY:Snow Day - Schools Closed\r\n"
    "DTSTART;VALUE=DATE:20261202\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)


def test_calendar_import_runs_in_a_worker_and_asks_first(
        tab: ComplaintsTab, qtbot: Any, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.tabs import complaint_pages

    page = tab.calendar_panel
    path = tmp_path / "closures.ics"
    path.write_text(ICS, encoding="utf-8")
    monkeypatch.setattr(complaint_pages.QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(path), ""))
    asked: list[str] = []
    monkeypatch.setattr(complaint_pages, "confirm_import",
                        lambda _p, summary, details: asked.append(summary + details) or True)
    monkeypatch.setattr(complaint_pages, "show_info", lambda *_a, **_k: None)
    with qtbot.waitSignal(page.runner.finished, timeout=5000):
        page._on_import_clicked()
    assert asked and "1 non-school day to add to 2026-27" in asked[0]
    cal = calendar_repo.calendar_for("2026-27")
    assert cal is not None and cal.day_off(dt.date(2026, 12, 2)) is not None

    bad = tmp_path / "bad.ics"
    bad.write_text("not a calendar", encoding="utf-8")
    monkeypatch.setattr(complaint_pages.QFileDialog, "getOpenFileName",
                        lambda *_a, **_k: (str(bad), ""))
    errors: list[object] = []
    monkeypatch.setattr(complaint_pages, "handle_worker_error",
                        lambda _p, error: errors.append(error))
    with qtbot.waitSignal(page.runner.failed, timeout=5000):
        page._on_import_clicked()
    assert errors and "not an iCalendar file" in str(errors[0])


def test_export_log_runs_in_a_worker(tab: ComplaintsTab, qtbot: Any, tmp_path: Any,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.tabs import complaints_tab

    answers = iter([("2026-27", True), ("Public summary (counts only)", True)])
    monkeypatch.setattr(complaints_tab.QInputDialog, "getItem",
                        lambda *_a, **_k: next(answers))
    target = tmp_path / "public.xlsx"
    monkeypatch.setattr(complaints_tab.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), ""))
    with qtbot.waitSignal(tab.runner.finished, timeout=60_000):
        tab._on_export_clicked()
    assert target.exists()


def test_agency_notice_flag_and_dialog(tab: ComplaintsTab, qtbot: Any,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    overdue = tab.proxy.index(0, 0).data(OBJECT_ROLE).complaint
    assert overdue.agency_notified_on is None
    assert "has not been recorded as notified" in tab.detail_html(overdue)
    tab.view.selectRow(0)
    assert tab.agency_button.isEnabled()
    early = dialogs.ComplaintAgencyNoticeDialog(overdue, TODAY)
    qtbot.addWidget(early)
    early.on.setDate(overdue.received_on - dt.timedelta(days=3))
    assert "before the complaint was received" in early.problem_label.text()

    def fake_exec(dialog: dialogs.ComplaintAgencyNoticeDialog) -> int:
        dialog.on.setDate(dt.date(2026, 10, 7))
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(dialogs.ComplaintAgencyNoticeDialog, "exec", fake_exec)
    tab._on_agency_clicked()
    stored = complaint_repo.get_complaint(overdue.id or 0)
    assert stored.agency_notified_on == dt.date(2026, 10, 7)
    assert not tab.agency_button.isEnabled()


def test_step_dialog_has_no_default_finding(qtbot: Any, tab: ComplaintsTab) -> None:
    """QA: the finding defaulted to "Substantiated"; now it must be chosen."""
    investigating = next(c for c in complaint_repo.list_complaints()
                         if c.stage is Stage.INVESTIGATING)
    dialog = dialogs.ComplaintStepDialog(investigating, TODAY)
    qtbot.addWidget(dialog)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    assert dialog.chosen_stage() is Stage.DETERMINED
    assert dialog.chosen_finding() is None
    assert dialog.finding.currentText() == dialogs.CHOOSE_FINDING
    dialog.summary.setText("Video reviewed.")
    assert "Choose the finding" in dialog.problem_label.text() and not save.isEnabled()
    dialog.finding.setCurrentIndex(dialog.finding.findText("Not substantiated"))
    assert dialog.problem_label.text() == "" and save.isEnabled()
    tab.apply_step(investigating, dialog)
    stored = complaint_repo.get_complaint(investigating.id or 0)
    assert stored.finding is not None and stored.finding.value == "Not substantiated"


def test_extension_dialog_on_an_overdue_complaint(qtbot: Any, tab: ComplaintsTab) -> None:
    """QA: the new date defaulted to before the notice date, with no word that the deadline
    had passed."""
    from sro_desk.domain.complaints import active_deadline_kind, add_extension, due_date

    item = tab.proxy.index(0, 0).data(OBJECT_ROLE)
    overdue, board = item.complaint, svc.complaint_board(today=TODAY)
    assert item.overdue
    due = due_date(overdue, active_deadline_kind(overdue), board.calendar, board.rules)
    assert due is not None and due.due is not None and due.due < TODAY

    def check(notice: dt.date, reason: str, new_due: dt.date) -> list[str]:
        try:
            add_extension(overdue, notice, reason, new_due, "you", board.calendar,
                          board.rules, TODAY)
        except Exception as error:
            return list(getattr(error, "problems", [str(error)]))
        return []

    dialog = dialogs.ComplaintExtensionDialog(overdue, due.due, TODAY, check,
                                              calendar=board.calendar)
    qtbot.addWidget(dialog)
    new_due = dialog.new_due.date()
    assert new_due is not None and new_due > TODAY and board.calendar.is_school_day(new_due)
    assert "already passed on 3 November 2026" in dialog.note.text()
    assert "15 school days before this notice" in dialog.note.text()
    dialog.reason.setText("Witness away")
    assert dialog.problem_label.text() == ""
    assert dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()
    # the suggestion follows the notice date until the user picks a date
    dialog.notice.setDate(dt.date(2026, 11, 2))
    assert dialog.note.text() == ""  # before the deadline: nothing to warn about
    follows = dialog.new_due.date()
    assert follows is not None and follows > due.due
    dialog.new_due.setDate(dt.date(2027, 1, 8))
    dialog.notice.setDate(TODAY)
    assert dialog.new_due.date() == dt.date(2027, 1, 8)


def test_letter_dialog_dates_each_letter_by_its_step(qtbot: Any, tab: ComplaintsTab,
                                                     tmp_path: Any,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from pypdf import PdfReader

    from sro_desk.domain.complaint_letters import LetterKind
    from sro_desk.ui.tabs import complaints_tab

    decided = next(c for c in complaint_repo.list_complaints()
                   if c.stage is Stage.APPEAL_DECIDED)
    dialog = dialogs.ComplaintLetterDialog(decided)
    qtbot.addWidget(dialog)
    assert dialog.chosen_kind() is LetterKind.APPEAL_DECISION
    assert dialog.chosen_date() == decided.appeal_decided_on
    dialog.kind.setCurrentIndex(dialog.kind.findText("Acknowledgement"))
    assert dialog.chosen_date() == decided.received_on
    dialog.letter_date.setDate(decided.received_on - dt.timedelta(days=1))
    assert "before the complaint was received" in dialog.problem_label.text()
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()

    def fake_exec(d: dialogs.ComplaintLetterDialog) -> int:
        d.kind.setCurrentIndex(d.kind.findText("Acknowledgement"))
        return int(QDialog.DialogCode.Accepted)

    target = tmp_path / "ack.pdf"
    monkeypatch.setattr(dialogs.ComplaintLetterDialog, "exec", fake_exec)
    monkeypatch.setattr(complaints_tab.QFileDialog, "getSaveFileName",
                        lambda *_a, **_k: (str(target), ""))
    tab.view_choice.setCurrentIndex(1)
    tab.select_complaint(decided.id or 0)
    tab._on_letter_clicked()
    text = PdfReader(str(target)).pages[0].extract_text()
    from sro_desk.domain.dates import format_date

    assert format_date(decided.received_on) in text.split("To:")[0]


def test_board_columns_all_read_at_the_usual_window_size(qtbot: Any, demo_ctx: Any) -> None:
    """QA: the splitter cut the board's columns ("5 C", "2 N")."""
    page = ComplaintsTab(demo_ctx)
    qtbot.addWidget(page)
    page.today_override = TODAY
    page.resize(1280, 760)
    page.show()
    page.refresh()
    qtbot.waitExposed(page)
    view = page.view
    header = view.horizontalHeader()
    right = max(header.sectionViewportPosition(c) + header.sectionSize(c)
                for c in range(page.proxy.columnCount()))
    assert right <= view.viewport().width()  # no column runs past the edge
    assert not view.horizontalScrollBar().isVisible()
    for column in range(page.proxy.columnCount()):
        assert header.sectionSize(column) >= min(header.sectionSizeHint(column), 90)
    status = page.proxy.index(0, 1)
    assert view.columnWidth(1) >= view.fontMetrics().horizontalAdvance(status.data())
    assert status.data() in status.data(int(Qt.ItemDataRole.ToolTipRole))


def test_free_text_fields_warn_under_rcw_10_93_160(qtbot: Any, demo_ctx: Any) -> None:
    """QA: the closure description had no warning; every one-line free-text field has one."""
    cal = calendar_repo.calendar_for("2026-27")
    assert cal is not None
    closure = dialogs.ComplaintClosureDialog(cal, TODAY)
    qtbot.addWidget(closure)
    assert not closure.privacy_warning.isVisibleTo(closure)
    closure.reason.setText("Closed after ICE agent contacted the office")
    assert "RCW 10.93.160" in closure.privacy_warning.text()
    assert closure.privacy_warning.isVisibleTo(closure)
    closure.reason.setText("Snow day")
    assert not closure.privacy_warning.isVisibleTo(closure)
    buildings, staff = roster_repo.list_buildings(), roster_repo.list_staff()
    meeting = dialogs.ComplaintMeetingDialog(buildings, staff, TODAY)
    qtbot.addWidget(meeting)
    meeting.topics.setText("Student's green card status")
    assert "RCW 10.93.160" in meeting.privacy_warning.text()
    intake = dialogs.ComplaintIntakeDialog(buildings, staff, svc.complaint_rules(), TODAY)
    qtbot.addWidget(intake)
    intake.contact.setText("born in Guatemala")
    assert "place of birth" in intake.privacy_warning.text()
    determined = next(c for c in complaint_repo.list_complaints()
                      if c.stage is Stage.DETERMINED)
    step = dialogs.ComplaintStepDialog(determined, TODAY)
    qtbot.addWidget(step)
    step.appellant.setText("the father (undocumented)")
    assert "RCW 10.93.160" in step.privacy_warning.text()
