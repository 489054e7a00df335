"""Demo calls for service: two school years of plausible, fictitious calls for every building.

Volumes follow grade span (high schools most, elementaries fewest); most calls end informally or
back with school administration, arrests are rare, as in real districts. Written with the bulk
importer so the demo, like a real SIS import, leaves one audit entry per batch.

Calls fall on school days only: between the school year's first and last days, never on a
weekend, and never on the district calendar's holidays, breaks or closures (the calendar part,
``part_60``, runs later; its days are read from there so the two never disagree, and when it is
absent the usual winter, mid-winter and spring break windows and federal holidays are avoided).
Ages follow the grades each building serves: elementary 5–11, middle 11–14, high 14–18, and the
reengagement center 16–21 (the only place a 19-, 20- or 21-year-old is a student).
"""

from __future__ import annotations

import datetime as dt
import random

from sro_desk.domain.calls import Call, CallLabels, InvolvedStudent, LabelKind, make_call
from sro_desk.services.calls_import import builtin_labels
from sro_desk.services.demo import DemoContext
from sro_desk.store import call_repo

CALLS_PER_YEAR = {"9-12": 110, "6-8": 60, "K-5": 18}
REENGAGEMENT = "CVRC"
# age: weight, by the grades a building serves (older students of a span are in more calls)
AGE_WEIGHTS: dict[str, tuple[tuple[int, int], ...]] = {
    "K-5": ((5, 6), (6, 10), (7, 13), (8, 16), (9, 20), (10, 24), (11, 11)),
    "6-8": ((11, 22), (12, 32), (13, 32), (14, 14)),
    "9-12": ((14, 16), (15, 27), (16, 28), (17, 24), (18, 5)),
    REENGAGEMENT: ((16, 14), (17, 24), (18, 26), (19, 18), (20, 11), (21, 7)),
}
RACE_WEIGHTS = (
    ("American Indian or Alaska Native", 2), ("Asian", 7), ("Black or African American", 5),
    ("Hispanic or Latino", 24), ("Native Hawaiian or Other Pacific Islander", 1),
    ("Two or more races", 10), ("White", 48), ("not reported", 3),
)
GENDER_WEIGHTS = (("female", 40), ("male", 55), ("nonbinary", 2), ("not reported", 3))
OFFENSES = (
    # offense, weight, typical students, a description
    ("tobacco or vaping", 18, 1, "Vaping in a restroom reported by staff."),
    ("alcohol", 3, 1, "Student appeared intoxicated at a school dance."),
    ("illicit drugs", 6, 1, "Suspected drugs found during a search by administration."),
    ("fighting without major injury", 16, 2, "Two students fighting in the hallway."),
    ("violence without major injury", 6, 1, "Student pushed another student on the stairs."),
    ("violence with major injury", 1, 2, "Assault with injury; medical aid called."),
    ("weapon possession", 3, 1, "Pocket knife found in a backpack."),
    ("threats or intimidation", 8, 1, "Threat made on social media about the school."),
    ("harassment or bullying", 7, 1, "Repeated harassment reported by a parent."),
    ("theft", 8, 1, "Phone taken from a locker room."),
    ("property damage", 5, 1, "Graffiti on the gym wall."),
    ("trespass", 5, 0, "Adult on campus without checking in."),
    ("welfare check", 6, 1, "Family asked for a check on a student who left campus."),
    ("mental health crisis", 7, 1, "Student in crisis; counselor and family contacted."),
    ("traffic or parking", 9, 0, "Car blocking the bus loop at dismissal."),
    ("other", 3, 0, "Found property turned in to the office."),
)
STUDENT_OUTCOMES = (
    ("no action", 6), ("handled informally", 30), ("returned to school administration", 34),
    ("referred to community services or diversion", 14), ("citation or infraction", 7),
    ("referral to probation", 2), ("referral for prosecution", 4), ("arrest", 3),
)
CALL_OUTCOMES = (("no action", 30), ("handled informally", 50),
                 ("returned to school administration", 20))
INITIATED = (("teacher", 14), ("administrator", 30), ("other staff", 10), ("SRO", 20),
             ("student", 6), ("parent or guardian", 8), ("911 or dispatch", 10), ("other", 2))
LOCATIONS = (("on campus", 80), ("school activity", 8), ("school transportation", 5),
             ("near campus", 7))


