"""Demo: both years' calendars, complaints in every state (one overdue), meetings, activities.

A wildfire-smoke closure is added in September 2026 *after* some complaints arrived, through
the same service a coordinator uses, so the demo shows the recomputed deadlines and the list of
moves. Dates are written as of the demo's reference day (26 November 2026, school years 2025-26
and 2026-27) and moved with ``ctx.day()`` / ``ctx.label()`` to the day the demo is built; steps
are never dated after ``ctx.today``.
"""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.complaints import Category, Channel, Complaint, Finding, InvolvedStaff
from sro_desk.domain.meetings import ActivityKind, MeetingKind, PreventionActivity
from sro_desk.domain.meetings import SupervisionMeeting as Meeting
from sro_desk.domain.roster import Role, StaffMember, StaffStatus
from sro_desk.domain.school_calendar import DayOffKind, NonSchoolDay, SchoolCalendar, expand_range
from sro_desk.services import complaints as svc
from sro_desk.services.demo import DemoContext
from sro_desk.services.demo.part_10_roster import school_years
from sro_desk.store import calendar_repo

D = dt.date
H, B, S, E = DayOffKind.HOLIDAY, DayOffKind.BREAK, DayOffKind.IN_SERVICE, DayOffKind.EMERGENCY


def calendars(ctx: DemoContext) -> dict[str, list[NonSchoolDay]]:
    """Both years' board-adopted calendars, moved to the demo's build day.

    The days the district chose (in-service days, breaks, a snow day) move with the story, by
    whole weeks; the school holidays of the law fall on their own dates in the moved years
    (:func:`school_holidays`), so school is never taught on one. As written (26 November 2026)
    the two agree day for day.
    """
    chosen = {
        ctx.label("2025-26"): [
            NonSchoolDay(ctx.day(2025, 10, 10), S, "Staff in-service day"),
            *expand_range(ctx.day(2025, 12, 22), ctx.day(2026, 1, 2), B, "Winter break"),
            NonSchoolDay(ctx.day(2026, 1, 30), S, "Staff in-service day"),
            NonSchoolDay(ctx.day(2026, 2, 11), E, "Snow day"),
            *expand_range(ctx.day(2026, 4, 6), ctx.day(2026, 4, 10), B, "Spring break"),
        ],
        ctx.label("2026-27"): [
            NonSchoolDay(ctx.day(2026, 10, 9), S, "Staff in-service day"),
            *expand_range(ctx.day(2026, 12, 21), ctx.day(2027, 1, 1), B, "Winter break"),
            *expand_range(ctx.day(2027, 4, 5), ctx.day(2027, 4, 9), B, "Spring break"),
        ],
    }
    years: dict[str, list[NonSchoolDay]] = {}
    for label, first, last in school_years(ctx):
        days = chosen[label]
        taken = {d.day for d in days}
        days += [h for h in school_holidays(first, last) if h.day not in taken]
        years[label] = sorted(days, key=lambda d: d.day)
    return years


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> D:
    """The n-th (1-based; -1 for the last) given weekday (Monday 0) of a month."""
    if n < 0:
        last = D(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = D(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _observed(day: D) -> D:
    """A legal holiday on a Saturday is kept the Friday before, on a Sunday the Monday after
    (RCW 1.16.050)."""
    return day + dt.timedelta(days={5: -1, 6: 1}.get(day.weekday(), 0))


def school_holidays(first: D, last: D) -> list[NonSchoolDay]:
    """Washington's school holidays from ``first`` to ``last``: the state legal holidays of
    RCW 1.16.050(1), on which school may not be taught (RCW 28A.150.050). Thanksgiving and the
    Friday after (Native American Heritage Day) read as the demo's "Thanksgiving break"."""
    days: list[NonSchoolDay] = []
    for year in range(first.year, last.year + 1):
        thanksgiving = _nth_weekday(year, 11, 3, 4)
        days += [
            NonSchoolDay(_observed(D(year, 1, 1)), H, "New Year's Day"),
            NonSchoolDay(_nth_weekday(year, 1, 0, 3), H, "Martin Luther King Jr. Day"),
            NonSchoolDay(_nth_weekday(year, 2, 0, 3), H, "Presidents' Day"),
            NonSchoolDay(_nth_weekday(year, 5, 0, -1), H, "Memorial Day"),
            NonSchoolDay(_observed(D(year, 6, 19)), H, "Juneteenth"),
            NonSchoolDay(_observed(D(year, 7, 4)), H, "Independence Day"),
            NonSchoolDay(_nth_weekday(year, 9, 0, 1), H, "Labor Day"),
            NonSchoolDay(_observed(D(year, 11, 11)), H, "Veterans Day"),
            NonSchoolDay(thanksgiving, B, "Thanksgiving break"),
            NonSchoolDay(thanksgiving + dt.timedelta(days=1), B, "Thanksgiving break"),
            NonSchoolDay(_observed(D(year, 12, 25)), H, "Christmas Day"),
        ]
    return [d for d in days if first <= d.day <= last]


def smoke_day(ctx: DemoContext) -> NonSchoolDay:
    """The closure added after the year began (so the demo shows recomputed deadlines)."""
    return NonSchoolDay(ctx.day(2026, 9, 10), E, "Wildfire smoke closure")


PRINCIPALS = {
    "CVHS": "Principal Andrea Whitman", "HVHS": "Principal Joseph Nakamura",
    "RMS": "Principal Helen Osei", "SCMS": "Principal Tomas Reyes-Lund",
    "AES": "Principal Carla Jennings", "FGES": "Principal Owen Fairweather",
    "MES": "Principal Lucia Brandt", "CVRC": "Director Kwame Addo",
}


def populate(ctx: DemoContext) -> None:
    for label, days in calendars(ctx).items():
        year = ctx.years[label]
        calendar_repo.save_calendar_year(label, year.first_day, year.last_day,
                                         reason="Demo calendar")
        calendar_repo.add_days_off(label, days, reason="Board-adopted calendar")
    _complaints(ctx)
    _meetings(ctx)
    _activities(ctx)


def _sro(ctx: DemoContext, last_name: str) -> StaffMember:
    return next(s for s in ctx.staff if s.last_name == last_name)


def _file(ctx: DemoContext, code: str, received: D, **fields: object) -> int:
    building = ctx.buildings[code]
    staff = fields.pop("staff", ())
    base = Complaint(
        received_on=received, channel=Channel.FORM, category=Category.STUDENT_INTERACTION,
        building=building.name, building_id=building.id, description="", staff=tuple(
            InvolvedStaff(s.id or 0, s.full_name) for s in staff),  # type: ignore[attr-defined]
    )
    from dataclasses import replace

    complaint = svc.file_complaint(replace(base, **fields), today=_today(ctx))  # type: ignore[arg-type]
    assert complaint.id is not None
    return complaint.id


def _today(ctx: DemoContext) -> D:
    return max(ctx.today, ctx.day(2026, 11, 26))


def _complaints(ctx: DemoContext) -> None:
    t = _today(ctx)
    lopez, okafor, raman = _sro(ctx, "Lopez"), _sro(ctx, "Okafor"), _sro(ctx, "Raman")
    sandoval, bell = _sro(ctx, "Sandoval"), _sro(ctx, "Bell")

    # 2025-26: three closed complaints, one after an appeal, one filed late.
    a = _file(ctx, "RMS", ctx.day(2025, 10, 6), staff=(okafor,), incident_date=ctx.day(2025, 10, 2),
              complainant_name="Patricia Gómez", complainant_contact="360-555-0142",
              description="Parent reports the officer questioned her son about a fight without "
                          "an administrator present.")
    svc.start_investigation(a, ctx.day(2025, 10, 7), "Principal Helen Osei", ctx.day(2025, 10, 7),
                            today=t)
    svc.issue_determination(a, ctx.day(2025, 10, 29), Finding.NOT_SUBSTANTIATED,
                            "An assistant principal was present throughout; the officer asked "
                            "only about safety. Practice reminder given.", today=t)
    svc.close_complaint(a, ctx.day(2025, 11, 14), "No appeal received.", today=t)

    b = _file(ctx, "CVHS", ctx.day(2026, 1, 12), staff=(lopez,), category=Category.JOB_DUTIES,
              channel=Channel.EMAIL, incident_date=ctx.day(2026, 1, 8),
              complainant_name="Robert O'Neill <Sr.>", complainant_contact="roneill@example.net",
              description="Officer took part in a suspension meeting (formal discipline).")
    svc.start_investigation(b, ctx.day(2026, 1, 13), "Principal Andrea Whitman",
                            ctx.day(2026, 1, 14), today=t)
    svc.issue_determination(b, ctx.day(2026, 2, 6), Finding.SUBSTANTIATED,
                            "The officer attended a discipline meeting at a teacher's request. "
                            "Procedure 4311 bars SROs from formal discipline; staff retrained.",
                            today=t)
    svc.record_appeal(b, ctx.day(2026, 2, 13), "Cedar Valley Police Department", today=t)
    svc.decide_appeal(b, ctx.day(2026, 3, 20), Finding.SUBSTANTIATED,
                      "The determination is upheld.", today=t)
    svc.close_complaint(b, ctx.day(2026, 3, 23), "Letters sent to both parties.", today=t)

    c = _file(ctx, "SCMS", ctx.day(2026, 3, 2), channel=Channel.TIP_LINE, anonymous=True,
              staff=(sandoval,), category=Category.OTHER, incident_date=ctx.day(2026, 2, 10),
              description="Tip line report: officer's patrol car blocks the bus lane at "
                          "dismissal.")
    svc.start_investigation(c, ctx.day(2026, 3, 3), "Principal Tomas Reyes-Lund", None, today=t)
    svc.issue_determination(c, ctx.day(2026, 3, 27), Finding.INCONCLUSIVE,
                            "Not observed during three checks at dismissal.", today=t)
    svc.close_complaint(c, ctx.day(2026, 4, 13), "", today=t)

    # 2026-27: complaints received before the smoke day, then the closure is added.
    appealed = _file(ctx, "RMS", ctx.day(2026, 9, 3), staff=(okafor,), channel=Channel.PHONE,
                     incident_date=ctx.day(2026, 9, 1), complainant_name="Mai Tran",
                     complainant_contact="360-555-0188", language_assistance=True,
                     language="Vietnamese",
                     description="Officer raised his voice at a student in the cafeteria.")
    decided = _file(ctx, "CVHS", ctx.day(2026, 9, 9), staff=(lopez, bell),
                    channel=Channel.IN_PERSON, incident_date=ctx.day(2026, 9, 8),
                    complainant_name="DeShawn Carter", complainant_contact="360-555-0111",
                    description="Student searched in the parking lot without a reason given.")
    svc.add_closures(ctx.label("2026-27"), [smoke_day(ctx)],
                     reason="Wildfire smoke: schools closed")

    svc.start_investigation(appealed, ctx.day(2026, 9, 4), "Principal Helen Osei",
                            ctx.day(2026, 9, 4), today=t)
    svc.issue_determination(appealed, ctx.day(2026, 10, 1), Finding.NOT_SUBSTANTIATED,
                            "Witnesses describe a firm but calm instruction.", today=t)
    svc.record_appeal(appealed, ctx.day(2026, 10, 26), "the complainant", today=t)

    svc.start_investigation(decided, ctx.day(2026, 9, 9), "Principal Andrea Whitman",
                            ctx.day(2026, 9, 11), today=t)
    svc.issue_determination(decided, ctx.day(2026, 9, 30), Finding.INCONCLUSIVE,
                            "Accounts differ; no camera covers that row.", today=t)
    svc.record_appeal(decided, ctx.day(2026, 10, 5), "the complainant", today=t)
    svc.decide_appeal(decided, ctx.day(2026, 11, 16), Finding.SUBSTANTIATED,
                      "A second witness came forward; the search lacked reasonable suspicion.",
                      today=t)

    determined = _file(ctx, "SCMS", ctx.day(2026, 9, 14), staff=(sandoval,), channel=Channel.AGENCY,
                       category=Category.JOB_DUTIES, incident_date=ctx.day(2026, 9, 11),
                       complainant_name="Harbor County Sheriff's Office (referral)",
                       complainant_contact="sro@hcso.example.org",
                       description="Agency forwarded a parent's complaint about traffic "
                                   "enforcement on campus.")
    svc.start_investigation(determined, ctx.day(2026, 9, 15), "Principal Tomas Reyes-Lund",
                            ctx.day(2026, 9, 14), today=t)
    svc.issue_determination(determined, ctx.day(2026, 10, 2), Finding.NOT_SUBSTANTIATED,
                            "Enforcement took place on the public street.", today=t)

    overdue = _file(ctx, "HVHS", ctx.day(2026, 10, 5), staff=(raman,), channel=Channel.FORM,
                    incident_date=ctx.day(2026, 9, 21), complainant_name="Ana Lucía Torres",
                    complainant_contact="atorres@example.net",
                    description="Officer handcuffed a student with an IEP during a crisis.")
    svc.start_investigation(overdue, ctx.day(2026, 10, 6), "Principal Joseph Nakamura", None,
                            today=t)

    extended = _file(ctx, "CVHS", ctx.day(2026, 10, 12), staff=(lopez,), channel=Channel.EMAIL,
                     incident_date=ctx.day(2026, 10, 9), complainant_name="Gregory Hall",
                     complainant_contact="ghall@example.net",
                     description="Officer shared a student's name with a reporter.")
    svc.start_investigation(extended, ctx.day(2026, 10, 13), "Principal Andrea Whitman",
                            ctx.day(2026, 10, 13), today=t)
    leave_ends, interview = (ctx.day(2026, 11, 30), ctx.day(2026, 12, 1))
    svc.extend_deadline(extended, ctx.day(2026, 11, 4),
                        f"The officer is on approved leave until {leave_ends.day} "
                        f"{leave_ends:%B}; the interview is scheduled for {interview.day} "
                        f"{interview:%B}.", ctx.day(2026, 12, 4), today=t)

    investigating = _file(ctx, "HVHS", ctx.day(2026, 11, 2), channel=Channel.IN_PERSON,
                          staff=(raman,), incident_date=ctx.day(2026, 10, 30),
                          complainant_name="Jordan Ellis", complainant_contact="360-555-0175",
                          description="Student says the officer followed her into the "
                                      "restroom hallway.")
    svc.start_investigation(investigating, ctx.day(2026, 11, 3), "Principal Joseph Nakamura",
                            ctx.day(2026, 11, 3), today=t)

    _file(ctx, "CVHS", ctx.day(2026, 11, 24), channel=Channel.EMAIL, staff=(lopez,),
          incident_date=ctx.day(2026, 11, 20), complainant_name="Rosa Jiménez",
          complainant_contact="rjimenez@example.net", language_assistance=True,
          language="Spanish",
          description="Parent asks why the officer attended a parent-teacher conference.")
    ctx.extras["overdue_complaint"] = overdue


def _school_days(calendar: SchoolCalendar, start: D, end: D) -> list[D]:
    days = []
    day = max(start, calendar.first_day)
    while day <= min(end, calendar.last_day):
        if calendar.is_school_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _meetings(ctx: DemoContext) -> None:
    """Formal about every two weeks, informal about weekly, with a few real lapses."""
    t = _today(ctx)
    lapses = {("HVHS", ctx.day(2026, 10, 13)), ("RMS", ctx.day(2026, 11, 9)),
              ("CVHS", ctx.day(2026, 2, 2))}
    topics = ("Upcoming events and supervision", "Debrief of recent incidents",
              "Restorative practices and referrals", "Threat assessment follow-up",
              "Student climate survey results", "Attendance and reengagement")
    for label in (ctx.label("2025-26"), ctx.label("2026-27")):
        calendar = calendar_repo.calendar_for(label)
        assert calendar is not None
        for member in ctx.staff:
            if member.role is not Role.SRO or member.status is not StaffStatus.ACTIVE:
                continue
            start = member.first_day_with_students or calendar.first_day
            for assignment in member.assignments:
                code = assignment.building_code
                days = _school_days(calendar, start, min(t, calendar.last_day))
                last_formal: D | None = None
                since_contact = 0
                for day in days:
                    since_contact += 1
                    if any(c == code and 0 <= (day - d).days <= 10 for c, d in lapses):
                        continue
                    if last_formal is None or (day - last_formal).days >= 13:
                        kind = MeetingKind.FORMAL
                        last_formal = day
                    elif since_contact >= 4 + ctx.rng.randint(0, 1):
                        kind = MeetingKind.INFORMAL
                    else:
                        continue
                    since_contact = 0
                    svc.log_meeting(Meeting(
                        day, kind, PRINCIPALS[code], member.id or 0, member.full_name,
                        ctx.buildings[code].name, topics=ctx.rng.choice(topics),
                        building_id=ctx.buildings[code].id), today=t)


def _activities(ctx: DemoContext) -> None:
    t = _today(ctx)
    sros = [s for s in ctx.staff if s.role is Role.SRO and s.status is StaffStatus.ACTIVE]
    for label in (ctx.label("2025-26"), ctx.label("2026-27")):
        calendar = calendar_repo.calendar_for(label)
        assert calendar is not None
        days = _school_days(calendar, calendar.first_day, min(t, calendar.last_day))
        for _ in range(18 if label == ctx.label("2025-26") else 9):
            member = ctx.rng.choice(sros)
            if not member.assignments:
                continue
            code = ctx.rng.choice(member.assignments).building_code
            kind = ctx.rng.choice(list(ActivityKind)[:-1])
            participants = {ActivityKind.FAMILY_NIGHT: ctx.rng.randint(25, 80),
                            ActivityKind.PRESENTATION: ctx.rng.randint(20, 32),
                            ActivityKind.MENTORING: ctx.rng.randint(1, 4),
                            ActivityKind.RESTORATIVE_CIRCLE: ctx.rng.randint(4, 10),
                            ActivityKind.THREAT_ASSESSMENT: ctx.rng.randint(4, 7)}[kind]
            svc.log_activity(PreventionActivity(
                ctx.rng.choice(days), ctx.buildings[code].name, kind, participants,
                notes="", staff_id=member.id, building_id=ctx.buildings[code].id), today=t)
