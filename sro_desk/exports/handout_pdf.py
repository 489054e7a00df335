"""The family information handout for one building, one page in plain language.

The content arrives as blocks of plain-text runs (see ``domain/start_of_year_handout``); every run
is escaped here and only the program adds markup (bold), so names and notes render as written.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph, Spacer

from sro_desk.domain.start_of_year_handout import BlockKind, HandoutBlock, HandoutContent
from sro_desk.exports import pdf_util

_BASE = pdf_util.STYLES["BodyText"]
_STYLES = {
    BlockKind.TITLE: ParagraphStyle(
        "HandoutTitle", parent=pdf_util.STYLES["DocTitle"], fontSize=18, leading=22, spaceAfter=6
    ),
    BlockKind.HEADING: ParagraphStyle(
        "HandoutHeading", parent=pdf_util.STYLES["Heading2"], fontSize=12.5, leading=15,
        spaceBefore=8, spaceAfter=3, textColor=colors.HexColor("#1F4E79"),
    ),
    BlockKind.PARAGRAPH: ParagraphStyle("HandoutBody", parent=_BASE, fontSize=10, leading=13.5),
    BlockKind.BULLET: ParagraphStyle("HandoutBullet", parent=_BASE, fontSize=10, leading=13.5),
}


def _markup(block: HandoutBlock) -> str:
    return "".join(
        f"<b>{pdf_util.esc(run.text)}</b>" if run.bold else pdf_util.esc(run.text)
        for run in block.runs
    )


def handout_story(blocks: tuple[HandoutBlock, ...]) -> list[Flowable]:
    story: list[Flowable] = []
    bullets: list[ListItem] = []

    def flush() -> None:
        if bullets:
            story.append(
                ListFlowable(list(bullets), bulletType="bullet", start="•", leftIndent=14,
                             bulletFontSize=9)
            )
            story.append(Spacer(1, 4))
            bullets.clear()

    for block in blocks:
        if block.kind is BlockKind.BULLET:
            bullets.append(ListItem(Paragraph(_markup(block), _STYLES[BlockKind.BULLET])))
            continue
        flush()
        story.append(Paragraph(_markup(block), _STYLES[block.kind]))
        if block.kind is BlockKind.PARAGRAPH:
            story.append(Spacer(1, 3))
    flush()
    return story


def write_handout_pdf(dest: Path, content: HandoutContent) -> Path:
    return pdf_util.build_pdf(
        dest,
        handout_story(content.blocks),
        title=f"Family information — {content.building_name} {content.school_year}",
        district=content.district,
    )
