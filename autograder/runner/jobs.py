"""One grading job as it crosses to a worker, and what comes back: the only code a worker runs.

A ``Job`` holds the sanitized submission, the lecture's master with its solutions taken out (the
trusted checks need each answer cell's names, never its code), the limits, and the kernel's
working folder, or none: a worker on another machine (dask_cluster.py) then makes one in its own
temporary folder, so that a job carries no path of the main machine.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from autograder.cells import is_answer_cell
from autograder.link.trusted import defined_names
from autograder.model import Executed, Job, JobResult
from autograder.runner import lifetime
from autograder.runner.execute import execute_notebook

_IN_WORKER = False


def worker_started() -> None:
    """Initializer of each worker process: it dies with the grader, and reaps what its jobs leave."""
    global _IN_WORKER
    _IN_WORKER = True
    lifetime.die_with_parent(os.getppid())


def run_job(job: Job) -> JobResult:
    """Worker entry point: execute one sanitized notebook."""
    # made by the main process, which validated them: a second schema validation here would cost
    # about 0.1 s of a worker's time per notebook, for nothing
    started = time.time()
    nb = nbformat.v4.reads(job.notebook_json)
    master = nbformat.v4.reads(job.master_json)
    workdir = Path(job.workdir) if job.workdir else workdir_for(job.student, job.lecture)
    if workdir.exists():
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True)
    try:
        executed: Executed = execute_notebook(nb, master, workdir, job.limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        with contextlib.suppress(OSError):
            workdir.parent.rmdir()   # the student's folder, once their last notebook is done
        if _IN_WORKER:
            lifetime.reap_orphans()
    # validated where it is read, in the main process
    executed_json = nbformat.v4.writes_json(executed.nb)
    return JobResult(job.student, job.lecture, executed.status, executed_json, executed.details, executed.timings,
                     started=started, ended=time.time(), worker=os.getpid(), hidden_failures=executed.hidden_failures)


def workdir_for(student: str, lecture: str, base: Path | None = None) -> Path:
    """The kernel's working folder of a job: ``<base>/work/<student>/<lecture>``, where ``base`` is
    the course workspace (local workers) or, by default, this process's temporary folder."""
    return (Path(tempfile.gettempdir()) if base is None else base) / "work" / student / lecture


def without_solutions(master: NotebookNode) -> NotebookNode:
    """``master`` with each code answer cell reduced to the names it defines (a stub per function,
    ``None`` per variable): what the trusted checks read of it, and nothing of the solution."""
    stripped = nbformat.from_dict(master)
    for cell in stripped.cells:
        if cell.cell_type == "code" and is_answer_cell(cell):
            functions, variables = defined_names(cell.source)
            cell.source = "".join([*(f"def {name}(*args, **kwargs):\n    raise NotImplementedError\n" for name in functions),
                                   *(f"{name} = None\n" for name in variables)])
    return stripped
