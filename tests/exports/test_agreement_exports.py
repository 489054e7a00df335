"""The checklist PDF/xlsx and the family handout, read back as text and looked at as images."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from sro_desk.domain.agreements import (
    Agreement,
    AgreementFacts,
    ChecklistEntry,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
    StaffTrainingGap,
    assess_agreement,
    load_checklist_catalog,
)
from sro_desk.domain.start_of_year_handout import HandoutContent, render_handout
from sro_desk.exports.agreement_checklist import write_checklist_pdf, write_checklist_xlsx
from sro_desk.exports.handout_pdf import write_handout_pdf

ROOT = Path(__file__).resolve().parents[2]
CATALOG = load_checklist_catalog(json.loads(
    (ROOT / "resources" / "catalogs" / "agreement_checklist.json").read_text(encoding="utf-8")))
HOSTILE_PROVIDER = "O'Brien <Jr> & Sons Security"
FORMULA = '=HYPERLINK("http://evil.example","click")'
D = dt.date


def _assessment():
    agreement = Agreement(
        "2025-26", 3, HOSTILE_PROVIDER, "Contract <b>2025-26", D(2025, 9, 1), D(2026, 8, 31),
        D(2025, 8, 20), responsible="Dr. Lowe & Chief <Ames>", notes="<img src='/etc/passwd'/>",
        document_attachment_id=9, document_filename="signed.pdf", document_sha256="ab" * 32, id=1)
    entries = [ChecklistEntry(d.key, ItemStatus.MET, section="§1", evidence=FORMULA,
                              checked_by="Dana <Reyes>", checked_on=D(2025, 8, 1)) for d in CATALOG]
    entries[5] = ChecklistEntry("hiring_and_placement", ItemStatus.NOT_APPLICABLE,
                                not_applicable_reason="Company assigns guards <always>",
                                checked_by="Dana", checked_on=D(2025, 8, 1))
    meetings = (ReviewMeeting("2025-26", D(2025, 5, 1), MeetingKind.LISTENING_SESSION,
                              ((ParticipantGroup.PARENTS, 4), (ParticipantGroup.STUDENTS, 2)),
                              "Asked about <script>", minutes_filename="minutes.pdf"),)
    facts = AgreementFacts(training_gaps=(StaffTrainingGap(1, "Sam <Ortiz>"),), meetings=meetings)
    return assess_agreement(agreement, CATALOG, entries, facts)


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def _look(pdf: Path, tmp_path: Path) -> list[Path]:
    """Render every page to PNG (what a person sees) and check each has ink on it."""
    if shutil.which("pdftoppm") is None:
        pytest.fail("pdftoppm is missing: apt-get install -y poppler-utils")
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(pdf), str(tmp_path / pdf.stem)], check=True)
    pages = sorted(tmp_path.glob(f"{pdf.stem}*.png"))
    from PIL import Image

    for page in pages:
        with Image.open(page) as image:
            dark = sum(image.convert("L").histogram()[:128])
        assert dark > 100, f"{page.name} looks blank"
    return pages


def test_checklist_pdf_reads_back_with_every_item_escaped_and_signature_lines(tmp_path):
    dest = write_checklist_pdf(tmp_path / "checklist.pdf", "Cascade <SD>", _assessment(),
                               ["Superintendent", f"Company representative, {HOSTILE_PROVIDER}"])
    text = " ".join(_text(dest).split())
    for item in CATALOG:
        assert item.title.split(",")[0][:30] in text
    for literal in (HOSTILE_PROVIDER, "Contract <b>2025-26", "Dr. Lowe & Chief <Ames>",
                    "<img src='/etc/passwd'/>", "Dana <Reyes>", "Company assigns guards <always>",
                    "Sam <Ortiz>", "Asked about <script>", "Cascade <SD>", "signed.pdf"):
        assert literal in text, literal
    assert "HYPERLINK" in text
    assert "Needs attention: 1 staff member" in text
    assert "Not applicable" in text and "Met (not confirmed)" in text
    # training gap; students and parents only at the meeting; the statutory hiring item marked
    # not applicable stays required (RCW 28A.320.1242) and is not met
    assert "11 of 14 met" in text
    assert "Superintendent" in text and "Signature:" in text
    assert text.count("Signature:") == 2
    assert len(_look(dest, tmp_path)) >= 1


def test_checklist_xlsx_keeps_user_text_as_text(tmp_path):
    dest = write_checklist_xlsx(tmp_path / "checklist.xlsx", "Cascade SD", _assessment())
    book = openpyxl.load_workbook(dest)
    assert book.sheetnames == ["Checklist", "Agreement", "Review meetings"]
    sheet = book["Checklist"]
    header_row = next(r for r in range(1, 6) if sheet.cell(r, 1).value == "No.")
    headers = [c.value for c in sheet[header_row]]
    assert headers[:4] == ["No.", "Item", "Citations", "Status"]
    rows = list(sheet.iter_rows(min_row=header_row + 1, values_only=True))
    assert len(rows) == len(CATALOG)
    evidence_col = headers.index("Evidence")
    first = sheet.cell(header_row + 1, evidence_col + 1)
    assert first.value == FORMULA and first.data_type == "s"
    training = next(r for r in rows if r[1].startswith("Training documentation"))
    assert training[headers.index("Status")] == "Met (not confirmed)"
    assert "Sam <Ortiz>" in training[headers.index("Needs attention")]
    facts = {r[0]: r[1] for r in book["Agreement"].iter_rows(min_row=2, values_only=True)}
    assert facts["Agency or company"] == HOSTILE_PROVIDER
    assert facts["Progress"] == "11 of 14 met"
    meeting = next(iter(book["Review meetings"].iter_rows(min_row=2, values_only=True)))
    assert meeting[1:5] == ("Listening session", 4, 2, 0)


def test_handout_pdf_renders_names_and_notes_safely(tmp_path):
    template = (ROOT / "resources" / "templates" / "family_handout.md").read_text(encoding="utf-8")
    blocks = render_handout(
        template,
        {"district_name": "Cascade <SD>", "building_name": "Cedar **High** <School>",
         "school_year": "2026-27", "providers": HOSTILE_PROVIDER},
        {"staff_list": ["Maria O'Brien <Jr>, school resource officer"],
         "contact_list": ["Principal <Lowe>: 360-555-0100"]},
    )
    dest = write_handout_pdf(tmp_path / "handout.pdf",
                             HandoutContent("Cascade <SD>", "Cedar **High** <School>", "2026-27", blocks))
    text = " ".join(_text(dest).split())
    for literal in ("Safety and security staff at Cedar **High** <School>",
                    "Maria O'Brien <Jr>, school resource officer", "Principal <Lowe>: 360-555-0100",
                    HOSTILE_PROVIDER, "They do not handle school discipline.",
                    "They do not enforce immigration law.", "RCW 10.93.160", "complaint"):
        assert literal in text, literal
    assert "{{" not in text
    pages = _look(dest, tmp_path)
    assert 1 <= len(pages) <= 2
