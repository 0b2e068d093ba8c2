"""The archive's metadata: one record, written twice, as XMP and as the document information
dictionary, so that the two agree by construction.

WeasyPrint writes each conformance claim (PDF/A, PDF/UA) in an XMP packet of its own, with
the document's fields in separate descriptions and no rights or source; this module writes
the whole packet instead. Every property is in a schema predefined by XMP (dc, xmp, xmpMM,
xmpRights, pdf) or by ISO 19005 (pdfaid); a PDF/UA claim (pdfuaid), which PDF/A does not
predefine, comes with its PDF/A extension schema description (ISO 19005-3, 6.6.2.3).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import escape

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
    is the catalog's Lang, set for every edition by report/postprocess.py)."""
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


def _text(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>"


def _alt(name: str, value: str) -> str:
    return (f'<{name}><rdf:Alt><rdf:li xml:lang="x-default">{escape(value)}</rdf:li>'
            f"</rdf:Alt></{name}>")


def _list(name: str, kind: str, values: Iterable[str]) -> str:
    items = "".join(f"<rdf:li>{escape(v)}</rdf:li>" for v in values)
    return f"<{name}><rdf:{kind}>{items}</rdf:{kind}></{name}>"


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


def packet(meta: Meta) -> bytes:
    """The XMP packet (ISO 16684-1), UTF-8, without the `bytes` and `encoding` attributes
    (ISO 19005-3, 6.6.2.1), to be stored uncompressed so any tool can read it."""
    date = xmp_date(meta.date)
    props = [_text("pdfaid:part", str(meta.pdfa[0])),
             _text("pdfaid:conformance", meta.pdfa[1])]
    if meta.pdfua:
        props += [_text("pdfuaid:part", str(meta.pdfua)), PDFUA_SCHEMA]
    props += [_text("dc:format", "application/pdf"), _alt("dc:title", meta.title)]
    if meta.creators:
        props.append(_list("dc:creator", "Seq", meta.creators))
    if meta.description:
        props.append(_alt("dc:description", meta.description))
    if meta.keywords:
        props += [_list("dc:subject", "Bag", meta.keywords),
                  _text("pdf:Keywords", ", ".join(meta.keywords))]
    props += [_list("dc:language", "Bag", [meta.language]),
              _list("dc:date", "Seq", [date])]
    if meta.rights:
        props += [_alt("dc:rights", meta.rights), _alt("xmpRights:UsageTerms", meta.rights),
                  _text("xmpRights:Marked", "True")]
    if meta.licence_url:
        props.append(_text("xmpRights:WebStatement", meta.licence_url))
    if meta.source:
        props.append(_text("dc:source", meta.source))
    props += [_text("xmp:CreateDate", date), _text("xmp:ModifyDate", date),
              _text("xmp:MetadataDate", date), _text("xmp:CreatorTool", meta.creator_tool),
              _text("pdf:Producer", meta.producer),
              _text("xmpMM:DocumentID", meta.document_id),
              _text("xmpMM:InstanceID", meta.instance_id)]
    used = [p for p in NS if p != "rdf" and any(f"<{p}:" in prop for prop in props)]
    namespaces = " ".join(f'xmlns:{p}="{NS[p]}"' for p in used)
    body = "\n  ".join(props)
    rdf = NS["rdf"]
    text = ('<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
            '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
            f'<rdf:RDF xmlns:rdf="{rdf}">\n'
            f'<rdf:Description rdf:about="" {namespaces}>\n'
            f"  {body}\n</rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n"
            '<?xpacket end="r"?>')
    return text.encode("utf-8")
