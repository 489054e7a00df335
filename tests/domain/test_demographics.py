"""Race, ethnicity and gender as collected; each crosswalk sends each category to its place."""

from __future__ import annotations

import json

import pytest

from sro_desk.domain.demographics import (
    CROSSWALK_KEYS,
    LEGACY_NOTE,
    SelfIdentification,
    count_by_category,
    count_by_gender,
    identification_problems,
    load_crosswalk,
    load_detailed_catalog,
)
from sro_desk.domain.errors import ValidationError
from sro_desk.paths import resource_text

CATALOG = load_detailed_catalog(json.loads(resource_text("catalogs",
                                                         "race_ethnicity_detailed.json")))
WALKS = {key: load_crosswalk(json.loads(resource_text("crosswalks", f"{key}.json")), CATALOG)
         for key in CROSSWALK_KEYS}


def one(*codes: str, hispanic: bool | None = False) -> SelfIdentification:
    return SelfIdentification(races=codes, hispanic=hispanic)


def test_every_crosswalk_names_its_source_and_version() -> None:
    for walk in WALKS.values():
        assert walk.source and walk.version and walk.version in walk.name


@pytest.mark.parametrize("key", CROSSWALK_KEYS)
def test_every_detailed_category_reaches_a_category_of_every_scheme(key: str) -> None:
    walk = WALKS[key]
    for race in CATALOG.races:
        assert walk.race_category(one(race.code), CATALOG) in walk.categories


@pytest.mark.parametrize(("code", "wa", "fed", "spd", "crdc"), [
    ("ASIAN-HMONG", "Asian", "Asian", "Asian", "Asian"),
    ("BLACK-SOMALI", "Black or African American", "Black or African American",
     "Black or African American", "Black or African American"),
    ("NHPI-MARSHALLESE", "Native Hawaiian or Other Pacific Islander",
     "Native Hawaiian or Other Pacific Islander", "Native Hawaiian or Pacific Islander",
     "Native Hawaiian or Other Pacific Islander"),
    ("MENA-LEBANESE", "White", "White", "Middle Eastern or North African", "White"),
    ("AIAN-ALASKA-NATIVE", "American Indian or Alaska Native",
     "American Indian or Alaska Native", "American Indian or Alaska Native",
     "American Indian or Alaska Native"),
    ("WHITE-SLAVIC", "White", "White", "White", "White"),
])
def test_single_categories_map_per_scheme(code: str, wa: str, fed: str, spd: str,
                                          crdc: str) -> None:
    expected = {"wa_state_reporting": wa, "federal_1997": fed, "spd15_2024": spd,
                "crdc_2025_26": crdc}
    for key, category in expected.items():
        assert WALKS[key].race_category(one(code), CATALOG) == category


def test_hispanic_ethnicity_and_multiple_races() -> None:
    latina_white = one("WHITE-OTHER", hispanic=True)
    assert WALKS["federal_1997"].race_category(latina_white, CATALOG) == "Hispanic or Latino"
    assert WALKS["spd15_2024"].race_category(latina_white, CATALOG) == \
        "Multiracial and/or Multiethnic"
    only_hispanic = SelfIdentification(hispanic=True, hispanic_origins=("HISP-MEXICAN",))
    assert WALKS["spd15_2024"].race_category(only_hispanic, CATALOG) == "Hispanic or Latino"
    two = one("ASIAN-KOREAN", "BLACK-AFRICAN-AMERICAN")
    assert WALKS["wa_state_reporting"].race_category(two, CATALOG) == "Two or more races"
    same_group = one("ASIAN-KOREAN", "ASIAN-CHINESE")
    assert WALKS["wa_state_reporting"].race_category(same_group, CATALOG) == "Asian"
    # MENA + White is one group under 1997, two under SPD 15
    mena_white = one("MENA-IRANIAN", "WHITE-EUROPEAN")
    assert WALKS["federal_1997"].race_category(mena_white, CATALOG) == "White"
    assert WALKS["spd15_2024"].race_category(mena_white, CATALOG) == \
        "Multiracial and/or Multiethnic"


def test_old_single_values_stay_and_are_marked() -> None:
    old = SelfIdentification(legacy_race="Two or more races", gender="female")
    assert old.note == LEGACY_NOTE and not old.detailed
    assert WALKS["federal_1997"].race_category(old, CATALOG) == "Two or more races"
    assert WALKS["spd15_2024"].race_category(old, CATALOG) == "Multiracial and/or Multiethnic"


def test_crdc_2025_26_does_not_collect_nonbinary_which_is_never_zero() -> None:
    counts = count_by_gender(["female", "nonbinary", "male", "male"], WALKS["crdc_2025_26"])
    assert counts["nonbinary"] is None and counts["male"] == 2 and counts["female"] == 1
    wa = count_by_gender(["nonbinary"], WALKS["wa_state_reporting"])
    assert wa["gender X"] == 1


def test_counts_cover_every_category() -> None:
    counts = count_by_category([one("ASIAN-THAI"), one("MENA-ARAB")], WALKS["spd15_2024"],
                               CATALOG)
    assert set(counts) == set(WALKS["spd15_2024"].categories)
    assert sum(counts.values()) == 2


def test_problems_with_an_identification() -> None:
    bad = SelfIdentification(races=("NOPE", "NOPE"), hispanic=False,
                             hispanic_origins=("HISP-CUBAN",), gender="robot")
    text = " ".join(identification_problems(bad, CATALOG))
    assert "not a detailed race" in text and "needs the Hispanic" in text
    assert "listed twice" in text and "not a gender" in text


def test_a_crosswalk_that_leaves_a_category_unmapped_is_refused() -> None:
    data = json.loads(resource_text("crosswalks", "federal_1997.json"))
    del data["race_map"]["NHPI"]
    with pytest.raises(ValidationError, match="has no category"):
        load_crosswalk(data, CATALOG)
