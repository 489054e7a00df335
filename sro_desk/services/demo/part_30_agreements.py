"""Demo: agreements, review meetings and start-of-year duties for the demo district.

Last year (2025-26) the district had adopted agreements with the police department and the
sheriff's office; they were copied forward with the real new-year action. For 2026-27 the police
agreement is complete; the sheriff's is a draft with open items, and its training item is
flagged live for the deputies the Training tab shows without documentation or a plan. The
security company, new this year, has no agreement yet, so it shows under "needs attention".
Every building did its start-of-year duties except the reengagement center, which has not yet
distributed information to families.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from sro_desk.domain.agreements import (
    Agreement,
    ChecklistEntry,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.start_of_year import BuildingStartOfYear, DistributionMethod
from sro_desk.services import agreements
from sro_desk.services.demo import DemoContext
from sro_desk.store import agreement_repo, settings
from sro_desk.store.attachments import store_attachment

POLICE = "Cedar Valley Police Department"
SHERIFF = "Harbor County Sheriff's Office"
CHECKER = "Renee Alvarado, safety coordinator"

SECTIONS = {
    "duties_no_formal_discipline": ("§3.1", "Duties statement, signed copy p. 2"),
    "informal_versus_enforcement": ("§3.2", "Duties statement, signed copy p. 2"),
    "request_to_intervene": ("§3.4", "Matches Policy 4311 wording; p. 3"),
    "positive_climate": ("§4", "Climate and relationships plan, p. 4"),
    "complaint_process": ("§7", "Form 4311F2 and tip line named; 20/30 school-day answers, p. 6"),
    "hiring_and_placement": ("§5.1", "Joint interview panel with district voting member, p. 5"),
    "performance_evaluation": ("§5.3", "Annual joint evaluation, p. 5"),
    "training_documentation": ("§6", "ESD documentation on file; see Training tab"),
    "sro_role_three_parts": ("§2", "Educator, informal counselor, law enforcer; p. 1"),
    "law_enforcement_off_premises": ("§3.5", "Enforcement off school premises as a rule; p. 3"),
    "immigration_enforcement_limits": ("§3.6", "RCW 10.93.160 language, p. 3"),
    "annual_data_collection": ("§8", "Data elements of RCW 28A.320.1241, p. 7"),
    "review_involved_community": ("—", "Listening session and board hearing minutes"),
    "adopted_this_year": ("—", "Board minutes, consent agenda item 7.3"),
}


def _demo_pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF standing in for a scanned signed copy or minutes."""
    text = "BT /F1 12 Tf 72 720 Td 16 TL " + " ".join(
        "(" + line.replace("\\", "").replace("(", "[").replace(")", "]") + ") '" for line in lines
    ) + " ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(text)).encode() + b" >>\nstream\n" + text.encode("latin-1")
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _complete(agreement_id: int, on: dt.date) -> None:
    for item in agreements.checklist_catalog():
        section, evidence = SECTIONS[item.key]
        agreement_repo.save_entry(
            agreement_id,
            ChecklistEntry(
                item.key, ItemStatus.MET, section=section, evidence=evidence,
                checked_by=CHECKER, checked_on=on,
            ),
        )


def _year_agreement(ctx: DemoContext, provider: str, year: str, title: str) -> Agreement:
    start = int(year[:4]) - ctx.shift.years  # the year as the story is written
    return agreements.new_agreement(
        Agreement(
            school_year=year,
            provider_id=ctx.providers[provider].id or 0,
            provider_name=provider,
            title=title,
            effective_on=ctx.day(start, 9, 1),
            expires_on=ctx.day(start + 1, 8, 31),
            adopted_on=ctx.day(start, 8, 20),
            responsible="Dr. Helen Marsh, superintendent; Renee Alvarado, safety coordinator",
        )
    )


