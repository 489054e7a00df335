"""Training use cases: the district's catalog, the compliance matrix, clearance, recording and
verifying completions, waivers and ESD documentation. No Qt.

``clearance_by_staff(as_of)`` is the contract other features use (the agreements checklist's
training item, the roster's status column).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from sro_desk.domain.attachments import check_attachment
from sro_desk.domain.errors import NotFound, RuleViolation, ValidationError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.domain.roster import StaffMember, StaffStatus
from sro_desk.domain.training import (
    ComplianceMatrix,
    Delivery,
    EsdDocumentation,
    ExpiryThresholds,
    PersonTraining,
    Provider,
    StaffClearance,
    TrainingCompletion,
    TrainingPerson,
    TrainingWaiver,
    VerificationRecord,
    build_matrix,
    completion_problems,
    esd_documentation_problems,
    person_from_staff,
    waiver_problems,
)
from sro_desk.domain.training_catalog import (
    DistrictCertification,
    RequirementSetting,
    TrainingCatalog,
    apply_district_settings,
    load_catalog,
    setting_problems,
)
from sro_desk.store import roster_repo, training_repo
from sro_desk.store.base import database_proxy
from sro_desk.store.settings import district_name, get_setting, set_setting
from sro_desk.store.training_repo import CompletionInput, EvidenceFile

SETTING_REQUIREMENTS = "training.requirement_settings"
SETTING_ADDED = "training.added_certifications"
SETTING_THRESHOLDS = "training.alert_thresholds"
MAX_EVIDENCE_BYTES = 25 * 1024 * 1024

Progress = Callable[[int, int], None]


# ---------------------------------------------------------------- catalog and settings


@lru_cache(maxsize=1)
def base_catalog() -> TrainingCatalog:
    """The shipped catalog (resources/catalogs/training_requirements.json)."""
    from sro_desk.paths import resource_text

    return load_catalog(json.loads(resource_text("catalogs", "training_requirements.json")))


def _setting_from_json(item: dict[str, Any]) -> RequirementSetting:
    roles = item.get("roles")
    employers = item.get("employer_kinds")
    return RequirementSetting(
        code=str(item["code"]),
        required=bool(item.get("required", True)),
        reason=str(item.get("reason", "")),
        renewal_months=item.get("renewal_months"),
        once=bool(item.get("once", False)),
        roles=frozenset(roles) if roles is not None else None,
        employer_kinds=frozenset(employers) if employers is not None else None,
    )


def _setting_to_json(setting: RequirementSetting) -> dict[str, Any]:
    return {
        "code": setting.code,
        "required": setting.required,
        "reason": setting.reason.strip(),
        "renewal_months": setting.renewal_months,
        "once": setting.once,
        "roles": sorted(setting.roles) if setting.roles is not None else None,
        "employer_kinds": (
            sorted(setting.employer_kinds) if setting.employer_kinds is not None else None
        ),
    }


def _cert_from_json(item: dict[str, Any]) -> DistrictCertification:
    return DistrictCertification(
        code=str(item["code"]), name=str(item["name"]),
        description=str(item.get("description", "")),
        renewal_months=item.get("renewal_months"),
        initial_due_months=int(item.get("initial_due_months", 0)),
        roles=frozenset(item.get("roles") or ()),
        employer_kinds=frozenset(item.get("employer_kinds") or ()),
        hours=item.get("hours"),
    )


def _damaged(what: str) -> ValidationError:
    return ValidationError(
        f"The saved {what} cannot be read (the database may have been edited by hand). "
        "Restore a backup, or set them again under Requirements & alerts."
    )


def requirement_settings() -> list[RequirementSetting]:
    try:
        return [_setting_from_json(i) for i in get_setting(SETTING_REQUIREMENTS, []) or []]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged("training requirement settings") from None


def added_certifications() -> list[DistrictCertification]:
    try:
        return [_cert_from_json(i) for i in get_setting(SETTING_ADDED, []) or []]
    except (KeyError, TypeError, ValueError, AttributeError):
        raise _damaged("district certifications") from None


def district_catalog() -> TrainingCatalog:
    """The catalog as this district uses it: shipped data plus its audited settings."""
    return apply_district_settings(base_catalog(), requirement_settings(), added_certifications())


def save_requirement_setting(setting: RequirementSetting, *, reason: str) -> TrainingCatalog:
    """Change one requirement (audited with ``reason``); refused in words when not allowed."""
    catalog = apply_district_settings(base_catalog(), (), added_certifications())
    problems = setting_problems(catalog, setting)
    if not reason.strip():
        problems.append("Give the reason for the change; it is kept in the audit trail.")
    if problems:
        raise ValidationError(problems)
    others = [s for s in requirement_settings() if s.code != setting.code]
    stored = [_setting_to_json(s) for s in [*others, setting]]
    set_setting(SETTING_REQUIREMENTS, stored, reason=reason.strip())
    return district_catalog()


def add_district_certification(cert: DistrictCertification, *, reason: str) -> TrainingCatalog:
    current = added_certifications()
    apply_district_settings(base_catalog(), requirement_settings(), [*current, cert])
    stored = [
        {"code": c.code, "name": c.name.strip(), "description": c.description.strip(),
         "renewal_months": c.renewal_months, "initial_due_months": c.initial_due_months,
         "roles": sorted(c.roles), "employer_kinds": sorted(c.employer_kinds),
         "hours": c.hours}
        for c in [*current, cert]
    ]
    set_setting(SETTING_ADDED, stored, reason=reason.strip() or "certification added")
    return district_catalog()


def alert_thresholds() -> ExpiryThresholds:
    days = get_setting(SETTING_THRESHOLDS)
    if not days:
        return ExpiryThresholds()
    try:
        return ExpiryThresholds(tuple(int(d) for d in days))
    except (TypeError, ValueError):
        raise _damaged("alert thresholds") from None


def set_alert_thresholds(days: Sequence[int], *, reason: str = "") -> ExpiryThresholds:
    try:
        thresholds = ExpiryThresholds(tuple(days))
    except ValueError as error:
        raise ValidationError(str(error)) from None
    set_setting(SETTING_THRESHOLDS, list(thresholds.days), reason=reason)
    return thresholds


# ---------------------------------------------------------------- the matrix and clearance


def training_people(staff: Sequence[StaffMember] | None = None) -> list[TrainingPerson]:
    return [person_from_staff(s) for s in (staff if staff is not None else roster_repo.list_staff())]


def compliance_matrix(
    as_of: dt.date, *, catalog: TrainingCatalog | None = None,
    thresholds: ExpiryThresholds | None = None,
) -> ComplianceMatrix:
    """Everyone on the roster against every requirement, on ``as_of``. Five queries in all."""
    catalog = catalog or district_catalog()
    return build_matrix(
        training_people(),
        catalog.requirements,
        training_repo.list_completions(),
        training_repo.list_waivers(),
        training_repo.list_esd_documentation(),
        as_of,
        thresholds or alert_thresholds(),
    )


def clearance_by_staff(as_of: dt.date) -> dict[int, StaffClearance]:
    """Cleared-to-work state of every roster entry on ``as_of``, keyed by staff record id."""
    return compliance_matrix(as_of).clearances()


def person_training(staff_id: int, as_of: dt.date) -> PersonTraining:
    staff = roster_repo.get_staff(staff_id)
    catalog = district_catalog()
    matrix = build_matrix(
        [person_from_staff(staff)], catalog.requirements,
        training_repo.list_completions(staff_id), training_repo.list_waivers(staff_id),
        training_repo.list_esd_documentation(staff_id), as_of, alert_thresholds(),
    )
    return matrix.rows[0]


# ---------------------------------------------------------------- evidence files


def read_evidence(path: Path | str) -> EvidenceFile:
    """Read and check an evidence file before any transaction starts; refused in words."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise ValidationError(f"{path.name} could not be read: {error.strerror or error}.") from None
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(
            f"{path.name} is {size / 1024 / 1024:.1f} MB; evidence files are limited to 25 MB."
        )
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(f"{path.name} could not be read: {error.strerror or error}.") from None
    check_attachment(path.name, data)
    return EvidenceFile(path.name, data)


