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


# ------------------------------------------------------------------ import circles
#
# Every ``import`` statement counts, at module level and inside functions alike: an import put
# off into a function still ties the two modules together, and is how circles hide. Not counted:
# imports under ``if TYPE_CHECKING:`` (never run), the implicit import of a package's
# ``__init__`` by its submodules, and ``importlib.import_module`` (the CLI's command plug-ins, the
# store's record modules), which names no module in the source.


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _package_imports(path: Path, known: set[str]) -> set[str]:
    """The package's modules that ``path`` imports anywhere (see above for what counts)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            skipped.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    this = _module_name(path)
    package_of_this = this if path.name == "__init__.py" else this.rpartition(".")[0]
    found: set[str] = set()

    def resolve(name: str) -> None:
        while name and name not in known:  # ``sro_desk.store.x.Thing`` -> ``sro_desk.store.x``
            name = name.rpartition(".")[0]
        if name and name != this:
            found.add(name)

    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("sro_desk"):
                    resolve(alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package_of_this.rsplit(".", node.level - 1)[0] if node.level > 1 else package_of_this
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            if not module.startswith("sro_desk"):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                resolve(candidate if candidate in known else module)
    return found


def import_graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    known = set(paths)
    return {name: _package_imports(path, known) for name, path in paths.items()}


def import_circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    circles: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                item = stack.pop()
                on_stack.discard(item)
                group.append(item)
                if item == node:
                    break
            if len(group) > 1:
                circles.append(sorted(group))

    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for node in sorted(graph):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(circles)


def test_the_circle_finder_finds_a_circle_through_a_function_level_import() -> None:
    assert import_circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert import_circles({"a": {"b"}, "b": set()}) == []


def test_the_graph_counts_imports_inside_functions() -> None:
    graph = import_graph()
    # store.database imports encryption at module level; app imports the main window only inside
    # functions: both edges must be seen
    assert "sro_desk.store.encryption" in graph["sro_desk.store.database"]
    assert "sro_desk.ui.main_window" in graph["sro_desk.app"]


#: circles still standing, each with what removes it. This list must end empty.
KNOWN_CIRCLES: dict[tuple[str, ...], str] = {
    ("sro_desk.services.annual_report", "sro_desk.services.complaints", "sro_desk.services.public_release"):
        "the year's public release gathers the report's and the complaint summary's figures, and "
        "both ask it for their protection (function-level imports); build_report and the public "
        "complaint summary belong on top of the release, not under it",
}


def test_no_import_circles_between_modules_of_the_package() -> None:
    circles = [c for c in import_circles(import_graph()) if tuple(c) not in KNOWN_CIRCLES]
    assert circles == []


def test_the_known_circles_are_still_circles() -> None:
    """A circle that was taken apart leaves the list."""
    standing = {tuple(c) for c in import_circles(import_graph())}
    assert [c for c in KNOWN_CIRCLES if c not in standing] == []


#: ui/ modules still allowed a store import, each with the work that removes it. This list must
#: end empty: a tab or dialog talks to services only (issue 17 §2).
STORE_IMPORTS_ALLOWED_IN_UI: dict[str, str] = {}


def _store_imports(path: Path) -> list[int]:
    """Lines importing ``sro_desk.store`` (module- or function-level, any form)."""
    lines: list[int] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            if any(a.name == "sro_desk.store" or a.name.startswith("sro_desk.store.")
                   for a in node.names):
                lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            absolute = node.level == 0 and (module == "sro_desk.store"
                                            or module.startswith("sro_desk.store."))
            package = node.level == 0 and module == "sro_desk" and any(
                a.name == "store" for a in node.names)
            relative = node.level > 0 and "store" in module.split(".")
            if absolute or package or relative:
                lines.append(node.lineno)
    return lines


def test_ui_imports_no_store_but_through_services() -> None:
    offenders = {
        rel: _store_imports(path) for rel, path in _modules()
        if rel.startswith("ui/") and rel not in STORE_IMPORTS_ALLOWED_IN_UI and _store_imports(path)
    }
    assert offenders == {}, "ui/ talks to services only: " + ", ".join(
        f"{rel} line {lines[0]}" for rel, lines in offenders.items())


def test_the_store_allowlist_only_shrinks() -> None:
    """An allowed module that no longer imports the store leaves the list."""
    stale = [rel for rel in STORE_IMPORTS_ALLOWED_IN_UI
             if not _store_imports(PACKAGE / rel)]
    assert stale == []


def test_the_store_import_scan_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("import sro_desk.store.base\nfrom sro_desk.store import roster_repo\n"
                      "from sro_desk import store\ndef f():\n    from sro_desk.store.audit import x\n"
                      "from sro_desk.services import hiring\n", encoding="utf-8")
    assert _store_imports(sample) == [1, 2, 3, 5]


def test_repositories_raise_no_business_rule() -> None:
    """Rules live in the domain (issue 17 §2): the hiring repository raises nothing but a
    missing record. (Other repositories are on their way; add them here as they are done.)"""
    tree = ast.parse((PACKAGE / "store" / "hiring_repo.py").read_text(encoding="utf-8"))
    raised = {
        node.exc.func.id for node in ast.walk(tree)
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)
        and isinstance(node.exc.func, ast.Name)
    }
    assert raised <= {"NotFound"}
