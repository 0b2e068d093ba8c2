"""Stage 3: citeproc-js started early (report/cite/warm.py) gives what a process started when
the citations are needed gives, is used only for the style it compiled, and is never started
for a project it cannot read or whose citations are cached."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from report.cite import early, engine, warm
from report.cite.clusters import CiteItem, Cluster
from report.problems import Location
from tests.conftest import ROOT

ITEMS = [{"id": "a", "type": "book", "title": "A Book", "author": [{"family": "Doe",
                                                                      "given": "Jane"}],
          "issued": {"date-parts": [[1990]]}},
         {"id": "b", "type": "article-journal", "title": "An Article", "container-title": "J",
          "author": [{"family": "Roe", "given": "Rick"}], "issued": {"date-parts": [[1991]]}}]
CLUSTERS = [Cluster([CiteItem("a", locator="12")], "[@a, 12]", "c1"),
            Cluster([CiteItem("b")], "[@b]", "c2"), Cluster([CiteItem("a")], "[@a]", "c3")]


@pytest.fixture(autouse=True)
def _nothing_left_running() -> Any:
    yield
    warm.discard()


def _cite(style: str) -> engine.Citations:
    return engine.cite(engine.find_style(style, ROOT, Location("t")), "en", ITEMS, CLUSTERS, [])


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    started: list[list[str]] = []
    real = subprocess.Popen

    def popen(args: list[str], **kwargs: Any) -> Any:
        started.append(args)
        return real(args, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    return started


@pytest.mark.parametrize("style", ["chicago-notes-bibliography", "apa"])
def test_a_process_started_early_gives_the_same_citations(
        style: str, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _cite(style)
    warm.start(warm.head(engine.payload_head(engine.find_style(style, ROOT, Location("t")),
                                             "en")))
    started = _spy(monkeypatch)
    assert _cite(style) == fresh
    assert started == []  # the early process did the work
    assert warm._started is None


def test_a_process_started_for_another_style_is_stopped_not_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    warm.start(warm.head(engine.payload_head(engine.find_style("apa", ROOT, Location("t")),
                                             "en")))
    early = warm._started
    assert early is not None
    started = _spy(monkeypatch)
    chicago = _cite("chicago-notes-bibliography")
    assert len(started) == 1 and early.process.returncode is not None  # killed
    assert chicago.note_style


def test_the_command_starts_it_only_for_a_project_without_cached_citations(
        tmp_path: Path) -> None:
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "content" / "report.yaml").write_text("title: T\ncitation-style: apa\n")
    early.start_for(project)
    assert warm._started is not None
    warm.discard()
    (project / "build" / ".cache").mkdir(parents=True)
    (project / "build" / ".cache" / "cite-0.json").write_text("{}")
    early.start_for(project)
    assert warm._started is None


@pytest.mark.parametrize("text", ["title: [", "- a list\n", "citation-style: 12\n",
                                  "citation-style: ../../etc/style.csl\n",
                                  "citation-style: no-such-style\n"])
def test_a_project_it_cannot_read_starts_nothing_and_raises_nothing(tmp_path: Path,
                                                                     text: str) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "report.yaml").write_text(text)
    early.start_for(tmp_path)
    early.start_for(tmp_path / "missing")
    assert warm._started is None


def test_nothing_outside_the_project_is_read(tmp_path: Path) -> None:
    """A report.yaml that is a link out of the project is not followed (the build refuses it,
    with its place, later)."""
    outside = tmp_path / "outside.yaml"
    outside.write_text("title: T\ncitation-style: apa\n")
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "content" / "report.yaml").symlink_to(outside)
    early.start_for(project)
    assert warm._started is None
    (project / "content" / "report.yaml").unlink()
    (project / "content" / "report.yaml").write_text(outside.read_text())
    early.start_for(project)  # the same text, inside: started
    assert warm._started is not None


def test_without_node_it_starts_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    warm.start(b"{}")
    assert warm._started is None


def test_a_process_spawned_before_its_style_is_known_is_the_one_used(
        monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _cite("apa")
    warm.spawn()  # Node.js starts while Python finds the style
    spawned = warm._started
    assert spawned is not None and spawned.head is None
    started = _spy(monkeypatch)
    warm.start(warm.head(engine.payload_head(engine.find_style("apa", ROOT, Location("t")),
                                             "en")))
    assert warm._started is spawned and started == []  # the style sent to it, no new process
    assert _cite("apa") == fresh and started == []


def test_the_early_start_does_not_wait_for_the_schema(tmp_path: Path) -> None:
    """pydantic and the schema (0.14 s) are not imported before the style is sent."""
    project = tmp_path / "p"
    (project / "content").mkdir(parents=True)
    (project / "content" / "report.yaml").write_text("title: T\ncitation-style: apa\n")
    probe = ("import sys\nfrom pathlib import Path\nfrom report.cite import early, warm\n"
             "early.start_for(Path(sys.argv[1]))\n"
             "print(warm._started is not None and warm._started.head is not None,"
             " 'pydantic' in sys.modules)\nwarm.discard()")
    done = subprocess.run([sys.executable, "-c", probe, str(project)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["True", "False"], done.stderr
