"""The training requirements catalog: the statute's words, the seed mapping, district settings."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.training_catalog import (
    DistrictCertification,
    RequirementKind,
    RequirementSetting,
    apply_district_settings,
    load_catalog,
    renewal_label,
    setting_problems,
)

CATALOG_PATH = Path(__file__).parents[2] / "resources" / "catalogs" / "training_requirements.json"


@pytest.fixture(scope="module")
def raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return data


def test_thirteen_topics_a_to_m_in_the_statutes_words(raw: dict[str, Any]) -> None:
    catalog = load_catalog(raw)
    topics = catalog.topics
    assert [t.letter for t in topics] == list("abcdefghijklm")
    assert [t.code for t in topics][:2] == ["topic_a", "topic_b"]
    by_letter = {t.letter: t for t in topics}
    assert by_letter["f"].text == (
        "Bias free policing and cultural competency, including best practices for interacting "
        "with students from particular backgrounds, including English learner, LGBTQ, "
        "immigrant, female, and nonbinary students;"
    )
    assert by_letter["l"].text == (
        "The federal family educational rights and privacy act (20 U.S.C. Sec. 1232g) "
        "requirements including limits on access to and dissemination of student records for "
        "noneducational purposes; and"
    )
    assert by_letter["m"].text == "Restorative justice principles and practices."
    assert by_letter["k"].citation == "RCW 28A.310.515(2)(k)"
    assert all(t.due_months == 6 for t in topics)
    assert catalog.version == "2026.1"
    assert "RCW 28A.400.345" in catalog.citation


def test_seed_twelve_topics_map_to_a_through_l_and_m_is_the_2021_addition(
    raw: dict[str, Any],
) -> None:
    topics = load_catalog(raw).topics
    seeded = [t for t in topics if t.seed_number is not None]
    assert [t.letter for t in seeded] == list("abcdefghijkl")
    assert sorted(t.seed_number for t in seeded if t.seed_number) == list(range(1, 13))
    m = topics[-1]
    assert m.seed_number is None and m.added_by == "ESHB 1214 (2021)"
    tip_f = topics[5].tooltip()
    assert "item 11" in tip_f and "Bias-Free Policing" in tip_f
    assert "ESHB 1214 (2021)" in m.tooltip()
    assert "not in district policies written before 2021" in m.tooltip()


def test_series_components_and_certifications(raw: dict[str, Any]) -> None:
    catalog = load_catalog(raw)
    ojt = catalog.get("on_the_job")
    assert (ojt.kind, ojt.count, ojt.due_months) == (RequirementKind.SERIES, 2, 12)
    check_ins = catalog.get("check_ins")
    assert check_ins.count == 6
    assert not check_ins.applies_to("school_resource_officer", "law_enforcement_agency")
    assert check_ins.applies_to("school_security_officer", "school_district")
    renewals = {
        r.code: r.renewal_months for r in catalog.requirements
        if r.kind is RequirementKind.CERTIFICATION
    }
    assert renewals == {
        "crisis_intervention": 12, "first_aid_cpr": 24, "discriminatory_harassment": 12,
        "nasro_basic": None, "guard_pre_assignment": None, "guard_post_assignment": None,
        "guard_refresher": 12, "bias_based_policing": 12, "procedural_justice": 12,
    }
    nasro = catalog.get("nasro_basic")
    assert nasro.applies_to("school_resource_officer", "law_enforcement_agency")
    assert not nasro.applies_to("campus_security_officer", "school_district")
    guard = catalog.get("guard_refresher")
    assert guard.applies_to("school_security_officer", "security_guard_company")
    assert not guard.applies_to("school_security_officer", "school_district")
    assert "security guard company" in guard.applies_label
    assert len(catalog.educational_service_districts) == 9
    with pytest.raises(NotFound):
        catalog.get("no_such_thing")


def test_bad_catalog_lists_every_problem(raw: dict[str, Any]) -> None:
    bad = copy.deepcopy(raw)
    bad["topics"]["items"][0]["text"] = ""
    bad["certifications"][1]["code"] = "crisis_intervention"
    bad["certifications"][2]["roles"] = ["astronaut"]
    bad["certifications"][3]["renewal_months"] = -4
    with pytest.raises(ValidationError) as info:
        load_catalog(bad)
    problems = info.value.problems
    assert any("topic (a)" in p and "'text'" in p for p in problems)
    assert any("'crisis_intervention' is used more than once" in p for p in problems)
    assert any("astronaut" in p for p in problems)
    assert any("renewal_months" in p for p in problems)
    with pytest.raises(ValidationError, match="not the training requirements catalog"):
        load_catalog({"catalog": "checklist"})


STATUTORY_SERIES = [*(f"topic_{letter}" for letter in "abcdefghijklm"), "on_the_job", "check_ins"]


@pytest.mark.parametrize("code", STATUTORY_SERIES)
def test_no_setting_marks_a_statutory_series_requirement_not_required(
    raw: dict[str, Any], code: str,
) -> None:
    """RCW 28A.400.345(2)(b)-(d): every topic of RCW 28A.310.515(2), both on-the-job days, and the
    check-ins of non-SROs are required; the district cannot switch them off, with or without a
    reason. Only an ESD may waive a component."""
    catalog = load_catalog(raw)
    requirement = catalog.get(code)
    assert requirement.locked and requirement.lock_citation.startswith("RCW 28A.400.345(2)(")
    refusal = setting_problems(catalog, RequirementSetting(code, required=False,
                                                           reason="Board decision 2026-14"))
    assert refusal and "cannot mark it not required" in refusal[0]
    assert "educational service district" in refusal[0]
    # a stored setting that slipped past the lock is not applied: the statute holds
    applied = apply_district_settings(
        catalog, [RequirementSetting(code, required=False, reason="Board decision 2026-14")])
    assert applied.get(code).required
    assert "Locked." in applied.get(code).tooltip()
    assert "Marked not required" not in applied.get(code).tooltip()


def test_lock_citations_follow_the_statute(raw: dict[str, Any]) -> None:
    catalog = load_catalog(raw)
    assert catalog.get("topic_m").lock_citation == "RCW 28A.400.345(2)(b)"
    assert catalog.get("on_the_job").lock_citation == "RCW 28A.400.345(2)(c)"
    assert catalog.get("check_ins").lock_citation == "RCW 28A.400.345(2)(d)"
    assert catalog.get("guard_refresher").locked
    assert not catalog.get("first_aid_cpr").locked


def test_check_ins_cannot_be_narrowed_nor_statutory_renewals_lengthened(
    raw: dict[str, Any],
) -> None:
    catalog = load_catalog(raw)
    narrowed = setting_problems(catalog, RequirementSetting(
        "guard_refresher", employer_kinds=frozenset({"school_district"})))
    assert any("cannot narrow" in p for p in narrowed)
    longer = setting_problems(catalog, RequirementSetting("guard_refresher", renewal_months=24))
    assert any("never a longer one" in p for p in longer)
    assert setting_problems(catalog, RequirementSetting("guard_refresher", once=True))
    # shorter is stricter, and allowed
    assert setting_problems(catalog, RequirementSetting("guard_refresher", renewal_months=6)) == []
    assert apply_district_settings(catalog, [
        RequirementSetting("guard_refresher", renewal_months=6)]).get("guard_refresher"
                                                                      ).renewal_months == 6


def test_district_marks_its_own_certification_not_required_only_with_a_reason(
    raw: dict[str, Any],
) -> None:
    catalog = load_catalog(raw)
    with pytest.raises(ValidationError, match="Give a reason"):
        apply_district_settings(catalog, [RequirementSetting("first_aid_cpr", required=False)])
    changed = apply_district_settings(
        catalog, [RequirementSetting("first_aid_cpr", required=False, reason="Board 2026-14")]
    )
    cpr = changed.get("first_aid_cpr")
    assert not cpr.required and cpr.not_required_reason == "Board 2026-14"
    assert "Board 2026-14" in cpr.tooltip()
    assert catalog.get("first_aid_cpr").required  # the original is untouched


def test_bias_based_policing_and_procedural_justice_are_district_sro_items(
    raw: dict[str, Any],
) -> None:
    """Snohomish SRO Procedures, Training: the agency trains its officers on "Biased Based
    Policing, Procedural Justice"; recurring, renewal set by the district."""
    catalog = load_catalog(raw)
    for code in ("bias_based_policing", "procedural_justice"):
        item = catalog.get(code)
        assert item.kind is RequirementKind.CERTIFICATION and not item.locked
        assert item.applies_to("school_resource_officer", "law_enforcement_agency")
        assert not item.applies_to("campus_security_officer", "school_district")
        assert "Snohomish" in item.citation
        assert setting_problems(catalog, RequirementSetting(code, renewal_months=24)) == []


