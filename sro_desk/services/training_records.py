"""Training records as the training dialogs edit them (the UI talks to services only)."""

from __future__ import annotations

import datetime as dt

from sro_desk.domain.attachments import AttachmentInfo
from sro_desk.domain.training import EsdDocumentation, TrainingCompletion, TrainingWaiver
from sro_desk.store import training_repo
from sro_desk.store.training_repo import CompletionInput, EvidenceFile

__all__ = [
    "CompletionInput",
    "EvidenceFile",
    "add_evidence",
    "attach_esd_document",
    "attach_waiver_document",
    "completion_evidence",
    "confirm_esd_documentation",
    "delete_completion",
    "delete_esd_documentation",
    "delete_waiver",
    "list_completions",
    "list_esd_documentation",
    "list_waivers",
    "unverify_completion",
    "update_completion",
    "verify_completion",
]


def list_completions(staff_id: int | None = None) -> list[TrainingCompletion]:
    """Completion records (all, or one person's), oldest first; two queries in all."""
    return training_repo.list_completions(staff_id)


def update_completion(completion_id: int, item: CompletionInput, *, reason: str = '') -> TrainingCompletion:
    """Change a record's details. A verified record loses its verification: what was verified"""
    return training_repo.update_completion(completion_id, item, reason=reason)


def verify_completion(completion_id: int, verifier: str, at: dt.datetime | None = None) -> TrainingCompletion:
    """Mark a claimed record verified by ``verifier`` now: from then on it counts."""
    return training_repo.verify_completion(completion_id, verifier, at)


def unverify_completion(completion_id: int, reason: str) -> TrainingCompletion:
    """Withdraw a verification (for example, the certificate turned out to be for someone else)."""
    return training_repo.unverify_completion(completion_id, reason)


def delete_completion(completion_id: int, reason: str) -> None:
    training_repo.delete_completion(completion_id, reason)


def add_evidence(completion_id: int, file: EvidenceFile) -> AttachmentInfo:
    """Attach one more evidence file (validated: PDF or image, content matches name, ≤ 25 MB)."""
    return training_repo.add_evidence(completion_id, file)


def completion_evidence(completion_id: int) -> list[AttachmentInfo]:
    return training_repo.completion_evidence(completion_id)


def list_waivers(staff_id: int | None = None) -> list[TrainingWaiver]:
    return training_repo.list_waivers(staff_id)


def delete_waiver(waiver_id: int, reason: str) -> None:
    training_repo.delete_waiver(waiver_id, reason)


def attach_waiver_document(waiver_id: int, document: EvidenceFile) -> TrainingWaiver:
    return training_repo.attach_waiver_document(waiver_id, document)


def list_esd_documentation(staff_id: int | None = None) -> list[EsdDocumentation]:
    return training_repo.list_esd_documentation(staff_id)


def confirm_esd_documentation(esd_id: int, confirmer: str, at: dt.datetime | None = None) -> EsdDocumentation:
    return training_repo.confirm_esd_documentation(esd_id, confirmer, at)


def attach_esd_document(esd_id: int, document: EvidenceFile) -> EsdDocumentation:
    """Attach (or replace) the scanned ESD documentation."""
    return training_repo.attach_esd_document(esd_id, document)


def delete_esd_documentation(esd_id: int, reason: str) -> None:
    training_repo.delete_esd_documentation(esd_id, reason)
