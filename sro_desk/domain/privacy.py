"""The RCW 10.93.160 guard: staff may not collect immigration, citizenship or birthplace data.

The program has no field for any of it. Free text can still record it by accident, so every
notes/description field runs ``immigration_warning`` and shows its message while the user types.
The guard warns rather than blocks: "immigrant students" is a training topic, and a coordinator
may legitimately write about the law itself.
"""

from __future__ import annotations

import re

CITATION = "RCW 10.93.160"

_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"\bimmigration\s+(status|papers|documents?|hold|detainer)\b", "immigration status"),
    (r"\b(undocumented|illegal\s+alien|illegals?|unauthorized\s+(alien|immigrant))\b",
     "immigration status"),
    (r"\b(visa|green\s*card|work\s+permit|daca|asylum|refugee)\s*(status|holder|expired|number)?\b",
     "immigration status"),
    (r"\b(ice|cbp|border\s+patrol|dhs)\s+(hold|detainer|agent|referral|contact(ed)?|notified)\b",
     "immigration enforcement"),
    (r"\bdeport(ed|ation|able)?\b", "immigration status"),
    (r"\b(citizenship|naturali[sz]ed|non-?citizen|u\.?s\.?\s+citizen|not\s+a\s+citizen)\b",
     "citizenship status"),
    (r"\b(place|country|city)\s+of\s+birth\b", "place of birth"),
    (r"\bbirth\s*place\b", "place of birth"),
    (r"\b(born\s+in|was\s+born\s+(in|at))\b", "place of birth"),
    (r"\bsocial\s+security\s+(number|card)\b|\bssn\b|\bpassport\b", "immigration or citizenship documents"),
)
_compiled: tuple[tuple[re.Pattern[str], str], ...] = ()


def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compiled on first use, not at import: start-up does not pay for it."""
    global _compiled
    if not _compiled:
        _compiled = tuple((re.compile(p, re.IGNORECASE), what) for p, what in _PATTERNS)
    return _compiled


def immigration_findings(text: str) -> list[str]:
    """The kinds of forbidden information the text appears to record, without repeats."""
    found: list[str] = []
    for pattern, what in _patterns():
        if pattern.search(text or "") and what not in found:
            found.append(what)
    return found


def immigration_warning(text: str) -> str | None:
    """A warning to show beside a free-text field, or ``None`` when the text looks clean."""
    found = immigration_findings(text)
    if not found:
        return None
    kinds = ", ".join(found)
    return (
        f"This text appears to record {kinds}. Under {CITATION}, safety and security staff may "
        "not inquire into or collect information about a person's immigration or citizenship "
        "status or place of birth. Please remove it before saving."
    )
