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
        "HandoutTitle", parent=pdf_util.STYLES["DocTitle"], fontSize=17, leading=20, spaceAfter=4
    ),
    BlockKind.HEADING: ParagraphStyle(
        "HandoutHeading", parent=pdf_util.STYLES["Heading2"], fontSize=12, leading=14,
        spaceBefore=6, spaceAfter=2, textColor=colors.HexColor("#1F4E79"),
    ),
    BlockKind.PARAGRAPH: ParagraphStyle(
        "HandoutBody", parent=_BASE, fontSize=9.5, leading=12.2, spaceBefore=0, spaceAfter=3
    ),
    BlockKind.BULLET: ParagraphStyle(
        "HandoutBullet", parent=_BASE, fontSize=9.5, leading=12.2, spaceBefore=0, spaceAfter=1
    ),
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
            story.append(Spacer(1, 3))
            bullets.clear()

    for block in blocks:
        if block.kind is BlockKind.BULLET:
            bullets.append(ListItem(Paragraph(_markup(block), _STYLES[BlockKind.BULLET])))
            continue
        flush()
        story.append(Paragraph(_markup(block), _STYLES[block.kind]))
    flush()
    return story


def write_handout_pdf(dest: Path, content: HandoutContent) -> Path:
    return pdf_util.build_pdf(
        dest,
        handout_story(content.blocks),
        title=f"Family information — {content.building_name} {content.school_year}",
        district=content.district,
    )
