"""Pre-warmed student kernels: one process imports what every kernel imports, then forks a
kernel per notebook, each in a sandbox of its own built here. Root only.

    python kernel_zygote.py SOCKET_FD

A kernel started afresh spends about two seconds of CPU before the student's first line
runs: the interpreter, ipykernel, NumPy, SciPy, matplotlib and seqconv. This process pays
that once per worker. It never runs student code and never reads a job: for each "fork"
the grader sends, it forks a child and hands the grader that child's pidfd and one end of a
new socket. The job (folders, limits, environment) goes to the child alone, so nothing of
one submission, not even its student's name, is in the memory the next kernel is copied from.

The child builds what bubblewrap builds for a cold kernel (sandboxes/bubblewrap.py's bwrap_command), in the
same order, with the same result:

- C (the forked child) joins the kernel's cgroups, then unshares the mount, pid, network,
  IPC, UTS and cgroup namespaces and forks G, pid 1 of the new pid namespace; C waits for G.
- G, as root in the new namespaces: a private tmpfs root with /usr, /lib, /etc, Python, the
  virtualenv and lib/ bound read-only, /proc of its own, a minimal read-only /dev with a
  tmpfs /dev/shm, a tmpfs /tmp, the working folder and the sockets folder bound writable,
  the connection file read-only; the root remounted read-only; pivot_root into it; the
  hostname "sandbox"; loopback up. Then it forks K and reaps until K ends.
- K, the kernel: a new session, /dev/null for its standard streams, the limits
  (kernel_launcher.apply_limits), then ``nobody`` with no capability in any set, the bounding
  set emptied and no_new_privs, and only then ipykernel, in this same process.

Killing C kills G (parent-death signal), and with G every process of the namespace. C dies
with this process, which dies with the worker (lifetime.die_with_parent).
"""

from __future__ import annotations

import ctypes
import fcntl
import functools
import gc
import json
import os
import platform
import signal
import socket
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if sys.path and os.path.abspath(sys.path[0] or ".") == HERE:
    del sys.path[0]   # as ipykernel_launcher removes its own folder: the kernel's sys.path is a fresh kernel's
sys.path.append(HERE)
import forks  # type: ignore[import-not-found]  # noqa: E402 - plain modules of this folder, outside the package
from kernel_launcher import apply_limits  # type: ignore[import-not-found]  # noqa: E402

sys.path.remove(HERE)

CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x02000000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_NEWNET = 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
MNT_DETACH = 2
PR_SET_PDEATHSIG, PR_CAPBSET_DROP, PR_SET_NO_NEW_PRIVS, PR_CAP_AMBIENT = 1, 24, 38, 47
PR_CAP_AMBIENT_CLEAR_ALL = 4
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
SIOCSIFFLAGS, IFF_UP, IFF_LOOPBACK, IFF_RUNNING = 0x8914, 0x1, 0x8, 0x40
DEVICES = ("null", "zero", "full", "random", "urandom", "tty")
COVERED_PROC = ("sys", "sysrq-trigger", "irq", "bus")   # as bubblewrap: read-only over a fresh /proc

_libc = ctypes.CDLL(None, use_errno=True)
_SET_BY_IMPORTS: dict[str, str] = {}


class SandboxError(OSError):
    """A step of building the kernel's sandbox failed."""


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SandboxError(errno, f"{what}: {os.strerror(errno)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    _check(_libc.mount(None if source is None else source.encode(), target.encode(),
                       None if fstype is None else fstype.encode(), ctypes.c_ulong(flags),
                       None if data is None else data.encode()), f"mount {target}")


def _bind(source: str, target: str, *, writable: bool = False, devices: bool = False) -> None:
    """Bind ``source`` at ``target`` (one mount, not its submounts), nosuid, nodev unless ``devices``."""
    _mount(source, target, None, MS_BIND)
    flags = MS_BIND | MS_REMOUNT | MS_NOSUID | (0 if devices else MS_NODEV) | (0 if writable else MS_RDONLY)
    _mount(None, target, None, flags)


