"""The family information handout: a district-edited template rendered per building.

The template is a small, forgiving subset of Markdown the district edits in the app:
``# Title``, ``## Heading``, ``- bullet``, ``**bold**`` and blank lines between paragraphs, with
placeholders in double braces. Rendering produces *runs* of plain text, each marked bold or not;
placeholder values are inserted as plain runs after the markup is read, so a name such as
``**O'Brien <Jr>**`` can never become markup. The PDF export escapes every run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from sro_desk.domain.errors import ValidationError

INLINE_PLACEHOLDERS: Mapping[str, str] = {
    "district_name": "the district's name",
    "building_name": "the building's name",
    "school_year": "the school year, e.g. 2026-27",
    "providers": "the agencies and companies that supply staff to the building",
}
"""Placeholders replaced inside a line."""

BLOCK_PLACEHOLDERS: Mapping[str, str] = {
    "staff_list": "one bullet per staff member at the building (name, role, who supplies them)",
    "contact_list": "one bullet per person to call (staff at the building and their contacts)",
}
"""Placeholders that stand alone on a line and expand into a bulleted list."""

MAX_TEMPLATE_CHARS = 20_000

_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")
_TOKEN = re.compile(r"(\*\*|\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\})")


class BlockKind(StrEnum):
    TITLE = "title"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    BULLET = "bullet"


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False


@dataclass(frozen=True, slots=True)
class HandoutBlock:
    kind: BlockKind
    runs: tuple[Run, ...]

    @property
    def plain_text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True, slots=True)
class HandoutContent:
    """A rendered handout, ready for the PDF export."""

    district: str
    building_name: str
    school_year: str
    blocks: tuple[HandoutBlock, ...]


def template_problems(text: str) -> list[str]:
    """Every reason the template cannot be used, in words, with line numbers."""
    problems: list[str] = []
    if not text.strip():
        return ["The handout template is empty."]
    if len(text) > MAX_TEMPLATE_CHARS:
        problems.append(
            f"The handout template is {len(text):,} characters; keep it under "
            f"{MAX_TEMPLATE_CHARS:,} so it fits on a handout."
        )
    known = set(INLINE_PLACEHOLDERS) | set(BLOCK_PLACEHOLDERS)
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _PLACEHOLDER.finditer(line):
            name = match[1]
            if name not in known:
                problems.append(
                    f"Line {number}: '{{{{{name}}}}}' is not a placeholder this handout knows "
                    f"(use one of: {', '.join(sorted(known))})."
                )
            elif name in BLOCK_PLACEHOLDERS and line.strip() != match[0]:
                problems.append(
                    f"Line {number}: '{{{{{name}}}}}' is a list and must stand alone on its line."
                )
        stripped = _PLACEHOLDER.sub("", line)
        if "{{" in stripped or "}}" in stripped:
            problems.append(f"Line {number}: a placeholder is not closed with '}}}}'.")
    return problems


def validate_template(text: str) -> str:
    problems = template_problems(text)
    if problems:
        raise ValidationError(problems)
    return text.replace("\r\n", "\n").strip() + "\n"


def _runs(line: str, values: Mapping[str, str]) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = False
    for token in _TOKEN.split(line):
        if not token:
            continue
        if token == "**":
            bold = not bold
            continue
        match = _PLACEHOLDER.fullmatch(token)
        text = values.get(match[1], "") if match else token
        if not text:
            continue
        if runs and runs[-1].bold == bold:
            runs[-1] = Run(runs[-1].text + text, bold)
        else:
            runs.append(Run(text, bold))
    return tuple(runs)


def render_handout(
    template: str,
    values: Mapping[str, str],
    lists: Mapping[str, Sequence[str]],
    empty_list_text: str = "None recorded.",
) -> tuple[HandoutBlock, ...]:
    """The handout as blocks of plain-text runs; raises ``ValidationError`` for a bad template."""
    validate_template(template)
    blocks: list[HandoutBlock] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            runs = _runs(" ".join(p.strip() for p in paragraph), values)
            if runs:
                blocks.append(HandoutBlock(BlockKind.PARAGRAPH, runs))
            paragraph.clear()

    for raw in template.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        block_match = _PLACEHOLDER.fullmatch(line)
        if block_match and block_match[1] in BLOCK_PLACEHOLDERS:
            flush()
            items = [i for i in lists.get(block_match[1], ()) if i.strip()]
            if not items:
                blocks.append(HandoutBlock(BlockKind.PARAGRAPH, (Run(empty_list_text),)))
            blocks.extend(HandoutBlock(BlockKind.BULLET, (Run(i.strip()),)) for i in items)
        elif not line:
            flush()
        elif line.startswith("## "):
            flush()
            blocks.append(HandoutBlock(BlockKind.HEADING, _runs(line[3:].strip(), values)))
        elif line.startswith("# "):
            flush()
            blocks.append(HandoutBlock(BlockKind.TITLE, _runs(line[2:].strip(), values)))
        elif line.startswith(("- ", "* ")):
            flush()
            blocks.append(HandoutBlock(BlockKind.BULLET, _runs(line[2:].strip(), values)))
        else:
            paragraph.append(line)
    flush()
    return tuple(b for b in blocks if b.runs)
