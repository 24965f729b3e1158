"""Executor backends: where grading jobs run. The main process prepares and records; a backend
only executes (runner/jobs.run_job) and hands each result back as it comes.

- ``local_pool.LocalPool``: this machine's cores, a process per worker (the default; ``--workers``);
- ``dask_cluster.DaskCluster``: the workers of a Dask cluster (``--scheduler``, the ``cluster`` extra).

A new backend is one module here with a class that has ``remote``, ``slots`` and ``run`` (the
``Backend`` protocol, base.py), and one line in ``select``.
"""

from __future__ import annotations

from autograder.backends.base import JOBS_PER_SLOT, Backend, ClusterError, ClusterOptions, Finish, run_windowed
from autograder.backends.local_pool import LocalPool

__all__ = ["JOBS_PER_SLOT", "Backend", "ClusterError", "ClusterOptions", "Finish", "LocalPool", "run_windowed", "select"]


def select(workers: int, cluster: ClusterOptions | None, sandbox: str) -> Backend:
    """The backend of a run: a Dask cluster when one is named (Dask imported only then), else local.
    ``sandbox``: what the run's limits ask for, which every worker must provide."""
    if cluster is not None and (cluster.address or cluster.scheduler_file):
        from autograder.backends.dask_cluster import DaskCluster

        return DaskCluster(cluster, sandbox)
    return LocalPool(workers)
