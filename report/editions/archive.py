"""The archive edition: a PDF/A-3a and PDF/UA-1 file that carries what it was built from,
reproducible to the byte, with a manifest next to it.

`report build --edition archive` (`make archive`) writes build/report-archive.pdf:

- PDF/A-3a with PDF/UA-1 (PDF/A-3b if `tagged: false`), as every edition claims
  (report/editions/claims.py), checked more strictly here: no interpolated images, no glyph
  missing from the embedded fonts (that would reference .notdef), no font of this machine;
  the record's instance is derived from the embedded sources (`rewrite_metadata`).
- The project's sources embedded as PDF/A-3 associated files (ISO 19005-3, 6.8; ISO 32000-2,
  7.11.4): the content YAML, sources.yaml, the styles (CSS, templates, the fonts' checksums),
  a local CSL style and every project file the layout read (images), each with its MIME type,
  size, MD5 checksum, the build date and the relationship `Source`, listed in the catalog's
  AF array. `report extract FILE.pdf DIR` gets them back (report/editions/extract.py); a
  build of DIR gives the same bytes, because nothing in the PDF depends on where or when it
  was built.
- build/report-archive.json, the manifest (report/editions/manifest.py): the PDF and the
  manifest land together, and not at all if a source changed during the build.

Dates come from SOURCE_DATE_EPOCH when set, otherwise from the report's own date.

Why the XMP is set in a second pass, through pikepdf (measured on this repository's report,
2 cores; median of 3 runs of `.venv/bin/report build . --edition archive -o /tmp/x.pdf`,
SOURCE_DATE_EPOCH unset): the build takes 2.25 s, against 2.24 s when the packet was built
by hand and written into WeasyPrint's PDF as it wrote it; the pass itself, 7 ms (pikepdf is
loaded by every build already). The file is 123,702 bytes instead of 123,876 (qpdf
serialises it again). It stays reproducible to the byte (qpdf keeps the first /ID,
WeasyPrint's document identifier, and `deterministic_id` derives the second from the
content), PDF/A-3b by the project's rules, its XMP uncompressed and without `bytes` or
`encoding`. pikepdf sets the properties; the packet's frame is ours (`xmp.envelope`), as in
the one pikepdf starts from each property declares its own namespace
(`<pdfaid:part xmlns:pdfaid=...>`), and a structure (the PDF/UA extension schema) is copied
in, not set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pikepdf
import pydyf

from report.editions import claims, xmp
from report.editions.registry import Edition, register
from report.layout.finishers import Finisher
from report.layout.mime import mime_type
from report.problems import Location, Problem, ReportError
from report.project import sources
from report.project.options import BuildContext
from report.project.schema import Settings
from report.render import fonts


def inputs(root: Path, settings: Settings) -> list[str]:
    """The project files every build reads, as sorted relative POSIX paths: the content, the
    bibliography, the styles and a local CSL style. Files the layout reads besides (images)
    are added as it reads them (report/layout/engine.py's ProjectFetcher.read)."""
    root = root.resolve()
    found = {name for name in sources.file_names(root, settings.sources)
             if (root / name).is_file()}  # the bibliography: YAML, JSON or BibTeX
    found |= {p.relative_to(root).as_posix() for p in (root / "content").rglob("*.yaml")}
    if (root / "styles").is_dir():
        found |= {p.relative_to(root).as_posix() for p in (root / "styles").rglob("*")
                  if p.is_file()}
    style = str(settings.citation_style)
    if style.endswith(".csl") and (root / style).resolve().is_relative_to(root):
        found.add((root / style).resolve().relative_to(root).as_posix())
    return sorted(name for name in found
                  if not any(part.startswith(".") for part in name.split("/")))


def attach_sources(root: Path, names: list[str], when: dt.datetime, pdf: pydyf.PDF) -> None:
    """Embed each file as an associated file of the document, relationship Source."""
    date = pydyf.String(xmp.pdf_date(when))
    tree, af = pydyf.Array(), pydyf.Array()
    for name in names:
        data = (root / name).read_bytes()
        stream = pydyf.Stream([data], pydyf.Dictionary({
            "Type": "/EmbeddedFile", "Subtype": "/" + mime_type(name).replace("/", "#2f"),
            "Params": pydyf.Dictionary({
                "Size": len(data), "CheckSum": f"<{hashlib.md5(data).hexdigest()}>",
                "CreationDate": date, "ModDate": date})}), compress=True)
        pdf.add_object(stream)
        spec = pydyf.Dictionary({
            "Type": "/Filespec", "F": pydyf.String(name), "UF": pydyf.String(name),
            "EF": pydyf.Dictionary({"F": stream.reference, "UF": stream.reference}),
            "Desc": pydyf.String(f"A source of this report: {name}"),
            "AFRelationship": "/Source"})
        pdf.add_object(spec)
        tree += [pydyf.String(name), spec.reference]
        af.append(spec.reference)
    files = pydyf.Dictionary({"Names": tree})  # a name tree: keys sorted, as `names` are
    pdf.add_object(files)
    pdf.catalog.setdefault("Names", pydyf.Dictionary())["EmbeddedFiles"] = files.reference
    pdf.catalog["AF"] = af


def sources_digest(pdf: pikepdf.Pdf) -> str:
    """A digest of the embedded sources, names and contents (for the instance id)."""
    digest = hashlib.sha256()
    for name, spec in sorted(pdf.attachments.items()):
        data = spec.get_file().read_bytes()
        digest.update(f"{name}\0{hashlib.sha256(data).hexdigest()}\n".encode())
    return digest.hexdigest()


def rewrite_metadata(ctx: BuildContext, document: Any, data: bytes) -> bytes:
    """The record's instance is the embedded sources: the same sources, the same file."""
    return claims.rewrite(ctx, document, data, sources_digest)


def check_fonts(document: Any) -> None:
    """Every character drawn has its glyph in the embedded font: a missing one would show
    .notdef (ISO 19005-3, 6.2.11.4.1 and 6.2.11.8); and every font is one of the pinned ones
    (report/render/fonts.py), not one fontconfig found on this machine, which another
    machine lacks."""
    pinned = {face.family for face in fonts.FACES}
    problems = [Problem(Location("build"), f"Some text is set in {family}, a font of this "
                        "machine, not one of the report's pinned fonts.", "Replace the characters "
                        "the pinned fonts lack, or pin a font that has them "
                        "(report/render/fonts.py).",
                        code="unpinned-font", value=family)
                for family in sorted({font.family for font in document.fonts.values()} - pinned)]
    missing = sorted({(font.family, chr(code)) for font in document.fonts.values()
                      for code in font.missing})
    problems += [Problem(Location("build"), f"The character “{char}” (U+{ord(char):04X}) is not "
                         f"in the font {family}.", "Use another character, or mark the text's "
                         "language so another font is chosen.", code="missing-glyph")
                 for family, char in missing]
    if problems:
        raise ReportError(problems)


def finish_archive(ctx: BuildContext) -> Finisher:
    def finish(document: Any, pdf: pydyf.PDF) -> None:
        if document.metadata.attachments or "EmbeddedFiles" in pdf.catalog.get("Names", {}):
            raise ReportError([Problem(Location("styles/templates"), "A template attaches a "
                                       "file; the archive attaches its sources itself.",
                                       "Remove the <link rel=\"attachment\"> from the template.",
                                       code="template-attachment")])
        check_fonts(document)
        root = ctx.root.resolve()
        names = sorted(set(inputs(root, ctx.settings)) | set(ctx.data_files)
                       | set(document.url_fetcher.read))
        attach_sources(root, names, ctx.time, pdf)
        for obj in pdf.objects:  # ISO 19005-3, 6.2.8: an image shall not be interpolated
            if isinstance(obj, pydyf.Stream) and obj.extra.get("Subtype") == "/Image":
                obj.extra["Interpolate"] = "false"
    return finish


def _write_manifest(ctx: BuildContext) -> None:
    from report.editions.manifest import write  # pypdf: imported by the archive's build only

    write(ctx, claims.conformance(ctx.settings))


ARCHIVE = register(Edition(
    "archive", "the archive edition: PDF/A-3a and PDF/UA-1, its sources embedded, "
               "reproducible to the byte, and a manifest (build/report-archive.json)",
    finishers=lambda ctx: [finish_archive(ctx)],
    rewrite=rewrite_metadata,
    after_write=_write_manifest,
    default_output="build/report-archive.pdf"))
