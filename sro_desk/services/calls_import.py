"""Importing calls from the student information system: all rows or none.

One row per involved student; rows sharing a ``call_ref`` are one call; a call without students
is one row with the student columns empty. Every row is checked; any problem anywhere refuses the
whole file with every problem listed by row and column, and a ``call_ref`` already in the database
is reported as a duplicate. Headers that differ from the template can be mapped (the preview
dialog offers a mapping; the CLI takes the file as it is).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from sro_desk import clock
from sro_desk.domain.calls import (
    MAX_DESCRIPTION_LENGTH,
    Call,
    CallLabels,
    InvolvedStudent,
    LabelKind,
    load_call_labels,
    make_call,
)
from sro_desk.domain.dates import parse_entered_date, parse_yes_no
from sro_desk.domain.errors import ImportRefused, RowProblem, RuleViolation, ValidationError
from sro_desk.domain.privacy import immigration_findings
from sro_desk.services.tabular import (
    Cancelled,
    Progress,
    TabularData,
    cell_text,
    normalize_header,
    read_table,
)
from sro_desk.services.templates import TemplateSpec
from sro_desk.store import call_repo

CALL_COLUMNS = ("call_ref", "date", "time", "building", "location", "initiated_by", "emergency",
                "offense_type", "description")
STUDENT_COLUMNS = ("student_age", "student_gender", "student_race", "student_iep", "student_504")
COLUMNS = (*CALL_COLUMNS, *STUDENT_COLUMNS, "outcome", "use_of_force", "discipline")
REQUIRED = ("call_ref", "date", "building", "location", "initiated_by", "offense_type", "outcome")
_STUDENT_MARKERS = (*STUDENT_COLUMNS, "use_of_force", "discipline")
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)

IMPORT_TEMPLATES = (
    TemplateSpec(
        name="calls",
        title="Calls",
        headers=COLUMNS,
        example_rows=(
            ("2025-0142", "2025-10-02", "10:15", "Sequim High School", "on campus", "teacher",
             "no", "fighting without major injury", "Two students fighting at lunch.", "15",
             "male", "White", "no", "no", "returned to school administration", "no", "yes"),
            ("2025-0142", "2025-10-02", "10:15", "Sequim High School", "on campus", "teacher",
             "no", "fighting without major injury", "Two students fighting at lunch.", "16",
             "male", "Hispanic or Latino", "yes", "no", "handled informally", "no", "no"),
            ("2025-0143", "10/3/2025", "7:40 AM", "Sequim Middle School", "near campus",
             "911 or dispatch", "yes", "traffic or parking", "Car blocking bus lane.", "", "",
             "", "", "", "handled informally", "", ""),
        ),
        notes=(
            "One row per student involved in a call. Rows with the same call_ref are one call.",
            "A call with no students is one row with the student columns left empty; its "
            "outcome column is the call's own outcome.",
            "Never enter a student's name or ID number.",
            "date: YYYY-MM-DD or M/D/YYYY (or a real spreadsheet date). time: 14:05 or 2:05 PM.",
            "building: the name or short code of a building set up in SRO Desk.",
            "location: on campus, school activity, school transportation, near campus.",
            "initiated_by: teacher, administrator, other staff, SRO, student, parent or guardian, "
            "911 or dispatch, other.",
            "student_age: 5 to 22. yes/no columns take yes/no/y/n/true/false/1/0.",
            "Labels for offense type, outcome, gender and race/ethnicity are the built-in ones "
            "(any capitalisation) or ones the district added.",
            "Do not record immigration or citizenship status or place of birth anywhere "
            "(RCW 10.93.160).",
        ),
    ),
)


def builtin_labels() -> CallLabels:
    path = resources.files("sro_desk.resources") / "catalogs" / "call_labels.json"
    return load_call_labels(json.loads(path.read_text(encoding="utf-8")))


def call_labels() -> CallLabels:
    """The built-in labels plus the district's own, from the open database."""
    labels = builtin_labels()
    for kind, extra in call_repo.custom_labels().items():
        for label in extra:
            if labels.find(kind, label) is None:
                labels = labels.with_custom(kind, label)
    return labels


@dataclass(frozen=True, slots=True)
class CallImportResult:
    calls: int
    students: int
    warnings: tuple[str, ...] = ()

    @property
    def summary(self) -> str:
        return f"Imported {self.calls:,} calls with {self.students:,} involved students."


