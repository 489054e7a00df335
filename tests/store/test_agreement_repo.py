"""The agreement repository: validated, audited writes; domain objects out; migration 0003."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from sro_desk.domain.agreements import (
    Agreement,
    AgreementWithChecklist,
    ChecklistEntry,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
)
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.start_of_year import BuildingStartOfYear, DistributionMethod
from sro_desk.store import agreement_repo, roster_repo
from sro_desk.store.attachments import store_attachment
from sro_desk.store.audit import audit_entries, verify_audit_chain
from sro_desk.store.database import current_database
from tests.agreement_support import PDF_BYTES, close, make_district, open_fresh

D = dt.date


@pytest.fixture
def district(tmp_path):
    open_fresh(tmp_path / "agreements.db")
    yield make_district()
    close()


def _new(district, **changes):
    base = dict(school_year="2025-26", provider_id=district.police.id,
                provider_name="", title="SRO agreement 2025-26",
                effective_on=D(2025, 9, 1), expires_on=D(2026, 8, 31))
    base.update(changes)
    entries = (ChecklistEntry("duties_no_formal_discipline"), ChecklistEntry("adopted_this_year"))
    return agreement_repo.create_agreement(AgreementWithChecklist(Agreement(**base), entries))


def test_migration_creates_the_tables(district):
    tables = set(current_database().get_tables())
    assert {"agreement_record", "agreement_item_record", "review_meeting_record",
            "building_start_of_year_record"} <= tables


def test_create_reads_back_with_provider_name_and_checklist(district):
    agreement = _new(district)
    assert agreement.id is not None
    assert agreement.provider_id == district.police.id
    assert agreement.provider_name == "Cascade Police Department"
    assert agreement.is_draft
    assert [e.item_key for e in agreement_repo.list_entries(agreement.id)] == [
        "duties_no_formal_discipline", "adopted_this_year"]
    assert agreement_repo.list_agreements("2025-26") == [agreement]
    assert agreement_repo.list_agreements("2026-27") == []


def test_every_change_is_audited(district):
    agreement = _new(district)
    agreement_repo.save_entry(agreement.id, ChecklistEntry(
        "duties_no_formal_discipline", ItemStatus.MET, section="§3", checked_by="Dana",
        checked_on=D(2025, 8, 1)), reason="reviewed draft")
    types = [e.record_type for e in audit_entries()]
    assert types.count("Agreement") == 1 and types.count("AgreementItem") == 3
    update = next(e for e in audit_entries("AgreementItem") if e.action == "update")
    changes = json.loads(update.changes)
    assert changes["status"] == ["Not started", "Met"]
    assert changes["_reason"] == "reviewed draft"
    assert verify_audit_chain() is None


def test_one_agreement_per_provider_per_year(district):
    _new(district)
    with pytest.raises(ValidationError, match="already has an agreement for 2025-26"):
        _new(district, title="Second")
    _new(district, school_year="2026-27", title="Next year")


def test_no_agreement_with_the_district_itself(district):
    with pytest.raises(ValidationError, match="the district itself"):
        _new(district, provider_id=district.district.id)


def test_dates_out_of_order_are_refused_and_nothing_is_written(district):
    with pytest.raises(ValidationError, match="expiry date"):
        _new(district, expires_on=D(2025, 1, 1))
    assert agreement_repo.list_agreements() == []
    assert audit_entries("Agreement") == []


def test_not_applicable_without_reason_is_refused(district):
    agreement = _new(district)
    with pytest.raises(ValidationError, match="needs a reason"):
        agreement_repo.save_entry(agreement.id, ChecklistEntry(
            "adopted_this_year", ItemStatus.NOT_APPLICABLE, checked_by="D", checked_on=D(2025, 1, 1)))
    assert agreement_repo.list_entries(agreement.id)[1].status is ItemStatus.NOT_STARTED


def test_update_and_document(district):
    agreement = _new(district)
    adopted = agreement_repo.update_agreement(
        Agreement(**{**{f: getattr(agreement, f) for f in agreement.__slots__},
                     "adopted_on": D(2025, 8, 20)}))
    assert adopted.state == "Adopted"
    info = store_attachment("signed.pdf", PDF_BYTES)
    with_doc = agreement_repo.set_agreement_document(agreement.id, info.id)
    assert with_doc.document_filename == "signed.pdf"
    assert with_doc.document_sha256 == info.sha256 and len(info.sha256) == 64


def test_meetings_round_trip_and_must_match_the_agreement_year(district):
    agreement = _new(district)
    meeting = agreement_repo.save_meeting(ReviewMeeting(
        "2025-26", D(2025, 5, 1), MeetingKind.LISTENING_SESSION,
        ((ParticipantGroup.STUDENTS, 4), (ParticipantGroup.PARENTS, 7)), "notes", agreement.id))
    assert meeting.participants == ((ParticipantGroup.PARENTS, 7), (ParticipantGroup.STUDENTS, 4))
    assert agreement_repo.list_meetings("2025-26") == [meeting]
    with pytest.raises(ValidationError, match="agreement is for 2025-26"):
        agreement_repo.save_meeting(ReviewMeeting(
            "2026-27", D(2026, 5, 1), MeetingKind.COMMITTEE, ((ParticipantGroup.PARENTS, 1),),
            agreement_id=agreement.id))


def test_deleting_an_agreement_removes_and_audits_its_checklist_and_meetings(district):
    agreement = _new(district)
    district_wide = agreement_repo.save_meeting(ReviewMeeting(
        "2025-26", D(2025, 5, 1), MeetingKind.COMMITTEE, ((ParticipantGroup.PARENTS, 1),)))
    agreement_repo.save_meeting(ReviewMeeting(
        "2025-26", D(2025, 5, 2), MeetingKind.COMMITTEE, ((ParticipantGroup.PARENTS, 1),),
        agreement_id=agreement.id))
    agreement_repo.delete_agreement(agreement.id, reason="entered twice")
    assert agreement_repo.list_agreements() == []
    assert agreement_repo.list_meetings() == [district_wide]
    deletes = [e.record_type for e in audit_entries() if e.action == "delete"]
    assert sorted(deletes) == ["Agreement", "AgreementItem", "AgreementItem", "ReviewMeeting"]
    with pytest.raises(NotFound):
        agreement_repo.get_agreement(agreement.id)


def test_a_provider_with_agreements_cannot_be_deleted(district):
    _new(district)
    with pytest.raises(RuleViolation, match="1 agreement record"):
        roster_repo.delete_provider(district.police.id)


def test_start_of_year_upserts_per_building_and_year(district):
    record = BuildingStartOfYear(
        district.high.id, "", "2026-27", presented_on=D(2026, 9, 4), presenter="Officer",
        distributed_on=D(2026, 9, 8), methods=(DistributionMethod.EMAIL, DistributionMethod.MAIL),
        languages=("English", "Español"))
    saved = agreement_repo.save_start_of_year(record)
    assert saved.building_name == "Cedar High School" and saved.building_id == district.high.id
    assert saved.methods == (DistributionMethod.EMAIL, DistributionMethod.MAIL)
    assert saved.languages == ("English", "Español")
    again = agreement_repo.save_start_of_year(
        BuildingStartOfYear(district.high.id, "", "2026-27", presented_on=D(2026, 9, 5),
                            presenter="Officer"))
    assert again.id == saved.id and again.distributed_on is None
    assert len(agreement_repo.list_start_of_year("2026-27")) == 1
    assert agreement_repo.list_start_of_year("2025-26") == []
