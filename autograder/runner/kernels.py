"""Starting and stopping one grading kernel: warm (forked from the worker's pre-warmed kernel, root),
or cold through kernel_launcher.py (limits), wrapped by its sandbox (sandboxes/)."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from autograder.model import Limits
from autograder.runner import kernel_view, sandboxes, warm_kernels
from autograder.runner.cgroups import ProcessGroup

# Run as a script, not as ``-m autograder...``: the kernel's working directory is the
# student's, where the autograder package is not importable (and should not be).
LAUNCHER = Path(__file__).with_name("kernel_launcher.py")


class _LaunchingKernelManager(AsyncKernelManager):
    """Starts the kernel through kernel_launcher.py (limits), inside its sandbox."""

    launcher_args: tuple[str, ...] = ()   # set on each instance before the kernel starts
    sandbox: sandboxes.Sandbox | None = None
    workdir: Path | None = None
    sockets: Path | None = None

    def format_kernel_cmd(self, extra_arguments=None):  # noqa: ANN001 - jupyter_client's signature
        cmd = super().format_kernel_cmd(extra_arguments)
        if self.sandbox is None or self.workdir is None or self.sockets is None:
            raise RuntimeError("the kernel needs its sandbox, working folder and socket folder set before it starts")
        cmd = self.sandbox.wrap(cmd, sandboxes.KernelPlaces(self.workdir, self.sockets, self.connection_file))
        return [sys.executable, str(LAUNCHER), *self.launcher_args, "--", *cmd]


def kernel_manager(limits: Limits, workdir: Path, sockets: Path, processes: ProcessGroup,
                   env: dict[str, str]) -> AsyncKernelManager:
    """The kernel's manager: forked from this worker's pre-warmed kernel where the grader can build
    the sandbox itself (warm_kernels.py), else started cold by kernel_launcher.py, wrapped by its sandbox."""
    # IPC sockets instead of TCP on loopback: nothing listens on the network, and a
    # kernel without network access (the sandbox) can still talk to the grader.
    where = {"kernel_name": "python3", "transport": "ipc", "ip": str(sockets / "kernel")}
    sandbox = sandboxes.get(limits.sandbox)
    if sandbox.forkable and limits.warm_kernels and warm_kernels.problem() is None:
        identity = kernel_view.kernel_identity()
        fonts = kernel_view.font_cache()
        warm = warm_kernels.WarmKernelManager(**where)
        warm.request = warm_kernels.KernelRequest(
            workdir=str(workdir), sockets=str(sockets), connection_file="", cgroups=[str(g) for g in processes.folders],
            memory_mb=limits.memory_mb, cpu_s=limits.cpu_s,
            limit_processes=not any((g / "pids.max").exists() for g in processes.folders), env={}, argv=[],
            identity=identity if identity is not None else (65534, 65534),
            readonly=[*kernel_view.readonly_roots(), *([str(fonts.parent)] if fonts is not None else [])], staging="")
        # the zygote imports with the kernels' environment (BLAS threads, backend), and matplotlib's font list
        warm.zygote_env = {**env, **({"MPLCONFIGDIR": str(fonts.parent)} if fonts is not None else {})}
        return warm
    km = _LaunchingKernelManager(**where)
    km.launcher_args = ("--memory-mb", str(limits.memory_mb), "--cpu-s", str(limits.cpu_s), "--workdir", str(workdir))
    for group in processes.folders:
        km.launcher_args += ("--cgroup", str(group))
    km.sandbox, km.workdir, km.sockets = sandbox, workdir, sockets
    return km


def release_kernel(client: NotebookClient, km: AsyncKernelManager) -> None:
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


def kill_kernel(km: AsyncKernelManager) -> None:
    """SIGKILL the kernel's first process (the launcher, then bubblewrap, then the kernel: one pid)."""
    process = getattr(km.provisioner, "process", None)
    if process is not None:
        with contextlib.suppress(OSError):
            process.kill()
