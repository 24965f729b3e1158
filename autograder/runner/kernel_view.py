"""What a sandboxed kernel sees of this machine and who it runs as: the same in every sandbox
that confines it (bubblewrap's, sandboxes/bubblewrap.py, and the one a pre-warmed kernel's fork
builds, kernel_zygote.py).

Read-only: the system (/usr, /lib, /etc), Python and the course's virtualenv, the seqconv
library. Writable: its working directory, the folder of its IPC sockets, and small tmpfs at
/tmp and /dev/shm, where its home and caches are (``KERNEL_ENV``). As root, a kernel runs as
``nobody`` with no capability (``kernel_identity``).
"""

from __future__ import annotations

import atexit
import functools
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

LIB = Path(__file__).resolve().parents[2] / "lib"
TMP_BYTES = 256 * 1024 * 1024
SHM_BYTES = 64 * 1024 * 1024
# a kernel's home and caches, in its sandbox's /tmp (both sandboxes: bwrap_command, kernel_zygote.py)
KERNEL_HOME = "/tmp/home"
KERNEL_ENV = {"HOME": KERNEL_HOME, "MPLCONFIGDIR": f"{KERNEL_HOME}/matplotlib", "IPYTHONDIR": f"{KERNEL_HOME}/ipython",
              "TMPDIR": "/tmp"}


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


def readonly_roots() -> list[str]:
    """What a kernel sees of this machine, read-only: the system, Python, the virtualenv, the library."""
    roots = ["/usr", "/lib", "/lib64", "/lib32", "/bin", "/sbin", "/etc", sys.base_prefix, sys.prefix, str(LIB)]
    unique: list[str] = []
    for root in roots:
        if os.path.exists(root) and root not in unique:
            unique.append(root)
    return unique


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
