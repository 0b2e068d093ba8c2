"""The layout workers import this package, whatever the working folder holds: a folder
named `report` there is not imported in its place (report/layout/workers.py: _safe_path)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import make

REPORT = str(Path(sys.executable).with_name("report"))
SECTIONS = {f"content/sections/0{n}-s{n}.yaml": f"id: s{n}\ntitle: Section {n}\nblocks:\n"
            f"  - paragraph: The text of section {n}.\n" for n in (2, 3)}


@pytest.mark.slow
def test_a_folder_named_report_in_the_working_folder(tmp_path: Path) -> None:
    project = make(tmp_path / "project", SECTIONS)
    here = tmp_path / "here"
    (here / "report").mkdir(parents=True)
    (here / "report" / "__init__.py").write_text(
        'raise RuntimeError("this is not the report package")\n')
    output = project / "build" / "report.pdf"
    done = subprocess.run([REPORT, "build", str(project), "-o", str(output)], cwd=here,
                          capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert output.read_bytes().startswith(b"%PDF-")