# ---------------------------------------------------------------- recording and verifying


@dataclass(frozen=True, slots=True)
class Saved:
    """What a save produced, plus warnings to show (the RCW 10.93.160 text guard)."""

    completions: tuple[TrainingCompletion, ...]
    warnings: tuple[str, ...] = ()


def _check_inputs(items: Sequence[CompletionInput], catalog: TrainingCatalog,
                  today: dt.date) -> list[str]:
    problems: list[str] = []
    names = {s.id: s.sort_name for s in roster_repo.list_staff()}
    for item in items:
        who = names.get(item.staff_id)
        if who is None:
            problems.append(f"Staff member {item.staff_id} does not exist.")
            continue
        try:
            requirement = catalog.get(item.requirement_code)
        except NotFound as err:
            problems.append(str(err))
            continue
        found = completion_problems(
            requirement, item.completed_on, item.provider, item.provider_name, item.hours,
            item.mentor, item.mentor_school, today,
        )
        prefix = f"{who}, {requirement.column_title}: " if len(items) > 1 else ""
        problems.extend(prefix + p for p in found if prefix + p not in problems)
    return problems


def record_completions(
    items: Sequence[CompletionInput],
    evidence: Sequence[EvidenceFile] = (),
    *,
    today: dt.date,
    claimed_by: str = "",
) -> Saved:
    """Record one or many completions as one transaction; every problem is reported at once and
    nothing is saved unless all of it can be."""
    if not items:
        raise ValidationError("Choose at least one person and one requirement.")
    problems = _check_inputs(items, district_catalog(), today)
    for file in evidence:
        try:
            check_attachment(file.filename, file.data)
        except ValidationError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    saved = training_repo.add_completions(items, evidence, claimed_by=claimed_by)
    warning = immigration_warning(items[0].notes)
    return Saved(tuple(saved), (warning,) if warning else ())


