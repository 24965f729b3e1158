"""Start a grading kernel under resource limits: ``python kernel_launcher.py
--memory-mb M --cpu-s S --workdir DIR [--cgroup DIR ...] -- <kernel command...>``.

It joins the kernel's cgroups (processes and memory, those the grader could make), sets the limits
on itself (address space, CPU time, file size, core dumps, and the number of processes
where there is no cgroup), moves to the working directory, and replaces itself with the
kernel, which inherits all of them. Inside the sandbox this runs as the sandbox's first
process, so the sandbox itself is under the same limits.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_PROCESSES = 256


def apply_limits(memory_mb: int, cpu_s: int, limit_processes: bool) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if limit_processes:
        # counts every process of this user, and does not bind root: the cgroup is the real cap
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        raise SystemExit("usage: python kernel_launcher.py [options] -- kernel command ...")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="kernel_launcher.py")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--cpu-s", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--cgroup", action="append", default=[], help="a cgroup folder to join first (repeatable)")
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    for group in args.cgroup:
        with open(os.path.join(group, "cgroup.procs"), "w") as procs:
            procs.write(str(os.getpid()))
    os.chdir(args.workdir)
    apply_limits(args.memory_mb, args.cpu_s, limit_processes=not any(os.path.exists(os.path.join(g, "pids.max")) for g in args.cgroup))
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
