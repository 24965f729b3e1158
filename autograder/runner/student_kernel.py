"""The student's kernel during one job: runs their cells in order, then answers the trusted checks' calls.

It keeps the job's state: the cells run so far, the notebook's time left, the timeouts, and why
the kernel can no longer run anything (``stopped``). Every failure becomes a status and a detail
on the ``Executed`` record, never an exception to the caller.
"""

from __future__ import annotations

import base64
import contextlib
import os
import stat
import time
from pathlib import Path

from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from autograder.cells import is_test_cell, nbgrader_meta
from autograder.link.protocol import Reply, ReplyStatus
from autograder.model import Executed, Limits, Status
from autograder.runner.kernel_client import CappedClient, Garbled, Unresponsive, error_output, responsive, run_code
from autograder.runner.kernel_view import hand_over

LINK = Path(__file__).resolve().parents[1] / "link"
# The grader's end of the link, loaded into the kernel in this order, each as its own module (the
# autograder package is not importable there): student_side.py imports wire.py as _grader_wire.
LINK_SOURCES = (("_grader_wire", LINK / "wire.py"), ("_grader_link", LINK / "student_side.py"))
MAX_RESULT_BYTES = 16 * 1024 * 1024
LINK_LOAD_TIMEOUT_S = 120
# After this many timeouts (cells or calls) the kernel is stopped: a notebook whose every
# function loops forever would otherwise cost a timeout per test call.
MAX_TIMEOUTS = 3

STOPPED = "the notebook was stopped"   # the reason given when no more precise one was recorded