def test_on_the_job_wording_is_the_statutes(raw: dict[str, Any]) -> None:
    """RCW 28A.400.345(2)(c): on-the-job training "at the school of the experienced staff"."""
    text = load_catalog(raw).get("on_the_job").text
    assert "at the school of the experienced staff" in text
    assert "own school" not in text


def test_district_changes_certifications_but_not_the_statutory_series(
    raw: dict[str, Any],
) -> None:
    catalog = load_catalog(raw)
    with pytest.raises(ValidationError, match="cannot change it"):
        apply_district_settings(catalog, [RequirementSetting("topic_a", renewal_months=12)])
    changed = apply_district_settings(catalog, [
        RequirementSetting("first_aid_cpr", renewal_months=12),
        RequirementSetting("crisis_intervention", once=True),
        RequirementSetting("discriminatory_harassment", roles=frozenset({"school_resource_officer"})),
    ])
    assert changed.get("first_aid_cpr").renewal_months == 12
    assert changed.get("crisis_intervention").renewal_months is None
    harass = changed.get("discriminatory_harassment")
    assert harass.applies_label == "School resource officer"
    with pytest.raises(ValidationError) as info:
        apply_district_settings(catalog, [
            RequirementSetting("first_aid_cpr", renewal_months=0),
            RequirementSetting("nope"),
            RequirementSetting("first_aid_cpr", employer_kinds=frozenset({"pirates"})),
        ])
    assert len(info.value.problems) == 3
    # a statutory certification narrowed to someone else is not applied at all: the law holds
    kept = apply_district_settings(catalog, [
        RequirementSetting("guard_refresher", employer_kinds=frozenset({"pirates"}))])
    assert kept.get("guard_refresher").employer_kinds == frozenset({"security_guard_company"})


def test_district_adds_a_certification(raw: dict[str, Any]) -> None:
    catalog = load_catalog(raw)
    cert = DistrictCertification(
        code="narcan", name="Naloxone administration", description="", renewal_months=24,
        initial_due_months=3,
    )
    changed = apply_district_settings(catalog, added=[cert])
    added = changed.get("narcan")
    assert added.district_added and added.renewal_months == 24 and added.text == added.name
    with pytest.raises(ValidationError) as info:
        apply_district_settings(catalog, added=[DistrictCertification(
            code="First Aid", name=" ", description="", renewal_months=500,
            initial_due_months=-1, hours=0,
        )])
    assert len(info.value.problems) == 5
    with pytest.raises(ValidationError, match="already used"):
        apply_district_settings(catalog, added=[DistrictCertification(
            code="first_aid_cpr", name="CPR", description="", renewal_months=None,
            initial_due_months=0,
        )])


@pytest.mark.parametrize(
    ("months", "label"),
    [(None, "Once"), (1, "Every 1 month"), (12, "Every 12 months"), (24, "Every 2 years"),
     (18, "Every 18 months")],
)
def test_renewal_label(months: int | None, label: str) -> None:
    assert renewal_label(months) == label
