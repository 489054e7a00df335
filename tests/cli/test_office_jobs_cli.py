"""The office jobs through ``cli.main`` on the demo district: tick an agreement checklist item,
log a meeting and a prevention activity, take a complaint to its next step; refusals in words."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sro_desk.cli import EXIT_ERROR, EXIT_OK, main

DAY = dt.date(2026, 11, 27)  # the day after the demo district was built


@pytest.fixture
def demo(demo_db: Path, clock_at: Callable[[dt.date], None]) -> Path:
    from sro_desk.store.database import close_database

    clock_at(DAY)
    close_database()  # each command opens the file itself
    return demo_db


@contextmanager
def reopened(path: Path) -> Iterator[None]:
    from sro_desk.store.database import close_database, open_database

    open_database(path, daily_backup=False)
    try:
        yield
    finally:
        close_database()


def _sro_and_building(path: Path) -> tuple[int, str, str]:
    from sro_desk.domain.roster import Role, StaffStatus
    from sro_desk.store import roster_repo

    with reopened(path):
        sro = next(s for s in roster_repo.list_staff()
                   if s.role is Role.SRO and s.status is StaffStatus.ACTIVE and s.assignments)
        building = next(b for b in roster_repo.list_buildings()
                        if b.id == sro.assignments[0].building_id)
    assert sro.id is not None
    return sro.id, sro.sort_name, building.code


def test_tick_an_agreement_item_with_evidence(demo: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    from sro_desk.domain.agreements import ItemStatus
    from sro_desk.services.agreements import assess_all

    with reopened(demo):
        draft = next(a for a in assess_all("2026-27", DAY) if a.agreement.state != "Adopted"
                     and any(i.entry.status is not ItemStatus.MET
                             and i.definition.rule.value == "manual" for i in a.items))
        item = next(i for i in draft.items if i.entry.status is not ItemStatus.MET
                    and i.definition.rule.value == "manual")
    provider = str(draft.agreement.provider_id)
    assert main(["agreements", "tick", "--db", str(demo), "--year", "2026-27", "--provider",
                 provider, "--item", item.definition.key, "--evidence", "Section 7, page 4",
                 "--section", "7", "--checked-by", "Jo Coordinator"]) == EXIT_OK
    assert capsys.readouterr().out.startswith(
        f"{draft.agreement.provider_name} 2026-27: “{item.definition.title}” is now Met")
    with reopened(demo):
        again = next(a for a in assess_all("2026-27", DAY)
                     if a.agreement.provider_id == draft.agreement.provider_id)
        entry = next(i.entry for i in again.items if i.definition.key == item.definition.key)
    assert (entry.status, entry.evidence, entry.section, entry.checked_by, entry.checked_on) == (
        ItemStatus.MET, "Section 7, page 4", "7", "Jo Coordinator", DAY)
    assert again.progress.text != draft.progress.text


def test_tick_refusals(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["agreements", "tick", "--db", str(demo), "--year", "2026-27", "--provider",
                 "1", "--item", "no_such_item"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "There is no checklist item 'no_such_item'" in err and "complaint_process" in err
    assert main(["agreements", "tick", "--db", str(demo), "--year", "1999-00", "--provider",
                 "1", "--item", "complaint_process"]) == EXIT_ERROR
    assert "There is no agreement" in capsys.readouterr().err
    spec = tmp_path / "tick.json"
    spec.write_text(json.dumps({"year": "2026-27", "provider": 2, "item": "training_documentation",
                                "status": "not-applicable", "reason": "no SROs yet"}),
                    encoding="utf-8")
    assert main(["agreements", "tick", "--db", str(demo), "--json", str(spec)]) == EXIT_ERROR
    assert "Traceback" not in capsys.readouterr().err
    assert main(["agreements", "tick", "--db", str(demo), "--year", "2026-27", "--provider",
                 "2", "--item", "complaint_process", "--checked-on", "2027-01-01"]) == EXIT_ERROR
    assert "is in the future" in capsys.readouterr().err


def test_log_a_meeting(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff_id, name, code = _sro_and_building(demo)
    spec = tmp_path / "meeting.json"
    spec.write_text(json.dumps({"date": "2026-11-25", "kind": "formal", "principal": "Dr. Ames",
                                "staff": staff_id, "building": code,
                                "topics": "Spring assemblies"}), encoding="utf-8")
    assert main(["meetings", "log", "--db", str(demo), "--json", str(spec)]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(f"Logged a formal meeting of Dr. Ames with {name} at ")
    assert "on 25 November 2026 (meeting " in out
    with reopened(demo):
        from sro_desk.store import meeting_repo

        (logged,) = [m for m in meeting_repo.list_meetings(dt.date(2026, 11, 25),
                                                           dt.date(2026, 11, 25))
                     if m.principal == "Dr. Ames"]
    assert (logged.staff_id, logged.topics) == (staff_id, "Spring assemblies")


def test_meeting_refusals(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff_id, _name, code = _sro_and_building(demo)
    assert main(["meetings", "log", "--db", str(demo), "--date", "2026-12-25", "--kind",
                 "formal", "--principal", " ", "--staff", str(staff_id), "--building",
                 code]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "is in the future" in err
    assert main(["meetings", "log", "--db", str(demo), "--date", "2026-11-25", "--kind",
                 "informal", "--principal", "Dr. Ames", "--staff", str(staff_id),
                 "--building", "NOPE"]) == EXIT_ERROR
    assert "There is no building 'NOPE'" in capsys.readouterr().err
    assert main(["meetings", "log", "--db", str(demo), "--kind", "informal"]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert "Give --date" in err and "Give --principal" in err and "Give --staff" in err
    with pytest.raises(SystemExit):
        main(["meetings", "log", "--db", str(demo), "--kind", "weekly"])
    assert "invalid choice: 'weekly'" in capsys.readouterr().err
    assert main(["meetings", "log", "--db", str(demo), "--date", "2026-11-25", "--kind",
                 "informal", "--principal", "Dr. Ames", "--staff", str(staff_id),
                 "--building", code, "--notes", "asked about his immigration status"]) == 2
    assert "RCW 10.93.160" in capsys.readouterr().err


def test_log_a_prevention_activity(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    staff_id, _name, code = _sro_and_building(demo)
    assert main(["prevention", "log", "--db", str(demo), "--date", "2026-11-18", "--kind",
                 "Restorative circle", "--building", code, "--participants", "14", "--staff",
                 str(staff_id)]) == EXIT_OK
    assert "Logged restorative circle at " in capsys.readouterr().out
    assert main(["prevention", "log", "--db", str(demo), "--date", "2026-11-18", "--kind",
                 "bake sale", "--building", code, "--participants", "-3"]) == EXIT_ERROR
    assert "'bake sale' is not a kind of prevention activity" in capsys.readouterr().err
    assert main(["prevention", "log", "--db", str(demo), "--date", "2026-11-18", "--kind",
                 "mentoring", "--building", code, "--participants", "-3"]) == EXIT_ERROR
    assert "cannot be negative" in capsys.readouterr().err


def _complaint_at(path: Path, stage: str) -> int:
    from sro_desk.store import complaint_repo

    with reopened(path):
        found = next(c for c in complaint_repo.list_complaints() if c.stage.value == stage)
    assert found.id is not None
    return found.id


def test_take_a_complaint_through_its_steps(demo: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    cid = _complaint_at(demo, "Received")
    base = ["complaints", "advance", "--db", str(demo), "--complaint", str(cid)]
    assert main([*base, "--step", "determine", "--finding", "inconclusive", "--summary",
                 "x"]) == EXIT_ERROR
    assert "Steps cannot be skipped" in capsys.readouterr().err
    assert main([*base, "--step", "investigate", "--investigator", "Principal Ames",
                 "--agency-notified", "2026-11-27"]) == EXIT_OK
    assert capsys.readouterr().out == (f"Complaint {cid}: Investigating (investigate, "
                                       "27 November 2026).\n")
    assert main([*base, "--step", "determine", "--summary", "Reviewed the video."]) == EXIT_ERROR
    assert "Give --finding: substantiated, not substantiated, inconclusive." in \
        capsys.readouterr().err
    assert main([*base, "--step", "determine", "--finding", "Not substantiated", "--summary",
                 "Reviewed the video and statements."]) == EXIT_OK
    assert "Determination issued" in capsys.readouterr().out
    assert main([*base, "--step", "close", "--note", "No appeal."]) == EXIT_OK
    assert f"Complaint {cid}: Closed" in capsys.readouterr().out
    assert main([*base, "--step", "appeal", "--appellant", "the complainant"]) == EXIT_ERROR
    assert "is closed; no further steps can be taken" in capsys.readouterr().err


def test_complaint_step_refusals(demo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cid = _complaint_at(demo, "Investigating")
    base = ["complaints", "advance", "--db", str(demo), "--complaint", str(cid)]
    assert main([*base, "--step", "extend", "--reason", "Witness away"]) == EXIT_ERROR
    assert "Give --new-due DATE" in capsys.readouterr().err
    assert main(["complaints", "advance", "--db", str(demo), "--complaint", "9999", "--step",
                 "close"]) == EXIT_ERROR
    assert "9999" in capsys.readouterr().err
    assert main([*base, "--step", "close"]) == EXIT_ERROR
    assert "Steps cannot be skipped" in capsys.readouterr().err
    assert main([*base, "--step", "determine", "--finding", "substantiated", "--summary", "x",
                 "--on", "2027-03-01"]) == EXIT_ERROR
    assert "is in the future" in capsys.readouterr().err


@pytest.mark.parametrize("command", [
    ["agreements", "tick"], ["meetings", "log"], ["prevention", "log"],
    ["complaints", "advance"],
])
def test_help_has_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main([*command, "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "example" in out and "sro-desk " + " ".join(command) in out and "--json" in out
