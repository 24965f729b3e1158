"""The library's grading hooks and the grader's link into the student's kernel (issue 13).

One line counter (seqconv.checks.count_lines_here), the same in a student's own kernel and under
grading, where the kernel's side of the link (autograder/link/student_side.py) uses its private
copy of seqconv.checks; the grader meets the library through its public hooks only; product code
imports nothing from tests/; student_side.py is a module that imports what it uses.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest

from seqconv import checks

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = [ROOT / "autograder", ROOT / "lib"]
OUTSIDE_THE_LIBRARY = [ROOT / "autograder", ROOT / "bench", ROOT / "tools"]


def _python_files(folders: list[Path]) -> list[Path]:
    return sorted(p for folder in folders for p in folder.rglob("*.py") if "examples" not in p.relative_to(ROOT).parts)


def _loop_sum(x):
    total = 0.0
    for value in x:
        total += value
    return total


def _threaded_sum(x):
    """The loop in a thread of its own, joined: the work is all in the thread."""
    box = []
    worker = threading.Thread(target=lambda: box.append(_loop_sum(x)))
    worker.start()
    worker.join()
    return box[0]


def _private_copy():
    """seqconv.checks as the grader's side of the link in the student's kernel holds it."""
    from autograder.link import student_side

    return student_side._private_checks()


# -- one line counter ---------------------------------------------------------------------------

def test_the_line_counter_counts_the_lines_of_threads_the_function_starts_and_joins():
    small, large = checks.count_python_lines(_threaded_sum, np.ones(10)), checks.count_python_lines(_threaded_sum, np.ones(100))
    assert large >= small + 2 * 90, (small, large)   # the loop body, in the thread, twice per element
    with pytest.raises(AssertionError, match="is not vectorized"):
        checks.check_vectorized(_threaded_sum, lambda n: (np.ones(n),), call="threaded_sum")


def test_the_student_kernels_counter_is_the_librarys_own_and_counts_alike():
    """Locally (seqconv.checks) and under grading (the private copy student_side.py loads), the same
    counter: the same counts for a plain loop, and for a loop in a thread up to the thread start's
    own handshake (threading's Event.wait takes one branch or the other)."""
    from autograder.link import student_side

    assert student_side._checks.count_lines_here.__code__.co_code == checks.count_lines_here.__code__.co_code
    private = _private_copy()
    for n in (10, 100):
        assert private.count_lines_here(_loop_sum, np.ones(n)) == checks.count_python_lines(_loop_sum, np.ones(n))
        here, there = checks.count_python_lines(_threaded_sum, np.ones(n)), private.count_lines_here(_threaded_sum, np.ones(n))
        assert abs(here - there) <= 10 and there >= 2 * n, (n, here, there)
    tree = ast.parse((ROOT / "autograder" / "link" / "student_side.py").read_text())
    tracing = [node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute) and "trace" in node.attr]
    assert tracing == [], "student_side.py counts with its private copy of seqconv.checks, no tracer of its own"


def test_the_private_copy_counts_whatever_is_patched_after_it_was_loaded(monkeypatch):
    private = _private_copy()
    expected = private.count_lines_here(_loop_sum, np.ones(50))
    monkeypatch.setattr(sys, "settrace", lambda tracer: None)
    monkeypatch.setattr(sys, "gettrace", lambda: None)
    monkeypatch.setattr(threading, "settrace", lambda tracer: None)
    monkeypatch.setattr(checks, "count_lines_here", lambda fn, *args: 1)
    assert private.count_lines_here(_loop_sum, np.ones(50)) == expected > 100


def test_tracing_switched_off_by_the_function_is_an_error_here_as_under_grading():
    def evasive(x):
        sys.settrace(None)
        return _loop_sum(x)

    before = sys.gettrace()
    for counter in (checks.count_python_lines, _private_copy().count_lines_here):
        with pytest.raises(RuntimeError, match="tracing was switched off"):
            counter(evasive, np.ones(100))
        assert sys.gettrace() is before


