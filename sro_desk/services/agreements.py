"""Use cases of the Agreements tab: the checklist judged live, reminders, the new-year rollover,
start-of-year duties, the family handout and the exports. No Qt.

The training item reads ``sro_desk.services.training.clearance_by_staff`` (the Training tab's
contract); everything else comes from this feature's repository and the roster.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from sro_desk.domain.agreements import (
    Agreement,
    AgreementAssessment,
    AgreementFacts,
    AgreementWithChecklist,
    ChecklistEntry,
    ChecklistItemDefinition,
    Reminder,
    ReviewMeeting,
    StaffTrainingGap,
    assess_agreement,
    blank_checklist,
    default_first_day,
    judged_on,
    load_checklist_catalog,
    needs_attention,
    next_school_year,
    roll_forward,
    school_year_end,
    training_as_of,
    worked_during,
)
from sro_desk.domain.errors import NotFound, ValidationError
from sro_desk.domain.roster import ProviderKind, Role, StaffMember, StaffStatus
from sro_desk.domain.start_of_year import (
    DEFAULT_GRACE_DAYS,
    BuildingDuties,
    BuildingStartOfYear,
    building_duties,
    validate_start_of_year,
)
from sro_desk.domain.start_of_year_handout import (
    HandoutContent,
    render_handout,
    validate_template,
)
from sro_desk.domain.training import StaffClearance
from sro_desk.paths import resource_text
from sro_desk.store import agreement_repo, roster_repo, settings
from sro_desk.store.attachments import store_attachment_file
from sro_desk.store.base import database_proxy

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]

HANDOUT_TEMPLATE_SETTING = "agreements.handout_template"
GRACE_DAYS_SETTING = "agreements.start_of_year_grace_days"


# --------------------------------------------------------------------------- catalog and settings


@cache
def checklist_catalog() -> tuple[ChecklistItemDefinition, ...]:
    """The checklist items shipped in resources/catalogs/agreement_checklist.json."""
    return load_checklist_catalog(json.loads(resource_text("catalogs", "agreement_checklist.json")))


def definition(item_key: str) -> ChecklistItemDefinition:
    for item in checklist_catalog():
        if item.key == item_key:
            return item
    raise NotFound(f"There is no checklist item '{item_key}'.")


def default_handout_template() -> str:
    return resource_text("templates", "family_handout.md")


def handout_template() -> str:
    """The district's edited handout wording, or the default text when never edited."""
    saved = settings.get_setting(HANDOUT_TEMPLATE_SETTING)
    return str(saved) if saved else default_handout_template()


def handout_template_is_default() -> bool:
    return not settings.get_setting(HANDOUT_TEMPLATE_SETTING)


def save_handout_template(text: str) -> str:
    """Save the district's wording (audited as a setting); refused in words when malformed."""
    clean = validate_template(text)
    settings.set_setting(HANDOUT_TEMPLATE_SETTING, clean, reason="Family handout wording edited")
    return clean


def reset_handout_template() -> str:
    settings.set_setting(HANDOUT_TEMPLATE_SETTING, "", reason="Family handout wording reset")
    return default_handout_template()


def grace_days() -> int:
    """Days after the first day of school before a building missing a duty is listed."""
    value = settings.get_setting(GRACE_DAYS_SETTING, DEFAULT_GRACE_DAYS)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return DEFAULT_GRACE_DAYS
    return days if 0 <= days <= 180 else DEFAULT_GRACE_DAYS


def set_grace_days(days: int) -> None:
    if not 0 <= days <= 180:
        raise ValidationError("The start-of-year deadline must be 0 to 180 days after the first day.")
    settings.set_setting(GRACE_DAYS_SETTING, days, reason="Start-of-year deadline changed")


def first_days() -> dict[str, dt.date]:
    return {y.label: y.first_day for y in roster_repo.list_school_years()}


def first_day_for(school_year: str) -> dt.date:
    return first_days().get(school_year) or default_first_day(school_year)


def year_labels() -> list[str]:
    """School years to offer: every set-up year and every year with an agreement, newest first."""
    labels = {y.label for y in roster_repo.list_school_years()}
    labels |= {a.school_year for a in agreement_repo.list_agreements()}
    return sorted(labels, reverse=True)


def current_year_label(today: dt.date) -> str | None:
    year = roster_repo.current_school_year(today)
    return year.label if year is not None else None


def supplying_providers() -> list[tuple[int, str]]:
    """Agencies and companies an agreement can be with (the district itself needs none)."""
    return [
        (p.id, p.name)
        for p in roster_repo.list_providers()
        if p.id is not None and p.kind is not ProviderKind.DISTRICT
    ]


