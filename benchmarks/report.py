"""Speed of calls and the annual report at the size of a large district, measured in one run.

A generator makes 100 buildings, 10 school years, 60,000 calls and about 80,000 student rows in a
fresh database. Printed, with ratios against plain baselines:

- building the report (public edition, with suppression and its checker) for one year and for all
  ten, against a plain ``Counter`` pass over the same calls;
- the xlsx export against raw openpyxl writing the same cells in write-only mode (target <= 1.5x);
- importing a 60,000-row calls file (target under 15 s);
- filtering the calls table at 60,000 calls, per keystroke (target under 30 ms).

    QT_QPA_PLATFORM=offscreen python benchmarks/report.py
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sro_desk.domain.annual_report import Edition, build_annual_report
from sro_desk.domain.calls import Call, CallLabels, InvolvedStudent, LabelKind

YEARS = [f"{y}-{(y + 1) % 100:02d}" for y in range(2016, 2026)]


def timed(fn: object, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def make_calls(labels: CallLabels, buildings: list[str], n: int, seed: int) -> list[Call]:
    rng = random.Random(seed)
    outcomes = labels.labels(LabelKind.OUTCOME)
    calls = []
    for i in range(n):
        year = 2016 + i * 10 // n
        day = dt.date(year, 7, 1) + dt.timedelta(days=rng.randint(0, 364))
        students = tuple(
            InvolvedStudent(rng.randint(5, 22), rng.choice(labels.labels(LabelKind.GENDER)),
                            rng.choice(labels.labels(LabelKind.RACE)), rng.random() < 0.17,
                            rng.random() < 0.09, rng.choice(outcomes), rng.random() < 0.03,
                            rng.random() < 0.4)
            for _ in range(rng.choices((0, 1, 2, 3), weights=(15, 50, 25, 10))[0])
        )
        outcome = (labels.most_serious(s.outcome for s in students) if students
                   else rng.choice(outcomes))
        calls.append(Call(
            id=None, ref=f"B{i:06d}", occurred_on=day, occurred_at=dt.time(rng.randint(7, 16)),
            building=rng.choice(buildings), location=rng.choice(labels.labels(LabelKind.LOCATION)),
            initiated_by=rng.choice(labels.labels(LabelKind.INITIATED_BY)), emergency=False,
            offense_type=rng.choice(labels.labels(LabelKind.OFFENSE_TYPE)),
            description="Generated call for the benchmark.", students=students, outcome=outcome,
        ))
    return calls


def main() -> int:
    from sro_desk.domain.roster import Building
    from sro_desk.domain.suppression import DEFAULT_THRESHOLD
    from sro_desk.services import annual_report as service
    from sro_desk.services.calls_import import COLUMNS, builtin_labels, import_calls
    from sro_desk.store import call_repo, roster_repo
    from sro_desk.store.base import database_proxy
    from sro_desk.store.database import close_database, open_database

    labels = builtin_labels()
    tmp = Path(tempfile.mkdtemp(prefix="sro-bench-"))
    open_database(tmp / "bench.db", daily_backup=False)
    buildings = [f"School {i:03d}" for i in range(100)]
    with database_proxy.atomic():
        for i, name in enumerate(buildings):
            roster_repo.save_building(Building(None, name, f"S{i:03d}"))
    calls = make_calls(labels, buildings, 60_000, seed=1)
    start = time.perf_counter()
    call_repo.insert_imported_calls(calls, source="benchmark", file_sha256="0" * 64)
    students = sum(len(c.students) for c in calls)
    print(f"district: 100 buildings, 10 years, {len(calls):,} calls, {students:,} student rows "
          f"(stored in {time.perf_counter() - start:.1f} s)")

    # -- the report
    one = service.gather_inputs("2025-26")
    baseline_one = timed(lambda: [Counter(c.building for c in one.calls),
                                  Counter(s.race for c in one.calls for s in c.students)])
    build_one = timed(lambda: build_annual_report(one, Edition.PUBLIC, DEFAULT_THRESHOLD))
    gather_one = timed(lambda: service.gather_inputs("2025-26"), repeat=1)
    print(f"report, one year ({len(one.calls):,} calls): gather {gather_one * 1000:.0f} ms, "
          f"build public edition {build_one * 1000:.0f} ms "
          f"({build_one / max(baseline_one, 1e-9):.0f}x a bare Counter pass)")
    start = time.perf_counter()
    for year in YEARS:
        service.build_report(year, Edition.PUBLIC)
    all_ten = time.perf_counter() - start
    print(f"report, all ten years (gather + build each): {all_ten:.2f} s, "
          f"{all_ten / 10 * 1000:.0f} ms per year")

    # -- xlsx against raw openpyxl write-only
    from openpyxl import Workbook

    from sro_desk.domain.report_layout import Share, all_tables
    from sro_desk.exports.report_xlsx import build_workbook

    report = build_annual_report(one, Edition.INTERNAL)

    def ours() -> None:
        build_workbook(report).save(io.BytesIO())

    def raw() -> None:
        book = Workbook(write_only=True)
        notes = book.create_sheet("Notes")
        for term, text in report.definitions:
            notes.append([term, text])
        for table in all_tables(report):
            sheet = book.create_sheet()
            sheet.append([table.title])
            sheet.append(list(table.headers))
            for row in (*table.rows, table.total_row):  # the same cells: shares as numbers
                sheet.append([(c.fraction if c.fraction is not None else c.text)
                              if isinstance(c, Share) else c for c in row])
        incidents = book.create_sheet("Incidents")
        for i in report.incidents:
            for s in i.students:
                incidents.append([i.ref, i.occurred_on.isoformat(), i.building, i.offense_type,
                                  s.age, s.gender, s.race, s.iep, s.section_504, s.outcome,
                                  s.use_of_force, s.discipline, i.description])
        book.save(io.BytesIO())

    ours_t, raw_t = timed(ours), timed(raw)
    print(f"xlsx export: {ours_t * 1000:.0f} ms vs raw openpyxl write-only {raw_t * 1000:.0f} ms "
          f"= {ours_t / raw_t:.2f}x (target <= 1.5x)")

    # -- import a 60,000-row file into a fresh database
    close_database()
    open_database(tmp / "import.db", daily_backup=False)
    with database_proxy.atomic():
        for i, name in enumerate(buildings):
            roster_repo.save_building(Building(None, name, f"S{i:03d}"))
    path = tmp / "calls.csv"
    rows = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for call in calls:
            base = [call.ref, call.occurred_on.isoformat(),
                    call.occurred_at.strftime("%H:%M") if call.occurred_at else "",
                    call.building, call.location, call.initiated_by, "no", call.offense_type,
                    call.description]
            for s in call.students or (None,):
                if rows >= 60_000:
                    break
                if s is None:
                    writer.writerow([*base, "", "", "", "", "", call.outcome, "", ""])
                else:
                    writer.writerow([*base, s.age, s.gender, s.race, "yes" if s.iep else "no",
                                     "yes" if s.section_504 else "no", s.outcome,
                                     "yes" if s.use_of_force else "no",
                                     "yes" if s.discipline else "no"])
                rows += 1
            if rows >= 60_000:
                break
    start = time.perf_counter()
    result = import_calls(path)
    took = time.perf_counter() - start
    print(f"import: {rows:,} rows ({result.calls:,} calls) in {took:.1f} s (target under 15 s)")

    # -- filtering the calls table
    from PySide6.QtWidgets import QApplication

    from sro_desk.domain.calls_filter import CallFilter
    from sro_desk.ui.models.call_models import CallTableModel

    app = QApplication.instance() or QApplication([])
    model = CallTableModel()
    loaded = call_repo.list_calls()
    model.set_calls(loaded)
    timings = []
    typed = ""
    for ch in "school 042 theft":
        typed += ch
        start = time.perf_counter()
        model.set_filter(CallFilter(search=typed))
        timings.append(time.perf_counter() - start)
    start = time.perf_counter()
    model.set_filter(CallFilter(building="School 007", use_of_force=True))
    combo = time.perf_counter() - start
    print(f"filter at {model.total():,} calls: median {statistics.median(timings) * 1000:.1f} ms,"
          f" worst {max(timings) * 1000:.1f} ms per keystroke; a combo change "
          f"{combo * 1000:.1f} ms (target under 30 ms)")
    del app
    close_database()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
