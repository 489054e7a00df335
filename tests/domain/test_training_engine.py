"""The training rule engine on ordinary and edge dates (month ends, leap days, no first day)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
from itertools import count
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desk.domain.training import (
    STANDARD_THRESHOLDS,
    Delivery,
    EsdDocumentation,
    ExpiryThresholds,
    PersonTraining,
    Provider,
    TrainingCompletion,
    TrainingPerson,
    TrainingStatus,
    TrainingWaiver,
    build_matrix,
    completion_problems,
    esd_documentation_problems,
    evaluate_person,
    needs_attention,
    series_deadline,
    waiver_problems,
)
from sro_desk.domain.training_catalog import (
    RequirementSetting,
    TrainingCatalog,
    apply_district_settings,
    load_catalog,
)

CATALOG_PATH = Path(__file__).parents[2] / "resources" / "catalogs" / "training_requirements.json"
CATALOG = load_catalog(json.loads(CATALOG_PATH.read_text(encoding="utf-8")))
REQS = CATALOG.requirements
TOPIC_CODES = [t.code for t in CATALOG.topics]
AS_OF = dt.date(2026, 11, 26)
VERIFIED_AT = dt.datetime(2026, 11, 1, 9, 30)
_ids = count(1)


def officer(first_day: dt.date | None, *, staff_id: int = 1, role: str = "school_resource_officer",
            employer: str = "law_enforcement_agency", name: str = "Dana Reyes") -> TrainingPerson:
    return TrainingPerson(staff_id, name, role, employer, first_day, "Sequim PD", "Helen Haller")


def done(code: str, on: dt.date, *, staff_id: int = 1, verified: bool = True,
         **extra: str) -> TrainingCompletion:
    return TrainingCompletion(
        next(_ids), staff_id, code, on, Provider.ESD, "Olympic ESD 114", Delivery.IN_PERSON, 8.0,
        verified_by="Pat Lee" if verified else "",
        verified_at=dt.datetime.combine(on, VERIFIED_AT.time()) if verified else None,
        **extra,
    )


def all_topics(on: dt.date, staff_id: int = 1) -> list[TrainingCompletion]:
    return [done(code, on, staff_id=staff_id) for code in TOPIC_CODES]


def evaluate(person: TrainingPerson, completions: list[TrainingCompletion] | None = None, *,
             waivers: list[TrainingWaiver] | None = None, esd: EsdDocumentation | None = None,
             as_of: dt.date = AS_OF, catalog: TrainingCatalog = CATALOG,
             thresholds: ExpiryThresholds = STANDARD_THRESHOLDS) -> PersonTraining:
    return evaluate_person(person, catalog.requirements, completions or [], waivers or [], esd,
                           as_of, thresholds)


# --- date arithmetic the way a person reads the law -------------------------------------------

@pytest.mark.parametrize(
    ("first_day", "months", "deadline"),
    [
        (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 28)),   # the example
        (dt.date(2023, 8, 31), 6, dt.date(2024, 2, 29)),   # ... in a leap year
        (dt.date(2026, 9, 2), 6, dt.date(2027, 3, 2)),
        (dt.date(2026, 12, 31), 6, dt.date(2027, 6, 30)),
        (dt.date(2024, 2, 29), 12, dt.date(2025, 2, 28)),  # leap day + 1 year
        (dt.date(2024, 2, 29), 6, dt.date(2024, 8, 29)),
        (dt.date(2026, 3, 31), 12, dt.date(2027, 3, 31)),
    ],
)
def test_series_deadline(first_day: dt.date, months: int, deadline: dt.date) -> None:
    assert series_deadline(first_day, months) == deadline


@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)), st.integers(0, 36))
def test_deadline_keeps_the_day_or_clamps_to_month_end(first_day: dt.date, months: int) -> None:
    deadline = series_deadline(first_day, months)
    total = first_day.year * 12 + first_day.month - 1 + months
    assert (deadline.year, deadline.month) == (total // 12, total % 12 + 1)
    last = calendar.monthrange(deadline.year, deadline.month)[1]
    assert deadline.day == min(first_day.day, last)
    assert deadline >= first_day


@given(st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 30)))
def test_later_first_day_never_gives_an_earlier_deadline(first_day: dt.date) -> None:
    nxt = first_day + dt.timedelta(days=1)
    assert series_deadline(first_day, 6) <= series_deadline(nxt, 6)
    assert series_deadline(first_day, 12) <= series_deadline(nxt, 12)


@given(st.dates(dt.date(2000, 1, 1), dt.date(2080, 12, 31)))
def test_due_on_the_deadline_overdue_the_day_after(first_day: dt.date) -> None:
    person = officer(first_day)
    deadline = series_deadline(first_day, 6)
    on_day = evaluate(person, as_of=deadline).cell("topic_a")
    assert (on_day.status, on_day.due_on, on_day.days) == (TrainingStatus.DUE, deadline, 0)
    after = evaluate(person, as_of=deadline + dt.timedelta(days=1)).cell("topic_a")
    assert (after.status, after.days) == (TrainingStatus.OVERDUE, -1)
    # training completed on the deadline itself is on time
    on_time = evaluate(person, all_topics(deadline), as_of=deadline + dt.timedelta(days=30))
    assert on_time.clearance.cleared


@given(st.sets(st.sampled_from(TOPIC_CODES)), st.sets(st.sampled_from(TOPIC_CODES)),
       st.booleans(), st.sampled_from([AS_OF, dt.date(2027, 4, 1)]))
def test_may_be_assigned_and_in_compliance_as_rcw_28a_400_345_reads(
    verified: set[str], waived: set[str], esd_confirmed: bool, as_of: dt.date,
) -> None:
    """(1): assigned once documentation is confirmed or the series is required (first day
    recorded). (2)(b): topics within 6 months; first day 2 Sep 2026, so due by 2 Mar 2027."""
    person = officer(dt.date(2026, 9, 2))
    completions = [done(code, dt.date(2026, 10, 1)) for code in verified]
    waivers = [TrainingWaiver(i, 1, code, dt.date(2026, 10, 2), "Olympic ESD 114", "Prior POST")
               for i, code in enumerate(waived)]
    esd = EsdDocumentation(1, 1, dt.date(2026, 8, 1), "Olympic ESD 114", True, "Pat Lee",
                           VERIFIED_AT) if esd_confirmed else None
    result = evaluate(person, completions, waivers=waivers, esd=esd, as_of=as_of)
    c = result.clearance
    assert c.may_be_assigned
    topics_done = (verified | waived) == set(TOPIC_CODES)
    expected = esd_confirmed or topics_done or as_of <= dt.date(2027, 3, 2)
    assert c.in_compliance is expected
    assert c.cleared is expected
    assert c.has_esd_documentation is esd_confirmed
    assert c.assignment_reasons and c.compliance_reasons
    if not esd_confirmed:
        missing = set(TOPIC_CODES) - verified - waived
        assert set(c.outstanding_codes) == missing | {"on_the_job"}
        assert set(c.overdue_codes) == (missing if as_of > dt.date(2027, 3, 2) else set())


# --- clearance --------------------------------------------------------------------------------

def test_no_first_day_recorded_is_not_cleared_and_says_so() -> None:
    result = evaluate(officer(None))
    clearance = result.clearance
    assert not clearance.cleared and not clearance.documentation_or_plan
    assert not clearance.may_be_assigned and not clearance.in_compliance
    assert clearance.compliance_label == "Deadlines not set"
    assert not clearance.first_day_recorded
    assert "First day on school property with students not recorded" in clearance.reasons[0]
    assert any("first day not recorded" in r for r in clearance.compliance_reasons)
    cell = result.cell("topic_a")
    assert cell.status is TrainingStatus.DUE and cell.due_on is None
    assert "first day on school property" in cell.note.lower()


def test_no_first_day_but_every_topic_verified_may_be_assigned() -> None:
    result = evaluate(officer(None), all_topics(dt.date(2026, 6, 1)))
    c = result.clearance
    assert c.may_be_assigned
    assert c.assignment_reasons == ("All 13 classroom topics are verified or waived by an ESD.",)
    # the on-the-job days still have no deadline without a first day
    assert not c.in_compliance and c.outstanding_codes == ("on_the_job",)


def test_first_day_in_the_future() -> None:
    first_day = dt.date(2027, 1, 4)
    result = evaluate(officer(first_day))
    cell = result.cell("topic_c")
    assert cell.status is TrainingStatus.DUE and cell.due_on == dt.date(2027, 7, 4)
    c = result.clearance
    assert c.may_be_assigned and c.in_compliance and c.cleared
    assert c.documentation_or_plan  # nothing overdue: the series is the plan
    assert "4 January 2027" in c.assignment_reasons[0]
    assert c.next_due == dt.date(2027, 7, 4)
    assert any("due by 4 July 2027" in r for r in c.compliance_reasons)


def test_overdue_topics_listed_with_dates() -> None:
    result = evaluate(officer(dt.date(2026, 3, 31)), all_topics(dt.date(2026, 4, 15))[:12])
    clearance = result.clearance
    assert clearance.may_be_assigned and not clearance.in_compliance
    assert not clearance.cleared and not clearance.documentation_or_plan
    assert clearance.overdue_codes == ("topic_m",)
    assert clearance.outstanding_codes == ("topic_m", "on_the_job")
    assert clearance.compliance_reasons == (
        "(m) Restorative justice: not verified; overdue since 30 September 2026",
    )


def test_prior_training_before_the_first_day_counts() -> None:
    result = evaluate(officer(dt.date(2026, 9, 2)), all_topics(dt.date(2025, 5, 1)))
    assert result.clearance.cleared
    assert result.cell("topic_a").completed_on == dt.date(2025, 5, 1)


def test_training_after_the_as_of_date_does_not_count_yet() -> None:
    person = officer(dt.date(2026, 9, 2))
    records = all_topics(dt.date(2026, 11, 20))
    before = evaluate(person, records, as_of=dt.date(2026, 11, 19)).clearance
    after = evaluate(person, records, as_of=dt.date(2026, 11, 20)).clearance
    assert "topic_a" in before.outstanding_codes
    assert after.outstanding_codes == ("on_the_job",)


def test_claimed_records_do_not_count_until_verified() -> None:
    person = officer(dt.date(2026, 9, 2))
    records = [done(code, dt.date(2026, 10, 1), verified=False) for code in TOPIC_CODES]
    result = evaluate(person, records, as_of=dt.date(2027, 3, 3))
    assert not result.clearance.in_compliance
    cell = result.cell("topic_a")
    assert cell.status is TrainingStatus.OVERDUE and cell.pending_claims == 1
    assert cell.completion_id is None
    assert "1 claimed record awaiting verification" in cell.detail_lines()
    assert any("awaiting verification" in r for r in result.clearance.compliance_reasons)


def test_esd_documentation_confirmed_clears_and_covers_the_series() -> None:
    esd = EsdDocumentation(7, 1, dt.date(2026, 8, 20), "Puget Sound ESD 121", True, "Pat Lee",
                           VERIFIED_AT)
    result = evaluate(officer(None, role="school_security_officer", employer="school_district"),
                      esd=esd)
    assert result.clearance.cleared and result.clearance.has_esd_documentation
    assert result.clearance.documentation_or_plan
    assert "Puget Sound ESD 121" in result.clearance.reasons[0]
    for code in [*TOPIC_CODES, "on_the_job", "check_ins"]:
        cell = result.cell(code)
        assert cell.status is TrainingStatus.VERIFIED and cell.via_esd_documentation
    # recurring certifications are not part of the series
    assert result.cell("first_aid_cpr").status is TrainingStatus.DUE


def test_unconfirmed_esd_documentation_does_not_clear() -> None:
    esd = EsdDocumentation(7, 1, dt.date(2026, 8, 20), "ESD 112", True)
    result = evaluate(officer(None), esd=esd)
    assert not result.clearance.may_be_assigned and not result.clearance.has_esd_documentation
    assert any("not yet confirmed" in r for r in result.clearance.assignment_reasons)


def test_a_waived_topic_counts_and_says_who_waived_it() -> None:
    waiver = TrainingWaiver(3, 1, "topic_g", dt.date(2026, 9, 10), "Olympic ESD 114",
                            "20 years of patrol, prior POST course")
    records = [r for r in all_topics(dt.date(2026, 10, 1)) if r.requirement_code != "topic_g"]
    result = evaluate(officer(dt.date(2026, 9, 2)), records, waivers=[waiver])
    cell = result.cell("topic_g")
    assert cell.status is TrainingStatus.WAIVED and cell.waiver_id == 3
    assert "(no waiver document attached)" in cell.note
    assert result.clearance.cleared
    assert "topic_g" not in result.clearance.outstanding_codes


def test_a_setting_marking_topic_m_not_required_does_not_switch_it_off() -> None:
    """RCW 28A.400.345(2)(b): classroom training "on all topics" of RCW 28A.310.515(2), (m)
    included. A pre-2021 12-topic policy does not make (m) optional."""
    catalog = apply_district_settings(
        CATALOG, [RequirementSetting("topic_m", required=False, reason="Board motion 26-4")]
    )
    records = [r for r in all_topics(dt.date(2026, 10, 1)) if r.requirement_code != "topic_m"]
    result = evaluate(officer(dt.date(2026, 9, 2)), records, catalog=catalog,
                      as_of=dt.date(2027, 3, 3))
    cell = result.cell("topic_m")
    assert cell.status is TrainingStatus.OVERDUE
    assert not result.clearance.in_compliance
    assert result.clearance.overdue_codes == ("topic_m",)


# --- series components with a count -----------------------------------------------------------

def test_on_the_job_days_count_distinct_verified_dates() -> None:
    person = officer(dt.date(2026, 9, 2))
    day1 = done("on_the_job", dt.date(2026, 9, 15), mentor="Sgt. Ames", mentor_school="Helen Haller")
    same_day = done("on_the_job", dt.date(2026, 9, 15), mentor="Ofc. Li",
                    mentor_school="Helen Haller")
    cell = evaluate(person, [day1, same_day]).cell("on_the_job")
    assert (cell.status, cell.progress, cell.needed) == (TrainingStatus.DUE, 1, 2)
    assert cell.due_on == dt.date(2027, 9, 2)
    assert cell.short_text == "Due 1/2 · 2 Sep 2027"
    day2 = done("on_the_job", dt.date(2026, 10, 6), mentor="Sgt. Ames",
                mentor_school="Helen Haller")
    cell = evaluate(person, [day1, same_day, day2]).cell("on_the_job")
    assert cell.status is TrainingStatus.VERIFIED and cell.completed_on == dt.date(2026, 10, 6)
    assert cell.completion_id == day2.id


def test_check_ins_apply_only_to_staff_who_are_not_sros() -> None:
    first_day = dt.date(2025, 9, 2)
    sro = evaluate(officer(first_day))
    assert sro.cell("check_ins").status is TrainingStatus.NOT_APPLICABLE
    assert "Applies only to" in sro.cell("check_ins").note
    guard = officer(first_day, role="school_security_officer", employer="school_district")
    result = evaluate(guard, all_topics(dt.date(2025, 10, 1)))
    cell = result.cell("check_ins")
    assert cell.status is TrainingStatus.OVERDUE and cell.due_on == dt.date(2026, 9, 2)
    # may be assigned (the series is required) but the series is behind: out of compliance
    assert result.clearance.may_be_assigned and not result.clearance.in_compliance
    assert not result.clearance.documentation_or_plan
    assert result.clearance.label == "May be assigned · Series overdue"
    assert any(r.startswith("Check-in trainings: 0 of 6 verified; overdue since")
               for r in result.clearance.compliance_reasons)
    assert result.cell("nasro_basic").status is TrainingStatus.NOT_APPLICABLE


# --- recurring certifications -----------------------------------------------------------------

@pytest.mark.parametrize(
    ("completed", "status", "valid_until", "tier"),
    [
        (dt.date(2024, 11, 25), TrainingStatus.EXPIRED, dt.date(2026, 11, 25), 7),
        (dt.date(2024, 11, 26), TrainingStatus.EXPIRING_SOON, dt.date(2026, 11, 26), 7),
        (dt.date(2024, 12, 20), TrainingStatus.EXPIRING_SOON, dt.date(2026, 12, 20), 30),
        (dt.date(2025, 1, 31), TrainingStatus.EXPIRING_SOON, dt.date(2027, 1, 31), 90),
        (dt.date(2025, 6, 1), TrainingStatus.VERIFIED, dt.date(2027, 6, 1), None),
    ],
)
def test_cpr_validity_and_alert_tiers(
    completed: dt.date, status: TrainingStatus, valid_until: dt.date, tier: int | None,
) -> None:
    cell = evaluate(officer(dt.date(2024, 9, 3)), [done("first_aid_cpr", completed)]).cell(
        "first_aid_cpr")
    assert (cell.status, cell.due_on, cell.alert_tier) == (status, valid_until, tier)
    if status is TrainingStatus.EXPIRING_SOON:
        assert f"Inside the {tier}-day alert window" in cell.detail_lines()


def test_latest_verified_completion_renews_a_certification() -> None:
    old = done("crisis_intervention", dt.date(2024, 3, 1))
    new = done("crisis_intervention", dt.date(2026, 3, 1))
    cell = evaluate(officer(dt.date(2023, 9, 5)), [new, old]).cell("crisis_intervention")
    assert cell.status is TrainingStatus.VERIFIED and cell.completion_id == new.id
    assert cell.due_on == dt.date(2027, 3, 1)


def test_a_leap_day_completion_renews_on_the_last_day_of_february() -> None:
    cell = evaluate(officer(dt.date(2023, 9, 5)), [done("crisis_intervention", dt.date(2024, 2, 29))],
                    as_of=dt.date(2025, 3, 1)).cell("crisis_intervention")
    assert cell.status is TrainingStatus.EXPIRED and cell.due_on == dt.date(2025, 2, 28)


def test_never_completed_certification_is_due_from_the_first_day() -> None:
    result = evaluate(officer(dt.date(2026, 9, 2)))
    cpr = result.cell("first_aid_cpr")  # due by the first day
    assert cpr.status is TrainingStatus.OVERDUE and cpr.due_on == dt.date(2026, 9, 2)
    nasro = result.cell("nasro_basic")
    assert nasro.status is TrainingStatus.DUE and nasro.due_on == dt.date(2027, 9, 2)
    once = evaluate(officer(dt.date(2020, 9, 2)), [done("nasro_basic", dt.date(2020, 10, 1))])
    assert once.cell("nasro_basic").status is TrainingStatus.VERIFIED
    assert once.cell("nasro_basic").due_on is None


def test_guard_company_certifications() -> None:
    guard = officer(dt.date(2026, 11, 2), role="campus_security_officer",
                    employer="security_guard_company")
    result = evaluate(guard, [done("guard_pre_assignment", dt.date(2026, 10, 20))])
    assert result.cell("guard_pre_assignment").status is TrainingStatus.VERIFIED
    post = result.cell("guard_post_assignment")
    assert post.status is TrainingStatus.DUE and post.due_on == dt.date(2026, 12, 2)
    assert result.cell("crisis_intervention").status is TrainingStatus.NOT_APPLICABLE


def test_thresholds_are_settable_and_validated() -> None:
    thresholds = ExpiryThresholds((30, 7))
    assert thresholds.horizon == 30 and thresholds.days == (30, 7)
    assert ExpiryThresholds((7, 30, 30)).days == (30, 7)
    assert thresholds.tier(31) is None and thresholds.tier(30) == 30 and thresholds.tier(-5) == 7
    cell = evaluate(officer(dt.date(2024, 9, 3)), [done("first_aid_cpr", dt.date(2025, 1, 31))],
                    thresholds=thresholds).cell("first_aid_cpr")
    assert cell.status is TrainingStatus.VERIFIED and cell.alert_tier is None
    for bad in [(), (0,), (400,)]:
        with pytest.raises(ValueError, match="from 1 to 365"):
            ExpiryThresholds(bad)


# --- matrix and needs attention ---------------------------------------------------------------

def test_matrix_and_needs_attention_soonest_first() -> None:
    people = [
        officer(dt.date(2026, 9, 2), staff_id=1, name="Avery Stone"),       # topics due 2 Mar
        officer(None, staff_id=2, name="Blake North"),                      # no first day
        officer(dt.date(2026, 3, 31), staff_id=3, name="Casey West"),       # overdue
        officer(dt.date(2026, 11, 2), staff_id=4, name="Drew East",
                role="school_security_officer", employer="security_guard_company"),
    ]
    completions = [
        *all_topics(dt.date(2026, 4, 10), staff_id=3),
        done("first_aid_cpr", dt.date(2024, 12, 1), staff_id=3),   # expires 1 Dec 2026
        done("first_aid_cpr", dt.date(2024, 1, 10), staff_id=1),   # expired
    ]
    matrix = build_matrix(people, REQS, completions, [], [], AS_OF)
    assert [r.person.name for r in matrix.rows] == [
        "Avery Stone", "Blake North", "Casey West", "Drew East"]
    clearances = matrix.clearances()
    # Casey: topics done, on-the-job days not yet due; Avery: inside the 6-month window. Both
    # may be assigned and are in compliance; Blake has no first day, so neither.
    assert clearances[3].cleared and clearances[1].cleared
    assert not clearances[2].may_be_assigned and not clearances[2].in_compliance
    items = needs_attention(matrix)
    assert items[0].staff_id == 2 and items[0].date is None
    dates = [i.date for i in items[1:]]
    assert dates == sorted(d for d in dates if d is not None)
    messages = [i.message for i in items]
    assert "First Aid/CPR expired after 10 January 2026" in messages
    assert any(m.startswith("First Aid/CPR expires after 1 December 2026 (5 days)")
               for m in messages)
    # Avery's topics are due 2 March 2027, 96 days away: beyond the 90-day horizon
    assert not any(i.staff_id == 1 and i.requirement_code.startswith("topic_") for i in items)
    assert any(i.staff_id == 1 and i.requirement_code.startswith("topic_")
               for i in needs_attention(matrix, horizon_days=120))
    drew = [i for i in items if i.staff_id == 4]
    assert {i.requirement_code for i in drew} >= {"guard_pre_assignment", "guard_post_assignment"}
    assert matrix.row_for(4).cell("guard_pre_assignment").status is TrainingStatus.OVERDUE
    with pytest.raises(KeyError):
        matrix.row_for(99)


def test_matrix_uses_the_confirmed_esd_document_over_a_newer_unconfirmed_one() -> None:
    docs = [
        EsdDocumentation(1, 1, dt.date(2026, 8, 1), "ESD 112", True, "Pat Lee", VERIFIED_AT),
        EsdDocumentation(2, 1, dt.date(2026, 9, 1), "ESD 105", True),
    ]
    matrix = build_matrix([officer(dt.date(2026, 9, 2))], REQS, [], [], docs, AS_OF)
    assert matrix.rows[0].clearance.has_esd_documentation
    assert matrix.rows[0].cell("topic_a").provider == "ESD 112"


# --- input rules ------------------------------------------------------------------------------

def test_completion_problems_in_words() -> None:
    ojt = CATALOG.get("on_the_job")
    problems = completion_problems(ojt, dt.date(2026, 12, 1), Provider.ESD, "", 0, "", "", AS_OF)
    assert problems == [
        "The completion date 1 December 2026 is in the future; record training once it has "
        "taken place.",
        "Name the provider (educational service district).",
        "Hours must be more than 0 and at most 200.",
        "Name the experienced staff member (mentor) for this on-the-job day.",
        "Name the mentor's school for this on-the-job day.",
    ]
    assert completion_problems(CATALOG.get("topic_a"), AS_OF, Provider.AGENCY, "", 4, "", "",
                               AS_OF) == []
    assert completion_problems(CATALOG.get("topic_a"), None, Provider.AGENCY, "", None, "", "",
                               AS_OF) == ["Enter the date the training was completed."]


def test_only_series_components_can_be_waived() -> None:
    problems = waiver_problems(CATALOG.get("first_aid_cpr"), AS_OF, "ESD 112", "x", AS_OF)
    assert "only series components can be waived" in problems[0]
    assert waiver_problems(CATALOG.get("topic_a"), AS_OF, "ESD 112", "POST", AS_OF) == []
    assert len(waiver_problems(CATALOG.get("topic_a"), None, " ", "", AS_OF)) == 3
    assert esd_documentation_problems(dt.date(2027, 1, 1), "", AS_OF) == [
        "The date received, 1 January 2027, is in the future.",
        "Name the educational service district that issued the documentation.",
    ]


def test_person_from_roster_entry_maps_role_and_employer() -> None:
    from sro_desk.domain.roster import (
        BuildingAssignment,
        ProviderKind,
        Role,
        StaffMember,
        StaffStatus,
    )
    from sro_desk.domain.training import person_from_staff

    staff = StaffMember(
        id=5, first_name="Jo", last_name="Park", role=Role.CAMPUS_SECURITY, commissioned=False,
        provider_id=2, assignments=(BuildingAssignment(1, 3, "SHS", "Sequim High"),
                                    BuildingAssignment(2, 2, "HHE", "Helen Haller")),
        first_day_with_students=dt.date(2026, 9, 2), status=StaffStatus.ACTIVE,
        provider_name="Guardian Security", provider_kind=ProviderKind.SECURITY_COMPANY,
    )
    person = person_from_staff(staff)
    assert (person.staff_id, person.name, person.role, person.employer_kind) == (
        5, "Park, Jo", "campus_security_officer", "security_guard_company")
    assert person.building == "Sequim High, Helen Haller" and person.active
    assert evaluate(person).cell("guard_refresher").status is TrainingStatus.DUE
    sheriff = person_from_staff(StaffMember(
        id=6, first_name="A", last_name="B", role=Role.SRO, commissioned=True, provider_id=1,
        provider_kind=ProviderKind.SHERIFF))
    assert sheriff.employer_kind == "law_enforcement_agency" and sheriff.is_sro
    assert sheriff.first_day is None and sheriff.active  # pending is still in the program
    gone = person_from_staff(StaffMember(
        id=7, first_name="C", last_name="D", role=Role.OTHER, commissioned=False, provider_id=1,
        status=StaffStatus.INACTIVE, provider_kind=ProviderKind.DISTRICT))
    assert not gone.active
    matrix = build_matrix([gone], REQS, [], [], [], AS_OF)
    assert needs_attention(matrix) == []
    with pytest.raises(ValueError, match="saved"):
        person_from_staff(StaffMember(None, "A", "B", Role.OTHER, False, 1))


@given(
    st.lists(st.tuples(st.one_of(st.none(), st.dates(dt.date(2022, 1, 1), dt.date(2027, 6, 30))),
                       st.sampled_from(["school_resource_officer", "campus_security_officer"])),
             min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([r.code for r in REQS]),
                       st.dates(dt.date(2021, 1, 1), dt.date(2026, 11, 26)), st.booleans()),
             max_size=40),
    st.integers(1, 200),
)
def test_needs_attention_is_sorted_and_only_what_is_due(
    people_spec: list[tuple[dt.date | None, str]],
    records: list[tuple[int, str, dt.date, bool]],
    horizon: int,
) -> None:
    people = [officer(first, staff_id=i, role=role, employer="school_district",
                      name=f"P{i}") for i, (first, role) in enumerate(people_spec)]
    completions = [done(code, on, staff_id=sid % len(people), verified=ok)
                   for sid, code, on, ok in records]
    matrix = build_matrix(people, REQS, completions, [], [], AS_OF)
    items = needs_attention(matrix, horizon_days=horizon)
    keys = [(i.date is not None, i.date or dt.date.min) for i in items]
    assert keys == sorted(keys)
    for item in items:
        if item.date is None:
            assert item.requirement_code == ""
            continue
        assert item.days is not None
        if item.status in (TrainingStatus.OVERDUE, TrainingStatus.EXPIRED):
            assert item.days < 0
        else:
            assert item.status in (TrainingStatus.DUE, TrainingStatus.EXPIRING_SOON)
            assert 0 <= item.days <= horizon
    for row in matrix.rows:
        topics_done = all(row.cell(c).status in (TrainingStatus.VERIFIED, TrainingStatus.WAIVED)
                          for c in TOPIC_CODES)
        first = row.person.first_day
        assert row.clearance.may_be_assigned == (first is not None or topics_done)
        overdue = any(c.status is TrainingStatus.OVERDUE for c in row.cells
                      if c.requirement_code in row.clearance.outstanding_codes)
        assert row.clearance.in_compliance == (first is not None and not overdue)
        assert row.clearance.assignment_reasons and row.clearance.compliance_reasons


def test_a_past_as_of_date_does_not_count_later_verifications() -> None:
    """"Was this person cleared on the day they were assigned?" must not see later paperwork."""
    from dataclasses import replace

    late = replace(done(TOPIC_CODES[0], dt.date(2026, 3, 1)), verified_at=dt.datetime(2026, 6, 1, 9, 0))
    before = evaluate(officer(dt.date(2026, 1, 5)), [late], as_of=dt.date(2026, 4, 1)).cell(TOPIC_CODES[0])
    after = evaluate(officer(dt.date(2026, 1, 5)), [late], as_of=dt.date(2026, 6, 2)).cell(TOPIC_CODES[0])
    assert before.status is not TrainingStatus.VERIFIED
    assert after.status is TrainingStatus.VERIFIED


def test_dates_read_in_the_program_style() -> None:
    """One style everywhere: "20 November 2026", or "20 Nov 2026" where space is tight."""
    from sro_desk.domain.dates import format_date, format_short_date

    assert format_date(dt.date(2026, 11, 20)) == "20 November 2026"
    assert format_short_date(dt.date(2026, 11, 20)) == "20 Nov 2026"
    assert format_short_date(dt.date(2027, 3, 2)) == "2 Mar 2027"
    assert format_short_date(None) == ""
