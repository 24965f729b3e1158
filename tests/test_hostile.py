"""Hostile submissions (GitHub issue 5): grade every case of tests/hostile_cases.py in ONE run.

The class: one folder per hostile case (its one notebook), ``cleo`` (the unchanged release
of every lecture used), ``ada`` (the perfect examples of autograder/workbook/make_examples.py), and,
for a case whose answers could earn points honestly, ``<case>-honest`` (the same answers
without the attack). One subprocess grades it all:

    python -m autograder grade SUBMISSIONS --out OUT --course-dir COURSE --workers 2 --timeout 10 --no-progress

Then, per case (each its own test): (a) it was graded (no grader error); (b) it scores no
more than cleo (or its honest twin) on the test cells it attacks and in total, on the same
maximum; (d) it left nothing behind: no process, no file, no connection, no ``ESCAPED:``
line in its outputs; (e) its feedback page shows nothing hidden: no hidden test line, no
solution line, nothing of the gradebook; (f) its markup is the grader's own (no tag or attribute of
the student's). And for the run: (c) ada gets every autograded
point and cleo none, every submission file is byte-identical afterwards; (d) the repository,
solutions/ and notebooks/ are as they were, the gradebook is intact (it opens, every student
is there, no trigger), no process of the run is left, nothing reached the loopback listener, the
grader's own process stayed under MAX_GRADER_BYTES of memory.

Everything the attacks create carries a random per-run token; a finalizer kills what is
left of the run (processes found by that token, by pid) and removes tagged files.

Environment knobs (for investigating, not for CI):
    HOSTILE_NO_SANDBOX=1     grade with --no-sandbox (shows which attacks the sandbox stops)
    HOSTILE_CASES=h01,h12    only these cases (name prefixes); HOSTILE_SKIP=h21 all but these
    HOSTILE_GRADER=DIR       run ``python -m autograder grade`` of another checkout (e.g. an older
                             commit, ``git archive``d), to see which attacks a grader lets through
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import html
import json
import os
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import sysconfig
import threading
import time
import zipfile
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from autograder.cells import is_test_cell, nbgrader_meta, split_test_source
from autograder.course import NOTEBOOKS, ROOT, SOLUTIONS
from autograder.workbook import make_examples
from tests.fs_tools import remove_tree, walk
from tests.gradebook import CellGrade, read_grades
from tests.hostile_cases import CASES, Case, Paths, build_case, notebook_bytes

pytestmark = [pytest.mark.slow, pytest.mark.hostile, pytest.mark.sandbox]

TIMEOUT_S = 10
WORKERS = 2
RUN_LIMIT_S = 900          # the subprocess is killed past this (a hung grader)
NO_SANDBOX = os.environ.get("HOSTILE_NO_SANDBOX") == "1"
OTHER_GRADER = Path(os.environ["HOSTILE_GRADER"]).resolve() if os.environ.get("HOSTILE_GRADER") else None
GRADED_STATUSES = {"graded", "timeout", "kernel died", "tampered"}
MAX_FEEDBACK_BYTES = 2_000_000
OUTPUT_CAP_BYTES = 1_000_000      # the grader's default output cap (model.Limits.output_bytes)
MAX_WORKDIR_BYTES = 300 * 2**20
MAX_GRADER_BYTES = 1 * 2**30      # the main grading process (it runs no student code)


def _selected() -> list[Case]:
    only = [s for s in os.environ.get("HOSTILE_CASES", "").split(",") if s]
    skip = [s for s in os.environ.get("HOSTILE_SKIP", "").split(",") if s]
    return [c for c in CASES if (not only or any(c.name.startswith(o) for o in only))
            and not any(c.name.startswith(s) for s in skip)]


SELECTED = _selected()
LECTURES = sorted({c.lecture for c in SELECTED})
BASELINED = [c for c in SELECTED if c.honest is not None]


def _ids(c: Case) -> str:
    return c.name


# -- what the run leaves: processes, files, connections ----------------------------------

def run_processes(token: str) -> dict[int, str]:
    """pid -> command line of every live process of the run: the token in its command line or environment."""
    needle = token.encode()
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        base = f"/proc/{entry.name}"
        try:
            with open(f"{base}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[1].split()[0] in (b"Z", b"X"):
                    continue
            with open(f"{base}/cmdline", "rb") as f:
                cmdline = f.read()
            try:
                with open(f"{base}/environ", "rb") as f:
                    environ = f.read()
            except OSError:
                environ = b""
        except (OSError, IndexError):
            continue
        if needle in cmdline or needle in environ:
            found[int(entry.name)] = cmdline.replace(b"\0", b" ").decode(errors="replace").strip()
    return found


def kill_run_processes(token: str) -> None:
    """SIGKILL, by pid, what is left of this run (found again by the token right before)."""
    for _ in range(20):
        pids = run_processes(token)
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)


def tagged_files(paths: Paths) -> list[Path]:
    """Files or folders whose name carries the run's token, wherever an attack may have put one."""
    flat = [ROOT, SOLUTIONS, NOTEBOOKS, paths.lib, paths.site_packages, Path("/tmp"), Path("/var/tmp"), Path("/dev/shm")]
    deep = [paths.markers, paths.submissions, paths.course]
    found = []
    for folder in flat:
        with contextlib.suppress(OSError):
            found += [p for p in folder.iterdir() if paths.token in p.name]
    for folder in deep:
        if folder.is_dir():
            found += [p for p in walk(folder) if paths.token in p.name]
    return sorted(set(found))


