"""The agreement checklist rules: statuses, the live items, progress, reminders, attachments."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest

from sro_desk.domain.agreements import (
    Agreement,
    AgreementFacts,
    ChecklistEntry,
    ItemRule,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReminderKind,
    ReviewMeeting,
    StaffTrainingGap,
    assess_agreement,
    default_first_day,
    entry_problems,
    judged_on,
    load_checklist_catalog,
    missing_review_groups,
    needs_attention,
    next_school_year,
    parse_school_year,
    validate_agreement,
    validate_entry,
    validate_meeting,
    worked_during,
)
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import Role, StaffMember, StaffStatus

CATALOG_PATH = Path(__file__).resolve().parents[2] / "resources" / "catalogs" / "agreement_checklist.json"
D = dt.date


@pytest.fixture(scope="module")
def catalog():
    return load_checklist_catalog(json.loads(CATALOG_PATH.read_text(encoding="utf-8")))


def _agreement(**changes) -> Agreement:
    base = dict(
        school_year="2025-26", provider_id=1, provider_name="Cascade Police Department",
        title="SRO agreement 2025-26", effective_on=D(2025, 9, 1), expires_on=D(2026, 8, 31),
        adopted_on=D(2025, 8, 20), id=10,
    )
    base.update(changes)
    return Agreement(**base)


CHECKED_ON = D(2025, 8, 15)


def _all_met(catalog, who="Dana Reyes", on=CHECKED_ON):
    return [ChecklistEntry(d.key, ItemStatus.MET, checked_by=who, checked_on=on) for d in catalog]


def _meeting(groups, **changes) -> ReviewMeeting:
    base = dict(school_year="2025-26", held_on=D(2025, 6, 10), kind=MeetingKind.LISTENING_SESSION,
                participants=tuple((g, 4) for g in groups))
    base.update(changes)
    return ReviewMeeting(**base)


ALL_THREE = (ParticipantGroup.PARENTS, ParticipantGroup.STUDENTS, ParticipantGroup.COMMUNITY)


# ------------------------------------------------------------------ catalog


def test_catalog_covers_every_required_item_with_citations(catalog):
    keys = [d.key for d in catalog]
    assert len(keys) == len(set(keys)) >= 12
    for required in (
        "duties_no_formal_discipline", "informal_versus_enforcement", "request_to_intervene",
        "positive_climate", "complaint_process", "hiring_and_placement", "performance_evaluation",
        "training_documentation", "immigration_enforcement_limits", "annual_data_collection",
        "review_involved_community", "adopted_this_year",
    ):
        assert required in keys
    cited = " ".join(c for d in catalog for c in d.citations)
    for law in ("RCW 28A.320.1242", "RCW 28A.320.124(1)", "RCW 10.93.160", "RCW 28A.320.1241"):
        assert law in cited
    rules = {d.key: d.rule for d in catalog}
    assert rules["training_documentation"] is ItemRule.TRAINING
    assert rules["review_involved_community"] is ItemRule.REVIEW_GROUPS
    assert rules["adopted_this_year"] is ItemRule.ADOPTED
    assert [d.order for d in catalog] == list(range(1, len(catalog) + 1))


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({}, "no 'items' list"),
        ({"items": []}, "lists no items"),
        ({"items": [{"key": "Bad Key", "title": "x", "citations": ["RCW 1"]}]}, "valid 'key'"),
        ({"items": [{"key": "a", "title": "", "citations": ["RCW 1"]}]}, "no title"),
        ({"items": [{"key": "a", "title": "A", "citations": []}]}, "at least one citation"),
        ({"items": [{"key": "a", "title": "A", "citations": ["x"], "rule": "magic"}]},
         "unknown rule 'magic'"),
        ({"items": [{"key": "a", "title": "A", "citations": ["x"]},
                    {"key": "a", "title": "A", "citations": ["x"]}]}, "appears twice"),
    ],
)
def test_bad_catalog_is_refused_in_words(data, fragment):
    with pytest.raises(ValidationError) as err:
        load_checklist_catalog(data)
    assert fragment in str(err.value)


# ------------------------------------------------------------------ school years


def test_school_year_labels():
    assert parse_school_year("2025-26") == 2025
    assert parse_school_year("2025-2026") == 2025
    assert parse_school_year("1999-00") == 1999
    assert next_school_year("2025-26") == "2026-27"
    assert next_school_year("2099-00") == "2100-01"
    assert default_first_day("2026-27") == D(2026, 9, 1)
    for bad in ("2025", "2025-27", "2025-2027", "next year", ""):
        with pytest.raises(ValidationError, match="school year"):
            parse_school_year(bad)


# ------------------------------------------------------------------ entries


def test_not_applicable_without_reason_is_refused():
    entry = ChecklistEntry("positive_climate", ItemStatus.NOT_APPLICABLE, checked_by="Dana",
                           checked_on=D(2025, 8, 1), not_applicable_reason="   ")
    with pytest.raises(ValidationError) as err:
        validate_entry(entry)
    assert err.value.problems == ["'Not applicable' needs a reason: say why this item does not apply."]


def test_met_needs_who_checked_and_when_and_not_in_future():
    with pytest.raises(ValidationError) as err:
        validate_entry(ChecklistEntry("positive_climate", ItemStatus.MET))
    assert len(err.value.problems) == 2
    assert "who checked" in err.value.problems[0]
    with pytest.raises(ValidationError, match="in the future"):
        validate_entry(
            ChecklistEntry("positive_climate", ItemStatus.MET, checked_by="D", checked_on=D(2027, 1, 1)),
            today=D(2026, 11, 26),
        )


def test_valid_entry_is_trimmed_and_reason_dropped_unless_not_applicable():
    entry = validate_entry(ChecklistEntry(
        "positive_climate", ItemStatus.IN_PROGRESS, not_applicable_reason="stale",
        section="  §4.2 ", evidence=" draft p. 3 ",
    ))
    assert (entry.section, entry.evidence, entry.not_applicable_reason) == ("§4.2", "draft p. 3", "")
    na = validate_entry(ChecklistEntry("positive_climate", ItemStatus.NOT_APPLICABLE,
                                       not_applicable_reason=" no staff on site ",
                                       checked_by="D", checked_on=D(2025, 1, 1)))
    assert na.not_applicable_reason == "no staff on site"


# ------------------------------------------------------------------ agreements


def test_dates_out_of_order_are_refused_in_words():
    with pytest.raises(ValidationError) as err:
        validate_agreement(_agreement(effective_on=D(2025, 9, 1), expires_on=D(2025, 8, 31),
                                      adopted_on=D(2025, 9, 2)))
    text = str(err.value)
    assert "expiry date (31 August 2025) is before the effective date (1 September 2025)" in text
    assert "adoption date (2 September 2025) is after the expiry date" in text


def test_agreement_needs_title_provider_and_real_year():
    with pytest.raises(ValidationError) as err:
        validate_agreement(_agreement(title=" ", provider_id=0, school_year="2025"))
    assert len(err.value.problems) == 3


def test_agreement_without_adoption_is_a_draft():
    assert _agreement(adopted_on=None).state == "Draft"
    assert _agreement().state == "Adopted"


# ------------------------------------------------------------------ assessment


def test_everything_met_is_complete(catalog):
    result = assess_agreement(_agreement(), catalog, _all_met(catalog),
                              AgreementFacts(meetings=(_meeting(ALL_THREE),)))
    assert result.progress.met == result.progress.required == len(catalog)
    assert result.progress.complete
    assert result.progress.text == f"{len(catalog)} of {len(catalog)} met"
    assert result.flags == ()


def test_missing_entries_count_as_not_started(catalog):
    result = assess_agreement(_agreement(), catalog, [], AgreementFacts())
    assert result.progress.met == 0 and result.progress.required == len(catalog)
    assert {i.entry.status for i in result.items} == {ItemStatus.NOT_STARTED}


def test_training_item_is_not_met_by_hand_when_staff_lack_documentation(catalog):
    gaps = (StaffTrainingGap(7, "Sam Ortiz", ("no ESD documentation",)),
            StaffTrainingGap(8, "Lee Park"))
    result = assess_agreement(_agreement(), catalog, _all_met(catalog),
                              AgreementFacts(training_gaps=gaps, meetings=(_meeting(ALL_THREE),)))
    item = next(i for i in result.items if i.definition.key == "training_documentation")
    assert not item.counts_as_met
    assert item.shown_status == "Met (not confirmed)"
    assert "2 staff members from Cascade Police Department lack ESD training" in item.flags[0]
    assert "Sam Ortiz, Lee Park" in item.flags[0]
    assert result.progress.met == len(catalog) - 1
    assert not result.progress.complete


def test_training_gap_flags_item_even_when_not_ticked(catalog):
    entries = [e for e in _all_met(catalog) if e.item_key != "training_documentation"]
    facts = AgreementFacts(training_gaps=(StaffTrainingGap(7, "Sam Ortiz"),))
    item = next(i for i in assess_agreement(_agreement(), catalog, entries, facts).items
                if i.definition.key == "training_documentation")
    assert item.flags == ("1 staff member from Cascade Police Department lacks ESD training "
                          "documentation or a plan to complete the series: Sam Ortiz",)
    assert item.shown_status == "Not started"


@pytest.mark.parametrize(
    ("groups", "met", "flag"),
    [
        (ALL_THREE, True, None),
        ((ParticipantGroup.PARENTS, ParticipantGroup.STUDENTS), False, "community members"),
        ((ParticipantGroup.STAFF, ParticipantGroup.AGENCY), False,
         "parents, students, community members"),
    ],
)
def test_review_item_needs_all_three_groups(catalog, groups, met, flag):
    result = assess_agreement(_agreement(), catalog, _all_met(catalog),
                              AgreementFacts(meetings=(_meeting(groups),)))
    item = next(i for i in result.items if i.definition.key == "review_involved_community")
    assert item.counts_as_met is met
    if flag:
        assert flag in item.flags[0]


def test_review_groups_can_be_spread_over_several_meetings(catalog):
    meetings = (
        _meeting((ParticipantGroup.PARENTS,)),
        _meeting((ParticipantGroup.STUDENTS, ParticipantGroup.STAFF), kind=MeetingKind.COMMITTEE),
        _meeting((ParticipantGroup.COMMUNITY,), kind=MeetingKind.BOARD_MEETING, agreement_id=10),
    )
    assert missing_review_groups(meetings) == []
    result = assess_agreement(_agreement(), catalog, _all_met(catalog), AgreementFacts(meetings=meetings))
    assert result.progress.complete
    assert len(result.meetings) == 3


def test_meetings_of_other_years_or_other_agreements_do_not_count(catalog):
    meetings = (
        _meeting(ALL_THREE, school_year="2024-25", held_on=D(2024, 6, 1)),
        _meeting(ALL_THREE, agreement_id=99),
    )
    result = assess_agreement(_agreement(), catalog, _all_met(catalog), AgreementFacts(meetings=meetings))
    item = next(i for i in result.items if i.definition.key == "review_involved_community")
    assert not item.counts_as_met
    assert item.flags == ("No review meeting is recorded for this agreement's school year.",)


def test_adopted_item_needs_the_board_date(catalog):
    result = assess_agreement(_agreement(adopted_on=None), catalog, _all_met(catalog),
                              AgreementFacts(meetings=(_meeting(ALL_THREE),)))
    item = next(i for i in result.items if i.definition.key == "adopted_this_year")
    assert not item.counts_as_met and item.flags == ("No board adoption date is recorded.",)


def test_a_stored_not_applicable_on_a_statutory_item_keeps_it_required(catalog):
    """The audit's case: the complaint process, RCW 28A.320.124(1)(d) through
    28A.320.1242(1)(a)(i), marked not applicable must not let the agreement read "11 of 11 met"."""
    entries = _all_met(catalog)
    entries = [
        ChecklistEntry(e.item_key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="district staff only",
                       checked_by="D", checked_on=D(2025, 8, 1))
        if e.item_key in ("complaint_process", "immigration_enforcement_limits") else e
        for e in entries
    ]
    result = assess_agreement(_agreement(), catalog, entries, AgreementFacts(meetings=(_meeting(ALL_THREE),)))
    assert result.progress.required == len(catalog) - 1  # only the district item leaves the count
    assert not result.progress.complete
    assert result.progress.text == f"{len(catalog) - 2} of {len(catalog) - 1} met"
    complaint = next(i for i in result.items if i.definition.key == "complaint_process")
    immigration = next(i for i in result.items if i.definition.key == "immigration_enforcement_limits")
    assert complaint.required and not complaint.counts_as_met
    assert complaint.shown_status == "Not applicable (not accepted)"
    assert complaint.flags and "asks it of every agreement" in complaint.flags[0]
    assert immigration.flags == () and not immigration.required  # a district-policy item


LIVE_ITEMS = ("training_documentation", "review_involved_community", "adopted_this_year")


@pytest.mark.parametrize("key", LIVE_ITEMS)
def test_an_item_judged_live_cannot_be_marked_not_applicable(catalog, key):
    """The law asks these of every agreement and the app checks them from its records; a
    "not applicable" would switch the check off and let the agreement read complete."""
    definition = next(d for d in catalog if d.key == key)
    entry = ChecklistEntry(key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="no guards",
                           checked_by="D", checked_on=D(2025, 8, 1))
    problems = entry_problems(entry, D(2025, 8, 2), definition)
    assert len(problems) == 1
    assert problems[0].startswith(f"“{definition.title}” cannot be marked not applicable: ")
    assert definition.citations[0] in problems[0]
    with pytest.raises(ValidationError):
        validate_entry(entry, D(2025, 8, 2), definition)
    # Only a district item may be marked not applicable with a reason.
    manual = next(d for d in catalog if d.key == "immigration_enforcement_limits")
    assert entry_problems(replace(entry, item_key=manual.key), D(2025, 8, 2), manual) == []


STATUTORY_MANUAL = ("duties_no_formal_discipline", "informal_versus_enforcement",
                    "request_to_intervene", "positive_climate", "complaint_process",
                    "hiring_and_placement", "performance_evaluation", "annual_data_collection")


@pytest.mark.parametrize("key", STATUTORY_MANUAL)
def test_no_statutory_item_can_be_marked_not_applicable(catalog, key):
    """RCW 28A.320.1242 and RCW 28A.320.124(1) say what the agreement "must" contain: none of it
    can be not applicable, with or without a reason."""
    definition = next(d for d in catalog if d.key == key)
    assert definition.statutory
    entry = ChecklistEntry(key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="guards only",
                           checked_by="D", checked_on=D(2025, 8, 1))
    problems = entry_problems(entry, D(2025, 8, 2), definition)
    assert len(problems) == 1 and "cannot be marked not applicable" in problems[0]
    assert definition.citations[0] in problems[0]


def test_the_seed_role_and_off_premises_items_are_district_defaults(catalog):
    """Sequim, Index and Port Townsend: the SRO's role as educator, informal counselor and law
    enforcer; law enforcement activity "should take place at a location other than school
    premises". District defaults: in every new checklist, and not applicable with a reason."""
    by_key = {d.key: d for d in catalog}
    role = by_key["sro_role_three_parts"]
    off = by_key["law_enforcement_off_premises"]
    assert "educator, informal counselor, and law enforcer" in role.description
    assert "at a location other than school premises" in off.description
    for d in (role, off):
        assert not d.statutory and any("Seed" in c for c in d.citations)
        entry = ChecklistEntry(d.key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="x",
                               checked_by="D", checked_on=D(2025, 8, 1))
        assert entry_problems(entry, D(2025, 8, 2), d) == []


