"""The RCW 10.93.160 guard sees through disguises, and the smaller holes stay shut.

- the guard normalises text (NFKC, zero-width characters removed, confusable letters folded to
  Latin, accents stripped) and knows "foreign-born", "I-94", "nationality" and common Spanish
  terms; an imported column that exists to hold such data is refused with the citation;
- question banks: a 5,000-digit number, 200,000-deep JSON or a lone surrogate is refused in words;
  a bank question that asks about immigration is named when the bank is imported;
- no traceback from non-UTF-8 bytes in a file name, ``--reason`` or ``SRO_DESK_PASSPHRASE``, nor
  from a huge ``--person`` id.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sro_desk.cli import main
from sro_desk.domain.errors import ImportRefused, ValidationError
from sro_desk.domain.privacy import (
    CITATION,
    forbidden_column,
    immigration_findings,
    normalize_for_matching,
)


@pytest.mark.parametrize(("text", "kind"), [
    ("checked his р\u0430ssport", "immigration or citizenship documents"),  # Cyrillic р, а
    ("asked about citi\u200bzen\u200dship", "citizenship status"),  # zero-width space and joiner
    ("ＵＮＤＯＣＵＭＥＮＴＥＤ", "immigration status"),  # full-width letters
    ("the student is foreign-born", "place of birth"),
    ("copy of the I-94", "immigration or citizenship documents"),
    ("wrote down her nationality", "citizenship status"),
    ("el alumno es indocumentado", "immigration status"),
    ("preguntó por la ciudadanía", "citizenship status"),
    ("su estatus migratorio", "immigration status"),
    ("lugar de nacimiento: Oaxaca", "place of birth"),
    ("llamaron a Inmigración", "immigration status"),
    ("situación migratoria", "immigration status"),
])
def test_the_guard_sees_through_disguises_and_knows_more_words(text: str, kind: str) -> None:
    assert kind in immigration_findings(text)


@pytest.mark.parametrize("text", [
    "ice cream social", "picture day", "call a number", "training on serving immigrant students",
    "Stanford nationals", "estacionamiento ilegal", "Мария Иванова", "José Núñez",
])
def test_ordinary_text_is_left_alone(text: str) -> None:
    assert immigration_findings(text) == []


@given(st.text(max_size=60))
@settings(max_examples=300, deadline=None)
def test_normalising_never_fails(text: str) -> None:
    assert isinstance(normalize_for_matching(text), str)
    immigration_findings(text)


@given(st.lists(st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]),
                min_size=1, max_size=8), st.integers(0, 11))
@settings(max_examples=100, deadline=None)
def test_invisible_characters_anywhere_do_not_hide_a_term(invisible: list[str], at: int) -> None:
    word = "citizenship"
    disguised = word[:at] + "".join(invisible) + word[at:]
    assert immigration_findings(f"asked about {disguised}") == ["citizenship status"]


@pytest.mark.parametrize("header", ["Citizenship", "Place of birth", "Student Nationality",
                                    "Birthplace", "Country of birth", "Nacionalidad",
                                    "Lugar de nacimiento", "Immigration status", "Visa status",
                                    "I-94", "Ciudadanía", "Citi\u200bzenship"])
def test_forbidden_columns(header: str) -> None:
    assert CITATION in (forbidden_column(header) or "")


@pytest.mark.parametrize("header", ["First name", "Birth date", "Country", "Notes", "Visits"])
def test_ordinary_columns(header: str) -> None:
    assert forbidden_column(header) is None


def test_an_import_with_a_citizenship_column_is_refused_with_the_citation(district: Any, tmp_path: Path) -> None:
    """Before: the column was silently dropped and the rest imported."""
    from sro_desk.services.roster_import import import_roster

    path = tmp_path / "r.csv"
    path.write_text("first_name,last_name,role,commissioned,employer,buildings,status,Citizenship,"
                    "Place of birth\nAna,Núñez,school security officer,no,Guardian Security LLC,"
                    "THS:5,pending,US,Mexico\n", encoding="utf-8")
    with pytest.raises(ImportRefused) as caught:
        import_roster(path)
    assert [(p.row, p.column) for p in caught.value.problems] == [(1, "Citizenship"), (1, "Place of birth")]
    assert all(CITATION in p.message for p in caught.value.problems)


# ------------------------------------------------------------------ question banks


@pytest.fixture
def demo_copy(_demo_template: Path, tmp_path: Path) -> Path:
    target = tmp_path / "demo.db"
    shutil.copyfile(_demo_template, target)
    return target


def _bank(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.json"
    path.write_text(text, encoding="utf-8")
    return path


def _shipped() -> dict[str, Any]:
    from sro_desk.services.hiring import shipped_bank_data

    return json.loads(json.dumps(shipped_bank_data()))


@pytest.mark.parametrize(("make", "words"), [
    (lambda d: json.dumps(d)[:-1] + ', "n": ' + "9" * 5000 + "}", "not a readable JSON question bank"),
    (lambda d: "[" * 200_000 + "]" * 200_000, "nested far too deeply"),
    (lambda d: json.dumps(d).replace('"text": "', '"text": "\\ud800', 1), "unpaired surrogate"),
    (lambda d: json.dumps(d).replace('"text": "', '"text": "\\u0007', 1), "control character"),
])
def test_hostile_question_banks_are_refused_in_words(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any, words: str,
) -> None:
    path = _bank(tmp_path, make(_shipped()))
    code = main(["hiring", "bank", "import", str(path), "--db", str(demo_copy), "--reason", "test"])
    err = capsys.readouterr().err
    assert code == 2 and words in err and "Traceback" not in err
    # and the bank in use still exports
    assert main(["hiring", "bank", "export", str(tmp_path / "out.json"), "--db", str(demo_copy)]) == 0
    json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))


def test_a_bank_question_about_immigration_is_named_on_import(
    demo_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    data = _shipped()
    data["questions"][1]["text"] = "Are you a U.S. citizen, and where were you born?"
    path = _bank(tmp_path, json.dumps(data))
    assert main(["hiring", "bank", "import", str(path), "--db", str(demo_copy), "--reason", "test"]) == 0
    out = capsys.readouterr().out
    assert "Question 2" in out and CITATION in out


def test_a_lone_surrogate_stored_earlier_still_exports(demo_db: Path, tmp_path: Path) -> None:
    from sro_desk.services import hiring
    from sro_desk.store import settings as store_settings

    data = _shipped()
    data["questions"][0]["text"] = "Broken \ud800 text"
    store_settings.set_setting(hiring.BANK_SETTING, data)  # json.dumps escapes it in the store
    out = hiring.export_question_bank(tmp_path / "bank.json")
    assert "Broken \ufffd text" in out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ the command line


def test_non_utf8_reason_is_refused_in_words(demo_copy: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = _bank(tmp_path, json.dumps(_shipped()))
    reason = b"caf\xe9".decode("utf-8", "surrogateescape")  # what Python makes of such argv bytes
    code = main(["hiring", "bank", "import", str(path), "--db", str(demo_copy), "--reason", reason])
    err = capsys.readouterr().err
    assert code == 2 and "--reason holds bytes that are not UTF-8" in err


def test_a_file_name_with_non_utf8_bytes_is_written_and_printed(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    name = b"roster-\xff.csv".decode("utf-8", "surrogateescape")
    assert main(["template", "roster", str(tmp_path / name)]) == 0
    assert os.path.exists(os.fsencode(tmp_path) + b"/roster-\xff.csv")
    assert "roster-" in capsys.readouterr().out


def test_a_huge_person_id_is_a_usage_error(demo_copy: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["export", "training-record", "--db", str(demo_copy), "--person", "9" * 5000,
              "--pdf", str(tmp_path / "x.pdf")])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "is not a record id" in err and "Traceback" not in err


def test_a_non_utf8_passphrase_variable_is_refused_in_words(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from sro_desk.cli import passphrase_from_env_or_prompt

    monkeypatch.setenv("SRO_DESK_PASSPHRASE", b"pass\xff".decode("utf-8", "surrogateescape"))
    with pytest.raises(ValidationError, match="not UTF-8"):
        passphrase_from_env_or_prompt(tmp_path / "x.db")
