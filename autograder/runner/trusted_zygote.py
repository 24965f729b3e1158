"""Pre-warmed trusted-checks processes: one per worker, forking one per lecture master, forking one per notebook.

    python -m autograder.runner.trusted_zygote SOCKET_FD

Starting the trusted checks afresh for every notebook costs their imports (NumPy,
matplotlib, the library) and the master's teaching cells, over a second of CPU that
does not depend on the student. The base process pays the imports once per worker. For
each lecture the grader sends a master's job (a JSON file), a socket and a log; the base
forks a lecture process, which runs the master's leading teaching cells
(``trusted.student_free_prefix``: no student code has run at that point, so their state is
the same for every submission), then waits on that socket. For each notebook the grader
sends three descriptors (the link's two pipes and a log file) and a working folder; the
lecture process forks, and the child runs the rest of the master against that notebook's
kernel (``trusted.run``) and exits.

Each child is a private copy-on-write image of a process that has never received
anything from a student; nothing flows back from a child to this process, so no state
passes from one submission to the next. The answer to each fork is a pidfd of the
child (race-free kill and wait for the grader); children are reaped automatically
(SIGCHLD ignored). This process and its children die with the grader's process
(lifetime.die_with_parent).
"""

from __future__ import annotations

import functools
import gc
import json
import os
import signal
import socket
import sys
from typing import TYPE_CHECKING

from autograder.runner import forks

if TYPE_CHECKING:
    from autograder.link.protocol import TrustedJob

FDS_PER_JOB = 3   # link in (read), link out (write), log


def _preload() -> None:
    """Import what the master's cells and the link use, so no child pays for it."""
    import cloudpickle  # noqa: F401
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot
    import numpy  # noqa: F401
    import tqdm

    import seqconv  # noqa: F401

    # tqdm's monitor thread would not survive a fork (a child could wait on its lock forever)
    tqdm.tqdm.monitor_interval = 0


def _child(job: TrustedJob, namespace: dict, start: int, request: dict, fds: list[int], parent: int,
           lecture: socket.socket) -> int:
    """A notebook's trusted checks: the rest of the master against its kernel, through the link."""
    from autograder.link import trusted
    from autograder.runner import lifetime

    lifetime.die_with_parent(parent)
    lecture.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    link_in, link_out, log = fds
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    os.chdir(request["cwd"])
    trusted.run(job, trusted.Link(link_in, link_out), namespace, start)
    return 0


def serve_lectures(server: socket.socket) -> None:
    """The base process: fork a lecture process for each (job file, socket, log) the grader sends."""
    from autograder.link import relay

    relay.link_module()   # the module the proxies pickle as, made before any fork
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # lecture processes are reaped by the kernel
    gc.freeze()   # never garbage, and no collection in a copy writes to (and so copies) its pages
    server.send(b"ready")
    me = os.getpid()
    for message, (lecture_socket, log) in forks.requests(server, 2):
        pid = forks.fork(functools.partial(_lecture, message.decode(), lecture_socket, log, me, server))
        os.close(lecture_socket)
        os.close(log)
        forks.hand_back(server, pid)


def _lecture(job_path: str, lecture_socket: int, log: int, parent: int, base: socket.socket) -> int:
    """A lecture process: its log as stdout and stderr, the master's prefix run, then a fork per notebook."""
    from autograder.runner import lifetime

    lifetime.die_with_parent(parent)
    base.close()
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    from autograder.link.protocol import TrustedJob

    with open(job_path, encoding="utf-8") as f:
        job = TrustedJob.from_json(f.read())
    sys.path[:0] = job.sys_path
    serve(job, socket.socket(fileno=lecture_socket))
    return 0


def serve(job: TrustedJob, server: socket.socket) -> None:
    """Run the student-free prefix, then fork a child for each request until the socket closes."""
    from autograder.link import trusted

    namespace = trusted.new_namespace()
    start = trusted.student_free_prefix(job)
    trusted.run_teaching(job, namespace, start)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # children are reaped by the kernel
    gc.freeze()
    server.send(b"ready")
    me = os.getpid()
    for message, fds in forks.requests(server, FDS_PER_JOB):
        pid = forks.fork(functools.partial(_child, job, namespace, start, json.loads(message), fds, me, server))
        for fd in fds:
            os.close(fd)
        forks.hand_back(server, pid)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    _preload()
    serve_lectures(socket.socket(fileno=int(argv[0])))


if __name__ == "__main__":
    main()
