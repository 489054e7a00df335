"""District settings for calls and the annual report: own labels, reporting period, threshold."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.calls import CallLabels, LabelKind
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.suppression import MAX_PROTECTION_WIDTH, MAX_THRESHOLD, MIN_THRESHOLD
from sro_desk.services import annual_report as report_service
from sro_desk.store import call_repo
from sro_desk.ui.dialogs.messages import show_error


class CallLabelsDialog(QDialog):
    """The district's own offense types and outcomes, added beside the built-in ones."""

    def __init__(self, labels: CallLabels, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Offense types and outcomes")
        self.labels = labels
        self.changed = False
        self.kind = QComboBox()
        self.kind.setAccessibleName("Kind of label")
        for kind in (LabelKind.OFFENSE_TYPE, LabelKind.OUTCOME):
            self.kind.addItem(str(kind).capitalize() + "s", kind.value)
        self.list = QListWidget()
        self.list.setAccessibleName("Labels")
        self.new_label = QLineEdit()
        self.new_label.setAccessibleName("New label")
        self.new_label.setPlaceholderText("A new label for this district")
        self.add_button = QPushButton("&Add")
        self.add_button.setAccessibleName("Add label")
        note = QLabel(
            "Built-in labels come from the state report and cannot be changed. The district may "
            "add its own; a district outcome counts as less serious than any built-in outcome "
            "that involved action, so it never hides an arrest or a referral for prosecution."
        )
        note.setWordWrap(True)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_label, 1)
        add_row.addWidget(self.add_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.kind)
        layout.addWidget(self.list, 1)
        layout.addLayout(add_row)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_label.returnPressed.connect(self._on_add_clicked)
        self.resize(520, 560)
        self._on_kind_changed()

    def current_kind(self) -> LabelKind:
        return LabelKind(str(self.kind.currentData()))

    def _on_kind_changed(self, *_args: object) -> None:
        kind = self.current_kind()
        self.list.clear()
        for label in self.labels.labels(kind):
            suffix = "" if self.labels.is_builtin(kind, label) else "   (district)"
            self.list.addItem(label + suffix)

    def add(self, text: str) -> bool:
        try:
            self.labels = call_repo.add_custom_label(self.labels, self.current_kind(), text)
        except SroDeskError as error:
            show_error(self, error)
            return False
        self.changed = True
        self.new_label.clear()
        self._on_kind_changed()
        return True

    def _on_add_clicked(self) -> None:
        if self.new_label.text().strip():
            self.add(self.new_label.text())


class ReportSettingsDialog(QDialog):
    """When the reporting year starts and the public edition's suppression threshold."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Annual report settings")
        current = report_service.report_settings()
        self.month = QComboBox()
        self.month.setAccessibleName("Reporting year starts in month")
        for number in range(1, 13):
            self.month.addItem(dt.date(2001, number, 1).strftime("%B"), number)
        self.month.setCurrentIndex(current.start_month - 1)
        self.day = QSpinBox()
        self.day.setRange(1, 31)
        self.day.setValue(current.start_day)
        self.day.setAccessibleName("Reporting year starts on day")
        self.threshold = QSpinBox()
        self.threshold.setRange(MIN_THRESHOLD, MAX_THRESHOLD)
        self.threshold.setValue(current.threshold)
        self.threshold.setAccessibleName("Suppression threshold")
        self.threshold.setToolTip("OSPI withholds groups under 10 students (WAC 392-117-060).")
        self.width = QSpinBox()
        self.width.setRange(0, MAX_PROTECTION_WIDTH)
        self.width.setValue(current.width)
        self.width.setAccessibleName("Protection width")
        self.width.setToolTip("Before anything public is written, every hidden count must keep a "
                              "range at least this wide that a reader of all the year's public "
                              "documents together cannot narrow.")
        from sro_desk.domain.demographics import CROSSWALK_KEYS
        from sro_desk.services import incident_rules

        self.crosswalk = QComboBox()
        self.crosswalk.setAccessibleName("Race and ethnicity crosswalk")
        for key in CROSSWALK_KEYS:
            self.crosswalk.addItem(incident_rules.crosswalk(key).name, key)
        self.crosswalk.setCurrentIndex(max(0, self.crosswalk.findData(
            incident_rules.report_crosswalk().key)))
        self.crosswalk.setToolTip("How the race and ethnicity each student self-identified is "
                                  "reported; the report names the crosswalk it used.")
        self.notice_hours = QSpinBox()
        statute = incident_rules.builtin_contact_rules()
        longest = min(r.hours for r in statute.notification_versions)
        self.notice_hours.setRange(0, longest)
        self.notice_hours.setSpecialValueText(f"the statute's ({longest} hours)")
        district = incident_rules.contact_rules().district_hours
        self.notice_hours.setValue(district or 0)
        self.notice_hours.setSuffix(" hours")
        self.notice_hours.setAccessibleName("Parent notification deadline")
        self.notice_hours.setToolTip("A district may notify sooner than the statute requires, "
                                     "never later.")
        start = QHBoxLayout()
        start.addWidget(self.month, 1)
        start.addWidget(self.day)
        form = QFormLayout()
        form.addRow("Reporting year starts", start)
        form.addRow("Hide counts below", self.threshold)
        form.addRow("Protection width", self.width)
        form.addRow("Race/ethnicity crosswalk", self.crosswalk)
        form.addRow("Parent notification within", self.notice_hours)
        note = QLabel("The default is July 1 – June 30, and counts under 10 hidden in the public "
                      "edition. A lower threshold than 10 is below OSPI's practice. The public "
                      "report and complaint summary are protected together: each hidden count "
                      "keeps a range at least the protection width wide (default 5).")
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)

    def save(self) -> bool:
        try:
            from sro_desk.services import incident_rules

            report_service.save_report_settings(int(self.month.currentData()), self.day.value(),
                                                self.threshold.value(), self.width.value())
            incident_rules.save_report_crosswalk(str(self.crosswalk.currentData()))
            incident_rules.save_notice_hours(self.notice_hours.value() or None)
        except SroDeskError as error:
            show_error(self, error)
            return False
        return True

    def _on_buttons_accepted(self) -> None:
        if self.save():
            self.accept()
