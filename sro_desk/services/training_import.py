"""Importing training records in bulk: an ESD's completion roster, an agency's in-service list, a
security company's guard hours, and ESD training series documentation and waivers.

One file, one row per person and requirement (or per ESD document or waiver), all rows or none:
every row is read and checked first, every problem is listed by row and column
(``ImportRefused``), and only a file without problems is written, inside one transaction. A row
that matches a record already kept (same person, requirement and date; for ESD documentation the
same person, ESD and date; for a waiver the same person and component) changes nothing, so the
same file imported twice adds nothing the second time. The result says what changed, and which
people that makes cleared to work (RCW 28A.400.345).

Documents named in the ``document`` column are read from a folder given with the file (the CLI's
``--attachments DIR``; in the app, the spreadsheet's own folder) and checked as the dialogs check
them (``domain.attachments.check_attachment``: PDF or image by content, at most 25 MB).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from sro_desk.domain.dates import format_date, parse_date
from sro_desk.domain.errors import ImportRefused, RowProblem, ValidationError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.domain.roster import StaffMember
from sro_desk.domain.training import (
    Delivery,
    Provider,
    completion_problems,
    esd_documentation_problems,
    waiver_problems,
)
from sro_desk.domain.training_catalog import TrainingCatalog
from sro_desk.domain.training_import import (
    PersonMatch,
    RequirementNames,
    UnitTitle,
    alias_problems,
    load_unit_titles,
    match_person,
    normalize_name,
    requirement_names,
    unknown_requirement_message,
)
from sro_desk.services.tabular import Cancelled, Progress, cell_text, read_table
from sro_desk.services.templates import TemplateSpec
from sro_desk.services.training import base_catalog, district_catalog, read_evidence
from sro_desk.store import roster_repo, training_repo
from sro_desk.store.audit import current_actor
from sro_desk.store.base import database_proxy
from sro_desk.store.settings import get_setting, set_setting
from sro_desk.store.training_repo import CompletionInput, EvidenceFile

SETTING_ALIASES = "training.import_aliases"

COLUMNS = (
    "badge_number", "first_name", "last_name", "employer", "record", "requirement", "date",
    "provider_type", "provider", "esd", "delivery", "hours", "certificate_number",
    "module_version", "status", "mentor", "mentor_school", "grounds", "document", "notes",
)
# Other headers the ESDs and agencies use for the same columns (after header normalization).
HEADER_ALIASES: dict[str, str] = {
    "badge": "badge_number", "badge_no": "badge_number", "employee_number": "badge_number",
    "employee_no": "badge_number", "employee_id": "badge_number", "personnel_number": "badge_number",
    "first": "first_name", "given_name": "first_name",
    "last": "last_name", "surname": "last_name", "family_name": "last_name",
    "agency": "employer", "company": "employer",
    "kind": "record", "record_type": "record", "type": "record",
    "topic": "requirement", "unit": "requirement", "course": "requirement",
    "components_waived": "requirement", "component": "requirement", "training": "requirement",
    "completed_on": "date", "date_completed": "date", "completion_date": "date",
    "received_on": "date", "waived_on": "date", "date_received": "date",
    "provider_name": "provider", "trainer": "provider",
    "issuing_esd": "esd", "educational_service_district": "esd",
    "certificate": "certificate_number", "certificate_no": "certificate_number",
    "module": "module_version", "version": "module_version",
    "verified": "status", "claim_or_verified": "status",
    "reason": "grounds", "waiver_grounds": "grounds",
    "document_file": "document", "file": "document", "pdf": "document",
    "mentor_name": "mentor",
}

COMPLETION, DOCUMENTATION, WAIVER = "completion", "esd documentation", "waiver"
RECORD_KINDS = {
    "": COMPLETION, "completion": COMPLETION, "training": COMPLETION,
    "esd documentation": DOCUMENTATION, "documentation": DOCUMENTATION,
    "esd training series documentation": DOCUMENTATION, "series documentation": DOCUMENTATION,
    "waiver": WAIVER, "esd waiver": WAIVER,
}
PROVIDER_TYPES = {
    "esd": Provider.ESD, "educational service district": Provider.ESD,
    "agency": Provider.AGENCY, "employer": Provider.AGENCY, "company": Provider.AGENCY,
    "employing agency or company": Provider.AGENCY,
    "district": Provider.DISTRICT, "school district": Provider.DISTRICT,
    "other": Provider.OTHER, "other provider": Provider.OTHER,
}
DELIVERIES = {"": Delivery.IN_PERSON, **{d.value.casefold(): d for d in Delivery},
              "in-person": Delivery.IN_PERSON, "remote": Delivery.LIVE_REMOTE,
              "self paced": Delivery.SELF_PACED}
CLAIM, VERIFIED = "claim", "verified"
STATUSES = {"": CLAIM, "claim": CLAIM, "claimed": CLAIM, "no": CLAIM,
            "verified": VERIFIED, "verified by the district": VERIFIED, "yes": VERIFIED,
            "confirmed": VERIFIED}

IMPORT_TEMPLATES = (
    TemplateSpec(
        name="training",
        title="Training records",
        headers=COLUMNS,
        example_rows=(
            ("1142", "Maria", "Lopez", "Sequim Police Department", "completion",
             "Unit 7 – Disparities in the Use of Force", "2026-06-24", "esd", "", "ESD 105",
             "in person", "3", "E105-2026-0412", "Fall 2026", "verified", "", "", "", "", ""),
            ("1142", "Maria", "Lopez", "Sequim Police Department", "completion", "(m)",
             "2026-06-25", "esd", "", "ESD 105", "live remote", "3", "E105-2026-0413",
             "Fall 2026", "claim", "", "", "", "lopez-unit13.pdf", ""),
            ("E-2231", "Dale", "Nguyen", "Sequim School District", "completion", "on_the_job",
             "9/14/2026", "district", "", "", "in person", "7", "", "", "verified",
             "Pat Ortiz", "Sequim High School", "", "", ""),
            ("G-88", "Ana", "Silva", "Sentinel Security", "completion", "guard_refresher",
             "2026-08-01", "agency", "Sentinel Security", "", "in person", "4", "", "", "claim",
             "", "", "", "", ""),
            ("E-2231", "Dale", "Nguyen", "Sequim School District", "esd documentation", "",
             "2026-10-02", "", "", "Olympic ESD 114", "", "", "", "", "verified", "", "", "",
             "nguyen-series.pdf", ""),
            ("G-88", "Ana", "Silva", "Sentinel Security", "waiver", "on_the_job; check_ins",
             "2026-10-05", "", "", "Olympic ESD 114", "", "", "", "", "", "", "",
             "Twelve years as a campus officer", "silva-waiver.pdf", ""),
        ),
        notes=(
            "One row per person and requirement (or per ESD document or waiver). Headers may be "
            "in any case and in any order; empty columns may be left out.",
            "The person: badge_number (badge or employee number), else first_name and last_name. "
            "employer narrows the match when a number or name is shared; two possible people are "
            "never guessed between — the row is refused and the candidates are named.",
            "record: completion (the default), esd documentation (the ESD's training series "
            "documentation, RCW 28A.400.345), or waiver (an ESD's waiver of series components).",
            "requirement: a topic letter (a)–(m) of RCW 28A.310.515(2), a catalog code "
            "(on_the_job, check_ins, first_aid_cpr, ...), the requirement's name, or the ESD's "
            "unit title, e.g. 'Unit 7 – Disparities in the Use of Force'. A waiver may list "
            "several components separated by ';'. Words the district uses can be added as "
            "aliases ('sro-desk training alias add').",
            "date: completed on (completion), received on (documentation), waived on (waiver); "
            "YYYY-MM-DD or M/D/YYYY or a spreadsheet date. Not in the future.",
            "provider_type: esd, agency, district or other (empty: esd when an ESD is named, "
            "else agency). provider: the provider's name; esd: the issuing ESD.",
            "delivery: in person, live remote or self-paced. hours: a number. certificate_number "
            "and module_version as the certificate gives them (the ESDs' Fall 2026 modules).",
            "status: claim (the default: awaiting the district's verification) or verified "
            "(verified by the district now, by the person importing). For ESD documentation, "
            "verified means confirmed, which needs its document.",
            "mentor and mentor_school: required for an on-the-job day (RCW 28A.400.345(2)(c)).",
            "grounds: the prior training and experience a waiver is for (required for a waiver).",
            "document: the file name of the PDF or image in the folder that travels with the "
            "spreadsheet (given with --attachments DIR; the app looks beside the spreadsheet).",
            "A row matching a record already kept (same person, requirement and date) changes "
            "nothing: importing the same file again adds nothing.",
            "Do not record immigration or citizenship status or place of birth anywhere "
            "(RCW 10.93.160).",
        ),
    ),
)


# ---------------------------------------------------------------- names and aliases


@lru_cache(maxsize=1)
def unit_titles() -> tuple[UnitTitle, ...]:
    """ESD 105's unit titles (resources/catalogs/esd_unit_titles.json)."""
    from sro_desk.paths import resource_text

    return load_unit_titles(json.loads(resource_text("catalogs", "esd_unit_titles.json")),
                            base_catalog())


