"""Run one student notebook the way the grader needs it run, and judge its test cells.

This is the part of grading that takes time, so it runs in worker processes, one
notebook per job, and touches no database. It receives a sanitized notebook (nbgrader
has already put back the locked and test cells) and the lecture's master, and returns
the notebook executed, with a status. Two processes take part:

- the student's kernel, sandboxed (sandboxes/) and under limits (kernels.py), runs the
  student's cells, the test cells excepted (student_kernel.py). Its outputs are kept: they
  are the student's own, produced before any test input reached their code;
- the trusted checks (link/trusted.py) run the master's cells with the student's functions
  as proxies. Each call is relayed here (trusted_link.py): its arguments go to the kernel,
  which runs the student's function and answers with plain data (link/wire.py). The test
  cells' outputs are made from the trusted verdicts (test_outputs.py), and the hidden part's
  verdict is one line, ``HiddenTestFailure: ...``, so no hidden code, value or message
  reaches the notebook.

The steps of ``execute_notebook``, in order:
1. a process group (cgroups) and a socket folder for the kernel; the kernel's manager, warm or cold;
2. the kernel started, under the disk watch (disk_watch.py) until it is stopped;
3. the grader's link loaded in the kernel, before any student code;
4. the trusted checks run; they ask for the student's cells up to each test cell, then its calls;
5. the cells after the last test cell;
6. the kernel stopped and all it held released, its memory and disk verdicts read;
7. the test cells' outputs written from the verdicts; the outputs capped (kernel_client.py).

What else it does that a plain "run all" does not:
- a cell (or a call) that runs past the timeout is interrupted, and grading goes on if
  the kernel answers again (one infinite loop costs one exercise, not the notebook);
- a kernel that dies (``os._exit``, a crash, a memory limit) ends the student's part:
  the cells it did not reach get an error output and the status says so;
- output is capped per notebook, so gigabytes of prints cannot exhaust the grader.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder.cells import clean_strings, is_test_cell, nbgrader_meta
from autograder.link.protocol import Verdict
from autograder.model import Executed, Limits, Status, Timings
from autograder.runner import sandboxes
from autograder.runner.cgroups import ProcessGroup
from autograder.runner.disk_watch import DiskWatch, descendants
from autograder.runner.kernel_client import MAX_ERROR_TEXT, CappedClient, cap_outputs
from autograder.runner.kernels import kernel_manager, kill_kernel, release_kernel
from autograder.runner.student_kernel import StudentKernel, mark_not_run
from autograder.runner.test_outputs import HIDDEN_FAILURE, test_outputs
from autograder.runner.trusted_host import TrustedChecksFailed
from autograder.runner.trusted_link import run_trusted

__all__ = ["GRADED", "HIDDEN_FAILURE", "KERNEL_DIED", "TIMEOUT", "DiskWatch", "Executed", "Limits", "Timings", "execute_notebook"]

GRADED, TIMEOUT, KERNEL_DIED = Status.GRADED, Status.TIMEOUT, Status.KERNEL_DIED


def execute_notebook(nb: NotebookNode, master: NotebookNode, workdir: Path, limits: Limits) -> Executed:
    """Run ``nb`` (sanitized, outputs cleared) in a kernel in ``workdir``; judge it against ``master``."""
    nb = copy.deepcopy(nb)
    result = Executed(nb)
    sockets = Path(tempfile.mkdtemp(prefix="grading-kernel-"))
    processes = ProcessGroup(memory_bytes=limits.memory_mb * 2**20)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_TOKEN"))}
    env["MPLBACKEND"] = "Agg"
    env["SEQCONV_GRADING"] = "1"   # seqconv.checks.check_all: the test cells, not this kernel, have the results
    # One BLAS thread per kernel: grading runs several kernels at once, one per core, and
    # oversubscribed OpenBLAS threads slow a conv by 10x or more (cells would time out).
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    km = kernel_manager(limits, workdir, sockets, processes, env)
    if km.kernel_spec is None:
        raise RuntimeError("no python3 kernel is installed for the grader to start")
    km.kernel_spec.interrupt_mode = sandboxes.get(limits.sandbox).interrupt_mode.value
    client = CappedClient(
        nbformat.v4.new_notebook(), km=km, timeout=limits.cell_timeout_s, allow_errors=True, interrupt_on_timeout=True,
        iopub_timeout=4, output_bytes=limits.output_bytes, resources={"metadata": {"path": str(workdir)}},
        shutdown_kernel="immediate",
    )
    kernel = StudentKernel(client, limits, workdir, result)
    verdicts: dict[str, Verdict] = {}
    disk = DiskWatch([workdir, sockets], lambda: kill_kernel(km), lambda: processes.pids() or descendants(km))
    timings = result.timings
    clock = time.perf_counter()

    def lap() -> float:
        nonlocal clock
        now = time.perf_counter()
        elapsed, clock = now - clock, now
        return elapsed

    try:
        with client.setup_kernel(env=env, cwd=str(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL), disk:
            timings.kernel_start_s = lap()
            timings.sandbox_s = getattr(getattr(km.provisioner, "process", None), "launch_s", 0.0)
            kernel.open_link()   # first: it keeps references taken before any student code runs
            timings.link_s = lap()
            verdicts = run_trusted(master, kernel, limits, env)
            kernel.run_until(None)   # the cells after the last test cell the checks asked for
            timings.cells_s, timings.calls_s = kernel.cells_s, kernel.calls_s
            timings.trusted_s = lap() - kernel.cells_s
    except DeadKernelError:
        result.status = Status.KERNEL_DIED
        result.details.append("the kernel died")
        kernel.stopped = kernel.stopped or "the kernel died"
        kernel.run_until(None)   # marks the cells not reached as not run
    except RuntimeError as exc:
        if isinstance(exc, TrustedChecksFailed):
            raise
        # the kernel failed to start, e.g. refused by the sandbox
        result.status = Status.KERNEL_DIED
        result.details.append(f"the kernel could not start: {exc}")
        kernel.stopped = "the kernel could not start"
        mark_not_run(nb, [i for i, c in enumerate(nb.cells) if c.cell_type == "code"], kernel.stopped)
    finally:
        lap()
        kernel.close()
        release_kernel(client, km)
        out_of_memory = processes.out_of_memory()
        processes.close()
        shutil.rmtree(sockets, ignore_errors=True)
        timings.shutdown_s = lap()
    if disk.exceeded:
        result.status = Status.KERNEL_DIED
        result.details.append(f"stopped: {disk.exceeded}")
    if out_of_memory:
        result.status = Status.KERNEL_DIED
        result.details.append(f"stopped: the kernel held more than {limits.memory_mb:,} MiB of memory "
                              "(its own, or in files kept in memory: /tmp, /dev/shm, shared memory)")
    for cell in nb.cells:
        if is_test_cell(cell):
            grade_id = str(nbgrader_meta(cell).get("grade_id"))
            cell.outputs = test_outputs(verdicts.get(grade_id), kernel.stopped)
    result.hidden_failures = {grade_id: clean_strings(str(v.hidden_error or v.hidden_why))[:MAX_ERROR_TEXT]
                              for grade_id, v in verdicts.items() if v.hidden_failed}
    dropped = client.dropped + cap_outputs([c for c in nb.cells if c.cell_type == "code" and not is_test_cell(c)],
                                           limits.output_bytes)
    if dropped:
        result.details.append(f"{dropped:,} characters of output were dropped (limit {limits.output_bytes:,})")
    clean_strings(nb)
    return result
