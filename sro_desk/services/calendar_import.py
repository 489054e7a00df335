"""Importing a school year's non-school days from an .ics calendar or an .xlsx/.csv sheet.

Two steps so nothing changes by surprise: ``read_calendar_file`` turns a file into a
``CalendarImportPlan`` (what would be added, what was ignored and why) and refuses a bad file
in words; ``apply_calendar_import`` stores the plan, all or nothing, and recomputes every
running deadline. Events are classified by their titles ("Winter Break", "Snow day", "No School
- Staff In-Service"); events that do not say school is out (picture day, early release) are
listed as ignored rather than guessed at.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.dates import (
    date_range_problem,
    format_date,
    parse_entered_date,
    parse_optional_entered_date,
)
from sro_desk.domain.errors import ImportRefused, ProblemList, RowProblem, ValidationError
from sro_desk.domain.privacy import CITATION, immigration_findings
from sro_desk.domain.school_calendar import (
    ONE_DAY,
    DayOffKind,
    DeadlineChange,
    NonSchoolDay,
    SchoolCalendar,
    expand_range,
    is_weekend,
)
from sro_desk.domain.text import xml_safe
from sro_desk.services import complaints as complaint_service
from sro_desk.services.tabular import cell_text, read_table, require_columns
from sro_desk.services.templates import TemplateSpec
from sro_desk.store import calendar_repo

IMPORT_TEMPLATES = (
    TemplateSpec(
        name="calendar",
        title="District calendar non-school days",
        headers=("First date", "Last date", "Kind", "Description"),
        example_rows=(
            ("2026-09-07", "", "Holiday", "Labor Day"),
            ("2026-12-21", "2027-01-01", "Break", "Winter break"),
            ("2027-02-12", "", "Emergency closure", "Snow day"),
            ("2026-09-02", "", "First day of school", "First day of school"),
            ("2027-06-11", "", "Last day of school", "Last day of school"),
        ),
        notes=(
            "One row per non-school day, or a range with a last date; weekends are skipped.",
            "Kind: Holiday, Break, In-service day, Emergency closure, Other non-school day, "
            "or First/Last day of school. Left blank, it is read from the description.",
            "The whole file is imported or nothing is; every problem is listed by row.",
        ),
    ),
)

MAX_ICS_BYTES = 5 * 1024 * 1024
MAX_EVENT_DAYS = 60

_FIRST = re.compile(r"\bfirst\s+day\s+(of\s+)?(school|classes|instruction)\b", re.I)
_LAST = re.compile(r"\blast\s+day\s+(of\s+)?(school|classes|instruction)\b", re.I)
_RULES: tuple[tuple[re.Pattern[str], DayOffKind], ...] = (
    (re.compile(r"\b(snow|smoke|power|weather|emergency|storm|ice|wildfire)\b", re.I),
     DayOffKind.EMERGENCY),
    (re.compile(r"\b(in-?service|professional\s+(development|learning)|staff\s+development|"
                r"teacher\s+(work|planning)|waiver\s+day|non-?student\s+day|pd\s+day)\b", re.I),
     DayOffKind.IN_SERVICE),
    (re.compile(r"\b(break|vacation|recess)\b", re.I), DayOffKind.BREAK),
    (re.compile(r"\b(holiday|thanksgiving|veterans|labor\s+day|martin\s+luther|mlk|"
                r"presidents|memorial\s+day|juneteenth|independence|christmas|new\s+year)",
                re.I), DayOffKind.HOLIDAY),
    (re.compile(r"\b(no\s+school|school\s+closed|schools\s+closed|closure|no\s+classes)\b",
                re.I), DayOffKind.OTHER),
)
_KIND_NAMES = {k.value.lower(): k for k in DayOffKind} | {
    "holiday": DayOffKind.HOLIDAY, "break": DayOffKind.BREAK, "in-service": DayOffKind.IN_SERVICE,
    "inservice": DayOffKind.IN_SERVICE, "emergency": DayOffKind.EMERGENCY,
    "snow day": DayOffKind.EMERGENCY, "other": DayOffKind.OTHER,
}


def classify(title: str) -> DayOffKind | None:
    """The kind of closure an event title announces, or ``None`` when it is not one."""
    for pattern, kind in _RULES:
        if pattern.search(title):
            return kind
    return None


@dataclass(frozen=True, slots=True)
class CalendarImportPlan:
    """What an import would do to one school year's calendar."""

    label: str
    source: str
    closures: tuple[NonSchoolDay, ...]
    first_day: dt.date | None = None
    last_day: dt.date | None = None
    ignored: tuple[str, ...] = ()
    already_recorded: tuple[dt.date, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()  # e.g. an event text that records immigration status

    def summary(self) -> str:
        """One sentence for the confirmation dialog and the command line."""
        parts = [f"{len(self.closures)} non-school day{'s' if len(self.closures) != 1 else ''} "
                 f"to add to {self.label}"]
        if self.first_day and self.last_day:
            parts.append(f"school year {format_date(self.first_day)} – "
                         f"{format_date(self.last_day)}")
        if self.already_recorded:
            parts.append(f"{len(self.already_recorded)} already recorded")
        if self.ignored:
            parts.append(f"{len(self.ignored)} event{'s' if len(self.ignored) != 1 else ''} "
                         "ignored")
        text = "; ".join(parts) + "."
        if self.warnings:
            text += " Please note: " + "; ".join(self.warnings) + "."
        return text


@dataclass(frozen=True, slots=True)
class _Event:
    where: int  # row number, or event number in an .ics
    first: dt.date
    last: dt.date
    title: str
    kind: DayOffKind | None


def read_calendar_file(
    path: Path | str, label: str, *,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> CalendarImportPlan:
    """Read an .ics, .xlsx or .csv file into a plan for ``label``. Refuses in words."""
    path = Path(path)
    warnings: list[str] = []
    if path.suffix.lower() in (".ics", ".ical", ".ifb", ".icalendar"):
        events, unclassified, warnings = _read_ics(path, label)
    else:
        events, unclassified = _read_sheet(path, progress, is_cancelled)
    plan = _plan(label, path.name, events, unclassified)
    return replace(plan, warnings=tuple(warnings)) if warnings else plan


def _plan(label: str, source: str, events: list[_Event], ignored: list[str]
          ) -> CalendarImportPlan:
    existing = calendar_repo.calendar_for(label)
    first = next((e.first for e in events if e.kind is None and _FIRST.search(e.title)), None)
    last = next((e.first for e in events if e.kind is None and _LAST.search(e.title)), None)
    span_first = first or (existing.first_day if existing else None)
    span_last = last or (existing.last_day if existing else None)
    if span_first is None or span_last is None:
        raise ImportRefused([RowProblem(0, "", (
            f"The {label} calendar has not been entered and the file does not give the first "
            "and last days of school. Enter the instructional first and last days, then "
            "import again."))])
    problems: list[RowProblem] = []
    if span_last < span_first:
        problems.append(RowProblem(0, "", (
            f"The last day of school ({format_date(span_last)}) is before the first "
            f"({format_date(span_first)}).")))
    recorded = {d.day for d in existing.days_off} if existing else set()
    closures: dict[dt.date, NonSchoolDay] = {}
    already: list[dt.date] = []
    for event in events:
        if event.kind is None:
            continue
        outside = [d for d in (event.first, event.last) if not span_first <= d <= span_last]
        if outside and not (event.first <= span_last and event.last >= span_first):
            ignored.append(f"{_where(event)}: '{event.title}' ({_span(event)}) is outside the "
                           f"{label} school year")
            continue
        for off in expand_range(max(event.first, span_first), min(event.last, span_last),
                                event.kind, event.title):
            if off.day in recorded:
                already.append(off.day)
            else:
                closures.setdefault(off.day, off)
    if problems:
        raise ImportRefused(problems)
    return CalendarImportPlan(label, source, tuple(sorted(closures.values(), key=lambda d: d.day)),
                              first, last, tuple(ignored), tuple(sorted(set(already))))


def _where(event: _Event) -> str:
    return f"item {event.where}"


def _span(event: _Event) -> str:
    if event.first == event.last:
        return format_date(event.first)
    return f"{format_date(event.first)} – {format_date(event.last)}"


def apply_calendar_import(plan: CalendarImportPlan, *, reason: str = "") -> list[DeadlineChange]:
    """Store the plan, all or nothing, and return the deadlines it moved."""
    why = reason or f"Imported from {plan.source}"
    existing: SchoolCalendar | None = calendar_repo.calendar_for(plan.label)
    first = plan.first_day or (existing.first_day if existing else None)
    last = plan.last_day or (existing.last_day if existing else None)
    if first is None or last is None:
        raise ValidationError(f"The {plan.label} calendar needs its first and last days.")

    def write() -> None:
        if existing is None or (existing.first_day, existing.last_day) != (first, last):
            calendar_repo.save_calendar_year(plan.label, first, last, reason=why)
        if plan.closures:
            calendar_repo.add_days_off(plan.label, plan.closures, reason=why)

    return complaint_service.change_calendar(write)


# ------------------------------------------------------------------------------------ .ics
#
# Calendars drive complaint deadlines, so the days an event covers follow RFC 5545 exactly:
# - an all-day event covers DTSTART up to, but not including, DTEND (or DTSTART + DURATION);
#   with neither, the one day of DTSTART;
# - a timed event covers every local day it touches, counted in the district's time zone
#   (``clock.time_zone()``): a UTC-stored 7 pm Pacific event lands on its Pacific date; an event
#   ending exactly at midnight does not touch the next day; 00:00-00:00 is one day;
# - repeating events (RRULE, RDATE, EXDATE, moved occurrences with RECURRENCE-ID) are expanded
#   with recurring-ical-events within the school year;
# - DTSTART, DTEND and DURATION that cannot be read, or lie outside the range a person may enter
#   (``domain.dates``), refuse the file in words, naming the event and the property.


def _title(component: Any) -> str:
    try:
        text = " ".join(str(component.get("SUMMARY", "")).split())
    except Exception:  # a broken SUMMARY is still a title to show
        text = ""
    return xml_safe(text)[:200] or "(no title)"


def _local(value: dt.datetime) -> dt.datetime:
    """A DTSTART/DTEND as the district's wall-clock time (floating times already are)."""
    if value.tzinfo is None:
        return value
    return value.astimezone(clock.time_zone()).replace(tzinfo=None)


def _days_covered(start: dt.date | dt.datetime, end: dt.date | dt.datetime | None,
                  ) -> tuple[dt.date, dt.date]:
    """(first, last) local day, inclusive, that an occurrence covers."""
    if isinstance(start, dt.datetime):
        first_moment = _local(start)
        if end is None or not isinstance(end, dt.datetime):
            return first_moment.date(), first_moment.date()
        last_moment = _local(end)
        if last_moment <= first_moment:
            return first_moment.date(), first_moment.date()
        # the end instant is exclusive: an event ending at 00:00 does not touch that day
        return first_moment.date(), (last_moment - dt.timedelta(microseconds=1)).date()
    if end is None:
        return start, start
    end_day = end.date() if isinstance(end, dt.datetime) else end
    return start, max(start, end_day - ONE_DAY)


def _event_bounds(number: int, component: Any, today: dt.date
                  ) -> tuple[dt.date | dt.datetime, dt.date | dt.datetime | None] | RowProblem:
    """The start and (exclusive) end of an event as given, or the problem with them."""
    title = _title(component)
    try:
        start = component.decoded("DTSTART")
    except Exception:  # missing (KeyError) or unreadable: icalendar raises several types
        return RowProblem(number, "DTSTART", f"'{title}' has no usable start date")
    if not isinstance(start, dt.date):
        return RowProblem(number, "DTSTART", f"'{title}' has a start that is not a date")
    problem = date_range_problem(start if not isinstance(start, dt.datetime) else start.date(),
                                 today)
    if problem:
        return RowProblem(number, "DTSTART", f"'{title}': {problem}")
    end: dt.date | dt.datetime | None = None
    if "DTEND" in component:
        try:
            end = component.decoded("DTEND")
        except Exception:
            return RowProblem(number, "DTEND", f"'{title}' has an unusable end")
        if not isinstance(end, dt.date):
            return RowProblem(number, "DTEND", f"'{title}' has an end that is not a date")
        if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            return RowProblem(number, "DTEND", (
                f"'{title}' mixes an all-day start with a timed end (or the reverse)"))
    elif "DURATION" in component:
        try:
            length = component.decoded("DURATION")
        except Exception:
            length = None
        if not isinstance(length, dt.timedelta):
            raw = str(component.get("DURATION", ""))[:40]
            return RowProblem(number, "DURATION", (
                f"'{title}' has a DURATION '{raw}' that is not a length of time (e.g. P1D, PT2H)"))
        if length.days > MAX_EVENT_DAYS * 10 or length < dt.timedelta(0):
            return RowProblem(number, "DURATION", (
                f"'{title}' lasts {length.days:,} days; a closure longer than "
                f"{MAX_EVENT_DAYS} days looks like a mistake"))
        try:
            end = start + length
        except OverflowError:
            return RowProblem(number, "DURATION", f"'{title}' ends after the year 9999")
    if end is not None:
        end_day = end.date() if isinstance(end, dt.datetime) else end
        problem = date_range_problem(end_day, today)
        if problem:
            return RowProblem(number, "DTEND", f"'{title}': {problem}")
        backwards = (_local(end) < _local(start)
                     if isinstance(start, dt.datetime) and isinstance(end, dt.datetime)
                     else end < start)
        if backwards:
            return RowProblem(number, "DTEND", f"'{title}' ends before it starts")
    return start, end


def _school_year_window(label: str) -> tuple[dt.date, dt.date]:
    """Where repeating events are expanded: the recorded school year, else 1 July – 30 June of
    the label's years (``2026-27``)."""
    existing = calendar_repo.calendar_for(label)
    if existing is not None:
        return existing.first_day, existing.last_day
    match = re.match(r"^\s*(\d{4})", label)
    year = int(match.group(1)) if match else clock.today().year
    year = min(max(year, 1990), 9000)
    return dt.date(year, 7, 1), dt.date(year + 1, 6, 30)


def _read_ics(path: Path, label: str = "") -> tuple[list[_Event], list[str], list[str]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused([RowProblem(0, "", f"The file {path.name} cannot be read: "
                                               f"{error.strerror or error}.")]) from error
    if not data.strip():
        raise ImportRefused([RowProblem(0, "", f"The file {path.name} is empty.")])
    if len(data) > MAX_ICS_BYTES:
        raise ImportRefused([RowProblem(0, "", f"The file {path.name} is larger than 5 MB; "
                                               "a school calendar is far smaller.")])
    if b"BEGIN:VCALENDAR" not in data[:4096].upper():
        raise ImportRefused([RowProblem(0, "", (
            f"{path.name} is not an iCalendar file (it does not begin with BEGIN:VCALENDAR). "
            "Export the district calendar as .ics, or use an .xlsx sheet."))])
    from icalendar import Calendar

    try:
        calendar = Calendar.from_ical(data)
    except Exception as error:  # icalendar raises many types for damaged files
        raise ImportRefused([RowProblem(0, "", (
            f"{path.name} could not be read as an iCalendar file: {error}."))]) from error
    if isinstance(calendar, list):  # pragma: no cover - only with multiple=True
        calendar = calendar[0]
    today = clock.today()
    window = _school_year_window(label)
    events: list[_Event] = []
    ignored: list[str] = []
    warnings: list[str] = []
    problems = ProblemList()
    components = list(calendar.walk("VEVENT"))
    bounds: dict[int, tuple[Any, Any]] = {}
    for number, component in enumerate(components, start=1):
        found = _event_bounds(number, component, today)
        if isinstance(found, RowProblem):
            problems.append(found)
        else:
            bounds[number] = found
    if problems:
        raise problems.refused()
    occurrences: list[tuple[int, Any, Any]] = []
    series: dict[str, list[int]] = {}
    for number, component in enumerate(components, start=1):
        repeats = any(key in component for key in ("RRULE", "RDATE", "RECURRENCE-ID"))
        if repeats:
            series.setdefault(str(component.get("UID", f"#{number}")), []).append(number)
        else:
            start, end = bounds[number]
            occurrences.append((number, start, end))
    for numbers in series.values():
        occurrences.extend(_expand(calendar, components, numbers, window, problems))
    if problems:
        raise problems.refused()
    for number, start, end in occurrences:
        component = components[number - 1]
        title = _title(component)
        first, last = _days_covered(start, end)
        kind = classify(title)
        if (last - first).days + 1 > MAX_EVENT_DAYS and kind is not None:
            problems.append(RowProblem(number, "DTEND", (
                f"'{title}' lasts {(last - first).days + 1} days; a closure longer than "
                f"{MAX_EVENT_DAYS} days looks like a mistake")))
            continue
        if kind is None and not (_FIRST.search(title) or _LAST.search(title)):
            ignored.append(f"item {number}: '{title}' ({format_date(first)}) does not say school "
                           "is out")
            continue
        kinds = immigration_findings(title + " " + _text(component.get("DESCRIPTION", "")))
        if kinds:
            warnings.append(f"item {number}: '{title}' appears to record {', '.join(kinds)} "
                            f"({CITATION}); correct the calendar")
        events.append(_Event(number, first, last, title, kind))
    if problems:
        raise problems.refused()
    if not events:
        raise ImportRefused([RowProblem(0, "", (
            f"{path.name} has no event that says school is out (holiday, break, in-service, "
            "snow day, no school) and no first or last day of school."))])
    return events, ignored, warnings


def _text(value: Any) -> str:
    try:
        return str(value)
    except Exception:
        return ""


MAX_OCCURRENCES = 400  # far more school days than a year has


def _expand(calendar: Any, components: list[Any], numbers: list[int],
            window: tuple[dt.date, dt.date], problems: ProblemList) -> list[tuple[int, Any, Any]]:
    """The occurrences of one repeating series (its components share a UID) in the window."""
    import recurring_ical_events
    from icalendar import Calendar

    number = numbers[0]
    title = _title(components[number - 1])
    single = Calendar()
    for timezone in calendar.walk("VTIMEZONE"):
        single.add_component(timezone)
    for n in numbers:
        single.add_component(components[n - 1])
    try:
        found = []
        for occurrence in recurring_ical_events.of(single).between(window[0], window[1] + ONE_DAY):
            found.append(occurrence)
            if len(found) > MAX_OCCURRENCES:
                problems.append(RowProblem(number, "RRULE", (
                    f"'{title}' repeats more than {MAX_OCCURRENCES} times in the school year")))
                return []
    except Exception as error:  # the library raises its own types and ValueError for bad rules
        problems.append(RowProblem(number, "RRULE", (
            f"'{title}' repeats in a way that cannot be read ({type(error).__name__}: "
            f"{' '.join(str(error).split())[:160]})")))
        return []
    result: list[tuple[int, Any, Any]] = []
    for occurrence in found:
        start = occurrence.get("DTSTART").dt if occurrence.get("DTSTART") is not None else None
        end_prop = occurrence.get("DTEND")
        end = end_prop.dt if end_prop is not None else None
        if start is None:
            continue
        if end is None and "DURATION" in occurrence:
            try:
                end = start + occurrence.decoded("DURATION")
            except Exception:
                end = None
        # the occurrence's own number is that of the component it came from
        uid_number = next((n for n in numbers
                           if components[n - 1].get("RECURRENCE-ID") is not None
                           and _same_instant(components[n - 1], occurrence)), number)
        result.append((uid_number, start, end))
    return result


def _same_instant(component: Any, occurrence: Any) -> bool:
    try:
        return bool(component.decoded("RECURRENCE-ID") == occurrence.decoded("RECURRENCE-ID"))
    except Exception:
        return False


# ------------------------------------------------------------------------------ .xlsx/.csv


def _read_sheet(path: Path, progress: Callable[[int, int], None] | None,
                is_cancelled: Callable[[], bool] | None) -> tuple[list[_Event], list[str]]:
    table = read_table(path, progress=progress, is_cancelled=is_cancelled)
    if "date" in table.headers and "first_date" not in table.headers:
        table = type(table)(
            tuple("first_date" if h == "date" else h for h in table.headers),
            table.original_headers,
            [(n, {("first_date" if k == "date" else k): v for k, v in row.items()})
             for n, row in table.rows],
            table.source,
        )
    require_columns(table, ["first_date", "description"])
    today = clock.today()
    events: list[_Event] = []
    problems: list[RowProblem] = []
    for number, row in table.rows:
        title = cell_text(row.get("description"))
        try:
            first = parse_entered_date(row.get("first_date"), today)
        except ValueError as error:
            problems.append(RowProblem(number, "First date", str(error)))
            continue
        try:
            last = parse_optional_entered_date(row.get("last_date"), today) or first
        except ValueError as error:
            problems.append(RowProblem(number, "Last date", str(error)))
            continue
        if last < first:
            problems.append(RowProblem(number, "Last date", (
                f"{format_date(last)} is before the first date {format_date(first)}")))
            continue
        kind_text = cell_text(row.get("kind")).lower()
        if _FIRST.search(kind_text) or _FIRST.search(title):
            events.append(_Event(number, first, first, "First day of school", None))
            continue
        if _LAST.search(kind_text) or _LAST.search(title):
            events.append(_Event(number, first, first, "Last day of school", None))
            continue
        if kind_text:
            kind = _KIND_NAMES.get(kind_text)
            if kind is None:
                allowed = ", ".join(k.value for k in DayOffKind)
                problems.append(RowProblem(number, "Kind", (
                    f"'{kind_text}' is not a kind of non-school day (use one of: {allowed})")))
                continue
        else:
            kind = classify(title) or DayOffKind.OTHER
        if not title:
            problems.append(RowProblem(number, "Description", "say what the day is"))
            continue
        if first == last and is_weekend(first):
            problems.append(RowProblem(number, "First date", (
                f"{format_date(first)} is a {first:%A}; weekends are never school days")))
            continue
        if (last - first).days + 1 > MAX_EVENT_DAYS:
            problems.append(RowProblem(number, "Last date", (
                f"the range lasts {(last - first).days + 1} days; a closure longer than "
                f"{MAX_EVENT_DAYS} days looks like a mistake")))
            continue
        events.append(_Event(number, first, last, title, kind))
    if problems:
        raise ImportRefused(problems)
    if not events:
        raise ImportRefused([RowProblem(0, "", "The sheet lists no non-school days.")])
    return events, []
