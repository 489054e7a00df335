"""The RCW 10.93.160 guard: staff may not collect immigration, citizenship or birthplace data.

The program has no field for any of it. Free text can still record it by accident, so every
notes/description field runs ``immigration_warning`` and shows its message while the user types,
and importers run it on imported text (calls, calendars, hiring question banks). The guard warns
rather than blocks free text: "immigrant students" is a training topic, and a coordinator may
legitimately write about the law itself. An imported *column* that exists to hold such data
(``citizenship``, ``place_of_birth``, ``nacionalidad`` ...) is refused with the citation
(``forbidden_column``): a column is collection, not discussion, and dropping it silently would
hide that the source system collects it.

Text is normalised before matching so a disguise does not get through: NFKC (full-width and
compatibility forms), zero-width and other invisible format characters removed, look-alike
letters from other scripts folded to Latin with the Unicode confusables table (the
``confusable-homoglyphs`` package: Cyrillic "р" reads as Latin "p"), accents stripped (so
"ciudadanía" and "ciudadania" match alike) and case folded. The normalised text is used for
matching only; what the user typed is never changed.
"""

from __future__ import annotations

import functools
import re
import unicodedata

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
    (r"\bforeign[\s-]*born\b|\bborn\s+abroad\b", "place of birth"),
    (r"\bi[\s-]?94\b|\bi[\s-]?551\b|\balien\s+(registration\s+)?number\b",
     "immigration or citizenship documents"),
    (r"\bnationality\b|\bnational\s+origin\b", "citizenship status"),
    (r"\b(illegal|undocumented)\s+(immigrant|migrant|status)s?\b|\boverstay(ed)?\s+(a\s+)?visa\b",
     "immigration status"),
    # Spanish: the words families and staff in Washington commonly use (accents stripped first)
    (r"\bindocumentad[oa]s?\b|\bsin\s+papeles\b|\binmigrantes?\s+ilegal(es)?\b",
     "immigration status"),
    (r"\b(estatus|estado|situacion|condicion)\s+migratori[oa]\b|\binmigracion\b|\bla\s+migra\b",
     "immigration status"),
    (r"\bdeportad[oa]s?\b|\bdeportacion\b|\bpermiso\s+de\s+trabajo\b|\btarjeta\s+verde\b|"
     r"\basilo\s+politico\b", "immigration status"),
    (r"\bciudadan[ia]a?\b|\bciudadania\b|\bnacionalidad\b|\bno\s+es\s+ciudadan[oa]\b",
     "citizenship status"),
    (r"\b(lugar|pais|ciudad)\s+de\s+(nacimiento|origen)\b|\bnacid[oa]\s+en\b", "place of birth"),
)

_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f"
                        "\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
                        "\uffa0\U000e0000-\U000e0fff]")


@functools.cache
def _fold_table() -> dict[int, str]:
    """Non-ASCII characters that look like a Latin letter or digit → that character, from the
    Unicode confusables data (loaded on first use: it is large)."""
    from confusable_homoglyphs import confusables

    table: dict[int, str] = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            target = glyph.get("c", "")
            if len(target) == 1 and target.isascii() and target.isalnum():
                table[ord(char)] = target
                break
    return table


def normalize_for_matching(text: str) -> str:
    """``text`` as the guard reads it: NFKC, invisible characters removed, look-alikes folded to
    Latin, accents stripped, case folded."""
    value = unicodedata.normalize("NFKC", text or "")
    value = _INVISIBLE.sub("", value)
    if not value.isascii():
        value = value.translate(_fold_table())
        value = "".join(ch for ch in unicodedata.normalize("NFKD", value)
                        if not unicodedata.combining(ch))
    return value.casefold()


_FORBIDDEN_COLUMNS = re.compile(
    r"^(?:.*_)?(citizen(ship)?|us_citizen|nationality|national_origin|place_of_birth|"
    r"birth_?place|birth_(country|city|state)|country_of_birth|city_of_birth|"
    r"immigration(_status)?|immigrant(_status)?|visa(_(status|type|number))?|alien_(number|no|id)|"
    r"a_number|i_?94|green_card|passport(_(number|no|country))?|country_of_origin|"
    r"ciudadania|nacionalidad|lugar_de_nacimiento|pais_de_(nacimiento|origen)|"
    r"estatus_migratorio|estado_migratorio|situacion_migratoria|inmigracion)(?:_.*)?$")


def forbidden_column(header: str) -> str | None:
    """Why an imported column may not be imported at all (RCW 10.93.160), or ``None``."""
    key = re.sub(r"[^a-z0-9]+", "_", normalize_for_matching(header)).strip("_")
    if not key or not _FORBIDDEN_COLUMNS.match(key):
        return None
    return (f"the column '{header}' holds citizenship, immigration or birthplace information, "
            f"which safety and security staff may not collect ({CITATION}); remove the column "
            "and import the file again")
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
    normalized = normalize_for_matching(text or "")
    for pattern, what in _patterns():
        if pattern.search(normalized) and what not in found:
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
