"""Hiring workbooks: the per-panelist score sheet (filled in offline, imported back) and all scores.

The score sheet is built so a panelist can only type where a score belongs: the sheet and the
workbook structure are protected, only Score / Justification / Comment cells are unlocked, Score
has a 1–5 drop-down, and candidate and question IDs sit in hidden columns. A very-hidden "Sheet"
tab carries the round, panelist, sheet ID and a layout fingerprint, which the importer checks.
Protection here prevents accidents, not tampering: the importer re-checks everything.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from sro_desk.domain.dates import format_date
from sro_desk.domain.hiring import SCALE, SCALE_LABELS, Panelist, RoundSnapshot, anchor_body
from sro_desk.domain.hiring_results import HiringResults, score_text
from sro_desk.domain.hiring_sheet import (
    COL_COMMENT,
    COL_JUSTIFICATION,
    COL_SCORE,
    FIRST_ROW,
    HEADER_ROW,
    HEADERS,
    META_TITLE,
    SCORES_TITLE,
    SHEET_FORMAT,
    layout_fingerprint,
    sheet_pairs,
)
from sro_desk.exports import xlsx_util
from sro_desk.exports.xlsx_util import put

INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
WIDTHS = (8, 8, 22, 5, 60, 22, 10, 40, 40)


def _round_line(snap: RoundSnapshot) -> str:
    r = snap.round
    dates = " to ".join(format_date(d) for d in (r.start_date, r.end_date) if d)
    parts = [f"Round {r.id}", r.agency, r.building, dates]
    return " · ".join(p for p in parts if p)


def write_score_sheet_xlsx(
    dest: Path, snap: RoundSnapshot, panelist: Panelist, sheet_id: str, district: str,
    *, secret: str,
) -> Path:
    """One panelist's sheet for offline scoring, pre-filled with whatever scores ``snap`` holds
    for them (the service passes none before the reveal). ``secret`` keys its fingerprint."""
    assert snap.round.id is not None and panelist.id is not None
    book = xlsx_util.new_workbook()
    sheet = book.active
    sheet.title = SCORES_TITLE
    put(sheet.cell(1, 3), f"Interview score sheet — {snap.round.position}").font = Font(
        bold=True, size=14)
    put(sheet.cell(2, 3), f"Panelist: {panelist.name} ({panelist.organization})").font = Font(
        bold=True)
    put(sheet.cell(3, 3), f"{district} · {_round_line(snap)}")
    put(sheet.cell(4, 3),
        "Score every answer 1 (Awareness) to 5 (Expert) against the anchors on the 'Anchors' tab. "
        "A 1 or a 5 needs a written justification. Do not add, delete or move rows or columns; "
        "then give the file back to the coordinator to import.")
    sheet.cell(4, 3).alignment = Alignment(wrap_text=False)
    for col, header in enumerate(HEADERS, start=1):
        cell = put(sheet.cell(HEADER_ROW, col), header)
        cell.font = xlsx_util.HEADER_FONT
        cell.fill = xlsx_util.HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    questions = {q.id: q for q in snap.questions}
    candidates = {c.id: c for c in snap.candidates}
    mine = {(s.candidate_id, s.question_id): s for s in snap.scores
            if s.panelist_id == panelist.id}
    pairs = sheet_pairs(list(snap.candidates), list(snap.questions))
    validation = DataValidation(
        type="list", formula1='"1,2,3,4,5"', allow_blank=True, showErrorMessage=True,
        errorTitle="Score from 1 to 5", error="Choose a whole-number score from 1 to 5.",
        promptTitle="Score", prompt="1 Awareness · 2 Basic · 3 Intermediate · 4 Advanced · 5 Expert",
        showInputMessage=True,
    )
    sheet.add_data_validation(validation)
    row = FIRST_ROW
    for row, (cid, qid) in enumerate(pairs, start=FIRST_ROW):
        q = questions[qid]
        existing = mine.get((cid, qid))
        values: list[object] = [
            cid, qid, candidates[cid].name, q.position, q.text, q.competency,
            existing.value if existing else None,
            existing.justification if existing else "",
            existing.comment if existing else "",
        ]
        for col, value in enumerate(values, start=1):
            cell = put(sheet.cell(row, col), value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for col in (COL_SCORE, COL_JUSTIFICATION, COL_COMMENT):
            cell = sheet.cell(row, col + 1)
            cell.protection = Protection(locked=False)
            cell.fill = INPUT_FILL
    if pairs:
        validation.add(f"G{FIRST_ROW}:G{row}")
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.column_dimensions["A"].hidden = True
    sheet.column_dimensions["B"].hidden = True
    sheet.freeze_panes = sheet.cell(FIRST_ROW, 4)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True

    anchors = book.create_sheet("Anchors")
    headers = ["No.", "Competency", "Question",
               *[f"{level} {label}" for level, label in SCALE_LABELS.items()]]
    xlsx_util.write_table(anchors, headers, [
        [q.position, q.competency, q.text,
         *(anchor_body(level, a) for level, a in zip(SCALE, q.anchors, strict=True))]
        for q in snap.questions
    ], widths=(5, 20, 45, 30, 30, 30, 30, 30), autofilter=False)
    for line in anchors.iter_rows(min_row=2):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    anchors.protection.sheet = True

    meta = book.create_sheet(META_TITLE)
    for index, (key, value) in enumerate((
        ("format", SHEET_FORMAT),
        ("round_id", snap.round.id),
        ("panelist_id", panelist.id),
        ("sheet_id", sheet_id),
        ("layout", layout_fingerprint(snap.round.id, panelist.id, pairs, sheet_id=sheet_id,
                                      secret=secret)),
    ), start=1):
        put(meta.cell(index, 1), key)
        put(meta.cell(index, 2), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    book.security = WorkbookProtection(lockStructure=True)
    book.active = 0
    xlsx_util.save_workbook(book, dest)
    return dest


def write_scores_xlsx(
    dest: Path, snap: RoundSnapshot, results: HiringResults, district: str,
) -> Path:
    """Every score of a revealed round, with the ranking and calibration, for the file."""
    book = xlsx_util.new_workbook()
    names = {p.id: p.name for p in snap.panelists}
    ranking = book.active
    ranking.title = "Ranking"
    start = xlsx_util.write_title(ranking, f"{snap.round.position} — interview results",
                                  f"{district} · {_round_line(snap)}")
    panel_headers = [f"{p.name} (weighted)" for p in snap.panelists]
    cand_names = snap.candidate_names()
    rows: list[Sequence[object]] = []
    for r in results.candidates:
        rows.append([
            r.rank, "; ".join(cand_names.get(c, "") for c in r.tied_with), r.name,
            *[_num(r.weighted_for(p.id)) for p in snap.panelists if p.id is not None],
            _num(r.mean), _num(r.median), _num(r.spread), _num(r.district_mean),
            float(r.consensus.value) if r.consensus else None,
            r.consensus.note if r.consensus else "",
        ])
    headers = ["Rank", "Tied with", "Candidate", *panel_headers, "Panel mean", "Median",
               "Spread", "District voting mean", "Consensus", "Consensus note"]
    last = xlsx_util.write_table(ranking, headers, rows, start_row=start)
    first_score, last_score = 4, 4 + len(panel_headers) + 4  # weighted … consensus
    _number_format(ranking, start + 1, last, range(first_score, last_score + 1), TWO_DECIMALS)
    from sro_desk.domain.hiring_results import tie_statement

    notes = [tie_statement(tie, cand_names) for tie in results.ties]
    notes += [f"Not ranked or incomplete: {gap}" for gap in results.gaps]
    for offset, note in enumerate(notes, start=2):
        put(ranking.cell(last + offset, 1), note)

    scores = book.create_sheet("All scores")
    questions = {q.id: q for q in snap.questions}
    candidates = snap.candidate_names()
    q_order = {q.id: q.position for q in snap.questions}
    ordered = sorted(snap.scores, key=lambda s: (
        candidates.get(s.candidate_id, ""), q_order.get(s.question_id, 0),
        names.get(s.panelist_id, "")))
    xlsx_util.write_table(scores, [
        "Candidate", "No.", "Competency", "Question", "Weight", "Panelist", "Score", "Level",
        "Justification", "Comment", "Entered",
    ], [
        [candidates.get(s.candidate_id, ""), questions[s.question_id].position,
         questions[s.question_id].competency, questions[s.question_id].text,
         float(questions[s.question_id].weight), names.get(s.panelist_id, ""), s.value,
         SCALE_LABELS[s.value], s.justification, s.comment, s.entry.value]
        for s in ordered
    ])

    cells = book.create_sheet("Disagreements")
    xlsx_util.write_table(cells, ["Candidate", "No.", "Question", "Lowest", "Highest", "Points",
                                 "Lowest from", "Highest from"], [
        [candidates.get(d.candidate_id, ""), questions[d.question_id].position,
         questions[d.question_id].text, d.low, d.high, d.points,
         ", ".join(names.get(p, "") for p in d.low_panelists),
         ", ".join(names.get(p, "") for p in d.high_panelists)]
        for d in results.disagreements
    ])

    cal = book.create_sheet("Calibration")
    cal_last = xlsx_util.write_table(cal, ["Panelist", "Organization", "Votes for district",
                                           "Offset from the others", "Spread (SD)", "Reading"], [
        [c.name, snap.panelist(c.panelist_id).organization,
         snap.panelist(c.panelist_id).district_voting, _num(c.offset),
         None if c.spread is None else round(c.spread, 2), c.label]
        for c in results.calibration
    ])
    _number_format(cal, 2, cal_last, (4,), SIGNED_TWO_DECIMALS)
    _number_format(cal, 2, cal_last, (5,), TWO_DECIMALS)
    xlsx_util.save_workbook(book, dest)
    return dest


TWO_DECIMALS = "0.00"
SIGNED_TWO_DECIMALS = "+0.00;-0.00;0.00"


def _number_format(sheet: Any, first_row: int, last_row: int, columns: Iterable[int],
                   number_format: str) -> None:
    for column in columns:
        for row in range(first_row, last_row + 1):
            sheet.cell(row, column).number_format = number_format


def _num(value: Fraction | None) -> float | None:
    """A result as a number, rounded half-up to the two decimals shown on screen and in the PDF
    (``score_text``), so the workbook can sort and calculate with it."""
    return None if value is None else float(score_text(value))