def test_the_counter_puts_back_the_tracers_it_found():
    def mine(frame, event, arg):
        return None

    before_sys, before_threads = sys.gettrace(), threading.gettrace()
    sys.settrace(mine)
    threading.settrace(mine)
    try:
        checks.count_python_lines(_threaded_sum, np.ones(5))
        found_sys, found_threads = sys.gettrace(), threading.gettrace()
    finally:
        sys.settrace(before_sys)
        threading.settrace(before_threads)
    assert found_sys is mine and found_threads is mine


# -- the hooks the grader uses ------------------------------------------------------------------

def test_install_line_counter_routes_the_count_and_returns_what_it_replaced():
    calls = []

    def remote(fn, *args):
        calls.append((fn, args))
        return 7

    assert checks.install_line_counter(remote) is None
    try:
        assert checks.count_python_lines(_loop_sum, np.ones(3)) == 7 and calls[0][0] is _loop_sum
        checks.check_vectorized(_loop_sum, lambda n: (np.ones(n),), call="loop_sum")   # 7 lines at every size
    finally:
        assert checks.install_line_counter(None) is remote
    assert checks.count_python_lines(_loop_sum, np.ones(100)) > 100


def test_remote_contexts_is_a_copy_of_the_switch_offs_active_now():
    assert checks.remote_contexts() == []
    with checks.padding_refused("same", {}):
        specs = checks.remote_contexts()
        assert specs == [("padding_refused", "same")]
        specs.clear()
        assert checks.remote_contexts() == [("padding_refused", "same")]
    assert checks.remote_contexts() == []


def test_the_hooks_are_documented_in_the_modules_docstring():
    doc = checks.__doc__ or ""
    assert "Grading hooks" in doc and "threading" in doc
    for name in ("install_line_counter", "remote_contexts", "enter_remote", "count_lines_here"):
        assert f"``{name}(" in doc and name in checks.__all__


# -- who may import what ------------------------------------------------------------------------

