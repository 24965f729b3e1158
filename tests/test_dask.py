"""Grading on a Dask cluster (issue 15): a real scheduler and two workers started on loopback, one
worker killed with SIGKILL while it runs a notebook; the run still gives the local pool's grades,
and nothing the killed worker started is left. A worker with another NumPy is refused.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder.backends import ClusterError, ClusterOptions
from autograder.course import ROOT
from autograder.model import Limits
from autograder.pipeline.grade import Grader, Settings
from autograder.runner.sandboxes.bubblewrap import bwrap_problem
from tests.example_class import write_class

distributed = pytest.importorskip("distributed", reason="the cluster extra (dask, distributed) is not installed")

pytestmark = [pytest.mark.slow, pytest.mark.sandbox]

LECTURES = ("06-padding",)   # two notebooks: one on each worker, one of them killed
SANDBOX = "bwrap" if bwrap_problem() is None else "none"
LIMITS = Limits(cell_timeout_s=60, sandbox=SANDBOX)
ALLOWED_FAILURES = 1


def _start(args: list[str], log: Path, extra_path: str = "") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (extra_path, str(ROOT)) if p)}
    return subprocess.Popen([sys.executable, "-m", *args], stdout=log.open("w"), stderr=subprocess.STDOUT, env=env,
                            cwd=log.parent, start_new_session=True)


def _stop(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=20)


def _worker(scheduler_file: Path, name: str, folder: Path, extra_path: str = "") -> subprocess.Popen:
    return _start(["distributed.cli.dask_worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                   "--no-dashboard", "--name", name], folder / f"{name}.log", extra_path)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """(scheduler file, folder, processes): a scheduler and two workers, the project on their path."""
    folder = tmp_path_factory.mktemp("dask")
    scheduler_file = folder / "scheduler.json"
    # a task whose worker dies is retried once; on the second death it fails (the default allows 3)
    os.environ["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"] = str(ALLOWED_FAILURES)
    try:
        processes = [_start(["distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                             "--scheduler-file", str(scheduler_file)], folder / "scheduler.log")]
    finally:
        del os.environ["DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES"]
    deadline = time.monotonic() + 120
    while not scheduler_file.exists():
        assert time.monotonic() < deadline and processes[0].poll() is None, (folder / "scheduler.log").read_text()
        time.sleep(0.5)
    processes += [_worker(scheduler_file, f"w{i}", folder) for i in (1, 2)]
    with distributed.Client(scheduler_file=str(scheduler_file), timeout=60) as client:
        client.wait_for_workers(2, timeout=180)
    yield scheduler_file, folder, processes
    for process in reversed(processes):
        _stop(process)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def _descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def _a_kernel_runs(processes: list[int]) -> bool:
    """Is one of ``processes`` a student's kernel: started cold (its launcher), or forked from the
    worker's pre-warmed process (a kernel_zygote.py below another)?"""
    commands = {p: _command(p) for p in processes}
    tree = _children()
    return any("kernel_launcher" in command or ("kernel_zygote" in command and any(
        "kernel_zygote" in commands.get(child, "") for child in tree.get(p, []))) for p, command in commands.items())


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def submissions(tmp_path_factory) -> Path:
    return write_class(tmp_path_factory.mktemp("class") / "submissions", LECTURES)


@pytest.fixture(scope="module")
def local(tmp_path_factory, submissions) -> dict:
    """The class graded by the local pool: (status, score, max score) per (student, lecture)."""
    folder = tmp_path_factory.mktemp("local")
    outcomes = Grader(Settings(submissions=submissions, out=folder / "out", course_dir=folder / "course",
                               workers=2, limits=LIMITS, progress=False)).run()
    return {k: (o.status, o.score, o.max_score) for k, o in outcomes.items()}


