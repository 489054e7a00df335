"""Complaint use cases on a real database file: workflow, audit, recompute after a snow day."""

from __future__ import annotations

import datetime as dt

import pytest

from sro_desk.domain.complaints import Category, Finding, Stage
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.meetings import (
    ActivityKind,
    CadenceRules,
    MeetingKind,
    PreventionActivity,
    SupervisionMeeting,
)
from sro_desk.domain.school_calendar import DayOffKind, NonSchoolDay
from sro_desk.services import complaints as svc
from sro_desk.services.complaint_summary import activity_counts, complaint_summary
from sro_desk.store import calendar_repo, complaint_repo
from sro_desk.store.audit import audit_entries, verify_audit_chain
from tests.services.complaint_fixtures import (
    TODAY,
    ComplaintDistrict,
    cdist,
    draft,
)

__all__ = ["cdist"]
D = dt.date


def test_rules_come_from_the_catalog_then_settings(cdist: ComplaintDistrict) -> None:
    assert svc.complaint_rules().determination_school_days == 20
    assert svc.cadence_rules() == CadenceRules(14, 7)
    c = svc.file_complaint(draft(cdist), today=TODAY)
    moves = svc.save_complaint_rules(svc.ComplaintRules(10, 15, 30), reason="Board policy 2026")
    assert svc.complaint_rules().determination_school_days == 15
    # Received 2 Feb: the 15th school day is 24 Feb (Presidents' Day skipped), not 3 March.
    assert moves == [f"Complaint {c.id}, written determination: deadline moved from 3 March "
                     "2026 to 24 February 2026: the district changed the rule from 20 to 15 "
                     "school days"]
    assert complaint_repo.deadline_changes(c.id)[0][2] == moves[0]
    with pytest.raises(ValidationError):
        svc.save_complaint_rules(svc.ComplaintRules(10, 0, 30))


def test_workflow_is_stored_and_audited(cdist: ComplaintDistrict) -> None:
    c = svc.file_complaint(draft(cdist), today=TODAY)
    assert c.id is not None and c.stage is Stage.RECEIVED
    assert c.history[0].by == "Test Coordinator"
    assert c.staff[0].name == "Dana Reyes"
    c = svc.start_investigation(c.id, D(2026, 2, 3), "Pat Lee", D(2026, 2, 3), today=TODAY)
    c = svc.extend_deadline(c.id or 0, D(2026, 2, 20), "Witness on leave", D(2026, 3, 13),
                            today=TODAY)
    c = svc.issue_determination(c.id or 0, D(2026, 3, 12), Finding.INCONCLUSIVE, "No video.",
                                today=TODAY)
    c = svc.record_appeal(c.id or 0, D(2026, 3, 16), "the complainant", today=TODAY)
    c = svc.decide_appeal(c.id or 0, D(2026, 4, 20), Finding.SUBSTANTIATED, "New witness.",
                          today=TODAY)
    c = svc.close_complaint(c.id or 0, D(2026, 4, 21), "Letters sent", today=TODAY)
    stored = complaint_repo.get_complaint(c.id or 0)
    assert stored == c
    assert [h.stage for h in stored.history] == list(Stage)
    assert stored.extensions[0].reason == "Witness on leave"
    assert stored.outcome == "Substantiated"
    steps = audit_entries("ComplaintStep")
    assert len(steps) == 6
    reasons = [e.changes for e in audit_entries("Complaint")]
    assert any("Appeal decided" in text for text in reasons)
    assert verify_audit_chain() is None


def test_refusals_change_nothing(cdist: ComplaintDistrict) -> None:
    with pytest.raises(ValidationError, match="after the date the complaint was received"):
        svc.file_complaint(draft(cdist, incident_date=D(2026, 2, 5)), today=TODAY)
    assert complaint_repo.list_complaints() == []
    c = svc.file_complaint(draft(cdist), today=TODAY)
    before = len(audit_entries())
    with pytest.raises(RuleViolation, match="Steps cannot be skipped"):
        svc.issue_determination(c.id or 0, D(2026, 2, 20), Finding.INCONCLUSIVE, "s",
                                today=TODAY)
    with pytest.raises(ValidationError, match="back-dated"):
        svc.start_investigation(c.id or 0, D(2026, 1, 30), "Pat", None, today=TODAY)
    assert len(audit_entries()) == before
    assert complaint_repo.get_complaint(c.id or 0).stage is Stage.RECEIVED
    with pytest.raises(NotFound):
        svc.start_investigation(999, D(2026, 2, 3), "Pat", None, today=TODAY)
    with pytest.raises(ValidationError, match="Choose the building"):
        svc.file_complaint(draft(cdist, building_id=999), today=TODAY)


