"""One export of each kind (xlsx, PDF, JSON) for ``sro-desk --smoke`` and the installers' dist-check.

A frozen build can lose a module, a font or a data file that only an export touches; the smoke run
proves they are there by writing real files from whatever database is open (an empty one is fine)
and reading each back far enough to know it is what it claims to be.

Exporters are looked up by name, so a feature that is not part of this build is listed as skipped
instead of breaking the smoke run; an exporter that is present and fails is a failure. Each kind
(xlsx, PDF, JSON) must be written at least once.
"""

from __future__ import annotations

import importlib
import json
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

KINDS = ("xlsx", "pdf", "json")


class SmokeExportError(Exception):
    """An export the smoke run needs did not run or wrote a broken file (a bug, not a user error)."""


@dataclass(frozen=True, slots=True)
class SmokeExport:
    """One file the smoke run tried to write."""

    name: str  # file name, e.g. "roster.xlsx"
    kind: str  # "xlsx", "pdf" or "json"
    path: Path | None = None  # the file written; ``None`` when skipped
    skipped: str = ""  # why it did not run (the feature is not in this build)

    @property
    def ran(self) -> bool:
        return self.path is not None


@dataclass(frozen=True, slots=True)
class _Source:
    """A group of exports that one service function writes together."""

    module: str
    function: str
    files: tuple[tuple[str, str], ...]  # (file name, kind)
    write: Callable[[Callable[..., Any], dict[str, Path]], None]


def _write_roster(export_roster: Callable[..., Any], paths: dict[str, Path]) -> None:
    export_roster(xlsx=paths["xlsx"], pdf=paths["pdf"])


def _write_annual_report(export_report: Callable[..., Any], paths: dict[str, Path]) -> None:
    service = importlib.import_module("sro_desk.services.annual_report")
    year = service.available_years()[0]
    report = service.build_report(year, "internal")
    export_report(report, json_path=paths["json"], xlsx_path=paths["xlsx"], pdf_path=paths["pdf"])


SOURCES: tuple[_Source, ...] = (
    _Source("sro_desk.services.roster_export", "export_roster",
            (("roster.xlsx", "xlsx"), ("roster.pdf", "pdf")), _write_roster),
    _Source("sro_desk.services.annual_report", "export_report",
            (("annual-report.json", "json"), ("annual-report.xlsx", "xlsx"),
             ("annual-report.pdf", "pdf")), _write_annual_report),
)


def _lookup(module: str, function: str) -> Callable[..., Any] | None:
    try:
        found = getattr(importlib.import_module(module), function, None)
    except ModuleNotFoundError as error:
        # Only the feature's own module may be missing; a missing dependency inside it is a bug.
        if error.name is None or not (module == error.name or module.startswith(error.name + ".")):
            raise
        return None
    return found if callable(found) else None


def check_file(path: Path, kind: str) -> None:
    """Raise ``SmokeExportError`` unless ``path`` is a readable file of ``kind``."""
    if not path.is_file() or path.stat().st_size == 0:
        raise SmokeExportError(f"{path.name} was not written")
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile as error:
            raise SmokeExportError(f"{path.name} is not an xlsx workbook: {error}") from None
        if "xl/workbook.xml" not in names:
            raise SmokeExportError(f"{path.name} has no xl/workbook.xml")
    elif kind == "pdf":
        data = path.read_bytes()
        if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
            raise SmokeExportError(f"{path.name} is not a complete PDF")
    elif kind == "json":
        try:
            json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise SmokeExportError(f"{path.name} is not JSON: {error}") from None
    else:
        raise ValueError(f"unknown export kind {kind!r}")


def smoke_exports(folder: Path, sources: Sequence[_Source] = SOURCES) -> list[SmokeExport]:
    """Write every available smoke export into ``folder`` (the store must be open).

    Returns what ran and what was skipped; raises ``SmokeExportError`` when a file is broken or a
    kind in ``KINDS`` was not written at all. Exceptions from an exporter propagate unchanged.
    """
    folder.mkdir(parents=True, exist_ok=True)
    results: list[SmokeExport] = []
    for source in sources:
        function = _lookup(source.module, source.function)
        if function is None:
            reason = f"{source.module}.{source.function} is not in this build"
            results.extend(SmokeExport(name, kind, skipped=reason) for name, kind in source.files)
            continue
        paths = {kind: folder / name for name, kind in source.files}
        source.write(function, paths)
        for name, kind in source.files:
            check_file(paths[kind], kind)
            results.append(SmokeExport(name, kind, paths[kind]))
    missing = [kind for kind in KINDS if not any(r.ran and r.kind == kind for r in results)]
    if missing:
        raise SmokeExportError("no export of kind " + ", ".join(missing) + " ran")
    return results


def describe(results: Sequence[SmokeExport]) -> str:
    """One line for the smoke output: what ran, then what was skipped and why."""
    ran = [r.name for r in results if r.ran]
    line = f"smoke exports: {len(ran)} written: " + ", ".join(ran)
    skipped = [f"{r.name} ({r.skipped})" for r in results if not r.ran]
    if skipped:
        line += "; skipped: " + ", ".join(skipped)
    return line


def run_smoke_exports() -> str:
    """Write the smoke exports into a temporary folder that is removed afterwards; the summary line."""
    with tempfile.TemporaryDirectory(prefix="sro-desk-smoke-") as folder:
        return describe(smoke_exports(Path(folder)))
