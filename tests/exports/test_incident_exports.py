"""The incident fields in the annual report: counted by rule, named by crosswalk, read back
from the JSON, the workbook and the PDF; the why-hidden sheet in the internal workbook."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import openpyxl
from pypdf import PdfReader

from sro_desk.domain.annual_report import (
    AnnualReport,
    Edition,
    ReportInputs,
    build_annual_report,
    reporting_period,
)
from sro_desk.domain.calls import InvolvedStudent, make_call
from sro_desk.domain.police_contact import PoliceContact
from sro_desk.exports.report_json import write_report_json
from sro_desk.exports.report_pdf import write_report_pdf
from sro_desk.exports.report_xlsx import write_report_xlsx
from sro_desk.services.calls_import import builtin_labels
from sro_desk.services.incident_rules import builtin_contact_rules, crosswalk, detailed_catalog

NOW = dt.datetime(2026, 6, 30, 23, 0)


def student(**fields: object) -> InvolvedStudent:
    base: dict[str, object] = dict(age=15, gender="female", race="not reported", iep=False,
                                   section_504=False, outcome="handled informally",
                                   use_of_force=False, discipline=False, grade="10")
    base.update(fields)
    return InvolvedStudent(**base)  # type: ignore[arg-type]


def inputs(walk: str = "spd15_2024") -> ReportInputs:
    labels = builtin_labels()
    custody_no_lawyer = PoliceContact(initiated_by="school staff", questioned_in_custody=True)
    force = PoliceContact(initiated_by="officer", detained=True,
                          attorney_access_before_waiver=True,
                          force_types=("tackle, takedown or strike",
                                       "handcuffs or other mechanical restraint"),
                          injury_level="minor (no treatment)", searched_person=True,
                          search_by="officer", search_basis="incident to arrest",
                          parent_notified_at=dt.datetime(2026, 3, 2, 15, 0),
                          parent_notified_how="telephone", rights_advised=True)
    calls = [
        make_call(ref="K-1", occurred_on=dt.date(2026, 3, 2), occurred_at=dt.time(10, 0),
                  building="North High", location="on campus", initiated_by="teacher",
                  emergency=False, offense_type="theft", description="",
                  students=[student(contact=custody_no_lawyer, race_detail=("MENA-LEBANESE",),
                                    hispanic=False, iep=True),
                            student(contact=force, outcome="arrest", use_of_force=True,
                                    race_detail=("ASIAN-HMONG", "WHITE-OTHER"),
                                    hispanic=False, section_504=True)],
                  own_outcome=None, labels=labels),
        make_call(ref="K-2", occurred_on=dt.date(2026, 4, 2), occurred_at=None,
                  building="North High", location="near campus", initiated_by="SRO",
                  emergency=False, offense_type="trespass", description="",
                  students=[student(race="White", grade="")], own_outcome=None, labels=labels),
    ]
    return ReportInputs(
        district_name="Cedar SD", period=reporting_period("2025-26"), calls=calls,
        labels=labels, buildings=["North High"], crosswalk=crosswalk(walk),
        identity_catalog=detailed_catalog(), contact_rules=builtin_contact_rules(), now=NOW,
    )


def internal() -> AnnualReport:
    return build_annual_report(inputs(), Edition.INTERNAL,
                               explanations=(("Document", "Figure", "Printed as",
                                              "Why it is hidden", "What a reader can work out"),
                                             ("annual report", "calls: total", "*",
                                              "Cross-document. Complementary: ...", "0-9")))


def rows_of(report: AnnualReport, key: str) -> dict[object, tuple[object, ...]]:
    table = next(t for t in report.incident_tables if t.key == key)
    return {r[0]: r[1:] for r in table.rows}


def test_each_rule_is_counted_in_its_table_with_its_citation() -> None:
    report = internal()
    access = rows_of(report, "incidents.attorney_access")
    assert access["Access MISSING: follow up"] == (1,)
    assert access["Access given before any waiver"] == (1,)
    notice = rows_of(report, "incidents.parent_notification")
    assert notice["OVERDUE, not made: follow up"] == (1,)
    assert notice["Made on time"] == (1,)
    force = rows_of(report, "incidents.force_types")
    assert force["tackle, takedown or strike"] == (1,)
    assert force["handcuffs or other mechanical restraint"] == (1,)
    crdc = rows_of(report, "incidents.crdc")
    # K-1: both referred (school staff; an arrest); K-2 has no grade, so it is not counted
    assert crdc["Referrals to law enforcement: instances"] == (1, 1, 0, 2)
    assert crdc["School-related arrests: instances"] == (0, 1, 0, 1)
    assert crdc["Referrals to law enforcement: students"][0] == "not collected"
    citations = {t.key: t.citation for t in report.incident_tables}
    assert "RCW 13.40.740" in citations["incidents.attorney_access"]
    assert "ESHB 1296" in citations["incidents.parent_notification"]
    assert "RCW 10.118.030" in citations["incidents.force_types"]


def test_the_crosswalk_decides_the_race_rows_and_is_named() -> None:
    spd = build_annual_report(inputs("spd15_2024"), Edition.INTERNAL)
    race = spd.table("students", "by_race")
    assert "Middle Eastern or North African" in race.labels  # type: ignore[union-attr]
    assert race.figure("Middle Eastern or North African").value == 1  # type: ignore[union-attr]
    assert race.figure("Multiracial and/or Multiethnic").value == 1  # type: ignore[union-attr]
    assert "SPD 15" in spd.crosswalk_name
    fed = build_annual_report(inputs("federal_1997"), Edition.INTERNAL)
    fed_race = fed.table("students", "by_race")
    assert fed_race.figure("White").value == 2  # type: ignore[union-attr]
    assert fed_race.figure("Two or more races").value == 1  # type: ignore[union-attr]
    assert any("1997" in d for _, d in fed.definitions)


def test_the_public_edition_has_no_incident_tables() -> None:
    report = build_annual_report(inputs(), Edition.PUBLIC, threshold=2)
    assert report.incident_tables == () and report.explanations == ()
    assert report.crosswalk_name


def test_json_workbook_and_pdf_read_back(tmp_path: Path) -> None:
    report = internal()
    data = json.loads(write_report_json(report, tmp_path / "r.json").read_text("utf-8"))
    assert "SPD 15" in data["crosswalk"]
    tables = data["incidents"]["tables"]
    assert ["Access MISSING: follow up", 1] in tables["attorney_access"]["rows"]
    contact = data["incidents"]["list"][0]["students"][1]["police_contact"]
    assert contact["force_types"] == ["tackle, takedown or strike",
                                      "handcuffs or other mechanical restraint"]

    book = openpyxl.load_workbook(write_report_xlsx(report, tmp_path / "r.xlsx"))
    found = {}
    for name in book.sheetnames:
        for row in book[name].iter_rows(values_only=True):
            if row and row[0] == "Access MISSING: follow up":
                found[name] = row[1]
    assert list(found.values()) == [1]
    why = [r for r in book["Why hidden (public)"].iter_rows(values_only=True) if r and r[0]]
    assert ("Document", "Figure", "Printed as", "Why it is hidden",
            "What a reader can work out") in why
    notes = {r[0]: r[1] for r in book["Notes"].iter_rows(values_only=True) if r and len(r) > 1}
    assert "SPD 15" in str(notes["Race/ethnicity crosswalk"])

    text = " ".join(p.extract_text() for p in PdfReader(
        write_report_pdf(report, tmp_path / "r.pdf")).pages)
    text = " ".join(text.split())
    for words in ("Police contacts with students: access to an attorney", "RCW 13.40.740",
                  "CRDC: referrals to law enforcement", "Use of force by type",
                  "not collected"):
        assert words in text


def test_old_records_report_their_single_category() -> None:
    legacy = inputs("federal_1997")
    calls = [dataclasses.replace(c, students=tuple(dataclasses.replace(
        s, race_detail=(), hispanic=None, race="Black or African American")
        for s in c.students)) for c in legacy.calls]
    report = build_annual_report(dataclasses.replace(legacy, calls=calls), Edition.INTERNAL)
    assert report.table("students", "by_race").figure(  # type: ignore[union-attr]
        "Black or African American").value == 3
    identity = rows_of(report, "incidents.detailed_identity")
    assert identity["Single category only (collected before detailed categories)"] == (3,)
