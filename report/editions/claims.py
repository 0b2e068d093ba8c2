"""What every edition says it is, and what makes it so: a tagged PDF claims PDF/A-3a and
PDF/UA-1 together, an untagged one (`tagged: false`) PDF/A-3b, whatever the edition.

The claims are made true where the PDF is written:

- laid out whole, by WeasyPrint's `pdf/a-3b` variant (`pdf_options`): an sRGB output intent
  (declared in CSS, `css`), the file identifier, printable annotations;
- laid out in parts (report/layout/merge.py), by `finish` on the joined file: the parts'
  output intent made the PDF/A one, every annotation printable; the trailer identifier is the
  merge's own.

Then one record (report/editions/xmp.py) is written as the XMP packet and the document
information dictionary (`write_metadata`), the conformance level and the PDF/UA part in it.
The archive edition (report/editions/archive.py) adds its sources and a manifest, and derives
the record's instance from them.
"""

from __future__ import annotations

import base64
import io
import uuid
from collections.abc import Callable
from importlib import metadata, util
from pathlib import Path
from typing import Any

import pikepdf

from report.editions import xmp
from report.layout import unambiguous
from report.project.options import BuildContext
from report.project.schema import Settings

VARIANT = "pdf/a-3b"  # the level (a or b) is claimed in the XMP written here
OUTPUT_INTENT = "--report-srgb"  # a CSS colour profile name (see css())
TAGGED = (3, "A")  # with PDF/UA-1: a tagged PDF (report/layout/tags.py)
UNTAGGED = (3, "B")  # `tagged: false`
NAMESPACE = uuid.UUID("6f0c5d3e-8f9b-5a57-9c51-3f7e2a1d4b60")  # this tool's UUID namespace
PRINT = 4  # ISO 32000-1, 12.5.3: the annotation flag Print (ISO 19005-3, 6.3.2)


def conformance(settings: Settings) -> tuple[int, str]:
    """PDF/A-3a for a tagged PDF (and PDF/UA-1 beside it), else 3b."""
    return TAGGED if settings.tagged else UNTAGGED


def css(ctx: BuildContext) -> str:
    """The output intent's profile, sRGB (WeasyPrint's own sRGB2014.icc), declared in CSS and
    read as a data: URI: WeasyPrint's `output_intent="srgb"` leaves the file open (a
    ResourceWarning), and a build reads nothing outside the project but through its fetcher.
    Declared, it is also the blending space of every transparency group WeasyPrint writes."""
    icc = _srgb_profile()
    return (f'@color-profile {OUTPUT_INTENT} {{ src: url("data:application/vnd.iccprofile;'
            f'base64,{base64.b64encode(icc).decode("ascii")}"); components: r, g, b; }}')


def _srgb_profile() -> bytes:
    """Found without importing WeasyPrint (`resources.files` would, 0.5 s): a build laid out
    in parts has no other use for it in its own process."""
    spec = util.find_spec("weasyprint")
    assert spec is not None and spec.submodule_search_locations is not None
    return (Path(spec.submodule_search_locations[0]) / "pdf" / "sRGB2014.icc").read_bytes()


def pdf_options(ctx: BuildContext) -> dict[str, Any]:
    return {"pdf_variant": VARIANT, "output_intent": OUTPUT_INTENT,
            "pdf_identifier": document_id(ctx.settings).hex.encode()}


def document_id(settings: Settings) -> uuid.UUID:
    """The report's identity across builds, editions and revisions: its title and date."""
    return uuid.uuid5(NAMESPACE, f"{settings.title}\n{settings.date.isoformat()}")


def title(settings: Settings) -> str:
    return f"{settings.title}: {settings.subtitle}" if settings.subtitle else settings.title


def rights(settings: Settings) -> str | None:
    """The licence and the attribution it asks for, in words."""
    credit = settings.credit
    if credit is None:
        return None
    by = ", ".join(settings.authors) or f"{credit.publisher} contributors"
    return (f"“{title(settings)}”, by {by}. Adapted from the {credit.publisher} article "
            f"“{credit.title}” ({credit.url}). Available under the {credit.licence} licence: "
            f"{credit.licence_url}.")


def describe(ctx: BuildContext, instance: str) -> xmp.Meta:
    """The record of this file: `instance` names what makes this file this incarnation."""
    from report import __version__

    weasyprint = metadata.version("weasyprint")  # the producer, without importing it

    settings, credit = ctx.settings, ctx.settings.credit
    return xmp.Meta(
        title=title(settings), creators=tuple(settings.authors),
        description=settings.description, keywords=tuple(settings.keywords),
        language=settings.language, date=ctx.time,
        producer=f"WeasyPrint {weasyprint}",
        creator_tool=f"report {__version__} (WeasyPrint {weasyprint})",
        document_id=f"uuid:{document_id(settings)}",
        instance_id=f"uuid:{uuid.uuid5(NAMESPACE, instance)}",
        rights=rights(settings), licence_url=credit.licence_url if credit else None,
        source=credit.url if credit else None, pdfa=conformance(settings),
        pdfua=1 if settings.tagged else None)


def instance(ctx: BuildContext) -> str:
    """An edition's incarnation: the report, the edition and the build date."""
    return f"{document_id(ctx.settings)}\n{ctx.options.edition}\n{ctx.time.isoformat()}"


def write_metadata(meta: xmp.Meta, pdf: pikepdf.Pdf) -> None:
    """The XMP packet, uncompressed (qpdf leaves the metadata stream so), and the information
    dictionary, from the same record; WeasyPrint's replaced."""
    pdf.Root.Metadata = pdf.make_stream(xmp.envelope(meta), Type=pikepdf.Name.Metadata,
                                        Subtype=pikepdf.Name.XML)
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False,
                           strict=True) as packet:
        for name, value in xmp.properties(meta):
            packet[name] = value
        schemas = xmp.extension_schemas(meta)
        if schemas:
            packet.copy_properties(schemas, ["pdfaExtension:schemas"], strict=True)
    info = pdf.docinfo
    for key in list(info.keys()):
        del info[key]
    for key, value in xmp.info(meta).items():
        info[pikepdf.Name("/" + key)] = pikepdf.String(value)


def finish(ctx: BuildContext, pdf: pikepdf.Pdf) -> None:
    """A report joined from its parts made what `pdf_options` makes one written whole: the
    parts' output intent (each part declares the profile in its CSS) the PDF/A one, every
    annotation printable; then the record."""
    intents = pdf.Root.get("/OutputIntents")
    if intents is None or len(intents) == 0:
        raise ValueError("the parts were written without the output intent's profile")
    for intent in intents:
        intent.S = pikepdf.Name.GTS_PDFA1
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            annot.F = PRINT
    if pdf.pdf_version < "1.7":
        pdf.Root.Version = pikepdf.Name("/1.7")  # ISO 19005-3 is based on PDF 1.7
    write_metadata(describe(ctx, instance(ctx)), pdf)


def rewrite(ctx: BuildContext, document: Any, data: bytes,
            what: Callable[[pikepdf.Pdf], str] | None = None) -> bytes:
    """The second pass over a PDF written whole, in memory before the file replaces the
    previous one: the record set through pikepdf, saved reproducibly. `what`: the instance,
    read from the PDF, if not `instance(ctx)`."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        write_metadata(describe(ctx, what(pdf) if what else instance(ctx)), pdf)
        return unambiguous.save(pdf, deterministic_id=True)
