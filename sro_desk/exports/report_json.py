"""The annual report as a JSON file (shape: ``sro_desk.domain.report_json``)."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from sro_desk.domain.annual_report import AnnualReport
from sro_desk.domain.report_json import report_to_data


def write_atomically(dest: Path, data: bytes) -> Path:
    """Write beside the destination and rename, so a failure never leaves half a file."""
    dest = Path(dest)
    handle, temp = tempfile.mkstemp(prefix=".sro-desk-", suffix=dest.suffix, dir=dest.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(data)
        os.replace(temp, dest)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return dest


def report_json_text(report: AnnualReport) -> str:
    return json.dumps(report_to_data(report), ensure_ascii=False, indent=2) + "\n"


def write_report_json(report: AnnualReport, dest: Path | str) -> Path:
    return write_atomically(Path(dest), report_json_text(report).encode("utf-8"))
