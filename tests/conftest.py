"""Shared fixtures: the repository's own report, built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "article" / "baku-pogrom.txt"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite the golden files from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def copy_project(dest: Path) -> Path:
    """A copy of the repository's report project (content, sources, styles, fonts)."""
    for name in ("content", "styles"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "sources.yaml", dest / "sources.yaml")
    if (ROOT / "fonts").is_dir():
        shutil.copytree(ROOT / "fonts", dest / "fonts")
    return dest


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The real report, built to PDF and HTML in a temporary folder."""
    from report.pipeline import build

    out = tmp_path_factory.mktemp("built")
    build(ROOT, out / "report.pdf")
    build(ROOT, out / "report.html")
    return {"pdf": out / "report.pdf", "html": out / "report.html"}


@pytest.fixture(scope="session")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real report's archive edition (report-archive.pdf, and .json beside it), built once."""
    from report.pipeline import build
    from report.project.options import BuildOptions

    out = tmp_path_factory.mktemp("archive") / "report-archive.pdf"
    build(ROOT, out, options=BuildOptions(edition="archive"))
    return out
