"""What every executor backend shares: the ``Backend`` protocol, how results come back
(``Finish``), and the submit-as-they-end loop (``run_windowed``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from autograder.model import Job, JobResult

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
