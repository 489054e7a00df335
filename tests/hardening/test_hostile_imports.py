"""Every importer against hostile files: each ends in a clean refusal or a whole import.

Importers: roster (.csv/.xlsx), calls (.csv/.xlsx), calendar (.ics/.csv/.xlsx, read then applied)
and hiring score sheets (.xlsx). Hypothesis feeds each one random bytes, truncated and mutated
copies of real files, CSV text in wrong encodings with formulas, NULs and huge cells, and
workbooks whose cells hold hostile values; a fixed corpus adds zip bombs disguised as .xlsx,
cells over Excel's limit, an empty file and a folder. For every input the importer either
imports it whole or raises ``ImportRefused``/``SroDeskError`` with a non-empty message, and a
refusal leaves every table of the database exactly as it was. Anything else (a traceback) fails.

The counts of the last run go to ``SRO_DESK_RELIABILITY_OUT`` when set (docs/reliability.md).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sro_desk.domain.errors import ImportRefused, SroDeskError
from sro_desk.services.calls_import import COLUMNS as CALL_COLUMNS

pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("SRO_DESK_FUZZ_EXAMPLES", "120"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("SRO_DESK_FUZZ_RANDOM") != "1",  # fixed inputs unless asked
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)
TALLY: Counter[str] = Counter()

HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "=1+1",
    "<b>bold</b>", "<img src=x onerror=alert(1)>", "O'Brien <Jr> & Sons", "\u202eevil.exe", "👮‍♀️🏫",
    "x" * 10_000, "a\x00b", "", " ", "\t", "NaN", "1e309", "-1", "99999999999999999999", "2026-02-30",
    "13/45/2026", "0", "yes", "no", "SRO", "Δ" * 40_000, "\r\n\r\n", '"', "'", ";", ",,,",
]
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r"]


# ------------------------------------------------------------------ the database, watched
def _table_counts(db_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in tables}
        counts["audit max id"] = conn.execute("SELECT coalesce(max(id), 0) FROM audit_record").fetchone()[0]
        return counts
    finally:
        conn.close()


def _attempt(kind: str, run: Callable[[], object], db_path: Path) -> str:
    """Run one import; a refusal must name the problem and leave the database untouched."""
    before = _table_counts(db_path)
    TALLY[f"{kind} inputs"] += 1
    try:
        run()
    except ImportRefused as refusal:
        assert refusal.summary.strip() and refusal.problems, "a refusal must list its problems"
        assert all(str(p).strip() for p in refusal.problems)
        assert _table_counts(db_path) == before, "a refused import changed the database"
        TALLY[f"{kind} refused"] += 1
        return "refused"
    except SroDeskError as error:
        assert str(error).strip()
        assert _table_counts(db_path) == before, "a refused import changed the database"
        TALLY[f"{kind} refused"] += 1
        return "refused"
    TALLY[f"{kind} imported"] += 1
    return "imported"


# ------------------------------------------------------------------ importers
def _roster(path: Path) -> object:
    from sro_desk.services.roster_import import import_roster

    return import_roster(path)


def _calls(path: Path) -> object:
    from sro_desk.services.calls_import import import_calls

    return import_calls(path)


def _calendar(path: Path) -> object:
    from sro_desk.services.calendar_import import apply_calendar_import, read_calendar_file

    return apply_calendar_import(read_calendar_file(path, "2026-27"))


def _hiring(round_id: int) -> Callable[[Path], object]:
    def run(path: Path) -> object:
        from sro_desk.services.hiring_sheets import import_score_sheet

        # With a reason, a sheet already submitted may be imported again: the fuzz goes on
        # reaching the score checks after the first good sheet went in.
        return import_score_sheet(path, round_id, reason="fuzz test re-import")

    return run


# ------------------------------------------------------------------ real files to mutate
def _csv_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def _xlsx_bytes(headers: list[str], rows: list[list[Any]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROSTER_HEADERS = ["first_name", "last_name", "role", "commissioned", "employer", "badge_number", "buildings", "status", "notes"]
ROSTER_ROWS = [
    ["Ana", "Fuzzington", "school resource officer", "yes", "Cedar Valley Police Department", "FZ-1", "CVHS:3; RMS:2", "pending", ""],
    ["Bo", "Fuzzworth", "campus security officer", "no", "Cedar Valley School District No. 401", "FZ-2", "AES", "pending", "evenings"],
]
# the template's own columns (its examples fill the police contact and identity columns too)
CALLS_HEADERS = list(CALL_COLUMNS)
CALENDAR_HEADERS = ["First date", "Last date", "Kind", "Description"]
CALENDAR_ROWS = [["2027-02-15", "", "Holiday", "Presidents Day - no school"], ["2027-03-29", "2027-04-02", "Break", "Spring break"]]
ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Fuzz//EN\r\n"
    b"BEGIN:VEVENT\r\nUID:a@fuzz\r\nDTSTART;VALUE=DATE:20270215\r\nDTEND;VALUE=DATE:20270216\r\nSUMMARY:Presidents Day - no school\r\nEND:VEVENT\r\n"
    b"BEGIN:VEVENT\r\nUID:b@fuzz\r\nDTSTART;VALUE=DATE:20270329\r\nDTEND;VALUE=DATE:20270403\r\nSUMMARY:Spring break\r\nEND:VEVENT\r\n"
    b"END:VCALENDAR\r\n"
)


def _calls_rows() -> list[list[Any]]:
    """The template's example calls, moved to demo buildings and given fresh call numbers."""
    from sro_desk.services.calls_import import IMPORT_TEMPLATES

    rows = [list(r) for r in IMPORT_TEMPLATES[0].example_rows]
    for row in rows:
        row[0] = "FZ-" + row[0]
        row[3] = {"Sequim High School": "CVHS", "Sequim Middle School": "RMS"}.get(row[3], row[3])
    return rows