@dataclass(frozen=True, slots=True)
class ImportPreview:
    """What the preview dialog shows: the file's headers, a suggested mapping, a few rows."""

    original_headers: tuple[str, ...]
    suggested: dict[str, str]  # template column -> file header (normalized)
    sample: tuple[tuple[str, ...], ...]
    row_count: int

    @property
    def missing_required(self) -> tuple[str, ...]:
        return tuple(c for c in REQUIRED if c not in self.suggested)


_ALIASES: dict[str, tuple[str, ...]] = {
    "call_ref": ("ref", "call_id", "call_number", "incident_id", "incident_number", "case"),
    "date": ("call_date", "incident_date", "date_of_call"),
    "time": ("call_time", "incident_time"),
    "building": ("school", "site", "campus"),
    "initiated_by": ("initiator", "initiated", "requested_by"),
    "offense_type": ("offense", "offence", "offense_category", "incident_type"),
    "student_age": ("age",),
    "student_gender": ("gender", "sex"),
    "student_race": ("race", "race_ethnicity", "ethnicity"),
    "student_iep": ("iep",),
    "student_504": ("504", "section_504", "plan_504"),
    "outcome": ("result", "disposition"),
    "use_of_force": ("force", "force_used"),
    "discipline": ("school_discipline", "disciplined"),
}


def suggest_mapping(headers: tuple[str, ...]) -> dict[str, str]:
    """Template column -> file column, for exact names and common variants."""
    available = [h for h in headers if h]
    mapping: dict[str, str] = {}
    for column in COLUMNS:
        for candidate in (column, *_ALIASES.get(column, ())):
            if candidate in available and candidate not in mapping.values():
                mapping[column] = candidate
                break
    return mapping


def preview_calls(path: Path | str, sample_rows: int = 8) -> ImportPreview:
    data = read_table(path)
    sample = tuple(
        tuple(cell_text(row.get(h, "")) for h in data.headers)
        for _, row in data.rows[:sample_rows]
    )
    return ImportPreview(data.original_headers, suggest_mapping(data.headers), sample,
                         len(data.rows))


def _apply_mapping(data: TabularData, mapping: Mapping[str, str] | None) -> TabularData:
    """Rename the file's columns to template names (``mapping``: template -> file header)."""
    if not mapping:
        return data
    rename = {normalize_header(src): column for column, src in mapping.items() if src}
    rows = [
        (number, {rename.get(k, k): v for k, v in row.items()}) for number, row in data.rows
    ]
    headers = tuple(rename.get(h, h) for h in data.headers)
    return TabularData(headers, data.original_headers, rows, data.source)


