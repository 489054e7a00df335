"""Who may see and change what on the district's PostgreSQL server, enforced by the server itself.

Each person signs in as their own PostgreSQL role, a member of one of five group roles. Table
privileges (GRANT) say which tables a group may touch at all; row-level security policies say
which rows. Hiding a button is never the protection: a principal who connects with psql sees
exactly what the program would show them, their building and nothing else.

The schema's tables belong to the district's owner role (the one that runs ``server init``);
owners are not subject to row security, people are. Everything here is safe to run twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from psycopg import Connection, sql

from sro_desk.domain.errors import ValidationError


class ServerRole(StrEnum):
    """The rights a person has on the server; each is a group role of the district's database."""

    COORDINATOR = "coordinator"  # everything
    PRINCIPAL = "principal"  # their building's staff, meetings, calls and incidents
    HIRING = "hiring"  # hiring rounds
    PANELIST = "panelist"  # their own score sheet in rounds they sit on
    VIEWER = "viewer"  # reports and exports, read-only

    @property
    def label(self) -> str:
        return "hiring coordinator" if self is ServerRole.HIRING else self.value

    @classmethod
    def from_word(cls, word: str) -> ServerRole:
        wanted = word.strip().lower().replace("-", " ").replace("_", " ")
        for role in cls:
            if wanted in (role.value, role.label):
                return role
        raise ValidationError(
            f"'{word}' is not a role; use one of: " + ", ".join(r.label for r in cls) + ".")


#: every person's role is also a member of this one (connect, schema usage, sequences, the audit chain)
PEOPLE = "people"


def group_name(database: str, role: ServerRole | str) -> str:
    """Roles belong to the whole PostgreSQL cluster, so each database's groups carry its name:
    a viewer of one district's database is nobody on another's."""
    return f"sro_{database}_{role}"[:63]

#: what everyone signed in may read: the district's shape, not its people
REFERENCE_TABLES = (
    "building_record", "provider_record", "school_year_record", "calendar_year_record",
    "non_school_day_record", "setting_record", "call_label_record", "schema_migration",
)

_READ, _WRITE = "SELECT", "SELECT, INSERT, UPDATE, DELETE"


@dataclass(frozen=True)
class Rule:
    """One group's rights on one table: privileges, and the rows they reach (None: every row)."""

    privileges: str
    rows: str | None = None


_MY_BUILDING = "building_id = sro_building()"
_MY_STAFF = "sro_staff_in_my_building(staff_id)"

# The principal's building scope, table by table. Complaints only when assigned to them.
_PRINCIPAL: dict[str, Rule] = {
    "staff_record": Rule(_READ, "sro_staff_in_my_building(id)"),
    "staff_assignment_record": Rule(_READ, _MY_BUILDING),
    "training_completion_record": Rule(_READ, _MY_STAFF),
    "training_waiver_record": Rule(_READ, _MY_STAFF),
    "esd_documentation_record": Rule(_READ, _MY_STAFF),
    "call_record": Rule(_WRITE, _MY_BUILDING),
    "call_student_record": Rule(_WRITE, "sro_call_in_my_building(call_id)"),
    "supervision_meeting_record": Rule(_WRITE, _MY_BUILDING),
    "prevention_activity_record": Rule(_WRITE, _MY_BUILDING),
    "building_start_of_year_record": Rule("SELECT, INSERT, UPDATE", _MY_BUILDING),
    "complaint_record": Rule("SELECT, UPDATE", "sro_my_complaint(id)"),
    "complaint_step_record": Rule("SELECT, INSERT", "sro_my_complaint(complaint_id)"),
    "complaint_staff_record": Rule(_READ, "sro_my_complaint(complaint_id)"),
    "complaint_extension_record": Rule(_READ, "sro_my_complaint(complaint_id)"),
    "deadline_change_record": Rule(_READ, "sro_my_complaint(complaint_id)"),
}

