"""A build leaves nothing in the temporary folder ($TMPDIR), whether it succeeds or fails:
WeasyPrint's font files, the layout workers' and multiprocessing's sockets included
(report/files.py: private_temp; report/layout/workers.py: _worker_process)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make

REPORT = str(Path(sys.executable).with_name("report"))
SECTIONS = {f"content/sections/0{n}-s{n}.yaml": f"id: s{n}\ntitle: Section {n}\nblocks:\n"
            f"  - paragraph: The text of section {n}.\n" for n in (2, 3)}


def build(project: Path, temp: Path, output: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([REPORT, "build", ".", "-o", output], cwd=project, text=True,
                          capture_output=True, env=os.environ | {"TMPDIR": str(temp)})


@pytest.mark.slow
def test_nothing_is_left_in_the_temporary_folder(tmp_path: Path) -> None:
    project = make(tmp_path / "p", SECTIONS)
    temp = tmp_path / "tmp"
    temp.mkdir()
    done = build(project, temp, "build/report.pdf")  # a cold build: every part laid out
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert list(temp.iterdir()) == []
    # a build that fails after its layout: the output's name is taken by a folder
    (project / "build" / "taken.pdf").mkdir()
    done = build(project, temp, "build/taken.pdf")
    assert (done.returncode, done.stderr) == (
        1, "report: cannot write build/taken.pdf: Is a directory\n")
    assert list(temp.iterdir()) == []
