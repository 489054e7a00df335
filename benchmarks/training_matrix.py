"""Time building the training compliance matrix for 300 staff × 20 requirements (target < 100 ms).

Plain script: ``python benchmarks/training_matrix.py [--with-database]``. Prints the fastest and the median of
several runs, in CPU time of this process (so other busy processes on the machine do not inflate
it), for the rule engine alone and for the engine plus the needs-attention list.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sro_desk.domain.training import (
    Provider,
    TrainingCompletion,
    TrainingPerson,
    build_matrix,
    needs_attention,
)
from sro_desk.domain.training_catalog import load_catalog

ROLES = ("school_resource_officer", "school_security_officer", "campus_security_officer",
         "other_safety_staff")
EMPLOYERS = ("law_enforcement_agency", "security_guard_company", "school_district")
TARGET_MS = 100.0


def main() -> None:
    path = Path(__file__).resolve().parents[1] / "resources" / "catalogs"
    catalog = load_catalog(json.loads((path / "training_requirements.json").read_text()))
    requirements = catalog.requirements[:20]
    rng = random.Random(1214)
    as_of = dt.date(2026, 11, 26)
    people = []
    completions = []
    next_id = 1
    for sid in range(1, 301):
        role = rng.choice(ROLES)
        employer = "law_enforcement_agency" if role == ROLES[0] else rng.choice(EMPLOYERS[1:])
        first = as_of - dt.timedelta(days=rng.randint(-30, 1500))
        people.append(TrainingPerson(sid, f"Person {sid:03d}", role, employer, first,
                                     f"Employer {sid % 7}", f"School {sid % 11}"))
        for req in requirements:
            for _ in range(rng.choice((0, 1, 1, 2))):
                done = first + dt.timedelta(days=rng.randint(-200, 700))
                verified = rng.random() < 0.85
                completions.append(TrainingCompletion(
                    next_id, sid, req.code, min(done, as_of), Provider.ESD, "ESD 112",
                    verified_by="Verifier" if verified else "",
                    verified_at=dt.datetime(2026, 1, 1) if verified else None))
                next_id += 1
    engine, with_attention = [], []
    for _ in range(15):
        start = time.process_time()
        matrix = build_matrix(people, requirements, completions, [], [], as_of)
        middle = time.process_time()
        needs_attention(matrix)
        end = time.process_time()
        engine.append((middle - start) * 1000)
        with_attention.append((end - start) * 1000)
    cells = len(matrix.rows) * len(requirements)
    median = statistics.median(with_attention)
    print(f"training matrix: {len(people)} staff x {len(requirements)} requirements "
          f"= {cells} cells, {len(completions)} completion records")
    print(f"  rule engine:               fastest {min(engine):6.1f} ms, "
          f"median {statistics.median(engine):6.1f} ms")
    print(f"  engine + needs attention:  fastest {min(with_attention):6.1f} ms, "
          f"median {median:6.1f} ms "
          f"(target < {TARGET_MS:.0f} ms: {'OK' if median < TARGET_MS else 'TOO SLOW'})")


def with_database() -> None:
    """The same size read from a real database file: five queries plus the engine."""
    import tempfile

    from sro_desk.domain.roster import Provider as Employer
    from sro_desk.domain.roster import ProviderKind, Role, StaffMember, StaffStatus
    from sro_desk.services.training import compliance_matrix
    from sro_desk.store import roster_repo, training_repo
    from sro_desk.store.base import database_proxy
    from sro_desk.store.database import close_database, open_database
    from sro_desk.store.training_repo import CompletionInput

    rng = random.Random(1214)
    as_of = dt.date(2026, 11, 26)
    with tempfile.TemporaryDirectory() as folder:
        open_database(Path(folder) / "bench.db", daily_backup=False)
        with database_proxy.atomic():
            police = roster_repo.save_provider(Employer(None, "Police", ProviderKind.POLICE))
            inputs = []
            for n in range(300):
                first = as_of - dt.timedelta(days=rng.randint(-30, 1500))
                member = roster_repo.save_staff(StaffMember(
                    None, f"First{n}", f"Last{n:03d}", Role.SRO, True, police.id,
                    first_day_with_students=first, status=StaffStatus.ACTIVE))
                assert member.id is not None
                for code in [f"topic_{c}" for c in "abcdefghijklm"] + ["first_aid_cpr"]:
                    if rng.random() < 0.8:
                        inputs.append(CompletionInput(
                            member.id, code, min(first + dt.timedelta(days=30), as_of),
                            Provider.AGENCY))
            saved = training_repo.add_completions(inputs)
        timings = []
        for _ in range(7):
            start = time.perf_counter()
            compliance_matrix(as_of)
            timings.append((time.perf_counter() - start) * 1000)
        close_database()
    print(f"  from the database ({len(saved)} records): fastest {min(timings):6.1f} ms, "
          f"median {statistics.median(timings):6.1f} ms (wall clock)")


if __name__ == "__main__":
    main()
    if "--with-database" in sys.argv:
        with_database()
