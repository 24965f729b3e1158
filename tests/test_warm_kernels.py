"""Kernels forked from the pre-warmed process (warm_kernels.py, kernel_zygote.py) against kernels
started cold in bubblewrap: the same sandbox seen from inside, and nothing of one submission in
the next one's memory.

The grader builds a warm kernel's sandbox itself, so these tests compare what a kernel can
see and do in both, fact by fact, from inside the kernel.
"""

from __future__ import annotations

import json
import re
import uuid

import nbformat
import pytest

from autograder.course import ROOT
from autograder.model import Limits
from autograder.runner import warm_kernels
from autograder.runner.execute import GRADED, execute_notebook
from autograder.runner.sandboxes.bubblewrap import bwrap_problem

pytestmark = [pytest.mark.slow, pytest.mark.sandbox,
              pytest.mark.skipif(bwrap_problem() is not None or warm_kernels.problem() is not None,
                                 reason=f"needs both kinds of kernel: {bwrap_problem() or warm_kernels.problem()}")]

# What the kernel sees of the machine and may do, as a dict of plain values.
PROBE = r'''
import json, os, resource, socket, sys
def writable(path):
    name = os.path.join(path, ".probe-" + str(os.getpid()))
    try:
        open(name, "w").close()
    except OSError:
        return False
    os.unlink(name)
    return True
def signal_pid_1():
    try:
        os.kill(1, 0)
        return "allowed"
    except OSError as exc:
        return type(exc).__name__
def open_files():
    kinds = set()
    for fd in os.listdir("/proc/self/fd"):
        try:
            kinds.add(os.readlink("/proc/self/fd/" + fd).split(":[")[0])
        except OSError:
            pass   # the listing's own descriptor, closed by now
    return sorted(kinds)
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
mounts = sorted({line.split()[4] for line in open("/proc/self/mountinfo")})
facts = {
    "ids": [os.getuid(), os.geteuid(), os.getgid(), os.getegid(), sorted(os.getgroups())],
    "capabilities": {k: status[k].strip() for k in status if k.startswith("Cap")},
    "no_new_privs": status["NoNewPrivs"].strip(),
    "hostname": socket.gethostname(),
    "pid": os.getpid(),
    "processes": sorted(int(p) for p in os.listdir("/proc") if p.isdigit()),
    "signal_pid_1": signal_pid_1(),
    "interfaces": sorted(name for _, name in socket.if_nameindex()),
    "cwd": os.getcwd(),
    "sys_path": sys.path,
    "environment": sorted(os.environ),
    "home": [os.environ.get(k) for k in ("HOME", "MPLCONFIGDIR", "IPYTHONDIR", "TMPDIR")],
    "limits": {name: resource.getrlimit(getattr(resource, name)) for name in ("RLIMIT_AS", "RLIMIT_CPU", "RLIMIT_FSIZE", "RLIMIT_CORE")},
    "root": sorted(os.listdir("/")),
    "writable": {p: writable(p) for p in WHERE},
    "mounts": mounts,
    "umask": os.umask(0o022),
    "session_leader": os.getsid(0) == os.getpid(),
    "open_files": open_files(),
    "threads": len(os.listdir("/proc/self/task")),
    "modules_in_main": sorted(k for k in vars(sys.modules["__main__"]) if not k.startswith("_")),
}
print(json.dumps(facts))
'''


def _probe(tmp_path, warm: bool) -> dict:
    workdir = tmp_path / ("warm" if warm else "cold")
    workdir.mkdir()
    # and the folders leading to the working folder, made inside the sandbox (under its /tmp here)
    parents = [str(p) for p in workdir.parents if str(p) not in ("/", "/tmp")]
    where = ["/", "/usr", "/etc", "/tmp", "/dev", "/dev/shm", str(workdir), str(ROOT / "lib"), str(ROOT), *parents]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"WHERE = {where!r}\n" + PROBE)]
    result = execute_notebook(nb, nbformat.v4.new_notebook(), workdir, Limits(cell_timeout_s=30, warm_kernels=warm))
    assert result.status == GRADED, result.details
    text = "".join(o.get("text", "") for o in result.nb.cells[0].outputs)
    facts = json.loads(text)
    facts["cwd"] = facts["cwd"].replace(str(workdir), "WORKDIR")
    facts["writable"] = {p.replace(str(workdir), "WORKDIR"): v for p, v in facts["writable"].items()}
    # each kernel has its own folders and files under other names; matplotlib's font list is bound
    # alone for a cold kernel, with its folder for a warm one (where matplotlib read it)
    names = [(str(workdir), "WORKDIR"), (r"^/tmp/grading-kernel-[^/]+$", "SOCKETS"), (r"^/tmp/tmp[^/]+\.json$", "CONNECTION"),
             (r"^/tmp/home/matplotlib/fontlist-[^/]+\.json$", "FONTS"), (r"^/tmp/grading-fonts-[^/]+$", "FONTS")]
    mounts = []
    for mount in facts["mounts"]:
        for pattern, name in names:
            mount = re.sub(pattern, name, mount) if pattern.startswith("^") else mount.replace(pattern, name)
        mounts.append(mount)
    facts["mounts"] = sorted(mounts)
    return facts


