"""The results of a hiring round: weighted scores, panel statistics, ranks, disagreement, calibration.

All arithmetic is exact (``fractions.Fraction``): a float sum depends on the order panelists or
questions were entered, and a rank must not. Values are rounded only for display, and ranks are
decided on the same two-decimal values a reader sees, so two candidates shown with the same panel
mean always share a rank — a tie is stated, never broken silently.

Definitions (the results PDF prints them):

- *Weighted score* of a panelist for a candidate: Σ(weight × score) / Σ(weight) over every
  question, on the 1–5 scale. Incomplete sheets have no weighted score and are listed as gaps.
- *Panel mean / median*: of the panelists' weighted scores. *Spread*: highest − lowest.
- *District mean*: the mean of the weighted scores of panelists who vote for the district.
- *Rank*: by panel mean, highest first, standard competition ranking (1, 2, 2, 4).
- *Disagreement*: on one question for one candidate, panelists' scores differ by 3 or more points.
- *Calibration offset* of a panelist: the average, over every candidate and question they scored,
  of their score minus the mean of the *other* panelists' scores on it. Positive = lenient,
  negative = harsh; flagged beyond ±0.75. Comparing with the others (not a mean that includes
  the panelist) keeps a 2-person panel from halving every offset, and makes a panelist's own
  offset move by exactly the constant added to their scores.
- *Calibration spread*: the standard deviation of the panelist's own scores; "middle of the road"
  when below 0.5 (everyone gets about the same score).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Panelist,
    Question,
    Score,
    ScoringSettings,
)


@dataclass(frozen=True, slots=True)
class PanelistCandidateScore:
    panelist_id: int
    weighted: Fraction | None
    scored: int
    of: int


@dataclass(frozen=True, slots=True)
class CandidateResult:
    candidate_id: int
    name: str
    panelist_scores: tuple[PanelistCandidateScore, ...]
    mean: Fraction | None
    median: Fraction | None
    spread: Fraction | None
    district_mean: Fraction | None
    rank: int | None
    tied_with: tuple[int, ...]
    consensus: ConsensusScore | None

    @property
    def tied(self) -> bool:
        return bool(self.tied_with)

    @property
    def rank_text(self) -> str:
        if self.rank is None:
            return "not ranked"
        return f"{self.rank} (tie)" if self.tied else str(self.rank)

    def weighted_for(self, panelist_id: int) -> Fraction | None:
        for item in self.panelist_scores:
            if item.panelist_id == panelist_id:
                return item.weighted
        return None


@dataclass(frozen=True, slots=True)
class QuestionCell:
    """Every panelist's score for one candidate on one question."""

    candidate_id: int
    question_id: int
    scores: tuple[tuple[int, int], ...]  # (panelist_id, value), by panelist id
    mean: Fraction | None
    spread: int | None
    disagreement: bool


@dataclass(frozen=True, slots=True)
class Disagreement:
    candidate_id: int
    question_id: int
    low: int
    high: int
    low_panelists: tuple[int, ...]
    high_panelists: tuple[int, ...]

    @property
    def points(self) -> int:
        return self.high - self.low


@dataclass(frozen=True, slots=True)
class Calibration:
    panelist_id: int
    name: str
    offset: Fraction | None
    spread: float | None
    compared: int
    lenient: bool
    harsh: bool
    middle_of_road: bool

    @property
    def label(self) -> str:
        flags: list[str] = []
        if self.lenient:
            flags.append("lenient")
        if self.harsh:
            flags.append("harsh")
        if self.middle_of_road:
            flags.append("middle of the road")
        return ", ".join(flags) if flags else "in line with the panel"


@dataclass(frozen=True, slots=True)
class Tie:
    rank: int
    candidate_ids: tuple[int, ...]
    mean: Fraction


@dataclass(frozen=True, slots=True)
class HiringResults:
    candidates: tuple[CandidateResult, ...]  # in rank order; unranked last
    cells: tuple[QuestionCell, ...]
    disagreements: tuple[Disagreement, ...]
    calibration: tuple[Calibration, ...]
    ties: tuple[Tie, ...]
    gaps: tuple[str, ...]

    def for_candidate(self, candidate_id: int) -> CandidateResult:
        for item in self.candidates:
            if item.candidate_id == candidate_id:
                return item
        raise KeyError(candidate_id)

    def cell(self, candidate_id: int, question_id: int) -> QuestionCell | None:
        for item in self.cells:
            if item.candidate_id == candidate_id and item.question_id == question_id:
                return item
        return None


