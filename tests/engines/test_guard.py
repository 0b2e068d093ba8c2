"""The engines' guard (report/engines/): a library at another version than the pinned one stops
the build with a message, nothing is patched at import time, and the edtf accessors give the
parsed dates as plain data."""

from __future__ import annotations

import subprocess
import sys
import time
from importlib import metadata
from pathlib import Path

import pytest

from report import engines
from report.engines import PINNED, edtf, require, weasyprint, weasyprint_notes
from report.problems import ReportError
from tests.conftest import ROOT


def other_version(monkeypatch: pytest.MonkeyPatch, package: str, found: str) -> None:
    real = metadata.version
    monkeypatch.setattr(metadata, "version",
                        lambda name: found if name == package else real(name))


# --- the version check ---------------------------------------------------------------------

@pytest.mark.parametrize("package", sorted(PINNED))
def test_require_refuses_another_version(monkeypatch: pytest.MonkeyPatch, package: str) -> None:
    other_version(monkeypatch, package, "999.1")
    with pytest.raises(ReportError) as caught:
        require(package)
    [problem] = caught.value.problems
    assert problem.code == "engine-version" and problem.severity == "error"
    assert problem.value == "999.1"
    assert package in problem.message
    assert PINNED[package] in problem.message and "999.1" in problem.message
    assert f"pip install {package}=={PINNED[package]}" in problem.hint
    assert "report/engines/" in problem.hint


def test_require_accepts_the_pinned_versions() -> None:
    for package in PINNED:
        require(package)  # the venv holds the pinned versions


def test_the_pins_are_pyprojects() -> None:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        dependencies = tomllib.load(file)["project"]["dependencies"]
    for package, version in PINNED.items():
        assert f"{package}=={version}" in dependencies


def test_every_module_states_a_pinned_version() -> None:
    for module in (weasyprint, weasyprint_notes, edtf):
        assert module.VERSION == PINNED[module.PACKAGE] == metadata.version(module.PACKAGE)


@pytest.mark.parametrize("package", sorted(PINNED))
def test_install_checks_every_pinned_library(monkeypatch: pytest.MonkeyPatch,
                                             package: str) -> None:
    monkeypatch.setattr(engines, "_installed", False)  # restored after the test
    other_version(monkeypatch, package, "0.0.1")
    with pytest.raises(ReportError) as caught:
        engines.install()
    assert [p.code for p in caught.value.problems] == ["engine-version"]
    assert package in caught.value.problems[0].message
    assert engines._installed is False  # and tried again next time


def test_the_command_reports_it_without_a_traceback(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    import report.pipeline
    from report.cli import EXIT_PROBLEMS, main

    def build(*args: object, **kwargs: object) -> None:
        engines.install()  # as the pipeline does when the content is ready

    monkeypatch.setattr(engines, "_installed", False)
    other_version(monkeypatch, "weasyprint", "71.0")
    monkeypatch.setattr(report.pipeline, "build", build)
    assert main(["build", str(tmp_path)]) == EXIT_PROBLEMS == 1
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    assert "weasyprint 71.0 is installed" in err and "pip install weasyprint==70.0" in err


# --- nothing patched at import time --------------------------------------------------------

PROBE = """
import sys
from weasyprint.layout import LayoutContext

def where():
    return LayoutContext._update_footnote_area.__module__

import report.cli, report.pipeline, report.layout.engine, report.layout.workers
import report.engines.weasyprint_notes
before = where()
import report.engines
report.engines.install()
print(before, where())
"""


def test_importing_patches_nothing_install_does() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True,
                          text=True, check=True, timeout=120)
    assert done.stdout.split() == ["weasyprint.layout", "report.engines.weasyprint_notes"]


# --- the edtf accessors --------------------------------------------------------------------

def test_a_day() -> None:
    node = edtf.parse("1990-01-13")
    assert edtf.kind(node) == "date"
    assert edtf.fields(node) == edtf.Fields("1990", "01", "13")
    assert time.strftime("%Y-%m-%d", edtf.lower_strict(node)) == "1990-01-13"
    assert time.strftime("%Y-%m-%d", edtf.upper_strict(node)) == "1990-01-13"


def test_an_approximate_month() -> None:
    node = edtf.parse("1990-01~")
    assert edtf.kind(node) == "qualified"
    qualified = edtf.qualified(node)
    assert (qualified.approximate, qualified.uncertain, qualified.both) == (True, False, False)
    assert edtf.kind(qualified.date) == "date"
    assert edtf.fields(qualified.date) == edtf.Fields("1990", "01", None)


@pytest.mark.parametrize(("text", "flags"), [
    ("1990?", (False, True, False)), ("1990%", (False, False, True))])
def test_an_uncertain_year(text: str, flags: tuple[bool, bool, bool]) -> None:
    qualified = edtf.qualified(edtf.parse(text))
    assert (qualified.approximate, qualified.uncertain, qualified.both) == flags
    assert edtf.fields(qualified.date) == edtf.Fields("1990", None, None)


def test_an_interval() -> None:
    node = edtf.parse("1988-02-27/1988-02-29")
    assert edtf.kind(node) == "interval"
    lower, upper = edtf.ends(node)
    assert [edtf.kind(lower), edtf.kind(upper)] == ["date", "date"]
    assert edtf.fields(lower) == edtf.Fields("1988", "02", "27")
    assert edtf.fields(upper) == edtf.Fields("1988", "02", "29")
    assert time.strftime("%Y-%m-%d", edtf.upper_strict(node)) == "1988-02-29"


def test_a_season() -> None:
    node = edtf.parse("1990-21")
    assert edtf.kind(node) == "season"
    assert edtf.season(node) == edtf.SeasonFields("1990", 21)


def test_built_nodes_are_the_parsed_ones() -> None:
    day = edtf.date("1988", "02", "27")
    assert edtf.kind(day) == "date" and str(day) == "1988-02-27"
    both = edtf.interval(day, edtf.date("1988", "02", "29"))
    assert edtf.kind(both) == "interval" and str(both) == "1988-02-27/1988-02-29"
    assert edtf.fields(edtf.ends(both)[1]) == edtf.fields(edtf.ends(edtf.parse(str(both)))[1])


def test_other_nodes_and_refusals() -> None:
    assert edtf.kind(edtf.parse("[1990, 1991]")) == "other"
    assert edtf.kind(object()) == "other"
    with pytest.raises(edtf.ParseError):
        edtf.parse("garbage")
    # a built date is not checked: chronology.py's datetime.date refuses 30 February
    impossible = edtf.lower_strict(edtf.date("1990", "02", "30"))
    assert (impossible.tm_mon, impossible.tm_mday) == (2, 30)


# --- the WeasyPrint accessors --------------------------------------------------------------

def test_page_accessors() -> None:
    from weasyprint import HTML

    document = HTML(string="<style>@page x { size: A5 } .x { page: x }</style><p>a</p>"
                           "<p class=x>b</p>").render()
    first, second = document.pages
    assert [weasyprint.page_type_name(p) for p in (first, second)] == ["", "x"]
    assert weasyprint.page_type(first) == weasyprint.PageType("", -1, False)
    assert weasyprint.page_type(second) == weasyprint.PageType("x", 0, False, (("x", 0),))
    root, areas = weasyprint.root_and_areas(first)
    assert root.element_tag == "html" and isinstance(areas, list)
    assert weasyprint.page_box(first).children[0] is root
