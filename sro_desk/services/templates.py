"""Import templates the app hands out (File > Download templates).

Any module in ``sro_desk.services`` that defines ``IMPORT_TEMPLATES`` (a tuple of ``TemplateSpec``)
is found here, so each feature ships its own template beside its importer.
"""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    name: str
    title: str
    headers: tuple[str, ...]
    example_rows: tuple[tuple[str, ...], ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def filename(self) -> str:
        return f"sro-desk-{self.name}-template.xlsx"


def sheet_title(text: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of : \\ / ? * [ ]."""
    cleaned = "".join("-" if ch in ':\\/?*[]' else ch for ch in text).strip("' ")
    return (cleaned or "Sheet")[:31]


def all_templates() -> list[TemplateSpec]:
    import sro_desk.services as services_pkg

    found: list[TemplateSpec] = []
    for info in sorted(pkgutil.iter_modules(services_pkg.__path__), key=lambda i: i.name):
        if info.ispkg:
            continue
        module = importlib.import_module(f"sro_desk.services.{info.name}")
        found.extend(getattr(module, "IMPORT_TEMPLATES", ()))
    return sorted(found, key=lambda t: t.name)


def template_by_name(name: str) -> TemplateSpec:
    for spec in all_templates():
        if spec.name == name:
            return spec
    known = ", ".join(t.name for t in all_templates())
    raise KeyError(f"There is no template named {name} (known: {known}).")


def write_template(spec: TemplateSpec, dest: Path | str) -> Path:
    """Write the template as .xlsx (with a notes sheet) or .csv, by the destination's suffix."""
    dest = Path(dest)
    from sro_desk.exports.atomic import write_text

    if dest.suffix.lower() == ".csv":
        text = io.StringIO(newline="")
        writer = csv.writer(text)
        writer.writerow(spec.headers)
        writer.writerows(spec.example_rows)
        return write_text(dest, text.getvalue(), encoding="utf-8-sig")
    from sro_desk.exports.xlsx_util import new_workbook, save_workbook, write_table

    book = new_workbook()
    sheet = book.active
    sheet.title = sheet_title(spec.title)
    write_table(sheet, list(spec.headers), [list(r) for r in spec.example_rows])
    notes = book.create_sheet("How to fill in")
    write_table(notes, ["Notes"], [[n] for n in spec.notes] or [["Fill one row per record."]])
    notes.column_dimensions["A"].width = 110
    return save_workbook(book, dest)