def test_a_stored_not_applicable_does_not_switch_off_the_live_rules(catalog):
    """Entries marked "not applicable" before the refusal (or written outside the app) stay
    required: the training gap and the missing review groups still flag and block completion."""
    entries = [
        ChecklistEntry(e.item_key, ItemStatus.NOT_APPLICABLE, not_applicable_reason="n/a",
                       checked_by="D", checked_on=D(2025, 8, 1))
        if e.item_key in ("training_documentation", "review_involved_community") else e
        for e in _all_met(catalog)
    ]
    gap = StaffTrainingGap(7, "Luis Ortega", ("series overdue",))
    result = assess_agreement(_agreement(), catalog, entries,
                              AgreementFacts(training_gaps=(gap,), meetings=(),
                                             training_as_of=D(2026, 6, 17)))
    assert result.progress.required == len(catalog)
    assert not result.progress.complete and result.progress.met == len(catalog) - 2
    training = next(i for i in result.items if i.definition.key == "training_documentation")
    review = next(i for i in result.items if i.definition.key == "review_involved_community")
    for item in (training, review):
        assert item.required and not item.counts_as_met
        assert item.shown_status == "Not applicable (not accepted)"
        assert item.flags[0] == ("Marked not applicable, but RCW 28A.320.1242 asks it of every "
                                 "agreement: it still counts as required; record whether it is met.")
    assert training.flags[1] == (
        "1 staff member from Cascade Police Department lacks ESD training documentation or a "
        "plan to complete the series as of 17 June 2026: Luis Ortega")
    assert review.flags[1] == "No review meeting is recorded for this agreement's school year."
    # With the facts in order the item still does not count: "not applicable" is not "met".
    clean = assess_agreement(_agreement(), catalog, entries,
                             AgreementFacts(meetings=(_meeting(ALL_THREE),)))
    assert not clean.progress.complete


