"""The child side of the SIGKILL test: a fork server that runs the app's write paths until killed.

Run as ``python crash_worker.py DB JOURNAL SEED``. It imports the program once, then reads one
command per line on stdin:

- ``work N``  forks a child that opens DB through ``open_database`` (as the app does) and writes
  for ever: roster and calls imports of a whole file (all rows or none), staff edits, new
  staff, settings, attachments. After each commit the child appends a line to JOURNAL (``os.write`` on an
  ``O_APPEND`` file: a kill cannot tear it), so the parent knows what was committed before the kill.
- ``fresh PATH N`` forks a child that creates a new database at PATH (runs every migration) and
  then writes to it, journalling to ``PATH.journal``.

The server prints the child's pid; the test kills that pid with SIGKILL at a random moment and
sends ``reap`` (the server answers with the exit status). Forking from a warm process means a
child starts writing within milliseconds, so hundreds of kills fit in a short test.
"""

from __future__ import annotations

import csv
import os
import random
import sys
from dataclasses import replace
from pathlib import Path

IMPORT_ROWS = 12
PROVIDER = "Crash Test Police Department"
BUILDINGS = ("CTA", "CTB")


def _journal(fd: int, line: str) -> None:
    os.write(fd, (line + "\n").encode("utf-8"))


def _write_import_file(folder: Path, batch: str) -> Path:
    path = folder / f"import-{batch}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["first_name", "last_name", "role", "commissioned", "employer", "badge_number", "buildings", "status"])
        for i in range(IMPORT_ROWS):
            writer.writerow([f"Row{i}", f"Batch{batch}", "school resource officer", "yes", PROVIDER, f"{batch}-{i}", "CTA:3; CTB:2", "pending"])
    return path


CALL_ROWS = 6


def _write_calls_file(folder: Path, batch: str) -> Path:
    """A calls log of CALL_ROWS calls (one student each) with call numbers unique to ``batch``."""
    from sro_desk.services.calls_import import IMPORT_TEMPLATES

    spec = IMPORT_TEMPLATES[0]
    example = list(spec.example_rows[0])
    path = folder / f"calls-{batch}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(spec.headers)
        for i in range(CALL_ROWS):
            row = list(example)
            row[0] = f"K{batch}-{i}"
            row[3] = BUILDINGS[i % len(BUILDINGS)]
            writer.writerow(row)
    return path


def _work(db_path: str, journal_path: str, seed: int, fresh: bool) -> None:  # pragma: no cover - runs in the child
    from sro_desk.domain.roster import Role, StaffMember
    from sro_desk.services.roster_import import import_roster
    from sro_desk.store import attachments, roster_repo, settings
    from sro_desk.store.audit import set_actor
    from sro_desk.store.database import open_database

    rng = random.Random(seed)
    fd = os.open(journal_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    open_database(db_path)
    Path(f"{journal_path}.opened-{seed}").touch()  # the parent may wait for this before its timer
    set_actor(f"crash-{seed}")
    if fresh:
        _journal(fd, f"fresh-open {db_path}")
    folder = Path(journal_path).parent
    provider = next((p for p in roster_repo.list_providers() if p.name == PROVIDER), None)
    if provider is None:  # a fresh file: set it up like the main one
        from sro_desk.domain.roster import Building, Provider, ProviderKind

        provider = roster_repo.save_provider(Provider(None, PROVIDER, ProviderKind.POLICE))
        for code in BUILDINGS:
            roster_repo.save_building(Building(None, f"Building {code}", code, "K-12"))
        _journal(fd, "setup")
    counter = 0
    while True:
        counter += 1
        choice = rng.random()
        tag = f"{seed}x{counter}"
        if choice < 0.35:
            path = _write_import_file(folder, tag)
            import_roster(path)
            _journal(fd, f"import {tag} {IMPORT_ROWS}")
            path.unlink(missing_ok=True)
        elif choice < 0.45:
            path = _write_calls_file(folder, tag)
            from sro_desk.services.calls_import import import_calls

            import_calls(path)
            _journal(fd, f"calls {tag} {CALL_ROWS}")
            path.unlink(missing_ok=True)
        elif choice < 0.75:
            staff = roster_repo.list_staff()
            if staff:
                member = rng.choice(staff)
                saved = roster_repo.save_staff(replace(member, phone=f"E{seed:010d}{counter:06d}"), reason="crash test edit")
                _journal(fd, f"edit {saved.id} {saved.phone}")
        elif choice < 0.90:
            member = StaffMember(None, "Single", f"Person{tag}", Role.SCHOOL_SECURITY, False, provider.id, badge_number=f"S-{tag}")
            saved = roster_repo.save_staff(member)
            _journal(fd, f"create {saved.id} {saved.last_name}")
        elif choice < 0.96:
            settings.set_setting("crash.last", tag)
            _journal(fd, f"setting {tag}")
        else:
            data = b"%PDF-1.4\n" + os.urandom(rng.randint(1_000, 200_000)) + b"\n%%EOF\n"
            info = attachments.store_attachment(f"evidence-{tag}.pdf", data)
            _journal(fd, f"attachment {info.id} {info.sha256}")


def serve(db_path: str, journal_path: str, seed: int) -> None:  # pragma: no cover - runs in a child
    # Warm up: import everything the children use, so a fork starts writing at once.
    import sro_desk.services.calls_import
    import sro_desk.services.roster_import
    import sro_desk.store.attachments
    import sro_desk.store.database
    import sro_desk.store.settings  # noqa: F401

    print("ready", flush=True)
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        if parts[0] in ("work", "fresh"):
            target = db_path if parts[0] == "work" else parts[1]
            round_seed = int(parts[-1]) + seed * 1_000_000
            pid = os.fork()
            if pid == 0:
                code = 0
                try:
                    sys.stdin.close()
                    journal = journal_path if parts[0] == "work" else f"{target}.journal"
                    _work(target, journal, round_seed, fresh=parts[0] == "fresh")
                except BaseException as error:  # a failure in the child is reported, not hidden
                    sys.stderr.write(f"worker failed: {error!r}\n")
                    sys.stderr.flush()
                    with open(Path(journal_path).with_name("worker-errors.txt"), "a", encoding="utf-8") as fh:
                        fh.write(f"{error!r}\n")
                    code = 3
                os._exit(code)
            print(pid, flush=True)
        elif parts[0] == "reap":
            _, status = os.waitpid(int(parts[1]), 0)
            print(status, flush=True)
        elif parts[0] == "quit":
            break


if __name__ == "__main__":  # pragma: no cover
    serve(sys.argv[1], sys.argv[2], int(sys.argv[3]))
