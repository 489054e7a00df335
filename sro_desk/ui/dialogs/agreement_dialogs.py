"""Dialogs of the Agreements tab. Each validates as you type with the domain rules: Save stays
disabled and the problems are listed in words until the entry can be saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.agreements import (
    Agreement,
    ChecklistEntry,
    ItemAssessment,
    ItemStatus,
    MeetingKind,
    ParticipantGroup,
    ReviewMeeting,
    agreement_problems,
    entry_problems,
    meeting_problems,
)
from sro_desk.domain.start_of_year import (
    BuildingStartOfYear,
    DistributionMethod,
    parse_languages,
    start_of_year_problems,
)
from sro_desk.ui.dialogs.form import FormDialog
from sro_desk.ui.widgets.combo import fill_enum_combo, required_enum
from sro_desk.ui.widgets.date_edit import OptionalDateEdit
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit


def _notes(name: str, max_height: int = 80) -> PrivacyTextEdit:
    """A notes field that keeps to its own height instead of taking the dialog's spare room."""
    widget = PrivacyTextEdit(name, max_height=max_height)
    widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return widget


def _reference(text: str, title: str) -> QGroupBox | None:
    """Last year's notes, read-only, when there are any."""
    if not text.strip():
        return None
    box = QGroupBox(title)
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setAccessibleName(title)
    QVBoxLayout(box).addWidget(label)
    return box


