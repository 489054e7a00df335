"""What a database file of this version looks like: its header and the migrations that shape it.

Shared, without peewee, by the store modules (``database``, ``connection``).
"""

from __future__ import annotations

import re
from pathlib import Path

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
HISTORY_TABLE = "schema_migration"  # playhouse.migrations.Runner's history table


def migration_names(folder: Path = MIGRATIONS_DIR) -> list[str]:
    """The migrations this version of the program knows, in order."""
    return sorted(p.stem for p in folder.glob("[0-9]*.py") if re.match(r"^\d{4}_", p.stem))