def remove(path: Path) -> None:
    try:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()
    except OSError:
        pass


class Listener:
    """A loopback TCP server: records every connection that reaches it (and its first bytes)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.received: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, peer = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    data = conn.recv(400).decode(errors="replace")
                except OSError:
                    data = ""
            self.received.append(f"{peer}: {data.strip()}")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()


def set_flag_bits(archive: Path, flags: dict[str, int]) -> None:
    """OR ``flags[name]`` into the general-purpose flag bits of those members (local header and central directory)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        offsets = {info.filename: info.header_offset for info in zf.infolist()}
        position = zf.start_dir
    for name, bits in flags.items():
        local = offsets[name]
        data[local + 6:local + 8] = (int.from_bytes(data[local + 6:local + 8], "little") | bits).to_bytes(2, "little")
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (int.from_bytes(data[position + k:position + k + 2], "little") for k in (28, 30, 32))
        name = data[position + 46:position + 46 + name_length].decode()
        if name in flags:
            flag = int.from_bytes(data[position + 8:position + 10], "little") | flags[name]
            data[position + 8:position + 10] = flag.to_bytes(2, "little")
        position += 46 + name_length + extra_length + comment_length
    archive.write_bytes(bytes(data))


# -- snapshots --------------------------------------------------------------------------

def tree_hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(walk(folder)) if p.is_file() and not p.is_symlink()}


def git_status() -> str:
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout


