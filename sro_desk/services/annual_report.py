"""Gathering the annual report from the database and writing its files.

The domain builds the report from plain lists; this module fetches those lists (calls in the
period, the roster's placements, the agencies with agreements, the complaint counts) and hands
one report object to every exporter so the JSON, workbook and PDF always agree.

Features built by others are used when present and named as missing when not: complaint counts
come from ``services.complaint_summary``; agreements from ``services.agreements``. The agencies
listed are every provider that supplied rostered staff in the period plus any with an adopted
agreement for the year; a supplier without an adopted agreement is marked.

Only a school year the district has set up (or one holding recorded calls) can be reported on;
anything else is refused in one line. A year not yet over is counted to ``today`` and says so.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.annual_report import (
    Agency,
    AnnualReport,
    Edition,
    ReportingPeriod,
    ReportInputs,
    StaffPlacement,
    build_annual_report,
    reporting_period,
)
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.release import EXPLANATION_HEADERS
from sro_desk.domain.report_staff import StaffPerson
from sro_desk.domain.roster import ProviderKind, StaffMember, StaffStatus
from sro_desk.domain.suppression import (
    DEFAULT_PROTECTION_WIDTH,
    DEFAULT_THRESHOLD,
    MAX_PROTECTION_WIDTH,
    validate_threshold,
    validate_width,
)
from sro_desk.services import incident_rules
from sro_desk.services.calls_import import call_labels
from sro_desk.store import call_repo, roster_repo, settings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

PERIOD_START_KEY = "reports.period_start"  # "MM-DD", default "07-01"
THRESHOLD_KEY = "reports.suppression_threshold"  # int, default 10
WIDTH_KEY = "reports.protection_width"  # int, default 5: a hidden figure's range, at least
AGENCIES_FROM_AGREEMENTS = (
    "agencies and companies that supplied rostered staff during the year or had an adopted "
    "agreement for it; those that supplied staff without an adopted agreement are marked"
)
AGENCIES_FROM_ROSTER = (
    "agencies and companies that supplied rostered staff during the year (agreements are not "
    "recorded in SRO Desk, so none is marked)"
)


@dataclass(frozen=True, slots=True)
class ReportSettings:
    start_month: int = 7
    start_day: int = 1
    threshold: int = DEFAULT_THRESHOLD
    width: int = DEFAULT_PROTECTION_WIDTH


def report_settings() -> ReportSettings:
    text = str(settings.get_setting(PERIOD_START_KEY, "07-01") or "07-01")
    try:
        month_text, day_text = text.split("-")
        month, day = int(month_text), int(day_text)
        dt.date(2001, month, day)
    except ValueError:
        month, day = 7, 1
    threshold = settings.get_setting(THRESHOLD_KEY, DEFAULT_THRESHOLD)
    if not isinstance(threshold, int) or isinstance(threshold, bool):
        threshold = DEFAULT_THRESHOLD
    width = settings.get_setting(WIDTH_KEY, DEFAULT_PROTECTION_WIDTH)
    if not isinstance(width, int) or isinstance(width, bool) or \
            not 0 <= width <= MAX_PROTECTION_WIDTH:
        width = DEFAULT_PROTECTION_WIDTH
    return ReportSettings(month, day, threshold, width)


def save_report_settings(start_month: int, start_day: int, threshold: int,
                         width: int | None = None) -> ReportSettings:
    try:
        dt.date(2001, start_month, start_day)
    except ValueError:
        raise ValidationError("The reporting period must start on a real day of the year.") from None
    if (start_month, start_day) == (2, 29):
        raise ValidationError("The reporting period cannot start on 29 February.")
    validate_threshold(threshold)
    if width is not None:
        validate_width(width)
    settings.set_setting(PERIOD_START_KEY, f"{start_month:02d}-{start_day:02d}",
                         reason="report settings")
    settings.set_setting(THRESHOLD_KEY, threshold, reason="report settings")
    if width is not None:
        settings.set_setting(WIDTH_KEY, width, reason="report settings")
    return report_settings()


def period_for(school_year: str) -> ReportingPeriod:
    chosen = report_settings()
    return reporting_period(school_year, chosen.start_month, chosen.start_day)


def available_years(today: dt.date | None = None) -> list[str]:
    """School years the user can report on: those set up, plus any with calls, newest first.

    A new database with neither offers the current year, so the app has something to show.
    """
    chosen = report_settings()
    from sro_desk.domain.annual_report import school_year_of
    from sro_desk.domain.dates import EARLIEST_DATE

    day = today or clock.today()
    years = {y.label for y in roster_repo.list_school_years()}
    span = call_repo.call_date_range()
    if span is not None:
        # Calls stored outside the range a person may enter (a 0001-01-01 placeholder from an
        # older file) or dated after today (a 9999 typo) open and show, but offer no report
        # year of their own: the newest year offered, the one shown first, is never a future one.
        low, high = max(span[0], EARLIEST_DATE), min(span[1], day)
        if low <= high:
            first = int(school_year_of(low, chosen.start_month, chosen.start_day)[:4])
            last = int(school_year_of(high, chosen.start_month, chosen.start_day)[:4])
            years.update(f"{y}-{(y + 1) % 100:02d}" for y in range(first, last + 1))
    if not years:
        years.add(school_year_of(day, chosen.start_month, chosen.start_day))
    return sorted(years, reverse=True)


def check_year(school_year: str, today: dt.date | None = None) -> str:
    """The year, if it can be reported on; otherwise a ``ValidationError`` in one line."""
    label = school_year.strip()
    reporting_period(label)  # refuses what is not written like 2025-26
    years = available_years(today)
    if label not in years:
        raise ValidationError(
            f"{label} is not set up as a school year in SRO Desk and has no recorded calls "
            f"(years you can report on: {', '.join(years)}). Add it under District set-up first."
        )
    return label


def _overlaps(member: StaffMember, period: ReportingPeriod) -> bool:
    """Did this person work in the period? Open-ended dates count as open."""
    start = member.assignment_start or member.first_day_with_students
    end = member.assignment_end
    if member.status is StaffStatus.INACTIVE and end is None:
        return False
    return (start is None or start <= period.end) and (end is None or end >= period.start)


def staff_placements(period: ReportingPeriod) -> tuple[list[StaffPlacement], list[StaffMember]]:
    """Days per week per building for everyone who worked in the period."""
    names = {b.id: b.name for b in roster_repo.list_buildings()}
    placements: list[StaffPlacement] = []
    people: list[StaffMember] = []
    for member in roster_repo.list_staff():
        if not member.assignments or not _overlaps(member, period):
            continue
        people.append(member)
        for a in member.assignments:
            placements.append(StaffPlacement(str(member.id), names.get(a.building_id,
                                                                        a.building_name),
                                             a.days_per_week))
    return placements, people


def _optional(module: str, name: str) -> Any | None:
    """A function another feature provides, or ``None`` while that feature is not built."""
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None


def agencies_for(school_year: str, people: list[StaffMember]) -> tuple[list[Agency], str]:
    """Every provider that supplied staff, plus any with an adopted agreement, each marked."""
    suppliers = {m.provider_name for m in people
                 if m.provider_name and m.provider_kind is not ProviderKind.DISTRICT}
    with_agreement = _optional("sro_desk.services.agreements", "providers_with_agreement")
    if with_agreement is None:
        return [Agency(name) for name in sorted(suppliers, key=str.casefold)], \
            AGENCIES_FROM_ROSTER
    adopted = {name.casefold(): name for name in with_agreement(school_year)}
    agencies = [Agency(name, True) for name in adopted.values()]
    agencies += [Agency(name, False) for name in suppliers if name.casefold() not in adopted]
    return sorted(agencies, key=lambda a: a.name.casefold()), AGENCIES_FROM_AGREEMENTS


def gather_inputs(school_year: str, today: dt.date | None = None) -> ReportInputs:
    period = period_for(school_year)
    placements, people = staff_placements(period)
    agencies, source = agencies_for(school_year, people)
    summary_fn = _optional("sro_desk.services.complaint_summary", "complaint_summary")
    activity_fn = _optional("sro_desk.services.complaint_summary", "activity_counts")
    complaints = summary_fn(period.start, period.end) if summary_fn is not None else None
    activities = activity_fn(period.start, period.end) if activity_fn is not None else None
    district = settings.district_name() or "The district"
    names = {b.id: b.name for b in roster_repo.list_buildings()}
    people_rows = [
        StaffPerson(str(m.id), m.full_name, m.role.value, m.provider_name,
                    tuple((names.get(a.building_id, a.building_name), a.days_per_week)
                          for a in m.assignments))
        for m in people
    ]
    return ReportInputs(
        district_name=district,
        period=period,
        calls=call_repo.list_calls(period.start, period.end),
        labels=call_labels(),
        buildings=[b.name for b in roster_repo.list_buildings(active_only=True)],
        staff=placements,
        agencies=agencies,
        agencies_source=source,
        complaints=complaints,
        prevention_activities=activities,
        as_of=today or clock.today(),
        crosswalk=incident_rules.report_crosswalk(),
        identity_catalog=incident_rules.detailed_catalog(),
        contact_rules=incident_rules.contact_rules(),
        now=clock.now() if today is None else dt.datetime.combine(today, dt.time(23, 59)),
        people=people_rows,
    )


def build_report(school_year: str, edition: Edition | str, threshold: int | None = None,
                 today: dt.date | None = None) -> AnnualReport:
    """The report for a year set up in SRO Desk, counted to ``today`` while the year runs.

    The public edition takes its figures' states from the year's whole public release
    (``services.public_release``), protected and attack-checked together with the public
    complaint summary; the internal edition carries the sheet that says why each is hidden.
    A ``threshold`` other than the district's protects this report on its own (a preview).
    """
    from sro_desk.services.public_release import REPORT, year_release

    chosen = report_settings()
    label = check_year(school_year, today)
    day = today or clock.today()
    inputs = gather_inputs(label, day)
    edition = Edition(edition)
    if threshold is not None and threshold != chosen.threshold:
        return build_annual_report(inputs, edition, threshold)
    if edition is Edition.PUBLIC:
        release = year_release(label, day)
        return build_annual_report(inputs, edition, chosen.threshold,
                                   protection=release.protection.for_document(REPORT))
    try:
        rows = tuple(e.row() for e in year_release(label, day).explanations())
    except RuleViolation as err:
        rows = (("", "", "", f"The public release cannot be protected yet: {err}", ""),)
    return build_annual_report(inputs, edition, chosen.threshold,
                               explanations=(EXPLANATION_HEADERS, *rows))


def export_report(
    report: AnnualReport,
    *,
    json_path: Path | str | None = None,
    xlsx_path: Path | str | None = None,
    pdf_path: Path | str | None = None,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> list[Path]:
    """Write each requested file from the same report; returns the paths written."""
    jobs: list[tuple[str, Path]] = [
        (kind, Path(path)) for kind, path in
        (("json", json_path), ("xlsx", xlsx_path), ("pdf", pdf_path)) if path
    ]
    if not jobs:
        raise ValidationError("Choose at least one file to write (JSON, xlsx or PDF).")
    from sro_desk.exports.atomic import check_destination

    for _kind, path in jobs:  # every destination judged before any file is written
        check_destination(path)
    written: list[Path] = []
    for done, (kind, path) in enumerate(jobs):
        if is_cancelled is not None and is_cancelled():
            break
        if progress is not None:
            progress(done, len(jobs))
        if kind == "json":
            from sro_desk.exports.report_json import write_report_json

            written.append(write_report_json(report, path))
        elif kind == "xlsx":
            from sro_desk.exports.report_xlsx import write_report_xlsx

            written.append(write_report_xlsx(report, path))
        else:
            from sro_desk.exports.report_pdf import write_report_pdf

            written.append(write_report_pdf(report, path))
    if progress is not None:
        progress(len(jobs), len(jobs))
    return written
