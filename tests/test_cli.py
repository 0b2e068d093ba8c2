"""The command as people use it: exit codes, messages without tracebacks, outputs kept safe."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from report.cli import main
from tests.conftest import ROOT, copy_project


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "report", *args], capture_output=True,
                          text=True, cwd=ROOT)


def test_check_passes_strict_on_the_shipped_report() -> None:
    done = run("check", str(ROOT), "--strict")
    assert done.returncode == 0, done.stderr
    assert "no problems found" in done.stdout


def test_usage_errors_exit_2() -> None:
    assert run("build", "/no/such/folder").returncode == 2
    for args in (("frobnicate",), ("build", "--bogus"), ("booklet", "x.pdf", "-q")):
        done = run(*args)  # argparse's exit, and nothing after it (a finaliser's traceback)
        assert done.returncode == 2 and "usage: report" in done.stderr
        assert "Traceback" not in done.stderr, done.stderr
    done = run("--help")
    assert done.returncode == 0 and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["report.docx", "report", "report.PDFX"])
def test_the_output_suffix_decides_the_format_and_another_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> None:
    assert main(["build", str(ROOT), "-o", str(tmp_path / name)]) == 2
    assert "the output's suffix decides its format, one of .pdf, .html" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_every_command_has_a_line_in_the_help_and_examples_in_its_own() -> None:
    from report.cli import parser

    commands = next(a for a in parser()._actions if a.dest == "command")
    listed = run("--help").stdout
    for name, sub in commands.choices.items():  # type: ignore[union-attr]
        assert f"    {name} " in listed, name
        assert "examples:\n  report " + name in sub.format_help(), name


def test_bash_completes_commands_and_options(tmp_path: Path) -> None:
    script = tmp_path / "report.bash"
    script.write_text(run("completion", "bash").stdout)
    done = subprocess.run(["bash", "-c", f"""source {script}
        COMP_WORDS=(report b); COMP_CWORD=1; COMP_LINE="report b"; COMP_POINT=8
        _shtab_report; echo "${{COMPREPLY[@]}}"
        COMP_WORDS=(report build --ed); COMP_CWORD=2; COMP_LINE="report build --ed"
        COMP_POINT=17; _shtab_report; echo "${{COMPREPLY[@]}}" """],
        capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["build booklet", "--edition"]


def test_bad_citation_key_is_reported_with_its_place(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    project = copy_project(tmp_path / "p")
    path = project / "content" / "sections" / "00-overview.yaml"
    path.write_text(path.read_text().replace("[@kushen-1991]", "[@kushen-1999]", 1))
    assert main(["check", str(project)]) == 1
    out = capsys.readouterr().out
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1)
                if "@kushen-1999" in text)
    column = path.read_text().splitlines()[line - 1].index("[@kushen-1999]") + 1
    first = out.splitlines()[0].split()
    assert first[:2] == [f"content/sections/00-overview.yaml:{line}:{column}", "error"]
    assert "The citation key `kushen-1999` is not in the bibliography." in out
    assert "Did you mean `kushen-1991`?" in out
    assert "Traceback" not in out
    # the build stops on the same error, with the same message
    assert main(["build", str(project)]) == 1
    assert "The citation key `kushen-1999`" in capsys.readouterr().err


@pytest.mark.slow
def test_a_failed_build_leaves_the_previous_pdf(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    assert main(["build", str(project)]) == 0
    pdf = project / "build" / "report.pdf"
    before = pdf.read_bytes()
    report = project / "content" / "report.yaml"
    report.write_text(report.read_text().replace("title: Baku pogrom", "title: [unclosed", 1))
    assert main(["build", str(project)]) == 1
    assert pdf.read_bytes() == before
    # no temporary file left; the lock file of the output stays (a lock is never removed)
    assert sorted(p.name for p in pdf.parent.iterdir() if p.is_file()) == [".report.pdf.lock",
                                                                          "report.pdf"]


@pytest.mark.slow
def test_letter_paper_by_a_setting(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "p")
    report = project / "content" / "report.yaml"
    report.write_text(report.read_text().replace("paper: a4", "paper: letter"))
    out = tmp_path / "letter.pdf"
    assert main(["build", str(project), "-o", str(out)]) == 0
    box = PdfReader(out).pages[3].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_internal_errors_are_reported_briefly(monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("simulated fault")

    monkeypatch.setattr("report.pipeline.prepare", boom)
    monkeypatch.delenv("REPORT_DEBUG", raising=False)
    assert main(["build", str(ROOT), "-o", "/tmp/never.pdf"]) == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: simulated fault" in err
    assert "Traceback" not in err


@pytest.mark.slow
def test_make_knows_every_input() -> None:
    """`make pdf` twice does nothing the second time; any input made newer rebuilds."""
    subprocess.run(["make", "-s", "pdf"], cwd=ROOT, check=True, capture_output=True)
    assert subprocess.run(["make", "-q", "pdf"], cwd=ROOT).returncode == 0
    for name in ("content/report.yaml", "content/sections/02-the-pogrom.yaml", "sources.yaml",
                 "report/render/theme/report.css", "report/render/theme/templates/cover.html.j2",
                 "report/document/model.py", "report/cite/csl/engine.js", "styles/fonts.sha256"):
        assert subprocess.run(["make", "-q", "-W", name, "pdf"], cwd=ROOT).returncode == 1, name
