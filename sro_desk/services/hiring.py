"""Hiring use cases: set up a round from the question bank, score blind, reveal, decide, export.

The blind rule is applied here, once, for every front end: ``round_view`` returns only the scores
the viewer may see and computes results only after the reveal. The tab and the CLI never read
scores from the store directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib.resources import files
from pathlib import Path

from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    Panelist,
    RoundSnapshot,
    Score,
    ScoreEntry,
    Visibility,
    visibility,
    visible_scores,
)
from sro_desk.domain.hiring_bank import BankQuestion, load_question_bank
from sro_desk.domain.hiring_pin import PinRefused
from sro_desk.domain.hiring_results import HiringResults, compute_results
from sro_desk.store import hiring_repo, settings
from sro_desk.store.hiring_repo import (  # re-exported: the UI talks to services only
    delete_candidate,
    delete_panelist,
    delete_question,
    delete_round,
    get_round,
    list_candidates,
    list_panelists,
    list_questions,
    list_rounds,
    move_question,
    reveal,
    save_candidate,
    save_consensus,
    save_decision,
    save_panelist,
    save_question,
    save_round,
    scoring_settings,
    set_require_justification,
    set_status,
)

__all__ = [
    "RoundView",
    "add_bank_questions",
    "delete_candidate",
    "delete_panelist",
    "delete_question",
    "delete_round",
    "export_question_bank",
    "export_results",
    "get_round",
    "import_question_bank",
    "list_candidates",
    "list_panelists",
    "list_questions",
    "list_rounds",
    "move_question",
    "panelist_has_pin",
    "question_bank",
    "reset_panelist_pin",
    "results_for_file",
    "reveal",
    "round_view",
    "save_candidate",
    "save_consensus",
    "save_decision",
    "save_panelist",
    "save_question",
    "save_round",
    "save_sheet_scores",
    "scoring_settings",
    "set_panelist_pin",
    "set_require_justification",
    "set_status",
    "submit_sheet",
    "unlock_sheet",
]

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


BANK_SETTING = "hiring.question_bank"


def shipped_bank_data() -> dict[str, object]:
    path = files("sro_desk.resources") / "catalogs" / "hiring_question_bank.json"
    data: dict[str, object] = json.loads(path.read_text(encoding="utf-8"))
    return data


def question_bank() -> tuple[BankQuestion, ...]:
    """The district's question bank: its own edited copy if it saved one, else the starter bank
    shipped under resources/catalogs."""
    saved = settings.get_setting(BANK_SETTING)
    return load_question_bank(saved if saved is not None else shipped_bank_data())


def export_question_bank(dest: Path) -> Path:
    """The bank in use as JSON, for the district to edit."""
    saved = settings.get_setting(BANK_SETTING)
    data = saved if saved is not None else shipped_bank_data()
    from sro_desk.exports.atomic import write_text

    return write_text(Path(dest), json.dumps(data, indent=2, ensure_ascii=False) + "\n")


MAX_BANK_BYTES = 5 * 1024 * 1024


def shown_name(path: Path) -> str:
    """A file name fit to print, whatever bytes it holds (undecodable bytes as escapes)."""
    return path.name.encode("utf-8", "backslashreplace").decode("utf-8")


def import_question_bank(path: Path, *, reason: str) -> int:
    """Replace the district's bank with an edited JSON file (checked whole first); returns how
    many questions it holds. Rounds keep their own copies, so past rounds do not change."""
    if not reason.strip():
        raise ValidationError("Give the reason for replacing the question bank")
    name = shown_name(Path(path))
    try:
        size = Path(path).stat().st_size
        if size > MAX_BANK_BYTES:
            raise ValidationError(f"{name} is {size:,} bytes; a question bank is far smaller")
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except ValidationError:
        raise
    except RecursionError:
        raise ValidationError(f"{name} is nested far too deeply to be a question bank") from None
    except (OSError, UnicodeDecodeError, ValueError) as error:
        # ValueError covers JSONDecodeError and a number of over 4,300 digits
        text = " ".join(str(error).split())[:200]
        raise ValidationError(f"{name} is not a readable JSON question bank ({text})") from None
    bank = load_question_bank(data)
    settings.set_setting(BANK_SETTING, data, reason=reason.strip())
    return len(bank)


def add_bank_questions(round_id: int, keys: Sequence[str]) -> int:
    """Copy the chosen bank questions into a round, in bank order; returns how many were added."""
    bank = {q.key: q for q in question_bank()}
    unknown = [k for k in keys if k not in bank]
    if unknown:
        raise ValidationError([f"'{k}' is not in the question bank" for k in unknown])
    added = 0
    for key in [q.key for q in question_bank() if q.key in set(keys)]:
        save_question(bank[key].to_question(round_id, 0))
        added += 1
    return added


@dataclass(frozen=True, slots=True)
class RoundView:
    """One viewer's view of a round: only the scores they may see, results only after reveal."""

    snapshot: RoundSnapshot
    visibility: Visibility
    results: HiringResults | None
    submitted: int


