"""Every record type the audit trail can name maps to a kind of change notice."""

from __future__ import annotations

from sro_desk.domain.changes import Change, change_for_record_type
from sro_desk.store.audit import record_type_of
from sro_desk.store.base import all_record_classes


def test_every_record_type_has_a_change_kind() -> None:
    unmapped = [record_type_of(model) for model in all_record_classes()
                if change_for_record_type(record_type_of(model)) is None]
    assert unmapped == []


def test_record_types_map_to_their_feature() -> None:
    assert change_for_record_type("HiringScore") is Change.HIRING
    assert change_for_record_type("TrainingWaiver") is Change.TRAINING
    assert change_for_record_type("CallStudent") is Change.CALLS
    assert change_for_record_type("CalendarYear") is Change.CALENDAR
    assert change_for_record_type("BuildingStartOfYear") is Change.AGREEMENTS
    assert change_for_record_type("Building") is Change.SETUP
    assert change_for_record_type("Staff") is Change.ROSTER
    assert change_for_record_type("Nonsense") is None
