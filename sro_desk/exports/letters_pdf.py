"""Complaint letters as PDF: every user value escaped; only the template's ``**`` becomes bold."""

from __future__ import annotations

from pathlib import Path

from sro_desk.domain.complaint_letters import LetterBlock
from sro_desk.exports.pdf_util import build_pdf, esc, markup


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
    """One letter, on letter paper, with the district in the header."""
    from reportlab.platypus import Spacer

    story = []
    for block in blocks:
        if block.heading:
            story.append(markup(block_markup(block), "Heading2"))
        else:
            story.append(markup(block_markup(block), "BodyText"))
            story.append(Spacer(1, 4))
    return build_pdf(dest, story, title=title, district=district, confidential=True)
