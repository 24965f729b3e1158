"""The worker's side of the trusted checks: one pre-warmed process, forked per notebook.

``TrustedHost.start(job, ...)`` returns a ``TrustedRun``: the two pipes of the link
and a handle on the process (a pidfd) to kill and reap it. The pre-warmed process
(trusted_zygote.py) serves one lecture master at a time; a job for another master
replaces it. Jobs sorted by lecture (as ``grade`` submits them) start it once per
lecture and worker. So a worker holds at most one helper process between notebooks,
whatever the number of notebooks it has graded.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import resource
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import lifetime

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
READY_TIMEOUT_S = 120   # imports and the master's teaching cells, on a busy machine
FORK_TIMEOUT_S = 30


class TrustedChecksFailed(RuntimeError):
    """The trusted checks process itself failed: a grader error, not the student's."""


@dataclass
class TrustedRun:
    """One notebook's trusted checks: a forked child of the pre-warmed process.

    ``to_trusted`` (write) and ``from_trusted`` (read) are the link's descriptors,
    owned by the caller; ``close`` kills the child if it still runs and reaps it.
    """

    pidfd: int | None
    to_trusted: int
    from_trusted: int
    log: Path

    def close(self) -> None:
        if self.pidfd is None:
            return
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
        select.select([self.pidfd], [], [], 10)   # readable once the child has ended
        os.close(self.pidfd)
        self.pidfd = None


class _Zygote:
    """The pre-warmed process for one job (master, environment, limits)."""

    def __init__(self, key: str, job: dict, env: dict, preexec):
        self.key = key
        self.folder = Path(tempfile.mkdtemp(prefix="grading-trusted-host-"))
        (self.folder / "job.json").write_text(json.dumps(job))
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        self.log = self.folder / "log.txt"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "autograder.trusted_zygote", str(self.folder / "job.json"), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), cwd=self.folder, env={**env, "PYTHONPATH": str(PACKAGE_ROOT)},
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=preexec,
            )
        theirs.close()
        self.socket.settimeout(READY_TIMEOUT_S)
        try:
            ready = self.socket.recv(64)
        except OSError:
            ready = b""
        if ready != b"ready":
            self.close()
            raise TrustedChecksFailed(f"the trusted checks could not start: {log_tail(self.log)}")
        self.socket.settimeout(FORK_TIMEOUT_S)

    def fork(self, cwd: Path) -> TrustedRun:
        to_r, to_w = os.pipe()
        from_r, from_w = os.pipe()
        log_path = cwd / "log.txt"
        log_fd = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            socket.send_fds(self.socket, [json.dumps({"cwd": str(cwd)}).encode()], [to_r, from_w, log_fd])
            answer, fds, _, _ = socket.recv_fds(self.socket, 64, 1)
        except OSError as exc:
            for fd in (to_w, from_r):
                os.close(fd)
            raise TrustedChecksFailed(f"the trusted checks did not start a run ({exc}): {log_tail(self.log)}") from None
        finally:
            for fd in (to_r, from_w, log_fd):
                os.close(fd)
        if not answer.isdigit() or len(fds) != 1:
            for fd in (*fds, to_w, from_r):
                os.close(fd)
            raise TrustedChecksFailed(f"the trusted checks did not start a run ({answer[:60]!r}): {log_tail(self.log)}")
        return TrustedRun(fds[0], to_w, from_r, log_path)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


class TrustedHost:
    """Starts the trusted checks of one notebook at a time, from a pre-warmed process."""

    def __init__(self) -> None:
        self._zygote: _Zygote | None = None

    def start(self, job: dict, env: dict, memory_mb: int, cpu_s: int, cwd: Path) -> TrustedRun:
        """Fork the trusted checks of ``job`` (trusted_job's dict), to run in ``cwd``."""
        key = hashlib.sha256(json.dumps([job, env, memory_mb, cpu_s], sort_keys=True).encode()).hexdigest()
        zygote = self._zygote
        if zygote is not None and (zygote.key != key or not zygote.alive()):
            zygote.close()
            zygote = self._zygote = None
        if zygote is None:
            zygote = self._zygote = _Zygote(key, job, env, functools.partial(_zygote_setup, os.getpid(), memory_mb, cpu_s))
        try:
            return zygote.fork(cwd)
        except TrustedChecksFailed:
            zygote.close()
            self._zygote = None
            raise

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None


def _zygote_setup(parent: int, memory_mb: int, cpu_s: int) -> None:
    """In the pre-warmed process before it starts: die with the grader; bound memory and CPU.

    The trusted checks run no student code, but decode its answers. Each forked child
    inherits the address-space limit and counts its own CPU time from zero.
    """
    lifetime.die_with_parent(parent)
    memory = max(4096, 2 * memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (2 * cpu_s, 2 * cpu_s + 5))


def log_tail(path: Path) -> str:
    """The last line of a helper's log, for an error message."""
    try:
        return path.read_text(errors="replace").strip().splitlines()[-1][:500]
    except (OSError, IndexError):
        return "no message"


_HOST: TrustedHost | None = None


def host() -> TrustedHost:
    """This process's host (a worker grades one notebook at a time)."""
    global _HOST
    if _HOST is None:
        import atexit

        _HOST = TrustedHost()
        atexit.register(_HOST.close)
    return _HOST
