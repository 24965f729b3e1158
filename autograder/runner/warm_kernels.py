"""The worker's side of pre-warmed kernels (kernel_zygote.py): one zygote per worker, a kernel per notebook.

``WarmKernelManager`` is jupyter_client's kernel manager with one change: instead of starting
``python -m ipykernel_launcher`` in bubblewrap, it asks this worker's zygote for a kernel,
which the zygote forks into a sandbox it builds itself (the same mounts, namespaces, limits
and identity as sandboxes/bubblewrap.py and kernel_launcher.py give a cold kernel). The kernel
is then a process like any other to the manager: ``KernelProcess`` wraps its pidfd.

Only a root grader can build the sandbox without bubblewrap, so only a root grader uses it
(``problem()`` says why not, and execute.py starts a cold kernel instead).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager

from autograder.runner import forks, kernel_view, lifetime
from autograder.runner.forks import log_tail

ZYGOTE = Path(__file__).with_name("kernel_zygote.py")
READY_TIMEOUT_S = 120   # the zygote's imports, on a busy machine
LAUNCH_TIMEOUT_S = 60


@dataclass(frozen=True)
class KernelRequest:
    """What one kernel's sandbox is made of: sent to the forked child only, never to the zygote."""

    workdir: str
    sockets: str
    connection_file: str
    cgroups: list[str]
    memory_mb: int
    cpu_s: int
    limit_processes: bool
    env: dict[str, str]
    argv: list[str]          # ipykernel's arguments (``-f CONNECTION_FILE`` and what nbclient adds)
    identity: tuple[int, int]
    readonly: list[str]
    staging: str
    tmp_bytes: int = kernel_view.TMP_BYTES
    shm_bytes: int = kernel_view.SHM_BYTES
    home_folders: tuple[str, ...] = (kernel_view.KERNEL_HOME, kernel_view.KERNEL_ENV["MPLCONFIGDIR"])   # made 0777


class KernelProcess:
    """A forked kernel as jupyter_client sees a ``Popen``: kill, poll and wait, through its pidfd.

    The process is the zygote's child, not ours, so its exit status is not ours to read:
    ``returncode`` is 0 once it has ended, -9 if we killed it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int):
        self.launch_s = 0.0   # from the fork asked for to the sandbox made, privileges dropped
        self.pid = pid
        self._pidfd: int | None = pidfd
        self.returncode: int | None = None
        self._killed = False

    def poll(self) -> int | None:
        if self.returncode is None and self._pidfd is not None and select.select([self._pidfd], [], [], 0)[0]:
            self._ended()
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None and self._pidfd is not None:
            if not select.select([self._pidfd], [], [], timeout)[0]:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0)
            self._ended()
        return self.returncode if self.returncode is not None else 0

    def send_signal(self, signum: int) -> None:
        if self.returncode is None and self._pidfd is not None:
            if signum == signal.SIGKILL:
                self._killed = True
            with contextlib.suppress(ProcessLookupError):
                signal.pidfd_send_signal(self._pidfd, signum)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def _ended(self) -> None:
        self.returncode = -signal.SIGKILL if self._killed else 0
        self.close()

    def close(self) -> None:
        if self._pidfd is not None:
            os.close(self._pidfd)
            self._pidfd = None

    def __del__(self) -> None:
        self.close()


class _Zygote:
    def __init__(self, key: str, env: dict[str, str]):
        self.key = key
        try:
            self.helper = forks.Helper([sys.executable, str(ZYGOTE)], prefix="grading-warm-", env=env,
                                       preexec=functools.partial(lifetime.die_with_parent, os.getpid()),
                                       ready_timeout=READY_TIMEOUT_S, timeout=LAUNCH_TIMEOUT_S)
        except OSError as exc:
            raise RuntimeError(f"the pre-warmed kernels could not start: {exc}") from None
        self.socket, self.log = self.helper.socket, self.helper.log
        self.staging = self.helper.folder / "root"
        self.staging.mkdir()

    def launch(self, request: KernelRequest) -> KernelProcess:
        started = time.perf_counter()
        try:
            self.socket.send(b"fork")
            pid, (pidfd, channel) = forks.child_of(self.socket, 2)
        except OSError as exc:
            raise RuntimeError(f"the pre-warmed kernels did not fork ({exc}): {log_tail(self.log)}") from None
        process = KernelProcess(pid, pidfd)
        with socket.socket(fileno=channel) as child:
            child.settimeout(LAUNCH_TIMEOUT_S)
            try:
                child.send(json.dumps(asdict(request)).encode())
                reply = child.recv(4096)
            except OSError as exc:
                reply = f"error: {exc}".encode()
        if reply != b"ok":
            process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(10)
            process.close()
            why = reply.decode(errors="replace").strip().splitlines()[-1] if reply else "it ended before the kernel started"
            raise RuntimeError(f"the kernel's sandbox could not be made: {why[:500]}")
        process.launch_s = time.perf_counter() - started
        return process

    def alive(self) -> bool:
        return self.helper.alive()

    def close(self) -> None:
        self.helper.close()


class WarmKernels:
    """This worker's zygote, started on first use and again when the kernels' environment changes."""

    def __init__(self) -> None:
        self._zygote: _Zygote | None = None

    def launch(self, request: KernelRequest, zygote_env: dict[str, str]) -> KernelProcess:
        key = hashlib.sha256(json.dumps(zygote_env, sort_keys=True).encode()).hexdigest()
        zygote = self._zygote
        if zygote is not None and (zygote.key != key or not zygote.alive()):
            zygote.close()
            zygote = self._zygote = None
        if zygote is None:
            zygote = self._zygote = _Zygote(key, zygote_env)
        return zygote.launch(replace(request, staging=str(zygote.staging)))

    def close(self) -> None:
        if self._zygote is not None:
            self._zygote.close()
            self._zygote = None


@functools.cache
def kernels() -> WarmKernels:
    """This process's zygote keeper (a worker grades one notebook at a time)."""
    made = WarmKernels()
    atexit.register(made.close)
    return made


