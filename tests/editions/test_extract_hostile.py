"""`report extract` on PDFs made to attack it: every refusal is made before anything is
written, names the PDF and the embedded name, and leaves nothing behind; a PDF of zeros that
inflates to gigabytes stops at the size limit without being held in memory."""

from __future__ import annotations

import errno
import hashlib
import os
import tempfile
import tracemalloc
import zlib
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pikepdf import Array, Dictionary, Name, String

from report.cli import main
from report.editions.extract import extract
from report.problems import ReportError

UNTRUSTED = ("This PDF was not made by `report build --edition archive`, or was altered "
             "since; extract only archives from a source you trust.")


def stored(pdf: pikepdf.Pdf, data: bytes, *, checksum: bool = True,
           raw: bytes | None = None) -> pikepdf.Stream:
    """An embedded-file stream as the archive edition writes it (deflated, with its MD5);
    `raw`: these deflated bytes instead of `data` deflated."""
    stream = pikepdf.Stream(pdf, raw if raw is not None else zlib.compress(data))
    stream.Filter, stream.Type = Name.FlateDecode, Name.EmbeddedFile
    stream.Params = Dictionary(Size=len(data))
    if checksum:
        stream.Params.CheckSum = String(hashlib.md5(data).digest())
    return pdf.make_indirect(stream)


Entry = tuple[str, bytes | Callable[[pikepdf.Pdf], pikepdf.Object]]


