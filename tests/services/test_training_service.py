"""Training services: the district's catalog settings, clearance contract, group entry, activation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.roster import StaffStatus
from sro_desk.domain.training import Delivery, Provider, StaffClearance, TrainingStatus
from sro_desk.domain.training_catalog import DistrictCertification, RequirementSetting
from sro_desk.services import training as svc
from sro_desk.store import roster_repo, training_repo
from sro_desk.store.audit import audit_entries
from sro_desk.store.database import close_database, open_database
from sro_desk.store.training_repo import CompletionInput, EvidenceFile
from tests.training_helpers import PDF_BYTES, TODAY, make_roster

# Verifications are stamped by the clock: "verified on the 26th, as of the 26th" must hold.
pytestmark = pytest.mark.on_day(TODAY)

TOPICS = [f"topic_{c}" for c in "abcdefghijklm"]


@pytest.fixture
def ids(tmp_path: Path) -> Iterator[dict[str, int]]:
    open_database(tmp_path / "training.db", daily_backup=False)
    yield make_roster()
    close_database()


def _group(staff_ids: list[int], codes: list[str], on: dt.date = dt.date(2026, 10, 1)) -> list[int]:
    saved = svc.record_group(staff_ids, codes, on, Provider.ESD, "Olympic ESD 114",
                             Delivery.IN_PERSON, 3.0, "", today=TODAY)
    return [c.id for c in saved.completions]


def test_clearance_by_staff_contract(ids: dict[str, int]) -> None:
    svc.verify_completions(_group([ids["sro"]], TOPICS), "Pat Lee")
    result = svc.clearance_by_staff(TODAY)
    assert set(result) == set(ids.values())
    assert all(isinstance(c, StaffClearance) for c in result.values())
    sro = result[ids["sro"]]
    assert sro.staff_id == ids["sro"] and sro.cleared and sro.documentation_or_plan
    assert not sro.has_esd_documentation
    new = result[ids["new"]]
    assert not new.may_be_assigned and not new.cleared
    assert "First day on school property with students not recorded" in new.reasons[0]
    campus = result[ids["campus"]]   # first day 31 March: topics overdue since 30 September
    assert campus.may_be_assigned and not campus.in_compliance
    assert not campus.cleared and not campus.documentation_or_plan
    guard = result[ids["guard"]]     # first day 2 November: within 6 months, nothing overdue
    assert guard.may_be_assigned and guard.in_compliance and guard.documentation_or_plan


def test_claimed_group_does_not_clear_until_verified(ids: dict[str, int]) -> None:
    record_ids = _group([ids["sro"], ids["campus"]], TOPICS)
    assert len(record_ids) == 26
    assert not svc.clearance_by_staff(TODAY)[ids["campus"]].in_compliance
    svc.verify_completions(record_ids, "Pat Lee")
    after = svc.clearance_by_staff(TODAY)
    assert after[ids["sro"]].cleared and after[ids["campus"]].cleared


def test_group_entry_refuses_everything_when_one_part_is_wrong(ids: dict[str, int]) -> None:
    with pytest.raises(ValidationError) as info:
        svc.record_group([ids["sro"], ids["campus"]], ["topic_a", "on_the_job"],
                         dt.date(2026, 10, 1), Provider.ESD, "", Delivery.IN_PERSON, None, "",
                         today=TODAY)
    problems = info.value.problems
    assert any("Name the provider" in p for p in problems)
    assert any("Lopez, Maria, On-the-job training days: Name the experienced staff" in p
               for p in problems)
    assert training_repo.list_completions() == []
    with pytest.raises(ValidationError, match="at least one person"):
        svc.record_group([], ["topic_a"], TODAY, Provider.AGENCY, "", Delivery.IN_PERSON, None,
                         "", today=TODAY)
    with pytest.raises(ValidationError, match="no training requirement with the code"):
        svc.record_completions([CompletionInput(ids["sro"], "astral", TODAY, Provider.AGENCY)],
                               today=TODAY)


def test_notes_that_record_immigration_status_warn(ids: dict[str, int]) -> None:
    saved = svc.record_completions(
        [CompletionInput(ids["sro"], "topic_a", TODAY, Provider.AGENCY,
                         notes="Officer's visa status discussed")], today=TODAY)
    assert saved.warnings and "RCW 10.93.160" in saved.warnings[0]


def test_waiver_and_esd_documentation_rules(ids: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="only series components can be waived"):
        svc.record_waiver(ids["campus"], "first_aid_cpr", TODAY, "ESD 112", "x", None,
                          today=TODAY)
    svc.record_waiver(ids["campus"], "topic_a", dt.date(2026, 9, 1), "ESD 112",
                      "20 years patrol", EvidenceFile("w.pdf", PDF_BYTES), today=TODAY)
    row = svc.person_training(ids["campus"], TODAY)
    assert row.cell("topic_a").status is TrainingStatus.WAIVED
    with pytest.raises(ValidationError, match="in the future"):
        svc.record_esd_documentation(ids["guard"], dt.date(2027, 1, 1), "ESD 112", None,
                                     today=TODAY)
    doc = svc.record_esd_documentation(ids["guard"], dt.date(2026, 11, 3), "ESD 112",
                                       EvidenceFile("esd.pdf", PDF_BYTES), today=TODAY)
    training_repo.confirm_esd_documentation(doc.id, "Pat Lee")
    assert svc.clearance_by_staff(TODAY)[ids["guard"]].has_esd_documentation


def test_district_settings_are_audited_and_change_the_matrix(ids: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="reason"):
        svc.save_requirement_setting(RequirementSetting("first_aid_cpr", required=False,
                                                        reason="board"), reason="")
    with pytest.raises(ValidationError, match="cannot mark it not required"):
        svc.save_requirement_setting(RequirementSetting("topic_m", required=False,
                                                        reason="Board motion 26-4"),
                                     reason="Board motion 26-4")
    svc.save_requirement_setting(RequirementSetting("nasro_basic", required=False,
                                                    reason="Board motion 26-4"),
                                 reason="Board motion 26-4")
    svc.save_requirement_setting(RequirementSetting("first_aid_cpr", renewal_months=12),
                                 reason="County EMS guidance")
    catalog = svc.district_catalog()
    assert catalog.get("topic_m").required and not catalog.get("nasro_basic").required
    assert catalog.get("first_aid_cpr").renewal_months == 12
    assert any("Board motion 26-4" in e.changes for e in audit_entries("Setting"))
    svc.add_district_certification(
        DistrictCertification("narcan", "Naloxone", "", 24, 3), reason="new county rule")
    matrix = svc.compliance_matrix(TODAY)
    assert matrix.requirements[-1].code == "narcan"
    assert matrix.row_for(ids["sro"]).cell("nasro_basic").status is (
        TrainingStatus.NOT_APPLICABLE)
    assert matrix.row_for(ids["sro"]).cell("topic_m").status is not (
        TrainingStatus.NOT_APPLICABLE)
    assert svc.set_alert_thresholds([60, 14]).days == (60, 14)
    assert svc.alert_thresholds().horizon == 60
    with pytest.raises(ValidationError, match="from 1 to 365"):
        svc.set_alert_thresholds([0])


def test_setting_a_not_cleared_person_active_needs_a_reason(ids: dict[str, int]) -> None:
    guard = ids["new"]  # pending, no first day recorded: not to be assigned
    assert svc.activation_warning(guard, TODAY) is not None
    assert svc.activation_warning(ids["campus"], TODAY) is not None  # topics overdue
    assert svc.activation_warning(ids["guard"], TODAY) is None  # inside the 6-month window
    with pytest.raises(RuleViolation, match="not cleared"):
        svc.activate_staff(guard, as_of=TODAY)
    member = svc.activate_staff(guard, as_of=TODAY, reason="Superintendent approved; series "
                                "scheduled 4 December")
    assert member.status is StaffStatus.ACTIVE
    last = audit_entries("Staff", guard)[-1]
    assert "Set active while not cleared for training: Superintendent approved" in last.changes
    # a cleared person needs no reason
    svc.verify_completions(_group([ids["sro"]], TOPICS), "Pat Lee")
    roster_repo.set_staff_status(ids["sro"], StaffStatus.INACTIVE)
    assert svc.activation_warning(ids["sro"], TODAY) is None
    assert svc.activate_staff(ids["sro"], as_of=TODAY).status is StaffStatus.ACTIVE


def test_read_evidence_refuses_in_words(tmp_path: Path, ids: dict[str, int]) -> None:
    fake = tmp_path / "scan.pdf"
    fake.write_bytes(b"just text")
    with pytest.raises(ValidationError, match="content is not one"):
        svc.read_evidence(fake)
    with pytest.raises(ValidationError, match="could not be read"):
        svc.read_evidence(tmp_path / "missing.pdf")
    good = tmp_path / "cert.pdf"
    good.write_bytes(PDF_BYTES)
    assert svc.read_evidence(good).data == PDF_BYTES


def test_damaged_settings_are_reported_in_words(ids: dict[str, int]) -> None:
    from sro_desk.store.settings import set_setting

    set_setting(svc.SETTING_THRESHOLDS, ["soon"])
    with pytest.raises(ValidationError, match="alert thresholds cannot be read"):
        svc.alert_thresholds()
    set_setting(svc.SETTING_REQUIREMENTS, [{"no_code": True}])
    with pytest.raises(ValidationError, match="requirement settings cannot be read"):
        svc.district_catalog()
