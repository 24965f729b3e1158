"""The grader's pure parts: finding submissions, recognising notebooks, spotting tampering."""

from __future__ import annotations

import copy
import json
import os
import zipfile

import nbformat
import pytest

from autograder.course import NOTEBOOKS, lecture_ids
from autograder.pipeline import integrity
from autograder.pipeline.submissions import find_submissions, fingerprint
from tests.fs_tools import remove_tree

LECTURES = lecture_ids()
FIRST = LECTURES[0]


@pytest.fixture(scope="module")
def releases():
    return {lec: nbformat.read(NOTEBOOKS / f"{lec}.ipynb", as_version=4) for lec in LECTURES}


@pytest.fixture(scope="module")
def prints(releases):
    return {lec: fingerprint(nbformat.writes(nb).encode()) for lec, nb in releases.items()}


def _bytes(nb) -> bytes:
    return nbformat.writes(nb).encode()


def test_folders_zips_and_missing(tmp_path, releases, prints):
    (tmp_path / "alice" / "sub").mkdir(parents=True)
    (tmp_path / "alice" / "sub" / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    with zipfile.ZipFile(tmp_path / "bob.zip", "w") as zf:
        zf.writestr(f"export/{LECTURES[1]}.ipynb", _bytes(releases[LECTURES[1]]))
        zf.writestr("../../evil.ipynb", b"{}")  # never extracted: read as a candidate only
    (tmp_path / "notes.txt").write_text("not a submission")
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    handed = {(f.student, f.lecture) for f in found if f.content is not None}
    assert handed == {("alice", FIRST), ("bob", LECTURES[1])}
    assert len(found) == 2 * len(LECTURES), "every student gets a row per lecture, handed in or not"
    assert any("notes.txt" in s for s in skipped)
    assert not (tmp_path.parent / "evil.ipynb").exists()


def test_renamed_notebook_is_recognised_by_content(tmp_path, releases, prints):
    (tmp_path / "carol").mkdir()
    (tmp_path / "carol" / f"Copy of {LECTURES[2]} (1).ipynb").write_bytes(_bytes(releases[LECTURES[2]]))
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    match = next(f for f in found if f.lecture == LECTURES[2])
    assert match.content is not None and any("renamed" in n for n in match.notes)
    assert all(f.content is None for f in found if f.lecture != LECTURES[2])


def test_nbgrader_submitted_tree(tmp_path, releases, prints):
    target = tmp_path / "submitted" / "dora" / FIRST
    target.mkdir(parents=True)
    (target / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    assert [(f.student, f.lecture) for f in found if f.content] == [("dora", FIRST)]


def test_a_student_named_submitted_is_a_student(tmp_path, releases, prints):
    """Issue 11: a folder named ``submitted`` made the finder read it as an nbgrader tree:
    an honest student vanished, another was graded from the attacker's file, a ghost appeared."""
    honest = _bytes(releases[FIRST])
    forged = honest.replace(b"NotImplementedError", b"NotImplementedError  # forged")
    for student in ("alice", "bob"):
        (tmp_path / student).mkdir()
        (tmp_path / student / f"{FIRST}.ipynb").write_bytes(honest)
    for student in ("alice", "ghost"):
        (tmp_path / "submitted" / student).mkdir(parents=True)
        (tmp_path / "submitted" / student / f"{FIRST}.ipynb").write_bytes(forged)
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    handed_in = {f.student: f.content for f in found if f.content}
    assert set(handed_in) == {"alice", "bob", "submitted"}
    assert handed_in["alice"] == honest and handed_in["bob"] == honest


def test_a_name_with_a_trailing_newline_is_not_a_second_student(tmp_path, releases, prints):
    for name in ("bob", "bob\n", "eve\t", "carl\r"):
        (tmp_path / name).mkdir()
        (tmp_path / name / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    assert {f.student for f in found} == {"bob"}
    assert len(skipped) == 3 and all("\n" not in s and "\t" not in s and "\r" not in s for s in skipped)
    assert any("bob\\n" in s for s in skipped)   # named, escaped


def test_the_folders_own_readme_is_not_a_bad_submission_but_other_files_are(tmp_path, releases, prints):
    """Issue 14: the examples folder's README.md was listed in the report as a bad submission."""
    (tmp_path / "bob").mkdir()
    (tmp_path / "bob" / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    for name in ("README.md", "readme.txt", "grades.xlsx"):
        (tmp_path / name).write_text("notes")
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    assert {f.student for f in found} == {"bob"}
    assert skipped == ["grades.xlsx: neither a student folder nor a .zip"]


def test_a_deeply_nested_folder_is_a_note_not_a_crash(tmp_path, releases, prints):
    """Issue 11: one student's folder 1,100 levels deep aborted the whole run (RecursionError)."""
    (tmp_path / "alice").mkdir()
    (tmp_path / "alice" / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    fd = os.open(tmp_path, os.O_RDONLY)
    os.mkdir("deep", dir_fd=fd)
    for name in ["deep"] + ["d"] * 1100:
        if name == "d":
            os.mkdir("d", dir_fd=fd)
        inner = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    shallow = tmp_path / "deep" / "d" / "d"
    (shallow / f"{LECTURES[1]}.ipynb").write_bytes(_bytes(releases[LECTURES[1]]))
    written = os.open(f"{FIRST}.ipynb", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
    os.write(written, _bytes(releases[FIRST]))
    os.close(written)
    os.close(fd)
    try:
        found, _ = find_submissions(tmp_path, LECTURES, prints)
    finally:
        remove_tree(tmp_path / "deep")   # pytest's own clean-up of old tmp folders is recursive
    handed_in = {(f.student, f.lecture) for f in found if f.content}
    assert handed_in == {("alice", FIRST), ("deep", LECTURES[1])}
    notes = [n for f in found if f.student == "deep" for n in f.notes]
    assert any("nested more than" in n for n in notes)


def test_unusable_student_names_and_duplicates_are_skipped(tmp_path, releases, prints):
    (tmp_path / "bad name!").mkdir()
    (tmp_path / "erin").mkdir()
    (tmp_path / "erin.zip").write_bytes(b"")
    found, skipped = find_submissions(tmp_path, LECTURES, prints)
    assert {f.student for f in found} == {"erin"}
    assert any("bad name!" in s for s in skipped) and any("erin.zip" in s for s in skipped)


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="SUBMISSIONS must be a folder"):
        find_submissions(tmp_path / "nope", LECTURES, {})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty file"),
        (b"\xff\xfe\x00", "not a text file"),
        (b'{"cells": [', "not valid JSON"),
        (b"[1, 2]", "not a notebook"),
        (json.dumps({"nbformat": 3, "nbformat_minor": 0, "worksheets": []}).encode(), "nbformat 3.0"),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code"}], "metadata": {}}).encode(), "schema"),
    ],
)
def test_invalid_notebooks_say_why(content, message):
    with pytest.raises(integrity.InvalidNotebook, match=message):
        integrity.load(content)


def test_release_loads_and_is_not_tampered(releases):
    nb = integrity.load(_bytes(releases[FIRST]))
    assert integrity.tampering(nb, releases[FIRST]) == []


def _tests_of(nb):
    return [c for c in nb.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def test_every_kind_of_tampering_is_named(releases):
    release = releases[FIRST]
    nb = copy.deepcopy(release)
    tests = _tests_of(nb)
    tests[0].source += "\n# changed"
    tests[1].metadata["nbgrader"]["points"] = 100
    nb.cells.append(copy.deepcopy(tests[1]))
    removed = tests[2].metadata["nbgrader"]["grade_id"] if len(tests) > 2 else None
    if removed:
        nb.cells.remove(tests[2])
    fake = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {"grade": True, "grade_id": "free-points", "points": 5, "solution": False, "locked": True}})
    nb.cells.append(fake)
    problems = integrity.tampering(nb, release)
    ids = [t.metadata["nbgrader"]["grade_id"] for t in tests]
    assert f"edited locked cell {ids[0]}" in problems
    assert any(p.startswith(f"changed the metadata of cell {ids[1]}: points") for p in problems)
    assert any(p.startswith(f"duplicated cell {ids[1]}") for p in problems)
    assert "graded cell 'free-points' is not in the release" in problems
    if removed:
        assert f"deleted cell {removed}" in problems


def test_editing_an_answer_is_not_tampering(releases):
    nb = copy.deepcopy(releases[FIRST])
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = "# my answer\nx = 1"
    assert integrity.tampering(nb, releases[FIRST]) == []


@pytest.mark.slow   # grades a class
def test_grade_refuses_to_run_unsandboxed_unless_told(tmp_path, monkeypatch, capsys):
    import shutil

    from autograder import __main__ as cli
    from autograder.runner import sandbox

    monkeypatch.setattr(sandbox, "bwrap_problem", lambda: "bubblewrap (bwrap) is not installed")
    (tmp_path / "class" / "cleo").mkdir(parents=True)
    shutil.copyfile(NOTEBOOKS / f"{FIRST}.ipynb", tmp_path / "class" / "cleo" / f"{FIRST}.ipynb")
    common = ["grade", str(tmp_path / "class"), "--out", str(tmp_path / "out"), "--course-dir", str(tmp_path / "course"),
              "--workers", "1", "--no-progress", "--timeout", "20"]
    assert cli.main(common) == 2
    err = capsys.readouterr().err
    assert "bubblewrap (bwrap) is not installed" in err and "--no-sandbox" in err
    assert not (tmp_path / "out").exists(), "nothing ran"

    assert cli.main([*common, "--no-sandbox"]) == 0
    assert "without a sandbox" in (tmp_path / "out" / "report.html").read_text()
    assert "without a sandbox" in capsys.readouterr().out


# -- hostile zips: every member that cannot be read is a note, never a crash ---------------------

def _patch_zip(archive, name: str, local: dict[int, bytes], central: dict[int, bytes]) -> None:
    """Overwrite bytes of member ``name``'s local header and central directory entry (offsets within each)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        header = zf.getinfo(name).header_offset
        position = zf.start_dir
    for offset, value in local.items():
        data[header + offset:header + offset + len(value)] = value
    while data[position:position + 4] == b"PK\x01\x02":
        name_length, extra_length, comment_length = (int.from_bytes(data[position + k:position + k + 2], "little") for k in (28, 30, 32))
        if data[position + 46:position + 46 + name_length].decode() == name:
            for offset, value in central.items():
                data[position + offset:position + offset + len(value)] = value
        position += 46 + name_length + extra_length + comment_length
    archive.write_bytes(bytes(data))


def _set_flag_bits(archive, name: str, bits: int) -> None:
    """OR general-purpose flag bits into a member (bit 0x1: encrypted), as zip tools write a password-protected file."""
    with zipfile.ZipFile(archive) as zf:
        flags = zf.getinfo(name).flag_bits | bits
    _patch_zip(archive, name, {6: flags.to_bytes(2, "little")}, {8: flags.to_bytes(2, "little")})


def _corrupt_data(archive, name: str) -> None:
    """Garbage in the middle of a member's compressed data (headers intact)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as zf:
        info = zf.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    data[start + 2:start + info.compress_size - 2] = bytes(range(256)) * ((info.compress_size - 4) // 256) + bytes((info.compress_size - 4) % 256)
    archive.write_bytes(bytes(data))


def _zip(path, members: list[tuple[str, bytes]]):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members:
            zf.writestr(name, data)
    return path


def _found(found, student, lecture):
    return next(f for f in found if (f.student, f.lecture) == (student, lecture))


def test_encrypted_zip_members_are_notes(tmp_path, releases, prints):
    renamed = _bytes(releases[LECTURES[2]])
    archive = _zip(tmp_path / "fay.zip", [(f"{FIRST}.ipynb", _bytes(releases[FIRST])), ("notes.ipynb", b'{"cells": []}'),
                                          (f"{LECTURES[1]}.ipynb", _bytes(releases[LECTURES[1]])), ("renamed copy.ipynb", renamed)])
    _set_flag_bits(archive, "notes.ipynb", 0x1)
    _set_flag_bits(archive, f"{LECTURES[1]}.ipynb", 0x1)
    (tmp_path / "gus").mkdir()
    (tmp_path / "gus" / f"{FIRST}.ipynb").write_bytes(_bytes(releases[FIRST]))
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    assert _found(found, "gus", FIRST).content is not None, "the class is graded"
    first = _found(found, "fay", FIRST)
    assert first.content == _bytes(releases[FIRST])
    assert any("notes.ipynb: cannot be read (RuntimeError" in n and "encrypted" in n for n in first.notes), first.notes
    encrypted = _found(found, "fay", LECTURES[1])
    assert encrypted.content == b"", "handed in but unreadable: graded as an invalid notebook, with the note"
    assert any(f"{LECTURES[1]}.ipynb: cannot be read" in n for n in encrypted.notes)
    assert _found(found, "fay", LECTURES[2]).content == renamed, "a renamed notebook after the encrypted one is still found"


def test_oversized_zip_members_are_notes(tmp_path, releases, prints):
    from autograder.pipeline import submissions

    big = b" " * (submissions.MAX_NOTEBOOK_BYTES + 1)
    archive = _zip(tmp_path / "hal.zip", [("pages/big.ipynb", big), (f"{LECTURES[1]}.ipynb", big),
                                          (f"{FIRST}.ipynb", _bytes(releases[FIRST]))])
    del big
    candidates, notes = submissions._candidates_in_zip(archive, LECTURES, prints)
    assert [c.name for c in candidates] == [f"{LECTURES[1]}.ipynb", f"{FIRST}.ipynb"]
    assert candidates[0].content == b"", "named but too large: kept empty, graded as invalid"
    assert any("hal.zip:pages/big.ipynb: larger than 20 MiB" in n for n in notes), notes
    assert any(f"hal.zip:{LECTURES[1]}.ipynb: larger than 20 MiB" in n for n in notes), notes

    # the size in the zip's headers is not trusted: reading stops at the limit whatever it says
    lying = submissions._Entry("x.ipynb", "ivy.zip:x.ipynb", 10, lambda n: b" " * n)
    reader = submissions._Reader("ivy.zip")
    assert reader.read(lying) is None and "larger than 20 MiB" in reader.notes[0]


def test_corrupt_zip_members_are_notes(tmp_path, releases, prints):
    from autograder.pipeline import submissions

    archive = _zip(tmp_path / "jo.zip", [("broken.ipynb", json.dumps({"cells": [{"source": "x" * i} for i in range(400)]}).encode()),
                                         ("deflate64.ipynb", b"{}" * 1000), (f"{FIRST}.ipynb", _bytes(releases[FIRST]))])
    _corrupt_data(archive, "broken.ipynb")
    _patch_zip(archive, "deflate64.ipynb", {8: (9).to_bytes(2, "little")}, {10: (9).to_bytes(2, "little")})  # Deflate64
    candidates, notes = submissions._candidates_in_zip(archive, LECTURES, prints)
    assert [c.name for c in candidates] == [f"{FIRST}.ipynb"]
    assert any("jo.zip:broken.ipynb: cannot be read" in n for n in notes), notes
    assert any("jo.zip:deflate64.ipynb: cannot be read (NotImplementedError" in n for n in notes), notes
    (tmp_path / "kim.zip").write_bytes(b"PK\x05\x06" + b"\xff" * 18)  # an end record pointing nowhere
    found, _ = find_submissions(tmp_path, LECTURES, prints)
    assert _found(found, "jo", FIRST).content == _bytes(releases[FIRST])
    assert any("kim.zip is not a readable zip archive" in n for n in _found(found, "kim", FIRST).notes)


def test_zip_limits_on_members_and_inflated_bytes(tmp_path, releases, prints, monkeypatch):
    from autograder.pipeline import submissions

    monkeypatch.setattr(submissions, "MAX_MEMBERS", 5)
    junk = [(f"junk-{i}.ipynb", b" " * 3000) for i in range(8)]
    archive = _zip(tmp_path / "lu.zip", [(f"{FIRST}.ipynb", _bytes(releases[FIRST]))] + junk)
    reads = []
    real_open = zipfile.ZipFile.open
    monkeypatch.setattr(zipfile.ZipFile, "open", lambda self, name, *a, **k: reads.append(getattr(name, "filename", name)) or real_open(self, name, *a, **k))
    candidates, notes = submissions._candidates_in_zip(archive, LECTURES, prints)
    assert [c.name for c in candidates] == [f"{FIRST}.ipynb"], "junk is fingerprinted, then dropped"
    assert len(reads) == 5 and any("9 notebooks, only the first 5" in n for n in notes), (reads, notes)

    monkeypatch.setattr(submissions, "MAX_MEMBERS", 200)
    monkeypatch.setattr(submissions, "MAX_SOURCE_BYTES", len(_bytes(releases[FIRST])) + 7000)
    reads.clear()
    candidates, notes = submissions._candidates_in_zip(archive, LECTURES, prints)
    assert [c.name for c in candidates] == [f"{FIRST}.ipynb"]
    assert len(reads) == 4, "the named notebook, two junk members, and the one that crossed the limit"
    assert any("holds more than" in n for n in notes), notes


# -- what a notebook holds reaches the feedback page and the reports as text only -----------------

def test_feedback_escapes_everything_of_the_notebook(tmp_path, releases):
    import base64
    import re
    from html.parser import HTMLParser
    from types import SimpleNamespace

    from autograder.pipeline import feedback

    nb = copy.deepcopy(releases[FIRST])
    answer = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code")
    png = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(40))).decode()
    answer.source = "print('</pre><script>alert(1)</script>')"
    answer.outputs = [
        nbformat.v4.new_output("display_data", data={"image/png": 'x" onerror="alert(1)" data-x="', "text/plain": "<b>a plot</b>"}),
        nbformat.v4.new_output("display_data", data={"image/png": base64.b64encode(b"<svg onload=alert(1)>").decode()}),
        nbformat.v4.new_output("display_data", data={"image/png": "\n".join(png[i:i + 20] for i in range(0, len(png), 20))}),
        nbformat.v4.new_output("stream", name="stdout", text="<script>alert(2)</script>" + "x" * 10_000),
        nbformat.v4.new_output("error", ename="<img src=x onerror=alert(3)>", evalue="<script>", traceback=[]),
    ]
    extra = nbformat.v4.new_code_cell("<i>", metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": "<script>x</script>\ud800",
                                                                 "points": "two", "locked": False}})
    odd = nbformat.v4.new_code_cell("pass", metadata={"nbgrader": {"grade": True, "solution": True, "grade_id": ["a", {"b": 1}], "points": {}}})
    nb.cells += [extra, odd]
    outcome = SimpleNamespace(status="<b>graded</b>", score=1.0, max_score=2.0,
                              details=["graded cell '<script>' is not in the release \ud800", "y" * 100_000])
    section = feedback.render_lecture("<lecture>", outcome, nb, {})
    page = tmp_path / "feedback" / "<s>.html"
    feedback.write_student_page(page, "<s>", [section], 1.0, 2.0, pending=0.5, contents=[('"><script>alert(4)</script>', 1.0, 2.0)])
    text = page.read_text()

    class Tags(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append((tag, dict(attrs)))

        handle_startendtag = handle_starttag

    parser = Tags()
    parser.feed(text)
    allowed = {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "ul", "li", "div", "pre", "img", "nav", "a"}
    assert {tag for tag, _ in parser.tags} <= allowed
    assert {name for _, attrs in parser.tags for name in attrs} <= {"charset", "class", "alt", "src", "style", "http-equiv", "content",
                                                                    "id", "href"}
    # the contents' links and the sections' anchors: within the page, made of safe characters only
    assert all(re.fullmatch(r"#lecture-[A-Za-z0-9_-]+", attrs["href"]) for _, attrs in parser.tags if "href" in attrs)
    assert all(re.fullmatch(r"lecture-[A-Za-z0-9_-]+", attrs["id"]) for _, attrs in parser.tags if "id" in attrs)
    images = [attrs["src"] for tag, attrs in parser.tags if tag == "img"]
    assert images == [f"data:image/png;base64,{png}"], "only the real PNG, re-encoded (no whitespace)"
    assert "<script" not in text and "onerror=" not in text.replace("onerror=alert(3)&gt;", "")
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in text and "&lt;b&gt;a plot&lt;/b&gt;" in text
    assert "&lt;img src=x onerror=alert(3)&gt;" in text
    assert "more characters not shown" in text and "y" * 600 not in text
    assert "\\ud800" in text, "a lone surrogate is written escaped"
    assert ("meta", {"http-equiv": "Content-Security-Policy",
                     "content": "default-src 'none'; img-src data:; style-src 'unsafe-inline'"}) in parser.tags
    assert max(len(chunk) for chunk in re.split(r"<[^>]*>", text)) < 5000, "every text capped"


HUGE_ID = "notes-" + "spam-" * 800_000


@pytest.mark.parametrize("grade_id", ["notes-\ud800", HUGE_ID, 42, ["a", "b"], {"x": None}, None, True])
def test_tampering_quotes_any_grade_id(releases, grade_id):
    nb = copy.deepcopy(releases[FIRST])
    own = nbformat.v4.new_markdown_cell("my notes", metadata={"nbgrader": {"grade": False, "solution": False, "locked": False,
                                                                            "grade_id": grade_id, "points": "two"}})
    nb.cells.insert(1, own)
    test = _tests_of(nb)[0]
    test.metadata["nbgrader"]["points"] = {"huge": "x" * 1_000_000}
    test.metadata["nbgrader"]["grade"] = "\ud800"
    problems = integrity.tampering(nb, releases[FIRST])
    extra = [p for p in problems if p.endswith("is not in the release")]
    assert extra == [f"graded cell {repr(grade_id)[:80] if not isinstance(grade_id, str) else repr(grade_id[:200])[:80]} is not in the release"]
    changed = next(p for p in problems if p.startswith("changed the metadata"))
    assert all(len(p) < 400 for p in problems), problems
    for p in problems:
        p.encode("utf-8")  # no lone surrogate left: every message can be written
    assert "\\ud800" in changed


def test_reports_survive_any_string(tmp_path, releases):
    import csv

    from autograder.pipeline import report
    from autograder.pipeline.grade import Outcome

    nb = copy.deepcopy(releases[FIRST])
    for grade_id in ("notes-\ud800", HUGE_ID):
        nb.cells.insert(1, nbformat.v4.new_markdown_cell("x", metadata={"nbgrader": {"grade": False, "solution": False, "grade_id": grade_id}}))
    problems = integrity.tampering(nb, releases[FIRST])
    raw = ["raw \ud800 detail", "<script>" + "z" * 4_000_000] + [f"detail {i}" for i in range(1000)]
    outcomes = [Outcome("ann", FIRST, "tampered", 0.0, 5.0, details=problems, origin="ann/\udcff.ipynb"),
                Outcome("ann", LECTURES[1], "invalid notebook", 0.0, 5.0, details=raw),
                Outcome("bea\ud800", FIRST, "tampered", 0.0, 5.0, details=["x"])]
    report.write_csv(tmp_path / "grades.csv", outcomes)
    with (tmp_path / "grades.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 5
    first = next(r for r in rows if (r["student"], r["notebook"]) == ("ann", FIRST))
    assert "graded cell 'notes-\\ud800' is not in the release" in first["details"]
    assert "spam-spam" in first["details"] and len(first["details"]) <= 2000
    assert first["source"] == "ann/\\udcff.ipynb"
    second = next(r for r in rows if (r["student"], r["notebook"]) == ("ann", LECTURES[1]))
    assert len(second["details"]) <= 2000
    assert all(len(part) <= 500 for part in second["details"].split(" | "))
    assert second["details"].startswith("raw \\ud800 detail | <script>zzz")
    assert (tmp_path / "grades.csv").stat().st_size < 20_000

    report.write_class_report(tmp_path / "report.html", outcomes, {}, LECTURES, ["note \ud800", "n" * 1_000_000])
    page = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;" in page and "<script" not in page and len(page) < 50_000
    table = report.terminal_table(outcomes, LECTURES)
    table.encode("utf-8")
    assert "bea\\ud800" in table


@pytest.mark.slow   # renders the feedback of a large class
def test_feedback_section_size_is_bounded(releases):
    from types import SimpleNamespace

    from autograder.pipeline import feedback

    nb = copy.deepcopy(releases[FIRST])
    flood = [nbformat.v4.new_output("stream", name="stdout", text="spam " * 2000)] * 200
    for i in range(100):
        nb.cells.insert(1, nbformat.v4.new_code_cell("x" * 10_000, outputs=flood, metadata={"nbgrader": {
            "grade": False, "solution": True, "grade_id": f"mine-{i}" + "-" * 1000, "locked": False}}))
    outcome = SimpleNamespace(status="tampered", score=0.0, max_score=1.0, details=["d" * 10_000] * 1000)
    section = feedback.render_lecture(FIRST, outcome, nb, {})
    assert len(section) < feedback.MAX_SECTION + 20_000
    assert "more outputs not shown" in section and "its page would be too large" in section


def test_a_forged_alias_report_never_reaches_past_the_argument():
    """The student's kernel says how the value it returned shares an argument's memory (issue 12);
    a kernel that lies gets the plain value back: no view past the argument's own buffer, no view
    whose data differ from the value sent."""
    import numpy as np

    from autograder.link.trusted import _aliased

    x = np.arange(6.0)
    value = np.arange(6.0)[1::2]
    honest = _aliased((x,), {}, value, [0, 8, [3], [16], [8]])
    assert np.shares_memory(honest, x) and np.array_equal(honest, value)
    forged = [
        [0, 8, [1000], [8], [8]],          # past the end of x
        [0, -8, [3], [16], [8]],           # before its start
        [0, 0, [3], [-8], [8]],            # backwards from its first element
        [0, 8, [3], [16], [16]],           # x's strides misreported
        [0, 0, [3], [16], [8]],            # a view whose data are not the value sent
        [5, 8, [3], [16], [8]],            # no such argument
        ["x", "is"], [0, "is"],            # x is not the value
        [0, 8, "3", [16], [8]], "garbage", None,
    ]
    for alias in forged:
        got = _aliased((x,), {}, value, alias)
        assert got is value, f"alias {alias!r} gave {got!r}"


def test_the_grading_log_has_a_line_per_job_with_its_times(tmp_path, capsys):
    """--verbose prints, and the workspace's grading.log keeps, one line per notebook: when, which
    worker, the status and where the time went (issue 13)."""
    from autograder.pipeline.grade import log_line
    from autograder.runner.execute import Timings
    from autograder.runner.jobs import JobResult

    result = JobResult("ada", "01-conv1d", "graded", "{}", [], Timings(kernel_start_s=0.5, link_s=0.25, cells_s=1.0, trusted_s=2.0,
                       calls_s=1.5, shutdown_s=0.1), started=1_700_000_000.0, ended=1_700_000_004.0, worker=4242)
    line = log_line(result, 0.125)
    for part in ("worker 4242", "ada/01-conv1d", "graded", "4.00 s", "kernel start 0.50", "link 0.25", "cells 1.00",
                 "trusted checks 2.00 (student calls 1.50)", "shutdown 0.10", "recorded in 0.12"):
        assert part in line, f"{part!r} missing from the log line {line!r}"
