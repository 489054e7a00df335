"""Reaching the district's PostgreSQL server, and saying in words why it could not be reached.

The address is a libpq connection URL or key=value string (host, port, dbname, user, sslmode up to
verify-full with sslrootcert). The password is never part of it: libpq finds it in PGPASSWORD or
~/.pgpass, or the caller asks the person and passes it here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import peewee
import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from sro_desk.domain.errors import SroDeskError, ValidationError

#: a connected handle on the district's server, as services pass it around
ServerDatabase = peewee.PostgresqlDatabase


class ServerUnavailable(SroDeskError):
    """The server could not be reached, or refused the sign-in: said in one line."""


class PasswordNeeded(ServerUnavailable):
    """The server asks for a password that was not given."""


@dataclass(frozen=True)
class ServerAddress:
    """Where the district's database is: a value, like a file path for a laptop database."""

    params: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> ServerAddress:
        try:
            params = conninfo_to_dict(text.strip())
        except psycopg.ProgrammingError as error:
            raise ValidationError(f"'{text}' is not a server address: {error}") from None
        if "password" in params:
            raise ValidationError(
                "Leave the password out of the server address: SRO Desk asks for it, or reads "
                "PGPASSWORD, so it never stands in a command line or a saved profile.")
        if not params.get("dbname"):
            raise ValidationError("The server address needs the database name (dbname=… or …/NAME).")
        return cls(tuple(sorted((k, str(v)) for k, v in params.items() if v is not None)))

    def get(self, key: str, default: str = "") -> str:
        return dict(self.params).get(key, default)

    @property
    def database(self) -> str:
        return self.get("dbname")

    def describe(self) -> str:
        """"coordinator@db.district.org:5432/sro" for the title bar and status line."""
        host = self.get("host", "localhost")
        user = self.get("user")
        port = self.get("port")
        return f"{user + '@' if user else ''}{host}{':' + port if port else ''}/{self.database}"

    def conninfo(self, password: str | None = None) -> str:
        params: dict[str, Any] = dict(self.params)
        if password:
            params["password"] = password
        return make_conninfo(**params)


def explain(error: BaseException, address: ServerAddress) -> ServerUnavailable:
    """One line in words for a connection failure: wrong password, no server, TLS, no database."""
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    lowered = str(error).lower()
    where = address.describe()
    sqlstate = getattr(error, "sqlstate", None)
    if "no password supplied" in lowered:
        return PasswordNeeded(f"The server {where} asks for a password.")
    if sqlstate == "28P01" or "password authentication failed" in lowered:
        return ServerUnavailable(
            f"The server {where} did not accept that password for {address.get('user') or 'you'} "
            "(or the sign-in has expired).")
    if sqlstate == "3D000" or ("database" in lowered and "does not exist" in lowered):
        return ServerUnavailable(f"There is no database '{address.database}' on the server {where}.")
    if "role" in lowered and "does not exist" in lowered:
        return ServerUnavailable(f"The server {where} has no sign-in named '{address.get('user')}'.")
    if sqlstate == "28000" or "permission denied for database" in lowered or "no pg_hba.conf entry" in lowered:
        return ServerUnavailable(f"The server {where} does not let this sign-in connect: {text}")
    if "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        return ServerUnavailable(f"A secure connection to {where} could not be made: {text}")
    return ServerUnavailable(f"The server {where} could not be reached: {text}")


def open_server(address: ServerAddress, password: str | None = None) -> peewee.PostgresqlDatabase:
    """A connected peewee handle on the server, or ServerUnavailable in words."""
    params: dict[str, Any] = {k: v for k, v in address.params if k != "dbname"}
    if password:
        params["password"] = password
    db = peewee.PostgresqlDatabase(address.database, prefer_psycopg3=True, autoconnect=False, **params)
    try:
        db.connect()
    except (peewee.OperationalError, peewee.InterfaceError, psycopg.OperationalError) as error:
        raise explain(error.__cause__ or error, address) from None
    return db


def admin_connection(address: ServerAddress, password: str | None = None) -> psycopg.Connection[Any]:
    """A plain autocommit connection for setting up roles and policies."""
    try:
        return psycopg.connect(address.conninfo(password), autocommit=True)
    except psycopg.OperationalError as error:
        raise explain(error, address) from None


def raw_connection(db: peewee.PostgresqlDatabase) -> psycopg.Connection[Any]:
    """The psycopg connection under a peewee handle, for statements peewee has no words for."""
    return cast("psycopg.Connection[Any]", db.connection())
