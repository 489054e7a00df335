"""The starter question bank: structured-interview questions the district edits and copies into rounds.

The bank is data (``resources/catalogs/hiring_question_bank.json``) so the district can change it
without a new program version. This module turns the parsed JSON into frozen objects and refuses a
malformed bank with every problem listed, rather than failing on the first bad entry.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.hiring import SCALE, Question, QuestionSource
from sro_desk.domain.privacy import CITATION, immigration_findings
from sro_desk.domain.text import first_xml_illegal, has_xml_illegal

CATALOG_NAME = "hiring_question_bank"


@dataclass(frozen=True, slots=True)
class BankQuestion:
    key: str
    competency: str
    text: str
    anchors: tuple[str, ...]
    topic: str = ""

    def to_question(self, round_id: int | None, position: int) -> Question:
        """A round's own copy: later edits to the bank do not change past rounds."""
        return Question(
            id=None,
            round_id=round_id,
            position=position,
            text=self.text,
            competency=self.competency,
            provided_by=QuestionSource.DISTRICT,
            anchors=self.anchors,
        )


MAX_TEXT_CHARS = 4000


def _unstorable(text: str) -> str | None:
    """Why a bank text cannot be kept and printed, or ``None``: a lone surrogate (half of a
    UTF-16 pair, which no file can store), a character no workbook can hold, or a wall of text."""
    if re.search("[\ud800-\udfff]", text):
        return "holds an unpaired surrogate (a broken character such as \\ud800); retype it"
    if has_xml_illegal(text):
        return f"holds a control character ({first_xml_illegal(text)}) that cannot be printed"
    if len(text) > MAX_TEXT_CHARS:
        return f"is {len(text):,} characters long; the limit is {MAX_TEXT_CHARS:,}"
    return None


def bank_warnings(bank: Sequence[BankQuestion]) -> list[str]:
    """Questions whose text appears to ask about immigration, citizenship or birthplace
    (RCW 10.93.160): said when the bank is imported, so the district can reword them."""
    found: list[str] = []
    for number, question in enumerate(bank, start=1):
        kinds = immigration_findings(" ".join((question.text, *question.anchors)))
        if kinds:
            found.append(f"Question {number} ({question.key}) appears to ask about "
                         f"{', '.join(kinds)} ({CITATION}); reword it unless it asks about the law itself")
    return found


def load_question_bank(data: object) -> tuple[BankQuestion, ...]:
    """Bank questions from the parsed JSON; raises ``ValidationError`` listing every problem."""
    if not isinstance(data, Mapping) or data.get("catalog") != CATALOG_NAME:
        raise ValidationError(f"This is not the {CATALOG_NAME} catalog")
    raw = data.get("questions")
    if not isinstance(raw, Sequence) or isinstance(raw, str) or not raw:
        raise ValidationError("The question bank has no list of questions")
    problems: list[str] = []
    result: list[BankQuestion] = []
    seen: set[str] = set()
    for number, entry in enumerate(raw, start=1):
        where = f"Question {number}"
        if not isinstance(entry, Mapping):
            problems.append(f"{where} is not an object")
            continue
        fields: dict[str, str] = {}
        for name in ("key", "competency", "text"):
            value = entry.get(name)
            if not isinstance(value, str) or not value.strip():
                problems.append(f"{where}: '{name}' is missing or empty")
            elif _unstorable(value):
                problems.append(f"{where}: '{name}' {_unstorable(value)}")
            else:
                fields[name] = value.strip()
        key = fields.get("key", "")
        if key:
            if key in seen:
                problems.append(f"{where}: key '{key}' is used twice")
            seen.add(key)
        anchors = entry.get("anchors")
        if (
            not isinstance(anchors, Sequence)
            or isinstance(anchors, str)
            or len(anchors) != len(SCALE)
            or not all(isinstance(a, str) and a.strip() for a in anchors)
        ):
            problems.append(f"{where}: 'anchors' must be {len(SCALE)} non-empty texts, for 1 to 5")
            continue
        bad_anchor = next((_unstorable(a) for a in anchors if _unstorable(a)), None)
        if bad_anchor:
            problems.append(f"{where}: an anchor {bad_anchor}")
            continue
        topic = entry.get("topic", "")
        if len(fields) == 3:
            result.append(BankQuestion(
                key=fields["key"],
                competency=fields["competency"],
                text=fields["text"],
                anchors=tuple(a.strip() for a in anchors),
                topic=topic if isinstance(topic, str) else "",
            ))
    if problems:
        raise ValidationError(problems)
    return tuple(result)
