"""Test-wide settings: a headless plotting backend and a fixed hypothesis profile."""

import matplotlib

matplotlib.use("Agg")

from hypothesis import settings  # noqa: E402

# Example data is derived from hypothesis' own seeded search: no wall-clock deadline,
# since the shared 2-core machine makes individual examples slow at random.
settings.register_profile("course", deadline=None, print_blob=True)
settings.load_profile("course")
