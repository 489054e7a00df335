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
from sro_desk.domain.police_contact import PoliceContact, contact_problems
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
# optional, per involved student (0010): grade, self-identification as collected, police contact
IDENTITY_COLUMNS = ("student_grade", "student_race_detail", "student_hispanic",
                    "student_hispanic_origin")
CONTACT_FLAG_COLUMNS = ("questioned_in_custody", "detained", "consent_search_requested",
                        "searched_person", "searched_belongings")
CONTACT_OPTIONAL_FLAGS = ("attorney_access", "rights_advised")
CONTACT_TEXT_COLUMNS = ("contact_initiated_by", "attorney_exception", "search_by",
                        "search_basis", "force_types", "injury_level", "agency_force_report",
                        "parent_notified_at", "parent_notified_how",
                        "parent_notification_exception")
CONTACT_COLUMNS = (*CONTACT_FLAG_COLUMNS, *CONTACT_OPTIONAL_FLAGS, *CONTACT_TEXT_COLUMNS)
COLUMNS = (*CALL_COLUMNS, *STUDENT_COLUMNS, "outcome", "use_of_force", "discipline",
           *IDENTITY_COLUMNS, *CONTACT_COLUMNS)
REQUIRED = ("call_ref", "date", "building", "location", "initiated_by", "offense_type", "outcome")
# columns that describe a student: any text in one means the row is a student
_STUDENT_TEXT = ("student_age", "student_gender", "student_race", *IDENTITY_COLUMNS,
                 *CONTACT_TEXT_COLUMNS)
# per-student yes/no flags: SIS and dispatch exports write "no" on a row without students,
# so only a "yes" makes the row a student
_STUDENT_FLAGS = ("student_iep", "student_504", "use_of_force", "discipline",
                  *CONTACT_FLAG_COLUMNS, *CONTACT_OPTIONAL_FLAGS)
LIST_SEPARATOR = ";"
_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)

def _example(values: tuple[str, ...], **extra: str) -> tuple[str, ...]:
    """A template row: the first columns in order, then named optional columns."""
    row = dict(zip(COLUMNS, values, strict=False))
    row.update(extra)
    return tuple(row.get(c, "") for c in COLUMNS)


_EXAMPLES = (
    _example(("2025-0142", "2025-10-02", "10:15", "Sequim High School", "on campus", "teacher",
              "no", "fighting without major injury", "Two students fighting at lunch.", "15",
              "male", "White", "no", "no", "returned to school administration", "no", "yes"),
             student_grade="10", student_race_detail="Slavic", student_hispanic="no"),
    _example(("2025-0142", "2025-10-02", "10:15", "Sequim High School", "on campus", "teacher",
              "no", "fighting without major injury", "Two students fighting at lunch.", "16",
              "male", "Hispanic or Latino", "yes", "no", "arrest", "yes", "no"),
             student_grade="11", student_race_detail="Other White", student_hispanic="yes",
             student_hispanic_origin="Mexican, Mexican American or Chicano",
             contact_initiated_by="school staff", questioned_in_custody="yes",
             detained="yes", attorney_access="yes", rights_advised="yes",
             searched_belongings="yes", search_by="officer",
             search_basis="incident to arrest", force_types="handcuffs or other mechanical "
             "restraint", injury_level="none", agency_force_report="WADEPS-2025-00812",
             parent_notified_at="2025-10-02 11:05", parent_notified_how="telephone"),
    _example(("2025-0143", "10/3/2025", "7:40 AM", "Sequim Middle School", "near campus",
              "911 or dispatch", "yes", "traffic or parking", "Car blocking bus lane.", "", "",
              "", "no", "no", "handled informally", "no", "no")),
)

