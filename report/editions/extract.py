"""`report extract FILE.pdf DIR`: the sources embedded in an archive PDF, back as a project.

The PDF may come from anywhere, so its file names are not trusted: each must be a relative
path of plain names (letters, digits, `.`, `_`, `-`), never absolute, never `..` or hidden,
and the folder must be new or empty, so that nothing is overwritten. Each file's MD5
checksum, when the PDF gives one, is checked against its bytes.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PyPdfError

from report.problems import Location, Problem, ReportError

NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$")


def sources(pdf: Path) -> dict[str, bytes]:
    """The embedded files, by name, checked; ReportError for a file that is not an archive."""
    where = Location(str(pdf))
    try:
        reader = PdfReader(pdf)
        files = {}
        for item in reader.attachment_list:
            name, data = item.name, item.content
            checksum = item.checksum  # a byte string; pypdf reads it as text, keeping the bytes
            raw = getattr(checksum, "original_bytes", checksum)
            if checksum is not None and raw != hashlib.md5(data).digest():
                raise ReportError([Problem(where, f"The embedded file `{name}` is damaged "
                                           "(its checksum does not match).", "",
                                           code="damaged-attachment", value=name)])
            files[name] = data
    except (OSError, PyPdfError, ValueError) as error:
        raise ReportError([Problem(where, f"This file cannot be read as a PDF: {error}.",
                                   "", code="not-a-pdf")]) from None
    if not files:
        raise ReportError([Problem(where, "This PDF has no embedded sources.",
                                   "Build the archive edition: report build --edition archive.",
                                   code="no-sources")])
    bad = [name for name in files if not NAME.match(name) or ".." in name.split("/")]
    if bad:
        raise ReportError([Problem(where, f"The embedded file name `{name}` is not a safe "
                                   "relative path; nothing was extracted.", "",
                                   code="unsafe-name", value=name) for name in bad])
    return files


def extract(pdf: Path, folder: Path) -> list[Path]:
    """Write the embedded sources under `folder` (new or empty); the paths written."""
    files = sources(pdf)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise ReportError([Problem(Location(str(folder)), "This folder is not empty; nothing "
                                   "was extracted.", "Give a new or empty folder.",
                                   code="folder-not-empty")])
    written = []
    for name, data in sorted(files.items()):
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        written.append(path)
    return written
