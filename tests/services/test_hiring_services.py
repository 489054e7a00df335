"""Hiring services: the blind view, the question bank, exports and the score-sheet round trip."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sro_desk.domain.errors import ImportRefused, RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    Candidate,
    HiringRound,
    Panelist,
    Score,
    ScoreEntry,
)
from sro_desk.domain.hiring_results import score_text, signed_text
from sro_desk.domain.hiring_sheet import FIRST_ROW, META_TITLE
from sro_desk.services import hiring, hiring_sheets
from sro_desk.store.settings import DISTRICT_NAME, set_setting


@pytest.fixture
def rnd(db: object) -> dict[str, object]:
    set_setting(DISTRICT_NAME, "Sequim School District")
    r = hiring.save_round(HiringRound(None, "SRO, Sequim High School", "Sequim Police Department",
                                      "Sequim High School"))
    assert r.id is not None
    panel = [hiring.save_panelist(Panelist(None, r.id, n, o, role, district_voting=v))
             for n, o, role, v in (("Dana Whitfield", "Sequim SD", "Assistant superintendent", True),
                                   ("Sgt. Lee O'Brien <Jr>", "Sequim PD", "Patrol sergeant", False),
                                   ("Maria Ortiz", "Sequim SD", "Principal", True))]
    cands = [hiring.save_candidate(Candidate(None, r.id, n, "Patrol")) for n in
             ("Officer Avery", "Officer Brooks", "Officer =HYPERLINK(\"x\")")]
    assert hiring.add_bank_questions(r.id, ["deescalation", "ferpa", "disabilities"]) == 3
    return {"round": r.id, "panel": [p.id for p in panel], "cands": [c.id for c in cands],
            "qs": [q.id for q in hiring.list_questions(r.id)]}


def _fill(rnd: dict[str, object], panelist_index: int, base: int) -> list[Score]:
    pid = rnd["panel"][panelist_index]  # type: ignore[index]
    return [
        Score(pid, c, q, max(1, min(5, base + ci - qi)), comment="ok", justification="noted")
        for ci, c in enumerate(rnd["cands"])  # type: ignore[arg-type]
        for qi, q in enumerate(rnd["qs"])  # type: ignore[arg-type]
    ]


def _score_all(rnd: dict[str, object]) -> None:
    for i, base in enumerate((3, 4, 2)):
        hiring.save_sheet_scores(rnd["panel"][i], _fill(rnd, i, base))  # type: ignore[index]
        hiring.submit_sheet(rnd["panel"][i])  # type: ignore[index]


def test_question_bank_loads_from_installed_resources(db: object) -> None:
    bank = hiring.question_bank()
    assert len(bank) >= 7
    with pytest.raises(ValidationError, match="'nope' is not in the question bank"):
        hiring.add_bank_questions(1, ["nope"])


def test_blind_view_before_and_after_reveal(rnd: dict[str, object]) -> None:
    rid = rnd["round"]
    p1, p2, _p3 = rnd["panel"]  # type: ignore[misc]
    hiring.save_sheet_scores(p1, _fill(rnd, 0, 3))
    hiring.save_sheet_scores(p2, _fill(rnd, 1, 4))
    hiring.submit_sheet(p1)
    mine = hiring.round_view(rid, p2)  # type: ignore[arg-type]
    assert {s.panelist_id for s in mine.snapshot.scores} == {p2}
    assert mine.results is None
    sealed = hiring.round_view(rid, p1)  # type: ignore[arg-type]
    assert sealed.snapshot.scores == () and "sealed" in sealed.visibility.reason
    reopened = hiring.round_view(rid, p1, reopen_reason="Fix a typo")  # type: ignore[arg-type]
    assert {s.panelist_id for s in reopened.snapshot.scores} == {p1}
    coordinator = hiring.round_view(rid)  # type: ignore[arg-type]
    assert coordinator.snapshot.scores == () and coordinator.results is None
    assert coordinator.submitted == 1
    with pytest.raises(RuleViolation, match="blind"):
        hiring.results_for_file(rid)  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match=r"Lee O.Brien <Jr>, Maria Ortiz"):
        hiring.reveal(rid)  # type: ignore[arg-type]
    hiring.save_sheet_scores(rnd["panel"][2], _fill(rnd, 2, 2))  # type: ignore[index]
    hiring.submit_sheet(rnd["panel"][2])  # type: ignore[index]
    hiring.submit_sheet(p2)
    hiring.reveal(rid)  # type: ignore[arg-type]
    after = hiring.round_view(rid, p1)  # type: ignore[arg-type]
    assert after.results is not None
    assert len(after.snapshot.scores) == 27


def test_results_exports_read_back(rnd: dict[str, object], tmp_path: Path) -> None:
    _score_all(rnd)
    hiring.reveal(rnd["round"])  # type: ignore[arg-type]
    pdf, xlsx = tmp_path / "results.pdf", tmp_path / "results.xlsx"
    written = hiring.export_results(rnd["round"], pdf=pdf, xlsx=xlsx)  # type: ignore[arg-type]
    assert written == [pdf, xlsx]
    text = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Interview results" in text and "Sgt. Lee O'Brien <Jr>" in text
    assert "Per-question breakdown" in text and "Panelist calibration" in text
    assert "No decision has been recorded yet." in text
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["Ranking", "All scores", "Disagreements", "Calibration"]
    ranking = book["Ranking"]
    names = [ranking.cell(r, 3).value for r in range(5, 8)]
    assert "Officer =HYPERLINK(\"x\")" in names
    hyper = next(ranking.cell(r, 3) for r in range(5, 8) if str(ranking.cell(r, 3).value)
                 .startswith("Officer ="))
    assert hyper.data_type == "s"
    assert book["All scores"].max_row == 28


def test_results_xlsx_stores_ranks_and_offsets_as_numbers(demo_db: Path, tmp_path: Path) -> None:
    """The demo's decided round has a tie for second: each tied rank is the number 2, with the
    other candidate named in its own text column; means and calibration offsets are numbers."""
    decided = next(r for r in hiring.list_rounds() if r.revealed)
    assert decided.id is not None
    _snap, results = hiring.results_for_file(decided.id)
    xlsx = tmp_path / "results.xlsx"
    hiring.export_results(decided.id, xlsx=xlsx)
    book = openpyxl.load_workbook(xlsx)
    ranking = book["Ranking"]
    header_row = next(r for r in range(1, 10) if ranking.cell(r, 1).value == "Rank")
    headers = [c.value for c in ranking[header_row]]
    assert headers[:3] == ["Rank", "Tied with", "Candidate"]
    rows = {ranking.cell(r, 3).value: r for r in range(header_row + 1, header_row + 4)}
    raman, nguyen, petrakis = (rows[f"Officer {n}"] for n in ("Priya Raman", "Thomas Nguyen",
                                                               "Dana Petrakis"))
    assert [ranking.cell(r, 1).value for r in (raman, nguyen, petrakis)] == [1, 2, 2]
    for r in (raman, nguyen, petrakis):
        assert ranking.cell(r, 1).data_type == "n"
    assert ranking.cell(raman, 2).value is None
    assert ranking.cell(nguyen, 2).value == "Officer Dana Petrakis"
    assert ranking.cell(petrakis, 2).value == "Officer Thomas Nguyen"
    mean_col = headers.index("Panel mean") + 1
    mean = ranking.cell(raman, mean_col)
    assert isinstance(mean.value, float) and mean.number_format == "0.00"
    assert f"{mean.value:.2f}" == next(
        score_text(c.mean) for c in results.candidates if c.name == "Officer Priya Raman")
    assert isinstance(ranking.cell(raman, headers.index("Consensus") + 1).value, float)
    cal = book["Calibration"]
    assert cal.cell(1, 4).value == "Offset from the others"
    offsets = [cal.cell(r, 4) for r in range(2, cal.max_row + 1)]
    assert len(offsets) == 3
    for cell, item in zip(offsets, results.calibration, strict=True):
        assert isinstance(cell.value, float) and cell.number_format == "+0.00;-0.00;0.00"
        assert f"{cell.value:+.2f}".replace("+0.00", "0.00").replace("-0.00", "0.00") == \
            signed_text(item.offset).replace("+0.00", "0.00")
        assert cal.cell(cell.row, 5).data_type == "n"


def test_score_sheet_round_trip_and_duplicate(rnd: dict[str, object], tmp_path: Path) -> None:
    rid = rnd["round"]
    p1 = rnd["panel"][0]  # type: ignore[index]
    dest = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(dest)
    sheet = book["Scores"]
    assert book[META_TITLE].sheet_state == "veryHidden"
    assert sheet.column_dimensions["A"].hidden and sheet.protection.sheet
    assert book.security.lockStructure
    assert sheet.data_validations.dataValidation[0].formula1 == '"1,2,3,4,5"'
    for row in range(FIRST_ROW, FIRST_ROW + 9):
        sheet.cell(row, 7).value = 4
        sheet.cell(row, 9).value = "clear examples"
    book.save(dest)
    outcome = hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    assert outcome.imported and outcome.changed == 9
    assert "Dana Whitfield" in outcome.message
    assert hiring.round_view(rid, p1).snapshot.scores == ()  # type: ignore[arg-type]  # sealed
    scores = hiring.round_view(rid, p1, reopen_reason="check").snapshot.scores  # type: ignore[arg-type]
    assert {s.entry for s in scores} == {ScoreEntry.SHEET} and len(scores) == 9
    assert hiring.list_panelists(rid)[0].submitted  # type: ignore[arg-type]
    again = hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    assert not again.imported and "already imported" in again.message


def test_score_sheet_refusals_list_every_problem(rnd: dict[str, object], tmp_path: Path) -> None:
    rid = rnd["round"]
    p1 = rnd["panel"][0]  # type: ignore[index]
    dest = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(dest)
    sheet = book["Scores"]
    for row in range(FIRST_ROW, FIRST_ROW + 9):
        sheet.cell(row, 7).value = 3
    sheet.cell(FIRST_ROW, 7).value = 9
    sheet.cell(FIRST_ROW + 1, 7).value = 5
    sheet.cell(FIRST_ROW + 2, 1).value = 999
    book.save(dest)
    with pytest.raises(ImportRefused) as err:
        hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    text = [str(p) for p in err.value.problems]
    assert any("score 9 is outside" in t for t in text)
    assert any("needs a written justification" in t for t in text)
    assert any("unknown candidate ID '999'" in t for t in text)
    assert hiring.round_view(rid, p1).snapshot.scores == ()  # type: ignore[arg-type]
    other = hiring.save_round(HiringRound(None, "SRO, Helen Haller", "Sequim PD", ""))
    with pytest.raises(ImportRefused, match="belongs to hiring round"):
        hiring_sheets.import_score_sheet(dest, other.id)  # type: ignore[arg-type]
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook")
    with pytest.raises(ImportRefused, match="not an Excel workbook"):
        hiring_sheets.import_score_sheet(junk, rid)  # type: ignore[arg-type]
    book = openpyxl.load_workbook(dest)
    book.security.lockStructure = False
    book["Scores"].delete_rows(FIRST_ROW + 3)
    book.save(dest)
    with pytest.raises(ImportRefused) as err:
        hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    text = [str(p) for p in err.value.problems]
    assert any("structure protection was removed" in t for t in text)
    assert any("2 expected row(s) missing, 1 unexpected" in t for t in text)


def test_changed_sheet_after_submission_needs_reason(rnd: dict[str, object], tmp_path: Path) -> None:
    rid = rnd["round"]
    p1 = rnd["panel"][0]  # type: ignore[index]
    hiring.save_sheet_scores(p1, _fill(rnd, 0, 3))
    hiring.submit_sheet(p1)
    dest = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(dest)
    assert book["Scores"].cell(FIRST_ROW, 7).value is None  # exported blank: nothing leaks
    for row in range(FIRST_ROW, FIRST_ROW + 9):
        book["Scores"].cell(row, 7).value = 3
    book.save(dest)
    with pytest.raises(ValidationError, match="needs a written reason"):
        hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    outcome = hiring_sheets.import_score_sheet(dest, rid, reason="Corrected on paper")  # type: ignore[arg-type]
    assert outcome.imported and outcome.changed == 9  # comments were cleared too


def test_blank_paper_sheet_pdf(rnd: dict[str, object], tmp_path: Path) -> None:
    dest = hiring_sheets.export_blank_sheet_pdf(rnd["round"], rnd["panel"][1],  # type: ignore[arg-type,index]
                                                tmp_path / "blank.pdf")
    reader = PdfReader(dest)
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) >= 3
    assert "Officer Brooks" in text and "Sgt. Lee O'Brien <Jr>" in text
    assert "De-escalation" in text and "Awareness" in text


def test_district_edits_its_question_bank(db: object, tmp_path: Path) -> None:
    import json

    dest = hiring.export_question_bank(tmp_path / "bank.json")
    data = json.loads(dest.read_text(encoding="utf-8"))
    data["questions"] = data["questions"][:2]
    data["questions"][0]["text"] = "Edited by the district"
    dest.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValidationError, match="reason"):
        hiring.import_question_bank(dest, reason="")
    assert hiring.import_question_bank(dest, reason="Board review 2026") == 2
    assert hiring.question_bank()[0].text == "Edited by the district"
    broken = tmp_path / "broken.json"
    broken.write_text('{"catalog": "hiring_question_bank", "questions": [{"key": "x"}]}')
    with pytest.raises(ValidationError, match="Question 1"):
        hiring.import_question_bank(broken, reason="r")
    broken.write_text("{not json")
    with pytest.raises(ValidationError, match="not a readable JSON"):
        hiring.import_question_bank(broken, reason="r")
    assert len(hiring.question_bank()) == 2  # nothing replaced by a bad file


def _with_padding(source: Path, dest: Path, megabytes: float, *, declared: int | None = None) -> Path:
    """A genuine exported sheet whose Scores XML carries ``megabytes`` MB of blanks before its
    closing tag (valid XML that compresses ~1000 to one). ``declared`` rewrites that member's size
    in both zip headers to lie about how far it expands."""
    import struct
    import zipfile

    member = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(source) as original, \
            zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename == member:
                data = data.replace(b"</worksheet>",
                                    b" " * int(megabytes * 1024 * 1024) + b"</worksheet>")
            archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    if declared is not None:
        raw = bytearray(dest.read_bytes())
        name = member.encode()
        for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
            at = raw.find(signature)
            while at != -1:
                if raw[at + name_at:at + name_at + len(name)] == name:
                    struct.pack_into("<I", raw, at + size_at, declared)
                at = raw.find(signature, at + 4)
        dest.write_bytes(bytes(raw))
    return dest


def test_score_sheet_zip_bombs_are_refused_unopened(
    rnd: dict[str, object], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Under the shared 10 MB / 300 MB roster limits, yet far beyond any score sheet: refused in
    words before openpyxl expands a byte, and nothing is written."""
    import openpyxl as openpyxl_module

    rid, p1 = rnd["round"], rnd["panel"][0]  # type: ignore[index]
    sheet = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    big = _with_padding(sheet, tmp_path / "big.xlsx", 9)
    dense = _with_padding(sheet, tmp_path / "dense.xlsx", 4)
    assert big.stat().st_size < 100_000 and dense.stat().st_size < 100_000

    def never(*_a: object, **_k: object) -> None:
        raise AssertionError("openpyxl opened a zip bomb")

    monkeypatch.setattr(openpyxl_module, "load_workbook", never)
    with pytest.raises(ImportRefused) as err:
        hiring_sheets.import_score_sheet(big, rid)  # type: ignore[arg-type]
    assert "would expand to 9.0 MB" in str(err.value.problems[0])
    assert "refused for safety" in str(err.value.problems[0])
    with pytest.raises(ImportRefused, match=r"expands .* times over, as a zip bomb does"):
        hiring_sheets.import_score_sheet(dense, rid)  # type: ignore[arg-type]
    monkeypatch.undo()
    assert hiring.round_view(rid, p1).snapshot.scores == ()  # type: ignore[arg-type]
    assert not hiring.list_panelists(rid)[0].submitted  # type: ignore[arg-type]


