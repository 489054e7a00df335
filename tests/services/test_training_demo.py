"""The demo district shows every training state the issue asks for."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sro_desk.domain.training import TrainingStatus, needs_attention
from sro_desk.services.training import compliance_matrix

AS_OF = dt.date(2026, 11, 26)


def test_demo_shows_every_state(demo_db: Path) -> None:
    matrix = compliance_matrix(AS_OF)
    rows = {r.person.name: r for r in matrix.rows}
    assert rows["Lopez, Maria"].clearance.cleared
    mcallister = rows["McAllister, Colin"]
    assert mcallister.clearance.cleared and mcallister.clearance.has_esd_documentation
    assert mcallister.cell("crisis_intervention").status is TrainingStatus.EXPIRING_SOON
    assert rows["Lindqvist, Grace"].cell("topic_g").status is TrainingStatus.WAIVED
    assert rows["Okafor, Daniel"].cell("first_aid_cpr").status is TrainingStatus.EXPIRED
    assert rows["Sandoval, Teresa"].cell("topic_m").status is TrainingStatus.OVERDUE
    fox = rows["Fox, Brianna"].cell("topic_m")
    assert fox.status is TrainingStatus.DUE and fox.days is not None and fox.days <= 30
    assert rows["Raman, Priya"].cell("topic_g").pending_claims == 1
    assert not rows["Whitehorse, Aaron"].clearance.first_day_recorded
    park = rows["Park, Noelle"]
    assert park.person.first_day is not None and park.person.first_day > AS_OF
    assert park.cell("topic_a").status is TrainingStatus.VERIFIED  # prior training counts
    statuses = {c.status for r in matrix.rows for c in r.cells}
    assert statuses == set(TrainingStatus)
    items = needs_attention(matrix)
    assert items[0].person_name == "Whitehorse, Aaron"
    assert not any(i.person_name == "Haugen, Victor" for i in items)  # inactive
