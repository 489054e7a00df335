"""Training exports read back: the matrix workbook (openpyxl) and the verification record (pypdf),
both through the command line as a coordinator would run them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from sro_desk import cli
from tests.training_helpers import TODAY, seeded_training_db

# Verifications are stamped by the clock: "verified on the 26th, as of the 26th" must hold.
pytestmark = pytest.mark.on_day(TODAY)


@pytest.fixture
def db_path(tmp_path: Path) -> Iterator[tuple[Path, dict[str, int]]]:
    path = tmp_path / "training.db"
    yield path, seeded_training_db(path)


def test_matrix_workbook_via_cli(db_path: tuple[Path, dict[str, int]], tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db_path
    out = tmp_path / "matrix.xlsx"
    assert cli.main(["export", "training", "--db", str(path), "--xlsx", str(out),
                     "--as-of", "2026-11-26"]) == 0
    assert "Wrote" in capsys.readouterr().out
    wb = load_workbook(out)
    sheet = wb["Compliance matrix"]
    header_row = 4
    headers = [c.value for c in sheet[header_row]]
    assert headers[:7] == ["Name", "Employer", "Building", "Role", "First day with students",
                           "May be assigned (RCW 28A.400.345(1))",
                           "Series deadlines (RCW 28A.400.345(2))"]
    assert headers[7] == "\N{LOCK} (a) Civil rights of children" and headers[-1] == "Reasons"
    assert headers[headers.index("First Aid/CPR")] == "First Aid/CPR"  # the district's: no lock
    assert sheet.freeze_panes == "B5"
    assert sheet.auto_filter.ref.startswith("A4:")
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    campus = rows["=Lindqvist, Grace"]
    assert campus[0].data_type == "s"  # a name beginning with "=" stays a name
    assert (campus[5].value, campus[6].value) == ("Yes", "Series overdue")
    assert "(1)" in campus[-1].value and "overdue since" in campus[-1].value
    assert campus[7 + 6].value.startswith("Waived")  # (g)
    sro = rows["Lopez, Maria"]
    assert (sro[5].value, sro[6].value, sro[7].value) == ("Yes", "In compliance", "Verified")
    cpr_col = headers.index("First Aid/CPR")
    assert sro[cpr_col].value == "Expired · 1 Nov 2026"
    rules = [r for cf in sheet.conditional_formatting for r in cf.rules]
    formulas = " ".join(r.formula[0] for r in rules)
    for label in ("Verified", "Overdue", "Expiring soon", "Expired", "Waived", "Not applicable"):
        assert f'="{label}"' in formulas
    legend = wb["Legend"]
    texts = [c.value for row in legend.iter_rows() for c in row if isinstance(c.value, str)]
    assert "RCW 28A.310.515(2)(m)" in texts
    assert "\N{LOCK} Locked: required by law (RCW 28A.400.345(2)(c))" in texts
    assert "Restorative justice principles and practices." in texts
    assert any("item 11: Bias-Free Policing" in t for t in texts)
    assert any("31 August + 6 months = the last day of February" in t for t in texts)


def test_verification_record_pdf_via_cli(db_path: tuple[Path, dict[str, int]], tmp_path: Path
                                         ) -> None:
    path, ids = db_path
    out = tmp_path / "record.pdf"
    assert cli.main(["export", "training-record", "--db", str(path), "--person",
                     str(ids["sro"]), "--pdf", str(out), "--as-of", "2026-11-26"]) == 0
    text = "\n".join(page.extract_text() for page in PdfReader(out).pages)
    flat = " ".join(text.split())
    assert "Training verification record" in flat
    assert "Cedar Valley School District No. 401" in flat
    assert "Maria Lopez" in flat and "Cedar Valley PD" in flat
    assert "2 September 2026" in flat
    assert "May be assigned (RCW 28A.400.345(1)): Yes" in flat
    assert "Series deadlines (RCW 28A.400.345(2)(b)-(d)): In compliance" in flat
    assert "Required by law (RCW 28A.400.345(2)(b))" in flat
    assert "at the school of the experienced staff" in flat
    assert "Pat <b>Lee" in flat              # escaped, not swallowed as markup
    assert "sign-in <sheet>.pdf" in flat
    assert '=HYPERLINK("x")' in flat
    assert "Restorative justice" in flat
    assert "District training verifier" in flat and "Agency or company representative" in flat
    assert "Not listed because they apply to other roles or employers" in flat
    assert "Check-in trainings" in flat  # named there: an SRO does no check-ins
    guard = tmp_path / "guard.pdf"
    assert cli.main(["export", "training-record", "--db", str(path), "--person",
                     str(ids["guard"]), "--pdf", str(guard), "--as-of", "2026-11-26"]) == 0
    guard_text = " ".join("\n".join(p.extract_text() for p in PdfReader(guard).pages).split())
    assert "O'Brien <Jr>" in guard_text
    # first day 2 November: inside the 6-month window, so assignable and on schedule
    assert "May be assigned (RCW 28A.400.345(1)): Yes" in guard_text
    assert "No series deadline has passed" in guard_text
