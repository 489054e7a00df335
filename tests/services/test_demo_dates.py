"""The demo tells the same story on whatever day it is built (issue 13).

The story is written as of 26 November 2026; a demo built on another day moves every story date
by one whole number of weeks and every school-year label by whole years, while the law's school
holidays stay on their own dates. Each build below is made
once, through ``sro-desk demo``, and checked through the services the tabs use.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from sro_desk.cli import main
from sro_desk.domain.agreements import ReminderKind
from sro_desk.domain.start_of_year import DutyState
from sro_desk.domain.training import TrainingStatus
from sro_desk.services import agreements, complaints
from sro_desk.services.demo import (
    REFERENCE,
    DemoContext,
    StoryShift,
    part_60_complaints,
    story_shift,
)
from sro_desk.services.training import compliance_matrix
from sro_desk.store import (
    agreement_repo,
    calendar_repo,
    call_repo,
    complaint_repo,
    meeting_repo,
    roster_repo,
    training_repo,
)

# build day: (previous school year, current school year, weeks the story moves)
CASES = {
    dt.date(2026, 11, 26): ("2025-26", "2026-27", 0),  # the day the story is written for
    dt.date(2026, 12, 2): ("2025-26", "2026-27", 0),
    dt.date(2027, 7, 15): ("2025-26", "2026-27", 0),  # summer: the year just ended is the latest
    dt.date(2027, 12, 2): ("2026-27", "2027-28", 52),  # a year on
    dt.date(2028, 2, 29): ("2026-27", "2027-28", 52),
    dt.date(2030, 9, 15): ("2028-29", "2029-30", 157),  # autumn, before the anniversary
}
#: The school holidays of RCW 28A.150.050 (RCW 1.16.050's legal holidays) in each current year,
#: on their own dates, not moved with the story: Veterans Day is 11 November (or the weekday the
#: law moves it to), Presidents' Day the third Monday of February, and so on.
HOLIDAYS = {
    "2026-27": [dt.date(2026, 9, 7), dt.date(2026, 11, 11), dt.date(2026, 11, 26),
                dt.date(2026, 11, 27), dt.date(2027, 1, 18), dt.date(2027, 2, 15),
                dt.date(2027, 5, 31)],
    "2027-28": [dt.date(2027, 9, 6), dt.date(2027, 11, 11), dt.date(2027, 11, 25),
                dt.date(2027, 11, 26), dt.date(2028, 1, 17), dt.date(2028, 2, 21),
                dt.date(2028, 5, 29)],
    # 11 November 2029 is a Sunday: the Monday after is the holiday
    "2029-30": [dt.date(2029, 11, 12), dt.date(2029, 11, 22), dt.date(2029, 11, 23),
                dt.date(2030, 1, 21), dt.date(2030, 2, 18), dt.date(2030, 5, 27)],
}
STATUTORY = {"New Year's Day", "Martin Luther King Jr. Day", "Presidents' Day", "Memorial Day",
             "Juneteenth", "Independence Day", "Labor Day", "Veterans Day", "Thanksgiving break",
             "Christmas Day"}
#: Built with the program's clock on that day and no --as-of, as a user would on that day.
CLOCK_BUILT = dt.date(2028, 2, 29)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (REFERENCE, StoryShift(0, 0)),
        (dt.date(2027, 11, 25), StoryShift(0, 0)),  # the day before the anniversary
        (dt.date(2027, 11, 26), StoryShift(1, 52)),  # 52 weeks = 364 days, not past today
        (dt.date(2029, 11, 26), StoryShift(3, 156)),  # 157 weeks would pass today
        (dt.date(2030, 9, 15), StoryShift(3, 157)),
        (dt.date(2026, 3, 1), StoryShift(-1, -52)),  # before the story: moved back
    ],
)
def test_story_shift(today: dt.date, expected: StoryShift) -> None:
    assert story_shift(today) == expected
    assert REFERENCE + dt.timedelta(weeks=expected.weeks) <= today


def test_context_moves_dates_by_weeks_and_labels_by_years() -> None:
    ctx = DemoContext.as_written()
    ctx.shift = StoryShift(1, 52)
    assert ctx.day(2026, 9, 7) == dt.date(2027, 9, 6)  # Labor Day stays a Monday
    assert ctx.label("2026-27") == "2027-28" and ctx.label("2099-00") == "2100-01"
    with pytest.raises(ValueError, match="not a school-year label"):
        ctx.label("2026-28")


def test_demo_as_of_refuses_a_bad_date_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "demo.db"
    assert main(["demo", str(target), "--as-of", "2027-02-30"]) == 2
    said = capsys.readouterr().err
    assert "'2027-02-30' is not a real calendar date; nothing was written" in said
    assert list(tmp_path.iterdir()) == []


def test_a_demo_that_fails_halfway_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sro_desk.services import demo

    def broken(ctx: DemoContext) -> None:
        raise RuntimeError("part failed")

    roster = demo.demo_parts()[0]
    monkeypatch.setattr(demo, "demo_parts", lambda: [roster, ("part_99_broken", broken)])
    with pytest.raises(RuntimeError, match="part failed"):
        demo.build_demo(tmp_path / "demo.db", today=REFERENCE)
    assert list(tmp_path.iterdir()) == []  # no half-built district blocks the next try


@pytest.fixture
def built(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[dt.date]:
    """The demo built through the CLI on the case's day (``--as-of``, or the clock set to it)."""
    from sro_desk.store.database import close_database, open_database

    today: dt.date = request.param
    target = tmp_path / "demo.db"
    if today == CLOCK_BUILT:
        noon = dt.datetime.combine(today, dt.time(12), tzinfo=ZoneInfo("America/Los_Angeles"))
        with time_machine.travel(noon, tick=False):
            assert main(["demo", str(target)]) == 0
    else:
        assert main(["demo", str(target), "--as-of", today.isoformat()]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db", "demo.db.audit-anchor"]
    open_database(target, daily_backup=False)
    yield today
    close_database()


# One test per build day, the build inside: a demo takes seconds, so each is built once.
@pytest.mark.parametrize("built", sorted(CASES), ids=str, indirect=True)
def test_demo_tells_the_same_story(built: dt.date) -> None:
    today = built
    previous, current, weeks = CASES[today]
    years = {y.label: y for y in roster_repo.list_school_years()}
    assert sorted(years) == [previous, current]
    assert years[current].first_day.weekday() == dt.date(2026, 9, 2).weekday()  # a Wednesday
    assert years[current].first_day == dt.date(2026, 9, 2) + dt.timedelta(weeks=weeks)

    _training_mix(today)
    _agreements_need_attention(today, previous, current)
    _complaints_open(today)
    _calendar_moved_whole_weeks(weeks, current)
    _nothing_happens_after(today, years[previous].first_day)


def _training_mix(today: dt.date) -> None:
    rows = compliance_matrix(today).rows
    active = [r for r in rows if r.person.active]
    assert sum(r.clearance.cleared for r in active) >= 3
    due_soon = [r for r in active for c in r.cells
                if c.status is TrainingStatus.DUE and c.days is not None and 0 <= c.days <= 30]
    overdue = [r for r in active for c in r.cells if c.status is TrainingStatus.OVERDUE]
    assert due_soon and overdue
    assert {c.status for r in rows for c in r.cells} == set(TrainingStatus)


def _agreements_need_attention(today: dt.date, previous: str, current: str) -> None:
    kinds = {r.kind for r in agreements.reminders(today)}
    assert {ReminderKind.NOT_ADOPTED_BY_FIRST_DAY, ReminderKind.NO_AGREEMENT} <= kinds
    assert agreements.providers_with_agreement(current) == ["Cedar Valley Police Department"]
    assert len(agreement_repo.list_agreements(previous)) == 2
    police = next(a for a in agreement_repo.list_agreements(current) if not a.is_draft)
    assert police.document_filename == f"cvpd-sro-agreement-{current}-signed.pdf"
    overdue = [b.building_name for b in agreements.start_of_year_overview(current, today)
               if b.state is DutyState.OVERDUE]
    assert overdue == ["Cedar Valley Reengagement Center"]


def _complaints_open(today: dt.date) -> None:
    board = complaints.complaint_board(today=today)
    assert len(board.items) >= 3 and board.overdue >= 1


def _calendar_moved_whole_weeks(weeks: int, current: str) -> None:
    """The district's own days off move by whole weeks; the law's holidays keep their dates."""
    as_written = DemoContext.as_written()
    written = part_60_complaints.calendars(as_written)
    smoke = part_60_complaints.smoke_day(as_written)
    stored = {c.label: c for c in calendar_repo.list_calendars()}
    for label, days in zip(stored, written.values(), strict=True):
        chosen = sorted((d.day, d.reason) for d in stored[label].days_off
                        if d.reason not in STATUTORY)
        expected = [(d.day + dt.timedelta(weeks=weeks), d.reason) for d in days
                    if d.reason not in STATUTORY]
        if label == current:
            expected.append((smoke.day + dt.timedelta(weeks=weeks), smoke.reason))
        assert chosen == sorted(expected)
    holidays = {d.day for d in stored[current].days_off if d.reason in STATUTORY}
    assert set(HOLIDAYS[current]) <= holidays
    named = {d.reason: d.day for c in stored.values() for d in c.days_off}
    assert {named[h].weekday() for h in ("Martin Luther King Jr. Day", "Presidents' Day",
                                         "Memorial Day")} == {0}  # Mondays
    thanksgiving = min(d.day for d in stored[current].days_off if d.reason == "Thanksgiving break")
    assert thanksgiving.weekday() == 3 and 22 <= thanksgiving.day <= 28  # the fourth Thursday


def _nothing_happens_after(today: dt.date, story_start: dt.date) -> None:
    happened: Counter[str] = Counter()

    def seen(kind: str, day: dt.date | None) -> None:
        if day is not None:
            assert day <= today, (kind, day)
            happened[kind] += 1

    off = {d.day for calendar in calendar_repo.list_calendars() for d in calendar.days_off}
    for call in call_repo.list_calls():
        seen("call", call.occurred_on)
        assert call.occurred_on >= story_start
        assert call.occurred_on.weekday() < 5 and call.occurred_on not in off, call.ref
    for complaint in complaint_repo.list_complaints():
        for day in (complaint.received_on, complaint.incident_date, complaint.determination_on,
                    complaint.appeal_received_on, complaint.appeal_decided_on, complaint.closed_on,
                    *(step.on for step in complaint.history)):
            seen("complaint", day)
    for meeting in meeting_repo.list_meetings():
        seen("supervision meeting", meeting.on)
    for activity in meeting_repo.list_activities():
        seen("activity", activity.on)
    for review in agreement_repo.list_meetings():
        seen("review meeting", review.held_on)
    for agreement in agreement_repo.list_agreements():
        seen("adoption", agreement.adopted_on)
    for duties in agreement_repo.list_start_of_year():
        seen("start of year", duties.presented_on)
        seen("start of year", duties.distributed_on)
    for completion in training_repo.list_completions():
        seen("training", completion.completed_on)
        seen("verification", completion.verified_at.date() if completion.verified_at else None)
    assert len(happened) == 9 and min(happened.values()) >= 2 and happened["call"] > 300
