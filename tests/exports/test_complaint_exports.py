"""Complaint exports read back: letters (PDF), the complaint log and public summary (xlsx),
and the meeting cadence report (PDF)."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sro_desk.domain.complaint_letters import (
    LetterKind,
    available_letters,
    letter_date_problems,
    render_letter,
    step_date,
    template_problems,
)
from sro_desk.domain.complaints import Finding
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.meetings import MeetingKind, SupervisionMeeting
from sro_desk.exports.letters_pdf import block_markup
from sro_desk.services import complaints as svc
from sro_desk.store import complaint_repo
from tests.services.complaint_fixtures import TODAY, ComplaintDistrict, cdist, draft

__all__ = ["cdist"]
D = dt.date
NASTY = "Maria O'Brien <Jr> & <b>bold</b>"


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def flat(text: str) -> str:
    return " ".join(text.split())


def decided(cdist: ComplaintDistrict) -> int:
    c = svc.file_complaint(draft(cdist, complainant_name=NASTY,
                                 complainant_contact="=HYPERLINK(\"http://x\")"), today=TODAY)
    cid = c.id or 0
    svc.start_investigation(cid, D(2026, 2, 3), "Pat <Lee>", D(2026, 2, 3), today=TODAY)
    svc.extend_deadline(cid, D(2026, 2, 20), "Witness <on leave>", D(2026, 3, 13), today=TODAY)
    svc.issue_determination(cid, D(2026, 3, 12), Finding.INCONCLUSIVE, "No video <none>.",
                            today=TODAY)
    svc.record_appeal(cid, D(2026, 3, 16), "the complainant", today=TODAY)
    svc.decide_appeal(cid, D(2026, 4, 20), Finding.SUBSTANTIATED, "New witness.", today=TODAY)
    return cid


def test_every_letter_reads_back_escaped_with_its_computation(
        cdist: ComplaintDistrict, tmp_path: Path) -> None:
    cid = decided(cdist)
    texts = {}
    for kind in LetterKind:
        path = svc.write_letter(cid, kind, tmp_path / f"{kind.template_name}.pdf",
                                signer="Principal Pat Lee", letter_date=D(2026, 4, 21))
        texts[kind] = flat(pdf_text(path))
        assert "Maria O'Brien <Jr> & <b>bold</b>" in texts[kind]
    ack = texts[LetterKind.ACKNOWLEDGEMENT]
    assert "Your written determination is due by 13 March 2026." in ack  # extended date
    assert "Days not counted:" in ack and "Presidents' Day (holiday)" in ack
    assert "Result: Tuesday 3 March 2026" in ack
    ext = texts[LetterKind.EXTENSION]
    assert "Reason for the extension: Witness <on leave>" in ext
    assert "The answer was due by 3 March 2026." in ext
    assert "We now expect to answer by 13 March 2026." in ext
    det = texts[LetterKind.DETERMINATION]
    assert "Determination: Inconclusive" in det and "No video <none>." in det
    assert "conducted by Pat <Lee>" in det
    appeal = texts[LetterKind.APPEAL_DECISION]
    # Appeal received Mon 16 Mar: 17-20 (4), 23-27 (9), 30 Mar-3 Apr (14), spring break,
    # 13-17 (19), 20-24 (24), 27 Apr-1 May (29), Mon 4 May (30).
    assert "it was due by 4 May 2026" in appeal
    assert "Decision on appeal: Substantiated" in appeal


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler) not installed")
def test_letter_renders_as_an_image_with_ink_in_the_right_places(
        cdist: ComplaintDistrict, tmp_path: Path) -> None:
    """Look at the letter as a picture: a heading at the top, body text, a blank lower page."""
    cid = decided(cdist)
    pdf = svc.write_letter(cid, LetterKind.DETERMINATION, tmp_path / "d.pdf")
    subprocess.run(["pdftoppm", "-r", "30", "-gray", "-png", str(pdf), str(tmp_path / "d")],
                   check=True, capture_output=True)
    (png,) = sorted(tmp_path.glob("d-*.png"))
    from PySide6.QtGui import QImage

    image = QImage(str(png))
    width, height = image.width(), image.height()

    def ink(top: float, bottom: float) -> int:
        return sum(1 for y in range(int(height * top), int(height * bottom))
                   for x in range(0, width, 2) if image.pixelColor(x, y).lightness() < 128)

    assert ink(0.05, 0.12) > 20  # the heading
    assert ink(0.12, 0.45) > 50  # the body of the letter
    assert ink(0.70, 0.92) == 0  # nothing spilled onto the foot of the page


def test_each_letter_is_dated_the_day_of_its_step_by_default(
        cdist: ComplaintDistrict, tmp_path: Path) -> None:
    """QA: an acknowledgement of a complaint received 2 February was dated the day it was
    printed and quoted a deadline extended weeks later."""
    cid = decided(cdist)
    c = complaint_repo.get_complaint(cid)
    assert [step_date(k, c) for k in LetterKind] == [
        D(2026, 2, 2), D(2026, 2, 20), D(2026, 3, 12), D(2026, 4, 20)]
    furniture = "School district Page 1 "
    texts = {k: flat(pdf_text(svc.write_letter(cid, k, tmp_path / f"{k.template_name}.pdf"))
                     ).removeprefix(furniture) for k in LetterKind}
    assert texts[LetterKind.ACKNOWLEDGEMENT].startswith(
        "Acknowledgement of your complaint 2 February 2026 ")
    # on 2 February the deadline was the counted one; the extension came on 20 February
    assert "Your written determination is due by 3 March 2026." in texts[
        LetterKind.ACKNOWLEDGEMENT]
    assert "13 March" not in texts[LetterKind.ACKNOWLEDGEMENT]
    assert texts[LetterKind.EXTENSION].startswith("Notice of extension 20 February 2026 ")
    assert texts[LetterKind.DETERMINATION].startswith("Written determination 12 March 2026 ")
    assert "it was due by 13 March 2026" in texts[LetterKind.DETERMINATION]  # extended
    assert texts[LetterKind.APPEAL_DECISION].startswith("Decision on appeal 20 April 2026 ")
    # the user may choose a later date, never one before the step
    later = svc.write_letter(cid, LetterKind.ACKNOWLEDGEMENT, tmp_path / "later.pdf",
                             letter_date=D(2026, 2, 4))
    assert flat(pdf_text(later)).removeprefix(furniture).startswith(
        "Acknowledgement of your complaint 4 February 2026")
    with pytest.raises(RuleViolation, match="cannot be dated 1 February 2026, before the "
                                            "complaint was received"):
        svc.write_letter(cid, LetterKind.ACKNOWLEDGEMENT, tmp_path / "early.pdf",
                         letter_date=D(2026, 2, 1))
    assert not (tmp_path / "early.pdf").exists()
    assert letter_date_problems(LetterKind.DETERMINATION, c, D(2026, 3, 11)) == [
        "The determination letter cannot be dated 11 March 2026, before the determination "
        "was issued (12 March 2026)."]


def test_letters_carry_no_internal_footer(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    """QA: letters to families said "CONFIDENTIAL — contains personnel or student information
    · Printed … · SRO Desk"."""
    cid = decided(cdist)
    for kind in LetterKind:
        path = svc.write_letter(cid, kind, tmp_path / f"{kind.template_name}.pdf")
        text = flat(pdf_text(path))
        for internal in ("CONFIDENTIAL", "personnel or student information", "Printed",
                         "SRO Desk"):
            assert internal not in text, (kind, internal)
        assert "Page 1" in text
        assert "SRO Desk" not in str(PdfReader(str(path)).metadata)