_HIRING_TABLES = (
    "hiring_round_record", "hiring_candidate_record", "hiring_question_record",
    "hiring_panelist_record", "hiring_score_record", "hiring_consensus_record",
    "hiring_decision_record", "hiring_panelist_pin_record", "hiring_sheet_import_record",
)

# A panelist sees the round, its candidates and questions, their own panelist row and their own
# scores: never another panelist's, so the panel stays blind.
_PANELIST: dict[str, Rule] = {
    "hiring_round_record": Rule(_READ, "sro_sits_on(id)"),
    "hiring_candidate_record": Rule(_READ, "sro_sits_on(round_id)"),
    "hiring_question_record": Rule(_READ, "sro_sits_on(round_id)"),
    "hiring_panelist_record": Rule("SELECT, UPDATE", "sro_my_panelist(id)"),
    "hiring_score_record": Rule(_WRITE, "sro_my_panelist(panelist_id)"),
}

#: tables no one but the coordinator reads: the audit chain holds every field ever written
_COORDINATOR_ONLY = ("audit_record", "attachment_record", "sro_member",
                     "sro_complaint_assignment", "sro_panelist_login")

_SECRET_FROM_VIEWERS = ("hiring_score_record", "hiring_panelist_pin_record", *_COORDINATOR_ONLY)


def _rules(tables: Iterable[str]) -> dict[ServerRole, dict[str, Rule]]:
    everything = sorted(set(tables))
    rules: dict[ServerRole, dict[str, Rule]] = {
        # the audit chain is append-only for everyone, the coordinator included
        ServerRole.COORDINATOR: {t: Rule(_READ if t == "audit_record" else _WRITE) for t in everything},
        ServerRole.VIEWER: {t: Rule(_READ) for t in everything if t not in _SECRET_FROM_VIEWERS},
        ServerRole.PRINCIPAL: dict(_PRINCIPAL),
        ServerRole.HIRING: {t: Rule(_WRITE) for t in _HIRING_TABLES},
        ServerRole.PANELIST: dict(_PANELIST),
    }
    for role in (ServerRole.PRINCIPAL, ServerRole.HIRING, ServerRole.PANELIST):
        for table in REFERENCE_TABLES:
            rules[role].setdefault(table, Rule(_READ))
    rules[ServerRole.HIRING].setdefault("staff_record", Rule(_READ))
    for role_rules in rules.values():
        for table in [t for t in role_rules if t not in everything]:
            del role_rules[table]
    return rules


_MEMBER_TABLES = """
CREATE TABLE IF NOT EXISTS sro_member (
    role_name name PRIMARY KEY,
    role text NOT NULL,
    building_id integer REFERENCES building_record (id) ON DELETE RESTRICT,
    full_name text NOT NULL DEFAULT '',
    added_at timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'principal' OR building_id IS NOT NULL)
);
CREATE TABLE IF NOT EXISTS sro_complaint_assignment (
    role_name name NOT NULL REFERENCES sro_member (role_name) ON DELETE CASCADE,
    complaint_id integer NOT NULL REFERENCES complaint_record (id) ON DELETE CASCADE,
    PRIMARY KEY (role_name, complaint_id)
);
CREATE TABLE IF NOT EXISTS sro_panelist_login (
    role_name name NOT NULL REFERENCES sro_member (role_name) ON DELETE CASCADE,
    panelist_id integer NOT NULL REFERENCES hiring_panelist_record (id) ON DELETE CASCADE,
    PRIMARY KEY (role_name, panelist_id)
);
"""

