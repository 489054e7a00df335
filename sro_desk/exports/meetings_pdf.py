"""The principal–staff meeting cadence report for one building and school year, as PDF."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from sro_desk.domain.dates import format_date
from sro_desk.domain.meetings import CadenceRules, StaffCadence, SupervisionMeeting
from sro_desk.domain.school_calendar import SchoolCalendar
from sro_desk.exports.pdf_util import build_pdf, data_table, document_title, heading, para


def write_cadence_pdf(
    dest: Path | str, *, building: str, calendar: SchoolCalendar, rules: CadenceRules,
    cadence: Sequence[StaffCadence], meetings: Sequence[SupervisionMeeting], district: str,
    through_label: str,
) -> Path:
    """Per staff member: meetings held, every gap that broke the cadence, then the meeting log."""
    from reportlab.lib.units import inch
    from reportlab.platypus import Spacer

    story = document_title(
        f"Principal–staff meetings: {building}",
        f"School year {calendar.label} ({format_date(calendar.first_day)} – "
        f"{format_date(calendar.last_day)}), checked {through_label}.",
    )
    story.append(para(
        f"Cadence: a formal meeting at least every {rules.formal_every_days} days and informal "
        f"contact {rules.informal_rule}"
        + (" (Snohomish SRO Procedures: informally, \u201cat a minimum, weekly\u201d); missed "
           "weeks are listed by the week's Monday" if rules.informal_weekly else "")
        + ". A formal meeting also counts as informal contact; a formal due date that falls "
        "when school is closed moves to the next school day."))
    story.append(Spacer(1, 8))
    if not cadence:
        story.append(para("No staff member is assigned to this building and no meetings were "
                          "logged here this year."))
    for record in cadence:
        story.append(heading(record.staff_name or f"Staff member {record.staff_id}"))
        verdict = ("On cadence all year." if record.on_cadence else
                   f"{len(record.gaps)} gap{'s' if len(record.gaps) != 1 else ''} broke the "
                   "cadence.")
        story.append(para(f"{record.formal_count} formal and {record.informal_count} informal "
                          f"meetings. {verdict}"))
        if record.gaps:
            story.append(Spacer(1, 4))
            story.append(data_table(
                ("Kind", "Last met", "Due by", "Next met", "Rule"),
                [[g.kind.value + (f", week of {format_date(g.week_of)}" if g.week_of else ""),
                  g.last_met or "start of year", g.due_by,
                  g.next_met or "not since", g.rule] for g in record.gaps],
                col_widths=(0.9 * inch, 1.5 * inch, 1.5 * inch, 1.5 * inch, 1.8 * inch)))
        mine = [m for m in meetings if m.staff_id == record.staff_id]
        if mine:
            story.append(Spacer(1, 6))
            story.append(data_table(
                ("Date", "Kind", "Principal", "Topics"),
                [[m.on, m.kind.value, m.principal, m.topics] for m in mine],
                col_widths=(1.3 * inch, 0.9 * inch, 1.7 * inch, 3.3 * inch)))
        story.append(Spacer(1, 10))
    return build_pdf(dest, story, title=f"Meeting cadence {calendar.label}", district=district,
                     confidential=True)