def district_aliases() -> dict[str, str]:
    """The district's own words for requirements: alias → catalog code."""
    stored = get_setting(SETTING_ALIASES, {}) or {}
    if not isinstance(stored, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in stored.items()
    ):
        raise ValidationError(
            "The saved training aliases cannot be read (the database may have been edited by "
            "hand). Restore a backup, or add the aliases again."
        )
    return dict(stored)


def name_table(catalog: TrainingCatalog | None = None) -> RequirementNames:
    return requirement_names(catalog or district_catalog(), unit_titles(), district_aliases())


def add_alias(alias: str, requirement: str, *, reason: str = "") -> dict[str, str]:
    """Add the district's words for a requirement (named as anything the importer recognises)."""
    names = name_table()
    code = names.match(requirement) or requirement.strip()
    problems = alias_problems(names, alias, code)
    if problems:
        raise ValidationError(problems)
    aliases = district_aliases()
    aliases[alias.strip()] = code
    set_setting(SETTING_ALIASES, dict(sorted(aliases.items())),
                reason=reason.strip() or f"training alias added for {code}")
    return aliases


def remove_alias(alias: str, *, reason: str = "") -> dict[str, str]:
    aliases = district_aliases()
    wanted = normalize_name(alias)
    found = [k for k in aliases if normalize_name(k) == wanted]
    if not found:
        raise ValidationError(f"“{alias.strip()}” is not one of the district's aliases.")
    for key in found:
        del aliases[key]
    set_setting(SETTING_ALIASES, aliases, reason=reason.strip() or "training alias removed")
    return aliases


