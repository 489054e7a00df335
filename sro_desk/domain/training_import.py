"""Rules for reading training records that arrive in bulk (an ESD's completion roster, an
agency's in-service list): which person a row means, which requirement its words name.

Pure: the importer (services/training_import.py) feeds the roster, the catalog, the
ESD unit titles (``resources/catalogs/esd_unit_titles.json``) and the district's aliases in.

* A person is matched by badge or employee number first (narrowed by employer when the number
  is shared), else by first and last name (narrowed by employer). Two or more candidates are
  never guessed between: the row is refused and the candidates are named.
* A requirement is named by its topic letter ("g", "(g)", "Topic (g)"), its catalog code
  ("first_aid_cpr"), its name or column title, the district-policy wording of the topic, an ESD
  unit title with or without its number ("Unit 7 – Disparities in the Use of Force"), or a
  district alias. Case, dashes, quotes and spacing do not matter. Unknown words are refused
  with the closest known names (difflib).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import StaffMember
from sro_desk.domain.training_catalog import RequirementKind, TrainingCatalog

UNIT_CATALOG_NAME = "esd_unit_titles"
MAX_ALIAS_CHARS = 200

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201a\u201b\u2032"), "'") | dict.fromkeys(
    map(ord, "\u201c\u201d\u201e\u201f\u2033"), '"')
_LETTER = re.compile(r"^(?:topic\s*)?\(?([a-z])\)?$")
_UNIT_PREFIX = re.compile(r"^(?:esd\s*\d*\s*)?unit\s*(\d{1,2})\s*(?:[-:.,]\s*)?(.*)$")


def normalize_name(text: str) -> str:
    """'Unit 7 – Disparities in the Use of Force ' → 'unit 7 - disparities in the use of force'."""
    value = unicodedata.normalize("NFKC", str(text)).translate(_DASHES).translate(_QUOTES)
    value = value.replace("&", " and ")
    value = re.sub(r"[\s_]+", " ", value).strip().casefold()
    value = re.sub(r"\s*-\s*", " - ", value)
    return value.strip(" -;,.")


def _key(text: str) -> str:
    """The form names are compared in: letters and digits only, single spaces."""
    return re.sub(r"[^0-9a-z]+", " ", normalize_name(text)).strip()


@dataclass(frozen=True, slots=True)
class UnitTitle:
    """One unit of an ESD's training series and the RCW 28A.310.515(2) topic it covers."""

    unit: int
    topic: str
    title: str

    @property
    def label(self) -> str:
        return f"Unit {self.unit} – {self.title}"


def load_unit_titles(data: Mapping[str, Any], catalog: TrainingCatalog) -> tuple[UnitTitle, ...]:
    """The shipped mapping table, checked against the catalog (every topic (a)–(m) once)."""
    if data.get("catalog") != UNIT_CATALOG_NAME:
        raise ValidationError("This file is not the ESD unit title table.")
    letters = {r.letter for r in catalog.topics}
    problems: list[str] = []
    units: list[UnitTitle] = []
    for item in data.get("units") or []:
        unit, topic, title = item.get("unit"), item.get("topic"), item.get("title")
        if not isinstance(unit, int) or isinstance(unit, bool) or not isinstance(title, str) \
                or not title.strip() or topic not in letters:
            problems.append(f"unit entry {item!r} needs a number, a title and a topic letter "
                            "of the catalog")
            continue
        units.append(UnitTitle(unit, str(topic), title.strip()))
    covered = sorted({u.topic for u in units})
    if covered != sorted(letters):
        problems.append("the unit titles must cover every classroom topic of the catalog once")
    if len({u.unit for u in units}) != len(units):
        problems.append("a unit number is used twice")
    if problems:
        raise ValidationError(problems)
    return tuple(units)


