"""Each person's rights, proved from plain SQL outside the program, as a curious principal would try.

The district's data is written through the store (as its owner); then each person connects with
psycopg, not through SRO Desk, and the server itself decides what they see and may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import peewee
import psycopg
import pytest

from sro_desk.domain.errors import ValidationError
from sro_desk.domain.roster import Building, Provider, ProviderKind
from sro_desk.store import roster_repo
from sro_desk.store.server_security import (
    Member,
    ServerRole,
    add_member,
    apply_security,
    assign_complaint,
    link_panelist,
    members,
)
from tests.server.cluster import Cluster

NOW = dt.datetime(2026, 11, 26, 9, 0)


def _insert(conn: psycopg.Connection[Any], table: str, **values: object) -> int:
    columns = ", ".join(values)
    marks = ", ".join(["%s"] * len(values))
    row = conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING id",
                       list(values.values())).fetchone()
    assert row is not None
    return int(row[0])


def _call(conn: psycopg.Connection[Any], building: int, ref: str) -> int:
    call = _insert(conn, "call_record", ref=ref, occurred_on=dt.date(2026, 10, 5), building_id=building,
                   location="on campus", initiated_by="SRO", emergency=False, offense_type="assault",
                   description="", outcome="handled informally", source="", created_at=NOW)
    _insert(conn, "call_student_record", call_id=call, position=1, age=14, gender="female", race="White",
            iep=True, section_504=False, outcome="handled informally", use_of_force=False, discipline=False)
    return call


def _complaint(conn: psycopg.Connection[Any], building: int) -> int:
    return _insert(conn, "complaint_record", received_on=dt.date(2026, 10, 6), channel="email",
                   category="other", building_id=building, description="A complaint", anonymous=False,
                   complainant_name="A. Parent", complainant_contact="", language_assistance=False,
                   language="", stage="received", investigator="", finding="", determination_summary="",
                   appellant="", appeal_finding="", appeal_summary="", closure_note="")


@pytest.fixture
def district(pg_store: peewee.PostgresqlDatabase, pg_cluster: Cluster) -> Iterator[dict[str, Any]]:
    """Two buildings with a person, a call with a student and a complaint each; then the server's rights."""
    rms = roster_repo.save_building(Building(None, "Ridge Middle School", "RMS"))
    hs = roster_repo.save_building(Building(None, "Cedar Valley High School", "CVHS"))
    police = roster_repo.save_provider(Provider(None, "Cedar Valley PD", ProviderKind.POLICE))
    assert rms.id and hs.id and police.id
    owner = psycopg.connect(pg_cluster.conninfo(dbname=pg_store.database), autocommit=True)
    ids: dict[str, Any] = {"rms": rms.id, "hs": hs.id, "owner": owner}
    for key, first, last, building in (("sro", "Daniel", "Okafor", rms.id), ("other", "Maria", "Lopez", hs.id)):
        ids[key] = _insert(owner, "staff_record", first_name=first, last_name=last, role="sro",
                           commissioned=True, provider_id=police.id, badge_number="", phone="", email="",
                           status="active", notes="", created_at=NOW)
        _insert(owner, "staff_assignment_record", staff_id=ids[key], building_id=building, days_per_week=5)
    ids["rms_call"], ids["hs_call"] = _call(owner, rms.id, "R-1"), _call(owner, hs.id, "H-1")
    ids["rms_complaint"], ids["hs_complaint"] = _complaint(owner, rms.id), _complaint(owner, hs.id)
    round_id = _insert(owner, "hiring_round_record", position="SRO", agency="Cedar Valley PD", building="RMS",
                       status="scoring", notes="", created_at=NOW)
    candidate = _insert(owner, "hiring_candidate_record", round_id=round_id, name="Candidate A",
                        current_assignment="Patrol", notes="")
    question = _insert(owner, "hiring_question_record", round_id=round_id, position=1, text="Why schools?",
                       competency="", provided_by="", weight="standard", weight_reason="", anchors="")
    for name in ("erin", "luis"):
        panelist = _insert(owner, "hiring_panelist_record", round_id=round_id, name=name.title(),
                           organization="district", role="panelist", district_voting=True)
        ids[f"{name}_panelist"] = panelist
        _insert(owner, "hiring_score_record", panelist_id=panelist, candidate_id=candidate, question_id=question,
                value=3 if name == "erin" else 4, comment=f"{name}'s note", justification="", entry="typed",
                updated_at=NOW)
    apply_security(owner)
    add_member(owner, Member("osei", ServerRole.PRINCIPAL, rms.id, "Helen Osei"), _password("osei"))
    add_member(owner, Member("whitman", ServerRole.PRINCIPAL, hs.id, "Andrea Whitman"), _password("whitman"))
    add_member(owner, Member("coord", ServerRole.COORDINATOR, None, "Pat Coordinator"), _password("coord"))
    add_member(owner, Member("board", ServerRole.VIEWER, None, "Board clerk"), _password("board"))
    add_member(owner, Member("erin", ServerRole.PANELIST, None, "Erin"), _password("erin"))
    link_panelist(owner, "erin", ids["erin_panelist"])
    assign_complaint(owner, "osei", ids["rms_complaint"])
    try:
        yield ids
    finally:
        owner.close()


def _password(user: str) -> str:
    return f"{user}'s own passphrase"


def _as(cluster: Cluster, db: peewee.PostgresqlDatabase, user: str) -> psycopg.Connection[Any]:
    return psycopg.connect(cluster.conninfo(dbname=db.database, user=user), password=_password(user),
                           autocommit=True)


def _ids(conn: psycopg.Connection[Any], query: str) -> set[int]:
    return {int(r[0]) for r in conn.execute(query).fetchall()}


