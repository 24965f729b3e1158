"""The two halves of a pre-warmed process that forks on request (kernel_zygote.py, trusted_zygote.py).

In the pre-warmed process: ``requests`` reads what the worker sends, ``fork`` runs a child and
exits with it, ``hand_back`` answers with the child's pidfd (race-free kill and wait). In the
worker: ``Helper`` starts the process and waits for its first word, ``child_of`` reads an answer back.
Standard library only: kernel_zygote.py loads this as a plain module, outside the package.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

MAX_REQUEST = 1 << 16


def requests(server: socket.socket, fds: int) -> Iterator[tuple[bytes, list[int]]]:
    """Each (message, descriptors) the worker sends with exactly ``fds`` descriptors, until it closes
    its end; a message with another number of descriptors is refused (its descriptors closed)."""
    while True:
        try:
            message, received, _, _ = socket.recv_fds(server, MAX_REQUEST, max(fds, 1))
        except OSError:
            return
        if not message:
            return
        if len(received) != fds:
            for fd in received:
                os.close(fd)
            server.send(f"error: expected {fds} descriptors".encode())
            continue
        yield message, received


def fork(run: Callable[[], int], report: Callable[[str], object] | None = None) -> int:
    """Fork a child that runs ``run`` and exits with its code; what it raises is printed on its
    stderr, or given to ``report``. The child's pid, in the parent."""
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            code = run()
        except BaseException:  # noqa: BLE001 - the worker reads it (log or socket) and reports it
            text = traceback.format_exc(limit=5)
            with contextlib.suppress(Exception):
                if report is None:
                    sys.stderr.write(text)
                else:
                    report(text[-1500:])
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code)
    return pid


def hand_back(server: socket.socket, pid: int, fds: tuple[int, ...] = ()) -> None:
    """Send the worker a pidfd of the child ``pid``, with ``fds``; "ended" when it is gone already."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:   # it has already ended (and was reaped)
        server.send(b"ended")
        return
    try:
        socket.send_fds(server, [str(pid).encode()], [pidfd, *fds])
    finally:
        os.close(pidfd)


def ready(server: socket.socket, timeout: float) -> bool:
    """Did the process say "ready" within ``timeout`` seconds?"""
    server.settimeout(timeout)
    try:
        return server.recv(64) == b"ready"
    except OSError:
        return False


def child_of(server: socket.socket, fds: int) -> tuple[int, list[int]]:
    """The pid and descriptors (a pidfd first) of the child the process just forked; OSError
    (with the process's answer) when it did not fork one."""
    answer, received, _, _ = socket.recv_fds(server, 64, fds)
    if not answer.isdigit() or len(received) != fds:
        for fd in received:
            os.close(fd)
        raise OSError(f"no child ({answer[:60]!r})")
    return int(answer), received


def log_tail(path: Path) -> str:
    """The last line of a helper's log, for an error message."""
    try:
        return path.read_text(errors="replace").strip().splitlines()[-1][:500]
    except (OSError, IndexError):
        return "no message"


class Helper:
    """A pre-warmed process started by this one: ``command`` plus the number of its end of a socket,
    run in a temporary folder of its own with its output in ``log``; ready once it said so."""

    def __init__(self, command: list[str], *, prefix: str, env: dict[str, str], preexec: Callable[[], None],
                 ready_timeout: float, timeout: float):
        self.folder = Path(tempfile.mkdtemp(prefix=prefix))
        self.log = self.folder / "log.txt"
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.socket = ours
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [*command, str(theirs.fileno())], pass_fds=(theirs.fileno(),), cwd=self.folder, env=env,
                stdin=subprocess.DEVNULL, stdout=log, stderr=log, preexec_fn=preexec)
        theirs.close()
        if not ready(self.socket, ready_timeout):
            self.close()
            raise OSError(log_tail(self.log))
        self.socket.settimeout(timeout)

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        self.socket.close()
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)
