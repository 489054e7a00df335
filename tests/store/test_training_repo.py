"""Training store: migration 0002, audited writes, verification, evidence, waivers, ESD documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.training import Delivery, Provider
from sro_desk.store import roster_repo, training_repo
from sro_desk.store.audit import audit_entries, verify_audit_chain
from sro_desk.store.base import database_proxy
from sro_desk.store.database import close_database, open_database
from sro_desk.store.training_records import (
    EsdDocumentationRecord,
    TrainingCompletionRecord,
    TrainingEvidenceRecord,
    TrainingWaiverRecord,
)
from sro_desk.store.training_repo import CompletionInput, EvidenceFile
from tests.training_helpers import PDF_BYTES, PNG_BYTES, make_roster


@pytest.fixture
def ids(tmp_path: Path) -> Iterator[dict[str, int]]:
    open_database(tmp_path / "training.db", daily_backup=False)
    yield make_roster()
    close_database()


def _input(staff_id: int, code: str = "topic_a", **extra: object) -> CompletionInput:
    fields: dict[str, object] = {
        "staff_id": staff_id, "requirement_code": code, "completed_on": dt.date(2026, 10, 1),
        "provider": Provider.ESD, "provider_name": "Olympic ESD 114",
        "delivery": Delivery.IN_PERSON, "hours": 4.0,
    }
    fields.update(extra)
    return CompletionInput(**fields)  # type: ignore[arg-type]


def test_migration_creates_the_tables_the_records_describe(ids: dict[str, int]) -> None:
    db = database_proxy.obj
    for model in (TrainingCompletionRecord, TrainingEvidenceRecord, TrainingWaiverRecord,
                  EsdDocumentationRecord):
        table = model._meta.table_name
        columns = {c.name: c for c in db.get_columns(table)}
        expected = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(expected), table
        for name, field in expected.items():
            assert columns[name].null == field.null, (table, name)
        fks = {(fk.column, fk.dest_table) for fk in db.get_foreign_keys(table)}
        wanted = {(f.column_name, f.rel_model._meta.table_name)
                  for f in model._meta.sorted_fields if hasattr(f, "rel_model")}
        assert fks == wanted, table


def test_claimed_then_verified_with_audit(ids: dict[str, int]) -> None:
    [record] = training_repo.add_completions([_input(ids["sro"])], claimed_by="Maria Lopez")
    assert not record.verified and record.evidence_count == 0
    verified = training_repo.verify_completion(record.id, "Pat Lee",
                                               dt.datetime(2026, 11, 2, 10, 0))
    assert verified.verified and verified.verified_by == "Pat Lee"
    with pytest.raises(RuleViolation, match="already verified by Pat Lee on 2 November 2026"):
        training_repo.verify_completion(record.id, "Someone Else")
    with pytest.raises(RuleViolation, match="who verified"):
        training_repo.verify_completion(record.id, "  ")
    entries = audit_entries("TrainingCompletion", record.id)
    assert [e.action for e in entries] == ["create", "update"]
    assert '"verified_by":["","Pat Lee"]' in entries[1].changes
    undone = training_repo.unverify_completion(record.id, "certificate was for another officer")
    assert not undone.verified
    assert verify_audit_chain() is None


def test_changing_what_was_verified_withdraws_the_verification(ids: dict[str, int]) -> None:
    [record] = training_repo.add_completions([_input(ids["sro"])])
    training_repo.verify_completion(record.id, "Pat Lee")
    notes_only = training_repo.update_completion(record.id, _input(ids["sro"], notes="room 4"))
    assert notes_only.verified  # notes do not change what was verified
    moved = training_repo.update_completion(
        record.id, _input(ids["sro"], completed_on=dt.date(2026, 10, 2)), reason="typo")
    assert not moved.verified


def test_group_entry_is_one_transaction_with_shared_evidence(ids: dict[str, int]) -> None:
    items = [_input(ids[k], code) for k in ("sro", "campus") for code in ("topic_a", "topic_b")]
    saved = training_repo.add_completions(items, [EvidenceFile("sign-in.pdf", PDF_BYTES)])
    assert len(saved) == 4 and all(c.evidence_count == 1 for c in saved)
    evidence = training_repo.completion_evidence(saved[0].id)
    assert evidence[0].filename == "sign-in.pdf" and evidence[0].size == len(PDF_BYTES)
    assert len(evidence[0].sha256) == 64
    # a bad file refuses the whole group: nothing half-saved
    before = TrainingCompletionRecord.select().count()
    with pytest.raises(ValidationError, match="named like a PNG"):
        training_repo.add_completions(items, [EvidenceFile("photo.png", PDF_BYTES)])
    assert TrainingCompletionRecord.select().count() == before
    with pytest.raises(NotFound, match=r"^Staff member 9999 does not exist"):
        training_repo.add_completions([_input(9999)])


def test_evidence_too_large_or_mislabelled_is_refused_in_words(ids: dict[str, int]) -> None:
    [record] = training_repo.add_completions([_input(ids["sro"])])
    with pytest.raises(ValidationError, match="limited to 25 MB"):
        training_repo.add_evidence(record.id, EvidenceFile("big.pdf", b"%PDF-" + b"0" * (25 << 20)))
    with pytest.raises(ValidationError, match="not a PDF or an image"):
        training_repo.add_evidence(record.id, EvidenceFile("notes.docx", b"PK\x03\x04"))
    info = training_repo.add_evidence(record.id, EvidenceFile("card.png", PNG_BYTES))
    assert info.mime_type == "image/png"
    assert training_repo.get_completion(record.id).evidence_count == 1


def test_delete_needs_a_reason_and_staff_with_records_cannot_be_deleted(
    ids: dict[str, int],
) -> None:
    [record] = training_repo.add_completions([_input(ids["sro"])],
                                             [EvidenceFile("a.pdf", PDF_BYTES)])
    with pytest.raises(RuleViolation, match="training completion record"):
        roster_repo.delete_staff(ids["sro"])
    with pytest.raises(RuleViolation, match="reason"):
        training_repo.delete_completion(record.id, "")
    training_repo.delete_completion(record.id, "entered for the wrong person")
    with pytest.raises(NotFound):
        training_repo.get_completion(record.id)
    assert TrainingEvidenceRecord.select().count() == 0
    assert audit_entries("TrainingCompletion", record.id)[-1].action == "delete"


def test_waivers_one_per_requirement(ids: dict[str, int]) -> None:
    waiver = training_repo.add_waiver(ids["campus"], "topic_g", dt.date(2026, 9, 1),
                                      "Olympic ESD 114", "Prior POST training",
                                      EvidenceFile("waiver.pdf", PDF_BYTES))
    assert waiver.has_document and training_repo.waiver_document_id(waiver.id)
    with pytest.raises(RuleViolation, match=r"already recorded \(dated 1 September 2026\)"):
        training_repo.add_waiver(ids["campus"], "topic_g", dt.date(2026, 9, 2), "ESD 112", "x")
    assert [w.id for w in training_repo.list_waivers(ids["campus"])] == [waiver.id]
    training_repo.delete_waiver(waiver.id, "recorded in error")
    assert training_repo.list_waivers() == []


def test_esd_documentation_is_confirmed_only_with_the_document(ids: dict[str, int]) -> None:
    doc = training_repo.add_esd_documentation(ids["guard"], dt.date(2026, 10, 5), "ESD 112")
    assert not doc.confirmed and not doc.has_document
    with pytest.raises(RuleViolation, match="Attach"):
        training_repo.confirm_esd_documentation(doc.id, "Pat Lee")
    training_repo.attach_esd_document(doc.id, EvidenceFile("series.pdf", PDF_BYTES))
    confirmed = training_repo.confirm_esd_documentation(doc.id, "Pat Lee")
    assert confirmed.confirmed and confirmed.has_document
    assert training_repo.list_esd_documentation(ids["guard"])[0].confirmed_by == "Pat Lee"
