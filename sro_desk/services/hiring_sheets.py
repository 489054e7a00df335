"""Offline score sheets: export one per panelist (.xlsx or paper PDF) and import them back.

An import is all or nothing: the workbook is read into a ``ParsedSheet``, checked in the domain
(``hiring_sheet.check_sheet``) and written in one transaction. The same file imported twice is
recognized by its content and changes nothing.
"""

from __future__ import annotations

import secrets
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import ImportRefused, NotFound, RowProblem
from sro_desk.domain.hiring_sheet import (
    FIRST_ROW,
    HEADER_ROW,
    HEADERS,
    META_TITLE,
    SCORES_TITLE,
    ParsedSheet,
    SheetRow,
    check_sheet,
)
from sro_desk.store import hiring_repo, settings

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
MAX_SHEET_BYTES = 20 * 1024 * 1024
MAX_ROWS = 5000
#: What a score sheet may expand to when opened. A real one (30 candidates × 12 questions with
#: long comments) is well under 1 MB; openpyxl builds every cell in memory (``read_only=False``
#: is needed for the protection flags), so the general 300 MB limit for rosters is far too loose.
MAX_SHEET_EXPANDED_BYTES = 8 * 1024 * 1024
MAX_SHEET_MEMBERS = 100
#: Above this size a member compressing more than ``tabular.MAX_COMPRESSION_RATIO`` to one is a bomb.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


SHEET_SECRET_SETTING = "hiring.sheet_secret"


def sheet_secret() -> str:
    """This database's key for score-sheet fingerprints: 256 random bits from ``secrets``,
    made once and kept as a district setting. It never leaves the database, so a sheet cannot
    be re-signed by editing the workbook."""
    value = settings.get_setting(SHEET_SECRET_SETTING)
    if isinstance(value, str) and len(value) >= 32:
        return value
    value = secrets.token_hex(32)
    settings.set_setting(SHEET_SECRET_SETTING, value, reason="score-sheet key created")
    return value


def _panelist_in_round(round_id: int, panelist_id: int) -> None:
    if panelist_id not in {p.id for p in hiring_repo.list_panelists(round_id)}:
        raise NotFound(f"Panelist {panelist_id} is not on hiring round {round_id}'s panel.")


def export_score_sheet(round_id: int, panelist_id: int, dest: Path) -> Path:
    """A panelist's blank .xlsx sheet. Never pre-filled: whoever exports it (usually the
    coordinator) must not see anyone's scores before the reveal."""
    from sro_desk.exports.hiring_xlsx import write_score_sheet_xlsx

    _panelist_in_round(round_id, panelist_id)
    snap = hiring_repo.snapshot(round_id)
    snap = replace(snap, scores=(), consensus=(), decision=None)
    district = settings.district_name() or "School district"
    return write_score_sheet_xlsx(Path(dest), snap, snap.panelist(panelist_id),
                                  uuid.uuid4().hex, district, secret=sheet_secret())


def export_blank_sheet_pdf(round_id: int, panelist_id: int, dest: Path) -> Path:
    from sro_desk.exports.hiring_pdf import write_blank_sheet_pdf

    _panelist_in_round(round_id, panelist_id)
    snap = hiring_repo.snapshot(round_id)
    district = settings.district_name() or "School district"
    return write_blank_sheet_pdf(Path(dest), snap, snap.panelist(panelist_id), district)


def _refuse(message: str) -> ImportRefused:
    return ImportRefused([RowProblem(0, "", message)])


def check_sheet_archive(path: Path) -> None:
    """Refuse, in words and without expanding anything, a file that would unpack to far more than
    a score sheet (a zip bomb), then apply the shared workbook checks
    (``tabular.check_workbook_archive``: a zip at all, not damaged, holds a workbook).

    The sizes come from the zip directory. A member that lies about its size cannot get past
    this: Python's zip reader stops at the declared size and refuses the member (bad CRC)."""
    from sro_desk.services.tabular import MAX_COMPRESSION_RATIO, check_workbook_archive

    path = Path(path)
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        infos = []  # damaged: the shared check below says so in words
    expanded = sum(i.file_size for i in infos)
    megabytes = f"{expanded / 1024 / 1024:,.1f}"
    limit = MAX_SHEET_EXPANDED_BYTES // 1024 // 1024
    if expanded > MAX_SHEET_EXPANDED_BYTES:
        raise _refuse(
            f"{path.name} would expand to {megabytes} MB when opened; a score sheet is far "
            f"smaller (the limit is {limit} MB), so it was refused for safety without opening it")
    for info in infos:
        if (info.file_size > RATIO_CHECKED_FROM_BYTES
                and info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1)):
            raise _refuse(
                f"{path.name} holds a part ({info.filename}) that expands "
                f"{info.file_size // max(info.compress_size, 1):,} times over, as a zip bomb does; "
                "it was refused for safety without opening it")
    if len(infos) > MAX_SHEET_MEMBERS:
        raise _refuse(f"{path.name} holds {len(infos):,} parts, far more than a score sheet; "
                      "it was refused for safety without opening it")
    check_workbook_archive(path)


