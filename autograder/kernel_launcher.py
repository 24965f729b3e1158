"""Start a grading kernel under resource limits: ``python kernel_launcher.py
--memory-mb M --workdir DIR -- <kernel command...>``.

It sets the limits on itself (address space, file size, core dumps), moves to the
working directory, and replaces itself with the kernel, which inherits them.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys

MAX_FILE_BYTES = 512 * 1024 * 1024


def apply_limits(memory_mb: int) -> None:
    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_FSIZE, (MAX_FILE_BYTES, MAX_FILE_BYTES))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if "--" not in argv:
        raise SystemExit("usage: python -m autograder.kernel_launcher [options] -- kernel command ...")
    split = argv.index("--")
    parser = argparse.ArgumentParser(prog="python -m autograder.kernel_launcher")
    parser.add_argument("--memory-mb", type=int, required=True)
    parser.add_argument("--workdir", required=True)
    args = parser.parse_args(argv[:split])
    command = argv[split + 1:]
    os.chdir(args.workdir)
    apply_limits(args.memory_mb)
    os.execvp(command[0], command)


if __name__ == "__main__":
    main()