IMPORT_TEMPLATES = (
    TemplateSpec(
        name="calls",
        title="Calls",
        headers=COLUMNS,
        example_rows=_EXAMPLES,
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
            "A row whose student columns are empty and whose yes/no student columns say no "
            "(as many SIS and dispatch exports write) is a call without students.",
            "Optional columns, per student, may be left out or empty (not recorded):",
            "student_grade: PK, K, 1 to 12, post-12 (the CRDC counts K-12 only).",
            "student_race_detail: the detailed race/ethnicity categories the student "
            "self-identified (RCW 28A.300.042), codes or names separated by ';'. "
            "student_hispanic: yes, no, or empty for not collected; student_hispanic_origin: "
            "origins separated by ';'. Rows without detail keep student_race, marked as "
            "collected before detailed categories.",
            "questioned_in_custody, detained, consent_search_requested (RCW 13.40.740): yes/no. "
            "attorney_access: yes if the student had access to an attorney before any waiver; "
            "attorney_exception: imminent threat, when the statutory exception applied.",
            "contact_initiated_by: school staff or officer. rights_advised: yes/no.",
            "searched_person, searched_belongings: yes/no; search_by: school staff, officer, "
            "school staff and officer; search_basis: consent, reasonable suspicion (school "
            "search), probable cause, warrant, incident to arrest, officer safety (frisk).",
            "force_types (RCW 10.118.030): the force types used, separated by ';'; "
            "injury_level: none, minor (no treatment), treated (first aid or medical care), "
            "serious bodily injury, death; agency_force_report: the agency's use-of-force "
            "report reference (WADEPS, due within 30 days).",
            "parent_notified_at: date and time (2025-10-02 14:30); parent_notified_how: in "
            "person, telephone, text message, email, letter; parent_notification_exception: "
            "an exception from the catalog.",
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
        has_student = _is_student_row(row)
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
        student = _parse_student(number, row, outcome, labels, bad, occurred_on)
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


def _says_yes(value: object) -> bool:
    try:
        return bool(parse_yes_no(value)) if cell_text(value) else False
    except ValueError:
        return True  # not yes/no at all: read it as a student row so the problem is reported


def _is_student_row(row: Mapping[str, Any]) -> bool:
    """A student row has a student described, or a per-student flag that says yes."""
    return any(cell_text(row.get(c, "")) for c in _STUDENT_TEXT) or \
        any(_says_yes(row.get(c, "")) for c in _STUDENT_FLAGS)


def _split(value: object) -> list[str]:
    return [part.strip() for part in cell_text(value).split(LIST_SEPARATOR) if part.strip()]


def _parse_identity(number: int, row: Mapping[str, Any], bad: Any) -> tuple[
        str, tuple[str, ...], bool | None, tuple[str, ...], bool]:
    """Grade, detailed races, Hispanic answer and origins; the last item is False on a problem."""
    from sro_desk.domain.calls import GRADES
    from sro_desk.services.incident_rules import detailed_catalog

    catalog = detailed_catalog()
    ok = True
    grade_text = cell_text(row.get("student_grade", ""))
    grade = next((g for g in GRADES if g.casefold() == grade_text.casefold()), grade_text)
    if grade and grade not in GRADES:
        bad(number, "student_grade", f"'{grade_text}' is not a grade (use one of: "
            f"{', '.join(GRADES)})")
        ok = False
    races: list[str] = []
    for text in _split(row.get("student_race_detail", "")):
        code = catalog.find_race(text)
        if code is None:
            bad(number, "student_race_detail",
                f"'{text}' is not a detailed race or ethnicity category")
            ok = False
        elif code in races:
            bad(number, "student_race_detail", f"'{text}' is listed twice")
            ok = False
        else:
            races.append(code)
    hispanic: bool | None = None
    if cell_text(row.get("student_hispanic", "")):
        try:
            hispanic = parse_yes_no(row.get("student_hispanic", ""))
        except ValueError as error:
            bad(number, "student_hispanic", str(error))
            ok = False
    origins: list[str] = []
    for text in _split(row.get("student_hispanic_origin", "")):
        code = catalog.find_origin(text)
        if code is None:
            bad(number, "student_hispanic_origin",
                f"'{text}' is not a Hispanic or Latino origin category")
            ok = False
        else:
            origins.append(code)
    if origins and hispanic is not True:
        bad(number, "student_hispanic_origin",
            "a Hispanic or Latino origin needs student_hispanic to be yes")
        ok = False
    return grade, tuple(races), hispanic, tuple(origins), ok


def _parse_contact(number: int, row: Mapping[str, Any], age: int, on: dt.date,
                   use_of_force: bool, bad: Any) -> tuple[PoliceContact | None, bool]:
    """The structured police contact of a student row; ``None`` when every column is empty."""
    from sro_desk.services.incident_rules import contact_rules

    if not any(cell_text(row.get(c, "")) for c in CONTACT_COLUMNS):
        return None, True
    rules = contact_rules()
    ok = True
    values: dict[str, Any] = {}
    for column in CONTACT_FLAG_COLUMNS:
        try:
            values[column] = parse_yes_no(row.get(column, "")) if cell_text(
                row.get(column, "")) else False
        except ValueError as error:
            bad(number, column, str(error))
            ok = False
    for column, name in (("attorney_access", "attorney_access_before_waiver"),
                         ("rights_advised", "rights_advised")):
        try:
            values[name] = parse_yes_no(row.get(column, "")) if cell_text(
                row.get(column, "")) else None
        except ValueError as error:
            bad(number, column, str(error))
            ok = False
    for column, name in (("contact_initiated_by", "initiated_by"),
                         ("attorney_exception", "attorney_exception"),
                         ("search_by", "search_by"), ("search_basis", "search_basis"),
                         ("injury_level", "injury_level"),
                         ("agency_force_report", "agency_force_report"),
                         ("parent_notified_how", "parent_notified_how"),
                         ("parent_notification_exception", "parent_notification_exception")):
        text = cell_text(row.get(column, ""))
        known = {"initiated_by": rules.initiated_by, "search_by": rules.search_by,
                 "search_basis": rules.search_basis, "injury_level": rules.injury_levels,
                 "parent_notified_how": rules.notification_methods,
                 "parent_notification_exception": rules.notification_exceptions,
                 "attorney_exception": tuple(c for c, _ in rules.attorney_exceptions)}.get(name)
        if known is not None:  # any capitalisation of a catalog value
            text = next((k for k in known if k.casefold() == text.casefold()), text)
        values[name] = text
    force: list[str] = []
    for text in _split(row.get("force_types", "")):
        found = next((f for f in rules.force_types if f.casefold() == text.casefold()), text)
        force.append(found)
    values["force_types"] = tuple(force)
    at_text = row.get("parent_notified_at", "")
    values["parent_notified_at"] = None
    if cell_text(at_text):
        try:
            values["parent_notified_at"] = _parse_datetime(at_text)
        except ValueError as error:
            bad(number, "parent_notified_at", str(error))
            ok = False
    if not ok:
        return None, False
    contact = PoliceContact(**values)
    for message in contact_problems(contact, age, on, rules):
        bad(number, "", message)
        ok = False
    if contact.force_used and not use_of_force:
        bad(number, "use_of_force", "force types are listed, so use_of_force must be yes")
        ok = False
    return contact, ok


def _parse_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value.replace(second=0, microsecond=0)
    text = cell_text(value)
    day_text, _, time_text = text.partition(" ")
    if "T" in day_text:
        day_text, _, time_text = day_text.partition("T")
    day = parse_entered_date(day_text, clock.today())  # the one entry range, domain.dates
    at = parse_time(time_text.strip()) if time_text.strip() else None
    if at is None:
        raise ValueError(f"'{text}' needs a date and a time (2025-10-02 14:30)")
    return dt.datetime.combine(day, at)


def _parse_student(number: int, row: Mapping[str, Any], outcome: str, labels: CallLabels,
                   bad: Any, on: dt.date = dt.date.min) -> InvolvedStudent | None:
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
    grade, races, hispanic, origins, identity_ok = _parse_identity(number, row, bad)
    contact, contact_ok = (None, True)
    if ok:
        contact, contact_ok = _parse_contact(number, row, age, on, flags["use_of_force"], bad)
    if not ok or not outcome or not identity_ok or not contact_ok:
        return None
    return InvolvedStudent(
        age=age, gender=texts["student_gender"], race=texts["student_race"],
        iep=flags["student_iep"], section_504=flags["student_504"], outcome=outcome,
        use_of_force=flags["use_of_force"], discipline=flags["discipline"],
        grade=grade, race_detail=races, hispanic=hispanic, hispanic_origins=origins,
        contact=contact,
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
