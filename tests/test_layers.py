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