def _seqconv_private_uses(path: Path) -> list[str]:
    """``_names`` of seqconv (not dunders) that a module reaches: imported by name, or as an attribute
    of a name bound to a seqconv module."""
    tree = ast.parse(path.read_text(), str(path))
    aliases, found = set(), []
    private = lambda name: name.startswith("_") and not (name.startswith("__") and name.endswith("__"))  # noqa: E731
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "seqconv":
                    aliases.add(alias.asname or "seqconv")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "seqconv":
            for alias in node.names:
                if private(alias.name):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: from {node.module} import {alias.name}")
                aliases.add(alias.asname or alias.name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            chain, value = [node.attr], node.value
            while isinstance(value, ast.Attribute):
                chain.append(value.attr)
                value = value.value
            if isinstance(value, ast.Name) and value.id in aliases and any(private(part) for part in chain):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {value.id}.{'.'.join(reversed(chain))}")
    return found


def test_no_code_outside_the_library_uses_a_private_name_of_seqconv():
    found = [use for path in _python_files(OUTSIDE_THE_LIBRARY) for use in _seqconv_private_uses(path)]
    assert found == []


def test_the_private_name_check_sees_a_private_use():
    sample = ROOT / "tests" / "test_checks.py"   # the library's own tests may: they check its storage
    assert any("_remote_contexts" in use for use in _seqconv_private_uses(sample))


def test_product_code_imports_nothing_from_tests():
    found = []
    for path in _python_files(PRODUCT):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import) else
                     [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
                callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if callee in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                    names = [node.args[0].value]
            found += [f"{path.relative_to(ROOT)}:{node.lineno}: {name}" for name in names if name.split(".")[0] == "tests"]
    assert found == []


def test_the_examples_wrong_answers_are_among_the_tests_wrong_answers():
    from autograder.workbook.example_answers import WRONG_FOR_BEN
    from tests.wrong_answers import WRONG_ANSWERS

    for lecture, cells in WRONG_FOR_BEN.items():
        for grade_id, answers in cells.items():
            (name, source), = answers.items()
            assert WRONG_ANSWERS[lecture][grade_id][name] == source


def test_ben_has_a_wrong_answer_for_every_exercise_after_each_lectures_first():
    """make_examples.py takes ben's wrong answers from example_answers.py only: a new lecture makes
    the one before it handed in by ben, which then needs its wrong answers there (docs/lectures.md)."""
    import nbformat

    from autograder.cells import is_answer_cell, nbgrader_meta
    from autograder.course import NOTEBOOKS, lecture_ids
    from autograder.workbook.example_answers import WRONG_FOR_BEN

    lectures = lecture_ids()
    needed = {}
    for lecture in lectures[:-1]:
        release = nbformat.read(NOTEBOOKS / f"{lecture}.ipynb", as_version=4)
        needed[lecture] = [nbgrader_meta(c)["grade_id"] for c in release.cells if is_answer_cell(c)][1:]
    assert {lecture: sorted(cells) for lecture, cells in WRONG_FOR_BEN.items()} == {k: sorted(v) for k, v in needed.items()}


# -- student_side.py, a module of its own -------------------------------------------------------

def test_student_side_imports_what_it_uses():
    from autograder.link import student_side, wire

    assert student_side.encode is wire.encode and student_side.Unencodable is wire.Unencodable
    source = (ROOT / "autograder" / "link" / "student_side.py").read_text()
    assert "TYPE_CHECKING" not in source and "F821" not in source
    ruff = subprocess.run([sys.executable, "-m", "ruff", "check", "--isolated", "--no-cache", "--select", "F821,F822,F401",
                           "--output-format", "concise", str(ROOT / "autograder" / "link" / "student_side.py")],
                          capture_output=True, text=True, check=False)
    assert ruff.returncode == 0, ruff.stdout + ruff.stderr


_IN_THE_KERNEL = r'''
import json, pickle, sys, types
try:
    import autograder
except ImportError:
    pass
else:
    raise SystemExit("the autograder package is importable here: " + autograder.__file__)
for name, source in json.loads(sys.argv[1]):
    module = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
    sys.modules[name] = module
import numpy as np
link, wire = sys.modules["_grader_link"], sys.modules["_grader_wire"]

def loop_sum(x):
    total = 0.0
    for value in x:
        total += value
    return total

answers = {}
requests = {"count_10": {"op": "count_lines", "fn": loop_sum, "args": (np.ones(10),), "contexts": []},
            "count_100": {"op": "count_lines", "fn": loop_sum, "args": (np.ones(100),), "contexts": []},
            "call": {"op": "call", "name": "loop_sum", "args": (np.ones(4),), "kwargs": {}}}
for key, request in requests.items():
    with open(key + ".request", "wb") as f:
        pickle.dump(request, f)
    link.serve(key + ".request", key + ".result")
    with open(key + ".result", "rb") as f:
        answers[key] = wire.decode(f.read())["ok"]
print(json.dumps({"counts": [answers["count_10"], answers["count_100"]], "value": float(answers["call"]["value"]),
                  "same_encode": link.encode is wire.encode}))
'''


@pytest.mark.slow
def test_the_link_loads_and_serves_in_a_kernel_where_autograder_is_not_importable(tmp_path):
    """As the grader loads it (LINK_SOURCES, in order, each as its own module), in a process whose
    working folder is the student's: wire.py as _grader_wire, then student_side.py as _grader_link."""
    from autograder.runner.student_kernel import LINK_SOURCES

    sources = [(name, Path(path).read_text()) for name, path in LINK_SOURCES]
    assert [name for name, _ in sources] == ["_grader_wire", "_grader_link"]
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    ran = subprocess.run([sys.executable, "-c", _IN_THE_KERNEL, json.dumps(sources)], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=120, check=False)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    answer = json.loads(ran.stdout.splitlines()[-1])
    small, large = answer["counts"]
    assert large >= small + 2 * 90 and answer["value"] == 4.0 and answer["same_encode"]
    local = [checks.count_python_lines(_loop_sum, np.ones(n)) for n in (10, 100)]
    assert [small, large] == local   # the kernel's counter counts as the library does here
