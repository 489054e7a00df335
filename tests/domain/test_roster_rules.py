from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desk.domain.attachments import check_attachment
from sro_desk.domain.audit import GENESIS, AuditEntry, entry_hash, verify_chain
from sro_desk.domain.dates import add_months, add_years, format_date, parse_date, parse_yes_no
from sro_desk.domain.errors import ValidationError
from sro_desk.domain.privacy import immigration_warning
from sro_desk.domain.roster import (
    Building,
    BuildingAssignment,
    ProviderKind,
    Role,
    SchoolYear,
    StaffMember,
    StaffStatus,
    school_year_label_for,
    validate_building,
    validate_school_year,
    validate_staff,
)


def member(**changes: object) -> StaffMember:
    base: dict[str, object] = dict(
        id=None, first_name="Ana", last_name="Diaz", role=Role.SRO, commissioned=True, provider_id=1,
        provider_name="Town Police Department", provider_kind=ProviderKind.POLICE,
        assignments=(BuildingAssignment(1, 5, "THS"),), first_day_with_students=dt.date(2026, 9, 2),
        status=StaffStatus.ACTIVE,
    )
    base.update(changes)
    return StaffMember(**base)  # type: ignore[arg-type]


def test_valid_sro_passes() -> None:
    check = validate_staff(member())
    assert check.ok and check.warnings == ()


def test_sro_must_be_commissioned() -> None:
    check = validate_staff(member(commissioned=False))
    assert any("must be a commissioned officer" in e for e in check.errors)


def test_sro_must_come_from_police_or_sheriff() -> None:
    check = validate_staff(member(provider_kind=ProviderKind.SECURITY_COMPANY, provider_name="Guard Co"))
    assert any("police department or sheriff's office" in e and "Guard Co" in e for e in check.errors)
    assert validate_staff(member(provider_kind=ProviderKind.SHERIFF)).ok


def test_security_officer_need_not_be_commissioned() -> None:
    assert validate_staff(member(role=Role.SCHOOL_SECURITY, commissioned=False, provider_kind=ProviderKind.DISTRICT)).ok


def test_name_and_employer_required() -> None:
    errors = validate_staff(member(first_name="", last_name="", provider_id=None)).errors
    assert "A staff member needs a name." in errors
    assert any("employer" in e for e in errors)


def test_days_per_week_bounds() -> None:
    assert any("at most 5" in e for e in validate_staff(member(assignments=(BuildingAssignment(1, 6),))).errors)
    assert any("at most 5" in e for e in validate_staff(member(assignments=(BuildingAssignment(1, 0),))).errors)
    many = tuple(BuildingAssignment(i, 2.5) for i in range(1, 4))
    assert any("more than a week holds" in e for e in validate_staff(member(assignments=many)).errors)
    six = (BuildingAssignment(1, 3), BuildingAssignment(2, 3))
    check = validate_staff(member(assignments=six))
    assert check.ok and any("more than a school week" in w for w in check.warnings)


def test_assignment_dates_in_order() -> None:
    check = validate_staff(member(assignment_start=dt.date(2026, 9, 1), assignment_end=dt.date(2026, 8, 1)))
    assert any("end date is before its start" in e for e in check.errors)


def test_active_without_first_day_warns() -> None:
    check = validate_staff(member(first_day_with_students=None))
    assert check.ok and any("first day on school property" in w for w in check.warnings)


def test_notes_guard_warns_with_citation() -> None:
    check = validate_staff(member(notes="Asked the student about immigration status"))
    assert check.ok
    assert any("RCW 10.93.160" in w for w in check.warnings)


@pytest.mark.parametrize(
    "text",
    ["student was born in Guatemala", "citizenship unknown", "ICE agent contacted the school", "place of birth: Kyiv",
     "undocumented", "green card expired", "deportation risk"],
)
def test_privacy_guard_flags(text: str) -> None:
    message = immigration_warning(text)
    assert message is not None and "RCW 10.93.160" in message


@pytest.mark.parametrize(
    "text",
    ["", "Fight at lunch; handled by the principal", "Training on immigrant and English learner students",
     "Bought ice cream for the reading club", "Attended the citizenship-free civics night"[:20]],
)
def test_privacy_guard_quiet_on_ordinary_text(text: str) -> None:
    assert immigration_warning(text) is None


def test_building_codes_unique_case_insensitive() -> None:
    others = [Building(1, "High", "THS")]
    assert any("already used" in e for e in validate_building(Building(None, "Other", "ths"), others).errors)
    assert validate_building(Building(1, "High", "THS"), others).ok


