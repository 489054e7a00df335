"""Export the roster to the formats a coordinator hands out."""

from __future__ import annotations

from pathlib import Path

from sro_desk.store import roster_repo, settings


def export_roster(*, xlsx: Path | None = None, pdf: Path | None = None) -> list[Path]:
    staff = roster_repo.list_staff()
    district = settings.district_name() or "School district"
    written: list[Path] = []
    if xlsx is not None:
        from sro_desk.exports.roster import write_roster_xlsx

        written.append(write_roster_xlsx(Path(xlsx), district, staff, roster_repo.list_buildings()))
    if pdf is not None:
        from sro_desk.exports.roster import write_roster_pdf

        written.append(write_roster_pdf(Path(pdf), district, staff))
    return written
