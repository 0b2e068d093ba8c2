"""The archive's PDF and its manifest land together or not at all (report/pipeline.py,
report/editions/manifest.py): a source edited while the archive is built, or a build stopped
before both are in place, leaves the previous pair as it was, and nothing half-made beside."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from report import pipeline
from report.cli import main
from report.editions import manifest
from tests.conftest import make

pytestmark = pytest.mark.slow  # builds archives (small ones)

SECTION = "content/sections/01-one.yaml"
CHANGED = (f"{SECTION}  error    This file changed while build/report-archive.pdf was being "
           "built, so the PDF would not match it: nothing was written; the previous PDF and its "
           "manifest are as they were.\n")


@pytest.fixture
def built(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project with its archive built; the working folder is the project."""
    project = make(tmp_path, {})
    monkeypatch.chdir(project)
    assert main(["build", ".", "--edition", "archive"]) == 0
    return project


def pair(project: Path) -> tuple[bytes, bytes]:
    return ((project / "build" / "report-archive.pdf").read_bytes(),
            (project / "build" / "report-archive.json").read_bytes())


def assert_previous_pair_intact(project: Path, before: tuple[bytes, bytes]) -> None:
    assert pair(project) == before
    pdf, written = before
    assert json.loads(written)["pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert sorted(p.name for p in (project / "build").iterdir()) == [
        ".cache", ".report-archive.pdf.lock", "report-archive.json", "report-archive.pdf"]


def edit() -> None:
    path = Path(SECTION)
    path.write_text(path.read_text().replace("Text", "Edited text"))


def after(function: Callable[..., Any], then: Callable[[], None]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = function(*args, **kwargs)
        then()
        return result
    return wrapped


def test_a_source_edited_before_the_pdf_is_written(
        built: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Read at the start, embedded as edited: the PDF would show one text and carry another."""
    before = pair(built)
    capsys.readouterr()
    monkeypatch.setattr(pipeline, "prepare", after(pipeline.prepare, edit))
    assert main(["build", ".", "--edition", "archive"]) == 1
    assert capsys.readouterr().err == (CHANGED + " " * (len(SECTION) + 11) + "→ Build again.\n"
                                       "1 error(s), 0 warning(s)\n")
    assert_previous_pair_intact(built, before)


def test_a_source_edited_after_the_pdf_is_written(
        built: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """Embedded as it was read, then edited before the manifest: the manifest finds it."""
    before = pair(built)
    capsys.readouterr()
    monkeypatch.setattr(pipeline, "_sources_unchanged",
                        after(pipeline._sources_unchanged, edit))
    assert main(["build", ".", "--edition", "archive"]) == 1
    assert capsys.readouterr().err.startswith(CHANGED)
    assert_previous_pair_intact(built, before)


def test_a_build_stopped_before_the_manifest_is_made(
        built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while the manifest is being made: the new PDF is not put in place alone."""
    before = pair(built)
    edit()  # a new PDF, different from the one in place

    def interrupted() -> dict[str, str]:
        raise KeyboardInterrupt

    monkeypatch.setattr(manifest, "software", interrupted)
    assert main(["build", ".", "--edition", "archive"]) == 130
    assert_previous_pair_intact(built, before)
    monkeypatch.undo()
    monkeypatch.chdir(built)
    assert main(["build", ".", "--edition", "archive"]) == 0  # and the next build lands both
    pdf, written = pair(built)
    assert pdf != before[0]
    assert json.loads(written)["pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
