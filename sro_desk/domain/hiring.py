"""Hiring panel scoring: the round, its panel, questions, candidates, scores and decision.

The district sits on the agency's interview panel as a voting member, may provide questions, helps
score and rank, advises its preferred candidate and may decline a sole candidate (Snohomish SRO
procedure). Structured-interview practice (US OPM) sets the shape checked here: 2–4 panelists, the
same questions in the same order for every candidate, a 1 (Awareness) to 5 (Expert) scale with a
behavioral anchor per level, and equal weights unless a different weight is documented.

Every rule returns problems *in words* so the tab, the CLI and the sheet import all explain the
same refusal the same way. The results arithmetic lives in ``hiring_results``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from sro_desk.domain.privacy import immigration_warning

SCALE_MIN = 1
SCALE_MAX = 5
SCALE = tuple(range(SCALE_MIN, SCALE_MAX + 1))
SCALE_LABELS: Mapping[int, str] = {
    1: "Awareness",
    2: "Basic",
    3: "Intermediate",
    4: "Advanced",
    5: "Expert",
}
#: Generic behavioral anchors (OPM proficiency levels); each question may replace them. The
#: texts do not repeat the level's name: every display puts "1 Awareness" beside them.
DEFAULT_ANCHORS: tuple[str, str, str, str, str] = (
    "Names the topic but gives no example of applying it; answer is vague or describes an "
    "approach the district would not accept.",
    "Describes the expected approach in general terms with a thin or second-hand example; "
    "needs close guidance.",
    "Gives a concrete example of applying the approach in a routine situation with an "
    "acceptable result.",
    "Gives concrete examples in difficult situations, explains why each step was taken and "
    "what was learned.",
    "Shows deep, consistent practice in complex situations, adapts it to individual students, "
    "and has taught or led others in it.",
)
DEFAULT_WEIGHT = Decimal(1)
MAX_WEIGHT = Decimal(10)
PANEL_SIZE_MIN = 2
PANEL_SIZE_MAX = 4
EXTREME_SCORES = frozenset({SCALE_MIN, SCALE_MAX})


class RoundStatus(StrEnum):
    PLANNING = "Planning"
    INTERVIEWING = "Interviewing"
    SCORING_CLOSED = "Scoring closed"
    DECIDED = "Decided"


class QuestionSource(StrEnum):
    """Who provided the question: the district may provide questions (Snohomish procedure)."""

    DISTRICT = "District"
    AGENCY = "Agency"


class ScoreEntry(StrEnum):
    """How a score reached the program; paper scores stay marked as such."""

    PANEL = "Scored on the panel laptop"
    SHEET = "Imported from a score sheet"
    MANUAL = "Entered from paper by the coordinator"


class DecisionKind(StrEnum):
    PREFERRED = "Preferred candidate"
    SOLE_ACCEPTED = "Sole candidate accepted"
    SOLE_DECLINED = "Sole candidate declined"


@dataclass(frozen=True, slots=True)
class HiringRound:
    id: int | None
    position: str
    agency: str
    building: str
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    status: RoundStatus = RoundStatus.PLANNING
    revealed_at: dt.datetime | None = None
    notes: str = ""

    @property
    def revealed(self) -> bool:
        return self.revealed_at is not None

    @property
    def title(self) -> str:
        return f"{self.position} — {self.agency}" if self.agency else self.position


@dataclass(frozen=True, slots=True)
class Panelist:
    id: int | None
    round_id: int | None
    name: str
    organization: str
    role: str = ""
    district_voting: bool = False
    #: When the panelist submitted their sheet; ``None`` while they are still scoring.
    submitted_at: dt.datetime | None = None
    #: The panelist protected their sheet with a PIN (``hiring_pin``); the PIN itself is never here.
    has_pin: bool = False

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None


@dataclass(frozen=True, slots=True)
class Question:
    id: int | None
    round_id: int | None
    position: int
    text: str
    competency: str
    provided_by: QuestionSource = QuestionSource.DISTRICT
    weight: Decimal = DEFAULT_WEIGHT
    weight_reason: str = ""
    anchors: tuple[str, ...] = DEFAULT_ANCHORS


@dataclass(frozen=True, slots=True)
class Candidate:
    id: int | None
    round_id: int | None
    name: str
    current_assignment: str = ""
    screening_passed: dt.date | None = None
    notes: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    """One panelist's score of one candidate on one question."""

    panelist_id: int
    candidate_id: int
    question_id: int
    value: int
    comment: str = ""
    justification: str = ""
    entry: ScoreEntry = ScoreEntry.PANEL

    @property
    def key(self) -> tuple[int, int, int]:
        return (self.panelist_id, self.candidate_id, self.question_id)


