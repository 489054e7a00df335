"""The year's public release, assembled and protected as one linked system.

Every public document of a school year — the annual report (JSON, xlsx, PDF and the charts
drawn from it) and the public complaint summary — is protected together here
(``domain.release``), and each exporter of a public document takes its figures' states from
this one decision, so no document can show what another hides, and the attack over all of
them together has run before a public file is written.

The report and the summary print the same complaint figures when they count the same
complaints (the report's reporting period is the summary's year, 1 July to 30 June); those
figures are linked. A district that moves its reporting period makes them different counts,
and they are then not linked (see docs/protection.md for what that leaves open).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sro_desk.domain.annual_report import (
    ReportInputs,
    report_system,
)
from sro_desk.domain.complaint_summary import (
    ALL_COMPLAINTS,
    OUTCOME_LABELS,
    TOTAL,
    complaint_summary_system,
)
from sro_desk.domain.complaints import Category, Complaint, ComplaintRules
from sro_desk.domain.errors import SroDeskError
from sro_desk.domain.release import (
    Explanation,
    Link,
    LinkedRelease,
    PublicDocument,
    ReleaseProtection,
    explain,
    protect_release,
)
from sro_desk.domain.school_calendar import DistrictCalendar

REPORT = "annual report"
SUMMARY = "complaint summary"


@dataclass(frozen=True, slots=True)
class YearRelease:
    release: LinkedRelease
    protection: ReleaseProtection

    def explanations(self) -> tuple[Explanation, ...]:
        return explain(self.release, self.protection)


def _report_labels(values: dict[str, int]) -> dict[str, str]:
    """Figure keys in words: ``students.race=White&outcome=arrest`` → ``students: race White,
    outcome arrest``."""
    labels: dict[str, str] = {}
    for key in values:
        section, _, rest = key.partition(".")
        if rest == "total":
            labels[key] = f"{section}: total"
            continue
        parts = [p.replace("=", " ", 1).replace("_", " ") for p in rest.split("&")]
        labels[key] = f"{section}: " + ", ".join(parts)
    return labels


def _summary_labels(values: dict[str, int]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for key in values:
        kind, _, rest = key.partition(":")
        if kind == "outcome":
            row, _, col = rest.partition(":")
            labels[key] = f"complaints: {row}, {col}"
        elif kind in ("channel", "answer"):
            labels[key] = f"{kind}: " + rest.replace(":", ", ")
        else:
            labels[key] = {"total": "complaints: total", "by_law": "complaints counted by law",
                           "late_filed": "complaints filed late"}.get(key, key)
    return labels


def _complaint_links(report_values: dict[str, int],
                     summary_values: dict[str, int]) -> tuple[Link, ...]:
    pairs = [("complaints.total", "total"), ("complaints.counted_by_law", "by_law")]
    pairs += [(f"complaints.by_category={c.value}", f"outcome:{c.value}:{TOTAL}")
              for c in Category]
    pairs += [(f"complaints.by_outcome={o}", f"outcome:{ALL_COMPLAINTS}:{o}")
              for o in OUTCOME_LABELS]
    return tuple(Link((REPORT, a), (SUMMARY, b)) for a, b in pairs
                 if a in report_values and b in summary_values)


def assemble_release(
    inputs: ReportInputs,
    summary_complaints: list[Complaint] | None,
    summary_context: tuple[DistrictCalendar, ComplaintRules, dt.date] | None,
    *,
    same_complaints: bool,
) -> LinkedRelease:
    """The linked release from the report's inputs and the summary's complaints (pure)."""
    report_values, report_eqs = report_system(inputs)
    documents = [PublicDocument(REPORT, dict(report_values), report_eqs,
                                labels=_report_labels(report_values))]
    links: tuple[Link, ...] = ()
    if summary_complaints is not None and summary_context is not None:
        calendar, rules, today = summary_context
        values, eqs = complaint_summary_system(summary_complaints, calendar, rules, today)
        documents.append(PublicDocument(SUMMARY, dict(values), eqs,
                                        labels=_summary_labels(values)))
        if same_complaints:
            links = _complaint_links(report_values, values)
    return LinkedRelease(tuple(documents), links)


def year_release(school_year: str, today: dt.date) -> YearRelease:
    """The year's release from the database, protected with the district's threshold and
    protection width; raises ``RuleViolation`` if it cannot be protected."""
    from sro_desk.services import annual_report as report_service
    from sro_desk.services.complaints import complaint_rules, year_span
    from sro_desk.store import calendar_repo, complaint_repo

    chosen = report_service.report_settings()
    inputs = report_service.gather_inputs(school_year, today)
    complaints: list[Complaint] | None
    context: tuple[DistrictCalendar, ComplaintRules, dt.date] | None
    try:
        start, end = year_span(school_year)
    except SroDeskError:
        complaints, context, same = None, None, False
    else:
        complaints = list(complaint_repo.complaints_received_between(start, end))
        context = (calendar_repo.load_district_calendar(), complaint_rules(), today)
        same = (inputs.period.start, inputs.period.end) == (start, end)
    release = assemble_release(inputs, complaints, context, same_complaints=same)
    key = (_fingerprint(release), chosen.threshold, chosen.width)
    protection = _PROTECTED.get(key)
    if protection is None:  # the same figures protect the same way: the exact work runs once
        protection = protect_release(release, chosen.threshold, chosen.width)
        if len(_PROTECTED) >= _KEEP:
            _PROTECTED.pop(next(iter(_PROTECTED)))
        _PROTECTED[key] = protection
    return YearRelease(release, protection)


_KEEP = 4
_PROTECTED: dict[tuple[str, int, int], ReleaseProtection] = {}


def _fingerprint(release: LinkedRelease) -> str:
    """Every figure, sum and link of the release, as one digest (equal digests: equal systems,
    so an equal protection)."""
    import hashlib

    digest = hashlib.sha256()
    for doc in release.documents:
        digest.update(repr((doc.name, sorted(doc.values.items()),
                            [e.figures() for e in doc.equations],
                            sorted(doc.structural))).encode())
    digest.update(repr(release.links).encode())
    return digest.hexdigest()
