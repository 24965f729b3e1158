"""Executor backends: where grading jobs run. The main process prepares and records; a backend
only executes (jobs.run_job) and hands each result back as it comes.

- ``LocalPool``: this machine's cores, a process per worker (the default; ``--workers``);
- ``dask_backend.DaskCluster``: the workers of a Dask cluster (``--scheduler``, the ``cluster`` extra).

A new backend is one class with ``slots``, ``remote`` and ``run``, and one line in ``select``.
"""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from .jobs import Job, JobResult, run_job, worker_started

JOBS_PER_SLOT = 2   # jobs handed out ahead of the workers: enough to keep them busy, memory bounded
# called once per job with the job and a function that returns its result or raises why it has none
Finish = Callable[[Job, Callable[[], JobResult]], None]


class Backend(Protocol):
    """Runs jobs; calls ``finish`` in the main process once per job, in the order they end."""

    remote: bool   # its workers are on other machines: jobs carry no local path

    def slots(self) -> int:
        """How many jobs run at once."""
        ...

    def run(self, jobs: Iterable[Job], finish: Finish) -> None: ...


def run_windowed(submit: Callable[[Job], Any], first_done: Callable[[Iterable[Any]], Iterable[Any]],
                 jobs: Iterable[Job], window: int, finish: Finish) -> None:
    """Submit ``jobs`` keeping at most ``window`` unfinished, finishing each as it ends.

    ``submit`` returns a future (concurrent.futures' or Dask's: anything with ``result()``);
    ``first_done`` waits until at least one of the given futures is done and returns those done.
    """
    running: dict[Any, Job] = {}
    for next_job in itertools.chain(jobs, [None]):   # None: all are submitted, wait for the rest
        if next_job is not None:
            running[submit(next_job)] = next_job
        while running and (next_job is None or len(running) >= window):
            for future in first_done(list(running)):
                finish(running.pop(future), future.result)


def _first_done(futures: Iterable[Future]) -> set[Future]:
    return wait(futures, return_when=FIRST_COMPLETED).done


class LocalPool:
    """``workers`` processes on this machine, started for the run and killed with it."""

    remote = False

    def __init__(self, workers: int):
        self.workers = max(1, workers)

    def slots(self) -> int:
        return self.workers

    def run(self, jobs: Iterable[Job], finish: Finish) -> None:
        if self.workers == 1:   # in this process: nothing to start
            for job in jobs:
                finish(job, partial(run_job, job))
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context, initializer=worker_started) as pool:
            def submit(job: Job) -> Future:
                return pool.submit(run_job, job)

            run_windowed(submit, _first_done, jobs, JOBS_PER_SLOT * self.workers, finish)


class ClusterError(RuntimeError):
    """The cluster cannot grade this run (unreachable, no workers, or workers that differ)."""


@dataclass(frozen=True)
class ClusterOptions:
    """Where the Dask scheduler is, and how to reach it (TLS files passed through to Dask)."""

    address: str | None = None
    scheduler_file: Path | None = None
    tls_ca_file: Path | None = None
    tls_cert: Path | None = None
    tls_key: Path | None = None


def select(workers: int, cluster: ClusterOptions | None, sandbox: str) -> Backend:
    """The backend of a run: a Dask cluster when one is named (Dask imported only then), else local.
    ``sandbox``: what the run's limits ask for, which every worker must provide."""
    if cluster is not None and (cluster.address or cluster.scheduler_file):
        from .dask_backend import DaskCluster

        return DaskCluster(cluster, sandbox)
    return LocalPool(workers)
