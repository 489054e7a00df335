"""Start-up time of SRO Desk against the floor of a bare PySide6 window, measured in one run.

Each sample is a fresh interpreter (imports are most of start-up). Start-up is timed from launching
the process to the moment the window has been shown and painted once, which the process reports
with a line on standard output; how long the process then takes to tear itself down is not
start-up, and is left out of both. The floor is QApplication plus a tab widget of 6 QTableViews.
SRO Desk is the real program, started as a coordinator starts it (``python -m sro_desk --db``), on
a database of 300 staff and 100 buildings; ``SRO_DESK_EXIT_WHEN_READY`` makes it print its ready
line after the first paint and close. Target: the median ratio is at most 1.6.

    python benchmarks/startup.py [--runs 15]
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
print("floor: ready", flush=True)
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


def sample(command: list[str]) -> tuple[float, float, float]:
    """Seconds from launch to the ready line (painted), the interactive line (SRO Desk: the store
    open, input handled from then on; the floor has nothing more to do) and the end of the process."""
    # A fresh preferences folder, found the way a laptop finds it (XDG, through platformdirs): the
    # window opens on its first tab, as on a new laptop.
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=CONFIG, SRO_DESK_EXIT_WHEN_READY="1")
    env.pop("SRO_DESK_CONFIG_DIR", None)
    # An installed program runs from compiled bytecode (pip and PyInstaller both compile it); a
    # machine with PYTHONDONTWRITEBYTECODE set would instead recompile every module of ours on
    # every start, which no district's laptop does.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)
    assert process.stdout is not None
    ready = interactive = None
    for line in process.stdout:
        if line.rstrip().endswith(": ready") and ready is None:
            ready = time.perf_counter() - start
        if line.rstrip().endswith(": interactive") and interactive is None:
            interactive = time.perf_counter() - start
    if process.wait() != 0 or ready is None:
        raise SystemExit(f"{' '.join(command)} did not start (exit {process.returncode})")
    return ready, interactive or ready, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15, help="samples of each, interleaved (default 15: a steady median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.db"
        make_database(db)
        floor_command = [sys.executable, "-c", FLOOR]
        app_command = [sys.executable, "-m", "sro_desk", "--db", str(db)]
        sample(floor_command)
        sample(app_command)  # warm the file cache for both, write our bytecode, take the day's backup
        sample(app_command)
        floor, app = [], []
        for _ in range(args.runs):  # interleaved, so drift hits both alike
            floor.append(sample(floor_command))
            app.append(sample(app_command))
    f, a = (statistics.median(s[0] for s in floor), statistics.median(s[0] for s in app))
    a_input = statistics.median(s[1] for s in app)
    f_end, a_end = (statistics.median(s[2] for s in floor), statistics.median(s[2] for s in app))
    ratio = a / f
    print(f"bare PySide6 window (6 table tabs): median {f * 1000:.0f} ms to a painted window over {args.runs} runs "
          f"({f_end * 1000:.0f} ms to the end of the process)")
    print(f"SRO Desk main window (300 staff, 100 buildings): median {a * 1000:.0f} ms to the painted roster, "
          f"{a_input * 1000:.0f} ms to handling input ({a_end * 1000:.0f} ms to the end of the process)")
    print(f"ratio {ratio:.2f} (target <= 1.60): {'OK' if ratio <= 1.6 else 'OVER TARGET'}")
    return 0 if ratio <= 1.6 else 1


if __name__ == "__main__":
    sys.exit(main())
