"""The offline score sheet: its fixed layout and the rules that accept or refuse a filled-in copy.

A panelist who scores on paper or on their own computer gets one .xlsx sheet. The workbook layer
(``services/hiring_sheets``) only reads cells into a ``ParsedSheet``; every decision about whether
the file can be imported is made here, so it is tested without a file and explained in words. A
sheet is imported whole or not at all: ``check_sheet`` either returns every score or raises
``ImportRefused`` listing every problem it found.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sro_desk.domain.errors import ImportRefused, RowProblem
from sro_desk.domain.hiring import (
    Candidate,
    HiringRound,
    Panelist,
    Question,
    Score,
    ScoreEntry,
    ScoringSettings,
    parse_score,
    score_problems,
)
from sro_desk.domain.privacy import immigration_warning

SHEET_FORMAT = 1
SCORES_TITLE = "Scores"
META_TITLE = "Sheet"
HEADER_ROW = 6
FIRST_ROW = HEADER_ROW + 1
HEADERS: tuple[str, ...] = (
    "Candidate ID",
    "Question ID",
    "Candidate",
    "No.",
    "Question",
    "Competency",
    "Score (1-5)",
    "Justification (required for 1 or 5)",
    "Comment",
)
COL_CANDIDATE_ID = 0
COL_QUESTION_ID = 1
COL_CANDIDATE = 2
COL_SCORE = 6
COL_JUSTIFICATION = 7
COL_COMMENT = 8
META_KEYS: tuple[str, ...] = ("format", "round_id", "panelist_id", "sheet_id", "layout")


def layout_fingerprint(
    round_id: int, panelist_id: int, pairs: Iterable[tuple[int, int]], *, sheet_id: str,
    secret: str,
) -> str:
    """A keyed digest (HMAC-SHA256) of whose sheet this is — round, panelist, sheet id — and
    which rows it has in what order. The key is the district database's own secret, never in the
    workbook, so editing the hidden panelist id and recomputing the digest cannot pass a sheet
    off as another panelist's scores; a moved row changes it too."""
    if not secret:
        raise ValueError("a score sheet fingerprint needs the database's secret")
    text = f"{round_id}/{panelist_id}/{sheet_id}/" + ";".join(f"{c}:{q}" for c, q in pairs)
    return hmac.new(secret.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]


def sheet_pairs(
    candidates: Sequence[Candidate], questions: Sequence[Question]
) -> list[tuple[int, int]]:
    """The (candidate, question) rows of a sheet: every candidate, questions in asking order."""
    ordered = sorted(questions, key=lambda q: (q.position, q.id or 0))
    pairs: list[tuple[int, int]] = []
    for cand in candidates:
        assert cand.id is not None
        for q in ordered:
            assert q.id is not None
            pairs.append((cand.id, q.id))
    return pairs


@dataclass(frozen=True, slots=True)
class SheetRow:
    row: int
    candidate_id: object
    question_id: object
    score: object
    justification: object
    comment: object


@dataclass(frozen=True, slots=True)
class ParsedSheet:
    """What the workbook reader found, uninterpreted."""

    meta: dict[str, object]
    headers: tuple[object, ...]
    rows: tuple[SheetRow, ...]
    problems: tuple[RowProblem, ...] = ()


@dataclass(frozen=True, slots=True)
class CheckedSheet:
    panelist_id: int
    sheet_id: str
    scores: tuple[Score, ...]
    content_digest: str