@dataclass(frozen=True, slots=True)
class ConsensusScore:
    candidate_id: int
    value: Decimal
    note: str


@dataclass(frozen=True, slots=True)
class Decision:
    round_id: int | None
    kind: DecisionKind
    candidate_id: int
    rationale: str
    outcome: str = ""
    decided_on: dt.date | None = None


@dataclass(frozen=True, slots=True)
class RoundSnapshot:
    """A whole round at one moment: what the results engine, exports and sheets work from."""

    round: HiringRound
    panelists: tuple[Panelist, ...]
    questions: tuple[Question, ...]  # asking order
    candidates: tuple[Candidate, ...]
    scores: tuple[Score, ...]
    consensus: tuple[ConsensusScore, ...] = ()
    decision: Decision | None = None

    def panelist(self, panelist_id: int) -> Panelist:
        for item in self.panelists:
            if item.id == panelist_id:
                return item
        raise KeyError(panelist_id)

    def candidate_names(self) -> dict[int, str]:
        return {c.id: c.name for c in self.candidates if c.id is not None}


@dataclass(frozen=True, slots=True)
class ScoringSettings:
    """District settings for scoring; the 1/5 justification rule is a setting (issue 5)."""

    require_extreme_justification: bool = True
    disagreement_points: int = 3
    calibration_offset: Decimal = Decimal("0.75")
    middle_of_road_spread: Decimal = Decimal("0.5")
    #: Fewer scored cells than this and the "middle of the road" flag is not raised.
    middle_of_road_min_scores: int = 4


def anchor_body(level: int, text: str) -> str:
    """An anchor without a leading copy of its level's name ("Awareness: names…" → "names…").

    Displays put "1 Awareness" beside every anchor; anchors written before that (the old
    defaults, pasted rubrics) repeated it. "Awareness of the law…" has no separator and stays."""
    label = SCALE_LABELS.get(level)
    if label is None:
        return text.strip()
    pattern = _ANCHOR_PREFIX.get(level)
    if pattern is None:
        pattern = _ANCHOR_PREFIX[level] = re.compile(
            rf"^\s*(?:{level}\s*[.):=-]?\s*)?(?:\(?{re.escape(label)}\)?)\s*[:\u2013\u2014-]\s*",
            re.IGNORECASE)
    body = pattern.sub("", text, count=1).strip()
    if body and body != text.strip() and body[0].islower():
        body = body[0].upper() + body[1:]
    return body or text.strip()


_ANCHOR_PREFIX: dict[int, re.Pattern[str]] = {}


def normalize_anchors(anchors: Iterable[str]) -> tuple[str, ...]:
    """Each anchor through ``anchor_body`` for its level (1 to 5, in order)."""
    return tuple(anchor_body(level, text) for level, text in enumerate(anchors, start=SCALE_MIN))


def anchor_line(level: int, text: str) -> str:
    """"1 Awareness: <anchor>" — the one way an anchor is shown with its level."""
    return f"{level} {SCALE_LABELS[level]}: {anchor_body(level, text)}"


# --- single-field rules -----------------------------------------------------------------------


