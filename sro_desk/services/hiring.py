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

from sro_desk.domain import hiring_rules as rules
from sro_desk.domain.errors import RuleViolation, ValidationError
from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Decision,
    HiringRound,
    Panelist,
    Question,
    RoundSnapshot,
    RoundStatus,
    Score,
    ScoreEntry,
    ScoringSettings,
    Visibility,
    visibility,
    visible_scores,
)
from sro_desk.domain.hiring_bank import BankQuestion, load_question_bank
from sro_desk.domain.hiring_pin import PinRefused, hash_pin
from sro_desk.domain.hiring_results import HiringResults, compute_results
from sro_desk.store import hiring_repo, roster_repo, settings

__all__ = [
    "RoundView",
    "add_bank_questions",
    "building_names",
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


# ---------------------------------------------------------------- reading


def list_rounds() -> list[HiringRound]:
    return hiring_repo.list_rounds()


def get_round(round_id: int) -> HiringRound:
    return hiring_repo.get_round(round_id)


def list_panelists(round_id: int) -> list[Panelist]:
    return hiring_repo.list_panelists(round_id)


def list_questions(round_id: int) -> list[Question]:
    return hiring_repo.list_questions(round_id)


def list_candidates(round_id: int) -> list[Candidate]:
    return hiring_repo.list_candidates(round_id)


def scoring_settings() -> ScoringSettings:
    return hiring_repo.scoring_settings()


def set_require_justification(required: bool, *, reason: str = "") -> None:
    """A district setting: whether scores of 1 or 5 need a written justification."""
    hiring_repo.set_require_justification(required, reason=reason)


def building_names() -> list[str]:
    """The district's buildings in use, for the round's building field."""
    return [b.name for b in roster_repo.list_buildings(active_only=True)]


# ---------------------------------------------------------------- rounds


def save_round(item: HiringRound) -> HiringRound:
    rules.check_round(item)
    return hiring_repo.save_round(item)


def set_status(round_id: int, status: RoundStatus, *, reason: str = "") -> HiringRound:
    status = RoundStatus(status)
    rules.check_status_change(status, hiring_repo.decision_for(round_id) is not None)
    return hiring_repo.set_status(round_id, status, reason=reason)


def delete_round(round_id: int) -> None:
    """Only a round created by mistake, with nobody on it, can go (the audit layer refuses
    a delete with dependents, in words)."""
    hiring_repo.delete_round(round_id)


def reveal(round_id: int) -> HiringRound:
    """The coordinator reveals results; refused until every panelist has submitted."""
    item = hiring_repo.get_round(round_id)
    rules.check_reveal(item, hiring_repo.list_panelists(round_id),
                       hiring_repo.list_candidates(round_id), hiring_repo.list_questions(round_id))
    return hiring_repo.mark_revealed(round_id, rules.status_after_reveal(item.status))


# ---------------------------------------------------------------- panel, questions, candidates


def save_panelist(item: Panelist) -> Panelist:
    round_id = item.round_id
    if round_id is None:
        raise ValidationError("A panelist belongs to a hiring round")
    rules.check_panelist(item, hiring_repo.get_round(round_id),
                         hiring_repo.list_panelists(round_id))
    return hiring_repo.save_panelist(item)


def delete_panelist(panelist_id: int) -> None:
    hiring_repo.delete_panelist(panelist_id)


def save_question(item: Question) -> Question:
    if item.round_id is None:
        raise ValidationError("A question belongs to a hiring round")
    hiring_repo.get_round(item.round_id)
    stored = hiring_repo.get_question(item.id) if item.id is not None else None
    rules.check_question(item, stored, hiring_repo.scores_exist(item.round_id))
    return hiring_repo.save_question(item)


def move_question(question_id: int, offset: int) -> list[Question]:
    """Swap a question with its neighbour; refused once scoring has started."""
    question = hiring_repo.get_question(question_id)
    rules.check_question_move(hiring_repo.scores_exist(question.round_id or 0))
    return hiring_repo.move_question(question_id, offset)


def delete_question(question_id: int) -> None:
    hiring_repo.delete_question(question_id)


def save_candidate(item: Candidate) -> Candidate:
    if item.round_id is None:
        raise ValidationError("A candidate belongs to a hiring round")
    hiring_repo.get_round(item.round_id)
    rules.check_candidate(item, hiring_repo.list_candidates(item.round_id))
    return hiring_repo.save_candidate(item)


def delete_candidate(candidate_id: int) -> None:
    hiring_repo.delete_candidate(candidate_id)


# ---------------------------------------------------------------- scores (the checked writes)


def check_scores(panelist_id: int, scores: Sequence[Score], *, reason: str = "") -> Panelist:
    """Every rule a sheet's scores must meet (see ``hiring_rules.check_scores``)."""
    panelist = hiring_repo.get_panelist(panelist_id)
    round_id = panelist.round_id or 0
    rules.check_scores(
        panelist, scores, [c.id for c in hiring_repo.list_candidates(round_id) if c.id],
        [q.id for q in hiring_repo.list_questions(round_id) if q.id],
        scoring_settings(), reason)
    return panelist


def save_scores(panelist_id: int, scores: Sequence[Score], *, reason: str = "") -> int:
    """Store one panelist's scores in one transaction; returns how many changed. Refused whole,
    with every problem listed, when any score breaks a rule or the sheet was already submitted
    and no reason is given (``ReasonRequired``)."""
    check_scores(panelist_id, scores, reason=reason)
    return hiring_repo.save_scores(panelist_id, scores, reason=reason)


def _submit(panelist_id: int) -> Panelist:
    panelist = hiring_repo.get_panelist(panelist_id)
    if panelist.submitted:
        return panelist
    round_id = panelist.round_id or 0
    rules.check_submit(panelist, hiring_repo.list_candidates(round_id),
                       hiring_repo.list_questions(round_id),
                       hiring_repo.list_panelist_scores(panelist_id), scoring_settings())
    return hiring_repo.mark_submitted(panelist_id)


def save_consensus(item: ConsensusScore) -> ConsensusScore:
    rules.check_consensus(item)
    return hiring_repo.save_consensus(item)


def save_decision(item: Decision) -> Decision:
    if item.round_id is None:
        raise ValidationError("A decision belongs to a hiring round")
    hiring_round = hiring_repo.get_round(item.round_id)
    rules.check_decision(item, hiring_round,
                         [c.id for c in hiring_repo.list_candidates(item.round_id) if c.id])
    return hiring_repo.save_decision(item)


# ---------------------------------------------------------------- sheet PINs


def check_pin(panelist_id: int, pin: str) -> bool:
    """Whether ``pin`` opens the panelist's sheet: ``True`` when no PIN is set or it matches.
    A wrong PIN is counted (and audited), then refused with ``PinRefused`` in words; a locked
    sheet is refused even to the right PIN; an empty PIN is not counted, just ``False``."""
    stored = hiring_repo.stored_pin(panelist_id)
    if stored is None:
        return True
    digest, failed = stored
    attempt = rules.judge_pin(hiring_repo.get_panelist(panelist_id).name, digest, failed, pin)
    if attempt.failed_attempts != failed:
        hiring_repo.set_failed_attempts(
            panelist_id, attempt.failed_attempts,
            reason="right PIN entered" if attempt.opens else "wrong PIN entered")
    if attempt.refusal is not None:
        raise attempt.refusal
    return attempt.opens


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
        pin_missing = not pin or not check_pin(viewer_panelist_id, pin)
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
    if not check_pin(panelist_id, pin):
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
    return save_scores(panelist_id, marked, reason=reason)


def submit_sheet(panelist_id: int, *, pin: str = "") -> Panelist:
    """Submit (seal) a panelist's complete sheet; a PIN-protected sheet needs its PIN."""
    _require_pin(panelist_id, pin)
    return _submit(panelist_id)


def panelist_has_pin(panelist_id: int) -> bool:
    return hiring_repo.has_pin(panelist_id)


def set_panelist_pin(panelist_id: int, pin: str, repeated: str) -> Panelist:
    """The panelist protects their own sheet with a PIN (stored only as a salted digest)."""
    rules.check_new_pin(hiring_repo.get_panelist(panelist_id), pin, repeated)
    hiring_repo.store_pin(panelist_id, hash_pin(pin))
    return hiring_repo.get_panelist(panelist_id)


def unlock_sheet(panelist_id: int, pin: str) -> None:
    """Check the PIN a panelist typed; raises ``PinRefused`` in words when it does not open the
    sheet (wrong, missing or locked)."""
    _require_pin(panelist_id, pin)


def reset_panelist_pin(panelist_id: int, *, reason: str) -> Panelist:
    """The coordinator clears a forgotten PIN or unlocks a locked sheet, with an audited reason."""
    reason = rules.check_pin_reset(hiring_repo.get_panelist(panelist_id), reason)
    hiring_repo.delete_pin(panelist_id, reason=reason)
    return hiring_repo.get_panelist(panelist_id)


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
