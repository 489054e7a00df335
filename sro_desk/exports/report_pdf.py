"""The annual report for the board: narrative, tables and reportlab bar charts.

Every user string (district, building and label names) goes through ``pdf_util.para``/``esc``.
Chart labels are drawn as plain strings, not markup. In the public edition a hidden count is not
drawn: it has no bar and no number (not even a zero-length bar that would read as 0), and its
label says so — "Alder Elementary School (hidden: <10)" — so a chart never shows what the tables
hide. Dates read the program's way ("26 November 2026"). Wide tables size each column to its
longest word, so a header such as "administration" is never broken mid-word.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sro_desk.domain.annual_report import AnnualReport, Edition, Figure, OneWayTable, TwoWayTable
from sro_desk.domain.dates import format_date
from sro_desk.domain.report_layout import LaidOutTable, all_tables

_PALETTE = ("#1F4E79", "#2E75B6", "#9DC3E6", "#C55A11", "#F4B183", "#548235", "#A9D18E",
            "#7F6000", "#BF9000", "#7030A0", "#D9D9D9", "#404040")


def _short(text: str, limit: int = 38) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _bar_label(label: str, figure: Figure, threshold: int) -> str:
    """The category label: a hidden count says "hidden" and why, never a number."""
    if figure.hidden:
        return f"{_short(label, 30)} (hidden: {figure.text(threshold)})"
    return _short(label)


def _row_label(label: str, total: Figure, cells: Sequence[Figure], threshold: int) -> str:
    if total.hidden:
        return _bar_label(label, total, threshold)
    if any(c.hidden for c in cells):
        return f"{_short(label, 30)} (partly hidden)"
    return _short(label)


def bar_values(figures: Sequence[Figure]) -> tuple[list[int | None], list[str]]:
    """Bar lengths and the numbers printed beside them; a hidden count has neither."""
    values = [None if f.hidden or f.value is None else f.value for f in figures]
    texts = ["" if v is None else f"{v:,}" for v in values]
    return values, texts


ROWS_PER_CHART = 24  # a chart taller than this would not fit on a page: it continues on the next


def bar_charts(title: str, labels: Sequence[str], figures: Sequence[Figure],
               threshold: int, width: float) -> list[Any]:
    """One chart, or several on one scale ("1 of 5") when a district has many buildings."""
    chunks = [range(i, min(i + ROWS_PER_CHART, len(labels))) for i in range(0, len(labels), ROWS_PER_CHART)]
    if len(chunks) <= 1:
        return [bar_chart(title, labels, figures, threshold, width)]
    shown = [f.value for f in figures if not f.hidden and f.value is not None]
    top = max(shown, default=0)
    return [
        bar_chart(f"{title} ({n} of {len(chunks)})", [labels[i] for i in chunk],
                  [figures[i] for i in chunk], threshold, width, top=top)
        for n, chunk in enumerate(chunks, start=1)
    ]


def bar_chart(title: str, labels: Sequence[str], figures: Sequence[Figure],
              threshold: int, width: float, top: int | None = None) -> Any:
    """A horizontal bar chart of shown counts; hidden ones are labelled, not drawn.

    ``top`` fixes the scale, so the parts of a long chart can be compared.
    """
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = max(1, len(labels))
    bar_space = 16
    height = rows * bar_space + 50
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName="Helvetica-Bold", fontSize=10))
    chart = HorizontalBarChart()
    chart.x = 210
    chart.y = 20
    chart.width = width - 250
    chart.height = rows * bar_space
    values, texts = bar_values(figures)
    chart.data = [list(reversed(values)) or [0]]
    chart.categoryAxis.categoryNames = list(reversed(
        [_bar_label(lab, f, threshold) for lab, f in zip(labels, figures, strict=True)]
    )) or [""]
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    if top is None:
        top = max((v for v in values if v is not None), default=0)
    chart.valueAxis.valueMax = max(5, int(top * 1.15) + 1)
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.forceZero = True
    chart.bars[0].fillColor = colors.HexColor(_PALETTE[0])
    chart.bars.strokeColor = None
    chart.barLabelFormat = "values"  # the printed numbers, blank for a hidden count
    chart.barLabelArray = [list(reversed(texts)) or [""]]
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def stacked_chart(title: str, table: TwoWayTable, threshold: int, width: float) -> Any:
    """Outcome by group as stacked bars, one colour per outcome, shown counts only."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing, String
    from reportlab.lib import colors

    rows = max(1, len(table.row_labels))
    cols = table.col_labels
    legend_rows = (len(cols) + 1) // 2
    height = rows * 18 + 60 + legend_rows * 11
    drawing = Drawing(width, height)
    drawing.add(String(0, height - 12, title, fontName="Helvetica-Bold", fontSize=10))
    chart = HorizontalBarChart()
    chart.x = 210
    chart.y = 20 + legend_rows * 11 + 10
    chart.width = width - 250
    chart.height = rows * 18
    chart.categoryAxis.style = "stacked"
    data: list[list[int | None]] = []
    for j in range(len(cols)):
        series: list[int | None] = []
        for i in reversed(range(rows)):
            f = table.cells[i][j]
            series.append(None if f.hidden or f.value is None else f.value)
        data.append(series)
    chart.data = data
    chart.categoryAxis.categoryNames = list(reversed([
        _row_label(lab, tot, cells, threshold)
        for lab, tot, cells in zip(table.row_labels, table.row_totals, table.cells, strict=True)
    ]))
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.valueAxis.valueMin = 0
    sums = [sum(series[k] or 0 for series in data) for k in range(rows)] or [0]
    chart.valueAxis.valueMax = max(5, int(max(sums) * 1.1) + 1)
    chart.valueAxis.labels.fontSize = 7.5
    chart.bars.strokeColor = None
    for j in range(len(cols)):
        chart.bars[j].fillColor = colors.HexColor(_PALETTE[j % len(_PALETTE)])
    drawing.add(chart)
    legend = Legend()
    legend.x = 10
    legend.y = 10 + legend_rows * 11
    legend.columnMaximum = legend_rows
    legend.fontSize = 7
    legend.deltay = 11
    legend.dxTextSpace = 4
    legend.alignment = "right"
    legend.colorNamePairs = [
        (colors.HexColor(_PALETTE[j % len(_PALETTE)]), _short(col, 44))
        for j, col in enumerate(cols)
    ]
    drawing.add(legend)
    return drawing


