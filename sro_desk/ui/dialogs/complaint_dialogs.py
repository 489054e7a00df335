"""Dialogs for complaints, the calendar, meetings and activities.

Each validates as the user types with the same domain rules the services apply: Save stays
disabled and the problems are listed in words until the entry can be stored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import Enum

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.complaint_letters import (
    PLACEHOLDERS,
    LetterKind,
    available_letters,
    letter_date_problems,
    step_date,
    template_problems,
)
from sro_desk.domain.complaints import (
    NEXT_STAGES,
    Category,
    Channel,
    Complaint,
    ComplaintRules,
    DeadlineKind,
    Finding,
    InvolvedStaff,
    Stage,
    active_deadline_kind,
    extension_note,
    intake_problems,
    late_filing_note,
    suggested_extension_date,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.meetings import (
    ActivityKind,
    CadenceRules,
    MeetingKind,
    PreventionActivity,
    SupervisionMeeting,
    activity_problems,
    meeting_problems,
)
from sro_desk.domain.roster import Building, StaffMember
from sro_desk.domain.school_calendar import (
    DayOffKind,
    DistrictCalendar,
    NonSchoolDay,
    SchoolCalendar,
    calendar_problems,
    expand_range,
    new_day_off_problems,
)
from sro_desk.ui.dialogs.form import FormDialog
from sro_desk.ui.widgets.combo import combo_enum, required_enum
from sro_desk.ui.widgets.date_edit import OptionalDateEdit
from sro_desk.ui.widgets.privacy_text import PrivacyTextEdit

CHOOSE_FINDING = "Choose the finding…"


def _combo(name: str, items: Sequence[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, data in items:  # enum members by value: read them back with required_enum
        combo.addItem(text, data.value if isinstance(data, Enum) else data)
    return combo


def _date_edit(name: str, value: dt.date | None, optional: bool = False) -> OptionalDateEdit:
    edit = OptionalDateEdit(name, optional=optional)
    edit.setDate(value)
    return edit


class ComplaintIntakeDialog(FormDialog):
    """A new complaint, or corrections to a saved one's intake."""

    def __init__(self, buildings: Sequence[Building], staff: Sequence[StaffMember],
                 rules: ComplaintRules, today: dt.date, complaint: Complaint | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__("Correct complaint intake" if complaint else "New complaint", parent)
        self._rules, self._today, self._original = rules, today, complaint
        self.received = _date_edit("Date received", today)
        self.channel = _combo("Channel", [(c.value, c) for c in Channel])
        self.anonymous = QCheckBox("Anonymous")
        self.anonymous.setAccessibleName("Anonymous complaint")
        self.name = QLineEdit()
        self.name.setAccessibleName("Complainant name")
        self.contact = QLineEdit()
        self.contact.setAccessibleName("Complainant contact")
        self.language_needed = QCheckBox("Language assistance needed")
        self.language = QLineEdit()
        self.language.setAccessibleName("Language")
        self.language.setPlaceholderText("Which language")
        self.incident = _date_edit("Incident date", None, optional=True)
        self.building = _combo("Building", [(b.display, b) for b in buildings])
        self.category = _combo("Category", [(c.value, c) for c in Category])
        self.category.setToolTip("RCW 28A.320.1241 counts job-duty and student-interaction "
                                 "complaints")
        self.staff = QListWidget()
        self.staff.setAccessibleName("Staff involved")
        self.staff.setMaximumHeight(110)
        for member in staff:
            item = QListWidgetItem(f"{member.sort_name} — {member.role.value}")
            item.setData(Qt.ItemDataRole.UserRole, InvolvedStaff(member.id or 0,
                                                                  member.full_name))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.staff.addItem(item)
        self.description = PrivacyTextEdit("Description", max_height=110)
        for label, widget in (("Received", self.received), ("Channel", self.channel),
                              ("", self.anonymous), ("Complainant", self.name),
                              ("Contact", self.contact), ("", self.language_needed),
                              ("Language", self.language), ("Incident date", self.incident),
                              ("Building", self.building), ("Category", self.category),
                              ("Staff involved", self.staff),
                              ("Description", self.description)):
            self.form.addRow(label, widget)
        if complaint is not None:
            self._load(complaint)
        self.watch_privacy(self.name, self.contact, self.language)
        for signal in (self.received.dateChanged, self.incident.dateChanged,
                       self.anonymous.toggled, self.name.textChanged,
                       self.language_needed.toggled, self.language.textChanged,
                       self.building.currentIndexChanged, self.description.textChanged):
            signal.connect(self.revalidate)
        self.anonymous.toggled.connect(self._on_anonymous_toggled)
        self._on_anonymous_toggled(self.anonymous.isChecked())
        self.revalidate()

    def _load(self, c: Complaint) -> None:
        self.received.setDate(c.received_on)
        self.channel.setCurrentIndex(list(Channel).index(c.channel))
        self.anonymous.setChecked(c.anonymous)
        self.name.setText(c.complainant_name)
        self.contact.setText(c.complainant_contact)
        self.language_needed.setChecked(c.language_assistance)
        self.language.setText(c.language)
        self.incident.setDate(c.incident_date)
        index = self.building.findText(c.building, Qt.MatchFlag.MatchStartsWith)
        if index >= 0:
            self.building.setCurrentIndex(index)
        self.category.setCurrentIndex(list(Category).index(c.category))
        ids = {s.staff_id for s in c.staff}
        for row in range(self.staff.count()):
            item = self.staff.item(row)
            person = item.data(Qt.ItemDataRole.UserRole)
            item.setCheckState(Qt.CheckState.Checked if person.staff_id in ids
                               else Qt.CheckState.Unchecked)
        self.description.setText(c.description)

    def _on_anonymous_toggled(self, checked: bool) -> None:
        self.name.setEnabled(not checked)
        self.contact.setEnabled(not checked)
        if checked:
            self.name.clear()
            self.contact.clear()

    def complaint(self) -> Complaint:
        building: Building | None = self.building.currentData()
        staff = tuple(self.staff.item(r).data(Qt.ItemDataRole.UserRole)
                      for r in range(self.staff.count())
                      if self.staff.item(r).checkState() == Qt.CheckState.Checked)
        base = self._original or Complaint(
            received_on=self._today, channel=Channel.FORM, category=Category.OTHER,
            building="", description="")
        from dataclasses import replace

        return replace(
            base, received_on=self.received.date() or self._today,
            channel=required_enum(self.channel, Channel), anonymous=self.anonymous.isChecked(),
            complainant_name=self.name.text().strip(), complainant_contact=self.contact.text(),
            language_assistance=self.language_needed.isChecked(),
            language=self.language.text().strip(), incident_date=self.incident.date(),
            building=building.name if building else "",
            building_id=building.id if building else None,
            category=required_enum(self.category, Category), staff=staff,
            description=self.description.text())

    def problems(self) -> list[str]:
        return intake_problems(self.complaint(), self._today)

    def note_text(self) -> str:
        return late_filing_note(self.complaint(), self._rules) or ""


class ComplaintStepDialog(FormDialog):
    """The next workflow step of a complaint, with only the fields that step needs."""

    def __init__(self, complaint: Complaint, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{complaint.reference}: next step", parent)
        self._complaint, self._today = complaint, today
        self.stage = _combo("Step", [(s.value, s) for s in NEXT_STAGES[complaint.stage]])
        self.on = _date_edit("Date of this step", today)
        self.investigator = QLineEdit(complaint.investigator)
        self.investigator.setAccessibleName("Investigator")
        self.agency = _date_edit("Agency notified on", None, optional=True)
        self.finding = _combo("Finding", [(CHOOSE_FINDING, None),
                                          *((f.value, f) for f in Finding)])
        self.finding.setToolTip("No finding is chosen for you: pick the one the "
                                "investigation reached")
        self.summary = PrivacyTextEdit("Written summary", max_height=120)
        self.appellant = QLineEdit("the complainant")
        self.appellant.setAccessibleName("Appeal by")
        self.form.addRow(QLabel(f"Now at: {complaint.stage.value} "
                                f"(last step {format_date(complaint.last_step_date)})"))
        self.form.addRow("Step", self.stage)
        self.form.addRow("Date", self.on)
        self._rows: dict[str, list[QWidget]] = {
            "investigator": [self.investigator], "agency": [self.agency],
            "finding": [self.finding], "summary": [self.summary],
            "appellant": [self.appellant],
        }
        self.form.addRow("Investigator", self.investigator)
        self.form.addRow("Agency notified", self.agency)
        self.form.addRow("Finding", self.finding)
        self.form.addRow("Summary / note", self.summary)
        self.form.addRow("Appeal by", self.appellant)
        self.watch_privacy(self.investigator, self.appellant)
        for signal in (self.stage.currentIndexChanged, self.on.dateChanged,
                       self.investigator.textChanged, self.agency.dateChanged,
                       self.finding.currentIndexChanged,
                       self.summary.textChanged, self.appellant.textChanged):
            signal.connect(self.revalidate)
        self.stage.currentIndexChanged.connect(self._on_stage_changed)
        self._on_stage_changed()
        self.revalidate()

    def chosen_stage(self) -> Stage:
        return required_enum(self.stage, Stage)

    def chosen_finding(self) -> Finding | None:
        """The finding picked, ``None`` until the user picks one (there is no default)."""
        return combo_enum(self.finding, Finding)

    def _on_stage_changed(self, *_args: object) -> None:
        stage = self.chosen_stage()
        shown = {
            Stage.INVESTIGATING: {"investigator", "agency"},
            Stage.DETERMINED: {"finding", "summary"},
            Stage.APPEALED: {"appellant"},
            Stage.APPEAL_DECIDED: {"finding", "summary"},
            Stage.CLOSED: {"summary"},
        }[stage]
        for key, widgets in self._rows.items():
            for widget in widgets:
                widget.setVisible(key in shown)
                label = self.form.labelForField(widget)
                if label is not None:
                    label.setVisible(key in shown)

    def problems(self) -> list[str]:
        stage, on = self.chosen_stage(), self.on.date() or self._today
        finding = self.chosen_finding()
        if stage in (Stage.DETERMINED, Stage.APPEAL_DECIDED) and finding is None:
            # check the rest with a stand-in so every problem is listed at once
            problems = ["Choose the finding (Substantiated, Not substantiated or "
                        "Inconclusive): none is chosen for you."]
            return problems + self._step_problems(stage, on, Finding.INCONCLUSIVE)
        return self._step_problems(stage, on, finding)

    def _step_problems(self, stage: Stage, on: dt.date, finding: Finding | None) -> list[str]:
        from sro_desk.domain import complaints as rules
        from sro_desk.domain.errors import RuleViolation, ValidationError

        try:
            if stage is Stage.INVESTIGATING:
                rules.start_investigation(self._complaint, on, "you", self.investigator.text(),
                                          self.agency.date(), self._today)
            elif stage is Stage.DETERMINED:
                assert finding is not None
                rules.issue_determination(self._complaint, on, "you", finding,
                                          self.summary.text(), self._today)
            elif stage is Stage.APPEALED:
                rules.record_appeal(self._complaint, on, "you", self.appellant.text(),
                                    self._today)
            elif stage is Stage.APPEAL_DECIDED:
                assert finding is not None
                rules.decide_appeal(self._complaint, on, "you", finding, self.summary.text(),
                                    self._today)
            else:
                rules.close_complaint(self._complaint, on, "you", self.summary.text(),
                                      self._today)
        except ValidationError as error:
            return list(error.problems)
        except RuleViolation as error:
            return [str(error)]
        return []


class ComplaintAgencyNoticeDialog(FormDialog):
    """The day the law enforcement agency or company was told of the complaint."""

    def __init__(self, complaint: Complaint, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"{complaint.reference}: agency notified", parent)
        self._complaint, self._today = complaint, today
        self.on = _date_edit("Agency notified on", today)
        self.form.addRow("Notified on", self.on)
        self.on.dateChanged.connect(self.revalidate)
        self.revalidate()

    def problems(self) -> list[str]:
        from sro_desk.domain import complaints as rules
        from sro_desk.domain.errors import RuleViolation, ValidationError

        try:
            rules.record_agency_notice(self._complaint, self.on.date() or self._today,
                                       self._today)
        except ValidationError as error:
            return list(error.problems)
        except RuleViolation as error:
            return [str(error)]
        return []


class ComplaintExtensionDialog(FormDialog):
    """A written extension notice: reason and new date are required.

    The new date starts at a date the rules accept (``suggested_extension_date``: school days
    after the later of the notice and the current deadline) and follows the notice date until
    the user sets it. A notice sent after the deadline passed is allowed — the record must be
    true — but the dialog says so before it is saved.
    """

    def __init__(self, complaint: Complaint, current_due: dt.date | None, today: dt.date,
                 check: Callable[[dt.date, str, dt.date], list[str]],
                 parent: QWidget | None = None, *,
                 calendar: DistrictCalendar | None = None) -> None:
        super().__init__(f"{complaint.reference}: extend the deadline", parent)
        self._check, self._current_due = check, current_due
        self._calendar = calendar or DistrictCalendar()
        self._kind = active_deadline_kind(complaint) or DeadlineKind.DETERMINATION
        self._new_due_chosen = False
        self.notice = _date_edit("Notice date", today)
        self.new_due = _date_edit("New date", self._suggested(today))
        self.reason = PrivacyTextEdit("Reason for the extension", max_height=100)
        self.form.addRow(QLabel(f"Current deadline ({self._kind.value.lower()}): "
                                + (format_date(current_due) if current_due else "not computable")))
        self.form.addRow("Notice sent on", self.notice)
        self.form.addRow("New date", self.new_due)
        self.form.addRow("Reason", self.reason)
        self.notice.dateChanged.connect(self._on_notice_changed)
        self.new_due.dateChanged.connect(self._on_new_due_changed)
        for signal in (self.notice.dateChanged, self.new_due.dateChanged,
                       self.reason.textChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def _suggested(self, notice: dt.date) -> dt.date:
        return suggested_extension_date(self._current_due, notice, self._calendar)

    def _on_notice_changed(self) -> None:
        notice = self.notice.date()
        if notice is not None and not self._new_due_chosen:
            self.new_due.blockSignals(True)
            self.new_due.setDate(self._suggested(notice))
            self.new_due.blockSignals(False)

    def _on_new_due_changed(self) -> None:
        self._new_due_chosen = True

    def values(self) -> tuple[dt.date, str, dt.date]:
        return (self.notice.date() or clock.today(), self.reason.text().strip(),
                self.new_due.date() or clock.today())

    def note_text(self) -> str:
        notice = self.notice.date() or clock.today()
        note = extension_note(self._kind, self._current_due, notice, self._calendar)
        return f"⚑ {note}" if note else ""

    def problems(self) -> list[str]:
        return self._check(*self.values())


class ComplaintRulesDialog(FormDialog):
    """The district's complaint deadlines and meeting cadence (defaults from the seeds)."""

    def __init__(self, rules: ComplaintRules, cadence: CadenceRules,
                 parent: QWidget | None = None) -> None:
        super().__init__("Complaint rules and meeting cadence", parent)

        def spin(name: str, value: int, suffix: str) -> QSpinBox:
            box = QSpinBox()
            box.setRange(0, 400)
            box.setValue(value)
            box.setSuffix(suffix)
            box.setAccessibleName(name)
            box.valueChanged.connect(self.revalidate)
            return box

        self.filing = spin("Filing window", rules.filing_window_days, " calendar days")
        self.determination = spin("Determination due", rules.determination_school_days,
                                  " school days")
        self.appeal = spin("Appeal decision due", rules.appeal_school_days, " school days")
        self.formal = spin("Formal meetings every", cadence.formal_every_days, " days")
        self.informal = spin("Informal contact every", cadence.informal_every_school_days,
                             " school days")
        self.weekly = QCheckBox("Informal contact in every calendar week with a school day "
                                "(Snohomish SRO Procedures: \u201cat a minimum, weekly\u201d)")
        self.weekly.setAccessibleName("Informal contact weekly")
        self.weekly.setChecked(cadence.informal_weekly)
        self.weekly.toggled.connect(self.revalidate)
        self.weekly.toggled.connect(lambda on: self.informal.setEnabled(not on))
        self.informal.setEnabled(not cadence.informal_weekly)
        self.form.addRow(QLabel("Defaults come from the district procedure in the seeds "
                                "(10 days to file; 20 school days to answer; 30 to decide an "
                                "appeal). A late complaint is always accepted and flagged."))
        self.form.addRow("Filed within", self.filing)
        self.form.addRow("Written determination within", self.determination)
        self.form.addRow("Appeal decided within", self.appeal)
        self.form.addRow("Formal meeting at least every", self.formal)
        self.form.addRow("Informal contact", self.weekly)
        self.form.addRow("…or at least every", self.informal)
        self.revalidate()

    def rules(self) -> ComplaintRules:
        return ComplaintRules(self.filing.value(), self.determination.value(),
                              self.appeal.value())

    def cadence(self) -> CadenceRules:
        return CadenceRules(self.formal.value(), self.informal.value(),
                            informal_weekly=self.weekly.isChecked())

    def problems(self) -> list[str]:
        return self.rules().problems() + self.cadence().problems()


class ComplaintLetterTemplateDialog(FormDialog):
    """Edit the district's wording of a letter; placeholders are checked as you type."""

    def __init__(self, kind: LetterKind, text: str, parent: QWidget | None = None) -> None:
        super().__init__(f"Letter template: {kind.value}", parent)
        self.setMinimumWidth(760)
        self.editor = QPlainTextEdit(text)
        self.editor.setAccessibleName("Template text")
        self.editor.setMinimumHeight(320)
        names = QLabel("Placeholders: " + ", ".join("{{" + k + "}}" for k in PLACEHOLDERS))
        names.setWordWrap(True)
        names.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.form.addRow(QLabel("Lines starting with '# ' are headings; **text** is bold; "
                                "a blank line starts a new paragraph."))
        self.form.addRow(self.editor)
        self.form.addRow(names)
        self.watch_privacy(self.editor)
        self.revalidate()

    def text(self) -> str:
        return self.editor.toPlainText()

    def problems(self) -> list[str]:
        return template_problems(self.text())


class ComplaintLetterDialog(FormDialog):
    """Which letter to write, the date it carries and who signs it.

    The date follows the letter chosen: the day of the step the letter reports
    (``complaint_letters.step_date``) until the user sets another; it may not be earlier.
    """

    def __init__(self, complaint: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(f"{complaint.reference}: letter", parent)
        self._complaint = complaint
        kinds = available_letters(complaint)
        self.kind = _combo("Letter", [(k.value, k) for k in kinds])
        self.kind.setCurrentIndex(len(kinds) - 1)
        self.letter_date = _date_edit("Date on the letter", step_date(kinds[-1], complaint))
        self.letter_date.setToolTip("Defaults to the day of the step the letter reports")
        self.signer = QLineEdit(complaint.investigator)
        self.signer.setAccessibleName("Signed by")
        self.signer.setPlaceholderText("Name and title (default: Principal or designee)")
        self.form.addRow("Letter", self.kind)
        self.form.addRow("Dated", self.letter_date)
        self.form.addRow("Signed by", self.signer)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Write letter…")
        self.watch_privacy(self.signer)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.letter_date.dateChanged.connect(self.revalidate)
        self.revalidate()

    def chosen_kind(self) -> LetterKind:
        return required_enum(self.kind, LetterKind)

    def chosen_date(self) -> dt.date:
        return self.letter_date.date() or step_date(self.chosen_kind(), self._complaint)

    def _on_kind_changed(self, *_args: object) -> None:
        self.letter_date.setDate(step_date(self.chosen_kind(), self._complaint))
        self.revalidate()

    def note_text(self) -> str:
        kind = self.chosen_kind()
        step = step_date(kind, self._complaint)
        if self.chosen_date() == step:
            return ""
        return (f"The {kind.value.lower()} is usually dated {format_date(step)}, the day of "
                "the step it reports.")

    def problems(self) -> list[str]:
        return letter_date_problems(self.chosen_kind(), self._complaint, self.chosen_date())


class ComplaintCalendarYearDialog(FormDialog):
    """A school year's instructional first and last days."""

    def __init__(self, label: str, first: dt.date, last: dt.date,
                 existing: SchoolCalendar | None, parent: QWidget | None = None) -> None:
        super().__init__(f"{label} calendar: first and last days", parent)
        self._label, self._existing = label, existing
        self.first = _date_edit("First instructional day", first)
        self.last = _date_edit("Last instructional day", last)
        self.form.addRow("First day of school", self.first)
        self.form.addRow("Last day of school", self.last)
        for signal in (self.first.dateChanged, self.last.dateChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def values(self) -> tuple[dt.date, dt.date]:
        return (self.first.date() or clock.today(), self.last.date() or clock.today())

    def problems(self) -> list[str]:
        first, last = self.values()
        days = self._existing.days_off if self._existing else ()
        return calendar_problems(self._label, first, last, days)


class ComplaintClosureDialog(FormDialog):
    """Non-school days: one day or a range (weekends inside a range are skipped)."""

    def __init__(self, calendar: SchoolCalendar, today: dt.date,
                 parent: QWidget | None = None) -> None:
        super().__init__(f"Add non-school days to {calendar.label}", parent)
        self._calendar = calendar
        start = min(max(today, calendar.first_day), calendar.last_day)
        self.first = _date_edit("First day", start)
        self.last = _date_edit("Last day (for a range)", None, optional=True)
        self.kind = _combo("Kind", [(k.value, k) for k in DayOffKind])
        self.kind.setCurrentIndex(list(DayOffKind).index(DayOffKind.EMERGENCY))
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Description")
        self.reason.setPlaceholderText("e.g. Snow day")
        self.form.addRow("Day", self.first)
        self.form.addRow("Through", self.last)
        self.form.addRow("Kind", self.kind)
        self.form.addRow("Description", self.reason)
        self.watch_privacy(self.reason)
        for signal in (self.first.dateChanged, self.last.dateChanged, self.reason.textChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def days(self) -> list[NonSchoolDay]:
        first = self.first.date() or clock.today()
        last = self.last.date()
        kind = required_enum(self.kind, DayOffKind)
        reason = self.reason.text().strip()
        if last is None:
            return [NonSchoolDay(first, kind, reason)]
        if last < first:
            return []
        return expand_range(first, last, kind, reason)

    def problems(self) -> list[str]:
        problems = []
        if not self.reason.text().strip():
            problems.append("Describe the day (for example: Snow day).")
        last = self.last.date()
        if last is not None and last < (self.first.date() or last):
            problems.append("The last day is before the first day.")
        days = self.days()
        if not days and not problems:
            problems.append("The range holds only weekend days.")
        for off in days:
            problems.extend(new_day_off_problems(self._calendar, off))
        return problems[:8]


class ComplaintMeetingDialog(FormDialog):
    """Log a principal–staff meeting."""

    def __init__(self, buildings: Sequence[Building], staff: Sequence[StaffMember],
                 today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("Log a principal–staff meeting", parent)
        self._today = today
        self.on = _date_edit("Meeting date", today)
        self.kind = _combo("Kind", [(k.value, k) for k in MeetingKind])
        self.staff = _combo("Staff member", [(s.sort_name, s) for s in staff])
        self.building = _combo("Building", [(b.display, b) for b in buildings])
        self.principal = QLineEdit()
        self.principal.setAccessibleName("Principal")
        self.topics = QLineEdit()
        self.topics.setAccessibleName("Topics")
        self.notes = PrivacyTextEdit("Notes")
        for label, widget in (("Date", self.on), ("Kind", self.kind), ("Staff member", self.staff),
                              ("Building", self.building), ("Principal", self.principal),
                              ("Topics", self.topics), ("Notes", self.notes)):
            self.form.addRow(label, widget)
        self.watch_privacy(self.principal, self.topics)
        self.staff.currentIndexChanged.connect(self._on_staff_changed)
        for signal in (self.on.dateChanged, self.principal.textChanged, self.topics.textChanged,
                       self.notes.textChanged, self.building.currentIndexChanged):
            signal.connect(self.revalidate)
        self._on_staff_changed()
        self.revalidate()

    def _on_staff_changed(self, *_args: object) -> None:
        member: StaffMember | None = self.staff.currentData()
        if member and member.assignments:
            for index in range(self.building.count()):
                if self.building.itemData(index).id == member.assignments[0].building_id:
                    self.building.setCurrentIndex(index)

    def meeting(self) -> SupervisionMeeting:
        member: StaffMember | None = self.staff.currentData()
        building: Building | None = self.building.currentData()
        return SupervisionMeeting(
            self.on.date() or self._today, required_enum(self.kind, MeetingKind),
            self.principal.text(),
            member.id or 0 if member else 0, member.full_name if member else "",
            building.name if building else "", self.topics.text(), self.notes.text(),
            building_id=building.id if building else None)

    def problems(self) -> list[str]:
        problems = meeting_problems(self.meeting(), self._today)
        if self.staff.currentData() is None:
            problems.append("Choose the staff member.")
        return problems


class ComplaintActivityDialog(FormDialog):
    """Log a prevention activity."""

    def __init__(self, buildings: Sequence[Building], staff: Sequence[StaffMember],
                 today: dt.date, parent: QWidget | None = None) -> None:
        super().__init__("Log a prevention activity", parent)
        self._today = today
        self.on = _date_edit("Activity date", today)
        self.kind = _combo("Kind", [(k.value, k) for k in ActivityKind])
        self.building = _combo("Building", [(b.display, b) for b in buildings])
        self.staff = _combo("Staff member", [("(none)", None),
                                             *((s.sort_name, s) for s in staff)])
        self.participants = QSpinBox()
        self.participants.setRange(0, 100_000)
        self.participants.setAccessibleName("Participants")
        self.notes = PrivacyTextEdit("Notes")
        for label, widget in (("Date", self.on), ("Kind", self.kind), ("Building", self.building),
                              ("Staff member", self.staff), ("Participants", self.participants),
                              ("Notes", self.notes)):
            self.form.addRow(label, widget)
        for signal in (self.on.dateChanged, self.notes.textChanged,
                       self.building.currentIndexChanged):
            signal.connect(self.revalidate)
        self.revalidate()

    def activity(self) -> PreventionActivity:
        building: Building | None = self.building.currentData()
        member: StaffMember | None = self.staff.currentData()
        return PreventionActivity(
            self.on.date() or self._today, building.name if building else "",
            required_enum(self.kind, ActivityKind), self.participants.value(), self.notes.text(),
            staff_id=member.id if member else None,
            building_id=building.id if building else None)

    def problems(self) -> list[str]:
        return activity_problems(self.activity(), self._today)