def _pick(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> dt.date:
    """The n-th (1-based; -1 for the last) given weekday of a month."""
    if n < 0:
        last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
        return last - dt.timedelta(days=(last.weekday() - weekday) % 7)
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _usual_days_off(first: dt.date, last: dt.date) -> set[dt.date]:
    """Without a district calendar: federal holidays and the usual Washington breaks."""
    off: set[dt.date] = set()
    for year in range(first.year, last.year + 1):
        thanksgiving = _nth_weekday(year, 11, 3, 4)
        off |= {_nth_weekday(year, 9, 0, 1), dt.date(year, 11, 11), thanksgiving,
                thanksgiving + dt.timedelta(days=1), _nth_weekday(year, 1, 0, 3),
                _nth_weekday(year, 5, 0, -1), dt.date(year, 6, 19)}
        presidents = _nth_weekday(year, 2, 0, 3)
        off |= {presidents + dt.timedelta(days=i) for i in range(5)}  # mid-winter break
        spring = _nth_weekday(year, 4, 0, 1)
        off |= {spring + dt.timedelta(days=i) for i in range(5)}  # spring break
        off |= {dt.date(year, 12, 20) + dt.timedelta(days=i) for i in range(14)}  # winter break
    return off


def days_off(first: dt.date, last: dt.date, ctx: DemoContext | None = None) -> set[dt.date]:
    """The district calendar's non-school days, from the calendar demo part when it exists
    (moved to ``ctx``'s build day; the story as written without one)."""
    try:
        from sro_desk.services.demo import part_60_complaints as calendar_part
    except ImportError:
        return _usual_days_off(first, last)
    ctx = ctx or DemoContext.as_written()
    days = {d.day for year in calendar_part.calendars(ctx).values() for d in year}
    days.add(calendar_part.smoke_day(ctx).day)
    return days or _usual_days_off(first, last)


def school_days(first: dt.date, last: dt.date, ctx: DemoContext | None = None) -> list[dt.date]:
    """Every day students are in school from ``first`` to ``last``."""
    off = days_off(first, last, ctx)
    return [day for day in (first + dt.timedelta(days=i) for i in range((last - first).days + 1))
            if day.weekday() < 5 and day not in off]


def _age(rng: random.Random, weights: tuple[tuple[int, int], ...]) -> int:
    return rng.choices([a for a, _ in weights], weights=[w for _, w in weights])[0]


def _student(rng: random.Random, ages: tuple[tuple[int, int], ...],
             offense: str) -> InvolvedStudent:
    outcome = _pick(rng, STUDENT_OUTCOMES)
    if offense in ("welfare check", "mental health crisis"):
        outcome = rng.choice(("handled informally", "referred to community services or diversion"))
    return InvolvedStudent(
        age=_age(rng, ages), gender=_pick(rng, GENDER_WEIGHTS), race=_pick(rng, RACE_WEIGHTS),
        iep=rng.random() < 0.17, section_504=rng.random() < 0.09, outcome=outcome,
        use_of_force=outcome == "arrest" and rng.random() < 0.35,
        discipline=offense not in ("welfare check", "mental health crisis")
        and rng.random() < 0.45,
    )


def demo_calls(ctx: DemoContext, labels: CallLabels) -> list[Call]:
    rng = random.Random(ctx.rng.random())
    calls: list[Call] = []
    offenses = tuple((o, w) for o, w, _, _ in OFFENSES)
    details = {o: (n, d) for o, _, n, d in OFFENSES}
    for label in (ctx.label("2025-26"), ctx.label("2026-27")):
        year = ctx.years[label]
        last = min(year.last_day, ctx.today - dt.timedelta(days=1))
        if last < year.first_day:
            continue
        days = school_days(year.first_day, last, ctx)
        if not days:
            continue
        share = len(days) / max(1, len(school_days(year.first_day, year.last_day, ctx)))
        for code, building in sorted(ctx.buildings.items()):
            span = building.grade_span if building.grade_span in CALLS_PER_YEAR else "9-12"
            volume = round(CALLS_PER_YEAR[span] * share * rng.uniform(0.8, 1.2))
            ages = AGE_WEIGHTS[REENGAGEMENT if code == REENGAGEMENT else span]
            if code == REENGAGEMENT:
                volume //= 3
            for _ in range(volume):
                offense = _pick(rng, offenses)
                typical, description = details[offense]
                count = typical if typical != 1 else rng.choice((1, 1, 1, 2))
                students = [_student(rng, ages, offense) for _ in range(count)]
                calls.append(_call(labels, building.name, offense, description, students,
                                   rng, rng.choice(days)))
    calls.sort(key=lambda c: (c.occurred_on, c.occurred_at or dt.time()))
    numbered: list[Call] = []
    counters: dict[int, int] = {}
    for call in calls:
        start = call.occurred_on.year if call.occurred_on.month >= 7 else call.occurred_on.year - 1
        counters[start] = counters.get(start, 0) + 1
        numbered.append(_renumber(call, f"{start}-{counters[start]:04d}"))
    return numbered


def _call(labels: CallLabels, building: str, offense: str, description: str,
          students: list[InvolvedStudent], rng: random.Random, day: dt.date) -> Call:
    return make_call(
        ref="pending",
        occurred_on=day,
        occurred_at=dt.time(rng.randint(7, 15), rng.choice((0, 10, 20, 30, 40, 50))),
        building=building, location=_pick(rng, LOCATIONS),
        initiated_by=_pick(rng, INITIATED), emergency=rng.random() < 0.12,
        offense_type=offense, description=description, students=students,
        own_outcome=_pick(rng, CALL_OUTCOMES), labels=labels,
    )


def _renumber(call: Call, ref: str) -> Call:
    from dataclasses import replace

    return replace(call, ref=ref)


def populate(ctx: DemoContext) -> None:
    labels = builtin_labels()
    calls = demo_calls(ctx, labels)
    ctx.extras["calls"] = len(calls)
    ctx.extras["call_labels"] = labels.labels(LabelKind.OUTCOME)
    call_repo.insert_imported_calls(calls, source="demo data", file_sha256="")