def populate(ctx: DemoContext) -> None:
    last_year, this_year = ctx.previous_year.label, ctx.current_year.label
    police_old = _year_agreement(
        ctx, POLICE, last_year, f"School resource officer interlocal agreement {last_year}"
    )
    _complete(police_old.id or 0, ctx.day(2025, 8, 12))
    agreement_repo.update_agreement(
        replace(police_old, notes="Ask for quarterly call-for-service data, not annual.")
    )
    sheriff_old = _year_agreement(
        ctx, SHERIFF, last_year, f"School resource officer services agreement {last_year}"
    )
    _complete(sheriff_old.id or 0, ctx.day(2025, 8, 14))
    for held, kind, counts, notes in (
        (ctx.day(2025, 5, 14), MeetingKind.LISTENING_SESSION,
         {ParticipantGroup.PARENTS: 11, ParticipantGroup.STUDENTS: 4,
          ParticipantGroup.COMMUNITY: 7, ParticipantGroup.STAFF: 6, ParticipantGroup.AGENCY: 2},
         "Families asked for the complaint form in Spanish."),
        (ctx.day(2025, 8, 20), MeetingKind.BOARD_MEETING,
         {ParticipantGroup.COMMUNITY: 5, ParticipantGroup.STAFF: 9, ParticipantGroup.AGENCY: 2},
         "Adopted on the consent agenda."),
    ):
        agreement_repo.save_meeting(
            ReviewMeeting(last_year, held, kind, tuple(counts.items()), notes)
        )

    result = agreements.roll_over_year(last_year)
    police, sheriff = (
        next(a for a in result.created if a.provider_name == name) for name in (POLICE, SHERIFF)
    )
    police = agreement_repo.update_agreement(replace(police, adopted_on=ctx.day(2026, 8, 19)))
    _complete(police.id or 0, ctx.day(2026, 8, 11))
    signed = store_attachment(
        f"cvpd-sro-agreement-{this_year}-signed.pdf",
        _demo_pdf([f"{POLICE} and {settings.district_name() or 'the district'}",
                   f"School resource officer interlocal agreement {this_year}",
                   f"Signed {format_date(police.adopted_on)} (demo document)"]),
    )
    agreement_repo.set_agreement_document(police.id or 0, signed.id)
    for held, kind, counts, notes, agreement_id in (
        (ctx.day(2026, 4, 29), MeetingKind.LISTENING_SESSION,
         {ParticipantGroup.PARENTS: 14, ParticipantGroup.STUDENTS: 6,
          ParticipantGroup.COMMUNITY: 9, ParticipantGroup.STAFF: 5, ParticipantGroup.AGENCY: 2},
         "Two listening sessions combined; students asked that officers not stand at the doors.",
         None),
        (ctx.day(2026, 5, 27), MeetingKind.COMMITTEE,
         {ParticipantGroup.PARENTS: 3, ParticipantGroup.STUDENTS: 2, ParticipantGroup.STAFF: 4,
          ParticipantGroup.AGENCY: 1},
         "Safety advisory committee reviewed the complaint section.", None),
        (ctx.day(2026, 8, 19), MeetingKind.BOARD_MEETING,
         {ParticipantGroup.COMMUNITY: 6, ParticipantGroup.STAFF: 8, ParticipantGroup.AGENCY: 2},
         "Police agreement adopted; sheriff's agreement held for revisions.", police.id),
    ):
        minutes_id = None
        if kind is MeetingKind.BOARD_MEETING:
            minutes_id = store_attachment(
                f"board-minutes-{held.isoformat()}.pdf",
                _demo_pdf([f"Board of Directors, regular meeting, {format_date(held)}",
                           "Item 7.3: SRO interlocal agreement adopted (demo document)"]),
            ).id
        agreement_repo.save_meeting(
            ReviewMeeting(this_year, held, kind, tuple(counts.items()), notes, agreement_id,
                          minutes_attachment_id=minutes_id)
        )
    open_items: tuple[ChecklistEntry, ...] = (
        ChecklistEntry("duties_no_formal_discipline", ItemStatus.MET, section="§2", evidence="p. 1"),
        ChecklistEntry("informal_versus_enforcement", ItemStatus.MET, section="§2", evidence="p. 1"),
        ChecklistEntry(
            "request_to_intervene", ItemStatus.IN_PROGRESS,
            notes="Draft still says 'any staff member may call'; must match Policy 4311.",
        ),
        ChecklistEntry("complaint_process", ItemStatus.IN_PROGRESS,
                       notes="The sheriff's office complaint address is missing."),
        ChecklistEntry("positive_climate", ItemStatus.MET, section="§3", evidence="p. 2"),
        ChecklistEntry("training_documentation", ItemStatus.MET, section="§6",
                       evidence=f"Undersheriff's letter of {format_date(ctx.day(2026, 8, 12))}"),
        ChecklistEntry("hiring_and_placement", ItemStatus.MET, section="§5",
                       evidence="Joint panel, p. 4"),
    )
    for entry in open_items:
        if entry.status in (ItemStatus.MET, ItemStatus.NOT_APPLICABLE):
            entry = replace(entry, checked_by=CHECKER, checked_on=ctx.day(2026, 8, 13))
        agreement_repo.save_entry(sheriff.id or 0, entry)

    first_day = ctx.current_year.first_day
    for index, building in enumerate(ctx.buildings.values()):
        presented = first_day + dt.timedelta(days=2 + index % 4)
        missing_distribution = building.code == "CVRC"
        agreements.save_start_of_year(
            BuildingStartOfYear(
                building_id=building.id or 0,
                building_name=building.name,
                school_year=this_year,
                presented_on=presented,
                presenter="Principal and assigned staff" if index % 2 else "Assistant principal",
                audience="All students, grade-level assemblies",
                distributed_on=None if missing_distribution else first_day + dt.timedelta(days=6),
                methods=() if missing_distribution else (
                    (DistributionMethod.EMAIL, DistributionMethod.APP)
                    if index % 3 else (DistributionMethod.MAIL, DistributionMethod.BACKPACK)
                ),
                languages=() if missing_distribution else ("English", "Spanish", "Ukrainian"),
            ),
            max(ctx.today, first_day + dt.timedelta(days=30)),
        )
