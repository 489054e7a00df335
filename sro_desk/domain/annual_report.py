"""The annual report on calls, incidents, staff, agencies and complaints, built from plain lists.

One ``AnnualReport`` object feeds every output (screen, JSON, xlsx, PDF) so they always agree.
The internal edition shows every count. The public edition runs the suppression engine over all
student figures *together* — the one-way tables are the margins of the two-way tables and the age
bands add up the ages, so a figure hidden in one place must be hidden everywhere it appears — and
then re-runs the checker on the result before the report object exists at all: a public report
that could leak is never built (``RuleViolation``). Hidden figures carry no value in the public
object, so no exporter can print one by mistake.

The statutory part follows RCW 28A.320.1241: staff per district and building with days per week,
every agency and company that supplied staff (marked when it had no adopted agreement), the
incidents that resulted in discipline, use of force or arrest (listed in the internal edition
only), and the number of complaints — the statutory count (job duties and student interactions)
as its own figure beside the total.

A report built before its period ends (``ReportInputs.as_of``) counts the year to date and says
so: "year to date, through 26 November 2026". Dates read the program's way (``format_date``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from sro_desk.domain.calls import (
    AGE_BANDS,
    AGES,
    ARREST,
    PROSECUTION,
    Call,
    CallLabels,
    InvolvedStudent,
    LabelKind,
    age_band,
)
from sro_desk.domain.complaints import Category
from sro_desk.domain.dates import add_years, format_date
from sro_desk.domain.demographics import Crosswalk, DetailedCatalog
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.incident_report import IncidentTable, incident_tables
from sro_desk.domain.police_contact import ContactRules
from sro_desk.domain.report_staff import StaffPerson, StaffRow, staff_rows
from sro_desk.domain.suppression import (
    DEFAULT_THRESHOLD,
    CellState,
    Equation,
    assert_safe,
    hidden_text,
    one_way_equations,
    rule_text,
    suppress,
    two_way_equations,
    validate_threshold,
)

YES_NO: tuple[str, ...] = ("yes", "no")
_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
NOT_TRACKED = "Complaints are not yet tracked in SRO Desk; this number is not yet available."


class Edition(StrEnum):
    INTERNAL = "internal"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class ReportingPeriod:
    school_year: str
    start: dt.date
    end: dt.date

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def text(self) -> str:
        """ "1 July 2025 to 30 June 2026" """
        return f"{format_date(self.start)} to {format_date(self.end)}"


def reporting_period(school_year: str, start_month: int = 7, start_day: int = 1) -> ReportingPeriod:
    """The reporting period of a school year: July 1 – June 30 unless the district sets otherwise.

    ``2025-26`` starts on ``start_month/start_day`` of 2025 and ends the day before the same date
    in 2026.
    """
    match = _YEAR.match(school_year.strip())
    if not match or (int(match[1]) + 1) % 100 != int(match[2]):
        raise ValidationError(f"'{school_year}' is not a school year (write it like 2025-26).")
    try:
        start = dt.date(int(match[1]), start_month, start_day)
    except ValueError:
        raise ValidationError(
            f"The reporting period cannot start on month {start_month}, day {start_day}."
        ) from None
    return ReportingPeriod(school_year.strip(), start, add_years(start, 1) - dt.timedelta(days=1))


def school_year_of(day: dt.date, start_month: int = 7, start_day: int = 1) -> str:
    first = day.year if (day.month, day.day) >= (start_month, start_day) else day.year - 1
    return f"{first}-{(first + 1) % 100:02d}"


@dataclass(frozen=True, slots=True)
class Figure:
    """One published count: ``value`` is ``None`` when the public edition hides it."""

    value: int | None
    state: CellState = CellState.SHOWN

    def text(self, threshold: int) -> str:
        if self.state.hidden:
            return hidden_text(self.state, threshold)
        return f"{self.value:,}"

    @property
    def hidden(self) -> bool:
        return self.state.hidden


@dataclass(frozen=True, slots=True)
class Rate:
    """A percentage in a table row. Hidden when built on a hidden count; ``None`` when 0/0."""

    percent: float | None
    hidden: bool = False

    def text(self) -> str:
        if self.hidden:
            return "*"
        return "—" if self.percent is None else f"{self.percent:.1f}%"


@dataclass(frozen=True, slots=True)
class OneWayTable:
    section: str
    key: str
    title: str
    label_title: str
    unit: str
    labels: tuple[str, ...]
    cells: tuple[Figure, ...]
    total: Figure

    def figure(self, label: str) -> Figure:
        return self.cells[self.labels.index(label)]

    def values(self) -> dict[str, int | None]:
        return {label: cell.value for label, cell in zip(self.labels, self.cells, strict=True)}


@dataclass(frozen=True, slots=True)
class TwoWayTable:
    section: str
    key: str
    title: str
    row_title: str
    col_title: str
    row_labels: tuple[str, ...]
    col_labels: tuple[str, ...]
    cells: tuple[tuple[Figure, ...], ...]
    row_totals: tuple[Figure, ...]
    col_totals: tuple[Figure, ...]
    total: Figure
    rate_title: str
    rates: tuple[Rate, ...]

    def figure(self, row: str, col: str) -> Figure:
        return self.cells[self.row_labels.index(row)][self.col_labels.index(col)]

    def values(self) -> dict[str, dict[str, int | None]]:
        return {
            r: {c: cell.value for c, cell in zip(self.col_labels, row, strict=True)}
            for r, row in zip(self.row_labels, self.cells, strict=True)
        }


@dataclass(frozen=True, slots=True)
class StaffPlacement:
    """One staff member's days per week at one building (from the roster)."""

    staff_key: str
    building: str
    days_per_week: float


