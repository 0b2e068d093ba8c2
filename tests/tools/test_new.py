"""`report new DIR`: a starter project that checks clean and builds with its own Makefile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from report.cli import main
from tests.conftest import pdftotext


def test_a_new_project_checks_clean_with_the_choices_made(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "brief"
    assert main(["new", str(folder), "--title", "Water: a brief", "--language", "fr",
                 "--style", "apa", "--paper", "letter"]) == 0
    report = yaml.safe_load((folder / "content" / "report.yaml").read_text())
    assert (report["title"], report["language"], report["citation-style"], report["paper"]) \
        == ("Water: a brief", "fr", "apa", "letter")
    names = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    assert {".gitignore", ".vscode/settings.json", "Makefile", "sources.yaml",
            "styles/custom.css", "schemas/report.schema.json", "images/vote.svg",
            "content/sections/01-introduction.yaml"} <= names
    assert (folder / ".gitignore").read_text() == "build/\n"
    capsys.readouterr()
    assert main(["check", str(folder), "--strict"]) == 0
    assert capsys.readouterr().out.strip() == "no problems found"
    # the starter holds one of each: a citation, a quotation, an event, a table, a figure
    text = "".join(p.read_text() for p in (folder / "content" / "sections").glob("*.yaml"))
    for kind in ("[@unga-217a]", "- quote:", "events:", "table:", "figure:"):
        assert kind in text


@pytest.mark.parametrize(("argv", "message"), [
    (["--style", "chicago-note"], "There is no citation style `chicago-note`"),
    (["--language", "French"], "`French` is not a language tag"),
])
def test_bad_choices_are_refused_and_nothing_is_written(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str],
        message: str) -> None:
    assert main(["new", str(tmp_path / "x"), *argv]) == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists() and list(tmp_path.iterdir()) == []


def test_a_folder_with_files_is_refused(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["new", str(tmp_path)]) == 1
    assert "is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


@pytest.mark.slow
def test_make_pdf_in_a_new_project_uses_the_installed_report(tmp_path: Path) -> None:
    folder = tmp_path / "mybrief"
    assert main(["new", str(folder), "--title", "My brief"]) == 0
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    subprocess.run(["make", "-C", str(folder), "pdf"], check=True, env=env,
                   capture_output=True, text=True)
    text = " ".join(pdftotext(folder / "build" / "report.pdf").split())
    assert "My brief" in text and "Table 1. The vote on resolution 217 A (III)" in text
    assert "All human beings are born free and equal in dignity and rights." in text
