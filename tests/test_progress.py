"""A build's progress: on a terminal the stage that runs (and the parts laid out), nothing but
the result line otherwise; `-q` prints nothing but errors, `-v` each stage's seconds."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from report import progress
from report.cli import main
from report.timings import Timings
from tests.conftest import ROOT


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_display_only_for_a_person_at_a_terminal() -> None:
    assert progress.wanted(False, Terminal())
    assert not progress.wanted(True, Terminal())  # --quiet
    assert not progress.wanted(False, io.StringIO())  # a pipe, a log file


def test_the_observer_hears_every_stage_and_a_failing_display_stops_nothing() -> None:
    heard: list[tuple[str, str, int, int]] = []
    timings = Timings(observer=lambda *event: heard.append(event))
    with timings.stage("citations"):
        timings.tell("parts", "", 1, 3)
    assert heard == [("stage", "citations", 0, 0), ("parts", "", 1, 3)]

    def broken(*event: object) -> None:
        raise RuntimeError("the terminal went away")

    timings = Timings(observer=broken)
    with timings.stage("layout"):
        pass
    assert "layout" in timings.stages and timings.observer is None


def test_the_status_line_names_the_stage_and_the_parts() -> None:
    stream = Terminal()
    with progress.Progress(stream) as display:
        display("stage", "layout", 0, 0)
        display("parts", "", 2, 5)
        assert display.stage == "layout"
        assert "2 of 5 parts laid out" in str(display.status.status)


@pytest.mark.slow
def test_quiet_prints_nothing_and_verbose_prints_the_stages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p"
    assert main(["new", str(project)]) == 0
    capsys.readouterr()
    assert main(["build", str(project), "-q"]) == 0
    assert capsys.readouterr() == ("", "")
    assert main(["build", str(project), "-v"]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"wrote {project / 'build' / 'report.pdf'}"
    assert "load and validate" in err and "citations" in err and " s" in err
    # not a terminal: the result line alone, no status line's escapes
    done = subprocess.run([sys.executable, "-m", "report", "build", str(project)],
                          capture_output=True, text=True, env={**os.environ, "TERM": "xterm"},
                          cwd=ROOT)
    assert done.stdout.strip().startswith("wrote ") and "\x1b" not in done.stderr + done.stdout


@pytest.mark.slow
def test_a_build_in_parts_tells_the_parts_done(tmp_path: Path) -> None:
    import shutil

    from report.pipeline import build

    project = Path(shutil.copytree(ROOT / "examples" / "udhr", tmp_path / "udhr",
                                   ignore=shutil.ignore_patterns("build")))
    heard: list[tuple[str, str, int, int]] = []
    build(project, project / "build" / "report.pdf", Timings(observer=lambda *e: heard.append(e)))
    stages = [name for event, name, _, _ in heard if event == "stage"]
    assert stages[:3] == ["load and validate", "citations", "HTML"] and "layout" in stages
    parts = [(done, total) for event, _, done, total in heard if event == "parts"]
    total = parts[-1][1]
    assert total >= 3 and parts[0] == (0, total) and (total, total) in parts
    assert all(b[0] >= a[0] or b == (0, total) for a, b in zip(parts, parts[1:], strict=False))
