"""Reading an imported spreadsheet or CSV into rows, safely.

Every importer (roster, calls, calendar, training) goes through ``read_table`` so they share
the same guarantees: .xlsx or .csv only, judged by content not by name; UTF-8, UTF-8 with BOM and
Windows-1252 text; zip bombs and oversized cells refused; headers matched case-insensitively.
Failures are ``ImportRefused`` with reasons in words — never a traceback.

Workbooks are read with python-calamine (Rust's calamine): it builds a sheet from the cells that
are really there, never from the ``<dimension>`` a file declares (openpyxl's read-only mode pads
every row to the declared width: a 5 KB file declaring A1:XFD1048576 took about an hour). Before
reading, the sheet's cell references are scanned, so a sheet whose real cells span an absurd grid
is refused in seconds, before anything is allocated. The sheet read is the one the workbook opens
on (its active tab) if that one is visible, else the first visible sheet — never a hidden one —
and ``TabularData.sheet_note`` says which.

Text cells: characters no workbook can hold (U+FFFE/U+FFFF, C0 controls, lone surrogates) become
U+FFFD (``domain.text``); NUL is refused as a sign of a binary file. A CSV that is UTF-8 except
for a few Windows-1252 bytes is refused naming those rows (decoding it all as Windows-1252 would
garble every accented name in the rest).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sro_desk.domain.errors import ImportRefused, ProblemList, RowProblem
from sro_desk.domain.privacy import forbidden_column
from sro_desk.domain.text import xml_safe

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_ROWS = 1_000_000
MAX_GRID_CELLS = 20_000_000  # rows x columns of the rectangle a sheet's cells really span
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes kept by surrogateescape

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class TabularData:
    """Rows keyed by normalized header. ``rows`` holds (sheet row number, values); header is row 1."""

    headers: tuple[str, ...]
    original_headers: tuple[str, ...]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    source: str = ""
    sheet_note: str = ""  # which sheet of a workbook was read, and any skipped because hidden


def normalize_header(text: object) -> str:
    """'First Name ' → 'first_name'; 'Student-IEP' → 'student_iep'."""
    value = "" if text is None else str(text)
    value = value.replace("\ufeff", "").strip().lower()
    return re.sub(r"[\s\-/.]+", "_", value).strip("_")


def refuse(message: str, row: int = 0, column: str = "") -> ImportRefused:
    return ImportRefused([RowProblem(row, column, message)])


def read_table(
    path: Path | str,
    *,
    sheet_name: str | None = None,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> TabularData:
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise refuse(f"The file {path.name} cannot be read: {error.strerror or error}.") from error
    if size == 0:
        raise refuse(f"The file {path.name} is empty.")
    if size > MAX_FILE_BYTES:
        raise refuse(f"The file {path.name} is larger than {MAX_FILE_BYTES // 1024 // 1024} MB.")
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet_name, progress, is_cancelled)
    if suffix in (".csv", ".txt"):
        return _read_csv(path, progress, is_cancelled)
    raise refuse(f"{path.name} is not a spreadsheet: choose an .xlsx or .csv file.")


def _cancel_check(is_cancelled: Cancelled | None) -> None:
    if is_cancelled is not None and is_cancelled():
        raise ImportRefused([RowProblem(0, "", "The import was cancelled.")], "The import was cancelled. Nothing was changed.")


def _build(
    raw_rows: Iterable[tuple[int, list[Any]]],
    source: str,
    total: int,
    progress: Progress | None,
    is_cancelled: Cancelled | None,
) -> TabularData:
    iterator: Iterator[tuple[int, list[Any]]] = iter(raw_rows)
    header_row: list[Any] | None = None
    for _number, values in iterator:
        if any(_clean(v) != "" for v in values):
            header_row = values
            break
    if header_row is None:
        raise refuse("The file has no header row and no data.")
    original = tuple("" if h is None else str(h).strip() for h in header_row)
    headers = tuple(normalize_header(h) for h in original)
    seen: set[str] = set()
    forbidden: list[RowProblem] = []
    for h, orig in zip(headers, original, strict=True):
        if h and h in seen:
            raise refuse(f"The column '{orig}' appears twice.", 1, orig)
        seen.add(h)
        why = forbidden_column(orig)  # RCW 10.93.160: refused with the citation, never dropped
        if why:
            forbidden.append(RowProblem(1, orig, why))
    if forbidden:
        raise ImportRefused(forbidden)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems = ProblemList()
    for count, (number, values) in enumerate(iterator, start=1):
        if count % 2000 == 0:
            _cancel_check(is_cancelled)
            if progress:
                progress(count, total)
        if count > MAX_ROWS:
            raise refuse(f"The file has more than {MAX_ROWS:,} rows.")
        if not any(_clean(v) != "" for v in values):
            continue
        record: dict[str, Any] = {}
        width = len(headers)
        if len(values) > width:
            # Values beyond the last header: counted as problems without further work, so a
            # 10 MB line of short fields is refused in seconds (with a capped list).
            for index in range(width, len(values)):
                if problems.full:
                    problems.count_more(sum(1 for v in values[index:] if _clean(v) != ""))
                    break
                if _clean(values[index]) != "":
                    problems.append(RowProblem(number, f"column {index + 1}", "a value stands under no header"))
            values = values[:width]
        for index, value in enumerate(values):
            key = headers[index]
            cleaned = _clean(value)
            if isinstance(cleaned, str) and len(cleaned) > MAX_CELL_CHARS:
                problems.append(RowProblem(number, original[index] if index < len(original) else "", f"the cell holds {len(cleaned):,} characters; the limit is {MAX_CELL_CHARS:,}"))
                cleaned = cleaned[:100]
            if isinstance(cleaned, str) and "\x00" in cleaned:
                problems.append(RowProblem(number, original[index] if index < len(original) else "", "the cell contains a NUL character"))
            elif isinstance(cleaned, str) and _NOT_UTF8.search(cleaned):
                byte = ord(_NOT_UTF8.search(cleaned).group()) - 0xDC00  # type: ignore[union-attr]
                problems.append(RowProblem(number, original[index] if index < len(original) else "", (
                    f"the cell holds the byte 0x{byte:02X}, which is not UTF-8 like the rest of "
                    f"the file (in Windows-1252 it would be '{bytes([byte]).decode('cp1252', 'replace')}'); "
                    "save the file as CSV UTF-8 and import it again")))
                cleaned = _NOT_UTF8.sub("\ufffd", cleaned)
            elif isinstance(cleaned, str):
                cleaned = xml_safe(cleaned)
            if not key:
                if cleaned not in ("", None):
                    problems.append(RowProblem(number, f"column {index + 1}", "a value stands under no header"))
                continue
            record[key] = cleaned
        for key in headers:
            record.setdefault(key, "")
        rows.append((number, record))
    if problems:
        raise problems.refused()
    if progress:
        progress(total, total)
    return TabularData(headers, original, rows, source)


def _clean(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value


def _read_csv(path: Path, progress: Progress | None, is_cancelled: Cancelled | None) -> TabularData:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise refuse(f"{path.name} is not a text CSV file (it contains binary data).")
    if data[:4] == b"PK\x03\x04":
        raise refuse(f"{path.name} is named .csv but is really a spreadsheet or zip file; save it as .xlsx or export it as CSV.")
    text = _decode_csv(path, data)
    sample = text[:8192]
    # Only the delimiter is sniffed: the sniffer's guesses about quoting are unreliable, and
    # spreadsheet programs all write Excel-style quoting ("" inside quotes).
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    total = text.count("\n") + 1
    try:
        raw = [(number, row) for number, row in enumerate(reader, start=1)]
    except csv.Error as error:
        raise refuse(f"{path.name} is not a well-formed CSV file: {error}.") from error
    return _build(raw, path.name, total, progress, is_cancelled)


def _decode_csv(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM); else Windows-1252 when no line of the file is UTF-8 beyond
    ASCII. A file that is mostly UTF-8 with a few Windows-1252 bytes keeps those bytes as
    surrogates, and ``_build`` refuses their rows by number (a guess either way garbles names)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    utf8_lines = 0
    for line in data.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_lines += 1
        except UnicodeDecodeError:
            continue
        break  # one real UTF-8 line is enough to know the file meant to be UTF-8
    if utf8_lines:
        return data.decode("utf-8-sig", "surrogateescape")
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        raise refuse(f"{path.name} is not readable text (UTF-8 or Windows-1252).") from None


def _check_zip(path: Path) -> None:
    if not zipfile.is_zipfile(path):
        raise refuse(f"{path.name} is named .xlsx but is not an Excel workbook.")
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            uncompressed = sum(i.file_size for i in infos)
            compressed = sum(i.compress_size for i in infos) or 1
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise refuse(f"{path.name} is a damaged workbook: {error}.") from error
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise refuse(f"{path.name} is a zip file but not an Excel workbook.")
    if uncompressed > MAX_UNCOMPRESSED_BYTES or (uncompressed / compressed > MAX_COMPRESSION_RATIO and uncompressed > 10 * 1024 * 1024):
        raise refuse(f"{path.name} expands to {uncompressed // 1024 // 1024} MB when opened, far more than a real roster or log; it was refused for safety.")


def check_workbook_archive(path: Path) -> None:
    """Refuse (``ImportRefused``) a file that is not an .xlsx zip, is damaged, or would expand to
    far more than a real workbook (a zip bomb). Call it before handing a file to openpyxl."""
    _check_zip(Path(path))


_CELL_REF = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,9})\"")
_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_ACTIVE_TAB = re.compile(rb"\bactiveTab=\"([0-9]+)\"")


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _sheet_members(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → its part in the zip, from workbook.xml and its relationships."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets: dict[bytes, str] = {}
    for rel in re.finditer(rb"<(?:\w+:)?Relationship\s[^>]*>", rels):
        rid = re.search(rb"\bId=\"([^\"]+)\"", rel.group())
        target = re.search(rb"\bTarget=\"([^\"]+)\"", rel.group())
        if rid and target:
            name = target.group(1).decode("utf-8", "replace").lstrip("/")
            targets[rid.group(1)] = name if name.startswith("xl/") else "xl/" + name
    members: dict[str, str] = {}
    from xml.sax.saxutils import unescape

    for tag in _SHEET_TAG.finditer(book):
        name = re.search(rb"\bname=\"([^\"]*)\"", tag.group())
        rid = re.search(rb"\br:id=\"([^\"]+)\"|\b\w+:id=\"([^\"]+)\"", tag.group())
        if name and rid:
            key = rid.group(1) or rid.group(2)
            text = unescape(name.group(1).decode("utf-8", "replace"), {"&quot;": '"', "&apos;": "'"})
            if key in targets:
                members[text] = targets[key]
    return members


def _active_index(archive: zipfile.ZipFile) -> int:
    try:
        match = _ACTIVE_TAB.search(archive.read("xl/workbook.xml"))
    except KeyError:
        return 0
    return int(match.group(1)) if match else 0


def _check_extent(path: Path, archive: zipfile.ZipFile, member: str, sheet: str) -> None:
    """Refuse a sheet whose real cells span more than ``MAX_GRID_CELLS`` or ``MAX_ROWS``, judged
    from the cell references themselves (never the declared ``<dimension>``), streaming."""
    max_row = max_col = 0
    try:
        with archive.open(member) as handle:
            tail = b""
            while chunk := handle.read(1 << 20):
                block = tail + chunk
                for match in _CELL_REF.finditer(block):
                    max_col = max(max_col, _column_number(match.group(1)))
                    max_row = max(max_row, int(match.group(2)))
                tail = block[-256:]
    except KeyError:
        return
    if max_row > MAX_ROWS or max_row * max_col > MAX_GRID_CELLS:
        raise refuse(
            f"The sheet '{sheet}' of {path.name} has cells as far apart as row {max_row:,} and "
            f"column {max_col:,} ({max_row * max_col:,} cells to lay out), far more than a real "
            "roster or log; it was refused without reading it. Copy the real rows into a new "
            "sheet and import that."
        )


def _choose_sheet(path: Path, metadata: list[Any], requested: str | None,
                  active: int) -> tuple[str, str]:
    """(sheet to read, a sentence saying which and what was skipped)."""
    names = [m.name for m in metadata]
    if requested is not None:
        if requested not in names:
            raise refuse(f"{path.name} has no sheet named '{requested}'.")
        return requested, f"Read the sheet '{requested}' of {path.name}."
    visible = [m.name for m in metadata
               if str(m.visible).rsplit(".", 1)[-1] == "Visible"
               and str(m.typ).rsplit(".", 1)[-1] == "WorkSheet"]
    if not visible:
        raise refuse(f"{path.name} has no visible worksheet to import.")
    chosen = names[active] if 0 <= active < len(names) and names[active] in visible else visible[0]
    hidden = [n for n in names if n not in visible]
    note = f"Read the sheet '{chosen}' of {path.name}"
    if len(visible) > 1:
        note += f" (the sheet it opens on; {len(visible) - 1} other visible sheet"
        note += "s were" if len(visible) > 2 else " was"
        note += " not read)"
    if hidden:
        listed = ", ".join(f"'{n}'" for n in hidden[:5])
        note += f"; hidden sheet{'s' if len(hidden) > 1 else ''} {listed} not read"
    return chosen, note + "."


def _read_xlsx(
    path: Path, sheet_name: str | None, progress: Progress | None, is_cancelled: Cancelled | None
) -> TabularData:
    _check_zip(path)
    import python_calamine  # imported here: not needed at start-up

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own types (and ValueError) for damaged files
        raise refuse(f"{path.name} could not be opened as a workbook: {error}.") from error
    try:
        try:
            with zipfile.ZipFile(path) as archive:
                active = _active_index(archive)
                chosen, note = _choose_sheet(path, list(book.sheets_metadata), sheet_name, active)
                member = _sheet_members(archive).get(chosen)
                # When the sheet's part cannot be named, every worksheet part is judged instead.
                parts = [member] if member is not None else [
                    n for n in archive.namelist()
                    if n.startswith("xl/worksheets/") and n.endswith(".xml")]
                for part in parts:
                    _check_extent(path, archive, part, chosen)
        except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError,
                NotImplementedError) as error:
            raise refuse(f"{path.name} is a damaged workbook: {error}.") from error
        try:
            sheet = book.get_sheet_by_name(chosen)
            # The grid from A1, so row numbers and columns are the sheet's own (a table that
            # starts in row 3 reports row 3); the extent check above bounds its size.
            grid = sheet.to_python(skip_empty_area=False)
        except ImportRefused:
            raise
        except Exception as error:
            raise refuse(f"The sheet '{chosen}' of {path.name} could not be read: {error}.") from error
        total = len(grid)

        def rows() -> Iterator[tuple[int, list[Any]]]:
            for number, row in enumerate(grid, start=1):
                yield number, [_excel_value(v) for v in row]

        try:
            data = _build(rows(), path.name, total, progress, is_cancelled)
        except ImportRefused:
            raise
        except Exception as error:
            raise refuse(f"{path.name} could not be read: {error}.") from error
        return TabularData(data.headers, data.original_headers, data.rows, data.source, note)
    finally:
        book.close()


def _excel_value(value: Any) -> Any:
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def cell_text(value: Any) -> str:
    """A cell as text for fields that are text (a number typed in a text column stays as typed)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def require_columns(data: TabularData, required: Iterable[str]) -> None:
    missing = [c for c in required if c not in data.headers]
    if missing:
        found = ", ".join(h for h in data.original_headers if h) or "none"
        raise ImportRefused(
            [RowProblem(1, c, "this column is missing") for c in missing],
            f"The file does not have the columns this import needs (found: {found}). Nothing was changed.",
        )
