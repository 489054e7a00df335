"""Sheet PINs: what a PIN may be, the salted digest, and the blind rule for a protected sheet."""

from __future__ import annotations

import datetime as dt

import pytest

from sro_desk.domain.hiring import HiringRound, Panelist, visibility
from sro_desk.domain.hiring_pin import hash_pin, pin_matches, pin_problems


@pytest.mark.parametrize(("pin", "repeated", "words"), [
    ("", None, "Type a PIN"),
    ("12a4", None, "digits only"),
    ("١٢٣٤", None, "digits only"),  # Arabic-Indic digits are digits to str.isdigit, not to a keypad
    ("123", None, "4 to 12 digits"),
    ("1234567890123", None, "4 to 12 digits"),
    ("0000", None, "one repeated digit"),
    ("4821", "4812", "do not match"),
])
def test_pin_problems(pin: str, repeated: str | None, words: str) -> None:
    assert any(words in p for p in pin_problems(pin, repeated))


def test_pin_is_kept_as_a_salted_digest() -> None:
    first, second = hash_pin("4821"), hash_pin("4821")
    assert first.salt != second.salt and first.digest != second.digest
    assert pin_matches("4821", first) and pin_matches("4821", second)
    assert not pin_matches("4822", first) and not pin_matches("", first)
    assert b"4821" not in first.digest and len(first.digest) == 32
    quick = hash_pin("4821", iterations=1000)
    assert pin_matches("4821", quick) and quick.iterations == 1000  # the count travels with it
    with pytest.raises(ValueError, match="digits only"):
        hash_pin("abcd")


def test_a_protected_sheet_shows_nothing_without_its_pin() -> None:
    r = HiringRound(1, "SRO", "PD", "")
    people = [Panelist(1, 1, "Ann", "District", has_pin=True), Panelist(2, 1, "Ben", "PD")]
    locked = visibility(1, r, people, pin_missing=True)
    assert not locked.panelist_ids and locked.editable_panelist_id is None
    assert "protected by a PIN" in locked.reason
    assert visibility(1, r, people).editable_panelist_id == 1
    revealed = HiringRound(1, "SRO", "PD", "", revealed_at=dt.datetime(2026, 11, 26, 9))
    after = visibility(1, revealed, people, pin_missing=True, reopened_with_reason=True)
    assert after.aggregate and after.editable_panelist_id is None
