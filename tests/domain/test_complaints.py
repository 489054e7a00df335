"""The complaint workflow: intake, steps in order, late filing, extensions, the board."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.domain.complaint_summary import (
    COUNTED_BY_LAW_LABEL,
    ComplaintSummary,
    Timeliness,
    answer_timeliness,
    public_complaint_summary,
    summarize_complaints,
)
from sro_desk.domain.complaints import (
    Category,
    Channel,
    Complaint,
    ComplaintRules,
    DeadlineKind,
    Finding,
    InvolvedStaff,
    Stage,
    add_extension,
    board,
    close_complaint,
    decide_appeal,
    due_date,
    filing_deadline,
    is_late_filing,
    issue_determination,
    late_filing_note,
    load_complaint_rules,
    new_complaint,
    overdue_count,
    record_agency_notice,
    record_appeal,
    running_deadline_bases,
    start_investigation,
)
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.school_calendar import (
    DayOffKind,
    DistrictCalendar,
    NonSchoolDay,
    build_calendar,
    expand_range,
    recompute_deadlines,
)

D = dt.date
TODAY = D(2026, 5, 1)
RULES = ComplaintRules()
CAL = DistrictCalendar((build_calendar(
    "2025-26", D(2025, 9, 2), D(2026, 6, 12),
    [NonSchoolDay(D(2026, 2, 16), DayOffKind.HOLIDAY, "Presidents' Day"),
     *expand_range(D(2026, 4, 6), D(2026, 4, 10), DayOffKind.BREAK, "Spring break")],
),))
CATALOG = Path(__file__).parents[2] / "resources" / "catalogs" / "complaint_rules.json"


def intake(**changes: object) -> Complaint:
    base = Complaint(
        received_on=D(2026, 2, 2), channel=Channel.FORM, category=Category.STUDENT_INTERACTION,
        building="Cedar Middle School", description="Officer raised voice at a student",
        incident_date=D(2026, 1, 28), complainant_name="Maria O'Brien <Jr>",
        complainant_contact="555-0100", staff=(InvolvedStaff(3, "Ofc. Dana Reyes"),), id=7,
    )
    return new_complaint(replace(base, **changes), "coordinator", TODAY)  # type: ignore[arg-type]


def decided() -> Complaint:
    c = start_investigation(intake(), D(2026, 2, 3), "principal", "Pat Lee", D(2026, 2, 3), TODAY)
    return issue_determination(c, D(2026, 2, 27), "Pat Lee", Finding.NOT_SUBSTANTIATED,
                               "Video reviewed.", TODAY)


def test_catalog_defaults_match_the_seed_procedure() -> None:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    assert load_complaint_rules(data) == ComplaintRules(10, 20, 30)


def test_bad_rules_are_refused_in_words() -> None:
    with pytest.raises(ValidationError) as err:
        load_complaint_rules({"filing_window_days": "ten", "determination_school_days": 20,
                              "appeal_school_days": True})
    assert err.value.problems == [
        "Complaint rule 'filing_window_days' must be a whole number of days.",
        "Complaint rule 'appeal_school_days' must be a whole number of days.",
    ]
    with pytest.raises(ValidationError, match="between 1 and 180"):
        load_complaint_rules({"filing_window_days": 10, "determination_school_days": 0,
                              "appeal_school_days": 30})


def test_intake_records_who_and_when() -> None:
    c = intake()
    assert c.stage is Stage.RECEIVED
    assert c.history[0].by == "coordinator"
    assert c.history[0].on == D(2026, 2, 2)
    assert c.history[0].detail == "Received on the district complaint form"
    assert c.reference == "Complaint 7"


@pytest.mark.parametrize(("channel", "detail"), [
    (Channel.FORM, "Received on the district complaint form"),
    (Channel.TIP_LINE, "Received through the anonymous tip line"),
    (Channel.EMAIL, "Received by email"),
    (Channel.PHONE, "Received by phone"),
    (Channel.IN_PERSON, "Received in person"),
    (Channel.AGENCY, "Received from the agency or company"),
])
def test_first_history_entry_is_worded_for_its_channel(channel: Channel, detail: str) -> None:
    assert intake(channel=channel).history[0].detail == detail


def test_intake_refusals_list_every_problem() -> None:
    with pytest.raises(ValidationError) as err:
        intake(incident_date=D(2026, 2, 5), complainant_name="", language_assistance=True,
               building=" ", description="")
    assert err.value.problems == [
        "The incident date (5 February 2026) is after the date the complaint was received "
        "(2 February 2026).",
        "Enter the complainant's name, or mark the complaint anonymous.",
        "Language assistance is needed: say which language.",
        "Choose the building where the incident happened.",
        "Describe what the complaint is about.",
    ]
    with pytest.raises(ValidationError, match="in the future"):
        intake(received_on=D(2026, 5, 2))
    with pytest.raises(ValidationError, match=r"RCW 10\.93\.160"):
        intake(description="Officer asked about the student's immigration status")
    with pytest.raises(ValidationError, match="cannot carry a complainant name"):
        intake(anonymous=True)


def test_anonymous_intake_and_language() -> None:
    c = intake(anonymous=True, complainant_name="", complainant_contact="ignored",
               channel=Channel.TIP_LINE, language_assistance=True, language=" Spanish ")
    assert c.complainant_display == "Anonymous"
    assert c.complainant_contact == ""
    assert c.language == "Spanish"


def test_late_filing_is_flagged_never_refused() -> None:
    assert filing_deadline(D(2026, 1, 20), RULES) == D(2026, 1, 30)
    on_time = intake(incident_date=D(2026, 1, 23))  # 10 days before 2 Feb
    late = intake(incident_date=D(2026, 1, 22))  # 11 days
    undated = intake(incident_date=None)
    assert not is_late_filing(on_time, RULES)
    assert is_late_filing(late, RULES)
    assert not is_late_filing(undated, RULES)
    assert late_filing_note(late, RULES) == (
        "Filed late: received 2 February 2026, 11 days after the incident on 22 January 2026 "
        "(the procedure asks for 10). Accepted and investigated all the same."
    )
    assert late_filing_note(on_time, RULES) is None


def test_full_workflow_in_order() -> None:
    c = decided()
    c = record_appeal(c, D(2026, 3, 2), "coordinator", "the complainant", TODAY)
    c = decide_appeal(c, D(2026, 3, 30), "Superintendent", Finding.SUBSTANTIATED,
                      "Reversed after new witness.", TODAY)
    c = close_complaint(c, D(2026, 3, 31), "coordinator", "", TODAY)
    assert c.stage is Stage.CLOSED
    assert [h.stage for h in c.history] == list(Stage)
    assert c.history[4].detail == "Determination changed: Substantiated"
    assert c.outcome == "Substantiated"
    with pytest.raises(RuleViolation, match="is closed"):
        close_complaint(c, D(2026, 4, 1), "x", "", TODAY)


def test_steps_cannot_be_skipped() -> None:
    with pytest.raises(RuleViolation) as err:
        issue_determination(intake(), D(2026, 2, 20), "Pat", Finding.INCONCLUSIVE, "s", TODAY)
    assert str(err.value) == (
        "Complaint 7 is at 'Received'; the next step must be investigating, not "
        "'determination issued'. Steps cannot be skipped."
    )
    with pytest.raises(RuleViolation):
        close_complaint(intake(), D(2026, 2, 20), "Pat", "withdrawn", TODAY)
    with pytest.raises(RuleViolation):
        decide_appeal(decided(), D(2026, 3, 20), "S", Finding.INCONCLUSIVE, "s", TODAY)


def test_steps_cannot_be_back_dated_or_future_dated() -> None:
    with pytest.raises(ValidationError) as err:
        start_investigation(intake(), D(2026, 2, 1), "", "", D(2026, 1, 30), TODAY)
    assert err.value.problems == [
        "The date 1 February 2026 is before the previous step (2 February 2026). Steps cannot "
        "be back-dated.",
        "Say who took this step.",
        "Name the investigator (the principal or designee).",
        "The agency cannot have been notified (30 January 2026) before the complaint was "
        "received (2 February 2026).",
    ]
    with pytest.raises(ValidationError, match="before the previous step"):
        record_appeal(decided(), D(2026, 2, 26), "c", "the complainant", TODAY)
    with pytest.raises(ValidationError, match="in the future"):
        record_appeal(decided(), D(2026, 5, 2), "c", "the complainant", TODAY)
    with pytest.raises(ValidationError, match="summary"):
        issue_determination(start_investigation(intake(), D(2026, 2, 3), "p", "Pat", None, TODAY),
                            D(2026, 2, 20), "Pat", Finding.INCONCLUSIVE, "  ", TODAY)


def test_agency_notice_can_be_recorded_later() -> None:
    started = start_investigation(intake(), D(2026, 2, 3), "p", "Pat", None, TODAY)
    assert record_agency_notice(started, D(2026, 2, 4), TODAY).agency_notified_on == D(2026, 2, 4)
    with pytest.raises(RuleViolation):
        record_agency_notice(intake(), D(2026, 2, 4), TODAY)
    with pytest.raises(ValidationError):
        record_agency_notice(started, D(2026, 1, 4), TODAY)


def test_due_date_and_its_explanation() -> None:
    due = due_date(intake(), DeadlineKind.DETERMINATION, CAL, RULES)
    assert due is not None and due.due == D(2026, 3, 3)
    assert "Presidents' Day (holiday)" in due.explanation()
    assert due_date(intake(), DeadlineKind.APPEAL, CAL, RULES) is None


def test_extension_needs_reason_and_a_later_date() -> None:
    c = intake()
    with pytest.raises(ValidationError) as err:
        add_extension(c, D(2026, 2, 20), " ", D(2026, 3, 2), "Pat", CAL, RULES, TODAY)
    assert err.value.problems == [
        "An extension notice must give the reason for the extension.",
        "The new date (2 March 2026) must be after the current deadline (3 March 2026).",
    ]
    with pytest.raises(ValidationError, match="not a school day"):
        add_extension(c, D(2026, 2, 20), "Witness away", D(2026, 3, 7), "Pat", CAL, RULES, TODAY)
    extended = add_extension(c, D(2026, 2, 20), "Witness away", D(2026, 3, 13), "Pat", CAL,
                             RULES, TODAY)
    due = due_date(extended, DeadlineKind.DETERMINATION, CAL, RULES)
    assert due is not None and due.due == D(2026, 3, 13)
    assert due.explanation().endswith(
        "Extended by written notice of 20 February 2026 to 13 March 2026: Witness away")
    assert not extended.extensions[0].late_notice
    late = add_extension(c, D(2026, 3, 5), "Witness away", D(2026, 3, 13), "Pat", CAL, RULES,
                         TODAY)
    assert late.extensions[0].late_notice
    with pytest.raises(RuleViolation, match="nothing to extend"):
        add_extension(decided(), D(2026, 3, 5), "r", D(2026, 3, 20), "Pat", CAL, RULES, TODAY)


def test_board_puts_overdue_first_and_counts_them() -> None:
    today = D(2026, 3, 5)
    overdue = intake()  # due 3 March
    soon = replace(intake(received_on=D(2026, 2, 20), incident_date=None), id=8)
    waiting = replace(decided(), id=9)
    closed = replace(close_complaint(decided(), D(2026, 3, 2), "c", "", TODAY), id=10)
    items = board([soon, waiting, closed, overdue], CAL, RULES, today)
    assert [i.complaint.id for i in items] == [7, 8, 9]
    assert items[0].overdue and items[0].status == "Overdue by 2 school days"
    assert items[1].status == "11 school days left"  # due 20 March: 6, 9-13, 16-20
    assert items[2].status == "Determination issued: awaiting appeal or closure"
    assert overdue_count(items) == 1
    due_today = board([overdue], CAL, RULES, D(2026, 3, 3))[0]
    assert due_today.status == "Due today" and not due_today.overdue


def test_appeal_deadline_counts_30_school_days_from_the_appeal() -> None:
    appealed = record_appeal(decided(), D(2026, 3, 2), "c", "the complainant", TODAY)
    due = due_date(appealed, DeadlineKind.APPEAL, CAL, RULES)
    # 3-6 Mar (4), 9-13 (9), 16-20 (14), 23-27 (19), 30-31 (21), 1-3 Apr (24),
    # spring break 6-10 Apr, 13-17 (29), 20 Apr (30).
    assert due is not None and due.due == D(2026, 4, 20)


def test_snow_day_recomputes_only_running_unextended_deadlines() -> None:
    open_one = intake()
    extended = replace(add_extension(intake(), D(2026, 2, 20), "r", D(2026, 3, 13), "Pat", CAL,
                                     RULES, TODAY), id=8)
    bases = running_deadline_bases([open_one, extended, decided()], RULES)
    assert [b.key for b in bases] == ["7:DETERMINATION"]
    snow = NonSchoolDay(D(2026, 2, 12), DayOffKind.EMERGENCY, "Snow day")
    after = DistrictCalendar((CAL.years[0].with_days_off([snow]),))
    (change,) = recompute_deadlines(bases, CAL, after)
    assert change.describe() == ("Complaint 7, written determination: deadline moved from "
                                 "3 March 2026 to 4 March 2026: Snow day 12 February 2026")


def test_summary_counts_by_category_and_standing_outcome() -> None:
    complaints = [
        intake(),
        replace(decided(), id=8, category=Category.JOB_DUTIES),
        replace(intake(received_on=D(2025, 8, 1), incident_date=None), id=9),  # before the year
        replace(intake(category=Category.OTHER), id=10),
    ]
    summary = summarize_complaints(complaints, D(2025, 9, 1), D(2026, 8, 31))
    assert summary == ComplaintSummary(
        3,
        {"Job duties": 1, "Student interaction": 1, "Other": 1},
        {"Substantiated": 0, "Not substantiated": 1, "Inconclusive": 0, "Pending": 2},
    )
    assert summary.counted_by_law == 2


def test_counted_by_law_is_job_duties_and_student_interactions_only() -> None:
    assert [c for c in Category if c.counted_by_law] == [Category.JOB_DUTIES,
                                                         Category.STUDENT_INTERACTION]
    summary = ComplaintSummary(12, {"Job duties": 4, "Student interaction": 5, "Other": 3},
                               {"Pending": 12})
    assert summary.counted_by_law == 9 and summary.total == 12
    assert ComplaintSummary(0, {}, {}).counted_by_law == 0


def _timeliness_mix() -> list[Complaint]:
    """Determination due 3 March 2026 (received 2 February), checked on 1 May."""
    on_time = replace(decided(), id=1)  # issued 27 February
    late = issue_determination(
        start_investigation(replace(intake(), id=2), D(2026, 2, 3), "p", "Pat", None, TODAY),
        D(2026, 3, 20), "Pat", Finding.SUBSTANTIATED, "Late answer.", TODAY)
    still_open = start_investigation(replace(intake(), id=3), D(2026, 2, 3), "p", "Pat", None,
                                     TODAY)  # overdue since 3 March, never answered
    not_due = replace(intake(received_on=D(2026, 4, 28), incident_date=None), id=4)
    appealed = record_appeal(replace(decided(), id=5), D(2026, 3, 2), "p", "the complainant",
                             TODAY)  # appeal decision due 14 April: late and still open
    return [on_time, late, still_open, not_due, appealed]


def test_answers_still_awaited_after_the_deadline_count_as_late() -> None:
    """QA: "Written determination: On time 3, Late 0" while Complaint 7 was 15 school days
    overdue — unanswered complaints were skipped."""
    mix = _timeliness_mix()
    got = [answer_timeliness(c, DeadlineKind.DETERMINATION, CAL, RULES, TODAY) for c in mix]
    assert got == [Timeliness.ON_TIME, Timeliness.LATE, Timeliness.LATE_OPEN,
                   Timeliness.NOT_YET_DUE, Timeliness.ON_TIME]
    assert [answer_timeliness(c, DeadlineKind.APPEAL, CAL, RULES, TODAY) for c in mix] == [
        None, None, None, None, Timeliness.LATE_OPEN]
    # past the entered calendar: placed by counting up to the answer, or refused in words
    summer = replace(intake(incident_date=None), received_on=D(2026, 6, 1), id=6)
    assert answer_timeliness(summer, DeadlineKind.DETERMINATION, CAL, RULES,
                             D(2026, 6, 5)) is Timeliness.NOT_YET_DUE
    with pytest.raises(RuleViolation, match="2026-27 calendar has not been entered"):
        answer_timeliness(summer, DeadlineKind.DETERMINATION, CAL, RULES, D(2026, 9, 20))


def test_public_summary_suppresses_small_counts_like_the_annual_report() -> None:
    """QA: the public summary printed 1, 2, 4, 7 where the public annual report said "<10"."""
    mix = _timeliness_mix()
    summary = public_complaint_summary(mix, CAL, RULES, TODAY)
    published = [v for t in (summary.outcomes, summary.channels, summary.answers,
                             summary.filing, summary.by_law) for r in t.rows for v in r[1:]]
    assert not [v for v in published if isinstance(v, int) and 0 < v < 10]
    assert "<10" in published
    assert summary.answers.headers == ("Written answer", "On time", "Late",
                                       "Late (still open)", "Not yet due", "Total")
    assert 'shown as "<10"' in summary.rule
    # with a threshold of 2 every count of 2 or more shows: the figures themselves
    exact = public_complaint_summary(mix * 2, CAL, RULES, TODAY, threshold=2)
    answers = {r[0]: r[1:] for r in exact.answers.rows}
    assert answers["Written determination"] == (4, 2, 2, 2, 10)
    assert answers["Appeal decision"] == (0, 0, 2, 0, 2)
    assert exact.by_law.rows == ((COUNTED_BY_LAW_LABEL, 10),)
    outcomes = {r[0]: r[1:] for r in exact.outcomes.rows}
    assert outcomes["All complaints"] == (2, 4, 0, 4, 10)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(list(Category)), st.sampled_from(list(Channel)),
                          st.integers(min_value=0, max_value=4)), max_size=40),
       st.integers(min_value=2, max_value=12))
def test_public_summary_never_leaks(rows: list[tuple[Category, Channel, int]],
                                    threshold: int) -> None:
    """Whatever the mix, nothing under the threshold shows (``assert_safe`` proves the rest)."""
    base = _timeliness_mix()
    complaints = [replace(base[pick], id=i + 10, category=cat, channel=channel)
                  for i, (cat, channel, pick) in enumerate(rows)]
    summary = public_complaint_summary(complaints, CAL, RULES, TODAY, threshold=threshold)
    for table in (summary.outcomes, summary.channels, summary.answers, summary.filing,
                  summary.by_law):
        for row in table.rows:
            assert not [v for v in row[1:] if isinstance(v, int) and 0 < v < threshold]


STEP_DATES = st.lists(st.integers(min_value=0, max_value=20), min_size=5, max_size=5)


@settings(max_examples=50, deadline=None)
@given(STEP_DATES)
def test_history_dates_never_go_backwards(offsets: list[int]) -> None:
    """Whatever dates are tried, an accepted workflow's history is in date order."""
    c = intake()
    day = c.received_on
    steps = [
        lambda c, d: start_investigation(c, d, "p", "Pat", None, D(2026, 12, 31)),
        lambda c, d: issue_determination(c, d, "p", Finding.INCONCLUSIVE, "s", D(2026, 12, 31)),
        lambda c, d: record_appeal(c, d, "p", "complainant", D(2026, 12, 31)),
        lambda c, d: decide_appeal(c, d, "p", Finding.INCONCLUSIVE, "s", D(2026, 12, 31)),
        lambda c, d: close_complaint(c, d, "p", "", D(2026, 12, 31)),
    ]
    for step, offset in zip(steps, offsets, strict=True):
        day = day + dt.timedelta(days=offset - 5)
        try:
            c = step(c, day)
        except ValidationError:
            assert day < c.last_step_date
            break
    dates = [h.on for h in c.history]
    assert dates == sorted(dates)