# The row tests policies call. SECURITY DEFINER: they read the membership tables as the owner,
# which no person can read directly; each answers only about the person signed in.
_FUNCTIONS = """
CREATE OR REPLACE FUNCTION sro_building() RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT building_id FROM sro_member WHERE role_name = session_user $$;
CREATE OR REPLACE FUNCTION sro_staff_in_my_building(p_staff integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM staff_assignment_record a
                  WHERE a.staff_id = p_staff AND a.building_id = sro_building()) $$;
CREATE OR REPLACE FUNCTION sro_call_in_my_building(p_call integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM call_record c WHERE c.id = p_call AND c.building_id = sro_building()) $$;
CREATE OR REPLACE FUNCTION sro_my_complaint(p_complaint integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM sro_complaint_assignment a
                  WHERE a.role_name = session_user AND a.complaint_id = p_complaint) $$;
CREATE OR REPLACE FUNCTION sro_my_panelist(p_panelist integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM sro_panelist_login l
                  WHERE l.role_name = session_user AND l.panelist_id = p_panelist) $$;
CREATE OR REPLACE FUNCTION sro_sits_on(p_round integer) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT EXISTS (SELECT 1 FROM sro_panelist_login l JOIN hiring_panelist_record p ON p.id = l.panelist_id
                  WHERE l.role_name = session_user AND p.round_id = p_round) $$;
CREATE OR REPLACE FUNCTION sro_audit_head() RETURNS TABLE (id integer, entry_hash text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
$$ SELECT id, entry_hash FROM audit_record ORDER BY id DESC LIMIT 1 $$;
"""


def _statements(database: str, tables: list[str]) -> list[sql.SQL | sql.Composed]:
    statements: list[sql.SQL | sql.Composed] = []

    def group(role: ServerRole | str) -> sql.Identifier:
        return sql.Identifier(group_name(database, role))

    for role in [*ServerRole, PEOPLE]:
        name = group_name(database, role)
        statements.append(sql.SQL(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN "
            "CREATE ROLE {ident} NOLOGIN; END IF; END $$").format(
                lit=sql.Literal(name), ident=sql.Identifier(name)))
    statements.append(sql.SQL(_MEMBER_TABLES))
    statements.append(sql.SQL(_FUNCTIONS))
    everyone = group(PEOPLE)
    statements.append(sql.SQL("REVOKE CONNECT ON DATABASE {} FROM PUBLIC").format(sql.Identifier(database)))
    statements.append(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(database), everyone))
    statements.append(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(everyone))
    statements.append(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {}").format(everyone))
    statements.append(sql.SQL("REVOKE ALL ON FUNCTION sro_audit_head() FROM PUBLIC"))
    statements.append(sql.SQL("GRANT EXECUTE ON FUNCTION sro_audit_head() TO {}").format(everyone))
    all_tables = [*tables, *("sro_member", "sro_complaint_assignment", "sro_panelist_login")]
    for table in all_tables:
        ident = sql.Identifier(table)
        statements.append(sql.SQL("ALTER TABLE {} ENABLE ROW LEVEL SECURITY").format(ident))
        statements.append(sql.SQL("REVOKE ALL ON {} FROM PUBLIC").format(ident))
        for role in [*ServerRole, PEOPLE]:
            statements.append(sql.SQL("REVOKE ALL ON {} FROM {}").format(ident, group(role)))
            statements.append(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(
                sql.Identifier(f"{role}_rows"), ident))
    for role, rules in _rules(all_tables).items():
        for table, rule in sorted(rules.items()):
            ident = sql.Identifier(table)
            statements.append(sql.SQL("GRANT {} ON {} TO {}").format(sql.SQL(rule.privileges), ident, group(role)))
            rows = sql.SQL(rule.rows or "true")
            statements.append(sql.SQL("CREATE POLICY {} ON {} TO {} USING ({}) WITH CHECK ({})").format(
                sql.Identifier(f"{role}_rows"), ident, group(role), rows, rows))
    # Everyone who writes appends to the audit chain, in their own name only: the actor is the
    # server's session_user, so no one can write in another person's name (a restrictive policy,
    # so no other policy can loosen it).
    audit = sql.Identifier("audit_record")
    statements.append(sql.SQL("GRANT INSERT ON {} TO {}").format(audit, everyone))
    for policy, kind, check in (("sro_people_append", "PERMISSIVE", "true"),
                                ("sro_people_own_name", "RESTRICTIVE", "actor = session_user::text")):
        statements.append(sql.SQL("DROP POLICY IF EXISTS {} ON {}").format(sql.Identifier(policy), audit))
        statements.append(sql.SQL("CREATE POLICY {} ON {} AS {} FOR INSERT TO {} WITH CHECK ({})").format(
            sql.Identifier(policy), audit, sql.SQL(kind), everyone, sql.SQL(check)))
    return statements


def app_tables(conn: Connection[Any]) -> list[str]:
    rows = conn.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT LIKE 'sro\\_%'"
    ).fetchall()
    return sorted(r[0] for r in rows)