def _member(**changes) -> StaffMember:
    base = dict(id=1, first_name="Ana", last_name="Ruiz", role=Role.SRO, commissioned=True,
                provider_id=1, status=StaffStatus.ACTIVE)
    base.update(changes)
    return StaffMember(**base)


YEAR_2025 = (D(2025, 9, 3), D(2026, 6, 17))


@pytest.mark.parametrize(("changes", "today", "expected"), [
    ({"assignment_start": D(2025, 8, 27)}, D(2026, 11, 26), True),
    ({"first_day_with_students": D(2026, 4, 10)}, D(2026, 11, 26), True),  # joined mid-year
    ({"assignment_start": D(2026, 9, 5)}, D(2026, 11, 26), False),  # started the next year
    ({"assignment_start": D(2024, 9, 1), "assignment_end": D(2025, 6, 1)}, D(2026, 11, 26),
     False),  # left before the year
    ({"assignment_start": D(2024, 9, 1), "assignment_end": D(2025, 10, 1),
      "status": StaffStatus.INACTIVE}, D(2026, 11, 26), True),  # left during it
    ({"status": StaffStatus.INACTIVE}, D(2026, 1, 5), False),  # inactive, no dates
    ({"status": StaffStatus.PENDING}, D(2026, 11, 26), False),  # no dates: not in a past year
    ({"status": StaffStatus.PENDING}, D(2026, 1, 5), True),  # ... but in the current one
])
def test_who_worked_during_a_school_year(changes, today, expected):
    assert worked_during(_member(**changes), *YEAR_2025, today) is expected