# ---------------------------------------------------------------- reading the file


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    kind: str
    member: StaffMember
    codes: tuple[str, ...] = ()
    day: dt.date | None = None
    provider: Provider = Provider.AGENCY
    provider_name: str = ""
    esd: str = ""
    delivery: Delivery = Delivery.IN_PERSON
    hours: float | None = None
    certificate: str = ""
    module_version: str = ""
    verified: bool = False
    mentor: str = ""
    mentor_school: str = ""
    grounds: str = ""
    document: str = ""
    notes: str = ""


@dataclass(frozen=True, slots=True)
class TrainingImportResult:
    """What an import changed (or, for a dry run, would change)."""

    completions_added: int = 0
    completion_people: int = 0
    verified: int = 0
    unchanged: int = 0
    documentation_added: int = 0
    documentation_confirmed: int = 0
    waivers_added: int = 0
    documents_stored: int = 0
    newly_cleared: tuple[str, ...] = ()
    verifier: str = ""
    dry_run: bool = False
    warnings: tuple[str, ...] = field(default=())

    @property
    def changed(self) -> bool:
        return bool(self.completions_added or self.verified or self.documentation_added
                    or self.documentation_confirmed or self.waivers_added)

    @property
    def summary(self) -> str:
        """"37 completions for 12 people; 4 people become cleared.\""""
        def n(count: int, one: str, many: str) -> str:
            return f"{count} {one if count == 1 else many}"

        parts: list[str] = []
        if self.completions_added:
            parts.append(n(self.completions_added, "completion", "completions")
                         + " for " + n(self.completion_people, "person", "people"))
        if self.verified:
            parts.append(n(self.verified, "record", "records") + f" verified by {self.verifier}")
        if self.documentation_added:
            parts.append(n(self.documentation_added, "ESD training series documentation record",
                           "ESD training series documentation records"))
        if self.documentation_confirmed:
            parts.append(n(self.documentation_confirmed, "ESD documentation record",
                           "ESD documentation records") + " confirmed")
        if self.waivers_added:
            parts.append(n(self.waivers_added, "waiver", "waivers"))
        if not parts:
            parts.append("nothing new")
        cleared = len(self.newly_cleared)
        parts.append(n(cleared, "person becomes", "people become") + " cleared")
        if self.unchanged:
            parts.append(n(self.unchanged, "row was", "rows were") + " already recorded")
        text = "; ".join(parts) + "."
        text = text[0].upper() + text[1:]
        return ("Dry run, nothing saved: " + text) if self.dry_run else text

    def detail_lines(self) -> list[str]:
        """The clearance changes, then notes, for the result dialog and the terminal."""
        lines = [f"Now cleared to work: {name}" for name in self.newly_cleared]
        lines.extend(f"Note: {w}" for w in self.warnings)
        return lines


