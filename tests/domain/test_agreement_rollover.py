"""The new-year rollover: drafts with reset checklists, last year's notes kept, idempotent."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.domain.agreements import (
    Agreement,
    AgreementWithChecklist,
    ChecklistEntry,
    ItemStatus,
    load_checklist_catalog,
    roll_forward,
)

CATALOG = load_checklist_catalog(json.loads(
    (Path(__file__).resolve().parents[2] / "resources" / "catalogs" / "agreement_checklist.json")
    .read_text(encoding="utf-8")
))
D = dt.date


def _source(provider_id=1, name="Cascade Police Department", year="2025-26", **changes):
    agreement = Agreement(
        school_year=year, provider_id=provider_id, provider_name=name,
        title=f"School resource officer agreement {year}", effective_on=D(2025, 9, 1),
        expires_on=D(2026, 8, 31), adopted_on=D(2025, 8, 20), responsible="Chief Ames; Dr. Lowe",
        notes="Renegotiate the overtime clause.", id=provider_id * 100,
        document_attachment_id=5, document_filename="signed.pdf", document_sha256="ab" * 32,
    )
    for key, value in changes.items():
        agreement = agreement.__class__(**{**{f: getattr(agreement, f) for f in agreement.__slots__},
                                           key: value})
    entries = (
        ChecklistEntry("complaint_process", ItemStatus.MET, section="§7", evidence="Board packet p. 12",
                       checked_by="Dana Reyes", checked_on=D(2025, 8, 1), notes="Add tip line."),
        ChecklistEntry("hiring_and_placement", ItemStatus.NOT_APPLICABLE,
                       not_applicable_reason="Contract guards are placed by the company",
                       checked_by="Dana Reyes", checked_on=D(2025, 8, 1)),
    )
    return AgreementWithChecklist(agreement, entries)


def test_rollover_makes_a_draft_with_reset_checklist_and_notes_for_reference():
    [draft] = roll_forward("2025-26", [_source()], [], CATALOG)
    a = draft.agreement
    assert a.school_year == "2026-27"
    assert a.title == "School resource officer agreement 2026-27"
    assert (a.effective_on, a.expires_on) == (D(2026, 9, 1), D(2027, 8, 31))
    assert a.adopted_on is None and a.is_draft
    assert a.document_attachment_id is None and a.document_sha256 == ""
    assert a.responsible == "Chief Ames; Dr. Lowe"
    assert a.notes == "" and a.previous_notes == "Renegotiate the overtime clause."
    assert a.rolled_from_id == 100 and a.id is None
    assert [e.item_key for e in draft.entries] == [d.key for d in CATALOG]
    assert {e.status for e in draft.entries} == {ItemStatus.NOT_STARTED}
    assert all(e.checked_by == "" and e.checked_on is None and e.section == "" for e in draft.entries)
    notes = {e.item_key: e.previous_notes for e in draft.entries}
    assert notes["complaint_process"] == (
        "Status: Met; Section: §7; Evidence: Board packet p. 12; Notes: Add tip line."
    )
    assert notes["hiring_and_placement"] == (
        "Status: Not applicable; Reason: Contract guards are placed by the company"
    )
    assert notes["positive_climate"] == ""


def test_rollover_twice_does_not_duplicate():
    sources = [_source(1), _source(2, "Evergreen Security LLC")]
    first = roll_forward("2025-26", sources, [], CATALOG)
    assert len(first) == 2
    assert roll_forward("2025-26", sources, [d.agreement for d in first], CATALOG) == []


def test_rollover_skips_a_provider_that_already_has_next_years_agreement():
    existing = Agreement("2026-27", 1, "Cascade Police Department", "Already drafted by hand")
    drafts = roll_forward("2025-26", [_source(1), _source(2, "Evergreen Security LLC")], [existing],
                          CATALOG)
    assert [d.agreement.provider_id for d in drafts] == [2]


def test_rollover_ignores_other_years_and_clamps_leap_day():
    leap = _source(3, "Harbor Sheriff", effective_on=D(2024, 2, 29))
    other = _source(4, "Old Agency", year="2024-25")
    [draft] = roll_forward("2025-26", [leap, other], [], CATALOG)
    assert draft.agreement.effective_on == D(2025, 2, 28)


def test_title_with_only_a_calendar_year_moves_forward():
    src = _source(title="SRO Interlocal 2025")
    [draft] = roll_forward("2025-26", [src], [], CATALOG)
    assert draft.agreement.title == "SRO Interlocal 2026"
    src = _source(title="Interlocal agreement")
    assert roll_forward("2025-26", [src], [], CATALOG)[0].agreement.title == "Interlocal agreement"


_providers = st.lists(
    st.tuples(st.integers(min_value=1, max_value=12), st.sampled_from(["2024-25", "2025-26"])),
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(sources=_providers, already=st.lists(st.integers(min_value=1, max_value=12), max_size=5))
def test_rollover_is_idempotent_and_one_per_provider(sources, already):
    agreements = [
        _source(pid, f"Provider {pid}", year=year) for pid, year in dict(sources).items()
    ]
    existing = [Agreement("2026-27", pid, f"Provider {pid}", "Hand-made") for pid in set(already)]
    first = roll_forward("2025-26", agreements, existing, CATALOG)
    created = [d.agreement for d in first]
    # one per provider, never for one that already had next year's agreement
    ids = [a.provider_id for a in created]
    assert len(ids) == len(set(ids))
    assert not set(ids) & set(already)
    assert set(ids) == {a.agreement.provider_id for a in agreements
                        if a.agreement.school_year == "2025-26"} - set(already)
    # running again, with what the first run created, creates nothing
    assert roll_forward("2025-26", agreements, existing + created, CATALOG) == []
