"""The cgroups of one grading kernel: a cap on its processes (``pids``) and on all the memory it
holds (``memory``), where this machine lets the grader make them.

The ``pids`` controller binds root as well; where no cgroup can be made, the kernel launcher
falls back to RLIMIT_NPROC, which binds ordinary users only. Each group's name carries the
grading run's id (``RUN_ID``, set by run_folder.py), so what a killed run left is found and removed.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
import uuid
from pathlib import Path

RUN_ID = "SEQCONV_GRADING_RUN"   # the environment variable naming the run (its cgroups carry it)
GROUP_PREFIX = "seqconv-grading-"   # then the run's id and the kernel's own
MAX_PROCESSES = 256   # threads count too: a kernel with BLAS and ipykernel's threads uses ~20


class ProcessGroup:
    """The cgroups of one kernel, where this machine lets the grader make them.

    - pids: caps the number of processes (root included), lists them for the disk watch, and
      kills what is left at the end (a fork bomb, a daemon left behind);
    - memory: caps all the memory the kernel's processes hold, counted by the kernel of the
      machine: their own pages, and what they keep in memory-backed files that outlive an
      address space (the sandbox's tmpfs at /tmp and /dev/shm, memfd, System V shared
      memory), which RLIMIT_AS does not see. Past it the kernel's process is killed.
    """

    def __init__(self, max_processes: int = MAX_PROCESSES, memory_bytes: int | None = None):
        name = f"{GROUP_PREFIX}{os.environ.get(RUN_ID, 'norun')}-{uuid.uuid4().hex[:12]}"
        pids, memory = _hierarchy("pids"), None if memory_bytes is None else _hierarchy("memory")
        capped = {} if memory_bytes is None else _memory_settings(memory_bytes)
        if pids is not None and pids == memory:   # cgroup v2: one group, both controllers
            self.path = self.memory = _make_group(pids / name, {"pids.max": str(max_processes), **capped})
        else:
            self.path = None if pids is None else _make_group(pids / name, {"pids.max": str(max_processes)})
            self.memory = None if memory is None else _make_group(memory / name, capped)

    @property
    def folders(self) -> list[Path]:
        """The groups made, for the kernel launcher to join."""
        return list(dict.fromkeys(group for group in (self.path, self.memory) if group is not None))

    def pids(self) -> list[int]:
        """The processes in the group now (empty without a pids group)."""
        if self.path is None:
            return []
        try:
            return [int(p) for p in (self.path / "cgroup.procs").read_text().split()]
        except OSError:
            return []

    def out_of_memory(self) -> bool:
        """Did the machine's kernel kill a process of this group for its memory?"""
        if self.memory is None:
            return False
        for name in ("memory.events", "memory.oom_control"):   # cgroup v2, v1
            with contextlib.suppress(OSError, ValueError):
                for line in (self.memory / name).read_text().splitlines():
                    key, _, value = line.partition(" ")
                    if key == "oom_kill" and int(value) > 0:
                        return True
        return False

    def close(self) -> None:
        """Kill every process still in the group, then remove the groups."""
        if self.path is not None:
            for _ in range(50):
                pids = self.pids()
                if not pids:
                    break
                for pid in pids:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
                time.sleep(0.05)
        for group in self.folders:
            for _ in range(20):   # a memory group is busy a moment after its last process ended
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.05)
        self.path = self.memory = None


def remove_groups(run_id: str) -> None:
    """Kill what is left in the cgroups of the run ``run_id`` (run_folder.py), and remove them."""
    for controller in ("pids", "memory"):
        hierarchy = _hierarchy(controller)
        if hierarchy is None:
            continue
        for folder in hierarchy.glob(f"{GROUP_PREFIX}{run_id}-*"):
            group = ProcessGroup.__new__(ProcessGroup)
            group.path = folder if controller == "pids" else None
            group.memory = folder if controller == "memory" else None
            group.close()


def _memory_settings(memory_bytes: int) -> dict[str, str]:
    """The files of a memory group that cap it at ``memory_bytes``, swap included (v1 and v2 names;
    the ones a hierarchy does not have are skipped)."""
    return {"memory.limit_in_bytes": str(memory_bytes), "memory.memsw.limit_in_bytes": str(memory_bytes),
            "memory.max": str(memory_bytes), "memory.swap.max": "0"}


def _make_group(path: Path, settings: dict[str, str]) -> Path | None:
    """The new cgroup ``path`` with ``settings`` written (the files its hierarchy has); None when
    it cannot be made, or a setting cannot be written."""
    try:
        path.mkdir()
        for file, value in settings.items():
            if (path / file).exists():
                (path / file).write_text(value)
        return path
    except OSError:
        with contextlib.suppress(OSError):
            path.rmdir()
        return None


def _hierarchy(controller: str) -> Path | None:
    """Our cgroup in a writable hierarchy with ``controller`` (cgroup v1; v2 where it is delegated), or None."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        _, controllers, path = line.split(":", 2)
        if controller in controllers.split(","):
            base = Path("/sys/fs/cgroup") / controller / path.lstrip("/")
            if base.is_dir() and os.access(base, os.W_OK):
                return base
        if controllers == "":   # cgroup v2
            base = Path("/sys/fs/cgroup") / path.lstrip("/")
            try:
                enabled = (base / "cgroup.subtree_control").read_text().split()
            except OSError:
                continue
            if controller in enabled and os.access(base, os.W_OK):
                return base
    return None