def parse_weight(value: object) -> Decimal:
    """A question weight from text or a number; raises ``ValueError`` with a sentence."""
    text = "" if value is None else str(value).strip()
    if not text:
        return DEFAULT_WEIGHT
    try:
        weight = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"weight '{text}' is not a number") from None
    if not weight.is_finite() or weight <= 0:
        raise ValueError(f"weight {text} must be greater than zero")
    if weight > MAX_WEIGHT:
        raise ValueError(f"weight {text} is more than the largest allowed weight, {MAX_WEIGHT}")
    if weight.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValueError(f"weight {text} has more than two decimal places")
    return weight


def parse_score(value: object) -> int:
    """A whole-number score on the 1–5 scale; raises ``ValueError`` with a sentence."""
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a score from 1 to 5")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = "" if value is None else str(value).strip()
        if not text:
            raise ValueError("score is missing")
        if not text.lstrip("-").isdigit():
            raise ValueError(f"'{text}' is not a whole-number score from 1 to 5")
        number = int(text)
    if number not in SCALE:
        raise ValueError(f"score {number} is outside the 1 to 5 scale")
    return number


def score_problems(value: int, justification: str, settings: ScoringSettings) -> list[str]:
    """Why a single score cannot be saved: off-scale, or a 1/5 without a written justification."""
    problems: list[str] = []
    if value not in SCALE:
        problems.append(f"score {value} is outside the 1 to 5 scale")
    elif (
        settings.require_extreme_justification
        and value in EXTREME_SCORES
        and not justification.strip()
    ):
        problems.append(
            f"a score of {value} ({SCALE_LABELS[value]}) needs a written justification"
        )
    return problems


def weight_problems(weight: Decimal, reason: str) -> list[str]:
    """Equal weights are the default; any other weight needs a written reason (OPM practice)."""
    problems: list[str] = []
    if not weight.is_finite() or weight <= 0:
        problems.append("the weight must be greater than zero")
    elif weight > MAX_WEIGHT:
        problems.append(f"the weight may not be more than {MAX_WEIGHT}")
    if weight != DEFAULT_WEIGHT and not reason.strip():
        problems.append(
            f"a weight of {weight.normalize():f} differs from the equal weight of 1 and needs "
            "a written reason"
        )
    return problems


def panel_size_warning(count: int) -> str | None:
    """Structured-interview practice is 2–4 panelists; outside that, say so (not a refusal)."""
    if PANEL_SIZE_MIN <= count <= PANEL_SIZE_MAX:
        return None
    if count < PANEL_SIZE_MIN:
        have = "no panelists" if count == 0 else "only 1 panelist"
        return (
            f"The panel has {have}. Structured-interview practice is 2 to 4 panelists, so one "
            "person's view is not the whole result."
        )
    return (
        f"The panel has {count} panelists. Structured-interview practice is 2 to 4 panelists; "
        "a larger panel is harder to keep consistent."
    )


# --- whole-object validation ------------------------------------------------------------------


def _required(value: str, what: str, problems: list[str]) -> None:
    if not value.strip():
        problems.append(f"{what} is required")


def _privacy(value: str, what: str, problems: list[str]) -> None:
    warning = immigration_warning(value)
    if warning:
        problems.append(f"{what}: {warning}")


def validate_round(item: HiringRound) -> list[str]:
    problems: list[str] = []
    _required(item.position, "The position", problems)
    _required(item.agency, "The agency", problems)
    if item.start_date and item.end_date and item.end_date < item.start_date:
        problems.append("The last interview date is before the first")
    _privacy(item.notes, "Notes", problems)
    return problems


def validate_panelist(item: Panelist, others: Iterable[Panelist] = ()) -> list[str]:
    problems: list[str] = []
    _required(item.name, "The panelist's name", problems)
    _required(item.organization, "The panelist's organization", problems)
    name = item.name.strip().casefold()
    if name and any(
        o.name.strip().casefold() == name and o.id != item.id for o in others
    ):
        problems.append(f"{item.name.strip()} is already on this panel")
    return problems


def validate_question(item: Question) -> list[str]:
    problems: list[str] = []
    _required(item.text, "The question text", problems)
    _required(item.competency, "The competency", problems)
    problems.extend(f"Weight: {p}" for p in weight_problems(item.weight, item.weight_reason))
    if len(item.anchors) != len(SCALE):
        problems.append("Each question needs one behavioral anchor for each level 1 to 5")
    else:
        for level, anchor in zip(SCALE, item.anchors, strict=True):
            if not anchor.strip():
                problems.append(f"The behavioral anchor for level {level} is empty")
    return problems


