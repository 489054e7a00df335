"""The selected student's details in the call dialog: grade, self-identification as collected,
and the police contact — each section shown only when it applies, each rule with its citation.

The panel edits one ``StudentDetails`` at a time (the call dialog keeps one per student row);
it never holds a name, an ID, immigration or citizenship status or place of birth
(RCW 10.93.160).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.calls import GRADES
from sro_desk.domain.demographics import DetailedCatalog
from sro_desk.domain.police_contact import ContactRules, PoliceContact

NOT_RECORDED = "not recorded"


@dataclasses.dataclass(frozen=True, slots=True)
class StudentDetails:
    grade: str = ""
    race_detail: tuple[str, ...] = ()
    hispanic: bool | None = None
    hispanic_origins: tuple[str, ...] = ()
    contact: PoliceContact | None = None


def _combo(name: str, items: list[tuple[str, object]]) -> QComboBox:
    combo = QComboBox()
    combo.setAccessibleName(name)
    for text, data in items:
        combo.addItem(text, data)
    return combo


def _set(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    combo.setCurrentIndex(max(0, index))


def _citation(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(mid);")
    label.setAccessibleName(f"Citation: {text}")
    return label


def _checklist(name: str, items: list[tuple[str, str]], height: int) -> QListWidget:
    widget = QListWidget()
    widget.setAccessibleName(name)
    widget.setMaximumHeight(height)
    for code, label in items:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    return widget


def _checked(widget: QListWidget) -> tuple[str, ...]:
    return tuple(str(widget.item(i).data(Qt.ItemDataRole.UserRole))
                 for i in range(widget.count())
                 if widget.item(i).checkState() == Qt.CheckState.Checked)


def _check(widget: QListWidget, codes: tuple[str, ...]) -> None:
    for i in range(widget.count()):
        item = widget.item(i)
        code = item.data(Qt.ItemDataRole.UserRole)
        item.setCheckState(Qt.CheckState.Checked if code in codes else Qt.CheckState.Unchecked)


class StudentDetailsPanel(QGroupBox):
    """Edits one student's details; ``changed`` fires on every edit."""

    changed = Signal()

    def __init__(self, catalog: DetailedCatalog, rules: ContactRules,
                 parent: QWidget | None = None) -> None:
        super().__init__("Selected student: grade, race and ethnicity as collected, "
                         "police contact", parent)
        self._rules = rules
        self._loading = False
        self._force_applies = False
        self._call_day = dt.date.min

        self.grade = _combo("Grade", [(NOT_RECORDED, ""), *((g, g) for g in GRADES)])
        self.hispanic = _combo("Hispanic or Latino", [("not collected", None), ("yes", True),
                                                      ("no", False)])
        self.races = _checklist("Detailed race and ethnicity",
                                [(r.code, r.label) for r in catalog.races], 96)
        self.origins = _checklist("Hispanic or Latino origin", list(catalog.hispanic_origins),
                                  70)
        identity = QFormLayout()
        identity.addRow("&Grade", self.grade)
        self.races.setToolTip("The categories the student self-identified; more than one "
                              "may be ticked.")
        self.races_chosen = QLabel()
        self.races_chosen.setWordWrap(True)
        self.races_chosen.setAccessibleName("Race and ethnicity chosen")
        identity.addRow("&Race and ethnicity", self.races)
        identity.addRow("", self.races_chosen)
        identity.addRow("&Hispanic or Latino", self.hispanic)
        self.origins_label = QLabel("Origin")
        identity.addRow(self.origins_label, self.origins)
        identity.addRow(_citation("RCW 28A.300.042 and OSPI guidance: detailed categories as "
                                  "the student self-identifies; reported through the "
                                  "district's crosswalk."))

        self.has_contact = QCheckBox("&Police contact with this student")
        self.has_contact.setAccessibleName("Police contact with this student")
        self.initiated_by = _combo("Contact initiated by", [(NOT_RECORDED, ""), *(
            (x, x) for x in rules.initiated_by)])
        self.custody = QCheckBox("Questioned in custody")
        self.detained = QCheckBox("Detained")
        self.consent = QCheckBox("Asked to consent to a search")
        self.attorney = _combo("Access to an attorney", [
            (NOT_RECORDED, None), ("yes, before any waiver", True), ("no", False)])
        self.exception = _combo("Statutory exception", [("none", ""), *(
            (label, code) for code, label in rules.attorney_exceptions)])
        self.rights = _combo("Rights advised", [(NOT_RECORDED, None), ("yes", True),
                                                ("no", False)])
        self.search_person = QCheckBox("Person searched")
        self.search_belongings = QCheckBox("Belongings searched")
        self.search_by = _combo("Search conducted by", [("", ""), *(
            (x, x) for x in rules.search_by)])
        self.search_basis = _combo("Basis of the search", [("", ""), *(
            (x, x) for x in rules.search_basis)])
        self.force = _checklist("Force types", [(f, f) for f in rules.force_types], 110)
        self.injury = _combo("Injury level", [("", ""), *((x, x) for x in rules.injury_levels)])
        self.agency_report = QLineEdit()
        self.agency_report.setAccessibleName("Agency use-of-force report reference")
        self.agency_report.setPlaceholderText("e.g. the WADEPS report number")
        self.agency_report.setMaxLength(60)
        self.notified = QCheckBox("Notified")
        self.notified_at = QDateTimeEdit()
        self.notified_at.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.notified_at.setCalendarPopup(True)
        self.notified_at.setAccessibleName("When the parent or guardian was notified")
        self.notified_how = _combo("How the parent or guardian was notified", [("", ""), *(
            (x, x) for x in rules.notification_methods)])
        self.notice_exception = _combo("Notification exception", [("none", ""), *(
            (x, x) for x in rules.notification_exceptions)])
        self.notice_citation = _citation("")
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setAccessibleName("Needs attention")
        self.warning.setStyleSheet("color: #9a3412; font-weight: bold;")

        triggers = QVBoxLayout()
        for box in (self.custody, self.detained, self.consent):
            box.setAccessibleName(box.text())
            triggers.addWidget(box)
        searches = QHBoxLayout()
        for box in (self.search_person, self.search_belongings):
            box.setAccessibleName(box.text())
            searches.addWidget(box)
        notice = QHBoxLayout()
        notice.setContentsMargins(0, 0, 0, 0)
        self.notified.setAccessibleName("Parent or guardian notified")
        notice.addWidget(self.notified)
        notice.addWidget(self.notified_at)
        notice.addWidget(self.notified_how)

        self.contact_box = QWidget()
        contact = QFormLayout(self.contact_box)
        contact.addRow("Initiated by", self.initiated_by)
        contact.addRow("RCW 13.40.740", triggers)
        self.attorney_row = QWidget()
        attorney = QFormLayout(self.attorney_row)
        attorney.setContentsMargins(0, 0, 0, 0)
        attorney.addRow("Access to an attorney", self.attorney)
        attorney.addRow("Exception", self.exception)
        attorney.addRow(_citation(f"{rules.attorney_citation}: a juvenile questioned in custody, "
                                  "detained or asked to consent to a search has access to an "
                                  "attorney before waiving any right."))
        contact.addRow(self.attorney_row)
        contact.addRow(self.warning)
        contact.addRow("Rights advised", self.rights)
        contact.addRow("Search", searches)
        self.search_row = QWidget()
        search = QFormLayout(self.search_row)
        search.setContentsMargins(0, 0, 0, 0)
        search.addRow("Conducted by", self.search_by)
        search.addRow("Basis", self.search_basis)
        search.addRow(_citation(rules.search_citation))
        contact.addRow(self.search_row)
        self.force_row = QWidget()
        force = QFormLayout(self.force_row)
        force.setContentsMargins(0, 0, 0, 0)
        force.addRow("Force types (several may apply)", self.force)
        force.addRow("Injury", self.injury)
        force.addRow("Agency report", self.agency_report)
        force.addRow(_citation(f"{rules.force_citation}; the agency reports to "
                               f"{rules.agency_report_system} within "
                               f"{rules.agency_report_days} days."))
        contact.addRow(self.force_row)
        contact.addRow("Parent or guardian", notice)
        contact.addRow("Exception", self.notice_exception)
        contact.addRow(self.notice_citation)

        layout = QVBoxLayout(self)
        layout.addLayout(identity)
        layout.addWidget(self.has_contact)
        layout.addWidget(self.contact_box)

        for combo in (self.grade, self.hispanic, self.initiated_by, self.attorney,
                      self.exception, self.rights, self.search_by, self.search_basis,
                      self.injury, self.notified_how, self.notice_exception):
            combo.currentIndexChanged.connect(self._on_edited)
        for box in (self.has_contact, self.custody, self.detained, self.consent,
                    self.search_person, self.search_belongings, self.notified):
            box.toggled.connect(self._on_edited)
        for widget in (self.races, self.origins, self.force):
            widget.itemChanged.connect(self._on_edited)
        self.agency_report.textChanged.connect(self._on_edited)
        self.notified_at.dateTimeChanged.connect(self._on_edited)
        self._show_what_applies()

    # ---------------------------------------------------------------- in and out
    def load(self, details: StudentDetails, *, force_used: bool, call_day: dt.date) -> None:
        self._loading = True
        try:
            self._force_applies = force_used
            self._call_day = call_day
            _set(self.grade, details.grade)
            _check(self.races, details.race_detail)
            _set(self.hispanic, details.hispanic)
            _check(self.origins, details.hispanic_origins)
            c = details.contact or PoliceContact()
            self.has_contact.setChecked(details.contact is not None)
            _set(self.initiated_by, c.initiated_by)
            self.custody.setChecked(c.questioned_in_custody)
            self.detained.setChecked(c.detained)
            self.consent.setChecked(c.consent_search_requested)
            _set(self.attorney, c.attorney_access_before_waiver)
            _set(self.exception, c.attorney_exception)
            _set(self.rights, c.rights_advised)
            self.search_person.setChecked(c.searched_person)
            self.search_belongings.setChecked(c.searched_belongings)
            _set(self.search_by, c.search_by)
            _set(self.search_basis, c.search_basis)
            _check(self.force, c.force_types)
            _set(self.injury, c.injury_level)
            self.agency_report.setText(c.agency_force_report)
            self.notified.setChecked(c.parent_notified_at is not None)
            at = c.parent_notified_at
            if at is None:  # a starting point for the editor: noon on the day of the call
                day = call_day if call_day != dt.date.min else dt.date(2000, 1, 1)
                at = dt.datetime.combine(day, dt.time(12, 0))
            self.notified_at.setDateTime(QDateTime(at.year, at.month, at.day, at.hour,
                                                   at.minute, 0))
            _set(self.notified_how, c.parent_notified_how)
            _set(self.notice_exception, c.parent_notification_exception)
        finally:
            self._loading = False
        self._show_what_applies()

    def set_force_used(self, used: bool) -> None:
        self._force_applies = used
        self._show_what_applies()

    def details(self) -> StudentDetails:
        contact = None
        if self.has_contact.isChecked():
            when = None
            if self.notified.isChecked():
                q = self.notified_at.dateTime()
                when = dt.datetime(q.date().year(), q.date().month(), q.date().day(),
                                   q.time().hour(), q.time().minute())
            searched = self.search_person.isChecked() or self.search_belongings.isChecked()
            contact = PoliceContact(
                initiated_by=str(self.initiated_by.currentData() or ""),
                questioned_in_custody=self.custody.isChecked(),
                detained=self.detained.isChecked(),
                consent_search_requested=self.consent.isChecked(),
                attorney_access_before_waiver=self.attorney.currentData(),
                attorney_exception=str(self.exception.currentData() or "")
                if self.attorney.currentData() is not True else "",
                rights_advised=self.rights.currentData(),
                searched_person=self.search_person.isChecked(),
                searched_belongings=self.search_belongings.isChecked(),
                search_by=str(self.search_by.currentData() or "") if searched else "",
                search_basis=str(self.search_basis.currentData() or "") if searched else "",
                force_types=_checked(self.force) if self._force_applies else (),
                injury_level=str(self.injury.currentData() or "") if self._force_applies
                else "",
                agency_force_report=self.agency_report.text().strip()
                if self._force_applies else "",
                parent_notified_at=when,
                parent_notified_how=str(self.notified_how.currentData() or "") if when else "",
                parent_notification_exception=str(self.notice_exception.currentData() or "")
                if when is None else "",
            )
        hispanic = self.hispanic.currentData()
        return StudentDetails(
            grade=str(self.grade.currentData() or ""),
            race_detail=_checked(self.races),
            hispanic=hispanic if isinstance(hispanic, bool) else None,
            hispanic_origins=_checked(self.origins) if hispanic is True else (),
            contact=contact,
        )

    # ---------------------------------------------------------------- what shows
    def _show_what_applies(self) -> None:
        """Each section appears only when it applies (a contact, a trigger, a search, force)."""
        self.origins.setVisible(self.hispanic.currentData() is True)
        self.origins_label.setVisible(self.hispanic.currentData() is True)
        contact = self.has_contact.isChecked()
        self.contact_box.setVisible(contact)
        triggered = self.custody.isChecked() or self.detained.isChecked() or \
            self.consent.isChecked()
        self.attorney_row.setVisible(triggered)
        self.exception.setEnabled(self.attorney.currentData() is False)
        self.search_row.setVisible(self.search_person.isChecked()
                                   or self.search_belongings.isChecked())
        self.force_row.setVisible(self._force_applies)
        names = [self.races.item(i).text() for i in range(self.races.count())
                 if self.races.item(i).checkState() == Qt.CheckState.Checked]
        self.races_chosen.setText("Ticked: " + "; ".join(names) if names else
                                  "None ticked: the record keeps its single category.")
        missing = triggered and self.attorney.currentData() is not True and \
            not (self.attorney.currentData() is False and self.exception.currentData())
        self.warning.setText(
            f"⚠ Access to an attorney is missing ({self._rules.attorney_citation}); this "
            "contact will be listed as needing attention." if missing else "")
        self.warning.setVisible(missing)
        self.notified_at.setEnabled(self.notified.isChecked())
        self.notified_how.setEnabled(self.notified.isChecked())
        self.notice_exception.setEnabled(not self.notified.isChecked())
        rule = self._rules.notification_rule(self._call_day) if self._call_day != dt.date.min \
            else None
        hours = self._rules.notification_hours(self._call_day) if rule else None
        self.notice_citation.setText(
            f"{rule.citation}: notice of police questioning or arrest "
            f"within {hours} hours." if rule else
            "No parent notification rule was in force on the day of this call.")

    def _on_edited(self, *_args: object) -> None:
        self._show_what_applies()
        if not self._loading:
            self.changed.emit()
