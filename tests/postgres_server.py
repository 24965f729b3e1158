"""A throw-away PostgreSQL server for tests and benchmarks: Debian's binaries, a fresh cluster in a
temporary folder, listening on a free loopback port only, stopped (and its folder removed) at the end.

As root the cluster belongs to the ``postgres`` user (PostgreSQL refuses to run as root); otherwise
to the current user. ``make test`` installs Debian's ``postgresql`` with apt where it can; without
it, ``find_bin`` returns None and the tests that need a server are skipped.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser_tools import free_port

USER = "grader"
DATABASE = "gradebook"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    user: str
    password: str
    database: str

    def url(self, *, password: bool = True) -> str:
        """The SQLAlchemy URL of the gradebook database (psycopg 3)."""
        secret = f":{self.password}" if password else ""
        return f"postgresql+psycopg://{self.user}{secret}@{self.host}:{self.port}/{self.database}"


def find_bin() -> Path | None:
    """The folder of Debian's PostgreSQL server binaries (the newest version), or None."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parts[-3]))
    return found[-1].parent if found else None


@contextmanager
def running() -> Iterator[Server]:
    """Start a cluster, create the grader's role and database; stop it at the end."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise RuntimeError("Debian's postgresql is not installed (apt-get install postgresql)")
    folder = Path(tempfile.mkdtemp(prefix="pg-test-"))
    owner = "postgres" if os.geteuid() == 0 else None
    if owner:
        entry = pwd.getpwnam(owner)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    as_owner = ["runuser", "-u", owner, "--"] if owner else []
    password = secrets.token_hex(12)
    pwfile = folder / "pw"
    pwfile.write_text(password + "\n")
    if owner:
        os.chown(pwfile, entry.pw_uid, entry.pw_gid)
    data, log = folder / "data", folder / "server.log"
    subprocess.run([*as_owner, str(bin_dir / "initdb"), "-D", str(data), "-U", USER, f"--pwfile={pwfile}",
                    "-A", "scram-sha-256", "--no-sync"], check=True, capture_output=True, timeout=120)
    port = free_port()
    options = f"-p {port} -c listen_addresses=127.0.0.1 -k {folder} -c fsync=off"
    try:
        subprocess.run([*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"],
                       check=True, capture_output=True, timeout=120)
        server = Server("127.0.0.1", port, USER, password, DATABASE)
        subprocess.run([*as_owner, str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE],
                       check=True, capture_output=True, timeout=60, env={**os.environ, "PGPASSWORD": password})
        yield server
    finally:
        subprocess.run([*as_owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       capture_output=True, timeout=120)
        shutil.rmtree(folder, ignore_errors=True)