def gradebook_state(path: Path) -> dict:
    """Does the gradebook open, is it intact, who is in it, which triggers and row ids it holds."""
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            state = {"integrity": db.execute("PRAGMA integrity_check").fetchone()[0],
                     "students": {r[0] for r in db.execute("SELECT id FROM student")},
                     "triggers": [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")],
                     "ids": set()}
            tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in tables:
                columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
                if "id" in columns:
                    state["ids"] |= {str(r[0]) for r in db.execute(f'SELECT id FROM "{table}"')
                                     if re.fullmatch(r"[0-9a-f]{32}", str(r[0]))}
            return state
        finally:
            db.close()
    except sqlite3.Error as exc:
        return {"error": f"{type(exc).__name__}: {exc}"}


# -- what must stay hidden -----------------------------------------------------------------

SOLUTION_BLOCK = re.compile(r"^[ \t]*### BEGIN SOLUTION[^\n]*\n(.*?)^[ \t]*### END SOLUTION", re.DOTALL | re.MULTILINE)


def secret_lines() -> list[str]:
    """Lines (over 25 characters) of the masters' hidden tests, solution blocks and written
    answers that no released notebook shows."""
    public = set()
    for path in NOTEBOOKS.glob("*.ipynb"):
        for c in nbformat.read(path, as_version=4).cells:
            for line in c.source.splitlines():
                public |= {line.strip(), line.split("#")[0].strip()}
    found = set()
    for path in SOLUTIONS.glob("*.ipynb"):
        for c in nbformat.read(path, as_version=4).cells:
            meta = nbgrader_meta(c)
            if is_test_cell(c):
                text = split_test_source(c.source)[1]
            elif meta.get("solution") and c.cell_type == "code":
                text = "\n".join(SOLUTION_BLOCK.findall(c.source))
            elif meta.get("solution"):
                text = c.source   # a written answer
            else:
                continue
            for line in text.splitlines():
                key = line.strip()
                if len(key) > 25 and key not in public and key.split("#")[0].strip() not in public:
                    found.add(key)
    return sorted(found)


def output_texts(nb: nbformat.NotebookNode) -> list[str]:
    texts = []
    for c in nb.cells:
        for out in c.get("outputs", []):
            if out.output_type == "stream":
                texts.append(out.text)
            elif out.output_type == "error":
                texts.append(f"{out.ename}: {out.evalue}")
            else:
                texts += [str(v) for v in out.get("data", {}).values()]
    return texts


# -- the run ----------------------------------------------------------------------------

@dataclass(repr=False)
class Run:
    paths: Paths
    out: Path
    returncode: int | None
    elapsed: float
    log: str
    notebooks: dict[str, str]                      # student -> submitted notebook source (all cells)
    rows: dict[tuple[str, str], dict]              # (student, lecture) -> grades.csv row
    cells: dict[tuple[str, str], dict[str, CellGrade]]
    cells_error: str | None
    leftover_processes: dict[int, str]
    leftover_files: list[Path]
    connections: list[str]
    gradebook: dict
    status_before: str
    status_after: str
    masters_before: dict[str, str]
    masters_after: dict[str, str]
    submissions_before: dict[str, str]
    submissions_after: dict[str, str]
    workdir_bytes: dict[str, int] = field(default_factory=dict)
    grader_peak_bytes: int = 0                     # the grader's main process (VmHWM), 0 if never read

    def __repr__(self) -> str:
        return f"<grading run: exit code {self.returncode}, {self.elapsed:.0f} s, {len(self.notebooks)} students>"

    def feedback(self, student: str) -> str | None:
        page = self.out / "feedback" / f"{student}.html"
        return page.read_text(errors="replace") if page.exists() else None

    def autograded(self, student: str, lecture: str) -> nbformat.NotebookNode | None:
        path = self.paths.course / "autograded" / student / lecture / f"{lecture}.ipynb"
        try:
            return nbformat.read(path, as_version=4)
        except Exception:  # noqa: BLE001 - whatever a hostile notebook left: None, the test says what is missing
            return None

    def completed(self) -> None:
        """The run got as far as writing grades.csv (a grader error elsewhere is test_the_run_completed's)."""
        if not self.rows:
            pytest.fail(f"the grading run did not complete (exit code {self.returncode}, no grades.csv):\n{self.log[-3000:]}")


def _masters() -> dict[str, str]:
    return {**{f"solutions/{k}": v for k, v in tree_hashes(SOLUTIONS).items()},
            **{f"notebooks/{k}": v for k, v in tree_hashes(NOTEBOOKS).items()}}


@pytest.fixture(scope="module")
def run(tmp_path_factory, request) -> Run:
    if not NO_SANDBOX and OTHER_GRADER is None:
        from autograder.runner.sandboxes.bubblewrap import bwrap_problem

        if problem := bwrap_problem():
            pytest.skip(f"the grader cannot sandbox here ({problem}); HOSTILE_NO_SANDBOX=1 runs the suite unsandboxed")
    token = secrets.token_hex(6)
    tmp = tmp_path_factory.mktemp("hostile")
    listener = Listener()
    paths = Paths(
        root=ROOT, solutions=SOLUTIONS, lib=ROOT / "lib" / "seqconv", site_packages=Path(sysconfig.get_paths()["purelib"]),
        course=tmp / f"course-{token}", gradebook=tmp / f"course-{token}" / "gradebook.db",
        submissions=tmp / f"submissions-{token}", victim=tmp / f"submissions-{token}" / "ada",
        markers=tmp / "markers", token=token, port=listener.port,
    )
    paths.markers.mkdir()
    out = tmp / "out"
    notebooks: dict[str, str] = {}

    def put(student: str, lecture: str, nb_or_bytes) -> None:
        target = paths.submissions / student / f"{lecture}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        data = nb_or_bytes if isinstance(nb_or_bytes, bytes) else notebook_bytes(nb_or_bytes)
        target.write_bytes(data)
        cells = json.loads(data, parse_int=lambda digits: 0).get("cells", [])
        notebooks[student] = notebooks.get(student, "") + "\n".join(
            "".join(c["source"]) if isinstance(c.get("source"), list) else str(c.get("source", "")) for c in cells)

    examples = make_examples.build()
    releases = {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in LECTURES}
    for lecture in LECTURES:
        put("cleo", lecture, examples[f"cleo/{lecture}.ipynb"])
        put("ada", lecture, examples[f"ada/{lecture}.ipynb"])
    def put_zip(student: str, lecture: str, nb, members: list[tuple[str, bytes, int]]) -> None:
        """``<student>.zip``: the notebook, then the members, streamed (never whole in memory here)."""
        paths.submissions.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(paths.submissions / f"{student}.zip", "w", compression=zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{lecture}.ipynb", nbformat.writes(nb))
            for name, block, repeats, *_ in members:
                with zf.open(name, "w", force_zip64=True) as member:
                    for _ in range(repeats):
                        member.write(block)
        flagged = {m[0]: m[3] for m in members if len(m) > 3}
        if flagged:
            set_flag_bits(paths.submissions / f"{student}.zip", flagged)
        notebooks[student] = "\n".join(c.source for c in nb.cells)

    for c in SELECTED:
        if c.archive is not None:
            put_zip(c.name, c.lecture, build_case(c, releases[c.lecture], paths), c.archive(replace(paths, case=c.name)))
            continue
        put(c.name, c.lecture, build_case(c, releases[c.lecture], paths))
        if c.layout is not None:
            for student in c.layout(replace(paths, case=c.name)):
                notebooks.setdefault(student, "")
        if c.honest is not None:
            put(f"{c.name}-honest", c.lecture, build_case(c, releases[c.lecture], paths, honest=True))

    status_before, masters_before = git_status(), _masters()
    submissions_before = tree_hashes(paths.submissions)
    command = [sys.executable, "-m", "autograder", "grade", str(paths.submissions), "--out", str(out),
               "--course-dir", str(paths.course), "--workers", str(WORKERS), "--timeout", str(TIMEOUT_S), "--no-progress"]
    if NO_SANDBOX:
        command.append("--no-sandbox")
    env = {**os.environ, "HOSTILE_RUN_TOKEN": token}
    if OTHER_GRADER is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(OTHER_GRADER), str(OTHER_GRADER / "lib")])   # its grader, its library
    log_path = tmp / "grade.log"
    start = time.monotonic()
    # output to a file, not a pipe: if the grader dies, its orphans must not keep the test waiting
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(command, cwd=OTHER_GRADER or ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                                   stderr=subprocess.STDOUT, start_new_session=True)
    peak = {"bytes": 0}
    watching = threading.Event()

    def watch_memory() -> None:
        """The grader's own peak resident memory (VmHWM), read until it exits."""
        while not watching.wait(0.2):
            try:
                with open(f"/proc/{process.pid}/status") as f:
                    for line in f:
                        if line.startswith("VmHWM:"):
                            peak["bytes"] = max(peak["bytes"], int(line.split()[1]) * 1024)
            except (OSError, ValueError):
                pass

    watcher = threading.Thread(target=watch_memory, daemon=True)
    watcher.start()
    try:
        try:
            process.wait(timeout=RUN_LIMIT_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        elapsed = time.monotonic() - start
        watching.set()
        watcher.join()
        log = log_path.read_text(errors="replace")
        if elapsed >= RUN_LIMIT_S:
            log += f"\n[killed by the test after {RUN_LIMIT_S} s]"
        # what the run left: give the grader's own cleanup a moment first
        deadline = time.monotonic() + 5
        while run_processes(token) and time.monotonic() < deadline:
            time.sleep(0.2)
        leftover_processes = run_processes(token)
        leftover_files = tagged_files(paths)
        workdirs = paths.course / "work"
        workdir_bytes = {}
        if workdirs.is_dir():
            for student_dir in workdirs.iterdir():
                workdir_bytes[student_dir.name] = sum(p.stat().st_size for p in student_dir.rglob("*") if p.is_file())

        rows = {}
        if (out / "grades.csv").exists():
            with (out / "grades.csv").open() as f:
                rows = {(r["student"], r["notebook"]): r for r in csv.DictReader(f)}
        gradebook = gradebook_state(paths.gradebook)   # read-only, before nbgrader's API opens it
        cells, cells_error = {}, None
        try:
            cells = read_grades(paths.course, [(student, lecture) for student in notebooks for lecture in LECTURES])
        except Exception as exc:  # noqa: BLE001 - reported by the test that needs the cells
            cells_error = f"{type(exc).__name__}: {str(exc)[:500]}"
        result = Run(
            paths=paths, out=out, returncode=process.returncode, elapsed=elapsed, log=log, notebooks=notebooks, rows=rows,
            cells=cells, cells_error=cells_error, leftover_processes=leftover_processes, leftover_files=leftover_files,
            connections=list(listener.received), gradebook=gradebook,
            status_before=status_before, status_after=git_status(), masters_before=masters_before,
            masters_after=_masters(), submissions_before=submissions_before,
            submissions_after=tree_hashes(paths.submissions), workdir_bytes=workdir_bytes, grader_peak_bytes=peak["bytes"],
        )
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"\nhostile suite: {len(notebooks)} students, {len(SELECTED)} cases, "
                                f"grading run {elapsed:.0f} s, exit code {process.returncode}"
                                f"{' (--no-sandbox)' if NO_SANDBOX else ''}{f' (grader of {OTHER_GRADER})' if OTHER_GRADER else ''}")
        yield result
    finally:
        kill_run_processes(token)
        for path in tagged_files(paths):
            remove(path)
        work = paths.course / "work"
        if work.is_dir():
            remove(work)
        remove_tree(paths.submissions)   # a case nests folders deeper than shutil.rmtree can go
        listener.close()


