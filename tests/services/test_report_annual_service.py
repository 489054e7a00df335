"""The annual report gathered from a database: period setting, staff, agencies, both editions."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.annual_report import Edition
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    Provider,
    ProviderKind,
    Role,
    SchoolYear,
    StaffMember,
    StaffStatus,
)
from sro_desk.services import annual_report as service
from sro_desk.services.calls_import import builtin_labels
from sro_desk.store import call_repo, roster_repo, settings
from sro_desk.store.database import close_database, open_database
from tests.domain.test_report_annual import generate


@pytest.fixture
def db(tmp_path: Path) -> Iterator[None]:
    open_database(tmp_path / "report.db", daily_backup=False)
    settings.set_setting(settings.DISTRICT_NAME, "Cedar Valley SD")
    ids = [roster_repo.save_building(Building(None, name, code)).id
           for name, code in (("North High", "NHS"), ("South Middle", "SMS"),
                              ("Elm Elementary", "ELM"))]
    police = roster_repo.save_provider(Provider(None, "Cedar PD", ProviderKind.POLICE))
    guards = roster_repo.save_provider(Provider(None, "Acme Security",
                                                ProviderKind.SECURITY_COMPANY))
    roster_repo.save_staff(StaffMember(
        None, "Ana", "Ruiz", Role.SRO, True, police.id, status=StaffStatus.ACTIVE,
        assignments=(BuildingAssignment(ids[0], 3), BuildingAssignment(ids[1], 2)),  # type: ignore[arg-type]
    ))
    roster_repo.save_staff(StaffMember(
        None, "Bo", "Lee", Role.CAMPUS_SECURITY, False, guards.id, status=StaffStatus.ACTIVE,
        assignments=(BuildingAssignment(ids[0], 5),),  # type: ignore[arg-type]
    ))
    roster_repo.save_staff(StaffMember(  # left before the year: not counted
        None, "Cy", "Old", Role.CAMPUS_SECURITY, False, guards.id, status=StaffStatus.INACTIVE,
        assignment_end=dt.date(2024, 6, 1),
        assignments=(BuildingAssignment(ids[2], 5),),  # type: ignore[arg-type]
    ))
    calls = generate(builtin_labels(), 300, seed=4, start=dt.date(2025, 7, 1))
    call_repo.insert_imported_calls(calls, source="test", file_sha256="0" * 64)
    yield
    close_database()


def test_report_from_the_database(db: None) -> None:
    report = service.build_report("2025-26", Edition.INTERNAL)
    in_year = [c for c in call_repo.list_calls()
               if dt.date(2025, 7, 1) <= c.occurred_on <= dt.date(2026, 6, 30)]
    assert report.calls_total.value == len(in_year)
    assert report.district_name == "Cedar Valley SD"
    assert report.staff.total == 2
    assert [(b.building, b.staff, b.days_per_week) for b in report.staff.buildings] == [
        ("North High", 2, 8.0), ("South Middle", 1, 2.0)]
    # no adopted agreements recorded: every provider of rostered staff, each marked
    assert report.agencies.names == ("Acme Security", "Cedar PD")
    assert report.agencies.without_agreement == ("Acme Security", "Cedar PD")
    assert report.agencies.source == service.AGENCIES_FROM_AGREEMENTS
    has_complaints = importlib.util.find_spec("sro_desk.services.complaint_summary") is not None
    assert report.complaints.tracked == has_complaints


def test_period_and_threshold_settings(db: None) -> None:
    service.save_report_settings(9, 1, 5)
    chosen = service.report_settings()
    assert (chosen.start_month, chosen.start_day, chosen.threshold) == (9, 1, 5)
    report = service.build_report("2025-26", "public")
    assert report.period.start == dt.date(2025, 9, 1) and report.threshold == 5
    assert "1 to 4" in report.rule
    with pytest.raises(ValidationError):
        service.save_report_settings(2, 30, 10)
    with pytest.raises(RuleViolation):
        service.save_report_settings(7, 1, 1)


def test_available_years_cover_the_calls(db: None) -> None:
    years = service.available_years()
    assert "2025-26" in years and "2024-25" in years and years == sorted(years, reverse=True)
    roster_repo.save_school_year(SchoolYear(None, "2027-28", dt.date(2027, 9, 1),
                                            dt.date(2028, 6, 15)))
    assert "2027-28" in service.available_years()  # set up ahead of time: reportable
    assert service.build_report("2027-28", Edition.PUBLIC, today=dt.date(2026, 11, 26)).not_begun


def test_export_writes_every_requested_file(db: None, tmp_path: Path) -> None:
    report = service.build_report("2025-26", Edition.PUBLIC)
    steps: list[tuple[int, int]] = []
    paths = service.export_report(report, json_path=tmp_path / "r.json",
                                  xlsx_path=tmp_path / "r.xlsx", pdf_path=tmp_path / "r.pdf",
                                  progress=lambda d, t: steps.append((d, t)))
    assert [p.suffix for p in paths] == [".json", ".xlsx", ".pdf"]
    assert steps[-1] == (3, 3)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["calls"]["total"] == report.calls_total.value
    with pytest.raises(ValidationError):
        service.export_report(report)


def test_agencies_list_every_supplier_and_mark_those_without_an_agreement(
        db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    real = service._optional

    def fake(module: str, name: str) -> object:
        if name == "providers_with_agreement":
            return lambda year: ["Cedar PD", "Lakeside Sheriff"]
        return real(module, name)

    monkeypatch.setattr(service, "_optional", fake)
    report = service.build_report("2025-26", Edition.PUBLIC)
    # Acme's guards are counted, so Acme is listed even though it has no adopted agreement
    assert report.agencies.names == ("Acme Security", "Cedar PD", "Lakeside Sheriff")
    assert report.agencies.without_agreement == ("Acme Security",)
    assert "Acme Security (no adopted agreement)" in report.agencies.text()


def test_a_year_not_set_up_is_refused(db: None) -> None:
    with pytest.raises(ValidationError, match="2031-32 is not set up as a school year"):
        service.build_report("2031-32", Edition.PUBLIC)
    with pytest.raises(ValidationError, match="not a school year"):
        service.build_report("2031", Edition.PUBLIC)


def test_an_unfinished_year_is_counted_to_date(db: None) -> None:
    today = dt.date(2025, 11, 26)
    report = service.build_report("2025-26", Edition.INTERNAL, today=today)
    assert report.through == today
    assert report.calls_total.value == sum(
        dt.date(2025, 7, 1) <= c.occurred_on <= today for c in call_repo.list_calls())
    assert "year to date, through 26 November 2025" in report.narrative()
