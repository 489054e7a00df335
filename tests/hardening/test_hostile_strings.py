"""Hostile strings in, through every export out: xlsx keeps them as text, PDFs print them literally.

The corpus — spreadsheet formulas and DDE (``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``,
``@SUM(1)``, ``-2+3``), markup (``<b>``, ``<img src=x>``, ``O'Brien <Jr> & Sons``), a right-to-left
override, emoji, 10,000 characters and a NUL — goes into the demo district: through the roster's
own save path (names, badge, phone, notes), the district's name (every PDF header) and every
free-text column of every feature (agreements, training, hiring, calls, complaints, meetings,
calendar). Then every ``sro-desk export``/``report`` command runs on it, and:

- in every workbook each hostile value is stored as text (never a formula), whole;
- in every PDF each hostile value that appears is printed literally (pypdf text extraction);
- the GUI's tables show each value exactly.

Each value carries a tag ``Zq01``..``Zq11`` so a test can tell where it landed. NUL cannot be
kept in XML or printed: both exports show it as U+FFFD ("�"), visibly, never dropped. Emoji and
the right-to-left override are outside the PDF's standard fonts: ``pdf_util.esc`` sets them in
bundled fonts (DejaVu Sans, Symbola), so they too come back from the PDF's text exactly.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sro_desk.cli import main

pytestmark = pytest.mark.slow

CORPUS: dict[str, str] = {
    "Zq01": '=HYPERLINK("http://evil.example/Zq01","click")',
    "Zq02": "+cmd|' /C calc'!A0 Zq02",
    "Zq03": "@SUM(1) Zq03",
    "Zq04": "<b> Zq04",
    "Zq05": "<img src=x> Zq05",
    "Zq06": "O'Brien <Jr> & Sons Zq06",
    "Zq07": "\u202eZq07 txet esrever",
    "Zq08": "Zq08 👮\u200d♀️🏫",
    "Zq09": "Zq09 " + "x" * 10_000,
    "Zq10": "Zq10 a\x00b",
    "Zq11": "-2+3 Zq11",
}
TAG = re.compile(r"Zq(0[1-9]|1[01])")
NOT_IN_PDF_FONTS: set[str] = set()  # (emoji and the override are drawn with bundled fonts)
TALLY: Counter[str] = Counter()

# Free-text columns of each feature (a column missing from this version is skipped).
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "building_record": ("name",),
    "provider_record": ("contact_name",),
    "esd_documentation_record": ("confirmed_by", "notes"),
    "training_completion_record": ("provider_name", "notes", "mentor", "mentor_school", "verified_by"),
    "training_waiver_record": ("grounds", "recorded_by"),
    "agreement_record": ("title", "responsible", "notes"),
    "agreement_item_record": ("not_applicable_reason", "evidence", "checked_by", "notes"),
    "building_start_of_year_record": ("presenter", "audience", "presentation_notes", "distribution_notes"),
    "review_meeting_record": ("notes",),
    "hiring_round_record": ("position", "agency", "building", "notes"),
    "hiring_candidate_record": ("name", "current_assignment", "notes"),
    "hiring_decision_record": ("rationale",),
    "hiring_panelist_record": ("name", "organization"),
    "hiring_question_record": ("text",),
    "hiring_score_record": ("comment", "justification"),
    "hiring_consensus_record": ("note",),
    "call_record": ("description",),
    "complaint_record": ("description", "complainant_name", "complainant_contact", "investigator",
                         "determination_summary", "appellant", "appeal_summary", "closure_note"),
    "complaint_step_record": ("detail",),
    "complaint_extension_record": ("notice_reason",),
    "non_school_day_record": ("description",),
    "prevention_activity_record": ("notes",),
    "supervision_meeting_record": ("principal", "notes"),
}


def _clean(text: str) -> str:
    """What an export can show for ``text``: control characters as U+FFFD."""
    return "".join("\ufffd" if ord(ch) < 32 and ch not in "\t\n\r" else ch for ch in text)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------ the hostile district
def _fill_through_the_roster(db_path: Path) -> None:
    """The foundation's own write paths: district name, staff names, badge, phone, notes."""
    from dataclasses import replace

    from sro_desk.domain.errors import ValidationError
    from sro_desk.store import roster_repo, settings

    settings.set_setting(settings.DISTRICT_NAME, CORPUS["Zq06"])
    staff = roster_repo.list_staff()
    values = list(CORPUS.values())
    for index, member in enumerate(staff):
        hostile = values[index % len(values)]
        other = values[(index + 3) % len(values)]
        try:
            roster_repo.save_staff(replace(member, last_name=hostile, notes=other, badge_number=values[(index + 5) % len(values)], phone=values[(index + 1) % len(values)]), reason="hostile strings test")
            TALLY["roster fields saved"] += 4
        except ValidationError as refused:  # refusing in words is fine too
            assert refused.problems
            TALLY["roster fields refused"] += 1


