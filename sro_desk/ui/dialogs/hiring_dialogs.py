"""Dialogs of the Hiring tab. Each validates as you type with the domain's own rules: Save stays
disabled and the problems are listed in words until the entry can be saved."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from PySide6.QtCore import Qt, SignalInstance
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.hiring import (
    DEFAULT_ANCHORS,
    SCALE_LABELS,
    Candidate,
    ConsensusScore,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    QuestionSource,
    RoundStatus,
    anchor_body,
    validate_candidate,
    validate_consensus,
    validate_decision,
    validate_panelist,
    validate_question,
    validate_round,
)
from sro_desk.domain.hiring_bank import BankQuestion
from sro_desk.domain.privacy import immigration_warning
from sro_desk.ui.widgets.date_edit import OptionalDateEdit
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit


class _FormDialog(QDialog):
    """A form whose Save button follows ``problems()``."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(560)
        self.form = QFormLayout()
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.setAccessibleName("Problems")
        self.problems_label.setStyleSheet("color: #8a1c1c;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problems_label)
        layout.addWidget(self.buttons)

    def problems(self) -> list[str]:
        raise NotImplementedError

    def revalidate(self, *_args: object) -> None:
        problems = self.problems()
        self.problems_label.setText("\n".join(f"• {p}" for p in problems))
        self.problems_label.setVisible(bool(problems))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems)
        self._fit_height()

    def _fit_height(self) -> None:
        """Grow (never shrink) so a warning or problem that just appeared is shown whole."""
        layout = self.layout()
        if layout is None or not self.isVisible():
            return
        layout.activate()
        needed = (layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        if needed > self.height():
            self.resize(self.width(), needed)

    def save_enabled(self) -> bool:
        return self.buttons.button(QDialogButtonBox.StandardButton.Save).isEnabled()


def _line(name: str, text: str = "") -> QLineEdit:
    edit = QLineEdit(text)
    edit.setAccessibleName(name)
    edit.setCursorPosition(0)
    return edit


class PrivacyWarned(QWidget):
    """A one-line input with the live RCW 10.93.160 warning under it, as ``PrivacyTextEdit``
    shows for notes: every text the Hiring dialogs store is checked while it is typed."""

    def __init__(self, inner: QWidget, text_of: Callable[[], str], changed: SignalInstance,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inner = inner
        self._text_of = text_of
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setObjectName("privacyWarning")
        self.warning.setStyleSheet(_WARNING_STYLE)
        self.warning.setAccessibleName("Privacy warning")
        self.warning.setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(inner)
        layout.addWidget(self.warning)
        changed.connect(self._on_inner_changed)
        self._on_inner_changed()

    def warning_text(self) -> str | None:
        return immigration_warning(self._text_of())

    def _on_inner_changed(self, *_args: object) -> None:
        message = self.warning_text()
        self.warning.setText(f"⚠ {message}" if message else "")
        self.warning.setVisible(bool(message))


_WARNING_STYLE = ("QLabel#privacyWarning { color: #3d2e00; background: #fff3cd; "
                  "border: 1px solid #e0b252; border-radius: 3px; padding: 4px; }")


def _warned(edit: QLineEdit) -> PrivacyWarned:
    return PrivacyWarned(edit, edit.text, edit.textChanged)


def _multi(name: str, text: str = "", *, height: int = 90, placeholder: str = "") -> PrivacyTextEdit:
    """A multi-line field that wraps and shows the RCW 10.93.160 warning while typed."""
    edit = PrivacyTextEdit(name, max_height=height)
    edit.setText(text)
    if placeholder:
        edit.editor.setPlaceholderText(placeholder)
    return edit


class RoundDialog(_FormDialog):
    def __init__(self, current: HiringRound | None, buildings: Sequence[str],
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit hiring round" if current else "New hiring round", parent)
        self._current = current
        self.position = _line("Position", current.position if current else "")
        self.position.setPlaceholderText("e.g. SRO, Sequim High School")
        self.agency = _line("Agency", current.agency if current else "")
        self.building = QComboBox()
        self.building.setEditable(True)
        self.building.setAccessibleName("Building")
        self.building.addItems(["", *buildings])
        self.building.setCurrentText(current.building if current else "")
        self.start = OptionalDateEdit("First interview day")
        self.end = OptionalDateEdit("Last interview day")
        self.start.setDate(current.start_date if current else None)
        self.end.setDate(current.end_date if current else None)
        self.notes = PrivacyTextEdit("Round notes")
        self.notes.setText(current.notes if current else "")
        self.form.addRow("&Position:", _warned(self.position))
        self.form.addRow("&Agency:", _warned(self.agency))
        self.form.addRow("&Building:", PrivacyWarned(self.building, self.building.currentText,
                                                     self.building.editTextChanged))
        self.form.addRow("First interview day:", self.start)
        self.form.addRow("Last interview day:", self.end)
        self.form.addRow("Notes:", self.notes)
        for signal in (self.position.textChanged, self.agency.textChanged,
                       self.start.dateChanged, self.end.dateChanged, self.notes.textChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def value(self) -> HiringRound:
        c = self._current
        return HiringRound(
            c.id if c else None, self.position.text(), self.agency.text(),
            self.building.currentText(), self.start.date(), self.end.date(),
            c.status if c else RoundStatus.PLANNING, c.revealed_at if c else None,
            self.notes.text())

    def problems(self) -> list[str]:
        return validate_round(self.value())


class PanelistDialog(_FormDialog):
    def __init__(self, round_id: int, current: Panelist | None, others: Sequence[Panelist],
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit panelist" if current else "Add panelist", parent)
        self._round_id, self._current, self._others = round_id, current, list(others)
        self.name = _line("Panelist name", current.name if current else "")
        self.organization = _line("Organization", current.organization if current else "")
        self.role = _line("Role on the panel", current.role if current else "")
        self.district_voting = QCheckBox("Votes for the district")
        self.district_voting.setChecked(bool(current and current.district_voting))
        self.form.addRow("&Name:", _warned(self.name))
        self.form.addRow("&Organization:", _warned(self.organization))
        self.form.addRow("&Role:", _warned(self.role))
        self.form.addRow("", self.district_voting)
        for signal in (self.name.textChanged, self.organization.textChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Panelist:
        c = self._current
        return Panelist(c.id if c else None, self._round_id, self.name.text(),
                        self.organization.text(), self.role.text(),
                        self.district_voting.isChecked(), c.submitted_at if c else None)

    def problems(self) -> list[str]:
        return validate_panelist(self.value(), self._others)


class QuestionDialog(_FormDialog):
    """A question, its competency and weight, and a behavioral anchor per level: each anchor is a
    wrapping multi-line field beside its level ("1 Awareness"), which the text does not repeat."""

    ANCHOR_HEIGHT = 58

    def __init__(self, round_id: int, current: Question | None, locked: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit question" if current else "Add question", parent)
        self.setMinimumWidth(680)
        self._round_id, self._current = round_id, current
        self.text = _multi("Question text", current.text if current else "", height=80)
        self.competency = _line("Competency", current.competency if current else "")
        self.provided_by = QComboBox()
        self.provided_by.setAccessibleName("Provided by")
        for source in QuestionSource:
            self.provided_by.addItem(source.value, source)
        if current:
            self.provided_by.setCurrentIndex(self.provided_by.findData(current.provided_by))
        self.weight = QDoubleSpinBox()
        self.weight.setAccessibleName("Weight")
        self.weight.setRange(0.25, 10)
        self.weight.setSingleStep(0.25)
        self.weight.setDecimals(2)
        self.weight.setValue(float(current.weight) if current else 1.0)
        self.weight_reason = _multi("Reason for a different weight",
                                    current.weight_reason if current else "", height=48,
                                    placeholder="Needed when the weight is not 1 (equal weights)")
        anchors = current.anchors if current else DEFAULT_ANCHORS
        self.anchors: list[PrivacyTextEdit] = []
        self.form.addRow("&Question:", self.text)
        self.form.addRow("&Competency:", _warned(self.competency))
        self.form.addRow("Provided by:", self.provided_by)
        self.form.addRow("&Weight:", self.weight)
        self.form.addRow("Weight reason:", self.weight_reason)
        heading = QLabel("Behavioral anchors: what an answer at each level sounds like")
        heading.setWordWrap(True)
        self.form.addRow(heading)
        for level, label in SCALE_LABELS.items():
            edit = _multi(f"Anchor for {level} {label}", anchor_body(level, anchors[level - 1]),
                          height=self.ANCHOR_HEIGHT)
            self.anchors.append(edit)
            self.form.addRow(f"{level} {label}:", edit)
            edit.textChanged.connect(self.revalidate)
        if locked:
            self.text.editor.setReadOnly(True)
            self.weight.setEnabled(False)
            self.text.editor.setToolTip("Scoring has started: wording and weight are fixed")
        for signal in (self.text.textChanged, self.competency.textChanged,
                       self.weight_reason.textChanged):
            signal.connect(self.revalidate)
        self.weight.valueChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Question:
        c = self._current
        return Question(
            c.id if c else None, self._round_id, c.position if c else 0,
            self.text.text(), self.competency.text(),
            self.provided_by.currentData(),
            Decimal(str(round(self.weight.value(), 2))).normalize(),
            self.weight_reason.text(), tuple(a.text() for a in self.anchors))

    def problems(self) -> list[str]:
        return validate_question(self.value())


class CandidateDialog(_FormDialog):
    def __init__(self, round_id: int, current: Candidate | None, others: Sequence[Candidate],
                 parent: QWidget | None = None) -> None:
        super().__init__("Edit candidate" if current else "Add candidate", parent)
        self._round_id, self._current, self._others = round_id, current, list(others)
        self.name = _line("Candidate name", current.name if current else "")
        self.assignment = _line("Current assignment", current.current_assignment if current else "")
        self.screening = OptionalDateEdit("Screening passed")
        self.screening.setDate(current.screening_passed if current else None)
        self.notes = PrivacyTextEdit("Candidate notes")
        self.notes.setText(current.notes if current else "")
        self.form.addRow("&Name:", _warned(self.name))
        self.form.addRow("Current &assignment:", _warned(self.assignment))
        self.form.addRow("Screening passed:", self.screening)
        self.form.addRow("Notes:", self.notes)
        for signal in (self.name.textChanged, self.notes.textChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Candidate:
        c = self._current
        return Candidate(c.id if c else None, self._round_id, self.name.text(),
                         self.assignment.text(), self.screening.date(), self.notes.text())

    def problems(self) -> list[str]:
        return validate_candidate(self.value(), self._others)


class ConsensusDialog(_FormDialog):
    def __init__(self, candidate: Candidate, current: ConsensusScore | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Consensus score — {candidate.name}", parent)
        self._candidate_id = candidate.id or 0
        self.value_box = QDoubleSpinBox()
        self.value_box.setAccessibleName("Consensus score")
        self.value_box.setRange(1, 5)
        self.value_box.setDecimals(2)
        self.value_box.setSingleStep(0.1)
        self.value_box.setValue(float(current.value) if current else 3.0)
        self.note = PrivacyTextEdit("Consensus note")
        self.note.setText(current.note if current else "")
        self.form.addRow("&Score:", self.value_box)
        self.form.addRow("&Note:", self.note)
        self.note.textChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> ConsensusScore:
        return ConsensusScore(self._candidate_id,
                              Decimal(str(round(self.value_box.value(), 2))), self.note.text())

    def problems(self) -> list[str]:
        return validate_consensus(self.value())


class DecisionDialog(_FormDialog):
    def __init__(self, round_id: int, candidates: Sequence[Candidate], current: Decision | None,
                 parent: QWidget | None = None) -> None:
        super().__init__("The district's decision", parent)
        self._round_id = round_id
        self._ids = [c.id for c in candidates if c.id is not None]
        self.kind = QComboBox()
        self.kind.setAccessibleName("Decision")
        kinds = ([DecisionKind.SOLE_ACCEPTED, DecisionKind.SOLE_DECLINED]
                 if len(self._ids) == 1 else [DecisionKind.PREFERRED])
        for kind in kinds:
            self.kind.addItem(kind.value, kind)
        self.candidate = QComboBox()
        self.candidate.setAccessibleName("Candidate")
        for c in candidates:
            self.candidate.addItem(c.name, c.id)
        self.rationale = PrivacyTextEdit("Rationale", max_height=110)
        self.outcome = _multi("Final outcome", height=70,
                              placeholder="e.g. Agency assigned Officer Raman from 1 March")
        self.decided_on = OptionalDateEdit("Decided on")
        if current:
            self.kind.setCurrentIndex(max(0, self.kind.findData(current.kind)))
            self.candidate.setCurrentIndex(max(0, self.candidate.findData(current.candidate_id)))
            self.rationale.setText(current.rationale)
            self.outcome.setText(current.outcome)
            self.decided_on.setDate(current.decided_on)
        else:
            self.decided_on.setDate(clock.today())
        self.form.addRow("&Decision:", self.kind)
        self.form.addRow("&Candidate:", self.candidate)
        self.form.addRow("&Rationale or reason:", self.rationale)
        self.form.addRow("Final &outcome:", self.outcome)
        self.form.addRow("Decided on:", self.decided_on)
        self.rationale.textChanged.connect(self.revalidate)
        self.outcome.textChanged.connect(self.revalidate)
        self.kind.currentIndexChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Decision:
        return Decision(self._round_id, self.kind.currentData(), self.candidate.currentData() or 0,
                        self.rationale.text(), self.outcome.text(), self.decided_on.date())

    def problems(self) -> list[str]:
        return validate_decision(self.value(), self._ids)


class BankDialog(QDialog):
    """Pick questions from the district's starter bank to copy into the round."""

    def __init__(self, bank: Sequence[BankQuestion], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Add questions from the bank")
        self.setMinimumSize(640, 420)
        self.list = QListWidget()
        self.list.setAccessibleName("Question bank")
        self.list.setWordWrap(True)
        for q in bank:
            item = QListWidgetItem(f"{q.competency} — {q.text}")
            item.setData(Qt.ItemDataRole.UserRole, q.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            item.setToolTip(q.topic)
            self.list.addItem(item)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Tick the questions to ask, in the order shown. Every candidate "
                                "gets the same questions in the same order."))
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def set_checked(self, keys: Sequence[str]) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            state = (Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in keys
                     else Qt.CheckState.Unchecked)
            item.setCheckState(state)

    def chosen_keys(self) -> list[str]:
        return [
            str(self.list.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.list.count())
            if self.list.item(row).checkState() == Qt.CheckState.Checked
        ]
