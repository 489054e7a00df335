"""The server half: a throwaway PostgreSQL cluster per test session, a fresh database per test.

Without PostgreSQL's server programs these tests are skipped (the report header says so in one
line); `.ci/run` installs them and sets SRO_DESK_REQUIRE_POSTGRES=1, so CI never skips this half.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from typing import Any

import peewee
import pytest
from playhouse.migrations import Runner

from sro_desk.store.base import database_proxy
from sro_desk.store.database import MIGRATIONS_DIR
from tests.server.cluster import Cluster, running_cluster, server_bin

_names = itertools.count(1)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    if server_bin() is None:
        if os.environ.get("SRO_DESK_REQUIRE_POSTGRES"):
            pytest.fail("PostgreSQL is required here (SRO_DESK_REQUIRE_POSTGRES) but is not installed")
        pytest.skip("PostgreSQL is not installed: the server half is skipped")
    with running_cluster() as cluster:
        yield cluster


@pytest.fixture
def pg_admin(pg_cluster: Cluster) -> Iterator[object]:
    """A superuser connection (autocommit) for creating databases and roles, as district IT would."""
    import psycopg

    with psycopg.connect(pg_cluster.conninfo(), autocommit=True) as conn:
        yield conn


@pytest.fixture
def pg_database(pg_cluster: Cluster, pg_admin: object) -> Iterator[peewee.PostgresqlDatabase]:
    """An empty database of its own, as `createdb` gives a district, and a peewee handle on it."""
    name = f"sro_test_{os.getpid()}_{next(_names)}"
    pg_admin.execute(f'CREATE DATABASE "{name}"')  # type: ignore[attr-defined]
    db = peewee.PostgresqlDatabase(name, host=str(pg_cluster.socket_dir), port=pg_cluster.port,
                                   user=pg_cluster.superuser, prefer_psycopg3=True)
    try:
        yield db
    finally:
        db.close()
        _drop(pg_admin, name)


def _drop(admin: Any, name: str) -> None:
    """The database, then its people's sign-ins and its groups (roles belong to the whole cluster)."""
    from sro_desk.store.server_security import PEOPLE, ServerRole, group_name

    logins = [r[0] for r in admin.execute(
        "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
        "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = %s", (group_name(name, PEOPLE),)).fetchall()]
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for role in [*logins, *(group_name(name, r) for r in [*ServerRole, PEOPLE])]:
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')


def migrate(db: peewee.PostgresqlDatabase) -> list[str]:
    """Run the numbered migrations on a server database (the same files a laptop file runs)."""
    previous = database_proxy.obj
    database_proxy.initialize(db)
    try:
        with db.connection_context():
            return list(Runner(db, directory=str(MIGRATIONS_DIR)).up())
    finally:
        database_proxy.initialize(previous)


@pytest.fixture
def pg_store(pg_database: peewee.PostgresqlDatabase) -> Iterator[peewee.PostgresqlDatabase]:
    """A migrated server database bound to the store, connected as its owner."""
    from sro_desk.store.audit import set_actor

    migrate(pg_database)
    previous = database_proxy.obj
    database_proxy.initialize(pg_database)
    pg_database.connect()
    set_actor("district-owner")
    try:
        yield pg_database
    finally:
        set_actor(None)
        pg_database.close()
        database_proxy.initialize(previous)
