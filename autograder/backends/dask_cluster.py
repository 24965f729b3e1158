"""Grading jobs on a Dask cluster (``grade --scheduler ADDRESS`` or ``--scheduler-file PATH``).

Imported only when a scheduler is named: without one, nothing of Dask is loaded. The main process
stays the only one that reads submissions and writes the gradebook; the cluster's workers only run
``jobs.run_job``, each job in a child process of the Dask worker that dies with it (and takes its
sandboxes along), in a temporary folder of that machine. A job carries the sanitized submission,
the master without its solutions and the limits: no path of the main machine.

Before the first job, a preflight asks every worker for its Python, NumPy and SciPy versions, a
digest of this project's code and its sandbox, and refuses to start when one differs from the main
process's (a different NumPy could grade differently). A worker that dies mid-notebook: Dask's
scheduler runs the job again on another worker; after ``distributed.scheduler.allowed-failures``
deaths (3 by default) the notebook gets ``grader error``, and the next run grades it again.

Anyone who can reach the scheduler can run code on the workers: keep it on a private network, or
use TLS (``--tls-ca-file``, ``--tls-cert``, ``--tls-key``, passed through to Dask).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import platform
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from pathlib import Path

from autograder.backends.base import JOBS_PER_SLOT, ClusterError, ClusterOptions, Finish, run_windowed
from autograder.model import Job, JobResult
from autograder.runner.jobs import run_job, worker_started

PROJECT = Path(__file__).resolve().parents[2]
CODE = ("autograder", "lib/seqconv")


def project_digest(root: Path = PROJECT) -> str:
    """A digest of the grader's and the library's code: the same commit gives the same digest."""
    digest = hashlib.sha256()
    for folder in CODE:
        for path in sorted((root / folder).rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def versions(sandbox: str = "bwrap") -> dict[str, str]:
    """What must be the same on every machine that grades: run on each worker by the preflight.
    ``sandbox``: the run's; the worker says it can run it, else ``none (why not)``."""
    import numpy
    import scipy

    from autograder.runner import sandboxes

    problem = sandboxes.get(sandbox).problem()
    return {"python": platform.python_version(), "numpy": numpy.__version__, "scipy": scipy.__version__,
            "project": project_digest(), "sandbox": sandbox if problem is None else f"none ({problem})"}


def mismatches(here: dict[str, str], workers: dict[str, dict[str, str]], sandbox: str) -> list[str]:
    """Each difference between a worker and this machine, as a sentence naming both values."""
    from autograder.runner import sandboxes

    problems = []
    for worker, theirs in sorted(workers.items()):
        for name in ("python", "numpy", "scipy", "project"):
            if theirs.get(name) != here[name]:
                problems.append(f"worker {worker}: {name} {theirs.get(name)}, this machine {here[name]}")
        if sandbox != "none" and theirs.get("sandbox") != sandbox:
            problems.append(f"worker {worker}: sandbox {theirs.get('sandbox')}; this run needs {sandboxes.get(sandbox).label} "
                            "(install it there, or grade with --no-sandbox)")
    return problems


_lock = threading.Lock()
_pool: ProcessPoolExecutor | None = None


def _child_pool() -> ProcessPoolExecutor:
    """This Dask worker's child processes (one per thread), started once, in a run folder of its own."""
    global _pool
    with _lock:
        if _pool is None:
            from distributed import get_worker

            from autograder.pipeline.run_folder import RunFolder

            RunFolder().__enter__()   # TMPDIR of the children, held for the worker's life; swept after a crash
            # a worker under a Nanny runs as a daemon process, which multiprocessing forbids to have
            # children (Dask's distributed.worker.daemon: false, set here): ours die with it anyway
            multiprocessing.current_process().daemon = False
            threads = max(1, get_worker().state.nthreads)
            _pool = ProcessPoolExecutor(max_workers=threads, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=worker_started)
        return _pool


def run_on_worker(job: Job) -> JobResult:
    """The task each job is: run in a child of this worker, which dies with it."""
    global _pool
    pool = _child_pool()
    try:
        return pool.submit(run_job, job).result()
    except BrokenProcessPool:
        with _lock:   # a child was killed: the next job starts new ones
            if _pool is pool:
                _pool = None
        raise


class DaskCluster:
    """The workers of a running Dask cluster."""

    remote = True

    def __init__(self, options: ClusterOptions, sandbox: str):
        self.options = options
        self.sandbox = sandbox
        self._client = None

    def _connect(self):
        from distributed import Client
        from distributed.security import Security

        o = self.options
        security = None
        if o.tls_ca_file or o.tls_cert or o.tls_key:
            security = Security(tls_ca_file=_str(o.tls_ca_file), tls_client_cert=_str(o.tls_cert),
                                tls_client_key=_str(o.tls_key), require_encryption=True)
        try:
            if o.scheduler_file is not None:
                return Client(scheduler_file=str(o.scheduler_file), security=security, timeout=30)
            return Client(o.address, security=security, timeout=30)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"cannot reach the Dask scheduler at {o.address or o.scheduler_file}: {exc}") from exc

    def slots(self) -> int:
        client = self._client
        return sum(client.nthreads().values()) if client is not None else 0

    def preflight(self, client) -> None:
        """Refuse a cluster without workers, or with a worker that would grade differently."""
        if not client.nthreads():
            client.wait_for_workers(1, timeout=60)
        found = client.run(versions, self.sandbox)
        problems = mismatches(versions(self.sandbox), found, self.sandbox)
        if problems:
            raise ClusterError("the cluster's workers differ from this machine, so grades could differ:\n  "
                               + "\n  ".join(problems))

    def run(self, jobs: Iterable[Job], finish: Finish) -> None:
        from distributed import wait

        client = self._client = self._connect()
        try:
            self.preflight(client)

            def submit(job: Job):
                return client.submit(run_on_worker, job, pure=False, key=f"grade-{job.student}-{job.lecture}-{id(job)}")

            def first_done(futures):
                return wait(list(futures), return_when="FIRST_COMPLETED").done

            def finish_lost(job: Job, get_result: Callable[[], JobResult]) -> None:
                finish(job, partial(_result_or_why_lost, get_result))

            run_windowed(submit, first_done, jobs, JOBS_PER_SLOT * max(1, self.slots()), finish_lost)
        finally:
            self._client = None
            client.close()


class WorkersLost(RuntimeError):
    """Every worker that ran a job died while running it, as many times as the scheduler allows."""


def _result_or_why_lost(get_result: Callable[[], JobResult]) -> JobResult:
    from distributed.scheduler import KilledWorker

    try:
        return get_result()
    except KilledWorker as exc:
        raise WorkersLost("the workers that ran this notebook died while running it, as many times as the scheduler "
                          "allows (distributed.scheduler.allowed-failures); a new run grades it again") from exc


def _str(path: Path | None) -> str | None:
    return None if path is None else str(path)
