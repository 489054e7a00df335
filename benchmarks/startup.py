"""Start-up time of SRO Desk against the floor of a bare PySide6 window, measured in one run.

Each sample is a fresh interpreter (imports are most of start-up) that builds its window, shows it,
processes events once and exits; we time the whole process. The floor is QApplication plus a tab
widget of 6 QTableViews. SRO Desk opens a database of 300 staff and 100 buildings. Target: the
median ratio is at most 1.6.

    python benchmarks/startup.py [--runs 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = """
import sys
from PySide6.QtWidgets import QApplication, QTabWidget, QTableView
app = QApplication(sys.argv[:1])
tabs = QTabWidget()
for i in range(6):
    tabs.addTab(QTableView(), f"Tab {i}")
tabs.resize(1280, 800)
tabs.show()
app.processEvents()
"""

APP = """
import sys
from pathlib import Path
from sro_desk.app import make_application, build_window
from sro_desk.store.database import open_database
app = make_application()
open_database(Path(sys.argv[1]), daily_backup=False)
window = build_window(Path(sys.argv[1]))
window.show()
app.processEvents()
"""


def make_database(path: Path, staff: int = 300, buildings: int = 100) -> None:
    import datetime as dt
    import random

    from sro_desk.domain.roster import (
        Building,
        BuildingAssignment,
        Provider,
        ProviderKind,
        Role,
        SchoolYear,
        StaffMember,
        StaffStatus,
    )
    from sro_desk.store import roster_repo, settings
    from sro_desk.store.base import database_proxy
    from sro_desk.store.database import close_database, open_database

    open_database(path, daily_backup=False)
    rng = random.Random(7)
    with database_proxy.atomic():
        settings.set_setting(settings.DISTRICT_NAME, "Benchmark School District")
        roster_repo.save_school_year(SchoolYear(None, "2026-27", dt.date(2026, 9, 2), dt.date(2027, 6, 16)))
        made = [roster_repo.save_building(Building(None, f"School {i:03d}", f"S{i:03d}", "K-12")) for i in range(buildings)]
        providers = [
            roster_repo.save_provider(Provider(None, "Metro Police Department", ProviderKind.POLICE)),
            roster_repo.save_provider(Provider(None, "County Sheriff's Office", ProviderKind.SHERIFF)),
            roster_repo.save_provider(Provider(None, "Shield Security LLC", ProviderKind.SECURITY_COMPANY)),
            roster_repo.save_provider(Provider(None, "Benchmark School District", ProviderKind.DISTRICT)),
        ]
        for i in range(staff):
            provider = providers[i % 4]
            role = Role.SRO if provider.kind.is_law_enforcement else Role.CAMPUS_SECURITY
            places = rng.sample(made, 2)
            roster_repo.save_staff(StaffMember(
                None, f"First{i}", f"Last{i:03d}", role, role is Role.SRO, provider.id, badge_number=f"B{i}",
                assignments=tuple(BuildingAssignment(b.id or 0, 2, b.code) for b in places),
                first_day_with_students=dt.date(2025, 9, 2) + dt.timedelta(days=i), status=StaffStatus.ACTIVE,
            ))
    close_database()


CONFIG = tempfile.mkdtemp(prefix="sro-bench-config-")


def sample(code: str, *args: str) -> float:
    # A fresh preferences folder: the window opens on its first tab, as on a new laptop.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", SRO_DESK_CONFIG_DIR=CONFIG)
    # An installed program runs from compiled bytecode (pip and PyInstaller both compile it); a
    # machine with PYTHONDONTWRITEBYTECODE set would instead recompile every module of ours on
    # every start, which no district's laptop does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *args], check=True, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        make_database(db)
        sample(FLOOR)
        sample(APP, str(db))  # warm the file cache for both, and write our bytecode
        sample(APP, str(db))
        floor, app = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            floor.append(sample(FLOOR))
            app.append(sample(APP, str(db)))
    f, a = statistics.median(floor), statistics.median(app)
    ratio = a / f
    print(f"bare PySide6 window (6 table tabs): median {f * 1000:.0f} ms over {args.runs} runs")
    print(f"SRO Desk main window (300 staff, 100 buildings): median {a * 1000:.0f} ms")
    print(f"ratio {ratio:.2f} (target <= 1.60): {'OK' if ratio <= 1.6 else 'OVER TARGET'}")
    return 0 if ratio <= 1.6 else 1


if __name__ == "__main__":
    sys.exit(main())