def _canonical(rows: Sequence[tuple[int, dict[str, Any]]], headers: Sequence[str],
               original: Sequence[str]) -> list[tuple[int, dict[str, Any]]]:
    """Rows keyed by this importer's column names (aliases resolved); unknown headers ignored."""
    names: dict[str, str] = {}
    shown = dict(zip(headers, original, strict=False))
    problems: list[RowProblem] = []
    for header in headers:
        target = header if header in COLUMNS else HEADER_ALIASES.get(header)
        if target is None:
            continue
        if target in names.values():
            first = next(k for k, v in names.items() if v == target)
            problems.append(RowProblem(1, shown.get(header, header),
                                       f"means the same as the column '{shown.get(first, first)}'"))
            continue
        names[header] = target
    if problems:
        raise ImportRefused(problems)
    present = set(names.values())
    missing: list[RowProblem] = []
    if "date" not in present:
        missing.append(RowProblem(1, "date", "this column is missing (the date completed, "
                                             "received or waived)"))
    if not present & {"badge_number", "last_name"}:
        missing.append(RowProblem(1, "badge_number", "the file needs a badge_number column or "
                                                     "first_name and last_name columns"))
    if missing:
        found = ", ".join(h for h in original if h) or "none"
        raise ImportRefused(missing, "The file does not have the columns this import needs "
                                     f"(found: {found}). Nothing was changed.")
    return [(number, {names[k]: v for k, v in row.items() if k in names}) for number, row in rows]


def _plain_file_name(name: str) -> bool:
    return bool(name) and Path(name).name == name and name not in (".", "..") and (
        "/" not in name and "\\" not in name)