def record_group(
    staff_ids: Sequence[int],
    requirement_codes: Sequence[str],
    completed_on: dt.date,
    provider: Provider,
    provider_name: str,
    delivery: Delivery,
    hours: float | None,
    notes: str,
    evidence: Sequence[EvidenceFile] = (),
    *,
    today: dt.date,
    claimed_by: str = "",
) -> Saved:
    """"These 9 people completed topics (a)–(f) at the ESD session on this date": one
    transaction, one record per person and requirement, the sign-in sheet linked to each."""
    if not staff_ids or not requirement_codes:
        raise ValidationError("Choose at least one person and one requirement.")
    items = [
        CompletionInput(sid, code, completed_on, provider, provider_name, delivery, hours, notes)
        for sid in dict.fromkeys(staff_ids)
        for code in dict.fromkeys(requirement_codes)
    ]
    return record_completions(items, evidence, today=today, claimed_by=claimed_by)


def verify_completions(completion_ids: Sequence[int], verifier: str) -> list[TrainingCompletion]:
    """Verify several claimed records at once (all or none)."""
    with database_proxy.atomic():
        return [training_repo.verify_completion(i, verifier) for i in completion_ids]


def record_waiver(
    staff_id: int, requirement_code: str, waived_on: dt.date | None, issuing_esd: str,
    reason: str, document: EvidenceFile | None, *, today: dt.date,
) -> TrainingWaiver:
    requirement = district_catalog().get(requirement_code)
    problems = waiver_problems(requirement, waived_on, issuing_esd, reason, today)
    if problems or waived_on is None:
        raise ValidationError(problems)
    return training_repo.add_waiver(staff_id, requirement_code, waived_on, issuing_esd, reason,
                                    document)


def record_esd_documentation(
    staff_id: int, received_on: dt.date | None, issuing_esd: str,
    document: EvidenceFile | None, *, today: dt.date, notes: str = "",
) -> EsdDocumentation:
    problems = esd_documentation_problems(received_on, issuing_esd, today)
    if problems or received_on is None:
        raise ValidationError(problems)
    return training_repo.add_esd_documentation(staff_id, received_on, issuing_esd, document,
                                               notes=notes)


def confirm_esd_documentation(esd_id: int, confirmer: str) -> EsdDocumentation:
    """Confirm received ESD documentation (it needs its document); it then covers the series."""
    return training_repo.confirm_esd_documentation(esd_id, confirmer)


# ---------------------------------------------------------------- activation guard


def activation_warning(staff_id: int, as_of: dt.date) -> StaffClearance | None:
    """The clearance to show when setting this person active needs a reason, else ``None``."""
    row = person_training(staff_id, as_of)
    return None if row.clearance.cleared else row.clearance


def activate_staff(staff_id: int, *, as_of: dt.date, reason: str = "") -> StaffMember:
    """Set a person active. A person not cleared to work needs a reason (kept in the audit)."""
    warning = activation_warning(staff_id, as_of)
    if warning is not None and not reason.strip():
        raise RuleViolation(
            "This person is not cleared to work: "
            + "; ".join(r.rstrip(".") for r in warning.reasons)
            + ". Give the reason for setting them active anyway; it is kept in the audit trail."
        )
    text = reason.strip()
    if warning is not None:
        text = f"Set active while not cleared for training: {text}"
    return roster_repo.set_staff_status(staff_id, StaffStatus.ACTIVE, reason=text)


# ---------------------------------------------------------------- the verification record


def verification_record(staff_id: int, as_of: dt.date) -> VerificationRecord:
    staff = roster_repo.get_staff(staff_id)
    completions = training_repo.list_completions(staff_id)
    links = training_repo.attachment_ids_by_completion()
    wanted = [a for c in completions for a in links.get(c.id, [])]
    infos = training_repo.attachment_names(wanted)
    return VerificationRecord(
        district=district_name() or "School district",
        as_of=as_of,
        staff=staff,
        catalog=district_catalog(),
        row=person_training(staff_id, as_of),
        completions=tuple(completions),
        waivers=tuple(training_repo.list_waivers(staff_id)),
        esd_documents=tuple(training_repo.list_esd_documentation(staff_id)),
        evidence={
            c.id: tuple(infos[a] for a in links.get(c.id, []) if a in infos) for c in completions
        },
    )


def export_matrix_xlsx(
    dest: Path | str, as_of: dt.date, *, progress: Progress | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    """The compliance matrix workbook (see ``sro_desk.exports.training_xlsx``)."""
    from sro_desk.exports.training_xlsx import write_matrix_xlsx

    catalog = district_catalog()
    matrix = compliance_matrix(as_of, catalog=catalog)
    return write_matrix_xlsx(dest, matrix, catalog, district_name() or "School district",
                             progress=progress, is_cancelled=is_cancelled)


def export_verification_pdf(dest: Path | str, staff_id: int, as_of: dt.date) -> Path:
    """The training verification record the district keeps for one person."""
    from sro_desk.exports.training_pdf import write_verification_pdf

    return write_verification_pdf(dest, verification_record(staff_id, as_of))