def round_view(
    round_id: int, viewer_panelist_id: int | None = None, *, reopen_reason: str = "",
    pin: str = "",
) -> RoundView:
    """What ``viewer_panelist_id`` (``None``: the coordinator) may see of the round right now.

    ``reopen_reason`` opens a panelist's own submitted, sealed sheet for a change; the same reason
    must accompany the save, where it is kept in the audit trail. ``pin`` opens a sheet its
    panelist protected with a PIN: without it the sheet shows nothing (before the reveal); a wrong
    PIN raises ``PinRefused`` and counts towards locking the sheet.
    """
    snap = hiring_repo.snapshot(round_id)
    pin_missing = False
    if viewer_panelist_id is not None and any(
            p.id == viewer_panelist_id and p.has_pin for p in snap.panelists):
        pin_missing = not pin or not hiring_repo.check_pin(viewer_panelist_id, pin)
    view = visibility(viewer_panelist_id, snap.round, snap.panelists,
                      reopened_with_reason=bool(reopen_reason.strip()), pin_missing=pin_missing)
    shown = replace(snap, scores=tuple(visible_scores(view, snap.scores)))
    results = None
    if view.aggregate:
        results = compute_results(shown.panelists, shown.questions, shown.candidates,
                                  shown.scores, shown.consensus, scoring_settings())
    else:
        shown = replace(shown, consensus=())
    return RoundView(shown, view, results, sum(1 for p in snap.panelists if p.submitted))


def _require_pin(panelist_id: int, pin: str) -> None:
    if not hiring_repo.check_pin(panelist_id, pin):
        name = hiring_repo.get_panelist(panelist_id).name
        raise PinRefused(f"{name}'s sheet is protected by a PIN: enter it to open the sheet.")


def save_sheet_scores(
    panelist_id: int, scores: Sequence[Score], *, entry: ScoreEntry = ScoreEntry.PANEL,
    reason: str = "", pin: str = "",
) -> int:
    """Save scores typed on the laptop (by the panelist, or by the coordinator from paper);
    a PIN-protected sheet needs its PIN."""
    _require_pin(panelist_id, pin)
    marked = [replace(s, entry=entry) for s in scores]
    return hiring_repo.save_scores(panelist_id, marked, reason=reason)


def submit_sheet(panelist_id: int, *, pin: str = "") -> Panelist:
    """Submit (seal) a panelist's complete sheet; a PIN-protected sheet needs its PIN."""
    _require_pin(panelist_id, pin)
    return hiring_repo.submit_sheet(panelist_id)


def panelist_has_pin(panelist_id: int) -> bool:
    return hiring_repo.has_pin(panelist_id)


def set_panelist_pin(panelist_id: int, pin: str, repeated: str) -> Panelist:
    """The panelist protects their own sheet with a PIN (stored only as a salted digest)."""
    return hiring_repo.set_pin(panelist_id, pin, repeated)


def unlock_sheet(panelist_id: int, pin: str) -> None:
    """Check the PIN a panelist typed; raises ``PinRefused`` in words when it does not open the
    sheet (wrong, missing or locked)."""
    _require_pin(panelist_id, pin)


def reset_panelist_pin(panelist_id: int, *, reason: str) -> Panelist:
    """The coordinator clears a forgotten PIN or unlocks a locked sheet, with an audited reason."""
    return hiring_repo.reset_pin(panelist_id, reason=reason)


def results_for_file(round_id: int) -> tuple[RoundSnapshot, HiringResults]:
    """Snapshot and results for exports; refused until the results are revealed."""
    view = round_view(round_id)
    if view.results is None:
        raise RuleViolation(
            "Results are blind until every panelist submits and the coordinator reveals them; "
            "nothing was exported."
        )
    return view.snapshot, view.results


def export_results(
    round_id: int, *, pdf: Path | None = None, xlsx: Path | None = None,
    progress: Progress | None = None, is_cancelled: Cancelled | None = None,
) -> list[Path]:
    snap, results = results_for_file(round_id)
    district = settings.district_name() or "School district"
    todo = [x for x in (pdf, xlsx) if x is not None]
    written: list[Path] = []
    if pdf is not None and not (is_cancelled and is_cancelled()):
        from sro_desk.exports.hiring_pdf import write_results_pdf

        written.append(write_results_pdf(Path(pdf), snap, results, district))
        if progress:
            progress(len(written), len(todo))
    if xlsx is not None and not (is_cancelled and is_cancelled()):
        from sro_desk.exports.hiring_xlsx import write_scores_xlsx

        written.append(write_scores_xlsx(Path(xlsx), snap, results, district))
        if progress:
            progress(len(written), len(todo))
    return written