def test_score_sheet_member_lying_about_its_size_is_refused(
    rnd: dict[str, object], tmp_path: Path,
) -> None:
    """The zip directory claims 100 bytes for 9 MB of data: the reader stops at the claimed size
    (bad CRC), so the lie cannot smuggle the bomb past the size check."""
    rid, p1 = rnd["round"], rnd["panel"][0]  # type: ignore[index]
    sheet = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(sheet)
    for row in range(FIRST_ROW, FIRST_ROW + 9):
        book["Scores"].cell(row, 7).value = 3
    book.save(sheet)
    liar = _with_padding(sheet, tmp_path / "liar.xlsx", 9, declared=4000)
    hiring_sheets.check_sheet_archive(liar)  # the directory's sizes look harmless
    with pytest.raises(ImportRefused, match="could not be read as a workbook"):
        hiring_sheets.import_score_sheet(liar, rid)  # type: ignore[arg-type]
    assert hiring.round_view(rid, p1).snapshot.scores == ()  # type: ignore[arg-type]


def test_demo_questions_each_have_their_own_anchors(demo_db: Path) -> None:
    """No demo question borrows another competency's anchors (question 6, 'Working with early
    adolescents', once reused the De-escalation anchors)."""
    for r in hiring.list_rounds():
        assert r.id is not None
        questions = hiring.list_questions(r.id)
        seen: dict[tuple[str, ...], str] = {}
        for q in questions:
            assert q.anchors not in seen, (
                f"'{q.competency}' reuses the anchors of '{seen.get(q.anchors)}'")
            seen[q.anchors] = q.competency
        early = [q for q in questions if q.competency == "Working with early adolescents"]
        for q in early:
            assert all(len(a) > 60 for a in q.anchors)
            assert "group" in q.anchors[0] and "early adolescents" in q.anchors[4]


