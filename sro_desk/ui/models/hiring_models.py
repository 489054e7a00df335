"""Table models of the Hiring tab.

Set-up tables are read-only ``ObjectTableModel``s. ``HiringSheetTableModel`` is the one editable
model: one panelist's score sheet, holding only the scores the blind rule let the service return.
Results models are filled only after the reveal, from ``HiringResults``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from sro_desk.domain.hiring import (
    SCALE,
    SCALE_LABELS,
    Candidate,
    Panelist,
    Question,
    Score,
    ScoreEntry,
    ScoringSettings,
    anchor_line,
    score_problems,
)
from sro_desk.domain.hiring_results import (
    Calibration,
    CandidateResult,
    Disagreement,
    score_text,
    signed_text,
)
from sro_desk.domain.privacy import CITATION, immigration_findings, immigration_warning
from sro_desk.ui.models.table import Column, ObjectTableModel

AnyIndex = QModelIndex | QPersistentModelIndex
PROBLEM_COLOR = QColor("#fde2e1")


class HiringPanelistTableModel(ObjectTableModel[Panelist]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Panelist", lambda p: p.name),
            Column("Organization", lambda p: p.organization),
            Column("Role", lambda p: p.role),
            Column("Votes for the district", lambda p: p.district_voting),
            Column("Sheet PIN", lambda p: "set" if p.has_pin else "none",
                   tooltip=lambda p: "The sheet opens only with the panelist's PIN" if p.has_pin
                   else "No PIN: anyone who picks this name can open the unsubmitted sheet"),
            Column("Sheet", lambda p: "submitted" if p.submitted else "scoring",
                   tooltip=lambda p: f"Submitted {p.submitted_at:%Y-%m-%d %H:%M}"
                   if p.submitted_at else "Not submitted yet"),
        ], parent)


class HiringQuestionTableModel(ObjectTableModel[Question]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("No.", lambda q: q.position, align_right=True),
            Column("Competency", lambda q: q.competency),
            Column("Provided by", lambda q: q.provided_by.value),
            Column("Weight", lambda q: f"{q.weight.normalize():f}", sort=lambda q: q.weight,
                   tooltip=lambda q: q.weight_reason),
            Column("Question", lambda q: q.text, tooltip=lambda q: q.text),
        ], parent)


class HiringCandidateTableModel(ObjectTableModel[Candidate]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Candidate", lambda c: c.name),
            Column("Current assignment", lambda c: c.current_assignment),
            Column("Screening passed", lambda c: c.screening_passed),
            Column("Notes", lambda c: c.notes, tooltip=lambda c: c.notes),
        ], parent)


class HiringRankingTableModel(ObjectTableModel[CandidateResult]):
    """Ranking with one column per panelist's weighted score; ties say so in words."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__([], parent)

    def set_results(self, panelists: Sequence[Panelist], results: Sequence[CandidateResult]) -> None:
        columns: list[Column[CandidateResult]] = [
            Column("Rank", lambda r: r.rank_text, sort=lambda r: r.rank or 10_000),
            Column("Candidate", lambda r: r.name),
        ]
        for p in panelists:
            pid = p.id
            columns.append(Column(
                p.name + (" (district)" if p.district_voting else ""),
                lambda r, pid=pid: score_text(r.weighted_for(pid)), align_right=True))
        columns += [
            Column("Panel mean", lambda r: score_text(r.mean), align_right=True),
            Column("Median", lambda r: score_text(r.median), align_right=True),
            Column("Spread", lambda r: score_text(r.spread), align_right=True),
            Column("District mean", lambda r: score_text(r.district_mean), align_right=True),
            Column("Consensus", lambda r: f"{r.consensus.value}" if r.consensus else "",
                   tooltip=lambda r: r.consensus.note if r.consensus else ""),
        ]
        self.beginResetModel()
        self._columns = columns
        self._items = list(results)
        self.endResetModel()


class HiringCalibrationTableModel(ObjectTableModel[Calibration]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Panelist", lambda c: c.name),
            Column("Offset from the others", lambda c: signed_text(c.offset), align_right=True,
                   sort=lambda c: float(c.offset) if c.offset is not None else 0.0),
            Column("Spread (SD)", lambda c: "—" if c.spread is None else f"{c.spread:.2f}",
                   align_right=True),
            Column("Reading", lambda c: c.label,
                   foreground=lambda c: QColor("#8a3b00") if c.label != "in line with the panel"
                   else None),
        ], parent)


@dataclass(frozen=True)
class DisagreementRow:
    item: Disagreement
    candidate: str
    question: str
    low_from: str
    high_from: str


class HiringDisagreementTableModel(ObjectTableModel[DisagreementRow]):
    """The short number comes before the names, so a narrow pane never pushes it out of view."""

    COL_POINTS = 2

    def __init__(self, parent: Any = None) -> None:
        super().__init__([
            Column("Candidate", lambda d: d.candidate),
            Column("Question", lambda d: d.question),
            Column("Points apart", lambda d: d.item.points, align_right=True,
                   tooltip=lambda d: f"Scores of {d.item.low} and {d.item.high} on one question"),
            Column("Lowest", lambda d: f"{d.item.low} ({d.low_from})"),
            Column("Highest", lambda d: f"{d.item.high} ({d.high_from})"),
        ], parent)


