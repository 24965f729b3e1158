"""Processes that die with the process that started them (Linux's parent-death signal).

A grading run starts helpers (the trusted checks' pre-warmed processes, the kernels'
launchers); none of them may outlive the process it serves, whether that process ends
normally, raises, or is killed with SIGKILL.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(expected_parent: int | None = None) -> None:
    """Ask the kernel to SIGKILL this process when its parent ends (Linux; elsewhere nothing).

    Call it in the child, first thing after fork (``preexec_fn`` for a subprocess: the
    setting survives ``exec``). ``expected_parent`` closes the race with a parent that died
    before the call: the child then exits at once.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if expected_parent is not None and os.getppid() != expected_parent:
        os._exit(1)


def reap_orphans() -> int:
    """Reap every child of this process that has ended (a zombie left by a job); their number.

    Only for a process whose children are all the grader's own (a worker between jobs):
    it takes the exit status that a ``Popen`` still waiting for its child would read.
    """
    reaped = 0
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return reaped
        if pid == 0:
            return reaped
        reaped += 1
