"""Complaint letters as PDF: every user value escaped; only the template's ``**`` becomes bold.

A letter leaves the district: it goes to a family or a member of the public. So it carries none
of the internal page furniture of SRO Desk's reports (no "CONFIDENTIAL — contains personnel or
student information", no printed date, no program name) — only the district's name at the top
and the page number at the foot.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sro_desk.domain.complaint_letters import LetterBlock
from sro_desk.domain.text import xml_safe
from sro_desk.exports.atomic import write_with
from sro_desk.exports.pdf_util import esc, markup


def block_markup(block: LetterBlock) -> str:
    """reportlab markup for one block: template text escaped then ``**`` toggled to <b>."""
    out: list[str] = []
    bold = False
    for text, is_value in block.parts:
        if is_value:
            out.append(esc(text))
            continue
        pieces = esc(text).split("**")
        for index, piece in enumerate(pieces):
            if index:
                bold = not bold
                out.append("<b>" if bold else "</b>")
            out.append(piece)
    if bold:
        out.append("</b>")
    return "".join(out)


def write_letter_pdf(blocks: list[LetterBlock], dest: Path | str, *, title: str,
                     district: str) -> Path:
    """One letter on letter paper: the district's name at the top, page numbers at the foot."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.units import inch
    from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer

    title, district = xml_safe(title), xml_safe(district)
    story: list[Flowable] = []
    for block in blocks:
        if block.heading:
            story.append(markup(block_markup(block), "Heading2"))
        else:
            story.append(markup(block_markup(block), "BodyText"))
            story.append(Spacer(1, 4))

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = LETTER
        canvas.setFont("Helvetica", 8)
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.drawString(0.6 * inch, height - 0.45 * inch, district)
        canvas.drawRightString(width - 0.6 * inch, 0.4 * inch, f"Page {doc.page}")
        canvas.restoreState()

    def write(fh: Any) -> None:
        doc = SimpleDocTemplate(
            fh, pagesize=LETTER, leftMargin=0.6 * inch, rightMargin=0.6 * inch,
            topMargin=0.7 * inch, bottomMargin=0.7 * inch, title=title, author=district,
            creator=district,
        )
        doc.build(story, onFirstPage=furniture, onLaterPages=furniture)

    dest = Path(dest)
    write_with(dest, write)  # the shared atomic writer: all of the letter or nothing
    return dest