class StudentKernel:
    """The student's kernel during one job: runs their cells, then answers the trusted checks."""

    def __init__(self, client: CappedClient, limits: Limits, workdir: Path, result: Executed):
        self.client, self.limits, self.workdir, self.result = client, limits, workdir, result
        self.scratch = client.nb   # the cells the client executes are appended here
        self.stopped: str | None = None   # why the kernel can no longer run anything
        self.calls = 0
        self.calls_s = 0.0   # time spent answering the trusted checks' calls
        self.cells_s = 0.0   # time spent running the student's cells
        self.start_cells(result.nb)
        self.deadline = time.monotonic() + limits.notebook_s
        self.rpc_fd: int | None = None

    def _within_budget(self) -> bool:
        """Set this cell's timeout to what is left of the notebook's time; False when nothing is."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.stopped = f"the notebook ran longer than {self.limits.notebook_s} s in all"
            self.result.status = Status.TIMEOUT
            self.result.details.append(self.stopped)
            return False
        self.client.timeout = max(1, min(self.limits.cell_timeout_s, int(remaining) + 1))
        return True

    def _garbled(self, exc: Garbled, where: str) -> None:
        self.stopped = f"the kernel sent a message the grader could not read while running {where} ({exc})"
        self.result.status = Status.KERNEL_DIED
        self.result.details.append(self.stopped)

    def start_cells(self, nb: NotebookNode) -> None:
        """The student's notebook whose code cells (the test cells excepted) ``run_until`` runs, in order."""
        self.nb = nb
        self.code_cells = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and not is_test_cell(c)]
        self.positions: dict[str, int] = {}   # grade_id -> index of its cell in the notebook
        for index, cell in enumerate(nb.cells):
            self.positions.setdefault(str(nbgrader_meta(cell).get("grade_id")), index)
        self.next = 0   # the position in code_cells of the next cell to run

    def reach(self, grade_id: str, through: bool) -> None:
        """Run the student's cells up to the cell ``grade_id`` (through it when ``through``), as a
        notebook run from the top reaches it. Before a test cell, keep the kernel's names as they
        are there: the test's hidden part, run later, calls the functions the test saw."""
        index = self.positions.get(grade_id)
        if index is None:
            return   # not in the student's notebook: the calls see the kernel as it is
        self.run_until(index + 1 if through else index)
        if not through and not self.stopped:
            self.call_in_kernel(f"__import__('_grader_link').pin({grade_id!r})", f"the cells before {grade_id[:80]}")

    def run_until(self, stop: int | None) -> None:
        """Run the student's cells not run yet that come before notebook index ``stop`` (all when None),
        keeping their outputs."""
        started = time.perf_counter()
        try:
            while self.next < len(self.code_cells) and (stop is None or self.code_cells[self.next] < stop):
                if not self._run_cell(self.next):
                    mark_not_run(self.nb, self.code_cells[self.next:], self.stopped or STOPPED)
                    self.next = len(self.code_cells)
                    return
                self.next += 1
        finally:
            self.cells_s += time.perf_counter() - started

    def _run_cell(self, position: int) -> bool:
        """Run one code cell; False when the kernel can run nothing more (the cells left are not run)."""
        if self.stopped:
            return False
        index = self.code_cells[position]
        cell = self.nb.cells[index]
        grade_id = str(nbgrader_meta(cell).get("grade_id", f"cell {index}"))[:80]
        timeouts_before = self.client.timeouts
        if not self._within_budget():
            return False
        try:
            ran = run_code(self.client, self.scratch, cell.source)
        except (Unresponsive, DeadKernelError) as stop:
            self._stop(stop, grade_id)
            cell.outputs = [error_output("TimeoutError" if isinstance(stop, Unresponsive) else "DeadKernelError", self.stopped or STOPPED)]
            self.next += 1   # this cell has its output
            return False
        except Garbled as exc:
            self._garbled(exc, grade_id)
            return False
        cell.outputs = list(ran.outputs)
        cell.execution_count = position + 1
        if self.client.timeouts > timeouts_before:
            self._timed_out(grade_id)
            if self.stopped:
                self.next += 1
                return False
        return True

    def _timed_out(self, what: str) -> None:
        """``what`` timed out and was interrupted: go on if the kernel recovered, within MAX_TIMEOUTS."""
        self.result.status = Status.TIMEOUT
        self.result.details.append(f"{what} ran longer than {self.limits.cell_timeout_s} s")
        if self.client.timeouts >= MAX_TIMEOUTS:
            self.stopped = f"stopped after {MAX_TIMEOUTS} timeouts"
        elif not responsive(self.client, self.scratch):
            self.stopped = f"the kernel did not recover after {what} timed out"
        if self.stopped:
            self.result.details.append(self.stopped)

    def _stop(self, stop: BaseException, where: str) -> None:
        if isinstance(stop, Unresponsive):
            self.stopped = f"{where} ran longer than {self.limits.cell_timeout_s} s and the kernel did not stop when interrupted"
            self.result.status = Status.TIMEOUT
        else:
            self.stopped = f"the kernel died while running {where}"
            self.result.status = Status.KERNEL_DIED
        self.result.details.append(self.stopped)

    def open_link(self) -> None:
        """Load the grader's end of the link into the kernel, each of ``LINK_SOURCES`` as its module
        (student_side.py as ``_grader_link``)."""
        code = "import sys as _s, types as _t\n"
        for name, path in LINK_SOURCES:
            code += (f"_m = _t.ModuleType({name!r})\nexec(compile({path.read_text()!r}, {name!r}, 'exec'), _m.__dict__)\n"
                     f"_s.modules[{name!r}] = _m\n")
        code += "del _s, _t, _m"
        # before any student code, so no student can slow it: a generous timeout (imports on a busy
        # machine), and the notebook's time budget starts after it
        self.client.timeout = LINK_LOAD_TIMEOUT_S
        try:
            ran = run_code(self.client, self.scratch, code)
        except (Unresponsive, DeadKernelError) as stop:
            self._stop(stop, "loading the grader's link")
            return
        except Garbled as exc:
            self._garbled(exc, "the grader's link")
            return
        errors = [f"{o.ename}: {o.evalue}"[:300] for o in ran.outputs if o.output_type == "error"]
        if errors:
            self.stopped = f"the grader's link could not be loaded in the kernel ({errors[0]})"
            self.result.details.append(self.stopped)
        self.deadline = time.monotonic() + self.limits.notebook_s

    def call_in_kernel(self, code: str, what: str) -> Reply:
        """Run ``code``; an OK reply, or why not (timeout, stopped, the link failed)."""
        if self.stopped:
            return Reply(ReplyStatus.STOPPED, f"your code can no longer run: {self.stopped}")
        self.scratch.cells = []
        timeouts_before = self.client.timeouts
        if not self._within_budget():
            return Reply(ReplyStatus.STOPPED, f"your code can no longer run: {self.stopped}")
        try:
            ran = run_code(self.client, self.scratch, code)
        except (Unresponsive, DeadKernelError) as stop:
            self._stop(stop, what)
            return Reply(ReplyStatus.STOPPED, f"your code can no longer run: {self.stopped}")
        except Garbled as exc:
            self._garbled(exc, what)
            return Reply(ReplyStatus.STOPPED, f"your code can no longer run: {self.stopped}")
        if self.client.timeouts > timeouts_before:
            self._timed_out(what)
            return Reply(ReplyStatus.TIMEOUT, f"{what} ran longer than {self.limits.cell_timeout_s} s and was interrupted")
        errors = [o for o in ran.outputs if o.output_type == "error"]
        if errors:
            return Reply(ReplyStatus.ERROR, f"the grader's link in your kernel failed ({errors[0].ename}: {errors[0].evalue[:300]})")
        return Reply(ReplyStatus.OK)

    def answer(self, request_b64: str, what: str, at: str | None) -> Reply:
        """Run one request of the trusted checks (with the kernel's names as they were before the
        test cell ``at``, when given); the reply to send back to them."""
        started = time.perf_counter()
        try:
            return self._answer(request_b64, what, at)
        finally:
            self.calls_s += time.perf_counter() - started

    def _answer(self, request_b64: str, what: str, at: str | None) -> Reply:
        self.calls += 1
        rpc = self.workdir / ".grader"
        request_name, result_name = f"request-{self.calls}", f"result-{self.calls}"
        try:
            if self.rpc_fd is None:
                rpc.mkdir(exist_ok=True)
                # every later step through this descriptor: a folder swapped for a symlink changes nothing
                self.rpc_fd = os.open(rpc, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
                hand_over(self.rpc_fd)   # the kernel writes its results here
            fd = os.open(request_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=self.rpc_fd)
            hand_over(fd)
            with os.fdopen(fd, "wb") as f:
                f.write(base64.b64decode(request_b64))
        except OSError as exc:
            return Reply(ReplyStatus.ERROR, f"the grader could not pass the arguments to your kernel ({exc.strerror or exc})")
        reply = self.call_in_kernel(
            f"__import__('_grader_link').serve({str(rpc / request_name)!r}, {str(rpc / result_name)!r}, {at!r})", what)
        if reply.status is ReplyStatus.OK:
            raw = _read_plain_file(result_name, self.rpc_fd)
            reply = (Reply(ReplyStatus.OK, result=base64.b64encode(raw).decode("ascii")) if raw is not None else
                     Reply(ReplyStatus.ERROR, f"{what} left no answer for the grader"))
        for name in (request_name, result_name):
            with contextlib.suppress(OSError):
                os.unlink(name, dir_fd=self.rpc_fd)
        return reply

    def close(self) -> None:
        if self.rpc_fd is not None:
            os.close(self.rpc_fd)
            self.rpc_fd = None


def _read_plain_file(name: str, dir_fd: int) -> bytes | None:
    """The bytes of a regular file the kernel wrote (no symlink followed, size capped)."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=dir_fd)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_RESULT_BYTES:
            return None
        return f.read(MAX_RESULT_BYTES + 1)


def mark_not_run(nb: NotebookNode, indices: list[int], reason: str) -> None:
    for index in indices:
        nb.cells[index].outputs = [error_output("NotRun", f"not run: {reason}")]