@dataclass(frozen=True, slots=True)
class BuildingStaff:
    building: str
    staff: int
    days_per_week: float


@dataclass(frozen=True, slots=True)
class StaffSection:
    total: int
    buildings: tuple[BuildingStaff, ...]


@dataclass(frozen=True, slots=True)
class Agency:
    """An agency or company that supplied staff or had an agreement for the year.

    ``adopted_agreement`` is ``None`` when SRO Desk holds no agreement records at all (the
    agreements feature is not in use), so the report cannot say either way.
    """

    name: str
    adopted_agreement: bool | None = None

    def text(self) -> str:
        if self.adopted_agreement is False:
            return f"{self.name} (no adopted agreement)"
        return self.name


@dataclass(frozen=True, slots=True)
class AgenciesSection:
    agencies: tuple[Agency, ...]
    source: str

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.agencies)

    @property
    def without_agreement(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.agencies if a.adopted_agreement is False)

    def text(self) -> str:
        return ", ".join(a.text() for a in self.agencies) or "none recorded"


@dataclass(frozen=True, slots=True)
class Incident:
    """A call in which a student was disciplined, subjected to force, or arrested."""

    ref: str
    occurred_on: dt.date
    building: str
    offense_type: str
    students: tuple[InvolvedStudent, ...]
    description: str = ""


class ComplaintFigures(Protocol):
    """What the report needs from the complaints feature (``ComplaintSummary`` fits)."""

    @property
    def total(self) -> int: ...

    @property
    def by_category(self) -> dict[str, int]: ...

    @property
    def by_outcome(self) -> dict[str, int]: ...

    @property
    def counted_by_law(self) -> int: ...


COUNTED_BY_LAW_TITLE = ("Complaints about job duties or student interactions "
                        "(the count RCW 28A.320.1241 requires)")
_BY_LAW_CATEGORIES = frozenset(c.value.casefold() for c in Category if c.counted_by_law)


def _counted_by_law(figures: ComplaintFigures) -> int:
    """``ComplaintSummary.counted_by_law``; added up here for a summary with unusual labels."""
    try:
        return int(figures.counted_by_law)
    except (AttributeError, ValueError):
        return sum(n for label, n in figures.by_category.items()
                   if label.casefold() in _BY_LAW_CATEGORIES)


@dataclass(frozen=True, slots=True)
class ComplaintsSection:
    tracked: bool
    note: str
    total: Figure | None = None
    tables: tuple[OneWayTable, ...] = ()
    counted_by_law: Figure | None = None