def test_a_pin_protected_sheet_is_unreachable_without_its_pin(rnd: dict[str, object]) -> None:
    """Blind scoring on one laptop: once a panelist sets a PIN, neither the view, a save nor a
    submission reaches their sheet without it; the PIN is kept only as a salted PBKDF2 digest."""
    import hashlib

    from sro_desk.domain.hiring_pin import MAX_FAILED_ATTEMPTS, PinRefused
    from sro_desk.store.audit import audit_entries
    from sro_desk.store.hiring_records import HiringPanelistPinRecord

    rid, p1, p2 = rnd["round"], rnd["panel"][0], rnd["panel"][1]  # type: ignore[index]
    hiring.save_sheet_scores(p1, _fill(rnd, 0, 3))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="do not match"):
        hiring.set_panelist_pin(p1, "4821", "4812")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="4 to 12 digits"):
        hiring.set_panelist_pin(p1, "12", "12")  # type: ignore[arg-type]
    assert hiring.set_panelist_pin(p1, "4821", "4821").has_pin  # type: ignore[arg-type]
    with pytest.raises(RuleViolation, match="already has a PIN"):
        hiring.set_panelist_pin(p1, "9999", "9999")  # type: ignore[arg-type]
    # Stored: salt, digest and iteration count of pbkdf2_hmac, never the PIN.
    row = HiringPanelistPinRecord.get(HiringPanelistPinRecord.panelist == p1)
    salt, digest = bytes(row.salt), bytes(row.digest)
    assert len(salt) == 16 and b"4821" not in digest
    assert hashlib.pbkdf2_hmac("sha256", b"4821", salt, row.iterations) == digest
    entries = [str(e.changes) for e in audit_entries("HiringPanelistPin")]
    assert entries and not any("4821" in e or digest.hex() in e for e in entries)
    # Without the PIN: nothing of the sheet, no save, no submission.
    blind = hiring.round_view(rid, p1)  # type: ignore[arg-type]
    assert blind.snapshot.scores == () and blind.visibility.editable_panelist_id is None
    assert "protected by a PIN" in blind.visibility.reason
    with pytest.raises(PinRefused, match="not the PIN"):
        hiring.round_view(rid, p1, pin="0000")  # type: ignore[arg-type]
    with pytest.raises(PinRefused, match="protected by a PIN"):
        hiring.save_sheet_scores(p1, _fill(rnd, 0, 4))  # type: ignore[arg-type]
    with pytest.raises(PinRefused):
        hiring.submit_sheet(p1)  # type: ignore[arg-type]
    with pytest.raises(PinRefused):
        hiring.save_sheet_scores(p1, _fill(rnd, 0, 4), pin="1111")  # type: ignore[arg-type]
    # With it: the panelist's own sheet, as before; other sheets are not affected.
    opened = hiring.round_view(rid, p1, pin="4821")  # type: ignore[arg-type]
    assert len(opened.snapshot.scores) == 9 and opened.visibility.editable_panelist_id == p1
    assert hiring.save_sheet_scores(p1, _fill(rnd, 0, 4), pin="4821") > 0  # type: ignore[arg-type]
    assert hiring.round_view(rid, p2).visibility.editable_panelist_id == p2  # type: ignore[arg-type]
    # A run of wrong PINs locks the sheet, even to the right PIN, until an audited reset.
    for _ in range(MAX_FAILED_ATTEMPTS):
        with pytest.raises(PinRefused):
            hiring.unlock_sheet(p1, "1357")  # type: ignore[arg-type]
    with pytest.raises(PinRefused, match="locked"):
        hiring.unlock_sheet(p1, "4821")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="reason"):
        hiring.reset_panelist_pin(p1, reason=" ")  # type: ignore[arg-type]
    assert not hiring.reset_panelist_pin(p1, reason="Forgot it; confirmed in person").has_pin  # type: ignore[arg-type]
    assert any("Forgot it; confirmed in person" in str(e.changes)
               for e in audit_entries("HiringPanelistPin"))
    hiring.set_panelist_pin(p1, "2468", "2468")  # type: ignore[arg-type]
    hiring.submit_sheet(p1, pin="2468")  # type: ignore[arg-type]
    assert hiring.list_panelists(rid)[0].submitted  # type: ignore[arg-type]


def test_a_sheet_import_cannot_overwrite_a_pin_protected_sheet(
    rnd: dict[str, object], tmp_path: Path,
) -> None:
    rid, p1 = rnd["round"], rnd["panel"][0]  # type: ignore[index]
    dest = hiring_sheets.export_score_sheet(rid, p1, tmp_path / "p1.xlsx")  # type: ignore[arg-type]
    book = openpyxl.load_workbook(dest)
    for row in range(FIRST_ROW, FIRST_ROW + 9):
        book["Scores"].cell(row, 7).value = 3
    book.save(dest)
    hiring.set_panelist_pin(p1, "4821", "4821")  # type: ignore[arg-type]
    with pytest.raises(ImportRefused, match="protected their sheet with a PIN"):
        hiring_sheets.import_score_sheet(dest, rid)  # type: ignore[arg-type]
    assert hiring.round_view(rid, p1, pin="4821").snapshot.scores == ()  # type: ignore[arg-type]
    hiring.reset_panelist_pin(p1, reason="Scored on paper instead")  # type: ignore[arg-type]
    assert hiring_sheets.import_score_sheet(dest, rid).imported  # type: ignore[arg-type]
