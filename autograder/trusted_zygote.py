"""Pre-warmed trusted-checks processes: one per worker, forking one per lecture master, forking one per notebook.

    python -m autograder.trusted_zygote SOCKET_FD

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

import gc
import json
import os
import signal
import socket
import sys
import traceback

MAX_REQUEST = 1 << 16
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


def _child(job: dict, namespace: dict, start: int, request: dict, fds: list[int], parent: int) -> int:
    from . import lifetime, trusted

    lifetime.die_with_parent(parent)
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
    from . import trusted

    trusted._link_module()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # lecture processes are reaped by the kernel
    gc.freeze()   # never garbage, and no collection in a copy writes to (and so copies) its pages
    server.send(b"ready")
    me = os.getpid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, MAX_REQUEST, 2)
        except OSError:
            return
        if not message:
            return   # the grader closed its end
        if len(fds) != 2:
            for fd in fds:
                os.close(fd)
            server.send(b"error: expected a socket and a log")
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                server.close()
                os.dup2(fds[1], 1)
                os.dup2(fds[1], 2)
                os.close(fds[1])
                code = _lecture(message.decode(), socket.socket(fileno=fds[0]), me)
            except BaseException:  # noqa: BLE001 - the grader reads the log and reports it
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        for fd in fds:
            os.close(fd)
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:   # it has already ended (and was reaped)
            server.send(b"ended")
            continue
        try:
            socket.send_fds(server, [str(pid).encode()], [pidfd])
        finally:
            os.close(pidfd)


def _lecture(job_path: str, server: socket.socket, parent: int) -> int:
    from . import lifetime

    lifetime.die_with_parent(parent)
    with open(job_path, encoding="utf-8") as f:
        job = json.load(f)
    sys.path[:0] = job.get("sys_path", [])
    serve(job, server)
    return 0


def serve(job: dict, server: socket.socket) -> None:
    """Run the student-free prefix, then fork a child for each request until the socket closes."""
    from . import trusted

    namespace = trusted.new_namespace()
    start = trusted.student_free_prefix(job)
    trusted.run_teaching(job, namespace, start)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # children are reaped by the kernel
    gc.freeze()
    server.send(b"ready")
    me = os.getpid()
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, MAX_REQUEST, FDS_PER_JOB)
        except OSError:
            return
        if not message:
            return   # the grader closed its end
        if len(fds) != FDS_PER_JOB:
            for fd in fds:
                os.close(fd)
            server.send(b"error: expected 3 descriptors")
            continue
        request = json.loads(message)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                server.close()
                code = _child(job, namespace, start, request, fds, me)
            except BaseException:  # noqa: BLE001 - the grader reads the log and reports it
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        for fd in fds:
            os.close(fd)
        try:
            pidfd = os.pidfd_open(pid)
        except ProcessLookupError:   # it has already ended (and was reaped)
            server.send(b"ended")
            continue
        try:
            socket.send_fds(server, [str(pid).encode()], [pidfd])
        finally:
            os.close(pidfd)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    _preload()
    serve_lectures(socket.socket(fileno=int(argv[0])))


if __name__ == "__main__":
    main()