@dataclass(frozen=True, slots=True)
class ReportInputs:
    """Everything the report is built from, as plain values (services gather them)."""

    district_name: str
    period: ReportingPeriod
    calls: Sequence[Call]
    labels: CallLabels
    buildings: Sequence[str] = ()
    staff: Sequence[StaffPlacement] = ()
    agencies: Sequence[Agency | str] = ()
    agencies_source: str = "agencies and companies with an agreement for the year"
    complaints: ComplaintFigures | None = None
    complaints_note: str = NOT_TRACKED
    prevention_activities: Mapping[str, int] | None = None
    as_of: dt.date | None = None  # the day the report is made; None: the period is over
    # how race/ethnicity is reported (domain.demographics); None: the single stored value
    crosswalk: Crosswalk | None = None
    identity_catalog: DetailedCatalog | None = None
    # the police contact rules, for the internal edition's incident tables
    contact_rules: ContactRules | None = None
    now: dt.datetime | None = None  # when overdue notifications are judged
    people: Sequence[StaffPerson] = ()  # one per person, for the (1)(a) per-person table


@dataclass(frozen=True, slots=True)
class AnnualReport:
    district_name: str
    period: ReportingPeriod
    edition: Edition
    threshold: int
    calls_total: Figure
    call_tables: tuple[OneWayTable, ...]
    students_total: Figure
    student_tables: tuple[OneWayTable, ...]
    cross_tables: tuple[TwoWayTable, ...]
    staff: StaffSection
    agencies: AgenciesSection
    incidents_total: Figure
    incidents: tuple[Incident, ...]
    complaints: ComplaintsSection
    prevention_activities: tuple[tuple[str, int], ...]
    rule: str
    definitions: tuple[tuple[str, str], ...] = field(default=())
    through: dt.date | None = None  # set while the period is unfinished: the last day counted
    # internal edition: why each figure of the year's public release is hidden (one row each)
    explanations: tuple[tuple[str, ...], ...] = ()
    crosswalk_name: str = ""  # which crosswalk reported race/ethnicity
    incident_tables: tuple[IncidentTable, ...] = ()  # internal edition only
    staff_people: tuple[StaffRow, ...] = ()  # RCW 28A.320.1241(1)(a), people or positions

    @property
    def school_year(self) -> str:
        return self.period.school_year

    @property
    def complete(self) -> bool:
        return self.through is None

    @property
    def not_begun(self) -> bool:
        return self.through is not None and self.through < self.period.start

    def period_text(self) -> str:
        """The reporting period in words, saying "year to date" while it is unfinished."""
        text = self.period.text()
        if self.not_begun:
            return f"{text} (not yet begun on {format_date(self.through)})"
        if self.through is not None:
            return f"{text} (year to date, through {format_date(self.through)})"
        return text

    def table(self, section: str, key: str) -> OneWayTable | TwoWayTable:
        tables: list[OneWayTable | TwoWayTable] = [
            *self.call_tables, *self.student_tables, *self.cross_tables
        ]
        for table in tables:
            if table.section == section and table.key == key:
                return table
        raise KeyError(f"{section}.{key}")

    def narrative(self) -> str:
        """A short header for the board, in words, that never quotes a hidden figure."""
        calls = _in_words(self.calls_total, self.threshold, "calls")
        students = _in_words(self.students_total, self.threshold, "students")
        if self.not_begun:
            opening = (f"The {self.school_year} reporting period ({self.period.text()}) had not "
                       f"begun on {format_date(self.through)}; no calls are counted yet.")
        else:
            if self.through is not None:
                when = (f"In {self.school_year} so far (year to date, through "
                        f"{format_date(self.through)}; the reporting period runs "
                        f"{self.period.text()})")
            else:
                when = f"From {self.period.text()}"
            opening = (f"{when}, safety and security staff in {self.district_name} responded "
                       f"to {calls} for law enforcement service involving {students}.")
        worked = "work" if self.through is not None else "worked"
        lines = [
            opening,
            f"{self.staff.total} safety and security staff {worked} in "
            f"{len(self.staff.buildings)} buildings.",
        ]
        if self.edition is Edition.PUBLIC:
            lines.append(
                f"This is the public edition: counts under {self.threshold} and any count that "
                "could reveal one are hidden to protect students."
            )
        else:
            lines.append(
                "This is the internal edition: it shows every count and lists incidents. "
                "It is not for public release."
            )
        return " ".join(lines)


