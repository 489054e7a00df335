"""The district's training settings: add certifications, change the renewal period of its own,
mark one of its own not required (with a reason, audited), and set the alert thresholds.

Statutory requirements carry a padlock and their citation: the 13 topics and the on-the-job days
(RCW 28A.400.345(2)(b)-(c)), the check-ins of non-SROs ((2)(d)) and the security guard trainings
(RCW 18.170.105). Their "Mark not required" button is disabled, and the service refuses it anyway.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.training_catalog import (
    DistrictCertification,
    Requirement,
    RequirementKind,
    RequirementSetting,
    TrainingCatalog,
    certification_problems,
)
from sro_desk.ui.dialogs.messages import ask_reason, show_error
from sro_desk.ui.widgets.lock_icon import lock_icon

HEADERS = ("Requirement", "Kind", "Required", "Renewal", "Applies to", "Citation")


class TrainingRequirementsDialog(QDialog):
    def __init__(self, changed: Callable[[], None], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Training requirements and alerts")
        self.setMinimumSize(900, 520)
        self._changed = changed
        self._catalog: TrainingCatalog | None = None
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName("Training requirements")
        self.required_button = QPushButton("Mark not required…")
        self.renewal_button = QPushButton("Change renewal…")
        self.applies_button = QPushButton("Applies to…")
        self.add_button = QPushButton("Add certification…")
        self.applies_button.clicked.connect(self._on_applies_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.thresholds_button = QPushButton("Alert thresholds…")
        self.thresholds_label = QLabel()
        self.required_button.clicked.connect(self._on_required_clicked)
        self.renewal_button.clicked.connect(self._on_renewal_clicked)
        self.thresholds_button.clicked.connect(self._on_thresholds_clicked)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        note = QLabel(
            "Requirements with a padlock are set by law and cannot be switched off or relaxed: "
            "every topic of RCW 28A.310.515(2) and both on-the-job days (RCW 28A.400.345(2)(b)-(c)), "
            "the check-ins of every staff member who is not an SRO ((2)(d)), and the security "
            "guard trainings of RCW 18.170.105 (whose renewal may only be shortened). Only an ESD "
            "may document prior training or waive a series component: record that for the person "
            "on the Training tab. The district may add certifications, set their renewal periods, "
            "and mark its own not required (with a reason, kept in the audit trail).")
        note.setWordWrap(True)
        actions = QHBoxLayout()
        for b in (self.required_button, self.renewal_button, self.applies_button,
                  self.add_button):
            actions.addWidget(b)
        actions.addStretch(1)
        actions.addWidget(self.thresholds_label)
        actions.addWidget(self.thresholds_button)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        layout.addWidget(close)
        self.reload()

    def reload(self) -> None:
        from sro_desk.services.training import alert_thresholds, district_catalog

        self._catalog = district_catalog()
        rows = self._catalog.requirements
        self.table.setRowCount(len(rows))
        for r, req in enumerate(rows):
            required = (f"yes — locked by law ({req.lock_citation})" if req.locked
                        else "yes" if req.required else f"no — {req.not_required_reason}")
            values = [req.column_title, req.kind.value, required,
                      req.renewal_label if req.kind is RequirementKind.CERTIFICATION else "—",
                      req.applies_label, req.citation]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(req.tooltip())
                if c == 0 and req.locked:
                    item.setIcon(lock_icon())
                    item.setData(Qt.ItemDataRole.AccessibleDescriptionRole,
                                 f"Locked: required by law ({req.lock_citation})")
                self.table.setItem(r, c, item)
        days = ", ".join(str(d) for d in alert_thresholds().days)
        self.thresholds_label.setText(f"Alerts at {days} days before a date")
        self._update_buttons()

    def selected(self) -> Requirement | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self._catalog is None:
            return None
        return self._catalog.requirements[rows[0].row()]

    def _update_buttons(self) -> None:
        current = self.selected()
        self.required_button.setEnabled(current is not None and not current.locked)
        self.required_button.setToolTip(
            current.lock_text if current is not None and current.locked else "")
        if current is not None:
            self.required_button.setText(
                "Required by law" if current.locked
                else "Mark not required…" if current.required else "Mark required again…")
        is_cert = current is not None and current.kind is RequirementKind.CERTIFICATION
        self.renewal_button.setEnabled(is_cert)
        self.applies_button.setEnabled(is_cert)

    def _save(self, setting: RequirementSetting, reason: str) -> None:
        from sro_desk.services.training import save_requirement_setting

        try:
            save_requirement_setting(setting, reason=reason)
        except SroDeskError as error:
            show_error(self, error)
            return
        self.reload()
        self._changed()

    def _current_setting(self, req: Requirement) -> RequirementSetting:
        from sro_desk.services.training import requirement_settings

        for s in requirement_settings():
            if s.code == req.code:
                return s
        return RequirementSetting(req.code)

    def _on_required_clicked(self) -> None:
        req = self.selected()
        if req is None or req.locked:
            return
        if req.required:
            prompt = (f"Why does the district not require “{req.column_title}”? "
                      "(Kept in the audit trail and shown in the matrix.)")
        else:
            prompt = f"Why is “{req.column_title}” required again?"
        reason = ask_reason(self, "Training requirement", prompt)
        if reason is None:
            return
        current = self._current_setting(req)
        from dataclasses import replace

        self._save(replace(current, required=not req.required,
                           reason=reason if req.required else ""), reason)

    def _on_renewal_clicked(self) -> None:
        req = self.selected()
        if req is None:
            return
        months, ok = QInputDialog.getInt(
            self, "Renewal period",
            f"Renew “{req.name}” every how many months? (0 = done once)",
            req.renewal_months or 0, 0, 120)
        if not ok:
            return
        reason = ask_reason(self, "Renewal period", "Why change the renewal period?")
        if reason is None:
            return
        from dataclasses import replace

        current = self._current_setting(req)
        setting = replace(current, once=months == 0,
                          renewal_months=None if months == 0 else months)
        self._save(setting, reason)

    def _on_thresholds_clicked(self) -> None:
        from sro_desk.services.training import alert_thresholds, set_alert_thresholds

        text, ok = QInputDialog.getText(
            self, "Alert thresholds",
            "Days before a due or expiry date at which to alert, separated by commas:",
            text=", ".join(str(d) for d in alert_thresholds().days))
        if not ok:
            return
        try:
            days = [int(part) for part in text.replace(";", ",").split(",") if part.strip()]
        except ValueError:
            show_error(self, "Enter whole numbers of days separated by commas, e.g. 90, 60, 30, 7.")
            return
        try:
            set_alert_thresholds(days, reason="alert thresholds changed")
        except SroDeskError as error:
            show_error(self, error)
            return
        self.reload()
        self._changed()

    def _on_applies_clicked(self) -> None:
        req = self.selected()
        if req is None or self._catalog is None:
            return
        dialog = CertificationDialog(self._catalog, req, self)
        if self._run(dialog) != QDialog.DialogCode.Accepted:
            return
        reason = ask_reason(self, "Applies to", f"Why change who must complete “{req.name}”?")
        if reason is None:
            return
        from dataclasses import replace

        roles, employers = dialog.chosen()
        self._save(replace(self._current_setting(req), roles=roles, employer_kinds=employers),
                   reason)

    def _on_add_clicked(self) -> None:
        from sro_desk.services.training import add_district_certification

        if self._catalog is None:
            return
        dialog = CertificationDialog(self._catalog, None, self)
        while self._run(dialog) == QDialog.DialogCode.Accepted:
            try:
                add_district_certification(dialog.certification(),
                                           reason=f"certification added: {dialog.name.text()}")
            except SroDeskError as error:
                show_error(self, error)
                continue
            self.reload()
            self._changed()
            return

    def _run(self, dialog: QDialog) -> int:
        """Modal in use; tests replace this to fill the dialog themselves."""
        return dialog.exec()


def _slug(name: str, taken: set[str]) -> str:
    base = "".join(ch if ch.isalnum() else "_" for ch in name.lower()).strip("_")
    base = "_".join(part for part in base.split("_") if part)[:36] or "certification"
    if not base[0].isalpha():
        base = "c_" + base
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    return code


class CertificationDialog(QDialog):
    """Add a district certification, or (with ``requirement``) choose who must complete one."""

    def __init__(self, catalog: TrainingCatalog, requirement: Requirement | None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        adding = requirement is None
        self.setWindowTitle("Add a certification" if adding else f"Who must complete "
                            f"“{requirement.name if requirement else ''}”")
        self.name = QLineEdit()
        self.name.setAccessibleName("Certification name")
        self.description = QLineEdit()
        self.description.setAccessibleName("Description")
        self.renewal = QSpinBox()
        self.renewal.setRange(0, 120)
        self.renewal.setValue(12)
        self.renewal.setSpecialValueText("once (no renewal)")
        self.renewal.setSuffix(" months")
        self.renewal.setAccessibleName("Renewal period")
        self.first_due = QSpinBox()
        self.first_due.setRange(0, 120)
        self.first_due.setSuffix(" months after the first day")
        self.first_due.setSpecialValueText("by the first day")
        self.first_due.setAccessibleName("First due")
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 500)
        self.hours.setSpecialValueText("not set")
        self.hours.setAccessibleName("Hours")
        self.role_boxes = {key: QCheckBox(label) for key, label in catalog.roles}
        self.employer_boxes = {key: QCheckBox(label) for key, label in catalog.employer_kinds}
        if requirement is not None:
            for key, box in self.role_boxes.items():
                box.setChecked(key in requirement.roles)
            for key, box in self.employer_boxes.items():
                box.setChecked(key in requirement.employer_kinds)
        roles = QGroupBox("Roles (none ticked: every role)")
        roles_layout = QVBoxLayout(roles)
        for box in self.role_boxes.values():
            roles_layout.addWidget(box)
        employers = QGroupBox("Employers (none ticked: every employer)")
        employers_layout = QVBoxLayout(employers)
        for box in self.employer_boxes.values():
            employers_layout.addWidget(box)
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if adding:
            form = QFormLayout()
            form.addRow("Name", self.name)
            form.addRow("Description", self.description)
            form.addRow("Renew every", self.renewal)
            form.addRow("First due", self.first_due)
            form.addRow("Hours", self.hours)
            layout.addLayout(form)
        groups = QHBoxLayout()
        groups.addWidget(roles)
        groups.addWidget(employers)
        layout.addLayout(groups)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        self._adding = adding
        self.name.textChanged.connect(self._on_input_changed)
        self.renewal.valueChanged.connect(self._on_input_changed)
        self._on_input_changed()

    def chosen(self) -> tuple[frozenset[str], frozenset[str]]:
        return (frozenset(k for k, b in self.role_boxes.items() if b.isChecked()),
                frozenset(k for k, b in self.employer_boxes.items() if b.isChecked()))

    def certification(self) -> DistrictCertification:
        roles, employers = self.chosen()
        taken = {r.code for r in self._catalog.requirements}
        return DistrictCertification(
            code=_slug(self.name.text(), taken), name=self.name.text().strip(),
            description=self.description.text().strip(),
            renewal_months=self.renewal.value() or None,
            initial_due_months=self.first_due.value(), roles=roles, employer_kinds=employers,
            hours=self.hours.value() or None,
        )

    def _on_input_changed(self, *_args: object) -> None:
        problems = certification_problems(self._catalog, self.certification()) if (
            self._adding) else []
        self.problems.setText("\n".join(f"• {p}" for p in problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not problems)