def validate_candidate(item: Candidate, others: Iterable[Candidate] = ()) -> list[str]:
    problems: list[str] = []
    _required(item.name, "The candidate's name", problems)
    name = item.name.strip().casefold()
    if name and any(
        o.name.strip().casefold() == name and o.id != item.id for o in others
    ):
        problems.append(f"{item.name.strip()} is already a candidate in this round")
    _privacy(item.notes, "Notes", problems)
    return problems


def validate_score(item: Score, settings: ScoringSettings) -> list[str]:
    problems = score_problems(item.value, item.justification, settings)
    _privacy(item.comment, "Comment", problems)
    _privacy(item.justification, "Justification", problems)
    return problems


def validate_consensus(item: ConsensusScore) -> list[str]:
    problems: list[str] = []
    if not item.value.is_finite() or not SCALE_MIN <= item.value <= SCALE_MAX:
        problems.append("A consensus score must be between 1 and 5")
    _required(item.note, "A note explaining the consensus score", problems)
    _privacy(item.note, "Note", problems)
    return problems


def validate_decision(item: Decision, candidate_ids: Iterable[int]) -> list[str]:
    """The district advises a preferred candidate, or accepts/declines a sole candidate."""
    ids = set(candidate_ids)
    problems: list[str] = []
    if item.candidate_id not in ids:
        problems.append("The decision names a candidate who is not in this round")
    sole = item.kind in (DecisionKind.SOLE_ACCEPTED, DecisionKind.SOLE_DECLINED)
    if sole and len(ids) != 1:
        problems.append(
            f"'{item.kind}' applies only when the agency advanced one candidate; "
            f"this round has {len(ids)}"
        )
    if item.kind is DecisionKind.PREFERRED and len(ids) == 1:
        problems.append(
            "With a sole candidate the district accepts or declines; choose "
            f"'{DecisionKind.SOLE_ACCEPTED}' or '{DecisionKind.SOLE_DECLINED}'"
        )
    what = "The reason" if item.kind is DecisionKind.SOLE_DECLINED else "The rationale"
    _required(item.rationale, what, problems)
    _privacy(item.rationale, "Rationale", problems)
    _privacy(item.outcome, "Outcome", problems)
    return problems


# --- the sheet, submission and the change-after-submission rule -------------------------------


@dataclass(frozen=True, slots=True)
class SheetGap:
    """One thing standing between a panelist and submitting their sheet."""

    candidate_id: int
    question_id: int
    message: str


def sheet_gaps(
    panelist_id: int,
    candidates: Iterable[Candidate],
    questions: Iterable[Question],
    scores: Iterable[Score],
    settings: ScoringSettings,
) -> list[SheetGap]:
    """Every missing score and missing justification on one panelist's sheet, in sheet order."""
    mine = {(s.candidate_id, s.question_id): s for s in scores if s.panelist_id == panelist_id}
    ordered = sorted(questions, key=lambda q: (q.position, q.id or 0))
    gaps: list[SheetGap] = []
    for cand in candidates:
        assert cand.id is not None
        for q in ordered:
            assert q.id is not None
            score = mine.get((cand.id, q.id))
            label = f"{cand.name}, question {q.position}"
            if score is None:
                gaps.append(SheetGap(cand.id, q.id, f"{label}: no score yet"))
                continue
            for problem in score_problems(score.value, score.justification, settings):
                gaps.append(SheetGap(cand.id, q.id, f"{label}: {problem}"))
    return gaps


def change_after_submission_problems(submitted: bool, reason: str) -> list[str]:
    """A submitted sheet may change only with a written reason (which is then audited)."""
    if submitted and not reason.strip():
        return ["This sheet was already submitted: a change needs a written reason"]
    return []


