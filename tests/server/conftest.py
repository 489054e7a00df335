"""The server half: a throwaway PostgreSQL cluster per test session, a fresh database per test.

Without PostgreSQL's server programs these tests are skipped (the report header says so in one
line); `.ci/run` installs them and sets SRO_DESK_REQUIRE_POSTGRES=1, so CI never skips this half.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import peewee
import pytest

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
        pg_admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[attr-defined]
