"""Generate the student notebooks (``notebooks/``) from the masters (``solutions/``).

nbgrader's ``generate_assignment`` runs in a throw-away course workspace under
``build/``; its output is normalized (nbformat's own JSON layout) and copied to the
flat ``notebooks/NN-name.ipynb`` layout. ``check`` regenerates and compares instead
of writing, so CI fails when someone edits ``notebooks/`` by hand or forgets to
regenerate after changing ``solutions/``.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.course import BUILD, NOTEBOOKS, SOLUTIONS, lecture_ids, nbgrader_config, put_interpreter_scripts_on_path


class ReleaseError(RuntimeError):
    """nbgrader could not generate a student version of a master notebook."""


@dataclass(frozen=True)
class Generated:
    """The student version of one lecture, as the text that belongs in ``notebooks/``."""

    lecture: str
    text: str


def _normalized(path: Path) -> str:
    return nbformat.writes(nbformat.read(path, as_version=4))


def generate(solutions: Path = SOLUTIONS, workspace_parent: Path = BUILD) -> list[Generated]:
    """Run nbgrader's generate_assignment on every master; return the student notebooks' text."""
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    put_interpreter_scripts_on_path()
    lectures = lecture_ids(solutions)
    if not lectures:
        raise ReleaseError(f"no master notebooks named NN-name.ipynb in {solutions}")
    workspace_parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="release-", dir=workspace_parent) as tmp:
        course_root = Path(tmp)
        for lecture in lectures:
            source_dir = course_root / "source" / lecture
            source_dir.mkdir(parents=True)
            shutil.copy2(solutions / f"{lecture}.ipynb", source_dir / f"{lecture}.ipynb")
        config = nbgrader_config(course_root)
        api = NbGraderAPI(CourseDirectory(config=config), config=config)
        results = []
        for lecture in lectures:
            outcome = api.generate_assignment(lecture, force=True, create=True)
            if not outcome["success"]:
                raise ReleaseError(f"nbgrader generate_assignment failed for {lecture}:\n{outcome.get('error') or outcome.get('log')}")
            released = course_root / "release" / lecture / f"{lecture}.ipynb"
            results.append(Generated(lecture, _normalized(released)))
        return results


def write(generated: list[Generated], notebooks: Path = NOTEBOOKS) -> list[Path]:
    """Write the student notebooks, and remove stale ``NN-*.ipynb`` that have no master."""
    notebooks.mkdir(parents=True, exist_ok=True)
    wanted = {f"{g.lecture}.ipynb": g.text for g in generated}
    for stale in notebooks.glob("[0-9][0-9]-*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    paths = []
    for name, text in wanted.items():
        path = notebooks / name
        if not path.exists() or path.read_text() != text:
            path.write_text(text)
        paths.append(path)
    return paths


def differences(generated: list[Generated], notebooks: Path = NOTEBOOKS) -> list[str]:
    """Human-readable list of how ``notebooks/`` differs from what generation gives."""
    problems = []
    wanted = {f"{g.lecture}.ipynb": g.text for g in generated}
    present = {p.name for p in notebooks.glob("[0-9][0-9]-*.ipynb")}
    for name in sorted(present - wanted.keys()):
        problems.append(f"notebooks/{name} has no master in solutions/")
    for name, text in sorted(wanted.items()):
        path = notebooks / name
        if not path.exists():
            problems.append(f"notebooks/{name} is missing")
        elif path.read_text() != text:
            problems.append(f"notebooks/{name} differs from the notebook generated from solutions/{name}")
    return problems