def test_a_person_who_left_is_judged_on_their_last_day():
    assert judged_on(_member(assignment_end=D(2025, 10, 1)), D(2026, 6, 17)) == D(2025, 10, 1)
    assert judged_on(_member(assignment_end=D(2026, 10, 1)), D(2026, 6, 17)) == D(2026, 6, 17)
    assert judged_on(_member(), D(2026, 6, 17)) == D(2026, 6, 17)


# ------------------------------------------------------------------ meetings


def test_meeting_validation():
    with pytest.raises(ValidationError) as err:
        validate_meeting(_meeting((), held_on=D(2030, 1, 1)))
    assert len(err.value.problems) == 2
    with pytest.raises(ValidationError, match="cannot be negative"):
        validate_meeting(_meeting((), participants=((ParticipantGroup.PARENTS, -1),
                                                    (ParticipantGroup.STUDENTS, 2))))
    ok = validate_meeting(_meeting((), participants=((ParticipantGroup.STUDENTS, 3),
                                                     (ParticipantGroup.AGENCY, 0),
                                                     (ParticipantGroup.PARENTS, 5))))
    assert ok.participants == ((ParticipantGroup.PARENTS, 5), (ParticipantGroup.STUDENTS, 3))
    assert ok.participant_text == "Parents: 5, Students: 3"


