"""The sandbox seam (autograder/runner/sandboxes/): every sandbox answers the same questions, one is
picked by name, and a name that is none is refused with the names there are."""

from __future__ import annotations

from pathlib import Path

import pytest

from autograder.model import Limits
from autograder.runner import sandboxes
from autograder.runner.sandboxes import InterruptMode, KernelPlaces


def test_the_default_sandbox_and_no_sandbox_are_registered():
    assert {"bwrap", "none"} <= set(sandboxes.registered())
    assert sandboxes.get(Limits.sandbox).name == Limits.sandbox


@pytest.mark.parametrize("name", sorted(sandboxes.registered()))
def test_every_sandbox_has_what_the_seam_asks(name):
    sandbox = sandboxes.get(name)
    assert sandbox.name == name
    assert isinstance(sandbox.label, str) and sandbox.label
    assert sandbox.note is None or isinstance(sandbox.note, str)
    assert isinstance(sandbox.interrupt_mode, InterruptMode)
    assert isinstance(sandbox.forkable, bool)
    assert sandbox.problem() is None or isinstance(sandbox.problem(), str)


def test_an_unknown_sandbox_is_refused_with_the_names_there_are():
    with pytest.raises(ValueError, match=r"sandbox: expected one of 'bwrap', 'none', got 'docker'"):
        sandboxes.get("docker")


def test_no_sandbox_runs_the_kernel_command_as_it_is_and_says_so_in_the_reports(tmp_path):
    unsandboxed = sandboxes.get("none")
    command = ["python", "-m", "ipykernel_launcher", "-f", "kernel.json"]
    assert unsandboxed.wrap(command, KernelPlaces(tmp_path, tmp_path, str(tmp_path / "kernel.json"))) == command
    assert unsandboxed.note is not None and "without a sandbox" in unsandboxed.note
    assert unsandboxed.interrupt_mode is InterruptMode.SIGNAL and not unsandboxed.forkable


def test_bubblewrap_wraps_the_kernel_command_and_is_interrupted_by_message(tmp_path):
    bubblewrap = sandboxes.get("bwrap")
    (tmp_path / "work").mkdir()
    (tmp_path / "sockets").mkdir()
    (tmp_path / "kernel.json").write_text("{}")
    command = ["python", "-m", "ipykernel_launcher", "-f", str(tmp_path / "kernel.json")]
    wrapped = bubblewrap.wrap(command, KernelPlaces(tmp_path / "work", tmp_path / "sockets", str(tmp_path / "kernel.json")))
    assert wrapped[0] == "bwrap" and wrapped[-len(command):] == command
    triples = list(zip(wrapped, wrapped[1:], wrapped[2:], strict=False))
    assert ("--bind", str(tmp_path / "work"), str(tmp_path / "work")) in triples
    assert ("--ro-bind", str(tmp_path / "kernel.json"), str(tmp_path / "kernel.json")) in triples
    assert "--unshare-net" in wrapped and "--die-with-parent" in wrapped
    assert bubblewrap.note is None and bubblewrap.interrupt_mode is InterruptMode.MESSAGE and bubblewrap.forkable
    assert Path(wrapped[wrapped.index("--chdir") + 1]) == tmp_path / "work"