# -- the cases themselves ---------------------------------------------------------------------

def test_cases_are_well_formed():
    """At least 22 cases, unique names, real grade_ids, a docstring each, and an attack in each notebook."""
    assert len(CASES) >= 22
    assert len({c.name for c in CASES}) == len(CASES)
    paths = Paths(root=ROOT, solutions=SOLUTIONS, lib=ROOT / "lib" / "seqconv", site_packages=Path("/nonexistent"),
                  course=Path("/nonexistent/course"), gradebook=Path("/nonexistent/course/gradebook.db"),
                  submissions=Path("/nonexistent/submissions"), victim=Path("/nonexistent/submissions/ada"),
                  markers=Path("/nonexistent/markers"), token="0" * 12, port=9)
    for c in CASES:
        assert re.fullmatch(r"h\d\d-[a-z0-9-]+", c.name), c.name
        assert len(c.doc) > 80, f"{c.name}: say what it attacks and what naive nbgrader would do"
        release = nbformat.read(NOTEBOOKS / f"{c.lecture}.ipynb", as_version=4)
        tests = {nbgrader_meta(cell)["grade_id"] for cell in release.cells if is_test_cell(cell)}
        assert c.attacks and set(c.attacks) <= tests, (c.name, set(c.attacks) - tests)
        built = build_case(c, release, paths)
        nbformat.validate(built)
        assert notebook_bytes(built) != notebook_bytes(release), f"{c.name} changes nothing"
        if c.honest is not None:
            nbformat.validate(build_case(c, release, paths, honest=True))


