"""The Reports tab: choose a year and an edition, read the tables and charts, export the files.

The report is built in the background (``JobRunner``): at 60,000 calls it takes seconds, and the
window must stay responsive meanwhile. A change of year or edition while one is being built is
remembered and built next; a result that no longer matches the choice is not shown.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sro_desk.domain.annual_report import AnnualReport, Edition, Figure, OneWayTable
from sro_desk.domain.changes import Change
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.report_layout import LaidOutTable, all_tables
from sro_desk.services import annual_report as service
from sro_desk.ui.context import AppContext
from sro_desk.ui.dialogs.messages import show_info
from sro_desk.ui.models.call_models import ReportTableModel
from sro_desk.ui.tabs.base import TabPage
from sro_desk.ui.workers import JobRunner

BAR = QColor("#1F4E79")


class BarChartWidget(QWidget):
    """Horizontal bars of shown counts; a hidden count is named ("<10", "*"), never drawn."""

    ROW = 22

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.labels: tuple[str, ...] = ()
        self.figures: tuple[Figure, ...] = ()
        self.threshold = 10
        self.setAccessibleName(title)

    def set_data(self, labels: tuple[str, ...], figures: tuple[Figure, ...],
                 threshold: int) -> None:
        self.labels, self.figures, self.threshold = labels, figures, threshold
        self.setMinimumHeight(40 + self.ROW * max(1, len(labels)))
        self.setAccessibleDescription("; ".join(
            f"{lab}: {fig.text(threshold)}" for lab, fig in zip(labels, figures, strict=True)))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_color = self.palette().color(self.foregroundRole())
        font = painter.font()
        font.setBold(True)
        painter.setFont(font)
        painter.setPen(text_color)
        painter.drawText(QRectF(0, 0, self.width(), 22), Qt.AlignmentFlag.AlignLeft
                         | Qt.AlignmentFlag.AlignVCenter, self.title)
        font.setBold(False)
        painter.setFont(font)
        label_width = min(300.0, self.width() * 0.38)
        left = label_width + 8
        usable = max(10.0, self.width() - left - 60)
        values = [f.value for f in self.figures if not f.hidden and f.value is not None]
        top = max(values, default=0) or 1
        for i, (label, figure) in enumerate(zip(self.labels, self.figures, strict=True)):
            y = 28 + i * self.ROW
            shown_label = (f"{label} (hidden: {figure.text(self.threshold)})" if figure.hidden
                           else label)
            painter.setPen(text_color)
            painter.drawText(QRectF(0, y, label_width, self.ROW - 4),
                             Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             painter.fontMetrics().elidedText(
                                 shown_label, Qt.TextElideMode.ElideMiddle, int(label_width)))
            if figure.hidden or figure.value is None:
                painter.drawText(QRectF(left, y, 200, self.ROW - 4),
                                 Qt.AlignmentFlag.AlignVCenter, "hidden")
                continue
            width = usable * figure.value / top
            painter.fillRect(QRectF(left, y + 2, width, self.ROW - 8), BAR)
            painter.drawText(QRectF(left + width + 4, y, 60, self.ROW - 4),
                             Qt.AlignmentFlag.AlignVCenter, f"{figure.value:,}")
        painter.end()


class ReportsTab(TabPage):
    TAB_TITLE = "Reports"
    TAB_ORDER = 70
    WATCHES = (Change.CALLS, Change.SETUP, Change.ROSTER, Change.AGREEMENTS, Change.COMPLAINTS)

    report_shown = Signal()  # a freshly built report (or its refusal) is on screen

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.report: AnnualReport | None = None
        self._tables: list[LaidOutTable] = []
        self.runner = JobRunner(self)
        self.runner.finished.connect(self._on_runner_finished)
        self.runner.failed.connect(self._on_runner_failed)
        self.builder = JobRunner(self)
        self.builder.finished.connect(self._on_builder_finished)
        self.builder.failed.connect(self._on_builder_failed)
        self._building: tuple[str, str] | None = None  # (year, edition) being built
        self._stale = False  # the choice changed while building: build again when done

        self.year = QComboBox()
        self.year.setAccessibleName("School year")
        self.edition = QComboBox()
        self.edition.setAccessibleName("Edition")
        self.edition.addItem("Public edition (small counts hidden)", Edition.PUBLIC.value)
        self.edition.addItem("Internal edition (every count; not for release)",
                             Edition.INTERNAL.value)
        self.json_button = QPushButton("Export &JSON…")
        self.xlsx_button = QPushButton("Export &workbook…")
        self.pdf_button = QPushButton("Export &PDF…")
        self.all_button = QPushButton("Export &all three…")
        self.ospi_button = QPushButton("&OSPI package…")
        self.settings_button = QPushButton("&Settings…")
        self.settings_button.setToolTip("When the reporting year starts; the suppression threshold")
        self.settings_button.setAccessibleName("Report settings")
        self.settings_button.clicked.connect(self._on_settings_clicked)
        for button, tip in (
            (self.json_button, "Machine-readable report for district IT and the state"),
            (self.xlsx_button, "A workbook with a sheet per table and a notes sheet"),
            (self.pdf_button, "The board report with narrative, tables and charts"),
            (self.all_button, "JSON, workbook and PDF into one folder"),
            (self.ospi_button, "RCW 28A.320.1241: a CSV and a JSON file per statutory item "
             "(a)-(e), a README with every column's citation, and the adopted agreements as "
             "PDFs, in one .zip (public figures)"),
        ):
            button.setToolTip(tip)
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        self.json_button.clicked.connect(lambda: self._on_export_clicked("json"))
        self.xlsx_button.clicked.connect(lambda: self._on_export_clicked("xlsx"))
        self.pdf_button.clicked.connect(lambda: self._on_export_clicked("pdf"))
        self.all_button.clicked.connect(self._on_export_all_clicked)
        self.ospi_button.clicked.connect(self._on_ospi_clicked)
        self.year.currentIndexChanged.connect(self._on_choice_changed)
        self.edition.currentIndexChanged.connect(self._on_choice_changed)

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.summary.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary.setAccessibleName("Report summary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        summary_scroll = QScrollArea()
        summary_scroll.setWidget(self.summary)
        summary_scroll.setWidgetResizable(True)

        self.table_list = QListWidget()
        self.table_list.setAccessibleName("Report tables")
        self.table_model = ReportTableModel(self)
        self.table_view = QTableView()
        self.table_view.setModel(self.table_model)
        self.table_view.setAccessibleName("Report table")
        self.table_view.verticalHeader().setVisible(False)
        self.table_view.setAlternatingRowColors(True)
        self.table_view.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table_list.currentRowChanged.connect(self._on_table_list_current_row_changed)
        splitter = QSplitter()
        splitter.addWidget(self.table_list)
        splitter.addWidget(self.table_view)
        splitter.setSizes([300, 900])

        self.charts = [BarChartWidget("Calls by building"), BarChartWidget("Calls by outcome"),
                       BarChartWidget("Involved students by race/ethnicity")]
        chart_holder = QWidget()
        chart_layout = QVBoxLayout(chart_holder)
        for chart in self.charts:
            chart_layout.addWidget(chart)
        chart_layout.addStretch(1)
        chart_scroll = QScrollArea()
        chart_scroll.setWidget(chart_holder)
        chart_scroll.setWidgetResizable(True)

        self.pages = QTabWidget()
        self.pages.addTab(summary_scroll, "Summary")
        self.pages.addTab(splitter, "Tables")
        self.pages.addTab(chart_scroll, "Charts")

        top = QHBoxLayout()
        year_label = QLabel("School &year")
        year_label.setBuddy(self.year)
        top.addWidget(year_label)
        top.addWidget(self.year)
        top.addWidget(self.edition)
        top.addWidget(self.settings_button)
        top.addStretch(1)
        for b in (self.json_button, self.xlsx_button, self.pdf_button, self.all_button,
                  self.ospi_button):
            top.addWidget(b)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self.refresh()

    # ------------------------------------------------------------------ data
    def refresh(self) -> None:
        current = self.year.currentData()
        self.year.blockSignals(True)
        self.year.clear()
        for label in service.available_years():
            self.year.addItem(label, label)
        index = self.year.findData(current) if current else -1
        self.year.setCurrentIndex(index if index >= 0 else min(1, self.year.count() - 1))
        self.year.blockSignals(False)
        self._on_choice_changed()

    def _choice(self) -> tuple[str, str] | None:
        year = self.year.currentData()
        return (str(year), str(self.edition.currentData())) if year else None

    def _on_choice_changed(self, *_args: object) -> None:
        """Build the chosen report in the background; the window stays responsive."""
        choice = self._choice()
        if choice is None:
            return
        if self.builder.busy:
            self._stale = True  # built next, when the running one ends
            return
        self._stale = False
        self._building = choice
        self._set_exports_enabled(False)
        self.summary.setText(f"Building the {choice[0]} report…")
        year, edition = choice
        self.builder.start(lambda _progress, _cancelled: service.build_report(year, edition))

    def _set_exports_enabled(self, enabled: bool) -> None:
        for button in (self.json_button, self.xlsx_button, self.pdf_button, self.all_button,
                       self.ospi_button):
            button.setEnabled(enabled)

    def _on_builder_finished(self, result: object) -> None:
        if self._stale or self._building != self._choice():
            self._on_choice_changed()  # the user moved on: build what is chosen now
            return
        assert isinstance(result, AnnualReport)
        self.report = result
        self._show(result)
        self._set_exports_enabled(True)
        self.report_shown.emit()

    def _on_builder_failed(self, error: object) -> None:
        import shiboken6

        if not shiboken6.isValid(self):  # closed while the report was being built
            return
        if self._stale or self._building != self._choice():
            self._on_choice_changed()
            return
        self.report = None
        self._show_tables([])
        if isinstance(error, SroDeskError):
            self.summary.setText(str(error))
        else:
            self.summary.setText("The report could not be built.")
            from sro_desk.ui.crash import handle_worker_error

            handle_worker_error(self, error)
        self.report_shown.emit()

    def _show(self, report: AnnualReport) -> None:
        lines = [report.narrative(), ""]
        lines.append(f"Reporting period: {report.period_text()}.")
        lines.append(f"Calls: {report.calls_total.text(report.threshold)}. Involved students: "
                     f"{report.students_total.text(report.threshold)}. Incidents (discipline, "
                     f"use of force or arrest): {report.incidents_total.text(report.threshold)}.")
        lines.append("")
        lines.append(f"Staff district-wide: {report.staff.total}.")
        lines += [f"  {b.building}: {b.staff} staff, {b.days_per_week:g} "
                  f"day{'' if b.days_per_week == 1 else 's'} per week"
                  for b in report.staff.buildings]
        lines.append("")
        lines.append("Agencies and companies: " + report.agencies.text()
                     + f" ({report.agencies.source}).")
        complaints = report.complaints
        if complaints.tracked and complaints.total is not None:
            lines.append(f"Complaints received: {complaints.total.text(report.threshold)}.")
            if complaints.counted_by_law is not None:
                lines.append("Complaints about job duties or student interactions (the count "
                             "RCW 28A.320.1241 requires): "
                             f"{complaints.counted_by_law.text(report.threshold)}.")
        else:
            lines.append(report.complaints.note)
        lines.append("")
        lines.append(report.rule)
        self.summary.setText("\n".join(lines))
        self._show_tables(all_tables(report))
        sources = (report.table("calls", "by_building"), report.table("calls", "by_outcome"),
                   report.table("students", "by_race"))
        for chart, table in zip(self.charts, sources, strict=True):
            assert isinstance(table, OneWayTable)
            chart.set_data(table.labels, table.cells, report.threshold)

    def _show_tables(self, tables: list[LaidOutTable]) -> None:
        row = max(0, self.table_list.currentRow())
        self._tables = tables
        self.table_list.blockSignals(True)
        self.table_list.clear()
        self.table_list.addItems([t.title for t in tables])
        self.table_list.blockSignals(False)
        if tables:
            self.table_list.setCurrentRow(min(row, len(tables) - 1))
            self._on_table_list_current_row_changed(self.table_list.currentRow())
        else:
            self.table_model.set_table(None)

    def _on_table_list_current_row_changed(self, row: int) -> None:
        self.table_model.set_table(self._tables[row] if 0 <= row < len(self._tables) else None)

    def _on_settings_clicked(self) -> None:
        from sro_desk.ui.dialogs.call_settings_dialogs import ReportSettingsDialog

        if ReportSettingsDialog(self).exec():
            self.ctx.notify(Change.SETUP)
            self.refresh()

    # ------------------------------------------------------------------ export
    def _default_name(self, suffix: str) -> str:
        report = self.report
        assert report is not None
        return f"sro-desk-annual-report-{report.school_year}-{report.edition}.{suffix}"

    def _on_export_clicked(self, kind: str) -> None:
        if self.report is None:
            return
        filters = {"json": "JSON (*.json)", "xlsx": "Excel workbook (*.xlsx)", "pdf": "PDF (*.pdf)"}
        path, _ = QFileDialog.getSaveFileName(self, "Export the annual report",
                                              str(Path.home() / self._default_name(kind)),
                                              filters[kind])
        if path:
            self.export_files(**{f"{kind}_path": Path(path)})

    def _on_export_all_clicked(self) -> None:
        if self.report is None:
            return
        folder = QFileDialog.getExistingDirectory(self, "Folder for the report files",
                                                  str(Path.home()))
        if folder:
            base = Path(folder)
            self.export_files(json_path=base / self._default_name("json"),
                              xlsx_path=base / self._default_name("xlsx"),
                              pdf_path=base / self._default_name("pdf"))

    def _on_ospi_clicked(self) -> None:
        if self.report is None:
            return
        name = f"ospi-package-{self.report.school_year}.zip"
        path, _ = QFileDialog.getSaveFileName(self, "Save the OSPI package",
                                              str(Path.home() / name), "Zip archive (*.zip)")
        if path:
            self.export_ospi_package(Path(path))

    def export_ospi_package(self, dest: Path) -> None:
        """Write the OSPI package for the year on screen, in the background."""
        report = self.report
        if report is None:
            return
        from sro_desk.services.ospi_package import write_ospi_package

        year = report.school_year
        if dest.suffix.lower() != ".zip":
            dest = dest.with_name(dest.name + ".zip")
        self.runner.start(
            lambda progress, cancelled: [write_ospi_package(
                year, dest, progress=progress, is_cancelled=cancelled)],
            "Writing the OSPI package…", self,
        )

    def export_files(self, *, json_path: Path | None = None, xlsx_path: Path | None = None,
                     pdf_path: Path | None = None) -> None:
        """Write the files from the report on screen, in the background, with progress."""
        report = self.report
        if report is None:
            return
        self.runner.start(
            lambda progress, cancelled: service.export_report(
                report, json_path=json_path, xlsx_path=xlsx_path, pdf_path=pdf_path,
                progress=progress, is_cancelled=cancelled),
            "Writing the report…", self,
        )

    def _on_runner_finished(self, result: object) -> None:
        paths = result if isinstance(result, list) else []
        text = "Wrote " + ", ".join(str(p) for p in paths) if paths else "Nothing was written."
        self.ctx.say(text)
        show_info(self, "The report was written.", "Report exported",
                  "\n".join(str(p) for p in paths))

    def _on_runner_failed(self, error: object) -> None:
        from sro_desk.ui.crash import handle_worker_error

        handle_worker_error(self, error)
