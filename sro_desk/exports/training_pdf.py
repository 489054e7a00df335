"""The per-person training verification record: what the district keeps "to verify this training
has taken place" (Kent SRO page; RCW 28A.400.345). Every user string is escaped (``pdf_util``).
"""

from __future__ import annotations

from pathlib import Path

from sro_desk.domain.dates import format_date
from sro_desk.domain.training import TrainingStatus, VerificationRecord

SIGNERS = ("District training verifier", "Agency or company representative")


def _when(value: object) -> str:
    import datetime as dt

    if isinstance(value, dt.datetime):
        return format_date(value.date())
    if isinstance(value, dt.date):
        return format_date(value)
    return ""


def write_verification_pdf(dest: Path | str, record: VerificationRecord) -> Path:
    from reportlab.lib.units import inch
    from reportlab.platypus import Flowable, Spacer

    from sro_desk.exports.pdf_util import (
        build_pdf,
        data_table,
        document_title,
        esc,
        heading,
        markup,
        para,
        signature_block,
    )

    staff = record.staff
    row = record.row
    clearance = row.clearance
    catalog = record.catalog
    story: list[Flowable] = []
    story += document_title(
        "Training verification record",
        f"{record.district} · safety and security staff training (RCW 28A.400.345, "
        f"RCW 28A.310.515) · as of {format_date(record.as_of)}",
    )
    facts = [
        ("Name", staff.full_name),
        ("Role", staff.role.value),
        ("Employer", f"{staff.provider_name} ({staff.provider_kind.value})"
                     if staff.provider_kind else staff.provider_name),
        ("Buildings", ", ".join(a.building_name or a.building_code for a in staff.assignments)
                      or "none assigned"),
        ("First day on school property with students",
         format_date(staff.first_day_with_students) or "not recorded"),
        ("Roster status", staff.status.value),
    ]
    for label, value in facts:
        story.append(markup(f"<b>{esc(label)}:</b> {esc(value)}"))
    story.append(Spacer(1, 4))
    for label, value, citation, reasons in (
        ("May be assigned", "Yes" if clearance.may_be_assigned else "No",
         "RCW 28A.400.345(1)", clearance.assignment_reasons),
        ("Series deadlines", clearance.compliance_label, "RCW 28A.400.345(2)(b)-(d)",
         clearance.compliance_reasons),
    ):
        story.append(markup(f"<b>{esc(label)} ({esc(citation)}):</b> {esc(value)}"))
        for reason in reasons:
            story.append(para("• " + reason, "Small"))

    story.append(heading("ESD training series documentation"))
    if record.esd_documents:
        story.append(data_table(
            ["Received", "Issuing ESD", "Document attached", "Confirmed by", "Confirmed on"],
            [[d.received_on, d.issuing_esd, d.has_document, d.confirmed_by or "not confirmed",
              _when(d.confirmed_at)] for d in record.esd_documents],
            [1.1 * inch, 2.2 * inch, 1.2 * inch, 1.4 * inch, 1.1 * inch],
        ))
    else:
        story.append(para("None on file: the series is completed topic by topic below."))

    story.append(heading("Requirements"))
    table_rows = []
    other_roles: list[str] = []
    for requirement, cell in zip(catalog.requirements, row.cells, strict=True):
        if cell.status is TrainingStatus.NOT_APPLICABLE and requirement.required:
            other_roles.append(requirement.column_title)  # another role's or employer's
            continue
        date_text = _when(cell.completed_on)
        if cell.due_on is not None:
            word = {"Verified": "valid through", "Expiring soon": "valid through",
                    "Expired": "expired after", "Overdue": "was due",
                    "Due": "due by"}.get(cell.status.value, "")
            date_text = (date_text + "\n" if date_text else "") + f"{word} {format_date(cell.due_on)}"
        status_text = cell.status.value
        if cell.needed > 1:
            status_text += f" ({cell.progress} of {cell.needed})"
        if cell.via_esd_documentation:
            status_text += " (ESD documentation)"
        if cell.pending_claims and cell.status is not TrainingStatus.VERIFIED:
            status_text += f"\n{cell.pending_claims} claimed, awaiting verification"
        if cell.note and cell.status in (TrainingStatus.WAIVED, TrainingStatus.NOT_APPLICABLE):
            status_text += f"\n{cell.note}"
        verified = cell.verified_by
        if verified and cell.verified_at is not None:
            verified += f"\n{format_date(cell.verified_at.date())}"
        title = requirement.column_title + f"\n{requirement.citation}"
        if requirement.locked:
            title += f"\n\N{LOCK} Required by law ({requirement.lock_citation})"
        table_rows.append([title, status_text,
                           date_text, cell.provider, verified])
    story.append(data_table(
        ["Requirement", "Status", "Dates", "Provider", "Verified by"], table_rows,
        [2.25 * inch, 0.95 * inch, 1.15 * inch, 1.4 * inch, 1.55 * inch],
    ))
    if other_roles:
        story.append(para(
            "Not listed because they apply to other roles or employers: "
            + "; ".join(other_roles) + ".", "Small"))

    story.append(heading("Completion records on file"))
    titles = {r.code: r.column_title for r in catalog.requirements}
    if record.completions:
        rows = []
        for c in record.completions:
            files = "\n".join(
                f"{a.filename} (SHA-256 {a.sha256[:16]}…, {a.size:,} bytes)"
                for a in record.evidence.get(c.id, ())
            ) or "no evidence attached"
            details = f"{c.delivery.value}" + (f", {c.hours:g} h" if c.hours else "")
            if c.mentor:
                details += f"\nMentor: {c.mentor} ({c.mentor_school})"
            rows.append([
                c.completed_on, titles.get(c.requirement_code, c.requirement_code),
                c.provider_text, details,
                f"{c.verified_by}\n{_when(c.verified_at)}" if c.verified else "claimed, not verified",
                files,
            ])
        story.append(data_table(
            ["Date", "Requirement", "Provider", "Delivery", "Verified", "Evidence"], rows,
            [0.85 * inch, 1.45 * inch, 1.25 * inch, 1.0 * inch, 1.45 * inch, 1.3 * inch],
        ))
    else:
        story.append(para("No completion records on file."))

    story.append(heading("Waivers"))
    if record.waivers:
        story.append(data_table(
            ["Requirement", "Waived on", "Issuing ESD", "Reason", "Waiver attached"],
            [[titles.get(w.requirement_code, w.requirement_code), w.waived_on, w.issuing_esd,
              w.reason, w.has_document] for w in record.waivers],
            [1.6 * inch, 1.0 * inch, 1.4 * inch, 2.2 * inch, 0.9 * inch],
        ))
    else:
        story.append(para("No waivers."))

    story.append(Spacer(1, 8))
    story.append(para(
        "The district has reviewed the records above to verify that this training has taken "
        "place before engaging the staff member. Deadlines count from the first day on school "
        "property with students expected: classroom topics within 6 months, on-the-job days (at "
        "the school of the experienced staff, RCW 28A.400.345(2)(c)) and check-ins within the "
        "first year (the same day number later, or the last day of a "
        "shorter month).", "Small"))
    story.append(signature_block(SIGNERS))
    return build_pdf(dest, story, title="Training verification record", district=record.district,
                     confidential=True)