def _difference(warm: object, cold: object) -> object:
    """What only one kind of kernel has, for a readable failure."""
    if isinstance(warm, list) and isinstance(cold, list):
        return {"warm only": [x for x in warm if x not in cold], "cold only": [x for x in cold if x not in warm]}
    return {"warm": warm, "cold": cold}


def test_a_warm_kernel_sees_and_may_do_what_a_cold_one_may(tmp_path):
    warm, cold = _probe(tmp_path, warm=True), _probe(tmp_path, warm=False)
    # bubblewrap's /dev also has a devpts for terminals, which a kernel does not use (its streams
    # are ZeroMQ sockets), and jupyter_client gives a cold kernel a pipe as its standard input (the
    # warm one has /dev/null). /proc's writable corners are covered read-only where bubblewrap finds
    # them writable, always by the warm sandbox. Everything else is the same.
    corners = ("/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus")
    cold["mounts"] = [m for m in cold["mounts"] if m != "/dev/pts" and m not in corners]
    warm["mounts"] = [m for m in warm["mounts"] if m not in corners]
    cold["open_files"] = [f for f in cold["open_files"] if f != "pipe"]
    differences = {k: _difference(warm.get(k), cold.get(k)) for k in {*warm, *cold} if warm.get(k) != cold.get(k)}
    assert differences == {}
    # and what both see is the sandbox
    assert warm["ids"][0] != 0 and warm["capabilities"] == {k: "0000000000000000" for k in warm["capabilities"]}
    assert warm["interfaces"] == ["lo"] and warm["processes"][:2] == [1, 2] and warm["signal_pid_1"] == "PermissionError"
    parents = {str(p): False for p in (tmp_path / "warm").parents if str(p) not in ("/", "/tmp")}
    assert parents and warm["writable"] == {"/": False, "/usr": False, "/etc": False, "/tmp": True, "/dev": False,
                                            "/dev/shm": True, "WORKDIR": True, str(ROOT / "lib"): False, str(ROOT): False,
                                            **parents}


def test_nothing_of_an_earlier_submission_is_in_a_later_kernels_memory(tmp_path):
    """The kernels come from one process: a student's name (in their folder's path) and a value
    their code made must not be in the memory of the next student's kernel."""
    name, secret = f"zebra{uuid.uuid4().hex[:10]}", f"kiwi{uuid.uuid4().hex[:10]}"
    first = tmp_path / name / "01"
    first.mkdir(parents=True)
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"kept = {secret!r} * 3\nimport os\nprint(os.getcwd())")]
    result = execute_notebook(nb, nbformat.v4.new_notebook(), first, Limits(cell_timeout_s=30))
    assert name in "".join(o.get("text", "") for o in result.nb.cells[0].outputs)
    second = tmp_path / "someone-else" / "01"
    second.mkdir(parents=True)
    # each marker is searched as two halves that this cell never joins: finding a whole one means a leak
    halves = [(m[: len(m) // 2][::-1], m[len(m) // 2:][::-1]) for m in (name, secret)]
    scan = f"""
import ctypes
ctypes.CDLL(None).prctl(4, 1, 0, 0, 0)   # PR_SET_DUMPABLE: a kernel that dropped root's identity may not read its own /proc/self/mem
HALVES = {halves!r}
found, scanned = [], 0
for line in open("/proc/self/maps"):
    fields = line.split()
    low, high = (int(x, 16) for x in fields[0].split("-"))
    if "r" not in fields[1] or high - low > 1 << 30 or (len(fields) > 5 and fields[5] in ("[vvar]", "[vsyscall]")):
        continue
    try:
        with open("/proc/self/mem", "rb", buffering=0) as mem:
            mem.seek(low)
            data = mem.read(high - low)
    except OSError:
        continue
    scanned += len(data)
    for head, tail in HALVES:
        head, tail = head[::-1].encode(), tail[::-1].encode()
        at = data.find(head)
        while at != -1:
            if data[at + len(head): at + len(head) + len(tail)] == tail:
                found.append(fields[-1])
            at = data.find(head, at + 1)
print("found:", found, "scanned:", scanned >> 20, "MB")
"""
    nb.cells = [nbformat.v4.new_code_cell(scan)]
    result = execute_notebook(nb, nbformat.v4.new_notebook(), second, Limits(cell_timeout_s=120))
    text = "".join(o.get("text", "") for o in result.nb.cells[0].outputs)
    assert "found: []" in text, text
    assert int(text.split("scanned: ")[1].split()[0]) > 50, text   # the scan read the kernel's memory
