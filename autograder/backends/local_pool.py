"""The local backend: this machine's cores, a process per worker (the default; ``--workers``)."""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from functools import partial

from autograder.backends.base import JOBS_PER_SLOT, Finish, run_windowed
from autograder.model import Job
from autograder.runner.jobs import run_job, worker_started


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
