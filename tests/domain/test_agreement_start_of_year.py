"""Start-of-year duties: validation and the missing-buildings rule (default 30 days)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.start_of_year import (
    DEFAULT_GRACE_DAYS,
    BuildingStartOfYear,
    DistributionMethod,
    DutyState,
    building_duties,
    missing_start_of_year,
    parse_languages,
    start_of_year_deadline,
    validate_start_of_year,
)

D = dt.date
FIRST_DAY = D(2026, 8, 27)
BUILDINGS = [(1, "Cedar High School"), (2, "Alder Middle School"), (3, "Birch Elementary")]


def _done(building_id, name, **changes):
    base = dict(
        building_id=building_id, building_name=name, school_year="2026-27",
        presented_on=D(2026, 9, 3), presenter="Officer Kim", audience="All grades, assembly",
        distributed_on=D(2026, 9, 5), methods=(DistributionMethod.EMAIL, DistributionMethod.APP),
        languages=("English", "Spanish"),
    )
    base.update(changes)
    return BuildingStartOfYear(**base)


def test_default_deadline_is_30_days_after_the_first_day():
    assert DEFAULT_GRACE_DAYS == 30
    assert start_of_year_deadline(FIRST_DAY) == D(2026, 9, 26)
    with pytest.raises(ValidationError):
        start_of_year_deadline(FIRST_DAY, -1)


def test_buildings_missing_either_duty_are_listed_after_the_deadline():
    records = [
        _done(1, "Cedar High School"),
        _done(2, "Alder Middle School", distributed_on=None, methods=(), languages=()),
    ]
    missing = missing_start_of_year(BUILDINGS, records, "2026-27", FIRST_DAY, D(2026, 11, 26))
    assert [(b.building_name, b.missing) for b in missing] == [
        ("Alder Middle School", ("distribution to families",)),
        ("Birch Elementary", ("presentation to students", "distribution to families")),
    ]
    assert missing[1].message == (
        "Missing the presentation to students and distribution to families; due by 26 September 2026."
    )
    # After a name and a colon the words continue the sentence (lower case).
    assert missing[0].attention_line("2026-27") == (
        "Start of year 2026-27: Alder Middle School: missing the distribution to families; "
        "due by 26 September 2026."
    )


def test_nothing_is_listed_before_the_deadline_but_status_says_due():
    today = D(2026, 9, 26)  # the deadline day itself
    assert missing_start_of_year(BUILDINGS, [], "2026-27", FIRST_DAY, today) == []
    duties = building_duties(BUILDINGS, [_done(1, "Cedar High School")], "2026-27", FIRST_DAY, today)
    assert [d.state for d in duties] == [DutyState.DONE, DutyState.DUE, DutyState.DUE]
    assert duties[1].message == (
        "Presentation to students and distribution to families due by 26 September 2026."
    )


def test_a_custom_number_of_days_and_other_years_records_do_not_count():
    last_year = _done(3, "Birch Elementary", school_year="2025-26")
    missing = missing_start_of_year(BUILDINGS, [last_year], "2026-27", FIRST_DAY, D(2026, 9, 10),
                                    grace_days=7)
    assert [b.building_id for b in missing] == [1, 2, 3]


@given(grace=st.integers(min_value=0, max_value=120), offset=st.integers(min_value=-30, max_value=200))
def test_listed_exactly_when_past_the_deadline(grace, offset):
    today = FIRST_DAY + dt.timedelta(days=offset)
    missing = missing_start_of_year(BUILDINGS[:1], [], "2026-27", FIRST_DAY, today, grace)
    assert bool(missing) == (offset > grace)


def test_validation_refuses_half_recorded_duties_in_words():
    record = BuildingStartOfYear(1, "Cedar High School", "2026-27", presenter="Officer Kim",
                               distributed_on=D(2026, 9, 5))
    with pytest.raises(ValidationError) as err:
        validate_start_of_year(record, FIRST_DAY)
    assert err.value.problems == [
        "The presentation needs its date (or clear the presenter and audience).",
        "Choose how the information went to families (mail, email, app, backpack).",
        "List the languages the information was distributed in.",
    ]


def test_validation_refuses_dates_outside_the_year_or_in_the_future():
    record = _done(1, "Cedar High School", presented_on=D(2025, 9, 3), distributed_on=D(2026, 12, 1))
    with pytest.raises(ValidationError) as err:
        validate_start_of_year(record, FIRST_DAY, today=D(2026, 11, 26))
    text = str(err.value)
    assert "presentation date 3 September 2025 is outside the 2026-27 school year" in text
    assert "distribution date 1 December 2026 is in the future" in text


def test_valid_record_is_normalised():
    record = _done(1, " Cedar ", methods=(DistributionMethod.BACKPACK, DistributionMethod.MAIL),
                   languages=("english", "Spanish", "English", " Somali "), presenter=" Officer Kim ")
    ok = validate_start_of_year(record, FIRST_DAY, today=D(2026, 11, 26))
    assert ok.methods == (DistributionMethod.MAIL, DistributionMethod.BACKPACK)
    assert ok.languages == ("english", "Spanish", "Somali")
    assert ok.presenter == "Officer Kim"
    assert ok.methods_text == "Mail, Backpack"


def test_parse_languages():
    assert parse_languages("English; Spanish,  Russian ,,spanish") == ("English", "Spanish", "Russian")
    assert parse_languages("") == ()


def test_staff_training_on_asking_an_sro_to_intervene_is_kept_per_building_and_year():
    """Snohomish SRO procedures: "Staff will be trained on when it is appropriate to ask an SRO to
    intervene." A date needs its trainer; a trainer needs the date."""
    import datetime as _dt

    from sro_desk.domain.start_of_year import BuildingStartOfYear, start_of_year_problems

    first = _dt.date(2026, 9, 2)
    record = BuildingStartOfYear(1, "Cedar High School", "2026-27",
                                 intervention_training_on=_dt.date(2026, 8, 28))
    assert record.staff_trained
    assert start_of_year_problems(record, first, _dt.date(2026, 9, 30)) == [
        "Say who trained school staff on when to ask an SRO to intervene."]
    from dataclasses import replace as _replace

    done = _replace(record, intervention_trainer="Principal Ruiz")
    assert start_of_year_problems(done, first, _dt.date(2026, 9, 30)) == []
    undated = BuildingStartOfYear(1, "Cedar High School", "2026-27", intervention_trainer="Ruiz")
    assert "needs its date" in start_of_year_problems(undated, first)[0]
    late = _replace(done, intervention_training_on=_dt.date(2027, 10, 1))
    assert any("outside the 2026-27 school year" in p
               for p in start_of_year_problems(late, first))
