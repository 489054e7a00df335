"""Score-sheet acceptance rules: whole or nothing, every problem listed."""

from __future__ import annotations

import pytest

from sro_desk.domain.errors import ImportRefused
from sro_desk.domain.hiring import (
    Candidate,
    HiringRound,
    Panelist,
    Question,
    ScoreEntry,
    ScoringSettings,
)
from sro_desk.domain.hiring_sheet import (
    FIRST_ROW,
    HEADERS,
    SHEET_FORMAT,
    ParsedSheet,
    SheetRow,
    check_sheet,
    content_digest,
    layout_fingerprint,
    sheet_pairs,
)

ROUND = HiringRound(3, "SRO, Sequim High School", "Sequim PD", "Sequim HS")
PANEL = [Panelist(1, 3, "Ana", "District"), Panelist(2, 3, "Bo", "Agency")]
CANDS = [Candidate(10, 3, "Ames"), Candidate(11, 3, "Baker")]
QS = [Question(21, 3, 2, "Q2", "c"), Question(20, 3, 1, "Q1", "c")]
SETTINGS = ScoringSettings()
SECRET = "k" * 64  # the database's score-sheet key, as sheet_secret() makes it


def _sheet(values: list[object] | None = None, **meta: object) -> ParsedSheet:
    pairs = sheet_pairs(CANDS, QS)
    values = values if values is not None else [3, 4, 2, 3]
    rows = tuple(
        SheetRow(FIRST_ROW + i, c, q, v, "", "fine") for i, ((c, q), v) in enumerate(
            zip(pairs, values, strict=True))
    )
    base: dict[str, object] = {"format": SHEET_FORMAT, "round_id": 3, "panelist_id": 1,
                               "sheet_id": "abc", "layout": layout_fingerprint(3, 1, pairs, sheet_id="abc", secret=SECRET)}
    base.update(meta)
    return ParsedSheet(base, HEADERS, rows)


def _refusal(parsed: ParsedSheet) -> list[str]:
    with pytest.raises(ImportRefused) as err:
        check_sheet(parsed, ROUND, PANEL, CANDS, QS, SETTINGS, secret=SECRET)
    assert "Nothing was changed" in err.value.summary
    return [str(p) for p in err.value.problems]


def test_sheet_rows_follow_candidates_then_question_order() -> None:
    assert sheet_pairs(CANDS, QS) == [(10, 20), (10, 21), (11, 20), (11, 21)]


def test_good_sheet_gives_every_score_marked_as_imported() -> None:
    checked = check_sheet(_sheet(), ROUND, PANEL, CANDS, QS, SETTINGS, secret=SECRET)
    assert checked.panelist_id == 1 and checked.sheet_id == "abc"
    assert [(s.candidate_id, s.question_id, s.value) for s in checked.scores] == [
        (10, 20, 3), (10, 21, 4), (11, 20, 2), (11, 21, 3)]
    assert {s.entry for s in checked.scores} == {ScoreEntry.SHEET}
    assert checked.content_digest == content_digest(reversed(checked.scores))
    again = check_sheet(_sheet(), ROUND, PANEL, CANDS, QS, SETTINGS, secret=SECRET)
    assert again.content_digest == checked.content_digest
    changed = check_sheet(_sheet([3, 4, 2, 4]), ROUND, PANEL, CANDS, QS, SETTINGS, secret=SECRET)
    assert changed.content_digest != checked.content_digest


def test_wrong_round_and_unknown_panelist() -> None:
    problems = _refusal(_sheet(round_id=4, panelist_id=9))
    assert problems == [
        "file: this sheet belongs to hiring round 4, not to round 3 (SRO, Sequim High School — "
        "Sequim PD)",
        "file: panelist 9 is not on this round's panel",
    ]


