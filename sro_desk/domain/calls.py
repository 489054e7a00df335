"""Calls for law enforcement service and the students involved in them.

The seeds require the district to collect every call and its outcome, disaggregated by school,
offense type, race, gender, age and IEP/504 (RCW 28A.320.1241 adds discipline, use of force and
arrest). What is *not* here matters as much: a student is described only by demographics, never by
name or ID number, and no field exists for immigration or citizenship status or place of birth
(RCW 10.93.160). Free-text descriptions go through ``immigration_warning``.

Labels come from the ``call_labels`` catalog. The district may add offense types and outcomes of
its own but may not change or remove the built-in ones, because the state report is keyed by them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sro_desk.domain.demographics import SelfIdentification
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.police_contact import PoliceContact
from sro_desk.domain.privacy import immigration_warning

MIN_AGE = 5
MAX_AGE = 22
MAX_LABEL_LENGTH = 80
MAX_DESCRIPTION_LENGTH = 2000
MAX_REF_LENGTH = 40
RESERVED_LABELS = frozenset({"total", "yes", "no"})


class LabelKind(StrEnum):
    """The families of labels a call uses; the value is how the program names the family."""

    LOCATION = "location"
    INITIATED_BY = "initiated by"
    OFFENSE_TYPE = "offense type"
    OUTCOME = "outcome"
    GENDER = "gender"
    RACE = "race/ethnicity"

    @property
    def catalog_key(self) -> str:
        return _CATALOG_KEYS[self]

    @property
    def extendable(self) -> bool:
        """Only offense types and outcomes may be extended by the district (the issue's rule)."""
        return self in (LabelKind.OFFENSE_TYPE, LabelKind.OUTCOME)


_CATALOG_KEYS = {
    LabelKind.LOCATION: "location",
    LabelKind.INITIATED_BY: "initiated_by",
    LabelKind.OFFENSE_TYPE: "offense_type",
    LabelKind.OUTCOME: "outcome",
    LabelKind.GENDER: "gender",
    LabelKind.RACE: "race",
}

ARREST = "arrest"
PROSECUTION = "referral for prosecution"
NO_ACTION = "no action"


def _fold(text: str) -> str:
    """The comparison form of a label: case-insensitive, inner whitespace collapsed."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True, slots=True)
class CallLabels:
    """Built-in labels (from the catalog) plus the district's own offense types and outcomes."""

    builtin: Mapping[LabelKind, tuple[str, ...]]
    custom: Mapping[LabelKind, tuple[str, ...]] = field(default_factory=dict)
    # folded spelling -> label, per kind: an import looks labels up hundreds of thousands of times
    _lookup: dict[LabelKind, dict[str, str]] = field(init=False, repr=False, compare=False)
    _rank: dict[str, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        lookup = {
            kind: {_fold(label): label for label in reversed(self.labels(kind))}
            for kind in LabelKind
        }
        object.__setattr__(self, "_lookup", lookup)
        builtin = self.builtin.get(LabelKind.OUTCOME, ())
        custom = self.custom.get(LabelKind.OUTCOME, ())
        rank = {label: float(index) for index, label in enumerate(builtin)}
        rank.update({label: 0.5 + index / (2 * (len(custom) + 1))
                     for index, label in enumerate(custom)})
        object.__setattr__(self, "_rank", rank)

    def labels(self, kind: LabelKind) -> tuple[str, ...]:
        """Every label of a kind in report order: built-in first, then the district's own."""
        return tuple(self.builtin.get(kind, ())) + tuple(self.custom.get(kind, ()))

    def find(self, kind: LabelKind, text: str) -> str | None:
        """The canonical spelling of ``text`` (any case, any spacing), or ``None``."""
        known = self._lookup[kind]
        found = known.get(text)  # already canonical: the common case, no folding needed
        if found is not None and found == text:
            return found
        return known.get(_fold(text))

    def canonical(self, kind: LabelKind, text: object) -> str:
        """Like ``find`` but raises ``ValueError`` naming the accepted labels."""
        raw = "" if text is None else str(text).strip()
        if not raw:
            raise ValueError(f"{kind} is missing")
        found = self.find(kind, raw)
        if found is None:
            known = "; ".join(self.labels(kind))
            raise ValueError(f"'{raw}' is not a known {kind} (use one of: {known})")
        return found

    def is_builtin(self, kind: LabelKind, label: str) -> bool:
        return any(_fold(label) == _fold(b) for b in self.builtin.get(kind, ()))

    def with_custom(self, kind: LabelKind, label: str) -> CallLabels:
        """A copy with one more district label; refuses what would change the built-in set."""
        text = " ".join(str(label).split())
        if not kind.extendable:
            raise RuleViolation(
                f"The district cannot add its own {kind} labels; the state report uses the "
                "built-in list."
            )
        if not text:
            raise ValidationError(f"A new {kind} needs a name.")
        if len(text) > MAX_LABEL_LENGTH:
            raise ValidationError(f"A {kind} name can be at most {MAX_LABEL_LENGTH} characters.")
        if _fold(text) in RESERVED_LABELS:
            raise ValidationError(f"'{text}' is reserved by the report and cannot be a {kind}.")
        if self.find(kind, text) is not None:
            raise ValidationError(f"'{text}' is already a {kind}.")
        custom = dict(self.custom)
        custom[kind] = (*custom.get(kind, ()), text)
        return replace(self, custom=custom)

    def with_customs(self, kind: LabelKind, labels: Iterable[str]) -> CallLabels:
        result = self
        for label in labels:
            result = result.with_custom(kind, label)
        return result

    def outcome_rank(self, outcome: str) -> float:
        """How serious an outcome is, for choosing a call's outcome from its students' outcomes.

        Built-in outcomes rank in catalog order (no action lowest, arrest highest). A district's
        own outcomes rank just above "no action" and below every built-in outcome that involved
        action, so adding a label can never hide an arrest or a referral for prosecution.
        """
        rank = self._rank.get(outcome)
        if rank is None:
            rank = self._rank.get(self.find(LabelKind.OUTCOME, outcome) or "")
        if rank is None:
            raise ValueError(f"'{outcome}' is not a known outcome")
        return rank

    def most_serious(self, outcomes: Iterable[str]) -> str:
        return max(outcomes, key=self.outcome_rank)


def load_call_labels(data: Mapping[str, object]) -> CallLabels:
    """Build the label set from the parsed ``call_labels.json``; refuse a damaged catalog."""
    problems: list[str] = []
    builtin: dict[LabelKind, tuple[str, ...]] = {}
    for kind in LabelKind:
        raw = data.get(kind.catalog_key)
        if not isinstance(raw, list) or not raw or not all(isinstance(x, str) for x in raw):
            problems.append(f"the catalog has no list of {kind} labels")
            continue
        labels = tuple(" ".join(x.split()) for x in raw)
        folded = [_fold(x) for x in labels]
        if len(set(folded)) != len(folded) or "" in folded:
            problems.append(f"the catalog's {kind} labels are empty or repeated")
        builtin[kind] = labels
    outcomes = builtin.get(LabelKind.OUTCOME, ())
    for required in (NO_ACTION, PROSECUTION, ARREST):
        if outcomes and required not in outcomes:
            problems.append(f"the catalog's outcomes lack '{required}'")
    if problems:
        raise ValidationError([f"The call label catalog is damaged: {p}." for p in problems])
    return CallLabels(builtin=builtin)


GRADES: tuple[str, ...] = ("PK", "K", *(str(g) for g in range(1, 13)), "post-12")
K12_GRADES = frozenset(GRADES[1:-1])
DISABILITY_GROUPS: tuple[str, ...] = ("IDEA", "504 only", "neither")

AGE_10_AND_UNDER = "10 and under"
AGE_18_AND_OVER = "18 and over"


def age_band(age: int) -> str:
    """The report's age bands, in words: 10 and under, 11-13, 14-15, 16-17, 18 and over."""
    if age <= 10:
        return AGE_10_AND_UNDER
    if age <= 13:
        return "11-13"
    if age <= 15:
        return "14-15"
    if age <= 17:
        return "16-17"
    return AGE_18_AND_OVER


AGE_BANDS: tuple[str, ...] = (AGE_10_AND_UNDER, "11-13", "14-15", "16-17", AGE_18_AND_OVER)
AGES: tuple[int, ...] = tuple(range(MIN_AGE, MAX_AGE + 1))


@dataclass(frozen=True, slots=True)
class InvolvedStudent:
    """One student involved in a call, by demographics only. There is no name or ID field."""

    age: int
    gender: str
    race: str
    iep: bool
    section_504: bool
    outcome: str
    use_of_force: bool
    discipline: bool
    # added with 0010; defaults are what a record made before them reads as
    grade: str = ""  # "" = not recorded
    race_detail: tuple[str, ...] = ()  # detailed codes as collected (domain.demographics)
    hispanic: bool | None = None  # the Hispanic or Latino answer; None = not collected
    hispanic_origins: tuple[str, ...] = ()
    contact: PoliceContact | None = None  # the structured police contact, when there was one

    @property
    def identification(self) -> SelfIdentification:
        """Race, ethnicity and gender as collected; ``race`` is the single value of a record
        made before detailed categories (or the district's own summary of the detail)."""
        return SelfIdentification(self.race_detail, self.hispanic, self.hispanic_origins,
                                  self.gender, self.race)

    @property
    def k12(self) -> bool | None:
        """In kindergarten to grade 12 (the CRDC counts only these); ``None``: not recorded."""
        if not self.grade:
            return None
        return self.grade in K12_GRADES

    @property
    def disability_group(self) -> str:
        """IDEA (an IEP), 504 only, or neither: the CRDC's split."""
        if self.iep:
            return "IDEA"
        return "504 only" if self.section_504 else "neither"

    @property
    def age_band(self) -> str:
        return age_band(self.age)

    @property
    def arrested_or_prosecuted(self) -> bool:
        return self.outcome in (ARREST, PROSECUTION)


@dataclass(frozen=True, slots=True)
class Call:
    """A call for law enforcement service.

    ``own_outcome`` is the outcome of a call without students. A call with students takes the most
    serious of their outcomes (see ``CallLabels.outcome_rank``), computed when the call is made.
    """

    id: int | None
    ref: str
    occurred_on: dt.date
    occurred_at: dt.time | None
    building: str
    location: str
    initiated_by: str
    emergency: bool
    offense_type: str
    description: str
    students: tuple[InvolvedStudent, ...]
    outcome: str

    @property
    def is_incident(self) -> bool:
        """RCW 28A.320.1241(1)(c): discipline, use of force or an arrest of a student."""
        return any(s.discipline or s.use_of_force or s.outcome == ARREST for s in self.students)

    @property
    def student_count(self) -> int:
        return len(self.students)

    @property
    def any_use_of_force(self) -> bool:
        return any(s.use_of_force for s in self.students)

    @property
    def privacy_warning(self) -> str | None:
        return immigration_warning(self.description)


def call_outcome(
    students: Sequence[InvolvedStudent], own_outcome: str | None, labels: CallLabels
) -> str:
    """The outcome recorded for the call as a whole."""
    if students:
        return labels.most_serious(s.outcome for s in students)
    if not own_outcome:
        raise ValidationError("A call without students needs an outcome of its own.")
    return labels.canonical(LabelKind.OUTCOME, own_outcome)


def student_problems(student: InvolvedStudent, labels: CallLabels) -> list[str]:
    """Every rule one involved student breaks, in words."""
    problems: list[str] = []
    if isinstance(student.age, bool) or not isinstance(student.age, int):
        problems.append("Age must be a whole number of years.")
    elif not MIN_AGE <= student.age <= MAX_AGE:
        problems.append(f"Age {student.age} is outside {MIN_AGE}–{MAX_AGE}.")
    for kind, value in (
        (LabelKind.GENDER, student.gender),
        (LabelKind.RACE, student.race),
        (LabelKind.OUTCOME, student.outcome),
    ):
        if labels.find(kind, value) != value:
            problems.append(f"'{value}' is not a known {kind}.")
    if student.grade and student.grade not in GRADES:
        problems.append(f"'{student.grade}' is not a grade (use one of: {', '.join(GRADES)}).")
    return problems


def call_problems(call: Call, labels: CallLabels) -> list[str]:
    """Every rule a call breaks, in words; an empty list means it may be saved."""
    problems: list[str] = []
    ref = call.ref.strip()
    if not ref:
        problems.append("The call needs a reference (call_ref).")
    elif len(ref) > MAX_REF_LENGTH:
        problems.append(f"The call reference can be at most {MAX_REF_LENGTH} characters.")
    if not call.building.strip():
        problems.append("The call needs a building.")
    for kind, value in (
        (LabelKind.LOCATION, call.location),
        (LabelKind.INITIATED_BY, call.initiated_by),
        (LabelKind.OFFENSE_TYPE, call.offense_type),
        (LabelKind.OUTCOME, call.outcome),
    ):
        if labels.find(kind, value) != value:
            problems.append(f"'{value}' is not a known {kind}.")
    if len(call.description) > MAX_DESCRIPTION_LENGTH:
        problems.append(
            f"The description can be at most {MAX_DESCRIPTION_LENGTH} characters; keep it short."
        )
    for number, student in enumerate(call.students, start=1):
        problems.extend(f"Student {number}: {p}" for p in student_problems(student, labels))
    if call.students and not problems:
        expected = call_outcome(call.students, None, labels)
        if call.outcome != expected:
            problems.append(
                f"The call's outcome must be its students' most serious outcome ('{expected}')."
            )
    return problems


def make_call(
    *,
    ref: str,
    occurred_on: dt.date,
    occurred_at: dt.time | None,
    building: str,
    location: str,
    initiated_by: str,
    emergency: bool,
    offense_type: str,
    description: str,
    students: Sequence[InvolvedStudent],
    own_outcome: str | None,
    labels: CallLabels,
    id: int | None = None,
) -> Call:
    """A validated call with canonical labels; raises ``ValidationError`` listing every problem."""
    problems: list[str] = []

    def canon(kind: LabelKind, value: str) -> str:
        try:
            return labels.canonical(kind, value)
        except ValueError as err:
            problems.append(str(err)[0].upper() + str(err)[1:] + ".")
            return value

    fixed_students = tuple(
        replace(
            s,
            gender=canon(LabelKind.GENDER, s.gender),
            race=canon(LabelKind.RACE, s.race),
            outcome=canon(LabelKind.OUTCOME, s.outcome),
        )
        for s in students
    )
    location = canon(LabelKind.LOCATION, location)
    initiated_by = canon(LabelKind.INITIATED_BY, initiated_by)
    offense_type = canon(LabelKind.OFFENSE_TYPE, offense_type)
    outcome = own_outcome or ""
    if not problems:
        try:
            outcome = call_outcome(fixed_students, own_outcome, labels)
        except (ValueError, ValidationError) as err:
            problems.append(str(err))
    call = Call(
        id=id,
        ref=ref.strip(),
        occurred_on=occurred_on,
        occurred_at=occurred_at,
        building=" ".join(building.split()),
        location=location,
        initiated_by=initiated_by,
        emergency=emergency,
        offense_type=offense_type,
        description=description.strip(),
        students=fixed_students,
        outcome=outcome,
    )
    if not problems:
        problems = call_problems(call, labels)
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))
    return call
