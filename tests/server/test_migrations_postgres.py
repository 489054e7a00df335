"""The numbered migrations run on PostgreSQL too, and give exactly the live models' schema there.

One set of migration files serves both engines (ARCHITECTURE.md); this is the drift test of
tests/store/test_migrations.py on the server engine.
"""

from __future__ import annotations

import peewee
from playhouse.schema_diff import diff_models

from sro_desk.store.base import all_record_classes
from sro_desk.store.database import migration_names
from sro_desk.store.layout import HISTORY_TABLE
from tests.server.conftest import migrate as _migrate


def test_every_migration_runs_on_postgres_without_drift(pg_database: peewee.PostgresqlDatabase) -> None:
    assert _migrate(pg_database) == migration_names()
    with pg_database.connection_context():
        tables = set(pg_database.get_tables())
        expected = {model._meta.table_name for model in all_record_classes()}
        assert expected <= tables and HISTORY_TABLE in tables
        diff = diff_models(pg_database, all_record_classes())
        assert not diff, f"schema drift between migrations and models on PostgreSQL:\n{diff}"


def test_migrating_twice_runs_nothing_twice(pg_database: peewee.PostgresqlDatabase) -> None:
    assert _migrate(pg_database)
    assert _migrate(pg_database) == []


def test_the_drift_check_sees_a_difference_on_postgres(pg_database: peewee.PostgresqlDatabase) -> None:
    """The drift test above would fail: a column the models have and the database lacks is seen."""
    _migrate(pg_database)
    model = next(m for m in all_record_classes() if m._meta.table_name == "staff_record")
    with pg_database.connection_context():
        pg_database.execute_sql('ALTER TABLE staff_record DROP COLUMN "notes"')
        assert diff_models(pg_database, [model])
