"""The complaint, calendar and meeting commands, through ``cli.main`` on the demo district."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sro_desk.cli import EXIT_ERROR, EXIT_OK, EXIT_PROBLEM, main


@pytest.fixture
def demo(demo_db: Path) -> str:
    from sro_desk.store.database import close_database

    close_database()  # the command opens the file itself
    return str(demo_db)


def test_export_complaints_internal_and_public(demo: str, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "log.xlsx"
    assert main(["export", "complaints", "--db", demo, "--year", "2026-27", "--xlsx",
                 str(out)]) == EXIT_OK
    sheet = load_workbook(out)["Complaints"]
    assert sheet.max_row - 4 == 7  # seven 2026-27 complaints in the demo
    public = tmp_path / "public.xlsx"
    assert main(["export", "complaints", "--db", demo, "--year", "2025-26", "--xlsx",
                 str(public), "--public"]) == EXIT_OK
    text = " ".join(str(c.value) for r in load_workbook(public)["Summary"].iter_rows()
                    for c in r if c.value is not None)
    assert "O'Neill" not in text and "Lopez" not in text and "All complaints" in text
    assert main(["export", "complaints", "--db", demo, "--year", "2026-27", "--xlsx",
                 str(public), "--public", "--today", "2026-11-26"]) == EXIT_OK
    rows = {r[0]: r[1:] for r in load_workbook(public)["Summary"].iter_rows(values_only=True)
            if r[0]}
    # Complaint 7 is 15 school days overdue and unanswered: it is counted, as late
    assert rows["Written answer"][:5] == ("On time", "Late", "Late (still open)",
                                          "Not yet due", "Total")
    assert rows["Written determination"][2] in ("<10", "*")  # hidden (a "*" keeps the width)
    small = [v for r in rows.values() for v in r if isinstance(v, int) and 0 < v < 10]
    assert not small  # the public annual report's rule: 1-9 read "<10"
    assert "Wrote" in capsys.readouterr().out


def test_unknown_year_fails_in_words(demo: str, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "complaints", "--db", demo, "--year", "1999-00", "--xlsx",
                 str(tmp_path / "x.xlsx")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "There is no school year 1999-00" in err and "Traceback" not in err


def test_board_exits_1_when_something_is_overdue(demo: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "board", "--db", demo, "--today", "2026-11-26"]) == EXIT_PROBLEM
    out = capsys.readouterr().out
    assert "Overdue by" in out and out.strip().endswith("1 overdue.")


def test_closure_moves_deadlines_and_count_explains(demo: str,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["calendar", "close", "--db", demo, "--year", "2026-27", "--date", "2026-12-01",
                 "--reason", "Snow day"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Added 1 non-school day." in out
    assert "Snow day 1 December 2026" in out and "deadline moved from" in out
    assert main(["calendar", "count", "--db", demo, "--from", "2026-11-24", "--days",
                 "20"]) == EXIT_OK
    assert "Snow day" in capsys.readouterr().out
    assert main(["calendar", "close", "--db", demo, "--year", "2026-27", "--date",
                 "2026-12-05", "--reason", "Snow day"]) == EXIT_ERROR
    assert "weekends are never school days" in capsys.readouterr().err


def test_letter_and_meetings_pdf(demo: str, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    letter = tmp_path / "ext.pdf"
    assert main(["export", "complaint-letter", "--db", demo, "--complaint", "8", "--kind",
                 "extension", "--pdf", str(letter)]) == EXIT_OK
    text = " ".join(PdfReader(str(letter)).pages[0].extract_text().split())
    assert "Notice of extension" in text and "4 December 2026" in text
    assert "CONFIDENTIAL" not in text and "SRO Desk" not in text
    ack = tmp_path / "ack.pdf"
    assert main(["export", "complaint-letter", "--db", demo, "--complaint", "8", "--kind",
                 "acknowledgement", "--date", "2030-01-02", "--pdf", str(ack)]) == EXIT_OK
    assert "2 January 2030" in PdfReader(str(ack)).pages[0].extract_text()
    assert main(["export", "complaint-letter", "--db", demo, "--complaint", "8", "--kind",
                 "acknowledgement", "--date", "2000-01-02", "--pdf", str(ack)]) == EXIT_ERROR
    assert "before the complaint was received" in capsys.readouterr().err
    pdf = tmp_path / "m.pdf"
    assert main(["export", "meetings", "--db", demo, "--year", "2026-27", "--building", "hvhs",
                 "--pdf", str(pdf)]) == EXIT_OK
    assert "Harbor View High School" in PdfReader(str(pdf)).pages[0].extract_text()
    assert main(["export", "meetings", "--db", demo, "--year", "2026-27", "--building", "XX",
                 "--pdf", str(pdf)]) == EXIT_ERROR
    assert "no building with code XX" in capsys.readouterr().err


def test_import_calendar_template_dry_run(demo: str, tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "cal.xlsx"
    assert main(["template", "calendar", str(sheet)]) == EXIT_OK
    # The template's example rows describe 2026-27 days the demo already has (Labor Day,
    # winter break) plus a snow day that is new.
    assert main(["import", "calendar", str(sheet), "--db", demo, "--year", "2026-27",
                 "--dry-run"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "1 non-school day to add to 2026-27" in out and "12 February 2027" in out
    assert "Dry run: nothing was changed." in out
    bad = tmp_path / "bad.ics"
    bad.write_text("hello", encoding="utf-8")
    assert main(["import", "calendar", str(bad), "--db", demo, "--year", "2026-27"]) == EXIT_ERROR
    assert "not an iCalendar file" in capsys.readouterr().err


def test_rules_show_and_change(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["complaints", "rules", "--db", demo]) == EXIT_OK
    assert "within 20 school days" in capsys.readouterr().out
    assert main(["complaints", "rules", "--db", demo, "--appeal-days", "25"]) == EXIT_ERROR
    assert "Give --reason" in capsys.readouterr().err
    assert main(["complaints", "rules", "--db", demo, "--appeal-days", "25", "--reason",
                 "Board policy"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Appeal decided within 25 school days" in out
    assert "the district changed the rule from 30 to 25 school days" in out
    assert main(["complaints", "rules", "--db", demo, "--formal-every", "0", "--reason",
                 "x"]) == EXIT_ERROR
    assert "Formal meetings must be required every 1 to 90 days" in capsys.readouterr().err