def problem() -> str | None:
    """None when this grader can fork pre-warmed kernels into sandboxes of its own; otherwise why not."""
    if not sys.platform.startswith("linux"):
        return "pre-warmed kernels need Linux"
    if kernel_view.kernel_identity() is None:
        return "pre-warmed kernels need a root grader (it builds their sandbox itself); bubblewrap starts each kernel"
    if not hasattr(os, "pidfd_open"):
        return "pre-warmed kernels need pidfd_open (Linux 5.3)"
    return None


class WarmKernelManager(AsyncKernelManager):
    """A kernel manager whose kernel comes from this worker's zygote (set ``request`` before starting it)."""

    request: KernelRequest | None = None
    zygote_env: dict[str, str] | None = None

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: object) -> None:
        if self.request is None or self.zygote_env is None or self.provisioner is None:
            raise RuntimeError("the warm kernel needs its request and the zygote's environment set before it starts")
        if "ipykernel_launcher" not in kernel_cmd:
            raise RuntimeError(f"a warm kernel is an ipykernel; this kernel's command is {kernel_cmd[:4]}")
        argv = kernel_cmd[kernel_cmd.index("ipykernel_launcher") + 1:]   # -f FILE, and nbclient's --HistoryManager...
        env = {k: v for k, v in dict(kw.get("env") or {}).items() if not k.startswith("JPY_")}   # type: ignore[call-overload]
        request = replace(self.request, connection_file=self.connection_file, env={**env, **kernel_view.KERNEL_ENV}, argv=argv)
        kernel_view.hand_over(Path(request.workdir), Path(request.sockets), Path(request.connection_file))
        process = kernels().launch(request, self.zygote_env)
        provisioner = self.provisioner
        provisioner.process = process   # type: ignore[attr-defined]
        provisioner.pid = process.pid   # type: ignore[attr-defined]
        provisioner.pgid = None   # type: ignore[attr-defined]
        self._reconcile_connection_info(provisioner.connection_info)
