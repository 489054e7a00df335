"""The layering rule of ARCHITECTURE.md, enforced: only ui/ and app.py import PySide6; only store/ imports peewee."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "sro_desk"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules() -> list[tuple[str, Path]]:
    return [(p.relative_to(PACKAGE).as_posix(), p) for p in PACKAGE.rglob("*.py")]


def test_only_ui_and_app_import_qt() -> None:
    offenders = [
        rel for rel, path in _modules()
        if not (rel.startswith("ui/") or rel == "app.py") and "PySide6" in _imports(path)
    ]
    assert offenders == []


def test_only_store_imports_peewee() -> None:
    offenders = [
        rel for rel, path in _modules()
        if not rel.startswith("store/") and ({"peewee", "playhouse"} & _imports(path))
    ]
    assert offenders == []


def test_domain_imports_neither_qt_nor_store() -> None:
    offenders = []
    for rel, path in _modules():
        if rel.startswith("domain/"):
            text = path.read_text(encoding="utf-8")
            if "sro_desk.store" in text or "sro_desk.ui" in text or "sro_desk.services" in text:
                offenders.append(rel)
    assert offenders == []


def test_startup_does_not_import_exporters() -> None:
    """openpyxl and reportlab cost start-up time: app start-up modules must not import them."""
    import subprocess
    import sys

    code = (
        "import sys, os; os.environ['QT_QPA_PLATFORM']='offscreen';"
        "import sro_desk.app, sro_desk.ui.main_window, sro_desk.ui.tabs.base as b; b.tab_classes();"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('openpyxl','reportlab')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


_DATE_CLASSES = {"date", "datetime"}
_DATE_READS = {"today", "now", "utcnow", "fromtimestamp", "utcfromtimestamp"}
_TIME_READS = {"time", "time_ns", "monotonic", "monotonic_ns", "perf_counter", "perf_counter_ns",
               "localtime", "gmtime", "ctime", "strftime"}
_QT_READS = {("QDate", "currentDate"), ("QDateTime", "currentDateTime"), ("QDateTime", "currentDateTimeUtc"),
             ("QDateTime", "currentMSecsSinceEpoch"), ("QDateTime", "currentSecsSinceEpoch"),
             ("QTime", "currentTime")}


def _clock_reads(path: Path) -> list[str]:
    """Every place a module reads the time itself instead of asking sro_desk.clock."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == "time" and node.level == 0:
            found += [f"{node.lineno}: from time import {a.name}" for a in node.names if a.name in _TIME_READS]
        if not isinstance(node, ast.Attribute):
            continue
        owner = node.value
        owner_name = owner.id if isinstance(owner, ast.Name) else owner.attr if isinstance(owner, ast.Attribute) else ""
        # date.today / dt.date.today / datetime.datetime.now, but not self.today or ctx.now
        if node.attr in _DATE_READS and owner_name in _DATE_CLASSES and (
            isinstance(owner, ast.Name) or (isinstance(owner.value, ast.Name) and owner.value.id in {"dt", "datetime"})  # type: ignore[attr-defined]
        ):
            found.append(f"{node.lineno}: {owner_name}.{node.attr}")
        elif isinstance(owner, ast.Name) and owner.id == "time" and node.attr in _TIME_READS:
            found.append(f"{node.lineno}: time.{node.attr}")
        elif (owner_name, node.attr) in _QT_READS:
            found.append(f"{node.lineno}: {owner_name}.{node.attr}")
    return found


def test_only_the_clock_module_reads_the_time() -> None:
    """Deadlines depend on the day: one module reads it, so tests can freeze it and move it."""
    offenders = {
        rel: reads for rel, path in _modules()
        if rel != "clock.py" and (reads := _clock_reads(path))
    }
    assert offenders == {}


def test_the_clock_read_check_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import datetime as dt, time\nfrom datetime import date, datetime\nfrom time import monotonic\n"
        "dt.date.today(); dt.datetime.now(); date.today(); datetime.utcnow(); time.time()\n"
        "QDate.currentDate(); QtCore.QDateTime.currentDateTime(); f = dt.datetime.now\n"
        "self.today(); ctx.today; self.time.time(); clock.today(); dt.date(2026, 1, 1)\n",
        encoding="utf-8",
    )
    reads = _clock_reads(sample)
    assert len(reads) == 9, reads
