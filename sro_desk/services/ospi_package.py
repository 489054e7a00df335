"""The OSPI package (RCW 28A.320.1241(2)(a)): the year's data per statutory item and the adopted
agreements, in the versioned layout of ``sro_desk.exports.ospi_package_v1``.

The figures come from the annual report engine: its public edition for every count about students
(OSPI publishes what it receives), and the same edition's per-person staff table, which names
positions, not people.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path

from sro_desk import clock
from sro_desk.domain.annual_report import Edition
from sro_desk.store import agreement_repo

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


def _safe_name(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-")[:60] or "agreement"


def write_ospi_package(
    school_year: str,
    dest: Path | str,
    *,
    today: dt.date | None = None,
    threshold: int | None = None,
    progress: Progress | None = None,
    is_cancelled: Cancelled | None = None,
) -> Path:
    """Build the package for ``school_year`` into ``dest`` (a new folder, or a ``.zip``)."""
    from sro_desk.domain.dates import format_date
    from sro_desk.exports.ospi_package_v1 import AgreementPdf, write_package
    from sro_desk.services import agreements as agreement_svc
    from sro_desk.services.annual_report import build_report

    day = today or clock.today()
    if progress is not None:
        progress(0, 3)
    report = build_report(school_year, Edition.PUBLIC, threshold, today=day)
    if progress is not None:
        progress(1, 3)
    pdfs: list[AgreementPdf] = []
    used: set[str] = set()
    for agreement in agreement_repo.list_agreements(report.school_year):
        if agreement.adopted_on is None:
            continue
        name = f"{_safe_name(agreement.provider_name)}-{report.school_year}.pdf"
        while name in used:
            name = f"{name[:-4]}-{len(used)}.pdf"
        used.add(name)
        provider_id = agreement.provider_id

        def write(path: Path, provider_id: int = provider_id) -> Path:
            return agreement_svc.export_agreement(report.school_year, provider_id, day,
                                                  pdf=path)[0]

        pdfs.append(AgreementPdf(name, write))
    written = write_package(dest, report, report.staff_people, pdfs, format_date(day),
                            is_cancelled=is_cancelled)
    if progress is not None:
        progress(3, 3)
    return written