@pytest.fixture
def files(demo_db: Path, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Real, importable files of every kind, built against the demo district."""
    from sro_desk.services.hiring_sheets import export_score_sheet
    from sro_desk.store import hiring_repo

    round_ = next(r for r in hiring_repo.list_rounds() if r.status.value != "Decided") if any(
        r.status.value != "Decided" for r in hiring_repo.list_rounds()) else hiring_repo.list_rounds()[0]
    panelists = hiring_repo.list_panelists(round_.id)
    panelist = next((p for p in panelists if not p.submitted), panelists[0])
    sheet = export_score_sheet(round_.id, panelist.id, tmp_path / "sheet.xlsx")
    _fill_score_sheet(sheet)
    yield {
        "db": demo_db,
        "round": round_.id,
        "roster.csv": _csv_bytes(ROSTER_HEADERS, ROSTER_ROWS),
        "roster.xlsx": _xlsx_bytes(ROSTER_HEADERS, ROSTER_ROWS),
        "calls.csv": _csv_bytes(CALLS_HEADERS, _calls_rows()),
        "calls.xlsx": _xlsx_bytes(CALLS_HEADERS, _calls_rows()),
        "calendar.csv": _csv_bytes(CALENDAR_HEADERS, CALENDAR_ROWS),
        "calendar.xlsx": _xlsx_bytes(CALENDAR_HEADERS, CALENDAR_ROWS),
        "calendar.ics": ICS,
        "sheet.xlsx": sheet.read_bytes(),
        "tmp": tmp_path,
    }


def _fill_score_sheet(path: Path) -> None:
    """Score every question 4 with a note, as a panelist would."""
    import openpyxl

    from sro_desk.domain.hiring_sheet import FIRST_ROW

    book = openpyxl.load_workbook(path)
    sheet = book["Scores"]
    for row in range(FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(row, 1).value not in (None, ""):
            sheet.cell(row, 7).value = 4
            sheet.cell(row, 9).value = "clear examples"
    book.save(path)


def _write(tmp: Path, suffix: str, data: bytes) -> Path:
    TALLY["files written"] += 1
    path = tmp / f"input-{TALLY['files written']}{suffix}"
    path.write_bytes(data)
    return path


# ------------------------------------------------------------------ strategies
@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    how = draw(st.sampled_from(["random", "truncate", "flip", "splice"]))
    if how == "random":
        return draw(st.binary(min_size=0, max_size=4096))
    if how == "truncate":
        return base[: draw(st.integers(0, max(len(base) - 1, 0)))]
    data = bytearray(base)
    if how == "flip" and data:
        for _ in range(draw(st.integers(1, 24))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    at = draw(st.integers(0, len(data)))
    return bytes(data[:at]) + draw(st.binary(min_size=1, max_size=512)) + bytes(data[at:])


def _cell() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(HOSTILE_CELLS),
        st.text(max_size=60),
        st.integers(-10**12, 10**12),
        st.floats(allow_nan=True, allow_infinity=True),
        st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)),
        st.none(),
    )


@st.composite
def hostile_csv(draw: st.DrawFn, headers: list[str], rows: list[list[Any]]) -> bytes:
    body = [list(r) for r in rows]
    for _ in range(draw(st.integers(1, 6))):
        row = draw(st.integers(0, len(body)))
        if row == len(body):
            body.append([""] * len(headers))
        body[row][draw(st.integers(0, len(headers) - 1))] = draw(_cell())
    heads = list(headers)
    if draw(st.booleans()):
        heads[draw(st.integers(0, len(heads) - 1))] = draw(st.sampled_from([*HOSTILE_CELLS[:12], "", "first_name"]))
    text = _csv_bytes(heads, body).decode("utf-8")
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@st.composite
def hostile_xlsx(draw: st.DrawFn, base: bytes, first_row: int = 1) -> bytes:
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(base))
    sheet = book.worksheets[0]
    for _ in range(draw(st.integers(1, 8))):
        row = draw(st.integers(first_row, max(sheet.max_row, first_row) + 1))
        col = draw(st.integers(1, max(sheet.max_column, 1) + 1))
        value = draw(_cell())
        if isinstance(value, str):
            value = value.replace("\x00", "")[:32_000]  # openpyxl itself refuses to write these
            value = "".join(ch for ch in value if ch in "\t\n\r" or ord(ch) >= 32)
        sheet.cell(row, col).value = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@st.composite
def ics_events(draw: st.DrawFn) -> bytes:
    """A calendar whose events carry random, often impossible, properties."""
    keys = ["DTSTART", "DTSTART;VALUE=DATE", "DTEND", "DTEND;VALUE=DATE", "DURATION", "RRULE", "SUMMARY", "UID", "DTSTART;TZID=Nowhere/Zone"]
    values = st.one_of(
        st.sampled_from(["20270215", "20270230", "99999999", "20270215T250000", "P1D", "-P3D", "P99999D", "FREQ=DAILY", "FREQ=YEARLY;COUNT=99999",
                         "No school - holiday", "Spring break", "", ";;;", "\\n", "T"]),
        st.text(max_size=30).filter(lambda t: "\r" not in t and "\n" not in t),
    )
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Fuzz//EN"]
    for _ in range(draw(st.integers(1, 6))):
        lines.append("BEGIN:VEVENT")
        for _ in range(draw(st.integers(0, 6))):
            lines.append(f"{draw(st.sampled_from(keys))}:{draw(values)}")
        if draw(st.integers(0, 9)):
            lines.append("END:VEVENT")
    if draw(st.integers(0, 9)):
        lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8", "replace")


# ------------------------------------------------------------------ the fuzz tests
@FUZZ
@given(data=st.data())
def test_roster_import_survives_hostile_files(files: dict[str, Any], data: st.DataObject) -> None:
    suffix = data.draw(st.sampled_from([".csv", ".xlsx"]))
    base = files[f"roster{suffix}"]
    content = data.draw(st.one_of(mutated(base), hostile_csv(ROSTER_HEADERS, ROSTER_ROWS) if suffix == ".csv" else hostile_xlsx(base)))
    path = _write(files["tmp"], suffix, content)
    _attempt("roster", lambda: _roster(path), files["db"])


@FUZZ
@given(data=st.data())
def test_calls_import_survives_hostile_files(files: dict[str, Any], data: st.DataObject) -> None:
    suffix = data.draw(st.sampled_from([".csv", ".xlsx"]))
    base = files[f"calls{suffix}"]
    content = data.draw(st.one_of(mutated(base), hostile_csv(CALLS_HEADERS, _calls_rows()) if suffix == ".csv" else hostile_xlsx(base)))
    path = _write(files["tmp"], suffix, content)
    _attempt("calls", lambda: _calls(path), files["db"])


@FUZZ
@given(data=st.data())
def test_calendar_import_survives_hostile_files(files: dict[str, Any], data: st.DataObject) -> None:
    suffix = data.draw(st.sampled_from([".ics", ".csv", ".xlsx"]))
    base = files[f"calendar{suffix}"]
    if suffix == ".ics":
        extra = st.builds(lambda t: ICS.replace(b"Spring break", t.encode("utf-8", "replace")), st.text(max_size=200))
        content = data.draw(st.one_of(mutated(base), extra, ics_events()))
    elif suffix == ".csv":
        content = data.draw(st.one_of(mutated(base), hostile_csv(CALENDAR_HEADERS, CALENDAR_ROWS)))
    else:
        content = data.draw(st.one_of(mutated(base), hostile_xlsx(base)))
    path = _write(files["tmp"], suffix, content)
    _attempt("calendar", lambda: _calendar(path), files["db"])


@FUZZ
@given(data=st.data())
def test_score_sheet_import_survives_hostile_files(files: dict[str, Any], data: st.DataObject) -> None:
    from sro_desk.domain.hiring_sheet import FIRST_ROW

    base = files["sheet.xlsx"]
    content = data.draw(st.one_of(mutated(base), hostile_xlsx(base, FIRST_ROW)))
    path = _write(files["tmp"], ".xlsx", content)
    _attempt("score sheets", lambda: _hiring(files["round"])(path), files["db"])


# ------------------------------------------------------------------ the fixed corpus
def _zip_bomb(path: Path, *, inner: str = "xl/worksheets/sheet1.xml", megabytes: int = 320) -> Path:
    """A real-looking .xlsx whose sheet expands to ``megabytes`` MB (compressed: well under 1 MB)."""
    chunk = b"<row>" + b"0" * (1024 * 1024 - 11) + b"</row>"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open(inner, "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)
    return path


def _padded_workbook(path: Path, rows: int = 200_000) -> Path:
    """A genuine workbook whose first sheet repeats one 1 KB row: 200 MB of XML in 0.5 MB.
    openpyxl would spend seconds and memory on it; the importers must refuse it unopened."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["first_name", "last_name"])
    buffer = io.BytesIO()
    book.save(buffer)
    source = zipfile.ZipFile(io.BytesIO(buffer.getvalue()))
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(info, data)
                continue
            head, rest = data.split(b"<sheetData>", 1)
            row = b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + b"x" * 1000 + b"</t></is></c></row>"
            with archive.open(info.filename, "w", force_zip64=True) as member:
                member.write(head + b"<sheetData>")
                for _ in range(rows):
                    member.write(row)
                member.write(rest)
    return path


@pytest.fixture(scope="module")
def zip_bombs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("bombs")
    return {
        "large": _zip_bomb(folder / "bomb-320mb.xlsx", megabytes=320),
        "ratio": _zip_bomb(folder / "bomb-ratio.xlsx", megabytes=40),
        "real workbook": _padded_workbook(folder / "padded.xlsx"),
    }


def test_zip_bombs_disguised_as_xlsx_are_refused_by_every_xlsx_importer(files: dict[str, Any], zip_bombs: dict[str, Path]) -> None:
    import time

    for name, bomb in zip_bombs.items():
        assert bomb.stat().st_size < 2 * 1024 * 1024
        for kind, run in (("roster", _roster), ("calls", _calls), ("calendar", _calendar), ("score sheets", _hiring(files["round"]))):
            started = time.monotonic()
            with pytest.raises(ImportRefused) as refused:
                run(bomb)
            assert time.monotonic() - started < 5, f"{kind} took too long over the {name} bomb"
            text = " ".join(str(p) for p in refused.value.problems)
            assert "refused for safety" in text or "not an Excel workbook" in text, (kind, text)
            TALLY["zip bombs refused"] += 1


def test_fixed_corpus_of_bad_files(files: dict[str, Any]) -> None:
    tmp: Path = files["tmp"]
    huge_cell_csv = _csv_bytes(ROSTER_HEADERS, [["A", "B" * 40_000, "sro", "yes", "X", "1", "", "", ""]])
    huge_cell_xlsx = _xlsx_bytes(ROSTER_HEADERS, [["A", "B", "sro", "yes", "X", "1", "", "", "N" * 32_767 + "\u00e9" * 10]])
    nul_csv = b"first_name,last_name\nA\x00,B\n"
    utf16 = _csv_bytes(ROSTER_HEADERS, ROSTER_ROWS).decode().encode("utf-16")
    corpus: list[tuple[str, bytes]] = [
        (".csv", b""), (".xlsx", b""), (".ics", b""),
        (".csv", huge_cell_csv), (".xlsx", huge_cell_xlsx), (".csv", nul_csv), (".csv", utf16),
        (".xlsx", b"PK\x03\x04" + b"\x00" * 100), (".csv", b"PK\x03\x04 spreadsheet in disguise"),
        (".xlsx", b"%PDF-1.4 not a workbook"), (".ics", b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"),
        (".ics", b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 2000), (".txt", b"plain text"),
    ]
    importers: dict[str, Callable[[Path], object]] = {"roster": _roster, "calls": _calls, "calendar": _calendar, "score sheets": _hiring(files["round"])}
    outcomes: Counter[str] = Counter()
    for suffix, content in corpus:
        path = _write(tmp, suffix, content)
        for kind, run in importers.items():
            outcomes[_attempt(kind, lambda r=run, p=path: r(p), files["db"])] += 1  # type: ignore[misc]
    folder = tmp / "a-folder.xlsx"
    folder.mkdir()
    missing = tmp / "missing.csv"
    for kind, run in importers.items():
        for path in (folder, missing):
            outcomes[_attempt(kind, lambda r=run, p=path: r(p), files["db"])] += 1  # type: ignore[misc]
    assert outcomes["imported"] == 0, outcomes


def test_valid_files_still_import(files: dict[str, Any]) -> None:
    """The fuzz bases are real: the roster and calendar files import (so mutations start from
    files that get deep into the importers, not only into the file readers)."""
    assert _attempt("roster", lambda: _roster(_write(files["tmp"], ".csv", files["roster.csv"])), files["db"]) == "imported"
    assert _attempt("calendar", lambda: _calendar(_write(files["tmp"], ".ics", files["calendar.ics"])), files["db"]) == "imported"
    assert _attempt("calls", lambda: _calls(_write(files["tmp"], ".csv", files["calls.csv"])), files["db"]) == "imported"
    from sro_desk.services.hiring_sheets import import_score_sheet

    outcome = import_score_sheet(_write(files["tmp"], ".xlsx", files["sheet.xlsx"]), files["round"])
    assert outcome.imported, outcome.message


def teardown_module() -> None:
    out = os.environ.get("SRO_DESK_RELIABILITY_OUT")
    if out and TALLY:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"test": "hostile imports", "examples_per_test": EXAMPLES, **dict(sorted(TALLY.items()))}) + "\n")