def read_score_sheet(path: Path) -> ParsedSheet:
    """The cells of a score sheet, uninterpreted; refuses files that are not workbooks at all."""
    path = Path(path)
    if not path.is_file():
        raise _refuse(f"{path.name} does not exist or is not a file")
    if path.stat().st_size > MAX_SHEET_BYTES:
        raise _refuse(f"{path.name} is too large to be a score sheet")
    if not zipfile.is_zipfile(path):
        raise _refuse(f"{path.name} is not an Excel workbook (.xlsx)")
    check_sheet_archive(path)  # a zip bomb named .xlsx is refused before openpyxl expands it
    from openpyxl import load_workbook

    try:
        # The handle is ours, so it is closed even when openpyxl fails half-way through a damaged
        # workbook (it can leave a zip member open, keeping the file open and locked on Windows).
        with path.open("rb") as handle:
            book = load_workbook(handle, read_only=False, data_only=True)
    except Exception as error:  # any reader failure means "not a readable workbook", in words
        raise _refuse(f"{path.name} could not be read as a workbook ({type(error).__name__})"
                      ) from error
    try:
        problems: list[RowProblem] = []
        if SCORES_TITLE not in book.sheetnames:
            raise _refuse(f"{path.name} has no '{SCORES_TITLE}' tab; it is not a score sheet")
        meta: dict[str, object] = {}
        if META_TITLE in book.sheetnames:
            for key, value, *_ in book[META_TITLE].iter_rows(max_col=2, values_only=True):
                if isinstance(key, str):
                    meta[key] = value
        if not book.security or not book.security.lockStructure:
            problems.append(RowProblem(0, "", "the workbook's structure protection was removed; "
                                              "tabs may have been added or changed"))
        sheet = book[SCORES_TITLE]
        if sheet.max_row > MAX_ROWS:
            raise _refuse(f"{path.name} has far more rows than a score sheet")
        headers = tuple(
            sheet.cell(HEADER_ROW, col).value for col in range(1, max(sheet.max_column,
                                                                      len(HEADERS)) + 1)
        )
        while len(headers) > len(HEADERS) and headers[-1] in (None, ""):
            headers = headers[:-1]
        rows: list[SheetRow] = []
        for number, values in enumerate(
            sheet.iter_rows(min_row=FIRST_ROW, max_col=len(HEADERS), values_only=True),
            start=FIRST_ROW,
        ):
            cells: list[Any] = list(values) + [None] * (len(HEADERS) - len(values))
            if all(v in (None, "") for v in cells):
                continue
            rows.append(SheetRow(number, cells[0], cells[1], cells[6], cells[7], cells[8]))
        return ParsedSheet(meta, headers, tuple(rows), tuple(problems))
    finally:
        book.close()


@dataclass(frozen=True, slots=True)
class SheetImportOutcome:
    imported: bool
    panelist: str
    changed: int
    message: str


def import_score_sheet(
    path: Path, round_id: int, *, reason: str = "",
    progress: Progress | None = None, is_cancelled: Cancelled | None = None,
) -> SheetImportOutcome:
    """Import one filled-in sheet whole, or refuse it listing every problem."""
    path = Path(path)
    parsed = read_score_sheet(path)
    if progress:
        progress(1, 3)
    snap = hiring_repo.snapshot(round_id)
    checked = check_sheet(parsed, snap.round, snap.panelists, snap.candidates, snap.questions,
                          hiring_repo.scoring_settings(), secret=sheet_secret())
    panelist = snap.panelist(checked.panelist_id)
    name = panelist.name
    if panelist.has_pin:
        raise _refuse(f"{name} protected their sheet with a PIN, so only they change it, on the "
                      "laptop. To import this sheet instead, the coordinator first resets the PIN "
                      "(Set-up › Panel › Reset PIN…, with a reason kept in the audit trail).")
    if progress:
        progress(2, 3)
    earlier = hiring_repo.find_sheet_import(round_id, checked.content_digest)
    if earlier is not None:
        return SheetImportOutcome(
            False, name, 0,
            f"This sheet ({name}) was already imported on {format_date(earlier.date())}; "
            "nothing changed.")
    if is_cancelled and is_cancelled():
        return SheetImportOutcome(False, name, 0, "Import cancelled; nothing changed.")
    from sro_desk.services.hiring import check_scores

    check_scores(checked.panelist_id, checked.scores, reason=reason)
    changed = hiring_repo.import_sheet(round_id, checked.panelist_id, checked.sheet_id,
                                       checked.content_digest, path.name, checked.scores,
                                       reason=reason)
    if progress:
        progress(3, 3)
    return SheetImportOutcome(
        True, name, changed,
        f"Imported {name}'s score sheet: {len(checked.scores)} scores "
        f"({changed} new or changed). The sheet is marked submitted.")