@dataclass(frozen=True)
class SheetRow:
    candidate: Candidate
    question: Question
    value: int | None
    justification: str
    comment: str


class HiringSheetTableModel(QAbstractTableModel):
    """One panelist's sheet: a row per candidate × question, Score/Justification/Comment editable."""

    HEADERS = ("Candidate", "No.", "Competency", "Score", "Justification (1 or 5)", "Comment",
               "Check")
    COL_SCORE, COL_JUSTIFICATION, COL_COMMENT, COL_CHECK = 3, 4, 5, 6

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[SheetRow] = []
        self._settings = ScoringSettings()
        self._editable = False
        self._dirty = False

    # -- data in / out
    def load(
        self, candidates: Sequence[Candidate], questions: Sequence[Question],
        scores: Sequence[Score], settings: ScoringSettings, editable: bool,
    ) -> None:
        by = {(s.candidate_id, s.question_id): s for s in scores}
        ordered = sorted(questions, key=lambda q: (q.position, q.id or 0))
        self.beginResetModel()
        self._rows = []
        for c in candidates:
            for q in ordered:
                s = by.get((c.id or 0, q.id or 0))
                self._rows.append(SheetRow(c, q, s.value if s else None,
                                           s.justification if s else "", s.comment if s else ""))
        self._settings = settings
        self._editable = editable
        self._dirty = False
        self.endResetModel()

    def clear(self) -> None:
        self.load((), (), (), self._settings, False)

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def editable(self) -> bool:
        return self._editable

    def row(self, index: int) -> SheetRow:
        return self._rows[index]

    def scores(self, panelist_id: int, entry: ScoreEntry) -> list[Score]:
        return [
            Score(panelist_id, r.candidate.id or 0, r.question.id or 0, r.value,
                  r.comment.strip(), r.justification.strip(), entry)
            for r in self._rows if r.value is not None
        ]

    def problem(self, row: SheetRow) -> str:
        problems = ["no score yet"] if row.value is None else score_problems(
            row.value, row.justification, self._settings)
        for what, text in (("justification", row.justification), ("comment", row.comment)):
            found = immigration_findings(text)
            if found:
                problems.append(f"the {what} appears to record {', '.join(found)}: remove it "
                                f"({CITATION})")
        return "; ".join(problems)

    def privacy_warnings(self) -> list[str]:
        """The full RCW 10.93.160 warning for each justification or comment that trips it."""
        lines: list[str] = []
        for number, r in enumerate(self._rows, start=1):
            for what, text in (("Justification", r.justification), ("Comment", r.comment)):
                warning = immigration_warning(text)
                if warning:
                    lines.append(f"Row {number} ({r.candidate.name}, question "
                                 f"{r.question.position}), {what.lower()}: {warning}")
        return lines

    def problem_count(self) -> int:
        return sum(1 for r in self._rows if self.problem(r))

    def set_value(self, row: int, column: int, value: object) -> bool:
        return self.setData(self.index(row, column), value, Qt.ItemDataRole.EditRole)

    # -- Qt model API
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
            return self.HEADERS[section]
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            return str(section + 1)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        r = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if col == 0:
                return r.candidate.name
            if col == 1:
                return str(r.question.position)
            if col == 2:
                return r.question.competency
            if col == self.COL_SCORE:
                if r.value is None:
                    return "" if role == Qt.ItemDataRole.DisplayRole else 0
                if role == Qt.ItemDataRole.EditRole:
                    return r.value
                return f"{r.value} {SCALE_LABELS[r.value]}"
            if col == self.COL_JUSTIFICATION:
                return r.justification
            if col == self.COL_COMMENT:
                return r.comment
            if col == self.COL_CHECK:
                return self.problem(r) or "ok"
        if role == Qt.ItemDataRole.ToolTipRole:
            if col in (1, 2):
                return r.question.text
            if col == self.COL_SCORE:
                return "\n".join(anchor_line(lvl, a)
                                 for lvl, a in zip(SCALE, r.question.anchors, strict=True))
            if col == self.COL_CHECK:
                return self.problem(r) or "Complete"
        if role == Qt.ItemDataRole.BackgroundRole and col == self.COL_CHECK and self.problem(r):
            return QBrush(PROBLEM_COLOR)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.HEADERS[col]}: {self.data(index)}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self._editable and index.column() in (
            self.COL_SCORE, self.COL_JUSTIFICATION, self.COL_COMMENT
        ):
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (not index.isValid() or role != Qt.ItemDataRole.EditRole or not self._editable
                or not 0 <= index.row() < len(self._rows)):
            return False
        r = self._rows[index.row()]
        col = index.column()
        if col == self.COL_SCORE:
            number: int | None
            if value in (None, "", 0):
                number = None
            else:
                try:
                    number = int(str(value).split()[0])
                except ValueError:
                    return False
                if number not in SCALE:
                    return False
            r = replace(r, value=number)
        elif col == self.COL_JUSTIFICATION:
            r = replace(r, justification=str(value))
        elif col == self.COL_COMMENT:
            r = replace(r, comment=str(value))
        else:
            return False
        self._rows[index.row()] = r
        self._dirty = True
        self.dataChanged.emit(self.index(index.row(), col),
                              self.index(index.row(), self.COL_CHECK))
        return True
