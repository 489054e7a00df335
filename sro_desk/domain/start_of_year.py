"""Start-of-year duties: inform students and families about safety and security staff.

RCW 28A.320.124(2): at the beginning of each school year a district with safety and security
staff presents to and discusses with students, and distributes to families, information on the
role and responsibilities of those staff. The program records, per building and school year, the
presentation and the distribution, and lists buildings still missing either a set number of days
(30 unless the district changes it) after the first day of school.

The presentation and the handout cover the SRO's role as educator, informal counselor and law
enforcer, and the rule that law enforcement activity generally takes place at a location other
than school premises (Sequim SRO policy; Index and Port Townsend Policy 4311).

The Snohomish SRO procedures add, per building: "Staff will be trained on when it is appropriate to
ask an SRO to intervene." Its date and trainer are kept on the same record and shown beside the
statutory duties (a district duty from the seeds, so it does not change their standing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from sro_desk.domain.agreements import parse_school_year, school_year_end
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import ValidationError

DEFAULT_GRACE_DAYS = 30
"""Days after the first day of school by which every building should have done both duties."""

EARLIEST_DAYS_BEFORE_FIRST_DAY = 90
"""A presentation or mailing this long before the first day belongs to the previous year."""


class DistributionMethod(StrEnum):
    MAIL = "Mail"
    EMAIL = "Email"
    APP = "App"
    BACKPACK = "Backpack"


@dataclass(frozen=True, slots=True)
class BuildingStartOfYear:
    """What one building did at the start of one school year. Dates ``None`` = not yet done."""

    building_id: int
    building_name: str
    school_year: str
    presented_on: dt.date | None = None
    presenter: str = ""
    audience: str = ""
    presentation_notes: str = ""
    distributed_on: dt.date | None = None
    methods: tuple[DistributionMethod, ...] = ()
    languages: tuple[str, ...] = ()
    distribution_notes: str = ""
    id: int | None = None
    intervention_training_on: dt.date | None = None
    intervention_trainer: str = ""
    intervention_training_notes: str = ""

    @property
    def staff_trained(self) -> bool:
        """School staff trained on when to ask an SRO to intervene (Snohomish procedures)."""
        return self.intervention_training_on is not None

    @property
    def presented(self) -> bool:
        return self.presented_on is not None

    @property
    def distributed(self) -> bool:
        return self.distributed_on is not None

    @property
    def methods_text(self) -> str:
        return ", ".join(m.value for m in self.methods)

    @property
    def languages_text(self) -> str:
        return ", ".join(self.languages)


def parse_languages(text: str) -> tuple[str, ...]:
    """``"English; Spanish, Somali"`` → ``("English", "Spanish", "Somali")`` without repeats."""
    seen: list[str] = []
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name and name.lower() not in (s.lower() for s in seen):
            seen.append(name)
    return tuple(seen)


def start_of_year_problems(
    record: BuildingStartOfYear, first_day: dt.date, today: dt.date | None = None
) -> list[str]:
    """Every reason ``record`` cannot be saved, in words."""
    problems: list[str] = []
    try:
        parse_school_year(record.school_year)
    except ValidationError as err:
        return list(err.problems)
    earliest = first_day - dt.timedelta(days=EARLIEST_DAYS_BEFORE_FIRST_DAY)
    latest = school_year_end(record.school_year)
    for what, day in (("presentation", record.presented_on), ("distribution", record.distributed_on),
                      ("staff training", record.intervention_training_on)):
        if day is None:
            continue
        if not earliest <= day <= latest:
            problems.append(
                f"The {what} date {format_date(day)} is outside the {record.school_year} school "
                f"year (first day {format_date(first_day)})."
            )
        if today is not None and day > today:
            problems.append(f"The {what} date {format_date(day)} is in the future.")
    if record.presented_on is None and (
        record.presenter.strip() or record.audience.strip() or record.presentation_notes.strip()
    ):
        problems.append("The presentation needs its date (or clear the presenter and audience).")
    if record.presented_on is not None and not record.presenter.strip():
        problems.append("Say who gave the presentation to students.")
    if record.intervention_training_on is not None and not record.intervention_trainer.strip():
        problems.append("Say who trained school staff on when to ask an SRO to intervene.")
    if record.intervention_training_on is None and record.intervention_trainer.strip():
        problems.append("The staff training needs its date (or clear the trainer).")
    if record.distributed_on is None and (record.methods or record.languages):
        problems.append("The distribution to families needs its date.")
    if record.distributed_on is not None:
        if not record.methods:
            problems.append("Choose how the information went to families (mail, email, app, "
                            "backpack).")
        if not record.languages:
            problems.append("List the languages the information was distributed in.")
    return problems


def validate_start_of_year(
    record: BuildingStartOfYear, first_day: dt.date, today: dt.date | None = None
) -> BuildingStartOfYear:
    problems = start_of_year_problems(record, first_day, today)
    if problems:
        raise ValidationError(problems)
    methods = tuple(m for m in DistributionMethod if m in record.methods)
    return replace(
        record,
        presenter=record.presenter.strip(),
        audience=record.audience.strip(),
        presentation_notes=record.presentation_notes.strip(),
        methods=methods,
        languages=parse_languages(", ".join(record.languages)),
        distribution_notes=record.distribution_notes.strip(),
        intervention_trainer=record.intervention_trainer.strip(),
        intervention_training_notes=record.intervention_training_notes.strip(),
    )


class DutyState(StrEnum):
    DONE = "Done"
    DUE = "Due"
    OVERDUE = "Overdue"


@dataclass(frozen=True, slots=True)
class BuildingDuties:
    """One building's start-of-year standing, for the tab and the missing list."""

    building_id: int
    building_name: str
    record: BuildingStartOfYear | None
    deadline: dt.date
    state: DutyState
    missing: tuple[str, ...]

    @property
    def clause(self) -> str:
        """The standing in words that follow a name and a colon: "missing the …; due by …"."""
        if self.state is DutyState.DONE:
            return "presentation and distribution recorded."
        what = " and ".join(self.missing)
        if self.state is DutyState.OVERDUE:
            return f"missing the {what}; due by {format_date(self.deadline)}."
        return f"{what} due by {format_date(self.deadline)}."

    @property
    def message(self) -> str:
        """The standing as a sentence of its own (a table cell, a tooltip)."""
        clause = self.clause
        return clause[:1].upper() + clause[1:]

    def attention_line(self, school_year: str) -> str:
        """One needs-attention line: "Start of year 2026-27: Cedar Valley …: missing the …"."""
        return f"Start of year {school_year}: {self.building_name}: {self.clause}"


