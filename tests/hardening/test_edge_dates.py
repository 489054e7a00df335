"""Dates at the edges of the calendar.

One range for every date a person enters or imports (1 January 1990 to ten years after today,
``domain.dates``), refused in words naming row and column. Date arithmetic is clamped at the
calendar's ends instead of raising. Data already stored outside the range (written straight
through the store here, as an older file would hold it) still opens: reports, training status,
exports, ``--smoke`` and every tab. And a tab that raises while it is shown never ends the
program: the error goes to the exception hook (the crash dialog) and the window stays.
"""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.domain.dates import (
    EARLIEST_DATE,
    add_days,
    add_months,
    add_years,
    date_range_problem,
    latest_date,
)
from sro_desk.domain.errors import ImportRefused

TODAY = dt.date(2026, 11, 26)
EDGES = (dt.date(1, 1, 1), dt.date(9999, 12, 31))


@given(day=st.dates(), months=st.integers(-12 * 10_000, 12 * 10_000))
@settings(max_examples=400, deadline=None)
def test_month_and_year_arithmetic_never_raises(day: dt.date, months: int) -> None:
    later = add_months(day, months)
    assert (later >= day) if months >= 0 else (later <= day)
    assert isinstance(add_years(day, months // 12), dt.date)
    assert isinstance(add_days(day, months * 30), dt.date)


def test_arithmetic_clamps_at_the_ends() -> None:
    assert add_months(dt.date(9999, 12, 31), 6) == dt.date.max
    assert add_years(dt.date(9999, 2, 1), 1) == dt.date.max
    assert add_days(dt.date(1, 1, 1), -1) == dt.date.min
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)  # the ordinary rule holds


def test_the_entry_range() -> None:
    assert date_range_problem(EARLIEST_DATE, TODAY) is None
    assert date_range_problem(latest_date(TODAY), TODAY) is None
    assert latest_date(TODAY) == dt.date(2036, 11, 26)
    assert "before 1 January 1990" in (date_range_problem(dt.date(1, 1, 1), TODAY) or "")
    assert "more than 10 years" in (date_range_problem(dt.date(9999, 12, 31), TODAY) or "")
    assert date_range_problem(dt.date(2036, 11, 27), TODAY) is not None


def _csv(path: Path, headers: tuple[str, ...], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([row.get(h, "") for h in headers])
    return path


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31", "1/1/1900"])
def test_roster_import_refuses_dates_outside_the_range(district: Any, tmp_path: Path, bad: str) -> None:
    from sro_desk.services.roster_import import COLUMNS, import_roster

    row = {"first_name": "Ana", "last_name": "Núñez", "role": "school security officer",
           "commissioned": "no", "employer": "Guardian Security LLC", "buildings": "THS:5",
           "status": "pending", "first_day_with_students": bad}
    path = _csv(tmp_path / "r.csv", COLUMNS, [row])
    with pytest.raises(ImportRefused) as caught:
        import_roster(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, "first_day_with_students")
    assert "1990" in problem.message or "10 years" in problem.message


@pytest.mark.parametrize("bad", ["0001-01-01", "9999-12-31"])
def test_calls_import_refuses_dates_outside_the_range(district: Any, tmp_path: Path, bad: str) -> None:
    from sro_desk.services.calls_import import COLUMNS, IMPORT_TEMPLATES, import_calls

    example = dict(zip(COLUMNS, IMPORT_TEMPLATES[0].example_rows[2], strict=True))
    example.update(date=bad, building="THS")
    path = _csv(tmp_path / "c.csv", COLUMNS, [example])
    with pytest.raises(ImportRefused) as caught:
        import_calls(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(2, "date")]


# --------------------------------------------------------------- stored outside the range


@pytest.fixture
def edge_db(_demo_template: Path, tmp_path: Path) -> Path:
    """The demo district plus a person starting 9999-12-31, one starting 0001-01-01 and calls on
    both days, written straight through the store (as an older file would hold them)."""
    import shutil

    from sro_desk.services.calls_import import call_labels
    from sro_desk.store import call_repo, roster_repo
    from sro_desk.store.audit import set_actor
    from sro_desk.store.database import close_database, open_database

    path = tmp_path / "edge.db"
    shutil.copyfile(_demo_template, path)
    open_database(path, daily_backup=False)
    set_actor("Test Coordinator")
    staff = roster_repo.list_staff()
    roster_repo.save_staff(replace(staff[0], first_day_with_students=EDGES[1]))
    roster_repo.save_staff(replace(staff[1], first_day_with_students=EDGES[0]))
    template = call_repo.list_calls()[0]
    for day in EDGES:
        call_repo.save_call(replace(template, id=None, ref=f"EDGE-{day.year}", occurred_on=day),
                            call_labels())
    set_actor(None)
    close_database()
    return path


@pytest.mark.slow
def test_commands_work_on_dates_stored_outside_the_range(edge_db: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.cli import main

    out = tmp_path / "out"
    out.mkdir()
    db = ["--db", str(edge_db)]
    runs = [
        ["training", "status", *db],
        ["training", "attention", *db],
        ["export", "roster", *db, "--xlsx", str(out / "r.xlsx"), "--pdf", str(out / "r.pdf")],
        ["export", "training", *db, "--xlsx", str(out / "t.xlsx")],
        ["report", "annual", *db, "--year", "2025-26", "--json", str(out / "a.json"),
         "--xlsx", str(out / "a.xlsx"), "--pdf", str(out / "a.pdf")],
        ["report", "annual", *db, "--year", "2026-27", "--json", str(out / "b.json")],
    ]
    for argv in runs:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 0, (argv, err)
        assert "Traceback" not in err


@pytest.mark.slow
def test_smoke_passes_on_dates_stored_outside_the_range(edge_db: Path) -> None:
    import os
    import subprocess
    import sys

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-m", "sro_desk", "--smoke", "--db", str(edge_db)],
                            capture_output=True, text=True, env=env, timeout=300, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "smoke ok: 7 tabs" in result.stdout


def test_every_tab_shows_dates_stored_outside_the_range(edge_db: Path, qtbot: Any, tmp_path: Path) -> None:
    from sro_desk.store.database import close_database, open_database
    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow
    from sro_desk.ui.tabs.base import tab_failures

    open_database(edge_db, daily_backup=False)
    try:
        window = MainWindow(AppContext(edge_db))
        qtbot.addWidget(window)
        window.show()
        before = len(tab_failures())
        for index in range(window.tabs.count()):
            window.tabs.setCurrentIndex(index)
            qtbot.wait(10)
            window.tabs.widget(index).grab()
        assert tab_failures()[before:] == []
        window.tabs.setCurrentIndex(window.tabs.count() - 1)
        window.grab().save(str(tmp_path / "reports.png"))
        window.close()
    finally:
        close_database()


def test_a_tab_that_raises_while_shown_keeps_the_window(demo_ctx: Any, qtbot: Any,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: an exception inside showEvent → refresh took the process down (signal 11)."""
    from sro_desk.services import annual_report
    from sro_desk.ui.main_window import MainWindow
    from sro_desk.ui.tabs.base import tab_failures

    def broken(*_a: object, **_k: object) -> list[str]:
        raise RuntimeError("a bug while the Reports tab refreshes")

    monkeypatch.setattr(annual_report, "available_years", broken)
    with qtbot.captureExceptions() as exceptions:
        window = MainWindow(demo_ctx)
        qtbot.addWidget(window)
        window.show()
        reports = next(i for i in range(window.tabs.count()) if "Reports" in window.tabs.tabText(i))
        window.tabs.setCurrentIndex(reports)
        qtbot.wait(50)
        assert window.isVisible()
        window.tabs.setCurrentIndex(0)  # the other tabs still work
        qtbot.wait(10)
        assert window.isVisible()
        window.close()
        qtbot.wait(10)
    messages = {str(e[1]) for e in exceptions}  # once per refresh that ran; never anything else
    assert messages == {"a bug while the Reports tab refreshes"}
    assert any(f.startswith("Reports: showing its data: RuntimeError") for f in tab_failures())


def test_a_tab_that_cannot_be_built_is_replaced_by_a_note(demo_ctx: Any, qtbot: Any,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from sro_desk.ui.tabs import base
    from sro_desk.ui.tabs.base import UnavailableTab, build_page

    entry = next(e for e in base.available_tabs() if e.title == "Reports")

    def broken(_entry: object) -> type:
        raise RuntimeError("cannot build")

    monkeypatch.setattr(base, "load_tab_class", broken)
    with qtbot.captureExceptions() as exceptions:
        page = build_page(entry, demo_ctx)
        qtbot.addWidget(page)
        qtbot.wait(20)
    assert isinstance(page, UnavailableTab)
    assert len(exceptions) == 1


def test_date_edits_offer_the_range_and_show_stored_dates_as_they_are(qtbot: Any) -> None:
    from sro_desk import clock
    from sro_desk.ui.widgets.date_edit import OptionalDateEdit, from_qdate

    edit = OptionalDateEdit("First day")
    qtbot.addWidget(edit)
    assert from_qdate(edit.edit.minimumDate()) == EARLIEST_DATE
    assert from_qdate(edit.edit.maximumDate()) == latest_date(clock.today())
    for stored in (dt.date(1900, 1, 1), dt.date(9999, 12, 31), dt.date(1, 1, 1)):
        edit.setDate(stored)
        assert edit.date() == stored  # kept as it is, never moved to the range's end
    assert "0001-01-01 (as stored" in edit.edit.text()  # Qt cannot show years before 100
    edit.edit.setDate(edit.edit.date().addDays(3))  # the user picks a date: that one counts
    assert edit.date() is not None and edit.date() != dt.date(1, 1, 1)


def test_check_names_the_dates_stored_outside_the_range(edge_db: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    """An older file with 0001-01-01 and 9999-12-31 opens, and `check` says where those dates are."""
    from sro_desk.cli import main

    before = edge_db.read_bytes()
    assert main(["check", "--db", str(edge_db)]) != 0
    out = capsys.readouterr()
    text = out.out + out.err
    assert "Stored dates outside the range: staff_record.first_day_with_students: 2 dates" in text
    assert "call_record.occurred_on: 2 dates" in text
    assert edge_db.read_bytes() == before  # check never writes


def test_check_says_every_stored_date_is_inside_the_range(demo_db: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.services.check import run_check

    problems, lines = run_check(demo_db)
    assert not [p for p in problems if "outside the range" in p]
    assert any(line.startswith("Dates: every stored date is inside") for line in lines)