def reveal_problems(
    hiring_round: HiringRound,
    panelists: Iterable[Panelist],
    candidates: Iterable[Candidate],
    questions: Iterable[Question],
) -> list[str]:
    """Results are revealed only when every panelist has submitted (the blind rule)."""
    people = list(panelists)
    problems: list[str] = []
    if hiring_round.revealed:
        problems.append("The results of this round are already revealed")
    if not people:
        problems.append("The round has no panelists")
    if not list(candidates):
        problems.append("The round has no candidates")
    if not list(questions):
        problems.append("The round has no questions")
    waiting = [p.name for p in people if not p.submitted]
    if waiting:
        problems.append("Still scoring (not submitted): " + ", ".join(waiting))
    return problems


# --- blind visibility ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Visibility:
    """What one viewer may see of a round's scores right now, and why not more."""

    panelist_ids: frozenset[int]
    aggregate: bool
    reason: str
    editable_panelist_id: int | None = None
    progress_only: bool = field(default=False)

    def may_see(self, panelist_id: int) -> bool:
        return panelist_id in self.panelist_ids


def visibility(
    viewer_panelist_id: int | None,
    hiring_round: HiringRound,
    panelists: Iterable[Panelist],
    *,
    reopened_with_reason: bool = False,
    pin_missing: bool = False,
) -> Visibility:
    """The blind rule as a pure function.

    ``viewer_panelist_id`` is the panelist whose name was picked on the shared laptop (or whose
    paper sheet the coordinator is entering); ``None`` is the coordinator's own view. Before the
    coordinator reveals results — which needs every sheet submitted — a panelist sees only their own
    scores and the coordinator sees only who has submitted. A submitted sheet is *sealed* until the
    reveal: picking that name on the shared laptop shows nothing, so nobody can read a colleague's
    finished sheet; the panelist reopens it only by giving a written reason (which is audited with
    any change). After the reveal everyone sees all scores and the aggregate.

    ``pin_missing``: the viewer's sheet is protected by a PIN that was not given. Before the reveal
    nothing of the sheet shows; after it, what everyone sees, but nothing can be changed.
    """
    people = list(panelists)
    ids = frozenset(p.id for p in people if p.id is not None)
    viewer = next((p for p in people if p.id == viewer_panelist_id), None)
    if pin_missing and viewer is not None:
        if hiring_round.revealed:
            return Visibility(ids, True, f"Results revealed: all scores are visible. "
                              f"{viewer.name}'s sheet is protected by a PIN: enter it to change "
                              "the sheet.")
        return Visibility(frozenset(), False, f"{viewer.name}'s sheet is protected by a PIN. "
                          "Only the panelist who set it can open the sheet: enter the PIN.")
    if hiring_round.revealed:
        # Every sheet was submitted before the reveal, so a change now needs a reason too.
        editable = viewer_panelist_id if (viewer_panelist_id in ids and reopened_with_reason) \
            else None
        return Visibility(ids, True, "Results revealed: all scores are visible. A change to a "
                          "sheet needs a written reason (audited).",
                          editable_panelist_id=editable)
    if viewer_panelist_id is None:
        done = sum(1 for p in people if p.submitted)
        return Visibility(
            frozenset(), False,
            f"Scoring is blind until every panelist submits and results are revealed "
            f"({done} of {len(people)} submitted).",
            progress_only=True,
        )
    if viewer is None:
        return Visibility(frozenset(), False, "That panelist is not on this round's panel.")
    if viewer.submitted and not reopened_with_reason:
        return Visibility(
            frozenset(), False,
            f"{viewer.name}'s sheet is submitted and sealed until the results are revealed. "
            "To change it, reopen it with a written reason (the change is audited).",
        )
    return Visibility(
        frozenset({viewer_panelist_id}), False,
        "You see only your own scores until every panelist submits and results are revealed.",
        editable_panelist_id=viewer_panelist_id,
    )


def visible_scores(view: Visibility, scores: Iterable[Score]) -> list[Score]:
    """Only the scores ``view`` allows; the UI and exports filter through this, never around it."""
    return [s for s in scores if view.may_see(s.panelist_id)]
