"""Run one student notebook the way the grader needs it run, and judge its test cells.

This is the part of grading that takes time, so it runs in worker processes, one
notebook per job, and touches no database. It receives a sanitized notebook (nbgrader
has already put back the locked and test cells) and the lecture's master, and returns
the notebook executed, with a status. Two processes take part:

- the student's kernel, sandboxed (sandbox.py) and under limits (kernel_launcher.py),
  runs the student's cells, the test cells excepted. Its outputs are kept: they are
  the student's own, produced before any test input reached their code;
- the trusted checks (trusted.py) run the master's cells with the student's functions
  as proxies. Each call is relayed here: its arguments go to the kernel, which runs the
  student's function and answers with plain data (wire.py). The test cells' outputs are
  made from the trusted verdicts, and the hidden part's verdict is one line,
  ``HiddenTestFailure: ...``, so no hidden code, value or message reaches the notebook.

What else it does that a plain "run all" does not:
- a cell (or a call) that runs past the timeout is interrupted, and grading goes on if
  the kernel answers again (one infinite loop costs one exercise, not the notebook);
- a kernel that dies (``os._exit``, a crash, a memory limit) ends the student's part:
  the cells it did not reach get an error output and the status says so;
- output is capped per notebook, so gigabytes of prints cannot exhaust the grader.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import os
import selectors
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import DeadKernelError
from nbformat import NotebookNode

from . import sandbox, trusted_host, warm_kernels
from .cells import clean_strings, is_answer_cell, is_test_cell, nbgrader_meta, split_test_source
from .status import Status
from .trusted import defined_names
from .trusted_host import PACKAGE_ROOT, TrustedChecksFailed, log_tail

HIDDEN_FAILURE = "HiddenTestFailure"
# Run as a script, not as ``-m autograder...``: the kernel's working directory is the
# student's, where the autograder package is not importable (and should not be).
LAUNCHER = Path(__file__).with_name("kernel_launcher.py")
LINK_SOURCES = (Path(__file__).with_name("wire.py"), Path(__file__).with_name("student_side.py"))
MAX_RESULT_BYTES = 16 * 1024 * 1024
LINK_LOAD_TIMEOUT_S = 120
MAX_ERROR_TEXT = 2000
# After this many timeouts (cells or calls) the kernel is stopped: a notebook whose every
# function loops forever would otherwise cost a timeout per test call.
MAX_TIMEOUTS = 3
# What the kernel may hold in files: its folders, its sandbox's tmpfs, files deleted but kept
# open (RLIMIT_FSIZE caps one file only); DiskWatch kills the kernel past it.
DISK_QUOTA_BYTES = 512 * 1024 * 1024
DISK_QUOTA_ENTRIES = 10_000

GRADED, TIMEOUT, KERNEL_DIED = Status.GRADED, Status.TIMEOUT, Status.KERNEL_DIED


@dataclass(frozen=True)
class Limits:
    """Resource limits of one grading kernel, and its sandbox ("bwrap" or "none")."""

    cell_timeout_s: int = 60
    memory_mb: int = 2048
    output_bytes: int = 1_000_000
    sandbox: str = "bwrap"
    # sandboxed kernels forked from a pre-warmed process (warm_kernels.py) where the grader can
    # build their sandbox itself (root); False: every kernel starts cold in bubblewrap
    warm_kernels: bool = True

    @property
    def notebook_s(self) -> int:
        """Wall-clock seconds for one notebook's student side, cells and calls together."""
        return max(60, 6 * self.cell_timeout_s)

    @property
    def cpu_s(self) -> int:
        """CPU seconds for the whole kernel: generous, a backstop behind the per-cell timeout."""
        return max(600, 20 * self.cell_timeout_s)


@dataclass
class Timings:
    """Where one notebook's wall time went, in seconds (the grading log and the benchmark show them)."""

    kernel_start_s: float = 0.0   # the sandbox, the interpreter and ipykernel, until the kernel answers
    sandbox_s: float = 0.0        # of which, for a warm kernel: its fork and its sandbox, until ipykernel starts
    link_s: float = 0.0           # the grader's link loaded in the kernel (its imports: NumPy, seqconv)
    cells_s: float = 0.0          # the student's cells
    trusted_s: float = 0.0        # the trusted checks, from their fork to their last verdict
    calls_s: float = 0.0          # of which: the student's functions running in the kernel
    shutdown_s: float = 0.0       # the kernel stopped and everything it held released


