"""The worker's side of the trusted checks: pre-warmed processes, forked per notebook.

``TrustedHost.start(job, ...)`` returns a ``TrustedRun``: the two pipes of the link
and a handle on the process (a pidfd) to kill and reap it. A base process
(trusted_zygote.py) imports once per worker; it forks a lecture process, which serves
one lecture master at a time; a job for another master replaces it. Jobs sorted by
lecture (as ``grade`` submits them) start a lecture process once per lecture and worker.
So a worker holds at most two helper processes between notebooks, whatever the number
of notebooks it has graded.
"""

from __future__ import annotations

import atexit
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
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from autograder.link.protocol import TrustedJob
from autograder.runner import forks, lifetime
from autograder.runner.forks import log_tail

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
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


class _Base:
    """The worker's base process (imports done), which forks a lecture process per master."""

    def __init__(self, key: str, env: dict, preexec: Callable[[], None]):
        self.key = key
        try:
            self.helper = forks.Helper([sys.executable, "-m", "autograder.runner.trusted_zygote"], prefix="grading-trusted-host-",
                                       env={**env, "PYTHONPATH": str(PACKAGE_ROOT)}, preexec=preexec,
                                       ready_timeout=READY_TIMEOUT_S, timeout=FORK_TIMEOUT_S)
        except OSError as exc:
            raise TrustedChecksFailed(f"the trusted checks could not start: {exc}") from None
        self.socket, self.folder, self.log = self.helper.socket, self.helper.folder, self.helper.log
        self.lectures = 0

    def lecture(self, key: str, job: TrustedJob) -> _Lecture:
        """A new lecture process for ``job``: the master's teaching prefix run, ready to fork per notebook."""
        self.lectures += 1
        folder = self.folder / f"lecture-{self.lectures}"
        folder.mkdir()
        (folder / "job.json").write_text(job.to_json())
        log = folder / "log.txt"
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        log_fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            socket.send_fds(self.socket, [str(folder / "job.json").encode()], [theirs.fileno(), log_fd])
            _, (pidfd,) = forks.child_of(self.socket, 1)
        except OSError as exc:
            ours.close()
            raise TrustedChecksFailed(f"the trusted checks did not start a lecture ({exc}): {log_tail(self.log)}") from None
        finally:
            theirs.close()
            os.close(log_fd)
        return _Lecture(key, pidfd, ours, folder, log)

    def alive(self) -> bool:
        return self.helper.alive()

    def close(self) -> None:
        self.helper.close()


class _Lecture:
    """The pre-warmed process for one lecture master, forked from the base; it forks per notebook."""

    def __init__(self, key: str, pidfd: int, server: socket.socket, folder: Path, log: Path):
        self.key, self.socket, self.folder, self.log = key, server, folder, log
        self.pidfd: int | None = pidfd
        if not forks.ready(self.socket, READY_TIMEOUT_S):
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
            _, (pidfd,) = forks.child_of(self.socket, 1)
        except OSError as exc:
            for fd in (to_w, from_r):
                os.close(fd)
            raise TrustedChecksFailed(f"the trusted checks did not start a run ({exc}): {log_tail(self.log)}") from None
        finally:
            for fd in (to_r, from_w, log_fd):
                os.close(fd)
        return TrustedRun(pidfd, to_w, from_r, log_path)

    def alive(self) -> bool:
        return self.pidfd is not None and not select.select([self.pidfd], [], [], 0)[0]

    def close(self) -> None:
        self.socket.close()
        if self.pidfd is not None:
            with contextlib.suppress(OSError):
                signal.pidfd_send_signal(self.pidfd, signal.SIGKILL)
            select.select([self.pidfd], [], [], 10)
            os.close(self.pidfd)
            self.pidfd = None
        shutil.rmtree(self.folder, ignore_errors=True)


class TrustedHost:
    """Starts the trusted checks of one notebook at a time, from pre-warmed processes."""

    def __init__(self) -> None:
        self._base: _Base | None = None
        self._lecture: _Lecture | None = None

    def start(self, job: TrustedJob, env: dict, memory_mb: int, cpu_s: int, cwd: Path) -> TrustedRun:
        """Fork the trusted checks of ``job`` (trusted_link.trusted_job), to run in ``cwd``."""
        base_key = hashlib.sha256(json.dumps([env, memory_mb, cpu_s], sort_keys=True).encode()).hexdigest()
        key = hashlib.sha256(f"{job.to_json()}|{base_key}".encode()).hexdigest()
        if self._base is not None and (self._base.key != base_key or not self._base.alive()):
            self.close()
        if self._lecture is not None and (self._lecture.key != key or not self._lecture.alive()):
            self._lecture.close()
            self._lecture = None
        try:
            if self._base is None:
                self._base = _Base(base_key, env, functools.partial(_zygote_setup, os.getpid(), memory_mb, cpu_s))
            if self._lecture is None:
                self._lecture = self._base.lecture(key, job)
            return self._lecture.fork(cwd)
        except TrustedChecksFailed:
            self.close()
            raise

    def close(self) -> None:
        if self._lecture is not None:
            self._lecture.close()
            self._lecture = None
        if self._base is not None:
            self._base.close()
            self._base = None


def _zygote_setup(parent: int, memory_mb: int, cpu_s: int) -> None:
    """In the pre-warmed process before it starts: die with the grader; bound memory and CPU.

    The trusted checks run no student code, but decode its answers. Each forked child
    inherits the address-space limit and counts its own CPU time from zero.
    """
    lifetime.die_with_parent(parent)
    memory = max(4096, 2 * memory_mb) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (2 * cpu_s, 2 * cpu_s + 5))


@functools.cache
def host() -> TrustedHost:
    """This process's host (a worker grades one notebook at a time)."""
    made = TrustedHost()
    atexit.register(made.close)
    return made
