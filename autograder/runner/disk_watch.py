"""The disk quota of one kernel: a thread that kills it when what it keeps in files passes the quota."""

from __future__ import annotations

import contextlib
import os
import stat
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

# What the kernel may hold in files: its folders, its sandbox's tmpfs, files deleted but kept
# open (RLIMIT_FSIZE caps one file only); DiskWatch kills the kernel past it.
DISK_QUOTA_BYTES = 512 * 1024 * 1024
DISK_QUOTA_ENTRIES = 10_000


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


def descendants(km: AsyncKernelManager) -> list[int]:
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
