"""PDF building blocks: escaped paragraphs, a district page template, tables, signature lines.

reportlab's ``Paragraph`` parses markup, so ``O'Brien <Jr>`` would lose "<Jr>" and "<b>x" would
raise; every user string goes through ``para``/``esc``. Page furniture carries the district's
name, the document title, page numbers and the date printed.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import LETTER, landscape
from reportlab.lib.styles import ParagraphStyle, StyleSheet1, getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from sro_desk import clock
from sro_desk.domain.dates import display_text, format_date

HEADER_BG = colors.HexColor("#1F4E79")
ROW_ALT = colors.HexColor("#F2F6FA")
GRID = colors.HexColor("#B7C4D1")
_CONTROL = {chr(c) for c in range(32) if c not in (9, 10, 13)}


def esc(text: object) -> str:
    """User text made safe for reportlab markup; control characters become U+FFFD; newlines kept.

    Characters the standard PDF fonts cannot draw (Vietnamese, Greek, Cyrillic, Hebrew, arrows,
    emoji, a right-to-left override ...) are set in bundled fonts instead of printing as "■".
    """
    value = "" if text is None else str(text)
    if any(ch in _CONTROL for ch in value):
        value = "".join("\ufffd" if ch in _CONTROL else ch for ch in value)
    try:
        value.encode("cp1252")  # everything the standard fonts can draw (WinAnsi)
    except UnicodeEncodeError:
        return _with_fallback_fonts(value)
    return escape(value).replace("\n", "<br/>")


UNICODE_FONT = "SRODeskUnicode"  # DejaVu Sans: most alphabets, U+FFFD, bidi controls
SYMBOL_FONT = "SRODeskSymbols"  # Symbola: emoji and symbols


@functools.cache
def _fallback_coverage() -> tuple[frozenset[int], frozenset[int]] | None:
    """Register the bundled fonts (once); the code points each can draw, or None if missing."""
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    from sro_desk.paths import resource

    try:
        regular = TTFont(UNICODE_FONT, str(resource("fonts", "DejaVuSans.ttf")))
        bold = TTFont(f"{UNICODE_FONT}-Bold", str(resource("fonts", "DejaVuSans-Bold.ttf")))
        symbols = TTFont(SYMBOL_FONT, str(resource("fonts", "Symbola.ttf")))
    except (OSError, TTFError):  # pragma: no cover - a broken installation: fall back to "■"
        return None
    _fix_to_unicode_beyond_bmp()
    for font in (regular, bold, symbols):
        pdfmetrics.registerFont(font)
    for is_bold in (0, 1):
        for italic in (0, 1):
            addMapping(UNICODE_FONT, is_bold, italic, f"{UNICODE_FONT}-Bold" if is_bold else UNICODE_FONT)
            addMapping(SYMBOL_FONT, is_bold, italic, SYMBOL_FONT)
    return frozenset(regular.face.charToGlyph), frozenset(symbols.face.charToGlyph)


def _fix_to_unicode_beyond_bmp() -> None:
    """reportlab writes a code point above U+FFFF (an emoji) into a font's ToUnicode map as five
    hex digits, which PDF readers reject: copying, searching and screen readers then lose the
    character. A ToUnicode value is UTF-16BE, so such a code point is written as its surrogate
    pair; everything else is written exactly as reportlab does."""
    from reportlab.pdfbase import ttfonts

    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "_sro_desk_fixed", False):
        return

    def make_to_unicode_cmap(fontname: str, subset: Sequence[int]) -> str:
        text: str = original(fontname, subset)
        for index, code in enumerate(subset):
            if code > 0xFFFF:
                wrong = "<%02X> <%04X>" % (index, code)  # noqa: UP031 - reportlab's own format
                right = "<%02X> <%s>" % (index, chr(code).encode("utf-16-be").hex().upper())  # noqa: UP031
                text = text.replace(wrong, right, 1)
        return text

    make_to_unicode_cmap._sro_desk_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


def _font_for(ch: str, coverage: tuple[frozenset[int], frozenset[int]]) -> str | None:
    try:
        ch.encode("cp1252")  # the standard fonts' WinAnsi encoding
        return None
    except UnicodeEncodeError:
        pass
    unicode_chars, symbol_chars = coverage
    if ord(ch) in unicode_chars:
        return UNICODE_FONT
    if ord(ch) in symbol_chars:
        return SYMBOL_FONT
    return UNICODE_FONT  # drawn as that font's "missing" box, still visibly there


def _with_fallback_fonts(value: str) -> str:
    coverage = _fallback_coverage()
    if coverage is None:  # pragma: no cover
        return escape(value).replace("\n", "<br/>")
    parts: list[str] = []
    run: list[str] = []
    current: str | None = None

    def flush() -> None:
        if not run:
            return
        text = escape("".join(run))
        if current is None:
            parts.append(text.replace("\n", "<br/>"))
        else:
            parts.append(f'<font name="{current}">{text}</font>')
        run.clear()

    for ch in value:
        font = _font_for(ch, coverage)
        if font != current:
            flush()
            current = font
        run.append(ch)
    flush()
    return "".join(parts)


def _plain_font(text: str) -> str:
    """The font for a line drawn straight on the page (header): Helvetica when it can show every
    character, else the bundled Unicode font, so a district named in Vietnamese is not "■"."""
    try:
        text.encode("cp1252")
        return "Helvetica"
    except UnicodeEncodeError:
        return UNICODE_FONT if _fallback_coverage() is not None else "Helvetica"


def styles() -> StyleSheet1:
    sheet = getSampleStyleSheet()
    sheet.add(ParagraphStyle("Cell", parent=sheet["BodyText"], fontSize=8.5, leading=10.5, alignment=TA_LEFT))
    sheet.add(ParagraphStyle("CellHead", parent=sheet["BodyText"], fontSize=8.5, leading=10.5, textColor=colors.white, fontName="Helvetica-Bold"))
    sheet.add(ParagraphStyle("Small", parent=sheet["BodyText"], fontSize=8, leading=10, textColor=colors.HexColor("#444444")))
    sheet.add(ParagraphStyle("DocTitle", parent=sheet["Title"], fontSize=17, leading=21, spaceAfter=4))
    sheet.add(ParagraphStyle("Sub", parent=sheet["BodyText"], fontSize=10, leading=13, textColor=colors.HexColor("#333333")))
    return sheet


STYLES = styles()


def para(text: object, style: str = "BodyText") -> Paragraph:
    """A paragraph of *user* text: always escaped."""
    return Paragraph(esc(text), STYLES[style])


def markup(trusted_markup: str, style: str = "BodyText") -> Paragraph:
    """A paragraph of the program's own markup (bold labels etc.). Escape any user parts first."""
    return Paragraph(trusted_markup, STYLES[style])


