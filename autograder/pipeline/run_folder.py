"""The private temporary folder of one grading run, and the sweep of what killed runs left behind.

Everything a run makes outside the course workspace (kernels' sockets and connection files,
the trusted checks' folders, the font cache) goes in one folder, ``<tmp>/grading-run-XXXX``,
which the run holds locked (flock) while it lives. A run killed with SIGKILL leaves its folder,
and the cgroups named after it (runner/cgroups.py), with no lock held: the next run removes
them before it starts. The folders and cgroups of a run still going (on the same machine, by
another instructor) are locked, and left alone.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

from autograder.runner.cgroups import RUN_ID, remove_groups
from autograder.runner.kernel_view import font_cache

__all__ = ["LOCK", "PREFIX", "RUN_ID", "UNLOCKED_GRACE_S", "RunFolder", "sweep"]

PREFIX = "grading-run-"
LOCK = ".lock"
UNLOCKED_GRACE_S = 60            # a folder made a moment ago may not hold its lock yet


class RunFolder:
    """``with RunFolder():`` the run's temporary folder, TMPDIR for this process and the workers it starts."""

    def __init__(self, base: Path | None = None):
        self.base = Path(tempfile.gettempdir()) if base is None else base
        self.path: Path | None = None
        self._lock: int | None = None
        self._saved: tuple[str | None, str | None, str | None] = (None, None, None)

    def __enter__(self) -> RunFolder:
        sweep(self.base)
        self.path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=self.base))
        self._lock = os.open(self.path / LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        self.path.chmod(0o755)   # the sandboxed kernels (another uid) reach their folders through it
        self._saved = (os.environ.get("TMPDIR"), os.environ.get(RUN_ID), tempfile.tempdir)
        os.environ["TMPDIR"] = str(self.path)
        os.environ[RUN_ID] = self.run_id
        tempfile.tempdir = str(self.path)
        return self

    @property
    def run_id(self) -> str:
        if self.path is None:
            raise RuntimeError("the run folder is made on entering its with block")
        return self.path.name[len(PREFIX):]

    def __exit__(self, *exc: object) -> None:
        from autograder.runner import trusted_host

        # what this process keeps between jobs lives in the folder (a run with one worker grades here)
        trusted_host.host().close()
        font_cache.cache_clear()
        tmpdir, run_id, tempfile.tempdir = self._saved
        for name, value in (("TMPDIR", tmpdir), (RUN_ID, run_id)):
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
            remove_groups(self.run_id)
        if self._lock is not None:
            os.close(self._lock)
            self._lock = None


def sweep(base: Path) -> list[Path]:
    """Remove the folders (and cgroups) of runs that ended without cleaning up; the folders removed."""
    removed = []
    for folder in sorted(base.glob(f"{PREFIX}*")):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            lock = os.open(folder / LOCK, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                if time.time() - folder.stat().st_mtime > UNLOCKED_GRACE_S:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
            continue
        except OSError:
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(lock)   # a run still going
            continue
        try:
            remove_groups(folder.name[len(PREFIX):])
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
        finally:
            os.close(lock)
    return removed
