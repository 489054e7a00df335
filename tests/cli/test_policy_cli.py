"""``sro-desk policy record`` / ``policy status``: the policy adoption and review record."""

from __future__ import annotations

from pathlib import Path

import pytest

from sro_desk import cli


def test_policy_commands(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["policy", "status", "--db", str(db_file)]) == 0
    assert "No adoption recorded" in capsys.readouterr().out
    assert cli.main(["policy", "record", "--db", str(db_file), "--adopted", "2021-04-28",
                     "--next-review", "2099-04-28", "--board-action", "Board motion 21-07"]) == 0
    assert cli.main(["policy", "status", "--db", str(db_file)]) == 0
    out = capsys.readouterr().out
    assert "Current: Policy 4311" in out and "Board motion 21-07" in out
    assert cli.main(["policy", "record", "--db", str(db_file), "--board-action", "x"]) == 2
    assert "adoption date" in capsys.readouterr().err


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    from sro_desk.store.database import close_database, open_database

    path = tmp_path / "policy.db"
    open_database(path, daily_backup=False)
    close_database()
    return path