def _in_words(figure: Figure, threshold: int, noun: str) -> str:
    if figure.state is CellState.PRIMARY:
        return f"fewer than {threshold} {noun}"
    if figure.hidden:
        return f"a number of {noun} not shown to protect student privacy"
    return f"{figure.value:,} {noun}"


# ---------------------------------------------------------------- building blocks


@dataclass(slots=True)
class _System:
    """Figures and the sums that tie them together, before the edition decides what shows."""

    values: dict[str, int] = field(default_factory=dict)
    equations: list[Equation] = field(default_factory=list)

    def add(self, key: str, value: int) -> str:
        if key in self.values and self.values[key] != value:
            raise AssertionError(f"figure {key} counted two ways")
        self.values[key] = value
        return key


def _one_way(system: _System, section: str, dim: str, labels: Sequence[str],
             counts: Mapping[str, int]) -> tuple[str, ...]:
    total_key = f"{section}.total"
    keys = tuple(system.add(f"{section}.{dim}={label}", counts.get(label, 0)) for label in labels)
    system.equations += one_way_equations(total_key, keys)
    return keys


def _two_way(system: _System, section: str, row_dim: str, rows: Sequence[str], col_dim: str,
             cols: Sequence[str], counts: Mapping[tuple[str, str], int]) -> None:
    cell = {
        (r, c): system.add(f"{section}.{row_dim}={r}&{col_dim}={c}", counts.get((r, c), 0))
        for r in rows
        for c in cols
    }
    row_totals = {r: f"{section}.{row_dim}={r}" for r in rows}
    col_totals = {c: f"{section}.{col_dim}={c}" for c in cols}
    system.equations += two_way_equations(cell, row_totals, col_totals, f"{section}.total")


def _unique(labels: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(labels))


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


# the student dimensions: key in JSON, title, how to read it from a student
_STUDENT_DIMS: dict[str, tuple[str, Callable[[InvolvedStudent], str]]] = {
    "race": ("Race/ethnicity", lambda s: s.race),
    "gender": ("Gender", lambda s: s.gender),
    "age": ("Age", lambda s: str(s.age)),
    "age_band": ("Age band", lambda s: age_band(s.age)),
    "iep": ("IEP", lambda s: _yes_no(s.iep)),
    "504": ("504 plan", lambda s: _yes_no(s.section_504)),
    "outcome": ("Outcome", lambda s: s.outcome),
    "use_of_force": ("Use of force", lambda s: _yes_no(s.use_of_force)),
    "discipline": ("School discipline", lambda s: _yes_no(s.discipline)),
}
_GROUPS = ("race", "gender", "iep", "504")
_GROUP_TITLES = {"race": "race/ethnicity", "gender": "gender", "iep": "IEP", "504": "504 plan"}
_CROSS_MEASURES = ("outcome", "use_of_force", "discipline")


