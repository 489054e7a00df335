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
from sro_desk.services import district
from sro_desk.services import roster as roster_svc
from sro_desk.ui.dialogs.form import (
    MAX_CODE,
    MAX_EMAIL,
    MAX_NAME,
    MAX_PHONE,
    FormDialog,
    line_edit,
    run_until_saved,
)
from sro_desk.ui.dialogs.messages import confirm, show_error
from sro_desk.ui.models.table import Column, ObjectTableModel
from sro_desk.ui.widgets.combo import fill_enum_combo, required_enum
from sro_desk.ui.widgets.date_edit import OptionalDateEdit


class _CheckedForm(FormDialog):
    """A set-up form judged by the roster's ``validate_*`` checks (errors block, warnings show)."""

    MIN_WIDTH = 460

    def check(self) -> Check:
        raise NotImplementedError

    def problems(self) -> list[str]:
        return list(self.check().errors)

    def warnings(self) -> list[str]:
        return list(self.check().warnings)


class BuildingDialog(_CheckedForm):
    def __init__(self, others: list[Building], building: Building | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit building" if building else "Add building", parent)
        self._others, self._id = others, building.id if building else None
        self.name = line_edit("Name", building.name if building else "", max_length=MAX_NAME)
        self.code = line_edit("Short code", building.code if building else "", max_length=MAX_CODE)
        self.grades = line_edit("Grade span", building.grade_span if building else "", max_length=MAX_CODE)
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


class ProviderDialog(_CheckedForm):
    def __init__(self, others: list[Provider], provider: Provider | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit agency or company" if provider else "Add agency or company", parent)
        self._others, self._id = others, provider.id if provider else None
        self.name = line_edit("Name", provider.name if provider else "", max_length=MAX_NAME)
        self.kind = QComboBox()
        fill_enum_combo(self.kind, ProviderKind, current=provider.kind if provider else None)
        self.contact = line_edit("Contact person", provider.contact_name if provider else "", max_length=MAX_NAME)
        self.phone = line_edit("Phone", provider.phone if provider else "", max_length=MAX_PHONE)
        self.email = line_edit("Email", provider.email if provider else "", max_length=MAX_EMAIL)
        for label, widget in (("&Name", self.name), ("&Kind", self.kind), ("&Contact person", self.contact), ("&Phone", self.phone), ("&Email", self.email)):
            widget.setAccessibleName(label.replace("&", ""))
            self.form.addRow(label, widget)
        for w in (self.name, self.email):
            w.textChanged.connect(self.revalidate)
        self.revalidate()

    def value(self) -> Provider:
        return Provider(self._id, self.name.text().strip(), required_enum(self.kind, ProviderKind), self.contact.text().strip(), self.phone.text().strip(), self.email.text().strip())

    def check(self) -> Check:
        return validate_provider(self.value(), self._others)


class SchoolYearDialog(_CheckedForm):
    def __init__(self, others: list[SchoolYear], year: SchoolYear | None = None, parent: QWidget | None = None) -> None:
        super().__init__("Edit school year" if year else "Add school year", parent)
        self._others, self._id = others, year.id if year else None
        today = clock.today()
        start = today.year if today.month >= 7 else today.year - 1
        self.label = line_edit("Label", year.label if year else f"{start}-{(start + 1) % 100:02d}", max_length=MAX_CODE)
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
        editor: Callable[[list[Any], Any | None, QWidget], _CheckedForm],
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
        if run_until_saved(dialog, lambda value: self._save(value) or True) is None:
            return
        self.reload()
        self._on_change()

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
        self.name = line_edit("District name", district.district_name(), max_length=MAX_NAME)
        self.esd = line_edit("Educational service district", district.district_esd(), max_length=MAX_NAME)
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
        district.save_district(self.name.text(), self.esd.text())


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
            roster_svc.list_buildings,
            lambda others, cur, parent: BuildingDialog(others, cur, parent),
            roster_svc.save_building,
            lambda b: roster_svc.delete_building(b.id),
            "building",
            notify,
        )
        self.providers = _ListPage(
            [Column("Name", lambda p: p.name), Column("Kind", lambda p: p.kind.value), Column("Contact", lambda p: p.contact_name), Column("Phone", lambda p: p.phone), Column("Email", lambda p: p.email)],
            roster_svc.list_providers,
            lambda others, cur, parent: ProviderDialog(others, cur, parent),
            roster_svc.save_provider,
            lambda p: roster_svc.delete_provider(p.id),
            "agency or company",
            notify,
        )
        self.years = _ListPage(
            [Column("School year", lambda y: y.label), Column("First day", lambda y: y.first_day), Column("Last day", lambda y: y.last_day)],
            roster_svc.list_school_years,
            lambda others, cur, parent: SchoolYearDialog(others, cur, parent),
            roster_svc.save_school_year,
            lambda y: roster_svc.delete_school_year(y.id),
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