# -- the run as a whole -----------------------------------------------------------------------

def test_the_run_completed(run):
    """Exit code 0 (a run hung past RUN_LIMIT_S is killed: no exit code 0; speed is measured in bench/, not
    asserted here), a row for every student; the log ends with the summary table."""
    killed = f" (killed by signal {-run.returncode}: a graded notebook can kill the grader?)" if (run.returncode or 0) < 0 else ""
    assert run.returncode == 0, f"exit code {run.returncode}{killed}:\n{run.log[-3000:]}"
    missing = [s for s in run.notebooks if not any(key[0] == s for key in run.rows)]
    assert not missing, f"no rows in grades.csv for {missing}"


def test_unchanged_release_scores_nothing(run):
    run.completed()
    for lecture in LECTURES:
        row = run.rows[("cleo", lecture)]
        assert (row["status"], float(row["score"])) == ("graded", 0.0), row
        grades = run.cells.get(("cleo", lecture))
        assert grades, f"no grades for cleo/{lecture} ({run.cells_error})"
        assert all(not g.score and not g.auto for g in grades.values()), grades


def _test_points(lecture: str) -> dict[str, float]:
    nb = nbformat.read(SOLUTIONS / f"{lecture}.ipynb", as_version=4)
    return {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c)["points"]) for c in nb.cells if is_test_cell(c)}


