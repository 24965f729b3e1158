"""Run one student notebook in a fresh kernel, the way the grader needs it run.

This is the part of grading that takes time, so it runs in worker processes, one
notebook per job, and touches no database: it receives a sanitized notebook (nbgrader
has already put back the locked and test cells) and returns it executed, with a status.

What it does that a plain "run all" does not:
- each test cell runs in two steps, its visible part and then its hidden part, and the
  hidden part's outputs are never kept: a failure there becomes one line,
  ``HiddenTestFailure: ...``, so no hidden code, value or message reaches the notebook;
- a cell that runs past the timeout is interrupted, and the remaining cells still run
  if the kernel answers again (one infinite loop costs one exercise, not the notebook);
- a kernel that dies (``os._exit``, a crash, a memory limit) ends the run: the cells it
  did not reach get an error output and the status says so;
- output is capped per notebook, so gigabytes of prints cannot exhaust the grader;
- the kernel starts through ``kernel_launcher.py``, which applies limits.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from .cells import failure, is_test_cell, nbgrader_meta, split_test_source

HIDDEN_FAILURE = "HiddenTestFailure"
# Run as a script, not as ``-m autograder...``: the kernel's working directory is the
# student's, where the autograder package is not importable (and should not be).
LAUNCHER = Path(__file__).with_name("kernel_launcher.py")

GRADED = "graded"
TIMEOUT = "timeout"
KERNEL_DIED = "kernel died"


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel."""

    cell_timeout_s: int = 60
    memory_mb: int = 2048
    output_bytes: int = 1_000_000
    sandbox: str = "none"  # "none" here; autograder.sandbox adds "bwrap"


@dataclass
class Executed:
    """A notebook after grading execution, and what happened."""

    nb: NotebookNode
    status: str = GRADED
    details: list[str] = field(default_factory=list)


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class _Unresponsive(Exception):
    """The kernel neither finished nor stopped when interrupted."""


class _LaunchingKernelManager(AsyncKernelManager):
    """Starts the kernel through autograder.kernel_launcher, which sets the limits first."""

    launcher_args: list[str] = []

    def format_kernel_cmd(self, extra_arguments=None):  # noqa: ANN001 - jupyter_client's signature
        cmd = super().format_kernel_cmd(extra_arguments)
        return [sys.executable, str(LAUNCHER), *self.launcher_args, "--", *cmd]


