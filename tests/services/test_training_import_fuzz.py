"""Fuzzing the training import with rows mixed from good, wrong and hostile values: every file
is either imported or refused with its problems listed by row, and a refused file changes
nothing (no completions, waivers, documentation or audit entries)."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import ImportRefused
from sro_desk.services.training_import import import_training
from tests.training_helpers import PDF_BYTES

TODAY = dt.date(2026, 11, 26)
HOSTILE = ["=HYPERLINK(\"http://x\")", "<b>x", "O'Brien <Jr>", "\u202eevil", "é" * 300, " ", "🙂",
           "../../etc/passwd", "NULL", "-1", "1e309", "nan"]
VALUES: dict[str, list[str]] = {
    "badge_number": ["B-1", "B-2", "B-3", "b-1", "B-99", ""],
    "first_name": ["Sam", "Gina", "", "Carl"],
    "last_name": ["Rivera", "Moss", "Ng", "", "Nobody"],
    "employer": ["", "Test Police Department", "Guardian Security LLC", "Acme"],
    "record": ["", "completion", "waiver", "esd documentation", "certificate"],
    "requirement": ["(a)", "g", "Unit 7 – Disparities in the Use of Force", "on_the_job",
                    "check_ins; on_the_job", "first_aid_cpr", "Unit 3 – Disparities in the Use "
                    "of Force", "", "topic_z"],
    "date": ["2026-06-24", "6/24/2026", "2027-01-01", "1899-01-01", "31/31/2026", ""],
    "esd": ["ESD 105", "", "Olympic ESD 114"],
    "status": ["", "claim", "verified", "maybe"],
    "hours": ["", "3", "0", "250", "three"],
    "mentor": ["", "Pat Ortiz"],
    "mentor_school": ["", "Test High School"],
    "grounds": ["", "Twelve years"],
    "document": ["", "ok.pdf", "fake.pdf", "missing.pdf", "../ok.pdf"],
    "provider_type": ["", "esd", "agency", "guild"],
}
COLUMNS = list(VALUES)


def _cell(column: str) -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(VALUES[column]), st.sampled_from(HOSTILE),
                     st.text(max_size=12).filter(lambda t: "\x00" not in t and "\r" not in t))


@st.composite
def training_files(draw: Callable[..., Any]) -> tuple[list[str], list[list[str]]]:
    columns = draw(st.lists(st.sampled_from(COLUMNS), min_size=2, max_size=len(COLUMNS),
                            unique=True))
    rows = draw(st.lists(st.tuples(*[_cell(c) for c in columns]).map(list), min_size=1,
                         max_size=6))
    return columns, rows


def _counts(path: Path) -> tuple[int, ...]:
    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in (
            "training_completion_record", "training_waiver_record",
            "esd_documentation_record", "attachment_record", "audit_record"))


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "ok.pdf").write_bytes(PDF_BYTES)
    (docs / "fake.pdf").write_bytes(b"MZ\x90\x00 not a pdf")
    return docs


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=training_files())
def test_every_file_is_imported_or_refused_whole(
    district: Any, db_path: Path, folder: Path, clock_at: Callable[[dt.date], None],
    data: tuple[list[str], list[list[str]]],
) -> None:
    clock_at(TODAY)
    columns, rows = data
    path = folder.parent / "fuzz.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(columns)
        writer.writerows(rows)
    before = _counts(db_path)
    try:
        result = import_training(path, today=TODAY, attachments=folder, verifier="Fuzz")
    except ImportRefused as refusal:
        assert refusal.problems and refusal.summary.strip()
        assert all(0 <= p.row <= len(rows) + 1 and p.message.strip() for p in refusal.problems)
        assert _counts(db_path) == before, "a refused file changed the database"
    else:
        assert result.summary.strip()
        again = import_training(path, today=TODAY, attachments=folder, verifier="Fuzz")
        assert not again.changed, "a second import of the same file changed something"
