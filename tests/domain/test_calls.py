"""Calls and involved students: labels, validation, the call's outcome, and what is never stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from importlib import resources

import pytest

from sro_desk.domain.calls import (
    AGE_BANDS,
    ARREST,
    Call,
    CallLabels,
    InvolvedStudent,
    LabelKind,
    age_band,
    call_problems,
    load_call_labels,
    make_call,
)
from sro_desk.domain.errors import RuleViolation, ValidationError


def catalog_data() -> dict[str, object]:
    path = resources.files("sro_desk.resources") / "catalogs" / "call_labels.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


@pytest.fixture
def labels() -> CallLabels:
    return load_call_labels(catalog_data())


def student(**changes: object) -> InvolvedStudent:
    base = InvolvedStudent(age=15, gender="female", race="Asian", iep=False, section_504=False,
                           outcome="handled informally", use_of_force=False, discipline=False)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def call(labels: CallLabels, students: list[InvolvedStudent] | None = None,
         own_outcome: str | None = "no action", **changes: object) -> Call:
    kwargs: dict[str, object] = dict(
        ref="SIS-1", occurred_on=dt.date(2025, 10, 2), occurred_at=dt.time(10, 15),
        building="North High", location="on campus", initiated_by="teacher", emergency=False,
        offense_type="theft", description="Phone taken from a locker.",
        students=students or [], own_outcome=own_outcome, labels=labels,
    )
    kwargs.update(changes)
    return make_call(**kwargs)  # type: ignore[arg-type]


def test_catalog_holds_the_issue_labels_in_order(labels: CallLabels) -> None:
    assert labels.labels(LabelKind.INITIATED_BY) == (
        "teacher", "administrator", "other staff", "SRO", "student", "parent or guardian",
        "911 or dispatch", "other")
    assert len(labels.labels(LabelKind.OFFENSE_TYPE)) == 16
    assert labels.labels(LabelKind.OUTCOME)[0] == "no action"
    assert labels.labels(LabelKind.OUTCOME)[-1] == ARREST
    assert labels.labels(LabelKind.GENDER) == ("female", "male", "nonbinary", "not reported")
    assert "Native Hawaiian or Other Pacific Islander" in labels.labels(LabelKind.RACE)
    assert labels.labels(LabelKind.LOCATION) == (
        "on campus", "school activity", "school transportation", "near campus")


def test_labels_match_case_and_spacing_insensitively(labels: CallLabels) -> None:
    assert labels.canonical(LabelKind.INITIATED_BY, "  sro ") == "SRO"
    assert labels.canonical(LabelKind.RACE, "black  OR african american") == (
        "Black or African American")
    with pytest.raises(ValueError, match="not a known offense type"):
        labels.canonical(LabelKind.OFFENSE_TYPE, "jaywalking")
    with pytest.raises(ValueError, match="missing"):
        labels.canonical(LabelKind.GENDER, "")


def test_district_may_add_offense_types_and_outcomes_only(labels: CallLabels) -> None:
    more = labels.with_custom(LabelKind.OFFENSE_TYPE, "  Gang  activity ")
    assert more.labels(LabelKind.OFFENSE_TYPE)[-1] == "Gang activity"
    assert more.canonical(LabelKind.OFFENSE_TYPE, "gang activity") == "Gang activity"
    assert not more.is_builtin(LabelKind.OFFENSE_TYPE, "Gang activity")
    with pytest.raises(ValidationError, match="already"):
        more.with_custom(LabelKind.OFFENSE_TYPE, "THEFT")
    with pytest.raises(RuleViolation):
        labels.with_custom(LabelKind.RACE, "Other")
    with pytest.raises(RuleViolation):
        labels.with_custom(LabelKind.GENDER, "x")
    with pytest.raises(ValidationError, match="reserved"):
        labels.with_custom(LabelKind.OUTCOME, "Total")
    with pytest.raises(ValidationError, match="needs a name"):
        labels.with_custom(LabelKind.OUTCOME, "   ")
    # The built-in set is untouched by additions.
    assert more.labels(LabelKind.OFFENSE_TYPE)[:16] == labels.labels(LabelKind.OFFENSE_TYPE)


def test_damaged_catalog_is_refused_in_words() -> None:
    data = catalog_data()
    data["outcome"] = ["no action", "no action"]
    with pytest.raises(ValidationError) as caught:
        load_call_labels(data)
    text = str(caught.value)
    assert "repeated" in text and "arrest" in text
    del data["race"]
    with pytest.raises(ValidationError, match="race/ethnicity"):
        load_call_labels(data)


def test_call_outcome_is_the_most_serious_student_outcome(labels: CallLabels) -> None:
    made = call(labels, [student(outcome="handled informally"), student(outcome="ARREST"),
                         student(outcome="referral for prosecution")], own_outcome=None)
    assert made.outcome == ARREST
    assert made.students[1].outcome == ARREST  # canonical spelling
    assert made.is_incident


def test_custom_outcome_never_outranks_an_arrest_or_prosecution(labels: CallLabels) -> None:
    more = labels.with_custom(LabelKind.OUTCOME, "restorative circle")
    assert more.most_serious(["restorative circle", "no action"]) == "restorative circle"
    assert more.most_serious(["restorative circle", "handled informally"]) == (
        "handled informally")
    assert more.most_serious(["restorative circle", "referral for prosecution"]) == (
        "referral for prosecution")


def test_call_without_students_needs_its_own_outcome(labels: CallLabels) -> None:
    assert call(labels, own_outcome="returned to school administration").outcome == (
        "returned to school administration")
    with pytest.raises(ValidationError, match="outcome of its own"):
        call(labels, own_outcome=None)


@pytest.mark.parametrize("age", [4, 23, -1])
def test_ages_outside_5_to_22_are_refused(labels: CallLabels, age: int) -> None:
    with pytest.raises(ValidationError, match=f"Age {age} is outside 5–22"):
        call(labels, [student(age=age)], own_outcome=None)


def test_every_problem_is_listed_at_once(labels: CallLabels) -> None:
    with pytest.raises(ValidationError) as caught:
        call(labels, [student(gender="unknown", race="Martian")], own_outcome=None,
             location="gym", building=" ", ref="")
    problems = caught.value.problems
    assert any("gym" in p for p in problems)
    assert any("unknown" in p for p in problems)
    assert any("Martian" in p for p in problems)


def test_tampered_call_fails_validation(labels: CallLabels) -> None:
    made = call(labels, [student(outcome="arrest")], own_outcome=None)
    forged = dataclasses.replace(made, outcome="no action")
    assert any("most serious" in p for p in call_problems(forged, labels))
    assert call_problems(made, labels) == []


def test_no_field_can_hold_identity_or_immigration_data() -> None:
    forbidden = ("name", "student_id", "id_number", "immigration", "citizen", "birth", "country")
    for cls in (InvolvedStudent, Call):
        for f in dataclasses.fields(cls):
            assert not any(word in f.name for word in forbidden), f.name


def test_description_gets_the_privacy_warning(labels: CallLabels) -> None:
    made = call(labels, description="Asked about his immigration status.")
    assert made.privacy_warning is not None and "RCW 10.93.160" in made.privacy_warning
    assert call(labels).privacy_warning is None


@pytest.mark.parametrize(
    ("age", "band"),
    [(5, "10 and under"), (10, "10 and under"), (11, "11-13"), (13, "11-13"), (14, "14-15"),
     (15, "14-15"), (16, "16-17"), (17, "16-17"), (18, "18 and over"), (22, "18 and over")],
)
def test_age_bands(age: int, band: str) -> None:
    assert age_band(age) == band
    assert band in AGE_BANDS
