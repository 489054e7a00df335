"""Calls for law enforcement service: reading, audited saving, and all-or-nothing bulk import.

Single calls entered by hand go through ``audited_create``/``audited_update`` like every other
record. A file import writes tens of thousands of rows, so it writes one audit entry for the whole
file (its name, SHA-256, the number of calls and students, and every call_ref) in the same
transaction: the trail still says exactly what arrived, when, and from which file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sro_desk import clock
from sro_desk.domain.audit import AuditAction
from sro_desk.domain.calls import Call, CallLabels, InvolvedStudent, LabelKind, call_problems
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.store.audit import audited_create, audited_delete, audited_update, write_entry
from sro_desk.store.base import database_proxy
from sro_desk.store.call_records import CallLabelRecord, CallRecord, CallStudentRecord
from sro_desk.store.foundation_records import BuildingRecord

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
_BATCH = 500


def building_ids() -> dict[str, int]:
    """Building id by lower-cased name and by lower-cased short code."""
    found: dict[str, int] = {}
    for row in BuildingRecord.select(BuildingRecord.id, BuildingRecord.name, BuildingRecord.code):
        found[row.name.strip().casefold()] = row.id
        if row.code:
            found.setdefault(row.code.strip().casefold(), row.id)
    return found


def _building_names() -> dict[int, str]:
    return {row.id: row.name for row in BuildingRecord.select(BuildingRecord.id,
                                                              BuildingRecord.name)}


def _student(row: Any) -> InvolvedStudent:
    return InvolvedStudent(
        age=row.age, gender=row.gender, race=row.race, iep=bool(row.iep),
        section_504=bool(row.section_504), outcome=row.outcome,
        use_of_force=bool(row.use_of_force), discipline=bool(row.discipline),
    )


def _call(row: Any, building: str, students: tuple[InvolvedStudent, ...]) -> Call:
    return Call(
        id=row.id, ref=row.ref, occurred_on=row.occurred_on, occurred_at=row.occurred_at,
        building=building, location=row.location, initiated_by=row.initiated_by,
        emergency=bool(row.emergency), offense_type=row.offense_type,
        description=row.description, students=students, outcome=row.outcome,
    )


def list_calls(start: dt.date | None = None, end: dt.date | None = None) -> list[Call]:
    """Every call in the date range (inclusive), oldest first, students attached.

    Two plain queries and a join in Python: fast on tens of thousands of calls.
    """
    names = _building_names()
    calls = CallRecord.select().order_by(CallRecord.occurred_on, CallRecord.occurred_at,
                                         CallRecord.id)
    students = (CallStudentRecord.select().join(CallRecord)
                .order_by(CallStudentRecord.call, CallStudentRecord.position))
    if start is not None:
        calls = calls.where(CallRecord.occurred_on >= start)
        students = students.where(CallRecord.occurred_on >= start)
    if end is not None:
        calls = calls.where(CallRecord.occurred_on <= end)
        students = students.where(CallRecord.occurred_on <= end)
    by_call: dict[int, list[InvolvedStudent]] = {}
    for srow in students.objects().iterator():
        by_call.setdefault(srow.call_id, []).append(_student(srow))
    return [
        _call(row, names.get(row.building_id, ""), tuple(by_call.get(row.id, ())))
        for row in calls.iterator()
    ]


def get_call(call_id: int) -> Call:
    row = CallRecord.get_or_none(CallRecord.id == call_id)
    if row is None:
        raise NotFound(f"Call {call_id} does not exist.")
    students = tuple(
        _student(s) for s in
        CallStudentRecord.select().where(CallStudentRecord.call == row.id)
        .order_by(CallStudentRecord.position)
    )
    return _call(row, row.building.name, students)


def call_count() -> int:
    return int(CallRecord.select().count())


def call_date_range() -> tuple[dt.date, dt.date] | None:
    """The first and last call dates, or ``None`` when no call is recorded."""
    from peewee import fn

    first, last = CallRecord.select(fn.MIN(CallRecord.occurred_on),
                                    fn.MAX(CallRecord.occurred_on)).scalar(as_tuple=True)
    if first is None:
        return None
    if isinstance(first, str):
        first, last = dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    return first, last


def existing_refs(refs: Iterable[str]) -> set[str]:
    """Which of ``refs`` are already in the database (compared case-insensitively)."""
    wanted = {r.strip().casefold() for r in refs}
    found: set[str] = set()
    for row in CallRecord.select(CallRecord.ref).iterator():
        if row.ref.casefold() in wanted:
            found.add(row.ref.casefold())
    return found


def _call_fields(call: Call, building_id: int) -> dict[str, Any]:
    return {
        "ref": call.ref, "occurred_on": call.occurred_on, "occurred_at": call.occurred_at,
        "building": building_id, "location": call.location, "initiated_by": call.initiated_by,
        "emergency": call.emergency, "offense_type": call.offense_type,
        "description": call.description, "outcome": call.outcome,
    }


def _student_fields(call_id: int, position: int, s: InvolvedStudent) -> dict[str, Any]:
    return {
        "call": call_id, "position": position, "age": s.age, "gender": s.gender, "race": s.race,
        "iep": s.iep, "section_504": s.section_504, "outcome": s.outcome,
        "use_of_force": s.use_of_force, "discipline": s.discipline,
    }


def _resolve_building(name: str) -> int:
    building_id = building_ids().get(name.strip().casefold())
    if building_id is None:
        raise ValidationError(f"'{name}' is not a building set up in SRO Desk.")
    return building_id


def save_call(call: Call, labels: CallLabels, *, reason: str = "") -> Call:
    """Create or update one call and its students, audited, in one transaction."""
    problems = call_problems(call, labels)
    if problems:
        raise ValidationError(problems)
    building_id = _resolve_building(call.building)
    with database_proxy.atomic():
        clash = CallRecord.get_or_none(CallRecord.ref == call.ref)
        if clash is not None and clash.id != call.id:
            raise RuleViolation(f"A call with the reference {call.ref} is already recorded.")
        if call.id is None:
            row = audited_create(CallRecord, reason=reason, **_call_fields(call, building_id))
        else:
            found = CallRecord.get_or_none(CallRecord.id == call.id)
            if found is None:
                raise NotFound(f"Call {call.id} does not exist.")
            row = audited_update(found, reason=reason, **_call_fields(call, building_id))
        old = list(CallStudentRecord.select().where(CallStudentRecord.call == row.id)
                   .order_by(CallStudentRecord.position))
        for position, student in enumerate(call.students):
            fields = _student_fields(row.id, position, student)
            if position < len(old):
                audited_update(old[position], reason=reason, **fields)
            else:
                audited_create(CallStudentRecord, reason=reason, **fields)
        for extra in old[len(call.students):]:
            audited_delete(extra, reason=reason)
    return get_call(row.id)


def delete_call(call_id: int, *, reason: str = "") -> None:
    row = CallRecord.get_or_none(CallRecord.id == call_id)
    if row is None:
        raise NotFound(f"Call {call_id} does not exist.")
    with database_proxy.atomic():
        for student in CallStudentRecord.select().where(CallStudentRecord.call == row.id):
            audited_delete(student, reason=reason)
        audited_delete(row, reason=reason)


def insert_imported_calls(
    calls: Sequence[Call],
    *,
    source: str,
    file_sha256: str,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> int:
    """Insert already-validated calls from one file in a single transaction, or none of them.

    Raises ``RuleViolation`` naming duplicates (with the database or within ``calls``) and an
    ``InterruptedError`` when cancelled; either way the transaction rolls back.
    """
    seen: set[str] = set()
    repeated: set[str] = set()
    for call in calls:
        key = call.ref.casefold()
        if key in seen:
            repeated.add(call.ref)
        seen.add(key)
    if repeated:
        raise RuleViolation("These call references appear twice: " + ", ".join(sorted(repeated)[:20]))
    ids = building_ids()
    total = len(calls)
    with database_proxy.atomic():
        already = existing_refs(c.ref for c in calls)
        if already:
            raise RuleViolation(
                "These calls are already in the database: " + ", ".join(sorted(already)[:20])
            )
        db = database_proxy.obj
        call_sql, call_columns = _insert_sql(CallRecord)
        student_sql, student_columns = _insert_sql(CallStudentRecord)
        done = 0
        for start in range(0, total, _BATCH):
            if is_cancelled is not None and is_cancelled():
                raise InterruptedError("The import was cancelled.")
            batch = calls[start:start + _BATCH]
            call_rows = []
            for call in batch:
                building_id = ids.get(call.building.casefold())
                if building_id is None:
                    raise ValidationError(f"'{call.building}' is not a building set up in SRO Desk.")
                fields = _call_fields(call, building_id)
                fields["source"] = source[:200]
                fields["created_at"] = _now()
                call_rows.append(_row_values(call_columns, fields))
            db.cursor().executemany(call_sql, call_rows)
            refs = [c.ref for c in batch]
            marks = ", ".join("?" * len(refs))
            new_ids = dict(db.execute_sql(
                f'SELECT "ref", "id" FROM "{CallRecord._meta.table_name}" '
                f'WHERE "ref" IN ({marks})', refs).fetchall())
            student_rows = [
                _row_values(student_columns, _student_fields(new_ids[call.ref], position, s))
                for call in batch for position, s in enumerate(call.students)
            ]
            if student_rows:
                db.cursor().executemany(student_sql, student_rows)
            done += len(batch)
            if progress is not None:
                progress(done, total)
        write_entry(
            AuditAction.CREATE, "CallImport", source[:200],
            {
                "file": source,
                "sha256": file_sha256,
                "calls": total,
                "students": sum(len(c.students) for c in calls),
                "call_refs": [c.ref for c in calls],
            },
        )
    return total


def _now() -> dt.datetime:
    return clock.now()


def _insert_sql(model: Any) -> tuple[str, list[Any]]:
    """A plain parameterised INSERT for ``model`` (every column but the id), built once.

    peewee's ``insert_many`` rebuilds its SQL expression tree row by row, which dominated a
    60,000-row import; the values still go through each field's own ``db_value``.
    """
    fields = [f for f in model._meta.sorted_fields if f.name != "id"]
    names = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join("?" for _ in fields)
    return f'INSERT INTO "{model._meta.table_name}" ({names}) VALUES ({marks})', fields


def _row_values(fields: list[Any], values: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(_sqlite_text(f.db_value(values[f.name])) for f in fields)


def _sqlite_text(value: Any) -> Any:
    """Dates as the ISO text peewee reads back (sqlite3's implicit date adapters are deprecated)."""
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


# ---------------------------------------------------------------- district labels


def custom_labels() -> dict[LabelKind, tuple[str, ...]]:
    found: dict[LabelKind, list[str]] = {}
    for row in CallLabelRecord.select().order_by(CallLabelRecord.id):
        try:
            kind = LabelKind(row.kind)
        except ValueError:
            continue
        found.setdefault(kind, []).append(row.label)
    return {k: tuple(v) for k, v in found.items()}


def add_custom_label(labels: CallLabels, kind: LabelKind, label: str) -> CallLabels:
    """Add a district offense type or outcome (validated by the domain), audited."""
    updated = labels.with_custom(kind, label)
    audited_create(CallLabelRecord, kind=str(kind), label=updated.labels(kind)[-1],
                   reason="district label added")
    return updated
