"""The annual report's per-person staff table (RCW 28A.320.1241(1)(a)).

(1)(a) asks for the number of safety and security staff district-wide and per building, and "the
number of days per week that each staff works". So each person is one row: role, employer, and
each building with its days per week. The internal edition names people; the public edition names
positions ("School resource officer 1"), never people.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PER_PERSON_CITATION = "RCW 28A.320.1241(1)(a)"


@dataclass(frozen=True, slots=True)
class StaffPerson:
    """What the roster says about one person who worked in the period."""

    staff_key: str
    name: str
    role: str
    employer: str
    buildings: tuple[tuple[str, float], ...]


@dataclass(frozen=True, slots=True)
class StaffRow:
    """One row of the table: ``who`` is the name (internal) or the position (public)."""

    who: str
    role: str
    employer: str
    buildings: tuple[tuple[str, float], ...]

    @property
    def days_per_week(self) -> float:
        return sum(days for _b, days in self.buildings)

    @property
    def buildings_text(self) -> str:
        """"Cedar Valley HS 3; Rock MS 2"."""
        return "; ".join(f"{b} {days:g}" for b, days in self.buildings)


def staff_rows(people: Iterable[StaffPerson], public: bool) -> tuple[StaffRow, ...]:
    """The per-person table, sorted by role then employer then name; positions in public."""
    ordered = sorted(people, key=lambda p: (p.role.casefold(), p.employer.casefold(),
                                            p.name.casefold(), p.staff_key))
    rows: list[StaffRow] = []
    numbers: dict[str, int] = {}
    for person in ordered:
        if public:
            numbers[person.role] = numbers.get(person.role, 0) + 1
            who = f"{person.role[:1].upper()}{person.role[1:]} {numbers[person.role]}"
        else:
            who = person.name
        rows.append(StaffRow(who, person.role, person.employer, person.buildings))
    return tuple(rows)


def table_rows(rows: Sequence[StaffRow], public: bool) -> tuple[list[str], list[list[object]]]:
    """Headers and cells for a PDF, workbook or CSV table."""
    headers = ["Position" if public else "Name", "Role", "Employer",
               "Buildings (days per week)", "Days per week in all"]
    return headers, [[r.who, r.role, r.employer, r.buildings_text, r.days_per_week]
                     for r in rows]
