"""Finding submissions (autograder/pipeline/submissions.py): folders, zips, nbgrader's submitted/ tree,
renamed notebooks recognised by their cells, and every unreadable thing a note, never a crash."""

from __future__ import annotations

import json
import os
import zipfile

import nbformat
import pytest

from autograder.pipeline.submissions import find_submissions, fingerprint
from tests.fs_tools import remove_tree
from tests.release_notebooks import FIRST, LECTURES
from tests.release_notebooks import notebook_bytes as _bytes


@pytest.fixture(scope="module")
def prints(releases):
    return {lec: fingerprint(nbformat.writes(nb).encode()) for lec, nb in releases.items()}


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
    from autograder.pipeline import submission_files as submissions

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
    from autograder.pipeline import submission_files as submissions

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
    from autograder.pipeline import submission_files as submissions

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
