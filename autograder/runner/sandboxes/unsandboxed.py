"""No sandbox (``grade --no-sandbox``): the kernel runs with the grader's rights, under the
resource limits and cgroups every kernel gets. For a machine without bubblewrap, trusted classes only."""

from __future__ import annotations

from autograder.runner.sandboxes import InterruptMode, KernelPlaces


class Unsandboxed:
    """The kernel as the grader's own process, limits and cgroups only."""

    name = "none"
    label = "none"
    note: str | None = "student code ran without a sandbox (resource limits only)"
    interrupt_mode = InterruptMode.SIGNAL
    forkable = False

    def problem(self) -> str | None:
        return None

    def wrap(self, kernel_command: list[str], places: KernelPlaces) -> list[str]:
        return kernel_command