# --- small exact helpers ------------------------------------------------------------------------


def hundredths(value: Fraction) -> int:
    """``value`` × 100 rounded half away from zero to a whole number, exactly."""
    magnitude = math.floor(abs(value) * 100 + Fraction(1, 2))
    return -magnitude if value < 0 else magnitude


def score_text(value: Fraction | None, empty: str = "—") -> str:
    """Two decimals, rounded half-up: the only way results are shown."""
    if value is None:
        return empty
    h = hundredths(value)
    sign = "-" if h < 0 else ""  # a tiny negative that rounds to zero shows as 0.00
    h = abs(h)
    return f"{sign}{h // 100}.{h % 100:02d}"


def signed_text(value: Fraction | None, empty: str = "—") -> str:
    if value is None:
        return empty
    text = score_text(value)
    return text if text.startswith("-") or text == "0.00" else f"+{text}"


def mean(values: Sequence[Fraction]) -> Fraction | None:
    return sum(values, Fraction(0)) / len(values) if values else None


def median(values: Sequence[Fraction]) -> Fraction | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / 2


# --- the engine ---------------------------------------------------------------------------------


def weighted_score(
    panelist_id: int, candidate_id: int, questions: Sequence[Question],
    by_key: dict[tuple[int, int, int], Score],
) -> PanelistCandidateScore:
    total = Fraction(0)
    weights = Fraction(0)
    scored = 0
    for q in questions:
        assert q.id is not None
        score = by_key.get((panelist_id, candidate_id, q.id))
        if score is None:
            continue
        scored += 1
        w = Fraction(q.weight)
        total += w * score.value
        weights += w
    complete = scored == len(questions) and scored > 0
    return PanelistCandidateScore(
        panelist_id, total / weights if complete else None, scored, len(questions)
    )


def compute_results(
    panelists: Iterable[Panelist],
    questions: Iterable[Question],
    candidates: Iterable[Candidate],
    scores: Iterable[Score],
    consensus: Iterable[ConsensusScore] = (),
    settings: ScoringSettings | None = None,
) -> HiringResults:
    """Everything the results screen and PDF show, from the round's raw scores."""
    settings = settings or ScoringSettings()
    people = sorted(panelists, key=lambda p: p.id or 0)
    qs = sorted(questions, key=lambda q: q.id or 0)
    cands = sorted(candidates, key=lambda c: c.id or 0)
    people_ids = {p.id for p in people}
    q_ids = {q.id for q in qs}
    c_ids = {c.id for c in cands}
    by_key = {
        s.key: s for s in scores
        if s.panelist_id in people_ids and s.question_id in q_ids and s.candidate_id in c_ids
    }
    consensus_by = {c.candidate_id: c for c in consensus}
    district = {p.id for p in people if p.district_voting}

    gaps: list[str] = []
    staged: list[tuple[Candidate, tuple[PanelistCandidateScore, ...]]] = []
    for cand in cands:
        assert cand.id is not None
        per = tuple(weighted_score(p.id, cand.id, qs, by_key) for p in people if p.id is not None)
        for p, item in zip(people, per, strict=True):
            if item.weighted is None:
                gaps.append(
                    f"{p.name} has scored {item.scored} of {item.of} questions for {cand.name}"
                )
        staged.append((cand, per))

    means: dict[int, Fraction] = {}
    for cand, per in staged:
        values = [i.weighted for i in per if i.weighted is not None]
        m = mean(values)
        if m is not None:
            assert cand.id is not None
            means[cand.id] = m
    keys = {cid: hundredths(m) for cid, m in means.items()}
    ranks: dict[int, int] = {}
    for cid, key in keys.items():
        ranks[cid] = 1 + sum(1 for other in keys.values() if other > key)
    ties: list[Tie] = []
    groups: dict[int, list[int]] = {}
    for cid, rank in ranks.items():
        groups.setdefault(rank, []).append(cid)
    for rank in sorted(groups):
        members = sorted(groups[rank])
        if len(members) > 1:
            ties.append(Tie(rank, tuple(members), Fraction(keys[members[0]], 100)))

    results: list[CandidateResult] = []
    for cand, per in staged:
        assert cand.id is not None
        values = [i.weighted for i in per if i.weighted is not None]
        d_values = [i.weighted for i in per if i.weighted is not None and i.panelist_id in district]
        cand_rank = ranks.get(cand.id)
        tied_with = tuple(
            c for c in groups.get(cand_rank, []) if c != cand.id
        ) if cand_rank is not None else ()
        results.append(CandidateResult(
            candidate_id=cand.id,
            name=cand.name,
            panelist_scores=per,
            mean=mean(values),
            median=median(values),
            spread=(max(values) - min(values)) if values else None,
            district_mean=mean(d_values),
            rank=cand_rank,
            tied_with=tuple(sorted(tied_with)),
            consensus=consensus_by.get(cand.id),
        ))
    results.sort(key=lambda r: (r.rank is None, r.rank or 0, r.name.casefold(), r.candidate_id))

    cells: list[QuestionCell] = []
    disagreements: list[Disagreement] = []
    for cand in cands:
        for q in sorted(qs, key=lambda q: (q.position, q.id or 0)):
            assert cand.id is not None and q.id is not None
            pairs = tuple(
                (p.id, by_key[(p.id, cand.id, q.id)].value)
                for p in people
                if p.id is not None and (p.id, cand.id, q.id) in by_key
            )
            values_i = [v for _, v in pairs]
            spread = (max(values_i) - min(values_i)) if values_i else None
            flag = spread is not None and len(values_i) > 1 and (
                spread >= settings.disagreement_points
            )
            cells.append(QuestionCell(
                cand.id, q.id, pairs,
                mean([Fraction(v) for v in values_i]), spread, flag,
            ))
            if flag:
                lo, hi = min(values_i), max(values_i)
                disagreements.append(Disagreement(
                    cand.id, q.id, lo, hi,
                    tuple(pid for pid, v in pairs if v == lo),
                    tuple(pid for pid, v in pairs if v == hi),
                ))

    calibration = tuple(
        _calibrate(p, people, cands, qs, by_key, settings) for p in people if p.id is not None
    )
    return HiringResults(
        candidates=tuple(results),
        cells=tuple(cells),
        disagreements=tuple(disagreements),
        calibration=calibration,
        ties=tuple(ties),
        gaps=tuple(gaps),
    )