# ------------------------------------------------------------------ reminders


def test_not_adopted_by_the_first_day_needs_attention():
    draft = _agreement(school_year="2026-27", adopted_on=None, effective_on=D(2026, 9, 1),
                       expires_on=D(2027, 8, 31))
    reminders = needs_attention([draft], D(2026, 11, 26), {"2026-27": D(2026, 8, 27)})
    assert [r.kind for r in reminders] == [ReminderKind.NOT_ADOPTED_BY_FIRST_DAY]
    assert "school began on 27 August 2026" in reminders[0].message


def test_adoption_due_shows_before_the_first_day_and_not_earlier():
    draft = _agreement(school_year="2026-27", adopted_on=None, effective_on=None, expires_on=None)
    soon = needs_attention([draft], D(2026, 8, 1), {"2026-27": D(2026, 8, 27)})
    assert [r.kind for r in soon] == [ReminderKind.ADOPTION_DUE]
    assert "(in 26 days)" in soon[0].message
    assert needs_attention([draft], D(2026, 5, 1), {"2026-27": D(2026, 8, 27)}) == []


def test_adopted_on_time_needs_no_attention():
    assert needs_attention([_agreement()], D(2025, 11, 1)) == []


@pytest.mark.parametrize(("today", "expected"), [
    (D(2026, 7, 1), []),                         # 61 days left
    (D(2026, 7, 2), [ReminderKind.EXPIRING]),    # 60 days left
    (D(2026, 8, 31), [ReminderKind.EXPIRING]),   # expires today
    (D(2026, 9, 1), [ReminderKind.EXPIRED]),
])
def test_expiring_within_60_days(today, expected):
    assert [r.kind for r in needs_attention([_agreement()], today)] == expected


