"""Supervision meeting cadence gaps and prevention activity counts, on hand-checked calendars."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.meetings import (
    ActivityKind,
    CadenceRules,
    MeetingKind,
    PreventionActivity,
    SupervisionMeeting,
    activity_problems,
    cadence_gaps,
    count_activities,
    load_cadence_rules,
    meeting_problems,
    staff_cadence,
)
from sro_desk.domain.school_calendar import DayOffKind, build_calendar, expand_range

D = dt.date
F = MeetingKind.FORMAL
I = MeetingKind.INFORMAL  # noqa: E741
RULES = CadenceRules()
# Tue 2 Sep 2025 - Fri 19 Dec 2025 with Thanksgiving break Thu-Fri 27-28 Nov.
CAL = build_calendar("2025-26", D(2025, 9, 2), D(2025, 12, 19),
                     expand_range(D(2025, 11, 27), D(2025, 11, 28), DayOffKind.BREAK,
                                  "Thanksgiving break"))
CATALOG = Path(__file__).parents[2] / "resources" / "catalogs" / "complaint_rules.json"


def meet(on: dt.date, kind: MeetingKind = F, staff: int = 1) -> SupervisionMeeting:
    return SupervisionMeeting(on, kind, "Pat Lee", staff, "Ofc. Reyes", "Cedar MS")


def test_catalog_cadence_defaults() -> None:
    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    assert load_cadence_rules(data["meeting_cadence"]) == CadenceRules(14, 7)
    assert CadenceRules().informal_weekly  # Snohomish: informally, "at a minimum, weekly"
    with pytest.raises(ValidationError, match="whole number"):
        load_cadence_rules({"formal_every_days": 14})
    with pytest.raises(ValidationError, match="1 to 90"):
        load_cadence_rules({"formal_every_days": 0, "informal_every_school_days": 7})


def test_formal_gap_is_found_and_described() -> None:
    # Formal meetings 2 Sep, 16 Sep (on time: due 16 Sep), then 6 Oct (due 30 Sep: a gap).
    meetings = [meet(D(2025, 9, 2)), meet(D(2025, 9, 16)), meet(D(2025, 10, 6))]
    gaps = [g for g in cadence_gaps(meetings, CAL, RULES, D(2025, 10, 10)) if g.kind is F]
    assert len(gaps) == 1
    gap = gaps[0]
    assert (gap.last_met, gap.due_by, gap.next_met) == (D(2025, 9, 16), D(2025, 9, 30),
                                                        D(2025, 10, 6))
    assert gap.describe() == ("Formal meeting after the meeting on 16 September 2025 was due "
                              "by 30 September 2025 (every 14 days); next met 6 October 2025.")


def test_ongoing_gap_when_no_meeting_since() -> None:
    gaps = cadence_gaps([meet(D(2025, 9, 2))], CAL, RULES, D(2025, 9, 17))
    formal = [g for g in gaps if g.kind is F]
    assert len(formal) == 1 and formal[0].ongoing and formal[0].due_by == D(2025, 9, 16)
    assert formal[0].describe().endswith("none since.")
    assert [g for g in cadence_gaps([meet(D(2025, 9, 2))], CAL, RULES, D(2025, 9, 16))
            if g.kind is F] == []


def test_formal_due_date_on_a_break_moves_to_next_school_day() -> None:
    # Met Fri 14 Nov; 14 days later is Fri 28 Nov (Thanksgiving break) -> due Mon 1 Dec.
    meetings = [meet(D(2025, 9, 2) + dt.timedelta(days=14 * k)) for k in range(6)]
    assert meetings[-1].on == D(2025, 11, 11)
    meetings.append(meet(D(2025, 11, 14)))
    on_time = [*meetings, meet(D(2025, 12, 1))]
    assert [g for g in cadence_gaps(on_time, CAL, RULES, D(2025, 12, 5)) if g.kind is F] == []
    late = [*meetings, meet(D(2025, 12, 2))]
    gaps = [g for g in cadence_gaps(late, CAL, RULES, D(2025, 12, 5)) if g.kind is F]
    assert [(g.last_met, g.due_by, g.next_met) for g in gaps] == [
        (D(2025, 11, 14), D(2025, 12, 1), D(2025, 12, 2))]


def test_informal_contact_weekly_counts_calendar_weeks_with_a_school_day() -> None:
    """Snohomish SRO Procedures: principals meet the SRO informally "at a minimum, weekly".
    Every Monday-to-Sunday week holding a school day needs contact; missed weeks by date."""
    # Only contact Thu 11 Sep: the week of Mon 1 Sep (school 2-5 Sep) is missed.
    gaps = cadence_gaps([meet(D(2025, 9, 11), I)], CAL, RULES, D(2025, 9, 15))
    assert [(g.kind, g.week_of, g.due_by) for g in gaps] == [(I, D(2025, 9, 1), D(2025, 9, 5))]
    assert gaps[0].describe() == (
        "No informal contact in the week of 1 September 2025 (at least weekly (Snohomish SRO "
        "Procedures)); none before it this year; next met 11 September 2025.")
    # A formal meeting is contact too; the week under way (through Fri 12 Sep) is not judged yet.
    assert cadence_gaps([meet(D(2025, 9, 4), F)], CAL, RULES, D(2025, 9, 12)) == []
    # The audit's case: contact Fri 5 Sep, next Mon 15 Sep. Seven school days had not passed,
    # but the week of 8 Sep had no contact at all: it is missed.
    gaps = [g for g in cadence_gaps([meet(D(2025, 9, 5), I), meet(D(2025, 9, 15), I)], CAL,
                                    RULES, D(2025, 9, 16)) if g.kind is I]
    assert [(g.week_of, g.last_met, g.next_met) for g in gaps] == [
        (D(2025, 9, 8), D(2025, 9, 5), D(2025, 9, 15))]
    # Thanksgiving week still has school (24-26 Nov): contact on 24 Nov covers it; the week of
    # 1 Dec with no contact is missed, named by its Monday.
    cadence = [meet(D(2025, 9, 2) + dt.timedelta(days=7 * k), I) for k in range(12)]
    assert cadence[-1].on == D(2025, 11, 18)
    weekly = [*cadence, meet(D(2025, 11, 24), I), meet(D(2025, 12, 8), I)]
    informal = [g for g in cadence_gaps(weekly, CAL, RULES, D(2025, 12, 9)) if g.kind is I]
    assert [(g.week_of, g.last_met, g.due_by, g.next_met) for g in informal] == [
        (D(2025, 12, 1), D(2025, 11, 24), D(2025, 12, 5), D(2025, 12, 8))]


def test_a_week_with_no_school_day_asks_for_no_contact() -> None:
    # 2025-26 winter: a calendar whose whole week of 22 Dec is a break.
    cal = build_calendar("2025-26", D(2025, 9, 2), D(2026, 1, 16),
                         expand_range(D(2025, 12, 22), D(2026, 1, 2), DayOffKind.BREAK,
                                      "Winter break"))
    weekly = [meet(D(2025, 9, 2) + dt.timedelta(days=7 * k), I) for k in range(16)]
    assert weekly[-1].on == D(2025, 12, 16)
    informal = [g for g in cadence_gaps([*weekly, meet(D(2026, 1, 5), I)], cal, RULES,
                                        D(2026, 1, 6)) if g.kind is I]
    assert informal == []  # 22 Dec - 2 Jan: no school day, no contact asked


def test_informal_cadence_by_school_days_when_the_district_sets_it() -> None:
    RULES = CadenceRules(14, 7, informal_weekly=False)
    # First informal contact due by the 7th school day: 2,3,4,5,8,9,10 Sep -> 10 Sep.
    gaps = cadence_gaps([meet(D(2025, 9, 11), I)], CAL, RULES, D(2025, 9, 12))
    assert [(g.kind, g.due_by) for g in gaps] == [(I, D(2025, 9, 10))]
    # A formal meeting on 10 Sep satisfies the informal cadence too.
    gaps = cadence_gaps([meet(D(2025, 9, 10), F)], CAL, RULES, D(2025, 9, 12))
    assert gaps == []
    # Across Thanksgiving: met Mon 24 Nov; 25,26 (2), break, 1-5 Dec (7) -> due Fri 5 Dec.
    cadence = [meet(D(2025, 9, 2) + dt.timedelta(days=7 * k), I) for k in range(12)]
    assert cadence[-1].on == D(2025, 11, 18)
    with_24 = [*cadence, meet(D(2025, 11, 24), I), meet(D(2025, 12, 5), I)]
    informal = [g for g in cadence_gaps(with_24, CAL, RULES, D(2025, 12, 8)) if g.kind is I]
    assert informal == []
    late = [*cadence, meet(D(2025, 11, 24), I), meet(D(2025, 12, 8), I)]
    informal = [g for g in cadence_gaps(late, CAL, RULES, D(2025, 12, 9)) if g.kind is I]
    assert [(g.last_met, g.due_by, g.next_met) for g in informal] == [
        (D(2025, 11, 24), D(2025, 12, 5), D(2025, 12, 8))]


def test_staff_cadence_filters_by_staff_and_counts() -> None:
    meetings = [meet(D(2025, 9, 2)), meet(D(2025, 9, 3), I), meet(D(2025, 9, 4), F, staff=2)]
    record = staff_cadence(1, "Ofc. Reyes", "Cedar MS", meetings, CAL, RULES, D(2025, 9, 12))
    assert (record.formal_count, record.informal_count) == (1, 1)
    assert record.on_cadence
    record = staff_cadence(1, "Ofc. Reyes", "Cedar MS", meetings, CAL, RULES, D(2025, 12, 19))
    assert not record.on_cadence


def test_start_mid_year_for_a_new_staff_member() -> None:
    gaps = cadence_gaps([], CAL, RULES, D(2025, 11, 14), start=D(2025, 11, 3))
    assert [(g.kind, g.week_of, g.due_by) for g in gaps] == [(I, D(2025, 11, 3), D(2025, 11, 7))]
    by_days = cadence_gaps([], CAL, CadenceRules(informal_weekly=False), D(2025, 11, 14),
                           start=D(2025, 11, 3))
    assert [(g.kind, g.due_by) for g in by_days] == [(I, D(2025, 11, 11))]


def test_meeting_and_activity_validation() -> None:
    bad = SupervisionMeeting(D(2026, 1, 1), F, " ", 1, "x", "", notes="Asked about place of birth")
    problems = meeting_problems(bad, D(2025, 12, 1))
    assert problems[:3] == ["The meeting date 1 January 2026 is in the future.",
                            "Name the principal (or designee) who met.",
                            "Choose the building."]
    assert "RCW 10.93.160" in problems[3]
    act = PreventionActivity(D(2025, 10, 1), "", ActivityKind.MENTORING, -1)
    assert activity_problems(act, D(2025, 12, 1)) == [
        "Choose the building.", "The number of participants cannot be negative."]


def test_activity_counts_include_every_kind() -> None:
    acts = [PreventionActivity(D(2025, 10, 1), "Cedar MS", ActivityKind.MENTORING, 3),
            PreventionActivity(D(2025, 10, 2), "Cedar MS", ActivityKind.MENTORING, 1),
            PreventionActivity(D(2026, 10, 2), "Cedar MS", ActivityKind.FAMILY_NIGHT, 40)]
    counts = count_activities(acts, D(2025, 9, 1), D(2026, 8, 31))
    assert counts["Mentoring"] == 2
    assert counts["Family night"] == 0
    assert set(counts) == {k.value for k in ActivityKind}
