"""The annual report as a JSON file (shape: ``sro_desk.domain.report_json``)."""

from __future__ import annotations

import json
from pathlib import Path

from sro_desk.domain.annual_report import AnnualReport
from sro_desk.domain.report_json import report_to_data
from sro_desk.exports.atomic import write_bytes


def write_atomically(dest: Path, data: bytes) -> Path:
    """Write beside the destination and rename, so a failure never leaves half a file
    (the shared writer, ``exports.atomic``)."""
    return write_bytes(dest, data)


def report_json_text(report: AnnualReport) -> str:
    return json.dumps(report_to_data(report), ensure_ascii=False, indent=2) + "\n"


def write_report_json(report: AnnualReport, dest: Path | str) -> Path:
    return write_atomically(Path(dest), report_json_text(report).encode("utf-8"))
