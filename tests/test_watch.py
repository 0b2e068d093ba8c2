"""`report watch`: a rebuild on save gives the same PDF as a fresh `report build`, a mistake
is printed as `check` prints it and keeps the previous PDF, and the watch goes on."""

from __future__ import annotations

import queue
import shutil
import threading
from pathlib import Path

import pytest

from report.pipeline import build
from report.watch import is_input, watch
from tests.conftest import ROOT

UDHR = ROOT / "examples" / "udhr"


def test_only_the_projects_inputs_trigger_a_build(tmp_path: Path) -> None:
    for name, expected in [("content/sections/01.yaml", True), ("sources.yaml", True),
                           ("styles/x.css", True), ("images/a.png", True),
                           ("build/report.pdf", False), ("build/.cache/parts/x.pdf", False),
                           (".git/index", False), ("content/.#01.yaml", False),
                           ("content/01.yaml~", False), ("content/01.yaml.swp", False)]:
        assert is_input(tmp_path, str(tmp_path / name)) == expected, name
    assert not is_input(tmp_path / "a", str(tmp_path / "b" / "c.yaml"))


@pytest.mark.slow
def test_a_watched_rebuild_equals_a_fresh_build(tmp_path: Path) -> None:
    project = Path(shutil.copytree(UDHR, tmp_path / "udhr", ignore=shutil.ignore_patterns(
        "build")))
    output = project / "build" / "report.pdf"
    stop, builds, said = threading.Event(), queue.Queue[bool](), queue.Queue[str]()
    thread = threading.Thread(target=watch, args=(project, output), kwargs={
        "stop": stop, "on_build": builds.put, "say": said.put}, daemon=True)
    thread.start()
    try:
        assert builds.get(timeout=120) is True
        section = project / "content" / "sections" / "03-article-1.yaml"
        text = section.read_text()
        section.write_text(text.replace("the premise of the whole declaration",
                                        "the premise of the whole of the declaration"))
        assert builds.get(timeout=120) is True
        edited = output.read_bytes()
        section.write_text(text.replace("title: Article 1", "title: [Article 1"))
        assert builds.get(timeout=120) is False  # a mistake: the PDF stays
        assert output.read_bytes() == edited
    finally:
        stop.set()
        thread.join(timeout=30)
    messages = "\n".join(said.queue)
    assert "content/sections/03-article-1.yaml:4:7" in messages
    assert "The list opened with `[` at line 3, column 8 is not closed" in messages
    assert "kept as it was" in messages
    # the same edit, built fresh in another copy: the same bytes
    fresh = Path(shutil.copytree(UDHR, tmp_path / "fresh", ignore=shutil.ignore_patterns(
        "build")))
    section = fresh / "content" / "sections" / "03-article-1.yaml"
    section.write_text(section.read_text().replace("the premise of the whole declaration",
                                                   "the premise of the whole of the declaration"))
    build(fresh, fresh / "build" / "report.pdf")
    assert (fresh / "build" / "report.pdf").read_bytes() == edited


def test_a_build_s_memory_is_given_back_between_builds() -> None:
    """glibc keeps freed memory for the process; the watch hands it back after each build."""
    import ctypes
    import platform

    from report.watch import release

    def rss() -> int:  # kB
        return int(next(line.split()[1] for line in Path("/proc/self/status").read_text()
                        .splitlines() if line.startswith("VmRSS")))

    if platform.libc_ver()[0] != "glibc":
        assert release() is False
        return
    blocks = [ctypes.create_string_buffer(1000) for _ in range(200_000)]  # about 200 MB
    before = rss()
    del blocks
    assert release() is True
    assert rss() < before - 100_000  # kB: most of it back to the system
