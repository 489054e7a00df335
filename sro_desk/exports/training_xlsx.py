"""The compliance matrix as a workbook: frozen header, filters, fills that match the app (applied
as conditional formatting on the status words, so a re-sorted or edited sheet stays coloured), and
a legend sheet with the statuses, the requirements in the statute's words and their citations.

Every user string goes through ``xlsx_util.put`` and stays text ("=HYPERLINK(" is a name).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sro_desk.domain.dates import format_date
from sro_desk.domain.training import (
    STATUS_FILLS,
    STATUS_MEANINGS,
    STATUS_SYMBOLS,
    ComplianceMatrix,
    TrainingStatus,
)
from sro_desk.domain.training_catalog import TrainingCatalog
from sro_desk.exports import xlsx_util

FIXED_HEADERS = ("Name", "Employer", "Building", "Role", "First day with students",
                 "May be assigned (RCW 28A.400.345(1))",
                 "Series deadlines (RCW 28A.400.345(2))")


def write_matrix_xlsx(
    dest: Path | str,
    matrix: ComplianceMatrix,
    catalog: TrainingCatalog,
    district: str,
    *,
    progress: Callable[[int, int], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
) -> Path:
    from openpyxl.formatting.rule import FormulaRule
    from openpyxl.styles import Alignment, PatternFill
    from openpyxl.utils import get_column_letter

    from sro_desk.exports.xlsx_util import new_workbook, put, write_table, write_title

    dest = Path(dest)
    wb = new_workbook()
    sheet = wb.active
    sheet.title = "Compliance matrix"
    start = write_title(
        sheet, f"{district}: training compliance",
        f"As of {format_date(matrix.as_of)} · catalog {catalog.version} · {catalog.citation}",
    )
    headers = [*FIXED_HEADERS,
               *(("\N{LOCK} " if r.locked else "") + r.column_title for r in matrix.requirements),
               "Reasons"]
    rows = []
    total = len(matrix.rows)
    for index, row in enumerate(matrix.rows):
        if is_cancelled is not None and is_cancelled():
            from sro_desk.domain.errors import SroDeskError

            raise SroDeskError("The export was cancelled; no file was written.")
        p = row.person
        rows.append([
            p.name, p.employer_name, p.building, p.role_label, p.first_day,
            "Yes" if row.clearance.may_be_assigned else "No",
            row.clearance.compliance_label,
            *(c.short_text for c in row.cells),
            "\n".join(row.clearance.summary_lines()),
        ])
        if progress is not None:
            progress(index + 1, total)
    widths = [24, 22, 22, 20, 14, 16, 16, *([16] * len(matrix.requirements)), 70]
    last = write_table(sheet, headers, rows, start_row=start, widths=widths)
    for r_cells in sheet.iter_rows(min_row=start + 1, max_row=last, min_col=len(headers),
                                   max_col=len(headers)):
        for cell in r_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    # freeze the header and the name column
    sheet.freeze_panes = sheet.cell(row=start + 1, column=2)
    sheet.row_dimensions[start].height = 48
    for col in range(len(FIXED_HEADERS) + 1, len(headers)):
        sheet.cell(row=start, column=col).alignment = Alignment(wrap_text=True, vertical="top")
    first_col = get_column_letter(len(FIXED_HEADERS) + 1)
    last_col = get_column_letter(len(FIXED_HEADERS) + len(matrix.requirements))
    if rows:
        area = f"{first_col}{start + 1}:{last_col}{last}"
        anchor = f"{first_col}{start + 1}"
        # Longest labels first so "Expiring soon" is not caught by a shorter prefix.
        for status in sorted(TrainingStatus, key=lambda s: -len(s.value)):
            label = status.value
            fill = PatternFill("solid", fgColor=STATUS_FILLS[status], bgColor=STATUS_FILLS[status])
            sheet.conditional_formatting.add(area, FormulaRule(
                formula=[f'LEFT({anchor},{len(label)})="{label}"'], fill=fill, stopIfTrue=True,
            ))
        for column, good in ((len(FIXED_HEADERS) - 1, "Yes"),
                             (len(FIXED_HEADERS), "In compliance")):
            letter = get_column_letter(column)
            verdict_area = f"{letter}{start + 1}:{letter}{last}"
            for equal, status in (("=", TrainingStatus.VERIFIED), ("<>", TrainingStatus.OVERDUE)):
                fill = PatternFill("solid", fgColor=STATUS_FILLS[status],
                                   bgColor=STATUS_FILLS[status])
                sheet.conditional_formatting.add(verdict_area, FormulaRule(
                    formula=[f'{letter}{start + 1}{equal}"{good}"'], fill=fill, stopIfTrue=True,
                ))

    legend = wb.create_sheet("Legend")
    lstart = write_title(legend, "Legend and citations", catalog.citation)
    status_rows = [[STATUS_SYMBOLS[s], s.value, STATUS_MEANINGS[s]] for s in TrainingStatus]
    end = write_table(legend, ["Symbol in the app", "Status", "Meaning"], status_rows,
                      start_row=lstart, widths=[10, 16, 90], autofilter=False)
    for offset, status in enumerate(TrainingStatus, start=1):
        legend.cell(row=lstart + offset, column=2).fill = PatternFill(
            "solid", fgColor=STATUS_FILLS[status])
    req_start = end + 2
    req_rows = [
        [r.column_title, r.kind.value, r.text, r.citation, r.renewal_label, r.applies_label,
         f"\N{LOCK} Locked: required by law ({r.lock_citation})" if r.locked else (
             "" if r.required else f"Not required by the district: {r.not_required_reason}"),
         f"item {r.seed_number}: {r.seed_wording}" if r.seed_number else (
             f"added by {r.added_by}" if r.added_by else "")]
        for r in matrix.requirements
    ]
    write_table(
        legend,
        ["Requirement", "Kind", "Text", "Citation", "Renewal", "Applies to",
         "District setting (locked by law or the district's)",
         "District policies' 12-topic list"],
        req_rows, start_row=req_start, freeze=False, autofilter=False,
        widths=[30, 22, 80, 24, 16, 40, 30, 50],
    )
    note_row = req_start + len(req_rows) + 2
    notes = [
        *catalog.notes,
        "Deadlines: 6 months or 1 year after the first day on school property with students "
        "expected, the same day number that many months later or the last day of a shorter "
        "month (31 August + 6 months = the last day of February). Completing on the deadline "
        "is on time.",
        "Only verified completion records count. Training completed before the first day counts.",
        "Alert thresholds (days): " + ", ".join(str(d) for d in matrix.thresholds.days) + ".",
    ]
    for offset, note in enumerate(notes):
        put(legend.cell(row=note_row + offset, column=1), note)
    for r_cells in legend.iter_rows(min_row=req_start + 1, max_row=req_start + len(req_rows)):
        for cell in r_cells:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    xlsx_util.save_workbook(wb, dest)
    return dest