# --------------------------------------------------------------------------- training (live)


def _counted_staff() -> list[StaffMember]:
    return [s for s in roster_repo.list_staff() if s.status is not StaffStatus.INACTIVE]


def _clearance(as_of: dt.date) -> Mapping[int, StaffClearance]:
    """The Training tab's verdict per staff id (its published contract)."""
    from sro_desk.services.training import clearance_by_staff

    return clearance_by_staff(as_of)


def year_dates(school_year: str) -> tuple[dt.date, dt.date]:
    """First and last day of a school year as set up, or 1 September–31 August when it is not."""
    for year in roster_repo.list_school_years():
        if year.label == school_year:
            return year.first_day, year.last_day
    return default_first_day(school_year), school_year_end(school_year)


@dataclass(frozen=True, slots=True)
class YearStaff:
    """Who worked during a school year, and the day the year's training item is judged on."""

    staff: tuple[StaffMember, ...]
    as_of: dt.date


def year_staff(school_year: str, today: dt.date) -> YearStaff:
    """Staff assigned during ``school_year`` (a past year: only those who worked in it)."""
    first_day, last_day = year_dates(school_year)
    return YearStaff(
        tuple(m for m in roster_repo.list_staff() if worked_during(m, first_day, last_day, today)),
        training_as_of(last_day, today),
    )


def training_gaps_by_provider(
    school_year: str, today: dt.date, *, staff: YearStaff | None = None
) -> dict[int, tuple[StaffTrainingGap, ...]]:
    """Per provider, the staff who worked during ``school_year`` and lacked ESD documentation or
    a plan to finish the series: judged on the year's last day once it is over (today before),
    or on their own last day if they left earlier.

    A staff member the training records know nothing about counts as lacking both.
    """
    year = staff or year_staff(school_year, today)
    days = {member.id: judged_on(member, year.as_of) for member in year.staff}
    clearances = {day: _clearance(day) for day in sorted(set(days.values()))}
    gaps: dict[int, list[StaffTrainingGap]] = {}
    for member in year.staff:
        if member.provider_id is None or member.id is None:
            continue
        found = clearances[days[member.id]].get(member.id)
        if found is not None and found.documentation_or_plan:
            continue
        reasons = tuple(found.reasons) if found is not None else ("no training record",)
        gaps.setdefault(member.provider_id, []).append(
            StaffTrainingGap(member.id, member.full_name, reasons)
        )
    return {k: tuple(v) for k, v in gaps.items()}


def staff_count_by_provider(staff: Sequence[StaffMember] | None = None) -> dict[int, int]:
    """Staff per provider: of ``staff`` (a year's), or of the current roster."""
    counts: dict[int, int] = {}
    for member in _counted_staff() if staff is None else staff:
        if member.provider_id is not None:
            counts[member.provider_id] = counts.get(member.provider_id, 0) + 1
    return counts


def _facts(
    school_year: str, today: dt.date, meetings: tuple[ReviewMeeting, ...]
) -> Callable[[int], AgreementFacts]:
    """The live facts for each provider's agreement of ``school_year``, computed once."""
    year = year_staff(school_year, today)
    gaps = training_gaps_by_provider(school_year, today, staff=year)
    counts = staff_count_by_provider(year.staff)
    first_day = first_day_for(school_year)

    def facts(provider_id: int) -> AgreementFacts:
        return AgreementFacts(
            training_gaps=gaps.get(provider_id, ()),
            provider_staff_count=counts.get(provider_id, 0),
            meetings=meetings,
            first_day=first_day,
            training_as_of=year.as_of,
        )

    return facts


# --------------------------------------------------------------------------- assessment


def assess_all(
    school_year: str, today: dt.date
) -> list[AgreementAssessment]:
    """Every agreement of the year, judged with the live training and meeting facts."""
    agreements = agreement_repo.list_agreements(school_year)
    if not agreements:
        return []
    entries = agreement_repo.entries_by_agreement(a.id for a in agreements if a.id is not None)
    facts = _facts(school_year, today, tuple(agreement_repo.list_meetings(school_year)))
    catalog = checklist_catalog()
    return [
        assess_agreement(a, catalog, entries.get(a.id or 0, ()), facts(a.provider_id))
        for a in agreements
    ]


def assess(agreement_id: int, today: dt.date) -> AgreementAssessment:
    agreement = agreement_repo.get_agreement(agreement_id)
    year = agreement.school_year
    facts = _facts(year, today, tuple(agreement_repo.list_meetings(year)))
    return assess_agreement(
        agreement,
        checklist_catalog(),
        agreement_repo.list_entries(agreement_id),
        facts(agreement.provider_id),
    )


