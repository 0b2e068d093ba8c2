"""The archive's metadata: one record, written twice, as XMP and as the document information
dictionary, so that the two agree by construction.

WeasyPrint writes each conformance claim (PDF/A, PDF/UA) in an XMP packet of its own, with
the document's fields in separate descriptions and no rights or source; the archive replaces
it (report/editions/archive.py) through pikepdf's metadata API: `envelope` is the empty packet,
`properties` what is set in it, and `extension_schemas` what pikepdf's API cannot set itself (a
structure), copied in. Every property is in a schema predefined by XMP (dc, xmp, xmpMM,
xmpRights, pdf) or by ISO 19005 (pdfaid); a PDF/UA claim (pdfuaid), which PDF/A does not
predefine, comes with its PDF/A extension schema description (ISO 19005-3, 6.6.2.3).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "xmpMM": "http://ns.adobe.com/xap/1.0/mm/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


@dataclass(frozen=True)
class Meta:
    """What the archive says about itself."""

    title: str
    creators: tuple[str, ...]
    description: str | None
    keywords: tuple[str, ...]
    language: str
    date: dt.datetime  # creation = modification = metadata date: the build date
    producer: str
    creator_tool: str
    document_id: str  # "uuid:..."
    instance_id: str
    rights: str | None = None  # the licence and attribution, in words
    licence_url: str | None = None
    source: str | None = None  # the work this report is adapted from
    pdfa: tuple[int, str] = (3, "B")  # part, conformance
    pdfua: int | None = None  # PDF/UA part, when claimed


def xmp_date(date: dt.datetime) -> str:
    return date.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def pdf_date(date: dt.datetime) -> str:
    """ISO 32000-1, 7.9.4: D:YYYYMMDDHHmmSS and the offset from UT (Z: none)."""
    return date.astimezone(dt.UTC).strftime("D:%Y%m%d%H%M%SZ")


def info(meta: Meta) -> dict[str, str]:
    """The document information dictionary, field by field the XMP's equivalent (the language
    is the catalog's Lang, set for every edition by report/layout/finishers.py)."""
    out = {"Title": meta.title, "Creator": meta.creator_tool, "Producer": meta.producer,
           "CreationDate": pdf_date(meta.date), "ModDate": pdf_date(meta.date)}
    if meta.creators:
        out["Author"] = ", ".join(meta.creators)
    if meta.description:
        out["Subject"] = meta.description
    if meta.keywords:
        out["Keywords"] = ", ".join(meta.keywords)
    if meta.rights:  # not standard keys, but what readers of the dictionary look for
        out["Rights"] = meta.rights
    if meta.source:
        out["Source"] = meta.source
    return out


Property = tuple[str, str | list[str]]


def properties(meta: Meta) -> list[Property]:
    """The packet's properties, in order, by prefixed name. A str is a simple value, or the
    default (x-default) of a language alternative; a list the items of an array, in this
    order (Seq and Bag alike: which container each property is, XMP defines and pikepdf
    knows)."""
    date = xmp_date(meta.date)
    props: list[Property] = [("pdfaid:part", str(meta.pdfa[0])),
                             ("pdfaid:conformance", meta.pdfa[1])]
    if meta.pdfua:
        props.append(("pdfuaid:part", str(meta.pdfua)))
    props += [("dc:format", "application/pdf"), ("dc:title", meta.title)]
    if meta.creators:
        props.append(("dc:creator", list(meta.creators)))
    if meta.description:
        props.append(("dc:description", meta.description))
    if meta.keywords:
        props += [("dc:subject", list(meta.keywords)), ("pdf:Keywords", ", ".join(meta.keywords))]
    props += [("dc:language", [meta.language]), ("dc:date", [date])]
    if meta.rights:
        props += [("dc:rights", meta.rights), ("xmpRights:UsageTerms", meta.rights),
                  ("xmpRights:Marked", "True")]
    if meta.licence_url:
        props.append(("xmpRights:WebStatement", meta.licence_url))
    if meta.source:
        props.append(("dc:source", meta.source))
    props += [("xmp:CreateDate", date), ("xmp:ModifyDate", date), ("xmp:MetadataDate", date),
              ("xmp:CreatorTool", meta.creator_tool), ("pdf:Producer", meta.producer),
              ("xmpMM:DocumentID", meta.document_id), ("xmpMM:InstanceID", meta.instance_id)]
    return props


EXTENSION = ("pdfaExtension", "pdfaSchema", "pdfaProperty")
PDFUA_SCHEMA = (
    "<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>"
    f"<pdfaSchema:namespaceURI>{NS['pdfuaid']}</pdfaSchema:namespaceURI>"
    "<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>"
    "<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType=\"Resource\">"
    "<pdfaProperty:name>part</pdfaProperty:name>"
    "<pdfaProperty:valueType>Integer</pdfaProperty:valueType>"
    "<pdfaProperty:category>internal</pdfaProperty:category>"
    "<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed"
    "</pdfaProperty:description>"
    "</rdf:li></rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas>")


def _packet(prefixes: list[str], body: str) -> bytes:
    """An XMP packet (ISO 16684-1), UTF-8, without the `bytes` and `encoding` attributes
    (ISO 19005-3, 6.6.2.1): one rdf:Description declaring the namespaces of `prefixes`, so
    that its properties need no declarations of their own."""
    namespaces = " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)
    text = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            f'<rdf:RDF xmlns:rdf="{NS["rdf"]}">\n'
            f'<rdf:Description rdf:about="" {namespaces}>\n{body}</rdf:Description>\n'
            '</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="r"?>')
    return text.encode("utf-8")


def envelope(meta: Meta) -> bytes:
    """The packet `properties` (and `extension_schemas`) are set in, empty."""
    used = {name.partition(":")[0] for name, _ in properties(meta)}
    if extension_schemas(meta):
        used |= set(EXTENSION)
    return _packet([p for p in NS if p in used], "")


def extension_schemas(meta: Meta) -> bytes | None:
    """A packet holding the pdfaExtension:schemas property, describing the schemas that
    PDF/A does not predefine (pdfuaid, when PDF/UA is claimed); None: no such schema."""
    if not meta.pdfua:
        return None
    return _packet(list(EXTENSION), PDFUA_SCHEMA + "\n")