def _calibrate(
    panelist: Panelist,
    people: Sequence[Panelist],
    cands: Sequence[Candidate],
    qs: Sequence[Question],
    by_key: dict[tuple[int, int, int], Score],
    settings: ScoringSettings,
) -> Calibration:
    assert panelist.id is not None
    offsets: list[Fraction] = []
    own: list[Fraction] = []
    for cand in cands:
        for q in qs:
            assert cand.id is not None and q.id is not None
            mine = by_key.get((panelist.id, cand.id, q.id))
            if mine is None:
                continue
            own.append(Fraction(mine.value))
            others = [
                Fraction(by_key[(o.id, cand.id, q.id)].value)
                for o in people
                if o.id is not None and o.id != panelist.id and (o.id, cand.id, q.id) in by_key
            ]
            if others:
                offsets.append(mine.value - sum(others, Fraction(0)) / len(others))
    offset = mean(offsets)
    spread: float | None = None
    middle = False
    if own:
        centre = sum(own, Fraction(0)) / len(own)
        variance = sum(((v - centre) ** 2 for v in own), Fraction(0)) / len(own)
        spread = math.sqrt(variance)
        # Compared exactly (variance against the squared limit), not through the float root.
        middle = (
            len(own) >= settings.middle_of_road_min_scores
            and variance < Fraction(settings.middle_of_road_spread) ** 2
        )
    limit = Fraction(settings.calibration_offset)
    return Calibration(
        panelist_id=panelist.id,
        name=panelist.name,
        offset=offset,
        spread=spread,
        compared=len(offsets),
        lenient=offset is not None and offset > limit,
        harsh=offset is not None and offset < -limit,
        middle_of_road=middle,
    )


def tie_statement(tie: Tie, names: dict[int, str]) -> str:
    """How a tie is stated on screen and on paper: never broken by the program."""
    who = [names.get(cid, f"candidate {cid}") for cid in tie.candidate_ids]
    listed = ", ".join(who[:-1]) + f" and {who[-1]}" if len(who) > 1 else who[0]
    return (
        f"Tie at rank {tie.rank}: {listed} have the same panel mean ({score_text(tie.mean)}). "
        "The program does not break ties; the panel records its decision and reasons."
    )