def _readonly(target: str) -> None:
    _mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _preload() -> None:
    """Import what every kernel imports (ipykernel, the link's NumPy and seqconv, which take in
    matplotlib and SciPy's BLAS, and pyplot, which every lecture imports), without starting a
    thread or a ZeroMQ context (the backend is the kernels' one: MPLBACKEND, from the environment).

    No more than that: a kernel's address space (its memory limit counts it) and the cost of each
    fork in it (each call of the trusted checks is one) grow with what is loaded. ``scipy.signal``,
    which two lectures import, would add 50 MB to every kernel and a third to each fork.
    """
    import ipykernel.ipkernel
    import ipykernel.kernelapp  # noqa: F401
    import ipykernel_launcher  # type: ignore[import-untyped]  # noqa: F401
    import IPython  # noqa: F401
    import matplotlib.pyplot  # noqa: F401
    import numpy  # noqa: F401

    import seqconv  # noqa: F401


def serve(server: socket.socket) -> None:
    """Fork a child for each "fork" the grader sends, until it closes the socket."""
    import threading

    if threading.active_count() != 1:   # a thread would not survive the fork (its locks could stay taken)
        raise RuntimeError(f"the zygote runs {threading.active_count()} threads after its imports; it must run one")
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)   # the children are reaped by the machine's kernel
    # what is loaded now is never garbage: out of the collector's sight, so that no collection in a
    # kernel writes to (and so copies) every page of it
    gc.freeze()
    server.send(b"ready")
    for message, _ in forks.requests(server, 0):
        if message != b"fork":
            server.send(b"error: expected fork")
            continue
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        pid = forks.fork(functools.partial(_child, ours, server, theirs), report=functools.partial(_report, ours))
        ours.close()
        try:
            forks.hand_back(server, pid, (theirs.fileno(),))
        finally:
            theirs.close()


def _report(channel: socket.socket, text: str) -> None:
    channel.send(f"error: {text}".encode())


def _child(channel: socket.socket, *inherited: socket.socket) -> int:
    """C: take the job, join its cgroups, enter new namespaces, start G and wait for it."""
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    for other in inherited:
        other.close()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    channel.settimeout(60)
    request = json.loads(channel.recv(forks.MAX_REQUEST))
    os.closerange(3, channel.fileno())
    os.closerange(channel.fileno() + 1, 1 << 16)
    for group in request["cgroups"]:
        with open(os.path.join(group, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))
    _check(_libc.unshare(CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP), "unshare")
    alive_r, alive_w = os.pipe()   # G's check that C still runs once G has asked for its death signal
    pid = forks.fork(functools.partial(_init, request, channel, alive_r, alive_w), report=functools.partial(_report, channel))
    os.close(alive_r)
    channel.close()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) & 0xFF


def _init(request: dict, channel: socket.socket, alive_r: int, alive_w: int) -> int:
    """G, pid 1 of the kernel's namespaces: build the sandbox, start K, reap until K ends."""
    import select

    os.close(alive_w)
    _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if select.select([alive_r], [], [], 0)[0]:
        return 1   # C ended before the death signal was set
    os.close(alive_r)
    _build_root(request)
    _check(_libc.sethostname(b"sandbox", 7), "sethostname")
    _loopback_up()
    os.setsid()   # as bubblewrap's --new-session: no controlling terminal to push input into
    kernel = forks.fork(functools.partial(_kernel, request, channel), report=functools.partial(_report, channel))
    channel.close()
    for name in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(name, signal.SIG_IGN)
    while True:   # as bubblewrap's pid 1: reap whatever the kernel leaves, end with it
        try:
            pid, status = os.waitpid(-1, 0)
        except ChildProcessError:
            return 1
        if pid == kernel:
            return os.waitstatus_to_exitcode(status) & 0xFF


