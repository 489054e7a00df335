"""The family handout template: checked placeholders, safe rendering, the default text."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.start_of_year_handout import (
    BLOCK_PLACEHOLDERS,
    INLINE_PLACEHOLDERS,
    BlockKind,
    Run,
    render_handout,
    template_problems,
    validate_template,
)

DEFAULT = (Path(__file__).resolve().parents[2] / "resources" / "templates" / "family_handout.md"
           ).read_text(encoding="utf-8")
VALUES = {"district_name": "Cascade SD", "building_name": "Cedar High School",
          "school_year": "2026-27", "providers": "Cascade Police Department"}


def test_default_template_is_valid_and_says_what_the_law_requires():
    assert template_problems(DEFAULT) == []
    blocks = render_handout(DEFAULT, VALUES, {"staff_list": ["Officer Kim, school resource officer"],
                                              "contact_list": ["Principal Lowe: 555-0100"]})
    text = "\n".join(b.plain_text for b in blocks)
    assert blocks[0].kind is BlockKind.TITLE
    assert blocks[0].plain_text == "Safety and security staff at Cedar High School"
    for must in ("do not handle school discipline", "do not enforce immigration law",
                 "complaint", "Officer Kim, school resource officer", "Principal Lowe: 555-0100",
                 "RCW 28A.320.124", "RCW 10.93.160", "911"):
        assert must in text
    assert "{{" not in text
    headings = [b.plain_text for b in blocks if b.kind is BlockKind.HEADING]
    assert "Who they are at Cedar High School" in headings
    bold = [r.text for b in blocks for r in b.runs if r.bold]
    assert "They do not handle school discipline." in bold


def test_every_placeholder_is_used_by_the_default_text():
    for name in (*INLINE_PLACEHOLDERS, *BLOCK_PLACEHOLDERS):
        if name != "providers" or "{{providers}}" in DEFAULT:
            assert "{{" + name + "}}" in DEFAULT


def test_unknown_and_misplaced_placeholders_are_refused_with_line_numbers():
    problems = template_problems("# Hi {{buildng}}\nStaff: {{staff_list}}\nOops {{school_year\n")
    assert problems[0].startswith("Line 1: '{{buildng}}' is not a placeholder")
    assert problems[1] == "Line 2: '{{staff_list}}' is a list and must stand alone on its line."
    assert problems[2] == "Line 3: a placeholder is not closed with '}}'."
    assert template_problems("   \n") == ["The handout template is empty."]
    with pytest.raises(ValidationError, match="20,000"):
        validate_template("x" * 20_001)


def test_values_never_become_markup():
    blocks = render_handout("Hello **{{building_name}}** and {{district_name}}.",
                            {"building_name": "O'Brien <Jr> **bold**", "district_name": "{{x}}"}, {})
    assert blocks[0].runs == (Run("Hello "), Run("O'Brien <Jr> **bold**", True),
                              Run(" and {{x}}."))


def test_block_placeholder_expands_to_bullets_or_says_none():
    template = "## Staff\n{{staff_list}}\n- plain bullet\n"
    blocks = render_handout(template, {}, {"staff_list": ["A", " ", "B"]})
    assert [(b.kind, b.plain_text) for b in blocks] == [
        (BlockKind.HEADING, "Staff"), (BlockKind.BULLET, "A"), (BlockKind.BULLET, "B"),
        (BlockKind.BULLET, "plain bullet"),
    ]
    empty = render_handout(template, {}, {}, empty_list_text="No staff assigned.")
    assert empty[1].plain_text == "No staff assigned."


def test_paragraph_lines_are_joined_and_blank_lines_separate():
    blocks = render_handout("one\ntwo\n\nthree\r\n", {}, {})
    assert [b.plain_text for b in blocks] == ["one two", "three"]


@given(st.text(max_size=60))
def test_any_value_survives_rendering_verbatim(value):
    blocks = render_handout("{{building_name}}", {"building_name": value}, {})
    rendered = "".join(b.plain_text for b in blocks)
    assert rendered == value
