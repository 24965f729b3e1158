"""Command line of the course's grading tool.

    python -m autograder release            regenerate notebooks/ from solutions/
    python -m autograder release --check    fail (exit 1) when notebooks/ is out of date
    python -m autograder grade SUBMISSIONS  grade a folder of submissions (see --help)
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.course import BUILD, WORK
from autograder.workbook import release


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


def _moment(text: str):  # noqa: ANN202 - a datetime, for argparse
    from datetime import datetime

    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date and time such as 2026-12-24T23:59, got {text!r}") from None
    return moment if moment.tzinfo is not None else moment.astimezone()   # a local time: this machine's zone


def _workbook(args: argparse.Namespace) -> int:
    from autograder.workbook.student_copies import Action, sync

    for synced in sync(work=args.work):
        where = synced.path.relative_to(args.work.parent) if synced.path.is_relative_to(args.work.parent) else synced.path
        if synced.action is Action.UPDATED:
            print(f"{where}: updated to the new release, your answers and cells kept ({synced.carried}); "
                  f"the copy as it was: {synced.previous}")
        elif synced.action is Action.COPIED:
            print(f"{where}: your copy of the lecture")
    return 0


def _handin(args: argparse.Namespace) -> int:
    from autograder.workbook.handin import check, pack

    checked = check(args.work)
    for item in checked:
        if item.missing:
            print(f"{item.lecture}: not started (no {item.path.name} in {args.work}): it will count as missing")
        elif item.problems:
            print(f"{item.lecture}: cannot be handed in as it is:" + "".join(f"\n  - {p}" for p in item.problems))
        else:
            print(f"{item.lecture}: ready")
    if any(item.problems for item in checked) and not args.skip_broken:
        print("\nnothing packed: fix the notebooks above, or pass --skip-broken to hand in the others without them",
              file=sys.stderr)
        return 1
    try:
        target = pack(args.student, checked, args.out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"\nhand in this file: {target} ({sum(item.ready for item in checked)} notebooks)")
    return 0


def _formgrader(args: argparse.Namespace) -> int:
    from autograder.course import put_interpreter_scripts_on_path
    from autograder.pipeline.workspace import CourseWorkspace

    course = CourseWorkspace(args.course_dir)
    course.prepare()   # the lectures are in the gradebook before anything is graded
    put_interpreter_scripts_on_path()
    command = [str(Path(sys.executable).parent / "jupyter"), "lab", f"--ServerApp.root_dir={course.root}",
               "--ServerApp.default_url=/formgrader", *(["--allow-root"] if os.geteuid() == 0 else []),
               *[a for i, a in enumerate(args.jupyter_args) if not (i == 0 and a == "--")]]
    print(f"formgrader on the course workspace {course.root} (nbgrader's own view: manual grading, comments, students)")
    sys.stdout.flush()
    # nbgrader reads nbgrader_config.py from the folder it starts in; exec: Ctrl-C and signals reach jupyter itself
    os.chdir(course.root)
    os.execv(command[0], command)


def _grade(args: argparse.Namespace) -> int:
    from autograder.backends import ClusterError, ClusterOptions
    from autograder.model import Limits
    from autograder.pipeline.grade import Settings, grade
    from autograder.runner import sandboxes

    cluster = None
    if args.scheduler or args.scheduler_file:
        cluster = ClusterOptions(address=args.scheduler, scheduler_file=args.scheduler_file, tls_ca_file=args.tls_ca_file,
                                 tls_cert=args.tls_cert, tls_key=args.tls_key)
    # on a cluster the workers run student code: the preflight checks their sandbox
    sandbox = sandboxes.get("none" if args.no_sandbox else Limits.sandbox)
    if cluster is None and (problem := sandbox.problem()):
        print(f"error: cannot sandbox the students' code: {problem}.\n"
              "Grading runs student code on this machine. Install bubblewrap, or grade elsewhere; to run it here "
              "without a sandbox anyway (resource limits only, with your rights), pass --no-sandbox.", file=sys.stderr)
        return 2
    settings = Settings(
        submissions=args.submissions, out=args.out, course_dir=args.course_dir, workers=args.workers,
        limits=Limits(cell_timeout_s=args.timeout, memory_mb=args.memory_mb, sandbox=sandbox.name,
                      warm_kernels=not args.cold_kernels),
        force=args.force, db_url=args.db_url, roster=args.roster, deadline=args.deadline, late_penalty=args.late_penalty, progress=not args.no_progress and not args.verbose, verbose=args.verbose,
        cluster=cluster,
    )
    from autograder.pipeline.late import LatePolicy
    from autograder.pipeline.roster import RosterError

    try:
        LatePolicy.parse(args.late_penalty)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return grade(settings)
    except RosterError as exc:
        print(f"error: --roster: {exc}", file=sys.stderr)
        return 2
    except ClusterError as exc:
        print(f"error: --scheduler: {exc}", file=sys.stderr)
        return 2


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="Release and grade the course's notebooks.")
    commands = parser.add_subparsers(dest="command", required=True)
    rel = commands.add_parser("release", help="generate the student notebooks in notebooks/ from solutions/")
    rel.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 when they differ")
    rel.set_defaults(func=_release)
    wb = commands.add_parser("workbook", help="your own copies of the lectures in work/: new lectures copied, updated ones merged",
                             description="Copy each lecture of notebooks/ to work/ (where you work: no release or pull overwrites it). "
                                         "A lecture whose release changed is rebuilt from the new release with your answers and "
                                         "your own cells carried over; the copy as it was is kept in work/.previous/.")
    wb.add_argument("--work", type=Path, default=WORK, help="the folder of your copies (default: work/)")
    wb.set_defaults(func=_workbook)
    hi = commands.add_parser("handin", help="check your notebooks in work/ and pack them as STUDENT.zip to hand in",
                             description="Check each of your notebooks (a valid notebook, every test and locked cell as "
                                         "released) and pack them as OUT/STUDENT.zip, the file the grader reads.")
    hi.add_argument("student", metavar="STUDENT", help="your student id (letters, digits and _.@+-)")
    hi.add_argument("--work", type=Path, default=WORK, help="the folder of your notebooks (default: work/)")
    hi.add_argument("--out", type=Path, default=BUILD / "handin", help="where the zip goes (default: build/handin)")
    hi.add_argument("--skip-broken", action="store_true", help="pack the notebooks that pass, leave the others out")
    hi.set_defaults(func=_handin)
    fg = commands.add_parser("formgrader", help="open nbgrader's formgrader on the course workspace (instructors)",
                             description="Start JupyterLab on the course workspace, opened at nbgrader's formgrader: grade "
                                         "written answers, write comments, see each submission. Arguments after -- go to "
                                         "jupyter lab (for example -- --no-browser --port 8899).")
    fg.add_argument("--course-dir", type=Path, default=BUILD / "course", help="the course workspace (default: build/course)")
    fg.add_argument("jupyter_args", nargs=argparse.REMAINDER, help="passed to jupyter lab (after --)")
    fg.set_defaults(func=_formgrader)
    gr = commands.add_parser("grade", help="grade a folder of submissions with nbgrader, in parallel",
                             description="Grade SUBMISSIONS: one folder or .zip per student (or an nbgrader submitted/ tree).")
    gr.add_argument("submissions", type=Path, metavar="SUBMISSIONS")
    gr.add_argument("--out", type=Path, default=BUILD / "grades", help="where grades.csv, feedback/ and report.html go (default: build/grades)")
    gr.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="notebooks graded at once (default: the machine's cores)")
    gr.add_argument("--timeout", type=int, default=60, help="seconds a cell may run (default: 60)")
    gr.add_argument("--memory-mb", type=int, default=2048, help="address-space limit of each grading kernel (default: 2048)")
    gr.add_argument("--course-dir", type=Path, default=BUILD / "course", help="the nbgrader course workspace kept between runs (default: build/course)")
    gr.add_argument("--db-url", default=None, help="gradebook database URL (default: sqlite in the course workspace)")
    gr.add_argument("--roster", type=Path, default=None,
                    help="the class list, a CSV with id, first_name, last_name (and email) columns "
                         "(default: students.csv in SUBMISSIONS, when there is one)")
    gr.add_argument("--deadline", type=_moment, default=None,
                    help="the deadline, as 2026-12-24T23:59 (local time) or with a zone (+01:00, Z); a notebook handed "
                         "in later is late: its time is nbgrader's timestamp.txt, else the zip member's, else the file's")
    gr.add_argument("--late-penalty", default="none",
                    help="what a late notebook loses: none (noted in its details), zero, or N%%/day of its score per "
                         "started day (default: none)")
    gr.add_argument("--scheduler", default=None, metavar="ADDRESS",
                    help="run the notebooks on the workers of this Dask scheduler (tcp://host:8786 or tls://...; "
                         "needs the cluster extra) instead of --workers processes here")
    gr.add_argument("--scheduler-file", type=Path, default=None, metavar="PATH", help="the same, from a Dask scheduler file")
    gr.add_argument("--tls-ca-file", type=Path, default=None, help="Dask TLS: the CA certificate (with tls:// addresses)")
    gr.add_argument("--tls-cert", type=Path, default=None, help="Dask TLS: this client's certificate")
    gr.add_argument("--tls-key", type=Path, default=None, help="Dask TLS: this client's private key")
    gr.add_argument("--force", action="store_true", help="regrade everything, not only what changed")
    gr.add_argument("--no-progress", action="store_true", help="no progress bar")
    gr.add_argument("--verbose", action="store_true",
                    help="print a line per notebook as it is done: when, which worker, its status, and its time in kernel start, "
                         "the student's cells and the trusted checks (COURSE_DIR/grading.log keeps them in any case)")
    gr.add_argument("--no-sandbox", action="store_true",
                    help="run student code without bubblewrap (resource limits only): only where bubblewrap cannot run, "
                         "on submissions you trust; the report says so")
    gr.add_argument("--cold-kernels", action="store_true",
                    help="start every kernel afresh in bubblewrap, as a grader that is not root does, instead of forking it "
                         "from a pre-warmed process into a sandbox the grader builds (root only; about 1.5 s of CPU less a notebook)")
    gr.set_defaults(func=_grade)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