@dataclass
class Executed:
    """A notebook after grading execution, and what happened."""

    nb: NotebookNode
    status: Status = GRADED
    details: list[str] = field(default_factory=list)
    timings: Timings = field(default_factory=Timings)
    # test cell -> why its hidden part failed: for the instructor's report, never for the student
    hidden_failures: dict[str, str] = field(default_factory=dict)


def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


STOPPED = "the notebook was stopped"   # the reason given when no more precise one was recorded


class _Unresponsive(Exception):
    """The kernel neither finished nor stopped when interrupted."""


class _Garbled(Exception):
    """The kernel sent a message nbclient could not process (a malformed reply, a forged
    header): the student's doing, never a grader error. Raised by ``_run`` for any failure of
    nbclient's but a timeout or a dead kernel, so that every exchange with the kernel (cells,
    the probe after a timeout, the grader's calls) ends in a status."""


class _LaunchingKernelManager(AsyncKernelManager):
    """Starts the kernel through kernel_launcher.py (limits), inside bubblewrap when asked."""

    launcher_args: tuple[str, ...] = ()   # set on each instance before the kernel starts
    workdir: Path | None = None
    sockets: Path | None = None
    use_bwrap: bool = False

    def format_kernel_cmd(self, extra_arguments=None):  # noqa: ANN001 - jupyter_client's signature
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.use_bwrap:
            if self.workdir is None or self.sockets is None:
                raise RuntimeError("the sandboxed kernel needs its working folder and socket folder set before it starts")
            sandbox.hand_over(self.workdir, self.sockets, Path(self.connection_file))
            cmd = sandbox.bwrap_command(cmd, workdir=self.workdir, sockets=self.sockets, connection_file=self.connection_file,
                                        font_cache=sandbox.font_cache())
        return [sys.executable, str(LAUNCHER), *self.launcher_args, "--", *cmd]


def _content_size(content: dict) -> int:
    """Characters an output message would add to the notebook (its text, data, metadata, error)."""
    data = content.get("data", {})
    return (len(str(content.get("text", ""))) + sum(len(str(v)) for v in data.values())
            + len(str(content.get("metadata", ""))) + len(str(content.get("evalue", ""))) + len(str(content.get("traceback", ""))))