def test_every_row_problem_is_listed_together() -> None:
    parsed = _sheet([0, "", 5, "3.5"])
    problems = _refusal(parsed)
    assert problems == [
        f"row {FIRST_ROW}, column 'Score (1-5)': score 0 is outside the 1 to 5 scale",
        f"row {FIRST_ROW + 1}, column 'Score (1-5)': score is missing",
        f"row {FIRST_ROW + 2}, column 'Justification (required for 1 or 5)': a score of 5 "
        "(Expert) needs a written justification",
        f"row {FIRST_ROW + 3}, column 'Score (1-5)': '3.5' is not a whole-number score from 1 to 5",
    ]


def test_unknown_ids_and_altered_structure() -> None:
    parsed = _sheet()
    rows = list(parsed.rows)
    rows[0] = SheetRow(rows[0].row, 99, "x", 3, "", "")
    problems = _refusal(ParsedSheet(parsed.meta, parsed.headers, tuple(rows)))
    assert problems[0] == f"row {FIRST_ROW}, column 'Candidate ID': unknown candidate ID '99'"
    assert problems[1] == f"row {FIRST_ROW}, column 'Question ID': unknown question ID 'x'"
    assert "1 expected row(s) missing" in problems[2]

    swapped = (parsed.rows[1], parsed.rows[0], *parsed.rows[2:])
    assert _refusal(ParsedSheet(parsed.meta, parsed.headers, swapped)) == [
        "file: the sheet's rows were reordered or its hidden layout information was changed"]
    dup = (*parsed.rows, parsed.rows[0])
    assert "appear twice" in _refusal(ParsedSheet(parsed.meta, parsed.headers, dup))[0]
    headers = (*HEADERS[:-1], "Notes")
    assert "column headings were changed" in _refusal(
        ParsedSheet(parsed.meta, headers, parsed.rows))[0]
    assert _refusal(_sheet(layout="0000")) == [
        "file: the sheet's hidden identity does not match what this database issued (the "
        "panelist, sheet id or rows were edited, or the sheet comes from another database); "
        "export a new sheet for the panelist"]


def test_a_sheet_passed_off_as_another_panelists_is_refused() -> None:
    """Before: the fingerprint was an unkeyed SHA-256 anyone could recompute after editing the
    hidden panelist id, so one panelist's sheet imported as another's scores."""
    import hashlib

    pairs = sheet_pairs(CANDS, QS)
    forged_unkeyed = hashlib.sha256(
        ("3/2/" + ";".join(f"{c}:{q}" for c, q in pairs)).encode()).hexdigest()[:16]
    forged_other_key = layout_fingerprint(3, 2, pairs, sheet_id="abc", secret="x" * 64)
    for forged in (forged_unkeyed, forged_other_key):
        problems = _refusal(_sheet(panelist_id=2, layout=forged))
        assert problems == [p for p in problems if "hidden identity does not match" in p] != []
    # the real key, for the real panelist, passes
    assert check_sheet(_sheet(), ROUND, PANEL, CANDS, QS, SETTINGS, secret=SECRET).panelist_id == 1


def test_questions_changed_since_export_is_refused() -> None:
    parsed = _sheet()
    more = [*QS, Question(22, 3, 3, "Q3", "c")]
    with pytest.raises(ImportRefused) as err:
        check_sheet(parsed, ROUND, PANEL, CANDS, more, SETTINGS, secret=SECRET)
    assert "2 expected row(s) missing" in str(err.value.problems[0])


def test_not_a_score_sheet_and_wrong_format() -> None:
    assert _refusal(ParsedSheet({}, HEADERS, ())) == [
        "file: this is not an SRO Desk score sheet, or its hidden sheet information was removed"]
    assert "format '7'" in _refusal(_sheet(format=7))[0]


def test_reader_problems_and_privacy_are_reported() -> None:
    from sro_desk.domain.errors import RowProblem

    parsed = _sheet()
    rows = list(parsed.rows)
    rows[0] = SheetRow(rows[0].row, 10, 20, 3, "", "He said he was born in Guatemala")
    problems = _refusal(ParsedSheet(parsed.meta, parsed.headers, tuple(rows),
                                    (RowProblem(0, "", "the workbook structure was unprotected"),)))
    assert problems[0] == "file: the workbook structure was unprotected"
    assert "RCW 10.93.160" in problems[1] and "'Comment'" in problems[1]
