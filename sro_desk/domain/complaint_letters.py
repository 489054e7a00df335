"""Complaint letters from templates the district edits: what each letter says and when it exists.

A template is plain text with ``# Heading`` lines, blank-line paragraphs, ``**bold**`` spans and
``{{placeholders}}``. The template is the district's; the values are user data — the export
escapes both and lets only the template's ``**`` become bold. Each letter states how its
deadline was counted, in words, so a family can check it on a calendar.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from sro_desk.domain.complaints import (
    Complaint,
    ComplaintRules,
    DeadlineKind,
    due_date,
)
from sro_desk.domain.dates import format_date
from sro_desk.domain.errors import RuleViolation
from sro_desk.domain.school_calendar import DistrictCalendar

_PLACEHOLDER = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


class LetterKind(StrEnum):
    """The four letters of the procedure."""

    ACKNOWLEDGEMENT = "Acknowledgement"
    EXTENSION = "Extension notice"
    DETERMINATION = "Determination"
    APPEAL_DECISION = "Appeal decision"

    @property
    def template_name(self) -> str:
        """File stem under ``resources/templates/letters``."""
        return {
            LetterKind.ACKNOWLEDGEMENT: "acknowledgement",
            LetterKind.EXTENSION: "extension",
            LetterKind.DETERMINATION: "determination",
            LetterKind.APPEAL_DECISION: "appeal_decision",
        }[self]


PLACEHOLDERS: Mapping[str, str] = {
    "district": "the district's name",
    "letter_date": "the date on the letter",
    "signer": "who signs the letter",
    "reference": "the complaint's reference (Complaint 12)",
    "complainant": "the complainant's name, or Anonymous complainant",
    "contact": "the complainant's contact details",
    "received_on": "the date the complaint was received",
    "incident_date": "the date of the incident",
    "building": "the building",
    "category": "the complaint's category",
    "language": "the language assistance requested",
    "investigator": "the investigator",
    "determination_school_days": "school days allowed for the determination",
    "appeal_school_days": "school days allowed for the appeal decision",
    "determination_due": "the determination's due date",
    "determination_computation": "how the determination's due date was counted",
    "determination_date": "the date the determination was issued",
    "finding": "the determination's finding",
    "determination_summary": "the determination's written summary",
    "appellant": "who appealed",
    "appeal_received_on": "the date the appeal was received",
    "appeal_due": "the appeal decision's due date",
    "appeal_computation": "how the appeal decision's due date was counted",
    "appeal_decided_on": "the date the appeal was decided",
    "appeal_finding": "the finding after appeal",
    "appeal_summary": "the appeal decision's written summary",
    "extension_deadline": "which answer the extension is for",
    "extension_reason": "the reason for the extension",
    "extension_notice_date": "the date of the extension notice",
    "extension_previous_due": "the due date before the extension",
    "extension_new_due": "the new date",
    "extension_computation": "how the original date was counted",
}


def template_problems(text: str) -> list[str]:
    """Why a district-edited template cannot be used, in words."""
    problems = []
    if not text.strip():
        problems.append("The template is empty.")
    unknown = sorted({m[1] for m in _PLACEHOLDER.finditer(text)} - PLACEHOLDERS.keys())
    if unknown:
        names = ", ".join("{{" + u + "}}" for u in unknown)
        problems.append(f"Unknown placeholder{'s' if len(unknown) != 1 else ''}: {names}. "
                        "Use only the placeholders listed beside the editor.")
    leftover = _PLACEHOLDER.sub("", text)
    if "{{" in leftover or "}}" in leftover:
        problems.append("A placeholder is not closed: write it as {{name}}.")
    return problems


def available_letters(complaint: Complaint) -> list[LetterKind]:
    """The letters a complaint's history supports."""
    kinds = [LetterKind.ACKNOWLEDGEMENT]
    if complaint.extensions:
        kinds.append(LetterKind.EXTENSION)
    if complaint.determination_on is not None:
        kinds.append(LetterKind.DETERMINATION)
    if complaint.appeal_decided_on is not None:
        kinds.append(LetterKind.APPEAL_DECISION)
    return kinds


def _refuse_unreached(kind: LetterKind, complaint: Complaint) -> None:
    if kind not in available_letters(complaint):
        needs = {
            LetterKind.EXTENSION: "an extension notice has been recorded",
            LetterKind.DETERMINATION: "the determination has been issued",
            LetterKind.APPEAL_DECISION: "the appeal has been decided",
        }.get(kind, "")
        raise RuleViolation(f"The {kind.value.lower()} letter for {complaint.reference} can "
                            f"be written only once {needs}.")


def step_date(kind: LetterKind, complaint: Complaint) -> dt.date:
    """The date of the step a letter reports — its default date and the earliest it may carry.

    Acknowledgement: the day the complaint was received. Extension notice: the day of the
    latest notice. Determination: the day it was issued. Appeal decision: the day it was
    decided. Raises ``RuleViolation`` when the complaint has not reached that step.
    """
    _refuse_unreached(kind, complaint)
    dates: dict[LetterKind, dt.date | None] = {
        LetterKind.ACKNOWLEDGEMENT: complaint.received_on,
        LetterKind.EXTENSION: complaint.extensions[-1].notice_date
        if complaint.extensions else None,
        LetterKind.DETERMINATION: complaint.determination_on,
        LetterKind.APPEAL_DECISION: complaint.appeal_decided_on,
    }
    on = dates[kind]
    assert on is not None  # available_letters guarantees the step happened
    return on


