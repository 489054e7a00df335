"""The district calendar and the school-day deadline engine.

Complaint deadlines are counted in *school days* on the district's own calendar, including
closures added during the year (snow, smoke, power). Peers count working days and forget snow
days; this module gets the calendar right and **explains** every answer: where counting started,
every day it skipped and why, and the result. A deadline that runs past the last day of a school
year carries into the next year's calendar when it has been entered, and says plainly when it
has not, rather than guessing.

Counting convention (the ordinary reading of "within 20 school days of receiving"): the day of
receipt is day 0; the first school day *after* it is day 1; the deadline is the Nth school day.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import pairwise

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import ValidationError

ONE_DAY = dt.timedelta(days=1)
_LABEL = re.compile(r"^(\d{4})-(\d{2})$")
#: RCW 28A.150.220 requires a school year of at least 180 days; shown as a note, not enforced.
MINIMUM_SCHOOL_DAYS = 180


class DayOffKind(StrEnum):
    """Why the schools are closed on a weekday inside the school year."""

    HOLIDAY = "Holiday"
    BREAK = "Break"
    IN_SERVICE = "In-service day"
    EMERGENCY = "Emergency closure"
    OTHER = "Other non-school day"


class DayUnit(StrEnum):
    """Which days a deadline counts."""

    SCHOOL = "school days"
    CALENDAR = "calendar days"

    def amount_text(self, amount: int) -> str:
        """'1 school day', '20 school days'."""
        return f"{amount} {self.value[:-1] if amount == 1 else self.value}"

    @property
    def singular(self) -> str:
        """'school day'."""
        return self.value[:-1]


@dataclass(frozen=True, slots=True)
class NonSchoolDay:
    """One weekday inside the school year when students do not attend."""

    day: dt.date
    kind: DayOffKind
    reason: str

    def describe(self) -> str:
        """'Presidents' Day (holiday)' — how the day reads in an explanation."""
        reason = self.reason.strip() or self.kind.value
        if self.kind.value.split()[0].lower() in reason.lower():
            return reason  # "Winter break", not "Winter break (break)"
        return f"{reason} ({self.kind.value.lower()})"


def weekday_name(day: dt.date) -> str:
    """'Saturday' — the English name of the weekday."""
    return f"{day:%A}"


def is_weekend(day: dt.date) -> bool:
    """Saturday or Sunday; never a school day."""
    return day.weekday() >= 5


def next_year_label(label: str) -> str:
    """'2025-26' -> '2026-27'. Raises ``ValidationError`` on a label that is not YYYY-YY."""
    start = label_start_year(label)
    return year_label(start + 1)


