"""A build laid out in parts lays nothing out in its own process, so that process never
imports WeasyPrint (half a second of a rebuild's second): the layout workers' server does,
while the build reads the project."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from bench import synthetic
from tests.conftest import ROOT, copy_project

PROBE = """
import sys
from report.cli import main
code = main(["build", sys.argv[1], *sys.argv[2:]])
print("weasyprint" in sys.modules, code)
"""


def _imports_weasyprint(project: Path, *args: str) -> bool:
    done = subprocess.run([sys.executable, "-c", PROBE, str(project), *args], cwd=ROOT,
                          capture_output=True, text=True, check=False)
    imported, code = done.stdout.split()[-2:]
    assert code == "0", done.stderr
    return imported == "True"


def test_a_build_in_parts_leaves_weasyprint_to_its_workers(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert not _imports_weasyprint(project)  # a first build: every part laid out by a worker
    (project / "content" / "report.yaml").touch()
    assert not _imports_weasyprint(project)  # a rebuild: every part from the cache
    synthetic.edit_paragraph(project, 1)
    assert not _imports_weasyprint(project)  # an edit: its one part laid out by a worker
    # laid out whole, in the build's own process
    assert _imports_weasyprint(project, "--layout", "whole", "-o", str(tmp_path / "w.pdf"))