class AgreementDialog(FormDialog):
    """Title, provider, dates, responsible people and notes of one agreement."""

    def __init__(
        self,
        providers: Sequence[tuple[int, str]],
        school_year: str,
        current: Agreement | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", parent)
        self._current = current
        self._school_year = current.school_year if current else school_year
        self.setWindowTitle("Edit agreement" if current else f"New agreement for {school_year}")
        self.provider = QComboBox()
        self.provider.setAccessibleName("Agency or company")
        for provider_id, name in providers:
            self.provider.addItem(name, provider_id)
        self.title = QLineEdit()
        self.title.setAccessibleName("Agreement title")
        self.title.setPlaceholderText(f"e.g. School resource officer interlocal agreement {school_year}")
        self.effective = OptionalDateEdit("Effective date")
        self.expires = OptionalDateEdit("Expiry date")
        self.adopted = OptionalDateEdit("Board adoption date")
        self.adopted.setToolTip("Leave unticked while the agreement is a draft")
        self.responsible = QLineEdit()
        self.responsible.setAccessibleName("People responsible")
        self.responsible.setPlaceholderText("e.g. Superintendent; Chief of police; safety coordinator")
        self.notes = _notes("Agreement notes")
        form = QFormLayout()
        form.addRow("Agency or &company:", self.provider)
        form.addRow("&Title:", self.title)
        form.addRow("School year:", QLabel(self._school_year))
        form.addRow("&Effective:", self.effective)
        form.addRow("E&xpires:", self.expires)
        form.addRow("Board &adoption:", self.adopted)
        form.addRow("&Responsible:", self.responsible)
        form.addRow("&Notes:", self.notes)
        layout = QVBoxLayout()
        layout.addLayout(form)
        if current is not None:
            box = _reference(current.previous_notes, "Last year's notes (for reference)")
            if box is not None:
                layout.addWidget(box)
            self.provider.setCurrentIndex(max(0, self.provider.findData(current.provider_id)))
            self.provider.setEnabled(False)
            self.title.setText(current.title)
            self.effective.setDate(current.effective_on)
            self.expires.setDate(current.expires_on)
            self.adopted.setDate(current.adopted_on)
            self.responsible.setText(current.responsible)
            self.notes.setText(current.notes)
        else:
            start = int(school_year[:4])
            self.effective.setDate(dt.date(start, 9, 1))
            self.expires.setDate(dt.date(start + 1, 8, 31))
        self.add_to_body(layout, 1)
        for signal in (self.title.textChanged, self.responsible.textChanged,
                       self.effective.dateChanged, self.expires.dateChanged,
                       self.adopted.dateChanged, self.provider.currentIndexChanged):
            signal.connect(self.revalidate)
        self.revalidate()
        self.resize(620, 480)

    def agreement(self) -> Agreement:
        base = self._current or Agreement(self._school_year, 0, "", "")
        return replace(
            base,
            provider_id=int(self.provider.currentData() or 0),
            provider_name=self.provider.currentText(),
            title=self.title.text(),
            effective_on=self.effective.date(),
            expires_on=self.expires.date(),
            adopted_on=self.adopted.date(),
            responsible=self.responsible.text(),
            notes=self.notes.text(),
        )

    def problems(self) -> list[str]:
        return agreement_problems(self.agreement())

    def free_text(self) -> list[str]:
        return [self.title.text(), self.responsible.text()]


class ChecklistItemDialog(FormDialog):
    """One checklist item: status (N/A needs a reason), section, evidence, who checked it, when."""

    def __init__(
        self, item: ItemAssessment, checker: str, today: dt.date, parent: QWidget | None = None
    ) -> None:
        super().__init__("", parent)
        self._item = item
        self._today = today
        d = item.definition
        self.setWindowTitle(f"Checklist item {d.order}: {d.title}")
        lock = (f"\n\nLocked: required by {d.citation_text}. It cannot be marked not "
                "applicable; only the district's own items can." if d.statutory else "")
        about = QLabel(f"{d.description}\n\n{d.citation_text}{lock}")
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
        about.setAccessibleName("What this item requires")
        self.status = QComboBox()
        self.status.setAccessibleName("Status")
        fill_enum_combo(self.status, [
            status for status in ItemStatus
            # the law asks it of every agreement: "not applicable" is not offered
            if not (status is ItemStatus.NOT_APPLICABLE and (d.statutory or d.judged_live)
                    and item.entry.status is not ItemStatus.NOT_APPLICABLE)
        ])
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason not applicable")
        self.reason.setPlaceholderText(
            "This item always applies; it is checked from the records" if d.judged_live
            else "This item is required by law; it always applies" if d.statutory
            else "Required when the item does not apply")
        self.section = QLineEdit()
        self.section.setAccessibleName("Section of the agreement")
        self.section.setPlaceholderText("e.g. §3.2")
        self.evidence = QLineEdit()
        self.evidence.setAccessibleName("Evidence")
        self.checked_by = QLineEdit()
        self.checked_by.setAccessibleName("Checked by")
        self.checked_on = OptionalDateEdit("Checked on")
        self.notes = _notes("Item notes")
        form = QFormLayout()
        form.addRow("&Status:", self.status)
        form.addRow("&Reason not applicable:", self.reason)
        form.addRow("S&ection:", self.section)
        form.addRow("E&vidence:", self.evidence)
        form.addRow("Checked &by:", self.checked_by)
        form.addRow("Checked &on:", self.checked_on)
        form.addRow("&Notes:", self.notes)
        layout = QVBoxLayout()
        layout.addWidget(about)
        if item.flags:
            flags = QLabel("\n".join(f"⚠ {f}" for f in item.flags))
            flags.setWordWrap(True)
            flags.setTextFormat(Qt.TextFormat.PlainText)
            flags.setAccessibleName("Needs attention")
            flags.setStyleSheet("color: #9c2a00;")
            layout.addWidget(flags)
        layout.addLayout(form)
        box = _reference(item.entry.previous_notes, "Last year (for reference)")
        if box is not None:
            layout.addWidget(box)
        e = item.entry
        self.status.setCurrentIndex(self.status.findData(e.status.value))
        self.reason.setText(e.not_applicable_reason)
        self.section.setText(e.section)
        self.evidence.setText(e.evidence)
        self.checked_by.setText(e.checked_by or checker)
        self.checked_on.setDate(e.checked_on)
        self.notes.setText(e.notes)
        self.add_to_body(layout, 1)
        for signal in (self.status.currentIndexChanged, self.reason.textChanged,
                       self.section.textChanged, self.evidence.textChanged,
                       self.checked_by.textChanged, self.checked_on.dateChanged):
            signal.connect(self.revalidate)
        self.status.currentIndexChanged.connect(self._on_status_changed)
        self._on_status_changed()
        self.resize(620, 500)

    def _on_status_changed(self, *_args: object) -> None:
        status = required_enum(self.status, ItemStatus)
        self.reason.setEnabled(status is ItemStatus.NOT_APPLICABLE
                               and not self._item.definition.judged_live
                               and not self._item.definition.statutory)
        if status in (ItemStatus.MET, ItemStatus.NOT_APPLICABLE) and self.checked_on.date() is None:
            self.checked_on.setDate(self._today)
        self.revalidate()

    def entry(self) -> ChecklistEntry:
        return replace(
            self._item.entry,
            status=required_enum(self.status, ItemStatus),
            not_applicable_reason=self.reason.text(),
            section=self.section.text(),
            evidence=self.evidence.text(),
            checked_by=self.checked_by.text(),
            checked_on=self.checked_on.date(),
            notes=self.notes.text(),
        )

    def problems(self) -> list[str]:
        return entry_problems(self.entry(), self._today, self._item.definition)

    def free_text(self) -> list[str]:
        return [self.reason.text(), self.section.text(), self.evidence.text()]


class ReviewMeetingDialog(FormDialog):
    """A review meeting: date, kind, what it reviewed, who took part (counts per group)."""

    def __init__(
        self,
        school_year: str,
        agreements: Sequence[tuple[int, str]],
        current: ReviewMeeting | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", parent)
        self._school_year = current.school_year if current else school_year
        self._current = current
        self.setWindowTitle("Edit review meeting" if current else f"New review meeting ({school_year})")
        self.held_on = OptionalDateEdit("Meeting date", optional=False)
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of meeting")
        fill_enum_combo(self.kind, MeetingKind)
        self.applies = QComboBox()
        self.applies.setAccessibleName("Applies to")
        self.applies.addItem("Every agreement this year", None)
        for agreement_id, name in agreements:
            self.applies.addItem(name, agreement_id)
        self.counts: dict[ParticipantGroup, QSpinBox] = {}
        grid = QGridLayout()
        for row, group in enumerate(ParticipantGroup):
            spin = QSpinBox()
            spin.setRange(0, 10_000)
            spin.setAccessibleName(f"Number of {group.value.lower()}")
            self.counts[group] = spin
            grid.addWidget(QLabel(f"{group.value}:"), row // 3, (row % 3) * 2)
            grid.addWidget(spin, row // 3, (row % 3) * 2 + 1)
        people = QGroupBox("Participants by group (the review must include parents, students and "
                           "community members)")
        people.setLayout(grid)
        self.notes = _notes("Meeting notes")
        form = QFormLayout()
        form.addRow("&Date:", self.held_on)
        form.addRow("&Kind:", self.kind)
        form.addRow("&Applies to:", self.applies)
        layout = QVBoxLayout()
        layout.addLayout(form)
        layout.addWidget(people)
        layout.addWidget(QLabel("Notes:"))
        layout.addWidget(self.notes)
        if current is not None:
            self.held_on.setDate(current.held_on)
            self.kind.setCurrentIndex(self.kind.findData(current.kind.value))
            self.applies.setCurrentIndex(max(0, self.applies.findData(current.agreement_id)))
            for group, spin in self.counts.items():
                spin.setValue(current.count(group))
            self.notes.setText(current.notes)
        self.add_to_body(layout, 1)
        self.held_on.dateChanged.connect(self.revalidate)
        for spin in self.counts.values():
            spin.valueChanged.connect(self.revalidate)
        self.revalidate()
        self.resize(620, 400)

    def meeting(self) -> ReviewMeeting:
        held = self.held_on.date() or clock.today()
        participants = tuple((g, s.value()) for g, s in self.counts.items() if s.value() > 0)
        base = self._current or ReviewMeeting(self._school_year, held, MeetingKind.COMMITTEE)
        return replace(
            base,
            held_on=held,
            kind=required_enum(self.kind, MeetingKind),
            agreement_id=self.applies.currentData(),
            participants=participants,
            notes=self.notes.text(),
        )

    def problems(self) -> list[str]:
        return meeting_problems(self.meeting())


class StartOfYearDialog(FormDialog):
    """What one building did: the presentation to students and the distribution to families."""

    def __init__(
        self,
        record: BuildingStartOfYear,
        first_day: dt.date,
        today: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("", parent)
        self._record = record
        self._first_day = first_day
        self._today = today
        self.setWindowTitle(f"Start of year {record.school_year}: {record.building_name}")
        self.presented_on = OptionalDateEdit("Presentation date")
        self.presenter = QLineEdit()
        self.presenter.setAccessibleName("Presenter")
        self.audience = QLineEdit()
        self.audience.setAccessibleName("Audience")
        self.audience.setPlaceholderText("e.g. all grades, in advisory")
        self.presentation_notes = _notes("Presentation notes", 60)
        self.distributed_on = OptionalDateEdit("Distribution date")
        self.methods: dict[DistributionMethod, QCheckBox] = {}
        methods_row = QWidget()
        methods_layout = QGridLayout(methods_row)
        methods_layout.setContentsMargins(0, 0, 0, 0)
        for column, method in enumerate(DistributionMethod):
            box = QCheckBox(method.value)
            box.setAccessibleName(f"Distributed by {method.value.lower()}")
            self.methods[method] = box
            methods_layout.addWidget(box, 0, column)
        self.languages = QLineEdit()
        self.languages.setAccessibleName("Languages")
        self.languages.setPlaceholderText("e.g. English, Spanish, Vietnamese")
        self.distribution_notes = _notes("Distribution notes", 60)
        self.trained_on = OptionalDateEdit("Staff training date")
        self.trainer = QLineEdit()
        self.trainer.setAccessibleName("Staff trained by")
        self.training_notes = _notes("Staff training notes", 50)
        presentation = QGroupBox("Presentation to and discussion with students")
        p_form = QFormLayout(presentation)
        p_form.addRow("&Date:", self.presented_on)
        p_form.addRow("&Presenter:", self.presenter)
        p_form.addRow("&Audience:", self.audience)
        covers = QLabel("Cover the role and responsibilities of safety and security staff "
                        "(RCW 28A.320.124(2)), including the SRO's role as educator, informal "
                        "counselor and law enforcer, and that law enforcement activity generally "
                        "takes place at a location other than school premises (district policy).")
        covers.setWordWrap(True)
        p_form.addRow(covers)
        p_form.addRow("Notes:", self.presentation_notes)
        distribution = QGroupBox("Distribution to families")
        d_form = QFormLayout(distribution)
        d_form.addRow("D&ate:", self.distributed_on)
        d_form.addRow("How:", methods_row)
        d_form.addRow("&Languages:", self.languages)
        d_form.addRow("Notes:", self.distribution_notes)
        training = QGroupBox("School staff trained on when to ask an SRO to intervene "
                             "(Snohomish SRO procedures)")
        t_form = QFormLayout(training)
        t_form.addRow("Da&te:", self.trained_on)
        t_form.addRow("&Trained by:", self.trainer)
        t_form.addRow("Notes:", self.training_notes)
        layout = QVBoxLayout()
        layout.addWidget(presentation)
        layout.addWidget(distribution)
        layout.addWidget(training)
        self.presented_on.setDate(record.presented_on)
        self.presenter.setText(record.presenter)
        self.audience.setText(record.audience)
        self.presentation_notes.setText(record.presentation_notes)
        self.distributed_on.setDate(record.distributed_on)
        for method, box in self.methods.items():
            box.setChecked(method in record.methods)
        self.languages.setText(", ".join(record.languages))
        self.distribution_notes.setText(record.distribution_notes)
        self.trained_on.setDate(record.intervention_training_on)
        self.trainer.setText(record.intervention_trainer)
        self.training_notes.setText(record.intervention_training_notes)
        self.add_to_body(layout, 1)
        for signal in (self.presented_on.dateChanged, self.presenter.textChanged,
                       self.audience.textChanged, self.distributed_on.dateChanged,
                       self.languages.textChanged, self.trained_on.dateChanged,
                       self.trainer.textChanged):
            signal.connect(self.revalidate)
        for box in self.methods.values():
            box.toggled.connect(self.revalidate)
        self.revalidate()
        self.resize(640, 680)

    def record(self) -> BuildingStartOfYear:
        return replace(
            self._record,
            presented_on=self.presented_on.date(),
            presenter=self.presenter.text(),
            audience=self.audience.text(),
            presentation_notes=self.presentation_notes.text(),
            distributed_on=self.distributed_on.date(),
            methods=tuple(m for m, box in self.methods.items() if box.isChecked()),
            languages=parse_languages(self.languages.text()),
            distribution_notes=self.distribution_notes.text(),
            intervention_training_on=self.trained_on.date(),
            intervention_trainer=self.trainer.text(),
            intervention_training_notes=self.training_notes.text(),
        )

    def problems(self) -> list[str]:
        return start_of_year_problems(self.record(), self._first_day, self._today)

    def free_text(self) -> list[str]:
        return [self.presenter.text(), self.audience.text(), self.trainer.text()]
