"""A throwaway PostgreSQL cluster for the server half of the suite.

initdb in a temporary folder, listening on a Unix socket in that folder and on 127.0.0.1 only (a
free loopback port, so nothing outside this machine can reach it), stopped and removed at the end. PostgreSQL refuses to
run as root, so as root (CI) the cluster runs as the `postgres` system account the distribution's
package creates.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def _free_loopback_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Cluster:
    socket_dir: Path
    port: int
    superuser: str
    version: str

    def conninfo(self, dbname: str = "postgres", user: str | None = None, *, tcp: bool = False,
                 **extra: str) -> str:
        """Through the socket in the cluster's folder, or (tcp) through 127.0.0.1 only."""
        params = {"host": "127.0.0.1" if tcp else str(self.socket_dir), "port": str(self.port),
                  "dbname": dbname, "user": user or self.superuser, **extra}
        return " ".join(f"{k}={v}" for k, v in params.items())


def server_bin() -> Path | None:
    """The folder of pg_ctl and initdb: on PATH, or the newest of Debian's versioned folders."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"),
                        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    return Path(candidates[-1]).parent if candidates else None


def _run_as() -> list[str]:
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    bin_dir = server_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
    base = Path(tempfile.mkdtemp(prefix="sro-pg-"))
    owner = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name
    pw = pwd.getpwnam(owner)
    if os.geteuid() == 0:
        os.chown(base, pw.pw_uid, pw.pw_gid)
    data, log = base / "data", base / "server.log"
    prefix = _run_as()
    try:
        subprocess.run([*prefix, str(bin_dir / "initdb"), "-D", str(data), "-U", owner, "-A", "trust",
                        "-E", "UTF8", "--no-sync", "--no-instructions"],
                       check=True, capture_output=True, text=True)
        # the owner (district IT) by its socket; everyone else with a password, as on a real server
        (data / "pg_hba.conf").write_text(
            f"local all {owner} trust\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n")
        if os.geteuid() == 0:
            os.chown(data / "pg_hba.conf", pw.pw_uid, pw.pw_gid)
        port = _free_loopback_port()
        options = (f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(log), "-w",
                        "-t", "60", "-o", options, "start"], check=True, capture_output=True, text=True)
        version = subprocess.run([str(bin_dir / "postgres"), "--version"], capture_output=True,
                                 text=True, check=True).stdout.strip()
        yield Cluster(base, port, owner, version)
    except subprocess.CalledProcessError as error:
        detail = (error.stderr or "") + (log.read_text() if log.exists() else "")
        raise RuntimeError(f"the test PostgreSQL cluster did not start: {detail.strip()}") from error
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run([*prefix, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate",
                            "-w", "stop"], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)