def _fill_every_feature(db_path: Path) -> None:
    conn = sqlite3.connect(db_path)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        values = list(CORPUS.values())
        turn = 0
        for table, columns in FREE_TEXT.items():
            if table not in tables:
                continue
            present = {r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')}
            ids = [r[0] for r in conn.execute(f'SELECT id FROM "{table}" ORDER BY id')]
            for column in columns:
                if column not in present:
                    continue
                for row_id in ids:
                    conn.execute(f'UPDATE "{table}" SET "{column}" = ? WHERE id = ?', (values[turn % len(values)], row_id))
                    turn += 1
                    TALLY["feature fields filled"] += 1
        conn.commit()
    finally:
        conn.close()


@pytest.fixture
def hostile_db(demo_db: Path) -> Iterator[Path]:
    _fill_through_the_roster(demo_db)
    _fill_every_feature(demo_db)
    yield demo_db


# ------------------------------------------------------------------ every export
def _export_commands(db: Path, out: Path) -> list[tuple[str, list[str], list[Path]]]:
    """(name, argv, files written) for every export the CLI offers, with ids from the database."""
    conn = sqlite3.connect(db)
    one = lambda sql: (conn.execute(sql).fetchone() or [None])[0]  # noqa: E731
    provider = one("SELECT provider_id FROM agreement_record ORDER BY id") if _has(conn, "agreement_record") else None
    building_id = one("SELECT id FROM building_record ORDER BY id")
    building_code = one("SELECT code FROM building_record ORDER BY id")
    complaint = one("SELECT id FROM complaint_record ORDER BY id") if _has(conn, "complaint_record") else None
    round_id = one("SELECT id FROM hiring_round_record WHERE status = 'Decided' ORDER BY id") if _has(conn, "hiring_round_record") else None
    any_round = one("SELECT id FROM hiring_round_record ORDER BY id") if _has(conn, "hiring_round_record") else None
    panelist = one(f"SELECT id FROM hiring_panelist_record WHERE round_id = {any_round} ORDER BY id") if any_round else None
    person = one("SELECT id FROM staff_record ORDER BY id")
    conn.close()
    d = ["--db", str(db)]
    commands: list[tuple[str, list[str], list[Path]]] = [
        ("roster", ["export", "roster", *d, "--xlsx", str(out / "roster.xlsx"), "--pdf", str(out / "roster.pdf")], [out / "roster.xlsx", out / "roster.pdf"]),
        ("training", ["export", "training", *d, "--xlsx", str(out / "training.xlsx")], [out / "training.xlsx"]),
        ("training-record", ["export", "training-record", *d, "--person", str(person), "--pdf", str(out / "training-record.pdf")], [out / "training-record.pdf"]),
        ("annual report", ["report", "annual", *d, "--year", "2025-26", "--edition", "internal", "--xlsx", str(out / "annual.xlsx"), "--pdf", str(out / "annual.pdf"), "--json", str(out / "annual.json")], [out / "annual.xlsx", out / "annual.pdf", out / "annual.json"]),
        ("OSPI package", ["report", "ospi-package", *d, "--year", "2025-26", str(out / "ospi")], [out / "ospi" / f"{stem}.json" for stem in ("a_staff", "b_agencies", "c_incidents", "d_complaints", "e_other")] + [out / "ospi" / "README.txt"]),
    ]
    if provider is not None:
        commands.append(("agreement", ["export", "agreement", *d, "--year", "2026-27", "--provider", str(provider), "--pdf", str(out / "agreement.pdf"), "--xlsx", str(out / "agreement.xlsx")], [out / "agreement.pdf", out / "agreement.xlsx"]))
        commands.append(("handout", ["export", "handout", *d, "--year", "2026-27", "--building", str(building_id), "--pdf", str(out / "handout.pdf")], [out / "handout.pdf"]))
    if complaint is not None:
        commands.append(("complaints", ["export", "complaints", *d, "--year", "2026-27", "--xlsx", str(out / "complaints.xlsx")], [out / "complaints.xlsx"]))
        commands.append(("complaint-letter", ["export", "complaint-letter", *d, "--complaint", str(complaint), "--kind", "acknowledgement", "--pdf", str(out / "letter.pdf"), "--signer", "O'Brien <Jr> & Sons Zq06"], [out / "letter.pdf"]))
        commands.append(("meetings", ["export", "meetings", *d, "--year", "2026-27", "--building", str(building_code), "--pdf", str(out / "meetings.pdf")], [out / "meetings.pdf"]))
    if round_id is not None:
        commands.append(("hiring", ["export", "hiring", *d, "--round", str(round_id), "--pdf", str(out / "hiring.pdf"), "--xlsx", str(out / "hiring.xlsx")], [out / "hiring.pdf", out / "hiring.xlsx"]))
    if panelist is not None:
        commands.append(("hiring-sheet", ["export", "hiring-sheet", *d, "--round", str(any_round), "--panelist", str(panelist), "--xlsx", str(out / "sheet.xlsx"), "--pdf", str(out / "sheet.pdf")], [out / "sheet.xlsx", out / "sheet.pdf"]))
    return commands


def _cli_exports() -> set[str]:
    """Every ``export``/``report`` subcommand the CLI has now (so a new one is not missed)."""
    import argparse

    from sro_desk.cli import build_parser

    def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        return dict(action.choices)

    top = subcommands(build_parser())
    return {f"export {n}" for n in subcommands(top["export"])} | {f"report {n}" for n in subcommands(top["report"])}


def _has(conn: sqlite3.Connection, table: str) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0] == 1


