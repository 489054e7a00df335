"""Reading an imported spreadsheet or CSV into rows, safely.

Every importer (roster, calls, calendar, score sheets) goes through ``read_table`` so they share
the same guarantees: .xlsx or .csv only, judged by content not by name; UTF-8, UTF-8 with BOM and
Windows-1252 text; zip bombs and oversized cells refused; headers matched case-insensitively.
Failures are ``ImportRefused`` with reasons in words — never a traceback.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sro_desk.domain.errors import ImportRefused, RowProblem

MAX_FILE_BYTES = 100 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_ROWS = 1_000_000

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True, slots=True)
class TabularData:
    """Rows keyed by normalized header. ``rows`` holds (sheet row number, values); header is row 1."""

    headers: tuple[str, ...]
    original_headers: tuple[str, ...]
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    source: str = ""


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
    for h, orig in zip(headers, original, strict=True):
        if h and h in seen:
            raise refuse(f"The column '{orig}' appears twice.", 1, orig)
        seen.add(h)
    rows: list[tuple[int, dict[str, Any]]] = []
    problems: list[RowProblem] = []
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
        for index, value in enumerate(values):
            key = headers[index] if index < len(headers) else ""
            cleaned = _clean(value)
            if isinstance(cleaned, str) and len(cleaned) > MAX_CELL_CHARS:
                problems.append(RowProblem(number, original[index] if index < len(original) else "", f"the cell holds {len(cleaned):,} characters; the limit is {MAX_CELL_CHARS:,}"))
                cleaned = cleaned[:100]
            if isinstance(cleaned, str) and "\x00" in cleaned:
                problems.append(RowProblem(number, original[index] if index < len(original) else "", "the cell contains a NUL character"))
            if not key:
                if cleaned not in ("", None):
                    problems.append(RowProblem(number, f"column {index + 1}", "a value stands under no header"))
                continue
            record[key] = cleaned
        for key in headers:
            record.setdefault(key, "")
        rows.append((number, record))
    if problems:
        raise ImportRefused(problems)
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
    text: str | None = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None:
        raise refuse(f"{path.name} is not readable text (UTF-8 or Windows-1252).")
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


def _read_xlsx(
    path: Path, sheet_name: str | None, progress: Progress | None, is_cancelled: Cancelled | None
) -> TabularData:
    _check_zip(path)
    import openpyxl  # imported here: it costs start-up time

    try:
        handle = path.open("rb")
    except OSError as error:
        raise refuse(f"The file {path.name} cannot be read: {error.strerror or error}.") from error
    # The file handle is ours, so it is closed even when openpyxl fails half-way through a damaged
    # workbook (it can leave a zip member open, which kept the file open and locked on Windows).
    with handle:
        try:
            book = openpyxl.load_workbook(handle, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises many types for damaged files
            raise refuse(f"{path.name} could not be opened as a workbook: {error}.") from error
        try:
            if sheet_name is not None:
                if sheet_name not in book.sheetnames:
                    raise refuse(f"{path.name} has no sheet named '{sheet_name}'.")
                sheet = book[sheet_name]
            else:
                sheet = book.worksheets[0]
            total = sheet.max_row or 0

            def rows() -> Iterator[tuple[int, list[Any]]]:
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    yield number, [_excel_value(v) for v in row]

            try:
                return _build(rows(), path.name, total, progress, is_cancelled)
            except ImportRefused:
                raise
            except Exception as error:
                raise refuse(f"{path.name} could not be read: {error}.") from error
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
