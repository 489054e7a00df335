"""The annual report against counts computed independently, both editions, and the JSON shape."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from collections import Counter
from importlib import resources

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from sro_desk.domain.annual_report import (
    NOT_TRACKED,
    Agency,
    AnnualReport,
    Edition,
    OneWayTable,
    ReportInputs,
    StaffPlacement,
    TwoWayTable,
    build_annual_report,
    reporting_period,
    school_year_of,
)
from sro_desk.domain.calls import Call, CallLabels, InvolvedStudent, LabelKind, load_call_labels
from sro_desk.domain.complaint_summary import ComplaintSummary
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.report_json import report_to_data


@pytest.fixture(scope="module")
def labels() -> CallLabels:
    path = resources.files("sro_desk.resources") / "catalogs" / "call_labels.json"
    return load_call_labels(json.loads(path.read_text(encoding="utf-8")))


def generate(labels: CallLabels, n: int, seed: int, start: dt.date) -> list[Call]:
    """Random but valid calls spread over 14 months from ``start`` (some outside the year)."""
    rnd = random.Random(seed)
    outcomes = labels.labels(LabelKind.OUTCOME)
    calls = []
    for i in range(n):
        students = tuple(
            InvolvedStudent(
                age=rnd.randint(5, 22),
                gender=rnd.choice(labels.labels(LabelKind.GENDER)),
                race=rnd.choice(labels.labels(LabelKind.RACE)),
                iep=rnd.random() < 0.2, section_504=rnd.random() < 0.1,
                outcome=rnd.choice(outcomes), use_of_force=rnd.random() < 0.05,
                discipline=rnd.random() < 0.3,
            )
            for _ in range(rnd.choice((0, 1, 1, 1, 2, 3)))
        )
        outcome = (labels.most_serious(s.outcome for s in students) if students
                   else rnd.choice(outcomes))
        calls.append(Call(
            id=i, ref=f"R{i}", occurred_on=start + dt.timedelta(days=rnd.randint(-30, 395)),
            occurred_at=None, building=rnd.choice(("North High", "South Middle", "Elm Elementary")),
            location=rnd.choice(labels.labels(LabelKind.LOCATION)),
            initiated_by=rnd.choice(labels.labels(LabelKind.INITIATED_BY)), emergency=False,
            offense_type=rnd.choice(labels.labels(LabelKind.OFFENSE_TYPE)), description="",
            students=students, outcome=outcome,
        ))
    return calls


def inputs(labels: CallLabels, calls: list[Call], **more: object) -> ReportInputs:
    return ReportInputs(district_name="Cedar Valley SD", period=reporting_period("2025-26"),
                        calls=calls, labels=labels, **more)  # type: ignore[arg-type]


def test_reporting_period_defaults_to_july_through_june() -> None:
    period = reporting_period("2025-26")
    assert (period.start, period.end) == (dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    sept = reporting_period("2025-26", start_month=9, start_day=1)
    assert (sept.start, sept.end) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert school_year_of(dt.date(2026, 11, 26)) == "2026-27"
    assert school_year_of(dt.date(2026, 6, 30)) == "2025-26"
    for bad in ("2025-27", "2025", "25-26", "twenty"):
        with pytest.raises(ValidationError, match="school year"):
            reporting_period(bad)


def test_internal_edition_matches_independent_counts(labels: CallLabels) -> None:
    calls = generate(labels, 600, seed=7, start=dt.date(2025, 7, 1))
    report = build_annual_report(inputs(labels, calls), Edition.INTERNAL)
    in_year = [c for c in calls if dt.date(2025, 7, 1) <= c.occurred_on <= dt.date(2026, 6, 30)]
    assert len(in_year) < len(calls)  # the generator put some calls outside the period
    kids = [s for c in in_year for s in c.students]
    assert report.calls_total.value == len(in_year)
    assert report.students_total.value == len(kids)
    by_building = report.table("calls", "by_building")
    assert isinstance(by_building, OneWayTable)
    assert by_building.values() == dict(Counter(c.building for c in in_year))
    by_outcome = report.table("calls", "by_outcome")
    assert isinstance(by_outcome, OneWayTable)
    assert by_outcome.values()["arrest"] == sum(c.outcome == "arrest" for c in in_year)
    band = report.table("students", "by_age_band")
    assert isinstance(band, OneWayTable)
    assert band.values()["14-15"] == sum(s.age in (14, 15) for s in kids)
    assert band.values()["10 and under"] == sum(s.age <= 10 for s in kids)
    cross = report.table("students", "outcome_by_race")
    assert isinstance(cross, TwoWayTable)
    asian_arrests = sum(s.race == "Asian" and s.outcome == "arrest" for s in kids)
    assert cross.figure("Asian", "arrest").value == asian_arrests
    asian = sum(s.race == "Asian" for s in kids)
    asian_row = cross.row_labels.index("Asian")
    expected = 100 * sum(s.race == "Asian" and s.outcome in ("arrest", "referral for prosecution")
                         for s in kids) / asian
    assert cross.rates[asian_row].percent == pytest.approx(expected)
    force = report.table("students", "use_of_force_by_iep")
    assert isinstance(force, TwoWayTable)
    assert force.figure("yes", "yes").value == sum(s.iep and s.use_of_force for s in kids)
    assert report.incidents_total.value == sum(c.is_incident for c in in_year)
    assert len(report.incidents) == report.incidents_total.value
    assert all(not f.hidden for t in report.student_tables for f in t.cells)


def _all_figures(report: AnnualReport) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for table in (*report.call_tables, *report.student_tables):
        out += [(f"{table.section}.{table.key}.{lab}", f) for lab, f in zip(table.labels, table.cells,
                                                            strict=True)]
    for cross in report.cross_tables:
        for r, row in zip(cross.row_labels, cross.cells, strict=True):
            out += [(f"{cross.key}.{r}.{c}", f) for c, f in zip(cross.col_labels, row,
                                                                strict=True)]
    return out


@pytest.mark.parametrize("n", [15, 80, 400])
def test_public_edition_hides_small_counts_and_their_rates(labels: CallLabels, n: int) -> None:
    calls = generate(labels, n, seed=n, start=dt.date(2025, 7, 1))
    internal = build_annual_report(inputs(labels, calls), Edition.INTERNAL)
    public = build_annual_report(inputs(labels, calls), Edition.PUBLIC)
    truth = dict(_all_figures(internal))
    for key, fig in _all_figures(public):
        true_value = truth[key].value  # type: ignore[attr-defined]
        if fig.hidden:  # type: ignore[attr-defined]
            assert fig.value is None  # type: ignore[attr-defined]
        else:
            assert fig.value == true_value  # type: ignore[attr-defined]
            assert not 0 < true_value < 10, key
    for cross in public.cross_tables:
        numerator = [i for i, c in enumerate(cross.col_labels)
                     if c in ("arrest", "referral for prosecution", "yes")]
        for row, total, rate in zip(cross.cells, cross.row_totals, cross.rates, strict=True):
            built_on_hidden = total.hidden or any(row[i].hidden for i in numerator)
            assert rate.hidden == built_on_hidden
            if rate.hidden:
                assert rate.percent is None and rate.text() == "*"
    assert public.incidents == ()
    assert "<10" in public.rule and "recovered" in public.rule


def test_a_figure_is_hidden_the_same_way_in_every_table_it_appears(labels: CallLabels) -> None:
    calls = generate(labels, 120, seed=3, start=dt.date(2025, 7, 1))
    public = build_annual_report(inputs(labels, calls), Edition.PUBLIC)
    by_outcome = public.table("students", "by_outcome")
    assert isinstance(by_outcome, OneWayTable)
    for cross in public.cross_tables:
        if cross.key.startswith("outcome_by_"):
            assert cross.col_totals == by_outcome.cells
        group = public.table("students", "by_" + cross.key.split("_by_")[1])
        assert isinstance(group, OneWayTable)
        assert cross.row_totals == group.cells


def test_statutory_sections(labels: CallLabels) -> None:
    calls = generate(labels, 40, seed=1, start=dt.date(2025, 7, 1))
    staff = [StaffPlacement("1", "North High", 5), StaffPlacement("2", "North High", 2.5),
             StaffPlacement("2", "Elm Elementary", 2.5)]
    report = build_annual_report(
        inputs(labels, calls, staff=staff, agencies=["Cedar PD", "Acme Security", "Cedar PD"]),
        Edition.INTERNAL,
    )
    assert report.staff.total == 2
    assert [(b.building, b.staff, b.days_per_week) for b in report.staff.buildings] == [
        ("Elm Elementary", 1, 2.5), ("North High", 2, 7.5)]
    assert report.agencies.names == ("Acme Security", "Cedar PD")
    assert not report.complaints.tracked and report.complaints.note == NOT_TRACKED
    tracked = build_annual_report(
        inputs(labels, calls, complaints=ComplaintSummary(
            12, {"job duties": 9, "student interaction": 3}, {"sustained": 2, "not sustained": 10})),
        Edition.PUBLIC,
    )
    assert tracked.complaints.tracked
    assert tracked.complaints.total is not None and tracked.complaints.total.value == 12
    cats = tracked.complaints.tables[0]
    assert cats.values() == {"job duties": None, "student interaction": None}


def test_narrative_never_quotes_a_hidden_figure(labels: CallLabels) -> None:
    calls = generate(labels, 6, seed=2, start=dt.date(2025, 9, 1))
    public = build_annual_report(inputs(labels, calls), Edition.PUBLIC)
    text = public.narrative()
    assert "fewer than 10 calls" in text
    internal = build_annual_report(inputs(labels, calls), Edition.INTERNAL)
    assert "not for public release" in internal.narrative()


def test_json_shape_matches_the_issue(labels: CallLabels) -> None:
    calls = generate(labels, 150, seed=11, start=dt.date(2025, 7, 1))
    for edition in Edition:
        data = report_to_data(build_annual_report(inputs(labels, calls), edition))
        json.dumps(data)  # plain data only
        assert {"school_year", "edition", "threshold", "calls", "students", "staff", "agencies",
                "complaints"} <= set(data)
        assert data["school_year"] == "2025-26" and data["edition"] == str(edition)
        assert set(data["calls"]) == {"total", "by_building", "by_offense_type",
                                      "by_initiated_by", "by_outcome"}
        assert set(data["hidden"]) == {"calls", "students", "incidents", "complaints"}
        if edition is Edition.INTERNAL:
            assert all(not section for section in data["hidden"].values())
        assert {"total", "by_race", "by_gender", "by_age", "by_age_band", "by_iep", "by_504",
                "by_outcome", "outcome_by_race", "outcome_by_gender", "outcome_by_iep",
                "outcome_by_504"} <= set(data["students"])
        assert set(data["students"]["by_race"]) == set(labels.labels(LabelKind.RACE))
        assert set(data["students"]["by_iep"]) == {"yes", "no"}
        nested = data["students"]["outcome_by_race"]["White"]
        assert set(nested) == set(labels.labels(LabelKind.OUTCOME))
        assert data["complaints"]["tracked"] is False
        if edition is Edition.PUBLIC:
            assert "list" not in data["incidents"]
            flat = [v for v in data["students"]["by_age"].values()]
            assert all(v is None or v == 0 or v >= 10 for v in flat)
        else:
            assert isinstance(data["incidents"]["list"], list)


def test_a_year_without_calls_and_odd_complaint_breakdowns(labels: CallLabels) -> None:
    summary = ComplaintSummary(3, {"job duties": 1, "other": 1}, {"pending": 3})
    for edition in Edition:
        report = build_annual_report(inputs(labels, [], complaints=summary), edition)
        assert report.calls_total.value == 0 and report.students_total.value == 0
        assert all(f.value == 0 for t in report.student_tables for f in t.cells)
        assert all(r.percent is None and not r.hidden for t in report.cross_tables
                   for r in t.rates)
        cats = report.complaints.tables[0]
        if edition is Edition.PUBLIC:
            assert cats.values() == {"job duties": None, "other": None}
        else:
            assert cats.values() == {"job duties": 1, "other": 1}


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.integers(0, 60), st.integers(0, 10_000))
def test_public_edition_is_always_protectable(labels: CallLabels, n: int, seed: int) -> None:
    """Random small districts: the joint suppression always succeeds and its checker is clean."""
    calls = generate(labels, n, seed=seed, start=dt.date(2025, 7, 1))
    report = build_annual_report(inputs(labels, calls), Edition.PUBLIC)  # raises if it leaks
    for key, fig in _all_figures(report):
        if fig.value is not None:  # type: ignore[attr-defined]
            assert not 0 < fig.value < 10, key  # type: ignore[attr-defined]


def _student(race: str, gender: str, force: bool, age: int = 15) -> InvolvedStudent:
    return InvolvedStudent(age=age, gender=gender, race=race, iep=False, section_504=False,
                           outcome="handled informally", use_of_force=force, discipline=False)


def test_use_of_force_never_reveals_who_it_was(labels: CallLabels) -> None:
    """The 2026-27 demo: the only student subjected to force was White and female. With every
    other row of the force column shown as 0, the public edition said so. Now it cannot."""
    kids = ([_student("White", "female", True)]
            + [_student("White", "male", False)] * 60 + [_student("Asian", "male", False)] * 15
            + [_student("Hispanic or Latino", "female", False)] * 42)
    calls = [Call(id=i, ref=f"R{i}", occurred_on=dt.date(2025, 10, 1), occurred_at=None,
                  building="North High", location="on campus", initiated_by="teacher",
                  emergency=False, offense_type="other", description="", students=(kid,),
                  outcome=kid.outcome) for i, kid in enumerate(kids)]
    public = build_annual_report(inputs(labels, calls), Edition.PUBLIC)
    for group in ("race", "gender", "iep", "504"):
        table = public.table("students", f"use_of_force_by_{group}")
        assert isinstance(table, TwoWayTable)
        yes = table.col_labels.index("yes")
        for label, row, total in zip(table.row_labels, table.cells, table.row_totals,
                                     strict=True):
            # a shown 0 in the force column is only allowed for a group with no students at all
            if not row[yes].hidden and row[yes].value == 0:
                assert total.value == 0, f"{group}={label} shows 0 beside a hidden force count"
    data = report_to_data(public)
    force = data["students"]["use_of_force_by_race"]
    assert force["Asian"]["yes"] is None and force["Hispanic or Latino"]["yes"] is None
    assert data["hidden"]["students"]["use_of_force_by_race"]["Asian"]["yes"] == "*"
    assert data["hidden"]["students"]["by_use_of_force"]["yes"] == "<10"
    assert "zeros that add up to it are hidden" in public.rule


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(st.integers(1, 9), st.integers(0, 10_000))
@example(forced=1, seed=520)  # the one forced call falls outside the year: the force group is empty
def test_a_few_students_subjected_to_force_cannot_be_placed(labels: CallLabels, forced: int,
                                                            seed: int) -> None:
    """Random districts where 1-9 students were subjected to force: no table of the public
    edition shows a 0 beside a hidden total unless that 0 is obvious (an empty group)."""
    rnd = random.Random(seed)
    calls = generate(labels, 120, seed=seed, start=dt.date(2025, 7, 1))
    calls = [dataclasses.replace(c, students=tuple(
        dataclasses.replace(s, use_of_force=False) for s in c.students)) for c in calls]
    with_kids = [i for i, c in enumerate(calls) if c.students]
    for i in rnd.sample(with_kids, min(forced, len(with_kids))):
        first, *rest = calls[i].students
        calls[i] = dataclasses.replace(
            calls[i], students=(dataclasses.replace(first, use_of_force=True), *rest))
    public = build_annual_report(inputs(labels, calls), Edition.PUBLIC)
    for table in public.cross_tables:
        for label, row, total in zip(table.row_labels, table.cells, table.row_totals,
                                     strict=True):
            for col, cell, col_total in zip(table.col_labels, row, table.col_totals,
                                            strict=True):
                if cell.value == 0 and (total.hidden or col_total.hidden):
                    assert total.value == 0 or col_total.value == 0, (table.key, label, col)
    # a one-way table may show a 0 beside its hidden total only for a group that is plainly
    # empty: a cross table shows the same group's margin as 0 (say, no student was subjected to
    # force this year because the one such call fell outside the school year)
    empty = {(t.key.split("_by_")[0], label) for t in public.cross_tables
             for label, margin in zip(t.col_labels, t.col_totals, strict=True)
             if not margin.hidden and margin.value == 0}
    empty |= {(t.key.split("_by_")[1], label) for t in public.cross_tables
              for label, margin in zip(t.row_labels, t.row_totals, strict=True)
              if not margin.hidden and margin.value == 0}
    for one in public.student_tables:
        if one.total.hidden:
            attribute = one.key.removeprefix("by_")
            assert all(c.value != 0 or (attribute, label) in empty
                       for label, c in zip(one.labels, one.cells, strict=True)), one.key


def test_an_unfinished_year_says_year_to_date(labels: CallLabels) -> None:
    calls = generate(labels, 200, seed=5, start=dt.date(2025, 7, 1))
    today = dt.date(2025, 11, 26)
    report = build_annual_report(inputs(labels, calls, as_of=today), Edition.INTERNAL)
    assert not report.complete and report.through == today
    assert report.calls_total.value == sum(dt.date(2025, 7, 1) <= c.occurred_on <= today
                                           for c in calls)
    text = report.narrative()
    assert "year to date, through 26 November 2025" in text
    assert "From 1 July" not in text and "July 1" not in text
    assert "year to date, through 26 November 2025" in dict(report.definitions)["Reporting period"]
    data = report_to_data(report)
    assert data["period"]["year_to_date"] is True and data["period"]["through"] == "2025-11-26"
    finished = build_annual_report(inputs(labels, calls, as_of=dt.date(2026, 8, 1)),
                                   Edition.INTERNAL)
    assert finished.complete
    assert finished.narrative().startswith("From 1 July 2025 to 30 June 2026, ")
    early = build_annual_report(inputs(labels, calls, as_of=dt.date(2025, 5, 1)),
                                Edition.INTERNAL)
    assert early.not_begun and "had not begun on 1 May 2025" in early.narrative()


def test_agencies_are_marked_without_an_agreement(labels: CallLabels) -> None:
    report = build_annual_report(inputs(labels, [], agencies=[
        Agency("Sentinel Security", False), Agency("Cedar PD", True), "Cedar PD"]),
        Edition.PUBLIC)
    assert report.agencies.names == ("Cedar PD", "Sentinel Security")
    assert report.agencies.without_agreement == ("Sentinel Security",)
    assert report.agencies.text() == "Cedar PD, Sentinel Security (no adopted agreement)"
    assert report_to_data(report)["agencies_without_agreement"] == ["Sentinel Security"]


def test_complaints_counted_by_law_is_its_own_protected_figure(labels: CallLabels) -> None:
    summary = ComplaintSummary(23, {"Job duties": 4, "Student interaction": 8, "Other": 11},
                               {"Pending": 23})
    assert summary.counted_by_law == 12
    internal = build_annual_report(inputs(labels, [], complaints=summary), Edition.INTERNAL)
    assert internal.complaints.counted_by_law is not None
    assert internal.complaints.counted_by_law.value == 12
    assert report_to_data(internal)["complaints"]["counted_by_law"] == 12
    public = build_annual_report(inputs(labels, [], complaints=summary), Edition.PUBLIC)
    by_law = public.complaints.counted_by_law
    cats = public.complaints.tables[0]
    # 12 is shown, so job duties (4, hidden) must not be 12 minus a shown student-interaction
    assert by_law is not None and by_law.value == 12
    assert cats.figure("Job duties").hidden and cats.figure("Student interaction").hidden
    data = report_to_data(public)
    assert data["complaints"]["counted_by_law"] == 12
    assert data["hidden"]["complaints"]["by_category"]["Job duties"] == "<10"
    small = ComplaintSummary(5, {"Job duties": 3, "Student interaction": 2, "Other": 0},
                             {"Pending": 5})
    hidden = build_annual_report(inputs(labels, [], complaints=small), Edition.PUBLIC)
    assert hidden.complaints.counted_by_law is not None
    assert hidden.complaints.counted_by_law.hidden
    assert report_to_data(hidden)["hidden"]["complaints"]["counted_by_law"] == "<10"


def test_definitions_fit_the_edition(labels: CallLabels) -> None:
    internal = dict(build_annual_report(inputs(labels, []), Edition.INTERNAL).definitions)
    public = dict(build_annual_report(inputs(labels, []), Edition.PUBLIC).definitions)
    assert "Suppression" not in internal and "Suppression" in public
    assert "Hidden counts in the JSON file" in public
    assert internal["Reporting period"].startswith("1 July 2025 to 30 June 2026")


def test_per_person_staff_table_names_people_inside_and_positions_in_public() -> None:
    """RCW 28A.320.1241(1)(a): "the number of days per week that each staff works"; the public
    edition names positions, not people."""
    from sro_desk.domain.report_staff import StaffPerson, staff_rows, table_rows

    people = [
        StaffPerson("1", "Maria Lopez", "school resource officer", "Cedar Valley PD",
                    (("Cedar Valley HS", 3.0), ("Rock MS", 2.0))),
        StaffPerson("2", "Sam Rivera", "school resource officer", "Cedar Valley PD",
                    (("Alder ES", 1.5),)),
        StaffPerson("3", "Gina Moss", "school security officer", "Guardian Security",
                    (("Cedar Valley HS", 5.0),)),
    ]
    internal = staff_rows(people, public=False)
    assert [r.who for r in internal] == ["Maria Lopez", "Sam Rivera", "Gina Moss"]
    assert internal[0].buildings_text == "Cedar Valley HS 3; Rock MS 2"
    assert internal[0].days_per_week == 5.0
    public = staff_rows(people, public=True)
    assert [r.who for r in public] == ["School resource officer 1", "School resource officer 2",
                                       "School security officer 1"]
    headers, rows = table_rows(public, public=True)
    assert headers[0] == "Position" and not any("Lopez" in str(c) for row in rows for c in row)
    assert rows[1][1:] == ["school resource officer", "Cedar Valley PD", "Alder ES 1.5", 1.5]
