"""Call repository: audited saves, bulk import all-or-nothing, labels, and the migration."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.calls import Call, CallLabels, InvolvedStudent, LabelKind, make_call
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.roster import Building
from sro_desk.services.calls_import import builtin_labels, call_labels
from sro_desk.store import call_repo, roster_repo
from sro_desk.store.audit import audit_entries, verify_audit_chain
from sro_desk.store.call_records import CallRecord, CallStudentRecord
from sro_desk.store.database import close_database, open_database


@pytest.fixture
def db(tmp_path: Path) -> Iterator[None]:
    open_database(tmp_path / "calls.db", daily_backup=False)
    roster_repo.save_building(Building(None, "North High", "NHS"))
    roster_repo.save_building(Building(None, "Elm Elementary", "ELM"))
    yield
    close_database()


@pytest.fixture
def labels() -> CallLabels:
    return builtin_labels()


def a_call(labels: CallLabels, ref: str = "C-1", students: int = 2, **kw: object) -> Call:
    kids = [InvolvedStudent(14 + i, "male", "White", i == 0, False,
                            "arrest" if i == 1 else "handled informally", False, i == 0)
            for i in range(students)]
    args: dict[str, object] = dict(
        ref=ref, occurred_on=dt.date(2025, 11, 3), occurred_at=dt.time(9, 30),
        building="North High", location="on campus", initiated_by="SRO", emergency=True,
        offense_type="weapon possession", description="=HYPERLINK(\"x\")", students=kids,
        own_outcome="no action", labels=labels,
    )
    args.update(kw)
    return make_call(**args)  # type: ignore[arg-type]


def test_save_read_update_delete_is_audited(db: None, labels: CallLabels) -> None:
    saved = call_repo.save_call(a_call(labels), labels, reason="entered")
    assert saved.id is not None
    assert saved.building == "North High" and saved.outcome == "arrest"
    assert call_repo.get_call(saved.id) == saved
    assert call_repo.list_calls() == [saved]
    fewer = dataclasses.replace(saved, students=saved.students[:1], outcome="handled informally",
                                description="Knife found in a backpack.")
    updated = call_repo.save_call(fewer, labels, reason="corrected")
    assert updated.students == saved.students[:1]
    assert CallStudentRecord.select().count() == 1
    types = {e.record_type for e in audit_entries()}
    assert {"Call", "CallStudent"} <= types
    call_repo.delete_call(saved.id, reason="entered twice")
    assert call_repo.call_count() == 0 and CallStudentRecord.select().count() == 0
    assert verify_audit_chain() is None
    with pytest.raises(NotFound):
        call_repo.get_call(saved.id)


def test_refuses_unknown_building_and_duplicate_ref(db: None, labels: CallLabels) -> None:
    call_repo.save_call(a_call(labels), labels)
    with pytest.raises(RuleViolation, match="already recorded"):
        call_repo.save_call(a_call(labels), labels)
    with pytest.raises(ValidationError, match="not a building"):
        call_repo.save_call(a_call(labels, ref="C-2", building="Nowhere"), labels)
    forged = dataclasses.replace(a_call(labels, ref="C-3"), outcome="no action")
    with pytest.raises(ValidationError, match="most serious"):
        call_repo.save_call(forged, labels)


def test_date_range_filter(db: None, labels: CallLabels) -> None:
    for i, day in enumerate((dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2026, 6, 30))):
        call_repo.save_call(a_call(labels, ref=f"D{i}", occurred_on=day), labels)
    got = call_repo.list_calls(dt.date(2025, 7, 1), dt.date(2026, 6, 30))
    assert [c.ref for c in got] == ["D1", "D2"]
    assert all(len(c.students) == 2 for c in got)


def test_bulk_insert_is_one_transaction_with_one_audit_entry(db: None, labels: CallLabels) -> None:
    calls = [a_call(labels, ref=f"B{i}", students=i % 3) for i in range(1200)]
    count = call_repo.insert_imported_calls(calls, source="sis.csv", file_sha256="ab" * 32)
    assert count == 1200 and call_repo.call_count() == 1200
    assert CallStudentRecord.select().count() == sum(i % 3 for i in range(1200))
    imports = audit_entries("CallImport")
    assert len(imports) == 1 and "B1199" in imports[0].changes
    with pytest.raises(RuleViolation, match="already in the database"):
        call_repo.insert_imported_calls([a_call(labels, ref="B5"), a_call(labels, ref="new")],
                                        source="again.csv", file_sha256="cd" * 32)
    assert call_repo.call_count() == 1200


def test_cancelled_bulk_insert_leaves_nothing(db: None, labels: CallLabels) -> None:
    calls = [a_call(labels, ref=f"X{i}") for i in range(1500)]
    seen: list[int] = []

    def cancel() -> bool:
        return len(seen) >= 2

    with pytest.raises(InterruptedError):
        call_repo.insert_imported_calls(calls, source="f.csv", file_sha256="0" * 64,
                                        progress=lambda d, t: seen.append(d),
                                        is_cancelled=cancel)
    assert CallRecord.select().count() == 0 and CallStudentRecord.select().count() == 0


def test_district_labels_extend_but_do_not_change_builtins(db: None) -> None:
    labels = call_labels()
    call_repo.add_custom_label(labels, LabelKind.OUTCOME, "restorative circle")
    again = call_labels()
    assert again.labels(LabelKind.OUTCOME)[-1] == "restorative circle"
    assert again.labels(LabelKind.OUTCOME)[:8] == labels.labels(LabelKind.OUTCOME)
    with pytest.raises(RuleViolation):
        call_repo.add_custom_label(again, LabelKind.RACE, "Other")
    with pytest.raises(ValidationError):
        call_repo.add_custom_label(again, LabelKind.OUTCOME, "Arrest")
