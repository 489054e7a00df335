"""The year's public release from the demo district: the report and the complaint summary are
protected as one system, agree on every figure they share, and the attack over both finds
nothing; the internal edition says why each figure is hidden."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl

from sro_desk.domain.release import attack_release, split_key
from sro_desk.services import annual_report as report_service
from sro_desk.services.complaints import export_complaint_log
from sro_desk.services.public_release import REPORT, SUMMARY, year_release

TODAY = dt.date(2026, 11, 26)


def test_the_release_is_linked_and_the_attack_finds_nothing(demo_db: Path) -> None:
    release = year_release("2025-26", TODAY)
    assert release.release.links, "the report and the summary share complaint figures"
    protection = release.protection
    assert attack_release(release.release, protection.states, protection.threshold,
                          protection.width) == []
    for link in release.release.links:
        first = protection.states["::".join(link.first)]
        second = protection.states["::".join(link.second)]
        assert first.hidden == second.hidden, link
    assert {split_key(k)[0] for k in protection.states} == {REPORT, SUMMARY}


def test_public_files_take_their_states_from_the_release(demo_db: Path, tmp_path: Path) -> None:
    release = year_release("2025-26", TODAY)
    report = report_service.build_report("2025-26", "public", today=TODAY)
    states = release.protection.for_document(REPORT)
    assert report.complaints.total is not None
    assert report.complaints.total.state is states["complaints.total"]
    summary_states = release.protection.for_document(SUMMARY)
    path = export_complaint_log("2025-26", tmp_path / "public.xlsx", public=True, today=TODAY)
    text = " ".join(str(c) for ws in openpyxl.load_workbook(path).worksheets
                    for row in ws.iter_rows(values_only=True) for c in row if c is not None)
    total_state = summary_states["total"]
    assert total_state is states["complaints.total"]
    if total_state.hidden:
        assert "<10" in text or "*" in text


def test_the_internal_workbook_explains_every_hidden_figure(demo_db: Path,
                                                            tmp_path: Path) -> None:
    release = year_release("2025-26", TODAY)
    report = report_service.build_report("2025-26", "internal", today=TODAY)
    path = report_service.export_report(report, xlsx_path=tmp_path / "internal.xlsx")[0]
    rows = [r for r in openpyxl.load_workbook(path)["Why hidden (public)"].iter_rows(
        values_only=True) if r and r[0] in (REPORT, SUMMARY)]
    assert len(rows) == release.protection.hidden_count()
    assert all(r[3] for r in rows) and all(r[4] for r in rows)


def test_the_protection_width_is_a_district_setting(demo_db: Path) -> None:
    chosen = report_service.report_settings()
    assert chosen.width == 5
    report_service.save_report_settings(chosen.start_month, chosen.start_day,
                                        chosen.threshold, width=7)
    assert report_service.report_settings().width == 7
    assert year_release("2025-26", TODAY).protection.width == 7
