"""The bubblewrap sandbox (``bwrap``): the kernel in new namespaces, seeing what kernel_view.py lists.

No network (a new network namespace has only a loopback of its own), no view of other
processes or their IPC, its own hostname; the sandbox's own root and /dev are read-only. The
grader watches the disk use of the writable folders (disk_watch.py); cgroups cap processes
and memory (cgroups.py). As root, ``setpriv`` runs the kernel as nobody after bubblewrap's
mounts. A kernel forked from a pre-warmed one gets the same sandbox, built by the grader
itself (kernel_zygote.py; tests/test_warm_kernels.py compares the two).
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import sys
from pathlib import Path

from autograder.runner.kernel_view import (
    KERNEL_ENV,
    KERNEL_HOME,
    SHM_BYTES,
    TMP_BYTES,
    font_cache,
    hand_over,
    kernel_identity,
    readonly_roots,
)
from autograder.runner.sandboxes import InterruptMode, KernelPlaces


class Bubblewrap:
    """The sandbox of every grading run unless ``--no-sandbox``."""

    name = "bwrap"
    label = "bubblewrap"
    note: str | None = None
    # a signal to the sandbox's first process would kill it, not interrupt the kernel: ask by message
    interrupt_mode = InterruptMode.MESSAGE
    forkable = True

    def problem(self) -> str | None:
        return bwrap_problem()

    def wrap(self, kernel_command: list[str], places: KernelPlaces) -> list[str]:
        hand_over(places.workdir, places.sockets, Path(places.connection_file))   # the kernel's uid, as root
        return bwrap_command(kernel_command, workdir=places.workdir, sockets=places.sockets,
                             connection_file=places.connection_file, font_cache=font_cache())


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
