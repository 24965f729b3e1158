"""Command line of the course's grading tool.

    python -m autograder release            regenerate notebooks/ from solutions/
    python -m autograder release --check    fail (exit 1) when notebooks/ is out of date
"""

from __future__ import annotations

import argparse
import sys

from . import release


def _release(args: argparse.Namespace) -> int:
    generated = release.generate()
    if args.check:
        problems = release.differences(generated)
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            print("run `make release` (python -m autograder release) and commit notebooks/", file=sys.stderr)
            return 1
        print(f"notebooks/ is up to date with solutions/ ({len(generated)} lectures)")
        return 0
    for path in release.write(generated):
        print(f"wrote {path.relative_to(release.NOTEBOOKS.parent)}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="Release and grade the course's notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="generate the student notebooks in notebooks/ from solutions/")
    rel.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 when they differ")
    rel.set_defaults(func=_release)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