def test_letters_not_yet_reached_are_refused(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    c = svc.file_complaint(draft(cdist), today=TODAY)
    assert available_letters(c) == [LetterKind.ACKNOWLEDGEMENT]
    with pytest.raises(RuleViolation, match="The determination letter for Complaint 1 can be "
                                            "written only once the determination has been "
                                            "issued"):
        svc.write_letter(c.id or 0, LetterKind.DETERMINATION, tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_district_edited_templates(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    assert template_problems("Hello {{complainant}} {{ssn}} {{oops") == [
        "Unknown placeholder: {{ssn}}. Use only the placeholders listed beside the editor.",
        "A placeholder is not closed: write it as {{name}}.",
    ]
    with pytest.raises(ValidationError):
        svc.save_letter_template(LetterKind.ACKNOWLEDGEMENT, "Dear {{nobody}}")
    svc.save_letter_template(LetterKind.ACKNOWLEDGEMENT,
                             "# Got it\n\nDear {{complainant}}, due **{{determination_due}}**.")
    c = svc.file_complaint(draft(cdist), today=TODAY)
    text = flat(pdf_text(svc.write_letter(c.id or 0, LetterKind.ACKNOWLEDGEMENT,
                                          tmp_path / "a.pdf")))
    assert "Got it" in text and "Dear Maria O'Brien, due 3 March 2026." in text
    svc.reset_letter_template(LetterKind.ACKNOWLEDGEMENT)
    assert svc.letter_template(LetterKind.ACKNOWLEDGEMENT).startswith("# Acknowledgement")


def test_block_markup_escapes_values() -> None:
    blocks = render_letter("**Due {{determination_due}}** {{complainant}}",
                           {"determination_due": "**1 May**", "complainant": "<i>x</i>"})
    assert block_markup(blocks[0]) == "<b>Due **1 May**</b> &lt;i&gt;x&lt;/i&gt;"


def test_internal_log_and_public_summary(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    decided(cdist)
    svc.file_complaint(draft(cdist, anonymous=True, complainant_name="", incident_date=D(2026, 1,
                                                                                          2)),
                       today=TODAY)
    internal = svc.export_complaint_log("2025-26", tmp_path / "log.xlsx")
    book = load_workbook(internal)
    sheet = book["Complaints"]
    rows = [[c.value for c in r] for r in sheet.iter_rows(min_row=4)]
    header, first, second = rows[0], rows[1], rows[2]
    assert header[:4] == ["Reference", "Received", "Channel", "Complainant"]
    assert first[3] == NASTY
    contact = sheet.cell(row=5, column=5)
    assert contact.value == "=HYPERLINK(\"http://x\")" and contact.data_type == "s"
    assert first[header.index("Determination due")] == dt.datetime(2026, 3, 13)
    assert first[header.index("Standing outcome")] == "Substantiated"
    assert second[3] == "Anonymous" and second[header.index("Filed late")] == "yes"
    assert len(list(book["Steps"].iter_rows(min_row=2))) == 6

    public = svc.export_complaint_log("2025-26", tmp_path / "public.xlsx", public=True)
    sheet = load_workbook(public)["Summary"]
    values = [str(c.value) for r in sheet.iter_rows() for c in r if c.value is not None]
    everything = " ".join(values)
    for secret in ("Maria", "HYPERLINK", "Dana", "Reyes", "Cedar", "Pat", "Witness", "video"):
        assert secret not in everything
    table = {r[0].value: [c.value for c in r[1:]] for r in sheet.iter_rows(min_row=5, max_row=8)}
    # the public annual report's rule: 1-9 read "<10" (the figures are 1, 0, 0, 1, 2)
    assert table["Student interaction"] == ["<10", 0, 0, "<10", "<10"]
    assert table["All complaints"] == ["<10", 0, 0, "<10", "<10"]
    assert "Written determination" in everything and "Filed after the filing window" in everything
    assert "Late (still open)" in everything and 'shown as "<10"' in everything
    assert "RCW 28A.320.1241" in everything
    numbers = [c.value for r in sheet.iter_rows() for c in r if isinstance(c.value, int)]
    assert not [n for n in numbers if 0 < n < 10]


def test_unknown_year_is_refused(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    from sro_desk.domain.errors import NotFound

    with pytest.raises(NotFound, match="no school year 2019-20"):
        svc.export_complaint_log("2019-20", tmp_path / "x.xlsx")


def test_cadence_pdf(cdist: ComplaintDistrict, tmp_path: Path) -> None:
    officer = cdist.officer
    for day, kind in ((D(2025, 9, 2), MeetingKind.FORMAL), (D(2025, 9, 9), MeetingKind.INFORMAL),
                      (D(2025, 10, 10), MeetingKind.FORMAL)):
        svc.log_meeting(SupervisionMeeting(day, kind, "Pat <Lee>", officer.id or 0, "",
                                           cdist.building.name, topics="Lunch <duty>",
                                           building_id=cdist.building.id), today=TODAY)
    path = svc.export_cadence_pdf("2025-26", cdist.building.id or 0, tmp_path / "c.pdf",
                                  today=D(2025, 10, 20))
    text = flat(pdf_text(path))
    assert "Principal–staff meetings: Cedar Middle School" in text
    assert "Dana Reyes" in text and "2 formal and 1 informal meetings" in text
    assert "Pat <Lee>" in text and "Lunch <duty>" in text
    assert "16 September 2025" in text  # the first formal gap's due date