def _table_flowable(table: LaidOutTable, usable: float) -> Any:
    from reportlab.lib.units import inch

    from sro_desk.exports.pdf_util import data_table

    count = len(table.headers)
    if count <= 4:
        rows = [list(map(_cell_text, r)) for r in table.all_rows()]
        return data_table(table.headers, rows, [2.8 * inch] + [1.1 * inch] * (count - 1))
    # Wide cross-tables: smaller type so outcome names wrap between words, not inside them.
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, Table, TableStyle

    from sro_desk.exports.pdf_util import GRID, HEADER_BG, ROW_ALT, STYLES, esc

    body_rows = [[_cell_text(v) for v in r] for r in table.all_rows()]
    head_size, body_size = 7.0, 7.5
    while True:  # the largest type at which every word fits its column
        head = ParagraphStyle("WideHead", parent=STYLES["CellHead"], fontSize=head_size,
                              leading=head_size + 1.5)
        body = ParagraphStyle("WideCell", parent=STYLES["Cell"], fontSize=body_size,
                              leading=body_size + 1.5)
        widths = column_widths(table.headers, body_rows, usable, head, body, _PAD,
                               first=1.7 * inch)
        if widths is not None or head_size <= 5:
            break
        head_size, body_size = head_size - 0.5, body_size - 0.5
    if widths is None:  # cannot happen with the report's labels; keep the table readable anyway
        widths = [usable / count] * count
    cells = [[Paragraph(esc(h), head) for h in table.headers]]
    cells += [[Paragraph(esc(v), body) for v in r] for r in body_rows]
    flowable = Table(cells, colWidths=widths, repeatRows=1)
    style: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), _PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), _PAD),
    ]
    style += [("BACKGROUND", (0, i), (-1, i), ROW_ALT) for i in range(2, len(cells), 2)]
    flowable.setStyle(TableStyle(style))
    return flowable


