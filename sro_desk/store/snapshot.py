"""What the window's first paint needs, read with the standard ``sqlite3`` module alone.

Opening the store imports peewee and every record class and checks the file (tens of
milliseconds); the first paint needs only the district's name and the roster. For a file that is
plainly fine — a plain SQLite file of this program, with exactly the migrations this version
knows, a district that is set up — ``read_start_snapshot`` reads those read-only, and the program
opens the store just after the window is on screen, before it handles any input. At the least
doubt (no file, a protected or foreign file, an older or newer schema, no district yet, any SQLite
error) it returns ``None`` and the store is opened first, as always: every refusal and message
of ``open_database`` stays where it was. No peewee here.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sro_desk.domain.roster import Building, Provider, StaffMember
from sro_desk.store import layout, roster_rows

DISTRICT_NAME_KEY = "district.name"  # store.settings.DISTRICT_NAME, without importing the store


@dataclass(frozen=True)
class StartSnapshot:
    """The district and roster as the file held them when the program started."""

    path: Path
    district_name: str
    staff: tuple[StaffMember, ...]
    providers: tuple[Provider, ...]
    buildings: tuple[Building, ...]


def read_start_snapshot(path: Path) -> StartSnapshot | None:
    """The first paint's data from ``path``, or ``None`` when the store must be opened first."""
    # Any failure means no snapshot: it only saves time, and the store, opened instead, says in
    # words what is wrong with the file.
    try:
        with path.open("rb") as fh:
            if fh.read(len(layout.SQLITE_HEADER)) != layout.SQLITE_HEADER:
                return None  # empty, protected with a passphrase, or not a database at all
        connection = sqlite3.connect(f"file:{_uri_path(path)}?mode=ro", uri=True, timeout=0.2)
    except Exception:
        return None
    try:
        return _read(connection, path)
    except Exception:
        return None
    finally:
        connection.close()


def _uri_path(path: Path) -> str:
    return uri_text(path.resolve().as_posix())


def uri_text(posix: str) -> str:
    """A path (with forward slashes) for an SQLite ``file:`` URI: "/" before a Windows drive
    letter, "//" more before a network share's "//server" (else SQLite reads "server" as the
    URI's authority and refuses it), and "%", "?" and "#" escaped (the only characters SQLite's
    URI reader treats specially)."""
    if posix.startswith("//"):
        posix = "//" + posix
    elif not posix.startswith("/"):
        posix = "/" + posix
    return posix.replace("%", "%25").replace("?", "%3f").replace("#", "%23")


def _json_text(raw: str) -> str:
    """A setting's JSON value as text. A plain string with nothing escaped, the usual district
    name, is read as it stands; anything else goes through ``json`` (which the store loads next
    anyway, so start-up does not wait for it twice)."""
    inner = raw[1:-1]
    if len(raw) >= 2 and raw[0] == raw[-1] == '"' and "\\" not in inner and '"' not in inner:
        return inner
    import json

    return str(json.loads(raw) or "")


def _read(connection: sqlite3.Connection, path: Path) -> StartSnapshot | None:
    def execute(sql: str, params: Sequence[Any]) -> Iterable[Sequence[Any]]:
        return connection.execute(sql, tuple(params)).fetchall()

    applied = {str(row[0]) for row in execute(f'SELECT name FROM "{layout.HISTORY_TABLE}"', ())}
    if applied != set(layout.migration_names()):
        return None  # to be migrated, or written by a newer version: open_database decides
    rows = list(execute("SELECT value FROM setting_record WHERE key = ?", (DISTRICT_NAME_KEY,)))
    district = _json_text(str(rows[0][0])) if rows else ""
    if not district:
        return None  # not set up: the first-run questions need the store
    return StartSnapshot(
        path=path,
        district_name=district,
        staff=tuple(roster_rows.read_staff(execute)),
        providers=tuple(roster_rows.read_providers(execute)),
        buildings=tuple(roster_rows.read_buildings(execute)),
    )
