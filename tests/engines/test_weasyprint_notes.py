"""The footnote area's height added up note by note (report/engines/weasyprint_notes.py)
lays pages out exactly as WeasyPrint's own method: the real report and a dense chronology,
compared as pixels."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from bench import synthetic
from report.engines import weasyprint_notes as notearea
from report.layout.engine import layout
from report.pipeline import prepare
from tests.conftest import ROOT

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)


def pixels(html: str, root: Path, out: Path) -> list[bytes]:
    out.mkdir(parents=True)
    layout(html, root).write_pdf(out / "x.pdf")
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(out / "x.pdf"), str(out / "p")],
                   check=True)
    return [path.read_bytes() for path in sorted(out.glob("p-*.png"))]


@pytest.mark.parametrize("copies", [0, 4])  # 0: the real report as it is
def test_the_same_pages_as_weasyprints_own_method(tmp_path: Path, copies: int) -> None:
    project = synthetic.generate(ROOT, tmp_path / "p", copies).root if copies else ROOT
    html = prepare(project).html
    try:
        notearea.uninstall()
        theirs = pixels(html, project, tmp_path / "theirs")
    finally:
        notearea.install()
    ours = pixels(html, project, tmp_path / "ours")
    assert len(ours) == len(theirs) > 10
    assert [n for n, (a, b) in enumerate(zip(ours, theirs, strict=True)) if a != b] == []


def test_other_areas_keep_weasyprints_method() -> None:
    class Area:
        max_height, min_height = 200.0, 0
    assert not notearea._simple(Area(), [])