def _check_xlsx(path: Path, problems: list[str]) -> set[str]:
    import openpyxl

    found: set[str] = set()
    book = openpyxl.load_workbook(path)
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                tags = set(m.group(0) for m in TAG.finditer(value))
                if not tags and not value.startswith(("=", "+", "@")):
                    continue
                if cell.data_type == "f" or (value.startswith("=") and cell.data_type != "s"):
                    problems.append(f"{path.name} {sheet.title}!{cell.coordinate}: a formula: {value[:60]!r}")
                for tag in tags:
                    expected = _clean(CORPUS[tag])
                    if expected not in value:
                        problems.append(f"{path.name} {sheet.title}!{cell.coordinate}: {tag} changed: {value[:80]!r}")
                    found.add(tag)
    return found


def _check_pdf(path: Path, problems: list[str]) -> set[str]:
    from pypdf import PdfReader

    text = "".join(page.extract_text() or "" for page in PdfReader(path).pages)
    flat = _squash(text)
    found = set(m.group(0) for m in TAG.finditer(flat))
    for tag in found:
        if tag in NOT_IN_PDF_FONTS:
            continue
        expected = _squash(CORPUS[tag]).replace("\x00", "\ufffd")
        if tag == "Zq09":  # 10,000 characters: literal, though a table may show it in part
            if "Zq09xxxxxxxxxxxxxxxxxxxx" not in flat:
                problems.append(f"{path.name}: Zq09 not printed literally")
            continue
        if tag == "Zq10":
            if not re.search("Zq10a[\ufffd■]b", flat):
                problems.append(f"{path.name}: the NUL in Zq10 was dropped or printed raw")
            continue
        if expected not in flat:
            at = flat.find(tag)
            problems.append(f"{path.name}: {tag} not literal: …{flat[max(0, at - 40):at + 20]!r}")
    return found