def assessment_for(school_year: str, provider_id: int, today: dt.date) -> AgreementAssessment:
    agreement = agreement_repo.find_agreement(school_year, provider_id)
    if agreement is None or agreement.id is None:
        try:
            name = roster_repo.get_provider(provider_id).name
        except NotFound:
            name = f"agency or company {provider_id}"
        raise NotFound(f"There is no agreement with {name} for {school_year}.")
    return assess(agreement.id, today)


def reminders(today: dt.date) -> list[Reminder]:
    """The "needs attention" list across every year, plus providers with staff but no agreement
    for the current school year."""
    counts = staff_count_by_provider()
    supplying = [(pid, name) for pid, name in supplying_providers() if counts.get(pid)]
    return needs_attention(
        agreement_repo.list_agreements(),
        today,
        first_days(),
        current_year=current_year_label(today),
        supplying=supplying,
    )


def providers_with_agreement(school_year_label: str) -> list[str]:
    """Names of agencies and companies with an adopted agreement that year (for the annual report)."""
    return sorted(
        (a.provider_name for a in agreement_repo.list_agreements(school_year_label) if not a.is_draft),
        key=str.lower,
    )


# --------------------------------------------------------------------------- writes


def new_agreement(agreement: Agreement) -> Agreement:
    """Create an agreement with its full checklist, every item not started."""
    return agreement_repo.create_agreement(
        AgreementWithChecklist(agreement, blank_checklist(checklist_catalog()))
    )


def save_entry(agreement_id: int, entry: ChecklistEntry, today: dt.date) -> ChecklistEntry:
    return agreement_repo.save_entry(agreement_id, entry, today=today,
                                     definition=definition(entry.item_key))


def attach_document(agreement_id: int, path: Path | str) -> Agreement:
    """Store the signed agreement (PDF or image, ≤ 25 MB) with its SHA-256 and link it."""
    with database_proxy.atomic():
        info = store_attachment_file(path)
        return agreement_repo.set_agreement_document(
            agreement_id, info.id, reason=f"Signed agreement attached: {info.filename}"
        )


def attach_minutes(meeting_id: int, path: Path | str) -> ReviewMeeting:
    with database_proxy.atomic():
        info = store_attachment_file(path)
        meeting = agreement_repo.get_meeting(meeting_id)
        return agreement_repo.save_meeting(
            replace(meeting, minutes_attachment_id=info.id),
            reason=f"Minutes attached: {info.filename}",
        )


@dataclass(frozen=True, slots=True)
class RolloverResult:
    from_year: str
    to_year: str
    created: tuple[Agreement, ...]
    already_there: int

    @property
    def summary(self) -> str:
        n = len(self.created)
        text = (
            f"{n} draft agreement{'s' if n != 1 else ''} created for {self.to_year}"
            if n
            else f"No new drafts: every {self.from_year} agreement already has one for {self.to_year}"
        )
        if n and self.already_there:
            text += f"; {self.already_there} already had one"
        return text + "."


