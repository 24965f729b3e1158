"""The main process at class scale: what finding, checking, sanitizing, recording and the reports
cost per notebook, with execution left out, on SQLite and on PostgreSQL; and the same class graded
by the local pool and by a 2-worker local Dask cluster.

The main process is the gradebook's only writer, so it bounds how many worker cores one run can
feed: ``worker seconds per notebook / main-process seconds per notebook``. Each size runs in a
fresh interpreter (its peak memory is its own) on a synthetic class: copies of the example
students' notebooks, each job "executed" by handing back the sanitized notebook unchanged.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TITLE = "The main process per notebook, and a Dask cluster against the local pool"
ROOT = Path(__file__).resolve().parents[1]


def _make_class(folder: Path, notebooks: int, template: str = "ada") -> None:
    from autograder.workbook import make_examples

    files = {Path(rel).stem: content for rel, content in make_examples.build().items() if rel.startswith(f"{template}/")}
    lectures = sorted(files)
    for i in range(notebooks):
        path = folder / f"s{i // len(lectures):05d}" / f"{lectures[i % len(lectures)]}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(files[lectures[i % len(lectures)]])


def child(notebooks: int, db_url: str | None) -> dict:
    """In a fresh interpreter: grade ``notebooks`` with execution stubbed; seconds and peak memory."""
    import autograder.backends.local_pool as backends
    from autograder.model import JobResult, Limits
    from autograder.pipeline import grade as grading
    from autograder.pipeline.outputs import write_outputs

    def executed_as_sent(job):   # the worker's part, left out
        return JobResult(job.student, job.lecture, grading.GRADED, job.notebook_json, [])

    backends.run_job = executed_as_sent   # LocalPool(1) runs jobs in this process
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _make_class(folder / "submissions", notebooks)
        settings = grading.Settings(submissions=folder / "submissions", out=folder / "out", course_dir=folder / "course",
                                    workers=1, limits=Limits(sandbox="none"), progress=False, db_url=db_url)
        grader = grading.Grader(settings)
        grader.course.prepare()   # the masters' release: once per course, not per notebook
        start = time.perf_counter()
        grader.run()
        run_s = time.perf_counter() - start
        write_outputs(grader, sorted(grader.outcomes))
        total_s = time.perf_counter() - start
    return {"notebooks": notebooks, "run_s": run_s, "total_s": total_s,
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _in_child(notebooks: int, db_url: str | None) -> dict:
    command = [sys.executable, "-m", "bench.bench_main_process", "--child", str(notebooks)] + ([db_url] if db_url else [])
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def _worker_s_per_notebook(notebooks: int = 6) -> float:
    """A real notebook's execution time in one sandboxed worker (median over a few of ada's)."""
    import statistics

    from autograder.model import Limits
    from autograder.pipeline.grade import Grader, Settings
    from autograder.runner.sandboxes.bubblewrap import bwrap_problem

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _make_class(folder / "submissions", notebooks)
        grader = Grader(Settings(submissions=folder / "submissions", out=folder / "out", course_dir=folder / "course",
                                 workers=1, limits=Limits(sandbox="bwrap" if bwrap_problem() is None else "none"),
                                 progress=False))
        grader.run()
        return statistics.median(t.execution.kernel_start_s + t.execution.link_s + t.execution.cells_s
                                 + t.execution.trusted_s + t.execution.shutdown_s for t in grader.timings)


def _dask_vs_pool(students: int) -> tuple[float, float, int]:
    """(local pool seconds, 2-worker local Dask cluster seconds, notebooks) for the same class."""
    from distributed import LocalCluster

    from autograder.backends import ClusterOptions
    from autograder.course import lecture_ids
    from autograder.model import Limits
    from autograder.pipeline.grade import Grader, Settings
    from autograder.runner.sandboxes.bubblewrap import bwrap_problem

    limits = Limits(sandbox="bwrap" if bwrap_problem() is None else "none")
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        notebooks = students * len(lecture_ids())   # each student hands in every lecture
        _make_class(folder / "submissions", notebooks)
        os.environ["PYTHONPATH"] = str(ROOT)   # the cluster's workers import the grader
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            for name, options in (("pool", None), ("dask", ClusterOptions(address=cluster.scheduler_address))):
                grader = Grader(Settings(submissions=folder / "submissions", out=folder / f"out-{name}",
                                         course_dir=folder / f"course-{name}", workers=2, limits=limits, progress=False,
                                         cluster=options))
                start = time.perf_counter()
                grader.run()
                times.append(time.perf_counter() - start)
        shutil.rmtree(folder, ignore_errors=True)
    return times[0], times[1], notebooks


def run(quick: bool = False) -> list[dict]:
    from autograder.course import lecture_ids

    sizes = (50, 200) if quick else (200, 2000)
    worker_s = _worker_s_per_notebook(3 if quick else len(lecture_ids()))   # in full: ada's notebook of every lecture
    rows = []
    try:
        import psycopg  # noqa: F401

        from tests import postgres_server
        have_postgres = postgres_server.find_bin() is not None
    except ImportError:
        have_postgres = False
    for size in sizes:
        rows.append({"database": "SQLite", **_in_child(size, None)})
    if have_postgres:
        for size in sizes:
            with postgres_server.running() as server:
                rows.append({"database": "PostgreSQL", **_in_child(size, server.url())})
    for row in rows:
        row["worker_s"] = worker_s
    try:
        pool_s, dask_s, notebooks = _dask_vs_pool(2 if quick else 6)
        rows.append({"database": "dask", "pool_s": pool_s, "dask_s": dask_s, "notebooks": notebooks})
    except ImportError:
        pass
    return rows


def format_table(rows: list[dict]) -> str:
    lines = [f"**{TITLE}**", "",
             "| gradebook | notebooks | find, check, sanitize, record: s per notebook | reports: s per notebook | "
             "notebooks/s in all | peak memory (MB) | worker cores one main process feeds |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for row in rows:
        if row["database"] == "dask":
            continue
        run, reports, total = (row["run_s"] / row["notebooks"], (row["total_s"] - row["run_s"]) / row["notebooks"],
                               row["total_s"] / row["notebooks"])
        lines.append(f"| {row['database']} | {row['notebooks']:,} | {run:.3f} | {reports:.3f} | {1 / total:.1f} | "
                     f"{row['peak_mb']:.0f} | {row['worker_s'] / total:.0f} |")
    worker = next((row["worker_s"] for row in rows if "worker_s" in row), None)
    if worker is not None:
        lines += ["", f"Worker cost: {worker:.2f} s per notebook (one sandboxed worker, median). Cores fed: the worker "
                  "cost over the main process's whole cost per notebook, the reports (grades.csv, feedback, "
                  "report.html, written once at the end) included."]
    for row in rows:
        if row["database"] == "dask":
            lines += ["", f"The same class of {row['notebooks']} notebooks, 2 local workers: process pool {row['pool_s']:.1f} s, "
                      f"Dask LocalCluster {row['dask_s']:.1f} s (time / pool: {row['dask_s'] / row['pool_s']:.2f}x)."]
    return "\n".join(lines)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "--child":
        print(json.dumps(child(int(sys.argv[2]), sys.argv[3] if len(sys.argv) > 3 else None)))
    else:
        print(format_table(run(quick="--quick" in sys.argv)))
