"""Where the pipeline reaches into a library's internals: one small module per library, each
written against one pinned version and checked against the installed one.

`install()` is called explicitly when a build (or a layout worker) starts; nothing is patched
as a side effect of an import. A library at another version than the one pinned in
pyproject.toml stops the build with a message saying what to do, instead of a subtly wrong PDF.

- weasyprint.py: what the layout reads of WeasyPrint's page boxes;
- weasyprint_notes.py: the footnote area's height, note by note (a patch, put in by `install`);
- weasyprint_tags.py: WeasyPrint's marked content for the pipeline's structure tree (a patch,
  put in by report/layout/engine.py's `layout`, which gives it the tree's builder);
- edtf.py: the edtf library's parser and date nodes, as plain data for the chronology;
- pypdf: checked here; used in report/tools/ and report/editions/.
"""

from __future__ import annotations

from importlib import metadata

from report.engines.versions import PINNED
from report.problems import Location, Problem, ReportError

__all__ = ["PINNED", "check", "install", "require"]


def require(package: str) -> None:
    """ReportError unless the installed `package` is the version this package was written
    against: a private API may have changed with it."""
    found = metadata.version(package)
    if found != PINNED[package]:
        raise ReportError([Problem(
            Location("installation"),
            f"report reaches into {package} {PINNED[package]}'s internals, but {package} "
            f"{found} is installed.",
            f"Install the pinned version (`pip install {package}=={PINNED[package]}`, or "
            "`make setup` in the report's repository), or update report/engines/ for the new "
            "version.", code="engine-version", value=found)])


_installed = False


def check() -> None:
    """ReportError unless every pinned library (all of `PINNED`) is at its version; imports
    none of them (a build laid out in parts has no use for WeasyPrint in its own process)."""
    for package in PINNED:
        require(package)


def install() -> None:
    """Check every pinned library's version (all of `PINNED`), then install the patches;
    idempotent. A wrong version raises ReportError and installs nothing."""
    global _installed
    if _installed:
        return
    from report.engines import weasyprint_notes

    check()
    weasyprint_notes.install()
    _installed = True
