"""Hiring PDFs: the results for the file, and a blank paper score sheet per panelist.

Every user string reaches reportlab through ``pdf_util`` (escaped). The results PDF prints the
definitions it used, so a reader years later can check the arithmetic by hand.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, PageBreak, Spacer, Table

from sro_desk.domain.dates import format_date
from sro_desk.domain.hiring import SCALE_LABELS, Panelist, RoundSnapshot, anchor_body
from sro_desk.domain.hiring_results import HiringResults, score_text, signed_text, tie_statement
from sro_desk.exports import pdf_util
from sro_desk.exports.pdf_util import esc, markup, para

MEAN_COLOR = colors.HexColor("#1F4E79")
DISTRICT_COLOR = colors.HexColor("#E07B39")

DEFINITIONS = (
    "Weighted score: a panelist's Σ(weight × score) ÷ Σ(weight) over all questions, on the 1–5 "
    "scale. Panel mean and median are of the panelists' weighted scores; spread is highest minus "
    "lowest. District mean: panelists who vote for the district. Rank: by panel mean shown to two "
    "decimals, highest first; equal means share a rank and the tie is stated, never broken by "
    "the program. Disagreement: panelists' scores on one question differ by 3 or more points. "
    "Calibration offset: a panelist's average score minus the average of the other panelists on "
    "the same answers (lenient above +0.75, harsh below −0.75); spread is the standard deviation "
    "of the panelist's own scores (\"middle of the road\" below 0.5)."
)


def _round_line(snap: RoundSnapshot) -> str:
    r = snap.round
    dates = " to ".join(format_date(d) for d in (r.start_date, r.end_date) if d)
    return " · ".join(p for p in (r.agency, r.building, dates, f"Status: {r.status}") if p)


def _chart(results: HiringResults, width: float) -> Drawing:
    ranked = [r for r in results.candidates if r.mean is not None]
    bar_height = 16
    height = 50 + len(ranked) * bar_height * 2.1
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x = 130
    chart.y = 30
    chart.width = width - 170
    chart.height = height - 50
    # Bottom-up order in reportlab: reverse so rank 1 is on top.
    rows = list(reversed(ranked))
    chart.data = [
        [float(score_text(r.mean)) for r in rows],
        [float(score_text(r.district_mean)) if r.district_mean is not None else 0 for r in rows],
    ]
    chart.categoryAxis.categoryNames = [
        (r.name if len(r.name) <= 22 else r.name[:21] + "…") for r in rows
    ]
    chart.categoryAxis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 5
    chart.valueAxis.valueStep = 1
    chart.valueAxis.labels.fontSize = 8
    chart.bars[0].fillColor = MEAN_COLOR
    chart.bars[1].fillColor = DISTRICT_COLOR
    chart.barLabelFormat = "%.2f"
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 10
    chart.groupSpacing = 6
    drawing.add(chart)
    legend = Legend()
    legend.x = 130
    legend.y = 10
    legend.dx = 8
    legend.dy = 8
    legend.fontSize = 8
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.alignment = "right"
    legend.colorNamePairs = [(MEAN_COLOR, "Panel mean"), (DISTRICT_COLOR, "District voting mean")]
    drawing.add(legend)
    drawing.add(String(0, height - 10, "Candidate scores (1–5 scale)", fontSize=9,
                       fontName="Helvetica-Bold"))
    return drawing


def write_results_pdf(
    dest: Path, snap: RoundSnapshot, results: HiringResults, district: str,
) -> Path:
    """The results for the personnel file: ranking, chart, per-question breakdown, calibration,
    the decision and signature lines."""
    names = snap.candidate_names()
    panel_names = {p.id: p.name for p in snap.panelists}
    story: list[Flowable] = pdf_util.document_title(
        f"Interview results — {snap.round.position}", f"{district} · {_round_line(snap)}")
    story.append(para(
        "Panel: " + "; ".join(
            f"{p.name} ({p.organization}{', ' + p.role if p.role else ''}"
            f"{', votes for the district' if p.district_voting else ''})"
            for p in snap.panelists), "Sub"))
    story.append(Spacer(1, 8))
    story.append(pdf_util.heading("Ranking"))
    panel_cols = [p for p in snap.panelists if p.id is not None]
    headers = ["Rank", "Candidate", *[p.name for p in panel_cols], "Mean", "Median", "Spread",
               "District", "Consensus"]
    rows = []
    for r in results.candidates:
        rows.append([
            r.rank_text, r.name,
            *[score_text(r.weighted_for(p.id)) for p in panel_cols if p.id is not None],
            score_text(r.mean), score_text(r.median), score_text(r.spread),
            score_text(r.district_mean),
            (f"{r.consensus.value}: {r.consensus.note}" if r.consensus else ""),
        ])
    usable = 9.8
    each = max(0.6, min(1.0, (usable - 5.1 - 1.5) / max(1, len(panel_cols))))
    consensus = max(1.2, usable - 5.1 - each * len(panel_cols))
    widths = [0.7, 1.6, *[each] * len(panel_cols), 0.7, 0.7, 0.7, 0.7, consensus]
    story.append(pdf_util.data_table(headers, rows, [w * inch for w in widths]))
    for tie in results.ties:
        story.append(Spacer(1, 4))
        story.append(markup("<b>Tie.</b> " + esc(tie_statement(tie, names))))
    for gap in results.gaps:
        story.append(para("Incomplete: " + gap, "Small"))
    story.append(Spacer(1, 10))
    story.append(_chart(results, 9.5 * inch))

    story.append(PageBreak())
    story.append(pdf_util.heading("Per-question breakdown"))
    story.append(para(
        "Each cell lists every panelist's score; ▲ marks a disagreement of 3 or more points, "
        "which the panel should discuss before the decision.", "Small"))
    q_headers = ["No.", "Competency", "Weight"]
    for r in results.candidates:
        q_headers.append(r.name)
    q_rows = []
    for q in snap.questions:
        assert q.id is not None
        line: list[object] = [q.position, q.competency, f"{q.weight.normalize():f}"]
        for r in results.candidates:
            cell = results.cell(r.candidate_id, q.id)
            if cell is None or not cell.scores:
                line.append("")
                continue
            parts = " ".join(str(v) for _, v in cell.scores)
            flag = " ▲" if cell.disagreement else ""
            line.append(f"{parts} (mean {score_text(cell.mean)}){flag}")
        q_rows.append(line)
    n = max(1, len(results.candidates))
    c_width = (9.8 - 2.8) / n
    story.append(pdf_util.data_table(q_headers, q_rows,
                                     [0.45 * inch, 1.7 * inch, 0.65 * inch, *[c_width * inch] * n]))
    story.append(para(
        "Scores in each cell are in panel order: " + ", ".join(p.name for p in panel_cols) + ".",
        "Small"))
    if results.disagreements:
        story.append(Spacer(1, 6))
        story.append(pdf_util.heading("Disagreements", 2))
        q_by = {q.id: q for q in snap.questions}
        story.append(pdf_util.data_table(
            ["Candidate", "Question", "Lowest", "Highest"],
            [[names.get(d.candidate_id, ""),
              f"{q_by[d.question_id].position}. {q_by[d.question_id].competency}",
              f"{d.low} ({', '.join(panel_names.get(p, '') for p in d.low_panelists)})",
              f"{d.high} ({', '.join(panel_names.get(p, '') for p in d.high_panelists)})"]
             for d in results.disagreements],
            [2.0 * inch, 3.4 * inch, 2.2 * inch, 2.2 * inch]))

    story.append(CondPageBreak(2.5 * inch))
    story.append(pdf_util.heading("Panelist calibration"))
    story.append(pdf_util.data_table(
        ["Panelist", "Offset from the others", "Spread (SD)", "Answers compared", "Reading"],
        [[c.name, signed_text(c.offset), "—" if c.spread is None else f"{c.spread:.2f}",
          c.compared, c.label] for c in results.calibration],
        [2.4 * inch, 1.6 * inch, 1.2 * inch, 1.4 * inch, 3.2 * inch]))
    story.append(Spacer(1, 6))
    story.append(markup("<b>How these figures are computed.</b> " + esc(DEFINITIONS), "Small"))

    story.append(CondPageBreak(3.5 * inch))
    story.append(pdf_util.heading("Decision"))
    decision = snap.decision
    if decision is None:
        story.append(para("No decision has been recorded yet."))
    else:
        story.append(markup(f"<b>{esc(decision.kind)}:</b> "
                            f"{esc(names.get(decision.candidate_id, ''))}"))
        story.append(markup("<b>Rationale:</b> " + esc(decision.rationale)))
        if decision.outcome:
            story.append(markup("<b>Final outcome:</b> " + esc(decision.outcome)))
        if decision.decided_on:
            story.append(markup("<b>Decided:</b> " + esc(format_date(decision.decided_on))))
    signers = [f"{p.name} ({p.organization})" for p in snap.panelists]
    signers.append("District hiring coordinator")
    story.append(pdf_util.signature_block(signers))
    return pdf_util.build_pdf(dest, story, title="Interview results", district=district,
                              landscape_pages=True, confidential=True)


def write_blank_sheet_pdf(
    dest: Path, snap: RoundSnapshot, panelist: Panelist, district: str,
) -> Path:
    """A paper score sheet: for each candidate, every question with its anchors and boxes 1–5."""
    story: list[Flowable] = []
    boxes = Table([[markup("<b>Score</b>", "Cell"),
                    *[para(f"{level}  {label}", "Cell") for level, label in SCALE_LABELS.items()]]],
                  colWidths=[0.8 * inch, *[1.26 * inch] * len(SCALE_LABELS)], rowHeights=[0.3 * inch])
    boxes.setStyle([("BOX", (1, 0), (-1, 0), 0.8, colors.black),
                    ("INNERGRID", (1, 0), (-1, 0), 0.8, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE")])
    lines = Table([[para("Justification (needed for 1 or 5) and comment:", "Small")], [""], [""]],
                  colWidths=[7.1 * inch], rowHeights=[0.2 * inch, 0.3 * inch, 0.3 * inch])
    lines.setStyle([("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.grey)])
    for index, cand in enumerate(snap.candidates):
        if index:
            story.append(PageBreak())
        story.extend(pdf_util.document_title(
            f"Interview score sheet — {cand.name}",
            f"{snap.round.position} · {district} · Panelist: {panelist.name} "
            f"({panelist.organization})"))
        story.append(para(
            "Tick one box per question, judged against the anchors. A 1 or a 5 needs "
            "a written justification. Ask every candidate the same questions in the same order.",
            "Small"))
        story.append(Spacer(1, 6))
        for q in snap.questions:
            anchors = Table(
                [[para(f"{level} {label}", "Cell"), para(anchor_body(level, anchor), "Cell")]
                 for (level, label), anchor in zip(SCALE_LABELS.items(), q.anchors, strict=True)],
                colWidths=[1.0 * inch, 6.1 * inch])
            anchors.setStyle([("GRID", (0, 0), (-1, -1), 0.3, pdf_util.GRID),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")])
            story.append(KeepTogether([
                markup(f"<b>{q.position}. {esc(q.competency)}</b>"
                       + (f" (weight {q.weight.normalize():f})" if q.weight != 1 else "")),
                para(q.text),
                Spacer(1, 3),
                anchors,
                Spacer(1, 4),
                boxes,
                Spacer(1, 2),
                lines,
                Spacer(1, 12),
            ]))
        story.append(pdf_util.signature_block([f"{panelist.name}, panelist"]))
    if not snap.candidates:
        story.extend(pdf_util.document_title("Interview score sheet",
                                             "No candidates have been added to this round yet."))
    return pdf_util.build_pdf(dest, story, title="Interview score sheet", district=district,
                              confidential=True)
