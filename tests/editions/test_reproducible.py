"""Two builds of the same inputs give the same bytes, for every edition: in another process
(another hash seed, time zone and locale), from another folder, with the fonts found in
another place; the archive rebuilt from its own embedded sources included. Dates come from
SOURCE_DATE_EPOCH or the report's date, never from the clock."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from report.cli import main
from report.editions import registry as editions
from report.pipeline import build
from report.project.options import BuildOptions
from report.render import fonts
from tests.conftest import ROOT, copy_project, make

pytestmark = pytest.mark.slow  # builds whole reports (`-m 'not slow'` skips it)

SINCE_1904 = 2082844800  # seconds from 1904-01-01 (TrueType's epoch) to 1970-01-01
FRESH = {"PYTHONHASHSEED": "4242", "TZ": "Pacific/Chatham", "LC_ALL": "C.UTF-8", "LANG": "C"}


def fresh_build(project: Path, output: Path, edition: str = "standard") -> bytes:
    """Build in a new process, as another machine would: another hash seed, time zone, locale
    and working folder; no SOURCE_DATE_EPOCH."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | FRESH
    subprocess.run([sys.executable, "-m", "report", "build", str(project), "-o", str(output),
                    "--edition", edition], check=True, env=env, cwd=output.parent,
                   capture_output=True)
    return output.read_bytes()


def elsewhere(tmp_path: Path) -> Path:
    """A copy of the project in another folder, using the fonts installed on the system when
    they are there (so the font files are found in another place too)."""
    project = copy_project(tmp_path / "elsewhere" / "project")
    if all((fonts.SYSTEM_DIR / face.file).is_file() for face in fonts.FACES):
        shutil.rmtree(project / "fonts", ignore_errors=True)
    return project


def test_the_standard_edition_is_the_same_from_another_process_and_folder(
        built: dict[str, Path], tmp_path: Path) -> None:
    assert fresh_build(elsewhere(tmp_path), tmp_path / "again.pdf") == built["pdf"].read_bytes()


def test_the_archive_rebuilt_from_its_own_sources_is_the_same(archive: Path,
                                                              tmp_path: Path) -> None:
    folder = tmp_path / "extracted"
    assert main(["extract", str(archive), str(folder)]) == 0
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) \
        == sorted(f.name for f in PdfReader(archive).attachment_list)
    assert fresh_build(folder, tmp_path / "rebuilt.pdf", "archive") == archive.read_bytes()
    manifest = (tmp_path / "rebuilt.json").read_text()
    assert manifest == archive.with_suffix(".json").read_text().replace(
        archive.name, "rebuilt.pdf")


@pytest.mark.parametrize("edition", [e for e in editions.names() if e not in
                                     ("standard", "archive")])
def test_every_other_edition_is_reproducible(edition: str, tmp_path: Path) -> None:
    first = tmp_path / "first.pdf"
    build(ROOT, first, options=BuildOptions(edition=edition))
    assert fresh_build(elsewhere(tmp_path), tmp_path / "second.pdf", edition) \
        == first.read_bytes()


def _font_stamps(pdf: Path) -> set[int]:
    """The `modified` stamps of the embedded subset fonts (seconds since 1904)."""
    with pikepdf.open(pdf) as doc:
        files = [o.FontFile2.read_bytes() for o in doc.objects
                 if isinstance(o, pikepdf.Dictionary) and "/FontFile2" in o]
    stamps = set()
    for data in files:
        with TTFont(io.BytesIO(data)) as font:
            stamps.add(font["head"].modified)
    return stamps


def test_dates_never_come_from_the_clock(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With fontTools subsetting (used when HarfBuzz's subsetter is missing), which stamps each
    subset font with the time: the stamp is the report's date whatever the clock says, or
    SOURCE_DATE_EPOCH when set; and a build does not leave its date to the next one."""
    monkeypatch.setattr("weasyprint.pdf.fonts.harfbuzz_subset", None)
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    one = make(tmp_path / "one", {})  # dated 2020-01-02
    two = make(tmp_path / "two", {"content/report.yaml": "title: T\ndate: 1999-12-31\n"})
    outputs = []
    for clock in (1.0e9, 2.0e9):
        monkeypatch.setattr(time, "time", lambda clock=clock: clock)
        outputs.append(tmp_path / f"one-{clock:.0f}.pdf")
        # in this process, where the clock and the subsetter are patched (not in workers)
        build(one, outputs[-1], options=BuildOptions(layout="whole"))
    assert outputs[0].read_bytes() == outputs[1].read_bytes()
    day = int(dt.datetime(2020, 1, 2, tzinfo=dt.UTC).timestamp())
    assert _font_stamps(outputs[0]) == {day + SINCE_1904}
    assert "SOURCE_DATE_EPOCH" not in os.environ
    build(two, tmp_path / "two.pdf", options=BuildOptions(layout="whole"))
    assert PdfReader(tmp_path / "two.pdf").metadata["/CreationDate"] == "D:19991231000000Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1234567890")  # 2009-02-13T23:31:30Z
    build(one, tmp_path / "epoch.pdf", options=BuildOptions(edition="archive"))
    info = PdfReader(tmp_path / "epoch.pdf").metadata
    assert info["/CreationDate"] == info["/ModDate"] == "D:20090213233130Z"
    assert _font_stamps(tmp_path / "epoch.pdf") == {1234567890 + SINCE_1904}
