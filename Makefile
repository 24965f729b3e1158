SHELL := /bin/bash
# Convolutions Beyond Images: every job sets up what it needs on a fresh machine.
#   make lab     set up, copy the lectures to work/ (yours), start JupyterLab there (students start here)
#   make test    set up, then run the whole test suite (what CI runs)
#   make test-fast  the library's and the grader's unit tests only (under a minute)
#   make bench   set up, then run the benchmarks and write their table into README.md
#   make handin STUDENT=id  check your notebooks in work/, pack them as build/handin/<id>.zip
#   make release regenerate the student notebooks (notebooks/) from the masters (solutions/)
#   make grade   grade autograder/examples (or SUBMISSIONS=dir) into build/grades/
#   make formgrader  open nbgrader's formgrader on the course workspace (build/course)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Re-installed whenever pyproject.toml changes.
STAMP  := $(VENV)/.installed-stamp
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check --no-input
# PyTorch is an optional reference for tests and benchmarks, never a dependency: the CPU
# wheel is installed only where it lies on this machine's disk (a plain `torch` from PyPI
# would be a several-GB CUDA build). Without it those comparisons are skipped.
TORCH_STAMP := $(VENV)/.torch-stamp
TORCH_REQ   := torch==2.13.0+cpu

.PHONY: setup lab handin test test-fast bench release grade formgrader clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@echo "Installing the course's Python packages into $(VENV)/ (NumPy, SciPy, matplotlib, JupyterLab, nbgrader...):"
	@echo "a few minutes the first time, then only when pyproject.toml changes."
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install -e ".[test,postgres,cluster]" 2>&1 | grep -v "is ignored: it is neither"; test $${PIPESTATUS[0]} -eq 0
	@touch $@

$(TORCH_STAMP): $(STAMP)
	@if $(PIP) install "$(TORCH_REQ)" >/dev/null 2>&1; then echo "PyTorch CPU installed as a test reference"; \
	else echo "PyTorch CPU wheel not available here: torch comparisons will be skipped"; fi
	@touch $@

# Jupyter refuses to run as root without --allow-root (containers, CI machines).
LAB_ARGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
# The browser test drives Debian's Chromium (no browser can be downloaded): install it with
# apt where we can (root); elsewhere the test is skipped with a message.
CHROMIUM_STAMP := $(VENV)/.chromium-stamp
$(CHROMIUM_STAMP): $(STAMP)
	@sh tools/ensure-debian-package.sh chromium chromium "the browser test will be skipped"
	@touch $@

# Grading sandboxes student code with bubblewrap: install it with apt where we can (root);
# elsewhere `grade` refuses to run without --no-sandbox, and the sandbox tests are skipped.
BWRAP_STAMP := $(VENV)/.bwrap-stamp
$(BWRAP_STAMP): $(STAMP)
	@sh tools/ensure-debian-package.sh bwrap bubblewrap "grading needs --no-sandbox; the sandbox tests are skipped"
	@touch $@

# The PostgreSQL gradebook test starts a throw-away server (tests/postgres_server.py) with Debian's
# binaries: install them with apt where we can (root); elsewhere that test is skipped.
POSTGRES_STAMP := $(VENV)/.postgres-stamp
$(POSTGRES_STAMP): $(STAMP)
	@sh tools/ensure-debian-package.sh pg_ctlcluster postgresql "the PostgreSQL gradebook test will be skipped"
	@touch $@

# Students work in their own copies, work/ (ignored by git): no release or pull overwrites them,
# and a lecture's new release is merged in with their answers kept (autograder/workbook/student_copies.py).
lab: $(STAMP)
	$(BIN)/python -m autograder workbook
	$(BIN)/jupyter lab --notebook-dir=work $(LAB_ARGS)

# Check your notebooks in work/ and pack them as build/handin/<STUDENT>.zip, the file to hand in.
handin: $(STAMP)
	@test -n "$(STUDENT)" || { echo "usage: make handin STUDENT=<your student id>"; exit 2; }
	$(BIN)/python -m autograder handin "$(STUDENT)"

# One pytest-xdist worker per core, whole files at a time, the slowest first (tests/conftest.py):
# most tests wait on kernels, so a serial run leaves a core idle most of the time.
PYTEST_PARALLEL ?= -n auto --dist loadfile --no-loadscope-reorder
test: $(STAMP) $(TORCH_STAMP) $(CHROMIUM_STAMP) $(BWRAP_STAMP) $(POSTGRES_STAMP)
	$(BIN)/python -m pytest $(PYTEST_PARALLEL)

# Not slow: no kernel, no grading run, no browser (see the markers in pyproject.toml).
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow" tests

bench: $(STAMP) $(TORCH_STAMP) $(BWRAP_STAMP) $(POSTGRES_STAMP)
	$(BIN)/python -m bench --update-readme README.md

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis

release: $(STAMP)
	$(BIN)/python -m autograder release

# Grade a folder of submissions; with no arguments, the bundled examples. Their cells take
# seconds, and one of them loops forever on purpose: 20 s per cell ends it sooner than the
# grader's default of 60 s, which leaves room for a real class's slower answers.
SUBMISSIONS ?= autograder/examples
GRADE_ARGS  ?= --timeout 20
grade: $(STAMP) $(BWRAP_STAMP)
	$(BIN)/python -m autograder grade $(SUBMISSIONS) $(GRADE_ARGS)

# The instructor's view of the course workspace: nbgrader's formgrader (manual grades, comments).
formgrader: $(STAMP)
	$(BIN)/python -m autograder formgrader
