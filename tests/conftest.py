"""Test-wide settings: a headless plotting backend and a fixed hypothesis profile."""

import matplotlib

matplotlib.use("Agg")

from hypothesis import settings

# Example data is derived from hypothesis' own seeded search: no wall-clock deadline,
# since the shared 2-core machine makes individual examples slow at random.
settings.register_profile("course", deadline=None, print_blob=True)
settings.load_profile("course")


_SESSION_START = __import__("time").time()


@__import__("pytest").fixture(scope="module")
def releases():
    """lecture -> its released student notebook (notebooks/), for the grader's unit tests."""
    import nbformat

    from autograder.course import NOTEBOOKS
    from tests.release_notebooks import LECTURES

    return {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in LECTURES}


def _report_screenshots(terminalreporter) -> None:
    """Say where the browser test left its screenshots (one per student notebook)."""
    from autograder.course import BUILD

    shots = sorted(p for p in (BUILD / "screenshots").glob("*.png") if p.stat().st_mtime >= _SESSION_START)
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {shots[0].parent}")
        for path in shots:
            terminalreporter.write_line(f"  {path.name}")


def _report_mutation_scores(terminalreporter) -> None:
    """The wrong answers the grader caught, per exercise, as tests/test_both_ways.py left them (in a
    file: under pytest-xdist that test runs in a worker process, this report in the main one)."""
    import json

    from tests.mutation import SCORES_FILE

    if not SCORES_FILE.is_file() or SCORES_FILE.stat().st_mtime < _SESSION_START:
        return
    scores = json.loads(SCORES_FILE.read_text())
    terminalreporter.write_sep("-", "mutation score: wrong answers the grader caught, per exercise")
    for row in scores:
        terminalreporter.write_line(f"  {row['lecture']:<16} {row['exercise']:<11} {row['caught']:>3} / {row['total']:<3} caught")
    caught, total = sum(r["caught"] for r in scores), sum(r["total"] for r in scores)
    terminalreporter.write_line(f"  {'all':<28} {caught:>3} / {total:<3} caught")


def pytest_terminal_summary(terminalreporter):
    _report_screenshots(terminalreporter)
    _report_mutation_scores(terminalreporter)


# The slowest files first: `make test` hands whole files to two pytest-xdist workers in this
# order (--dist loadfile --no-loadscope-reorder), so the long ones start early and end together.
SLOWEST_FIRST = ("test_both_ways", "test_hostile", "test_grading", "test_browser", "test_dask", "test_worker_resources",
                 "test_execute", "test_fuzz", "test_notebooks", "test_postgres")


def pytest_collection_modifyitems(items):
    """nbval's items (every master in solutions/, executed) are slow too; slowest files first."""
    import pytest

    for item in items:
        if "solutions" in item.path.parts:
            item.add_marker(pytest.mark.slow)

    def rank(item) -> int:
        stem = item.path.stem
        return SLOWEST_FIRST.index(stem) if stem in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)   # stable: each file keeps its own order


@__import__("pytest").hookimpl(tryfirst=True)
def pytest_sessionfinish(session):
    """pytest then removes its old temporary folders, recursively: one left by a killed run holds the
    hostile case's folder 1,100 levels deep, past Python's default recursion limit. Raised only now,
    so the grader's own tests (a deep folder is a note, not a RecursionError) still meet the default."""
    import sys

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