def test_good_student_keeps_every_point(run):
    """(c) ada's grades are exactly a clean run's: every autograded point, written answers pending."""
    run.completed()
    for lecture in LECTURES:
        points = _test_points(lecture)
        row = run.rows[("ada", lecture)]
        assert (row["status"], float(row["score"])) == ("graded", sum(points.values())), row
        grades = run.cells.get(("ada", lecture))
        assert grades, f"no grades for ada/{lecture} ({run.cells_error})"
        for grade_id, g in grades.items():
            if grade_id in points:
                assert g == CellGrade(points[grade_id], points[grade_id], points[grade_id], False), (lecture, grade_id)
            else:
                assert g.pending and not g.score, f"{lecture} {grade_id}: a written answer is the instructor's to grade ({g})"


@pytest.mark.parametrize("case", BASELINED, ids=_ids)
def test_honest_twin_was_graded(run, case):
    run.completed()
    row = run.rows.get((f"{case.name}-honest", case.lecture))
    assert row and row["status"] == "graded", row


def test_submissions_are_unchanged(run):
    """(c) every submitted file (ada's above all) byte-identical after the run, nothing added."""
    changed = sorted(k for k in run.submissions_before if run.submissions_after.get(k) != run.submissions_before[k])
    added = sorted(set(run.submissions_after) - set(run.submissions_before))
    assert not changed and not added, f"changed: {changed}, added: {added}"


def test_repository_is_unchanged(run):
    """(d) git status and solutions/, notebooks/ as before the run (a concurrent edit of the tree also shows here)."""
    assert run.masters_after == run.masters_before
    assert run.status_after == run.status_before, (
        f"git status before:\n{run.status_before}\nafter:\n{run.status_after}")


def test_gradebook_is_intact(run):
    state = run.gradebook
    assert "error" not in state, f"the gradebook does not open: {state.get('error')}"
    assert state["integrity"] == "ok"
    assert set(run.notebooks) <= state["students"], f"missing: {set(run.notebooks) - state['students']}"
    assert not state["triggers"], f"triggers in the gradebook: {state['triggers']}"
    assert run.cells_error is None, run.cells_error


def test_no_process_of_the_run_is_left(run):
    assert not run.leftover_processes, "\n".join(f"{pid}: {cmd[:200]}" for pid, cmd in sorted(run.leftover_processes.items()))


