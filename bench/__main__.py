"""Run every benchmark and print one markdown table per module.

    python -m bench                       # print the tables
    python -m bench --quick               # fewer repeats, for a smoke run
    python -m bench --update-readme README.md
                                          # also replace the block between the
                                          # <!-- bench:start --> and <!-- bench:end --> markers

Each benchmark module has ``TITLE`` and ``run(quick) -> list[dict]`` whose rows carry
``case``, ``candidate``, ``median_ms`` and ``ratio_vs_seqconv`` (candidate time divided
by seqconv's time in the same run: above 1 means seqconv is faster); a row may add ``note``.
A module with rows of another shape provides ``format_table(rows) -> str`` instead.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import re
import sys
from pathlib import Path

import numpy as np

MODULES = ["bench.bench_conv", "bench.bench_stft", "bench.bench_notebooks", "bench.bench_grading", "bench.bench_main_process"]
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _format_ms(ms: float) -> str:
    return f"{ms:,.3f}" if ms < 1 else f"{ms:,.1f}" if ms < 1000 else f"{ms:,.0f}"


def table(title: str, rows: list[dict]) -> str:
    """Markdown table of one module's rows, grouped by case."""
    lines = [f"**{title}**", "", "| case | candidate | median (ms) | time / seqconv |", "| --- | --- | ---: | ---: |"]
    for row in rows:
        note = f" ({row['note']})" if row.get("note") else ""
        lines.append(
            f"| {row['case']} | {row['candidate']}{note} | {_format_ms(row['median_ms'])} | {row['ratio_vs_seqconv']:.2f}x |"
        )
    return "\n".join(lines)


def machine_line() -> str:
    try:
        import torch

        torch_info = f", torch {torch.__version__} ({torch.get_num_threads()} threads)"
    except ImportError:
        torch_info = ", torch not installed"
    return (
        f"Measured on {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"NumPy {np.__version__}{torch_info}; medians of interleaved repeats."
    )


def update_readme(path: Path, block: str) -> None:
    text = path.read_text()
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)
    if not pattern.search(text):
        raise SystemExit(f"{path} has no {START} ... {END} block to replace")
    path.write_text(pattern.sub(lambda _: f"{START}\n{block}\n{END}", text))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats (a smoke run)")
    parser.add_argument("--update-readme", type=Path, metavar="README", help="write the tables into this file")
    parser.add_argument("--only", nargs="*", default=None, help="module names to run (default: all)")
    args = parser.parse_args(argv)

    tables = []
    for name in MODULES:
        if args.only and not any(name.endswith(o) for o in args.only):
            continue
        module = importlib.import_module(name)
        print(f"running {name} ...", file=sys.stderr, flush=True)
        rows = module.run(quick=args.quick)
        formatter = getattr(module, "format_table", None)
        text = formatter(rows) if formatter else table(module.TITLE, rows)
        notes = getattr(module, "notes", None)
        if notes:
            text += "\n\n" + "\n".join(f"- {note}" for note in notes())
        tables.append(text)
    block = "\n\n".join(tables + [machine_line()])
    print(block)
    if args.update_readme:
        update_readme(args.update_readme, block)
        print(f"\nwrote the tables into {args.update_readme}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
