"""Complaint, calendar and meeting repositories: round trips, the append-only trail, RESTRICT."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from sro_desk.domain.complaints import Finding, start_investigation
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.meetings import ActivityKind, MeetingKind, PreventionActivity
from sro_desk.domain.meetings import SupervisionMeeting as Meeting
from sro_desk.services import complaints as svc
from sro_desk.store import calendar_repo, complaint_repo, meeting_repo, roster_repo
from sro_desk.store.audit import audit_entries
from tests.services.complaint_fixtures import TODAY, ComplaintDistrict, cdist, draft

__all__ = ["cdist"]
D = dt.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_round_trip_keeps_every_field(cdist: ComplaintDistrict) -> None:
    c = svc.file_complaint(draft(cdist, language_assistance=True, language="Somali",
                                 complainant_contact="=1+1"), today=TODAY)
    c = svc.start_investigation(c.id or 0, D(2026, 2, 3), "Pat", D(2026, 2, 4), today=TODAY)
    c = svc.issue_determination(c.id or 0, D(2026, 2, 20), Finding.SUBSTANTIATED, "s",
                                today=TODAY)
    again = complaint_repo.get_complaint(c.id or 0)
    assert again == c
    assert again.language == "Somali" and again.complainant_contact == "=1+1"
    assert again.agency_notified_on == D(2026, 2, 4)
    assert [x.id for x in complaint_repo.open_complaints()] == [c.id]
    assert complaint_repo.complaints_received_between(D(2026, 3, 1), D(2026, 3, 31)) == []


def test_trail_is_append_only(cdist: ComplaintDistrict) -> None:
    c = svc.file_complaint(draft(cdist), today=TODAY)
    stale = c
    svc.start_investigation(c.id or 0, D(2026, 2, 3), "Pat", None, today=TODAY)
    rewritten = start_investigation(stale, D(2026, 2, 4), "someone", "Other", None, TODAY)
    rewritten = replace(rewritten, history=(rewritten.history[0],
                                            replace(rewritten.history[1], by="forged")))
    with pytest.raises(RuleViolation, match="changed by someone else"):
        complaint_repo.save_progress(rewritten)
    assert complaint_repo.get_complaint(c.id or 0).history[1].by == "Test Coordinator"


def test_staff_named_in_a_complaint_cannot_be_deleted(cdist: ComplaintDistrict) -> None:
    svc.file_complaint(draft(cdist), today=TODAY)
    with pytest.raises(RuleViolation, match="complaint staff record"):
        roster_repo.delete_staff(cdist.officer.id or 0)


def test_delete_needs_a_reason_and_audits_each_row(cdist: ComplaintDistrict,
                                                   tmp_path: Path) -> None:
    c = svc.file_complaint(draft(cdist), today=TODAY)
    pdf = tmp_path / "form.pdf"
    pdf.write_bytes(PDF)
    info = complaint_repo.attach_file(c.id or 0, str(pdf))
    assert [a.filename for a in complaint_repo.complaint_attachments(c.id or 0)] == ["form.pdf"]
    assert info.sha256
    with pytest.raises(ValidationError, match="Say why"):
        complaint_repo.delete_complaint(c.id or 0, reason=" ")
    complaint_repo.delete_complaint(c.id or 0, reason="Entered twice")
    with pytest.raises(NotFound):
        complaint_repo.get_complaint(c.id or 0)
    deleted = [e for e in audit_entries() if e.action == "delete"]
    assert {e.record_type for e in deleted} >= {"Complaint", "ComplaintStep", "ComplaintStaff",
                                                "ComplaintAttachment"}
    bad = tmp_path / "notes.txt"
    bad.write_text("hello", encoding="utf-8")
    other = svc.file_complaint(draft(cdist), today=TODAY)
    with pytest.raises(ValidationError):
        complaint_repo.attach_file(other.id or 0, str(bad))


def test_calendar_repo_refusals(cdist: ComplaintDistrict) -> None:
    with pytest.raises(NotFound, match="has not been entered"):
        calendar_repo.add_days_off("2026-27", [])  # no days is checked after the year exists
    with pytest.raises(ValidationError, match="outside the school year"):
        calendar_repo.save_calendar_year("2025-26", D(2025, 9, 2), D(2026, 5, 1))
    with pytest.raises(NotFound, match="is not recorded as a non-school day"):
        calendar_repo.remove_day_off(D(2026, 3, 3))
    calendar_repo.delete_calendar_year("2025-26", reason="Re-entering")
    assert calendar_repo.calendar_for("2025-26") is None
    assert calendar_repo.load_district_calendar().years == ()


def test_meetings_and_activities_round_trip(cdist: ComplaintDistrict) -> None:
    m = meeting_repo.save_meeting(Meeting(D(2025, 9, 3), MeetingKind.FORMAL, "Pat",
                                          cdist.officer.id or 0, "", "",
                                          building_id=cdist.building.id))
    assert m.staff_name == "Dana Reyes" and m.building == "Cedar Middle School"
    m2 = meeting_repo.save_meeting(replace(m, kind=MeetingKind.INFORMAL))
    assert m2.id == m.id and m2.kind is MeetingKind.INFORMAL
    with pytest.raises(ValidationError, match="not on the roster"):
        meeting_repo.save_meeting(replace(m, id=None, staff_id=999))
    a = meeting_repo.save_activity(PreventionActivity(D(2025, 10, 1), "", ActivityKind.MENTORING,
                                                      2, building_id=cdist.other_building.id))
    assert a.staff_name == "" and a.building == "Fir High School"
    meeting_repo.delete_meeting(m.id or 0, reason="test")
    meeting_repo.delete_activity(a.id or 0, reason="test")
    assert meeting_repo.list_meetings() == [] and meeting_repo.list_activities() == []