def roll_over_year(
    from_year: str,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> RolloverResult:
    """Copy every agreement of ``from_year`` forward as a draft for the next year.

    Checklists start over; last year's item notes are kept for reference. Running it again
    creates nothing new. All drafts are created in one transaction, so a cancel leaves nothing.
    """
    to_year = next_school_year(from_year)
    sources = agreement_repo.list_agreements(from_year)
    if not sources:
        raise ValidationError(f"There are no agreements for {from_year} to copy forward.")
    entries = agreement_repo.entries_by_agreement(a.id for a in sources if a.id is not None)
    existing = agreement_repo.list_agreements(to_year)
    drafts = roll_forward(
        from_year,
        [AgreementWithChecklist(a, entries.get(a.id or 0, ())) for a in sources],
        existing,
        checklist_catalog(),
    )
    created: list[Agreement] = []
    with database_proxy.atomic():  # an exception inside rolls every draft back
        for index, draft in enumerate(drafts, start=1):
            if is_cancelled is not None and is_cancelled():
                raise ValidationError("The new school year was cancelled; nothing was copied.")
            created.append(
                agreement_repo.create_agreement(
                    draft, reason=f"Copied forward from {from_year} for the new school year"
                )
            )
            if progress is not None:
                progress(index, len(drafts))
    return RolloverResult(from_year, to_year, tuple(created), len(sources) - len(created))


# --------------------------------------------------------------------------- start of year


def active_buildings() -> list[tuple[int, str]]:
    return [(b.id, b.name) for b in roster_repo.list_buildings(active_only=True) if b.id is not None]


def start_of_year_overview(school_year: str, today: dt.date) -> list[BuildingDuties]:
    return building_duties(
        active_buildings(),
        agreement_repo.list_start_of_year(school_year),
        school_year,
        first_day_for(school_year),
        today,
        grace_days(),
    )


def save_start_of_year(record: BuildingStartOfYear, today: dt.date) -> BuildingStartOfYear:
    clean = validate_start_of_year(record, first_day_for(record.school_year), today)
    return agreement_repo.save_start_of_year(clean)


# --------------------------------------------------------------------------- handout


def _staff_line(member: StaffMember) -> str:
    role = member.role.value
    if member.role is Role.SRO:
        return f"{member.full_name}, {role}, assigned by {member.provider_name}"
    if member.provider_kind is ProviderKind.DISTRICT:
        return f"{member.full_name}, {role}, employed by the district"
    return f"{member.full_name}, {role}, supplied by {member.provider_name}"


def handout_content(building_id: int, school_year: str, template: str | None = None) -> HandoutContent:
    """The handout for one building, filled in from the roster (names rendered as plain text)."""
    building = roster_repo.get_building(building_id)
    district = settings.district_name() or "The school district"
    here = sorted(
        (
            s
            for s in _counted_staff()
            if s.status is StaffStatus.ACTIVE
            and any(a.building_id == building_id for a in s.assignments)
        ),
        key=lambda s: (s.last_name.lower(), s.first_name.lower()),
    )
    providers = {p.id: p for p in roster_repo.list_providers()}
    used = []
    for member in here:
        provider = providers.get(member.provider_id)
        if provider is not None and provider not in used:
            used.append(provider)
    contacts: list[str] = []
    for member in here:
        reach = ", ".join(x for x in (member.phone, member.email) if x)
        contacts.append(f"{member.full_name}: {reach}" if reach else member.full_name)
    for provider in used:
        reach = ", ".join(x for x in (provider.contact_name, provider.phone, provider.email) if x)
        if reach and provider.kind is not ProviderKind.DISTRICT:
            contacts.append(f"{provider.name} (complaints about its staff): {reach}")
    for provider in providers.values():
        if provider.kind is ProviderKind.DISTRICT:
            reach = ", ".join(x for x in (provider.contact_name, provider.phone, provider.email) if x)
            if reach:
                contacts.append(f"District office: {reach}")
    blocks = render_handout(
        template if template is not None else handout_template(),
        {
            "district_name": district,
            "building_name": building.name,
            "school_year": school_year,
            "providers": ", ".join(p.name for p in used) or "no one at present",
        },
        {"staff_list": [_staff_line(s) for s in here], "contact_list": contacts},
        empty_list_text="No safety and security staff are assigned to this building at present.",
    )
    return HandoutContent(district, building.name, school_year, blocks)


def export_handout(building_id: int, school_year: str, pdf: Path | str) -> Path:
    from sro_desk.exports.handout_pdf import write_handout_pdf

    return write_handout_pdf(Path(pdf), handout_content(building_id, school_year))


# --------------------------------------------------------------------------- agreement exports


def export_agreement(
    school_year: str,
    provider_id: int,
    today: dt.date,
    *,
    pdf: Path | str | None = None,
    xlsx: Path | str | None = None,
) -> list[Path]:
    """The checklist for the board, as PDF and/or .xlsx."""
    if pdf is None and xlsx is None:
        raise ValidationError("Choose where to write the checklist: a PDF file, an .xlsx file, or both.")
    assessment = assessment_for(school_year, provider_id, today)
    district = settings.district_name() or "School district"
    written: list[Path] = []
    if pdf is not None:
        from sro_desk.exports.agreement_checklist import write_checklist_pdf

        written.append(
            write_checklist_pdf(Path(pdf), district, assessment, signer_titles(assessment.agreement))
        )
    if xlsx is not None:
        from sro_desk.exports.agreement_checklist import write_checklist_xlsx

        written.append(write_checklist_xlsx(Path(xlsx), district, assessment))
    return written


def kind_of_signer(agreement: Agreement) -> str:
    """Who signs for the provider: the chief, the sheriff, or the company's representative."""
    try:
        kind = roster_repo.get_provider(agreement.provider_id).kind
    except NotFound:
        return "Agency or company representative"
    return {
        ProviderKind.POLICE: "Chief of police",
        ProviderKind.SHERIFF: "Sheriff",
        ProviderKind.SECURITY_COMPANY: "Company representative",
    }.get(kind, "Agency or company representative")


def signer_titles(agreement: Agreement) -> Sequence[str]:
    return ("Superintendent", f"{kind_of_signer(agreement)}, {agreement.provider_name}")