def parse_time(value: object) -> dt.time | None:
    """14:05, 14:05:30, 2:05 PM, a spreadsheet time; empty means not recorded."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.time().replace(microsecond=0)
    if isinstance(value, dt.time):
        return value.replace(microsecond=0)
    if isinstance(value, float) and 0 <= value < 1:
        seconds = round(value * 86400)
        return dt.time(seconds // 3600 % 24, seconds // 60 % 60, seconds % 60)
    match = _TIME.match(str(value))
    if not match:
        raise ValueError(f"'{value}' is not a time (use 14:05 or 2:05 PM)")
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if match[4]:
        if not 1 <= hour <= 12:
            raise ValueError(f"'{value}' is not a time")
        hour = hour % 12 + (12 if match[4].lower().startswith("p") else 0)
    try:
        return dt.time(hour, minute, second)
    except ValueError:
        raise ValueError(f"'{value}' is not a real time of day") from None


def _parse_age(value: object) -> int:
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not an age")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = cell_text(value)
    if not text:
        raise ValueError("the age is missing")
    if not re.fullmatch(r"\d{1,3}", text):
        raise ValueError(f"'{text}' is not an age in whole years")
    return int(text)


_CALL_LEVEL = ("date", "time", "building", "location", "initiated_by", "emergency",
               "offense_type", "description")


def parse_calls(
    data: TabularData,
    labels: CallLabels,
    buildings: Mapping[str, str],
    *,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> tuple[list[Call], list[str]]:
    """Every call in the file, or ``ImportRefused`` with every problem by row and column.

    ``buildings`` maps a lower-cased building name or code to the building's name.
    Returns the calls and privacy warnings (which do not refuse the file).
    """
    missing = [c for c in REQUIRED if c not in data.headers]
    if missing:
        found = ", ".join(h for h in data.original_headers if h) or "none"
        raise ImportRefused(
            [RowProblem(1, c, "this column is missing") for c in missing],
            f"The file does not have the columns this import needs (found: {found}). "
            "Map the columns in the preview, or use the template. Nothing was changed.",
        )
    if not data.rows:
        raise ImportRefused([RowProblem(0, "", "the file has a header row but no calls")])
    problems: list[RowProblem] = []
    warnings: list[str] = []
    groups: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    first_spelling: dict[str, str] = {}
    for number, row in data.rows:
        ref = cell_text(row.get("call_ref", ""))
        if not ref:
            problems.append(RowProblem(number, "call_ref", "the call reference is missing"))
            continue
        key = ref.casefold()
        first_spelling.setdefault(key, ref)
        groups.setdefault(key, []).append((number, row))
    calls: list[Call] = []
    total = len(groups)
    for done, (key, rows) in enumerate(groups.items(), start=1):
        if done % 2000 == 0:
            if is_cancelled is not None and is_cancelled():
                raise ImportRefused([RowProblem(0, "", "The import was cancelled.")],
                                    "The import was cancelled. Nothing was changed.")
            if progress is not None:
                progress(done, total)
        call = _parse_group(first_spelling[key], rows, labels, buildings, problems)
        if call is not None:
            calls.append(call)
            kinds = immigration_findings(call.description)
            if kinds:
                warnings.append(
                    f"row {rows[0][0]}: the description of call {call.ref} appears to record "
                    f"{', '.join(kinds)} (RCW 10.93.160); please correct it in SRO Desk."
                )
    if problems:
        raise ImportRefused(problems)
    return calls, warnings


def _parse_group(
    ref: str,
    rows: list[tuple[int, dict[str, Any]]],
    labels: CallLabels,
    buildings: Mapping[str, str],
    problems: list[RowProblem],
) -> Call | None:
    before = len(problems)
    first_number, first = rows[0]

    def bad(number: int, column: str, message: str) -> None:
        problems.append(RowProblem(number, column, message))

    for number, row in rows[1:]:
        for column in _CALL_LEVEL:
            if cell_text(row.get(column, "")) != cell_text(first.get(column, "")):
                bad(number, column,
                    f"differs from row {first_number} of the same call {ref}; a call's details "
                    "must be the same on every row")
    try:
        occurred_on = parse_entered_date(first.get("date", ""), clock.today())
    except ValueError as error:
        bad(first_number, "date", str(error))
        occurred_on = dt.date.min
    try:
        occurred_at = parse_time(first.get("time", ""))
    except ValueError as error:
        bad(first_number, "time", str(error))
        occurred_at = None
    building_text = cell_text(first.get("building", ""))
    building = buildings.get(building_text.casefold())
    if building is None:
        bad(first_number, "building",
            f"'{building_text}' is not a building set up in SRO Desk" if building_text
            else "the building is missing")
    for column, kind in (("location", LabelKind.LOCATION),
                         ("initiated_by", LabelKind.INITIATED_BY),
                         ("offense_type", LabelKind.OFFENSE_TYPE)):
        try:
            labels.canonical(kind, first.get(column, ""))
        except ValueError as error:
            bad(first_number, column, str(error))
    try:
        emergency = parse_yes_no(first.get("emergency", ""))
    except ValueError as error:
        bad(first_number, "emergency", str(error))
        emergency = False
    description = cell_text(first.get("description", ""))
    if len(description) > MAX_DESCRIPTION_LENGTH:
        bad(first_number, "description",
            f"the description has {len(description):,} characters; the limit is "
            f"{MAX_DESCRIPTION_LENGTH:,}")
    students: list[InvolvedStudent] = []
    own_outcome: str | None = None
    for number, row in rows:
        has_student = any(cell_text(row.get(c, "")) for c in _STUDENT_MARKERS)
        outcome_text = cell_text(row.get("outcome", ""))
        try:
            outcome = labels.canonical(LabelKind.OUTCOME, outcome_text)
        except ValueError as error:
            bad(number, "outcome", str(error))
            outcome = ""
        if not has_student:
            if len(rows) > 1:
                bad(number, "student_age",
                    f"call {ref} has students on other rows; a call without students is one "
                    "row with the student columns empty")
            own_outcome = outcome
            continue
        student = _parse_student(number, row, outcome, labels, bad)
        if student is not None:
            students.append(student)
    if len(problems) > before or building is None:
        return None
    try:
        return make_call(
            ref=ref, occurred_on=occurred_on, occurred_at=occurred_at, building=building,
            location=str(first.get("location", "")), initiated_by=str(first.get("initiated_by", "")),
            emergency=emergency, offense_type=str(first.get("offense_type", "")),
            description=description, students=students, own_outcome=own_outcome, labels=labels,
        )
    except ValidationError as error:
        for message in error.problems:
            bad(first_number, "", message)
        return None


def _parse_student(number: int, row: Mapping[str, Any], outcome: str, labels: CallLabels,
                   bad: Any) -> InvolvedStudent | None:
    ok = True
    try:
        age = _parse_age(row.get("student_age", ""))
        if not 5 <= age <= 22:
            bad(number, "student_age", f"age {age} is outside 5–22")
            ok = False
    except ValueError as error:
        bad(number, "student_age", str(error))
        age, ok = 0, False
    texts: dict[str, str] = {}
    for column, kind in (("student_gender", LabelKind.GENDER), ("student_race", LabelKind.RACE)):
        try:
            texts[column] = labels.canonical(kind, row.get(column, ""))
        except ValueError as error:
            bad(number, column, str(error))
            ok = False
    flags: dict[str, bool] = {}
    for column in ("student_iep", "student_504", "use_of_force", "discipline"):
        try:
            flags[column] = parse_yes_no(row.get(column, ""))
        except ValueError as error:
            bad(number, column, str(error))
            ok = False
    if not ok or not outcome:
        return None
    return InvolvedStudent(
        age=age, gender=texts["student_gender"], race=texts["student_race"],
        iep=flags["student_iep"], section_504=flags["student_504"], outcome=outcome,
        use_of_force=flags["use_of_force"], discipline=flags["discipline"],
    )


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def import_calls(
    path: Path | str,
    *,
    column_map: Mapping[str, str] | None = None,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> CallImportResult:
    """Read, check and insert every call in the file in one transaction, or nothing."""
    path = Path(path)

    def phase(offset: int, span: int) -> Progress | None:
        if progress is None:
            return None
        report = progress
        return lambda done, total: report(offset + (span * done) // max(total, 1), 100)

    data = _apply_mapping(read_table(path, progress=phase(0, 40), is_cancelled=is_cancelled),
                          column_map)
    labels = call_labels()
    buildings: dict[str, str] = {}
    from sro_desk.store import roster_repo

    for b in roster_repo.list_buildings():
        buildings[b.name.strip().casefold()] = b.name
        if b.code:
            buildings.setdefault(b.code.strip().casefold(), b.name)
    calls, warnings = parse_calls(data, labels, buildings, progress=phase(40, 20),
                                  is_cancelled=is_cancelled)
    first_row: dict[str, int] = {}
    for number, row in data.rows:
        first_row.setdefault(cell_text(row.get("call_ref", "")).casefold(), number)
    duplicates = call_repo.existing_refs(c.ref for c in calls)
    if duplicates:
        raise ImportRefused([
            RowProblem(first_row.get(c.ref.casefold(), 0), "call_ref",
                       f"call {c.ref} is already in the database (a duplicate); it was not "
                       "imported twice")
            for c in calls if c.ref.casefold() in duplicates
        ])
    try:
        call_repo.insert_imported_calls(
            calls, source=path.name, file_sha256=_sha256(path), progress=phase(60, 40),
            is_cancelled=is_cancelled,
        )
    except InterruptedError:
        raise ImportRefused([RowProblem(0, "", "The import was cancelled.")],
                            "The import was cancelled. Nothing was changed.") from None
    except RuleViolation as error:
        raise ImportRefused([RowProblem(0, "", str(error))]) from None
    if progress is not None:
        progress(100, 100)
    return CallImportResult(len(calls), sum(len(c.students) for c in calls), tuple(warnings))