class _CappedClient(NotebookClient):
    """A NotebookClient that drops output past a byte budget for the whole notebook."""

    def __init__(self, *args, output_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._budget = output_bytes
        self.dropped = 0
        self.timed_out = False  # the cell being run has timed out once (and was interrupted)
        self.timeouts = 0  # cells that timed out so far

    async def _async_handle_timeout(self, timeout, cell=None):  # noqa: ANN001 - nbclient's signature
        """First timeout: interrupt and wait once more. Second: the kernel ignores interrupts."""
        if self.timed_out:
            raise _Unresponsive()
        self.timed_out = True
        self.timeouts += 1
        return await super()._async_handle_timeout(timeout, cell)

    def output(self, outs, msg, display_id, cell_index):  # noqa: ANN001 - nbclient's signature
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + sum(len(str(v)) for v in content.get("data", {}).values())
        if msg["msg_type"] != "error" and size > self._budget:
            self.dropped += size
            return None
        self._budget -= size
        return super().output(outs, msg, display_id, cell_index)


def _run(client: _CappedClient, scratch: NotebookNode, source: str) -> NotebookNode:
    """Execute ``source``; a cell that timed out gets one TimeoutError output instead of its own."""
    cell = nbformat.v4.new_code_cell(source)
    scratch.cells.append(cell)
    client.timed_out = False
    ran = client.execute_cell(cell, len(scratch.cells) - 1)
    if client.timed_out:
        ran.outputs = [o for o in ran.outputs if o.output_type != "error"] + [
            _error("TimeoutError", f"this cell ran longer than {client.timeout} s and was interrupted")
        ]
    return ran


def _responsive(client: _CappedClient, scratch: NotebookNode) -> bool:
    """After an interrupt: does the kernel run a trivial cell again within a few seconds?"""
    saved = client.timeout
    client.timeout = 5
    try:
        probe = _run(client, scratch, "1")
        return not any(o.output_type == "error" for o in probe.outputs)
    except (_Unresponsive, DeadKernelError):
        return False
    finally:
        client.timeout = saved


def execute_notebook(nb: NotebookNode, workdir: Path, limits: Limits) -> Executed:
    """Execute ``nb`` (sanitized, outputs cleared) in a kernel started in ``workdir``."""
    nb = copy.deepcopy(nb)
    result = Executed(nb)
    scratch = nbformat.v4.new_notebook()
    # IPC sockets instead of TCP on loopback: nothing listens on the network, and a
    # kernel without network access (the sandbox) can still talk to the grader.
    sockets = Path(tempfile.mkdtemp(prefix="grading-kernel-"))
    km = _LaunchingKernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    km.launcher_args = ["--memory-mb", str(limits.memory_mb), "--workdir", str(workdir)]
    client = _CappedClient(
        scratch, km=km, timeout=limits.cell_timeout_s, allow_errors=True, interrupt_on_timeout=True,
        iopub_timeout=4, output_bytes=limits.output_bytes,
        resources={"metadata": {"path": str(workdir)}},
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_TOKEN"))}
    env["MPLBACKEND"] = "Agg"
    # One BLAS thread per kernel: grading runs several kernels at once, one per core, and
    # oversubscribed OpenBLAS threads slow a conv by 10x or more (cells would time out).
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    try:
        with client.setup_kernel(env=env, cwd=str(workdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL):
            for position, index in enumerate(code_cells):
                cell = nb.cells[index]
                grade_id = nbgrader_meta(cell).get("grade_id", f"cell {index}")
                timeouts_before = client.timeouts
                try:
                    if is_test_cell(cell):
                        visible, hidden = split_test_source(cell.source)
                        ran = _run(client, scratch, visible)
                        outputs = list(ran.outputs)
                        if hidden.strip() and failure(ran) is None:
                            hidden_ran = _run(client, scratch, hidden)
                            if failure(hidden_ran):
                                outputs.append(_hidden_failure(hidden_ran))
                    else:
                        ran = _run(client, scratch, cell.source)
                        outputs = list(ran.outputs)
                except (_Unresponsive, DeadKernelError) as stop:
                    timed_out = isinstance(stop, _Unresponsive)
                    reason = (f"{grade_id} ran longer than {limits.cell_timeout_s} s and the kernel did not stop when interrupted"
                              if timed_out else f"the kernel died while running {grade_id}")
                    cell.outputs = [_error("TimeoutError" if timed_out else "DeadKernelError", reason)]
                    result.status = TIMEOUT if timed_out else KERNEL_DIED
                    result.details.append(reason)
                    _mark_not_run(nb, code_cells[position + 1:], reason)
                    break
                cell.outputs = outputs
                cell.execution_count = position + 1
                if client.timeouts > timeouts_before:
                    result.status = TIMEOUT
                    result.details.append(f"{grade_id} ran longer than {limits.cell_timeout_s} s")
                    if not _responsive(client, scratch):
                        reason = f"the kernel did not recover after {grade_id} timed out"
                        result.details.append(reason)
                        _mark_not_run(nb, code_cells[position + 1:], reason)
                        break
    except DeadKernelError:
        result.status = KERNEL_DIED
        result.details.append("the kernel died")
    except RuntimeError as exc:  # the kernel failed to start, e.g. refused by the sandbox
        result.status = KERNEL_DIED
        result.details.append(f"the kernel could not start: {exc}")
        _mark_not_run(nb, code_cells, "the kernel could not start")
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
    if client.dropped:
        result.details.append(f"{client.dropped:,} characters of output were dropped (limit {limits.output_bytes:,})")
    return result


def _hidden_failure(cell: NotebookNode) -> NotebookNode:
    kinds = {o.get("ename") for o in cell.outputs if o.output_type == "error"}
    if "TimeoutError" in kinds:
        return _error(HIDDEN_FAILURE, "a hidden test ran past the time limit")
    if not kinds:
        return _error(HIDDEN_FAILURE, "a hidden test wrote to stderr (a warning counts as a failure)")
    return _error(HIDDEN_FAILURE, "your answer passed the visible tests but failed a hidden test (other inputs: check the corner cases in the exercise's statement)")


def _mark_not_run(nb: NotebookNode, indices: list[int], reason: str) -> None:
    for index in indices:
        nb.cells[index].outputs = [_error("NotRun", f"not run: {reason}")]
