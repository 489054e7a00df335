"""Race, ethnicity and gender as the district collects them, and the crosswalks that report them.

What is *stored* is the student's self-identification as collected: the detailed Washington
subcategories (RCW 28A.300.042 and OSPI's student data guidance), more than one allowed, with
Hispanic or Latino ethnicity recorded as its own answer (yes, no, or not collected) and gender as
collected (nonbinary included; RCW 28A.310.515(2)(f) names nonbinary students). What is
*reported* is decided at export time by a **versioned crosswalk** (``resources/crosswalks``, each
with its source): Washington state reporting, the 1997 federal seven, the 2024 federal standard
(SPD 15, with Middle Eastern or North African), and the CRDC 2025-26 (which retires nonbinary:
those students read "not collected", never 0). A record made before detailed categories keeps
its single value, marked "collected before detailed categories", and each crosswalk maps it too.

Nothing here is about immigration or citizenship status or place of birth (RCW 10.93.160): a
sub-ethnic category is a self-identified ancestry, never a country of birth.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from sro_desk.domain.errors import ValidationError

LEGACY_NOTE = "collected before detailed categories"
NOT_COLLECTED = "not collected"
CROSSWALK_KEYS = ("wa_state_reporting", "federal_1997", "spd15_2024", "crdc_2025_26")
DEFAULT_CROSSWALK = "wa_state_reporting"


@dataclass(frozen=True, slots=True)
class DetailedRace:
    code: str
    label: str
    parents: Mapping[str, str]  # parent field ("federal_1997", "spd15_2024") -> group code


@dataclass(frozen=True, slots=True)
class DetailedCatalog:
    races: tuple[DetailedRace, ...]
    hispanic_origins: tuple[tuple[str, str], ...]  # (code, label)
    genders: tuple[tuple[str, str], ...]
    source: str
    _by_code: dict[str, DetailedRace] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_code", {r.code: r for r in self.races})

    def race(self, code: str) -> DetailedRace | None:
        return self._by_code.get(code)

    def find_race(self, text: str) -> str | None:
        """A code from a code or a label, any case."""
        folded = " ".join(str(text).split()).casefold()
        for r in self.races:
            if folded in (r.code.casefold(), r.label.casefold()):
                return r.code
        return None

    def find_origin(self, text: str) -> str | None:
        folded = " ".join(str(text).split()).casefold()
        for code, label in self.hispanic_origins:
            if folded in (code.casefold(), label.casefold()):
                return code
        return None

    def gender_codes(self) -> tuple[str, ...]:
        return tuple(code for code, _ in self.genders)


def load_detailed_catalog(data: Mapping[str, object]) -> DetailedCatalog:
    problems: list[str] = []
    races: list[DetailedRace] = []
    raw_races = data.get("races")
    if not isinstance(raw_races, list) or not raw_races:
        problems.append("it lists no detailed races")
        raw_races = []
    for item in raw_races:
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in
                                                 ("code", "label", "federal_1997",
                                                  "spd15_2024")):
            problems.append(f"a detailed race is incomplete: {item!r}")
            continue
        races.append(DetailedRace(item["code"], item["label"], {
            "federal_1997": item["federal_1997"], "spd15_2024": item["spd15_2024"]}))
    codes = [r.code for r in races]
    if len(set(codes)) != len(codes):
        problems.append("a detailed race code is repeated")

    def pairs(key: str) -> tuple[tuple[str, str], ...]:
        raw = data.get(key)
        if not isinstance(raw, list) or not all(
                isinstance(x, dict) and isinstance(x.get("code"), str)
                and isinstance(x.get("label"), str) for x in raw):
            problems.append(f"its {key} are damaged")
            return ()
        return tuple((x["code"], x["label"]) for x in raw)

    origins, genders = pairs("hispanic_origins"), pairs("genders")
    if problems:
        raise ValidationError([f"The race and ethnicity catalog is damaged: {p}." for p in problems])
    return DetailedCatalog(tuple(races), origins, genders, str(data.get("source", "")))


@dataclass(frozen=True, slots=True)
class SelfIdentification:
    """One student's race, ethnicity and gender as collected.

    ``races`` are detailed codes (empty: none collected in detail); ``hispanic`` is the answer to
    the Hispanic or Latino question (``None``: not collected); ``legacy_race`` is the single value
    of a record made before detailed categories.
    """

    races: tuple[str, ...] = ()
    hispanic: bool | None = None
    hispanic_origins: tuple[str, ...] = ()
    gender: str = "not reported"
    legacy_race: str = ""

    @property
    def detailed(self) -> bool:
        return bool(self.races) or self.hispanic is not None

    @property
    def note(self) -> str:
        return "" if self.detailed else LEGACY_NOTE


def identification_problems(ident: SelfIdentification, catalog: DetailedCatalog) -> list[str]:
    problems = [f"'{code}' is not a detailed race or ethnicity category."
                for code in ident.races if catalog.race(code) is None]
    problems += [f"'{code}' is not a Hispanic or Latino origin category."
                 for code in ident.hispanic_origins if catalog.find_origin(code) != code]
    if ident.hispanic_origins and ident.hispanic is not True:
        problems.append("A Hispanic or Latino origin needs the Hispanic or Latino answer 'yes'.")
    if len(set(ident.races)) != len(ident.races):
        problems.append("A race or ethnicity category is listed twice.")
    if ident.gender not in catalog.gender_codes():
        problems.append(f"'{ident.gender}' is not a gender the district collects.")
    return problems


@dataclass(frozen=True, slots=True)
class Crosswalk:
    """How stored values report in one scheme (a data file in ``resources/crosswalks``)."""

    key: str
    title: str
    version: str
    source: str
    rule: str
    parent_field: str
    combined_question: bool
    categories: tuple[str, ...]
    race_map: Mapping[str, str]
    hispanic_category: str
    multiple_category: str
    not_reported_category: str
    gender_map: Mapping[str, str]
    gender_not_collected: frozenset[str]
    legacy_race_map: Mapping[str, str]

    @property
    def name(self) -> str:
        """What a report prints to say which crosswalk it used."""
        return f"{self.title}, version {self.version}"

    def race_category(self, ident: SelfIdentification, catalog: DetailedCatalog) -> str:
        """The one reporting category of a student under this scheme."""
        if not ident.detailed:
            return self.legacy_race_map.get(ident.legacy_race, self.not_reported_category)
        groups: set[str] = set()
        for code in ident.races:
            race = catalog.race(code)
            if race is not None:
                groups.add(self.race_map[race.parents[self.parent_field]])
        if self.combined_question:
            if ident.hispanic:
                groups.add(self.hispanic_category)
            if len(groups) > 1:
                return self.multiple_category
            return next(iter(groups)) if groups else self.not_reported_category
        if ident.hispanic:
            return self.hispanic_category
        if len(groups) > 1:
            return self.multiple_category
        return next(iter(groups)) if groups else self.not_reported_category

    def gender_category(self, gender: str) -> str | None:
        """The reporting category of a gender; ``None`` when this scheme does not collect it."""
        if gender in self.gender_not_collected:
            return None
        return self.gender_map.get(gender, self.gender_map.get("not reported", "not reported"))

    def gender_categories(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.gender_map.values()))


def load_crosswalk(data: Mapping[str, object], catalog: DetailedCatalog) -> Crosswalk:
    """A crosswalk from its parsed file; refuses one that leaves a stored value unmapped."""
    problems: list[str] = []

    def text(key: str) -> str:
        value = data.get(key)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"it has no {key}")
            return ""
        return value

    def mapping(key: str) -> dict[str, str]:
        value = data.get(key)
        if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str)
                                                  for k, v in value.items()):
            problems.append(f"its {key} is damaged")
            return {}
        return dict(value)

    key, parent = text("crosswalk"), text("parent_field")
    categories_raw = data.get("categories")
    categories = tuple(categories_raw) if isinstance(categories_raw, list) and all(
        isinstance(c, str) for c in categories_raw) else ()
    if not categories:
        problems.append("it lists no categories")
    race_map, gender_map, legacy = mapping("race_map"), mapping("gender_map"), \
        mapping("legacy_race_map")
    not_collected_raw = data.get("gender_not_collected", [])
    not_collected = frozenset(not_collected_raw) if isinstance(not_collected_raw, list) else \
        frozenset()
    walk = Crosswalk(
        key=key, title=text("title"), version=text("version"), source=text("source"),
        rule=text("rule"), parent_field=parent,
        combined_question=data.get("question") == "combined", categories=categories,
        race_map=race_map, hispanic_category=text("hispanic_category"),
        multiple_category=text("multiple_category"),
        not_reported_category=text("not_reported_category"), gender_map=gender_map,
        gender_not_collected=not_collected, legacy_race_map=legacy,
    )
    for race in catalog.races:  # every stored category must reach a category of the scheme
        group = race.parents.get(parent)
        if group not in race_map:
            problems.append(f"{race.label} has no category")
        elif race_map[group] not in categories:
            problems.append(f"{race.label} maps to '{race_map[group]}', not one of its categories")
    for special in (walk.hispanic_category, walk.multiple_category, walk.not_reported_category,
                    *legacy.values()):
        if special and special not in categories:
            problems.append(f"'{special}' is not one of its categories")
    for code in catalog.gender_codes():
        if code not in gender_map and code not in not_collected:
            problems.append(f"the gender '{code}' has no category")
    if problems:
        raise ValidationError([f"The crosswalk '{key or '?'}' is damaged: {p}." for p in problems])
    return walk


def count_by_category(
    people: Iterable[SelfIdentification], crosswalk: Crosswalk, catalog: DetailedCatalog
) -> dict[str, int]:
    """Students per reporting category of the crosswalk (every category present)."""
    counts = dict.fromkeys(crosswalk.categories, 0)
    for ident in people:
        counts[crosswalk.race_category(ident, catalog)] += 1
    return counts


def count_by_gender(
    genders: Sequence[str], crosswalk: Crosswalk
) -> dict[str, int | None]:
    """Students per gender category; a gender the scheme does not collect is ``None``
    ("not collected"), never 0."""
    counts: dict[str, int | None] = dict.fromkeys(crosswalk.gender_categories(), 0)
    for code in sorted(crosswalk.gender_not_collected):
        counts[code] = None
    for gender in genders:
        category = crosswalk.gender_category(gender)
        if category is not None:
            counts[category] = (counts.get(category) or 0) + 1
    return counts
