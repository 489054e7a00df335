"""Training commands: clearance and alerts on the terminal, activation, refusals in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from sro_desk import cli
from tests.training_helpers import TODAY, seeded_training_db

# Verifications are stamped by the clock: "verified on the 26th, as of the 26th" must hold.
pytestmark = pytest.mark.on_day(TODAY)


@pytest.fixture
def db_path(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "training.db"
    return path, seeded_training_db(path)


def test_cli_refuses_in_words(db_path: tuple[Path, dict[str, int]], tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db_path
    assert cli.main(["export", "training-record", "--db", str(path), "--person", "999",
                     "--pdf", str(tmp_path / "x.pdf")]) == 2
    assert "Staff member 999 does not exist" in capsys.readouterr().err
    assert cli.main(["export", "training", "--db", str(path), "--xlsx",
                     str(tmp_path / "nope" / "m.xlsx")]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert cli.main(["export", "training", "--db", str(path), "--xlsx",
                     str(tmp_path / "m.csv")]) == 2
    assert "must end in .xlsx" in capsys.readouterr().err


def test_status_and_attention_commands(db_path: tuple[Path, dict[str, int]],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    path, _ids = db_path
    assert cli.main(["training", "status", "--db", str(path), "--as-of", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert f"{'May be assigned · In compliance':<37} Lopez, Maria" in out
    assert "Not to be assigned · Deadlines not set" in out
    assert "first day not recorded" in out
    assert cli.main(["training", "attention", "--db", str(path), "--as-of", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    assert "Lopez, Maria: First Aid/CPR expired after 1 November 2026" in out
    heading = out.splitlines()[0]
    count = sum(1 for line in out.splitlines() if line.startswith("  "))
    assert heading == (f"Needs attention as of 26 November 2026: {count} "
                       f"item{'' if count == 1 else 's'}"), heading
    assert "(s)" not in out


def test_activate_command_needs_a_reason_when_not_cleared(
    db_path: tuple[Path, dict[str, int]], capsys: pytest.CaptureFixture[str],
) -> None:
    path, ids = db_path
    assert cli.main(["training", "activate", "--db", str(path), "--person",
                     str(ids["new"])]) == 2
    captured = capsys.readouterr()
    assert "Not cleared for training" in captured.out
    assert "Give the reason" in captured.err
    assert cli.main(["training", "activate", "--db", str(path), "--person", str(ids["new"]),
                     "--reason", "Series booked for 4 December"]) == 0
    assert "is now active" in capsys.readouterr().out