def test_grader_memory_is_bounded(run):
    """(d) the grader's own process stays small: submissions cannot make it hold gigabytes."""
    assert run.grader_peak_bytes < MAX_GRADER_BYTES, (
        f"the grader's main process peaked at {run.grader_peak_bytes / 2**20:,.0f} MiB (limit {MAX_GRADER_BYTES / 2**20:,.0f} MiB)")


def test_nothing_reached_the_loopback_listener(run):
    assert not run.connections, run.connections


def test_every_student_graded_is_one_handed_in(run):
    """Issue 11: every student id in grades.csv is one this test handed in, printable: no ghost
    from a folder an attacker named, no second 'ada' from a name with a newline."""
    run.completed()
    students = {student for student, _ in run.rows}
    assert students <= set(run.notebooks), f"students nobody handed in: {sorted(students - set(run.notebooks))}"
    assert all(student.isprintable() for student in students), [s for s in students if not s.isprintable()]


def test_no_file_was_created_outside_the_working_directories(run):
    assert not run.leftover_files, [str(p) for p in run.leftover_files]
    assert not any(run.paths.markers.iterdir()), list(run.paths.markers.iterdir())


# -- per case ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_a_graded(run, case):
    """(a) the run completed and graded this notebook: a status, never a grader error (the exit
    code, 0 only without any grader error, is test_the_run_completed's)."""
    run.completed()
    row = run.rows.get((case.name, case.lecture))
    assert row is not None, f"no row for {case.name}/{case.lecture} in grades.csv"
    assert row["status"] in GRADED_STATUSES, f"{row['status']}: {row['details']}"


@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_b_scores_nothing_it_did_not_earn(run, case):
    """(b) no more than cleo (or the honest twin) on each attacked cell and in total, on the same
    maximum. The baseline is what the autograder gave cleo (auto scores: an attack on the
    gradebook's manual scores cannot raise it); the case is judged on what counts (its scores)."""
    run.completed()
    baseline = f"{case.name}-honest" if case.honest else "cleo"
    mine, theirs = run.cells.get((case.name, case.lecture)), run.cells.get((baseline, case.lecture))
    assert mine is not None, f"no grades for {case.name} ({run.cells_error})"
    assert theirs is not None, f"no grades for {baseline} ({run.cells_error})"
    nothing = CellGrade(0.0, 0.0, 0.0, False)
    over = {g: (mine.get(g, nothing).score, theirs[g].auto) for g in case.attacks if mine.get(g, nothing).score > theirs[g].auto}
    assert not over, f"attacked cells scored above {baseline} (this case, {baseline}): {over}"
    total, base_total = sum(g.score for g in mine.values()), sum(g.auto for g in theirs.values())
    assert total <= base_total, f"{total} points in all, {baseline} {base_total}: " + str(
        {k: g.score for k, g in mine.items() if g.score > theirs.get(k, nothing).auto})
    row = run.rows[(case.name, case.lecture)]
    assert float(row["score"]) <= base_total, row
    assert float(row["max_score"]) == float(run.rows[(baseline, case.lecture)]["max_score"]), "the maximum changed"
    assert {k: g.max for k, g in mine.items()} == {k: g.max for k, g in theirs.items()}, "points per cell changed"


@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_d_leaves_no_trace(run, case):
    """(d) no process, file or connection of this case's; no ``ESCAPED:`` in its outputs; a small working directory."""
    tag = f"hostile-{run.paths.token}-{case.name}"
    processes = {pid: cmd for pid, cmd in run.leftover_processes.items() if tag in cmd}
    assert not processes, f"processes left running: {processes}"
    files = [str(p) for p in run.leftover_files if case.name in p.name or case.name.replace("-", "_") in p.name]
    assert not files, f"files created outside the working directory: {files}"
    connections = [c for c in run.connections if tag in c]
    assert not connections, f"connections to the test's loopback port: {connections}"
    assert not any(case.name.replace("-", "_") in t for t in run.gradebook.get("triggers", [])), "a trigger in the gradebook"
    nb = run.autograded(case.name, case.lecture)
    if nb is not None:
        escaped = [line for text in output_texts(nb) for line in text.splitlines() if line.startswith("ESCAPED:")]
        assert not escaped, f"the attack reports: {escaped[:5]}"
    assert run.workdir_bytes.get(case.name, 0) <= MAX_WORKDIR_BYTES, f"{run.workdir_bytes[case.name]:,} bytes left in the working directory"


