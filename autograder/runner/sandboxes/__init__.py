"""The sandbox seam: what confines a student's kernel. One module per sandbox, registered below.

A sandbox is named in ``Limits.sandbox`` (``--no-sandbox`` picks ``none``), which a worker
turns into the object here with ``get``. It says whether it can run on this machine
(``problem``), wraps the kernel's command (``wrap``: the kernel launcher has set the limits
and joined the cgroups, then runs what this returns), and says how the kernel is interrupted
(``interrupt_mode``) and what the reports call it (``label``, and ``note`` when they must warn).

Every sandbox gets the same process and memory caps (cgroups.py), the same rlimits
(kernel_launcher.py) and the same disk watch (disk_watch.py): those are outside the seam.

Adding one: a module here with a class that has the attributes of ``Sandbox``, and one line in
``registered``. ``forkable`` says whether the grader can build the same sandbox itself around a
kernel forked from a pre-warmed one (kernel_zygote.py, root only); a new sandbox says False.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol


class InterruptMode(StrEnum):
    """How jupyter_client interrupts the kernel (a kernel spec's ``interrupt_mode``)."""

    SIGNAL = "signal"     # SIGINT to the kernel's process
    MESSAGE = "message"   # an interrupt_request on the control channel


@dataclass(frozen=True)
class KernelPlaces:
    """The places a kernel writes or reads that the grader made for it."""

    workdir: Path           # the student's files, the kernel's working directory (writable)
    sockets: Path           # the kernel's IPC sockets (writable)
    connection_file: str    # the kernel's ports and HMAC key (read-only to it)


class Sandbox(Protocol):
    """What confines a student's kernel."""

    name: str                       # its value in Limits.sandbox
    label: str                      # what the reports and the logs call it
    note: str | None                # what the reports must say of a run in it, if anything
    interrupt_mode: InterruptMode
    forkable: bool                  # warm kernels (warm_kernels.py) can run in it

    def problem(self) -> str | None:
        """None when it runs on this machine; otherwise why not, in a sentence."""

    def wrap(self, kernel_command: list[str], places: KernelPlaces) -> list[str]:
        """The command that runs ``kernel_command`` inside this sandbox (the places made ready for it first)."""


@functools.cache
def registered() -> dict[str, Sandbox]:
    """Every sandbox by name (imported here, not at the top: each module imports this one)."""
    from autograder.runner.sandboxes.bubblewrap import Bubblewrap
    from autograder.runner.sandboxes.unsandboxed import Unsandboxed

    sandboxes: list[Sandbox] = [Bubblewrap(), Unsandboxed()]
    return {sandbox.name: sandbox for sandbox in sandboxes}


def get(name: str) -> Sandbox:
    """The sandbox named ``name``; ValueError naming the ones there are when none is."""
    found = registered().get(name)
    if found is None:
        raise ValueError(f"sandbox: expected one of {', '.join(map(repr, registered()))}, got {name!r}")
    return found