class WorkerKiller(threading.Thread):
    """Kills (SIGKILL) each worker seen running a notebook, ``times`` times in all."""

    def __init__(self, scheduler_file: Path, times: int):
        super().__init__(daemon=True)
        self.scheduler_file, self.times = scheduler_file, times
        self.killed: list[list[int]] = []   # per kill: the worker's processes at that moment
        self.stop = threading.Event()

    def run(self) -> None:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and len(self.killed) < self.times and not self.stop.is_set():
            with distributed.Client(scheduler_file=str(self.scheduler_file), timeout=60) as client:
                worker_pids = client.run(os.getpid)   # again after each kill: the nanny starts a new worker
            killed = False
            while not killed and not self.stop.is_set() and time.monotonic() < deadline:
                for pid in worker_pids.values():
                    below = _descendants(pid)
                    if _a_kernel_runs(below):   # a notebook is running there
                        os.kill(pid, signal.SIGKILL)
                        self.killed.append(below)
                        killed = True
                        break
                time.sleep(0.2)


def _on_cluster(folder: Path, submissions: Path, scheduler_file: Path) -> Grader:
    return Grader(Settings(submissions=submissions, out=folder / "out", course_dir=folder / "course", workers=1,
                           limits=LIMITS, progress=False, cluster=ClusterOptions(scheduler_file=scheduler_file)))


def test_a_worker_killed_mid_notebook_changes_no_grade(tmp_path, cluster, submissions, local):
    scheduler_file, _, _ = cluster
    killer = WorkerKiller(scheduler_file, times=1)
    killer.start()
    outcomes = _on_cluster(tmp_path / "dask", submissions, scheduler_file).run()
    killer.stop.set()
    killer.join(timeout=60)
    assert killer.killed, "no worker was seen running a notebook"
    assert {k: (o.status, o.score, o.max_score) for k, o in outcomes.items()} == local
    handed_in = {k: o.status for k, o in outcomes.items() if k[1] in LECTURES}
    assert set(handed_in.values()) == {"graded"} and len(handed_in) == 2, handed_in
    (orphans,) = killer.killed
    deadline = time.monotonic() + 30
    while any(_alive(p) for p in orphans) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not [(_command(p), p) for p in orphans if _alive(p)], "the killed worker's processes outlived it"
    # the workers never saw a path of this machine's course workspace
    assert not (tmp_path / "dask" / "course" / "work").exists()


def test_a_notebook_whose_workers_keep_dying_is_a_grader_error_and_a_new_run_grades_it(tmp_path, cluster, local):
    scheduler_file, _, _ = cluster
    one = write_class(tmp_path / "submissions", LECTURES, students=("ada",))
    killer = WorkerKiller(scheduler_file, times=ALLOWED_FAILURES + 1)
    killer.start()
    outcome = _on_cluster(tmp_path / "dask", one, scheduler_file).run()[("ada", LECTURES[0])]
    killer.stop.set()
    killer.join(timeout=60)
    assert len(killer.killed) == ALLOWED_FAILURES + 1
    assert outcome.status == "grader error", outcome
    assert "died while running it" in " ".join(outcome.details) and "a new run grades it again" in " ".join(outcome.details)

    again = _on_cluster(tmp_path / "dask", one, scheduler_file)   # the same workspace, the workers left alone
    outcome = again.run()[("ada", LECTURES[0])]
    assert again.jobs_run == 1 and (outcome.status, outcome.score, outcome.max_score) == local[("ada", LECTURES[0])]


def test_a_worker_with_another_numpy_is_refused(tmp_path, cluster):
    scheduler_file, folder, _ = cluster
    other = tmp_path / "other-numpy"
    other.mkdir()
    (other / "sitecustomize.py").write_text("import numpy\nnumpy.__version__ = '0.0.1'\n")
    odd = _worker(scheduler_file, "w-odd", folder, extra_path=str(other))
    try:
        with distributed.Client(scheduler_file=str(scheduler_file), timeout=60) as client:
            client.wait_for_workers(3, timeout=180)
        submissions = write_class(tmp_path / "submissions", LECTURES)
        grader = Grader(Settings(submissions=submissions, out=tmp_path / "out", course_dir=tmp_path / "course",
                                 workers=1, limits=LIMITS, progress=False,
                                 cluster=ClusterOptions(scheduler_file=scheduler_file)))
        with pytest.raises(ClusterError) as refused:
            grader.run()
        import numpy

        assert f"numpy 0.0.1, this machine {numpy.__version__}" in str(refused.value)
        assert grader.jobs_run == 0
    finally:
        _stop(odd)
