"""Errors the program expects and explains to the user in words.

Anything raised that is *not* a subclass of ``SroDeskError`` is a bug and goes to the crash path.
"""

from __future__ import annotations

from dataclasses import dataclass


class SroDeskError(Exception):
    """A known, explainable failure. ``str(err)`` is a sentence fit to show a coordinator."""


class ValidationError(SroDeskError):
    """Input that breaks a rule; ``problems`` lists every one, in words."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))


class ReasonRequired(ValidationError):
    """The change is allowed only with a written reason (kept in the audit trail), and that
    reason is the one thing missing. A front end asks for the reason and tries again; it never
    recognises this refusal by its wording."""


class RuleViolation(SroDeskError):
    """An action the program's rules forbid (a step out of order, a delete with dependents)."""


class NotFound(SroDeskError):
    """A record asked for by id or name does not exist."""


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One reason a row of an imported file was refused. ``row`` is the 1-based sheet row."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" if self.row else "file"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class ImportRefused(SroDeskError):
    """A whole file refused: nothing from it was imported. ``problems`` lists every reason."""

    def __init__(self, problems: list[RowProblem], summary: str = "") -> None:
        self.problems = list(problems)
        count = len(self.problems)
        if summary:
            head = summary
        elif count == 1:
            # One problem: say it on the first line, where a one-line reader looks.
            head = f"The file was not imported: {self.problems[0]}. Nothing was changed."
        else:
            head = f"The file was not imported: {count} problems found. Nothing was changed."
        self.summary = head
        super().__init__(head + "\n" + "\n".join(str(p) for p in self.problems[:50]))
