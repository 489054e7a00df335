"""The machine-readable shape of the annual report, for district IT and the state submission.

Top-level keys: ``school_year``, ``edition``, ``threshold``, ``calls``, ``students``, ``staff``,
``agencies``, ``complaints`` (plus ``district``, ``period``, ``rule``, ``incidents`` and
``prevention_activities``). Table keys are the catalog labels; a hidden figure is ``null``.
Two-way tables are nested objects ``{group label: {measure label: count}}``; their margins are the
one-way tables with the same labels (``by_race`` and ``by_outcome`` for ``outcome_by_race``).
"""

from __future__ import annotations

from typing import Any

from sro_desk.domain.annual_report import AnnualReport, Edition, OneWayTable, TwoWayTable

SCHEMA_VERSION = 1
STUDENT_DEMOGRAPHIC_FIELDS = ("age", "gender", "race", "iep", "504", "outcome", "use_of_force",
                              "discipline")


def _one_way(table: OneWayTable) -> dict[str, int | None]:
    return table.values()


def _two_way(table: TwoWayTable) -> dict[str, dict[str, int | None]]:
    return table.values()


def report_to_data(report: AnnualReport) -> dict[str, Any]:
    """The report as plain JSON-ready data; equal reports give equal data."""
    calls: dict[str, Any] = {"total": report.calls_total.value}
    for table in report.call_tables:
        calls[table.key] = _one_way(table)
    students: dict[str, Any] = {"total": report.students_total.value}
    for table in report.student_tables:
        students[table.key] = _one_way(table)
    for cross in report.cross_tables:
        students[cross.key] = _two_way(cross)
    complaints: dict[str, Any]
    if report.complaints.tracked and report.complaints.total is not None:
        complaints = {"tracked": True, "total": report.complaints.total.value}
        for table in report.complaints.tables:
            complaints[table.key] = _one_way(table)
    else:
        complaints = {"tracked": False, "total": None, "note": report.complaints.note}
    incidents: dict[str, Any] = {"total": report.incidents_total.value}
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
                    }
                    for s in incident.students
                ],
            }
            for incident in report.incidents
        ]
    return {
        "schema_version": SCHEMA_VERSION,
        "school_year": report.school_year,
        "edition": str(report.edition),
        "threshold": report.threshold,
        "district": report.district_name,
        "period": {"start": report.period.start.isoformat(),
                   "end": report.period.end.isoformat()},
        "rule": report.rule,
        "calls": calls,
        "students": students,
        "staff": {
            "total": report.staff.total,
            "by_building": {
                b.building: {"staff": b.staff, "days_per_week": b.days_per_week}
                for b in report.staff.buildings
            },
        },
        "agencies": list(report.agencies.names),
        "agencies_source": report.agencies.source,
        "incidents": incidents,
        "complaints": complaints,
        "prevention_activities": dict(report.prevention_activities),
    }