def year_label(start_year: int) -> str:
    """2025 -> '2025-26'."""
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def label_start_year(label: str) -> int:
    """'2025-26' -> 2025. Raises ``ValidationError`` when the label is not a school year."""
    match = _LABEL.match(label.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError(f"'{label}' is not a school year label (use the form 2025-26).")
    return int(match[1])


def expand_range(
    first: dt.date, last: dt.date, kind: DayOffKind, reason: str
) -> list[NonSchoolDay]:
    """The weekdays from ``first`` to ``last`` inclusive as non-school days.

    Weekends are left out: they are never school days, so recording them changes nothing and
    would only clutter the calendar. Raises ``ValidationError`` when the range runs backwards.
    """
    if last < first:
        raise ValidationError(
            f"The range ends ({format_date(last)}) before it starts ({format_date(first)})."
        )
    days: list[NonSchoolDay] = []
    day = first
    while day <= last:
        if not is_weekend(day):
            days.append(NonSchoolDay(day, kind, reason))
        day += ONE_DAY
    return days


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """One school year: the first and last instructional days and the weekday closures."""

    label: str
    first_day: dt.date
    last_day: dt.date
    days_off: tuple[NonSchoolDay, ...] = ()
    _index: dict[dt.date, NonSchoolDay] = field(
        default_factory=dict, init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "days_off", tuple(sorted(self.days_off, key=lambda d: d.day)))
        object.__setattr__(self, "_index", {d.day: d for d in self.days_off})

    def covers(self, day: dt.date) -> bool:
        """True when ``day`` lies between the first and last instructional days."""
        return self.first_day <= day <= self.last_day

    def day_off(self, day: dt.date) -> NonSchoolDay | None:
        """The recorded closure on ``day``, if any."""
        return self._index.get(day)

    def is_school_day(self, day: dt.date) -> bool:
        """A weekday inside the year that is not a recorded closure."""
        return self.covers(day) and not is_weekend(day) and day not in self._index

    def why_not_school_day(self, day: dt.date) -> str | None:
        """``None`` for a school day, otherwise the reason in words."""
        if day < self.first_day:
            return f"before the first day of the {self.label} school year"
        if day > self.last_day:
            return f"after the last day of the {self.label} school year"
        if is_weekend(day):
            return "weekend"
        off = self._index.get(day)
        return off.describe() if off else None

    def school_days(self) -> Iterator[dt.date]:
        """Every school day of the year, in order."""
        day = self.first_day
        while day <= self.last_day:
            if self.is_school_day(day):
                yield day
            day += ONE_DAY

    def school_day_count(self) -> int:
        """How many days students attend this year."""
        return sum(1 for _ in self.school_days())

    def with_days_off(self, extra: Iterable[NonSchoolDay]) -> SchoolCalendar:
        """A copy with more closures; a day already closed keeps its first reason."""
        merged = dict(self._index)
        for off in extra:
            merged.setdefault(off.day, off)
        return SchoolCalendar(self.label, self.first_day, self.last_day, tuple(merged.values()))

    def without_day_off(self, day: dt.date) -> SchoolCalendar:
        """A copy with the closure on ``day`` removed (a closure entered by mistake)."""
        kept = tuple(d for d in self.days_off if d.day != day)
        return SchoolCalendar(self.label, self.first_day, self.last_day, kept)

    def notes(self) -> list[str]:
        """Things a coordinator should look at that are not errors."""
        count = self.school_day_count()
        if count < MINIMUM_SCHOOL_DAYS:
            return [
                f"The {self.label} calendar has {count} school days; Washington requires at "
                f"least {MINIMUM_SCHOOL_DAYS} (RCW 28A.150.220). Check for missing days or "
                "make-up days not yet entered."
            ]
        return []


def calendar_problems(
    label: str, first_day: dt.date, last_day: dt.date, days_off: Sequence[NonSchoolDay]
) -> list[str]:
    """Every reason a school-year calendar cannot be saved, in words (empty when it is sound)."""
    problems: list[str] = []
    try:
        start_year = label_start_year(label)
    except ValidationError as err:
        problems.extend(err.problems)
        start_year = None
    if last_day < first_day:
        problems.append(
            f"The last day ({format_date(last_day)}) is before the first day "
            f"({format_date(first_day)})."
        )
    elif (last_day - first_day).days > 366:
        problems.append("A school year cannot be longer than a year.")
    if start_year is not None and first_day.year != start_year:
        problems.append(
            f"The first day ({format_date(first_day)}) is not in {start_year}, "
            f"the year the {label} school year starts."
        )
    seen: dict[dt.date, NonSchoolDay] = {}
    for off in days_off:
        when = format_date(off.day)
        if not first_day <= off.day <= last_day:
            problems.append(
                f"{when} ({off.describe()}) is outside the school year "
                f"{format_date(first_day)} – {format_date(last_day)}."
            )
        if off.day in seen:
            problems.append(f"{when} is listed twice ({seen[off.day].describe()}; "
                            f"{off.describe()}).")
        seen[off.day] = off
    return problems


def build_calendar(
    label: str, first_day: dt.date, last_day: dt.date, days_off: Sequence[NonSchoolDay] = ()
) -> SchoolCalendar:
    """A validated calendar. Raises ``ValidationError`` listing every problem."""
    problems = calendar_problems(label, first_day, last_day, days_off)
    if problems:
        raise ValidationError(problems)
    return SchoolCalendar(label.strip(), first_day, last_day, tuple(days_off))


def new_day_off_problems(calendar: SchoolCalendar, off: NonSchoolDay) -> list[str]:
    """Why a single closure entered by hand cannot be added to ``calendar`` (empty when it can)."""
    when = format_date(off.day)
    if not calendar.covers(off.day):
        return [
            f"{when} is outside the {calendar.label} school year "
            f"({format_date(calendar.first_day)} – {format_date(calendar.last_day)})."
        ]
    if is_weekend(off.day):
        return [f"{when} is a {weekday_name(off.day)}; weekends are never school days."]
    existing = calendar.day_off(off.day)
    if existing is not None:
        return [f"{when} is already a non-school day ({existing.describe()})."]
    return []


@dataclass(frozen=True, slots=True)
class DistrictCalendar:
    """Every school year entered, in order. Years may not overlap."""

    years: tuple[SchoolCalendar, ...] = ()

    def __post_init__(self) -> None:
        ordered = tuple(sorted(self.years, key=lambda c: c.first_day))
        problems = []
        for before, after in pairwise(ordered):
            if after.first_day <= before.last_day:
                problems.append(
                    f"The {before.label} and {after.label} school years overlap "
                    f"({format_date(after.first_day)} is before {format_date(before.last_day)})."
                )
            if before.label == after.label:
                problems.append(f"The {before.label} school year is entered twice.")
        if problems:
            raise ValidationError(problems)
        object.__setattr__(self, "years", ordered)

    def year(self, label: str) -> SchoolCalendar | None:
        """The calendar with this label, if entered."""
        return next((c for c in self.years if c.label == label), None)

    def containing(self, day: dt.date) -> SchoolCalendar | None:
        """The school year whose first..last days include ``day``."""
        return next((c for c in self.years if c.covers(day)), None)

    def replace_year(self, calendar: SchoolCalendar) -> DistrictCalendar:
        """A copy with ``calendar`` added, or replacing the year with the same label."""
        kept = [c for c in self.years if c.label != calendar.label]
        return DistrictCalendar((*kept, calendar))

    def is_school_day(self, day: dt.date) -> bool | None:
        """True/False when a calendar decides it; ``None`` when no entered year can say.

        A day between two consecutive entered years (summer) is decided: not a school day.
        """
        cal = self.containing(day)
        if cal is not None:
            return cal.is_school_day(day)
        if self._summer_between(day) is not None:
            return False
        return None

    def why_not_school_day(self, day: dt.date) -> str | None:
        """The reason ``day`` is not a school day, ``None`` for a school day or an unknown day."""
        cal = self.containing(day)
        if cal is not None:
            return cal.why_not_school_day(day)
        gap = self._summer_between(day)
        if gap is not None:
            return f"summer break between the {gap[0].label} and {gap[1].label} school years"
        return None

    def _summer_between(self, day: dt.date) -> tuple[SchoolCalendar, SchoolCalendar] | None:
        for before, after in pairwise(self.years):
            if (
                before.last_day < day < after.first_day
                and after.label == next_year_label(before.label)
            ):
                return before, after
        return None

    def _following(self, cal: SchoolCalendar) -> SchoolCalendar | None:
        return self.year(next_year_label(cal.label))


@dataclass(frozen=True, slots=True)
class SkippedDay:
    """A day the count passed over, and why."""

    day: dt.date
    reason: str


@dataclass(frozen=True, slots=True)
class DeadlineCalculation:
    """A deadline and the reasoning behind it, fit to print in a letter.

    ``due`` is ``None`` when the calendar needed to finish the count has not been entered;
    ``unresolved`` then says which, and ``remaining`` how many days were still to count.
    """

    start: dt.date
    amount: int
    unit: DayUnit
    due: dt.date | None
    skipped: tuple[SkippedDay, ...] = ()
    carried_into: str | None = None
    unresolved: str | None = None
    remaining: int = 0

    def skipped_ranges(self) -> list[tuple[dt.date, dt.date, str]]:
        """Skipped days grouped into runs of consecutive days with the same reason."""
        runs: list[tuple[dt.date, dt.date, str]] = []
        for skip in _weekends_inside_breaks(self.skipped):
            if runs and runs[-1][2] == skip.reason and runs[-1][1] + ONE_DAY == skip.day:
                runs[-1] = (runs[-1][0], skip.day, skip.reason)
            else:
                runs.append((skip.day, skip.day, skip.reason))
        return runs

    def explanation_lines(self) -> list[str]:
        """The computation in sentences: start, days skipped and why, result."""
        lines = [
            f"Start: {weekday_name(self.start)} {format_date(self.start)}. "
            f"Counting {self.unit.amount_text(self.amount)} from the next day."
        ]
        if self.unit is DayUnit.SCHOOL:
            runs = self.skipped_ranges()
            if runs:
                parts = [f"{format_range(a, b)}: {why}" for a, b, why in runs]
                lines.append("Days not counted: " + "; ".join(parts) + ".")
            else:
                lines.append("Days not counted: none.")
            if self.carried_into:
                lines.append(
                    f"The count ran past the end of the school year and carried into the "
                    f"{self.carried_into} calendar."
                )
        if self.due is not None:
            lines.append(
                f"Result: {weekday_name(self.due)} {format_date(self.due)}, "
                f"{ordinal(self.amount)} {self.unit.singular} after the start."
            )
        else:
            lines.append(f"Result: cannot be computed yet. {self.unresolved}")
        return lines

    def explanation(self) -> str:
        """``explanation_lines`` as one paragraph."""
        return " ".join(self.explanation_lines())


def _weekends_inside_breaks(skipped: Sequence[SkippedDay]) -> list[SkippedDay]:
    """Relabel a weekend that sits inside a closure (a break) with the closure's reason.

    "Winter break 22 December – 2 January" reads as one run, not three runs split by weekends.
    """
    days = list(skipped)
    index = {s.day: i for i, s in enumerate(days)}
    for i, skip in enumerate(days):
        if skip.reason != "weekend":
            continue
        before = skip.day - ONE_DAY
        while before in index and days[index[before]].reason == "weekend":
            before -= ONE_DAY
        after = skip.day + ONE_DAY
        while after in index and days[index[after]].reason == "weekend":
            after += ONE_DAY
        if before in index and after in index:
            reason = days[index[before]].reason
            if reason == days[index[after]].reason and reason != "weekend":
                days[i] = SkippedDay(skip.day, reason)
    return days


def format_range(first: dt.date, last: dt.date) -> str:
    """'12 February 2026', '7–8 February 2026', '28 February – 1 March 2026'."""
    if first == last:
        return format_date(first)
    if first.year != last.year:
        return f"{format_date(first)} – {format_date(last)}"
    if first.month != last.month:
        return f"{first.day} {first:%B} – {format_date(last)}"
    return f"{first.day}–{format_date(last)}"


def ordinal(number: int) -> str:
    """1 -> '1st', 22 -> '22nd', 13 -> '13th'."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def add_calendar_days(start: dt.date, amount: int) -> DeadlineCalculation:
    """``start`` plus ``amount`` calendar days; used for the filing window."""
    if amount < 0:
        raise ValidationError("A number of days cannot be negative.")
    return DeadlineCalculation(start, amount, DayUnit.CALENDAR, start + dt.timedelta(days=amount))


def add_school_days(
    calendar: DistrictCalendar, start: dt.date, amount: int
) -> DeadlineCalculation:
    """The ``amount``-th school day after ``start``, with every skipped day explained.

    Past the last day of a school year the count carries into the next year's calendar when it
    has been entered; otherwise ``due`` is ``None`` and ``unresolved`` says which calendar is
    missing. A start outside every entered year is resolved only when it falls in the summer
    before an entered year (the count then begins on that year's first day).
    """
    if amount < 0:
        raise ValidationError("A number of school days cannot be negative.")
    if amount == 0:
        return DeadlineCalculation(start, 0, DayUnit.SCHOOL, start)
    cal = calendar.containing(start)
    skipped: list[SkippedDay] = []
    carried: str | None = None
    day = start
    if cal is None:
        following = next((c for c in calendar.years if c.first_day > start), None)
        earlier = next((c for c in reversed(calendar.years) if c.last_day < start), None)
        problem = _uncovered_start(start, earlier, following)
        if problem is not None or following is None:
            return DeadlineCalculation(
                start, amount, DayUnit.SCHOOL, None, unresolved=problem, remaining=amount
            )
        day = following.first_day - ONE_DAY
        if day > start:
            skipped.extend(_summer_days(start + ONE_DAY, day, earlier, following))
        cal = following
    counted = 0
    while counted < amount:
        day += ONE_DAY
        if day > cal.last_day:
            following = calendar._following(cal)
            if following is None:
                missing = next_year_label(cal.label)
                return DeadlineCalculation(
                    start, amount, DayUnit.SCHOOL, None, tuple(skipped), carried,
                    unresolved=(
                        f"The count runs past the last day of the {cal.label} school year "
                        f"({format_date(cal.last_day)}) with {amount - counted} school "
                        f"day{'s' if amount - counted != 1 else ''} still to count, and the "
                        f"{missing} calendar has not been entered. Enter it to compute "
                        "this deadline."
                    ),
                    remaining=amount - counted,
                )
            skipped.extend(_summer_days(day, following.first_day - ONE_DAY, cal, following))
            day = following.first_day
            cal = following
            carried = cal.label
        reason = cal.why_not_school_day(day)
        if reason is None:
            counted += 1
        else:
            skipped.append(SkippedDay(day, reason))
    return DeadlineCalculation(start, amount, DayUnit.SCHOOL, day, tuple(skipped), carried)


def _uncovered_start(
    start: dt.date, earlier: SchoolCalendar | None, following: SchoolCalendar | None
) -> str | None:
    """Why counting cannot begin from a start outside every entered year, or ``None``."""
    if following is None:
        return (
            f"No district calendar covers {format_date(start)} or any later date. Enter the "
            "calendar for that school year to compute this deadline."
        )
    if earlier is not None and following.label != next_year_label(earlier.label):
        return (
            f"{format_date(start)} falls after the {earlier.label} school year and the "
            f"{next_year_label(earlier.label)} calendar has not been entered."
        )
    return None


def _summer_days(
    first: dt.date, last: dt.date, before: SchoolCalendar | None, after: SchoolCalendar
) -> list[SkippedDay]:
    if before is None:
        reason = f"before the first day of the {after.label} school year"
    else:
        reason = f"summer break between the {before.label} and {after.label} school years"
    days: list[SkippedDay] = []
    day = first
    while day <= last:
        days.append(SkippedDay(day, reason))
        day += ONE_DAY
    return days


def count_school_days(calendar: DistrictCalendar, after: dt.date, through: dt.date) -> int | None:
    """School days in (after, through]; negative when ``through`` is earlier.

    ``None`` when a day in the span falls outside every entered year (so the answer is unknown).
    """
    if through == after:
        return 0
    sign = 1
    if through < after:
        after, through, sign = through, after, -1
    total = 0
    day = after + ONE_DAY
    while day <= through:
        decided = calendar.is_school_day(day)
        if decided is None:
            return None
        total += decided
        day += ONE_DAY
    return sign * total


@dataclass(frozen=True, slots=True)
class DeadlineBasis:
    """What a deadline is counted from, so it can be recomputed when the calendar changes."""

    key: str
    label: str
    start: dt.date
    amount: int
    unit: DayUnit = DayUnit.SCHOOL


@dataclass(frozen=True, slots=True)
class DeadlineChange:
    """A deadline that moved because the calendar changed, with the reason in words."""

    key: str
    label: str
    old_due: dt.date | None
    new_due: dt.date | None
    closures_added: tuple[NonSchoolDay, ...] = ()
    closures_removed: tuple[NonSchoolDay, ...] = ()

    def describe(self) -> str:
        """'Determination: deadline moved from 3 March 2026 to 4 March 2026: Snow day
        12 February 2026'."""
        old = format_date(self.old_due) if self.old_due else "not yet computable"
        new = format_date(self.new_due) if self.new_due else "not yet computable"
        parts = [f"{_short(c)} {format_date(c.day)}" for c in self.closures_added]
        parts += [f"{_short(c)} {format_date(c.day)} removed" for c in self.closures_removed]
        why = "; ".join(parts) or "calendar changed"
        return f"{self.label}: deadline moved from {old} to {new}: {why}"


def _short(off: NonSchoolDay) -> str:
    return off.reason.strip() or off.kind.value


def calendar_difference(
    before: DistrictCalendar, after: DistrictCalendar
) -> tuple[list[NonSchoolDay], list[NonSchoolDay]]:
    """Closures present only in ``after`` (added) and only in ``before`` (removed)."""
    old = {d.day: d for c in before.years for d in c.days_off}
    new = {d.day: d for c in after.years for d in c.days_off}
    added = [new[d] for d in sorted(new.keys() - old.keys())]
    removed = [old[d] for d in sorted(old.keys() - new.keys())]
    return added, removed


def recompute_deadlines(
    bases: Iterable[DeadlineBasis], before: DistrictCalendar, after: DistrictCalendar
) -> list[DeadlineChange]:
    """Every deadline that moves when the calendar changes from ``before`` to ``after``.

    Each change names the closures that caused it: those added or removed between the start and
    the later of the two due dates.
    """
    added, removed = calendar_difference(before, after)
    changes: list[DeadlineChange] = []
    for basis in bases:
        if basis.unit is not DayUnit.SCHOOL:
            continue
        old = add_school_days(before, basis.start, basis.amount).due
        new = add_school_days(after, basis.start, basis.amount).due
        if old == new:
            continue
        horizon = max((d for d in (old, new) if d is not None), default=dt.date.max)
        changes.append(
            DeadlineChange(
                basis.key,
                basis.label,
                old,
                new,
                tuple(d for d in added if basis.start < d.day <= horizon),
                tuple(d for d in removed if basis.start < d.day <= horizon),
            )
        )
    return changes