def _count_report(inputs: ReportInputs) -> _Counted:
    labels = inputs.labels
    through = (inputs.as_of if inputs.as_of is not None and inputs.as_of < inputs.period.end
               else None)
    calls = [c for c in inputs.calls if inputs.period.contains(c.occurred_on)
             and (through is None or c.occurred_on <= through)]
    students = [s for c in calls for s in c.students]

    def custom_seen(kind: LabelKind, values: Sequence[str]) -> tuple[str, ...]:
        known = labels.labels(kind)
        return _unique([*known, *sorted(v for v in set(values) if v not in known)])

    dim_labels: dict[str, tuple[str, ...]] = {
        "building": _unique([*inputs.buildings, *sorted({c.building for c in calls})]),
        "offense_type": custom_seen(LabelKind.OFFENSE_TYPE, [c.offense_type for c in calls]),
        "initiated_by": labels.labels(LabelKind.INITIATED_BY),
        "call_outcome": custom_seen(
            LabelKind.OUTCOME, [c.outcome for c in calls] + [s.outcome for s in students]
        ),
        "race": labels.labels(LabelKind.RACE),
        "gender": labels.labels(LabelKind.GENDER),
        "age": tuple(str(a) for a in AGES),
        "age_band": AGE_BANDS,
        "iep": YES_NO,
        "504": YES_NO,
        "use_of_force": YES_NO,
        "discipline": YES_NO,
    }
    dim_labels["outcome"] = dim_labels["call_outcome"]

    # ---- calls: one system (every table shares the calls total)
    call_sys = _System()
    call_sys.add("calls.total", len(calls))
    call_dims = {
        "building": ("by_building", "Calls by building", "Building",
                     Counter(c.building for c in calls)),
        "offense_type": ("by_offense_type", "Calls by offense type", "Offense type",
                         Counter(c.offense_type for c in calls)),
        "initiated_by": ("by_initiated_by", "Calls by who initiated them", "Initiated by",
                         Counter(c.initiated_by for c in calls)),
        "call_outcome": ("by_outcome", "Calls by outcome", "Outcome",
                         Counter(c.outcome for c in calls)),
    }
    for dim, (_, _, _, counts) in call_dims.items():
        _one_way(call_sys, "calls", dim, dim_labels[dim], counts)

    # ---- students: one joint system
    stu_sys = _System()
    stu_sys.add("students.total", len(students))
    readers = {dim: reader for dim, (_, reader) in _STUDENT_DIMS.items()}
    walk, catalog = inputs.crosswalk, inputs.identity_catalog
    if walk is not None and catalog is not None:
        # race/ethnicity is reported through the crosswalk from what was collected
        def by_crosswalk(s: InvolvedStudent) -> str:
            return walk.race_category(s.identification, catalog)

        readers["race"] = by_crosswalk
        dim_labels["race"] = walk.categories
    for dim in _STUDENT_DIMS:
        counts = Counter(readers[dim](s) for s in students)
        if dim == "age_band":
            # bands are sums of ages: tie them so a hidden age cannot be recovered from its band
            keys = _one_way(stu_sys, "students", dim, AGE_BANDS, counts)
            for band, band_key in zip(AGE_BANDS, keys, strict=True):
                ages = [f"students.age={a}" for a in AGES if age_band(a) == band]
                stu_sys.equations.append(Equation(band_key, tuple(ages)))
        else:
            _one_way(stu_sys, "students", dim, dim_labels[dim], counts)
    for measure in _CROSS_MEASURES:
        for group in _GROUPS:
            pair_counts = Counter((readers[group](s), readers[measure](s)) for s in students)
            _two_way(stu_sys, "students", group, dim_labels[group], measure,
                     dim_labels[measure], pair_counts)

    # ---- incidents and complaints: small systems of their own
    incident_calls = [c for c in calls if c.is_incident]
    other_sys = _System()
    other_sys.add("incidents.total", len(incident_calls))
    complaint_dims: list[tuple[str, str, str, tuple[str, ...]]] = []
    if inputs.complaints is not None:
        other_sys.add("complaints.total", inputs.complaints.total)
        by_law = other_sys.add("complaints.counted_by_law", _counted_by_law(inputs.complaints))
        by_law_parts = tuple(f"complaints.by_category={label}"
                             for label in inputs.complaints.by_category
                             if label.casefold() in _BY_LAW_CATEGORIES)
        for dim, title, counts_map in (
            ("by_category", "Complaints by category", inputs.complaints.by_category),
            ("by_outcome", "Complaints by outcome", inputs.complaints.by_outcome),
        ):
            dim_keys = tuple(counts_map)
            if sum(counts_map.values()) == inputs.complaints.total:
                _one_way(other_sys, "complaints", dim, dim_keys, counts_map)
            else:  # not a breakdown of the total: publish the counts, tied to no sum
                for key in dim_keys:
                    other_sys.add(f"complaints.{dim}={key}", counts_map[key])
            complaint_dims.append((dim, title, dim.removeprefix("by_").title(), dim_keys))
        # the statutory count is the sum of its categories: tie it so it cannot give one away
        if by_law_parts and all(k in other_sys.values for k in by_law_parts) and \
                sum(other_sys.values[k] for k in by_law_parts) == other_sys.values[by_law]:
            other_sys.equations.append(Equation(by_law, by_law_parts))

    return _Counted((call_sys, stu_sys, other_sys), dim_labels, call_dims, complaint_dims,
                    incident_calls, through, calls)


