"""pyproject.toml and environment.yml declare the same course environment."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _split(requirement: str) -> tuple[str, str]:
    """'NumPy >= 1.26' -> ('numpy', '>=1.26'): normalized name and specifier (pip's extras, as in
    'psycopg[binary]', dropped: conda's package has them built in)."""
    match = re.fullmatch(r"\s*([A-Za-z0-9_.\-]+)(?:\[[a-z0-9,_\-]+\])?\s*(.*?)\s*", requirement)
    assert match, f"cannot parse requirement {requirement!r}"
    name, spec = match.groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def _pyproject() -> tuple[dict[str, str], str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requirements = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    return dict(map(_split, requirements)), project["requires-python"]


def _environment() -> tuple[dict[str, str], str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pinned = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    for nested in (d for d in env["dependencies"] if isinstance(d, dict)):
        pinned.update(_split(d) for d in nested.get("pip", []))
    python = pinned.pop("python", "")
    pinned.pop("pip", None)
    return pinned, python


def test_same_packages_and_versions():
    declared, _ = _pyproject()
    conda, _ = _environment()
    only_pyproject = {k: v for k, v in declared.items() if k not in conda}
    only_conda = {k: v for k, v in conda.items() if k not in declared}
    assert not only_pyproject and not only_conda, (
        f"pyproject.toml only: {only_pyproject}; environment.yml only: {only_conda}"
    )
    differing = {k: (declared[k], conda[k]) for k in declared if declared[k] != conda[k]}
    assert not differing, f"version specifiers differ (pyproject, environment.yml): {differing}"


def test_same_python():
    _, requires_python = _pyproject()
    _, conda_python = _environment()
    assert requires_python.replace(" ", "") == conda_python, (
        f"requires-python {requires_python!r} vs environment.yml python{conda_python!r}"
    )


def test_split_normalizes_names():
    assert _split("Jupyter_Lab >= 4.0") == ("jupyter-lab", ">=4.0")