def archive(path: Path, entries: list[Entry]) -> Path:
    """A one-page PDF whose /Names /EmbeddedFiles lists `entries` in this order (duplicates
    kept): (name, the file's bytes, or a function making the object to put as its /EF /F)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    tree = Array()
    for name, data in entries:
        ef = stored(pdf, data) if isinstance(data, bytes) else data(pdf)
        tree.extend([String(name), pdf.make_indirect(Dictionary(
            Type=Name.Filespec, F=String(name), UF=String(name), EF=Dictionary(F=ef)))])
    pdf.Root.Names = Dictionary(EmbeddedFiles=Dictionary(Names=tree))
    pdf.save(path)
    return path


def refused(tmp_path: Path, entries: list[Entry]) -> list[str]:
    """The messages of extracting `entries`, after checking that nothing was written."""
    pdf = archive(tmp_path / "hostile.pdf", entries)
    with pytest.raises(ReportError) as error:
        extract(pdf, tmp_path / "out")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hostile.pdf"]
    assert all(p.location.file == str(pdf) for p in error.value.problems)
    return [p.message for p in error.value.problems]


def unsafe(name: str, why: str) -> str:
    return (f"The embedded file name `{name}` is not a safe relative path: {why}; nothing was "
            "extracted.")


@pytest.mark.parametrize(("name", "message"), [
    ("a\x00b.txt", unsafe("a\\x00b.txt", "it contains a NUL byte")),
    ("/etc/passwd", unsafe("/etc/passwd", "it is absolute (it begins with /)")),
    ("../escape.txt", unsafe("../escape.txt", "it has a `..` part, which leads out of the "
                                              "folder")),
    ("content/../../escape.txt", unsafe("content/../../escape.txt", "it has a `..` part, "
                                        "which leads out of the folder")),
    ("..\\windows.txt", unsafe("..\\windows.txt", "it contains a backslash; the parts of a "
                                                  "path are separated by /")),
    ("C:/boot.ini", unsafe("C:/boot.ini", "it contains `:`, which some file systems refuse")),
    (".git/hooks/post-checkout", unsafe(".git/hooks/post-checkout",
                                        "it has a hidden part (beginning with .)")),
    ("a//b", unsafe("a//b", "it has an empty part (`//`, or a `/` at the end)")),
    ("", unsafe("", "it is empty")),
    ("evil\u202etxt.exe", unsafe("evil\\u202etxt.exe",
                                 "it contains the invisible character U+202E")),
    ("a" * 300, unsafe("a" * 60 + "… (300 characters)",
                       "a part of it is 300 bytes long, and file systems allow 255")),
    ("/".join(["d" * 200] * 6), unsafe("d" * 60 + "… (1205 characters)",
                                       "it is 1205 bytes long, more than the 1024 allowed")),
])
def test_an_unsafe_name_is_refused_before_anything_is_written(tmp_path: Path, name: str,
                                                               message: str) -> None:
    assert refused(tmp_path, [("content/report.yaml", b"title: x\n"), (name, b"x")]) == [
        message]


def test_names_that_would_be_one_file_are_refused(tmp_path: Path) -> None:
    assert refused(tmp_path, [("a.txt", b"first"), ("a.txt", b"second"), ("Notes.txt", b"1"),
                              ("notes.txt", b"2"), ("caf\u00e9", b"1"), ("cafe\u0301", b"2"),
                              ("images", b"a file"), ("images/map.png", b"inside")]) == [
        "The embedded file name `a.txt` comes twice; nothing was extracted.",
        "The embedded file names `Notes.txt` and `notes.txt` differ only in case, one file "
        "on some file systems; nothing was extracted.",
        "The embedded file names `caf\u00e9` and `cafe\u0301` are one name in two Unicode forms "
        "(accents composed or not), one file on some file systems; nothing was extracted.",
        "The embedded file name `images` is also the folder of `images/map.png`; nothing was "
        "extracted."]


def test_entries_without_data_are_refused(tmp_path: Path) -> None:
    def jpeg(pdf: pikepdf.Pdf) -> pikepdf.Object:
        stream = pikepdf.Stream(pdf, b"\xff\xd8 not really a JPEG")
        stream.Filter = Name.DCTDecode
        return pdf.make_indirect(stream)

    assert refused(tmp_path, [("a.txt", lambda _: Dictionary(Length=3)),
                              ("b.txt", lambda _: String("not a stream")),
                              ("c.txt", jpeg)]) == [
        "The embedded file `a.txt` has no data (its /EF entry is not a stream); nothing was "
        "extracted.",
        "The embedded file `b.txt` has no data (its /EF entry is not a stream); nothing was "
        "extracted.",
        "The embedded file `c.txt` is compressed in a way extract does not read "
        "(/DCTDecode); nothing was extracted."]


def test_a_damaged_file_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    def wrong(pdf: pikepdf.Pdf) -> pikepdf.Object:
        return stored(pdf, b"the bytes", raw=zlib.compress(b"other bytes"))

    assert refused(tmp_path, [("a.txt", b"fine"), ("b.txt", wrong)]) == [
        "The embedded file `b.txt` is damaged (its checksum does not match); nothing was "
        "extracted."]


def test_a_decompression_bomb_stops_at_the_limit_without_filling_memory(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """30 files of 70 MB of zeros in a PDF of 2 MB: 2.1 GB once inflated."""
    zeros = zlib.compress(bytes(70 * 10**6), 9)
    def bomb(pdf: pikepdf.Pdf) -> pikepdf.Object:
        return stored(pdf, b"", checksum=False, raw=zeros)

    path = archive(tmp_path / "bomb.pdf", [(f"data/{i:02}.bin", bomb) for i in range(30)])
    assert path.stat().st_size < 3 * 10**6
    tracemalloc.start()
    try:
        code = main(["extract", str(path), str(tmp_path / "out")])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 1
    assert peak < 30 * 10**6  # decompressed a chunk at a time, never a whole file
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bomb.pdf"]
    assert capsys.readouterr().err.splitlines()[:2] == [
        f"{path}  error    The embedded files come to more than 200MB once decompressed "
        "(the limit was reached in `data/02.bin`); nothing was extracted.",
        f"{' ' * len(str(path))}           → If you trust this PDF and have the space, raise "
        "the limit, e.g. --max-size 2GB."]


def test_max_size_raises_the_limit(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = archive(tmp_path / "big.pdf", [(f"{i}.bin", bytes(10**6)) for i in range(3)])
    assert main(["extract", str(path), str(tmp_path / "out"), "--max-size", "2.5MB"]) == 1
    assert "more than 2.5MB once decompressed (the limit was reached in `2.bin`)" in \
        capsys.readouterr().err
    assert main(["extract", str(path), str(tmp_path / "out"), "--max-size", "3MB"]) == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["0.bin", "1.bin", "2.bin"]
    assert main(["extract", str(path), str(tmp_path / "o2"), "--max-size", "lots"]) == 1
    assert capsys.readouterr().err.splitlines()[:2] == [
        "--max-size  error    `lots` is not a size.",
        "                     → Give a number and a unit, e.g. 500MB or 2GB."]


def test_sources_are_written_whole_into_an_empty_folder(tmp_path: Path) -> None:
    files = {"content/report.yaml": b"title: x\n", "content/sections/01-\u00e9t\u00e9.yaml":
             os.urandom(3 * 10**6), "sources.yaml": b""}
    path = archive(tmp_path / "archive.pdf", list(files.items()))
    (tmp_path / "out").mkdir()
    written = extract(path, tmp_path / "out")
    assert {p.relative_to(tmp_path / "out").as_posix(): p.read_bytes() for p in written} == files
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.pdf", "out"]  # no leftover


def test_a_failure_while_writing_leaves_nothing(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = archive(tmp_path / "archive.pdf", [("a/b.txt", b"1"), ("c.txt", b"2")])

    def full(*_: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "rename", full)
    with pytest.raises(ReportError) as error:
        extract(path, tmp_path / "out")
    assert [str(p) for p in error.value.problems] == [
        f"{tmp_path / 'out'}: error: The folder could not be made (No space left on device); "
        "nothing was extracted.\n    Give a new or empty folder where you may write."]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["archive.pdf"]


def test_a_truncated_or_locked_archive_is_refused_by_name(tmp_path: Path,
                                                          capsys: pytest.CaptureFixture) -> None:
    path = archive(tmp_path / "archive.pdf", [("a.txt", b"1")])
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(path.read_bytes()[:-200])
    assert main(["extract", str(cut), str(tmp_path / "out")]) == 1
    assert f"{cut}  error    cut.pdf is cut short: it does not end with %%EOF, so part of it " \
           "is missing." in capsys.readouterr().err
    with pikepdf.open(path) as pdf:
        pdf.save(tmp_path / "locked.pdf", encryption=pikepdf.Encryption(user="u", owner="o"))
    assert main(["extract", str(tmp_path / "locked.pdf"), str(tmp_path / "out")]) == 1
    assert "locked.pdf is encrypted with a password; decrypt it first." in \
        capsys.readouterr().err
    assert not (tmp_path / "out").exists()


PLAIN = st.text(alphabet="abAB\u00e9._- ", min_size=1, max_size=6)
PARTS = st.one_of(st.sampled_from(["a", "b", "A", "..", ".", "", ".git", "x" * 256, "a\\b",
                                   "c:", "\x00", " a", "\u00e9", "e\u0301", "\u202e", "/"]),
                  PLAIN, st.text(max_size=6))
NAMES = st.one_of(*(st.lists(st.lists(parts, min_size=1, max_size=4).map("/".join),
                             min_size=1, max_size=5)
                    for parts in (PARTS, st.text(alphabet="abAB\u00e9_-", min_size=1,
                                                 max_size=3))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(NAMES)
def test_fuzzed_names_extract_inside_the_folder_or_are_refused(names: list[str]) -> None:
    """Whatever the names: either every file is written inside the folder, or a ReportError,
    never another exception, never a file outside the folder."""
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        (base / "box").mkdir()
        pdf = archive(base / "a.pdf", [(name, name.encode("utf-8", "replace"))
                                       for name in names])
        folder = base / "box" / "out"
        try:
            written = extract(pdf, folder)
        except ReportError as error:
            assert error.problems and all(p.location.file == str(pdf) for p in error.problems)
            assert list((base / "box").iterdir()) == []
        else:
            found = sorted(p for p in folder.rglob("*") if p.is_file())
            assert sorted(written) == found
            assert sorted(p.relative_to(folder).as_posix() for p in found) == sorted(names)
            assert all(p.resolve().is_relative_to(folder.resolve()) for p in found)
            assert all(p.read_bytes() == p.relative_to(folder).as_posix().encode()
                       for p in found)
        assert sorted(p.name for p in base.iterdir()) == ["a.pdf", "box"]
