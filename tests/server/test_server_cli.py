"""`sro-desk server …` as district IT runs it, and every way a connection fails, each in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import peewee
import psycopg
import pytest

from sro_desk.cli import main
from sro_desk.store.server_connection import (
    PasswordNeeded,
    ServerAddress,
    ServerUnavailable,
    open_server,
)
from tests.server.cluster import Cluster


def _owner(cluster: Cluster, db: peewee.PostgresqlDatabase) -> str:
    return cluster.conninfo(dbname=db.database)


def test_init_twice_then_people_push_and_snapshot(
    pg_cluster: Cluster, pg_database: peewee.PostgresqlDatabase, _demo_template: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = _owner(pg_cluster, pg_database)
    laptop = tmp_path / "district.db"
    shutil.copyfile(_demo_template, laptop)
    assert main(["server", "init", "--server", server]) == 0
    assert "Server ready" in capsys.readouterr().out
    assert main(["server", "init", "--server", server]) == 0  # safe to run twice
    assert "already current" in capsys.readouterr().out
    assert main(["server", "push", str(laptop), "--server", server, "--reason", "Moving in"]) == 0
    assert "Moved" in capsys.readouterr().out
    monkeypatch.setenv("SRO_DESK_NEW_USER_PASSWORD", "a long first password")
    assert main(["server", "user-add", "osei", "--role", "principal", "--building", "RMS",
                 "--name", "Helen Osei", "--server", server]) == 0
    assert "osei can now sign in as principal" in capsys.readouterr().out
    assert main(["server", "user-add", "lee", "--role", "principal", "--server", server]) == 2
    assert "needs their building" in capsys.readouterr().err
    assert main(["server", "user-add", "kim", "--role", "principal", "--building", "NOPE", "--server", server]) == 2
    assert "no building with the code 'NOPE'" in capsys.readouterr().err
    assert main(["server", "users", "--server", server]) == 0
    assert "osei" in capsys.readouterr().out
    # the principal signs in with the password set for them and sees only their building
    with psycopg.connect(pg_cluster.conninfo(dbname=pg_database.database, user="osei"),
                         password="a long first password") as osei:
        codes = {r[0] for r in osei.execute(
            "SELECT DISTINCT b.code FROM call_record c JOIN building_record b ON b.id = c.building_id")}
        assert codes == {"RMS"}
    copy = tmp_path / "offline.db"
    assert main(["server", "snapshot", str(copy), "--server", server]) == 0
    assert main(["check", "--db", str(copy)]) == 0


def test_a_wrong_password_a_missing_one_and_a_missing_database_are_said_in_words(
    pg_cluster: Cluster, pg_database: peewee.PostgresqlDatabase, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server = _owner(pg_cluster, pg_database)
    assert main(["server", "init", "--server", server]) == 0
    monkeypatch.setenv("SRO_DESK_NEW_USER_PASSWORD", "the right password")
    assert main(["server", "user-add", "board", "--role", "viewer", "--server", server]) == 0
    capsys.readouterr()
    as_board = pg_cluster.conninfo(dbname=pg_database.database, user="board")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    assert main(["server", "users", "--server", as_board]) == 2
    err = capsys.readouterr().err
    assert "asks for a password: set PGPASSWORD" in err and "Traceback" not in err
    monkeypatch.setenv("PGPASSWORD", "not it")
    assert main(["server", "users", "--server", as_board]) == 2
    assert "did not accept that password for board" in capsys.readouterr().err
    monkeypatch.setenv("PGPASSWORD", "the right password")
    with pytest.raises(ServerUnavailable, match="no database 'nowhere'"):
        open_server(ServerAddress.parse(pg_cluster.conninfo(dbname="nowhere", user="board")))
    with pytest.raises(PasswordNeeded):
        monkeypatch.delenv("PGPASSWORD")
        open_server(ServerAddress.parse(as_board))


def test_a_server_that_is_not_there_and_a_tls_mismatch_are_said_in_words(
    pg_cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    gone = f"host={tmp_path} port=5999 dbname=sro user=coord connect_timeout=2"
    assert main(["server", "users", "--server", gone]) == 2
    assert "could not be reached" in capsys.readouterr().err
    # the test server speaks no TLS: a laptop that requires it refuses to go on without it
    tls = pg_cluster.conninfo(dbname="postgres", tcp=True, sslmode="require", connect_timeout="2")
    with pytest.raises(ServerUnavailable, match="secure connection"):
        open_server(ServerAddress.parse(tls), "x")


def test_an_address_never_carries_a_password_and_needs_a_database() -> None:
    from sro_desk.domain.errors import ValidationError

    with pytest.raises(ValidationError, match="Leave the password out"):
        ServerAddress.parse("postgresql://coord:secret@db.cvsd.org/sro")
    with pytest.raises(ValidationError, match="database name"):
        ServerAddress.parse("host=db.cvsd.org user=coord")
    with pytest.raises(ValidationError, match="not a server address"):
        ServerAddress.parse("host=db.cvsd.org = =")
    address = ServerAddress.parse("postgresql://coord@db.cvsd.org:5433/sro?sslmode=verify-full")
    assert address.describe() == "coord@db.cvsd.org:5433/sro"
    assert address.get("sslmode") == "verify-full"
