"""The sandbox around a student's kernel: bubblewrap, plus a process-count limit.

Inside, the kernel sees a read-only system (/usr, /lib, /etc, Python and the course's
virtualenv, the seqconv library) and nothing else of this machine: not the repository,
not solutions/, not the course workspace (gradebook, masters, hidden tests), not other
students' work. Writable: its own working directory, the folder of its IPC sockets, and
small tmpfs at /tmp and /dev/shm (the sandbox's own root and /dev are read-only). The
grader watches the disk use of the two folders (DiskWatch in execute.py). No network (a new network namespace has only a loopback of its own), no
view of other processes or their IPC, its own hostname.

The number of processes is capped with a cgroup (the ``pids`` controller), which binds
root as well; where no cgroup can be made, the kernel launcher falls back to
RLIMIT_NPROC, which binds ordinary users only. All the memory the kernel holds (memory-backed
files included) is capped by a ``memory`` cgroup where one can be made (see ProcessGroup).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from .run_folder import RUN_ID

LIB = Path(__file__).resolve().parents[1] / "lib"
TMP_BYTES = 256 * 1024 * 1024
SHM_BYTES = 64 * 1024 * 1024
GROUP_PREFIX = "seqconv-grading-"   # then the run's id (run_folder.py) and the kernel's own
# a kernel's home and caches, in its sandbox's /tmp (both sandboxes: bwrap_command, kernel_zygote.py)
KERNEL_HOME = "/tmp/home"
KERNEL_ENV = {"HOME": KERNEL_HOME, "MPLCONFIGDIR": f"{KERNEL_HOME}/matplotlib", "IPYTHONDIR": f"{KERNEL_HOME}/ipython",
              "TMPDIR": "/tmp"}
MAX_PROCESSES = 256   # threads count too: a kernel with BLAS and ipykernel's threads uses ~20


@functools.lru_cache(maxsize=1)
def bwrap_problem() -> str | None:
    """None when bubblewrap runs here; otherwise why not, in a sentence."""
    if not sys.platform.startswith("linux"):
        return f"bubblewrap is Linux-only and this is {sys.platform}"
    if shutil.which("bwrap") is None:
        return "bubblewrap (bwrap) is not installed: `apt-get install bubblewrap` (make test installs it where it can)"
    identity = kernel_identity()
    if identity is not None and shutil.which("setpriv") is None:
        return "setpriv (util-linux) is not installed: grading as root needs it to run kernels unprivileged"
    try:
        trial = subprocess.run(["bwrap", *_namespaces(), "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev",
                                *_drop_privileges(identity), "true"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bubblewrap could not start: {exc}"
    if trial.returncode != 0:
        return f"bubblewrap cannot create namespaces here: {trial.stderr.strip()[:300]}"
    return None


@functools.lru_cache(maxsize=1)
def kernel_identity() -> tuple[int, int] | None:
    """The unprivileged (uid, gid) a kernel runs as when the grader is root; None otherwise.

    Root inside bubblewrap keeps its capabilities (it could remount a read-only bind
    writable or mount a filesystem) and owns root's files (it could read /etc/shadow). So a
    root grader hands each kernel to ``nobody``: bubblewrap makes the mounts as root, then
    setpriv switches to nobody with every capability gone, bounding set included, and
    no_new_privs set (no setuid program or file capability can give one back).
    """
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam("nobody")
    except KeyError:
        return 65534, 65534
    return entry.pw_uid, entry.pw_gid


def hand_over(*targets: Path | int) -> None:
    """Give what the grader made for the kernel (its folders, files, open descriptors) to the kernel's uid."""
    identity = kernel_identity()
    if identity is None:
        return
    for target in targets:
        if isinstance(target, int):
            os.fchown(target, *identity)
        else:
            os.chown(target, *identity, follow_symlinks=False)


def _namespaces() -> list[str]:
    # A pid namespace of its own: the kernel sees no process of this machine, so it cannot
    # signal the grader; everything in it dies with the sandbox's pid 1. Root makes no user
    # namespace (it would map uid 0 to root and nothing else): its kernels drop to nobody.
    user = [] if kernel_identity() is not None else ["--unshare-user-try"]
    return [*user, "--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]


def _drop_privileges(identity: tuple[int, int] | None) -> list[str]:
    """The command prefix that runs the kernel as ``identity`` with no capability (nothing when None)."""
    if identity is None:
        return []
    uid, gid = identity
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--inh-caps=-all", "--ambient-caps=-all",
            "--bounding-set=-all", "--no-new-privs", "--"]