def apply_security(conn: Connection[Any]) -> None:
    """Create the group roles, the membership tables, the row tests, grants and policies.

    Runs as the schema's owner, in one transaction, after the migrations; running it again
    rebuilds every grant and policy from this module (so a changed rule reaches old servers).
    """
    with conn.transaction():
        for statement in _statements(_database(conn), app_tables(conn)):
            conn.execute(statement)


def _database(conn: Connection[Any]) -> str:
    row = conn.execute("SELECT current_database()").fetchone()
    assert row is not None
    return str(row[0])


@dataclass(frozen=True)
class Member:
    role_name: str
    role: ServerRole
    building_id: int | None = None
    full_name: str = ""


def _check_role_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned or len(cleaned) > 63 or not all(c.isalnum() or c in "._-" for c in cleaned):
        raise ValidationError(
            f"'{name}' cannot be a sign-in name: use 1 to 63 letters, digits, '.', '_' or '-'.")
    if cleaned.lower().startswith(("sro_", "pg_")):
        raise ValidationError(f"'{name}' is reserved: sign-in names may not start with sro_ or pg_.")
    return cleaned


def add_member(conn: Connection[Any], member: Member, password: str | None) -> None:
    """Create a person's sign-in role in their group and record their scope (building)."""
    name = _check_role_name(member.role_name)
    if member.role is ServerRole.PRINCIPAL and member.building_id is None:
        raise ValidationError("A principal's sign-in needs their building.")
    with conn.transaction():
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (name,)).fetchone()
        if exists:
            raise ValidationError(f"There is already a sign-in named '{name}' on this server.")
        password_sql = sql.SQL(" PASSWORD {}").format(sql.Literal(password)) if password else sql.SQL("")
        database = _database(conn)
        conn.execute(sql.SQL("CREATE ROLE {} LOGIN{} IN ROLE {}, {}").format(
            sql.Identifier(name), password_sql, sql.Identifier(group_name(database, member.role)),
            sql.Identifier(group_name(database, PEOPLE))))
        conn.execute(
            "INSERT INTO sro_member (role_name, role, building_id, full_name) VALUES (%s, %s, %s, %s)",
            (name, str(member.role), member.building_id, member.full_name))


def assign_complaint(conn: Connection[Any], role_name: str, complaint_id: int) -> None:
    conn.execute("INSERT INTO sro_complaint_assignment VALUES (%s, %s) ON CONFLICT DO NOTHING",
                 (role_name, complaint_id))


def link_panelist(conn: Connection[Any], role_name: str, panelist_id: int) -> None:
    conn.execute("INSERT INTO sro_panelist_login VALUES (%s, %s) ON CONFLICT DO NOTHING",
                 (role_name, panelist_id))


def members(conn: Connection[Any]) -> list[Member]:
    rows = conn.execute("SELECT role_name, role, building_id, full_name FROM sro_member ORDER BY 1").fetchall()
    return [Member(r[0], ServerRole(r[1]), r[2], r[3]) for r in rows]


def building_id_for(conn: Connection[Any], code: str) -> int | None:
    row = conn.execute("SELECT id FROM building_record WHERE upper(code) = upper(%s)", (code.strip(),)).fetchone()
    return int(row[0]) if row else None
