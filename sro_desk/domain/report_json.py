"""The machine-readable shape of the annual report, for district IT and the state submission.

Top-level keys: ``school_year``, ``edition``, ``threshold``, ``calls``, ``students``, ``staff``,
``agencies``, ``complaints`` (plus ``district``, ``period``, ``rule``, ``definitions``,
``incidents``, ``prevention_activities`` and ``agencies_without_agreement``). Table keys are the
catalog labels; a hidden figure is ``null``. Two-way tables are nested objects
``{group label: {measure label: count}}``; their margins are the one-way tables with the same
labels (``by_race`` and ``by_outcome`` for ``outcome_by_race``).

Why a ``null`` is hidden: the top-level ``hidden`` object, a sibling of the sections, mirrors
``calls``, ``students``, ``incidents`` and ``complaints`` with only their hidden figures, each
``"<10"`` (a count from 1 to threshold - 1) or ``"*"`` (hidden so that no other hidden count can
be worked out, or a zero beside a hidden total): ``hidden.calls.by_building["Alder ES"] == "<10"``.
Its sections are empty in the internal edition. ``period`` carries ``through`` and ``year_to_date: true`` while the year is unfinished.
The complaints section has ``counted_by_law``: complaints about job duties or student
interactions, the count RCW 28A.320.1241 requires.
"""

from __future__ import annotations

from typing import Any

from sro_desk.domain.annual_report import (
    AnnualReport,
    Edition,
    Figure,
    OneWayTable,
    TwoWayTable,
)
from sro_desk.domain.police_contact import contact_to_data

SCHEMA_VERSION = 2
STUDENT_DEMOGRAPHIC_FIELDS = ("age", "gender", "race", "iep", "504", "outcome", "use_of_force",
                              "discipline")


def _one_way(table: OneWayTable) -> dict[str, int | None]:
    return table.values()


def _two_way(table: TwoWayTable) -> dict[str, dict[str, int | None]]:
    return table.values()


class _Hidden:
    """Collects why each hidden figure of a section is hidden, keyed like the section."""

    def __init__(self, threshold: int) -> None:
        self.threshold = threshold
        self.data: dict[str, Any] = {}

    def figure(self, key: str, figure: Figure) -> None:
        if figure.hidden:
            self.data[key] = figure.text(self.threshold)

    def one_way(self, table: OneWayTable) -> None:
        found = {label: cell.text(self.threshold)
                 for label, cell in zip(table.labels, table.cells, strict=True) if cell.hidden}
        if found:
            self.data[table.key] = found

    def two_way(self, table: TwoWayTable) -> None:
        found: dict[str, dict[str, str]] = {}
        for label, row in zip(table.row_labels, table.cells, strict=True):
            cells = {c: cell.text(self.threshold)
                     for c, cell in zip(table.col_labels, row, strict=True) if cell.hidden}
            if cells:
                found[label] = cells
        if found:
            self.data[table.key] = found


def report_to_data(report: AnnualReport) -> dict[str, Any]:
    """The report as plain JSON-ready data; equal reports give equal data."""
    threshold = report.threshold
    calls: dict[str, Any] = {"total": report.calls_total.value}
    why = _Hidden(threshold)
    why.figure("total", report.calls_total)
    for table in report.call_tables:
        calls[table.key] = _one_way(table)
        why.one_way(table)
    hidden: dict[str, Any] = {"calls": why.data}
    students: dict[str, Any] = {"total": report.students_total.value}
    why = _Hidden(threshold)
    why.figure("total", report.students_total)
    for table in report.student_tables:
        students[table.key] = _one_way(table)
        why.one_way(table)
    for cross in report.cross_tables:
        students[cross.key] = _two_way(cross)
        why.two_way(cross)
    hidden["students"] = why.data
    complaints: dict[str, Any]
    section = report.complaints
    if section.tracked and section.total is not None:
        why = _Hidden(threshold)
        why.figure("total", section.total)
        complaints = {"tracked": True, "total": section.total.value}
        if section.counted_by_law is not None:
            complaints["counted_by_law"] = section.counted_by_law.value
            why.figure("counted_by_law", section.counted_by_law)
        for table in section.tables:
            complaints[table.key] = _one_way(table)
            why.one_way(table)
        hidden["complaints"] = why.data
    else:
        complaints = {"tracked": False, "total": None, "counted_by_law": None,
                      "note": section.note}
        hidden["complaints"] = {}
    incidents: dict[str, Any] = {"total": report.incidents_total.value}
    why = _Hidden(threshold)
    why.figure("total", report.incidents_total)
    hidden["incidents"] = why.data
    if report.edition is Edition.INTERNAL:
        incidents["list"] = [
            {
                "call_ref": incident.ref,
                "date": incident.occurred_on.isoformat(),
                "building": incident.building,
                "offense_type": incident.offense_type,
                "description": incident.description,
                "students": [
                    {
                        "age": s.age,
                        "gender": s.gender,
                        "race": s.race,
                        "iep": s.iep,
                        "504": s.section_504,
                        "outcome": s.outcome,
                        "use_of_force": s.use_of_force,
                        "discipline": s.discipline,
                        "grade": s.grade,
                        "race_detail": list(s.race_detail),
                        "hispanic": s.hispanic,
                        "police_contact": contact_to_data(s.contact),
                    }
                    for s in incident.students
                ],
            }
            for incident in report.incidents
        ]
        incidents["tables"] = {
            t.key.removeprefix("incidents."): {
                "title": t.title, "citation": t.citation, "headers": list(t.headers),
                "rows": [list(r) for r in t.rows], "note": t.note,
            }
            for t in report.incident_tables
        }
    return {
        "schema_version": SCHEMA_VERSION,
        "school_year": report.school_year,
        "edition": str(report.edition),
        "threshold": report.threshold,
        "district": report.district_name,
        "period": {"start": report.period.start.isoformat(),
                   "end": report.period.end.isoformat(),
                   "through": (report.through or report.period.end).isoformat(),
                   "year_to_date": not report.complete},
        "rule": report.rule,
        "crosswalk": report.crosswalk_name or None,
        "definitions": dict(report.definitions),
        "calls": calls,
        "students": students,
        "staff": {
            "total": report.staff.total,
            "by_building": {
                b.building: {"staff": b.staff, "days_per_week": b.days_per_week}
                for b in report.staff.buildings
            },
            "per_person": [
                {("position" if report.edition == "public" else "name"): r.who,
                 "role": r.role, "employer": r.employer,
                 "buildings": [{"building": b, "days_per_week": d} for b, d in r.buildings],
                 "days_per_week": r.days_per_week}
                for r in report.staff_people
            ],
        },
        "agencies": list(report.agencies.names),
        "agencies_without_agreement": list(report.agencies.without_agreement),
        "agencies_source": report.agencies.source,
        "incidents": incidents,
        "complaints": complaints,
        "prevention_activities": dict(report.prevention_activities),
        "hidden": hidden,
    }