def test_snow_day_recomputes_open_deadlines_and_lists_the_move(cdist: ComplaintDistrict) -> None:
    c = svc.file_complaint(draft(cdist), today=TODAY)
    closed = svc.file_complaint(draft(cdist, received_on=D(2026, 2, 3)), today=TODAY)
    board = svc.complaint_board(today=D(2026, 2, 20))
    assert board.items[0].due is not None and board.items[0].due.due == D(2026, 3, 3)
    svc.start_investigation(closed.id or 0, D(2026, 2, 3), "Pat", None, today=TODAY)
    svc.issue_determination(closed.id or 0, D(2026, 2, 10), Finding.NOT_SUBSTANTIATED, "ok",
                            today=TODAY)
    snow = NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day")
    changes = svc.add_closures("2025-26", [snow], reason="Snow")
    assert [ch.describe() for ch in changes] == [
        f"Complaint {c.id}, written determination: deadline moved from 3 March 2026 to "
        "4 March 2026: Snow day 12 February 2026"]
    listed = complaint_repo.deadline_changes()
    assert [(cid, text) for _at, cid, text in listed] == [(c.id, changes[0].describe())]
    assert audit_entries("DeadlineChange")
    board = svc.complaint_board(today=D(2026, 3, 5))
    assert board.overdue == 1 and board.items[0].complaint.id == c.id
    back = svc.remove_closure(D(2026, 2, 12), reason="Entered on the wrong date")
    assert back[0].new_due == D(2026, 3, 3)


def test_closure_refusals_are_all_or_nothing(cdist: ComplaintDistrict) -> None:
    before = calendar_repo.calendar_for("2025-26")
    with pytest.raises(ValidationError) as err:
        svc.add_closures("2025-26", [
            NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day"),
            NonSchoolDay(D(2026, 2, 14), DayOffKind.EMERGENCY, "Snow day"),
            NonSchoolDay(D(2026, 7, 1), DayOffKind.EMERGENCY, "Smoke"),
        ])
    assert len(err.value.problems) == 2
    assert calendar_repo.calendar_for("2025-26") == before
    with pytest.raises(ValidationError, match="before the first day"):
        svc.save_calendar_year("2026-27", D(2027, 6, 11), D(2026, 9, 2))
    with pytest.raises(NotFound, match="no school year 2030-31"):
        svc.save_calendar_year("2030-31", D(2030, 9, 2), D(2031, 6, 11))


def test_summary_and_activity_counts_for_the_report(cdist: ComplaintDistrict) -> None:
    first = svc.file_complaint(draft(cdist), today=TODAY)
    svc.file_complaint(draft(cdist, category=Category.JOB_DUTIES), today=TODAY)
    svc.file_complaint(draft(cdist, category=Category.OTHER, received_on=D(2025, 8, 20),
                             incident_date=None), today=TODAY)
    svc.start_investigation(first.id or 0, D(2026, 2, 3), "Pat", None, today=TODAY)
    svc.issue_determination(first.id or 0, D(2026, 2, 20), Finding.SUBSTANTIATED, "s",
                            today=TODAY)
    summary = complaint_summary(D(2025, 9, 1), D(2026, 8, 31))
    assert summary.total == 2
    assert summary.by_category == {"Job duties": 1, "Student interaction": 1, "Other": 0}
    assert summary.by_outcome["Substantiated"] == 1 and summary.by_outcome["Pending"] == 1
    svc.log_activity(PreventionActivity(D(2026, 3, 4), cdist.building.name,
                                        ActivityKind.RESTORATIVE_CIRCLE, 8,
                                        building_id=cdist.building.id), today=TODAY)
    counts = activity_counts(D(2025, 9, 1), D(2026, 8, 31))
    assert counts["Restorative circle"] == 1 and counts["Mentoring"] == 0
    with pytest.raises(ValidationError, match="cannot be negative"):
        svc.log_activity(PreventionActivity(D(2026, 3, 4), "x", ActivityKind.MENTORING, -2,
                                            building_id=cdist.building.id), today=TODAY)


def test_cadence_report_per_staff_and_building(cdist: ComplaintDistrict) -> None:
    officer = cdist.officer
    for day in (D(2025, 9, 2), D(2025, 9, 16), D(2025, 10, 10)):
        svc.log_meeting(SupervisionMeeting(day, MeetingKind.FORMAL, "Pat Lee", officer.id or 0,
                                           officer.full_name, cdist.building.name,
                                           building_id=cdist.building.id), today=TODAY)
    report = svc.cadence_report("2025-26", today=D(2025, 10, 10))
    assert [(r.staff_name, r.building) for r in report] == [("Dana Reyes",
                                                             "Cedar Middle School")]
    formal = [g for g in report[0].gaps if g.kind is MeetingKind.FORMAL]
    assert [(g.last_met, g.due_by, g.next_met) for g in formal] == [
        (D(2025, 9, 16), D(2025, 9, 30), D(2025, 10, 10))]
    with pytest.raises(NotFound, match="calendar has not been entered"):
        svc.cadence_report("2026-27")
    with pytest.raises(ValidationError, match="Name the principal"):
        svc.log_meeting(SupervisionMeeting(D(2025, 9, 3), MeetingKind.FORMAL, "", officer.id or 0,
                                           "", "x", building_id=cdist.building.id),
                        today=TODAY)
