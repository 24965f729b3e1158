"""The worker's end of the trusted checks: start them for a notebook, relay their calls to the
student's kernel, collect their verdicts.

The trusted checks run the master's cells (link/trusted.py) in a process of their own, forked
from a pre-warmed one (trusted_host.py). They speak the messages of link/protocol.py, a JSON line
each over two pipes: ``Reach``/``ReachEnd`` (run the student's cells up to a test cell, or all of
them), ``Call`` (call the student's function: the request goes to the kernel, its ``Reply``
back), ``Verdict`` (a test cell's result) and ``Done``.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import shutil
import tempfile
from pathlib import Path

from nbformat import NotebookNode

from autograder.cells import is_answer_cell, is_test_cell, nbgrader_meta, split_test_source
from autograder.link import protocol
from autograder.link.protocol import AnswerCell, Call, JobCell, Reach, ReachEnd, TeachingCell, TestCell, TrustedJob, Verdict
from autograder.link.trusted import defined_names
from autograder.model import Limits
from autograder.runner import trusted_host
from autograder.runner.student_kernel import StudentKernel
from autograder.runner.trusted_host import PACKAGE_ROOT, TrustedChecksFailed, log_tail


def trusted_job(master: NotebookNode) -> TrustedJob:
    """What the trusted checks run: the master's code cells, each as teaching, answer or test."""
    cells: list[JobCell] = []
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_test_cell(cell):
            visible, hidden = split_test_source(cell.source)
            cells.append(TestCell(str(grade_id), visible, hidden))
        elif is_answer_cell(cell):
            # the names it defines, not its source: the reference solution stays out of the job
            functions, variables = defined_names(cell.source)
            cells.append(AnswerCell(str(grade_id), functions, variables))
        else:
            cells.append(TeachingCell(grade_id, cell.source))
    return TrustedJob(cells, [str(PACKAGE_ROOT)])


def run_trusted(master: NotebookNode, kernel: StudentKernel, limits: Limits, env: dict) -> dict[str, Verdict]:
    """Run the trusted checks against ``kernel``; the verdict of each test cell, by grade_id."""
    private = Path(tempfile.mkdtemp(prefix="grading-trusted-"))
    verdicts: dict[str, Verdict] = {}
    silence_s = max(120, 5 * limits.cell_timeout_s)
    run = trusted_host.host().start(trusted_job(master), env, limits.memory_mb, limits.cpu_s, private)
    replies = os.fdopen(run.to_trusted, "w", encoding="utf-8")
    messages = _LineReader(run.from_trusted)
    try:
        while True:
            line = messages.readline(silence_s)
            if line is None:
                raise TrustedChecksFailed(f"the trusted checks were silent for {silence_s} s: {log_tail(run.log)}")
            if not line:
                raise TrustedChecksFailed(f"the trusted checks stopped: {log_tail(run.log)}")
            try:
                message = protocol.decode(line)
            except protocol.ProtocolError as exc:
                raise TrustedChecksFailed(f"{exc}: {log_tail(run.log)}") from None
            if isinstance(message, Reach):
                kernel.reach(message.grade_id, message.through)
            elif isinstance(message, ReachEnd):
                kernel.run_until(None)
            elif isinstance(message, Call):
                replies.write(protocol.encode(kernel.answer(message.request, message.what, message.at)) + "\n")
                replies.flush()
            elif isinstance(message, Verdict):
                verdicts[message.grade_id] = message
            else:
                return verdicts
    finally:
        messages.close()
        with contextlib.suppress(OSError):
            replies.close()
        run.close()
        shutil.rmtree(private, ignore_errors=True)


class _LineReader:
    """Lines from a pipe, with a timeout (select on the descriptor, no hidden buffer)."""

    def __init__(self, fd: int):
        self.fd, self.buffer = fd, b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(fd, selectors.EVENT_READ)

    def readline(self, timeout: float) -> str | None:
        """The next line; "" at end of file; None when nothing came for ``timeout`` seconds."""
        while b"\n" not in self.buffer:
            if not self.selector.select(timeout=timeout):
                return None
            chunk = os.read(self.fd, 1 << 20)
            if not chunk:
                return ""
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode("utf-8")

    def close(self) -> None:
        self.selector.close()
        os.close(self.fd)
