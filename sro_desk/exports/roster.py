"""The staff roster as a workbook and as a PDF for the board or the agency."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from reportlab.lib.units import inch

from sro_desk.domain.dates import format_date
from sro_desk.domain.roster import Building, StaffMember, format_days
from sro_desk.exports import pdf_util, xlsx_util

HEADERS = (
    "Last name", "First name", "Role", "Commissioned", "Employer", "Badge / employee no.", "Buildings (days/week)",
    "Days per week", "First day with students", "Assignment start", "Assignment end", "Status", "Training",
    "Phone", "Email", "Notes",
)


def _buildings(member: StaffMember) -> str:
    return "; ".join(f"{a.building_code}: {format_days(a.days_per_week)}" for a in member.assignments)


def write_roster_xlsx(
    dest: Path, district: str, staff: Sequence[StaffMember], buildings: Sequence[Building],
    training: Mapping[int, str] | None = None,
) -> Path:
    """``training``: the Training tab's verdict per staff id ("cleared" / "not cleared: …")."""
    training = training or {}
    book = xlsx_util.new_workbook()
    sheet = book.active
    sheet.title = "Roster"
    start = xlsx_util.write_title(sheet, f"{district} — safety and security staff roster", f"{len(staff)} people")
    rows = [
        [m.last_name, m.first_name, m.role.value, m.commissioned, m.provider_name, m.badge_number, _buildings(m),
         m.total_days_per_week, m.first_day_with_students, m.assignment_start, m.assignment_end, m.status.value,
         training.get(m.id or 0, ""), m.phone, m.email, m.notes]
        for m in staff
    ]
    xlsx_util.write_table(sheet, HEADERS, rows, start_row=start)
    per_building = book.create_sheet("By building")
    building_rows = []
    for b in buildings:
        here = [(m, a) for m in staff for a in m.assignments if a.building_id == b.id and m.status.value != "inactive"]
        building_rows.append([b.name, b.code, b.grade_span, len(here), sum(a.days_per_week for _m, a in here),
                              "; ".join(f"{m.full_name} ({format_days(a.days_per_week)})" for m, a in here)])
    xlsx_util.write_table(per_building, ("Building", "Code", "Grades", "Staff", "Staff-days per week", "Who (days/week)"), building_rows)
    xlsx_util.save_workbook(book, dest)
    return dest


def write_roster_pdf(dest: Path, district: str, staff: Sequence[StaffMember], training: Mapping[int, str] | None = None) -> Path:
    training = training or {}
    story = pdf_util.document_title(
        "Safety and security staff roster",
        f"{district} · {len(staff)} people · RCW 28A.320.124",
    )
    rows = [
        [m.sort_name, m.role.value, "yes" if m.commissioned else "no", m.provider_name, m.badge_number,
         _buildings(m), format_date(m.first_day_with_students), m.status.value,
         training.get(m.id or 0, "").split(":")[0]]
        for m in staff
    ]
    story.append(pdf_util.data_table(
        ("Name", "Role", "Comm.", "Employer", "Badge / no.", "Buildings (days/week)", "First day with students", "Status", "Training"),
        rows,
        col_widths=[1.4 * inch, 1.25 * inch, 0.6 * inch, 1.6 * inch, 0.8 * inch, 1.35 * inch, 1.05 * inch, 0.95 * inch, 0.8 * inch],
    ))
    return pdf_util.build_pdf(dest, story, title="Staff roster", district=district, landscape_pages=True, confidential=True)
