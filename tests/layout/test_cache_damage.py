"""A damaged cache never makes a wrong PDF (report/files.py, report/layout/workers.py).

Every kind of file a build keeps in build/.cache is damaged in the ways a disk, a crash or a
person damages files (bytes changed in the middle, cut short, emptied, replaced with garbage,
deleted); the build after it says which entry it dropped, in one line, and gives the same
pages with the same text as a clean build.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfReader

from report import files
from report.cli import main
from report.layout import workers
from report.pipeline import Timings, build
from tests.conftest import copy_project, pdftotext


def flip(path: Path) -> None:
    """64 bytes in the middle changed."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 64] = bytes(b ^ 0x55 for b in data[middle:middle + 64])
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def empty(path: Path) -> None:
    path.write_bytes(b"")


def garbage(path: Path) -> None:
    # (not opening with "{" or "[", which reads as a cache file of the format before seals,
    # out of date rather than damaged: random bytes did, once in 128 runs)
    path.write_bytes(b"\0" + os.urandom(max(path.stat().st_size, 100)))


WAYS: dict[str, Callable[[Path], None]] = {
    "flip": flip, "truncate": truncate, "empty": empty, "garbage": garbage}


# --- the cache files themselves (fast) --------------------------------------------------------

@pytest.mark.parametrize("way", sorted(WAYS))
def test_a_damaged_cache_file_is_dropped_and_said(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        way: str) -> None:
    monkeypatch.chdir(tmp_path)
    entry = tmp_path / "build" / ".cache" / "x.json"
    files.write_cache(entry, b'{"pages": [1, 2, 3]}' * 20)
    assert files.read_cache(entry, "laid out again") == b'{"pages": [1, 2, 3]}' * 20
    WAYS[way](entry)
    with caplog.at_level(logging.WARNING, logger="report"):
        assert files.read_cache(entry, "laid out again") is None
    assert caplog.messages == ["report: build/.cache/x.json: damaged, laid out again"]
    assert not entry.exists()


@pytest.mark.parametrize("way", [*sorted(WAYS), "delete"])
def test_a_damaged_pdf_fails_its_digest(
        tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch,
        way: str) -> None:
    monkeypatch.chdir(tmp_path)
    pdf = tmp_path / "part.pdf"
    digest = files.write_atomically(pdf, lambda stream: stream.write(b"%PDF-1.7\n" * 50))
    assert files.verified(pdf, digest, "laid out again")
    if way == "delete":
        pdf.unlink()
    else:
        WAYS[way](pdf)
    with caplog.at_level(logging.WARNING, logger="report"):
        assert not files.verified(pdf, digest, "laid out again")
    said = "missing" if way == "delete" else "damaged"
    assert caplog.messages == [f"report: part.pdf: {said}, laid out again"]
    assert not pdf.exists()


def test_a_cache_file_of_an_older_version_is_out_of_date_not_damaged(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    entry = tmp_path / "old.json"
    entry.write_text('{"version": "0.1.0-3"}')  # written before cache files were sealed
    with caplog.at_level(logging.WARNING, logger="report"):
        assert files.read_cache(entry, "laid out again") is None
    assert caplog.messages == []


def test_parts_laid_out_by_other_code_are_laid_out_again(tmp_path: Path) -> None:
    """The cache's version is a digest of the package's source: an edit to the tagging, the
    drawing or anything else makes every cached part and folio pass out of date."""
    package = Path(workers.__file__).resolve().parent.parent
    copy = tmp_path / "report"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("node_modules", "__pycache__"))
    assert workers.code_digest(copy) == workers.code_digest()
    assert workers.CACHE_VERSION.endswith(workers.code_digest())
    tags = copy / "layout" / "tags.py"
    tags.write_text(tags.read_text() + "\n# an edit\n")
    assert workers.code_digest(copy) != workers.code_digest()


