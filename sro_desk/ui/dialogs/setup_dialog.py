"""District set-up: name and ESD, buildings, agencies and companies, school years."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desk import clock
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.roster import (
    Building,
    Check,
    Provider,
    ProviderKind,
    SchoolYear,
    validate_building,
    validate_provider,
    validate_school_year,
)
from sro_desk.store import roster_repo, settings
from sro_desk.ui.dialogs.messages import confirm, show_error
from sro_desk.ui.models.table import Column, ObjectTableModel
from sro_desk.ui.widgets.date_edit import OptionalDateEdit


class _FormDialog(QDialog):
    """A small form whose Save button stays disabled while ``check()`` reports errors."""

    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.form = QFormLayout()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #b00020;")
        self.problems.setAccessibleName("Problems with this entry")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)

    def check(self) -> Check:
        raise NotImplementedError

    def revalidate(self, *_args: object) -> None:
        result = self.check()
        self.problems.setText("\n".join(f"✖ {e}" for e in result.errors))
        self.problems.setVisible(bool(result.errors))
        button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if button is not None:
            button.setEnabled(result.ok)


class BuildingDialog(_FormDialog):
    def __init__(self, others: list[Building], building: Building | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit building" if building else "Add building", parent)
        self._others, self._id = others, building.id if building else None
        self.name = QLineEdit(building.name if building else "")
        self.code = QLineEdit(building.code if building else "")
        self.grades = QLineEdit(building.grade_span if building else "")
        self.grades.setPlaceholderText("e.g. K-5, 6-8, 9-12")
        self.active = QCheckBox("In use")
        self.active.setChecked(building.active if building else True)
        for label, widget in (("&Name", self.name), ("Short &code", self.code), ("&Grade span", self.grades), ("", self.active)):
            widget.setAccessibleName(label.replace("&", "") or "In use")
            self.form.addRow(label, widget)
        for w in (self.name, self.code, self.grades):
            w.textChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Building:
        return Building(self._id, self.name.text().strip(), self.code.text().strip(), self.grades.text().strip(), self.active.isChecked())

    def check(self) -> Check:
        return validate_building(self.value(), self._others)


class ProviderDialog(_FormDialog):
    def __init__(self, others: list[Provider], provider: Provider | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit agency or company" if provider else "Add agency or company", parent)
        self._others, self._id = others, provider.id if provider else None
        self.name = QLineEdit(provider.name if provider else "")
        self.kind = QComboBox()
        for kind in ProviderKind:
            self.kind.addItem(kind.value, kind.value)
        if provider:
            self.kind.setCurrentIndex(self.kind.findData(provider.kind.value))
        self.contact = QLineEdit(provider.contact_name if provider else "")
        self.phone = QLineEdit(provider.phone if provider else "")
        self.email = QLineEdit(provider.email if provider else "")
        for label, widget in (("&Name", self.name), ("&Kind", self.kind), ("&Contact person", self.contact), ("&Phone", self.phone), ("&Email", self.email)):
            widget.setAccessibleName(label.replace("&", ""))
            self.form.addRow(label, widget)
        for w in (self.name, self.email):
            w.textChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Provider:
        return Provider(self._id, self.name.text().strip(), ProviderKind(self.kind.currentData()), self.contact.text().strip(), self.phone.text().strip(), self.email.text().strip())

    def check(self) -> Check:
        return validate_provider(self.value(), self._others)


class SchoolYearDialog(_FormDialog):
    def __init__(self, others: list[SchoolYear], year: SchoolYear | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit school year" if year else "Add school year", parent)
        self._others, self._id = others, year.id if year else None
        today = clock.today()
        start = today.year if today.month >= 7 else today.year - 1
        self.label = QLineEdit(year.label if year else f"{start}-{(start + 1) % 100:02d}")
        self.first = OptionalDateEdit("First day", optional=False)
        self.last = OptionalDateEdit("Last day", optional=False)
        self.first.setDate(year.first_day if year else dt.date(start, 9, 1))
        self.last.setDate(year.last_day if year else dt.date(start + 1, 6, 15))
        for label, widget in (("&Label", self.label), ("&First day", self.first), ("&Last day", self.last)):
            widget.setAccessibleName(label.replace("&", ""))
            self.form.addRow(label, widget)
        self.label.textChanged.connect(self.revalidate)
        self.first.dateChanged.connect(self.revalidate)
        self.last.dateChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> SchoolYear:
        return SchoolYear(self._id, self.label.text().strip(), self.first.date() or clock.today(), self.last.date() or clock.today())

    def check(self) -> Check:
        return validate_school_year(self.value(), self._others)


class _ListPage(QWidget):
    """A table of set-up records with Add / Edit / Delete buttons."""

    def __init__(
        self,
        columns: Sequence[Column[Any]],
        load: Callable[[], list[Any]],
        editor: Callable[[list[Any], Any | None, QWidget], _FormDialog],
        save: Callable[[Any], Any],
        delete: Callable[[Any], None],
        noun: str,
        on_change: Callable[[], None],
    ) -> None:
        super().__init__()
        self._load, self._editor, self._save, self._delete, self._noun, self._on_change = load, editor, save, delete, noun, on_change
        self.model: ObjectTableModel[Any] = ObjectTableModel(columns, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        self.view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAccessibleName(f"{noun.capitalize()} list")
        self.view.doubleClicked.connect(lambda _i: self._on_edit_clicked())
        add, edit, remove = QPushButton(f"&Add {noun}…"), QPushButton("&Edit…"), QPushButton("&Delete")
        add.clicked.connect(self._on_add_clicked)
        edit.clicked.connect(self._on_edit_clicked)
        remove.clicked.connect(self._on_delete_clicked)
        buttons = QHBoxLayout()
        for b in (add, edit, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.reload()

    def reload(self) -> None:
        self.model.set_items(self._load())

    def _selected(self) -> Any | None:
        rows = self.view.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _run_editor(self, current: Any | None) -> None:
        dialog = self._editor(self._load(), current, self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            try:
                self._save(dialog.value())  # type: ignore[attr-defined]
            except SroDeskError as error:
                show_error(self, error)
                continue
            self.reload()
            self._on_change()
            return

    def _on_add_clicked(self) -> None:
        self._run_editor(None)

    def _on_edit_clicked(self) -> None:
        current = self._selected()
        if current is not None:
            self._run_editor(current)

    def _on_delete_clicked(self) -> None:
        current = self._selected()
        if current is None:
            return
        if not confirm(self, f"Delete this {self._noun}? This is recorded in the audit trail.", ok_label="Delete"):
            return
        try:
            self._delete(current)
        except SroDeskError as error:
            show_error(self, error)
            return
        self.reload()
        self._on_change()


class DistrictPage(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.name = QLineEdit(settings.district_name())
        self.esd = QLineEdit(settings.district_esd())
        self.name.setAccessibleName("District name")
        self.esd.setAccessibleName("Educational service district")
        self.esd.setPlaceholderText("e.g. Olympic Educational Service District 114")
        form = QFormLayout(self)
        form.addRow("District &name", self.name)
        form.addRow("&Educational service district (ESD)", self.esd)
        hint = QLabel("The district's name heads every report, letter and handout.")
        hint.setWordWrap(True)
        form.addRow("", hint)

    def save(self) -> None:
        if self.name.text().strip() != settings.district_name():
            settings.set_setting(settings.DISTRICT_NAME, self.name.text().strip())
        if self.esd.text().strip() != settings.district_esd():
            settings.set_setting(settings.DISTRICT_ESD, self.esd.text().strip())


class SetupDialog(QDialog):
    """Everything the roster and later tabs refer to. Changes save as they are made."""

    def __init__(self, parent: QWidget | None = None, on_change: Callable[[], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("District set-up")
        self.resize(820, 520)
        notify = on_change or (lambda: None)
        self.district = DistrictPage()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.district, "District")
        self.buildings = _ListPage(
            [Column("Name", lambda b: b.name), Column("Code", lambda b: b.code), Column("Grades", lambda b: b.grade_span), Column("In use", lambda b: b.active)],
            roster_repo.list_buildings,
            lambda others, cur, parent: BuildingDialog(others, cur, parent),
            roster_repo.save_building,
            lambda b: roster_repo.delete_building(b.id),
            "building",
            notify,
        )
        self.providers = _ListPage(
            [Column("Name", lambda p: p.name), Column("Kind", lambda p: p.kind.value), Column("Contact", lambda p: p.contact_name), Column("Phone", lambda p: p.phone), Column("Email", lambda p: p.email)],
            roster_repo.list_providers,
            lambda others, cur, parent: ProviderDialog(others, cur, parent),
            roster_repo.save_provider,
            lambda p: roster_repo.delete_provider(p.id),
            "agency or company",
            notify,
        )
        self.years = _ListPage(
            [Column("School year", lambda y: y.label), Column("First day", lambda y: y.first_day), Column("Last day", lambda y: y.last_day)],
            roster_repo.list_school_years,
            lambda others, cur, parent: SchoolYearDialog(others, cur, parent),
            roster_repo.save_school_year,
            lambda y: roster_repo.delete_school_year(y.id),
            "school year",
            notify,
        )
        self.tabs.addTab(self.buildings, "Buildings")
        self.tabs.addTab(self.providers, "Agencies && companies")
        self.tabs.addTab(self.years, "School years")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self._notify = notify

    def done(self, result: int) -> None:
        try:
            self.district.save()
        except SroDeskError as error:
            show_error(self, error)
        self._notify()
        super().done(result)