class _Reader:
    """Turns sheet rows into checked ``_Row``s, collecting every problem."""

    def __init__(self, today: dt.date, attachments: Path | None) -> None:
        self.today = today
        self.attachments = attachments
        self.catalog = district_catalog()
        self.names = name_table(self.catalog)
        self.staff = roster_repo.list_staff()
        self.problems: list[RowProblem] = []
        self.warnings: list[str] = []
        self.documents: dict[str, EvidenceFile] = {}
        self._document_problems: dict[str, str] = {}
        self._people: dict[tuple[str, str, str, str], PersonMatch] = {}
        self._names: dict[str, str | None] = {}

    def bad(self, number: int, column: str, message: str) -> None:
        self.problems.append(RowProblem(number, column, message))

    def document(self, number: int, name: str) -> str:
        """Check that the named document is in the folder and acceptable; its name, or ''."""
        if not name:
            return ""
        if self.attachments is None:
            self.bad(number, "document", f"the row names the document '{name}'; give the folder "
                                         "of documents that came with the file (--attachments DIR)")
            return ""
        if not _plain_file_name(name):
            self.bad(number, "document", f"'{name}' must be a file name in the documents folder, "
                                         "not a path")
            return ""
        if name not in self.documents and name not in self._document_problems:
            path = self.attachments / name
            try:
                present = path.is_file()
            except OSError as error:  # a name too long for the file system, and the like
                present = False
                self._document_problems[name] = f"'{name[:60]}…' cannot be a file name here ({error.strerror})"
            if not present:
                self._document_problems.setdefault(name, f"there is no file '{name}' in {self.attachments}")
            else:
                try:
                    self.documents[name] = read_evidence(path)
                except ValidationError as error:
                    self._document_problems[name] = "; ".join(error.problems)
        if name in self._document_problems:
            self.bad(number, "document", self._document_problems[name])
            return ""
        return name

    def requirements(self, number: int, text: str, kind: str) -> tuple[str, ...]:
        if not text:
            self.bad(number, "requirement", "say which requirement (topic letter, catalog code "
                                            "or the ESD's unit title)")
            return ()
        if text not in self._names:
            self._names[text] = self.names.match(text)
        code = self._names[text]
        if code is not None:
            return (code,)
        if kind != WAIVER:
            self.bad(number, "requirement", unknown_requirement_message(self.names, text))
            return ()
        codes: list[str] = []
        for part in [p.strip() for p in text.replace("\n", ";").split(";") if p.strip()]:
            found = self.names.match(part)
            if found is None and "," in part:
                pieces = [self.names.match(p) for p in part.split(",") if p.strip()]
                if pieces and all(pieces):
                    codes.extend(p for p in pieces if p)
                    continue
            if found is None:
                self.bad(number, "requirement", unknown_requirement_message(self.names, part))
            else:
                codes.append(found)
        return tuple(dict.fromkeys(codes))

    def row(self, number: int, cells: Mapping[str, Any]) -> _Row | None:
        def text(column: str) -> str:
            return cell_text(cells.get(column, ""))

        before = len(self.problems)
        kind = RECORD_KINDS.get(normalize_name(text("record")))
        if kind is None:
            self.bad(number, "record", f"'{text('record')}' is not a kind of record (completion, "
                                       "esd documentation or waiver)")
            return None
        who = (text("badge_number"), text("first_name"), text("last_name"), text("employer"))
        match = self._people.get(who)
        if match is None:  # a roster repeats each person once per requirement
            match = self._people[who] = match_person(self.staff, *who)
        if match.member is None:
            self.bad(number, match.column, match.problem)
        day: dt.date | None = None
        raw_date = cells.get("date", "")
        if raw_date in ("", None):
            self.bad(number, "date", "the date is missing")
        else:
            try:
                day = parse_date(raw_date)
            except ValueError as error:
                self.bad(number, "date", str(error))
        status = STATUSES.get(normalize_name(text("status")))
        if status is None:
            self.bad(number, "status", f"'{text('status')}' is neither claim nor verified")
        esd = text("esd")
        document = self.document(number, text("document"))
        notes = text("notes")
        for column in ("notes", "grounds"):
            warning = immigration_warning(text(column))
            if warning:
                self.warnings.append(f"row {number}, {column}: {warning}")
        if kind == COMPLETION:
            return self._completion(number, text, match.member, day, status, esd, document,
                                    notes, before)
        if kind == WAIVER:
            codes = self.requirements(number, text("requirement"), kind)
            for code in codes:
                for message in waiver_problems(self.catalog.get(code), day, esd,
                                               text("grounds"), self.today):
                    self.bad(number, _column_of(message), _sentence(message))
            if status == VERIFIED:
                self.bad(number, "status", "a waiver is the ESD's decision: leave status empty")
            if len(self.problems) > before or match.member is None:
                return None
            return _Row(number, kind, match.member, codes, day, esd=esd,
                        grounds=text("grounds"), document=document, notes=notes)
        if text("requirement"):
            self.bad(number, "requirement", "ESD training series documentation covers the whole "
                                            "series; leave requirement empty")
        for message in esd_documentation_problems(day, esd, self.today):
            self.bad(number, _column_of(message), _sentence(message))
        if status == VERIFIED and not document:
            self.bad(number, "document", "confirming ESD documentation needs the document itself "
                                         "(name its file in the document column)")
        if len(self.problems) > before or match.member is None:
            return None
        return _Row(number, kind, match.member, (), day, esd=esd, verified=status == VERIFIED,
                    document=document, notes=notes)

    def _completion(
        self, number: int, text: Callable[[str], str], member: StaffMember | None,
        day: dt.date | None, status: str | None, esd: str, document: str, notes: str,
        before: int,
    ) -> _Row | None:
        codes = self.requirements(number, text("requirement"), COMPLETION)
        kind_text = normalize_name(text("provider_type"))
        provider = PROVIDER_TYPES.get(kind_text) if kind_text else (
            Provider.ESD if esd else Provider.AGENCY)
        if provider is None:
            self.bad(number, "provider_type", f"'{text('provider_type')}' is not a provider type "
                                              "(esd, agency, district or other)")
        provider_name = text("provider") or (esd if provider is Provider.ESD else "")
        delivery = DELIVERIES.get(normalize_name(text("delivery")))
        if delivery is None:
            self.bad(number, "delivery", f"'{text('delivery')}' is not a way of delivery "
                                         "(in person, live remote or self-paced)")
        hours: float | None = None
        raw_hours = text("hours")
        if raw_hours:
            try:
                hours = float(raw_hours.replace(",", "."))
            except ValueError:
                self.bad(number, "hours", f"'{raw_hours}' is not a number of hours")
        if codes and day is not None and provider is not None:
            for message in completion_problems(
                self.catalog.get(codes[0]), day, provider, provider_name, hours, text("mentor"),
                text("mentor_school"), self.today,
            ):
                self.bad(number, _column_of(message), _sentence(message))
        if len(self.problems) > before or member is None or not codes or day is None:
            return None
        assert provider is not None and delivery is not None and status is not None
        return _Row(number, COMPLETION, member, codes, day, provider, provider_name, esd,
                    delivery, hours, text("certificate_number"), text("module_version"),
                    status == VERIFIED, text("mentor"), text("mentor_school"), "", document,
                    notes)