def readonly_roots() -> list[str]:
    """What a kernel sees of this machine, read-only: the system, Python, the virtualenv, the library."""
    roots = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", sys.base_prefix, sys.prefix, str(LIB)]
    unique: list[str] = []
    for root in roots:
        if os.path.exists(root) and root not in unique:
            unique.append(root)
    return unique


def bwrap_command(kernel_command: list[str], *, workdir: Path, sockets: Path, connection_file: str,
                  font_cache: Path | None = None) -> list[str]:
    """``kernel_command`` wrapped in bubblewrap (the kernel launcher runs this, outside, after setting the limits).

    ``font_cache``: matplotlib's font list (``fontlist-*.json``, from ``font_cache()``), bound
    read-only into the kernel's otherwise empty matplotlib folder so that ``import
    matplotlib.pyplot`` does not scan the system's fonts again in every kernel (0.4 s).
    """
    command = ["bwrap", *_namespaces(), "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    # the tmpfs first: a later mount on /tmp would hide what is bound below it (a checkout in /tmp)
    # world-writable (sticky) as a /tmp is: the kernel may run as another user than the one mounting
    command += ["--proc", "/proc", "--dev", "/dev", "--size", str(SHM_BYTES), "--perms", "1777", "--tmpfs", "/dev/shm",
                "--remount-ro", "/dev", "--size", str(TMP_BYTES), "--perms", "1777", "--tmpfs", "/tmp"]
    roots = readonly_roots()
    # the folders leading to each bind, made traversable: bubblewrap would copy the host's
    # modes (/root is 0700), and a kernel that runs as nobody could not reach its own files
    command += _traversable_parents([*roots, str(workdir), str(sockets), connection_file])
    for root in roots:
        command += ["--ro-bind", root, root]
    command += ["--bind", str(workdir), str(workdir), "--bind", str(sockets), str(sockets)]
    # the connection file (with the kernel's HMAC key) lives in /tmp: bind the file alone
    command += ["--ro-bind", connection_file, connection_file]
    # ipykernel would watch the grader's pid, which does not exist in the pid namespace, and
    # quit; --die-with-parent does that job.
    command += ["--unsetenv", "JPY_PARENT_PID"]
    command += ["--perms", "0777", "--dir", KERNEL_HOME, "--perms", "0777", "--dir", KERNEL_ENV["MPLCONFIGDIR"]]
    if font_cache is not None:
        command += ["--ro-bind", str(font_cache), f"{KERNEL_ENV['MPLCONFIGDIR']}/{font_cache.name}"]
    command += [arg for name, value in KERNEL_ENV.items() for arg in ("--setenv", name, value)]
    command += ["--chdir", str(workdir)]
    # last: the sandbox's own root (a tmpfs holding the mount points) becomes read-only too
    command += ["--remount-ro", "/"]
    return [*command, "--", *_drop_privileges(kernel_identity()), *kernel_command]


@functools.lru_cache(maxsize=1)
def font_cache() -> Path | None:
    """matplotlib's font list, built once per process in a private folder (None if it cannot be).

    The folder is this process's own (writable by it alone, removed at exit): nothing
    another user or a kernel can write reaches the file the kernels read.
    """
    folder = Path(tempfile.mkdtemp(prefix="grading-fonts-"))
    folder.chmod(0o755)   # readable by the kernels' uid (kernel_identity); writable by this process only
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    try:
        subprocess.run([sys.executable, "-c", "import matplotlib.font_manager"], env={**os.environ, "MPLCONFIGDIR": str(folder)},
                       stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=True)
    except (OSError, subprocess.SubprocessError):
        return None
    found = sorted(folder.glob("fontlist-*.json"))
    return found[0] if found else None


def _traversable_parents(paths: list[str]) -> list[str]:
    """``--perms 0755 --dir`` for every folder above ``paths`` (parents first, each once)."""
    parents: list[str] = []
    for path in paths:
        for parent in reversed(Path(path).parents):
            name = str(parent)
            if name not in ("/", "/tmp", "/dev") and name not in parents:
                parents.append(name)
    parents.sort(key=lambda name: name.count("/"))
    return [arg for name in parents for arg in ("--perms", "0755", "--dir", name)]


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
