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


MAX_LISTED_PROBLEMS = 200
"""However many problems a file has, the first this many are kept and listed, then "and N more
problems": a 10 MB line of short fields must not become 5 million lines of message."""


class ImportRefused(SroDeskError):
    """A whole file refused: nothing from it was imported. ``problems`` lists the first
    ``MAX_LISTED_PROBLEMS`` reasons; ``total`` counts them all (a reader that stopped collecting
    passes its count), ``more`` is how many are not listed."""

    def __init__(self, problems: list[RowProblem], summary: str = "", *, total: int = 0) -> None:
        self.problems = list(problems[:MAX_LISTED_PROBLEMS])
        self.total = max(total, len(problems))
        self.more = self.total - len(self.problems)
        count = self.total
        if summary:
            head = summary
        elif count == 1:
            # One problem: say it on the first line, where a one-line reader looks.
            head = f"The file was not imported: {self.problems[0]}. Nothing was changed."
        else:
            head = f"The file was not imported: {count:,} problems found. Nothing was changed."
        self.summary = head
        super().__init__(head + "\n" + "\n".join(self.listed_lines(50)))

    def listed_lines(self, limit: int = MAX_LISTED_PROBLEMS) -> list[str]:
        """The problems as lines, at most ``limit`` of them, then "… and N more problems"."""
        lines = [str(p) for p in self.problems[:limit]]
        rest = self.total - len(lines)
        if rest > 0:
            lines.append(f"… and {rest:,} more problem{'s' if rest != 1 else ''}")
        return lines


class ProblemList:
    """Collects ``RowProblem``s for an importer, keeping the first ``MAX_LISTED_PROBLEMS`` and
    counting the rest, so a hostile file cannot fill memory with reasons."""

    def __init__(self) -> None:
        self.kept: list[RowProblem] = []
        self.total = 0

    def append(self, problem: RowProblem) -> None:
        self.total += 1
        if len(self.kept) < MAX_LISTED_PROBLEMS:
            self.kept.append(problem)

    @property
    def full(self) -> bool:
        """No more problems will be kept (they are only counted)."""
        return len(self.kept) >= MAX_LISTED_PROBLEMS

    def count_more(self, n: int) -> None:
        """Count ``n`` problems without building them (once ``full``)."""
        self.total += n

    def __bool__(self) -> bool:
        return self.total > 0

    def __len__(self) -> int:
        return self.total

    def refused(self, summary: str = "") -> ImportRefused:
        return ImportRefused(self.kept, summary, total=self.total)
