"""The annual agreement checklist for the board: PDF with signature lines, and .xlsx.

Domain objects in, files out. Every user string goes through ``pdf_util.esc``/``para`` (PDF) or
``xlsx_util.put`` (workbook), so names like ``O'Brien <Jr>`` or ``=HYPERLINK(...)`` stay text.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.units import inch
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from sro_desk.domain.agreements import (
    AgreementAssessment,
    ItemAssessment,
    ItemStatus,
    ParticipantGroup,
)
from sro_desk.domain.dates import format_date
from sro_desk.exports import pdf_util, xlsx_util

FLAG_HEX = "#9C2A00"


_GROUPS = tuple(ParticipantGroup)


def _checked(item: ItemAssessment) -> str:
    entry = item.entry
    parts = [entry.checked_by, format_date(entry.checked_on)]
    return "\n".join(p for p in parts if p)


def _status_text(item: ItemAssessment) -> str:
    text = item.shown_status
    if item.entry.status is ItemStatus.NOT_APPLICABLE:
        text += f"\nReason: {item.entry.not_applicable_reason}"
    return text


def _item_cell(item: ItemAssessment) -> Paragraph:
    """Title, citations and any live flags in one cell; every piece escaped before markup."""
    parts = [
        f"<b>{pdf_util.esc(item.definition.title)}</b>",
        f'<font size="7" color="#555555">{pdf_util.esc(item.definition.citation_text)}</font>',
    ]
    parts += [
        f'<font size="7.5" color="{FLAG_HEX}">'
        f"Needs attention: {pdf_util.esc(flag)}</font>"
        for flag in item.flags
    ]
    return Paragraph("<br/>".join(parts), pdf_util.STYLES["Cell"])


def _facts(assessment: AgreementAssessment) -> list[tuple[str, str]]:
    a = assessment.agreement
    document = (
        f"{a.document_filename} (SHA-256 {a.document_sha256[:16]}…)"
        if a.document_attachment_id is not None
        else "Not attached"
    )
    return [
        ("Agreement", a.title),
        ("Agency or company", a.provider_name),
        ("School year", a.school_year),
        ("Effective", format_date(a.effective_on) or "Not recorded"),
        ("Expires", format_date(a.expires_on) or "Not recorded"),
        ("Board adoption", format_date(a.adopted_on) or "Not yet adopted (draft)"),
        ("People responsible", a.responsible or "Not recorded"),
        ("Signed document", document),
        ("Progress", assessment.progress.text + (" (complete)" if assessment.progress.complete else "")),
    ]


def write_checklist_pdf(
    dest: Path, district: str, assessment: AgreementAssessment, signers: Sequence[str]
) -> Path:
    a = assessment.agreement
    story: list[Flowable] = pdf_util.document_title(
        "Annual agreement checklist",
        f"{a.provider_name} · {a.school_year} · RCW 28A.320.124(1), RCW 28A.320.1242",
    )
    facts = Table(
        [
            [Paragraph(f"<b>{pdf_util.esc(k)}</b>", pdf_util.STYLES["Cell"]),
             pdf_util.para(v, "Cell")]
            for k, v in _facts(assessment)
        ],
        colWidths=[1.6 * inch, 5.7 * inch],
    )
    facts.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, pdf_util.GRID),
        ("BACKGROUND", (0, 0), (0, -1), pdf_util.ROW_ALT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    story += [facts, Spacer(1, 10), pdf_util.heading("Checklist")]
    rows = [
        [str(i.definition.order), _item_cell(i), _status_text(i), i.entry.section,
         i.entry.evidence, _checked(i)]
        for i in assessment.items
    ]
    story.append(pdf_util.data_table(
        ("No.", "Item", "Status", "Section", "Evidence", "Checked by"),
        rows,
        col_widths=[0.42 * inch, 2.5 * inch, 1.05 * inch, 0.75 * inch, 1.48 * inch, 1.1 * inch],
    ))
    story += [Spacer(1, 10), pdf_util.heading("Review meetings")]
    if assessment.meetings:
        story.append(pdf_util.data_table(
            ("Date", "Kind", "Participants", "Notes", "Minutes"),
            [
                [format_date(m.held_on), m.kind.value, m.participant_text, m.notes,
                 m.minutes_filename or "—"]
                for m in assessment.meetings
            ],
            col_widths=[0.95 * inch, 0.95 * inch, 1.65 * inch, 2.25 * inch, 1.5 * inch],
        ))
    else:
        story.append(pdf_util.para("No review meeting is recorded for this school year.", "Small"))
    if a.notes:
        story += [Spacer(1, 8), pdf_util.heading("Notes"), pdf_util.para(a.notes)]
    story += [
        Spacer(1, 8),
        pdf_util.para(
            "We have reviewed this agreement and the checklist above for the school year "
            f"{a.school_year}.",
        ),
        pdf_util.signature_block(signers),
    ]
    return pdf_util.build_pdf(
        dest, story, title=f"Agreement checklist — {a.provider_name} {a.school_year}",
        district=district,
    )


CHECKLIST_HEADERS = (
    "No.", "Item", "Citations", "Status", "Counts as met", "Reason not applicable", "Section",
    "Evidence", "Checked by", "Checked on", "Notes", "Needs attention", "Last year's notes",
)


def write_checklist_xlsx(dest: Path, district: str, assessment: AgreementAssessment) -> Path:
    a = assessment.agreement
    book = xlsx_util.new_workbook()
    sheet = book.active
    sheet.title = "Checklist"
    start = xlsx_util.write_title(
        sheet,
        f"{district} — annual agreement checklist",
        f"{a.provider_name} · {a.school_year} · {assessment.progress.text}",
    )
    rows = [
        [i.definition.order, i.definition.title, i.definition.citation_text, i.shown_status,
         i.counts_as_met if i.required else "not required", i.entry.not_applicable_reason,
         i.entry.section, i.entry.evidence, i.entry.checked_by, i.entry.checked_on, i.entry.notes,
         "\n".join(i.flags), i.entry.previous_notes]
        for i in assessment.items
    ]
    xlsx_util.write_table(
        sheet, CHECKLIST_HEADERS, rows, start_row=start,
        widths=(6, 45, 30, 18, 14, 30, 12, 40, 18, 12, 30, 50, 40),
    )
    facts = book.create_sheet("Agreement")
    xlsx_util.write_table(facts, ("Field", "Value"), _facts(assessment), widths=(22, 80))
    meetings = book.create_sheet("Review meetings")
    xlsx_util.write_table(
        meetings,
        ("Date", "Kind", "Parents", "Students", "Community members", "Staff", "Agency", "Notes",
         "Minutes"),
        [
            [m.held_on, m.kind.value, *(m.count(g) for g in _GROUPS), m.notes, m.minutes_filename]
            for m in assessment.meetings
        ],
    )
    xlsx_util.save_workbook(book, dest)
    return dest