@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_g_outputs_stay_within_the_cap(run, case):
    """Issue 11: the autograded notebook's outputs (the student's cells; the test cells' are the
    grader's) stay within the output cap whatever the kernel sent: display updates and forged
    errors grew one to 176 MB."""
    run.completed()
    nb = run.autograded(case.name, case.lecture)
    if nb is None:
        pytest.skip("no autograded notebook (an ungradable file)")
    size = sum(len(json.dumps(o)) for c in nb.cells if not is_test_cell(c) for o in c.get("outputs", []))
    assert size <= OUTPUT_CAP_BYTES + 10_000, f"{size:,} bytes of output"


@pytest.fixture(scope="module")
def secrets_list() -> list[str]:
    found = secret_lines()
    assert len(found) > 100, "the masters have hidden tests and solutions"
    return found


@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_e_feedback_shows_nothing_hidden(run, case, secrets_list):
    """(e) the feedback page exists and shows no hidden test, no solution, nothing of the gradebook."""
    page = run.feedback(case.name)
    if page is None:
        run.completed()
        if case.metadata_only:
            pytest.skip("a metadata-only case may be rejected without feedback")
        pytest.fail(f"no feedback page for {case.name}")
    assert len(page.encode()) < MAX_FEEDBACK_BYTES, f"feedback page of {len(page.encode()):,} bytes"
    own = run.notebooks.get(case.name, "")
    leaked = [s for s in secrets_list if (s in page or html.escape(s) in page) and s not in own]
    assert not leaked, f"{len(leaked)} hidden or solution lines in the feedback, e.g. {leaked[:3]}"
    ids = set(re.findall(r"[0-9a-f]{32}", page)) & run.gradebook.get("ids", set())
    assert not ids, f"gradebook row ids in the feedback: {sorted(ids)[:3]}"
    assert "SQLite format 3" not in page


class _Markup(HTMLParser):
    """Every start tag of a page, with its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


FEEDBACK_TAGS = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "ul", "li", "div", "pre", "img",
                 "table", "tr", "td", "th", "nav", "a"}
FEEDBACK_ATTRIBUTES = {"charset", "class", "alt", "src", "style", "id", "href"}
# the table of contents: links within the page to the sections' anchors, made of safe characters only
ANCHOR_VALUES = {"id": re.compile(r"lecture-[A-Za-z0-9_-]+"), "href": re.compile(r"#lecture-[A-Za-z0-9_-]+")}
META_ATTRIBUTES = {"charset", "http-equiv", "content"}   # the page's Content-Security-Policy
PNG_SRC = re.compile(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=\s]*")


@pytest.mark.parametrize("case", SELECTED, ids=_ids)
def test_f_feedback_markup_is_the_graders(run, case):
    """(e) the feedback page's markup is the grader's own: what the student wrote or printed is
    text (escaped), and an image is base64 PNG data, never a tag or an attribute of theirs."""
    page = run.feedback(case.name)
    if page is None:
        pytest.skip("no feedback page (test_e says whether that is right)")
    parser = _Markup()
    parser.feed(page)
    foreign = [(tag, attrs) for tag, attrs in parser.tags if tag not in FEEDBACK_TAGS
               or any(name not in (META_ATTRIBUTES if tag == "meta" else FEEDBACK_ATTRIBUTES) for name, _ in attrs)
               or any(name == "src" and not PNG_SRC.fullmatch(value or "") for name, value in attrs)
               or any(name in ANCHOR_VALUES and not ANCHOR_VALUES[name].fullmatch(value or "") for name, value in attrs)]
    assert not foreign, f"markup of the student's in the feedback page: {foreign[:3]}"
