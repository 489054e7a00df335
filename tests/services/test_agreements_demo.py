"""The demo district's agreements tell the story the issue asks for (built as of 26 Nov 2026)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sro_desk.domain.agreements import ReminderKind
from sro_desk.domain.start_of_year import DutyState
from sro_desk.services import agreements
from sro_desk.store import agreement_repo

TODAY = dt.date(2026, 11, 26)


def test_demo_has_a_complete_agreement_and_a_draft_with_open_items(demo_db: Path) -> None:
    by_name = {a.agreement.provider_name: a for a in agreements.assess_all("2026-27", TODAY)}
    police = by_name["Cedar Valley Police Department"]
    sheriff = by_name["Harbor County Sheriff's Office"]
    assert police.progress.complete and not police.agreement.is_draft
    assert police.agreement.document_filename.endswith(".pdf")
    assert sheriff.agreement.is_draft and not sheriff.progress.complete
    training = next(i for i in sheriff.items if i.definition.key == "training_documentation")
    assert training.flags and "lack" in training.flags[0]  # live from the Training tab
    assert {a.agreement.school_year for a in agreements.assess_all("2025-26", TODAY)} == {"2025-26"}
    assert agreements.providers_with_agreement("2026-27") == ["Cedar Valley Police Department"]
    assert all(d.rolled_from_id for d in agreement_repo.list_agreements("2026-27"))


def test_demo_past_year_is_judged_by_who_worked_then(demo_db: Path) -> None:
    """2025-26 is over: its Harbor County checklist answers for the deputies who worked that
    year as of its last day, not for Aaron Whitehorse (on the roster since, no dates)."""
    past = {a.agreement.provider_name: a for a in agreements.assess_all("2025-26", TODAY)}
    sheriff = past["Harbor County Sheriff's Office"]
    training = next(i for i in sheriff.items if i.definition.key == "training_documentation")
    assert training.counts_as_met and training.flags == ()
    current = {a.agreement.provider_name: a for a in agreements.assess_all("2026-27", TODAY)}
    flag = next(i for i in current["Harbor County Sheriff's Office"].items
                if i.definition.key == "training_documentation").flags[0]
    assert flag.endswith("as of 26 November 2026: Teresa Sandoval, Aaron Whitehorse")


def test_demo_needs_attention_and_one_building_missing(demo_db: Path) -> None:
    kinds = {r.kind for r in agreements.reminders(TODAY)}
    assert {ReminderKind.NOT_ADOPTED_BY_FIRST_DAY, ReminderKind.NO_AGREEMENT} <= kinds
    overdue = [b for b in agreements.start_of_year_overview("2026-27", TODAY)
               if b.state is DutyState.OVERDUE]
    assert [b.building_name for b in overdue] == ["Cedar Valley Reengagement Center"]
    assert len(agreement_repo.list_meetings("2026-27")) == 3