@dataclass(slots=True)
class _Counted:
    """Everything counted for the period, before an edition decides what shows."""

    systems: tuple[_System, ...]
    dim_labels: dict[str, tuple[str, ...]]
    call_dims: dict[str, tuple[str, str, str, Counter[str]]]
    complaint_dims: list[tuple[str, str, str, tuple[str, ...]]]
    incident_calls: list[Call]
    through: dt.date | None
    calls: list[Call]


def report_system(inputs: ReportInputs) -> tuple[dict[str, int], list[Equation]]:
    """Every student, call, incident and complaint figure the report publishes, with every sum
    that ties them: the report's part of a linked public release (``domain.release``)."""
    counted = _count_report(inputs)
    values = {k: v for system in counted.systems for k, v in system.values.items()}
    return values, [eq for system in counted.systems for eq in system.equations]


def build_annual_report(
    inputs: ReportInputs,
    edition: Edition,
    threshold: int = DEFAULT_THRESHOLD,
    protection: Mapping[str, CellState] | None = None,
    explanations: Sequence[tuple[str, ...]] = (),
) -> AnnualReport:
    """Count everything for the period and apply the edition's rules.

    ``protection`` is the public edition's states decided over the whole linked release of the
    year (``services.public_release``), already attack-checked there; without it the public
    edition is protected on its own. ``explanations`` (internal edition) are the rows of the
    sheet that says why each figure of the public release is hidden.
    """
    validate_threshold(threshold)
    counted = _count_report(inputs)
    systems = counted.systems
    dim_labels = counted.dim_labels
    call_dims = counted.call_dims
    complaint_dims = counted.complaint_dims
    incident_calls = counted.incident_calls
    through = counted.through

    # ---- the edition decides what shows
    states: dict[str, CellState] = {}
    if edition is Edition.PUBLIC and protection is not None:
        missing = [k for s in systems for k in s.values if k not in protection]
        if missing:
            raise ValueError(f"the release protection lacks figures: {missing[:5]}")
        states = {k: protection[k] for s in systems for k in s.values}
    elif edition is Edition.PUBLIC:
        for system in systems:
            result = suppress(system.values, system.equations, threshold)
            assert_safe(system.values, result, system.equations, threshold)
            states.update(result)
    else:
        for system in systems:
            states.update(dict.fromkeys(system.values, CellState.SHOWN))
    values = {k: v for s in systems for k, v in s.values.items()}

    def fig(key: str) -> Figure:
        state = states[key]
        return Figure(None if state.hidden else values[key], state)

    call_tables = tuple(
        OneWayTable("calls", json_key, title, label_title, "calls", dim_labels[dim],
                    tuple(fig(f"calls.{dim}={lab}") for lab in dim_labels[dim]),
                    fig("calls.total"))
        for dim, (json_key, title, label_title, _) in call_dims.items()
    )
    student_titles = {
        "race": "Involved students by race/ethnicity", "gender": "Involved students by gender",
        "age": "Involved students by age", "age_band": "Involved students by age band",
        "iep": "Involved students with an IEP", "504": "Involved students with a 504 plan",
        "outcome": "Involved students by outcome",
        "use_of_force": "Involved students subjected to use of force",
        "discipline": "Involved students whose call resulted in school discipline",
    }
    student_tables = tuple(
        OneWayTable("students", f"by_{dim}", student_titles[dim], _STUDENT_DIMS[dim][0],
                    "students", dim_labels[dim],
                    tuple(fig(f"students.{dim}={lab}") for lab in dim_labels[dim]),
                    fig("students.total"))
        for dim in _STUDENT_DIMS
    )
    cross_tables = tuple(
        _cross_table(measure, group, dim_labels, fig) for measure in _CROSS_MEASURES
        for group in _GROUPS
    )

    complaints: ComplaintsSection
    if inputs.complaints is None:
        complaints = ComplaintsSection(tracked=False, note=inputs.complaints_note)
    else:
        complaints = ComplaintsSection(
            tracked=True,
            note="Complaints received in the period about safety and security staff.",
            total=fig("complaints.total"),
            counted_by_law=fig("complaints.counted_by_law"),
            tables=tuple(
                OneWayTable("complaints", dim, title, label_title, "complaints", keys,
                            tuple(fig(f"complaints.{dim}={k}") for k in keys),
                            fig("complaints.total"))
                for dim, title, label_title, keys in complaint_dims
            ),
        )

    incidents = () if edition is Edition.PUBLIC else tuple(
        Incident(c.ref, c.occurred_on, c.building, c.offense_type, c.students, c.description)
        for c in sorted(incident_calls, key=lambda c: (c.occurred_on, c.ref))
    )
    rule = (rule_text(threshold) if edition is Edition.PUBLIC else
            "Internal edition: every count is shown, including counts under "
            f"{threshold}. Do not release it; publish the public edition instead.")
    return AnnualReport(
        district_name=inputs.district_name,
        period=inputs.period,
        edition=edition,
        threshold=threshold,
        calls_total=fig("calls.total"),
        call_tables=call_tables,
        students_total=fig("students.total"),
        student_tables=student_tables,
        cross_tables=cross_tables,
        staff=_staff_section(inputs.staff),
        agencies=AgenciesSection(_agencies(inputs.agencies), inputs.agencies_source),
        incidents_total=fig("incidents.total"),
        incidents=incidents,
        complaints=complaints,
        prevention_activities=tuple(sorted((inputs.prevention_activities or {}).items())),
        rule=rule,
        definitions=_definitions(inputs.period, threshold, edition, through)
        + _crosswalk_definition(inputs.crosswalk),
        through=through,
        explanations=tuple(explanations) if edition is Edition.INTERNAL else (),
        crosswalk_name="" if inputs.crosswalk is None else inputs.crosswalk.name,
        incident_tables=_incident_tables(inputs, edition, counted.calls),
        staff_people=staff_rows(inputs.people, public=edition is Edition.PUBLIC),
    )