_PAD = 3.0


def _longest_word(text: str, style: Any) -> float:
    from reportlab.pdfbase.pdfmetrics import stringWidth

    return max((stringWidth(w, style.fontName, style.fontSize) for w in text.split()),
               default=0.0)


def column_widths(headers: Sequence[str], rows: Sequence[Sequence[str]], usable: float,
                  head: Any, body: Any, pad: float, first: float) -> list[float] | None:
    """Widths in which no word has to break, or ``None`` if the type is too large to fit.

    Each column gets at least its longest word (header or cell) plus padding; the first (label)
    column gets up to ``first``, and what is left is shared out evenly.
    """
    count = len(headers)
    need = [
        max([_longest_word(headers[i], head), *(_longest_word(r[i], body) for r in rows)])
        + 2 * pad + 1
        for i in range(count)
    ]
    if sum(need) > usable:
        return None
    widths = list(need)
    widths[0] = max(need[0], min(first, usable - sum(need[1:])))
    spare = usable - sum(widths)
    return [widths[0]] + [w + spare / (count - 1) for w in widths[1:]]


def _cell_text(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def build_story(report: AnnualReport, usable_width: float) -> list[Any]:
    from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer

    from sro_desk.exports.pdf_util import document_title, heading, markup, para

    edition = "Public edition" if report.edition is Edition.PUBLIC else (
        "Internal edition — not for public release")
    story: list[Any] = document_title(
        f"{report.district_name}: calls for service, incidents and safety staff",
        f"School year {report.school_year} · {report.period_text()} · {edition}",
    )
    story.append(para(report.narrative()))
    story.append(Spacer(1, 6))
    if report.edition is Edition.PUBLIC:
        story.append(markup("<b>How small counts are protected.</b> " + _esc(report.rule),
                            "Small"))
    story.append(Spacer(1, 10))

    threshold = report.threshold
    building = report.table("calls", "by_building")
    outcome = report.table("calls", "by_outcome")
    race = report.table("students", "by_race")
    outcome_race = report.table("students", "outcome_by_race")
    assert isinstance(building, OneWayTable) and isinstance(outcome, OneWayTable)
    assert isinstance(race, OneWayTable) and isinstance(outcome_race, TwoWayTable)
    story.append(heading("Charts"))
    for chart in (
        *bar_charts("Calls by building", building.labels, building.cells, threshold, usable_width),
        *bar_charts("Calls by outcome", outcome.labels, outcome.cells, threshold, usable_width),
        *bar_charts("Involved students by race/ethnicity", race.labels, race.cells, threshold,
                    usable_width),
        stacked_chart("Outcome by race/ethnicity (involved students)", outcome_race, threshold,
                      usable_width),
    ):
        story.append(KeepTogether([chart, Spacer(1, 10)]))
    if report.edition is Edition.PUBLIC:
        story.append(para('A hidden count ("hidden: <10" or "hidden: *" beside a label) has no '
                          "bar and no number.", "Small"))

    story.append(PageBreak())
    story.append(heading("Staff, agencies and complaints (RCW 28A.320.1241)"))
    story.append(para(f"{report.staff.total} safety and security staff district-wide."))
    from sro_desk.exports.pdf_util import data_table

    if report.staff.buildings:
        story.append(data_table(
            ["Building", "Staff", "Days per week"],
            [[b.building, b.staff, f"{b.days_per_week:g}"] for b in report.staff.buildings],
            [usable_width * 0.6, usable_width * 0.15, usable_width * 0.25],
        ))
    story += _per_person_table(report, usable_width)
    story.append(Spacer(1, 8))
    story.append(markup("<b>Agencies and companies:</b> " + _esc(report.agencies.text())))
    story.append(para(f"Listed: {report.agencies.source}.", "Small"))
    story.append(Spacer(1, 8))
    complaints = report.complaints
    if complaints.tracked and complaints.total is not None:
        story.append(para(f"Complaints received: {complaints.total.text(threshold)}."))
        if complaints.counted_by_law is not None:
            story.append(para("Complaints about job duties or student interactions (the count "
                              "RCW 28A.320.1241 requires): "
                              f"{complaints.counted_by_law.text(threshold)}."))
    else:
        story.append(para(report.complaints.note))
    story.append(para(f"Incidents that resulted in discipline, use of force or arrest: "
                      f"{report.incidents_total.text(threshold)}."))
    if report.prevention_activities:
        story.append(Spacer(1, 6))
        story.append(data_table(["Prevention work", "Count"],
                                [list(p) for p in report.prevention_activities],
                                [usable_width * 0.6, usable_width * 0.2]))

    # Definitions share the (short) statutory page rather than trailing the document, where
    # their last lines used to make a near-empty page of their own.
    story.append(Spacer(1, 10))
    story.append(CondPageBreak(90))
    story.append(heading("Definitions", 2))
    story += [markup(f"<b>{_esc(term)}.</b> {_esc(definition)}", "Small")
              for term, definition in report.definitions]

    story.append(Spacer(1, 12))
    story.append(CondPageBreak(200))  # the tables run on after the definitions
    story.append(heading("Tables"))
    for table in all_tables(report):
        story.append(CondPageBreak(120))
        story.append(heading(table.title, 2))
        if table.note:
            story.append(para(table.note, "Small"))
        story.append(_table_flowable(table, usable_width))
        story.append(Spacer(1, 8))

    if report.edition is Edition.INTERNAL and report.incidents:
        story.append(Spacer(1, 10))
        story.append(CondPageBreak(150))
        story.append(heading("Incidents (internal edition only)"))
        rows = [
            [i.ref, format_date(i.occurred_on), i.building, i.offense_type,
             "; ".join(f"{s.age}, {s.gender}, {s.race}, IEP {_yn(s.iep)}, 504 "
                       f"{_yn(s.section_504)}: {s.outcome}"
                       f"{', force' if s.use_of_force else ''}"
                       f"{', discipline' if s.discipline else ''}" for s in i.students)]
            for i in report.incidents
        ]
        widths = [0.9, 1.3, 1.7, 1.6]
        from reportlab.lib.units import inch

        used = sum(widths) * inch
        story.append(data_table(["Call", "Date", "Building", "Offense", "Students"], rows,
                                [w * inch for w in widths] + [usable_width - used]))
    return story


def _esc(text: str) -> str:
    from sro_desk.exports.pdf_util import esc

    return esc(text)


def _yn(flag: bool) -> str:
    return "yes" if flag else "no"


def write_report_pdf(report: AnnualReport, dest: Path | str) -> Path:
    from reportlab.lib.pagesizes import LETTER, landscape
    from reportlab.lib.units import inch

    from sro_desk.exports.pdf_util import build_pdf

    dest = Path(dest)
    usable = landscape(LETTER)[0] - 1.2 * inch
    story = build_story(report, usable)
    # build_pdf writes through the shared atomic writer (exports/atomic.py).
    return build_pdf(dest, story, title=f"Annual report {report.school_year}",
                     district=report.district_name, landscape_pages=True,
                     confidential=report.edition is Edition.INTERNAL)


def _per_person_table(report: AnnualReport, usable_width: float) -> list[Any]:
    """RCW 28A.320.1241(1)(a): the days per week each staff member works (positions in public)."""
    from reportlab.platypus import Spacer

    from sro_desk.domain.report_staff import PER_PERSON_CITATION, table_rows
    from sro_desk.exports.pdf_util import data_table, para

    if not report.staff_people:
        return []
    public = report.edition is Edition.PUBLIC
    headers, rows = table_rows(report.staff_people, public)
    return [
        Spacer(1, 8),
        para(f"Days per week each staff member works ({PER_PERSON_CITATION})"
             + (": positions, not people." if public else "."), "Heading3"),
        data_table(headers, [[*r[:4], f"{r[4]:g}"] for r in rows],
                   [usable_width * w for w in (0.2, 0.2, 0.22, 0.28, 0.1)]),
    ]
