"""Test-wide settings: a headless plotting backend and a fixed hypothesis profile."""

import matplotlib

matplotlib.use("Agg")

from hypothesis import settings  # noqa: E402

# Example data is derived from hypothesis' own seeded search: no wall-clock deadline,
# since the shared 2-core machine makes individual examples slow at random.
settings.register_profile("course", deadline=None, print_blob=True)
settings.load_profile("course")


_SESSION_START = __import__("time").time()


def pytest_terminal_summary(terminalreporter):
    """Say where the browser test left its screenshots (one per student notebook)."""
    from autograder.course import BUILD

    shots = sorted(p for p in (BUILD / "screenshots").glob("*.png") if p.stat().st_mtime >= _SESSION_START)
    if shots:
        terminalreporter.write_sep("-", f"{len(shots)} browser screenshots in {shots[0].parent}")
        for path in shots:
            terminalreporter.write_line(f"  {path.name}")
