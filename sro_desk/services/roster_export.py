"""Export the roster to the formats a coordinator hands out."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sro_desk import clock
from sro_desk.store import roster_repo, settings


def training_states(today: dt.date | None = None) -> dict[int, str]:
    """"may be assigned; in compliance" or the same with reasons, per person, when training
    verification is in this build (RCW 28A.400.345(1) and (2), each with its reasons)."""
    try:
        from sro_desk.services.training import clearance_by_staff
    except ImportError:
        return {}
    states: dict[int, str] = {}
    for staff_id, clearance in clearance_by_staff(today or clock.today()).items():
        assign = clearance.assignment_label.lower()
        comply = clearance.compliance_label.lower()
        if clearance.cleared:
            states[staff_id] = f"{assign}; {comply}"
        else:
            reasons = "; ".join(r.rstrip(". ") for r in clearance.reasons)
            states[staff_id] = f"{assign}; {comply}: {reasons}" if reasons else f"{assign}; {comply}"
    return states


def export_roster(*, xlsx: Path | None = None, pdf: Path | None = None) -> list[Path]:
    staff = roster_repo.list_staff()
    training = training_states()
    district = settings.district_name() or "School district"
    written: list[Path] = []
    if xlsx is not None:
        from sro_desk.exports.roster import write_roster_xlsx

        written.append(write_roster_xlsx(Path(xlsx), district, staff, roster_repo.list_buildings(), training))
    if pdf is not None:
        from sro_desk.exports.roster import write_roster_pdf

        written.append(write_roster_pdf(Path(pdf), district, staff, training))
    return written