def test_a_principal_reads_only_their_buildings_students_from_plain_sql(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    with _as(pg_cluster, pg_store, "osei") as osei:
        assert _ids(osei, "SELECT id FROM call_record") == {district["rms_call"]}
        students = osei.execute("SELECT call_id FROM call_student_record").fetchall()
        assert students == [(district["rms_call"],)]
        assert _ids(osei, "SELECT id FROM staff_record") == {district["sro"]}
        assert _ids(osei, "SELECT id FROM building_record") == {district["rms"], district["hs"]}
        # asking for the other building's rows by id finds nothing, not an error that confirms them
        assert osei.execute("SELECT * FROM call_student_record WHERE call_id = %s",
                            (district["hs_call"],)).fetchall() == []


def test_a_principal_cannot_write_into_another_building(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    with _as(pg_cluster, pg_store, "osei") as osei:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            _call(osei, district["hs"], "H-2")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            osei.execute("UPDATE call_record SET building_id = %s WHERE id = %s",
                         (district["hs"], district["rms_call"]))  # moving a call out of reach
    with _as(pg_cluster, pg_store, "whitman") as whitman:
        gone = whitman.execute("DELETE FROM call_record WHERE id = %s", (district["rms_call"],))
        assert gone.rowcount == 0
        assert _ids(whitman, "SELECT id FROM call_record") == {district["hs_call"]}


def test_a_principal_sees_only_complaints_assigned_to_them(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    with _as(pg_cluster, pg_store, "osei") as osei:
        assert _ids(osei, "SELECT id FROM complaint_record") == {district["rms_complaint"]}
    with _as(pg_cluster, pg_store, "whitman") as whitman:
        assert _ids(whitman, "SELECT id FROM complaint_record") == set()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            whitman.execute("SELECT * FROM sro_complaint_assignment")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            whitman.execute("SELECT * FROM audit_record")


def test_a_panelist_sees_their_own_scores_only(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    with _as(pg_cluster, pg_store, "erin") as erin:
        rows = erin.execute("SELECT panelist_id, value, comment FROM hiring_score_record").fetchall()
        assert rows == [(district["erin_panelist"], 3, "erin's note")]
        assert _ids(erin, "SELECT id FROM hiring_panelist_record") == {district["erin_panelist"]}
        changed = erin.execute("UPDATE hiring_score_record SET value = 1 WHERE panelist_id = %s",
                               (district["luis_panelist"],))
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            erin.execute("SELECT * FROM call_record")


def test_the_coordinator_sees_everything_and_a_viewer_changes_nothing(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    with _as(pg_cluster, pg_store, "coord") as coord:
        assert _ids(coord, "SELECT id FROM call_record") == {district["rms_call"], district["hs_call"]}
        assert len(coord.execute("SELECT * FROM hiring_score_record").fetchall()) == 2
        assert {m.role_name for m in members(coord)} >= {"osei", "whitman", "erin"}
    with _as(pg_cluster, pg_store, "board") as board:
        assert _ids(board, "SELECT id FROM call_record") == {district["rms_call"], district["hs_call"]}
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            board.execute("DELETE FROM call_record")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            board.execute("SELECT * FROM hiring_score_record")


def test_no_one_writes_the_audit_chain_in_another_persons_name(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    entry = {"at": "2026-11-26T17:00:00+00:00", "action": "create", "record_type": "call",
             "record_id": "1", "changes": "{}", "prev_hash": "x", "entry_hash": "y"}
    for person in ("osei", "coord"):
        with _as(pg_cluster, pg_store, person) as conn:
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
                conn.execute("INSERT INTO audit_record (actor, at, action, record_type, record_id, changes, "
                             "prev_hash, entry_hash) VALUES ('someone else', %(at)s, %(action)s, "
                             "%(record_type)s, %(record_id)s, %(changes)s, %(prev_hash)s, %(entry_hash)s)", entry)
            conn.execute("INSERT INTO audit_record (actor, at, action, record_type, record_id, changes, "
                         "prev_hash, entry_hash) VALUES (session_user, %(at)s, %(action)s, %(record_type)s, "
                         "%(record_id)s, %(changes)s, %(prev_hash)s, %(entry_hash)s)", entry)
            head = conn.execute("SELECT * FROM sro_audit_head()").fetchone()
            assert head is not None and head[1] == "y"
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute("DELETE FROM audit_record")


def test_setting_up_the_rights_twice_changes_nothing(
    district: dict[str, Any], pg_cluster: Cluster, pg_store: peewee.PostgresqlDatabase
) -> None:
    apply_security(district["owner"])
    with _as(pg_cluster, pg_store, "osei") as osei:
        assert _ids(osei, "SELECT id FROM call_record") == {district["rms_call"]}


def test_sign_in_names_and_scopes_are_checked_in_words(district: dict[str, Any]) -> None:
    owner = district["owner"]
    with pytest.raises(ValidationError, match="needs their building"):
        add_member(owner, Member("nobuilding", ServerRole.PRINCIPAL, None), _password("nobuilding"))
    with pytest.raises(ValidationError, match="cannot be a sign-in name"):
        add_member(owner, Member("bad name; DROP TABLE x", ServerRole.VIEWER), None)
    with pytest.raises(ValidationError, match="already a sign-in"):
        add_member(owner, Member("osei", ServerRole.VIEWER), None)
    with pytest.raises(ValidationError, match="not a role"):
        ServerRole.from_word("janitor")
    assert ServerRole.from_word("Principal") is ServerRole.PRINCIPAL
    assert ServerRole.from_word("hiring") is ServerRole.HIRING