@dataclass(frozen=True, slots=True)
class RequirementNames:
    """Every name a file may use for a requirement, mapped to its catalog code."""

    by_key: Mapping[str, str]
    display: Mapping[str, str]  # comparison key → the name as a person writes it
    titles: Mapping[str, str]  # code → "(g) Disparities in force and arrests"
    units: Mapping[int, str]  # unit number → code

    def match(self, text: str) -> str | None:
        """The catalog code the words name, or ``None``."""
        normalized = normalize_name(text)
        if not normalized:
            return None
        letter = _LETTER.match(normalized)
        if letter:
            code = f"topic_{letter.group(1)}"
            return code if code in self.titles else None
        key = _key(text)
        if key in self.by_key:
            return self.by_key[key]
        if normalized.replace(" ", "_") in self.titles:
            return normalized.replace(" ", "_")
        unit = _UNIT_PREFIX.match(normalized)
        if unit:
            number, rest = int(unit.group(1)), unit.group(2)
            unit_code = self.units.get(number)
            if unit_code is None:
                return None
            if not rest:
                return unit_code
            named = self.by_key.get(_key(rest))
            # "Unit 7 – Disparities ..." must name the same topic twice; a number that disagrees
            # with the words is a mistake in the file, not something to guess about.
            return unit_code if named == unit_code else None
        return None

    def closest(self, text: str, n: int = 3) -> list[str]:
        """The known names nearest to ``text`` (for the refusal's "did you mean")."""
        key = _key(text)
        found = difflib.get_close_matches(key, list(self.display), n=4 * n, cutoff=0.5)
        best: dict[str, str] = {}
        for k in found:  # the nearest name of each requirement, nearest requirement first
            best.setdefault(self.by_key[k], self.display[k])
        return [
            self.titles[code] if _key(name) in _key(self.titles[code])
            else f"{name}” = “{self.titles[code]}"
            for code, name in list(best.items())[:n]
        ]

    def title(self, code: str) -> str:
        return self.titles.get(code, code)


def requirement_names(
    catalog: TrainingCatalog,
    units: Sequence[UnitTitle] = (),
    aliases: Mapping[str, str] | None = None,
) -> RequirementNames:
    """The name table: catalog names, unit titles, then district aliases (which may not redefine
    a name the catalog or the unit table already gives to another requirement)."""
    by_key: dict[str, str] = {}
    display: dict[str, str] = {}
    titles = {r.code: r.column_title for r in catalog.requirements}

    def add(name: str, code: str) -> None:
        key = _key(name)
        if key and key not in by_key:
            by_key[key] = code
            display[key] = name

    for r in catalog.requirements:
        add(r.column_title, r.code)
        add(r.name, r.code)
        if r.kind is RequirementKind.TOPIC and r.seed_wording:
            add(r.seed_wording, r.code)
    unit_codes: dict[int, str] = {}
    for u in units:
        code = f"topic_{u.topic}"
        unit_codes[u.unit] = code
        add(u.label, code)
        add(u.title, code)
    for alias, code in (aliases or {}).items():
        if code in titles:
            add(alias, code)
    return RequirementNames(by_key, display, titles, unit_codes)


def alias_problems(names: RequirementNames, alias: str, code: str) -> list[str]:
    """Why ``alias`` cannot be added as a district name for ``code``, in words."""
    problems: list[str] = []
    text = alias.strip()
    if not _key(text):
        problems.append("Give the words the file uses for the requirement.")
    elif len(text) > MAX_ALIAS_CHARS:
        problems.append(f"An alias is at most {MAX_ALIAS_CHARS} characters.")
    if code not in names.titles:
        problems.append(f"There is no training requirement with the code '{code}'.")
    if problems:
        return problems
    current = names.match(text)
    if current is not None and current != code:
        problems.append(
            f"“{text}” already names {names.title(current)}; an alias cannot point it elsewhere."
        )
    return problems