def data_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    col_widths: Sequence[float] | None = None,
    *,
    repeat_header: bool = True,
) -> Table:
    """A zebra-striped table; every cell is escaped text wrapped to its column."""
    body = [[Paragraph(esc(h), STYLES["CellHead"]) for h in headers]]
    for row in rows:
        body.append([c if isinstance(c, Flowable) else Paragraph(esc(_cell(c)), STYLES["Cell"]) for c in row])
    # splitInRow: a cell taller than a page (a 10,000-character note) continues on the next
    # page instead of failing the whole export with reportlab's LayoutError.
    table = Table(body, colWidths=col_widths, repeatRows=1 if repeat_header else 0, splitInRow=1)
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for index in range(2, len(body), 2):
        style.append(("BACKGROUND", (0, index), (-1, index), ROW_ALT))
    table.setStyle(TableStyle(style))
    return table


def _cell(value: Any) -> str:
    return display_text(value)


def signature_block(signers: Sequence[str]) -> KeepTogether:
    """Signature, printed-name and date lines for each signer role (e.g. "District verifier")."""
    rows = []
    for signer in signers:
        rows.append([
            Paragraph("Signature: ______________________________", STYLES["BodyText"]),
            Paragraph("Date: ______________", STYLES["BodyText"]),
        ])
        rows.append([Paragraph(f"<b>{esc(signer)}</b> — printed name: ______________________", STYLES["Small"]), ""])
        rows.append([Spacer(1, 10), ""])
    table = Table(rows, colWidths=[4.6 * inch, 2.2 * inch])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return KeepTogether([Spacer(1, 14), table])


def build_pdf(
    dest: Path | str,
    story: list[Flowable],
    *,
    title: str,
    district: str,
    landscape_pages: bool = False,
    confidential: bool = False,
) -> Path:
    """Write ``story`` with a header (district, title) and footer (page N, printed date) on every page."""
    dest = Path(dest)
    pagesize = landscape(LETTER) if landscape_pages else LETTER
    printed = format_date(clock.today())

    def furniture(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        width, height = pagesize
        canvas.setFillColor(colors.HexColor("#555555"))
        canvas.setFont(_plain_font(district), 8)
        canvas.drawString(0.6 * inch, height - 0.45 * inch, district)
        canvas.setFont(_plain_font(title), 8)
        canvas.drawRightString(width - 0.6 * inch, height - 0.45 * inch, title)
        canvas.setFont("Helvetica", 8)
        footer = f"Printed {printed} · SRO Desk"
        if confidential:
            footer = "CONFIDENTIAL — contains personnel or student information · " + footer
        canvas.drawString(0.6 * inch, 0.4 * inch, footer)
        canvas.drawRightString(width - 0.6 * inch, 0.4 * inch, f"Page {doc.page}")
        canvas.restoreState()

    doc = SimpleDocTemplate(
        str(dest),
        pagesize=pagesize,
        leftMargin=0.6 * inch,
        rightMargin=0.6 * inch,
        topMargin=0.7 * inch,
        bottomMargin=0.7 * inch,
        title=title,
        author=district,
        creator="SRO Desk",
    )
    doc.build(story, onFirstPage=furniture, onLaterPages=furniture)
    return dest


def heading(text: str, level: int = 1) -> Paragraph:
    return para(text, "Heading2" if level == 1 else "Heading3")


def document_title(title: str, subtitle: str = "") -> list[Flowable]:
    items: list[Flowable] = [para(title, "DocTitle")]
    if subtitle:
        items.append(para(subtitle, "Sub"))
    items.append(Spacer(1, 8))
    return items
