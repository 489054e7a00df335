"""Input for the commands that do one GUI job (record a completion, tick a checklist item, log a
meeting...): each value as an option, or all of them in a JSON file (``--json FILE``).

A command declares its fields once; ``add_fields`` turns them into options (none of them
argparse-required, so a value may come from the file instead) and ``read_fields`` merges the
file under the command line (an option given on the command line wins), converts each value with
the field's own converter, and refuses every missing or wrong value at once, in words.

In the JSON file keys are the option names without the dashes, with ``-`` or ``_``:
``{"person": 12, "requirement": "(g)", "date": "2026-06-24"}``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

MAX_JSON_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Field:
    """One input of a command: ``--name`` on the command line, ``"name"`` in the JSON file."""

    name: str
    help: str
    convert: Callable[[str], Any] = str
    required: bool = False
    many: bool = False
    flag: bool = False
    metavar: str | None = None
    choices: Sequence[str] | None = None

    @property
    def dest(self) -> str:
        return self.name.replace("-", "_")

    @property
    def option(self) -> str:
        return f"--{self.name}"


def add_fields(parser: argparse.ArgumentParser, fields: Sequence[Field]) -> None:
    """The fields as options, plus ``--json FILE``."""
    for f in fields:
        text = f.help + (" (required)" if f.required else "")
        if f.flag:
            parser.add_argument(f.option, dest=f.dest, action="store_true", default=None,
                                help=text)
        else:
            parser.add_argument(f.option, dest=f.dest, default=None, help=text,
                                nargs="+" if f.many else None, metavar=f.metavar,
                                choices=f.choices)
    parser.add_argument("--json", dest="json_file", type=Path, metavar="FILE",
                        help="read the values from a JSON object instead; options given on "
                             "the command line win")


def _read_json(path: Path) -> Mapping[str, Any]:
    from sro_desk.domain.errors import ValidationError

    try:
        if path.stat().st_size > MAX_JSON_BYTES:
            raise ValidationError(f"{path.name} is larger than 1 MB; it is not a command's input.")
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ValidationError(f"{path} cannot be read: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise ValidationError(f"{path.name} is not UTF-8 text.") from None
    except json.JSONDecodeError as error:
        raise ValidationError(f"{path.name} is not valid JSON: {error.msg} (line {error.lineno}, "
                              f"column {error.colno}).") from None
    if not isinstance(data, dict):
        raise ValidationError(f"{path.name} must hold one JSON object ({{\"name\": value, ...}}).")
    return data


def read_fields(args: argparse.Namespace, fields: Sequence[Field]) -> dict[str, Any]:
    """Every field's value (``None`` or ``False`` when not given), or ``ValidationError``."""
    from sro_desk.domain.errors import ValidationError

    from_file: dict[str, Any] = {}
    path = getattr(args, "json_file", None)
    known = {f.dest: f for f in fields}
    problems: list[str] = []
    if path is not None:
        for key, value in _read_json(path).items():
            dest = str(key).replace("-", "_")
            if dest not in known:
                problems.append(f"{path.name}: '{key}' is not an input of this command "
                                f"(known: {', '.join(f.name for f in fields)}).")
            else:
                from_file[dest] = value
    values: dict[str, Any] = {}
    for f in fields:
        given = getattr(args, f.dest, None)
        raw: Any = given if given is not None else from_file.get(f.dest)
        if raw is None or raw == "" or raw == []:
            if f.required:
                problems.append(f"Give {f.option} ({f.help.rstrip('.')}), or \"{f.name}\" in the "
                                "JSON file.")
            values[f.dest] = False if f.flag else ([] if f.many else None)
            continue
        try:
            values[f.dest] = _convert(f, raw)
        except (ValueError, TypeError, argparse.ArgumentTypeError) as error:
            problems.append(f"{f.option}: {error}")
    if problems:
        raise ValidationError(problems)
    return values


def _convert(f: Field, raw: Any) -> Any:
    if f.flag:
        if isinstance(raw, bool):
            return raw
        raise ValueError("must be true or false")
    if f.many:
        items = raw if isinstance(raw, list) else [raw]
        return [_one(f, item) for item in items]
    if isinstance(raw, list):
        raise ValueError("takes one value, not a list")
    return _one(f, raw)


def _one(f: Field, raw: Any) -> Any:
    if isinstance(raw, dict | list | bool):
        raise ValueError(f"'{raw}' is not a single value")
    text = str(raw).strip()
    if f.choices is not None and text not in f.choices:
        raise ValueError(f"'{text}' is not one of: {', '.join(f.choices)}")
    return f.convert(text)


def whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a whole number") from None


def number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def a_date(text: str) -> Any:
    from sro_desk.domain.dates import parse_date

    return parse_date(text)


def job_parser(sub: Any, name: str, help_text: str, example: str, fields: Sequence[Field],
               handler: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
    """A subcommand for one GUI job: its fields, ``--json``, ``--db`` and an example in --help."""
    from sro_desk.cli import add_db_argument

    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help_text, description=help_text[:1].upper() + help_text[1:] + ".",
        epilog="example:\n  " + example.strip().replace("\n", "\n  "),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_fields(parser, fields)
    add_db_argument(parser)
    parser.set_defaults(handler=handler, needs_db=True)
    return parser