class _CappedClient(NotebookClient):
    """A NotebookClient that drops output past a byte budget for the whole notebook.

    Every way a kernel adds to the notebook is charged: outputs of each kind, errors (past the
    budget, only one short error per cell), and display updates (``update_display_data``, or a
    display with a display_id already shown) once per output they rewrite. Widget state is not
    kept (it would go to the notebook's metadata). ``_cap_outputs`` checks the result again.
    """

    store_widget_state = False

    def __init__(self, *args, output_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self._budget = output_bytes
        self._display_charged: dict[str, int] = {}   # display_id -> characters its outputs hold now
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
        content = msg.get("content")
        if not _well_formed(content):
            self.dropped += 1   # not a message any kernel sends: the student's own
            return None
        if msg["msg_type"] == "error":
            content["evalue"] = str(content.get("evalue", ""))[:MAX_ERROR_TEXT]
            content["ename"] = str(content.get("ename", ""))[:200]
            content["traceback"] = [str(line)[:MAX_ERROR_TEXT] for line in list(content.get("traceback") or [])[-20:]]
        size = _content_size(content)
        if size > self._budget:
            if msg["msg_type"] != "error" or any(o.get("output_type") == "error" for o in outs):
                self.dropped += size
                return None
            # past the budget, a cell keeps one error (it says what went wrong), short
            content["evalue"], content["traceback"] = content["evalue"][:200], []
            size = _content_size(content)
        self._budget -= size
        if display_id:
            self._display_charged[display_id] = self._display_charged.get(display_id, 0) + size
        return super().output(outs, msg, display_id, cell_index)

    def _update_display_id(self, display_id, msg):  # noqa: ANN001 - nbclient's signature
        """A display update rewrites every output shown with its display_id: charged for each."""
        content = msg.get("content")
        shown = sum(len(indices) for indices in self._display_id_map.get(display_id, {}).values())
        if not shown:
            return None
        if not _well_formed(content):
            self.dropped += 1
            return None
        size = _content_size(content) * shown
        growth = size - self._display_charged.get(display_id, 0)
        if growth > self._budget:
            self.dropped += size
            return None
        self._budget -= growth
        self._display_charged[display_id] = size
        return super()._update_display_id(display_id, msg)


def _well_formed(content: object) -> bool:
    """An output message's content as kernels send it: a dict whose data and metadata are dicts."""
    return (isinstance(content, dict) and isinstance(content.get("data", {}), dict)
            and isinstance(content.get("metadata", {}), dict))


def _cap_outputs(cells: list[NotebookNode], limit: int) -> int:
    """Keep the outputs of ``cells``, in order, within ``limit`` bytes of JSON; what is past it
    becomes one line per cell. Returns the bytes dropped. (The client's budget counts characters
    as they arrive; this counts the notebook as written, escapes included.)"""
    left, dropped = limit, 0
    for cell in cells:
        kept = []
        for output in cell.get("outputs", []):
            size = len(json.dumps(output))
            if size <= left:
                kept.append(output)
                left -= size
            else:
                dropped += size
        if len(kept) < len(cell.get("outputs", [])):
            kept.append(nbformat.v4.new_output("stream", name="stdout", text=f"[output past the notebook's limit of {limit:,} bytes dropped]\n"))
        cell.outputs = kept
    return dropped


def _run(client: _CappedClient, scratch: NotebookNode, source: str) -> NotebookNode:
    """Execute ``source``; a cell that timed out gets one TimeoutError output instead of its own."""
    cell = nbformat.v4.new_code_cell(source)
    scratch.cells.append(cell)
    client.timed_out = False
    try:
        ran = client.execute_cell(cell, len(scratch.cells) - 1)
    except (_Unresponsive, DeadKernelError):
        raise
    except Exception as exc:
        raise _Garbled(type(exc).__name__) from exc
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
    except (_Unresponsive, DeadKernelError, _Garbled):
        return False
    finally:
        client.timeout = saved


@dataclass(frozen=True)
class DiskUse:
    """What a kernel holds on disk and in memory-backed file systems."""

    bytes: int     # allocated, in its folders, its sandbox's tmpfs and files deleted but still open
    entries: int   # files and folders (inodes), the same places


class DiskWatch:
    """Kills the kernel when what it holds in files passes the quota (bytes or entries).

    A thread that looks a few times a second at every place a kernel can keep files:
    - its writable folders (the working directory, the socket folder), listed;
    - the tmpfs of its sandbox (/tmp, /dev/shm), read through ``/proc/<pid>/root`` of a
      process inside it: their used blocks and inodes (tmpfs caps bytes only, not files);
    - files deleted but still open or mapped by its processes (a listing misses them; memfd
      included), from ``/proc/<pid>/fd`` and ``/proc/<pid>/maps``.
    The kernel's sandbox is one process tree, so killing its first process ends all of it.
    """

    SANDBOX_TMPFS = ("tmp", "dev/shm")

    def __init__(self, folders: list[Path], kill: Callable[[], None], processes: Callable[[], list[int]] = list,
                 quota_bytes: int = DISK_QUOTA_BYTES, quota_entries: int = DISK_QUOTA_ENTRIES, interval_s: float = 0.2):
        self.folders, self.kill, self.processes = folders, kill, processes
        self.quota_bytes, self.quota_entries, self.interval_s = quota_bytes, quota_entries, interval_s
        self.exceeded: str | None = None
        self._own_mounts = _mount_namespace(os.getpid())
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="disk-watch", daemon=True)

    def __enter__(self) -> DiskWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def usage(self) -> DiskUse:
        """What the kernel holds now (the listing stops counting past the entry quota)."""
        size, entries = self._listed()
        pids = self.processes()
        tmpfs_bytes, tmpfs_entries, tmpfs_devices = self._sandbox_tmpfs(pids)
        deleted_bytes, deleted_entries = _deleted_but_open(pids, skip_devices=tmpfs_devices)
        return DiskUse(size + tmpfs_bytes + deleted_bytes, entries + tmpfs_entries + deleted_entries)

    def _listed(self) -> tuple[int, int]:
        size = entries = 0
        stack = [str(f) for f in self.folders]
        while stack and entries <= self.quota_entries:
            try:
                with os.scandir(stack.pop()) as listing:
                    for entry in listing:
                        entries += 1
                        info = entry.stat(follow_symlinks=False)
                        size += info.st_blocks * 512
                        if entry.is_dir(follow_symlinks=False):
                            stack.append(entry.path)
            except OSError:
                continue
        return size, entries

    def _sandbox_tmpfs(self, pids: list[int]) -> tuple[int, int, set[int]]:
        """(bytes, inodes, devices) of the sandbox's tmpfs, seen from a process inside it."""
        for pid in pids:
            if _mount_namespace(pid) in (None, self._own_mounts):
                continue   # gone, or the launcher outside the sandbox
            size = inodes = 0
            devices = set()
            for mount in self.SANDBOX_TMPFS:
                try:
                    where = f"/proc/{pid}/root/{mount}"
                    fs = os.statvfs(where)
                    devices.add(os.stat(where).st_dev)
                except OSError:
                    continue
                size += (fs.f_blocks - fs.f_bfree) * fs.f_frsize
                inodes += fs.f_files - fs.f_ffree
            return size, inodes, devices
        return 0, 0, set()

    def _watch(self) -> None:
        while not self._stop.wait(self.interval_s):
            use = self.usage()
            if use.bytes > self.quota_bytes or use.entries > self.quota_entries:
                self.exceeded = (f"the kernel's files took more than {self.quota_bytes // 2**20} MiB of disk "
                                 "(files deleted but still open, and files in memory, count too)"
                                 if use.bytes > self.quota_bytes else f"the kernel made more than {self.quota_entries:,} files")
                self.kill()
                return


