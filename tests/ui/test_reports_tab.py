"""The Reports tab: year and edition, tables with hidden counts, charts, background export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import builtin_labels
from sro_desk.store import call_repo, roster_repo
from sro_desk.ui.context import AppContext
from sro_desk.ui.models.call_models import ReportTableModel
from sro_desk.ui.tabs.reports_tab import ReportsTab
from tests.domain.test_report_annual import generate

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def tab(db: Any, qtbot: Any, tmp_path: Path) -> ReportsTab:
    for name, code in (("North High", "NHS"), ("South Middle", "SMS"),
                       ("Elm Elementary", "ELM")):
        roster_repo.save_building(Building(None, name, code))
    calls = generate(builtin_labels(), 150, seed=6, start=dt.date(2025, 7, 1))
    call_repo.insert_imported_calls(calls, source="t", file_sha256="0" * 64)
    page = ReportsTab(AppContext(tmp_path / "x.db"))
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.report is not None and not page.builder.busy, timeout=120_000)
    return page


def choose(tab: ReportsTab, qtbot: Any, combo: Any, data: str) -> None:
    """Pick a year or edition and wait for the background build to show it."""
    index = combo.findData(data)
    if combo.currentIndex() == index:
        return
    with qtbot.waitSignal(tab.report_shown, timeout=120_000):
        combo.setCurrentIndex(index)


def test_year_edition_and_tables(tab: ReportsTab, qtbot: Any, qtmodeltester: Any) -> None:
    assert tab.year.currentData() in ("2025-26", "2024-25", "2026-27")
    choose(tab, qtbot, tab.year, "2025-26")
    assert tab.report is not None and tab.report.school_year == "2025-26"
    assert str(tab.report.edition) == "public"
    titles = [tab.table_list.item(i).text() for i in range(tab.table_list.count())]
    assert "Outcome by race/ethnicity" in titles and "Calls by building" in titles
    tab.table_list.setCurrentRow(titles.index("Involved students by age"))
    qtmodeltester.check(tab.table_model)
    cells = [tab.table_model.index(r, 1).data() for r in range(tab.table_model.rowCount())]
    assert "<10" in cells  # ages spread over 18 values: some counts are small
    assert "public edition" in tab.summary.text()
    choose(tab, qtbot, tab.edition, "internal")
    assert str(tab.report.edition) == "internal"
    cells = [tab.table_model.index(r, 1).data() for r in range(tab.table_model.rowCount())]
    assert "<10" not in cells and "*" not in cells


def test_charts_never_draw_a_hidden_count(tab: ReportsTab, qtbot: Any) -> None:
    choose(tab, qtbot, tab.year, "2025-26")
    race_chart = tab.charts[2]
    assert race_chart.labels and len(race_chart.labels) == len(race_chart.figures)
    description = race_chart.accessibleDescription()
    for label, figure in zip(race_chart.labels, race_chart.figures, strict=True):
        assert f"{label}: {figure.text(10)}" in description
    tab.pages.setCurrentIndex(2)
    assert not race_chart.grab().isNull()


def test_export_all_in_the_background(tab: ReportsTab, qtbot: Any, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    import sro_desk.ui.tabs.reports_tab as module

    infos: list[str] = []
    monkeypatch.setattr(module, "show_info", lambda *a, **k: infos.append(a[1]))
    choose(tab, qtbot, tab.year, "2025-26")
    with qtbot.waitSignal(tab.runner.finished, timeout=120_000):
        tab.export_files(json_path=tmp_path / "r.json", xlsx_path=tmp_path / "r.xlsx",
                         pdf_path=tmp_path / "r.pdf")
    qtbot.waitUntil(lambda: not tab.runner.busy)
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["school_year"] == "2025-26" and data["edition"] == "public"
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert infos == ["The report was written."]


def test_ospi_package_button_writes_the_zip_in_the_background(
    tab: ReportsTab, qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    import zipfile

    import sro_desk.ui.tabs.reports_tab as module

    infos: list[str] = []
    monkeypatch.setattr(module, "show_info", lambda *a, **k: infos.append(a[1]))
    choose(tab, qtbot, tab.year, "2025-26")
    assert tab.ospi_button.isEnabled() and "RCW 28A.320.1241" in tab.ospi_button.toolTip()
    with qtbot.waitSignal(tab.runner.finished, timeout=20_000):
        tab.export_ospi_package(tmp_path / "ospi")
    qtbot.waitUntil(lambda: not tab.runner.busy)
    with zipfile.ZipFile(tmp_path / "ospi.zip") as archive:
        names = set(archive.namelist())
    assert {"README.txt", "a_staff.csv", "e_other.json"} <= names
    assert infos == ["The report was written."]


def test_report_model_empty_is_valid(qtmodeltester: Any) -> None:
    model = ReportTableModel()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == 0


def test_the_report_is_built_off_the_gui_thread(tab: ReportsTab, qtbot: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """At 60,000 calls building takes seconds: it runs in a worker, the window stays live."""
    import threading

    import sro_desk.ui.tabs.reports_tab as module

    real = module.service.build_report
    threads: list[str] = []
    gate = threading.Event()

    def slow(*args: Any, **kwargs: Any) -> Any:
        threads.append(threading.current_thread().name)
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(module.service, "build_report", slow)
    choose_year = tab.year.findData("2025-26")
    other = next(i for i in range(tab.year.count()) if i != choose_year)
    tab.year.setCurrentIndex(other)
    qtbot.waitUntil(lambda: bool(threads))
    assert tab.builder.busy and "Building" in tab.summary.text()
    assert not tab.pdf_button.isEnabled()
    tab.year.setCurrentIndex(choose_year)  # changed mind while building: built next
    with qtbot.waitSignal(tab.report_shown, timeout=120_000):
        gate.set()
    assert threading.main_thread().name not in threads
    assert tab.report is not None and tab.report.school_year == "2025-26"
    assert tab.pdf_button.isEnabled()


def test_a_refused_year_is_said_in_words(tab: ReportsTab, qtbot: Any,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import sro_desk.ui.tabs.reports_tab as module
    from sro_desk.domain.errors import ValidationError

    def refuse(*_a: Any, **_k: Any) -> Any:
        raise ValidationError("2031-32 is not set up as a school year in SRO Desk.")

    monkeypatch.setattr(module.service, "build_report", refuse)
    with qtbot.waitSignal(tab.report_shown, timeout=120_000):
        tab.edition.setCurrentIndex(tab.edition.findData("internal"))
    assert tab.report is None and "not set up" in tab.summary.text()