_MESSAGE_COLUMNS = (
    ("mentor's school", "mentor_school"), ("mentor", "mentor"), ("provider", "provider"),
    ("hours", "hours"), ("date", "date"), ("educational service district", "esd"),
    ("reason", "grounds"), ("series", "requirement"),
)


def _column_of(message: str) -> str:
    """Which column a domain rule's message is about (the rules speak of fields in words)."""
    lowered = message.casefold()
    for words, column in _MESSAGE_COLUMNS:
        if words in lowered:
            return column
    return ""


def _sentence(message: str) -> str:
    """A domain sentence as part of a row problem: no capital start, no closing full stop."""
    text = message.rstrip(".")
    if len(text) > 1 and text[1].isupper():  # "ESD ..." keeps its capitals
        return text
    return text[:1].lower() + text[1:]


# ---------------------------------------------------------------- the import


def read_rows(
    path: Path | str, *, today: dt.date, attachments: Path | str | None = None,
    progress: Progress | None = None, is_cancelled: Cancelled | None = None,
) -> tuple[list[_Row], list[str], dict[str, EvidenceFile]]:
    """Every row checked, or ``ImportRefused`` listing every problem in the file."""
    folder = Path(attachments) if attachments is not None else None
    if folder is not None and not folder.is_dir():
        raise ImportRefused([RowProblem(0, "", f"the documents folder {folder} does not exist")])
    data = read_table(path, progress=progress, is_cancelled=is_cancelled)
    rows = _canonical(data.rows, data.headers, data.original_headers)
    if not rows:
        raise ImportRefused([RowProblem(0, "", "the file has a header row but no records")])
    reader = _Reader(today, folder)
    parsed = [r for number, cells in rows if (r := reader.row(number, cells)) is not None]
    seen: dict[tuple[Any, ...], int] = {}
    for row in parsed:
        for key in _keys(row):
            if key in seen:
                reader.bad(row.number, "", f"the same record as row {seen[key]}")
            seen.setdefault(key, row.number)
    if reader.problems:
        raise ImportRefused(sorted(reader.problems, key=lambda p: p.row))
    return parsed, reader.warnings, reader.documents