def letter_date_problems(kind: LetterKind, complaint: Complaint, letter_date: dt.date
                         ) -> list[str]:
    """Why a letter cannot carry ``letter_date``, in words (empty when it can)."""
    earliest = step_date(kind, complaint)
    if letter_date < earliest:
        what = {
            LetterKind.ACKNOWLEDGEMENT: "the complaint was received",
            LetterKind.EXTENSION: "the extension notice",
            LetterKind.DETERMINATION: "the determination was issued",
            LetterKind.APPEAL_DECISION: "the appeal was decided",
        }[kind]
        return [f"The {kind.value.lower()} letter cannot be dated {format_date(letter_date)}, "
                f"before {what} ({format_date(earliest)})."]
    return []


def letter_values(
    kind: LetterKind, complaint: Complaint, calendar: DistrictCalendar, rules: ComplaintRules,
    *, district: str, signer: str, letter_date: dt.date,
) -> dict[str, str]:
    """Every placeholder's text for this letter. Raises ``RuleViolation`` when it cannot exist
    or is dated before the step it reports.

    A letter says what was true on its date: an extension noticed after the letter date does
    not appear in it (an acknowledgement gives the deadline as counted, not a later extension).
    """
    problems = letter_date_problems(kind, complaint, letter_date)
    if problems:
        raise RuleViolation(" ".join(problems))
    complaint = replace(complaint, extensions=tuple(
        e for e in complaint.extensions if e.notice_date <= letter_date))
    values = dict.fromkeys(PLACEHOLDERS, "")
    values.update(
        district=district,
        letter_date=format_date(letter_date),
        signer=signer,
        reference=complaint.reference,
        complainant=("Anonymous complainant" if complaint.anonymous
                     else complaint.complainant_name),
        contact=complaint.complainant_contact,
        received_on=format_date(complaint.received_on),
        incident_date=format_date(complaint.incident_date) or "not given",
        building=complaint.building,
        category=complaint.category.value,
        language=complaint.language,
        investigator=complaint.investigator,
        determination_school_days=str(rules.determination_school_days),
        appeal_school_days=str(rules.appeal_school_days),
        determination_date=format_date(complaint.determination_on),
        finding=complaint.finding.value if complaint.finding else "",
        determination_summary=complaint.determination_summary,
        appellant=complaint.appellant,
        appeal_received_on=format_date(complaint.appeal_received_on),
        appeal_decided_on=format_date(complaint.appeal_decided_on),
        appeal_finding=complaint.appeal_finding.value if complaint.appeal_finding else "",
        appeal_summary=complaint.appeal_summary,
    )
    for deadline, prefix in ((DeadlineKind.DETERMINATION, "determination"),
                             (DeadlineKind.APPEAL, "appeal")):
        due = due_date(complaint, deadline, calendar, rules)
        if due is None:
            continue
        values[f"{prefix}_due"] = (format_date(due.due) if due.due
                                   else "to be set once the next calendar is entered")
        values[f"{prefix}_computation"] = due.explanation()
    if kind is LetterKind.EXTENSION:
        ext = complaint.extensions[-1]
        counted = due_date(complaint, ext.deadline, calendar, rules)
        values.update(
            extension_deadline=ext.deadline.value.lower(),
            extension_reason=ext.reason,
            extension_notice_date=format_date(ext.notice_date),
            extension_previous_due=format_date(ext.previous_due) or "not yet computable",
            extension_new_due=format_date(ext.new_due),
            extension_computation=counted.calculation.explanation() if counted else "",
        )
    return values


@dataclass(frozen=True, slots=True)
class LetterBlock:
    """A heading or paragraph: template text and user values kept apart for escaping."""

    heading: bool
    parts: tuple[tuple[str, bool], ...]  # (text, is_user_value)

    @property
    def plain_text(self) -> str:
        """The block as plain text (for tests and previews)."""
        return "".join(text for text, _ in self.parts).replace("**", "")


def render_letter(template: str, values: Mapping[str, str]) -> list[LetterBlock]:
    """Split a template into blocks with placeholders filled. Refuses a bad template."""
    problems = template_problems(template)
    if problems:
        raise RuleViolation(" ".join(problems))
    blocks: list[LetterBlock] = []
    for chunk in re.split(r"\n\s*\n", template.strip()):
        heading = chunk.startswith("# ")
        text = chunk[2:].strip() if heading else chunk.strip()
        parts: list[tuple[str, bool]] = []
        last = 0
        for match in _PLACEHOLDER.finditer(text):
            if match.start() > last:
                parts.append((text[last:match.start()], False))
            parts.append((values.get(match[1], ""), True))
            last = match.end()
        if last < len(text):
            parts.append((text[last:], False))
        if any(t.strip() for t, _ in parts):
            blocks.append(LetterBlock(heading, tuple(parts)))
    return blocks
