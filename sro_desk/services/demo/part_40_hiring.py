"""Demo: one decided SRO hiring round (three candidates, a tie for second) and one still scoring."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sro_desk.domain.hiring import (
    Candidate,
    ConsensusScore,
    Decision,
    DecisionKind,
    HiringRound,
    Panelist,
    Question,
    QuestionSource,
    RoundStatus,
    Score,
    ScoreEntry,
)
from sro_desk.services import hiring
from sro_desk.services.demo import DemoContext

DECIDED_QUESTIONS = ("deescalation", "disabilities", "enforce_vs_reinforce", "ferpa", "bias_free")
# Rows: candidates (Raman, Nguyen, Petrakis); columns: the five questions above.
# Nguyen and Petrakis hold the same scores in a different order: an exact tie for second.
DECIDED_SCORES: dict[str, tuple[tuple[int, ...], ...]] = {
    "Dr. Alicia Brandt": ((5, 4, 4, 4, 5), (3, 3, 4, 3, 3), (3, 4, 3, 3, 3)),
    "Sgt. Mike Holloway": ((4, 4, 5, 4, 4), (4, 3, 4, 4, 3), (4, 4, 3, 3, 4)),
    "Renee Castillo": ((4, 5, 4, 4, 4), (1, 3, 3, 3, 3), (3, 3, 2, 2, 3)),
}
SCORING_QUESTIONS = ("deescalation", "trauma", "student_rights", "restorative", "school_climate")
#: Anchors of the agency's own question on the scoring round (seventh graders who will not leave
#: a hallway): what each level of answer sounds like for early adolescents, not generic calming.
EARLY_ADOLESCENT_ANCHORS = (
    "Would order the group out and treat refusal as defiance to be cited or escalated to "
    "arrest; sees the students as small adults.",
    "Would ask them to move and call an administrator if they do not; mentions that middle "
    "schoolers test limits but does not say how that changes the approach.",
    "Keeps it low-key and lets hallway staff lead; speaks to the group calmly, gives a clear "
    "choice and a little time, and avoids an audience-driven standoff.",
    "Explains how peer audience and the need to save face drive 12- and 13-year-olds; splits "
    "the group, talks to the leader privately, uses names and humor, and leaves discipline to "
    "the school.",
    "Gives examples of building relationships at lunch and passing periods so that groups "
    "move on a word; plans with staff to prevent the standoff and has helped colleagues learn "
    "to work with early adolescents.",
)


def _round_dates(ctx: DemoContext, days_ago: int) -> tuple[dt.date, dt.date]:
    first = ctx.today - dt.timedelta(days=days_ago)
    return first, first + dt.timedelta(days=1)


def populate(ctx: DemoContext) -> None:
    _decided_round(ctx)
    _scoring_round(ctx)


def _decided_round(ctx: DemoContext) -> None:
    start, end = _round_dates(ctx, 120)
    r = hiring.save_round(HiringRound(
        None, "SRO, Harbor View High School", "Cedar Valley Police Department",
        "Harbor View High School", start, end, RoundStatus.INTERVIEWING,
        notes="Vacancy after Officer Dunn's reassignment. Agency advanced three candidates."))
    assert r.id is not None
    panel = [
        hiring.save_panelist(Panelist(None, r.id, "Dr. Alicia Brandt", "Cedar Valley SD",
                                      "Assistant superintendent", district_voting=True)),
        hiring.save_panelist(Panelist(None, r.id, "Sgt. Mike Holloway", "Cedar Valley PD",
                                      "Patrol sergeant")),
        hiring.save_panelist(Panelist(None, r.id, "Renee Castillo", "Harbor View HS",
                                      "Principal", district_voting=True)),
    ]
    cands = [
        hiring.save_candidate(Candidate(None, r.id, "Officer Priya Raman", "Patrol, day shift",
                                        start - dt.timedelta(days=20),
                                        "Youth mentoring background; CIT certified.")),
        hiring.save_candidate(Candidate(None, r.id, "Officer Thomas Nguyen", "Patrol, swing shift",
                                        start - dt.timedelta(days=20))),
        hiring.save_candidate(Candidate(None, r.id, "Officer Dana Petrakis", "Traffic unit",
                                        start - dt.timedelta(days=18))),
    ]
    hiring.add_bank_questions(r.id, DECIDED_QUESTIONS)
    questions = hiring.list_questions(r.id)
    for p in panel:
        assert p.id is not None
        matrix = DECIDED_SCORES[p.name]
        scores = []
        for cand, row in zip(cands, matrix, strict=True):
            assert cand.id is not None
            for q, value in zip(questions, row, strict=True):
                assert q.id is not None
                justification = ""
                if value == 5:
                    justification = "Specific, recent example with students and clear reasoning."
                elif value == 1:
                    justification = "Would cite for a school-rule matter; no alternative named."
                scores.append(Score(p.id, cand.id, q.id, value, comment="", justification=justification))
        entry = ScoreEntry.MANUAL if p.name == "Renee Castillo" else ScoreEntry.PANEL
        hiring.save_sheet_scores(p.id, scores, entry=entry)
        hiring.submit_sheet(p.id)
    hiring.reveal(r.id)
    assert cands[1].id is not None and cands[2].id is not None and cands[0].id is not None
    hiring.save_consensus(ConsensusScore(cands[0].id, Decimal("4.3"),
                                         "Panel agreed Raman was strongest on every competency."))
    hiring.save_consensus(ConsensusScore(
        cands[1].id, Decimal("3.2"),
        "Tied with Petrakis on the panel mean; discussed the 1-versus-4 split on de-escalation."))
    hiring.save_decision(Decision(
        r.id, DecisionKind.PREFERRED, cands[0].id,
        "Highest panel and district means; concrete de-escalation and special-education examples. "
        "The tie for second between Nguyen and Petrakis was left standing.",
        "Cedar Valley PD assigned Officer Raman to Harbor View High School.",
        end + dt.timedelta(days=6)))
    hiring.set_status(r.id, RoundStatus.DECIDED)


def _scoring_round(ctx: DemoContext) -> None:
    start, end = _round_dates(ctx, 3)
    r = hiring.save_round(HiringRound(
        None, "SRO, Ridgeline Middle School", "Harbor County Sheriff's Office",
        "Ridgeline Middle School", start, end, RoundStatus.INTERVIEWING))
    assert r.id is not None
    panel = [
        hiring.save_panelist(Panelist(None, r.id, "Jordan Ames", "Cedar Valley SD",
                                      "Safety coordinator", district_voting=True)),
        hiring.save_panelist(Panelist(None, r.id, "Lt. Karen Fisk", "Harbor County SO",
                                      "Lieutenant")),
        hiring.save_panelist(Panelist(None, r.id, "Omar Haddad", "Ridgeline MS",
                                      "Principal", district_voting=True)),
    ]
    cands = [
        hiring.save_candidate(Candidate(None, r.id, "Deputy Aaron Whitehorse", "Patrol",
                                        start - dt.timedelta(days=10))),
        hiring.save_candidate(Candidate(None, r.id, "Deputy Laila Morgan", "Court services",
                                        start - dt.timedelta(days=10))),
    ]
    hiring.add_bank_questions(r.id, SCORING_QUESTIONS)
    hiring.save_question(Question(
        None, r.id, 0,
        "Middle-school students often test limits. Describe how you would respond when a group of "
        "seventh graders refuses to leave a hallway at the end of lunch.",
        "Working with early adolescents", QuestionSource.AGENCY, Decimal("1.5"),
        "Agency and district agreed this is the main daily situation at a middle school.",
        EARLY_ADOLESCENT_ANCHORS))
    questions = hiring.list_questions(r.id)
    first, second, _third = panel
    assert first.id is not None and second.id is not None
    done = [Score(first.id, c.id, q.id, ctx.rng.choice((2, 3, 3, 4)))  # type: ignore[arg-type]
            for c in cands for q in questions]
    hiring.save_sheet_scores(first.id, done)
    hiring.submit_sheet(first.id)
    partial = [Score(second.id, cands[0].id, q.id, ctx.rng.choice((3, 4)))  # type: ignore[arg-type]
               for q in questions[:3]]
    hiring.save_sheet_scores(second.id, partial)
