"""Walking and removing folder trees without recursion: some tests nest folders 1,100 deep,
deeper than ``Path.rglob`` or ``shutil.rmtree`` (recursive) can go."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


def walk(folder: Path) -> list[Path]:
    """Every file and folder under ``folder``, without following a symbolic link."""
    found, stack = [], [str(folder)]
    while stack:
        try:
            with os.scandir(stack.pop()) as listing:
                for entry in listing:
                    found.append(Path(entry.path))
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
        except OSError:
            continue
    return found


def remove_tree(folder: Path) -> None:
    """``shutil.rmtree`` without recursion: the deepest entries first."""
    for path in sorted(walk(folder), key=lambda p: len(p.parts), reverse=True):
        with contextlib.suppress(OSError):
            path.rmdir() if path.is_dir() and not path.is_symlink() else path.unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()
