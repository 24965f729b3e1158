"""The class report's plot: per lecture, how each exercise's scores spread over the students."""

from __future__ import annotations

import base64
import io


def score_plot_png(cell_scores: dict[str, dict[str, list[float]]], points: dict[tuple[str, str], float]) -> str:
    """Per lecture, the distribution of each exercise's score fraction (0 to 1) over students, as a PNG
    image encoded in base64 (characters a page never needs to escape); "" when nothing was graded.
    ``cell_scores``: lecture -> exercise -> the students' fractions; ``points``: (lecture, exercise) ->
    its points, shown under its name."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    import numpy as np

    lectures = sorted(cell_scores)
    if not lectures:
        return ""
    columns = min(4, len(lectures))
    rows = -(-len(lectures) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.0 * columns, 2.8 * rows), sharey=True, squeeze=False)
    rng = np.random.default_rng(0)  # jitter only
    for ax in axes.flat[len(lectures):]:
        ax.set_visible(False)
    for ax, lecture in zip(axes.flat, lectures, strict=False):   # the grid may have more axes than lectures
        exercises = sorted(cell_scores[lecture])
        for x, exercise in enumerate(exercises):
            values = np.asarray(cell_scores[lecture][exercise])
            ax.scatter(x + rng.uniform(-0.15, 0.15, size=values.size), values, s=12, alpha=0.6)
            ax.hlines(values.mean(), x - 0.3, x + 0.3, color="black")
        ax.set_xticks(range(len(exercises)),
                      [f"{e}\n{points[(lecture, e)]:g} pts" if (lecture, e) in points else e for e in exercises])
        ax.set_title(lecture, fontsize=9)
        ax.set_ylim(-0.05, 1.05)
        ax.set_xlabel("exercise")
    for row in axes:
        row[0].set_ylabel("score / max points")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()