def unknown_requirement_message(names: RequirementNames, text: str) -> str:
    """"'Unit 7 – Disparities in Force' is not a known requirement. Closest: ..."."""
    close = names.closest(text)
    label = "closest known name" if len(close) == 1 else "closest known names"
    hint = (f"; {label}: " + "; ".join(f"“{c}”" for c in close)) if close else ""
    return (f"“{text}” is not a known requirement{hint}. Use a topic letter (a)–(m), a catalog "
            "code, an ESD unit title, or add the words as a district alias")


# ---------------------------------------------------------------- people


def _norm_badge(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).casefold().lstrip("#")


def _norm_person(text: str) -> str:
    return _key(text)


def describe(member: StaffMember) -> str:
    """"Lopez, Maria (id 4, badge 1142, Cedar Valley PD)" — enough to tell two people apart."""
    parts = [f"id {member.id}"]
    if member.badge_number:
        parts.append(f"badge {member.badge_number}")
    if member.provider_name:
        parts.append(member.provider_name)
    return f"{member.sort_name} ({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """The one person a row means, or why none can be chosen (``problem``, ``column``)."""

    member: StaffMember | None
    problem: str = ""
    column: str = ""


def match_person(
    staff: Iterable[StaffMember], badge: str, first_name: str, last_name: str, employer: str,
) -> PersonMatch:
    """Badge/employee number first, else first and last name; the employer narrows either."""
    people = list(staff)
    employer_key = _norm_person(employer)

    def by_employer(candidates: list[StaffMember]) -> list[StaffMember]:
        if not employer_key:
            return candidates
        return [m for m in candidates if _norm_person(m.provider_name) == employer_key]

    def refuse_many(candidates: list[StaffMember], column: str, how: str) -> PersonMatch:
        named = "; ".join(describe(m) for m in sorted(candidates, key=lambda m: m.id or 0))
        return PersonMatch(None, f"{how} matches {len(candidates)} people: {named}. Give the "
                           "badge or employee number and the employer to say which", column)

    badge_key = _norm_badge(badge)
    if badge_key:
        same = [m for m in people if m.badge_number and _norm_badge(m.badge_number) == badge_key]
        narrowed = by_employer(same)
        if len(narrowed) == 1:
            return PersonMatch(narrowed[0])
        if len(narrowed) > 1:
            return refuse_many(narrowed, "badge_number", f"badge or employee number '{badge}'")
        if same:
            return PersonMatch(None, f"badge or employee number '{badge}' belongs to "
                               + "; ".join(describe(m) for m in same)
                               + f", not to anyone at '{employer}'", "employer")
        if not (first_name.strip() or last_name.strip()):
            return PersonMatch(None, f"no one on the roster has the badge or employee number "
                               f"'{badge}'", "badge_number")
    last, first = _norm_person(last_name), _norm_person(first_name)
    if not last:
        column = "last_name" if not badge_key else "badge_number"
        why = ("no one on the roster has the badge or employee number "
               f"'{badge}', and the row gives no name") if badge_key else (
            "give the person's badge or employee number, or their first and last name")
        return PersonMatch(None, why, column)
    same_name = [
        m for m in people
        if _norm_person(m.last_name) == last and (not first or _norm_person(m.first_name) == first)
    ]
    narrowed = by_employer(same_name)
    who = f"{first_name.strip()} {last_name.strip()}".strip()
    if len(narrowed) == 1:
        if badge_key and narrowed[0].badge_number:
            return PersonMatch(None, f"{describe(narrowed[0])} has badge number "
                               f"'{narrowed[0].badge_number}', not '{badge}'", "badge_number")
        return PersonMatch(narrowed[0])
    if len(narrowed) > 1:
        return refuse_many(narrowed, "last_name", f"the name '{who}'")
    if same_name and employer_key:
        return PersonMatch(None, f"'{who}' is on the roster at "
                           + "; ".join(m.provider_name or "no employer" for m in same_name)
                           + f", not at '{employer}'", "employer")
    return PersonMatch(None, f"no one named '{who}' is on the roster"
                       + (f" at '{employer}'" if employer_key else ""), "last_name")