def _incident_tables(inputs: ReportInputs, edition: Edition,
                     calls: Sequence[Call]) -> tuple[IncidentTable, ...]:
    if edition is not Edition.INTERNAL or inputs.contact_rules is None or \
            inputs.identity_catalog is None:
        return ()
    now = inputs.now or dt.datetime.combine(inputs.as_of or inputs.period.end, dt.time(23, 59))
    return incident_tables(calls, inputs.contact_rules, inputs.identity_catalog, now)


def _crosswalk_definition(walk: Crosswalk | None) -> tuple[tuple[str, str], ...]:
    if walk is None:
        return ()
    return (("Race/ethnicity categories",
             f"Reported with the crosswalk {walk.name} from the race and ethnicity each student "
             f"self-identified. {walk.rule} Source: {walk.source} Records made before detailed "
             "categories report their single category."),)


def _agencies(entries: Sequence[Agency | str]) -> tuple[Agency, ...]:
    """One entry per name (an agreement on record wins), sorted by name."""
    found: dict[str, Agency] = {}
    for entry in entries:
        agency = Agency(entry) if isinstance(entry, str) else entry
        key = agency.name.casefold()
        known = found.get(key)
        if known is None or (agency.adopted_agreement and not known.adopted_agreement):
            found[key] = agency
    return tuple(found[k] for k in sorted(found))