def content_digest(scores: Iterable[Score]) -> str:
    """Identifies a sheet's contents, so importing the same file twice is recognized."""
    text = "\n".join(
        f"{s.panelist_id}|{s.candidate_id}|{s.question_id}|{s.value}|{s.justification}|{s.comment}"
        for s in sorted(scores, key=lambda s: s.key)
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _as_int(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = "" if value is None else str(value).strip()
    return int(text) if text.isdigit() else None


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def check_sheet(
    parsed: ParsedSheet,
    hiring_round: HiringRound,
    panelists: Sequence[Panelist],
    candidates: Sequence[Candidate],
    questions: Sequence[Question],
    settings: ScoringSettings,
    *,
    secret: str,
) -> CheckedSheet:
    """Every score on the sheet, or ``ImportRefused`` listing every reason it cannot be imported.
    ``secret`` is the database's score-sheet key (``layout_fingerprint``)."""
    problems: list[RowProblem] = list(parsed.problems)
    meta = parsed.meta
    missing = [k for k in META_KEYS if k not in meta]
    if missing:
        problems.append(RowProblem(0, "", "this is not an SRO Desk score sheet, or its hidden "
                                          "sheet information was removed"))
        raise ImportRefused(problems)
    if _as_int(meta["format"]) != SHEET_FORMAT:
        problems.append(RowProblem(0, "", f"the sheet format '{meta['format']}' is not one this "
                                          "version of SRO Desk reads"))
    assert hiring_round.id is not None
    round_id = _as_int(meta["round_id"])
    if round_id != hiring_round.id:
        problems.append(RowProblem(0, "", f"this sheet belongs to hiring round {meta['round_id']}, "
                                          f"not to round {hiring_round.id} ({hiring_round.title})"))
    panelist_id = _as_int(meta["panelist_id"])
    panelist = next((p for p in panelists if p.id == panelist_id), None)
    if panelist is None:
        problems.append(RowProblem(0, "", f"panelist {meta['panelist_id']} is not on this "
                                          "round's panel"))
    if tuple(_text(h) for h in parsed.headers) != HEADERS:
        problems.append(RowProblem(HEADER_ROW, "", "the column headings were changed; columns "
                                                   "may not be added, removed or moved"))

    cand_ids = {c.id for c in candidates}
    q_ids = {q.id for q in questions}
    expected = sheet_pairs(candidates, questions)
    found: list[tuple[int, int]] = []
    scores: list[Score] = []
    seen: set[tuple[int, int]] = set()
    for row in parsed.rows:
        cid = _as_int(row.candidate_id)
        qid = _as_int(row.question_id)
        if cid is None or cid not in cand_ids:
            problems.append(RowProblem(row.row, HEADERS[COL_CANDIDATE_ID],
                                       f"unknown candidate ID '{_text(row.candidate_id)}'"))
        if qid is None or qid not in q_ids:
            problems.append(RowProblem(row.row, HEADERS[COL_QUESTION_ID],
                                       f"unknown question ID '{_text(row.question_id)}'"))
        if cid is None or qid is None:
            continue
        if (cid, qid) in seen:
            problems.append(RowProblem(row.row, "", "this candidate and question appear twice"))
        seen.add((cid, qid))
        found.append((cid, qid))
        try:
            value = parse_score(row.score)
        except ValueError as err:
            problems.append(RowProblem(row.row, HEADERS[COL_SCORE], str(err)))
            continue
        justification = _text(row.justification)
        comment = _text(row.comment)
        for message in score_problems(value, justification, settings):
            problems.append(RowProblem(row.row, HEADERS[COL_JUSTIFICATION], message))
        for column, text in ((COL_JUSTIFICATION, justification), (COL_COMMENT, comment)):
            warning = immigration_warning(text)
            if warning:
                problems.append(RowProblem(row.row, HEADERS[column], warning))
        if panelist is not None and panelist.id is not None:
            scores.append(Score(panelist.id, cid, qid, value, comment, justification,
                                ScoreEntry.SHEET))

    if round_id == hiring_round.id and panelist_id is not None:
        layout = layout_fingerprint(hiring_round.id, panelist_id, found,
                                    sheet_id=_text(meta["sheet_id"]), secret=secret)
        if found != expected:
            problems.append(RowProblem(0, "", _layout_problem(found, expected)))
        elif not hmac.compare_digest(_text(meta["layout"]), layout):
            problems.append(RowProblem(0, "", (
                "the sheet's hidden identity does not match what this database issued (the "
                "panelist, sheet id or rows were edited, or the sheet comes from another "
                "database); export a new sheet for the panelist")))
    if problems:
        raise ImportRefused(problems)
    assert panelist is not None and panelist.id is not None
    return CheckedSheet(panelist.id, _text(meta["sheet_id"]), tuple(scores),
                        content_digest(scores))


def _layout_problem(found: list[tuple[int, int]], expected: list[tuple[int, int]]) -> str:
    missing = len(set(expected) - set(found))
    extra = len(set(found) - set(expected))
    if missing or extra:
        return (
            f"the sheet's rows do not match the round ({missing} expected row(s) missing, "
            f"{extra} unexpected); rows may not be added or deleted — export a fresh sheet if "
            "the round's candidates or questions changed"
        )
    return "the sheet's rows were reordered or its hidden layout information was changed"