# --- whole builds (slow) ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str, int]:
    """The shipped report built, and a copy of its cache: the project, the copy, the text,
    the pages. Built until a build finds every part in the cache: a first build does not know
    the page facts yet (the number of the last page), so a second one lays out parts of its
    own. The project stays where it is: the parts' HTML names its fonts by their path."""
    project = copy_project(tmp_path_factory.mktemp("clean"))
    output = project / "build" / "report.pdf"
    used: set[str] = set()  # the cache entries the last build read
    with pytest.MonkeyPatch.context() as patch:
        cached, cached_folios = workers.cached, workers.cached_folios
        patch.setattr(workers, "cached", lambda chunk, root: (
            used.add(chunk.key), cached(chunk, root))[1])
        patch.setattr(workers, "cached_folios", lambda path: (
            used.add(path.stem), cached_folios(path))[1])
        for _ in range(4):
            used.clear()
            timings = Timings()
            build(project, output, timings)
            if timings.parts.get("laid") == 0:
                break
    assert timings.parts.get("laid") == 0
    workers.prune(project, used)  # the other builds' entries: no build reads them again
    saved = tmp_path_factory.mktemp("cache") / "cache"
    shutil.copytree(project / "build" / ".cache", saved)
    return project, saved, pdftotext(output), len(PdfReader(output).pages)


def cache_files(project: Path, suffix: str) -> list[Path]:
    found = sorted(p for p in (project / "build" / ".cache").rglob(f"*{suffix}")
                   if not p.name.startswith("."))
    return found


# Each build damages one kind of entry, each file its own way (the ways taking turns), so
# that a few builds damage every kind of cache file in every way.
CASES = {
    "records": (".json", list(WAYS)),  # parts, folios, citations, page facts, page sequence
    "pdfs": (".pdf", list(WAYS)),  # the parts' PDFs, the folio pass's PDF
    "records deleted": (".json", ["delete"]),  # the PDFs kept
    "pdfs deleted": (".pdf", ["delete"]),  # their records kept
}


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(CASES))
def test_a_build_after_damage_is_a_clean_build(
        clean: tuple[Path, Path, str, int], caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch, case: str) -> None:
    project, saved, text, pages = clean
    shutil.rmtree(project / "build" / ".cache")
    shutil.copytree(saved, project / "build" / ".cache")
    monkeypatch.chdir(project)
    suffix, ways = CASES[case]
    damaged = cache_files(project, suffix)
    kinds = {p.name.split("-")[0] if "-" in p.name else p.parent.name for p in damaged}
    # every kind the build keeps: citations, page facts, page sequence, parts (and the folio
    # pass's PDF and record, "folios", when the report was joined from its parts)
    assert kinds >= ({"cite", "cited", "folio", "parts"} if suffix == ".json" else {"parts"})
    expected = set()
    for number, path in enumerate(damaged):
        way = ways[number % len(ways)]
        if way == "delete":
            path.unlink()
            if suffix == ".pdf":
                expected.add(f"report: {path.relative_to(project)}: missing, laid out again")
            continue
        WAYS[way](path)
        again = "the citations formatted again" if path.name.startswith("cite-") else (
            "laid out again")
        expected.add(f"report: {path.relative_to(project)}: damaged, {again}")
    with caplog.at_level(logging.WARNING, logger="report"):
        assert main(["build", ".", "-o", "build/report.pdf"]) == 0
    assert set(caplog.messages) == expected
    assert len(caplog.messages) == len(expected)  # one line each
    output = project / "build" / "report.pdf"
    assert len(PdfReader(output).pages) == pages
    assert pdftotext(output) == text
    # and what it wrote again is whole: every record sealed, every PDF the one it vouches for
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="report"):
        for record in cache_files(project, ".json"):
            raw = files.read_cache(record, "laid out again")
            assert raw is not None, record
            if record.parent.name == "parts":
                assert files.verified(record.with_suffix(".pdf"), json.loads(raw)["pdf"], "")
    assert caplog.messages == []