def test_adopted_successor_silences_expiry_but_a_draft_does_not():
    old = _agreement()
    draft = _agreement(id=11, school_year="2026-27", adopted_on=None, effective_on=D(2026, 9, 1),
                       expires_on=D(2027, 8, 31))
    kinds = [r.kind for r in needs_attention([old, draft], D(2026, 8, 1))]
    assert ReminderKind.EXPIRING in kinds and ReminderKind.ADOPTION_DUE in kinds
    adopted = _agreement(id=11, school_year="2026-27", adopted_on=D(2026, 7, 15),
                         effective_on=D(2026, 9, 1), expires_on=D(2027, 8, 31))
    assert needs_attention([old, adopted], D(2026, 8, 1)) == []


def test_old_expired_agreements_do_not_nag_once_a_later_year_exists():
    older = _agreement(id=1, school_year="2024-25", expires_on=D(2025, 8, 31), adopted_on=D(2024, 8, 1),
                       effective_on=D(2024, 9, 1))
    current = _agreement(id=2)
    assert needs_attention([older, current], D(2025, 11, 1)) == []


def test_a_supplying_provider_without_an_agreement_for_the_year_needs_attention():
    current = _agreement(school_year="2026-27", effective_on=D(2026, 9, 1), expires_on=D(2027, 8, 31),
                         adopted_on=D(2026, 8, 19))
    reminders = needs_attention(
        [current], D(2026, 11, 26), {"2026-27": D(2026, 9, 2)}, current_year="2026-27",
        supplying=[(1, "Cascade Police Department"), (2, "Harbor County Sheriff's Office")],
    )
    assert [(r.kind, r.provider_name, r.agreement) for r in reminders] == [
        (ReminderKind.NO_AGREEMENT, "Harbor County Sheriff's Office", None)
    ]
    assert reminders[0].message == (
        "Harbor County Sheriff's Office supplies staff but has no agreement for 2026-27."
    )


def test_adoption_after_the_first_day_counts_but_is_flagged(catalog):
    late = _agreement(adopted_on=D(2025, 9, 15))
    result = assess_agreement(late, catalog, _all_met(catalog),
                              AgreementFacts(meetings=(_meeting(ALL_THREE),), first_day=D(2025, 9, 3)))
    item = next(i for i in result.items if i.definition.key == "adopted_this_year")
    assert item.counts_as_met
    assert item.flags == ("Adopted on 15 September 2025, after the first day of school "
                          "(3 September 2025).",)
    on_time = assess_agreement(_agreement(), catalog, _all_met(catalog),
                               AgreementFacts(meetings=(_meeting(ALL_THREE),), first_day=D(2025, 9, 3)))
    assert on_time.flags == ()