def test_school_year_rules() -> None:
    ok = SchoolYear(None, "2025-26", dt.date(2025, 9, 3), dt.date(2026, 6, 17))
    assert validate_school_year(ok, []).ok
    assert not validate_school_year(SchoolYear(None, "2025-27", ok.first_day, ok.last_day), []).ok
    assert not validate_school_year(SchoolYear(None, "2025-26", ok.last_day, ok.first_day), []).ok
    overlap = SchoolYear(None, "2026-27", dt.date(2026, 6, 1), dt.date(2027, 6, 1))
    assert any("overlap" in e for e in validate_school_year(overlap, [SchoolYear(1, "2025-26", ok.first_day, ok.last_day)]).errors)


def test_school_year_label_for() -> None:
    assert school_year_label_for(dt.date(2026, 11, 26)) == "2026-27"
    assert school_year_label_for(dt.date(2026, 6, 30)) == "2025-26"
    assert school_year_label_for(dt.date(2026, 7, 1)) == "2026-27"
    assert school_year_label_for(dt.date(1999, 8, 1)) == "1999-00"


# ------------------------------------------------------------------ dates


def test_month_arithmetic_reads_like_a_person() -> None:
    assert add_months(dt.date(2025, 8, 31), 6) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2023, 8, 31), 6) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2026, 1, 15), 6) == dt.date(2026, 7, 15)
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(2025, 2, 28)


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2090, 12, 31)), st.integers(0, 36))
def test_add_months_properties(start: dt.date, months: int) -> None:
    result = add_months(start, months)
    assert (result.year - start.year) * 12 + result.month - start.month == months
    assert result.day == start.day or (result.day < start.day and (result + dt.timedelta(days=1)).day == 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2026-03-02", dt.date(2026, 3, 2)), ("3/2/2026", dt.date(2026, 3, 2)), (dt.datetime(2026, 3, 2, 0, 0), dt.date(2026, 3, 2)),
     (dt.date(2026, 3, 2), dt.date(2026, 3, 2)), (" 12/31/2025 ", dt.date(2025, 12, 31))],
)
def test_parse_date_accepts(value: object, expected: dt.date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026-02-30", "13/1/2026", "yesterday", "", None, "2026/03/02"])
def test_parse_date_refuses_in_words(value: object) -> None:
    with pytest.raises(ValueError, match=r"date|calendar"):
        parse_date(value)


def test_yes_no() -> None:
    assert [parse_yes_no(v) for v in ("Yes", "y", "TRUE", "1", 1, "no", "N", "false", "0", 0, "")] == [True] * 5 + [False] * 6
    with pytest.raises(ValueError, match="not yes or no"):
        parse_yes_no("maybe")


def test_format_date() -> None:
    assert format_date(dt.date(2026, 3, 2)) == "2 March 2026"
    assert format_date(None) == ""


# ------------------------------------------------------------------ audit chain


def _chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for i in range(1, n + 1):
        digest = entry_hash(prev, f"2026-01-0{i}", "me", "update", "Staff", str(i), '{"x":[1,2]}')
        entries.append(AuditEntry(i, f"2026-01-0{i}", "me", "update", "Staff", str(i), '{"x":[1,2]}', prev, digest))
        prev = digest
    return entries


def test_chain_verifies_and_detects_each_kind_of_tampering() -> None:
    from dataclasses import replace

    entries = _chain(4)
    assert verify_chain(entries) is None
    edited = [*entries[:2], replace(entries[2], changes='{"x":[1,3]}'), entries[3]]
    assert "Audit entry 3" in (verify_chain(edited) or "")
    deleted = [entries[0], entries[2], entries[3]]
    assert "Audit entry 3" in (verify_chain(deleted) or "")


# ------------------------------------------------------------------ attachments


def test_attachment_checks() -> None:
    assert check_attachment("cert.pdf", b"%PDF-1.7 rest") == "application/pdf"
    assert check_attachment("photo.PNG", b"\x89PNG\r\n\x1a\n....") == "image/png"
    with pytest.raises(ValidationError, match="not a PDF or an image"):
        check_attachment("notes.docx", b"PK\x03\x04")
    with pytest.raises(ValidationError, match="content is not one"):
        check_attachment("fake.pdf", b"just text")
    with pytest.raises(ValidationError, match="really a PNG"):
        check_attachment("mislabeled.pdf", b"\x89PNG\r\n\x1a\n....")
    with pytest.raises(ValidationError, match="25 MB"):
        check_attachment("big.pdf", b"%PDF-" + b"0" * (25 * 1024 * 1024))
    with pytest.raises(ValidationError, match="empty"):
        check_attachment("empty.pdf", b"")