def _cross_table(
    measure: str,
    group: str,
    dim_labels: Mapping[str, tuple[str, ...]],
    fig: Callable[[str], Figure],
) -> TwoWayTable:
    rows, cols = dim_labels[group], dim_labels[measure]
    cells = tuple(
        tuple(fig(f"students.{group}={r}&{measure}={c}") for c in cols) for r in rows
    )
    row_totals = tuple(fig(f"students.{group}={r}") for r in rows)
    col_totals = tuple(fig(f"students.{measure}={c}") for c in cols)
    if measure == "outcome":
        numerator = [i for i, c in enumerate(cols) if c in (ARREST, PROSECUTION)]
        rate_title = "% arrested or referred for prosecution"
        title = f"Outcome by {_GROUP_TITLES[group]}"
    else:
        numerator = [cols.index("yes")]
        what = "use of force" if measure == "use_of_force" else "school discipline"
        rate_title = f"% with {what}"
        title = f"{what[0].upper()}{what[1:]} by {_GROUP_TITLES[group]}"
    rates = tuple(
        _rate([row[i] for i in numerator], total) for row, total in zip(cells, row_totals,
                                                                       strict=True)
    )
    return TwoWayTable(
        "students", f"{measure}_by_{group}", title, _STUDENT_DIMS[group][0],
        _STUDENT_DIMS[measure][0], rows, cols, cells, row_totals, col_totals,
        fig("students.total"), rate_title, rates,
    )


def _rate(parts: Sequence[Figure], whole: Figure) -> Rate:
    """A share of a row; hidden if any count it is built on is hidden."""
    if whole.hidden or any(p.hidden for p in parts):
        return Rate(None, hidden=True)
    if not whole.value:
        return Rate(None)
    return Rate(100.0 * sum(p.value or 0 for p in parts) / whole.value)


def _staff_section(placements: Sequence[StaffPlacement]) -> StaffSection:
    people: dict[str, set[str]] = {}
    days: dict[str, float] = {}
    for p in placements:
        people.setdefault(p.building, set()).add(p.staff_key)
        days[p.building] = days.get(p.building, 0.0) + p.days_per_week
    buildings = tuple(
        BuildingStaff(b, len(people[b]), round(days[b], 2))
        for b in sorted(people, key=str.casefold)
    )
    return StaffSection(len({p.staff_key for p in placements}), buildings)


JSON_HIDDEN_NOTE = (
    'In the JSON file a hidden count is null. The top-level "hidden" object, laid out like the '
    'sections ("calls", "students", "incidents", "complaints") but holding only the hidden '
    'figures, names why each null is hidden: "<{t}" for a count from 1 to {m}, "*" for a count '
    "hidden so that another cannot be worked out, or a zero beside a hidden total."
)


def _definitions(period: ReportingPeriod, threshold: int, edition: Edition,
                 through: dt.date | None) -> tuple[tuple[str, str], ...]:
    span = f"{period.text()} (school year {period.school_year})"
    if through is not None:
        span += f"; this report counts the year to date, through {format_date(through)}"
    definitions: tuple[tuple[str, str], ...] = (
        ("Reporting period", f"{span}."),
        ("Call", "A call for law enforcement service to safety and security staff, counted once "
                 "however many students were involved."),
        ("Call outcome", "For a call with students, the most serious outcome of any student "
                         "involved (arrest highest); otherwise the call's own outcome."),
        ("Involved student", "One student involved in one call. A student involved in two calls "
                             "is counted twice. No names or ID numbers are recorded."),
        ("Incident", "A call in which a student was disciplined by the school, subjected to use "
                     "of force, or arrested (RCW 28A.320.1241)."),
        ("Age band", "Age on the day of the call: 10 and under, 11-13, 14-15, 16-17, 18 and over."),
        ("Staff", "Safety and security staff on the roster with a building placement; days per "
                  "week are added up per building."),
        ("Agencies and companies", "Every police agency and security company that supplied "
                                   "staff during the period, and any with an adopted agreement "
                                   "for the year; one that supplied staff without an adopted "
                                   "agreement is marked."),
        ("Complaints counted by law", "Complaints about job duties or student interactions, "
                                      "the number RCW 28A.320.1241 requires; the total also "
                                      "counts other complaints."),
    )
    if edition is Edition.PUBLIC:  # suppression does not apply to the internal edition
        definitions += (
            ("Suppression", rule_text(threshold)),
            ("Hidden counts in the JSON file",
             JSON_HIDDEN_NOTE.format(t=threshold, m=threshold - 1)),
        )
    return definitions