def _descendants(km: AsyncKernelManager) -> list[int]:
    """The kernel's first process and all below it (where there is no cgroup to list them)."""
    process = getattr(km.provisioner, "process", None)
    found: list[int] = []
    stack = [process.pid] if process is not None else []
    while stack and len(found) < 10_000:
        pid = stack.pop()
        found.append(pid)
        with contextlib.suppress(OSError):
            for tid in os.listdir(f"/proc/{pid}/task"):
                with open(f"/proc/{pid}/task/{tid}/children") as children:
                    stack.extend(int(child) for child in children.read().split())
    return found


def _mount_namespace(pid: int) -> int | None:
    try:
        return os.stat(f"/proc/{pid}/ns/mnt").st_ino
    except OSError:
        return None


def _deleted_but_open(pids: list[int], skip_devices: set[int]) -> tuple[int, int]:
    """(bytes allocated, count) of the regular files that ``pids`` hold open or mapped after their
    last name was removed (memfd included), each file once, those on ``skip_devices`` left out."""
    seen: dict[tuple[int, int], int] = {}

    def count(path: str) -> None:
        try:
            info = os.stat(path)
        except OSError:
            return
        if info.st_nlink == 0 and stat.S_ISREG(info.st_mode) and info.st_dev not in skip_devices:
            seen[(info.st_dev, info.st_ino)] = info.st_blocks * 512

    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in os.listdir(f"/proc/{pid}/fd"):
                count(f"/proc/{pid}/fd/{fd}")
        with contextlib.suppress(OSError), open(f"/proc/{pid}/maps") as maps:
            for line in maps:
                if line.endswith("(deleted)\n"):
                    count(f"/proc/{pid}/map_files/{line.split(' ', 1)[0]}")
    return sum(seen.values()), len(seen)


