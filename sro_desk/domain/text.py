"""Text that every file format can hold.

XML 1.0 — the inside of every .xlsx — cannot hold NUL and the other C0 control characters
(except tab, newline and carriage return), the non-characters U+FFFE and U+FFFF, or a lone
surrogate (half of a UTF-16 pair, which no encoding can write). openpyxl writes U+FFFE/U+FFFF
without complaint, and Excel then refuses the whole workbook as damaged. So such characters are
replaced by U+FFFD (the replacement character, shown as "�") on import and again on export, for
data stored before this rule: visible, never silently dropped.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def has_xml_illegal(text: str) -> bool:
    return _XML_ILLEGAL.search(text) is not None


def xml_safe(text: str) -> str:
    """``text`` with every character XML 1.0 cannot hold replaced by U+FFFD."""
    return _XML_ILLEGAL.sub(REPLACEMENT, text)


def first_xml_illegal(text: str) -> str | None:
    """The first such character as ``U+FFFE`` (for a message), or ``None``."""
    match = _XML_ILLEGAL.search(text)
    return None if match is None else f"U+{ord(match.group()):04X}"