def _build_root(request: dict) -> None:
    """The kernel's filesystem, as bubblewrap.bwrap_command describes it, then pivot_root into it."""
    new = request["staging"]
    os.umask(0)
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    _mount("tmpfs", new, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m")

    def path(inside: str) -> str:
        return new + inside

    def folder(inside: str, mode: int = 0o755) -> None:
        """``inside`` and the folders leading to it, each ``mode`` (os.makedirs would give the
        ones leading to it 0777: a kernel could write in a checkout's parent under /tmp)."""
        made = new
        for part in inside.strip("/").split("/"):
            made = f"{made}/{part}"
            if not os.path.isdir(made):
                os.mkdir(made, mode)

    folder("/proc")
    _mount("proc", path("/proc"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    for name in COVERED_PROC:
        if os.path.exists(path(f"/proc/{name}")):
            _bind(path(f"/proc/{name}"), path(f"/proc/{name}"))
    folder("/dev")
    _mount("tmpfs", path("/dev"), "tmpfs", MS_NOSUID, "mode=0755,size=64k")
    for device in DEVICES:
        if os.path.exists(f"/dev/{device}"):
            open(path(f"/dev/{device}"), "w").close()
            _bind(f"/dev/{device}", path(f"/dev/{device}"), writable=True, devices=True)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"), ("stdout", "/proc/self/fd/1"),
                         ("stderr", "/proc/self/fd/2")):
        os.symlink(target, path(f"/dev/{name}"))
    folder("/dev/shm")
    _mount("tmpfs", path("/dev/shm"), "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={request['shm_bytes']}")
    _readonly(path("/dev"))
    # the tmpfs first: a later mount on /tmp would hide what is bound below it (a checkout in /tmp)
    folder("/tmp")
    _mount("tmpfs", path("/tmp"), "tmpfs", MS_NOSUID | MS_NODEV, f"mode=1777,size={request['tmp_bytes']}")
    for root in request["readonly"]:
        folder(root)
        _bind(root, path(root))
    for writable in (request["workdir"], request["sockets"]):
        folder(writable)
        _bind(writable, path(writable), writable=True)
    folder(os.path.dirname(request["connection_file"]))
    open(path(request["connection_file"]), "w").close()
    _bind(request["connection_file"], path(request["connection_file"]))
    for home in request["home_folders"]:
        folder(home, 0o777)
    _readonly(new)   # last: the sandbox's own root (a tmpfs holding the mount points) becomes read-only too
    os.chdir(new)
    machine = platform.machine()
    if machine not in SYS_PIVOT_ROOT:
        raise SandboxError(0, f"pivot_root: no system call number known for {machine}")
    _check(_libc.syscall(SYS_PIVOT_ROOT[machine], b".", b"."), "pivot_root")
    _check(_libc.umount2(b".", MNT_DETACH), "umount the old root")
    os.chdir("/")


def _loopback_up() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s, SIOCSIFFLAGS, struct.pack("16sH14x", b"lo", IFF_UP | IFF_LOOPBACK | IFF_RUNNING))


def _drop_privileges(uid: int, gid: int) -> None:
    """``nobody`` with every capability set empty and no_new_privs, as setpriv does for a cold kernel."""
    with open("/proc/sys/kernel/cap_last_cap") as f:
        last = int(f.read())
    for cap in range(last + 1):
        _check(_libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0), f"drop capability {cap} from the bounding set")
    _check(_libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear the ambient capabilities")
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    header = struct.pack("Ii", 0x20080522, 0)   # _LINUX_CAPABILITY_VERSION_3, this process
    _check(_libc.capset(header, bytes(24)), "clear the capability sets")
    _check(_libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "set no_new_privs")
    with open("/proc/self/status") as f:
        held = {k: v.strip() for k, _, v in (line.partition(":") for line in f) if k.startswith("Cap")}
    if any(int(value, 16) for value in held.values()) or os.getuid() != uid or os.getgid() != gid:
        raise SandboxError(0, f"the kernel kept privileges: {held}, uid {os.getuid()}, gid {os.getgid()}")


def _kernel(request: dict, channel: socket.socket) -> int:
    """K: limits, no privilege, then ipykernel on the connection file, in this process."""
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    os.chdir(request["workdir"])
    apply_limits(request["memory_mb"], request["cpu_s"], request["limit_processes"])
    _drop_privileges(*request["identity"])
    os.umask(0o022)
    os.environ.clear()
    os.environ.update({**request["env"], **_SET_BY_IMPORTS})
    import numpy

    numpy.random.seed()   # the legacy global generator was seeded once, in the zygote: each kernel its own
    channel.send(b"ok")
    channel.close()
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    # as `python -m ipykernel_launcher -f FILE ...` sees it (IPython would run a module given after -m)
    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    app = IPKernelApp.instance()
    app.initialize(sys.argv[1:])
    app.start()
    os._exit(0)   # as soon as ipykernel is done: nothing of the zygote's to flush or clean up


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    server = socket.socket(fileno=int(argv[0]))
    before = dict(os.environ)
    _preload()
    # what the imports set (ipykernel's debugger sets PYDEVD_USE_FRAME_EVAL): a cold kernel has it too
    _SET_BY_IMPORTS.update({k: v for k, v in os.environ.items() if before.get(k) != v})
    serve(server)


if __name__ == "__main__":
    main()