def start_of_year_deadline(first_day: dt.date, grace_days: int = DEFAULT_GRACE_DAYS) -> dt.date:
    if grace_days < 0:
        raise ValidationError("The number of days after the first day cannot be negative.")
    return first_day + dt.timedelta(days=grace_days)


def building_duties(
    buildings: Sequence[tuple[int, str]],
    records: Iterable[BuildingStartOfYear],
    school_year: str,
    first_day: dt.date,
    today: dt.date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> list[BuildingDuties]:
    """Every building's standing for ``school_year``: done, due, or overdue after the deadline."""
    deadline = start_of_year_deadline(first_day, grace_days)
    by_building = {r.building_id: r for r in records if r.school_year == school_year}
    result: list[BuildingDuties] = []
    for building_id, name in buildings:
        record = by_building.get(building_id)
        missing: list[str] = []
        if record is None or not record.presented:
            missing.append("presentation to students")
        if record is None or not record.distributed:
            missing.append("distribution to families")
        if not missing:
            state = DutyState.DONE
        elif today > deadline:
            state = DutyState.OVERDUE
        else:
            state = DutyState.DUE
        result.append(BuildingDuties(building_id, name, record, deadline, state, tuple(missing)))
    return result


def missing_start_of_year(
    buildings: Sequence[tuple[int, str]],
    records: Iterable[BuildingStartOfYear],
    school_year: str,
    first_day: dt.date,
    today: dt.date,
    grace_days: int = DEFAULT_GRACE_DAYS,
) -> list[BuildingDuties]:
    """Buildings missing the presentation or the distribution after the deadline."""
    return [
        b
        for b in building_duties(buildings, records, school_year, first_day, today, grace_days)
        if b.state is DutyState.OVERDUE
    ]