def _keys(row: _Row) -> list[tuple[Any, ...]]:
    sid = row.member.id
    if row.kind == DOCUMENTATION:
        return [(DOCUMENTATION, sid, normalize_name(row.esd), row.day)]
    if row.kind == WAIVER:
        return [(WAIVER, sid, code) for code in row.codes]
    return [(COMPLETION, sid, code, row.day) for code in row.codes]


class _DryRun(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""

    def __init__(self, result: TrainingImportResult) -> None:
        super().__init__("dry run")
        self.result = result


def import_training(
    path: Path | str,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
    *,
    today: dt.date,
    attachments: Path | str | None = None,
    verifier: str = "",
    dry_run: bool = False,
) -> TrainingImportResult:
    """Import the whole file in one transaction, or nothing (``ImportRefused``).

    ``verifier`` is who verifies the rows marked verified (default: the current user, as in the
    completion dialog). With ``dry_run`` everything is checked and counted, then rolled back.
    """
    from sro_desk.services.training import clearance_by_staff

    rows, warnings, documents = read_rows(path, today=today, attachments=attachments,
                                          progress=progress, is_cancelled=is_cancelled)
    who = verifier.strip() or current_actor()
    try:
        with database_proxy.atomic():
            before = {sid for sid, c in clearance_by_staff(today).items() if c.cleared}
            counts = _write(rows, documents, who, progress, is_cancelled, warnings)
            after = clearance_by_staff(today)
            names = {m.id: m.sort_name for r in rows for m in (r.member,)}
            cleared = tuple(sorted(
                (names[sid] for sid, c in after.items() if c.cleared and sid not in before
                 and sid in names), key=str.casefold))
            result = TrainingImportResult(**counts, newly_cleared=cleared, verifier=who,
                                          dry_run=dry_run, warnings=tuple(warnings))
            if dry_run:
                raise _DryRun(result)
    except _DryRun as done:
        return done.result
    return result


def _write(
    rows: Sequence[_Row], documents: Mapping[str, EvidenceFile], verifier: str,
    progress: Progress | None, is_cancelled: Cancelled | None, notes: list[str],
) -> dict[str, int]:
    titles = {r.code: r.column_title for r in district_catalog().requirements}
    existing = defaultdict(list)
    for c in training_repo.list_completions():
        existing[(c.staff_id, c.requirement_code, c.completed_on)].append(c)
    waivers = {(w.staff_id, w.requirement_code): w for w in training_repo.list_waivers()}
    clashes = [
        RowProblem(row.number, "date", f"{row.member.sort_name} already has a waiver of "
                   f"“{titles.get(code, code)}” dated {format_date(current.waived_on)}; remove "
                   "it first to record another")
        for row in rows if row.kind == WAIVER for code in row.codes
        if (current := waivers.get((row.member.id or 0, code))) is not None
        and current.waived_on != row.day
    ]
    if clashes:  # every one of them, before anything is written
        raise ImportRefused(clashes)
    esd_docs = {(d.staff_id, normalize_name(d.issuing_esd), d.received_on): d
                for d in training_repo.list_esd_documentation()}
    counts = dict(completions_added=0, completion_people=0, verified=0, unchanged=0,
                  documentation_added=0, documentation_confirmed=0, waivers_added=0,
                  documents_stored=0)
    new_by_document: dict[tuple[str, bool], list[CompletionInput]] = defaultdict(list)
    to_verify: list[int] = []
    people: set[int] = set()
    stored_documents: set[str] = set()
    for row in rows:
        sid = row.member.id
        assert sid is not None and row.day is not None
        if row.kind == COMPLETION:
            code = row.codes[0]
            found = existing.get((sid, code, row.day))
            if found:
                counts["unchanged"] += 1
                if row.verified and not any(c.verified for c in found):
                    to_verify.append(found[0].id)
                kept = {c.certificate_number for c in found if c.certificate_number}
                if row.certificate and kept and row.certificate not in kept:
                    notes.append(
                        f"row {row.number}: {row.member.sort_name}'s "
                        f"“{titles.get(code, code)}” of "
                        f"{format_date(row.day)} is already recorded with certificate "
                        f"{', '.join(sorted(kept))}; the file says {row.certificate}. The record "
                        "was left as it is.")
                continue
            new_by_document[(row.document, row.verified)].append(CompletionInput(
                sid, code, row.day, row.provider, row.provider_name, row.delivery, row.hours,
                row.notes, row.mentor, row.mentor_school, row.certificate, row.module_version,
                row.esd,
            ))
            people.add(sid)
        elif row.kind == WAIVER:
            for code in row.codes:
                current = waivers.get((sid, code))
                if current is not None and current.waived_on == row.day:
                    counts["unchanged"] += 1
                    continue
                training_repo.add_waiver(sid, code, row.day, row.esd, row.grounds,
                                         documents.get(row.document), recorded_by=verifier)
                counts["waivers_added"] += 1
                counts["documents_stored"] += bool(row.document)
        else:
            doc = esd_docs.get((sid, normalize_name(row.esd), row.day))
            if doc is None:
                doc = training_repo.add_esd_documentation(
                    sid, row.day, row.esd, documents.get(row.document), notes=row.notes)
                counts["documentation_added"] += 1
                counts["documents_stored"] += bool(row.document)
            else:
                counts["unchanged"] += 1
                if row.verified and not doc.has_document and row.document:
                    doc = training_repo.attach_esd_document(doc.id, documents[row.document])
                    counts["documents_stored"] += 1
            if row.verified and not doc.confirmed:
                training_repo.confirm_esd_documentation(doc.id, verifier)
                counts["documentation_confirmed"] += 1
    done, total = 0, max(len(rows), 1)
    for completion_id in to_verify:  # claims kept from before, now marked verified
        training_repo.verify_completion(completion_id, verifier)
    counts["verified"] = len(to_verify)
    for (name, verified), group in new_by_document.items():
        evidence = [documents[name]] if name else []
        if name:
            stored_documents.add(name)
        # In slices, so that Cancel and the progress bar answer during a long roster; a shared
        # document goes with its whole group in one call, so that it is stored once.
        step = len(group) if name else 100
        for start in range(0, len(group), step):
            if is_cancelled is not None and is_cancelled():
                raise ImportRefused([RowProblem(0, "", "The import was cancelled.")],
                                    "The import was cancelled. Nothing was changed.")
            part = group[start:start + step]
            saved = training_repo.add_completions(
                part, evidence, claimed_by=verifier, verified_by=verifier if verified else "")
            counts["completions_added"] += len(saved)
            counts["verified"] += len(saved) if verified else 0
            done += len(part)
            if progress is not None:
                progress(done, total)
    counts["completion_people"] = len(people)
    counts["documents_stored"] += len(stored_documents)
    return counts