class _StudentKernel:
    """The student's kernel during one job: runs their cells, then answers the trusted checks."""

    def __init__(self, client: _CappedClient, limits: Limits, workdir: Path, result: Executed):
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
            self.result.status = TIMEOUT
            self.result.details.append(self.stopped)
            return False
        self.client.timeout = max(1, min(self.limits.cell_timeout_s, int(remaining) + 1))
        return True

    def _garbled(self, exc: _Garbled, where: str) -> None:
        self.stopped = f"the kernel sent a message the grader could not read while running {where} ({exc})"
        self.result.status = KERNEL_DIED
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
                    _mark_not_run(self.nb, self.code_cells[self.next:], self.stopped or STOPPED)
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
            ran = _run(self.client, self.scratch, cell.source)
        except (_Unresponsive, DeadKernelError) as stop:
            self._stop(stop, grade_id)
            cell.outputs = [_error("TimeoutError" if isinstance(stop, _Unresponsive) else "DeadKernelError", self.stopped or STOPPED)]
            self.next += 1   # this cell has its output
            return False
        except _Garbled as exc:
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
        self.result.status = TIMEOUT
        self.result.details.append(f"{what} ran longer than {self.limits.cell_timeout_s} s")
        if self.client.timeouts >= MAX_TIMEOUTS:
            self.stopped = f"stopped after {MAX_TIMEOUTS} timeouts"
        elif not _responsive(self.client, self.scratch):
            self.stopped = f"the kernel did not recover after {what} timed out"
        if self.stopped:
            self.result.details.append(self.stopped)

    def _stop(self, stop: BaseException, where: str) -> None:
        if isinstance(stop, _Unresponsive):
            self.stopped = f"{where} ran longer than {self.limits.cell_timeout_s} s and the kernel did not stop when interrupted"
            self.result.status = TIMEOUT
        else:
            self.stopped = f"the kernel died while running {where}"
            self.result.status = KERNEL_DIED
        self.result.details.append(self.stopped)

    def open_link(self) -> None:
        """Load the grader's end of the link (student_side.py) into the kernel as ``_grader_link``."""
        source = "\n".join(p.read_text() for p in LINK_SOURCES)
        code = ("import sys as _s, types as _t\n_m = _t.ModuleType('_grader_link')\n"
                f"exec(compile({source!r}, '_grader_link', 'exec'), _m.__dict__)\n"
                "_s.modules['_grader_link'] = _m\ndel _s, _t, _m")
        # before any student code, so no student can slow it: a generous timeout (imports on a busy
        # machine), and the notebook's time budget starts after it
        self.client.timeout = LINK_LOAD_TIMEOUT_S
        try:
            ran = _run(self.client, self.scratch, code)
        except (_Unresponsive, DeadKernelError) as stop:
            self._stop(stop, "loading the grader's link")
            return
        except _Garbled as exc:
            self._garbled(exc, "the grader's link")
            return
        errors = [f"{o.ename}: {o.evalue}"[:300] for o in ran.outputs if o.output_type == "error"]
        if errors:
            self.stopped = f"the grader's link could not be loaded in the kernel ({errors[0]})"
            self.result.details.append(self.stopped)
        self.deadline = time.monotonic() + self.limits.notebook_s

    def call_in_kernel(self, code: str, what: str) -> dict:
        """Run ``code``; {"status": "ok"} or why not (timeout, stopped)."""
        if self.stopped:
            return {"status": "stopped", "message": f"your code can no longer run: {self.stopped}"}
        self.scratch.cells = []
        timeouts_before = self.client.timeouts
        if not self._within_budget():
            return {"status": "stopped", "message": f"your code can no longer run: {self.stopped}"}
        try:
            ran = _run(self.client, self.scratch, code)
        except (_Unresponsive, DeadKernelError) as stop:
            self._stop(stop, what)
            return {"status": "stopped", "message": f"your code can no longer run: {self.stopped}"}
        except _Garbled as exc:
            self._garbled(exc, what)
            return {"status": "stopped", "message": f"your code can no longer run: {self.stopped}"}
        if self.client.timeouts > timeouts_before:
            self._timed_out(what)
            return {"status": "timeout", "message": f"{what} ran longer than {self.limits.cell_timeout_s} s and was interrupted"}
        errors = [o for o in ran.outputs if o.output_type == "error"]
        if errors:
            return {"status": "error", "message": f"the grader's link in your kernel failed ({errors[0].ename}: {errors[0].evalue[:300]})"}
        return {"status": "ok"}

    def answer(self, request_b64: str, what: str, at: str | None) -> dict:
        """Run one request of the trusted checks (with the kernel's names as they were before the
        test cell ``at``, when given); the reply to send back to them."""
        started = time.perf_counter()
        try:
            return self._answer(request_b64, what, at)
        finally:
            self.calls_s += time.perf_counter() - started

    def _answer(self, request_b64: str, what: str, at: str | None) -> dict:
        self.calls += 1
        rpc = self.workdir / ".grader"
        request_name, result_name = f"request-{self.calls}", f"result-{self.calls}"
        try:
            if self.rpc_fd is None:
                rpc.mkdir(exist_ok=True)
                # every later step through this descriptor: a folder swapped for a symlink changes nothing
                self.rpc_fd = os.open(rpc, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
                sandbox.hand_over(self.rpc_fd)   # the kernel writes its results here
            fd = os.open(request_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600, dir_fd=self.rpc_fd)
            sandbox.hand_over(fd)
            with os.fdopen(fd, "wb") as f:
                f.write(base64.b64decode(request_b64))
        except OSError as exc:
            return {"status": "error", "message": f"the grader could not pass the arguments to your kernel ({exc.strerror or exc})"}
        reply = self.call_in_kernel(
            f"__import__('_grader_link').serve({str(rpc / request_name)!r}, {str(rpc / result_name)!r}, {at!r})", what)
        if reply["status"] == "ok":
            raw = _read_plain_file(result_name, self.rpc_fd)
            reply = ({"status": "ok", "result": base64.b64encode(raw).decode("ascii")} if raw is not None else
                     {"status": "error", "message": f"{what} left no answer for the grader"})
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


def trusted_job(master: NotebookNode) -> dict:
    """What the trusted checks run: the master's code cells, each as teaching, answer or test."""
    cells = []
    for cell in master.cells:
        if cell.cell_type != "code":
            continue
        grade_id = nbgrader_meta(cell).get("grade_id")
        if is_test_cell(cell):
            visible, hidden = split_test_source(cell.source)
            cells.append({"kind": "test", "grade_id": grade_id, "visible": visible, "hidden": hidden})
        elif is_answer_cell(cell):
            # the names it defines, not its source: the reference solution stays out of the job
            functions, variables = defined_names(cell.source)
            cells.append({"kind": "answer", "grade_id": grade_id, "functions": functions, "variables": variables})
        else:
            cells.append({"kind": "teaching", "grade_id": grade_id, "source": cell.source})
    return {"cells": cells, "sys_path": [str(PACKAGE_ROOT)]}


def _run_trusted(master: NotebookNode, kernel: _StudentKernel, limits: Limits, env: dict) -> dict[str, dict]:
    """Run the trusted checks against ``kernel``; the verdict of each test cell, by grade_id."""
    private = Path(tempfile.mkdtemp(prefix="grading-trusted-"))
    verdicts: dict[str, dict] = {}
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
            message = json.loads(line)
            if message["op"] == "reach":
                if message.get("end"):
                    kernel.run_until(None)
                else:
                    kernel.reach(str(message["grade_id"]), bool(message.get("through")))
            elif message["op"] == "run":
                at = message.get("at")
                reply = kernel.answer(message["request"], message.get("what", "your function"), at if isinstance(at, str) else None)
                replies.write(json.dumps(reply) + "\n")
                replies.flush()
            elif message["op"] == "verdict":
                verdicts[message["grade_id"]] = message
            elif message["op"] == "done":
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


def _test_outputs(verdict: dict | None, stopped: str | None) -> list[NotebookNode]:
    """A test cell's outputs, made from its trusted verdict (visible part in full, hidden part as one line)."""
    if verdict is None:
        return [_error("NotRun", f"not run: {stopped or 'the checks did not reach this cell'}")]
    visible = verdict["visible"]
    outputs = []
    if visible["stdout"]:
        outputs.append(nbformat.v4.new_output("stream", name="stdout", text=visible["stdout"]))
    if visible["stderr"]:
        outputs.append(nbformat.v4.new_output("stream", name="stderr", text=visible["stderr"]))
    if visible["error"]:
        outputs.append(_error(*visible["error"]))
    if verdict["hidden_failed"]:
        outputs.append(_hidden_failure(verdict["hidden_why"]))
    return outputs


def execute_notebook(nb: NotebookNode, master: NotebookNode, workdir: Path, limits: Limits) -> Executed:
    """Run ``nb`` (sanitized, outputs cleared) in a kernel in ``workdir``; judge it against ``master``."""
    nb = copy.deepcopy(nb)
    result = Executed(nb)
    sockets = Path(tempfile.mkdtemp(prefix="grading-kernel-"))
    processes = sandbox.ProcessGroup(memory_bytes=limits.memory_mb * 2**20)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JPY_", "JUPYTER_TOKEN"))}
    env["MPLBACKEND"] = "Agg"
    env["SEQCONV_GRADING"] = "1"   # seqconv.checks.check_all: the test cells, not this kernel, have the results
    # One BLAS thread per kernel: grading runs several kernels at once, one per core, and
    # oversubscribed OpenBLAS threads slow a conv by 10x or more (cells would time out).
    env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    km = _kernel_manager(limits, workdir, sockets, processes, env)
    if limits.sandbox == "bwrap":
        # A signal to the sandbox's first process would kill it, not interrupt the kernel: ask by message.
        if km.kernel_spec is None:
            raise RuntimeError("no python3 kernel is installed for the grader to start")
        km.kernel_spec.interrupt_mode = "message"
    client = _CappedClient(
        nbformat.v4.new_notebook(), km=km, timeout=limits.cell_timeout_s, allow_errors=True, interrupt_on_timeout=True,
        iopub_timeout=4, output_bytes=limits.output_bytes, resources={"metadata": {"path": str(workdir)}},
        shutdown_kernel="immediate",
    )
    kernel = _StudentKernel(client, limits, workdir, result)
    verdicts: dict[str, dict] = {}
    disk = DiskWatch([workdir, sockets], lambda: _kill_kernel(km), lambda: processes.pids() or _descendants(km))
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
            verdicts = _run_trusted(master, kernel, limits, env)
            kernel.run_until(None)   # the cells after the last test cell the checks asked for
            timings.cells_s, timings.calls_s = kernel.cells_s, kernel.calls_s
            timings.trusted_s = lap() - kernel.cells_s
    except DeadKernelError:
        result.status = KERNEL_DIED
        result.details.append("the kernel died")
        kernel.stopped = kernel.stopped or "the kernel died"
        kernel.run_until(None)   # marks the cells not reached as not run
    except RuntimeError as exc:
        if isinstance(exc, TrustedChecksFailed):
            raise
        # the kernel failed to start, e.g. refused by the sandbox
        result.status = KERNEL_DIED
        result.details.append(f"the kernel could not start: {exc}")
        kernel.stopped = "the kernel could not start"
        _mark_not_run(nb, [i for i, c in enumerate(nb.cells) if c.cell_type == "code"], kernel.stopped)
    finally:
        lap()
        kernel.close()
        _release_kernel(client, km)
        out_of_memory = processes.out_of_memory()
        processes.close()
        shutil.rmtree(sockets, ignore_errors=True)
        timings.shutdown_s = lap()
    if disk.exceeded:
        result.status = KERNEL_DIED
        result.details.append(f"stopped: {disk.exceeded}")
    if out_of_memory:
        result.status = KERNEL_DIED
        result.details.append(f"stopped: the kernel held more than {limits.memory_mb:,} MiB of memory "
                              "(its own, or in files kept in memory: /tmp, /dev/shm, shared memory)")
    for cell in nb.cells:
        if is_test_cell(cell):
            grade_id = str(nbgrader_meta(cell).get("grade_id"))
            cell.outputs = _test_outputs(verdicts.get(grade_id), kernel.stopped)
    result.hidden_failures = {grade_id: clean_strings(str(v.get("hidden_error") or v.get("hidden_why")))[:MAX_ERROR_TEXT]
                              for grade_id, v in verdicts.items() if v.get("hidden_failed")}
    dropped = client.dropped + _cap_outputs([c for c in nb.cells if c.cell_type == "code" and not is_test_cell(c)],
                                            limits.output_bytes)
    if dropped:
        result.details.append(f"{dropped:,} characters of output were dropped (limit {limits.output_bytes:,})")
    clean_strings(nb)
    return result


def _kernel_manager(limits: Limits, workdir: Path, sockets: Path, processes: sandbox.ProcessGroup,
                    env: dict[str, str]) -> AsyncKernelManager:
    """The kernel's manager: forked from this worker's pre-warmed kernel where the grader can build
    the sandbox itself (warm_kernels.py), else started cold by kernel_launcher.py, in bubblewrap when sandboxed."""
    # IPC sockets instead of TCP on loopback: nothing listens on the network, and a
    # kernel without network access (the sandbox) can still talk to the grader.
    where = {"kernel_name": "python3", "transport": "ipc", "ip": str(sockets / "kernel")}
    if limits.sandbox == "bwrap" and limits.warm_kernels and warm_kernels.problem() is None:
        identity = sandbox.kernel_identity()
        fonts = sandbox.font_cache()
        warm = warm_kernels.WarmKernelManager(**where)
        warm.request = warm_kernels.KernelRequest(
            workdir=str(workdir), sockets=str(sockets), connection_file="", cgroups=[str(g) for g in processes.folders],
            memory_mb=limits.memory_mb, cpu_s=limits.cpu_s,
            limit_processes=not any((g / "pids.max").exists() for g in processes.folders), env={}, argv=[],
            identity=identity if identity is not None else (65534, 65534),
            readonly=[*sandbox.readonly_roots(), *([str(fonts.parent)] if fonts is not None else [])], staging="")
        # the zygote imports with the kernels' environment (BLAS threads, backend), and matplotlib's font list
        warm.zygote_env = {**env, **({"MPLCONFIGDIR": str(fonts.parent)} if fonts is not None else {})}
        return warm
    km = _LaunchingKernelManager(**where)
    km.launcher_args = ("--memory-mb", str(limits.memory_mb), "--cpu-s", str(limits.cpu_s), "--workdir", str(workdir))
    for group in processes.folders:
        km.launcher_args += ("--cgroup", str(group))
    km.workdir, km.sockets, km.use_bwrap = workdir, sockets, limits.sandbox == "bwrap"
    return km


def _release_kernel(client: NotebookClient, km: AsyncKernelManager) -> None:
    """Stop the kernel and free all that was opened for it, whatever state it is in.

    nbclient leaves a kernel manager it was handed alone, so this is ours to do: the
    client's channels (a heartbeat thread, a ZeroMQ context and its sockets), the
    manager's context and connection file, and the kernel's process, killed and reaped.
    """
    process = getattr(km.provisioner, "process", None)
    client.km = km
    with contextlib.suppress(Exception):
        client._cleanup_kernel()   # kills the kernel, removes its files, stops the channels
    kc = client.kc
    if kc is not None:   # the cleanup above failed before it reached the channels
        with contextlib.suppress(Exception):
            kc.stop_channels()
        client.kc = None
    if km.context is not None and not km.context.closed:
        km.context.destroy(linger=0)
    if process is not None:
        with contextlib.suppress(OSError):
            process.kill()
        with contextlib.suppress(Exception):
            process.wait(timeout=10)


def _kill_kernel(km: AsyncKernelManager) -> None:
    """SIGKILL the kernel's first process (the launcher, then bubblewrap, then the kernel: one pid)."""
    process = getattr(km.provisioner, "process", None)
    if process is not None:
        with contextlib.suppress(OSError):
            process.kill()


def _hidden_failure(why: str | None) -> NotebookNode:
    if why == "timeout":
        return _error(HIDDEN_FAILURE, "a hidden test ran past the time limit")
    if why == "stderr":
        return _error(HIDDEN_FAILURE, "a hidden test wrote to stderr (a warning counts as a failure)")
    return _error(HIDDEN_FAILURE, "your answer passed the visible tests but failed a hidden test (other inputs: check the corner cases in the exercise's statement)")


def _mark_not_run(nb: NotebookNode, indices: list[int], reason: str) -> None:
    for index in indices:
        nb.cells[index].outputs = [_error("NotRun", f"not run: {reason}")]
