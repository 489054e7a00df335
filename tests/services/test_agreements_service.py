"""Agreement use cases: live training item, reminders, rollover, start of year, handout, contract."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from sro_desk.domain.agreements import (
    Agreement,
    ChecklistEntry,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReminderKind,
    ReviewMeeting,
)
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.start_of_year import BuildingStartOfYear, DistributionMethod, DutyState
from sro_desk.domain.start_of_year_handout import BlockKind
from sro_desk.services import agreements
from sro_desk.store import agreement_repo
from tests.agreement_support import (
    PDF_BYTES,
    TODAY,
    close,
    fake_clearance,
    make_district,
    open_fresh,
)

D = dt.date


@pytest.fixture
def district(tmp_path, monkeypatch):
    open_fresh(tmp_path / "agreements.db")
    made = make_district()
    fake_clearance(monkeypatch, lacking=set())
    yield made
    close()


ADOPTED = D(2025, 8, 20)


def _agreement(district, provider=None, year="2025-26", adopted=ADOPTED):
    start = int(year[:4])
    return agreements.new_agreement(Agreement(
        year, (provider or district.police).id, "", f"Agreement {year}",
        D(start, 9, 1), D(start + 1, 8, 31), adopted, responsible="Chief Ames"))


def _tick_all(agreement_id):
    for item in agreements.checklist_catalog():
        agreements.save_entry(agreement_id, ChecklistEntry(
            item.key, ItemStatus.MET, section="§1", checked_by="Dana", checked_on=D(2025, 8, 1)),
            TODAY)


def _meet_all_groups(year="2025-26"):
    agreement_repo.save_meeting(ReviewMeeting(
        year, D(int(year[:4]), 5, 1), MeetingKind.LISTENING_SESSION,
        ((ParticipantGroup.PARENTS, 5), (ParticipantGroup.STUDENTS, 3),
         (ParticipantGroup.COMMUNITY, 2))))


def test_catalog_ships_as_a_resource():
    keys = [i.key for i in agreements.checklist_catalog()]
    assert "training_documentation" in keys and len(keys) == 14
    assert "sro_role_three_parts" in keys and "law_enforcement_off_premises" in keys
    with pytest.raises(NotFound):
        agreements.definition("nope")


def test_new_agreement_has_the_whole_checklist_not_started(district):
    a = _agreement(district)
    entries = agreement_repo.list_entries(a.id)
    assert len(entries) == 14 and {e.status for e in entries} == {ItemStatus.NOT_STARTED}


def test_complete_agreement_and_live_training_gap(district, monkeypatch):
    a = _agreement(district)
    _tick_all(a.id)
    _meet_all_groups()
    assert agreements.assess(a.id, TODAY).progress.complete
    fake_clearance(monkeypatch, lacking={district.officer.id})
    result = agreements.assess(a.id, TODAY)
    item = next(i for i in result.items if i.definition.key == "training_documentation")
    assert not item.counts_as_met
    assert "Maria O'Brien <Jr>" in item.flags[0]
    assert result.progress.text == "13 of 14 met"


def test_staff_unknown_to_training_count_as_lacking(district, monkeypatch):
    a = _agreement(district)
    monkeypatch.setattr(agreements, "_clearance", lambda as_of: {})
    gaps = agreements.training_gaps_by_provider("2025-26", TODAY)
    assert [g.name for g in gaps[district.police.id]] == ["Maria O'Brien <Jr>"]
    assert gaps[district.police.id][0].reasons == ("no training record",)
    assert a.id is not None


def test_a_past_years_training_item_is_judged_as_of_that_year(district, monkeypatch):
    """2025-26 answers for the staff who worked in 2025-26, judged on its last day (17 June
    2026): not for people who joined later or have no dates yet (QA: Harbor County item 8)."""
    from sro_desk.domain.roster import Role, StaffMember, StaffStatus
    from sro_desk.store import roster_repo
    from tests.agreement_support import clearance

    def police(first, last, **dates):
        return roster_repo.save_staff(StaffMember(
            None, first, last, Role.SRO, True, district.police.id,
            assignments=(replace(district.officer.assignments[0]),), **dates))

    later = police("Ivy", "Later", assignment_start=D(2026, 9, 1),
                   first_day_with_students=D(2026, 9, 8), status=StaffStatus.ACTIVE)
    undated = police("Una", "Dated", status=StaffStatus.PENDING)
    left = police("Leo", "Left", assignment_start=D(2024, 9, 1), assignment_end=D(2025, 10, 1),
                  first_day_with_students=D(2024, 9, 4), status=StaffStatus.INACTIVE)
    asked: list[dt.date] = []

    def recording(as_of):
        asked.append(as_of)
        return {s.id: clearance(s.id, False) for s in roster_repo.list_staff()}

    monkeypatch.setattr(agreements, "_clearance", recording)
    past = agreements.training_gaps_by_provider("2025-26", TODAY)
    assert [g.name for g in past[district.police.id]] == ["Leo Left", "Maria O'Brien <Jr>"]
    assert sorted(set(asked)) == [D(2025, 10, 1), D(2026, 6, 17)]  # Leo on his last day
    current = agreements.training_gaps_by_provider("2026-27", TODAY)
    assert {g.name for g in current[district.police.id]} == {
        "Maria O'Brien <Jr>", "Ivy Later", "Una Dated"}
    assert asked[-1] == TODAY
    a = _agreement(district)
    item = next(i for i in agreements.assess(a.id, TODAY).items
                if i.definition.key == "training_documentation")
    assert "as of 17 June 2026: Leo Left, Maria O'Brien <Jr>" in item.flags[0]
    assert later.id and undated.id and left.id


def test_live_items_refuse_not_applicable_when_saved(district):
    a = _agreement(district)
    for key in ("training_documentation", "review_involved_community", "adopted_this_year"):
        with pytest.raises(ValidationError) as err:
            agreements.save_entry(a.id, ChecklistEntry(
                key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="no staff",
                checked_by="Dana", checked_on=D(2025, 8, 1)), TODAY)
        assert "cannot be marked not applicable" in str(err.value)
    with pytest.raises(ValidationError, match="cannot be marked not applicable"):
        agreements.save_entry(a.id, ChecklistEntry(
            "hiring_and_placement", ItemStatus.NOT_APPLICABLE, not_applicable_reason="guards "
            "placed by the company", checked_by="Dana", checked_on=D(2025, 8, 1)), TODAY)
    saved = agreements.save_entry(a.id, ChecklistEntry(
        "law_enforcement_off_premises", ItemStatus.NOT_APPLICABLE, not_applicable_reason="no "
        "SRO: security guards only", checked_by="Dana", checked_on=D(2025, 8, 1)), TODAY)
    assert saved.status is ItemStatus.NOT_APPLICABLE


def test_assess_all_uses_each_providers_own_staff(district, monkeypatch):
    police = _agreement(district)
    security = _agreement(district, district.security)
    fake_clearance(monkeypatch, lacking={district.guard.id})
    by_provider = {x.agreement.id: x for x in agreements.assess_all("2025-26", TODAY)}
    training = "training_documentation"
    assert not next(i for i in by_provider[police.id].items if i.definition.key == training).flags
    assert next(i for i in by_provider[security.id].items if i.definition.key == training).flags


def test_reminders_include_late_adoption_and_missing_agreement(district):
    _agreement(district, year="2026-27", adopted=None)
    kinds = {(r.kind, r.provider_name) for r in agreements.reminders(TODAY)}
    assert kinds == {
        (ReminderKind.NOT_ADOPTED_BY_FIRST_DAY, "Cascade Police Department"),
        (ReminderKind.NO_AGREEMENT, "Evergreen Security LLC"),
    }


def test_providers_with_agreement_lists_only_adopted(district):
    _agreement(district)
    _agreement(district, district.security, adopted=None)
    assert agreements.providers_with_agreement("2025-26") == ["Cascade Police Department"]
    assert agreements.providers_with_agreement("2026-27") == []


def test_rollover_copies_forward_once(district):
    a = _agreement(district)
    agreement_repo.update_agreement(replace(a, notes="Renegotiate overtime."))
    agreements.save_entry(a.id, ChecklistEntry(
        "complaint_process", ItemStatus.MET, section="§7", evidence="p. 6", checked_by="Dana",
        checked_on=D(2025, 8, 1)), TODAY)
    _agreement(district, district.security)
    progress = []
    first = agreements.roll_over_year("2025-26", progress=lambda d, t: progress.append((d, t)))
    assert [x.provider_name for x in first.created] == ["Cascade Police Department",
                                                        "Evergreen Security LLC"]
    assert progress == [(1, 2), (2, 2)]
    assert first.summary == "2 draft agreements created for 2026-27."
    second = agreements.roll_over_year("2025-26")
    assert second.created == () and second.already_there == 2
    assert second.summary.startswith("No new drafts")
    drafts = agreement_repo.list_agreements("2026-27")
    assert len(drafts) == 2 and all(d.is_draft for d in drafts)
    police = next(d for d in drafts if d.provider_id == district.police.id)
    assert police.previous_notes == "Renegotiate overtime." and police.rolled_from_id == a.id
    entries = {e.item_key: e for e in agreement_repo.list_entries(police.id)}
    assert entries["complaint_process"].status is ItemStatus.NOT_STARTED
    assert entries["complaint_process"].previous_notes == "Status: Met; Section: §7; Evidence: p. 6"


def test_rollover_cancel_leaves_nothing(district):
    _agreement(district)
    _agreement(district, district.security)
    calls = iter([False, True])
    with pytest.raises(ValidationError, match="nothing was copied"):
        agreements.roll_over_year("2025-26", is_cancelled=lambda: next(calls))
    assert agreement_repo.list_agreements("2026-27") == []


def test_rollover_of_an_empty_year_says_so(district):
    with pytest.raises(ValidationError, match="no agreements for 2024-25"):
        agreements.roll_over_year("2024-25")


def test_attach_document_refuses_non_pdf_and_oversize(district, tmp_path):
    a = _agreement(district)
    good = tmp_path / "signed.pdf"
    good.write_bytes(PDF_BYTES)
    assert agreements.attach_document(a.id, good).document_filename == "signed.pdf"
    bad = tmp_path / "agreement.pdf"
    bad.write_bytes(b"PK\x03\x04 a word file")
    with pytest.raises(ValidationError, match="not"):
        agreements.attach_document(a.id, bad)
    big = tmp_path / "huge.pdf"
    with big.open("wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.seek(25 * 1024 * 1024 + 10)
        fh.write(b"\n")
    with pytest.raises(ValidationError, match="25 MB"):
        agreements.attach_document(a.id, big)
    assert agreement_repo.get_agreement(a.id).document_filename == "signed.pdf"


def test_attach_minutes(district, tmp_path):
    _meet_all_groups()
    meeting = agreement_repo.list_meetings()[0]
    png = tmp_path / "minutes.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    assert agreements.attach_minutes(meeting.id, png).minutes_filename == "minutes.png"


def test_start_of_year_overview_and_validation(district):
    saved = agreements.save_start_of_year(BuildingStartOfYear(
        district.high.id, "", "2026-27", presented_on=D(2026, 9, 4), presenter="Officer",
        distributed_on=D(2026, 9, 8), methods=(DistributionMethod.APP,), languages=("English",)),
        TODAY)
    assert saved.id is not None
    overview = {b.building_name: b for b in agreements.start_of_year_overview("2026-27", TODAY)}
    assert overview["Cedar High School"].state is DutyState.DONE
    assert overview["Alder Middle School"].state is DutyState.OVERDUE
    assert overview["Alder Middle School"].deadline == D(2026, 10, 2)  # first day 2 Sept + 30
    agreements.set_grace_days(120)
    assert agreements.grace_days() == 120
    overview = {b.building_name: b for b in agreements.start_of_year_overview("2026-27", TODAY)}
    assert overview["Alder Middle School"].state is DutyState.DUE
    with pytest.raises(ValidationError):
        agreements.set_grace_days(-1)
    with pytest.raises(ValidationError, match="in the future"):
        agreements.save_start_of_year(BuildingStartOfYear(
            district.middle.id, "", "2026-27", presented_on=D(2026, 12, 1), presenter="X"), TODAY)


def test_handout_names_staff_safely_and_uses_the_edited_template(district):
    content = agreements.handout_content(district.high.id, "2026-27")
    text = [b.plain_text for b in content.blocks]
    assert "Maria O'Brien <Jr>, school resource officer, assigned by Cascade Police Department" in text
    assert "Luis Ortega, school security officer, supplied by Evergreen Security LLC" in text
    assert any("Cascade Police Department (complaints about its staff): Chief Ames" in t for t in text)
    assert any(t.startswith("District office: Safety office") for t in text)
    assert content.blocks[0].kind is BlockKind.TITLE
    assert agreements.handout_template_is_default()
    agreements.save_handout_template("# Hello {{building_name}}\n\n{{staff_list}}\n")
    assert not agreements.handout_template_is_default()
    edited = agreements.handout_content(district.middle.id, "2026-27")
    assert [b.plain_text for b in edited.blocks] == [
        "Hello Alder Middle School", "Grace Lind, campus security officer, employed by the district"]
    with pytest.raises(ValidationError, match="not a placeholder"):
        agreements.save_handout_template("{{principal}}")
    agreements.reset_handout_template()
    assert agreements.handout_template_is_default()


def test_export_agreement_needs_a_destination_and_an_agreement(district, tmp_path):
    with pytest.raises(ValidationError, match="Choose where"):
        agreements.export_agreement("2025-26", district.police.id, TODAY)
    with pytest.raises(NotFound, match="no agreement with Cascade Police Department for 2025-26"):
        agreements.export_agreement("2025-26", district.police.id, TODAY, pdf=tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_family_handout_carries_the_seed_role_and_off_premises_rule():
    """Sequim, Index and Port Townsend policies: the SRO's role as "educator, informal counselor,
    and law enforcer"; law enforcement activity "at a location other than school premises"."""
    text = agreements.default_handout_template()
    assert "educator, informal counselor, and law enforcer" in text
    assert "at a location other than school premises" in text
    assert "restorative justice" in text  # topic (m), RCW 28A.310.515(2)(m)


def test_staff_intervention_training_is_saved_and_read_back(district):
    from sro_desk.domain.start_of_year import BuildingStartOfYear

    saved = agreements.save_start_of_year(BuildingStartOfYear(
        district.high.id, district.high.name, "2025-26",
        intervention_training_on=D(2025, 8, 28), intervention_trainer="Principal Ruiz",
        intervention_training_notes="All-staff meeting"), TODAY)
    assert saved.intervention_training_on == D(2025, 8, 28)
    again = next(r for r in agreement_repo.list_start_of_year("2025-26")
                 if r.building_id == district.high.id)
    assert (again.intervention_trainer, again.intervention_training_notes) == (
        "Principal Ruiz", "All-staff meeting")
