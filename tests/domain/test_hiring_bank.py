"""The shipped question bank loads, covers the required competencies, and bad banks are refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.hiring import validate_question
from sro_desk.domain.hiring_bank import load_question_bank

BANK = Path(__file__).resolve().parents[2] / "resources" / "catalogs" / "hiring_question_bank.json"


def _data() -> dict:  # type: ignore[type-arg]
    return json.loads(BANK.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def test_shipped_bank_covers_the_issue_topics_and_every_question_is_valid() -> None:
    bank = load_question_bank(_data())
    competencies = " | ".join(q.competency.lower() for q in bank)
    for needed in ("de-escalation", "disabilities", "trauma", "bias-free", "enforcing the law",
                   "ferpa", "restorative"):
        assert needed in competencies
    for position, item in enumerate(bank, start=1):
        question = item.to_question(round_id=7, position=position)
        assert validate_question(question) == []
        assert question.round_id == 7 and question.position == position
    assert len({q.key for q in bank}) == len(bank)


def test_bad_bank_lists_every_problem() -> None:
    data = _data()
    data["questions"] = [
        {"key": "a", "competency": "c", "text": "t", "anchors": ["1", "2", "3", "4", "5"]},
        {"key": "a", "competency": "", "text": "t", "anchors": ["1", "2", "3", "4", "5"]},
        {"key": "b", "competency": "c", "text": "t", "anchors": ["only one"]},
        "not an object",
    ]
    with pytest.raises(ValidationError) as err:
        load_question_bank(data)
    assert err.value.problems == [
        "Question 2: 'competency' is missing or empty",
        "Question 2: key 'a' is used twice",
        "Question 3: 'anchors' must be 5 non-empty texts, for 1 to 5",
        "Question 4 is not an object",
    ]


@pytest.mark.parametrize("data", [None, [], {"catalog": "other"}, {"catalog": "hiring_question_bank"},
                                  {"catalog": "hiring_question_bank", "questions": []}])
def test_not_a_bank(data: object) -> None:
    with pytest.raises(ValidationError):
        load_question_bank(data)