def test_every_export_keeps_hostile_strings_literal(hostile_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.store.database import close_database

    close_database()  # the CLI opens the file itself
    out = tmp_path / "out"
    out.mkdir()
    problems: list[str] = []
    seen: dict[str, set[str]] = {}
    commands = _export_commands(hostile_db, out)
    covered = {" ".join(argv[:2]) for _name, argv, _outputs in commands}
    assert _cli_exports() <= covered, f"exports this test does not run yet: {_cli_exports() - covered}"
    for name, argv, outputs in commands:
        code = main(argv)
        err = capsys.readouterr().err
        assert code == 0, f"{name}: exit {code}: {err}"
        TALLY["exports run"] += 1
        for path in outputs:
            assert path.is_file() and path.stat().st_size > 0, f"{name} did not write {path.name}"
            if path.suffix == ".xlsx":
                seen[path.name] = _check_xlsx(path, problems)
                TALLY["workbooks checked"] += 1
            elif path.suffix == ".pdf":
                seen[path.name] = _check_pdf(path, problems)
                TALLY["pdfs checked"] += 1
            elif path.suffix == ".json":
                json.loads(path.read_text(encoding="utf-8"))
    assert problems == [], "\n".join(problems)
    every = set().union(*seen.values())
    assert every == set(CORPUS), f"never exported: {set(CORPUS) - every}"
    TALLY["tag appearances checked"] = sum(len(tags) for tags in seen.values())
    # Every PDF header carries the hostile district name, literally.
    for name, tags in seen.items():
        if name.endswith(".pdf"):
            assert "Zq06" in tags, f"{name}: the district name is missing"
    TALLY["export files"] = len(seen)


def test_gui_tables_show_hostile_strings_exactly(qtbot: Any, hostile_db: Path) -> None:
    from PySide6 import QtGui
    from PySide6.QtCore import QModelIndex, Qt
    from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QLabel, QTextEdit

    from sro_desk.ui.context import AppContext
    from sro_desk.ui.main_window import MainWindow
    from sro_desk.ui.workers import wait_for_jobs

    window = MainWindow(AppContext(hostile_db))
    qtbot.addWidget(window)
    window.show()
    shown: set[str] = set()
    wrong: list[str] = []
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        qtbot.wait(20)
        wait_for_jobs()
        qtbot.wait(20)
        for view in window.tabs.widget(index).findChildren(QAbstractItemView):
            model = view.model()
            if model is None:
                continue
            root = QModelIndex()
            try:
                columns = model.columnCount(root)
            except TypeError:  # list models keep columnCount private
                columns = 1
            for row in range(min(model.rowCount(root), 400)):
                for column in range(columns):
                    value = model.data(model.index(row, column), Qt.ItemDataRole.DisplayRole)
                    if not isinstance(value, str):
                        continue
                    for match in TAG.finditer(value):
                        tag = match.group(0)
                        shown.add(tag)
                        TALLY["gui cells checked"] += 1
                        if CORPUS[tag] not in value and _clean(CORPUS[tag]) not in value:
                            wrong.append(f"{window.tabs.tabText(index)}: {tag}: {value[:80]!r}")
        # Detail panes: select the first row of every table, then read what the pane shows.
        for view in window.tabs.widget(index).findChildren(QAbstractItemView):
            model = view.model()
            if model is not None and not isinstance(view, QHeaderView) and model.rowCount(QModelIndex()) > 0:
                view.setCurrentIndex(model.index(0, 0))
                qtbot.wait(10)
        for pane in window.tabs.widget(index).findChildren(QTextEdit):
            text = pane.toPlainText()
            for match in TAG.finditer(text):
                tag = match.group(0)
                TALLY["gui detail panes checked"] += 1
                if _squash(CORPUS[tag]) not in _squash(text) and _squash(_clean(CORPUS[tag])) not in _squash(text):
                    wrong.append(f"{window.tabs.tabText(index)}: detail pane: {tag} not literal")
        # Labels: a hostile value must not be taken for rich text ("<b>" vanishing, "<img>" loading).
        for label in window.tabs.widget(index).findChildren(QLabel):
            text = label.text()
            if not TAG.search(text):
                continue
            TALLY["gui labels checked"] += 1
            rich = label.textFormat() == Qt.TextFormat.RichText or (
                label.textFormat() == Qt.TextFormat.AutoText and QtGui.Qt.mightBeRichText(text))
            if rich and any(raw in text for raw in ("<b> Zq04", "<img src=x> Zq05", "<Jr>")):
                wrong.append(f"{window.tabs.tabText(index)}: a label shows user text as rich text: {text[:80]!r}")
    assert wrong == [], "\n".join(wrong)
    assert {"Zq01", "Zq04", "Zq05", "Zq06"} <= shown, shown
    TALLY["gui tags seen"] = len(shown)
    window.close()


def teardown_module() -> None:
    out = os.environ.get("SRO_DESK_RELIABILITY_OUT")
    if out and TALLY:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": "hostile strings", **dict(sorted(TALLY.items()))}) + "\n")
